//! Record boundaries. A CMTrace record runs from a line that starts with `<![LOG[` to the
//! line holding its `]LOG]!>`; an SMS Trace record is one line holding `$$<`; any other line
//! is a plain record. Every byte belongs to exactly one record, so the spans tile the text.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use memchr::memmem;

use super::{Format, RecordMeta, Severity};

const OPEN: &[u8] = b"<![LOG[";
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// An opening `<![LOG[` whose close has not appeared after this many lines is taken to be a
/// stray line, not a record: it is shown raw and framing resumes on the next line. This keeps
/// one damaged record from swallowing the rest of a file.
const MAX_OPEN_LINES: u32 = 5000;

static TYPE_ATTR: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"type=\""));
static SMS_MARK: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(b"$$<"));
static WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["error", "fail", "warn"])
        .ok()
});

/// The result of framing a range of text.
#[derive(Debug, Default)]
pub struct Framed {
    /// Records found, in order.
    pub records: Vec<RecordMeta>,
    /// Offset where the next call should resume: the end of the range, or the start of an
    /// incomplete record held back because more text may follow.
    pub resume: usize,
    /// Line number of the line at `resume`.
    pub resume_line: u32,
}

/// Severity of free text, by the words CMTrace colours: error or fail, then warn.
pub(crate) fn word_severity(text: &[u8]) -> Severity {
    let Some(ac) = WORDS.as_ref() else {
        return Severity::Info;
    };
    let mut sev = Severity::Info;
    for m in ac.find_iter(text) {
        if m.pattern().as_usize() < 2 {
            return Severity::Error;
        }
        sev = Severity::Warning;
    }
    sev
}

/// Severity from a CMTrace attribute tail (`]LOG]!><time=... type="3" ...>`).
fn attr_severity(tail: &[u8]) -> Severity {
    match TYPE_ATTR.find(tail).and_then(|i| tail.get(i + 6)) {
        Some(b'3') => Severity::Error,
        Some(b'2') => Severity::Warning,
        _ => Severity::Info,
    }
}

/// Frames `text[start..end]`, where `start` is a record boundary and `first_line` its line
/// number. With `at_eof` false, a last line with no newline or a CMTrace record still open
/// is not emitted: `resume` points at it so that a later call, with more text, frames it
/// whole (this is what keeps a record written in pieces from appearing twice).
pub fn frame(text: &[u8], start: usize, end: usize, first_line: u32, at_eof: bool) -> Framed {
    let end = end.min(text.len());
    let mut records = Vec::with_capacity((end.saturating_sub(start)) / 160 + 1);
    let mut pos = start;
    let mut line = first_line;
    // (start, line) of a CMTrace record whose close has not been seen yet.
    let mut open: Option<(usize, u32)> = None;
    while pos < end {
        let line_end = match memchr::memchr(b'\n', &text[pos..end]) {
            Some(i) => pos + i + 1,
            None if at_eof => end,
            None => break,
        };
        let l = &text[pos..line_end];
        let body = if pos == 0 {
            l.strip_prefix(BOM).unwrap_or(l)
        } else {
            l
        };
        let starts_log = body.starts_with(OPEN);
        if let Some((ostart, oline)) = open {
            if starts_log {
                // The previous record never closed: keep it, raw.
                let sev = word_severity(&text[ostart..pos]);
                records.push(RecordMeta::new(ostart as u64, oline, Format::Plain, sev));
                open = None;
            } else if let Some(ci) = super::rfind_close(l) {
                records.push(RecordMeta::new(
                    ostart as u64,
                    oline,
                    Format::CmTrace,
                    attr_severity(&l[ci..]),
                ));
                open = None;
                pos = line_end;
                line += 1;
                continue;
            } else if line - oline >= MAX_OPEN_LINES {
                // A stray opener: show its line raw and frame again from the line after it.
                let first_end = memchr::memchr(b'\n', &text[ostart..end])
                    .map(|i| ostart + i + 1)
                    .unwrap_or(end);
                let sev = word_severity(&text[ostart..first_end]);
                records.push(RecordMeta::new(ostart as u64, oline, Format::Plain, sev));
                open = None;
                pos = first_end;
                line = oline + 1;
                continue;
            } else {
                pos = line_end;
                line += 1;
                continue;
            }
        }
        if starts_log {
            match super::rfind_close(body) {
                Some(ci) => records.push(RecordMeta::new(
                    pos as u64,
                    line,
                    Format::CmTrace,
                    attr_severity(&body[ci..]),
                )),
                None => open = Some((pos, line)),
            }
        } else if let Some(i) = SMS_MARK.find(l) {
            let sev = word_severity(&l[..i]);
            records.push(RecordMeta::new(pos as u64, line, Format::SmsTrace, sev));
        } else {
            records.push(RecordMeta::new(
                pos as u64,
                line,
                Format::Plain,
                word_severity(l),
            ));
        }
        pos = line_end;
        line += 1;
    }
    if let Some((ostart, oline)) = open {
        if at_eof {
            let sev = word_severity(&text[ostart..end]);
            records.push(RecordMeta::new(ostart as u64, oline, Format::Plain, sev));
        } else {
            return Framed {
                records,
                resume: ostart,
                resume_line: oline,
            };
        }
    }
    Framed {
        records,
        resume: pos,
        resume_line: line,
    }
}

