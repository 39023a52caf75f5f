//! The line prefixes of the Windows logs a failed deployment leaves besides the
//! CMTrace ones: Windows Setup/Sysprep/CBS/DISM, NetSetup, Windows Installer, Windows
//! Update and SetupAPI. Each test reads a few bytes at the start of a line, so framing
//! stays a pass over bytes.
//!
//! Severity comes from the format's own field where it has one (Panther's level); the
//! others have none, so only the lines their writers use to report a failure count as
//! errors, never any line that merely contains the word.

use memchr::memmem;

use super::{Format, Severity};

fn digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(u8::is_ascii_digit)
}

/// A fixed-width line prefix, `0` standing for any ASCII digit, checked eight bytes at a
/// time: every line of a Windows Setup or CBS log is tested against one, and a byte at a
/// time cost as much as finding the line's end.
struct Shape<const N: usize> {
    /// Offsets of the 8-byte words that cover the prefix (the last may overlap the one
    /// before it).
    at: [usize; 3],
    /// Per word: the bytes that must be digits (0xFF each), and what the other bytes must be
    /// (0 where a digit goes).
    digit: [u64; 3],
    literal: [u64; 3],
}

impl<const N: usize> Shape<N> {
    const fn new(template: &[u8; N]) -> Shape<N> {
        assert!(N > 16 && N <= 24);
        let at = [0, 8, N - 8];
        let mut digit = [0u64; 3];
        let mut literal = [0u64; 3];
        let mut w = 0;
        while w < 3 {
            let mut k = 0;
            while k < 8 {
                let b = template[at[w] + k];
                if b == b'0' {
                    digit[w] |= 0xFF << (8 * k);
                } else {
                    literal[w] |= (b as u64) << (8 * k);
                }
                k += 1;
            }
            w += 1;
        }
        Shape { at, digit, literal }
    }

    /// Whether `head` has this shape: its other bytes equal, and each digit's byte is 0x30
    /// to 0x39 (high nibble 3; low nibble plus 6 stays below 16, so no carry leaves it).
    fn matches(&self, head: &[u8; N]) -> bool {
        const LOW: u64 = 0x0F0F_0F0F_0F0F_0F0F;
        let mut bad = 0u64;
        for w in 0..3 {
            let mut word = [0u8; 8];
            word.copy_from_slice(&head[self.at[w]..self.at[w] + 8]);
            let x = u64::from_le_bytes(word);
            let d = self.digit[w];
            bad |= (x & !d) ^ self.literal[w];
            bad |= (x & d & !LOW) ^ (0x3030_3030_3030_3030 & d);
            bad |= ((x & LOW) + 0x0606_0606_0606_0606) & 0x1010_1010_1010_1010 & d;
        }
        bad == 0
    }
}

/// Windows Setup's, Sysprep's, CBS's and DISM's line prefix.
static PANTHER_HEAD: Shape<21> = Shape::new(b"0000-00-00 00:00:00, ");

/// `2019-01-01 12:00:00, ` and the level word after it (`Info`, `Warning`, `Error`,
/// `Fatal Error`, `Perf`...), as Windows Setup, Sysprep, CBS and DISM write them.
pub(crate) fn panther(line: &[u8]) -> Option<Severity> {
    let head: &[u8; 21] = line.get(..21)?.try_into().ok()?;
    if !PANTHER_HEAD.matches(head) {
        return None;
    }
    let level = &line[21..];
    // Told by the level's first letter, then checked whole: most lines are `Info`.
    Some(match level.first() {
        Some(b'E') if level.starts_with(b"Error") => Severity::Error,
        Some(b'F') if level.starts_with(b"Fatal") => Severity::Error,
        Some(b'W') if level.starts_with(b"Warning") => Severity::Warning,
        _ => Severity::Info,
    })
}

