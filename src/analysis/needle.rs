//! Substring searchers kept in statics and built on first use.

use std::sync::OnceLock;

use memchr::memmem::{Finder, FinderRev};

/// A substring searcher built once: `str::find` and `contains` build a new one on every
/// call, which shows on logs with tens of thousands of steps.
pub struct Needle {
    text: &'static str,
    finder: OnceLock<Finder<'static>>,
}

impl Needle {
    /// A searcher for `text`.
    pub const fn new(text: &'static str) -> Needle {
        Needle {
            text,
            finder: OnceLock::new(),
        }
    }

    /// Byte offset of the first occurrence in `s`.
    pub fn find(&self, s: &str) -> Option<usize> {
        self.finder
            .get_or_init(|| Finder::new(self.text))
            .find(s.as_bytes())
    }

    /// Byte offset just past the first occurrence in `s`.
    pub fn end_in(&self, s: &str) -> Option<usize> {
        self.find(s).map(|i| i + self.text.len())
    }

    /// Whether `s` holds the text.
    pub fn is_in(&self, s: &str) -> bool {
        self.find(s).is_some()
    }
}

/// A backward substring searcher built once (see [`Needle`]).
pub struct NeedleRev {
    text: &'static str,
    finder: OnceLock<FinderRev<'static>>,
}

impl NeedleRev {
    /// A backward searcher for `text`.
    pub const fn new(text: &'static str) -> NeedleRev {
        NeedleRev {
            text,
            finder: OnceLock::new(),
        }
    }

    /// Byte offset of the last occurrence in `s`.
    pub fn rfind(&self, s: &str) -> Option<usize> {
        self.finder
            .get_or_init(|| FinderRev::new(self.text))
            .rfind(s.as_bytes())
    }

    /// The text after the last occurrence, or all of `s` when there is none (as
    /// `s.rsplit(text).next()`).
    pub fn after_last<'s>(&self, s: &'s str) -> &'s str {
        match self.rfind(s) {
            Some(i) => &s[i + self.text.len()..],
            None => s,
        }
    }
}
