//! Live tailing, end to end: a writer thread appends, rotates, truncates, deletes and moves
//! logs while a follower runs; every record must arrive whole, exactly once, in order.
//! Nothing here waits on a fixed sleep: events are awaited with generous timeouts.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crossbeam_channel::Receiver;
use proptest::prelude::*;

use tslens::follow::{Batch, FollowEvent, FollowOptions, FollowTarget, Follower, Framer, Start};
use tslens::parse::{frame, Format, RecordMeta};
use tslens::source::{Encoding, SourceText};

/// How long to wait for something that should happen within milliseconds.
const PATIENCE: Duration = Duration::from_secs(15);

/// A small deterministic generator, so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One CMTrace record carrying a unique sequence number; some span two lines.
fn record(seq: u64) -> Vec<u8> {
    let body = if seq % 7 == 3 {
        format!("seq={seq:06} first line\r\nsecond line of {seq}")
    } else {
        format!("seq={seq:06} step {}", "x".repeat((seq % 50) as usize))
    };
    format!(
        "<![LOG[{body}]LOG]!><time=\"10:00:00.000+000\" date=\"01-02-2026\" component=\"Test\" \
         context=\"\" type=\"1\" thread=\"4\" file=\"t.cpp:1\">\r\n"
    )
    .into_bytes()
}

fn seq_of(text: &[u8]) -> Option<u64> {
    let s = String::from_utf8_lossy(text);
    let i = s.find("seq=")?;
    s.get(i + 4..i + 10)?.parse().ok()
}

/// Everything received so far.
#[derive(Default)]
struct Got {
    /// (source, first line, format, text) of every record.
    records: Vec<(String, u32, Format, Vec<u8>)>,
    /// Every other event, in order.
    events: Vec<FollowEvent>,
    /// All records' text, concatenated.
    text: Vec<u8>,
    /// Where to publish the last sequence number received, for a writer that waits on it.
    latest: Option<Arc<AtomicI64>>,
    /// Where the last provisional batch began (records, text bytes), until replaced.
    held: Option<(usize, usize)>,
    /// Provisional batches received.
    provisional: usize,
}

impl Got {
    fn take(&mut self, ev: FollowEvent) {
        match ev {
            FollowEvent::Records { source, batch } => {
                // A batch that replaces the provisional one takes its place, as the
                // explorer shows it.
                if let Some((n, t)) = self.held.take() {
                    if batch.replaces {
                        self.records.truncate(n);
                        self.text.truncate(t);
                    }
                }
                if batch.provisional {
                    self.provisional += 1;
                    self.held = Some((self.records.len(), self.text.len()));
                }
                for (i, r) in batch.records.iter().enumerate() {
                    let end = batch
                        .records
                        .get(i + 1)
                        .map_or(batch.text.len(), |n| n.start as usize);
                    let t = batch.text[r.start as usize..end].to_vec();
                    if let (Some(l), Some(q)) = (&self.latest, seq_of(&t)) {
                        l.store(q as i64, Ordering::SeqCst);
                    }
                    self.records.push((source.clone(), r.line, r.format(), t));
                }
                self.text.extend_from_slice(&batch.text);
            }
            other => self.events.push(other),
        }
    }

    fn seqs(&self) -> Vec<u64> {
        self.records.iter().filter_map(|r| seq_of(&r.3)).collect()
    }

    /// Receives until `done` holds; panics with what was seen if it does not in time.
    fn until(&mut self, rx: &Receiver<FollowEvent>, what: &str, done: impl Fn(&Got) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(self) {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(ev) => self.take(ev),
                Err(_) => panic!(
                    "timed out waiting for {what}; events {:?}; {} records, last {:?}",
                    self.events,
                    self.records.len(),
                    self.seqs().last()
                ),
            }
        }
    }

    fn has(&self, f: impl Fn(&FollowEvent) -> bool) -> bool {
        self.events.iter().any(f)
    }
}

