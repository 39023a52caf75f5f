//! Keys to actions, as data: one table serves both the key handler and the help overlay, so
//! the help can never disagree with what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Something the user asked for, independent of which key asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// One row down (or the next item of the focused pane).
    Down,
    /// One row up.
    Up,
    /// One page down.
    PageDown,
    /// One page up.
    PageUp,
    /// Half a page down.
    HalfDown,
    /// Half a page up.
    HalfUp,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// Scroll the message column left.
    Left,
    /// Scroll the message column right.
    Right,
    /// Scroll the message column back to its start.
    LineStart,
    /// Open the search prompt.
    Search,
    /// Next search match.
    SearchNext,
    /// Previous search match.
    SearchPrev,
    /// Open the text-filter prompt.
    FilterText,
    /// Open the go-to-line prompt.
    GotoLine,
    /// Enter on the focused pane: fold, or jump to the evidence or step.
    Activate,
    /// Fold or unfold the chain under the cursor.
    ToggleFold,
    /// Fold or unfold every chain.
    ToggleAllFolds,
    /// Follow the end of the log, or stop.
    ToggleFollow,
    /// Next error record.
    NextError,
    /// Previous error record.
    PrevError,
    /// Next warning record.
    NextWarning,
    /// Previous warning record.
    PrevWarning,
    /// Next HRESULT chain.
    NextChain,
    /// Previous HRESULT chain.
    PrevChain,
    /// Next finding.
    NextFinding,
    /// Previous finding.
    PrevFinding,
    /// Next task-sequence step.
    NextStep,
    /// Previous task-sequence step.
    PrevStep,
    /// Bookmark the record under the cursor, or remove its bookmark.
    ToggleBookmark,
    /// Next bookmark.
    NextBookmark,
    /// Previous bookmark.
    PrevBookmark,
    /// Cycle the severity filter: all, warnings and errors, errors only.
    CycleSeverity,
    /// Show only the component of the record under the cursor, or stop.
    FilterComponent,
    /// Show only the thread of the record under the cursor, or stop.
    FilterThread,
    /// Narrow to one source at a time, then back to all.
    CycleSource,
    /// Drop every filter.
    ClearFilters,
    /// Focus the next pane.
    FocusNext,
    /// Focus the previous pane.
    FocusPrev,
    /// Show or hide the side panel.
    TogglePanel,
    /// Show or hide the step timeline.
    ToggleSteps,
    /// Copy the selected record (or folded chain) to the clipboard.
    CopyRecord,
    /// Copy the finding in the side panel, with its evidence.
    CopyFinding,
    /// Open the exclude-regex prompt.
    ExcludeText,
    /// Hide the component of the record under the cursor.
    HideComponent,
    /// Open the time-window prompt.
    TimeWindow,
    /// Open the highlight prompt.
    AddHighlight,
    /// Show the filter pane and focus it, or hide it.
    FilterPane,
    /// In the filter pane: turn the selected filter from include to exclude, or back.
    FilterFlip,
    /// In the filter pane: remove the selected filter or highlight.
    FilterRemove,
    /// Show times in UTC, or as the log wrote them.
    ToggleUtc,
    /// Capture the mouse, or leave it to the terminal (its own selection).
    ToggleMouse,
    /// Suspend to the shell (Ctrl-Z); `fg` comes back.
    Suspend,
    /// Forget this log's saved session: bookmarks, filters and highlights.
    CleanSession,
    /// Open the help overlay.
    Help,
    /// Close whatever is open.
    Escape,
    /// Draw the whole screen again (a terminal left garbled by another program).
    Redraw,
    /// Read the files again from disk (one changed while open).
    Reload,
    /// Leave.
    Quit,
}

/// A key, as the table holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A character, typed as it is (upper case comes with Shift).
    Ch(char),
    /// Control and a letter.
    Ctrl(char),
    /// A named key.
    Code(KeyCode),
    /// Shift-Tab (terminals send either BackTab or Shift with Tab).
    BackTab,
}

