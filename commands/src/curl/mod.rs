//! `curl`: HTTP(S) transfers through the exec's network (its policy, limits and secrets; the
//! sandbox's `agentos_v4.http_*` imports), with curl's common options, output and exit codes:
//! `-sSfL`, `-o`/`-O`, `-X`, `-H`, `-d`/`--data-*`/`--json`/`-F`/`-T`, `-G`, `-i`/`-I`/`-D`, `-v`,
//! `-w`, `-u`, `-b`, `-A`, `-e`, `--compressed`, `-m`, `--connect-timeout`, `--retry`.
//!
//! No Rust crate is curl's command line (the `curl` crate binds libcurl, which needs sockets
//! WASI does not have), so the front end is written here; HTTP itself is the sidecar's.
//! Redirects are followed here, hop by hop (each hop is checked by the policy like any request),
//! so `-i -L` shows every hop's head as curl does.

mod args;
mod form;
mod report;
mod request;

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use args::{Fail, Options, Output, Usage};
use report::{Error, Stats};
use request::Plan;

use crate::http::{self as exchange, Exchange, Head};

/// `curl`.
pub fn main(argv: Vec<OsString>) -> i32 {
    let options = match args::parse(crate::cli::operands(argv)) {
        Ok(o) => o,
        Err(Usage(msg)) => return usage(&msg),
    };
    if options.urls.is_empty() {
        return usage("no URL specified!");
    }
    let mut status = 0;
    for (i, url) in options.urls.iter().enumerate() {
        let output = options
            .outputs
            .get(i)
            .cloned()
            .or_else(|| options.remote_name_all.then_some(Output::Remote));
        let mut stats = Stats::new(url);
        let result = with_retries(&options, url, output.as_ref(), &mut stats);
        if let Err(e) = &result {
            status = e.code;
            stats.error = Some(e.clone());
            report::complain(&options, e);
        }
        if let Some(format) = &options.write_out {
            report::write_out(format, &stats);
        }
    }
    let _ = io::stdout().flush();
    status
}

fn usage(msg: &str) -> i32 {
    match msg {
        "" => {
            println!("Usage: curl [options...] <url>\n{}", report::HELP);
            0
        }
        "version" => {
            println!(
                "{} (agentos)\nProtocols: http https",
                request::USER_AGENT.replace('/', " ")
            );
            0
        }
        _ => {
            eprintln!(
                "curl: {msg}\ncurl: try 'curl --help' or 'curl --manual' for more information"
            );
            2
        }
    }
}

/// `--retry N`: a timeout, a failed connection or HTTP 408, 429, 500, 502, 503 or 504 is tried
/// again after 1 s, then 2, 4... (or `--retry-delay`).
fn with_retries(
    o: &Options,
    url: &str,
    output: Option<&Output>,
    stats: &mut Stats,
) -> Result<(), Error> {
    let mut delay = o.retry_delay.unwrap_or(1.0);
    for left in (0..=o.retry).rev() {
        let result = transfer(o, url, output, stats);
        let transient = match &result {
            Err(e) => matches!(e.code, 7 | 28) || e.code == 22 && retry_status(stats.http_code),
            Ok(()) => retry_status(stats.http_code),
        };
        if left == 0 || !transient {
            return result;
        }
        if !o.silent {
            let what = match &result {
                Err(e) if e.code != 22 => "timeout",
                _ => "HTTP error",
            };
            eprintln!(
                "Warning: Problem : {what}. Will retry in {delay} seconds. {left} retries left."
            );
        }
        std::thread::sleep(Duration::from_secs_f64(delay));
        if o.retry_delay.is_none() {
            delay *= 2.0;
        }
    }
    Ok(())
}

fn retry_status(code: u16) -> bool {
    matches!(code, 408 | 429 | 500 | 502 | 503 | 504)
}

/// One URL: hop by hop until a response that is not followed, then its body.
fn transfer(
    o: &Options,
    url: &str,
    output: Option<&Output>,
    stats: &mut Stats,
) -> Result<(), Error> {
    let mut plan = request::plan(o, url).map_err(Error::from)?;
    let started = Instant::now();
    stats.reset(started);
    let mut headers_out = report::HeaderDump::open(o)?;
    loop {
        let timeouts = timeouts(o, started);
        if o.verbose {
            report::verbose_request(&plan);
        }
        let req = exchange::Request {
            method: &plan.method,
            url: plan.url.as_str(),
            headers: &plan.headers,
            body: &plan.body,
            decode: o.compressed,
            head_ms: timeouts.0,
            end_ms: timeouts.1,
        };
        let ex = Exchange::start(&req).map_err(|f| Error::network(&f, &plan.url, started))?;
        let head = ex
            .head()
            .map_err(|f| Error::network(&f, &plan.url, started))?;
        stats.answered(&plan, &head);
        let head_text = report::head_text(&head);
        headers_out.write(&head_text)?;
        if o.verbose {
            report::verbose_response(&head_text);
        }
        let location = head
            .header("location")
            .map(|l| String::from_utf8_lossy(l).into_owned());
        if let Some(next) = follow(o, &plan, &head, location.as_deref(), stats)? {
            if (o.include || o.head) && output.is_none() {
                Sink::Stdout(io::stdout().lock()).write(&head_text)?;
            }
            plan = next;
            continue;
        }
        return deliver(o, output, &ex, &head, &head_text, &plan, stats);
    }
}

