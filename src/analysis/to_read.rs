//! The errors most worth reading, from the log itself, for a run that did not succeed and
//! that no specific rule explains: what an admin reads first when the cause is unknown.
//!
//! Not a finding (a rule's or the log's own diagnosis): a list of the log's own error lines,
//! ranked by how much each gives away. A record with a decoded code and words that say
//! what went wrong ("denied", "not found", "failed to get sid") beats a wrapper that only
//! says something failed ("Failed to run the action", "Unspecified error"); a chain is one
//! entry, its root frame; repeats of one message template are one entry with a count; and
//! the errors nearer the end of the run rank higher. Errors the run recovered from (their
//! source or component said it succeeded afterwards) or went on past (a log that is not
//! known to have failed and kept logging without error) are left out.
//!
//! The work is bounded: only the last records before the end are walked, only their error
//! records are read, and only those are ranked.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use memchr::memmem;

use serde::Serialize;

use crate::codes::{decode, find_codes};
use crate::log::{Log, RecordRef};
use crate::parse::{Format, Severity};

use super::steps::{RunOutcome, StepOutcome};
use super::Analysis;

/// Records walked back from the end of the run, at most (the finding that says what failed
/// reads 400).
const WALK: usize = 20_000;

/// Error records read and ranked, at most (the nearest the end).
const CANDIDATES: usize = 2_000;

/// Entries shown, at most.
const SHOWN: usize = 8;

/// Records a source logs without error after an error, in a run not known to have failed,
/// that say it went on past the error.
const WENT_ON: usize = 20;

/// Points of a line that tells something of its own: a decoded code, or words that say
/// what went wrong.
const TELLS: i32 = 4;

/// Findings above this priority are specific (see `docs/kb.md`): they explain the run,
/// unless they are only a low-confidence guess (which `scan` never groups by either).
const GENERIC_PRIORITY: i32 = 40;

/// Words of messages that only wrap or restate another failure.
const WRAPPERS: &[&str] = &[
    "Failed to run the action",
    "Failed to run the last action",
    "Unspecified error",
    "Unknown error",
    "Operation failed",
    "Operation aborted",
    "An action failed",
    "Task sequence execution failed",
    "Execution of task sequence failed",
    "Task Sequence Engine failed",
    "has failed and the execution has been aborted",
    "Litetouch deployment failed",
    "LiteTouch deployment failed",
    "CcmSetup failed with error code",
    "Installation success or error status",
    "Return value 3",
    "returned actual error code",
    "Failed to run task sequence",
    "An error occurred while running",
    "; Source: Windows)",
    "; Source: Unknown)",
    "Process completed with exit code",
];

/// Words that say what went wrong, lower case: a line holding one gives the cause away.
const TELLING: &[&str] = &[
    "denied",
    "not found",
    "cannot find",
    "can not find",
    "failed to find",
    "missing",
    "not valid",
    "not supported",
    "not applicable",
    "blocked",
    "unauthorized",
    "forbidden",
    "not allowed",
    "insufficient",
    "rejected",
    "could not find",
    "does not exist",
    "no such",
    "password",
    " sid",
    "permission",
    "violation",
    "duplicate",
    "invalid",
    "timed out",
    "timeout",
    "refused",
    "corrupt",
    "mismatch",
    "expired",
    "untrusted",
    "certificate",
    "not enough",
    "disk full",
    "no space",
    "unable to",
    "cannot",
    "could not",
    "not trusted",
    "unreachable",
];

/// Codes that say only that something failed.
const GENERIC_CODES: &[u32] = &[
    0x8000_4005, // E_FAIL
    0x8000_FFFF, // E_UNEXPECTED
    0x8000_4004, // E_ABORT
    0xFFFF_FFFF, // -1
    0x0000_0001,
    0x8007_0643, // ERROR_INSTALL_FAILURE as an HRESULT
    0x0000_0643,
];

/// One code of an error to read, decoded as `tslens lookup` decodes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CodeRead {
    /// `0x%08X`.
    pub code: String,
    /// The symbolic name, when one is known.
    pub name: Option<&'static str>,
    /// One line in plain words (or the component's own text for it).
    pub meaning: Option<String>,
    /// Why Windows' name or text may mislead (FACILITY_ITF, customer codes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One error worth reading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorToRead {
    /// Position in the merged log (where the explorer jumps).
    #[serde(skip)]
    pub index: usize,
    /// The file it came from.
    pub source: String,
    /// 1-based line in that file.
    pub line: u64,
    /// The record's component, when its format has one.
    pub component: Option<String>,
    /// The message (long ones cut short, as evidence is).
    pub text: String,
    /// Every code in the message but 0, decoded.
    pub codes: Vec<CodeRead>,
    /// How many error records of the walk share this message's template (its words, the
    /// numbers aside).
    pub repeats: usize,
    /// For the root frame of an HRESULT chain: how many frames the chain has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain_frames: Option<usize>,
}

