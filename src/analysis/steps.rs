//! The task-sequence timeline: steps (instructions) with start, end, duration, outcome and
//! exit code, grouped into runs, and the outcome of the whole run.
//!
//! TSManager logs `Start executing an instruction. Instruction name: X. Instruction
//! pointer: N` for every step and group, then one of: success with an exit code, failure,
//! or skipped (its condition is false, or it is disabled). Reboots resume the same run
//! with the next pointer; a step that starts after the run ended begins a new run.

use super::ends::{end_event_at, Activity, Boundary, End};
use super::needle::{Needle, NeedleRev};

use crate::codes::find_codes;
use crate::log::RecordRef;
use crate::parse::{Severity, Timestamp};

static COMPLETED: Needle = Needle::new("Successfully completed the action (");
static COMPLETED_END: NeedleRev = NeedleRev::new(") with");
static NAME: Needle = Needle::new("Instruction name: ");
static NAME_END: NeedleRev = NeedleRev::new(". Instruction pointer");
static POINTER: NeedleRev = NeedleRev::new("Instruction pointer:");
static CODE: NeedleRev = NeedleRev::new("code ");
static SKIPPED: Needle = Needle::new("has been skipped because");
static REBOOT: Needle = Needle::new("initiated a reboot request");
static RUN_FAILED: [Needle; 3] = [
    Needle::new("Task Sequence Engine failed"),
    Needle::new("Task sequence execution failed"),
    Needle::new("Execution of task sequence failed"),
];
static ABORTED: Needle = Needle::new("has failed and the execution has been aborted");
static WIZARD: Needle = Needle::new("Setting wizard error");
static IGNORED: Needle = Needle::new("The execution engine ignored the failure of the action");

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// Completed with exit code 0 (or success was logged).
    Succeeded,
    /// Failed.
    Failed,
    /// Skipped by its condition.
    Skipped,
    /// Failed, and the sequence went on (continue on error).
    Ignored,
    /// Started, no end seen (yet).
    Running,
}

impl StepOutcome {
    /// Name for reports.
    pub fn name(self) -> &'static str {
        match self {
            StepOutcome::Succeeded => "succeeded",
            StepOutcome::Failed => "failed",
            StepOutcome::Skipped => "skipped",
            StepOutcome::Ignored => "ignored",
            StepOutcome::Running => "running",
        }
    }
}

/// How the whole task sequence ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunOutcome {
    /// "Task sequence completed 0x00000000".
    Succeeded,
    /// An engine failure, a failed last step, or a failure before the first step.
    Failed,
    /// Steps but no end yet.
    Running,
    /// No task sequence in this log.
    Unknown,
}

impl RunOutcome {
    /// Name for reports.
    pub fn name(self) -> &'static str {
        match self {
            RunOutcome::Succeeded => "succeeded",
            RunOutcome::Failed => "failed",
            RunOutcome::Running => "running",
            RunOutcome::Unknown => "unknown",
        }
    }
}

/// One step.
#[derive(Clone, Debug)]
pub struct Step {
    /// Which run of the task sequence (0-based).
    pub run: usize,
    /// Instruction pointer.
    pub pointer: i64,
    /// Step (or group) name.
    pub name: String,
    /// Outcome.
    pub outcome: StepOutcome,
    /// Exit code, when logged.
    pub exit_code: Option<u32>,
    /// Time of the start record.
    pub start: Option<Timestamp>,
    /// Time of the record that ended it.
    pub end: Option<Timestamp>,
    /// The start record.
    pub first: RecordRef,
    /// Merged positions of the start record and of the last record seen for this step.
    pub span: (usize, usize),
    /// The step asked for a reboot.
    pub reboot: bool,
}

impl Step {
    /// Duration in milliseconds, when both ends have times.
    pub fn duration_ms(&self) -> Option<i64> {
        let (a, b) = (self.start?, self.end?);
        Some(b.utc_millis() - a.utc_millis())
    }
}

