//! The front door's second half: inputs read (through [`crate::input`]), framed and
//! analysed, with the rules' scan compiled once per rule set (the [`RuleSet`] keeps it), so
//! once per run. `report`, `scan`, the explorer's
//! worker and its live analysis all come through an [`Engine`].

use std::time::{Duration, Instant};

use crate::analysis::{self, Analysis};
use crate::input::{self, Input};
use crate::kb::RuleSet;
use crate::log::{Log, Source};
use crate::source::{SourceError, SourceText};

/// The rules and their compiled scan, shared by every log of a run (and across threads).
pub struct Engine {
    rules: RuleSet,
}

/// How far to go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// Read and frame only.
    Index,
    /// Also chains and steps.
    Analysis,
    /// Also the known-problem rules.
    Full,
}

/// What the explorer's worker is told while it loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Bytes read and indexed so far, out of the total (0 when unknown, as for a pipe).
    Bytes {
        /// Done.
        done: u64,
        /// Total.
        total: u64,
    },
    /// Indexing is done; the analysis is running.
    Analysing,
}

/// A log read and framed for the explorer, not yet analysed (see [`Engine::frame`]).
pub struct Framed {
    /// The log.
    pub log: Log,
    /// As [`Opened::skipped`].
    pub skipped: Vec<String>,
    /// As [`Opened::resume`].
    pub resume: Vec<Option<(u64, u32)>>,
}

/// A log opened and analysed.
pub struct Opened {
    /// The log.
    pub log: Log,
    /// Its analysis (empty at [`Depth::Index`]).
    pub analysis: Analysis,
    /// Entries of bundles that could not be read and were left out, one line each.
    pub skipped: Vec<String>,
    /// Per input loaded for following: where its follower takes over (the file offset just
    /// after the last complete record kept, and the line number there).
    pub resume: Vec<Option<(u64, u32)>>,
    /// For a log loaded for following: its analysis so far, ready to take the records
    /// that arrive next.
    pub live: Option<analysis::Incremental>,
}

impl Engine {
    /// An engine for a rule set.
    pub fn new(rules: RuleSet) -> Engine {
        Engine { rules }
    }

    /// The rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Reads every input; an entry of a bundle that cannot be read is left out and named
    /// in `skipped`, anything else that cannot be read fails. Fails too when nothing at
    /// all could be read.
    pub fn read(
        &self,
        inputs: &[Input],
        skipped: &mut Vec<String>,
    ) -> Result<Vec<SourceText>, SourceError> {
        let mut texts = Vec::with_capacity(inputs.len());
        let mut first_err = None;
        for input in inputs {
            match input.read() {
                Ok(t) => texts.push(t),
                Err(e) if input.in_bundle() => {
                    skipped.push(format!("{e}: skipped"));
                    first_err.get_or_insert(e);
                }
                Err(e) => return Err(e),
            }
        }
        match first_err {
            Some(e) if texts.is_empty() => Err(e),
            _ => Ok(texts),
        }
    }

    /// Reads, frames and analyses inputs as fast as it can: the trigger records are read
    /// while framing (`report`, `scan`).
    pub fn open(&self, inputs: &[Input], depth: Depth) -> Result<Opened, SourceError> {
        let mut skipped = Vec::new();
        let texts = self.read(inputs, &mut skipped)?;
        let t = crate::timing::Stage::start("open and index");
        let (log, analysis) = match depth {
            Depth::Index => {
                let sources = texts.into_iter().map(Source::index).collect();
                (Log::from_sources(sources), Analysis::default())
            }
            Depth::Analysis | Depth::Full => {
                let rules = if depth == Depth::Full {
                    &self.rules
                } else {
                    &RuleSet::empty()
                };
                let (log, applied) = analysis::open_texts(texts, rules);
                drop(t);
                let _t = crate::timing::Stage::start("analysis");
                let analysis = analysis::analyze_applied(&log, rules, applied);
                (log, analysis)
            }
        };
        log.check_records()?;
        Ok(Opened {
            log,
            analysis,
            skipped,
            resume: Vec::new(),
            live: None,
        })
    }

    /// Reads, frames and analyses inputs for the explorer, calling `progress` at most every
    /// 50 ms. Files whose `follow` flag is set are read into memory rather than mapped (a
    /// writer may truncate them), a last record still being written is left to the
    /// follower, and [`Opened::resume`] says where each follower takes over.
    pub fn load(
        &self,
        inputs: &[Input],
        follow: &[bool],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Opened, SourceError> {
        let framed = self.frame(inputs, follow, progress)?;
        progress(Progress::Analysing);
        let (analysis, live) = self.analyze_loaded(&framed.log, follow);
        Ok(Opened {
            log: framed.log,
            analysis,
            skipped: framed.skipped,
            resume: framed.resume,
            live,
        })
    }

    /// The first half of [`Engine::load`]: the inputs read and framed, not analysed, so
    /// that the explorer can show the whole log while the analysis runs.
    pub fn frame(
        &self,
        inputs: &[Input],
        follow: &[bool],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Framed, SourceError> {
        let total: u64 = inputs.iter().map(Input::size_hint).sum();
        let mut last = Instant::now();
        let mut report = |done: u64, force: bool| {
            if force || last.elapsed() >= Duration::from_millis(50) {
                last = Instant::now();
                progress(Progress::Bytes { done, total });
            }
        };
        let mut sources = Vec::with_capacity(inputs.len());
        let mut resume = Vec::new();
        let mut skipped = Vec::new();
        let mut before = 0u64;
        for (i, input) in inputs.iter().enumerate() {
            let followed = follow.get(i).copied().unwrap_or(false);
            let read = match input {
                Input::File(p) if followed => {
                    input::preview::read_for_follow(p).map(|(text, at)| (text, Some(at)))
                }
                Input::Stdin => {
                    input::read_stdin(&mut |n| report(before + n, false)).map(|t| (t, None))
                }
                _ => input.read().map(|t| (t, None)),
            };
            let text = match read {
                Ok((text, at)) => {
                    resume.push(at);
                    text
                }
                Err(e) if input.in_bundle() => {
                    // Keeps the sources in step with the inputs, as the preview maps them.
                    skipped.push(format!("{e}: skipped"));
                    resume.push(None);
                    SourceText::from_vec(input.name(), Vec::new())
                }
                Err(e) => return Err(e),
            };
            let size = text.bytes().len() as u64;
            let source = Source::index_with_progress(text, |done, t| {
                // Text offsets of a transcoded file differ from its size on disk; scale them.
                let part = (done * size).checked_div(t).unwrap_or(0);
                report(before + part, false);
            });
            source.check_records()?;
            before += size;
            report(before, true);
            sources.push(source);
        }
        Ok(Framed {
            log: Log::from_sources(sources),
            skipped,
            resume,
        })
    }

    /// The second half of [`Engine::load`]. A followed log goes on growing: its analysis
    /// keeps its state for the next records (the same analysis as a whole run's;
    /// tests/incremental_props.rs).
    pub fn analyze_loaded(
        &self,
        log: &Log,
        follow: &[bool],
    ) -> (Analysis, Option<analysis::Incremental>) {
        if follow.iter().any(|f| *f) {
            let mut live = analysis::Incremental::new();
            live.feed(log, &self.rules, log.len());
            (live.analysis(log, &self.rules), Some(live))
        } else {
            (self.analyze(log), None)
        }
    }

    /// Analyses a log already framed (the explorer's live log).
    pub fn analyze(&self, log: &Log) -> Analysis {
        analysis::analyze(log, &self.rules)
    }
}
