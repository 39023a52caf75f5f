//! The row model: which records the log view shows, in which rows.
//!
//! A row is a record, or a folded chain standing for all of its records (its frames and
//! summary lines) at the place of its first frame. Records of other threads that fall
//! between a chain's frames stay visible. Without filters the rows are implicit (every
//! position but the hidden chain members), so a fold costs a sorted list of a few thousand
//! numbers, not a table of millions; with filters they are an explicit list of positions.

use crate::analysis::Analysis;
use crate::log::{Log, RecordRef};
use crate::parse::Severity;

/// What a chain member is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberKind {
    /// A frame line.
    Frame,
    /// The frame that carries the chain's root code.
    Root,
    /// A summary line that closes the chain.
    Summary,
}

/// Lookup tables derived once from a log and its analysis (built off the UI thread for big
/// logs), so that every key and frame costs a binary search at most.
#[derive(Clone, Debug, Default)]
pub struct Index {
    /// Positions of error records, ascending.
    pub errors: Vec<u32>,
    /// Positions of warning records, ascending.
    pub warnings: Vec<u32>,
    /// Every chain member: (position, chain, kind), ascending by position.
    pub members: Vec<(u32, u32, MemberKind)>,
    /// Per chain, its member positions, ascending; the first is where the folded row sits.
    pub chain_members: Vec<Vec<u32>>,
    /// Positions of the start of each step.
    pub step_starts: Vec<u32>,
    /// Some step asked for a reboot: the steps pane keeps a column for it. Kept here so
    /// that a frame does not read every step of a long timeline to know.
    pub any_reboot: bool,
    /// Where each chain's folded row sits, ascending.
    pub chain_heads: Vec<u32>,
    /// With several sources: for each source, the merged position of each of its records.
    pub pos_of: Vec<Vec<u32>>,
    /// The longest distance, in positions, from a chain's first member to its last.
    pub max_span: usize,
}

impl Index {
    /// Builds the tables for a log and its analysis.
    pub fn build(log: &Log, analysis: &Analysis) -> Index {
        let len = log.len();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut pos_of: Vec<Vec<u32>> = if log.sources.len() > 1 {
            log.sources
                .iter()
                .map(|s| vec![0u32; s.records.len()])
                .collect()
        } else {
            Vec::new()
        };
        for pos in 0..len {
            let r = log.at(pos);
            let Some(meta) = log
                .sources
                .get(r.source as usize)
                .and_then(|s| s.records.get(r.index as usize))
            else {
                continue;
            };
            match meta.severity() {
                Severity::Error => errors.push(pos as u32),
                Severity::Warning => warnings.push(pos as u32),
                Severity::Info => {}
            }
            if let Some(slot) = pos_of
                .get_mut(r.source as usize)
                .and_then(|v| v.get_mut(r.index as usize))
            {
                *slot = pos as u32;
            }
        }
        let mut idx = Index {
            errors,
            warnings,
            pos_of,
            ..Index::default()
        };
        idx.set_analysis(log, analysis);
        idx
    }

