//! Records to facts: HRESULT chains, the task-sequence timeline and known-problem findings.
//!
//! Reading every record's fields would cost more than reading the file, so the analysis
//! first scans the raw text for the few literals it cares about (frames, step messages,
//! the knowledge base's patterns), maps each hit to its record, and parses only those.

pub mod chains;
pub mod multilit;
mod needle;
pub mod prefilter;
pub mod scan;
pub mod steps;

use crate::codes::find_codes;
use crate::kb::{Finding, MatchRecord, RuleSet};
use crate::log::{Log, RecordRef};
use crate::parse::Severity;

pub use chains::{Chain, ChainBuilder, ChainEvent, ChainInput};
pub use steps::{RunOutcome, Step, StepBuilder, StepEvent, StepOutcome, Timeline};

/// Everything the analysis found in a log.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// HRESULT chains in order.
    pub chains: Vec<Chain>,
    /// Steps and the run's outcome.
    pub steps: Timeline,
    /// Known problems, root cause first.
    pub findings: Vec<Finding>,
}

impl Analysis {
    /// Index into `steps.steps` of the step running at merged position `pos`.
    pub fn step_at(&self, pos: usize) -> Option<usize> {
        let i = self.steps.steps.partition_point(|s| s.span.0 <= pos);
        i.checked_sub(1)
    }
}

/// What a scan hit means for a record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    /// Holds `HRESULT=`.
    pub frame: bool,
    /// Holds a step message.
    pub step: bool,
    /// Looks like a chain's summary line.
    pub summary: bool,
    /// Matched the knowledge base's prefilter.
    pub kb: bool,
    /// Is an error record (kept for code-based rules).
    pub error: bool,
}

/// The literals and fallback regex that find candidate records in one pass.
struct Scanner {
    /// Frames, summaries and step messages: few literals, so the scan runs at SIMD speed.
    triggers: Option<aho_corasick::AhoCorasick>,
    /// The knowledge base's literals, ASCII case-insensitive.
    kb: Option<multilit::MultiLit>,
    /// Bits of the trigger literals that mark summaries and step messages.
    summary_bits: u64,
    step_bits: u64,
    /// Patterns with no usable literal, scanned by regex.
    fallback: Option<regex::bytes::Regex>,
}

impl Scanner {
    fn new(rules: &RuleSet) -> Scanner {
        let mut lits: Vec<Vec<u8>> = vec![b"HRESULT=".to_vec()];
        lits.extend(
            chains::SUMMARY_TRIGGERS
                .iter()
                .map(|t| t.as_bytes().to_vec()),
        );
        lits.extend(steps::TRIGGERS.iter().map(|t| t.as_bytes().to_vec()));
        let n_summary = chains::SUMMARY_TRIGGERS.len();
        // literal_hits reports up to 64 literals as bits.
        debug_assert!(lits.len() <= 64);
        let summary_bits = ((1u64 << n_summary) - 1) << 1;
        let step_bits = !(summary_bits | 1);
        let triggers = scan::automaton(&lits, false);
        lits.clear();
        let mut fallback = Vec::new();
        for rule in rules.rules() {
            for sig in rule.signals.iter().chain(&rule.unless) {
                let Some(pat) = &sig.message else { continue };
                match prefilter::required_literals(pat) {
                    Some(set) => lits.extend(set),
                    None if sig.case_sensitive => fallback.push(format!("(?:{pat})")),
                    None => fallback.push(format!("(?i:{pat})")),
                }
            }
        }
        let fallback = (!fallback.is_empty())
            .then(|| {
                regex::bytes::RegexBuilder::new(&fallback.join("|"))
                    .size_limit(64 << 20)
                    .build()
                    .ok()
            })
            .flatten();
        Scanner {
            triggers,
            // Literals are at least prefilter::MIN_LITERAL (4) bytes, as MultiLit needs.
            kb: multilit::MultiLit::new(&lits),
            summary_bits,
            step_bits,
            fallback,
        }
    }
}

impl Marks {
    fn union(self, o: Marks) -> Marks {
        Marks {
            frame: self.frame || o.frame,
            step: self.step || o.step,
            summary: self.summary || o.summary,
            kb: self.kb || o.kb,
            error: self.error || o.error,
        }
    }
}

