//! The rule file format: parsing TOML into checked, compiled [`Rule`]s.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use toml::Spanned;

use super::error::{LineIndex, RuleError, RuleErrorKind};

/// How sure a finding is: the rule's confidence, lowered when corroboration is missing.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A plausible reading; check the evidence.
    Low,
    /// Likely, or one of several known causes.
    Medium,
    /// The log shows the documented signature of this problem.
    High,
}

impl Confidence {
    /// One level lower (`Low` stays `Low`).
    pub fn lower(self) -> Confidence {
        match self {
            Confidence::High => Confidence::Medium,
            Confidence::Medium | Confidence::Low => Confidence::Low,
        }
    }

    /// The lowercase name used in rule files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a rule combines its required signals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Every required signal must match (the default).
    #[default]
    All,
    /// Any one required signal is enough.
    Any,
}

/// One condition on a log record. All the conditions it sets must hold on the same record.
#[derive(Clone, Debug)]
pub struct Signal {
    /// The message pattern as written in the rule file.
    pub message: Option<String>,
    /// The record must mention one of these codes (empty: no code condition).
    pub codes: Vec<u32>,
    /// The component pattern as written.
    pub component: Option<String>,
    /// The step-name pattern as written.
    pub step: Option<String>,
    /// Corroborating only: adds evidence and confidence, never required.
    pub optional: bool,
    /// Patterns are matched case-sensitively.
    pub case_sensitive: bool,
    /// The message pattern as it is compiled (case flag applied, `\b` made ASCII).
    pub(crate) message_compiled: Option<String>,
    /// Literals (lower-case) one of which occurs wherever the message pattern matches,
    /// when it has a usable set: what the log scan looks for on its behalf.
    pub(crate) literals: Option<Literals>,
    pub(crate) component_re: Option<Regex>,
    pub(crate) step_re: Option<Regex>,
}

impl Signal {
    /// Whether the record's component and step satisfy this signal's conditions on them.
    pub(crate) fn context_matches(&self, component: &str, step: Option<&str>) -> bool {
        if let Some(re) = &self.component_re {
            if !re.is_match(component) {
                return false;
            }
        }
        if let Some(re) = &self.step_re {
            match step {
                Some(s) if re.is_match(s) => {}
                _ => return false,
            }
        }
        true
    }

    /// Whether the record mentions one of this signal's codes (true when it sets none).
    pub(crate) fn codes_match(&self, codes: &[u32]) -> bool {
        self.codes.is_empty() || codes.iter().any(|c| self.codes.contains(c))
    }
}

/// One possible cause of a problem and the steps that fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cause {
    /// What is wrong.
    pub text: String,
    /// What to do, in order.
    pub fix: Vec<String>,
}

/// A log excerpt kept with a rule to show (and test) what it matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The excerpt: one record per non-empty line, plain or CMTrace.
    pub log: String,
    /// Whether the rule must fire on it (false: a counter-example it must ignore).
    pub fires: bool,
    /// Component given to plain lines.
    pub component: Option<String>,
    /// Step name given to every line.
    pub step: Option<String>,
    /// Line of the example in its file.
    pub line: usize,
}

/// A known problem: how to recognise it in a log, and what to do about it.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Unique kebab-case name.
    pub id: String,
    /// One-line description of the problem.
    pub title: String,
    /// Rank among findings of the same confidence (higher first; default 50).
    pub priority: i32,
    /// Confidence when every required signal matched.
    pub confidence: Confidence,
    /// Affected product versions, free text.
    pub versions: Option<String>,
    /// Knowledge-base articles and other sources.
    pub references: Vec<String>,
    /// Required signals must lie within this many records of each other.
    pub within: Option<usize>,
    /// Required signals must appear in the order they are listed.
    pub ordered: bool,
    /// How required signals combine.
    pub mode: Mode,
    /// Conditions that recognise the problem.
    pub signals: Vec<Signal>,
    /// Conditions that rule the problem out when any of them matches.
    pub unless: Vec<Signal>,
    /// Possible causes, most likely first.
    pub causes: Vec<Cause>,
    /// Excerpts that show what the rule matches.
    pub examples: Vec<Example>,
    /// The file the rule came from.
    pub file: PathBuf,
    /// The line of the rule in that file.
    pub line: usize,
    /// The line of its `id`, where duplicate-id errors point.
    pub(crate) id_line: usize,
}

