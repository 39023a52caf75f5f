//! Folds and jumps: to the next error, chain, step, bookmark, finding or evidence.

use super::{App, LoadState};
use crate::tui::rows::{Index, Row, RowMap};

impl App {
    // -----------------------------------------------------------------------------------
    // Folds

    pub(super) fn toggle_fold(&mut self) {
        let Some(pos) = self.current_pos() else {
            return;
        };
        let chain = match self.current_row() {
            Some(Row::Chain { chain, .. }) => Some(chain),
            _ => self.index.member(pos).map(|(c, _)| c),
        };
        let Some(chain) = chain else {
            self.notice = Some("no chain here (c / C move between chains)".into());
            return;
        };
        if let Some(f) = self.folded.get_mut(chain) {
            *f = !*f;
        }
        let head = self.index.chain_head(chain).unwrap_or(pos);
        self.rebuild_rows(head);
    }

    pub(super) fn toggle_all_folds(&mut self) {
        let fold = !self.folded.iter().any(|f| *f);
        self.folded.iter_mut().for_each(|f| *f = fold);
        let pos = self.current_pos().unwrap_or(0);
        self.rebuild_rows(pos);
        self.notice = Some(if fold {
            "every chain folded".into()
        } else {
            "every chain unfolded".into()
        });
    }

    // -----------------------------------------------------------------------------------
    // Jumps

    pub(super) fn jump_in_list(&mut self, which: Which, forward: bool) {
        let positions: Vec<u32>;
        let list: &[u32] = match which {
            Which::Errors => &self.index.errors,
            Which::Warnings => &self.index.warnings,
            Which::Steps => &self.index.step_starts,
            Which::Chains => {
                positions = self
                    .index
                    .chain_members
                    .iter()
                    .filter_map(|m| m.first().copied())
                    .collect();
                &positions
            }
            Which::Bookmarks => {
                let mut v: Vec<u32> = self
                    .bookmarks
                    .iter()
                    .map(|r| self.index.position(&self.log, *r) as u32)
                    .collect();
                v.sort_unstable();
                positions = v;
                &positions
            }
        };
        match next_visible(
            list,
            &self.rows,
            &self.index,
            Some(self.view.cursor),
            forward,
        ) {
            Some(row) => {
                self.set_cursor(row, true);
                if which == Which::Steps {
                    if let Some(s) = self.current_step() {
                        self.steps.sel = s;
                    }
                }
            }
            None => {
                let what = match which {
                    Which::Errors => "error",
                    Which::Warnings => "warning",
                    Which::Chains => "chain",
                    Which::Steps => "step",
                    Which::Bookmarks => "bookmark",
                };
                let dir = if forward { "below" } else { "above" };
                self.notice = Some(format!("no {what} {dir}"));
            }
        }
    }

    /// Opens finding `i` in the side panel with the cursor on its first evidence.
    pub fn open_finding(&mut self, i: usize) {
        let Some(f) = self.analysis.findings.get(i) else {
            return;
        };
        let first = f.evidence.first().map(|e| e.index);
        self.panel.open(i);
        if let Some(pos) = first {
            let row = self.rows.row_near(pos, &self.index);
            self.view.cursor = row.min(self.rows.len().saturating_sub(1));
            self.scroll_to_cursor(true);
        }
        self.dirty = true;
    }

    /// With no finding to open, the cursor on the first error to read (the panel lists
    /// them), so the explorer opens on the failure rather than on line 1.
    pub(super) fn open_first_error_to_read(&mut self) {
        let Some(pos) = self.analysis.errors_to_read.first().map(|e| e.index) else {
            return;
        };
        self.panel.select_first();
        self.open_fold_at(pos);
        let row = self.rows.row_near(pos, &self.index);
        self.view.cursor = row.min(self.rows.len().saturating_sub(1));
        self.scroll_to_cursor(true);
        self.dirty = true;
    }

    pub(super) fn cycle_finding(&mut self, forward: bool) {
        let n = self.analysis.findings.len();
        if n == 0 {
            self.notice = Some(match self.load.state {
                LoadState::Ready => "no known problem found".into(),
                _ => "no finding yet: the log is still loading".into(),
            });
            return;
        }
        let next = match (self.panel.finding, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.open_finding(next);
        self.view.moved = true;
    }

    pub(super) fn jump_to_evidence(&mut self) {
        let pos = match self.panel.finding {
            Some(f) => (self.analysis.findings.get(f))
                .and_then(|f| f.evidence.get(self.panel.evidence_sel))
                .map(|e| e.index),
            // No finding open: the panel lists the errors to read, which jump alike.
            None => (self.analysis.errors_to_read.get(self.panel.evidence_sel)).map(|e| e.index),
        };
        let Some(pos) = pos else {
            return;
        };
        // Evidence inside a folded chain: open the chain so the very line shows.
        self.open_fold_at(pos);
        self.goto_pos(pos);
    }

    /// Unfolds the chain that hides position `pos`, if one does.
    pub(super) fn open_fold_at(&mut self, pos: usize) {
        if !self.rows.is_hidden(pos) {
            return;
        }
        if let Some((c, _)) = self.index.member(pos) {
            if let Some(f) = self.folded.get_mut(c) {
                *f = false;
            }
            self.rebuild_rows(pos);
        }
    }

    pub(super) fn jump_to_step(&mut self, i: usize) {
        if let Some(s) = self.analysis.steps.steps.get(i) {
            let pos = s.span.0;
            self.goto_pos(pos);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Which {
    Errors,
    Warnings,
    Chains,
    Steps,
    Bookmarks,
}

/// The nearest row after (or before) `cursor` that shows a position from `list`
/// (ascending); with no cursor, the first (or last) such row.
pub(super) fn next_visible(
    list: &[u32],
    rows: &RowMap,
    index: &Index,
    cursor: Option<usize>,
    forward: bool,
) -> Option<usize> {
    let n = rows.len();
    if n == 0 {
        return None;
    }
    let cursor = cursor.map(|c| c.min(n - 1));
    let here = cursor.and_then(|c| rows.pos(c));
    let beyond = |r: usize| match cursor {
        None => true,
        Some(c) if forward => r > c,
        Some(c) => r < c,
    };
    let mut best: Option<usize> = None;
    // A record hidden in a fold shows on its chain's row, which sits before it; so a
    // visible record ends the search, a hidden one only offers a candidate.
    if forward {
        let from = here.map_or(0, |p| list.partition_point(|&x| (x as usize) <= p));
        for &q in list.get(from..).unwrap_or_default() {
            let Some(r) = rows.row_of(q as usize, index) else {
                continue;
            };
            if beyond(r) {
                best = Some(best.map_or(r, |b| b.min(r)));
                if !rows.is_hidden(q as usize) {
                    break;
                }
            }
        }
    } else {
        // Members of a fold shown above the cursor can lie after the cursor's position.
        let to = here.map_or(list.len(), |p| {
            list.partition_point(|&x| (x as usize) <= p.saturating_add(index.max_span))
        });
        for &q in list.get(..to).unwrap_or_default().iter().rev() {
            let Some(r) = rows.row_of(q as usize, index) else {
                continue;
            };
            if beyond(r) {
                best = Some(best.map_or(r, |b| b.max(r)));
                if !rows.is_hidden(q as usize) && here.is_none_or(|p| (q as usize) < p) {
                    break;
                }
            }
        }
    }
    best
}
