//! `whoami`, `id`, `groups`, `hostname` and `tty`: who and where a guest is, as the sandbox's Node says it
//! (`runner-js/lib/os.js`: user `root`, uid and gid 0, host `agentos`).
//!
//! Ours rather than uutils': `uu_whoami` and `uu_id` look the user up in the system's user
//! database and `uu_hostname` asks the kernel, none of which WASI has; a sandbox's identity is
//! fixed, so these print it.

use std::ffi::OsString;
use std::io::{self, Write};

use crate::cli::operands as args;

const USER: &str = "root";
const HOST: &str = "agentos";

fn say(text: &str) -> i32 {
    match writeln!(io::stdout(), "{text}") {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

fn fail(cmd: &str, msg: &str, status: i32) -> i32 {
    let _ = writeln!(io::stderr(), "{cmd}: {msg}");
    status
}

/// `whoami`.
pub fn whoami(argv: Vec<OsString>) -> i32 {
    match args(argv).first() {
        None => say(USER),
        Some(extra) => fail("whoami", &format!("extra operand '{extra}'"), 1),
    }
}

/// `hostname [-s|-f|-A|-a|-i|-I]`; setting a name fails, as it does for a user without the
/// right to.
pub fn hostname(argv: Vec<OsString>) -> i32 {
    let args = args(argv);
    match args.iter().find(|a| !a.starts_with('-')) {
        Some(_) => fail("hostname", "you must be root to change the host name", 1),
        None if args.iter().any(|a| a == "-i" || a == "-I") => say("127.0.0.1"),
        None => say(HOST),
    }
}

/// `id [-u|-g|-G] [-n] [-r] [USER]`.
pub fn id(argv: Vec<OsString>) -> i32 {
    let args = args(argv);
    let (flags, users): (Vec<&String>, Vec<&String>) =
        args.iter().partition(|a| a.starts_with('-') && a.len() > 1);
    if let Some(user) = users
        .iter()
        .find(|u| u.as_str() != USER && u.as_str() != "0")
    {
        return fail("id", &format!("'{user}': no such user"), 1);
    }
    let letters: String = flags
        .iter()
        .flat_map(|f| f.trim_start_matches('-').chars())
        .collect();
    if let Some(bad) = letters.chars().find(|c| !"ugGnrz".contains(*c)) {
        return fail("id", &format!("invalid option -- '{bad}'"), 1);
    }
    let one = ['u', 'g', 'G']
        .iter()
        .filter(|c| letters.contains(**c))
        .count();
    if one > 1 {
        return fail("id", "cannot print \"only\" of more than one choice", 1);
    }
    if one == 0 {
        return say("uid=0(root) gid=0(root) groups=0(root)");
    }
    say(if letters.contains('n') { USER } else { "0" })
}

/// `groups [USER]...`: the one group, as coreutils prints it.
pub fn groups(argv: Vec<OsString>) -> i32 {
    let users = args(argv);
    if users.is_empty() {
        return say(USER);
    }
    let mut status = 0;
    for user in &users {
        if user == USER || user == "0" {
            status |= say(&format!("{user} : {USER}"));
        } else {
            status = fail("groups", &format!("'{user}': no such user"), 1);
        }
    }
    status
}

/// `tty [-s]`: a guest's stdin is never a terminal.
pub fn tty(argv: Vec<OsString>) -> i32 {
    let args = args(argv);
    match args
        .iter()
        .find(|a| a.as_str() != "-s" && a.as_str() != "--silent" && a.as_str() != "--quiet")
    {
        Some(bad) => fail("tty", &format!("extra operand '{bad}'"), 2),
        None if args.is_empty() => {
            let _ = say("not a tty");
            1
        }
        None => 1,
    }
}
