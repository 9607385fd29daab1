//! The node options accepted before a program (`node [OPTIONS] FILE | -e CODE`): the ones that
//! change only what the runner does, passed on in `process.execArgv`; anything else is refused
//! as Node refuses a bad option.

/// Node options that change only what the runner does, accepted before the program and passed
/// on in `process.execArgv`: the test runner (`--test`), warnings off, `gc()` exposed, deprecations silenced, thrown or
/// traced (a trace is what Node prints anyway here), which CA lists `tls.getCACertificates`
/// reports as the default, four that turn on what is always on here (`require()` of ES
/// modules and `import.meta.resolve`, as in Node 22.12+; TypeScript's types stripped, as in
/// Node 22.18+; V8's `Float16Array`), and TypeScript's stripping off or its transforms on.
const RUNNER_FLAGS: &[&str] = &[
    "--experimental-require-module",
    "--experimental-strip-types",
    "--no-experimental-strip-types",
    "--experimental-transform-types",
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
    "--test",
    "--test-only",
    "--test-force-exit",
];

/// Node options with a value the runner reads from `process.execArgv` (kept as given): the
/// `.env` files loaded into `process.env` before the program runs, `process.title`, and the
/// modules required (`-r`/`--require`) and the ES modules imported (`--import`) before it, the
/// test runner's reporter; each with the message Node gives when its value is
/// missing.
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
    ("--test-reporter", "--test-reporter requires an argument"),
    (
        "--test-name-pattern",
        "--test-name-pattern requires an argument",
    ),
    (
        "--test-skip-pattern",
        "--test-skip-pattern requires an argument",
    ),
    ("--test-timeout", "--test-timeout requires an argument"),
    (
        "--test-concurrency",
        "--test-concurrency requires an argument",
    ),
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

/// A node option whose value is one of a few words: its name, the words, and what Node says
/// of a missing and of a bad value.
struct Choice {
    flag: &'static str,
    words: &'static [&'static str],
    missing: &'static str,
    invalid: &'static str,
}

/// `--unhandled-rejections` (its mode), `--input-type` and `--experimental-default-type` (the
/// module system of a program, or of a file no package.json types).
const CHOICES: &[Choice] = &[
    Choice {
        flag: "--unhandled-rejections",
        words: &["strict", "warn", "none", "throw", "warn-with-error-code"],
        missing: "--unhandled-rejections requires an argument",
        invalid: "invalid value for --unhandled-rejections",
    },
    Choice {
        flag: "--input-type",
        words: &[
            "module",
            "commonjs",
            "module-typescript",
            "commonjs-typescript",
        ],
        missing: "--input-type requires an argument",
        invalid: "--input-type must be \"module\", \"commonjs\", \"module-typescript\" or \"commonjs-typescript\"",
    },
    Choice {
        flag: "--experimental-default-type",
        words: &["module", "commonjs"],
        missing: "--experimental-default-type requires an argument",
        invalid: "--experimental-default-type must be \"module\" or \"commonjs\"",
    },
];

/// `--NAME=WORD` or `--NAME WORD` of a [`CHOICES`] option at the start of `args`: pushes the
/// `=` form to `options` and says how many arguments it took.
fn choice_flag(args: &[String], options: &mut Vec<String>) -> Result<Option<usize>, &'static str> {
    let Some(first) = args.first() else {
        return Ok(None);
    };
    for choice in CHOICES {
        let (word, used) = match first.strip_prefix(choice.flag) {
            Some(rest) if rest.starts_with('=') => (&rest[1..], 1),
            Some("") => (args.get(1).ok_or(choice.missing)?.as_str(), 2),
            _ => continue,
        };
        if !choice.words.contains(&word) {
            return Err(choice.invalid);
        }
        options.push(format!("{}={word}", choice.flag));
        return Ok(Some(used));
    }
    Ok(None)
}

/// One leading option of `args` (one of [`RUNNER_FLAGS`], [`RUNNER_VALUE_FLAGS`] and
/// [`CHOICES`], normalized) pushed to `options`: how many arguments it took; `None` when `args`
/// does not start with one; the message Node reports for a bad one.
fn take_option(args: &[String], options: &mut Vec<String>) -> Result<Option<usize>, &'static str> {
    if let Some(flag) = value_flag(args) {
        let used = flag?;
        options.extend(args[..used].iter().cloned());
        return Ok(Some(used));
    }
    if let Some(used) = choice_flag(args, options)? {
        return Ok(Some(used));
    }
    match args {
        [flag, ..] if RUNNER_FLAGS.contains(&flag.as_str()) => {
            options.push(flag.replace("expose_gc", "expose-gc"));
            Ok(Some(1))
        }
        _ => Ok(None),
    }
}

/// Leading node options (see [`take_option`]): the options, whether an input type was among
/// them, and the rest of argv; or the message of the failure Node reports.
pub(super) fn node_options(
    args: &[String],
) -> Result<(Vec<String>, bool, &[String]), &'static str> {
    let mut options = Vec::new();
    let mut rest = args;
    while let Some(used) = take_option(rest, &mut options)? {
        rest = &rest[used..];
    }
    let input_type = options.iter().any(|o| o.starts_with("--input-type="));
    Ok((options, input_type, rest))
}

/// The runner's options among `NODE_OPTIONS`' words, as a command line's are taken (Node reads
/// that variable before the command line, which wins where both set one). Any other option Node
/// accepts there (`--max-old-space-size=4096`, `--enable-source-maps`...) changes nothing here
/// and is left out, as is one with a missing or bad value; so is `--input-type`, which only a
/// command line sets here.
pub fn from_env(text: &str) -> Vec<String> {
    let words = split(text);
    let mut options = Vec::new();
    let mut rest = &words[..];
    while !rest.is_empty() {
        let used = take_option(rest, &mut options).ok().flatten().unwrap_or(1);
        rest = &rest[used..];
    }
    options.retain(|o| !o.starts_with("--input-type="));
    without_test_options(options)
}

/// `options` without the test runner's (Node refuses them in `NODE_OPTIONS`), values included.
fn without_test_options(options: Vec<String>) -> Vec<String> {
    let mut kept = Vec::with_capacity(options.len());
    let mut words = options.into_iter();
    while let Some(word) = words.next() {
        if !word.starts_with("--test") {
            kept.push(word);
        } else if RUNNER_VALUE_FLAGS.iter().any(|(name, _)| *name == word) {
            words.next();
        }
    }
    kept
}

/// Node's splitting of `NODE_OPTIONS`: words separated by spaces; double quotes group, and
/// inside them a backslash takes the next character as it is.
fn split(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                let next = chars.next().unwrap_or('\\');
                word.get_or_insert_with(String::new).push(next);
            }
            '"' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            ' ' if !quoted => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_options_split_on_spaces_outside_quotes() {
        assert_eq!(
            split(r#"  -r  "a b" "c\"d"  "" e"#),
            ["-r", "a b", "c\"d", "", "e"]
        );
    }

    #[test]
    fn node_options_keep_the_runners_options_only() {
        let text = "--max-old-space-size=64 --no-warnings --require ./a.js --import=b.mjs \
                    --unhandled-rejections=strict --unhandled-rejections=bogus --expose_gc \
                    --input-type=module --test --test-reporter tap --title";
        assert_eq!(
            from_env(text),
            [
                "--no-warnings",
                "--require",
                "./a.js",
                "--import=b.mjs",
                "--unhandled-rejections=strict",
                "--expose-gc"
            ]
        );
    }
}
