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
use crate::parse::{Block, Format, Found, Timestamp};

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
    /// The literals are few and case-sensitive, so the automaton searches with Teddy, its
    /// SIMD prefilter, where the CPU has one (and without it elsewhere).
    searcher: AhoCorasick,
    /// Pattern ids of the summary literals; every other id but 0 (`HRESULT=`) is a step's.
    summary: std::ops::Range<usize>,
}

impl Triggers {
    /// The searcher for the engine's literals.
    pub fn new() -> Option<Triggers> {
        let mut lits: Vec<&str> = vec!["HRESULT="];
        lits.extend(chains::SUMMARY_TRIGGERS);
        lits.extend(steps::TRIGGERS);
        let searcher = AhoCorasick::builder()
            // "Failed to" and "Failed to run the action" start at the same byte: the first
            // listed wins, and a summary is read for steps too (see `read`).
            .match_kind(MatchKind::LeftmostFirst)
            // The DFA is several times faster than the default NFA over gigabytes.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&lits)
            .ok()?;
        Some(Triggers {
            searcher,
            summary: 1..1 + chains::SUMMARY_TRIGGERS.len(),
        })
    }

    /// Which literals `msg` holds, if any.
    fn marks(&self, msg: &[u8]) -> Option<Marks> {
        let mut marks: Option<Marks> = None;
        for m in self.searcher.find_iter(msg) {
            let id = m.pattern().as_usize();
            let k = marks.get_or_insert_with(Marks::default);
            if id == 0 {
                k.frame = true;
            } else if self.summary.contains(&id) {
                k.summary = true;
            } else {
                k.step = true;
            }
        }
        marks
    }

    /// Reads one record (`raw`: its bytes) when it holds a trigger.
    pub fn read(&self, format: Format, raw: &[u8]) -> Option<Trigger> {
        let marks = self.marks(searched(format, raw))?;
        let f = crate::parse::fields(format, raw);
        let message = f.message_str();
        Some(Trigger {
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
                .then(|| steps::step_event(&message))
                .flatten(),
        })
    }

    /// Reads the trigger records of a freshly framed block (a visitor for
    /// [`crate::parse::index_visit`]).
    pub fn visit(&self, block: &Block<'_>, out: &mut Found<Trigger>) {
        // One search over the whole block runs at SIMD speed; searching record by record
        // would pay the searcher's start-up millions of times. Each hit's record is then
        // read (a hit in a CMTrace attribute tail reads as nothing).
        let Some(start) = block.records.first().map(|r| r.start as usize) else {
            return;
        };
        let hay = block.text.get(start..block.end).unwrap_or_default();
        let (mut k, mut read) = (0usize, None);
        for m in self.searcher.find_iter(hay) {
            let at = (start + m.start()) as u64;
            while block.records.get(k + 1).is_some_and(|r| r.start <= at) {
                k += 1;
            }
            if read == Some(k) {
                continue;
            }
            read = Some(k);
            let format = block.records[k].format();
            if let Some(t) = self.read(format, block.raw(k)) {
                out.push((block.first + k as u32, t));
            }
        }
    }
}

/// The bytes of a record that may hold a trigger: a CMTrace record's message, or all of
/// any other record.
fn searched(format: Format, raw: &[u8]) -> &[u8] {
    if format != Format::CmTrace {
        return raw;
    }
    let body = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let body = body.strip_prefix(b"<![LOG[").unwrap_or(body);
    match crate::parse::rfind_close(body) {
        Some(c) => &body[..c],
        None => raw,
    }
}

/// The trigger records of a source already framed, on every core, in record order.
pub fn of_source(src: &Source, triggers: &Triggers) -> Found<Trigger> {
    let n = src.records.len();
    let threads = std::thread::available_parallelism()
        .map(|t| t.get())
        .unwrap_or(1)
        .clamp(1, 16);
    // Small sources are not worth a thread.
    let parts = if n < 20_000 { 1 } else { threads };
    let text = src.text.bytes();
    crate::par::run_ranges(&crate::par::split(n, parts), |from, to| {
        let mut out = Vec::new();
        let block = Block {
            text,
            records: &src.records[from..to],
            end: src.span(to.saturating_sub(1)).end,
            first: from as u32,
        };
        triggers.visit(&block, &mut out);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::Log;
    use crate::source::Input;

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
            let (log, fused) = Log::open_visit(&inputs, |b, out| t.visit(b, out)).expect("open");
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
