//! The report as text (for a terminal or a ticket) and as Markdown. Findings come first:
//! they are what the reader came for.

use std::fmt::Write;

use super::Report;
use crate::present::{duration, failure_place};
use crate::sanitize::sanitize;

/// An exit code, or `-` when the log gave none.
fn code(c: Option<super::Hex>) -> String {
    c.map_or_else(|| "-".into(), |h| h.to_string())
}

/// The run's exit code as the explorer's steps title shows it: the code, then its name
/// when it has one (`0x80070002 ERROR_FILE_NOT_FOUND`).
fn run_code(code: &str, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{code} {n}"),
        None => code.to_string(),
    }
}

/// The width of the steps table's name column: the longest code name shown, up to 28
/// (as the explorer's steps pane sizes it); 0 when no step's code has a name.
fn names_width(r: &Report) -> usize {
    // The steps themselves, not their reports: those look up each step's line.
    (r.steps.steps.iter())
        .filter_map(|s| s.exit_code.and_then(crate::present::step_code_name))
        .map(|n| n.chars().count().min(28))
        .max()
        .unwrap_or(0)
}

/// A step's code name cut to `w` characters, padded to `w` and led by a space; nothing
/// when no step has one.
fn name_cell(name: Option<&str>, w: usize) -> String {
    if w == 0 {
        return String::new();
    }
    let n = sanitize(name.unwrap_or(""));
    let n = crate::sanitize::fit_width(&n, w);
    format!(" {n:<w$}")
}

fn ms(d: Option<i64>) -> String {
    d.map_or_else(|| "-".into(), duration)
}

/// Renders the report as plain text.
pub fn render_text(r: &Report) -> String {
    let mut o = String::new();
    let s = &r.summary;
    let _ = writeln!(
        o,
        "Outcome: {}{}{}",
        s.outcome,
        s.failing_step
            .as_ref()
            .map(|f| format!(" {}", failure_place(&sanitize(f), !r.steps.is_empty())))
            .unwrap_or_default(),
        s.exit_code
            .as_ref()
            .map(|c| format!(
                " (exit code {})",
                sanitize(&run_code(c, s.exit_code_name.as_deref()))
            ))
            .unwrap_or_default()
    );
    if let Some(b) = &s.failure_before_steps {
        let _ = writeln!(o, "Failed before the first step: {}", sanitize(b));
    }
    let _ = writeln!(
        o,
        "Records: {}  errors: {}  warnings: {}",
        s.records, s.errors, s.warnings
    );
    for src in &r.sources {
        let _ = writeln!(
            o,
            "Source: {} ({}, {}, {} records, {} bytes)",
            sanitize(&src.path),
            src.format,
            src.encoding,
            src.records,
            src.bytes
        );
    }
    if let Some(end) = &r.log_ends {
        let _ = writeln!(o, "{}", sanitize(&log_ends_words(end)));
    }
    if r.findings.is_empty() {
        let _ = writeln!(o, "\nNo known problem matched.");
    }
    for (i, f) in r.findings.iter().enumerate() {
        let _ = writeln!(
            o,
            "\nFinding {}: {} [{} confidence, rule {}]",
            i + 1,
            sanitize(&f.title),
            f.confidence.as_str(),
            f.id
        );
        if f.occurrences > 1 {
            let _ = writeln!(o, "  Seen {} times.", f.occurrences);
        }
        match f.causes.as_slice() {
            [only] => {
                let _ = writeln!(
                    o,
                    "  Cause: {}",
                    sanitize(only).replace('\n', "\n         ")
                );
            }
            several => {
                let _ = writeln!(o, "  Causes, most likely first:");
                for (n, c) in several.iter().enumerate() {
                    let _ = writeln!(
                        o,
                        "    {}. {}",
                        n + 1,
                        sanitize(c).replace('\n', "\n       ")
                    );
                }
            }
        }
        let _ = writeln!(o, "  Fix:");
        for (n, step) in f.fix.iter().enumerate() {
            let _ = writeln!(o, "    {}. {}", n + 1, sanitize(step));
        }
        if let Some(v) = &f.versions {
            let _ = writeln!(o, "  Affects: {}", sanitize(v));
        }
        for rf in &f.references {
            let _ = writeln!(o, "  See: {}", sanitize(rf));
        }
        let _ = writeln!(o, "  Evidence:");
        for e in &f.evidence {
            let _ = writeln!(
                o,
                "    {}:{}: {}",
                sanitize(&e.source),
                e.line,
                sanitize(e.text.trim())
            );
        }
    }
    if !r.errors_to_read.is_empty() {
        let _ = writeln!(o, "\n{ERRORS_TO_READ}:");
        for (i, e) in r.errors_to_read.iter().enumerate() {
            let _ = writeln!(
                o,
                "  {}. {}:{}{}: {}{}",
                i + 1,
                sanitize(&e.source),
                e.line,
                e.component
                    .as_ref()
                    .map(|c| format!(" [{}]", sanitize(c)))
                    .unwrap_or_default(),
                sanitize(e.text.trim()),
                error_counts(e)
            );
            for c in &e.codes {
                let _ = writeln!(o, "       {}", sanitize(&code_line(c)));
            }
        }
    }
    if !r.chains.is_empty() {
        let _ = writeln!(o, "\nHRESULT chains:");
        for c in &r.chains {
            let root = if c.root != c.hresult {
                format!(
                    " (root {}{})",
                    c.root,
                    c.name.map(|n| format!(" {n}")).unwrap_or_default()
                )
            } else {
                c.name.map(|n| format!(" {n}")).unwrap_or_default()
            };
            let _ = writeln!(
                o,
                "  {}:{}-{}: {}{} x{} frames{}{}",
                sanitize(&c.source),
                c.first_line,
                c.last_line,
                c.hresult,
                root,
                c.frames,
                c.component
                    .as_ref()
                    .map(|x| format!(" [{}]", sanitize(x)))
                    .unwrap_or_default(),
                c.summary
                    .as_ref()
                    .map(|x| format!(": {}", sanitize(x)))
                    .unwrap_or_default()
            );
        }
    }
    if !r.steps.is_empty() {
        let _ = writeln!(o, "\nSteps:");
        let w = names_width(r);
        for st in r.steps.iter() {
            let _ = writeln!(
                o,
                "  {:>4} {:<40} {:<9} {:>10}{} {:>9}  line {}",
                pointer(st.index),
                sanitize(st.name),
                st.outcome,
                code(st.exit_code),
                name_cell(st.exit_code_name, w),
                ms(st.duration_ms),
                st.line
            );
        }
    }
    o
}

