//! Assembles `js/*.js` (ES-module-shaped files) into the one runner script, `$OUT_DIR/runner.js`,
//! and `lib/*.js` into the lazy builtins (`$OUT_DIR/builtins/`, listed in `builtins.rs`).
//! See `src/assemble/mod.rs` and `src/assemble/lazy.rs` for the rules and the shape of the output.

#[path = "src/assemble/mod.rs"]
mod assemble;

use std::path::{Path, PathBuf};
use std::{env, fs};

/// The `.js` files of `dir`, sorted by name, with their sources.
fn js_files(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return files;
    };
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "js") {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 file names")
                .to_owned();
            let source = fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            files.push((name, source));
        }
    }
    files.sort();
    files
}

fn main() {
    println!("cargo:rerun-if-changed=js");
    println!("cargo:rerun-if-changed=lib");
    println!("cargo:rerun-if-changed=src/assemble");
    let root =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let files = js_files(&root.join("js"));
    let lib = js_files(&root.join("lib"));
    // An error names the file (and line) to fix; the build fails with it.
    let assembled =
        assemble::assemble_with_lazy(&files, &lib).unwrap_or_else(|err| panic!("runner-js: {err}"));
    for name in &assembled.order {
        println!("cargo:rerun-if-changed=js/{name}");
    }
    for (name, _) in &lib {
        println!("cargo:rerun-if-changed=lib/{name}");
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("runner.js"), &assembled.script).expect("writing runner.js to OUT_DIR");
    let dir = out.join("builtins");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("creating OUT_DIR/builtins");
    let mut table = String::from("&[\n");
    for builtin in &assembled.builtins {
        let file = format!("{}.js", builtin.name.replace('/', "__"));
        fs::write(dir.join(&file), &builtin.script).expect("writing a builtin to OUT_DIR");
        table.push_str(&format!(
            "    ({:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/builtins/{file}\"))),\n",
            builtin.name
        ));
    }
    table.push(']');
    fs::write(out.join("builtins.rs"), table).expect("writing builtins.rs to OUT_DIR");
    fs::write(
        out.join("builtins_fingerprint.txt"),
        assemble::lazy::fingerprint(&assembled.builtins),
    )
    .expect("writing builtins_fingerprint.txt to OUT_DIR");
}
