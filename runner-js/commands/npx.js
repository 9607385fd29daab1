// `npx` as an agentos command: as `npm.js`, for npm's `npx-cli.js`.
process.env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
process.env.npm_config_update_notifier ??= 'false';
require('/usr/lib/node_modules/npm/bin/npx-cli.js');
