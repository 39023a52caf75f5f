//! Order-keeping parallel map over a slice, on as many threads as the machine has.

/// Maps `items` in chunks on several threads and concatenates the results in order.
/// Fewer than `min_per_thread` items per thread are not worth a thread.
pub fn map_chunks<'a, T: Sync, R: Send>(
    items: &'a [T],
    min_per_thread: usize,
    f: impl Fn(&'a [T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = cores().min(items.len() / min_per_thread.max(1)).max(1);
    run_ranges(&split(items.len(), threads), |a, b| f(&items[a..b]))
}

/// The threads worth running work on: the machine's cores, from 1 to 16. Asked of the
/// system once per process: the answer reads cgroup files, which costs more than framing
/// a small log, and a scan asks for every machine.
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 16)
    })
}

/// `0..n` cut into at most `parts` ranges of nearly equal length.
pub fn split(n: usize, parts: usize) -> Vec<(usize, usize)> {
    let chunk = n.div_ceil(parts.max(1)).max(1);
    (0..n)
        .step_by(chunk)
        .map(|a| (a, (a + chunk).min(n)))
        .collect()
}

/// Runs `f(start, end)` for each range, one thread per range (none for a single range),
/// and concatenates the results in range order.
pub fn run_ranges<R: Send>(
    ranges: &[(usize, usize)],
    f: impl Fn(usize, usize) -> Vec<R> + Sync,
) -> Vec<R> {
    match ranges {
        [] => return Vec::new(),
        [(a, b)] => return f(*a, *b),
        _ => {}
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|&(a, b)| {
                let f = &f;
                s.spawn(move || f(a, b))
            })
            .collect();
        // Append to the first range's results: growing a large vector moves no bytes on
        // most allocators, where collecting into a new one would copy them all.
        let mut out: Vec<R> = Vec::new();
        for h in handles {
            // A panic in a worker is a bug; re-raise it rather than lose its results.
            match h.join() {
                Ok(v) if out.is_empty() => out = v,
                Ok(v) => out.extend(v),
                Err(e) => std::panic::resume_unwind(e),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_across_threads() {
        let items: Vec<u32> = (0..100_000).collect();
        let out = super::map_chunks(&items, 10, |part| part.iter().map(|x| x * 2).collect());
        assert_eq!(out.len(), items.len());
        assert!(out.iter().enumerate().all(|(i, &v)| v == 2 * i as u32));
    }
}
