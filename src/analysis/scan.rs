//! Whole-text scans that find the records worth parsing, on several threads.
//!
//! The text is cut at line starts, so a literal (which never holds a newline) and a regex
//! match (`.` stops at newlines) fall in one piece. Each hit is mapped to the record that
//! holds it; a record is reported once per pattern.

use regex::bytes::Regex;

use crate::log::Source;

/// Pieces smaller than this are not worth a thread.
const MIN_PIECE: usize = 4 << 20;

fn pieces(text: &[u8]) -> Vec<(usize, usize)> {
    let threads = crate::par::cores();
    let n = (text.len() / MIN_PIECE).clamp(1, threads);
    let mut cuts = vec![0];
    for k in 1..n {
        let target = text.len() / n * k;
        if let Some(i) = memchr::memchr(b'\n', &text[target..]) {
            let c = target + i + 1;
            if c > *cuts.last().unwrap_or(&0) && c < text.len() {
                cuts.push(c);
            }
        }
    }
    cuts.push(text.len());
    cuts.windows(2).map(|w| (w[0], w[1])).collect()
}

fn run_pieces<T: Send>(text: &[u8], f: impl Fn(usize, usize) -> Vec<T> + Sync) -> Vec<T> {
    crate::par::run_ranges(&pieces(text), f)
}

/// Calls `visit(record index, message bytes)` for every record, on every core, and
/// collects what it returns, in record order. For CMTrace the message is the text between
/// `<![LOG[` and `]LOG]!>`: skipping the attribute tails halves the bytes to search.
pub fn messages<T: Send>(src: &Source, visit: impl Fn(usize, &[u8]) -> Option<T> + Sync) -> Vec<T> {
    let text = src.text.bytes();
    let n = src.records.len();
    let threads = crate::par::cores();
    let parts = if text.len() < MIN_PIECE { 1 } else { threads };
    crate::par::run_ranges(&crate::par::split(n, parts), |from, to| {
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
    let text = src.text.bytes();
    run_pieces(text, |a, b| {
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
