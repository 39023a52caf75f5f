//! Finding error codes in message text.
//!
//! A hand-written single pass over the bytes rather than a regex: the text
//! is cut into words (runs of ASCII letters, digits and `_`), and only words
//! that contain a digit and have the shape of a code are looked at further.
//! Whether such a word is a code depends on the word before it (the "cue":
//! `HRESULT=`, `code`, `Error:`, `exit code`, ...) and on its neighbours
//! (GUIDs, versions, IP addresses, times and dates are rejected). Nothing is
//! allocated unless a code is found.
//!
//! The rules, in short:
//! * `0x` + 1..=8 hex digits after a cue word: always a code, any value.
//! * `0x` + exactly 8 hex digits without a cue: a code only if it looks like
//!   a failure (top bit set) and the word before is not a flags/mask/address
//!   style word. Shorter ones without a cue are flags, handles, thread ids;
//!   0x80000000..=0x80000006 without a cue are registry root handles (HKEY).
//! * 8 hex digits without `0x` (`80040101`, `8009100e`): after a cue word any
//!   value; without a cue only when alone in parentheses, e.g. `(80004005)`,
//!   looking like a failure, and not shaped like a ConfigMgr package ID
//!   (three letters then five hex digits, e.g. `CAB0001A`), and after
//!   `failed.` (`failed. 80072efe`). Eight digits that start with `0`, `8`
//!   or `9` are read as hex: no plausible decimal error code looks like that.
//! * Decimals (`-2147467259`, `2147945410`, `1603`, `0`) only after an error,
//!   code, hr or exit-code cue (also compound names such as
//!   `_SMSTSLastActionRetCode=`); never after `status code` (HTTP status), and
//!   never after result/status words, which number many non-error things.
//! * A decimal directly followed by a hex (`Return Code = 2147467259
//!   0x80004005`, where the decimal lost its sign) yields only the hex.
//! * Any token of hex digits longer than 8 (hashes, pointers) is never a code.

use serde::Serialize;

/// Where in a message an error code was found, and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CodeHit {
    /// The code as an unsigned 32-bit value (signed decimals are folded:
    /// `-2147467259` becomes `0x80004005`).
    pub value: u32,
    /// Byte offset of the number in the text (including `0x` or a sign).
    pub start: usize,
    /// Byte offset just past the number.
    pub end: usize,
    /// How the code was written, which tells how sure the match is.
    pub form: CodeForm,
}

/// The written form a code was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum CodeForm {
    /// After `HRESULT=` or `hr =` (`HRESULT=80040101`, `hr=0x87d00269`).
    HresultEq,
    /// Directly inside `Code(...)`: `Code(0x80040101)`.
    CodeParen,
    /// After the word `code`: `code 0x80070002`, `Error Code 0x...`,
    /// `returned code 0x...`, `ErrorCode = 0x...`.
    CodeWord,
    /// After `Error`, `error =` or `Err =`: `Error 0x80070005`.
    ErrorWord,
    /// After `Error:`: `Error: 80004005; Source: Windows`.
    ErrorColon,
    /// A process exit code: `exit code 2147945410`, `exit win32 code 0`,
    /// `exitCode=0x87D00215`, `Return Code = ...`, `ERRORLEVEL = ...`,
    /// setupapi's `exit(00000103)`.
    ExitCode,
    /// A GetLastError value: `[gle=0x00000002]`, `LastError = 5`.
    LastError,
    /// After `Result`, `status`, `dwRet`, `returned`: hex forms only.
    ResultWord,
    /// A failure-looking hex alone in parentheses: `(80004005)`,
    /// `(0x80004005)`.
    Paren,
    /// A failure-looking `0x` + 8 hex digits with no cue: `0x87D00269`.
    Hex0x,
    /// Eight bare hex digits after `failed`: `failed. 80072efe`.
    BareHex,
    /// A decimal after an error, code or hr cue: `Error -2147467259`,
    /// `error 2149842967`, `ErrorCode = 2147942402`.
    Decimal,
}

/// What the word before a number says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cue {
    Hresult,
    Code {
        paren: bool,
    },
    Exit,
    Error {
        colon: bool,
    },
    LastError,
    /// Result, status, dwRet, returned: hex only.
    Result,
    /// `failed` / `failed.`: bare 8-hex only.
    Failed,
    /// `status code`, `http code`: an HTTP status, never an error code.
    HttpStatus,
}

const WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'_';
        i += 1;
    }
    t
};

#[inline]
fn is_word(b: u8) -> bool {
    WORD[b as usize]
}

/// Word span, `start..end`.
#[derive(Clone, Copy, Debug, Default)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    const NONE: Span = Span { start: 0, end: 0 };
    fn is_none(self) -> bool {
        self.end == 0
    }
}

/// Finds every error code in `text`, in order of position; each number
/// gives at most one hit. See the module documentation for the rules.
pub fn find_codes(text: &str) -> Vec<CodeHit> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    // Every code contains a digit; most log lines without one are skipped here.
    if !b.iter().any(u8::is_ascii_digit) {
        return out;
    }
    // The last three words before the current one, most recent first.
    let mut words = [Span::NONE; 3];
    // Index in `out` of a decimal hit that a following hex may replace.
    let mut pending_decimal: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        if !is_word(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut has_digit = false;
        while i < b.len() && is_word(b[i]) {
            has_digit |= b[i].is_ascii_digit();
            i += 1;
        }
        let end = i;
        if has_digit && b[start].is_ascii_hexdigit() {
            let replaced = match pending_decimal.take() {
                Some(idx) => replace_decimal(b, &mut out, idx, start, end),
                None => false,
            };
            if !replaced {
                if let Some((hit, decimal)) = classify(b, start, end, &words) {
                    if decimal {
                        pending_decimal = Some(out.len());
                    }
                    out.push(hit);
                }
            }
        } else {
            pending_decimal = None;
        }
        words = [Span { start, end }, words[0], words[1]];
    }
    out
}

