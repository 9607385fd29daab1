// Unhandled rejections under each --unhandled-rejections mode (node_rejections.rs runs it with
// each mode, with and without listeners, beside the host's Node): what reaches the listeners,
// the warnings, rejectionHandled for a late handler, and the exit code.
const log = (...a) => process.stdout.write(a.join(' ') + '\n');
process.on('warning', (w) => log('warning', w.name, String(w.message).split('\n')[0]));
if (process.env.LISTEN) process.on('unhandledRejection', (r, p) => log('unhandledRejection', r instanceof Error ? r.message : r, p instanceof Promise));
if (process.env.CATCH) process.on('uncaughtException', (e, origin) => log('uncaughtException', e.message.slice(0, 40), e.code, origin));
process.on('rejectionHandled', (p) => log('rejectionHandled', p instanceof Promise));
process.on('exit', (c) => log('exit', c, process.exitCode));
const late = Promise.reject(new Error('first'));
Promise.reject('second');
setTimeout(() => late.catch(() => log('caught late')), 10);
