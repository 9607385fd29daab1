//! Parsing: a thin wrapper over `brush-parser`.
//!
//! Why `brush-parser` (0.4): it is maintained (the parser of the brush shell), MIT-licensed,
//! parses bash's extensions (`[[ ]]`, `$(( ))`, here-strings, `&>`, `function`, C-style
//! `for`), gives an AST whose words and commands carry source positions, and also parses
//! words (quoting, parameter expansions, substitutions), arithmetic and brace expansions.
//! `yash-syntax` is POSIX-only and GPL-3.0 (not compatible with this crate's licence);
//! `conch-parser` has had no release since 2017 and lacks `[[ ]]` and here-strings.
//!
//! Two things are ours: a pre-scan that bounds syntactic nesting before the recursive-descent
//! parser sees the text (it overflows its stack on a few thousand nested `{`), and bash's
//! behaviour on a syntax error: the complete commands before the faulty line still run.

use brush_parser::{ParseError, ParserOptions, ast};

use crate::error::ShellError;

/// Stack given to the parser: enough for `max_nesting` levels in a debug build.
const PARSER_STACK: usize = 64 << 20;

/// A parsed script: the commands that run, and the syntax error after them, if any.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// What runs (everything, or the complete commands before a syntax error).
    pub program: ast::Program,
    /// The syntax error that ends the script after `program` ran.
    pub error: Option<SyntaxError>,
}

/// A syntax error, with the line bash names in its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// 1-based line (relative to the text parsed).
    pub line: usize,
    /// The text bash would print after `syntax error`.
    pub message: String,
}

/// Parser options for `sh` (`posix`) or `bash`, with bash's extended patterns (`@(a|b)`) as
/// words when `extglob`.
pub(crate) fn options(posix: bool, extglob: bool) -> ParserOptions {
    ParserOptions {
        enable_extended_globbing: extglob,
        posix_mode: false,
        sh_mode: posix,
        tilde_expansion_at_word_start: true,
        tilde_expansion_after_colon: false,
        parser_impl: brush_parser::ParserImpl::Peg,
    }
}

/// Parses `src` with `opts`.
///
/// # Errors
/// [`ShellError::NestingLimit`] when the text nests deeper than `max_nesting`.
pub(crate) fn parse(
    src: &str,
    max_nesting: usize,
    opts: &ParserOptions,
) -> Result<Parsed, ShellError> {
    if nesting(src) > max_nesting {
        return Err(ShellError::NestingLimit { limit: max_nesting });
    }
    let first = parse_text(src, opts);
    let err = match first {
        Ok(program) => {
            return Ok(Parsed {
                program,
                error: None,
            });
        }
        Err(e) => e,
    };
    let error = SyntaxError {
        line: error_line(&err, src),
        message: message(&err),
    };
    let program = runnable_prefix(src, error.line, opts);
    Ok(Parsed {
        program,
        error: Some(error),
    })
}

/// The complete commands before line `line` (bash runs those before reporting the error);
/// empty when the lines before do not parse either (tried a few times only).
fn runnable_prefix(src: &str, mut line: usize, opts: &ParserOptions) -> ast::Program {
    for _ in 0..3 {
        let cut = line_start(src, line);
        if cut == 0 {
            break;
        }
        match parse_text(&src[..cut], opts) {
            Ok(p) => return p,
            Err(e) => {
                let next = error_line(&e, &src[..cut]);
                if next >= line {
                    break;
                }
                line = next;
            }
        }
    }
    ast::Program {
        complete_commands: Vec::new(),
    }
}

fn parse_text(src: &str, opts: &ParserOptions) -> Result<ast::Program, ParseError> {
    stacker::grow(PARSER_STACK, || {
        brush_parser::Parser::new(std::io::Cursor::new(src.as_bytes()), opts).parse_program()
    })
}

/// Byte offset where 1-based line `line` starts.
fn line_start(src: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    src.match_indices('\n')
        .nth(line - 2)
        .map_or(src.len(), |(i, _)| i + 1)
}

fn error_line(err: &ParseError, src: &str) -> usize {
    match err {
        ParseError::ParsingNear(pos) => pos.line.max(1),
        ParseError::Tokenizing {
            position: Some(pos),
            ..
        } => pos.line.max(1),
        _ => src.lines().count().max(1),
    }
}

