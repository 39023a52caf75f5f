//! The command line, as clap sees it.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A terminal log explorer for ConfigMgr task-sequence logs: folds HRESULT chains, decodes
/// error codes, lays out the steps and names the known problem behind a failure.
#[derive(Debug, Parser)]
#[command(
    name = "tslens",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do; without a subcommand, the explorer opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of the explorer.
    #[command(flatten)]
    pub explore: ExploreArgs,
}

/// Arguments of the explorer.
#[derive(Debug, Args)]
pub struct ExploreArgs {
    /// Log files, folders (searched to any depth) or zip bundles to open; `-` reads
    /// standard input.
    #[arg(value_name = "FILE|DIR|-")]
    pub paths: Vec<String>,
    /// Start at the end of the log and follow it as it grows. A file or folder that does
    /// not exist yet is waited for.
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Read only the files named: `smsts.log` alone, without its rolled siblings
    /// (`smsts-YYYYMMDD-HHMMSS.log`, `smsts.lo_`) beside it.
    #[arg(long)]
    pub no_siblings: bool,
    /// Poll followed files every MS milliseconds (for network shares).
    #[arg(long, value_name = "MS")]
    pub poll: Option<u64>,
    /// Colour theme: a built-in name (dark, light, cmtrace, high-contrast, mono) or a TOML file.
    #[arg(long, value_name = "NAME|PATH")]
    pub theme: Option<String>,
    /// Extra folder of known-problem rules (TOML).
    #[arg(long, value_name = "DIR")]
    pub kb: Vec<String>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the diagnosis of a log, with no screen.
    Report(ReportArgs),
    /// Triage a wave: analyse every machine (folder or zip of logs, or a lone log) under the
    /// paths given, on every core, and group the failures by cause.
    Scan(ScanArgs),
    /// Decode error codes (hex with or without 0x, signed or unsigned decimal).
    Lookup(LookupArgs),
    /// Validate or list known-problem rules.
    Kb(KbArgs),
}

/// Output formats of `report` and `lookup`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Plain text for a terminal or a ticket.
    Text,
    /// Markdown for a ticket or a wiki.
    Markdown,
    /// One JSON object (see the README for its keys).
    Json,
    /// One JSON object per line: the machine, then each finding (`docs/ndjson.md`).
    Ndjson,
}

/// Output formats of `scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// A table of the causes, largest first, with example machines.
    Text,
    /// `{"summary": .., "groups": [..], "machines": [..]}`.
    Json,
    /// A row per machine.
    Csv,
    /// One JSON object per line: each machine, then each of its findings (`docs/ndjson.md`).
    Ndjson,
    /// One self-contained HTML page, for a ticket.
    Html,
}

/// What makes `scan` exit with status 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// A machine failed or could not be read.
    Failed,
    /// A machine has a known problem (failed or not), or failed, or could not be read.
    Finding,
}

/// Arguments of `scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
    /// Exit with status 1 when a machine failed (`failed`) or has a finding (`finding`);
    /// without it the status is 0 whatever the logs say.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Machines analysed at once (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Extra folder of known-problem rules (TOML).
    #[arg(long, value_name = "DIR")]
    pub kb: Vec<String>,
    /// A lone smsts.log is read without its rolled siblings.
    #[arg(long)]
    pub no_siblings: bool,
    /// Folders (searched to any depth for machines), zip bundles or logs.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<String>,
}

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Extra folder of known-problem rules (TOML).
    #[arg(long, value_name = "DIR")]
    pub kb: Vec<String>,
    /// Read only the files named: `smsts.log` alone, without its rolled siblings.
    #[arg(long)]
    pub no_siblings: bool,
    /// Follow the log (or a folder's live smsts.log) as it grows, from its start, and
    /// stream each finding as it appears until interrupted (with `--format ndjson`). A path
    /// that does not exist yet is waited for.
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// With --follow: poll followed files every MS milliseconds (for network shares).
    #[arg(long, value_name = "MS")]
    pub poll: Option<u64>,
    /// Log files, folders (searched to any depth) or zip bundles; `-` reads standard input.
    #[arg(value_name = "FILE|DIR|-", required = true)]
    pub paths: Vec<String>,
    /// How far to go (for benchmarks): `index` reads and frames only, `analysis` adds codes,
    /// chains and steps, `full` adds the known-problem rules.
    #[arg(long, value_enum, default_value_t = Stage::Full, hide = true)]
    pub stage: Stage,
}

/// How much of the pipeline `report` runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Stage {
    /// Read and frame.
    Index,
    /// Also codes, chains and steps.
    Analysis,
    /// Also the knowledge base.
    Full,
}

/// Arguments of `lookup`.
#[derive(Debug, Args)]
pub struct LookupArgs {
    /// Output format (text or json).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Codes: 0x80070002, 80070002, -2147024894, 2147942402 or a Win32 number such as 2.
    #[arg(value_name = "CODE", required = true, allow_hyphen_values = true)]
    pub codes: Vec<String>,
}

/// Arguments of `kb`.
#[derive(Debug, Args)]
pub struct KbArgs {
    /// What to do with the rules.
    #[command(subcommand)]
    pub action: KbAction,
}

/// `kb` subcommands.
#[derive(Debug, Subcommand)]
pub enum KbAction {
    /// Check rule files (a file or a folder of *.toml) and report every error.
    Check {
        /// A rule file or folder.
        path: String,
    },
    /// List the built-in rules (and those of --kb folders), optionally filtered.
    List {
        /// Only rules of this family (a kb file's name, such as domain-join; see --families).
        #[arg(long, value_name = "NAME")]
        family: Option<String>,
        /// List the families and how many rules each holds, instead of rules.
        #[arg(long, conflicts_with = "family")]
        families: bool,
        /// Words that must all appear in a rule's id, title, causes, fixes or sources.
        #[arg(value_name = "WORD")]
        words: Vec<String>,
        /// Extra folder of rules.
        #[arg(long, value_name = "DIR")]
        kb: Vec<String>,
    },
    /// Print one rule: its causes and fixes, what it matches, its sources and examples.
    Show {
        /// The rule's id (as `kb list` prints it).
        id: String,
        /// Extra folder of rules.
        #[arg(long, value_name = "DIR")]
        kb: Vec<String>,
    },
}
