//! A log that grows: followed files and streams, the rows they add, and fresh analyses.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::analysis::{Analysis, Incremental};
use crate::follow::{apply_batch, settled_len, Batch, FollowEvent, Held};
use crate::kb::RuleSet;
use crate::log::{RecordRef, Source};

use super::App;
use crate::tui::rows::RowMap;

/// A followed file or stream, and the source its records go to.
#[derive(Clone, Debug)]
pub(super) struct Stream {
    pub(super) source: usize,
}

/// The state of a log that grows.
#[derive(Clone, Debug, Default)]
pub struct Live {
    /// Preview source -> (input, text offset of its start), to map records once loaded.
    pub(super) preview_origin: Vec<(usize, u64)>,
    /// Followed files and streams.
    pub(super) streams: Vec<Stream>,
    /// What happened to a followed file (truncated, rolled over, replaced, switched), by
    /// the first record read after it: annotations the view draws on that record's row,
    /// never text added to the log.
    pub markers: BTreeMap<RecordRef, String>,
    /// Records that arrived while the view was not following the end.
    pub new_below: usize,
    /// The state of a followed input worth keeping on the status line (waiting, deleted,
    /// end of stream).
    pub stream_note: Option<String>,
    /// Records the current analysis covers; more means a new one is due.
    pub(super) analysed_len: usize,
    /// The analysis kept between batches: each new record is searched once.
    pub(super) incremental: Option<Incremental>,
    /// Per source, records shown provisionally (their writer paused past the grace
    /// period); the follower sends them again whole. The analysis stops before them.
    pub(super) held: Vec<(usize, Held)>,
    /// Findings already shown, by rule id, so that only new ones are announced.
    pub(super) seen_findings: HashSet<String>,
    /// A stream ended before the user moved: show its top finding once it is analysed, as
    /// a loaded file does.
    pub(super) open_when_analysed: bool,
    /// Following because a pipe is read and the view was at its end, not because the user
    /// asked: when the pipe ends, the view goes to the top finding as for a loaded file.
    pub(super) pipe_follow: bool,
    /// A pipe is read and `F` has not stopped following it: the view follows again
    /// whenever records arrive while it is on the last row (as lnav does), not only at the
    /// start.
    pub(super) pipe_refollow: bool,
}

impl App {
    /// The log, to append to. Followers start once loading is done, when the loading
    /// worker holds no share of it any more (it hands its share over with
    /// [`LoadMsg::Done`](crate::tui::load::LoadMsg::Done)); were it still shared, the
    /// status line says so rather than the log being copied.
    fn log_mut(&mut self) -> Option<&mut crate::log::Log> {
        if Arc::get_mut(&mut self.log).is_none() {
            self.notice = Some(
                "records arrived while the log was still being analysed: R reads it again".into(),
            );
            return None;
        }
        Arc::get_mut(&mut self.log)
    }

    /// Registers a followed file or stream whose records go to source `source`, or, with
    /// `None`, to a new empty source named `name` (standard input, a folder's live log).
    /// Returns the stream's number for [`Msg::Follow`](super::Msg::Follow).
    pub fn add_stream(&mut self, source: Option<usize>, name: &str) -> usize {
        let source = match source.filter(|&s| s < self.log.sources.len()) {
            Some(s) => s,
            None => {
                let from = self.log.len();
                let Some(log) = self.log_mut() else {
                    return usize::MAX;
                };
                let si = log.push_source(Source::streaming(
                    name.to_string(),
                    crate::source::Encoding::Utf8,
                ));
                self.index.extend(&self.log, from);
                si
            }
        };
        self.live.streams.push(Stream { source });
        self.view_gen += 1;
        self.live.streams.len() - 1
    }

    /// A pipe is followed like a file: when the view is at the end (as it is before the
    /// first record, or after `G`), it stays there as records arrive; moving up stops it,
    /// `F` stops or starts it.
    pub fn follow_pipe(&mut self) {
        self.view_gen += 1;
        self.live.pipe_refollow = true;
        if !self.view.follow && self.view.cursor + 1 >= self.rows.len() {
            self.view.follow = true;
            self.live.pipe_follow = true;
            self.live.new_below = 0;
        }
    }

