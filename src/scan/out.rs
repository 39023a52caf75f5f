//! The scan as text (a table for a terminal or a ticket), JSON, CSV and NDJSON (see
//! `docs/ndjson.md`: its schema is a contract).

use std::io::Write;

use serde::Serialize;

use crate::sanitize::sanitize;

use super::{MachineResult, Scan};

/// Version of the NDJSON records' schema; `docs/ndjson.md` describes each version.
pub const NDJSON_SCHEMA: u32 = 1;

/// Machines named per group in the text table.
const EXAMPLES: usize = 3;

/// Machines listed in the text table whose run did not end in a failure but whose logs
/// hold an error to read.
const UNENDED: usize = 20;

/// The scan as a table: counts, then the failed machines' groups, largest first, with a few
/// machines of each, then the machines that could not be read.
pub fn render_text(scan: &Scan) -> String {
    let t = &scan.summary;
    let mut s = format!(
        "{} machines: {} succeeded, {} failed, {} running, {} unknown, {} could not be read\n",
        t.machines, t.succeeded, t.failed, t.running, t.unknown, t.unreadable
    );
    if !scan.groups.is_empty() {
        s += &format!(
            "\n{} failed machines in {} causes:\n\n",
            t.failed,
            scan.groups.len()
        );
        s += &format!("{:>8} {:>6}  cause\n", "machines", "share");
        for g in &scan.groups {
            let share = g.count * 100 / t.failed.max(1);
            s += &format!(
                "{:>8} {:>5}%  {}\n",
                g.count,
                share,
                sanitize(&format!("{} ({})", g.title, g.cause))
            );
            let shown: Vec<&str> = g
                .machines
                .iter()
                .take(EXAMPLES)
                .map(String::as_str)
                .collect();
            let more = g.machines.len().saturating_sub(EXAMPLES);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            s += &format!("{:16}e.g. {}{more}\n", "", sanitize(&shown.join(", ")));
            if let Some(r) = &g.read_first {
                s += &format!("{:16}read first: {}\n", "", sanitize(&read_first_words(r)));
            }
        }
    }
    // Logs that do not say how their run ended (a setupact.log, an excerpt) are no
    // failure to group, but their errors still tell what to read first.
    let unended: Vec<(&MachineResult, &super::ReadFirst)> = (scan.machines.iter())
        .filter(|m| matches!(m.outcome, "unknown" | "running"))
        .filter_map(|m| m.read_first.as_ref().map(|r| (m, r)))
        .collect();
    if !unended.is_empty() {
        s += &format!(
            "\n{} machines whose logs do not say the run succeeded, and the error to read first:\n",
            unended.len()
        );
        for (m, r) in unended.iter().take(UNENDED) {
            s += &format!(
                "  {} ({}): {}\n",
                sanitize(&m.machine),
                m.outcome,
                sanitize(&read_first_words(r))
            );
        }
        if unended.len() > UNENDED {
            s += &format!("  and {} more\n", unended.len() - UNENDED);
        }
    }
    let unreadable: Vec<&MachineResult> = (scan.machines.iter())
        .filter(|m| m.outcome == "unreadable")
        .collect();
    if !unreadable.is_empty() {
        s += &format!("\n{} could not be read:\n", unreadable.len());
        for m in unreadable {
            let why = m.error.as_deref().unwrap_or("unreadable");
            s += &format!("  {}\n", sanitize(why));
        }
    }
    s
}

/// An error to read in one line: its place, its code and its text.
fn read_first_words(r: &super::ReadFirst) -> String {
    let code = r
        .code
        .as_deref()
        .map(|c| format!(" [{c}]"))
        .unwrap_or_default();
    format!("{}:{}{code} {}", r.source, r.line, r.text)
}

