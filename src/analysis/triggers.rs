//! The records the chain and step builders read: frames (`HRESULT=`), chain summaries and
//! TSManager's step messages, found by their literals and read on the spot.
//!
//! The search runs over a block of records at a time, and each record a hit falls in is
//! read at once, from its message (CMTrace attribute tails hold no trigger). So it can run
//! inside framing ([`crate::parse::index_visit`]) while the block's bytes are in cache, or
//! over a source already framed ([`of_source`]).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::{chains, steps, ChainEvent, Marks, StepEvent};
use crate::log::Source;
use crate::parse::{Block, Format, Found, Hits, RecordMeta, Timestamp};

/// What the builders need of one trigger record, read while its bytes were in cache.
#[derive(Debug)]
pub struct Trigger {
    /// Which literals it holds.
    pub marks: Marks,
    /// Its thread.
    pub thread: Option<u32>,
    /// Its component, for frames only (a chain's first frame names the chain's component).
    pub component: Option<Box<str>>,
    /// Its time.
    pub time: Option<Timestamp>,
    /// What it says about chains (frames and summaries).
    pub chain: Option<ChainEvent>,
    /// What it says about the timeline (step messages and summaries).
    pub step: Option<StepEvent>,
}

/// The trigger literals and their searcher.
pub struct Triggers {
    searcher: Searcher,
    /// The same without the tool literals a CMTrace log never holds (Setup's, DISM's):
    /// fewer literals make the packed search cheaper over the task-sequence logs that are
    /// most of the bytes. Pattern ids are the same in both.
    cmtrace: Searcher,
    /// Pattern ids of the summary literals; every other id but 0 (`HRESULT=`) is a step's.
    summary: std::ops::Range<usize>,
    /// Pattern ids of [`super::ends::TOOL_TRIGGERS`] (step literals too).
    tool: std::ops::Range<usize>,
    /// Bytes searched between two prefetches of the next block ([`PART`]; tests cut finer).
    part: usize,
}

/// The literals are few and case-sensitive: Teddy, the packed SIMD searcher, finds them
/// and checks its own candidates. The automaton, which would check each candidate again,
/// stands in on CPUs without SIMD, where no packed searcher can be built.
enum Searcher {
    Packed(aho_corasick::packed::Searcher),
    Automaton(AhoCorasick),
}

impl Searcher {
    /// The packed searcher where it can be built when `packed` says so, else the automaton.
    fn build(lits: &[&str], packed: bool) -> Option<Searcher> {
        // "Failed to" and "Failed to run the action" start at the same byte: the first
        // listed wins, and a summary is read for steps too (see `read_marked`).
        let p = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(lits)
            .build()
            .filter(|_| packed);
        Some(match p {
            Some(p) => Searcher::Packed(p),
            None => Searcher::Automaton(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    // The DFA is several times faster than the default NFA over gigabytes.
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(lits)
                    .ok()?,
            ),
        })
    }

    /// The leftmost-first matches in `hay`.
    fn find_iter<'s, 'h>(&'s self, hay: &'h [u8]) -> Matches<'s, 'h> {
        match self {
            Searcher::Packed(s) => Matches::Packed(s.find_iter(hay)),
            Searcher::Automaton(s) => Matches::Automaton(s.find_iter(hay)),
        }
    }
}

/// What [`Searcher::find_iter`] gives, from either searcher.
enum Matches<'s, 'h> {
    Packed(aho_corasick::packed::FindIter<'s, 'h>),
    Automaton(aho_corasick::FindIter<'s, 'h>),
}

impl Iterator for Matches<'_, '_> {
    type Item = aho_corasick::Match;

    fn next(&mut self) -> Option<aho_corasick::Match> {
        match self {
            Matches::Packed(m) => m.next(),
            Matches::Automaton(m) => m.next(),
        }
    }
}

impl Triggers {
    /// The searcher for the engine's literals.
    pub fn new() -> Option<Triggers> {
        Triggers::with(true)
    }

