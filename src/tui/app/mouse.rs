//! The mouse: the wheel scrolls the pane under it, a click selects and focuses.

use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::{App, Pane};

impl App {
    pub(super) fn on_mouse(&mut self, m: MouseEvent) {
        if let Some(scroll) = self.help {
            // Over the help, the wheel scrolls it and a click closes it, as Esc does: the
            // panes beneath are out of sight.
            let (_, last) = crate::tui::view::help_extent(&self.theme, self.size.0, self.size.1);
            match m.kind {
                MouseEventKind::ScrollDown => self.help = Some((scroll + 3).min(last)),
                MouseEventKind::ScrollUp => self.help = Some(scroll.saturating_sub(3)),
                MouseEventKind::Down(_) => self.help = None,
                _ => return,
            }
            self.dirty = true;
            return;
        }
        let lay = self.layout();
        let inside = |r: Option<Rect>| {
            r.is_some_and(|r| {
                m.column >= r.x
                    && m.column < r.x + r.width
                    && m.row >= r.y
                    && m.row < r.y + r.height
            })
        };
        if let (Some(r), MouseEventKind::Down(_)) = (lay.overview, m.kind) {
            if inside(Some(r)) {
                // The strip is the whole log top to bottom: a click goes to that place.
                let len = self.log.len();
                let pos = (m.row - r.y) as usize * len / (r.height.max(1) as usize);
                self.view.moved = true;
                self.goto_pos(pos.min(len.saturating_sub(1)));
                self.focus = Pane::Log;
                self.dirty = true;
                return;
            }
        }
        let pane = if inside(lay.panel) {
            Pane::Panel
        } else if inside(lay.steps) {
            Pane::Steps
        } else if inside(lay.filters) {
            Pane::Filters
        } else {
            Pane::Log
        };
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let down = m.kind == MouseEventKind::ScrollDown;
                match pane {
                    Pane::Log => self.view.wheel(down, self.page(), self.rows.len()),
                    Pane::Panel => {
                        self.panel.scroll = if down {
                            self.panel.scroll + 3
                        } else {
                            self.panel.scroll.saturating_sub(3)
                        };
                    }
                    Pane::Steps => self.move_step(if down { 3 } else { -3 }),
                    Pane::Filters => self.move_in_focus_pane(Pane::Filters, down),
                }
                self.dirty = true;
            }
            MouseEventKind::Down(_) => {
                if pane == Pane::Steps {
                    // Read before the focus moves: the rows are drawn around the old anchor.
                    if let Some(i) = self.step_at_row(m.row) {
                        self.steps.sel = i;
                    }
                }
                if pane == Pane::Filters {
                    if let Some(i) = self.filter_entry_at(m.row) {
                        self.filter.sel = i;
                    }
                }
                if pane == Pane::Log {
                    let body_top = lay.log.y + 1;
                    if m.row >= body_top {
                        let row = self.view.top + (m.row - body_top) as usize;
                        if row < self.rows.len() {
                            self.view.cursor = row;
                            self.view.user_moved(true);
                        }
                    }
                }
                self.focus = pane;
                self.dirty = true;
            }
            _ => {}
        }
    }

    fn move_in_focus_pane(&mut self, pane: Pane, down: bool) {
        let was = self.focus;
        self.focus = pane;
        self.move_in_focus(if down { 1 } else { -1 });
        self.focus = was;
    }
}
