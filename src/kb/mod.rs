//! Known problems: rule files, validation and matching.
//!
//! Rules are TOML data (`kb/*.toml`, embedded at build time, plus any user
//! directory); `docs/kb.md` describes the format. The analysis searches the log
//! for the literals every message pattern requires ([`literals`], [`RuleSet::patterns`])
//! and keeps the records that hold one or carry one of [`RuleSet::codes`];
//! [`RuleSet::evaluate`] turns those candidates into ranked [`Finding`]s.

pub mod catalog;
mod error;
mod examples;
pub mod literals;
mod matcher;
mod patterns;
mod schema;

#[cfg(test)]
mod tests;

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

pub use error::{RuleError, RuleErrorKind};
pub use schema::{Cause, Confidence, Example, Mode, Rule, Signal};

use matcher::Compiled;

/// Cuts a message quoted as evidence the way every finding's evidence is cut.
pub(crate) fn evidence_text(message: &str) -> String {
    matcher::clip(message.trim(), matcher::MAX_EVIDENCE_TEXT)
}

/// The built-in rule files, embedded so the binary needs no data directory
/// (`build.rs` lists every `kb/*.toml`). A test checks the list against `kb/`.
const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_kb.rs"));

/// One log record offered to the matcher.
#[derive(Clone, Copy, Debug)]
pub struct MatchRecord<'a> {
    /// Index of the record in the merged log; `within` distances use it.
    pub index: usize,
    /// The file the record came from, as shown to the user.
    pub source: &'a str,
    /// 1-based line of the record's first line in its file.
    pub line: u64,
    /// The record's component ("" when the format has none).
    pub component: &'a str,
    /// The record's message text.
    pub message: &'a str,
    /// Every error code the message mentions.
    pub codes: &'a [u32],
    /// Name of the task-sequence step the record falls in, if known.
    pub step: Option<&'a str>,
}

/// A log record quoted as evidence for a finding.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Evidence {
    /// Index of the record in the merged log.
    pub index: usize,
    /// The file it came from.
    pub source: String,
    /// 1-based line in that file.
    pub line: u64,
    /// The message (long ones are cut short).
    pub text: String,
}

/// A known problem recognised in the log.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Finding {
    /// The rule's id.
    pub id: String,
    /// The rule's title.
    pub title: String,
    /// How sure the match is.
    pub confidence: Confidence,
    /// The rule's priority (ranks findings of equal confidence).
    pub priority: i32,
    /// The possible causes, most likely first (usually one). The JSON keeps the contract's
    /// `cause` string (see [`Finding::cause`]) and adds them as `causes`.
    #[serde(flatten, serialize_with = "cause_keys")]
    pub causes: Vec<String>,
    /// Fix steps in order; with several causes each step starts "If cause N:".
    pub fix: Vec<String>,
    /// Articles and other sources.
    pub references: Vec<String>,
    /// Affected versions.
    pub versions: Option<String>,
    /// Records that matched, from the first occurrence (at most 12).
    pub evidence: Vec<Evidence>,
    /// How many separate times the problem shows in the log.
    pub occurrences: usize,
}

impl Finding {
    /// The causes as one text: the cause itself, or several numbered "1. ... 2. ..." (the
    /// JSON contract's `cause`). Readers that can show a list use [`Finding::causes`].
    pub fn cause(&self) -> String {
        Finding::cause_text(&self.causes)
    }

    fn cause_text(causes: &[String]) -> String {
        match causes {
            [only] => only.clone(),
            several => several
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{}. {c}", i + 1))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// The JSON keys of a finding's causes: `cause` joined as the contract has it, and the
/// list as `causes`.
fn cause_keys<S: serde::Serializer>(causes: &[String], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let joined = Finding::cause_text(causes);
    let mut m = s.serialize_map(Some(2))?;
    m.serialize_entry("cause", &joined)?;
    m.serialize_entry("causes", causes)?;
    m.end()
}

/// A checked set of rules, compiled for matching.
#[derive(Clone, Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    compiled: Compiled,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::empty()
    }
}

impl RuleSet {
    /// A set with no rules (its prefilter matches nothing).
    pub fn empty() -> RuleSet {
        RuleSet {
            rules: Vec::new(),
            compiled: Compiled::never(),
        }
    }

    /// Every built-in rule. Built-in files are checked by the test suite, so
    /// the errors [`RuleSet::builtin_checked`] would report are never expected.
    pub fn builtin() -> RuleSet {
        RuleSet::builtin_checked().0
    }

    /// The message patterns and the literals that reach them: what the log scan looks
    /// for on the rules' behalf (see `analysis`).
    pub(crate) fn patterns(&self) -> &patterns::Patterns {
        self.compiled.patterns()
    }

