use std::path::{Path, PathBuf};

use super::examples::{evaluate_owned, records_from_text, OwnedRecord};
use super::*;

/// CMTrace lines for a record list: (component, message).
fn cmtrace(lines: &[(&str, &str)]) -> String {
    lines
        .iter()
        .enumerate()
        .map(|(i, (component, message))| {
            format!(
                "<![LOG[{message}]LOG]!><time=\"10:14:{:02}.{:03}+000\" date=\"03-14-2011\" component=\"{component}\" context=\"\" type=\"1\" thread=\"1044\" file=\"tsmbootstrap.cpp:1\">\n",
                i % 60,
                i % 1000
            )
        })
        .collect()
}

/// Records from a log text, parsed as the pipeline parses it.
fn records(text: &str) -> Vec<OwnedRecord> {
    records_from_text(text, None)
}

fn ids(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test file");
    path
}

const GOOD_RULE: &str = r#"
[[rule]]
id = "user-thing"
title = "A user rule"

[[rule.signal]]
message = 'user thing broke'

[[rule.cause]]
text = "It broke."
fix = ["Mend it."]

[[rule.example]]
log = "the user thing broke today"
"#;

#[test]
fn builtin_rules_load_without_error() {
    let (set, errors) = RuleSet::builtin_checked();
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "built-in rule errors:\n{}",
        shown.join("\n")
    );
    assert!(set.rules().len() >= 60, "only {} rules", set.rules().len());
    // The built-in patterns are compiled only when a log needs them, where a failure
    // could not be reported: every one must compile (from_rules compiles them all).
    if let Err(reason) = RuleSet::from_rules(set.rules().to_vec()) {
        panic!("a built-in pattern does not compile: {reason}");
    }
}

/// Every log record is searched for the rules' literals with a step of the shortest
/// literal's length less 2: one 4- or 5-byte literal (a bare `.msu`, `error`) halves the
/// step and makes the whole scan about 1.3 times as costly, and a common word sends
/// thousands of records to its pattern. A rule that needs a short word pairs it with a
/// longer one (`\.msu"?\s+/quiet`) or a code (`error[^\r\n]*8024402C`).
#[test]
fn builtin_patterns_are_reached_by_literals_of_six_bytes_or_more() {
    let set = RuleSet::builtin();
    let search = set
        .patterns()
        .literal_search()
        .expect("the built-in patterns have literals");
    assert!(
        search.step() >= 4,
        "the scan's step fell to {}",
        search.step()
    );
}

#[test]
fn every_kb_file_is_embedded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("kb directory")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("kb/{n}"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = RuleSet::builtin_files().map(str::to_string).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded, "kb/*.toml and the BUILTIN list differ");
    // The embedded text is the file's current text.
    for (name, text) in BUILTIN {
        let disk = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name))
            .expect("read kb file");
        assert_eq!(&disk, text, "{name} is stale");
    }
}

#[test]
fn every_builtin_rule_has_an_example_that_fires_and_examples_hold() {
    let set = RuleSet::builtin();
    let errors = RuleSet::check_examples(set.rules());
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "example failures:\n{}", shown.join("\n"));
}

#[test]
fn builtin_rules_have_full_metadata() {
    for rule in RuleSet::builtin().rules() {
        assert!(!rule.references.is_empty(), "{} has no reference", rule.id);
        assert!(rule.versions.is_some(), "{} has no versions", rule.id);
        assert!((0..=100).contains(&rule.priority), "{} priority", rule.id);
    }
}

