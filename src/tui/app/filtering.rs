//! The filter stack, the highlights and the time: adding, switching, flipping and removing
//! filters; time windows and going to a time.

use crate::parse::Severity;
use crate::tui::filters::{FilterKind, Filters, Highlight, HIGHLIGHT_COLOURS};
use crate::tui::search::Pattern;
use crate::tui::timespec::{self, When, Window};

use super::jobs::FilterJob;
use super::{App, Pane};

/// The filters, the highlights and the pane that lists them (filters first, then
/// highlights).
#[derive(Clone, Debug, Default)]
pub struct FilterState {
    /// The filter stack.
    pub stack: Filters,
    /// The highlights.
    pub highlights: Vec<Highlight>,
    /// The pane is shown (when there is something in it and room for it).
    pub show: bool,
    /// The selected entry of the pane.
    pub sel: usize,
    /// The first entry the pane shows, when there are more than fit (see [`Self::shown`]).
    pub top: usize,
    /// The filter being applied, slice by slice.
    pub(super) job: Option<FilterJob>,
}

impl FilterState {
    /// Entries in the pane: the filters, then the highlights.
    pub(crate) fn entries(&self) -> usize {
        self.stack.list.len() + self.highlights.len()
    }

    /// How far the filter being applied has gone through `len` records, in percent.
    pub(crate) fn progress(&self, len: usize) -> Option<usize> {
        self.job.map(|j| j.next * 100 / len.max(1))
    }

    /// The entries a pane of `rows` rows shows: from `top`, moved only as far as keeps the
    /// selection in sight (so moving within the rows does not scroll them).
    pub(crate) fn shown(&self, rows: usize) -> std::ops::Range<usize> {
        let n = self.entries();
        let rows = rows.max(1);
        let sel = self.sel.min(n.saturating_sub(1));
        let mut top = self.top.min(n.saturating_sub(rows));
        if sel < top {
            top = sel;
        } else if sel >= top + rows {
            top = sel + 1 - rows;
        }
        top..(top + rows).min(n)
    }

    /// Moves the selection by `delta` entries, staying on the list.
    pub(super) fn select_by(&mut self, delta: isize) {
        let last = self.entries().saturating_sub(1);
        self.sel = self.sel.saturating_add_signed(delta).min(last);
    }

    /// Selects the last entry.
    pub(super) fn select_last(&mut self) {
        self.sel = self.entries().saturating_sub(1);
    }

    /// Adds a highlight in the next free colour (or switches the same pattern's back on).
    pub(super) fn add_highlight(&mut self, pattern: Pattern) {
        if let Some(h) = self
            .highlights
            .iter_mut()
            .find(|h| h.pattern.text == pattern.text)
        {
            h.on = true;
            return;
        }
        let colour = self.highlights.len() % HIGHLIGHT_COLOURS;
        self.highlights.push(Highlight {
            pattern,
            colour,
            on: true,
        });
        self.show = true;
    }

    /// Adds a highlight from a saved session, with its switch.
    pub(crate) fn add_highlight_restored(&mut self, pattern: Pattern, on: bool) {
        self.add_highlight(pattern);
        if let Some(h) = self.highlights.last_mut() {
            h.on = on;
        }
    }

    /// Switches the selected entry on or off; true when it was a filter (the rows change).
    fn toggle_selected(&mut self) -> bool {
        let i = self.sel;
        let n = self.stack.list.len();
        if let Some(f) = self.stack.list.get_mut(i) {
            f.on = !f.on;
            return true;
        }
        if let Some(h) = self.highlights.get_mut(i - n) {
            h.on = !h.on;
        }
        false
    }

    /// Makes the selected filter's include an exclude and back (and switches it on); false
    /// when the selection is a highlight.
    fn flip_selected(&mut self) -> bool {
        match self.stack.list.get_mut(self.sel) {
            Some(f) => {
                f.exclude = !f.exclude;
                f.on = true;
                true
            }
            None => false,
        }
    }

    /// Removes the selected entry and keeps the selection on the list; true when it was a
    /// filter (the rows change).
    fn remove_selected(&mut self) -> bool {
        let i = self.sel;
        let n = self.stack.list.len();
        let was_filter = i < n;
        if was_filter {
            self.stack.list.remove(i);
        } else if i - n < self.highlights.len() {
            self.highlights.remove(i - n);
        }
        self.sel = self.sel.min(self.entries().saturating_sub(1));
        was_filter
    }