/// A message's template: its words, every word holding a digit, a path or a quote made
/// `#` (GUIDs, codes, counts, times, file names), so the repeats of one error are one.
fn template(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(256));
    for word in message.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        let varies = word
            .bytes()
            .any(|b| b.is_ascii_digit() || matches!(b, b'\\' | b'/' | b'\'' | b'"'));
        if varies {
            out.push('#');
        } else {
            out.push_str(word.trim_matches(|c: char| !c.is_alphanumeric()));
        }
    }
    out
}

/// Whether text may hold "success" or "succeeded" in any case the logs write them: a
/// search built once, as the walk asks it of every record.
fn has_success_word(text: &[u8]) -> bool {
    static LOWER: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("ucce"));
    static UPPER: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("UCCE"));
    LOWER.find(text).is_some() || UPPER.find(text).is_some()
}

/// Whether a message says something succeeded (not MSI's "success or error status").
fn says_success(message: &str) -> bool {
    // Most records say neither: no lower-casing for them.
    if !has_success_word(message.as_bytes()) {
        return false;
    }
    let lower = message.to_ascii_lowercase();
    (lower.contains("success") || lower.contains("succeeded"))
        && !lower.contains("success or error")
}

/// Whether a message holds words that say what went wrong.
fn telling(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    TELLING.iter().any(|w| lower.contains(w))
}

/// Words of three letters or more in a message.
fn words(message: &str) -> usize {
    (message.split(|c: char| !c.is_alphabetic()))
        .filter(|w| w.len() >= 3)
        .count()
}

/// Whether a message carries an HRESULT or NTSTATUS with its failure bit set.
fn failure_code(message: &str) -> bool {
    // Most lines hold no "0x" or "80"/"C0" run at all.
    let b = message.as_bytes();
    if !b.iter().any(u8::is_ascii_digit) {
        return false;
    }
    find_codes(message)
        .iter()
        .any(|h| h.value >= 0x8000_0000 && h.value != 0xFFFF_FFFF)
}

/// What a record's message gives away, as points.
fn score(message: &str, codes: &[u32], chain_root: bool) -> i32 {
    let mut score = 0;
    let specific: Vec<u32> = (codes.iter().copied())
        .filter(|&c| c != 0 && !GENERIC_CODES.contains(&c))
        .collect();
    if specific.iter().any(|&c| {
        let d = decode(c);
        d.name.is_some() || d.meaning.is_some() || d.message.is_some()
    }) {
        score += 4;
    } else if !specific.is_empty() {
        score += 2;
    }
    if telling(message) {
        score += 4;
    }
    if words(message) >= 6 {
        score += 1;
    }
    if WRAPPERS.iter().any(|w| message.contains(w)) {
        score -= 5;
    }
    if chain_root {
        score += 1;
    }
    score
}

/// A message as quoted: its first line (an exception's stack, a dump, follow it), cut
/// as evidence is.
fn first_line(message: &str) -> String {
    let message = message.trim();
    match message.split_once(['\r', '\n']) {
        Some((first, _)) => crate::kb::evidence_text(first) + " …",
        None => crate::kb::evidence_text(message),
    }
}

/// The codes of a message, decoded, each once, 0 left out.
fn decoded(message: &str, codes: &[u32]) -> Vec<CodeRead> {
    let mut seen = HashSet::new();
    // SQL Server's messages number its own errors ("ERROR 2627": a unique key violation):
    // Windows' name for the number would mislead.
    let sql = message.contains("[SQL Server]");
    (codes.iter().copied())
        .filter(|&c| c != 0 && seen.insert(c))
        .map(|c| {
            if sql && c <= 0xFFFF {
                return CodeRead {
                    code: crate::present::hex(c),
                    name: None,
                    meaning: Some(format!("SQL Server error {c}, not a Windows code")),
                    note: None,
                };
            }
            let d = decode(c);
            CodeRead {
                code: crate::present::hex(c),
                name: d.name,
                meaning: (d.meaning.or(d.message)).map(|m| m.trim_end_matches('.').to_string()),
                note: d.warning,
            }
        })
        .collect()
}

struct Candidate {
    pos: usize,
    record: RecordRef,
    message: String,
    codes: Vec<u32>,
    component: Option<String>,
    chain_frames: Option<usize>,
}

