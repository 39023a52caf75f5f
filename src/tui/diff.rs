//! Writing a frame: what differs between the screen as the terminal shows it and the next
//! frame, as escape sequences. The same cells in the same order and the same bytes as
//! ratatui's `Buffer::diff_iter` fed to its crossterm backend (a test holds the two equal),
//! but without their per-cell costs, which made up most of a frame while a log is followed:
//! a cell comparison through `memcmp`, a width looked up for every cell, a formatted write
//! for each cell written. And the rows the terminal scrolled are compared where they went,
//! instead of being moved first in the copy of the screen.

use std::io;

use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::crossterm::queue;
use ratatui::crossterm::style::{
    Attribute, Color as CColor, Colors, Print, SetAttribute, SetBackgroundColor, SetColors,
    SetForegroundColor, SetUnderlineColor,
};
use ratatui::style::{Color, Modifier};

/// Rows of the screen the terminal scrolled up before the frame: the rows `top..bottom`
/// (counted from the buffer's first row) moved up by `by`, the last `by` of them blank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shift {
    pub top: usize,
    pub bottom: usize,
    pub by: usize,
}

impl Shift {
    /// The row whose cells the terminal shows at row `y` after the scroll (`None`: `y`
    /// was scrolled in blank).
    #[inline]
    pub fn shown_from(shift: Option<Shift>, y: usize) -> Option<usize> {
        match shift {
            Some(s) if y >= s.top && y < s.bottom => Some(y + s.by).filter(|&f| f < s.bottom),
            _ => Some(y),
        }
    }
}

/// Cells `start..end` of row `row` that already show what the frame has there (after the
/// terminal's scroll, if any): not compared again (see [`write_diff`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Keep {
    pub row: usize,
    pub start: usize,
    pub end: usize,
}

/// What a row scrolled in at the bottom holds: blank, in the default colours.
static BLANK: Cell = Cell::EMPTY;

/// Modifiers that show on a blank cell (as ratatui's diff counts them).
const VISIBLE_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::CROSSED_OUT);

/// The cells the terminal shows, row by row: where each row's cells are in `cells` (`None`:
/// a row scrolled in blank).
struct Shown<'a, F> {
    cells: &'a [Cell],
    width: usize,
    source: F,
}

impl<'a, F: Fn(usize) -> Option<usize>> Shown<'a, F> {
    #[inline]
    fn at(&self, i: usize) -> &'a Cell {
        let (y, x) = (i / self.width, i % self.width);
        (self.source)(y)
            .and_then(|f| self.cells.get(f + x))
            .unwrap_or(&BLANK)
    }
}

/// `Cell`'s own equality (a missing symbol equals a space), field by field, with the
/// one-byte symbols of most cells compared without a call to `memcmp`.
#[inline(always)]
fn same(a: &Cell, b: &Cell) -> bool {
    #[allow(deprecated)]
    let skip = a.skip == b.skip;
    skip && a.fg == b.fg
        && a.bg == b.bg
        && a.modifier == b.modifier
        && a.underline_color == b.underline_color
        && a.diff_option == b.diff_option
        && {
            let (x, y) = (a.symbol().as_bytes(), b.symbol().as_bytes());
            if x.len() != y.len() {
                false
            } else if x.len() == 1 {
                x[0] == y[0]
            } else {
                x == y
            }
        }
}

/// A cell's width on screen; one for a one-byte symbol (ASCII), as ratatui counts it.
#[inline(always)]
fn width(c: &Cell) -> usize {
    match c.diff_option {
        CellDiffOption::ForcedWidth(w) => usize::from(w.get()),
        _ if c.symbol().len() == 1 => 1,
        _ => usize::from(c.cell_width()),
    }
}

#[allow(deprecated)]
fn is_skip(c: &Cell) -> bool {
    matches!(c.diff_option, CellDiffOption::Skip)
        || (c.skip && matches!(c.diff_option, CellDiffOption::None))
}

