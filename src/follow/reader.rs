//! Following a stream (standard input, a pipe): a reader thread hands chunks to the worker,
//! which frames them like a file and says when the stream ends.

use std::io::{self, Read};
use std::time::Duration;

use crossbeam_channel::{select, Receiver, TryRecvError};

use super::framer::Framer;
use super::tail::{Grace, BURST_PAUSE};
use super::{Ctx, FollowEvent, FollowOptions, Stopped};

/// Size of one read from the stream.
const CHUNK: usize = 64 << 10;
/// Bytes gathered into one batch when the stream delivers faster than it is framed.
const BATCH_BYTES: usize = 4 << 20;

enum Chunk {
    Data(Vec<u8>),
    End,
    Failed(String),
}

/// Follows `reader` until it ends or the follower stops.
pub(crate) fn follow_reader(
    name: String,
    mut reader: Box<dyn Read + Send>,
    opts: FollowOptions,
    ctx: &mut Ctx,
    ctl: &Receiver<()>,
) -> Result<(), Stopped> {
    // A blocking read cannot be interrupted, so it has a thread of its own: the worker stays
    // free to commit a held-back record after the grace period, and to stop.
    let (tx, rx) = crossbeam_channel::bounded::<Chunk>(16);
    let spawned = std::thread::Builder::new()
        .name("tslens-stdin".into())
        .spawn(move || loop {
            let mut buf = vec![0u8; CHUNK];
            let msg = match reader.read(&mut buf) {
                Ok(0) => Chunk::End,
                Ok(n) => {
                    buf.truncate(n);
                    Chunk::Data(buf)
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => Chunk::Failed(e.to_string()),
            };
            let last = !matches!(msg, Chunk::Data(_));
            if tx.send(msg).is_err() || last {
                return;
            }
        });
    if let Err(e) = spawned {
        ctx.send(FollowEvent::Error(format!("{name}: cannot read: {e}")))?;
        return ctx.send(FollowEvent::EndOfStream { source: name });
    }
    let mut framer = Framer::new();
    let mut grace = Grace::default();
    // With nothing held back there is no timer to run: wait for input as long as it takes.
    let idle = Duration::from_secs(3600);
    loop {
        let wait = grace.deadline(opts.grace).map_or(idle, |d| {
            d.saturating_duration_since(std::time::Instant::now())
        });
        let first = select! {
            recv(ctl) -> _ => return Err(Stopped),
            recv(rx) -> msg => Some(msg.unwrap_or(Chunk::End)),
            default(wait) => None,
        };
        let Some(mut msg) = first else {
            let b = grace.check(&mut framer, opts.grace);
            ctx.records(&name, b)?;
            continue;
        };
        // Take in whatever else is already waiting, so a burst leaves as one batch.
        let mut gathered = 0usize;
        let end = loop {
            match msg {
                Chunk::Data(d) => {
                    gathered += d.len();
                    framer.push(&d);
                }
                Chunk::End => break Some(None),
                Chunk::Failed(e) => break Some(Some(e)),
            }
            if gathered >= BATCH_BYTES {
                break None;
            }
            msg = match rx.try_recv() {
                Ok(m) => m,
                Err(TryRecvError::Empty) => break None,
                Err(TryRecvError::Disconnected) => Chunk::End,
            };
        };
        match end {
            None => {
                let b = framer.take(false);
                ctx.records(&name, b)?;
                let b = grace.check(&mut framer, opts.grace);
                ctx.records(&name, b)?;
                // A writer that sends a record at a time is read in batches, as a file is
                // (see BURST_PAUSE): meanwhile what it sends waits in the pipe.
                select! {
                    recv(ctl) -> _ => return Err(Stopped),
                    default(BURST_PAUSE) => {}
                }
            }
            Some(failure) => {
                let b = framer.finish();
                ctx.records(&name, b)?;
                if let Some(e) = failure {
                    ctx.send(FollowEvent::Error(format!("{name}: {e}")))?;
                }
                return ctx.send(FollowEvent::EndOfStream { source: name });
            }
        }
    }
}