fn opts() -> FollowOptions {
    FollowOptions {
        poll: Duration::from_millis(100),
        // Long enough that a slow machine never commits a record the writer is midway
        // through; the grace period has its own test.
        grace: Duration::from_secs(60),
        ..FollowOptions::default()
    }
}

fn append(path: &Path) -> File {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("open for append")
}

/// Writes `bytes` in up to four pieces, yielding between them so the follower can catch
/// the record half-written.
fn write_in_pieces(f: &mut File, bytes: &[u8], rng: &mut Rng) {
    let mut cuts: Vec<usize> = (0..rng.below(4))
        .map(|_| rng.below(bytes.len() as u64) as usize)
        .collect();
    cuts.push(0);
    cuts.push(bytes.len());
    cuts.sort_unstable();
    for w in cuts.windows(2) {
        f.write_all(&bytes[w[0]..w[1]]).expect("write");
        if rng.below(8) == 0 {
            std::thread::sleep(Duration::from_micros(300));
        } else {
            std::thread::yield_now();
        }
    }
}

/// Waits until the receiving side has seen `seq` (or gives up; the main thread reports).
fn wait_seen(seen: &AtomicI64, seq: i64) {
    let deadline = Instant::now() + PATIENCE;
    while seen.load(Ordering::SeqCst) < seq && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn appends_partial_writes_rotations_and_truncations_lose_and_repeat_nothing() {
    rotations_and_truncations(opts(), 0x5EED_1234_ABCD);
}

#[test]
fn the_same_with_the_poll_alone() {
    // As on a network share: no file-system events, a quick poll.
    let o = FollowOptions {
        poll: Duration::from_millis(15),
        events: false,
        ..opts()
    };
    rotations_and_truncations(o, 0xFACE_0FF0_1234);
}

fn rotations_and_truncations(o: FollowOptions, seed: u64) {
    const TOTAL: u64 = 2400;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("smsts.log");
    let (follower, rx) = Follower::spawn(FollowTarget::File(path.clone()), o);
    let seen = Arc::new(AtomicI64::new(-1));
    let mut got = Got {
        latest: Some(seen.clone()),
        ..Got::default()
    };
    got.until(&rx, "Waiting", |g| {
        g.has(|e| matches!(e, FollowEvent::Waiting { .. }))
    });

    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut rng = Rng(seed);
        let mut f = append(&writer_path);
        let (mut rotations, mut truncations) = (Vec::new(), 0usize);
        let (mut seq, mut next_event, mut first_of_file) = (0u64, 300u64, 0u64);
        while seq < TOTAL {
            if seq >= next_event {
                next_event += 250 + rng.below(100);
                if rng.below(2) == 0 {
                    // Rotate only once the follower has opened the current file, so that no
                    // file comes and goes between two of its looks.
                    wait_seen(&seen, first_of_file as i64);
                    let rolled = writer_path.with_file_name(format!("smsts-20260102-{seq:06}.log"));
                    fs::rename(&writer_path, &rolled).expect("rename");
                    // The writer still has the old file open: a few records land there.
                    for _ in 0..1 + rng.below(3) {
                        write_in_pieces(&mut f, &record(seq), &mut rng);
                        seq += 1;
                    }
                    f = append(&writer_path);
                    rotations.push(rolled);
                } else {
                    // Only what the follower has read can be cut without being lost.
                    wait_seen(&seen, seq as i64 - 1);
                    f.set_len(0).expect("truncate");
                    truncations += 1;
                }
                first_of_file = seq;
                continue;
            }
            write_in_pieces(&mut f, &record(seq), &mut rng);
            seq += 1;
        }
        (rotations, truncations)
    });

    got.until(&rx, "every record", |g| g.records.len() as u64 >= TOTAL);
    let (rotations, truncations) = writer.join().expect("writer");
    follower.stop();

    let seqs = got.seqs();
    assert_eq!(seqs, (0..TOTAL).collect::<Vec<_>>(), "sequence received");
    assert!(
        got.records.iter().all(|r| r.2 == Format::CmTrace),
        "a record arrived in pieces"
    );
    let rotated: Vec<String> = got
        .events
        .iter()
        .filter_map(|e| match e {
            FollowEvent::Rotated { rolled, .. } => Some(rolled.clone()),
            _ => None,
        })
        .collect();
    let expected: Vec<String> = rotations.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(rotated, expected);
    let truncated = got
        .events
        .iter()
        .filter(|e| matches!(e, FollowEvent::Truncated { .. }))
        .count();
    assert_eq!(truncated, truncations);
    assert!(
        !rotations.is_empty() && truncations > 0,
        "the plan exercised both"
    );
}

