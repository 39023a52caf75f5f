//! The fields of one record, parsed on demand from its bytes.
//!
//! Attributes in the wild may be missing, empty, reordered or unknown; values that do not
//! parse stay available as raw text and never make the record disappear.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem;

use chrono::NaiveTime;

use super::time::{parse_date, parse_time, Timestamp, BIAS_RANGE};
use super::{Format, RecordMeta, Severity};

/// A record's parsed fields, borrowed from the log text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields<'a> {
    /// The message text (may span lines; line ends inside it are kept).
    pub message: &'a [u8],
    /// The component (CMTrace `component`, SMS Trace `<Component>`, or the trailing word of
    /// a line pasted into a ticket).
    pub component: Option<&'a [u8]>,
    /// The thread id.
    pub thread: Option<u32>,
    /// Raw time text, e.g. `10:22:50.123+480`.
    pub time: Option<&'a [u8]>,
    /// Raw date text, e.g. `11-26-2026`.
    pub date: Option<&'a [u8]>,
    /// Raw CMTrace `type` value.
    pub kind: Option<&'a [u8]>,
    /// Raw CMTrace `context` value.
    pub context: Option<&'a [u8]>,
    /// Raw CMTrace `file` value (`source.cpp:123`).
    pub file: Option<&'a [u8]>,
}

impl<'a> Fields<'a> {
    /// The message as text (invalid UTF-8 shown as U+FFFD).
    pub fn message_str(&self) -> Cow<'a, str> {
        super::lossy(self.message)
    }

    /// The component as text.
    pub fn component_str(&self) -> Option<Cow<'a, str>> {
        self.component.map(super::lossy)
    }

    /// The time and date, when both parse.
    pub fn timestamp(&self) -> Option<Timestamp> {
        let (t, bias) = parse_time(self.time?)?;
        let d = parse_date(self.date?)?;
        Some(Timestamp {
            local: d.and_time(t),
            bias_minutes: bias,
        })
    }
}

fn trim_eol(mut b: &[u8]) -> &[u8] {
    while let [rest @ .., b'\n' | b'\r'] = b {
        b = rest;
    }
    b
}

fn trim_end_ws(mut b: &[u8]) -> &[u8] {
    while let [rest @ .., c] = b {
        if c.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

fn parse_u32(b: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(b).ok()?.trim();
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u32::from_str_radix(h, 16).ok();
    }
    s.parse().ok()
}

/// Parses one record's bytes (its whole span, line ending included).
pub fn fields(format: Format, span: &[u8]) -> Fields<'_> {
    fields_of(&RecordMeta::new(0, 0, format, Severity::Info), span)
}

/// [`fields`] of a framed record: its message ends where framing saw its `]LOG]!>`.
pub fn fields_of<'a>(meta: &RecordMeta, span: &'a [u8]) -> Fields<'a> {
    let span = span.strip_prefix(super::BOM).unwrap_or(span);
    match meta.format() {
        Format::CmTrace => cmtrace(meta, span),
        Format::SmsTrace => smstrace(span),
        Format::Plain => plain(span),
        Format::Panther => panther(span),
        Format::NetSetup => netsetup(span),
        Format::Msi => msi(span),
        Format::WindowsUpdate => windows_update(span),
        Format::SetupApi => setupapi(span),
        Format::ClickToRun => click_to_run(span),
        Format::EventText => event_text(span),
    }
}

/// The first whitespace-separated token of `b` and what follows it (leading spaces skipped).
fn token(b: &[u8]) -> (&[u8], &[u8]) {
    let b = b.trim_ascii_start();
    let end = b
        .iter()
        .position(|c| c.is_ascii_whitespace())
        .unwrap_or(b.len());
    (&b[..end], &b[end..])
}

/// A Windows Setup / CBS / DISM component: a short upper-case tag (`SP`, `MOUPG`, `CBS`,
/// `CSI`, `DISM`, `SYSPRP`).
fn setup_component(tok: &[u8]) -> bool {
    (2..=16).contains(&tok.len())
        && tok[0].is_ascii_uppercase()
        && tok
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
}

/// `2019-01-01 12:00:00, Error                 SP     message`, continued on the lines
/// after it.
fn panther(span: &[u8]) -> Fields<'_> {
    let text = trim_end_ws(trim_eol(span));
    let Some(head) = text.get(..21) else {
        return plain(span);
    };
    let mut f = Fields {
        date: Some(&head[..10]),
        time: Some(&head[11..19]),
        ..Fields::default()
    };
    let (level, mut rest) = token(&text[21..]);
    f.kind = Some(level);
    if level == b"Fatal" {
        // "Fatal Error"
        let (next, after) = token(rest);
        if next == b"Error" {
            rest = after;
        }
    }
    let (mut tok, mut after) = token(rest);
    if tok.starts_with(b"[0x") && tok.ends_with(b"]") {
        // A Setup message id ("[0x080489] MIG ..."), not an error code.
        (tok, after) = token(after);
    }
    if setup_component(tok) && after.first().is_none_or(u8::is_ascii_whitespace) {
        f.component = Some(tok);
        rest = after;
    }
    f.message = rest.trim_ascii_start();
    f
}

/// `01/01/2019 12:00:00:000 message` (NetSetup.log).
fn netsetup(span: &[u8]) -> Fields<'_> {
    let line = trim_end_ws(trim_eol(span));
    if line.get(5) == Some(&b' ') {
        // `01/01 12:00:00 message`: no year, so no timestamp.
        return Fields {
            time: line.get(6..14),
            message: line.get(15..).unwrap_or_default(),
            component: Some(b"NetSetup"),
            ..Fields::default()
        };
    }
    let Some(head) = line.get(..24) else {
        return plain(span);
    };
    Fields {
        date: Some(&head[..10]),
        time: Some(&head[11..23]),
        message: &line[24..],
        component: Some(b"NetSetup"),
        ..Fields::default()
    }
}

