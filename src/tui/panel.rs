//! The side panel's text (the finding and the selected record, decoded) and the text the
//! copy keys put on the clipboard. Everything from the log goes through `sanitize` here.

use std::fmt::Write as _;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::analysis::chains::Chain;
use crate::codes::{decode, find_codes};
use crate::kb::{Confidence, Finding};
use crate::log::{Log, RecordRef};
use crate::parse::Severity;
use crate::present::{code_name, hex, short_name, Stamp};
use crate::sanitize::{display_width, sanitize, slice_columns};
use crate::tui::theme::{Role, Theme};

use super::app::{App, LoadState, Pane};
use super::rows::Row;

/// Longest message the panel shows, in bytes: policy dumps can be megabytes.
const PANEL_MESSAGE_BYTES: usize = 4096;
/// Most lines of a message the panel shows.
const PANEL_MESSAGE_LINES: usize = 14;

/// The panel's lines for a given width, and where each evidence line starts.
pub struct PanelText {
    /// Lines, styled.
    pub lines: Vec<Line<'static>>,
    /// Index in `lines` of each evidence entry of the open finding.
    pub evidence_lines: Vec<usize>,
}

/// Cuts `bytes` to at most `max` bytes at a character boundary and decodes it.
fn bounded_text(bytes: &[u8], max: usize) -> (String, bool) {
    let cut = bytes.len() > max;
    let s = String::from_utf8_lossy(&bytes[..bytes.len().min(max)]).into_owned();
    (s, cut)
}

/// Splits already-sanitised `text` into lines of at most `width` columns, at spaces where
/// possible.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    let mut line_w = 0usize;
    for word in text.split(' ') {
        let w = display_width(word);
        if line_w > 0 && line_w + 1 + w > width {
            out.push(std::mem::take(&mut line));
            line_w = 0;
        }
        if w > width {
            // A word longer than the line: cut it into pieces.
            let mut skip = 0;
            while skip < w {
                let piece = slice_columns(word, skip, width);
                let pw = display_width(&piece);
                if line_w > 0 {
                    out.push(std::mem::take(&mut line));
                }
                line = piece.trim_end().to_string();
                line_w = pw;
                skip += width;
            }
            continue;
        }
        if line_w > 0 {
            line.push(' ');
            line_w += 1;
        }
        line.push_str(word);
        line_w += w;
    }
    if line_w > 0 || out.is_empty() {
        out.push(line);
    }
    out
}

struct Builder<'t> {
    theme: &'t Theme,
    width: usize,
    lines: Vec<Line<'static>>,
}

impl Builder<'_> {
    fn heading(&mut self, text: &str) {
        if !self.lines.is_empty() {
            self.lines.push(Line::default());
        }
        self.lines.push(Line::from(Span::styled(
            text.to_string(),
            self.theme.style(Role::Heading),
        )));
    }

    /// Wrapped text with a first-line prefix and a hanging indent.
    fn para(&mut self, prefix: &str, text: &str, role: Role) {
        let style = self.theme.style(role);
        let indent = display_width(prefix);
        let clean = sanitize(text);
        let body = self.width.saturating_sub(indent).max(8);
        for (i, l) in wrap(&clean, body).into_iter().enumerate() {
            let lead = if i == 0 {
                prefix.to_string()
            } else {
                " ".repeat(indent)
            };
            self.lines.push(Line::from(vec![
                Span::styled(lead, self.theme.style(Role::Dim)),
                Span::styled(l, style),
            ]));
        }
    }

    fn spans(&mut self, spans: Vec<Span<'static>>) {
        self.lines.push(Line::from(spans));
    }
}

fn confidence_role(c: Confidence) -> Role {
    match c {
        Confidence::High => Role::ConfidenceHigh,
        Confidence::Medium => Role::ConfidenceMedium,
        Confidence::Low => Role::ConfidenceLow,
    }
}

