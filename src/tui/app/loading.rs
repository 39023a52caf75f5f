//! Loading: how far the worker has gone, swapping the preview for the whole log (and a
//! grown log in), and what waits for the whole log (the saved session, the top finding).

use crate::log::{Log, RecordRef};
use crate::tui::load::{LoadMsg, Loaded};
use crate::tui::rows::RowMap;
use crate::tui::session::Session;

use super::App;

/// How far loading has gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadState {
    /// The worker is reading and indexing.
    Indexing {
        /// Bytes done.
        done: u64,
        /// Bytes in all (0 when unknown).
        total: u64,
    },
    /// The worker is analysing.
    Analysing,
    /// Everything is loaded.
    Ready,
    /// The worker failed: the preview is all there is.
    Failed(String),
}

/// Loading, and what waits for it.
#[derive(Clone, Debug)]
pub struct Loading {
    /// How far it has gone.
    pub state: LoadState,
    /// False while the rows come from a file's tail, whose line numbers are not known.
    pub lines_known: bool,
    /// Sources already said to have changed on disk (see [`App::check_changed`]).
    pub(super) changed_told: Vec<usize>,
    /// A saved session to put back once the whole log is in.
    pub session_pending: Option<Session>,
}

impl Default for Loading {
    fn default() -> Loading {
        Loading {
            state: LoadState::Ready,
            lines_known: true,
            changed_told: Vec::new(),
            session_pending: None,
        }
    }
}

impl App {
    /// Swaps in new data: the full log after the preview, or a grown log from the follower.
    /// The cursor stays on the same record; chains keep their fold state, new ones fold.
    pub fn replace(&mut self, loaded: Loaded) {
        let anchor = self.current_ref();
        let marks: Vec<RecordRef> = self.bookmarks.iter().copied().collect();
        let mapped_anchor = anchor.map(|r| self.map_ref(r, &loaded.log));
        self.bookmarks = marks
            .into_iter()
            .map(|r| self.map_ref(r, &loaded.log))
            .collect();
        self.live.preview_origin.clear();
        self.load.lines_known = true;
        self.install(loaded);
        if let Some(r) = mapped_anchor {
            let pos = self.index.position(&self.log, r);
            self.view.cursor = self.rows.row_near(pos, &self.index);
        }
        self.view.end_if_following(self.rows.len());
        self.restart_jobs();
        self.scroll_to_cursor(true);
    }

    /// Maps a record of the current (preview) log to the same record of `full`.
    fn map_ref(&self, r: RecordRef, full: &Log) -> RecordRef {
        if self.live.preview_origin.is_empty() {
            return r;
        }
        let Some(&(input, base)) = self.live.preview_origin.get(r.source as usize) else {
            return r;
        };
        let start = self
            .log
            .sources
            .get(r.source as usize)
            .and_then(|s| s.records.get(r.index as usize))
            .map_or(0, |m| m.start);
        let index = full
            .sources
            .get(input)
            .map_or(0, |s| s.record_at(start + base));
        RecordRef {
            source: input as u32,
            index: index as u32,
        }
    }

    pub(super) fn install(&mut self, loaded: Loaded) {
        if let Some(notice) = skipped_notice(&loaded.skipped) {
            self.notice = Some(notice);
        }
        let chains = loaded.analysis.chains.len();
        self.folded.resize(chains, true);
        self.folded.truncate(chains);
        self.log = loaded.log;
        self.analysis = loaded.analysis;
        self.index = loaded.index;
        self.rows = RowMap::new(self.log.len(), &self.index, &self.folded);
        self.clamp_selections();
        self.view.cursor = self.view.cursor.min(self.rows.len().saturating_sub(1));
        self.live.analysed_len = self.log.len();
        self.live.incremental = loaded.live;
        self.live
            .seen_findings
            .extend(self.analysis.findings.iter().map(|f| f.id.clone()));
        self.dirty = true;
    }

    /// Says, once per source, that a file changed on disk while it was shown (it shrank
    /// under its memory map: what lay past its new end shows as NUL bytes). The runtime
    /// calls this after each turn; the check is one atomic load per source.
    pub fn check_changed(&mut self) {
        for (i, src) in self.log.sources.iter().enumerate() {
            if !src.text.changed() || self.load.changed_told.contains(&i) {
                continue;
            }
            self.load.changed_told.push(i);
            self.view_gen += 1;
            self.notice = Some(format!(
                "{} changed on disk while open (truncated?): what follows its new end shows as ␀. R reloads it",
                src.text.path
            ));
            self.dirty = true;
        }
    }

    /// After the full log arrives: unless the user has moved, show the top finding with the
    /// cursor on its evidence; when following, go to the end.
    pub(super) fn after_load(&mut self) {
        if self.view.end_if_following(self.rows.len()) {
            self.scroll_to_cursor(true);
            return;
        }
        if self.view.moved {
            return;
        }
        if let Some(i) = self.analysis.opening_finding() {
            self.open_finding(i);
        } else {
            self.open_first_error_to_read();
        }
    }

    pub(super) fn on_load(&mut self, msg: LoadMsg) {
        match msg {
            LoadMsg::Progress { done, total } => {
                self.load.state = LoadState::Indexing { done, total };
            }
            LoadMsg::Analysing => self.load.state = LoadState::Analysing,
            LoadMsg::Indexed(loaded) => {
                // The whole log, before its analysis: readable now; the top finding, the
                // session and the analysis's tables come with Done.
                self.load.changed_told.clear();
                self.replace(*loaded);
                self.load.state = LoadState::Analysing;
            }
            LoadMsg::Done(loaded) => {
                self.load.state = LoadState::Ready;
                self.load.changed_told.clear();
                self.replace(*loaded);
                self.after_load();
                if let Some(s) = self.load.session_pending.take() {
                    self.restore(&s);
                }
            }
            LoadMsg::Failed(e) => self.load.state = LoadState::Failed(e),
        }
        self.dirty = true;
    }
}

/// The status line for inputs that could not be read: the first one named, the rest
/// counted; sanitised, since it quotes file names.
pub(crate) fn skipped_notice(skipped: &[String]) -> Option<String> {
    let first = skipped.first()?;
    let more = match skipped.len() - 1 {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    Some(crate::sanitize::sanitize(&format!("{first}{more}")).into_owned())
}

#[cfg(test)]
mod tests {
    use super::skipped_notice;

    #[test]
    fn skipped_inputs_name_the_first_count_the_rest_and_stay_inert() {
        assert_eq!(skipped_notice(&[]), None);
        let one = vec!["a.log: permission denied".to_string()];
        assert_eq!(
            skipped_notice(&one).as_deref(),
            Some("a.log: permission denied")
        );
        let three = vec![
            "bad\u{1b}]0;x\u{7}.log: permission denied".to_string(),
            "b.log: gone".to_string(),
            "c.log: gone".to_string(),
        ];
        let notice = skipped_notice(&three).unwrap_or_default();
        assert!(notice.ends_with(" (and 2 more)"), "{notice}");
        assert!(
            !notice.contains('\u{1b}') && !notice.contains('\u{7}'),
            "{notice}"
        );
    }
}
