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

use inotify::{Inotify, WatchDescriptor, WatchMask};

/// Events buffer: room for many events at once (each is 16 bytes and its name).
const EVENTS_BUFFER: usize = 8 << 10;

/// The inotify watches of one follower.
pub(crate) struct Events {
    inotify: Inotify,
    watched: HashMap<PathBuf, WatchDescriptor>,
    /// The file names that matter (lowercase).
    names: Vec<String>,
    buf: Vec<u8>,
    /// The queue was read to its end just now (by a wait): the look that follows needs no
    /// read of its own.
    clean: bool,
    /// Since [`Events::take_renamed`]: a followed name may name another file, or none (an
    /// event about it other than a write, events lost, or a watched folder gone).
    renamed: bool,
    /// Since [`Events::take_lost`]: the watches of these folders ended (the folder was
    /// deleted or moved), or, with `overflow`, may have.
    lost: HashSet<i32>,
    overflow: bool,
}

/// The size of an event without its name (`struct inotify_event`).
const EVENT_HEAD: usize = 16;
/// The largest event: its head and a name of NAME_MAX bytes with its NUL, padded.
const EVENT_MAX: usize = EVENT_HEAD + 256;

impl Events {
    /// Starts watching for events about files named one of `names` (lowercase).
    pub(crate) fn new(names: HashSet<String>) -> io::Result<Events> {
        Ok(Events {
            inotify: Inotify::init()?,
            watched: HashMap::new(),
            names: names.into_iter().collect(),
            buf: vec![0u8; EVENTS_BUFFER],
            clean: false,
            renamed: true,
            lost: HashSet::new(),
            overflow: false,
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
            self.lost.remove(&wd.get_watch_descriptor_id());
            let _ = self.inotify.watches().remove(wd);
        }
    }

    /// True when the watch on `dir` is known to be in place: no event said that it ended.
    pub(crate) fn intact(&self, dir: &Path) -> bool {
        !self.overflow
            && self
                .watched
                .get(dir)
                .is_some_and(|wd| !self.lost.contains(&wd.get_watch_descriptor_id()))
    }

    /// True when the watch on `dir` ended (see [`Events::intact`]).
    pub(crate) fn ended(&self, dir: &Path) -> bool {
        self.watched
            .get(dir)
            .is_some_and(|wd| self.lost.contains(&wd.get_watch_descriptor_id()))
    }

    /// The folders were looked at again: what was lost is forgotten.
    pub(crate) fn checked(&mut self) {
        self.overflow = false;
        self.lost.clear();
    }

    /// Whether a followed name may have changed what it names since the last call.
    pub(crate) fn take_renamed(&mut self) -> bool {
        std::mem::take(&mut self.renamed)
    }

    /// Reads what is queued, unless a wait just did; see [`Events::drain`].
    pub(crate) fn settle(&mut self) {
        if !std::mem::take(&mut self.clean) {
            self.drain();
        }
    }

    /// Reads every event queued; true when one is about a followed name, a watched folder
    /// itself, or events were lost (or cannot be read): a reason to look.
    pub(crate) fn drain(&mut self) -> bool {
        let mut matters = false;
        loop {
            // SAFETY: `buf` is a live, writable buffer of the length passed with it.
            let n = unsafe {
                libc::read(
                    self.fd(),
                    self.buf.as_mut_ptr().cast::<libc::c_void>(),
                    self.buf.len(),
                )
            };
            let Ok(n) = usize::try_from(n) else {
                match io::Error::last_os_error().kind() {
                    io::ErrorKind::WouldBlock => {
                        self.clean = true;
                        return matters;
                    }
                    io::ErrorKind::Interrupted => continue,
                    _ => {
                        self.renamed = true;
                        self.overflow = true;
                        return true;
                    }
                }
            };
            matters |= self.note(n);
            // The kernel hands out as many whole events as fit: with room left for the
            // largest one, the queue was empty (what comes later wakes the next wait).
            if n == 0 || n + EVENT_MAX <= self.buf.len() {
                self.clean = true;
                return matters;
            }
        }
    }

    /// Takes note of the `n` bytes of events read into `buf`; true when one matters.
    fn note(&mut self, n: usize) -> bool {
        let mut matters = false;
        let mut at = 0;
        let field = |b: &[u8], at: usize| -> u32 {
            b.get(at..at + 4)
                .and_then(|f| f.try_into().ok())
                .map_or(0, u32::from_ne_bytes)
        };
        while at + EVENT_HEAD <= n {
            let b = &self.buf[..n];
            let wd = field(b, at) as i32;
            let mask = field(b, at + 4);
            let len = field(b, at + 12) as usize;
            let name = b
                .get(at + EVENT_HEAD..(at + EVENT_HEAD + len).min(n))
                .unwrap_or(&[]);
            let name = &name[..name.iter().position(|&c| c == 0).unwrap_or(name.len())];
            at += EVENT_HEAD + len;
            if mask & libc::IN_Q_OVERFLOW != 0 {
                self.overflow = true;
                self.renamed = true;
                matters = true;
                continue;
            }
            if mask & (libc::IN_DELETE_SELF | libc::IN_MOVE_SELF | libc::IN_IGNORED) != 0 {
                self.lost.insert(wd);
                self.renamed = true;
                matters = true;
                continue;
            }
            if name.is_empty() {
                matters = true;
                self.renamed = true;
                continue;
            }
            if self.followed(name) {
                matters = true;
                // Only a write leaves the name naming the same file.
                if mask & !(libc::IN_MODIFY | libc::IN_CLOSE_WRITE) != 0 {
                    self.renamed = true;
                }
            }
        }
        matters
    }

    /// Is this file name one of those followed (compared without case)?
    fn followed(&self, name: &[u8]) -> bool {
        let name = String::from_utf8_lossy(name);
        self.names.iter().any(|n| n.eq_ignore_ascii_case(&name))
            || (!name.is_ascii() && self.names.contains(&name.to_lowercase()))
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
        if let Some(e) = events.as_deref_mut() {
            if fds[1].revents != 0 {
                if e.drain() {
                    return Woke::Event;
                }
            } else if n == 0 {
                // Nothing was queued when the time ran out.
                e.clean = true;
            }
        }
        if n == 0 || left.is_zero() {
            return Woke::Timeout;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn writes_leave_the_name_alone_renames_and_a_gone_folder_do_not() {
        let top = tempfile::tempdir().expect("tempdir");
        let dir = top.path().join("logs");
        std::fs::create_dir(&dir).expect("folder");
        let path = dir.join("SMSTS.log");
        std::fs::write(&path, "a\n").expect("write");
        let mut ev = Events::new(HashSet::from(["smsts.log".to_string()])).expect("inotify");
        assert!(ev.watch(&dir));
        assert!(ev.take_renamed(), "the first look looks at the path");
        assert!(ev.intact(&dir));

        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open");
        f.write_all(b"b\n").expect("append");
        assert!(ev.drain(), "a write to the followed name wakes");
        assert!(
            !ev.take_renamed(),
            "a write leaves the name naming the file"
        );
        std::fs::write(dir.join("other.log"), "x\n").expect("other");
        assert!(!ev.drain(), "another file does not wake");
        assert!(!ev.take_renamed());

        std::fs::rename(&path, dir.join("smsts-1.log")).expect("rename");
        assert!(ev.drain());
        assert!(ev.take_renamed(), "a rename away is a change of name");
        f.write_all(b"c\n").expect("append");
        std::fs::write(&path, "new\n").expect("recreate");
        assert!(ev.drain());
        assert!(
            ev.take_renamed(),
            "a file made under the name is a change of name"
        );

        drop(f);
        std::fs::remove_dir_all(&dir).expect("remove");
        assert!(ev.drain());
        assert!(
            !ev.intact(&dir) && ev.ended(&dir),
            "the folder's watch ended"
        );
        ev.unwatch(&dir);
        ev.checked();
        assert!(!ev.intact(&dir));
    }
}