/// `2021/07/13 10:22:58.9553434 3696  8172  Agent           message` (decoded ETW: process
/// and thread ids in decimal) or `2022-11-13<TAB>11:15:01:303<TAB>1048<TAB>fd4<TAB>Misc<TAB>message`
/// (before Windows 10: the thread id in hex).
fn windows_update(span: &[u8]) -> Fields<'_> {
    let line = trim_end_ws(trim_eol(span));
    if line.get(10) == Some(&b'\t') {
        let mut cols = line.splitn(6, |&c| c == b'\t');
        let (Some(date), Some(time), Some(_pid), Some(tid), Some(component)) = (
            cols.next(),
            cols.next(),
            cols.next(),
            cols.next(),
            cols.next(),
        ) else {
            return plain(span);
        };
        return Fields {
            date: Some(date),
            time: Some(time),
            thread: std::str::from_utf8(tid.trim_ascii())
                .ok()
                .and_then(|t| u32::from_str_radix(t, 16).ok()),
            component: Some(component.trim_ascii()).filter(|c| !c.is_empty()),
            message: cols.next().unwrap_or_default().trim_ascii_start(),
            ..Fields::default()
        };
    }
    let Some(date) = line.get(..10) else {
        return plain(span);
    };
    let (time, rest) = token(&line[10..]);
    let (_pid, rest) = token(rest);
    let (tid, rest) = token(rest);
    let (component, rest) = token(rest);
    Fields {
        date: Some(date),
        time: Some(time),
        thread: parse_u32(tid),
        component: Some(component).filter(|c| !c.is_empty()),
        message: rest.trim_ascii_start(),
        ..Fields::default()
    }
}

/// A Windows event written as text (see [`Format::EventText`]): the component is its
/// `Source:`, the time its `Date:` (wevtutil's `2021-12-25T07:31:58.8310000Z`, read as
/// written: its `Z` is dropped, so it is taken for local time like the other logs' times;
/// Event Viewer's `12/25/2021 7:31:58 AM` is read when it has no AM/PM), the message its
/// description (what follows `Description:`, up to `Event Xml:`), or the whole event
/// when it has none.
fn event_text(span: &[u8]) -> Fields<'_> {
    let text = trim_end_ws(span);
    let mut f = Fields {
        message: text,
        ..Fields::default()
    };
    let mut at = 0;
    while at < text.len() {
        let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
        let line = trim_eol(&text[at..end]);
        let field = line.trim_ascii_start();
        let value = |key: &[u8]| field.strip_prefix(key).map(<[u8]>::trim_ascii);
        if let Some(v) = value(b"Source:") {
            f.component = Some(v).filter(|v| !v.is_empty());
        } else if let Some(v) = value(b"Date:") {
            let (date, time) = match v.iter().position(|&c| c == b'T' || c == b' ') {
                Some(i) => (&v[..i], v[i + 1..].trim_ascii()),
                None => (v, &b""[..]),
            };
            f.date = Some(date);
            f.time = Some(time.strip_suffix(b"Z").unwrap_or(time)).filter(|t| !t.is_empty());
        } else if field.starts_with(b"Description:") {
            // The text may start on the same line (Event Viewer's copy) or the next.
            let from = at + (line.len() - field.len()) + b"Description:".len();
            let body = &text[from.min(text.len())..];
            let body = match memmem::find(body, b"\nEvent Xml:") {
                Some(i) => &body[..i],
                None => body,
            };
            let body = body.trim_ascii();
            if !body.is_empty() {
                f.message = body;
            }
            break;
        }
        at = end + 1;
    }
    f
}

/// An Office Click-to-Run line: `date time<TAB>process<TAB>thread<TAB>area<TAB>category
/// <TAB>event id<TAB>level<TAB>message<TAB>correlation`. The component is the area, or the
/// category when the area is empty (as it mostly is); the thread is written in hex.
fn click_to_run(span: &[u8]) -> Fields<'_> {
    let line = trim_eol(span);
    let mut cols = line.splitn(9, |&c| c == b'\t');
    let (Some(stamp), Some(_process), Some(tid), Some(area), Some(category)) = (
        cols.next(),
        cols.next(),
        cols.next(),
        cols.next(),
        cols.next(),
    ) else {
        return plain(span);
    };
    let (_event, _level) = (cols.next(), cols.next());
    let (date, time) = token(stamp);
    let area = area.trim_ascii();
    Fields {
        date: Some(date),
        time: Some(time.trim_ascii()),
        thread: parse_u32(tid),
        component: Some(if area.is_empty() {
            category.trim_ascii()
        } else {
            area
        })
        .filter(|c| !c.is_empty()),
        message: cols.next().unwrap_or_default().trim_ascii(),
        ..Fields::default()
    }
}

