//! Bytes in: reading an input, detecting its encoding, and presenting it as UTF-8 text
//! whose offsets can always be mapped back to the original file.
//!
//! UTF-8 files (with or without BOM) are used as they are: text offsets are file offsets and
//! invalid bytes stay in place, to be shown as U+FFFD when displayed. UTF-16 files (with a
//! BOM, or without one when the bytes say so) and Windows-1252 files (not UTF-8, and looking
//! like a single-byte code page) are transcoded once; a table of line starts maps text
//! offsets back to file offsets so that record spans still tile the original file.

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

/// How many bytes at the start of a file tell UTF-16 without a BOM: the follower reads as
/// many before it opens a file, so both decide alike.
pub const UTF16_SNIFF: usize = 512;

/// How many bytes at the start of a file are checked for UTF-8 before a file is read as
/// Windows-1252. A bound, so that a big UTF-8 log pays for a few megabytes, not a second
/// pass over all of it; a single-byte file shows its first non-ASCII letter well before.
pub const CODEPAGE_SNIFF: usize = 16 << 20;

/// The character encoding of an input, detected from its byte-order mark or its bytes.
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
    /// UTF-16 little-endian without a byte-order mark, told by its NUL bytes.
    Utf16LeNoBom,
    /// UTF-16 big-endian without a byte-order mark, told by its NUL bytes.
    Utf16BeNoBom,
    /// Not UTF-8, and looks like a single-byte code page: read as Windows-1252 (the ANSI code
    /// page of Western European Windows, where `ä` is the one byte E4).
    Windows1252,
}

impl Encoding {
    /// The name used in reports and the JSON contract.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Utf16LeNoBom => "utf-16le-no-bom",
            Encoding::Utf16BeNoBom => "utf-16be-no-bom",
            Encoding::Windows1252 => "windows-1252",
        }
    }

    /// True for UTF-16, with or without a byte-order mark.
    pub fn is_utf16(self) -> bool {
        matches!(
            self,
            Encoding::Utf16Le | Encoding::Utf16Be | Encoding::Utf16LeNoBom | Encoding::Utf16BeNoBom
        )
    }

    /// True for UTF-16 little-endian, with or without a byte-order mark.
    pub fn is_little_endian(self) -> bool {
        matches!(self, Encoding::Utf16Le | Encoding::Utf16LeNoBom)
    }

    /// True when the text is decoded into new bytes (and offsets map back through a table).
    pub fn is_transcoded(self) -> bool {
        self.is_utf16() || self == Encoding::Windows1252
    }

    /// Detects the encoding of a whole file from its bytes: its byte-order mark, else UTF-16
    /// told by the NUL bytes of its first [`UTF16_SNIFF`] bytes, else Windows-1252 when its
    /// first [`CODEPAGE_SNIFF`] bytes are not UTF-8 and look like a single-byte code page,
    /// else UTF-8. A UTF-8 log costs one validation of its first bytes and nothing else.
    pub fn sniff(bytes: &[u8]) -> Encoding {
        Encoding::sniff_head(bytes).unwrap_or_else(|| {
            let window = &bytes[..bytes.len().min(CODEPAGE_SNIFF)];
            if looks_single_byte(window) {
                Encoding::Windows1252
            } else {
                Encoding::Utf8
            }
        })
    }

    /// What the first bytes alone tell: a byte-order mark, or UTF-16 without one. `None`
    /// when they look like UTF-8 or a single-byte code page, which only more bytes tell.
    pub fn sniff_head(head: &[u8]) -> Option<Encoding> {
        match Encoding::detect(head.get(..4).unwrap_or(head)) {
            Encoding::Utf8 => utf16_without_bom(&head[..head.len().min(UTF16_SNIFF)]),
            enc => Some(enc),
        }
    }

    /// Detects the encoding from the byte-order mark at the start of a file.
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
            Encoding::Utf8 | Encoding::Utf16LeNoBom | Encoding::Utf16BeNoBom => 0,
            Encoding::Windows1252 => 0,
            Encoding::Utf8Bom => 3,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
        }
    }

    /// Size in the original file of text decoded from it: for text decoded from UTF-16 its
    /// UTF-16 units, for text decoded from Windows-1252 one byte a character.
    fn orig_len_of(self, text: &[u8]) -> u64 {
        match self {
            Encoding::Windows1252 => String::from_utf8_lossy(text).chars().count() as u64,
            e if e.is_utf16() => utf16_bytes(text),
            _ => text.len() as u64,
        }
    }
}

