//! Guest path text: joining with the cwd and lexical normalisation. Guest paths only; no
//! host path is ever built here (the file system resolves them beneath its mounts).

/// `path` made absolute against `cwd`, with `.`, `..` and repeated `/` removed lexically
/// (`..` at the root stays at the root, as on Unix).
pub fn absolute(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    normalize(&joined)
}

/// Lexical normalisation of an absolute path.
pub fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_normalises() {
        assert_eq!(absolute("/a/b", "c"), "/a/b/c");
        assert_eq!(absolute("/a/b", "../c"), "/a/c");
        assert_eq!(absolute("/a", "/x//y/./z"), "/x/y/z");
        assert_eq!(absolute("/", "../../.."), "/");
    }
}
