//! What the terminal shows, cell by cell, and the bytes that turn it into the next frame.
//!
//! The explorer compares and writes its frames itself rather than through
//! `Terminal::draw`: when the log's rows have moved up since the last frame (a followed log
//! growing) the terminal scrolls them, one escape sequence, and only what then differs is
//! written. And what the terminal already shows drawn the same way (a log row, see
//! [`RowKey`]; a row of the side panel; the step timeline) is neither drawn nor compared
//! again: the copy of the screen is scrolled as the terminal is (its rows reordered, not
//! moved), and only the cells drawn are put in it. While a log is followed, that leaves the new rows, the two whose
//! selection moved, the panel's rows that changed, the overview and the status line. The
//! bytes are the same either way: tests hold the kept screen equal to the frame drawn
//! whole, and the bytes to ratatui's.

use std::time::{Duration, Instant};

use ratatui::buffer::Buffer;
use ratatui::crossterm::cursor::{Hide, MoveTo, Show};
use ratatui::crossterm::queue;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::layout::Rect;

use super::app::App;
use super::diff::{write_rows, Keep, Said, Shift};
use super::view::{
    draw_screen_keeping, log_row_keys, log_rows, panel_plan, steps_key, Kept, RowKey, StepsKey,
};

/// Terminal scroll regions: every terminal emulator a Unix explorer runs in has them (tmux,
/// screen, xterm and its kin, Windows Terminal through SSH); a Windows console may be one
/// without virtual-terminal sequences, so it keeps writing rows.
const SCROLL_REGIONS: bool = cfg!(unix);

/// The terminal's screen as the explorer last wrote it, and the next frame.
pub struct Screen {
    /// What is on screen, as the terminal was last told, its rows in any order: row `y` of
    /// the screen is row `order[y]` here. A scroll of the terminal is a rotation of
    /// `order`, not a move of the cells (at 200x50, 480 KB a frame).
    shown: Buffer,
    order: Vec<usize>,
    /// The next frame, drawn over the one before but where kept cells are, which it
    /// leaves as they were.
    next: Buffer,
    /// The log's rows at the last frame (see [`log_rows`]).
    log: Option<(Rect, usize)>,
    /// Per row of `shown`: the log row drawn there, if one is.
    keys: Vec<Option<RowKey>>,
    /// The step timeline `shown` has, if any.
    steps: Option<StepsKey>,
    /// Per row of `shown`: what the side panel draws there, if it is there (see
    /// [`PanelPlan::row_key`](super::view::PanelPlan::row_key)).
    panel: Vec<Option<u64>>,
    panel_now: Vec<Option<u64>>,
    panel_keep: Vec<bool>,
    /// This frame's log rows: drawn, or kept from `shown`.
    now: Vec<Option<RowKey>>,
    keep: Vec<bool>,
    spans: Vec<Keep>,
    /// The frame's bytes, gathered so that they go to the terminal in one write.
    out: Vec<u8>,
    /// Colours and attributes formatted in earlier frames.
    said: Said,
}

/// A frame's bytes and what it took.
pub struct Frame<'a> {
    /// What to write to the terminal, synchronized-update brackets included.
    pub bytes: &'a [u8],
    /// The time it took to draw the frame into its buffer (the view).
    pub built: Duration,
    /// The terminal is told to scroll the log's rows.
    pub scrolled: bool,
}

impl Screen {
    /// A blank screen of `area`.
    pub fn new(area: Rect) -> Screen {
        Screen {
            shown: Buffer::empty(area),
            order: (0..usize::from(area.height)).collect(),
            next: Buffer::empty(area),
            log: None,
            keys: Vec::new(),
            steps: None,
            panel: Vec::new(),
            panel_now: Vec::new(),
            panel_keep: Vec::new(),
            now: Vec::new(),
            keep: Vec::new(),
            spans: Vec::new(),
            out: Vec::new(),
            said: Said::default(),
        }
    }

    /// The screen's area.
    pub fn area(&self) -> Rect {
        self.shown.area
    }

