//! Following folders: a task sequence's `smsts.log` moves between folders as the sequence
//! goes on (from `X:\Windows\Temp\SMSTSLog` in Windows PE to `C:\_SMSTaskSequence\Logs\
//! Smstslog`, then `C:\Windows\CCM\Logs\SMSTSLog` and `C:\Windows\CCM\Logs`). The one most
//! recently written is followed; when another becomes newer, the follower switches to it.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crossbeam_channel::Receiver;

use super::ident;
use super::tail::{drive, Activity, PathState, Poller, Tail};
use super::watch::Watch;
use super::{Ctx, FollowEvent, FollowOptions, Start, Stopped};

/// The log a task sequence writes.
const LOG_NAME: &str = "smsts.log";

/// Follows the newest `smsts.log` in `dirs` until stopped.
pub(crate) fn follow_dirs(
    dirs: Vec<PathBuf>,
    opts: FollowOptions,
    ctx: &mut Ctx,
    ctl: &Receiver<()>,
) -> Result<(), Stopped> {
    let mut watch = Watch::new(dirs.clone(), &[OsString::from(LOG_NAME)], opts.events, ctx)?;
    let mut f = DirsFollow {
        dirs,
        tail: None,
        start: Some(opts.start),
        announced: false,
        deferred: None,
        grace: opts.grace,
    };
    drive(&mut f, &mut watch, &opts, ctx, ctl)
}

struct DirsFollow {
    dirs: Vec<PathBuf>,
    tail: Option<Tail>,
    start: Option<Start>,
    announced: bool,
    /// A newer candidate found to be a copy still being made of what was read, with its
    /// length and time then: not compared again until one of them changes.
    deferred: Option<(PathBuf, u64, Option<SystemTime>)>,
    grace: Duration,
}

/// A `smsts.log` found in one of the folders.
struct Candidate {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

impl DirsFollow {
    fn candidates(&self) -> Vec<Candidate> {
        self.dirs
            .iter()
            .filter_map(|d| find_log(d))
            .filter_map(|path| {
                let m = std::fs::metadata(&path).ok()?;
                Some(Candidate {
                    len: m.len(),
                    modified: m.modified().ok(),
                    path,
                })
            })
            .collect()
    }

