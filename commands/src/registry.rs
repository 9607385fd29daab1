//! The table of commands: name -> entry point.

use std::ffi::OsString;
use std::io::Write;

use crate::Main;

/// Runs a uutils command the way `uucore::bin!` does: load its (embedded, English) messages,
/// run it, flush stdout. Without the localization step the commands print message ids.
fn uutils(
    canonical: &str,
    args: Vec<OsString>,
    uumain: fn(std::vec::IntoIter<OsString>) -> i32,
) -> i32 {
    uucore::panic::mute_sigpipe_panic();
    if let Err(err) = uucore::locale::setup_localization(canonical) {
        let _ = writeln!(
            std::io::stderr(),
            "{canonical}: could not load messages: {err}"
        );
        return 99;
    }
    let code = uumain(args.into_iter());
    if let Err(err) = std::io::stdout().flush()
        && err.kind() != std::io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(std::io::stderr(), "{canonical}: write error: {err}");
        return 1;
    }
    code
}

macro_rules! uutils_table {
    ($( $name:literal => $canonical:literal $krate:ident ),* $(,)?) => {
        &[ $( ($name, |args| uutils($canonical, args, |a| $krate::uumain(a))), )* ]
    };
}

/// uutils coreutils and uutils grep (both are `uucore` commands).
const UUTILS: &[(&str, Main)] = uutils_table! {
    "[" => "test" uu_test,
    "arch" => "arch" uu_arch,
    "b2sum" => "b2sum" uu_b2sum,
    "base32" => "base32" uu_base32,
    "base64" => "base64" uu_base64,
    "basename" => "basename" uu_basename,
    "basenc" => "basenc" uu_basenc,
    "cat" => "cat" uu_cat,
    "cksum" => "cksum" uu_cksum,
    "comm" => "comm" uu_comm,
    "cp" => "cp" uu_cp,
    "csplit" => "csplit" uu_csplit,
    "cut" => "cut" uu_cut,
    "date" => "date" uu_date,
    "dd" => "dd" uu_dd,
    "dir" => "ls" uu_dir,
    "dircolors" => "dircolors" uu_dircolors,
    "dirname" => "dirname" uu_dirname,
    "du" => "du" uu_du,
    "echo" => "echo" uu_echo,
    "env" => "env" uu_env,
    "expand" => "expand" uu_expand,
    "expr" => "expr" uu_expr,
    "factor" => "factor" uu_factor,
    "false" => "false" uu_false,
    "fmt" => "fmt" uu_fmt,
    "fold" => "fold" uu_fold,
    "grep" => "grep" uu_grep,
    "head" => "head" uu_head,
    "join" => "join" uu_join,
    "link" => "link" uu_link,
    "ln" => "ln" uu_ln,
    "ls" => "ls" uu_ls,
    "md5sum" => "md5sum" uu_md5sum,
    "mkdir" => "mkdir" uu_mkdir,
    "mktemp" => "mktemp" uu_mktemp,
    "mv" => "mv" uu_mv,
    "nl" => "nl" uu_nl,
    "nproc" => "nproc" uu_nproc,
    "numfmt" => "numfmt" uu_numfmt,
    "od" => "od" uu_od,
    "paste" => "paste" uu_paste,
    "pathchk" => "pathchk" uu_pathchk,
    "pr" => "pr" uu_pr,
    "printenv" => "printenv" uu_printenv,
    "printf" => "printf" uu_printf,
    "ptx" => "ptx" uu_ptx,
    "pwd" => "pwd" uu_pwd,
    "readlink" => "readlink" uu_readlink,
    "realpath" => "realpath" uu_realpath,
    "rm" => "rm" uu_rm,
    "rmdir" => "rmdir" uu_rmdir,
    "seq" => "seq" uu_seq,
    "sha1sum" => "sha1sum" uu_sha1sum,
    "sha224sum" => "sha224sum" uu_sha224sum,
    "sha256sum" => "sha256sum" uu_sha256sum,
    "sha384sum" => "sha384sum" uu_sha384sum,
    "sha512sum" => "sha512sum" uu_sha512sum,
    "shred" => "shred" uu_shred,
    "shuf" => "shuf" uu_shuf,
    "sleep" => "sleep" uu_sleep,
    "sort" => "sort" uu_sort,
    "split" => "split" uu_split,
    "stat" => "stat" uu_stat,
    "sum" => "sum" uu_sum,
    "tac" => "tac" uu_tac,
    "tail" => "tail" uu_tail,
    "tee" => "tee" uu_tee,
    "test" => "test" uu_test,
    "touch" => "touch" uu_touch,
    "tr" => "tr" uu_tr,
    "true" => "true" uu_true,
    "truncate" => "truncate" uu_truncate,
    "tsort" => "tsort" uu_tsort,
    "uname" => "uname" uu_uname,
    "unexpand" => "unexpand" uu_unexpand,
    "uniq" => "uniq" uu_uniq,
    "unlink" => "unlink" uu_unlink,
    "vdir" => "ls" uu_vdir,
    "wc" => "wc" uu_wc,
    "yes" => "yes" uu_yes,
};

