//! File-system events as wake-ups. They never carry meaning here: whatever happens, the
//! worker re-reads the real state, and the poll finds everything the events miss.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

#[cfg(not(target_os = "linux"))]
use crossbeam_channel::Sender;
use crossbeam_channel::{select, Receiver};
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
    #[cfg(not(target_os = "linux"))]
    _tx: Sender<()>,
    #[cfg(not(target_os = "linux"))]
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
        #[cfg(not(target_os = "linux"))]
        let (tx, rx) = crossbeam_channel::bounded(1);
        let mut watch = Watch {
            watcher: None,
            dirs,
            watched: HashSet::new(),
            #[cfg(not(target_os = "linux"))]
            _tx: tx.clone(),
            #[cfg(not(target_os = "linux"))]
            rx,
        };
        if !enabled {
            return Ok(watch);
        }
        let names: HashSet<String> = names.iter().map(|n| lower(n)).collect();
        #[cfg(target_os = "linux")]
        let started = if ctx.woken.is_some() {
            super::inotify::Events::new(names)
        } else {
            Err(std::io::Error::other("no descriptor to be stopped by"))
        };
        #[cfg(not(target_os = "linux"))]
        let started = Watcher::new(names, tx);
        match started {
            Ok(w) => watch.watcher = Some(w),
            Err(e) => {
                ctx.send(FollowEvent::PollOnly {
                    reason: format!("file-system events unavailable ({e})"),
                })?;
            }
        }
        Ok(watch)
    }

    /// Waits up to `timeout` for the follower to be stopped or, with `events`, for a change
    /// that matters.
    pub(crate) fn wait(
        &mut self,
        ctx: &Ctx,
        ctl: &Receiver<()>,
        timeout: Duration,
        events: bool,
    ) -> Result<(), Stopped> {
        #[cfg(target_os = "linux")]
        if let Some(stop) = ctx.woken.as_ref() {
            let w = self.watcher.as_mut().filter(|_| events);
            return match super::inotify::wait(stop, w, timeout) {
                super::inotify::Woke::Stopped => Err(Stopped),
                _ => Ok(()),
            };
        }
        let _ = ctx;
        #[cfg(not(target_os = "linux"))]
        if events {
            let wakes = &self.rx;
            select! {
                recv(ctl) -> _ => return Err(Stopped),
                recv(wakes) -> _ => return Ok(()),
                default(timeout) => return Ok(()),
            }
        }
        let _ = events;
        select! {
            recv(ctl) -> _ => Err(Stopped),
            default(timeout) => Ok(()),
        }
    }

    /// Forgets the changes seen so far (the look about to be taken covers them), so that
    /// only a change after it wakes the next wait.
    pub(crate) fn settle(&mut self) {
        #[cfg(target_os = "linux")]
        if let Some(w) = self.watcher.as_mut() {
            w.settle();
        }
    }

    /// Whether the followed names may name other files (or none) since the last call: true
    /// unless file-system events watch every folder and said only that files were written.
    pub(crate) fn renamed(&mut self) -> bool {
        let all = self.watched.len() == self.dirs.len();
        self.watcher
            .as_mut()
            .is_none_or(|w| w.take_renamed() || !all)
    }

    /// Starts watching folders that have appeared and forgets those that have gone (a
    /// watch does not survive its folder being deleted and made again). A folder is looked
    /// at only when no event says its watch is still in place.
    pub(crate) fn refresh(&mut self) {
        let Some(w) = self.watcher.as_mut() else {
            return;
        };
        for dir in &self.dirs {
            let mut known = self.watched.contains(dir);
            if known && w.intact(dir) {
                continue;
            }
            if known && w.ended(dir) {
                w.unwatch(dir);
                self.watched.remove(dir);
                known = false;
            }
            let exists = dir.is_dir();
            if exists && !known {
                if w.watch(dir) {
                    self.watched.insert(dir.clone());
                }
            } else if !exists && known {
                w.unwatch(dir);
                self.watched.remove(dir);
            }
        }
        w.checked();
    }
}

fn lower(n: &std::ffi::OsStr) -> String {
    n.to_string_lossy().to_lowercase()
}

/// Linux: inotify, read by the worker itself (see [`super::inotify`]).
#[cfg(target_os = "linux")]
type Watcher = super::inotify::Events;

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

    /// The platform's events do not say reliably that a folder's watch ended (nor that a
    /// name was only written to): every folder is looked at, and every path, on each look.
    fn intact(&self, _dir: &std::path::Path) -> bool {
        false
    }

    fn ended(&self, _dir: &std::path::Path) -> bool {
        false
    }

    fn checked(&mut self) {}

    fn take_renamed(&mut self) -> bool {
        true
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
