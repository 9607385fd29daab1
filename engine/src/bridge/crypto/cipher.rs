//! Symmetric ciphers as Node's `Cipheriv`/`Decipheriv` drive them: `update` returns what can be
//! produced so far, `finish` the rest (padding checked), with GCM's AAD and tags. AES is the
//! `aes` crate; ECB and CBC (a xor per block) run here over it, whole blocks only with the tail
//! kept, as OpenSSL's EVP layer keeps it (the `cbc` crate wants the same buffering around it and
//! adds nothing for this); CTR is the `ctr` crate. GCM is `ctr` (32-bit counter)
//! plus `ghash` here rather than `aes-gcm`, because `aes-gcm` encrypts a whole message in one
//! call and accepts only 12..16-byte tags and 12-byte nonces, where Node streams and allows
//! 4..16-byte tags and any nonce length.

use aes::cipher::{BlockEncrypt, KeyInit, KeyIvInit, StreamCipher, generic_array::GenericArray};
use ghash::GHash;
use ghash::universal_hash::UniversalHash;
use subtle::ConstantTimeEq;

const BLOCK: usize = 16;

/// The block cipher's key size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySize {
    Aes128,
    Aes192,
    Aes256,
}

/// The mode of operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Ecb,
    Cbc,
    Ctr,
    Gcm,
}

/// A cipher Node knows by name: what `getCipherInfo` reports.
#[derive(Debug, Clone, Copy)]
pub struct Info {
    pub name: &'static str,
    pub nid: u32,
    pub key: KeySize,
    pub mode: Mode,
}

/// Every cipher we provide, in `getCiphers()` order (sorted, as Node's).
pub const CIPHERS: &[Info] = &[
    info("aes-128-cbc", 419, KeySize::Aes128, Mode::Cbc),
    info("aes-128-ctr", 904, KeySize::Aes128, Mode::Ctr),
    info("aes-128-ecb", 418, KeySize::Aes128, Mode::Ecb),
    info("aes-128-gcm", 895, KeySize::Aes128, Mode::Gcm),
    info("aes-192-cbc", 423, KeySize::Aes192, Mode::Cbc),
    info("aes-192-ctr", 905, KeySize::Aes192, Mode::Ctr),
    info("aes-192-ecb", 422, KeySize::Aes192, Mode::Ecb),
    info("aes-192-gcm", 898, KeySize::Aes192, Mode::Gcm),
    info("aes-256-cbc", 427, KeySize::Aes256, Mode::Cbc),
    info("aes-256-ctr", 906, KeySize::Aes256, Mode::Ctr),
    info("aes-256-ecb", 426, KeySize::Aes256, Mode::Ecb),
    info("aes-256-gcm", 901, KeySize::Aes256, Mode::Gcm),
    info("aes128", 419, KeySize::Aes128, Mode::Cbc),
    info("aes192", 423, KeySize::Aes192, Mode::Cbc),
    info("aes256", 427, KeySize::Aes256, Mode::Cbc),
    info("id-aes128-gcm", 895, KeySize::Aes128, Mode::Gcm),
    info("id-aes192-gcm", 898, KeySize::Aes192, Mode::Gcm),
    info("id-aes256-gcm", 901, KeySize::Aes256, Mode::Gcm),
];

const fn info(name: &'static str, nid: u32, key: KeySize, mode: Mode) -> Info {
    Info {
        name,
        nid,
        key,
        mode,
    }
}

impl Info {
    /// The cipher named `name` (case-insensitive, as OpenSSL) or numbered `nid`.
    pub fn find(name: &str) -> Option<Info> {
        let lower = name.to_ascii_lowercase();
        CIPHERS
            .iter()
            .find(|c| c.name == lower)
            .copied()
            .map(Info::canonical)
    }

    /// The cipher with OpenSSL's number `nid`.
    pub fn by_nid(nid: u32) -> Option<Info> {
        CIPHERS
            .iter()
            .find(|c| c.nid == nid)
            .copied()
            .map(Info::canonical)
    }

    /// Aliases report the cipher's own name, as OpenSSL (whose GCM names are `id-aes...`).
    fn canonical(self) -> Info {
        let own =
            |c: &&Info| c.nid == self.nid && (self.mode != Mode::Gcm || c.name.starts_with("id-"));
        CIPHERS.iter().find(own).copied().unwrap_or(self)
    }

    pub fn key_len(&self) -> usize {
        match self.key {
            KeySize::Aes128 => 16,
            KeySize::Aes192 => 24,
            KeySize::Aes256 => 32,
        }
    }

    /// The default IV length (0: none).
    pub fn iv_len(&self) -> usize {
        match self.mode {
            Mode::Ecb => 0,
            Mode::Cbc | Mode::Ctr => 16,
            Mode::Gcm => 12,
        }
    }

