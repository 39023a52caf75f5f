//! Regex search and record filters: compiled once, run over records in time-boxed slices so
//! that a search through millions of records never holds up a key.

use regex::bytes::{Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};
use regex::{Regex, RegexBuilder};

use crate::log::Log;

/// Limit on a compiled pattern, so that a pasted monster cannot eat the memory.
const REGEX_SIZE_LIMIT: usize = 4 << 20;
/// Limit on the lazy DFA's cache.
const DFA_SIZE_LIMIT: usize = 8 << 20;

/// How a pattern runs: the regex crate (linear time) when it can, fancy-regex (with
/// look-around and backreferences, backtracking under a step limit) when it cannot.
#[derive(Clone, Debug)]
enum Engine {
    Fast {
        /// For scanning record bytes.
        bytes: BytesRegex,
        /// For highlighting the text on screen.
        display: Regex,
    },
    Fancy {
        re: fancy_regex::Regex,
        /// The pattern without its look-arounds, on the regex crate: it matches wherever
        /// the pattern does (a look-around only narrows), so a text it does not match
        /// never reaches the backtracking engine. `None` when the rest needs fancy-regex
        /// too (a backreference).
        pre: Option<Regex>,
    },
}

/// A compiled search, filter or highlight pattern.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// The pattern as typed.
    pub text: String,
    engine: Engine,
}

/// Steps fancy-regex may backtrack per match attempt: a record it cannot decide within this
/// counts as not matching, so no pattern can hang the screen.
const BACKTRACK_LIMIT: usize = 100_000;

impl Pattern {
    /// Compiles a pattern, case-insensitive unless it has an upper-case letter (smart case).
    /// Look-around and backreferences are accepted (fancy-regex). The error is one short
    /// line, for the prompt.
    pub fn new(text: &str) -> Result<Pattern, String> {
        let insensitive = !text.chars().any(char::is_uppercase);
        let fast = BytesRegexBuilder::new(text)
            .case_insensitive(insensitive)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(DFA_SIZE_LIMIT)
            .build();
        let engine = match fast {
            Ok(bytes) => {
                let display = RegexBuilder::new(text)
                    .case_insensitive(insensitive)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .dfa_size_limit(DFA_SIZE_LIMIT)
                    .build()
                    .map_err(|e| short_error(&e))?;
                Engine::Fast { bytes, display }
            }
            Err(e) if needs_fancy(&e) => {
                let flagged = if insensitive {
                    format!("(?i){text}")
                } else {
                    text.to_string()
                };
                let re = fancy_regex::RegexBuilder::new(&flagged)
                    .backtrack_limit(BACKTRACK_LIMIT)
                    .delegate_size_limit(REGEX_SIZE_LIMIT)
                    .delegate_dfa_size_limit(DFA_SIZE_LIMIT)
                    .build()
                    .map_err(|e| fancy_error(&e))?;
                let pre = without_look_around(text).and_then(|t| {
                    RegexBuilder::new(&t)
                        .case_insensitive(insensitive)
                        .size_limit(REGEX_SIZE_LIMIT)
                        .dfa_size_limit(DFA_SIZE_LIMIT)
                        .build()
                        .ok()
                });
                Engine::Fancy { re, pre }
            }
            Err(e) => return Err(short_error(&e)),
        };
        Ok(Pattern {
            text: text.to_string(),
            engine,
        })
    }

    /// True when the pattern needs the backtracking engine (look-around, backreferences).
    pub fn is_fancy(&self) -> bool {
        matches!(self.engine, Engine::Fancy { .. })
    }

    /// True when raw record bytes match.
    pub fn is_match_bytes(&self, b: &[u8]) -> bool {
        match &self.engine {
            Engine::Fast { bytes, .. } => bytes.is_match(b),
            Engine::Fancy { .. } => self.is_match(&String::from_utf8_lossy(b)),
        }
    }

    /// True when displayed text matches.
    pub fn is_match(&self, s: &str) -> bool {
        match &self.engine {
            Engine::Fast { display, .. } => display.is_match(s),
            Engine::Fancy { re, pre } => {
                pre.as_ref().is_none_or(|p| p.is_match(s)) && re.is_match(s).unwrap_or(false)
            }
        }
    }

    /// The non-empty matches in displayed text, as byte ranges.
    pub fn find_ranges(&self, s: &str) -> Vec<std::ops::Range<usize>> {
        match &self.engine {
            Engine::Fast { display, .. } => display
                .find_iter(s)
                .map(|m| m.range())
                .filter(|r| !r.is_empty())
                .collect(),
            Engine::Fancy { re, .. } => re
                .find_iter(s)
                .map_while(Result::ok)
                .map(|m| m.range())
                .filter(|r| !r.is_empty())
                .collect(),
        }
    }

    /// True when the record at merged position `pos` matches (message or component).
    pub fn matches(&self, log: &Log, pos: usize) -> bool {
        if pos >= log.len() {
            return false;
        }
        let f = log.fields(log.at(pos));
        self.is_match_bytes(f.message) || f.component.is_some_and(|c| self.is_match_bytes(c))
    }
}

/// True when the regex crate refused the pattern only for what fancy-regex adds.
fn needs_fancy(e: &regex::Error) -> bool {
    match e {
        regex::Error::Syntax(s) => s.contains("look-around") || s.contains("backreferences"),
        _ => false,
    }
}

