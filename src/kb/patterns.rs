//! The rules' message patterns, each compiled the first time a log needs it.
//!
//! Every pattern with a usable set of literals (see [`super::literals`]) is reached through
//! them: a record's message is searched once for all the rules' literals, and only the
//! patterns owning a literal found are tried on it. A log holds the literals of a few of
//! several hundred patterns, so those few are all that is ever compiled; compiling every
//! pattern up front (as one set) was most of a small log's report. Patterns without
//! literals are tried on every record offered.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;

use super::schema::Literals;
use crate::multilit::MultiLit;

/// Compiled size allowed for one pattern (the regex crate's default is 10 MiB).
const SIZE_LIMIT: usize = 16 << 20;

/// How a pattern is reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// Only through a record whose message holds one of these (lower-case) literals.
    Literals(Literals),
    /// Tried on every record offered: no literal is known to occur in its matches.
    Everywhere,
}

/// The literal search over every routed pattern's literals, and whose each literal is.
#[derive(Debug)]
struct LiteralIndex {
    search: MultiLit,
    /// The literals `search` looks for, by id.
    literals: Vec<Box<[u8]>>,
    /// `owners[literal]`: the patterns that literal reaches.
    owners: Vec<Vec<u32>>,
}

/// Message patterns (their compiled-form sources) with their routes.
#[derive(Debug)]
pub(crate) struct Patterns {
    sources: Vec<String>,
    routes: Vec<Route>,
    compiled: Vec<OnceLock<Option<meta::Regex>>>,
    /// Patterns routed [`Route::Everywhere`].
    everywhere: Vec<u32>,
    index: OnceLock<Option<LiteralIndex>>,
    fallback: OnceLock<Option<regex::bytes::Regex>>,
}

impl Patterns {
    /// `sources[i]` is reached by `routes[i]`.
    pub(crate) fn new(sources: Vec<String>, routes: Vec<Route>) -> Patterns {
        debug_assert_eq!(sources.len(), routes.len());
        let everywhere = (routes.iter().enumerate())
            .filter(|(_, r)| **r == Route::Everywhere)
            .map(|(i, _)| i as u32)
            .collect();
        Patterns {
            compiled: sources.iter().map(|_| OnceLock::new()).collect(),
            sources,
            routes,
            everywhere,
            index: OnceLock::new(),
            fallback: OnceLock::new(),
        }
    }

    /// The patterns' sources, in index order.
    pub(crate) fn sources(&self) -> &[String] {
        &self.sources
    }

    /// The search for every routed pattern's literals (None when no pattern has any),
    /// planned on first use: a record it finds nothing in matches no routed pattern.
    pub(crate) fn literal_search(&self) -> Option<&MultiLit> {
        self.index().map(|i| &i.search)
    }

    /// The literals of [`Patterns::literal_search`], each once (planning that search on
    /// first use): a search of its own may look for them beside other literals.
    pub(crate) fn literals(&self) -> &[Box<[u8]>] {
        self.index().map_or(&[], |i| &i.literals)
    }

    fn index(&self) -> Option<&LiteralIndex> {
        self.index
            .get_or_init(|| {
                let _t = crate::timing::Stage::start("plan rule literals");
                let mut id_of: HashMap<&[u8], usize> = HashMap::new();
                let mut literals: Vec<&[u8]> = Vec::new();
                let mut owners: Vec<Vec<u32>> = Vec::new();
                for (p, route) in self.routes.iter().enumerate() {
                    let Route::Literals(set) = route else { continue };
                    for lit in set {
                        let id = *id_of.entry(lit.as_slice()).or_insert_with(|| {
                            literals.push(lit);
                            owners.push(Vec::new());
                            literals.len() - 1
                        });
                        if owners[id].last() != Some(&(p as u32)) {
                            owners[id].push(p as u32);
                        }
                    }
                }
                // Literals are at least literals::MIN_LITERAL (4) bytes, as MultiLit needs.
                let search = MultiLit::new(&literals)?;
                let mut lens: Vec<usize> = literals.iter().map(|l| l.len()).collect();
                lens.sort_unstable();
                crate::timing::note(format_args!(
                    "rule literals: {} for {} patterns, shortest {:?}, step {}; patterns without literals {}",
                    literals.len(),
                    self.sources.len() - self.everywhere.len(),
                    &lens[..lens.len().min(8)],
                    search.step(),
                    self.everywhere.len()
                ));
                let literals = literals.into_iter().map(Box::from).collect();
                Some(LiteralIndex {
                    search,
                    literals,
                    owners,
                })
            })
            .as_ref()
    }

    /// One regex matching wherever a pattern without literals could match (None when
    /// every pattern has literals): the scan looks for it in the text apart.
    pub(crate) fn fallback(&self) -> Option<&regex::bytes::Regex> {
        self.fallback
            .get_or_init(|| {
                if self.everywhere.is_empty() {
                    return None;
                }
                let joined: Vec<&str> = (self.everywhere.iter())
                    .map(|&p| self.sources[p as usize].as_str())
                    .collect();
                // Read as the patterns are compiled (ASCII), so it matches where they do.
                regex::bytes::RegexBuilder::new(&joined.join("|"))
                    .unicode(false)
                    .size_limit(64 << 20)
                    .build()
                    .ok()
            })
            .as_ref()
    }

    /// Calls `f` with each pattern that matches `message` (in no particular order, each
    /// once).
    pub(crate) fn for_each_match(&self, message: &str, mut f: impl FnMut(usize)) {
        for p in self.reached(message) {
            if self.is_match(p, message) {
                f(p);
            }
        }
    }

