//! A loopback HTTP/1.1 server for the fetch and HTTP client rows: a request gets `bytes` bytes
//! of body with a content length, except the paths of its package index for the pip rows (PEP
//! 503: the page of [`PACKAGE`] under `/simple/` lists one wheel, which `/files/` serves).
//! Connections are kept alive (so a client that reuses them, like Node's undici or pip, can).
//! One thread per connection; it lives as long as the bench process.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::OnceLock;
use std::thread;

/// The package the index holds.
pub const PACKAGE: &str = "tiny-answer";
/// Its one wheel: a module `tiny_answer` of one line.
const WHEEL: &str = "tiny_answer-1.0-py3-none-any.whl";

/// Starts the server; its `http://127.0.0.1:PORT/` URL.
///
/// # Errors
/// When no loopback port can be bound.
pub fn serve(bytes: usize) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || connection(stream, bytes));
        }
    });
    Ok(format!("http://127.0.0.1:{port}/"))
}

fn connection(stream: TcpStream, bytes: usize) {
    let _ = stream.set_nodelay(true);
    let Ok(read) = stream.try_clone() else { return };
    let mut reader = BufReader::new(read);
    let mut out = stream;
    let document = vec![b'a'; bytes];
    loop {
        let mut line = String::new();
        let mut path = None;
        // The request line and headers; the clients send no body.
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) if line == "\r\n" => break,
                Ok(_) if path.is_none() => {
                    path = Some(line.split(' ').nth(1).unwrap_or("/").to_owned());
                }
                Ok(_) => {}
            }
        }
        let (kind, body) = answer(path.as_deref().unwrap_or("/"), &document);
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        let sent = out
            .write_all(head.as_bytes())
            .and_then(|()| out.write_all(body))
            .and_then(|()| out.flush());
        if sent.is_err() {
            return;
        }
    }
}

/// The content type and body for `path`.
fn answer<'a>(path: &str, document: &'a [u8]) -> (&'static str, &'a [u8]) {
    let index = format!("/simple/{PACKAGE}/");
    if path == index {
        return ("text/html", index_page().as_bytes());
    }
    if path == format!("/files/{WHEEL}") {
        return ("application/octet-stream", wheel());
    }
    ("text/plain", document)
}

fn index_page() -> &'static str {
    static PAGE: OnceLock<String> = OnceLock::new();
    PAGE.get_or_init(|| format!("<html><body><a href=\"/files/{WHEEL}\">{WHEEL}</a></body></html>"))
}

/// The wheel's bytes (made once).
fn wheel() -> &'static [u8] {
    static WHEEL_BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    WHEEL_BYTES.get_or_init(|| make_wheel().unwrap_or_default())
}

fn make_wheel() -> zip::result::ZipResult<Vec<u8>> {
    let info = "tiny_answer-1.0.dist-info";
    let files = [
        ("tiny_answer/__init__.py".to_owned(), "ANSWER = 42\n".to_owned()),
        (
            format!("{info}/METADATA"),
            "Metadata-Version: 2.1\nName: tiny-answer\nVersion: 1.0\n".to_owned(),
        ),
        (
            format!("{info}/WHEEL"),
            "Wheel-Version: 1.0\nGenerator: agentos-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                .to_owned(),
        ),
    ];
    let mut record: String = files
        .iter()
        .map(|(name, _)| format!("{name},,\n"))
        .collect();
    record.push_str(&format!("{info}/RECORD,,\n"));
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in files.iter().chain([&(format!("{info}/RECORD"), record)]) {
        w.start_file(name.as_str(), options)?;
        w.write_all(text.as_bytes())?;
    }
    Ok(w.finish()?.into_inner())
}
