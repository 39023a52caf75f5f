//! Bytes in: reading an input, detecting its encoding, and presenting it as UTF-8 text
//! whose offsets can always be mapped back to the original file.
//!
//! UTF-8 files (with or without BOM) are used as they are: text offsets are file offsets and
//! invalid bytes stay in place, to be shown as U+FFFD when displayed. UTF-16 files are
//! transcoded once; a table of line starts maps text offsets back to file offsets so that
//! record spans still tile the original file.

use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

use memmap2::Mmap;

use crate::mapguard::Guarded;

/// Regular files smaller than this are read into memory rather than mapped: the copy costs
/// little at this size, and a file in memory cannot fault when another process truncates it.
/// Larger files are mapped, with the guard of [`crate::mapguard`].
pub const COPY_BELOW: u64 = 64 << 20;

/// The longest line read from a stream (a pipe, a FIFO, a device): a stream is buffered
/// whole, and one with no line break at all (`/dev/zero`) would otherwise grow without end.
/// Mapped and copied files have no such limit: a long record costs them no extra memory.
pub const MAX_STREAM_LINE: usize = 256 << 20;

/// The character encoding of an input, detected from its byte-order mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (or ASCII) with no byte-order mark.
    Utf8,
    /// UTF-8 that starts with EF BB BF.
    Utf8Bom,
    /// UTF-16 little-endian with a byte-order mark.
    Utf16Le,
    /// UTF-16 big-endian with a byte-order mark.
    Utf16Be,
}

impl Encoding {
    /// The name used in reports and the JSON contract.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
        }
    }

    /// Detects the encoding from the first bytes of a file.
    pub fn detect(head: &[u8]) -> Encoding {
        match head {
            [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8Bom,
            [0xFF, 0xFE, ..] => Encoding::Utf16Le,
            [0xFE, 0xFF, ..] => Encoding::Utf16Be,
            _ => Encoding::Utf8,
        }
    }

    /// Length in bytes of the byte-order mark in the original file.
    pub fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8 => 0,
            Encoding::Utf8Bom => 3,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
        }
    }
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The path does not exist or cannot be opened.
    #[error("{path}: {reason}")]
    Open {
        /// The path as given.
        path: String,
        /// The operating system's reason, in words.
        reason: String,
    },
    /// An input past one of the limits that keep memory bounded.
    #[error("{path}: {reason}")]
    TooLarge {
        /// The path as given.
        path: String,
        /// Which limit, in words.
        reason: String,
    },
    /// A folder held no log files.
    #[error("{path}: no .log or .lo_ files in this folder")]
    EmptyDir {
        /// The folder as given.
        path: String,
    },
    /// A zip that cannot be read at all: corrupt, encrypted, or with no log in it.
    #[error("{path}: {reason}")]
    Zip {
        /// The zip as named.
        path: String,
        /// Why, in words.
        reason: String,
    },
    /// One entry of a zip that cannot be read (the others still are).
    #[error("{path}: {reason}")]
    Entry {
        /// `bundle.zip!path/in/zip.log`.
        path: String,
        /// Why, in words.
        reason: String,
    },
}

impl SourceError {
    /// The error for a path the operating system would not open, its reason in words.
    pub(crate) fn open(path: &Path, err: &std::io::Error) -> SourceError {
        let reason = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => err.to_string(),
        };
        SourceError::Open {
            path: path.display().to_string(),
            reason,
        }
    }
}

enum Bytes {
    Mapped(Guarded),
    Owned(Vec<u8>),
}

/// One input's text as UTF-8 bytes (possibly with invalid sequences), plus what is needed
/// to map a text offset back to the original file.
pub struct SourceText {
    /// The path as the user named it (`-` for standard input).
    pub path: String,
    /// The encoding detected from the byte-order mark.
    pub encoding: Encoding,
    bytes: Bytes,
    orig_len: u64,
    /// For transcoded text: (text offset, file offset) of every line start, ascending.
    line_map: Option<Vec<(u64, u64)>>,
    /// A copied file came out shorter than its size when opened.
    short_read: bool,
}

