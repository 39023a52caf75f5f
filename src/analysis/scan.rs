//! Whole-text scans that find the records worth parsing, on several threads.
//!
//! The text is cut at line starts, so a literal (which never holds a newline) and a regex
//! match (`.` stops at newlines) fall in one piece. Each hit is mapped to the record that
//! holds it; a record is reported once per pattern.

use std::ops::Range;

use regex::bytes::Regex;

use crate::log::Source;

/// Pieces smaller than this are not worth a thread.
const MIN_PIECE: usize = 4 << 20;

/// `text[lo..hi]` cut at line starts into pieces for the threads.
fn pieces(text: &[u8], lo: usize, hi: usize) -> Vec<(usize, usize)> {
    let threads = crate::par::cores();
    let n = ((hi - lo) / MIN_PIECE).clamp(1, threads);
    let mut cuts = vec![lo];
    for k in 1..n {
        let target = lo + (hi - lo) / n * k;
        if let Some(i) = memchr::memchr(b'\n', &text[target..hi]) {
            let c = target + i + 1;
            if c > *cuts.last().unwrap_or(&lo) && c < hi {
                cuts.push(c);
            }
        }
    }
    cuts.push(hi);
    cuts.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Calls `visit(record index, message bytes)` for every record, on every core, and
/// collects what it returns, in record order. For CMTrace the message is the text between
/// `<![LOG[` and `]LOG]!>`: skipping the attribute tails halves the bytes to search.
pub fn messages<T: Send>(src: &Source, visit: impl Fn(usize, &[u8]) -> Option<T> + Sync) -> Vec<T> {
    messages_in(src, 0..src.records.len(), visit)
}

/// [`messages`] for the records `records` only (a live log's new ones).
pub fn messages_in<T: Send>(
    src: &Source,
    records: Range<usize>,
    visit: impl Fn(usize, &[u8]) -> Option<T> + Sync,
) -> Vec<T> {
    let text = src.text.bytes();
    let records = records.start..records.end.min(src.records.len());
    if records.is_empty() {
        return Vec::new();
    }
    let bytes = src.span(records.end - 1).end - src.span(records.start).start;
    let threads = crate::par::cores();
    let parts = if bytes < MIN_PIECE { 1 } else { threads };
    let base = records.start;
    let ranges: Vec<(usize, usize)> = crate::par::split(records.len(), parts)
        .into_iter()
        .map(|(a, b)| (base + a, base + b))
        .collect();
    crate::par::run_ranges(&ranges, |from, to| {
        let mut out = Vec::new();
        for i in from..to {
            let span = src.span(i);
            let Some(rec) = text.get(span) else { continue };
            out.extend(visit(i, src.records[i].message(rec)));
        }
        out
    })
}

/// Records where `re` matches, in record order. After a hit the search resumes at the
/// next record, so one long record costs one match.
pub fn regex_hits(src: &Source, re: &Regex) -> Vec<usize> {
    regex_hits_in(src, re, 0..src.records.len())
}

/// [`regex_hits`] over the text of the records `records` only (a live log's new ones).
pub fn regex_hits_in(src: &Source, re: &Regex, records: Range<usize>) -> Vec<usize> {
    let text = src.text.bytes();
    let records = records.start..records.end.min(src.records.len());
    if records.is_empty() {
        return Vec::new();
    }
    // The whole text when every record is asked for: text before the first record (none
    // in a framed source) is searched as before.
    let lo = if records.start == 0 {
        0
    } else {
        src.span(records.start).start
    };
    let hi = if records.end == src.records.len() {
        text.len()
    } else {
        src.span(records.end - 1).end
    };
    crate::par::run_ranges(&pieces(text, lo, hi), |a, b| {
        let mut out = Vec::new();
        let hay = &text[..b];
        let mut at = a;
        while at < b {
            let Some(m) = re.find_at(hay, at) else {
                break;
            };
            let rec = src.record_at(m.start() as u64);
            out.push(rec);
            at = match src.records.get(rec + 1) {
                Some(r) => (r.start as usize).max(m.end()).max(at + 1),
                None => b,
            };
        }
        out
    })
}
