//! The rule catalogue as a user browses it: `kb list` filtered by family and words,
//! `kb show ID`. Plain text, every rule string passed through [`sanitize::sanitize`]
//! since user rule files are free text.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Rule, RuleSet};
use crate::sanitize::one_line;

/// The family a rule belongs to: the stem of its file (`kb/domain-join.toml` -> `domain-join`).
pub fn family(rule: &Rule) -> String {
    rule.file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What a listing keeps.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Only rules of this family (the file stem; case-insensitive).
    pub family: Option<String>,
    /// Every word must appear (case-insensitive) in the id, title, versions, causes, fixes
    /// or references.
    pub words: Vec<String>,
}

impl Query {
    /// Whether `rule` passes the family and every word.
    pub fn keeps(&self, rule: &Rule) -> bool {
        if let Some(f) = &self.family {
            if !family(rule).eq_ignore_ascii_case(f) {
                return false;
            }
        }
        if self.words.is_empty() {
            return true;
        }
        let hay = haystack(rule);
        self.words.iter().all(|w| hay.contains(&w.to_lowercase()))
    }
}

fn haystack(rule: &Rule) -> String {
    let mut s = String::new();
    for part in [&rule.id, &rule.title] {
        s.push_str(&part.to_lowercase());
        s.push('\n');
    }
    if let Some(v) = &rule.versions {
        s.push_str(&v.to_lowercase());
        s.push('\n');
    }
    for c in &rule.causes {
        s.push_str(&c.text.to_lowercase());
        s.push('\n');
        for f in &c.fix {
            s.push_str(&f.to_lowercase());
            s.push('\n');
        }
    }
    for r in &rule.references {
        s.push_str(&r.to_lowercase());
        s.push('\n');
    }
    s
}

/// Rules kept by `query`, in the set's order (file by file).
pub fn select<'a>(rules: &'a RuleSet, query: &Query) -> Vec<&'a Rule> {
    rules.rules().iter().filter(|r| query.keeps(r)).collect()
}

/// Every family with its rule count, by name.
pub fn families(rules: &RuleSet) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in rules.rules() {
        *out.entry(family(r)).or_insert(0) += 1;
    }
    out
}

/// The `kb list` table: id, family and title, one rule a line, then a count.
pub fn list_text(rules: &[&Rule]) -> String {
    let mut text = String::new();
    for r in rules {
        let _ = writeln!(
            text,
            "{:<48} {:<20} {}",
            one_line(&r.id),
            one_line(&family(r)),
            one_line(&r.title)
        );
    }
    let _ = writeln!(
        text,
        "{} rule{}",
        rules.len(),
        if rules.len() == 1 { "" } else { "s" }
    );
    text
}

/// The `kb list --families` table.
pub fn families_text(families: &BTreeMap<String, usize>) -> String {
    let mut text = String::new();
    for (name, n) in families {
        let _ = writeln!(text, "{:<24} {n:>4}", one_line(name));
    }
    text
}

/// The rule whose id is `id`, or the ids that contain it when none is exactly it.
pub fn find<'a>(rules: &'a RuleSet, id: &str) -> Result<&'a Rule, Vec<&'a str>> {
    if let Some(r) = rules.rules().iter().find(|r| r.id == id) {
        return Ok(r);
    }
    let needle = id.to_lowercase();
    Err(rules
        .rules()
        .iter()
        .filter(|r| r.id.to_lowercase().contains(&needle))
        .map(|r| r.id.as_str())
        .collect())
}

/// `kb show ID`: the rule as an admin reads it, with what it matches and where it comes from.
pub fn show_text(rule: &Rule) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{}", one_line(&rule.id));
    let _ = writeln!(t, "  {}", one_line(&rule.title));
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "Family:     {} ({}:{})",
        one_line(&family(rule)),
        one_line(&rule.file.display().to_string()),
        rule.line
    );
    let _ = writeln!(
        t,
        "Confidence: {} (priority {})",
        rule.confidence, rule.priority
    );
    if let Some(v) = &rule.versions {
        let _ = writeln!(t, "Versions:   {}", one_line(v));
    }
    let several = rule.causes.len() > 1;
    for (i, c) in rule.causes.iter().enumerate() {
        let _ = writeln!(t);
        if several {
            let _ = writeln!(t, "Cause {}: {}", i + 1, one_line(&c.text));
        } else {
            let _ = writeln!(t, "Cause: {}", one_line(&c.text));
        }
        for (j, f) in c.fix.iter().enumerate() {
            let _ = writeln!(t, "  {}. {}", j + 1, one_line(f));
        }
    }
    let _ = writeln!(t);
    let _ = writeln!(t, "Matches ({}):", mode_text(rule));
    for s in rule.signals.iter().chain(&rule.unless) {
        let unless = rule.unless.iter().any(|u| std::ptr::eq(u, s));
        let mut parts = Vec::new();
        if let Some(m) = &s.message {
            parts.push(format!("message /{}/", one_line(m)));
        }
        if !s.codes.is_empty() {
            let codes: Vec<String> = s.codes.iter().map(|&c| crate::present::hex(c)).collect();
            parts.push(format!("code {}", codes.join(" or ")));
        }
        if let Some(c) = &s.component {
            parts.push(format!("component /{}/", one_line(c)));
        }
        if let Some(st) = &s.step {
            parts.push(format!("step /{}/", one_line(st)));
        }
        let tag = if unless {
            "unless   "
        } else if s.optional {
            "optional "
        } else {
            "required "
        };
        let _ = writeln!(t, "  {tag}{}", parts.join(", "));
    }
    if !rule.references.is_empty() {
        let _ = writeln!(t);
        let _ = writeln!(t, "Sources:");
        for r in &rule.references {
            let _ = writeln!(t, "  - {}", one_line(r));
        }
    }
    for (i, e) in rule.examples.iter().enumerate() {
        let _ = writeln!(t);
        let _ = writeln!(
            t,
            "Example {}{}:",
            i + 1,
            if e.fires { "" } else { " (must not fire)" }
        );
        for line in e.log.lines().filter(|l| !l.trim().is_empty()) {
            let _ = writeln!(t, "  {}", one_line(line));
        }
    }
    t
}