    /// [`Triggers::new`], built once per process (it is built from constants): building
    /// it costs more than reading a small log's triggers, and a scan opens thousands.
    pub fn shared() -> Option<&'static Triggers> {
        static T: std::sync::OnceLock<Option<Triggers>> = std::sync::OnceLock::new();
        T.get_or_init(Triggers::new).as_ref()
    }

    /// [`Triggers::new`], with the packed searcher where it can be built when `packed`
    /// says so, else with the automaton (the tests hold the two to the same results).
    fn with(packed: bool) -> Option<Triggers> {
        let mut lits: Vec<&str> = vec!["HRESULT="];
        lits.extend(chains::SUMMARY_TRIGGERS);
        lits.extend(steps::TRIGGERS);
        lits.extend(super::ends::TRIGGERS);
        let tool = lits.len()..lits.len() + super::ends::TOOL_TRIGGERS.len();
        let mut cm_lits = lits.clone();
        cm_lits.extend(&super::ends::TOOL_TRIGGERS[..super::ends::CMTRACE_TOOL_TRIGGERS]);
        lits.extend(super::ends::TOOL_TRIGGERS);
        Some(Triggers {
            searcher: Searcher::build(&lits, packed)?,
            cmtrace: Searcher::build(&cm_lits, packed)?,
            summary: 1..1 + chains::SUMMARY_TRIGGERS.len(),
            tool,
            part: PART,
        })
    }

    /// Which literal a match of pattern `id` is.
    fn mark(&self, marks: &mut Marks, id: usize) {
        if id == 0 {
            marks.frame = true;
        } else if self.summary.contains(&id) {
            marks.summary = true;
        } else {
            marks.step = true;
            marks.tool |= self.tool.contains(&id);
        }
    }

    /// Reads the trigger records of a freshly framed block (a visitor for
    /// [`crate::parse::index_visit`]).
    pub fn visit(&self, block: &Block<'_>, out: &mut Hits<Trigger>) {
        // One search over the whole block runs at SIMD speed; searching record by record
        // would pay the searcher's start-up millions of times (measured: a search per
        // message skips the tails but costs as much). Each hit is then placed in its
        // record, and counts when it lies in the bytes `RecordMeta::message` keeps (a hit
        // in a CMTrace attribute tail is none). No literal holds a newline or a `]`, so a
        // hit never straddles a record's start or its `]LOG]!>`: the marks are those a
        // search of the record's own bytes would give, and no record is searched twice.
        let Some(start) = block.records.first().map(|r| r.start as usize) else {
            return;
        };
        let hay = block.text.get(start..block.end).unwrap_or_default();
        let searcher = if block.records.iter().all(|r| r.format() == Format::CmTrace) {
            &self.cmtrace
        } else {
            &self.searcher
        };
        let finish = |k: usize, marks: Option<Marks>, out: &mut Hits<Trigger>| {
            if let Some(marks) = marks {
                out.push((
                    block.first + k as u32,
                    read_marked(&block.records[k], block.raw(k), marks),
                ));
            }
        };
        // The record the last hit fell in: its number, the searched bytes' bounds in the
        // text, and the marks so far.
        let mut cur: Option<(usize, std::ops::Range<usize>, Option<Marks>)> = None;
        let mut k = 0usize;
        for (from, to) in parts(block, start, self.part) {
            block.prefetch_after(from - start..to - start);
            for m in searcher.find_iter(&hay[from - start..to - start]) {
                let at = from + m.start();
                while block
                    .records
                    .get(k + 1)
                    .is_some_and(|r| r.start as usize <= at)
                {
                    k += 1;
                }
                if cur.as_ref().is_none_or(|c| c.0 != k) {
                    if let Some((j, _, marks)) = cur.take() {
                        finish(j, marks, out);
                    }
                    let raw = block.raw(k);
                    let kept = block.records[k].message(raw);
                    // `kept` lies within `raw`, which lies within the text.
                    let from = block.records[k].start as usize
                        + (kept.as_ptr() as usize - raw.as_ptr() as usize);
                    cur = Some((k, from..from + kept.len(), None));
                }
                if let Some((_, kept, marks)) = cur.as_mut() {
                    if kept.start <= at && from + m.end() <= kept.end {
                        self.mark(
                            marks.get_or_insert_with(Marks::default),
                            m.pattern().as_usize(),
                        );
                    }
                }
            }
        }
        if let Some((j, _, marks)) = cur {
            finish(j, marks, out);
        }
    }
}

