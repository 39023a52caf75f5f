//! Making log text inert and measuring it for the terminal.
//!
//! Log text is untrusted: a message may hold ESC sequences (OSC 52 clipboard writes, title
//! changes, cursor moves), other C0 or C1 controls, or bidirectional overrides that reorder what
//! the reader sees. Everything that reaches a ratatui `Span` goes through [`sanitize`] first, which
//! replaces each such character with a visible, inert stand-in:
//!
//! | input | shown as |
//! |---|---|
//! | tab | spaces up to the next multiple of [`TAB_WIDTH`] columns (counted from the start of the string) |
//! | other C0 controls U+0000..U+001F (ESC, BEL, CR, LF, BS, ...) | Control Pictures U+2400 + c: `␛`, `␇`, `␍`, `␊`, `␈` |
//! | DEL U+007F | `␡` |
//! | C1 controls U+0080..U+009F | `⟨9B⟩` (the code in hex) |
//! | bidi marks, embeddings, overrides, isolates (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and the line/paragraph separators U+2028, U+2029 | `⟨U+202E⟩` |
//! | what joins emoji into one glyph: the zero-width joiner U+200D, the emoji variation selectors U+FE0E, U+FE0F, the keycap U+20E3, skin-tone modifiers U+1F3FB..U+1F3FF, regional indicators U+1F1E6..U+1F1FF (flags), tags U+E0020..U+E007F | `⟨U+200D⟩`, `⟨U+1F1E9⟩` |
//!
//! Terminals disagree on the width of joined emoji (tmux 3.3 draws a thumb with a skin tone
//! four columns wide, a heart with U+FE0F one; ratatui counts two for each), and where the
//! screen and the terminal disagree a glyph is left behind and the rest of the row shifts.
//! The emoji themselves are kept, one by one: every terminal agrees on their width.
//!
//! A joiner between letters (Indic scripts) is shown the same way: tmux, too, leaves it
//! behind elsewhere on the row.
//!
//! Everything else is kept, including combining marks and U+FFFD. Widths follow
//! `unicode-width`, measured per cluster (a base character with the zero-width characters,
//! emoji modifiers and ZWJ-joined characters that follow it, or a pair of regional
//! indicators, for text not yet sanitised), which is close to how ratatui measures grapheme
//! clusters, so a cluster is never cut in half by [`slice_columns`] or
//! [`truncate_with_ellipsis`].

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Tab stops are every this many columns. Four, not eight: messages sit in a column that starts
/// well to the right of the screen edge, and ConfigMgr logs use tabs only for light indentation.
pub const TAB_WIDTH: usize = 4;

/// The mark [`truncate_with_ellipsis`] puts where text was cut off (one column wide).
pub const ELLIPSIS: &str = "…";

/// What one character of input becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// Kept as is.
    Keep,
    /// Expanded to spaces.
    Tab,
    /// Replaced by this single visible character.
    Picture(char),
    /// A C1 control, shown as `⟨XX⟩`.
    C1(u32),
    /// A bidi or separator character, shown as `⟨U+XXXX⟩`.
    Codepoint(u32),
}

fn classify(c: char) -> Class {
    match c {
        '\t' => Class::Tab,
        '\u{0}'..='\u{1f}' => {
            // Control Pictures mirror C0 one to one: U+2400 + c.
            Class::Picture(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'))
        }
        '\u{7f}' => Class::Picture('\u{2421}'),
        '\u{80}'..='\u{9f}' => Class::C1(c as u32),
        '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{200d}'
        | '\u{fe0e}'
        | '\u{fe0f}'
        | '\u{20e3}'
        | '\u{1f3fb}'..='\u{1f3ff}'
        | '\u{1f1e6}'..='\u{1f1ff}'
        | '\u{e0020}'..='\u{e007f}' => Class::Codepoint(c as u32),
        _ => Class::Keep,
    }
}

/// True when `b` may start a character that [`classify`] does not keep. Every such character is
/// ASCII or starts with 0xC2 (U+0080..U+00BF), 0xD8 (U+0600..U+063F), 0xE2 (U+2000..U+2FFF),
/// 0xEF (U+F000..U+FFFF) or 0xF0..0xF4 (past U+FFFF); none of these bytes is a UTF-8
/// continuation byte, so a hit is always a character boundary.
#[inline]
fn is_candidate(b: u8) -> bool {
    b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xd8 || b == 0xe2 || b == 0xef || b >= 0xf0
}

/// One piece of sanitised output.
enum Piece<'a> {
    Text(&'a str),
    Spaces(usize),
    Special(Class),
}

/// Walks `s` and hands each piece of the sanitised output to `emit`, in order.
fn walk<'a>(s: &'a str, mut emit: impl FnMut(Piece<'a>)) {
    let bytes = s.as_bytes();
    let mut col = 0usize;
    let mut run_start = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if !is_candidate(b) {
            i += 1;
            continue;
        }
        let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let class = classify(c);
        if class == Class::Keep {
            i += c.len_utf8();
            continue;
        }
        if let Some(run) = s.get(run_start..i).filter(|r| !r.is_empty()) {
            col += display_width(run);
            emit(Piece::Text(run));
        }
        match class {
            Class::Tab => {
                let n = TAB_WIDTH - col % TAB_WIDTH;
                col += n;
                emit(Piece::Spaces(n));
            }
            other => {
                col += special_width(other);
                emit(Piece::Special(other));
            }
        }
        i += c.len_utf8();
        run_start = i;
    }
    if let Some(run) = s.get(run_start..).filter(|r| !r.is_empty()) {
        emit(Piece::Text(run));
    }
}