/// The timeline and the run's outcome.
#[derive(Clone, Debug)]
pub struct Timeline {
    /// Steps in order.
    pub steps: Vec<Step>,
    /// Outcome of the last run.
    pub outcome: RunOutcome,
    /// Name of the step that failed the last run.
    pub failing_step: Option<String>,
    /// Exit code of the last run.
    pub exit_code: Option<u32>,
    /// A failure before any step ran (boot media, PXE, the wizard), in the log's words.
    pub failure_before_steps: Option<String>,
    /// Merged position of the record that says the run failed (the failing step's
    /// failure, the engine's or another log's end), when it failed.
    pub failed_at: Option<usize>,
    /// Number of runs seen.
    pub runs: usize,
    /// What failed, when another log's end (not a task-sequence step) says the run failed:
    /// its codes are that tool's (an MDT error number is not a Win32 error).
    pub failed_activity: Option<Activity>,
}

impl Default for Timeline {
    fn default() -> Timeline {
        Timeline {
            steps: Vec::new(),
            outcome: RunOutcome::Unknown,
            failing_step: None,
            exit_code: None,
            failure_before_steps: None,
            failed_at: None,
            runs: 0,
            failed_activity: None,
        }
    }
}

/// Literal openings of the messages the timeline reads; the scanner looks for these.
pub const TRIGGERS: &[&str] = &[
    "Start executing an instruction",
    "Successfully completed the action",
    "Failed to run the action",
    // Both "... because the condition is evaluated to be false" and "... because it is
    // disabled".
    "has been skipped because",
    "initiated a reboot request",
    "Process completed with exit code",
    "Task sequence completed",
    "Task Sequence Engine failed",
    "Task sequence execution failed",
    "Execution of task sequence failed",
    "has failed and the execution has been aborted",
    "Setting wizard error",
    // From its rare middle: the trigger search keys on a literal's first bytes, and
    // "The " starts half the lines of a log.
    "ignored the failure of the action",
];

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let a = s.find(open)? + open.len();
    let b = s[a..].rfind(close)? + a;
    Some(&s[a..b])
}

/// What one TSManager record says about the timeline, read from its message alone.
///
/// Reading is separate from [`StepBuilder::apply`] so that it can run on every core while
/// the record's bytes are in cache; the builder then works on these small values in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepEvent {
    /// `Start executing an instruction. Instruction name: X. Instruction pointer: N`.
    Start {
        /// Step name.
        name: String,
        /// Instruction pointer (-1 when unreadable).
        pointer: i64,
    },
    /// `Successfully completed the action (X) with the exit win32 code N`.
    Completed {
        /// Step name.
        name: String,
        /// Exit code.
        code: Option<u32>,
    },
    /// `Failed to run the action: X. <reason> (Error: N; Source: ...)`: the name is told
    /// from the reason by the steps started so far.
    Failed {
        /// Text after `Failed to run the action: `.
        rest: String,
    },
    /// `The action (X) has been skipped because the condition is evaluated to be false`, or
    /// `... because it is disabled`.
    Skipped {
        /// Step name.
        name: String,
    },
    /// `... initiated a reboot request`.
    Reboot,
    /// `Process completed with exit code N`.
    ProcessExit {
        /// Exit code.
        code: Option<u32>,
    },
    /// `Task sequence completed 0x...`.
    RunCompleted {
        /// The run's exit code.
        code: u32,
    },
    /// `Task Sequence Engine failed`, `Task sequence execution failed`, ...
    RunFailed {
        /// A non-zero code in the message.
        code: Option<u32>,
    },
    /// `The execution of the group (X) has failed and the execution has been aborted`.
    Aborted {
        /// Group name.
        name: Option<String>,
    },
    /// `Setting wizard error: ...` (what the user saw, before any step ran).
    Wizard {
        /// The error text.
        text: String,
    },
    /// `The execution engine ignored the failure of the action (X) and continues
    /// execution`: the step failed and the sequence went on.
    Ignored {
        /// Step name.
        name: String,
    },
    /// Another log's word on how what it records ended (see [`super::ends`]).
    End(End),
}

