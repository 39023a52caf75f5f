//! Turning a rule's example excerpt into records, and checking that the rule
//! treats it as the example says.

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

/// Splits an example into records with the same parser and code finder the pipeline
/// uses, so an example sees exactly what a real log would show the rule.
pub(crate) fn example_records(example: &Example) -> Vec<OwnedRecord> {
    let mut recs = records_from_text(&example.log, example.component.as_deref());
    for r in &mut recs {
        r.step.clone_from(&example.step);
    }
    recs
}

/// Records of a log text (CMTrace, SMS Trace or plain), skipping blank lines; a record
/// with no component of its own takes `default_component`.
pub(crate) fn records_from_text(text: &str, default_component: Option<&str>) -> Vec<OwnedRecord> {
    let bytes = text.as_bytes();
    let framed = crate::parse::frame(bytes, 0, bytes.len(), 1, true).records;
    framed
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let end = framed.get(i + 1).map_or(bytes.len(), |n| n.start as usize);
            let span = bytes.get(r.start as usize..end)?;
            let f = crate::parse::fields_of(r, span);
            let message = f.message_str().trim_end().to_string();
            if message.trim().is_empty() {
                return None;
            }
            let component = f
                .component_str()
                .map(|c| c.into_owned())
                .or_else(|| default_component.map(str::to_string))
                .unwrap_or_default();
            Some(OwnedRecord {
                line: u64::from(r.line),
                codes: crate::codes::find_codes(&message)
                    .into_iter()
                    .map(|h| h.value)
                    .collect(),
                component,
                message,
                step: None,
            })
        })
        .collect()
}

/// Runs a set's patterns and code list over owned records the way the
/// pipeline does, and evaluates the candidates.
pub(crate) fn evaluate_owned(set: &RuleSet, records: &[OwnedRecord]) -> Vec<super::Finding> {
    let candidates: Vec<MatchRecord<'_>> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            set.any_pattern(&r.message) || r.codes.iter().any(|c| set.codes().contains(c))
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
