//! `wget`: GNU Wget's everyday use over the exec's network (`crate::http`, the sandbox's
//! `agentos_v4.http_*` imports: its policy, limits and secrets apply as to `curl` and `fetch`).
//!
//! `wget URL` saves to the URL's last path segment (`index.html` for none; `NAME.1`, `NAME.2`...
//! beside an existing file), `-O FILE`/`-O -`, `-P DIR`, `-q`/`-nv`, `-nc`, `-c`, `--header`,
//! `-U`, `--post-data`/`--post-file`, `--method`/`--body-data`, `-T`, `-t`, `--max-redirect`,
//! `-S`, `--content-on-error`; redirects followed; Wget's exit codes (4 network, 8 an error
//! response, 3 a file it cannot write, 2 usage). Progress goes to stderr as Wget's report lines
//! (no progress bar); no recursion (`-r`), cookies or FTP.

mod args;

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use args::{Options, Usage};

use crate::http::{Exchange, Failure, Head, Request};

/// Wget's exit codes.
const GENERIC: i32 = 1;
const PARSE: i32 = 2;
const FILE_IO: i32 = 3;
const NETWORK: i32 = 4;
const PROTOCOL: i32 = 7;
const SERVER_ERROR: i32 = 8;

const USER_AGENT: &str = "Wget/1.21.3 (agentos)";

pub fn main(argv: Vec<OsString>) -> i32 {
    let o = match args::parse(crate::cli::operands(argv)) {
        Ok(o) => o,
        Err(Usage(msg)) => {
            eprintln!(
                "wget: {msg}\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options."
            );
            return PARSE;
        }
    };
    if o.urls.is_empty() {
        eprintln!(
            "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options."
        );
        return GENERIC;
    }
    // `-O FILE` is one file for every document, emptied once.
    let mut document = match o.document.as_deref() {
        None => None,
        Some("-") => Some(Sink::Stdout),
        Some(path) => match File::create(path) {
            Ok(f) => Some(Sink::File(f, path.to_owned())),
            Err(e) => {
                eprintln!("{path}: {}", crate::cli::io_error(&e));
                return FILE_IO;
            }
        },
    };
    let mut status = 0;
    for url in &o.urls {
        if let Err(code) = get(&o, url, document.as_mut()) {
            status = worse(status, code);
        }
    }
    let _ = io::stdout().flush();
    status
}

/// Wget's rule for several failures: the lowest code wins, except that 1 yields to any other.
fn worse(a: i32, b: i32) -> i32 {
    match (a, b) {
        (0, x) | (x, 0) => x,
        (1, x) | (x, 1) => x,
        (x, y) => x.min(y),
    }
}

enum Sink {
    Stdout,
    File(File, String),
}

/// Fetches one URL, following redirects.
fn get(o: &Options, text: &str, document: Option<&mut Sink>) -> Result<(), i32> {
    let mut url = parse_url(text)?;
    let mut method = o
        .method
        .clone()
        .unwrap_or_else(|| if o.body.is_some() { "POST" } else { "GET" }.to_owned());
    let mut body = o.body.clone().unwrap_or_default();
    // The file is named after the URL asked for, not where it redirects (as Wget does).
    let first = url.clone();
    // `-c`: the bytes already there are asked for no more.
    let resume = match document {
        None if o.continue_ => fs::metadata(plain_path(o, &first)).map_or(0, |m| m.len()),
        _ => 0,
    };
    let mut hops = 0;
    loop {
        say(o, &format!("--{}--  {url}", now()));
        let (exchange, head) = exchange(o, &url, &method, &body, resume)?;
        let location = head
            .header("location")
            .map(|l| String::from_utf8_lossy(l).into_owned());
        match (head.status, location) {
            (301 | 302 | 303 | 307 | 308, Some(location)) => {
                drop(exchange);
                if hops >= o.max_redirect {
                    eprintln!("{} redirections exceeded.", o.max_redirect);
                    return Err(SERVER_ERROR);
                }
                hops += 1;
                say(o, &format!("Location: {location} [following]"));
                url = url.join(&location).map_err(|_| {
                    eprintln!("{location}: Invalid URL.");
                    PROTOCOL
                })?;
                if matches!(head.status, 301..=303) && method == "POST" {
                    method = "GET".into();
                    body.clear();
                }
            }
            (416, _) if resume > 0 => {
                say(
                    o,
                    "\n    The file is already fully retrieved; nothing to do.\n",
                );
                return Ok(());
            }
            (status, _) if status >= 400 && !o.content_on_error => {
                if !o.quiet {
                    eprintln!("{} ERROR {status}: {}.", now(), head.reason);
                }
                return Err(SERVER_ERROR);
            }
            (status, _) => {
                save(o, &first, &exchange, &head, document, resume)?;
                // `--content-on-error` keeps the body, not the status.
                return if status >= 400 {
                    Err(SERVER_ERROR)
                } else {
                    Ok(())
                };
            }
        }
    }
}

