//! Bytes to records: finding record boundaries (framing) and, lazily, their fields.
//!
//! Framing is the hot path: it runs over every byte of a multi-gigabyte log, so it keeps a
//! few bytes per record ([`RecordMeta`]) and leaves message, component and time to
//! [`fields`], which parses one record on demand.

mod fields;
mod frame;
mod time;

pub use fields::{fields, Fields};
pub use frame::{frame, index_parallel, index_visit, index_visit_then, Block, Found, Framed, Hits};
pub use time::{parse_date, parse_time, Timestamp};

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
pub enum Format {
    /// `<![LOG[message]LOG]!><time=... >`, possibly spanning lines.
    CmTrace,
    /// `message $$<Component><date time><thread=N (0xN)>`.
    SmsTrace,
    /// Anything else, one line per record, shown raw.
    Plain,
}

impl Format {
    /// The name used in reports and the JSON contract.
    pub fn name(self) -> &'static str {
        match self {
            Format::CmTrace => "cmtrace",
            Format::SmsTrace => "smstrace",
            Format::Plain => "plain",
        }
    }
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
}

impl RecordMeta {
    /// Packs a record's start, first line, format and severity.
    pub fn new(start: u64, line: u32, format: Format, severity: Severity) -> RecordMeta {
        let f = match format {
            Format::CmTrace => 0,
            Format::SmsTrace => 1,
            Format::Plain => 2,
        };
        let s = match severity {
            Severity::Info => 0,
            Severity::Warning => 1,
            Severity::Error => 2,
        };
        RecordMeta {
            start,
            line,
            flags: f | (s << 2),
        }
    }

    /// The record's format.
    pub fn format(&self) -> Format {
        match self.flags & 3 {
            0 => Format::CmTrace,
            1 => Format::SmsTrace,
            _ => Format::Plain,
        }
    }

    /// The record's severity.
    pub fn severity(&self) -> Severity {
        match (self.flags >> 2) & 3 {
            2 => Severity::Error,
            1 => Severity::Warning,
            _ => Severity::Info,
        }
    }
}

#[cfg(test)]
mod close_tests {
    use super::rfind_close;

    #[test]
    fn finds_the_last_marker() {
        assert_eq!(rfind_close(b"a]LOG]!><x>"), Some(1));
        assert_eq!(rfind_close(b"a]LOG]!>b]LOG]!><time=\"1\">"), Some(9));
        assert_eq!(rfind_close(b"[x] ]]LOG]!]>"), None);
        assert_eq!(rfind_close(b"]]LOG]!>"), Some(1));
        assert_eq!(rfind_close(b""), None);
    }
}
