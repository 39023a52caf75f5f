//! Compiling a rule list into fast matchers, and evaluating candidate records.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use regex::bytes::{Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};

use super::literals::signal_literals;
use super::patterns::{Patterns, Route};
use super::schema::{Mode, Rule, Signal};
use super::{Evidence, Finding, MatchRecord};

/// Room for a few hundred case-insensitive patterns compiled together (the joined
/// [`Compiled::prefilter`]).
const SIZE_LIMIT: usize = 128 << 20;
/// Lazy-DFA cache for the prefilter, so large alternations stay fast.
const DFA_SIZE_LIMIT: usize = 32 << 20;
/// An empty character class: a regex that matches nothing.
const NEVER: &str = "[a&&b]";
/// Most evidence records kept per finding.
const MAX_EVIDENCE: usize = 12;
/// Longest evidence text kept, in bytes (records can be megabytes of XML).
pub(crate) const MAX_EVIDENCE_TEXT: usize = 600;

/// Which signal of which rule a pattern or code belongs to.
#[derive(Clone, Copy, Debug)]
struct SigRef {
    rule: usize,
    unless: bool,
    sig: usize,
}

/// One value per signal of a rule (`.0`) and per unless (`.1`).
type PerSignal<T> = (Vec<T>, Vec<T>);

/// Everything derived from a rule list that evaluation needs.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    prefilter: OnceLock<BytesRegex>,
    pub codes: HashSet<u32>,
    /// Every distinct message pattern, each compiled when a log first needs it.
    patterns: Arc<Patterns>,
    by_pattern: Vec<Vec<SigRef>>,
    by_code: HashMap<u32, Vec<SigRef>>,
    /// For each rule: the pattern index of each signal's and each unless's message pattern.
    pattern_of: Vec<PerSignal<Option<usize>>>,
}

impl Compiled {
    /// Indexes the rules' patterns and codes; nothing is compiled yet (see
    /// [`Compiled::check_patterns`]).
    pub fn new(rules: &[Rule]) -> Compiled {
        let mut sources: Vec<String> = Vec::new();
        let mut routes: Vec<Route> = Vec::new();
        let mut index_of: HashMap<String, usize> = HashMap::new();
        let mut by_pattern: Vec<Vec<SigRef>> = Vec::new();
        let mut by_code: HashMap<u32, Vec<SigRef>> = HashMap::new();
        let mut codes = HashSet::new();
        let mut pattern_of = Vec::with_capacity(rules.len());

        for (r, rule) in rules.iter().enumerate() {
            let mut register = |signals: &[Signal], unless: bool| -> Vec<Option<usize>> {
                signals
                    .iter()
                    .enumerate()
                    .map(|(s, signal)| {
                        let sref = SigRef {
                            rule: r,
                            unless,
                            sig: s,
                        };
                        for &code in &signal.codes {
                            codes.insert(code);
                        }
                        match &signal.message_compiled {
                            Some(p) => {
                                let i = *index_of.entry(p.clone()).or_insert_with(|| {
                                    sources.push(p.clone());
                                    routes.push(Route::Literals(Vec::new()));
                                    by_pattern.push(Vec::new());
                                    sources.len() - 1
                                });
                                by_pattern[i].push(sref);
                                routes[i] = merge(&routes[i], signal_route(signal));
                                Some(i)
                            }
                            None => {
                                // Code-only signals are reached through their codes.
                                for &code in &signal.codes {
                                    by_code.entry(code).or_default().push(sref);
                                }
                                None
                            }
                        }
                    })
                    .collect()
            };
            let sig = register(&rule.signals, false);
            let unl = register(&rule.unless, true);
            pattern_of.push((sig, unl));
        }

        Compiled {
            prefilter: OnceLock::new(),
            codes,
            patterns: Arc::new(Patterns::new(sources, routes)),
            by_pattern,
            by_code,
            pattern_of,
        }
    }

