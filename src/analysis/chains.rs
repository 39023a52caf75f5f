//! HRESULT chains: the frames (`expr, HRESULT=X (file,line)`) through which one failure
//! climbs the call stack, and the summary lines that close it.
//!
//! Frames are grouped per thread, because CMTrace interleaves threads: a frame joins the
//! open chain of its thread when few of that thread's records lie between them. Within one
//! chain the code may change (0x8009100E surfacing as 0x80004005); the root is the earliest
//! specific code, since generic codes such as E_FAIL say nothing about the cause.

use std::collections::HashMap;

use super::needle::Needle;
use crate::log::RecordRef;

static HRESULT: Needle = Needle::new("HRESULT=");
static WIZARD: Needle = Needle::new("Setting wizard error");
/// A code follows: `Code(0x...)`, `code 0x...`, `Error: ...`, `error code ...`.
static CODE_MARKS: [Needle; 4] = [
    Needle::new("Code(0x"),
    Needle::new("code 0x"),
    Needle::new("Error: "),
    Needle::new("error code"),
];
/// A code in parentheses: `(80004005)`, `(0x...)`, `(C...)`.
static PAREN_CODES: [Needle; 3] = [Needle::new("(8"), Needle::new("(0x"), Needle::new("(C")];
static RETURNED: Needle = Needle::new("returned code ");
static FAILED_CODE: [Needle; 2] = [
    Needle::new("failed. Code(0x"),
    Needle::new("failed with error code"),
];

/// A frame line, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The expression that failed (text before `, HRESULT=`).
    pub expr: String,
    /// The code.
    pub code: u32,
    /// `file,line` of the source that logged it, when given.
    pub origin: Option<String>,
}

/// Parses `expr, HRESULT=80040101 (e:\path\file.cpp,1518)` anywhere in a message.
pub fn parse_frame(msg: &str) -> Option<Frame> {
    let at = HRESULT.find(msg)?;
    let hex = msg.get(at + 8..at + 16)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let code = u32::from_str_radix(hex, 16).ok()?;
    let expr = msg[..at]
        .trim_end()
        .trim_end_matches(',')
        .trim()
        .to_string();
    let rest = msg[at + 16..].trim_start();
    let origin = rest.strip_prefix('(').and_then(|r| {
        let end = r.find(')')?;
        let inner = &r[..end];
        let (file, line) = inner.rsplit_once(',')?;
        let line = line.trim();
        line.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| format!("{},{}", file.trim(), line))
    });
    Some(Frame { expr, code, origin })
}

/// What kind of summary line closes or accompanies a chain, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SummaryKind {
    /// `Setting wizard error: ...`: what the user saw.
    Wizard,
    /// `Failed to ... Code(0x...)` or `Failed to ... (80004005)`.
    FailedTo,
    /// `X failed. Code(0x...)`.
    Failed,
    /// `... returned code 0x...`.
    Returned,
}

/// Literals of summary lines, for the scanner; [`summary_kind`] decides.
pub const SUMMARY_TRIGGERS: &[&str] = &[
    "Setting wizard error",
    "Code(0x",
    "returned code",
    "Failed to",
    "failed to",
    "failed with error code",
];

/// Recognises a summary line.
pub fn summary_kind(msg: &str) -> Option<SummaryKind> {
    let m = msg.trim_start();
    if WIZARD.is_in(m) {
        return Some(SummaryKind::Wizard);
    }
    if (m.starts_with("Failed to") || m.starts_with("failed to"))
        && (CODE_MARKS.iter().any(|n| n.is_in(m)) || PAREN_CODES.iter().any(|n| n.is_in(m)))
    {
        return Some(SummaryKind::FailedTo);
    }
    if RETURNED.is_in(m) {
        return Some(SummaryKind::Returned);
    }
    if FAILED_CODE.iter().any(|n| n.is_in(m)) {
        return Some(SummaryKind::Failed);
    }
    None
}

/// Codes that say only "something failed": a chain's root skips past them to the first
/// specific code.
pub fn is_generic(code: u32) -> bool {
    matches!(code, 0x8000_4005 | 0x8000_FFFF | 0x8007_001F)
}

