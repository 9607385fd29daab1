// lib/os.js: the `os` builtin, a sandbox-true view (more of it comes with the Node surface).

export const EOL = '\n';

export function platform() {
  return 'linux';
}