    /// Matchers for no rules at all.
    pub fn never() -> Compiled {
        Compiled::new(&[])
    }

    /// Compiles the message patterns of `rules[range]` now; the first that cannot be
    /// compiled is returned with the index of its rule and the reason.
    pub fn check_patterns(&self, range: std::ops::Range<usize>) -> Result<(), (usize, String)> {
        for r in range {
            let Some((sig, unl)) = self.pattern_of.get(r) else {
                continue;
            };
            for &p in sig.iter().chain(unl).flatten() {
                self.patterns.check(p).map_err(|reason| (r, reason))?;
            }
        }
        Ok(())
    }

    /// The message patterns, reached by their literals (what the log scan looks for).
    pub fn patterns(&self) -> &Patterns {
        &self.patterns
    }

    /// One regex over raw bytes matching anything any message pattern could match. The
    /// scan finds candidates by the patterns' literals instead; this serves tests and
    /// tools, so it is compiled only when asked for.
    pub fn prefilter(&self) -> &BytesRegex {
        self.prefilter.get_or_init(|| {
            let sources = self.patterns.sources();
            let src = match sources.is_empty() {
                true => NEVER.to_string(),
                false => sources.join("|"),
            };
            BytesRegexBuilder::new(&src)
                .size_limit(SIZE_LIMIT)
                .dfa_size_limit(DFA_SIZE_LIMIT)
                .build()
                .unwrap_or_else(|_| BytesRegex::new(NEVER).expect("constant pattern compiles"))
        })
    }

    /// Whether any message pattern matches `message`.
    pub fn any_pattern(&self, message: &str) -> bool {
        self.patterns.any_match(message)
    }

