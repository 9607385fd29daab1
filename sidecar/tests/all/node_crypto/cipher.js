// Cipher corpus: run under the host's Node 20 and in the sidecar; the outputs must be equal
// (sidecar/tests/all/node_crypto.rs). Deterministic keys, IVs and inputs.
const c = require('crypto');

function bytes(n, seed) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 17 + 7) & 255;
  return b;
}

function attempt(label, f) {
  try {
    console.log(label, f());
  } catch (e) {
    console.log(label, 'throws', e.name, e.code, e.message);
  }
}

const names = ['aes-128-ecb', 'aes-192-cbc', 'aes-256-cbc', 'aes-128-ctr', 'aes-256-ctr',
  'aes-128-gcm', 'aes-192-gcm', 'aes-256-gcm', 'AES-256-CBC', 'aes128', 'aes256'];
const lengths = [0, 1, 15, 16, 17, 31, 32, 100, 1000];
const splits = [1, 7, 16, 1000];

for (const name of names) {
  const info = c.getCipherInfo(name);
  console.log('info', name, JSON.stringify(info));
  const key = bytes(info.keyLength, 1);
  const iv = info.ivLength ? bytes(info.ivLength, 2) : null;
  for (const len of lengths) {
    for (const pad of [true, false]) {
      const plain = bytes(len, 3);
      attempt(`enc ${name} ${len} ${pad}`, () => {
        const e = c.createCipheriv(name, key, iv);
        e.setAutoPadding(pad);
        if (info.mode === 'gcm') e.setAAD(bytes(len % 40, 4));
        const out = Buffer.concat([e.update(plain), e.final()]);
        const tag = info.mode === 'gcm' ? e.getAuthTag().toString('hex') : '';
        for (const split of splits) {
          const d = c.createDecipheriv(name, key, iv);
          d.setAutoPadding(pad);
          if (info.mode === 'gcm') {
            d.setAAD(bytes(len % 40, 4));
            d.setAuthTag(Buffer.from(tag, 'hex'));
          }
          const parts = [];
          for (let i = 0; i < out.length; i += split) parts.push(d.update(out.subarray(i, i + split)));
          parts.push(d.final());
          if (!Buffer.concat(parts).equals(plain)) return `split ${split} differs`;
        }
        return `${out.toString('hex')} ${tag}`;
      });
    }
  }
}

// GCM: other IV lengths, short tags, wrong tags, AAD after text.
for (const ivLen of [1, 8, 12, 16, 60]) {
  attempt(`gcm iv ${ivLen}`, () => {
    const e = c.createCipheriv('aes-128-gcm', bytes(16, 5), bytes(ivLen, 6), { authTagLength: 8 });
    const out = Buffer.concat([e.update('hello gcm', 'utf8'), e.final()]);
    return `${out.toString('hex')} ${e.getAuthTag().toString('hex')}`;
  });
}
attempt('gcm wrong tag', () => {
  const e = c.createCipheriv('aes-256-gcm', bytes(32, 1), bytes(12, 2));
  const out = Buffer.concat([e.update('secret'), e.final()]);
  const tag = e.getAuthTag();
  tag[0] ^= 1;
  const d = c.createDecipheriv('aes-256-gcm', bytes(32, 1), bytes(12, 2));
  d.setAuthTag(tag);
  d.update(out);
  return d.final();
});
attempt('gcm no tag', () => {
  const d = c.createDecipheriv('aes-256-gcm', bytes(32, 1), bytes(12, 2));
  d.update(bytes(5, 1));
  return d.final();
});
attempt('gcm tag length 5', () => c.createCipheriv('aes-128-gcm', bytes(16, 1), bytes(12, 1), { authTagLength: 5 }));
attempt('gcm set tag 13 of 14', () =>
  c.createDecipheriv('aes-128-gcm', bytes(16, 1), bytes(12, 1), { authTagLength: 14 }).setAuthTag(bytes(13, 1)));
