//! `tslens scan`: every machine of a wave analysed, on every core, and the failures grouped
//! by cause. Each machine's log is opened, analysed, summed up in a [`MachineResult`] of a
//! few hundred bytes and dropped before the worker takes the next, so memory stays flat
//! however many machines there are; the rules' scan is compiled once ([`Engine`]) and
//! shared by the workers.

mod follow;
mod html;
mod out;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::analysis::{Analysis, RunOutcome};
use crate::engine::{Depth, Engine};
use crate::input::machines::Machine;
use crate::kb::Confidence;
use crate::log::Log;

pub use follow::follow_ndjson;
pub use html::render_html;
pub use out::{render_csv, render_json, render_text, write_ndjson, NDJSON_SCHEMA};

/// One finding of one machine, as the scan keeps it.
#[derive(Clone, Debug, Serialize)]
pub struct FindingBrief {
    /// Rule id.
    pub id: String,
    /// Rule title.
    pub title: String,
    /// `high`, `medium` or `low`.
    pub confidence: String,
    /// The rule's priority; generic advice is at or below [`GENERIC_PRIORITY`].
    pub priority: i32,
    /// The first evidence record: its source, line and text.
    pub evidence_source: Option<String>,
    /// Line of that record in its source.
    pub evidence_line: Option<u64>,
    /// Its text (cut short).
    pub evidence: Option<String>,
}

/// The error to read first on a failed machine that no known problem explains: the top
/// entry of the analysis' errors to read (`docs/errors-to-read.md`), so that a wave's
/// unexplained failures still say, machine by machine, which line tells the cause.
#[derive(Clone, Debug, Serialize)]
pub struct ReadFirst {
    /// The log holding it.
    pub source: String,
    /// Its line, 1-based, in that log.
    pub line: u64,
    /// Its message (cut short, as evidence is).
    pub text: String,
    /// Its first code, `0x%08X`, and the code's name when one is known.
    pub code: Option<String>,
}

impl ReadFirst {
    fn of(e: &crate::analysis::to_read::ErrorToRead) -> ReadFirst {
        let code = e.codes.first().map(|c| match c.name {
            Some(name) => format!("{} {name}", c.code),
            None => c.code.clone(),
        });
        ReadFirst {
            source: e.source.clone(),
            line: e.line,
            text: e.text.clone(),
            code,
        }
    }
}

/// What the scan keeps of one machine.
#[derive(Clone, Debug, Serialize)]
pub struct MachineResult {
    /// The machine's name (its folder's or zip's path below the path given).
    pub machine: String,
    /// Its folder, zip or log.
    pub path: String,
    /// The logs read.
    pub sources: Vec<String>,
    /// `succeeded`, `failed`, `running`, `unknown`, or `unreadable`.
    pub outcome: &'static str,
    /// The step that failed.
    pub failing_step: Option<String>,
    /// The run's exit code, `0x%08X`.
    pub exit_code: Option<String>,
    /// The root code of the failure's chain (else the exit code), `0x%08X`.
    pub root_code: Option<String>,
    /// Where the run failed before any step ran, in the log's words.
    pub failure_before_steps: Option<String>,
    /// Known problems, root cause first.
    pub findings: Vec<FindingBrief>,
    /// When no known problem explains a run that did not succeed: the error to read first.
    pub read_first: Option<ReadFirst>,
    /// The cause the machine is grouped under (failed machines only).
    pub cause: Option<String>,
    /// Time of the first record, UTC, `YYYY-MM-DD HH:MM:SS`.
    pub start: Option<String>,
    /// Time of the last record, UTC.
    pub end: Option<String>,
    /// Records read.
    pub records: usize,
    /// Error records.
    pub errors: usize,
    /// Why the machine could not be read.
    pub error: Option<String>,
    /// Entries of its bundles that could not be read.
    pub skipped: Vec<String>,
}

impl MachineResult {
    fn unreadable(m: &Machine, error: String) -> MachineResult {
        let mut r = MachineResult::unreadable_named(&m.name, error);
        r.path = m.path.display().to_string();
        r
    }

    /// A machine that could not be read, and why.
    pub fn unreadable_named(name: &str, error: String) -> MachineResult {
        MachineResult {
            machine: name.to_string(),
            path: name.to_string(),
            sources: Vec::new(),
            outcome: "unreadable",
            failing_step: None,
            exit_code: None,
            root_code: None,
            failure_before_steps: None,
            findings: Vec::new(),
            read_first: None,
            cause: None,
            start: None,
            end: None,
            records: 0,
            errors: 0,
            error: Some(error),
            skipped: Vec::new(),
        }
    }

