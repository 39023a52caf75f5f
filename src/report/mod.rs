//! Headless output: the diagnosis as text, Markdown or JSON (the JSON keys are a contract).

mod text;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::log::Log;

pub use text::{render_markdown, render_text};

pub use crate::present::{hex, Hex, Stamp};

/// The whole report, serialised as the JSON contract.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// One entry per input.
    pub sources: Vec<SourceReport>,
    /// Counts and the run's outcome.
    pub summary: Summary,
    /// The task-sequence steps in order.
    pub steps: Steps<'a>,
    /// The HRESULT chains in order.
    pub chains: Vec<ChainReport>,
    /// Known problems, root cause first.
    pub findings: Vec<crate::kb::Finding>,
    /// The log's own errors most worth reading, when the run did not succeed and no
    /// specific finding explains it; absent otherwise (a key added to the contract).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors_to_read: Vec<crate::analysis::to_read::ErrorToRead>,
    /// Where the log stops, when it does not record how its run ended (`unknown`,
    /// `running`): a run that hung, or a log cut off or still being written, tells most by
    /// its last line (a key added to the contract; absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_ends: Option<LogEnd>,
}

/// The last record of a log whose run has no recorded end.
#[derive(Debug, Serialize)]
pub struct LogEnd {
    /// The file it is in.
    pub source: String,
    /// Its 1-based line in that file.
    pub line: u64,
    /// Its time as the log writes it, when it has one.
    pub time: Option<Stamp>,
    /// Its message, cut as evidence is.
    pub text: String,
}

impl LogEnd {
    /// The last record with a message, of the last few (a log often ends in blank lines).
    fn of(log: &Log) -> Option<LogEnd> {
        let n = log.len();
        (0..n.min(50)).find_map(|i| {
            let r = log.at(n - 1 - i);
            let message = log.message(r);
            let first = message.trim().lines().next().unwrap_or("").trim();
            (!first.is_empty()).then(|| LogEnd {
                source: log.source(r).text.path.clone(),
                line: u64::from(log.meta(r).line),
                time: log.fields(r).timestamp().map(|t| Stamp(t.local)),
                text: crate::kb::evidence_text(first),
            })
        })
    }
}

/// One input in the report.
#[derive(Debug, Serialize)]
pub struct SourceReport {
    /// Path as given.
    pub path: String,
    /// `cmtrace`, `smstrace` or `plain`.
    pub format: &'static str,
    /// Encoding name.
    pub encoding: &'static str,
    /// Number of records.
    pub records: usize,
    /// Size of the input in bytes.
    pub bytes: u64,
}

/// Counts and outcome.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Number of records across inputs.
    pub records: usize,
    /// Error records.
    pub errors: usize,
    /// Warning records.
    pub warnings: usize,
    /// `succeeded`, `failed`, `running` or `unknown`.
    pub outcome: &'static str,
    /// Name of the step that failed, if one did.
    pub failing_step: Option<String>,
    /// Exit code of the run.
    pub exit_code: Option<String>,
    /// The exit code's name as the explorer shows it beside the code (see
    /// [`crate::present::exit_code_name`]); null when it has none or is 0. Added to the
    /// contract's keys (SPEC: other keys may be added).
    pub exit_code_name: Option<String>,
    /// Where the run failed before any step ran (boot media, PXE, the wizard), in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_before_steps: Option<String>,
}

/// The steps of the report, made into [`StepReport`]s as they are read: a long log has
/// tens of thousands, and building them all before writing them costs as much again.
#[derive(Clone, Copy)]
pub struct Steps<'a> {
    steps: &'a [crate::analysis::Step],
    log: &'a Log,
}

impl<'a> Steps<'a> {
    /// Number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// True when the log has no step.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The steps in order.
    pub fn iter(&self) -> impl Iterator<Item = StepReport<'a>> + 'a {
        let steps = *self;
        self.steps
            .iter()
            .map(move |s| steps.report(s, u64::from(steps.log.meta(s.first).line)))
    }

