// net.BlockList and net.SocketAddress: rules of each kind with their canonical text (libuv's
// IPv6 printing, IPv4 tails included), checks across families (an IPv4 rule holds the mapped
// IPv6 form), subnets on odd prefixes, the errors Node throws, inspection, and structured clones
// (a cloned BlockList shares its rules, through a MessagePort too).
const { BlockList, SocketAddress } = require('net');
const util = require('util');
const log = (...a) => console.log(...a);
const code = (fn) => {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return `${e.code} ${e.message}`;
  }
};

const b = new BlockList();
b.addAddress('1.1.1.1');
b.addAddress('::ffff:1.1.1.2', 'ipv6');
b.addAddress('2001:DB8:0:0:1:0:0:1', 'IPv6');
b.addRange('10.0.0.1', '10.0.0.10');
b.addRange('::1', '::f', 'ipv6');
b.addRange('fe80::', 'fe80::ffff', 'ipv6');
b.addSubnet('192.168.0.0', 23);
b.addSubnet('8592:757c:efaf::', 51, 'ipv6');
b.addSubnet('0.0.0.0', 0);
log(b.rules);
const probes = [
  ['1.1.1.1'], ['1.1.1.2'], ['::ffff:1.1.1.1', 'ipv6'], ['1.1.1.1', 'ipv6'],
  ['2001:db8::1:0:0:1', 'ipv6'], ['10.0.0.10'], ['10.0.0.11'], ['::ffff:10.0.0.5', 'ipv6'],
  ['::a', 'ipv6'], ['::10', 'ipv6'], ['fe80::1%eth0', 'ipv6'], ['192.168.1.255'],
  ['192.168.2.0'], ['8592:757c:efaf:1fff:ffff::', 'ipv6'], ['8592:757c:efaf:2000::', 'ipv6'],
  ['not an ip'], ['::1', 'ipv5'],
];
for (const [a, f] of probes) log('check', a, f ?? '', b.check(a, f));
const empty = new BlockList();
empty.addSubnet('::', 0, 'ipv6');
log('::/0 holds 8.8.8.8', empty.check('8.8.8.8'), 'and ::1', empty.check('::1', 'ipv6'));

log(code(() => b.addAddress(1)));
log(code(() => b.addAddress('1.1.1.1', 'foo')));
log(code(() => b.addAddress('300.1.1.1')));
log(code(() => b.addRange('1.1.1.2', '1.1.1.1')));
log(code(() => b.addSubnet('1.1.1.1', 33)));
log(code(() => b.addSubnet('1.1.1.1', 1.5)));
log(code(() => b.addSubnet('::', 129, 'ipv6')));
log(code(() => b.check(1)));
log(util.inspect(new BlockList(), { depth: -1 }), util.inspect(b, { depth: null }).length);

const sa = new SocketAddress({ address: '2001:0db8::0001', family: 'IPV6', port: 8080, flowlabel: 7 });
log(sa.address, sa.port, sa.family, sa.flowlabel, JSON.stringify(sa), util.inspect(sa));
log(new SocketAddress().toJSON(), new SocketAddress({ family: 'ipv6' }).address);
log(SocketAddress.isSocketAddress(sa), SocketAddress.isSocketAddress({ address: '::' }));
log(code(() => new SocketAddress({ address: '1.1.1' })));
log(code(() => new SocketAddress({ port: 70000 })));
log(code(() => new SocketAddress({ family: 'ipx' })));
log(code(() => new SocketAddress(null)));
const bsa = new BlockList();
bsa.addAddress(sa);
log(bsa.rules, bsa.check(sa), bsa.check('2001:db8::1', 'ipv6'));

const clone = structuredClone(b);
clone.addAddress('5.5.5.5');
log('clone', clone !== b, clone instanceof BlockList, b.check('5.5.5.5'), b.rules.length);
const saClone = structuredClone([sa])[0];
log('sa clone', saClone !== sa, saClone instanceof SocketAddress, saClone.address);

const { port1, port2 } = new MessageChannel();
port1.onmessage = ({ data }) => {
  data.addAddress('6.6.6.6');
  log('posted', data !== b, b.check('6.6.6.6'));
  port1.close();
};
port2.postMessage(b);