    /// Sums up a machine's analysis.
    pub fn of(name: &str, path: &str, log: &Log, analysis: &Analysis) -> MachineResult {
        let run = &analysis.steps;
        let failed = run.outcome == RunOutcome::Failed;
        let root = failure_root(analysis);
        let findings: Vec<FindingBrief> = (analysis.findings.iter())
            .map(|f| {
                let ev = f.evidence.first();
                FindingBrief {
                    id: f.id.clone(),
                    title: f.title.clone(),
                    confidence: f.confidence.as_str().to_string(),
                    priority: f.priority,
                    evidence_source: ev.map(|e| e.source.clone()),
                    evidence_line: ev.map(|e| e.line),
                    evidence: ev.map(|e| e.text.clone()),
                }
            })
            .collect();
        let mut r = MachineResult {
            machine: name.to_string(),
            path: path.to_string(),
            sources: log.sources.iter().map(|s| s.text.path.clone()).collect(),
            outcome: run.outcome.name(),
            failing_step: run.failing_step.clone(),
            exit_code: run.exit_code.map(crate::report::hex),
            root_code: root.map(crate::report::hex),
            failure_before_steps: run.failure_before_steps.clone(),
            findings,
            read_first: analysis.errors_to_read.first().map(ReadFirst::of),
            cause: None,
            start: log_time(log, true),
            end: log_time(log, false),
            records: log.len(),
            errors: log.sources.iter().map(|s| s.severity_counts().0).sum(),
            error: None,
            skipped: Vec::new(),
        };
        if failed {
            r.cause = Some(cause_of(&r).0);
        }
        r
    }
}

/// The root code of the failure: the last chain within the failing step (else the last
/// chain of the log), else the run's exit code.
fn failure_root(analysis: &Analysis) -> Option<u32> {
    let run = &analysis.steps;
    let failing = run
        .steps
        .iter()
        .rev()
        .find(|s| s.outcome == crate::analysis::StepOutcome::Failed);
    let in_step = failing.and_then(|s| {
        (analysis.chains.iter().rev()).find(|c| c.span.0 >= s.span.0 && c.span.0 <= s.span.1)
    });
    in_step
        .or_else(|| analysis.chains.last())
        .map(|c| c.root)
        .or(run.exit_code)
}

/// The UTC time of the first (or last) record that has one, looking at most 200 records in.
fn log_time(log: &Log, first: bool) -> Option<String> {
    let n = log.len();
    let take = n.min(200);
    let pick = |i: usize| {
        let pos = if first { i } else { n - 1 - i };
        log.fields(log.at(pos)).timestamp()
    };
    let ts = (0..take).find_map(pick)?;
    let utc = chrono::DateTime::from_timestamp_millis(ts.utc_millis())?;
    Some(utc.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// Findings at or under this priority are generic advice (`docs/kb.md`): they say what to
/// check, not what the problem is, and would lump unrelated failures into one group.
pub const GENERIC_PRIORITY: i32 = 40;

/// The finding a machine is grouped under: the top known problem, not the diagnosis built
/// from the log (one id for every failure) nor generic advice, nor a low-confidence guess.
/// A low-confidence finding is a signature its rule's telling lines did not confirm (a
/// transient "Failed to get client identity" the sequence recovered from fires one on
/// every machine): as a group it would lump unrelated failures, as generic advice would,
/// so such machines are grouped by their failing step and root code instead.
fn cause_finding(r: &MachineResult) -> Option<&FindingBrief> {
    (r.findings.iter()).find(|f| {
        f.id != crate::analysis::diagnosis::ID
            && f.priority > GENERIC_PRIORITY
            && f.confidence != Confidence::Low.as_str()
    })
}

/// The cause a failed machine is grouped under, and its words: the top known problem, else
/// the failing step (or the failure before any step) and the root code.
fn cause_of(r: &MachineResult) -> (String, String) {
    if let Some(f) = cause_finding(r) {
        return (f.id.clone(), f.title.clone());
    }
    let code = r.root_code.as_deref().unwrap_or("no code");
    match (&r.failing_step, &r.failure_before_steps) {
        (Some(step), _) => (
            format!("step:{step}:{code}"),
            format!("step \"{step}\" failed ({code})"),
        ),
        (None, Some(before)) => (
            format!("before-steps:{code}"),
            format!("failed before any step: {before} ({code})"),
        ),
        (None, None) => (
            format!("unknown:{code}"),
            format!("failed, no step named ({code})"),
        ),
    }
}

/// Failed machines that share a cause.
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// The cause: a finding's id, or `step:<name>:<code>`, `before-steps:<code>`.
    pub cause: String,
    /// The cause in words: the finding's title, or the step and code.
    pub title: String,
    /// `finding` or `step`.
    pub kind: &'static str,
    /// How many machines.
    pub count: usize,
    /// Their names, in order.
    pub machines: Vec<String>,
    /// For a group no known problem names: the first of its machines' errors to read, as
    /// an example of what to read.
    pub read_first: Option<ReadFirst>,
}

/// Counts over the whole wave.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    /// Machines found.
    pub machines: usize,
    /// Whose run succeeded.
    pub succeeded: usize,
    /// Whose run failed.
    pub failed: usize,
    /// Still running when the log ends.
    pub running: usize,
    /// Whose outcome the log does not tell.
    pub unknown: usize,
    /// That could not be read.
    pub unreadable: usize,
    /// With at least one finding.
    pub with_findings: usize,
}

