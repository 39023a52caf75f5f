//! tslens: read, analyse and explore ConfigMgr task-sequence logs.
//!
//! Data flows one way: bytes ([`source`]) -> records ([`parse`]) -> analysis
//! ([`codes`], [`chains`], [`steps`], [`kb`]) -> view state and frames ([`tui`]).
//! Only `tui` and `theme` know about the terminal.

pub mod analysis;
pub mod cli;
pub mod codes;
pub mod config;
pub mod follow;
pub mod kb;
pub mod log;
pub mod parse;
pub mod report;
pub mod sanitize;
pub mod source;
pub mod theme;
pub mod tui;
