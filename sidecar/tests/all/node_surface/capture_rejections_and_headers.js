// captureRejections: the global default reaches emitters whose constructor never ran init, and
// servers turn a rejected listener into what Node does (net/tls: destroy that socket; http: a
// 500 with the listener's headers dropped). Incoming headers are plain objects, and a header
// named like an Object.prototype member is an ordinary header.
'use strict';
const events = require('events');
const http = require('http');
const net = require('net');

function NoConstructor() {}
Object.setPrototypeOf(NoConstructor.prototype, events.EventEmitter.prototype);

async function main() {
  events.captureRejections = true;
  const bare = new NoConstructor();
  await new Promise((resolve) => {
    bare.on('error', (err) => {
      console.log('bare emitter error:', err.message);
      resolve();
    });
    bare.on('go', async () => {
      throw new Error('from an async listener');
    });
    bare.emit('go');
  });

  // net: the rejected 'connection' listener destroys that socket with the error.
  await new Promise((resolve) => {
    const server = net.createServer(async (sock) => {
      sock.on('error', (err) => console.log('net socket error:', err.message));
      throw new Error('net kaboom');
    });
    server.listen(0, () => {
      const c = net.connect(server.address().port, '127.0.0.1');
      c.on('close', () => server.close(resolve));
      c.on('error', () => {});
    });
  });

  // http: a 500 with the listener's headers removed.
  await new Promise((resolve) => {
    const server = http.createServer(async (req, res) => {
      res.setHeader('content-type', 'application/json');
      console.log('request headers plain:', Object.getPrototypeOf(req.headers) === Object.prototype);
      console.log('constructor header:', req.headers.constructor, req.headers.hasOwnProperty('x-a'));
      throw new Error('http kaboom');
    });
    server.listen(0, () => {
      const c = net.connect(server.address().port, '127.0.0.1', () => {
        c.end('GET / HTTP/1.1\r\nHost: a\r\nConstructor: yes\r\nX-A: 1\r\nConnection: close\r\n\r\n');
      });
      let raw = '';
      c.on('data', (d) => {
        raw += d;
      });
      c.on('close', () => {
        const [head, body] = raw.split('\r\n\r\n');
        console.log('status line:', head.split('\r\n')[0]);
        console.log('content-type kept:', /content-type/i.test(head), 'body:', body);
        server.close(resolve);
      });
    });
  });
  events.captureRejections = false;
  console.log('default restored:', events.captureRejections, new NoConstructor().listenerCount('x'));
}

main();