fn mode_text(rule: &Rule) -> String {
    let mut s = match rule.mode {
        super::Mode::All => "every required signal".to_string(),
        super::Mode::Any => "any required signal".to_string(),
    };
    if let Some(w) = rule.within {
        let _ = write!(s, ", within {w} records");
    }
    if rule.ordered {
        s.push_str(", in order");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> RuleSet {
        RuleSet::builtin()
    }

    #[test]
    fn family_filter_keeps_only_that_file() {
        let rules = builtin();
        let q = Query {
            family: Some("Domain-Join".into()),
            words: vec![],
        };
        let kept = select(&rules, &q);
        assert!(kept.len() >= 5, "{}", kept.len());
        assert!(kept.iter().all(|r| family(r) == "domain-join"));
        assert!(kept.len() < rules.rules().len());
    }

    #[test]
    fn words_must_all_appear_case_insensitively() {
        let rules = builtin();
        let q = Query {
            family: None,
            words: vec!["TPM".into(), "ownership".into()],
        };
        let kept = select(&rules, &q);
        assert!(!kept.is_empty());
        for r in &kept {
            let h = haystack(r);
            assert!(h.contains("tpm") && h.contains("ownership"), "{}", r.id);
        }
        let none = Query {
            family: None,
            words: vec!["tpm".into(), "zzzz-no-such-word".into()],
        };
        assert!(select(&rules, &none).is_empty());
    }

    #[test]
    fn families_count_every_rule_once() {
        let rules = builtin();
        let fams = families(&rules);
        assert_eq!(fams.values().sum::<usize>(), rules.rules().len());
        assert!(fams.contains_key("domain-join") && fams.contains_key("ccmsetup"));
    }

    #[test]
    fn show_prints_causes_fixes_sources_and_examples() {
        let rules = builtin();
        let rule = rules
            .rules()
            .iter()
            .find(|r| !r.references.is_empty() && !r.examples.is_empty() && !r.causes.is_empty())
            .expect("a built-in rule with sources and examples");
        let text = show_text(rule);
        assert!(text.starts_with(&rule.id));
        assert!(text.contains(&format!("Family:     {}", family(rule))));
        assert!(text.contains(&rule.references[0]));
        assert!(text.contains("1. "), "{text}");
        let first_line = rule.examples[0]
            .log
            .lines()
            .find(|l| !l.trim().is_empty())
            .expect("example text");
        assert!(text.contains(&one_line(first_line)));
    }

    #[test]
    fn find_suggests_ids_containing_the_text() {
        let rules = builtin();
        let id = &rules.rules()[0].id;
        assert_eq!(find(&rules, id).map(|r| &r.id), Ok(id));
        let near = find(&rules, "DOMAIN-JOIN").expect_err("no rule is called that");
        assert!(near.len() >= 2, "{near:?}");
        assert!(near.iter().all(|i| i.contains("domain-join")));
        assert!(find(&rules, "zzzz-no-such").expect_err("none").is_empty());
    }

    #[test]
    fn rule_text_is_shown_inert() {
        let file = "[[rule]]\nid = \"evil\"\ntitle = \"t \\u001b]0;pwned\\u0007\"\nconfidence = \"low\"\nreferences = [\"x \\u001b]52;c;AAAA\\u0007\"]\n[[rule.signal]]\nmessage = 'zzz'\n[[rule.cause]]\ntext = \"c\"\nfix = [\"f\"]\n[[rule.example]]\nlog = 'zzz'\n";
        let rules = RuleSet::parse_text("evil.toml", file).expect("a valid rule file");
        let r = &rules[0];
        assert!(r.title.contains('\u{1b}'), "the title holds an escape");
        let shown = show_text(r) + &list_text(&[r]);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
        assert!(shown.contains("pwned"));
    }
}
