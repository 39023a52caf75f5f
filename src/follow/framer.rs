//! Incremental framing: bytes arrive in pieces of any size, complete records leave, each
//! exactly once. Fed a whole stream piece by piece, the batches it hands out, concatenated,
//! equal what [`SourceText`] and [`frame`] make of the whole stream at once.
//!
//! [`SourceText`]: crate::source::SourceText

use crate::parse::{frame, RecordMeta};
use crate::source::Encoding;

use super::decode::{utf16_len, Decoder};

/// Complete records cut from a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The records' text, as UTF-8 bytes (UTF-16 input is transcoded; invalid UTF-8 bytes
    /// are passed through, as [`SourceText`](crate::source::SourceText) does).
    pub text: Vec<u8>,
    /// The records, in order; `start` is relative to `text`, `line` is the 1-based line
    /// of the record's first line in the file.
    pub records: Vec<RecordMeta>,
    /// Line number of `text`'s first line.
    pub first_line: u32,
    /// Offset in the original file (or stream) of `text`'s first byte.
    pub offset: u64,
    /// The stream's encoding.
    pub encoding: Encoding,
    /// The text ends in a record still being written, handed out as it stands because its
    /// writer paused longer than the grace period: a later batch with `replaces` set
    /// repeats it, whole once the rest has arrived.
    pub provisional: bool,
    /// The last provisional batch is void: this one starts with its text again (at the
    /// same offset and line), framed with what arrived since.
    pub replaces: bool,
}

/// Turns a byte stream into batches of complete records.
///
/// Text that may still be part of a record being written (a last line with no newline, or a
/// CMTrace record whose `]LOG]!>` has not arrived) is held back until more bytes complete it,
/// or until [`Framer::take`] is told to commit it anyway: then it is handed out as a
/// provisional batch but kept, and framed again with the rest when that arrives (a record
/// whose writer paused on a slow share is not split into two for good).
#[derive(Debug, Clone)]
pub struct Framer {
    decoder: Decoder,
    /// Decoded text not yet handed out, after `base` bytes of context (see `Framer::base`).
    buf: Vec<u8>,
    /// 0 at the start of a file, else 1: one byte of earlier text is kept in front so that
    /// the framer never mistakes a later position for the file's first byte (where it skips
    /// a BOM).
    base: usize,
    /// Line number at `buf[base]`.
    line: u32,
    /// Original-stream offset at `buf[base]`.
    offset: u64,
    /// Original-stream offset where this framer started, and the bytes fed since.
    origin: u64,
    fed: u64,
    /// Bytes after `base` handed out in a provisional batch (0 when none).
    shown: usize,
}

impl Default for Framer {
    fn default() -> Self {
        Framer::new()
    }
}

impl Framer {
    /// A framer for a stream read from its first byte; the encoding comes from its BOM.
    pub fn new() -> Framer {
        Framer {
            decoder: Decoder::at_start(),
            buf: Vec::new(),
            base: 0,
            line: 1,
            offset: 0,
            origin: 0,
            fed: 0,
            shown: 0,
        }
    }

    /// A framer that joins a stream at `offset`, which must be a line start whose 1-based
    /// line number is `line`, in a stream already known to be in `encoding`.
    pub fn resume(encoding: Encoding, offset: u64, line: u32) -> Framer {
        if offset == 0 {
            let mut f = Framer::new();
            f.decoder = Decoder::with(encoding);
            return f;
        }
        Framer {
            decoder: Decoder::with(encoding),
            buf: vec![b'\n'],
            base: 1,
            line: line.max(1),
            offset,
            origin: offset,
            fed: 0,
            shown: 0,
        }
    }

    /// The encoding, once the first bytes have told it (UTF-8 until then).
    pub fn encoding(&self) -> Encoding {
        self.decoder.encoding().unwrap_or(Encoding::Utf8)
    }