    /// Replaces the tables drawn from the analysis (chain members, step starts), keeping
    /// those drawn from the records: what a live log's new analysis changes.
    pub fn set_analysis(&mut self, log: &Log, analysis: &Analysis) {
        let idx = self;
        let mut members = Vec::new();
        let mut chain_members = Vec::with_capacity(analysis.chains.len());
        for (ci, chain) in analysis.chains.iter().enumerate() {
            let root = chain.root_frame();
            let mut mine: Vec<(u32, MemberKind)> = Vec::new();
            for (fi, (r, _)) in chain.frames.iter().enumerate() {
                let kind = if fi == root {
                    MemberKind::Root
                } else {
                    MemberKind::Frame
                };
                mine.push((idx.position(log, *r) as u32, kind));
            }
            for (r, _) in &chain.summaries {
                mine.push((idx.position(log, *r) as u32, MemberKind::Summary));
            }
            mine.sort_by_key(|m| m.0);
            mine.dedup_by_key(|m| m.0);
            members.extend(mine.iter().map(|&(p, k)| (p, ci as u32, k)));
            chain_members.push(mine.into_iter().map(|m| m.0).collect());
        }
        members.sort_by_key(|m| m.0);
        members.dedup_by_key(|m| m.0);
        idx.max_span = chain_members
            .iter()
            .map(|m: &Vec<u32>| match (m.first(), m.last()) {
                (Some(a), Some(b)) => (b - a) as usize,
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        idx.members = members;
        idx.chain_heads = chain_members
            .iter()
            .filter_map(|m| m.first().copied())
            .collect();
        idx.chain_heads.sort_unstable();
        idx.chain_members = chain_members;
        idx.step_starts = analysis
            .steps
            .steps
            .iter()
            .map(|s| s.span.0 as u32)
            .collect();
        idx.any_reboot = analysis.steps.steps.iter().any(|s| s.reboot);
    }

    /// Forgets the records from position `at` on (a live log's provisional records, about
    /// to come again); [`Index::extend`] adds what replaces them. With several sources the
    /// position tables are rebuilt whole, as records after `at` moved up.
    pub fn truncate(&mut self, at: usize) {
        let at32 = at as u32;
        self.errors.retain(|&p| p < at32);
        self.warnings.retain(|&p| p < at32);
        self.pos_of.clear();
    }

    /// Adds the records of a live log from position `from` on (they were appended after
    /// the ones these tables know); chains and steps wait for the next analysis.
    pub fn extend(&mut self, log: &Log, from: usize) {
        let len = log.len();
        let multi = log.sources.len() > 1;
        // A log that just went from one source to two has no position table yet: every
        // record needs its entry, not only the new ones.
        let first = if multi && self.pos_of.is_empty() {
            0
        } else {
            from.min(len)
        };
        if multi {
            self.pos_of.resize_with(log.sources.len(), Vec::new);
            for (table, src) in self.pos_of.iter_mut().zip(&log.sources) {
                table.resize(src.records.len(), 0);
            }
        }
        for pos in first..len {
            let r = log.at(pos);
            if pos >= from {
                let meta = log
                    .sources
                    .get(r.source as usize)
                    .and_then(|s| s.records.get(r.index as usize));
                match meta.map(|m| m.severity()) {
                    Some(Severity::Error) => self.errors.push(pos as u32),
                    Some(Severity::Warning) => self.warnings.push(pos as u32),
                    _ => {}
                }
            }
            if let Some(slot) = self
                .pos_of
                .get_mut(r.source as usize)
                .and_then(|v| v.get_mut(r.index as usize))
            {
                *slot = pos as u32;
            }
        }
    }

    /// Merged position of a record.
    pub fn position(&self, log: &Log, r: RecordRef) -> usize {
        if log.sources.len() <= 1 {
            return r.index as usize;
        }
        self.pos_of
            .get(r.source as usize)
            .and_then(|v| v.get(r.index as usize))
            .map_or(0, |&p| p as usize)
    }

    /// The chain a position belongs to, and how.
    pub fn member(&self, pos: usize) -> Option<(usize, MemberKind)> {
        let i = self.members.partition_point(|m| (m.0 as usize) < pos);
        match self.members.get(i) {
            Some(&(p, c, k)) if p as usize == pos => Some((c as usize, k)),
            _ => None,
        }
    }

    /// Where a chain's folded row sits.
    pub fn chain_head(&self, chain: usize) -> Option<usize> {
        self.chain_members
            .get(chain)
            .and_then(|m| m.first())
            .map(|&p| p as usize)
    }
}

/// What a visible row shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// One record, by merged position.
    Record(usize),
    /// A folded chain, at the position of its first member.
    Chain {
        /// The chain.
        chain: usize,
        /// Its first member's position.
        pos: usize,
    },
}

impl Row {
    /// The merged position the row sits at.
    pub fn pos(self) -> usize {
        match self {
            Row::Record(p) | Row::Chain { pos: p, .. } => p,
        }
    }
}

/// The visible rows.
#[derive(Clone, Debug, Default)]
pub struct RowMap {
    /// Records in the log.
    len: usize,
    /// Positions hidden inside folded chains (every member but the first), ascending.
    hidden: Vec<u32>,
    /// First member position of each folded chain, ascending, with the chain.
    heads: Vec<(u32, u32)>,
    /// With filters: the visible positions, ascending (possibly still being built).
    explicit: Option<Vec<u32>>,
}

impl RowMap {
    /// Rows for a log of `len` records with the given chains folded and no filter.
    pub fn new(len: usize, index: &Index, folded: &[bool]) -> RowMap {
        let mut hidden = Vec::new();
        let mut heads = Vec::new();
        for (ci, members) in index.chain_members.iter().enumerate() {
            if !folded.get(ci).copied().unwrap_or(false) {
                continue;
            }
            if let Some((&first, rest)) = members.split_first() {
                heads.push((first, ci as u32));
                hidden.extend_from_slice(rest);
            }
        }
        hidden.sort_unstable();
        hidden.dedup();
        heads.sort_unstable();
        // A head hidden by another folded chain would be a row that is never shown.
        heads.retain(|h| hidden.binary_search(&h.0).is_err());
        RowMap {
            len,
            hidden,
            heads,
            explicit: None,
        }
    }