fn phase1() -> String {
    cmtrace(&[
        ("TSMBootstrap", "Requesting policy for this computer."),
        ("TSMBootstrap", "Parsing Policy Body."),
        ("TSMBootstrap", "(!sNetworkAccessAccount.empty()) && (!sNetworkAccessPassword.empty()), HRESULT=80040101 (e:\\nts_sms_fre\\sms\\framework\\tscore\\tspolicy.cpp,1518)"),
        ("TSMBootstrap", "Found empty NetworkAccessUsername/NetworkAccessPassword from NAAConfig CCM_NetworkAccessAccount"),
        ("TSMBootstrap", "GetEncodedNetworkAccessAccount (sEncodedAccount, sEncodedPassword), HRESULT=80040101 (e:\\nts_sms_fre\\sms\\framework\\tscore\\tspolicy.cpp,1544)"),
        ("TSMBootstrap", "Network Access Account is not set"),
        ("TSMBootstrap", "GetNetworkAccessAccount( sNetworkAccessAccount, sNetworkAccessPassword ), HRESULT=80040101 (e:\\nts_sms_fre\\sms\\framework\\tscore\\tspolicy.cpp,1597)"),
        ("TSMBootstrap", "(*iTSReference)->Resolve( pTSPolicyManager, dwResolveFlags ), HRESULT=80040101 (e:\\nts_sms_fre\\sms\\framework\\tscore\\tspolicy.cpp,2862)"),
        ("TSMBootstrap", "Failed to resolve selected task sequence dependencies. Code(0x80040101)"),
        ("TSMBootstrap", "ThreadToResolveAndExecuteTaskSequence failed. Code(0x80040101)"),
        ("TSMBootstrap", "ThreadToResolveAndExecuteTaskSequence returned code 0x80040101"),
        ("TSMBootstrap", "Setting wizard error: Failed to read network access account from machine policy. For more information, please contact your system administrator or helpdesk operator."),
    ])
}

fn phase2() -> String {
    cmtrace(&[
        ("TSMBootstrap", "Decompressing reply body."),
        ("TSMBootstrap", "::DecompressBuffer(65536)"),
        ("TSMBootstrap", "Decompression (zlib) succeeded: original size 476, uncompressed size 2568."),
        ("TSMBootstrap", "CryptMsgControl (hMsg, 0, CMSG_CTRL_VERIFY_SIGNATURE, pCert->pCertInfo), HRESULT=8009100e (e:\\nts_sms_fre\\sms\\framework\\osdmessaging\\libcrypt.cpp,351)"),
        ("TSMBootstrap", "signature varification failed"),
        ("TSMBootstrap", "ipCertContext != listpServerCertContext.end(), HRESULT=80004005 (e:\\nts_sms_fre\\sms\\framework\\osdmessaging\\libsmsmessaging.cpp,2476)"),
        ("TSMBootstrap", "signature check failed: 3C5369676E61747572653E"),
        ("TSMBootstrap", "DoRequest (sReply, true), HRESULT=80004005 (e:\\nts_sms_fre\\sms\\framework\\osdmessaging\\libsmsmessaging.cpp,5010)"),
        ("TSMBootstrap", "Failed to get client identity (80004005)"),
        ("TSMBootstrap", "ClientIdentity.RequestClientIdentity (), HRESULT=80004005 (e:\\nts_sms_fre\\sms\\client\\tasksequence\\tsmbootstrap\\tsmediawizardcontrol.cpp,815)"),
        ("TSMBootstrap", "failed to request for Exiting TSMediaWizardControl::GetPolicy."),
        ("TSMBootstrap", "failed to request for Setting wizard error: An error occurred while retrieving policy for this computer  (0x80004005). For more information, please contact your system administrator or helpdesk operator."),
    ])
}

#[test]
fn founding_case_phase1_names_the_unset_account_first() {
    let set = RuleSet::builtin();
    let findings = evaluate_owned(&set, &records(&phase1()));
    assert_eq!(
        findings.first().map(|f| f.id.as_str()),
        Some("naa-not-set"),
        "{:?}",
        ids(&findings)
    );
    let f = &findings[0];
    assert_eq!(f.confidence, Confidence::High);
    assert_eq!(f.occurrences, 1);
    assert!(f.causes.len() >= 2, "{:?}", f.causes);
    assert!(f.causes[1].contains("srvacct"), "{:?}", f.causes);
    // The contract's one string numbers them.
    assert!(f.cause().starts_with("1. "), "{}", f.cause());
    assert!(f.cause().contains(&format!(" 2. {}", f.causes[1])));
    assert!(
        f.fix.iter().any(|s| s.starts_with("If cause 2:")),
        "{:?}",
        f.fix
    );
    assert!(f.references.iter().any(|r| r.contains("KB2509330")));
    assert!(f
        .evidence
        .iter()
        .any(|e| e.text.contains("Network Access Account is not set")));
    assert!(!ids(&findings).contains(&"site-restore-srvacct-key-mismatch"));
}