fn special_width(class: Class) -> usize {
    match class {
        Class::Keep | Class::Tab => 0,
        Class::Picture(_) => 1,
        Class::C1(_) => 4,                      // ⟨9B⟩
        Class::Codepoint(v) if v > 0xffff => 9, // ⟨U+1F1E9⟩
        Class::Codepoint(_) => 8,               // ⟨U+202E⟩
    }
}

fn push_special(out: &mut String, class: Class) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = match class {
        Class::Keep | Class::Tab => Ok(()),
        Class::Picture(p) => {
            out.push(p);
            Ok(())
        }
        Class::C1(v) => write!(out, "⟨{v:02X}⟩"),
        Class::Codepoint(v) => write!(out, "⟨U+{v:04X}⟩"),
    };
}

fn push_spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Index of the first character that sanitising would change, if any.
fn first_change(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if !is_candidate(b) {
            i += 1;
            continue;
        }
        let c = s.get(i..).and_then(|rest| rest.chars().next())?;
        if classify(c) != Class::Keep {
            return Some(i);
        }
        i += c.len_utf8();
    }
    None
}

/// Makes `s` safe to print: see the module documentation for what is replaced. Borrows `s` when
/// nothing needs to change, which is the common case.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if first_change(s).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    sanitize_into(s, &mut out);
    Cow::Owned(out)
}

/// One line of a message for standard error or a plain listing (an error naming a file, a
/// rule title, a TOML error quoting rule text): line breaks become spaces, and every other
/// control is shown inert as [`sanitize`] does. Everything the binary prints that did not come
/// from its own literals goes through here, so a file name or rule title holding an escape
/// sequence cannot drive the terminal.
pub fn one_line(s: &str) -> String {
    let joined = if s.contains(['\n', '\r']) {
        Cow::Owned(s.replace("\r\n", " ").replace(['\n', '\r'], " "))
    } else {
        Cow::Borrowed(s)
    };
    sanitize(&joined).into_owned()
}

/// Appends the sanitised form of `s` to `out` (which is not cleared first). Tab stops are counted
/// from the start of `s`, not from the start of `out`.
pub fn sanitize_into(s: &str, out: &mut String) {
    walk(s, |piece| match piece {
        Piece::Text(t) => out.push_str(t),
        Piece::Spaces(n) => push_spaces(out, n),
        Piece::Special(class) => push_special(out, class),
    });
}

/// A run of sanitised text, telling stand-ins for control characters apart from the log's own
/// text so that the UI can style them (the `inert` theme role).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The text to show; borrowed from the input where possible.
    pub text: Cow<'a, str>,
    /// True when `text` is a stand-in for a control, bidi or separator character.
    pub inert: bool,
}

/// Sanitises `s` like [`sanitize`], split into runs of kept text and runs of stand-ins. Adjacent
/// runs of the same kind are merged. Concatenating the texts gives exactly `sanitize(s)`.
pub fn segments(s: &str) -> Vec<Segment<'_>> {
    let mut out: Vec<Segment<'_>> = Vec::new();
    walk(s, |piece| {
        let inert = matches!(piece, Piece::Special(_));
        let mut text = match out.pop() {
            Some(last) if last.inert == inert => last.text,
            Some(last) => {
                out.push(last);
                Cow::Borrowed("")
            }
            None => Cow::Borrowed(""),
        };
        match piece {
            Piece::Text(t) if text.is_empty() => text = Cow::Borrowed(t),
            Piece::Text(t) => text.to_mut().push_str(t),
            Piece::Spaces(n) => push_spaces(text.to_mut(), n),
            Piece::Special(class) => push_special(text.to_mut(), class),
        }
        out.push(Segment { text, inert });
    });
    out
}

