//! The 16 colours as 16-colour terminals read them. crossterm writes every colour, the 16
//! named ones included, in the 256-colour form `ESC[38;5;Nm`; a terminal that knows only
//! `30-37`/`90-97` (and `40-47`/`100-107`) reads that as "unknown, blink, hidden". On such a
//! terminal the explorer's output passes through [`Ansi16`], which rewrites those colours
//! into the old codes and leaves every other byte as it is.

use std::io::{self, Write};

/// The longest escape sequence held back while it is read; a longer one is not crossterm's
/// colour and goes out as it came.
const MAX_SEQ: usize = 64;

/// A writer that rewrites `38;5;N` / `48;5;N` with N below 16 into 16-colour codes when on.
pub(crate) struct Ansi16<W: Write> {
    inner: W,
    on: bool,
    /// An escape sequence begun in one write and not yet ended.
    pending: Vec<u8>,
}

impl<W: Write> Ansi16<W> {
    /// Wraps `inner`; off, it passes everything through untouched.
    pub(crate) fn new(inner: W, on: bool) -> Ansi16<W> {
        Ansi16 {
            inner,
            on,
            pending: Vec::new(),
        }
    }
}

/// The parameters of an SGR sequence (`ESC [ params m`) with the low 256-colour indexes
/// written as 16-colour codes.
fn rewrite_sgr(params: &[u8]) -> Vec<u8> {
    let parts: Vec<&[u8]> = params.split(|&b| b == b';').collect();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        let colour = match (parts[i], parts.get(i + 1), parts.get(i + 2)) {
            (layer @ (b"38" | b"48"), Some(&b"5"), Some(n)) => std::str::from_utf8(n)
                .ok()
                .and_then(|n| n.parse::<u8>().ok())
                .filter(|&n| n < 16)
                .map(|n| {
                    let base: u16 = if layer == b"38" { 30 } else { 40 };
                    let code = if n < 8 {
                        base + u16::from(n)
                    } else {
                        base + 60 + u16::from(n - 8)
                    };
                    code.to_string()
                }),
            _ => None,
        };
        match colour {
            Some(c) => {
                out.push(c);
                i += 3;
            }
            None => {
                out.push(String::from_utf8_lossy(parts[i]).into_owned());
                i += 1;
            }
        }
    }
    out.join(";").into_bytes()
}

impl<W: Write> Write for Ansi16<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.on {
            return self.inner.write(buf);
        }
        let mut out = Vec::with_capacity(buf.len() + 8);
        for &b in buf {
            if self.pending.is_empty() {
                if b == 0x1b {
                    self.pending.push(b);
                } else {
                    out.push(b);
                }
                continue;
            }
            self.pending.push(b);
            let len = self.pending.len();
            if len == 2 {
                if b != b'[' {
                    out.append(&mut self.pending);
                }
                continue;
            }
            if (0x40..=0x7e).contains(&b) {
                if b == b'm' {
                    out.extend_from_slice(b"\x1b[");
                    out.extend(rewrite_sgr(&self.pending[2..len - 1]));
                    out.push(b'm');
                    self.pending.clear();
                } else {
                    out.append(&mut self.pending);
                }
            } else if len >= MAX_SEQ {
                out.append(&mut self.pending);
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(on: bool, writes: &[&[u8]]) -> Vec<u8> {
        let mut w = Ansi16::new(Vec::new(), on);
        for part in writes {
            w.write_all(part).unwrap();
        }
        w.inner
    }

    #[test]
    fn the_sixteen_colours_take_their_old_codes() {
        assert_eq!(through(true, &[b"\x1b[38;5;8m"]), b"\x1b[90m");
        assert_eq!(through(true, &[b"\x1b[38;5;1m"]), b"\x1b[31m");
        assert_eq!(through(true, &[b"\x1b[48;5;15m"]), b"\x1b[107m");
        assert_eq!(through(true, &[b"\x1b[48;5;0m"]), b"\x1b[40m");
        // Mixed with other attributes, and split across writes as crossterm may split it.
        assert_eq!(
            through(true, &[b"x\x1b[", b"1;38;5;", b"12m", b"y"]),
            b"x\x1b[1;94my"
        );
        // Not one of the 16, other sequences, OSC 52 and text go through untouched.
        for same in [
            &b"\x1b[38;5;110m"[..],
            b"\x1b[39m",
            b"\x1b[2J\x1b[5;10H",
            b"\x1b]52;c;aGk=\x07",
            b"plain 38;5;8m text",
        ] {
            assert_eq!(through(true, &[same]), same);
        }
        // Off, nothing changes.
        assert_eq!(through(false, &[b"\x1b[38;5;8m"]), b"\x1b[38;5;8m");
    }
}
