//! The entry point: `sh`/`bash` argv → a script → its exit status.
//!
//! ```text
//!   sh|bash [-euxfCa] [-o OPT] -c SCRIPT [NAME [ARGS...]]   the script is SCRIPT, $0 NAME
//!   sh|bash [options] FILE [ARGS...]                       FILE is read through the mounts
//!   sh|bash [options]                                      the script is all of stdin
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::ShellError;
use crate::limits::{Budget, Limits, ProcessCounts};
use crate::os::{OpenMode, Os};
use crate::shell::{Ctx, MessageMode, NFDS, Opts, Shell};
use crate::stop::Stop;
use crate::stream::{Io, read_to_end};
use crate::vars::Vars;

/// One run of the shell: its argv and the exec's setting.
#[derive(Debug)]
pub struct Invocation {
    /// `argv[0]` is `sh`, `bash`, `/bin/sh` or `/bin/bash` (see [`is_shell`]).
    pub argv: Vec<String>,
    /// The exec's environment (all exported).
    pub env: Vec<(String, String)>,
    /// The exec's working directory (absolute guest path).
    pub cwd: String,
    /// The exec's stdin (the script's fd 0).
    pub stdin: Io,
    /// The exec's stdout.
    pub stdout: Io,
    /// The exec's stderr.
    pub stderr: Io,
    /// `$$`.
    pub pid: u32,
    /// `$PPID`: the pid of the process that started the shell (0: none in the sandbox).
    pub ppid: u32,
    /// fds above 2 the script starts with (`bash script <(LIST)`).
    pub high_fds: Vec<crate::os::HighFd>,
}

/// Whether `argv0` names a program this crate runs: the shell (`sh`, `bash`, `/bin/sh`,
/// `/bin/bash`, `/usr/bin/...`) or `which` (a shell script on a real system).
pub fn is_shell(argv0: &str) -> bool {
    matches!(
        argv0,
        "sh" | "bash" | "/bin/sh" | "/bin/bash" | "/usr/bin/sh" | "/usr/bin/bash"
    ) || is_which(argv0)
}

fn is_which(argv0: &str) -> bool {
    matches!(argv0, "which" | "/bin/which" | "/usr/bin/which")
}

/// `$BASH_VERSION` (and what `bash --version` says).
const BASH_VERSION: &str = "5.2.15(1)-agentos";

/// Where the script text comes from (or `which`, run as a program of its own).
enum Source {
    Inline(String),
    File(String),
    Stdin,
    Which(Vec<String>),
    /// `bash --version`.
    Version,
}

struct Parsed {
    opts: Opts,
    source: Source,
    arg0: String,
    params: Vec<String>,
}

/// Runs the shell to its end on the calling thread; returns its exit status. Usage errors
/// (a bad option, a missing script file) are statuses (2, 127) with bash's message on stderr.
///
/// When it returns, `stop` has fired (cause `Engine("script ended")`, or the real cause):
/// internal processes the script did not wait for end; guests it did not wait for may still
/// run, and the engine ends them (as for `Kill`) before reporting the exec's end.
///
/// # Errors
/// [`ShellError`] when a limit was exceeded or `stop` fired: the exec ends with that typed
/// error.
pub fn run(
    os: Arc<dyn Os>,
    inv: Invocation,
    limits: Limits,
    stop: Stop,
) -> Result<i32, ShellError> {
    let posix = inv
        .argv
        .first()
        .is_some_and(|a| a.ends_with("sh") && !a.ends_with("bash"));
    let parsed = match parse_argv(&inv.argv) {
        Ok(p) => p,
        Err(msg) => {
            let text = format!("{}: {msg}\n", inv.argv.first().map_or("sh", String::as_str));
            let _ = crate::stream::write_all(&*inv.stderr, text.as_bytes());
            return Ok(2);
        }
    };
    let mode = match parsed.source {
        Source::File(_) => MessageMode::File,
        _ => MessageMode::Inline,
    };
    let ctx = Arc::new(Ctx {
        os,
        limits,
        budget: Arc::new(Budget::new(limits.max_memory)),
        procs: ProcessCounts::default(),
        posix,
        mode,
        root: stop.clone(),
        fatal: Mutex::new(None),
    });
    let mut shell = new_shell(ctx.clone(), &inv, parsed.opts, stop)?;
    shell.arg0 = parsed.arg0;
    shell.params = parsed.params;
    let status = run_source(&mut shell, parsed.source, &inv.stdin);
    drop(shell);
    // The script is over: internal processes still running (unwaited `&` jobs) end now;
    // the engine ends the guests that are left.
    ctx.root
        .stop(crate::stop::StopCause::Engine("script ended".into()));
    if let Some(e) = ctx.fatal() {
        return Err(e);
    }
    match status {
        Ok(s) => Ok(s),
        Err(crate::shell::Flow::Fatal(e)) => Err(e),
        Err(_) => Ok(1),
    }
}

