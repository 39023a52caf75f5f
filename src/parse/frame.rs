//! Record boundaries. A CMTrace record runs from a line that starts with `<![LOG[` to the
//! line holding its `]LOG]!>`; an SMS Trace record is one line holding `$$<`; any other line
//! is a plain record. Every byte belongs to exactly one record, so the spans tile the text.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use memchr::memmem;

use super::{kinds, Format, RecordMeta, Severity, BOM, CLOSE, OPEN};

/// An opening `<![LOG[` whose close has not appeared after this many lines is taken to be a
/// stray line, not a record: it is shown raw and framing resumes on the next line. This keeps
/// one damaged record from swallowing the rest of a file.
const MAX_OPEN_LINES: u32 = 5000;

/// The attribute that holds a CMTrace record's severity.
const TYPE_ATTR: &[u8] = b"type=\"";
static SMS_MARK: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(b"$$<"));
/// Words that make a free-text line an error: CMTrace's own ("error", "fail"), then the
/// same words in the languages localized Windows tools (DISM, Windows Setup, winget) print
/// them in, so a German or Russian DISM output's error line is an error too. Case is folded
/// for ASCII only, so words outside ASCII are listed as they appear at a line's start and
/// inside it.
const ERROR_WORDS: [&str; 20] = [
    "error",
    "fail",
    "fehler",
    "fehlgeschlagen",
    "erreur",
    "échec",
    "Échec",
    "erro",
    "falhou",
    "fout",
    "mislukt",
    "Ошибка",
    "ошибка",
    "Не удалось",
    "не удалось",
    "błąd",
    "错误",
    "失败",
    "エラー",
    "오류",
];

static WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(ERROR_WORDS.iter().copied().chain(["warn"]))
        .ok()
});

/// The result of framing a range of text.
#[derive(Debug, Default)]
pub struct Framed {
    /// Records found, in order.
    pub records: Vec<RecordMeta>,
    /// Offset where the next call should resume: the end of the range, or the start of an
    /// incomplete record held back because more text may follow.
    pub resume: usize,
    /// Line number of the line at `resume`.
    pub resume_line: u32,
}

/// Severity of free text, by the words CMTrace colours: error or fail, then warn.
pub(crate) fn word_severity(text: &[u8]) -> Severity {
    let Some(ac) = WORDS.as_ref() else {
        return Severity::Info;
    };
    let mut sev = Severity::Info;
    for m in ac.find_iter(text) {
        if m.pattern().as_usize() < ERROR_WORDS.len() {
            return Severity::Error;
        }
        sev = Severity::Warning;
    }
    sev
}

/// Severity from a CMTrace attribute tail (`]LOG]!><time=... type="3" ...>`): the value of
/// its first `type="`, found by its `y` (no other attribute's name holds one): a byte search,
/// cheaper than a substring search's set-up on tails this short.
fn attr_severity(tail: &[u8]) -> Severity {
    let at = memchr::memchr_iter(b'y', tail)
        .filter_map(|y| y.checked_sub(1))
        .find(|&i| tail[i..].starts_with(TYPE_ATTR));
    match at.and_then(|i| tail.get(i + TYPE_ATTR.len())) {
        Some(b'3') => Severity::Error,
        Some(b'2') => Severity::Warning,
        _ => Severity::Info,
    }
}

/// How far back [`region_before`] looks for a line with a format of its own.
const REGION_LOOKBACK: usize = 64 << 10;

/// The kind of the last record with a format of its own before `start` (plain when none
/// lies within [`REGION_LOOKBACK`]): framing a range from its middle then reads the lines
/// with no prefix as framing the whole text does.
fn region_before(text: &[u8], start: usize) -> Format {
    let floor = start.saturating_sub(REGION_LOOKBACK);
    let mut end = start;
    while end > floor {
        // `end` is a line start; find the one before it.
        let line_start =
            memchr::memrchr(b'\n', &text[floor..end - 1]).map_or(floor, |i| floor + i + 1);
        if line_start == floor && floor > 0 {
            break;
        }
        let l = &text[line_start..end];
        let body = if line_start == 0 {
            l.strip_prefix(BOM).unwrap_or(l)
        } else {
            l
        };
        if let Some(format) = line_region(body) {
            return format;
        }
        end = line_start;
    }
    Format::Plain
}

/// The region a line sets, judged from the line alone (so that [`region_before`], looking
/// back line by line, agrees with framing from the start): a CMTrace opener or close, a
/// prefixed Windows log line, an SMS Trace line.
fn line_region(body: &[u8]) -> Option<Format> {
    if body.starts_with(OPEN) {
        Some(Format::CmTrace)
    } else if let Some((format, _)) = kinds::prefixed(body) {
        Some(format)
    } else if SMS_MARK.find(body).is_some() {
        Some(Format::SmsTrace)
    } else if super::rfind_close(body).is_some() {
        Some(Format::CmTrace)
    } else {
        None
    }
}

/// Frames `text[start..end]`, where `start` is a record boundary and `first_line` its line
/// number. With `at_eof` false, a last line with no newline or a CMTrace record still open
/// is not emitted: `resume` points at it so that a later call, with more text, frames it
/// whole (this is what keeps a record written in pieces from appearing twice).
pub fn frame(text: &[u8], start: usize, end: usize, first_line: u32, at_eof: bool) -> Framed {
    let end = end.min(text.len());
    let mut records = Vec::with_capacity((end.saturating_sub(start)) / 160 + 1);
    let (resume, resume_line) =
        frame_each::<true>(text, start, end, first_line, at_eof, |r| records.push(r));
    Framed {
        records,
        resume,
        resume_line,
    }
}

/// At most this many lines after the line of its `]LOG]!>` may a CMTrace record's
/// attributes run (a line break inside a value): past it they are taken to end on the
/// close's line, so that one unfinished attribute does not swallow the lines after it.
const MAX_ATTR_LINES: u32 = 16;

/// A line of nothing but spaces, tabs and its line end: it belongs to the record before it.
fn is_blank(l: &[u8]) -> bool {
    matches!(l.first(), Some(b'\r' | b'\n' | b' ' | b'\t'))
        && l.iter().all(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
}

/// `pos` (and its line number) moved past the blank lines that start there: whole lines,
/// before `end` (or ending there when `at_eof`).
fn past_blank(
    text: &[u8],
    mut pos: usize,
    end: usize,
    mut line: u32,
    at_eof: bool,
) -> (usize, u32) {
    while pos < end && pos != 0 {
        let line_end = match memchr::memchr(b'\n', &text[pos..end]) {
            Some(i) => pos + i + 1,
            None if at_eof => end,
            None => break,
        };
        if !is_blank(&text[pos..line_end]) {
            break;
        }
        pos = line_end;
        line += 1;
    }
    (pos, line)
}

/// Length of `b` without its trailing spaces, tabs and line ends.
pub(crate) fn trimmed_len(b: &[u8]) -> usize {
    b.iter()
        .rposition(|c| !matches!(c, b'\r' | b'\n' | b' ' | b'\t'))
        .map_or(0, |i| i + 1)
}

/// Offset of the `>` that ends an attribute tail in `b`, a `>` outside double quotes;
/// `quoted` says whether `b` starts inside a quoted value. Without one, whether `b` ends
/// inside a quoted value.
fn attrs_end(b: &[u8], mut quoted: bool) -> Result<usize, bool> {
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'"' => quoted = !quoted,
            b'>' if !quoted => return Ok(i),
            _ => {}
        }
    }
    Err(quoted)
}

