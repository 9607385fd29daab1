//! What curl says besides the body: its errors (`curl: (7) ...`, with curl's exit codes), the
//! heads (`-i`, `-D`, `-v`), and `-w`'s variables.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use super::args::Options;
use super::request::Plan;
use crate::http::{Failure, Head};

pub const HELP: &str = " -d, --data <data>          HTTP POST data
 -f, --fail                 Fail fast with no output on HTTP errors
 -H, --header <header/@file> Pass custom header(s) to server
 -i, --include              Include protocol response headers in the output
 -L, --location             Follow redirects
 -o, --output <file>        Write to file instead of stdout
 -O, --remote-name          Write output to a file named as the remote file
 -s, --silent               Silent mode
 -S, --show-error           Show error even when -s is used
 -u, --user <user:password> Server user and password
 -v, --verbose              Make the operation more talkative
 -w, --write-out <format>   Use output FORMAT after completion
 -X, --request <method>     Specify request method to use";

/// A failed transfer: curl's exit code and message.
#[derive(Debug, Clone)]
pub struct Error {
    pub code: i32,
    pub message: String,
}

impl Error {
    pub fn new(code: i32, message: String) -> Error {
        Error { code, message }
    }

    /// A network failure for `url`, as curl words the same failure.
    pub fn network(f: &Failure, url: &url::Url, started: Instant) -> Error {
        let host = url.host_str().unwrap_or_default();
        let port = url.port_or_known_default().unwrap_or(0);
        let ms = started.elapsed().as_millis();
        let (code, message) = match f.code.as_str() {
            "ENOTFOUND" => (6, format!("Could not resolve host: {host}")),
            "ECONNREFUSED" if f.message.contains("network policy") => (
                7,
                format!(
                    "Failed to connect to {host} port {port} after {ms} ms: {}",
                    f.message
                ),
            ),
            "ECONNREFUSED" | "EHOSTUNREACH" | "ENETUNREACH" => (
                7,
                format!(
                    "Failed to connect to {host} port {port} after {ms} ms: Couldn't connect to server"
                ),
            ),
            "ETIMEDOUT" => (28, f.message.clone()),
            "ERR_TLS_HANDSHAKE" if f.message.contains("certificate") => {
                (60, format!("SSL certificate problem: {}", f.message))
            }
            "ERR_TLS_HANDSHAKE" => (35, f.message.clone()),
            "ERR_INVALID_URL" => (3, format!("URL rejected: {}", f.message)),
            "ERR_INVALID_ARG_VALUE" => (43, f.message.clone()),
            "Z_DATA_ERROR" => (
                61,
                format!("Error while processing content unencoding: {}", f.message),
            ),
            "ECONNRESET" => (56, "Recv failure: Connection reset by peer".into()),
            "HPE_INVALID" => (8, f.message.clone()),
            _ => (56, f.message.clone()),
        };
        Error { code, message }
    }
}

impl From<(i32, String)> for Error {
    fn from((code, message): (i32, String)) -> Error {
        Error { code, message }
    }
}

/// `curl: (N) message` on stderr, unless `-s` without `-S`.
pub fn complain(o: &Options, e: &Error) {
    if !o.silent || o.show_error {
        eprintln!("curl: ({}) {}", e.code, e.message);
    }
}

/// What `-w` can show of one URL's transfer.
#[derive(Debug, Clone)]
pub struct Stats {
    pub started: Instant,
    pub url: String,
    pub url_effective: String,
    pub http_code: u16,
    pub method: String,
    pub content_type: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub size_header: u64,
    pub size_download: u64,
    pub size_upload: u64,
    pub num_redirects: u32,
    pub redirect_url: Option<String>,
    pub starttransfer: Duration,
    pub total: Duration,
    pub error: Option<Error>,
}

impl Stats {
    pub fn new(url: &str) -> Stats {
        Stats {
            started: Instant::now(),
            url: url.to_string(),
            url_effective: url.to_string(),
            http_code: 0,
            method: String::new(),
            content_type: String::new(),
            headers: Vec::new(),
            size_header: 0,
            size_download: 0,
            size_upload: 0,
            num_redirects: 0,
            redirect_url: None,
            starttransfer: Duration::ZERO,
            total: Duration::ZERO,
            error: None,
        }
    }

    /// A new attempt (`--retry`) starts.
    pub fn reset(&mut self, at: Instant) {
        *self = Stats {
            started: at,
            ..Stats::new(&self.url)
        };
    }

    /// A head came for `plan`.
    pub fn answered(&mut self, plan: &Plan, head: &Head) {
        self.url_effective = plan.url.to_string();
        self.method.clone_from(&plan.method);
        self.http_code = head.status;
        self.headers.clone_from(&head.headers);
        self.content_type = head
            .header("content-type")
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .unwrap_or_default();
        self.size_header += head_text(head).len() as u64;
        self.size_upload += plan.body.len() as u64;
        self.starttransfer = self.started.elapsed();
        self.total = self.starttransfer;
    }

    pub fn finished(&mut self) {
        self.total = self.started.elapsed();
    }
}