    /// The report of one of the steps, which starts on line `line`.
    fn report(&self, s: &'a crate::analysis::Step, line: u64) -> StepReport<'a> {
        StepReport {
            index: s.pointer,
            name: &s.name,
            outcome: s.outcome.name(),
            exit_code: s.exit_code.map(Hex),
            exit_code_name: s.exit_code.and_then(crate::present::step_code_name),
            start: s.start.map(|t| Stamp(t.local)),
            end: s.end.map(|t| Stamp(t.local)),
            duration_ms: s.duration_ms(),
            source: &self.log.source(s.first).text.path,
            line,
            run: s.run,
        }
    }
}

impl std::fmt::Debug for Steps<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Steps<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// One step in the report.
#[derive(Debug, Serialize)]
pub struct StepReport<'a> {
    /// Instruction pointer.
    pub index: i64,
    /// Step name.
    pub name: &'a str,
    /// `succeeded`, `failed`, `skipped` or `running`.
    pub outcome: &'static str,
    /// Exit code, when the log gave one.
    pub exit_code: Option<Hex>,
    /// The exit code's name as the explorer's steps pane shows it; null for 0 or none.
    pub exit_code_name: Option<&'static str>,
    /// Start time as the log wrote it.
    pub start: Option<Stamp>,
    /// End time as the log wrote it.
    pub end: Option<Stamp>,
    /// Duration in milliseconds.
    pub duration_ms: Option<i64>,
    /// Path of the source holding the step's first record.
    pub source: &'a str,
    /// Line of the step's first record.
    pub line: u64,
    /// Which run of the task sequence (0-based) the step belongs to.
    pub run: usize,
}

/// One chain in the report.
#[derive(Debug, Serialize)]
pub struct ChainReport {
    /// The code the chain surfaced with (its last frame's code).
    pub hresult: String,
    /// The earliest specific code of the burst.
    pub root: String,
    /// Symbolic name of the root code.
    pub name: Option<&'static str>,
    /// Number of frame records.
    pub frames: usize,
    /// Component of the frames.
    pub component: Option<String>,
    /// Thread of the frames.
    pub thread: Option<u32>,
    /// Path of the source.
    pub source: String,
    /// Line of the first frame.
    pub first_line: u64,
    /// Line of the last record (summary included).
    pub last_line: u64,
    /// The summary message that closes the chain.
    pub summary: Option<String>,
    /// Where the failure began: `file,line` of the first frame.
    pub origin: Option<String>,
}