    /// True when records arrived since the analysis was made.
    pub fn analysis_stale(&self) -> bool {
        self.live.analysed_len != settled_len(&self.log, &self.live.held)
    }

    /// Provisional records of `source` stay as they are: its follower starts over.
    fn settle(&mut self, source: usize) {
        self.live.held.retain(|(s, _)| *s != source);
    }

    pub(super) fn on_follow(&mut self, stream: usize, event: FollowEvent) {
        let Some(source) = self.live.streams.get(stream).map(|s| s.source) else {
            return;
        };
        let name = |p: &str| crate::tui::search::short_name(p);
        match event {
            FollowEvent::Records { batch, .. } => self.append_batch(source, batch),
            FollowEvent::Opened { path, .. } => {
                // A folder's live log is named once the follower has found it.
                if let Some(src) = self.log_mut().and_then(|l| l.sources.get_mut(source)) {
                    src.text.path = path;
                }
                self.live.stream_note = None;
            }
            FollowEvent::Waiting { paths } => {
                self.live.stream_note = Some(format!("waiting for {}", paths.join(", ")));
            }
            FollowEvent::Truncated { path } => {
                self.settle(source);
                let text = format!("— {} truncated: reading from the start —", name(&path));
                self.add_marker(source, &text);
            }
            FollowEvent::Rotated { path, rolled } => {
                self.settle(source);
                let text = format!(
                    "— rolled over: {} → {}; new {} from line 1 —",
                    name(&path),
                    name(&rolled),
                    name(&path)
                );
                self.add_marker(source, &text);
            }
            FollowEvent::Deleted { path } => {
                self.live.stream_note = Some(format!("{} deleted: waiting for it", name(&path)));
            }
            FollowEvent::Recreated { path } => {
                self.settle(source);
                self.live.stream_note = None;
                let text = format!("— {} was replaced: reading the new file —", name(&path));
                self.add_marker(source, &text);
            }
            FollowEvent::Switched {
                from,
                to,
                continued,
            } => {
                self.settle(source);
                if let Some(src) = self.log_mut().and_then(|l| l.sources.get_mut(source)) {
                    src.text.path = to.clone();
                }
                // The first log a folder follower finds is no switch worth a row.
                if from.is_some() {
                    let text = if continued {
                        format!("— the log moved to {to}: reading on —")
                    } else {
                        format!("— switched to {to}: reading it from the start —")
                    };
                    self.add_marker(source, &text);
                }
            }
            FollowEvent::PollOnly { reason } => {
                self.notice = Some(format!("polling for changes: {reason}"));
            }
            FollowEvent::EndOfStream { source: name } => {
                self.live.stream_note = Some(format!("{name}: end of stream"));
                let by_default = self.view.follow && self.live.pipe_follow;
                if !self.view.moved && (!self.view.follow || by_default) {
                    self.view.follow = false;
                    self.live.open_when_analysed = true;
                    self.open_top_finding_if_due();
                }
            }
            FollowEvent::Error(msg) => self.notice = Some(msg),
        }
        self.dirty = true;
    }

    /// Appends a follower's batch to source `source`, first taking out the provisional
    /// records it replaces.
    pub fn append_batch(&mut self, source: usize, batch: Batch) {
        if source >= self.log.sources.len() {
            return;
        }
        if self.log_mut().is_none() {
            return;
        }
        let at = self.live.held.iter().position(|(s, _)| *s == source);
        let mut held = at.map(|i| self.live.held.swap_remove(i).1);
        let from = self.log.len();
        let Some(log) = Arc::get_mut(&mut self.log) else {
            return;
        };
        let removed = apply_batch(log, source, &batch, &mut held);
        if let Some(h) = held {
            self.live.held.push((source, h));
        }
        match removed {
            Some(at) => {
                // Records replaced: rows already drawn may show others now.
                self.view_gen += 1;
                self.index.truncate(at);
                self.rows.truncate(at);
                if let Some(job) = self.filter.job.as_mut() {
                    job.next = job.next.min(at);
                }
                self.view.cursor = self.view.cursor.min(self.rows.len().saturating_sub(1));
                self.grown(at);
            }
            None => self.grown(from),
        }
    }

