//! `report --follow --format ndjson`: findings streamed headless as a live log grows, one
//! NDJSON line each as it appears (and the machine's record whenever its outcome, failing
//! step or cause changes), until interrupted. For a collector at the edge that forwards
//! the lines to an analytics engine while the task sequence runs.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::analysis::Incremental;
use crate::engine::Engine;
use crate::follow::{
    apply_batch, settled_len, FollowEvent, FollowOptions, FollowTarget, Follower, Held,
};
use crate::log::{Log, Source};
use crate::source::Encoding;

use super::out::{write_finding, write_machine};
use super::MachineResult;

/// While records arrive, the analysis is brought up to date at most this often (each time
/// only the records that arrived are searched: see [`Incremental`]).
const ANALYSIS_GAP: Duration = Duration::from_millis(250);

/// What a path given to `report --follow` is followed as: a folder (existing, or named
/// like one) has its live `smsts.log` followed, anything else is one file.
fn target(arg: &str) -> FollowTarget {
    let p = Path::new(arg);
    if p.is_dir() || (!p.exists() && crate::input::names_a_folder(arg)) {
        FollowTarget::Dirs(vec![PathBuf::from(arg)])
    } else {
        FollowTarget::File(PathBuf::from(arg))
    }
}

/// Follows `paths` from their start, writing NDJSON to `out` as findings appear, until
/// `stop` is set (or the output is closed).
pub fn follow_ndjson(
    engine: &Engine,
    machine: &str,
    paths: &[String],
    poll: Duration,
    out: &mut dyn Write,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let (tx, rx) = crossbeam_channel::bounded::<(usize, FollowEvent)>(64);
    let mut followers = Vec::new();
    let mut log = Log::from_sources(Vec::new());
    // Per followed path: the source its records go to now.
    let mut current = Vec::new();
    for (i, arg) in paths.iter().enumerate() {
        let opts = FollowOptions {
            poll,
            ..FollowOptions::default()
        };
        followers.push(Follower::spawn_into(target(arg), opts, tx.clone(), i));
        current.push(log.push_source(Source::streaming(arg.clone(), Encoding::Utf8)));
    }
    drop(tx);
    let path = paths.join(" ");
    let mut seen: HashSet<String> = HashSet::new();
    let mut shown: Option<(String, Option<String>, Option<String>)> = None;
    let mut live = Incremental::new();
    // Per source, its provisional records (see `follow::apply_batch`).
    let mut held: Vec<(usize, Held)> = Vec::new();
    let mut last = Instant::now() - ANALYSIS_GAP;
    while !stop.load(Ordering::Relaxed) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok((i, event)) => on_event(&mut log, &mut current, &mut held, i, event),
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
        }
        // Provisional records may come again whole: the analysis stops before them.
        let settled = settled_len(&log, &held);
        if settled == live.fed() || last.elapsed() < ANALYSIS_GAP {
            continue;
        }
        last = Instant::now();
        live.feed(&log, engine.rules(), settled);
        if !live.changed() {
            continue;
        }
        let analysis = live.analysis(&log, engine.rules());
        let m = MachineResult::of(machine, &path, &log, &analysis);
        let state = (
            m.outcome.to_string(),
            m.failing_step.clone(),
            m.cause.clone(),
        );
        let mut wrote = false;
        if shown.as_ref() != Some(&state) && (m.outcome != "unknown" || !m.findings.is_empty()) {
            write_machine(out, &m)?;
            shown = Some(state);
            wrote = true;
        }
        for (rank, f) in m.findings.iter().enumerate() {
            if seen.insert(f.id.clone()) {
                write_finding(out, &m, rank, f)?;
                wrote = true;
            }
        }
        if wrote {
            out.flush()?;
        }
    }
    for f in followers {
        f.stop();
    }
    Ok(())
}

/// Applies a follower's event to the log: records are appended; a file that starts over
/// (truncated, rolled over, replaced, or another one followed) goes on in a new source, so
/// that its line numbers and evidence stay its own.
fn on_event(
    log: &mut Log,
    current: &mut [usize],
    held: &mut Vec<(usize, Held)>,
    i: usize,
    event: FollowEvent,
) {
    let Some(&si) = current.get(i) else {
        return;
    };
    match event {
        FollowEvent::Records { source, batch } => {
            let Some(src) = log.sources.get_mut(si) else {
                return;
            };
            if src.records.is_empty() && src.text.bytes().is_empty() {
                // A stream's encoding is known only from its first bytes, its name once found.
                *src = Source::streaming(source, batch.encoding);
            }
            let at = held.iter().position(|(s, _)| *s == si);
            let mut mine = at.map(|k| held.swap_remove(k).1);
            apply_batch(log, si, &batch, &mut mine);
            if let Some(h) = mine {
                held.push((si, h));
            }
        }
        FollowEvent::Truncated { path }
        | FollowEvent::Rotated { path, .. }
        | FollowEvent::Recreated { path } => {
            // The follower starts over: records it left provisional stay as they are.
            held.retain(|(s, _)| *s != si);
            current[i] = log.push_source(Source::streaming(path, Encoding::Utf8));
        }
        FollowEvent::Switched {
            to,
            continued: false,
            ..
        } => {
            held.retain(|(s, _)| *s != si);
            current[i] = log.push_source(Source::streaming(to, Encoding::Utf8));
        }
        _ => {}
    }
}