/// Reads one record's message for the timeline (its severity unknown: see
/// [`step_event_at`]).
pub fn step_event(msg: &str) -> Option<StepEvent> {
    step_event_at(msg, None, None)
}

/// Reads one record's message for the timeline, of severity `severity` when the caller
/// knows it (some other logs' words end a run only in an error record), `tool` saying
/// whether it holds one of [`super::ends::TOOL_TRIGGERS`] when the caller
/// knows (see [`end_event_at`]).
pub fn step_event_at(
    msg: &str,
    severity: Option<Severity>,
    tool: Option<bool>,
) -> Option<StepEvent> {
    // A CMTrace line read as plain text: its message, not its date and component.
    let msg = super::ends::cmtrace_text(msg.trim());
    if let Some(rest) = msg.strip_prefix("Start executing an instruction.") {
        let name = NAME
            .end_in(rest)
            .and_then(|a| Some(&rest[a..a + NAME_END.rfind(&rest[a..])?]))
            .unwrap_or("")
            .trim()
            .to_string();
        let pointer = POINTER
            .after_last(rest)
            .trim()
            .trim_end_matches('.')
            .parse()
            .unwrap_or(-1);
        return Some(StepEvent::Start { name, pointer });
    }
    let completed = COMPLETED.end_in(msg).and_then(|a| {
        let b = COMPLETED_END.rfind(&msg[a..])? + a;
        msg.get(a..b)
    });
    if let Some(name) = completed {
        let code = CODE
            .after_last(msg)
            .trim()
            .parse::<i64>()
            .ok()
            .map(|c| c as u32);
        return Some(StepEvent::Completed {
            name: name.to_string(),
            code,
        });
    }
    if let Some(rest) = msg.strip_prefix("Failed to run the action: ") {
        return Some(StepEvent::Failed {
            rest: rest.to_string(),
        });
    }
    if SKIPPED.is_in(msg) {
        let name = between(msg, "(", ") has been skipped").unwrap_or("");
        return Some(StepEvent::Skipped {
            name: name.to_string(),
        });
    }
    if REBOOT.is_in(msg) {
        return Some(StepEvent::Reboot);
    }
    if let Some(rest) = msg.strip_prefix("Process completed with exit code ") {
        let code = rest.trim().parse::<i64>().ok().map(|c| c as u32);
        return Some(StepEvent::ProcessExit { code });
    }
    if let Some(rest) = msg.strip_prefix("Task sequence completed ") {
        let code = find_codes(rest).first().map(|h| h.value).unwrap_or(0);
        return Some(StepEvent::RunCompleted { code });
    }
    if RUN_FAILED.iter().any(|n| n.is_in(msg)) {
        let code = find_codes(msg)
            .into_iter()
            .map(|h| h.value)
            .find(|&v| v != 0);
        return Some(StepEvent::RunFailed { code });
    }
    if ABORTED.is_in(msg) {
        let name = between(msg, "(", ") has failed").map(str::to_string);
        return Some(StepEvent::Aborted { name });
    }
    if IGNORED.is_in(msg) {
        let name = between(msg, "action (", ")").unwrap_or("");
        return Some(StepEvent::Ignored {
            name: name.to_string(),
        });
    }
    if WIZARD.is_in(msg) {
        let text = msg
            .split_once("Setting wizard error:")
            .map(|(_, t)| t.trim())
            .unwrap_or(msg);
        return Some(StepEvent::Wizard {
            text: text.to_string(),
        });
    }
    end_event_at(msg, severity, tool).map(StepEvent::End)
}

