//! The explorer's state and its pure update function: messages in, state and effects out,
//! no terminal and no I/O, so that every key can be tested without a screen.

use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use crate::analysis::Analysis;
use crate::follow::{Batch, FollowEvent};
use crate::log::{Log, RecordRef, Source};
use crate::parse::{Format, RecordMeta, Severity};
use crate::theme::Theme;

use super::keymap::{action_for, Action};
use super::load::{Analysed, LoadMsg, Loaded, Preview};
use super::rows::{Index, Row, RowMap};
use super::search::{Filters, Pattern, Search, Seek};
use super::view::{layout, Layout};

/// The panes that can have the focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    /// The log view.
    Log,
    /// The side panel (finding and record details).
    Panel,
    /// The step timeline.
    Steps,
}

/// What a prompt is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// `/`: incremental search.
    Search,
    /// `&`: text filter.
    Filter,
    /// `:`: go to line.
    Goto,
}

impl PromptKind {
    /// The character shown before the input.
    pub fn sigil(self) -> &'static str {
        match self {
            PromptKind::Search => "/",
            PromptKind::Filter => "&",
            PromptKind::Goto => ":",
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

/// How far loading has gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadState {
    /// The worker is reading and indexing.
    Indexing {
        /// Bytes done.
        done: u64,
        /// Bytes in all (0 when unknown).
        total: u64,
    },
    /// The worker is analysing.
    Analysing,
    /// Everything is loaded.
    Ready,
    /// The worker failed: the preview is all there is.
    Failed(String),
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
    /// A fresh analysis of the live log.
    Analysed(Box<Analysed>),
    /// A signal or a lost terminal: leave.
    Quit,
}

/// Options the explorer starts with.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Start at the end and follow.
    pub follow: bool,
}

/// A filter being applied, slice by slice.
#[derive(Clone, Copy, Debug)]
struct FilterJob {
    next: usize,
    /// The position to put the cursor back on once the rows are known.
    anchor: usize,
}

/// A followed file or stream, and the source its records go to.
#[derive(Clone, Debug)]
struct Stream {
    source: usize,
}

/// Clipboard payloads beyond this are cut: terminals drop larger OSC 52 writes.
const COPY_LIMIT: usize = 256 * 1024;

/// The explorer.
pub struct App {
    /// The log (a preview until the worker is done).
    pub log: Log,
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
    /// Selected row.
    pub cursor: usize,
    /// First row on screen.
    pub top: usize,
    /// Columns the message column is scrolled by.
    pub hscroll: usize,
    /// Focused pane.
    pub focus: Pane,
    /// The side panel is shown.
    pub show_panel: bool,
    /// The step timeline is shown.
    pub show_steps: bool,
    /// The help overlay is open, scrolled by this many lines.
    pub help: Option<usize>,
    /// The open prompt.
    pub prompt: Option<Prompt>,
    /// The active search.
    pub search: Option<Search>,
    seek: Option<Seek>,
    /// The filters.
    pub filters: Filters,
    filter_job: Option<FilterJob>,
    /// The finding in the side panel.
    pub finding: Option<usize>,
    /// The selected evidence line of that finding.
    pub evidence_sel: usize,
    /// Side panel scroll, in lines.
    pub panel_scroll: usize,
    /// The selected step in the timeline.
    pub step_sel: usize,
    /// Bookmarked records.
    pub bookmarks: BTreeSet<RecordRef>,
    /// Following the end of the log.
    pub follow: bool,
    /// Loading progress.
    pub load: LoadState,
    /// The user has moved; loading no longer moves the cursor.
    pub moved: bool,
    /// A one-off message for the status line.
    pub notice: Option<String>,
    /// False while the rows come from a file's tail, whose line numbers are not known.
    pub lines_known: bool,
    /// Preview source -> (input, text offset of its start), to map records once loaded.
    preview_origin: Vec<(usize, u64)>,
    /// Followed files and streams.
    streams: Vec<Stream>,
    /// Rows that mark a truncation, rotation or switch of a followed file; not log text.
    pub markers: BTreeSet<RecordRef>,
    /// Records that arrived while the view was not following the end.
    pub new_below: usize,
    /// The state of a followed input worth keeping on the status line (waiting, deleted,
    /// end of stream).
    pub stream_note: Option<String>,
    /// Records the current analysis covers; more means a new one is due.
    analysed_len: usize,
    /// Findings already shown, by rule id, so that only new ones are announced.
    seen_findings: HashSet<String>,
    /// A stream ended before the user moved: show its top finding once it is analysed, as
    /// a loaded file does.
    open_when_analysed: bool,
    /// Set when the screen must be drawn again.
    pub dirty: bool,
}

impl App {
    /// Keeps the selected finding and step inside a newly installed analysis.
    fn clamp_selections(&mut self) {
        if self
            .finding
            .is_some_and(|f| f >= self.analysis.findings.len())
        {
            self.finding = None;
        }
        self.step_sel = self
            .step_sel
            .min(self.analysis.steps.steps.len().saturating_sub(1));
    }

    /// An explorer over a complete log.
    pub fn new(loaded: Loaded, theme: Theme, opts: &Options) -> App {
        let mut app = App::empty(theme, opts);
        app.load = LoadState::Ready;
        app.install(loaded);
        app.after_load();
        app
    }

    /// An explorer over a preview, while the worker loads the rest.
    pub fn from_preview(preview: Preview, theme: Theme, opts: &Options) -> App {
        let mut app = App::empty(theme, opts);
        app.lines_known = !preview.tail;
        app.preview_origin = preview.origin;
        let analysis = Analysis::default();
        let index = Index::build(&preview.log, &analysis);
        app.install(Loaded {
            log: preview.log,
            analysis,
            index,
            resume: Vec::new(),
        });
        if app.follow {
            app.cursor = app.rows.len().saturating_sub(1);
        }
        app.load = LoadState::Indexing { done: 0, total: 0 };
        app
    }