/// The block's bytes from `start` cut into parts of about `size` bytes at record starts, as
/// text offsets. No literal holds a newline, so no hit straddles two parts.
fn parts<'b>(
    block: &'b Block<'_>,
    start: usize,
    size: usize,
) -> impl Iterator<Item = (usize, usize)> + 'b {
    let mut from = start;
    let mut records = block.records.iter().map(|r| r.start as usize);
    std::iter::from_fn(move || {
        if from >= block.end {
            return None;
        }
        let to = records.find(|&s| s >= from + size).unwrap_or(block.end);
        let part = (from, to);
        from = to;
        Some(part)
    })
}

/// Bytes searched between two prefetches of the next block. A core has about a dozen
/// cache-line fetches in flight at once: asking for many more lines in one go waits for
/// them, asking for 16 at a time keeps memory busy while the search runs (1 KiB measured
/// about 5% less CPU than 16 KiB on the 1 GB log).
const PART: usize = 1 << 10;

/// Reads a record known to hold the triggers `marks` says.
fn read_marked(meta: &RecordMeta, raw: &[u8], marks: Marks) -> Trigger {
    let f = crate::parse::fields_of(meta, raw);
    let message = f.message_str();
    Trigger {
        marks,
        thread: f.thread,
        component: f
            .component
            .filter(|_| marks.frame)
            .and_then(|c| std::str::from_utf8(c).ok())
            .map(Box::from),
        time: f.timestamp(),
        chain: (marks.frame || marks.summary)
            .then(|| chains::chain_event(&message))
            .flatten(),
        // Wizard errors are found as summaries; the timeline reads them too.
        step: (marks.step || marks.summary)
            .then(|| steps::step_event_at(&message, Some(meta.severity()), Some(marks.tool)))
            .flatten(),
    }
}

/// The trigger records of a source already framed, on every core, in record order.
pub fn of_source(src: &Source, triggers: &Triggers) -> Found<Trigger> {
    of_range(src, triggers, 0..src.records.len())
}