#[test]
fn truncated_and_regrown_past_the_old_length_is_seen() {
    // No events and a slow poll: the file is cut and rewritten longer between two looks,
    // as copytruncate can do; only the changed first bytes tell.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("smsts.log");
    let mut f = append(&path);
    for s in 0..5 {
        f.write_all(&record(s)).expect("write");
    }
    let o = FollowOptions {
        poll: Duration::from_millis(700),
        events: false,
        ..opts()
    };
    let (follower, rx) = Follower::spawn(FollowTarget::File(path.clone()), o);
    let mut got = Got::default();
    got.until(&rx, "first records", |g| g.records.len() == 5);
    f.set_len(0).expect("truncate");
    let mut again = Vec::new();
    for s in 100..110 {
        again.extend_from_slice(&record(s));
    }
    f.write_all(&again).expect("rewrite");
    got.until(&rx, "rewritten records", |g| g.records.len() == 15);
    follower.stop();
    assert!(got.has(|e| matches!(e, FollowEvent::Truncated { .. })));
    let mut want: Vec<u64> = (0..5).collect();
    want.extend(100..110);
    assert_eq!(got.seqs(), want);
    assert_eq!(
        got.records[5].1, 1,
        "line numbers restart after a truncation"
    );
}

#[test]
fn deleted_then_recreated_is_picked_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("smsts.log");
    fs::write(&path, [record(0), record(1)].concat()).expect("write");
    let (follower, rx) = Follower::spawn(FollowTarget::File(path.clone()), opts());
    let mut got = Got::default();
    got.until(&rx, "first records", |g| g.records.len() == 2);
    fs::remove_file(&path).expect("delete");
    got.until(&rx, "Deleted", |g| {
        g.has(|e| matches!(e, FollowEvent::Deleted { .. }))
    });
    fs::write(&path, [record(2), record(3), record(4)].concat()).expect("recreate");
    got.until(&rx, "new records", |g| g.records.len() == 5);
    follower.stop();
    assert!(got.has(|e| matches!(e, FollowEvent::Recreated { .. })));
    assert_eq!(got.seqs(), vec![0, 1, 2, 3, 4]);
    assert_eq!(got.records[2].1, 1);
    let order: Vec<&str> = got
        .events
        .iter()
        .map(|e| match e {
            FollowEvent::Deleted { .. } => "deleted",
            FollowEvent::Recreated { .. } => "recreated",
            FollowEvent::Opened { line: 1, .. } => "opened",
            _ => "other",
        })
        .collect();
    assert_eq!(order, ["opened", "deleted", "recreated", "opened"]);
}

#[test]
fn file_system_events_wake_the_follower_without_the_poll() {
    // The poll would look again only in an hour: appends, a deletion and a new file under
    // the same name are seen because the folder's events say something happened.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("smsts.log");
    fs::write(&path, record(0)).expect("write");
    let o = FollowOptions {
        poll: Duration::from_secs(3600),
        ..opts()
    };
    let (follower, rx) = Follower::spawn(FollowTarget::File(path.clone()), o);
    let mut got = Got::default();
    got.until(&rx, "the first record", |g| g.records.len() == 1);
    // Past the fast poll that follows a change (two seconds of 100 ms looks).
    std::thread::sleep(Duration::from_millis(2500));
    for seq in 1..20 {
        append(&path).write_all(&record(seq)).expect("append");
    }
    got.until(&rx, "appended records", |g| g.records.len() == 20);
    std::thread::sleep(Duration::from_millis(2500));
    fs::remove_file(&path).expect("delete");
    got.until(&rx, "Deleted", |g| {
        g.has(|e| matches!(e, FollowEvent::Deleted { .. }))
    });
    std::thread::sleep(Duration::from_millis(2500));
    fs::write(&path, record(20)).expect("recreate");
    got.until(&rx, "the new file's record", |g| g.records.len() == 21);
    follower.stop();
    assert_eq!(got.seqs(), (0..21).collect::<Vec<u64>>());
}

