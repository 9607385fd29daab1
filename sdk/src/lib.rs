//! Host SDK.
