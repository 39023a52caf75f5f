//! Compiling a rule list into fast matchers, and evaluating candidate records.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use regex::bytes::{Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};
use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{Input, MatchKind, PatternSet};

use super::schema::{Mode, Rule, Signal};
use super::{Evidence, Finding, MatchRecord};

/// Room for a few hundred case-insensitive patterns compiled together.
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
    /// Every message pattern, for the [`Compiled::prefilter`] built on demand.
    patterns: Vec<String>,
    prefilter: std::sync::OnceLock<BytesRegex>,
    pub codes: HashSet<u32>,
    /// Every message pattern, compiled together; reports which of them match.
    /// In parts compiled side by side, each with the index of its first pattern.
    set: Sets,
    by_pattern: Vec<Vec<SigRef>>,
    by_code: HashMap<u32, Vec<SigRef>>,
    /// For each rule: the set index of each signal's and each unless's message pattern.
    pattern_of: Vec<PerSignal<Option<usize>>>,
    /// What the log scan builds from these rules (`analysis`'s literal searcher), built
    /// on first use and kept while the rules stay the same: planning it costs more than
    /// scanning a small log.
    pub scan: std::sync::OnceLock<std::sync::Arc<dyn std::any::Any + Send + Sync>>,
}

impl Compiled {
    /// Builds the matchers; fails only when the combined patterns exceed the size limits.
    pub fn new(rules: &[Rule]) -> Result<Compiled, String> {
        Compiled::build(rules, false)
    }

    /// Builds the matchers, the pattern set on a thread of its own while the caller goes
    /// on (opening the log, planning the literal scan); its first use waits for it. Only
    /// for rules known to compile together, as the built-in ones are (a test holds it):
    /// a set that failed here would match nothing.
    pub fn new_in_background(rules: &[Rule]) -> Compiled {
        Compiled::build(rules, true).unwrap_or_else(|_| Compiled::never())
    }

    fn build(rules: &[Rule], background: bool) -> Result<Compiled, String> {
        let mut patterns: Vec<String> = Vec::new();
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
                                    patterns.push(p.clone());
                                    by_pattern.push(Vec::new());
                                    patterns.len() - 1
                                });
                                by_pattern[i].push(sref);
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

        // With hundreds of patterns the set's lazy DFA outgrows the default cache, and
        // every message then runs through the much slower NFA.
        let set = match background {
            true => Sets::compiling(patterns.clone()),
            false => Sets::ready(pattern_sets(&patterns)?),
        };
        Ok(Compiled {
            scan: std::sync::OnceLock::new(),
            patterns,
            prefilter: std::sync::OnceLock::new(),
            codes,
            set,
            by_pattern,
            by_code,
            pattern_of,
        })
    }

    /// Matchers for no rules at all.
    pub fn never() -> Compiled {
        Compiled {
            scan: std::sync::OnceLock::new(),
            patterns: Vec::new(),
            prefilter: std::sync::OnceLock::new(),
            codes: HashSet::new(),
            set: Sets::ready(Vec::new()),
            by_pattern: Vec::new(),
            by_code: HashMap::new(),
            pattern_of: Vec::new(),
        }
    }

    /// One regex over raw bytes matching anything any message pattern could match. The
    /// scan finds candidates by the patterns' literals instead; this serves tests and
    /// tools, so it is compiled only when asked for.
    pub fn prefilter(&self) -> &BytesRegex {
        self.prefilter.get_or_init(|| {
            let src = match self.patterns.is_empty() {
                true => NEVER.to_string(),
                false => self.patterns.join("|"),
            };
            BytesRegexBuilder::new(&src)
                .size_limit(SIZE_LIMIT)
                .dfa_size_limit(DFA_SIZE_LIMIT)
                .build()
                // The set of the same patterns compiled under the same limits.
                .unwrap_or_else(|_| BytesRegex::new(NEVER).expect("constant pattern compiles"))
        })
    }

    /// Whether any message pattern matches `message`.
    pub fn any_pattern(&self, message: &str) -> bool {
        self.set.get().iter().any(|(_, s)| s.is_match(message))
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
                    if rec.message.is_empty() {
                        return out;
                    }
                    let input = Input::new(rec.message);
                    for (first, set) in self.set.get() {
                        let mut which = PatternSet::new(set.pattern_len());
                        set.which_overlapping_matches(&input, &mut which);
                        out.extend(which.iter().map(|p| first + p.as_usize()));
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

/// The message patterns as one regex that says which of them match (what
/// `regex::RegexSet` builds), without the literal prefilter the regex crate would extract
/// from them: with hundreds of case-insensitive patterns, extracting it cost more than
/// compiling the rest, and the candidates it would filter were already found by their
/// literals.
/// [`pattern_set`] over `patterns` in as many parts as there are processors (at most a
/// few), compiled at once: compiling is most of a small log's report.
type Parts = Vec<(usize, meta::Regex)>;

/// The compiled pattern set, or the thread still compiling it.
#[derive(Clone)]
struct Sets(Arc<(OnceLock<Parts>, Mutex<Option<Compiling>>)>);

type Compiling = JoinHandle<Result<Parts, String>>;

impl Sets {
    fn ready(parts: Parts) -> Sets {
        Sets(Arc::new((OnceLock::from(parts), Mutex::new(None))))
    }

    fn compiling(patterns: Vec<String>) -> Sets {
        let mine = patterns.clone();
        let handle = std::thread::Builder::new()
            .name("tslens-rule-patterns".into())
            .spawn(move || pattern_sets(&mine));
        match handle {
            Ok(h) => Sets(Arc::new((OnceLock::new(), Mutex::new(Some(h))))),
            // No thread to be had: compile here and now.
            Err(_) => Sets::ready(pattern_sets(&patterns).unwrap_or_default()),
        }
    }

    /// The parts, waiting for the compiling thread the first time.
    fn get(&self) -> &Parts {
        self.0 .0.get_or_init(|| {
            let handle = self.0 .1.lock().ok().and_then(|mut h| h.take());
            handle
                .and_then(|h| h.join().ok())
                .and_then(Result::ok)
                .unwrap_or_default()
        })
    }
}

impl std::fmt::Debug for Sets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 .0.get() {
            Some(parts) => write!(f, "Sets({} parts)", parts.len()),
            None => f.write_str("Sets(compiling)"),
        }
    }
}