    /// Notes what happened to a followed file, on the row of the next record of `source`.
    pub(super) fn add_marker(&mut self, source: usize, text: &str) {
        let Some(src) = self.log.sources.get(source) else {
            return;
        };
        let next = RecordRef {
            source: source as u32,
            index: src.records.len() as u32,
        };
        let note = self.live.markers.entry(next).or_default();
        if !note.is_empty() {
            note.push_str("; ");
        }
        note.push_str(text);
        self.dirty = true;
    }

    /// The log grew from `from` records: new rows, and the view pinned to the end while
    /// following, or held still with the new records counted.
    pub(super) fn grown(&mut self, from: usize) {
        let len = self.log.len();
        if len <= from {
            return;
        }
        self.index.extend(&self.log, from);
        let rows_before = self.rows.len();
        if self.live.pipe_refollow && self.view.cursor + 1 >= rows_before {
            self.follow_pipe();
        }
        self.rows.grow(len);
        if self.rows.is_explicit() && self.filter.job.is_none() {
            // A filter running already goes on to the new end by itself.
            for pos in from..len {
                if self.filter.stack.pass(&self.log, pos) {
                    self.rows.push_visible(pos);
                }
            }
        }
        if self.view.end_if_following(self.rows.len()) {
            self.scroll_to_cursor(false);
        } else {
            // Only rows that land out of sight are news: those on screen are seen.
            let seen_to = self.view.top.saturating_add(self.page()).max(rows_before);
            self.live.new_below += self.rows.len().saturating_sub(seen_to);
        }
        self.dirty = true;
    }

    /// Brings the analysis up to date with the records that arrived: only they are
    /// searched, and a new analysis is put in only when they can change it.
    pub fn reanalyse(&mut self, rules: &RuleSet) {
        let len = settled_len(&self.log, &self.live.held);
        let inc = self.live.incremental.get_or_insert_with(Incremental::new);
        if inc.fed() > len {
            // The log was replaced by a shorter one (`R`): start over.
            *inc = Incremental::new();
        }
        inc.feed(&self.log, rules, len);
        let fresh = inc.changed().then(|| inc.analysis(&self.log, rules));
        self.live.analysed_len = len;
        if let Some(a) = fresh {
            self.install_analysis(a);
        }
        self.open_top_finding_if_due();
    }

    /// Puts in a fresh analysis of the live log, keeping the cursor's record and the view's
    /// place; announces a finding not seen before.
    fn install_analysis(&mut self, analysis: Analysis) {
        self.view_gen += 1;
        let anchor = self.current_pos();
        let offset = self.view.cursor.saturating_sub(self.view.top);
        let fresh: Vec<String> = analysis
            .findings
            .iter()
            .filter(|f| !self.live.seen_findings.contains(&f.id))
            .map(|f| f.title.clone())
            .collect();
        self.live
            .seen_findings
            .extend(analysis.findings.iter().map(|f| f.id.clone()));
        if let Some(title) = fresh.first() {
            self.notice = Some(format!("new finding: {title} (i opens it)"));
        }
        let chains = analysis.chains.len();
        // Chains found before keep their fold state; new ones fold.
        self.folded.resize(chains, true);
        self.index.set_analysis(&self.log, &analysis);
        self.analysis = analysis;
        self.clamp_selections();
        self.rows = RowMap::new(self.log.len(), &self.index, &self.folded);
        if self.filter.stack.active() {
            self.rebuild_rows(anchor.unwrap_or(0));
        } else if let Some(pos) = anchor {
            self.view.cursor = self.rows.row_near(pos, &self.index);
        }
        if self.view.end_if_following(self.rows.len()) {
            self.scroll_to_cursor(false);
        } else {
            // Folds that close above the cursor must not make the view jump.
            self.view.top = self.view.cursor.saturating_sub(offset);
            self.scroll_to_cursor(false);
        }
        self.dirty = true;
    }

    /// After a stream has ended and its analysis is complete, shows the top finding, unless
    /// the user has moved meanwhile.
    pub(super) fn open_top_finding_if_due(&mut self) {
        if !self.live.open_when_analysed || self.analysis_stale() {
            return;
        }
        self.live.open_when_analysed = false;
        self.view_gen += 1;
        if !self.view.moved && !self.view.follow {
            if let Some(i) = self.analysis.opening_finding() {
                self.open_finding(i);
            } else {
                self.open_first_error_to_read();
            }
        }
    }
}
