//! Times the user types: a clock time (`10:42`, `10:42:03.5`), a date and time
//! (`2026-03-10 10:42`, `03-10-2026 10:42:03`), and windows (`10:40 to 10:45`,
//! `10:40..10:45`, `-5m` for the five minutes up to the selected record, `+5m` after it,
//! `~5m` around it).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::log::Log;

/// A time as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// A clock time, on the date of the record it is read against.
    Clock(NaiveTime),
    /// A date and time.
    At(NaiveDateTime),
}

impl When {
    /// The full date and time, taking the date from `date` for a clock time.
    pub fn on(self, date: NaiveDate) -> NaiveDateTime {
        match self {
            When::Clock(t) => date.and_time(t),
            When::At(dt) => dt,
        }
    }
}

/// A window as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// From one time to another, both included: the end runs to the end of its last
    /// written unit (`10:45` to 10:45:59.999), the third value, in milliseconds.
    Between(When, When, i64),
    /// This many milliseconds before the selected record, up to it.
    Before(i64),
    /// From the selected record, this many milliseconds on.
    After(i64),
    /// This many milliseconds either side of the selected record.
    Around(i64),
}

/// Parses a clock time `HH:MM[:SS[.fff]]`.
fn clock(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m] => (*h, *m, "0"),
        [h, m, sec] => (*h, *m, *sec),
        _ => return None,
    };
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    let (sec, frac) = sec.split_once('.').unwrap_or((sec, ""));
    let sec: u32 = sec.parse().ok()?;
    let nanos = if frac.is_empty() {
        0
    } else if frac.len() <= 9 && frac.bytes().all(|b| b.is_ascii_digit()) {
        frac.parse::<u32>().ok()? * 10u32.pow(9 - frac.len() as u32)
    } else {
        return None;
    };
    NaiveTime::from_hms_nano_opt(h, m, sec, nanos)
}

/// Parses a date `YYYY-MM-DD` or CMTrace's `MM-DD-YYYY` (also with `/`).
fn date(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    if a.len() == 4 {
        NaiveDate::from_ymd_opt(a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)
    } else {
        NaiveDate::from_ymd_opt(c.parse().ok()?, a.parse().ok()?, b.parse().ok()?)
    }
}

/// Parses a time: a clock time, or a date and a clock time (space or `T` between).
pub fn parse_when(s: &str) -> Option<When> {
    let s = s.trim();
    if let Some((d, t)) = s.split_once([' ', 'T']) {
        return Some(When::At(date(d.trim())?.and_time(clock(t)?)));
    }
    clock(s).map(When::Clock)
}

/// The unit of the last part of a written time: a minute, a second or a millisecond.
fn unit_ms(s: &str) -> i64 {
    let clock = s.trim().rsplit([' ', 'T']).next().unwrap_or_default();
    if clock.contains('.') {
        1
    } else if clock.matches(':').count() >= 2 {
        1_000
    } else {
        60_000
    }
}

/// Parses a length: `90s`, `5m`, `2h`, `1h30m`.
fn length(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total = 0i64;
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        total += n * match c {
            's' => 1_000,
            'm' => 60_000,
            'h' => 3_600_000,
            'd' => 86_400_000,
            _ => return None,
        };
    }
    if !num.is_empty() {
        // A bare number is minutes, the unit an admin thinks in for "before the failure".
        total += num.parse::<i64>().ok()? * 60_000;
    }
    (total > 0).then_some(total)
}

/// Splits the word `failure` off the end of a window: `-5m failure` is the five minutes
/// before the record that says the run failed, wherever the cursor is.
pub fn split_failure(s: &str) -> (&str, bool) {
    let t = s.trim_end();
    let n = t.len();
    for word in ["failure", "fail"] {
        if n > word.len() {
            let (head, tail) = t.split_at(n - word.len());
            if tail.eq_ignore_ascii_case(word) && head.ends_with(char::is_whitespace) {
                return (head.trim_end(), true);
            }
        }
    }
    (s, false)
}

