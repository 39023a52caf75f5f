//! Drawing: a pure function of the state. Only the rows on screen are looked at, so a frame
//! costs the same at any position of any log.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};
use ratatui::Frame;

use crate::analysis::StepOutcome;
use crate::present::{code_name, duration, failure_place, hex, short_name};
use crate::sanitize::{display_width, sanitize, slice_columns, truncate_with_ellipsis};
use crate::tui::theme::{Role, Theme};

use super::app::{App, LoadState, Pane};
use super::keymap::{BINDINGS, GROUPS};
use super::layout::layout;
use super::panel::{self, severity_style};
use super::rows::{MemberKind, Row};
use crate::tui::filters::Filter;

/// Bytes of a message formatted per visible row at most, beyond the horizontal scroll:
/// a row shows a screen's width, not a megabyte.
const ROW_BYTES_PER_COLUMN: usize = 8;

/// Draws the whole screen.
pub fn view(app: &App, frame: &mut Frame<'_>) {
    let area = frame.area();
    let lay = layout(app, area);
    let theme = &app.theme;
    let buf = frame.buffer_mut();
    // The whole screen, cell after cell: `Buffer::set_style` finds each cell by its
    // position, which costs a frame more than it should on every one of its cells.
    let normal = theme.style(Role::Normal);
    if buf.area == area {
        for cell in &mut buf.content {
            cell.set_style(normal);
        }
    } else {
        buf.set_style(area, normal);
    }
    if lay.too_small {
        draw_too_small(buf, area, theme);
        return;
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
    if let Some(pos) = draw_status(app, buf, lay.status) {
        frame.set_cursor_position(pos);
    }
    if let Some(scroll) = app.help {
        draw_help(app, frame.buffer_mut(), area, scroll);
    }
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

fn draw_log(app: &App, buf: &mut Buffer, area: Rect) {
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
    let top = app.view.top.min(len.saturating_sub(body.max(1)));
    for i in 0..body {
        let row = top + i;
        if row >= len {
            break;
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
const HIGHLIGHT_ROLES: [Role; crate::tui::filters::HIGHLIGHT_COLOURS] = [
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

/// What a cell of the overview strip marks, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    Finding,
    Error,
    Chain,
    Warning,
    Bookmark,
    Step,
}

/// True when a sorted list has a value in `range`.
fn any_in(list: &[u32], range: &std::ops::Range<usize>) -> bool {
    let i = list.partition_point(|&p| (p as usize) < range.start);
    list.get(i).is_some_and(|&p| (p as usize) < range.end)
}

/// The mark of each cell of an overview strip `h` cells tall over a log of `len` records:
/// cell `i` stands for positions `i * len / h .. (i + 1) * len / h`. A binary search per
/// list and cell, so it costs the same for any size of log.
fn overview_marks(app: &App, h: usize) -> Vec<Option<Mark>> {
    let len = app.log.len();
    let ix = &app.index;
    let mut evidence: Vec<u32> = app
        .analysis
        .findings
        .iter()
        .flat_map(|f| f.evidence.iter().map(|e| e.index as u32))
        .collect();
    evidence.sort_unstable();
    let mut marks: Vec<u32> = app
        .bookmarks
        .iter()
        .map(|r| ix.position(&app.log, *r) as u32)
        .collect();
    marks.sort_unstable();
    (0..h)
        .map(|i| {
            let range = i * len / h..((i + 1) * len / h).max(i * len / h + 1);
            [
                (&evidence[..], Mark::Finding),
                (&ix.errors[..], Mark::Error),
                (&ix.chain_heads[..], Mark::Chain),
                (&ix.warnings[..], Mark::Warning),
                (&marks[..], Mark::Bookmark),
                (&ix.step_starts[..], Mark::Step),
            ]
            .into_iter()
            .find(|(list, _)| any_in(list, &range))
            .map(|(_, m)| m)
        })
        .collect()
}

/// The overview strip: where findings, errors, chains, warnings, bookmarks and step starts
/// fall across the whole log, and which part the screen shows.
fn draw_overview(app: &App, buf: &mut Buffer, area: Rect) {
    let theme = &app.theme;
    let h = area.height as usize;
    let len = app.log.len();
    if h == 0 || len == 0 {
        return;
    }
    let page = area.height as usize;
    let first = app.rows.pos(app.view.top).unwrap_or(0);
    let last = app
        .rows
        .pos((app.view.top + page).min(app.rows.len()).saturating_sub(1))
        .unwrap_or(first);
    let view_from = first * h / len;
    let view_to = last * h / len;
    for (i, mark) in overview_marks(app, h).into_iter().enumerate() {
        let y = area.y + i as u16;
        let (sym, role) = match mark {
            Some(Mark::Finding) => ("◆", Role::ConfidenceHigh),
            Some(Mark::Error) => ("█", Role::Error),
            Some(Mark::Chain) => ("▓", Role::ChainFolded),
            Some(Mark::Warning) => ("▒", Role::Warning),
            Some(Mark::Bookmark) => ("●", Role::Bookmark),
            Some(Mark::Step) => ("─", Role::Overview),
            None => ("│", Role::Overview),
        };
        let mut style = theme.style(role);
        if (view_from..=view_to).contains(&i) {
            style = style.patch(theme.style(Role::OverviewView));
        }
        put(buf, area.x, y, area.x + area.width, sym, style);
    }
}

/// The filter pane: the filters, then the highlights, each with its switch.
fn draw_filters(app: &App, buf: &mut Buffer, area: Rect) {
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

fn draw_panel(app: &App, buf: &mut Buffer, area: Rect) {
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

fn draw_steps(app: &App, buf: &mut Buffer, area: Rect) {
    let theme = &app.theme;
    let t = &app.analysis.steps;
    let focused = app.focus == Pane::Steps;
    let mut title = format!(" Steps ({}) · {}", t.steps.len(), t.outcome.name());
    if let Some(f) = &t.failing_step {
        title.push_str(&format!(
            " · {}",
            failure_place(&sanitize(f), !t.steps.is_empty())
        ));
    }
    if let Some(c) = t.exit_code {
        title.push_str(&format!(" · {}", hex(c)));
    }
    title.push(' ');
    let block = pane_block(app, title, focused, Borders::TOP);
    let inner = block.inner(area);
    block.render(area, buf);
    let h = inner.height as usize;
    if h == 0 || t.steps.is_empty() {
        return;
    }
    let sel = if focused {
        Some(app.steps.sel)
    } else {
        app.current_step()
    };
    let anchor = sel.unwrap_or(0);
    let top = anchor
        .saturating_sub(h / 2)
        .min(t.steps.len().saturating_sub(h));
    let last_run = t.steps.last().map_or(0, |s| s.run);
    let any_reboot = app.index.any_reboot;
    let right = inner.x + inner.width;
    for (i, step) in t.steps.iter().enumerate().skip(top).take(h) {
        let y = inner.y + (i - top) as u16;
        let (sym, role) = match step.outcome {
            StepOutcome::Succeeded => ("✓", Role::StepSucceeded),
            StepOutcome::Failed => ("✗", Role::StepFailed),
            StepOutcome::Skipped => ("-", Role::StepSkipped),
            // Failed and went on: marked, but coloured as a warning, not a failure.
            StepOutcome::Ignored => ("!", Role::StepRunning),
            StepOutcome::Running => ("…", Role::StepRunning),
        };
        let failing = step.outcome == StepOutcome::Failed
            && step.run == last_run
            && t.failing_step.as_deref() == Some(step.name.as_str());
        let mut style = theme.style(role);
        let is_sel = sel == Some(i);
        if is_sel {
            let row = Rect::new(inner.x, y, inner.width, 1);
            buf.set_style(row, theme.style(Role::Selection));
            style = style.patch(theme.style(Role::Selection));
        }
        let dim = if is_sel {
            theme.style(Role::Dim).patch(theme.style(Role::Selection))
        } else {
            theme.style(Role::Dim)
        };
        let mut x = inner.x;
        x = put(buf, x, y, right, if is_sel { "▶" } else { " " }, style);
        x = put(buf, x, y, right, &format!("{sym} "), style);
        x = put(buf, x, y, right, &format!("{:>4} ", step.pointer), dim);
        let dur = step.duration_ms().map(duration).unwrap_or_default();
        let code = step
            .exit_code
            .filter(|&c| c != 0)
            .map(hex)
            .unwrap_or_default();
        let mut tail = format!(" {dur:>7} {:<9} {code:<10}", step.outcome.name());
        if any_reboot {
            tail.push_str(if step.reboot { " reboot" } else { "       " });
        }
        if failing {
            tail.push_str(" ◀ failing");
        } else if t.failing_step.is_some() {
            tail.push_str("          ");
        }
        let room = (right.saturating_sub(x) as usize).saturating_sub(display_width(&tail));
        let name = sanitize(&step.name);
        let name = crate::sanitize::fit_width(&name, room);
        x = put(buf, x, y, right, &name, style);
        put(buf, x, y, right, &tail, style);
    }
}

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
fn draw_status(app: &App, buf: &mut Buffer, area: Rect) -> Option<Position> {
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
        } else if p.kind == super::app::PromptKind::Search {
            if let Some(s) = &app.prompt.search {
                let counting = !s.counted(app.log.len());
                info = format!(
                    "{}{} matches",
                    s.matches.len(),
                    if counting { "+" } else { "" }
                );
            }
        } else if p.kind == super::app::PromptKind::Goto {
            info = "line number, Enter to go".into();
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
        let mut f = app.filter.stack.describe(log);
        if let Some(p) = app.filter.progress(app.log.len()) {
            f.push_str(&format!(" filtering {p}%"));
        }
        f.push_str(&format!(" · {} hidden", app.rows.filtered_count()));
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

fn draw_help(app: &App, buf: &mut Buffer, area: Rect, scroll: usize) {
    let theme = &app.theme;
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
    use ratatui::style::{Color, Modifier};

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
