//! The follower's share of following a busy log: a writer appends one record per `write()`
//! at a steady rate (1,000 a second, as `../shared/bench/tail_latency.sh -r 1000` does) and
//! the follower reads them in batches; the consumer only counts them. Prints the worker
//! thread's CPU time (from the scheduler's own account, `/proc/self/task/*/schedstat`), the
//! batches, and the CPU per batch. Every record must arrive once and in order, or it panics.
//!
//! ```text
//! cargo bench --bench follow_read -- 10        # seconds of writing (default 10)
//! strace -c -f target/release/deps/follow_read-* 10   # the system calls behind it
//! ```
//!
//! The whole process (writer and consumer included) is what an interleaved CPU-time
//! comparison of two builds sees; the worker's line is the follower alone.

use std::io::Write;
use std::time::{Duration, Instant};

use tslens::follow::{FollowEvent, FollowOptions, FollowTarget, Follower, Start};

mod support;

const RATE: u64 = 1000;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let secs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let dir = std::env::temp_dir().join(format!("tslens-follow-read-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let path = dir.join("smsts.log");
    let text = support::synthetic(64 << 10);
    std::fs::write(&path, &text).expect("initial log");
    let opts = FollowOptions {
        start: Start::End,
        ..FollowOptions::default()
    };
    let (follower, events) = Follower::spawn(FollowTarget::File(path.clone()), opts);
    // The worker opens the file and sends Opened before the writer starts.
    loop {
        match events.recv_timeout(Duration::from_secs(10)) {
            Ok(FollowEvent::Opened { .. }) => break,
            Ok(_) => {}
            Err(e) => panic!("no Opened event: {e}"),
        }
    }
    let worker = worker_tid();
    let cpu0 = worker.as_deref().map(thread_cpu);
    let total = secs * RATE;
    let writer = std::thread::spawn({
        let path = path.clone();
        move || {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .expect("open for append");
            let start = Instant::now();
            for n in 0..total {
                let due = start + Duration::from_micros(n * 1_000_000 / RATE);
                if let Some(d) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(d);
                }
                let line = format!(
                    "<![LOG[seq={n} follow_read record]LOG]!><time=\"08:00:00.000+000\" \
                     date=\"12-06-2026\" component=\"TSManager\" context=\"\" type=\"1\" \
                     thread=\"100\" file=\"bench\">\r\n"
                );
                f.write_all(line.as_bytes()).expect("append");
            }
        }
    });
    let (mut seen, mut batches) = (0u64, 0u64);
    while seen < total {
        match events.recv_timeout(Duration::from_secs(10)) {
            Ok(FollowEvent::Records { batch, .. }) => {
                batches += 1;
                let text = String::from_utf8_lossy(&batch.text);
                for r in &batch.records {
                    let t = &text[r.start as usize..];
                    if let Some(at) = t.find("seq=") {
                        let n: u64 = t[at + 4..]
                            .split(' ')
                            .next()
                            .and_then(|s| s.parse().ok())
                            .expect("a sequence number");
                        assert_eq!(n, seen, "records lost, repeated or out of order");
                        seen += 1;
                    }
                }
            }
            Ok(_) => {}
            Err(e) => panic!("{seen} of {total} records arrived: {e}"),
        }
    }
    writer.join().expect("writer");
    let cpu = worker
        .as_deref()
        .zip(cpu0)
        .map(|(t, c0)| thread_cpu(t) - c0);
    follower.stop();
    let _ = std::fs::remove_dir_all(&dir);
    match cpu {
        Some(cpu) => println!(
            "follow_read: {total} records in {batches} batches over {secs} s; worker CPU {:.1} ms \
             ({:.2} % of a core), {:.1} µs a batch",
            cpu.as_secs_f64() * 1e3,
            cpu.as_secs_f64() * 100.0 / secs as f64,
            cpu.as_secs_f64() * 1e6 / batches.max(1) as f64
        ),
        None => println!("follow_read: {total} records in {batches} batches over {secs} s"),
    }
}

/// The follower's worker thread, found by its name (Linux).
fn worker_tid() -> Option<String> {
    std::fs::read_dir("/proc/self/task")
        .ok()?
        .flatten()
        .find(|e| {
            std::fs::read_to_string(e.path().join("comm"))
                .is_ok_and(|c| c.trim() == "tslens-follow")
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
}

/// A thread's time on a processor so far (`schedstat`'s first field, in nanoseconds).
fn thread_cpu(tid: &str) -> Duration {
    std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat"))
        .ok()
        .and_then(|s| s.split(' ').next().and_then(|n| n.parse().ok()))
        .map_or(Duration::ZERO, Duration::from_nanos)
}