fn run_source(shell: &mut Shell, source: Source, stdin: &Io) -> crate::shell::Res<i32> {
    let max = shell.ctx.limits.max_script_bytes;
    let script_path = match &source {
        Source::File(path) => Some(path.clone()),
        _ => None,
    };
    let text = match source {
        Source::Inline(t) => t,
        Source::File(path) => {
            let abs = shell.abs_path(&path);
            let bytes = shell
                .ctx
                .os
                .open(&abs, OpenMode::READ)
                .map_err(|e| e.to_string())
                .and_then(|io| read_to_end(&*io, max + 1).map_err(|e| e.to_string()));
            match bytes {
                Ok(b) => crate::bytes::decode_vec(b),
                Err(e) => {
                    shell.error(&format!("{path}: {e}"))?;
                    return Ok(127);
                }
            }
        }
        Source::Version => {
            let arch = std::env::consts::ARCH;
            let text = format!(
                "GNU bash, version {BASH_VERSION} ({arch}-pc-linux-gnu)\n\
                 The agentos sidecar's shell (not GNU bash), compatible with bash 5.2.\n"
            );
            return shell.print("bash", &text);
        }
        Source::Which(argv) => {
            let r = crate::builtins::lookup::which_program(shell, &argv);
            return shell.finish_process(r);
        }
        Source::Stdin => match read_to_end(&**stdin, max + 1) {
            Ok(b) => crate::bytes::decode_vec(b),
            Err(_) => String::new(),
        },
    };
    if text.len() > max {
        return Err(ShellError::ScriptTooLarge {
            size: text.len(),
            limit: max,
        }
        .into());
    }
    let parsed = crate::parse::parse(&text, shell.ctx.limits.max_nesting, &shell.syntax(&text))?;
    if let Some(path) = script_path {
        // A script file runs in a `main` frame (`BASH_SOURCE`, `caller`).
        let main = crate::callstack::Frame {
            name: Some("main".into()),
            file: path.into(),
            line: 0,
        };
        if let Err(flow) = shell.push_call(main) {
            return shell.finish_process(Err(flow));
        }
    }
    let r = shell.run_parsed(&parsed);
    shell.finish_process(r)
}

/// The bash this shell stands in for (scripts check `BASH_VERSION`, `BASH_VERSINFO` and
/// `OSTYPE` before they use bash's features): 5.2, the version its behaviour is compared with,
/// with `agentos` where bash names its release status. Shell variables, not exported.
fn identify_as_bash(vars: &mut Vars) -> Result<(), crate::vars::SetError> {
    let arch = std::env::consts::ARCH;
    let machine = format!("{arch}-pc-linux-gnu");
    let info = ["5", "2", "15", "1", "agentos", machine.as_str()];
    let plain = [
        ("BASH", "/bin/bash".to_string()),
        ("BASH_VERSION", BASH_VERSION.to_string()),
        ("OSTYPE", "linux-gnu".to_string()),
        ("HOSTTYPE", arch.to_string()),
        ("MACHTYPE", machine.clone()),
        // Who and where, as `whoami`, `hostname` and Node's `os` say here.
        ("HOSTNAME", "agentos".to_string()),
    ];
    for (name, value) in plain {
        vars.update(name, |var| var.value = Some(value))?;
    }
    for name in ["UID", "EUID"] {
        vars.update(name, |var| {
            var.value = Some("0".to_string());
            var.readonly = true;
        })?;
    }
    let elements = info.iter().map(|s| s.to_string()).enumerate().collect();
    vars.update("BASH_VERSINFO", |var| {
        var.value = None;
        var.array = Some(elements);
        var.readonly = true;
    })
}