/// The text of the side panel for `width` columns.
pub fn build(app: &App, width: usize) -> PanelText {
    let mut b = Builder {
        theme: &app.theme,
        width: width.max(10),
        lines: Vec::new(),
    };
    let mut evidence_lines = Vec::new();
    let findings = &app.analysis.findings;
    match app
        .panel
        .finding
        .and_then(|i| findings.get(i).map(|f| (i, f)))
    {
        Some((i, f)) => finding_lines(app, &mut b, i, f, &mut evidence_lines),
        None => {
            let hint = match (&app.load.state, findings.len()) {
                (LoadState::Ready, 0) => "No known problem found in this log.".to_string(),
                (LoadState::Ready, 1) => "1 finding: press i to open it.".to_string(),
                (LoadState::Ready, n) => format!("{n} findings: press i to open the first."),
                (LoadState::Failed(_), _) => "Loading failed: no analysis.".to_string(),
                _ => "The analysis runs once the log is loaded.".to_string(),
            };
            b.para("", &hint, Role::Dim);
            errors_to_read_lines(app, &mut b, &mut evidence_lines);
        }
    }
    match app.current_row() {
        Some(Row::Chain { chain, .. }) => {
            if let Some(c) = app.analysis.chains.get(chain) {
                chain_lines(&app.log, &mut b, c);
            }
        }
        Some(Row::Record(pos)) => record_lines(app, &mut b, pos),
        None => {}
    }
    PanelText {
        lines: b.lines,
        evidence_lines,
    }
}

fn finding_lines(
    app: &App,
    b: &mut Builder<'_>,
    i: usize,
    f: &Finding,
    evidence_lines: &mut Vec<usize>,
) {
    let n = app.analysis.findings.len();
    b.spans(vec![
        Span::styled(
            format!("Finding {}/{n} ", i + 1),
            b.theme.style(Role::Title),
        ),
        Span::styled(
            format!("[{}]", f.confidence),
            b.theme.style(confidence_role(f.confidence)),
        ),
        Span::styled(
            if f.occurrences > 1 {
                format!(" seen {} times", f.occurrences)
            } else {
                String::new()
            },
            b.theme.style(Role::Dim),
        ),
    ]);
    b.para("", &f.title, Role::Title);
    match f.causes.as_slice() {
        [only] => {
            b.heading("Cause");
            b.para("", only, Role::Normal);
        }
        several => {
            b.heading("Causes, most likely first");
            for (k, cause) in several.iter().enumerate() {
                b.para(&format!("{}. ", k + 1), cause, Role::Normal);
            }
        }
    }
    if !f.fix.is_empty() {
        b.heading("Fix");
        for (k, step) in f.fix.iter().enumerate() {
            b.para(&format!("{}. ", k + 1), step, Role::Normal);
        }
    }
    if !f.references.is_empty() {
        b.heading("References");
        for r in &f.references {
            b.para("- ", r, Role::Dim);
        }
    }
    if let Some(v) = &f.versions {
        b.heading("Affects");
        b.para("", v, Role::Dim);
    }
    if !f.evidence.is_empty() {
        b.heading("Evidence (Tab, then Enter jumps)");
        for (k, e) in f.evidence.iter().enumerate() {
            evidence_lines.push(b.lines.len());
            let selected = k == app.panel.evidence_sel;
            let mark = if selected { "> " } else { "  " };
            let place = format!("{}:{} ", short_name(&e.source), e.line);
            let mut style = b.theme.style(Role::Normal);
            if selected && app.focus == Pane::Panel {
                style = style.patch(b.theme.style(Role::Selection));
            }
            let clean = sanitize(&e.text);
            let room = b
                .width
                .saturating_sub(display_width(mark) + display_width(&place));
            let text = crate::sanitize::truncate_with_ellipsis(&clean, room).into_owned();
            b.spans(vec![
                Span::styled(mark.to_string(), b.theme.style(Role::Marker)),
                Span::styled(place, b.theme.style(Role::LineNumber).patch(style)),
                Span::styled(text, style),
            ]);
        }
    }
}

/// Most lines of the panel one error to read takes, its codes aside.
const ERROR_TEXT_LINES: usize = 3;

