//! Decoding one code: which reading applies (HRESULT, Win32 number,
//! NTSTATUS, Windows Setup), its name, severity, facility and meaning.

use std::fmt;

use serde::Serialize;

use super::facility::{hresult_facility, nt_facility};
use super::meanings::{extra_name, meaning_of, tool_readings, ToolReading};
use super::names::{NAMES, NTSTATUS_NAMES, WIN32_NAMES};
use super::{cbs, configmgr, dotnet, enrollment, intune, mdt, setupapi};

/// Where the generated Win32, HRESULT and NTSTATUS names come from.
const NAMES_SOURCE: &str =
    "windows-sys 0.61 (Microsoft's win32metadata, from the Windows SDK headers)";
/// Where the hand-written names of Windows Setup and a few other codes come from.
const EXTRA_SOURCE: &str = "Microsoft's Windows upgrade and update error documentation";
/// Where the one-line meanings come from.
const MEANINGS_SOURCE: &str = "tslens's own one-line reading";

/// The Win32 error number inside a value, and its `ERROR_*` name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Win32Info {
    /// The Win32 error number (what GetLastError returns).
    pub number: u32,
    /// Its symbolic name, e.g. `ERROR_FILE_NOT_FOUND`.
    pub name: Option<&'static str>,
}

/// Which layout the value was read with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// A COM/Windows HRESULT (the usual case for 8 hex digits).
    Hresult,
    /// A small number (1..=0xFFFF): a Win32 error or a process exit code.
    Win32,
    /// A native NTSTATUS (0xC..., or 0x4... informational).
    Ntstatus,
    /// An HRESULT that wraps an NTSTATUS (`HRESULT_FROM_NT`, N bit set).
    HresultFromNt,
    /// A Windows Setup (in-place upgrade) result, 0xC18xxxxx / 0xC19xxxxx.
    WindowsSetup,
    /// One of SetupAPI's own errors, 0xE000xxxx (`APPLICATION_ERROR_MASK |
    /// ERROR_SEVERITY_ERROR | n` in SetupAPI.h), as setupapi.dev.log writes them.
    SetupApi,
}

/// Everything tslens can say about one code; [`fmt::Display`] renders it
/// for people, serde for machines.
#[derive(Clone, Debug, Serialize)]
pub struct Decoded {
    /// The value as given.
    pub value: u32,
    /// `0x%08X`, upper case.
    pub hex: String,
    /// The value as a signed 32-bit number (how .NET and scripts print it).
    pub decimal: i64,
    /// The symbolic name, when one is known.
    pub name: Option<&'static str>,
    /// `success` or `failure`; for NTSTATUS readings `success`,
    /// `informational`, `warning` or `error`.
    pub severity: &'static str,
    /// The customer bit: a vendor, not Microsoft, defined the value.
    pub customer: bool,
    /// Facility number (for NTSTATUS readings, the NT facility).
    pub facility: u16,
    /// Facility name from winerror.h / ntstatus.h.
    pub facility_name: Option<&'static str>,
    /// The low 16 bits.
    pub code: u16,
    /// The Win32 error inside (FACILITY_WIN32, NTWIN32, or a small number).
    pub win32: Option<Win32Info>,
    /// One line in plain words.
    pub meaning: Option<&'static str>,
    /// Why the name or generic text may mislead, or what else to check.
    pub warning: Option<String>,
    /// The layout used to read the value.
    pub reading: Reading,
    /// For a small number: its `HRESULT_FROM_WIN32` form, the way other
    /// tools print it (`0x80070002` for 2).
    pub hresult_form: Option<String>,
    /// For a small number: what it means as the exit code of particular
    /// tools (msiexec, USMT), or as an MDT error number, which may differ
    /// from the Win32 reading.
    pub tool_readings: Vec<ToolReading>,
    /// The component's own text for the code, where it publishes one
    /// (ConfigMgr's message strings).
    pub message: Option<&'static str>,
    /// For FACILITY_HTTP (0x8019xxxx, BITS' BG_E_HTTP_ERROR_xxx and
    /// HTTP_E_STATUS_xxx): the HTTP status the server answered.
    pub http_status: Option<u16>,
    /// Windows Setup's extend code written after the result
    /// (`0xC1900101 - 0x4000D`), decoded; only when one was given.
    pub extend: Option<Extend>,
    /// Where the name, the message and the meaning come from.
    pub sources: Vec<&'static str>,
}

/// A Windows Setup extend code: the phase and operation in which Setup failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Extend {
    /// The extend code as written (`0x4000D`).
    pub hex: String,
    /// Its first digit read as the Setup phase.
    pub phase: &'static str,
    /// Its last byte read as the operation.
    pub operation: String,
}

impl Extend {
    /// Decodes an extend code such as 0x4000D.
    pub fn new(extend: u32) -> Extend {
        let (phase, operation) = describe_extend(extend);
        Extend {
            hex: format!("0x{extend:X}"),
            phase,
            operation,
        }
    }
}

impl fmt::Display for Extend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "extend code {}: phase {}, operation {}",
            self.hex, self.phase, self.operation
        )
    }
}

/// `HRESULT_FROM_WIN32`: 0 stays 0, anything else gets facility 7.
fn hresult_from_win32(n: u32) -> u32 {
    if n == 0 || n & 0x8000_0000 != 0 {
        n
    } else {
        0x8007_0000 | (n & 0xFFFF)
    }
}

fn find(table: &'static [(u32, &'static str)], value: u32) -> Option<&'static str> {
    table
        .binary_search_by_key(&value, |&(v, _)| v)
        .ok()
        .map(|i| table[i].1)
}

/// SetupAPI's row for a 0xE000xxxx value: its SetupAPI.h name, the SPAPI_E_* name of its
/// HRESULT form and Windows' text.
fn setupapi_row(value: u32) -> Option<&'static (u32, &'static str, &'static str, &'static str)> {
    if value >> 16 != 0xE000 {
        return None;
    }
    let i = setupapi::NAMES.binary_search_by_key(&value, |r| r.0).ok()?;
    setupapi::NAMES.get(i)
}

/// SetupAPI's row for a value in either of its forms: 0xE000xxxx, or its HRESULT
/// 0x800Fxxxx (SPAPI_E_*), whose text winerror.h gives.
fn setupapi_text_row(
    value: u32,
) -> Option<&'static (u32, &'static str, &'static str, &'static str)> {
    match value >> 16 {
        0x800F => setupapi_row(0xE000_0000 | (value & 0xFFFF)),
        _ => setupapi_row(value),
    }
}