fn parse_url(text: &str) -> Result<url::Url, i32> {
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("http://{text}")
    };
    match url::Url::parse(&with_scheme) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(u),
        Ok(u) => {
            eprintln!("{text}: Unsupported scheme ‘{}’.", u.scheme());
            Err(GENERIC)
        }
        Err(_) => {
            eprintln!("{text}: Invalid URL.");
            Err(GENERIC)
        }
    }
}

/// Sends the request and waits for the head; a timeout is tried again (`-t`), as Wget does.
fn exchange(
    o: &Options,
    url: &url::Url,
    method: &str,
    body: &[u8],
    resume: u64,
) -> Result<(Exchange, Head), i32> {
    let host = url.host_str().unwrap_or_default();
    let port = url.port_or_known_default().unwrap_or(0);
    let mut headers = vec![
        (
            "User-Agent".to_owned(),
            o.user_agent
                .as_deref()
                .unwrap_or(USER_AGENT)
                .as_bytes()
                .to_vec(),
        ),
        ("Accept".to_owned(), b"*/*".to_vec()),
        ("Accept-Encoding".to_owned(), b"identity".to_vec()),
    ];
    if resume > 0 {
        headers.push(("Range".into(), format!("bytes={resume}-").into_bytes()));
    }
    if !body.is_empty()
        && !o
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        headers.push((
            "Content-Type".into(),
            b"application/x-www-form-urlencoded".to_vec(),
        ));
    }
    // A header given twice keeps the user's value.
    headers.retain(|(n, _)| !o.headers.iter().any(|(m, _)| m.eq_ignore_ascii_case(n)));
    headers.extend(o.headers.iter().cloned());
    let request = Request {
        method,
        url: url.as_str(),
        headers: &headers,
        body,
        decode: false,
        head_ms: o.timeout_ms,
        end_ms: 0,
    };
    let mut attempt = 1;
    loop {
        let result = Exchange::start(&request).and_then(|x| x.head().map(|h| (x, h)));
        match result {
            Ok((x, head)) => {
                say(o, &format!("Connecting to {host}:{port}... connected."));
                say(
                    o,
                    &format!(
                        "HTTP request sent, awaiting response... {} {}",
                        head.status, head.reason
                    ),
                );
                if o.server_response && !o.quiet {
                    eprintln!("  {} {} {}", head.version, head.status, head.reason);
                    for (name, value) in &head.headers {
                        eprintln!("  {name}: {}", String::from_utf8_lossy(value));
                    }
                }
                return Ok((x, head));
            }
            Err(f) if f.code == "ETIMEDOUT" && attempt < o.tries => {
                say(o, &format!("Read error ({}). Retrying.", f.message));
                attempt += 1;
            }
            Err(f) => return Err(network(o, &f, host, port)),
        }
    }
}

/// Wget's words for a network failure; its code.
fn network(o: &Options, f: &Failure, host: &str, port: u16) -> i32 {
    if !o.quiet {
        match f.code.as_str() {
            "ENOTFOUND" => eprintln!("wget: unable to resolve host address ‘{host}’"),
            "ECONNREFUSED" if !f.message.contains("policy") => {
                eprintln!("Connecting to {host}:{port}... failed: Connection refused.")
            }
            _ => eprintln!("Connecting to {host}:{port}... failed: {}.", f.message),
        }
    }
    NETWORK
}