    /// Matches candidates (sorted by index) against every rule; see [`super::RuleSet::evaluate`].
    pub fn evaluate(&self, rules: &[Rule], candidates: &[MatchRecord<'_>]) -> Vec<Finding> {
        // hits[rule].0[signal] / .1[unless] = positions in `candidates`, ascending. Made
        // for a rule when a record first reaches it: a small log reaches a few of hundreds.
        let mut hits: Vec<Option<PerSignal<Vec<usize>>>> = vec![None; rules.len()];

        // Which patterns each record matches: the costly part, and independent per record.
        let matches: Vec<Vec<usize>> = crate::par::map_chunks(candidates, 4096, |part| {
            part.iter()
                .map(|rec| {
                    let mut out = Vec::new();
                    if !rec.message.is_empty() {
                        self.patterns.for_each_match(rec.message, |p| out.push(p));
                    }
                    out
                })
                .collect()
        });
        for ((pos, rec), matched) in candidates.iter().enumerate().zip(matches) {
            let mut consider = |sref: SigRef| {
                let rule = &rules[sref.rule];
                let (signal, pattern) = if sref.unless {
                    (
                        &rule.unless[sref.sig],
                        self.pattern_of[sref.rule].1[sref.sig],
                    )
                } else {
                    (
                        &rule.signals[sref.sig],
                        self.pattern_of[sref.rule].0[sref.sig],
                    )
                };
                if let Some(p) = pattern {
                    if !matched.contains(&p) {
                        return;
                    }
                }
                if !signal.codes_match(rec.codes)
                    || !signal.context_matches(rec.component, rec.step)
                {
                    return;
                }
                let rule_hits = hits[sref.rule].get_or_insert_with(|| {
                    (
                        vec![Vec::new(); rule.signals.len()],
                        vec![Vec::new(); rule.unless.len()],
                    )
                });
                let list = if sref.unless {
                    &mut rule_hits.1[sref.sig]
                } else {
                    &mut rule_hits.0[sref.sig]
                };
                if list.last() != Some(&pos) {
                    list.push(pos);
                }
            };
            for &p in &matched {
                for &sref in &self.by_pattern[p] {
                    consider(sref);
                }
            }
            for code in rec.codes {
                if let Some(list) = self.by_code.get(code) {
                    for &sref in list {
                        consider(sref);
                    }
                }
            }
        }

        let mut findings: Vec<Finding> = rules
            .iter()
            .zip(&hits)
            // A rule no record reached has no hit to make a finding of.
            .filter_map(|(rule, h)| h.as_ref().map(|h| (rule, h)))
            .filter_map(|(rule, (sig_hits, unless_hits))| {
                if unless_hits.iter().any(|h| !h.is_empty()) {
                    return None;
                }
                finding_for(rule, sig_hits, candidates)
            })
            .collect();
        findings.sort_by(|a, b| {
            b.confidence
                .cmp(&a.confidence)
                .then(b.priority.cmp(&a.priority))
                .then(first_index(a).cmp(&first_index(b)))
                .then(a.id.cmp(&b.id))
        });
        findings
    }
}

/// How a signal's pattern is reached: by the pattern's literals, else by its codes' (a
/// record it matches must spell one of them), else everywhere.
fn signal_route(signal: &Signal) -> Route {
    match signal_literals(signal) {
        Some(set) => Route::Literals(set),
        None => Route::Everywhere,
    }
}

/// The route of a pattern two signals share: either's literals may bring a record.
fn merge(a: &Route, b: Route) -> Route {
    match (a, b) {
        (Route::Literals(x), Route::Literals(mut y)) => {
            y.extend(x.iter().cloned());
            y.sort();
            y.dedup();
            Route::Literals(y)
        }
        _ => Route::Everywhere,
    }
}

fn first_index(f: &Finding) -> usize {
    f.evidence.first().map_or(usize::MAX, |e| e.index)
}

/// One occurrence: the positions (in `candidates`) that satisfied the required signals.
type Occurrence = Vec<usize>;

fn finding_for(
    rule: &Rule,
    sig_hits: &[Vec<usize>],
    candidates: &[MatchRecord<'_>],
) -> Option<Finding> {
    let required: Vec<usize> = (0..rule.signals.len())
        .filter(|&s| !rule.signals[s].optional)
        .collect();
    let optional: Vec<usize> = (0..rule.signals.len())
        .filter(|&s| rule.signals[s].optional)
        .collect();

    // Every hit of a required signal, in log order; `k` numbers required signals 0..n.
    let mut events: Vec<(usize, usize)> = required
        .iter()
        .enumerate()
        .flat_map(|(k, &s)| sig_hits[s].iter().map(move |&pos| (pos, k)))
        .collect();
    if events.is_empty() {
        return None;
    }
    events.sort_unstable();

    let occurrences = match rule.mode {
        Mode::All => {
            if required.iter().any(|&s| sig_hits[s].is_empty()) {
                return None;
            }
            occurrences_all(rule, &events, required.len(), candidates)
        }
        Mode::Any => occurrences_any(rule, &events, required.len(), candidates),
    };
    let first = occurrences.first()?;

    let start = candidates[*first.first()?].index;
    let end = candidates[*first.last()?].index;
    let mut evidence_pos: Vec<usize> = first.clone();
    let mut corroborated = false;
    for &s in &optional {
        // The optional hit nearest the first occurrence (inside the window when there is one).
        let best = sig_hits[s]
            .iter()
            .copied()
            .filter(|&pos| match rule.within {
                Some(w) => {
                    let i = candidates[pos].index;
                    i.saturating_add(w) >= end && i <= start.saturating_add(w)
                }
                None => true,
            })
            .min_by_key(|&pos| {
                let i = candidates[pos].index;
                if i < start {
                    start - i
                } else {
                    i.saturating_sub(end)
                }
            });
        if let Some(pos) = best {
            corroborated = true;
            evidence_pos.push(pos);
        }
    }
    evidence_pos.sort_unstable();
    evidence_pos.dedup();
    evidence_pos.truncate(MAX_EVIDENCE);

    let confidence = if optional.is_empty() || corroborated {
        rule.confidence
    } else {
        rule.confidence.lower()
    };
    let (causes, fix) = render_causes(rule);
    Some(Finding {
        id: rule.id.clone(),
        title: rule.title.clone(),
        confidence,
        priority: rule.priority,
        causes,
        fix,
        references: rule.references.clone(),
        versions: rule.versions.clone(),
        evidence: evidence_pos
            .into_iter()
            .map(|pos| {
                let r = &candidates[pos];
                Evidence {
                    index: r.index,
                    source: r.source.to_string(),
                    line: r.line,
                    text: clip(r.message.trim_end(), MAX_EVIDENCE_TEXT),
                }
            })
            .collect(),
        occurrences: occurrences.len(),
    })
}

/// Separate matches of a rule whose required signals must all appear.
///
/// Greedy from the earliest hit: take the first hit of each required signal
/// (in listed order when `ordered`), within the window; once complete, the
/// next occurrence starts after its last record. Repeats of a signal before
/// the occurrence completes (retries) belong to it.
fn occurrences_all(
    rule: &Rule,
    events: &[(usize, usize)],
    n: usize,
    candidates: &[MatchRecord<'_>],
) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < events.len() {
        if rule.ordered && events[p].1 != 0 {
            p += 1;
            continue;
        }
        let start = candidates[events[p].0].index;
        let mut got: Vec<Option<usize>> = vec![None; n];
        let mut count = 0;
        let mut next = 0;
        let mut done = None;
        let mut left_window = false;
        for (q, &(pos, k)) in events.iter().enumerate().skip(p) {
            if let Some(w) = rule.within {
                if candidates[pos].index.saturating_sub(start) > w {
                    left_window = true;
                    break;
                }
            }
            let take = if rule.ordered {
                k == next
            } else {
                got[k].is_none()
            };
            if take {
                got[k] = Some(pos);
                count += 1;
                next += 1;
            }
            if count == n {
                done = Some(q);
                break;
            }
        }
        match done {
            Some(q) => {
                let mut occ: Occurrence = got.into_iter().flatten().collect();
                occ.sort_unstable();
                out.push(occ);
                p = q + 1;
            }
            // Ran out of hits: no later start can complete either.
            None if !left_window => break,
            None => p += 1,
        }
    }
    out
}

/// Separate matches of a rule where any required signal is enough: hits join
/// the current occurrence until a signal repeats or the window is left.
fn occurrences_any(
    rule: &Rule,
    events: &[(usize, usize)],
    n: usize,
    candidates: &[MatchRecord<'_>],
) -> Vec<Occurrence> {
    let mut out: Vec<Occurrence> = Vec::new();
    let mut current: Occurrence = Vec::new();
    let mut seen = vec![false; n];
    let mut start = 0;
    for &(pos, k) in events {
        let index = candidates[pos].index;
        let outside = rule.within.is_some_and(|w| index.saturating_sub(start) > w);
        if !current.is_empty() && (seen[k] || outside) {
            out.push(std::mem::take(&mut current));
            seen.iter_mut().for_each(|s| *s = false);
        }
        if current.is_empty() {
            start = index;
        }
        if !seen[k] {
            seen[k] = true;
            if current.last() != Some(&pos) {
                current.push(pos);
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The finding's causes and fix steps: the fix as written for one cause; with several,
/// each step starts "If cause N:".
pub(crate) fn render_causes(rule: &Rule) -> (Vec<String>, Vec<String>) {
    let causes = rule.causes.iter().map(|c| c.text.clone()).collect();
    let fix = match rule.causes.as_slice() {
        [only] => only.fix.clone(),
        several => several
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                c.fix
                    .iter()
                    .map(move |f| format!("If cause {}: {f}", i + 1))
            })
            .collect(),
    };
    (causes, fix)
}

pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}
