// dns.lookupService and the result order, run by the host's Node and by a guest; the outputs
// are compared line by line. Loopback only: names from /etc/hosts and /etc/services.
'use strict';
const dns = require('dns');

function show(label, f) {
  try {
    const r = f();
    console.log(label, 'returned', typeof r);
  } catch (e) {
    console.log(label, 'threw', e.name, e.code, e.message);
  }
}

show('no args', () => dns.lookupService());
show('two args', () => dns.lookupService('127.0.0.1', 22));
show('not an address', () => dns.lookupService('example.org', 22, () => {}));
show('a number', () => dns.lookupService(7, 22, () => {}));
show('port too big', () => dns.lookupService('127.0.0.1', 70000, () => {}));
show('port text', () => dns.lookupService('127.0.0.1', 'ssh', () => {}));
show('no callback', () => dns.lookupService('127.0.0.1', 22, null));
show('promise no port', () => dns.promises.lookupService('127.0.0.1'));
show('bad order', () => dns.setDefaultResultOrder('ipv5first'));
show('bad option order', () => dns.lookup('localhost', { order: 'first' }, () => {}));
show('bad verbatim', () => dns.lookup('localhost', { verbatim: 1 }, () => {}));
console.log('default order', dns.getDefaultResultOrder(), dns.promises.getDefaultResultOrder());
dns.promises.setDefaultResultOrder('ipv4first');
console.log('set through promises', dns.getDefaultResultOrder());
dns.setDefaultResultOrder('verbatim');

dns.lookupService('127.0.0.1', 22, (err, hostname, service) => {
  console.log('callback', err, hostname, service);
  dns.promises.lookupService('127.0.0.1', '22').then((r) => {
    console.log('promise', JSON.stringify(r));
    return dns.promises.lookupService('::1', 0);
  }).then(
    (r) => console.log('port 0', typeof r.hostname, typeof r.service),
    (e) => console.log('port 0 failed', e.code, e.syscall),
  );
});
