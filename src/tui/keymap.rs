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

/// The groups of the help overlay, in order.
pub const GROUPS: &[&str] = &[
    "Move",
    "Jump",
    "Search and filter",
    "Chains and panes",
    "Other",
];

/// One binding: the keys (as shown in help), the group, the description, and the action.
pub struct Binding {
    /// Keys, as the help overlay shows them.
    pub keys: &'static str,
    /// Index into [`GROUPS`].
    pub group: usize,
    /// What it does.
    pub help: &'static str,
    /// The action.
    pub action: Action,
}

macro_rules! bindings {
    ($( $group:literal, $keys:literal, $action:ident, $help:literal; )+) => {
        /// Every binding, in help order.
        pub const BINDINGS: &[Binding] = &[
            $( Binding { keys: $keys, group: $group, help: $help, action: Action::$action }, )+
        ];
    };
}

bindings! {
    0, "j  Down", Down, "next row (or item in the focused pane)";
    0, "k  Up", Up, "previous row";
    0, "PgDn  Ctrl-f", PageDown, "page down";
    0, "PgUp  Ctrl-b", PageUp, "page up";
    0, "Ctrl-d", HalfDown, "half a page down";
    0, "Ctrl-u", HalfUp, "half a page up";
    0, "g  Home", Top, "first row";
    0, "G  End", Bottom, "last row";
    0, "h  Left", Left, "scroll the message left";
    0, "l  Right", Right, "scroll the message right";
    0, "0", LineStart, "back to the start of the message";
    0, ":", GotoLine, "go to line N (of the current source)";
    1, "e / E", NextError, "next / previous error";
    1, "w / W", NextWarning, "next / previous warning";
    1, "c / C", NextChain, "next / previous HRESULT chain";
    1, "i / I", NextFinding, "next / previous finding (known issue)";
    1, "s / S", NextStep, "next / previous task-sequence step";
    1, "m", ToggleBookmark, "set or clear a bookmark";
    1, "b / B", NextBookmark, "next / previous bookmark";
    2, "/", Search, "search (regex; smart case)";
    2, "n / N", SearchNext, "next / previous match";
    2, "&", FilterText, "only records matching a regex";
    2, "v", CycleSeverity, "severity: all, warnings+errors, errors";
    2, "o", FilterComponent, "only this component (again: all)";
    2, "T", FilterThread, "only this record's thread (again: all)";
    2, "u", CycleSource, "one source at a time, then all";
    2, "x", ClearFilters, "clear every filter";
    3, "Enter  Space", Activate, "fold/unfold the chain; in a pane: jump";
    3, "Z", ToggleAllFolds, "fold or unfold every chain";
    3, "Tab / Shift-Tab", FocusNext, "next / previous pane";
    3, "p", TogglePanel, "show or hide the side panel";
    3, "t", ToggleSteps, "show or hide the step timeline";
    4, "y", CopyRecord, "copy the record or chain (OSC 52)";
    4, "Y", CopyFinding, "copy the finding with its evidence";
    4, "F", ToggleFollow, "follow the end of the log";
    4, "?  F1", Help, "this help";
    4, "Esc", Escape, "close prompt, help, pane focus, search";
    4, "Ctrl-l", Redraw, "draw the whole screen again";
    4, "R", Reload, "read the files again (after one changed on disk)";
    4, "q  Ctrl-c", Quit, "quit";
}

/// The action bound to a key, if any. Prompts take their keys before this table does.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    use Action::*;
    let a = match key.code {
        KeyCode::Char(c) if ctrl => match c {
            'c' => Quit,
            'd' => HalfDown,
            'u' => HalfUp,
            'f' => PageDown,
            'b' => PageUp,
            'n' => Down,
            'p' => Up,
            'e' => Down,
            'y' => Up,
            'l' => Redraw,
            _ => return None,
        },
        KeyCode::Char(c) => match c {
            'j' => Down,
            'k' => Up,
            'g' => Top,
            'G' => Bottom,
            'h' => Left,
            'l' => Right,
            '0' => LineStart,
            ':' => GotoLine,
            'e' => NextError,
            'E' => PrevError,
            'w' => NextWarning,
            'W' => PrevWarning,
            'c' => NextChain,
            'C' => PrevChain,
            'i' => NextFinding,
            'I' => PrevFinding,
            's' => NextStep,
            'S' => PrevStep,
            'm' => ToggleBookmark,
            'b' => NextBookmark,
            'B' => PrevBookmark,
            '/' => Search,
            'n' => SearchNext,
            'N' => SearchPrev,
            '&' => FilterText,
            'v' => CycleSeverity,
            'o' => FilterComponent,
            'T' => FilterThread,
            'u' => CycleSource,
            'x' => ClearFilters,
            ' ' => Activate,
            'Z' => ToggleAllFolds,
            'p' => TogglePanel,
            't' => ToggleSteps,
            'y' => CopyRecord,
            'Y' => CopyFinding,
            'F' => ToggleFollow,
            '?' => Help,
            'q' => Quit,
            'R' => Reload,
            _ => return None,
        },
        KeyCode::Down => Down,
        KeyCode::Up => Up,
        KeyCode::PageDown => PageDown,
        KeyCode::PageUp => PageUp,
        KeyCode::Home => Top,
        KeyCode::End => Bottom,
        KeyCode::Left => Left,
        KeyCode::Right => Right,
        KeyCode::Enter => Activate,
        KeyCode::Tab if shift => FocusPrev,
        KeyCode::Tab => FocusNext,
        KeyCode::BackTab => FocusPrev,
        KeyCode::F(1) => Help,
        KeyCode::Esc => Escape,
        _ => return None,
    };
    Some(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_binding_in_help_is_reachable() {
        // Each help entry's first key must map to its action (the table and the match agree).
        for b in BINDINGS {
            let first = b.keys.split_whitespace().next().unwrap_or("");
            let key = match first {
                "Down" | "Up" | "Left" | "Right" | "Esc" | "Enter" | "Tab" => continue,
                k if k.starts_with("Ctrl-") => {
                    let c = k.chars().last().unwrap();
                    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
                }
                "PgDn" => KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE),
                "PgUp" => KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE),
                k => {
                    let c = k.chars().next().unwrap();
                    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
                }
            };
            assert_eq!(action_for(key), Some(b.action), "{}", b.keys);
        }
    }
}
