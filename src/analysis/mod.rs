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
pub mod triggers;

use crate::codes::find_codes;
use crate::kb::{Finding, MatchRecord, RuleSet};
use crate::log::{Log, RecordRef};
use crate::parse::{Found, Severity};

pub use chains::{Chain, ChainBuilder, ChainEvent, ChainInput};
pub use steps::{RunOutcome, Step, StepBuilder, StepEvent, StepOutcome, Timeline};
pub use triggers::{Trigger, Triggers};

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
}

/// What the rule scan looks for: the rules' literals and the patterns left with neither
/// literal nor code.
struct Scanner {
    /// The knowledge base's literals, ASCII case-insensitive.
    kb: Option<multilit::MultiLit>,
    /// Patterns with no usable literal, scanned by regex.
    fallback: Option<regex::bytes::Regex>,
}

impl Scanner {
    fn new(rules: &RuleSet) -> Scanner {
        let kb = prefilter::rule_literals(rules);
        let fallback = (!kb.patterns.is_empty())
            .then(|| {
                regex::bytes::RegexBuilder::new(&kb.patterns.join("|"))
                    .size_limit(64 << 20)
                    .build()
                    .ok()
            })
            .flatten();
        Scanner {
            // Literals are at least prefilter::MIN_LITERAL (4) bytes, as MultiLit needs.
            kb: multilit::MultiLit::new(&kb.literals),
            fallback,
        }
    }
}

/// A record the knowledge base will read, with what it needs of it (the message scan takes
/// it while the record is in cache).
pub struct RuleRecord<'a> {
    /// Position in merged order.
    pub pos: usize,
    /// The record.
    pub record: RecordRef,
    /// Its message, borrowed from the log text unless it was not valid UTF-8.
    pub message: std::borrow::Cow<'a, str>,
    /// Its component ("" when none).
    pub component: &'a str,
    /// Every code in the message.
    pub codes: Vec<u32>,
}

/// The trigger records of every source of `log`, per source, as [`analyze_found`] takes them
/// (what framing with [`Triggers::visit`] gives, or [`triggers::of_source`]).
pub fn find_triggers(log: &Log) -> Vec<Found<Trigger>> {
    let _t = crate::timing::Stage::start("scan and read triggers");
    match Triggers::new() {
        Some(t) => log
            .sources
            .iter()
            .map(|src| triggers::of_source(src, &t))
            .collect(),
        None => Vec::new(),
    }
}

/// Reads record `index` of source `si` for the rules. `literal`: the message holds one of
/// the rules' literals, a hint to confirm with their patterns; `coded`: a frame, summary or
/// error record, kept when it carries a code some rule names.
fn rule_record<'a>(
    log: &'a Log,
    rules: &RuleSet,
    si: usize,
    index: usize,
    literal: bool,
    coded: bool,
) -> Option<RuleRecord<'a>> {
    let record = RecordRef {
        source: si as u32,
        index: index as u32,
    };
    let f = log.fields(record);
    let matched = literal && rules.prefilter().is_match(f.message);
    if !matched && !coded {
        return None;
    }
    let message = f.message_str();
    let codes: Vec<u32> = find_codes(&message).into_iter().map(|h| h.value).collect();
    // A record no pattern matched can only meet a rule through a code.
    if !matched && !codes.iter().any(|c| rules.codes().contains(c)) {
        return None;
    }
    Some(RuleRecord {
        pos: log.position(record),
        record,
        message,
        component: f
            .component
            .and_then(|c| std::str::from_utf8(c).ok())
            .unwrap_or(""),
        codes,
    })
}

/// The records some rule may match, in merged order: a rule's pattern matched, or the
/// record carries a code a rule names. `found`: the log's trigger records (frames and
/// summaries among them are kept for their codes).
pub fn rule_candidates<'a>(
    log: &'a Log,
    rules: &RuleSet,
    found: &[Found<Trigger>],
) -> Vec<RuleRecord<'a>> {
    if rules.rules().is_empty() {
        return Vec::new();
    }
    let scanner = Scanner::new(rules);
    let mut for_rules: Vec<RuleRecord<'a>> = Vec::new();
    for (si, hits) in found.iter().enumerate() {
        for (index, t) in hits {
            if t.marks.frame || t.marks.summary {
                for_rules.extend(rule_record(log, rules, si, *index as usize, false, true));
            }
        }
    }
    for (si, src) in log.sources.iter().enumerate() {
        let t = crate::timing::Stage::start("scan rule literals");
        for_rules.extend(scan::messages(src, |i, msg| {
            let literal = scanner.kb.as_ref().is_some_and(|k| k.is_match(msg));
            let error = src.records[i].severity() == Severity::Error;
            if literal || error {
                rule_record(log, rules, si, i, literal, error)
            } else {
                None
            }
        }));
        drop(t);
        let _t = crate::timing::Stage::start("scan rule fallback");
        if let Some(re) = &scanner.fallback {
            for i in scan::regex_hits(src, re) {
                let error = src.records[i].severity() == Severity::Error;
                for_rules.extend(rule_record(log, rules, si, i, true, error));
            }
        }
    }
    // The same record may come from several scans; what they read of it is the same.
    for_rules.sort_by_key(|r| r.pos);
    for_rules.dedup_by_key(|r| r.pos);
    for_rules
}

