//! Bad input, as a careless user or an attacker supplies it: every case is either read and
//! shown raw (exit 0) or refused with one line on stderr naming the path (exit 2). Never a
//! panic, a hang, unbounded memory, or an escape sequence reaching the terminal.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;

mod cli_support;

fn tslens() -> Command {
    let mut c = Command::cargo_bin("tslens").unwrap();
    // A hang is a failure, not a stuck test run.
    c.timeout(Duration::from_secs(120));
    // The user's own rule folder must not change what these tests see.
    c.env("XDG_CONFIG_HOME", "/nonexistent-tslens-test");
    c
}

/// Exit 2 and one line on stderr, with no ESC or BEL byte in it.
fn refused(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(s.trim_end().lines().count(), 1, "one line expected: {s:?}");
    assert_inert(&out.stderr);
    s
}

fn assert_inert(bytes: &[u8]) {
    // ESC, BEL, and the C1 CSI (U+009B, C2 9B in UTF-8).
    assert!(
        !bytes.iter().any(|&b| b == 0x1b || b == 0x07)
            && !bytes.windows(2).any(|w| w == [0xC2, 0x9B]),
        "a control byte reached the terminal: {:?}",
        String::from_utf8_lossy(bytes)
    );
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn records_and_bytes(path: &Path) -> (u64, u64) {
    let v = cli_support::report_json(path);
    (
        v["sources"][0]["records"].as_u64().unwrap(),
        v["sources"][0]["bytes"].as_u64().unwrap(),
    )
}

const REC: &str = "<![LOG[Step failed, hr=0x80070005]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2026\" component=\"TSManager\" context=\"\" type=\"3\" thread=\"1\" file=\"x.cpp:1\">\r\n";

#[test]
fn odd_contents_are_shown_raw() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = b"<![LOG[".to_vec();
    big.resize(50 << 20, b'A');
    big.extend_from_slice(b"]LOG]!><time=\"10:00:00.000+000\" type=\"3\">\n");
    let mut lying = vec![0xFF, 0xFE];
    lying.extend_from_slice(REC.as_bytes());
    let mut nul = REC.as_bytes().to_vec();
    nul.extend_from_slice(b"\0\0\0 in the middle \0\n");
    let cases: Vec<(&str, Vec<u8>, Option<u64>)> = vec![
        ("empty.log", Vec::new(), Some(0)),
        ("bom-only.log", b"\xEF\xBB\xBF".to_vec(), None),
        ("record-50mb.log", big, Some(1)),
        ("nul.log", nul, Some(2)),
        (
            "invalid-utf8.log",
            b"\xC3\x28 bad \xFF\xFE bytes\n".to_vec(),
            Some(1),
        ),
        // A UTF-16 BOM before UTF-8 text: read as UTF-16, gibberish but no crash.
        ("lying-bom.log", lying, None),
        // The last record cut in the middle: shown raw.
        (
            "cut.log",
            format!("{REC}<![LOG[half a reco").into_bytes(),
            Some(2),
        ),
    ];
    for (name, bytes, want) in cases {
        let p = write(dir.path(), name, &bytes);
        let (records, len) = records_and_bytes(&p);
        assert_eq!(len, bytes.len() as u64, "{name}");
        if let Some(w) = want {
            assert_eq!(records, w, "{name}");
        }
    }
}

#[test]
fn unreadable_paths_are_one_line_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        let a = dir.path().join("loop-a.log");
        let b = dir.path().join("loop-b.log");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        let line = refused(&tslens().arg("report").arg(&a).output().unwrap());
        assert!(line.contains("loop-a.log"), "{line}");

        // Permission denied: root reads anything, so this part needs another user.
        let denied = write(dir.path(), "denied.log", REC.as_bytes());
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&denied, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&denied).is_ok() {
            println!("skipping the permission-denied case: running as root");
        } else {
            let line = refused(&tslens().arg("report").arg(&denied).output().unwrap());
            assert!(line.contains("denied.log") && line.contains("permission denied"));
        }
    }
    // A file name carrying an escape sequence is shown inert.
    let evil = dir.path().join("bad\x1b]0;pwned\x07.log");
    let line = refused(&tslens().arg("report").arg(&evil).output().unwrap());
    assert!(line.contains("bad␛]0;pwned␇.log"), "{line}");
}