fn new_shell(ctx: Arc<Ctx>, inv: &Invocation, opts: Opts, stop: Stop) -> Result<Shell, ShellError> {
    let mut vars = Vars::new(ctx.budget.clone());
    for (k, v) in &inv.env {
        if crate::vars::is_name(k) {
            let value = v.clone();
            vars.update(k, |var| {
                var.value = Some(value);
                var.exported = true;
            })
            .map_err(|_| ShellError::MemoryLimit {
                limit: ctx.limits.max_memory,
            })?;
        }
    }
    let level = vars
        .get("SHLVL")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0)
        + 1;
    let set = |vars: &mut Vars, k: &str, v: String| {
        vars.update(k, |var| {
            var.value = Some(v);
            var.exported = true;
        })
        .map_err(|_| ShellError::MemoryLimit {
            limit: ctx.limits.max_memory,
        })
    };
    set(&mut vars, "SHLVL", level.to_string())?;
    set(&mut vars, "PWD", crate::paths::normalize(&inv.cwd))?;
    // `$PPID` replaces one from the environment: bash's is read-only and not exported, dash's
    // stays exported when it came in exported.
    let (ppid, bash) = (inv.ppid.to_string(), !ctx.posix);
    vars.update("PPID", |var| {
        var.value = Some(ppid);
        var.readonly |= bash;
        var.exported &= !bash;
    })
    .map_err(|_| ShellError::MemoryLimit {
        limit: ctx.limits.max_memory,
    })?;
    if !ctx.posix {
        identify_as_bash(&mut vars).map_err(|_| ShellError::MemoryLimit {
            limit: ctx.limits.max_memory,
        })?;
    }
    let mut fds: [Option<Io>; NFDS] = Default::default();
    fds[0] = Some(inv.stdin.clone());
    fds[1] = Some(inv.stdout.clone());
    fds[2] = Some(inv.stderr.clone());
    Ok(Shell {
        ctx,
        stop,
        vars,
        funcs: HashMap::new(),
        params: Vec::new(),
        arg0: String::new(),
        opts,
        cwd: crate::paths::normalize(&inv.cwd),
        status: 0,
        fds,
        jobs: Vec::new(),
        last_bg: None,
        exit_trap: None,
        err_trap: None,
        in_err_trap: false,
        depth: 0,
        errexit_off: 0,
        line: 1,
        line_base: 0,
        loops: 0,
        sourcing: 0,
        pid: inv.pid,
        subst_status: None,
        high_fds: inv.high_fds.clone(),
        detach: None,
        declared_arrays: Vec::new(),
        dynamic: crate::dynamic::Dynamic::new(),
        calls: Vec::new(),
        substitutions: Vec::new(),
        arith_keys: Vec::new(),
        expansion_failed: false,
        aliases: Default::default(),
        getopts: Default::default(),
        dirstack: Vec::new(),
        frames: Vec::new(),
        func_files: HashMap::new(),
        traps: Default::default(),
        owns_stop: true,
    })
}

