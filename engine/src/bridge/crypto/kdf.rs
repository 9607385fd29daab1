//! PBKDF2 and scrypt as resumable jobs: each [`Job::step`] works until a deadline and returns,
//! so the runner can call it again (sync forms: in a loop; async forms: from the event loop).
//! Between steps JS runs, so a kill, a timeout or a CPU limit ends even `pbkdf2Sync` with 2^31
//! iterations within one step, and async forms leave room for timers and I/O.
//!
//! The rounds are RustCrypto's (HMAC from `hmac`, the Salsa20/8 core from `salsa20`); only the
//! outer loops of RFC 8018 (PBKDF2) and RFC 7914 (scrypt's BlockMix/ROMix) are written here,
//! because the `pbkdf2` and `scrypt` crates run a whole derivation in one call that nothing can
//! interrupt. Known-answer tests below pin both to their RFCs' vectors.

use std::time::Instant;

use salsa20::SalsaCore;
use salsa20::cipher::StreamCipherCore;
use salsa20::cipher::typenum::U4;

use super::hash::{Algorithm, Hasher};

/// A key derivation in progress.
pub trait Job {
    /// Works until `deadline`; writes the key into `out` and returns true when done.
    fn step(&mut self, out: &mut [u8], deadline: Instant) -> bool;
}

/// Iterations between clock reads.
const CHECK_EVERY: u32 = 256;

/// PBKDF2 with HMAC over one of our digests.
pub struct Pbkdf2 {
    prf: Box<dyn Hasher>,
    hlen: usize,
    salt: Vec<u8>,
    iterations: u32,
    /// 1-based index of the block being computed.
    block: u32,
    done: u32,
    u: Vec<u8>,
    t: Vec<u8>,
}

impl Pbkdf2 {
    /// A job for `algorithm` (`None` when it has no HMAC).
    pub fn new(
        algorithm: Algorithm,
        password: &[u8],
        salt: &[u8],
        iterations: u32,
    ) -> Option<Self> {
        Some(Self {
            prf: algorithm.hmac(password)?,
            hlen: algorithm.output_len(),
            salt: salt.to_vec(),
            iterations: iterations.max(1),
            block: 1,
            done: 0,
            u: Vec::new(),
            t: Vec::new(),
        })
    }

    /// The whole derivation at once (scrypt's two single-iteration PBKDF2 calls).
    pub fn derive(mut self, out: &mut [u8]) {
        while !self.step(out, far_future()) {}
    }
}

fn far_future() -> Instant {
    Instant::now() + std::time::Duration::from_secs(86_400)
}

impl Job for Pbkdf2 {
    fn step(&mut self, out: &mut [u8], deadline: Instant) -> bool {
        loop {
            let start = (self.block as usize - 1) * self.hlen;
            if start >= out.len() {
                return true;
            }
            if self.done == 0 {
                self.prf.feed(&self.salt);
                self.prf.feed(&self.block.to_be_bytes());
                self.u = self.prf.finish();
                self.t.clone_from(&self.u);
                self.done = 1;
            }
            let mut since_check = 0;
            while self.done < self.iterations {
                self.prf.feed(&self.u);
                self.u = self.prf.finish();
                for (t, u) in self.t.iter_mut().zip(&self.u) {
                    *t ^= u;
                }
                self.done += 1;
                since_check += 1;
                if since_check == CHECK_EVERY {
                    since_check = 0;
                    if Instant::now() >= deadline {
                        return false;
                    }
                }
            }
            let end = (start + self.hlen).min(out.len());
            out[start..end].copy_from_slice(&self.t[..end - start]);
            self.block += 1;
            self.done = 0;
            if end == out.len() {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
        }
    }
}

/// Why scrypt refuses its parameters (Node: `ERR_CRYPTO_INVALID_SCRYPT_PARAMS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScryptRefusal {
    /// N not a power of two above 1, or r or p zero.
    Invalid,
    /// The memory the parameters need exceeds `maxmem` (or any representable size).
    MemoryLimit,
}

