//! The log view: its columns, its rows (folded chains, members, inline code names,
//! highlights) and its header.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::present::{code_name, hex, short_name};
use crate::sanitize::{display_width, sanitize, slice_columns, truncate_with_ellipsis};
use crate::tui::app::{App, LoadState, Pane};
use crate::tui::panel::severity_style;
use crate::tui::rows::{MemberKind, Row};
use crate::tui::theme::Role;

use super::{put, ROW_BYTES_PER_COLUMN};

/// Column widths of the log view.
struct Columns {
    gutter: u16,
    line: u16,
    time: u16,
    source: u16,
    component: u16,
    thread: u16,
}

fn columns(app: &App, width: u16) -> Columns {
    let max_line = app
        .log
        .sources
        .iter()
        .filter_map(|s| s.records.last().map(|r| r.line))
        .max()
        .unwrap_or(1);
    let digits = (max_line.max(1).ilog10() + 1).max(4) as u16;
    let line = if app.load.lines_known && width >= 60 {
        digits + 1
    } else {
        0
    };
    let source = if app.log.sources.len() > 1 && width >= 90 {
        13
    } else {
        0
    };
    let component = match width {
        0..70 => 0,
        70..110 => 13,
        _ => 17,
    };
    let thread = if width >= 90 { 6 } else { 0 };
    Columns {
        gutter: 2,
        line,
        time: if width >= 50 { 13 } else { 0 },
        source,
        component,
        thread,
    }
}

/// The widths of the log view's columns for a view `width` wide, as [`draw_log`] lays
/// them out: gutter, line, time, source, component, thread.
pub(super) fn column_widths(app: &App, width: u16) -> [u16; 6] {
    let c = columns(app, width);
    [c.gutter, c.line, c.time, c.source, c.component, c.thread]
}

/// Draws the log view; the body rows marked in `keep` are left as they are.
pub(super) fn draw_log(app: &App, buf: &mut Buffer, area: Rect, keep: &[bool]) {
    let theme = &app.theme;
    let cols = columns(app, area.width);
    let right = area.x + area.width;
    // Header.
    let head = theme.style(Role::Heading);
    let mut x = area.x + cols.gutter;
    let mut header = |x: &mut u16, w: u16, label: &str| {
        if w > 0 {
            put(buf, *x, area.y, right, label, head);
            *x += w;
        }
    };
    header(&mut x, cols.line, "line");
    header(&mut x, cols.time, if app.utc { "time UTC" } else { "time" });
    header(&mut x, cols.source, "source");
    header(&mut x, cols.component, "component");
    // The thread column is narrow: a short label keeps it apart from "message".
    header(&mut x, cols.thread, "thr");
    let mut label = String::from("message");
    if app.view.hscroll > 0 {
        label.push_str(&format!(
            "  (scrolled {} columns; 0 resets)",
            app.view.hscroll
        ));
    }
    put(buf, x, area.y, right, &label, head);
    if app.focus == Pane::Log {
        buf.set_style(
            Rect::new(area.x, area.y, 1, 1),
            theme.style(Role::BorderFocused),
        );
        put(
            buf,
            area.x,
            area.y,
            right,
            "▌",
            theme.style(Role::BorderFocused),
        );
    }

    let body = area.height.saturating_sub(1) as usize;
    let len = app.rows.len();
    if len == 0 {
        let msg = match &app.load.state {
            LoadState::Indexing { .. } | LoadState::Analysing => "Loading…",
            _ if app.rows.is_explicit() && app.filter.progress(app.log.len()).is_some() => {
                "Filtering…"
            }
            _ if app.rows.is_explicit() => "No record passes the filters (x clears them).",
            _ => "This log is empty.",
        };
        put(
            buf,
            area.x + 2,
            area.y + 1,
            right,
            msg,
            theme.style(Role::Dim),
        );
        return;
    }
    let top = super::first_shown(app, body);
    for i in 0..body {
        let row = top + i;
        if row >= len {
            break;
        }
        if keep.get(i).copied().unwrap_or(false) {
            continue;
        }
        let y = area.y + 1 + i as u16;
        draw_row(app, buf, Rect::new(area.x, y, area.width, 1), &cols, row);
    }
}

/// The time column's text: `HH:MM:SS.mmm` from the raw time, bias dropped.
fn short_time(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    let end = s.find(['+', '-']).unwrap_or(s.len());
    sanitize(&s[..end]).chars().take(12).collect()
}

/// The time column's text in UTC (the record's bias applied): merged logs from machines
/// in other zones line up. Empty for a bias no Windows zone has.
fn utc_time(ts: crate::parse::Timestamp) -> String {
    ts.utc()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|d| d.format("%H:%M:%S%.3f").to_string())
        .unwrap_or_default()
}