/// The pattern with its look-around groups (`(?=`, `(?!`, `(?<=`, `(?<!`) left out, or
/// `None` when it has none. Escapes and character classes are skipped over, so a `(`
/// inside them opens nothing. What is left may not compile (a quantified look-around
/// leaves a bare `*`); the caller then goes without it.
fn without_look_around(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut removed = false;
    let mut i = 0;
    // Depth of look-around groups being skipped, and of character classes.
    let mut skip = 0usize;
    let mut class = 0usize;
    while let Some(&c) = chars.get(i) {
        let keep = skip == 0;
        match c {
            '\\' => {
                if keep {
                    out.push(c);
                    out.extend(chars.get(i + 1));
                }
                i += 2;
                continue;
            }
            '[' => {
                class += 1;
                if keep {
                    out.push(c);
                }
                // A `]` first in a class (after an optional `^`) is a literal.
                let mut j = i + 1;
                if chars.get(j) == Some(&'^') {
                    if keep {
                        out.push('^');
                    }
                    j += 1;
                }
                if chars.get(j) == Some(&']') {
                    if keep {
                        out.push(']');
                    }
                    j += 1;
                }
                i = j;
                continue;
            }
            ']' if class > 0 => class -= 1,
            '(' if class == 0 => {
                let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
                let look = ["(?=", "(?!", "(?<=", "(?<!"]
                    .iter()
                    .any(|l| rest.starts_with(l));
                if look || skip > 0 {
                    skip += 1;
                    removed = true;
                    i += 1;
                    continue;
                }
            }
            ')' if class == 0 && skip > 0 => {
                skip -= 1;
                i += 1;
                continue;
            }
            _ => {}
        }
        if keep {
            out.push(c);
        }
        i += 1;
    }
    removed.then_some(out)
}

/// fancy-regex's error, as one line.
fn fancy_error(e: &fancy_regex::Error) -> String {
    let s = e.to_string();
    s.lines().next().unwrap_or("invalid pattern").to_string()
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

/// Kept here for the follower's status text (`app::live`), which names sources by it.
pub use crate::present::short_name;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_case_and_errors() {
        let p = Pattern::new("hresult").unwrap();
        assert!(p.is_match("HRESULT=1"));
        let p = Pattern::new("Hresult").unwrap();
        assert!(!p.is_match("HRESULT=1"));
        let e = Pattern::new("(abc").unwrap_err();
        assert!(e.contains("unclosed"), "{e}");
        assert!(!e.contains('\n'));
        let e = Pattern::new(r"\w{1000}\w{1000}\w{1000}").unwrap_err();
        assert!(e.contains("too large"), "{e}");
    }

    #[test]
    fn look_around_and_backreferences_are_accepted() {
        // "Set a global environment variable" noise, except for the variables that matter.
        let p = Pattern::new(r"^Set a global environment variable (?!_SMSTSAdvertID)").unwrap();
        assert!(p.is_fancy());
        assert!(p.is_match_bytes(b"Set a global environment variable _SMSTSPackageID"));
        assert!(!p.is_match_bytes(b"Set a global environment variable _SMSTSAdvertID"));
        let p = Pattern::new(r"(\w+) \1").unwrap();
        assert!(p.is_match("the the"));
        assert_eq!(p.find_ranges("say the the end"), vec![4..11]);
        // Plain patterns keep the linear-time engine.
        assert!(!Pattern::new("HRESULT=").unwrap().is_fancy());
        let e = Pattern::new("(?<=a").unwrap_err();
        assert!(!e.contains('\n'), "{e}");
    }

    #[test]
    fn look_arounds_are_left_out_of_the_prefilter_and_nothing_else() {
        let strip = |t: &str| without_look_around(t);
        assert_eq!(
            strip(r"^Set a global environment variable (?!_SMSTSAdvertID)").as_deref(),
            Some("^Set a global environment variable ")
        );
        assert_eq!(strip(r"(?<=x)a[(?=]").as_deref(), Some("a[(?=]"));
        assert_eq!(strip(r"a(?!(b|[)])c)d").as_deref(), Some("ad"));
        assert_eq!(strip(r"x(?<!\))y").as_deref(), Some("xy"));
        // Escaped parentheses, named groups and backreferences are not look-arounds.
        assert_eq!(strip(r"\(?=a"), None);
        assert_eq!(strip(r"(?<name>a)"), None);
        assert_eq!(strip(r"(\w+) \1"), None);
    }

    #[test]
    fn the_prefilter_never_changes_what_matches() {
        let patterns = [
            r"^Set a global environment variable (?!_SMSTSAdvertID)",
            r"(?<=HRESULT=)8007",
            r"error(?! 0)",
            r"(?<!\d)5(?=\b)",
            r"Install(?=App|Pkg)",
            r"(?i)failed(?!.*retry)",
            r"(a(?=b)|c)b",
        ];
        let texts = [
            "Set a global environment variable _SMSTSAdvertID",
            "Set a global environment variable _SMSTSPackageID",
            "set a global environment variable _SMSTSPackageID",
            "HRESULT=80070005",
            "error 0",
            "error 5",
            "x5 y",
            "15",
            "InstallApp",
            "Install Pkg",
            "FAILED, no retry",
            "Failed hard",
            "ac",
            "abc",
            "",
        ];
        for p in patterns {
            let pat = Pattern::new(p).unwrap();
            assert!(pat.is_fancy(), "{p}");
            let insensitive = !p.chars().any(char::is_uppercase);
            let flagged = if insensitive {
                format!("(?i){p}")
            } else {
                p.to_string()
            };
            let bare = fancy_regex::Regex::new(&flagged).unwrap();
            for t in texts {
                assert_eq!(pat.is_match(t), bare.is_match(t).unwrap(), "{p} on {t:?}");
                assert_eq!(pat.is_match_bytes(t.as_bytes()), bare.is_match(t).unwrap());
            }
        }
        // The pattern of the noise SMSTS users hide first has one.
        let p = Pattern::new(r"^Set a global environment variable (?!_SMSTSAdvertID)").unwrap();
        assert!(matches!(p.engine, Engine::Fancy { pre: Some(_), .. }));
    }
}