#[test]
fn founding_case_phase2_ranks_key_mismatch_above_generic_advice() {
    let set = RuleSet::builtin();
    let findings = evaluate_owned(&set, &records(&phase2()));
    let found = ids(&findings);
    assert_eq!(
        found.first(),
        Some(&"site-restore-srvacct-key-mismatch"),
        "{found:?}"
    );
    let top = &findings[0];
    assert_eq!(top.confidence, Confidence::High);
    assert!(top.fix.iter().any(|s| s.contains("CryptImportKey.exe")));
    assert!(top.fix.iter().any(|s| s.contains("srvacct")));
    assert!(top.fix.iter().any(|s| s.contains("site reset")));
    assert!(top.fix.iter().any(|s| s.contains("Clear")));
    assert!(top
        .evidence
        .iter()
        .any(|e| e.text.contains("signature varification failed")));
    // The generic advice is there too, but below.
    for generic in [
        "client-identity-request-failed",
        "generic-unspecified-error",
    ] {
        let at = found.iter().position(|id| *id == generic);
        assert!(
            at.is_some_and(|i| i > 0),
            "{generic} missing or first: {found:?}"
        );
    }
    assert!(!found.contains(&"naa-not-set"));
    assert!(!found.contains(&"media-certificate-expired"));
}

#[test]
fn correct_spelling_of_verification_also_matches() {
    let set = RuleSet::builtin();
    let findings = evaluate_owned(
        &set,
        &records("signature verification failed TSMBootstrap\nFailed to get client identity (80004005) TSMBootstrap\n"),
    );
    assert_eq!(
        findings.first().map(|f| f.id.as_str()),
        Some("site-restore-srvacct-key-mismatch")
    );
}

#[test]
fn founding_case_as_pasted_plain_text() {
    let set = RuleSet::builtin();
    let pasted = "Network Access Account is not set TSMBootstrap\nFailed to resolve selected task sequence dependencies. Code(0x80040101) TSMBootstrap\n";
    let findings = evaluate_owned(&set, &records(pasted));
    assert_eq!(findings.first().map(|f| f.id.as_str()), Some("naa-not-set"));
}

#[test]
fn repeated_failure_is_one_finding_with_occurrences() {
    let set = RuleSet::builtin();
    let mut log = String::new();
    for _ in 0..3 {
        log.push_str("Error. Received 0x80072ee7 from WinHttpSendRequest. TSMBootstrap\n");
        log.push_str("unknown host (gethostbyname failed) TSMBootstrap\n");
        log.push_str("sending with winhttp failed; 80072ee7 TSMBootstrap\n");
        log.push_str("Will retry in 6 second(s) TSMBootstrap\n");
    }
    let findings = evaluate_owned(&set, &records(&log));
    let f = findings
        .iter()
        .find(|f| f.id == "winpe-network-mp-unreachable")
        .expect("network rule fires");
    assert_eq!(f.occurrences, 3);
    assert!(
        f.evidence.iter().all(|e| e.line <= 4),
        "evidence from the first occurrence: {:?}",
        f.evidence
    );
    assert_eq!(
        findings
            .iter()
            .filter(|f| f.id == "winpe-network-mp-unreachable")
            .count(),
        1
    );
}

/// A set built from rule text, for matcher tests.
fn set_of(text: &str) -> RuleSet {
    let rules = schema::parse_rules(Path::new("test.toml"), text).expect("test rules parse");
    RuleSet::from_rules(rules).expect("test rules compile")
}

fn plain(lines: &[&str]) -> Vec<OwnedRecord> {
    records(&lines.join("\n"))
}