/// One chain.
#[derive(Clone, Debug)]
pub struct Chain {
    /// Frame records in order, with their parsed frames.
    pub frames: Vec<(RecordRef, Frame)>,
    /// Summary records attached (in order, with their kind).
    pub summaries: Vec<(RecordRef, SummaryKind)>,
    /// The code the chain surfaced with: the last frame's.
    pub code: u32,
    /// The earliest specific code.
    pub root: u32,
    /// Component of the first frame.
    pub component: Option<String>,
    /// Thread of the frames.
    pub thread: Option<u32>,
    /// `file,line` of the first frame.
    pub origin: Option<String>,
    /// The best summary message.
    pub summary_text: Option<String>,
    /// Position (in the log's merged order) of the first and last record of the chain.
    pub span: (usize, usize),
}

impl Chain {
    /// The first frame record.
    pub fn first(&self) -> RecordRef {
        self.frames.first().map(|f| f.0).unwrap_or(RecordRef {
            source: 0,
            index: 0,
        })
    }

    /// The last record: the last summary after the frames, or the last frame.
    pub fn last(&self) -> RecordRef {
        let last_frame = self.frames.last().map(|f| f.0).unwrap_or(self.first());
        match self.summaries.last() {
            Some((r, _)) if *r > last_frame => *r,
            _ => last_frame,
        }
    }

    /// Position of the root frame in `frames`.
    pub fn root_frame(&self) -> usize {
        self.frames
            .iter()
            .position(|(_, f)| f.code == self.root)
            .unwrap_or(0)
    }
}

/// A record handed to the chain builder: its position in the merged log, and the fields
/// that matter.
#[derive(Clone, Debug)]
pub struct ChainInput<'a> {
    /// Position in the merged order.
    pub pos: usize,
    /// The record.
    pub record: RecordRef,
    /// Thread id (None in plain text).
    pub thread: Option<u32>,
    /// Component.
    pub component: Option<&'a str>,
    /// Local time in milliseconds, when known.
    pub millis: Option<i64>,
}

/// What one record says about chains, read from its message alone (on any core, while
/// the record is in cache); [`ChainBuilder::apply`] then works in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainEvent {
    /// A frame line (boxed: frames are few, and the event sits in every candidate).
    Frame(Box<Frame>),
    /// A summary line.
    Summary(SummaryKind),
}

/// Reads one record's message for chains.
pub fn chain_event(msg: &str) -> Option<ChainEvent> {
    match parse_frame(msg) {
        Some(f) => Some(ChainEvent::Frame(Box::new(f))),
        None => summary_kind(msg).map(ChainEvent::Summary),
    }
}

/// Records (in merged order, all threads) allowed between two frames of one chain, and
/// between the last frame and a summary line. Failures climb the stack within
/// milliseconds, so even with dozens of threads interleaved the frames lie close together.
pub const MAX_DISTANCE: usize = 96;
/// A pause longer than this (ms) between two frames starts a new chain.
const MAX_PAUSE_MS: i64 = 120_000;

#[derive(Clone)]
struct Open {
    chain: Chain,
    /// Merged position of the last frame.
    last_pos: usize,
    last_millis: Option<i64>,
}

/// Builds chains incrementally from records in merged order. Feed it the frame records
/// and the summary-like records (others are ignored), then call [`ChainBuilder::finish`].
#[derive(Clone, Default)]
pub struct ChainBuilder {
    open: HashMap<Option<u32>, Open>,
    done: Vec<Chain>,
}

impl ChainBuilder {
    /// A builder with no chain.
    pub fn new() -> ChainBuilder {
        ChainBuilder::default()
    }

    /// Moves chains that can no longer grow (their thread has been quiet for longer than
    /// [`MAX_DISTANCE`]) to the finished list.
    fn close_stale(&mut self, pos: usize) {
        let stale: Vec<Option<u32>> = self
            .open
            .iter()
            .filter(|(_, o)| pos.saturating_sub(o.last_pos) > MAX_DISTANCE)
            .map(|(k, _)| *k)
            .collect();
        for k in stale {
            if let Some(o) = self.open.remove(&k) {
                self.done.push(o.chain);
            }
        }
    }

    /// Feeds one record with its message.
    pub fn push(&mut self, rec: &ChainInput<'_>, message: &str) {
        if let Some(event) = chain_event(message) {
            self.apply(rec, event);
        }
    }

