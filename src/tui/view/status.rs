//! The status line, or the prompt when one is open.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::present::short_name;
use crate::sanitize::{display_width, sanitize, slice_columns, truncate_with_ellipsis};
use crate::tui::app::{App, LoadState};
use crate::tui::theme::Role;

use ratatui::layout::Position;

use super::put;

fn progress_text(app: &App) -> Option<String> {
    match &app.load.state {
        LoadState::Indexing { done, total } if *total > 0 => {
            Some(format!("indexing {}%", done * 100 / total))
        }
        LoadState::Indexing { done, .. } => Some(format!("reading {} MB", done >> 20)),
        LoadState::Analysing => Some("analysing…".into()),
        LoadState::Failed(e) => Some(format!("load failed: {}", sanitize(e))),
        LoadState::Ready => None,
    }
}

/// Draws the status line, or the prompt when one is open; returns where the text cursor
/// goes.
pub(super) fn draw_status(app: &App, buf: &mut Buffer, area: Rect) -> Option<Position> {
    let theme = &app.theme;
    let right = area.x + area.width;
    if let Some(p) = &app.prompt.line {
        let style = theme.style(Role::Prompt);
        buf.set_style(area, style);
        let mut info = String::new();
        let mut info_style = theme.style(Role::Dim);
        if let Some(e) = &p.error {
            info = e.clone();
            info_style = theme.style(Role::PromptError);
        } else if p.kind == crate::tui::app::PromptKind::Search {
            if let Some(s) = &app.prompt.search {
                let counting = !s.counted(app.log.len());
                info = format!(
                    "{}{} matches",
                    s.matches.len(),
                    if counting { "+" } else { "" }
                );
            }
        } else if p.kind == crate::tui::app::PromptKind::Goto {
            info = "a line, a time, or filter-out RE".into();
        } else {
            info = "regex; Enter applies, empty clears".into();
        }
        let info = sanitize(&info).into_owned();
        let info_w = (display_width(&info) as u16).min(area.width / 2);
        let input = sanitize(&p.input);
        let room = area.width.saturating_sub(info_w + 3) as usize;
        let before_cursor = sanitize(&p.input[..p.cursor.min(p.input.len())]);
        let cw = display_width(&before_cursor);
        // Keep the cursor in sight when the input is longer than the line.
        let skip = cw.saturating_sub(room.saturating_sub(2));
        let shown = slice_columns(&input, skip, room);
        let mut x = put(buf, area.x, area.y, right, p.kind.sigil(), style);
        x = put(buf, x, area.y, right, &shown, style);
        let _ = x;
        if info_w > 0 {
            let ix = right - info_w;
            put(
                buf,
                ix,
                area.y,
                right,
                &truncate_with_ellipsis(&info, info_w as usize),
                info_style,
            );
        }
        let cx = area.x + 1 + (cw - skip).min(room) as u16;
        return Some(Position::new(cx.min(right.saturating_sub(1)), area.y));
    }
    let bar = theme.style(Role::StatusBar);
    let accent = theme.style(Role::StatusAccent);
    buf.set_style(area, bar);
    let log = &app.log;
    let mut parts: Vec<(String, Style)> = Vec::new();
    let names: Vec<String> = log
        .sources
        .iter()
        .map(|s| short_name(&s.text.path))
        .collect();
    let src = match app.current_ref() {
        Some(r) if names.len() > 1 => format!(
            "{} ({} files)",
            names.get(r.source as usize).cloned().unwrap_or_default(),
            names.len()
        ),
        _ => names.first().cloned().unwrap_or_else(|| "-".into()),
    };
    parts.push((sanitize(&src).into_owned(), accent));
    let len = app.rows.len();
    let pos_text = match ((app.view.cursor + 1) * 100).checked_div(len) {
        None => "0/0".to_string(),
        Some(pct) => {
            let mut s = format!("{}/{} {pct}%", app.view.cursor + 1, len);
            if let (Some(r), true) = (app.current_ref(), app.load.lines_known) {
                s.push_str(&format!(" line {}", log.meta(r).line));
            }
            s
        }
    };
    let line_text = match (app.current_ref(), app.load.lines_known) {
        (Some(r), true) => format!("line {}", log.meta(r).line),
        _ => format!("{}/{}", (app.view.cursor + 1).min(len), len),
    };
    parts.push((pos_text, bar));
    if let Some(n) = &app.notice {
        let n = sanitize(n).into_owned();
        // A notice answers the key just pressed (an error, where a search went): on a
        // narrow screen the file's name gives way to it, then the position does.
        let sep = 3;
        let width = |p: &[(String, Style)]| -> usize {
            p.iter().map(|(t, _)| display_width(t) + sep).sum::<usize>() + display_width(&n)
        };
        let room = area.width.saturating_sub(1) as usize;
        if width(&parts) > room {
            parts.remove(0);
        }
        if width(&parts) > room {
            parts = vec![(line_text, bar)];
        }
        if width(&parts) > room {
            parts.clear();
        }
        parts.push((n, accent));
    }
    if let Some(p) = progress_text(app) {
        parts.push((p, accent));
    }
    if app.view.follow {
        parts.push(("FOLLOW".into(), accent));
    } else if app.live.new_below > 0 {
        parts.push((
            format!("{} new below (F follows)", app.live.new_below),
            accent,
        ));
    }
    if let Some(n) = &app.live.stream_note {
        parts.push((sanitize(n).into_owned(), accent));
    }
    if let Some(s) = &app.prompt.search {
        let counting = !s.counted(log.len());
        let ord = app
            .match_ordinal()
            .map(|i| format!("{i}/"))
            .unwrap_or_default();
        parts.push((
            format!(
                "/{} {ord}{}{}",
                sanitize(&s.pattern.text),
                s.matches.len(),
                if counting { "+" } else { "" }
            ),
            bar,
        ));
    }
    if app.filter.stack.active() {
        // How many are hidden first: on a narrow screen the filters' list is what gets cut,
        // and the pane (f) lists them whole.
        let mut f = format!("{} hidden", app.rows.filtered_count());
        if let Some(p) = app.filter.progress(app.log.len()) {
            f.push_str(&format!(" (filtering {p}%)"));
        }
        f.push_str(" by ");
        f.push_str(&app.filter.stack.describe(log));
        parts.push((sanitize(&f).into_owned(), accent));
    }
    let counts = format!(
        "{} err {} warn · {} chains · {} findings",
        app.index.errors.len(),
        app.index.warnings.len(),
        app.analysis.chains.len(),
        app.analysis.findings.len()
    );
    parts.push((counts, bar));
    parts.push(("? help".into(), theme.style(Role::Dim).patch(bar)));
    let mut x = area.x + 1;
    for (i, (text, style)) in parts.iter().enumerate() {
        if i > 0 {
            // No separator with nothing after it.
            if right.saturating_sub(x) < 5 {
                break;
            }
            x = put(buf, x, area.y, right, " │ ", bar);
        }
        let room = right.saturating_sub(x) as usize;
        let t = truncate_with_ellipsis(text, room);
        x = put(buf, x, area.y, right, &t, *style);
        if x >= right {
            break;
        }
    }
    None
}
