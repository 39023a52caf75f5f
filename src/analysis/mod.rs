//! Records to facts: HRESULT chains, the task-sequence timeline and known-problem findings.
//!
//! Reading every record's fields would cost more than reading the file, so the analysis
//! first scans the raw text for the few literals it cares about (frames, step messages,
//! the knowledge base's patterns), maps each hit to its record, and parses only those.

pub mod chains;
pub mod diagnosis;
pub mod ends;
mod incremental;
mod needle;
pub mod scan;
pub mod steps;
pub mod to_read;
pub mod triggers;

use crate::codes::find_codes;
use crate::kb::{Finding, MatchRecord, RuleSet};
use crate::log::{Log, RecordRef};
use crate::parse::{Found, Severity};
use crate::source::{Input, SourceError, SourceText};

pub use chains::{Chain, ChainBuilder, ChainEvent, ChainInput};
pub use incremental::Incremental;
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
    /// When the run did not succeed and no specific finding explains it: the log's own
    /// errors most worth reading, best first ([`to_read`]).
    pub errors_to_read: Vec<to_read::ErrorToRead>,
}

impl Analysis {
    /// The finding the explorer opens on: the first one (the failure that ended the run
    /// ranks first) whose evidence is not all inside steps the sequence went past on
    /// error, which did not fail the run.
    pub fn opening_finding(&self) -> Option<usize> {
        let ignored: Vec<(usize, usize)> = (self.steps.steps.iter())
            .filter(|s| s.outcome == StepOutcome::Ignored)
            .map(|s| s.span)
            .collect();
        let inside = |p: usize| ignored.iter().any(|&(a, b)| (a..=b).contains(&p));
        self.findings
            .iter()
            .position(|f| f.evidence.is_empty() || f.evidence.iter().any(|e| !inside(e.index)))
    }

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
    /// Holds one of the end literals of Windows Setup, DISM and PXE
    /// ([`ends::TOOL_TRIGGERS`]), read only where one is.
    pub tool: bool,
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

/// The trigger records of every source of a log already framed, per source
/// ([`triggers::of_source`]): what framing with [`Triggers::visit`] would have given.
pub fn find_triggers(log: &Log) -> Vec<Found<Trigger>> {
    let _t = crate::timing::Stage::start("scan and read triggers");
    match Triggers::shared() {
        Some(t) => log
            .sources
            .iter()
            .map(|src| triggers::of_source(src, t))
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
    if !literal && !coded {
        return None;
    }
    let message = f.message_str();
    let matched = literal && rules.any_pattern(&message);
    if !matched && !coded {
        return None;
    }
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
/// record carries a code a rule names. `coded`: the log's frame and summary records, kept
/// for their codes; `literal`: the records the trigger search found a rule literal in,
/// when it looked for them (see [`open_texts`]), else the text is searched for them here.
pub fn rule_candidates<'a>(
    log: &'a Log,
    rules: &RuleSet,
    coded: &[RecordRef],
    literal: Option<&[RecordRef]>,
) -> Vec<RuleRecord<'a>> {
    if rules.rules().is_empty() {
        return Vec::new();
    }
    let mut for_rules: Vec<RuleRecord<'a>> = Vec::new();
    for r in coded {
        let (si, index) = (r.source as usize, r.index as usize);
        for_rules.extend(rule_record(log, rules, si, index, false, true));
    }
    for (si, src) in log.sources.iter().enumerate() {
        let records = 0..src.records.len();
        for_rules.extend(match literal {
            Some(literal) => picked_for_rules(log, rules, si, literal),
            None => scan_for_rules(log, rules, si, records.clone()),
        });
        for_rules.extend(fallback_for_rules(log, rules, si, records));
    }
    // The same record may come from several scans; what they read of it is the same.
    for_rules.sort_by_key(|r| r.pos);
    for_rules.dedup_by_key(|r| r.pos);
    for_rules
}

/// The records among `records` of source `si` that the rule scan picks (a literal of the
/// rules, an error record with a code they name), in no particular order.
fn scan_for_rules<'a>(
    log: &'a Log,
    rules: &RuleSet,
    si: usize,
    records: std::ops::Range<usize>,
) -> Vec<RuleRecord<'a>> {
    let patterns = rules.patterns();
    let literals = patterns.literal_search();
    let Some(src) = log.sources.get(si) else {
        return Vec::new();
    };
    let _t = crate::timing::Stage::start("scan rule literals");
    scan::messages_in(src, records, |i, msg| {
        let literal = literals.is_some_and(|k| k.is_match(msg));
        let error = src.records[i].severity() == Severity::Error;
        if literal || error {
            rule_record(log, rules, si, i, literal, error)
        } else {
            None
        }
    })
}

