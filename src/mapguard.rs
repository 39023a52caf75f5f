//! Reading a memory-mapped log that another process truncates.
//!
//! A large log is mapped rather than read (it is indexed at the speed memory delivers, and
//! costs no copy). If a writer then truncates the file (copytruncate, a task sequence
//! restarting its log), touching a mapped page past the new end raises SIGBUS, which would
//! kill the process with the terminal still in the explorer's modes.
//!
//! The design: every mapped log registers its address range here. A SIGBUS handler, installed
//! once, looks the faulting address up: inside a registered range, it maps an anonymous,
//! zero-filled page over the faulting one (`mmap` with `MAP_FIXED`, a plain system call, with
//! no lock taken in the C library) and marks the range as changed; the faulting load is then
//! retried and reads zeros. Outside every range, the handler puts back the action that was
//! there before and returns, so the fault happens again and ends the process as it would
//! have. The reader sees the bytes that were still in the file and NUL bytes past them;
//! [`Guarded::changed`] tells it the file changed, so it can say so.
//!
//! Files below [`crate::source::COPY_BELOW`] are read into memory instead and never fault.
//! Windows refuses to truncate a file that has a mapped view, so no guard is needed there.

use std::ops::Deref;

use memmap2::Mmap;

/// A mapped file whose pages past a truncation read as zeros instead of faulting.
pub(crate) struct Guarded {
    // Dropped before the map: the range is unregistered before it is unmapped.
    slot: Option<imp::Slot>,
    map: Mmap,
}

impl Guarded {
    /// Guards `map`, or returns it back when no guard can be set up (the caller then reads
    /// the file into memory instead).
    pub(crate) fn new(map: Mmap) -> Result<Guarded, Mmap> {
        match imp::Slot::register(map.as_ptr() as usize, map.len()) {
            Some(slot) => Ok(Guarded {
                slot: Some(slot),
                map,
            }),
            None if imp::NEEDED => Err(map),
            None => Ok(Guarded { slot: None, map }),
        }
    }

    /// True when some page of the map was found past the end of the file (it shrank after
    /// it was mapped): what was read there is zeros, not the file.
    pub(crate) fn changed(&self) -> bool {
        self.slot.as_ref().is_some_and(imp::Slot::faulted)
    }
}

impl Deref for Guarded {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.map
    }
}

#[cfg(unix)]
mod imp {
    use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
    use std::sync::Once;

    /// The guard is needed here: a truncated mapping faults.
    pub(super) const NEEDED: bool = true;

    /// Mapped logs open at once: a folder of logs opens one per file. Past this many, a log
    /// is read into memory instead.
    const SLOTS: usize = 256;

    struct Region {
        used: AtomicBool,
        start: AtomicUsize,
        end: AtomicUsize,
        faulted: AtomicBool,
    }

    #[allow(clippy::declare_interior_mutable_const)]
    const EMPTY: Region = Region {
        used: AtomicBool::new(false),
        start: AtomicUsize::new(0),
        end: AtomicUsize::new(0),
        faulted: AtomicBool::new(false),
    };

    static REGIONS: [Region; SLOTS] = [EMPTY; SLOTS];
    static PAGE: AtomicUsize = AtomicUsize::new(4096);
    static INSTALL: Once = Once::new();
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    /// The action that was in place before ours (a `*mut libc::sigaction`, leaked once).
    static PREVIOUS: AtomicPtr<libc::sigaction> = AtomicPtr::new(std::ptr::null_mut());

    pub(crate) struct Slot(usize);

    impl Slot {
        pub(super) fn register(start: usize, len: usize) -> Option<Slot> {
            INSTALL.call_once(install);
            if !INSTALLED.load(Ordering::SeqCst) || len == 0 {
                return None;
            }
            for (i, r) in REGIONS.iter().enumerate() {
                if r.used
                    .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
                {
                    r.faulted.store(false, Ordering::SeqCst);
                    r.end.store(start.saturating_add(len), Ordering::SeqCst);
                    r.start.store(start, Ordering::SeqCst);
                    return Some(Slot(i));
                }
            }
            None
        }

