//! The help overlay, made from the one key table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::sanitize::display_width;
use crate::tui::app::App;
use crate::tui::keymap::{BINDINGS, GROUPS};
use crate::tui::panel::{self};
use crate::tui::theme::{Role, Theme};

use super::put;

/// The help's lines for `groups`, each key's text wrapped to `width` columns under itself
/// (the one key table is the whole reference: none of it may be cut off).
fn help_lines(theme: &Theme, groups: std::ops::Range<usize>, width: usize) -> Vec<Line<'static>> {
    const KEY_W: usize = 18;
    let mut lines: Vec<Line<'static>> = Vec::new();
    for g in groups {
        let Some(name) = GROUPS.get(g) else {
            continue;
        };
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(name.to_string(), theme.style(Role::Heading)));
        for b in BINDINGS.iter().filter(|b| b.group == g) {
            let key = format!("  {:<15} ", b.label());
            let key_w = display_width(&key);
            // A long key list takes some of the first line; the text wraps under the column.
            let first_w = width.saturating_sub(key_w).max(8);
            let mut parts = panel::wrap(b.help, first_w).into_iter();
            let first = parts.next().unwrap_or_default();
            let rest = parts.collect::<Vec<_>>().join(" ");
            lines.push(Line::from(vec![
                ratatui::text::Span::styled(key, theme.style(Role::HelpKey)),
                ratatui::text::Span::styled(first, theme.style(Role::HelpText)),
            ]));
            if !rest.is_empty() {
                for l in panel::wrap(&rest, width.saturating_sub(KEY_W).max(8)) {
                    lines.push(Line::styled(
                        format!("{:KEY_W$}{l}", ""),
                        theme.style(Role::HelpText),
                    ));
                }
            }
        }
    }
    lines
}

/// The help's columns of lines for a screen `area`, and the overlay's place on it.
fn help_layout(theme: &Theme, area: Rect) -> (Vec<Vec<Line<'static>>>, Rect) {
    // Wide screens get two columns, so that every key shows at once.
    let two = area.width >= 120;
    let w = area.width.saturating_sub(4).min(if two { 160 } else { 76 });
    // Each column's text, inside the borders and a margin on each side.
    let text_w = (w.saturating_sub(2) / if two { 2 } else { 1 }).saturating_sub(1) as usize;
    let columns: Vec<Vec<Line<'static>>> = if two {
        vec![
            help_lines(theme, 0..2, text_w),
            help_lines(theme, 2..GROUPS.len(), text_w),
        ]
    } else {
        vec![help_lines(theme, 0..GROUPS.len(), text_w)]
    };
    let tall = columns.iter().map(Vec::len).max().unwrap_or(0) + 2;
    let h = area.height.saturating_sub(2).min(tall as u16 + 2);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    (columns, rect)
}

/// Rows of keys the help shows at once on a `width` x `height` screen, and how far it
/// scrolls: the runtime's keys page by the first and stop at the second.
pub(crate) fn help_extent(theme: &Theme, width: u16, height: u16) -> (usize, usize) {
    let (columns, rect) = help_layout(theme, Rect::new(0, 0, width, height));
    // Borders, the blank row and the footer.
    let body = rect.height.saturating_sub(4) as usize;
    let longest = columns.iter().map(Vec::len).max().unwrap_or(0);
    (body.max(1), longest.saturating_sub(body))
}

pub(super) fn draw_help(app: &App, buf: &mut Buffer, area: Rect, scroll: usize) {
    let theme = &app.theme;
    let (columns, rect) = help_layout(theme, area);
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::BorderFocused))
        .style(theme.style(Role::Normal))
        .title(Line::styled(
            " tslens keys (Esc closes, j/k scroll) ",
            theme.style(Role::Title),
        ));
    let inner = block.inner(rect);
    let body_h = inner.height.saturating_sub(2);
    let longest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let scroll = scroll.min(longest.saturating_sub(body_h as usize));
    let block = if scroll + (body_h as usize) < longest {
        block.title_bottom(Line::styled(" ↓ more (j) ", theme.style(Role::Title)).right_aligned())
    } else {
        block
    };
    block.render(rect, buf);
    let footer = "Mouse: wheel scrolls, click selects. Prompts: Enter, Esc, Ctrl-u, Ctrl-w.";
    let cw = inner.width / columns.len() as u16;
    for (i, lines) in columns.into_iter().enumerate() {
        let r = Rect::new(
            inner.x + 1 + cw * i as u16,
            inner.y,
            cw.saturating_sub(1),
            body_h,
        );
        Paragraph::new(lines.into_iter().skip(scroll).collect::<Vec<_>>()).render(r, buf);
    }
    if inner.height >= 2 {
        let y = inner.y + inner.height - 1;
        put(
            buf,
            inner.x + 1,
            y,
            inner.x + inner.width,
            footer,
            theme.style(Role::Dim),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key's whole text is in the help at any width the overlay takes: wrapped under
    /// its column, never cut.
    #[test]
    fn help_wraps_every_keys_text_whole() {
        let theme = Theme::load("dark").unwrap();
        for width in [36, 57, 73] {
            let lines = help_lines(&theme, 0..GROUPS.len(), width);
            let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            for l in &text {
                assert!(display_width(l) <= width, "{width}: {l:?}");
            }
            let all = text.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
            for b in BINDINGS {
                assert!(all.contains(b.help), "{width}: {:?} in {all}", b.help);
            }
        }
    }
}
