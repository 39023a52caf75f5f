//! The explorer's state and its pure update function: messages in, state and effects out,
//! no terminal and no I/O, so that every key can be tested without a screen.

use std::collections::BTreeSet;
use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent};
use ratatui::layout::Rect;

use crate::analysis::Analysis;
use crate::follow::FollowEvent;
use crate::log::{Log, RecordRef};
use crate::tui::theme::Theme;

mod filtering;
mod jobs;
mod live;
mod loading;
pub(crate) use loading::skipped_notice;
mod mouse;
mod navigate;
mod panes;
mod position;
mod prompt;

pub use prompt::{Prompt, PromptKind, PromptState};

pub use filtering::FilterState;
pub use live::Live;
pub use loading::{LoadState, Loading};
use navigate::Which;
pub use panes::{PanelState, StepsState};
pub use position::ViewPos;

use super::keymap::{action_for, Action};
use super::layout::{layout, Layout};
use super::load::{LoadMsg, Loaded, Preview};
use super::rows::{Index, Row, RowMap};

/// The panes that can have the focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    /// The log view.
    Log,
    /// The side panel (finding and record details).
    Panel,
    /// The step timeline.
    Steps,
    /// The filter pane.
    Filters,
}

/// What the runtime must do for the update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Restore the terminal and leave.
    Quit,
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Clear the terminal and draw every cell again.
    Redraw,
    /// Read the inputs again from disk.
    Reload,
    /// `F` in a log opened without following: read the files again and follow them from
    /// where that reading stops, as `--follow` would have (what `less`'s `F` does).
    FollowFiles,
    /// Capture the mouse (true) or leave it to the terminal.
    Mouse(bool),
    /// Give the terminal back and stop the process until the shell continues it.
    Suspend,
}

/// A message for [`App::update`].
pub enum Msg {
    /// A key.
    Key(KeyEvent),
    /// A mouse event.
    Mouse(MouseEvent),
    /// The terminal's new size.
    Resize(u16, u16),
    /// News from the loading worker.
    Load(LoadMsg),
    /// News from the follower of stream `stream` (see [`App::add_stream`]).
    Follow {
        /// The stream, as [`App::add_stream`] numbered it.
        stream: usize,
        /// What happened.
        event: FollowEvent,
    },
    /// A signal or a lost terminal: leave.
    Quit,
}

/// Options the explorer starts with.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Start at the end and follow.
    pub follow: bool,
}

/// Clipboard payloads beyond this are cut: terminals drop larger OSC 52 writes.
const COPY_LIMIT: usize = 256 * 1024;

/// The explorer.
pub struct App {
    /// The log (a preview until the worker is done; shared with the worker while it
    /// analyses, see [`LoadMsg::Indexed`]).
    pub log: Arc<Log>,
    /// Its analysis.
    pub analysis: Analysis,
    /// Lookup tables.
    pub index: Index,
    /// Visible rows.
    pub rows: RowMap,
    /// Per chain: folded.
    pub folded: Vec<bool>,
    /// Styles.
    pub theme: Theme,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Where the log view stands: selection, scroll, following.
    pub view: ViewPos,
    /// Focused pane.
    pub focus: Pane,
    /// The side panel: shown or not, its finding, selection and scroll.
    pub panel: PanelState,
    /// The step timeline: shown or not, its selection.
    pub steps: StepsState,
    /// The help overlay is open, scrolled by this many lines.
    pub help: Option<usize>,
    /// The prompt line and the search it drives.
    pub prompt: PromptState,
    /// The filters, the highlights and the pane that lists them.
    pub filter: FilterState,
    /// Times are shown, typed and compared in UTC rather than as the log wrote them.
    pub utc: bool,
    /// The mouse is captured (wheel and clicks); off, the terminal selects text itself.
    pub mouse: bool,
    /// Bookmarked records.
    pub bookmarks: BTreeSet<RecordRef>,
    /// Loading: how far it has gone, and what waits for the whole log.
    pub load: Loading,
    /// A one-off message for the status line.
    pub notice: Option<String>,
    /// A log that grows: followers, their markers, what is new, analyses due.
    pub live: Live,
    /// Set when the screen must be drawn again.
    pub dirty: bool,
    /// Changes whenever what a log row draws may have changed by anything but records
    /// appended at the end (a key, the analysis, a filter's progress, a record replaced):
    /// a frame keeps a row the terminal shows only when this and the row's record and
    /// selection are what they were (see [`crate::tui::screen`]). State set from outside
    /// these methods (a test setting a field) must bump it too.
    pub view_gen: u64,
}