    fn empty(theme: Theme, opts: &Options) -> App {
        App {
            log: Log::from_sources(Vec::new()),
            analysis: Analysis::default(),
            index: Index::default(),
            rows: RowMap::default(),
            folded: Vec::new(),
            theme,
            size: (80, 24),
            cursor: 0,
            top: 0,
            hscroll: 0,
            focus: Pane::Log,
            show_panel: true,
            show_steps: true,
            help: None,
            prompt: None,
            search: None,
            seek: None,
            filters: Filters::default(),
            filter_job: None,
            finding: None,
            evidence_sel: 0,
            panel_scroll: 0,
            step_sel: 0,
            bookmarks: BTreeSet::new(),
            follow: opts.follow,
            load: LoadState::Ready,
            moved: false,
            notice: None,
            lines_known: true,
            preview_origin: Vec::new(),
            streams: Vec::new(),
            markers: BTreeSet::new(),
            new_below: 0,
            stream_note: None,
            analysed_len: 0,
            seen_findings: HashSet::new(),
            open_when_analysed: false,
            dirty: true,
        }
    }

    /// Swaps in new data: the full log after the preview, or a grown log from the follower.
    /// The cursor stays on the same record; chains keep their fold state, new ones fold.
    pub fn replace(&mut self, loaded: Loaded) {
        let anchor = self.current_ref();
        let marks: Vec<RecordRef> = self.bookmarks.iter().copied().collect();
        let mapped_anchor = anchor.map(|r| self.map_ref(r, &loaded.log));
        self.bookmarks = marks
            .into_iter()
            .map(|r| self.map_ref(r, &loaded.log))
            .collect();
        self.preview_origin.clear();
        self.lines_known = true;
        self.install(loaded);
        if let Some(r) = mapped_anchor {
            let pos = self.index.position(&self.log, r);
            self.cursor = self.rows.row_near(pos, &self.index);
        }
        if self.follow {
            self.cursor = self.rows.len().saturating_sub(1);
        }
        self.restart_jobs();
        self.scroll_to_cursor(true);
    }

    /// Maps a record of the current (preview) log to the same record of `full`.
    fn map_ref(&self, r: RecordRef, full: &Log) -> RecordRef {
        if self.preview_origin.is_empty() {
            return r;
        }
        let Some(&(input, base)) = self.preview_origin.get(r.source as usize) else {
            return r;
        };
        let start = self
            .log
            .sources
            .get(r.source as usize)
            .and_then(|s| s.records.get(r.index as usize))
            .map_or(0, |m| m.start);
        let index = full
            .sources
            .get(input)
            .map_or(0, |s| s.record_at(start + base));
        RecordRef {
            source: input as u32,
            index: index as u32,
        }
    }

    fn install(&mut self, loaded: Loaded) {
        let chains = loaded.analysis.chains.len();
        self.folded.resize(chains, true);
        self.folded.truncate(chains);
        self.log = loaded.log;
        self.analysis = loaded.analysis;
        self.index = loaded.index;
        self.rows = RowMap::new(self.log.len(), &self.index, &self.folded);
        self.clamp_selections();
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
        self.analysed_len = self.log.len();
        self.seen_findings
            .extend(self.analysis.findings.iter().map(|f| f.id.clone()));
        self.dirty = true;
    }

    /// After the full log arrives: unless the user has moved, show the top finding with the
    /// cursor on its evidence; when following, go to the end.
    fn after_load(&mut self) {
        if self.follow {
            self.cursor = self.rows.len().saturating_sub(1);
            self.scroll_to_cursor(true);
            return;
        }
        if self.moved || self.analysis.findings.is_empty() {
            return;
        }
        self.open_finding(0);
    }

    // -----------------------------------------------------------------------------------
    // Following

    /// Registers a followed file or stream whose records go to source `source`, or, with
    /// `None`, to a new empty source named `name` (standard input, a folder's live log).
    /// Returns the stream's number for [`Msg::Follow`].
    pub fn add_stream(&mut self, source: Option<usize>, name: &str) -> usize {
        let source = match source.filter(|&s| s < self.log.sources.len()) {
            Some(s) => s,
            None => {
                let from = self.log.len();
                let si = self.log.push_source(Source::streaming(
                    name.to_string(),
                    crate::source::Encoding::Utf8,
                ));
                self.index.extend(&self.log, from);
                si
            }
        };
        self.streams.push(Stream { source });
        self.streams.len() - 1
    }

    /// True when records arrived since the analysis was made.
    pub fn analysis_stale(&self) -> bool {
        self.analysed_len != self.log.len()
    }