impl Key {
    /// True when the event is this key.
    pub fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let shift = ev.modifiers.contains(KeyModifiers::SHIFT);
        match self {
            Key::Ch(c) => !ctrl && ev.code == KeyCode::Char(c),
            Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
            Key::BackTab => ev.code == KeyCode::BackTab || (shift && ev.code == KeyCode::Tab),
            Key::Code(KeyCode::Tab) => ev.code == KeyCode::Tab && !shift,
            Key::Code(code) => ev.code == code,
        }
    }

    /// The key as the help shows it.
    pub fn label(self) -> String {
        match self {
            Key::Ch(' ') => "Space".into(),
            Key::Ch(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{c}"),
            Key::BackTab => "Shift-Tab".into(),
            Key::Code(c) => match c {
                KeyCode::Down => "Down".into(),
                KeyCode::Up => "Up".into(),
                KeyCode::Left => "Left".into(),
                KeyCode::Right => "Right".into(),
                KeyCode::PageDown => "PgDn".into(),
                KeyCode::PageUp => "PgUp".into(),
                KeyCode::Home => "Home".into(),
                KeyCode::End => "End".into(),
                KeyCode::Enter => "Enter".into(),
                KeyCode::Tab => "Tab".into(),
                KeyCode::Esc => "Esc".into(),
                KeyCode::Delete => "Del".into(),
                KeyCode::F(n) => format!("F{n}"),
                other => format!("{other:?}"),
            },
        }
    }
}

/// The groups of the help overlay, in order.
pub const GROUPS: &[&str] = &[
    "Move",
    "Jump",
    "Search and filter",
    "Chains and panes",
    "Other",
];