/// `HRESULT_FROM_SETUPAPI` (winerror.h) of a SetupAPI error: its low 16 bits under
/// FACILITY_SETUPAPI.
fn hresult_from_setupapi(value: u32) -> u32 {
    0x800F_0000 | (value & 0xFFFF)
}

fn win32_name(n: u32) -> Option<&'static str> {
    find(WIN32_NAMES, n)
}

fn is_setup(value: u32) -> bool {
    matches!(value >> 20, 0xC18 | 0xC19) || value >> 16 == 0xC770
}

/// The reading a value gets, by the rules in the module documentation.
fn reading_of(value: u32) -> Reading {
    if value != 0 && value <= 0xFFFF {
        return Reading::Win32;
    }
    if is_setup(value) {
        return Reading::WindowsSetup;
    }
    // The customer bit set by Microsoft's own SetupAPI: read so only where SetupAPI.h
    // defines the value, so a vendor's 0xE000xxxx stays a vendor's.
    if setupapi_row(value).is_some() {
        return Reading::SetupApi;
    }
    let customer = value & 0x2000_0000 != 0;
    let n_bit = value & 0x1000_0000 != 0;
    if n_bit && !customer && value & 0x8000_0000 != 0 {
        return Reading::HresultFromNt;
    }
    match value >> 30 {
        // Severity "error": never a valid HRESULT without the N bit.
        3 => Reading::Ntstatus,
        // 0x4xxxxxxx sets HRESULT's reserved bit: an informational NTSTATUS.
        1 if !customer => Reading::Ntstatus,
        _ => Reading::Hresult,
    }
}

/// The symbolic name of a code. Small numbers (1..=0xFFFF) are read as
/// Win32 errors; 0x8007xxxx prefers the generic COM name (`E_ACCESSDENIED`)
/// and otherwise the Win32 `ERROR_*` name.
pub fn name(value: u32) -> Option<&'static str> {
    match reading_of(value) {
        Reading::Win32 => win32_name(value),
        Reading::WindowsSetup => extra_name(value).or_else(|| find(NAMES, value)),
        Reading::SetupApi => setupapi_row(value).map(|r| r.1),
        Reading::Ntstatus => find(NTSTATUS_NAMES, value).or_else(|| find(NAMES, value)),
        Reading::HresultFromNt => {
            find(NAMES, value).or_else(|| find(NTSTATUS_NAMES, value & !0x1000_0000))
        }
        Reading::Hresult => {
            if let Some(n) = extra_name(value).or_else(|| find(cbs::NAMES, value)) {
                return Some(n);
            }
            let hr = find(NAMES, value);
            if value >> 16 == 0x8007 {
                if let Some(n) = hr.filter(|n| n.starts_with("E_")) {
                    return Some(n);
                }
                if let Some(n) = win32_name(value & 0xFFFF) {
                    return Some(n);
                }
            }
            hr.or_else(|| enrollment_name(value))
                .or_else(|| find(NTSTATUS_NAMES, value))
        }
    }
}

/// The one-line meaning of a code, when tslens has one. Small numbers use
/// the meaning of their `HRESULT_FROM_WIN32` form.
pub fn meaning(value: u32) -> Option<&'static str> {
    match reading_of(value) {
        Reading::Win32 => meaning_of(hresult_from_win32(value)),
        Reading::HresultFromNt => meaning_of(value).or_else(|| meaning_of(value & !0x1000_0000)),
        Reading::SetupApi => meaning_of(hresult_from_setupapi(value)),
        // ConfigMgr's own text stands in where tslens has no reading of its own.
        _ => meaning_of(value).or_else(|| configmgr_message(value)),
    }
}

/// ConfigMgr's own message for one of its codes (facility 2000, 0x87D0xxxx..), or
/// Intune's, Autopilot's, device registration's or Delivery Optimization's published text
/// for codes ConfigMgr's table lacks.
fn configmgr_message(value: u32) -> Option<&'static str> {
    if let Some(r) = setupapi_text_row(value) {
        return Some(r.3);
    }
    find(configmgr::MESSAGES, value)
        .or_else(|| find(intune::MESSAGES, value))
        .or_else(|| find(enrollment::MESSAGES, value))
        .or_else(|| find(enrollment::DO_MESSAGES, value))
}

/// The name Microsoft's enrollment, device registration, Delivery Optimization or .NET
/// documentation gives a code the Windows SDK metadata does not name.
fn enrollment_name(value: u32) -> Option<&'static str> {
    find(enrollment::NAMES, value)
        .or_else(|| find(enrollment::DO_NAMES, value))
        .or_else(|| find(dotnet::NAMES, value))
}

/// The HTTP status inside a FACILITY_HTTP value (0x801901F4 is HTTP 500).
fn http_status(value: u32) -> Option<u16> {
    let code = value & 0xFFFF;
    (value >> 16 == 0x8019 && (100..=599).contains(&code)).then_some(code as u16)
}

/// The MDT error number's script and message, as a reading of a small number.
fn mdt_reading(number: u32) -> Option<ToolReading> {
    let i = mdt::FAILURES.binary_search_by_key(&number, |e| e.0).ok()?;
    let (_, script, message, _) = mdt::FAILURES[i];
    Some(ToolReading {
        tool: MDT,
        name: Some(script),
        meaning: message,
    })
}

/// The tool name MDT readings carry.
pub(crate) const MDT: &str = "MDT (LiteTouch / ZTI scripts, FAILURE ( n ))";

/// Which tables the name, message and meaning of a decoded value came from.
fn sources_of(d: &Decoded) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut add = |s: &'static str| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    if let Some(n) = d.name {
        if setupapi_row(d.value).is_some_and(|r| r.1 == n) {
            add(setupapi::SOURCE);
        } else if find(cbs::NAMES, d.value) == Some(n) {
            add(cbs::SOURCE);
        } else if extra_name(d.value) == Some(n) {
            add(EXTRA_SOURCE);
        } else if find(enrollment::NAMES, d.value) == Some(n) {
            add(enrollment::SOURCE);
        } else if find(enrollment::DO_NAMES, d.value) == Some(n) {
            add(enrollment::DO_SOURCE);
        } else if find(dotnet::NAMES, d.value) == Some(n) {
            add(dotnet::SOURCE);
        } else {
            add(NAMES_SOURCE);
        }
    } else if d.win32.is_some_and(|w| w.name.is_some()) {
        add(NAMES_SOURCE);
    }
    if d.message.is_some() {
        if setupapi_text_row(d.value).is_some() {
            add(setupapi::SOURCE);
        } else if find(configmgr::MESSAGES, d.value).is_some() {
            add(configmgr::SOURCE);
        } else if find(intune::MESSAGES, d.value).is_some() {
            add(intune::SOURCE);
        } else if find(enrollment::MESSAGES, d.value).is_some() {
            add(enrollment::SOURCE);
        } else {
            add(enrollment::DO_SOURCE);
        }
    }
    if d.meaning.is_some() && d.meaning != d.message {
        add(MEANINGS_SOURCE);
    }
    if d.tool_readings.iter().any(|t| t.tool == MDT) {
        add(mdt::SOURCE);
    }
    out
}

