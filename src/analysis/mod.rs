//! Records to facts: HRESULT chains, the task-sequence timeline and known-problem findings.
//!
//! Reading every record's fields would cost more than reading the file, so the analysis
//! first scans the raw text for the few literals it cares about (frames, step messages,
//! the knowledge base's patterns), maps each hit to its record, and parses only those.

pub mod chains;
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
    /// Matched the knowledge base's prefilter.
    pub kb: bool,
    /// Is an error record (kept for code-based rules).
    pub error: bool,
}

/// Positions in merged order of the records worth a closer look, with why.
pub fn candidates(log: &Log, rules: &RuleSet) -> BTreeMap<usize, Marks> {
    let mut out: BTreeMap<usize, Marks> = BTreeMap::new();
    let literals: Vec<&str> = std::iter::once("HRESULT=")
        .chain(steps::TRIGGERS.iter().copied())
        .collect();
    for (si, src) in log.sources.iter().enumerate() {
        let to_pos = |index: usize| {
            log.position(RecordRef {
                source: si as u32,
                index: index as u32,
            })
        };
        for (rec, pat) in scan::literal_hits(src, &literals) {
            let m = out.entry(to_pos(rec)).or_default();
            if pat == 0 {
                m.frame = true;
            } else {
                m.step = true;
            }
        }
        for rec in scan::regex_hits(src, rules.prefilter()) {
            out.entry(to_pos(rec)).or_default().kb = true;
        }
        for (i, r) in src.records.iter().enumerate() {
            if r.severity() == Severity::Error {
                out.entry(to_pos(i)).or_default().error = true;
            }
        }
    }
    out
}

/// Record positions after each frame that the chain builder must see: the records between
/// frames of one thread, and the summary lines after the last frame.
const CHAIN_WINDOW: usize = 256;

/// Analyses a whole log.
pub fn analyze(log: &Log, rules: &RuleSet) -> Analysis {
    let cands = candidates(log, rules);

    // Chains: feed the builder every record within a window after each frame.
    let mut chain_positions: Vec<usize> = Vec::new();
    let mut covered = 0usize;
    for (&pos, m) in &cands {
        if m.frame {
            let from = pos.max(covered);
            let to = (pos + CHAIN_WINDOW).min(log.len());
            chain_positions.extend(from..to);
            covered = covered.max(to);
        }
    }
    let mut cb = ChainBuilder::new();
    for &pos in &chain_positions {
        let r = log.at(pos);
        let f = log.fields(r);
        let msg = f.message_str();
        let comp = f.component_str();
        cb.push(&ChainInput {
            pos,
            record: r,
            thread: f.thread,
            component: comp.as_deref(),
            message: &msg,
            millis: f.timestamp().map(|t| t.utc_millis()),
        });
    }
    let chains = cb.finish(|r| log.message(r).into_owned());

    // Steps.
    let mut sb = StepBuilder::new();
    for (&pos, m) in &cands {
        if m.step {
            let r = log.at(pos);
            let f = log.fields(r);
            sb.push(pos, r, &f.message_str(), f.timestamp());
        }
    }
    let mut timeline = sb.timeline();
    if timeline.steps.is_empty() && timeline.exit_code.is_none() {
        if let Some(last) = chains.last() {
            if timeline.outcome == RunOutcome::Failed {
                timeline.exit_code = Some(last.code);
            }
        }
    }

    let mut analysis = Analysis {
        chains,
        steps: timeline,
        findings: Vec::new(),
    };
    analysis.findings = match_rules(log, rules, &cands, &analysis);
    analysis
}

/// Runs the knowledge base over the candidate records.
pub fn match_rules(
    log: &Log,
    rules: &RuleSet,
    cands: &BTreeMap<usize, Marks>,
    analysis: &Analysis,
) -> Vec<Finding> {
    struct Owned {
        pos: usize,
        source: String,
        line: u64,
        component: String,
        message: String,
        codes: Vec<u32>,
        step: Option<String>,
    }
    let wanted = rules.codes();
    let mut owned: Vec<Owned> = Vec::new();
    for (&pos, m) in cands {
        let r = log.at(pos);
        let f = log.fields(r);
        let message = f.message_str().into_owned();
        let codes: Vec<u32> = find_codes(&message).into_iter().map(|h| h.value).collect();
        if !m.kb && !codes.iter().any(|c| wanted.contains(c)) {
            continue;
        }
        owned.push(Owned {
            pos,
            source: log.source(r).text.path.clone(),
            line: u64::from(log.meta(r).line),
            component: f
                .component_str()
                .map(|c| c.into_owned())
                .unwrap_or_default(),
            message,
            codes,
            step: analysis
                .step_at(pos)
                .and_then(|i| analysis.steps.steps.get(i))
                .map(|s| s.name.clone()),
        });
    }
    let recs: Vec<MatchRecord<'_>> = owned
        .iter()
        .map(|o| MatchRecord {
            index: o.pos,
            source: &o.source,
            line: o.line,
            component: &o.component,
            message: &o.message,
            codes: &o.codes,
            step: o.step.as_deref(),
        })
        .collect();
    rules.evaluate(&recs)
}
