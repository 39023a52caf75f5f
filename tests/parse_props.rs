//! Property tests of the log model: nothing lost, nothing duplicated, fields faithful.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use tslens::log::Source;
use tslens::parse::{self, Format};
use tslens::source::SourceText;

/// The original spans of every record, concatenated.
fn rebuilt(input: &[u8]) -> Vec<u8> {
    let src = Source::index(SourceText::from_vec("t".into(), input.to_vec()));
    let mut out = Vec::with_capacity(input.len());
    for i in 0..src.records.len() {
        let r = src.orig_span(i);
        out.extend_from_slice(&input[r.start as usize..r.end as usize]);
    }
    out
}

/// Bytes that look like logs often enough to reach every branch of the framer.
fn loggy_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"<![LOG[".to_vec()),
        Just(b"]LOG]!>".to_vec()),
        Just(b"<time=\"10:00:00.000+60\" type=\"3\">".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b" $$<Comp><01-02-2026 10:00:00.000+0><thread=4 (0x4)>".to_vec()),
        Just(b"2019-03-01 10:15:07, Error                 SP     ".to_vec()),
        Just(b"2019-03-01 10:15:07, Info                  CBS    ".to_vec()),
        Just(b"09/19/2019 10:36:13:651 NetpDoDomainJoin: status: 0x54b".to_vec()),
        Just(b"MSI (s) (1C:2C) [12:00:00:000]: ".to_vec()),
        Just(b"Action ended 12:00:00: X. Return value 3.".to_vec()),
        Just(b"2023/03/21 22:19:01.8143606 19924 14968 Misc            *FAILED* ".to_vec()),
        Just(b"2022-11-13\t11:15:01:303\t1048\tfd4\tMisc\tWARNING: ".to_vec()),
        Just(b"[1712.2044] [0x80070002] ".to_vec()),
        // SetupAPI's section and body lines (setupapi.dev.log), written for this test.
        Just(b">>>  [Device Install (Hardware initiated) - X]".to_vec()),
        Just(b">>>  Section start 2019/01/01 12:00:00.123".to_vec()),
        Just(b"     dvi: ".to_vec()),
        Just(b"      cmd: ".to_vec()),
        Just(b"!!!  ndv: ".to_vec()),
        Just(b"!    sto: ".to_vec()),
        Just(b"<<<  Section end 2019/01/01 12:00:00.200".to_vec()),
        Just(b"<<<  [Exit status: FAILURE(0xe0000219)]".to_vec()),
        Just(b"[Boot Session: 2020/03/16 11:42:03.500]".to_vec()),
        Just(b"     OS Version = ".to_vec()),
        // Windows events as text (wevtutil, Event Viewer), written for this test.
        Just(b"Event[0]:".to_vec()),
        Just(b"  Level: Error".to_vec()),
        Just(b"Log Name:      System".to_vec()),
        Just(b"  Description: ".to_vec()),
        // Office Click-to-Run's tab-separated lines, written for this test.
        Just(
            b"01/03/2025 10:42:46.990\tSETUP (0x4d8c)\t0x2f0c\t\tActivity\tbjtcw\tMedium\t"
                .to_vec()
        ),
        Just(
            b"01/03/2025 10:42:46.990\tSETUP (0x4d8c)\t0x2f0c\t\tC2R\tx\tUnexpected\tm\t".to_vec()
        ),
        // Attributes broken over lines, records glued on one line, blank lines.
        Just(b"<time=\"1\" context=\"a".to_vec()),
        Just(b"b\" type=\"3\" thread=\"7\">".to_vec()),
        Just(b"><![LOG[".to_vec()),
        Just(b"  \t\r\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..12),
        "[a-zA-Z ,=()0-9]{0,20}".prop_map(|s| s.into_bytes()),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn utf16(s: &str, le: bool) -> Vec<u8> {
    let mut out = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in s.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

/// One CMTrace record written from fields.
#[derive(Clone, Debug)]
struct Rec {
    message: String,
    component: String,
    thread: u32,
    kind: u8,
    bias: i32,
    secs: u32,
}

fn rec() -> impl Strategy<Value = Rec> {
    (
        "[a-zA-Z0-9 .,:()=_\\-]{0,60}(\r\n[a-zA-Z0-9 .,]{1,30}){0,3}",
        "[A-Za-z]{1,16}",
        0u32..100_000,
        0u8..5,
        -720i32..720,
        0u32..86_400,
    )
        .prop_map(|(message, component, thread, kind, bias, secs)| Rec {
            message,
            component,
            thread,
            kind,
            bias,
            secs,
        })
}

fn write(r: &Rec) -> String {
    format!(
        "<![LOG[{}]LOG]!><time=\"{:02}:{:02}:{:02}.123{:+}\" date=\"11-26-2026\" component=\"{}\" context=\"\" type=\"{}\" thread=\"{}\" file=\"x.cpp:1\">\r\n",
        r.message,
        r.secs / 3600,
        r.secs / 60 % 60,
        r.secs % 60,
        r.bias,
        r.component,
        r.kind,
        r.thread
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn spans_tile_arbitrary_bytes(input in proptest::collection::vec(any::<u8>(), 0..600)) {
        prop_assert_eq!(rebuilt(&input), input);
    }

    #[test]
    fn spans_tile_loggy_bytes(input in loggy_bytes()) {
        prop_assert_eq!(rebuilt(&input), input);
    }

    #[test]
    fn spans_tile_utf16(s in "[a-z<!\\[\\]>=\" \r\n\u{e9}\u{1F600}]{0,200}", le in any::<bool>(), odd in any::<bool>()) {
        let mut input = utf16(&s, le);
        if odd {
            input.push(b'x');
        }
        prop_assert_eq!(rebuilt(&input), input);
    }

    #[test]
    fn spans_tile_utf16_without_bom(s in "[a-z<!\\[\\]>=\" \r\n\u{e9}\u{1F600}]{0,200}", le in any::<bool>(), odd in any::<bool>()) {
        let mut input = utf16(&s, le).split_off(2);
        if odd {
            input.push(b'x');
        }
        prop_assert_eq!(rebuilt(&input), input);
    }

    #[test]
    fn spans_tile_windows_1252(pieces in proptest::collection::vec(("[a-z<!\\[\\]>=\" \r\n]{0,12}", 0x80u8..=0xFF), 0..30)) {
        // Letters of a single-byte code page among log text: each high byte stands alone.
        let mut input = Vec::new();
        for (text, high) in &pieces {
            input.push(*high);
            input.extend_from_slice(text.as_bytes());
            input.push(b' ');
        }
        let src = SourceText::from_vec("t".into(), input.clone());
        if !pieces.is_empty() {
            prop_assert_eq!(src.encoding, tslens::source::Encoding::Windows1252);
            // One character a byte.
            prop_assert_eq!(std::str::from_utf8(src.bytes()).unwrap().chars().count(), input.len());
        }
        prop_assert_eq!(rebuilt(&input), input);
    }

    #[test]
    fn generated_records_parse_back(recs in proptest::collection::vec(rec(), 1..20)) {
        let text: String = recs.iter().map(write).collect();
        let src = Source::index(SourceText::from_vec("t".into(), text.into_bytes()));
        prop_assert_eq!(src.records.len(), recs.len());
        for (i, r) in recs.iter().enumerate() {
            prop_assert_eq!(src.records[i].format(), Format::CmTrace);
            let f = src.fields(i);
            prop_assert_eq!(f.message_str(), r.message.as_str());
            prop_assert_eq!(f.component_str().unwrap(), r.component.as_str());
            prop_assert_eq!(f.thread, Some(r.thread));
            let ts = f.timestamp().unwrap();
            prop_assert_eq!(ts.bias_minutes, Some(r.bias));
            let sev = match r.kind { 3 => "error", 2 => "warning", _ => "info" };
            prop_assert_eq!(src.records[i].severity().name(), sev);
        }
    }

    /// A SetupAPI log written line by line from its kinds of lines (section titles, starts,
    /// ends, exit statuses, body lines of each severity, header lines with no category,
    /// blank lines): every record is SetupAPI's, one per line that is not blank, with the
    /// severity its prefix says, and the spans give back the text.
    #[test]
    fn setupapi_lines_frame_one_record_each(lines in proptest::collection::vec((0usize..9, "[a-zA-Z0-9 .,:()=_\\\\-]{0,30}"), 1..40), crlf in any::<bool>()) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = String::from("[Device Install Log]");
        text.push_str(eol);
        let mut want = vec!["info"];
        for (kind, msg) in &lines {
            let (line, sev) = match kind {
                0 => (format!(">>>  [Device Install - {msg}]"), "info"),
                1 => (">>>  Section start 2019/01/01 12:00:00.123".to_string(), "info"),
                2 => (format!("     dvi: {msg}"), "info"),
                3 => (format!("!!!  ndv: {msg}"), "error"),
                4 => (format!("!    sto:      {msg}"), "warning"),
                5 => ("<<<  Section end 2019/01/01 12:00:00.200".to_string(), "info"),
                6 => ("<<<  [Exit status: FAILURE(0xe0000219)]".to_string(), "error"),
                7 => (format!("     OS Version = {msg}"), "info"),
                _ => (String::new(), ""),
            };
            text.push_str(&line);
            text.push_str(eol);
            if !sev.is_empty() {
                want.push(sev);
            }
        }
        let input = text.into_bytes();
        prop_assert_eq!(rebuilt(&input), input.clone());
        let src = Source::index(SourceText::from_vec("t".into(), input.clone()));
        let got: Vec<&str> = src.records.iter().map(|r| r.severity().name()).collect();
        prop_assert_eq!(got, want);
        prop_assert!(src.records.iter().all(|r| r.format() == Format::SetupApi));
        let whole = parse::frame(&input, 0, input.len(), 1, true).records;
        prop_assert_eq!(parse::index_pieces(&input, 4), whole);
    }

    #[test]
    fn framing_does_not_depend_on_how_text_arrives(input in loggy_bytes(), cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..6)) {
        // Frame the text as a follower would: in pieces, holding back incomplete records.
        let whole = parse::frame(&input, 0, input.len(), 1, true).records;
        let mut ends: Vec<usize> = cuts.iter().map(|c| c.index(input.len() + 1)).collect();
        ends.sort_unstable();
        ends.push(input.len());
        let mut got = Vec::new();
        let (mut pos, mut line) = (0usize, 1u32);
        for (k, &end) in ends.iter().enumerate() {
            let last = k + 1 == ends.len();
            if end < pos {
                continue;
            }
            let f = parse::frame(&input, pos, end, line, last);
            got.extend(f.records);
            pos = f.resume;
            line = f.resume_line;
        }
        prop_assert_eq!(got, whole);
    }

    #[test]
    fn framing_in_pieces_equals_the_whole(input in loggy_bytes(), threads in 2usize..9) {
        // Pieces are cut where a line starts, often inside a record still open (a CMTrace
        // opener with no close, a Windows Setup record and its continuation lines), as
        // `fuzz/regressions/framing-pieces-cut-inside-open-record` found.
        let whole = parse::frame(&input, 0, input.len(), 1, true).records;
        prop_assert_eq!(parse::index_pieces(&input, threads), whole);
    }
}
