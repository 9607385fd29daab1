// Differential corpus of FormData and Body.formData(): one `label => result` line each, run in
// the sidecar and under the host's Node. Multipart boundaries are random: bodies print with the
// boundary replaced by `BOUNDARY`.
'use strict';
const util = require('util');
const out = [];
function show(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof File) return `File(${JSON.stringify(v.name)}, ${JSON.stringify(v.type)}, ${v.size})`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  return util.inspect(v, { depth: 4, breakLength: Infinity });
}
function record(label, r) {
  out.push(`${label} => ${r}`);
}
function t(label, fn) {
  try {
    record(label, show(fn()));
  } catch (e) {
    record(label, `THROW ${e && e.name} ${e && e.message}`);
  }
}
const pending = [];
function ta(label, fn) {
  pending.push(
    (async () => {
      try {
        record(label, show(await fn()));
      } catch (e) {
        record(label, `THROW ${e && e.name} ${e && e.message}`);
      }
    })(),
  );
}
function entries(fd) {
  return [...fd].map(([k, v]) => `${JSON.stringify(k)}:${show(v)}`).join(' ');
}

// ---- the object ----
t('typeof FormData', () => typeof FormData);
t('toStringTag', () => Object.prototype.toString.call(new FormData()));
t('new FormData(form) throws', () => new FormData({}) && 'no throw');
t('new FormData(undefined)', () => entries(new FormData(undefined)));
t('FormData() without new', () => FormData());
t('append with one arg', () => new FormData().append('a'));
t('append non-blob with filename', () => new FormData().append('a', 'b', 'c'));
t('get on a foreign this', () => FormData.prototype.get.call({}, 'a') && 'no throw');
t('forEach non-function', () => new FormData().forEach(5));

const names = ['a', '', 'a b', '\u20ac', 'x\ny', 'q"r', 'cr\rlf\r\n', '\ud800lone', 5, null, undefined, true];
const values = ['v', '', 'line1\nline2', 'crlf\r\n', 'lone\ud800', 7, null, undefined, {}, [1, 2]];
for (const n of names) {
  for (const v of values) {
    t(`append(${show(n)}, ${show(v)})`, () => {
      const fd = new FormData();
      fd.append(n, v);
      return entries(fd);
    });
  }
}
t('set replaces the first and drops the rest', () => {
  const fd = new FormData();
  fd.append('a', '1');
  fd.append('b', '2');
  fd.append('a', '3');
  fd.set('a', '4');
  return entries(fd);
});
t('set appends a new name', () => {
  const fd = new FormData();
  fd.set('x', 'y');
  return entries(fd);
});
t('delete removes all', () => {
  const fd = new FormData();
  fd.append('a', '1');
  fd.append('b', '2');
  fd.append('a', '3');
  fd.delete('a');
  return entries(fd);
});
t('get/getAll/has', () => {
  const fd = new FormData();
  fd.append('a', '1');
  fd.append('a', '2');
  return [fd.get('a'), fd.getAll('a'), fd.has('a'), fd.has('b'), fd.get('b'), fd.getAll('b')];
});
t('keys/values', () => {
  const fd = new FormData();
  fd.append('a', '1');
  fd.append('b', '2');
  return [[...fd.keys()], [...fd.values()]];
});
t('iterator is live', () => {
  const fd = new FormData();
  fd.append('a', '1');
  const it = fd.entries();
  const first = it.next();
  fd.append('b', '2');
  return [first.value, it.next().value, it.next().done];
});
t('iterator toStringTag', () => Object.prototype.toString.call(new FormData().entries()));
t('forEach args', () => {
  const fd = new FormData();
  fd.append('a', '1');
  const seen = [];
  fd.forEach(function (v, k, self) {
    seen.push(v, k, self === fd, this.tag);
  }, { tag: 'T' });
  return seen;
});

