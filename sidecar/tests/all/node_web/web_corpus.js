// Differential corpus of the small builtins and web globals: one `label => result` line each.
'use strict';
const util = require('util');
const out = [];
process.on('uncaughtException', (e) => console.log('uncaught', e && e.code));
function show(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  return util.inspect(v, { depth: 4, breakLength: Infinity });
}
function t(label, fn) {
  let r;
  try {
    r = show(fn());
  } catch (e) {
    r = `THROW ${e && e.name} ${e && e.code} ${e && e.message}`;
  }
  out.push(`${label} => ${r}`);
}

// ---- querystring ----
const qs = require('querystring');
const queries = ['', 'a=1', 'a=1&b=2&a=3', 'a', 'a=', '=b', '&&a=1&&', 'a=%20b+c', 'a%20b=c', 'a=%zz',
  'a=%E2%82%AC', 'a=%E2%82', 'a=b=c', '__proto__=1', 'constructor=x&hasOwnProperty=y', 'a[]=1&a[]=2',
  'a=1;b=2', '%', '%2', 'a=%2', 'x=\u20ac', 'a=1&a=2&a=3&a=4'];
for (const q of queries) {
  t(`qs.parse(${JSON.stringify(q)})`, () => qs.parse(q));
  t(`qs.parse(${JSON.stringify(q)}, ;, :)`, () => qs.parse(q, ';', ':'));
}
t('qs maxKeys', () => qs.parse('a=1&b=2&c=3', null, null, { maxKeys: 2 }));
t('qs maxKeys 0', () => qs.parse('a=1&b=2&c=3', null, null, { maxKeys: 0 }));
t('qs multi sep', () => qs.parse('a=>1<>b=>2', '<>', '=>'));
t('qs custom decode', () => qs.parse('a=%41+b', null, null, { decodeURIComponent: (s) => `[${s}]` }));
t('qs bad decode', () => qs.parse('a=%41', null, null, { decodeURIComponent: () => { throw new Error('x'); } }));
const objs = [{ a: 1, b: 'x y', c: [1, 2], d: true, e: null, f: undefined, g: NaN, h: 1e21, i: 5n },
  { '\u20ac': '\ud83d\ude00', 'a b': '!*()~' }, { a: [] }, { a: {} }, 'str', null, 5];
for (const o of objs) {
  t(`qs.stringify(${show(o)})`, () => qs.stringify(o));
  t(`qs.stringify(${show(o)}, ;, :)`, () => qs.stringify(o, ';', ':'));
}
t('qs.stringify custom', () => qs.stringify({ a: 'b c' }, null, null, { encodeURIComponent: (s) => s.toUpperCase() }));
t('qs.escape', () => [qs.escape('a b&c=\u20ac'), qs.escape(5), qs.escape({ toString: () => 'x y' })]);
t('qs.escape lone', () => qs.escape('\ud800'));
t('qs.escape lone low', () => qs.escape('\udc00a'));
t('qs.unescape', () => [qs.unescape('a%20b'), qs.unescape('%zz%41'), qs.unescape('a+b', true), qs.unescape('%E2%82')]);
t('qs.unescapeBuffer', () => [...qs.unescapeBuffer('a%20b%zz+', true)]);
t('qs keys', () => Object.keys(qs));

// ---- legacy url ----
const url = require('url');
const legacy = ['http://user:pw@host.com:8080/p/a/t/h?query=string#hash', 'HTTP://EXAMPLE.com/A',
  '/just/a/path?x=1', '//host/path', 'mailto:user@example.com', 'javascript:alert(1)',
  'http://a.com/b c?d e#f g', 'http://x.com\\y\\z', 'file:///etc/passwd', 'file:/a/b',
  'http://[::1]:3000/x', 'http://ex ample.com/', 'http://a@b@c/', 'http://a@b?@c',
  'https://xn--maana-pta.com/', 'https://ma\u00f1ana.com/', 'http://host:port/', 'http://host:/x',
  'x', '', '  http://trim.me/  ', 'http://a.com/?q=1#h?x', 'git+ssh://git@github.com:org/repo.git',
  'http://a.com/%zz', 'http://\u00e9.com:80', 'ftp://ftp.example.com/pub', 'ws://a/b',
  'http://a.com#', 'http://a.com?', 'http://1.2.3/', 'HTTP://A.COM/<script>'];
