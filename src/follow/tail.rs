//! Following one file by path: reading what is appended, and noticing truncation, rotation,
//! deletion and recreation.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crossbeam_channel::Receiver;

use crate::source::{Encoding, CODEPAGE_SNIFF};

use super::framer::{Batch, Framer};
use super::ident::{self, FileId, Seen, HEAD_LEN};
use super::watch::Watch;
use super::{Ctx, FollowEvent, FollowOptions, Start, Stopped};

/// Bytes read between two batches: a burst of thousands of records leaves as a few events.
const BATCH_BYTES: usize = 4 << 20;
/// Bytes read in one poll before the worker looks at its control channel again.
const POLL_BUDGET: u64 = 64 << 20;
/// Poll interval for a while after a change, when more changes are likely.
const FAST_POLL: Duration = Duration::from_millis(100);
/// How long "a while" is.
const FAST_FOR: Duration = Duration::from_secs(2);
/// The shortest poll interval accepted: a zero interval would spin.
const MIN_POLL: Duration = Duration::from_millis(10);

/// What one poll did.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Activity {
    /// Something was read or happened.
    pub changed: bool,
    /// Reading stopped early: poll again at once.
    pub more: bool,
}

impl Activity {
    pub(crate) fn add(&mut self, other: Activity) {
        self.changed |= other.changed;
        self.more |= other.more;
    }
}

/// Something the worker loop polls.
pub(crate) trait Poller {
    /// Looks at the file system and sends what changed. With `names` false, file-system
    /// events said that the followed names still name the files they named.
    fn poll(&mut self, ctx: &mut Ctx, names: bool) -> Result<Activity, Stopped>;
    /// When a held-back record's grace period ends, if one is held.
    fn deadline(&self) -> Option<Instant>;
}

/// Polls `p` until stopped: at once after a wake-up, else every `opts.poll` (more often
/// just after a change). Blocks in between, so an idle file costs nothing.
pub(crate) fn drive(
    p: &mut impl Poller,
    watch: &mut Watch,
    opts: &FollowOptions,
    ctx: &mut Ctx,
    ctl: &Receiver<()>,
) -> Result<(), Stopped> {
    let mut last_change: Option<Instant> = None;
    let mut last_names: Option<Instant> = None;
    loop {
        if ctx.stopped() {
            return Err(Stopped);
        }
        watch.refresh();
        watch.settle();
        let now = Instant::now();
        // Events say when a name may have changed; the path is looked at anyway every so
        // often, for what they cannot see (a folder above renamed, a network share).
        let names = watch.renamed() || last_names.is_none_or(|t| now - t >= NAMES_AT_LEAST);
        if names {
            last_names = Some(now);
        }
        let act = p.poll(ctx, names)?;
        if act.more {
            continue;
        }
        let now = Instant::now();
        if act.changed {
            last_change = Some(now);
        }
        let mut wait = opts.poll.max(MIN_POLL);
        if last_change.is_some_and(|t| now.duration_since(t) < FAST_FOR) {
            wait = wait.min(FAST_POLL);
        }
        if let Some(d) = p.deadline() {
            wait = wait.min(d.saturating_duration_since(now));
        }
        // A burst is read after a short pause, in one go (see BURST_PAUSE): the pause is
        // slept first, then what came meanwhile wakes the wait at once, so a busy file
        // costs one wake-up a look.
        watch.wait(ctx, ctl, BURST_PAUSE, false)?;
        if let Some(rest) = wait.checked_sub(BURST_PAUSE).filter(|d| !d.is_zero()) {
            watch.wait(ctx, ctl, rest, true)?;
        }
    }
}

/// The longest a followed path goes without being looked at while file-system events say
/// only that its file was written.
const NAMES_AT_LEAST: Duration = FAST_POLL;

/// The shortest time between two polls while a burst of writes goes on, which is the pace
/// at which a busy file's new records are read (and drawn: the explorer draws each batch
/// as it comes). A writer that flushes each record would otherwise wake the worker, its
/// file-system events and the explorer once per record; shorter shows records sooner for
/// a wake-up and a frame each time (docs/follow.md has the trade measured).
pub(crate) const BURST_PAUSE: Duration = Duration::from_millis(4);