// ---- files ----
t('blob becomes File named blob', () => {
  const fd = new FormData();
  fd.append('f', new Blob(['abc'], { type: 'text/plain' }));
  return fd.get('f');
});
t('blob with filename', () => {
  const fd = new FormData();
  fd.append('f', new Blob(['abc']), 'name.txt');
  return fd.get('f');
});
t('file keeps its name', () => {
  const fd = new FormData();
  fd.append('f', new File(['xyz'], 'orig.bin', { type: 'application/x-y' }));
  return fd.get('f');
});
t('file renamed', () => {
  const fd = new FormData();
  const f = new File(['xyz'], 'orig.bin');
  fd.append('f', f, 'new.bin');
  return [fd.get('f'), fd.get('f') === f];
});
t('same file is kept', () => {
  const fd = new FormData();
  const f = new File(['xyz'], 'orig.bin');
  fd.append('f', f);
  return fd.get('f') === f;
});

// ---- encoding and parsing through Response ----
async function body(fd) {
  const r = new Response(fd);
  const type = r.headers.get('content-type');
  const mark = type.split('boundary=')[1];
  const text = await r.text();
  return [type.replace(mark, 'BOUNDARY'), text.split(mark).join('BOUNDARY')];
}
const encoded = [
  ['plain', [['a', '1'], ['b', 'two words']]],
  ['empty', []],
  ['newlines', [['x\ny', 'l1\nl2\rl3\r\nl4']]],
  ['quotes', [['q"uote', 'v']]],
  ['unicode', [['\u20ac', '\ud83d\ude00']]],
  ['file', [['f', new File(['file body\n'], 'a "b".txt', { type: 'text/x-test' })]]],
  ['file no type', [['f', new File([new Uint8Array([0, 1, 2, 255])], 'bin')]]],
  ['blob', [['b', new Blob(['blob'])]]],
];
for (const [label, list] of encoded) {
  ta(`encode ${label}`, () => {
    const fd = new FormData();
    for (const [k, v] of list) fd.append(k, v);
    return body(fd);
  });
  ta(`round trip ${label}`, async () => {
    const fd = new FormData();
    for (const [k, v] of list) fd.append(k, v);
    return entries(await new Response(fd).formData());
  });
}
ta('request body and type', async () => {
  const fd = new FormData();
  fd.append('k', 'v');
  const r = new Request('http://example.invalid/', { method: 'POST', body: fd });
  return [r.headers.get('content-type').split(';')[0], entries(await r.formData())];
});
ta('urlencoded parse', async () => {
  const r = new Response('a=1&b=%20x+y&a=2&%E2%82%AC=e', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return entries(await r.formData());
});
ta('urlencoded from URLSearchParams', async () =>
  entries(await new Response(new URLSearchParams('p=1&q=2')).formData()));
ta('text/plain is not form data', async () =>
  (await new Response('a=1', { headers: { 'content-type': 'text/plain' } }).formData()) && 'no throw');
ta('no content-type', async () => (await new Response('a=1').formData()) && 'no throw');
const raw = (s) =>
  new Response(s, { headers: { 'content-type': 'multipart/form-data; boundary=XyZ' } }).formData();
ta('parse hand-written multipart', async () =>
  entries(await raw('--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nhello\r\n--XyZ\r\n' +
    'Content-Disposition: form-data; name="f"; filename="f.txt"\r\nContent-Type: text/plain\r\n\r\n' +
    'file\r\ndata\r\n--XyZ--\r\n')));
ta('parse with preamble', async () =>
  entries(await raw('preamble\r\n--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--XyZ--')));
ta('parse missing close', async () =>
  (await raw('--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n')) && 'no throw');
ta('parse no name', async () =>
  (await raw('--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--')) && 'no throw');
ta('parse garbage', async () => (await raw('not multipart at all')) && 'no throw');
ta('bodyUsed after formData', async () => {
  const r = new Response(new URLSearchParams('a=1'));
  await r.formData();
  return r.bodyUsed;
});

Promise.all(pending).then(() => {
  out.sort();
  console.log(out.join('\n'));
});
