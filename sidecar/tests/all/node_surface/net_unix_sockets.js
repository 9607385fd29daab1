// Unix domain sockets: listen(path) and connect(path) over relative and abstract names, the
// socket file (isSocket, EADDRINUSE, gone after close), Node's errors, http over socketPath,
// and fs.cp refusing a socket. The same output as the host's Node.
const assert = require('assert');
const fs = require('fs');
const http = require('http');
const net = require('net');

const steps = [];
const step = (fn) => steps.push(fn);
const next = () => {
  const fn = steps.shift();
  if (fn) fn();
};

step(() => {
  const server = net.createServer((c) => {
    console.log('server side remoteAddress', c.remoteAddress, 'address', JSON.stringify(c.address()));
    c.on('data', (d) => c.end(`echo:${d}`));
  });
  server.listen('a.sock', () => {
    console.log('address', server.address(), 'isSocket', fs.statSync('a.sock').isSocket());
    console.log('readdir has it', fs.readdirSync('.').includes('a.sock'));
    net
      .createServer()
      .listen({ path: 'a.sock' })
      .on('error', (e) => {
        console.log('again:', e.code, e.errno, e.syscall, e.address, e.message);
        const c = net.connect('a.sock', () => c.write('hi'));
        let got = '';
        c.on('data', (d) => (got += d));
        c.on('close', () => {
          console.log('client got', got, 'remoteAddress', c.remoteAddress);
          server.close(() => {
            console.log('after close exists', fs.existsSync('a.sock'));
            next();
          });
        });
      });
  });
});

step(() => {
  const s1 = net.createServer().listen('b.sock', () => {
    s1.close();
    // The path is free as soon as close() returns.
    const s2 = net.createServer((c) => c.end('second')).listen('b.sock', () => {
      net.connect({ path: 'b.sock' }).on('data', (d) => {
        console.log('relisten got', `${d}`);
        s2.close(next);
      });
    });
  });
});

step(() => {
  net.connect('missing.sock').on('error', (e) => {
    console.log('missing:', e.code, e.errno, e.syscall, e.address, e.message);
    fs.writeFileSync('plain.txt', 'x');
    net.connect({ path: 'plain.txt' }).on('error', (e2) => {
      console.log('plain file:', e2.code, e2.syscall, e2.message);
      next();
    });
  });
});

step(() => {
  // A listener whose file was removed is out of reach (the path is free for another).
  const server = net.createServer(() => console.log('reached')).listen('d.sock', () => {
    fs.unlinkSync('d.sock');
    net.connect('d.sock').on('error', (e) => {
      console.log('file removed:', e.code);
      server.close(next);
    });
  });
});

step(() => {
  const name = `\0agentos-test-${process.pid}`;
  assert.throws(
    () => net.createServer().listen({ path: name, writableAll: true }),
    (e) => {
      console.log('abstract chmod:', e.code, e.name);
      return true;
    },
  );
  const server = net.createServer((c) => c.end('abstract ok')).listen(name, () => {
    console.log('abstract address is the name', server.address() === name);
    net.connect(name).on('data', (d) => {
      console.log(`${d}`);
      server.close(next);
    });
  });
});

step(() => {
  const server = http.createServer((req, res) => {
    res.end(`${req.method} ${req.url} host=${req.headers.host}`);
  });
  server.listen('h.sock', () => {
    http.get({ socketPath: 'h.sock', path: '/items?x=1' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        console.log('http over socketPath:', res.statusCode, body);
        http.get({ socketPath: 'gone.sock', path: '/' }).on('error', (e) => {
          console.log('http missing socket:', e.code, e.syscall);
          server.close(next);
        });
      });
    });
  });
});

step(() => {
  const server = net.createServer().listen('c.sock', () => {
    fs.cp('c.sock', 'copy.sock', (err) => {
      console.log('cp a socket:', err.code);
      server.close(next);
    });
  });
});

step(() => {
  console.log('fs.constants', Object.keys(fs.constants).join(','));
  console.log('done', fs.readdirSync('.').filter((n) => n.endsWith('.sock')).length);
});

next();