const ITF_WARNING: &str = "FACILITY_ITF: the component that returned this value defines its \
     meaning, not Windows; Windows' generic text for it (OLE, drag-and-drop) is usually wrong \
     in deployment logs. Read the lines before it.";

fn nt_severity(value: u32) -> &'static str {
    match value >> 30 {
        0 => "success",
        1 => "informational",
        2 => "warning",
        _ => "error",
    }
}

/// Decodes a code. Never fails: unknown values still get their layout
/// (severity, customer bit, facility, code) so the reader learns which
/// subsystem produced them.
pub fn decode(value: u32) -> Decoded {
    let reading = reading_of(value);
    let mut warnings: Vec<String> = Vec::new();
    let customer = value & 0x2000_0000 != 0;
    let mut d = Decoded {
        value,
        hex: format!("0x{value:08X}"),
        decimal: i64::from(value as i32),
        name: name(value),
        severity: if value & 0x8000_0000 != 0 {
            "failure"
        } else {
            "success"
        },
        customer,
        facility: 0,
        facility_name: None,
        code: (value & 0xFFFF) as u16,
        win32: None,
        meaning: meaning(value),
        warning: None,
        reading,
        hresult_form: None,
        tool_readings: Vec::new(),
        message: configmgr_message(value),
        http_status: http_status(value),
        extend: None,
        sources: Vec::new(),
    };
    match reading {
        Reading::Win32 => {
            let hr = hresult_from_win32(value);
            (d.facility, d.facility_name) = hresult_facility(hr);
            d.win32 = Some(Win32Info {
                number: value,
                name: win32_name(value),
            });
            d.hresult_form = Some(format!("0x{hr:08X}"));
            d.tool_readings = tool_readings(value);
            d.tool_readings.extend(mdt_reading(value));
            // The reboot codes report success even though they are not 0.
            d.severity = match value {
                1641 | 3010 | 3011 => "success",
                _ => "failure",
            };
            if d.name.is_none() && d.tool_readings.is_empty() {
                warnings.push(
                    "No Win32 error has this number; it may be a tool's own exit code.".into(),
                );
            }
        }
        Reading::Hresult => {
            (d.facility, d.facility_name) = hresult_facility(value);
            if value == 0 {
                d.win32 = Some(Win32Info {
                    number: 0,
                    name: win32_name(0),
                });
            } else if value >> 16 == 0x8007 {
                let n = value & 0xFFFF;
                d.win32 = Some(Win32Info {
                    number: n,
                    name: win32_name(n),
                });
            }
            if d.facility == 4 && !customer {
                warnings.push(itf_warning(value, find(NAMES, value)));
            }
            if matches!(value, 0x8007_0669 | 0x8007_0BC2 | 0x8007_0BC3) {
                warnings.push(
                    "Written as a failure HRESULT, but the Win32 code inside reports success \
                     with a restart."
                        .into(),
                );
            }
            if value >> 16 == 0x8000 {
                match find(NTSTATUS_NAMES, value) {
                    Some(nt) if Some(nt) == d.name => warnings.push(
                        "No HRESULT is defined with this value; the name is its NTSTATUS \
                         reading (a warning-level status)."
                            .into(),
                    ),
                    Some(nt) => warnings.push(format!(
                        "Read as an NTSTATUS this is {nt}; the HRESULT reading is the usual one."
                    )),
                    None => {}
                }
            }
        }
        Reading::Ntstatus => {
            d.severity = nt_severity(value);
            (d.facility, d.facility_name) = nt_facility(value);
            if d.facility == 7 {
                let n = value & 0xFFFF;
                d.win32 = Some(Win32Info {
                    number: n,
                    name: win32_name(n),
                });
            }
        }
        Reading::HresultFromNt => {
            let nt = value & !0x1000_0000;
            (d.facility, d.facility_name) = nt_facility(nt);
            warnings.push(format!(
                "An HRESULT wrapping NTSTATUS 0x{nt:08X} (HRESULT_FROM_NT); the facility shown \
                 is the NT one."
            ));
        }
        Reading::SetupApi => {
            let hr = hresult_from_setupapi(value);
            (d.facility, d.facility_name) = hresult_facility(hr);
            d.severity = "failure";
            d.hresult_form = Some(format!("0x{hr:08X}"));
            if let Some(r) = setupapi_row(value) {
                warnings.push(format!(
                    "SetupAPI's own error ({} in SetupAPI.h: APPLICATION_ERROR_MASK | \
                     ERROR_SEVERITY_ERROR | 0x{:X}); as an HRESULT (HRESULT_FROM_SETUPAPI) it \
                     is 0x{hr:08X} {}.",
                    r.1,
                    value & 0xFFFF,
                    r.2
                ));
            }
        }
        Reading::WindowsSetup => {
            (d.facility, d.facility_name) = nt_facility(value);
            d.severity = if value == 0xC190_0210 {
                "success"
            } else {
                "failure"
            };
            if value == 0xC190_0101 {
                warnings.push(
                    "Read it with the extend code that follows (e.g. 0xC1900101 - 0x4000D): \
                     its first digit is the phase, its last byte the operation."
                        .into(),
                );
            }
            if d.meaning.is_none() {
                let low = value & 0xFFFF;
                let alt = find(NTSTATUS_NAMES, 0xC000_0000 | low)
                    .map(|n| format!("NTSTATUS 0x{:08X} {n}", 0xC000_0000 | low))
                    .or_else(|| win32_name(low).map(|n| format!("Win32 {low} {n}")));
                warnings.push(match alt {
                    Some(a) => format!(
                        "Unlisted Windows Setup code; Microsoft suggests reading its last four \
                         digits on their own: {a}."
                    ),
                    None => "Unlisted Windows Setup code; check setupact.log and \
                             setuperr.log around it."
                        .into(),
                });
            }
        }
    }
    if customer && !matches!(reading, Reading::Win32 | Reading::SetupApi) {
        warnings.push(
            "Customer bit set: a vendor defined this value, so Windows' tables do not describe it."
                .into(),
        );
    }
    if !warnings.is_empty() {
        d.warning = Some(warnings.join(" "));
    }
    d.sources = sources_of(&d);
    d
}

