//! How the logs other than TSManager's say that what they record ended: a client
//! install, a Windows Installer package, an MDT deployment, a domain join, DISM,
//! Sysprep, Windows Setup. Each gives the run's outcome, the phase or action that
//! failed and its code when a log has no task-sequence steps.

use crate::codes::find_codes;
use crate::parse::Severity;

/// What a log records the end of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Activity {
    /// ccmsetup.exe (ccmsetup.log).
    ClientInstall,
    /// A Windows Installer package (MSI verbose log).
    Msi,
    /// An MDT Lite Touch deployment or one of its scripts (BDD.log, *.log of ZTI/LTI).
    Mdt,
    /// A domain join (NetSetup.log).
    DomainJoin,
    /// DISM (dism.log).
    Dism,
    /// Sysprep (Panther setupact.log under sysprep).
    Sysprep,
    /// Windows Setup (Panther setupact/setuperr.log).
    WindowsSetup,
    /// A computer's PXE boot, as its firmware's screen tells it.
    PxeBoot,
    /// The task sequence's start in WinPE after a PXE boot (TSPxe, in smsts.log).
    TsBoot,
    /// A driver install by SetupAPI (a section of setupapi.dev.log, setupapi.app.log or
    /// setupapi.offline.log).
    DriverInstall,
}

impl Activity {
    /// What failed, for people.
    pub fn name(self) -> &'static str {
        match self {
            Activity::ClientInstall => "ConfigMgr client installation (ccmsetup)",
            Activity::Msi => "Windows Installer package",
            Activity::Mdt => "MDT deployment",
            Activity::DomainJoin => "Domain join",
            Activity::Dism => "DISM",
            Activity::Sysprep => "Sysprep",
            Activity::WindowsSetup => "Windows Setup",
            Activity::PxeBoot => "PXE boot",
            Activity::TsBoot => "Task sequence start from PXE (TSPxe)",
            Activity::DriverInstall => "Driver installation (SetupAPI)",
        }
    }
}

/// One record saying how an activity ended, or (`action`) which part of it failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct End {
    /// What ended.
    pub activity: Activity,
    /// Whether it failed.
    pub failed: bool,
    /// The part that failed, in the log's words (an MSI action, an MDT script error,
    /// Setup's function), when the record names one.
    pub detail: Option<String>,
    /// The code it failed with.
    pub code: Option<u32>,
    /// Only names the part that failed: the activity's own end comes later, if at all.
    pub partial: bool,
    /// Only says where the activity was (Setup's phase when it rolled back): it names
    /// what failed when a later end of the same activity says it failed, and never says
    /// by itself that anything failed.
    pub context: bool,
    /// Opens or closes one run of the tool (a DISM.EXE session): a close says the run
    /// succeeded unless that run said it failed (see `StepBuilder`).
    pub boundary: Option<Boundary>,
    /// Says little of which tool it is (DISM's console code line, a DISM.EXE session's
    /// close): it decides the run's outcome only in a log where no other tool ended, and
    /// then lends its code to the end that does decide.
    pub weak: bool,
}

impl End {
    /// A whole end of `activity` (not partial, no context, no run boundary, not weak).
    fn new(activity: Activity, failed: bool, detail: Option<String>, code: Option<u32>) -> End {
        End {
            activity,
            failed,
            detail,
            code,
            partial: false,
            context: false,
            boundary: None,
            weak: false,
        }
    }
}

/// Where a tool's run starts or ends in a log that holds several runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boundary {
    /// The run starts: what failed before is another run's.
    Start,
    /// The run ends.
    End,
}

/// Literals that open (or sit in) the messages [`end_event`] reads; the trigger search
/// looks for them.
pub const TRIGGERS: &[&str] = &[
    "CcmSetup failed with error code",
    "CcmSetup is exiting with return code",
    "Installation failed with error code",
    "Failed to download client files",
    // From its rare middle (the search keys on a literal's first bytes, and "Inst"
    // starts a line in ten of a task sequence log); the reader checks the whole phrase.
    "or error status:",
    "Return value 3",
    "FAILURE (",
    // The Deployment Summary's spelling (`Failure (5616) 15299 Verify BCDBootEx`).
    "Failure (",
    "Litetouch deployment failed",
    "LiteTouch deployment failed",
    "LTI deployment completed successfully",
    "Litetouch deployment completed",
    "NetpDoDomainJoin: status:",
    "NetpChangeMachineName: status",
    "but failed. HRESULT=",
    "halting sysprep execution",
    "WinMain:Hit failure",
    // `CSetupManager::Execute(284): Result = 0x...` and `X::ExecuteRoutine: Result = 0x...`.
    ": Result = 0x",
];

/// Literals in the messages [`setup_rollback`], [`dism`] and [`pxe`] read, searched for
/// with the others of [`TRIGGERS`]. Each is taken from a middle whose first bytes are rare in
/// Setup's, DISM's and TSManager's logs ("Current", "Operation", "DISM" and "Image" open
/// thousands of their lines, and every one would be checked); the reader checks the whole
/// phrase. The first [`CMTRACE_TOOL_TRIGGERS`] are TSPxe's, which writes CMTrace lines;
/// the others are written by tools whose logs are not CMTrace (Setup, DISM, SetupDiag, the
/// PXE client's screen), so a CMTrace log is not searched for them (see `triggers`).
pub const TOOL_TRIGGERS: &[&str] = &[
    "PxeGetPxeData failed",
    // "Failed to download pxe variable file": "Failed to" is a summary trigger, found first.
    "pxe variable file",
    "t result string",
    "phase string",
    "Cannot recover",
    "Crash 0x",
    "rollback script",
    "s queue failed",
    "d execution phase",
    "n failed: ",
    "<----- ",
    "been closed",
    "(hr:0x",
    "No operation was performed",
    "Error: ",
    "PXE-E",
    "PXE Boot aborted",
    // SetupDiag's report (see `setupdiag`): "Last Phase", and "SetupDiag reports" or
    // "Setupdiag reports" (these two cut where Teddy's buckets cost least, measured).
    "st Phase",
    "iag reports",
    // SetupAPI's section titles, as written and as web pages that collapse spaces show
    // them, and failed exit statuses (see `setupapi`).
    ">>>  [",
    ">>> [",
    "[Exit status: FAILURE",
];

