//! The `crypto` builtin and the webcrypto `crypto` global: differential against the host's
//! Node 20 over corpora (every digest, HMAC, encodings, KDFs, ciphers, asymmetric keys, errors),
//! the limits a hostile guest meets (a KDF or key generation that never ends, memory past the
//! budget, abandoned states, malformed keys), and prototype patching that must not steer the
//! runner.

use std::path::{Path, PathBuf};
use std::process::Command;

use agentos_sdk::{ErrorCode, ExecSpec, Output};

use crate::support::{beside_a_calm_exec, node, run, scratch, sidecar, stderr, stdout, typed};

/// The directory of this test's JS fixtures.
pub fn fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/all")
        .join(name)
}

/// Runs `args` under the host's Node (the reference); panics if it is missing or fails.
pub fn host_node(args: &[&str]) -> String {
    let out = Command::new("node")
        .args(args)
        .output()
        .expect("the differential tests need the host's `node` (Node 20) on PATH");
    assert!(
        out.status.success(),
        "host node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The lines where `ours` differs from `theirs`, at most 20, for a readable failure.
pub fn differences(theirs: &str, ours: &str) -> Vec<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (theirs.lines().collect(), ours.lines().collect());
    let mut diffs = Vec::new();
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).copied(), b.get(i).copied());
        if x != y {
            diffs.push(format!("node: {x:?}\nours: {y:?}"));
        }
    }
    diffs.truncate(20);
    diffs
}

pub(crate) fn ok(out: &Output) -> String {
    assert_eq!(out.status.code, 0, "stderr: {}", stderr(out));
    stdout(out)
}