/// A SetupAPI text log line. Section starts and ends (`>>>  Section start 2019/01/01
/// 12:00:00.123`, `<<<  Section end ...`) and boot sessions (`[Boot Session: 2020/03/16
/// 11:42:03.500]`) give their date and time; section titles, exit statuses and header
/// lines are their whole line. A body line (`!!!  dvs:      Error 0xe0000246: ...`) gives
/// its event category as the component and the rest as the message. Body lines carry no
/// date (some end with a time of day, left in the message): they have no time of their
/// own, and sort after their section's start (see `log::merge_by_time`).
fn setupapi(span: &[u8]) -> Fields<'_> {
    let line = trim_end_ws(trim_eol(span));
    let dated = line
        .strip_prefix(b">>>  Section start ")
        .or_else(|| line.strip_prefix(b"<<<  Section end "))
        .or_else(|| line.strip_prefix(b"[Boot Session: "));
    if let Some(rest) = dated {
        let (date, rest) = token(rest);
        let (time, _) = token(rest);
        let time = time.strip_suffix(b"]").unwrap_or(time);
        return Fields {
            date: Some(date).filter(|d| !d.is_empty()),
            time: Some(time).filter(|t| !t.is_empty()),
            message: line,
            ..Fields::default()
        };
    }
    let body = line
        .get(5..)
        .filter(|_| !line.starts_with(b">>>") && !line.starts_with(b"<<<"));
    if let Some((rest, (pad, n))) = body.and_then(|b| Some((b, super::kinds::setupapi_tag(b)?))) {
        return Fields {
            component: Some(&rest[pad..pad + n]),
            message: rest[pad + n + 1..].trim_ascii_start(),
            ..Fields::default()
        };
    }
    Fields {
        message: line.trim_ascii_start(),
        ..Fields::default()
    }
}

/// `MSI (s) (1C:2C) [12:00:00:000]: message`, or `Action ended 12:00:00: Name. Return
/// value 3.` (the whole line is the message).
fn msi(span: &[u8]) -> Fields<'_> {
    let line = trim_end_ws(trim_eol(span));
    let mut f = Fields {
        message: line,
        component: Some(b"MSI"),
        ..Fields::default()
    };
    if let Some(rest) = line.strip_prefix(b"MSI (") {
        let ids = rest
            .iter()
            .position(|&c| c == b'(')
            .and_then(|a| Some((a, a + rest[a..].iter().position(|&c| c == b')')?)));
        if let Some((a, b)) = ids {
            let pair = &rest[a + 1..b];
            if let Some(colon) = pair.iter().position(|&c| c == b':') {
                f.thread = std::str::from_utf8(&pair[colon + 1..])
                    .ok()
                    .and_then(|t| u32::from_str_radix(t, 16).ok());
            }
        }
        if let Some(open) = memchr::memchr(b'[', rest) {
            if let Some(close) = memchr::memchr(b']', &rest[open..]) {
                f.time = Some(&rest[open + 1..open + close]);
                let msg = &rest[open + close + 1..];
                f.message = msg.strip_prefix(b":").unwrap_or(msg).trim_ascii_start();
            }
        }
    } else if let Some(rest) = line
        .strip_prefix(b"Action start ")
        .or_else(|| line.strip_prefix(b"Action ended "))
    {
        f.time = rest
            .split(|&c| c == b' ')
            .next()
            .map(|t| t.strip_suffix(b":").unwrap_or(t));
    }
    f
}

fn cmtrace<'a>(meta: &RecordMeta, span: &'a [u8]) -> Fields<'a> {
    let Some((message, tail)) = meta.cmtrace_parts(span) else {
        return plain(span);
    };
    let mut f = Fields {
        message,
        ..Fields::default()
    };
    // Blank lines after the record belong to it.
    let rest = trim_end_ws(tail);
    if !canonical_attributes(rest, &mut f) {
        any_attributes(rest, &mut f);
    }
    f
}

/// Reads an attribute tail written in the usual order and nothing else, in one pass with
/// no search for keys (analysis reads hundreds of thousands). False, with `f` untouched,
/// for any other tail: [`any_attributes`] reads it, and would read this one the same.
fn canonical_attributes<'a>(rest: &'a [u8], f: &mut Fields<'a>) -> bool {
    let Some([time, date, component, context, kind, thread, file]) = canonical_values(rest) else {
        return false;
    };
    f.time = Some(time);
    f.date = Some(date);
    f.component = Some(component);
    f.context = Some(context);
    f.kind = Some(kind);
    f.thread = parse_u32(thread);
    f.file = Some(file);
    true
}

/// The values of an attribute tail written in the order ConfigMgr's components write them
/// (time, date, component, context, type, thread, file) and nothing else; `None` for any
/// other tail.
fn canonical_values(rest: &[u8]) -> Option<[&[u8]; 7]> {
    // Spelled out key by key: keys of known length compare as a few integers, and values
    // of a few bytes end sooner by a plain loop than by a search set up for long ones.
    // Merging logs by time reads millions of these.
    fn key<'a, const N: usize>(r: &'a [u8], key: &[u8; N]) -> Option<&'a [u8]> {
        let (head, rest) = r.split_first_chunk::<N>()?;
        (head == key).then_some(rest)
    }
    fn value(r: &[u8]) -> Option<(&[u8], &[u8])> {
        let endq = r.iter().position(|&c| c == b'"')?;
        Some((&r[..endq], &r[endq + 1..]))
    }
    let (time, r) = value(key(rest, b"<time=\"")?)?;
    let (date, r) = value(key(r, b" date=\"")?)?;
    let (component, r) = value(key(r, b" component=\"")?)?;
    let (context, r) = value(key(r, b" context=\"")?)?;
    let (kind, r) = value(key(r, b" type=\"")?)?;
    let (thread, r) = value(key(r, b" thread=\"")?)?;
    let (file, r) = value(key(r, b" file=\"")?)?;
    (r == b">").then_some([time, date, component, context, kind, thread, file])
}

/// The last date [`utc_of`] read, as written, and its midnight in milliseconds since the
/// Unix epoch.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Day {
    text: [u8; 10],
    len: usize,
    midnight: i64,
}

