//! Work that runs in time-boxed slices between keys: filtering, seeking the next match,
//! counting matches.

use std::time::{Duration, Instant};

use super::App;
use crate::tui::rows::RowMap;
use crate::tui::search::Seek;

/// A filter being applied, slice by slice.
#[derive(Clone, Copy, Debug)]
pub(super) struct FilterJob {
    pub(super) next: usize,
    /// The position to put the cursor back on once the rows are known.
    pub(super) anchor: usize,
}

impl App {
    /// Rebuilds the rows after a fold or filter change, keeping `anchor` under the cursor.
    pub(super) fn rebuild_rows(&mut self, anchor: usize) {
        self.rows = RowMap::new(self.log.len(), &self.index, &self.folded);
        if self.filter.stack.active() {
            self.rows.start_explicit();
            self.filter.job = Some(FilterJob { next: 0, anchor });
            // Small logs filter at once; big ones show rows as they come.
            self.work(Duration::from_millis(15));
        } else {
            self.filter.job = None;
            self.view.cursor = self.rows.row_near(anchor, &self.index);
            self.scroll_to_cursor(false);
        }
        self.dirty = true;
    }

    pub(super) fn refilter(&mut self) {
        let anchor = self.current_pos().unwrap_or(0);
        self.rebuild_rows(anchor);
    }

    pub(super) fn restart_jobs(&mut self) {
        if self.filter.stack.active() {
            let anchor = self.current_pos().unwrap_or(0);
            self.rebuild_rows(anchor);
        }
        if let Some(s) = self.prompt.search.as_mut() {
            s.matches.clear();
            s.scanned = 0;
        }
        self.prompt.seek = None;
    }

    // -----------------------------------------------------------------------------------
    // Search

    pub(super) fn search_step(&mut self, forward: bool) {
        let Some(s) = self.prompt.search.as_ref() else {
            self.notice = Some("no search (/ starts one)".into());
            return;
        };
        self.view.moved = true;
        let len = self.log.len();
        if s.counted(len) {
            let Some(here) = self.current_pos() else {
                return;
            };
            let matches = &s.matches;
            let n = matches.len();
            if n == 0 {
                self.notice = Some(format!("pattern not found: {}", s.pattern.text));
                return;
            }
            // The matches in the order n (or N) visits them from here, wrapping once. A
            // match inside a folded chain is reached by opening the chain, so that n goes
            // through every match the count includes.
            let start = if forward {
                matches.partition_point(|&x| (x as usize) <= here)
            } else {
                matches.partition_point(|&x| (x as usize) < here)
            };
            let mut target = None;
            for k in 0..n {
                let (i, wrapped) = if forward {
                    ((start + k) % n, start + k >= n)
                } else {
                    ((start + n - 1 - k) % n, k >= start)
                };
                let p = matches[i] as usize;
                if p == here {
                    continue;
                }
                let Some(row) = self.rows.row_of(p, &self.index) else {
                    continue; // hidden by a filter
                };
                if !self.rows.is_hidden(p) && row == self.view.cursor {
                    continue;
                }
                target = Some((p, self.rows.is_hidden(p), wrapped));
                break;
            }
            let any_here = matches.binary_search(&(here as u32)).is_ok();
            match target {
                Some((p, in_fold, wrapped)) => {
                    if in_fold {
                        self.open_fold_at(p);
                    }
                    self.goto_pos(p);
                    self.notice = match (in_fold, wrapped) {
                        (true, _) => Some("the match is in a folded chain: opened it".into()),
                        (false, true) => Some("search wrapped".into()),
                        _ => None,
                    };
                }
                None if any_here => self.notice = Some("the only match".into()),
                None => {
                    self.notice = Some("every match is hidden by a filter (f lists them)".into())
                }
            }
            return;
        }
        let Some(pos) = self.current_pos() else {
            return;
        };
        let start = if forward {
            (pos + 1) % len.max(1)
        } else {
            pos.checked_sub(1).unwrap_or(len.saturating_sub(1))
        };
        self.prompt.seek = Some(Seek {
            next: start,
            left: len,
            forward,
            skip_row: Some(self.view.cursor),
        });
        self.work(Duration::from_millis(8));
    }

    // -----------------------------------------------------------------------------------
    // Background work, in slices

    /// Runs pending work (filtering, seeking, counting) for about `budget`. Returns true
    /// when work remains.
    pub fn work(&mut self, budget: Duration) -> bool {
        self.view_gen += 1;
        let deadline = Instant::now() + budget;
        // Records between two looks at the clock: few enough that a pattern on the
        // backtracking engine (look-around) cannot hold a key up for long.
        const CHUNK: usize = 256;
        let len = self.log.len();
        while Instant::now() < deadline {
            if let Some(job) = self.filter.job.as_mut() {
                let end = (job.next + CHUNK).min(len);
                for pos in job.next..end {
                    let pass = self.filter.stack.pass(&self.log, pos)
                        || self.rows.folded_head(pos).is_some_and(|c| {
                            self.index.chain_members.get(c).is_some_and(|m| {
                                m.iter()
                                    .any(|&p| self.filter.stack.pass(&self.log, p as usize))
                            })
                        });
                    if pass {
                        self.rows.push_visible(pos);
                    }
                }
                job.next = end;
                let anchor = job.anchor;
                if end >= len {
                    self.filter.job = None;
                    self.view.cursor = if self.view.follow {
                        self.rows.len().saturating_sub(1)
                    } else {
                        self.rows.row_near(anchor, &self.index)
                    };
                    self.scroll_to_cursor(!self.view.follow);
                }
                self.dirty = true;
                continue;
            }
            if let Some(mut seek) = self.prompt.seek {
                let Some(search) = self.prompt.search.as_ref() else {
                    self.prompt.seek = None;
                    continue;
                };
                let mut found = None;
                let mut n = 0;
                while n < CHUNK && seek.left > 0 && len > 0 {
                    let pos = seek.next;
                    seek.left -= 1;
                    seek.next = if seek.forward {
                        (pos + 1) % len
                    } else {
                        pos.checked_sub(1).unwrap_or(len - 1)
                    };
                    n += 1;
                    if search.pattern.matches(&self.log, pos) {
                        if let Some(row) = self.rows.row_of(pos, &self.index) {
                            if Some(row) != seek.skip_row {
                                found = Some(row);
                                break;
                            }
                        }
                    }
                }
                if let Some(row) = found {
                    self.prompt.seek = None;
                    self.set_cursor(row, true);
                } else if seek.left == 0 || len == 0 {
                    self.prompt.seek = None;
                    self.notice = Some(format!("pattern not found: {}", search.pattern.text));
                } else {
                    self.prompt.seek = Some(seek);
                }
                self.dirty = true;
                continue;
            }
            if let Some(search) = self.prompt.search.as_mut() {
                if search.scanned < len {
                    let end = (search.scanned + CHUNK).min(len);
                    for pos in search.scanned..end {
                        if search.pattern.matches(&self.log, pos) {
                            search.matches.push(pos as u32);
                        }
                    }
                    search.scanned = end;
                    self.dirty = true;
                    continue;
                }
            }
            break;
        }
        self.busy()
    }

    /// Runs every pending job to the end (tests, benchmarks).
    pub fn finish_work(&mut self) {
        while self.work(Duration::from_secs(1)) {}
    }
}