/// `01/01/2019 12:00:00:000 ` (NetSetup.log), or `01/01 12:00:00 ` (before Windows 7).
pub(crate) fn netsetup(line: &[u8]) -> bool {
    let old = line.get(..15).is_some_and(|h| {
        digits(&h[0..2])
            && h[2] == b'/'
            && digits(&h[3..5])
            && h[5] == b' '
            && digits(&h[6..8])
            && h[8] == b':'
            && digits(&h[9..11])
            && h[11] == b':'
            && digits(&h[12..14])
            && h[14] == b' '
    });
    if old {
        return true;
    }
    let Some(head) = line.get(..24) else {
        return false;
    };
    digits(&head[0..2])
        && head[2] == b'/'
        && digits(&head[3..5])
        && head[5] == b'/'
        && digits(&head[6..10])
        && head[10] == b' '
        && digits(&head[11..13])
        && head[13] == b':'
        && digits(&head[14..16])
        && head[16] == b':'
        && digits(&head[17..19])
        && head[19] == b':'
        && digits(&head[20..23])
        && head[23] == b' '
}

/// NetSetup.log has no severity field; its functions report failure as a non-zero
/// `status: 0x...` (or `status of: 0x...`), or say they failed.
fn netsetup_severity(line: &[u8]) -> Severity {
    for needle in [&b"status: 0x"[..], b"status of: 0x", b"status = 0x"] {
        if let Some(i) = memmem::find(line, needle) {
            let hex = &line[i + needle.len()..];
            let end = hex
                .iter()
                .position(|c| !c.is_ascii_hexdigit())
                .unwrap_or(hex.len());
            if end > 0 && hex[..end].iter().any(|&c| c != b'0') {
                return Severity::Error;
            }
            return Severity::Info;
        }
    }
    if memmem::find(line, b" failed").is_some() || memmem::find(line, b"Failed").is_some() {
        Severity::Error
    } else {
        Severity::Info
    }
}

/// `2021/07/13 10:22:58.9553434 ` (WindowsUpdate.log as Get-WindowsUpdateLog decodes it:
/// a fraction of one to nine digits) or `2022-11-13<TAB>11:15:01:303<TAB>` (WindowsUpdate.log
/// before Windows 10).
pub(crate) fn windows_update(line: &[u8]) -> bool {
    let Some(head) = line.get(..20) else {
        return false;
    };
    let clock = |h: &[u8]| {
        digits(&h[0..2]) && h[2] == b':' && digits(&h[3..5]) && h[5] == b':' && digits(&h[6..8])
    };
    let date = |sep: u8| {
        digits(&head[0..4])
            && head[4] == sep
            && digits(&head[5..7])
            && head[7] == sep
            && digits(&head[8..10])
    };
    if head[10] == b'\t' {
        return date(b'-')
            && clock(&head[11..19])
            && head[19] == b':'
            && line
                .get(20..24)
                .is_some_and(|ms| digits(&ms[..3]) && ms[3] == b'\t');
    }
    if head[10] != b' ' || !date(b'/') || !clock(&head[11..19]) || head[19] != b'.' {
        return false;
    }
    let frac = line[20..].iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=9).contains(&frac) && line.get(20 + frac) == Some(&b' ')
}

/// Windows Update has no severity field; its agent marks a failed call `*FAILED*` (decoded
/// log) and its older log writes `FATAL:` and `WARNING:` before the message.
fn windows_update_severity(line: &[u8]) -> Severity {
    if memmem::find(line, b"*FAILED*").is_some() || memmem::find(line, b"FATAL:").is_some() {
        Severity::Error
    } else if memmem::find(line, b"WARNING:").is_some() {
        Severity::Warning
    } else {
        Severity::Info
    }
}

/// Office Click-to-Run's line prefix: its local time, then a tab.
static CLICK_TO_RUN_HEAD: Shape<24> = Shape::new(b"00/00/0000 00:00:00.000\t");