/// Merges two lists sorted by key into one, joining the marks of equal keys.
fn merge_marks(a: Vec<(usize, Marks)>, b: Vec<(usize, Marks)>) -> Vec<(usize, Marks)> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out: Vec<(usize, Marks)> = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                i += 1;
                j += 1;
                (x.0, x.1.union(y.1))
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                i += 1;
                *x
            }
            (Some(x), None) => {
                i += 1;
                *x
            }
            (_, Some(y)) => {
                j += 1;
                *y
            }
            (None, None) => break,
        };
        match out.last_mut() {
            Some(last) if last.0 == next.0 => last.1 = last.1.union(next.1),
            _ => out.push(next),
        }
    }
    out
}

/// The records worth a closer look, in merged order: those the chain and step builders
/// read, parsed, and every candidate with why it is one.
pub struct Candidates<'a> {
    /// Frames, summaries and step messages, parsed.
    pub parsed: Vec<Parsed<'a>>,
    /// Positions of all candidates (those above included) with their marks.
    pub marks: Vec<(usize, Marks)>,
}

/// Finds the candidate records of a log.
pub fn candidates<'a>(log: &'a Log, rules: &RuleSet) -> Candidates<'a> {
    let scanner = Scanner::new(rules);
    let mut all: Vec<(usize, Marks)> = Vec::new();
    let mut parsed: Vec<Parsed<'a>> = Vec::new();
    for (si, src) in log.sources.iter().enumerate() {
        let to_pos = |index: usize| {
            log.position(RecordRef {
                source: si as u32,
                index: index as u32,
            })
        };
        // Each scan yields records in order; lists are merged, never sorted.
        let t = crate::timing::Stage::start("scan and parse triggers");
        let found: Vec<Parsed<'a>> = match &scanner.triggers {
            Some(ac) => scan::literal_hits(src, ac, |rec, bits| {
                let marks = Marks {
                    frame: bits & 1 != 0,
                    summary: bits & scanner.summary_bits != 0,
                    step: bits & scanner.step_bits != 0,
                    ..Marks::default()
                };
                Some(parse_one(log, to_pos(rec), marks))
            }),
            None => Vec::new(),
        };
        let mut hits: Vec<(usize, Marks)> = found.iter().map(|p| (p.pos, p.marks)).collect();
        if parsed.is_empty() {
            parsed = found;
        } else {
            parsed.extend(found);
        }
        drop(t);
        let kb = Marks {
            kb: true,
            ..Marks::default()
        };
        let t = crate::timing::Stage::start("scan kb literals");
        if let Some(lits) = &scanner.kb {
            let found = scan::message_hits(src, lits);
            hits = merge_marks(hits, found.into_iter().map(|r| (to_pos(r), kb)).collect());
        }
        drop(t);
        let t = crate::timing::Stage::start("scan kb fallback");
        if let Some(re) = &scanner.fallback {
            let found = scan::regex_hits(src, re);
            hits = merge_marks(hits, found.into_iter().map(|r| (to_pos(r), kb)).collect());
        }
        drop(t);
        let _t = crate::timing::Stage::start("scan errors");
        let error = Marks {
            error: true,
            ..Marks::default()
        };
        let errors: Vec<(usize, Marks)> = src
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| r.severity() == Severity::Error)
            .map(|(i, _)| (to_pos(i), error))
            .collect();
        all.extend(merge_marks(hits, errors));
    }
    if log.sources.len() > 1 {
        all.sort_unstable_by_key(|&(p, _)| p);
        parsed.sort_by_key(|p| p.pos);
    }
    Candidates { parsed, marks: all }
}