impl App {
    /// An explorer over a complete log.
    pub fn new(loaded: Loaded, theme: Theme, opts: &Options) -> App {
        let mut app = App::empty(theme, opts);
        app.load.state = LoadState::Ready;
        app.install(loaded);
        app.after_load();
        app
    }

    /// An explorer over a preview, while the worker loads the rest.
    pub fn from_preview(preview: Preview, theme: Theme, opts: &Options) -> App {
        let mut app = App::empty(theme, opts);
        app.load.lines_known = !preview.tail;
        app.live.preview_origin = preview.origin;
        let analysis = Analysis::default();
        let index = Index::build(&preview.log, &analysis);
        app.install(Loaded {
            log: Arc::new(preview.log),
            analysis,
            index,
            resume: Vec::new(),
            skipped: Vec::new(),
            live: None,
        });
        if app.view.follow {
            app.view.cursor = app.rows.len().saturating_sub(1);
        }
        app.load.state = LoadState::Indexing { done: 0, total: 0 };
        app
    }

    fn empty(theme: Theme, opts: &Options) -> App {
        App {
            log: Arc::new(Log::from_sources(Vec::new())),
            analysis: Analysis::default(),
            index: Index::default(),
            rows: RowMap::default(),
            folded: Vec::new(),
            theme,
            size: (80, 24),
            view: ViewPos {
                follow: opts.follow,
                ..ViewPos::default()
            },
            focus: Pane::Log,
            panel: PanelState::default(),
            steps: StepsState::default(),
            help: None,
            prompt: PromptState::default(),
            filter: FilterState::default(),
            utc: false,
            mouse: true,
            bookmarks: BTreeSet::new(),
            load: Loading::default(),
            notice: None,
            live: Live::default(),
            dirty: true,
            view_gen: 0,
        }
    }

    // -----------------------------------------------------------------------------------
    // Queries

    /// The page height of the log view, in rows.
    pub fn page(&self) -> usize {
        self.layout().log_body_rows().max(1)
    }