    /// OpenSSL's block size (1 for the stream modes).
    pub fn block_size(&self) -> usize {
        match self.mode {
            Mode::Ecb | Mode::Cbc => 16,
            Mode::Ctr | Mode::Gcm => 1,
        }
    }

    pub fn mode_name(&self) -> &'static str {
        match self.mode {
            Mode::Ecb => "ecb",
            Mode::Cbc => "cbc",
            Mode::Ctr => "ctr",
            Mode::Gcm => "gcm",
        }
    }

    /// Whether `len` is an IV length the cipher takes.
    pub fn iv_ok(&self, len: usize) -> bool {
        match self.mode {
            Mode::Gcm => len > 0,
            _ => len == self.iv_len(),
        }
    }
}

/// Why a cipher could not be made or finished; the runner maps each to Node's error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CipherError {
    KeyLength,
    IvLength,
    /// Encrypting without padding, input not a multiple of the block.
    WrongFinalBlockLength,
    /// Bad padding, or ciphertext not a multiple of the block.
    BadDecrypt,
    /// GCM tag did not match.
    AuthFailed,
}

enum Block {
    Aes128(aes::Aes128),
    Aes192(aes::Aes192),
    Aes256(aes::Aes256),
}

macro_rules! each_aes {
    ($block:expr, $c:ident => $body:expr) => {
        match $block {
            Block::Aes128($c) => $body,
            Block::Aes192($c) => $body,
            Block::Aes256($c) => $body,
        }
    };
}

impl Block {
    fn new(size: KeySize, key: &[u8]) -> Option<Block> {
        Some(match size {
            KeySize::Aes128 => Block::Aes128(aes::Aes128::new_from_slice(key).ok()?),
            KeySize::Aes192 => Block::Aes192(aes::Aes192::new_from_slice(key).ok()?),
            KeySize::Aes256 => Block::Aes256(aes::Aes256::new_from_slice(key).ok()?),
        })
    }

    fn encrypt(&self, block: &mut [u8; BLOCK]) {
        let b = GenericArray::from_mut_slice(block);
        each_aes!(self, c => c.encrypt_block(b));
    }

    fn decrypt(&self, block: &mut [u8; BLOCK]) {
        use aes::cipher::BlockDecrypt;
        let b = GenericArray::from_mut_slice(block);
        each_aes!(self, c => c.decrypt_block(b));
    }
}

/// A CTR keystream with a 128-bit (CTR mode) or 32-bit (GCM) big-endian counter.
type Keystream = Box<dyn StreamCipher>;

/// The keystream for `key` from counter block `iv`: `wide` for CTR mode's 128-bit counter.
fn keystream(size: KeySize, key: &[u8], iv: &[u8; BLOCK], wide: bool) -> Option<Keystream> {
    fn boxed<C: KeyIvInit + StreamCipher + 'static>(key: &[u8], iv: &[u8]) -> Option<Keystream> {
        Some(Box::new(C::new_from_slices(key, iv).ok()?))
    }
    type C128<A> = ctr::Ctr128BE<A>;
    type C32<A> = ctr::Ctr32BE<A>;
    match (size, wide) {
        (KeySize::Aes128, true) => boxed::<C128<aes::Aes128>>(key, iv),
        (KeySize::Aes192, true) => boxed::<C128<aes::Aes192>>(key, iv),
        (KeySize::Aes256, true) => boxed::<C128<aes::Aes256>>(key, iv),
        (KeySize::Aes128, false) => boxed::<C32<aes::Aes128>>(key, iv),
        (KeySize::Aes192, false) => boxed::<C32<aes::Aes192>>(key, iv),
        (KeySize::Aes256, false) => boxed::<C32<aes::Aes256>>(key, iv),
    }
}

/// GCM's authentication state (NIST SP 800-38D).
struct Gcm {
    ghash: GHash,
    /// E(K, J0), xored into the hash for the tag.
    tag_mask: [u8; BLOCK],
    aad_len: u64,
    text_len: u64,
    /// AAD or text not yet a whole GHASH block.
    pending: Vec<u8>,
    in_text: bool,
    /// The expected tag (decryption), set by `setAuthTag`.
    expected: Option<Vec<u8>>,
}

impl Gcm {
    /// Hashes `data` after what is pending: whole blocks straight from `data`, all at once
    /// (GHASH then works on several blocks in parallel), the rest kept for later.
    fn absorb(&mut self, mut data: &[u8]) {
        if !self.pending.is_empty() {
            let take = (BLOCK - self.pending.len()).min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.pending.len() < BLOCK {
                return;
            }
            self.ghash
                .update(&[*GenericArray::from_slice(&self.pending)]);
            self.pending.clear();
        }
        let whole = data.len() / BLOCK * BLOCK;
        // A whole number of blocks: `update_padded` pads nothing.
        self.ghash.update_padded(&data[..whole]);
        self.pending.extend_from_slice(&data[whole..]);
    }