impl<'a> Report<'a> {
    /// Builds the report from a log and its analysis.
    pub fn build(log: &'a Log, analysis: &'a Analysis) -> Report<'a> {
        let sources = log
            .sources
            .iter()
            .map(|s| SourceReport {
                path: s.text.path.clone(),
                format: s.format().name(),
                encoding: s.text.encoding.name(),
                records: s.records.len(),
                bytes: s.text.orig_len(),
            })
            .collect();
        let (mut errors, mut warnings) = (0, 0);
        for s in &log.sources {
            let (e, w) = s.severity_counts();
            errors += e;
            warnings += w;
        }
        let line_of = |r: crate::log::RecordRef| u64::from(log.meta(r).line);
        let path_of = |r: crate::log::RecordRef| log.source(r).text.path.clone();
        let steps = Steps {
            steps: &analysis.steps.steps,
            log,
        };
        let chains = analysis
            .chains
            .iter()
            .map(|c| ChainReport {
                hresult: hex(c.code),
                root: hex(c.root),
                name: crate::present::code_name(c.root),
                frames: c.frames.len(),
                component: c.component.clone(),
                thread: c.thread,
                source: path_of(c.first()),
                first_line: line_of(c.first()),
                last_line: line_of(c.last()),
                summary: c.summary_text.clone(),
                origin: c.origin.clone(),
            })
            .collect();
        let run = &analysis.steps;
        Report {
            sources,
            summary: Summary {
                records: log.len(),
                errors,
                warnings,
                outcome: run.outcome.name(),
                failing_step: run.failing_step.clone(),
                exit_code: run.exit_code.map(hex),
                exit_code_name: run
                    .exit_code
                    .and_then(|c| crate::present::exit_code_name(c, run.failed_activity)),
                failure_before_steps: run.failure_before_steps.clone(),
            },
            steps,
            chains,
            findings: analysis.findings.clone(),
            errors_to_read: analysis.errors_to_read.clone(),
            log_ends: matches!(
                run.outcome,
                crate::analysis::RunOutcome::Unknown | crate::analysis::RunOutcome::Running
            )
            .then(|| LogEnd::of(log))
            .flatten(),
        }
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Writes the report as pretty-printed JSON and a newline, as [`Report::to_json`]
    /// would, without building the text in memory first (tens of megabytes for a long
    /// log). The steps, most of that text, are written by `write_steps`.
    pub fn write_json(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        out.write_all(b"{\n  \"sources\": ")?;
        out.write_all(&nested_json(&self.sources)?)?;
        out.write_all(b",\n  \"summary\": ")?;
        out.write_all(&nested_json(&self.summary)?)?;
        out.write_all(b",\n  \"steps\": ")?;
        write_steps(out, self.steps)?;
        out.write_all(b",\n  \"chains\": ")?;
        out.write_all(&nested_json(&self.chains)?)?;
        out.write_all(b",\n  \"findings\": ")?;
        out.write_all(&nested_json(&self.findings)?)?;
        if !self.errors_to_read.is_empty() {
            out.write_all(b",\n  \"errors_to_read\": ")?;
            out.write_all(&nested_json(&self.errors_to_read)?)?;
        }
        if let Some(end) = &self.log_ends {
            out.write_all(b",\n  \"log_ends\": ")?;
            out.write_all(&nested_json(end)?)?;
        }
        out.write_all(b"\n}\n")
    }
}

