//! Getting the log on screen: the preview (see [`crate::input::preview`]) shown at once,
//! and the full index and analysis from the engine on a worker thread. The explorer reads
//! no file and frames no byte itself: the front door ([`crate::input`], [`Engine`]) does.

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
    /// The log.
    pub log: Log,
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
            log: opened.log,
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
    /// Everything is ready.
    Done(Box<Loaded>),
    /// The worker failed; the preview stays.
    Failed(String),
}

/// Loads every input through the engine on the calling thread (the worker), reporting
/// progress; see [`Engine::load`].
pub fn load_full(inputs: &[Input], engine: &Engine, tx: &Sender<LoadMsg>, follow: &[bool]) {
    let mut progress = |p: Progress| {
        let _ = tx.send(match p {
            Progress::Bytes { done, total } => LoadMsg::Progress { done, total },
            Progress::Analysing => LoadMsg::Analysing,
        });
    };
    match engine.load(inputs, follow, &mut progress) {
        Ok(opened) => {
            let _ = tx.send(LoadMsg::Done(Box::new(Loaded::of(opened))));
        }
        Err(e) => {
            let _ = tx.send(LoadMsg::Failed(e.to_string()));
        }
    }
}