/// One line of the help, and the keys it dispatches: the keys, the group, what it does,
/// the action, and optionally the keys of its reverse (`e / E`).
pub struct Binding {
    /// The keys.
    pub keys: &'static [Key],
    /// The reverse action's keys and action (shown after a slash).
    pub back: Option<(&'static [Key], Action)>,
    /// Index into [`GROUPS`].
    pub group: usize,
    /// What it does.
    pub help: &'static str,
    /// The action.
    pub action: Action,
}

impl Binding {
    /// The keys as the help shows them: `j  Down`, or `e / E` for a pair.
    pub fn label(&self) -> String {
        let join = |ks: &[Key]| ks.iter().map(|k| k.label()).collect::<Vec<_>>().join("  ");
        match self.back {
            Some((back, _)) => format!("{} / {}", join(self.keys), join(back)),
            None => join(self.keys),
        }
    }
}

use Key::{Ch, Code, Ctrl};

macro_rules! bindings {
    ($( $group:literal, [$($k:expr),+] $(/ [$($b:expr),+] $back:ident)?, $action:ident, $help:literal; )+) => {
        /// Every binding, in help order: the one table the keys are dispatched from.
        pub const BINDINGS: &[Binding] = &[
            $( Binding {
                keys: &[$($k),+],
                back: bindings!(@back $([$($b),+] $back)?),
                group: $group,
                help: $help,
                action: Action::$action,
            }, )+
        ];
    };
    (@back) => { None };
    (@back [$($b:expr),+] $back:ident) => { Some((&[$($b),+], Action::$back)) };
}

bindings! {
    0, [Ch('j'), Code(KeyCode::Down), Ctrl('n'), Ctrl('e')], Down, "next row (or item in the focused pane)";
    0, [Ch('k'), Code(KeyCode::Up), Ctrl('p'), Ctrl('y')], Up, "previous row";
    0, [Code(KeyCode::PageDown), Ctrl('f')], PageDown, "page down";
    0, [Code(KeyCode::PageUp), Ctrl('b')], PageUp, "page up";
    0, [Ctrl('d')], HalfDown, "half a page down";
    0, [Ctrl('u')], HalfUp, "half a page up";
    0, [Ch('g'), Code(KeyCode::Home)], Top, "first row";
    0, [Ch('G'), Code(KeyCode::End)], Bottom, "last row";
    0, [Ch('h'), Code(KeyCode::Left)], Left, "scroll the message left";
    0, [Ch('l'), Code(KeyCode::Right)], Right, "scroll the message right";
    0, [Ch('0')], LineStart, "back to the start of the message";
    0, [Ch(':')], GotoLine, "go to a line, or a time (10:42, 2026-03-10 10:42); lnav's filter-in, filter-out, highlight";
    1, [Ch('e')] / [Ch('E')] PrevError, NextError, "next / previous error";
    1, [Ch('w')] / [Ch('W')] PrevWarning, NextWarning, "next / previous warning";
    1, [Ch('c')] / [Ch('C')] PrevChain, NextChain, "next / previous HRESULT chain";
    1, [Ch('i')] / [Ch('I')] PrevFinding, NextFinding, "next / previous finding (known issue)";
    1, [Ch('s')] / [Ch('S')] PrevStep, NextStep, "next / previous task-sequence step";
    1, [Ch('m')], ToggleBookmark, "set or clear a bookmark";
    1, [Ch('b')] / [Ch('B')] PrevBookmark, NextBookmark, "next / previous bookmark";
    2, [Ch('/')], Search, "search (regex, look-around too; smart case)";
    2, [Ch('n'), Code(KeyCode::F(3))] / [Ch('N')] SearchPrev, SearchNext, "next / previous match (F3 as in CMTrace)";
    2, [Ch('&')], FilterText, "add a filter: only records matching a regex";
    2, [Ch('-')], ExcludeText, "add a filter: hide records matching a regex";
    2, [Ch('v')], CycleSeverity, "severity: all, warnings+errors, errors";
    2, [Ch('o')], FilterComponent, "only this component (again: drop it)";
    2, [Ch('O')], HideComponent, "hide this component";
    2, [Ch('T')], FilterThread, "only this record's thread (again: drop it)";
    2, [Ch('u')], CycleSource, "one source at a time, then all";
    2, [Ch('@')], TimeWindow, "time window: 10:40 to 10:45, -5m before this record, -5m failure";
    2, [Ch('+')], AddHighlight, "highlight a regex in its own colour";
    2, [Ch('f')], FilterPane, "filter pane: list, switch, flip, remove filters";
    2, [Ch('!')], FilterFlip, "(filter pane) include <-> exclude";
    2, [Ch('d'), Code(KeyCode::Delete)], FilterRemove, "(filter pane) remove the filter";
    2, [Ch('x')], ClearFilters, "clear every filter";
    3, [Code(KeyCode::Enter), Ch(' ')], Activate, "fold/unfold the chain; in a pane: jump or switch";
    3, [Ch('Z')], ToggleAllFolds, "fold or unfold every chain";
    3, [Code(KeyCode::Tab)] / [Key::BackTab] FocusPrev, FocusNext, "next / previous pane";
    3, [Ch('p')], TogglePanel, "show or hide the side panel";
    3, [Ch('t')], ToggleSteps, "show or hide the step timeline";
    4, [Ch('y')], CopyRecord, "copy the record or chain (OSC 52)";
    4, [Ch('Y')], CopyFinding, "copy the finding with its evidence";
    4, [Ch('F')], ToggleFollow, "follow the end of the log and its file as it grows";
    4, [Ch('U')], ToggleUtc, "times in UTC / as written in the log";
    4, [Ch('M')], ToggleMouse, "mouse: capture / leave to the terminal";
    4, [Ch('X')], CleanSession, "start clean: forget this log's session";
    4, [Ch('R')], Reload, "read the files again (after one changed on disk)";
    4, [Ctrl('l')], Redraw, "redraw the screen";
    4, [Ctrl('z')], Suspend, "suspend to the shell (fg comes back)";
    4, [Ch('?'), Code(KeyCode::F(1))], Help, "this help";
    4, [Code(KeyCode::Esc)], Escape, "close prompt, help, pane focus, search";
    4, [Ch('q'), Ctrl('c')], Quit, "quit";
}

/// The action bound to a key, if any, from [`BINDINGS`]. Prompts take their keys before
/// this table does.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    for b in BINDINGS {
        if b.keys.iter().any(|k| k.matches(&key)) {
            return Some(b.action);
        }
        if let Some((keys, action)) = b.back {
            if keys.iter().any(|k| k.matches(&key)) {
                return Some(action);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(k: Key) -> KeyEvent {
        match k {
            Key::Ch(c) if c.is_ascii_uppercase() => {
                KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT)
            }
            Key::Ch(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
            Key::Ctrl(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
            Key::BackTab => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
            Key::Code(c) => KeyEvent::new(c, KeyModifiers::NONE),
        }
    }

    #[test]
    fn every_key_in_the_table_does_what_its_help_says() {
        for b in BINDINGS {
            for &k in b.keys {
                assert_eq!(action_for(event(k)), Some(b.action), "{}", b.label());
            }
            if let Some((keys, back)) = b.back {
                for &k in keys {
                    assert_eq!(action_for(event(k)), Some(back), "{}", b.label());
                }
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen: Vec<Key> = Vec::new();
        for b in BINDINGS {
            for &k in b.keys.iter().chain(b.back.map_or(&[][..], |(k, _)| k)) {
                assert!(!seen.contains(&k), "{} is bound twice", k.label());
                seen.push(k);
            }
        }
    }

    #[test]
    fn shift_tab_either_way_and_labels() {
        let tab = KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT);
        assert_eq!(action_for(tab), Some(Action::FocusPrev));
        let b = BINDINGS.iter().find(|b| b.action == Action::NextError);
        assert_eq!(b.map(Binding::label).as_deref(), Some("e / E"));
    }
}