const DEFAULT_PRIORITY: i32 = 50;

fn default_priority() -> i32 {
    DEFAULT_PRIORITY
}

fn default_confidence() -> Confidence {
    Confidence::Medium
}

fn default_true() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default = "default_priority")]
    priority: i32,
    #[serde(default = "default_confidence")]
    confidence: Confidence,
    #[serde(default)]
    versions: Option<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    within: Option<Spanned<i64>>,
    #[serde(default)]
    ordered: Option<Spanned<bool>>,
    #[serde(default)]
    mode: Mode,
    signal: Spanned<Vec<Spanned<RawSignal>>>,
    #[serde(default)]
    unless: Vec<Spanned<RawSignal>>,
    cause: Spanned<Vec<Spanned<RawCause>>>,
    #[serde(default)]
    example: Vec<Spanned<RawExample>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignal {
    #[serde(default)]
    message: Option<Spanned<String>>,
    #[serde(default)]
    code: Option<Spanned<CodeField>>,
    #[serde(default)]
    component: Option<Spanned<String>>,
    #[serde(default)]
    step: Option<Spanned<String>>,
    #[serde(default)]
    optional: Option<Spanned<bool>>,
    #[serde(default)]
    case_sensitive: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CodeField {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCause {
    text: Spanned<String>,
    fix: Spanned<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    log: Spanned<String>,
    #[serde(default = "default_true")]
    fires: bool,
    #[serde(default)]
    component: Option<String>,
    #[serde(default)]
    step: Option<String>,
}

/// Parses and checks every rule in one file's text. `path` is only used in errors.
pub(crate) fn parse_rules(path: &Path, text: &str) -> Result<Vec<Rule>, RuleError> {
    let (rules, mut errors) = parse_rules_each(path, text)?;
    match errors.is_empty() {
        true => Ok(rules),
        false => Err(errors.swap_remove(0)),
    }
}

/// The rules of a file that build, with the problem of each rule that does not and each
/// id used twice (rule problems in file order, then duplicates); Err when the file is not
/// a rule file at all (bad TOML, no `[[rule]]`).
pub(crate) fn parse_rules_each(
    path: &Path,
    text: &str,
) -> Result<(Vec<Rule>, Vec<RuleError>), RuleError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    if raw.rule.is_empty() {
        return Err(RuleError::at(
            path,
            text,
            0,
            RuleErrorKind::Invalid,
            "no [[rule]] table in this file",
        ));
    }
    let mut seen = HashSet::new();
    let mut rules = Vec::with_capacity(raw.rule.len());
    let mut errors = Vec::new();
    let lines = LineIndex::new(text);
    for raw_rule in raw.rule {
        match build_rule(path, text, &lines, raw_rule) {
            Ok(rule) => rules.push(rule),
            Err(e) => errors.push(e),
        }
    }
    rules.retain(|rule: &Rule| {
        if seen.insert(rule.id.clone()) {
            return true;
        }
        errors.push(RuleError {
            path: path.to_path_buf(),
            line: rule.id_line,
            column: 1,
            kind: RuleErrorKind::DuplicateId,
            reason: format!("duplicate rule id `{}` in this file", rule.id),
        });
        false
    });
    Ok((rules, errors))
}

fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> RuleError {
    let message = e.message();
    let kind = if message.contains("unknown field") {
        RuleErrorKind::UnknownKey
    } else if message.contains("missing field") {
        RuleErrorKind::MissingField
    } else if message.contains("unknown variant")
        || message.contains("invalid type")
        || message.contains("invalid value")
        || message.contains("did not match any variant")
    {
        RuleErrorKind::BadValue
    } else {
        RuleErrorKind::Syntax
    };
    let reason = if message.contains("did not match any variant") {
        "`code` must be a string such as \"0x80070005\" or a list of such strings".to_string()
    } else {
        message.to_string()
    };
    let offset = e.span().map_or(0, |s| s.start);
    RuleError::at(path, text, offset, kind, reason)
}

fn invalid(path: &Path, text: &str, offset: usize, reason: impl Into<String>) -> RuleError {
    RuleError::at(path, text, offset, RuleErrorKind::Invalid, reason)
}

fn build_rule(
    path: &Path,
    text: &str,
    lines: &LineIndex,
    raw: Spanned<RawRule>,
) -> Result<Rule, RuleError> {
    let rule_start = raw.span().start;
    let raw = raw.into_inner();
    let id_at = raw.id.span().start;
    let id = raw.id.into_inner();
    if !is_kebab(&id) {
        return Err(invalid(
            path,
            text,
            id_at,
            format!("rule id `{id}` must be kebab-case: lowercase letters and digits joined by single hyphens"),
        ));
    }
    let title_at = raw.title.span().start;
    let title = raw.title.into_inner();
    if title.trim().is_empty() {
        return Err(invalid(path, text, title_at, "`title` is empty"));
    }
    let within = match raw.within {
        None => None,
        Some(w) => {
            let at = w.span().start;
            let value = w.into_inner();
            match usize::try_from(value) {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    return Err(invalid(
                        path,
                        text,
                        at,
                        format!(
                            "`within` must be a whole number of records, 1 or more (got {value})"
                        ),
                    ))
                }
            }
        }
    };
    let ordered = match raw.ordered {
        None => false,
        Some(o) => {
            let at = o.span().start;
            let value = o.into_inner();
            if value && raw.mode == Mode::Any {
                return Err(invalid(
                    path,
                    text,
                    at,
                    "`ordered = true` needs `mode = \"all\"`: with \"any\" one signal is enough, so there is no order",
                ));
            }
            value
        }
    };

    let signal_at = raw.signal.span().start;
    let mut signals = Vec::new();
    for s in raw.signal.into_inner() {
        signals.push(build_signal(path, text, s, "signal")?);
    }
    if signals.is_empty() {
        return Err(invalid(
            path,
            text,
            signal_at,
            "a rule needs at least one [[rule.signal]]",
        ));
    }
    if signals.iter().all(|s| s.optional) {
        return Err(invalid(
            path,
            text,
            signal_at,
            "every signal is optional: at least one must be required",
        ));
    }
    let mut unless = Vec::new();
    for s in raw.unless {
        unless.push(build_signal(path, text, s, "unless")?);
    }

    let cause_at = raw.cause.span().start;
    let mut causes = Vec::new();
    for c in raw.cause.into_inner() {
        let c = c.into_inner();
        let text_at = c.text.span().start;
        let cause_text = c.text.into_inner();
        if cause_text.trim().is_empty() {
            return Err(invalid(path, text, text_at, "cause `text` is empty"));
        }
        let fix_at = c.fix.span().start;
        let fix = c.fix.into_inner();
        if fix.is_empty() || fix.iter().any(|f| f.trim().is_empty()) {
            return Err(invalid(
                path,
                text,
                fix_at,
                "`fix` needs at least one step, and no step may be empty",
            ));
        }
        causes.push(Cause {
            text: cause_text.trim().to_string(),
            fix: fix.into_iter().map(|f| f.trim().to_string()).collect(),
        });
    }
    if causes.is_empty() {
        return Err(invalid(
            path,
            text,
            cause_at,
            "a rule needs at least one [[rule.cause]]",
        ));
    }

    let mut examples = Vec::new();
    for ex in raw.example {
        let ex = ex.into_inner();
        let log_at = ex.log.span().start;
        let log = ex.log.into_inner();
        if log.trim().is_empty() {
            return Err(invalid(path, text, log_at, "example `log` is empty"));
        }
        examples.push(Example {
            log,
            fires: ex.fires,
            component: ex.component,
            step: ex.step,
            line: lines.line(log_at),
        });
    }

    Ok(Rule {
        id,
        title: title.trim().to_string(),
        priority: raw.priority,
        confidence: raw.confidence,
        versions: raw.versions.filter(|v| !v.trim().is_empty()),
        references: raw.references,
        within,
        ordered,
        mode: raw.mode,
        signals,
        unless,
        causes,
        examples,
        file: path.to_path_buf(),
        line: lines.line(rule_start),
        id_line: lines.line(id_at),
    })
}

