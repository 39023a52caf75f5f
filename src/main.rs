//! The `tslens` binary: parses the command line and hands over to the library.
//! Every failure becomes one line on stderr and exit status 2.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;

use tslens::cli::{Cli, Command, KbAction, OutputFormat, Stage};
use tslens::engine::{Depth, Engine};
use tslens::kb::RuleSet;

fn main() -> ExitCode {
    // clap refuses an argument that is not UTF-8 with its usage and no name. Paths are held
    // as text, so say which one on one line; such a file is read by naming its folder.
    if let Some(bad) = std::env::args_os().skip(1).find(|a| a.to_str().is_none()) {
        say(&format!(
            "{}: not valid UTF-8; name the folder that holds it instead",
            bad.to_string_lossy()
        ));
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // One line: the chain of contexts, outermost first.
            say(&format!("{e:#}"));
            ExitCode::from(2)
        }
    }
}

/// Prints one line on standard error, made inert: file names, rule text and arguments
/// quoted in a message are the user's or an attacker's bytes.
fn say(msg: &str) {
    eprintln!("tslens: {}", tslens::sanitize::one_line(msg));
}

fn rules_with(dirs: &[String]) -> Result<RuleSet> {
    let _t = tslens::timing::Stage::start("load rules");
    let mut rules = RuleSet::builtin();
    for d in dirs {
        let path = std::path::Path::new(d);
        if !path.is_dir() {
            bail!("{d}: --kb needs a folder of rule files");
        }
        for err in rules.load_dir(path) {
            // A bad user rule is reported and skipped; the built-in rules still run.
            say(&format!("warning: {err}"));
        }
    }
    if let Some(dir) = tslens::config::user_kb_dir() {
        if dir.is_dir() {
            for err in rules.load_dir(&dir) {
                say(&format!("warning: {err}"));
            }
        }
    }
    Ok(rules)
}