    /// The log lost its records from `at` on (provisional ones, about to come again).
    pub fn truncate(&mut self, at: usize) {
        self.len = self.len.min(at);
        let at = at as u32;
        self.hidden.retain(|&p| p < at);
        self.heads.retain(|h| h.0 < at);
        if let Some(v) = self.explicit.as_mut() {
            v.retain(|&p| p < at);
        }
    }

    /// The log grew to `len` records at its end. Without a filter the new records are rows
    /// at once; with one, the caller passes them through [`RowMap::push_visible`].
    pub fn grow(&mut self, len: usize) {
        self.len = self.len.max(len);
    }

    /// True when `pos` is hidden inside a folded chain.
    pub fn is_hidden(&self, pos: usize) -> bool {
        u32::try_from(pos).is_ok_and(|p| self.hidden.binary_search(&p).is_ok())
    }

    /// The folded chain whose row sits at `pos`.
    pub fn folded_head(&self, pos: usize) -> Option<usize> {
        let p = u32::try_from(pos).ok()?;
        let i = self.heads.partition_point(|h| h.0 < p);
        match self.heads.get(i) {
            Some(&(hp, c)) if hp == p => Some(c as usize),
            _ => None,
        }
    }

    /// Switches to an explicit list of visible positions (filters), empty for now; rows are
    /// added with [`RowMap::push_visible`] as the filter runs.
    pub fn start_explicit(&mut self) {
        self.explicit = Some(Vec::new());
    }

    /// Back to every record (no filter).
    pub fn clear_explicit(&mut self) {
        self.explicit = None;
    }

    /// True when a filter decides the rows.
    pub fn is_explicit(&self) -> bool {
        self.explicit.is_some()
    }