#[test]
fn within_ordered_unless_and_optional() {
    let set = set_of(
        r#"
[[rule]]
id = "pair"
title = "A then B"
confidence = "high"
within = 3
ordered = true
[[rule.signal]]
message = 'alpha'
[[rule.signal]]
message = 'beta'
[[rule.signal]]
message = 'gamma'
optional = true
[[rule.unless]]
message = 'delta'
[[rule.cause]]
text = "x"
fix = ["y"]
"#,
    );
    let fire = |lines: &[&str]| evaluate_owned(&set, &plain(lines));
    // In order and close: fires, but with no optional hit the confidence drops.
    let f = fire(&["alpha", "x", "beta"]);
    assert_eq!(ids(&f), vec!["pair"]);
    assert_eq!(f[0].confidence, Confidence::Medium);
    // The optional signal restores it.
    let f = fire(&["alpha", "beta", "gamma"]);
    assert_eq!(f[0].confidence, Confidence::High);
    assert_eq!(f[0].evidence.len(), 3);
    // Too far apart.
    assert!(fire(&["alpha", "x", "x", "x", "x", "beta"]).is_empty());
    // Wrong order.
    assert!(fire(&["beta", "alpha"]).is_empty());
    // Ruled out.
    assert!(fire(&["alpha", "beta", "delta"]).is_empty());
    // Two separate matches, with a retry of alpha inside the first.
    let f = fire(&[
        "alpha", "alpha", "beta", "x", "x", "x", "x", "alpha", "beta",
    ]);
    assert_eq!(f[0].occurrences, 2);
    assert_eq!(f[0].evidence[0].line, 1);
}

#[test]
fn any_mode_codes_component_and_step() {
    let set = set_of(
        r#"
[[rule]]
id = "either"
title = "Either"
mode = "any"
[[rule.signal]]
code = ["0x80070005", "-2147024894"]
component = '^OSDApplyOS$'
[[rule.signal]]
message = 'Disk full'
step = 'Apply Operating System'
case_sensitive = true
[[rule.cause]]
text = "x"
fix = ["y"]
"#,
    );
    assert!(set.codes().contains(&0x8007_0005));
    assert!(set.codes().contains(&0x8007_0002));
    let rec = |component: &str, message: &str, codes: Vec<u32>, step: Option<&str>| OwnedRecord {
        line: 1,
        component: component.to_string(),
        message: message.to_string(),
        codes,
        step: step.map(str::to_string),
    };
    let fire = |r: Vec<OwnedRecord>| ids(&evaluate_owned(&set, &r)).len();
    assert_eq!(
        fire(vec![rec("OSDApplyOS", "denied", vec![0x8007_0005], None)]),
        1
    );
    assert_eq!(
        fire(vec![rec("OSDApplyOS", "missing", vec![0x8007_0002], None)]),
        1
    );
    assert_eq!(
        fire(vec![rec("TSManager", "denied", vec![0x8007_0005], None)]),
        0
    );
    assert_eq!(
        fire(vec![rec(
            "x",
            "Disk full",
            vec![],
            Some("Apply Operating System")
        )]),
        1
    );
    assert_eq!(
        fire(vec![rec(
            "x",
            "disk full",
            vec![],
            Some("Apply Operating System")
        )]),
        0
    );
    assert_eq!(
        fire(vec![rec(
            "x",
            "Disk full",
            vec![],
            Some("Restart Computer")
        )]),
        0
    );
    assert_eq!(fire(vec![rec("x", "Disk full", vec![], None)]), 0);
    // Each repeat of a signal starts a new occurrence.
    let f = evaluate_owned(
        &set,
        &[
            rec("OSDApplyOS", "denied", vec![0x8007_0005], None),
            rec("OSDApplyOS", "denied", vec![0x8007_0005], None),
        ],
    );
    assert_eq!(f[0].occurrences, 2);
}