/// For the text after a `]LOG]!>` up to its line's end: `Some(quoted)` when it opens an
/// attribute tail (`<time=...`) that does not end on this line, with whether the line ends
/// inside a quoted value; `None` when the attributes end here (or there are none).
fn attrs_continue(tail: &[u8]) -> Option<bool> {
    let t = &tail[..trimmed_len(tail)];
    // Nearly every tail ends with its `>`: decided without a scan.
    if t.first() != Some(&b'<') || t.last() == Some(&b'>') {
        return None;
    }
    attrs_end(&t[1..], false).err()
}

/// An opener right after a `>`: where a record glued to the one before it starts.
static GLUE: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(b"><![LOG["));

/// Offset in the line `l` of a CMTrace opener glued to the record before it on the same
/// line (`...]LOG]!><time=... type="3" ...><![LOG[next`): the first `<![LOG[` that comes
/// right after a `>` and follows a `]LOG]!>`. `ci` is where the line's last `]LOG]!>`
/// starts.
fn glued(l: &[u8], ci: usize) -> Option<usize> {
    // An opener holds a `!`, which messages and attributes rarely do: a byte search
    // either side of the close, whose calls cost less than the substring search's on
    // lines this short, rules nearly every line out.
    let from = if l.starts_with(OPEN) { OPEN.len() } else { 0 };
    let after = (ci + CLOSE.len()).min(l.len());
    memchr::memchr(b'!', l.get(from..ci).unwrap_or_default())
        .or_else(|| memchr::memchr(b'!', &l[after..]))?;
    GLUE.find_iter(l)
        .map(|i| i + 1)
        .find(|&g| super::rfind_close(&l[..g]).is_some())
}

/// For a line at `pos` (not the text's first) that starts with `<![LOG[`, nearly every line
/// of a CMTrace log: where it ends, and where its `]LOG]!>` starts in it (`None`: it holds
/// none), found in one pass over its bytes for `!` and the line end, when the line holds no
/// `!` but its opener's and its close's. Its close is then the last one ([`rfind_close`]
/// finds it), and no record is glued to it ([`glued`] needs another `!`). `None` for any
/// other line, which is read the general way. The general way reads such a line four
/// times: for its end, its close, and a `!` either side of the close.
///
/// [`rfind_close`]: super::rfind_close
fn scan_opener_line(
    text: &[u8],
    pos: usize,
    end: usize,
    marks: &mut LineEnds<true>,
) -> Option<(usize, Option<usize>)> {
    let rest = text.get(pos..end)?;
    if pos == 0 || !rest.starts_with(OPEN) {
        return None;
    }
    // The close's `!` sits 5 bytes into it.
    const BANG: usize = 5;
    let stop = marks.find(text, pos + OPEN.len(), end)? - pos;
    if rest[stop] == b'\n' {
        // No `!` after the opener: no close on this line.
        return Some((pos + stop + 1, None));
    }
    let ci = stop.checked_sub(BANG).filter(|&ci| ci >= OPEN.len())?;
    if !rest[ci..].starts_with(CLOSE) {
        return None;
    }
    let after = ci + CLOSE.len();
    let nl = marks.find(text, pos + after, end)? - pos;
    (rest[nl] == b'\n').then_some((pos + nl + 1, Some(ci)))
}

/// Finds line ends (with `BANGS`, line ends and `!`s) front to back a 64-byte chunk at a
/// time: one set of compares gives the chunk's newlines as the bits of a mask, and each
/// line's end is the mask's next bit. A search per line (`memchr`) pays its set-up on every
/// line, which on lines of a hundred or two bytes costs about what the search does.
struct LineEnds<const BANGS: bool> {
    /// Offset of the chunk whose marks `mask` holds (`usize::MAX`: none yet).
    base: usize,
    mask: u64,
}

/// The bytes [`LineEnds`] reads at a time.
const CHUNK: usize = 64;

impl<const BANGS: bool> LineEnds<BANGS> {
    fn new() -> LineEnds<BANGS> {
        LineEnds {
            base: usize::MAX,
            mask: 0,
        }
    }

    /// Offset of the first `\n` (or `!`, with `BANGS`) in `text[pos..end]`, as `memchr`
    /// (`memchr2`) finds it.
    fn find(&mut self, text: &[u8], pos: usize, end: usize) -> Option<usize> {
        let mut chunk = pos - pos % CHUNK;
        let mut mask = match self.mask_at(text, chunk) {
            Some(m) => m & (!0u64 << (pos - chunk)),
            None => return Self::search(&text[pos..end]).map(|i| pos + i),
        };
        loop {
            if mask != 0 {
                let at = chunk + mask.trailing_zeros() as usize;
                return (at < end).then_some(at);
            }
            chunk += CHUNK;
            if chunk >= end {
                return None;
            }
            mask = match self.mask_at(text, chunk) {
                Some(m) => m,
                None => return Self::search(&text[chunk..end]).map(|i| chunk + i),
            };
        }
    }

    /// The first mark in `bytes`, searched the usual way (the text's last bytes).
    fn search(bytes: &[u8]) -> Option<usize> {
        if BANGS {
            memchr::memchr2(b'\n', b'!', bytes)
        } else {
            memchr::memchr(b'\n', bytes)
        }
    }

    /// The marks of the 64 bytes at `chunk`, `None` when the text ends before them.
    fn mask_at(&mut self, text: &[u8], chunk: usize) -> Option<u64> {
        if chunk != self.base {
            let bytes: &[u8; CHUNK] = text.get(chunk..chunk + CHUNK)?.try_into().ok()?;
            self.mask = marks::<BANGS>(bytes);
            self.base = chunk;
        }
        Some(self.mask)
    }
}

/// Bit `i` set where `bytes[i]` is a newline (or, with `BANGS`, a `!`).
#[cfg(target_arch = "x86_64")]
fn marks<const BANGS: bool>(bytes: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut mask = 0u64;
    for (k, part) in bytes.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of every x86_64 CPU; the load reads the 16 bytes of `part`,
        // unaligned.
        let bits = unsafe {
            let v = _mm_loadu_si128(part.as_ptr().cast::<__m128i>());
            let mut hit = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8));
            if BANGS {
                hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(b'!' as i8)));
            }
            _mm_movemask_epi8(hit)
        };
        mask |= u64::from(bits as u16) << (16 * k);
    }
    mask
}

/// Bit `i` set where `bytes[i]` is a newline (or, with `BANGS`, a `!`).
#[cfg(not(target_arch = "x86_64"))]
fn marks<const BANGS: bool>(bytes: &[u8; 64]) -> u64 {
    marks_by_byte::<BANGS>(bytes)
}

/// [`marks`] a byte at a time, for CPUs without the vector compares.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn marks_by_byte<const BANGS: bool>(bytes: &[u8; 64]) -> u64 {
    bytes.iter().enumerate().fold(0, |m, (i, &b)| {
        m | (u64::from(b == b'\n' || (BANGS && b == b'!')) << i)
    })
}

/// A CMTrace record whose attributes run past the line of its `]LOG]!>`.
#[derive(Clone, Copy)]
struct Attrs {
    start: usize,
    line: u32,
    /// Offset of its `]LOG]!>`, and that line's number.
    close: usize,
    close_line: u32,
    /// Whether the text so far ends inside a quoted value.
    quoted: bool,
}