/// Runs fixture `file` of `tests/all/<dir>` with the host's Node and in a guest, and checks the
/// outputs match line by line (and that the host's has more than `min_lines` lines).
pub async fn fixture_matches_host_node(dir: &str, file: &str, min_lines: usize) {
    let dir = fixtures(dir);
    let theirs = host_node(&[dir.join(file).to_str().unwrap()]);
    let sc = sidecar().await;
    let spec = ExecSpec::new(["node", &format!("/t/{file}")]).dir_ro(dir.to_str().unwrap(), "/t");
    let ours = ok(&run(&sc, spec).await);
    assert!(
        theirs.lines().count() > min_lines,
        "the fixture shrank: {theirs}"
    );
    let diffs = differences(&theirs, &ours);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[tokio::test]
async fn crypto_matches_host_node_on_the_corpus() {
    fixture_matches_host_node("node_crypto", "corpus.js", 3000).await;
}

#[tokio::test]
async fn pbkdf2_sync_with_two_billion_iterations_ends_at_the_timeout() {
    let sc = sidecar().await;
    let code = "require('crypto').pbkdf2Sync('pw', 'salt', 2 ** 31 - 1, 64, 'sha512')";
    let out = run(&sc, node(code).timeout_ms(500)).await;
    let error = out.status.error.expect("typed error");
    assert_eq!(error.code, ErrorCode::Timeout, "{}", error.message);
}

#[tokio::test]
async fn async_scrypt_counts_against_the_cpu_limit() {
    let sc = sidecar().await;
    let code = "require('crypto').scrypt('pw', 'salt', 64, { N: 16384, r: 8, p: 1000 }, () => {})";
    let out = run(&sc, node(code).cpu_ms(300).timeout_ms(30_000)).await;
    let error = out.status.error.expect("typed error");
    assert_eq!(error.code, ErrorCode::CpuLimit, "{}", error.message);
}

#[tokio::test]
async fn async_pbkdf2_leaves_room_for_timers_and_matches_sync() {
    let sc = sidecar().await;
    let code = "const c = require('crypto'); let ticks = 0; const t = setInterval(() => ticks++, 1);\
        c.pbkdf2('pw', 'salt', 200000, 32, 'sha256', (err, key) => { clearInterval(t);\
        const same = c.pbkdf2Sync('pw', 'salt', 200000, 32, 'sha256');\
        console.log(err, ticks > 0, c.timingSafeEqual(key, same)); });";
    assert_eq!(ok(&run(&sc, node(code)).await), "null true true\n");
}

#[tokio::test]
async fn scrypt_memory_past_the_heap_budget_is_a_range_error() {
    let sc = sidecar().await;
    let code = "try { require('crypto').scryptSync('pw', 'salt', 16, { N: 2 ** 20, r: 8, maxmem: 2 ** 40 }) }\
        catch (e) { console.log(e.name, e.message) }";
    let out = run(&sc, node(code).heap_mb(64)).await;
    assert_eq!(ok(&out), "RangeError Array buffer allocation failed\n");
}

#[tokio::test]
async fn an_xof_output_past_the_budget_is_a_range_error() {
    let sc = sidecar().await;
    let code = "try { require('crypto').createHash('shake256', { outputLength: 2 ** 32 - 1 }).digest() }\
        catch (e) { console.log(e.name, e.message) }";
    let out = run(&sc, node(code).heap_mb(64)).await;
    assert_eq!(ok(&out), "RangeError Array buffer allocation failed\n");
}

#[tokio::test]
async fn abandoned_hashes_are_freed_after_collection() {
    // 200 000 live states would be charged ~200 MB: more than the 32 MB budget, so this only
    // finishes if the states of dropped hashes are freed.
    let sc = sidecar().await;
    let code = "const c = require('crypto'); let n = 0;\
        for (let i = 0; i < 200000; i++) { c.createHash('sha256').update('x'); c.createHmac('md5', 'k'); n++; }\
        console.log(n, c.createHash('sha1').update('done').digest('hex').length)";
    assert_eq!(ok(&run(&sc, node(code).heap_mb(32)).await), "200000 40\n");
}

#[tokio::test]
async fn patched_prototypes_do_not_steer_the_builtin() {
    let sc = sidecar().await;
    let code = "Array.prototype.push = () => { throw new Error('push') };\
        Object.defineProperty(Object.prototype, 'handle', { set() { throw new Error('set') } });\
        Uint8Array.prototype.set = () => { throw new Error('u8set') };\
        Object.defineProperty(Uint8Array.prototype, 'length', { get() { return 3 } });\
        Function.prototype.call = () => { throw new Error('call') };\
        globalThis.Uint8Array = function () { throw new Error('ctor') };\
        Array.prototype[Symbol.iterator] = function* () { throw new Error('iter') };\
        const c = require('crypto'); const z = require('zlib');\
        const h = c.createHash('sha256').update('abc').digest('hex');\
        const r = z.inflateSync(z.deflateSync('x'.repeat(100000))).byteLength;\
        console.log(h.slice(0, 8), r, c.getHashes().length > 40, c.pbkdf2Sync('a', 'b', 2, 4, 'sha1').byteLength)";
    assert_eq!(ok(&run(&sc, node(code)).await), "ba7816bf 100000 true 4\n");
}

#[tokio::test]
async fn unsupported_apis_throw_a_clear_error_naming_them() {
    let sc = sidecar().await;
    let code = "for (const f of ['setEngine', 'Cipher', 'Decipher']) {\
        try { require('crypto')[f]() } catch (e) { console.log(e.code, e.message) } }";
    let out = ok(&run(&sc, node(code)).await);
    assert!(out.starts_with(
        "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM The feature crypto.setEngine is unavailable"
    ));
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(out.contains("crypto.Decipher"), "{out}");
}

#[tokio::test]
async fn asymmetric_keys_match_host_node() {
    // Seven key types through every import and export format, JWK, deterministic signatures
    // byte for byte, randomized ones verified, RSA encryption, X25519, and 20 error cases.
    fixture_matches_host_node("node_crypto", "keys.js", 300).await;
}

#[tokio::test]
async fn hostile_key_input_gets_typed_errors_beside_a_calm_exec() {
    // Garbage and truncated DER, a DER length claiming 4 GiB, nested SEQUENCEs 100 000 deep, a
    // PEM of 8 MiB, an RSA modulus past the generation limit, an exponent of one.
    let sc = sidecar().await;
    let code = "const c = require('crypto'); const r = [];\
        const der = (b) => ({ key: Buffer.from(b), format: 'der', type: 'pkcs8' });\
        const nest = Buffer.concat([Buffer.alloc(200000, 0x30).fill(Buffer.from([0x30, 0x80]))]);\
        const inputs = [der([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02]), der(nest), der(c.randomBytes(4096)),\
          '-----BEGIN PRIVATE KEY-----\\n' + 'A'.repeat(8 << 20) + '\\n-----END PRIVATE KEY-----\\n'];\
        for (const k of inputs) { try { c.createPrivateKey(k); r.push('parsed') } catch (e) { r.push(e.code) } }\
        for (const o of [{ modulusLength: 1 << 20 }, { modulusLength: 1024, publicExponent: 1 }]) {\
          try { c.generateKeyPairSync('rsa', o); r.push('made') } catch (e) { r.push(e.code) } }\
        console.log(r.join(' '))";
    let out = beside_a_calm_exec(&sc, node(code).heap_mb(128)).await;
    assert_eq!(
        ok(&out),
        "ERR_OSSL_UNSUPPORTED ERR_OSSL_UNSUPPORTED ERR_OSSL_UNSUPPORTED ERR_OSSL_UNSUPPORTED \
         ERR_INVALID_ARG_VALUE ERR_CRYPTO_OPERATION_FAILED\n"
    );
}

#[tokio::test]
async fn key_generation_in_a_loop_ends_at_the_timeout() {
    // Generation is native and runs to its end; the watchdog ends the exec at the next one.
    let sc = sidecar().await;
    let code = "for (;;) require('crypto').generateKeyPairSync('rsa', { modulusLength: 2048 })";
    let out = run(&sc, node(code).timeout_ms(1000)).await;
    let error = out.status.error.expect("typed error");
    assert_eq!(error.code, ErrorCode::Timeout, "{}", error.message);
}

#[tokio::test]
async fn the_crypto_global_is_webcrypto() {
    // From a file: under `node -e`, Node's `crypto` names the module, as every builtin does.
    let dir = scratch("crypto-global");
    std::fs::write(
        dir.join("main.js"),
        "const d = Object.getOwnPropertyDescriptor(globalThis, 'crypto');\n\
         console.log(typeof d.get, d.enumerable, crypto === require('node:crypto').webcrypto,\n\
           crypto instanceof Crypto, crypto.subtle instanceof SubtleCrypto);\n\
         crypto.subtle.digest({ name: 'sha-512' }, new Uint8Array(3)).then((b) => console.log(b.byteLength));\n\
         crypto.subtle.digest('MD5', new Uint8Array(3)).catch((e) => console.log(e.name, e.message));\n",
    )
    .unwrap();
    let sc = sidecar().await;
    let spec = ExecSpec::new(["node", "/app/main.js"]).dir_ro(dir.to_str().unwrap(), "/app");
    assert_eq!(
        ok(&run(&sc, spec).await),
        "function true true true true\n64\nNotSupportedError Unrecognized algorithm name\n"
    );
}

#[tokio::test]
async fn subtle_hmac_keys_sign_verify_and_export() {
    let sc = sidecar().await;
    let code = "(async () => { const s = crypto.subtle; const enc = new TextEncoder();\
        const k = await s.importKey('raw', enc.encode('key'), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign', 'verify']);\
        const sig = new Uint8Array(await s.sign('HMAC', k, enc.encode('data')));\
        const node = require('crypto').createHmac('sha256', 'key').update('data').digest('hex');\
        const hex = Array.from(sig, (b) => b.toString(16).padStart(2, '0')).join('');\
        const raw = new Uint8Array(await s.exportKey('raw', k));\
        const g = await s.generateKey({ name: 'HMAC', hash: 'SHA-512' }, false, ['sign']);\
        console.log(hex === node, await s.verify('HMAC', k, sig, enc.encode('data')),\
          await s.verify('HMAC', k, sig, enc.encode('other')), raw.length, g.algorithm.length, k.type,\
          await s.verify('HMAC', g, sig, enc.encode('data')).catch((e) => e.name)); })()";
    assert_eq!(
        ok(&run(&sc, node(code)).await),
        "true true false 3 1024 secret InvalidAccessError\n"
    );
}

#[tokio::test]
async fn ciphers_match_host_node() {
    // AES ECB/CBC/CTR/GCM over 9 lengths, with and without padding, split 4 ways on decryption,
    // GCM with AAD, short tags and odd IV lengths, 30 error cases, getCipherInfo, the stream form.
    fixture_matches_host_node("node_crypto", "cipher.js", 240).await;
}

#[tokio::test]
async fn hashes_are_streams_on_first_stream_use() {
    let sc = sidecar().await;
    let code = "const c = require('crypto'); const h = c.createHash('sha256');\
        h.on('readable', () => { const d = h.read(); if (d) console.log(d.toString('hex').slice(0, 16)) });\
        h.write('ab'); h.end('c');";
    assert_eq!(ok(&run(&sc, node(code)).await), "ba7816bf8f01cfea\n");
}

#[tokio::test]
async fn a_hash_has_every_transform_member_before_stream_loads() {
    // crypto does not load the stream builtins; a hash stands in for a Transform until they
    // load, and is one after. A member the stand-in lacks is listed.
    let sc = sidecar().await;
    let code = "const c = require('crypto'); const h = c.createHash('sha256');\
        const had = new Set();\
        for (let p = Object.getPrototypeOf(h); p; p = Object.getPrototypeOf(p)) for (const k of Reflect.ownKeys(p)) had.add(k);\
        const { Transform } = require('stream'); const EE = require('events'); const missing = [];\
        for (let p = Transform.prototype; p !== EE.prototype; p = Object.getPrototypeOf(p))\
          for (const k of Reflect.ownKeys(p)) if (!had.has(k)) missing.push(String(k));\
        console.log(JSON.stringify(missing), h instanceof Transform, Object.getPrototypeOf(c.Hash.prototype) === Object.getPrototypeOf(c.Hmac.prototype));";
    assert_eq!(ok(&run(&sc, node(code)).await), "[] true true\n");
}

#[tokio::test]
async fn hostile_cipher_use_gets_errors_not_crashes() {
    // An output past the heap budget, a method on a foreign object, a 16 MiB GCM IV.
    let sc = sidecar().await;
    let code = "const c = require('crypto'); const r = [];\
        const e = c.createCipheriv('aes-128-ctr', Buffer.alloc(16), Buffer.alloc(16));\
        try { e.update(Buffer.alloc(40 << 20)); r.push('fit') } catch (x) { r.push(x.name) }\
        try { c.Cipheriv.prototype.update.call({}, 'x') } catch (x) { r.push(x.name) }\
        const g = c.createCipheriv('aes-128-gcm', Buffer.alloc(16), Buffer.alloc(16 << 20));\
        g.update('x'); g.final(); r.push(g.getAuthTag().length);\
        console.log(r.join(' '))";
    let out = run(&sc, node(code).heap_mb(64)).await;
    assert_eq!(ok(&out), "RangeError TypeError 16\n");
}

#[tokio::test]
async fn web_crypto_secret_key_algorithms_match_host_node() {
    // AES-GCM/CBC/CTR with every key size over 6 lengths, JWK export and import, GCM tag
    // lengths and tampering, PBKDF2 and HKDF bits and keys, and 25 error and hostile cases.
    fixture_matches_host_node("node_crypto", "webcrypto_secret.js", 100).await;
}

#[tokio::test]
async fn web_crypto_asymmetric_algorithms_match_host_node() {
    // ECDSA, Ed25519, RSASSA-PKCS1-v1_5, RSA-PSS, RSA-OAEP, ECDH and X25519 over fixed keys:
    // every import and export format, deterministic signatures and agreements, round trips of
    // the randomized ones, generated keys' shapes, and 11 error cases.
    fixture_matches_host_node("node_crypto", "webcrypto_keys.js", 55).await;
}

#[tokio::test]
async fn ed448_x448_and_aes_kw_match_host_node() {
    // RFC 8032, 7748 and 3394 vectors through Web Crypto and node:crypto: signatures, agreements
    // and wraps byte for byte, every import and export format, tampered wraps, and 16 errors.
    fixture_matches_host_node("node_crypto", "webcrypto_448_kw.js", 60).await;
}

#[tokio::test]
async fn ecdh_matches_host_node() {
    // createECDH/ECDH on the four curves: fixed scalars' points in three formats, secrets,
    // convertKey, generated keys agreeing both ways, and 25 errors (bad points, scalars, names).
    fixture_matches_host_node("node_crypto", "ecdh.js", 60).await;
}

#[tokio::test]
async fn classic_dh_matches_host_node() {
    // createDiffieHellman/getDiffieHellman: the eight MODP groups, fixed private keys' public keys
    // and secrets, generated 512-bit primes (safe, 23 mod 24 or 59 mod 60), verifyError for bad
    // primes and generators, and Node's errors.
    fixture_matches_host_node("node_crypto", "dh.js", 50).await;
}

#[tokio::test]
async fn generate_and_check_prime_match_host_node() {
    // generatePrime(Sync)/checkPrime(Sync): sizes, safe primes, add/rem, bigint and ArrayBuffer
    // results, fixed candidates (Carmichael 561, Mersenne primes) and Node's errors.
    fixture_matches_host_node("node_crypto", "prime.js", 40).await;
}

#[tokio::test]
async fn a_safe_prime_search_ends_at_the_timeout_and_a_huge_candidate_is_refused() {
    let sc = sidecar().await;
    let spec = node("require('crypto').generatePrimeSync(16384, { safe: true })").timeout_ms(1_000);
    let out = beside_a_calm_exec(&sc, spec).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::Timeout, "{message}");
    // A 1 MiB candidate would hold the isolate for hours in one native call: refused at once.
    let code = "try { require('crypto').checkPrimeSync(Buffer.alloc(1 << 20, 1)) }
        catch (e) { console.log(e.code) }";
    assert_eq!(
        ok(&run(&sc, node(code).timeout_ms(5_000)).await),
        "ERR_OSSL_BN_BIGNUM_TOO_LONG\n"
    );
}