/// `05/09/2025 13:42:55.268<TAB>` (Office Click-to-Run's logs, tab-separated), and the
/// severity its level column (the seventh) says, in the trace levels Office writes:
/// `Critical` and `Unexpected` are errors, `Monitorable` a warning, `High`, `Medium`,
/// `Verbose` information.
pub(crate) fn click_to_run(line: &[u8]) -> Option<Severity> {
    let head: &[u8; 24] = line.get(..24)?.try_into().ok()?;
    if !CLICK_TO_RUN_HEAD.matches(head) {
        return None;
    }
    let level = line.split(|&c| c == b'\t').nth(6)?;
    Some(match level {
        b"Critical" | b"Unexpected" => Severity::Error,
        b"Monitorable" => Severity::Warning,
        _ => Severity::Info,
    })
}

/// The first line of a Windows event written as text: `Event[12]:` (`wevtutil qe ...
/// /f:text`; some copies drop the colon) or `Log Name:` (Event Viewer's "Copy details as
/// text"). The lines after it, up to the next event, are the event's.
pub(crate) fn event_text(line: &[u8]) -> bool {
    if let Some(rest) = line.strip_prefix(b"Event[") {
        let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
        let rest = &rest[n..];
        return n > 0
            && rest.first() == Some(&b']')
            && rest[1..]
                .strip_prefix(b":")
                .unwrap_or(&rest[1..])
                .iter()
                .all(u8::is_ascii_whitespace);
    }
    line.starts_with(b"Log Name:")
}

/// The severity an event's `Level:` line says (`  Level: Error` in wevtutil's text,
/// `Level:         Error` in Event Viewer's): Critical and Error are errors, Warning a
/// warning, anything else (Information, Verbose, N/A) information. `None` for another line.
pub(crate) fn event_level(line: &[u8]) -> Option<Severity> {
    let rest = line
        .strip_prefix(b"  Level:")
        .or_else(|| line.strip_prefix(b"Level:"))?;
    Some(match rest.trim_ascii() {
        b"Error" | b"Critical" => Severity::Error,
        b"Warning" => Severity::Warning,
        _ => Severity::Info,
    })
}

/// The event categories SetupAPI writes after a body line's five-byte prefix, as Microsoft's
/// "Format of a Text Log Section Body" lists them (bak, cci, cpy, dvi, flq, inf, ndv, prp,
/// reg, set, sig, sto, ump) and as Windows 10's logs add them (dvs, idb, cmd, pol, utl: in
/// libwdi issues #171 and #176, and in whole logs published on GitHub). A line starting with five spaces and one of these is
/// SetupAPI's anywhere; any other line goes on a SetupAPI region (see [`unprefixed`]), so a
/// plain or Setup log's indented lines are not taken for SetupAPI's.
const SETUPAPI_TAGS: [&[u8; 3]; 18] = [
    b"bak", b"cci", b"cpy", b"dvi", b"flq", b"inf", b"ndv", b"prp", b"reg", b"set", b"sig", b"sto",
    b"ump", b"dvs", b"idb", b"cmd", b"pol", b"utl",
];

/// The length of the event category that opens `rest` (a body line after its five-byte
/// prefix), with up to three spaces before it (`cmd:` lines carry one more): two or three
/// lower-case letters and a colon followed by a space or the line's end.
pub(crate) fn setupapi_tag(rest: &[u8]) -> Option<(usize, usize)> {
    let pad = rest.iter().take(4).take_while(|&&c| c == b' ').count();
    if pad > 3 {
        return None;
    }
    let t = &rest[pad..];
    let n = t
        .iter()
        .take(4)
        .take_while(|c| c.is_ascii_lowercase())
        .count();
    let after = t.get(n + 1).copied();
    ((2..=3).contains(&n)
        && t.get(n) == Some(&b':')
        && matches!(after, None | Some(b' ' | b'\r' | b'\n')))
    .then_some((pad, n))
}

