//! CMTrace and SMS Trace times: `HH:MM:SS.fff+BIAS` and `MM-DD-YYYY`.
//!
//! The log shows local time; BIAS is minutes such that UTC = local + bias (Windows'
//! convention), so it is positive west of Greenwich and may be negative.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// A record's time as written, with its bias when the log gave one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Local date and time as the log wrote them.
    pub local: NaiveDateTime,
    /// Minutes to add to local time to get UTC.
    pub bias_minutes: Option<i32>,
}

/// The biases Windows writes, in minutes (UTC = local + bias): UTC+14 to UTC-12. A bias
/// outside them is damage, and applying it would put the record hours or weeks away.
pub const BIAS_RANGE: std::ops::RangeInclusive<i32> = -840..=720;

impl Timestamp {
    /// Milliseconds since the Unix epoch in UTC; local time when the log gave no bias, or a
    /// bias outside [`BIAS_RANGE`]. Orders and measures records; [`Timestamp::utc`] says
    /// whether the result is a UTC time.
    pub fn utc_millis(&self) -> i64 {
        self.utc()
            .unwrap_or_else(|| self.local.and_utc().timestamp_millis())
    }

    /// Milliseconds since the Unix epoch in UTC: local time when the log gave no bias,
    /// `None` when its bias lies outside [`BIAS_RANGE`].
    pub fn utc(&self) -> Option<i64> {
        let local = self.local.and_utc().timestamp_millis();
        match self.bias_minutes {
            None => Some(local),
            Some(b) if BIAS_RANGE.contains(&b) => Some(local + i64::from(b) * 60_000),
            Some(_) => None,
        }
    }
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
}

/// Parses `HH:MM:SS[.fraction][+-BIAS]`; the fraction may have 1 to 9 digits.
pub fn parse_time(s: &[u8]) -> Option<(NaiveTime, Option<i32>)> {
    let sign_at = s.iter().position(|&c| c == b'+' || c == b'-');
    let (clock, bias) = match sign_at {
        Some(i) => (&s[..i], Some(&s[i..])),
        None => (s, None),
    };
    let (hms, frac) = match clock.iter().position(|&c| c == b'.') {
        Some(i) => (&clock[..i], Some(&clock[i + 1..])),
        None => (clock, None),
    };
    let mut parts = hms.split(|&c| c == b':');
    let h = num(parts.next()?)?;
    let m = num(parts.next()?)?;
    let sec = num(parts.next()?)?;
    // NetSetup and Windows Installer write milliseconds after a colon (`12:00:00:000`).
    let frac = match (parts.next(), frac) {
        (Some(ms), None) => Some(ms),
        (None, frac) => frac,
        (Some(_), Some(_)) => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    let nanos = match frac {
        Some(f) if !f.is_empty() && f.len() <= 9 => num(f)? * 10u32.pow(9 - f.len() as u32),
        Some(_) => return None,
        None => 0,
    };
    let t = NaiveTime::from_hms_nano_opt(h, m, sec, nanos)?;
    let bias = match bias {
        Some(b) => {
            let v = num(&b[1..])? as i32;
            Some(if b[0] == b'-' { -v } else { v })
        }
        None => None,
    };
    Some((t, bias))
}

/// Parses `MM-DD-YYYY` (one- or two-digit month and day).
pub fn parse_date(s: &[u8]) -> Option<NaiveDate> {
    // A log writes the same date on thousands of records in a row: keep the last one read
    // on this thread.
    type Last = Option<([u8; 10], usize, NaiveDate)>;
    thread_local! {
        static LAST: std::cell::Cell<Last> = const { std::cell::Cell::new(None) };
    }
    if let Some((text, len, date)) = LAST.get() {
        if text.get(..len) == Some(s) {
            return Some(date);
        }
    }
    let date = read_date(s)?;
    if s.len() <= 10 {
        let mut text = [0u8; 10];
        text[..s.len()].copy_from_slice(s);
        LAST.set(Some((text, s.len(), date)));
    }
    Some(date)
}

/// [`parse_date`] without the cache.
fn read_date(s: &[u8]) -> Option<NaiveDate> {
    let mut parts = s.split(|&c| c == b'-' || c == b'/');
    let first = parts.next()?;
    let (m, d, y) = if first.len() == 4 {
        // `YYYY-MM-DD` (Windows Setup, CBS, DISM).
        let y = num(first)?;
        (num(parts.next()?)?, num(parts.next()?)?, y)
    } else {
        (num(first)?, num(parts.next()?)?, num(parts.next()?)?)
    };
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_times_with_bias_and_long_fractions() {
        let (t, b) = parse_time(b"10:22:50.123+480").unwrap();
        assert_eq!(t, NaiveTime::from_hms_milli_opt(10, 22, 50, 123).unwrap());
        assert_eq!(b, Some(480));
        let (t, b) = parse_time(b"10:22:50.8422964").unwrap();
        assert_eq!(
            t,
            NaiveTime::from_hms_nano_opt(10, 22, 50, 842_296_400).unwrap()
        );
        assert_eq!(b, None);
        assert_eq!(parse_time(b"01:02:03.004-330").unwrap().1, Some(-330));
        assert!(parse_time(b"garbage").is_none());
        assert!(parse_time(b"25:00:00.000+0").is_none());
    }

    #[test]
    fn repeated_and_alternating_dates_read_the_same() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        for _ in 0..2 {
            assert_eq!(parse_date(b"03-14-2024"), day(2024, 3, 14));
            assert_eq!(parse_date(b"03-14-2024"), day(2024, 3, 14));
            assert_eq!(parse_date(b"3-15-2024"), day(2024, 3, 15));
            assert_eq!(parse_date(b"03-14-2024-1"), None);
            assert_eq!(parse_date(b"03-14-202"), day(202, 3, 14));
            assert_eq!(parse_date(b"02-30-2024"), None);
            assert_eq!(parse_date(b"03-14-2024"), day(2024, 3, 14));
        }
    }

    #[test]
    fn parses_dates_and_utc() {
        assert_eq!(parse_date(b"1-2-2015"), NaiveDate::from_ymd_opt(2015, 1, 2));
        assert!(parse_date(b"13-40-2015").is_none());
        let d = parse_date(b"11-26-2026").unwrap();
        let (t, b) = parse_time(b"10:00:00.000+60").unwrap();
        let ts = Timestamp {
            local: d.and_time(t),
            bias_minutes: b,
        };
        let (t2, b2) = parse_time(b"11:00:00.000+0").unwrap();
        let ts2 = Timestamp {
            local: d.and_time(t2),
            bias_minutes: b2,
        };
        assert_eq!(ts.utc_millis(), ts2.utc_millis());
    }
}