attempt('getAuthTag before final', () => c.createCipheriv('aes-128-gcm', bytes(16, 1), bytes(12, 1)).getAuthTag());
attempt('setAuthTag on cipher', () => typeof c.createCipheriv('aes-128-gcm', bytes(16, 1), bytes(12, 1)).setAuthTag);

// Errors at creation and use.
attempt('unknown', () => c.createCipheriv('aes-128-xyz', bytes(16, 1), bytes(16, 1)));
attempt('key length', () => c.createCipheriv('aes-128-cbc', bytes(15, 1), bytes(16, 1)));
attempt('iv length', () => c.createCipheriv('aes-128-cbc', bytes(16, 1), bytes(12, 1)));
attempt('iv null', () => c.createCipheriv('aes-128-cbc', bytes(16, 1), null));
attempt('ecb iv', () => c.createCipheriv('aes-128-ecb', bytes(16, 1), bytes(16, 1)));
attempt('gcm empty iv', () => c.createCipheriv('aes-128-gcm', bytes(16, 1), Buffer.alloc(0)));
attempt('cipher type', () => c.createCipheriv(5, bytes(16, 1), bytes(16, 1)));
attempt('key type', () => c.createCipheriv('aes-128-cbc', 5, bytes(16, 1)));
attempt('iv type', () => c.createCipheriv('aes-128-cbc', bytes(16, 1), 5));
attempt('string key', () => c.createCipheriv('aes-128-cbc', '0123456789abcdef', '0123456789abcdef').update('x', 'utf8', 'hex'));
attempt('bad decrypt', () => {
  const d = c.createDecipheriv('aes-128-cbc', bytes(16, 1), bytes(16, 1));
  d.update(bytes(32, 9));
  return d.final();
});
attempt('partial block', () => {
  const d = c.createDecipheriv('aes-128-cbc', bytes(16, 1), bytes(16, 1));
  d.update(bytes(20, 9));
  return d.final();
});
attempt('nopad odd', () => {
  const e = c.createCipheriv('aes-128-cbc', bytes(16, 1), bytes(16, 1)).setAutoPadding(false);
  e.update(bytes(20, 9));
  return e.final();
});
attempt('final twice', () => {
  const e = c.createCipheriv('aes-128-ctr', bytes(16, 1), bytes(16, 1));
  e.final();
  return e.final();
});
attempt('update after final', () => {
  const e = c.createCipheriv('aes-128-ctr', bytes(16, 1), bytes(16, 1));
  e.final();
  return e.update('x');
});
attempt('update type', () => c.createCipheriv('aes-128-ctr', bytes(16, 1), bytes(16, 1)).update(5));
attempt('odd hex', () => c.createCipheriv('aes-128-ctr', bytes(16, 1), bytes(16, 1)).update('abc', 'hex'));
attempt('encodings', () => {
  const e = c.createCipheriv('aes-128-cbc', bytes(16, 1), bytes(16, 1));
  return e.update('héllo wörld, this is text', 'utf8', 'base64') + e.final('base64');
});
attempt('change encoding', () => {
  const e = c.createCipheriv('aes-128-cbc', bytes(16, 1), bytes(16, 1));
  e.update('test', 'utf8', 'latin1');
  return e.final('hex');
});
attempt('unknown info', () => c.getCipherInfo('nope'));
attempt('info nid', () => JSON.stringify(c.getCipherInfo(427)));
attempt('info keyLength', () => [c.getCipherInfo('aes-128-cbc', { keyLength: 16 }) !== undefined,
  c.getCipherInfo('aes-128-cbc', { keyLength: 12 })].join());
attempt('info gcm ivLength', () => [c.getCipherInfo('aes-128-gcm', { ivLength: 16 }) !== undefined].join());
attempt('ciphers', () => ['aes-128-cbc', 'aes-256-gcm', 'aes-192-ctr'].every((n) => c.getCiphers().includes(n)));

// The stream form.
const e = c.createCipheriv('aes-256-cbc', bytes(32, 1), bytes(16, 1));
const chunks = [];
e.on('data', (d) => chunks.push(d));
e.on('end', () => console.log('stream', Buffer.concat(chunks).toString('hex')));
e.write('streamed ');
e.end('text');