/// Writes the body where it belongs.
fn save(
    o: &Options,
    url: &url::Url,
    x: &Exchange,
    head: &Head,
    document: Option<&mut Sink>,
    resume: u64,
) -> Result<(), i32> {
    let length = head
        .header("content-length")
        .map(|v| String::from_utf8_lossy(v).into_owned());
    let kind = head
        .header("content-type")
        .map(|v| String::from_utf8_lossy(v).into_owned());
    say(
        o,
        &format!(
            "Length: {} [{}]",
            length.as_deref().unwrap_or("unspecified"),
            kind.as_deref().unwrap_or("text/html")
        ),
    );
    let (mut own, mut stdout) = (None, io::stdout());
    let (out, shown): (&mut dyn Write, String) = match document {
        Some(Sink::Stdout) => (&mut stdout, "STDOUT".into()),
        Some(Sink::File(f, name)) => (f, name.clone()),
        None => {
            let Some(path) = destination(o, url)? else {
                return Ok(());
            };
            let file = if resume > 0 {
                File::options().append(true).open(&path)
            } else {
                File::create(&path)
            };
            let file = file.map_err(|e| {
                eprintln!("{}: {}", path.display(), crate::cli::io_error(&e));
                FILE_IO
            })?;
            (own.insert(file), path.display().to_string())
        }
    };
    say(o, &format!("Saving to: ‘{shown}’\n"));
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    // A server that ignores the range sends the whole document: what is here already is skipped.
    let mut skip = if head.status == 206 { 0 } else { resume };
    loop {
        let n = x.read(&mut buf).map_err(|f| {
            if !o.quiet {
                eprintln!(
                    "{} ({f_message}) - Read error at byte {total}.",
                    now(),
                    f_message = f.message
                );
            }
            NETWORK
        })?;
        if n == 0 {
            break;
        }
        total += n as u64;
        let from = n.min(usize::try_from(skip).unwrap_or(usize::MAX));
        skip -= from as u64;
        if let Err(e) = out.write_all(&buf[from..n]) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return Err(FILE_IO);
            }
            eprintln!("Cannot write to ‘{shown}’ ({}).", crate::cli::io_error(&e));
            return Err(FILE_IO);
        }
    }
    let _ = out.flush();
    let of = length.unwrap_or_else(|| total.to_string());
    if o.no_verbose && !o.quiet {
        eprintln!("{} URL:{url} [{total}/{of}] -> \"{shown}\" [1]", now());
    }
    say(o, &format!("{} - ‘{shown}’ saved [{total}/{of}]\n", now()));
    Ok(())
}

/// The file a document is saved to: the URL's last segment (decoded), under `-P`; beside an
/// existing one `NAME.1`, `NAME.2`... (`-nc`: none, the document is skipped).
fn destination(o: &Options, url: &url::Url) -> Result<Option<PathBuf>, i32> {
    if let Some(dir) = &o.prefix {
        fs::create_dir_all(dir).map_err(|e| {
            eprintln!("{dir}: {}", crate::cli::io_error(&e));
            FILE_IO
        })?;
    }
    let plain = plain_path(o, url);
    if !exists(&plain) || o.continue_ {
        return Ok(Some(plain));
    }
    if o.no_clobber {
        if !o.quiet {
            eprintln!("File ‘{}’ already there; not retrieving.", plain.display());
        }
        return Ok(None);
    }
    let numbered = (1..).map(|n| PathBuf::from(format!("{}.{n}", plain.display())));
    Ok(numbered.into_iter().find(|p| !exists(p)))
}

/// The URL's last path segment (decoded; `index.html` for none), under `-P`.
fn plain_path(o: &Options, url: &url::Url) -> PathBuf {
    let segment = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned();
    let name = if decoded.is_empty() || decoded == "." || decoded == ".." {
        "index.html".to_owned()
    } else {
        decoded
    };
    match &o.prefix {
        Some(dir) => Path::new(dir).join(name),
        None => PathBuf::from(name),
    }
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// A report line on stderr, as Wget's default (verbose) output has it.
fn say(o: &Options, line: &str) {
    if !o.quiet && !o.no_verbose {
        eprintln!("{line}");
    }
}

/// `YYYY-MM-DD HH:MM:SS` (the sandbox's clock is UTC).
fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (y, mo, d, h, mi, s) = crate::cli::civil(secs);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}
