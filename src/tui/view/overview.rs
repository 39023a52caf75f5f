//! The overview strip: the whole log top to bottom in one column, worst mark per cell.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::tui::app::App;
use crate::tui::theme::Role;

use super::put;

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
pub(super) fn draw_overview(app: &App, buf: &mut Buffer, area: Rect) {
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
