//! Live tailing: following a growing log (or the folders it moves between, or a pipe) and
//! handing its new records, complete and exactly once, to a consumer over a channel.
//!
//! [`Follower::spawn`] starts one worker thread per followed target; it sends
//! [`FollowEvent`]s and stops when the [`Follower`] is dropped or [`Follower::stop`]ped.
//!
//! - **Wake-ups.** File-system events (notify) only wake the worker early; a stat poll runs
//!   all the time ([`FollowOptions::poll`], 250 ms by default, 100 ms for two seconds after a
//!   change) because events are missed on network shares, in WSL, and on Windows while the
//!   writer keeps the file open. An idle worker sleeps on a channel.
//! - **Partial writes.** Only complete records are sent ([`Framer`]); a last record still
//!   being written is held until it is complete, or, if it stops growing for
//!   [`FollowOptions::grace`], sent as it stands in a provisional batch, which the batch
//!   that brings the rest replaces ([`apply_batch`]).
//! - **Rotation, truncation, deletion.** Rotation (the path names another file) is told by
//!   file identity; the old file is read to its end through the open handle first.
//!   Truncation (the file is shorter than what was read, or its first bytes changed) restarts
//!   at 0. A deleted path is waited for. Each is announced by an event.
//! - **Folders.** Given folders, the most recently written `smsts.log` among them is followed,
//!   switching when another becomes the newest.
//!
//! The details, and the Windows notes, are in `docs/follow.md`.

mod apply;
mod decode;
mod dirs;
mod framer;
mod ident;
#[cfg(target_os = "linux")]
mod inotify;
mod reader;
mod tail;
mod watch;

use std::fmt;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, SendTimeoutError, Sender};

pub use apply::{apply_batch, settled_len, Held};
pub use framer::{Batch, Framer};

/// The default interval of the stat poll.
pub const DEFAULT_POLL: Duration = Duration::from_millis(250);

/// The default grace period after which a held-back, unfinished record is sent as it stands.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(1);

/// What to follow.
pub enum FollowTarget {
    /// One file, by path. It need not exist yet.
    File(PathBuf),
    /// Folders in which a task sequence writes `smsts.log`: the most recently written one is
    /// followed.
    Dirs(Vec<PathBuf>),
    /// Standard input, until it ends.
    Stdin,
    /// Any byte stream, until it ends (a pipe, a socket, a test's buffer).
    Reader {
        /// The name given to the stream's records (`-` for standard input).
        name: String,
        /// The stream.
        reader: Box<dyn Read + Send>,
    },
}

impl fmt::Debug for FollowTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FollowTarget::File(p) => f.debug_tuple("File").field(p).finish(),
            FollowTarget::Dirs(d) => f.debug_tuple("Dirs").field(d).finish(),
            FollowTarget::Stdin => f.write_str("Stdin"),
            FollowTarget::Reader { name, .. } => {
                f.debug_struct("Reader").field("name", name).finish()
            }
        }
    }
}

/// Where in a file to start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// From the first byte: every record is sent.
    Beginning,
    /// From the start of the file's last line (so that a record being written is sent whole).
    /// Finding its line number means reading the file once, in the worker.
    End,
    /// From a line start the caller has already read up to, e.g. after indexing the file.
    At {
        /// Offset in the file (in its own encoding's bytes).
        offset: u64,
        /// 1-based number of the line that starts there.
        line: u32,
    },
}

/// How to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FollowOptions {
    /// Interval of the stat poll, which runs even when file-system events arrive (10 ms at
    /// least).
    pub poll: Duration,
    /// Where to start in the file found when following begins (a file that appears later,
    /// or takes the place of another, is read whole).
    pub start: Start,
    /// How long a held-back, unfinished record may stop growing before it is sent as is.
    pub grace: Duration,
    /// Whether to use file-system events as wake-ups (off: the poll alone).
    pub events: bool,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            poll: DEFAULT_POLL,
            start: Start::Beginning,
            grace: DEFAULT_GRACE,
            events: true,
        }
    }
}

