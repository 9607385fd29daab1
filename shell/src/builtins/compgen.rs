//! `compgen`: the words a completion would offer, as bash's builtin prints them (scripts use
//! it to list variables, functions or commands by prefix).
//!
//! `-a -b -c -d -e -f -k -v`, `-A ACTION` (those, `alias`, `builtin`, `command`, `directory`,
//! `export`, `file`, `function`, `keyword`, `variable`), `-W WORDLIST`, `-P PREFIX`,
//! `-S SUFFIX`; each match on its own line, status 1 when none.

use crate::shell::{Res, Shell};

/// bash's reserved words, in its order.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do",
    "done", "in", "function", "time", "{", "}", "!", "[[", "]]", "coproc",
];

/// Most entries a directory listing may give.
const MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
struct Request {
    actions: Vec<String>,
    words: Option<String>,
    prefix: String,
    suffix: String,
    word: String,
}

fn parse(argv: &[String]) -> Result<Request, String> {
    let mut r = Request::default();
    let mut i = 1;
    while let Some(a) = argv.get(i).filter(|a| a.starts_with('-') && a.len() > 1) {
        i += 1;
        if a == "--" {
            break;
        }
        let value = |i: &mut usize| {
            let v = argv
                .get(*i)
                .cloned()
                .ok_or(format!("{a}: option requires an argument"));
            *i += 1;
            v
        };
        match a.as_str() {
            "-A" => r.actions.push(value(&mut i)?),
            "-W" => r.words = Some(value(&mut i)?),
            "-P" => r.prefix = value(&mut i)?,
            "-S" => r.suffix = value(&mut i)?,
            letters => {
                for c in letters.chars().skip(1) {
                    let action = match c {
                        'a' => "alias",
                        'b' => "builtin",
                        'c' => "command",
                        'd' => "directory",
                        'e' => "export",
                        'f' => "file",
                        'k' => "keyword",
                        'v' => "variable",
                        _ => return Err(format!("-{c}: invalid option")),
                    };
                    r.actions.push(action.to_owned());
                }
            }
        }
    }
    r.word = argv.get(i).cloned().unwrap_or_default();
    Ok(r)
}

pub(crate) fn compgen(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let request = match parse(argv) {
        Ok(r) => r,
        Err(message) => return sh.builtin_error("compgen", &message, 2),
    };
    let mut found = Vec::new();
    for action in &request.actions {
        match candidates(sh, action, &request.word) {
            Some(mut names) => found.append(&mut names),
            None => {
                return sh.builtin_error("compgen", &format!("{action}: invalid action name"), 2);
            }
        }
    }
    if let Some(list) = &request.words {
        let ifs = sh.ifs();
        found.extend(
            list.split(|c: char| ifs.contains(c))
                .filter(|w| !w.is_empty())
                .map(str::to_owned),
        );
    }
    let text: String = (found.iter())
        .filter(|name| name.starts_with(request.word.as_str()))
        .map(|name| format!("{}{name}{}\n", request.prefix, request.suffix))
        .collect();
    if text.is_empty() {
        return Ok(1);
    }
    sh.print("compgen", &text)
}

/// The names `action` offers (before the prefix filter), or `None` for an unknown action.
fn candidates(sh: &Shell, action: &str, word: &str) -> Option<Vec<String>> {
    let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    Some(match action {
        "alias" => sh.aliases.defs.keys().cloned().collect(),
        "builtin" => names(super::NAMES),
        "keyword" => names(KEYWORDS),
        "variable" => sh.vars.visible().into_iter().map(|(k, _)| k).collect(),
        "export" => (sh.vars.visible().into_iter())
            .filter(|(_, v)| v.exported)
            .map(|(k, _)| k)
            .collect(),
        "function" => {
            let mut all: Vec<String> = sh.funcs.keys().cloned().collect();
            all.sort();
            all
        }
        "file" => entries(sh, word, false),
        "directory" => entries(sh, word, true),
        "command" => {
            let mut all = candidates(sh, "alias", word)?;
            all.extend(candidates(sh, "function", word)?);
            all.extend(names(super::NAMES));
            all.extend(names(KEYWORDS));
            all.extend(path_commands(sh, word));
            all
        }
        _ => return None,
    })
}

/// The entries of the directory `word` names (its part up to the last `/`), spelled as `word`
/// spells that directory; only directories with `dirs_only`.
fn entries(sh: &Shell, word: &str, dirs_only: bool) -> Vec<String> {
    let (dir, shown) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[..=i]),
        None => (".", ""),
    };
    let Ok(list) = sh.ctx.os.read_dir(&sh.abs_path(dir), MAX_ENTRIES) else {
        return Vec::new();
    };
    let hidden = word[shown.len()..].starts_with('.');
    // A word starting with a dot also offers `.` and `..`, as a directory read lists them.
    let dots = [".", ".."]
        .into_iter()
        .filter(|_| hidden)
        .map(str::to_owned);
    let names = (list.into_iter())
        .filter(|e| (!dirs_only || e.is_dir) && (hidden || !e.name.starts_with('.')))
        .map(|e| e.name);
    dots.chain(names)
        .map(|name| format!("{shown}{name}"))
        .collect()
}

/// Executable names along `$PATH` that start with `word`.
fn path_commands(sh: &Shell, word: &str) -> Vec<String> {
    let path = sh.vars.get("PATH").unwrap_or_default().to_owned();
    let mut out = Vec::new();
    for dir in path.split(':').filter(|d| !d.is_empty()) {
        let Ok(list) = sh.ctx.os.read_dir(&sh.abs_path(dir), MAX_ENTRIES) else {
            continue;
        };
        out.extend(
            list.into_iter()
                .filter(|e| !e.is_dir && e.name.starts_with(word))
                .map(|e| e.name),
        );
    }
    out
}