/// `Return Code = 2147467259 0x80004005`: when a decimal hit is followed,
/// after spaces only, by a `0x` hex, the hex replaces it and keeps its form.
fn replace_decimal(b: &[u8], out: &mut [CodeHit], idx: usize, start: usize, end: usize) -> bool {
    let Some(prev) = out.get(idx).copied() else {
        return false;
    };
    let gap = &b[prev.end..start];
    if gap.is_empty() || !gap.iter().all(|&c| c == b' ' || c == b'\t') {
        return false;
    }
    let Some(value) = parse_0x(&b[start..end]) else {
        return false;
    };
    out[idx] = CodeHit {
        value,
        start,
        end,
        form: prev.form,
    };
    true
}

/// `0x` + 1..=8 hex digits.
fn parse_0x(tok: &[u8]) -> Option<u32> {
    if tok.len() < 3 || tok[0] != b'0' || (tok[1] | 0x20) != b'x' {
        return None;
    }
    parse_hex(&tok[2..])
}

fn parse_hex(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    let mut v: u32 = 0;
    for &c in digits {
        let d = (c as char).to_digit(16)?;
        v = (v << 4) | d;
    }
    Some(v)
}

fn parse_dec(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(c - b'0');
    }
    Some(v)
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    /// `0x` + hex digits (1..=8).
    Hex0x { value: u32, digits: usize },
    /// Exactly 8 hex digits, no prefix.
    Bare8 { value: u32 },
    /// A decimal number (sign already applied and folded into 32 bits).
    Dec { value: u32 },
}

fn shape(b: &[u8], start: usize, end: usize) -> Option<(Shape, usize)> {
    let tok = &b[start..end];
    if let Some(value) = parse_0x(tok) {
        return Some((
            Shape::Hex0x {
                value,
                digits: tok.len() - 2,
            },
            start,
        ));
    }
    let all_digits = tok.iter().all(u8::is_ascii_digit);
    if tok.len() == 8 && tok.iter().all(u8::is_ascii_hexdigit) {
        // Eight digits starting with 0, 8 or 9 are fixed-width hex; any
        // other all-digit token is a decimal.
        if !all_digits || matches!(tok[0], b'0' | b'8' | b'9') {
            return parse_hex(tok).map(|value| (Shape::Bare8 { value }, start));
        }
    }
    if !all_digits {
        return None;
    }
    let n = parse_dec(tok)?;
    // A minus sign counts when it is attached to the number and not itself
    // glued to a word (`{...-4752-...}` is a GUID, `12-06` a date).
    let negative = start >= 1 && b[start - 1] == b'-' && (start < 2 || !is_word(b[start - 2]));
    if negative {
        if n == 0 || n > 0x8000_0000 {
            return (n == 0).then_some((Shape::Dec { value: 0 }, start - 1));
        }
        let value = ((1u64 << 32) - n) as u32;
        Some((Shape::Dec { value }, start - 1))
    } else {
        u32::try_from(n)
            .ok()
            .map(|value| (Shape::Dec { value }, start))
    }
}

/// Neighbours that show the token is part of something else: a GUID, a
/// version or IP address, a time, a date, a path, a pointer.
fn embedded(b: &[u8], start: usize, end: usize, has_0x: bool) -> bool {
    let before = |k: usize| if start >= k { Some(b[start - k]) } else { None };
    let after = |k: usize| b.get(end + k - 1).copied();
    match before(1) {
        // `10.0.19041`, `file.0x1`, `17:56:35`; but `Error:80004005` is fine.
        Some(b'.') if before(2).is_some_and(|c| c.is_ascii_alphanumeric()) => return true,
        Some(b':') if before(2).is_some_and(|c| c.is_ascii_digit()) => return true,
        Some(b'@') | Some(b'{') | Some(b'/') | Some(b'\\') | Some(b'$') => return true,
        Some(b'-') if !has_0x && before(2).is_some_and(is_word) => return true,
        _ => {}
    }
    match after(1) {
        Some(b'.') | Some(b':') | Some(b'/') | Some(b',')
            if after(2).is_some_and(|c| c.is_ascii_digit()) =>
        {
            // `192.168`, `22:55`, `12/06`, `1,024`
            true
        }
        Some(b'-') => {
            // `{15B1CD41-69F5-...}` or `12-06-2019`; `0xC1900101-0x4001E` is
            // a Windows Setup result and extend code, which is fine.
            let next_is_0x = after(2) == Some(b'0') && after(3).is_some_and(|c| c | 0x20 == b'x');
            !next_is_0x && after(2).is_some_and(|c| c.is_ascii_hexdigit())
        }
        Some(b'}') => true,
        _ => false,
    }
}

fn word(b: &[u8], s: Span) -> &[u8] {
    &b[s.start..s.end]
}

fn is_any(w: &[u8], list: &[&str]) -> bool {
    list.iter().any(|k| w.eq_ignore_ascii_case(k.as_bytes()))
}

fn ends_with_any(w: &[u8], list: &[&str]) -> bool {
    list.iter().any(|k| {
        let k = k.as_bytes();
        w.len() >= k.len() && w[w.len() - k.len()..].eq_ignore_ascii_case(k)
    })
}