/// True for characters that join the cluster before them.
fn extends_cluster(c: char) -> bool {
    // Zero-width characters (combining marks, variation selectors, ZWJ, Hangul medial and final
    // jamo) and the emoji skin-tone modifiers never stand alone in a terminal cell.
    matches!(c.width(), Some(0)) || ('\u{1f3fb}'..='\u{1f3ff}').contains(&c)
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1f1e6}'..='\u{1f1ff}').contains(&c)
}

/// Byte length of the first cluster of `s` (0 only when `s` is empty).
fn cluster_len(s: &str) -> usize {
    let mut chars = s.char_indices().peekable();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    let mut end = first.len_utf8();
    let mut prev = first;
    if is_regional_indicator(first) {
        if let Some(&(i, c)) = chars.peek() {
            if is_regional_indicator(c) {
                chars.next();
                end = i + c.len_utf8();
                prev = c;
            }
        }
    }
    while let Some(&(i, c)) = chars.peek() {
        if prev == '\u{200d}' || extends_cluster(c) {
            chars.next();
            end = i + c.len_utf8();
            prev = c;
        } else {
            break;
        }
    }
    end
}

/// Iterates over `(cluster, width)` pairs.
fn clusters(s: &str) -> impl Iterator<Item = (&str, usize)> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let n = cluster_len(rest);
        if n == 0 {
            return None;
        }
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some((head, cluster_width(head)))
    })
}

fn cluster_width(cluster: &str) -> usize {
    let mut chars = cluster.chars();
    match (chars.next(), chars.next()) {
        // One character: its own width; controls (unsanitised input) count as one column.
        (Some(c), None) => c.width().unwrap_or(1),
        _ => cluster.width(),
    }
}