/// Builds the timeline from records in merged order.
#[derive(Clone, Default)]
pub struct StepBuilder {
    t: Timeline,
    run_ended: bool,
    run: usize,
    last_end: Option<(RunOutcome, Option<u32>)>,
    /// Merged position of the record that first said the current run failed.
    run_failed_at: Option<usize>,
    /// Merged position of the wizard error, if any.
    wizard_at: Option<usize>,
    /// Other logs' ends, in merged order.
    ends: Vec<(usize, End)>,
    /// The DISM.EXE session read now said it failed: its close is no success.
    dism_failed: bool,
}

impl StepBuilder {
    /// An empty builder.
    pub fn new() -> StepBuilder {
        StepBuilder::default()
    }

    fn current(&mut self) -> Option<&mut Step> {
        self.t
            .steps
            .last_mut()
            .filter(|s| s.outcome == StepOutcome::Running)
    }

    /// The step matching `name`: the running one, else the last one with that name in this run.
    fn named(&mut self, name: &str) -> Option<&mut Step> {
        let run = self.run;
        let idx = self
            .t
            .steps
            .iter()
            .rposition(|s| s.run == run && s.name == name)?;
        self.t.steps.get_mut(idx)
    }

    /// Starts a step: a new run when the last one ended.
    fn begin(
        &mut self,
        pos: usize,
        record: RecordRef,
        name: String,
        pointer: i64,
        time: Option<Timestamp>,
    ) {
        if self.run_ended {
            self.run += 1;
            self.run_ended = false;
            self.last_end = None;
            self.run_failed_at = None;
        }
        if let Some(prev) = self.current() {
            // A step that never logged its end before the next began (a reboot took
            // it, or its result was not logged): it did not fail the run.
            prev.outcome = StepOutcome::Succeeded;
        }
        self.t.steps.push(Step {
            run: self.run,
            pointer,
            name,
            outcome: StepOutcome::Running,
            exit_code: None,
            start: time,
            end: None,
            first: record,
            span: (pos, pos),
            reboot: false,
        });
        self.t.runs = self.run + 1;
    }

    /// Feeds one record's message.
    pub fn push(&mut self, pos: usize, record: RecordRef, msg: &str, time: Option<Timestamp>) {
        if let Some(event) = step_event(msg) {
            self.apply(pos, record, event, time);
        }
    }