/// The whole scan.
#[derive(Clone, Debug, Serialize)]
pub struct Scan {
    /// Counts.
    pub summary: Totals,
    /// Failed machines by cause, largest group first.
    pub groups: Vec<Group>,
    /// Every machine, by name.
    pub machines: Vec<MachineResult>,
}

impl Scan {
    /// Counts and groups the machines' results.
    pub fn new(mut machines: Vec<MachineResult>) -> Scan {
        machines.sort_by(|a, b| a.machine.cmp(&b.machine));
        let mut t = Totals {
            machines: machines.len(),
            ..Totals::default()
        };
        let mut groups: Vec<Group> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        for m in &machines {
            match m.outcome {
                "succeeded" => t.succeeded += 1,
                "failed" => t.failed += 1,
                "running" => t.running += 1,
                "unreadable" => t.unreadable += 1,
                _ => t.unknown += 1,
            }
            t.with_findings += usize::from(!m.findings.is_empty());
            if m.outcome != "failed" {
                continue;
            }
            let (cause, title) = cause_of(m);
            let i = *at.entry(cause.clone()).or_insert_with(|| {
                groups.push(Group {
                    kind: if cause_finding(m).is_some() {
                        "finding"
                    } else {
                        "step"
                    },
                    cause,
                    title,
                    count: 0,
                    machines: Vec::new(),
                    read_first: None,
                });
                groups.len() - 1
            });
            if let Some(g) = groups.get_mut(i) {
                g.count += 1;
                g.machines.push(m.machine.clone());
                if g.kind == "step" && g.read_first.is_none() {
                    g.read_first.clone_from(&m.read_first);
                }
            }
        }
        groups.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.cause.cmp(&b.cause)));
        Scan {
            summary: t,
            groups,
            machines,
        }
    }
}

/// Analyses one machine: its logs read through the front door, analysed, summed up.
pub fn scan_machine(engine: &Engine, m: &Machine, siblings: bool) -> MachineResult {
    let arg = [m.path.display().to_string()];
    let resolved = match crate::input::resolve(&arg, crate::input::Options { siblings }) {
        Ok(r) => r,
        Err(e) => return MachineResult::unreadable(m, e.to_string()),
    };
    let opened = match engine.open(&resolved.inputs, Depth::Full) {
        Ok(o) => o,
        Err(e) => return MachineResult::unreadable(m, e.to_string()),
    };
    let mut r = MachineResult::of(&m.name, &arg[0], &opened.log, &opened.analysis);
    r.skipped = resolved.skipped;
    r.skipped.extend(opened.skipped);
    r
}

/// Analyses every machine on `workers` threads, calling `done(result)` on the calling
/// thread as each finishes (for a progress bar), and returns every result.
pub fn scan_all(
    engine: &Engine,
    machines: &[Machine],
    siblings: bool,
    workers: usize,
    mut done: impl FnMut(&MachineResult),
) -> Vec<MachineResult> {
    let next = AtomicUsize::new(0);
    let (tx, rx) = crossbeam_channel::bounded::<MachineResult>(workers * 2);
    let mut results = Vec::with_capacity(machines.len());
    std::thread::scope(|s| {
        for _ in 0..workers.max(1) {
            let tx = tx.clone();
            let next = &next;
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(m) = machines.get(i) else {
                    break;
                };
                // A panic on one machine's log is a bug, but the wave goes on.
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    scan_machine(engine, m, siblings)
                }))
                .unwrap_or_else(|_| {
                    MachineResult::unreadable(m, format!("{}: internal error", m.name))
                });
                if tx.send(r).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for r in rx {
            done(&r);
            results.push(r);
        }
    });
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: &str, confidence: Confidence, priority: i32) -> FindingBrief {
        FindingBrief {
            id: id.into(),
            title: id.into(),
            confidence: confidence.as_str().into(),
            priority,
            evidence_source: None,
            evidence_line: None,
            evidence: None,
        }
    }

    fn failed(findings: Vec<FindingBrief>) -> MachineResult {
        let mut r = MachineResult::unreadable_named("PC-1", String::new());
        r.outcome = "failed";
        r.failing_step = Some("Install Application - VPN".into());
        r.root_code = Some("0x87D00324".into());
        r.findings = findings;
        r
    }

    #[test]
    fn a_machine_is_grouped_by_its_top_confident_known_problem() {
        let r = failed(vec![
            finding(crate::analysis::diagnosis::ID, Confidence::Medium, 41),
            finding("step-failed-with-exit-code", Confidence::Medium, 30),
            finding("media-certificate-expired", Confidence::Low, 60),
            finding("app-detection-failed", Confidence::Medium, 70),
        ]);
        assert_eq!(cause_of(&r).0, "app-detection-failed");
    }

    #[test]
    fn a_low_confidence_guess_does_not_group_a_failure() {
        let r = failed(vec![
            finding(crate::analysis::diagnosis::ID, Confidence::Medium, 41),
            finding("media-certificate-expired", Confidence::Low, 60),
        ]);
        assert_eq!(cause_of(&r).0, "step:Install Application - VPN:0x87D00324");
    }
}