fn message(err: &ParseError) -> String {
    match err {
        ParseError::ParsingAtEndOfInput => "syntax error: unexpected end of file".into(),
        ParseError::Tokenizing { inner, .. } if inner.is_incomplete() => {
            "syntax error: unexpected end of file".into()
        }
        ParseError::Tokenizing { inner, .. } => format!("syntax error: {inner}"),
        ParseError::ParsingNear(_) => "syntax error near unexpected token".into(),
    }
}

/// An upper bound on the syntactic nesting of `src`: openers (`(`, `$(`, `{`, `` ` ``,
/// `if`, `case`, `do`, `[[`) push, the matching closer pops; quotes and comments are skipped
/// roughly (over-counting only ever refuses, never lets a deep script through).
pub(crate) fn nesting(src: &str) -> usize {
    let mut stack: Vec<&'static str> = Vec::new();
    let mut max = 0;
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut word_start = true;
    while i < bytes.len() {
        let c = bytes[i];
        if stack.last() == Some(&"\"") {
            match c {
                b'\\' => i += 1,
                b'"' => {
                    stack.pop();
                }
                b'`' => stack.push("`"),
                b'$' if bytes.get(i + 1) == Some(&b'(') => {
                    stack.push(")");
                    i += 1;
                }
                _ => {}
            }
            max = max.max(stack.len());
            i += 1;
            continue;
        }
        match c {
            b'\\' => i += 1,
            b'\'' => {
                i = skip_until(bytes, i + 1, b'\'');
            }
            b'#' if word_start => i = skip_until(bytes, i + 1, b'\n'),
            b'"' => stack.push("\""),
            b'(' => stack.push(")"),
            b'{' => stack.push("}"),
            b'`' if stack.last() == Some(&"`") => {
                stack.pop();
            }
            b'`' => stack.push("`"),
            b')' | b'}' => pop_if(&mut stack, if c == b')' { ")" } else { "}" }),
            _ if word_start && (c.is_ascii_alphabetic() || c == b'[') => {
                let end = word_end(bytes, i);
                keyword(&mut stack, &src[i..end]);
                i = end.saturating_sub(1);
            }
            _ => {}
        }
        max = max.max(stack.len());
        word_start = matches!(
            bytes.get(i).copied(),
            Some(b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'{' | b'`')
        );
        i += 1;
    }
    max
}

fn keyword(stack: &mut Vec<&'static str>, word: &str) {
    match word {
        "if" => stack.push("fi"),
        "case" => stack.push("esac"),
        "do" => stack.push("done"),
        "[[" => stack.push("]]"),
        "fi" | "esac" | "done" | "]]" => {
            if let Some(pos) = stack.iter().rposition(|s| *s == word) {
                stack.truncate(pos);
            }
        }
        _ => {}
    }
}

fn pop_if(stack: &mut Vec<&'static str>, closer: &str) {
    if stack.last() == Some(&closer) {
        stack.pop();
    }
}

fn skip_until(bytes: &[u8], from: usize, end: u8) -> usize {
    bytes[from.min(bytes.len())..]
        .iter()
        .position(|&b| b == end)
        .map_or(bytes.len(), |p| from + p)
}

fn word_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'[' || b == b']'))
        .map_or(bytes.len(), |p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_braces_and_keywords() {
        assert_eq!(nesting("echo hi"), 0);
        assert_eq!(nesting("{ { echo; }; }"), 2);
        assert_eq!(nesting("if true; then if x; then :; fi; fi"), 2);
        assert_eq!(nesting("echo '((((('"), 0);
        assert_eq!(nesting("echo $(echo $(echo))"), 2);
    }

    #[test]
    fn deep_braces_are_refused_before_parsing() {
        let src = format!("{}true;{}", "{ ".repeat(5000), "} ".repeat(5000));
        assert!(matches!(
            parse(&src, 150, &options(false, false)),
            Err(ShellError::NestingLimit { limit: 150 })
        ));
    }

    #[test]
    fn commands_before_a_syntax_error_still_parse() {
        let p = parse("echo a\necho b\nif\n", 150, &options(false, false)).unwrap();
        assert_eq!(p.program.complete_commands.len(), 2);
        assert_eq!(p.error.map(|e| e.line), Some(3));
    }
}
