//! Aliases (`alias ll='ls -l'`): a table the `alias` and `unalias` builtins change, expanded at
//! the command word of a simple command in `sh` always and in `bash` under
//! `shopt -s expand_aliases`, as each does in a script. The command is parsed again with the
//! alias's text in place of its first word, and that runs; an alias is not expanded again
//! inside its own expansion (`alias ls='ls -F'`). bash expands while parsing, so it applies a
//! new alias from the next line on; here it applies from the next command.

use std::collections::BTreeMap;

use brush_parser::ast;

use crate::shell::{Res, Shell};

/// Most aliases one shell holds.
pub(crate) const MAX_ALIASES: usize = 4096;

/// The alias table, and the aliases being expanded.
#[derive(Debug, Clone, Default)]
pub(crate) struct Aliases {
    pub defs: BTreeMap<String, String>,
    /// Innermost last.
    expanding: Vec<String>,
}

impl Shell {
    /// Runs `cmd` as its alias expands it, if its command word is an alias to expand now.
    pub(crate) fn run_alias(&mut self, cmd: &ast::SimpleCommand) -> Option<Res<i32>> {
        let (name, text) = self.alias_expansion(cmd)?;
        self.aliases.expanding.push(name);
        let r = crate::builtins::run_text(self, &text);
        self.aliases.expanding.pop();
        Some(r)
    }

    /// The alias named by `cmd`'s command word and the command's text with it expanded.
    fn alias_expansion(&self, cmd: &ast::SimpleCommand) -> Option<(String, String)> {
        if self.aliases.defs.is_empty() || !(self.ctx.posix || self.opts.shopts.expand_aliases) {
            return None;
        }
        let name = cmd.word_or_name.as_ref()?.value.as_str();
        if !valid_name(name) || self.aliases.expanding.iter().any(|n| n == name) {
            return None;
        }
        let value = self.aliases.defs.get(name)?;
        let prefix = cmd.prefix.as_ref().map(ToString::to_string);
        let suffix = cmd.suffix.as_ref().map(ToString::to_string);
        let text = format!(
            "{} {value} {}",
            prefix.unwrap_or_default(),
            suffix.unwrap_or_default()
        );
        Some((name.to_owned(), text))
    }
}

/// Whether `name` can name an alias (bash refuses `/`, `$`, `` ` ``, `=`, quotes, blanks and
/// the shell's metacharacters).
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains([
            '/', '$', '`', '=', '\'', '"', '\\', ' ', '\t', '\n', '|', '&', ';', '(', ')', '<', '>',
        ])
}

/// `value` single-quoted, as `alias` prints it.
pub(crate) fn quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}