/// What [`scan_for_rules`] picks from the whole of source `si`, when the trigger search
/// found the records holding a literal of the rules (`literal`, of every source): the
/// error records are told by the index, so the text is not read again.
fn picked_for_rules<'a>(
    log: &'a Log,
    rules: &RuleSet,
    si: usize,
    literal: &[RecordRef],
) -> Vec<RuleRecord<'a>> {
    let Some(src) = log.sources.get(si) else {
        return Vec::new();
    };
    let _t = crate::timing::Stage::start("read rule records");
    let mut literal: Vec<usize> = (literal.iter())
        .filter(|r| r.source as usize == si)
        .map(|r| r.index as usize)
        .collect();
    literal.sort_unstable();
    let ranges = crate::par::split(src.records.len(), crate::par::cores());
    crate::par::run_ranges(&ranges, |from, to| {
        let mut out = Vec::new();
        let mut next = literal.partition_point(|&i| i < from);
        for i in from..to {
            let has_literal = literal.get(next) == Some(&i);
            next += usize::from(has_literal);
            let error = src.records[i].severity() == Severity::Error;
            if has_literal || error {
                out.extend(rule_record(log, rules, si, i, has_literal, error));
            }
        }
        out
    })
}

/// The records among `records` of source `si` where the rules' patterns without literals
/// may match (see [`crate::kb`]'s fallback), possibly picked by the other scans too.
fn fallback_for_rules<'a>(
    log: &'a Log,
    rules: &RuleSet,
    si: usize,
    records: std::ops::Range<usize>,
) -> Vec<RuleRecord<'a>> {
    let (Some(src), Some(re)) = (log.sources.get(si), rules.patterns().fallback()) else {
        return Vec::new();
    };
    let _t = crate::timing::Stage::start("scan rule fallback");
    let mut for_rules = Vec::new();
    for i in scan::regex_hits_in(src, re, records) {
        let error = src.records[i].severity() == Severity::Error;
        for_rules.extend(rule_record(log, rules, si, i, true, error));
    }
    for_rules
}

/// The trigger records with their merged positions (`position`), in merged order. One
/// source needs no sorting (nor a copy): its order is the merged order.
fn in_merged_order<'a>(
    found: Vec<Found<Trigger>>,
    position: impl Fn(RecordRef) -> usize + 'a,
) -> Box<dyn Iterator<Item = (usize, RecordRef, Trigger)> + 'a> {
    let several = found.len() > 1;
    let placed = (found.into_iter().enumerate())
        .flat_map(|(si, hits)| {
            hits.into_iter().map(move |(index, trigger)| {
                let source = si as u32;
                (RecordRef { source, index }, trigger)
            })
        })
        .map(move |(record, trigger)| (position(record), record, trigger));
    if !several {
        return Box::new(placed);
    }
    let mut all: Vec<_> = placed.collect();
    all.sort_by_key(|p| p.0);
    Box::new(all.into_iter())
}

/// Analyses a whole log already framed (`report` reads the triggers while framing instead:
/// see [`open`]).
pub fn analyze(log: &Log, rules: &RuleSet) -> Analysis {
    let applied = apply_triggers(find_triggers(log), |r| log.position(r), false);
    analyze_applied(log, rules, applied)
}

/// The chain and step builders fed with a log's trigger records, and the frame and summary
/// records the rules read for their codes: what [`analyze_applied`] finishes.
pub struct Applied {
    chains: ChainBuilder,
    /// The timeline, finished: it needs no [`Log`], so it is finished wherever the
    /// triggers were applied (during the join, for one source).
    steps: Timeline,
    /// Frame and summary records, in merged order.
    coded: Vec<RecordRef>,
    /// The records the trigger search found a rule literal in, when it looked for them.
    rule_literal: Option<Vec<RecordRef>>,
}

