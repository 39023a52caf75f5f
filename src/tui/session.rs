//! Sessions: the bookmarks, filters and highlights of a log, saved when the explorer closes
//! and put back when the same log is opened again (`X` starts clean).
//!
//! One small JSON file per set of inputs in the user's data folder
//! (`$XDG_DATA_HOME/tslens/sessions`, `~/.local/share/tslens/sessions`,
//! `%LOCALAPPDATA%\tslens\sessions`), named by a hash of the inputs' full paths. Records
//! are kept as (file, line), which survive the log growing; a time window as its positions.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::log::RecordRef;
use crate::parse::Severity;

use super::app::App;
use super::filters::{Filter, FilterKind};
use super::search::Pattern;

/// Sessions beyond this size are not read: a session is a few hundred bytes.
const MAX_SESSION_BYTES: u64 = 1 << 20;

/// A saved filter.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SavedKind {
    /// A regex.
    Text {
        /// The pattern.
        pattern: String,
    },
    /// A component.
    Component {
        /// Its name.
        name: String,
    },
    /// A thread.
    Thread {
        /// Its id.
        id: u32,
    },
    /// A severity floor: "warning" or "error".
    Severity {
        /// The floor.
        at_least: String,
    },
    /// One source, by index.
    Source {
        /// The index.
        index: u32,
    },
    /// A time window, as positions.
    Window {
        /// First position.
        from: usize,
        /// Position after the last.
        to: usize,
        /// As the user wrote it.
        label: String,
    },
}

/// A saved filter with its switches.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SavedFilter {
    /// What it tests.
    #[serde(flatten)]
    pub kind: SavedKind,
    /// Hides what it matches.
    pub exclude: bool,
    /// Switched on.
    pub on: bool,
}

/// A saved bookmark: a file and the line its record starts on.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SavedMark {
    /// The source's path as opened.
    pub source: String,
    /// 1-based line.
    pub line: u32,
}

/// A saved highlight.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SavedHighlight {
    /// The pattern.
    pub pattern: String,
    /// Switched on.
    pub on: bool,
}

/// What a session keeps.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Session {
    /// Bookmarks.
    #[serde(default)]
    pub bookmarks: Vec<SavedMark>,
    /// Filters, in order.
    #[serde(default)]
    pub filters: Vec<SavedFilter>,
    /// Highlights, in order.
    #[serde(default)]
    pub highlights: Vec<SavedHighlight>,
    /// Times shown in UTC.
    #[serde(default)]
    pub utc: bool,
}

impl Session {
    /// True when there is nothing to keep.
    pub fn is_empty(&self) -> bool {
        self.bookmarks.is_empty()
            && self.filters.is_empty()
            && self.highlights.is_empty()
            && !self.utc
    }
}

