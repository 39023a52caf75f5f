//! Literals that must occur wherever a knowledge-base pattern matches, so that one
//! literal search over the text finds the candidate records instead of running a large
//! case-insensitive regex over every byte.
//!
//! Matching is ASCII case-insensitive, so a literal written under `(?i)` is still one
//! literal. A pattern from which no literal of at least [`MIN_LITERAL`] bytes can be
//! derived is left to a regex scan.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Shorter literals would match almost everywhere and filter nothing.
pub const MIN_LITERAL: usize = 4;
// The knowledge base's literal scanner needs literals of at least 4 bytes.
const _: () = assert!(MIN_LITERAL >= 4);

/// The set of literals one of which (ignoring ASCII case) occurs in every match of
/// `pattern`, or None when no useful set can be derived.
pub fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    hir_literals(&hir)
}

/// [`required_literals`] of a pattern already parsed.
pub fn hir_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let set = lits(hir)?;
    (set.iter().map(Vec::len).min()? >= MIN_LITERAL).then_some(set)
}

/// What the scans look for on behalf of a rule set.
#[derive(Debug, Default)]
pub struct RuleLiterals {
    /// Literals (lower-case, at least [`MIN_LITERAL`] bytes) one of which occurs in every
    /// record some message signal matches, when its pattern or codes gave any.
    pub literals: Vec<Vec<u8>>,
    /// The message patterns that gave none, with their case flag, for a regex pass.
    pub patterns: Vec<String>,
}

/// Literals one of which a record must hold for `sig`'s message signal to match it: its
/// pattern's, or with none, its codes' (a record the signal matches must spell one of
/// them). None when neither gives a usable set.
pub(crate) fn signal_literals(sig: &crate::kb::Signal) -> Option<Vec<Vec<u8>>> {
    (sig.literals.clone()).or_else(|| code_literals(&sig.codes))
}

/// The literals of every message signal (`unless` ones included) of `rules`
/// ([`signal_literals`]), and the patterns that have none.
pub fn rule_literals(rules: &crate::kb::RuleSet) -> RuleLiterals {
    let mut out = RuleLiterals::default();
    for rule in rules.rules() {
        for sig in rule.signals.iter().chain(&rule.unless) {
            let Some(pat) = &sig.message else { continue };
            match signal_literals(sig) {
                Some(set) => out.literals.extend(set),
                None if sig.case_sensitive => out.patterns.push(format!("(?:{pat})")),
                None => out.patterns.push(format!("(?i:{pat})")),
            }
        }
    }
    out
}

/// Literals one of which occurs wherever [`crate::codes::find_codes`] finds one of `codes`:
/// the eight hex digits, the unsigned decimal and, for values with the top bit set, the
/// digits of the signed decimal. None when there are no codes or one could be written in
/// fewer than eight hex digits (`0x54b`), which is too short to search for.
pub fn code_literals(codes: &[u32]) -> Option<Vec<Vec<u8>>> {
    if codes.is_empty() || codes.iter().any(|&c| c < 0x1000_0000) {
        return None;
    }
    let mut out = Vec::new();
    for &c in codes {
        out.push(format!("{c:08x}").into_bytes());
        out.push(c.to_string().into_bytes());
        if c >= 0x8000_0000 {
            out.push((-i64::from(c as i32)).to_string().into_bytes());
        }
    }
    Some(out)
}

/// Largest set of alternatives kept when a pattern's small classes, alternations and
/// optional parts are spelled out (`status(?: of)?: 0x(?:aac|54b)` gives four literals).
const MAX_SET: usize = 32;

/// The ASCII bytes (lower-cased, deduplicated) a class matches, when there are few.
fn class_bytes(c: &Class) -> Option<Vec<u8>> {
    let mut chars: Vec<u32> = Vec::new();
    let ranges: Vec<(u32, u32)> = match c {
        Class::Unicode(u) => u
            .ranges()
            .iter()
            .map(|r| (r.start() as u32, r.end() as u32))
            .collect(),
        Class::Bytes(b) => b
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
    };
    for (a, b) in ranges {
        // Unicode case folding adds look-alikes (KELVIN SIGN for k, LONG S for s): logs
        // write ASCII, so only the ASCII members count.
        let b = b.min(127);
        if a > b {
            continue;
        }
        if b - a >= MAX_SET as u32 {
            return None;
        }
        chars.extend(a..=b);
    }
    let mut out: Vec<u8> = chars
        .into_iter()
        .filter_map(|c| u8::try_from(c).ok())
        .map(|b| b.to_ascii_lowercase())
        .collect();
    out.sort_unstable();
    out.dedup();
    (!out.is_empty() && out.len() <= MAX_SET).then_some(out)
}

/// Every string `h` can match (lower-cased), when that is a small finite set.
/// Zero-width assertions (`\b`) match the empty string.
fn exact(h: &Hir) -> Option<Vec<Vec<u8>>> {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![Vec::new()]),
        HirKind::Literal(l) => Some(vec![l.0.to_ascii_lowercase()]),
        HirKind::Class(c) => Some(class_bytes(c)?.into_iter().map(|b| vec![b]).collect()),
        HirKind::Capture(c) => exact(&c.sub),
        HirKind::Repetition(r) => {
            let max = r.max?;
            if max > 8 {
                return None;
            }
            let sub = exact(&r.sub)?;
            let mut all: Vec<Vec<u8>> = Vec::new();
            let mut cur = vec![Vec::new()];
            for n in 0..=max {
                if n >= r.min {
                    all.extend(cur.iter().cloned());
                }
                cur = product(&cur, &sub)?;
            }
            bounded(all)
        }
        HirKind::Alternation(subs) => {
            let mut all = Vec::new();
            for s in subs {
                all.extend(exact(s)?);
            }
            bounded(all)
        }
        HirKind::Concat(subs) => {
            let mut cur = vec![Vec::new()];
            for s in subs {
                cur = product(&cur, &exact(s)?)?;
            }
            Some(cur)
        }
    }
}