    /// The screen is blank (or unknown): the next frame writes every cell that is not.
    pub fn forget(&mut self) {
        self.shown.reset();
        self.order.clear();
        self.order.extend(0..usize::from(self.shown.area.height));
        self.log = None;
        self.keys.clear();
        self.steps = None;
        self.panel.clear();
    }

    /// The terminal's new size (the terminal is cleared by the caller). True when it
    /// changed.
    pub fn resize(&mut self, area: Rect) -> bool {
        if self.shown.area == area {
            return false;
        }
        self.shown.resize(area);
        self.next.resize(area);
        self.next.reset();
        self.forget();
        true
    }

    /// Draws `app` and returns the bytes that turn the screen into it. The screen then
    /// counts them as written: when they cannot be, [`forget`](Screen::forget) it.
    pub fn frame(&mut self, app: &App) -> Frame<'_> {
        let t = Instant::now();
        let area = self.shown.area;
        if self.next.area != area {
            self.next.resize(area);
            self.next.reset();
        }
        let rows = log_rows(app, area);
        let shift = scroll_of(self.log, rows).map(|(region, by)| {
            let top = usize::from(region.y.saturating_sub(area.y));
            (
                region,
                by,
                Shift {
                    top,
                    bottom: top + usize::from(region.height),
                    by: usize::from(by),
                },
            )
        });
        // The log rows kept: drawn the same way as the row the terminal shows where the
        // scroll leaves it.
        let w = usize::from(area.width);
        let h = usize::from(area.height);
        self.now.clear();
        self.now.resize(h, None);
        self.keep.clear();
        self.spans.clear();
        let body = log_row_keys(app, area, |y, key| {
            let y = usize::from(y - area.y);
            let from = Shift::shown_from(shift.map(|(_, _, s)| s), y);
            let kept = from.and_then(|f| self.keys.get(f).copied().flatten()) == Some(key);
            if let Some(slot) = self.now.get_mut(y) {
                *slot = Some(key);
            }
            self.keep.push(kept);
            if kept {
                self.spans.push(Keep {
                    row: y,
                    start: 0,
                    end: 0,
                });
            }
        });
        let cols = body.map_or((0, 0), |b| {
            (
                usize::from(b.x - area.x),
                usize::from(b.x - area.x + b.width),
            )
        });
        for k in &mut self.spans {
            (k.start, k.end) = cols;
        }
        // The step timeline, below the log's rows (never scrolled), when nothing it shows
        // changed.
        let steps = steps_key(app, area);
        let keep_steps = steps.is_some_and(|k| {
            let r = k.area();
            let outside = shift.is_none_or(|(region, _, _)| {
                r.y >= region.y + region.height || r.y + r.height <= region.y
            });
            outside && self.steps == Some(k)
        });
        if let (true, Some(k)) = (keep_steps, steps) {
            let r = k.area();
            for y in r.y..r.y + r.height {
                let y = usize::from(y - area.y);
                self.spans.push(Keep {
                    row: y,
                    start: usize::from(r.x - area.x),
                    end: usize::from(r.x - area.x + r.width),
                });
            }
        }
        // The side panel's rows: kept where the terminal has the same row where its scroll
        // left it.
        let panel = panel_plan(app, area);
        self.panel_now.clear();
        self.panel_now.resize(h, None);
        self.panel_keep.clear();
        if let Some(p) = &panel {
            let r = p.area();
            for sy in r.y..r.y + r.height {
                let y = usize::from(sy - area.y);
                let key = p.row_key(sy);
                let from = Shift::shown_from(shift.map(|(_, _, s)| s), y);
                let kept = from.and_then(|f| self.panel.get(f).copied().flatten()) == Some(key);
                if let Some(slot) = self.panel_now.get_mut(y) {
                    *slot = Some(key);
                }
                self.panel_keep.push(kept);
                if kept {
                    self.spans.push(Keep {
                        row: y,
                        start: usize::from(r.x - area.x),
                        end: usize::from(r.x - area.x + r.width),
                    });
                }
            }
        }
        self.spans.sort_unstable_by_key(|k| (k.row, k.start));
        let cursor = draw_screen_keeping(
            app,
            &mut self.next,
            area,
            Kept {
                rows: &self.keep,
                steps: keep_steps,
                panel: panel.as_ref().map(|p| (p, &self.panel_keep[..])),
            },
        );
        let built = t.elapsed();
        // The screen as the terminal's scroll leaves it: kept cells are then where they are
        // shown, and only the cells drawn go to it after the comparison. The rows scrolled
        // out come back as those scrolled in, which are compared as blank and then written
        // whole (nothing was shown there to keep).
        let sh = shift.map(|(_, _, s)| s);
        if let Some(s) = sh {
            if let Some(rows) = self.order.get_mut(s.top..s.bottom) {
                rows.rotate_left(s.by.min(rows.len()));
            }
        }
        // One synchronized update per frame, gathered here and written at once: the
        // terminal shows it whole or not at all.
        let out = &mut self.out;
        out.clear();
        let _ = queue!(out, BeginSynchronizedUpdate);
        if let Some((region, by, _)) = shift {
            scroll_up(out, region, by);
        }
        let order = &self.order;
        let _ = write_rows(
            out,
            &self.shown.content,
            |y| {
                Shift::shown_from(sh, y)?;
                order.get(y).map(|r| r * w)
            },
            &self.next,
            &self.spans,
            &mut self.said,
        );
        let _ = match cursor {
            None => queue!(out, Hide),
            Some(pos) => queue!(out, Show, MoveTo(pos.x, pos.y)),
        };
        let _ = queue!(out, EndSynchronizedUpdate);
        // What was drawn: every cell but the kept ones, row by row to where each row is.
        let mut spans = self.spans.iter().peekable();
        for (y, &r) in self.order.iter().enumerate() {
            let (Some(dst), Some(src)) = (
                self.shown.content.get_mut(r * w..(r + 1) * w),
                self.next.content.get(y * w..(y + 1) * w),
            ) else {
                break;
            };
            let mut at = 0;
            while let Some(k) = spans.next_if(|k| k.row == y) {
                let start = k.start.min(w).max(at);
                dst[at..start].clone_from_slice(&src[at..start]);
                at = at.max(k.end.min(w));
            }
            dst[at..].clone_from_slice(&src[at..]);
        }
        std::mem::swap(&mut self.keys, &mut self.now);
        self.steps = steps;
        std::mem::swap(&mut self.panel, &mut self.panel_now);
        self.log = rows;
        Frame {
            bytes: &self.out,
            built,
            scrolled: shift.is_some(),
        }
    }

    /// What the terminal shows, as far as the screen knows.
    pub fn shown(&self) -> Buffer {
        let w = usize::from(self.shown.area.width);
        let mut b = Buffer::empty(self.shown.area);
        for (y, &r) in self.order.iter().enumerate() {
            if let (Some(dst), Some(src)) = (
                b.content.get_mut(y * w..(y + 1) * w),
                self.shown.content.get(r * w..(r + 1) * w),
            ) {
                dst.clone_from_slice(src);
            }
        }
        b
    }
}

/// How the log's rows moved between two frames, if by scrolling up: the rows to scroll
/// (the screen's whole width: a region's margins are rows) and by how many.
fn scroll_of(was: Option<(Rect, usize)>, now: Option<(Rect, usize)>) -> Option<(Rect, u16)> {
    let ((was, top0), (now, top1)) = (was?, now?);
    if !SCROLL_REGIONS || was != now || top1 <= top0 {
        return None;
    }
    let by = u16::try_from(top1 - top0).ok()?;
    (by < now.height).then_some((now, by))
}

/// Scrolls the rows of `region` up by `by` (the columns beside the log scroll with them; the
/// frame's comparison then writes what differs there). The rows that come in at the bottom
/// are blank in the colours the last frame left set: the default ones.
fn scroll_up(out: &mut Vec<u8>, region: Rect, by: u16) {
    use std::io::Write;
    let top = region.y + 1;
    let bottom = region.y + region.height;
    // Set the region, scroll it, give the whole screen back as the region.
    let _ = write!(out, "\x1b[0m\x1b[{top};{bottom}r\x1b[{by}S\x1b[r");
}