impl SourceText {
    /// Opens a file. A regular UTF-8 file of [`COPY_BELOW`] bytes or more is memory-mapped
    /// (guarded against truncation, see [`crate::mapguard`]); a smaller one is read into
    /// memory; anything else (a FIFO, `<(cmd)`, a device) is read as a stream.
    pub fn open(path: &Path) -> Result<SourceText, SourceError> {
        let file = File::open(path).map_err(|e| SourceError::open(path, &e))?;
        let meta = file.metadata().map_err(|e| SourceError::open(path, &e))?;
        if meta.is_dir() {
            return Err(SourceError::Open {
                path: path.display().to_string(),
                reason: "is a folder".into(),
            });
        }
        let name = path.display().to_string();
        if !meta.is_file() {
            return SourceText::read_stream(name, file, &mut |_| {});
        }
        if meta.len() >= COPY_BELOW {
            // SAFETY: the map is read-only. A file truncated by another process while it
            // is mapped would fault; the guard turns those faults into zero pages and
            // remembers that the file changed.
            let map = unsafe { Mmap::map(&file) }.map_err(|e| SourceError::open(path, &e))?;
            #[cfg(unix)]
            {
                let _ = map.advise(memmap2::Advice::Sequential);
            }
            match Guarded::new(map) {
                Ok(map) => {
                    let enc = Encoding::detect(&map[..map.len().min(4)]);
                    if matches!(enc, Encoding::Utf8 | Encoding::Utf8Bom) {
                        return Ok(SourceText {
                            path: name,
                            encoding: enc,
                            orig_len: map.len() as u64,
                            bytes: Bytes::Mapped(map),
                            line_map: None,
                            short_read: false,
                        });
                    }
                    let mut text = SourceText::from_bytes(name, &map);
                    text.short_read = map.changed();
                    return Ok(text);
                }
                // No guard to be had: read it instead.
                Err(map) => drop(map),
            }
        }
        let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        // Only what was there when opened: a log growing meanwhile is read up to that size.
        file.take(meta.len())
            .read_to_end(&mut buf)
            .map_err(|e| SourceError::open(path, &e))?;
        let short = (buf.len() as u64) < meta.len();
        let mut text = SourceText::from_vec(name, buf);
        text.short_read = short;
        Ok(text)
    }

    /// Reads all of standard input.
    pub fn stdin() -> Result<SourceText, SourceError> {
        SourceText::read_stream("-".into(), std::io::stdin().lock(), &mut |_| {})
    }

    /// Reads a stream to its end, calling `progress` with the bytes read so far. A line
    /// longer than [`MAX_STREAM_LINE`] is refused rather than buffered without end.
    pub fn read_stream(
        path: String,
        mut reader: impl Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<SourceText, SourceError> {
        let mut buf = Vec::new();
        let mut chunk = vec![0u8; 1 << 20];
        // Bytes since the last line break.
        let mut open_line = 0usize;
        loop {
            match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    let got = &chunk[..n];
                    open_line = match memchr::memrchr(b'\n', got) {
                        Some(i) => n - i - 1,
                        None => open_line + n,
                    };
                    if open_line > MAX_STREAM_LINE {
                        return Err(SourceError::TooLarge {
                            path,
                            reason: format!(
                                "a line longer than {} MiB, the limit for one line read from a stream",
                                MAX_STREAM_LINE >> 20
                            ),
                        });
                    }
                    buf.extend_from_slice(got);
                    progress(buf.len() as u64);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(SourceError::open(Path::new(&path), &e)),
            }
        }
        Ok(SourceText::from_vec(path, buf))
    }