#[test]
fn prefilter_finds_candidates_in_raw_bytes() {
    let set = RuleSet::builtin();
    let log = phase1();
    assert!(set.prefilter().is_match(log.as_bytes()));
    assert!(!set
        .prefilter()
        .is_match(b"Executing task sequence\r\nStep 1 succeeded\r\n"));
    assert!(set.codes().contains(&0x8004_0101));
    assert!(!RuleSet::empty().prefilter().is_match(b"anything at all"));
    assert!(RuleSet::empty().evaluate(&[]).is_empty());
}

#[test]
fn single_cause_renders_plainly() {
    let set = set_of(GOOD_RULE);
    let f = evaluate_owned(&set, &plain(&["user thing broke"]));
    assert_eq!(f[0].causes, vec!["It broke.".to_string()]);
    assert_eq!(f[0].cause(), "It broke.");
    assert_eq!(f[0].fix, vec!["Mend it.".to_string()]);
}

#[test]
fn long_evidence_is_clipped_and_capped() {
    let set = set_of(GOOD_RULE);
    let long = format!("user thing broke {}", "é".repeat(2000));
    let f = evaluate_owned(&set, &plain(&[&long]));
    assert!(f[0].evidence[0].text.len() <= 610);
}

fn load_err(text: &str) -> RuleError {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "bad.toml", text);
    RuleSet::load_file(&path).expect_err("rule file should be rejected")
}

fn assert_err(text: &str, kind: RuleErrorKind, line: usize, needle: &str) {
    let e = load_err(text);
    let shown = e.to_string();
    assert_eq!(e.kind, kind, "{shown}");
    assert_eq!(e.line, line, "{shown}");
    assert!(shown.contains(needle), "{shown}");
    assert!(shown.contains("bad.toml:"), "{shown}");
    assert!(!shown.contains('\n'), "one line: {shown}");
}

#[test]
fn bad_files_give_file_line_errors() {
    assert_err(
        "[[rule]\nid = 'x'\n",
        RuleErrorKind::Syntax,
        1,
        "bad.toml:1:",
    );
    assert_err(
        &GOOD_RULE.replace(
            "title = \"A user rule\"",
            "title = \"A user rule\"\ntilte = \"typo\"",
        ),
        RuleErrorKind::UnknownKey,
        5,
        "tilte",
    );
    assert_err(
        &GOOD_RULE.replace(
            "message = 'user thing broke'",
            "mesage = 'user thing broke'",
        ),
        RuleErrorKind::UnknownKey,
        7,
        "mesage",
    );
    assert_err(
        &GOOD_RULE.replace("title = \"A user rule\"\n", ""),
        RuleErrorKind::MissingField,
        2,
        "title",
    );
    assert_err(
        &GOOD_RULE.replace("'user thing broke'", "'user (thing broke'"),
        RuleErrorKind::BadRegex,
        7,
        "bad.toml:7:11: bad regex in `message`",
    );
    assert_err(
        &GOOD_RULE.replace("'user thing broke'", "'^user thing broke'"),
        RuleErrorKind::BadRegex,
        7,
        "anchor",
    );
    assert_err(
        &GOOD_RULE.replace("message = 'user thing broke'", "message = 'a*'"),
        RuleErrorKind::BadRegex,
        7,
        "empty message",
    );
    assert_err(
        &GOOD_RULE.replace("message = 'user thing broke'", "code = \"0xZZ\""),
        RuleErrorKind::BadCode,
        7,
        "0xZZ",
    );
    assert_err(
        &GOOD_RULE.replace("message = 'user thing broke'", "code = \"80070005\""),
        RuleErrorKind::BadCode,
        7,
        "0x80070005",
    );
    assert_err(
        &GOOD_RULE.replace("message = 'user thing broke'", "component = 'TSManager'"),
        RuleErrorKind::Invalid,
        6,
        "needs `message` or `code`",
    );
    assert_err(
        &GOOD_RULE.replace("confidence", "x").replace(
            "title = \"A user rule\"",
            "title = \"A user rule\"\nconfidence = \"sure\"",
        ),
        RuleErrorKind::BadValue,
        5,
        "sure",
    );
    assert_err(
        &GOOD_RULE.replace("user-thing", "User_Thing"),
        RuleErrorKind::Invalid,
        3,
        "kebab-case",
    );
    assert_err(
        &GOOD_RULE.replace("fix = [\"Mend it.\"]", "fix = []"),
        RuleErrorKind::Invalid,
        11,
        "fix",
    );
    assert_err("# nothing here\n", RuleErrorKind::Invalid, 1, "no [[rule]]");
    assert_err(
        &format!("{GOOD_RULE}\n{GOOD_RULE}"),
        RuleErrorKind::DuplicateId,
        18,
        "duplicate rule id `user-thing`",
    );
}