fn build_signal(
    path: &Path,
    text: &str,
    raw: Spanned<RawSignal>,
    table: &str,
) -> Result<Signal, RuleError> {
    let at = raw.span().start;
    let raw = raw.into_inner();
    let cs = raw.case_sensitive;
    let optional = match raw.optional {
        None => false,
        Some(o) => {
            let o_at = o.span().start;
            let value = o.into_inner();
            if value && table == "unless" {
                return Err(invalid(
                    path,
                    text,
                    o_at,
                    "`optional` has no meaning in [[rule.unless]]",
                ));
            }
            value
        }
    };
    if raw.message.is_none() && raw.code.is_none() {
        return Err(invalid(
            path,
            text,
            at,
            format!("each [[rule.{table}]] needs `message` or `code` (component and step only narrow them)"),
        ));
    }
    let (message, prepared) = match raw.message {
        None => (None, None),
        Some(m) => {
            let m_at = m.span().start;
            let pattern = m.into_inner();
            let (compiled, literals) = prepare_message(&pattern, cs).map_err(|reason| {
                RuleError::at(path, text, m_at, RuleErrorKind::BadRegex, reason)
            })?;
            (Some(pattern), Some((compiled, literals)))
        }
    };
    let codes = match raw.code {
        None => Vec::new(),
        Some(c) => {
            let c_at = c.span().start;
            let list = match c.into_inner() {
                CodeField::One(s) => vec![s],
                CodeField::Many(v) => v,
            };
            if list.is_empty() {
                return Err(invalid(path, text, c_at, "`code` list is empty"));
            }
            let mut codes = Vec::with_capacity(list.len());
            for s in &list {
                let code = parse_code(s).map_err(|reason| {
                    RuleError::at(path, text, c_at, RuleErrorKind::BadCode, reason)
                })?;
                codes.push(code);
            }
            codes
        }
    };
    let (component, component_re) = context_pattern(path, text, raw.component, cs, "component")?;
    let (step, step_re) = context_pattern(path, text, raw.step, cs, "step")?;
    Ok(Signal {
        message,
        codes,
        component,
        step,
        optional,
        case_sensitive: cs,
        literals: prepared.as_ref().and_then(|p| p.1.clone()),
        message_compiled: prepared.map(|p| p.0),
        component_re,
        step_re,
    })
}