/// The bytes of the colour pairs and attribute changes written so far: a frame uses a
/// dozen pairs, hundreds of times each, and formatting one was most of a cell's cost. Kept
/// from one frame to the next (the pairs are those of the theme), so that each is
/// formatted once, not once a frame.
#[derive(Default)]
pub(crate) struct Said {
    pairs: Vec<(Color, Color, usize, usize)>,
    bytes: Vec<u8>,
}

impl Said {
    /// The bytes of `SetColors(fg, bg)`.
    fn colours(&mut self, fg: Color, bg: Color) -> io::Result<&[u8]> {
        let (from, to) = match self.pairs.iter().find(|p| p.0 == fg && p.1 == bg) {
            Some(p) => (p.2, p.3),
            None => {
                let from = self.bytes.len();
                queue!(self.bytes, SetColors(Colors::new(ctcolor(fg), ctcolor(bg))))?;
                self.pairs.push((fg, bg, from, self.bytes.len()));
                (from, self.bytes.len())
            }
        };
        Ok(self.bytes.get(from..to).unwrap_or_default())
    }
}

/// The terminal's current position and pen, as the bytes written so far left them.
struct Pen<'s> {
    last: Option<(u16, u16)>,
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
    said: &'s mut Said,
}

impl Pen<'_> {
    fn put(&mut self, out: &mut Vec<u8>, x: u16, y: u16, cell: &Cell) -> io::Result<()> {
        if !matches!(self.last, Some((px, py)) if x == px.wrapping_add(1) && y == py) {
            // `MoveTo`'s bytes, without a formatted write.
            let mut n = itoa::Buffer::new();
            out.extend_from_slice(b"\x1b[");
            out.extend_from_slice(n.format(u32::from(y) + 1).as_bytes());
            out.push(b';');
            out.extend_from_slice(n.format(u32::from(x) + 1).as_bytes());
            out.push(b'H');
        }
        self.last = Some((x, y));
        if cell.modifier != self.modifier {
            modifier_change(out, self.modifier, cell.modifier)?;
            self.modifier = cell.modifier;
        }
        if cell.fg != self.fg || cell.bg != self.bg {
            out.extend_from_slice(self.said.colours(cell.fg, cell.bg)?);
            self.fg = cell.fg;
            self.bg = cell.bg;
        }
        if cell.underline_color != self.underline {
            queue!(out, SetUnderlineColor(ctcolor(cell.underline_color)))?;
            self.underline = cell.underline_color;
        }
        let s = cell.symbol();
        if s.len() == 1 {
            out.push(s.as_bytes()[0]);
        } else {
            queue!(out, Print(s))?;
        }
        Ok(())
    }
}

fn ctcolor(c: Color) -> CColor {
    use ratatui::backend::IntoCrossterm;
    c.into_crossterm()
}

/// Appends to `out` what turns the screen `prev` (after the scroll `shift`, if any) into
/// `next`. The buffers cover the same area. The cells in `kept` (sorted by row, then
/// column) are those the terminal shows (after its scroll): `next` need not hold them,
/// they are not compared. Wide symbols do not reach past their edges and their cells have no diff option (the
/// view sets none), so the bytes are those of the whole comparison.
#[cfg(test)]
pub(crate) fn write_diff(
    out: &mut Vec<u8>,
    prev: &Buffer,
    next: &Buffer,
    shift: Option<Shift>,
    kept: &[Keep],
) -> io::Result<()> {
    let w = usize::from(next.area.width.max(1));
    write_rows(
        out,
        &prev.content,
        |y| Shift::shown_from(shift, y).map(|f| f * w),
        next,
        kept,
        &mut Said::default(),
    )
}

