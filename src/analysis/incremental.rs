//! The analysis of a log that grows: each batch of new records is searched once (the
//! trigger scan and the rules' scans run over the new records only), the chain and step
//! builders keep their state from batch to batch, and the rules are evaluated again over
//! the candidate records kept so far. What it gives equals the analysis of the whole text
//! at once ([`super::analyze`]); `tests/incremental_props.rs` holds it to that.

use std::borrow::Cow;

use super::{
    fallback_for_rules, finish_with, match_rules, rule_record, scan_for_rules, triggers, Analysis,
    ChainBuilder, ChainInput, RuleRecord, StepBuilder, Trigger, Triggers,
};
use crate::kb::{Finding, RuleSet};
use crate::log::{Log, RecordRef};

/// A record kept for the rules, owned (the log it came from goes on growing).
#[derive(Clone, Debug)]
struct Kept {
    pos: usize,
    record: RecordRef,
    message: String,
    component: String,
    codes: Vec<u32>,
}

/// The analysis of a log fed batch by batch. Records are fed in merged order, once each,
/// and never change once fed; a live log only grows at its end, so positions stay put.
#[derive(Clone, Default)]
pub struct Incremental {
    chains: ChainBuilder,
    steps: StepBuilder,
    /// Candidate records for the rules, in merged order.
    kept: Vec<Kept>,
    /// Records fed so far: positions `0..fed`.
    fed: usize,
    /// Whether a record fed since the last [`Incremental::analysis`] can change it.
    changed: bool,
    /// The rules' findings at the last evaluation, and how many records were kept then:
    /// they depend on the kept records alone (a kept record's step never changes, as new
    /// steps start after it), so they stand until another is kept.
    rules_seen: Option<(usize, Vec<Finding>)>,
}

impl std::fmt::Debug for Incremental {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incremental")
            .field("fed", &self.fed)
            .field("kept", &self.kept.len())
            .finish_non_exhaustive()
    }
}

impl Incremental {
    /// An analysis with nothing fed.
    pub fn new() -> Incremental {
        Incremental {
            changed: true,
            ..Incremental::default()
        }
    }

    /// Records fed so far (positions `0..fed()`).
    pub fn fed(&self) -> usize {
        self.fed
    }

    /// True when records fed since the last [`Incremental::analysis`] may change it: a
    /// trigger or rule candidate among them, or a failed run (whose "what failed" reads
    /// the records near the log's end).
    pub fn changed(&self) -> bool {
        self.changed
    }

    /// Feeds the records at positions `fed()..upto` (at most to the log's end). Each source's
    /// new records are a suffix of it up to `upto` (positions grow with the index within a
    /// source), so each scan runs once over a contiguous run of records.
    pub fn feed(&mut self, log: &Log, rules: &RuleSet, upto: usize) {
        let upto = upto.min(log.len());
        if upto <= self.fed {
            return;
        }
        let from = self.fed;
        let several = log.sources.len() > 1;
        let mut found: Vec<(usize, RecordRef, Trigger)> = Vec::new();
        let mut kept: Vec<RuleRecord<'_>> = Vec::new();
        let any_rules = !rules.rules().is_empty();
        for (si, src) in log.sources.iter().enumerate() {
            let pos_of = |i: usize| {
                log.position(RecordRef {
                    source: si as u32,
                    index: i as u32,
                })
            };
            let n = src.records.len();
            let (a, b) = if several {
                (
                    partition(n, |i| pos_of(i) < from),
                    partition(n, |i| pos_of(i) < upto),
                )
            } else {
                (from.min(n), upto.min(n))
            };
            if a >= b {
                continue;
            }
            if let Some(t) = Triggers::shared() {
                for (index, trigger) in triggers::of_range(src, t, a..b) {
                    let record = RecordRef {
                        source: si as u32,
                        index,
                    };
                    found.push((pos_of(index as usize), record, trigger));
                }
            }
            if any_rules {
                kept.extend(scan_for_rules(log, rules, si, a..b));
                kept.extend(fallback_for_rules(log, rules, si, a..b));
            }
        }
        if several {
            found.sort_by_key(|f| f.0);
        }
        for (pos, record, trigger) in found {
            self.changed = true;
            if (trigger.marks.frame || trigger.marks.summary) && any_rules {
                let (si, index) = (record.source as usize, record.index as usize);
                kept.extend(rule_record(log, rules, si, index, false, true));
            }
            if let Some(event) = trigger.chain {
                let input = ChainInput {
                    pos,
                    record,
                    thread: trigger.thread,
                    component: trigger.component.as_deref(),
                    millis: trigger.time.map(|t| t.utc_millis()),
                };
                self.chains.apply(&input, event);
            }
            if let Some(event) = trigger.step {
                self.steps.apply(pos, record, event, trigger.time);
            }
        }
        kept.sort_by_key(|r| r.pos);
        kept.dedup_by_key(|r| r.pos);
        self.changed |= !kept.is_empty();
        self.kept.extend(kept.into_iter().map(|r| Kept {
            pos: r.pos,
            record: r.record,
            message: r.message.into_owned(),
            component: r.component.to_string(),
            codes: r.codes,
        }));
        self.fed = upto;
    }

    /// The analysis of the records fed so far: the builders' state finished on copies, the
    /// rules evaluated over the records kept. `log` is the log fed (it may have grown).
    pub fn analysis(&mut self, log: &Log, rules: &RuleSet) -> Analysis {
        let chains = self.chains.finished(|r| log.message(r).into_owned());
        let timeline = self.steps.clone().timeline();
        let kept = &self.kept;
        let cached = self.rules_seen.take().filter(|(n, _)| *n == kept.len());
        let mut rule_findings = Vec::new();
        let analysis = finish_with(log, chains, timeline, true, |a| {
            rule_findings = match cached {
                Some((_, findings)) => findings,
                None => {
                    let for_rules: Vec<RuleRecord<'_>> = kept
                        .iter()
                        .map(|k| RuleRecord {
                            pos: k.pos,
                            record: k.record,
                            message: Cow::Borrowed(k.message.as_str()),
                            component: k.component.as_str(),
                            codes: k.codes.clone(),
                        })
                        .collect();
                    match_rules(log, rules, &for_rules, a)
                }
            };
            rule_findings.clone()
        });
        self.rules_seen = Some((kept.len(), rule_findings));
        // "What failed" reads the records before the log's end while the failing record is
        // unknown: any record may change it then.
        self.changed = analysis.steps.outcome == super::RunOutcome::Failed
            && analysis.steps.failed_at.is_none();
        analysis
    }
}

/// The first index in `0..n` for which `below` is false (`below` holds for a prefix).
fn partition(n: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if below(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}