/// The bytes between two words are a short run of separators.
fn sep_ok(sep: &[u8], allow_dot: bool) -> bool {
    sep.len() <= 4
        && sep.iter().all(|&c| {
            matches!(
                c,
                b' ' | b'\t' | b'=' | b':' | b'(' | b'[' | b'#' | b'\'' | b'"'
            ) || (allow_dot && c == b'.')
        })
}

fn only_spaces(sep: &[u8]) -> bool {
    // Column-aligned logs pad with many spaces (`Driver          Status`).
    !sep.is_empty() && sep.len() <= 16 && sep.iter().all(|&c| c == b' ' || c == b'\t')
}

/// Words whose number is never an error code without a stronger cue: the
/// whole word (`size 0x80000000`) ...
const NEGATIVE_EXACT: &[&str] = &[
    "flag",
    "rank",
    "addr",
    "ptr",
    "thread",
    "pid",
    "tid",
    "size",
    "key",
    "package",
    "policy",
    "advertisement",
    "id",
    "type",
    "base",
    "crash",
    "bugcheck",
    "parameter",
    "at",
    "this",
];
/// ... or its end (`GatherMask: 0x80000000`, `Install flags: 0x80000001`).
const NEGATIVE_SUFFIX: &[&str] = &[
    "mask",
    "flags",
    "options",
    "address",
    "threadid",
    "processid",
    "pointer",
    "handle",
    "offset",
    "version",
    "packageid",
    "pkgid",
    "hash",
];

/// The text before `but received` says which exit code was expected (`to exit with [0],`).
fn expected_exit(before: &[u8]) -> bool {
    let tail = &before[before.len().saturating_sub(48)..];
    tail.windows(9)
        .any(|w| w.eq_ignore_ascii_case(b"exit with"))
}

/// Looks at the words before the number (which starts at `num_start`) for a
/// cue. Returns the cue and whether the word before rules a code out.
fn cue(b: &[u8], words: &[Span; 3], num_start: usize) -> (Option<Cue>, bool) {
    if words[0].is_none() {
        return (None, false);
    }
    let sep = &b[words[0].end..num_start];
    // Index of the cue word in `words`: one filler word may sit between the
    // cue and the number (`exit code is 0`, `error code was 0x...`, `Return code was: -2147221246`).
    let mut ci = 0;
    if is_any(word(b, words[0]), &["is", "was"])
        && sep_ok(sep, false)
        && !words[1].is_none()
        && sep_ok(&b[words[1].end..words[0].start], false)
    {
        ci = 1;
    }
    let w = word(b, words[ci]);
    let sep = if ci == 0 {
        sep
    } else {
        &b[words[1].end..words[0].start]
    };
    if is_any(w, &["failed"]) && sep_ok(sep, true) {
        return (Some(Cue::Failed), false);
    }
    if !sep_ok(sep, false) {
        return (None, false);
    }
    let paren = ci == 0 && sep == b"(";
    let colon = sep.contains(&b':');
    // The k-th word before the cue word, if only spaces join them
    // (`exit win32 code`).
    let before = |k: usize| -> &[u8] {
        let (prev, next) = (ci + 1 + k, ci + k);
        match (words.get(prev), words.get(next)) {
            (Some(&p), Some(&n)) if !p.is_none() && only_spaces(&b[p.end..n.start]) => word(b, p),
            _ => &[],
        }
    };
    let c = if is_any(w, &["hresult", "hr"]) {
        Some(Cue::Hresult)
    } else if is_any(w, &["code"]) {
        let w1 = before(0);
        if is_any(w1, &["exit", "return"])
            || (is_any(w1, &["win32"]) && is_any(before(1), &["exit"]))
        {
            Some(Cue::Exit)
        } else if is_any(w1, &["status", "http", "response"]) {
            Some(Cue::HttpStatus)
        } else {
            Some(Cue::Code { paren })
        }
    } else if is_any(
        w,
        &[
            "exitcode",
            "exit_code",
            "returncode",
            "return_code",
            "errorlevel",
            "exitstatus",
        ],
    ) || (paren && is_any(w, &["exit"]))
    {
        Some(Cue::Exit)
    } else if is_any(w, &["errorcode", "error_code", "errcode"]) {
        Some(Cue::Code { paren })
    } else if is_any(w, &["error", "err", "errno"]) {
        Some(Cue::Error { colon })
    } else if w == b"FAILURE" && sep.starts_with(b" (") {
        // MDT's `FAILURE ( 5212 ): ...`, upper case as its scripts write it.
        Some(Cue::Error { colon: false })
    } else if is_any(
        w,
        &[
            "gle",
            "lasterror",
            "getlasterror",
            "last_error",
            "win32error",
        ],
    ) {
        Some(Cue::LastError)
    } else if is_any(w, &["status"]) && is_any(before(0), &["error"]) {
        // MSI's closing line: `Installation success or error status: 1603.`
        Some(Cue::Code { paren })
    } else if is_any(w, &["returned", "returns"])
        && ends_with_any(
            before(0),
            &["returnvalue", "exitcode", "returncode", "retcode"],
        )
    {
        // A method's result reported by the tool that called it: WMI's
        // `JoinDomainOrWorkGroup(...).ReturnValue returned 1332`.
        Some(Cue::Exit)
    } else if is_any(w, &["received"])
        && is_any(before(0), &["but"])
        && expected_exit(&b[..words[ci].start])
    {
        // A configuration tool's report of an installer's exit code (Chef's
        // `Expected process to exit with [0], but received '1638'`).
        Some(Cue::Exit)
    } else if is_any(
        w,
        &[
            "result", "status", "dwret", "ret", "retval", "returned", "returns", "rc",
        ],
    ) {
        // `Driver Status: 0x180600a` and `Service status 0x1` are state
        // flags, not results.
        if is_any(w, &["status"])
            && is_any(
                before(0),
                &["driver", "device", "devnode", "node", "service", "job"],
            )
        {
            None
        } else {
            Some(Cue::Result)
        }
    } else if ends_with_any(w, &["exitcode", "retcode", "returncode", "returnvalue"]) {
        // Compound names: `_SMSTSLastActionRetCode=1603`, `dwExitCode = 0`.
        Some(Cue::Exit)
    } else if ends_with_any(w, &["errorcode", "errcode"]) {
        Some(Cue::Code { paren })
    } else if ends_with_any(w, &["hresult"]) {
        Some(Cue::Hresult)
    } else if ends_with_any(w, &["lasterror"]) {
        Some(Cue::LastError)
    } else {
        None
    };
    let negative = c.is_none() && (is_any(w, NEGATIVE_EXACT) || ends_with_any(w, NEGATIVE_SUFFIX));
    (c, negative)
}

