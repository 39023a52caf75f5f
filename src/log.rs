//! A log as records: one or more sources, each framed into an index of [`RecordMeta`],
//! and, when there are several, their records merged by time.

use std::borrow::Cow;
use std::ops::Range;

use crate::parse::{self, Fields, Format, RecordMeta, Severity};
use crate::source::{Input, SourceError, SourceText};

/// One input with its record index.
pub struct Source {
    /// The text and its encoding.
    pub text: SourceText,
    /// Every record, in file order; their spans tile the text.
    pub records: Vec<RecordMeta>,
}

impl Source {
    /// Frames a whole text (on several threads when it is large).
    pub fn index(text: SourceText) -> Source {
        let threads = crate::par::cores();
        let records = parse::index_parallel(text.bytes(), threads);
        Source { text, records }
    }

    /// Frames a whole text as [`Source::index`] does, handing the records to `visit` while
    /// their bytes are in cache, and what it pushed to `then` while the index is joined (see
    /// [`parse::index_visit_then`]); returns what `then` gave.
    pub fn index_visit<T: Send, R: Send>(
        text: SourceText,
        visit: impl Fn(&parse::Block<'_>, &mut parse::Hits<T>) + Sync,
        then: impl FnOnce(parse::Found<T>) -> R + Send,
    ) -> (Source, R) {
        let threads = crate::par::cores();
        let (records, r) = parse::index_visit_then(text.bytes(), threads, visit, then);
        (Source { text, records }, r)
    }

    /// Frames a whole text in slices, calling `progress(bytes_done, bytes_total)` after
    /// each, so that a screen can show how far indexing has gone.
    pub fn index_with_progress(text: SourceText, progress: impl FnMut(u64, u64)) -> Source {
        Source::index_in_slices(text, 64 << 20, progress)
    }

    /// [`Source::index_with_progress`] with slices of about `slice` bytes. Each slice but the
    /// last gives back its last record, which the text after the cut may go on (blank lines
    /// belong to the record before them, a Windows Setup record takes continuation lines):
    /// the next slice starts on it, so the records equal [`Source::index`]'s.
    fn index_in_slices(
        text: SourceText,
        slice_len: usize,
        mut progress: impl FnMut(u64, u64),
    ) -> Source {
        let threads = crate::par::cores();
        let bytes = text.bytes();
        let total = bytes.len();
        let mut records = Vec::new();
        let mut pos = 0usize;
        let mut line = 1u32;
        let mut want = slice_len.max(1);
        while pos < total {
            let slice = &bytes[pos..];
            let end = want.min(slice.len());
            // Cut where a line starts a CMTrace record (else at a line start), so the piece
            // frames as it would within the whole text.
            let cut = if end == slice.len() {
                end
            } else {
                memchr::memmem::rfind(&slice[..end], b"\n<![LOG[")
                    .or_else(|| memchr::memrchr(b'\n', &slice[..end]))
                    .map(|i| i + 1)
                    .filter(|&c| c > 0)
                    .unwrap_or(slice.len())
            };
            let mut part = parse::index_parallel(&slice[..cut], threads);
            let (advance, next_line) = if cut == slice.len() {
                (cut, line)
            } else {
                match part.pop() {
                    // The last record starts where the next slice does.
                    Some(held) if !part.is_empty() => {
                        (held.start as usize, line + held.line.saturating_sub(1))
                    }
                    // One record so far: frame a longer slice.
                    _ => {
                        want = want.saturating_mul(2);
                        continue;
                    }
                }
            };
            if records.len() + part.len() > parse::MAX_RECORDS {
                // Past the limit: keep what makes the caller's check refuse, no more.
                records.extend_from_slice(&part[..part.len().min(parse::MAX_RECORDS + 1)]);
                break;
            }
            records.extend(part.iter().map(|r| {
                let mut r = *r;
                r.start += pos as u64;
                r.line += line - 1;
                r
            }));
            want = slice_len.max(1);
            pos += advance;
            line = next_line;
            progress(pos as u64, total as u64);
        }
        Source { text, records }
    }

    /// Refuses a source framed into more than [`parse::MAX_RECORDS`] records (framing
    /// stops soon after passing it): one clear error rather than an index that grows until
    /// an allocation aborts the process.
    pub fn check_records(&self) -> Result<(), SourceError> {
        if self.records.len() <= parse::MAX_RECORDS {
            return Ok(());
        }
        Err(SourceError::TooLarge {
            path: self.text.path.clone(),
            reason: format!(
                "more than {} records, the limit for one file (16 bytes each in the index); split the file",
                parse::MAX_RECORDS
            ),
        })
    }

    /// An empty source for a followed file or stream, filled by [`Source::append`].
    pub fn streaming(path: String, encoding: crate::source::Encoding) -> Source {
        Source {
            text: SourceText::streaming(path, encoding),
            records: Vec::new(),
        }
    }

    /// Appends complete records read from a followed file: `text` starts on a record
    /// boundary at `orig_offset` in the file, and each record's `start` is relative to `text`
    /// (as the follower sends them); they are rebased onto the end of this source's text.
    pub fn append(&mut self, text: &[u8], records: &[RecordMeta], orig_offset: u64) {
        let base = self.text.bytes().len() as u64;
        self.text.append_text(text, orig_offset);
        self.records.extend(records.iter().map(|r| {
            let mut r = *r;
            r.start += base;
            r
        }));
    }

    /// Removes the records from `first` on, and their text, which began at `orig_offset` in
    /// the file: a followed file's provisional records, about to be sent again whole.
    pub fn retract(&mut self, first: usize, orig_offset: u64) {
        let Some(start) = self.records.get(first).map(|r| r.start as usize) else {
            return;
        };
        self.records.truncate(first);
        self.text.truncate_text(start, orig_offset);
    }

    /// Text offsets of record `i`.
    pub fn span(&self, i: usize) -> Range<usize> {
        let start = self.records.get(i).map_or(0, |r| r.start as usize);
        let end = self
            .records
            .get(i + 1)
            .map_or(self.text.bytes().len(), |r| r.start as usize);
        start..end
    }

    /// File offsets of record `i`: the spans of all records concatenated give back the file.
    pub fn orig_span(&self, i: usize) -> Range<u64> {
        let s = self.span(i);
        self.text.orig_range(s.start as u64..s.end as u64)
    }

    /// The bytes of record `i` (line ending included).
    pub fn raw(&self, i: usize) -> &[u8] {
        self.text.bytes().get(self.span(i)).unwrap_or_default()
    }

    /// The parsed fields of record `i`.
    pub fn fields(&self, i: usize) -> Fields<'_> {
        match self.records.get(i) {
            Some(r) => parse::fields_of(r, self.raw(i)),
            None => Fields::default(),
        }
    }