#[tokio::test]
async fn a_megabyte_dh_private_key_or_generator_is_refused_at_once() {
    // Each would be one native exponentiation running for hours.
    let code = "const c = require('crypto');
        const p = c.getDiffieHellman('modp2').getPrime();
        const tries = [
          () => c.createDiffieHellman(p).setPrivateKey(Buffer.alloc(1 << 20, 1)).generateKeys(),
          () => c.createDiffieHellman(p, Buffer.alloc(1 << 20, 1)).generateKeys(),
          () => c.createDiffieHellman(p).setPrivateKey(Buffer.alloc(1 << 20, 1)).computeSecret(Buffer.from([5])),
        ];
        for (const t of tries) { try { t(); console.log('computed') } catch (e) { console.log(e.name, e.code) } }";
    let out = ok(&run(&sidecar().await, node(code).timeout_ms(5_000)).await);
    assert_eq!(out, "RangeError ERR_OUT_OF_RANGE\n".repeat(3));
}

#[tokio::test]
async fn a_huge_dh_prime_search_ends_at_the_timeout_beside_a_calm_exec() {
    // A 10 000-bit safe prime takes hours: the search runs in slices, so the timeout ends it.
    let spec = node("require('crypto').createDiffieHellman(10000)").timeout_ms(1_000);
    let out = beside_a_calm_exec(&sidecar().await, spec).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::Timeout, "{message}");
}