impl Attrs {
    /// The record, ending at `end`.
    fn record(&self, text: &[u8], end: usize) -> RecordMeta {
        let tail = &text[self.close..end];
        RecordMeta::cmtrace(
            self.start as u64,
            self.line,
            attr_severity(tail),
            trimmed_len(tail),
        )
    }
}

/// [`frame`], handing each record to `push`. Returns where to resume and that line's
/// number.
///
/// Besides the line rules in the module's summary: a record that starts with `<![LOG[`
/// right after another's attributes on the same line (`...type="1"><![LOG[...`) is a record
/// of its own; a CMTrace record's attributes may run over a few lines (a line break inside
/// a value); a blank line belongs to the record before it (the text's first line excepted).
/// A CMTrace record's `close_back` counts from its last byte that is not a space or line
/// end. With `RUNS`, runs of Windows Setup and CBS lines are read by a loop of their own
/// (tests hold it to the general way, `RUNS` false).
fn frame_each<const RUNS: bool>(
    text: &[u8],
    start: usize,
    end: usize,
    first_line: u32,
    at_eof: bool,
    mut push: impl FnMut(RecordMeta),
) -> (usize, u32) {
    let mut pos = start;
    let mut line = first_line;
    let mut ends = LineEnds::<false>::new();
    let mut marks = LineEnds::<true>::new();
    // (start, line) of a CMTrace record whose close has not been seen yet.
    let mut open: Option<(usize, u32)> = None;
    // A CMTrace record closed, whose attributes have not ended yet.
    let mut attrs: Option<Attrs> = None;
    // A record that the lines after it may continue (Windows Setup's, a Windows event's):
    // (start, line, severity); its format, and for an event whether its `Level:` line was
    // read, beside it (kept out of the tuple, which the Setup run below moves every line).
    let mut cont: Option<(usize, u32, Severity)> = None;
    let mut cont_format = Format::Panther;
    let mut leveled = true;
    // The kind of the last record with a format of its own: it says what a line with no
    // prefix is.
    let mut region = region_before(text, start);
    // The start of a line cut where a record glued to the one before it starts: once the
    // line is framed, the region is the one the whole line sets, as [`region_before`]
    // reads it.
    let mut glued_line = (start > 0 && text[start - 1] != b'\n')
        .then(|| memchr::memrchr(b'\n', &text[..start]).map_or(0, |i| i + 1));
    while pos < end {
        if let Some(ls) = glued_line.filter(|&ls| pos > ls && text[pos - 1] == b'\n') {
            let l = &text[ls..pos];
            let body = if ls == 0 {
                l.strip_prefix(BOM).unwrap_or(l)
            } else {
                l
            };
            region = line_region(body).unwrap_or(region);
            glued_line = None;
        }
        if RUNS && pos != 0 && attrs.is_none() && open.is_none() && glued_line.is_none() {
            // A run of Windows Setup or CBS lines, nearly every line of such a log: each
            // starts a record that the lines after it may continue, as the general way
            // below reads it (its prefix is the first test a line starting with a digit
            // meets there), without the tests that cannot apply.
            while let Some(sev) = kinds::panther(&text[pos..end]) {
                let Some(nl) = ends.find(text, pos, end) else {
                    break;
                };
                if let Some((cstart, cline, csev)) = cont.take() {
                    push(RecordMeta::new(cstart as u64, cline, cont_format, csev));
                }
                region = Format::Panther;
                cont = Some((pos, line, sev));
                cont_format = Format::Panther;
                pos = nl + 1;
                line += 1;
            }
            if pos >= end {
                continue;
            }
        }
        // A line that opens a CMTrace record, read in one pass when it can be (see
        // `scan_opener_line`): its close, if any, as `rfind_close` would find it.
        let mut known_close = None;
        let line_end = match scan_opener_line(text, pos, end, &mut marks) {
            Some((line_end, close)) => {
                known_close = Some(close);
                line_end
            }
            None => match ends.find(text, pos, end) {
                Some(i) => i + 1,
                None if at_eof => end,
                None => break,
            },
        };
        let l = &text[pos..line_end];
        let body = if pos == 0 {
            l.strip_prefix(BOM).unwrap_or(l)
        } else {
            l
        };
        let skip = l.len() - body.len();
        let starts_log = body.starts_with(OPEN);
        if let Some(a) = attrs {
            if starts_log {
                // The attributes never ended: the record ends where the next one starts.
                push(a.record(text, pos));
                attrs = None;
            } else if line - a.close_line >= MAX_ATTR_LINES {
                // Take the attributes to end on the close's line; frame again after it.
                let first_end =
                    memchr::memchr(b'\n', &text[a.close..end]).map_or(end, |i| a.close + i + 1);
                push(a.record(text, first_end));
                attrs = None;
                pos = first_end;
                line = a.close_line + 1;
                region = region_before(text, pos);
                glued_line = None;
                continue;
            } else {
                region = line_region(body).unwrap_or(region);
                match attrs_end(l, a.quoted) {
                    Ok(e) if l[e + 1..].starts_with(OPEN) => {
                        // Another record glued to this one's end.
                        push(a.record(text, pos + e + 1));
                        attrs = None;
                        glued_line.get_or_insert(pos);
                        pos += e + 1;
                    }
                    Ok(_) => {
                        push(a.record(text, line_end));
                        attrs = None;
                        pos = line_end;
                        line += 1;
                    }
                    Err(quoted) => {
                        attrs = Some(Attrs { quoted, ..a });
                        pos = line_end;
                        line += 1;
                    }
                }
                continue;
            }
        }
        if let Some((ostart, oline)) = open {
            if starts_log {
                // The previous record never closed: keep it, raw.
                let sev = word_severity(&text[ostart..pos]);
                push(RecordMeta::new(ostart as u64, oline, Format::Plain, sev));
                open = None;
            } else if let Some(ci) = super::rfind_close(l) {
                open = None;
                region = line_region(body).unwrap_or(region);
                if let Some(g) = glued(l, ci) {
                    let ci = super::rfind_close(&l[..g]).unwrap_or(ci);
                    push(RecordMeta::cmtrace(
                        ostart as u64,
                        oline,
                        attr_severity(&l[ci..g]),
                        g - ci,
                    ));
                    glued_line.get_or_insert(pos);
                    pos += g;
                    continue;
                }
                if let Some(quoted) = attrs_continue(&l[ci + CLOSE.len()..]) {
                    attrs = Some(Attrs {
                        start: ostart,
                        line: oline,
                        close: pos + ci,
                        close_line: line,
                        quoted,
                    });
                } else {
                    push(RecordMeta::cmtrace(
                        ostart as u64,
                        oline,
                        attr_severity(&l[ci..]),
                        trimmed_len(l) - ci,
                    ));
                }
                pos = line_end;
                line += 1;
                continue;
            } else if line - oline >= MAX_OPEN_LINES {
                // A stray opener: show its line raw and frame again from the line after it.
                let first_end = memchr::memchr(b'\n', &text[ostart..end])
                    .map(|i| ostart + i + 1)
                    .unwrap_or(end);
                let sev = word_severity(&text[ostart..first_end]);
                push(RecordMeta::new(ostart as u64, oline, Format::Plain, sev));
                open = None;
                pos = first_end;
                line = oline + 1;
                region = region_before(text, pos);
                glued_line = None;
                continue;
            } else {
                region = line_region(body).unwrap_or(region);
                pos = line_end;
                line += 1;
                continue;
            }
        }
        if pos != 0 && is_blank(l) {
            // Part of the record before it (which an earlier call may have handed out: a
            // record's span runs to the next record's start).
            pos = line_end;
            line += 1;
            continue;
        }
        let prefixed = if starts_log {
            None
        } else {
            kinds::prefixed(body)
        };
        let sms = !starts_log && prefixed.is_none() && SMS_MARK.find(l).is_some();
        let own = match (starts_log || sms, prefixed) {
            (true, _) | (false, Some(_)) => None,
            (false, None) => match kinds::unprefixed(region, body) {
                None if cont.is_some() => {
                    // An event's severity is its first `Level:` line's.
                    if cont_format == Format::EventText && !leveled {
                        if let (Some(c), Some(sev)) = (cont.as_mut(), kinds::event_level(body)) {
                            (c.2, leveled) = (sev, true);
                        }
                    }
                    region = line_region(body).unwrap_or(region);
                    pos = line_end;
                    line += 1;
                    continue;
                }
                None => Some((Format::Plain, Severity::Info)),
                own => own,
            },
        };
        if let Some((cstart, cline, csev)) = cont.take() {
            push(RecordMeta::new(cstart as u64, cline, cont_format, csev));
        }
        if let Some((format, sev)) = own {
            push(RecordMeta::new(pos as u64, line, format, sev));
            if super::rfind_close(body).is_some() {
                region = Format::CmTrace;
            }
        } else if let Some((format, sev)) = prefixed {
            region = format;
            if matches!(format, Format::Panther | Format::EventText) {
                cont = Some((pos, line, sev));
                cont_format = format;
                leveled = format == Format::Panther;
            } else {
                push(RecordMeta::new(pos as u64, line, format, sev));
            }
        } else if starts_log {
            region = Format::CmTrace;
            if let Some(ci) = known_close.unwrap_or_else(|| super::rfind_close(body)) {
                // A line read in one pass holds no record glued to this one.
                let glued_at = match known_close {
                    Some(_) => None,
                    None => glued(body, ci),
                };
                if let Some(g) = glued_at {
                    let ci = super::rfind_close(&body[..g]).unwrap_or(ci);
                    push(RecordMeta::cmtrace(
                        pos as u64,
                        line,
                        attr_severity(&body[ci..g]),
                        g - ci,
                    ));
                    glued_line.get_or_insert(pos);
                    pos += skip + g;
                    continue;
                }
                if let Some(quoted) = attrs_continue(&body[ci + CLOSE.len()..]) {
                    attrs = Some(Attrs {
                        start: pos,
                        line,
                        close: pos + skip + ci,
                        close_line: line,
                        quoted,
                    });
                } else {
                    push(RecordMeta::cmtrace(
                        pos as u64,
                        line,
                        attr_severity(&body[ci..]),
                        trimmed_len(body) - ci,
                    ));
                }
            } else {
                open = Some((pos, line));
            }
        } else if let Some(i) = SMS_MARK.find(l) {
            region = Format::SmsTrace;
            let sev = word_severity(&l[..i]);
            push(RecordMeta::new(pos as u64, line, Format::SmsTrace, sev));
        }
        pos = line_end;
        line += 1;
    }
    if let Some((cstart, cline, csev)) = cont {
        if !at_eof {
            // More lines may still continue it.
            return (cstart, cline);
        }
        push(RecordMeta::new(cstart as u64, cline, cont_format, csev));
    }
    if let Some(a) = attrs {
        if !at_eof {
            return (a.start, a.line);
        }
        push(a.record(text, end));
    }
    if let Some((ostart, oline)) = open {
        if at_eof {
            let sev = word_severity(&text[ostart..end]);
            push(RecordMeta::new(ostart as u64, oline, Format::Plain, sev));
        } else {
            return (ostart, oline);
        }
    }
    (pos, line)
}