/// Commits a held-back record once it has stopped growing for the grace period.
#[derive(Debug, Default)]
pub(crate) struct Grace {
    last: usize,
    since: Option<Instant>,
}

impl Grace {
    /// Looks at what `framer` holds; returns it as a batch once its time is up.
    pub(crate) fn check(&mut self, framer: &mut Framer, grace: Duration) -> Option<Batch> {
        let p = framer.pending();
        if p != self.last {
            self.last = p;
            self.since = (p > 0).then(Instant::now);
            return None;
        }
        let since = self.since?;
        if since.elapsed() < grace {
            return None;
        }
        let b = framer.take(true);
        // What stays (half a UTF-16 character) waits for more bytes, not for a timer.
        self.last = framer.pending();
        self.since = None;
        b
    }

    /// When the held-back record's time is up.
    pub(crate) fn deadline(&self, grace: Duration) -> Option<Instant> {
        self.since.map(|s| s + grace)
    }

    /// Forgets the held-back record (it was sent, or the file changed).
    pub(crate) fn reset(&mut self) {
        *self = Grace::default();
    }
}

/// An open followed file.
pub(crate) struct Tail {
    /// The path followed.
    pub path: PathBuf,
    /// The path as the events name it.
    pub name: String,
    pub(crate) file: File,
    id: FileId,
    /// Bytes of the file read so far.
    pub(crate) offset: u64,
    /// The file's first bytes as read, to notice it being rewritten.
    head: Vec<u8>,
    pub(crate) framer: Framer,
    grace: Grace,
    /// A Deleted event was sent and the path has not named a file since.
    gone: bool,
    scratch: Vec<u8>,
}

/// What became of the path in a poll.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PathState {
    /// Still the open file (or missing, with the handle still read).
    Same,
    /// The open file can no longer be kept (Windows: deleted, and holding it would stop a
    /// new file being made at the path). It was read to its end and should be dropped.
    Release,
}

