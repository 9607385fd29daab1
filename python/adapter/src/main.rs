//! `python-adapter REACTOR.wasm COMMAND.wasm`: see the library's documentation.

use std::io::Write;

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        anyhow::bail!("usage: python-adapter REACTOR.wasm COMMAND.wasm");
    };
    let reactor = std::fs::read(input).with_context(|| format!("reading {input}"))?;
    let adapted = agentos_python_adapter::adapt(&reactor).with_context(|| input.clone())?;
    std::fs::write(output, &adapted.wasm).with_context(|| format!("writing {output}"))?;
    writeln!(
        std::io::stderr(),
        "python-adapter: {output}: {} bytes; _start calls {}{}run; the door: {}",
        adapted.wasm.len(),
        if adapted.calls_initialize {
            "_initialize, "
        } else {
            ""
        },
        if adapted.enters_cwd { "chdir, " } else { "" },
        if adapted.door {
            "agentos_v5.host_call"
        } else {
            "none"
        },
    )?;
    Ok(())
}
