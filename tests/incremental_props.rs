//! The live analysis is incremental (each batch of new records searched once, the chain and
//! step builders kept between batches) and must give what the analysis of the whole final
//! text gives, wherever the batches happen to be cut. The texts are the repository's
//! sample logs and, where `../shared/corpus` is present, the real logs there (under
//! `CI=true` its absence fails the test, as the other corpus tests do).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;

use tslens::analysis::{analyze, Analysis, Incremental};
use tslens::follow::Framer;
use tslens::kb::RuleSet;
use tslens::log::{Log, Source};
use tslens::source::SourceText;

fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(RuleSet::builtin)
}

/// Every sample log (UTF-8 and UTF-16 alike: the framer transcodes as reading a file
/// does), and the corpus's smaller logs.
fn texts() -> &'static Vec<(String, Vec<u8>)> {
    static T: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    T.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut add_dir = |dir: &Path, max: u64| {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return false;
            };
            for e in entries.flatten() {
                let p = e.path();
                let small = e.metadata().is_ok_and(|m| m.is_file() && m.len() <= max);
                if small && p.extension().is_some_and(|x| x == "log" || x == "txt") {
                    paths.push(p);
                }
            }
            true
        };
        add_dir(&root.join("sample-logs"), u64::MAX);
        let corpus = root.join("../shared/corpus");
        if !add_dir(&corpus, 400 << 10) {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{} is missing",
                corpus.display()
            );
            eprintln!("note: {} is missing; sample logs only", corpus.display());
        }
        paths.sort();
        paths
            .into_iter()
            .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
            .collect()
    })
}

/// What a full analysis of the whole text gives, per text, computed once.
fn full(i: usize) -> &'static str {
    static F: OnceLock<Vec<String>> = OnceLock::new();
    &F.get_or_init(|| {
        texts()
            .iter()
            .map(|(name, bytes)| {
                let src = Source::index(SourceText::from_vec(name.clone(), bytes.clone()));
                let log = Log::from_sources(vec![src]);
                shown(&analyze(&log, rules()))
            })
            .collect()
    })[i]
}

/// The parts compared: findings, chains, steps and the run's outcome, and the errors to
/// read once the run is not still running (a followed run that has not ended gets none).
fn shown(a: &Analysis) -> String {
    let running = a.steps.outcome == tslens::analysis::RunOutcome::Running;
    format!(
        "findings {:#?}\nchains {:#?}\nsteps {:#?}\nto read {:#?}",
        a.findings,
        a.chains,
        a.steps,
        (!running).then_some(&a.errors_to_read)
    )
}

/// Feeds `bytes` to a follower's framer cut at `cuts`, appending each batch to a live log
/// and feeding the incremental analysis after each (asking for its analysis now and then,
/// as the explorer does); returns the final analysis.
fn incremental(name: &str, bytes: &[u8], cuts: &[usize], peek: &[bool]) -> (Analysis, usize) {
    let mut framer = Framer::new();
    let mut log = Log::from_sources(vec![Source::streaming(
        name.to_string(),
        tslens::source::Encoding::Utf8,
    )]);
    let mut inc = Incremental::new();
    let mut batches = 0;
    let add = |log: &mut Log, inc: &mut Incremental, b: tslens::follow::Batch, peek: bool| {
        if log.sources[0].records.is_empty() && log.sources[0].text.bytes().is_empty() {
            log.sources[0] = Source::streaming(name.to_string(), b.encoding);
        }
        log.append(0, &b.text, &b.records, b.offset);
        inc.feed(log, rules(), log.len());
        if peek {
            let _ = inc.analysis(log, rules());
        }
    };
    let mut at = 0;
    for (k, &cut) in cuts.iter().enumerate() {
        let cut = cut.clamp(at, bytes.len());
        framer.push(&bytes[at..cut]);
        at = cut;
        if let Some(b) = framer.take(false) {
            batches += 1;
            add(&mut log, &mut inc, b, peek.get(k).copied().unwrap_or(false));
        }
    }
    framer.push(&bytes[at..]);
    if let Some(b) = framer.finish() {
        batches += 1;
        add(&mut log, &mut inc, b, false);
    }
    (inc.analysis(&log, rules()), batches)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any text, any batch boundaries: the incremental analysis equals the full one.
    #[test]
    fn incremental_analysis_equals_the_full_analysis(
        pick in any::<prop::sample::Index>(),
        fractions in proptest::collection::vec(0.0f64..1.0, 1..40),
        peek in proptest::collection::vec(any::<bool>(), 40),
    ) {
        let i = pick.index(texts().len());
        let (name, bytes) = &texts()[i];
        let mut cuts: Vec<usize> = fractions.iter().map(|f| (f * bytes.len() as f64) as usize).collect();
        cuts.sort_unstable();
        let (got, _) = incremental(name, bytes, &cuts, &peek);
        prop_assert_eq!(shown(&got), full(i), "{} cut at {:?}", name, cuts);
    }
}