/// Counts a record source `si` logged without error (walking back), and whether the run,
/// not known to have failed, went on past every earlier error of every source: then the
/// walk can stop.
fn went_past(clean_after: &mut [usize], went_on: &mut [bool], si: usize, failed: bool) -> bool {
    let Some(n) = clean_after.get_mut(si) else {
        return false;
    };
    *n += 1;
    if failed || *n <= WENT_ON {
        return false;
    }
    if let Some(w) = went_on.get_mut(si) {
        *w = true;
    }
    went_on.iter().all(|&w| w)
}

/// The errors to read for a log and its analysis (findings already made), best first;
/// empty when the run succeeded, when a specific finding explains it, or when nothing
/// is left to add to the finding that says what failed.
pub fn errors_to_read(log: &Log, analysis: &Analysis) -> Vec<ErrorToRead> {
    let t = &analysis.steps;
    if t.outcome == RunOutcome::Succeeded || log.is_empty() {
        return Vec::new();
    }
    let what_failed = analysis
        .findings
        .iter()
        .find(|f| f.id == super::diagnosis::ID);
    if (analysis.findings.iter()).any(|f| {
        f.id != super::diagnosis::ID
            && f.priority > GENERIC_PRIORITY
            && f.confidence != crate::kb::Confidence::Low
    }) {
        return Vec::new();
    }
    let _t = crate::timing::Stage::start("errors to read");
    let failed = t.outcome == RunOutcome::Failed;
    let end = match (failed, t.failed_at) {
        (true, Some(at)) => at.min(log.len() - 1),
        _ => log.len() - 1,
    };
    let from = end.saturating_sub(WALK);
    let ignored: Vec<(usize, usize)> = (t.steps.iter())
        .filter(|s| s.outcome == StepOutcome::Ignored)
        .map(|s| s.span)
        .collect();
    // Each chain's members are one entry: its root frame.
    let mut in_chain: HashMap<usize, Option<usize>> = HashMap::new();
    // The spans of those chains: a line logged amid the frames may say what they only
    // code ("PowerShell.exe does not exist at ...").
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for c in analysis
        .chains
        .iter()
        .filter(|c| c.span.1 >= from && c.span.0 <= end)
    {
        spans.push(c.span);
        let root = c.root_frame();
        for (k, (r, _)) in c.frames.iter().enumerate() {
            in_chain.insert(log.position(*r), (k == root).then_some(c.frames.len()));
        }
        for (r, _) in &c.summaries {
            in_chain.entry(log.position(*r)).or_insert(None);
        }
    }
    // Walking back: the sources and components that said they succeeded later, and the
    // records each source logged without error since its last error.
    let mut succeeded: HashSet<(u32, Option<String>)> = HashSet::new();
    let mut clean_after: Vec<usize> = vec![0; log.sources.len()];
    let mut went_on: Vec<bool> = vec![false; log.sources.len()];
    let mut cands: Vec<Candidate> = Vec::new();
    for pos in (from..=end).rev() {
        if cands.len() >= CANDIDATES {
            break;
        }
        if ignored.iter().any(|&(a, b)| (a..=b).contains(&pos)) {
            continue;
        }
        let r = log.at(pos);
        let si = r.source as usize;
        let meta = log.meta(r);
        let chain = if in_chain.is_empty() {
            None
        } else {
            in_chain.get(&pos).copied()
        };
        // Most records are neither errors nor successes: their raw bytes say so, unparsed.
        let raw = log.source(r).raw(r.index as usize);
        let error = meta.severity() == Severity::Error
            || matches!(chain, Some(Some(_)))
            // A pasted or plain line has no severity field: a failure HRESULT on it
            // ("GetUpdateApplicability returned code 0x80004001") says it is an error.
            || (meta.format() == Format::Plain && failure_code(&String::from_utf8_lossy(raw)))
            || (chain.is_none()
                && spans.iter().any(|&(a, b)| (a..=b).contains(&pos))
                && telling(&String::from_utf8_lossy(raw)));
        let success_word = !error && has_success_word(raw);
        if !error && !success_word {
            if went_past(&mut clean_after, &mut went_on, si, failed) {
                break;
            }
            continue;
        }
        let f = log.fields(r);
        let component = match meta.format() {
            // A pasted line's "component" is a guess from its last word.
            Format::Plain => None,
            _ => f.component_str().map(|c| c.into_owned()),
        };
        if !error {
            if says_success(&f.message_str()) {
                succeeded.insert((r.source, component));
            }
            if went_past(&mut clean_after, &mut went_on, si, failed) {
                break;
            }
            continue;
        }
        let message = f.message_str();
        let codes: Vec<u32> = find_codes(&message).into_iter().map(|h| h.value).collect();
        // "exit code 0", "error code 0x00000000": a success worded as an error.
        if !codes.is_empty() && codes.iter().all(|&c| c == 0) {
            succeeded.insert((r.source, component));
            continue;
        }
        // A header such as "Level: Error" says nothing of its own.
        if codes.is_empty() && words(&message) < 3 {
            continue;
        }
        if let Some(n) = clean_after.get_mut(si) {
            *n = 0;
        }
        let recovered = succeeded.contains(&(r.source, component.clone()))
            || (component.is_some() && succeeded.contains(&(r.source, None)));
        if recovered || went_on.get(si).copied().unwrap_or(false) {
            continue;
        }
        let chain_frames = match chain {
            Some(None) => continue,
            Some(Some(n)) => Some(n),
            None => None,
        };
        cands.push(Candidate {
            pos,
            record: r,
            message: message.into_owned(),
            codes,
            component,
            chain_frames,
        });
    }
    rank(log, cands, what_failed)
}