    /// Feeds one record already read by [`step_event`].
    pub fn apply(
        &mut self,
        pos: usize,
        record: RecordRef,
        event: StepEvent,
        time: Option<Timestamp>,
    ) {
        match event {
            StepEvent::Start { name, pointer } => self.begin(pos, record, name, pointer, time),
            StepEvent::Completed { name, code } => {
                if let Some(s) = self.named(&name) {
                    s.outcome = StepOutcome::Succeeded;
                    s.exit_code = code.or(s.exit_code);
                    s.end = time.or(s.end);
                    s.span.1 = pos;
                }
            }
            StepEvent::Failed { rest } => {
                // Step names may hold dots, so prefer a name this run has started.
                let run = self.run;
                let known = self
                    .t
                    .steps
                    .iter()
                    .filter(|s| {
                        s.run == run && !s.name.is_empty() && rest.starts_with(s.name.as_str())
                    })
                    .map(|s| s.name.len())
                    .max();
                let (name, tail) = match known {
                    Some(n) => (&rest[..n], &rest[n..]),
                    None => match rest.find(".\r").or_else(|| rest.find(".\n")) {
                        Some(i) => (&rest[..i], &rest[i..]),
                        // The reason is Windows' sentence for the code, which may hold
                        // dots of its own: the name ends at the first.
                        None => match rest.find(". ") {
                            Some(i) => (&rest[..i], &rest[i..]),
                            None => (rest.trim_end_matches('.'), ""),
                        },
                    },
                };
                let code = find_codes(tail)
                    .into_iter()
                    .map(|h| h.value)
                    .find(|&v| v != 0);
                let name = name.trim().to_string();
                if let Some(s) = self.named(&name) {
                    s.outcome = StepOutcome::Failed;
                    s.exit_code = code.or(s.exit_code);
                    s.end = time.or(s.end);
                    s.span.1 = pos;
                } else if !name.is_empty() {
                    // An excerpt that starts after the step began (a ticket's paste, a
                    // rolled log): the failure itself names the step.
                    self.begin(pos, record, name, -1, time);
                    if let Some(s) = self.t.steps.last_mut() {
                        s.outcome = StepOutcome::Failed;
                        s.exit_code = code;
                        s.end = time;
                    }
                }
            }
            StepEvent::Skipped { name } => {
                if let Some(s) = self.named(&name) {
                    s.outcome = StepOutcome::Skipped;
                    s.end = time.or(s.end);
                    s.span.1 = pos;
                }
            }
            StepEvent::Reboot => {
                if let Some(s) = self.current() {
                    s.reboot = true;
                    s.span.1 = pos;
                }
            }
            StepEvent::ProcessExit { code } => {
                if let Some(s) = self.current() {
                    s.exit_code = code;
                    s.span.1 = pos;
                }
            }
            StepEvent::RunCompleted { code } => {
                let outcome = if code == 0 {
                    RunOutcome::Succeeded
                } else {
                    self.run_failed_at.get_or_insert(pos);
                    RunOutcome::Failed
                };
                self.end_run(outcome, Some(code));
            }
            StepEvent::RunFailed { code } => {
                let prev_code = self.last_end.and_then(|e| e.1);
                self.run_failed_at.get_or_insert(pos);
                self.end_run(RunOutcome::Failed, code.or(prev_code));
            }
            StepEvent::Aborted { name } => {
                if let Some(name) = name {
                    if let Some(s) = self.named(&name) {
                        if s.outcome == StepOutcome::Running {
                            s.outcome = StepOutcome::Failed;
                            s.end = time.or(s.end);
                        }
                    }
                }
            }
            StepEvent::Wizard { text } => {
                if self.t.steps.is_empty() {
                    self.t.failure_before_steps = Some(text);
                    self.wizard_at = Some(pos);
                }
            }
            StepEvent::Ignored { name } => {
                if let Some(s) = self.named(&name) {
                    if matches!(s.outcome, StepOutcome::Failed | StepOutcome::Running) {
                        s.outcome = StepOutcome::Ignored;
                        s.span.1 = pos;
                    }
                }
            }
            StepEvent::End(end) => self.end(pos, end),
        }
    }

    /// Another log's end. A DISM.EXE session's close is its success unless the session
    /// said it failed: then the failure stays the last word (the close follows every
    /// session, failed or not).
    fn end(&mut self, pos: usize, end: End) {
        if end.activity == Activity::Dism {
            match end.boundary {
                Some(Boundary::Start) => {
                    self.dism_failed = false;
                    return;
                }
                Some(Boundary::End) if self.dism_failed => return,
                _ => self.dism_failed |= end.failed && !end.partial,
            }
        }
        self.ends.push((pos, end));
    }

    fn end_run(&mut self, outcome: RunOutcome, code: Option<u32>) {
        // Several engine messages close one run: keep the first failure's code.
        if let Some((RunOutcome::Failed, Some(c))) = self.last_end {
            self.last_end = Some((RunOutcome::Failed, Some(c)));
        } else {
            self.last_end = Some((outcome, code));
        }
        self.run_ended = true;
    }

    /// The timeline, with the run's outcome worked out.
    pub fn timeline(mut self) -> Timeline {
        let (ends, run_failed_at, wizard_at) = (
            std::mem::take(&mut self.ends),
            self.run_failed_at,
            self.wizard_at,
        );
        let mut t = self.steps_timeline();
        if t.outcome == RunOutcome::Failed {
            let step_failed = t
                .failing_step
                .as_ref()
                .and_then(|name| {
                    t.steps
                        .iter()
                        .rev()
                        .find(|s| &s.name == name && s.outcome == StepOutcome::Failed)
                })
                .map(|s| s.span.1);
            t.failed_at = step_failed.or(run_failed_at).or(wizard_at);
        }
        if t.steps.is_empty() && t.outcome == RunOutcome::Unknown {
            other_logs_outcome(&mut t, &ends);
        }
        t
    }

