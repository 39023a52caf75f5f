//! The command-line contract: versions, help, lookups, and one-line errors with exit 2.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;

mod cli_support;

fn tslens() -> Command {
    Command::cargo_bin("tslens").unwrap()
}

fn stderr_line(out: &std::process::Output) -> String {
    let s = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(s.trim_end().lines().count(), 1, "one line expected: {s:?}");
    s
}

#[test]
fn version_and_help() {
    let out = tslens().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("tslens "));
    for args in [
        &["--help"][..],
        &["report", "--help"],
        &["lookup", "--help"],
        &["kb", "--help"],
        &["kb", "check", "--help"],
    ] {
        let out = tslens().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

#[test]
fn lookup_accepts_every_spelling() {
    for arg in ["0x80070002", "80070002", "-2147024894", "2147942402"] {
        let out = tslens()
            .args(["lookup", "--format", "json", arg])
            .output()
            .unwrap();
        assert!(out.status.success(), "{arg}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v[0]["hex"], "0x80070002", "{arg}");
        assert_eq!(v[0]["facility"], 7, "{arg}");
    }
    let out = tslens().args(["lookup", "0x80040101"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("0x80040101"));
    assert!(
        text.contains("FACILITY_ITF") && text.contains("Not a drag-and-drop"),
        "{text}"
    );
    let out = tslens().args(["lookup", "2"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("ERROR_FILE_NOT_FOUND"));
}

#[test]
fn lookup_reads_extend_codes_and_cites_its_tables() {
    // Every spelling of Windows Setup's result and extend code (Microsoft's "Upgrade
    // error codes" page writes `0xC1900101 - 0x4000D`).
    for args in [
        &["0xC1900101-0x4000D"][..],
        &["0xC1900101", "-", "0x4000D"],
        &["0xC1900101", "-0x4000D"],
    ] {
        let out = tslens()
            .args(["lookup", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 1, "{args:?}");
        assert_eq!(v[0]["extend"]["operation"], "MIGRATE_DATA", "{args:?}");
        assert!(v[0]["extend"]["phase"]
            .as_str()
            .unwrap()
            .starts_with("OOBE_BOOT"));
    }
    let out = tslens()
        .args(["lookup", "0x800F0818-0x20003", "0x87D00607", "5212"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for part in [
        "CBS_E_IDENTITY_MISMATCH",
        "SAFE_OS",
        "INSTALL_UPDATES",
        "Content not found",
        "LiteTouch.wsf",
        "Welcome wizard",
        "Source:    the names CBS itself prints",
        "SrsResources.dll",
        "MDT 6.3.8456.1000 scripts",
    ] {
        assert!(text.contains(part), "{part:?} missing from\n{text}");
    }
}

#[test]
fn lookup_rejects_words() {
    let out = tslens().args(["lookup", "hello"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_line(&out).contains("hello"));
}

#[test]
fn lookup_decodes_the_good_codes_before_naming_the_bad_one() {
    let out = tslens()
        .args(["lookup", "0x80070002", "zzz"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0x80070002"), "{stdout}");
    assert!(stdout.contains("ERROR_FILE_NOT_FOUND"), "{stdout}");
    assert!(stderr_line(&out).contains("zzz"));
}

#[test]
fn bad_inputs_give_one_line_and_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.log");
    let out = tslens().args(["report"]).arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let line = stderr_line(&out);
    assert!(
        line.contains("nope.log") && line.contains("no such file"),
        "{line}"
    );

    let empty_dir = dir.path().join("empty");
    std::fs::create_dir(&empty_dir).unwrap();
    let out = tslens().args(["report"]).arg(&empty_dir).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_line(&out).contains("no .log"));

    let out = tslens()
        .args(["report", "--format", "yaml", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn odd_files_are_read_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.log", Vec::new()),
        ("binary.log", (0..=255u8).cycle().take(70_000).collect()),
        ("unterminated.log", b"<![LOG[never closed".to_vec()),
        ("long.log", vec![b'x'; 12 << 20]),
    ];
    for (name, bytes) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, &bytes).unwrap();
        let v = cli_support::report_json(&p);
        assert_eq!(
            v["sources"][0]["bytes"].as_u64().unwrap(),
            bytes.len() as u64,
            "{name}"
        );
        let records = v["sources"][0]["records"].as_u64().unwrap();
        assert_eq!(records == 0, bytes.is_empty(), "{name}");
    }
}

#[test]
fn standard_input_is_read() {
    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample-logs/naa-not-set.log"
    ))
    .unwrap();
    let out = tslens()
        .args(["report", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sources"][0]["path"], "-");
    assert_eq!(v["findings"][0]["id"], "naa-not-set");
}

#[test]
fn report_formats_put_findings_first() {
    let log = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample-logs/signature-failure.log"
    );
    let out = tslens().args(["report", log]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let f = text.find("Finding 1").unwrap();
    let c = text.find("HRESULT chains").unwrap();
    assert!(f < c);
    let out = tslens()
        .args(["report", "--format", "markdown", log])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("## Finding 1"));
}

#[test]
fn kb_check_reports_every_bad_rule_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two-bad.toml");
    let rule = |id: &str, signal: &str| {
        format!(
            "[[rule]]\nid = \"{id}\"\ntitle = \"t\"\n[[rule.signal]]\n{signal}\n\
             [[rule.cause]]\ntext = \"x\"\nfix = [\"y\"]\n[[rule.example]]\nlog = \"a b\"\n\n"
        )
    };
    let text = rule("bad-regex", "message = '(unclosed'")
        + &rule("bad-code", "code = \"zz\"")
        + &rule("twice", "message = 'twice here'")
        + &rule("twice", "message = 'twice there'");
    std::fs::write(&file, text).unwrap();
    let out = tslens().args(["kb", "check"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("two-bad.toml:5:11: bad regex"), "{err}");
    assert!(
        err.contains("two-bad.toml:16:8:") && err.contains("bad code `zz`"),
        "{err}"
    );
    assert!(err.contains("duplicate rule id `twice`"), "{err}");
}

#[test]
fn kb_check_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[[rule]]\nid = \"x\"\ntitle = \"t\"\nnonsense = 1\n").unwrap();
    let out = tslens().args(["kb", "check"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:"), "{err}");
    let out = tslens()
        .args(["kb", "check", concat!(env!("CARGO_MANIFEST_DIR"), "/kb")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = tslens().args(["kb", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() >= 60);
}

#[cfg(unix)]
#[test]
fn user_themes_are_found_by_name_and_checked_before_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("tslens").join("themes");
    std::fs::create_dir_all(&themes).unwrap();
    std::fs::write(
        themes.join("mine.toml"),
        "name = \"mine\"\n[styles]\nnot-a-role = \"red\"\n",
    )
    .unwrap();
    let out = tslens()
        .env("XDG_CONFIG_HOME", dir.path())
        .args([
            "--theme",
            "mine",
            concat!(env!("CARGO_MANIFEST_DIR"), "/sample-logs/naa-not-set.log"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_line(&out).contains("mine.toml:3"));
}

/// Runs `kb check` on a rule file holding `text`: its exit code and standard error.
fn kb_check(name: &str, text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    let out = tslens().args(["kb", "check"]).arg(&file).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code(), err)
}

/// `kb check` runs each example through report's own pipeline: a rule whose only signal
/// is a bare code passes a direct match on an info line, yet report never selects that
/// line; and an id taken from a built-in rule is refused.
#[test]
fn kb_check_runs_examples_through_the_report_pipeline() {
    let (code, err) = kb_check(
        "mine.toml",
        r#"[[rule]]
id = "my-bare-code"
title = "A rule with only a code"
[[rule.signal]]
code = "0x80070070"
[[rule.cause]]
text = "Disk full."
fix = ["Free space."]
[[rule.example]]
log = "Copy stopped, result 0x80070070 while staging"

[[rule]]
id = "naa-not-set"
title = "Clashes with a built-in id"
[[rule.signal]]
message = 'Network Access Account is not set'
[[rule.cause]]
text = "x"
fix = ["y"]
[[rule.example]]
log = "Network Access Account is not set"
"#,
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains(
            "mine.toml:10:1: the example of 'my-bare-code' does not fire through report's pipeline"
        ),
        "{err}"
    );
    assert!(
        err.contains("id 'naa-not-set' is already used by the built-in rule"),
        "{err}"
    );
    // The built-in rules pass their own check.
    let kb = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
    let out = tslens().args(["kb", "check"]).arg(&kb).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A user rule whose example a built-in rule takes first is flagged: `report` would name
/// the built-in rule, so the user's rule would never be the answer on that text. The
/// example lines are the built-in `naa-not-set` rule's own (TSMBootstrap's words).
#[test]
fn kb_check_flags_an_example_a_built_in_rule_takes_first() {
    let text = r#"[[rule]]
id = "our-naa-missing"
title = "Our NAA is missing again"
priority = 60
[[rule.signal]]
message = 'Network Access Account is not set'
[[rule.cause]]
text = "The site's NAA was removed."
fix = ["Set it again."]
[[rule.example]]
log = '''
Found empty NetworkAccessUsername/NetworkAccessPassword from NAAConfig CCM_NetworkAccessAccount
Network Access Account is not set
'''
"#;
    let (code, err) = kb_check("site.toml", text);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("site.toml:11:1: the example of 'our-naa-missing' fires 'naa-not-set' first"),
        "{err}"
    );
    // Ranked above the built-in rule, the same example is the user's rule's own.
    let text = text.replace("priority = 60", "priority = 95\nconfidence = \"high\"");
    let (code, err) = kb_check("site.toml", &text);
    assert_eq!(code, Some(0), "{err}");
}

/// `kb list` narrows by family and by words, `kb list --families` counts them, and
/// `kb show ID` prints one rule with its sources; an unknown id or family is one line, exit 2.
#[test]
fn kb_list_filters_and_kb_show_prints_one_rule() {
    let text = |args: &[&str]| {
        let out = tslens().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let all = text(&["kb", "list"]);
    let join = text(&["kb", "list", "--family", "domain-join"]);
    let rows: Vec<&str> = join
        .lines()
        .filter(|l| l.contains(" domain-join "))
        .collect();
    assert!(
        rows.len() >= 5 && rows.len() + 1 == join.lines().count(),
        "{join}"
    );
    assert!(join.lines().count() < all.lines().count());

    let tpm = text(&["kb", "list", "tpm", "OWNERSHIP"]);
    let first_id = tpm.split_whitespace().next().unwrap().to_string();
    assert!(tpm.lines().count() >= 2, "{tpm}");

    let families = text(&["kb", "list", "--families"]);
    assert!(
        families.lines().any(|l| l.starts_with("domain-join ")),
        "{families}"
    );

    let shown = text(&["kb", "show", &first_id]);
    assert!(shown.starts_with(&first_id), "{shown}");
    for part in ["Family:", "Cause", "Matches", "Sources:", "Example 1"] {
        assert!(shown.contains(part), "{part} missing from {shown}");
    }

    for args in [
        &["kb", "show", "no-such-rule-at-all"][..],
        &["kb", "list", "--family", "no-such-family"],
    ] {
        let out = tslens().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        stderr_line(&out);
    }
}

/// A finding's causes stay apart in every format, even when a cause's own text holds
/// " 2. " (a reader splitting the joined string would cut it there). The rule and the log
/// line are made up for this test.
#[test]
fn several_causes_stay_a_list_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        r#"[[rule]]
id = "my-two-causes"
title = "The staging share refused the copy"
[[rule.signal]]
message = 'staging share refused the copy'
[[rule.cause]]
text = "The share is on SMB 2. 0 and the client asks for SMB 3."
fix = ["Enable SMB 3 on the share."]
[[rule.cause]]
text = "The account has no write right on the share."
fix = ["Grant write."]
[[rule.example]]
log = "the staging share refused the copy"
"#,
    )
    .unwrap();
    let log = dir.path().join("x.log");
    std::fs::write(
        &log,
        "<![LOG[the staging share refused the copy]LOG]!><time=\"10:00:00.000+000\" date=\"03-10-2026\" component=\"Copy\" context=\"\" type=\"3\" thread=\"1\" file=\"\">\r\n",
    )
    .unwrap();
    let run = |format: &str| {
        let out = tslens()
            .args(["report", "--format", format, "--kb"])
            .arg(dir.path())
            .arg(&log)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = "The share is on SMB 2. 0 and the client asks for SMB 3.";
    let second = "The account has no write right on the share.";
    let text = run("text");
    assert!(text.contains(&format!("    1. {first}\n")), "{text}");
    assert!(text.contains(&format!("    2. {second}\n")), "{text}");
    let md = run("markdown");
    assert!(md.contains(&format!("\n1. {first}\n2. {second}\n")), "{md}");
    let v: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["id"], "my-two-causes");
    // The contract's string, joined as before, and the list beside it.
    assert_eq!(f["cause"], format!("1. {first} 2. {second}"));
    assert_eq!(f["causes"], serde_json::json!([first, second]));
}
