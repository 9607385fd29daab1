//! The call stack bash shows a script: `FUNCNAME`, `BASH_SOURCE` and `BASH_LINENO`, and
//! `caller`. A frame is a function call or a `source`; a script run from a file starts with a
//! `main` frame for it (`bash -c` text and stdin have none, as in bash).

use std::sync::Arc;

use crate::shell::{Res, Shell};
use crate::vars::Array;

/// One frame, innermost last in [`Shell::frames`].
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    /// The function (`main` for a script file), or `None` for a `source`.
    pub name: Option<String>,
    /// The file its commands come from.
    pub file: Arc<str>,
    /// The line of the caller that entered it (0 for `main`).
    pub line: usize,
}

impl Shell {
    /// The file the running code comes from, for a function defined now (`environment` for
    /// `bash -c` text, as bash names it).
    pub(crate) fn current_file(&self) -> Arc<str> {
        self.frames
            .last()
            .map_or_else(|| Arc::from("environment"), |f| f.file.clone())
    }

    /// Enters `frame`, updating the arrays.
    pub(crate) fn push_call(&mut self, frame: Frame) -> Res<()> {
        self.frames.push(frame);
        self.set_call_arrays()
    }

    /// Leaves the innermost frame, updating the arrays.
    pub(crate) fn pop_call(&mut self) -> Res<()> {
        self.frames.pop();
        self.set_call_arrays()
    }

    /// `FUNCNAME` (only inside a function), `BASH_SOURCE`, `BASH_LINENO`: innermost first.
    pub(crate) fn set_call_arrays(&mut self) -> Res<()> {
        let in_function = self
            .frames
            .iter()
            .any(|f| f.name.as_deref().is_some_and(|n| n != "main"));
        let names = match in_function {
            true => indexed(
                self.frames
                    .iter()
                    .rev()
                    .map(|f| f.name.clone().unwrap_or_else(|| "source".to_owned())),
            ),
            false => Array::default(),
        };
        let files = indexed(self.frames.iter().rev().map(|f| f.file.to_string()));
        let lines = indexed(self.frames.iter().rev().map(|f| f.line.to_string()));
        self.set_array("FUNCNAME", names)?;
        self.set_array("BASH_SOURCE", files)?;
        self.set_array("BASH_LINENO", lines)?;
        Ok(())
    }
}

fn indexed(values: impl Iterator<Item = String>) -> Array {
    values.enumerate().collect()
}

/// `caller [N]`: `LINE FILE` of the current call, or `LINE FUNCTION FILE` of frame N; status
/// 1 past the stack.
pub(crate) fn caller(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let frames: Vec<Frame> = sh.frames.iter().rev().cloned().collect();
    let Some(arg) = argv.get(1) else {
        let Some(line) = frames.first().map(|f| f.line) else {
            return Ok(1);
        };
        let file = frames.get(1).map_or("NULL", |f| &f.file);
        return sh.print("caller", &format!("{line} {file}\n"));
    };
    let Ok(n) = arg.parse::<usize>() else {
        return sh.builtin_error("caller", &format!("{arg}: invalid number"), 2);
    };
    let (Some(frame), Some(outer)) = (frames.get(n), frames.get(n + 1)) else {
        return Ok(1);
    };
    let name = outer.name.as_deref().unwrap_or("source");
    let text = format!("{} {name} {}\n", frame.line, outer.file);
    sh.print("caller", &text)
}