    fn steps_timeline(self) -> Timeline {
        let mut t = self.t;
        let last_run: Vec<&Step> = t.steps.iter().filter(|s| s.run == self.run).collect();
        let failed = last_run
            .iter()
            .rev()
            .find(|s| s.outcome == StepOutcome::Failed);
        match self.last_end {
            Some((RunOutcome::Succeeded, code)) => {
                t.outcome = RunOutcome::Succeeded;
                t.exit_code = code;
            }
            Some((_, code)) => {
                t.outcome = RunOutcome::Failed;
                t.failing_step = failed.map(|s| s.name.clone());
                t.exit_code = code.or(failed.and_then(|s| s.exit_code));
                if failed.is_none() {
                    // No step logged a failure: the one that never finished took the run
                    // down (a reboot outside the task sequence's control, a crash).
                    let run = self.run;
                    if let Some(s) = t
                        .steps
                        .iter_mut()
                        .rev()
                        .find(|s| s.run == run && s.outcome == StepOutcome::Running)
                    {
                        s.outcome = StepOutcome::Failed;
                        t.failing_step = Some(s.name.clone());
                    }
                }
            }
            None if last_run.is_empty() => {
                t.outcome = if t.failure_before_steps.is_some() {
                    RunOutcome::Failed
                } else {
                    RunOutcome::Unknown
                };
            }
            None => {
                let last = last_run.last().map(|s| s.outcome);
                if last == Some(StepOutcome::Failed) {
                    t.outcome = RunOutcome::Failed;
                    t.failing_step = failed.map(|s| s.name.clone());
                    t.exit_code = failed.and_then(|s| s.exit_code);
                } else {
                    t.outcome = RunOutcome::Running;
                }
            }
        }
        t
    }
}

