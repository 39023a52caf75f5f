//! Bytes to records: finding record boundaries (framing) and, lazily, their fields.
//!
//! Framing is the hot path: it runs over every byte of a multi-gigabyte log, so it keeps a
//! few bytes per record ([`RecordMeta`]) and leaves message, component and time to
//! [`fields`], which parses one record on demand.

mod fields;
mod frame;
mod kinds;
mod time;

pub(crate) use fields::utc_of;
pub use fields::{fields, fields_of, Fields};
pub use frame::{
    frame, index_parallel, index_pieces, index_visit, index_visit_then, Block, Found, Framed, Hits,
    MAX_RECORDS,
};
pub use time::{parse_date, parse_time, Timestamp, BIAS_RANGE};

/// Bytes as text, invalid UTF-8 shown as U+FFFD. Valid text, nearly all of any log, is
/// checked by `str::from_utf8`, several times faster than the lossy decoder's walk.
pub fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The marker that ends a CMTrace message.
pub const CLOSE: &[u8] = b"]LOG]!>";

/// The marker that opens a CMTrace record.
const OPEN: &[u8] = b"<![LOG[";

/// A UTF-8 byte-order mark, which may precede a file's first record.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Offset of the last `]LOG]!>` in `text`. The marker sits just before a short attribute
/// tail, so a vectorised backward search for `]` reaches it in a step or two, where a
/// reverse substring search would walk the tail byte by byte.
pub fn rfind_close(text: &[u8]) -> Option<usize> {
    let mut end = text.len();
    while let Some(i) = memchr::memrchr(b']', &text[..end]) {
        if text[i..].starts_with(CLOSE) {
            return Some(i);
        }
        end = i;
    }
    None
}

/// The format a record was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Format {
    /// `<![LOG[message]LOG]!><time=... >`, possibly spanning lines.
    CmTrace,
    /// `message $$<Component><date time><thread=N (0xN)>`.
    SmsTrace,
    /// Anything else, one line per record, shown raw.
    Plain,
    /// Windows Setup (Panther setupact/setuperr, Sysprep), CBS and DISM:
    /// `2019-01-01 12:00:00, Error  CONX  message`; lines without that prefix continue
    /// the record before them.
    Panther,
    /// NetSetup.log: `01/01/2019 12:00:00:000 message`.
    NetSetup,
    /// Windows Installer verbose logs: `MSI (s) (1C:2C) [12:00:00:000]: message` and
    /// `Action ended 12:00:00: Name. Return value 3.`.
    Msi,
    /// WindowsUpdate.log: `2021/07/13 10:22:58.9553434 3696  8172  Agent  message` as
    /// Get-WindowsUpdateLog decodes it, or `2022-11-13<TAB>11:15:01:303<TAB>1048<TAB>fd4<TAB>Misc<TAB>message`
    /// before Windows 10.
    WindowsUpdate,
    /// SetupAPI's text logs (setupapi.dev.log, setupapi.app.log, and setupapi.offline.log
    /// that DISM's offline driver injection writes): section lines `>>>  [Device Install
    /// ...]`, `>>>  Section start 2019/01/01 12:00:00.123`, `<<<  Section end ...`, `<<<
    /// [Exit status: FAILURE(0xe0000219)]`, and body lines `     dvi: message` whose first
    /// five bytes say error (`!!!  `), warning (`!    `) or information.
    SetupApi,
    /// Office Click-to-Run's logs (the machine's %windir%\Temp and the user's %temp%, as
    /// setup.exe and OfficeClickToRun.exe write them), tab-separated: `05/09/2025
    /// 13:42:55.268<TAB>SETUP (0x7d38)<TAB>0x458<TAB>area<TAB>category<TAB>event id<TAB>level
    /// <TAB>message<TAB>correlation`.
    ClickToRun,
    /// Windows events as text: `wevtutil qe ... /f:text` (`Event[0]:` then indented `Log
    /// Name:`, `Source:`, `Date:`, `Level:` ... `Description:` and its text) and Event
    /// Viewer's "Copy details as text" (`Log Name:` ... `Level:` ... `Description:`); one
    /// record an event.
    EventText,
}

impl Format {
    /// The name used in reports and the JSON contract.
    pub fn name(self) -> &'static str {
        match self {
            Format::CmTrace => "cmtrace",
            Format::SmsTrace => "smstrace",
            Format::Plain => "plain",
            Format::Panther => "panther",
            Format::NetSetup => "netsetup",
            Format::Msi => "msi",
            Format::WindowsUpdate => "windowsupdate",
            Format::SetupApi => "setupapi",
            Format::ClickToRun => "clicktorun",
            Format::EventText => "eventtext",
        }
    }

    /// Every format, in the order of their numbers in [`RecordMeta`].
    pub const ALL: [Format; 10] = [
        Format::CmTrace,
        Format::SmsTrace,
        Format::Plain,
        Format::Panther,
        Format::NetSetup,
        Format::Msi,
        Format::WindowsUpdate,
        Format::SetupApi,
        Format::ClickToRun,
        Format::EventText,
    ];
}

/// How serious a record is, as CMTrace colours it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// type 0, 1 or anything unknown.
    Info,
    /// type 2, or plain text mentioning a warning.
    Warning,
    /// type 3, or plain text mentioning an error or failure.
    Error,
}

impl Severity {
    /// Lower-case name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One record's place in its source: 16 bytes, so that millions fit in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordMeta {
    /// Offset of the record's first byte in the source text.
    pub start: u64,
    /// 1-based number of the record's first line in its source.
    pub line: u32,
    flags: u8,
    /// For a CMTrace record, how far before the record's end framing saw its `]LOG]!>`
    /// (0 when unknown or too far), counted from its last byte that is not a space, tab or
    /// line end (blank lines after a record belong to it): readers find the message's end
    /// without a search. It sits in what would be padding, so the record stays 16 bytes.
    close_back: u16,
}