/// A SetupAPI text log line (setupapi.dev.log, setupapi.app.log, setupapi.offline.log)
/// that says it is one, and its severity from its own prefix: `!!!  ` an error, `!    `
/// a warning, anything else information, except a section's `<<<  [Exit status:
/// FAILURE(...)]`. Section lines (`>>>  [Device Install ...]`, `>>>  Section start`,
/// `<<<  Section end`, `<<<  [Exit status`), the log's header and boot lines (`[Device
/// Install Log]`, `[BeginLog]`, `[Boot Session: 2020/03/16 11:42:03.500]`) and body lines
/// with a known category (see [`SETUPAPI_TAGS`]).
pub(crate) fn setupapi(line: &[u8]) -> Option<Severity> {
    let (head, rest) = line.split_first_chunk::<5>()?;
    match head {
        b">>>  " => {
            (rest.starts_with(b"[") || rest.starts_with(b"Section start")).then_some(Severity::Info)
        }
        b"<<<  " => {
            if rest.starts_with(b"[Exit status: FAILURE") {
                Some(Severity::Error)
            } else {
                (rest.starts_with(b"[Exit status") || rest.starts_with(b"Section end"))
                    .then_some(Severity::Info)
            }
        }
        b"!!!  " => setupapi_tag(rest).map(|_| Severity::Error),
        b"!    " => setupapi_tag(rest).map(|_| Severity::Warning),
        b"     " => {
            let (pad, n) = setupapi_tag(rest)?;
            let tag = rest.get(pad..pad + 3)?;
            (n == 3 && SETUPAPI_TAGS.iter().any(|t| &t[..] == tag)).then_some(Severity::Info)
        }
        b"[Boot" if rest.starts_with(b" Session: ") => Some(Severity::Info),
        b"[Devi" if rest.starts_with(b"ce Install Log]") => Some(Severity::Info),
        b"[Begi" if rest.starts_with(b"nLog]") => Some(Severity::Info),
        _ => None,
    }
}

/// `MSI (s) (1C:2C) [12:00:00:000]: ` or `Action start 12:00:00: ` / `Action ended
/// 12:00:00: ` (Windows Installer verbose logs).
pub(crate) fn msi(line: &[u8]) -> bool {
    (line.starts_with(b"MSI (") && line.get(6) == Some(&b')'))
        || line.starts_with(b"Action start ")
        || line.starts_with(b"Action ended ")
}

/// Windows Installer has no severity field: an action that returned 3, an installation
/// that ended with a non-zero status, a custom action's error code and the numbered
/// `Error NNNN.` lines are its failures.
fn msi_severity(line: &[u8]) -> Severity {
    const ERRORS: [&[u8]; 5] = [
        b"Return value 3",
        b"Installation operation failed",
        b"returned actual error code",
        b"Installation failed",
        b"failed with error code",
    ];
    if ERRORS.iter().any(|e| memmem::find(line, e).is_some()) {
        return Severity::Error;
    }
    if let Some(i) = memmem::find(line, b"success or error status: ") {
        let rest = &line[i + 25..];
        if rest.first().is_some_and(|&c| c != b'0') {
            return Severity::Error;
        }
    }
    let body = line.trim_ascii_start();
    if body.starts_with(b"Error ") && body.get(6).is_some_and(u8::is_ascii_digit) {
        return Severity::Error;
    }
    if body.starts_with(b"DEBUG: Error ") {
        return Severity::Warning;
    }
    Severity::Info
}

/// What a line that starts no record of its own is, in a region of `region` records:
/// `None` when it continues the record before it (Windows Setup writes dumps and
/// messages over several lines), else the format and severity of a record of its own.
pub(crate) fn unprefixed(region: Format, line: &[u8]) -> Option<(Format, Severity)> {
    if region == Format::EventText {
        // The event's fields and its description, up to the next event.
        return None;
    }
    if region == Format::ClickToRun {
        // Its every record is a line of its own with its level; a line without the
        // prefix says nothing of its severity.
        return Some((Format::Plain, Severity::Info));
    }
    if region == Format::SetupApi {
        // A body line whose category is not one of the known ones, or a message SetupAPI
        // wrapped onto a line of its own: information, as its blank prefix says.
        return Some((Format::SetupApi, Severity::Info));
    }
    let sev = match region {
        // DISM's and WIM's own trace lines (`[1712.2044] [0x80070002] FIOReadFile...`)
        // are events of their own; anything else continues the record.
        Format::Panther => {
            let own = line.first() == Some(&b'[') && line.get(1).is_some_and(u8::is_ascii_digit);
            own.then_some(Severity::Info)
        }
        // Property dumps and banners of an installer log; `Error 1920.` and friends are
        // the installer's failures.
        Format::Msi => Some(msi_severity(line)),
        Format::NetSetup => Some(netsetup_severity(line)),
        Format::WindowsUpdate => Some(windows_update_severity(line)),
        _ => Some(super::frame::word_severity(line)),
    };
    sev.map(|s| (Format::Plain, s))
}