/// The errors to read (no finding open), most telling first, selectable and jumping like a
/// finding's evidence: each its line (and file, when the log has several), its text wrapped
/// over a few lines, and its codes named.
fn errors_to_read_lines(app: &App, b: &mut Builder<'_>, evidence_lines: &mut Vec<usize>) {
    let errors = &app.analysis.errors_to_read;
    if errors.is_empty() {
        return;
    }
    b.heading("Errors to read (Tab, Enter jumps)");
    let several = app.log.sources.len() > 1;
    for (k, e) in errors.iter().enumerate() {
        evidence_lines.push(b.lines.len());
        let selected = k == app.panel.evidence_sel;
        let mark = if selected { "> " } else { "  " };
        let mut place = if several {
            format!("{}:{} ", short_name(&e.source), e.line)
        } else {
            format!("{:>4} ", e.line)
        };
        if e.repeats > 1 {
            place.push_str(&format!("×{} ", e.repeats));
        }
        let mut style = b.theme.style(Role::Normal);
        if selected && app.focus == Pane::Panel {
            style = style.patch(b.theme.style(Role::Selection));
        }
        let indent = display_width(mark) + display_width(&place);
        let room = b.width.saturating_sub(indent).max(8);
        let mut lines = wrap(&sanitize(&e.text), room);
        if lines.len() > ERROR_TEXT_LINES {
            lines.truncate(ERROR_TEXT_LINES);
            if let Some(last) = lines.last_mut() {
                *last = crate::sanitize::truncate_with_ellipsis(&format!("{last} …"), room)
                    .into_owned();
            }
        }
        for (i, l) in lines.into_iter().enumerate() {
            let lead = if i == 0 {
                vec![
                    Span::styled(mark.to_string(), b.theme.style(Role::Marker)),
                    Span::styled(place.clone(), b.theme.style(Role::LineNumber).patch(style)),
                ]
            } else {
                vec![Span::styled(" ".repeat(indent), b.theme.style(Role::Dim))]
            };
            let mut spans = lead;
            spans.push(Span::styled(l, style));
            b.spans(spans);
        }
        for c in &e.codes {
            let mut head = vec![
                Span::styled(" ".repeat(indent), b.theme.style(Role::Dim)),
                Span::styled(c.code.clone(), b.theme.style(Role::Code)),
            ];
            if let Some(n) = c.name {
                head.push(Span::styled(format!(" {n}"), b.theme.style(Role::Heading)));
            }
            b.spans(head);
            if let Some(m) = &c.meaning {
                b.para(&" ".repeat(indent + 2), m, Role::Normal);
            }
        }
    }
}

fn codes_lines(b: &mut Builder<'_>, codes: &[u32]) {
    if codes.is_empty() {
        return;
    }
    b.heading("Codes");
    for &c in codes {
        let d = decode(c);
        let mut head = vec![Span::styled(hex(c), b.theme.style(Role::Code))];
        // The name the log view shows inline; where Windows' name would mislead, the
        // decoder's warning below says so (and names it).
        if let Some(n) = code_name(c) {
            head.push(Span::styled(format!(" {n}"), b.theme.style(Role::Heading)));
        }
        b.spans(head);
        if let Some(m) = d.meaning {
            b.para("  ", m, Role::Normal);
        }
        if let Some(w) = &d.warning {
            b.para("  ! ", w, Role::Warning);
        }
    }
}

fn record_lines(app: &App, b: &mut Builder<'_>, pos: usize) {
    if pos >= app.log.len() {
        return;
    }
    let r = app.log.at(pos);
    let f = app.log.fields(r);
    let meta = app.log.meta(r);
    b.heading("Record");
    let src = &app.log.source(r).text.path;
    let mut place = format!("{}:{}", short_name(src), meta.line);
    if !app.load.lines_known {
        place = short_name(src);
    }
    let mut facts = vec![place];
    if let Some(c) = f.component_str() {
        facts.push(c.into_owned());
    }
    if let Some(t) = f.thread {
        facts.push(format!("thread {t}"));
    }
    if let Some(ts) = f.timestamp() {
        facts.push(Stamp(ts.local).to_string());
    }
    let sev = meta.severity();
    let role = match sev {
        Severity::Error => Role::Error,
        Severity::Warning => Role::Warning,
        Severity::Info => Role::Dim,
    };
    b.para("", &facts.join(" · "), Role::Dim);
    if sev != Severity::Info {
        b.para("", sev.name(), role);
    }
    if let Some((chain, _)) = app.index.member(pos) {
        if let Some(c) = app.analysis.chains.get(chain) {
            let line = format!(
                "in chain {} of {} ({} frames; Enter folds)",
                chain + 1,
                app.analysis.chains.len(),
                c.frames.len()
            );
            b.para("", &line, Role::ChainFrame);
        }
    }
    let (text, cut) = bounded_text(f.message, PANEL_MESSAGE_BYTES);
    let mut shown = 0usize;
    for raw in text.lines() {
        if shown >= PANEL_MESSAGE_LINES {
            break;
        }
        let before = b.lines.len();
        b.para("", raw, Role::Normal);
        shown += b.lines.len() - before;
    }
    if cut || shown >= PANEL_MESSAGE_LINES {
        b.para("", "… (y copies the whole record)", Role::Dim);
    }
    let mut codes: Vec<u32> = find_codes(&text).into_iter().map(|h| h.value).collect();
    codes.dedup();
    let mut seen = Vec::new();
    codes.retain(|c| {
        let new = !seen.contains(c);
        seen.push(*c);
        new
    });
    codes_lines(b, &codes);
    (crate::codes::extend_notes(&text).iter()).for_each(|n| b.para("  ", n, Role::Normal));
}