    /// Offset in the original stream of the next byte to be handed out.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Line number of the next record to be handed out.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// Adds bytes read from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        self.fed += bytes.len() as u64;
        self.decoder.push(bytes, &mut self.buf);
    }

    /// Bytes held back: received but not yet handed out in a batch.
    pub fn pending(&self) -> usize {
        self.buf.len() - self.base + self.decoder.held()
    }

    /// Hands out the complete records received so far. With `commit` true (a grace period
    /// ran out), text held back as a possibly unfinished record is handed out too, as it
    /// stands, in a provisional batch: it stays held, and the next batch replaces it.
    /// Bytes of a split character stay held.
    pub fn take(&mut self, commit: bool) -> Option<Batch> {
        let end = self.buf.len();
        if end == self.base {
            return None;
        }
        if let Some(b) = self.cut(false) {
            return Some(b);
        }
        if !commit || self.shown == end - self.base {
            // Nothing complete, or nothing new since the provisional batch.
            return None;
        }
        let f = frame(&self.buf, self.base, end, self.line, true);
        if f.resume <= self.base {
            return None;
        }
        let batch = self.batch(self.base..f.resume, f.records, true);
        self.shown = f.resume - self.base;
        Some(batch)
    }

    /// The complete records from `base` on (or, with `commit`, everything held) as a batch
    /// handed out for good.
    fn cut(&mut self, commit: bool) -> Option<Batch> {
        let end = self.buf.len();
        if end == self.base {
            return None;
        }
        let f = frame(&self.buf, self.base, end, self.line, commit);
        if f.resume <= self.base {
            return None;
        }
        let text_end = f.resume;
        let batch = self.batch(self.base..text_end, f.records, false);
        // A line committed before its newline arrived (the stream ended) continues on the
        // same file line. A batch that ends before the buffer does ends where a record
        // glued to the one before it starts, and `resume_line` is that record's line.
        let open_line = u32::from(text_end == end && batch.text.last() != Some(&b'\n'));
        self.line = f.resume_line.saturating_sub(open_line).max(1);
        self.buf.drain(..text_end - 1);
        self.base = 1;
        self.shown = 0;
        let rest = &self.buf[1..];
        let rest_orig = match self.decoder.encoding() {
            Some(e) if e.is_utf16() => utf16_len(rest),
            Some(Encoding::Windows1252) => String::from_utf8_lossy(rest).chars().count() as u64,
            _ => rest.len() as u64,
        };
        self.offset = self.origin + self.fed - self.decoder.held() as u64 - rest_orig;
        Some(batch)
    }

    /// `buf[range]` and its records (starts relative to the buffer) as a batch.
    fn batch(
        &self,
        range: std::ops::Range<usize>,
        records: Vec<RecordMeta>,
        provisional: bool,
    ) -> Batch {
        let rel = range.start as u64;
        Batch {
            text: self.buf[range].to_vec(),
            records: records
                .into_iter()
                .map(|mut r| {
                    r.start -= rel;
                    r
                })
                .collect(),
            first_line: self.line,
            offset: self.offset,
            encoding: self.encoding(),
            provisional,
            replaces: self.shown > 0,
        }
    }

    /// Ends the stream: everything held, split characters included, is handed out for
    /// good.
    pub fn finish(&mut self) -> Option<Batch> {
        self.decoder.finish(&mut self.buf);
        let b = self.cut(true);
        // Whatever the decoder flushed (a lone last byte) is now behind us.
        self.offset = self.origin + self.fed;
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8], step: usize) -> (Vec<u8>, Vec<RecordMeta>, Vec<u64>) {
        let mut f = Framer::new();
        let (mut text, mut recs, mut offs) = (Vec::new(), Vec::new(), Vec::new());
        let mut add = |b: Batch| {
            offs.push(b.offset);
            recs.extend(b.records.iter().map(|r| {
                let mut r = *r;
                r.start += text.len() as u64;
                r
            }));
            text.extend_from_slice(&b.text);
        };
        for c in input.chunks(step) {
            f.push(c);
            if let Some(b) = f.take(false) {
                add(b);
            }
        }
        if let Some(b) = f.finish() {
            add(b);
        }
        (text, recs, offs)
    }

    #[test]
    fn pieces_frame_like_the_whole() {
        let input =
            b"\xEF\xBB\xBF<![LOG[a]LOG]!><type=\"3\">\r\n<![LOG[b\r\nc]LOG]!><>\r\nplain\r\ntail";
        let whole = frame(input, 0, input.len(), 1, true).records;
        for step in 1..input.len() {
            let (text, recs, _) = run(input, step);
            assert_eq!(text, input.to_vec());
            assert_eq!(recs, whole, "step {step}");
        }
    }

    #[test]
    fn utf16_offsets_are_file_offsets() {
        let s = "\u{FEFF}one\r\ntwo\r\n";
        let b: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let (text, _, offs) = run(&b, 3);
        assert_eq!(text, s.as_bytes());
        // Batches start on line starts: 0, then after "\u{FEFF}one\r\n" (6 units).
        assert_eq!(offs, vec![0, 12]);
    }

    /// A line whose writer paused past the grace period is handed out provisionally, then
    /// again whole, in place, once the rest arrives: it is not split into two records.
    #[test]
    fn a_committed_partial_line_is_replaced_when_the_rest_arrives() {
        let mut f = Framer::new();
        f.push(b"one\ntw");
        let a = f.take(false).unwrap();
        assert_eq!(a.text, b"one\n");
        assert!(!a.provisional && !a.replaces);
        let b = f.take(true).unwrap();
        assert_eq!((b.text.as_slice(), b.first_line), (&b"tw"[..], 2));
        assert!(b.provisional && !b.replaces);
        // Nothing new: nothing to hand out, even when told to commit.
        assert_eq!(f.take(true), None);
        f.push(b"o\nthree\n");
        let c = f.take(false).unwrap();
        assert!(c.replaces && !c.provisional);
        assert_eq!(c.text, b"two\nthree\n");
        assert_eq!((c.first_line, c.offset), (2, 4));
        assert_eq!((c.records.len(), c.records[1].line), (2, 3));
        f.push(b"fo");
        let d = f.take(true).unwrap();
        assert!(d.provisional && !d.replaces);
        f.push(b"ur");
        let e = f.take(true).unwrap();
        assert!(e.provisional && e.replaces);
        assert_eq!(e.text, b"four");
        // The stream ends: the last line is handed out for good.
        let g = f.finish().unwrap();
        assert!(g.replaces && !g.provisional);
        assert_eq!((g.text.as_slice(), g.offset), (&b"four"[..], 14));
    }

    /// A CMTrace record cut by a pause in the middle of its message comes out as one record
    /// once its writer goes on, with the records around it as the whole text frames them.
    #[test]
    fn a_cmtrace_record_cut_by_a_pause_is_framed_whole_again() {
        let input: &[u8] = b"<![LOG[a]LOG]!><time=\"1\" type=\"1\">\r\n<![LOG[b is long]LOG]!><time=\"2\" type=\"3\">\r\n<![LOG[c]LOG]!><>\r\n";
        let whole = frame(input, 0, input.len(), 1, true).records;
        for cut in 1..input.len() {
            let mut f = Framer::new();
            let (mut text, mut recs) = (Vec::new(), Vec::new());
            // What is shown: the records for good, then the provisional ones.
            let mut held: (usize, usize) = (0, 0);
            let mut add = |b: Batch| {
                if b.replaces {
                    text.truncate(held.0);
                    recs.truncate(held.1);
                }
                held = (text.len(), recs.len());
                recs.extend(b.records.iter().map(|r| {
                    let mut r = *r;
                    r.start += text.len() as u64;
                    r
                }));
                text.extend_from_slice(&b.text);
                if !b.provisional {
                    held = (text.len(), recs.len());
                }
            };
            f.push(&input[..cut]);
            for b in [f.take(false), f.take(true)].into_iter().flatten() {
                add(b);
            }
            f.push(&input[cut..]);
            for b in [f.take(false), f.finish()].into_iter().flatten() {
                add(b);
            }
            assert_eq!(text, input.to_vec(), "cut at {cut}");
            assert_eq!(recs, whole, "cut at {cut}");
        }
    }
}