    /// Feeds one record already read by [`chain_event`].
    pub fn apply(&mut self, rec: &ChainInput<'_>, event: ChainEvent) {
        if self.open.len() > 64 {
            self.close_stale(rec.pos);
        }
        let key = rec.thread;
        if let ChainEvent::Frame(frame) = event {
            let joins = self.open.get(&key).is_some_and(|o| {
                rec.pos.saturating_sub(o.last_pos) <= MAX_DISTANCE
                    && match (o.last_millis, rec.millis) {
                        (Some(a), Some(b)) => (b - a).abs() <= MAX_PAUSE_MS,
                        _ => true,
                    }
                    // With no thread ids (a paste), one specific code giving way to
                    // another is a second incident: a failure climbing the stack only
                    // turns specific codes into generic ones.
                    && (key.is_some()
                        || o.chain.code == frame.code
                        || is_generic(o.chain.code)
                        || is_generic(frame.code))
            });
            if !joins {
                if let Some(o) = self.open.remove(&key) {
                    self.done.push(o.chain);
                }
                let chain = Chain {
                    frames: Vec::new(),
                    summaries: Vec::new(),
                    code: frame.code,
                    root: frame.code,
                    component: rec.component.map(str::to_string),
                    thread: rec.thread,
                    origin: frame.origin.clone(),
                    summary_text: None,
                    span: (rec.pos, rec.pos),
                };
                self.open.insert(
                    key,
                    Open {
                        chain,
                        last_pos: rec.pos,
                        last_millis: rec.millis,
                    },
                );
            }
            if let Some(o) = self.open.get_mut(&key) {
                o.last_pos = rec.pos;
                o.last_millis = rec.millis.or(o.last_millis);
                o.chain.code = frame.code;
                if is_generic(o.chain.root) && !is_generic(frame.code) {
                    o.chain.root = frame.code;
                }
                o.chain.span.1 = rec.pos;
                o.chain.frames.push((rec.record, *frame));
            }
            return;
        }
        let ChainEvent::Summary(kind) = event else {
            return;
        };
        if let Some(o) = self.open.get_mut(&key) {
            if rec.pos.saturating_sub(o.last_pos) <= MAX_DISTANCE {
                o.chain.summaries.push((rec.record, kind));
                o.chain.span.1 = rec.pos;
                // The wizard's error is what the user saw: the incident ends there, and
                // the next frame starts another.
                if kind == SummaryKind::Wizard {
                    if let Some(o) = self.open.remove(&key) {
                        self.done.push(o.chain);
                    }
                }
            }
        }
    }

    /// The chains [`ChainBuilder::finish`] would give now, leaving the builder to go on
    /// (a live log's analysis between two batches).
    pub(crate) fn finished(&self, message_of: impl Fn(RecordRef) -> String) -> Vec<Chain> {
        self.clone().finish(message_of)
    }