    /// The current layout.
    pub fn layout(&self) -> Layout {
        layout(self, Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// What the cursor row shows.
    pub fn current_row(&self) -> Option<Row> {
        self.rows.row(self.view.cursor)
    }

    /// Position of the cursor row.
    pub fn current_pos(&self) -> Option<usize> {
        self.rows.pos(self.view.cursor)
    }

    /// The record under the cursor.
    pub fn current_ref(&self) -> Option<RecordRef> {
        self.current_pos().map(|p| self.log.at(p))
    }

    /// The step the cursor is in.
    pub fn current_step(&self) -> Option<usize> {
        self.current_pos().and_then(|p| self.analysis.step_at(p))
    }

    /// True while some work (filtering, counting, seeking) is pending.
    pub fn busy(&self) -> bool {
        self.filter.job.is_some()
            || self.prompt.seek.is_some()
            || self
                .prompt
                .search
                .as_ref()
                .is_some_and(|s| !s.counted(self.log.len()))
    }

    /// Which search match the cursor is on (1-based), when it is on one.
    pub fn match_ordinal(&self) -> Option<usize> {
        let s = self.prompt.search.as_ref()?;
        let pos = self.current_pos()? as u32;
        s.matches.binary_search(&pos).ok().map(|i| i + 1)
    }

    // -----------------------------------------------------------------------------------
    // Update

    /// Applies one message; returns what the runtime must do.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut fx = Vec::new();
        // Records appended change no row already drawn (a replaced one says so itself).
        if !matches!(
            &msg,
            Msg::Follow {
                event: FollowEvent::Records { .. },
                ..
            }
        ) {
            self.view_gen += 1;
        }
        match msg {
            Msg::Key(key) => {
                // Windows reports releases too; only presses act.
                if key.kind == KeyEventKind::Press || key.kind == KeyEventKind::Repeat {
                    self.notice = None;
                    self.on_key(key, &mut fx);
                    if self.view.follow || self.view.cursor + 1 >= self.rows.len() {
                        // The user has seen the end: nothing is new below any more.
                        self.live.new_below = 0;
                    }
                    self.dirty = true;
                }
            }
            Msg::Mouse(m) => self.on_mouse(m),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                // Until the user moves, keep what loading chose (a finding's evidence) centred.
                let center = !self.view.moved;
                if center {
                    self.view.top = usize::MAX;
                }
                self.scroll_to_cursor(center);
                self.dirty = true;
            }
            Msg::Load(l) => self.on_load(l),
            Msg::Follow { stream, event } => self.on_follow(stream, event),
            Msg::Quit => fx.push(Effect::Quit),
        }
        self.keep_focus_on_screen();
        self.keep_filter_in_sight();
        fx
    }

