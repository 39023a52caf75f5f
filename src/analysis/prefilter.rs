//! Literals that must occur wherever a knowledge-base pattern matches, so that one
//! Aho-Corasick pass over the text finds the candidate records instead of running a large
//! case-insensitive regex over every byte.
//!
//! Matching is ASCII case-insensitive, so a literal written under `(?i)` is still one
//! literal. A pattern from which no literal of at least [`MIN_LITERAL`] bytes can be
//! derived is left to a regex scan.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Shorter literals would match almost everywhere and filter nothing.
pub const MIN_LITERAL: usize = 4;

/// The set of literals one of which (ignoring ASCII case) occurs in every match of
/// `pattern`, or None when no useful set can be derived.
pub fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let set = lits(&hir)?;
    (set.iter().map(Vec::len).min()? >= MIN_LITERAL).then_some(set)
}

/// One ASCII byte (lower-cased) when the class is a letter in either case or one char.
fn class_byte(c: &Class) -> Option<u8> {
    let mut chars: Vec<u32> = Vec::new();
    match c {
        Class::Unicode(u) => {
            for r in u.ranges() {
                let (a, b) = (r.start() as u32, r.end() as u32);
                if b - a > 2 {
                    return None;
                }
                chars.extend(a..=b);
            }
        }
        Class::Bytes(by) => {
            for r in by.ranges() {
                let (a, b) = (u32::from(r.start()), u32::from(r.end()));
                if b - a > 2 {
                    return None;
                }
                chars.extend(a..=b);
            }
        }
    }
    // Unicode case folding adds look-alikes (KELVIN SIGN for k, LONG S for s): logs write
    // ASCII, so only the ASCII members count.
    chars.retain(|&c| c < 128);
    let first = u8::try_from(*chars.first()?).ok()?.to_ascii_lowercase();
    chars
        .iter()
        .all(|&c| u8::try_from(c).is_ok_and(|b| b.to_ascii_lowercase() == first))
        .then_some(first)
}

fn single(h: &Hir) -> Option<Vec<u8>> {
    match h.kind() {
        HirKind::Literal(l) => Some(l.0.to_ascii_lowercase()),
        HirKind::Class(c) => class_byte(c).map(|b| vec![b]),
        HirKind::Capture(c) => single(&c.sub),
        _ => None,
    }
}

fn best(cands: Vec<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    cands
        .into_iter()
        .filter(|s| !s.is_empty())
        .max_by_key(|s| s.iter().map(Vec::len).min().unwrap_or(0))
}

fn lits(h: &Hir) -> Option<Vec<Vec<u8>>> {
    if let Some(s) = single(h) {
        return Some(vec![s]);
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
            let mut cands: Vec<Vec<Vec<u8>>> = Vec::new();
            let mut run: Vec<u8> = Vec::new();
            for s in subs {
                if let Some(b) = single(s) {
                    run.extend(b);
                    continue;
                }
                if !run.is_empty() {
                    cands.push(vec![std::mem::take(&mut run)]);
                }
                if let Some(set) = lits(s) {
                    cands.push(set);
                }
            }
            if !run.is_empty() {
                cands.push(vec![run]);
            }
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
            Some(vec!["verification".into(), "varification".into()])
        );
        assert_eq!(
            l(r"HRESULT=8009100[eE].*CMSG"),
            Some(vec!["hresult=8009100e".into()])
        );
        assert_eq!(
            l(r"(?i)(unknown host|no IP address)"),
            Some(vec!["unknown host".into(), "no ip address".into()])
        );
    }

    #[test]
    fn gives_up_when_nothing_is_required() {
        assert_eq!(l(r"\d+\s*\w+"), None);
        assert_eq!(l(r"(abc)?xyz"), None);
        assert_eq!(l(r"a|bcdef"), None);
    }
}