/// Feeds the builders the trigger records of every source in merged order, `position`
/// giving a record's merged position. It needs no [`Log`], so with one source (see
/// [`open`]) it can run before the log is built.
/// `rule_literals`: the search looked for the rules' literals too.
fn apply_triggers(
    found: Vec<Found<Trigger>>,
    position: impl Fn(RecordRef) -> usize,
    rule_literals: bool,
) -> Applied {
    let t = crate::timing::Stage::start("chains and steps");
    let mut chains = ChainBuilder::new();
    let mut steps = StepBuilder::new();
    let mut coded = Vec::new();
    let mut rule_literal = Vec::new();
    for (pos, record, trigger) in in_merged_order(found, position) {
        if trigger.marks.frame || trigger.marks.summary {
            coded.push(record);
        }
        if trigger.rule_literal {
            rule_literal.push(record);
        }
        if let Some(event) = trigger.chain {
            let input = ChainInput {
                pos,
                record,
                thread: trigger.thread,
                component: trigger.component.as_deref(),
                millis: trigger.time.map(|t| t.utc_millis()),
            };
            chains.apply(&input, event);
        }
        if let Some(event) = trigger.step {
            steps.apply(pos, record, event, trigger.time);
        }
    }
    drop(t);
    let _t = crate::timing::Stage::start("finish timeline");
    Applied {
        chains,
        steps: steps.timeline(),
        coded,
        rule_literal: rule_literals.then_some(rule_literal),
    }
}

/// Texts of at least this many bytes in all are searched for the rules' literals while
/// framing, beside the triggers: planning that search costs more than it saves on a small
/// log, whose rules' scan then searches the messages again.
const RULES_WHILE_FRAMING: usize = 16 << 20;

/// Reads and frames `inputs` for analysis with `rules` (see [`open_texts`]).
pub fn open(inputs: &[Input], rules: &RuleSet) -> Result<(Log, Applied), SourceError> {
    let texts = inputs
        .iter()
        .map(Input::read)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(open_texts(texts, rules))
}

/// Frames texts for analysis with `rules`: the trigger records are read while framing
/// and, with one text, fed to the builders while the index is joined; a large text is
/// searched for the rules' literals in the same pass. [`analyze_applied`] finishes it.
pub fn open_texts(texts: Vec<SourceText>, rules: &RuleSet) -> (Log, Applied) {
    let size: usize = texts.iter().map(|t| t.bytes().len()).sum();
    open_searching(texts, rules, size >= RULES_WHILE_FRAMING)
}

/// [`open_texts`], searching for the rules' literals while framing when `rule_literals`
/// says so and the rules have any.
fn open_searching(texts: Vec<SourceText>, rules: &RuleSet, rule_literals: bool) -> (Log, Applied) {
    let literals = match rules.rules().is_empty() || !rule_literals {
        true => &[][..],
        false => rules.patterns().literals(),
    };
    let own;
    let triggers = if literals.is_empty() {
        Triggers::shared()
    } else {
        own = Triggers::with_rules(literals.to_vec(), sample_of(&texts));
        own.as_ref()
    };
    let Some(t) = triggers else {
        // The searcher is built from constants and literals the rules' own search took,
        // so this is not expected: no chains or steps, but the rules still run.
        let sources = texts.into_iter().map(crate::log::Source::index).collect();
        return (
            Log::from_sources(sources),
            apply_triggers(Vec::new(), |_| 0, false),
        );
    };
    let rule_literals = !literals.is_empty();
    let (log, applied) = Log::open_visit(
        texts,
        |b, out| t.visit(b, out),
        |found| apply_unmerged(found, rule_literals),
    );
    let applied =
        applied.unwrap_or_else(|found| apply_triggers(found, |r| log.position(r), rule_literals));
    (log, applied)
}

/// Stretches spread over `texts`, to plan the search of their literals for (see
/// [`crate::multilit::MultiLit::with_sample`]).
fn sample_of(texts: &[SourceText]) -> Vec<u8> {
    const STRETCHES: usize = 16;
    const STRETCH: usize = 64 << 10;
    let per_text = (STRETCHES / texts.len().max(1)).max(1);
    let mut sample = Vec::new();
    for t in texts {
        let text = t.bytes();
        for i in 0..per_text {
            let at = text.len() / per_text * i;
            sample.extend_from_slice(&text[at..text.len().min(at + STRETCH)]);
        }
    }
    sample
}

/// [`apply_triggers`] for a log of one source, where a record's merged position is its
/// index: it can run while the source's index is still being joined (see
/// [`crate::log::Log::open_visit`]). The finds come back untouched when there are several
/// sources, whose positions need the log.
fn apply_unmerged(
    found: Vec<Found<Trigger>>,
    rule_literals: bool,
) -> Result<Applied, Vec<Found<Trigger>>> {
    if found.len() > 1 {
        return Err(found);
    }
    Ok(apply_triggers(found, |r| r.index as usize, rule_literals))
}

/// Finishes the analysis of a log from its applied trigger records: chains, timeline and
/// the knowledge base's findings.
pub fn analyze_applied(log: &Log, rules: &RuleSet, applied: Applied) -> Analysis {
    let literal = applied.rule_literal.as_deref();
    let for_rules = rule_candidates(log, rules, &applied.coded, literal);
    let t = crate::timing::Stage::start("finish chains");
    let chains = applied.chains.finish(|r| log.message(r).into_owned());
    drop(t);
    finish(log, rules, chains, applied.steps, &for_rules)
}