/// `value` as pretty-printed JSON to be placed one level deep: every line but the first
/// indented by two spaces. Strings hold no raw line breaks (JSON escapes them), so every
/// line break is the printer's own.
fn nested_json(value: &impl Serialize) -> std::io::Result<Vec<u8>> {
    let flat = serde_json::to_vec_pretty(value)?;
    let mut out = Vec::with_capacity(flat.len() + flat.len() / 8);
    let mut rest = flat.as_slice();
    while let Some(i) = memchr::memchr(b'\n', rest) {
        out.extend_from_slice(&rest[..=i]);
        out.extend_from_slice(b"  ");
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    Ok(out)
}

/// Writes the steps as the pretty-printer would, one level deep, by hand: a long log has
/// tens of thousands of steps, and even one serde_json call per value took three times as
/// long. Strings that need escaping are still escaped by serde_json, as everywhere else,
/// and `written_json_is_the_serialised_report` holds the two to the same text.
///
/// Many steps are formatted on two threads, a chunk each in turn, and written in order:
/// the text is formatted as fast as it can be written, with two buffers per thread reused
/// (fresh memory for all of it would cost more in page faults than the second core saves).
fn write_steps(out: &mut impl std::io::Write, steps: Steps<'_>) -> std::io::Result<()> {
    if steps.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[\n")?;
    let chunks = crate::par::split(steps.len(), steps.len().div_ceil(STEP_CHUNK));
    if chunks.len() < 2 || crate::par::cores() < 2 {
        let mut buf = Vec::with_capacity(1 << 16);
        for &(from, to) in &chunks {
            buf.clear();
            format_steps(&mut buf, steps, from..to)?;
            out.write_all(&buf)?;
        }
    } else {
        std::thread::scope(|scope| -> std::io::Result<()> {
            let (done, formatted) = std::sync::mpsc::sync_channel(1);
            let (give_back, returned) = std::sync::mpsc::channel::<Vec<u8>>();
            let theirs: Vec<(usize, usize)> = chunks.iter().copied().skip(1).step_by(2).collect();
            scope.spawn(move || {
                for (from, to) in theirs {
                    let mut buf = returned.try_recv().unwrap_or_default();
                    buf.clear();
                    let result = format_steps(&mut buf, steps, from..to).map(|()| buf);
                    // The writer stopped (it failed to write): so does this thread.
                    if done.send(result).is_err() {
                        break;
                    }
                }
            });
            let mut mine = Vec::new();
            for (i, &(from, to)) in chunks.iter().enumerate() {
                if i % 2 == 0 {
                    mine.clear();
                    format_steps(&mut mine, steps, from..to)?;
                    out.write_all(&mine)?;
                } else {
                    let buf = formatted
                        .recv()
                        .map_err(|_| std::io::Error::other("step formatter stopped"))??;
                    out.write_all(&buf)?;
                    // The thread may have finished: then the buffer is simply dropped.
                    let _ = give_back.send(buf);
                }
            }
            Ok(())
        })?;
    }
    out.write_all(b"\n  ]")
}

/// Steps formatted per chunk by [`write_steps`]: enough that handing a chunk over costs
/// little, few enough that the two threads take turns often.
const STEP_CHUNK: usize = 1024;

/// The steps `range` as [`write_steps`] writes them, each but the first of all preceded by
/// a comma.
fn format_steps(
    buf: &mut Vec<u8>,
    steps: Steps<'_>,
    range: std::ops::Range<usize>,
) -> std::io::Result<()> {
    let Some(part) = steps.steps.get(range.clone()) else {
        return Ok(());
    };
    // Each step's line is a load from a different page of a large index. Done in a loop of
    // their own, the loads overlap; amid the formatting, each waits for memory in turn.
    let lines: Vec<u64> = (part.iter())
        .map(|s| u64::from(steps.log.meta(s.first).line))
        .collect();
    // The steps of one source share its path: it is escaped once.
    let mut source: Option<(&str, Vec<u8>)> = None;
    for (k, (s, line)) in range.zip(part.iter().zip(lines)) {
        let s = steps.report(s, line);
        buf.extend_from_slice(if k == 0 { b"    {" } else { b",\n    {" });
        key(buf, true, "index");
        int(buf, s.index);
        key(buf, false, "name");
        string(buf, s.name)?;
        key(buf, false, "outcome");
        string(buf, s.outcome)?;
        key(buf, false, "exit_code");
        match s.exit_code {
            Some(c) => quoted(buf, &c.bytes()),
            None => buf.extend_from_slice(b"null"),
        }
        key(buf, false, "exit_code_name");
        match s.exit_code_name {
            Some(n) => string(buf, n)?,
            None => buf.extend_from_slice(b"null"),
        }
        for (name, t) in [("start", s.start), ("end", s.end)] {
            key(buf, false, name);
            match t {
                Some(t) => quoted(buf, &t.bytes()),
                None => buf.extend_from_slice(b"null"),
            }
        }
        key(buf, false, "duration_ms");
        match s.duration_ms {
            Some(d) => int(buf, d),
            None => buf.extend_from_slice(b"null"),
        }
        key(buf, false, "source");
        match &source {
            Some((path, text)) if std::ptr::eq(*path, s.source) => buf.extend_from_slice(text),
            _ => {
                let mut text = Vec::new();
                string(&mut text, s.source)?;
                buf.extend_from_slice(&text);
                source = Some((s.source, text));
            }
        }
        key(buf, false, "line");
        int(buf, s.line);
        key(buf, false, "run");
        int(buf, s.run);
        buf.extend_from_slice(b"\n    }");
    }
    Ok(())
}

/// `,` (unless first) and a key on its own line, three levels deep, as the pretty printer
/// writes it.
fn key(buf: &mut Vec<u8>, first: bool, key: &str) {
    buf.extend_from_slice(if first { b"\n      \"" } else { b",\n      \"" });
    buf.extend_from_slice(key.as_bytes());
    buf.extend_from_slice(b"\": ");
}

/// An integer as JSON writes it.
fn int(buf: &mut Vec<u8>, v: impl itoa::Integer) {
    buf.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// ASCII text that needs no escaping, in quotes.
fn quoted(buf: &mut Vec<u8>, text: &[u8]) {
    buf.push(b'"');
    buf.extend_from_slice(text);
    buf.push(b'"');
}

/// A JSON string: copied as it is when nothing in it needs escaping (what serde_json
/// escapes: control characters, `"` and `\\`), else escaped by serde_json.
fn string(buf: &mut Vec<u8>, s: &str) -> std::io::Result<()> {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        quoted(buf, s.as_bytes());
        Ok(())
    } else {
        serde_json::to_writer(&mut *buf, s).map_err(std::io::Error::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The steps' string writer, fast path or not, writes what serde_json writes.
    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        for text in [
            "Apply Operating System",
            "with \"quotes\"",
            r"C:\Windows\Temp",
            "tab\there",
            "bell\u{7}",
            "del\u{7f} and ünïcödé",
            "",
        ] {
            let mut ours = Vec::new();
            string(&mut ours, text).expect("written");
            let theirs = serde_json::to_vec(text).expect("serialised");
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            );
        }
    }

    /// Written in parts, the JSON is the JSON the whole report serialises to (a test that
    /// catches a step field added to `StepReport` but not to `write_steps`).
    #[test]
    fn written_json_is_the_serialised_report() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs");
        let rules = crate::kb::RuleSet::builtin();
        let mut checked = 0;
        for entry in std::fs::read_dir(&root).expect("sample-logs") {
            let path = entry.expect("entry").path();
            if path.is_dir() || path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let inputs = [crate::source::Input::File(path.clone())];
            let log = Log::open(&inputs).expect("sample log");
            let analysis = crate::analysis::analyze(&log, &rules);
            let report = Report::build(&log, &analysis);
            let mut written = Vec::new();
            report.write_json(&mut written).expect("written");
            assert_eq!(
                String::from_utf8_lossy(&written),
                report.to_json() + "\n",
                "{}",
                path.display()
            );
            checked += usize::from(!report.steps.is_empty());
        }
        assert!(checked >= 10, "only {checked} logs with steps");
    }

    /// Steps enough for several chunks, formatted on two threads, come out in order and as
    /// serialised.
    #[test]
    fn many_steps_are_written_in_order() {
        let record = |msg: &str, s: u32| {
            format!(
                "<![LOG[{msg}]LOG]!><time=\"10:{:02}:{:02}.000+000\" date=\"11-26-2026\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"7\" file=\"engine.cxx:1\">\r\n",
                s / 60 % 60,
                s % 60
            )
        };
        let n = STEP_CHUNK * 2 + 100;
        let mut text = String::new();
        for i in 0..n as u32 {
            text += &record(
                &format!("Start executing an instruction. Instruction name: Step \"{i}\". Instruction pointer: {i}"),
                i,
            );
            text += &record(
                &format!(
                    "Successfully completed the action (Step \"{i}\") with the exit win32 code {}",
                    i % 3
                ),
                i,
            );
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("smsts.log");
        std::fs::write(&path, text).expect("log written");
        let log = Log::open(&[crate::source::Input::File(path)]).expect("log");
        let analysis = crate::analysis::analyze(&log, &crate::kb::RuleSet::builtin());
        let report = Report::build(&log, &analysis);
        assert_eq!(report.steps.len(), n);
        let mut written = Vec::new();
        report.write_json(&mut written).expect("written");
        assert_eq!(String::from_utf8_lossy(&written), report.to_json() + "\n");
    }
}