/// UTF-16 without a byte-order mark, from the NUL bytes of the first bytes: log text is
/// mostly ASCII, which in UTF-16LE puts a 0 at every odd offset and in UTF-16BE at every even
/// one. At least three quarters of the units that are not NUL must look so, and at least 8 of
/// them: a UTF-8 file with a few NUL bytes (a log preallocated or cut by a crash) has NUL
/// *pairs* or NULs among letters, never one every other byte.
fn utf16_without_bom(head: &[u8]) -> Option<Encoding> {
    let (mut le, mut be, mut units) = (0usize, 0usize, 0usize);
    for pair in head.chunks_exact(2) {
        match (pair[0], pair[1]) {
            (0, 0) => continue,
            (_, 0) => le += 1,
            (0, _) => be += 1,
            _ => {}
        }
        units += 1;
    }
    if units < 8 {
        return None;
    }
    if le * 4 >= units * 3 {
        Some(Encoding::Utf16LeNoBom)
    } else if be * 4 >= units * 3 {
        Some(Encoding::Utf16BeNoBom)
    } else {
        None
    }
}

/// True when `window` is not UTF-8 and looks like a single-byte code page: it has invalid
/// sequences (a sequence cut at the window's end does not count: it may be a UTF-8 file cut
/// mid-character), and fewer well-formed multi-byte characters than invalid sequences. In
/// Windows-1252 text, letters such as `ä` (E4) or `é` (E9) followed by ASCII are invalid
/// UTF-8, and a well-formed pair happens only by chance; a UTF-8 file with a damaged byte
/// has its own letters well-formed around it.
fn looks_single_byte(window: &[u8]) -> bool {
    !is_utf8_in_halves(window) && looks_single_byte_whole(window)
}

/// [`looks_single_byte`], the window checked whole.
fn looks_single_byte_whole(window: &[u8]) -> bool {
    let bad_at = match std::str::from_utf8(window) {
        Ok(_) => return false,
        Err(e) if e.error_len().is_none() => return false,
        Err(e) => e.valid_up_to(),
    };
    let (mut invalid, mut multi) = (0usize, 0usize);
    let rest = &window[bad_at..];
    let mut chunks = rest.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        multi += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        let bad = chunk.invalid();
        // The last invalid piece may be a character cut by the window's end.
        let cut = chunks.peek().is_none() && could_continue(bad);
        if !bad.is_empty() && !cut {
            invalid += 1;
        }
    }
    multi += window[..bad_at].iter().filter(|&&b| b >= 0xC0).count();
    invalid > multi
}

/// Whether `window` is UTF-8 (a character cut by its end allowed), its two halves checked
/// on two threads when it is large: the check of a large log's first 16 MiB runs before
/// framing, while the other cores wait. The halves are cut before a byte that starts a
/// character, so the whole is UTF-8 when both are. `false` leaves the answer to the whole
/// check: also when no such cut is near the middle (the whole is not UTF-8 then), or the
/// window is small.
fn is_utf8_in_halves(window: &[u8]) -> bool {
    const HALVES_FROM: usize = 4 << 20;
    if window.len() < HALVES_FROM || crate::par::cores() < 2 {
        crate::pages::read_ahead(window);
        return false;
    }
    let mid = window.len() / 2;
    // A character has at most three continuation bytes (0x80 to 0xBF).
    let Some(cut) = (mid..mid + 4).find(|&i| !(0x80..=0xBF).contains(&window[i])) else {
        return false;
    };
    let (a, b) = window.split_at(cut);
    let check = |half: &[u8], cut_end: bool| {
        crate::pages::read_ahead(half);
        match std::str::from_utf8(half) {
            Ok(_) => true,
            Err(e) => cut_end && e.error_len().is_none(),
        }
    };
    std::thread::scope(|s| {
        let second = s.spawn(|| check(b, true));
        let first = check(a, false);
        // A panic in the check is a bug; re-raise it.
        let second = second
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        first && second
    })
}