/// Milliseconds left for the head (`--connect-timeout`) and for the whole transfer (`-m`).
fn timeouts(o: &Options, started: Instant) -> (u32, u32) {
    let left = |secs: Option<f64>| {
        secs.map_or(0, |s| {
            let total = Duration::from_secs_f64(s);
            let rest = total.saturating_sub(started.elapsed()).as_millis();
            u32::try_from(rest.max(1)).unwrap_or(u32::MAX)
        })
    };
    (left(o.connect_timeout), left(o.max_time))
}

/// The next hop when `-L` follows this response.
fn follow(
    o: &Options,
    plan: &Plan,
    head: &Head,
    location: Option<&str>,
    stats: &mut Stats,
) -> Result<Option<Plan>, Error> {
    let redirect = matches!(head.status, 301..=303 | 307 | 308);
    let Some(location) = location.filter(|_| redirect) else {
        return Ok(None);
    };
    stats.redirect_url = plan.url.join(location).map(|u| u.to_string()).ok();
    if !o.location {
        return Ok(None);
    }
    if o.max_redirs >= 0 && i64::from(stats.num_redirects) >= o.max_redirs {
        return Err(Error::new(
            47,
            format!("Maximum ({}) redirects followed", o.max_redirs),
        ));
    }
    stats.num_redirects += 1;
    let next = request::redirected(o, plan, head.status, location);
    next.map(Some)
        .ok_or_else(|| Error::new(3, "URL using bad/illegal format or missing URL".into()))
}

/// The final response: its head (`-i`, `-I`) and body to the output, unless `-f` fails it.
fn deliver(
    o: &Options,
    output: Option<&Output>,
    ex: &Exchange,
    head: &Head,
    head_text: &[u8],
    plan: &Plan,
    stats: &mut Stats,
) -> Result<(), Error> {
    let failed = o.fail != Fail::No && head.status >= 400;
    if failed && o.fail == Fail::Quiet {
        return Err(http_error(head.status));
    }
    let mut sink = Sink::open(o, output, plan)?;
    if o.include || o.head {
        sink.write(head_text)?;
    }
    if plan.method != "HEAD" {
        let mut buf = vec![0u8; 64 << 10];
        loop {
            let started = stats.started;
            let n = ex
                .read(&mut buf)
                .map_err(|f| Error::network(&f, &plan.url, started))?;
            if n == 0 {
                break;
            }
            stats.size_download += n as u64;
            sink.write(&buf[..n])?;
        }
    }
    sink.finish()?;
    stats.finished();
    if failed {
        return Err(http_error(head.status));
    }
    Ok(())
}

fn http_error(status: u16) -> Error {
    Error::new(22, format!("The requested URL returned error: {status}"))
}

/// Where a body goes: stdout, or a file made when the response is delivered.
enum Sink {
    Stdout(io::StdoutLock<'static>),
    /// `-o /dev/null`: read and dropped. With mounts the sandbox has a `/dev/null`, but a
    /// command with none has no file system at all (as WASI's tests expect); the shell's
    /// redirect makes the same exception (`shell/src/exec/redirect.rs`).
    Null,
    File(File),
}

impl Sink {
    fn open(o: &Options, output: Option<&Output>, plan: &Plan) -> Result<Sink, Error> {
        let path = match output {
            None => return Ok(Sink::Stdout(io::stdout().lock())),
            Some(Output::File(p)) if p == "-" => return Ok(Sink::Stdout(io::stdout().lock())),
            Some(Output::File(p)) if p == "/dev/null" => return Ok(Sink::Null),
            Some(Output::File(p)) => p.clone(),
            Some(Output::Remote) => {
                let name = plan
                    .url
                    .path_segments()
                    .and_then(|mut s| s.next_back())
                    .unwrap_or("");
                if name.is_empty() {
                    return Err(Error::new(23, "Remote file name has no length!".into()));
                }
                name.to_string()
            }
        };
        let path = match &o.output_dir {
            Some(dir) => format!("{}/{path}", dir.trim_end_matches('/')),
            None => path,
        };
        if o.create_dirs
            && let Some((dir, _)) = path.rsplit_once('/')
            && !dir.is_empty()
        {
            let _ = std::fs::create_dir_all(dir);
        }
        File::create(&path).map(Sink::File).map_err(|e| {
            Error::new(
                23,
                format!(
                    "Failure writing output to destination, passed 0 returned 0 ({path}: {})",
                    crate::cli::io_error(&e)
                ),
            )
        })
    }

    fn write(&mut self, data: &[u8]) -> Result<(), Error> {
        let result = match self {
            Sink::Stdout(out) => out.write_all(data),
            Sink::File(f) => f.write_all(data),
            Sink::Null => Ok(()),
        };
        result.map_err(|_| Error::new(23, "Failure writing output to destination".into()))
    }

    fn finish(&mut self) -> Result<(), Error> {
        let result = match self {
            Sink::Stdout(out) => out.flush(),
            Sink::File(f) => f.flush(),
            Sink::Null => Ok(()),
        };
        result.map_err(|_| Error::new(23, "Failure writing output to destination".into()))
    }
}