/// Every text, cut into many small batches (one every 4 KiB): the same analysis, and the
/// test covers failing runs, chains and findings at all.
#[test]
fn every_text_in_small_batches_gives_the_full_analysis() {
    let (mut chains, mut findings, mut failed) = (0, 0, 0);
    for (i, (name, bytes)) in texts().iter().enumerate() {
        let cuts: Vec<usize> = (1..=bytes.len() / 4096).map(|k| k * 4096).collect();
        let (got, batches) = incremental(name, bytes, &cuts, &vec![true; cuts.len()]);
        assert_eq!(shown(&got), full(i), "{name}");
        assert!(batches > cuts.len() / 2, "{name}: {batches} batches");
        chains += got.chains.len();
        findings += got.findings.len();
        failed += usize::from(got.steps.outcome == tslens::analysis::RunOutcome::Failed);
    }
    assert!(
        chains >= 10 && findings >= 30 && failed >= 10,
        "{chains} chains, {findings} findings, {failed} failed runs"
    );
}

/// A followed task sequence that has not ended lists no errors to read (it may yet go on
/// past them), where the same text read as a saved excerpt does; once the run fails, the
/// live list is the saved one.
#[test]
fn a_followed_run_lists_its_errors_to_read_once_it_ends() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(root.join("sample-logs/fail-apply-driver-package.log")).unwrap();
    // Up to the step's error frames, before "Failed to run the action".
    let cut = memchr::memmem::find(&bytes, b"<![LOG[Failed to run the action").unwrap();
    let none = RuleSet::empty();
    let feed = |upto: usize| {
        let mut framer = Framer::new();
        framer.push(&bytes[..upto]);
        let b = framer.finish().unwrap();
        let mut log = Log::from_sources(vec![Source::streaming("smsts.log".into(), b.encoding)]);
        log.append(0, &b.text, &b.records, b.offset);
        let mut inc = Incremental::new();
        inc.feed(&log, &none, log.len());
        let live = inc.analysis(&log, &none);
        let saved = Log::from_sources(vec![Source::index(SourceText::from_vec(
            "smsts.log".into(),
            bytes[..upto].to_vec(),
        ))]);
        (live, analyze(&saved, &none))
    };
    let (live, saved) = feed(cut);
    assert_eq!(live.steps.outcome, tslens::analysis::RunOutcome::Running);
    assert!(
        !saved.errors_to_read.is_empty(),
        "the excerpt lists its errors"
    );
    assert!(live.errors_to_read.is_empty(), "{:?}", live.errors_to_read);
    let (live, saved) = feed(bytes.len());
    assert_eq!(live.steps.outcome, tslens::analysis::RunOutcome::Failed);
    assert_eq!(
        format!("{:?}", live.errors_to_read),
        format!("{:?}", saved.errors_to_read)
    );
}
