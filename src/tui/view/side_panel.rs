//! The side panel: the finding or the record under the cursor, scrolled.

use std::hash::{DefaultHasher, Hash, Hasher};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::symbols;
use ratatui::widgets::{Borders, Widget};

use crate::tui::app::{App, Pane};
use crate::tui::panel::{self, PanelText};
use crate::tui::theme::Role;

use super::{pane_block, put, put_line};

/// The side panel of a frame, laid out: what each of its rows shows.
pub(crate) struct PanelPlan {
    area: Rect,
    title: String,
    focused: bool,
    borders: Borders,
    /// Where the text goes, if it has room; and the text, scrolled by `scroll`.
    inner: Option<Rect>,
    text: PanelText,
    scroll: usize,
    /// The text goes on below: the last row says so.
    more: bool,
}

impl PanelPlan {
    pub(crate) fn new(app: &App, area: Rect) -> PanelPlan {
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
        let inner = pane_block(app, String::new(), focused, borders).inner(area);
        let inner = (inner.width >= 4 && inner.height > 0)
            .then(|| Rect::new(inner.x + 1, inner.y, inner.width - 1, inner.height));
        let Some(inner) = inner else {
            return PanelPlan {
                area,
                title,
                focused,
                borders,
                inner,
                text: PanelText {
                    lines: Vec::new(),
                    evidence_lines: Vec::new(),
                },
                scroll: 0,
                more: false,
            };
        };
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
        PanelPlan {
            area,
            title,
            focused,
            borders,
            inner: Some(inner),
            text,
            scroll,
            more: scroll < max_scroll,
        }
    }

    /// The rectangle the panel fills.
    pub(crate) fn area(&self) -> Rect {
        self.area
    }

    /// What row `y` of the screen shows of the panel, as a number: two rows with equal
    /// numbers are drawn cell for cell the same (a 64-bit hash of all that draws them).
    pub(crate) fn row_key(&self, y: u16) -> u64 {
        let mut h = DefaultHasher::new();
        (
            self.area.x,
            self.area.width,
            self.focused,
            self.borders.bits(),
        )
            .hash(&mut h);
        if y == self.area.y {
            self.title.hash(&mut h);
        } else if let Some(inner) = self.inner {
            let line = y
                .checked_sub(inner.y)
                .filter(|&i| i < inner.height)
                .and_then(|i| self.text.lines.get(self.scroll + usize::from(i)));
            (1u8, line).hash(&mut h);
            (self.more && y + 1 == inner.y + inner.height).hash(&mut h);
        } else {
            2u8.hash(&mut h);
        }
        h.finish()
    }

    /// Draws the panel; the rows marked in `keep` (one flag per row of the panel, from its
    /// top) are left as they are.
    pub(super) fn draw(&self, app: &App, buf: &mut Buffer, keep: &[bool]) {
        let area = self.area;
        let kept = |y: u16| keep.get(usize::from(y - area.y)).copied().unwrap_or(false);
        if keep.iter().any(|k| *k) {
            // Row by row: the top row by the same block one row tall; below it the block
            // draws only its left side (a plain line in the border's style), so that cell is
            // set directly, not through a block made for each row.
            let border = app.theme.style(if self.focused {
                Role::BorderFocused
            } else {
                Role::Border
            });
            for y in area.y..area.y + area.height {
                if kept(y) {
                    continue;
                }
                if y == area.y {
                    pane_block(app, self.title.clone(), self.focused, self.borders)
                        .render(Rect::new(area.x, y, area.width, 1), buf);
                } else if self.borders.contains(Borders::LEFT) && area.width > 0 {
                    if let Some(cell) = buf.cell_mut((area.x, y)) {
                        cell.set_symbol(symbols::line::VERTICAL).set_style(border);
                    }
                }
            }
        } else {
            pane_block(app, self.title.clone(), self.focused, self.borders).render(area, buf);
        }
        let Some(inner) = self.inner else {
            return;
        };
        for (i, line) in self
            .text
            .lines
            .iter()
            .skip(self.scroll)
            .take(inner.height as usize)
            .enumerate()
        {
            let y = inner.y + i as u16;
            if !kept(y) {
                put_line(buf, inner.x, y, line, inner.width);
            }
        }
        let y = inner.y + inner.height - 1;
        if self.more && !kept(y) {
            let x = inner.x + inner.width.saturating_sub(3);
            put(buf, x, y, x + 3, " ↓ ", app.theme.style(Role::Dim));
        }
    }
}

pub(super) fn draw_panel(app: &App, buf: &mut Buffer, area: Rect) {
    PanelPlan::new(app, area).draw(app, buf, &[]);
}