    /// Drops every filter and, with `highlights`, every highlight.
    pub(super) fn clear(&mut self, highlights: bool) {
        self.stack = Filters::default();
        if highlights {
            self.highlights.clear();
        }
    }
}

impl App {
    /// Adds a filter and applies it; the pane shows it when there is room.
    pub(super) fn add_filter(&mut self, kind: FilterKind, exclude: bool) {
        self.filter.stack.add(kind, exclude);
        self.filter.show = true;
        self.refilter();
    }

    /// Applies the filters again (after a session put them back).
    pub(crate) fn refilter_now(&mut self) {
        self.refilter();
    }

    /// `v`: all, warnings and errors, errors only.
    pub(super) fn cycle_severity(&mut self) {
        let now = self.filter.stack.list.iter().find_map(|f| match f.kind {
            FilterKind::Severity(s) if f.on && !f.exclude => Some(s),
            _ => None,
        });
        self.filter
            .stack
            .remove_where(|f| matches!(f.kind, FilterKind::Severity(_)));
        let next = match now {
            None | Some(Severity::Info) => Some(Severity::Warning),
            Some(Severity::Warning) => Some(Severity::Error),
            Some(Severity::Error) => None,
        };
        match next {
            Some(s) => self.add_filter(FilterKind::Severity(s), false),
            None => self.refilter(),
        }
    }

    /// `o` / `O`: only (or hide) the component of the record under the cursor; `o` again
    /// drops it.
    pub(super) fn filter_component(&mut self, exclude: bool) {
        let comp = self
            .current_ref()
            .and_then(|r| self.log.fields(r).component_str().map(|c| c.into_owned()));
        let Some(c) = comp.filter(|c| !c.is_empty()) else {
            self.notice = Some("this record has no component".into());
            return;
        };
        let dropped = !exclude
            && self.filter.stack.remove_where(|f| {
                !f.exclude
                    && matches!(&f.kind, FilterKind::Component(x) if x.eq_ignore_ascii_case(&c))
            });
        if dropped {
            self.refilter();
        } else {
            self.add_filter(FilterKind::Component(c), exclude);
        }
    }

    /// `T`: only the thread of the record under the cursor; again drops it.
    pub(super) fn filter_thread(&mut self) {
        let Some(t) = self.current_ref().and_then(|r| self.log.fields(r).thread) else {
            self.notice = Some("this record has no thread".into());
            return;
        };
        let dropped = self
            .filter
            .stack
            .remove_where(|f| !f.exclude && matches!(f.kind, FilterKind::Thread(x) if x == t));
        if dropped {
            self.refilter();
        } else {
            self.add_filter(FilterKind::Thread(t), false);
        }
    }

    /// `u`: one source at a time, then all.
    pub(super) fn cycle_source(&mut self) {
        let n = self.log.sources.len() as u32;
        if n <= 1 {
            self.notice = Some("only one source is open".into());
            return;
        }
        let now = self.filter.stack.list.iter().find_map(|f| match f.kind {
            FilterKind::Source(s) if !f.exclude => Some(s),
            _ => None,
        });
        self.filter
            .stack
            .remove_where(|f| !f.exclude && matches!(f.kind, FilterKind::Source(_)));
        let next = match now {
            None => Some(0),
            Some(s) if s + 1 < n => Some(s + 1),
            Some(_) => None,
        };
        match next {
            Some(s) => self.add_filter(FilterKind::Source(s), false),
            None => self.refilter(),
        }
    }

    /// Keeps the pane's scroll where the frame will draw it, so that the next move scrolls
    /// from there and a click lands on the entry it shows.
    pub(super) fn keep_filter_in_sight(&mut self) {
        if let Some(r) = self.layout().filters {
            self.filter.top = self.filter.shown(r.height.saturating_sub(1) as usize).start;
        }
    }

    /// The filter pane's entry at screen row `y`, if the pane shows one there.
    pub(super) fn filter_entry_at(&self, y: u16) -> Option<usize> {
        let r = self.layout().filters?;
        // The pane's first row is its title.
        let row = y.checked_sub(r.y + 1)? as usize;
        let shown = self.filter.shown(r.height.saturating_sub(1) as usize);
        let i = shown.start + row;
        (i < shown.end).then_some(i)
    }