    /// Adds a position that passed the filters (positions must come in ascending order).
    /// Positions hidden in folds are skipped here, so callers need not check.
    pub fn push_visible(&mut self, pos: usize) {
        if self.is_hidden(pos) {
            return;
        }
        if let Some(v) = self.explicit.as_mut() {
            v.push(pos as u32);
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match &self.explicit {
            Some(v) => v.len(),
            None => self.len.saturating_sub(self.hidden.len()),
        }
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of records that are not rows of their own (filtered out or folded away).
    pub fn hidden_count(&self) -> usize {
        self.len.saturating_sub(self.len())
    }

    /// Number of records a filter hides (not counting those folded into a chain's row).
    pub fn filtered_count(&self) -> usize {
        match &self.explicit {
            Some(_) => self.hidden_count().saturating_sub(self.hidden.len()),
            None => 0,
        }
    }

    /// Position of row `row`'s record (the first member for a folded chain).
    pub fn pos(&self, row: usize) -> Option<usize> {
        match &self.explicit {
            Some(v) => v.get(row).map(|&p| p as usize),
            None => {
                if row >= self.len() {
                    return None;
                }
                // The k-th hidden position has (h - k) visible positions before it, which
                // grows with k: count the hidden ones that come before row `row`.
                let (mut lo, mut hi) = (0usize, self.hidden.len());
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    let before = (self.hidden[mid] as usize).saturating_sub(mid);
                    if before <= row {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                Some(row + lo)
            }
        }
    }

    /// What row `row` shows.
    pub fn row(&self, row: usize) -> Option<Row> {
        let pos = self.pos(row)?;
        Some(match self.folded_head(pos) {
            Some(chain) => Row::Chain { chain, pos },
            None => Row::Record(pos),
        })
    }

    /// The row showing `pos`: its own, or its folded chain's. `None` when a filter hides it.
    pub fn row_of(&self, pos: usize, index: &Index) -> Option<usize> {
        let pos = if self.is_hidden(pos) {
            let (chain, _) = index.member(pos)?;
            index.chain_head(chain)?
        } else {
            pos
        };
        let p = u32::try_from(pos).ok()?;
        match &self.explicit {
            Some(v) => v.binary_search(&p).ok(),
            None => {
                if pos >= self.len {
                    return None;
                }
                Some(pos - self.hidden.partition_point(|&h| h < p))
            }
        }
    }

    /// The row showing `pos`, or the nearest row after it (else before it).
    pub fn row_near(&self, pos: usize, index: &Index) -> usize {
        if let Some(r) = self.row_of(pos, index) {
            return r;
        }
        let p = u32::try_from(pos).unwrap_or(u32::MAX);
        let r = match &self.explicit {
            Some(v) => v.partition_point(|&x| x < p),
            None => (pos.min(self.len)).saturating_sub(self.hidden.partition_point(|&h| h < p)),
        };
        r.min(self.len().saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_with_chain(members: Vec<u32>) -> Index {
        let mut idx = Index::default();
        for (i, &p) in members.iter().enumerate() {
            let kind = if i == 0 {
                MemberKind::Root
            } else {
                MemberKind::Frame
            };
            idx.members.push((p, 0, kind));
        }
        idx.chain_members.push(members);
        idx
    }

    #[test]
    fn folded_chain_is_one_row_and_interleaved_records_stay() {
        let idx = index_with_chain(vec![2, 4, 5]);
        let rows = RowMap::new(8, &idx, &[true]);
        assert_eq!(rows.len(), 6);
        let shown: Vec<Row> = (0..rows.len()).filter_map(|r| rows.row(r)).collect();
        assert_eq!(
            shown,
            vec![
                Row::Record(0),
                Row::Record(1),
                Row::Chain { chain: 0, pos: 2 },
                Row::Record(3),
                Row::Record(6),
                Row::Record(7)
            ]
        );
        assert_eq!(rows.row_of(5, &idx), Some(2));
        assert_eq!(rows.row_of(6, &idx), Some(4));
        for r in 0..rows.len() {
            let p = rows.pos(r).unwrap();
            assert_eq!(rows.row_of(p, &idx), Some(r));
        }
        let open = RowMap::new(8, &idx, &[false]);
        assert_eq!(open.len(), 8);
        assert_eq!(open.row(2), Some(Row::Record(2)));
    }

    #[test]
    fn explicit_rows_skip_folded_members() {
        let idx = index_with_chain(vec![2, 4, 5]);
        let mut rows = RowMap::new(8, &idx, &[true]);
        rows.start_explicit();
        for p in [1, 2, 4, 6] {
            rows.push_visible(p);
        }
        assert_eq!(rows.len(), 3);
        assert_eq!(rows.row_of(4, &idx), Some(1));
        assert_eq!(rows.row_of(3, &idx), None);
        assert_eq!(rows.row_near(3, &idx), 2);
        assert_eq!(rows.hidden_count(), 5);
    }
}
