//! The filter pane: the filters, then the highlights, scrolled to keep the selection in
//! sight.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Borders, Widget};

use crate::sanitize::{sanitize, truncate_with_ellipsis};
use crate::tui::app::{App, Pane};
use crate::tui::filters::Filter;
use crate::tui::theme::Role;

use super::log::HIGHLIGHT_ROLES;

use super::{pane_block, put};

/// The filter pane: the filters, then the highlights, each with its switch.
pub(super) fn draw_filters(app: &App, buf: &mut Buffer, area: Rect) {
    let theme = &app.theme;
    let focused = app.focus == Pane::Filters;
    let title = if focused {
        " Filters · Space on/off · ! include/exclude · d remove · x all ".to_string()
    } else {
        format!(" Filters ({}; f to edit) ", app.filter.entries())
    };
    let n = app.filter.entries();
    let h = area.height.saturating_sub(1) as usize;
    let shown = app.filter.shown(h);
    let mut block = pane_block(app, title, focused, Borders::TOP);
    // More entries than rows: say how many are out of sight, and on which side.
    let (above, below) = (shown.start, n - shown.end);
    let more = match (above, below) {
        (0, 0) => None,
        (0, b) => Some(format!(" ↓{b} more ")),
        (a, 0) => Some(format!(" ↑{a} more ")),
        (a, b) => Some(format!(" ↑{a} ↓{b} more ")),
    };
    if let Some(more) = more {
        block = block.title_top(Line::styled(more, theme.style(Role::Title)).right_aligned());
    }
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 {
        return;
    }
    let top = shown.start;
    let right = inner.x + inner.width;
    for i in shown {
        let y = inner.y + (i - top) as u16;
        let selected = focused && i == app.filter.sel;
        let (switch, sign, text, style) = match app.filter.stack.list.get(i) {
            Some(Filter { kind, exclude, on }) => (
                *on,
                if *exclude { "hide " } else { "only " },
                kind.describe(&app.log),
                theme.style(if *exclude {
                    Role::Warning
                } else {
                    Role::Normal
                }),
            ),
            None => {
                let Some(hl) = app.filter.highlights.get(i - app.filter.stack.list.len()) else {
                    continue;
                };
                let role = HIGHLIGHT_ROLES[hl.colour % HIGHLIGHT_ROLES.len()];
                (
                    hl.on,
                    "mark ",
                    format!("/{}/", hl.pattern.text),
                    theme.style(role),
                )
            }
        };
        let mut style = if switch {
            style
        } else {
            theme.style(Role::Dim)
        };
        if selected {
            buf.set_style(
                Rect::new(inner.x, y, inner.width, 1),
                theme.style(Role::Selection),
            );
            style = style.patch(theme.style(Role::Selection));
        }
        let mut x = inner.x;
        x = put(buf, x, y, right, if selected { "▶" } else { " " }, style);
        x = put(
            buf,
            x,
            y,
            right,
            if switch { "[x] " } else { "[ ] " },
            style,
        );
        x = put(buf, x, y, right, sign, style);
        let clean = sanitize(&text);
        let room = right.saturating_sub(x) as usize;
        put(
            buf,
            x,
            y,
            right,
            &truncate_with_ellipsis(&clean, room),
            style,
        );
    }
}