    fn pad(&mut self) {
        if !self.pending.is_empty() {
            self.ghash.update_padded(&self.pending);
            self.pending.clear();
        }
    }

    fn start_text(&mut self) {
        if !self.in_text {
            self.pad();
            self.in_text = true;
        }
    }

    fn tag(mut self) -> [u8; BLOCK] {
        self.start_text();
        self.pad();
        let mut lens = [0u8; BLOCK];
        lens[..8].copy_from_slice(&(self.aad_len * 8).to_be_bytes());
        lens[8..].copy_from_slice(&(self.text_len * 8).to_be_bytes());
        self.ghash.update(&[lens.into()]);
        let mut tag: [u8; BLOCK] = self.ghash.finalize().into();
        for (t, m) in tag.iter_mut().zip(self.tag_mask) {
            *t ^= m;
        }
        tag
    }
}

enum Engine {
    /// ECB or CBC: whole blocks only; `chain` is CBC's previous ciphertext block.
    Blocks {
        block: Box<Block>,
        chain: Option<[u8; BLOCK]>,
        tail: Vec<u8>,
    },
    Stream(Keystream),
    Gcm(Keystream, Box<Gcm>),
}

/// One `Cipheriv` or `Decipheriv`.
pub struct Cipher {
    encrypt: bool,
    padding: bool,
    engine: Engine,
    /// The tag after `finish` (encryption).
    tag: Option<[u8; BLOCK]>,
}

impl Cipher {
    /// A cipher over `key` and `iv`, checked against `info`'s lengths.
    pub fn new(info: Info, key: &[u8], iv: &[u8], encrypt: bool) -> Result<Cipher, CipherError> {
        if key.len() != info.key_len() {
            return Err(CipherError::KeyLength);
        }
        if !info.iv_ok(iv.len()) {
            return Err(CipherError::IvLength);
        }
        let block = Block::new(info.key, key).ok_or(CipherError::KeyLength)?;
        let engine = match info.mode {
            Mode::Ecb => Engine::Blocks {
                block: Box::new(block),
                chain: None,
                tail: Vec::new(),
            },
            Mode::Cbc => {
                let mut chain = [0u8; BLOCK];
                chain.copy_from_slice(iv);
                Engine::Blocks {
                    block: Box::new(block),
                    chain: Some(chain),
                    tail: Vec::new(),
                }
            }
            Mode::Ctr => {
                let mut counter = [0u8; BLOCK];
                counter.copy_from_slice(iv);
                Engine::Stream(
                    keystream(info.key, key, &counter, true).ok_or(CipherError::KeyLength)?,
                )
            }
            Mode::Gcm => gcm(info.key, key, &block, iv)?,
        };
        Ok(Cipher {
            encrypt,
            padding: true,
            engine,
            tag: None,
        })
    }

    pub fn set_padding(&mut self, on: bool) {
        self.padding = on;
    }

    /// GCM's additional data (before any text); false for another mode or too late.
    pub fn set_aad(&mut self, aad: &[u8]) -> bool {
        match &mut self.engine {
            Engine::Gcm(_, g) if !g.in_text => {
                g.aad_len += aad.len() as u64;
                g.absorb(aad);
                true
            }
            _ => false,
        }
    }

    /// The tag a decryption must match.
    pub fn set_tag(&mut self, tag: &[u8]) -> bool {
        match &mut self.engine {
            Engine::Gcm(_, g) if !self.encrypt => {
                g.expected = Some(tag.to_vec());
                true
            }
            _ => false,
        }
    }

    /// The tag computed by a finished encryption.
    pub fn tag(&self) -> Option<[u8; BLOCK]> {
        self.tag
    }

    /// Processes `input`; returns the output it makes now.
    pub fn update(&mut self, input: &[u8]) -> Vec<u8> {
        let encrypt = self.encrypt;
        let padding = self.padding;
        match &mut self.engine {
            Engine::Stream(ks) => {
                let mut out = input.to_vec();
                ks.apply_keystream(&mut out);
                out
            }
            Engine::Gcm(ks, g) => {
                g.start_text();
                g.text_len += input.len() as u64;
                let mut out = input.to_vec();
                if !encrypt {
                    g.absorb(input);
                }
                ks.apply_keystream(&mut out);
                if encrypt {
                    g.absorb(&out);
                }
                out
            }
            Engine::Blocks { block, chain, tail } => {
                tail.extend_from_slice(input);
                // A decryption with padding keeps its last whole block for `finish`.
                let mut whole = tail.len() / BLOCK * BLOCK;
                if !encrypt && padding && whole == tail.len() && whole > 0 {
                    whole -= BLOCK;
                }
                let mut out: Vec<u8> = tail.drain(..whole).collect();
                run_blocks(block, chain, &mut out, encrypt);
                out
            }
        }
    }