/// The scan as one JSON object: `{"summary": .., "groups": [..], "machines": [..]}`.
pub fn render_json(scan: &Scan) -> String {
    serde_json::to_string_pretty(scan).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")) + "\n"
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The scan as CSV: a header, then a row per machine.
pub fn render_csv(scan: &Scan) -> String {
    let mut s = String::from(
        "machine,path,outcome,failing_step,exit_code,root_code,cause,finding_id,finding_title,confidence,findings,start,end,records,errors,error,read_first_source,read_first_line,read_first_code,read_first\n",
    );
    for m in &scan.machines {
        let top = m.findings.first();
        let rf = m.read_first.as_ref();
        let row = [
            m.machine.clone(),
            m.path.clone(),
            m.outcome.to_string(),
            m.failing_step.clone().unwrap_or_default(),
            m.exit_code.clone().unwrap_or_default(),
            m.root_code.clone().unwrap_or_default(),
            m.cause.clone().unwrap_or_default(),
            top.map(|f| f.id.clone()).unwrap_or_default(),
            top.map(|f| f.title.clone()).unwrap_or_default(),
            top.map(|f| f.confidence.clone()).unwrap_or_default(),
            m.findings.len().to_string(),
            m.start.clone().unwrap_or_default(),
            m.end.clone().unwrap_or_default(),
            m.records.to_string(),
            m.errors.to_string(),
            m.error.clone().unwrap_or_default(),
            rf.map(|r| r.source.clone()).unwrap_or_default(),
            rf.map(|r| r.line.to_string()).unwrap_or_default(),
            rf.and_then(|r| r.code.clone()).unwrap_or_default(),
            rf.map(|r| r.text.clone()).unwrap_or_default(),
        ];
        let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
        s += &cells.join(",");
        s.push('\n');
    }
    s
}

/// One NDJSON record: a machine (`kind` = `machine`) or one of its findings (`finding`).
/// Both kinds share the field names, so that one table holds them (see `docs/ndjson.md`).
#[derive(Serialize)]
struct Record<'a> {
    schema: u32,
    kind: &'static str,
    machine: &'a str,
    path: &'a str,
    sources: &'a [String],
    outcome: &'a str,
    failing_step: Option<&'a str>,
    exit_code: Option<&'a str>,
    root_code: Option<&'a str>,
    cause: Option<&'a str>,
    finding_id: Option<&'a str>,
    finding_title: Option<&'a str>,
    confidence: Option<&'a str>,
    /// 1 for the top finding; 0 on a machine record.
    rank: usize,
    findings: usize,
    evidence_source: Option<&'a str>,
    evidence_line: Option<u64>,
    evidence: Option<&'a str>,
    start: Option<&'a str>,
    end: Option<&'a str>,
    records: usize,
    errors: usize,
    error: Option<&'a str>,
    read_first_source: Option<&'a str>,
    read_first_line: Option<u64>,
    read_first_code: Option<&'a str>,
    read_first: Option<&'a str>,
}

/// A machine's NDJSON record.
fn machine_record(m: &MachineResult) -> Record<'_> {
    let top = m.findings.first();
    let rf = m.read_first.as_ref();
    Record {
        schema: NDJSON_SCHEMA,
        kind: "machine",
        machine: &m.machine,
        path: &m.path,
        sources: &m.sources,
        outcome: m.outcome,
        failing_step: m.failing_step.as_deref(),
        exit_code: m.exit_code.as_deref(),
        root_code: m.root_code.as_deref(),
        cause: m.cause.as_deref(),
        finding_id: top.map(|f| f.id.as_str()),
        finding_title: top.map(|f| f.title.as_str()),
        confidence: top.map(|f| f.confidence.as_str()),
        rank: 0,
        findings: m.findings.len(),
        evidence_source: top.and_then(|f| f.evidence_source.as_deref()),
        evidence_line: top.and_then(|f| f.evidence_line),
        evidence: top.and_then(|f| f.evidence.as_deref()),
        start: m.start.as_deref(),
        end: m.end.as_deref(),
        records: m.records,
        errors: m.errors,
        error: m.error.as_deref(),
        read_first_source: rf.map(|r| r.source.as_str()),
        read_first_line: rf.map(|r| r.line),
        read_first_code: rf.and_then(|r| r.code.as_deref()),
        read_first: rf.map(|r| r.text.as_str()),
    }
}

/// Writes a machine's NDJSON record (a line).
pub fn write_machine(out: &mut dyn Write, m: &MachineResult) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &machine_record(m))?;
    out.write_all(b"\n")
}

/// Writes the NDJSON record (a line) of finding `f`, ranked `rank` (0-based) on machine `m`.
pub fn write_finding(
    out: &mut dyn Write,
    m: &MachineResult,
    rank: usize,
    f: &super::FindingBrief,
) -> std::io::Result<()> {
    let rec = Record {
        kind: "finding",
        finding_id: Some(&f.id),
        finding_title: Some(&f.title),
        confidence: Some(&f.confidence),
        rank: rank + 1,
        evidence_source: f.evidence_source.as_deref(),
        evidence_line: f.evidence_line,
        evidence: f.evidence.as_deref(),
        ..machine_record(m)
    };
    serde_json::to_writer(&mut *out, &rec)?;
    out.write_all(b"\n")
}

/// Writes a machine's NDJSON records: the machine, then each finding.
pub fn write_ndjson(out: &mut impl Write, m: &MachineResult) -> std::io::Result<()> {
    write_machine(out, m)?;
    for (i, f) in m.findings.iter().enumerate() {
        write_finding(out, m, i, f)?;
    }
    Ok(())
}