    fn on_follow(&mut self, stream: usize, event: FollowEvent) {
        let Some(source) = self.streams.get(stream).map(|s| s.source) else {
            return;
        };
        let name = |p: &str| super::search::short_name(p);
        match event {
            FollowEvent::Records { batch, .. } => self.append_batch(source, batch),
            FollowEvent::Opened { path, .. } => {
                // A folder's live log is named once the follower has found it.
                if let Some(src) = self.log.sources.get_mut(source) {
                    src.text.path = path;
                }
                self.stream_note = None;
            }
            FollowEvent::Waiting { paths } => {
                self.stream_note = Some(format!("waiting for {}", paths.join(", ")));
            }
            FollowEvent::Truncated { path } => {
                let text = format!("— {} truncated: reading from the start —", name(&path));
                self.add_marker(source, &text);
            }
            FollowEvent::Rotated { path, rolled } => {
                let text = format!(
                    "— rolled over: {} → {}; new {} from line 1 —",
                    name(&path),
                    name(&rolled),
                    name(&path)
                );
                self.add_marker(source, &text);
            }
            FollowEvent::Deleted { path } => {
                self.stream_note = Some(format!("{} deleted: waiting for it", name(&path)));
            }
            FollowEvent::Recreated { path } => {
                self.stream_note = None;
                let text = format!("— {} was replaced: reading the new file —", name(&path));
                self.add_marker(source, &text);
            }
            FollowEvent::Switched {
                from,
                to,
                continued,
            } => {
                if let Some(src) = self.log.sources.get_mut(source) {
                    src.text.path = to.clone();
                }
                // The first log a folder follower finds is no switch worth a row.
                if from.is_some() {
                    let text = if continued {
                        format!("— the log moved to {to}: reading on —")
                    } else {
                        format!("— switched to {to}: reading it from the start —")
                    };
                    self.add_marker(source, &text);
                }
            }
            FollowEvent::PollOnly { reason } => {
                self.notice = Some(format!("polling for changes: {reason}"));
            }
            FollowEvent::EndOfStream { source: name } => {
                self.stream_note = Some(format!("{name}: end of stream"));
                if !self.moved && !self.follow {
                    self.open_when_analysed = true;
                    self.open_top_finding_if_due();
                }
            }
            FollowEvent::Error(msg) => self.notice = Some(msg),
        }
        self.dirty = true;
    }

    /// Appends a follower's batch to source `source`.
    pub fn append_batch(&mut self, source: usize, batch: Batch) {
        let Some(src) = self.log.sources.get_mut(source) else {
            return;
        };
        if src.records.is_empty()
            && src.text.bytes().is_empty()
            && src.text.encoding != batch.encoding
        {
            // A stream's encoding is known only from its first bytes.
            let path = std::mem::take(&mut src.text.path);
            *src = Source::streaming(path, batch.encoding);
        }
        let from = self.log.len();
        self.log
            .append(source, &batch.text, &batch.records, batch.offset);
        self.grown(from);
    }

    /// Adds an inert row saying what happened to a followed file, at the end of `source`.
    fn add_marker(&mut self, source: usize, text: &str) {
        let Some(src) = self.log.sources.get(source) else {
            return;
        };
        let index = src.records.len() as u32;
        let offset = src.text.orig_len();
        let line = format!("{text}\n");
        // Line 0: the row is the explorer's, not a line of the file.
        let meta = RecordMeta::new(0, 0, Format::Plain, Severity::Info);
        let from = self.log.len();
        self.log.append(source, line.as_bytes(), &[meta], offset);
        self.markers.insert(RecordRef {
            source: source as u32,
            index,
        });
        self.grown(from);
    }

    /// The log grew from `from` records: new rows, and the view pinned to the end while
    /// following, or held still with the new records counted.
    fn grown(&mut self, from: usize) {
        let len = self.log.len();
        if len <= from {
            return;
        }
        self.index.extend(&self.log, from);
        let rows_before = self.rows.len();
        self.rows.grow(len);
        if self.rows.is_explicit() && self.filter_job.is_none() {
            // A filter running already goes on to the new end by itself.
            for pos in from..len {
                if self.filters.pass(&self.log, pos) {
                    self.rows.push_visible(pos);
                }
            }
        }
        if self.follow {
            self.cursor = self.rows.len().saturating_sub(1);
            self.scroll_to_cursor(false);
        } else {
            // Only rows that land out of sight are news: those on screen are seen.
            let seen_to = self.top.saturating_add(self.page()).max(rows_before);
            self.new_below += self.rows.len().saturating_sub(seen_to);
        }
        self.dirty = true;
    }

    /// Puts in a fresh analysis of the live log, keeping the cursor's record and the view's
    /// place; announces a finding not seen before.
    pub fn install_analysis(&mut self, a: Analysed) {
        if a.len > self.log.len() {
            return;
        }
        let anchor = self.current_pos();
        let offset = self.cursor.saturating_sub(self.top);
        let mut index = a.index;
        index.extend(&self.log, a.len);
        let fresh: Vec<String> = a
            .analysis
            .findings
            .iter()
            .filter(|f| !self.seen_findings.contains(&f.id))
            .map(|f| f.title.clone())
            .collect();
        self.seen_findings
            .extend(a.analysis.findings.iter().map(|f| f.id.clone()));
        if let Some(title) = fresh.first() {
            self.notice = Some(format!("new finding: {title} (i opens it)"));
        }
        let chains = a.analysis.chains.len();
        // Chains found before keep their fold state; new ones fold.
        self.folded.resize(chains, true);
        self.analysis = a.analysis;
        self.index = index;
        self.analysed_len = a.len;
        self.clamp_selections();
        self.rows = RowMap::new(self.log.len(), &self.index, &self.folded);
        if self.filters.active() {
            self.rebuild_rows(anchor.unwrap_or(0));
        } else if let Some(pos) = anchor {
            self.cursor = self.rows.row_near(pos, &self.index);
        }
        if self.follow {
            self.cursor = self.rows.len().saturating_sub(1);
            self.scroll_to_cursor(false);
        } else {
            // Folds that close above the cursor must not make the view jump.
            self.top = self.cursor.saturating_sub(offset);
            self.scroll_to_cursor(false);
        }
        self.open_top_finding_if_due();
        self.dirty = true;
    }

