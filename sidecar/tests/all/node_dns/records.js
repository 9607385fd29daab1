// A DNS server on loopback UDP answering fixed records, and a Resolver asking it for every record
// type; run by the host's Node and through the sidecar, the outputs must match.
'use strict';
const dgram = require('dgram');
const dns = require('dns');

function name(n) {
  const out = [];
  for (const label of n.split('.')) out.push(label.length, ...Buffer.from(label));
  out.push(0);
  return out;
}
const u16 = (v) => [v >> 8, v & 0xff];
const u32 = (v) => [...u16(v >>> 16), ...u16(v & 0xffff)];
const text = (s) => [s.length, ...Buffer.from(s)];
const TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, NAPTR: 35, CAA: 257 };
const RECORDS = {
  A: [[1, 2, 3, 4], [5, 6, 7, 8]],
  AAAA: [[0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42]],
  NS: [name('ns1.example.org'), [3, ...Buffer.from('ns2'), 0xc0, 12]],
  CNAME: [name('alias.example.org')],
  PTR: [name('ptr.example.org')],
  MX: [[...u16(10), ...name('mail.example.org')], [...u16(20), 4, ...Buffer.from('mx2a'), 0xc0, 12]],
  TXT: [[...text('v=spf1 -all'), ...text('second')], text('')],
  SRV: [[...u16(1), ...u16(5), ...u16(5060), ...name('sip.example.org')]],
  SOA: [[...name('ns1.example.org'), ...name('admin.example.org'), ...u32(2024010101), ...u32(7200), ...u32(3600), ...u32(1209600), ...u32(300)]],
  NAPTR: [[...u16(100), ...u16(10), ...text('S'), ...text('SIP+D2U'), ...text(''), ...name('_sip._udp.example.org')]],
  CAA: [[0, 5, ...Buffer.from('issue'), ...Buffer.from('ca.example.net')], [128, 5, ...Buffer.from('iodef'), ...Buffer.from('mailto:x@example.org')]],
};

function respond(query) {
  const id = query.readUInt16BE(0);
  let at = 12;
  while (query[at] !== 0) at += query[at] + 1;
  const qname = query.subarray(12, at + 1);
  const qtype = query.readUInt16BE(at + 1);
  const question = [...qname, ...u16(qtype), 0, 1];
  const host = query.subarray(13, 13 + query[12]).toString();
  const rcode = { nxdomain: 3, servfail: 2, refused: 5, empty: 0 }[host] ?? 0;
  const type = Object.keys(TYPES).find((t) => TYPES[t] === qtype);
  const answers = rcode === 0 && host !== 'empty' ? RECORDS[type] ?? [] : [];
  const out = [...u16(id), 0x81, 0x80 | rcode, ...u16(1), ...u16(answers.length), 0, 0, 0, 0, ...question];
  for (const rdata of answers) out.push(0xc0, 12, ...u16(qtype), 0, 1, ...u32(300), ...u16(rdata.length), ...rdata);
  return Buffer.from(out);
}

const server = dgram.createSocket('udp4');
let asked = '';
server.on('message', (msg, rinfo) => {
  const labels = [];
  for (let at = 12; msg[at] !== 0; at += msg[at] + 1) labels.push(msg.subarray(at + 1, at + 1 + msg[at]).toString());
  asked = labels.join('.');
  server.send(respond(msg), rinfo.port, rinfo.address);
});
server.bind(0, '127.0.0.1', async () => {
  const resolver = new dns.promises.Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${server.address().port}`]);
  const show = (label, p) => p.then((v) => console.log(label, JSON.stringify(v)), (e) => console.log(label, e.code, e.syscall, e.hostname, e.message));
  await show('A', resolver.resolve4('example.org'));
  await show('A ttl', resolver.resolve4('example.org', { ttl: true }));
  await show('AAAA', resolver.resolve6('example.org'));
  for (const t of ['NS', 'CNAME', 'PTR', 'MX', 'TXT', 'SRV', 'SOA', 'NAPTR', 'CAA']) await show(t, resolver.resolve('example.org', t));
  await show('nxdomain', resolver.resolveMx('nxdomain.org'));
  await show('servfail', resolver.resolveTxt('servfail.org'));
  await show('refused', resolver.resolve4('refused.org'));
  await show('empty', resolver.resolveSrv('empty.org'));
  await show('reverse', resolver.reverse('1.2.3.4'));
  console.log('asked', asked);
  // An IPv6 address with an IPv4 tail: its 32 nibbles, the tail's included.
  await show('reverse mapped', resolver.reverse('::ffff:1.2.3.4'));
  console.log('asked', asked);
  await show('reverse v6', resolver.reverse('2001:db8::1'));
  console.log('asked', asked);
  console.log(resolver.getServers().length);
  try { resolver.resolve('example.org', 'BOGUS'); } catch (e) { console.log(e.code); }
  try { dns.setServers(['not an ip']); } catch (e) { console.log(e.code, e.message); }
  dns.setServers(['127.0.0.1', '[::1]:5353', '10.0.0.1:53']);
  console.log(dns.getServers(), dns.promises.getServers().length);
  server.close();
});
