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
}

/// What the two scans look for: the engine's triggers, the rules' literals and the rule
/// patterns left with neither literal nor code.
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
        let triggers = scan::automaton(&lits);
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
            triggers,
            // Literals are at least prefilter::MIN_LITERAL (4) bytes, as MultiLit needs.
            kb: multilit::MultiLit::new(&kb.literals),
            summary_bits,
            step_bits,
            fallback,
        }
    }
}

/// A record the knowledge base will read, with what it needs of it, taken while the
/// record was in cache.
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

/// The records worth a closer look, in merged order.
pub struct Candidates<'a> {
    /// Frames, summaries and step messages, parsed, for the chain and step builders.
    pub parsed: Vec<Parsed<'a>>,
    /// Records some rule may match: a message pattern matched, or a code a rule names.
    pub rules: Vec<RuleRecord<'a>>,
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

/// Finds the candidate records of a log.
pub fn candidates<'a>(log: &'a Log, rules: &RuleSet) -> Candidates<'a> {
    let scanner = Scanner::new(rules);
    let with_rules = !rules.rules().is_empty();
    let mut parsed: Vec<Parsed<'a>> = Vec::new();
    let mut for_rules: Vec<RuleRecord<'a>> = Vec::new();
    for (si, src) in log.sources.iter().enumerate() {
        let t = crate::timing::Stage::start("scan and parse triggers");
        let mut found: Vec<Parsed<'a>> = match &scanner.triggers {
            Some(ac) => scan::literal_hits(src, ac, |rec, bits| {
                let marks = Marks {
                    frame: bits & 1 != 0,
                    summary: bits & scanner.summary_bits != 0,
                    step: bits & scanner.step_bits != 0,
                };
                let mut p = parse_one(log, si, rec, marks);
                if with_rules && (marks.frame || marks.summary) {
                    p.rule = rule_record(log, rules, si, rec, false, true);
                }
                Some(p)
            }),
            None => Vec::new(),
        };
        for_rules.extend(found.iter_mut().filter_map(|p| p.rule.take()));
        if parsed.is_empty() {
            parsed = found;
        } else {
            parsed.extend(found);
        }
        drop(t);
        if !with_rules {
            continue;
        }
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
    if log.sources.len() > 1 {
        parsed.sort_by_key(|p| p.pos);
    }
    // The same record may come from several scans; what they read of it is the same.
    for_rules.sort_by_key(|r| r.pos);
    for_rules.dedup_by_key(|r| r.pos);
    Candidates {
        parsed,
        rules: for_rules,
    }
}

/// Analyses a whole log.
pub fn analyze(log: &Log, rules: &RuleSet) -> Analysis {
    let Candidates {
        parsed,
        rules: for_rules,
    } = candidates(log, rules);
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
    analysis.findings = match_rules(log, rules, &for_rules, &analysis);
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
    /// What the rules read of it, when it is a frame or summary with a code they name.
    pub rule: Option<RuleRecord<'a>>,
}

fn parse_one(log: &Log, si: usize, index: usize, marks: Marks) -> Parsed<'_> {
    let record = RecordRef {
        source: si as u32,
        index: index as u32,
    };
    let pos = log.position(record);
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
        rule: None,
    }
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