/// The outcome of a log with no task-sequence steps, from what the other logs say: the
/// last activity to end decides; parts that failed before it (an MSI action, an MDT
/// script's FAILURE) name what failed when its end names nothing.
fn other_logs_outcome(t: &mut Timeline, ends: &[(usize, End)]) {
    // A DISM.EXE session's close decides only in a log where no other tool ended: DISM
    // runs inside other tools' runs (Setup, a task sequence step), whose end is theirs.
    let weak = |e: &End| e.weak && ends.iter().any(|(_, o)| o.activity != e.activity);
    let last_whole = ends.iter().rposition(|(_, e)| !e.partial && !weak(e));
    let deciding = match last_whole {
        Some(i) => i,
        None => match ends.iter().rposition(|(_, e)| e.failed && !e.context) {
            Some(i) => i,
            None => return,
        },
    };
    let (pos, end) = &ends[deciding];
    if !end.failed {
        t.outcome = RunOutcome::Succeeded;
        t.exit_code = end.code;
        return;
    }
    // The first part of the same activity that failed before this end says what failed;
    // else the last place the activity said it was (Setup's phase).
    let before = &ends[..deciding];
    // What follows the end up to the next one that is not a part: SetupDiag names the
    // phase and prints the code after its finding.
    let after = ends.get(deciding + 1..).unwrap_or_default();
    let after = &after[..after
        .iter()
        .position(|(_, e)| !e.partial && !e.weak)
        .unwrap_or(after.len())];
    let same = |e: &End| e.partial && e.activity == end.activity;
    let part = (before.iter())
        .find(|(_, e)| same(e) && e.failed && !e.context)
        .or_else(|| before.iter().rev().find(|(_, e)| same(e) && e.context))
        .or_else(|| after.iter().find(|(_, e)| same(e) && e.context))
        .map(|(_, e)| e);
    let detail = match (&end.detail, part.and_then(|p| p.detail.clone())) {
        // Setup's phase or crash, then that it rolled back: "phase OOBEBoot,Start (rolled
        // back)".
        (Some(d), Some(p)) if d.starts_with("rolled back") => Some(format!("{p} ({d})")),
        (Some(d), Some(p)) if end.partial => Some(format!("{d}; {p}")),
        (Some(d), Some(p)) => Some(format!("{d}, {p}")),
        (Some(d), None) => Some(d.clone()),
        (None, p) => p,
    };
    t.outcome = RunOutcome::Failed;
    // The code: the end's, else the part's, else the last one the same activity gave
    // before it (DISM's console prints the code, then "DISM failed.").
    let earlier = (before.iter().rev())
        .filter(|(_, e)| e.activity == end.activity && e.failed)
        .find_map(|(_, e)| e.code);
    let later = (after.iter())
        .filter(|(_, e)| e.weak && e.failed)
        .find_map(|(_, e)| e.code);
    t.exit_code = end.code.or(part.and_then(|p| p.code)).or(earlier).or(later);
    t.failed_activity = Some(end.activity);
    t.failing_step = Some(match detail {
        Some(d) => format!("{}: {d}", end.activity.name()),
        None => end.activity.name().to_string(),
    });
    t.failed_at = Some(*pos);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A step that failed with continue on error is ignored, not failed, and does not
    /// fail the run (TSManager's wording, as OSD log summary scripts match it).
    #[test]
    fn a_failure_the_sequence_went_past_is_ignored() {
        let t = feed(&[
            "Start executing an instruction. Instruction name: Install Updates. Instruction pointer: 4",
            "Failed to run the action: Install Updates. Incorrect function. (Error: 80070001; Source: Windows)",
            "The execution engine ignored the failure of the action (Install Updates) and continues execution",
            "Start executing an instruction. Instruction name: Restart. Instruction pointer: 5",
            "Successfully completed the action (Restart) with the exit win32 code 0",
            "Task sequence completed 0x00000000",
        ]);
        assert_eq!(t.steps[0].outcome, StepOutcome::Ignored);
        assert_eq!(t.outcome, RunOutcome::Succeeded);
        assert_eq!(t.failing_step, None);
    }

    /// A SetupAPI section that ended in FAILURE is what failed in a log with no task
    /// sequence, named by its title, with its code; a section that succeeded after it
    /// does not hide it. The lines are setupapi.dev.log's as libwdi quotes them (issue
    /// #171 for the failed section, #226 for the other), put one after the other here.
    #[test]
    fn a_failed_setupapi_section_is_what_failed() {
        let failed = [
            ">>>  [Device Install (UpdateDriverForPlugAndPlayDevices) - USB\\VID_057E&PID_0337&REV_0100]",
            ">>>  Section start 2020/01/24 22:07:54.559",
            "!!!  ndv: Failed to install device instance 'ROOT\\HIDCLASS\\0000'. Error = 0x0000ffff",
            "<<<  Section end 2020/01/24 22:03:13.344",
            "<<<  [Exit status: FAILURE(0x0000ffff)]",
        ];
        let fine = [
            ">>>  [Device Installation Restrictions Policy Check]",
            ">>>  Section start 2021/09/20 00:30:21.035",
            "<<<  Section end 2021/09/20 00:30:21.153",
            "<<<  [Exit status: SUCCESS]",
        ];
        let t = feed(&[&failed[..], &fine[..]].concat());
        assert_eq!(t.outcome, RunOutcome::Failed);
        assert_eq!(
            t.failing_step.as_deref(),
            Some("Driver installation (SetupAPI): Device Install (UpdateDriverForPlugAndPlayDevices) - USB\\VID_057E&PID_0337&REV_0100")
        );
        assert_eq!(t.exit_code, Some(0xffff));
        assert_eq!(t.failed_at, Some(4));
        // Sections that all succeeded say nothing of an outcome.
        let t = feed(&fine);
        assert_eq!(t.outcome, RunOutcome::Unknown);
        assert_eq!(t.failing_step, None);
        // Another tool's end decides over a driver that failed before it.
        let t = feed(&[&failed[..], &["NetpDoDomainJoin: status: 0x0"][..]].concat());
        assert_eq!(t.outcome, RunOutcome::Succeeded);
    }

    /// A disabled step is skipped, not succeeded. The messages are copied verbatim from a
    /// real smsts.log (github.com/brackdk04/hello-world, smsts.log at cb879f8, lines 464-471).
    #[test]
    fn a_disabled_step_is_skipped() {
        let t = feed(&[
            "Start executing an instruction. Instruction name: Enable BitLocker (Offline). Instruction pointer: 39",
            "The action (Enable BitLocker (Offline)) has been skipped because it is disabled",
            "Execution of the instruction (Enable BitLocker (Offline)) has been skipped",
            "Start executing an instruction. Instruction name: Inject Drivers. Instruction pointer: 40",
        ]);
        assert_eq!(t.steps[0].name, "Enable BitLocker (Offline)");
        assert_eq!(t.steps[0].outcome, StepOutcome::Skipped);
        assert_eq!(t.steps[1].name, "Inject Drivers");
    }

    fn feed(lines: &[&str]) -> Timeline {
        let mut b = StepBuilder::new();
        for (i, l) in lines.iter().enumerate() {
            let r = RecordRef {
                source: 0,
                index: i as u32,
            };
            b.push(i, r, l, None);
        }
        b.timeline()
    }

    #[test]
    fn success_skip_and_failure() {
        let t = feed(&[
            "Start executing an instruction. Instruction name: Partition Disk. Instruction pointer: 1",
            "Successfully completed the action (Partition Disk) with the exit win32 code 0",
            "Start executing an instruction. Instruction name: Apply BitLocker. Instruction pointer: 2",
            "The action (Apply BitLocker) has been skipped because the condition is evaluated to be false",
            "Start executing an instruction. Instruction name: Install Application. Instruction pointer: 3",
            "Failed to run the action: Install Application. Error -2147467259",
            "Task Sequence Engine failed! Code: enExecutionFail",
            "Task sequence execution failed with error code 80004005",
        ]);
        assert_eq!(t.steps.len(), 3);
        assert_eq!(t.steps[0].outcome, StepOutcome::Succeeded);
        assert_eq!(t.steps[0].exit_code, Some(0));
        assert_eq!(t.steps[1].outcome, StepOutcome::Skipped);
        assert_eq!(t.steps[2].outcome, StepOutcome::Failed);
        assert_eq!(t.steps[2].exit_code, Some(0x80004005));
        assert_eq!(t.outcome, RunOutcome::Failed);
        assert_eq!(t.failing_step.as_deref(), Some("Install Application"));
        assert_eq!(t.exit_code, Some(0x80004005));
    }

    #[test]
    fn completed_run_and_second_run() {
        let t = feed(&[
            "Start executing an instruction. Instruction name: A. Instruction pointer: 0",
            "Successfully completed the action (A) with the exit win32 code 0",
            "Task sequence completed 0x00000000",
            "Start executing an instruction. Instruction name: A. Instruction pointer: 0",
        ]);
        assert_eq!(t.runs, 2);
        assert_eq!(t.steps[1].run, 1);
        assert_eq!(t.outcome, RunOutcome::Running);
    }

    #[test]
    fn failure_before_first_step() {
        let t = feed(&[
            "Setting wizard error: Failed to read network access account from machine policy.",
        ]);
        assert_eq!(t.outcome, RunOutcome::Failed);
        assert!(t
            .failure_before_steps
            .unwrap()
            .starts_with("Failed to read network"));
    }
}
