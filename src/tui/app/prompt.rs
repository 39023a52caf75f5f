//! The prompt line: search, filter and go-to input, edited in place.

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::log::RecordRef;

use crate::tui::filters::FilterKind;
use crate::tui::timespec::{parse_when, parse_window, split_failure};

use super::App;

/// What the go-to prompt understands.
/// lnav's commands that `:` also takes, and the prompt each stands for.
const LNAV_COMMANDS: [(&str, PromptKind); 4] = [
    ("filter-in ", PromptKind::Filter),
    ("filter-out ", PromptKind::Exclude),
    ("highlight ", PromptKind::Highlight),
    ("goto ", PromptKind::Goto),
];

/// An lnav command typed after `:` (`filter-out Set a global`): its prompt and argument.
fn lnav_command(t: &str) -> Option<(PromptKind, &str)> {
    LNAV_COMMANDS.iter().find_map(|&(c, kind)| {
        let rest = t.strip_prefix(c)?.trim();
        (!rest.is_empty()).then_some((kind, rest))
    })
}

const GOTO_HELP: &str = "line, 10:42:03 or 2026-03-10 10:42";
use crate::tui::search::{Pattern, Search, Seek};

/// What a prompt is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// `/`: incremental search.
    Search,
    /// `&`: include filter.
    Filter,
    /// `-`: exclude filter.
    Exclude,
    /// `:`: go to a line or a time.
    Goto,
    /// `@`: time window.
    Window,
    /// `+`: highlight.
    Highlight,
}

impl PromptKind {
    /// The character shown before the input.
    pub fn sigil(self) -> &'static str {
        match self {
            PromptKind::Search => "/",
            PromptKind::Filter => "&",
            PromptKind::Exclude => "-",
            PromptKind::Goto => ":",
            PromptKind::Window => "@",
            PromptKind::Highlight => "+",
        }
    }
}

/// An open prompt.
#[derive(Clone, Debug)]
pub struct Prompt {
    /// What it is for.
    pub kind: PromptKind,
    /// The text typed so far.
    pub input: String,
    /// Cursor, as a byte offset into `input` (always on a character boundary).
    pub cursor: usize,
    /// Why the input is not valid, shown in the prompt.
    pub error: Option<String>,
    /// Where the cursor was when the prompt opened (Esc goes back there).
    origin: (usize, usize),
    /// The search that was active before, restored by Esc.
    saved: Option<Search>,
}

/// The prompt line and the search it drives, which stays after the line closes (`n`, `N`
/// and the match count use it).
#[derive(Clone, Debug, Default)]
pub struct PromptState {
    /// The open prompt.
    pub line: Option<Prompt>,
    /// The active search.
    pub search: Option<Search>,
    /// The search for the next (or first) match, going on between keys.
    pub(super) seek: Option<Seek>,
}

impl PromptState {
    /// Drops the search and any look for its next match.
    pub(super) fn drop_search(&mut self) {
        self.search = None;
        self.seek = None;
    }
}

impl App {
    pub(super) fn open_prompt(&mut self, kind: PromptKind, input: String) {
        let saved = if kind == PromptKind::Search {
            self.prompt.seek = None;
            self.prompt.search.take()
        } else {
            None
        };
        self.prompt.line = Some(Prompt {
            kind,
            cursor: input.len(),
            input,
            error: None,
            origin: (self.view.cursor, self.view.top),
            saved,
        });
    }

    pub(super) fn prompt_key(&mut self, key: KeyEvent) {
        let Some(p) = self.prompt.line.as_mut() else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let mut edited = false;
        match key.code {
            KeyCode::Esc => {
                let p = self.prompt.line.take();
                if let Some(p) = p {
                    if p.kind == PromptKind::Search {
                        self.prompt.search = p.saved;
                        self.prompt.seek = None;
                        self.view.cursor = p.origin.0;
                        self.view.top = p.origin.1;
                    }
                }
                return;
            }
            KeyCode::Char('c') if ctrl => {
                self.prompt.line = None;
                return;
            }
            KeyCode::Enter => {
                self.submit_prompt();
                return;
            }
            KeyCode::Backspace => {
                if let Some((i, _)) = p.input[..p.cursor].char_indices().next_back() {
                    p.input.replace_range(i..p.cursor, "");
                    p.cursor = i;
                    edited = true;
                } else if p.input.is_empty() {
                    // Backspace on an empty prompt closes it, as in less and vim.
                    self.apply_prompt_escape();
                    return;
                }
            }
            KeyCode::Delete => {
                if let Some(c) = p.input[p.cursor..].chars().next() {
                    p.input.replace_range(p.cursor..p.cursor + c.len_utf8(), "");
                    edited = true;
                }
            }
            KeyCode::Left => {
                if let Some((i, _)) = p.input[..p.cursor].char_indices().next_back() {
                    p.cursor = i;
                }
            }
            KeyCode::Right => {
                if let Some(c) = p.input[p.cursor..].chars().next() {
                    p.cursor += c.len_utf8();
                }
            }
            KeyCode::Home => p.cursor = 0,
            KeyCode::End => p.cursor = p.input.len(),
            KeyCode::Char('a') if ctrl => p.cursor = 0,
            KeyCode::Char('e') if ctrl => p.cursor = p.input.len(),
            KeyCode::Char('u') if ctrl => {
                p.input.replace_range(..p.cursor, "");
                p.cursor = 0;
                edited = true;
            }
            KeyCode::Char('w') if ctrl => {
                let head = &p.input[..p.cursor];
                let trimmed = head.trim_end();
                let start = trimmed.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                p.input.replace_range(start..p.cursor, "");
                p.cursor = start;
                edited = true;
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                p.input.insert(p.cursor, c);
                p.cursor += c.len_utf8();
                edited = true;
            }
            _ => {}
        }
        if edited {
            self.prompt_edited();
        }
    }