/// Decides whether the word `start..end` is a code. Returns the hit and
/// whether it was written as a decimal.
fn classify(b: &[u8], start: usize, end: usize, words: &[Span; 3]) -> Option<(CodeHit, bool)> {
    let (shape, num_start) = shape(b, start, end)?;
    let has_0x = matches!(shape, Shape::Hex0x { .. });
    if embedded(b, start, end, has_0x) {
        return None;
    }
    let (cue, negative) = cue(b, words, num_start);
    let in_parens = num_start >= 1 && b[num_start - 1] == b'(' && b.get(end) == Some(&b')');
    let hit = |value: u32, form: CodeForm| CodeHit {
        value,
        start: num_start,
        end,
        form,
    };
    let cued_form = |c: Cue| match c {
        Cue::Hresult => CodeForm::HresultEq,
        Cue::Code { paren: true } => CodeForm::CodeParen,
        Cue::Code { paren: false } => CodeForm::CodeWord,
        Cue::Exit => CodeForm::ExitCode,
        Cue::Error { colon: true } => CodeForm::ErrorColon,
        Cue::Error { colon: false } => CodeForm::ErrorWord,
        Cue::LastError => CodeForm::LastError,
        Cue::Result | Cue::HttpStatus => CodeForm::ResultWord,
        Cue::Failed => CodeForm::BareHex,
    };
    match shape {
        Shape::Hex0x { value, digits } => {
            if let Some(c) = cue.filter(|c| !matches!(c, Cue::Failed)) {
                return Some((hit(value, cued_form(c)), false));
            }
            // 0x80000000..=0x80000006 without a cue are the predefined
            // registry handles (HKEY_LOCAL_MACHINE is 0x80000002), not codes.
            if digits != 8 || value <= 0x8000_0006 || negative {
                return None;
            }
            if same_as_decimal_before(b, words, value) {
                return None;
            }
            let form = if in_parens {
                CodeForm::Paren
            } else {
                CodeForm::Hex0x
            };
            Some((hit(value, form), false))
        }
        Shape::Bare8 { value } => {
            match cue {
                Some(Cue::Failed) | None => {}
                Some(Cue::HttpStatus) => return None,
                Some(c) => return Some((hit(value, cued_form(c)), false)),
            }
            let tok = &b[start..end];
            let looks_failure = value >= 0x8000_0000;
            // `CAB0001A`: a site code of three letters, then five digits.
            let package_like = tok[..3].iter().all(u8::is_ascii_alphabetic);
            if !looks_failure || package_like || negative {
                return None;
            }
            if cue == Some(Cue::Failed) {
                return Some((hit(value, CodeForm::BareHex), false));
            }
            (in_parens && !same_as_decimal_before(b, words, value))
                .then(|| (hit(value, CodeForm::Paren), false))
        }
        // .NET's WebException text, `The remote server returned an error: (401)
        // Unauthorized.`: an HTTP status and its reason, not a Win32 error 401.
        Shape::Dec { value } if in_parens && http_reason_follows(b, value, end) => None,
        Shape::Dec { value } => match cue {
            Some(Cue::Exit) => Some((hit(value, CodeForm::ExitCode), true)),
            Some(Cue::Hresult | Cue::Code { .. } | Cue::Error { .. } | Cue::LastError) => {
                Some((hit(value, CodeForm::Decimal), true))
            }
            None if localized_exit_cue(&b[..num_start]) => {
                Some((hit(value, CodeForm::ExitCode), true))
            }
            // A negative ten-digit number in the failure range is an HRESULT or an
            // NTSTATUS printed as a signed integer, whatever words lead to it
            // (`error code returned during encryption: -2144845809`).
            None if b[num_start] == b'-'
                && end - num_start == 11
                && ((0x8000_0007..=0x87FF_FFFF).contains(&value)
                    || (0xC000_0000..=0xC0FF_FFFF).contains(&value)) =>
            {
                Some((hit(value, CodeForm::Decimal), true))
            }
            _ => None,
        },
    }
}

/// First words of the HTTP reason phrases (RFC 9110) that follow a status in parentheses.
const HTTP_REASONS: &[&str] = &[
    "Unauthorized",
    "Forbidden",
    "Not Found",
    "Not Acceptable",
    "Not Implemented",
    "Not Modified",
    "Bad Request",
    "Bad Gateway",
    "Internal Server Error",
    "Service Unavailable",
    "Server Unavailable",
    "Proxy Authentication Required",
    "Gateway Timeout",
    "Method Not Allowed",
    "Conflict",
    "Request Timeout",
    "Request Entity Too Large",
    "Too Many Requests",
    "Precondition Failed",
    "Unsupported Media Type",
    "Length Required",
    "Gone",
    "Moved Permanently",
    "Found",
    "Temporary Redirect",
];

