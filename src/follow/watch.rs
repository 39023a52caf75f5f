//! File-system events as wake-ups. They never carry meaning here: whatever happens, the
//! worker re-reads the real state, and the poll finds everything the events miss.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::PathBuf;

use crossbeam_channel::{Receiver, Sender};
#[cfg(not(target_os = "linux"))]
use notify::event::{AccessKind, AccessMode};
#[cfg(not(target_os = "linux"))]
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::{Ctx, FollowEvent, Stopped};

/// Watches folders (not recursively) and wakes the worker when something in them that
/// matters changes.
pub(crate) struct Watch {
    watcher: Option<Watcher>,
    dirs: Vec<PathBuf>,
    watched: HashSet<PathBuf>,
    /// Kept so that the wake channel never disconnects, even with no watcher.
    _tx: Sender<()>,
    rx: Receiver<()>,
}

impl Watch {
    /// Watches `dirs` for changes to files named one of `names` (compared without case).
    /// With `enabled` false, or when the platform's watcher cannot start, nothing is
    /// watched and the poll does all the work (the consumer is told why).
    pub(crate) fn new(
        dirs: Vec<PathBuf>,
        names: &[OsString],
        enabled: bool,
        ctx: &mut Ctx,
    ) -> Result<Watch, Stopped> {
        // One slot: a wake-up already pending covers any number of later events.
        let (tx, rx) = crossbeam_channel::bounded(1);
        let mut watch = Watch {
            watcher: None,
            dirs,
            watched: HashSet::new(),
            _tx: tx.clone(),
            rx,
        };
        if !enabled {
            return Ok(watch);
        }
        let names: HashSet<String> = names.iter().map(|n| lower(n)).collect();
        match Watcher::new(names, tx) {
            Ok(w) => watch.watcher = Some(w),
            Err(e) => {
                ctx.send(FollowEvent::PollOnly {
                    reason: format!("file-system events unavailable ({e})"),
                })?;
            }
        }
        Ok(watch)
    }

    /// The channel that receives wake-ups.
    pub(crate) fn wakes(&self) -> &Receiver<()> {
        &self.rx
    }

    /// Starts watching folders that have appeared and forgets those that have gone (a
    /// watch does not survive its folder being deleted and made again).
    pub(crate) fn refresh(&mut self) {
        let Some(w) = self.watcher.as_mut() else {
            return;
        };
        for dir in &self.dirs {
            let exists = dir.is_dir();
            let known = self.watched.contains(dir);
            if exists && !known {
                if w.watch(dir) {
                    self.watched.insert(dir.clone());
                }
            } else if !exists && known {
                w.unwatch(dir);
                self.watched.remove(dir);
            }
        }
    }
}

fn lower(n: &std::ffi::OsStr) -> String {
    n.to_string_lossy().to_lowercase()
}

/// Linux: inotify read on a thread of the follower's own, paced (see [`super::inotify`]).
#[cfg(target_os = "linux")]
struct Watcher(super::inotify::Paced);

#[cfg(target_os = "linux")]
impl Watcher {
    fn new(names: HashSet<String>, tx: Sender<()>) -> std::io::Result<Watcher> {
        super::inotify::Paced::new(names, tx, super::tail::BURST_PAUSE).map(Watcher)
    }

    fn watch(&mut self, dir: &std::path::Path) -> bool {
        self.0.watch(dir)
    }

    fn unwatch(&mut self, dir: &std::path::Path) {
        self.0.unwatch(dir);
    }
}

/// Elsewhere: the platform's watcher, through notify.
#[cfg(not(target_os = "linux"))]
struct Watcher(RecommendedWatcher);

#[cfg(not(target_os = "linux"))]
impl Watcher {
    fn new(names: HashSet<String>, tx: Sender<()>) -> notify::Result<Watcher> {
        let handler = move |res: notify::Result<Event>| {
            let wake = match res {
                Ok(ev) => matters(&ev, &names),
                Err(_) => true,
            };
            if wake {
                let _ = tx.try_send(());
            }
        };
        notify::recommended_watcher(handler).map(Watcher)
    }

    fn watch(&mut self, dir: &std::path::Path) -> bool {
        self.0.watch(dir, RecursiveMode::NonRecursive).is_ok()
    }

    fn unwatch(&mut self, dir: &std::path::Path) {
        let _ = self.0.unwatch(dir);
    }
}

/// Is this event about one of the files of interest? Our own opens and reads are not.
#[cfg(not(target_os = "linux"))]
fn matters(ev: &Event, names: &HashSet<String>) -> bool {
    if let EventKind::Access(kind) = ev.kind {
        if kind != AccessKind::Close(AccessMode::Write) {
            return false;
        }
    }
    ev.paths.is_empty()
        || ev.paths.iter().any(|p: &PathBuf| match p.file_name() {
            Some(n) => names.contains(&lower(n)),
            None => true,
        })
}