/// What the worker reports. Records always come in file order; an event that changes the
/// file being read (truncation, rotation, recreation, switch) comes after every record of
/// the old file and before any of the new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FollowEvent {
    /// New complete records.
    Records {
        /// Where they come from: the followed path (or the stream's name).
        source: String,
        /// The records and their text.
        batch: Batch,
    },
    /// The path has no file yet; it is watched until one appears.
    Waiting {
        /// The path, or the folders, waited on.
        paths: Vec<String>,
    },
    /// A file is open and read from `offset` on: sent when following starts on a file, and
    /// again each time another file takes its place (after [`FollowEvent::Rotated`],
    /// [`FollowEvent::Recreated`] or [`FollowEvent::Switched`]).
    Opened {
        /// The file's path.
        path: String,
        /// Where reading starts, in the file's own bytes.
        offset: u64,
        /// The 1-based line number there.
        line: u32,
    },
    /// The file was cut short in place (or cut and rewritten, as copytruncate does):
    /// records that follow are read from its start again, from line 1.
    Truncated {
        /// The followed path.
        path: String,
    },
    /// The file was renamed (a rollover, `smsts.log` to `smsts-YYYYMMDD-HHMMSS.log`) and a
    /// new one began at the path: records that follow are the new file's, from line 1.
    Rotated {
        /// The followed path.
        path: String,
        /// Where the old file now is.
        rolled: String,
    },
    /// The path no longer names a file. What was read stays valid; the path is watched.
    Deleted {
        /// The followed path.
        path: String,
    },
    /// A file is at the path again (after [`FollowEvent::Deleted`], or in place of one that
    /// was deleted between two looks): records that follow are its own, from line 1, unless
    /// it is the same file as before, whose records simply continue.
    Recreated {
        /// The followed path.
        path: String,
    },
    /// Following folders: another `smsts.log` became the most recently written one, and is
    /// now followed.
    Switched {
        /// The file followed until now, if any.
        from: Option<String>,
        /// The file followed from now on.
        to: String,
        /// True when the new file began with everything already read from the old one (the
        /// log was copied to its new place): reading goes on after it, line numbers continue.
        /// Otherwise its records follow from line 1.
        continued: bool,
    },
    /// File-system events are unavailable; the poll alone finds changes.
    PollOnly {
        /// Why.
        reason: String,
    },
    /// A stream ([`FollowTarget::Stdin`] or [`FollowTarget::Reader`]) ended; nothing more
    /// will come.
    EndOfStream {
        /// The stream's name.
        source: String,
    },
    /// Something could not be read; following goes on. Each distinct message is sent once
    /// until reading succeeds again.
    Error(String),
}

/// A running follower. Dropping it, or calling [`Follower::stop`], ends its worker.
#[derive(Debug)]
pub struct Follower {
    ctl: Option<Sender<()>>,
    /// Closed to wake a worker that waits on file-system events (Linux).
    #[cfg(target_os = "linux")]
    wake: Option<std::os::unix::net::UnixStream>,
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
}

impl Follower {
    /// Starts following `target`; its events arrive on the returned receiver.
    pub fn spawn(target: FollowTarget, opts: FollowOptions) -> (Follower, Receiver<FollowEvent>) {
        // Bounded: a consumer that falls behind slows the reader instead of growing memory
        // (at most this many batches of a few MB each are in flight).
        let (tx, rx) = crossbeam_channel::bounded(16);
        let follower = Follower::start(target, opts, Box::new(move |ev, t| tx.send_timeout(ev, t)));
        (follower, rx)
    }

    /// Starts following `target`, sending its events tagged with `tag` on `tx`, which
    /// several followers may share: a consumer waits on one channel, with no thread to
    /// forward each follower's events (a wake-up per record at a thousand records a second).
    pub fn spawn_into(
        target: FollowTarget,
        opts: FollowOptions,
        tx: Sender<(usize, FollowEvent)>,
        tag: usize,
    ) -> Follower {
        Follower::start(
            target,
            opts,
            Box::new(move |ev, t| {
                tx.send_timeout((tag, ev), t).map_err(|e| match e {
                    SendTimeoutError::Timeout((_, ev)) => SendTimeoutError::Timeout(ev),
                    SendTimeoutError::Disconnected((_, ev)) => SendTimeoutError::Disconnected(ev),
                })
            }),
        )
    }

