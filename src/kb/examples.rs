//! Turning a rule's example excerpt into records, and checking that the rule
//! treats it as the example says.

use std::sync::LazyLock;

use regex::Regex;

use super::error::{RuleError, RuleErrorKind};
use super::schema::{Example, Rule};
use super::{MatchRecord, RuleSet};

/// One record of an example, owning its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OwnedRecord {
    pub line: u64,
    pub component: String,
    pub message: String,
    pub codes: Vec<u32>,
    pub step: Option<String>,
}

/// Splits an example into records: one per non-empty line, CMTrace or plain.
pub(crate) fn example_records(example: &Example) -> Vec<OwnedRecord> {
    let default_component = example.component.clone().unwrap_or_default();
    example
        .log
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let (message, component) = match split_cmtrace(l) {
                Some((m, c)) => (m.to_string(), c.to_string()),
                None => (l.trim_end().to_string(), default_component.clone()),
            };
            OwnedRecord {
                line: i as u64 + 1,
                codes: scan_codes(&message),
                component,
                message,
                step: example.step.clone(),
            }
        })
        .collect()
}

/// The message and component of a one-line CMTrace record.
pub(crate) fn split_cmtrace(line: &str) -> Option<(&str, &str)> {
    let start = line.find("<![LOG[")? + "<![LOG[".len();
    let end = start + line[start..].find("]LOG]!>")?;
    let message = &line[start..end];
    let rest = &line[end..];
    let component = rest
        .find("component=\"")
        .and_then(|i| {
            let c = &rest[i + "component=\"".len()..];
            c.find('"').map(|j| &c[..j])
        })
        .unwrap_or("");
    Some((message, component))
}

static HEX_PREFIXED: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)0x([0-9a-f]{1,8})(?-u:\b)").ok());
static HEX_BARE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)([89c][0-9a-f]{7})(?-u:\b)").ok());
static DECIMAL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:exit code|error|errorlevel|return code|error number|rc)\s*[=:]?\s*(-?[0-9]{9,10})(?-u:\b)").ok()
});

/// The error codes a message mentions, found in the common log forms.
///
/// Examples only: the analysis pipeline finds codes with its own, fuller
/// scanner and passes them in [`MatchRecord::codes`].
pub(crate) fn scan_codes(message: &str) -> Vec<u32> {
    let mut codes = Vec::new();
    let mut push = |c: u32| {
        if c != 0 && !codes.contains(&c) {
            codes.push(c);
        }
    };
    if let Some(re) = HEX_PREFIXED.as_ref() {
        for cap in re.captures_iter(message) {
            if let Some(v) = cap
                .get(1)
                .and_then(|m| u32::from_str_radix(m.as_str(), 16).ok())
            {
                push(v);
            }
        }
    }
    if let Some(re) = HEX_BARE.as_ref() {
        for cap in re.captures_iter(message) {
            if let Some(v) = cap
                .get(1)
                .and_then(|m| u32::from_str_radix(m.as_str(), 16).ok())
            {
                push(v);
            }
        }
    }
    if let Some(re) = DECIMAL.as_ref() {
        for cap in re.captures_iter(message) {
            let Some(v) = cap.get(1).and_then(|m| m.as_str().parse::<i64>().ok()) else {
                continue;
            };
            // Only values with the failure bit set: small numbers are counts and sizes.
            if let Ok(u) = u32::try_from(v) {
                if u >= 0x8000_0000 {
                    push(u);
                }
            } else if let Ok(i) = i32::try_from(v) {
                if i < 0 {
                    push(i as u32);
                }
            }
        }
    }
    codes
}

/// Runs a set's prefilter and code list over owned records the way the
/// pipeline does, and evaluates the candidates.
pub(crate) fn evaluate_owned(set: &RuleSet, records: &[OwnedRecord]) -> Vec<super::Finding> {
    let candidates: Vec<MatchRecord<'_>> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            set.prefilter().is_match(r.message.as_bytes())
                || r.codes.iter().any(|c| set.codes().contains(c))
        })
        .map(|(i, r)| MatchRecord {
            index: i,
            source: "example",
            line: r.line,
            component: &r.component,
            message: &r.message,
            codes: &r.codes,
            step: r.step.as_deref(),
        })
        .collect();
    set.evaluate(&candidates)
}

/// Checks one rule's examples; also reports a rule with no example that fires.
pub(crate) fn check_rule_examples(rule: &Rule) -> Vec<RuleError> {
    let mut errors = Vec::new();
    let err = |line: usize, reason: String| RuleError {
        path: rule.file.clone(),
        line,
        column: 1,
        kind: RuleErrorKind::Example,
        reason,
    };
    if !rule.examples.iter().any(|e| e.fires) {
        errors.push(err(
            rule.line,
            format!(
                "rule `{}` has no [[rule.example]] that fires: add an excerpt it matches",
                rule.id
            ),
        ));
    }
    let set = match RuleSet::from_rules(vec![rule.clone()]) {
        Ok(set) => set,
        Err(e) => {
            errors.push(e);
            return errors;
        }
    };
    for (n, example) in rule.examples.iter().enumerate() {
        let records = example_records(example);
        let fired = evaluate_owned(&set, &records)
            .iter()
            .any(|f| f.id == rule.id);
        if fired != example.fires {
            let what = if example.fires {
                "should fire but does not"
            } else {
                "should not fire but does"
            };
            errors.push(err(
                example.line,
                format!("rule `{}` example {}: {what}", rule.id, n + 1),
            ));
        }
    }
    errors
}