fn set_age(path: &Path, secs: u64) {
    let f = OpenOptions::new().write(true).open(path).expect("open");
    f.set_modified(SystemTime::now() - Duration::from_secs(secs))
        .expect("set mtime");
}

#[test]
fn folders_follow_the_newest_smsts_log() {
    let root = tempfile::tempdir().expect("tempdir");
    let dirs: Vec<_> = ["winpe", "c-ts", "ccm"]
        .iter()
        .map(|d| root.path().join(d))
        .collect();
    fs::create_dir(&dirs[0]).expect("mkdir");
    fs::create_dir(&dirs[1]).expect("mkdir");
    // The third folder does not exist yet: it is made later, as on a real deployment.
    let (follower, rx) = Follower::spawn(FollowTarget::Dirs(dirs.clone()), opts());
    let mut got = Got::default();
    got.until(&rx, "Waiting", |g| {
        g.has(|e| matches!(e, FollowEvent::Waiting { .. }))
    });

    // The log begins in Windows PE.
    let first = dirs[0].join("smsts.log");
    let a: Vec<u8> = (0..4).flat_map(record).collect();
    fs::write(&first, &a).expect("write");
    set_age(&first, 20);
    got.until(&rx, "records in the first folder", |g| g.records.len() == 4);

    // It is copied to the disk and goes on there: nothing is shown twice.
    let second = dirs[1].join("smsts.log");
    let b: Vec<u8> = (4..7).flat_map(record).collect();
    fs::write(&second, [a.clone(), b].concat()).expect("write");
    got.until(&rx, "records in the second folder", |g| {
        g.records.len() == 7
    });
    set_age(&second, 10);

    // A fresh log, named in another case, in a folder made late.
    fs::create_dir(&dirs[2]).expect("mkdir");
    let third = dirs[2].join("SMSTS.LOG");
    fs::write(&third, (7..9).flat_map(record).collect::<Vec<u8>>()).expect("write");
    got.until(&rx, "records in the third folder", |g| g.records.len() == 9);
    follower.stop();

    assert_eq!(got.seqs(), (0..9).collect::<Vec<_>>());
    let switches: Vec<(Option<String>, String, bool)> = got
        .events
        .iter()
        .filter_map(|e| match e {
            FollowEvent::Switched {
                from,
                to,
                continued,
            } => Some((from.clone(), to.clone(), *continued)),
            _ => None,
        })
        .collect();
    let name = |p: &Path| p.display().to_string();
    assert_eq!(
        switches,
        vec![
            (None, name(&first), false),
            (Some(name(&first)), name(&second), true),
            (Some(name(&second)), name(&third), false),
        ]
    );
    assert_eq!(got.records[4].0, name(&second));
    assert_eq!(
        got.records[4].1, 6,
        "a continued log keeps its line numbers"
    );
    assert_eq!(got.records[7].1, 1, "a new log starts at line 1");
}

/// A line whose writer stalls past the grace period is shown as it stands, then framed
/// again whole when the rest arrives: one line, not two.
#[test]
fn grace_period_shows_a_stalled_partial_line_then_replaces_it_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("smsts.log");
    let mut f = append(&path);
    f.write_all(b"complete line\nhalf a li").expect("write");
    let o = FollowOptions {
        grace: Duration::from_millis(200),
        ..opts()
    };
    let (follower, rx) = Follower::spawn(FollowTarget::File(path.clone()), o);
    let mut got = Got::default();
    got.until(&rx, "the stalled tail", |g| g.records.len() == 2);
    assert_eq!(got.provisional, 1);
    assert_eq!(got.text, b"complete line\nhalf a li");
    f.write_all(b"ne\nnext\n").expect("write");
    got.until(&rx, "the rest", |g| g.records.len() == 3);
    follower.stop();
    assert_eq!(got.text, b"complete line\nhalf a line\nnext\n");
    let lines: Vec<u32> = got.records.iter().map(|r| r.1).collect();
    assert_eq!(lines, [1, 2, 3]);
}