#[test]
fn load_dir_skips_bad_files_and_keeps_builtin_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a-good.toml", GOOD_RULE);
    write(dir.path(), "b-bad.toml", "[[rule]]\nid = 'oops'\n");
    write(
        dir.path(),
        "c-dup.toml",
        &GOOD_RULE.replace("user-thing", "naa-not-set"),
    );
    write(dir.path(), "notes.txt", "not a rule file");
    let mut set = RuleSet::builtin();
    let before = set.rules().len();
    let errors = set.load_dir(dir.path());
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 2, "{shown:?}");
    assert!(
        shown[0].contains("b-bad.toml:1:1:") && shown[0].contains("missing field"),
        "{shown:?}"
    );
    assert_eq!(errors[1].kind, RuleErrorKind::DuplicateId);
    assert!(shown[1].contains("c-dup.toml:3:1:"), "{shown:?}");
    assert_eq!(set.rules().len(), before + 1);
    // The user rule now matches, and built-in rules still do.
    let f = evaluate_owned(
        &set,
        &plain(&["user thing broke", "Network Access Account is not set"]),
    );
    assert!(ids(&f).contains(&"user-thing") && ids(&f).contains(&"naa-not-set"));
    // A directory that does not exist is one error.
    let missing = set.load_dir(&dir.path().join("nope"));
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].kind, RuleErrorKind::Io);
}

#[test]
fn a_user_pattern_too_large_to_compile_drops_its_file_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a-good.toml", GOOD_RULE);
    let huge = GOOD_RULE
        .replace("user-thing", "user-huge")
        .replace("'user thing broke'", r"'huge thing (?:\w{1000}){1000}'");
    write(dir.path(), "b-huge.toml", &huge);
    let mut set = RuleSet::builtin();
    let before = set.rules().len();
    let errors = set.load_dir(dir.path());
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 1, "{shown:?}");
    assert_eq!(errors[0].kind, RuleErrorKind::BadRegex);
    assert!(
        shown[0].contains("b-huge.toml:3:1:") && shown[0].contains("`user-huge`"),
        "{shown:?}"
    );
    assert!(shown[0].contains("size limit"), "{shown:?}");
    assert_eq!(set.rules().len(), before + 1);
    let f = evaluate_owned(
        &set,
        &plain(&["user thing broke", "Network Access Account is not set"]),
    );
    assert!(ids(&f).contains(&"user-thing") && ids(&f).contains(&"naa-not-set"));
}

#[test]
fn example_checks_report_wrong_examples() {
    let text = GOOD_RULE.replace(
        "log = \"the user thing broke today\"",
        "log = \"nothing to see\"",
    );
    let rules = schema::parse_rules(Path::new("x.toml"), &text).expect("parses");
    let errors = RuleSet::check_examples(&rules);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().contains("should fire but does not"));
    let no_example = GOOD_RULE
        .split("[[rule.example]]")
        .next()
        .unwrap_or_default();
    let rules = schema::parse_rules(Path::new("x.toml"), no_example).expect("parses");
    let errors = RuleSet::check_examples(&rules);
    assert!(errors[0].to_string().contains("no [[rule.example]]"));
}

