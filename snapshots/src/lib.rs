//! Userland snapshot blobs: what identifies one (its [`Digest`]), where it is kept on disk
//! ([`DiskCache`]), and the process-wide, build-once [`SnapshotCache`].
//!
//! What goes *into* a snapshot is the engine's business: callers hand [`SnapshotCache::get_or_build`]
//! a closure that creates the blob. This crate links no V8.
#![deny(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod cache;
mod digest;
mod disk;

pub use cache::{Blob, BuildError, Origin, SnapshotCache};
pub use digest::{Digest, DigestInput};
pub use disk::{DiskCache, DiskError};