/// The trigger records with their merged positions, in merged order. One source needs no
/// sorting (nor a copy): its order is the merged order.
fn in_merged_order(
    log: &Log,
    found: Vec<Found<Trigger>>,
) -> Box<dyn Iterator<Item = (usize, RecordRef, Trigger)> + '_> {
    let placed = found.into_iter().enumerate().flat_map(move |(si, hits)| {
        hits.into_iter().map(move |(index, trigger)| {
            let record = RecordRef {
                source: si as u32,
                index,
            };
            (log.position(record), record, trigger)
        })
    });
    if log.sources.len() <= 1 {
        return Box::new(placed);
    }
    let mut all: Vec<_> = placed.collect();
    all.sort_by_key(|p| p.0);
    Box::new(all.into_iter())
}

/// Analyses a whole log.
pub fn analyze(log: &Log, rules: &RuleSet) -> Analysis {
    analyze_found(log, rules, find_triggers(log))
}

/// Analyses a whole log whose trigger records were found while framing it (see
/// [`crate::log::Log::open_visit`] and [`Triggers::visit`]).
pub fn analyze_found(log: &Log, rules: &RuleSet, found: Vec<Found<Trigger>>) -> Analysis {
    let for_rules = rule_candidates(log, rules, &found);
    // Chains: frames and the summary lines near them; the builders run in order.
    let t = crate::timing::Stage::start("chains and steps");
    let mut cb = ChainBuilder::new();
    let mut sb = StepBuilder::new();
    for (pos, record, trigger) in in_merged_order(log, found) {
        if let Some(event) = trigger.chain {
            let input = ChainInput {
                pos,
                record,
                thread: trigger.thread,
                component: trigger.component.as_deref(),
                millis: trigger.time.map(|t| t.utc_millis()),
            };
            cb.apply(&input, event);
        }
        if let Some(event) = trigger.step {
            sb.apply(pos, record, event, trigger.time);
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
    analysis.findings = match_rules(log, rules, &for_rules, &analysis);
    analysis
}

/// Runs the knowledge base over the candidate records.
pub fn match_rules(
    log: &Log,
    rules: &RuleSet,
    records: &[RuleRecord<'_>],
    analysis: &Analysis,
) -> Vec<Finding> {
    if rules.rules().is_empty() {
        return Vec::new();
    }
    crate::timing::note(format_args!("rules read {} records", records.len()));
    let recs: Vec<MatchRecord<'_>> = records
        .iter()
        .map(|r| MatchRecord {
            index: r.pos,
            source: &log.source(r.record).text.path,
            line: u64::from(log.meta(r.record).line),
            component: r.component,
            message: &r.message,
            codes: &r.codes,
            step: analysis
                .step_at(r.pos)
                .and_then(|i| analysis.steps.steps.get(i))
                .map(|s| s.name.as_str()),
        })
        .collect();
    rules.evaluate(&recs)
}

#[cfg(test)]
mod tests {
    use crate::kb::RuleSet;
    use crate::log::{Log, Source};
    use crate::source::SourceText;

    /// The scans pick records by literals derived from the rules; they must never lose a
    /// record a rule needs. Every built-in example, read as a log, fires its rule through
    /// the whole pipeline, as it does when its records are handed to the rules directly.
    #[test]
    fn scans_keep_every_record_the_rule_examples_need() {
        let rules = RuleSet::builtin();
        let mut checked = 0;
        for rule in rules.rules() {
            for ex in &rule.examples {
                // A component or step given to the example exists only in the test harness.
                if !ex.fires || ex.component.is_some() || ex.step.is_some() {
                    continue;
                }
                let text = ex.log.trim().to_string() + "\n";
                let log = Log::from_sources(vec![Source::index(SourceText::from_vec(
                    "example.log".into(),
                    text.into_bytes(),
                ))]);
                let found = super::analyze(&log, &rules).findings;
                assert!(
                    found.iter().any(|f| f.id == rule.id),
                    "{} (example at line {}) did not fire through the scans",
                    rule.id,
                    ex.line
                );
                checked += 1;
            }
        }
        assert!(checked >= 60, "only {checked} examples checked");
    }
}
