//! The shared corpus of real logs (`../shared/corpus` beside the checkout, or
//! `TSLENS_CORPUS`), for the integration tests that read it.

use std::path::{Path, PathBuf};

/// The corpus folder; None where it is missing, said on stderr. Under CI (`CI` set) a
/// missing corpus fails the test instead of letting it pass without reading anything.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("TSLENS_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "this test needs the shared corpus: no corpus at {} (set TSLENS_CORPUS)",
        dir.display()
    );
    eprintln!(
        "skipping: no corpus at {} (set TSLENS_CORPUS)",
        dir.display()
    );
    None
}

/// The corpus's successful real logs (tests/corpus-good-negatives.txt).
#[allow(dead_code)]
pub fn good_negatives() -> impl Iterator<Item = &'static str> {
    include_str!("../corpus-good-negatives.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}