    /// Moves from the current file to `c`. Returns false when `c` is a copy of the current
    /// log still being made, to be looked at again once it has grown.
    fn switch(&mut self, ctx: &mut Ctx, c: &Candidate) -> Result<bool, Stopped> {
        let Some(mut old) = self.tail.take() else {
            return Ok(false);
        };
        old.finish_reading(ctx)?;
        let new = match ident::open(&c.path) {
            Ok(f) => f,
            Err(_) => {
                self.tail = Some(old);
                return Ok(false);
            }
        };
        let read = old.offset;
        match compare_prefix(&mut old.file, new, read, c.len) {
            Ok(Prefix::Partial) => {
                self.deferred = Some((c.path.clone(), c.len, c.modified));
                self.tail = Some(old);
                Ok(false)
            }
            Ok(Prefix::Whole(new)) => {
                let from = old.name.clone();
                if old.continue_in(&c.path, new).is_err() {
                    self.tail = Some(old);
                    return Ok(false);
                }
                ctx.send(FollowEvent::Switched {
                    from: Some(from),
                    to: old.name.clone(),
                    continued: true,
                })?;
                ctx.send(old.opened())?;
                self.tail = Some(old);
                Ok(true)
            }
            Ok(Prefix::Differs) | Err(_) => {
                old.finish(ctx)?;
                match Tail::open(&c.path, Start::Beginning, ctx) {
                    Ok(t) => {
                        ctx.send(FollowEvent::Switched {
                            from: Some(old.name.clone()),
                            to: t.name.clone(),
                            continued: false,
                        })?;
                        ctx.send(t.opened())?;
                        self.tail = Some(t);
                        Ok(true)
                    }
                    Err(_) => {
                        self.tail = Some(old);
                        Ok(false)
                    }
                }
            }
        }
    }
}

impl Poller for DirsFollow {
    fn poll(&mut self, ctx: &mut Ctx, _names: bool) -> Result<Activity, Stopped> {
        // The folders' other logs matter too, and their writes: every look looks at all.
        let mut act = Activity::default();
        if let Some(t) = self.tail.as_mut() {
            let (a, state) = t.poll(ctx, self.grace, true)?;
            act.add(a);
            if act.more {
                return Ok(act);
            }
            if state == PathState::Release {
                self.tail = None;
            }
        }
        let cands = self.candidates();
        let Some(t) = self.tail.as_ref() else {
            let newest = cands.iter().max_by_key(|c| c.modified);
            let Some(c) = newest else {
                // A log that appears later is new: all of it is worth reading.
                self.start = None;
                if !self.announced {
                    self.announced = true;
                    let paths = self.dirs.iter().map(|d| d.display().to_string()).collect();
                    ctx.send(FollowEvent::Waiting { paths })?;
                }
                return Ok(act);
            };
            let start = self.start.take().unwrap_or(Start::Beginning);
            match Tail::open(&c.path, start, ctx) {
                Ok(t) => {
                    ctx.send(FollowEvent::Switched {
                        from: None,
                        to: t.name.clone(),
                        continued: false,
                    })?;
                    ctx.send(t.opened())?;
                    let t = self.tail.insert(t);
                    act.add(t.poll(ctx, self.grace, true)?.0);
                    act.changed = true;
                }
                Err(e) => ctx.error(format!("{}: {e}", c.path.display()))?,
            }
            return Ok(act);
        };
        let current = t.modified();
        let newer = cands
            .iter()
            .filter(|c| c.path != t.path && c.modified > current)
            .filter(|c| {
                self.deferred
                    .as_ref()
                    .is_none_or(|(p, l, m)| *p != c.path || *l != c.len || *m != c.modified)
            })
            .max_by_key(|c| c.modified);
        if let Some(c) = newer {
            if self.switch(ctx, c)? {
                self.deferred = None;
                act.changed = true;
                if let Some(t) = self.tail.as_mut() {
                    act.add(t.read_new(ctx, false)?);
                }
            }
        }
        Ok(act)
    }

    fn deadline(&self) -> Option<Instant> {
        self.tail.as_ref().and_then(|t| t.deadline(self.grace))
    }
}

/// The folder's `smsts.log`, whatever the case of its name.
fn find_log(dir: &Path) -> Option<PathBuf> {
    let direct = dir.join(LOG_NAME);
    if direct.is_file() {
        return Some(direct);
    }
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(LOG_NAME))
                && p.is_file()
        })
}

/// How a newer file relates to the `read` bytes already read from the current one.
enum Prefix {
    /// It begins with all of them.
    Whole(File),
    /// It is shorter, and is a beginning of them: a copy still being written.
    Partial,
    /// It is another log.
    Differs,
}

fn compare_prefix(old: &mut File, mut new: File, read: u64, new_len: u64) -> io::Result<Prefix> {
    let n = read.min(new_len);
    old.seek(SeekFrom::Start(0))?;
    new.seek(SeekFrom::Start(0))?;
    let (mut a, mut b) = (vec![0u8; 64 << 10], vec![0u8; 64 << 10]);
    let mut left = n;
    while left > 0 {
        let k = left.min(a.len() as u64) as usize;
        old.read_exact(&mut a[..k])?;
        new.read_exact(&mut b[..k])?;
        if a[..k] != b[..k] {
            return Ok(Prefix::Differs);
        }
        left -= k as u64;
    }
    Ok(if new_len >= read && read > 0 {
        Prefix::Whole(new)
    } else if read == 0 {
        Prefix::Differs
    } else {
        Prefix::Partial
    })
}
