//! Wget's command line: GNU getopt's bundling (`-qO-`), `--name=value` or `--name value`, and
//! its two-letter `-n` family (`-nv`, `-nc`).

/// Parsed options.
#[derive(Default)]
pub struct Options {
    pub quiet: bool,
    pub no_verbose: bool,
    /// `-O FILE` (`-`: stdout): every document goes there.
    pub document: Option<String>,
    /// `-P DIR`.
    pub prefix: Option<String>,
    pub headers: Vec<(String, Vec<u8>)>,
    pub user_agent: Option<String>,
    pub method: Option<String>,
    pub body: Option<Vec<u8>>,
    /// `-T SECONDS` in milliseconds (0: none).
    pub timeout_ms: u32,
    pub tries: u32,
    pub max_redirect: u32,
    pub no_clobber: bool,
    /// `-c`: write over the file of the same name (the whole document is fetched again, so
    /// what a resumed download would hold).
    pub continue_: bool,
    pub server_response: bool,
    pub content_on_error: bool,
    pub urls: Vec<String>,
}

/// A usage error, worded as wget words it.
pub struct Usage(pub String);

/// Options that take a value, by long name; their short letters map here too.
const WITH_VALUE: &[&str] = &[
    "output-document",
    "directory-prefix",
    "header",
    "user-agent",
    "method",
    "post-data",
    "post-file",
    "body-data",
    "body-file",
    "timeout",
    "read-timeout",
    "connect-timeout",
    "dns-timeout",
    "tries",
    "max-redirect",
    "output-file",
    "append-output",
    "compression",
];

fn long_of(short: char) -> Option<&'static str> {
    Some(match short {
        'O' => "output-document",
        'P' => "directory-prefix",
        'U' => "user-agent",
        'T' => "timeout",
        't' => "tries",
        'o' => "output-file",
        'a' => "append-output",
        'q' => "quiet",
        'S' => "server-response",
        'v' => "verbose",
        'c' => "continue",
        _ => return None,
    })
}

pub fn parse(args: Vec<String>) -> Result<Options, Usage> {
    let mut o = Options {
        tries: 20,
        max_redirect: 20,
        ..Options::default()
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        if arg == "--" {
            o.urls.extend(it.by_ref());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            let value = if WITH_VALUE.contains(&name) {
                Some(
                    inline
                        .or_else(|| it.next())
                        .ok_or_else(|| Usage(format!("option '--{name}' requires an argument")))?,
                )
            } else {
                None
            };
            apply(&mut o, name, value)?;
            continue;
        }
        match arg.strip_prefix('-') {
            Some(flags) if !flags.is_empty() => short(&mut o, flags, &mut it)?,
            _ => o.urls.push(arg),
        }
    }
    Ok(o)
}

/// A bundle of short options: `-qO-`, `-O file`, `-nv`.
fn short(
    o: &mut Options,
    flags: &str,
    rest: &mut impl Iterator<Item = String>,
) -> Result<(), Usage> {
    for (at, c) in flags.char_indices() {
        if c == 'n' {
            for n in flags[at + 1..].chars() {
                match n {
                    'v' => o.no_verbose = true,
                    'c' => o.no_clobber = true,
                    'd' | 'H' | 'p' => {}
                    other => return Err(Usage(format!("invalid option -- 'n{other}'"))),
                }
            }
            return Ok(());
        }
        let name = long_of(c).ok_or_else(|| Usage(format!("invalid option -- '{c}'")))?;
        if WITH_VALUE.contains(&name) {
            let inline = &flags[at + c.len_utf8()..];
            let value = if inline.is_empty() {
                rest.next()
            } else {
                Some(inline.to_owned())
            };
            let value =
                value.ok_or_else(|| Usage(format!("option requires an argument -- '{c}'")))?;
            return apply(o, name, Some(value));
        }
        apply(o, name, None)?;
    }
    Ok(())
}

fn apply(o: &mut Options, name: &str, value: Option<String>) -> Result<(), Usage> {
    let value = value.unwrap_or_default();
    match name {
        "quiet" => o.quiet = true,
        "verbose" => o.no_verbose = false,
        "no-verbose" => o.no_verbose = true,
        "no-clobber" => o.no_clobber = true,
        "continue" => o.continue_ = true,
        "server-response" => o.server_response = true,
        "content-on-error" => o.content_on_error = true,
        "no-check-certificate" | "no-hsts" | "no-cookies" | "no-cache" | "no-dns-cache" => {}
        "output-document" => o.document = Some(value),
        "directory-prefix" => o.prefix = Some(value),
        "user-agent" => o.user_agent = Some(value),
        "method" => o.method = Some(value.to_ascii_uppercase()),
        "post-data" | "body-data" => o.body = Some(value.into_bytes()),
        "post-file" | "body-file" => {
            let bytes = std::fs::read(&value)
                .map_err(|e| Usage(format!("{value}: {}", crate::cli::io_error(&e))))?;
            o.body = Some(bytes);
        }
        "header" => match value.split_once(':') {
            Some((n, v)) => o
                .headers
                .push((n.trim().to_owned(), v.trim().as_bytes().to_vec())),
            None => return Err(Usage(format!("--header: Invalid header '{value}'."))),
        },
        "timeout" | "read-timeout" | "connect-timeout" | "dns-timeout" => {
            let secs: f64 = value
                .parse()
                .map_err(|_| Usage(format!("--{name}: Invalid time period '{value}'")))?;
            o.timeout_ms = (secs * 1000.0).clamp(0.0, f64::from(u32::MAX)) as u32;
        }
        "tries" => {
            o.tries = match value.as_str() {
                "0" | "inf" => u32::MAX,
                n => n
                    .parse()
                    .map_err(|_| Usage(format!("--tries: Invalid number '{n}'.")))?,
            }
        }
        "max-redirect" => {
            o.max_redirect = value
                .parse()
                .map_err(|_| Usage(format!("--max-redirect: Invalid number '{value}'.")))?;
        }
        "output-file" | "append-output" | "compression" => {}
        other => return Err(Usage(format!("unrecognized option '--{other}'"))),
    }
    Ok(())
}
