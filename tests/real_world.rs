//! The real-world test set (`tests/real/`): log text copied verbatim from public
//! sources, each case with the cause its source states. Every case runs through the
//! same pipeline as `tslens report`, and the set is scored: the first finding right,
//! any finding right, and false findings on successful runs, for all cases and for the
//! cases no rule was written from (the figure that says whether the knowledge
//! generalises). The test fails below the floors documented in the README.

use std::path::{Path, PathBuf};

use tslens::analysis::{analyze_applied, diagnosis, open};
use tslens::kb::RuleSet;
use tslens::source::Input;

/// Floors under which the score fails the test (fractions of the cases); the README
/// gives the figures measured.
const FIRST_RIGHT_ALL: f64 = 0.90;
const FIRST_RIGHT_HELD_OUT: f64 = 0.70;
const ANY_RIGHT_HELD_OUT: f64 = 0.70;

#[derive(serde::Deserialize)]
struct Case {
    source: String,
    stated_cause: String,
    outcome: String,
    #[serde(default)]
    expect: Vec<String>,
    rule_written_from: bool,
    /// The day a batch of cases was added, so a new batch's held-out score can be read
    /// on its own (the figure measured before any rule was changed for it).
    #[serde(default)]
    added: Option<String>,
}

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            cases(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

#[derive(Default)]
struct Score {
    failed: usize,
    first: usize,
    any: usize,
    succeeded: usize,
    false_alarms: usize,
}

impl Score {
    fn rate(n: usize, of: usize) -> f64 {
        if of == 0 {
            1.0
        } else {
            n as f64 / of as f64
        }
    }
    fn line(&self, label: &str) -> String {
        format!(
            "{label}: first finding right {}/{} ({:.0}%), any finding right {}/{} ({:.0}%), false findings on successful runs {}/{}",
            self.first,
            self.failed,
            100.0 * Score::rate(self.first, self.failed),
            self.any,
            self.failed,
            100.0 * Score::rate(self.any, self.failed),
            self.false_alarms,
            self.succeeded
        )
    }
}

#[test]
fn real_world_cases_are_diagnosed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real");
    let mut files = Vec::new();
    cases(&root, &mut files);
    assert!(files.len() >= 50, "only {} real-world cases", files.len());
    let rules = RuleSet::builtin();
    let ids: std::collections::HashSet<&str> =
        rules.rules().iter().map(|r| r.id.as_str()).collect();
    let (mut all, mut held) = (Score::default(), Score::default());
    let mut batches: std::collections::BTreeMap<String, Score> = Default::default();
    let mut sources = std::collections::HashSet::new();
    let mut misses = Vec::new();
    for meta in &files {
        let text = std::fs::read_to_string(meta).expect("case metadata");
        let case: Case =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", meta.display()));
        assert!(
            !case.source.trim().is_empty() && !case.stated_cause.trim().is_empty(),
            "{}",
            meta.display()
        );
        for id in &case.expect {
            assert!(
                ids.contains(id.as_str()),
                "{}: no rule {id}",
                meta.display()
            );
        }
        sources.insert(case.source.clone());
        let log = meta.with_extension("log");
        let (parsed, applied) = open(&[Input::File(log.clone())], &rules).expect("case log");
        let analysis = analyze_applied(&parsed, &rules, applied);
        // The finding built from the log names what failed, not a known problem.
        let found: Vec<&str> = analysis
            .findings
            .iter()
            .map(|f| f.id.as_str())
            .filter(|id| *id != diagnosis::ID)
            .collect();
        let batch = match &case.added {
            Some(day) if !case.rule_written_from => Some(batches.entry(day.clone()).or_default()),
            _ => None,
        };
        for score in [
            Some(&mut all),
            (!case.rule_written_from).then_some(&mut held),
            batch,
        ]
        .into_iter()
        .flatten()
        {
            match case.outcome.as_str() {
                "succeeded" => {
                    score.succeeded += 1;
                    if !analysis.findings.is_empty() {
                        score.false_alarms += 1;
                    }
                }
                _ => {
                    score.failed += 1;
                    if found
                        .first()
                        .is_some_and(|f| case.expect.iter().any(|e| e == f))
                    {
                        score.first += 1;
                    }
                    if found.iter().any(|f| case.expect.iter().any(|e| e == f)) {
                        score.any += 1;
                    }
                }
            }
        }
        let right = match case.outcome.as_str() {
            "succeeded" => analysis.findings.is_empty(),
            _ => found
                .first()
                .is_some_and(|f| case.expect.iter().any(|e| e == f)),
        };
        if !right {
            misses.push(format!(
                "  {}{}: expected {:?}, found {:?}",
                log.strip_prefix(&root).unwrap_or(&log).display(),
                if case.rule_written_from {
                    ""
                } else {
                    " (held out)"
                },
                case.expect,
                found
            ));
        }
    }
    println!("{} cases from {} sources", files.len(), sources.len());
    println!("{}", all.line("all cases"));
    println!("{}", held.line("cases no rule was written from"));
    for (day, score) in &batches {
        println!("{}", score.line(&format!("  of them, added {day}")));
    }
    for m in &misses {
        println!("{m}");
    }
    assert_eq!(all.false_alarms, 0, "findings on successful runs");
    assert!(
        Score::rate(all.first, all.failed) >= FIRST_RIGHT_ALL,
        "{}",
        all.line("all")
    );
    assert!(
        Score::rate(held.first, held.failed) >= FIRST_RIGHT_HELD_OUT,
        "{}",
        held.line("held out")
    );
    assert!(
        Score::rate(held.any, held.failed) >= ANY_RIGHT_HELD_OUT,
        "{}",
        held.line("held out")
    );
}
