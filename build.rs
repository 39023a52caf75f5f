//! Embeds every `kb/*.toml` as a built-in rule file, so adding a family file
//! needs no code change.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
    // Paths relative to the package and `CARGO_MANIFEST_DIR` in the generated code, not
    // this checkout's absolute path: a target folder copied to another worktree would
    // otherwise keep embedding (and watching) the first checkout's files.
    println!("cargo:rerun-if-changed=kb");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("kb/ is part of the source tree")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let mut out = String::from("&[\n");
    for name in &names {
        println!("cargo:rerun-if-changed=kb/{name}");
        let _ = writeln!(
            out,
            "    (\"kb/{name}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),",
            format!("/kb/{name}")
        );
    }
    out.push(']');
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_kb.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
