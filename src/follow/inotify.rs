//! File-system events on Linux, read straight from inotify by the follower's own worker:
//! it waits on the inotify descriptor (and on the one that says the follower was stopped)
//! with the poll's timeout, so that a change wakes one thread, not a reader thread that then
//! wakes the worker. A writer's repeated "modified" events, queued while the worker pauses
//! between two looks (see `tail::BURST_PAUSE`), are folded by the kernel and read at once.

use std::collections::{HashMap, HashSet};
use std::io;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask};

/// Events buffer: room for many events at once (each is 16 bytes and its name).
const EVENTS_BUFFER: usize = 8 << 10;

/// The inotify watches of one follower.
pub(crate) struct Events {
    inotify: Inotify,
    watched: HashMap<PathBuf, WatchDescriptor>,
    /// The file names that matter (lowercase).
    names: HashSet<String>,
    buf: Vec<u8>,
}

impl Events {
    /// Starts watching for events about files named one of `names` (lowercase).
    pub(crate) fn new(names: HashSet<String>) -> io::Result<Events> {
        Ok(Events {
            inotify: Inotify::init()?,
            watched: HashMap::new(),
            names,
            buf: vec![0u8; EVENTS_BUFFER],
        })
    }

    /// Watches a folder (not recursively); false when it cannot be watched.
    pub(crate) fn watch(&mut self, dir: &Path) -> bool {
        let mask = WatchMask::MODIFY
            | WatchMask::CLOSE_WRITE
            | WatchMask::CREATE
            | WatchMask::DELETE
            | WatchMask::MOVED_FROM
            | WatchMask::MOVED_TO
            | WatchMask::ATTRIB
            | WatchMask::DELETE_SELF
            | WatchMask::MOVE_SELF;
        match self.inotify.watches().add(dir, mask) {
            Ok(wd) => {
                self.watched.insert(dir.to_path_buf(), wd);
                true
            }
            Err(_) => false,
        }
    }

    /// Stops watching a folder (one deleted is no longer watched anyway).
    pub(crate) fn unwatch(&mut self, dir: &Path) {
        if let Some(wd) = self.watched.remove(dir) {
            let _ = self.inotify.watches().remove(wd);
        }
    }

    /// Reads every event queued; true when one is about a followed name, a watched folder
    /// itself, or events were lost (or cannot be read): a reason to look.
    pub(crate) fn drain(&mut self) -> bool {
        let mut matters = false;
        loop {
            match self.inotify.read_events(&mut self.buf) {
                Ok(events) => {
                    for ev in events {
                        matters |= ev.mask.contains(EventMask::Q_OVERFLOW)
                            || ev.name.is_none_or(|n| {
                                self.names.contains(&n.to_string_lossy().to_lowercase())
                            });
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return matters,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return true,
            }
        }
    }

    fn fd(&self) -> RawFd {
        self.inotify.as_fd().as_raw_fd()
    }
}

/// Why a wait ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Woke {
    /// The follower was stopped.
    Stopped,
    /// An event that matters (only when events were waited for).
    Event,
    /// The time was up (or the wait failed: the caller looks anyway).
    Timeout,
}

/// Waits up to `timeout` for the follower to be stopped (`stop` reads as closed) or, with
/// `events`, for an event that matters.
pub(crate) fn wait(stop: &UnixStream, mut events: Option<&mut Events>, timeout: Duration) -> Woke {
    let until = Instant::now() + timeout;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        let mut fds = [
            libc::pollfd {
                fd: stop.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: events.as_ref().map_or(-1, |e| e.fd()),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // Rounded up: a wait cut short by rounding would spin until the time is up.
        let ms = i32::try_from(left.as_micros().div_ceil(1000)).unwrap_or(i32::MAX);
        // SAFETY: `fds` is a live array of two pollfd and its length is passed with it (a
        // negative descriptor is ignored by poll).
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
        if n < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            // Looking at the file is always right; sleeping keeps a broken poll from spinning.
            std::thread::sleep(left);
            return Woke::Timeout;
        }
        if fds[0].revents != 0 {
            return Woke::Stopped;
        }
        if n == 0 || left.is_zero() {
            return Woke::Timeout;
        }
        if fds[1].revents != 0 {
            if let Some(e) = events.as_deref_mut() {
                if e.drain() {
                    return Woke::Event;
                }
            }
        }
    }
}
