//! Incremental decoding of a byte stream into UTF-8 text, exactly as [`SourceText`] decodes a
//! whole file, whatever the read boundaries: a byte-order mark, a UTF-16 code unit or a
//! surrogate pair split across reads is held until it is complete.
//!
//! [`SourceText`]: crate::source::SourceText

use crate::source::Encoding;

/// The longest byte-order mark; fewer bytes than this may still be the start of one.
const BOM_MAX: usize = 3;

/// Decoding state of one stream.
#[derive(Debug, Clone)]
pub(crate) enum Decoder {
    /// At the start of a file, before enough bytes have arrived to tell the encoding.
    Sniff(Vec<u8>),
    /// UTF-8 (with or without BOM): bytes pass through unchanged, invalid ones included.
    Utf8(Encoding),
    /// Windows-1252, for a file joined past its start whose text was read so: one byte, one
    /// character.
    Cp1252,
    /// UTF-16, with a byte-order mark or (for a file joined past its start) without one.
    Utf16 {
        /// Which UTF-16.
        enc: Encoding,
        /// Little-endian (FF FE) or big-endian (FE FF).
        little: bool,
        /// The first byte of a code unit whose second byte has not arrived.
        odd: Option<u8>,
        /// A high surrogate waiting for its low half.
        high: Option<u16>,
    },
}

impl Decoder {
    /// A decoder for a stream read from its first byte: the encoding comes from its BOM.
    pub(crate) fn at_start() -> Decoder {
        Decoder::Sniff(Vec::new())
    }

    /// A decoder for a stream joined in the middle, whose encoding is already known.
    pub(crate) fn with(enc: Encoding) -> Decoder {
        match enc {
            Encoding::Utf8 | Encoding::Utf8Bom => Decoder::Utf8(enc),
            Encoding::Windows1252 => Decoder::Cp1252,
            _ => Decoder::Utf16 {
                enc,
                little: enc.is_little_endian(),
                odd: None,
                high: None,
            },
        }
    }

    /// The encoding, once known.
    pub(crate) fn encoding(&self) -> Option<Encoding> {
        match self {
            Decoder::Sniff(_) => None,
            Decoder::Utf8(e) => Some(*e),
            Decoder::Cp1252 => Some(Encoding::Windows1252),
            Decoder::Utf16 { enc, .. } => Some(*enc),
        }
    }

    /// Input bytes received but not yet turned into text.
    pub(crate) fn held(&self) -> usize {
        match self {
            Decoder::Sniff(b) => b.len(),
            Decoder::Utf8(_) | Decoder::Cp1252 => 0,
            Decoder::Utf16 { odd, high, .. } => {
                usize::from(odd.is_some()) + if high.is_some() { 2 } else { 0 }
            }
        }
    }

    /// Decodes `input`, appending the text to `out`.
    pub(crate) fn push(&mut self, input: &[u8], out: &mut Vec<u8>) {
        if let Decoder::Sniff(head) = self {
            head.extend_from_slice(input);
            if could_be_bom(head) {
                return;
            }
            let head = std::mem::take(head);
            *self = Decoder::with(Encoding::detect(&head[..head.len().min(4)]));
            self.push(&head, out);
            return;
        }
        match self {
            Decoder::Sniff(_) => {}
            Decoder::Utf8(_) => out.extend_from_slice(input),
            Decoder::Cp1252 => {
                let (text, _) = crate::source::transcode_1252(input);
                out.extend_from_slice(&text);
            }
            Decoder::Utf16 {
                little, odd, high, ..
            } => {
                decode_utf16(*little, odd, high, input, out);
            }
        }
    }

    /// Ends the stream: whatever is held is decoded as the whole-file decoder would at the
    /// end of a file (an unpaired surrogate or a lone last byte becomes U+FFFD).
    pub(crate) fn finish(&mut self, out: &mut Vec<u8>) {
        if let Decoder::Sniff(head) = self {
            let head = std::mem::take(head);
            *self = Decoder::with(Encoding::detect(&head[..head.len().min(4)]));
            self.push(&head, out);
        }
        if let Decoder::Utf16 { odd, high, .. } = self {
            if high.take().is_some() {
                out.extend_from_slice("\u{FFFD}".as_bytes());
            }
            if odd.take().is_some() {
                out.extend_from_slice("\u{FFFD}".as_bytes());
            }
        }
    }
}