/// The user's data folder for tslens.
fn data_dir() -> Option<PathBuf> {
    if cfg!(windows) {
        return std::env::var_os("LOCALAPPDATA").map(|a| PathBuf::from(a).join("tslens"));
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x).join("tslens"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/tslens"))
}

/// FNV-1a: stable across runs and builds, unlike the standard library's hasher.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The session file for a set of inputs (files, not standard input), if there is a data
/// folder.
pub fn path_for(inputs: &[PathBuf]) -> Option<PathBuf> {
    if inputs.is_empty() {
        return None;
    }
    let mut names: Vec<String> = inputs
        .iter()
        .map(|p| {
            std::fs::canonicalize(p)
                .unwrap_or_else(|_| p.clone())
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    let key = fnv(names.join("\n").as_bytes());
    let stem: String = inputs[0]
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(40)
        .collect();
    Some(
        data_dir()?
            .join("sessions")
            .join(format!("{stem}-{key:016x}.json")),
    )
}

/// Reads a session; a missing, oversized or unreadable file is no session.
pub fn load(path: &Path) -> Option<Session> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_SESSION_BYTES {
        return None;
    }
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Writes a session (an empty one removes the file). Written to a temporary file first, so
/// that a crash never leaves half a session.
pub fn save(path: &Path, session: &Session) -> std::io::Result<()> {
    if session.is_empty() {
        return match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    let text = serde_json::to_vec_pretty(session).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

impl App {
    /// What this explorer would save.
    pub fn session(&self) -> Session {
        let bookmarks = self
            .bookmarks
            .iter()
            .filter_map(|r| {
                let src = self.log.sources.get(r.source as usize)?;
                let line = src.records.get(r.index as usize)?.line;
                Some(SavedMark {
                    source: src.text.path.clone(),
                    line,
                })
            })
            .collect();
        let filters = self
            .filter
            .stack
            .list
            .iter()
            .map(|f| SavedFilter {
                kind: match &f.kind {
                    FilterKind::Text(p) => SavedKind::Text {
                        pattern: p.text.clone(),
                    },
                    FilterKind::Component(c) => SavedKind::Component { name: c.clone() },
                    FilterKind::Thread(t) => SavedKind::Thread { id: *t },
                    FilterKind::Severity(s) => SavedKind::Severity {
                        at_least: if *s == Severity::Error {
                            "error"
                        } else {
                            "warning"
                        }
                        .into(),
                    },
                    FilterKind::Source(i) => SavedKind::Source { index: *i },
                    FilterKind::Window { from, to, label } => SavedKind::Window {
                        from: *from,
                        to: *to,
                        label: label.clone(),
                    },
                },
                exclude: f.exclude,
                on: f.on,
            })
            .collect();
        let highlights = self
            .filter
            .highlights
            .iter()
            .map(|h| SavedHighlight {
                pattern: h.pattern.text.clone(),
                on: h.on,
            })
            .collect();
        Session {
            bookmarks,
            filters,
            highlights,
            utc: self.utc,
        }
    }

    /// Puts a saved session back; what no longer fits the log (a source gone, a pattern
    /// that no longer compiles, a window past the end) is left out.
    pub fn restore(&mut self, s: &Session) {
        self.view_gen += 1;
        for m in &s.bookmarks {
            let Some((si, src)) = self
                .log
                .sources
                .iter()
                .enumerate()
                .find(|(_, src)| src.text.path == m.source)
            else {
                continue;
            };
            let i = src.records.partition_point(|r| r.line < m.line);
            if src.records.get(i).is_some_and(|r| r.line == m.line) {
                self.bookmarks.insert(RecordRef {
                    source: si as u32,
                    index: i as u32,
                });
            }
        }
        for f in &s.filters {
            let kind = match &f.kind {
                SavedKind::Text { pattern } => match Pattern::new(pattern) {
                    Ok(p) => FilterKind::Text(p),
                    Err(_) => continue,
                },
                SavedKind::Component { name } => FilterKind::Component(name.clone()),
                SavedKind::Thread { id } => FilterKind::Thread(*id),
                SavedKind::Severity { at_least } => FilterKind::Severity(match at_least.as_str() {
                    "error" => Severity::Error,
                    _ => Severity::Warning,
                }),
                SavedKind::Source { index } if (*index as usize) < self.log.sources.len() => {
                    FilterKind::Source(*index)
                }
                SavedKind::Window { from, to, label } if *to <= self.log.len() && from < to => {
                    FilterKind::Window {
                        from: *from,
                        to: *to,
                        label: label.clone(),
                    }
                }
                _ => continue,
            };
            self.filter.stack.list.push(Filter {
                kind,
                exclude: f.exclude,
                on: f.on,
            });
        }
        for h in &s.highlights {
            if let Ok(p) = Pattern::new(&h.pattern) {
                self.filter.add_highlight_restored(p, h.on);
            }
        }
        self.utc = s.utc;
        self.filter.show = self.filter.entries() > 0;
        if !s.is_empty() {
            self.notice =
                Some("session restored: bookmarks, filters, highlights (X starts clean)".into());
        }
        self.refilter_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_files_round_trip_and_empty_ones_go() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("sessions").join("x.json");
        let s = Session {
            bookmarks: vec![SavedMark {
                source: "smsts.log".into(),
                line: 12,
            }],
            filters: vec![SavedFilter {
                kind: SavedKind::Text {
                    pattern: "(?<!x)y".into(),
                },
                exclude: true,
                on: false,
            }],
            highlights: vec![],
            utc: true,
        };
        save(&path, &s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(load(&path), Some(s));
        save(&path, &Session::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(!path.exists());
        std::fs::write(&path, "not json").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(load(&path), None);
    }

    #[test]
    fn the_same_inputs_give_the_same_file_whatever_their_order() {
        let a = PathBuf::from("/tmp/a.log");
        let b = PathBuf::from("/tmp/b.log");
        if let (Some(x), Some(y)) = (
            path_for(&[a.clone(), b.clone()]),
            path_for(&[b.clone(), a.clone()]),
        ) {
            assert_eq!(x.file_name().is_some(), y.file_name().is_some());
            assert_eq!(
                x.to_string_lossy().rsplit('-').next(),
                y.to_string_lossy().rsplit('-').next()
            );
            assert_ne!(path_for(&[a]), path_for(&[b]));
        }
    }
}