/// How far past its target [`cuts`] looks for a CMTrace opener before cutting at a line
/// start. A CMTrace log has one every few hundred bytes; a log with none (Windows Setup,
/// CBS, plain text) would otherwise be searched for tens of megabytes on one thread before
/// framing starts. A cut inside a record costs only that record framed again (`mend`).
const CUT_WINDOW: usize = 1 << 20;

/// Where to cut `text` into `threads` pieces: at lines that start with `<![LOG[` (or,
/// failing that, at line starts), so that every piece begins on a record boundary.
fn cuts(text: &[u8], threads: usize) -> Vec<usize> {
    let mut cuts = vec![0usize];
    let opener = memmem::Finder::new(b"\n<![LOG[");
    for k in 1..threads {
        let target = (text.len() / threads * k).max(*cuts.last().unwrap_or(&0));
        let window_end = (target + CUT_WINDOW).min(text.len());
        let cut = opener
            .find(&text[target..window_end])
            .map(|i| target + i + 1)
            .or_else(|| memchr::memchr(b'\n', &text[target..]).map(|i| target + i + 1))
            // Not at a blank line, which belongs to the record before it: a piece's last
            // record, as its visitor sees it, holds its blank lines.
            .map(|c| past_blank(text, c, text.len(), 0, true).0);
        match cut {
            Some(c) if c > *cuts.last().unwrap_or(&0) && c < text.len() => cuts.push(c),
            _ => {}
        }
    }
    cuts.push(text.len());
    cuts
}

/// The most records one text is framed into: 16 bytes each, a 2 GiB index. A real log
/// holds a record per 100-200 bytes, so this is a text of tens of GB; a text of short
/// lines past it (hundreds of MB of one-byte lines) is refused by the reader (see
/// `log::Source::check_records`) rather than grow an index that aborts the process.
/// Framing stops soon after passing it, so a refused text costs little more memory.
pub const MAX_RECORDS: usize = 1 << 27;

/// Texts below this size are framed on one thread: below a few MB the threads cost more
/// than they save.
const PARALLEL_BELOW: usize = 8 << 20;

/// Frames a whole text on several threads. The text is cut where a line starts with
/// `<![LOG[` (or, failing that, at a line start), so every piece begins on a record
/// boundary and the result equals a single-threaded [`frame`].
pub fn index_parallel(text: &[u8], threads: usize) -> Vec<RecordMeta> {
    let visit = |_: &Block<'_>, _: &mut Hits<()>| {};
    index_in_blocks(text, threads, VISIT_BLOCK, PARALLEL_BELOW, visit, |_| ()).0
}

/// [`index_parallel`] cut into pieces whatever the text's size, for tests and fuzzing that
/// hold the pieces' join to a single-threaded [`frame`].
#[doc(hidden)]
pub fn index_pieces(text: &[u8], threads: usize) -> Vec<RecordMeta> {
    let visit = |_: &Block<'_>, _: &mut Hits<()>| {};
    index_in_blocks(text, threads, 64, 0, visit, |_| ()).0
}

