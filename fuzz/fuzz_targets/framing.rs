//! Framing: the records of a text framed at once, framed in two calls as a follower does
//! (the first not at the end of the input), and framed in pieces on several threads, are
//! the same records, and their spans tile the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tslens::parse;

fuzz_target!(|data: &[u8]| {
    // The first byte picks where the text is cut for the incremental run.
    let Some((&pick, text)) = data.split_first() else {
        return;
    };
    let whole = parse::frame(text, 0, text.len(), 1, true);
    let records = &whole.records;
    // Spans tile the text: the first record starts at 0, starts ascend.
    if let Some(first) = records.first() {
        assert_eq!(first.start, 0);
    } else {
        assert!(text.is_empty());
    }
    assert!(records.windows(2).all(|w| w[0].start < w[1].start));
    assert!(records.iter().all(|r| (r.start as usize) < text.len()));

    // Incremental: frame what had arrived at `cut`, then go on from where it stopped.
    let cut = if text.is_empty() {
        0
    } else {
        usize::from(pick) * text.len() / 255
    };
    let head = parse::frame(&text[..cut], 0, cut, 1, false);
    let tail = parse::frame(text, head.resume, text.len(), head.resume_line, true);
    let mut joined = head.records.clone();
    joined.extend_from_slice(&tail.records);
    assert_eq!(
        &joined, records,
        "incremental framing differs (cut at {cut})"
    );

    // In pieces, as large files are framed on every core.
    for threads in [2, 3, 7] {
        let parallel = parse::index_pieces(text, threads);
        assert_eq!(&parallel, records, "{threads} pieces differ");
    }
});
