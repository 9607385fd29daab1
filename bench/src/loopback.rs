//! A loopback HTTP/1.1 server for the fetch rows: every request gets `bytes` bytes of body with
//! a content length, and connections are kept alive (so a client that reuses them, like Node's
//! undici, can). One thread per connection; it lives as long as the bench process.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

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
    let body = vec![b'a'; bytes];
    let head =
        format!("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {bytes}\r\n\r\n");
    loop {
        let mut line = String::new();
        // The request line and headers; the fetch rows send no body.
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) if line == "\r\n" => break,
                Ok(_) => {}
            }
        }
        let sent = out
            .write_all(head.as_bytes())
            .and_then(|()| out.write_all(&body))
            .and_then(|()| out.flush());
        if sent.is_err() {
            return;
        }
    }
}