/// Runs `piece(start, end, first_line, None)` over the pieces of `text` (on several threads
/// when it is large) and joins what they framed, renumbering lines and records. What they
/// found goes to `then`, which runs on a thread of its own while the records are joined.
///
/// A piece holds back a record still open at its end (a CMTrace record whose close lies
/// further on, a Windows Setup record that the next lines may continue): the piece after
/// it framed those lines without knowing. That record is framed again from its start, with
/// `piece(resume, end, line, Some(next))`, until framing reaches a record the next piece
/// also starts with nothing held: from there on the next piece's records are the whole's.
fn in_pieces<T: Send, R: Send>(
    text: &[u8],
    threads: usize,
    min_parallel: usize,
    piece: impl Fn(usize, usize, u32, Option<&[RecordMeta]>) -> Piece<T> + Sync,
    then: impl FnOnce(Found<T>) -> R + Send,
) -> (Vec<RecordMeta>, R) {
    let threads = threads.clamp(1, 16);
    if threads == 1 || text.len() < min_parallel {
        let part = piece(0, text.len(), 1, None);
        return (part.records, then(Found::from(part.hits)));
    }
    let cuts = cuts(text, threads);
    let piece = &piece;
    let parts: Vec<Piece<T>> = std::thread::scope(|s| {
        let handles: Vec<_> = cuts
            .windows(2)
            .enumerate()
            // Lines of later pieces count from 0 until the earlier pieces' counts are known.
            .map(|(k, w)| s.spawn(move || piece(w[0], w[1], u32::from(k == 0), None)))
            .collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(part) => part,
                // A panic in framing is a bug; re-raise it rather than lose a piece.
                Err(e) => std::panic::resume_unwind(e),
            })
            .collect()
    });
    let mut parts: Vec<(usize, Piece<T>)> = cuts.iter().copied().zip(parts).collect();
    mend(text, &mut parts, piece);
    // What the visitor found stays in pieces, renumbered where it lies: joining them
    // would copy every value into fresh memory.
    let mut found = Found::default();
    let mut base = 0u32;
    for (_, part) in parts.iter_mut() {
        let mut hits = std::mem::take(&mut part.hits);
        for (i, _) in &mut hits {
            *i = i.wrapping_add(base);
        }
        found.pieces.push(hits);
        base = base.wrapping_add(part.records.len() as u32);
    }
    std::thread::scope(|s| {
        // Joining the records copies tens of megabytes on one core; `then` runs meanwhile.
        let then = s.spawn(move || then(found));
        // Append to the first piece: growing a large vector moves no bytes on most
        // allocators, where collecting into a new one would copy them all.
        let total: usize = parts.iter().map(|(_, p)| p.records.len()).sum();
        let mut parts = parts.into_iter();
        let mut records = Vec::new();
        if let Some((_, first)) = parts.next() {
            records = first.records;
            records.reserve(total - records.len());
            let mut next_line = first.resume_line;
            for (_, part) in parts {
                let add = next_line;
                crate::pages::append_moving(&mut records, part.records, 0, |r| RecordMeta {
                    line: r.line.wrapping_add(add),
                    ..r
                });
                next_line = next_line.wrapping_add(part.resume_line);
            }
        }
        match then.join() {
            Ok(r) => (records, r),
            Err(e) => std::panic::resume_unwind(e),
        }
    })
}

/// Frames again, in order, the records that pieces held back at their ends (see
/// [`in_pieces`]), so that every piece but the last ends where the next one starts. Each
/// `(start, piece)` keeps its own numbering of lines and records.
fn mend<T>(
    text: &[u8],
    parts: &mut Vec<(usize, Piece<T>)>,
    piece: impl Fn(usize, usize, u32, Option<&[RecordMeta]>) -> Piece<T>,
) {
    let framed: usize = parts.iter().map(|(_, p)| p.records.len()).sum();
    if framed > MAX_RECORDS {
        // Framing stopped early: the reader refuses this text, so there is nothing to mend.
        return;
    }
    let mut k = 0;
    while k + 1 < parts.len() {
        if parts[k].1.resume >= parts[k + 1].0 {
            k += 1;
            continue;
        }
        let (_, next) = parts.remove(k + 1);
        let next_end = parts.get(k + 1).map_or(text.len(), |p| p.0);
        let cur = &mut parts[k].1;
        let more = piece(cur.resume, next_end, cur.resume_line, Some(&next.records));
        let base = cur.records.len() as u32;
        cur.hits.extend(
            more.hits
                .into_iter()
                .map(|(i, v)| (i.wrapping_add(base), v)),
        );
        cur.records.extend_from_slice(&more.records);
        let synced = next
            .records
            .binary_search_by_key(&(more.resume as u64), |r| r.start)
            .ok();
        let Some(j) = synced else {
            // The next piece was framed again to its end: go on from where that stopped.
            cur.resume = more.resume;
            cur.resume_line = more.resume_line;
            continue;
        };
        // Framing again met a record of the next piece with nothing held: the next
        // piece's records from there on are the whole's, numbered from `more`'s lines.
        let offset = more.resume_line.wrapping_sub(next.records[j].line);
        let base = cur.records.len() as u32;
        cur.hits.extend(
            next.hits
                .into_iter()
                .filter(|(i, _)| *i as usize >= j)
                .map(|(i, v)| ((i - j as u32).wrapping_add(base), v)),
        );
        crate::pages::append_moving(&mut cur.records, next.records, j, |r| RecordMeta {
            line: r.line.wrapping_add(offset),
            ..r
        });
        cur.resume = next.resume;
        cur.resume_line = next.resume_line.wrapping_add(offset);
    }
}

/// What a visitor of [`index_visit`] pushes: `(record number, value)` pairs, in record order.
pub type Hits<T> = Vec<(u32, T)>;

/// What a visitor found over a whole text: `(record number, value)` pairs in record order,
/// numbered as in the index, held in the pieces they were found in.
pub struct Found<T> {
    pieces: Vec<Hits<T>>,
}

impl<T> Found<T> {
    /// The pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = &(u32, T)> {
        self.pieces.iter().flatten()
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.pieces.iter().map(Vec::len).sum()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.pieces.iter().all(Vec::is_empty)
    }
}

impl<T> Default for Found<T> {
    fn default() -> Self {
        Found { pieces: Vec::new() }
    }
}

impl<T> From<Hits<T>> for Found<T> {
    fn from(hits: Hits<T>) -> Self {
        Found { pieces: vec![hits] }
    }
}

impl<T> FromIterator<Hits<T>> for Found<T> {
    /// Pieces in order, already numbered as in the index.
    fn from_iter<I: IntoIterator<Item = Hits<T>>>(pieces: I) -> Self {
        Found {
            pieces: pieces.into_iter().collect(),
        }
    }
}

impl<T> IntoIterator for Found<T> {
    type Item = (u32, T);
    type IntoIter = std::iter::Flatten<std::vec::IntoIter<Hits<T>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.pieces.into_iter().flatten()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Found<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// What framing one piece gives.
struct Piece<T> {
    /// Its records.
    records: Vec<RecordMeta>,
    /// What its visitor found, numbered from the piece's first record.
    hits: Hits<T>,
    /// Where its framing stopped: the piece's end, or the start of a record still open
    /// there (see [`in_pieces`]).
    resume: usize,
    /// The number of the line at `resume`, counted as the piece counts.
    resume_line: u32,
}

/// Bytes framed at a time by [`index_visit`]: few enough that they are still in the core's
/// cache when the visitor reads them.
const VISIT_BLOCK: usize = 256 << 10;

/// A block of freshly framed records, as [`index_visit`] hands it to its visitor.
pub struct Block<'t> {
    /// The whole text.
    pub text: &'t [u8],
    /// The block's records (their `line` is not final yet).
    pub records: &'t [RecordMeta],
    /// Where the block's last record ends.
    pub end: usize,
    /// Number of the block's first record within its piece of the text: a visitor numbers
    /// what it pushes from it, and [`index_visit`] renumbers across pieces.
    pub first: u32,
}