fn bounded(mut set: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    set.sort();
    set.dedup();
    (set.len() <= MAX_SET).then_some(set)
}

fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut v = x.clone();
            v.extend_from_slice(y);
            out.push(v);
        }
    }
    bounded(out)
}

/// How much a set of alternatives narrows the search: its shortest member, so that one
/// short common word ("status") never stands for a long specific phrase.
fn quality(set: &[Vec<u8>]) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

fn best(cands: Vec<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    cands
        .into_iter()
        .filter(|s| !s.is_empty())
        .max_by_key(|s| quality(s))
}

/// A set of literals one of which occurs in every match of `h`.
fn lits(h: &Hir) -> Option<Vec<Vec<u8>>> {
    if let Some(set) = exact(h) {
        return (quality(&set) > 0).then_some(set);
    }
    match h.kind() {
        HirKind::Capture(c) => lits(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => lits(&r.sub),
        HirKind::Alternation(subs) => {
            let mut all = Vec::new();
            for s in subs {
                all.extend(lits(s)?);
            }
            Some(all)
        }
        HirKind::Concat(subs) => {
            // Runs of parts with a small exact set are spelled out together; any other
            // part ends the run and offers its own required literals.
            let mut cands: Vec<Vec<Vec<u8>>> = Vec::new();
            let mut run: Vec<Vec<u8>> = vec![Vec::new()];
            for s in subs {
                if let Some(set) = exact(s) {
                    match product(&run, &set) {
                        Some(p) => run = p,
                        None => {
                            cands.push(std::mem::replace(&mut run, set));
                        }
                    }
                    continue;
                }
                cands.push(std::mem::replace(&mut run, vec![Vec::new()]));
                if let Some(set) = lits(s) {
                    cands.push(set);
                }
            }
            cands.push(run);
            best(cands)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(p: &str) -> Option<Vec<String>> {
        required_literals(p).map(|v| {
            v.into_iter()
                .map(|b| String::from_utf8(b).unwrap())
                .collect()
        })
    }

    #[test]
    fn extracts_the_longest_required_run() {
        assert_eq!(
            l("(?i)Network Access Account is not set"),
            Some(vec!["network access account is not set".into()])
        );
        assert_eq!(
            l(r"signature (verification|varification) failed"),
            Some(vec![
                "signature varification failed".into(),
                "signature verification failed".into()
            ])
        );
        assert_eq!(
            l(r"HRESULT=8009100[eE].*CMSG"),
            Some(vec!["hresult=8009100e".into()])
        );
        assert_eq!(
            l(r"(?i)(unknown host|no IP address)"),
            Some(vec!["no ip address".into(), "unknown host".into()])
        );
    }

    #[test]
    fn spells_out_small_classes_and_optional_parts() {
        assert_eq!(
            l(r"status(?: of)?: 0x(?:aac|54b)\b"),
            Some(vec![
                "status of: 0x54b".into(),
                "status of: 0xaac".into(),
                "status: 0x54b".into(),
                "status: 0xaac".into(),
            ])
        );
        let exit = l(r"Process completed with exit code [1-9]").unwrap();
        assert_eq!(exit.len(), 9);
        assert!(exit.contains(&"process completed with exit code 7".to_string()));
        // Too many spellings: the longest fixed run stands for the pattern.
        assert_eq!(
            l(r"Failed to run the action: [a-z]{3}"),
            Some(vec!["failed to run the action: ".into()])
        );
    }

    #[test]
    fn codes_stand_for_patterns_without_literals() {
        let lits = code_literals(&[0x8007_0070]).unwrap();
        let text: Vec<String> = lits
            .into_iter()
            .map(|b| String::from_utf8(b).unwrap())
            .collect();
        assert_eq!(text, ["80070070", "2147942512", "2147024784"]);
        // Every spelling find_codes reads as that code holds one of them.
        for msg in [
            "Failed to write X:\\a.cab (Error: 80070070; Source: Windows)",
            "exit code -2147024784",
            "Process completed with exit code 2147942512",
            "HRESULT=0x80070070",
        ] {
            let found = crate::codes::find_codes(msg)
                .iter()
                .any(|h| h.value == 0x8007_0070);
            assert!(found, "{msg}");
            let lower = msg.to_ascii_lowercase();
            assert!(text.iter().any(|l| lower.contains(l.as_str())), "{msg}");
        }
        assert_eq!(code_literals(&[0x54b]), None);
        assert_eq!(code_literals(&[]), None);
    }

    #[test]
    fn gives_up_when_nothing_is_required() {
        assert_eq!(l(r"\d+\s*\w+"), None);
        assert_eq!(l(r"(abc)?xyz"), None);
        assert_eq!(l(r"a|bcdef"), None);
    }
}