/// A record's UTC time in milliseconds since the Unix epoch: what
/// `fields_of(meta, span).timestamp()` and [`Timestamp::utc`] give, read without the rest
/// of the fields. Merging several logs by time reads it for every record of every log,
/// where the fields cost several times the time. `day` keeps the last date read and its
/// midnight's milliseconds, for the next record (a log writes the same date on thousands
/// of records in a row).
pub(crate) fn utc_of(meta: &RecordMeta, span: &[u8], day: &mut Option<Day>) -> Option<i64> {
    let body = span.strip_prefix(super::BOM).unwrap_or(span);
    let tail = (meta.format() == Format::CmTrace)
        .then(|| meta.cmtrace_parts(body))
        .flatten()
        .map(|(_, tail)| tail);
    if let Some(utc) = tail.and_then(|t| day.as_ref().and_then(|d| same_day_utc(t, d))) {
        return Some(utc);
    }
    let canonical = tail.and_then(|tail| canonical_values(trim_end_ws(tail)));
    let Some([time, date, ..]) = canonical else {
        return fields_of(meta, span).timestamp().and_then(|t| t.utc());
    };
    let Some((clock, bias)) = millis_of_day(time) else {
        return Fields {
            time: Some(time),
            date: Some(date),
            ..Fields::default()
        }
        .timestamp()
        .and_then(|t| t.utc());
    };
    let midnight = match day {
        Some(known) if known.text.get(..known.len) == Some(date) => known.midnight,
        _ => {
            let d = parse_date(date)?;
            let ms = d.and_time(NaiveTime::MIN).and_utc().timestamp_millis();
            if date.len() <= 10 {
                let mut text = [0u8; 10];
                text[..date.len()].copy_from_slice(date);
                *day = Some(Day {
                    text,
                    len: date.len(),
                    midnight: ms,
                });
            }
            ms
        }
    };
    let local = midnight + clock;
    match bias {
        None => Some(local),
        Some(b) if BIAS_RANGE.contains(&b) => Some(local + i64::from(b) * 60_000),
        Some(_) => None,
    }
}

/// [`utc_of`] for the tail ConfigMgr writes on nearly every record, on the day of the
/// record before: `<time="HH:MM:SS.mmm+BIAS" date="` and the date `known` holds, then
/// attributes none of which names `time` or `date` again (the last value of a key is the
/// one [`any_attributes`] keeps). Read at fixed places, without a search for each value.
/// `None` for anything else, which [`utc_of`] reads the long way.
fn same_day_utc(tail: &[u8], known: &Day) -> Option<i64> {
    let (head, r) = tail.split_first_chunk::<7>()?;
    if head != b"<time=\"" {
        return None;
    }
    let (clock, r) = r.split_first_chunk::<12>()?;
    let ms = clock_millis(clock)?;
    // The bias up to the value's closing quote: none, or a sign and one to nine digits.
    let (bias, r) = match r.split_first()? {
        (b'"', r) => (0, r),
        (&sign @ (b'+' | b'-'), r) => {
            let digits = r.iter().take(10).position(|&c| c == b'"')?;
            let (num, r) = r.split_at_checked(digits)?;
            if num.is_empty() || !num.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let v = num.iter().fold(0i32, |n, d| n * 10 + i32::from(d - b'0'));
            let v = if sign == b'-' { -v } else { v };
            if !BIAS_RANGE.contains(&v) {
                return None;
            }
            (v, r.get(1..)?)
        }
        _ => return None,
    };
    let (head, r) = r.split_first_chunk::<7>()?;
    if head != b" date=\"" || known.len != known.text.len() {
        return None;
    }
    // The known date holds no quote, so a value that starts with it and a quote is it.
    let (date, r) = r.split_first_chunk::<10>()?;
    let (&quote, rest) = r.split_first()?;
    if date != &known.text || quote != b'"' || names_time_or_date(rest) {
        return None;
    }
    Some(known.midnight + ms + i64::from(bias) * 60_000)
}

/// True when `rest` holds `time=` or `date=`: an attribute that would set the time or date
/// read before it again.
fn names_time_or_date(rest: &[u8]) -> bool {
    // Both keys in one vectorised pass (most tails are under a hundred bytes).
    static KEYS: LazyLock<Option<aho_corasick::packed::Searcher>> =
        LazyLock::new(|| aho_corasick::packed::Searcher::new(["time=", "date="]));
    match KEYS.as_ref() {
        Some(keys) => keys.find(rest).is_some(),
        None => memmem::find(rest, b"time=").is_some() || memmem::find(rest, b"date=").is_some(),
    }
}

/// `HH:MM:SS.mmm`, with or without a bias (`+480`, `-60`), the form ConfigMgr writes: the
/// milliseconds since midnight and the bias, as [`parse_time`] reads them. `None` for any
/// other form (more or fewer fraction digits, a time out of range), which `parse_time`
/// reads instead.
fn millis_of_day(s: &[u8]) -> Option<(i64, Option<i32>)> {
    let (clock, rest) = s.split_first_chunk::<12>()?;
    let ms = clock_millis(clock)?;
    let bias = match rest {
        [] => None,
        [sign @ (b'+' | b'-'), num @ ..]
            if (1..=9).contains(&num.len()) && num.iter().all(u8::is_ascii_digit) =>
        {
            let v = num.iter().fold(0i32, |n, d| n * 10 + i32::from(d - b'0'));
            Some(if *sign == b'-' { -v } else { v })
        }
        _ => return None,
    };
    Some((ms, bias))
}

/// `HH:MM:SS.mmm` as milliseconds since midnight; `None` for any other form or a time out
/// of range.
fn clock_millis(clock: &[u8; 12]) -> Option<i64> {
    let digit = |i: usize| {
        let d = clock[i].wrapping_sub(b'0');
        (d < 10).then_some(i64::from(d))
    };
    if clock[2] != b':' || clock[5] != b':' || clock[8] != b'.' {
        return None;
    }
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let (h, m, sec) = (two(0)?, two(3)?, two(6)?);
    let ms = digit(9)? * 100 + digit(10)? * 10 + digit(11)?;
    if h >= 24 || m >= 60 || sec >= 60 {
        return None;
    }
    Some(((h * 60 + m) * 60 + sec) * 1000 + ms)
}

