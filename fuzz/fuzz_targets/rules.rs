//! Rules: any rule file text is either loaded or refused with an error naming a line,
//! never a panic; loaded rules build a rule set and run over their own examples.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tslens::kb::RuleSet;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match RuleSet::parse_text("fuzz.toml", text) {
        Ok(rules) => {
            let _ = RuleSet::check_examples(&rules);
            let _ = RuleSet::from_rules(rules);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