/// [`of_source`] for the records `records` only (a live log's new ones): what the search
/// of the whole source finds in them, as no literal crosses a record's start.
pub fn of_range(
    src: &Source,
    triggers: &Triggers,
    records: std::ops::Range<usize>,
) -> Found<Trigger> {
    let records = records.start..records.end.min(src.records.len());
    let n = records.len();
    // Small ranges are not worth a thread.
    let parts = if n < 20_000 { 1 } else { crate::par::cores() };
    let text = src.text.bytes();
    let base = records.start;
    let ranges: Vec<(usize, usize)> = crate::par::split(n, parts)
        .into_iter()
        .map(|(a, b)| (base + a, base + b))
        .collect();
    let pieces = crate::par::run_ranges(&ranges, |from, to| {
        let mut out = Vec::new();
        let block = Block {
            text,
            records: &src.records[from..to],
            end: src.span(to.saturating_sub(1)).end,
            first: from as u32,
        };
        triggers.visit(&block, &mut out);
        vec![out]
    });
    pieces.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::Log;
    use crate::source::Input;

    /// Each record's marks from the block search equal those of searching the record's
    /// own message: hits in attribute tails, in plain lines and across lines count as
    /// they should.
    #[test]
    fn block_search_marks_records_as_their_own_search_does() {
        // Both searchers, in parts of a few bytes: a cut anywhere but at a record start
        // would split literals.
        let searchers = [true, false].map(|packed| {
            let mut t = Triggers::with(packed).expect("trigger searcher");
            t.part = 5;
            t
        });
        assert!(matches!(searchers[1].searcher, Searcher::Automaton(_)));
        let mut text = String::new();
        text.push_str("<![LOG[Start executing an instruction. Instruction name: A. Instruction pointer: 0]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2024\" component=\"HRESULT=\" context=\"\" type=\"1\" thread=\"1\" file=\"Failed to\">\n");
        text.push_str("<![LOG[nothing here]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2024\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"1\" file=\"returned code\">\n");
        text.push_str("<![LOG[first line\nsecond, HRESULT=80004005 (x.cpp,1)\nFailed to run the action: A]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2024\" component=\"C\" context=\"\" type=\"3\" thread=\"2\" file=\"x\">\n");
        text.push_str("plain text Code(0x80004005) returned code 5\n");
        text.push_str("<![LOG[never closed HRESULT=80004005\n");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs");
        let mut texts = vec![text.into_bytes()];
        for entry in std::fs::read_dir(&dir).expect("sample-logs") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "log") {
                texts.push(std::fs::read(&path).expect("sample"));
            }
        }
        // Each record's marks: from one search over the whole text, and from searching each
        // record's own bytes.
        let both = |t: &Triggers, text: &[u8]| {
            let records = crate::parse::frame(text, 0, text.len(), 1, true).records;
            let block = Block {
                text,
                records: &records,
                end: text.len(),
                first: 0,
            };
            let mut found = Vec::new();
            t.visit(&block, &mut found);
            let by_block: Vec<(u32, Marks)> = found.iter().map(|(k, t)| (*k, t.marks)).collect();
            let mut by_record = Vec::new();
            // A CMTrace text is searched without the tool literals its logs never hold.
            let searcher = match records.iter().all(|r| r.format() == Format::CmTrace) {
                true => &t.cmtrace,
                false => &t.searcher,
            };
            for (k, r) in records.iter().enumerate() {
                let mut marks: Option<Marks> = None;
                for m in searcher.find_iter(r.message(block.raw(k))) {
                    t.mark(
                        marks.get_or_insert_with(Marks::default),
                        m.pattern().as_usize(),
                    );
                }
                if let Some(m) = marks {
                    by_record.push((k as u32, m));
                }
            }
            (by_block, by_record)
        };
        for text in &texts {
            let (by_block, by_record) = both(&searchers[0], text);
            assert_eq!(by_block, by_record);
            assert_eq!(both(&searchers[1], text), (by_block, by_record));
        }
        let marks = |frame, step, summary| Marks {
            frame,
            step,
            summary,
            tool: false,
        };
        let (got, _) = both(&searchers[0], &texts[0]);
        let want = vec![
            (0, marks(false, true, false)),
            (2, marks(true, false, true)),
            (3, marks(false, false, true)),
            (4, marks(true, false, false)),
        ];
        assert_eq!(got, want);
    }

    /// Read while framing or read from a framed log, the trigger records are the same.
    #[test]
    fn framing_and_framed_logs_give_the_same_triggers() {
        let t = Triggers::new().expect("trigger searcher");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs");
        let (mut checked, mut total) = (0, 0);
        for entry in std::fs::read_dir(&dir).expect("sample-logs") {
            let path = entry.expect("entry").path();
            if path.is_dir() || path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let inputs = [Input::File(path.clone())];
            let texts = vec![inputs[0].read().expect("read")];
            let (log, fused) = Log::open_visit(texts, |b, out| t.visit(b, out), |f| f);
            let framed = super::super::find_triggers(&log);
            total += fused[0].len();
            assert_eq!(
                format!("{fused:?}"),
                format!("{framed:?}"),
                "{}",
                path.display()
            );
            checked += 1;
        }
        assert!(
            checked >= 10 && total >= 200,
            "{checked} logs, {total} triggers"
        );
    }
}