    /// Ends the cipher: the last bytes (padding added or checked), or why it failed.
    pub fn finish(&mut self) -> Result<Vec<u8>, CipherError> {
        let encrypt = self.encrypt;
        let padding = self.padding;
        match &mut self.engine {
            Engine::Stream(_) => Ok(Vec::new()),
            Engine::Gcm(_, g) => {
                let state = std::mem::replace(g, Box::new(empty_gcm()));
                let expected = state.expected.clone();
                let tag = state.tag();
                if encrypt {
                    self.tag = Some(tag);
                    return Ok(Vec::new());
                }
                // A tag longer than the block (the runner refuses one first) fails, never panics.
                let matches = |want: &[u8]| {
                    tag.get(..want.len())
                        .is_some_and(|head| !want.is_empty() && bool::from(head.ct_eq(want)))
                };
                match expected {
                    Some(want) if matches(&want) => Ok(Vec::new()),
                    _ => Err(CipherError::AuthFailed),
                }
            }
            Engine::Blocks { block, chain, tail } => {
                let mut last = std::mem::take(tail);
                if encrypt {
                    if padding {
                        let n = BLOCK - last.len() % BLOCK;
                        last.extend(std::iter::repeat_n(n as u8, n));
                    } else if last.len() % BLOCK != 0 {
                        return Err(CipherError::WrongFinalBlockLength);
                    }
                    run_blocks(block, chain, &mut last, true);
                    return Ok(last);
                }
                // Nothing held back to unpad is OpenSSL's wrong final block length too.
                if last.len() % BLOCK != 0 || (padding && last.is_empty()) {
                    return Err(CipherError::WrongFinalBlockLength);
                }
                run_blocks(block, chain, &mut last, false);
                if !padding {
                    return Ok(last);
                }
                let n = usize::from(*last.last().ok_or(CipherError::BadDecrypt)?);
                if n == 0 || n > BLOCK || n > last.len() {
                    return Err(CipherError::BadDecrypt);
                }
                if last[last.len() - n..].iter().any(|&b| usize::from(b) != n) {
                    return Err(CipherError::BadDecrypt);
                }
                last.truncate(last.len() - n);
                Ok(last)
            }
        }
    }
}

fn run_blocks(block: &Block, chain: &mut Option<[u8; BLOCK]>, data: &mut [u8], encrypt: bool) {
    for chunk in data.chunks_exact_mut(BLOCK) {
        let mut b = [0u8; BLOCK];
        b.copy_from_slice(chunk);
        match (chain.as_mut(), encrypt) {
            (None, true) => block.encrypt(&mut b),
            (None, false) => block.decrypt(&mut b),
            (Some(prev), true) => {
                for (x, p) in b.iter_mut().zip(prev.iter()) {
                    *x ^= p;
                }
                block.encrypt(&mut b);
                *prev = b;
            }
            (Some(prev), false) => {
                let cipher_text = b;
                block.decrypt(&mut b);
                for (x, p) in b.iter_mut().zip(prev.iter()) {
                    *x ^= p;
                }
                *prev = cipher_text;
            }
        }
        chunk.copy_from_slice(&b);
    }
}

fn empty_gcm() -> Gcm {
    Gcm {
        ghash: GHash::new(&Default::default()),
        tag_mask: [0; BLOCK],
        aad_len: 0,
        text_len: 0,
        pending: Vec::new(),
        in_text: false,
        expected: None,
    }
}

fn gcm(size: KeySize, key: &[u8], block: &Block, iv: &[u8]) -> Result<Engine, CipherError> {
    let mut h = [0u8; BLOCK];
    block.encrypt(&mut h);
    let mut j0 = [0u8; BLOCK];
    if iv.len() == 12 {
        j0[..12].copy_from_slice(iv);
        j0[15] = 1;
    } else {
        let mut g = GHash::new(&h.into());
        g.update_padded(iv);
        let mut lens = [0u8; BLOCK];
        lens[8..].copy_from_slice(&((iv.len() as u64) * 8).to_be_bytes());
        g.update(&[lens.into()]);
        j0 = g.finalize().into();
    }
    let mut tag_mask = j0;
    block.encrypt(&mut tag_mask);
    let mut counter = j0;
    let c = u32::from_be_bytes([counter[12], counter[13], counter[14], counter[15]]);
    counter[12..].copy_from_slice(&c.wrapping_add(1).to_be_bytes());
    let ks = keystream(size, key, &counter, false).ok_or(CipherError::KeyLength)?;
    let state = Gcm {
        ghash: GHash::new(&h.into()),
        tag_mask,
        ..empty_gcm()
    };
    Ok(Engine::Gcm(ks, Box::new(state)))
}

#[cfg(test)]
#[path = "cipher_tests.rs"]
mod tests;
