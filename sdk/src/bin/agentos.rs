//! agentos CLI.
fn main() {}