/// scrypt's memory in bytes for (N, r, p) under `maxmem`, with OpenSSL's checks and order.
pub fn scrypt_memory(n: u64, r: u64, p: u64, maxmem: u64) -> Result<u64, ScryptRefusal> {
    const PR_MAX: u64 = (1 << 30) - 1;
    if r == 0 || p == 0 || n < 2 || n & (n - 1) != 0 {
        return Err(ScryptRefusal::Invalid);
    }
    if p > PR_MAX / r {
        return Err(ScryptRefusal::MemoryLimit);
    }
    if 16 * r <= 63 && n >= 1u64 << (16 * r) {
        return Err(ScryptRefusal::MemoryLimit);
    }
    let b_len = p * 128 * r;
    if b_len > i32::MAX as u64 {
        return Err(ScryptRefusal::MemoryLimit);
    }
    if n + 2 > (u64::MAX / 128) / r {
        return Err(ScryptRefusal::MemoryLimit);
    }
    let v_len = 128 * r * (n + 2);
    let maxmem = if maxmem == 0 { 32 << 20 } else { maxmem };
    match b_len.checked_add(v_len) {
        Some(total) if total <= maxmem => Ok(total),
        _ => Err(ScryptRefusal::MemoryLimit),
    }
}

/// scrypt (RFC 7914), one lane of ROMix at a time.
pub struct Scrypt {
    password: Vec<u8>,
    salt: Vec<u8>,
    n: usize,
    r: usize,
    p: usize,
    b: Vec<u8>,
    v: Vec<u8>,
    x: Vec<u8>,
    lane: usize,
    /// Position in the lane: 0..n fills V, n..2n mixes.
    i: usize,
}

impl Scrypt {
    /// A job for parameters already checked by [`scrypt_memory`]. Its memory is allocated by
    /// the first step (after the caller charged it to the exec's budget).
    pub fn new(password: &[u8], salt: &[u8], n: usize, r: usize, p: usize) -> Self {
        Self {
            password: password.to_vec(),
            salt: salt.to_vec(),
            n,
            r,
            p,
            b: Vec::new(),
            v: Vec::new(),
            x: Vec::new(),
            lane: 0,
            i: 0,
        }
    }

    fn start(&mut self) {
        self.b = vec![0; self.p * 128 * self.r];
        if let Some(pre) = Pbkdf2::new(Algorithm::Sha256, &self.password, &self.salt, 1) {
            pre.derive(&mut self.b);
        }
        self.v = vec![0; 128 * self.r * self.n];
        self.x = vec![0; 128 * self.r];
    }

    /// Bytes this job holds (charged to the exec's budget).
    pub fn footprint(n: usize, r: usize, p: usize) -> usize {
        128 * r * (n + 2) + 128 * r * p
    }

    fn integerify(&self) -> usize {
        let tail = &self.x[(2 * self.r - 1) * 64..];
        let low = u64::from_le_bytes([
            tail[0], tail[1], tail[2], tail[3], tail[4], tail[5], tail[6], tail[7],
        ]);
        (low & (self.n as u64 - 1)) as usize
    }
}

impl Job for Scrypt {
    fn step(&mut self, out: &mut [u8], deadline: Instant) -> bool {
        if self.b.is_empty() {
            self.start();
        }
        let len = 128 * self.r;
        let mut scratch = vec![0; len];
        let mut since_check = 0;
        while self.lane < self.p {
            if self.i == 0 {
                let lane = &self.b[self.lane * len..(self.lane + 1) * len];
                self.x.copy_from_slice(lane);
            }
            while self.i < 2 * self.n {
                if self.i < self.n {
                    self.v[self.i * len..(self.i + 1) * len].copy_from_slice(&self.x);
                } else {
                    let j = self.integerify();
                    for (x, v) in self.x.iter_mut().zip(&self.v[j * len..(j + 1) * len]) {
                        *x ^= v;
                    }
                }
                block_mix(&self.x, &mut scratch);
                std::mem::swap(&mut self.x, &mut scratch);
                self.i += 1;
                since_check += 1;
                if since_check == CHECK_EVERY {
                    since_check = 0;
                    if Instant::now() >= deadline {
                        return false;
                    }
                }
            }
            self.b[self.lane * len..(self.lane + 1) * len].copy_from_slice(&self.x);
            self.lane += 1;
            self.i = 0;
        }
        if let Some(post) = Pbkdf2::new(Algorithm::Sha256, &self.password, &self.b, 1) {
            post.derive(out);
        }
        true
    }
}

