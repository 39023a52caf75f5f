//! Substring searchers kept in statics and built on first use.

use std::sync::OnceLock;

use memchr::memmem::Finder;

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