impl Tail {
    /// Opens `path` and places the read position according to `start`. `stop` ends a long
    /// scan for [`Start::End`] early.
    pub(crate) fn open(path: &Path, start: Start, ctx: &Ctx) -> io::Result<Tail> {
        let mut file = ident::open(path)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(io::Error::other("is a folder"));
        }
        let head = ident::read_head(&mut file, HEAD_LEN)?;
        // A file joined past its start is decoded as a whole file is: by its head (a BOM, or
        // UTF-16 without one: the head is as long as that check reads), else by as many first
        // bytes as tell Windows-1252 from UTF-8. From its start, the framer sniffs the BOM.
        let enc = match Encoding::sniff_head(&head) {
            Some(enc) => enc,
            None if start == Start::Beginning => Encoding::Utf8,
            None => Encoding::sniff(&ident::read_head(&mut file, CODEPAGE_SNIFF)?),
        };
        let (offset, line) = match start {
            Start::Beginning => (0, 1),
            Start::At { offset, line } => (offset, line),
            Start::End => last_line_start(&mut file, meta.len(), enc, ctx)?,
        };
        let framer = if offset == 0 {
            Framer::new()
        } else {
            Framer::resume(enc, offset, line)
        };
        Ok(Tail {
            path: path.to_path_buf(),
            name: path.display().to_string(),
            id: ident::file_id(&meta),
            file,
            offset,
            head,
            framer,
            grace: Grace::default(),
            gone: false,
            scratch: vec![0; 256 << 10],
        })
    }

    /// The event that says this file is open and where reading goes on.
    pub(crate) fn opened(&self) -> FollowEvent {
        FollowEvent::Opened {
            path: self.name.clone(),
            offset: self.framer.offset(),
            line: self.framer.line(),
        }
    }

    fn seen(&self) -> Seen<'_> {
        Seen {
            id: self.id,
            len: self.offset,
            head: &self.head,
        }
    }

    /// The file's last modification time, through the path or else the handle.
    pub(crate) fn modified(&self) -> Option<SystemTime> {
        std::fs::metadata(&self.path)
            .or_else(|_| self.file.metadata())
            .and_then(|m| m.modified())
            .ok()
    }

    /// When the held-back record's grace period ends.
    pub(crate) fn deadline(&self, grace: Duration) -> Option<Instant> {
        self.grace.deadline(grace)
    }

    /// One look at the file: truncation, new bytes, then what the path names now (with
    /// `names` false, events said it still names the open file, or still none).
    pub(crate) fn poll(
        &mut self,
        ctx: &mut Ctx,
        grace: Duration,
        names: bool,
    ) -> Result<(Activity, PathState), Stopped> {
        let mut act = self.check_truncation(ctx)?;
        act.add(self.read_new(ctx, false)?);
        if act.more {
            return Ok((act, PathState::Same));
        }
        let state = if names {
            self.check_path(ctx, &mut act)?
        } else {
            PathState::Same
        };
        if state == PathState::Same {
            let b = self.grace.check(&mut self.framer, grace);
            if b.is_some() {
                act.changed = true;
            }
            ctx.records(&self.name, b)?;
        }
        Ok((act, state))
    }

    /// What the path names now: the open file, another one, or none.
    fn check_path(&mut self, ctx: &mut Ctx, act: &mut Activity) -> Result<PathState, Stopped> {
        Ok(match std::fs::metadata(&self.path) {
            Ok(meta) if meta.is_file() => {
                if ident::same_file(&self.seen(), &self.path, &meta) {
                    if self.gone {
                        self.gone = false;
                        act.changed = true;
                        ctx.send(FollowEvent::Recreated {
                            path: self.name.clone(),
                        })?;
                    }
                } else {
                    act.add(self.replace(ctx)?);
                }
                PathState::Same
            }
            Ok(_) => self.went(ctx, false)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => self.went(ctx, false)?,
            // Windows refuses access to a file that is deleted but still open somewhere.
            Err(e) if cfg!(windows) && e.kind() == io::ErrorKind::PermissionDenied => {
                self.went(ctx, true)?
            }
            Err(e) => {
                ctx.error(format!("{}: {e}", self.name))?;
                PathState::Same
            }
        })
    }

    /// The path names no file (or, with `release`, one that must be let go).
    fn went(&mut self, ctx: &mut Ctx, release: bool) -> Result<PathState, Stopped> {
        if !self.gone {
            self.gone = true;
            ctx.send(FollowEvent::Deleted {
                path: self.name.clone(),
            })?;
        }
        if release {
            self.finish(ctx)?;
            return Ok(PathState::Release);
        }
        Ok(PathState::Same)
    }

    /// Truncation: the file is shorter than what was read, or its first bytes changed (it
    /// was cut and has already grown back past the old length).
    fn check_truncation(&mut self, ctx: &mut Ctx) -> Result<Activity, Stopped> {
        let len = match self.file.metadata() {
            Ok(m) => m.len(),
            Err(e) => {
                ctx.error(format!("{}: {e}", self.name))?;
                return Ok(Activity::default());
            }
        };
        let mut h = [0u8; HEAD_LEN];
        let hl = self.head.len().min(HEAD_LEN);
        let cut = len < self.offset
            || (hl > 0
                && match ident::read_at(&mut self.file, &mut h[..hl], 0) {
                    Ok(n) => !self.head.starts_with(&h[..n]),
                    Err(_) => false,
                });
        if !cut {
            return Ok(Activity::default());
        }
        // What was read before the cut is kept: a record held back is sent as it stands.
        let b = self.framer.finish();
        ctx.records(&self.name, b)?;
        ctx.send(FollowEvent::Truncated {
            path: self.name.clone(),
        })?;
        self.restart();
        Ok(Activity {
            changed: true,
            more: false,
        })
    }

    fn restart(&mut self) {
        self.offset = 0;
        self.head.clear();
        self.framer = Framer::new();
        self.grace.reset();
    }

    /// Reads from the read position to the end of the file (or the poll's budget). Unless
    /// `to_end`, a read that returns less than asked ends it: that is the end of the file
    /// then, and what is written after it wakes the next look (on a file system whose reads
    /// come short before the end, the rest waits for the next look).
    pub(crate) fn read_new(&mut self, ctx: &mut Ctx, to_end: bool) -> Result<Activity, Stopped> {
        let mut act = Activity::default();
        let mut since_batch = 0usize;
        let mut total = 0u64;
        loop {
            let n = match ident::read_at(&mut self.file, &mut self.scratch, self.offset) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    ctx.error(format!("{}: {e}", self.name))?;
                    break;
                }
            };
            ctx.clear_error();
            let chunk = &self.scratch[..n];
            // Extend the remembered first bytes while reading through them.
            let hl = self.head.len() as u64;
            if hl < HEAD_LEN as u64 && self.offset <= hl && hl < self.offset + n as u64 {
                let from = (hl - self.offset) as usize;
                let upto = (HEAD_LEN - self.head.len()).min(n - from);
                self.head.extend_from_slice(&chunk[from..from + upto]);
            }
            self.framer.push(chunk);
            self.offset += n as u64;
            since_batch += n;
            total += n as u64;
            act.changed = true;
            if since_batch >= BATCH_BYTES {
                since_batch = 0;
                let b = self.framer.take(false);
                ctx.records(&self.name, b)?;
                if total >= POLL_BUDGET {
                    act.more = true;
                    break;
                }
            }
            if n < self.scratch.len() && !to_end {
                break;
            }
        }
        let b = self.framer.take(false);
        ctx.records(&self.name, b)?;
        Ok(act)
    }

    /// Reads the open file to its end, keeping a record still being written held.
    pub(crate) fn finish_reading(&mut self, ctx: &mut Ctx) -> Result<(), Stopped> {
        while self.read_new(ctx, true)?.more {}
        Ok(())
    }

    /// Reads the open file to its end and sends everything held: it is finished.
    pub(crate) fn finish(&mut self, ctx: &mut Ctx) -> Result<(), Stopped> {
        self.finish_reading(ctx)?;
        let b = self.framer.finish();
        self.grace.reset();
        ctx.records(&self.name, b)
    }

    /// The path names another file: finish the old one, say where it went, start the new.
    fn replace(&mut self, ctx: &mut Ctx) -> Result<Activity, Stopped> {
        let Ok(new) = ident::open(&self.path) else {
            // It went again in between; the next poll will see what is there.
            return Ok(Activity::default());
        };
        let Ok(meta) = new.metadata() else {
            return Ok(Activity::default());
        };
        self.finish(ctx)?;
        let dir = parent(&self.path);
        let rolled = ident::find_renamed(&dir, &self.path, &self.seen());
        let ev = match rolled {
            Some(r) => FollowEvent::Rotated {
                path: self.name.clone(),
                rolled: r.display().to_string(),
            },
            None => FollowEvent::Recreated {
                path: self.name.clone(),
            },
        };
        ctx.send(ev)?;
        self.file = new;
        self.id = ident::file_id(&meta);
        self.gone = false;
        self.restart();
        ctx.send(self.opened())?;
        let mut act = self.read_new(ctx, false)?;
        act.changed = true;
        Ok(act)
    }

    /// Takes over another file that begins with everything read so far (the log was copied
    /// there): reading goes on from the same offset and line.
    pub(crate) fn continue_in(&mut self, path: &Path, file: File) -> io::Result<()> {
        let meta = file.metadata()?;
        self.path = path.to_path_buf();
        self.name = path.display().to_string();
        self.id = ident::file_id(&meta);
        self.file = file;
        self.gone = false;
        Ok(())
    }
}

