//! Getting the log on screen: a quick preview of each file's head (or tail, when following)
//! on the UI thread, and the full index and analysis on a worker thread.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use crate::analysis::{analyze, Analysis};
use crate::kb::RuleSet;
use crate::log::{Log, Source};
use crate::parse;
use crate::source::{Encoding, Input, SourceError, SourceText};

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
}

impl Loaded {
    /// Derives the analysis and tables of a log (what the worker does, for tests and the
    /// library).
    pub fn new(log: Log, rules: &RuleSet) -> Loaded {
        let analysis = analyze(&log, rules);
        let index = Index::build(&log, &analysis);
        Loaded {
            log,
            analysis,
            index,
            resume: Vec::new(),
        }
    }
}

/// A fresh analysis of a live log's snapshot, made off the UI thread.
pub struct Analysed {
    /// The analysis.
    pub analysis: Analysis,
    /// The tables for the snapshot; the records that arrived since are added on install.
    pub index: Index,
    /// Number of records in the snapshot: a prefix of the live log, whose positions never
    /// move (a live log only grows at its end).
    pub len: usize,
}

impl Analysed {
    /// Analyses a snapshot of the log.
    pub fn run(log: &Log, rules: &RuleSet) -> Analysed {
        let analysis = analyze(log, rules);
        let index = Index::build(log, &analysis);
        Analysed {
            analysis,
            index,
            len: log.len(),
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

/// A preview of the inputs, and how its records map to the full log's.
pub struct Preview {
    /// The partial log.
    pub log: Log,
    /// For each preview source: the input it came from, and the text offset where its
    /// preview starts (0 for a head).
    pub origin: Vec<(usize, u64)>,
    /// True when some preview shows a file's tail, whose line numbers are not known yet.
    pub tail: bool,
    /// True when the preview is already the whole of every input.
    pub complete: bool,
}

fn open_err(path: &Path, e: &std::io::Error) -> SourceError {
    SourceError::Open {
        path: path.display().to_string(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or folder".into(),
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            _ => e.to_string(),
        },
    }
}

fn read_up_to(file: &mut File, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(limit.min(1 << 24));
    file.take(limit as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Frames `bytes` as a source; when `complete` is false, a last record that may go on past
/// the end is left out so that the preview never shows a record cut short.
fn frame_piece(path: &str, mut bytes: Vec<u8>, complete: bool) -> Source {
    if !complete {
        let probe = SourceText::from_vec(path.to_string(), bytes.clone());
        let len = probe.bytes().len();
        let framed = parse::frame(probe.bytes(), 0, len, 1, false);
        let cut = probe.orig_offset(framed.resume as u64) as usize;
        bytes.truncate(cut);
    }
    let text = SourceText::from_vec(path.to_string(), bytes);
    let len = text.bytes().len();
    let records = parse::frame(text.bytes(), 0, len, 1, true).records;
    Source { text, records }
}

/// Frames the head of each file (or, with `tail`, the end of each UTF-8 file), at most
/// `budget` bytes each. Standard input is left to the worker. Fails when a file cannot be
/// opened, so that the error is reported before the screen opens.
pub fn preview(inputs: &[Input], tail: bool, budget: usize) -> Result<Preview, SourceError> {
    let mut sources = Vec::new();
    let mut origin = Vec::new();
    let mut any_tail = false;
    let mut complete = true;
    for (i, input) in inputs.iter().enumerate() {
        let Input::File(path) = input else {
            complete = false;
            continue;
        };
        let name = path.display().to_string();
        let mut file = File::open(path).map_err(|e| open_err(path, &e))?;
        let meta = file.metadata().map_err(|e| open_err(path, &e))?;
        if meta.is_dir() {
            return Err(SourceError::Open {
                path: name,
                reason: "is a folder".into(),
            });
        }
        let len = meta.len();
        let mut head4 = [0u8; 4];
        let got = file.read(&mut head4).map_err(|e| open_err(path, &e))?;
        let enc = Encoding::detect(&head4[..got]);
        file.seek(SeekFrom::Start(0))
            .map_err(|e| open_err(path, &e))?;
        let whole = len <= budget as u64;
        complete &= whole;
        if tail && !whole && enc == Encoding::Utf8 {
            let start = len - budget as u64;
            file.seek(SeekFrom::Start(start))
                .map_err(|e| open_err(path, &e))?;
            let buf = read_up_to(&mut file, budget).map_err(|e| open_err(path, &e))?;
            // Start at a record boundary: a line opening a CMTrace record, else any line.
            let skip = memchr::memmem::find(&buf, b"\n<![LOG[")
                .or_else(|| memchr::memchr(b'\n', &buf))
                .map_or(buf.len(), |i| i + 1);
            let piece = buf.get(skip..).unwrap_or_default().to_vec();
            sources.push(frame_piece(&name, piece, true));
            origin.push((i, start + skip as u64));
            any_tail = true;
        } else {
            // UTF-16 needs whole code units.
            let limit = if matches!(enc, Encoding::Utf16Le | Encoding::Utf16Be) {
                budget & !1
            } else {
                budget
            };
            let buf = read_up_to(&mut file, limit).map_err(|e| open_err(path, &e))?;
            sources.push(frame_piece(&name, buf, whole));
            origin.push((i, 0));
        }
    }
    Ok(Preview {
        log: Log::from_sources(sources),
        origin,
        tail: any_tail,
        complete,
    })
}

/// Reads, indexes and analyses every input on the calling thread (the worker), reporting
/// progress at most every 50 ms. Files whose `follow` flag is set are read into memory
/// rather than mapped (a writer may truncate them), a last record still being written is
/// left to the follower, and [`Loaded::resume`] says where each follower takes over.
pub fn load_full(inputs: &[Input], rules: &RuleSet, tx: &Sender<LoadMsg>, follow: &[bool]) {
    match load_inner(inputs, rules, tx, follow) {
        Ok(loaded) => {
            let _ = tx.send(LoadMsg::Done(Box::new(loaded)));
        }
        Err(e) => {
            let _ = tx.send(LoadMsg::Failed(e.to_string()));
        }
    }
}

fn load_inner(
    inputs: &[Input],
    rules: &RuleSet,
    tx: &Sender<LoadMsg>,
    follow: &[bool],
) -> Result<Loaded, SourceError> {
    let total: u64 = inputs
        .iter()
        .map(|i| match i {
            Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            Input::Stdin => 0,
        })
        .sum();
    let mut last = Instant::now();
    let mut report = |done: u64, force: bool| {
        if force || last.elapsed() >= Duration::from_millis(50) {
            last = Instant::now();
            let _ = tx.send(LoadMsg::Progress { done, total });
        }
    };
    let mut sources = Vec::with_capacity(inputs.len());
    let mut resume = Vec::new();
    let mut before = 0u64;
    for (i, input) in inputs.iter().enumerate() {
        let followed = follow.get(i).copied().unwrap_or(false);
        let text = match input {
            Input::File(p) if followed => {
                let (text, at) = read_for_follow(p)?;
                resume.push(Some(at));
                text
            }
            Input::File(p) => {
                resume.push(None);
                SourceText::open(p)?
            }
            Input::Stdin => {
                resume.push(None);
                read_stdin(&mut |n| report(before + n, false))?
            }
        };
        let size = text.bytes().len() as u64;
        let source = Source::index_with_progress(text, |done, t| {
            // Text offsets of a transcoded file differ from its size on disk; scale them.
            let part = (done * size).checked_div(t).unwrap_or(0);
            report(before + part, false);
        });
        before += size;
        report(before, true);
        sources.push(source);
    }
    let _ = tx.send(LoadMsg::Analysing);
    let log = Log::from_sources(sources);
    let mut loaded = Loaded::new(log, rules);
    loaded.resume = resume;
    Ok(loaded)
}

/// Reads a file that is about to be followed: into memory, never mapped, and without a last
/// record that may still be being written (the follower sends it whole once it is done).
/// Returns the text and where the follower must start: file offset and line number.
fn read_for_follow(path: &Path) -> Result<(SourceText, (u64, u32)), SourceError> {
    let mut bytes = std::fs::read(path).map_err(|e| open_err(path, &e))?;
    let name = path.display().to_string();
    let probe = SourceText::from_vec(name.clone(), bytes.clone());
    let len = probe.bytes().len();
    let framed = parse::frame(probe.bytes(), 0, len, 1, false);
    let cut = probe.orig_offset(framed.resume as u64);
    bytes.truncate(usize::try_from(cut).unwrap_or(usize::MAX));
    Ok((SourceText::from_vec(name, bytes), (cut, framed.resume_line)))
}

fn read_stdin(progress: &mut dyn FnMut(u64)) -> Result<SourceText, SourceError> {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 1 << 20];
    let mut stdin = std::io::stdin().lock();
    loop {
        match stdin.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                progress(buf.len() as u64);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(open_err(Path::new("-"), &e)),
        }
    }
    Ok(SourceText::from_vec("-".into(), buf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn rec(i: usize) -> String {
        format!("<![LOG[message {i}]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2026\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n")
    }

    #[test]
    fn head_preview_holds_back_a_cut_record() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        let text: String = (0..100).map(rec).collect();
        f.write_all(text.as_bytes()).unwrap();
        let budget = rec(0).len() * 10 + 5;
        let p = preview(&[Input::File(f.path().to_path_buf())], false, budget).unwrap();
        assert_eq!(p.log.len(), 10);
        assert!(!p.complete);
        assert_eq!(p.log.message(p.log.at(9)), "message 9");
    }

    #[test]
    fn tail_preview_starts_at_a_record() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        let text: String = (0..100).map(rec).collect();
        f.write_all(text.as_bytes()).unwrap();
        let budget = rec(99).len() * 10 + 5;
        let p = preview(&[Input::File(f.path().to_path_buf())], true, budget).unwrap();
        assert!(p.tail);
        assert_eq!(p.log.len(), 10);
        assert_eq!(p.log.message(p.log.at(9)), "message 99");
    }
}
