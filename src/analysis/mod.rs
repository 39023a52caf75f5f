//! Records to facts: HRESULT chains, the task-sequence timeline and known-problem findings.
//!
//! Reading every record's fields would cost more than reading the file, so the analysis
//! first scans the raw text for the few literals it cares about (frames, step messages,
//! the knowledge base's patterns), maps each hit to its record, and parses only those.

pub mod chains;
mod par;
pub mod prefilter;
pub mod scan;
pub mod steps;

use std::collections::BTreeMap;

use crate::codes::find_codes;
use crate::kb::{Finding, MatchRecord, RuleSet};
use crate::log::{Log, RecordRef};
use crate::parse::Severity;

pub use chains::{Chain, ChainBuilder, ChainInput};
pub use steps::{RunOutcome, Step, StepBuilder, StepOutcome, Timeline};

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
    ac: Option<aho_corasick::AhoCorasick>,
    n_summary: usize,
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
            ac: (!lits.is_empty())
                .then(|| scan::automaton(&lits, true))
                .flatten(),
            n_summary,
            fallback,
        }
    }
}

/// Positions in merged order of the records worth a closer look, with why.
pub fn candidates(log: &Log, rules: &RuleSet) -> BTreeMap<usize, Marks> {
    let scanner = Scanner::new(rules);
    let mut out: BTreeMap<usize, Marks> = BTreeMap::new();
    for (si, src) in log.sources.iter().enumerate() {
        let to_pos = |index: usize| {
            log.position(RecordRef {
                source: si as u32,
                index: index as u32,
            })
        };
        let t = crate::timing::Stage::start("scan triggers");
        if let Some(ac) = &scanner.triggers {
            for (rec, pat) in scan::literal_hits(src, ac) {
                let m = out.entry(to_pos(rec)).or_default();
                match pat {
                    0 => m.frame = true,
                    p if p <= scanner.n_summary => m.summary = true,
                    _ => m.step = true,
                }
            }
        }
        drop(t);
        let t = crate::timing::Stage::start("scan kb literals");
        if let Some(ac) = &scanner.ac {
            for rec in scan::message_hits(src, ac) {
                out.entry(to_pos(rec)).or_default().kb = true;
            }
        }
        drop(t);
        let t = crate::timing::Stage::start("scan kb fallback");
        if let Some(re) = &scanner.fallback {
            for rec in scan::regex_hits(src, re) {
                out.entry(to_pos(rec)).or_default().kb = true;
            }
        }
        drop(t);
        let _t = crate::timing::Stage::start("scan errors");
        for (i, r) in src.records.iter().enumerate() {
            if r.severity() == Severity::Error {
                out.entry(to_pos(i)).or_default().error = true;
            }
        }
    }
    out
}

/// Analyses a whole log.
pub fn analyze(log: &Log, rules: &RuleSet) -> Analysis {
    let cands = candidates(log, rules);
    let t = crate::timing::Stage::start("parse candidates");

    // Chains: frames and the summary lines near them.
    // Parse the records the builders read on every core; the builders then run in order.
    let wanted: Vec<(usize, Marks)> = cands
        .iter()
        .filter(|(_, m)| m.frame || m.summary || m.step)
        .map(|(p, m)| (*p, *m))
        .collect();
    let parsed = parse_parallel(log, &wanted);
    drop(t);
    let t = crate::timing::Stage::start("chains and steps");

    let mut cb = ChainBuilder::new();
    let mut sb = StepBuilder::new();
    for p in &parsed {
        if p.marks.frame || p.marks.summary {
            cb.push(&ChainInput {
                pos: p.pos,
                record: p.record,
                thread: p.thread,
                component: p.component,
                message: &p.message,
                millis: p.time.map(|t| t.utc_millis()),
            });
        }
        // Wizard errors are found as summaries; the timeline reads them too.
        if p.marks.step || p.marks.summary {
            sb.push(p.pos, p.record, &p.message, p.time);
        }
    }
    let chains = cb.finish(|r| log.message(r).into_owned());
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
    analysis.findings = match_rules(log, rules, &cands, &analysis);
    analysis
}

/// The fields of one candidate record that the builders need.
struct Parsed<'a> {
    pos: usize,
    marks: Marks,
    record: RecordRef,
    thread: Option<u32>,
    component: Option<&'a str>,
    message: std::borrow::Cow<'a, str>,
    time: Option<crate::parse::Timestamp>,
}

fn parse_one(log: &Log, pos: usize, marks: Marks) -> Parsed<'_> {
    let record = log.at(pos);
    let f = log.fields(record);
    Parsed {
        pos,
        marks,
        record,
        thread: f.thread,
        component: f.component.and_then(|c| std::str::from_utf8(c).ok()),
        time: f.timestamp(),
        message: f.message_str(),
    }
}

/// Parses candidates on several threads, keeping their order.
fn parse_parallel<'a>(log: &'a Log, wanted: &[(usize, Marks)]) -> Vec<Parsed<'a>> {
    par::map_chunks(wanted, 10_000, |part| {
        part.iter().map(|&(p, m)| parse_one(log, p, m)).collect()
    })
}

/// Runs the knowledge base over the candidate records.
pub fn match_rules(
    log: &Log,
    rules: &RuleSet,
    cands: &BTreeMap<usize, Marks>,
    analysis: &Analysis,
) -> Vec<Finding> {
    let wanted = rules.codes();
    // Messages are borrowed from the log text (copied only when not valid UTF-8), so
    // hundreds of thousands of candidates cost little memory.
    let t = crate::timing::Stage::start("confirm candidates");
    let todo: Vec<(usize, Marks)> = cands
        .iter()
        .filter(|(_, m)| m.kb || m.frame || m.error || m.summary)
        .map(|(p, m)| (*p, *m))
        .collect();
    let keep = par::map_chunks(&todo, 10_000, |part| {
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
