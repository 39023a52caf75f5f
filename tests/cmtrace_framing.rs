//! CMTrace records framed as CMTrace frames them, on inputs shaped like other projects'
//! parser fixtures. Lines marked "plaso" are quoted from log2timeline/plaso
//! `test_data/sccm_various.log` (its SCCM parser's fixture); the others are written for
//! these tests in that shape. plaso's parser ends a record at the next `<![LOG[` wherever it
//! stands, reads `time="19:33:19.766-330"` as UTC-06:30 (the opposite of Windows' bias, UTC
//! = local + bias) and drops the last digit of `10:22:50.8422964`; tslens must not.
#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, Timelike};
use tslens::log::Source;
use tslens::parse::{self, Format, Severity};
use tslens::source::SourceText;

/// plaso: the second line of `sccm_various.log`.
const LOGGED_ON: &str = "<![LOG[    A user is logged on to the system.]LOG]!><time=\"19:33:19.766-330\" date=\"11-28-2014\" component=\"AppEnforce\" context=\"\" type=\"1\" thread=\"8744\" file=\"appprovider.cpp:2083\">";

/// plaso: the last line of `sccm_various.log`.
const HAPPENED: &str = "<![LOG[Some stuff happened.]LOG]!><time=\"01:52:13.827+480\" date=\"11-24-2014\" component=\"PeerDPAgent\" context=\"\" type=\"1\" thread=\"2444\" file=\"somefile.cpp:100\">";

fn index(text: &str) -> Source {
    let src = Source::index(SourceText::from_vec("t".into(), text.as_bytes().to_vec()));
    // Whatever else holds, the records' spans tile the text byte for byte, and framing the
    // text in pieces gives the same records.
    let mut rebuilt = Vec::new();
    for i in 0..src.records.len() {
        let r = src.orig_span(i);
        rebuilt.extend_from_slice(&text.as_bytes()[r.start as usize..r.end as usize]);
    }
    assert_eq!(rebuilt, text.as_bytes());
    let whole = parse::frame(text.as_bytes(), 0, text.len(), 1, true).records;
    for threads in [2, 3, 7] {
        assert_eq!(parse::index_pieces(text.as_bytes(), threads), whole);
    }
    src
}

fn message(src: &Source, i: usize) -> String {
    src.fields(i).message_str().into_owned()
}

#[test]
fn two_records_glued_on_one_line_are_two_records() {
    // The first record an error, its writer's line end lost before the next record.
    let failed = LOGGED_ON.replace("type=\"1\"", "type=\"3\"");
    let text = format!("{failed}{HAPPENED}\r\n{LOGGED_ON}\r\n");
    let src = index(&text);
    assert_eq!(src.records.len(), 3);
    assert_eq!(src.records[0].severity(), Severity::Error);
    assert_eq!(message(&src, 0), "    A user is logged on to the system.");
    let f = src.fields(0);
    assert_eq!(f.component_str().unwrap(), "AppEnforce");
    assert_eq!(f.thread, Some(8744));
    assert_eq!(src.records[1].severity(), Severity::Info);
    assert_eq!(message(&src, 1), "Some stuff happened.");
    assert_eq!(src.fields(1).thread, Some(2444));
    // Both on the file's first line; the next record on the second.
    assert_eq!(
        src.records.iter().map(|r| r.line).collect::<Vec<_>>(),
        [1, 1, 2]
    );
}

#[test]
fn a_glued_record_may_go_on_over_the_next_lines() {
    let failed = LOGGED_ON.replace("type=\"1\"", "type=\"3\"");
    let second = HAPPENED.replace("happened.", "happened\r\nand went on.");
    let text = format!("{failed}{second}\r\n{LOGGED_ON}\r\n");
    let src = index(&text);
    assert_eq!(src.records.len(), 3);
    assert_eq!(src.records[0].severity(), Severity::Error);
    assert_eq!(src.fields(0).thread, Some(8744));
    assert_eq!(src.records[1].format(), Format::CmTrace);
    assert_eq!(message(&src, 1), "Some stuff happened\r\nand went on.");
    assert_eq!(src.fields(1).component_str().unwrap(), "PeerDPAgent");
    assert_eq!(src.records[2].line, 3);
}

