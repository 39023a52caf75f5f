//! Running the built `tslens` binary from integration tests.
#![allow(clippy::unwrap_used, dead_code)]

use std::path::Path;

/// `tslens report --format FORMAT PATH`, asserted to succeed, as text.
pub fn report_as(path: &Path, format: &str) -> String {
    let out = assert_cmd::Command::cargo_bin("tslens")
        .unwrap()
        .args(["report", "--format", format])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `tslens report --format json PATH`, asserted to succeed, as parsed JSON.
pub fn report_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&report_as(path, "json")).unwrap()
}