/// A path's folder (`.` for a bare file name).
pub(crate) fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The offset and line number of the start of the file's last line (the end, if the file
/// ends with a newline), found by reading it once.
fn last_line_start(file: &mut File, len: u64, enc: Encoding, ctx: &Ctx) -> io::Result<(u64, u32)> {
    file.seek(SeekFrom::Start(0))?;
    let unit = match enc {
        e if e.is_utf16() && e.is_little_endian() => Some([b'\n', 0]),
        e if e.is_utf16() => Some([0, b'\n']),
        _ => None,
    };
    let mut buf = vec![0u8; 1 << 20];
    let (mut pos, mut lines, mut last) = (0u64, 0u32, 0u64);
    let mut reader = file.take(len);
    loop {
        if ctx.stopped() {
            return Err(io::Error::other("stopped"));
        }
        // Fill whole buffers so that UTF-16 units stay aligned on even offsets.
        let mut n = 0;
        while n < buf.len() {
            match reader.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if n == 0 {
            break;
        }
        let data = &buf[..n];
        match unit {
            None => {
                for i in memchr::memchr_iter(b'\n', data) {
                    lines += 1;
                    last = pos + i as u64 + 1;
                }
            }
            Some(u) => {
                for (i, c) in data.chunks_exact(2).enumerate() {
                    if c == u {
                        lines += 1;
                        last = pos + 2 * i as u64 + 2;
                    }
                }
            }
        }
        pos += n as u64;
        if n < buf.len() {
            break;
        }
    }
    Ok((last, lines.saturating_add(1)))
}

/// Follows one file by path until stopped.
pub(crate) fn follow_file(
    path: PathBuf,
    opts: FollowOptions,
    ctx: &mut Ctx,
    ctl: &Receiver<()>,
) -> Result<(), Stopped> {
    let names: Vec<OsString> = path
        .file_name()
        .map(|n| n.to_os_string())
        .into_iter()
        .collect();
    let mut watch = Watch::new(vec![parent(&path)], &names, opts.events, ctx)?;
    let mut f = FileFollow {
        path,
        tail: None,
        start: Some(opts.start),
        announced: false,
        deleted: false,
        grace: opts.grace,
    };
    drive(&mut f, &mut watch, &opts, ctx, ctl)
}

/// The state of following one path.
struct FileFollow {
    path: PathBuf,
    tail: Option<Tail>,
    /// Where to start in the first file opened; later files are read whole.
    start: Option<Start>,
    /// A Waiting event was sent.
    announced: bool,
    /// The file was let go after being deleted: the next one is announced as recreated.
    deleted: bool,
    grace: Duration,
}

impl Poller for FileFollow {
    fn poll(&mut self, ctx: &mut Ctx, names: bool) -> Result<Activity, Stopped> {
        if let Some(t) = self.tail.as_mut() {
            let (act, state) = t.poll(ctx, self.grace, names)?;
            if state == PathState::Release {
                self.tail = None;
                self.deleted = true;
            }
            return Ok(act);
        }
        let start = self.start.unwrap_or(Start::Beginning);
        match Tail::open(&self.path, start, ctx) {
            Ok(t) => {
                self.start = None;
                if self.deleted {
                    self.deleted = false;
                    ctx.send(FollowEvent::Recreated {
                        path: t.name.clone(),
                    })?;
                }
                ctx.clear_error();
                ctx.send(t.opened())?;
                let t = self.tail.insert(t);
                let (mut act, _) = t.poll(ctx, self.grace, true)?;
                act.changed = true;
                Ok(act)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // A file that appears later is new: all of it is worth reading.
                self.start = None;
                if !self.announced && !self.deleted {
                    self.announced = true;
                    ctx.send(FollowEvent::Waiting {
                        paths: vec![self.path.display().to_string()],
                    })?;
                }
                Ok(Activity::default())
            }
            Err(e) => {
                if ctx.stopped() {
                    return Err(Stopped);
                }
                ctx.error(format!("{}: {e}", self.path.display()))?;
                Ok(Activity::default())
            }
        }
    }

    fn deadline(&self) -> Option<Instant> {
        self.tail.as_ref().and_then(|t| t.deadline(self.grace))
    }
}