    pub(super) fn apply_prompt_escape(&mut self) {
        self.prompt_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    }

    pub(super) fn prompt_edited(&mut self) {
        let Some(p) = self.prompt.line.as_mut() else {
            return;
        };
        p.error = None;
        match p.kind {
            PromptKind::Search => {
                let origin = p.origin;
                if p.input.is_empty() {
                    self.prompt.drop_search();
                    self.view.cursor = origin.0;
                    self.view.top = origin.1;
                    return;
                }
                match Pattern::new(&p.input) {
                    Ok(pat) => {
                        self.prompt.search = Some(Search::new(pat));
                        // As vim's incsearch: each edit searches again from where it began,
                        // and a pattern that matches nothing leaves the cursor there.
                        self.view.cursor = origin.0;
                        self.view.top = origin.1;
                        // Incremental: look for the first match from where the prompt opened.
                        let start = self.rows.pos(origin.0).unwrap_or(0);
                        self.prompt.seek = Some(Seek {
                            next: start,
                            left: self.log.len(),
                            forward: true,
                            skip_row: None,
                        });
                        self.work(Duration::from_millis(8));
                    }
                    Err(e) => {
                        p.error = Some(e);
                        self.prompt.drop_search();
                    }
                }
            }
            PromptKind::Filter | PromptKind::Exclude | PromptKind::Highlight => {
                if !p.input.is_empty() {
                    if let Err(e) = Pattern::new(&p.input) {
                        p.error = Some(e);
                    }
                }
            }
            PromptKind::Goto => {
                let t = p.input.trim();
                if let Some((kind, rest)) = lnav_command(t) {
                    p.error = Pattern::new(rest)
                        .err()
                        .filter(|_| kind != PromptKind::Goto);
                } else if !t.is_empty()
                    && t.parse::<u64>().is_err()
                    && parse_when(t).is_none()
                    && !LNAV_COMMANDS.iter().any(|(c, _)| c.starts_with(t))
                {
                    p.error = Some(GOTO_HELP.into());
                }
            }
            PromptKind::Window => {}
        }
    }

    pub(super) fn submit_prompt(&mut self) {
        let Some(p) = self.prompt.line.take() else {
            return;
        };
        match p.kind {
            PromptKind::Search => {
                if p.input.is_empty() || p.error.is_some() {
                    if p.error.is_some() {
                        // Keep the prompt open so the error can be fixed.
                        self.prompt.line = Some(p);
                    } else {
                        self.prompt.search = p.saved;
                    }
                    return;
                }
                self.view.moved = true;
                if self.prompt.search.is_none() {
                    if let Ok(pat) = Pattern::new(&p.input) {
                        self.prompt.search = Some(Search::new(pat));
                    }
                }
            }
            PromptKind::Filter | PromptKind::Exclude | PromptKind::Highlight => {
                if p.input.is_empty() {
                    return;
                }
                match Pattern::new(&p.input) {
                    Ok(pat) if p.kind == PromptKind::Highlight => self.filter.add_highlight(pat),
                    Ok(pat) => {
                        let exclude = p.kind == PromptKind::Exclude;
                        self.add_filter(FilterKind::Text(pat), exclude);
                    }
                    Err(e) => {
                        // Keep the prompt open so the pattern can be fixed.
                        let mut p = p;
                        p.error = Some(e);
                        self.prompt.line = Some(p);
                    }
                }
            }
            PromptKind::Goto => {
                let t = p.input.trim();
                if t.is_empty() {
                    return;
                }
                if let Some((kind, rest)) = lnav_command(t) {
                    // lnav's words for the same things: answered as the key would be.
                    let mut q = p.clone();
                    q.kind = kind;
                    q.input = rest.to_string();
                    q.cursor = q.input.len();
                    q.error = None;
                    self.prompt.line = Some(q);
                    self.submit_prompt();
                    return;
                }
                if let Ok(line) = t.parse::<u64>() {
                    self.goto_line(line);
                } else if let Some(when) = parse_when(t) {
                    if let Err(e) = self.goto_time(when) {
                        self.notice = Some(e);
                    }
                } else {
                    // The prompt closes: an entry it cannot use must not swallow the keys
                    // that follow.
                    self.notice = Some(format!("not a line or a time: {t} (try {GOTO_HELP})"));
                }
            }
            PromptKind::Window => {
                let t = p.input.trim();
                if t.is_empty() {
                    return;
                }
                let (window, at_failure) = split_failure(t);
                let done = parse_window(window).and_then(|w| self.add_window(t, w, at_failure));
                if let Err(e) = done {
                    self.notice = Some(format!("time window {t}: {e}"));
                }
            }
        }
    }

    /// Goes to the record holding line `line` of the current record's source.
    pub fn goto_line(&mut self, line: u64) {
        let source = self.current_ref().map_or(0, |r| r.source);
        let Some(src) = self.log.sources.get(source as usize) else {
            return;
        };
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let i = src.records.partition_point(|r| r.line <= line);
        let index = i.saturating_sub(1);
        if src.records.is_empty() {
            return;
        }
        let pos = self.index.position(
            &self.log,
            RecordRef {
                source,
                index: index as u32,
            },
        );
        self.goto_pos(pos);
        if self.rows.row_of(pos, &self.index).is_none() {
            self.notice = Some(format!("line {line} is hidden by a filter; nearest shown"));
        }
    }
}