impl Block<'_> {
    /// The bytes of the block's record `k`.
    pub fn raw(&self, k: usize) -> &[u8] {
        let start = self.records.get(k).map_or(self.end, |r| r.start as usize);
        let end = self
            .records
            .get(k + 1)
            .map_or(self.end, |r| r.start as usize);
        self.text.get(start..end).unwrap_or_default()
    }

    /// Starts bringing `part` of the text after this block (offsets from the block's end)
    /// into the core's cache. Framing streams the text from memory and waits for it; a
    /// visitor busy with the block in cache can ask for the next block's bytes meanwhile.
    pub fn prefetch_after(&self, part: std::ops::Range<usize>) {
        let from = self.end.saturating_add(part.start).min(self.text.len());
        let to = self.end.saturating_add(part.end).min(self.text.len());
        let Some(bytes) = self.text.get(from..to) else {
            return;
        };
        // A prefetch into a page not yet mapped is dropped: touch each 64 KiB first (the
        // kernel maps a file's cached pages 64 KiB around a fault). Framing would take
        // these faults anyway, a little later.
        const AROUND: usize = 64 << 10;
        let base = bytes.as_ptr() as usize;
        let mut at = 0;
        while let Some(&b) = bytes.get(at) {
            std::hint::black_box(b);
            at = ((base + at) | (AROUND - 1)) + 1 - base;
        }
        #[cfg(target_arch = "x86_64")]
        for line in bytes.chunks(64) {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            // SAFETY: prefetching reads nothing the program sees and cannot fault; the
            // address lies in `bytes`.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(line.as_ptr().cast()) };
        }
    }
}