    /// Whether any pattern matches `message`.
    pub(crate) fn any_match(&self, message: &str) -> bool {
        self.reached(message)
            .into_iter()
            .any(|p| self.is_match(p, message))
    }

    /// The patterns `message` reaches: those owning a literal it holds, and those
    /// without literals; sorted, each once.
    fn reached(&self, message: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self.everywhere.iter().map(|&p| p as usize).collect();
        if let Some(index) = self.index() {
            index.search.for_each_hit(message.as_bytes(), |lit| {
                out.extend(index.owners[lit].iter().map(|&p| p as usize));
            });
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether pattern `p` matches `message`; a pattern that does not compile matches
    /// nothing (rule files are checked with [`Patterns::check`] when loaded).
    fn is_match(&self, p: usize, message: &str) -> bool {
        let re = self.compiled[p].get_or_init(|| compile(&self.sources[p]).ok());
        re.as_ref().is_some_and(|re| re.is_match(message))
    }

    /// Compiles pattern `p` now (kept for matching), or says why it cannot be.
    pub(crate) fn check(&self, p: usize) -> Result<(), String> {
        if let Some(done) = self.compiled[p].get() {
            return match done {
                Some(_) => Ok(()),
                None => compile(&self.sources[p]).map(drop),
            };
        }
        let result = compile(&self.sources[p]);
        let ok = result.as_ref().map(drop).map_err(String::clone);
        let _ = self.compiled[p].set(result.ok());
        ok
    }
}

fn compile(source: &str) -> Result<meta::Regex, String> {
    let config = meta::Config::new()
        .utf8_empty(false)
        .which_captures(WhichCaptures::None)
        .nfa_size_limit(Some(SIZE_LIMIT));
    meta::Builder::new()
        .configure(config)
        .syntax(ascii_syntax())
        .build(source)
        .map_err(|e| match e.size_limit() {
            Some(limit) => format!("the compiled pattern exceeds the size limit of {limit} bytes"),
            None => match std::error::Error::source(&e) {
                Some(inner) => format!("{e}: {inner}"),
                None => e.to_string(),
            },
        })
}

/// Patterns read as ASCII: case folded for ASCII letters only, `\d`, `\s` and `\w`
/// ASCII, `.` any byte but a newline. The scan finds records by literals folded the same
/// way, so Unicode folding could match nothing more, and Unicode classes made patterns
/// several times larger to build.
pub(crate) fn ascii_syntax() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(words: &[&str]) -> Route {
        Route::Literals(words.iter().map(|w| w.as_bytes().to_vec()).collect())
    }

    fn matches(p: &Patterns, message: &str) -> Vec<usize> {
        let mut out = Vec::new();
        p.for_each_match(message, |i| out.push(i));
        out.sort_unstable();
        out
    }

    #[test]
    fn a_pattern_is_tried_only_where_one_of_its_literals_is() {
        let p = Patterns::new(
            vec![
                "(?i:failed to (?:resolve|reach) source)".into(),
                "(?i:access is denied)".into(),
            ],
            vec![
                lits(&["failed to resolve source", "failed to reach source"]),
                lits(&["access is denied"]),
            ],
        );
        assert_eq!(matches(&p, "Failed to RESOLVE source for SMS PKGID=X"), [0]);
        assert_eq!(
            matches(&p, "Access is denied. Failed to reach source"),
            [0, 1]
        );
        assert_eq!(matches(&p, "nothing of interest"), Vec::<usize>::new());
        assert!(p.any_match("ACCESS IS DENIED"));
        assert!(!p.any_match("access was granted"));
        // Nothing was compiled for a pattern whose literals never showed.
        let q = Patterns::new(vec!["(?i:one two)".into()], vec![lits(&["one two"])]);
        assert!(!q.any_match("three four"));
        assert!(q.compiled[0].get().is_none());
    }

    #[test]
    fn a_literal_only_reaches_a_pattern_the_message_must_still_match() {
        // The literal is a hint: "exit code 5" holds "exit code" yet the pattern wants 1-4.
        let p = Patterns::new(
            vec!["(?i:exit code [1-4]\\b)".into()],
            vec![lits(&["exit code "])],
        );
        assert!(p.any_match("Process completed with exit code 3"));
        assert!(!p.any_match("Process completed with exit code 5"));
    }

    #[test]
    fn patterns_without_literals_are_tried_everywhere_and_scanned_apart() {
        let p = Patterns::new(
            vec!["(?i:\\d{3}-\\d{2})".into(), "(?i:access is denied)".into()],
            vec![Route::Everywhere, lits(&["access is denied"])],
        );
        assert_eq!(matches(&p, "code 123-45 seen"), [0]);
        assert_eq!(matches(&p, "access is denied 999-99"), [0, 1]);
        let fb = p
            .fallback()
            .expect("a fallback for the pattern without literals");
        assert!(fb.is_match(b"x 123-45 y"));
        assert!(!fb.is_match(b"access is denied"));
        let none = Patterns::new(vec!["(?i:abcd)".into()], vec![lits(&["abcd"])]);
        assert!(none.fallback().is_none());
    }

    #[test]
    fn a_pattern_too_large_is_refused_by_check_and_matches_nothing() {
        let p = Patterns::new(
            vec!["(?:\\w{1000}){1000}".into(), "(?i:fine)".into()],
            vec![Route::Everywhere, lits(&["fine"])],
        );
        let err = p.check(0).expect_err("too large to compile");
        assert!(err.contains("exceeds the size limit"), "{err}");
        assert!(p.check(1).is_ok());
        assert_eq!(matches(&p, "fine"), [1]);
    }
}