/// Whether the status-sized number `value`, in parentheses that close at `end`, is followed
/// by an HTTP reason phrase (`(404) Not Found`).
fn http_reason_follows(b: &[u8], value: u32, end: usize) -> bool {
    (100..=599).contains(&value)
        && b.get(end..end + 2) == Some(b") ")
        && HTTP_REASONS
            .iter()
            .any(|r| b[end + 2..].starts_with(r.as_bytes()))
}

/// "Exit code" as installers and winget print it on a localized Windows, right before
/// the number (`código de saída: 1638`). Words are split at non-ASCII letters, so these
/// phrases are matched on the text itself, lower case as the tools write them.
fn localized_exit_cue(before: &[u8]) -> bool {
    const PHRASES: [&str; 6] = [
        "código de saída",
        "código de salida",
        "codigo de salida",
        "code de sortie",
        "codice di uscita",
        "rückgabecode",
    ];
    let mut end = before.len();
    while end > 0 && matches!(before[end - 1], b' ' | b':' | b'=' | b'\t') {
        end -= 1;
    }
    let tail = &before[end.saturating_sub(24)..end];
    PHRASES.iter().any(|p| {
        tail.len() >= p.len() && tail[tail.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes())
    })
}

/// `TSManager 2176 (0x880)`: a hex in parentheses right after the same number
/// in decimal is a thread or process id.
fn same_as_decimal_before(b: &[u8], words: &[Span; 3], value: u32) -> bool {
    let w = word(b, words[0]);
    !w.is_empty() && w.iter().all(u8::is_ascii_digit) && parse_dec(w) == Some(u64::from(value))
}

/// For a Windows Setup result written as `0xC1900101 - 0x4000D` (or without
/// spaces), the extend code after the hit: five hex digits whose first digit
/// is the phase and whose last byte is the operation.
pub fn setup_extend(text: &str, hit: &CodeHit) -> Option<u32> {
    let b = text.as_bytes();
    let mut i = hit.end;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    if b.get(i) != Some(&b'-') {
        return None;
    }
    i += 1;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let start = i;
    while b.get(i).is_some_and(|&c| is_word(c)) {
        i += 1;
    }
    let tok = &b[start..i];
    (tok.len() == 7).then(|| parse_0x(tok)).flatten()
}

/// The Windows Setup extend codes written after codes in `text`
/// (`0xC1900101 - 0x4000D`, `0x800F0818-0x20003`): each code with its extend code.
pub fn setup_extends(text: &str) -> Vec<(u32, u32)> {
    // Every extend code is written `-0x...`; most text has none.
    if !text.contains("0x") && !text.contains("0X") {
        return Vec::new();
    }
    find_codes(text)
        .iter()
        .filter_map(|h| setup_extend(text, h).map(|e| (h.value, e)))
        .collect()
}