/// A message as one line: line breaks become a visible mark; only the part that can show is
/// decoded.
fn one_line(bytes: &[u8], upto_cols: usize) -> String {
    let max = upto_cols
        .saturating_mul(ROW_BYTES_PER_COLUMN)
        .saturating_add(64);
    let cut = &bytes[..bytes.len().min(max)];
    let text = String::from_utf8_lossy(cut);
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('\n').enumerate() {
        let part = part.strip_suffix('\r').unwrap_or(part);
        if i > 0 {
            out.push_str(" ⏎ ");
        }
        out.push_str(&sanitize(part));
    }
    out
}

fn draw_row(app: &App, buf: &mut Buffer, area: Rect, cols: &Columns, row: usize) {
    let theme = &app.theme;
    let log = &app.log;
    let Some(kind) = app.rows.row(row) else {
        return;
    };
    let pos = kind.pos();
    if pos >= log.len() {
        return;
    }
    let r = log.at(pos);
    let meta = log.meta(r);
    let fields = log.fields(r);
    let right = area.x + area.width;
    let y = area.y;
    let selected = row == app.view.cursor;
    let member = app.index.member(pos);

    let sev = meta.severity();
    let mut msg_style = severity_style(theme, sev);
    let mut mark = " ";
    let mut mark_style = theme.style(Role::Marker);
    // What happened to a followed file just before this record: the explorer's words, an
    // annotation on the row, not a line of the log.
    let note = app.live.markers.get(&r);
    match (kind, member) {
        (Row::Chain { .. }, _) => {
            msg_style = theme.style(Role::ChainFolded);
            mark = "▸";
            mark_style = theme.style(Role::ChainFolded);
        }
        (Row::Record(_), Some((_, MemberKind::Root))) => {
            msg_style = theme.style(Role::ChainRoot);
            mark = "◆";
            mark_style = msg_style;
        }
        (Row::Record(_), Some((_, MemberKind::Frame))) => {
            msg_style = theme.style(Role::ChainFrame);
            mark = "│";
            mark_style = msg_style;
        }
        (Row::Record(_), Some((_, MemberKind::Summary))) => {
            msg_style = theme
                .style(Role::ChainFrame)
                .patch(severity_style(theme, sev));
            mark = "└";
            mark_style = theme.style(Role::ChainFrame);
        }
        _ => {}
    }
    if note.is_some() {
        mark = "─";
        mark_style = theme.style(Role::Heading);
    }
    let sel = |s: Style| {
        if selected {
            s.patch(theme.style(Role::Selection))
        } else {
            s
        }
    };
    if selected {
        buf.set_style(area, theme.style(Role::Selection));
    }
    let bookmarked = app.bookmarks.contains(&r);
    let mut x = area.x;
    put(
        buf,
        x,
        y,
        right,
        if bookmarked { "●" } else { " " },
        sel(theme.style(Role::Bookmark)),
    );
    x += 1;
    put(buf, x, y, right, mark, sel(mark_style));
    x = area.x + cols.gutter;
    if cols.line > 0 {
        let text = format!("{:>w$} ", meta.line, w = cols.line as usize - 1);
        put(buf, x, y, right, &text, sel(theme.style(Role::LineNumber)));
        x += cols.line;
    }
    if cols.time > 0 {
        let t = if app.utc {
            fields.timestamp().map(utc_time).unwrap_or_default()
        } else {
            fields.time.map(short_time).unwrap_or_default()
        };
        put(buf, x, y, right, &t, sel(theme.style(Role::Time)));
        x += cols.time;
    }
    if cols.source > 0 {
        let name = short_name(&log.source(r).text.path);
        let clean = sanitize(&name);
        let t = truncate_with_ellipsis(&clean, cols.source as usize - 1);
        put(buf, x, y, right, &t, sel(theme.style(Role::Source)));
        x += cols.source;
    }
    let (component, thread) = match kind {
        Row::Chain { chain, .. } => {
            let c = app.analysis.chains.get(chain);
            (
                c.and_then(|c| c.component.clone()),
                c.and_then(|c| c.thread),
            )
        }
        Row::Record(_) => (fields.component_str().map(Cow::into_owned), fields.thread),
    };
    if cols.component > 0 {
        let clean = sanitize(component.as_deref().unwrap_or(""));
        let t = truncate_with_ellipsis(&clean, cols.component as usize - 1);
        put(buf, x, y, right, &t, sel(theme.style(Role::Component)));
        x += cols.component;
    }
    if cols.thread > 0 {
        let t = thread.map(|t| t.to_string()).unwrap_or_default();
        let t = truncate_with_ellipsis(&t, cols.thread as usize - 1).into_owned();
        put(buf, x, y, right, &t, sel(theme.style(Role::Thread)));
        x += cols.thread;
    }
    if x >= right {
        return;
    }
    let width = (right - x) as usize;
    let (text, names) = match kind {
        Row::Chain { chain, .. } => (chain_summary(app, chain), Vec::new()),
        Row::Record(_) => with_code_names(one_line(fields.message, app.view.hscroll + width)),
    };
    let visible = slice_columns(&text, app.view.hscroll, width);
    let base = sel(msg_style);
    let end = put(buf, x, y, right, &visible, base);
    // Styles over parts of the message, in text offsets, drawn where they fall on screen.
    let paint = |buf: &mut Buffer, range: std::ops::Range<usize>, style: Style| {
        let (Some(head), Some(part)) = (text.get(..range.start), text.get(range.clone())) else {
            return;
        };
        let from = display_width(head);
        let to = from + display_width(part);
        let from = from.max(app.view.hscroll) - app.view.hscroll;
        let to = to.saturating_sub(app.view.hscroll);
        if to <= from {
            return;
        }
        let sx = x.saturating_add(from.min(u16::MAX as usize) as u16);
        if sx >= end {
            return;
        }
        let w = ((to - from).min(u16::MAX as usize) as u16).min(end - sx);
        buf.set_style(Rect::new(sx, y, w, 1), style);
    };
    for range in &names {
        paint(buf, range.clone(), sel(theme.style(Role::CodeName)));
    }
    let mut lit = false;
    for h in app.filter.highlights.iter().filter(|h| h.on) {
        let style = theme.style(HIGHLIGHT_ROLES[h.colour % HIGHLIGHT_ROLES.len()]);
        for r in h.pattern.find_ranges(&text) {
            paint(buf, r, style);
            lit = true;
        }
        if lit {
            // The line number takes the colour too, so a highlighted row shows at a glance
            // even when its match is scrolled out of sight.
            if cols.line > 0 {
                let lx = area.x + cols.gutter;
                buf.set_style(Rect::new(lx, y, cols.line.saturating_sub(1), 1), style);
            }
            break;
        }
    }
    if let Some(s) = &app.prompt.search {
        let hl = theme.style(if selected {
            Role::SearchCurrent
        } else {
            Role::SearchMatch
        });
        for r in s.pattern.find_ranges(&text) {
            paint(buf, r, hl);
        }
    }
    if let Some(note) = note {
        // After the message when there is room, else over the end of it (which scrolls to
        // show what it hides), but over no more than half of it.
        let clean = sanitize(note);
        let room = width
            .saturating_sub(display_width(&visible) + 1)
            .max(width / 2);
        let label = truncate_with_ellipsis(&clean, room.saturating_sub(2).max(1));
        let label = format!(" {label} ");
        let w = display_width(&label).min(width) as u16;
        let sx = (right - w).min(end.saturating_add(1)).max(x);
        put(buf, sx, y, right, &label, sel(theme.style(Role::Heading)));
    }
}

