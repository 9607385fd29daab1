//! curl's command line: short options (bundled, `-sSL`; a value attached or next, `-XPOST`,
//! `-o file`), long options with their value next (curl takes no `--opt=value`), every operand
//! a URL. Data options read their files (`@file`, `@-` for stdin) as curl does, when parsed.

use std::io::Read;

/// Where one URL's body goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    File(String),
    /// `-O`: a file named after the URL's last path segment.
    Remote,
}

/// `-f` and `--fail-with-body`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fail {
    #[default]
    No,
    Quiet,
    WithBody,
}

/// What the command line asked for.
#[derive(Debug, Default)]
pub struct Options {
    pub urls: Vec<String>,
    /// `-o`/`-O`, paired with the URLs in order.
    pub outputs: Vec<Output>,
    pub remote_name_all: bool,
    pub output_dir: Option<String>,
    pub create_dirs: bool,
    pub silent: bool,
    pub show_error: bool,
    pub fail: Fail,
    pub location: bool,
    pub location_trusted: bool,
    /// `--max-redirs` (-1: no limit).
    pub max_redirs: i64,
    pub method: Option<String>,
    pub headers: Vec<String>,
    /// `-d` and friends, each already read and encoded.
    pub data: Vec<Vec<u8>>,
    /// `--json` was given (its pieces are joined without `&`).
    pub json: bool,
    pub get: bool,
    /// `-F`: `name=value`, `name=@file`, `name=<file`.
    pub form: Vec<String>,
    pub include: bool,
    pub head: bool,
    pub verbose: bool,
    pub write_out: Option<String>,
    pub user_agent: Option<String>,
    pub referer: Option<String>,
    pub user: Option<String>,
    pub bearer: Option<String>,
    pub cookies: Vec<String>,
    pub compressed: bool,
    pub max_time: Option<f64>,
    pub connect_timeout: Option<f64>,
    pub retry: u32,
    pub retry_delay: Option<f64>,
    pub upload: Option<String>,
    pub dump_header: Option<String>,
}

/// Options that take no value, by long name.
const FLAGS: &[&str] = &[
    "silent",
    "show-error",
    "fail",
    "fail-with-body",
    "location",
    "location-trusted",
    "remote-name",
    "remote-name-all",
    "create-dirs",
    "get",
    "include",
    "head",
    "verbose",
    "compressed",
    "insecure",
    "progress-bar",
    "no-progress-meter",
    "no-buffer",
    "http1.1",
    "http1.0",
    "http2",
    "globoff",
    "path-as-is",
    "ipv4",
    "ipv6",
    "tlsv1.2",
    "tlsv1.3",
    "raw",
    "disable",
    "help",
    "version",
    "fail-early",
];

/// Options that take a value, by long name.
const VALUED: &[&str] = &[
    "output",
    "output-dir",
    "max-redirs",
    "request",
    "header",
    "data",
    "data-ascii",
    "data-raw",
    "data-binary",
    "data-urlencode",
    "json",
    "form",
    "form-string",
    "write-out",
    "user-agent",
    "referer",
    "user",
    "oauth2-bearer",
    "cookie",
    "max-time",
    "connect-timeout",
    "retry",
    "retry-delay",
    "retry-max-time",
    "upload-file",
    "dump-header",
    "url",
    "noproxy",
    "proxy",
    "cacert",
    "resolve",
];

/// The long name of a short option.
fn long_of(short: char) -> Option<&'static str> {
    Some(match short {
        's' => "silent",
        'S' => "show-error",
        'f' => "fail",
        'L' => "location",
        'O' => "remote-name",
        'G' => "get",
        'i' => "include",
        'I' => "head",
        'v' => "verbose",
        'k' => "insecure",
        '#' => "progress-bar",
        'N' => "no-buffer",
        'g' => "globoff",
        '4' => "ipv4",
        '6' => "ipv6",
        'q' => "disable",
        'h' => "help",
        'V' => "version",
        'o' => "output",
        'X' => "request",
        'H' => "header",
        'd' => "data",
        'F' => "form",
        'w' => "write-out",
        'A' => "user-agent",
        'e' => "referer",
        'u' => "user",
        'b' => "cookie",
        'm' => "max-time",
        'T' => "upload-file",
        'D' => "dump-header",
        'x' => "proxy",
        _ => return None,
    })
}

/// A usage error, worded as curl words it (`option -o: requires parameter`).
pub struct Usage(pub String);

/// Parses curl's arguments (after argv[0]).
pub fn parse(args: Vec<String>) -> Result<Options, Usage> {
    let mut o = Options {
        max_redirs: 50,
        ..Options::default()
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if let Some(long) = arg.strip_prefix("--") {
            let name = canonical(long).ok_or_else(|| unknown(&arg))?;
            let value = if VALUED.contains(&name) {
                Some(args.next().ok_or_else(|| needs(&arg))?)
            } else {
                None
            };
            apply(&mut o, name, &arg, value)?;
        } else if arg.len() > 1 && arg.starts_with('-') {
            let shorts: Vec<char> = arg[1..].chars().collect();
            for (i, c) in shorts.iter().enumerate() {
                let shown = format!("-{c}");
                let name = long_of(*c).ok_or_else(|| unknown(&shown))?;
                if !VALUED.contains(&name) {
                    apply(&mut o, name, &shown, None)?;
                    continue;
                }
                let attached: String = shorts[i + 1..].iter().collect();
                let value = if attached.is_empty() {
                    args.next().ok_or_else(|| needs(&shown))?
                } else {
                    attached
                };
                apply(&mut o, name, &shown, Some(value))?;
                break;
            }
        } else {
            o.urls.push(arg);
        }
    }
    Ok(o)
}