    /// The component of record `i` as text ("" when it has none or it is not UTF-8).
    pub fn component(&self, i: usize) -> &str {
        self.fields(i)
            .component
            .and_then(|c| std::str::from_utf8(c).ok())
            .unwrap_or("")
    }

    /// The most common record format: what the file "is".
    pub fn format(&self) -> Format {
        let mut counts = [0usize; Format::ALL.len()];
        for r in self.records.iter().take(2000) {
            counts[r.format() as usize] += 1;
        }
        // Any structured format beats plain lines (a paste's header, a log's banner).
        let structured = (Format::ALL.iter().enumerate())
            .filter(|(_, f)| **f != Format::Plain)
            .max_by_key(|(i, _)| (counts[*i], std::cmp::Reverse(*i)));
        match structured {
            Some((i, f)) if counts[i] > 0 => *f,
            _ => Format::Plain,
        }
    }

    /// Index of the record that holds text offset `off`.
    pub fn record_at(&self, off: u64) -> usize {
        self.records
            .partition_point(|r| r.start <= off)
            .saturating_sub(1)
    }

    /// Counts of error and warning records.
    pub fn severity_counts(&self) -> (usize, usize) {
        let (mut e, mut w) = (0, 0);
        for r in &self.records {
            match r.severity() {
                Severity::Error => e += 1,
                Severity::Warning => w += 1,
                Severity::Info => {}
            }
        }
        (e, w)
    }
}