for (const u of legacy) {
  t(`url.parse(${JSON.stringify(u)})`, () => ({ ...url.parse(u) }));
  t(`url.parse(${JSON.stringify(u)}, true)`, () => url.parse(u, true).query);
  t(`url.parse(${JSON.stringify(u)}, false, true)`, () => url.parse(u, false, true).host);
  t(`url.format(parse(${JSON.stringify(u)}))`, () => url.format(url.parse(u)));
}
t('url.parse num', () => url.parse(5));
const bases = ['http://a/b/c/d;p?q', 'mailto:a@b', 'http://example.com/', 'file:///a/b'];
const rels = ['g', './g', 'g/', '/g', '//g', '?y', 'g?y', '#s', 'g#s', '', '.', '..', '../g',
  '../../g', '../../../../g', 'http:g', 'https://other/x', 'mailto:c@d', 'g;x=1/../y', '/./g'];
for (const b of bases) for (const r of rels) t(`resolve(${b}, ${r})`, () => url.resolve(b, r));
t('resolveObject', () => url.resolveObject('http://a/b', '../c').href);
t('format obj', () => url.format({ protocol: 'http', hostname: 'h', port: 8, pathname: 'p', query: { a: 1, b: [2, 3] }, hash: 'x' }));
t('format obj2', () => url.format({ protocol: 'mailto', auth: 'u s', host: 'h', search: 'q#' }));
t('format bad', () => url.format(5));
t('format URL', () => url.format(new URL('http://u:p@xn--maana-pta.com/a?b#c'), { fragment: false, unicode: true, auth: false, search: false }));
t('format URL 2', () => url.format(new URL('http://a.com/x?y#z'), { search: false }));
t('fileURLToPath', () => [url.fileURLToPath('file:///a/b%20c'), url.fileURLToPath(new URL('file:///x'))]);
t('fileURLToPath host', () => url.fileURLToPath('file://host/x'));
t('fileURLToPath scheme', () => url.fileURLToPath('http://x/'));
t('fileURLToPath slash', () => url.fileURLToPath('file:///a%2Fb'));
t('fileURLToPath type', () => url.fileURLToPath(5));
t('pathToFileURL', () => [url.pathToFileURL('/a b?#%\\\n\r\t/').href, url.pathToFileURL('/x/').href, url.pathToFileURL('/').href]);
t('pathToFileURL type', () => url.pathToFileURL(5));
t('urlToHttpOptions', () => url.urlToHttpOptions(new URL('https://u:p%20w@[::1]:8443/p?q=1#h')));
t('domainToASCII', () => ['espa\u00f1ol.com', 'xn--espaol-zwa.com', 'xn--i\u00f1valid.com', '', 'EXAMPLE.com', '1.2.3.4', 'a b'].map(url.domainToASCII));
t('domainToUnicode', () => ['xn--espaol-zwa.com', 'espa\u00f1ol.com', 'xn--i\u00f1valid.com', '', 'EXAMPLE.com'].map(url.domainToUnicode));
t('url keys', () => Object.keys(url));

