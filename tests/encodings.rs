//! Logs in the encodings Windows writes beside UTF-8: UTF-16 without a byte-order mark and
//! Windows-1252 (a German or French machine's ANSI code page). Their records must read as
//! they do in UTF-8: same messages, severities, times, codes and outcome, and letters such as
//! `ü` shown as themselves, never as U+FFFD. The log text here is written for these tests, in
//! the layout of the real files (NetSetup.log, Panther's setupact.log).
#![allow(clippy::unwrap_used)]

use std::path::Path;

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::Value;
use tslens::log::Log;
use tslens::source::{Encoding, Input, SourceText};
use tslens::tui::{view, Msg};

mod cli_support;
mod tui_support;

/// A domain join that failed, on a machine whose user and OU have German names.
const NETSETUP: &str = "\
09/19/2019 10:36:13:586 -----------------------------------------------------------------\r\n\
09/19/2019 10:36:13:586 NetpDoDomainJoin\r\n\
09/19/2019 10:36:13:586 NetpDoDomainJoin: using current computer names\r\n\
09/19/2019 10:36:13:601 NetpJoinDomainOnDs: Joining to OU=Büro München, DC=corp as Jürgen\r\n\
09/19/2019 10:36:13:651 NetpJoinDomainOnDs: Function exits with status of: 0x54b (Domäne – nicht gefunden)\r\n\
09/19/2019 10:36:13:651 NetpDoDomainJoin: status: 0x54b\r\n";

/// An upgrade that rolled back, run from a user folder with an accented name.
const SETUPACT: &str = "\
2019-01-01 12:00:00, Info                  MOUPG  Setup started from C:\\Users\\Jérôme\\Desktop\r\n\
2019-01-01 12:00:03, Warning               MOUPG  Could not read C:\\Users\\Jérôme\\ntuser.dat\r\n\
2019-01-01 12:00:05, Error                 MOUPG  CSetupManager::Execute(238): Result = 0xC1900101 - 0x4000D\r\n";

/// Windows-1252: every character one byte (ä is E4, – is 96).
fn cp1252(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '–' => 0x96,
            c if (c as u32) < 0x100 => c as u8,
            c => panic!("{c} is not in this test's Windows-1252"),
        })
        .collect()
}

fn utf16(s: &str, little: bool) -> Vec<u8> {
    s.encode_utf16()
        .flat_map(|u| {
            if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            }
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn evidence(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["evidence"].as_array().unwrap().iter())
        .map(|e| e["text"].as_str().unwrap().to_string())
        .collect()
}

/// Every record's message, read through the library as the explorer reads them.
fn messages(path: &Path) -> Vec<String> {
    let log = Log::open(&[Input::File(path.to_path_buf())]).unwrap();
    (0..log.len())
        .map(|i| log.message(log.at(i)).into_owned())
        .collect()
}

#[test]
fn a_windows_1252_netsetup_log_reads_like_its_utf8_twin() {
    let dir = tempfile::tempdir().unwrap();
    let ansi = write(dir.path(), "NetSetup.log", &cp1252(NETSETUP));
    let utf8 = write(dir.path(), "NetSetup-utf8.log", NETSETUP.as_bytes());
    let v = cli_support::report_json(&ansi);
    let w = cli_support::report_json(&utf8);
    assert_eq!(v["sources"][0]["encoding"], "windows-1252");
    assert_eq!(w["sources"][0]["encoding"], "utf-8");
    assert_eq!(v["sources"][0]["format"], "netsetup");
    // The file's own size, not the decoded text's.
    assert_eq!(
        v["sources"][0]["bytes"].as_u64().unwrap(),
        cp1252(NETSETUP).len() as u64
    );
    assert_eq!(v["summary"], w["summary"]);
    assert_eq!(v["summary"]["outcome"], "failed");
    assert_eq!(v["summary"]["exit_code"], "0x0000054B");
    assert_eq!(v["findings"][0]["id"], w["findings"][0]["id"]);
    let ev = evidence(&v);
    assert!(
        ev.iter().any(|t| t.contains("(Domäne – nicht gefunden)")),
        "{ev:?}"
    );
    assert_eq!(ev, evidence(&w));
    let msgs = messages(&ansi);
    assert_eq!(msgs, messages(&utf8));
    assert!(
        msgs[3].ends_with("OU=Büro München, DC=corp as Jürgen"),
        "{msgs:?}"
    );
}

#[test]
fn a_utf16le_setupact_log_without_bom_reads_like_its_utf8_twin() {
    let dir = tempfile::tempdir().unwrap();
    let le = write(dir.path(), "setupact.log", &utf16(SETUPACT, true));
    let utf8 = write(dir.path(), "setupact-utf8.log", SETUPACT.as_bytes());
    let v = cli_support::report_json(&le);
    let w = cli_support::report_json(&utf8);
    assert_eq!(v["sources"][0]["encoding"], "utf-16le-no-bom");
    assert_eq!(v["sources"][0]["format"], "panther");
    assert_eq!(v["sources"][0]["records"], 3);
    assert_eq!(v["summary"], w["summary"]);
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["exit_code"], "0xC1900101");
    assert_eq!(v["findings"][0]["id"], w["findings"][0]["id"]);
    assert_eq!(evidence(&v), evidence(&w));
    assert_eq!(messages(&le), messages(&utf8));
    assert!(messages(&le)[0].ends_with("C:\\Users\\Jérôme\\Desktop"));
}

#[test]
fn utf16be_without_bom_is_read_too() {
    let src = SourceText::from_vec("setupact.log".into(), utf16(SETUPACT, false));
    assert_eq!(src.encoding, Encoding::Utf16BeNoBom);
    assert_eq!(src.bytes(), SETUPACT.as_bytes());
}

/// The explorer's rows come from the same decoded text: the letters, the times and the
/// severities show as in a UTF-8 file.
#[test]
fn the_explorer_shows_the_letters_not_replacement_characters() {
    for (name, bytes, shown) in [
        ("NetSetup.log", cp1252(NETSETUP), "OU=Büro"),
        ("setupact.log", utf16(SETUPACT, true), "Jérôme"),
    ] {
        let src = SourceText::from_vec(name.into(), bytes);
        let log = Log::from_sources(vec![tslens::log::Source::index(src)]);
        let mut app = tui_support::app_with(log, 120, 30);
        app.update(Msg::Resize(120, 30));
        let mut t = Terminal::new(TestBackend::new(120, 30)).unwrap();
        t.draw(|f| view(&app, f)).unwrap();
        let buf = t.backend().buffer();
        let mut screen = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                screen.push_str(buf[(x, y)].symbol());
            }
            screen.push('\n');
        }
        assert!(screen.contains(shown), "{name}:\n{screen}");
        assert!(!screen.contains('\u{FFFD}'), "{name}:\n{screen}");
        let time = if name == "NetSetup.log" {
            "10:36:13"
        } else {
            "12:00:05"
        };
        assert!(screen.contains(time), "{name}:\n{screen}");
    }
}
