//! `agentos-sidecar`: serves the agentos protocol on stdin/stdout.
fn main() {
    let _ = v8::V8::get_version();
}