/// [`write_diff`], with the screen the terminal shows given row by row: `source(y)` is
/// where the cells of row `y` start in `prev` (`None`: the row is blank, scrolled in), so
/// that a copy of the screen kept as rows in any order need not be moved when the terminal
/// scrolls. `said` keeps the bytes formatted from one frame to the next.
pub(crate) fn write_rows(
    out: &mut Vec<u8>,
    prev: &[Cell],
    source: impl Fn(usize) -> Option<usize>,
    next: &Buffer,
    kept: &[Keep],
    said: &mut Said,
) -> io::Result<()> {
    let area = next.area;
    let w = usize::from(area.width.max(1));
    let shown = Shown {
        cells: prev,
        width: w,
        source: &source,
    };
    let cur = &next.content[..];
    let len = cur.len();
    let pos_of = |i: usize| {
        (
            (i % w + usize::from(area.x)) as u16,
            (i / w + usize::from(area.y)) as u16,
        )
    };
    let mut pen = Pen {
        last: None,
        fg: Color::Reset,
        bg: Color::Reset,
        underline: Color::Reset,
        modifier: Modifier::empty(),
        said,
    };
    let in_kept = |k: usize| {
        let i = kept.partition_point(|s| s.row * w + s.start <= k);
        i > 0
            && kept
                .get(i - 1)
                .is_some_and(|s| k < s.row * w + s.end.min(w))
    };
    let mut pos = 0;
    // The next kept span, as cell indices.
    let mut spans = kept
        .iter()
        .map(|k| (k.row * w + k.start, k.row * w + k.end.min(w)));
    let mut span = spans.next();
    // The row `pos` is in, and where the terminal has that row's cells (`None`: scrolled
    // in blank), found once a row rather than once a cell.
    let mut row_start = 0;
    let mut from = source(0);
    while pos < len {
        while let Some((start, end)) = span {
            if pos < start {
                break;
            }
            if pos < end {
                pos = end;
            }
            span = spans.next();
        }
        if pos >= len {
            break;
        }
        if pos >= row_start + w {
            row_start = pos - pos % w;
            from = source(pos / w);
        }
        let i = pos;
        pos += 1;
        let c = &cur[i];
        let p = from
            .and_then(|f| prev.get(f + (i - row_start)))
            .unwrap_or(&BLANK);
        match c.diff_option {
            CellDiffOption::Skip => {}
            _ if is_skip(c) => {}
            CellDiffOption::ForcedWidth(fw) => {
                pos = pos.saturating_add(usize::from(fw.get()).saturating_sub(1));
                if !same(c, p) {
                    let (x, y) = pos_of(i);
                    pen.put(out, x, y, c)?;
                }
            }
            CellDiffOption::None | CellDiffOption::AlwaysUpdate => {
                let cw = width(c);
                if matches!(c.diff_option, CellDiffOption::None) && same(c, p) {
                    pos += cw.saturating_sub(1);
                    continue;
                }
                let pw = width(p);
                // The trailing cells to write after this one: those of an emoji with VS16
                // whose symbol changed, or all those a wider cell with a visible style
                // covered before (ratatui's work-arounds for terminals that leave them).
                let mut trailing = None;
                if cw > 1 && c.symbol().contains('\u{FE0F}') {
                    trailing = Some((i + 1, (i + cw).min(len), false));
                } else if cw > 1 {
                    pos += cw - 1;
                } else if pw > cw
                    && (p.bg != Color::Reset || p.modifier.intersects(VISIBLE_ON_BLANK))
                {
                    trailing = Some((i + 1, i + pw, true));
                }
                let (x, y) = pos_of(i);
                pen.put(out, x, y, c)?;
                if let Some((mut j, mut end, force)) = trailing {
                    while j < end && j < len {
                        let k = j;
                        // A kept cell is the one the terminal shows: `next` may not hold it.
                        let c = if in_kept(k) { shown.at(k) } else { &cur[k] };
                        j += width(c).max(1);
                        end = end.max(j).min(len);
                        if !is_skip(c) && (force || shown.at(k).symbol() != c.symbol()) {
                            let (x, y) = pos_of(k);
                            pen.put(out, x, y, c)?;
                        }
                    }
                    pos = end;
                }
            }
        }
    }
    queue!(
        out,
        SetForegroundColor(CColor::Reset),
        SetBackgroundColor(CColor::Reset),
        SetUnderlineColor(CColor::Reset),
        SetAttribute(Attribute::Reset),
    )
}