    /// The built-in rules and any problem found while loading them.
    pub fn builtin_checked() -> (RuleSet, Vec<RuleError>) {
        let mut set = RuleSet::empty();
        // For rule authors: check a working copy of kb/ (`--kb kb/`) with an
        // installed binary, whose embedded copies would clash with it by id.
        if std::env::var_os("TSLENS_NO_BUILTIN_KB").is_some() {
            return (set, Vec::new());
        }
        // Their patterns are compiled when a log needs them: a test holds that they do.
        let errors = set.add_sources_with(
            BUILTIN
                .iter()
                .map(|(name, text)| (PathBuf::from(name), Ok((*text).to_string())))
                .collect(),
            true,
        );
        (set, errors)
    }

    /// Names of the embedded rule files (`kb/<name>.toml`).
    pub fn builtin_files() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(name, _)| *name)
    }

    /// Builds a set from rules already loaded (for example by [`RuleSet::load_file`]).
    ///
    /// Fails on a duplicate id or when a message pattern exceeds the regex size limit.
    pub fn from_rules(rules: Vec<Rule>) -> Result<RuleSet, RuleError> {
        RuleSet::with_added(&RuleSet::empty(), rules)
    }

    /// A set of `base`'s rules with `rules` added, as `report` would hold them with a user
    /// file loaded (for `kb check`): a base rule is left out when `rules` reuse its id, and
    /// so is its whole file when `rules` are a working copy of it (a file of the same name
    /// sharing ids), since the copy replaces the embedded one. Only the added rules' patterns are compiled to check them; the base
    /// set's are trusted and compile when a log needs them.
    pub fn with_added(base: &RuleSet, rules: Vec<Rule>) -> Result<RuleSet, RuleError> {
        let mut ids = HashSet::new();
        for rule in &rules {
            if !ids.insert(rule.id.as_str()) {
                return Err(duplicate(rule, "another rule in this set"));
            }
        }
        // A file sharing ids with the built-in file of its name is a working copy of it.
        let names: HashSet<_> = base
            .rules
            .iter()
            .filter(|b| ids.contains(b.id.as_str()))
            .filter_map(|b| b.file.file_name())
            .filter(|n| rules.iter().any(|r| r.file.file_name() == Some(n)))
            .collect();
        let mut all: Vec<Rule> = base
            .rules
            .iter()
            .filter(|b| {
                !ids.contains(b.id.as_str())
                    && b.file.file_name().is_none_or(|n| !names.contains(n))
            })
            .cloned()
            .collect();
        let first = all.len();
        all.extend(rules);
        let compiled = Compiled::new(&all);
        compiled
            .check_patterns(first..all.len())
            .map_err(|(r, reason)| too_large(&all[r], &reason))?;
        Ok(RuleSet {
            rules: all,
            compiled,
        })
    }

    /// Adds the rule files (`*.toml`) of a directory, in name order.
    ///
    /// A file with any problem is skipped whole and its error returned; the
    /// rules already in the set and the other files still load. A missing or
    /// unreadable directory is returned as one error.
    pub fn load_dir(&mut self, dir: &Path) -> Vec<RuleError> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                return vec![RuleError::whole_file(
                    dir,
                    RuleErrorKind::Io,
                    format!("cannot read rule directory: {e}"),
                )]
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        paths.sort();
        let sources = paths
            .into_iter()
            .map(|p| {
                let text = read_text(&p);
                (p, text)
            })
            .collect();
        self.add_sources(sources)
    }

    /// Reads and checks one rule file (for `tslens kb check`). Duplicate ids
    /// inside the file are errors; clashes with other files are not checked here.
    pub fn load_file(path: &Path) -> Result<Vec<Rule>, RuleError> {
        let text = read_text(path)?;
        schema::parse_rules(path, &text)
    }

    /// Reads one rule file and checks each rule (for `tslens kb check`): the rules that
    /// are good, and the problem of every one that is not. Err when the file cannot be
    /// read or is not a rule file at all.
    pub fn load_file_each(path: &Path) -> Result<(Vec<Rule>, Vec<RuleError>), RuleError> {
        let text = read_text(path)?;
        schema::parse_rules_each(path, &text)
    }

    /// Parses and checks rule file text named `origin` in errors (fuzzing, tools that hold
    /// the text already).
    pub fn parse_text(origin: &str, text: &str) -> Result<Vec<Rule>, RuleError> {
        schema::parse_rules(Path::new(origin), text)
    }

    /// Runs each rule's `[[rule.example]]` excerpts and reports those that do
    /// not behave as declared, and rules that have no example that fires.
    pub fn check_examples(rules: &[Rule]) -> Vec<RuleError> {
        rules
            .iter()
            .flat_map(examples::check_rule_examples)
            .collect()
    }

    /// The rules, built-in first, then user files in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// One regex over raw log bytes matching anything any rule's message
    /// pattern (signal or unless) could match: records it hits are candidates.
    pub fn prefilter(&self) -> &regex::bytes::Regex {
        self.compiled.prefilter()
    }

    /// Whether any rule's message pattern (signal or unless) matches `message`: the
    /// check on a record whose message holds one of the rules' literals.
    pub fn any_pattern(&self, message: &str) -> bool {
        self.compiled.any_pattern(message)
    }

    /// Every code any rule mentions: records carrying one are candidates too.
    pub fn codes(&self) -> &HashSet<u32> {
        &self.compiled.codes
    }

    /// Matches candidate records (sorted by `index`) against every rule.
    ///
    /// Findings are ranked by confidence, then priority, then earliest
    /// evidence. A problem that shows several times is one finding with
    /// `occurrences > 1` and the evidence of its first occurrence.
    pub fn evaluate(&self, candidates: &[MatchRecord<'_>]) -> Vec<Finding> {
        self.compiled.evaluate(&self.rules, candidates)
    }

    /// Parses sources in order and adds the good ones; returns the problems.
    fn add_sources(
        &mut self,
        sources: Vec<(PathBuf, Result<String, RuleError>)>,
    ) -> Vec<RuleError> {
        self.add_sources_with(sources, false)
    }

    /// [`RuleSet::add_sources`]; with `known_good` (the built-in files, which a test
    /// compiles) the patterns are not compiled now but when a log needs them.
    fn add_sources_with(
        &mut self,
        sources: Vec<(PathBuf, Result<String, RuleError>)>,
        known_good: bool,
    ) -> Vec<RuleError> {
        let mut errors = Vec::new();
        let mut ids: HashSet<String> = self.rules.iter().map(|r| r.id.clone()).collect();
        let mut batches: VecDeque<Vec<Rule>> = VecDeque::new();
        // Files parse side by side: parsing the built-in files is a good part of a small
        // log's report. Order (and so which of two clashing ids wins) stays the files'.
        let parsed = {
            let _t = crate::timing::Stage::start("parse rule files");
            crate::par::map_chunks(&sources, 1, |part| {
                part.iter()
                    .map(|(path, text)| match text {
                        Ok(t) => schema::parse_rules(path, t),
                        Err(e) => Err(e.clone()),
                    })
                    .collect()
            })
        };
        for parsed in parsed {
            let rules = match parsed {
                Ok(rules) => rules,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            if let Some(rule) = rules.iter().find(|r| ids.contains(&r.id)) {
                errors.push(duplicate(rule, "a rule loaded earlier"));
                continue;
            }
            ids.extend(rules.iter().map(|r| r.id.clone()));
            batches.push_back(rules);
        }
        if batches.is_empty() {
            return errors;
        }
        let mut all = self.rules.clone();
        all.extend(batches.iter().flatten().cloned());
        let compiled = Compiled::new(&all);
        if known_good {
            self.rules = all;
            self.compiled = compiled;
            return errors;
        }
        // A user file with a pattern too large to compile is dropped whole, as a file with
        // any other problem is; the others load.
        let _t = crate::timing::Stage::start("compile user rule patterns");
        let mut at = self.rules.len();
        let mut dropped = false;
        let mut rules = std::mem::take(&mut self.rules);
        for batch in batches {
            let range = at..at + batch.len();
            at += batch.len();
            if let Err((r, reason)) = compiled.check_patterns(range) {
                errors.push(too_large(&all[r], &reason));
                dropped = true;
                continue;
            }
            rules.extend(batch);
        }
        self.compiled = match dropped {
            // Indices moved: index the rules that stayed (their patterns compile again
            // when a log needs them).
            true => Compiled::new(&rules),
            false => compiled,
        };
        self.rules = rules;
        errors
    }
}

fn read_text(path: &Path) -> Result<String, RuleError> {
    crate::small_file::read_capped_text(path, crate::small_file::RULE_LIMIT).map_err(|e| {
        RuleError::whole_file(
            path,
            RuleErrorKind::Io,
            format!("cannot read rule file: {e}"),
        )
    })
}

fn duplicate(rule: &Rule, other: &str) -> RuleError {
    RuleError {
        path: rule.file.clone(),
        line: rule.id_line,
        column: 1,
        kind: RuleErrorKind::DuplicateId,
        reason: format!("rule id `{}` is already used by {other}", rule.id),
    }
}

fn too_large(rule: &Rule, reason: &str) -> RuleError {
    RuleError {
        path: rule.file.clone(),
        line: rule.id_line,
        column: 1,
        kind: RuleErrorKind::BadRegex,
        reason: error::one_line(&format!(
            "rule `{}`: a message pattern is too large to compile: {reason}",
            rule.id
        )),
    }
}
