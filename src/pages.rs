//! Memory made ready before it is used. The pages of a large vector are mapped by the
//! kernel a fault at a time as they are first written, and a mapped file's cached pages a
//! fault per 16 pages as they are first read (unless the kernel holds the file in large
//! folios); on a virtual machine a fault costs several times what mapping many pages in
//! one call does. Framing reads a log front to back and writes its record index front to
//! back, so it asks for both a stretch ahead.
//!
//! Linux only (`MADV_POPULATE_READ` and `_WRITE`, Linux 5.14); elsewhere, and on older
//! kernels, the pages fault as before.

/// Stretches made ready at a time: fewer calls, and at most this much memory ready but
/// not yet used.
const STRETCH: usize = 1 << 20;

/// Stretches of a text mapped at a time: it is all read, and mapping costs no memory.
const READ_STRETCH: usize = 4 << 20;

/// What the pages are made ready for.
#[derive(Clone, Copy)]
enum Use {
    Read,
    Write,
}

/// Below this, a vector's pages are left to fault: a call costs more than a few faults.
const AT_LEAST: usize = 64 << 10;

/// Keeps a vector's pages ready a stretch ahead of its length.
#[derive(Default)]
pub(crate) struct Ahead {
    /// The buffer last made ready, and the byte offset in it up to which it is.
    base: usize,
    ready: usize,
}

impl Ahead {
    /// Before pushing about `more` elements to `v`: makes the pages they will take ready, a
    /// stretch at a time, within `v`'s capacity.
    pub(crate) fn before<T>(&mut self, v: &mut Vec<T>, more: usize) {
        let size = std::mem::size_of::<T>();
        let base = v.as_ptr() as usize;
        let used = v.len() * size;
        if base != self.base {
            // A new buffer: what its length covers was written by the copy.
            self.base = base;
            self.ready = used;
        }
        let cap = v.capacity() * size;
        if used.saturating_add(more * size) <= self.ready || self.ready >= cap {
            return;
        }
        // Stretches grow from 64 KiB with what is used: a vector that takes a few
        // elements (a piece framed again from a held-back record) is not given a whole one.
        let stretch = self.ready.clamp(AT_LEAST, STRETCH);
        let to = self
            .ready
            .saturating_add(stretch)
            .max(used.saturating_add(more * size))
            .min(cap);
        populate(base + self.ready, base + to, Use::Write);
        self.ready = to;
    }
}

/// Keeps a text's pages mapped a stretch ahead of where framing reads. A file's cached
/// pages are mapped into the process a fault at a time too (16 pages a fault, unless the
/// kernel holds the file in large folios), and framing reads every one.
#[derive(Default)]
pub(crate) struct Mapped {
    /// Offset in the text up to which its pages were asked for.
    ready: usize,
}

impl Mapped {
    /// Before reading `text[from..upto]`: maps the pages from `from` up to at least
    /// `upto`, a stretch at a time, within `text`.
    pub(crate) fn before(&mut self, text: &[u8], from: usize, upto: usize) {
        if upto <= self.ready {
            return;
        }
        let start = self.ready.max(from).min(text.len());
        let to = upto.max(start.saturating_add(READ_STRETCH)).min(text.len());
        let base = text.as_ptr() as usize;
        populate(base + start, base + to, Use::Read);
        self.ready = to;
    }
}

/// Maps the pages of `bytes`, about to be read whole, in one call.
pub(crate) fn read_ahead(bytes: &[u8]) {
    let base = bytes.as_ptr() as usize;
    populate(base, base + bytes.len(), Use::Read);
}

/// Appends `src[from..]` to `dst`, each element through `edit`, a stretch at a time: each
/// stretch of `dst` is made ready before it is written, and each stretch of `src` given
/// back to the system once copied, so that the two together hold about one copy's pages
/// at any time (a copy whole holds both, on top of what other threads hold meanwhile).
pub(crate) fn append_moving<T: Copy>(
    dst: &mut Vec<T>,
    mut src: Vec<T>,
    from: usize,
    edit: impl Fn(T) -> T,
) {
    let size = std::mem::size_of::<T>().max(1);
    let per = (STRETCH / size).max(1);
    dst.reserve(src.len().saturating_sub(from));
    let mut at = from;
    while at < src.len() {
        let to = (at + per).min(src.len());
        let ready = dst.as_ptr() as usize + dst.len() * size;
        populate(ready, ready + (to - at) * size, Use::Write);
        dst.extend(src[at..to].iter().map(|&x| edit(x)));
        let done = src[at..to].as_mut_ptr_range();
        release(done.start as usize, done.end as usize);
        at = to;
    }
}

/// Gives the whole pages within `from..to`, the elements of a vector that will not be
/// read again, back to the system; they read as zeros if they are.
fn release(from: usize, to: usize) {
    if to.saturating_sub(from) < AT_LEAST {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        let (start, end) = (from.div_ceil(PAGE) * PAGE, to / PAGE * PAGE);
        if end > start {
            // SAFETY: the range lies inside a vector this function owns and reads no more
            // of; its elements are plain values, which read as zeros afterwards.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
            }
        }
    }
}

/// The page size this module rounds to: 4 KiB, the smallest any Linux machine uses (a
/// larger page is a whole number of them, so a range rounded to 4 KiB may leave part of a
/// page out, never take one in that lies outside).
#[cfg(target_os = "linux")]
const PAGE: usize = 4096;

/// Makes the whole pages within `from..to`, addresses inside one allocation or mapping
/// of this process, ready for `what`. Their bytes do not change.
fn populate(from: usize, to: usize, what: Use) {
    if to.saturating_sub(from) < AT_LEAST {
        return;
    }
    #[cfg(not(target_os = "linux"))]
    let _ = what;
    #[cfg(target_os = "linux")]
    {
        let start = from.div_ceil(PAGE) * PAGE;
        let end = to / PAGE * PAGE;
        if end > start {
            let advice = match what {
                Use::Read => libc::MADV_POPULATE_READ,
                Use::Write => libc::MADV_POPULATE_WRITE,
            };
            // SAFETY: the range lies inside an allocation or mapping this process owns;
            // populating maps its pages as a read or write would, without changing a byte
            // (a page past the end of a file truncated meanwhile fails the call, with no
            // signal). A kernel without these advices refuses them, and the pages fault as
            // they would anyway.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, advice);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vector made ready ahead of its writes holds what was written, across a move to a
    /// larger buffer.
    #[test]
    fn ready_pages_keep_what_is_written() {
        let mut v: Vec<u64> = Vec::with_capacity(1 << 16);
        let mut ahead = Ahead::default();
        for i in 0..(1u64 << 18) {
            if i % 1000 == 0 {
                ahead.before(&mut v, 1000);
            }
            v.push(i);
        }
        let src: Vec<u64> = (0..(1u64 << 18)).collect();
        append_moving(&mut v, src, 5, |x| x * 2);
        assert_eq!(v.len(), (1 << 19) - 5);
        assert!(v[..1 << 18].iter().enumerate().all(|(i, &x)| x == i as u64));
        assert!(v[1 << 18..]
            .iter()
            .enumerate()
            .all(|(i, &x)| x == 2 * (i as u64 + 5)));
    }
}