/// The heading of the errors to read, in text and Markdown.
const ERRORS_TO_READ: &str =
    "Errors to read (from the log itself, most telling first; no known problem explains the run)";

/// How often an error to read shows, and the frames of its chain, when either is more
/// than the line itself.
fn error_counts(e: &crate::analysis::to_read::ErrorToRead) -> String {
    let mut s = String::new();
    if let Some(n) = e.chain_frames {
        let _ = write!(s, " (root of a chain of {n} frames)");
    }
    if e.repeats > 1 {
        let _ = write!(s, " (seen {} times)", e.repeats);
    }
    s
}

/// A code of an error to read as `lookup` gives it: the code, its name, its meaning.
fn code_line(c: &crate::analysis::to_read::CodeRead) -> String {
    let mut s = c.code.clone();
    if let Some(n) = c.name {
        let _ = write!(s, " {n}");
    }
    if let Some(m) = &c.meaning {
        let _ = write!(s, ": {m}");
    }
    if let Some(n) = &c.note {
        let _ = write!(s, " ({n})");
    }
    s
}

/// Where a log with no recorded end of its run stops, in words.
fn log_ends_words(end: &super::LogEnd) -> String {
    let time = end.time.map(|t| format!(" at {t}")).unwrap_or_default();
    format!(
        "The log records no end of the run: it stops{time} with {}:{}: {}",
        end.source,
        end.line,
        end.text.trim()
    )
}

fn md_escape(s: &str) -> String {
    sanitize(s).replace('|', "\\|").replace('\n', " ")
}