/// The format and severity of a line that starts a record of one of these kinds.
pub(crate) fn prefixed(line: &[u8]) -> Option<(Format, Severity)> {
    match line.first()? {
        b'0'..=b'9' => {
            if let Some(sev) = panther(line) {
                Some((Format::Panther, sev))
            } else if netsetup(line) {
                Some((Format::NetSetup, netsetup_severity(line)))
            } else if windows_update(line) {
                Some((Format::WindowsUpdate, windows_update_severity(line)))
            } else {
                click_to_run(line).map(|sev| (Format::ClickToRun, sev))
            }
        }
        b'M' | b'A' if msi(line) => Some((Format::Msi, msi_severity(line))),
        b'E' | b'L' if event_text(line) => Some((Format::EventText, Severity::Info)),
        b'>' | b'<' | b'!' | b' ' | b'[' => setupapi(line).map(|sev| (Format::SetupApi, sev)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_each_prefix_and_reads_severity_from_the_level() {
        let p = b"2025-05-02 15:17:34, Error                 SP     Operation failed";
        assert_eq!(prefixed(p), Some((Format::Panther, Severity::Error)));
        let p = b"2025-05-02 15:17:34, Info                  DISM   API: failed to";
        assert_eq!(prefixed(p), Some((Format::Panther, Severity::Info)));
        let p = b"2025-05-02 15:17:34, Warning               CBS    x";
        assert_eq!(prefixed(p), Some((Format::Panther, Severity::Warning)));
        let n = b"09/19/2019 10:36:13:651 NetpDoDomainJoin: status: 0x54b";
        assert_eq!(prefixed(n), Some((Format::NetSetup, Severity::Error)));
        let n = b"09/19/2019 10:36:13:651 NetpDoDomainJoin: status: 0x0";
        assert_eq!(prefixed(n), Some((Format::NetSetup, Severity::Info)));
        let m = b"MSI (s) (1C:2C) [12:00:00:000]: Product: X -- Installation operation failed.";
        assert_eq!(prefixed(m), Some((Format::Msi, Severity::Error)));
        let m = b"Action ended 12:00:00: InstallFinalize. Return value 3.";
        assert_eq!(prefixed(m), Some((Format::Msi, Severity::Error)));
        let m = b"Action ended 12:00:00: CostFinalize. Return value 1.";
        assert_eq!(prefixed(m), Some((Format::Msi, Severity::Info)));
        // WindowsUpdate.log, decoded (gyojir's 0x80072F8F post) and before Windows 10
        // (LegacyUpdate issue #8; the pid may be padded with a space).
        let w = b"2023/03/21 22:19:01.8143606 19924 14968 Misc            *FAILED* [80072F8F] Send request";
        assert_eq!(prefixed(w), Some((Format::WindowsUpdate, Severity::Error)));
        let w = b"2023/03/21 22:19:01.4037009 19924 14968 SLS             Making request with URL";
        assert_eq!(prefixed(w), Some((Format::WindowsUpdate, Severity::Info)));
        let w =
            b"2022-11-13\t11:15:01:303\t1048\tfd4\tMisc\tWARNING: Send failed with hr = 80072efe.";
        assert_eq!(
            prefixed(w),
            Some((Format::WindowsUpdate, Severity::Warning))
        );
        let w = b"2022-11-13\t11:15:01:303\t 1048\tfd4\tAgent\tFATAL: x";
        assert_eq!(prefixed(w), Some((Format::WindowsUpdate, Severity::Error)));
        assert_eq!(prefixed(b"2023/03/21 22:19:01. x"), None);
        assert_eq!(prefixed(b"2022-11-13\t11:15:01\tx"), None);
        // SetupAPI (setupapi.dev.log), lines as libwdi issues #171 and #176 quote them
        // (after libwdi's own `libwdi:debug [syslog] ` prefix), and from a whole
        // setupapi.dev.log published on GitHub (OUALI42/CyberSecu, 3e9d7d0).
        let s = b"!!!  dvs:      Error 0xe0000246: One of the installers for this device cannot perform the installation at this time.";
        assert_eq!(prefixed(s), Some((Format::SetupApi, Severity::Error)));
        let s = b"!!!  ndv: Failed to install device instance 'ROOT\\HIDCLASS\\0000'. Error = 0x0000ffff";
        assert_eq!(prefixed(s), Some((Format::SetupApi, Severity::Error)));
        let s = b"!    sto:      Driver package already imported as 'dc1-controller.inf' (C:\\Windows\\System32\\DriverStore\\FileRepository\\dc1-controller.inf_x86_230256057f7eb7e2\\dc1-controller.inf).";
        assert_eq!(prefixed(s), Some((Format::SetupApi, Severity::Warning)));
        let s = b"<<<  [Exit status: FAILURE(0xe0000246)]";
        assert_eq!(prefixed(s), Some((Format::SetupApi, Severity::Error)));
        for s in [
            &b">>>  [Device Install (UpdateDriverForPlugAndPlayDevices) - USB\\VID_057E&PID_0337&REV_0100]"[..],
            b">>>  Section start 2020/01/24 22:07:54.559",
            b"      cmd: \"C:\\Users\\riley\\usb_driver\\installer_x64.exe\" \"WUP-028.inf\"",
            b"     ndv: {Update Device Driver - exit(0000ffff)}",
            b"<<<  Section end 2020/03/16 11:40:16.667",
            b"<<<  [Exit status: SUCCESS]",
            b"[Boot Session: 2020/03/16 11:42:03.500]",
            b"[Device Install Log]",
            b"[BeginLog]",
        ] {
            assert_eq!(prefixed(s), Some((Format::SetupApi, Severity::Info)));
        }
        // Written for this test: indented lines of other logs, and a body line with a
        // category SetupAPI is not known to write, are not taken for SetupAPI's outside
        // its region.
        for s in [
            &b"     OS Version = 10.0.17763"[..],
            b"     url: http://example",
            b"!!! not a tag",
            b">>> [one space]",
            b"<<<  something else",
            b"[Boot]",
        ] {
            assert_eq!(prefixed(s), None, "{}", String::from_utf8_lossy(s));
        }
        assert_eq!(
            unprefixed(Format::SetupApi, b"     OS Version = 10.0.17763"),
            Some((Format::SetupApi, Severity::Info))
        );
        // Office Click-to-Run, lines from YerongAI/Office-Tool issue #941 (as published).
        let c = b"01/03/2025 10:42:46.990\tSETUP (0x4d8c)\t0x2f0c\t\tActivity\tbjtcw\tMedium\tActivityEnded {\"Name\": \"Office.ClickToRun.UniversalBootstrapper.Execute3\", \"CV\": \"jzzQyggceUCTG2xfuwUrxA.6.3\", \"ProcessIdentifier\": \"setup.exe_16.0.18129.20158_X86_{CAD03C8F-1C08-4079-931B-6C5FBB052BC4}\"}\t";
        assert_eq!(prefixed(c), Some((Format::ClickToRun, Severity::Info)));
        // Written for this test: the other levels, and NetSetup's own time (':' before its
        // milliseconds, a space after) stays NetSetup's.
        let c =
            b"01/03/2025 10:42:46.990\tSETUP (0x4d8c)\t0x2f0c\t\tClick-To-Run\tx\tUnexpected\tm\t";
        assert_eq!(prefixed(c), Some((Format::ClickToRun, Severity::Error)));
        let c =
            b"01/03/2025 10:42:46.990\tSETUP (0x4d8c)\t0x2f0c\t\tClick-To-Run\tx\tMonitorable\tm\t";
        assert_eq!(prefixed(c), Some((Format::ClickToRun, Severity::Warning)));
        assert_eq!(prefixed(b"01/03/2025 10:42:46.990 x"), None);
        assert_eq!(prefixed(b"12345 plain"), None);
        assert_eq!(prefixed(b"Another line"), None);
    }

    /// The word-at-a-time prefix check agrees with a byte-at-a-time one.
    #[test]
    fn panther_shape_agrees_with_a_byte_check() {
        let template = b"0000-00-00 00:00:00, ";
        let by_byte = |h: &[u8; 21]| {
            h.iter().zip(template).all(|(&b, &t)| {
                if t == b'0' {
                    b.is_ascii_digit()
                } else {
                    b == t
                }
            })
        };
        let good = *b"2025-05-02 15:17:34, ";
        assert!(PANTHER_HEAD.matches(&good));
        // Every byte value at every position.
        for k in 0..21 {
            for v in 0..=255u8 {
                let mut h = good;
                h[k] = v;
                assert_eq!(PANTHER_HEAD.matches(&h), by_byte(&h), "{k} {v:#x}");
            }
        }
    }

    /// Windows events as text are one record each, with the severity of their `Level:`
    /// line. The wevtutil event is JeftaDirksen/BlockIP issue #1's second one (as
    /// published, `Event[1]` without its colon); the others are written for this test in
    /// the shapes wevtutil and Event Viewer's "Copy details as text" give.
    #[test]
    fn windows_events_as_text_are_one_record_each() {
        let text = b"Event[1]\n  Log Name: Security\n  Source: Microsoft-Windows-Security-Auditing\n  Date: 2021-12-25T07:31:58.8310000Z\n  Event ID: 4625\n  Task: N/A\n  Level: N/A\n  Opcode: N/A\n  Keyword: N/A\n  User: N/A\n  User Name: N/A\n  Computer: micro\n  Description: \nN/A\n\
Event[2]:\n  Log Name: System\n  Level: Error\n  Description: \nLevel: Information\n\nmore text\n\
Log Name:      System\nSource:        Service Control Manager\nLevel:         Warning\nDescription:\nsome text\nEvent Xml:\n<Event xmlns=\"x\">\n</Event>\n";
        let records = super::super::frame(text, 0, text.len(), 1, true).records;
        let got: Vec<(u32, Format, Severity)> = records
            .iter()
            .map(|r| (r.line, r.format(), r.severity()))
            .collect();
        assert_eq!(
            got,
            [
                (1, Format::EventText, Severity::Info),
                (15, Format::EventText, Severity::Error),
                (22, Format::EventText, Severity::Warning),
            ]
        );
        assert!(event_text(b"Event[0]:"));
        assert!(!event_text(b"Event[x]: y"));
        assert!(!event_text(b"Event[1] happened"));
    }

    #[test]
    fn unprefixed_lines_follow_their_region() {
        assert_eq!(unprefixed(Format::Panther, b"  more of the message"), None);
        assert_eq!(
            unprefixed(
                Format::Panther,
                b"[1712.2044] [0x80070002] FIOReadFileIntoBuffer"
            ),
            Some((Format::Plain, Severity::Info))
        );
        assert_eq!(
            unprefixed(Format::Msi, b"Property(S): ErrorDialog = ErrorDlg"),
            Some((Format::Plain, Severity::Info))
        );
        assert_eq!(
            unprefixed(Format::Msi, b"Error 1920. Service 'X' failed to start."),
            Some((Format::Plain, Severity::Error))
        );
    }
}