    /// `f`: shows the pane and focuses it; again (while focused) hides it.
    pub(super) fn toggle_filter_pane(&mut self) {
        if self.focus == Pane::Filters {
            self.filter.show = false;
            self.focus = Pane::Log;
            return;
        }
        self.filter.show = true;
        if self.filter.entries() == 0 {
            self.notice = Some("no filter yet: & - o O T v @ add one, + a highlight".into());
            return;
        }
        if self.layout().filters.is_some() {
            self.focus = Pane::Filters;
            self.filter.sel = self.filter.sel.min(self.filter.entries() - 1);
        } else {
            self.notice = Some("no room for the filter pane: p hides the side panel".into());
        }
    }

    /// Space or Enter in the pane: switches the selected entry on or off.
    pub(super) fn filter_toggle_selected(&mut self) {
        if self.filter.toggle_selected() {
            self.refilter();
        }
    }

    /// `!` in the pane: include becomes exclude and back.
    pub(super) fn filter_flip_selected(&mut self) {
        if self.focus != Pane::Filters {
            self.notice = Some("f selects a filter first".into());
            return;
        }
        if self.filter.flip_selected() {
            self.refilter();
        } else {
            self.notice = Some("a highlight has no exclude".into());
        }
    }

    /// `d` in the pane: removes the selected entry.
    pub(super) fn filter_remove_selected(&mut self) {
        if self.focus != Pane::Filters {
            self.notice = Some("f selects a filter first".into());
            return;
        }
        if self.filter.remove_selected() {
            self.refilter();
        }
        if self.filter.entries() == 0 {
            self.focus = Pane::Log;
        }
    }

    /// The date of the record under the cursor (or the first dated one), for clock times.
    fn base_date(&self) -> Option<chrono::NaiveDate> {
        let pos = self.current_pos().unwrap_or(0);
        timespec::record_datetime(&self.log, pos, self.utc)
            .or_else(|| timespec::record_datetime(&self.log, 0, self.utc))
            .map(|d| d.date())
    }

    /// Goes to the first record at or after a time; a clock time is read on the date of the
    /// record under the cursor.
    pub(super) fn goto_time(&mut self, when: When) -> Result<(), String> {
        let Some(date) = self.base_date() else {
            return Err("this log has no dated records to go by".into());
        };
        let t = timespec::millis(when.on(date));
        let pos = timespec::first_at_or_after(&self.log, t, self.utc);
        if pos >= self.log.len() {
            return Err("the log ends before that time".into());
        }
        self.view.moved = true;
        self.goto_pos(pos);
        Ok(())
    }

    /// Adds a time-window filter; a relative one counts from the selected record or, with
    /// `at_failure`, from the record that says the run failed.
    pub(super) fn add_window(
        &mut self,
        text: &str,
        w: Window,
        at_failure: bool,
    ) -> Result<(), String> {
        if at_failure && matches!(w, Window::Between(..)) {
            return Err("'failure' goes with -5m, +5m or ~5m".into());
        }
        let pos = if at_failure {
            self.analysis
                .steps
                .failed_at
                .ok_or("no failure in this log to count from")?
        } else {
            self.current_pos().unwrap_or(0)
        };
        let here = timespec::record_datetime(&self.log, pos, self.utc).map(timespec::millis);
        let (from, to) = match w {
            Window::Between(a, b, extra) => {
                let date = self
                    .base_date()
                    .ok_or("this log has no dated records to go by")?;
                let (a, b) = (timespec::millis(a.on(date)), timespec::millis(b.on(date)));
                (a.min(b), a.max(b) + extra)
            }
            Window::Before(ms) | Window::After(ms) | Window::Around(ms) => {
                let here = here.ok_or("this record has no time: move to one that has")?;
                match w {
                    Window::Before(_) => (here - ms, here),
                    Window::After(_) => (here, here + ms),
                    _ => (here - ms, here + ms),
                }
            }
        };
        let first = timespec::first_at_or_after(&self.log, from, self.utc);
        let end = timespec::first_at_or_after(&self.log, to.saturating_add(1), self.utc);
        if first >= end {
            return Err("no record in that window".into());
        }
        let label = match w {
            Window::Before(_) | Window::After(_) | Window::Around(_) => {
                let fmt = |m: i64| {
                    chrono::DateTime::from_timestamp_millis(m)
                        .map(|d| d.format("%H:%M:%S").to_string())
                        .unwrap_or_default()
                };
                format!("{}..{} ({})", fmt(from), fmt(to), text.trim())
            }
            _ => text.trim().to_string(),
        };
        let label = if self.utc {
            format!("{label} UTC")
        } else {
            label
        };
        self.add_filter(
            FilterKind::Window {
                from: first,
                to: end,
                label,
            },
            false,
        );
        Ok(())
    }
}
