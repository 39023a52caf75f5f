//! Drawing: a pure function of the state. Only the rows on screen are looked at, so a frame
//! costs the same at any position of any log. One file per part of the screen: the log view,
//! the overview strip, the filter pane, the side panel, the step timeline, the status line and
//! the help; here, what they share.

use ratatui::buffer::{Buffer, Cell, CellWidth};
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
pub(crate) use side_panel::PanelPlan;
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
    draw_screen_keeping(app, buf, area, Kept::default())
}

/// What a frame leaves as the buffer holds it (the caller puts there what the terminal
/// shows): log rows, the step timeline, rows of the side panel.
#[derive(Clone, Copy, Default)]
pub(crate) struct Kept<'a> {
    /// One flag per row of the log's body, in the order [`log_row_keys`] gives them.
    pub rows: &'a [bool],
    /// The step timeline (see [`steps_key`]).
    pub steps: bool,
    /// The side panel as [`panel_plan`] laid it out, and one flag per row of it.
    pub panel: Option<(&'a PanelPlan, &'a [bool])>,
}

/// [`draw_screen`], but what `keep` marks is left as `buf` holds it: neither blanked nor
/// drawn.
pub(crate) fn draw_screen_keeping(
    app: &App,
    buf: &mut Buffer,
    area: Rect,
    keep: Kept<'_>,
) -> Option<Position> {
    let lay = layout(app, area);
    let theme = &app.theme;
    // The whole screen, cell after cell: `Buffer::set_style` finds each cell by its
    // position, which costs a frame more than it should on every one of its cells. Each
    // cell is blanked first: the explorer draws into its previous frame, not a reset buffer.
    let normal = theme.style(Role::Normal);
    let steps = lay.steps.filter(|_| keep.steps && !lay.too_small);
    let panel = keep.panel.filter(|_| !lay.too_small);
    if buf.area == area {
        let mut blank = Cell::EMPTY;
        blank.set_style(normal);
        let w = usize::from(area.width.max(1));
        let first = usize::from((lay.log.y + 1).saturating_sub(area.y));
        let cols = |r: Rect| {
            let x = usize::from(r.x.saturating_sub(area.x));
            x..x + usize::from(r.width)
        };
        for (y, row) in buf.content.chunks_mut(w).enumerate() {
            let sy = area.y.saturating_add(y as u16);
            let mut skip: [Option<std::ops::Range<usize>>; 3] = [None, None, None];
            if !lay.too_small {
                if y.checked_sub(first)
                    .and_then(|i| keep.rows.get(i))
                    .copied()
                    .unwrap_or(false)
                {
                    skip[0] = Some(cols(lay.log));
                }
                skip[1] = steps.filter(|r| sy >= r.y && sy < r.y + r.height).map(cols);
                skip[2] = panel
                    .filter(|(p, k)| {
                        sy.checked_sub(p.area().y)
                            .and_then(|i| k.get(usize::from(i)))
                            .copied()
                            .unwrap_or(false)
                    })
                    .map(|(p, _)| cols(p.area()));
            }
            skip.sort_by_key(|r| r.as_ref().map(|r| r.start));
            let mut at = 0;
            for r in skip.iter().flatten() {
                if let Some(gap) = row.get_mut(at..r.start.min(w)) {
                    gap.fill(blank.clone());
                }
                at = at.max(r.end);
            }
            if let Some(gap) = row.get_mut(at.min(row.len())..) {
                gap.fill(blank.clone());
            }
        }
    } else {
        buf.set_style(area, normal);
    }
    if lay.too_small {
        draw_too_small(buf, area, theme);
        return None;
    }
    draw_log(app, buf, lay.log, keep.rows);
    if let Some(r) = lay.overview {
        draw_overview(app, buf, r);
    }
    if let Some(r) = lay.filters {
        draw_filters(app, buf, r);
    }
    if let Some(r) = lay.steps.filter(|_| steps.is_none()) {
        draw_steps(app, buf, r);
    }
    if let Some(r) = lay.panel {
        match panel {
            Some((plan, rows)) if plan.area() == r => plan.draw(app, buf, rows),
            _ => draw_panel(app, buf, r),
        }
    }
    let cursor = draw_status(app, buf, lay.status);
    if let Some(scroll) = app.help {
        draw_help(app, buf, area, scroll);
    }
    cursor
}

/// What a log row draws depends on, besides the state that [`App::view_gen`] stands for:
/// two rows with equal keys are drawn cell for cell the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RowKey {
    gen: u64,
    row: usize,
    pos: usize,
    selected: bool,
    columns: [u16; 6],
    x: u16,
    width: u16,
}

/// What the step timeline draws depends on, besides [`App::view_gen`]: equal keys, equal
/// panes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StepsKey {
    gen: u64,
    area: Rect,
    anchor: Option<usize>,
    top: usize,
}

