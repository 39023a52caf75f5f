//! Running the built `tslens` binary from integration tests.
#![allow(clippy::unwrap_used, dead_code)]

use std::path::Path;

/// `tslens report --format json PATH`, asserted to succeed, as parsed JSON.
pub fn report_json(path: &Path) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("tslens")
        .unwrap()
        .args(["report", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