/// Parses a window. The error says what is understood.
pub fn parse_window(s: &str) -> Result<Window, String> {
    const HELP: &str = "e.g. 10:40 to 10:45, -5m, +5m, ~5m, -5m failure";
    let s = s.trim();
    let rel = |rest: &str| length(rest).ok_or_else(|| HELP.to_string());
    if let Some(rest) = s.strip_prefix('-') {
        return rel(rest).map(Window::Before);
    }
    if let Some(rest) = s.strip_prefix('+') {
        return rel(rest).map(Window::After);
    }
    if let Some(rest) = s.strip_prefix('~').or_else(|| s.strip_prefix('±')) {
        return rel(rest).map(Window::Around);
    }
    let (a, b) = s
        .split_once("..")
        .or_else(|| s.split_once(" to "))
        .ok_or_else(|| HELP.to_string())?;
    match (parse_when(a), parse_when(b)) {
        (Some(a), Some(w)) => Ok(Window::Between(a, w, unit_ms(b) - 1)),
        _ => Err(HELP.to_string()),
    }
}

/// A record's time in milliseconds, as written (`utc` false) or in UTC; `None` when it has
/// no readable date and time (or, in UTC, a bias no Windows zone has).
pub fn record_millis(log: &Log, pos: usize, utc: bool) -> Option<i64> {
    let ts = log.fields(log.at(pos)).timestamp()?;
    if utc {
        ts.utc()
    } else {
        Some(ts.local.and_utc().timestamp_millis())
    }
}

/// Milliseconds of a date and time taken as written.
pub fn millis(dt: NaiveDateTime) -> i64 {
    dt.and_utc().timestamp_millis()
}

/// The time of the first record at or after `pos` that has one (looking a little way on):
/// records with no time of their own sit with the one before.
fn time_from(log: &Log, pos: usize, utc: bool) -> Option<i64> {
    (pos..log.len().min(pos.saturating_add(64))).find_map(|p| record_millis(log, p, utc))
}

/// The first position whose time is at or after `t`, by binary search: the log is in time
/// order (one file as written, several merged by time), which a stray clock jump bends
/// but does not break.
pub fn first_at_or_after(log: &Log, t: i64, utc: bool) -> usize {
    let len = log.len();
    let (mut lo, mut hi) = (0usize, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match time_from(log, mid, utc) {
            Some(m) if m < t => lo = mid + 1,
            Some(_) => hi = mid,
            // No time from here to a little way on: look to the left half only if it has one.
            None => hi = mid,
        }
    }
    lo
}

/// The date and time a record was written, as written or in UTC.
pub fn record_datetime(log: &Log, pos: usize, utc: bool) -> Option<NaiveDateTime> {
    let m = time_from(log, pos, utc)?;
    chrono::DateTime::from_timestamp_millis(m).map(|d| d.naive_utc())
}

#[cfg(test)]
mod tests {

    #[test]
    fn failure_is_a_last_word_only() {
        assert_eq!(split_failure("-5m failure"), ("-5m", true));
        assert_eq!(split_failure("~2m  FAIL "), ("~2m", true));
        assert_eq!(split_failure("-5m"), ("-5m", false));
        assert_eq!(split_failure("failure"), ("failure", false));
        assert_eq!(split_failure("-5mfailure"), ("-5mfailure", false));
    }

    use super::*;

    #[test]
    fn times_and_windows_parse() {
        let t = |h, m, s| NaiveTime::from_hms_opt(h, m, s).unwrap_or_default();
        assert_eq!(parse_when("10:42"), Some(When::Clock(t(10, 42, 0))));
        assert_eq!(parse_when(" 10:42:03 "), Some(When::Clock(t(10, 42, 3))));
        let d = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_default();
        assert_eq!(
            parse_when("2026-03-10 10:42"),
            Some(When::At(d.and_time(t(10, 42, 0))))
        );
        assert_eq!(
            parse_when("03-10-2026T10:42"),
            Some(When::At(d.and_time(t(10, 42, 0))))
        );
        assert_eq!(parse_when("10"), None);
        assert_eq!(parse_when("25:00"), None);
        assert_eq!(parse_window("-5m"), Ok(Window::Before(300_000)));
        assert_eq!(parse_window("+90s"), Ok(Window::After(90_000)));
        assert_eq!(parse_window("~1h30m"), Ok(Window::Around(5_400_000)));
        assert_eq!(parse_window("-5"), Ok(Window::Before(300_000)));
        assert_eq!(
            parse_window("10:40 to 10:45"),
            Ok(Window::Between(
                When::Clock(t(10, 40, 0)),
                When::Clock(t(10, 45, 0)),
                59_999
            ))
        );
        assert!(parse_window("10:40..10:45").is_ok());
        assert!(parse_window("soon").is_err());
        assert!(parse_window("-0m").is_err());
    }
}
