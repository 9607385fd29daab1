//! The shell crate's integration tests (one binary): the interpreter against a fake process
//! double, `SandboxFs` confinement, hostile scripts, and the differential conformance corpus.

mod support;

mod hostile;
mod interp;
mod sandbox_fs;