/// A head as curl shows it: the status line, the headers, an empty line (CRLF each).
pub fn head_text(head: &Head) -> Vec<u8> {
    let mut out = format!("{} {} {}", head.version, head.status, head.reason)
        .trim_end()
        .as_bytes()
        .to_vec();
    out.extend_from_slice(b"\r\n");
    for (name, value) in &head.headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// `-v`: the request as sent (`> ` lines) on stderr.
pub fn verbose_request(plan: &Plan) {
    let url = &plan.url;
    let mut target = url.path().to_string();
    if let Some(q) = url.query() {
        target = format!("{target}?{q}");
    }
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    };
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "* Connecting to {host} through the sandbox's network");
    let _ = write!(
        err,
        "> {} {target} HTTP/1.1\r\n> Host: {host}\r\n",
        plan.method
    );
    for (name, value) in &plan.headers {
        let _ = write!(err, "> {name}: {}\r\n", String::from_utf8_lossy(value));
    }
    let _ = write!(err, "> \r\n");
}

/// `-v`: a response head (`< ` lines) on stderr.
pub fn verbose_response(text: &[u8]) {
    let mut err = io::stderr().lock();
    for line in String::from_utf8_lossy(text).split_inclusive("\r\n") {
        let _ = write!(err, "< {line}");
    }
}

/// `-D`: heads to a file, or to stdout for `-`.
pub struct HeaderDump(Option<Box<dyn Write>>);

impl HeaderDump {
    pub fn open(o: &Options) -> Result<HeaderDump, Error> {
        let Some(path) = &o.dump_header else {
            return Ok(HeaderDump(None));
        };
        if path == "-" {
            return Ok(HeaderDump(Some(Box::new(io::stdout()))));
        }
        let file = std::fs::File::create(path).map_err(|e| {
            Error::new(
                23,
                format!("Failed to open {path}: {}", crate::cli::io_error(&e)),
            )
        })?;
        Ok(HeaderDump(Some(Box::new(file))))
    }

    pub fn write(&mut self, text: &[u8]) -> Result<(), Error> {
        match &mut self.0 {
            Some(out) => (out.write_all(text).and_then(|()| out.flush()))
                .map_err(|_| Error::new(23, "Failure writing output to destination".into())),
            None => Ok(()),
        }
    }
}

/// `-w FORMAT` (or `@file`, `@-`): `%{variable}`, `%header{name}`, `%%`, `\n` `\r` `\t` `\\`;
/// `%{stderr}`/`%{stdout}` switch where the rest goes.
pub fn write_out(format: &str, stats: &Stats) {
    let format = match format.strip_prefix('@') {
        Some(path) => super::args::read_source(path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default(),
        None => format.to_string(),
    };
    let mut to_stderr = false;
    let mut out = String::new();
    let flush = |out: &mut String, to_stderr: bool| {
        let _ = if to_stderr {
            io::stderr().write_all(out.as_bytes())
        } else {
            io::stdout().write_all(out.as_bytes())
        };
        out.clear();
    };
    let mut rest = format.as_str();
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("%{") {
            let Some(end) = after.find('}') else {
                out.push_str(rest);
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            match name {
                "stderr" | "stdout" => {
                    flush(&mut out, to_stderr);
                    to_stderr = name == "stderr";
                }
                _ => match variable(name, stats) {
                    Some(v) => out.push_str(&v),
                    None => eprintln!("curl: unknown --write-out variable: '{name}'"),
                },
            }
        } else if let Some(after) = rest.strip_prefix("%header{") {
            let end = after.find('}').unwrap_or(after.len());
            let name = &after[..end];
            let values: Vec<String> = (stats.headers.iter())
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
                .collect();
            out.push_str(&values.join(", "));
            rest = after.get(end + 1..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix("%%") {
            out.push('%');
            rest = after;
        } else if let Some(after) = rest.strip_prefix('\\')
            && let Some(e) = after.chars().next()
            && matches!(e, 'n' | 'r' | 't' | '\\')
        {
            out.push(match e {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                _ => '\\',
            });
            rest = &after[1..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    flush(&mut out, to_stderr);
}

fn variable(name: &str, s: &Stats) -> Option<String> {
    let secs = |d: Duration| format!("{:.6}", d.as_secs_f64());
    Some(match name {
        "http_code" | "response_code" => format!("{:03}", s.http_code),
        "url_effective" => s.url_effective.clone(),
        "url" => s.url.clone(),
        "method" => s.method.clone(),
        "content_type" => s.content_type.clone(),
        "size_download" => s.size_download.to_string(),
        "size_header" => s.size_header.to_string(),
        "size_upload" | "size_request" => s.size_upload.to_string(),
        "num_redirects" => s.num_redirects.to_string(),
        "num_headers" => s.headers.len().to_string(),
        "redirect_url" => s.redirect_url.clone().unwrap_or_default(),
        "scheme" => s
            .url_effective
            .split(':')
            .next()
            .unwrap_or("")
            .to_ascii_uppercase(),
        "exitcode" => s.error.as_ref().map_or(0, |e| e.code).to_string(),
        "errormsg" => s
            .error
            .as_ref()
            .map(|e| e.message.clone())
            .unwrap_or_default(),
        "time_total" => secs(s.total),
        "time_starttransfer" => secs(s.starttransfer),
        "time_namelookup" | "time_connect" | "time_appconnect" | "time_pretransfer"
        | "time_redirect" => secs(Duration::ZERO),
        "speed_download" => {
            let t = s.total.as_secs_f64();
            format!(
                "{}",
                if t > 0.0 {
                    (s.size_download as f64 / t) as u64
                } else {
                    0
                }
            )
        }
        _ => return None,
    })
}
