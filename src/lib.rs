//! tslens: read, analyse and explore ConfigMgr task-sequence logs.
//!
//! Data flows one way: bytes ([`source`]) -> records ([`parse`]) -> analysis
//! ([`codes`], [`chains`], [`steps`], [`kb`]) -> view state and frames ([`tui`]).
//! Only `tui` and `theme` know about the terminal.

pub mod codes;
pub mod kb;
pub mod sanitize;
pub mod theme;
pub mod log;
pub mod parse;
pub mod source;
pub mod analysis;
pub mod cli;
pub mod config;
pub mod report;