/// The candidates (walked from the end back) ranked, their templates counted, and the
/// lines the finding that says what failed already quotes left out.
fn rank(
    log: &Log,
    cands: Vec<Candidate>,
    what_failed: Option<&crate::kb::Finding>,
) -> Vec<ErrorToRead> {
    let (Some(last), Some(first)) = (cands.first(), cands.last()) else {
        return Vec::new();
    };
    let span = (last.pos - first.pos).max(1);
    // Per template: the candidate standing for it, how many share it, its points, and the
    // points of what it says (nearness aside).
    let mut groups: HashMap<String, (usize, usize, i32, i32)> = HashMap::new();
    for (i, c) in cands.iter().enumerate() {
        let said = score(&c.message, &c.codes, c.chain_frames.is_some());
        // Nearer the end counts more: up to 2 points.
        let s = said + (2 * (c.pos - first.pos) / span) as i32;
        let g = groups
            .entry(template(&c.message))
            .or_insert((i, 0, s, said));
        g.1 += 1;
        // The best of a template stands for it; of equals, the later (walked first).
        if s > g.2 {
            *g = (i, g.1, s, said);
        }
    }
    // The codes the finding's evidence shows already.
    let shown: HashSet<u32> = (what_failed.iter())
        .flat_map(|f| f.evidence.iter())
        .flat_map(|e| find_codes(&e.text))
        .map(|h| h.value)
        .collect();
    let adds = |c: &Candidate| {
        telling(&c.message)
            || (c.codes.iter())
                .any(|&k| k != 0 && !GENERIC_CODES.contains(&k) && !shown.contains(&k))
    };
    let quoted: HashSet<(usize, String)> = what_failed
        .map(|f| {
            (f.evidence.iter())
                .flat_map(|e| [(e.index, String::new()), (usize::MAX, template(&e.text))])
                .collect()
        })
        .unwrap_or_default();
    // Beside the finding that says what failed, only what it does not quote, and only a
    // line that tells something (a decoded code, words that say what went wrong) it does
    // not: a code its lines do not show, or such words.
    let mut ranked: Vec<(usize, usize, i32)> = groups
        .into_iter()
        .filter(|(t, (i, _, _, said))| {
            what_failed.is_none()
                || (*said >= TELLS
                    && adds(&cands[*i])
                    && !quoted.contains(&(cands[*i].pos, String::new()))
                    && !quoted.contains(&(usize::MAX, t.clone())))
        })
        .map(|(_, (i, n, s, _))| (i, n, s))
        .collect();
    ranked.sort_by_key(|&(i, _, s)| (std::cmp::Reverse(s), std::cmp::Reverse(cands[i].pos)));
    ranked.truncate(SHOWN);
    ranked
        .into_iter()
        .map(|(i, repeats, _)| {
            let c = &cands[i];
            ErrorToRead {
                index: c.pos,
                source: log.source(c.record).text.path.clone(),
                line: u64::from(log.meta(c.record).line),
                component: c
                    .component
                    .clone()
                    .or_else(|| (log.fields(c.record).component_str()).map(|s| s.into_owned())),
                text: first_line(&c.message),
                codes: decoded(&c.message, &c.codes),
                repeats,
                chain_frames: c.chain_frames,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_set_numbers_aside() {
        assert_eq!(
            template("Failed to sync update 7155376c-87e9-4f55. Error: -1"),
            template("Failed to sync update 9f6cfa34-72f4-4fe6. Error: -2")
        );
        assert_ne!(
            template("Failed to sync update 1"),
            template("Failed to save update 1")
        );
        assert_eq!(
            template(r"Failed to delete \\?\C:\windows.old\a.dll. hr = 0x80070005"),
            template(r"Failed to delete \\?\C:\windows.old\WINDOWS\b.dll. hr = 0x80070005")
        );
    }

    #[test]
    fn success_words_but_not_msis_status() {
        assert!(says_success("Service installed successfully"));
        assert!(!says_success("Installation success or error status: 1603."));
    }
}