fn chain_lines(log: &Log, b: &mut Builder<'_>, c: &Chain) {
    b.heading("Chain (folded; Enter opens it)");
    let mut head = hex(c.code);
    if c.root != c.code {
        let _ = write!(head, ", root {}", hex(c.root));
    }
    let _ = write!(head, " · {} frames", c.frames.len());
    if let Some(comp) = &c.component {
        let _ = write!(head, " · {comp}");
    }
    if let Some(t) = c.thread {
        let _ = write!(head, " · thread {t}");
    }
    b.para("", &head, Role::ChainFolded);
    if let Some(s) = &c.summary_text {
        b.para("", s, Role::Normal);
    }
    let root = c.root_frame();
    for (k, (r, fr)) in c.frames.iter().enumerate() {
        let mark = if k == root { "* " } else { "  " };
        let text = format!("{} ({})", fr.expr, hex(fr.code));
        let role = if k == root {
            Role::ChainRoot
        } else {
            Role::ChainFrame
        };
        let line = if r.source as usize >= log.sources.len() {
            0
        } else {
            log.meta(*r).line
        };
        b.para(&format!("{mark}{line:>6} "), &text, role);
    }
    let mut codes = vec![c.root];
    if c.code != c.root {
        codes.push(c.code);
    }
    for (_, f) in &c.frames {
        if !codes.contains(&f.code) {
            codes.push(f.code);
        }
    }
    codes_lines(b, &codes);
}

/// The raw text of the selected record, or of every record of the folded chain under the
/// cursor.
pub fn record_copy_text(app: &App) -> Option<String> {
    let refs: Vec<RecordRef> = match app.current_row()? {
        Row::Record(pos) => vec![app.log.at(pos)],
        Row::Chain { chain, .. } => app
            .index
            .chain_members
            .get(chain)?
            .iter()
            .map(|&p| app.log.at(p as usize))
            .collect(),
    };
    let mut out = String::new();
    for r in refs {
        let raw = app.log.source(r).raw(r.index as usize);
        out.push_str(&String::from_utf8_lossy(raw));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    Some(out)
}

/// The open finding (or the first) as plain text for a ticket, with its evidence.
pub fn finding_copy_text(app: &App) -> Option<String> {
    let f = app
        .panel
        .finding
        .or(if app.analysis.findings.is_empty() {
            None
        } else {
            Some(0)
        })
        .and_then(|i| app.analysis.findings.get(i))?;
    let mut s = String::new();
    let _ = writeln!(s, "{} [{}] ({})", f.title, f.confidence, f.id);
    match f.causes.as_slice() {
        [only] => {
            let _ = writeln!(s, "\nCause: {only}");
        }
        several => {
            let _ = writeln!(s, "\nCauses, most likely first:");
            for (i, c) in several.iter().enumerate() {
                let _ = writeln!(s, "{}. {c}", i + 1);
            }
        }
    }
    if !f.fix.is_empty() {
        let _ = writeln!(s, "\nFix:");
        for (i, step) in f.fix.iter().enumerate() {
            let _ = writeln!(s, "{}. {step}", i + 1);
        }
    }
    if !f.references.is_empty() {
        let _ = writeln!(s, "\nReferences:");
        for r in &f.references {
            let _ = writeln!(s, "- {r}");
        }
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(s, "\nEvidence:");
        for e in &f.evidence {
            let _ = writeln!(s, "{}:{}: {}", e.source, e.line, e.text);
        }
    }
    Some(s)
}

/// Style for text of a given severity.
pub fn severity_style(theme: &Theme, sev: Severity) -> Style {
    theme.style(match sev {
        Severity::Error => Role::Error,
        Severity::Warning => Role::Warning,
        Severity::Info => Role::Info,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_respects_width() {
        let w = wrap("the quick brown fox jumps over the lazy dog", 10);
        assert!(w.iter().all(|l| display_width(l) <= 10), "{w:?}");
        assert_eq!(w.join(" "), "the quick brown fox jumps over the lazy dog");
        let w = wrap("aaaaaaaaaaaaaaaaaaaaaaaaa", 10);
        assert_eq!(w.len(), 3);
        assert_eq!(wrap("", 5), vec![String::new()]);
    }
}