/// One line per Windows Setup extend code in `text`, for people:
/// `0xC1900101 - 0x4000D: phase OOBE_BOOT (...), operation MIGRATE_DATA`.
pub fn extend_notes(text: &str) -> Vec<String> {
    setup_extends(text)
        .into_iter()
        .map(|(code, e)| {
            let x = super::decode::Extend::new(e);
            format!(
                "0x{code:08X} - {}: phase {}, operation {}",
                x.hex, x.phase, x.operation
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notations_of_the_other_logs() {
        // The NetSetup.log line quoted in issue 13.
        assert_eq!(one("NetpDoDomainJoin: status: 0xa8b").0, 0xA8B);
        // Written here in the forms of an MSI verbose log's closing lines (not quoted).
        assert_eq!(
            one("MSI (s) (1C:2C) [12:00:00:000]: Product: Contoso -- Installation failed. error code 1603").0,
            1603
        );
        assert_eq!(
            one("Windows Installer installed the product. Product Name: X. Installation success or error status: 1603.").0,
            1603
        );
        // ccmsetup.log, the line of issue 13.
        assert_eq!(
            one("CcmSetup failed with error code 0x80190194").0,
            0x80190194
        );
        // MDT (BDD.log): `FAILURE ( 5624 ): -2147467259  0x80004005: Run DISM`.
        let c = codes("FAILURE ( 5624 ): -2147467259  0x80004005: Run DISM: /Apply-Image");
        assert_eq!(c[0].0, 5624, "{c:x?}");
        assert!(c.iter().any(|h| h.0 == 0x80004005), "{c:x?}");
        // Script logs print the HRESULT as a signed decimal (the line of the brief).
        assert_eq!(one("Return code was: -2147221246").0, 0x80040102);
        assert_eq!(one("Command returned exit code -2147024894").0, 0x80070002);
        // Windows Setup's result and extend code, in the notation of Microsoft's "Upgrade
        // error codes" page (`0xC1900101 - 0x4000D`); the lines around them are written here.
        assert_eq!(
            setup_extends("Error: SetupDiag reports abrupt down-level failure. Last Operation: Apply Image. Error: 0x800F0818-0x20003"),
            vec![(0x800F0818, 0x20003)]
        );
        assert_eq!(
            setup_extends("The upgrade failed with 0xC1900101 - 0x4000D"),
            vec![(0xC1900101, 0x4000D)]
        );
        let notes = extend_notes("Result = 0xC1900101 - 0x20017");
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].contains("SAFE_OS") && notes[0].contains("BOOT"),
            "{notes:?}"
        );
        assert!(setup_extends("hr=0x80070005 - no extend here").is_empty());
    }

    fn codes(s: &str) -> Vec<(u32, CodeForm)> {
        find_codes(s).iter().map(|h| (h.value, h.form)).collect()
    }

    fn one(s: &str) -> (u32, CodeForm) {
        let c = codes(s);
        assert_eq!(c.len(), 1, "{s:?} gave {c:x?}");
        c[0]
    }

    use CodeForm::*;

    #[test]
    fn forms_from_the_brief() {
        assert_eq!(
            one("x, HRESULT=80040101 (e:\\a\\tspolicy.cpp,1518)"),
            (0x80040101, HresultEq)
        );
        assert_eq!(
            one("CryptMsgControl (hMsg), HRESULT=8009100e (libcrypt.cpp,351)"),
            (0x8009100E, HresultEq)
        );
        assert_eq!(
            one("Failed to resolve dependencies. Code(0x80040101)"),
            (0x80040101, CodeParen)
        );
        assert_eq!(
            one("Failed to make volume bootable. code 0x80070002"),
            (0x80070002, CodeWord)
        );
        assert_eq!(
            one("Failed to get client identity (80004005)"),
            (0x80004005, Paren)
        );
        assert_eq!(
            one("Failed to run the action: X. Error -2147467259"),
            (0x80004005, Decimal)
        );
        assert_eq!(
            one("Program completed with exit code 2147945410"),
            (0x80070BC2, ExitCode)
        );
        assert_eq!(
            one("Successfully completed the action (X) with the exit win32 code 0"),
            (0, ExitCode)
        );
        assert_eq!(one("Process completed with exit code 0"), (0, ExitCode));
        assert_eq!(
            one("Received 0x87D00269 from the management point"),
            (0x87D00269, Hex0x)
        );
        assert_eq!(
            one("The system cannot find the file specified. (Error: 80004005; Source: Windows)"),
            (0x80004005, ErrorColon)
        );
        assert_eq!(
            one("GetUpdateInfo - failed to get targeted update, error = 0x87d00215"),
            (0x87D00215, ErrorWord)
        );
        assert_eq!(
            one("Failed to delete file. hr = 0x80070005"),
            (0x80070005, HresultEq)
        );
        assert_eq!(
            one("ThreadToResolveAndExecuteTaskSequence returned code 0x80040101"),
            (0x80040101, CodeWord)
        );
        assert_eq!(one("Error 0x80070005"), (0x80070005, ErrorWord));
        assert_eq!(
            one("Step failed, exitCode=0x87D00215"),
            (0x87D00215, ExitCode)
        );
        assert_eq!(
            one("Execution failed with error 80220014"),
            (0x80220014, ErrorWord)
        );
        assert_eq!(one("ERRORLEVEL = -2147024891"), (0x80070005, ExitCode));
        assert_eq!(one("ErrorCode = 2147942402"), (0x80070002, Decimal));
        assert_eq!(one("hr=-2147024894"), (0x80070002, Decimal));
        assert_eq!(one("return code 1603"), (1603, ExitCode));
        assert_eq!(one("LastError = 2"), (2, Decimal));
        assert_eq!(
            one("_SMSTSLastActionRetCode=-2147467259"),
            (0x80004005, ExitCode)
        );
        assert_eq!(one("dwExitCode = 3010"), (3010, ExitCode));
        // WMI methods' results, as a configuration tool reports them.
        assert_eq!(
            one("JoinDomainOrWorkGroup('d','p','u',$null,1).ReturnValue returned 1332 instead of one of [0]"),
            (1332, ExitCode)
        );
        assert_eq!(one("ReturnValue = 2"), (2, ExitCode));
        // Chef reporting msiexec's exit code.
        assert_eq!(
            one("Expected process to exit with [0], but received '1638'"),
            (1638, ExitCode)
        );
        assert!(codes("Expected 3 items but received 1638").is_empty());
        // winget and msiexec on a Portuguese, Spanish or French Windows.
        assert_eq!(
            one("O instalador falhou com o código de saída: 1638"),
            (1638, ExitCode)
        );
        assert_eq!(
            one("Le programme a échoué avec le code de sortie 1603"),
            (1603, ExitCode)
        );
        // Signed HRESULTs and NTSTATUS values without a cue word.
        assert_eq!(
            one("prepareVolume(C:): error code returned during encryption: -2144845809").0,
            0x8028_400F
        );
        assert_eq!(one("exited: -1073741819").0, 0xC000_0005);
        assert!(find_codes("offset -2147483648 bytes").is_empty());
        assert!(find_codes("delta -1200345678").is_empty());
        // A bare count after 'returned' stays a number.
        assert!(find_codes("The query returned 1332 rows").is_empty());
        assert_eq!(one("m_hResult: 0x80004005"), (0x80004005, HresultEq));
    }

    #[test]
    fn forms_from_the_research_notes() {
        assert_eq!(
            one("Policy Evaluation failed, hr=0x87d00269"),
            (0x87D00269, HresultEq)
        );
        assert_eq!(
            one("Required management point not found (Error: 87D00269)"),
            (0x87D00269, ErrorColon)
        );
        assert_eq!(
            one("Install application action failed: 'APP'. Error Code 0x80004005"),
            (0x80004005, CodeWord)
        );
        assert_eq!(
            one("retrieving policy for this computer  (0x80004005)"),
            (0x80004005, Paren)
        );
        assert_eq!(
            one("Unable to activate partition (0x80004001)"),
            (0x80004001, Paren)
        );
        assert_eq!(
            one("Failed to make volume C:\\ bootable. Code 0x80004001."),
            (0x80004001, CodeWord)
        );
        assert_eq!(
            codes("Error 80072efe DownloadFileWithRanges() failed. 80072efe."),
            vec![(0x80072EFE, ErrorWord), (0x80072EFE, BareHex)]
        );
        assert_eq!(
            codes("Suspend(1253): Result = 0xC1800104[gle=0x00000002]"),
            vec![(0xC1800104, ResultWord), (2, LastError)]
        );
        assert_eq!(
            one("CSetupManager::Execute(284): Result = 0x800705BB"),
            (0x800705BB, ResultWord)
        );
        assert_eq!(
            one("{Update Device Driver - exit(00000103)}"),
            (0x103, ExitCode)
        );
        assert_eq!(
            one("<<<  [Exit status: FAILURE(0xC1900101)]"),
            (0xC1900101, Paren)
        );
        assert_eq!(
            one("could not be installed because of error 2149842967"),
            (0x80240017, Decimal)
        );
        assert_eq!(
            one("Exit with error code 0X80240017"),
            (0x80240017, CodeWord)
        );
        assert_eq!(
            one("[HRESULT = 0xd0000034 - NTSTATUS Error]"),
            (0xD0000034, HresultEq)
        );
        assert_eq!(
            one("sysprep DLLs, halting. dwRet = 0x3cf2"),
            (0x3CF2, ResultWord)
        );
        assert_eq!(
            one("RegOpenKeyEx failed on key. Err = 0x00000002"),
            (2, ErrorWord)
        );
        assert_eq!(one("ProvMigration failed 0x80070003"), (0x80070003, Hex0x));
        assert_eq!(
            one("Received 0x80072ee7 from WinHttpSendRequest."),
            (0x80072EE7, Hex0x)
        );
        assert_eq!(one("Exit code = 0x00000000; status 404").1, ExitCode);
        assert_eq!(one("the error code is 0x80070002"), (0x80070002, CodeWord));
    }

    /// .NET's WebException text gives an HTTP status in parentheses: it is no Win32 code
    /// (401 would read ERROR_THREAD_MODE_NOT_BACKGROUND). The line is from
    /// maurice-daly/DriverAutomationTool #120 (tests/real/winpe-drivers/dat-120-*).
    #[test]
    fn http_status_in_parentheses_is_no_code() {
        assert!(codes(
            "PS>TerminatingError(Invoke-RestMethod): \"The remote server returned an error: (401) Unauthorized.\""
        )
        .is_empty());
        assert!(
            codes("The remote server returned an error: (407) Proxy Authentication Required.")
                .is_empty()
        );
        // A Win32 number in parentheses after an error cue stays one.
        assert_eq!(
            codes("failed with error (5) Access is denied."),
            vec![(5, CodeForm::Decimal)]
        );
    }

    #[test]
    fn decimal_next_to_hex_keeps_the_hex() {
        assert_eq!(
            codes("LiteTouch deployment failed, Return Code = 2147467259 0x80004005"),
            vec![(0x80004005, ExitCode)]
        );
    }

    #[test]
    fn setup_result_with_extend_code() {
        let text = "Upgrade failed: 0xC1900101 - 0x4000D";
        let hits = find_codes(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].value, 0xC1900101);
        assert_eq!(setup_extend(text, &hits[0]), Some(0x4000D));
        let text = "Error = 0xC1900101-0x4001E";
        let hits = find_codes(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(setup_extend(text, &hits[0]), Some(0x4001E));
        assert_eq!(
            setup_extend(
                "hr=0x80070005 - fine",
                &find_codes("hr=0x80070005 - fine")[0]
            ),
            None
        );
    }

    #[test]
    fn byte_ranges_cover_the_number() {
        let text = "é Error -2147467259 and Code(0x80040101)";
        let hits = find_codes(text);
        assert_eq!(&text[hits[0].start..hits[0].end], "-2147467259");
        assert_eq!(&text[hits[1].start..hits[1].end], "0x80040101");
    }

    #[test]
    fn negatives_from_real_lines() {
        let lines = [
            // GUIDs
            "Environment scope successfully created: Global\\{51A016B6-F0DE-4752-B97C-54E6F386A912}",
            "ScopeId_15B1CD41-69F5-48EA-9F45-0560A40FE2D8/Application_80A1B2C3-1111-2222-3333-444455556666",
            "key 00000000-0000-0000-0000-000000000000\\GRS",
            "CCM_Thing=\"{80070002-0000-0000-0000-000000000000}\"",
            // thread ids and the thread attribute
            "TSManager    2176 (0x880)  Start executing",
            "InstallApplication 2740 (0xab4) Policy Evaluation",
            "type=\"1\" thread=\"1876\" file=\"tsmbootstrap.cpp:1230\"",
            "983152 (0xf0070) RunDlls:An error occurred while running",
            "2147942402 (0x80070002) is a thread here",
            // IP addresses, ports, sizes, versions
            "Found network adapter with IP Address 192.168.20.109.",
            "Error: 192.168.1.10 is unreachable",
            "http://server.contoso.com:443/SMS_DP_SMSPKG$/x",
            "Decompressing: original size 476, uncompressed size 2568",
            "Current OS version is 10.0.19041.0",
            "Client version 5.00.8238.1403 and build 17763.1.amd64fre.rs5_release.180914-1434",
            // package ids, KB numbers, dates, times
            "Package CEN00045 and PS100012 with (CAB0001A)",
            "Installing KB4012345 (KB 5005565)",
            "<time=\"22:55:38.363+480\" date=\"12-06-2019\" component=\"TSMBootstrap\"",
            "WMI time 20160113225636.150000+000",
            // hashes, pointers, flags, masks, instruction pointers
            "amd64_microsoft-windows-x_31bf3856ad364e35_10.0.26100.1150_none_ac4a0f023b4ef24a\\a.dll",
            "CSI    00000013 Perf: LRU Cache Clear @0x268d3ba16e0",
            "Bugcheck parameter 1  : 0xFFFFFFFFC0000005",
            "GatherMask: 0x00000000, ApplyMask: 0x80000000, Install flags: 0x80000001",
            "Flags: 0X10050 (cV: lsg8SRr0Xk+wqTGd.3.0.0)",
            "Calling into handler 0xc to generate download request",
            "Instruction pointer: 32 and _SMSTSNextInstructionPointer=32",
            "Execution status received: 24 (Application download failed)",
            "WinHttpQueryHeaders() returns status code 404 (Not Found)",
            "ProcessID = 1392; ThreadID = 1608; [000000B205C423A8]",
            "Crash 0x0000007E detected",
            "Mapping HKCU (C:\\Users\\Default\\NTUSER.DAT) to 0x80000003, S-1-0-0",
            "576   4416  Driver          Status: 0x180600a, ProblemNumber: 0x0",
            "Mig::SetScmServiceStartType(641): start type 0x00000002",
            "DigestStore\\321EC959ABCDEF0123456789.xml",
            "Total Bytes: 1160 and ::DecompressBuffer(65536)",
        ];
        for line in lines {
            assert!(
                find_codes(line).is_empty(),
                "{line:?} gave {:x?}",
                codes(line)
            );
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "",
            "-",
            "0x",
            "0X",
            "(",
            "-2147483648",
            "-2147483649",
            "99999999999",
            "Error -",
            "Error 0x",
            "ÿ0x8",
        ] {
            let _ = find_codes(s);
        }
        assert_eq!(codes("error -2147483648"), vec![(0x80000000, Decimal)]);
        assert!(codes("error -2147483649").is_empty());
        assert!(codes("error 4294967296").is_empty());
        assert_eq!(codes("error 4294967295"), vec![(0xFFFFFFFF, Decimal)]);
    }

    proptest::proptest! {
        #[test]
        fn any_text_gives_ordered_hits_on_char_boundaries(
            s in "(?s)[ -~é\\-(){}x0-9a-fA-F:=.]{0,80}|.{0,40}"
        ) {
            let hits = find_codes(&s);
            let mut last_end = 0;
            for h in &hits {
                proptest::prop_assert!(h.start < h.end && h.end <= s.len());
                proptest::prop_assert!(h.start >= last_end);
                proptest::prop_assert!(s.get(h.start..h.end).is_some());
                last_end = h.end;
            }
        }

        #[test]
        fn decode_and_parse_never_panic(v: u32, s in ".{0,24}") {
            let _ = super::super::decode(v).to_string();
            let _ = super::super::parse_code_arg(&s);
            let hex = format!("0x{v:08X}");
            proptest::prop_assert_eq!(super::super::parse_code_arg(&hex), Ok(v));
            let signed = format!("{}", v as i32);
            if (v as i32) < 0 {
                proptest::prop_assert_eq!(super::super::parse_code_arg(&signed), Ok(v));
            }
        }
    }

    /// Runs over every real log line of the shared corpus: no panic, and no
    /// hit inside a GUID or an IP address.
    #[test]
    fn corpus_has_no_hits_in_guids_or_ips() {
        let Some(dir) = crate::corpus_support::corpus() else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        let guid =
            regex::Regex::new(r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
                .expect("guid regex");
        let ip = regex::Regex::new(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b").expect("ip regex");
        let mut files = 0;
        let mut hits = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("log") {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            files += 1;
            let text = String::from_utf8_lossy(&bytes);
            for line in text.lines() {
                let found = find_codes(line);
                hits += found.len();
                for h in &found {
                    for m in guid.find_iter(line).chain(ip.find_iter(line)) {
                        assert!(
                            h.end <= m.start() || h.start >= m.end(),
                            "{}: hit {:?} inside {:?} in {line:?}",
                            path.display(),
                            &line[h.start..h.end],
                            m.as_str()
                        );
                    }
                }
            }
        }
        println!("{files} corpus files, {hits} codes found");
    }
}

#[cfg(test)]
mod notation_tests {
    use super::find_codes;

    /// The notations the logs a failed deployment leaves use, each with the code it
    /// must give (the shapes of smsts, setupact, CBS, NetSetup, Sysprep, MSI, MDT and
    /// ccmsetup lines).
    #[test]
    fn every_notation_of_the_deployment_logs() {
        let cases: &[(&str, u32)] = &[
            ("CreateProcess failed, hr=0x80070002", 0x8007_0002),
            (
                "Loading offline registry hive (HRESULT=0x80070005)",
                0x8007_0005,
            ),
            (
                "Failed to get session [HRESULT = 0x800f0818 - CBS_E_IDENTITY_MISMATCH]",
                0x800F_0818,
            ),
            ("NetpDoDomainJoin: status: 0x32", 0x32),
            (
                "SYSPRP RunPlatformActions:Failed while validating; dwRet = 0x3cf2",
                0x3CF2,
            ),
            (
                "CSetupManager::Execute(284): Result = 0x800705BB",
                0x8007_05BB,
            ),
            ("Installation failed with error code 1603", 1603),
            (
                "Failed to download client files by BITS. Error 0x80190194",
                0x8019_0194,
            ),
            ("FAILURE ( 5212 ): Unable to find driver path", 5212),
            ("CcmSetup failed with error code 0x80190194", 0x8019_0194),
        ];
        for (text, want) in cases {
            let got: Vec<u32> = find_codes(text).into_iter().map(|h| h.value).collect();
            assert!(got.contains(want), "{text}: {got:x?}");
        }
    }
}