#[test]
fn a_line_break_inside_an_attribute_keeps_the_record_whole() {
    let broken = LOGGED_ON
        .replace("context=\"\"", "context=\"CONTOSO\\svc\r\n(runas)\"")
        .replace("type=\"1\"", "type=\"3\"");
    let text = format!("{broken}\r\n{HAPPENED}\r\n");
    let src = index(&text);
    assert_eq!(src.records.len(), 2);
    assert_eq!(src.records[0].format(), Format::CmTrace);
    assert_eq!(src.records[0].severity(), Severity::Error);
    let f = src.fields(0);
    assert_eq!(f.thread, Some(8744));
    assert_eq!(f.component_str().unwrap(), "AppEnforce");
    assert_eq!(f.context.unwrap(), b"CONTOSO\\svc\r\n(runas)");
    assert!(f.timestamp().is_some());
    assert_eq!(message(&src, 1), "Some stuff happened.");
    assert_eq!(src.records[1].line, 3);
}

#[test]
fn an_attribute_left_open_does_not_swallow_the_log() {
    // A record cut inside a value, then plain lines: the record ends on its own line once
    // no `>` has closed its attributes for a few lines.
    let cut = &LOGGED_ON[..LOGGED_ON.find("thread=").unwrap() + 9];
    let mut text = format!("{cut}\r\n");
    for i in 0..40 {
        text.push_str(&format!("plain line {i}\r\n"));
    }
    let src = index(&text);
    assert_eq!(src.records.len(), 41);
    assert_eq!(src.records[0].format(), Format::CmTrace);
    assert_eq!(src.records[1].line, 2);
}

#[test]
fn a_bias_no_windows_zone_has_gives_no_utc_time() {
    for (bias, utc) in [
        ("-840", true),
        ("+720", true),
        ("-841", false),
        ("+9999", false),
    ] {
        let line = LOGGED_ON.replace("-330\"", &format!("{bias}\""));
        let src = index(&format!("{line}\r\n"));
        let ts = src.fields(0).timestamp().unwrap();
        // The time as written stays.
        assert_eq!(ts.local.time().hour(), 19, "{bias}");
        assert_eq!(ts.utc().is_some(), utc, "{bias}");
    }
}

#[test]
fn bias_is_added_to_local_time_to_get_utc() {
    // plaso's fixture line at 19:33:19.766 with bias -330: Windows writes UTC = local +
    // bias, so this is 14:03:19.766 UTC (a zone at UTC+05:30).
    let src = index(&format!("{LOGGED_ON}\r\n{HAPPENED}\r\n"));
    let utc = |i: usize| {
        chrono::DateTime::from_timestamp_millis(src.fields(i).timestamp().unwrap().utc().unwrap())
            .unwrap()
            .naive_utc()
    };
    let day = |d: u32| NaiveDate::from_ymd_opt(2014, 11, d).unwrap();
    assert_eq!(utc(0), day(28).and_hms_milli_opt(14, 3, 19, 766).unwrap());
    // +480 (UTC-08:00): 01:52:13.827 local is 09:52:13.827 UTC.
    assert_eq!(utc(1), day(24).and_hms_milli_opt(9, 52, 13, 827).unwrap());
}

#[test]
fn times_keep_their_100_ns_digits() {
    // plaso: the time and date of the fourth record of `sccm_various.log`.
    let line = HAPPENED
        .replace("01:52:13.827+480", "10:22:50.8422964")
        .replace("11-24-2014", "1-2-2015");
    let src = index(&format!("{line}\r\n"));
    let ts = src.fields(0).timestamp().unwrap();
    assert_eq!(ts.local.nanosecond(), 842_296_400);
    assert_eq!(ts.bias_minutes, None);
}

#[test]
fn component_and_thread_stay_when_the_time_is_bad() {
    let line = LOGGED_ON.replace("19:33:19.766-330", "25:61:19.766-330");
    let src = index(&format!("{line}\r\n"));
    let f = src.fields(0);
    assert!(f.timestamp().is_none());
    assert_eq!(f.component_str().unwrap(), "AppEnforce");
    assert_eq!(f.thread, Some(8744));
    assert_eq!(f.message_str(), "    A user is logged on to the system.");
}

#[test]
fn blank_lines_belong_to_the_record_before_them() {
    let text = format!("{LOGGED_ON}\r\n\r\n  \r\n{HAPPENED}\r\n\r\n");
    let src = index(&text);
    assert_eq!(src.records.len(), 2);
    assert_eq!(src.records[1].line, 4);
    // The blank lines are the first record's, and change none of its fields.
    let span = src.orig_span(0);
    assert_eq!(span.end as usize, text.find("<![LOG[Some").unwrap());
    let f = src.fields(0);
    assert_eq!(f.file.unwrap(), b"appprovider.cpp:2083");
    assert_eq!(f.thread, Some(8744));
    assert_eq!(message(&src, 1), "Some stuff happened.");
    // A text that starts with a blank line has it as its first record.
    assert_eq!(index(&format!("\r\n{HAPPENED}\r\n")).records.len(), 2);
}
