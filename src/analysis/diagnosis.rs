//! What failed and why, from the log itself: when a run failed, a finding that names
//! the failing step, action or phase, decodes the code that failed it, and quotes the
//! lines that give the cause away, the most specific first. It stands under every known
//! problem a rule recognised and above the generic advice, so a log no rule knows still
//! gets a diagnosis.

use crate::codes::{decode, find_codes};
use crate::kb::{Confidence, Evidence, Finding};
use crate::log::Log;
use crate::parse::Severity;

use super::ends::Activity;
use super::steps::{RunOutcome, StepOutcome};
use super::Analysis;

/// The id of the finding built from the log.
pub const ID: &str = "what-failed";

/// How many records before the failure are read for its cause.
const WINDOW: usize = 400;

/// How many lines of evidence the finding quotes.
const EVIDENCE: usize = 6;

/// Findings at or under this priority are generic advice (see `docs/kb.md`); the finding
/// built from the log goes above them.
const GENERIC_PRIORITY: i32 = 40;

/// Codes that say only that something failed.
const GENERIC_CODES: &[u32] = &[
    0x8000_4005, // E_FAIL
    0x8000_FFFF, // E_UNEXPECTED
    0x0000_0001,
    0x8007_0643, // ERROR_INSTALL_FAILURE as an HRESULT
    0x0000_0643,
    0x0000_0000,
];

/// Words of the messages that only wrap another failure.
const WRAPPERS: &[&str] = &[
    "Failed to run the action",
    "Failed to run the last action",
    "Unspecified error",
    "Task sequence execution failed",
    "Execution of task sequence failed",
    "Task Sequence Engine failed",
    "has failed and the execution has been aborted",
    "Sending status message",
    "Litetouch deployment failed",
    "LiteTouch deployment failed",
    "CcmSetup failed with error code",
    "Installation success or error status",
    "Return value 3",
    "ERROR_INSTALL_FAILURE",
    "Failed to run task sequence",
    "An error occurred while running",
    // TSManager restating a code in Windows' words, and a program's exit code: both say
    // which code, not what failed.
    "; Source: Windows)",
    "Process completed with exit code",
];

fn is_generic_code(c: u32) -> bool {
    GENERIC_CODES.contains(&c)
}

fn code_meaning(c: u32) -> Option<String> {
    let d = decode(c);
    d.meaning.map(|m| m.trim_end_matches('.').to_string())
}

struct Candidate {
    pos: usize,
    score: i32,
    text: String,
    source: String,
    line: u64,
    component: String,
    codes: Vec<u32>,
    /// Windows Setup extend codes written after the codes (`0xC1900101 - 0x4000D`).
    extends: Vec<(u32, u32)>,
}

fn tool_reading(c: u32, activity: Option<Activity>) -> Option<crate::codes::ToolReading> {
    crate::present::tool_reading(c, activity)
}

/// `code_text` with the phase and operation of the code's extend code, when one of
/// the candidates wrote one after it.
fn code_text_ext(c: u32, cands: &[&Candidate], activity: Option<Activity>) -> String {
    if let Some(r) = tool_reading(c, activity) {
        return match r.name {
            Some(n) => format!("{c} ({n}: {})", r.meaning.trim_end_matches('.')),
            None => format!("{c} ({})", r.meaning.trim_end_matches('.')),
        };
    }
    let mut s = crate::present::code_and_name(c);
    if let Some(&(_, e)) = cands
        .iter()
        .flat_map(|k| k.extends.iter())
        .find(|(v, _)| *v == c)
    {
        s.push_str(&format!(" ({})", crate::codes::Extend::new(e)));
    }
    s
}

