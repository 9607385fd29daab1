// A client socket nobody reads still emits 'end' when its peer ends, and every net.Socket emits
// 'close' with Node's hadError argument: false after a clean end, true after destroy(err), and
// after the 'error' it follows.
const net = require('net');
const log = [];
const server = net.createServer((s) => s.end());
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const unread = net.connect(port, '127.0.0.1');
  for (const ev of ['connect', 'end', 'close']) unread.on(ev, (arg) => log.push(`unread ${ev} ${arg}`));
  unread.on('close', () => {
    const failing = net.connect(port, '127.0.0.1');
    failing.on('connect', () => failing.destroy(new Error('boom')));
    failing.on('error', (e) => log.push(`failing error ${e.message}`));
    failing.on('close', (hadError) => {
      log.push(`failing close ${hadError}`);
      server.close(() => console.log(log.join('\n')));
    });
  });
});
