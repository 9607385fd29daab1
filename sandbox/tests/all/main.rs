//! Integration tests of `agentos-sandbox`: one binary, every test run with both resolvers.

mod climb;
mod common;
mod containment;
mod devices;
mod escape;
mod fd;
mod modes;
mod path;
mod read_only;
mod readdir;
mod rights;
mod scratch;
mod stdio;
mod symlinks;
mod times;