// ---- WHATWG URL extras ----
const u1 = new URL('https://a.b/p?x=1&y=2#h');
t('searchParams live', () => { u1.searchParams.append('z', 'a b'); u1.searchParams.delete('x'); return [u1.href, u1.search]; });
t('search resets params', () => { u1.search = '?k=v'; return [...u1.searchParams]; });
t('empty params drop ?', () => { const u = new URL('http://a/?x=1'); u.searchParams.delete('x'); return u.href; });
t('params sort', () => { const p = new URLSearchParams('z=1&a=2&\u20ac=3&a=1&\ud83d\ude00=4&\ufb03=5'); p.sort(); return p.toString(); });
t('params ctor', () => [new URLSearchParams('?a=1').toString(), new URLSearchParams([['a', 'b'], ['c', 'd']]).toString(), new URLSearchParams({ a: 1, b: 'x' }).toString(), new URLSearchParams(new Map([['m', 'n']])).toString()]);
t('params ctor bad', () => new URLSearchParams([['a']]));
t('params ctor bad2', () => new URLSearchParams([5]));
t('params lone', () => new URLSearchParams({ '\ud800': '\udc00' }).toString());
t('params encode', () => new URLSearchParams({ k: ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\u00e9' }).toString());
t('params decode', () => [...new URLSearchParams('a=%zz&b=%E2%82%AC&c=%E2%82&d=+%2B')]);
t('params methods', () => { const p = new URLSearchParams('a=1&a=2&b=3'); return [p.get('a'), p.getAll('a'), p.has('a', '2'), p.has('a', '9'), p.size, p.get('q')]; });
t('params set', () => { const p = new URLSearchParams('a=1&b=2&a=3'); p.set('a', 'x'); return p.toString(); });
t('params delete value', () => { const p = new URLSearchParams('a=1&b=2&a=3'); p.delete('a', '3'); return p.toString(); });
t('params iter', () => { const p = new URLSearchParams('a=1&b=2'); return [[...p.keys()], [...p.values()], [...p.entries()]]; });
t('params forEach', () => { const seen = []; new URLSearchParams('a=1&b=2').forEach((v, k, o) => seen.push(k, v, o.size)); return seen; });
t('params missing', () => new URLSearchParams().get());
t('params this', () => URLSearchParams.prototype.get.call({}, 'a'));
t('params inspect', () => util.inspect(new URLSearchParams('a=1&b=2')));
t('params iter inspect', () => util.inspect(new URLSearchParams('a=1&b=2').entries()));
t('URL inspect', () => util.inspect(new URL('http://a/b?c=d')));
t('URL json', () => JSON.stringify({ u: new URL('http://a/b') }));
t('URL errors', () => { try { new URL('nope', 'also nope'); } catch (e) { return [e.code, e.message, e.input, e.base]; } });
t('URL missing', () => new URL());
t('URL.parse', () => [URL.parse('x'), URL.parse('/p', 'http://a').href]);
t('URL setters', () => { const u = new URL('http://a.com:8080/p'); u.port = 80; u.hostname = 'b.com'; u.protocol = 'https'; u.username = 'us er'; u.password = 'p@ss'; u.pathname = 'x y'; u.hash = 'h h'; return u.href; });
t('URL bad href', () => { const u = new URL('http://a'); u.href = 'bad'; });
t('URL this', () => Object.getOwnPropertyDescriptor(URL.prototype, 'href').get.call({}));
t('URL props', () => Object.keys(URL.prototype));
t('createObjectURL bad', () => URL.createObjectURL('x'));
t('objectURL roundtrip', () => { const b = new Blob(['hi']); const id = URL.createObjectURL(b); const r = require('buffer').resolveObjectURL(id); URL.revokeObjectURL(id); return [id.slice(0, 14), r === b, require('buffer').resolveObjectURL(id)]; });

// ---- string_decoder ----
const { StringDecoder } = require('string_decoder');
function feed(enc, chunks) {
  const d = new StringDecoder(enc);
  const parts = chunks.map((c) => d.write(Buffer.from(c)));
  parts.push(d.end());
  return [parts, d.lastNeed, d.lastTotal];
}
const euro = [0xe2, 0x82, 0xac];
const cases = [[[0xe2], [0x82], [0xac]], [[0xe2, 0x82], [0x41]], [[0xf0, 0x9f], [0x98, 0x80, 0x41]], [[0xe2]],
  [[0xff, 0xfe]], [[0x80, 0x80, 0x80, 0x80]], [[0x41, 0xe2, 0x82]], [[0xc3], [0xa9, 0xc3]], [euro.concat(euro)],
  [[0x61, 0x00, 0x62], [0x00]], [[0x3d, 0xd8], [0x00, 0xde]], [[0x3d, 0xd8]], [[0x41]], [[1, 2, 3, 4], [5]]];
for (const enc of ['utf8', 'utf16le', 'base64', 'base64url', 'hex', 'latin1', 'ascii']) {
  for (const c of cases) t(`decoder ${enc} ${JSON.stringify(c)}`, () => feed(enc, c));
}
t('decoder inspect', () => new StringDecoder('ucs2'));
t('decoder default', () => new StringDecoder().encoding);
t('decoder bad', () => new StringDecoder('nope'));
t('decoder bad write', () => new StringDecoder().write(5));
t('decoder string', () => new StringDecoder().write('abc'));
t('decoder text', () => new StringDecoder().text(Buffer.from('abc'), 1));
t('decoder lastChar', () => { const d = new StringDecoder(); d.write(Buffer.from([0xe2, 0x82])); return [d.lastChar, d.lastNeed, d.lastTotal]; });

// ---- punycode ----
const punycode = require('punycode');
for (const s of ['m\u00fcnchen', 'ma\u00f1ana', 'abc', '', '\u4e2d\u6587', '\ud83d\ude00', 'b\u00fccher-']) {
  t(`punycode.encode(${s})`, () => punycode.encode(s));
  t(`punycode roundtrip(${s})`, () => punycode.decode(punycode.encode(s)));
}
t('punycode.decode bad', () => punycode.decode('\u0100'));
t('punycode.decode bad2', () => punycode.decode('99999999999'));
t('punycode domains', () => [punycode.toASCII('ma\u00f1ana.com'), punycode.toASCII('user@ma\u00f1ana\u3002com'), punycode.toUnicode('xn--maana-pta.com'), punycode.toUnicode('XN--MAANA-PTA.com')]);
t('punycode ucs2', () => [punycode.ucs2.decode('a\ud83d\ude00\ud800'), punycode.ucs2.encode([97, 128512])]);
t('punycode keys', () => [punycode.version, Object.keys(punycode)]);

// ---- events ----
const et = new EventTarget();
const log = [];
t('listeners', () => {
  const f = (e) => log.push(['f', e.type, e.currentTarget === et, e.eventPhase, e.target === et]);
  et.addEventListener('x', f);
  et.addEventListener('x', f);
  et.addEventListener('x', { handleEvent(e) { log.push(['obj', this !== et]); } });
  et.addEventListener('x', () => log.push('once'), { once: true });
  et.dispatchEvent(new Event('x'));
  et.dispatchEvent(new Event('x'));
  et.removeEventListener('x', f);
  et.dispatchEvent(new Event('x'));
  return log;
});
t('capture remove quirk', () => { const s = []; const g = () => s.push(1); et.addEventListener('y', g, true); et.removeEventListener('y', g, true); et.dispatchEvent(new Event('y')); et.removeEventListener('y', g, { capture: true }); et.dispatchEvent(new Event('y')); return s; });
t('stopImmediate', () => { const s = []; const t2 = new EventTarget(); t2.addEventListener('z', (e) => { s.push(1); e.stopImmediatePropagation(); }); t2.addEventListener('z', () => s.push(2)); t2.dispatchEvent(new Event('z')); return s; });
t('preventDefault', () => { const t2 = new EventTarget(); t2.addEventListener('c', (e) => e.preventDefault()); return [t2.dispatchEvent(new Event('c', { cancelable: true })), t2.dispatchEvent(new Event('c'))]; });
t('event props', () => { const e = new Event('q', { bubbles: true, cancelable: true, composed: true }); return [e.type, e.bubbles, e.cancelable, e.composed, e.isTrusted, e.defaultPrevented, e.returnValue, e.eventPhase, e.target, e.currentTarget, e.composedPath(), e.cancelBubble, typeof e.timeStamp]; });
t('event ctor null', () => new Event('x', null).type);
t('event ctor bad', () => new Event('x', 5));
t('event missing', () => new Event());
t('event this', () => Object.getOwnPropertyDescriptor(Event.prototype, 'type').get.call({}));
t('event consts', () => [Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE, Object.keys(Event.prototype)]);
t('custom event', () => [new CustomEvent('c', { detail: { a: 1 } }).detail, new CustomEvent('c').detail, new CustomEvent('c') instanceof Event]);
t('listener bad', () => et.addEventListener('x', 5));
t('dispatch bad', () => et.dispatchEvent({ type: 'x' }));
t('dispatch missing', () => et.dispatchEvent());
t('add missing', () => et.addEventListener('x'));
t('recursion', () => { const t2 = new EventTarget(); const e = new Event('r'); t2.addEventListener('r', () => t2.dispatchEvent(e)); try { t2.dispatchEvent(e); } catch (err) { return err.code; } return 'no throw'; });
t('signal option', () => { const s = []; const ac = new AbortController(); const t2 = new EventTarget(); t2.addEventListener('s', () => s.push(1), { signal: ac.signal }); t2.dispatchEvent(new Event('s')); ac.abort(); t2.dispatchEvent(new Event('s')); return s; });
t('signal option bad', () => et.addEventListener('x', () => {}, { signal: 5 }));
t('inspect event', () => util.inspect(new Event('x')).replace(/timeStamp: [\d.]+/, 'timeStamp: T'));
t('inspect target', () => util.inspect(new EventTarget()));
t('toStringTags', () => [Object.prototype.toString.call(new Event('x')), Object.prototype.toString.call(new EventTarget()), Object.prototype.toString.call(new AbortController()), Object.prototype.toString.call(new AbortController().signal)]);

// ---- abort ----
t('abort default', () => { const ac = new AbortController(); ac.abort(); return [ac.signal.aborted, ac.signal.reason.name, ac.signal.reason.message, ac.signal.reason.code, ac.signal.reason instanceof DOMException]; });
t('abort reason', () => { const ac = new AbortController(); let ev; ac.signal.onabort = (e) => { ev = [e.type, e.isTrusted]; }; ac.abort('why'); ac.abort('again'); return [ac.signal.reason, ev]; });
t('throwIfAborted', () => { const ac = new AbortController(); ac.signal.throwIfAborted(); ac.abort(new Error('boom')); ac.signal.throwIfAborted(); });
t('AbortSignal.abort', () => [AbortSignal.abort().reason.name, AbortSignal.abort(5).reason, AbortSignal.abort().aborted]);
t('AbortSignal ctor', () => new AbortSignal());
t('AbortSignal.timeout bad', () => AbortSignal.timeout(-1));
t('AbortSignal.timeout type', () => AbortSignal.timeout('1'));
t('AbortSignal.any', () => { const a = new AbortController(); const b = new AbortController(); const any = AbortSignal.any([a.signal, b.signal]); const any2 = AbortSignal.any([any]); b.abort('b'); return [any.aborted, any.reason, any2.aborted, any2.reason]; });
t('AbortSignal.any aborted', () => AbortSignal.any([AbortSignal.abort('x')]).reason);
t('AbortSignal.any bad', () => AbortSignal.any([1]));
t('AbortSignal.any notarray', () => AbortSignal.any(1));
t('inspect abort', () => [util.inspect(new AbortController()), util.inspect(AbortSignal.abort())]);
t('onabort prop', () => { const s = new AbortController().signal; const f = () => {}; s.onabort = f; return [s.onabort === f, Object.keys(Object.getPrototypeOf(s))]; });

// ---- DOMException ----
t('DOMException', () => { const e = new DOMException('m', 'AbortError'); return [e.name, e.message, e.code, e instanceof Error, Object.prototype.toString.call(e), String(e), e.stack.split('\n')[0]]; });
t('DOMException options', () => { const e = new DOMException('m', { name: 'DataCloneError', cause: 1 }); return [e.name, e.code, e.cause, Object.getOwnPropertyNames(e)]; });
t('DOMException default', () => { const e = new DOMException(); return [e.name, e.message, e.code]; });
t('DOMException codes', () => [DOMException.ABORT_ERR, DOMException.DATA_CLONE_ERR, DOMException.prototype.TIMEOUT_ERR, new DOMException('', 'SyntaxError').code, new DOMException('', 'Nope').code]);
t('DOMException this', () => Object.getOwnPropertyDescriptor(DOMException.prototype, 'name').get.call({}));
t('DOMException inspect', () => util.inspect(new DOMException('m', 'AbortError')).split('\n')[0]);

// ---- structuredClone ----
const sc = structuredClone;
t('clone basics', () => sc({ a: 1, b: 'x', c: [1, , 3], d: null, e: undefined, f: true, g: 1n, h: -0, i: NaN }));
t('clone objects', () => sc([new Date(5), /a+/gi, new Map([[1, { x: 1 }]]), new Set([1, 'a']), new String('s'), new Number(3), new Boolean(false), Object(5n)]));
t('clone cycle', () => { const o = { n: 1 }; o.self = o; o.arr = [o]; const c = sc(o); return [c.self === c, c.arr[0] === c, c !== o]; });
t('clone shared', () => { const x = {}; const c = sc([x, x]); return c[0] === c[1]; });
t('clone typed', () => { const ab = new ArrayBuffer(8); const c = sc({ a: new Uint16Array(ab, 2, 2), b: new DataView(ab), ab }); return [c.a.buffer === c.ab, c.b.buffer === c.ab, c.a.byteOffset, c.ab.byteLength]; });
t('clone buffer', () => { const c = sc(Buffer.from('hi')); return [c.constructor.name, c.length]; });
t('clone errors', () => { const e = new RangeError('r', { cause: 5 }); e.extra = 1; const c = sc(e); return [c.constructor.name, c.message, c.cause, c.extra, c.stack === e.stack]; });
t('clone error types', () => [new Error('a'), new TypeError('b'), new SyntaxError('c'), new EvalError('d'), new URIError('e'), new ReferenceError('f')].map((e) => sc(e).name));
t('clone custom error', () => { class MyErr extends Error {} const c = sc(new MyErr('m')); return [c.constructor.name, c.name, c.message]; });
t('clone class', () => { class A { constructor() { this.x = 1; } get y() { return 2; } } const c = sc(new A()); return [c.constructor.name, c.x, c.y]; });
t('clone getters', () => sc({ get a() { return 5; } }));
t('clone throwing getter', () => sc({ get a() { throw new Error('getter'); } }));
t('clone function', () => sc(() => 1));
t('clone nested function', () => sc({ f() {} }));
t('clone symbol', () => sc(Symbol('s')));
t('clone symbol key', () => sc({ [Symbol('k')]: 1, a: 2 }));
t('clone proxy', () => sc(new Proxy({}, {})));
t('clone weakmap', () => sc(new WeakMap()));
t('clone promise', () => sc(Promise.resolve()));
t('clone missing', () => sc());
t('clone options bad', () => sc(1, 5));
t('clone options null', () => sc(1, null));
t('clone transfer bad', () => sc(1, { transfer: 5 }));
t('clone transfer item', () => sc(1, { transfer: [5] }));
t('clone transfer', () => { const ab = new ArrayBuffer(4); new Uint8Array(ab)[0] = 7; const c = sc({ ab }, { transfer: [ab] }); return [ab.byteLength, c.ab.byteLength, new Uint8Array(c.ab)[0]]; });
t('clone transfer dup', () => { const ab = new ArrayBuffer(4); return sc(ab, { transfer: [ab, ab] }); });
t('clone transfer detached', () => { const ab = new ArrayBuffer(4); sc(ab, { transfer: [ab] }); return sc(ab, { transfer: [ab] }).byteLength; });
t('clone transfer not in value', () => { const ab = new ArrayBuffer(4); sc(1, { transfer: [ab] }); return ab.byteLength; });
t('clone sab', () => { const s = new SharedArrayBuffer(4); const c = sc(s); new Uint8Array(c)[0] = 9; return new Uint8Array(s)[0]; });
t('clone blob', () => sc(new Blob(['x'])));
t('clone url', () => sc(new URL('http://a')));
t('clone dom exception', () => { const c = sc(new DOMException('m', 'AbortError')); return [c instanceof DOMException, c.name, c.message, c.code]; });
t('clone sparse big', () => { const a = []; a[1000] = 1; const c = sc(a); return [c.length, 0 in c, c[1000]]; });
t('globals', () => ['Buffer', 'URL', 'URLSearchParams', 'structuredClone', 'AbortController', 'AbortSignal', 'Event', 'EventTarget', 'CustomEvent', 'atob', 'btoa', 'Blob', 'File', 'DOMException'].map((n) => [n, typeof globalThis[n], Object.getOwnPropertyDescriptor(globalThis, n).enumerable]));
t('builtin ids', () => [require('buffer') === require('node:buffer'), require('url').URL === URL, require('buffer').Buffer === Buffer, require('buffer').Blob === Blob, require('buffer').atob === atob, require('url').URLSearchParams === URLSearchParams]);

// ---- encoding and compression streams (TextEncoderStream ... DecompressionStream) ----
const pending = [];
function ta(label, fn) {
  const fail = (e) => `THROW ${e && e.name} ${e && e.code} ${e && e.message}`;
  pending.push(Promise.resolve().then(fn).then(show, fail).then((r) => out.push(`${label} => ${r}`)));
}
async function readAll(readable) {
  const reader = readable.getReader();
  const chunks = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}
// Writes `chunks` into `pair.writable` while its readable is read: the chunks read out.
function pump(pair, chunks) {
  const writer = pair.writable.getWriter();
  const reading = readAll(pair.readable);
  (async () => {
    for (const c of chunks) await writer.write(c);
    await writer.close();
  })().catch(() => {});
  return reading;
}
const bytesOf = (chunks) => [...Buffer.concat(chunks.map((c) => Buffer.from(c)))];
const textOf = (chunks) => chunks.join('|');
const streamClasses = ['TextEncoderStream', 'TextDecoderStream', 'CompressionStream', 'DecompressionStream'];
t('stream globals', () => streamClasses.map((n) => [n, typeof globalThis[n], Object.getOwnPropertyDescriptor(globalThis, n).enumerable, require('stream/web')[n] === globalThis[n]]));
t('stream prototypes', () => streamClasses.map((n) => Object.entries(Object.getOwnPropertyDescriptors(globalThis[n].prototype)).map(([k, d]) => `${k}:${d.enumerable}`)));
t('stream inspect TextEncoderStream', () => util.inspect(new TextEncoderStream()));
t('stream inspect TextDecoderStream', () => util.inspect(new TextDecoderStream('latin1', { fatal: true, ignoreBOM: true })));
t('stream inspect CompressionStream', () => util.inspect(new CompressionStream('gzip')));
t('stream inspect DecompressionStream depth 0', () => util.inspect(new DecompressionStream('deflate'), { depth: 0 }));
t('stream inspect TransformStream', () => util.inspect(new TransformStream()));
t('stream inspect locked', () => { const r = new ReadableStream(); r.getReader(); const w = new WritableStream(); w.getWriter(); return [util.inspect(r), util.inspect(w)]; });
t('stream inspect errored', () => { const r = new ReadableStream({ start(c) { c.error(new Error('x')); } }); return util.inspect(r); });
t('stream inspect custom no this', () => TextEncoderStream.prototype[util.inspect.custom].call());
t('stream bad compression format', () => new CompressionStream('br'));
t('stream bad decompression format', () => new DecompressionStream(1));
t('stream no format', () => new CompressionStream());
t('stream format object', () => new CompressionStream({ toString: () => 'gzip' }));
t('stream bad encoding', () => new TextDecoderStream('nope'));
t('stream bad decoder options', () => new TextDecoderStream(undefined, 5));
t('stream decoder encoding', () => { const d = new TextDecoderStream('UTF-16LE'); return [d.encoding, d.fatal, d.ignoreBOM]; });
t('stream getter brand', () => ['readable', 'writable'].map((k) => { try { return Reflect.get(CompressionStream.prototype, k, {}); } catch (e) { return e.name; } }));
ta('stream encode', async () => bytesOf(await pump(new TextEncoderStream(), ['h\u00e9', '', '\u20ac'])));
ta('stream encode split pair', async () => bytesOf(await pump(new TextEncoderStream(), ['a\ud83d', '\ude00b'])));
ta('stream encode lone high at end', async () => bytesOf(await pump(new TextEncoderStream(), ['x\ud800'])));
ta('stream encode lone high then text', async () => bytesOf(await pump(new TextEncoderStream(), ['\ud800', 'y'])));
ta('stream encode lone low', async () => bytesOf(await pump(new TextEncoderStream(), ['\udc00z'])));
ta('stream encode non-string', async () => bytesOf(await pump(new TextEncoderStream(), [5, null, { toString: () => 'o' }])));
ta('stream decode split', async () => textOf(await pump(new TextDecoderStream(), [new Uint8Array([0x61, 0xe2]), new Uint8Array([0x82]), new Uint8Array([0xac, 0x62])])));
ta('stream decode incomplete at end', async () => textOf(await pump(new TextDecoderStream(), [new Uint8Array([0x61, 0xe2, 0x82])])));
ta('stream decode bom', async () => textOf(await pump(new TextDecoderStream(), [new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf, 0x61])])));
ta('stream decode fatal', async () => textOf(await pump(new TextDecoderStream('utf-8', { fatal: true }), [new Uint8Array([0x61, 0xff])])));
ta('stream decode latin1', async () => textOf(await pump(new TextDecoderStream('latin1'), [new Uint8Array([0xe9, 0x80])])));
ta('stream decode arraybuffer and view', async () => textOf(await pump(new TextDecoderStream(), [new Uint8Array([0x68, 0x69]).buffer, new DataView(new Uint8Array([0x21]).buffer)])));
ta('stream decode string chunk', async () => textOf(await pump(new TextDecoderStream(), ['abc'])));
for (const format of ['gzip', 'deflate', 'deflate-raw']) {
  ta(`stream round trip ${format}`, async () => {
    const text = 'hello '.repeat(5000);
    const packed = await pump(new CompressionStream(format), [text.slice(0, 7), Buffer.from(text.slice(7))]);
    const out = await pump(new DecompressionStream(format), packed);
    return [Buffer.concat(out).toString() === text, Buffer.concat(packed).length < 1000];
  });
}
ta('stream decompress zlib gzipSync', async () => { const z = require('zlib'); return Buffer.concat(await pump(new DecompressionStream('gzip'), [z.gzipSync('abc'.repeat(1000))])).length; });
ta('stream decompress in small chunks', async () => { const z = require('zlib'); const packed = z.deflateRawSync('xyz'.repeat(300)); const parts = []; for (let i = 0; i < packed.length; i += 3) parts.push(packed.subarray(i, i + 3)); return Buffer.concat(await pump(new DecompressionStream('deflate-raw'), parts)).toString().length; });
ta('stream compress then zlib', async () => { const z = require('zlib'); return z.inflateSync(Buffer.concat(await pump(new CompressionStream('deflate'), ['data']))).toString(); });
ta('stream decompress corrupt', async () => pump(new DecompressionStream('gzip'), [new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]));
ta('stream decompress truncated', async () => { const z = require('zlib'); return pump(new DecompressionStream('gzip'), [z.gzipSync('abcdef').subarray(0, 12)]); });
ta('stream pipeThrough response body', async () => {
  const body = new Response('r\u00e9sum\u00e9 '.repeat(2000)).body.pipeThrough(new CompressionStream('gzip'));
  const text = (await readAll(body.pipeThrough(new DecompressionStream('gzip')).pipeThrough(new TextDecoderStream()))).join('');
  return [text.length, text.slice(0, 7)];
});
ta('blob stream', async () => { const chunks = await readAll(new Blob(['ab', new Uint8Array([1, 2])]).stream()); return [chunks.every((c) => c instanceof Uint8Array), bytesOf(chunks)]; });
ta('blob stream empty', async () => readAll(new Blob([]).stream()));
ta('blob stream through TextDecoderStream', async () => textOf(await readAll(new Blob(['x\u20ac'.repeat(3)]).stream().pipeThrough(new TextDecoderStream()))));
Promise.all(pending).then(() => console.log(out.join('\n')));
