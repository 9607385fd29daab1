//! Node's "arrow" for a compile error: `file:line`, the offending source line, and `^^^` under
//! the offending text. The compile callbacks (`compileFunction`, `compileScript`, `esmCompile`)
//! keep it on the SyntaxError under a private key; the runner prints it above an uncaught error
//! (`arrowMessage(err)`), as Node prints its own.

use crate::strings::v8_str;

/// The private key the arrow is kept under.
const ARROW_KEY: &str = "agentos#arrow";

/// The most `^` and indentation Node writes under a line (its `kUnderlineBufsize`).
const UNDERLINE_MAX: usize = 1020;

fn arrow_key<'s>(scope: &mut v8::PinScope<'s, '_>) -> v8::Local<'s, v8::Private> {
    let name = v8_str(scope, ARROW_KEY);
    v8::Private::for_api(scope, Some(name))
}

/// To be called in `tc` right after a compile failed: keeps the arrow on the pending exception
/// (when it is an object) and throws the exception on.
pub(super) fn rethrow<'o>(tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, 'o, v8::HandleScope<'_>>>) {
    if let (Some(exception), Some(message)) = (tc.exception(), tc.message())
        && let Ok(error) = v8::Local::<v8::Object>::try_from(exception)
    {
        let scope: &mut v8::PinScope<'o, '_> = tc;
        if let Some(text) = arrow_text(scope, message) {
            let key = arrow_key(scope);
            let value = v8_str(scope, &text);
            error.set_private(scope, key, value.into());
        }
    }
    tc.rethrow();
}

/// `file:line\n<source line>\n<indent>^^^\n`, or None when V8 knows no position.
fn arrow_text(
    scope: &mut v8::PinScope<'_, '_>,
    message: v8::Local<'_, v8::Message>,
) -> Option<String> {
    let line = message.get_line_number(scope)?;
    let source = message.get_source_line(scope)?.to_rust_string_lossy(scope);
    let name = message.get_script_resource_name(scope)?;
    let name = name.to_string(scope)?.to_rust_string_lossy(scope);
    let underline = underline(
        &source,
        message.get_start_column(),
        message.get_end_column(),
    );
    Some(format!("{name}:{line}\n{source}\n{underline}\n"))
}

/// Spaces (tabs kept) up to UTF-16 column `start`, then a `^` per column up to `end` (one at
/// least), as Node draws it.
fn underline(source: &str, start: usize, end: usize) -> String {
    let mut out = String::new();
    let mut column = 0;
    for c in source.chars() {
        if column >= end.max(start + 1) || out.len() >= UNDERLINE_MAX {
            break;
        }
        out.push(match c {
            _ if column >= start => '^',
            '\t' => '\t',
            _ => ' ',
        });
        column += c.len_utf16();
    }
    if !out.ends_with('^') && out.len() < UNDERLINE_MAX {
        out.push('^');
    }
    out
}

/// `arrowMessage(err)`: the arrow a compile error carries, or undefined.
pub(super) fn arrow_message<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(error) = v8::Local::<v8::Object>::try_from(args.get(0)) else {
        return;
    };
    let key = arrow_key(scope);
    if let Some(text) = error.get_private(scope, key).filter(|v| v.is_string()) {
        rv.set(text);
    }
}

#[cfg(test)]
mod tests {
    use super::underline;

    #[test]
    fn underline_marks_the_columns_of_the_error() {
        assert_eq!(underline("var foo bar;", 8, 11), "        ^^^");
    }

    #[test]
    fn underline_keeps_tabs_and_marks_at_least_one_column() {
        assert_eq!(underline("\tx y", 3, 3), "\t  ^");
    }

    #[test]
    fn underline_counts_columns_in_utf16_units() {
        assert_eq!(underline("é😀 bad", 4, 7), "   ^^^");
    }

    #[test]
    fn underline_past_the_line_ends_with_one_mark() {
        assert_eq!(underline("ab", 5, 6), "  ^");
    }
}