/// A long option's name as the tables have it (`--no-silent` is not curl's; `--data-ascii` is).
fn canonical(long: &str) -> Option<&'static str> {
    FLAGS.iter().chain(VALUED).find(|n| **n == long).copied()
}

fn unknown(arg: &str) -> Usage {
    Usage(format!("option {arg}: is unknown"))
}

fn needs(arg: &str) -> Usage {
    Usage(format!("option {arg}: requires parameter"))
}

fn number(arg: &str, value: &str) -> Result<f64, Usage> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .ok_or_else(|| {
            Usage(format!(
                "option {arg}: expected a proper numerical parameter"
            ))
        })
}

fn apply(o: &mut Options, name: &str, arg: &str, value: Option<String>) -> Result<(), Usage> {
    let v = value.unwrap_or_default();
    match name {
        "silent" => o.silent = true,
        "show-error" => o.show_error = true,
        "fail" => o.fail = Fail::Quiet,
        "fail-with-body" => o.fail = Fail::WithBody,
        "location" => o.location = true,
        "location-trusted" => (o.location, o.location_trusted) = (true, true),
        "remote-name" => o.outputs.push(Output::Remote),
        "remote-name-all" => o.remote_name_all = true,
        "create-dirs" => o.create_dirs = true,
        "get" => o.get = true,
        "include" => o.include = true,
        "head" => o.head = true,
        "verbose" => o.verbose = true,
        "compressed" => o.compressed = true,
        "output" => o.outputs.push(Output::File(v)),
        "output-dir" => o.output_dir = Some(v),
        "max-redirs" => {
            o.max_redirs = v.trim().parse().map_err(|_| {
                Usage(format!(
                    "option {arg}: expected a proper numerical parameter"
                ))
            })?
        }
        "request" => o.method = Some(v),
        "header" => o.headers.extend(header_lines(&v)?),
        "data" | "data-ascii" => o.data.push(data_text(&v)),
        "data-raw" => o.data.push(v.into_bytes()),
        "data-binary" => o.data.push(data_binary(&v)),
        "data-urlencode" => o.data.push(urlencoded(&v)),
        "json" => {
            o.json = true;
            o.data.push(data_binary(&v));
        }
        "form" | "form-string" => o.form.push(v),
        "write-out" => o.write_out = Some(v),
        "user-agent" => o.user_agent = Some(v),
        "referer" => o.referer = Some(v),
        "user" => o.user = Some(v),
        "oauth2-bearer" => o.bearer = Some(v),
        "cookie" => o.cookies.push(v),
        "max-time" => o.max_time = Some(number(arg, &v)?),
        "connect-timeout" => o.connect_timeout = Some(number(arg, &v)?),
        "retry" => o.retry = number(arg, &v)? as u32,
        "retry-delay" => o.retry_delay = Some(number(arg, &v)?),
        "upload-file" => o.upload = Some(v),
        "dump-header" => o.dump_header = Some(v),
        "url" => o.urls.push(v),
        "proxy" => {
            return Err(Usage(format!(
                "option {arg}: proxies are not supported in this sandbox (the sidecar connects)"
            )));
        }
        "help" => return Err(Usage(String::new())),
        "version" => return Err(Usage("version".into())),
        // Accepted and without effect here: TLS certificates are always verified, the
        // transfer is HTTP/1.1, there is no progress meter and nothing is globbed.
        _ => {}
    }
    Ok(())
}

/// `-H`'s value: one header, or `@file` with one per line.
fn header_lines(value: &str) -> Result<Vec<String>, Usage> {
    let Some(path) = value.strip_prefix('@') else {
        return Ok(vec![value.to_string()]);
    };
    let text = read_source(path).map_err(|e| Usage(format!("Failed to open {path}: {e}")))?;
    let text = String::from_utf8_lossy(&text);
    Ok(text
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .filter(|l| !l.is_empty())
        .collect())
}

/// A file's bytes, or stdin's for `-`.
pub fn read_source(path: &str) -> std::io::Result<Vec<u8>> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes)?;
        return Ok(bytes);
    }
    std::fs::read(path)
}

/// `-d @file` (or `-d text`): a file loses its carriage returns and newlines, as curl's does.
fn data_text(value: &str) -> Vec<u8> {
    match value.strip_prefix('@') {
        Some(path) => {
            let mut bytes = read_data(path);
            bytes.retain(|b| *b != b'\r' && *b != b'\n');
            bytes
        }
        None => value.as_bytes().to_vec(),
    }
}

/// `--data-binary @file` keeps every byte.
fn data_binary(value: &str) -> Vec<u8> {
    match value.strip_prefix('@') {
        Some(path) => read_data(path),
        None => value.as_bytes().to_vec(),
    }
}

fn read_data(path: &str) -> Vec<u8> {
    read_source(path).unwrap_or_else(|_| {
        eprintln!("Warning: Couldn't read data from file \"{path}\", this makes an empty POST.");
        Vec::new()
    })
}

/// `--data-urlencode`: `content`, `=content`, `name=content`, `@file`, `name@file`.
fn urlencoded(value: &str) -> Vec<u8> {
    let (name, content) = match value.find(['=', '@']) {
        Some(at) if value.as_bytes()[at] == b'=' => {
            (&value[..at], value.as_bytes()[at + 1..].to_vec())
        }
        Some(at) => (&value[..at], read_data(&value[at + 1..])),
        None => ("", value.as_bytes().to_vec()),
    };
    let mut out = name.as_bytes().to_vec();
    if !name.is_empty() {
        out.push(b'=');
    }
    // curl's form encoding: a space is `+`.
    out.extend(escape(&content).replace("%20", "+").bytes());
    out
}

/// Percent-encodes all but RFC 3986's unreserved characters, as `curl_easy_escape` does.
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