/// scrypt's BlockMix over Salsa20/8 (the core from the `salsa20` crate).
fn block_mix(input: &[u8], output: &mut [u8]) {
    let mut x = [0u8; 64];
    x.copy_from_slice(&input[input.len() - 64..]);
    let half = input.len() / 2;
    for (i, chunk) in input.chunks_exact(64).enumerate() {
        let mut state = [0u32; 16];
        for (k, word) in state.iter_mut().enumerate() {
            let at = 4 * k;
            *word = u32::from_le_bytes([
                x[at] ^ chunk[at],
                x[at + 1] ^ chunk[at + 1],
                x[at + 2] ^ chunk[at + 2],
                x[at + 3] ^ chunk[at + 3],
            ]);
        }
        SalsaCore::<U4>::from_raw_state(state).write_keystream_block((&mut x).into());
        let at = (i / 2) * 64 + if i % 2 == 1 { half } else { 0 };
        output[at..at + 64].copy_from_slice(&x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    fn run(job: &mut dyn Job, out: &mut [u8]) -> usize {
        let mut steps = 1;
        while !job.step(out, Instant::now()) {
            steps += 1;
        }
        steps
    }

    #[test]
    fn pbkdf2_matches_rfc6070_even_when_stepped() {
        let mut out = [0u8; 25];
        let mut job = Pbkdf2::new(
            Algorithm::Sha1,
            b"passwordPASSWORDpassword",
            b"saltSALTsaltSALTsaltSALTsaltSALTsalt",
            4096,
        )
        .expect("sha1 has an hmac");
        assert!(
            run(&mut job, &mut out) > 1,
            "a past deadline forces many steps"
        );
        assert_eq!(
            hex(&out),
            "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"
        );
        let mut one = [0u8; 20];
        Pbkdf2::new(Algorithm::Sha1, b"password", b"salt", 1)
            .expect("hmac")
            .derive(&mut one);
        assert_eq!(hex(&one), "0c60c80f961f0e71f3a9b524af6012062fe037a6");
    }

    #[test]
    fn scrypt_matches_rfc7914() {
        let mut out = [0u8; 64];
        let mut job = Scrypt::new(b"password", b"NaCl", 1024, 8, 16);
        assert!(run(&mut job, &mut out) > 1);
        assert_eq!(
            hex(&out),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a388\
             6ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        );
        let mut empty = [0u8; 64];
        Scrypt::new(b"", b"", 16, 1, 1).step(&mut empty, far_future());
        assert_eq!(
            hex(&empty),
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8\
             326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
        );
    }

    #[test]
    fn scrypt_parameters_are_checked_as_openssl_does() {
        assert_eq!(scrypt_memory(3, 8, 1, 0), Err(ScryptRefusal::Invalid));
        assert_eq!(scrypt_memory(1, 8, 1, 0), Err(ScryptRefusal::Invalid));
        assert_eq!(
            scrypt_memory(16384, 8, 1, 1024),
            Err(ScryptRefusal::MemoryLimit)
        );
        assert_eq!(
            scrypt_memory(1 << 17, 1, 1, 0),
            Err(ScryptRefusal::MemoryLimit)
        );
        assert_eq!(
            scrypt_memory(16384, 8, 1 << 28, 0),
            Err(ScryptRefusal::MemoryLimit)
        );
        assert!(scrypt_memory(16384, 8, 1, 0).is_ok());
    }
}
