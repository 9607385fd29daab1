//! The multicall module: `ls.wasm -> agentos-commands.wasm` runs `ls`.

fn main() {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    agentos_commands::finish(agentos_commands::run(&mut args));
}