/// Reads `key="value"` pairs in any order; unknown keys are ignored.
fn any_attributes<'a>(mut rest: &'a [u8], f: &mut Fields<'a>) {
    while let Some(eq) = memchr::memchr(b'=', rest) {
        let key = rest[..eq]
            .rsplit(|c| c.is_ascii_whitespace() || *c == b'<')
            .next()
            .unwrap_or_default();
        let after = &rest[eq + 1..];
        let Some(after) = after.strip_prefix(b"\"") else {
            rest = after;
            continue;
        };
        let Some(endq) = memchr::memchr(b'"', after) else {
            break;
        };
        let value = &after[..endq];
        match key {
            b"time" => f.time = Some(value),
            b"date" => f.date = Some(value),
            b"component" => f.component = Some(value),
            b"context" => f.context = Some(value),
            b"type" => f.kind = Some(value),
            b"thread" => f.thread = parse_u32(value),
            b"file" => f.file = Some(value),
            _ => {}
        }
        rest = &after[endq + 1..];
    }
}

fn smstrace(span: &[u8]) -> Fields<'_> {
    let line = trim_eol(span);
    let Some(mark) = memmem::find(line, b"$$<") else {
        return plain(span);
    };
    let mut f = Fields {
        message: trim_end_ws(&line[..mark]),
        ..Fields::default()
    };
    let mut groups = line[mark + 2..]
        .split(|&c| c == b'>')
        .filter_map(|g| g.strip_prefix(b"<"));
    f.component = groups.next();
    if let Some(dt) = groups.next() {
        let mut it = dt.splitn(2, |&c| c == b' ');
        f.date = it.next();
        f.time = it.next();
    }
    if let Some(th) = groups.next() {
        let th = th.strip_prefix(b"thread=").unwrap_or(th);
        let num = th.split(|&c| c == b' ').next().unwrap_or_default();
        f.thread = parse_u32(num);
    }
    f
}

/// Component names seen at the end of lines pasted into tickets ("message  TSManager").
const COMPONENT_PREFIXES: &[&str] = &[
    "TSM",
    "TSP",
    "TSB",
    "TSU",
    "TSProgress",
    "OSD",
    "SMSTS",
    "Smsts",
    "Ccm",
    "ccm",
];
const COMPONENT_NAMES: &[&str] = &[
    "TSManager",
    "InstallApplication",
    "InstallSoftware",
    "ApplyOperatingSystem",
    "DownloadContent",
    "PolicyAgent",
    "ContentTransferManager",
    "DataTransferService",
    "LocationServices",
    "ClientIDManagerStartup",
    "CcmExec",
    "AppEnforce",
    "AppDiscovery",
    "ScanAgent",
    "UpdatesDeployment",
    "UpdatesHandler",
    "WUAHandler",
    "TSPxe",
];

fn looks_like_component(tok: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(tok) else {
        return false;
    };
    (3..=40).contains(&s.len())
        && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        && (COMPONENT_NAMES.contains(&s) || COMPONENT_PREFIXES.iter().any(|p| s.starts_with(p)))
}

/// A line copied out of CMTrace or Trace32 (`message<TAB>component<TAB>date time<TAB>thread
/// (0xTHREAD)`): its message, component and thread.
fn cmtrace_copy(line: &[u8]) -> Option<Fields<'_>> {
    let mut cols = line.rsplitn(4, |&c| c == b'\t');
    let thread = cols.next()?;
    let _when = cols.next()?;
    let component = cols.next()?;
    let message = cols.next()?;
    let (num, hex) = std::str::from_utf8(thread).ok()?.split_once(" (0x")?;
    let tid: u32 = num.trim().parse().ok()?;
    if !hex.ends_with(')') || component.is_empty() || component.len() > 64 {
        return None;
    }
    Some(Fields {
        message: trim_end_ws(message),
        component: Some(component),
        thread: Some(tid),
        ..Fields::default()
    })
}

