//! File-system events on Linux, read straight from inotify and paced: after a wake-up the
//! reader sleeps a few milliseconds before it reads again, and meanwhile the kernel folds a
//! writer's repeated "modified" events into one. notify's own thread reads each event as it
//! comes, so a log written a record at a time woke it a thousand times a second.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crossbeam_channel::Sender;
use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask, Watches};

/// Events buffer: room for many events at once (each is 16 bytes and its name).
const EVENTS_BUFFER: usize = 8 << 10;

/// Watches folders (not recursively) on a thread of its own; dropping it ends the thread.
pub(crate) struct Paced {
    watches: Watches,
    watched: HashMap<PathBuf, WatchDescriptor>,
    /// Dropped with the watcher: its other end then reads as closed, which ends the thread.
    _stop: UnixStream,
}

impl Paced {
    /// Starts the reader: `wake` gets a message when an event is about one of `names`
    /// (lowercase file names) or about a watched folder itself; after each, the reader
    /// sleeps `pace`.
    pub(crate) fn new(
        names: std::collections::HashSet<String>,
        wake: Sender<()>,
        pace: Duration,
    ) -> io::Result<Paced> {
        let inotify = Inotify::init()?;
        let watches = inotify.watches();
        let (stop, stopped) = UnixStream::pair()?;
        std::thread::Builder::new()
            .name("tslens-inotify".into())
            .spawn(move || read_loop(inotify, &stopped, &names, &wake, pace))?;
        Ok(Paced {
            watches,
            watched: HashMap::new(),
            _stop: stop,
        })
    }

    /// Watches a folder; false when it cannot be watched.
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
        match self.watches.add(dir, mask) {
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
            let _ = self.watches.remove(wd);
        }
    }
}

/// Waits for events or the stop, whichever comes first; true for events.
fn wait(inotify: &Inotify, stop: &UnixStream) -> io::Result<bool> {
    let mut fds = [
        libc::pollfd {
            fd: inotify.as_fd().as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: stop.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    loop {
        // SAFETY: `fds` is a live array of two pollfd and its length is passed with it.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, -1) };
        if n >= 0 {
            break;
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    Ok(fds[1].revents == 0)
}

fn read_loop(
    mut inotify: Inotify,
    stop: &UnixStream,
    names: &std::collections::HashSet<String>,
    wake: &Sender<()>,
    pace: Duration,
) {
    let mut buf = vec![0u8; EVENTS_BUFFER];
    loop {
        match wait(&inotify, stop) {
            Ok(true) => {}
            // Stopped, or the wait failed: the poll does the work from here.
            Ok(false) | Err(_) => {
                let _ = wake.try_send(());
                return;
            }
        }
        let mut matters = false;
        loop {
            match inotify.read_events(&mut buf) {
                Ok(events) => {
                    for ev in events {
                        matters |= ev.mask.contains(EventMask::Q_OVERFLOW)
                            || ev.name.is_none_or(|n| {
                                names.contains(&n.to_string_lossy().to_lowercase())
                            });
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => {
                    let _ = wake.try_send(());
                    return;
                }
            }
        }
        if matters {
            let _ = wake.try_send(());
            std::thread::sleep(pace);
        }
    }
}
