//! Order-keeping parallel map over a slice, on as many threads as the machine has.

/// Maps `items` in chunks on several threads and concatenates the results in order.
/// Fewer than `min_per_thread` items per thread are not worth a thread.
pub fn map_chunks<'a, T: Sync, R: Send>(
    items: &'a [T],
    min_per_thread: usize,
    f: impl Fn(&'a [T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16)
        .min(items.len() / min_per_thread.max(1))
        .max(1);
    if threads == 1 {
        return f(items);
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let f = &f;
                s.spawn(move || f(part))
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            // A panic in a worker is a bug; re-raise it rather than lose its results.
            match h.join() {
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
