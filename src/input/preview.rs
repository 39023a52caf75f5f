//! Quick reads for the explorer: each input's head (or tail, when following) framed at once
//! so that the first screen needs no full index, and a followed file's text read up to the
//! last complete record, with where its follower takes over.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::log::{Log, Source};
use crate::parse;
use crate::source::{Encoding, SourceError, SourceText};

use super::Input;

/// A preview of the inputs, and how its records map to the full log's.
pub struct Preview {
    /// The partial log.
    pub log: Log,
    /// For each preview source: the input it came from, and the text offset where its
    /// preview starts (0 for a head).
    pub origin: Vec<(usize, u64)>,
    /// True when some preview shows a file's tail, whose line numbers are not known yet.
    pub tail: bool,
    /// True when the preview is already the whole of every input.
    pub complete: bool,
}

fn read_up_to(file: &mut File, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(limit.min(1 << 24));
    file.take(limit as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Frames `bytes` as a source; when `complete` is false, a last record that may go on past
/// the end is left out so that the preview never shows a record cut short.
fn frame_piece(path: &str, mut bytes: Vec<u8>, complete: bool) -> Source {
    if !complete {
        let probe = SourceText::from_vec(path.to_string(), bytes.clone());
        let len = probe.bytes().len();
        let framed = parse::frame(probe.bytes(), 0, len, 1, false);
        let cut = probe.orig_offset(framed.resume as u64) as usize;
        bytes.truncate(cut);
    }
    Source::index(SourceText::from_vec(path.to_string(), bytes))
}

/// Frames the head of each file (or, with `tail`, the end of each UTF-8 file), at most
/// `budget` bytes each; a zip entry is read whole. Standard input is left to the worker.
/// Fails when a file cannot be opened, so that the error is reported before the screen
/// opens; a zip entry that cannot be read is left to the worker, which skips it.
pub fn preview(inputs: &[Input], tail: bool, budget: usize) -> Result<Preview, SourceError> {
    let mut sources = Vec::new();
    let mut origin = Vec::new();
    let mut any_tail = false;
    let mut complete = true;
    for (i, input) in inputs.iter().enumerate() {
        let path = match input {
            Input::File(path) => path,
            Input::Entry(e) => {
                match e.read() {
                    Ok(text) => {
                        sources.push(Source::index(text));
                        origin.push((i, 0));
                    }
                    Err(_) => complete = false,
                }
                continue;
            }
            Input::Stdin => {
                complete = false;
                continue;
            }
        };
        let name = path.display().to_string();
        // stat, not open: opening a FIFO waits for its writer, and the screen must not.
        let meta = std::fs::metadata(path).map_err(|e| SourceError::open(path, &e))?;
        if meta.is_dir() {
            return Err(SourceError::Open {
                path: name,
                reason: "is a folder".into(),
            });
        }
        if !meta.is_file() {
            // A FIFO, `<(cmd)` or a device: a stream, which the worker reads whole.
            complete = false;
            continue;
        }
        let mut file = File::open(path).map_err(|e| SourceError::open(path, &e))?;
        let len = meta.len();
        let head = read_up_to(&mut file, crate::source::UTF16_SNIFF)
            .map_err(|e| SourceError::open(path, &e))?;
        let enc = Encoding::sniff_head(&head).unwrap_or(Encoding::Utf8);
        file.seek(SeekFrom::Start(0))
            .map_err(|e| SourceError::open(path, &e))?;
        let whole = len <= budget as u64;
        complete &= whole;
        if tail && !whole && enc == Encoding::Utf8 {
            let start = len - budget as u64;
            file.seek(SeekFrom::Start(start))
                .map_err(|e| SourceError::open(path, &e))?;
            let buf = read_up_to(&mut file, budget).map_err(|e| SourceError::open(path, &e))?;
            // Start at a record boundary: a line opening a CMTrace record, else any line.
            let skip = memchr::memmem::find(&buf, b"\n<![LOG[")
                .or_else(|| memchr::memchr(b'\n', &buf))
                .map_or(buf.len(), |i| i + 1);
            let piece = buf.get(skip..).unwrap_or_default().to_vec();
            sources.push(frame_piece(&name, piece, true));
            origin.push((i, start + skip as u64));
            any_tail = true;
        } else {
            // UTF-16 needs whole code units.
            let limit = if enc.is_utf16() { budget & !1 } else { budget };
            let buf = read_up_to(&mut file, limit).map_err(|e| SourceError::open(path, &e))?;
            sources.push(frame_piece(&name, buf, whole));
            origin.push((i, 0));
        }
    }
    Ok(Preview {
        log: Log::from_sources(sources),
        origin,
        tail: any_tail,
        complete,
    })
}

/// Reads a file that is about to be followed: into memory, never mapped, and without a last
/// record that may still be being written (the follower sends it whole once it is done).
/// Returns the text and where the follower must start: file offset and line number.
pub fn read_for_follow(path: &Path) -> Result<(SourceText, (u64, u32)), SourceError> {
    let mut bytes = std::fs::read(path).map_err(|e| SourceError::open(path, &e))?;
    let name = path.display().to_string();
    let probe = SourceText::from_vec(name.clone(), bytes.clone());
    let len = probe.bytes().len();
    let framed = parse::frame(probe.bytes(), 0, len, 1, false);
    let cut = probe.orig_offset(framed.resume as u64);
    bytes.truncate(usize::try_from(cut).unwrap_or(usize::MAX));
    Ok((SourceText::from_vec(name, bytes), (cut, framed.resume_line)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn rec(i: usize) -> String {
        format!("<![LOG[message {i}]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2026\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n")
    }

    #[test]
    fn head_preview_holds_back_a_cut_record() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        let text: String = (0..100).map(rec).collect();
        f.write_all(text.as_bytes()).unwrap();
        let budget = rec(0).len() * 10 + 5;
        let p = preview(&[Input::File(f.path().to_path_buf())], false, budget).unwrap();
        assert_eq!(p.log.len(), 10);
        assert!(!p.complete);
        assert_eq!(p.log.message(p.log.at(9)), "message 9");
    }

    #[test]
    fn tail_preview_starts_at_a_record() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        let text: String = (0..100).map(rec).collect();
        f.write_all(text.as_bytes()).unwrap();
        let budget = rec(99).len() * 10 + 5;
        let p = preview(&[Input::File(f.path().to_path_buf())], true, budget).unwrap();
        assert!(p.tail);
        assert_eq!(p.log.len(), 10);
        assert_eq!(p.log.message(p.log.at(9)), "message 99");
    }
}