/// Issue 17 item 8: a CMTrace record whose write pauses longer than the grace period (a slow
/// SMB share) is shown provisionally, then re-framed as one record when the rest arrives.
#[test]
fn a_cmtrace_record_paused_mid_write_is_one_record_once_complete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("smsts.log");
    let mut f = append(&path);
    let r1 = record(1);
    f.write_all(&record(0)).expect("write");
    f.write_all(&r1[..30]).expect("write");
    let o = FollowOptions {
        grace: Duration::from_millis(200),
        ..opts()
    };
    let (follower, rx) = Follower::spawn(FollowTarget::File(path.clone()), o);
    let mut got = Got::default();
    got.until(&rx, "the provisional record", |g| g.provisional == 1);
    assert_eq!(got.records.len(), 2);
    f.write_all(&r1[30..60]).expect("write");
    // Still unfinished after another pause: shown again, longer, in place.
    got.until(&rx, "the longer provisional record", |g| g.provisional == 2);
    assert_eq!(got.records.len(), 2);
    f.write_all(&r1[60..]).expect("write");
    f.write_all(&record(2)).expect("write");
    got.until(&rx, "the rest", |g| g.seqs().contains(&2));
    follower.stop();
    assert_eq!(got.seqs(), vec![0, 1, 2]);
    assert_eq!(got.records.len(), 3, "record 1 is one record");
    let mut want = record(0);
    want.extend_from_slice(&r1);
    want.extend_from_slice(&record(2));
    assert_eq!(got.text, want);
}

#[test]
fn start_at_end_with_the_poll_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("smsts.log");
    let mut f = append(&path);
    f.write_all(&(0..10).flat_map(record).collect::<Vec<u8>>())
        .expect("write");
    // A record half-written when following starts is delivered whole.
    let r10 = record(10);
    f.write_all(&r10[..20]).expect("write");
    let o = FollowOptions {
        start: Start::End,
        events: false,
        poll: Duration::from_millis(50),
        ..opts()
    };
    let (follower, rx) = Follower::spawn(FollowTarget::File(path.clone()), o);
    let mut got = Got::default();
    got.until(&rx, "Opened", |g| {
        g.has(|e| matches!(e, FollowEvent::Opened { .. }))
    });
    f.write_all(&r10[20..]).expect("write");
    f.write_all(&record(11)).expect("write");
    got.until(&rx, "new records", |g| g.records.len() == 2);
    follower.stop();
    assert_eq!(got.seqs(), vec![10, 11]);
    // Ten records before it, one of which (seq 3) spans two lines.
    assert_eq!(got.records[0].1, 12);
}

