//! Regex search and record filters: compiled once, run over records in time-boxed slices so
//! that a search through millions of records never holds up a key.

use regex::bytes::{Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};
use regex::{Regex, RegexBuilder};

use crate::log::Log;
use crate::parse::Severity;

/// Limit on a compiled pattern, so that a pasted monster cannot eat the memory.
const REGEX_SIZE_LIMIT: usize = 4 << 20;
/// Limit on the lazy DFA's cache.
const DFA_SIZE_LIMIT: usize = 8 << 20;

/// A pattern compiled for raw record bytes (scans) and for displayed text (highlights).
#[derive(Clone, Debug)]
pub struct Pattern {
    /// The pattern as typed.
    pub text: String,
    /// For scanning record bytes.
    pub bytes: BytesRegex,
    /// For highlighting the text on screen.
    pub display: Regex,
}

impl Pattern {
    /// Compiles a pattern, case-insensitive unless it has an upper-case letter (smart case).
    /// The error is one short line, for the prompt.
    pub fn new(text: &str) -> Result<Pattern, String> {
        let insensitive = !text.chars().any(char::is_uppercase);
        let bytes = BytesRegexBuilder::new(text)
            .case_insensitive(insensitive)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(DFA_SIZE_LIMIT)
            .build()
            .map_err(|e| short_error(&e))?;
        let display = RegexBuilder::new(text)
            .case_insensitive(insensitive)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(DFA_SIZE_LIMIT)
            .build()
            .map_err(|e| short_error(&e))?;
        Ok(Pattern {
            text: text.to_string(),
            bytes,
            display,
        })
    }

    /// True when the record at merged position `pos` matches (message or component).
    pub fn matches(&self, log: &Log, pos: usize) -> bool {
        if pos >= log.len() {
            return false;
        }
        let f = log.fields(log.at(pos));
        self.bytes.is_match(f.message) || f.component.is_some_and(|c| self.bytes.is_match(c))
    }
}

/// The regex crate's error, cut to its one telling line.
fn short_error(e: &regex::Error) -> String {
    match e {
        regex::Error::CompiledTooBig(limit) => {
            format!("pattern too large (over {} KB compiled)", limit / 1024)
        }
        regex::Error::Syntax(s) => s
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix("error:"))
            .map(|l| l.trim().to_string())
            .unwrap_or_else(|| "invalid pattern".into()),
        _ => "invalid pattern".into(),
    }
}

/// An active search: the pattern and the matches counted so far.
#[derive(Clone, Debug)]
pub struct Search {
    /// The pattern.
    pub pattern: Pattern,
    /// Matching positions found so far, ascending.
    pub matches: Vec<u32>,
    /// Positions below this have been counted.
    pub scanned: usize,
}

impl Search {
    /// A search that has counted nothing yet.
    pub fn new(pattern: Pattern) -> Search {
        Search {
            pattern,
            matches: Vec::new(),
            scanned: 0,
        }
    }

    /// True when every record has been counted.
    pub fn counted(&self, len: usize) -> bool {
        self.scanned >= len
    }
}

/// A scan for the next visible match, run in slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seek {
    /// The next position to test.
    pub next: usize,
    /// Positions left to test (at most the whole log, once round).
    pub left: usize,
    /// Direction.
    pub forward: bool,
    /// A match on this row does not count (the row the cursor was on when `n` was
    /// pressed); `None` for the first match of a pattern being typed.
    pub skip_row: Option<usize>,
}

/// Which records are shown.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// Records below this severity are hidden.
    pub min_severity: Option<Severity>,
    /// Only this component (compared without case).
    pub component: Option<String>,
    /// Only this thread.
    pub thread: Option<u32>,
    /// Only records matching this pattern.
    pub text: Option<Pattern>,
    /// Only this source.
    pub source: Option<u32>,
}

impl Filters {
    /// True when any filter is set.
    pub fn active(&self) -> bool {
        self.min_severity.is_some()
            || self.component.is_some()
            || self.thread.is_some()
            || self.text.is_some()
            || self.source.is_some()
    }

    /// True when the record at `pos` passes every filter.
    pub fn pass(&self, log: &Log, pos: usize) -> bool {
        if pos >= log.len() {
            return false;
        }
        let r = log.at(pos);
        if let Some(s) = self.source {
            if r.source != s {
                return false;
            }
        }
        if let Some(min) = self.min_severity {
            if log.meta(r).severity() < min {
                return false;
            }
        }
        if self.component.is_none() && self.thread.is_none() && self.text.is_none() {
            return true;
        }
        let f = log.fields(r);
        if let Some(c) = &self.component {
            let ok = f
                .component
                .is_some_and(|fc| fc.eq_ignore_ascii_case(c.as_bytes()));
            if !ok {
                return false;
            }
        }
        if let Some(t) = self.thread {
            if f.thread != Some(t) {
                return false;
            }
        }
        if let Some(p) = &self.text {
            let ok =
                p.bytes.is_match(f.message) || f.component.is_some_and(|c| p.bytes.is_match(c));
            if !ok {
                return false;
            }
        }
        true
    }

    /// A short description for the status line.
    pub fn describe(&self, log: &Log) -> String {
        let mut parts = Vec::new();
        match self.min_severity {
            Some(Severity::Error) => parts.push("errors".to_string()),
            Some(Severity::Warning) => parts.push("warn+err".to_string()),
            _ => {}
        }
        if let Some(c) = &self.component {
            parts.push(format!("comp={c}"));
        }
        if let Some(t) = self.thread {
            parts.push(format!("thread={t}"));
        }
        if let Some(p) = &self.text {
            parts.push(format!("&{}", p.text));
        }
        if let Some(s) = self.source {
            let name = log
                .sources
                .get(s as usize)
                .map(|s| short_name(&s.text.path))
                .unwrap_or_default();
            parts.push(format!("src={name}"));
        }
        parts.join(" ")
    }
}

/// The file name of a path, for narrow columns.
pub fn short_name(path: &str) -> String {
    path.rsplit(['/', '\\'])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(path)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_case_and_errors() {
        let p = Pattern::new("hresult").unwrap();
        assert!(p.display.is_match("HRESULT=1"));
        let p = Pattern::new("Hresult").unwrap();
        assert!(!p.display.is_match("HRESULT=1"));
        let e = Pattern::new("(abc").unwrap_err();
        assert!(e.contains("unclosed"), "{e}");
        assert!(!e.contains('\n'));
        let e = Pattern::new(r"\w{1000}\w{1000}\w{1000}").unwrap_err();
        assert!(e.contains("too large"), "{e}");
    }
}
