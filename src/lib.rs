//! tslens: read, analyse and explore ConfigMgr task-sequence logs.
//!
//! Data flows one way: bytes ([`source`]) -> records ([`parse`]) -> analysis ([`codes`],
//! [`chains`](analysis::chains), [`steps`](analysis::steps), [`kb`]) -> view state and
//! frames ([`tui`]).
//! Only `tui` knows about the terminal.

pub mod analysis;
pub mod cli;
pub mod codes;
pub mod config;
pub mod engine;
pub mod follow;
pub mod input;
pub mod kb;
pub mod log;
pub(crate) mod mapguard;
pub mod multilit;
pub(crate) mod pages;
pub mod par;
pub mod parse;
pub mod present;
pub mod report;
pub mod sanitize;
pub mod scan;
pub(crate) mod small_file;
pub mod source;
pub mod timing;
pub mod tui;

/// The shared corpus of real logs and its good negatives, for the library's tests: the
/// same module the integration tests use, so the two cannot drift apart.
#[cfg(test)]
#[path = "../tests/corpus_support/mod.rs"]
pub(crate) mod corpus_support;