/// Analyses a whole log.
pub fn analyze(log: &Log, rules: &RuleSet) -> Analysis {
    let Candidates { parsed, marks } = candidates(log, rules);
    // Chains: frames and the summary lines near them; the builders run in order.
    let t = crate::timing::Stage::start("chains and steps");
    let mut cb = ChainBuilder::new();
    let mut sb = StepBuilder::new();
    for p in parsed {
        if let Some(event) = p.chain {
            let input = ChainInput {
                pos: p.pos,
                record: p.record,
                thread: p.thread,
                component: p.component,
                millis: p.time.map(|t| t.utc_millis()),
            };
            cb.apply(&input, event);
        }
        if let Some(event) = p.step {
            sb.apply(p.pos, p.record, event, p.time);
        }
    }
    drop(t);
    let t = crate::timing::Stage::start("finish chains");
    let chains = cb.finish(|r| log.message(r).into_owned());
    drop(t);
    let t = crate::timing::Stage::start("finish timeline");
    let mut timeline = sb.timeline();
    if timeline.steps.is_empty() && timeline.exit_code.is_none() {
        if let Some(last) = chains.last() {
            if timeline.outcome == RunOutcome::Failed {
                timeline.exit_code = Some(last.code);
            }
        }
    }

    drop(t);
    let _t = crate::timing::Stage::start("match rules");
    let mut analysis = Analysis {
        chains,
        steps: timeline,
        findings: Vec::new(),
    };
    analysis.findings = match_rules(log, rules, &marks, &analysis);
    analysis
}

/// The fields of one candidate record that the builders need.
pub struct Parsed<'a> {
    /// Position in merged order.
    pub pos: usize,
    /// Why it is a candidate.
    pub marks: Marks,
    /// The record.
    pub record: RecordRef,
    /// Its thread.
    pub thread: Option<u32>,
    /// Its component.
    pub component: Option<&'a str>,
    /// Its time.
    pub time: Option<crate::parse::Timestamp>,
    /// What it says about chains (frames and summaries).
    pub chain: Option<ChainEvent>,
    /// What it says about the timeline (step messages and summaries).
    pub step: Option<StepEvent>,
}

fn parse_one(log: &Log, pos: usize, marks: Marks) -> Parsed<'_> {
    let record = log.at(pos);
    let f = log.fields(record);
    let message = f.message_str();
    Parsed {
        pos,
        marks,
        record,
        thread: f.thread,
        // Only a chain's first frame names its component.
        component: f
            .component
            .filter(|_| marks.frame)
            .and_then(|c| std::str::from_utf8(c).ok()),
        time: f.timestamp(),
        chain: (marks.frame || marks.summary)
            .then(|| chains::chain_event(&message))
            .flatten(),
        // Wizard errors are found as summaries; the timeline reads them too.
        step: (marks.step || marks.summary)
            .then(|| steps::step_event(&message))
            .flatten(),
    }
}

/// Runs the knowledge base over the candidate records.
pub fn match_rules(
    log: &Log,
    rules: &RuleSet,
    cands: &[(usize, Marks)],
    analysis: &Analysis,
) -> Vec<Finding> {
    if rules.rules().is_empty() {
        return Vec::new();
    }
    let wanted = rules.codes();
    // Messages are borrowed from the log text (copied only when not valid UTF-8), so
    // hundreds of thousands of candidates cost little memory.
    let t = crate::timing::Stage::start("confirm candidates");
    let todo: Vec<(usize, Marks)> = cands
        .iter()
        .filter(|(_, m)| m.kb || m.frame || m.error || m.summary)
        .copied()
        .collect();
    let keep = crate::par::map_chunks(&todo, 10_000, |part| {
        let mut keep = Vec::new();
        for &(pos, m) in part {
            let r = log.at(pos);
            let f = log.fields(r);
            // A literal hit is only a hint: confirm it with the rules' own patterns before
            // paying for codes.
            if m.kb && !(m.frame || m.error || m.summary) && !rules.prefilter().is_match(f.message)
            {
                continue;
            }
            let message = f.message_str();
            let codes: Vec<u32> = find_codes(&message).into_iter().map(|h| h.value).collect();
            if !m.kb && !codes.iter().any(|c| wanted.contains(c)) {
                continue;
            }
            keep.push((pos, r, message, codes));
        }
        keep
    });
    drop(t);
    crate::timing::note(format_args!(
        "rules read {} of {} candidates",
        keep.len(),
        cands.len()
    ));
    let _t = crate::timing::Stage::start("evaluate");
    let recs: Vec<MatchRecord<'_>> = keep
        .iter()
        .map(|(pos, r, message, codes)| MatchRecord {
            index: *pos,
            source: &log.source(*r).text.path,
            line: u64::from(log.meta(*r).line),
            component: log.source(*r).component(r.index as usize),
            message,
            codes,
            step: analysis
                .step_at(*pos)
                .and_then(|i| analysis.steps.steps.get(i))
                .map(|s| s.name.as_str()),
        })
        .collect();
    rules.evaluate(&recs)
}