impl RecordMeta {
    /// Packs a record's start, first line, format and severity.
    pub fn new(start: u64, line: u32, format: Format, severity: Severity) -> RecordMeta {
        let f = format as u8;
        let s = match severity {
            Severity::Info => 0,
            Severity::Warning => 1,
            Severity::Error => 2,
        };
        RecordMeta {
            start,
            line,
            flags: f | (s << 4),
            close_back: 0,
        }
    }

    /// A CMTrace record whose `]LOG]!>` framing found `close_back` bytes before its end.
    pub fn cmtrace(start: u64, line: u32, severity: Severity, close_back: usize) -> RecordMeta {
        RecordMeta {
            close_back: u16::try_from(close_back).unwrap_or(0),
            ..RecordMeta::new(start, line, Format::CmTrace, severity)
        }
    }

    /// Offset of a CMTrace record's `]LOG]!>` in `bytes`, the record's bytes or a part of
    /// them that ends where they do: where framing saw it, when the marker is still there,
    /// else the last one (as [`rfind_close`] finds it).
    pub fn close_in(&self, bytes: &[u8]) -> Option<usize> {
        let known = frame::trimmed_len(bytes)
            .checked_sub(usize::from(self.close_back))
            .filter(|&at| self.close_back != 0 && bytes[at..].starts_with(CLOSE));
        known.or_else(|| rfind_close(bytes))
    }

    /// The bytes of the record `raw` that hold its message: a CMTrace record's text between
    /// `<![LOG[` and `]LOG]!>`, or all of any other record. Searches for what a message
    /// says look here, and skip the attribute tails (more than half of a CMTrace log).
    pub fn message<'a>(&self, raw: &'a [u8]) -> &'a [u8] {
        if self.format() != Format::CmTrace {
            return raw;
        }
        self.cmtrace_parts(raw).map_or(raw, |(message, _)| message)
    }

    /// A CMTrace record `raw` cut at its `]LOG]!>`: the message after `<![LOG[` (and any
    /// byte-order mark), and the attribute tail after the marker. `None` with no marker.
    pub(crate) fn cmtrace_parts<'a>(&self, raw: &'a [u8]) -> Option<(&'a [u8], &'a [u8])> {
        let body = raw.strip_prefix(BOM).unwrap_or(raw);
        let body = body.strip_prefix(OPEN).unwrap_or(body);
        let close = self.close_in(body)?;
        Some((&body[..close], &body[close + CLOSE.len()..]))
    }

    /// The record's format.
    pub fn format(&self) -> Format {
        Format::ALL
            .get(usize::from(self.flags & 15))
            .copied()
            .unwrap_or(Format::Plain)
    }

    /// The record's severity.
    pub fn severity(&self) -> Severity {
        match (self.flags >> 4) & 3 {
            2 => Severity::Error,
            1 => Severity::Warning,
            _ => Severity::Info,
        }
    }
}

#[cfg(test)]
mod close_tests {
    use super::*;

    /// Framing records where each message ends, and a reader that trusts it reads what a
    /// search for the last `]LOG]!>` reads, on every sample log.
    #[test]
    fn framed_close_gives_the_searched_message() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs");
        let mut cmtrace = 0;
        for entry in std::fs::read_dir(&dir).expect("sample-logs") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "log") {
                continue;
            }
            let text = std::fs::read(&path).expect("sample");
            let records = frame(&text, 0, text.len(), 1, true).records;
            for (i, r) in records.iter().enumerate() {
                let end = records.get(i + 1).map_or(text.len(), |n| n.start as usize);
                let raw = &text[r.start as usize..end];
                let searched = fields(r.format(), raw);
                assert_eq!(fields_of(r, raw), searched, "{}: {i}", path.display());
                if r.format() == Format::CmTrace {
                    let at = frame::trimmed_len(raw) - usize::from(r.close_back);
                    assert!(raw[at..].starts_with(CLOSE), "{}: {i}", path.display());
                    assert_eq!(r.message(raw), searched.message);
                    cmtrace += 1;
                }
            }
        }
        assert!(cmtrace > 1000, "{cmtrace} CMTrace records");
    }

    /// A close that is no longer where framing saw it (the bytes changed under the record)
    /// is searched for again.
    #[test]
    fn a_stale_close_is_found_again() {
        let raw = b"<![LOG[one]LOG]!><time=\"1\">\n";
        let stale = RecordMeta::cmtrace(0, 1, Severity::Info, 5);
        assert_eq!(stale.message(raw), b"one");
        assert_eq!(fields_of(&stale, raw).message, b"one");
        let long = RecordMeta::cmtrace(0, 1, Severity::Info, 500);
        assert_eq!(long.message(raw), b"one");
        assert_eq!(
            RecordMeta::cmtrace(0, 1, Severity::Info, 1 << 20).close_back,
            0
        );
    }

    #[test]
    fn finds_the_last_marker() {
        assert_eq!(rfind_close(b"a]LOG]!><x>"), Some(1));
        assert_eq!(rfind_close(b"a]LOG]!>b]LOG]!><time=\"1\">"), Some(9));
        assert_eq!(rfind_close(b"[x] ]]LOG]!]>"), None);
        assert_eq!(rfind_close(b"]]LOG]!>"), Some(1));
        assert_eq!(rfind_close(b""), None);
    }
}