    fn on_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) {
        if self.prompt.line.is_some() {
            self.prompt_key(key);
            return;
        }
        if let Some(scroll) = self.help {
            // Scrolled as less scrolls its help: Space pages, and it stops at the end (a
            // scroll past it would take as many presses to come back).
            let (page, last) = super::view::help_extent(&self.theme, self.size.0, self.size.1);
            let a = action_for(key);
            self.help = match a {
                _ if key.code == KeyCode::Char(' ') => Some(scroll + page),
                Some(Action::Down) => Some(scroll + 1),
                Some(Action::Up) => Some(scroll.saturating_sub(1)),
                Some(Action::PageDown | Action::HalfDown) => Some(scroll + page),
                Some(Action::PageUp | Action::HalfUp) => Some(scroll.saturating_sub(page)),
                Some(Action::Top) => Some(0),
                Some(Action::Bottom) => Some(last),
                _ => None,
            }
            .map(|s| s.min(last));
            if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
                fx.push(Effect::Quit);
            }
            return;
        }
        let Some(action) = action_for(key) else {
            return;
        };
        self.apply(action, fx);
    }

    /// Applies one action (what a key means).
    pub fn apply(&mut self, action: Action, fx: &mut Vec<Effect>) {
        use Action::*;
        let page = self.page();
        match action {
            Down => self.move_in_focus(1),
            Up => self.move_in_focus(-1),
            PageDown => self.move_in_focus(page as isize),
            PageUp => self.move_in_focus(-(page as isize)),
            HalfDown => self.move_in_focus((page / 2).max(1) as isize),
            HalfUp => self.move_in_focus(-((page / 2).max(1) as isize)),
            Top => match self.focus {
                Pane::Log => self.set_cursor(0, false),
                Pane::Panel => self.panel.select_first(),
                Pane::Steps => self.steps.sel = 0,
                Pane::Filters => self.filter.sel = 0,
            },
            Bottom => match self.focus {
                Pane::Log => self.set_cursor(self.rows.len().saturating_sub(1), false),
                Pane::Panel => self.panel.select_last(self.evidence_len()),
                Pane::Steps => self.steps.sel = self.analysis.steps.steps.len().saturating_sub(1),
                Pane::Filters => self.filter.select_last(),
            },
            Left => self.view.scroll_sideways(false, self.hstep()),
            Right => self.view.scroll_sideways(true, self.hstep()),
            LineStart => self.view.hscroll = 0,
            Search => self.open_prompt(PromptKind::Search, String::new()),
            SearchNext => self.search_step(true),
            SearchPrev => self.search_step(false),
            FilterText => self.open_prompt(PromptKind::Filter, String::new()),
            GotoLine => self.open_prompt(PromptKind::Goto, String::new()),
            Activate => match self.focus {
                Pane::Log => self.toggle_fold(),
                Pane::Panel => self.jump_to_evidence(),
                Pane::Steps => self.jump_to_step(self.steps.sel),
                Pane::Filters => self.filter_toggle_selected(),
            },
            ToggleFold => self.toggle_fold(),
            ToggleAllFolds => self.toggle_all_folds(),
            ToggleFollow => {
                self.view.follow = !self.view.follow;
                self.live.pipe_follow = false;
                // Stopped by the user: reaching the end no longer starts it again.
                self.live.pipe_refollow &= self.view.follow;
                if self.view.follow {
                    self.live.new_below = 0;
                    self.set_cursor(self.rows.len().saturating_sub(1), false);
                    // Nothing feeds the log yet: ask for its files to be followed.
                    if self.live.streams.is_empty() {
                        fx.push(Effect::FollowFiles);
                    }
                }
                self.notice = Some(if self.view.follow {
                    "following the end of the log (F to stop)".into()
                } else {
                    "stopped following".into()
                });
            }
            NextError => self.jump_in_list(Which::Errors, true),
            PrevError => self.jump_in_list(Which::Errors, false),
            NextWarning => self.jump_in_list(Which::Warnings, true),
            PrevWarning => self.jump_in_list(Which::Warnings, false),
            NextChain => self.jump_in_list(Which::Chains, true),
            PrevChain => self.jump_in_list(Which::Chains, false),
            NextStep => self.jump_in_list(Which::Steps, true),
            PrevStep => self.jump_in_list(Which::Steps, false),
            NextBookmark => self.jump_in_list(Which::Bookmarks, true),
            PrevBookmark => self.jump_in_list(Which::Bookmarks, false),
            NextFinding => self.cycle_finding(true),
            PrevFinding => self.cycle_finding(false),
            ToggleBookmark => {
                if let Some(r) = self.current_ref() {
                    if !self.bookmarks.remove(&r) {
                        self.bookmarks.insert(r);
                        self.notice = Some("bookmark set (b/B to jump)".into());
                    }
                }
            }
            CycleSeverity => self.cycle_severity(),
            FilterComponent => self.filter_component(false),
            HideComponent => self.filter_component(true),
            FilterThread => self.filter_thread(),
            CycleSource => self.cycle_source(),
            ClearFilters => {
                self.filter.clear(false);
                if self.focus == Pane::Filters && self.filter.highlights.is_empty() {
                    self.focus = Pane::Log;
                }
                self.refilter();
            }
            ExcludeText => self.open_prompt(PromptKind::Exclude, String::new()),
            TimeWindow => self.open_prompt(PromptKind::Window, String::new()),
            AddHighlight => self.open_prompt(PromptKind::Highlight, String::new()),
            FilterPane => self.toggle_filter_pane(),
            FilterFlip => self.filter_flip_selected(),
            FilterRemove => self.filter_remove_selected(),
            ToggleUtc => {
                self.utc = !self.utc;
                self.notice = Some(if self.utc {
                    "times in UTC (U: as written)".into()
                } else {
                    "times as written in the log (U: UTC)".into()
                });
            }
            ToggleMouse => {
                self.mouse = !self.mouse;
                fx.push(Effect::Mouse(self.mouse));
                self.notice = Some(if self.mouse {
                    "mouse captured: wheel scrolls, click selects (M: give it back)".into()
                } else {
                    "mouse left to the terminal: select text with it (M: capture)".into()
                });
            }
            CleanSession => {
                self.bookmarks.clear();
                self.filter.clear(true);
                self.utc = false;
                if self.focus == Pane::Filters {
                    self.focus = Pane::Log;
                }
                self.refilter();
                self.notice =
                    Some("clean start: bookmarks, filters, highlights and UTC dropped".into());
            }
            FocusNext => self.cycle_focus(true),
            FocusPrev => self.cycle_focus(false),
            TogglePanel => {
                self.panel.show = !self.panel.show;
                if !self.panel.show && self.focus == Pane::Panel {
                    self.focus = Pane::Log;
                }
            }
            ToggleSteps => {
                // What counts is whether the pane is on screen, not the wish: at 80x24 it
                // may be wished for and still not fit.
                if self.layout().steps.is_some() {
                    self.steps.show = false;
                    if self.focus == Pane::Steps {
                        self.focus = Pane::Log;
                    }
                } else {
                    self.steps.show = true;
                    if self.layout().steps.is_none() {
                        self.steps_without_room();
                    }
                }
            }
            CopyRecord => match super::panel::record_copy_text(self) {
                Some(text) => self.copy(text, fx),
                None => self.notice = Some("nothing to copy".into()),
            },
            CopyFinding => match super::panel::finding_copy_text(self) {
                Some(text) => self.copy(text, fx),
                None => self.notice = Some("no finding to copy (i opens one)".into()),
            },
            Help => self.help = Some(0),
            Escape => {
                if self.focus != Pane::Log {
                    self.focus = Pane::Log;
                } else if self.prompt.search.is_some() {
                    self.prompt.drop_search();
                } else if self.panel.finding.is_some() {
                    self.panel.close_finding();
                }
            }
            Quit => fx.push(Effect::Quit),
            Suspend => fx.push(Effect::Suspend),
            Redraw => {
                fx.push(Effect::Redraw);
                self.dirty = true;
            }
            Reload => fx.push(Effect::Reload),
        }
        self.scroll_to_cursor(false);
    }

    fn copy(&mut self, text: String, fx: &mut Vec<Effect>) {
        // The clipboard is pasted into terminals and tickets: control characters from the log
        // (ESC, BEL, bidi overrides) go as the same inert stand-ins the screen shows; line
        // breaks stay.
        let mut text = text
            .split('\n')
            .map(|l| crate::sanitize::sanitize(l.strip_suffix('\r').unwrap_or(l)).into_owned())
            .collect::<Vec<_>>()
            .join("\n");
        let mut note = String::new();
        if text.len() > COPY_LIMIT {
            let mut cut = COPY_LIMIT;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            note = " (cut to 256 KB)".into();
        }
        self.notice = Some(format!("copied {} bytes{note}", text.len()));
        fx.push(Effect::Copy(text));
    }

    fn hstep(&self) -> usize {
        (self.size.0 as usize / 4).max(4)
    }

    fn move_in_focus(&mut self, delta: isize) {
        match self.focus {
            Pane::Log => self.view.move_by(delta, self.page(), self.rows.len()),
            Pane::Panel => self.panel.move_by(delta, self.evidence_len()),
            Pane::Steps => self.move_step(delta),
            Pane::Filters => self.filter.select_by(delta),
        }
    }

    /// Puts the cursor on `row`, scrolling it into view (centred when it was far).
    pub fn set_cursor(&mut self, row: usize, center: bool) {
        self.view.select(row, self.rows.len());
        self.scroll_to_cursor(center);
    }

    /// Moves the view so that the cursor row is on screen.
    pub fn scroll_to_cursor(&mut self, center: bool) {
        self.view
            .scroll_to_cursor(self.page(), self.rows.len(), center);
    }

    fn goto_pos(&mut self, pos: usize) {
        let row = self.rows.row_near(pos, &self.index);
        self.set_cursor(row, true);
    }
}