/// How many of [`TOOL_TRIGGERS`], from the first, a CMTrace log can hold.
pub const CMTRACE_TOOL_TRIGGERS: usize = 2;

/// Whether a message holds one of [`TOOL_TRIGGERS`], for callers that do not know: the
/// trigger search says so of the records it marks, so that the phrases of Setup, DISM and
/// PXE are not looked for in every record the other triggers mark (thousands of "Failed to
/// ..." lines in a setupact.log).
fn may_be_tool_end(msg: &str) -> bool {
    static FINDER: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    FINDER
        .get_or_init(|| aho_corasick::AhoCorasick::new(TOOL_TRIGGERS).ok())
        .as_ref()
        // Built from constants, so not expected to fail: then every message is read.
        .is_none_or(|f| f.is_match(msg))
}

fn first_code(s: &str) -> Option<u32> {
    find_codes(s).first().map(|h| h.value)
}

fn number_after<'a>(msg: &'a str, key: &str) -> Option<&'a str> {
    let at = msg.find(key)? + key.len();
    let rest = msg[at..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// What follows `FAILURE (` in an MDT failure: in capitals as the scripts write it, or
/// `Failure (` followed by a number as the Deployment Summary does (other words such as
/// "Logon Failure (0x...)" are not MDT's).
fn mdt_failure(msg: &str) -> Option<&str> {
    if let Some((_, rest)) = msg.split_once("FAILURE (") {
        return Some(rest);
    }
    let (_, rest) = msg.split_once("Failure (")?;
    let number = rest.split(')').next()?.trim();
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then_some(rest)
}

/// An end of Windows Setup, as [`setup_rollback`] and [`setupdiag`] read them.
fn setup_end(
    failed: bool,
    detail: Option<String>,
    code: Option<u32>,
    partial: bool,
    context: bool,
) -> End {
    End {
        partial,
        context,
        ..End::new(Activity::WindowsSetup, failed, detail, code)
    }
}

/// Windows Setup saying it failed and rolled back, or which operation failed, in the
/// words of its logs:
///
/// - the rollback's own setupact.log (`$WINDOWS.~BT\Sources\Rollback`) starts with what
///   it read from `rollbackinfo.ini`: `SP Current phase string : OOBEBoot,Start`, `SP
///   Current result string: 2147943467` (a public log, gist.github.com/peteykun
///   c42795673272902d84cc2538ab2d93c8; the result is the HRESULT in decimal, 0x8007042B);
/// - after a crash Setup cannot recover from: `SP Crash 0x0000007E detected` ... `SP Cannot
///   recover the system.` then `Rollback: Showing splash window with restoring text`
///   (Microsoft's Windows upgrade resolution procedures, 0xC1900101 - 0x4000D);
/// - the rollback scripts run once the rollback finished: `MOUPG
///   SetupManager::ExecuteRollbackScripts: Running rollback script: [...setuprollback.cmd]`
///   (KB4550023);
/// - an operation failing and Setup abandoning the rest: `SP Operation failed: Migrate
///   framework (Full). Error: 0x8007042B[gle=0x000000b7]` ... `SP
///   CSetupPlatformPrivate::Execute: Execution of operations queue failed, abandoning.
///   Error: 0x8007042B[gle=0x000000b7]` (Microsoft's "Log files and resolving upgrade
///   errors", setuperr.log example), or the phase it was in: `SP ExecuteOperations: Failed
///   execution phase Pre-Finalize. Error: 0xC1420134` (a public setupact.log,
///   tests/real/setup-windows/rpi5-wim-mount-removable-0xc1420134.log).
///
/// An uninstall (going back by choice) writes the same rollback log, so neither the
/// phase, nor "Initiating rollback/uninstall", nor the restoring splash text says by
/// itself that the upgrade failed: a result other than 0, a crash Setup could not recover
/// from, the failure scripts or an abandoned operations queue do.
fn setup_rollback(msg: &str, severity: Option<Severity>) -> Option<End> {
    let setup = setup_end;
    if let Some((_, rest)) = msg.split_once("Current result string") {
        let n = rest.trim_start_matches([' ', ':']).trim();
        let n = n.split_whitespace().next().unwrap_or(n);
        let code = n
            .parse::<u32>()
            .ok()
            .or_else(|| crate::codes::parse_code_arg(n).ok())?;
        // 0: nothing failed (an uninstall the user asked for).
        return (code != 0).then(|| {
            setup(
                true,
                Some("rolled back".to_string()),
                Some(code),
                false,
                false,
            )
        });
    }
    if let Some((_, rest)) = msg.split_once("Current phase string") {
        let phase = rest.trim_start_matches([' ', ':']).trim();
        let phase: String = phase.chars().take(80).collect();
        return (!phase.is_empty() && phase != "NULL")
            .then(|| setup(false, Some(format!("phase {phase}")), None, true, true));
    }
    if msg.contains("Cannot recover the system") {
        let detail = "rolled back: the system could not be recovered".to_string();
        return Some(setup(true, Some(detail), None, false, false));
    }
    if let Some((_, rest)) = msg.split_once("Crash 0x") {
        // A bug check code, not a Win32 error: named in the detail, not as the run's code.
        let code = rest.split_whitespace().next().unwrap_or("");
        if !rest.contains("detected") || code.is_empty() {
            return None;
        }
        let detail = format!("bug check 0x{code}");
        return Some(setup(true, Some(detail), None, true, false));
    }
    if msg.contains("ExecuteRollbackScripts: Running rollback script") {
        let detail = "rolled back (its rollback scripts ran)".to_string();
        return Some(setup(true, Some(detail), None, false, false));
    }
    if let Some((_, rest)) = msg.split_once("Failed execution phase ") {
        let phase = rest.split(". Error").next().unwrap_or(rest).trim();
        let phase: String = phase.chars().take(80).collect();
        let code = first_code(rest);
        return Some(setup(
            true,
            Some(format!("phase {phase}")),
            code,
            false,
            false,
        ));
    }
    if msg.contains("Execution of operations queue failed") {
        return Some(setup(true, None, first_code(msg), false, false));
    }
    if let Some((_, rest)) = msg.split_once("Operation failed: ") {
        // Only as an error record: the words alone are not Setup's failure.
        if severity.is_some_and(|s| s != Severity::Error) {
            return None;
        }
        let what = rest.split(". Error").next().unwrap_or(rest).trim();
        let what: String = what.chars().take(120).collect();
        return Some(setup(
            true,
            Some(format!("operation {what}")),
            first_code(rest),
            true,
            false,
        ));
    }
    None
}

/// DISM saying how its run ended, in the words of dism.log and of DISM's console:
///
/// - a DISM.EXE session opens with `DISM.EXE: <----- Starting Dism.exe session ----->` and
///   closes with `DISM.EXE: Image session has been closed. Reboot required=no.` and
///   `DISM.EXE: <----- Ending Dism.exe session ----->`, failed or not; a failed one says
///   `DISM.EXE: DISM Package Manager processed the command line but failed.
///   HRESULT=800F0905` before it closes (a public dism.log, Microsoft Q&A 1166627, a
///   session adding KB5022291, 2023-02-02). So a close is the session's success unless
///   the session said it failed;
/// - the frames of a failure, each an error record ending in the failing function and its
///   code: `Error DISM DISM Package Manager: PID=42316 TID=43476 Failed finalizing
///   changes. - CDISMPackageManager::Internal_Finalize(hr:0x800f0905)` (same log). A
///   successful session is full of `Failed ... (hr:0x...)` warnings and info records (`A
///   problem ocurred loading the image session. Retrying...`, tests/real/servicing), so
///   only error records count, and only as the part that failed: a later close or end
///   decides;
/// - the console: `Error: 0x800f081f` (tests/real/servicing) or `Error: 87` alone on its
///   line, and `DISM failed. No operation was performed.` (a GitHub README quoting
///   DISM's output for WCF-Pipe-Activation45, 2017-03-10).
fn dism(msg: &str, severity: Option<Severity>) -> Option<End> {
    let dism = |failed, detail: Option<String>, code, partial, boundary| End {
        partial,
        boundary,
        weak: boundary == Some(Boundary::End),
        ..End::new(Activity::Dism, failed, detail, code)
    };
    if msg.contains("DISM.EXE:") {
        if msg.contains("<----- Starting Dism.exe session") {
            return Some(dism(false, None, None, true, Some(Boundary::Start)));
        }
        if msg.contains("<----- Ending Dism.exe session")
            || msg.contains("Image session has been closed")
        {
            return Some(dism(false, None, None, false, Some(Boundary::End)));
        }
    }
    if msg.contains("DISM failed. No operation was performed") {
        return Some(dism(true, None, None, false, None));
    }
    if let Some(n) = msg.strip_prefix("Error: ") {
        // The console's line, alone: the code and nothing else.
        let n = n.trim();
        let number = n.bytes().all(|b| b.is_ascii_digit())
            || (n.len() > 2
                && n.starts_with("0x")
                && n[2..].bytes().all(|b| b.is_ascii_hexdigit()));
        if !number || n.len() > 10 {
            return None;
        }
        let code = crate::codes::parse_code_arg(n).ok()?;
        // Other tools print the same line (SetupDiag after its finding): weak.
        return (code != 0).then(|| End {
            weak: true,
            ..dism(true, None, Some(code), false, None)
        });
    }
    if let Some((text, _)) = msg.split_once("(hr:0x") {
        if severity.is_some_and(|s| s != Severity::Error) {
            return None;
        }
        // `DISM Package Manager: PID=6108 TID=5192 Failed finalizing changes. -
        // CDISMPackageManager::Internal_Finalize(hr:0x800f0922)`: what failed is the text
        // between the thread and the function.
        let text = text.rsplit_once(" - ").map_or(text, |(t, _)| t);
        let text = text
            .rsplit_once(" TID=")
            .map_or(text, |(_, t)| t.split_once(' ').map_or(t, |(_, rest)| rest));
        let text = text.trim().trim_matches('"').trim_end_matches('.').trim();
        if !(text.contains("Failed") || text.contains("failed")) {
            return None;
        }
        let text: String = text.chars().take(120).collect();
        let code = msg
            .split_once("(hr:")
            .and_then(|(_, c)| c.split(')').next())
            .and_then(|c| crate::codes::parse_code_arg(c.trim()).ok());
        return Some(dism(true, Some(text), code, true, None));
    }
    None
}

/// A PXE boot or the task sequence's start after it failing, in the words the client
/// shows or logs:
///
/// - the firmware's screen: `PXE-E53: No boot filename received`, `PXE-E3B: TFTP Error -
///   File not Found`, `PXE-E55 Proxy DHCP Service did not reply to request on port 4011`
///   (Microsoft's "Troubleshooting the PXE Service Point and WDS in Configuration Manager
///   2007"), and `PXE Boot aborted. Booting to next device...` when WDS answered with
///   abortpxe.com (xcat2/confluent issue #109, tests/real/boot-pxe);
/// - TSPxe in WinPE: `Failed to download pxe variable file. Code(0x00000001)` then
///   `PxeGetPxeData failed with 0x80004005` (Microsoft's smsandmom blog, 2008,
///   tests/real/boot-pxe).
///
/// SMSPXE.log, the service's side, has no end: a service answers many computers, and
/// "no deployment for this one" is routine there, so none of its lines is read here.
fn pxe(msg: &str) -> Option<End> {
    let end = |activity, detail: Option<String>, code, partial| End {
        partial,
        ..End::new(activity, true, detail, code)
    };
    if let Some((_, rest)) = msg.split_once("PXE-E") {
        // `PXE-E53: No boot filename received`: the error's number and words.
        let number: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if number.len() != 2 {
            return None;
        }
        let text: String = format!("PXE-E{rest}").chars().take(100).collect();
        return Some(end(
            Activity::PxeBoot,
            Some(text.trim().to_string()),
            None,
            false,
        ));
    }
    if msg.contains("PXE Boot aborted") {
        let detail = "PXE Boot aborted (the server sent no boot program)".to_string();
        return Some(end(Activity::PxeBoot, Some(detail), None, false));
    }
    if let Some((_, rest)) = msg.split_once("PxeGetPxeData failed") {
        return Some(end(Activity::TsBoot, None, first_code(rest), false));
    }
    if msg.contains("Failed to download pxe variable file") {
        let detail = "download of the PXE variable file".to_string();
        return Some(end(Activity::TsBoot, Some(detail), None, true));
    }
    None
}

/// The text of a CMTrace record read as plain text, without the record's frame: a line
/// pasted where the markup lost its `!` (`<[LOG[FAILURE ( 7711 ): Disk OSDDiskIndex(0) can
/// not be found!]LOG]><time="12:54:12.000+000" date="06-09-2017" component="ZTIDiskpart"
/// ...>`, KB4046108 as published, tests/real/disk) is not framed as CMTrace, and its
/// date and component would otherwise end up in what failed. Other text is returned as is.
pub(crate) fn cmtrace_text(msg: &str) -> &str {
    let Some(end) = msg.find("]LOG]") else {
        return msg;
    };
    let text = &msg[..end];
    text.strip_prefix("<![LOG[")
        .or_else(|| text.strip_prefix("<[LOG["))
        .unwrap_or(text)
}

/// SetupDiag's report on a Windows upgrade, in its words (Microsoft's SetupDiag article,
/// its sample outputs, and reports quoted in tests/real/ipu):
///
/// - `Error: SetupDiag reports down-level failure, Operation: Finalize, Error: 0x8007001F -
///   0x50015`, `Error: SetupDiag reports DISM provider failure.`, `Setupdiag reports
///   Optional Component installation failed to open the OC package.`: the upgrade failed,
///   with the code when the line gives one;
/// - `Last Phase: Safe OS` (or `Last Phase = Pre OOBE`) on a line of its own, or within
///   the XML report's one line (`...rollback failure found.Last Phase = Safe OSLast
///   Operation = ...Error = 0x800736CC-0x20003`): the phase it failed in;
/// - `SetupDiag reports successful upgrade found.`: it succeeded.
fn setupdiag(msg: &str) -> Option<End> {
    let setup = setup_end;
    let phase_in = |text: &str| {
        let (_, rest) = text
            .split_once("Last Phase = ")
            .or_else(|| text.split_once("Last Phase: "))?;
        let phase = rest.split("Last Operation").next().unwrap_or(rest).trim();
        let phase: String = phase.chars().take(60).collect();
        (!phase.is_empty()).then_some(phase)
    };
    if let Some((_, rest)) = msg.split_once("iag reports ") {
        if rest.starts_with("successful upgrade found") {
            return Some(setup(false, None, None, false, false));
        }
        if !rest.contains("fail") {
            return None;
        }
        let what = rest.split(['.', ',']).next().unwrap_or(rest).trim();
        let what: String = what.chars().take(100).collect();
        let detail = match phase_in(rest) {
            Some(p) => format!("SetupDiag: {what}, phase {p}"),
            None => format!("SetupDiag: {what}"),
        };
        return Some(setup(true, Some(detail), first_code(rest), false, false));
    }
    let line = msg.trim_start_matches(['-', ' ']);
    if line.starts_with("Last Phase") {
        let phase = phase_in(line)?;
        return Some(setup(
            false,
            Some(format!("phase {phase}")),
            None,
            true,
            true,
        ));
    }
    None
}

/// A SetupAPI section's title, `>>>  [Device Install (Hardware initiated) - PCI\VEN_...]`,
/// and its failed exit status, `<<<  [Exit status: FAILURE(0xe0000219)]` (Microsoft's
/// "Format of a Text Log Section Header"; libwdi issues #171, #176 and #328 quote whole
/// sections). Each section is one install (a device, a driver package imported, DISM's
/// offline injection in setupapi.offline.log): a failed one is what failed, named by the
/// title before it. A successful section ends nothing: a log of many installs, most of
/// them fine, says nothing of a deployment's outcome by them. A failure is weak, so a log
/// with a tool that did end (Setup, a task sequence) keeps that tool's outcome. Read from
/// within a line too, for sections quoted by a tool's own log (libwdi prefixes each line).
fn setupapi(msg: &str) -> Option<End> {
    if let Some(at) = msg.find("[Exit status: FAILURE") {
        let rest = &msg[at..];
        let code = rest
            .split_once('(')
            .and_then(|(_, c)| c.split(')').next())
            .and_then(|c| crate::codes::parse_code_arg(c.trim()).ok());
        return Some(End {
            weak: true,
            ..End::new(Activity::DriverInstall, true, None, code)
        });
    }
    let title = match msg.find(">>>  [") {
        Some(at) => &msg[at + 6..],
        None => &msg[msg.find(">>> [")? + 5..],
    };
    let title = title.trim_end();
    let title = title.strip_suffix(']').unwrap_or(title).trim();
    if title.is_empty() {
        return None;
    }
    let title: String = title.chars().take(160).collect();
    Some(End {
        partial: true,
        context: true,
        ..End::new(Activity::DriverInstall, false, Some(title), None)
    })
}

/// Reads one record's message (its severity unknown: see [`end_event_at`]).
pub fn end_event(msg: &str) -> Option<End> {
    end_event_at(msg, None, None)
}

/// Reads one record's message, of severity `severity` when the caller knows it: some
/// words say a run failed only in an error record. `tool` says whether the message holds
/// one of [`TOOL_TRIGGERS`], when the caller knows (the trigger search does):
/// else it is looked for.
pub fn end_event_at(msg: &str, severity: Option<Severity>, tool: Option<bool>) -> Option<End> {
    let msg = cmtrace_text(msg.trim());
    let end = End::new;
    if msg.contains("CcmSetup failed with error code") {
        return Some(end(Activity::ClientInstall, true, None, first_code(msg)));
    }
    if let Some(n) = number_after(msg, "CcmSetup is exiting with return code") {
        // 0 is success; 7 asks for a restart before the install can go on.
        let code = crate::codes::parse_code_arg(n).ok();
        let failed = !matches!(code, Some(0 | 7));
        return Some(end(Activity::ClientInstall, failed, None, code));
    }
    if let Some(n) = number_after(msg, "Installation failed with error code") {
        // ccmsetup's own install of client.msi; its end follows, if the log goes on.
        let code = crate::codes::parse_code_arg(n).ok();
        return Some(End {
            partial: true,
            ..end(
                Activity::ClientInstall,
                true,
                Some("client.msi installation".to_string()),
                code,
            )
        });
    }
    if msg.contains("Failed to download client files") {
        return Some(End {
            partial: true,
            ..end(
                Activity::ClientInstall,
                true,
                Some("download of the client files".to_string()),
                first_code(msg),
            )
        });
    }
    // `Installation`, `Reconfiguration`, `Removal` or `Configuration success or error
    // status: N`: how Windows Installer's run of a package ended.
    if let Some(n) = number_after(msg, "success or error status:") {
        let code = crate::codes::parse_code_arg(n).ok();
        // 3010 and 1641: installed, restart required or started.
        let failed = !matches!(code, Some(0 | 3010 | 1641));
        let product = msg
            .split_once("Product Name: ")
            .map(|(_, p)| p.split(". ").next().unwrap_or(p).trim().to_string());
        return Some(end(Activity::Msi, failed, product, code));
    }
    if msg.starts_with("Action ended ") && msg.contains("Return value 3") {
        let name = msg
            .split_once(": ")
            .map(|(_, rest)| rest.split(". Return value").next().unwrap_or(rest).trim())
            .filter(|n| !n.is_empty() && *n != "INSTALL")
            .map(|n| format!("action {n}"));
        return Some(End {
            partial: true,
            ..end(Activity::Msi, true, name, Some(1603))
        });
    }
    if let Some(rest) = mdt_failure(msg) {
        // MDT: `FAILURE ( 5212 ): text` or `FAILURE (Err): 70: text`; the Deployment
        // Summary writes `Failure (5616) 15299 Verify BCDBootEx`.
        let number = rest.split(')').next().unwrap_or("").trim();
        let text = rest
            .split_once(')')
            .map(|(_, t)| t.trim_start_matches(':').trim())
            .unwrap_or("");
        let code = number.parse::<i64>().ok().map(|v| v as u32);
        let detail = (!text.is_empty()).then(|| {
            let text: String = text.chars().take(160).collect();
            format!("FAILURE ( {number} ): {text}")
        });
        return Some(End {
            partial: true,
            ..end(Activity::Mdt, true, detail, code)
        });
    }
    if msg.contains("Litetouch deployment failed") || msg.contains("LiteTouch deployment failed") {
        return Some(end(Activity::Mdt, true, None, first_code(msg)));
    }
    if msg.contains("deployment completed successfully")
        && (msg.contains("Litetouch") || msg.contains("LTI") || msg.contains("ZTI"))
    {
        return Some(end(Activity::Mdt, false, None, Some(0)));
    }
    if let Some(n) = number_after(msg, "NetpDoDomainJoin: status:") {
        let code = crate::codes::parse_code_arg(n).ok();
        return Some(end(Activity::DomainJoin, code != Some(0), None, code));
    }
    // The rename NetSetup runs after a join (or alone) ends on its own status; a join that
    // succeeded and a rename that failed after it is a failed run, not a success.
    let rename = number_after(
        msg,
        "NetpChangeMachineName: status of setting DnsHostName and SPN:",
    )
    .or_else(|| number_after(msg, "NetpChangeMachineName: status:"));
    if let Some(n) = rename {
        let code = crate::codes::parse_code_arg(n).ok();
        let what = Some("computer rename (NetpChangeMachineName)".to_string());
        return Some(end(Activity::DomainJoin, code != Some(0), what, code));
    }
    if msg.contains("processed the command line but failed") || msg.contains("but failed. HRESULT=")
    {
        return Some(end(Activity::Dism, true, None, first_code(msg)));
    }

    if msg.contains("halting sysprep execution") {
        return Some(end(Activity::Sysprep, true, None, first_code(msg)));
    }
    if let Some((_, rest)) = msg.split_once("WinMain:Hit failure while ") {
        // Sysprep's last word: what it was doing and the HRESULT it stops with.
        let what = rest.split(';').next().unwrap_or(rest).trim();
        let what: String = what.chars().take(120).collect();
        return Some(end(Activity::Sysprep, true, Some(what), first_code(msg)));
    }
    if let Some((func, code)) = msg.split_once(": Result = 0x") {
        let code = u32::from_str_radix(code.get(..8).unwrap_or(code).trim(), 16).ok()?;
        let func = func.rsplit(' ').next().unwrap_or(func);
        if code == 0 || !func.contains("::Execute") {
            return None;
        }
        let name = func.split('(').next().unwrap_or(func).to_string();
        return Some(end(Activity::WindowsSetup, true, Some(name), Some(code)));
    }
    if !tool.unwrap_or_else(|| may_be_tool_end(msg)) {
        return None;
    }
    setupapi(msg)
        .or_else(|| dism(msg, severity))
        .or_else(|| setup_rollback(msg, severity))
        .or_else(|| pxe(msg))
        .or_else(|| setupdiag(msg))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Messages in the words the logs use (the public excerpts the issue and
    // docs/research quote); the tests check what is read from them.
    #[test]
    fn reads_each_log_kinds_end() {
        let e = end_event("CcmSetup failed with error code 0x80190194").expect("ccmsetup");
        assert_eq!(
            (e.activity, e.failed, e.code),
            (Activity::ClientInstall, true, Some(0x80190194))
        );
        let e = end_event("CcmSetup is exiting with return code 0").expect("exit");
        assert!(!e.failed);
        let e = end_event("Windows Installer installed the product. Product Name: Contoso VPN. Product Version: 1.0. Product Language: 1033. Manufacturer: Contoso. Installation success or error status: 1603.").expect("msi");
        assert_eq!(
            (e.activity, e.failed, e.code),
            (Activity::Msi, true, Some(1603))
        );
        assert_eq!(e.detail.as_deref(), Some("Contoso VPN"));
        let e =
            end_event("Action ended 12:00:00: InstallFinalize. Return value 3.").expect("action");
        assert_eq!(e.detail.as_deref(), Some("action InstallFinalize"));
        assert!(e.partial);
        let e = end_event("FAILURE ( 5212 ): Drivers path not found").expect("mdt");
        assert_eq!((e.activity, e.code), (Activity::Mdt, Some(5212)));
        let e = end_event("Litetouch deployment failed, Return Code = -2147467259  0x80004005")
            .expect("lti");
        assert_eq!(e.code, Some(0x80004005));
        // NetSetup.log's rename after a join that succeeded (janczak.net's 2017 NetSetup.log,
        // tests/real/domain-join).
        let e = end_event("NetpChangeMachineName: status of setting DnsHostName and SPN: 0x6ba")
            .expect("rename");
        assert!(e.failed);
        assert_eq!(e.code, Some(0x6ba));
        assert!(
            !end_event("NetpChangeMachineName: status: 0x0")
                .expect("rename")
                .failed
        );
        let e = end_event("NetpDoDomainJoin: status: 0xa8b").expect("join");
        assert_eq!((e.failed, e.code), (true, Some(0xa8b)));
        assert!(
            !end_event("NetpDoDomainJoin: status: 0x0")
                .expect("join ok")
                .failed
        );
        let e = end_event("CSetupManager::Execute(284): Result = 0x800705BB").expect("setup");
        assert_eq!(
            (e.activity, e.code),
            (Activity::WindowsSetup, Some(0x800705BB))
        );
        assert_eq!(e.detail.as_deref(), Some("CSetupManager::Execute"));
        assert_eq!(
            end_event("CSetupManager::Execute(284): Result = 0x00000000"),
            None
        );
        assert_eq!(end_event("Nothing to see"), None);
    }

    /// The other spellings of the logs' ends: ccmsetup's client.msi install and download,
    /// Windows Installer's other operations, the MDT Deployment Summary, Setup's routines
    /// without a line number and Sysprep's last word. The lines are those of public
    /// excerpts in tests/real (KB2737378, a BITS blog, SparkleShare #649, KB4564442) and of
    /// the Sysprep capture article quoted in the shared corpus; "Logon Failure (...)" is ours.
    #[test]
    fn reads_the_other_spellings_of_an_end() {
        let e = end_event("Installation failed with error code 1603").expect("client.msi");
        assert_eq!(
            (e.activity, e.code, e.partial),
            (Activity::ClientInstall, Some(1603), true)
        );
        let e = end_event("Failed to download client files by BITS. Error 0x80080005")
            .expect("download");
        assert_eq!(
            (e.activity, e.code),
            (Activity::ClientInstall, Some(0x80080005))
        );
        let e = end_event("MSI (c) (B8:6C) [09:32:04:546]: Windows Installer reconfigured the product. Product Name: SparkleShare. Product Version: 0.8.1. Product Language: 1033. Reconfiguration success or error status: 1638.").expect("msi");
        assert_eq!(
            (e.activity, e.failed, e.code),
            (Activity::Msi, true, Some(1638))
        );
        let e = end_event("Failure (5616) 15299 Verify BCDBootEx").expect("summary");
        assert_eq!((e.activity, e.code), (Activity::Mdt, Some(5616)));
        assert_eq!(
            e.detail.as_deref(),
            Some("FAILURE ( 5616 ): 15299 Verify BCDBootEx")
        );
        assert_eq!(end_event("Logon Failure (0x52e) for the account"), None);
        let e = end_event("LiteTouch deployment failed, Return Code = 2147467259 0x80004005")
            .expect("lti");
        assert_eq!((e.activity, e.failed), (Activity::Mdt, true));
        let e = end_event("CDlpActionDriverMigrate::ExecuteRoutine: Result = 0x80070003")
            .expect("routine");
        assert_eq!(
            e.detail.as_deref(),
            Some("CDlpActionDriverMigrate::ExecuteRoutine")
        );
        // An update's progress is not Setup's result.
        assert_eq!(end_event("Update (Site_1/SUM_2) Progress: Status = ciStateError, PercentComplete = 0, DownloadSize = 0, Result = 0x87d00664"), None);
        let e = end_event("983256 (0xf00d8) WinMain:Hit failure while pre-validate sysprep cleanup internal providers; hr = 0x80070975").expect("sysprep");
        assert_eq!((e.activity, e.code), (Activity::Sysprep, Some(0x80070975)));
        assert_eq!(
            e.detail.as_deref(),
            Some("pre-validate sysprep cleanup internal providers")
        );
    }

    /// Windows Setup's rollback and failed operations, in the words of public logs: a
    /// rollback's setupact.log (gist.github.com/peteykun/c42795673272902d84cc2538ab2d93c8),
    /// Microsoft's resolution procedures (0xC1900101 - 0x4000D), KB4550023's rollback
    /// script lines, the setuperr.log example of "Log files and resolving upgrade errors"
    /// and a setupact.log of tests/real (rpi5-wim-mount-removable-0xc1420134). The zero
    /// result and the Info "Operation failed:" line are ours.
    #[test]
    fn reads_setups_rollback_and_failed_operations() {
        let e = end_event("2020-08-29 09:42:33, Info SP Current result string: 2147943467")
            .expect("result");
        assert_eq!(
            (e.activity, e.failed, e.partial, e.code),
            (Activity::WindowsSetup, true, false, Some(0x8007042B))
        );
        // An uninstall the user asked for writes the same log, with nothing failed.
        assert_eq!(end_event("SP Current result string: 0"), None);
        let e = end_event("SP Current phase string : OOBEBoot,Start").expect("phase");
        assert!(e.context && e.partial && !e.failed);
        assert_eq!(e.detail.as_deref(), Some("phase OOBEBoot,Start"));
        let e = end_event("Info SP     Crash 0x0000007E detected").expect("crash");
        assert_eq!((e.partial, e.code), (true, None));
        assert_eq!(e.detail.as_deref(), Some("bug check 0x0000007E"));
        let e = end_event("Info SP     Cannot recover the system.").expect("recover");
        assert!(e.failed && !e.partial);
        assert!(end_event("MOUPG SetupManager::ExecuteRollbackScripts: Running rollback script: [C:\\$WINDOWS.~BT\\Sources\\Scripts\\setuprollback.cmd]").expect("scripts").failed);
        let e = end_event("27:09, Error           SP     CSetupPlatformPrivate::Execute: Execution of operations queue failed, abandoning. Error: 0x8007042B[gle=0x000000b7]").expect("queue");
        assert_eq!((e.failed, e.code), (true, Some(0x8007042B)));
        let e = end_event_at(
            "27:09, Error           SP     Operation failed: Migrate framework (Full). Error: 0x8007042B[gle=0x000000b7]",
            Some(Severity::Error),
            None,
        )
        .expect("operation");
        assert_eq!(
            (e.partial, e.detail.as_deref()),
            (true, Some("operation Migrate framework (Full)"))
        );
        assert_eq!(
            end_event_at(
                "Operation failed: counted for telemetry",
                Some(Severity::Info),
                None
            ),
            None
        );
        let e =
            end_event("ExecuteOperations: Failed execution phase Pre-Finalize. Error: 0xC1420134")
                .expect("phase failed");
        assert_eq!(
            (e.partial, e.code, e.detail.as_deref()),
            (false, Some(0xC1420134), Some("phase Pre-Finalize"))
        );
        // Not a failure: the words of a successful upgrade's setupact.log.
        assert_eq!(end_event("Rollback disabled successfully"), None);
        assert_eq!(
            end_event("Info SP Initiating rollback/uninstall, phase = 0"),
            None
        );
    }

    /// DISM's words, from a public dism.log (Microsoft Q&A 1166627, a DISM.EXE session
    /// adding KB5022291, 2023-02-02), a TSG's dismhost excerpt (tests/real/servicing) and
    /// DISM's console (tests/real/servicing); "Error: 87 packages" is ours.
    #[test]
    fn reads_dism_sessions_and_console() {
        let e = end_event("DISM.EXE: <----- Starting Dism.exe session ----->").expect("start");
        assert_eq!(e.boundary, Some(Boundary::Start));
        let e = end_event("DISM.EXE: Image session has been closed. Reboot required=no.")
            .expect("close");
        assert_eq!((e.boundary, e.failed), (Some(Boundary::End), false));
        let e = end_event("DISM.EXE: <----- Ending Dism.exe session ----->").expect("end");
        assert_eq!(e.boundary, Some(Boundary::End));
        let e = end_event_at("DISM Package Manager: PID=42316 TID=43476 Failed finalizing changes. - CDISMPackageManager::Internal_Finalize(hr:0x800f0905)", Some(Severity::Error), None).expect("frame");
        assert_eq!(
            (e.activity, e.partial, e.code, e.detail.as_deref()),
            (
                Activity::Dism,
                true,
                Some(0x800f0905),
                Some("Failed finalizing changes")
            )
        );
        // A warning's failure is one DISM retried or went past.
        assert_eq!(end_event_at("DISM Manager: PID=13912 TID=14268 A problem ocurred loading the image session. Retrying...  - CDISMManager::CreateImageSession(hr:0x80070005)", Some(Severity::Warning), None), None);
        assert_eq!(end_event_at("DISM Provider Store: PID=7144 TID=2448 Failed to load the provider: PEProvider.dll. - CDISMProviderStore::Internal_GetProvider(hr:0x8007007e)", Some(Severity::Warning), None), None);
        let e = end_event("Error: 0x800f081f").expect("console");
        assert_eq!(
            (e.failed, e.partial, e.code),
            (true, false, Some(0x800f081f))
        );
        assert_eq!(end_event("Error: 87").expect("87").code, Some(87));
        assert_eq!(end_event("Error: 87 packages"), None);
        assert!(
            end_event("DISM failed. No operation was performed.")
                .expect("failed")
                .failed
        );
    }

    /// The client's words for a failed PXE boot and TS start (the sources of `pxe`); "the
    /// PXE-M0F" line is an Intel boot agent's message, not an error.
    #[test]
    fn reads_pxe_and_tspxe_failures() {
        let e = end_event("PXE-E53: No boot filename received").expect("e53");
        assert_eq!(
            (e.activity, e.failed, e.detail.as_deref()),
            (
                Activity::PxeBoot,
                true,
                Some("PXE-E53: No boot filename received")
            )
        );
        assert!(
            end_event("PXE-E55 Proxy DHCP Service did not reply to request on port 4011").is_some()
        );
        assert!(
            end_event("PXE Boot aborted. Booting to next device...")
                .expect("abort")
                .failed
        );
        assert_eq!(end_event("PXE-M0F: Exiting Intel Boot Agent"), None);
        let e = end_event("PxeGetPxeData failed with 0x80004005 TSPxe").expect("tspxe");
        assert_eq!((e.activity, e.code), (Activity::TsBoot, Some(0x80004005)));
        let e = end_event("Failed to download pxe variable file. Code(0x00000001) TSPxe")
            .expect("variables");
        assert!(e.partial);
        // The service's side: routine, not an end.
        assert_eq!(end_event("PXE::CBootImageManager::QueryWIMInfo"), None);
    }

    /// An MDT line of KB4046108 as published (CMTrace markup without its `!`, read as
    /// plain text): what failed is the message, not its date and component.
    #[test]
    fn a_cmtrace_line_read_as_plain_text_gives_its_message() {
        let e = end_event(r#"<[LOG[FAILURE ( 7711 ): Disk OSDDiskIndex(0) can not be found!]LOG]><time="12:54:12.000+000" date="06-09-2017" component="ZTIDiskpart" context="" type="3" thread="" file="ZTIDiskpart">"#).expect("mdt");
        assert_eq!(
            e.detail.as_deref(),
            Some("FAILURE ( 7711 ): Disk OSDDiskIndex(0) can not be found!")
        );
        assert_eq!(e.code, Some(7711));
    }

    /// SetupDiag's report lines (Microsoft's SetupDiag article's samples and reports quoted
    /// in tests/real/ipu).
    #[test]
    fn reads_setupdiag_reports() {
        let e = end_event("Error: SetupDiag reports down-level failure, Operation: Finalize, Error: 0x8007001F - 0x50015").expect("down-level");
        assert_eq!(
            (e.activity, e.failed, e.code, e.detail.as_deref()),
            (
                Activity::WindowsSetup,
                true,
                Some(0x8007001F),
                Some("SetupDiag: down-level failure")
            )
        );
        let e = end_event("  <FailureData>0x800736cc-0x20003 Error: SetupDiag reports rollback failure found.Last Phase = Safe OSLast Operation = Add [6] package C:\\$WINDOWS.~BT\\DUImageSandbox\\x.cab to C:\\$WINDOWS.~BT\\NewOSError = 0x800736CC-0x20003</FailureData>").expect("xml");
        assert_eq!(
            e.detail.as_deref(),
            Some("SetupDiag: rollback failure found, phase Safe OS")
        );
        assert_eq!(e.code, Some(0x800736CC));
        let e = end_event("Last Phase: Safe OS").expect("phase");
        assert!(e.context && !e.failed);
        assert!(!end_event("FailureData        : {SetupDiag reports successful upgrade found., This appears to be a successful update as the last").expect("success").failed);
        // DISM's console line is weak: SetupDiag prints the same after its finding.
        assert!(end_event("Error: 0x800706ba").expect("code").weak);
    }
}