fn context_pattern(
    path: &Path,
    text: &str,
    raw: Option<Spanned<String>>,
    case_sensitive: bool,
    key: &str,
) -> Result<(Option<String>, Option<Regex>), RuleError> {
    let Some(raw) = raw else {
        return Ok((None, None));
    };
    let at = raw.span().start;
    let pattern = raw.into_inner();
    let re = RegexBuilder::new(&pattern)
        .case_insensitive(!case_sensitive)
        .build()
        .map_err(|e| {
            RuleError::at(
                path,
                text,
                at,
                RuleErrorKind::BadRegex,
                format!("bad regex in `{key}`: {}", regex_reason(&e)),
            )
        })?;
    Ok((Some(pattern), Some(re)))
}

/// Alternative literals, lower-case, one of which occurs in every match of a pattern.
pub(crate) type Literals = Vec<Vec<u8>>;

/// Checks a message pattern and returns the form that is compiled, with the literals one
/// of which occurs in every match (see [`super::literals`]), when there is a usable set.
///
/// Anchors are refused because the prefilter runs over whole log lines, where
/// `^` and `$` would not mean the start and end of a message. `\b` and `\B`
/// are made ASCII so that the combined regex keeps its fast DFA on any text.
pub(crate) fn prepare_message(
    pattern: &str,
    case_sensitive: bool,
) -> Result<(String, Option<Literals>), String> {
    if pattern.is_empty() {
        return Err("`message` pattern is empty".to_string());
    }
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                if class_depth == 0 {
                    match next {
                        'b' | 'B' if chars.peek() != Some(&'{') => {
                            out.push_str("(?-u:\\");
                            out.push(next);
                            out.push(')');
                            continue;
                        }
                        'A' | 'z' => {
                            return Err(format!(
                                "`message` must not use the anchor \\{next}: patterns are searched for anywhere in the message"
                            ))
                        }
                        _ => {}
                    }
                }
                out.push(c);
                out.push(next);
            }
            '[' => {
                out.push(c);
                class_depth += 1;
                // A `]` (after an optional `^`) right at the start of a class is literal.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if class_depth > 0 => {
                out.push(c);
                class_depth -= 1;
            }
            '^' | '$' if class_depth == 0 => {
                return Err(format!(
                    "`message` must not use the anchor {c}: patterns are searched for anywhere in the message (write \\{c} for the character)"
                ));
            }
            _ => out.push(c),
        }
    }
    let wrapped = if case_sensitive {
        format!("(?:{out})")
    } else {
        format!("(?i:{out})")
    };
    // Parsed, not compiled: a pattern is compiled the first time a log holds one of its
    // literals (`patterns::Patterns`), and most never are in a given log. Read as it is
    // compiled (ASCII: see `patterns::ascii_syntax`).
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(&wrapped)
        .map_err(|e| {
            format!(
                "bad regex in `message`: {}",
                regex_reason(&regex::Error::Syntax(e.to_string()))
            )
        })?;
    if hir.properties().minimum_len() == Some(0) {
        return Err(
            "`message` pattern matches an empty message, so it would match every record"
                .to_string(),
        );
    }
    Ok((wrapped, super::literals::hir_literals(&hir)))
}