    /// Refuses a text of more lines than a line number holds (`u32`): only a text of over
    /// 4 GiB can be one, so only such a text is counted, before it is framed.
    pub fn check_lines(&self) -> Result<(), SourceError> {
        let bytes = self.bytes();
        if bytes.len() < u32::MAX as usize {
            return Ok(());
        }
        let lines = memchr::memchr_iter(b'\n', bytes).count();
        if lines < u32::MAX as usize {
            return Ok(());
        }
        Err(SourceError::TooLarge {
            path: self.path.clone(),
            reason: format!(
                "more than {} lines, the most a line number holds; split the file",
                u32::MAX
            ),
        })
    }

    /// True when the file changed while it was read: it shrank under its memory map (what
    /// lay past its new end reads as NUL bytes), or came out shorter than its size when
    /// opened. The text is what could be read; a caller says the file changed.
    pub fn changed(&self) -> bool {
        self.short_read || matches!(&self.bytes, Bytes::Mapped(m) if m.changed())
    }

    /// Builds a source from bytes already in memory (tests, pipes).
    pub fn from_vec(path: String, buf: Vec<u8>) -> SourceText {
        let enc = Encoding::detect(&buf[..buf.len().min(4)]);
        match enc {
            Encoding::Utf8 | Encoding::Utf8Bom => SourceText {
                path,
                encoding: enc,
                orig_len: buf.len() as u64,
                bytes: Bytes::Owned(buf),
                line_map: None,
                short_read: false,
            },
            _ => SourceText::from_bytes(path, &buf),
        }
    }

    fn from_bytes(path: String, orig: &[u8]) -> SourceText {
        let enc = Encoding::detect(&orig[..orig.len().min(4)]);
        match enc {
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let (text, map) = transcode_utf16(orig, enc == Encoding::Utf16Le);
                SourceText {
                    path,
                    encoding: enc,
                    orig_len: orig.len() as u64,
                    bytes: Bytes::Owned(text),
                    line_map: Some(map),
                    short_read: false,
                }
            }
            _ => SourceText {
                path,
                encoding: enc,
                orig_len: orig.len() as u64,
                bytes: Bytes::Owned(orig.to_vec()),
                line_map: None,
                short_read: false,
            },
        }
    }

    /// An empty text for a followed file or stream, which grows by [`SourceText::append_text`].
    /// Its bytes are owned: a followed file is never memory-mapped, since a writer that
    /// truncates it would make a mapped view fault.
    pub fn streaming(path: String, encoding: Encoding) -> SourceText {
        SourceText {
            path,
            encoding,
            bytes: Bytes::Owned(Vec::new()),
            orig_len: 0,
            line_map: matches!(encoding, Encoding::Utf16Le | Encoding::Utf16Be).then(Vec::new),
            short_read: false,
        }
    }

    /// Appends decoded text (UTF-8, as the follower hands it out) that starts on a line
    /// boundary at `orig_offset` in the original file. For transcoded text the line table
    /// grows too, so that the new records' spans map back to the file.
    pub fn append_text(&mut self, text: &[u8], orig_offset: u64) {
        if text.is_empty() {
            return;
        }
        // A mapped file cannot grow in place; copying it once keeps appends correct should a
        // caller ever append to one (followed files are read into owned memory from the start).
        if let Bytes::Mapped(m) = &self.bytes {
            self.bytes = Bytes::Owned(m[..].to_vec());
        }
        let Bytes::Owned(buf) = &mut self.bytes else {
            return;
        };
        let base = buf.len() as u64;
        buf.extend_from_slice(text);
        match self.line_map.as_mut() {
            None => self.orig_len = orig_offset + text.len() as u64,
            Some(map) => {
                // Every line start of the new text, with its file offset: a UTF-16 unit is two
                // bytes, and the text came from decoding UTF-16, so counting units is exact.
                if map.last().is_none_or(|&(t, _)| t < base) {
                    map.push((base, orig_offset));
                }
                let mut file = orig_offset;
                let mut from = 0usize;
                for nl in memchr::memchr_iter(b'\n', text) {
                    let line = &text[from..=nl];
                    file += utf16_bytes(line);
                    from = nl + 1;
                    if from < text.len() {
                        map.push((base + from as u64, file));
                    }
                }
                file += utf16_bytes(&text[from..]);
                self.orig_len = file;
            }
        }
    }

    /// Cuts appended text back to its first `len` bytes, which began at `orig_len` in the
    /// original file: a followed file's provisional text, about to be sent again whole.
    pub fn truncate_text(&mut self, len: usize, orig_len: u64) {
        let Bytes::Owned(buf) = &mut self.bytes else {
            return;
        };
        if len >= buf.len() {
            return;
        }
        buf.truncate(len);
        if let Some(map) = self.line_map.as_mut() {
            map.retain(|&(t, _)| (t as usize) < len);
        }
        self.orig_len = orig_len;
    }

    /// The text, as UTF-8 bytes (the BOM, if any, is kept at the start).
    pub fn bytes(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }

    /// Size of the original input in bytes.
    pub fn orig_len(&self) -> u64 {
        self.orig_len
    }

    /// Maps a text offset to a file offset (exact; quick at a line start or the end).
    pub fn orig_offset(&self, text_off: u64) -> u64 {
        match &self.line_map {
            None => text_off,
            Some(map) => {
                if text_off >= self.bytes().len() as u64 {
                    return self.orig_len;
                }
                let i = map.partition_point(|&(t, _)| t <= text_off);
                match i.checked_sub(1).and_then(|i| map.get(i)) {
                    Some(&(t, o)) if t == text_off => o,
                    // Not a line start (a record glued to the one before it on its line):
                    // count the UTF-16 units from the line's start.
                    Some(&(t, o)) => {
                        let part = self.bytes().get(t as usize..text_off as usize);
                        o + part.map_or((text_off - t) * 2, utf16_bytes)
                    }
                    None => text_off,
                }
            }
        }
    }

    /// Maps a text range that starts and ends on line boundaries back to a file range.
    pub fn orig_range(&self, text: Range<u64>) -> Range<u64> {
        self.orig_offset(text.start)..self.orig_offset(text.end)
    }
}