#[test]
fn streams_and_devices_are_bounded() {
    // A device that never ends: refused, naming the limit, without reading it for ever.
    if Path::new("/dev/zero").exists() {
        let line = refused(&tslens().args(["report", "/dev/zero"]).output().unwrap());
        assert!(line.contains("/dev/zero") && line.contains("MiB"), "{line}");
        for args in [
            vec!["--theme", "/dev/zero", "x.log"],
            vec!["kb", "check", "/dev/zero"],
        ] {
            let line = refused(&tslens().args(&args).output().unwrap());
            assert!(line.contains("not a regular file"), "{args:?}: {line}");
        }
    }
    #[cfg(unix)]
    {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.log");
        if !std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            println!("skipping the FIFO cases: mkfifo failed");
            return;
        }
        // A FIFO with no writer is no theme and no rule file: refused at once.
        let line = refused(&tslens().args(["kb", "check"]).arg(&fifo).output().unwrap());
        assert!(line.contains("FIFO"), "{line}");
        let line = refused(
            &tslens()
                .arg("--theme")
                .arg(&fifo)
                .arg("x.log")
                .output()
                .unwrap(),
        );
        assert!(line.contains("FIFO"), "{line}");
        // A log that is a FIFO is read as a stream.
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let text = REC.repeat(3);
                std::fs::write(&fifo, text).unwrap();
            })
        };
        let out = tslens()
            .args(["report", "--format", "json"])
            .arg(&fifo)
            .output()
            .unwrap();
        writer.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["sources"][0]["records"], 3);
    }
}

#[test]
fn nothing_printed_carries_an_escape() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb\x1b]52;c;aGk=\x07");
    std::fs::create_dir(&kb).unwrap();
    write(
        &kb,
        "evil.toml",
        // TOML's \u escapes put real control characters in the title.
        "[[rule]]\nid = \"evil-title\"\ntitle = \"Evil \\u001b]0;title\\u0007 \\u001b]52;c;aGk=\\u0007\"\n\
         [[rule.signal]]\nmessage = 'evil'\n[[rule.cause]]\ntext = \"c\"\nfix = [\"f\"]\n"
            .as_bytes(),
    );
    // kb list prints a user rule's title inert.
    let out = tslens()
        .args(["kb", "list", "--kb"])
        .arg(&kb)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_inert(&out.stdout);
    assert_inert(&out.stderr);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Evil ␛]0;title␇"));

    // A TOML error quoting the rule's text.
    let bad = write(
        dir.path(),
        "bad.toml",
        "[[rule]]\nid = \"x\"\ntitle = \x1b]0;t\x07\n".as_bytes(),
    );
    let line = refused(&tslens().args(["kb", "check"]).arg(&bad).output().unwrap());
    assert!(line.contains("bad.toml:3"), "{line}");

    // A lookup argument, a --kb folder that is not a folder.
    refused(&tslens().args(["lookup", "0x\x1b[2J"]).output().unwrap());
    let not_dir = dir.path().join("no\x1b[31mdir");
    refused(
        &tslens()
            .args(["report", "--kb"])
            .arg(&not_dir)
            .arg("x.log")
            .output()
            .unwrap(),
    );
}

#[test]
fn many_rules_load() {
    // Line numbers were counted from the start of the file for every rule: quadratic (the
    // figures are in docs/robustness.md). A file of many rules loads and checks.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!(
            "[[rule]]\nid = \"gen-{i}\"\ntitle = \"t{i}\"\n[[rule.signal]]\nmessage = 'generated failure number {i} here'\n\
             [[rule.cause]]\ntext = \"c\"\nfix = [\"f\"]\n[[rule.example]]\nlog = '''\ngenerated failure number {i} here\n'''\n"
        ));
    }
    let p = write(dir.path(), "many.toml", text.as_bytes());
    let out = tslens().args(["kb", "check"]).arg(&p).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("300 rules"));
}

#[cfg(unix)]
#[test]
fn a_path_that_is_not_utf8_is_named_on_one_line() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"bad\xffname.log"));
    if std::fs::write(&path, REC).is_err() {
        println!("skipping: this file system refuses names that are not UTF-8");
        return;
    }
    // clap's own refusal was its usage text, naming nothing.
    for args in [vec!["report"], vec![], vec!["scan"]] {
        let line = refused(&tslens().args(&args).arg(&path).output().unwrap());
        assert!(
            line.contains("bad\u{fffd}name.log") && line.contains("UTF-8"),
            "{args:?}: {line}"
        );
    }
    // Its folder reads it.
    let (records, _) = records_and_bytes(dir.path());
    assert_eq!(records, 1);
}