/// Decodes a code together with the Windows Setup extend code written after it
/// (`0xC1900101 - 0x4000D`, `0x800F0818-0x20003`).
pub fn decode_with_extend(value: u32, extend: Option<u32>) -> Decoded {
    let mut d = decode(value);
    d.extend = extend.map(Extend::new);
    d
}

/// Reads a `tslens lookup` argument that may carry a Windows Setup extend code:
/// `0xC1900101-0x4000D` gives the code and the extend code; anything else is read
/// by [`parse_code_arg`].
pub fn parse_code_with_extend(s: &str) -> Result<(u32, Option<u32>), CodeArgError> {
    let t = s.trim();
    if let Some(i) = t.get(1..).and_then(|r| r.find('-')).map(|i| i + 1) {
        let ext = t[i + 1..].trim();
        if let Some(x) = ext.strip_prefix("0x").or_else(|| ext.strip_prefix("0X")) {
            if !x.is_empty() && x.len() <= 8 && x.bytes().all(|c| c.is_ascii_hexdigit()) {
                let code = parse_code_arg(&t[..i])?;
                let e = u32::from_str_radix(x, 16).map_err(|_| CodeArgError::NotACode(s.into()))?;
                return Ok((code, Some(e)));
            }
        }
    }
    parse_code_arg(t).map(|v| (v, None))
}

fn itf_warning(value: u32, windows_name: Option<&str>) -> String {
    match value {
        0x8004_1000..=0x8004_10FF | 0x8004_2000..=0x8004_2FFF | 0x0004_1000..=0x0004_10FF => {
            "FACILITY_ITF: defined by the component that returned it; in practice this range \
             belongs to WMI."
                .into()
        }
        0x8004_1300..=0x8004_133F | 0x0004_1300..=0x0004_133F => {
            "FACILITY_ITF: defined by the component that returned it; in practice this range \
             belongs to Task Scheduler."
                .into()
        }
        _ => match windows_name {
            Some(n) => format!("{ITF_WARNING} ({n} is only Windows' OLE-era name for the number.)"),
            None => ITF_WARNING.into(),
        },
    }
}

/// Phase and operation of a Windows Setup extend code (the `0x4000D` in
/// `0xC1900101 - 0x4000D`). The tables are those of Microsoft's "Upgrade error
/// codes" page (windows-itpro-docs, windows/deployment/upgrade/upgrade-error-codes.md,
/// written for Windows 10 1607): the first digit is the phase, the last byte the
/// operation (SP_EXECUTION_OP_*; the page's own "INSTALL_DRVIERS" typo corrected).
pub fn describe_extend(extend: u32) -> (&'static str, String) {
    let phase = match extend >> 16 {
        0 => "UNKNOWN",
        1 => "DOWNLEVEL (running in the old OS)",
        2 => "SAFE_OS (WinRE-based setup phase)",
        3 => "FIRST_BOOT (first restart into the new OS)",
        4 => "OOBE_BOOT (second restart, out-of-box experience)",
        5 => "UNINSTALL (rolling back)",
        _ => "not published",
    };
    const OPS: [&str; 0x21] = [
        "UNKNOWN",
        "COPY_PAYLOAD",
        "DOWNLOAD_UPDATES",
        "INSTALL_UPDATES",
        "INSTALL_RECOVERY_ENVIRONMENT",
        "INSTALL_RECOVERY_IMAGE",
        "REPLICATE_OC",
        "INSTALL_DRIVERS",
        "PREPARE_SAFE_OS",
        "PREPARE_ROLLBACK",
        "PREPARE_FIRST_BOOT",
        "PREPARE_OOBE_BOOT",
        "APPLY_IMAGE",
        "MIGRATE_DATA",
        "SET_PRODUCT_KEY",
        "ADD_UNATTEND",
        "ADD_DRIVER",
        "ENABLE_FEATURE",
        "DISABLE_FEATURE",
        "REGISTER_ASYNC_PROCESS",
        "REGISTER_SYNC_PROCESS",
        "CREATE_FILE",
        "CREATE_REGISTRY",
        "BOOT",
        "SYSPREP",
        "OOBE",
        "BEGIN_FIRST_BOOT",
        "END_FIRST_BOOT",
        "BEGIN_OOBE_BOOT",
        "END_OOBE_BOOT",
        "PRE_OOBE",
        "POST_OOBE",
        "ADD_PROVISIONING_PACKAGE",
    ];
    let op = (extend & 0xFF) as usize;
    let operation = match OPS.get(op) {
        Some(o) => (*o).to_string(),
        None => format!("0x{op:02X} (not published)"),
    };
    (phase, operation)
}

/// Why a command-line argument is not an error code.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CodeArgError {
    /// Not hex and not a decimal number.
    #[error("'{0}' is not an error code (expected hex like 0x80070002 or a decimal number)")]
    NotACode(String),
    /// A number, but it does not fit in 32 bits.
    #[error("'{0}' is out of range: error codes are 32-bit values")]
    OutOfRange(String),
}

/// Reads a code as typed for `tslens lookup`: `0x80070002`, `80070002`,
/// `8009100e`, `-2147024894`, `2147942402`, or a small Win32 number such as
/// `2`, which stays 2 (decode shows it as Win32 and as HRESULT).
///
/// Eight digits starting with 8 or 9 are read as hex, as in logs; any other
/// run of digits is decimal, and any other run of hex digits is hex.
pub fn parse_code_arg(s: &str) -> Result<u32, CodeArgError> {
    let t = s.trim();
    let not_code = || CodeArgError::NotACode(s.to_string());
    let out_of_range = || CodeArgError::OutOfRange(s.to_string());
    let is_hex = |d: &str| !d.is_empty() && d.bytes().all(|c| c.is_ascii_hexdigit());
    let hex = |d: &str| {
        if d.len() > 8 {
            Err(out_of_range())
        } else {
            u32::from_str_radix(d, 16).map_err(|_| not_code())
        }
    };
    if let Some(d) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return if is_hex(d) { hex(d) } else { Err(not_code()) };
    }
    if let Some(d) = t.strip_prefix('-') {
        if d.is_empty() || !d.bytes().all(|c| c.is_ascii_digit()) {
            return Err(not_code());
        }
        let n: u64 = d.parse().map_err(|_| out_of_range())?;
        return match n {
            0 => Ok(0),
            1..=0x8000_0000 => Ok(((1u64 << 32) - n) as u32),
            _ => Err(out_of_range()),
        };
    }
    if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) {
        if t.len() == 8 && matches!(t.as_bytes()[0], b'8' | b'9') {
            return hex(t);
        }
        let n: u64 = t.parse().map_err(|_| out_of_range())?;
        return u32::try_from(n).map_err(|_| out_of_range());
    }
    if is_hex(t) {
        return hex(t);
    }
    Err(not_code())
}

