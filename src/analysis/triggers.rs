//! The records the chain and step builders read: frames (`HRESULT=`), chain summaries and
//! TSManager's step messages, found by their literals and read on the spot.
//!
//! The search runs over a block of records at a time, and each record a hit falls in is
//! read at once, from its message (CMTrace attribute tails hold no trigger). So it can run
//! inside framing ([`crate::parse::index_visit`]) while the block's bytes are in cache, or
//! over a source already framed ([`of_source`]).

use std::sync::OnceLock;

use super::{chains, steps, ChainEvent, Marks, StepEvent};
use crate::log::Source;
use crate::multilit::MultiLit;
use crate::parse::{Block, Format, Found, Hits, RecordMeta, Timestamp};

/// What the builders need of one trigger record, read while its bytes were in cache.
#[derive(Debug)]
pub struct Trigger {
    /// Which literals it holds.
    pub marks: Marks,
    /// Its message holds one of the rules' literals (searched with the triggers' by
    /// [`Triggers::with_rules`]); a record with no marks is not read, only named.
    pub rule_literal: bool,
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
    /// Every literal, for a block with records of other formats than CMTrace; planned when
    /// such a block first comes (a task-sequence log never needs it).
    searcher: OnceLock<Option<Searcher>>,
    /// The same without the tool literals a CMTrace log never holds (Setup's, DISM's):
    /// the shortest of them ("PXE-E") would shorten the search's step. Pattern ids are
    /// the same in both, up to the rules' literals.
    cmtrace: Searcher,
    /// Pattern ids of the summary literals; every other id but 0 (`HRESULT=`) is a step's.
    summary: std::ops::Range<usize>,
    /// Pattern ids of [`super::ends::TOOL_TRIGGERS`] (step literals too).
    tool: std::ops::Range<usize>,
    /// The rules' literals searched beside the triggers' ([`Triggers::with_rules`]).
    rules: Vec<Box<[u8]>>,
    /// Text the search with the rules' literals is planned for ([`MultiLit::with_sample`]).
    sample: Vec<u8>,
    /// Bytes searched between two prefetches of the next block ([`PART`]; tests cut finer).
    part: usize,
}

/// The trigger literals' search over one message, with the rules' literals after them.
///
/// The search ignores ASCII case, and reports every occurrence; a trigger counts only as
/// written, and as a leftmost-first search for the triggers alone would find it (at the
/// leftmost start the literal listed first, the search going on past its end): "Failed to"
/// is then found, not "Failed to run the action", as the builders expect.
struct Searcher {
    search: MultiLit,
    /// The trigger literals, by id; ids past them are the rules' literals.
    triggers: Vec<&'static str>,
}

impl Searcher {
    /// The search for `triggers` and `rules`, planned for text like `sample` when the
    /// rules' literals are many (theirs are the windows worth placing).
    fn build(triggers: Vec<&'static str>, rules: &[Box<[u8]>], sample: &[u8]) -> Option<Searcher> {
        let mut all: Vec<&[u8]> = triggers.iter().map(|t| t.as_bytes()).collect();
        all.extend(rules.iter().map(|r| &r[..]));
        let search = match rules.is_empty() || sample.is_empty() {
            true => MultiLit::new(&all)?,
            false => MultiLit::with_sample(&all, sample)?,
        };
        Some(Searcher { search, triggers })
    }

    /// Calls `trigger(id)` for each trigger in `msg` and returns whether it holds one of
    /// the rules' literals.
    fn search(&self, msg: &[u8], mut trigger: impl FnMut(usize)) -> bool {
        let mut rule = false;
        // Where a leftmost-first search would go on from.
        let mut next = 0;
        // Occurrences come by start, then id: the first taken at a start is the literal
        // listed first.
        self.search
            .for_each_match(msg, |id, start| match self.triggers.get(id) {
                None => rule = true,
                Some(lit) => {
                    if start >= next && msg[start..].starts_with(lit.as_bytes()) {
                        next = start + lit.len();
                        trigger(id);
                    }
                }
            });
        rule
    }
}

