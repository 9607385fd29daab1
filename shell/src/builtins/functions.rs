//! Function definitions printed back: `declare -f`/`-F`, `typeset -f`, and the body `type`
//! shows. The text is brush-parser's rendering of the parsed definition, laid out as bash lays
//! its own out (`NAME () `, a brace group, four-space indents), so `$(declare -f f)` parses
//! again into the same function.

use crate::shell::{Res, Shell};

/// Function `name`'s definition as `declare -f` prints it, if it is one.
pub(crate) fn definition(sh: &Shell, name: &str) -> Option<String> {
    sh.funcs.get(name).map(|def| format!("{def}\n"))
}

/// `declare -f [NAME...]` (definitions) and `declare -F [NAME...]` (`declare -f NAME` lines;
/// only the names when named): every function sorted by name when none is named. A name that
/// is not a function makes the status 1, silently.
pub(crate) fn declare(sh: &mut Shell, who: &str, names_only: bool, names: &[String]) -> Res<i32> {
    let mut chosen: Vec<String> = if names.is_empty() {
        sh.funcs.keys().cloned().collect()
    } else {
        names.to_vec()
    };
    if names.is_empty() {
        chosen.sort();
    }
    let mut text = String::new();
    let mut status = 0;
    for name in &chosen {
        let Some(def) = definition(sh, name) else {
            status = 1;
            continue;
        };
        match (names_only, names.is_empty()) {
            (true, true) => text.push_str(&format!("declare -f {name}\n")),
            (true, false) => text.push_str(&format!("{name}\n")),
            (false, _) => text.push_str(&def),
        }
    }
    let printed = sh.print(who, &text)?;
    Ok(status.max(printed))
}
