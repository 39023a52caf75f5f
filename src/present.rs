//! How tslens writes things for people, in one place, so that the report, the explorer and
//! the diagnosis never disagree: codes (hex and the symbolic name shown beside them), local
//! times, durations, short file names and where a run failed. Knows nothing of terminals.

use serde::Serialize;

/// A code as tslens writes codes (and the JSON contract wants them): `0x` and eight
/// upper-case hex digits.
pub fn hex(code: u32) -> String {
    Hex(code).to_string()
}

/// A code written as [`hex`] writes it, when it is shown or serialised: a report of a long
/// log holds tens of thousands, and building each as a string shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hex(pub u32);

impl Hex {
    /// The text, as ASCII bytes.
    pub(crate) fn bytes(self) -> [u8; 10] {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut b = *b"0x00000000";
        for (k, d) in b[2..].iter_mut().enumerate() {
            *d = DIGITS[(self.0 >> ((7 - k) * 4)) as usize & 0xF];
        }
        b
    }
}

/// A local time written as `YYYY-MM-DD HH:MM:SS.mmm` when it is shown or serialised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp(pub chrono::NaiveDateTime);

impl Stamp {
    /// The text, digit by digit: formatting machinery shows on logs with tens of thousands of steps.
    pub(crate) fn bytes(self) -> [u8; 23] {
        use chrono::{Datelike, Timelike};
        let t = self.0;
        let mut b = *b"0000-00-00 00:00:00.000";
        let mut put = |at: usize, mut v: u32, n: usize| {
            for d in b[at..at + n].iter_mut().rev() {
                *d = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, t.year().clamp(0, 9999) as u32, 4);
        put(5, t.month(), 2);
        put(8, t.day(), 2);
        put(11, t.hour(), 2);
        put(14, t.minute(), 2);
        put(17, t.second(), 2);
        put(20, t.nanosecond() / 1_000_000 % 1000, 3);
        b
    }
}

/// Shows and serialises a type by the ASCII bytes its `bytes` gives.
macro_rules! ascii_text {
    ($t:ty) => {
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let b = self.bytes();
                f.pad(std::str::from_utf8(&b).unwrap_or_default())
            }
        }
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let b = self.bytes();
                s.serialize_str(std::str::from_utf8(&b).unwrap_or_default())
            }
        }
    };
}
ascii_text!(Hex);
ascii_text!(Stamp);

/// The symbolic name shown beside a code, or None where Windows' name would mislead: a
/// FACILITY_ITF HRESULT is defined by the component that returned it (0x80040101 is not a
/// drag-and-drop error in a task sequence), and a customer-bit code by its vendor (but
/// SetupAPI's own 0xE000xxxx errors, which Microsoft defines). The full story, warnings
/// included, is `codes::decode`'s (the panel's Codes part, `lookup`).
pub fn code_name(code: u32) -> Option<&'static str> {
    // Read as an HRESULT (no customer, N or NTSTATUS-severity bits) with facility 4.
    let itf =
        code > 0xFFFF && code & 0x7000_0000 == 0 && crate::codes::hresult_facility(code).0 == 4;
    let setupapi = code >> 16 == 0xE000;
    let customer = code > 0xFFFF && code & 0x2000_0000 != 0 && !setupapi;
    if itf || customer {
        return None;
    }
    crate::codes::name(code)
}

/// The reading of a small number as the exit code of the tool whose log says the run
/// failed: MDT's error numbers have script names and messages, not Win32 ones (5212 is
/// "LiteTouch.wsf: Welcome wizard failed or was cancelled", not a cluster error).
pub fn tool_reading(
    code: u32,
    activity: Option<crate::analysis::ends::Activity>,
) -> Option<crate::codes::ToolReading> {
    let tool = match activity? {
        crate::analysis::ends::Activity::Mdt => crate::codes::MDT_TOOL,
        _ => return None,
    };
    if code > 0xFFFF {
        return None;
    }
    crate::codes::decode(code)
        .tool_readings
        .into_iter()
        .find(|r| r.tool == tool)
}

/// The name shown beside a run's exit code, wherever one is shown (the explorer's steps
/// title, the report's outcome line, the JSON's `summary.exit_code_name`): the tool's
/// reading when the log that failed is a tool's with numbers of its own (MDT), else
/// [`code_name`]; none for 0, which needs no name.
pub fn exit_code_name(
    code: u32,
    activity: Option<crate::analysis::ends::Activity>,
) -> Option<String> {
    if code == 0 {
        return None;
    }
    if activity == Some(crate::analysis::ends::Activity::Mdt) && code <= 0xFFFF {
        // Windows' name for the number would mislead; MDT's own, when its table has it.
        return tool_reading(code, activity).map(|r| match r.name {
            Some(n) => format!("{n}: {}", r.meaning.trim_end_matches('.')),
            None => r.meaning.trim_end_matches('.').to_string(),
        });
    }
    code_name(code).map(str::to_string)
}