impl Triggers {
    /// The searcher for the engine's literals.
    pub fn new() -> Option<Triggers> {
        Triggers::with_rules(Vec::new(), Vec::new())
    }

    /// [`Triggers::new`], built once per process (it is built from constants): building
    /// it costs more than reading a small log's triggers, and a scan opens thousands.
    pub fn shared() -> Option<&'static Triggers> {
        static T: OnceLock<Option<Triggers>> = OnceLock::new();
        T.get_or_init(Triggers::new).as_ref()
    }

    /// [`Triggers::new`], also looking for `rules` (the rules' literals, see
    /// [`Trigger::rule_literal`]) in the same pass: `report` reads a large log's text
    /// once for both, while framing, instead of searching every message again for the
    /// rules. The search is planned for text like `sample`, a part of the log.
    pub(crate) fn with_rules(rules: Vec<Box<[u8]>>, sample: Vec<u8>) -> Option<Triggers> {
        let mut lits: Vec<&'static str> = vec!["HRESULT="];
        lits.extend(chains::SUMMARY_TRIGGERS);
        lits.extend(steps::TRIGGERS);
        lits.extend(super::ends::TRIGGERS);
        let tool = lits.len()..lits.len() + super::ends::TOOL_TRIGGERS.len();
        lits.extend(&super::ends::TOOL_TRIGGERS[..super::ends::CMTRACE_TOOL_TRIGGERS]);
        Some(Triggers {
            cmtrace: Searcher::build(lits, &rules, &sample)?,
            searcher: OnceLock::new(),
            summary: 1..1 + chains::SUMMARY_TRIGGERS.len(),
            tool,
            rules,
            sample,
            part: PART,
        })
    }

    /// The searcher for every literal (see [`Triggers::searcher`]).
    fn every_format(&self) -> Option<&Searcher> {
        self.searcher
            .get_or_init(|| {
                let mut lits = self.cmtrace.triggers.clone();
                lits.extend(&super::ends::TOOL_TRIGGERS[super::ends::CMTRACE_TOOL_TRIGGERS..]);
                Searcher::build(lits, &self.rules, &self.sample)
            })
            .as_ref()
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
        // Each record's message is searched (a CMTrace attribute tail holds no trigger, and
        // skipping the tails halves the bytes), in parts of the block, each first asking
        // for its share of the next block's bytes. The search that also finds the rules'
        // literals costs little more than one for the triggers alone, so `report` does not
        // read the text again for the rules.
        let Some(start) = block.records.first().map(|r| r.start as usize) else {
            return;
        };
        let searcher = if block.records.iter().all(|r| r.format() == Format::CmTrace) {
            &self.cmtrace
        } else {
            match self.every_format() {
                Some(s) => s,
                // Built from constants and literals the rules' own search took.
                None => &self.cmtrace,
            }
        };
        let mut k = 0;
        for (from, to) in parts(block, start, self.part) {
            block.prefetch_after(from - start..to - start);
            while let Some(meta) = block.records.get(k).filter(|r| (r.start as usize) < to) {
                let raw = block.raw(k);
                let mut marks: Option<Marks> = None;
                let rule_literal = searcher.search(meta.message(raw), |id| {
                    self.mark(marks.get_or_insert_with(Marks::default), id)
                });
                let found = match marks {
                    Some(marks) => Some(read_marked(meta, raw, marks)),
                    None => rule_literal.then(Trigger::unread),
                };
                if let Some(mut t) = found {
                    t.rule_literal = rule_literal;
                    out.push((block.first + k as u32, t));
                }
                k += 1;
            }
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
        rule_literal: false,
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

impl Trigger {
    /// A record with no trigger, named for its rule literal only.
    fn unread() -> Trigger {
        Trigger {
            marks: Marks::default(),
            rule_literal: true,
            thread: None,
            component: None,
            time: None,
            chain: None,
            step: None,
        }
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

    /// Each record's marks equal those of a leftmost-first search (Aho-Corasick's) of the
    /// record's message for the trigger literals alone, whatever the case of the text and
    /// with the rules' literals searched beside them; the rules' literals are found where
    /// a search for them alone finds them.
    #[test]
    fn marks_are_a_leftmost_first_search_of_each_message() {
        // In parts of a few bytes: parts are cut at record starts.
        let rules: Vec<Box<[u8]>> = [&b"failed to run"[..], b"returned code", b"nothing h"]
            .iter()
            .map(|l| Box::from(*l))
            .collect();
        let sample = b"<![LOG[nothing here, failed to]LOG]!>".to_vec();
        let searchers = [Vec::new(), rules.clone()].map(|r| {
            let mut t = Triggers::with_rules(r, sample.clone()).expect("trigger searcher");
            t.part = 5;
            t
        });
        let mut text = String::new();
        text.push_str("<![LOG[Start executing an instruction. Instruction name: A. Instruction pointer: 0]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2024\" component=\"HRESULT=\" context=\"\" type=\"1\" thread=\"1\" file=\"Failed to\">\n");
        text.push_str("<![LOG[nothing here]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2024\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"1\" file=\"returned code\">\n");
        text.push_str("<![LOG[first line\nsecond, HRESULT=80004005 (x.cpp,1)\nFailed to run the action: A]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2024\" component=\"C\" context=\"\" type=\"3\" thread=\"2\" file=\"x\">\n");
        text.push_str("plain text Code(0x80004005) returned code 5\n");
        text.push_str(
            "FAILED TO hresult= failed to Failed tFailed to run the action Setting wizard error\n",
        );
        text.push_str("<![LOG[never closed HRESULT=80004005\n");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs");
        let mut texts = vec![text.into_bytes()];
        for entry in std::fs::read_dir(&dir).expect("sample-logs") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "log") {
                texts.push(std::fs::read(&path).expect("sample"));
            }
        }
        // Each record's marks and rule literal from the searcher, and from Aho-Corasick
        // over its own message.
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
            let got: Vec<(u32, Option<Marks>, bool)> = (found.iter())
                .map(|(k, t)| {
                    (
                        *k,
                        Some(t.marks).filter(|m| *m != Marks::default()),
                        t.rule_literal,
                    )
                })
                .collect();
            // A CMTrace text is searched without the tool literals its logs never hold.
            let searcher = match records.iter().all(|r| r.format() == Format::CmTrace) {
                true => &t.cmtrace,
                false => t.every_format().expect("searcher"),
            };
            let reference = aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(&searcher.triggers)
                .expect("automaton");
            let rules = aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&t.rules)
                .expect("automaton");
            let mut want = Vec::new();
            for (k, r) in records.iter().enumerate() {
                let msg = r.message(block.raw(k));
                let mut marks: Option<Marks> = None;
                for m in reference.find_iter(msg) {
                    t.mark(
                        marks.get_or_insert_with(Marks::default),
                        m.pattern().as_usize(),
                    );
                }
                let rule = !t.rules.is_empty() && rules.is_match(msg);
                if marks.is_some() || rule {
                    want.push((k as u32, marks, rule));
                }
            }
            (got, want)
        };
        for text in &texts {
            for t in &searchers {
                let (got, want) = both(t, text);
                assert_eq!(got, want);
            }
        }
        let marks = |frame, step, summary| {
            Some(Marks {
                frame,
                step,
                summary,
                tool: false,
            })
        };
        let (got, _) = both(&searchers[1], &texts[0]);
        let want = vec![
            (0, marks(false, true, false), false),
            (1, None, true),
            (2, marks(true, false, true), true),
            (3, marks(false, false, true), true),
            (4, marks(false, false, true), true),
            (5, marks(true, false, false), false),
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