fn write_out(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

/// The machine a report is about, for its NDJSON record: the folder or zip named, or the
/// folder of the log named.
fn machine_name(paths: &[String]) -> String {
    let Some(first) = paths.first() else {
        return "-".into();
    };
    let p = std::path::Path::new(first);
    let named = if p.is_dir() || tslens::input::is_zip(p) {
        p.file_name()
    } else {
        p.parent().and_then(|d| d.file_name())
    };
    named.map_or_else(|| first.clone(), |n| n.to_string_lossy().into_owned())
}

fn scan(args: tslens::cli::ScanArgs) -> Result<ExitCode> {
    use std::io::IsTerminal;
    use tslens::cli::{FailOn, ScanFormat};
    let engine = Engine::new(rules_with(&args.kb)?);
    let mut unlisted = Vec::new();
    let machines = tslens::input::machines::discover(&args.paths, &mut unlisted)?;
    if machines.is_empty() && unlisted.is_empty() {
        bail!(
            "{}: no machine found (no folder or zip holding .log or .lo_ files)",
            args.paths.join(" ")
        );
    }
    let workers = args.jobs.unwrap_or_else(tslens::par::cores).max(1);
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(machines.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} machines, {per_sec}, {eta} left {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let ndjson = args.format == ScanFormat::Ndjson;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut write_err = None;
    let mut results = tslens::scan::scan_all(&engine, &machines, !args.no_siblings, workers, |r| {
        bar.inc(1);
        if let Some(e) = &r.error {
            bar.suspend(|| eprintln!("tslens: {}", tslens::sanitize::sanitize(e)));
        }
        // NDJSON streams: each machine is written as it is done.
        if ndjson && write_err.is_none() {
            if let Err(e) = tslens::scan::write_ndjson(&mut out, r) {
                write_err = Some(e);
            }
        }
    });
    bar.finish_and_clear();
    for (name, why) in unlisted {
        eprintln!("tslens: {}", tslens::sanitize::sanitize(&why));
        results.push(tslens::scan::MachineResult::unreadable_named(&name, why));
    }
    let scan = tslens::scan::Scan::new(results);
    let text = match args.format {
        ScanFormat::Ndjson => String::new(),
        ScanFormat::Text => tslens::scan::render_text(&scan),
        ScanFormat::Json => tslens::scan::render_json(&scan),
        ScanFormat::Csv => tslens::scan::render_csv(&scan),
        ScanFormat::Html => tslens::scan::render_html(&scan),
    };
    let written = match write_err {
        Some(e) => Err(e),
        None => out.write_all(text.as_bytes()).and_then(|_| out.flush()),
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r.context("cannot write to standard output")?,
    }
    let t = &scan.summary;
    let bad = match args.fail_on {
        None => false,
        Some(FailOn::Failed) => t.failed + t.unreadable > 0,
        Some(FailOn::Finding) => t.failed + t.unreadable + t.with_findings > 0,
    };
    Ok(if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Some(Command::Report(args)) if args.follow => {
            if args.format != OutputFormat::Ndjson {
                bail!("--follow streams findings as NDJSON: add --format ndjson");
            }
            if args.paths.iter().any(|p| p == "-") {
                bail!("--follow follows files and folders; `-` is read to its end without it");
            }
            let engine = Engine::new(rules_with(&args.kb)?);
            let poll = args.poll.map_or(tslens::follow::DEFAULT_POLL, |ms| {
                std::time::Duration::from_millis(ms.max(10))
            });
            let stop = std::sync::atomic::AtomicBool::new(false);
            let mut out = std::io::stdout().lock();
            let name = machine_name(&args.paths);
            match tslens::scan::follow_ndjson(&engine, &name, &args.paths, poll, &mut out, &stop) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                r => r.context("cannot write to standard output")?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Report(args)) => {
            let (rules, depth) = match args.stage {
                Stage::Full => (rules_with(&args.kb)?, Depth::Full),
                Stage::Analysis => (RuleSet::empty(), Depth::Analysis),
                Stage::Index => (RuleSet::empty(), Depth::Index),
            };
            let opts = tslens::input::Options {
                siblings: !args.no_siblings,
            };
            let resolved = tslens::input::resolve(&args.paths, opts)?;
            let engine = Engine::new(rules);
            let opened = engine.open(&resolved.inputs, depth)?;
            for line in resolved.skipped.iter().chain(&opened.skipped) {
                eprintln!("tslens: warning: {}", tslens::sanitize::sanitize(line));
            }
            let (log, analysis) = (opened.log, opened.analysis);
            let t = tslens::timing::Stage::start("report build");
            let report = tslens::report::Report::build(&log, &analysis);
            drop(t);
            let _t = tslens::timing::Stage::start("report output");
            match args.format {
                OutputFormat::Ndjson => {
                    let name = machine_name(&args.paths);
                    let path = args.paths.join(" ");
                    let m = tslens::scan::MachineResult::of(&name, &path, &log, &analysis);
                    let mut out = std::io::stdout().lock();
                    let written =
                        tslens::scan::write_ndjson(&mut out, &m).and_then(|_| out.flush());
                    match written {
                        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                        r => r.context("cannot write to standard output")?,
                    }
                }
                OutputFormat::Json => {
                    let mut out =
                        std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
                    let written = report.write_json(&mut out).and_then(|_| out.flush());
                    match written {
                        // A closed pipe (`| head`) is not an error worth reporting.
                        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                        r => r.context("cannot write to standard output")?,
                    }
                }
                OutputFormat::Text => write_out(&tslens::report::render_text(&report))?,
                OutputFormat::Markdown => write_out(&tslens::report::render_markdown(&report))?,
            }
            for src in &log.sources {
                if src.text.changed() {
                    say(&format!(
                        "warning: {}: the file changed while it was read (truncated or rewritten): this report covers what could be read",
                        src.text.path
                    ));
                }
            }
            // The process ends here: tearing down a multi-gigabyte mapping and index page
            // by page, or the report's hundred thousand strings, would only delay the exit.
            std::mem::forget(report);
            std::mem::forget(analysis);
            std::mem::forget(log);
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Scan(args)) => scan(args),
        Some(Command::Lookup(args)) => {
            // The good codes are decoded even when one is not a code: the bad one is named
            // after them, and the status is still 2.
            let mut decoded = Vec::new();
            let mut bad = None;
            // `0xC1900101-0x4000D`, `0xC1900101 - 0x4000D` and `0xC1900101 -0x4000D` carry a
            // Windows Setup extend code after the result.
            let mut args_iter = args.codes.iter().peekable();
            while let Some(c) = args_iter.next() {
                let mut joined = c.clone();
                if args_iter.peek().is_some_and(|n| *n == "-") {
                    let mut ahead = args_iter.clone();
                    ahead.next();
                    if let Some(x) = ahead
                        .next()
                        .filter(|x| x.starts_with("0x") || x.starts_with("0X"))
                    {
                        joined = format!("{c}-{x}");
                        args_iter = ahead;
                    }
                } else if let Some(x) = args_iter
                    .peek()
                    .filter(|n| n.starts_with("-0x") || n.starts_with("-0X"))
                {
                    joined = format!("{c}{x}");
                    args_iter.next();
                }
                match tslens::codes::parse_code_with_extend(&joined) {
                    Ok((v, ext)) => decoded.push(tslens::codes::decode_with_extend(v, ext)),
                    Err(e) => {
                        bad.get_or_insert(e);
                    }
                }
            }
            let text = match args.format {
                OutputFormat::Json => {
                    serde_json::to_string_pretty(&decoded).context("cannot encode JSON")? + "\n"
                }
                _ => decoded
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            };
            if !decoded.is_empty() {
                write_out(&text)?;
            }
            match bad {
                Some(e) => Err(anyhow::anyhow!("{e}")),
                None => Ok(ExitCode::SUCCESS),
            }
        }
        Some(Command::Kb(args)) => match args.action {
            KbAction::Check { path } => {
                let p = std::path::Path::new(&path);
                let mut errors = Vec::new();
                let mut count = 0usize;
                let files: Vec<std::path::PathBuf> = if p.is_dir() {
                    let mut v: Vec<_> = std::fs::read_dir(p)
                        .with_context(|| format!("{path}: cannot read folder"))?
                        .flatten()
                        .map(|e| e.path())
                        .filter(|f| f.extension().is_some_and(|x| x == "toml"))
                        .collect();
                    v.sort();
                    v
                } else if p.exists() {
                    vec![p.to_path_buf()]
                } else {
                    bail!("{path}: no such file or folder");
                };
                let builtin = RuleSet::builtin();
                for f in &files {
                    match RuleSet::load_file_each(f) {
                        Ok((rules, bad)) => {
                            count += rules.len() + bad.len();
                            errors.extend(bad.iter().map(|e| e.to_string()));
                            errors.extend(check_rule_file(f, rules, &builtin));
                        }
                        Err(e) => errors.push(e.to_string()),
                    }
                }
                if errors.is_empty() {
                    write_out(&format!("{count} rules in {} files: ok\n", files.len()))?;
                    Ok(ExitCode::SUCCESS)
                } else {
                    for e in &errors {
                        say(e);
                    }
                    Ok(ExitCode::from(2))
                }
            }
            KbAction::List {
                family,
                families,
                words,
                kb,
            } => {
                use tslens::kb::catalog;
                let rules = rules_with(&kb)?;
                if families {
                    write_out(&catalog::families_text(&catalog::families(&rules)))?;
                    return Ok(ExitCode::SUCCESS);
                }
                if let Some(f) = &family {
                    let known = catalog::families(&rules);
                    if !known.keys().any(|k| k.eq_ignore_ascii_case(f)) {
                        let names: Vec<&str> = known.keys().map(String::as_str).collect();
                        bail!(
                            "no rule family '{f}': the families are {}",
                            names.join(", ")
                        );
                    }
                }
                let query = catalog::Query { family, words };
                write_out(&catalog::list_text(&catalog::select(&rules, &query)))?;
                Ok(ExitCode::SUCCESS)
            }
            KbAction::Show { id, kb } => {
                let rules = rules_with(&kb)?;
                match tslens::kb::catalog::find(&rules, &id) {
                    Ok(rule) => {
                        write_out(&tslens::kb::catalog::show_text(rule))?;
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(near) if near.is_empty() => {
                        bail!("no rule '{id}': `tslens kb list WORD` searches titles")
                    }
                    Err(near) => {
                        let shown: Vec<&str> = near.into_iter().take(12).collect();
                        bail!("no rule '{id}'; did you mean: {}", shown.join(", "))
                    }
                }
            }
        },
        None => {
            if cli.explore.paths.is_empty() {
                bail!(
                    "no log given: try `tslens FILE`, `tslens DIR`, `tslens -` or `tslens --help`"
                );
            }
            let rules = rules_with(&cli.explore.kb)?;
            let status = tslens::tui::run(&cli.explore, rules)?;
            Ok(ExitCode::from(status))
        }
    }
}

/// What `kb check` finds wrong in a parsed rule file beyond its syntax: examples that do
/// not behave as declared (matched directly and through `report`'s whole pipeline), ids
/// that clash with a built-in rule from another file, examples that fire a different rule
/// first. One line each, `file:line:column: reason`.
fn check_rule_file(
    path: &std::path::Path,
    rules: Vec<tslens::kb::Rule>,
    builtin: &RuleSet,
) -> Vec<String> {
    let shown = path.display().to_string();
    let mut errors: Vec<String> = RuleSet::check_examples(&rules)
        .iter()
        .map(|e| e.to_string())
        .collect();
    let name = path.file_name();
    for r in &rules {
        let clash = builtin
            .rules()
            .iter()
            .find(|b| b.id == r.id && b.file.file_name() != name);
        if let Some(b) = clash {
            errors.push(format!(
                "{shown}:{}:1: id '{}' is already used by the built-in rule in {}",
                r.line,
                tslens::sanitize::one_line(&r.id),
                b.file.display()
            ));
        }
    }
    // The examples run against every rule `report` would hold with this file loaded, so
    // an example a built-in rule takes first is caught, as `report` would rank it.
    let ids: std::collections::HashSet<String> = rules.iter().map(|r| r.id.clone()).collect();
    let set = match RuleSet::with_added(builtin, rules) {
        Ok(set) => set,
        Err(e) => {
            errors.push(e.to_string());
            return errors;
        }
    };
    for r in set.rules().iter().filter(|r| ids.contains(&r.id)) {
        for ex in r.examples.iter().filter(|e| e.fires) {
            // A component or step given to an example exists only in the direct check.
            if ex.component.is_some() || ex.step.is_some() {
                continue;
            }
            let (fires, ids) = tslens::analysis::example_fires(&set, &r.id, &ex.log);
            let id = tslens::sanitize::one_line(&r.id);
            if !fires {
                errors.push(format!(
                    "{shown}:{}:1: the example of '{id}' does not fire through report's pipeline (a rule whose only signal is a code needs the record to be an error, a frame or a summary; give it a message pattern)",
                    ex.line
                ));
            } else if r.priority > 40 && ids.first().is_some_and(|f| f != &r.id) {
                // Generic advice (priority 40 or less) stands aside for specific rules by
                // design; a specific rule's own example must name it first.
                errors.push(format!(
                    "{shown}:{}:1: the example of '{id}' fires '{}' first",
                    ex.line,
                    tslens::sanitize::one_line(&ids[0])
                ));
            }
        }
    }
    errors
}
