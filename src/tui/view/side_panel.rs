//! The side panel: the finding or the record under the cursor, scrolled.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Borders, Widget};

use crate::tui::app::{App, Pane};
use crate::tui::panel::{self};
use crate::tui::theme::Role;

use super::{pane_block, put};

pub(super) fn draw_panel(app: &App, buf: &mut Buffer, area: Rect) {
    let focused = app.focus == Pane::Panel;
    let borders = if area.x > 0 {
        Borders::LEFT | Borders::TOP
    } else {
        Borders::TOP
    };
    let title = match app.panel.finding {
        Some(_) => " Finding ".to_string(),
        None => " Details ".to_string(),
    };
    let block = pane_block(app, title, focused, borders);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.width < 4 || inner.height == 0 {
        return;
    }
    let inner = Rect::new(inner.x + 1, inner.y, inner.width - 1, inner.height);
    let text = panel::build(app, inner.width as usize);
    let h = inner.height as usize;
    let max_scroll = text.lines.len().saturating_sub(h);
    let scroll = if app.panel.scroll == usize::MAX {
        // Keep the selected evidence in sight.
        text.evidence_lines
            .get(app.panel.evidence_sel)
            .map_or(0, |&l| l.saturating_sub(h / 2))
            .min(max_scroll)
    } else {
        app.panel.scroll.min(max_scroll)
    };
    for (i, line) in text.lines.iter().skip(scroll).take(h).enumerate() {
        buf.set_line(inner.x, inner.y + i as u16, line, inner.width);
    }
    if scroll < max_scroll {
        let y = inner.y + inner.height - 1;
        let x = inner.x + inner.width.saturating_sub(3);
        put(buf, x, y, x + 3, " ↓ ", app.theme.style(Role::Dim));
    }
}
