//! Getting the log on screen: the preview (see [`crate::input::preview`]) shown at once,
//! and the full index and analysis from the engine on a worker thread. The explorer reads
//! no file and frames no byte itself: the front door ([`crate::input`], [`Engine`]) does.

use std::sync::Arc;

use crossbeam_channel::Sender;

use crate::analysis::{analyze, Analysis};
use crate::engine::{Engine, Opened, Progress};
use crate::kb::RuleSet;
use crate::log::Log;
use crate::source::Input;

pub use crate::input::preview::{preview, Preview};

use super::rows::Index;

/// How much of each file the preview frames: enough for many screens, little enough to
/// read and frame in a few milliseconds.
pub const PREVIEW_BYTES: usize = 1 << 20;

/// A complete log with everything derived from it, ready to swap in.
pub struct Loaded {
    /// The log. Shared while the loading worker analyses it and the explorer already
    /// shows it (see [`LoadMsg::Indexed`]); the explorer's alone afterwards.
    pub log: Arc<Log>,
    /// Its analysis.
    pub analysis: Analysis,
    /// The view's lookup tables.
    pub index: Index,
    /// Per source loaded for following: where its follower takes over (the file offset
    /// just after the last complete record kept, and the line number there).
    pub resume: Vec<Option<(u64, u32)>>,
    /// Entries of bundles that could not be read, one line each.
    pub skipped: Vec<String>,
    /// A followed log's analysis, ready to take the records that arrive next.
    pub live: Option<crate::analysis::Incremental>,
}

impl Loaded {
    /// Derives the analysis and tables of a log (for tests and the library).
    pub fn new(log: Log, rules: &RuleSet) -> Loaded {
        let analysis = analyze(&log, rules);
        Loaded::of(Opened {
            log,
            analysis,
            skipped: Vec::new(),
            resume: Vec::new(),
            live: None,
        })
    }

    /// Derives the analysis and tables of a log with the run's engine.
    pub fn with(log: Log, engine: &Engine) -> Loaded {
        let analysis = engine.analyze(&log);
        Loaded::of(Opened {
            log,
            analysis,
            skipped: Vec::new(),
            resume: Vec::new(),
            live: None,
        })
    }

    /// The view's tables for a log the engine opened.
    pub fn of(opened: Opened) -> Loaded {
        let index = Index::build(&opened.log, &opened.analysis);
        Loaded {
            log: Arc::new(opened.log),
            analysis: opened.analysis,
            index,
            resume: opened.resume,
            skipped: opened.skipped,
            live: opened.live,
        }
    }
}

/// What the loading worker reports.
pub enum LoadMsg {
    /// Bytes read and indexed so far, out of the total (0 when unknown, as for a pipe).
    Progress {
        /// Done.
        done: u64,
        /// Total.
        total: u64,
    },
    /// Indexing is done; the analysis is running.
    Analysing,
    /// The whole log, framed, with its errors and warnings tabled but not yet analysed
    /// (no chains, steps or findings): shown while the analysis runs, so that a big log
    /// can be read, searched and filtered, and its overview strip drawn, that much
    /// sooner. [`LoadMsg::Done`] follows with the same log.
    Indexed(Box<Loaded>),
    /// Everything is ready.
    Done(Box<Loaded>),
    /// The worker failed; the preview stays.
    Failed(String),
}

/// Loads every input through the engine on the calling thread (the worker), reporting
/// progress; see [`Engine::frame`]. A log that is not followed is sent twice: framed
/// ([`LoadMsg::Indexed`]), then analysed ([`LoadMsg::Done`]).
pub fn load_full(inputs: &[Input], engine: &Engine, tx: &Sender<LoadMsg>, follow: &[bool]) {
    // Fault injection for tests/e2e_tmux.rs: a panic here must end the program with the
    // terminal restored and a non-zero status.
    if std::env::var_os("TSLENS_FAULT").is_some_and(|v| v == "worker-panic") {
        panic!("TSLENS_FAULT=worker-panic: a panic injected on the loading worker");
    }
    let mut progress = |p: Progress| {
        let _ = tx.send(match p {
            Progress::Bytes { done, total } => LoadMsg::Progress { done, total },
            Progress::Analysing => LoadMsg::Analysing,
        });
    };
    let framed = match engine.frame(inputs, follow, &mut progress) {
        Ok(f) => f,
        Err(e) => {
            let _ = tx.send(LoadMsg::Failed(e.to_string()));
            return;
        }
    };
    progress(Progress::Analysing);
    let log = Arc::new(framed.log);
    // A followed log stays unshared: its followers append to it once it is in.
    if !follow.iter().any(|f| *f) {
        let bare = Analysis::default();
        let _ = tx.send(LoadMsg::Indexed(Box::new(Loaded {
            index: Index::build(&log, &bare),
            log: log.clone(),
            analysis: bare,
            resume: framed.resume.clone(),
            skipped: Vec::new(),
            live: None,
        })));
    }
    let (analysis, live) = engine.analyze_loaded(&log, follow);
    let index = Index::build(&log, &analysis);
    let _ = tx.send(LoadMsg::Done(Box::new(Loaded {
        log,
        analysis,
        index,
        resume: framed.resume,
        skipped: framed.skipped,
        live,
    })));
}
