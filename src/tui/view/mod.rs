//! Drawing: a pure function of the state. Only the rows on screen are looked at, so a frame
//! costs the same at any position of any log. One file per part of the screen: the log view,
//! the overview strip, the filter pane, the side panel, the step timeline, the status line and
//! the help; here, what they share.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

use crate::sanitize::display_width;
use crate::tui::app::App;
use crate::tui::theme::{Role, Theme};

mod filter_pane;
mod help;
mod log;
mod overview;
mod side_panel;
mod status;
mod steps;

use super::layout::layout;
use filter_pane::draw_filters;
use help::draw_help;
pub(crate) use help::help_extent;
use log::draw_log;
use overview::draw_overview;
use side_panel::draw_panel;
use status::draw_status;
use steps::draw_steps;

/// Bytes of a message formatted per visible row at most, beyond the horizontal scroll:
/// a row shows a screen's width, not a megabyte.
const ROW_BYTES_PER_COLUMN: usize = 8;

/// Draws the whole screen.
pub fn view(app: &App, frame: &mut Frame<'_>) {
    let area = frame.area();
    if let Some(pos) = draw_screen(app, frame.buffer_mut(), area) {
        frame.set_cursor_position(pos);
    }
}

/// Draws the whole screen into `buf` over `area`; returns where the cursor is shown, if
/// anywhere (a prompt being typed).
pub(crate) fn draw_screen(app: &App, buf: &mut Buffer, area: Rect) -> Option<Position> {
    let lay = layout(app, area);
    let theme = &app.theme;
    // The whole screen, cell after cell: `Buffer::set_style` finds each cell by its
    // position, which costs a frame more than it should on every one of its cells. Each
    // cell is blanked first: the explorer draws into its previous frame, not a reset buffer.
    let normal = theme.style(Role::Normal);
    if buf.area == area {
        for cell in &mut buf.content {
            cell.reset();
            cell.set_style(normal);
        }
    } else {
        buf.set_style(area, normal);
    }
    if lay.too_small {
        draw_too_small(buf, area, theme);
        return None;
    }
    draw_log(app, buf, lay.log);
    if let Some(r) = lay.overview {
        draw_overview(app, buf, r);
    }
    if let Some(r) = lay.filters {
        draw_filters(app, buf, r);
    }
    if let Some(r) = lay.steps {
        draw_steps(app, buf, r);
    }
    if let Some(r) = lay.panel {
        draw_panel(app, buf, r);
    }
    let cursor = draw_status(app, buf, lay.status);
    if let Some(scroll) = app.help {
        draw_help(app, buf, area, scroll);
    }
    cursor
}

/// The log's rows as the screen for `area` shows them: the rectangle they fill (the
/// header left out) and the index of the first row shown there. `None` when no rows show.
pub(crate) fn log_rows(app: &App, area: Rect) -> Option<(Rect, usize)> {
    let lay = layout(app, area);
    if lay.too_small || app.help.is_some() {
        return None;
    }
    let body = lay.log_body_rows();
    if body == 0 || app.rows.is_empty() {
        return None;
    }
    Some((
        Rect::new(lay.log.x, lay.log.y + 1, lay.log.width, body as u16),
        first_shown(app, body),
    ))
}

/// The first row the log view shows when `body` rows fit.
pub(super) fn first_shown(app: &App, body: usize) -> usize {
    app.view.top.min(app.rows.len().saturating_sub(body.max(1)))
}

fn draw_too_small(buf: &mut Buffer, area: Rect, theme: &Theme) {
    let lines = ["Window too small", "(need at least 40x8)"];
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (i, l) in lines.iter().enumerate() {
        let y = top + i as u16;
        if y >= area.y + area.height {
            break;
        }
        let w = display_width(l).min(area.width as usize) as u16;
        let x = area.x + (area.width - w) / 2;
        buf.set_stringn(x, y, l, area.width as usize, theme.style(Role::Heading));
    }
}

/// Writes `text` at (x, y), clipped at `right`; returns the next x.
fn put(buf: &mut Buffer, x: u16, y: u16, right: u16, text: &str, style: Style) -> u16 {
    if x >= right {
        return x;
    }
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        // Printable ASCII, most of a log: one cell a byte, as `set_stringn` would make
        // them, without looking for grapheme clusters (most of a frame's cost otherwise).
        let n = usize::from(right.min(buf.area.right()).saturating_sub(x)).min(text.len());
        for i in 0..n {
            if let Some(symbol) = text.get(i..=i) {
                buf[(x + i as u16, y)].set_symbol(symbol).set_style(style);
            }
        }
        return x + n as u16;
    }
    let (nx, _) = buf.set_stringn(x, y, text, (right - x) as usize, style);
    nx
}

fn pane_block<'a>(app: &App, title: String, focused: bool, borders: Borders) -> Block<'a> {
    let theme = &app.theme;
    let border = theme.style(if focused {
        Role::BorderFocused
    } else {
        Role::Border
    });
    Block::default()
        .borders(borders)
        .border_style(border)
        .title(Line::styled(title, theme.style(Role::Title)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};

    /// What `put` leaves in a buffer is what ratatui's own `set_stringn` leaves, ASCII or
    /// not, clipped by the right edge given or by the buffer's.
    #[test]
    fn put_draws_as_ratatui_does() {
        let style = Style::default()
            .fg(Color::Indexed(110))
            .add_modifier(Modifier::BOLD);
        let texts = [
            "Set a global environment variable _SMSTSNextInstructionPointer=5",
            "naïve café",
            "wide 漢字 here",
            "e\u{301}",
            "",
            "~ !",
        ];
        for text in texts {
            for (x, right) in [(0u16, 30u16), (3, 12), (25, 30), (28, 40), (5, 5)] {
                let area = Rect::new(0, 0, 30, 1);
                let mut ours = Buffer::empty(area);
                let mut theirs = Buffer::empty(area);
                let nx = put(&mut ours, x, 0, right, text, style);
                let (tx, _) = if x >= right {
                    (x, 0)
                } else {
                    theirs.set_stringn(x, 0, text, usize::from(right - x), style)
                };
                assert_eq!(ours, theirs, "{text:?} at {x}..{right}");
                assert_eq!(nx, tx, "{text:?} at {x}..{right}");
            }
        }
    }
}