/// True when `bytes` is the start of a UTF-8 sequence that more bytes could complete.
fn could_continue(bytes: &[u8]) -> bool {
    let need = match bytes.first() {
        Some(0xC2..=0xDF) => 2,
        Some(0xE0..=0xEF) => 3,
        Some(0xF0..=0xF4) => 4,
        _ => return false,
    };
    bytes.len() < need && bytes.iter().skip(1).all(|&b| (0x80..=0xBF).contains(&b))
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
                    let enc = Encoding::sniff(&map);
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
                    let mut text = SourceText::from_bytes(name, &map, enc);
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
        let enc = Encoding::sniff(&buf);
        match enc {
            Encoding::Utf8 | Encoding::Utf8Bom => SourceText {
                path,
                encoding: enc,
                orig_len: buf.len() as u64,
                bytes: Bytes::Owned(buf),
                line_map: None,
                short_read: false,
            },
            _ => SourceText::from_bytes(path, &buf, enc),
        }
    }

    fn from_bytes(path: String, orig: &[u8], enc: Encoding) -> SourceText {
        let decoded = if enc.is_utf16() {
            Some(transcode_utf16(orig, enc.is_little_endian()))
        } else if enc == Encoding::Windows1252 {
            Some(transcode_1252(orig))
        } else {
            None
        };
        match decoded {
            Some((text, map)) => SourceText {
                path,
                encoding: enc,
                orig_len: orig.len() as u64,
                bytes: Bytes::Owned(text),
                line_map: Some(map),
                short_read: false,
            },
            None => SourceText {
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
            line_map: encoding.is_transcoded().then(Vec::new),
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
                // Every line start of the new text, with its file offset: the text came from
                // decoding UTF-16 (a unit is two bytes) or Windows-1252 (a character is one
                // byte), so counting units or characters is exact.
                if map.last().is_none_or(|&(t, _)| t < base) {
                    map.push((base, orig_offset));
                }
                let mut file = orig_offset;
                let mut from = 0usize;
                for nl in memchr::memchr_iter(b'\n', text) {
                    let line = &text[from..=nl];
                    file += self.encoding.orig_len_of(line);
                    from = nl + 1;
                    if from < text.len() {
                        map.push((base + from as u64, file));
                    }
                }
                file += self.encoding.orig_len_of(&text[from..]);
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
                    // count the UTF-16 units or the characters from the line's start.
                    Some(&(t, o)) => {
                        let part = self.bytes().get(t as usize..text_off as usize);
                        o + part.map_or(text_off - t, |p| self.encoding.orig_len_of(p))
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

/// The characters of Windows-1252 from 0x80 to 0x9F (from 0xA0 up it is ISO-8859-1, where a
/// byte is its code point). The five bytes Windows leaves undefined (81, 8D, 8F, 90, 9D) are
/// the C1 controls of the same number, as in the WHATWG Encoding Standard's
/// index-windows-1252 (https://encoding.spec.whatwg.org/index-windows-1252.txt), and as
/// control characters they are shown inert like any other.
const CP1252_80: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Transcodes Windows-1252 to UTF-8, every byte one character, and records the file offset
/// of every line start.
pub(crate) fn transcode_1252(orig: &[u8]) -> (Vec<u8>, Vec<(u64, u64)>) {
    let mut out = Vec::with_capacity(orig.len() + orig.len() / 8);
    let mut map = vec![(0u64, 0u64)];
    let mut buf = [0u8; 4];
    for (i, &b) in orig.iter().enumerate() {
        let c = match b {
            0x00..=0x7F => {
                out.push(b);
                if b == b'\n' && i + 1 < orig.len() {
                    map.push((out.len() as u64, i as u64 + 1));
                }
                continue;
            }
            0x80..=0x9F => CP1252_80[usize::from(b - 0x80)],
            _ => char::from(b),
        };
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
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
    fn utf16_without_bom_is_told_by_its_nuls_and_utf8_with_nuls_is_not() {
        let le: Vec<u8> = "2019-01-01 12:00:00, Info  SP  x\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let be: Vec<u8> = "2019-01-01 12:00:00, Info  SP  x\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(Encoding::sniff(&le), Encoding::Utf16LeNoBom);
        assert_eq!(Encoding::sniff(&be), Encoding::Utf16BeNoBom);
        // A UTF-8 log with NULs: preallocated and cut by a crash, or a NUL among the text.
        let mut padded = vec![0u8; 300];
        padded.extend_from_slice(b"<![LOG[Task sequence started]LOG]!>\r\n");
        assert_eq!(Encoding::sniff(&padded), Encoding::Utf8);
        let few = b"<![LOG[a\0b]LOG]!>\r\n<![LOG[c\0\0d]LOG]!>\r\n\0\0\0\0";
        assert_eq!(Encoding::sniff(few), Encoding::Utf8);
        // Too short to tell.
        assert_eq!(Encoding::sniff(b"a\0b\0"), Encoding::Utf8);
    }

    #[test]
    fn windows_1252_only_when_not_utf8_and_single_byte() {
        assert_eq!(Encoding::sniff("Größe: ä".as_bytes()), Encoding::Utf8);
        assert_eq!(Encoding::sniff(b"Gr\xF6\xDFe: \xE4"), Encoding::Windows1252);
        // UTF-8 cut in the middle of its last character stays UTF-8.
        assert_eq!(Encoding::sniff(b"Gr\xC3\xB6\xC3"), Encoding::Utf8);
        // UTF-8 letters around one damaged byte: UTF-8, the byte shown as U+FFFD.
        let mut damaged = "Jürgen, Müller, Bär ".as_bytes().to_vec();
        damaged.extend_from_slice(b"\xFF ok");
        assert_eq!(Encoding::sniff(&damaged), Encoding::Utf8);
    }

    /// A large window checked in halves gets the whole check's answer, wherever a
    /// character or a bad byte falls: across the cut, at the end, in either half.
    #[test]
    fn a_window_checked_in_halves_reads_as_checked_whole() {
        let n = 5 << 20;
        let base = || "x".repeat(n).into_bytes();
        let mid = n / 2;
        let mut cases = Vec::new();
        cases.push(base());
        for at in [mid - 3, mid - 2, mid - 1, mid, mid + 1] {
            let mut t = base();
            t[at..at + 4].copy_from_slice("€x".as_bytes());
            cases.push(t);
        }
        let mut cut = base();
        cut[n - 2..].copy_from_slice(b"\xE2\x82");
        cases.push(cut);
        for at in [10, mid, mid + 1, n - 10] {
            let mut bad = base();
            bad[at] = 0xE4;
            cases.push(bad.clone());
            bad[at + 1..at + 5].fill(0x80);
            cases.push(bad);
        }
        let mut latin = base();
        for k in 0..100 {
            latin[k * 50_000] = 0xE4;
        }
        cases.push(latin);
        let mut halves = 0;
        for (k, t) in cases.iter().enumerate() {
            assert_eq!(looks_single_byte(t), looks_single_byte_whole(t), "case {k}");
            halves += usize::from(is_utf8_in_halves(t));
        }
        assert_eq!(halves, 7, "the UTF-8 windows are told in halves");
        assert!(looks_single_byte(&cases[cases.len() - 1]));
    }

    #[test]
    fn windows_1252_is_decoded_a_byte_a_character_and_maps_back() {
        let orig = b"a\x80\x96\xE4\r\nx \xFCy\x81\r\nz".to_vec();
        let src = SourceText::from_vec("t".into(), orig.clone());
        assert_eq!(src.encoding, Encoding::Windows1252);
        let text = std::str::from_utf8(src.bytes()).unwrap();
        assert_eq!(text, "a\u{20AC}\u{2013}\u{E4}\r\nx \u{FC}y\u{81}\r\nz");
        // Line starts, a point inside a line, and the end.
        let second = text.find('x').unwrap() as u64;
        assert_eq!(src.orig_offset(second), 6);
        let y = text.find('y').unwrap() as u64;
        assert_eq!(src.orig_offset(y), 9);
        assert_eq!(src.orig_offset(text.len() as u64), orig.len() as u64);
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
