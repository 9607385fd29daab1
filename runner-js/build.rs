//! Assembles `js/*.js` (ES-module-shaped files) into the one runner script, `$OUT_DIR/runner.js`.
//! See `src/assemble/mod.rs` for the rules and the shape of the output.

#[path = "src/assemble/mod.rs"]
mod assemble;

use std::path::PathBuf;
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=js");
    println!("cargo:rerun-if-changed=src/assemble");
    let dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("js");
    let mut files = Vec::new();
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())) {
        let path = entry.expect("a directory entry of js/").path();
        if path.extension().is_some_and(|e| e == "js") {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 file names in js/")
                .to_owned();
            let source = fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            files.push((name, source));
        }
    }
    files.sort();
    // An error names the file (and line) to fix; the build fails with it.
    let assembled = assemble::assemble(&files).unwrap_or_else(|err| panic!("runner-js/js: {err}"));
    for name in &assembled.order {
        println!("cargo:rerun-if-changed=js/{name}");
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("runner.js"), &assembled.script).expect("writing runner.js to OUT_DIR");
}
