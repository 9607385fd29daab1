//! The node options accepted before a program (`node [OPTIONS] FILE | -e CODE`): the ones that
//! change only what the runner does, passed on in `process.execArgv`; anything else is refused
//! as Node refuses a bad option.

/// Node options that change only what the runner does, accepted before the program and passed
/// on in `process.execArgv`: warnings off, `gc()` exposed, deprecations silenced, thrown or
/// traced (a trace is what Node prints anyway here), which CA lists `tls.getCACertificates`
/// reports as the default, and three that turn on what is always on here (`require()` of ES
/// modules and `import.meta.resolve`, as in Node 22.12+; V8's `Float16Array`).
const RUNNER_FLAGS: &[&str] = &[
    "--experimental-require-module",
    "--experimental-import-meta-resolve",
    "--js-float16array",
    "--no-warnings",
    "--expose-gc",
    "--expose_gc",
    "--no-deprecation",
    "--throw-deprecation",
    "--pending-deprecation",
    "--trace-deprecation",
    "--trace-warnings",
    "--use-bundled-ca",
    "--use-openssl-ca",
    "--no-use-openssl-ca",
    "--use-system-ca",
    "--no-use-system-ca",
];

/// Node options with a value the runner reads from `process.execArgv` (kept as given): the
/// `.env` files loaded into `process.env` before the program runs, `process.title`, and the
/// modules required (`-r`/`--require`) and the ES modules imported (`--import`) before it; each
/// with the message Node gives when its value is missing.
const RUNNER_VALUE_FLAGS: &[(&str, &str)] = &[
    ("--env-file", "--env-file requires an argument"),
    (
        "--env-file-if-exists",
        "--env-file-if-exists requires an argument",
    ),
    ("--title", "--title requires an argument"),
    ("-r", "-r requires an argument"),
    ("--require", "--require requires an argument"),
    ("--import", "--import requires an argument"),
];

/// `--NAME=VALUE` or `--NAME VALUE` of a [`RUNNER_VALUE_FLAGS`] option at the start of `args`:
/// how many arguments it takes; `Err` when its value is missing.
fn value_flag(args: &[String]) -> Option<Result<usize, &'static str>> {
    let first = args.first()?;
    let (name, missing) = RUNNER_VALUE_FLAGS.iter().find(|(name, _)| {
        first == *name
            || first
                .strip_prefix(*name)
                .is_some_and(|v| v.starts_with('='))
    })?;
    if first.len() > name.len() {
        return Some(Ok(1));
    }
    Some(args.get(1).map(|_| 2).ok_or(*missing))
}

/// Node's `--unhandled-rejections` modes.
const REJECTION_MODES: &[&str] = &["strict", "warn", "none", "throw", "warn-with-error-code"];

/// `--unhandled-rejections=MODE` / `--unhandled-rejections MODE` at the start of `args`: pushes
/// the `=` form to `options` and says how many arguments it took.
fn rejections_flag(
    args: &[String],
    options: &mut Vec<String>,
) -> Result<Option<usize>, &'static str> {
    const FLAG: &str = "--unhandled-rejections";
    let (mode, used) = match args {
        [flag, ..] if flag.starts_with("--unhandled-rejections=") => (&flag[FLAG.len() + 1..], 1),
        [flag, mode, ..] if flag == FLAG => (mode.as_str(), 2),
        [flag] if flag == FLAG => return Err("--unhandled-rejections requires an argument"),
        _ => return Ok(None),
    };
    if !REJECTION_MODES.contains(&mode) {
        return Err("invalid value for --unhandled-rejections");
    }
    options.push(format!("{FLAG}={mode}"));
    Ok(Some(used))
}

/// Leading node options: `--input-type=VALUE` / `--input-type VALUE` (normalized),
/// [`RUNNER_FLAGS`] and [`RUNNER_VALUE_FLAGS`]; the options, whether an input type was among
/// them, and the rest of argv; or the message of the failure Node reports.
pub(super) fn node_options(
    args: &[String],
) -> Result<(Vec<String>, bool, &[String]), &'static str> {
    let mut options = Vec::new();
    let mut input_type = false;
    let mut rest = args;
    loop {
        if let Some(flag) = value_flag(rest) {
            let used = flag?;
            options.extend(rest[..used].iter().cloned());
            rest = &rest[used..];
            continue;
        }
        if let Some(used) = rejections_flag(rest, &mut options)? {
            rest = &rest[used..];
            continue;
        }
        let (value, used) = match rest {
            [flag, ..] if RUNNER_FLAGS.contains(&flag.as_str()) => {
                options.push(flag.replace("expose_gc", "expose-gc"));
                rest = &rest[1..];
                continue;
            }
            [flag, ..] if flag.starts_with("--input-type=") => (&flag["--input-type=".len()..], 1),
            [flag, value, ..] if flag == "--input-type" => (value.as_str(), 2),
            [flag] if flag == "--input-type" => return Err("--input-type requires an argument"),
            _ => return Ok((options, input_type, rest)),
        };
        if value != "module" && value != "commonjs" {
            return Err("--input-type must be \"module\" or \"commonjs\"");
        }
        options.push(format!("--input-type={value}"));
        input_type = true;
        rest = &rest[used..];
    }
}