    /// Closes every open chain and returns all chains in order of their first frame.
    pub fn finish(mut self, message_of: impl Fn(RecordRef) -> String) -> Vec<Chain> {
        self.done.extend(self.open.drain().map(|(_, o)| o.chain));
        let mut chains = self.done;
        chains.sort_by_key(|c| c.span.0);
        for c in &mut chains {
            // The wizard's message is what the user saw; after it, the first "Failed to ..."
            // names the action that failed. min_by_key keeps the earliest of equal kinds.
            let best = c.summaries.iter().min_by_key(|(_, k)| *k);
            c.summary_text = best.map(|(r, _)| message_of(*r).trim().to_string());
        }
        chains
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_frames() {
        let f = parse_frame("(!sNetworkAccessAccount.empty()), HRESULT=80040101 (e:\\nts_sms_fre\\sms\\framework\\tscore\\tspolicy.cpp,1518)").unwrap();
        assert_eq!(f.code, 0x80040101);
        assert_eq!(f.expr, "(!sNetworkAccessAccount.empty())");
        assert_eq!(
            f.origin.as_deref(),
            Some("e:\\nts_sms_fre\\sms\\framework\\tscore\\tspolicy.cpp,1518")
        );
        let g = parse_frame("CryptMsgControl (hMsg, 0, CMSG_CTRL_VERIFY_SIGNATURE, pCert->pCertInfo), HRESULT=8009100e (e:\\x\\libcrypt.cpp,351)").unwrap();
        assert_eq!(g.code, 0x8009100E);
        assert!(parse_frame("HRESULT=zz").is_none());
    }

    #[test]
    fn summaries() {
        assert_eq!(
            summary_kind("Failed to resolve selected task sequence dependencies. Code(0x80040101)"),
            Some(SummaryKind::FailedTo)
        );
        assert_eq!(
            summary_kind("ThreadToResolveAndExecuteTaskSequence returned code 0x80040101"),
            Some(SummaryKind::Returned)
        );
        assert_eq!(
            summary_kind("Setting wizard error: Failed to read network access account"),
            Some(SummaryKind::Wizard)
        );
        assert_eq!(
            summary_kind("Failed to get client identity (80004005)"),
            Some(SummaryKind::FailedTo)
        );
        assert_eq!(summary_kind("Parsing Policy Body."), None);
    }

    /// The founding article pasted whole (no thread ids): the first phase's chain ends at
    /// its wizard error, and the second phase's chain keeps its own root.
    #[test]
    fn a_paste_with_two_incidents_gives_two_chains() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs/pasted-ticket.txt"),
        )
        .expect("sample");
        // The second phase, as KB2509330 ("OSD and task sequences fail after restoring a
        // Configuration Manager 2007 central site from a backup") quotes it.
        let phase2 = "Decompressing reply body. TSMBootstrap
CryptMsgControl (hMsg, 0, CMSG_CTRL_VERIFY_SIGNATURE, pCert->pCertInfo), HRESULT=8009100e (e:\\nts_sms_fre\\sms\\framework\\osdmessaging\\libcrypt.cpp,351) TSMBootstrap
signature varification failed TSMBootstrap
ipCertContext != listpServerCertContext.end(), HRESULT=80004005 (e:\\nts_sms_fre\\sms\\framework\\osdmessaging\\libsmsmessaging.cpp,2476) TSMBootstrap
DoRequest (sReply, true), HRESULT=80004005 (e:\\nts_sms_fre\\sms\\framework\\osdmessaging\\libsmsmessaging.cpp,5010) TSMBootstrap
Failed to get client identity (80004005) TSMBootstrap";
        let text = format!("{text}\n{phase2}\n");
        let mut b = ChainBuilder::new();
        for (i, line) in text.lines().enumerate() {
            let rec = ChainInput {
                pos: i,
                record: RecordRef {
                    source: 0,
                    index: i as u32,
                },
                thread: None,
                component: None,
                millis: None,
            };
            b.push(&rec, line);
        }
        let chains = b.finish(|_| String::new());
        let roots: Vec<(u32, u32)> = chains.iter().map(|c| (c.code, c.root)).collect();
        assert_eq!(
            roots,
            vec![(0x80040101, 0x80040101), (0x80004005, 0x8009100E)]
        );
    }

    #[test]
    fn threads_interleaved_keep_their_own_chains() {
        let lines = [
            (
                1,
                "CryptMsgControl (hMsg), HRESULT=8009100e (e:\\x\\libcrypt.cpp,351)",
            ),
            (2, "Sending status message"),
            (
                1,
                "VerifySignature(), HRESULT=80004005 (e:\\x\\libcrypt.cpp,400)",
            ),
            (
                2,
                "ReadPolicy(), HRESULT=80040101 (e:\\x\\tspolicy.cpp,1518)",
            ),
            (1, "Failed to get client identity (80004005)"),
        ];
        let mut b = ChainBuilder::new();
        for (i, (thread, msg)) in lines.iter().enumerate() {
            let rec = ChainInput {
                pos: i,
                record: RecordRef {
                    source: 0,
                    index: i as u32,
                },
                thread: Some(*thread),
                component: Some("TSManager"),
                millis: Some(i as i64),
            };
            b.push(&rec, msg);
        }
        let chains = b.finish(|r| lines[r.index as usize].1.to_string());
        assert_eq!(chains.len(), 2);
        assert_eq!((chains[0].code, chains[0].root), (0x80004005, 0x8009100E));
        assert_eq!(chains[0].frames.len(), 2);
        assert_eq!(
            chains[0].summary_text.as_deref(),
            Some("Failed to get client identity (80004005)")
        );
        assert_eq!((chains[1].code, chains[1].thread), (0x80040101, Some(2)));
    }
}
