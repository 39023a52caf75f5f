//! Stage timings on standard error when `TSLENS_TIMINGS` is set, for profiling the
//! pipeline on large logs without a profiler (`TSLENS_TIMINGS=1 tslens report big.log`).

use std::sync::OnceLock;
use std::time::Instant;

pub(crate) fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("TSLENS_TIMINGS").is_some())
}

/// Prints how long it lived, under `name`, when timings are on.
pub struct Stage {
    name: &'static str,
    start: Option<Instant>,
}

impl Stage {
    /// Starts timing `name`.
    pub fn start(name: &'static str) -> Stage {
        Stage {
            name,
            start: enabled().then(Instant::now),
        }
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some(t) = self.start {
            eprintln!(
                "tslens: timing {:<24} {:8.1} ms",
                self.name,
                t.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}

/// Prints a count or other figure beside the timings, when timings are on.
pub fn note(args: std::fmt::Arguments<'_>) {
    if enabled() {
        eprintln!("tslens: timing {args}");
    }
}