/// The name shown beside a step's exit code (a task-sequence step's codes are Windows'):
/// [`code_name`], none for 0.
pub fn step_code_name(code: u32) -> Option<&'static str> {
    // Most steps end with 0: no lookup for them.
    if code == 0 {
        return None;
    }
    code_name(code)
}

/// A code with its name in brackets when it has one to show: `0x80070005 (E_ACCESSDENIED)`.
pub fn code_and_name(code: u32) -> String {
    match code_name(code) {
        Some(n) => format!("{} ({n})", Hex(code)),
        None => hex(code),
    }
}

/// A duration for people: `850ms`, `1.2s`, `4m05s`, `1h02m`.
pub fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else if ms < 3_600_000 {
        format!("{}m{:02}s", ms / 60_000, (ms / 1000) % 60)
    } else {
        format!("{}h{:02}m", ms / 3_600_000, (ms / 60_000) % 60)
    }
}

/// The file name of a path (Windows or Unix separators), for narrow columns.
pub fn short_name(path: &str) -> String {
    path.rsplit(['/', '\\'])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(path)
        .to_string()
}

/// Where the run failed, after "failed": `at step "Install App"` for a task-sequence step,
/// `in Domain join` for another log's activity or phase (ccmsetup, a domain join, an MSI
/// action), which is no step. Not sanitised: the caller's output decides how.
pub fn failure_place(name: &str, is_step: bool) -> String {
    if is_step {
        format!("at step \"{name}\"")
    } else {
        format!("in {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_eight_upper_case_digits() {
        assert_eq!(hex(0x8007_0005), "0x80070005");
        assert_eq!(hex(0x87d0_0324), "0x87D00324");
        assert_eq!(hex(5), "0x00000005");
        assert_eq!(format!("{:>12}", Hex(0xA)), "  0x0000000A");
        assert_eq!(
            serde_json::to_string(&Hex(0x8000_4005)).ok().as_deref(),
            Some("\"0x80004005\"")
        );
    }

    #[test]
    fn stamps_are_local_times_to_the_millisecond() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 3, 10)
            .and_then(|d| d.and_hms_milli_opt(9, 5, 7, 42));
        let Some(t) = t else {
            panic!("a valid date");
        };
        assert_eq!(Stamp(t).to_string(), "2026-03-10 09:05:07.042");
    }

    #[test]
    fn code_names_leave_out_the_ones_that_mislead() {
        assert_eq!(code_name(0x8007_0005), Some("E_ACCESSDENIED"));
        assert_eq!(code_name(2), Some("ERROR_FILE_NOT_FOUND"));
        // FACILITY_ITF: Windows calls 0x80040101 a drag-and-drop error; a task sequence's
        // component means something else by it.
        assert!(crate::codes::name(0x8004_0101).is_some());
        assert_eq!(code_name(0x8004_0101), None);
        // An NTSTATUS with facility 4 is not an ITF HRESULT.
        assert_eq!(
            code_name(0xC004_0035),
            crate::codes::name(0xC004_0035),
            "NTSTATUS keeps its name"
        );
        assert_eq!(
            code_and_name(0x8007_0002),
            "0x80070002 (ERROR_FILE_NOT_FOUND)"
        );
        assert_eq!(code_and_name(0x8004_0101), "0x80040101");
    }

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration(-5), "0ms");
        assert_eq!(duration(850), "850ms");
        assert_eq!(duration(1_250), "1.2s");
        assert_eq!(duration(62_000), "1m02s");
        assert_eq!(duration(3_725_000), "1h02m");
    }

    #[test]
    fn short_names_take_the_file_name_of_either_kind_of_path() {
        assert_eq!(short_name("C:\\Windows\\CCM\\Logs\\smsts.log"), "smsts.log");
        assert_eq!(short_name("/tmp/logs/ccmsetup.log"), "ccmsetup.log");
        assert_eq!(short_name("smsts.log"), "smsts.log");
        assert_eq!(short_name("dir/"), "dir/");
    }

    #[test]
    fn failure_places_say_step_or_activity() {
        assert_eq!(
            failure_place("Install App", true),
            "at step \"Install App\""
        );
        assert_eq!(failure_place("Domain join", false), "in Domain join");
    }
}
