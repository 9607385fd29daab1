//! Script commands: `NAME.node` on the command path names the script `node` runs for command
//! NAME (`npm`, `npx`: `ci/fetch-npm`), with the mounts of its manifest `NAME.mounts`;
//! `NAME.python` names the script `python3` runs (`pip`, `pip3`: `ci/fetch-python`), with
//! `python3`'s own manifest, which mounts the script. The file is one absolute guest path;
//! blank lines and `#` comments aside:
//!
//! ```text
//! # `npm`: the script node runs (ci/fetch-npm)
//! /usr/lib/agentos-npm/npm.js
//! ```

use std::path::Path;

use super::manifest::CommandMounts;

/// A Node command (`NAME.node` on the command path): `node SCRIPT ARGS...` once its manifest's
/// mounts are in place (`command::node_command` then reads the script).
pub struct NodeCommand {
    /// `SCRIPT ARGS...`: `node`'s arguments.
    pub args: Vec<String>,
    /// What the command's manifest mounts.
    pub mounts: Option<CommandMounts>,
}

/// The guest path of the script a script command's file names: its one line that is not blank
/// or a `#` comment.
pub(super) fn script_line(file: &Path) -> Result<String, String> {
    use std::io::Read;
    let fail = |why: String| format!("{}: {why}", file.display());
    let mut text = String::new();
    let opened = std::fs::File::open(file).map_err(|e| fail(e.kind().to_string()))?;
    opened
        .take(4096)
        .read_to_string(&mut text)
        .map_err(|e| fail(e.kind().to_string()))?;
    let mut lines = text.lines().map(str::trim);
    let script = lines.find(|l| !l.is_empty() && !l.starts_with('#'));
    match script {
        Some(path)
            if path.starts_with('/') && lines.all(|l| l.is_empty() || l.starts_with('#')) =>
        {
            Ok(path.to_string())
        }
        _ => Err(fail(
            "it must name one script, an absolute guest path".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script_of(text: &str) -> Result<String, String> {
        let dir = std::env::temp_dir().join(format!("agentos-node-cmd-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("t{}.node", text.len()));
        std::fs::write(&file, text).unwrap();
        let got = script_line(&file);
        let _ = std::fs::remove_file(&file);
        got
    }

    #[test]
    fn the_one_script_line_is_taken_past_comments_and_blanks() {
        let got = script_of("# npm\n\n  /usr/lib/agentos-npm/npm.js  \n# end\n");
        assert_eq!(got.unwrap(), "/usr/lib/agentos-npm/npm.js");
    }

    #[test]
    fn a_relative_path_two_scripts_or_none_are_refused() {
        for text in ["npm.js\n", "/a.js\n/b.js\n", "# nothing\n", ""] {
            let err = script_of(text).unwrap_err();
            assert!(err.contains("must name one script"), "{text:?}: {err}");
        }
    }
}