/// True when every byte is printable ASCII, so that width equals length.
fn is_plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Width of `s` in terminal columns, per `unicode-width`, summed over clusters (see the module
/// documentation). Meant for sanitised text; a stray control character counts as one column.
pub fn display_width(s: &str) -> usize {
    if is_plain_ascii(s) {
        return s.len();
    }
    clusters(s).map(|(_, w)| w).sum()
}

/// The part of `s` that shows in a window `width` columns wide after scrolling `skip` columns to
/// the right. A wide character cut by either edge of the window is replaced by spaces for its
/// visible part, so the result never holds half a character and is never wider than `width`.
/// Borrows from `s` unless padding was needed. `s` should already be sanitised.
pub fn slice_columns(s: &str, skip: usize, width: usize) -> Cow<'_, str> {
    let end_col = skip.saturating_add(width);
    if is_plain_ascii(s) {
        let start = skip.min(s.len());
        let end = end_col.min(s.len());
        return Cow::Borrowed(s.get(start..end).unwrap_or(""));
    }
    let mut col = 0usize;
    let mut lead = 0usize; // spaces before the borrowed part
    let mut trail = 0usize; // spaces after it
    let mut start: Option<usize> = None;
    let mut end = 0usize;
    let mut offset = 0usize;
    for (cluster, w) in clusters(s) {
        let here = offset;
        offset += cluster.len();
        let next = col + w;
        if col >= end_col {
            break;
        }
        if col < skip {
            if next > skip {
                // Cut by the left edge: show only its visible columns, as spaces.
                lead = next.min(end_col) - skip;
            }
            col = next;
            continue;
        }
        if next > end_col {
            // Cut by the right edge.
            trail = end_col - col;
            break;
        }
        start.get_or_insert(here);
        end = offset;
        col = next;
    }
    let body = match start {
        Some(a) => s.get(a..end).unwrap_or(""),
        None => "",
    };
    if lead == 0 && trail == 0 {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(lead + body.len() + trail);
    push_spaces(&mut out, lead);
    out.push_str(body);
    push_spaces(&mut out, trail);
    Cow::Owned(out)
}

/// The longest prefix of `s` that fits in `width` columns, without splitting a cluster.
fn prefix_columns(s: &str, width: usize) -> &str {
    let mut col = 0usize;
    let mut end = 0usize;
    for (cluster, w) in clusters(s) {
        if col + w > width {
            break;
        }
        col += w;
        end += cluster.len();
    }
    s.get(..end).unwrap_or("")
}

/// `s` cut to at most `width` columns, ending in [`ELLIPSIS`] when anything was cut. When a wide
/// character would straddle the cut, it is dropped and the result is one column narrower. Borrows
/// `s` when it already fits. `s` should already be sanitised.
pub fn truncate_with_ellipsis(s: &str, width: usize) -> Cow<'_, str> {
    if display_width(s) <= width {
        return Cow::Borrowed(s);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let head = prefix_columns(s, width - 1);
    let mut out = String::with_capacity(head.len() + ELLIPSIS.len());
    out.push_str(head);
    out.push_str(ELLIPSIS);
    Cow::Owned(out)
}

/// `s` truncated with an ellipsis if too wide, then padded with spaces to exactly `width`
/// columns: for fixed-width table columns. `s` should already be sanitised.
pub fn fit_width(s: &str, width: usize) -> Cow<'_, str> {
    let cut = truncate_with_ellipsis(s, width);
    let have = display_width(&cut);
    if have >= width {
        return cut;
    }
    let mut out = cut.into_owned();
    push_spaces(&mut out, width - have);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Characters that must never survive sanitising.
    fn is_forbidden(c: char) -> bool {
        classify(c) != Class::Keep
    }

    fn assert_inert(out: &str) {
        for b in out.bytes() {
            assert!(b >= 0x20 && b != 0x7f, "byte {b:#04x} in {out:?}");
        }
        for c in out.chars() {
            assert!(!is_forbidden(c), "char {:#06x} in {out:?}", c as u32);
        }
    }

    #[test]
    fn clean_text_is_borrowed() {
        let s = "Successfully completed the action (Apply OS) with exit code 0 — done “ok” …";
        assert!(matches!(sanitize(s), Cow::Borrowed(_)));
        let s = "漢字 😀 e\u{301} \u{fffd} क्ष";
        assert!(matches!(sanitize(s), Cow::Borrowed(_)));
        assert_eq!(sanitize(s), s);
    }

    /// ZWJ sequences, flags, skin tones and emoji presentation left ghost glyphs and shifted
    /// the panel's border under tmux, which measures them otherwise than ratatui does.
    #[test]
    fn joined_emoji_are_taken_apart_so_every_terminal_agrees_on_their_width() {
        let tag_flag = "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}";
        for s in [
            "family 👨\u{200d}👩\u{200d}👧 x",
            "flag 🇩🇪 x",
            "thumb 👍🏽 x",
            "heart ❤\u{fe0f} x",
            "keycap 1\u{fe0f}\u{20e3} x",
            tag_flag,
            "a\u{200d}😀",
        ] {
            let out = sanitize(s);
            assert_inert(&out);
            // A terminal that joins nothing counts each character; ratatui, like a terminal
            // that joins, counts clusters. Taken apart, both agree.
            let per_char: usize = out.chars().map(|c| c.width().unwrap_or(0)).sum();
            assert_eq!(per_char, out.as_ref().width(), "{out}");
            assert_eq!(display_width(&out), per_char, "{out}");
            assert!(out.contains("⟨U+"), "{out}");
            let mut col = 0;
            walk(s, |p| {
                if let Piece::Special(c) = p {
                    let mut one = String::new();
                    push_special(&mut one, c);
                    assert_eq!(special_width(c), one.width(), "{one}");
                    col += 1;
                }
            });
            assert!(col > 0);
        }
        assert_eq!(sanitize("👨\u{200d}👩\u{200d}👧"), "👨⟨U+200D⟩👩⟨U+200D⟩👧");
        assert_eq!(sanitize("🇩🇪"), "⟨U+1F1E9⟩⟨U+1F1EA⟩");
        assert_eq!(sanitize("❤\u{fe0f}"), "❤⟨U+FE0F⟩");
        assert_eq!(sanitize("a\u{200d}b"), "a⟨U+200D⟩b");
    }

    #[test]
    fn osc52_clipboard_write_is_inert() {
        let s = "before\x1b]52;c;ZWNobyBwd25lZA==\x07after";
        let out = sanitize(s);
        assert_inert(&out);
        assert_eq!(out, "before␛]52;c;ZWNobyBwd25lZA==␇after");
    }

    #[test]
    fn osc0_title_set_is_inert() {
        let s = "\x1b]0;pwned\x1b\\ and \x1b]0;again\x07";
        let out = sanitize(s);
        assert_inert(&out);
        assert_eq!(out, "␛]0;pwned␛\\ and ␛]0;again␇");
    }

    #[test]
    fn csi_sequences_are_inert() {
        let s = "\x1b[2J\x1b[H\x1b[31mred\x1b[0m\u{9b}6n";
        let out = sanitize(s);
        assert_inert(&out);
        assert_eq!(out, "␛[2J␛[H␛[31mred␛[0m⟨9B⟩6n");
    }

    #[test]
    fn c0_del_and_c1_are_shown() {
        let out = sanitize("a\rb\nc\x08d\x00e\x7ff\u{85}g\u{9f}");
        assert_inert(&out);
        assert_eq!(out, "a␍b␊c␈d␀e␡f⟨85⟩g⟨9F⟩");
    }

    #[test]
    fn bidi_controls_are_shown() {
        let s = "file\u{202e}txt.exe \u{2066}x\u{2069} \u{200e}\u{200f}\u{61c}\u{2028}";
        let out = sanitize(s);
        assert_inert(&out);
        assert_eq!(
            out,
            "file⟨U+202E⟩txt.exe ⟨U+2066⟩x⟨U+2069⟩ ⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩⟨U+2028⟩"
        );
    }

    #[test]
    fn tabs_expand_to_the_next_stop() {
        assert_eq!(sanitize("\tx"), "    x");
        assert_eq!(sanitize("a\tx"), "a   x");
        assert_eq!(sanitize("abc\tx"), "abc x");
        assert_eq!(sanitize("abcd\tx"), "abcd    x");
        assert_eq!(sanitize("a\t\tx"), "a       x");
        // Wide characters and stand-ins count by their width.
        assert_eq!(sanitize("漢\tx"), "漢  x");
        assert_eq!(sanitize("\x1b\tx"), "␛   x");
        assert_eq!(sanitize("\u{9b}\tx"), "⟨9B⟩    x");
    }

    #[test]
    fn sanitize_into_appends() {
        let mut out = String::from("> ");
        sanitize_into("a\tb", &mut out);
        assert_eq!(out, "> a   b");
    }

    #[test]
    fn segments_mark_stand_ins() {
        let segs = segments("ok\x1b[1m\tx\u{202e}");
        let joined: String = segs.iter().map(|s| s.text.as_ref()).collect();
        assert_eq!(joined, sanitize("ok\x1b[1m\tx\u{202e}"));
        assert_eq!(
            segs,
            vec![
                Segment {
                    text: "ok".into(),
                    inert: false
                },
                Segment {
                    text: "␛".into(),
                    inert: true
                },
                Segment {
                    text: "[1m  x".into(),
                    inert: false
                },
                Segment {
                    text: "⟨U+202E⟩".into(),
                    inert: true
                },
            ]
        );
        assert!(segments("").is_empty());
    }

    #[test]
    fn widths() {
        assert_eq!(display_width(""), 0);
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("漢字"), 4);
        assert_eq!(display_width("😀"), 2);
        assert_eq!(display_width("e\u{301}"), 1);
        assert_eq!(display_width("👨‍👩‍👧"), 2);
        assert_eq!(display_width("🇩🇪"), 2);
        assert_eq!(display_width("👍🏽"), 2);
        assert_eq!(display_width("␛⟨9B⟩"), 5);
    }

    #[test]
    fn slice_ascii() {
        assert_eq!(slice_columns("abcdef", 0, 3), "abc");
        assert_eq!(slice_columns("abcdef", 2, 3), "cde");
        assert_eq!(slice_columns("abcdef", 4, 10), "ef");
        assert_eq!(slice_columns("abcdef", 10, 3), "");
        assert_eq!(slice_columns("abcdef", 1, 0), "");
        assert!(matches!(slice_columns("abcdef", 1, 2), Cow::Borrowed(_)));
    }

    #[test]
    fn slice_never_splits_wide_chars() {
        let s = "a漢字b"; // columns: a=0, 漢=1..3, 字=3..5, b=5
        assert_eq!(slice_columns(s, 0, 2), "a ");
        assert_eq!(slice_columns(s, 0, 3), "a漢");
        assert_eq!(slice_columns(s, 2, 3), " 字");
        assert_eq!(slice_columns(s, 2, 2), "  ");
        assert_eq!(slice_columns(s, 3, 2), "字");
        assert_eq!(slice_columns(s, 4, 2), " b");
        assert_eq!(slice_columns(s, 1, 4), "漢字");
        assert!(matches!(slice_columns(s, 1, 4), Cow::Borrowed(_)));
        for skip in 0..8 {
            for width in 0..8 {
                let out = slice_columns(s, skip, width);
                assert!(display_width(&out) <= width, "{skip} {width} {out:?}");
            }
        }
    }

    #[test]
    fn slice_keeps_emoji_sequences_whole() {
        let s = "x👨‍👩‍👧y";
        assert_eq!(slice_columns(s, 1, 2), "👨‍👩‍👧");
        assert_eq!(slice_columns(s, 1, 1), " ");
        assert_eq!(slice_columns(s, 2, 2), " y");
        assert_eq!(slice_columns("e\u{301}x", 0, 1), "e\u{301}");
        assert_eq!(slice_columns("🇩🇪🇫🇷", 2, 2), "🇫🇷");
    }

    #[test]
    fn truncation() {
        assert_eq!(truncate_with_ellipsis("hello", 5), "hello");
        assert!(matches!(
            truncate_with_ellipsis("hello", 9),
            Cow::Borrowed(_)
        ));
        assert_eq!(truncate_with_ellipsis("hello world", 5), "hell…");
        assert_eq!(truncate_with_ellipsis("hello", 1), "…");
        assert_eq!(truncate_with_ellipsis("hello", 0), "");
        assert_eq!(truncate_with_ellipsis("漢字漢字", 5), "漢字…");
        assert_eq!(truncate_with_ellipsis("漢字漢字", 4), "漢…");
        assert_eq!(truncate_with_ellipsis("😀😀😀", 4), "😀…");
    }

    #[test]
    fn fitting() {
        assert_eq!(fit_width("ab", 4), "ab  ");
        assert_eq!(fit_width("abcdef", 4), "abc…");
        assert_eq!(fit_width("漢字漢字", 4), "漢… ");
        assert_eq!(fit_width("abcd", 4), "abcd");
    }

    fn nasty_char() -> impl Strategy<Value = char> {
        prop_oneof![
            any::<char>(),
            prop::sample::select(vec![
                '\t',
                '\x1b',
                '\x07',
                '\r',
                '\n',
                '\x08',
                '\x00',
                '\x7f',
                '\u{85}',
                '\u{9b}',
                '\u{9c}',
                '\u{202e}',
                '\u{2066}',
                '\u{200d}',
                '\u{fe0f}',
                '\u{301}',
                '\u{1f3fd}',
                '\u{1f1e9}',
                '漢',
                '😀',
                '👨',
                'a',
                ' ',
                '\u{fffd}',
                '\u{1160}',
                '\u{1100}',
            ]),
        ]
    }

    fn nasty_string() -> impl Strategy<Value = String> {
        prop::collection::vec(nasty_char(), 0..48).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn sanitized_output_is_inert(s in nasty_string()) {
            let out = sanitize(&s);
            for c in out.chars() {
                prop_assert!(!c.is_control(), "control {:#x}", c as u32);
                prop_assert!(!is_forbidden(c), "forbidden {:#x}", c as u32);
            }
            let joined: String = segments(&s).iter().map(|seg| seg.text.as_ref()).collect();
            prop_assert_eq!(joined.as_str(), out.as_ref());
        }

        #[test]
        fn slices_fit(s in nasty_string(), skip in 0usize..80, width in 0usize..80) {
            let clean = sanitize(&s);
            let out = slice_columns(&clean, skip, width);
            prop_assert!(display_width(&out) <= width);
            for c in out.chars() {
                prop_assert!(!c.is_control());
            }
            // Unsanitised input must not break the width promise either.
            prop_assert!(display_width(&slice_columns(&s, skip, width)) <= width);
            let cut = truncate_with_ellipsis(&clean, width);
            prop_assert!(display_width(&cut) <= width);
            prop_assert_eq!(display_width(&fit_width(&clean, width)), width);
        }

        #[test]
        fn full_window_is_identity(s in nasty_string()) {
            let clean = sanitize(&s);
            let w = display_width(&clean);
            // A window of width 0 shows nothing, even a lone zero-width character.
            prop_assume!(w > 0);
            let all = slice_columns(&clean, 0, w);
            prop_assert_eq!(all.as_ref(), clean.as_ref());
        }
    }
}