/// The commands that are not `uucore::bin!` commands.
const OTHERS: &[(&str, Main)] = &[
    ("awk", crate::awk::main),
    ("bunzip2", crate::compress::cli::bunzip2),
    ("bzcat", crate::compress::cli::bzcat),
    ("bzip2", crate::compress::cli::bzip2),
    ("chmod", crate::chmod::main),
    ("cmp", crate::diff::cmp_main),
    ("column", crate::column::main),
    ("curl", crate::curl::main),
    ("diff", crate::diff::main),
    ("egrep", grep_extended),
    ("envsubst", crate::envsubst::main),
    ("fgrep", grep_fixed),
    ("file", crate::file::main),
    ("find", find_main),
    ("groups", crate::identity::groups),
    ("hd", crate::hexdump::hd),
    ("hexdump", crate::hexdump::main),
    ("gunzip", crate::compress::cli::gunzip),
    ("gzip", crate::compress::cli::gzip),
    ("hostname", crate::identity::hostname),
    ("iconv", crate::iconv::main),
    ("id", crate::identity::id),
    ("install", crate::install::main),
    ("jq", crate::jq::main),
    ("nice", crate::runs::nice),
    ("nohup", crate::runs::nohup),
    ("patch", crate::patch::main),
    ("rev", crate::rev::main),
    ("sed", sed_main),
    ("sqlite3", crate::sqlite3::main),
    ("strings", crate::strings::main),
    ("tar", crate::tar::main),
    ("timeout", crate::timeout::main),
    ("tree", crate::tree::main),
    ("tty", crate::identity::tty),
    ("unxz", crate::compress::cli::unxz),
    ("unzip", crate::archive::extract::main),
    ("wget", crate::wget::main),
    ("whoami", crate::identity::whoami),
    ("xargs", xargs_main),
    ("xxd", crate::xxd::main),
    ("xz", crate::compress::cli::xz),
    ("xzcat", crate::compress::cli::xzcat),
    ("zcat", crate::compress::cli::zcat),
    ("zip", crate::archive::create::main),
];

/// The entry point of `name`, if this module has it.
pub fn find(name: &str) -> Option<Main> {
    UUTILS
        .iter()
        .chain(OTHERS)
        .find(|(n, _)| *n == name)
        .map(|(_, main)| *main)
}

/// [`find`] at compile time (for the one-command-per-module binaries).
pub const fn find_const(name: &str) -> Option<Main> {
    let tables = [UUTILS, OTHERS];
    let mut t = 0;
    while t < tables.len() {
        let mut i = 0;
        while i < tables[t].len() {
            if same(tables[t][i].0, name) {
                return Some(tables[t][i].1);
            }
            i += 1;
        }
        t += 1;
    }
    None
}

/// `a == b`, usable in `const`.
pub const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Every command name, sorted.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = UUTILS.iter().chain(OTHERS).map(|(n, _)| *n).collect();
    names.sort_unstable();
    names
}

fn grep_with(flag: &str, mut args: Vec<OsString>) -> i32 {
    args.insert(1, OsString::from(flag));
    uutils("grep", args, uu_grep::uumain)
}

fn grep_extended(args: Vec<OsString>) -> i32 {
    grep_with("-E", args)
}

fn grep_fixed(args: Vec<OsString>) -> i32 {
    grep_with("-F", args)
}

fn sed_main(args: Vec<OsString>) -> i32 {
    uucore::panic::mute_sigpipe_panic();
    sed::sed::uumain(args.into_iter())
}

/// findutils takes UTF-8 arguments; a non-UTF-8 one is refused as its own binaries do.
fn utf8_args(name: &str, args: Vec<OsString>) -> Result<Vec<String>, i32> {
    args.into_iter()
        .map(|a| {
            a.into_string().map_err(|bad| {
                let _ = writeln!(
                    std::io::stderr(),
                    "{name}: invalid (non-UTF-8) argument: {}",
                    bad.to_string_lossy()
                );
                1
            })
        })
        .collect()
}

fn find_main(args: Vec<OsString>) -> i32 {
    uucore::panic::mute_sigpipe_panic();
    let args = match utf8_args("find", args) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let strs: Vec<&str> = args.iter().map(String::as_str).collect();
    let deps = findutils::find::StandardDependencies::new();
    findutils::find::find_main(&strs, &deps)
}

fn xargs_main(args: Vec<OsString>) -> i32 {
    uucore::panic::mute_sigpipe_panic();
    let args = match utf8_args("xargs", args) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let strs: Vec<&str> = args.iter().map(String::as_str).collect();
    findutils::xargs::xargs_main(&strs)
}