/// A file joined past its start, with no BOM to say its encoding, is decoded as reading it
/// whole decodes it: a NetSetup.log in Windows-1252 and a setupact.log in UTF-16LE without a
/// BOM keep their letters in the lines appended while followed. (Lines written for the test
/// in the files' layouts.)
#[test]
fn a_file_joined_at_its_end_keeps_the_encoding_its_bytes_tell() {
    let netsetup =
        |n: u32| format!("09/19/2019 10:36:{n:02}:586 NetpJoinDomainOnDs: Jürgen {n}\r\n");
    let setupact =
        |n: u32| format!("2019-01-01 12:00:{n:02}, Info                  MOUPG  Jérôme {n}\r\n");
    let cp1252 = |s: &str| s.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>();
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>()
    };
    type Line = Box<dyn Fn(u32) -> String>;
    type Enc = Box<dyn Fn(&str) -> Vec<u8>>;
    let cases: [(&str, Line, Enc, Encoding); 2] = [
        (
            "NetSetup.log",
            Box::new(netsetup),
            Box::new(cp1252),
            Encoding::Windows1252,
        ),
        (
            "setupact.log",
            Box::new(setupact),
            Box::new(utf16),
            Encoding::Utf16LeNoBom,
        ),
    ];
    for (name, line, enc, want) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(name);
        let mut f = append(&path);
        let before: String = (0..5).map(&line).collect();
        f.write_all(&enc(&before)).expect("write");
        let o = FollowOptions {
            start: Start::End,
            events: false,
            poll: Duration::from_millis(50),
            ..opts()
        };
        let (follower, rx) = Follower::spawn(FollowTarget::File(path.clone()), o);
        let mut got = Got::default();
        got.until(&rx, "Opened", |g| {
            g.has(|e| matches!(e, FollowEvent::Opened { .. }))
        });
        // A Windows Setup record is sent once the next one starts (continuation lines join
        // it), so one more line than is awaited.
        let after: String = (5..9).map(&line).collect();
        f.write_all(&enc(&after)).expect("write");
        got.until(&rx, "new records", |g| g.records.len() >= 3);
        follower.stop();
        let text = String::from_utf8(got.text.clone()).expect("decoded text");
        let three: String = (5..8).map(&line).collect();
        assert!(text.starts_with(&three), "{name}: {text:?}");
        let whole = SourceText::from_vec("t".into(), enc(&(before + &after)));
        assert_eq!(whole.encoding, want, "{name}");
    }
}

fn utf16le(s: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

#[test]
fn utf16_file_written_in_odd_pieces() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("smsts.log");
    let text: String = (0..40)
        .map(|s| {
            String::from_utf8(record(s))
                .expect("utf8")
                .replace("step", "é 😀")
        })
        .collect();
    let bytes = utf16le(&text);
    let mut f = append(&path);
    let (follower, rx) = Follower::spawn(FollowTarget::File(path.clone()), opts());
    let mut rng = Rng(77);
    let mut at = 0;
    while at < bytes.len() {
        let n = (1 + rng.below(37) as usize).min(bytes.len() - at);
        f.write_all(&bytes[at..at + n]).expect("write");
        at += n;
    }
    let mut got = Got::default();
    got.until(&rx, "every record", |g| g.records.len() == 40);
    follower.stop();
    let whole = SourceText::from_vec("t".into(), bytes);
    assert_eq!(got.text, whole.bytes());
    assert_eq!(got.seqs(), (0..40).collect::<Vec<_>>());
}

#[test]
fn a_stream_is_framed_whole_and_ends() {
    let (r, mut w) = std::io::pipe().expect("pipe");
    let target = FollowTarget::Reader {
        name: "-".into(),
        reader: Box::new(r),
    };
    let (follower, rx) = Follower::spawn(target, opts());
    let writer = std::thread::spawn(move || {
        let mut rng = Rng(99);
        let all: Vec<u8> = (0..500).flat_map(record).collect();
        let mut at = 0;
        while at < all.len() {
            let n = (1 + rng.below(700) as usize).min(all.len() - at);
            w.write_all(&all[at..at + n]).expect("write");
            at += n;
        }
        // Dropping the writer ends the stream.
    });
    let mut got = Got::default();
    got.until(&rx, "end of stream", |g| {
        g.has(|e| matches!(e, FollowEvent::EndOfStream { .. }))
    });
    writer.join().expect("writer");
    follower.stop();
    assert_eq!(got.seqs(), (0..500).collect::<Vec<_>>());
    assert!(got
        .records
        .iter()
        .all(|r| r.0 == "-" && r.2 == Format::CmTrace));
}

