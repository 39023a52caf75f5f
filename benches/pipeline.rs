//! The report pipeline stage by stage, in process: framing the text, the analysis with no
//! rules (codes, chains, steps), the analysis with the built-in knowledge base, and the
//! knowledge base's literal scan against the automaton it replaced.
//!
//! The log is `TSLENS_BENCH_LOG` when set (e.g. the file from
//! `gen_smsts.py --size 1G --out /tmp/smsts-1g.log`), else a synthetic 20 MB log built here.
//! Whole-process figures against `rg` come from `benches/report_vs_rg.sh`.

use std::path::PathBuf;
use std::sync::LazyLock;

use tslens::analysis::analyze;
use tslens::kb::literals as prefilter;
use tslens::kb::RuleSet;
use tslens::log::{Log, Source};
use tslens::multilit::MultiLit;
use tslens::source::{Input, SourceText};

mod support;

fn main() {
    divan::main();
}

static TEXT: LazyLock<Vec<u8>> = LazyLock::new(|| match std::env::var_os("TSLENS_BENCH_LOG") {
    Some(p) => std::fs::read(PathBuf::from(p)).expect("cannot read TSLENS_BENCH_LOG"),
    None => support::synthetic(20 << 20),
});

static LOG: LazyLock<Log> = LazyLock::new(|| match std::env::var_os("TSLENS_BENCH_LOG") {
    Some(p) => Log::open(&[Input::File(PathBuf::from(p))]).expect("cannot open the log"),
    None => Log::from_sources(vec![Source::index(SourceText::from_vec(
        "bench.log".into(),
        TEXT.clone(),
    ))]),
});

static RULES: LazyLock<RuleSet> = LazyLock::new(RuleSet::builtin);

/// Messages of every record, as the knowledge-base scan sees them.
static MESSAGES: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let src = &LOG.sources[0];
    (0..src.records.len())
        .map(|i| src.fields(i).message.to_vec())
        .collect()
});

fn kb_literals() -> Vec<Vec<u8>> {
    prefilter::rule_literals(&RULES).literals
}

/// Framing every record (what `report --stage index` does after mapping the file).
#[divan::bench(sample_count = 10)]
fn index(bencher: divan::Bencher) {
    bencher.bench(|| tslens::parse::index_parallel(&TEXT, 2).len());
}

/// Codes, chains and steps.
#[divan::bench(sample_count = 10)]
fn analysis_without_rules(bencher: divan::Bencher) {
    let empty = RuleSet::empty();
    bencher.bench(|| analyze(&LOG, &empty).steps.steps.len());
}

/// Codes, chains, steps and every built-in rule.
#[divan::bench(sample_count = 10)]
fn analysis_with_rules(bencher: divan::Bencher) {
    bencher.bench(|| analyze(&LOG, &RULES).findings.len());
}

/// The knowledge base's literals over every message, one thread: sampled 4-grams.
#[divan::bench(sample_count = 10)]
fn kb_literals_multilit(bencher: divan::Bencher) {
    let ml = MultiLit::new(&kb_literals()).expect("literals of 4 bytes or more");
    bencher.bench(|| MESSAGES.iter().filter(|m| ml.is_match(m)).count());
}

/// The same with the ASCII case-insensitive Aho-Corasick DFA it replaced.
#[divan::bench(sample_count = 10)]
fn kb_literals_aho_corasick(bencher: divan::Bencher) {
    let ac = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(kb_literals())
        .expect("automaton");
    bencher.bench(|| MESSAGES.iter().filter(|m| ac.is_match(m)).count());
}
