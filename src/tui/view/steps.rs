//! The step timeline pane.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Borders, Widget};

use crate::analysis::StepOutcome;
use crate::present::{duration, exit_code_name, failure_place, hex, step_code_name};
use crate::sanitize::{display_width, sanitize};
use crate::tui::app::{App, Pane};
use crate::tui::theme::Role;

use super::{pane_block, put};

pub(super) fn draw_steps(app: &App, buf: &mut Buffer, area: Rect) {
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
        // Named as the report's outcome line names it.
        if let Some(n) = exit_code_name(c, t.failed_activity) {
            title.push(' ');
            title.push_str(&sanitize(&n));
        }
    }
    title.push(' ');
    let block = pane_block(app, title, focused, Borders::TOP);
    let inner = block.inner(area);
    block.render(area, buf);
    let h = inner.height as usize;
    if h == 0 || t.steps.is_empty() {
        return;
    }
    let sel = app.steps_anchor();
    let top = app.steps_first_shown(h);
    let last_run = t.steps.last().map_or(0, |s| s.run);
    let any_reboot = app.index.any_reboot;
    let right = inner.x + inner.width;
    // Codes carry their names, as in the log view, where the step names keep room enough:
    // a column as wide as the longest name on screen, up to 28.
    let names_w = if inner.width >= 120 {
        t.steps
            .iter()
            .skip(top)
            .take(h)
            .filter_map(|s| s.exit_code.and_then(step_code_name))
            .map(|n| display_width(n).min(28) + 1)
            .max()
            .unwrap_or(0)
    } else {
        0
    };
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
        // A step known only from its failure in an excerpt has no pointer.
        let pointer = if step.pointer < 0 {
            "   ? ".to_string()
        } else {
            format!("{:>4} ", step.pointer)
        };
        x = put(buf, x, y, right, &pointer, dim);
        let dur = step.duration_ms().map(duration).unwrap_or_default();
        let code = step
            .exit_code
            .filter(|&c| c != 0)
            .map(hex)
            .unwrap_or_default();
        let head = format!(" {dur:>7} {:<9} {code:<10}", step.outcome.name());
        let code_name = step.exit_code.and_then(step_code_name).unwrap_or_default();
        let named = if names_w > 0 {
            let n = crate::sanitize::fit_width(code_name, names_w - 1);
            format!(" {n:<w$}", w = names_w - 1)
        } else {
            String::new()
        };
        let mut tail = String::new();
        if any_reboot {
            tail.push_str(if step.reboot { " reboot" } else { "       " });
        }
        if failing {
            tail.push_str(" ◀ failing");
        } else if t.failing_step.is_some() {
            tail.push_str("          ");
        }
        let room = (right.saturating_sub(x) as usize)
            .saturating_sub(display_width(&head) + display_width(&named) + display_width(&tail));
        let name = sanitize(&step.name);
        let name = crate::sanitize::fit_width(&name, room);
        x = put(buf, x, y, right, &name, style);
        x = put(buf, x, y, right, &head, style);
        x = put(buf, x, y, right, &named, dim);
        put(buf, x, y, right, &tail, style);
    }
}