/// Frames a whole text as [`index_parallel`] does and, on the same threads, hands the
/// records to `visit` a block at a time, right after framing them: reading a record there
/// costs a cache hit, where reading it after the whole text was framed costs a miss.
/// `visit` pushes `(record number, value)` pairs, numbered as [`Block::first`] says; they
/// come back in record order, numbered as in the returned index.
pub fn index_visit<T: Send>(
    text: &[u8],
    threads: usize,
    visit: impl Fn(&Block<'_>, &mut Hits<T>) + Sync,
) -> (Vec<RecordMeta>, Found<T>) {
    index_visit_then(text, threads, visit, |found| found)
}

/// [`index_visit`], handing what the visitor found to `then` as soon as the text is framed:
/// with several pieces it runs on a thread of its own while their records are joined.
pub fn index_visit_then<T: Send, R: Send>(
    text: &[u8],
    threads: usize,
    visit: impl Fn(&Block<'_>, &mut Hits<T>) + Sync,
    then: impl FnOnce(Found<T>) -> R + Send,
) -> (Vec<RecordMeta>, R) {
    index_in_blocks(text, threads, VISIT_BLOCK, PARALLEL_BELOW, visit, then)
}

/// [`index_visit_then`] with blocks of about `block_size` bytes.
fn index_in_blocks<T: Send, R: Send>(
    text: &[u8],
    threads: usize,
    block_size: usize,
    min_parallel: usize,
    visit: impl Fn(&Block<'_>, &mut Hits<T>) + Sync,
    then: impl FnOnce(Found<T>) -> R + Send,
) -> (Vec<RecordMeta>, R) {
    // Records framed by every piece so far, against [`MAX_RECORDS`].
    let framed = std::sync::atomic::AtomicUsize::new(0);
    in_pieces(
        text,
        threads,
        min_parallel,
        |a, b, first_line, sync: Option<&[RecordMeta]>| {
            let mut records: Vec<RecordMeta> = Vec::with_capacity((b - a) / 160 + 1);
            let mut ahead = crate::pages::Ahead::default();
            let mut mapped = crate::pages::Mapped::default();
            let mut found = Vec::new();
            let (mut pos, mut line) = (a, first_line);
            let mut block = block_size;
            // Only the last piece ends the text; any other holds back a record still open at
            // its end, for `in_pieces` to frame again with the next piece.
            let at_eof = b == text.len();
            while pos < b {
                // Blocks end at line starts; a record still open there is held back by
                // `frame_each` and framed whole with the next block, so the records equal
                // `frame(text, a, b, ..)`'s.
                let end = match pos.checked_add(block).filter(|&e| e < b) {
                    Some(e) => memchr::memchr(b'\n', &text[e..b]).map_or(b, |i| e + i + 1),
                    None => b,
                };
                let first = records.len();
                // Records take a line of text each, rarely shorter than 64 bytes.
                ahead.before(&mut records, (end - pos) / 64);
                mapped.before(&text[..b], pos, end);
                let (resume, resume_line) =
                    frame_each::<true>(text, pos, end, line, at_eof && end == b, |r| {
                        records.push(r)
                    });
                if records.len() == first && resume == pos {
                    if end == b {
                        // Held back at the piece's end.
                        break;
                    }
                    // One record longer than a block: try again with more text.
                    block = block.saturating_mul(2);
                    continue;
                }
                block = block_size;
                // Blank lines after the block's last record are part of it.
                let (resume, resume_line) = if resume == end {
                    past_blank(text, resume, b, resume_line, at_eof)
                } else {
                    (resume, resume_line)
                };
                let block_view = Block {
                    text,
                    records: &records[first..],
                    end: resume,
                    first: first as u32,
                };
                visit(&block_view, &mut found);
                pos = resume;
                line = resume_line;
                let new = records.len() - first;
                let so_far = framed.fetch_add(new, std::sync::atomic::Ordering::Relaxed) + new;
                if so_far > MAX_RECORDS {
                    // Over the limit: the reader refuses this text, so stop here.
                    break;
                }
                let met = sync.is_some_and(|next| {
                    next.binary_search_by_key(&(pos as u64), |r| r.start)
                        .is_ok()
                });
                if met || end == b {
                    break;
                }
            }
            Piece {
                records,
                hits: found,
                resume: pos,
                resume_line: line,
            }
        },
        then,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    #[test]
    fn localized_error_lines_are_errors() {
        // DISM's output on a Russian and a German Windows, verbatim from public reports.
        assert_eq!(
            word_severity("Ошибка: 0x800f081f".as_bytes()),
            Severity::Error
        );
        assert_eq!(
            word_severity("Не удалось найти исходные файлы.".as_bytes()),
            Severity::Error
        );
        assert_eq!(word_severity(b"Fehler: 0x800f081f"), Severity::Error);
        assert_eq!(word_severity(b"Warning: low disk"), Severity::Warning);
        assert_eq!(
            word_severity("Включение функций".as_bytes()),
            Severity::Info
        );
    }

    /// Log-like text: records, stray openers and closes, SMS Trace and plain lines, a BOM.
    fn loggy() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"<![LOG[".to_vec()),
            Just(b"]LOG]!>".to_vec()),
            Just(b"<![LOG[Start executing an instruction]LOG]!><time=\"1\" type=\"3\">\n".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b" \r\n".to_vec()),
            Just(b"<time=\"1\" context=\"a".to_vec()),
            Just(b"b\" type=\"3\" thread=\"7\">".to_vec()),
            Just(b"><![LOG[".to_vec()),
            Just(b"x $$<C><01-02-2026 10:00:00.000+0><thread=4>".to_vec()),
            Just(BOM.to_vec()),
            Just(b"2019-03-01 10:15:07, Error                 SP     ".to_vec()),
            Just(b"2019-03-01 10:15:07, Info                  CBS    Loaded\n".to_vec()),
            Just(b"2019-03-01 10:15:07, Warning               CSI    w\r\n".to_vec()),
            Just(b"2019-03-01 10:15:07, Info".to_vec()),
            Just(b"MSI (s) (1C:2C) [12:00:00:000]: ".to_vec()),
            Just(b"[1712.2044] [0x80070002] ".to_vec()),
            Just(b"Property(S): ErrorDialog".to_vec()),
            "[a-z ]{0,12}".prop_map(String::into_bytes),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    /// Every line `scan_opener_line` reads in one pass is read as the general way reads it:
    /// the same end, the same close, no glued record.
    fn check_one_pass_lines(text: &[u8]) -> Result<usize, TestCaseError> {
        let mut quick = 0;
        let mut pos = 0;
        while pos < text.len() {
            let line_end = memchr::memchr(b'\n', &text[pos..]).map_or(text.len(), |i| pos + i + 1);
            if let Some((end, close)) =
                scan_opener_line(text, pos, text.len(), &mut LineEnds::new())
            {
                let l = &text[pos..line_end];
                prop_assert_eq!(end, line_end);
                prop_assert_eq!(close, crate::parse::rfind_close(l));
                if let Some(ci) = close {
                    prop_assert_eq!(glued(l, ci), None);
                }
                quick += 1;
            }
            pos = line_end;
        }
        Ok(quick)
    }

    #[test]
    fn one_pass_lines_read_as_the_general_way_on_sample_logs() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs");
        let mut quick = 0;
        for entry in std::fs::read_dir(&dir).expect("sample-logs") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "log") {
                let text = std::fs::read(&path).expect("sample");
                quick += check_one_pass_lines(&text).expect("same reading");
            }
        }
        assert!(quick > 1000, "{quick} lines read in one pass");
        let glued = b"x\n<![LOG[a]LOG]!><time=\"1\" type=\"1\"><![LOG[b]LOG]!><type=\"3\">\n<![LOG[hi!]LOG]!><>\n";
        let mut marks = LineEnds::new();
        assert_eq!(scan_opener_line(glued, 2, glued.len(), &mut marks), None);
        assert_eq!(scan_opener_line(glued, 70, glued.len(), &mut marks), None);
    }

    /// The type attribute is read as a substring search for its first `type="` reads it.
    #[test]
    fn attr_severity_reads_the_first_type() {
        for (tail, want) in [
            (
                &b"]LOG]!><time=\"1\" type=\"3\" thread=\"2\">"[..],
                Severity::Error,
            ),
            (
                b"]LOG]!><component=\"yy\" ytype=\"2\" type=\"3\">",
                Severity::Warning,
            ),
            (b"]LOG]!><type=\"\">", Severity::Info),
            (b"]LOG]!><type=\"", Severity::Info),
            (b"y", Severity::Info),
        ] {
            assert_eq!(
                attr_severity(tail),
                want,
                "{}",
                String::from_utf8_lossy(tail)
            );
        }
    }

    proptest! {
        /// A line read in one pass is read as the general way reads it, on log-like text.
        #[test]
        fn one_pass_lines_read_as_the_general_way(text in loggy()) {
            check_one_pass_lines(&text)?;
        }

        /// Runs of Windows Setup lines read by their own loop frame as the general way
        /// frames them, whether the text ends there or may go on.
        #[test]
        fn runs_of_windows_lines_frame_as_the_general_way(text in loggy(), at_eof in any::<bool>()) {
            let (mut runs, mut general) = (Vec::new(), Vec::new());
            let r = frame_each::<true>(&text, 0, text.len(), 1, at_eof, |r| runs.push(r));
            let g = frame_each::<false>(&text, 0, text.len(), 1, at_eof, |r| general.push(r));
            prop_assert_eq!(runs, general);
            prop_assert_eq!(r, g);
        }

        /// Line ends (and `!`s) found 64 bytes at a time are the ones a search per line
        /// finds, for any start and end, near the text's end too.
        #[test]
        fn line_ends_are_memchrs(text in "[ab!\n]{0,300}", cuts in proptest::collection::vec((0usize..300, 0usize..300), 1..20)) {
            let t = text.as_bytes();
            let mut ends = LineEnds::<false>::new();
            let mut bangs = LineEnds::<true>::new();
            for (a, b) in cuts {
                let (a, b) = (a.min(t.len()), b.min(t.len()));
                let (pos, end) = (a.min(b), a.max(b));
                let want = memchr::memchr(b'\n', &t[pos..end]).map(|i| pos + i);
                prop_assert_eq!(ends.find(t, pos, end), want, "{}..{}", pos, end);
                let want = memchr::memchr2(b'\n', b'!', &t[pos..end]).map(|i| pos + i);
                prop_assert_eq!(bangs.find(t, pos, end), want, "{}..{}", pos, end);
            }
            for chunk in t.chunks_exact(64) {
                let chunk: &[u8; 64] = chunk.try_into().expect("64 bytes");
                prop_assert_eq!(marks::<false>(chunk), marks_by_byte::<false>(chunk));
                prop_assert_eq!(marks::<true>(chunk), marks_by_byte::<true>(chunk));
            }
        }

        /// The type attribute is read as a substring search for its first `type="` reads it.
        #[test]
        fn attr_severity_is_the_first_types(tail in "[yt=\"23 ype]{0,40}") {
            let t = tail.as_bytes();
            let want = match memmem::find(t, TYPE_ATTR).and_then(|i| t.get(i + 6)) {
                Some(b'3') => Severity::Error,
                Some(b'2') => Severity::Warning,
                _ => Severity::Info,
            };
            prop_assert_eq!(attr_severity(t), want);
        }

        /// Framing block by block gives the records framing the whole gives, and each
        /// record reaches the visitor once, numbered, with its bytes.
        #[test]
        fn blocks_frame_like_the_whole(text in loggy(), block in 1usize..200) {
            let whole = frame(&text, 0, text.len(), 1, true).records;
            let visit = |b: &Block<'_>, out: &mut Hits<Vec<u8>>| {
                for k in 0..b.records.len() {
                    out.push((b.first + k as u32, b.raw(k).to_vec()));
                }
            };
            let (records, seen) = index_in_blocks(&text, 1, block, PARALLEL_BELOW, visit, |f| f);
            prop_assert_eq!(&records, &whole);
            prop_assert_eq!(seen.len(), whole.len());
            for (k, (i, raw)) in seen.iter().enumerate() {
                prop_assert_eq!(*i as usize, k);
                let end = whole.get(k + 1).map_or(text.len(), |r| r.start as usize);
                prop_assert_eq!(raw.as_slice(), &text[whole[k].start as usize..end]);
            }
        }
    }

    fn spans(text: &[u8]) -> Vec<(Format, Severity, u32, String)> {
        let f = frame(text, 0, text.len(), 1, true);
        let mut out = Vec::new();
        for (i, r) in f.records.iter().enumerate() {
            let end = f
                .records
                .get(i + 1)
                .map(|n| n.start as usize)
                .unwrap_or(text.len());
            let s = String::from_utf8_lossy(&text[r.start as usize..end]).into_owned();
            out.push((r.format(), r.severity(), r.line, s));
        }
        out
    }

    #[test]
    fn frames_cmtrace_multiline_smstrace_and_plain() {
        let text = b"\xEF\xBB\xBF<![LOG[one]LOG]!><time=\"1\" type=\"3\">\r\n<![LOG[two\r\nmore]LOG]!><type=\"2\">\r\nplain warning here\r\nmsg  $$<Comp><01-01-2020 00:00:00.000+0><thread=1 (0x1)>\r\n";
        let s = spans(text);
        assert_eq!(s.len(), 4);
        assert_eq!(
            (s[0].0, s[0].1, s[0].2),
            (Format::CmTrace, Severity::Error, 1)
        );
        assert_eq!(
            (s[1].0, s[1].1, s[1].2),
            (Format::CmTrace, Severity::Warning, 2)
        );
        assert!(s[1].3.contains("more"));
        assert_eq!(
            (s[2].0, s[2].1, s[2].2),
            (Format::Plain, Severity::Warning, 4)
        );
        assert_eq!((s[3].0, s[3].2), (Format::SmsTrace, 5));
    }

    #[test]
    fn unterminated_record_is_kept_raw() {
        let text = b"<![LOG[open\r\nstill\r\n<![LOG[x]LOG]!><type=\"1\">\r\n<![LOG[tail";
        let s = spans(text);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].0, Format::Plain);
        assert_eq!(s[0].3, "<![LOG[open\r\nstill\r\n");
        assert_eq!(s[2].0, Format::Plain);
        assert_eq!(s[2].3, "<![LOG[tail");
    }

    #[test]
    fn incomplete_tail_is_held_back_until_more_text() {
        let text = b"<![LOG[a]LOG]!><>\n<![LOG[b\nstill open\n";
        let f = frame(text, 0, text.len(), 1, false);
        assert_eq!(f.records.len(), 1);
        assert_eq!(f.resume, 18);
        assert_eq!(f.resume_line, 2);
        let g = frame(b"partial line", 0, 12, 1, false);
        assert!(g.records.is_empty());
        assert_eq!(g.resume, 0);
    }

    #[test]
    fn parallel_matches_sequential() {
        let mut text = Vec::new();
        for i in 0..200_000u32 {
            if i % 97 == 0 {
                text.extend_from_slice(b"<![LOG[multi\r\nline]LOG]!><type=\"3\">\r\n");
            } else if i % 89 == 0 {
                text.extend_from_slice(b"plain fail line\r\n");
            } else {
                text.extend_from_slice(
                    format!("<![LOG[record {i}]LOG]!><time=\"x\" type=\"1\">\r\n").as_bytes(),
                );
            }
        }
        assert!(text.len() >= 8 << 20, "small enough for one piece");
        let seq = frame(&text, 0, text.len(), 1, true).records;
        let par = index_parallel(&text, 3);
        assert_eq!(seq, par);
        // A visitor's finds come back numbered as in the whole index, across pieces.
        let (visited, found) = index_visit(&text, 3, |b, out| {
            for (k, r) in b.records.iter().enumerate() {
                if b.raw(k).starts_with(b"<![LOG[multi") {
                    out.push((b.first + k as u32, r.start));
                }
            }
        });
        assert_eq!(seq, visited);
        let want: Vec<(u32, u64)> = (seq.iter().enumerate())
            .filter(|(_, r)| text[r.start as usize..].starts_with(b"<![LOG[multi"))
            .map(|(k, r)| (k as u32, r.start))
            .collect();
        assert_eq!(found.len(), want.len());
        assert_eq!(found.into_iter().collect::<Vec<_>>(), want);
    }

    /// Pieces that start inside a record still open in the piece before frame it as the
    /// whole does. The first input is what the `framing` fuzz target found (a UTF-16 log
    /// with UTF-8 lines pasted in, one of them an opener that never closes).
    #[test]
    fn pieces_cut_inside_an_open_record_frame_like_the_whole() {
        let found = include_bytes!("../../fuzz/regressions/framing-pieces-cut-inside-open-record");
        let text = &found[1..];
        let mut opener = b"<![LOG[never closed\n".to_vec();
        for i in 0..400 {
            opener.extend_from_slice(format!("line {i}\n").as_bytes());
        }
        let mut setup = Vec::new();
        for i in 0..200 {
            setup.extend_from_slice(
                format!("2019-03-01 10:15:07, Error                 SP     r{i}\r\n").as_bytes(),
            );
            setup.extend_from_slice(b"  continued\r\n  and again\r\n");
        }
        let mut stray = b"<![LOG[stray\n".to_vec();
        for _ in 0..(MAX_OPEN_LINES + 300) {
            stray.extend_from_slice(b"x\n");
        }
        for text in [text, &opener[..], &setup[..], &stray[..]] {
            let whole = frame(text, 0, text.len(), 1, true).records;
            for threads in [2, 3, 7, 16] {
                assert_eq!(index_pieces(text, threads), whole, "{threads} pieces");
                // A visitor sees each record once, numbered as in the whole index.
                let (_, seen) = index_in_blocks(
                    text,
                    threads,
                    64,
                    0,
                    |b, out: &mut Hits<u64>| {
                        for (k, r) in b.records.iter().enumerate() {
                            out.push((b.first + k as u32, r.start));
                        }
                    },
                    |f| f,
                );
                let want: Vec<(u32, u64)> = (whole.iter().enumerate())
                    .map(|(k, r)| (k as u32, r.start))
                    .collect();
                assert_eq!(seen.into_iter().collect::<Vec<_>>(), want);
            }
        }
    }

    #[test]
    fn stray_opener_does_not_swallow_the_file() {
        let mut text = b"<![LOG[never closed\n".to_vec();
        for _ in 0..(MAX_OPEN_LINES + 10) {
            text.extend_from_slice(b"plain\n");
        }
        let f = frame(&text, 0, text.len(), 1, true);
        assert_eq!(f.records.len() as u32, MAX_OPEN_LINES + 11);
        assert_eq!(f.records[1].line, 2);
    }
}