/// Size in UTF-16 of text decoded from UTF-16 (each invalid byte stands for one unit, as
/// U+FFFD did when it was decoded).
fn utf16_bytes(text: &[u8]) -> u64 {
    String::from_utf8_lossy(text).encode_utf16().count() as u64 * 2
}

/// Transcodes UTF-16 to UTF-8 (unpaired surrogates and an odd last byte become U+FFFD) and
/// records the file offset of every line start. The BOM is transcoded too (as EF BB BF), so
/// that the first record's span starts at file offset 0.
fn transcode_utf16(orig: &[u8], little: bool) -> (Vec<u8>, Vec<(u64, u64)>) {
    let mut out = Vec::with_capacity(orig.len() / 2 * 3 / 2 + 8);
    let mut map = vec![(0u64, 0u64)];
    let units = orig.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut pos = 0u64; // file offset of the unit being decoded
    let mut buf = [0u8; 4];
    for ch in char::decode_utf16(units) {
        let (c, width) = match ch {
            Ok(c) => (c, c.len_utf16() as u64 * 2),
            Err(_) => (char::REPLACEMENT_CHARACTER, 2),
        };
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        pos += width;
        if c == '\n' && pos < orig.len() as u64 {
            map.push((out.len() as u64, pos));
        }
    }
    if orig.len() % 2 == 1 {
        out.extend_from_slice("\u{FFFD}".as_bytes());
    }
    (out, map)
}