fn pattern_sets(patterns: &[String]) -> Result<Parts, String> {
    if patterns.is_empty() {
        return Ok(Vec::new());
    }
    let parts = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
        .min(patterns.len().div_ceil(64));
    let size = patterns.len().div_ceil(parts);
    let chunks: Vec<(usize, &[String])> = patterns
        .chunks(size)
        .enumerate()
        .map(|(i, c)| (i * size, c))
        .collect();
    let built: Vec<Result<meta::Regex, String>> = match chunks.as_slice() {
        [(_, only)] => vec![pattern_set(only)],
        _ => std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .iter()
                .map(|&(_, c)| scope.spawn(move || pattern_set(c)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("pattern compiler panicked".into()))
                })
                .collect()
        }),
    };
    chunks
        .iter()
        .zip(built)
        .map(|(&(first, _), set)| set.map(|s| (first, s)))
        .collect()
}

fn pattern_set(patterns: &[String]) -> Result<meta::Regex, String> {
    // With hundreds of patterns the lazy DFA outgrows the default cache, and every
    // message then runs through the much slower NFA.
    let config = meta::Config::new()
        .match_kind(MatchKind::All)
        .utf8_empty(false)
        .which_captures(WhichCaptures::None)
        .auto_prefilter(false)
        .nfa_size_limit(Some(SIZE_LIMIT))
        .hybrid_cache_capacity(DFA_SIZE_LIMIT);
    meta::Builder::new()
        .configure(config)
        .syntax(ascii_syntax())
        .build_many(patterns)
        .map_err(|e| e.to_string())
}

/// Patterns read as ASCII: case folded for ASCII letters only, `\d`, `\s` and `\w`
/// ASCII, `.` any byte but a newline. The scan finds candidates by literals folded the
/// same way, so Unicode folding here could match nothing more, and Unicode classes made
/// the compiled set several times larger to build.
fn ascii_syntax() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
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