#[tokio::test]
async fn hostile_ecdh_input_gets_typed_errors_beside_a_calm_exec() {
    // A 64 MiB "point", 10 000 random ones, a 64 MiB scalar, and 64 MiB to convert.
    let sc = sidecar().await;
    let code = "const c = require('crypto'); const e = c.createECDH('secp521r1'); e.generateKeys();\
        const r = new Set(); const big = Buffer.alloc(64 << 20, 4);\
        const tries = [() => e.computeSecret(big), () => c.createECDH('prime256v1').setPrivateKey(big),\
          () => c.ECDH.convertKey(big, 'secp256k1')];\
        for (let i = 0; i < 10000; i++) tries.push(() => e.computeSecret(c.randomBytes(133)));\
        for (const t of tries) { try { t(); r.add('ok') } catch (x) { r.add(x.code) } }\
        console.log([...r].join(' '))";
    let out = beside_a_calm_exec(&sc, node(code).heap_mb(256)).await;
    assert_eq!(
        ok(&out),
        "ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY ERR_CRYPTO_INVALID_KEYTYPE ERR_CRYPTO_OPERATION_FAILED\n"
    );
}

#[tokio::test]
async fn an_ed448_signing_loop_ends_at_the_cpu_limit_beside_a_calm_exec() {
    let code = "(async () => {
        const k = await crypto.subtle.generateKey('Ed448', false, ['sign', 'verify']);
        for (;;) await crypto.subtle.sign('Ed448', k.privateKey, new Uint8Array(64));
      })();";
    let spec = node(code).cpu_ms(300).timeout_ms(30_000);
    let out = beside_a_calm_exec(&sidecar().await, spec).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::CpuLimit, "{message}");
}

#[tokio::test]
async fn web_crypto_works_for_a_guest_that_patched_the_builtins_first() {
    let dir = fixtures("node_crypto");
    let spec =
        ExecSpec::new(["node", "/t/webcrypto_patched.js"]).dir_ro(dir.to_str().unwrap(), "/t");
    let out = ok(&run(&sidecar().await, spec).await);
    assert_eq!(out, "21 5 true key_ops,ext,kty,x,y,crv 8\n");
}

#[tokio::test]
async fn deriving_more_bits_than_the_heap_holds_is_a_memory_limit_beside_a_calm_exec() {
    // -8 is 4 294 967 288 bits as WebIDL converts it: half a gigabyte, past a 64 MiB heap.
    let code = "(async () => {
        const k = await crypto.subtle.importKey('raw', new Uint8Array(4), 'PBKDF2', false, ['deriveBits']);
        const p = { name: 'PBKDF2', salt: new Uint8Array(1), iterations: 1, hash: 'SHA-256' };
        await crypto.subtle.deriveBits(p, k, -8);
      })();";
    let out = beside_a_calm_exec(&sidecar().await, node(code).heap_mb(64)).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{message}");
}
