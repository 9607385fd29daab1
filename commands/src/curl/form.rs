//! `-F`: a `multipart/form-data` body as curl builds it: `name=value`, `name=@file` (a file
//! part, its content type guessed from the extension as curl does), `name=<file` (the file's
//! text as the value), with `;type=` and `;filename=` after a file.

use std::hash::{BuildHasher, Hasher};

use super::args::read_source;

/// The body and its boundary.
pub fn multipart(fields: &[String]) -> Result<(Vec<u8>, String), (i32, String)> {
    let boundary = format!("------------------------{}", random_hex());
    let mut body = Vec::new();
    for field in fields {
        let (name, value) = field
            .split_once('=')
            .ok_or_else(|| (26, "Illegally formatted input field!".to_string()))?;
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        part(&mut body, name, value)?;
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok((body, boundary))
}

fn part(body: &mut Vec<u8>, name: &str, value: &str) -> Result<(), (i32, String)> {
    let disposition = format!("Content-Disposition: form-data; name=\"{name}\"");
    let Some(spec) = value.strip_prefix(['@', '<']) else {
        body.extend_from_slice(format!("{disposition}\r\n\r\n{value}").as_bytes());
        return Ok(());
    };
    let mut params = spec.split(';');
    let path = params.next().unwrap_or_default();
    let (mut kind, mut filename) = (None, path.rsplit('/').next().unwrap_or(path).to_string());
    for param in params {
        match param.split_once('=') {
            Some(("type", t)) => kind = Some(t.to_string()),
            Some(("filename", f)) => filename = f.trim_matches('"').to_string(),
            _ => {}
        }
    }
    let content = read_source(path).map_err(|_| {
        let verb = if value.starts_with('@') {
            "open"
        } else {
            "read"
        };
        (
            26,
            format!("Failed to {verb}/read local data from file/application"),
        )
    })?;
    let head = if value.starts_with('@') {
        let kind = kind.unwrap_or_else(|| guess(&filename).to_string());
        format!("{disposition}; filename=\"{filename}\"\r\nContent-Type: {kind}\r\n\r\n")
    } else {
        match kind {
            Some(k) => format!("{disposition}\r\nContent-Type: {k}\r\n\r\n"),
            None => format!("{disposition}\r\n\r\n"),
        }
    };
    body.extend_from_slice(head.as_bytes());
    body.extend_from_slice(&content);
    Ok(())
}

/// curl's content types by extension (lib/mime.c), else `application/octet-stream`.
fn guess(filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("gif") => "image/gif",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("txt") => "text/plain",
        Some("htm" | "html") => "text/html",
        Some("pdf") => "application/pdf",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    }
}

/// 22 random hex digits (std's hasher keys come from the sandbox's randomness).
fn random_hex() -> String {
    let mut out = String::new();
    while out.len() < 22 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_usize(out.len());
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out.truncate(22);
    out
}