/// The useful line of a regex error (its Display spans several lines).
pub(crate) fn regex_reason(e: &regex::Error) -> String {
    let s = e.to_string();
    s.lines()
        .find_map(|l| l.trim().strip_prefix("error: ").map(str::to_string))
        .unwrap_or_else(|| {
            s.lines()
                .last()
                .unwrap_or("invalid pattern")
                .trim()
                .to_string()
        })
}

/// Parses a rule's code: `0x` hex (1 to 8 digits) or a decimal number (signed or unsigned).
pub(crate) fn parse_code(s: &str) -> Result<u32, String> {
    let t = s.trim();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        if (1..=8).contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16).map_err(|_| bad_code(s));
        }
        return Err(bad_code(s));
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad_code(s));
    }
    // Eight digits starting with 8 is almost surely hex without its 0x (80070005).
    if t.len() == 8 && t.starts_with('8') {
        return Err(format!(
            "bad code `{s}`: this looks like hex without its prefix; write 0x{t}"
        ));
    }
    let value: i64 = t.parse().map_err(|_| bad_code(s))?;
    if let Ok(v) = u32::try_from(value) {
        Ok(v)
    } else if let Ok(v) = i32::try_from(value) {
        Ok(v as u32)
    } else {
        Err(format!("bad code `{s}`: out of the 32-bit range"))
    }
}

fn bad_code(s: &str) -> String {
    format!("bad code `{s}`: write 0x and 1 to 8 hex digits (0x80070005) or a decimal number (2147942405, -2147024891)")
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}