/// True when `head` is a proper prefix of a byte-order mark, so more bytes are needed.
fn could_be_bom(head: &[u8]) -> bool {
    head.len() < BOM_MAX
        && [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
            .iter()
            .any(|bom| bom.len() > head.len() && bom.starts_with(head))
}

/// Decodes UTF-16 units, keeping a split unit in `odd` and an unpaired high surrogate in
/// `high`; errors become U+FFFD as `char::decode_utf16` makes them in the whole-file path.
fn decode_utf16(
    little: bool,
    odd: &mut Option<u8>,
    high: &mut Option<u16>,
    input: &[u8],
    out: &mut Vec<u8>,
) {
    let unit = |a: u8, b: u8| {
        if little {
            u16::from_le_bytes([a, b])
        } else {
            u16::from_be_bytes([a, b])
        }
    };
    let mut rest = input;
    if let Some(first) = *odd {
        let Some((&second, tail)) = rest.split_first() else {
            return;
        };
        *odd = None;
        put_unit(unit(first, second), high, out);
        rest = tail;
    }
    let mut pairs = rest.chunks_exact(2);
    for p in &mut pairs {
        put_unit(unit(p[0], p[1]), high, out);
    }
    if let [last] = pairs.remainder() {
        *odd = Some(*last);
    }
}

fn put_unit(u: u16, high: &mut Option<u16>, out: &mut Vec<u8>) {
    let mut buf = [0u8; 4];
    if let Some(h) = high.take() {
        if (0xDC00..0xE000).contains(&u) {
            let c = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
            let c = char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            return;
        }
        out.extend_from_slice("\u{FFFD}".as_bytes());
    }
    if (0xD800..0xDC00).contains(&u) {
        *high = Some(u);
        return;
    }
    let c = char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER);
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Bytes of the original UTF-16 input behind a piece of text this module produced (valid
/// UTF-8 with no trailing lone-byte replacement): two per char, four for a pair.
pub(crate) fn utf16_len(text: &[u8]) -> u64 {
    text.iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .map(|&b| if b >= 0xF0 { 4 } else { 2 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceText;

    fn whole(bytes: &[u8]) -> Vec<u8> {
        SourceText::from_vec("t".into(), bytes.to_vec())
            .bytes()
            .to_vec()
    }

    fn piecewise(bytes: &[u8], step: usize) -> Vec<u8> {
        let mut d = Decoder::at_start();
        let mut out = Vec::new();
        for c in bytes.chunks(step.max(1)) {
            d.push(c, &mut out);
        }
        d.finish(&mut out);
        out
    }

    #[test]
    fn split_units_and_pairs_are_kept() {
        let s = "\u{FEFF}a\u{1F600}é\r\n";
        for le in [true, false] {
            let mut b: Vec<u8> = Vec::new();
            for u in s.encode_utf16() {
                b.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            b.push(0x41);
            b.extend_from_slice(&[0x00, 0xD8]);
            for step in 1..6 {
                assert_eq!(piecewise(&b, step), whole(&b), "step {step}");
            }
        }
    }

    #[test]
    fn short_streams_decide_like_whole_files() {
        for b in [&b""[..], b"\xEF", b"\xEF\xBB", b"ab"] {
            assert_eq!(piecewise(b, 1), whole(b));
        }
        // The start of a BOM that is not one: passed through as UTF-8 (a whole file of these
        // bytes alone reads as Windows-1252, which only a whole file tells).
        for b in [&b"\xFF"[..], b"\xFE", b"\xFF "] {
            assert_eq!(piecewise(b, 1), b);
        }
    }

    #[test]
    fn utf16_len_counts_source_bytes() {
        assert_eq!(utf16_len("a\u{FEFF}\u{1F600}".as_bytes()), 2 + 2 + 4);
    }
}
