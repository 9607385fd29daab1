// package: semver
// expect: true true 1.4.0 1.3.0 3.4.0
const semver = require('semver');
console.log(semver.satisfies('1.2.3', '^1.0.0'), semver.gt('2.0.0-rc.1', '2.0.0-beta.9'), semver.maxSatisfying(['1.2.3', '1.4.0', '2.0.0'], '~1.4'), semver.inc('1.2.3', 'minor'), semver.coerce('v3.4 build').version);