#[test]
fn a_stream_ending_mid_record_keeps_the_tail() {
    let data = [record(0), b"<![LOG[cut short".to_vec()].concat();
    let target = FollowTarget::Reader {
        name: "pipe".into(),
        reader: Box::new(std::io::Cursor::new(data.clone())),
    };
    let (follower, rx) = Follower::spawn(target, opts());
    let mut got = Got::default();
    got.until(&rx, "end of stream", |g| {
        g.has(|e| matches!(e, FollowEvent::EndOfStream { .. }))
    });
    follower.stop();
    assert_eq!(got.text, data);
    assert_eq!(got.records.len(), 2);
}

/// Feeds `input` to a framer in the given pieces and joins what it hands out.
fn feed(input: &[u8], cuts: &[usize]) -> (Vec<u8>, Vec<RecordMeta>, Vec<Batch>) {
    let mut f = Framer::new();
    let mut batches = Vec::new();
    let mut at = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    cuts.sort_unstable();
    cuts.push(input.len());
    for c in cuts {
        f.push(&input[at..c.max(at)]);
        at = c.max(at);
        batches.extend(f.take(false));
    }
    batches.extend(f.finish());
    let (mut text, mut recs) = (Vec::new(), Vec::new());
    for b in &batches {
        recs.extend(b.records.iter().map(|r| {
            let mut r = *r;
            r.start += text.len() as u64;
            r
        }));
        text.extend_from_slice(&b.text);
    }
    (text, recs, batches)
}

fn loggy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<![LOG[".to_string()),
        Just("]LOG]!>".to_string()),
        Just("<time=\"10:00:00.000+60\" type=\"3\">".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just(" $$<Comp><01-02-2026 10:00:00.000+0><thread=4 (0x4)>".to_string()),
        Just("\u{FEFF}".to_string()),
        // Attributes broken over lines, records glued on one line, blank lines.
        Just("<time=\"1\" context=\"a".to_string()),
        Just("b\" type=\"3\">".to_string()),
        Just("><![LOG[".to_string()),
        Just(" \r\n".to_string()),
        Just("é😀".to_string()),
        "[a-zA-Z ,=()0-9]{0,20}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// The input as bytes in one of the encodings a log can have, with damage sometimes.
fn encoded() -> impl Strategy<Value = Vec<u8>> {
    (
        loggy(),
        0u8..4,
        proptest::collection::vec(any::<u8>(), 0..3),
    )
        .prop_map(|(s, enc, junk)| {
            let mut b = match enc {
                0 => s.into_bytes(),
                1 => [b"\xEF\xBB\xBF".to_vec(), s.into_bytes()].concat(),
                2 => utf16le(&s),
                _ => {
                    let mut out = vec![0xFE, 0xFF];
                    for u in s.encode_utf16() {
                        out.extend_from_slice(&u.to_be_bytes());
                    }
                    out
                }
            };
            // Raw bytes at the end: invalid UTF-8, an odd byte or a lone surrogate in UTF-16.
            b.extend_from_slice(&junk);
            b
        })
}

proptest! {
    #[test]
    fn framing_in_pieces_equals_framing_the_whole(
        input in encoded(),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
    ) {
        let whole = SourceText::from_vec("t".into(), input.clone());
        // Windows-1252 is told from a whole file's bytes; a follower reading from the start
        // decides from the byte-order mark and passes UTF-8 through.
        prop_assume!(whole.encoding != Encoding::Windows1252);
        let want = frame(whole.bytes(), 0, whole.bytes().len(), 1, true).records;
        let (text, recs, batches) = feed(&input, &cuts);
        prop_assert_eq!(&text, whole.bytes());
        prop_assert_eq!(recs, want);
        let mut at = 0usize;
        for b in &batches {
            let lines = memchr::memchr_iter(b'\n', &text[..at]).count() as u32;
            prop_assert_eq!(b.first_line, lines + 1);
            prop_assert_eq!(b.offset, whole.orig_offset(at as u64));
            prop_assert_eq!(b.encoding, whole.encoding);
            at += b.text.len();
        }
    }
}

#[test]
fn encodings_are_reported() {
    let (_, _, b) = feed(&utf16le("a\r\n"), &[1]);
    assert_eq!(b[0].encoding, Encoding::Utf16Le);
}