        pub(super) fn faulted(&self) -> bool {
            REGIONS
                .get(self.0)
                .is_some_and(|r| r.faulted.load(Ordering::SeqCst))
        }
    }

    impl Drop for Slot {
        fn drop(&mut self) {
            if let Some(r) = REGIONS.get(self.0) {
                r.start.store(0, Ordering::SeqCst);
                r.end.store(0, Ordering::SeqCst);
                r.used.store(false, Ordering::SeqCst);
            }
        }
    }

    fn install() {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if let Ok(p) = usize::try_from(page) {
            if p.is_power_of_two() {
                PAGE.store(p, Ordering::SeqCst);
            }
        }
        // SAFETY: a zeroed sigaction is a valid value to fill in; `on_bus` has the
        // signature SA_SIGINFO requires; `previous` is written by the kernel and leaked so
        // the handler can read it at any time.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_bus as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            let previous: &'static mut libc::sigaction = Box::leak(Box::new(std::mem::zeroed()));
            if libc::sigaction(libc::SIGBUS, &action, previous) == 0 {
                PREVIOUS.store(previous, Ordering::SeqCst);
                INSTALLED.store(true, Ordering::SeqCst);
            }
        }
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    unsafe fn fault_address(info: *const libc::siginfo_t) -> usize {
        // SAFETY: the kernel hands a valid siginfo for SIGBUS with SA_SIGINFO.
        unsafe { (*info).si_addr() as usize }
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    unsafe fn fault_address(info: *const libc::siginfo_t) -> usize {
        // SAFETY: as above.
        unsafe { (*info).si_addr as usize }
    }

    /// The SIGBUS handler. Only async-signal-safe work: atomics, `mmap`, `sigaction`.
    extern "C" fn on_bus(sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
        // SAFETY: see `fault_address`.
        let addr = unsafe { fault_address(info) };
        let page = PAGE.load(Ordering::Relaxed);
        for r in &REGIONS {
            let start = r.start.load(Ordering::SeqCst);
            let end = r.end.load(Ordering::SeqCst);
            if start == 0 || addr < start || addr >= end {
                continue;
            }
            let base = addr & !(page - 1);
            // SAFETY: the page lies in a read-only mapping this process made and still
            // owns (the range is unregistered before it is unmapped); replacing it with a
            // private zero page changes only what this process reads there.
            let got = unsafe {
                libc::mmap(
                    base as *mut libc::c_void,
                    page,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                )
            };
            if got != libc::MAP_FAILED {
                r.faulted.store(true, Ordering::SeqCst);
                return;
            }
            break;
        }
        // Not ours, or the page could not be replaced: fall back to what was there before,
        // and let the retried access fault again.
        let prev = PREVIOUS.load(Ordering::SeqCst);
        // SAFETY: `prev` is the leaked action filled in at install time (or null, in which
        // case the default is restored).
        unsafe {
            if prev.is_null() {
                libc::signal(sig, libc::SIG_DFL);
            } else {
                libc::sigaction(sig, prev, std::ptr::null_mut());
            }
        }
    }
}

#[cfg(not(unix))]
mod imp {
    /// No guard is needed: a mapped file cannot be truncated on Windows.
    pub(super) const NEEDED: bool = false;

    pub(crate) struct Slot;

    impl Slot {
        pub(super) fn register(_start: usize, _len: usize) -> Option<Slot> {
            None
        }

        pub(super) fn faulted(&self) -> bool {
            false
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_truncated_map_reads_zeros_and_says_so() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        let page = vec![b'x'; 1 << 16];
        for _ in 0..8 {
            f.write_all(&page).unwrap();
        }
        f.flush().unwrap();
        let map = unsafe { Mmap::map(f.as_file()) }.unwrap();
        let g = Guarded::new(map).ok().unwrap();
        assert!(!g.changed());
        assert_eq!(g[0], b'x');
        f.as_file().set_len(1 << 16).unwrap();
        // Past the new end: zeros, not a crash.
        let tail_sum: u64 = g[(1 << 17)..].iter().map(|&b| u64::from(b)).sum();
        assert_eq!(tail_sum, 0);
        assert!(g.changed());
        // Before it: the file as it still is.
        assert!(g[..(1 << 16)].iter().all(|&b| b == b'x'));
    }
}