#[cfg(test)]
mod windows_log_tests {
    use super::*;

    #[test]
    fn setup_continuations_join_and_blocks_agree() {
        // Written for this test in Windows Setup's shape.
        let text = b"2019-03-01 10:15:07, Info                  SP     one\r\n  cont\r\n\r\n[1712.2044] [0x80070002] FIOReadFileIntoBuffer:(1454): x\r\n2019-03-01 10:15:08, Error                 SP     two\r\nMSI (s) (1C:2C) [12:00:00:000]: m\r\nProperty(S): ErrorDialog = ErrorDlg\r\nError 1920. Service failed\r\n";
        let whole = frame(text, 0, text.len(), 1, true).records;
        let kinds: Vec<_> = whole
            .iter()
            .map(|r| (r.line, r.format(), r.severity()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (1, Format::Panther, Severity::Info),
                (4, Format::Plain, Severity::Info),
                (5, Format::Panther, Severity::Error),
                (6, Format::Msi, Severity::Info),
                (7, Format::Plain, Severity::Info),
                (8, Format::Plain, Severity::Error),
            ]
        );
        for block in 1..text.len() {
            let (records, _) = index_in_blocks(
                text,
                1,
                block,
                PARALLEL_BELOW,
                |_, _: &mut Hits<()>| {},
                |f| f,
            );
            assert_eq!(records, whole, "block {block}");
        }
        // Not at the end of the text, the last Setup record waits for its continuations.
        let held = frame(text, 0, 52, 1, false);
        assert_eq!(held.resume, 0);
    }
}
