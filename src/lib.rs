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

/// Where the tests find the shared corpus of real logs: `TSLENS_CORPUS`, else
/// `../shared/corpus` beside the checkout. Tests that need it skip, saying so, when absent,
/// and fail under CI (`CI` set) rather than pass without reading it.
#[cfg(test)]
pub(crate) fn corpus_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("TSLENS_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
        });
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "this test needs the shared corpus: no corpus at {} (set TSLENS_CORPUS)",
        dir.display()
    );
    eprintln!(
        "skipped: no corpus at {} (set TSLENS_CORPUS)",
        dir.display()
    );
    None
}