/// The attributes that change from `from` to `to`, as ratatui's crossterm backend writes
/// them.
fn modifier_change(out: &mut Vec<u8>, from: Modifier, to: Modifier) -> io::Result<()> {
    let set = |out: &mut Vec<u8>, a: Attribute| queue!(out, SetAttribute(a));
    let removed = from - to;
    if removed.contains(Modifier::REVERSED) {
        set(out, Attribute::NoReverse)?;
    }
    let reset_intensity = removed.contains(Modifier::BOLD) || removed.contains(Modifier::DIM);
    if reset_intensity {
        set(out, Attribute::NormalIntensity)?;
        if to.contains(Modifier::DIM) {
            set(out, Attribute::Dim)?;
        }
        if to.contains(Modifier::BOLD) {
            set(out, Attribute::Bold)?;
        }
    }
    if removed.contains(Modifier::ITALIC) {
        set(out, Attribute::NoItalic)?;
    }
    if removed.contains(Modifier::UNDERLINED) {
        set(out, Attribute::NoUnderline)?;
    }
    if removed.contains(Modifier::CROSSED_OUT) {
        set(out, Attribute::NotCrossedOut)?;
    }
    if removed.contains(Modifier::HIDDEN) {
        set(out, Attribute::NoHidden)?;
    }
    if removed.contains(Modifier::SLOW_BLINK) || removed.contains(Modifier::RAPID_BLINK) {
        set(out, Attribute::NoBlink)?;
    }
    let added = to - from;
    if added.contains(Modifier::REVERSED) {
        set(out, Attribute::Reverse)?;
    }
    if added.contains(Modifier::BOLD) && !reset_intensity {
        set(out, Attribute::Bold)?;
    }
    if added.contains(Modifier::ITALIC) {
        set(out, Attribute::Italic)?;
    }
    if added.contains(Modifier::UNDERLINED) {
        set(out, Attribute::Underlined)?;
    }
    if added.contains(Modifier::DIM) && !reset_intensity {
        set(out, Attribute::Dim)?;
    }
    if added.contains(Modifier::CROSSED_OUT) {
        set(out, Attribute::CrossedOut)?;
    }
    if added.contains(Modifier::HIDDEN) {
        set(out, Attribute::Hidden)?;
    }
    if added.contains(Modifier::SLOW_BLINK) {
        set(out, Attribute::SlowBlink)?;
    }
    if added.contains(Modifier::RAPID_BLINK) {
        set(out, Attribute::RapidBlink)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::backend::{Backend, CrosstermBackend};
    use ratatui::layout::Rect;
    use ratatui::style::Style;
    use std::cell::RefCell;
    use std::num::NonZeroU16;
    use std::rc::Rc;

    /// What ratatui writes for the same change: the scroll done to a copy of the screen,
    /// then its diff through its crossterm backend.
    fn ratatui_bytes(prev: &Buffer, next: &Buffer, shift: Option<Shift>) -> Vec<u8> {
        let mut shown = prev.clone();
        if let Some(s) = shift {
            let w = usize::from(prev.area.width);
            for y in s.top..s.bottom {
                for x in 0..w {
                    shown.content[y * w + x] = if y + s.by < s.bottom {
                        prev.content[(y + s.by) * w + x].clone()
                    } else {
                        Cell::EMPTY
                    };
                }
            }
        }
        let bytes = Rc::new(RefCell::new(Vec::new()));
        let mut backend = CrosstermBackend::new(Shared(bytes.clone()));
        backend.draw(shown.diff_iter(next)).expect("in memory");
        let out = bytes.borrow().clone();
        out
    }

    /// A writer whose bytes the test keeps (the backend's own writer is not public).
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl std::io::Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    const SYMBOLS: &[&str] = &[
        " ",
        " ",
        " ",
        "a",
        "b",
        "x",
        "─",
        "│",
        "é",
        "漢",
        "字",
        "❤\u{fe0f}",
        "e\u{301}",
        "",
    ];
    const COLORS: &[Color] = &[
        Color::Reset,
        Color::Red,
        Color::Indexed(110),
        Color::Rgb(1, 2, 3),
        Color::DarkGray,
    ];

    /// A cell from a few random numbers: symbols of every width, a few colours, any
    /// modifiers, now and then a skipped cell or one with a forced width.
    fn cell(sym: usize, fg: usize, bg: usize, m: u16, opt: u8) -> Cell {
        let mut c = Cell::EMPTY;
        // A blank is sometimes a space, sometimes no symbol at all (equal to ratatui).
        let k = sym % SYMBOLS.len();
        if k != 0 || sym.is_multiple_of(3) {
            c.set_symbol(SYMBOLS[k]);
        }
        c.set_style(
            Style::default()
                .fg(COLORS[fg % COLORS.len()])
                .bg(COLORS[bg % COLORS.len()])
                .add_modifier(Modifier::from_bits_truncate(m)),
        );
        if m.is_multiple_of(7) {
            c.underline_color = Color::Blue;
        }
        match opt {
            0 => c.diff_option = CellDiffOption::Skip,
            1 => c.diff_option = CellDiffOption::AlwaysUpdate,
            2 => c.diff_option = CellDiffOption::ForcedWidth(NonZeroU16::new(2).expect("2")),
            3 => {
                #[allow(deprecated)]
                {
                    c.skip = true;
                }
            }
            _ => {}
        }
        c
    }

    fn cells(n: usize) -> impl Strategy<Value = Vec<Cell>> {
        prop::collection::vec(
            (0..40usize, 0..12usize, 0..12usize, any::<u16>(), 0..40u8),
            n,
        )
        .prop_map(|v| {
            v.into_iter()
                .map(|(s, f, b, m, o)| cell(s, f, b, m & 0x1ff, o))
                .collect()
        })
    }

    /// A buffer of these cells. Its last cell is a plain one: ratatui's diff indexes past
    /// the end when a wide last cell becomes a narrow one (ours stops at the end).
    fn buffer(area: Rect, mut content: Vec<Cell>) -> Buffer {
        if let Some(last) = content.last_mut() {
            *last = Cell::new("z");
        }
        let mut b = Buffer::empty(area);
        b.content = content;
        b
    }

    /// Two 6x5 frames at (2, 1) that share the cells `keep` says, as a screen's do from
    /// one frame to the next.
    fn frames(prev: Vec<Cell>, next: Vec<Cell>, keep: &[bool]) -> (Buffer, Buffer) {
        let area = Rect::new(2, 1, 6, 5);
        let prev = buffer(area, prev);
        let next: Vec<Cell> = next
            .into_iter()
            .zip(keep)
            .enumerate()
            .map(|(i, (c, k))| if *k { prev.content[i].clone() } else { c })
            .collect();
        (prev, buffer(area, next))
    }

    /// A scroll of rows `top..top + h` (within the 5 rows) by `by`, when it fits.
    fn shift_of(scroll: Option<(usize, usize, usize)>) -> Option<Shift> {
        scroll.and_then(|(top, h, by)| {
            let bottom = (top + h).min(5);
            (by < bottom - top).then_some(Shift { top, bottom, by })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The bytes written are ratatui's, byte for byte: the same cells, in the same
        /// order, the same moves and colours, whatever the frames hold and however the
        /// terminal scrolled in between.
        #[test]
        fn writes_what_ratatui_writes(
            prev in cells(6 * 5),
            next_cells in cells(6 * 5),
            keep in prop::collection::vec(any::<bool>(), 6 * 5),
            scroll in prop::option::of((0..5usize, 1..6usize, 1..5usize)),
        ) {
            let (prev, next) = frames(prev, next_cells, &keep);
            let shift = shift_of(scroll);
            let mut ours = Vec::new();
            write_diff(&mut ours, &prev, &next, shift, &[]).expect("in memory");
            let theirs = ratatui_bytes(&prev, &next, shift);
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Columns of rows said to be kept (copied from where the terminal shows them) are
        /// not compared, and the bytes are still those of the whole comparison.
        #[test]
        fn kept_columns_write_what_the_whole_comparison_writes(
            prev in cells(6 * 5),
            next_cells in cells(6 * 5),
            keep in prop::collection::vec(any::<bool>(), 6 * 5),
            rows in prop::collection::vec(any::<bool>(), 5),
            cols in (0..6usize, 1..7usize),
            scroll in prop::option::of((0..5usize, 1..6usize, 1..5usize)),
        ) {
            let w = 6;
            let (a, b) = (cols.0.min(cols.1.saturating_sub(1)), cols.1.max(cols.0 + 1).min(w));
            let (mut prev, mut next) = frames(prev, next_cells, &keep);
            let shift = shift_of(scroll);
            let mut kept = Vec::new();
            for (y, _) in rows.iter().enumerate().filter(|(_, k)| **k) {
                let Some(from) = Shift::shown_from(shift, y) else {
                    continue;
                };
                // A kept span's last symbol is narrow: none reaches past its edge.
                let last = prev.content[from * w + b - 1].clone();
                let mut narrow = last.clone();
                narrow.set_symbol("a");
                narrow.diff_option = CellDiffOption::None;
                prev.content[from * w + b - 1] = narrow;
                // Kept cells are plain ones: the view sets no cell's diff option (a cell to
                // write always would have to be compared).
                for x in a..b {
                    prev.content[from * w + x].diff_option = CellDiffOption::None;
                    next.content[y * w + x] = prev.content[from * w + x].clone();
                }
                kept.push(Keep { row: y, start: a, end: b });
            }
            let theirs = ratatui_bytes(&prev, &next, shift);
            // What `next` holds where it keeps cells is whatever an older frame left.
            for k in &kept {
                for x in k.start..k.end {
                    next.content[k.row * w + x] = Cell::new("?");
                }
            }
            let mut ours = Vec::new();
            write_diff(&mut ours, &prev, &next, shift, &kept).expect("in memory");
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        }
    }

    /// A frame equal to the screen writes nothing but the colours' reset, and one row
    /// scrolled in writes only that row.
    #[test]
    fn writes_only_what_changed() {
        let area = Rect::new(0, 0, 4, 3);
        let mut prev = Buffer::empty(area);
        for (i, c) in prev.content.iter_mut().enumerate() {
            c.set_symbol(["a", "b", "c"][i / 4]);
        }
        let mut same = Vec::new();
        write_diff(&mut same, &prev, &prev, None, &[]).expect("in memory");
        assert_eq!(same, b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m");
        // The rows scrolled up by one: "b" and "c" moved up, a new "d" row at the bottom.
        let mut next = prev.clone();
        for (i, c) in next.content.iter_mut().enumerate() {
            c.set_symbol(["b", "c", "d"][i / 4]);
        }
        let mut scrolled = Vec::new();
        let shift = Shift {
            top: 0,
            bottom: 3,
            by: 1,
        };
        write_diff(&mut scrolled, &prev, &next, Some(shift), &[]).expect("in memory");
        assert_eq!(
            String::from_utf8_lossy(&scrolled),
            "\x1b[3;1Hdddd\x1b[39m\x1b[49m\x1b[59m\x1b[0m"
        );
    }
}
