//! The side panel and the step timeline: whether they are shown, what the panel holds,
//! where their selections are, and the focus going round the panes on screen.

use super::{App, Pane};

/// The side panel: the finding it shows, its selected evidence line, its scroll.
#[derive(Clone, Debug)]
pub struct PanelState {
    /// The panel is shown.
    pub show: bool,
    /// The finding in the panel.
    pub finding: Option<usize>,
    /// The selected evidence line of that finding.
    pub evidence_sel: usize,
    /// Scroll, in lines (`usize::MAX`: as far as keeps the selected evidence in sight).
    pub scroll: usize,
}

impl Default for PanelState {
    fn default() -> PanelState {
        PanelState {
            show: true,
            finding: None,
            evidence_sel: 0,
            scroll: 0,
        }
    }
}

impl PanelState {
    /// Shows finding `i` from its top, with its first evidence line selected.
    pub(super) fn open(&mut self, i: usize) {
        self.finding = Some(i);
        self.evidence_sel = 0;
        self.scroll = 0;
        self.show = true;
    }

    /// Leaves the finding: the panel shows the record under the cursor.
    pub(super) fn close_finding(&mut self) {
        self.finding = None;
        // The panel's selection moves to the errors to read it lists now.
        self.evidence_sel = 0;
        self.scroll = 0;
    }

    /// Selects the first evidence line, at the top.
    pub(super) fn select_first(&mut self) {
        self.evidence_sel = 0;
        self.scroll = 0;
    }

    /// Selects the last of `n` evidence lines and scrolls to it.
    pub(super) fn select_last(&mut self, n: usize) {
        self.evidence_sel = n.saturating_sub(1);
        self.scroll = usize::MAX;
    }

    /// One line moves the selection among `n` evidence lines; more (or no evidence)
    /// scrolls the panel.
    pub(super) fn move_by(&mut self, delta: isize, n: usize) {
        if n > 0 && delta.unsigned_abs() == 1 {
            self.evidence_sel = self.evidence_sel.saturating_add_signed(delta).min(n - 1);
            self.scroll = usize::MAX; // the view scrolls the selection into sight
        } else {
            self.scroll = self
                .scroll
                .min(10_000)
                .saturating_add_signed(delta.clamp(-10_000, 10_000));
        }
    }
}

/// The step timeline: shown or not, and its selected step.
#[derive(Clone, Debug)]
pub struct StepsState {
    /// The timeline is shown (when it fits).
    pub show: bool,
    /// The selected step.
    pub sel: usize,
}

impl Default for StepsState {
    fn default() -> StepsState {
        StepsState { show: true, sel: 0 }
    }
}

impl StepsState {
    /// Moves the selection by `delta` among `n` steps.
    pub(super) fn select_by(&mut self, delta: isize, n: usize) {
        if n == 0 {
            return;
        }
        self.sel = self.sel.saturating_add_signed(delta).min(n - 1);
    }

    /// Keeps the selection among `n` steps.
    pub(super) fn clamp(&mut self, n: usize) {
        self.sel = self.sel.min(n.saturating_sub(1));
    }
}

impl App {
    /// The step the timeline is centred on: the selection when it has the focus, else the
    /// step the log's cursor is in.
    pub(crate) fn steps_anchor(&self) -> Option<usize> {
        if self.focus == Pane::Steps {
            Some(self.steps.sel)
        } else {
            self.current_step()
        }
    }

    /// The first step a timeline of `rows` rows shows: its anchor in the middle.
    pub(crate) fn steps_first_shown(&self, rows: usize) -> usize {
        let len = self.analysis.steps.steps.len();
        self.steps_anchor()
            .unwrap_or(0)
            .saturating_sub(rows / 2)
            .min(len.saturating_sub(rows))
    }

    /// The step at screen row `y` of the timeline, if it shows one there.
    pub(super) fn step_at_row(&self, y: u16) -> Option<usize> {
        let r = self.layout().steps?;
        // The pane's first row is its title.
        let row = y.checked_sub(r.y + 1)? as usize;
        let rows = r.height.saturating_sub(1) as usize;
        let i = self.steps_first_shown(rows) + row;
        (row < rows && i < self.analysis.steps.steps.len()).then_some(i)
    }

    /// Keeps the selected finding and step inside a newly installed analysis.
    pub(super) fn clamp_selections(&mut self) {
        if self
            .panel
            .finding
            .is_some_and(|f| f >= self.analysis.findings.len())
        {
            self.panel.finding = None;
        }
        self.steps.clamp(self.analysis.steps.steps.len());
    }

    /// Evidence lines of the finding in the panel; with no finding open, the errors to
    /// read it lists instead.
    pub(super) fn evidence_len(&self) -> usize {
        match self.panel.finding {
            Some(f) => (self.analysis.findings.get(f)).map_or(0, |f| f.evidence.len()),
            None => self.analysis.errors_to_read.len(),
        }
    }

    pub(super) fn move_step(&mut self, delta: isize) {
        let n = self.analysis.steps.steps.len();
        self.steps.select_by(delta, n);
    }

    /// `t` asked for the step timeline and it does not fit: a side panel below the log
    /// makes way for it (p brings the panel back), or the status line says why.
    pub(super) fn steps_without_room(&mut self) {
        if self.analysis.steps.steps.is_empty() {
            self.notice = Some("no task-sequence steps in this log".into());
            return;
        }
        if self.panel.show {
            self.panel.show = false;
            if self.focus == Pane::Panel {
                self.focus = Pane::Log;
            }
            if self.layout().steps.is_some() {
                self.notice = Some("steps shown in place of the side panel (p swaps back)".into());
                return;
            }
            self.panel.show = true;
        }
        self.notice = Some("no room for the step timeline: the window is too short".into());
    }

    /// A focused pane that has left the screen (the window shrank, the panel was hidden)
    /// gives the focus back to the log, so that keys move what can be seen.
    pub(super) fn keep_focus_on_screen(&mut self) {
        let lay = self.layout();
        let shown = match self.focus {
            Pane::Log => true,
            Pane::Panel => lay.panel.is_some(),
            Pane::Steps => lay.steps.is_some(),
            Pane::Filters => lay.filters.is_some(),
        };
        if !shown {
            self.focus = Pane::Log;
        }
    }

    pub(super) fn cycle_focus(&mut self, forward: bool) {
        let lay = self.layout();
        let mut panes = vec![Pane::Log];
        if lay.panel.is_some() {
            panes.push(Pane::Panel);
        }
        if lay.steps.is_some() {
            panes.push(Pane::Steps);
        }
        if lay.filters.is_some() {
            panes.push(Pane::Filters);
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
                self.steps.sel = s;
            }
        }
    }
}