fn plain(span: &[u8]) -> Fields<'_> {
    let line = trim_end_ws(trim_eol(span));
    if memchr::memchr(b'\t', line).is_some() {
        if let Some(f) = cmtrace_copy(line) {
            return f;
        }
    }
    // A line pasted into a ticket: the message, whitespace, then the component. Pages copied
    // from the web often put a no-break space (C2 A0) there.
    if let Some(sp) = line
        .iter()
        .rposition(|c| *c == b' ' || *c == b'\t' || *c == 0xA0)
    {
        let tok = &line[sp + 1..];
        let before = &line[..sp];
        let before = if line[sp] == 0xA0 {
            before.strip_suffix(b"\xC2").unwrap_or(before)
        } else {
            before
        };
        let msg = trim_end_ws(before);
        if !msg.is_empty() && looks_like_component(tok) {
            return Fields {
                message: msg,
                component: Some(tok),
                ..Fields::default()
            };
        }
    }
    Fields {
        message: trim_end_ws(span),
        ..Fields::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass reader agrees with the general one on every CMTrace record of the
    /// sample logs and the corpus, and takes most of them.
    #[test]
    fn canonical_tails_read_as_any_order_reads_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("sample-logs")];
        dirs.extend(crate::corpus_support::corpus());
        let (mut tails, mut canonical) = (0, 0);
        for dir in dirs {
            for entry in std::fs::read_dir(&dir).expect("log folder") {
                let path = entry.expect("entry").path();
                let Ok(text) = std::fs::read(&path) else {
                    continue;
                };
                let records = crate::parse::index_parallel(&text, 1);
                for (i, r) in records.iter().enumerate() {
                    if r.format() != Format::CmTrace {
                        continue;
                    }
                    let end = records.get(i + 1).map_or(text.len(), |n| n.start as usize);
                    let span = &text[r.start as usize..end];
                    let Some(close) = crate::parse::rfind_close(span) else {
                        continue;
                    };
                    let rest = trim_eol(&span[close + 7..]);
                    let (mut fast, mut any) = (Fields::default(), Fields::default());
                    any_attributes(rest, &mut any);
                    tails += 1;
                    if canonical_attributes(rest, &mut fast) {
                        canonical += 1;
                        assert_eq!(fast, any, "{}: record {i}", path.display());
                    } else {
                        assert_eq!(fast, Fields::default());
                    }
                }
            }
        }
        assert!(
            tails > 1000 && canonical * 10 > tails * 9,
            "{canonical} of {tails}"
        );
    }

    /// A record on the day of the record before is read at fixed places; it still gives
    /// what its fields give when the tail names the time or date again (the last value
    /// wins), bends ConfigMgr's form, or holds a key inside a value.
    #[test]
    fn time_on_the_day_before_equals_time_of_the_fields() {
        let first = "<![LOG[a]LOG]!><time=\"09:00:00.000+000\" date=\"11-26-2026\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n";
        let tails = [
            r#"<time="10:00:00.000+000" date="11-26-2026" component="C" context="" type="1" thread="1" file="">"#,
            r#"<time="10:00:00.000+000" date="11-26-2026" component="C" time="11:00:00.000+000">"#,
            r#"<time="10:00:00.000+000" date="11-26-2026" date="11-27-2026">"#,
            r#"<time="10:00:00.000+000" date="11-26-2026" file="a time=b">"#,
            r#"<time="10:00:00.000+000" date="11-26-2026" xdate="12-01-2026">"#,
            r#"<time="10:00:00.000" date="11-26-2026" component="C">"#,
            r#"<time="10:00:00.000-60" date="11-26-2026">"#,
            r#"<time="10:00:00.000+9999" date="11-26-2026">"#,
            r#"<time="10:00:00.000+" date="11-26-2026">"#,
            r#"<time="10:00:00.000+0000000000" date="11-26-2026">"#,
            r#"<time="24:00:00.000+000" date="11-26-2026">"#,
            r#"<time="10:00:00.00+000" date="11-26-2026">"#,
            r#"<time="10:00:00.000+000" date="11-26-20266">"#,
            r#"<time="10:00:00.000+000" date="11-26-2026"component="C">"#,
            r#"<time="10:00:00.000+000"  date="11-26-2026">"#,
            r#"<date="11-26-2026" time="10:00:00.000+000">"#,
        ];
        for tail in tails {
            let text = format!("{first}<![LOG[m]LOG]!>{tail}\r\n");
            let bytes = text.as_bytes();
            let records = crate::parse::index_parallel(bytes, 1);
            assert_eq!(records.len(), 2, "{tail}");
            let mut day = None;
            let span = &bytes[..records[1].start as usize];
            assert!(utc_of(&records[0], span, &mut day).is_some());
            let span = &bytes[records[1].start as usize..];
            let whole = fields_of(&records[1], span)
                .timestamp()
                .and_then(|t| t.utc());
            assert_eq!(utc_of(&records[1], span, &mut day), whole, "{tail}");
        }
    }

    /// The time read alone for merging equals the time read with every field, on every
    /// record of the sample logs and the corpus.
    #[test]
    fn time_read_alone_equals_time_of_the_fields() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("sample-logs")];
        dirs.extend(crate::corpus_support::corpus());
        let (mut records_seen, mut timed) = (0, 0);
        for dir in dirs {
            for entry in std::fs::read_dir(&dir).expect("log folder") {
                let path = entry.expect("entry").path();
                let Ok(text) = std::fs::read(&path) else {
                    continue;
                };
                let records = crate::parse::index_parallel(&text, 1);
                let mut day = None;
                for (i, r) in records.iter().enumerate() {
                    let end = records.get(i + 1).map_or(text.len(), |n| n.start as usize);
                    let span = &text[r.start as usize..end];
                    let whole = fields_of(r, span).timestamp().and_then(|t| t.utc());
                    assert_eq!(
                        utc_of(r, span, &mut day),
                        whole,
                        "{}: record {i}",
                        path.display()
                    );
                    records_seen += 1;
                    timed += usize::from(whole.is_some());
                }
            }
        }
        assert!(
            records_seen > 1000 && timed > 1000,
            "{timed} of {records_seen}"
        );
    }

    proptest::proptest! {
        /// Times of every shape near ConfigMgr's (fraction and bias of any length, fields
        /// out of range, stray signs), on dates that change from record to record.
        #[test]
        fn time_read_alone_equals_time_of_the_fields_for_any_time(
            times in proptest::collection::vec(
                proptest::prop_oneof![
                    // ConfigMgr's own form, hours, minutes and seconds just in and out of range.
                    "[0-2][0-9]:[0-6][0-9]:[0-6][0-9]\\.[0-9]{3}([+-][0-9]{1,4})?",
                    "[0-9]{1,3}:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,10})?(:[0-9]{3})?([+-][0-9]{0,11})?[+-]?",
                ],
                1..8,
            ),
            dates in proptest::collection::vec("(0?[0-9]|1[0-3])-[0-3]?[0-9]-(19|20)[0-9]{2}", 1..3),
        ) {
            let mut day = None;
            for (k, time) in times.iter().enumerate() {
                let date = &dates[k % dates.len()];
                let rec = format!(
                    "<![LOG[m]LOG]!><time=\"{time}\" date=\"{date}\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n"
                );
                let framed = crate::parse::index_parallel(rec.as_bytes(), 1);
                let meta = framed[0];
                let whole = fields_of(&meta, rec.as_bytes()).timestamp().and_then(|t| t.utc());
                proptest::prop_assert_eq!(utc_of(&meta, rec.as_bytes(), &mut day), whole, "{}", rec);
            }
        }
    }

    #[test]
    fn cmtrace_attributes_any_order_missing_or_unknown() {
        let r = b"<![LOG[Hello\r\nworld]LOG]!><thread=\"12\" foo=\"x\" time=\"10:00:00.000+60\" date=\"11-26-2026\" component=\"TSManager\" context=\"\" type=\"\">\r\n";
        let f = fields(Format::CmTrace, r);
        assert_eq!(f.message, b"Hello\r\nworld");
        assert_eq!(f.thread, Some(12));
        assert_eq!(f.component, Some(&b"TSManager"[..]));
        assert_eq!(f.kind, Some(&b""[..]));
        assert_eq!(f.file, None);
        assert!(f.timestamp().is_some());
        let bad = fields(
            Format::CmTrace,
            b"<![LOG[x]LOG]!><time=\"nope\" date=\"13-99-2026\">",
        );
        assert_eq!(bad.time, Some(&b"nope"[..]));
        assert!(bad.timestamp().is_none());
    }

    #[test]
    fn smstrace_fields() {
        let f = fields(
            Format::SmsTrace,
            b"Policy download failed  $$<PolicyAgent><05-01-2008 14:12:01.123+420><thread=2400 (0x960)>\r\n",
        );
        assert_eq!(f.message, b"Policy download failed");
        assert_eq!(f.component, Some(&b"PolicyAgent"[..]));
        assert_eq!(f.thread, Some(2400));
        let ts = f.timestamp().unwrap();
        assert_eq!(ts.bias_minutes, Some(420));
    }

    #[test]
    fn pasted_line_component() {
        let f = fields(
            Format::Plain,
            b"Network Access Account is not set TSMBootstrap  \r\n",
        );
        assert_eq!(f.message, b"Network Access Account is not set");
        assert_eq!(f.component, Some(&b"TSMBootstrap"[..]));
        let nb = fields(Format::Plain, b"Code(0x80040101)\xC2\xA0TSMBootstrap\n");
        assert_eq!(nb.message, b"Code(0x80040101)");
        assert_eq!(nb.component, Some(&b"TSMBootstrap"[..]));
        let g = fields(Format::Plain, b"just some words here\n");
        assert_eq!(g.component, None);
        assert_eq!(g.message, b"just some words here");
    }
}

