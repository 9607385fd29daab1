//! One HTTP request through the sandbox's `agentos_v4.http_*` imports (`runner-js/js/WASI.md`):
//! the exec's network makes it under the exec's policy; this side blocks until the head and each
//! piece of the body are here. `curl` and `wget` are built on it.

/// `flags` bit 0: the network decodes the response's content codings.
const DECODE: u32 = 1;

const ENOBUFS: u16 = 42;
const EIO: u16 = 29;

#[cfg(target_os = "wasi")]
mod import {
    #[link(wasm_import_module = "agentos_v4")]
    unsafe extern "C" {
        pub fn http_request(
            req: *const u8,
            req_len: usize,
            body: *const u8,
            body_len: usize,
            flags: u32,
            head_ms: u32,
            end_ms: u32,
            handle: *mut u32,
        ) -> u16;
        pub fn http_response(handle: u32, buf: *mut u8, len: usize, used: *mut u32) -> u16;
        pub fn http_read(handle: u32, buf: *mut u8, len: usize, nread: *mut u32) -> u16;
        pub fn http_error(handle: u32, buf: *mut u8, len: usize, used: *mut u32) -> u16;
        pub fn http_close(handle: u32) -> u16;
    }
}

/// Elsewhere (a host build of this crate) there is no network.
#[cfg(not(target_os = "wasi"))]
#[allow(clippy::missing_safety_doc)]
mod import {
    const ENOSYS: u16 = 52;
    pub unsafe extern "C" fn http_request(
        _: *const u8,
        _: usize,
        _: *const u8,
        _: usize,
        _: u32,
        _: u32,
        _: u32,
        _: *mut u32,
    ) -> u16 {
        ENOSYS
    }
    pub unsafe extern "C" fn http_response(_: u32, _: *mut u8, _: usize, _: *mut u32) -> u16 {
        ENOSYS
    }
    pub unsafe extern "C" fn http_read(_: u32, _: *mut u8, _: usize, _: *mut u32) -> u16 {
        ENOSYS
    }
    pub unsafe extern "C" fn http_error(_: u32, _: *mut u8, _: usize, _: *mut u32) -> u16 {
        ENOSYS
    }
    pub unsafe extern "C" fn http_close(_: u32) -> u16 {
        0
    }
}

/// What to send.
pub struct Request<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a [(String, Vec<u8>)],
    pub body: &'a [u8],
    /// Decode the response's content codings (`--compressed`).
    pub decode: bool,
    /// Milliseconds to wait for the response head, and for the whole exchange (0: no limit).
    pub head_ms: u32,
    pub end_ms: u32,
}

/// A response head.
pub struct Head {
    pub status: u16,
    pub reason: String,
    /// `HTTP/1.1` or `HTTP/1.0`.
    pub version: String,
    /// Header names (lower case) and values, in order.
    pub headers: Vec<(String, Vec<u8>)>,
}

impl Head {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        (self.headers.iter())
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}

/// Why an exchange failed: the network's code (`ENOTFOUND`, `ETIMEDOUT`...) and its words.
#[derive(Debug, Clone)]
pub struct Failure {
    pub code: String,
    pub message: String,
}

impl Failure {
    fn errno(errno: u16) -> Failure {
        let message = match errno {
            52 => "this sandbox gives the command no network".to_string(),
            other => format!("the network import failed (WASI errno {other})"),
        };
        Failure {
            code: format!("WASI_{errno}"),
            message,
        }
    }
}

/// A running request; closed (and ended, if still running) when dropped.
pub struct Exchange(u32);

impl Exchange {
    /// Sends `req`.
    pub fn start(req: &Request) -> Result<Exchange, Failure> {
        let mut spec = Vec::new();
        let fields = [req.method.as_bytes(), req.url.as_bytes()].into_iter();
        let headers = req.headers.iter().flat_map(|(n, v)| [n.as_bytes(), v]);
        for field in fields.chain(headers) {
            spec.extend(field.iter().filter(|b| **b != 0));
            spec.push(0);
        }
        let flags = if req.decode { DECODE } else { 0 };
        let mut handle = 0u32;
        // SAFETY: every pointer/length pair is a live slice; `handle` is a live u32.
        let errno = unsafe {
            import::http_request(
                spec.as_ptr(),
                spec.len(),
                req.body.as_ptr(),
                req.body.len(),
                flags,
                req.head_ms,
                req.end_ms,
                &mut handle,
            )
        };
        match errno {
            0 => Ok(Exchange(handle)),
            e => Err(Failure::errno(e)),
        }
    }

    /// Waits for the response head.
    pub fn head(&self) -> Result<Head, Failure> {
        let bytes = self.fetch(import::http_response)?;
        let mut fields = bytes.split(|b| *b == 0);
        let mut text = || String::from_utf8_lossy(fields.next().unwrap_or_default()).into_owned();
        let status = text().parse().unwrap_or(0);
        let (reason, version, _url) = (text(), text(), text());
        let mut headers = Vec::new();
        let rest: Vec<&[u8]> = fields.collect();
        for pair in rest.chunks_exact(2) {
            headers.push((
                String::from_utf8_lossy(pair[0]).into_owned(),
                pair[1].to_vec(),
            ));
        }
        Ok(Head {
            status,
            reason,
            version,
            headers,
        })
    }

    /// Reads body bytes into `buf`: 0 at the body's end.
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, Failure> {
        let mut n = 0u32;
        // SAFETY: `buf` is a live, writable slice; `n` a live u32.
        let errno = unsafe { import::http_read(self.0, buf.as_mut_ptr(), buf.len(), &mut n) };
        match errno {
            0 => Ok((n as usize).min(buf.len())),
            EIO => Err(self.failure()),
            e => Err(Failure::errno(e)),
        }
    }

    /// A head or an error, as the import gives it: grown until it fits.
    fn fetch(
        &self,
        import: unsafe extern "C" fn(u32, *mut u8, usize, *mut u32) -> u16,
    ) -> Result<Vec<u8>, Failure> {
        let mut buf = vec![0u8; 4096];
        loop {
            let mut used = 0u32;
            // SAFETY: `buf` is a live, writable slice; `used` a live u32.
            let errno = unsafe { import(self.0, buf.as_mut_ptr(), buf.len(), &mut used) };
            match errno {
                0 => {
                    buf.truncate(used as usize);
                    return Ok(buf);
                }
                ENOBUFS if used as usize > buf.len() => buf.resize(used as usize, 0),
                EIO => return Err(self.failure()),
                e => return Err(Failure::errno(e)),
            }
        }
    }

    /// Why the exchange failed.
    fn failure(&self) -> Failure {
        let bytes = self.fetch(import::http_error).unwrap_or_default();
        let mut fields = bytes.split(|b| *b == 0);
        let mut text = || String::from_utf8_lossy(fields.next().unwrap_or_default()).into_owned();
        let (code, message) = (text(), text());
        Failure { code, message }
    }
}

impl Drop for Exchange {
    fn drop(&mut self) {
        // SAFETY: no pointers; an unknown handle is refused with an errno.
        let _ = unsafe { import::http_close(self.0) };
    }
}
