//! Compiles `agentos.proto` and `cell.proto` with protox, so building needs no system `protoc`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=agentos.proto");
    println!("cargo:rerun-if-changed=cell.proto");
    let descriptors = protox::compile(["agentos.proto", "cell.proto"], ["."])?;
    prost_build::Config::new()
        .bytes(["."])
        .compile_fds(descriptors)?;
    Ok(())
}