/// Inputs are resolved and read by [`crate::input`]; these names stay for callers of old.
pub use crate::input::{resolve_inputs, Input};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_boms() {
        assert_eq!(Encoding::detect(b"\xEF\xBB\xBFabc"), Encoding::Utf8Bom);
        assert_eq!(Encoding::detect(b"\xFF\xFEa\0"), Encoding::Utf16Le);
        assert_eq!(Encoding::detect(b"\xFE\xFF\0a"), Encoding::Utf16Be);
        assert_eq!(Encoding::detect(b"abc"), Encoding::Utf8);
        assert_eq!(Encoding::detect(b""), Encoding::Utf8);
    }

    #[test]
    fn utf16_maps_line_starts_back() {
        let s = "\u{FEFF}ab\r\ncé\r\nz";
        let orig: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let src = SourceText::from_vec("t".into(), orig.clone());
        assert_eq!(src.encoding, Encoding::Utf16Le);
        let text = src.bytes();
        assert_eq!(std::str::from_utf8(text).unwrap(), s);
        // second line starts after "\u{FEFF}ab\r\n": 3+2+2 = 7 text bytes, 2+4+4 = 10 file bytes
        assert_eq!(src.orig_offset(7), 10);
        assert_eq!(src.orig_offset(text.len() as u64), orig.len() as u64);
    }

    #[test]
    fn utf16_odd_bytes_and_lone_surrogates_become_replacement() {
        let mut orig = vec![0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0];
        orig.push(0x41);
        let src = SourceText::from_vec("t".into(), orig);
        let text = String::from_utf8(src.bytes().to_vec()).unwrap();
        assert_eq!(text, "\u{FEFF}a\u{FFFD}b\u{FFFD}");
    }

    #[test]
    fn appended_text_equals_the_whole_file() {
        // UTF-8: text offsets stay file offsets.
        let whole = SourceText::from_vec("t".into(), b"a\nbb\nccc\n".to_vec());
        let mut grown = SourceText::streaming("t".into(), Encoding::Utf8);
        grown.append_text(b"a\nbb\n", 0);
        grown.append_text(b"ccc\n", 5);
        assert_eq!(grown.bytes(), whole.bytes());
        assert_eq!(grown.orig_len(), whole.orig_len());

        // UTF-16: the line table grows so that every line start maps back to the file.
        let s = "\u{FEFF}ab\r\ncé\r\nz\r\n";
        let orig: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let whole = SourceText::from_vec("t".into(), orig.clone());
        let mut grown = SourceText::streaming("t".into(), Encoding::Utf16Le);
        let text = s.as_bytes();
        // Split after the second line: 3+2+2+3+2 = 12 text bytes, 2+4+4+4+4 = 18 file bytes.
        grown.append_text(&text[..12], 0);
        grown.append_text(&text[12..], 18);
        assert_eq!(grown.bytes(), whole.bytes());
        assert_eq!(grown.orig_len(), orig.len() as u64);
        for off in [0u64, 7, 12, text.len() as u64] {
            assert_eq!(
                grown.orig_offset(off),
                whole.orig_offset(off),
                "offset {off}"
            );
        }
    }

    fn write_lines(f: &mut std::fs::File, bytes: usize) {
        use std::io::Write;
        let line = b"<![LOG[a line of the log]LOG]!><time=\"10:00:00.000+000\" type=\"1\">\n";
        let mut buf = Vec::with_capacity(bytes);
        while buf.len() < bytes {
            buf.extend_from_slice(line);
        }
        f.write_all(&buf).unwrap();
        f.flush().unwrap();
    }

    #[test]
    fn a_log_truncated_while_mapped_is_read_as_far_as_it_goes() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        write_lines(f.as_file_mut(), COPY_BELOW as usize + (1 << 20));
        let text = SourceText::open(f.path()).unwrap();
        assert!(matches!(text.bytes, Bytes::Mapped(_)));
        f.as_file().set_len(1 << 20).unwrap();
        // Framing reads every page: the ones past the new end fault, and read as zeros.
        let source = crate::log::Source::index(text);
        assert!(source.text.changed());
        let first = source.text.bytes().get(..7).unwrap_or_default().to_vec();
        assert_eq!(first, b"<![LOG[");
    }

    #[test]
    fn a_log_grown_or_deleted_after_opening_reads_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.log");
        let mut f = std::fs::File::create(&path).unwrap();
        write_lines(&mut f, 4096);
        let len = std::fs::metadata(&path).unwrap().len();
        let text = SourceText::open(&path).unwrap();
        write_lines(&mut f, 4096);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(text.bytes().len() as u64, len);
        assert!(!text.changed());
    }
}