/// A record's place in a [`Log`]: its source and its index there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordRef {
    /// Index into [`Log::sources`].
    pub source: u32,
    /// Index into that source's records.
    pub index: u32,
}

/// All the inputs of one session, readable as one sequence of records.
pub struct Log {
    /// The sources, in the order given (folders expanded).
    pub sources: Vec<Source>,
    /// With several sources, every record in time order; with one, empty (the identity).
    merged: Vec<RecordRef>,
    /// With several sources, each record's position in `merged`, per source (the inverse
    /// of `merged`, so that mapping a scan hit to its position costs O(1)).
    inverse: Vec<Vec<u32>>,
}

impl Log {
    /// Reads and frames every input.
    pub fn open(inputs: &[Input]) -> Result<Log, SourceError> {
        let mut sources = Vec::with_capacity(inputs.len());
        for input in inputs {
            let source = Source::index(input.read()?);
            source.check_records()?;
            sources.push(source);
        }
        Ok(Log::from_sources(sources))
    }

    /// Frames every text as [`Log::open`] does, handing each source's records to `visit`
    /// as they are framed (see [`Source::index_visit`]), and what it pushed, per source, to
    /// `then`. With one text, `then` runs while the index is joined; with several, once
    /// every text is framed. Returns the log and what `then` gave.
    pub fn open_visit<T: Send, R: Send>(
        mut texts: Vec<SourceText>,
        visit: impl Fn(&parse::Block<'_>, &mut parse::Hits<T>) + Sync,
        then: impl FnOnce(Vec<parse::Found<T>>) -> R + Send,
    ) -> (Log, R) {
        if texts.len() == 1 {
            if let Some(text) = texts.pop() {
                let (source, r) = Source::index_visit(text, &visit, |found| then(vec![found]));
                return (Log::from_sources(vec![source]), r);
            }
        }
        let mut sources = Vec::with_capacity(texts.len());
        let mut found = Vec::with_capacity(texts.len());
        for text in texts {
            let (source, hits) = Source::index_visit(text, &visit, |found| found);
            sources.push(source);
            found.push(hits);
        }
        (Log::from_sources(sources), then(found))
    }

    /// Refuses a log with a source past [`parse::MAX_RECORDS`] (see
    /// [`Source::check_records`]).
    pub fn check_records(&self) -> Result<(), SourceError> {
        self.sources.iter().try_for_each(Source::check_records)
    }

    /// Builds a log from sources already framed, merging them by time when several.
    pub fn from_sources(sources: Vec<Source>) -> Log {
        let merged = if sources.len() > 1 {
            merge_by_time(&sources)
        } else {
            Vec::new()
        };
        let mut inverse: Vec<Vec<u32>> = Vec::new();
        if sources.len() > 1 {
            inverse = sources.iter().map(|s| vec![0; s.records.len()]).collect();
            for (pos, r) in merged.iter().enumerate() {
                if let Some(slot) = inverse
                    .get_mut(r.source as usize)
                    .and_then(|v| v.get_mut(r.index as usize))
                {
                    *slot = pos as u32;
                }
            }
        }
        Log {
            sources,
            merged,
            inverse,
        }
    }

    /// Records a record appended at the end of the merged order.
    fn push_merged(&mut self, r: RecordRef) {
        let pos = self.merged.len() as u32;
        self.merged.push(r);
        let si = r.source as usize;
        if self.inverse.len() <= si {
            self.inverse.resize(si + 1, Vec::new());
        }
        self.inverse[si].push(pos);
    }

    /// Appends records to source `source` (see [`Source::append`]). A live log grows in the
    /// order its records arrive: they go after everything already there, so that positions
    /// already handed out (rows, the analysis) stay valid.
    pub fn append(&mut self, source: usize, text: &[u8], records: &[RecordMeta], orig_offset: u64) {
        let Some(src) = self.sources.get_mut(source) else {
            return;
        };
        let first = src.records.len();
        src.append(text, records, orig_offset);
        if self.sources.len() > 1 {
            for i in first..first + records.len() {
                self.push_merged(RecordRef {
                    source: source as u32,
                    index: i as u32,
                });
            }
        }
    }

    /// Removes the records of source `source` from index `first` on (see
    /// [`Source::retract`]). They are the last ones appended to it; with several sources,
    /// records appended to others since move up to close the gap.
    pub fn retract(&mut self, source: usize, first: usize, orig_offset: u64) {
        let Some(src) = self.sources.get_mut(source) else {
            return;
        };
        src.retract(first, orig_offset);
        if self.sources.len() > 1 {
            let s = source as u32;
            self.merged
                .retain(|r| r.source != s || (r.index as usize) < first);
            for v in &mut self.inverse {
                v.clear();
            }
            self.inverse.resize(self.sources.len(), Vec::new());
            for (pos, r) in self.merged.iter().enumerate() {
                if let Some(v) = self.inverse.get_mut(r.source as usize) {
                    // Records of a source come in index order in the merged sequence.
                    v.push(pos as u32);
                }
            }
        }
    }

    /// Adds a source (a stream that starts while the log is shown), after every record
    /// already there; returns its index.
    pub fn push_source(&mut self, source: Source) -> usize {
        if self.sources.len() == 1 {
            // One source reads through the identity; with two the order must be spelled out.
            let n = self.sources[0].records.len();
            self.merged.clear();
            self.inverse.clear();
            for i in 0..n {
                self.push_merged(RecordRef {
                    source: 0,
                    index: i as u32,
                });
            }
        }
        let added = source.records.len();
        self.sources.push(source);
        let si = self.sources.len() - 1;
        if self.sources.len() > 1 {
            for i in 0..added {
                self.push_merged(RecordRef {
                    source: si as u32,
                    index: i as u32,
                });
            }
        }
        si
    }

    /// Number of records across all sources.
    pub fn len(&self) -> usize {
        if self.sources.len() == 1 {
            self.sources[0].records.len()
        } else {
            self.merged.len()
        }
    }

    /// True when there is no record at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The record at position `pos` of the merged sequence.
    pub fn at(&self, pos: usize) -> RecordRef {
        if self.sources.len() == 1 {
            RecordRef {
                source: 0,
                index: pos as u32,
            }
        } else {
            self.merged.get(pos).copied().unwrap_or(RecordRef {
                source: 0,
                index: 0,
            })
        }
    }

    /// Position in the merged sequence of a record (inverse of [`Log::at`]).
    pub fn position(&self, r: RecordRef) -> usize {
        if self.sources.len() == 1 {
            r.index as usize
        } else {
            self.inverse
                .get(r.source as usize)
                .and_then(|v| v.get(r.index as usize))
                .map_or(0, |&p| p as usize)
        }
    }

    /// The source a record belongs to.
    pub fn source(&self, r: RecordRef) -> &Source {
        &self.sources[r.source as usize]
    }

    /// The metadata of a record.
    pub fn meta(&self, r: RecordRef) -> RecordMeta {
        self.source(r).records[r.index as usize]
    }

    /// The fields of a record.
    pub fn fields(&self, r: RecordRef) -> Fields<'_> {
        self.source(r).fields(r.index as usize)
    }