/// Where the step timeline is on the screen for `area`, and its key; `None` when it does
/// not show (or the help covers it).
pub(crate) fn steps_key(app: &App, area: Rect) -> Option<StepsKey> {
    let lay = layout(app, area);
    if lay.too_small || app.help.is_some() {
        return None;
    }
    let r = lay.steps?;
    let rows = usize::from(r.height.saturating_sub(1));
    Some(StepsKey {
        gen: app.view_gen,
        area: r,
        anchor: app.steps_anchor(),
        top: app.steps_first_shown(rows),
    })
}

impl StepsKey {
    /// The rectangle the timeline fills.
    pub(crate) fn area(&self) -> Rect {
        self.area
    }
}

/// The side panel of the screen for `area`, laid out; `None` when it does not show (or the
/// help covers it).
pub(crate) fn panel_plan(app: &App, area: Rect) -> Option<PanelPlan> {
    let lay = layout(app, area);
    if lay.too_small || app.help.is_some() {
        return None;
    }
    lay.panel.map(|r| PanelPlan::new(app, r))
}

/// Calls `each(y, key)` for each log row the screen for `area` shows, top to bottom, and
/// returns the rectangle of the log's body (its rows, the header and the overview left
/// out). `None`, and no call, when no log rows show.
pub(crate) fn log_row_keys(
    app: &App,
    area: Rect,
    mut each: impl FnMut(u16, RowKey),
) -> Option<Rect> {
    let lay = layout(app, area);
    if lay.too_small || app.help.is_some() {
        return None;
    }
    let body = lay.log_body_rows();
    let len = app.rows.len();
    if body == 0 || len == 0 {
        return None;
    }
    let columns = log::column_widths(app, lay.log.width);
    let top = first_shown(app, body);
    for i in 0..body {
        let row = top + i;
        let Some(kind) = app.rows.row(row).filter(|_| row < len) else {
            break;
        };
        each(
            lay.log.y + 1 + i as u16,
            RowKey {
                gen: app.view_gen,
                row,
                pos: kind.pos(),
                selected: row == app.view.cursor,
                columns,
                x: lay.log.x,
                width: lay.log.width,
            },
        );
    }
    Some(Rect::new(
        lay.log.x,
        lay.log.y + 1,
        lay.log.width,
        body as u16,
    ))
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
    // One character one column wide (a border, a mark in the overview column): one
    // grapheme, so one cell, as `set_stringn` would make it, without its segmentation.
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if !c.is_control() && text.cell_width() == 1 && x < buf.area.right() {
            buf[(x, y)].set_symbol(text).set_style(style);
            return x + 1;
        }
    }
    let (nx, _) = buf.set_stringn(x, y, text, (right - x) as usize, style);
    nx
}

/// Writes `line` at (x, y) in at most `width` columns, as `Buffer::set_line` does (each
/// span in the line's style patched by its own), through `put`'s ASCII path.
fn put_line(buf: &mut Buffer, x: u16, y: u16, line: &Line<'_>, width: u16) -> u16 {
    let right = x.saturating_add(width);
    let mut x = x;
    for span in line {
        if x >= right {
            break;
        }
        x = put(
            buf,
            x,
            y,
            right,
            &span.content,
            line.style.patch(span.style),
        );
    }
    x
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

    /// What `put_line` leaves in a buffer is what ratatui's own `set_line` leaves: spans in
    /// the line's style patched by theirs, ASCII or not, cut at the width or the buffer's edge.
    #[test]
    fn put_line_draws_as_ratatui_does() {
        use ratatui::text::Span;
        let dim = Style::default().fg(Color::Indexed(242));
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let lines = [
            Line::from(vec![
                Span::styled("Message: ", dim),
                Span::styled("Failed to run the action: Install Updates", bold),
            ]),
            Line::from(vec![Span::raw("  "), Span::styled("naïve 漢字 café", bold)])
                .style(Style::default().fg(Color::Indexed(110))),
            Line::from(vec![
                Span::raw(""),
                Span::raw("e\u{301}x"),
                Span::raw("\tend"),
            ]),
            Line::default(),
        ];
        for line in &lines {
            for (x, width) in [(0u16, 30u16), (3, 9), (25, 10), (28, 1), (5, 0), (31, 4)] {
                let area = Rect::new(0, 0, 30, 1);
                let mut ours = Buffer::empty(area);
                let mut theirs = Buffer::empty(area);
                put_line(&mut ours, x, 0, line, width);
                if x < area.right() {
                    theirs.set_line(x, 0, line, width);
                }
                assert_eq!(ours, theirs, "{line:?} at {x}, {width} wide");
            }
        }
    }

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
            "│",
            "◆",
            "漢",
            "\u{301}",
            "\u{7}",
            "\u{85}",
            "\u{FF9E}",
        ];
        for text in texts {
            for (x, right) in [
                (0u16, 30u16),
                (3, 12),
                (25, 30),
                (28, 40),
                (5, 5),
                (29, 30),
                (30, 40),
            ] {
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
