//! One command per module: the binary's own name (`CARGO_BIN_NAME`) picks the command at compile
//! time, so only that command's code and data are linked in (`[` is built as `lbracket`).

use agentos_commands::Main;
use agentos_commands::registry::{find_const, same};

const NAME: &str = if same(env!("CARGO_BIN_NAME"), "lbracket") {
    "["
} else {
    env!("CARGO_BIN_NAME")
};

const MAIN: Main = match find_const(NAME) {
    Some(main) => main,
    None => panic!("a [[bin]] of Cargo.toml names no command of src/registry.rs"),
};

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    agentos_commands::finish(MAIN(args));
}