impl fmt::Display for Decoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = |f: &mut fmt::Formatter<'_>, l: &str| write!(f, "  {l:<10} ");
        if self.reading == Reading::Win32 {
            write!(f, "{}", self.value)?;
            if let Some(n) = self.name {
                write!(f, "  {n}")?;
            }
            writeln!(f, "  (a Win32 error number or process exit code)")?;
        } else {
            write!(f, "{}", self.hex)?;
            if let Some(n) = self.name {
                write!(f, "  {n}")?;
            }
            writeln!(f)?;
        }
        if let Some(e) = &self.extend {
            label(f, "Extend:")?;
            writeln!(
                f,
                "{} - phase {}, operation {}",
                e.hex, e.phase, e.operation
            )?;
        }
        if let Some(m) = self.message.filter(|m| Some(*m) != self.meaning) {
            label(f, "Message:")?;
            writeln!(f, "{m}")?;
        }
        if let Some(m) = self.meaning {
            label(f, "Meaning:")?;
            writeln!(f, "{m}")?;
        }
        if let Some(h) = self.http_status {
            label(f, "HTTP:")?;
            writeln!(f, "status {h} from the server")?;
        }
        match (&self.hresult_form, self.reading) {
            (Some(hr), Reading::Win32) => {
                label(f, "HRESULT:")?;
                writeln!(
                    f,
                    "{hr} (HRESULT_FROM_WIN32({}), the form most tools print)",
                    self.value
                )?;
            }
            (Some(hr), Reading::SetupApi) => {
                label(f, "HRESULT:")?;
                let name = parse_code_arg(hr).ok().and_then(name);
                writeln!(
                    f,
                    "{hr}{} (HRESULT_FROM_SETUPAPI)",
                    name.map(|n| format!(" {n}")).unwrap_or_default()
                )?;
                label(f, "Decimal:")?;
                writeln!(f, "{} (unsigned {})", self.decimal, self.value)?;
            }
            _ => {
                label(f, "Decimal:")?;
                if self.decimal < 0 {
                    writeln!(f, "{} (unsigned {})", self.decimal, self.value)?;
                } else {
                    writeln!(f, "{}", self.decimal)?;
                }
            }
        }
        label(f, "Read as:")?;
        writeln!(
            f,
            "{}",
            match self.reading {
                Reading::Hresult => "HRESULT",
                Reading::Win32 => "Win32 error",
                Reading::Ntstatus => "NTSTATUS",
                Reading::HresultFromNt => "HRESULT wrapping an NTSTATUS",
                Reading::WindowsSetup => "Windows Setup result",
                Reading::SetupApi => "SetupAPI error (setupapi.dev.log, SetupAPI.h)",
            }
        )?;
        label(f, "Severity:")?;
        writeln!(f, "{}", self.severity)?;
        label(f, "Facility:")?;
        match self.facility_name {
            Some(n) => writeln!(f, "{} {n}", self.facility)?,
            None => writeln!(f, "{} (no name)", self.facility)?,
        }
        if self.reading != Reading::Win32 {
            label(f, "Code:")?;
            writeln!(f, "0x{:04X} ({})", self.code, self.code)?;
        }
        if let Some(w) = self.win32.filter(|_| self.reading != Reading::Win32) {
            label(f, "Win32:")?;
            match w.name {
                Some(n) => writeln!(f, "{} {n}", w.number)?,
                None => writeln!(f, "{}", w.number)?,
            }
        }
        if self.customer && self.reading == Reading::SetupApi {
            label(f, "Customer:")?;
            writeln!(f, "yes (set by SetupAPI, APPLICATION_ERROR_MASK)")?;
        } else if self.customer {
            label(f, "Customer:")?;
            writeln!(f, "yes (vendor-defined)")?;
        }
        if !self.tool_readings.is_empty() {
            // The lines above read the number as a Win32 error; tools that
            // return their own exit codes give it another meaning.
            writeln!(f, "  If it is the exit code of:")?;
            for t in &self.tool_readings {
                match t.name {
                    Some(n) => writeln!(f, "    {}: {n} - {}", t.tool, t.meaning)?,
                    None => writeln!(f, "    {}: {}", t.tool, t.meaning)?,
                }
            }
        }
        if let Some(w) = &self.warning {
            label(f, "Note:")?;
            writeln!(f, "{w}")?;
        }
        for s in &self.sources {
            label(f, "Source:")?;
            writeln!(f, "{s}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_arguments() {
        assert_eq!(parse_code_arg("0x80070002"), Ok(0x80070002));
        assert_eq!(parse_code_arg("0X80070002"), Ok(0x80070002));
        assert_eq!(parse_code_arg("80070002"), Ok(0x80070002));
        assert_eq!(parse_code_arg("8009100e"), Ok(0x8009100E));
        assert_eq!(parse_code_arg("C1900101"), Ok(0xC1900101));
        assert_eq!(parse_code_arg("-2147024894"), Ok(0x80070002));
        assert_eq!(parse_code_arg("2147942402"), Ok(0x80070002));
        assert_eq!(parse_code_arg("2278556265"), Ok(0x87D00269));
        assert_eq!(parse_code_arg("-2016411031"), Ok(0x87D00269));
        assert_eq!(parse_code_arg("2"), Ok(2));
        assert_eq!(parse_code_arg(" 1603 "), Ok(1603));
        assert_eq!(parse_code_arg("0x643"), Ok(0x643));
        assert_eq!(parse_code_arg("-0"), Ok(0));
        assert_eq!(parse_code_arg("-2147483648"), Ok(0x80000000));
        let e = parse_code_arg("hello").unwrap_err();
        assert_eq!(
            e.to_string(),
            "'hello' is not an error code (expected hex like 0x80070002 or a decimal number)"
        );
        for bad in ["", "0x", "0xZZ", "-", "-x", "1.5", "0x8007 0002"] {
            assert!(
                matches!(parse_code_arg(bad), Err(CodeArgError::NotACode(_))),
                "{bad:?}"
            );
        }
        for big in [
            "4294967296",
            "-2147483649",
            "0x123456789",
            "99999999999999999999999",
        ] {
            assert!(
                matches!(parse_code_arg(big), Err(CodeArgError::OutOfRange(_))),
                "{big:?}"
            );
        }
    }

    #[test]
    fn win32_in_hresult_form() {
        let d = decode(0x80070002);
        assert_eq!(d.hex, "0x80070002");
        assert_eq!(d.decimal, -2147024894);
        assert_eq!(d.name, Some("ERROR_FILE_NOT_FOUND"));
        assert_eq!(d.severity, "failure");
        assert_eq!(d.facility, 7);
        assert_eq!(d.facility_name, Some("FACILITY_WIN32"));
        assert_eq!(d.code, 2);
        assert_eq!(
            d.win32,
            Some(Win32Info {
                number: 2,
                name: Some("ERROR_FILE_NOT_FOUND")
            })
        );
        assert!(d.meaning.is_some());
        assert!(d.warning.is_none());
        assert_eq!(d.reading, Reading::Hresult);
    }

    #[test]
    fn com_names_win_for_their_win32_twins() {
        let d = decode(0x80070005);
        assert_eq!(d.name, Some("E_ACCESSDENIED"));
        assert_eq!(d.win32.and_then(|w| w.name), Some("ERROR_ACCESS_DENIED"));
        assert_eq!(name(0x80070057), Some("E_INVALIDARG"));
        assert_eq!(name(0x80072EE2), Some("ERROR_WINHTTP_TIMEOUT"));
        assert_eq!(name(0x80004005), Some("E_FAIL"));
        assert_eq!(name(0x00000000), Some("S_OK"));
    }

    #[test]
    fn small_numbers_are_win32() {
        let d = decode(2);
        assert_eq!(d.reading, Reading::Win32);
        assert_eq!(d.name, Some("ERROR_FILE_NOT_FOUND"));
        assert_eq!(d.hresult_form.as_deref(), Some("0x80070002"));
        assert_eq!(d.meaning, meaning(0x80070002));
        assert_eq!(d.tool_readings.len(), 1, "USMT 2");
        let text = d.to_string();
        assert!(text.contains("0x80070002"), "{text}");
        assert!(text.contains("Win32"), "{text}");
        assert!(text.contains("USMT"), "{text}");

        let d = decode(1603);
        assert_eq!(d.name, Some("ERROR_INSTALL_FAILURE"));
        assert_eq!(d.hresult_form.as_deref(), Some("0x80070643"));
        assert_eq!(d.tool_readings[0].tool, super::super::meanings::MSIEXEC);

        assert_eq!(decode(3010).severity, "success");
        assert_eq!(decode(5).severity, "failure");
        let d = decode(11);
        assert_eq!(d.name, Some("ERROR_BAD_FORMAT"));
        assert_eq!(d.tool_readings[0].name, Some("USMT_INVALID_PARAMETERS"));
        assert!(d.to_string().contains("USMT_INVALID_PARAMETERS"));
    }

    #[test]
    fn zero_is_success() {
        let d = decode(0);
        assert_eq!(d.severity, "success");
        assert_eq!(d.name, Some("S_OK"));
        assert_eq!(d.win32.and_then(|w| w.name), Some("ERROR_SUCCESS"));
        assert!(d.meaning.is_some());
    }

    #[test]
    fn itf_codes_carry_a_warning() {
        let d = decode(0x80040101);
        assert_eq!(d.facility, 4);
        assert_eq!(d.facility_name, Some("FACILITY_ITF"));
        let w = d.warning.unwrap_or_default();
        assert!(w.contains("FACILITY_ITF"), "{w}");
        assert!(w.contains("DRAGDROP_E_ALREADYREGISTERED"), "{w}");
        let m = d.meaning.unwrap_or_default();
        assert!(
            m.contains("task-sequence") && m.contains("Not a drag-and-drop"),
            "{m}"
        );
        assert!(decode(0x80041002)
            .warning
            .unwrap_or_default()
            .contains("WMI"));
        assert!(decode(0x00040001).warning.is_some());
    }

    #[test]
    fn configmgr_codes() {
        let d = decode(0x87D00269);
        assert_eq!(d.facility, 2000);
        assert!(d
            .facility_name
            .unwrap_or_default()
            .contains("Configuration Manager"));
        assert!(d.meaning.unwrap_or_default().contains("management point"));
        assert_eq!(d.name, None);
        assert_eq!(d.decimal, -2016411031);
        assert!(decode(0x87D00215).meaning.is_some());
    }

    #[test]
    fn ntstatus() {
        let d = decode(0xC0000005);
        assert_eq!(d.reading, Reading::Ntstatus);
        assert_eq!(d.name, Some("STATUS_ACCESS_VIOLATION"));
        assert_eq!(d.severity, "error");
        assert!(d.meaning.is_some());

        let d = decode(0xD0000034);
        assert_eq!(d.reading, Reading::HresultFromNt);
        assert_eq!(d.name, Some("STATUS_OBJECT_NAME_NOT_FOUND"));
        assert_eq!(d.meaning, meaning_of(0xC0000034));
        assert!(d.warning.unwrap_or_default().contains("0xC0000034"));

        let d = decode(0xC0070005);
        assert_eq!(d.facility_name, Some("FACILITY_NTWIN32"));
        assert_eq!(d.win32.map(|w| w.number), Some(5));

        let d = decode(0x80000005);
        assert_eq!(d.reading, Reading::Hresult);
        assert_eq!(d.name, Some("STATUS_BUFFER_OVERFLOW"));
        assert!(d.warning.unwrap_or_default().contains("NTSTATUS"));
        assert_eq!(decode(0x80000003).name, Some("STATUS_BREAKPOINT"));
    }

    #[test]
    fn windows_setup() {
        let d = decode(0xC1900101);
        assert_eq!(d.reading, Reading::WindowsSetup);
        assert_eq!(d.name, Some("MOSETUP_E_SETUP_PLATFORM"));
        assert!(d.warning.unwrap_or_default().contains("extend code"));
        assert_eq!(decode(0xC1900210).severity, "success");
        assert_eq!(name(0xC1900107), Some("MOSETUP_E_CLEANUP_PENDING"));
        let d = decode(0xC1900999);
        assert!(d.warning.is_some());
        let (phase, op) = describe_extend(0x4000D);
        assert!(phase.starts_with("OOBE_BOOT"));
        assert_eq!(op, "MIGRATE_DATA");
        // Examples of Microsoft's "Upgrade error codes" and "Resolution procedures" pages.
        assert_eq!(describe_extend(0x20017).1, "BOOT");
        assert!(describe_extend(0x20017).0.starts_with("SAFE_OS"));
        assert_eq!(describe_extend(0x30018).1, "SYSPREP");
        assert_eq!(describe_extend(0x20003).1, "INSTALL_UPDATES");
        assert_eq!(describe_extend(0x400FF).1, "0xFF (not published)");
    }

    #[test]
    fn other_families() {
        assert_eq!(name(0x80240017), Some("WU_E_NOT_APPLICABLE"));
        assert_eq!(name(0x80200010), Some("BG_E_NETWORK_DISCONNECTED"));
        assert_eq!(name(0x800F081F), Some("CBS_E_SOURCE_MISSING"));
        assert_eq!(name(0x8009100E), Some("CRYPT_E_SIGNER_NOT_FOUND"));
        assert_eq!(name(0x800B0109), Some("CERT_E_UNTRUSTEDROOT"));
        assert_eq!(name(0x80310000), Some("FVE_E_LOCKED_VOLUME"));
        assert_eq!(name(0x80041010), Some("WBEM_E_INVALID_CLASS"));
        assert_eq!(name(0x800706BA), Some("RPC_S_SERVER_UNAVAILABLE"));
        assert_eq!(name(0x8007274C), Some("WSAETIMEDOUT"));
        assert_eq!(name(0x80070102), Some("WAIT_TIMEOUT"));
        for v in [
            0x80240017, 0x80200010, 0x800F081F, 0x80072F8F, 0x80310000, 0xC0000135,
        ] {
            assert!(meaning(v).is_some(), "0x{v:08X}");
        }
        let d = decode(0x80070BC2);
        assert!(d.warning.unwrap_or_default().contains("success"));
    }

    #[test]
    fn servicing_names_from_the_cbs_table() {
        // The names CBS prints in CBS.log, e.g. "[HRESULT = 0x800f080d -
        // CBS_E_MANIFEST_INVALID_ITEM]" (CBS.log pasted on pastebin.com/0nsrBSUh).
        assert_eq!(name(0x800F080D), Some("CBS_E_MANIFEST_INVALID_ITEM"));
        assert_eq!(name(0x800F0818), Some("CBS_E_IDENTITY_MISMATCH"));
        assert_eq!(name(0x800F081F), Some("CBS_E_SOURCE_MISSING"));
        assert_eq!(name(0x800F0922), Some("CBS_E_INSTALLERS_FAILED"));
        assert_eq!(
            name(0x800F0954),
            Some("CBS_E_NO_OPTIONAL_CONTENT_FOUND_ON_UPDATE_SERVERS")
        );
        assert_eq!(name(0x800F0988), Some("PSFX_E_INVALID_DELTA_COMBINATION"));
        // SetupAPI shares the facility and keeps its header names.
        assert_eq!(name(0x800F0203), Some("SPAPI_E_NO_DRIVER_SELECTED"));
        let d = decode(0x800F0818);
        assert!(d.meaning.is_some());
        assert!(
            d.sources.iter().any(|s| s.contains("CBS")),
            "{:?}",
            d.sources
        );
        assert!(d.to_string().contains("Source:"));
    }

    #[test]
    fn configmgr_text_from_srsresources() {
        for (v, words) in [
            (0x87D0_0324, "not detected"),
            (0x87D0_0607, "Content not found"),
            (0x87D0_1106, "executable file"),
        ] {
            let d = decode(v);
            assert!(d.message.unwrap_or_default().contains(words), "0x{v:08X}");
            assert!(d.meaning.is_some(), "0x{v:08X}");
            assert!(d.sources.iter().any(|s| s.contains("SrsResources")));
        }
        // A code with no hand-written reading shows ConfigMgr's own text as its meaning.
        let d = decode(0x87D2_0A0E);
        assert_eq!(d.meaning, d.message);
        assert!(d.meaning.is_some());
        assert!(decode(0x87D0_0324).to_string().contains("Message:"));
    }

    #[test]
    fn intune_codes_have_their_text_and_source() {
        for (v, words) in [
            (0x87D3_00C9, "unmonitored process"),
            (0x8103_6502, "in time"),
        ] {
            let d = decode(v);
            assert!(d.message.unwrap_or_default().contains(words), "0x{v:08X}");
            assert!(
                d.sources.iter().any(|s| s.contains("Intune")),
                "{:?}",
                d.sources
            );
            assert!(!d.sources.iter().any(|s| s.contains("SrsResources")));
        }
    }

    #[test]
    fn enrollment_and_delivery_optimization_codes_have_names_text_and_sources() {
        for (v, name, words, source) in [
            (
                0x801C_03F2,
                Some("DSREG_E_DIRECTORY_FAILURE"),
                "DirectoryError",
                "Entra",
            ),
            (
                0x801C_0021,
                Some("DSREG_AUTOJOIN_DISC_FAILED"),
                "discovery",
                "Entra",
            ),
            (
                0x801C_0003,
                Some("DSREG_E_DEVICE_AUTHORIZATION_ERROR"),
                "authorized to enroll",
                "Entra integration with MDM",
            ),
            (
                0x8018_0018,
                Some("MENROLL_E_USERLICENSE"),
                "license",
                "Entra integration with MDM",
            ),
            (
                0x8103_9001,
                Some("E_AUTOPILOT_CLIENT_TPM_MAX_ATTESTATION_RETRY_EXCEEDED"),
                "Securing your hardware",
                "Autopilot",
            ),
            (0x8103_9024, None, "vulnerabilities", "Autopilot"),
            (0x8018_002B, None, "non-routable", "enrollment"),
            (0x87D1_041C, None, "not detected", "app install"),
            (
                0x80D0_2002,
                Some("DO_E_DOWNLOAD_NO_PROGRESS"),
                "no progress",
                "do-client",
            ),
            (
                0x80D0_3808,
                Some("DO_E_BLOCKED_BY_CRITICAL_MEMORY_USAGE"),
                "critical memory usage",
                "deliveryoptimizationerrors.h",
            ),
            (
                0x80D0_5011,
                Some("DO_E_INSUFFICIENT_RANGE_SUPPORT"),
                "Range protocol header",
                "deliveryoptimizationerrors.h",
            ),
        ] {
            let d = decode(v);
            if name.is_some() {
                assert_eq!(d.name, name, "0x{v:08X}");
            }
            assert!(d.message.unwrap_or_default().contains(words), "0x{v:08X}");
            assert!(
                d.sources.iter().any(|s| s.contains(source)),
                "0x{v:08X}: {:?}",
                d.sources
            );
        }
        // A name Windows' metadata already has stays the one shown.
        assert_eq!(
            decode(0x8018_0014).name,
            Some("MENROLL_E_DEVICENOTSUPPORTED")
        );
    }

    #[test]
    fn mdt_numbers_read_as_mdt_failures() {
        let d = decode(5212);
        let r = d.tool_readings.iter().find(|t| t.tool == MDT);
        assert_eq!(r.and_then(|t| t.name), Some("LiteTouch.wsf"));
        assert!(r.is_some_and(|t| t.meaning.contains("Welcome wizard")));
        let d = decode(5624);
        assert!(d.tool_readings.iter().any(|t| t.meaning.contains("DISM")));
        assert!(decode(7001).to_string().contains("unattend"));
        assert!(d.sources.iter().any(|s| s.contains("MDT")));
        assert!(decode(2).tool_readings.iter().all(|t| t.tool != MDT));
    }

    #[test]
    fn http_status_and_domain_join() {
        assert_eq!(decode(0x8019_0194).http_status, Some(404));
        assert_eq!(decode(0x8019_01C1).name, Some("BG_E_HTTP_ERROR_449"));
        assert_eq!(decode(0x8019_01C1).http_status, Some(449));
        assert_eq!(decode(0x8007_0005).http_status, None);
        assert!(decode(0x8019_01F4).to_string().contains("status 500"));
        assert_eq!(name(0x80072EE2), Some("ERROR_WINHTTP_TIMEOUT"));
        for (n, nm) in [
            (2691, "NERR_SetupAlreadyJoined"),
            (2692, "NERR_SetupNotJoined"),
            (0xA8B, "NERR_SetupCheckDNSConfig"),
            (1326, "ERROR_LOGON_FAILURE"),
            (1355, "ERROR_NO_SUCH_DOMAIN"),
            (2224, "NERR_UserExists"),
            (8557, "ERROR_DS_MACHINE_ACCOUNT_QUOTA_EXCEEDED"),
        ] {
            let d = decode(n);
            assert_eq!(d.name, Some(nm));
            assert!(d.meaning.is_some(), "{nm}");
        }
    }

    /// SetupAPI's own errors as setupapi.dev.log writes them (`[Exit status:
    /// FAILURE(0xe0000219)]`): SetupAPI.h's name, Windows' text, the SPAPI_E_* HRESULT form,
    /// and no vendor warning; a vendor's 0xE... value stays a vendor's.
    #[test]
    fn setupapi_codes_have_their_names_text_and_hresult_form() {
        for (v, name, hr, spapi) in [
            (
                0xE000_0219,
                "ERROR_NO_ASSOCIATED_SERVICE",
                "0x800F0219",
                "SPAPI_E_NO_ASSOCIATED_SERVICE",
            ),
            (
                0xE000_022F,
                "ERROR_NO_CATALOG_FOR_OEM_INF",
                "0x800F022F",
                "SPAPI_E_NO_CATALOG_FOR_OEM_INF",
            ),
            (
                0xE000_0247,
                "ERROR_DRIVER_STORE_ADD_FAILED",
                "0x800F0247",
                "SPAPI_E_DRIVER_STORE_ADD_FAILED",
            ),
            (
                0xE000_1000,
                "ERROR_NOT_INSTALLED",
                "0x800F1000",
                "SPAPI_E_ERROR_NOT_INSTALLED",
            ),
        ] {
            let d = decode(v);
            assert_eq!(d.reading, Reading::SetupApi);
            assert_eq!(d.name, Some(name));
            assert_eq!(d.hresult_form.as_deref(), Some(hr));
            assert_eq!(d.facility, 15);
            assert!(d.message.is_some(), "{name}");
            let text = d.to_string();
            assert!(text.contains(spapi) && !text.contains("vendor"), "{text}");
            assert!(d.sources.iter().any(|s| s.contains("SetupAPI.h")), "{text}");
            assert_eq!(crate::present::code_name(v), Some(name));
        }
        let d = decode(0xE000_0219);
        assert_eq!(
            d.message,
            Some("The installation failed because a function driver was not specified for this device instance.")
        );
        // The HRESULT form keeps its own name and gets Windows' text.
        let d = decode(0x800F_0219);
        assert_eq!(d.name, Some("SPAPI_E_NO_ASSOCIATED_SERVICE"));
        assert!(d.meaning.is_some() || d.message.is_some());
        // Not SetupAPI's: the CLR's exception code, and an undefined 0xE000xxxx.
        for v in [0xE043_4352, 0xE000_7777] {
            let d = decode(v);
            assert_ne!(d.reading, Reading::SetupApi);
            assert!(d.warning.unwrap_or_default().contains("vendor"));
        }
        // The table is sorted, each value SetupAPI's, each with a name and text.
        assert!(setupapi::NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        for r in setupapi::NAMES {
            assert_eq!(r.0 >> 16, 0xE000);
            assert!(r.1.starts_with("ERROR_") && r.2.starts_with("SPAPI_E_") && !r.3.is_empty());
        }
    }

    #[test]
    fn extend_codes_in_arguments() {
        assert_eq!(
            parse_code_with_extend("0x800F0818-0x20003"),
            Ok((0x800F0818, Some(0x20003)))
        );
        assert_eq!(
            parse_code_with_extend("0xC1900101 - 0x4000D"),
            Ok((0xC1900101, Some(0x4000D)))
        );
        assert_eq!(
            parse_code_with_extend("-2147024894"),
            Ok((0x80070002, None))
        );
        assert!(parse_code_with_extend("zz-0x1").is_err());
        let d = decode_with_extend(0xC1900101, Some(0x4000D));
        let text = d.to_string();
        assert!(
            text.contains("OOBE_BOOT") && text.contains("MIGRATE_DATA"),
            "{text}"
        );
        let json = serde_json::to_value(&d).unwrap_or_default();
        assert_eq!(json["extend"]["operation"], "MIGRATE_DATA");
    }

    #[test]
    fn unknown_values_still_decode() {
        let d = decode(0xA1234567);
        assert!(d.customer);
        assert!(d.warning.unwrap_or_default().contains("Customer"));
        let d = decode(0x80990001);
        assert_eq!(d.facility_name, Some("FACILITY_DLS"));
        assert_eq!(d.name, None);
        // Every value decodes and renders without panicking.
        for v in [
            0u32,
            1,
            0xFFFF,
            0x10000,
            0x7FFF_FFFF,
            0x8000_0000,
            0xFFFF_FFFF,
            0x4000_0000,
        ] {
            let _ = decode(v).to_string();
        }
    }

    #[test]
    fn display_shows_the_parts() {
        let text = decode(0x80070005).to_string();
        for part in [
            "0x80070005",
            "E_ACCESSDENIED",
            "-2147024891 (unsigned 2147942405)",
            "failure",
            "7 FACILITY_WIN32",
            "5 ERROR_ACCESS_DENIED",
        ] {
            assert!(text.contains(part), "{part:?} missing from\n{text}");
        }
    }

    #[test]
    fn serializes() {
        let json = serde_json::to_value(decode(0x80070002)).unwrap_or_default();
        assert_eq!(json["hex"], "0x80070002");
        assert_eq!(json["reading"], "hresult");
        assert_eq!(json["win32"]["number"], 2);
    }
}