fn parse_argv(argv: &[String]) -> Result<Parsed, String> {
    let mut opts = Opts::default();
    if argv.first().is_some_and(|a| is_which(a)) {
        return Ok(Parsed {
            opts,
            source: Source::Which(argv.to_vec()),
            arg0: "which".into(),
            params: Vec::new(),
        });
    }
    let mut command = false;
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if a == "--" || a == "-" {
            i += 1;
            break;
        }
        if a.starts_with("--") {
            match a.as_str() {
                "--norc" | "--noprofile" | "--posix" | "--noediting" => {}
                "--version" if !argv[0].ends_with("sh") || argv[0].ends_with("bash") => {
                    return Ok(Parsed {
                        opts,
                        source: Source::Version,
                        arg0: argv[0].clone(),
                        params: Vec::new(),
                    });
                }
                _ => return Err(format!("{a}: invalid option")),
            }
            i += 1;
            continue;
        }
        let on = a.starts_with('-');
        if !(on || a.starts_with('+')) || a.len() < 2 {
            break;
        }
        for c in a[1..].chars() {
            match c {
                'c' => command = true,
                'o' => {
                    i += 1;
                    let name = argv.get(i).ok_or("-o: option requires an argument")?;
                    set_long(&mut opts, name, on)?;
                }
                'O' => {
                    i += 1;
                    let name = argv.get(i).ok_or("-O: option requires an argument")?;
                    let slot = crate::builtins::shopt::shopt_flag(&mut opts, name)
                        .ok_or(format!("{name}: invalid shell option name"))?;
                    *slot = on;
                }
                's' | 'i' | 'l' | 'h' | 'B' | 'v' | 'm' | 'p' | 'r' => {}
                _ => {
                    set_letter(&mut opts, c, on).ok_or(format!("{}{c}: invalid option", &a[..1]))?
                }
            }
        }
        i += 1;
    }
    let rest = &argv[i.min(argv.len())..];
    let arg0 = argv.first().cloned().unwrap_or_else(|| "sh".into());
    if command {
        let (script, rest) = rest
            .split_first()
            .ok_or("-c: option requires an argument")?;
        return Ok(Parsed {
            opts,
            source: Source::Inline(script.clone()),
            arg0: rest.first().cloned().unwrap_or(arg0),
            params: rest.iter().skip(1).cloned().collect(),
        });
    }
    Ok(match rest.split_first() {
        Some((file, args)) => Parsed {
            opts,
            source: Source::File(file.clone()),
            arg0: file.clone(),
            params: args.to_vec(),
        },
        None => Parsed {
            opts,
            source: Source::Stdin,
            arg0,
            params: Vec::new(),
        },
    })
}

fn set_letter(o: &mut Opts, c: char, on: bool) -> Option<()> {
    let f = match c {
        'e' => &mut o.errexit,
        'u' => &mut o.nounset,
        'x' => &mut o.xtrace,
        'f' => &mut o.noglob,
        'C' => &mut o.noclobber,
        'a' => &mut o.allexport,
        'n' => &mut o.noexec,
        'E' => &mut o.errtrace,
        _ => return None,
    };
    *f = on;
    Some(())
}

fn set_long(o: &mut Opts, name: &str, on: bool) -> Result<(), String> {
    let c = match name {
        "errexit" => 'e',
        "nounset" => 'u',
        "xtrace" => 'x',
        "noglob" => 'f',
        "noclobber" => 'C',
        "allexport" => 'a',
        "noexec" => 'n',
        "errtrace" => 'E',
        "pipefail" => {
            o.pipefail = on;
            return Ok(());
        }
        _ => return Err(format!("{name}: invalid option name")),
    };
    set_letter(o, c, on).ok_or_else(|| format!("{name}: invalid option name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dash_c_takes_script_name_and_args() {
        let p = parse_argv(&args(&["bash", "-ec", "echo $1", "me", "x"])).unwrap();
        assert!(p.opts.errexit);
        assert!(matches!(p.source, Source::Inline(ref s) if s == "echo $1"));
        assert_eq!(p.arg0, "me");
        assert_eq!(p.params, vec!["x"]);
    }

    #[test]
    fn file_and_stdin_forms() {
        let p = parse_argv(&args(&["sh", "-o", "pipefail", "s.sh", "a"])).unwrap();
        assert!(p.opts.pipefail);
        assert!(matches!(p.source, Source::File(ref f) if f == "s.sh"));
        assert!(matches!(
            parse_argv(&args(&["sh"])).unwrap().source,
            Source::Stdin
        ));
        assert!(parse_argv(&args(&["sh", "-q"])).is_err());
    }

    #[test]
    fn bash_has_a_version_option_and_sh_has_none_as_dash() {
        let p = parse_argv(&args(&["/bin/bash", "--version"])).unwrap();
        assert!(matches!(p.source, Source::Version));
        assert!(parse_argv(&args(&["sh", "--version"])).is_err());
    }

    #[test]
    fn which_is_its_own_program() {
        let p = parse_argv(&args(&["/usr/bin/which", "-a", "ls"])).unwrap();
        assert!(matches!(p.source, Source::Which(ref v) if v.len() == 3));
    }
}