/// Renders the report as Markdown.
pub fn render_markdown(r: &Report) -> String {
    let mut o = String::new();
    let s = &r.summary;
    let _ = writeln!(o, "# tslens report\n");
    let _ = writeln!(
        o,
        "**Outcome:** {}{}{}\n",
        s.outcome,
        s.failing_step
            .as_ref()
            .map(|f| format!(" {}", failure_place(&md_escape(f), !r.steps.is_empty())))
            .unwrap_or_default(),
        s.exit_code
            .as_ref()
            .map(|c| match &s.exit_code_name {
                Some(n) => format!(" (exit code `{c}` {})", md_escape(n)),
                None => format!(" (exit code `{c}`)"),
            })
            .unwrap_or_default()
    );
    if let Some(b) = &s.failure_before_steps {
        let _ = writeln!(o, "**Failed before the first step:** {}\n", md_escape(b));
    }
    let _ = writeln!(
        o,
        "{} records, {} errors, {} warnings.\n",
        s.records, s.errors, s.warnings
    );
    if let Some(end) = &r.log_ends {
        let _ = writeln!(o, "{}\n", md_escape(&log_ends_words(end)));
    }
    for (i, f) in r.findings.iter().enumerate() {
        let _ = writeln!(
            o,
            "## Finding {}: {}\n\n*{} confidence, rule `{}`*\n",
            i + 1,
            md_escape(&f.title),
            f.confidence.as_str(),
            f.id
        );
        match f.causes.as_slice() {
            [only] => {
                let _ = writeln!(o, "**Cause.** {}\n", sanitize(only));
            }
            several => {
                let _ = writeln!(o, "**Causes, most likely first.**\n");
                for (n, c) in several.iter().enumerate() {
                    let _ = writeln!(o, "{}. {}", n + 1, md_escape(c));
                }
                let _ = writeln!(o);
            }
        }
        let _ = writeln!(o, "**Fix.**\n");
        for (n, step) in f.fix.iter().enumerate() {
            let _ = writeln!(o, "{}. {}", n + 1, md_escape(step));
        }
        if !f.references.is_empty() {
            let _ = writeln!(o, "\n**References.**\n");
            for rf in &f.references {
                let _ = writeln!(o, "- {}", md_escape(rf));
            }
        }
        let _ = writeln!(o, "\n**Evidence.**\n\n```");
        for e in &f.evidence {
            let _ = writeln!(
                o,
                "{}:{}: {}",
                sanitize(&e.source),
                e.line,
                sanitize(e.text.trim()).replace("```", "'''")
            );
        }
        let _ = writeln!(o, "```\n");
    }
    if !r.errors_to_read.is_empty() {
        let _ = writeln!(o, "## {ERRORS_TO_READ}\n");
        for (i, e) in r.errors_to_read.iter().enumerate() {
            let _ = writeln!(
                o,
                "{}. `{}:{}`{}: {}{}",
                i + 1,
                md_escape(&e.source).replace('`', "'"),
                e.line,
                e.component
                    .as_ref()
                    .map(|c| format!(" [{}]", md_escape(c)))
                    .unwrap_or_default(),
                md_escape(e.text.trim()),
                error_counts(e)
            );
            for c in &e.codes {
                let _ = writeln!(o, "   - {}", md_escape(&code_line(c)));
            }
        }
        let _ = writeln!(o);
    }
    if !r.chains.is_empty() {
        let _ = writeln!(o, "## HRESULT chains\n\n| lines | code | root | frames | summary |\n|---|---|---|---|---|");
        for c in &r.chains {
            let _ = writeln!(
                o,
                "| {}:{}-{} | `{}` | `{}`{} | {} | {} |",
                md_escape(&c.source),
                c.first_line,
                c.last_line,
                c.hresult,
                c.root,
                c.name.map(|n| format!(" {n}")).unwrap_or_default(),
                c.frames,
                c.summary.as_deref().map(md_escape).unwrap_or_default()
            );
        }
        let _ = writeln!(o);
    }
    if !r.steps.is_empty() {
        let _ = writeln!(o, "## Steps\n\n| # | step | outcome | exit code | duration | line |\n|---|---|---|---|---|---|");
        for st in r.steps.iter() {
            let code = match st.exit_code_name {
                Some(n) => format!("{} {}", code(st.exit_code), md_escape(n)),
                None => code(st.exit_code),
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                pointer(st.index),
                md_escape(st.name),
                st.outcome,
                code,
                ms(st.duration_ms),
                st.line
            );
        }
    }
    o
}

/// A step's instruction pointer; `?` where the log gave none (a step known only from its
/// failure in an excerpt).
fn pointer(p: i64) -> String {
    if p < 0 {
        "?".to_string()
    } else {
        p.to_string()
    }
}