#[test]
fn code_parsing() {
    assert_eq!(schema::parse_code("0x80070005"), Ok(0x8007_0005));
    assert_eq!(schema::parse_code("0X87d00269"), Ok(0x87D0_0269));
    assert_eq!(schema::parse_code("2147942405"), Ok(0x8007_0005));
    assert_eq!(schema::parse_code("-2147024891"), Ok(0x8007_0005));
    assert_eq!(schema::parse_code("27"), Ok(27));
    assert!(schema::parse_code("0x123456789").is_err());
    assert!(schema::parse_code("80004005").is_err());
    assert!(schema::parse_code("99999999999").is_err());
    assert!(schema::parse_code("").is_err());
}

#[test]
fn example_records_are_parsed_like_a_log() {
    let recs = records(
        "<![LOG[Failed. Code(0x80040101)]LOG]!><time=\"10:00:00.000+0\" component=\"TSManager\" type=\"3\">\r\n\r\nNetwork Access Account is not set TSMBootstrap\r\n",
    );
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].component, "TSManager");
    assert_eq!(recs[0].codes, vec![0x8004_0101]);
    assert_eq!(recs[1].line, 3);
    assert_eq!(recs[1].component, "TSMBootstrap");
    assert_eq!(recs[1].message, "Network Access Account is not set");
}

use crate::corpus_support::{corpus as corpus_dir, good_negatives};

fn read_lossy(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).expect("read corpus file")).into_owned()
}

#[test]
fn no_rule_fires_on_successful_corpus_logs() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let set = RuleSet::builtin();
    for name in good_negatives() {
        let text = read_lossy(&dir.join(name));
        let findings = evaluate_owned(&set, &records(&text));
        assert!(findings.is_empty(), "{name}: {:#?}", findings);
    }
}

/// Prints what fires on every corpus file: `cargo test --lib kb::tests::corpus_survey -- --ignored --nocapture`.
#[test]
#[ignore]
fn corpus_survey() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let set = RuleSet::builtin();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    let pasted = dir.join("pasted");
    if let Ok(entries) = std::fs::read_dir(&pasted) {
        names.extend(entries.filter_map(Result::ok).map(|e| e.path()));
    }
    names.sort();
    for path in names.iter().filter(|p| p.is_file()) {
        let text = read_lossy(path);
        let start = std::time::Instant::now();
        let hits = set.prefilter().find_iter(text.as_bytes()).count();
        let took = start.elapsed();
        let findings = evaluate_owned(&set, &records(&text));
        println!("{} ({} prefilter hits, {:?})", path.display(), hits, took);
        for f in findings {
            println!(
                "   {} [{} p{} x{}] {:?}",
                f.id,
                f.confidence,
                f.priority,
                f.occurrences,
                f.evidence.first().map(|e| &e.text)
            );
        }
    }
}

#[test]
fn worked_example_in_docs_is_valid() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/kb.md"))
        .expect("docs/kb.md");
    let start = doc.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = start + doc[start..].find("```").expect("end of block");
    let rules =
        schema::parse_rules(Path::new("docs/kb.md"), &doc[start..end]).expect("doc rule parses");
    let errors = RuleSet::check_examples(&rules);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn patterns_fold_ascii_case_and_keep_other_letters_as_written() {
    // Patterns are read as ASCII (see `matcher::ascii_syntax`): a letter outside ASCII
    // still matches itself, ASCII letters in either case, and `\d`/`\s` ASCII digits and
    // spaces.
    let set = set_of(
        r#"
[[rule]]
id = "umlaut"
title = "A German domain join message"
confidence = "high"
[[rule.signal]]
message = 'Domäne\s+\d+ nicht gefunden'
[[rule.cause]]
text = "x"
fix = ["y"]
"#,
    );
    let fires = |line: &str| {
        evaluate_owned(&set, &plain(&[line]))
            .iter()
            .any(|f| f.id == "umlaut")
    };
    // Ä is not folded to ä: only ASCII letters are.
    assert!(!fires("Die DOMÄNE 1 nicht gefunden"));
    assert!(fires("Fehler: domäne  42 nicht gefunden."));
    assert!(fires("Fehler: Domäne 42 NICHT GEFUNDEN"));
    assert!(!fires("Fehler: Domane 42 nicht gefunden"));
}