#[cfg(test)]
mod windows_log_tests {
    use super::*;

    // Lines written for these tests in the shapes Windows Setup, NetSetup and Windows
    // Installer write.
    /// Both WindowsUpdate.log shapes, lines copied from real logs: the decoded one from
    /// gyojir's 0x80072F8F post (tests/real/windows-update), the pre-Windows 10 one from
    /// LegacyUpdate issue #8.
    #[test]
    fn windows_update_fields() {
        let f = fields(
            Format::WindowsUpdate,
            b"2023/03/21 22:19:01.8143606 19924 14968 Misc            *FAILED* [80072F8F] Send request\r\n",
        );
        assert_eq!(f.date, Some(&b"2023/03/21"[..]));
        assert_eq!(f.time, Some(&b"22:19:01.8143606"[..]));
        assert_eq!(f.thread, Some(14968));
        assert_eq!(f.component, Some(&b"Misc"[..]));
        assert_eq!(f.message, b"*FAILED* [80072F8F] Send request");
        assert!(f.timestamp().is_some());
        let f = fields(
            Format::WindowsUpdate,
            b"2022-11-13\t11:15:01:303\t1048\tfd4\tMisc\tWARNING: Send failed with hr = 80072efe.\n",
        );
        assert_eq!(f.date, Some(&b"2022-11-13"[..]));
        assert_eq!(f.time, Some(&b"11:15:01:303"[..]));
        assert_eq!(f.thread, Some(0xfd4));
        assert_eq!(f.component, Some(&b"Misc"[..]));
        assert_eq!(f.message, b"WARNING: Send failed with hr = 80072efe.");
        assert!(f.timestamp().is_some());
    }

    /// A wevtutil text event as JeftaDirksen/BlockIP issue #1 publishes it (its second
    /// event, `Event[1]` without a colon as that copy shows it).
    #[test]
    fn event_text_fields() {
        let f = fields(
            Format::EventText,
            b"Event[1]\n  Log Name: Security\n  Source: Microsoft-Windows-Security-Auditing\n  Date: 2021-12-25T07:31:58.8310000Z\n  Event ID: 4625\n  Task: N/A\n  Level: N/A\n  Opcode: N/A\n  Keyword: N/A\n  User: N/A\n  User Name: N/A\n  Computer: micro\n  Description: \nN/A\n",
        );
        assert_eq!(
            f.component,
            Some(&b"Microsoft-Windows-Security-Auditing"[..])
        );
        assert_eq!(f.date, Some(&b"2021-12-25"[..]));
        assert_eq!(f.time, Some(&b"07:31:58.8310000"[..]));
        assert!(f.timestamp().is_some());
        assert_eq!(f.message, b"N/A");
    }

    /// An Office Click-to-Run line from YerongAI/Office-Tool issue #941 (as published).
    #[test]
    fn click_to_run_fields() {
        let f = fields(
            Format::ClickToRun,
            b"01/03/2025 10:42:46.990\tSETUP (0x4d8c)\t0x2f0c\t\tActivity\tbjtcw\tMedium\tActivityEnded {\"Name\": \"Office.ClickToRun.UniversalBootstrapper.Execute3\", \"CV\": \"jzzQyggceUCTG2xfuwUrxA.6.3\", \"ProcessIdentifier\": \"setup.exe_16.0.18129.20158_X86_{CAD03C8F-1C08-4079-931B-6C5FBB052BC4}\"}\t\r\n",
        );
        assert_eq!(f.date, Some(&b"01/03/2025"[..]));
        assert_eq!(f.time, Some(&b"10:42:46.990"[..]));
        assert_eq!(f.thread, Some(0x2f0c));
        assert_eq!(f.component, Some(&b"Activity"[..]));
        assert!(f.message.starts_with(b"ActivityEnded {\"Name\""));
        assert!(f.message.ends_with(b"}"));
        assert!(f.timestamp().is_some());
    }