    /// A record's message as text.
    pub fn message(&self, r: RecordRef) -> Cow<'_, str> {
        parse::lossy(self.fields(r).message)
    }
}

/// Orders every record of several sources by UTC time, stably. A record with no readable
/// time takes the time of the record before it in its own source, so continuation and
/// plain lines stay next to their neighbours.
///
/// A record's key is the latest time read in its source so far, so each source's keys never
/// go down: the order is a merge of sorted runs rather than a sort. Each step takes, from
/// the source whose next record comes first, every record up to the next record of any
/// other source, found by bisection; two logs that do not overlap in time merge in one step.
fn merge_by_time(sources: &[Source]) -> Vec<RecordRef> {
    let mut day = None;
    let keys: Vec<Vec<i64>> = (sources.iter())
        .map(|src| {
            let mut last = i64::MIN;
            (src.records.iter().enumerate())
                .map(|(i, meta)| {
                    if let Some(t) = parse::utc_of(meta, src.raw(i), &mut day) {
                        last = t.max(last);
                    }
                    last
                })
                .collect()
        })
        .collect();
    let mut merged = Vec::with_capacity(keys.iter().map(Vec::len).sum());
    let mut next = vec![0usize; keys.len()];
    loop {
        // The first next record of all, (key, source), and the first of the others.
        let mut first: Option<(i64, usize)> = None;
        let mut second: Option<(i64, usize)> = None;
        for (s, k) in keys.iter().enumerate() {
            let Some(&t) = next.get(s).and_then(|&i| k.get(i)) else {
                continue;
            };
            if first.is_none_or(|f| (t, s) < f) {
                second = first;
                first = Some((t, s));
            } else if second.is_none_or(|o| (t, s) < o) {
                second = Some((t, s));
            }
        }
        let Some((_, s)) = first else {
            break;
        };
        let (Some(k), Some(from)) = (keys.get(s), next.get(s).copied()) else {
            break;
        };
        let run = k.get(from..).unwrap_or_default();
        // Ties go to the lower source, as a stable sort by (time, source, index) puts them.
        let take = match second {
            None => run.len(),
            Some(o) => run.partition_point(|&t| (t, s) < o).max(1),
        };
        merged.extend((from..from + take).map(|i| RecordRef {
            source: s as u32,
            index: i as u32,
        }));
        if let Some(n) = next.get_mut(s) {
            *n = from + take;
        }
    }
    merged
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    fn src(name: &str, text: &str) -> Source {
        Source::index(SourceText::from_vec(name.into(), text.as_bytes().to_vec()))
    }

    #[test]
    fn merged_positions_invert() {
        let rec = |t: &str, m: &str| {
            format!("<![LOG[{m}]LOG]!><time=\"{t}.000+0\" date=\"11-26-2026\" component=\"C\" type=\"1\" thread=\"1\">\r\n")
        };
        let a = src("a", &(rec("10:00:00", "a1") + &rec("10:00:02", "a2")));
        let b = src("b", &(rec("10:00:01", "b1") + &rec("10:00:03", "b2")));
        let mut log = Log::from_sources(vec![a, b]);
        let order: Vec<String> = (0..log.len())
            .map(|p| log.message(log.at(p)).into_owned())
            .collect();
        assert_eq!(order, ["a1", "b1", "a2", "b2"]);
        for p in 0..log.len() {
            assert_eq!(log.position(log.at(p)), p);
        }
        let extra = rec("10:00:04", "b3");
        let f = crate::parse::frame(extra.as_bytes(), 0, extra.len(), 3, true);
        log.append(1, extra.as_bytes(), &f.records, 0);
        let last = log.len() - 1;
        assert_eq!(log.message(log.at(last)), "b3");
        assert_eq!(log.position(log.at(last)), last);
    }

    proptest::proptest! {
        /// The merge of sorted runs orders records as a stable sort of every record by its
        /// key (the latest time of its source so far) does: logs that overlap, interleave,
        /// share times, go back in time, or have records with no time.
        #[test]
        fn merge_orders_as_a_stable_sort_by_time(
            logs in proptest::collection::vec(
                proptest::collection::vec(proptest::option::of(0u32..6), 0..40),
                1..5,
            ),
        ) {
            let sources: Vec<Source> = (logs.iter().enumerate())
                .map(|(s, log)| {
                    let text: String = (log.iter().enumerate())
                        .map(|(i, t)| match t {
                            Some(t) => format!(
                                "<![LOG[s{s} r{i}]LOG]!><time=\"10:00:0{t}.000+000\" date=\"11-26-2026\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n"
                            ),
                            None => format!("s{s} r{i} with no time\r\n"),
                        })
                        .collect();
                    src(&format!("s{s}"), &text)
                })
                .collect();
            let mut keyed = Vec::new();
            let mut day = None;
            for (si, src) in sources.iter().enumerate() {
                let mut last = i64::MIN;
                for (i, meta) in src.records.iter().enumerate() {
                    if let Some(t) = parse::utc_of(meta, src.raw(i), &mut day) {
                        last = t.max(last);
                    }
                    keyed.push((last, RecordRef { source: si as u32, index: i as u32 }));
                }
            }
            keyed.sort_by_key(|(t, r)| (*t, *r));
            let want: Vec<RecordRef> = keyed.into_iter().map(|(_, r)| r).collect();
            proptest::prop_assert_eq!(merge_by_time(&sources), want);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Encoding;

    fn rec(i: usize) -> String {
        format!("<![LOG[message {i}]LOG]!><time=\"10:00:0{i}.000+000\" date=\"01-01-2026\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n")
    }

    #[test]
    fn appended_batches_index_like_the_whole_text() {
        let whole: String = (0..6).map(rec).collect();
        let expect = Source::index(SourceText::from_vec("t".into(), whole.clone().into_bytes()));
        let mut grown = Source::streaming("t".into(), Encoding::Utf8);
        let mut offset = 0u64;
        let mut line = 1u32;
        for part in [0..2usize, 2..3, 3..6] {
            let text: String = part.map(rec).collect();
            let framed = parse::frame(text.as_bytes(), 0, text.len(), line, false);
            grown.append(text.as_bytes(), &framed.records, offset);
            offset += text.len() as u64;
            line = framed.resume_line;
        }
        assert_eq!(grown.records, expect.records);
        assert_eq!(grown.text.bytes(), expect.text.bytes());
        assert_eq!(grown.fields(5).message, b"message 5");
    }

    #[test]
    fn a_pushed_source_and_its_appends_go_after_what_was_there() {
        let one = Source::index(SourceText::from_vec("a".into(), rec(5).into_bytes()));
        let mut log = Log::from_sources(vec![one]);
        let si = log.push_source(Source::streaming("-".into(), Encoding::Utf8));
        let text = rec(1);
        let framed = parse::frame(text.as_bytes(), 0, text.len(), 1, false);
        log.append(si, text.as_bytes(), &framed.records, 0);
        assert_eq!(log.len(), 2);
        // Arrival order, not time order: positions already shown never move.
        assert_eq!(
            log.at(0),
            RecordRef {
                source: 0,
                index: 0
            }
        );
        assert_eq!(
            log.at(1),
            RecordRef {
                source: 1,
                index: 0
            }
        );
        assert_eq!(log.message(log.at(1)), "message 1");
    }
}

#[cfg(test)]
mod slice_tests {
    use super::*;

    fn records(text: &[u8], slice: Option<usize>) -> Vec<RecordMeta> {
        let t = SourceText::from_vec("t".into(), text.to_vec());
        match slice {
            None => Source::index(t).records,
            Some(n) => Source::index_in_slices(t, n, |_, _| {}).records,
        }
    }

    /// The explorer frames a large log in slices to show its progress; a slice cut in a run
    /// of blank lines made those lines a record of their own, and one cut in a Windows Setup
    /// record's continuation lines split the record.
    #[test]
    fn framing_in_slices_equals_the_whole() {
        let setup = "2019-03-01 10:15:07, Info                  SP     one\r\n  cont\r\n\r\n[1712.2044] [0x80070002] FIOReadFileIntoBuffer:(1454): x\r\n2019-03-01 10:15:08, Error                 SP     two\r\n  more\r\n  and more\r\n\r\n\r\n";
        let mut texts: Vec<Vec<u8>> = vec![
            b"first\n\n\n\n\n\n\n\nsecond\n\n\n\n\n\nthird\n".to_vec(),
            b"\n".repeat(300),
            setup.repeat(20).into_bytes(),
        ];
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-logs");
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            if entry.path().extension().is_some_and(|e| e == "log") {
                texts.push(std::fs::read(entry.path()).unwrap());
            }
        }
        for text in &texts {
            let whole = records(text, None);
            for slice in [7, 64, 1000, 4096] {
                assert_eq!(
                    records(text, Some(slice)),
                    whole,
                    "slices of {slice} bytes: {:?}",
                    String::from_utf8_lossy(&text[..text.len().min(80)])
                );
            }
        }
    }
}