/// Frames a whole text on several threads. The text is cut where a line starts with
/// `<![LOG[` (or, failing that, at a line start), so every piece begins on a record
/// boundary and the result equals a single-threaded [`frame`].
pub fn index_parallel(text: &[u8], threads: usize) -> Vec<RecordMeta> {
    let threads = threads.clamp(1, 16);
    // Below a few MB the threads cost more than they save.
    if threads == 1 || text.len() < 8 << 20 {
        return frame(text, 0, text.len(), 1, true).records;
    }
    let mut cuts = vec![0usize];
    let opener = memmem::Finder::new(b"\n<![LOG[");
    for k in 1..threads {
        let target = (text.len() / threads * k).max(*cuts.last().unwrap_or(&0));
        let window_end = (target + (64 << 20)).min(text.len());
        let cut = opener
            .find(&text[target..window_end])
            .map(|i| target + i + 1)
            .or_else(|| memchr::memchr(b'\n', &text[target..]).map(|i| target + i + 1));
        match cut {
            Some(c) if c > *cuts.last().unwrap_or(&0) && c < text.len() => cuts.push(c),
            _ => {}
        }
    }
    cuts.push(text.len());
    let parts: Vec<Framed> = std::thread::scope(|s| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| {
                let (a, b) = (w[0], w[1]);
                s.spawn(move || frame(text, a, b, 0, true))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let total: usize = parts.iter().map(|p| p.records.len()).sum();
    let mut out = Vec::with_capacity(total);
    let mut line_base = 1u32;
    for part in parts {
        out.extend(part.records.into_iter().map(|mut r| {
            r.line += line_base;
            r
        }));
        line_base += part.resume_line;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &[u8]) -> Vec<(Format, Severity, u32, String)> {
        let f = frame(text, 0, text.len(), 1, true);
        let mut out = Vec::new();
        for (i, r) in f.records.iter().enumerate() {
            let end = f
                .records
                .get(i + 1)
                .map(|n| n.start as usize)
                .unwrap_or(text.len());
            let s = String::from_utf8_lossy(&text[r.start as usize..end]).into_owned();
            out.push((r.format(), r.severity(), r.line, s));
        }
        out
    }

    #[test]
    fn frames_cmtrace_multiline_smstrace_and_plain() {
        let text = b"\xEF\xBB\xBF<![LOG[one]LOG]!><time=\"1\" type=\"3\">\r\n<![LOG[two\r\nmore]LOG]!><type=\"2\">\r\nplain warning here\r\nmsg  $$<Comp><01-01-2020 00:00:00.000+0><thread=1 (0x1)>\r\n";
        let s = spans(text);
        assert_eq!(s.len(), 4);
        assert_eq!(
            (s[0].0, s[0].1, s[0].2),
            (Format::CmTrace, Severity::Error, 1)
        );
        assert_eq!(
            (s[1].0, s[1].1, s[1].2),
            (Format::CmTrace, Severity::Warning, 2)
        );
        assert!(s[1].3.contains("more"));
        assert_eq!(
            (s[2].0, s[2].1, s[2].2),
            (Format::Plain, Severity::Warning, 4)
        );
        assert_eq!((s[3].0, s[3].2), (Format::SmsTrace, 5));
    }

    #[test]
    fn unterminated_record_is_kept_raw() {
        let text = b"<![LOG[open\r\nstill\r\n<![LOG[x]LOG]!><type=\"1\">\r\n<![LOG[tail";
        let s = spans(text);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].0, Format::Plain);
        assert_eq!(s[0].3, "<![LOG[open\r\nstill\r\n");
        assert_eq!(s[2].0, Format::Plain);
        assert_eq!(s[2].3, "<![LOG[tail");
    }

    #[test]
    fn incomplete_tail_is_held_back_until_more_text() {
        let text = b"<![LOG[a]LOG]!><>\n<![LOG[b\nstill open\n";
        let f = frame(text, 0, text.len(), 1, false);
        assert_eq!(f.records.len(), 1);
        assert_eq!(f.resume, 18);
        assert_eq!(f.resume_line, 2);
        let g = frame(b"partial line", 0, 12, 1, false);
        assert!(g.records.is_empty());
        assert_eq!(g.resume, 0);
    }

    #[test]
    fn parallel_matches_sequential() {
        let mut text = Vec::new();
        for i in 0..200_000u32 {
            if i % 97 == 0 {
                text.extend_from_slice(b"<![LOG[multi\r\nline]LOG]!><type=\"3\">\r\n");
            } else if i % 89 == 0 {
                text.extend_from_slice(b"plain fail line\r\n");
            } else {
                text.extend_from_slice(
                    format!("<![LOG[record {i}]LOG]!><time=\"x\" type=\"1\">\r\n").as_bytes(),
                );
            }
        }
        let seq = frame(&text, 0, text.len(), 1, true).records;
        let par = index_parallel(&text, 3);
        assert_eq!(seq, par);
    }

    #[test]
    fn stray_opener_does_not_swallow_the_file() {
        let mut text = b"<![LOG[never closed\n".to_vec();
        for _ in 0..(MAX_OPEN_LINES + 10) {
            text.extend_from_slice(b"plain\n");
        }
        let f = frame(&text, 0, text.len(), 1, true);
        assert_eq!(f.records.len() as u32, MAX_OPEN_LINES + 11);
        assert_eq!(f.records[1].line, 2);
    }
}