    /// SetupAPI lines as libwdi issues #171 and #176 quote them from setupapi.dev.log:
    /// section starts, ends and boot sessions give their time; a body line its category.
    #[test]
    fn setupapi_fields() {
        let f = fields(
            Format::SetupApi,
            b">>>  Section start 2020/01/24 22:07:54.559\r\n",
        );
        assert_eq!(f.date, Some(&b"2020/01/24"[..]));
        assert_eq!(f.time, Some(&b"22:07:54.559"[..]));
        assert!(f.timestamp().is_some());
        let f = fields(
            Format::SetupApi,
            b"<<<  Section end 2020/03/16 11:40:16.667\n",
        );
        assert_eq!(f.time, Some(&b"11:40:16.667"[..]));
        assert!(f.timestamp().is_some());
        let f = fields(
            Format::SetupApi,
            b"[Boot Session: 2020/03/16 11:42:03.500]\n",
        );
        assert_eq!(f.date, Some(&b"2020/03/16"[..]));
        assert_eq!(f.time, Some(&b"11:42:03.500"[..]));
        assert!(f.timestamp().is_some());
        let f = fields(
            Format::SetupApi,
            b"!!!  dvs:      Error 0xe0000246: One of the installers for this device cannot perform the installation at this time.\n",
        );
        assert_eq!(f.component, Some(&b"dvs"[..]));
        assert_eq!(
            f.message,
            &b"Error 0xe0000246: One of the installers for this device cannot perform the installation at this time."[..]
        );
        assert_eq!(f.timestamp(), None);
        let f = fields(
            Format::SetupApi,
            b"      cmd: \"C:\\Users\\riley\\usb_driver\\installer_x64.exe\" \"WUP-028.inf\"\n",
        );
        assert_eq!(f.component, Some(&b"cmd"[..]));
        assert_eq!(
            f.message,
            &b"\"C:\\Users\\riley\\usb_driver\\installer_x64.exe\" \"WUP-028.inf\""[..]
        );
        let f = fields(
            Format::SetupApi,
            b"<<<  [Exit status: FAILURE(0x0000ffff)]\n",
        );
        assert_eq!(f.component, None);
        assert_eq!(f.message, &b"<<<  [Exit status: FAILURE(0x0000ffff)]"[..]);
        let f = fields(Format::SetupApi, b"     OS Version = 10.0.17763\r\n");
        assert_eq!(f.component, None);
        assert_eq!(f.message, &b"OS Version = 10.0.17763"[..]);
    }

    #[test]
    fn panther_fields_skip_level_and_message_id() {
        let f = fields(
            Format::Panther,
            b"2019-03-01 10:15:07, Error                 SP     Operation failed: Apply\r\n  second line\r\n",
        );
        assert_eq!(f.date, Some(&b"2019-03-01"[..]));
        assert_eq!(f.time, Some(&b"10:15:07"[..]));
        assert_eq!(f.component, Some(&b"SP"[..]));
        assert_eq!(f.message, b"Operation failed: Apply\r\n  second line");
        assert!(f.timestamp().is_some());
        let f = fields(
            Format::Panther,
            b"2019-03-01 10:15:07, Info                  [0x080489] MIG    Setting temp path\n",
        );
        assert_eq!(f.component, Some(&b"MIG"[..]));
        assert_eq!(f.message, b"Setting temp path");
        let f = fields(
            Format::Panther,
            b"2019-03-01 10:15:07, Fatal Error           MOUPG  Result = 0x80070032\n",
        );
        assert_eq!(f.component, Some(&b"MOUPG"[..]));
        assert_eq!(f.message, b"Result = 0x80070032");
    }

    #[test]
    fn lines_copied_out_of_cmtrace() {
        let f = fields(
            Format::Plain,
            b"InnerTerminatingFailure\tApplyDriverPackage\t5/11/2023 11:27:22 AM\t1644 (0x066C)\r\n",
        );
        assert_eq!(f.message, b"InnerTerminatingFailure");
        assert_eq!(f.component, Some(&b"ApplyDriverPackage"[..]));
        assert_eq!(f.thread, Some(1644));
        // A tab in ordinary text is not a copied line.
        assert_eq!(fields(Format::Plain, b"a\tb\n").message, b"a\tb");
    }

    #[test]
    fn netsetup_and_msi_fields() {
        let f = fields(
            Format::NetSetup,
            b"09/19/2019 10:36:13:651 NetpDoDomainJoin: status: 0x54b\r\n",
        );
        assert_eq!(f.message, b"NetpDoDomainJoin: status: 0x54b");
        let ts = f.timestamp().expect("time");
        assert_eq!(ts.local.to_string(), "2019-09-19 10:36:13.651");
        let f = fields(
            Format::Msi,
            b"MSI (s) (1C:2C) [12:00:01:002]: Product: X -- Installation operation failed.\n",
        );
        assert_eq!(f.thread, Some(0x2C));
        assert_eq!(f.time, Some(&b"12:00:01:002"[..]));
        assert_eq!(f.message, b"Product: X -- Installation operation failed.");
        let f = fields(
            Format::Msi,
            b"Action ended 12:00:00: InstallFinalize. Return value 3.\n",
        );
        assert_eq!(f.time, Some(&b"12:00:00"[..]));
        assert_eq!(
            f.message,
            b"Action ended 12:00:00: InstallFinalize. Return value 3."
        );
    }
}