    /// After a stream has ended and its analysis is complete, shows the top finding, unless
    /// the user has moved meanwhile.
    fn open_top_finding_if_due(&mut self) {
        if !self.open_when_analysed || self.analysis_stale() {
            return;
        }
        self.open_when_analysed = false;
        if !self.moved && !self.follow && !self.analysis.findings.is_empty() {
            self.open_finding(0);
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
        self.rows.row(self.cursor)
    }

    /// Position of the cursor row.
    pub fn current_pos(&self) -> Option<usize> {
        self.rows.pos(self.cursor)
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
        self.filter_job.is_some()
            || self.seek.is_some()
            || self
                .search
                .as_ref()
                .is_some_and(|s| !s.counted(self.log.len()))
    }

    /// Progress of the filter being applied, in percent.
    pub fn filter_progress(&self) -> Option<usize> {
        self.filter_job
            .map(|j| j.next * 100 / self.log.len().max(1))
    }

    /// Which search match the cursor is on (1-based), when it is on one.
    pub fn match_ordinal(&self) -> Option<usize> {
        let s = self.search.as_ref()?;
        let pos = self.current_pos()? as u32;
        s.matches.binary_search(&pos).ok().map(|i| i + 1)
    }

    // -----------------------------------------------------------------------------------
    // Update

    /// Applies one message; returns what the runtime must do.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut fx = Vec::new();
        match msg {
            Msg::Key(key) => {
                // Windows reports releases too; only presses act.
                if key.kind == KeyEventKind::Press || key.kind == KeyEventKind::Repeat {
                    self.notice = None;
                    self.on_key(key, &mut fx);
                    if self.follow || self.cursor + 1 >= self.rows.len() {
                        // The user has seen the end: nothing is new below any more.
                        self.new_below = 0;
                    }
                    self.dirty = true;
                }
            }
            Msg::Mouse(m) => self.on_mouse(m),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                // Until the user moves, keep what loading chose (a finding's evidence) centred.
                let center = !self.moved;
                if center {
                    self.top = usize::MAX;
                }
                self.scroll_to_cursor(center);
                self.dirty = true;
            }
            Msg::Load(l) => self.on_load(l),
            Msg::Follow { stream, event } => self.on_follow(stream, event),
            Msg::Analysed(a) => self.install_analysis(*a),
            Msg::Quit => fx.push(Effect::Quit),
        }
        fx
    }

    fn on_load(&mut self, msg: LoadMsg) {
        match msg {
            LoadMsg::Progress { done, total } => {
                self.load = LoadState::Indexing { done, total };
            }
            LoadMsg::Analysing => self.load = LoadState::Analysing,
            LoadMsg::Done(loaded) => {
                self.load = LoadState::Ready;
                self.replace(*loaded);
                self.after_load();
            }
            LoadMsg::Failed(e) => self.load = LoadState::Failed(e),
        }
        self.dirty = true;
    }

    fn on_mouse(&mut self, m: MouseEvent) {
        let lay = self.layout();
        let inside = |r: Option<Rect>| {
            r.is_some_and(|r| {
                m.column >= r.x
                    && m.column < r.x + r.width
                    && m.row >= r.y
                    && m.row < r.y + r.height
            })
        };
        let pane = if inside(lay.panel) {
            Pane::Panel
        } else if inside(lay.steps) {
            Pane::Steps
        } else {
            Pane::Log
        };
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let down = m.kind == MouseEventKind::ScrollDown;
                match pane {
                    Pane::Log => {
                        // The wheel scrolls the view; the cursor follows only if it would
                        // leave the screen.
                        let page = self.page();
                        let max_top = self.rows.len().saturating_sub(page);
                        self.top = if down {
                            (self.top + 3).min(max_top)
                        } else {
                            self.top.saturating_sub(3)
                        };
                        self.cursor = self
                            .cursor
                            .clamp(self.top, (self.top + page).saturating_sub(1))
                            .min(self.rows.len().saturating_sub(1));
                        self.user_moved(down);
                    }
                    Pane::Panel => {
                        self.panel_scroll = if down {
                            self.panel_scroll + 3
                        } else {
                            self.panel_scroll.saturating_sub(3)
                        };
                    }
                    Pane::Steps => self.move_step(if down { 3 } else { -3 }),
                }
                self.dirty = true;
            }
            MouseEventKind::Down(_) => {
                if pane == Pane::Log {
                    let body_top = lay.log.y + 1;
                    if m.row >= body_top {
                        let row = self.top + (m.row - body_top) as usize;
                        if row < self.rows.len() {
                            self.cursor = row;
                            self.user_moved(true);
                        }
                    }
                }
                self.focus = pane;
                self.dirty = true;
            }
            _ => {}
        }
    }

    fn on_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) {
        if self.prompt.is_some() {
            self.prompt_key(key);
            return;
        }
        if let Some(scroll) = self.help {
            let a = action_for(key);
            self.help = match a {
                Some(Action::Down) => Some(scroll + 1),
                Some(Action::Up) => Some(scroll.saturating_sub(1)),
                Some(Action::PageDown | Action::HalfDown) => Some(scroll + 10),
                Some(Action::PageUp | Action::HalfUp) => Some(scroll.saturating_sub(10)),
                Some(Action::Top) => Some(0),
                _ => None,
            };
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
                Pane::Panel => {
                    self.evidence_sel = 0;
                    self.panel_scroll = 0;
                }
                Pane::Steps => self.step_sel = 0,
            },
            Bottom => match self.focus {
                Pane::Log => self.set_cursor(self.rows.len().saturating_sub(1), false),
                Pane::Panel => {
                    let n = self
                        .finding
                        .and_then(|f| self.analysis.findings.get(f))
                        .map_or(0, |f| f.evidence.len());
                    self.evidence_sel = n.saturating_sub(1);
                    self.panel_scroll = usize::MAX;
                }
                Pane::Steps => self.step_sel = self.analysis.steps.steps.len().saturating_sub(1),
            },
            Left => self.hscroll = self.hscroll.saturating_sub(self.hstep()),
            Right => self.hscroll = self.hscroll.saturating_add(self.hstep()),
            LineStart => self.hscroll = 0,
            Search => self.open_prompt(PromptKind::Search, String::new()),
            SearchNext => self.search_step(true),
            SearchPrev => self.search_step(false),
            FilterText => {
                let cur = self
                    .filters
                    .text
                    .as_ref()
                    .map(|p| p.text.clone())
                    .unwrap_or_default();
                self.open_prompt(PromptKind::Filter, cur);
            }
            GotoLine => self.open_prompt(PromptKind::Goto, String::new()),
            Activate => match self.focus {
                Pane::Log => self.toggle_fold(),
                Pane::Panel => self.jump_to_evidence(),
                Pane::Steps => self.jump_to_step(self.step_sel),
            },
            ToggleFold => self.toggle_fold(),
            ToggleAllFolds => self.toggle_all_folds(),
            ToggleFollow => {
                self.follow = !self.follow;
                if self.follow {
                    self.new_below = 0;
                    self.set_cursor(self.rows.len().saturating_sub(1), false);
                }
                self.notice = Some(if self.follow {
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
            CycleSeverity => {
                self.filters.min_severity = match self.filters.min_severity {
                    None | Some(Severity::Info) => Some(Severity::Warning),
                    Some(Severity::Warning) => Some(Severity::Error),
                    Some(Severity::Error) => None,
                };
                self.refilter();
            }
            FilterComponent => {
                if self.filters.component.take().is_none() {
                    let comp = self
                        .current_ref()
                        .and_then(|r| self.log.fields(r).component_str().map(|c| c.into_owned()));
                    match comp {
                        Some(c) if !c.is_empty() => self.filters.component = Some(c),
                        _ => self.notice = Some("this record has no component".into()),
                    }
                }
                self.refilter();
            }
            FilterThread => {
                if self.filters.thread.take().is_none() {
                    match self.current_ref().and_then(|r| self.log.fields(r).thread) {
                        Some(t) => self.filters.thread = Some(t),
                        None => self.notice = Some("this record has no thread".into()),
                    }
                }
                self.refilter();
            }
            CycleSource => {
                let n = self.log.sources.len() as u32;
                if n <= 1 {
                    self.notice = Some("only one source is open".into());
                } else {
                    self.filters.source = match self.filters.source {
                        None => Some(0),
                        Some(s) if s + 1 < n => Some(s + 1),
                        Some(_) => None,
                    };
                    self.refilter();
                }
            }
            ClearFilters => {
                self.filters = Filters::default();
                self.refilter();
            }
            FocusNext => self.cycle_focus(true),
            FocusPrev => self.cycle_focus(false),
            TogglePanel => {
                self.show_panel = !self.show_panel;
                if !self.show_panel && self.focus == Pane::Panel {
                    self.focus = Pane::Log;
                }
            }
            ToggleSteps => {
                self.show_steps = !self.show_steps;
                if !self.show_steps && self.focus == Pane::Steps {
                    self.focus = Pane::Log;
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
                } else if self.search.is_some() {
                    self.search = None;
                    self.seek = None;
                } else if self.finding.is_some() {
                    self.finding = None;
                    self.panel_scroll = 0;
                }
            }
            Quit => fx.push(Effect::Quit),
            Redraw => {
                fx.push(Effect::Redraw);
                self.dirty = true;
            }
        }
        self.scroll_to_cursor(false);
    }

    fn copy(&mut self, mut text: String, fx: &mut Vec<Effect>) {
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

    fn user_moved(&mut self, down: bool) {
        self.moved = true;
        // As in less: moving up stops following; reaching the end does not restart it.
        if self.follow && !down {
            self.follow = false;
        }
    }

    fn move_in_focus(&mut self, delta: isize) {
        match self.focus {
            Pane::Log => {
                let target = self.cursor.saturating_add_signed(delta);
                let last = self.rows.len().saturating_sub(1);
                self.cursor = target.min(last);
                self.user_moved(delta > 0);
                if delta.unsigned_abs() > 1 {
                    // A page move scrolls the view by a page, as less does.
                    let page = self.page();
                    let max_top = self.rows.len().saturating_sub(page);
                    self.top = self.top.saturating_add_signed(delta).min(max_top);
                }
            }
            Pane::Panel => {
                let n = self
                    .finding
                    .and_then(|f| self.analysis.findings.get(f))
                    .map_or(0, |f| f.evidence.len());
                if n > 0 && delta.unsigned_abs() == 1 {
                    self.evidence_sel = self.evidence_sel.saturating_add_signed(delta).min(n - 1);
                    self.panel_scroll = usize::MAX; // the view scrolls the selection into sight
                } else {
                    self.panel_scroll = self
                        .panel_scroll
                        .min(10_000)
                        .saturating_add_signed(delta.clamp(-10_000, 10_000));
                }
            }
            Pane::Steps => self.move_step(delta),
        }
    }

    fn move_step(&mut self, delta: isize) {
        let n = self.analysis.steps.steps.len();
        if n == 0 {
            return;
        }
        self.step_sel = self.step_sel.saturating_add_signed(delta).min(n - 1);
    }

    fn cycle_focus(&mut self, forward: bool) {
        let lay = self.layout();
        let mut panes = vec![Pane::Log];
        if lay.panel.is_some() {
            panes.push(Pane::Panel);
        }
        if lay.steps.is_some() {
            panes.push(Pane::Steps);
        }
        let i = panes.iter().position(|p| *p == self.focus).unwrap_or(0);
        let n = panes.len();
        let next = if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        };
        self.focus = panes[next];
        if self.focus == Pane::Steps {
            if let Some(s) = self.current_step() {
                self.step_sel = s;
            }
        }
    }

    /// Puts the cursor on `row`, scrolling it into view (centred when it was far).
    pub fn set_cursor(&mut self, row: usize, center: bool) {
        self.cursor = row.min(self.rows.len().saturating_sub(1));
        self.moved = true;
        if self.follow && self.cursor + 1 < self.rows.len() {
            self.follow = false;
        }
        self.scroll_to_cursor(center);
    }

    /// Moves the view so that the cursor row is on screen.
    pub fn scroll_to_cursor(&mut self, center: bool) {
        let page = self.page();
        let len = self.rows.len();
        self.cursor = self.cursor.min(len.saturating_sub(1));
        if self.cursor < self.top || self.cursor >= self.top.saturating_add(page) {
            self.top = if center {
                self.cursor.saturating_sub(page / 3)
            } else if self.cursor < self.top {
                self.cursor
            } else {
                self.cursor + 1 - page
            };
        }
        self.top = self.top.min(len.saturating_sub(page));
    }

    fn goto_pos(&mut self, pos: usize) {
        let row = self.rows.row_near(pos, &self.index);
        self.set_cursor(row, true);
    }

    // -----------------------------------------------------------------------------------
    // Folds

    fn toggle_fold(&mut self) {
        let Some(pos) = self.current_pos() else {
            return;
        };
        let chain = match self.current_row() {
            Some(Row::Chain { chain, .. }) => Some(chain),
            _ => self.index.member(pos).map(|(c, _)| c),
        };
        let Some(chain) = chain else {
            self.notice = Some("no chain here (c / C move between chains)".into());
            return;
        };
        if let Some(f) = self.folded.get_mut(chain) {
            *f = !*f;
        }
        let head = self.index.chain_head(chain).unwrap_or(pos);
        self.rebuild_rows(head);
    }

    fn toggle_all_folds(&mut self) {
        let fold = !self.folded.iter().any(|f| *f);
        self.folded.iter_mut().for_each(|f| *f = fold);
        let pos = self.current_pos().unwrap_or(0);
        self.rebuild_rows(pos);
        self.notice = Some(if fold {
            "every chain folded".into()
        } else {
            "every chain unfolded".into()
        });
    }

    /// Rebuilds the rows after a fold or filter change, keeping `anchor` under the cursor.
    fn rebuild_rows(&mut self, anchor: usize) {
        self.rows = RowMap::new(self.log.len(), &self.index, &self.folded);
        if self.filters.active() {
            self.rows.start_explicit();
            self.filter_job = Some(FilterJob { next: 0, anchor });
            // Small logs filter at once; big ones show rows as they come.
            self.work(Duration::from_millis(15));
        } else {
            self.filter_job = None;
            self.cursor = self.rows.row_near(anchor, &self.index);
            self.scroll_to_cursor(false);
        }
        self.dirty = true;
    }

    fn refilter(&mut self) {
        let anchor = self.current_pos().unwrap_or(0);
        self.rebuild_rows(anchor);
    }

    fn restart_jobs(&mut self) {
        if self.filters.active() {
            let anchor = self.current_pos().unwrap_or(0);
            self.rebuild_rows(anchor);
        }
        if let Some(s) = self.search.as_mut() {
            s.matches.clear();
            s.scanned = 0;
        }
        self.seek = None;
    }

    // -----------------------------------------------------------------------------------
    // Jumps

    fn jump_in_list(&mut self, which: Which, forward: bool) {
        let positions: Vec<u32>;
        let list: &[u32] = match which {
            Which::Errors => &self.index.errors,
            Which::Warnings => &self.index.warnings,
            Which::Steps => &self.index.step_starts,
            Which::Chains => {
                positions = self
                    .index
                    .chain_members
                    .iter()
                    .filter_map(|m| m.first().copied())
                    .collect();
                &positions
            }
            Which::Bookmarks => {
                let mut v: Vec<u32> = self
                    .bookmarks
                    .iter()
                    .map(|r| self.index.position(&self.log, *r) as u32)
                    .collect();
                v.sort_unstable();
                positions = v;
                &positions
            }
        };
        match next_visible(list, &self.rows, &self.index, Some(self.cursor), forward) {
            Some(row) => {
                self.set_cursor(row, true);
                if which == Which::Steps {
                    if let Some(s) = self.current_step() {
                        self.step_sel = s;
                    }
                }
            }
            None => {
                let what = match which {
                    Which::Errors => "error",
                    Which::Warnings => "warning",
                    Which::Chains => "chain",
                    Which::Steps => "step",
                    Which::Bookmarks => "bookmark",
                };
                let dir = if forward { "below" } else { "above" };
                self.notice = Some(format!("no {what} {dir}"));
            }
        }
    }

    /// Opens finding `i` in the side panel with the cursor on its first evidence.
    pub fn open_finding(&mut self, i: usize) {
        let Some(f) = self.analysis.findings.get(i) else {
            return;
        };
        let first = f.evidence.first().map(|e| e.index);
        self.finding = Some(i);
        self.evidence_sel = 0;
        self.panel_scroll = 0;
        self.show_panel = true;
        if let Some(pos) = first {
            let row = self.rows.row_near(pos, &self.index);
            self.cursor = row.min(self.rows.len().saturating_sub(1));
            self.scroll_to_cursor(true);
        }
        self.dirty = true;
    }

    fn cycle_finding(&mut self, forward: bool) {
        let n = self.analysis.findings.len();
        if n == 0 {
            self.notice = Some(match self.load {
                LoadState::Ready => "no known problem found".into(),
                _ => "no finding yet: the log is still loading".into(),
            });
            return;
        }
        let next = match (self.finding, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.open_finding(next);
        self.moved = true;
    }

    fn jump_to_evidence(&mut self) {
        let pos = self
            .finding
            .and_then(|f| self.analysis.findings.get(f))
            .and_then(|f| f.evidence.get(self.evidence_sel))
            .map(|e| e.index);
        let Some(pos) = pos else {
            return;
        };
        // Evidence inside a folded chain: open the chain so the very line shows.
        if self.rows.is_hidden(pos) {
            if let Some((c, _)) = self.index.member(pos) {
                if let Some(f) = self.folded.get_mut(c) {
                    *f = false;
                }
                self.rebuild_rows(pos);
            }
        }
        self.goto_pos(pos);
    }

    fn jump_to_step(&mut self, i: usize) {
        if let Some(s) = self.analysis.steps.steps.get(i) {
            let pos = s.span.0;
            self.goto_pos(pos);
        }
    }

    // -----------------------------------------------------------------------------------
    // Prompt

    fn open_prompt(&mut self, kind: PromptKind, input: String) {
        let saved = if kind == PromptKind::Search {
            self.seek = None;
            self.search.take()
        } else {
            None
        };
        self.prompt = Some(Prompt {
            kind,
            cursor: input.len(),
            input,
            error: None,
            origin: (self.cursor, self.top),
            saved,
        });
    }

    fn prompt_key(&mut self, key: KeyEvent) {
        let Some(p) = self.prompt.as_mut() else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let mut edited = false;
        match key.code {
            KeyCode::Esc => {
                let p = self.prompt.take();
                if let Some(p) = p {
                    if p.kind == PromptKind::Search {
                        self.search = p.saved;
                        self.seek = None;
                        self.cursor = p.origin.0;
                        self.top = p.origin.1;
                    }
                }
                return;
            }
            KeyCode::Char('c') if ctrl => {
                self.prompt = None;
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

    fn apply_prompt_escape(&mut self) {
        self.prompt_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    }

    fn prompt_edited(&mut self) {
        let Some(p) = self.prompt.as_mut() else {
            return;
        };
        p.error = None;
        match p.kind {
            PromptKind::Search => {
                let origin = p.origin;
                if p.input.is_empty() {
                    self.search = None;
                    self.seek = None;
                    self.cursor = origin.0;
                    self.top = origin.1;
                    return;
                }
                match Pattern::new(&p.input) {
                    Ok(pat) => {
                        self.search = Some(Search::new(pat));
                        // As vim's incsearch: each edit searches again from where it began,
                        // and a pattern that matches nothing leaves the cursor there.
                        self.cursor = origin.0;
                        self.top = origin.1;
                        // Incremental: look for the first match from where the prompt opened.
                        let start = self.rows.pos(origin.0).unwrap_or(0);
                        self.seek = Some(Seek {
                            next: start,
                            left: self.log.len(),
                            forward: true,
                            skip_row: None,
                        });
                        self.work(Duration::from_millis(8));
                    }
                    Err(e) => {
                        p.error = Some(e);
                        self.search = None;
                        self.seek = None;
                    }
                }
            }
            PromptKind::Filter => {
                if !p.input.is_empty() {
                    if let Err(e) = Pattern::new(&p.input) {
                        p.error = Some(e);
                    }
                }
            }
            PromptKind::Goto => {
                if !p.input.trim().is_empty() && p.input.trim().parse::<u64>().is_err() {
                    p.error = Some("a line number, please".into());
                }
            }
        }
    }

    fn submit_prompt(&mut self) {
        let Some(p) = self.prompt.take() else {
            return;
        };
        match p.kind {
            PromptKind::Search => {
                if p.input.is_empty() || p.error.is_some() {
                    if p.error.is_some() {
                        // Keep the prompt open so the error can be fixed.
                        self.prompt = Some(p);
                    } else {
                        self.search = p.saved;
                    }
                    return;
                }
                self.moved = true;
                if self.search.is_none() {
                    if let Ok(pat) = Pattern::new(&p.input) {
                        self.search = Some(Search::new(pat));
                    }
                }
            }
            PromptKind::Filter => {
                if p.input.is_empty() {
                    self.filters.text = None;
                } else {
                    match Pattern::new(&p.input) {
                        Ok(pat) => self.filters.text = Some(pat),
                        Err(e) => {
                            let mut p = p;
                            p.error = Some(e);
                            self.prompt = Some(p);
                            return;
                        }
                    }
                }
                self.refilter();
            }
            PromptKind::Goto => {
                let Ok(line) = p.input.trim().parse::<u64>() else {
                    if !p.input.trim().is_empty() {
                        let mut p = p;
                        p.error = Some("a line number, please".into());
                        self.prompt = Some(p);
                    }
                    return;
                };
                self.goto_line(line);
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

    // -----------------------------------------------------------------------------------
    // Search

    fn search_step(&mut self, forward: bool) {
        let Some(s) = self.search.as_ref() else {
            self.notice = Some("no search (/ starts one)".into());
            return;
        };
        self.moved = true;
        let len = self.log.len();
        if s.counted(len) {
            let here = Some(self.cursor);
            match next_visible(&s.matches, &self.rows, &self.index, here, forward) {
                Some(row) => self.set_cursor(row, true),
                // Wrap around, as vim does.
                None => match next_visible(&s.matches, &self.rows, &self.index, None, forward) {
                    Some(row) if row != self.cursor => {
                        self.set_cursor(row, true);
                        self.notice = Some("search wrapped".into());
                    }
                    Some(_) => self.notice = Some("the only match".into()),
                    None => self.notice = Some(format!("pattern not found: {}", s.pattern.text)),
                },
            }
            return;
        }
        let Some(pos) = self.current_pos() else {
            return;
        };
        let start = if forward {
            (pos + 1) % len.max(1)
        } else {
            pos.checked_sub(1).unwrap_or(len.saturating_sub(1))
        };
        self.seek = Some(Seek {
            next: start,
            left: len,
            forward,
            skip_row: Some(self.cursor),
        });
        self.work(Duration::from_millis(8));
    }

    // -----------------------------------------------------------------------------------
    // Background work, in slices

    /// Runs pending work (filtering, seeking, counting) for about `budget`. Returns true
    /// when work remains.
    pub fn work(&mut self, budget: Duration) -> bool {
        let deadline = Instant::now() + budget;
        const CHUNK: usize = 2048;
        let len = self.log.len();
        while Instant::now() < deadline {
            if let Some(job) = self.filter_job.as_mut() {
                let end = (job.next + CHUNK).min(len);
                for pos in job.next..end {
                    let pass = self.filters.pass(&self.log, pos)
                        || self.rows.folded_head(pos).is_some_and(|c| {
                            self.index.chain_members.get(c).is_some_and(|m| {
                                m.iter().any(|&p| self.filters.pass(&self.log, p as usize))
                            })
                        });
                    if pass {
                        self.rows.push_visible(pos);
                    }
                }
                job.next = end;
                let anchor = job.anchor;
                if end >= len {
                    self.filter_job = None;
                    self.cursor = if self.follow {
                        self.rows.len().saturating_sub(1)
                    } else {
                        self.rows.row_near(anchor, &self.index)
                    };
                    self.scroll_to_cursor(!self.follow);
                }
                self.dirty = true;
                continue;
            }
            if let Some(mut seek) = self.seek {
                let Some(search) = self.search.as_ref() else {
                    self.seek = None;
                    continue;
                };
                let mut found = None;
                let mut n = 0;
                while n < CHUNK && seek.left > 0 && len > 0 {
                    let pos = seek.next;
                    seek.left -= 1;
                    seek.next = if seek.forward {
                        (pos + 1) % len
                    } else {
                        pos.checked_sub(1).unwrap_or(len - 1)
                    };
                    n += 1;
                    if search.pattern.matches(&self.log, pos) {
                        if let Some(row) = self.rows.row_of(pos, &self.index) {
                            if Some(row) != seek.skip_row {
                                found = Some(row);
                                break;
                            }
                        }
                    }
                }
                if let Some(row) = found {
                    self.seek = None;
                    self.set_cursor(row, true);
                } else if seek.left == 0 || len == 0 {
                    self.seek = None;
                    self.notice = Some(format!("pattern not found: {}", search.pattern.text));
                } else {
                    self.seek = Some(seek);
                }
                self.dirty = true;
                continue;
            }
            if let Some(search) = self.search.as_mut() {
                if search.scanned < len {
                    let end = (search.scanned + CHUNK).min(len);
                    for pos in search.scanned..end {
                        if search.pattern.matches(&self.log, pos) {
                            search.matches.push(pos as u32);
                        }
                    }
                    search.scanned = end;
                    self.dirty = true;
                    continue;
                }
            }
            break;
        }
        self.busy()
    }

    /// Runs every pending job to the end (tests, benchmarks).
    pub fn finish_work(&mut self) {
        while self.work(Duration::from_secs(1)) {}
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Which {
    Errors,
    Warnings,
    Chains,
    Steps,
    Bookmarks,
}

/// The nearest row after (or before) `cursor` that shows a position from `list`
/// (ascending); with no cursor, the first (or last) such row.
fn next_visible(
    list: &[u32],
    rows: &RowMap,
    index: &Index,
    cursor: Option<usize>,
    forward: bool,
) -> Option<usize> {
    let n = rows.len();
    if n == 0 {
        return None;
    }
    let cursor = cursor.map(|c| c.min(n - 1));
    let here = cursor.and_then(|c| rows.pos(c));
    let beyond = |r: usize| match cursor {
        None => true,
        Some(c) if forward => r > c,
        Some(c) => r < c,
    };
    let mut best: Option<usize> = None;
    // A record hidden in a fold shows on its chain's row, which sits before it; so a
    // visible record ends the search, a hidden one only offers a candidate.
    if forward {
        let from = here.map_or(0, |p| list.partition_point(|&x| (x as usize) <= p));
        for &q in list.get(from..).unwrap_or_default() {
            let Some(r) = rows.row_of(q as usize, index) else {
                continue;
            };
            if beyond(r) {
                best = Some(best.map_or(r, |b| b.min(r)));
                if !rows.is_hidden(q as usize) {
                    break;
                }
            }
        }
    } else {
        // Members of a fold shown above the cursor can lie after the cursor's position.
        let to = here.map_or(list.len(), |p| {
            list.partition_point(|&x| (x as usize) <= p.saturating_add(index.max_span))
        });
        for &q in list.get(..to).unwrap_or_default().iter().rev() {
            let Some(r) = rows.row_of(q as usize, index) else {
                continue;
            };
            if beyond(r) {
                best = Some(best.map_or(r, |b| b.max(r)));
                if !rows.is_hidden(q as usize) && here.is_none_or(|p| (q as usize) < p) {
                    break;
                }
            }
        }
    }
    best
}
