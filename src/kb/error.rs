//! Errors found while loading or checking rule files.

use std::fmt;
use std::path::{Path, PathBuf};

/// What kind of problem a [`RuleError`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleErrorKind {
    /// The file or directory could not be read.
    Io,
    /// The file is not valid TOML.
    Syntax,
    /// A key that the rule schema does not know (often a typo).
    UnknownKey,
    /// A required key is missing.
    MissingField,
    /// A key has a value of the wrong type or an unknown choice.
    BadValue,
    /// A `message`, `component` or `step` pattern is not a valid regex.
    BadRegex,
    /// A `code` is not a hex (`0x...`) or decimal error code.
    BadCode,
    /// Two rules share one `id`.
    DuplicateId,
    /// The rule is well-formed TOML but breaks a schema rule (empty list, bad id...).
    Invalid,
    /// A rule's `[[rule.example]]` does not behave as it says, or a rule has none.
    Example,
}

/// A problem in one rule file, located by file, line and column.
///
/// Displayed on one line as `<file>:<line>:<col>: <reason>`; when no position
/// is known (an unreadable file) as `<file>: <reason>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// The file the problem is in (as given to the loader; built-in files as `kb/<name>.toml`).
    pub path: PathBuf,
    /// 1-based line, or 0 when unknown.
    pub line: usize,
    /// 1-based column in characters, or 0 when unknown.
    pub column: usize,
    /// The kind of problem.
    pub kind: RuleErrorKind,
    /// What is wrong, on one line.
    pub reason: String,
}

impl RuleError {
    /// An error at a byte offset of `text` (the file's contents).
    pub(crate) fn at(
        path: &Path,
        text: &str,
        offset: usize,
        kind: RuleErrorKind,
        reason: impl Into<String>,
    ) -> RuleError {
        let (line, column) = line_col(text, offset);
        RuleError {
            path: path.to_path_buf(),
            line,
            column,
            kind,
            reason: one_line(&reason.into()),
        }
    }

    /// An error with no position in the file.
    pub(crate) fn whole_file(path: &Path, kind: RuleErrorKind, reason: impl Into<String>) -> Self {
        RuleError {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            kind,
            reason: one_line(&reason.into()),
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.reason)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                self.line,
                self.column,
                self.reason
            )
        }
    }
}

impl std::error::Error for RuleError {}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Line starts of a rule file, found once: a file of thousands of rules asks for a line per
/// rule and per example, and counting from the start of the file each time was quadratic.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

/// Collapses whitespace runs (newlines included) so a reason stays on one line.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