    fn start(target: FollowTarget, opts: FollowOptions, tx: SendFn) -> Follower {
        let (ctl_tx, ctl_rx) = crossbeam_channel::bounded::<()>(1);
        let stop = Arc::new(AtomicBool::new(false));
        let tx = Arc::new(tx);
        #[cfg(target_os = "linux")]
        let (wake, woken) = std::os::unix::net::UnixStream::pair().ok().unzip();
        let ctx = Ctx {
            tx: tx.clone(),
            stop: stop.clone(),
            last_error: None,
            #[cfg(target_os = "linux")]
            woken,
        };
        let spawned = std::thread::Builder::new()
            .name("tslens-follow".into())
            .spawn(move || run(target, opts, ctx, ctl_rx));
        let worker = match spawned {
            Ok(h) => Some(h),
            Err(e) => {
                let msg = format!("cannot start following: {e}");
                let _ = tx(FollowEvent::Error(msg), Duration::ZERO);
                None
            }
        };
        Follower {
            ctl: Some(ctl_tx),
            #[cfg(target_os = "linux")]
            wake,
            stop,
            worker,
        }
    }

    /// Ends the worker and waits for it to finish (a stream reader blocked on input is left
    /// to end with its input).
    pub fn stop(mut self) {
        self.signal();
        if let Some(h) = self.worker.take() {
            let _ = h.join();
        }
    }

    fn signal(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Dropping the control sender (or closing the wake-up socket) wakes the worker at
        // once.
        self.ctl.take();
        #[cfg(target_os = "linux")]
        self.wake.take();
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.signal();
    }
}

fn run(target: FollowTarget, opts: FollowOptions, mut ctx: Ctx, ctl: Receiver<()>) {
    let _ = match target {
        FollowTarget::File(path) => tail::follow_file(path, opts, &mut ctx, &ctl),
        FollowTarget::Dirs(dirs) => dirs::follow_dirs(dirs, opts, &mut ctx, &ctl),
        FollowTarget::Stdin => {
            reader::follow_reader("-".into(), Box::new(std::io::stdin()), opts, &mut ctx, &ctl)
        }
        FollowTarget::Reader { name, reader } => {
            reader::follow_reader(name, reader, opts, &mut ctx, &ctl)
        }
    };
}

/// The consumer is gone or the follower was stopped: the worker ends.
#[derive(Debug)]
pub(crate) struct Stopped;

/// Sends an event, waiting at most the given time while the channel is full.
type SendFn =
    Box<dyn Fn(FollowEvent, Duration) -> Result<(), SendTimeoutError<FollowEvent>> + Send + Sync>;

/// The worker's side of the event channel.
pub(crate) struct Ctx {
    tx: Arc<SendFn>,
    stop: Arc<AtomicBool>,
    last_error: Option<String>,
    /// Reads as closed once the follower is stopped: a worker waiting on file-system events
    /// waits on it too (Linux).
    #[cfg(target_os = "linux")]
    pub(crate) woken: Option<std::os::unix::net::UnixStream>,
}

impl Ctx {
    /// Sends an event, waiting while the channel is full unless the follower is stopped.
    pub(crate) fn send(&mut self, mut ev: FollowEvent) -> Result<(), Stopped> {
        loop {
            match (self.tx)(ev, Duration::from_millis(100)) {
                Ok(()) => return Ok(()),
                Err(SendTimeoutError::Timeout(back)) => {
                    if self.stopped() {
                        return Err(Stopped);
                    }
                    ev = back;
                }
                Err(SendTimeoutError::Disconnected(_)) => return Err(Stopped),
            }
        }
    }

    /// Sends a batch of records, if there is one.
    pub(crate) fn records(&mut self, source: &str, batch: Option<Batch>) -> Result<(), Stopped> {
        match batch {
            Some(batch) => self.send(FollowEvent::Records {
                source: source.to_string(),
                batch,
            }),
            None => Ok(()),
        }
    }

    /// Reports an error once (until [`Ctx::clear_error`]).
    pub(crate) fn error(&mut self, msg: String) -> Result<(), Stopped> {
        if self.last_error.as_deref() == Some(msg.as_str()) {
            return Ok(());
        }
        self.last_error = Some(msg.clone());
        self.send(FollowEvent::Error(msg))
    }

    /// Reading works again: the next error is worth reporting.
    pub(crate) fn clear_error(&mut self) {
        self.last_error = None;
    }

    /// True once the follower was stopped.
    pub(crate) fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}