/// The styles of the highlight colours, in the order highlights take them.
pub(super) const HIGHLIGHT_ROLES: [Role; crate::tui::filters::HIGHLIGHT_COLOURS] = [
    Role::Highlight1,
    Role::Highlight2,
    Role::Highlight3,
    Role::Highlight4,
];

/// A message with each code's symbolic name written after it (`0x80070005 E_ACCESSDENIED`),
/// and where those names are. A name already written beside its code is not repeated.
fn with_code_names(text: String) -> (String, Vec<std::ops::Range<usize>>) {
    let hits = crate::codes::find_codes(&text);
    if hits.is_empty() {
        return (text, Vec::new());
    }
    let mut out = String::with_capacity(text.len() + 32 * hits.len());
    let mut names = Vec::new();
    let mut at = 0;
    for h in hits {
        let Some(name) = code_name(h.value).filter(|_| h.value != 0) else {
            continue;
        };
        let (Some(head), Some(after)) = (text.get(at..h.end), text.get(h.end..)) else {
            continue;
        };
        out.push_str(head);
        at = h.end;
        let next = after.trim_start_matches([' ', '(', ':', '=']);
        if next.starts_with(name) {
            continue;
        }
        out.push(' ');
        let start = out.len();
        out.push_str(name);
        names.push(start..out.len());
    }
    out.push_str(text.get(at..).unwrap_or_default());
    (out, names)
}

/// The one line that stands for a folded chain.
fn chain_summary(app: &App, chain: usize) -> String {
    let Some(c) = app.analysis.chains.get(chain) else {
        return String::new();
    };
    let mut s = hex(c.code);
    if let Some(n) = code_name(c.code) {
        s.push(' ');
        s.push_str(n);
    }
    if c.root != c.code {
        s.push_str(" ← root ");
        s.push_str(&hex(c.root));
        if let Some(n) = code_name(c.root) {
            s.push(' ');
            s.push_str(n);
        }
    }
    s.push_str(&format!(" · {} frames", c.frames.len()));
    if let Some(o) = &c.origin {
        s.push_str(" · ");
        s.push_str(&sanitize(o));
    }
    if let Some(t) = &c.summary_text {
        s.push_str(" · ");
        s.push_str(&one_line(t.as_bytes(), 400));
    }
    s
}
