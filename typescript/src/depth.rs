//! How deep a source could make swc recurse, estimated before it runs: swc's parser, visitors,
//! code generator and drops recurse once per level of the syntax tree, and a stack overflow
//! aborts the whole process, so a guest's `((((...` must be refused before it reaches them.
//!
//! The estimate is a bound, not a parse: every open bracket (`(`, `[`, `{`, a template's `${`)
//! is a level, and within each level every token that may nest the rest of an expression (an
//! operator, a word such as `typeof` or `new`) counts as a level until a `;` or `,` ends the
//! expression there. Strings, template text and comments count nothing. Real code stays far
//! below the limits; only an absurd single expression (thousands of operators) is refused.

/// What the scanner is inside of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Code (a bracket's, a template's `${`, or the source's own).
    Code,
    /// A template literal's text.
    Template,
}

/// The estimated deepest nesting of `source`.
pub fn estimate(source: &str) -> usize {
    let bytes = source.as_bytes();
    // Per open level: its mode, and the tokens that may nest within its current expression.
    let mut levels: Vec<(Mode, usize)> = vec![(Mode::Code, 0)];
    // The sum of every level's count plus the levels themselves, kept as it changes.
    let mut depth = 1usize;
    let mut deepest = depth;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let top = levels.len() - 1;
        if levels[top].0 == Mode::Template {
            match c {
                b'\\' => i += 1,
                b'`' => {
                    depth -= 1 + levels[top].1;
                    levels.pop();
                }
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    i += 1;
                    levels.push((Mode::Code, 0));
                    depth += 1;
                }
                _ => {}
            }
            i += 1;
            deepest = deepest.max(depth);
            continue;
        }
        match c {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr_from(bytes, i, b'\n');
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = find_from(bytes, i + 2, b"*/").map_or(bytes.len(), |at| at + 1);
            }
            b'\'' | b'"' => i = string_end(bytes, i),
            b'`' => {
                levels.push((Mode::Template, 0));
                depth += 1;
            }
            b'(' | b'[' | b'{' => {
                levels.push((Mode::Code, 0));
                depth += 1;
            }
            b')' | b']' | b'}' => {
                // (The `}` of a `${` leaves the template's text on top: it continues.)
                if levels.len() > 1
                    && let Some((_, count)) = levels.pop()
                {
                    depth -= 1 + count;
                }
            }
            b';' | b',' => {
                let top = levels.len() - 1;
                depth -= levels[top].1;
                levels[top].1 = 0;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' | b'0'..=b'9' | 0x80.. => {
                let start = i;
                while bytes
                    .get(i + 1)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | 0x80..))
                {
                    i += 1;
                }
                if NESTING_WORDS.contains(&&source[start..=i]) {
                    bump(&mut levels, &mut depth);
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' | b'.' => {}
            _ => bump(&mut levels, &mut depth),
        }
        deepest = deepest.max(depth);
        i += 1;
    }
    deepest
}

/// Words after which an expression or type nests.
const NESTING_WORDS: &[&str] = &[
    "typeof",
    "void",
    "delete",
    "await",
    "yield",
    "new",
    "extends",
    "keyof",
    "infer",
    "readonly",
    "unique",
    "in",
    "instanceof",
    "as",
    "satisfies",
    "is",
    "asserts",
    "if",
    "while",
    "for",
    "do",
    "else",
    "return",
    "throw",
    "case",
];

fn bump(levels: &mut [(Mode, usize)], depth: &mut usize) {
    if let Some(top) = levels.last_mut() {
        top.1 += 1;
        *depth += 1;
    }
}

/// The index of the closing quote of the string starting at `at` (or the end).
fn string_end(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    let mut i = at + 1;
    while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
        if bytes[i] == b'\\' {
            i += 1;
        }
        i += 1;
    }
    i
}

fn memchr_from(bytes: &[u8], from: usize, byte: u8) -> usize {
    bytes[from..]
        .iter()
        .position(|b| *b == byte)
        .map_or(bytes.len(), |at| from + at)
}

fn find_from(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| from + at)
}

#[cfg(test)]
mod tests {
    use super::estimate;

    #[test]
    fn brackets_and_operators_nest_and_statements_do_not() {
        assert_eq!(estimate("let x = 1;"), 2);
        assert_eq!(
            estimate(&format!("let x = {}1{};", "(".repeat(50), ")".repeat(50))),
            52
        );
        assert!(estimate(&"a = 1;\n".repeat(10_000)) < 10);
        assert!(estimate(&format!("let x = {}1;", "!".repeat(500))) > 500);
        assert!(estimate(&format!("let x = {}1;", "typeof ".repeat(500))) > 500);
    }

    #[test]
    fn strings_comments_and_template_text_count_nothing() {
        let text = "(".repeat(5_000);
        for source in [
            format!("let s = '{text}';"),
            format!("let s = \"{text}\";"),
            format!("// {text}\nlet s = 1;"),
            format!("/* {text} */ let s = 1;"),
            format!("let s = `{text}`;"),
        ] {
            assert!(estimate(&source) < 10, "{source:.20}");
        }
        let nested = format!("let s = {}1{};", "`${".repeat(100), "}`".repeat(100));
        assert!(estimate(&nested) > 200);
    }
}
