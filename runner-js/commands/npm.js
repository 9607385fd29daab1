// `npm` as an agentos command: ci/fetch-npm installs this beside the npm package it runs, and
// the sidecar runs it with `node` (a Node command, `npm.node`).
// npm puts a project's `node_modules/.bin` on the PATH of the scripts it runs only by extending
// a PATH that is set, which a real system always has; an exec may not name one.
process.env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
// The npm here is the one ci/fetch-npm pinned: asking the registry for a newer one (a network
// request each run, refused without a rule for it) tells the guest nothing it can act on.
process.env.npm_config_update_notifier ??= 'false';
require('/usr/lib/node_modules/npm/bin/npm-cli.js');