/// The finding built from the log when its run failed, or `None`.
pub fn what_failed(log: &Log, analysis: &Analysis) -> Option<Finding> {
    let t = &analysis.steps;
    if t.outcome != RunOutcome::Failed || log.is_empty() {
        return None;
    }
    let end = t.failed_at.unwrap_or(log.len() - 1).min(log.len() - 1);
    // Errors of steps the sequence went past are not this failure's cause.
    let ignored: Vec<(usize, usize)> = (t.steps.iter())
        .filter(|s| s.outcome == StepOutcome::Ignored)
        .map(|s| s.span)
        .collect();
    // The chain that climbed to the failure, when one did with a specific root: it
    // names the code better than a generic exit code does.
    let chain = analysis
        .chains
        .iter()
        .rev()
        .find(|c| c.span.1 <= end && c.span.1 + WINDOW >= end && !is_generic_code(c.root));
    let mut from = end.saturating_sub(WINDOW);
    if let Some(c) = chain {
        // An earlier chain with another root that ended before this one began is another
        // incident (a paste holding two): its errors did not cause this failure.
        if let Some(other) =
            (analysis.chains.iter().rev()).find(|o| o.span.1 < c.span.0 && o.root != c.root)
        {
            from = from.max(other.span.1 + 1);
        }
    }
    let root = chain.map(|c| c.root);
    let code = match (t.exit_code, root) {
        (Some(c), Some(r)) if is_generic_code(c) => Some(r),
        (Some(c), _) => Some(c),
        (None, r) => r,
    };
    let mut cands = Vec::new();
    for pos in from..=end {
        if ignored.iter().any(|&(a, b)| (a..=b).contains(&pos)) {
            continue;
        }
        let r = log.at(pos);
        let meta = log.meta(r);
        let f = log.fields(r);
        let message = f.message_str();
        let codes: Vec<u32> = find_codes(&message).into_iter().map(|h| h.value).collect();
        let mut score = match meta.severity() {
            Severity::Error => 4,
            Severity::Warning => 1,
            Severity::Info => 0,
        };
        let specific = codes.iter().any(|&c| !is_generic_code(c) && c > 0xFFFF);
        if specific {
            score += 3;
        } else if codes.iter().any(|&c| c != 0) {
            score += 1;
        }
        if pos != end && score == 0 {
            continue;
        }
        if WRAPPERS.iter().any(|w| message.contains(w)) {
            score -= 4;
        } else if code.is_some_and(|c| !is_generic_code(c) && codes.contains(&c)) {
            // A line that shows the code that failed the run, other than in a wrapper's
            // words, gives its cause away.
            score += 3;
        }
        // Nearer the failure counts more: up to 2 points.
        score += (2 * (WINDOW - (end - pos).min(WINDOW)) / WINDOW) as i32;
        cands.push(Candidate {
            pos,
            score,
            text: crate::kb::evidence_text(&message),
            source: log.source(r).text.path.clone(),
            line: u64::from(meta.line),
            component: f
                .component
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .unwrap_or_default(),
            extends: crate::codes::setup_extends(&message),
            codes,
        });
    }
    let failure = cands.iter().position(|c| c.pos == end);
    let mut ranked: Vec<usize> = (0..cands.len()).filter(|&i| Some(i) != failure).collect();
    // Best first; of equals, the later one (nearer the failure).
    ranked.sort_by_key(|&i| {
        (
            std::cmp::Reverse(cands[i].score),
            std::cmp::Reverse(cands[i].pos),
        )
    });
    ranked.retain(|&i| cands[i].score > 0);
    // One line per wording: retries repeat the same error.
    let mut seen = std::collections::HashSet::new();
    ranked.retain(|&i| seen.insert(cands[i].text.clone()));
    ranked.truncate(EVIDENCE - 1);
    let top = ranked.first().map(|&i| &cands[i]);
    let mut chosen: Vec<&Candidate> = ranked.iter().map(|&i| &cands[i]).collect();
    if let Some(i) = failure {
        chosen.push(&cands[i]);
    }

    let what = match (&t.failing_step, t.steps.is_empty()) {
        (Some(step), false) => format!("The step \"{step}\""),
        (Some(phase), true) => phase.clone(),
        (None, _) => match &t.failure_before_steps {
            Some(_) => "The task sequence, before any step ran,".to_string(),
            None => "The run".to_string(),
        },
    };
    let code = code.or_else(|| top.and_then(|c| c.codes.first().copied()));
    let title = match code {
        Some(c) => format!(
            "{what} failed with {}",
            code_text_ext(c, &chosen, t.failed_activity)
        ),
        None => format!("{what} failed"),
    };
    let mut cause = title.clone();
    if tool_reading(code.unwrap_or(u32::MAX), t.failed_activity).is_some() {
        // Said in the title already; Windows' reading of the number would mislead.
    } else if let Some(m) = code.and_then(code_meaning) {
        cause.push_str(&format!(": {m}"));
    }
    cause.push('.');
    if let Some(top) = top {
        if !top.component.is_empty() {
            cause.push_str(&format!(" {} logged", top.component));
        } else {
            cause.push_str(" The log has");
        }
        cause.push_str(&format!(
            " the most specific error before it: \"{}\"",
            top.text
        ));
        if let Some(&c) = top
            .codes
            .iter()
            .find(|&&c| Some(c) != code && !is_generic_code(c) && c != 0)
        {
            cause.push_str(&format!(
                ", code {}",
                code_text_ext(c, &chosen, t.failed_activity)
            ));
            if tool_reading(c, t.failed_activity).is_some() {
                // The tool's reading is in the code's text.
            } else if let Some(m) = code_meaning(c) {
                cause.push_str(&format!(": {m}"));
            }
        }
        cause.push('.');
    }
    let fix = vec![
        "Read the evidence from the top: the first line is the most specific error logged before the failure, the last is the failure itself.".to_string(),
        "If a known problem above matches, follow its fix; otherwise look up the first line's code with `tslens lookup CODE` and search its wording with the component's name.".to_string(),
        "Fix the cause, then run the deployment again and check that this step or phase succeeds.".to_string(),
    ];
    Some(Finding {
        id: ID.to_string(),
        title,
        confidence: Confidence::Medium,
        priority: GENERIC_PRIORITY + 1,
        // One cause, however it reads: the quoted log line may hold "2. " of its own.
        causes: vec![cause],
        fix,
        references: Vec::new(),
        versions: None,
        evidence: chosen
            .iter()
            .map(|c| Evidence {
                index: c.pos,
                source: c.source.clone(),
                line: c.line,
                text: c.text.clone(),
            })
            .collect(),
        occurrences: 1,
    })
}

/// Places the finding built from the log under every specific finding and above the
/// generic advice.
pub fn place(findings: &mut Vec<Finding>, finding: Finding) {
    let at = findings
        .iter()
        .position(|f| f.priority <= GENERIC_PRIORITY)
        .unwrap_or(findings.len());
    findings.insert(at, finding);
}