/// The analysis from its finished chains and timeline and the records the rules read:
/// the timeline's exit code from the last chain when no step gave one, the rules' findings
/// and what failed.
fn finish(
    log: &Log,
    rules: &RuleSet,
    chains: Vec<Chain>,
    timeline: Timeline,
    for_rules: &[RuleRecord<'_>],
) -> Analysis {
    finish_with(log, chains, timeline, false, |a| {
        match_rules(log, rules, for_rules, a)
    })
}

/// [`finish`], the rules' findings from `rule_findings` (a live log's kept from the last
/// evaluation when no candidate arrived since). `live`: the log is being followed.
fn finish_with(
    log: &Log,
    chains: Vec<Chain>,
    mut timeline: Timeline,
    live: bool,
    rule_findings: impl FnOnce(&Analysis) -> Vec<Finding>,
) -> Analysis {
    if timeline.steps.is_empty() && timeline.exit_code.is_none() {
        if let Some(last) = chains.last() {
            if timeline.outcome == RunOutcome::Failed {
                timeline.exit_code = Some(last.code);
            }
        }
    }
    let _t = crate::timing::Stage::start("match rules");
    let mut analysis = Analysis {
        chains,
        steps: timeline,
        findings: Vec::new(),
        errors_to_read: Vec::new(),
    };
    analysis.findings = rule_findings(&analysis);
    if let Some(f) = diagnosis::what_failed(log, &analysis) {
        diagnosis::place(&mut analysis.findings, f);
    }
    // A followed task sequence that has not ended may yet go on past its errors, and the
    // walk would run on every live analysis: its list is made once the run ends. A saved
    // log cut short (a pasted excerpt) is read as it stands.
    if !(live && analysis.steps.outcome == RunOutcome::Running) {
        analysis.errors_to_read = to_read::errors_to_read(log, &analysis);
    }
    analysis
}

/// Whether rule `id` fires on the log text `text` through the whole pipeline `report`
/// uses (framing, the trigger and rule scans, the candidate selection, matching): what
/// `tslens kb check` holds every example to. Also returns the ids found, best first.
pub fn example_fires(rules: &RuleSet, id: &str, text: &str) -> (bool, Vec<String>) {
    let text = text.trim().to_string() + "\n";
    let log = Log::from_sources(vec![crate::log::Source::index(
        crate::source::SourceText::from_vec("example.log".into(), text.into_bytes()),
    )]);
    let ids: Vec<String> = analyze(&log, rules)
        .findings
        .into_iter()
        .map(|f| f.id)
        .filter(|f| f != diagnosis::ID)
        .collect();
    (ids.iter().any(|f| f == id), ids)
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

    /// A log large enough to be framed in pieces, analysed as `report` does (the builders fed
    /// while the index is joined), gives the analysis of the log opened first.
    #[test]
    fn builders_fed_while_joining_give_the_same_analysis() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs");
        let mut text = Vec::new();
        for name in [
            "fail-domain-join.log",
            "bare-metal-success.log",
            "fail-hash-mismatch.log",
        ] {
            text.extend(std::fs::read(dir.join(name)).expect("sample log"));
        }
        let one = text.clone();
        while text.len() < 9 << 20 {
            text.extend_from_slice(&one);
        }
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), &text).expect("written");
        let inputs = [crate::source::Input::File(file.path().to_path_buf())];
        let rules = RuleSet::builtin();
        let plain = super::analyze(&Log::open(&inputs).expect("opened"), &rules);
        // With the rules' literals searched while framing and apart.
        for rule_literals in [true, false] {
            let texts = vec![inputs[0].read().expect("read")];
            let (log, applied) = super::open_searching(texts, &rules, rule_literals);
            assert_eq!(applied.rule_literal.is_some(), rule_literals);
            let fused = super::analyze_applied(&log, &rules, applied);
            assert!(fused.steps.steps.len() > 100 && fused.chains.len() > 10);
            assert!(fused.findings.len() > 1);
            assert_eq!(format!("{:?}", fused.steps), format!("{:?}", plain.steps));
            assert_eq!(format!("{:?}", fused.chains), format!("{:?}", plain.chains));
            assert_eq!(
                format!("{:?}", fused.findings),
                format!("{:?}", plain.findings)
            );
            assert_eq!(
                format!("{:?}", fused.errors_to_read),
                format!("{:?}", plain.errors_to_read)
            );
        }
    }

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
