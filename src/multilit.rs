//! ASCII-case-insensitive search for many short literals at once.
//!
//! Built for tslens' hot path: a few hundred lower-case phrases and error codes looked up in
//! millions of short log messages, most of which contain none of them.
//!
//! # Algorithm: sampled 4-grams, and pairs of them for longer literals
//!
//! The scan reads the 4-byte gram at every `k`-th haystack offset (`k` is the step), folds it
//! to lower case, and tests two bits: one for the gram alone, one for the pair (gram sampled
//! `k` bytes earlier, this gram). Both bit sets are 8 KiB, so they stay in L1. Any `k + 3`
//! consecutive haystack bytes hold one whole sampled gram and any `2k + 3` bytes hold two
//! consecutive ones, so:
//!
//! * a literal of at least `2k + 3` bytes is indexed by the `k` pairs of one window of
//!   `2k + 3` of its bytes: one of them is sampled in any occurrence, and a pair pins down
//!   `k + 4` bytes, so random text rarely hits it;
//! * a shorter one is indexed by the `k` grams of a window of `k + 3` bytes. A literal of
//!   `k + 2` bytes can still be indexed if one of its grams sticks out by one byte: that key
//!   is entered for each of the 128 values the missing byte can fold to. This lets `k` be
//!   the shortest length minus 2 when few literals are that short; on tslens' load (one
//!   6-byte literal) that is a step of 4 instead of 3, about 20% faster.
//!
//! Windows are placed where the grams look rare in log text (by byte frequencies, and
//! avoiding words such as "download" that fill every log). Only on a hit does the scan
//! look at the entries of the hashed bucket; each names a literal and where the sampled gram
//! sits in it, and the literal is confirmed with a full case-insensitive compare. Unlike
//! Wu-Manber's shifts, the step does not depend on the data, so consecutive samples have no
//! dependency chain and the CPU overlaps them.

/// Filter bits per table: 2^16 bits are 8 KiB, small enough for L1 and sparse enough (a few
/// thousand keys at most in practice) that hash collisions are rare.
const FILTER_BITS: u32 = 16;
const FILTER_WORDS: usize = 1 << (FILTER_BITS - 6);
/// Buckets per table: only touched on hits, so fewer than filter bits to save memory.
const BUCKET_BITS: u32 = 12;
const BUCKETS: usize = 1 << BUCKET_BITS;
/// ORing 0x20 into each byte maps 'A'..='Z' onto 'a'..='z'. It also merges a few other byte
/// pairs (such as '[' and '{'), which is harmless: the filter only has to be a superset.
const FOLD: u32 = 0x2020_2020;
/// Gram length; also the shortest literal accepted.
const GRAM: usize = 4;
/// Longest step. Past it the per-message overhead dominates, and fewer literals are long
/// enough for pairs.
const MAX_STEP: usize = 8;
/// Most literals of the shortest length for which the step is widened by one byte. Each
/// costs 128 keys (one per folded value of its missing byte), that is 0.2% of the single
/// filter's bits, and hits as often as its 3 known bytes occur.
const MAX_WIDENED: usize = 4;
/// Multiplier for hashing grams (2^64 / golden ratio).
const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

/// One literal, stored lower-cased (ASCII only) in `MultiLit::bytes`.
#[derive(Clone, Debug)]
struct Lit {
    start: usize,
    len: usize,
    /// The first `min(len, 8)` lower-cased bytes, little-endian, zero-padded: most
    /// candidates are rejected by this one compare.
    head: u64,
    head_mask: u64,
}

/// A bucket entry: literal `lit` has the folded `gram` at offset `back` (and, in the pair
/// table, `prev` at `back - k`), so a sample at `p` puts its start at `p - back`. `back` is
/// -1 when the gram's first byte lies before the literal.
#[derive(Clone, Copy, Debug)]
struct Entry {
    prev: u32,
    gram: u32,
    lit: u32,
    back: i32,
}

/// A bit filter over hashed keys plus the entries behind each set bit.
#[derive(Clone, Debug)]
struct Table {
    /// Inline rather than boxed: both filters are then at fixed offsets from `self`, which
    /// saves the hot loop two registers.
    filter: [u64; FILTER_WORDS],
    /// Bucket `b` is `entries[starts[b]..starts[b + 1]]`.
    starts: Box<[u32; BUCKETS + 1]>,
    entries: Vec<Entry>,
}

impl Table {
    /// Indexes `entries` under `hash(entry)`.
    fn build(entries: &[Entry], hash: impl Fn(&Entry) -> usize) -> Table {
        let mut filter = [0u64; FILTER_WORDS];
        let mut starts = Box::new([0u32; BUCKETS + 1]);
        for e in entries {
            let h = hash(e);
            filter[h >> 6] |= 1 << (h & 63);
            starts[to_bucket(h) + 1] += 1;
        }
        for b in 0..BUCKETS {
            starts[b + 1] += starts[b];
        }
        // Counting sort into buckets.
        let mut fill = starts.clone();
        let mut sorted = entries.to_vec();
        for e in entries {
            let b = to_bucket(hash(e));
            sorted[fill[b] as usize] = *e;
            fill[b] += 1;
        }
        Table {
            filter,
            starts,
            entries: sorted,
        }
    }

    /// Bit `h` of the filter, as 0 or 1.
    #[inline(always)]
    fn bit(&self, h: usize) -> u64 {
        (self.filter[h >> 6] >> (h & 63)) & 1
    }

    /// The entries whose key hashes to a bucket shared with `h`.
    #[inline]
    fn bucket(&self, h: usize) -> &[Entry] {
        let b = to_bucket(h);
        &self.entries[self.starts[b] as usize..self.starts[b + 1] as usize]
    }
}

/// A set of literals searched for together, ignoring ASCII case.
#[derive(Clone, Debug)]
pub struct MultiLit {
    /// Short literals, keyed by one gram.
    single: Table,
    /// Long literals, keyed by a pair of grams `step` bytes apart.
    pair: Table,
    lits: Vec<Lit>,
    bytes: Vec<u8>,
    /// Distance between sampled offsets (`k` above).
    step: usize,
    /// Whether some key has a gram sticking out past its literal's end, which only the
    /// last, partial gram of a haystack can hit.
    tail_keys: bool,
}

impl MultiLit {
    /// None when there are no literals or one is shorter than 4 bytes.
    pub fn new<B: AsRef<[u8]>>(literals: &[B]) -> Option<MultiLit> {
        Self::with_step(literals, Self::step_for(literals)?)
    }

    /// Like `new`, with windows placed where their keys would be hit least often in text
    /// like `sample` (counted as the scan would hash it), rather than where log text in
    /// general looks rare: a log's own words ("Microsoft", a package share's path) are
    /// common in it whatever their letters. Worth it for a long text, of which `sample` is
    /// a small part.
    pub fn with_sample<B: AsRef<[u8]>>(literals: &[B], sample: &[u8]) -> Option<MultiLit> {
        let step = Self::step_for(literals)?;
        Self::plan(literals, step, Some(&Counts::of(sample, step)))
    }

    /// The step `new` takes: the shortest literal's length less 3, or less 2 when few are
    /// that short.
    fn step_for<B: AsRef<[u8]>>(literals: &[B]) -> Option<usize> {
        let shortest = literals.iter().map(|l| l.as_ref().len()).min()?;
        let at_shortest = literals.iter().filter(|l| l.as_ref().len() == shortest);
        let step = if at_shortest.count() <= MAX_WIDENED {
            shortest.checked_sub(GRAM - 2)?
        } else {
            shortest.checked_sub(GRAM - 1)?
        };
        Some(step.min(MAX_STEP))
    }

    /// Like `new` with an explicit sampling step; None unless `1 <= step <= shortest - 2`.
    /// For tuning and tests.
    pub(crate) fn with_step<B: AsRef<[u8]>>(literals: &[B], step: usize) -> Option<MultiLit> {
        Self::plan(literals, step, None)
    }

    /// [`MultiLit::with_step`], costing windows by `counts` when given.
    fn plan<B: AsRef<[u8]>>(
        literals: &[B],
        step: usize,
        counts: Option<&Counts>,
    ) -> Option<MultiLit> {
        let shortest = literals.iter().map(|l| l.as_ref().len()).min()?;
        if shortest < GRAM || step == 0 || step + GRAM - 2 > shortest {
            return None;
        }
        // Ids are stored as u32 and offsets as i32.
        let longest = literals.iter().map(|l| l.as_ref().len()).max()?;
        if u32::try_from(literals.len()).is_err() || i32::try_from(longest).is_err() {
            return None;
        }
        let mut bytes = Vec::new();
        let mut lits = Vec::with_capacity(literals.len());
        for lit in literals {
            let start = bytes.len();
            bytes.extend(lit.as_ref().iter().map(u8::to_ascii_lowercase));
            let low = &bytes[start..];
            let n = low.len().min(8);
            let mut buf = [0u8; 8];
            buf[..n].copy_from_slice(&low[..n]);
            lits.push(Lit {
                start,
                len: low.len(),
                head: u64::from_le_bytes(buf),
                head_mask: u64::MAX >> (8 * (8 - n)),
            });
        }

        // Short literals first: they have the fewest windows to pick from, and longer ones
        // can then prefer keys that are already indexed.
        let mut order: Vec<usize> = (0..lits.len()).collect();
        order.sort_by_key(|&i| lits[i].len);
        let mut chosen = std::collections::HashSet::new();
        let mut singles = Vec::new();
        let mut pairs = Vec::new();
        for &i in &order {
            let lit = &bytes[lits[i].start..lits[i].start + lits[i].len];
            let len = lit.len() as isize;
            let k = step as isize;
            let g = GRAM as isize;
            let pair = len >= 2 * k + g - 1;
            // Window starts to choose from; -1 lets the first gram stick out in front.
            let windows = if pair {
                0..=len - (2 * k + g - 1)
            } else if len >= k + g - 1 {
                0..=len - (k + g - 1)
            } else {
                -1..=0
            };
            let freqs = gram_freqs(lit);
            let w = best_window(windows, |w| match counts {
                Some(c) => c.window_cost(lit, &freqs, step, w, pair, &chosen),
                None => window_cost(lit, &freqs, step, w, pair, &chosen),
            });
            let out = if pair { &mut pairs } else { &mut singles };
            let first = out.len();
            window_keys(lit, step, w, pair, i as u32, out);
            chosen.extend(out[first..].iter().map(|e| (e.prev, e.gram)));
        }
        // Bucket bounds are stored as u32.
        u32::try_from(singles.len().max(pairs.len())).ok()?;
        let tail_keys = singles
            .iter()
            .any(|e| e.back as isize + GRAM as isize > lits[e.lit as usize].len as isize);
        Some(MultiLit {
            single: Table::build(&singles, |e| hash_single(mix(e.gram))),
            pair: Table::build(&pairs, |e| hash_pair(mix(e.prev), mix(e.gram))),
            lits,
            bytes,
            step,
            tail_keys,
        })
    }

    /// Does any literal occur in `hay`, ignoring ASCII case?
    pub fn is_match(&self, hay: &[u8]) -> bool {
        self.scan(hay, |_, _| true)
    }

    /// Calls `f(pattern_id, start)` for every occurrence of every literal (overlapping ones
    /// included), in increasing `start` order; ties in any order.
    pub fn for_each_match(&self, hay: &[u8], mut f: impl FnMut(usize, usize)) {
        // Samples find occurrences out of start order, so collect, then sort. The vector
        // only allocates when something matched.
        let mut found: Vec<(usize, usize)> = Vec::new();
        self.scan(hay, |id, start| {
            found.push((start, id));
            false
        });
        found.sort_unstable();
        for (start, id) in found {
            f(id, start);
        }
    }

    /// Calls `f(pattern_id)` for every occurrence of every literal, in no particular
    /// order (a literal found twice is reported twice).
    pub fn for_each_hit(&self, hay: &[u8], mut f: impl FnMut(usize)) {
        self.scan(hay, |id, _| {
            f(id);
            false
        });
    }

    /// Number of literals given to `new`, duplicates included; ids are `0..pattern_count()`.
    pub fn pattern_count(&self) -> usize {
        self.lits.len()
    }

    /// The sampling step: the scan reads one gram every `step` bytes, so a longer step
    /// is a faster scan. The shortest literals set it.
    pub fn step(&self) -> usize {
        self.step
    }

    /// Runs the filter over `hay` and calls `report(id, start)` for each confirmed
    /// occurrence until it returns true; returns whether it did.
    #[inline(always)]
    fn scan(&self, hay: &[u8], mut report: impl FnMut(usize, usize) -> bool) -> bool {
        let mut p = 0;
        while let Some(hit) = self.next_hit(hay, &mut p) {
            let gram = self.gram_before(hay, hit + self.step);
            let prev = self.gram_before(hay, hit);
            if self.confirm(hay, hit, prev, gram, &mut report) {
                return true;
            }
            p = hit + self.step;
        }
        self.tail_keys && p < hay.len() && self.tail(hay, p, &mut report)
    }

    /// Advances `p` (a multiple of the step) to the first sample whose gram or pair hits a
    /// filter and returns it; None when there is none before the last whole gram.
    ///
    /// This is the hot loop. It makes no calls, so everything it needs stays in registers.
    #[inline(always)]
    fn next_hit(&self, hay: &[u8], p: &mut usize) -> Option<usize> {
        let step = self.step;
        let mut prev_mixed = mix(self.gram_before(hay, *p));
        // `p <= last` proves `p + 4 <= len`, so the slice below needs no check.
        let last = hay.len().checked_sub(GRAM)?;
        while *p <= last {
            let s = &hay[*p..*p + GRAM];
            let mixed = mix(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) | FOLD);
            let (hs, hp) = (hash_single(mixed), hash_pair(prev_mixed, mixed));
            // One branch for both tests: hits are rare, and a mispredict costs more than a
            // load.
            if self.probe(hs, hp) != 0 {
                return Some(*p);
            }
            prev_mixed = mixed;
            *p += step;
        }
        None
    }

    /// The folded gram sampled just before offset `p`, or 0 (never a folded gram, so no
    /// pair entry matches) at the start.
    #[inline(always)]
    fn gram_before(&self, hay: &[u8], p: usize) -> u32 {
        p.checked_sub(self.step)
            .and_then(|at| load4(hay, at))
            .map_or(0, |w| w | FOLD)
    }

    /// Tests the last 1 to 3 bytes of `hay`, from `p`. They matter only for keys entered
    /// for every value of a byte past the literal's end (zero folds to a space, as does the
    /// padding here). No pair test: a pair lies inside its literal, so inside `hay`.
    #[cold]
    #[inline(never)]
    fn tail(&self, hay: &[u8], p: usize, report: &mut dyn FnMut(usize, usize) -> bool) -> bool {
        let gram = tail_word(hay, p) | FOLD;
        let hs = hash_single(mix(gram));
        self.single.bit(hs) != 0 && self.confirm(hay, p, 0, gram, report)
    }

    /// Nonzero when the single table has bit `hs` or the pair table bit `hp`.
    #[inline(always)]
    fn probe(&self, hs: usize, hp: usize) -> u64 {
        self.single.bit(hs) | self.pair.bit(hp)
    }

    /// Verifies the candidates named by both tables for the sample at `p`. Kept out of
    /// line so the scan loop stays small.
    #[inline(never)]
    fn confirm(
        &self,
        hay: &[u8],
        p: usize,
        prev: u32,
        gram: u32,
        report: &mut dyn FnMut(usize, usize) -> bool,
    ) -> bool {
        // Recomputed rather than passed: fewer live registers in the scan loop.
        let (hs, hp) = (hash_single(mix(gram)), hash_pair(mix(prev), mix(gram)));
        let singles = self.single.bucket(hs).iter().filter(|e| e.gram == gram);
        let pairs = (self.pair.bucket(hp).iter()).filter(|e| e.gram == gram && e.prev == prev);
        for e in singles.chain(pairs) {
            let Some(start) = p.checked_add_signed(-(e.back as isize)) else {
                continue;
            };
            if self.verify(hay, start, &self.lits[e.lit as usize]) && report(e.lit as usize, start)
            {
                return true;
            }
        }
        false
    }

    /// Is `lit` at `hay[start..]`, ignoring ASCII case?
    #[inline]
    fn verify(&self, hay: &[u8], start: usize, lit: &Lit) -> bool {
        let Some(text) = start
            .checked_add(lit.len)
            .and_then(|end| hay.get(start..end))
        else {
            return false;
        };
        if lower8(load8(text, 0)) & lit.head_mask != lit.head {
            return false;
        }
        if lit.len <= 8 {
            return true;
        }
        let want = &self.bytes[lit.start..lit.start + lit.len];
        // 8-byte chunks from offset 8; the last one is aligned to the end and may overlap.
        let last = lit.len - 8;
        let mut at = 8.min(last);
        loop {
            if lower8(load8(text, at)) != load8(want, at) {
                return false;
            }
            if at == last {
                return true;
            }
            at = (at + 8).min(last);
        }
    }
}

/// The hash product of a folded gram, shared by its single and pair keys.
#[inline(always)]
fn mix(gram: u32) -> u64 {
    u64::from(gram).wrapping_mul(MIX)
}

/// Filter index of a single gram: the product's top bits, which depend on every input bit.
#[inline(always)]
fn hash_single(mixed: u64) -> usize {
    (mixed >> (64 - FILTER_BITS)) as usize
}

/// Filter index of a (previous gram, gram) pair. Bits 32..48 of the previous product also
/// depend on all 32 bits of its gram; XOR with the gram's own index keeps it at one
/// multiplication per sample.
#[inline(always)]
fn hash_pair(prev_mixed: u64, mixed: u64) -> usize {
    hash_single(mixed) ^ ((prev_mixed >> 32) as usize & ((1 << FILTER_BITS) - 1))
}

/// The bucket of filter index `h`: its top bits.
#[inline(always)]
fn to_bucket(h: usize) -> usize {
    h >> (FILTER_BITS - BUCKET_BITS)
}

/// Appends the keys of the window of `lit` starting at `w` (see the module docs). A gram
/// reaching one byte outside the literal gets one key per folded value of that byte. Keys
/// are never repeated, so no occurrence is reported twice.
fn window_keys(lit: &[u8], step: usize, w: isize, pair: bool, id: u32, out: &mut Vec<Entry>) {
    let k = step as isize;
    let sampled = if pair { w + k..w + 2 * k } else { w..w + k };
    for off in sampled {
        let prev = if pair { gram_at(lit, off - k, 0) } else { 0 };
        for gram in gram_keys(lit, off) {
            out.push(Entry {
                prev,
                gram,
                lit: id,
                back: off as i32,
            });
        }
    }
}

/// The folded grams of `lit` at `off`: one, or one per folded value of a byte outside the
/// literal.
fn gram_keys(lit: &[u8], off: isize) -> impl Iterator<Item = u32> + '_ {
    let sticks_out = off < 0 || off + GRAM as isize > lit.len() as isize;
    let missing = if sticks_out { 0..=255 } else { 0..=0 };
    // Folding sets bit 5, so bytes without it would only repeat keys.
    (missing.filter(move |b| !sticks_out || b & 0x20 != 0)).map(move |b| gram_at(lit, off, b))
}

/// The folded gram of `lit` at `off`, with `missing` for a byte outside the literal.
fn gram_at(lit: &[u8], off: isize, missing: u8) -> u32 {
    let mut buf = [missing; GRAM];
    for (i, b) in buf.iter_mut().enumerate() {
        if let Some(&c) = usize::try_from(off + i as isize)
            .ok()
            .and_then(|j| lit.get(j))
        {
            *b = c;
        }
    }
    u32::from_le_bytes(buf) | FOLD
}

/// Expected false hits of a window: its keys' estimated frequencies in log text, keys
/// already chosen for other literals counting a quarter (they add candidates, not hits).
/// How common the gram of `lit` at `off` looks in log text (bytes outside `lit` count as
/// rare). Computed once per offset for [`window_cost`], which reads each many times.
fn gram_freq(lit: &[u8], off: isize) -> f64 {
    let f: f64 = (off..off + GRAM as isize)
        .map(|j| usize::try_from(j).ok().and_then(|j| lit.get(j)))
        .map(|b| b.map_or(1000.0, |&b| byte_freq(b)))
        .product();
    let inside = usize::try_from(off).ok().and_then(|o| lit.get(o..o + GRAM));
    if inside.is_some_and(in_common_word) {
        f * COMMON_WORD_PENALTY
    } else {
        f
    }
}

/// [`gram_freq`] for every offset a window of `lit` can sample, from -1.
fn gram_freqs(lit: &[u8]) -> Vec<f64> {
    (-1..=lit.len() as isize)
        .map(|off| gram_freq(lit, off))
        .collect()
}

/// [`gram_freq`] at `off`, from the table [`gram_freqs`] made where it covers `off`.
fn freq_at(lit: &[u8], freqs: &[f64], off: isize) -> f64 {
    usize::try_from(off + 1)
        .ok()
        .and_then(|i| freqs.get(i).copied())
        .unwrap_or_else(|| gram_freq(lit, off))
}

fn window_cost(
    lit: &[u8],
    freqs: &[f64],
    step: usize,
    w: isize,
    pair: bool,
    chosen: &std::collections::HashSet<(u32, u32)>,
) -> f64 {
    let k = step as isize;
    let freq = |off: isize| freq_at(lit, freqs, off);
    let sampled = if pair { w + k..w + 2 * k } else { w..w + k };
    sampled
        .map(|off| {
            let (f, key) = if pair {
                let key = (gram_at(lit, off - k, 0), gram_at(lit, off, 0));
                (freq(off - k) * freq(off), key)
            } else {
                (freq(off), (0, gram_at(lit, off, 0)))
            };
            if chosen.contains(&key) {
                f * 0.25
            } else {
                f
            }
        })
        .sum()
}

/// How many times each filter bit was hit in a sample of text, single grams and pairs
/// apart: a key's count is the false hits it would bring to a text like the sample, its
/// hash's collisions with other grams included.
struct Counts {
    single: Vec<u32>,
    pair: Vec<u32>,
}

impl Counts {
    /// Every offset of `sample` is counted: a message can start anywhere, so any offset
    /// can be sampled.
    fn of(sample: &[u8], step: usize) -> Counts {
        let mut single = vec![0u32; 1 << FILTER_BITS];
        let mut pair = vec![0u32; 1 << FILTER_BITS];
        let mixed: Vec<u64> = (0..sample.len().saturating_sub(GRAM - 1))
            .filter_map(|p| load4(sample, p))
            .map(|g| mix(g | FOLD))
            .collect();
        for (p, &m) in mixed.iter().enumerate() {
            let h = hash_single(m);
            single[h] = single[h].saturating_add(1);
            if let Some(&prev) = p.checked_sub(step).and_then(|q| mixed.get(q)) {
                let h = hash_pair(prev, m);
                pair[h] = pair[h].saturating_add(1);
            }
        }
        Counts { single, pair }
    }

    /// [`window_cost`] by the counts of the window's keys; the estimate from byte
    /// frequencies only orders windows of equal counts (it adds less than one).
    fn window_cost(
        &self,
        lit: &[u8],
        freqs: &[f64],
        step: usize,
        w: isize,
        pair: bool,
        chosen: &std::collections::HashSet<(u32, u32)>,
    ) -> f64 {
        let k = step as isize;
        let freq = |off: isize| freq_at(lit, freqs, off);
        let sampled = if pair { w + k..w + 2 * k } else { w..w + k };
        sampled
            .map(|off| {
                let (count, guess, key) = if pair {
                    let (prev, gram) = (gram_at(lit, off - k, 0), gram_at(lit, off, 0));
                    let count = self.pair[hash_pair(mix(prev), mix(gram))];
                    (f64::from(count), freq(off - k) * freq(off), (prev, gram))
                } else {
                    let count: u64 = (gram_keys(lit, off))
                        .map(|g| u64::from(self.single[hash_single(mix(g))]))
                        .sum();
                    (count as f64, freq(off), (0, gram_at(lit, off, 0)))
                };
                // ln(1 + guess) / 100 stays below one for any product of frequencies.
                let c = count + (1.0 + guess).ln() / 100.0;
                if chosen.contains(&key) {
                    c * 0.25
                } else {
                    c
                }
            })
            .sum()
    }
}

/// The window start in `range` of lowest `cost` (the first on ties).
fn best_window(range: std::ops::RangeInclusive<isize>, cost: impl Fn(isize) -> f64) -> isize {
    let mut best = *range.start();
    let mut best_cost = f64::INFINITY;
    for w in range {
        let c = cost(w);
        if c < best_cost {
            best = w;
            best_cost = c;
        }
    }
    best
}

/// Four bytes of `b` from `at`, if there are that many.
#[inline(always)]
fn load4(b: &[u8], at: usize) -> Option<u32> {
    // One range check; indexing the sub-slice is then free.
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// The 1 to 3 bytes of `b` from `at` to its end, zero-extended.
#[inline]
fn tail_word(b: &[u8], at: usize) -> u32 {
    let t = b.len() - at;
    match b.len().checked_sub(4).and_then(|from| load4(b, from)) {
        // Shifting the last four bytes avoids a store-to-load stall through a buffer.
        Some(last) => last >> (8 * (4 - t)),
        None => b[at..]
            .iter()
            .rev()
            .fold(0, |w, &c| (w << 8) | u32::from(c)),
    }
}

/// Eight bytes of `b` from `at`, zero-padded past its end.
#[inline(always)]
fn load8(b: &[u8], at: usize) -> u64 {
    match b.get(at..at + 8) {
        Some(s) => u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]),
        None => {
            let mut buf = [0u8; 8];
            let tail = b.get(at..).unwrap_or(&[]);
            buf[..tail.len()].copy_from_slice(tail);
            u64::from_le_bytes(buf)
        }
    }
}

/// ASCII-lower-cases eight bytes at once; bytes >= 0x80 are left alone.
#[inline(always)]
fn lower8(x: u64) -> u64 {
    const HI: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = x & !HI;
    // Adding to 7-bit values cannot carry into the next byte.
    let ge_a = (low7 + ONES * (0x80 - b'A' as u64)) & HI;
    let gt_z = (low7 + ONES * (0x80 - b'Z' as u64 - 1)) & HI;
    let upper = ge_a & !gt_z & !x;
    x | (upper >> 2)
}

/// How much more often than its bytes suggest a gram from a common log word occurs.
const COMMON_WORD_PENALTY: f64 = 100.0;

/// Words that fill Windows deployment and client logs, whatever went wrong. Byte
/// frequencies alone rate them rare (few 'w', 'p', 'm'), so windows would land on them.
const COMMON_WORDS: &[&[u8]] = &[
    b"action",
    b"application",
    b"complete",
    b"configur",
    b"content",
    b"download",
    b"environment",
    b"execut",
    b"instruction",
    b"install",
    b"package",
    b"policy",
    b"process",
    b"request",
    b"return",
    b"sequence",
    b"service",
    b"setting",
    b"status",
    b"success",
    b"update",
    b"variable",
    b"windows",
];

/// Is the 4-byte lower-cased `gram` part of a common log word?
fn in_common_word(gram: &[u8]) -> bool {
    COMMON_WORDS
        .iter()
        .any(|w| w.windows(GRAM).any(|x| x == gram))
}

/// Rough share (per mille) of a lower-cased byte in English-ish log messages: only the
/// ranking matters, to steer windows away from grams such as "ion " or "the ".
fn byte_freq(b: u8) -> f64 {
    match b {
        b' ' => 150.0,
        b'e' => 90.0,
        b't' => 70.0,
        b'a' | b'o' | b'i' | b'n' => 60.0,
        b's' | b'r' => 55.0,
        b'0' => 40.0,
        b'l' | b'c' => 35.0,
        b'd' => 30.0,
        b'u' | b'h' => 25.0,
        b'm' | b'p' => 22.0,
        b'g' | b'f' => 18.0,
        b'.' | b'1'..=b'9' => 15.0,
        b'y' | b'w' | b'b' => 12.0,
        b':' | b'\\' | b'v' => 8.0,
        b'k' | b'_' | b'-' | b'=' => 6.0,
        b'x' | b'/' => 5.0,
        b'(' | b')' | b',' => 4.0,
        b'"' => 3.0,
        b'\'' | b'[' | b']' => 2.0,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;

    /// The real load: the built-in knowledge base's prefilter literals.
    fn real_literals() -> Vec<Vec<u8>> {
        let mut out = crate::kb::literals::rule_literals(&crate::kb::RuleSet::builtin()).literals;
        out.sort();
        out.dedup();
        assert!(
            out.len() > 100,
            "the knowledge base gives hundreds of literals"
        );
        out
    }

    /// `(start, id)` of every match, in reporting order.
    fn ours(ml: &MultiLit, hay: &[u8]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        ml.for_each_match(hay, |id, start| out.push((start, id)));
        out
    }

    /// aho-corasick's answer, as `(is_match, sorted (start, id) of all overlapping matches)`.
    fn reference<B: AsRef<[u8]>>(lits: &[B], hay: &[u8]) -> (bool, Vec<(usize, usize)>) {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(lits)
            .expect("aho-corasick builds");
        let mut all: Vec<_> = ac
            .find_overlapping_iter(hay)
            .map(|m| (m.start(), m.pattern().as_usize()))
            .collect();
        all.sort_unstable();
        (ac.is_match(hay), all)
    }

    /// Checks `ml` (built from `lits`) against aho-corasick on `hay`.
    fn agree<B: AsRef<[u8]>>(ml: &MultiLit, lits: &[B], hay: &[u8]) -> Result<(), String> {
        let (any, want) = reference(lits, hay);
        let got = ours(ml, hay);
        if !got.windows(2).all(|w| w[0].0 <= w[1].0) {
            return Err(format!("not in start order: {got:?}"));
        }
        let mut sorted = got.clone();
        sorted.sort_unstable();
        if ml.is_match(hay) != any || sorted != want {
            return Err(format!(
                "hay {:?}: is_match {} want {any}, matches {sorted:?} want {want:?}",
                String::from_utf8_lossy(hay),
                ml.is_match(hay)
            ));
        }
        Ok(())
    }

    /// Builds with `new` and every valid step, and checks each against aho-corasick.
    fn check_all_steps(lits: &[&[u8]], hays: &[&[u8]]) {
        let shortest = lits.iter().map(|l| l.len()).min().expect("some literal");
        let mut built = vec![MultiLit::new(lits).expect("new")];
        built.extend((1..=shortest - 2).map(|k| MultiLit::with_step(lits, k).expect("step")));
        for ml in &built {
            for hay in hays {
                if let Err(e) = agree(ml, lits, hay) {
                    panic!("step {}: {e}", ml.step);
                }
            }
        }
    }

    #[test]
    fn refuses_empty_and_short() {
        assert!(MultiLit::new::<&[u8]>(&[]).is_none());
        assert!(MultiLit::new(&["abc"]).is_none());
        assert!(MultiLit::new(&["abcdef", "xyz"]).is_none());
        assert!(MultiLit::new(&["", "abcdef"]).is_none());
        assert!(MultiLit::new(&["abcd"]).is_some());
        assert!(MultiLit::with_step(&["abcdef"], 5).is_none());
        assert!(MultiLit::with_step(&["abcdef"], 0).is_none());
    }

    #[test]
    fn pattern_count_includes_duplicates() {
        let ml = MultiLit::new(&["denied", "denied", "pxe-e53"]).expect("new");
        assert_eq!(ml.pattern_count(), 3);
    }

    #[test]
    fn at_start_and_end() {
        let lits: &[&[u8]] = &[b"80070002", b"failed to get client identity", b"pxe-e53"];
        let ml = MultiLit::new(lits).expect("new");
        assert_eq!(ours(&ml, b"80070002 and more"), vec![(0, 0)]);
        assert_eq!(ours(&ml, b"error 80070002"), vec![(6, 0)]);
        assert_eq!(ours(&ml, b"x pxe-e53"), vec![(2, 2)]);
        assert_eq!(ours(&ml, b"pxe-e53"), vec![(0, 2)]);
        assert_eq!(ours(&ml, b"Failed to get client identity"), vec![(0, 1)]);
        check_all_steps(
            lits,
            &[
                b"80070002 and more",
                b"error 80070002",
                b"ab pxe-e53",
                b"abc pxe-e53",
                b"abcd pxe-e53",
                b"failed to get client identity (80070002)",
            ],
        );
    }

    #[test]
    fn haystack_shorter_than_literals() {
        let lits: &[&[u8]] = &[b"denied", b"c1900208"];
        let ml = MultiLit::new(lits).expect("new");
        for hay in [&b""[..], b"d", b"den", b"denie", b"DENIE"] {
            assert!(!ml.is_match(hay), "{hay:?}");
        }
        assert!(ml.is_match(b"DENIED"));
        check_all_steps(
            lits,
            &[b"", b"a", b"abc", b"abcd", b"denie", b"denied", b"xdenied"],
        );
    }

    #[test]
    fn mixed_case() {
        let lits: &[&[u8]] = &[b"failed to get client identity", b"Network Access ACCOUNT"];
        let ml = MultiLit::new(lits).expect("new");
        assert_eq!(ours(&ml, b"FAILED To Get CLIENT identity"), vec![(0, 0)]);
        assert_eq!(
            ours(&ml, b"the network access account is not set"),
            vec![(4, 1)]
        );
        assert!(!ml.is_match(b"failed to get client identit"));
        // Every byte of a long literal counts, not only its ends.
        for at in 0..29 {
            let mut hay = b"failed to get client identity".to_vec();
            hay[at] = b'#';
            assert!(!ml.is_match(&hay), "{}", String::from_utf8_lossy(&hay));
        }
        check_all_steps(
            lits,
            &[b"fAiLeD tO gEt ClIeNt IdEnTiTy!", b"NETWORK access account"],
        );
    }

    #[test]
    fn overlapping() {
        let lits: &[&[u8]] = &[b"abcabc", b"pxe-e53", b"e53 boot", b"cabca"];
        let ml = MultiLit::new(lits).expect("new");
        assert_eq!(ours(&ml, b"abcabcabc"), vec![(0, 0), (2, 3), (3, 0)]);
        assert_eq!(ours(&ml, b"PXE-E53 boot"), vec![(0, 1), (4, 2)]);
        check_all_steps(
            lits,
            &[
                b"abcabcabcabc",
                b"xx pxe-e53 boot pxe-e53 boot",
                b"cabcabca",
            ],
        );
    }

    #[test]
    fn prefix_and_suffix_literals() {
        let lits: &[&[u8]] = &[
            b"failed to run the action",
            b"failed to run the action: ",
            b"run the action",
            b"failed to run the action: apply driver package",
        ];
        let ml = MultiLit::new(lits).expect("new");
        let hay = b"Failed to run the action: Apply Driver Package. Error 0x80004005";
        assert_eq!(ours(&ml, hay), {
            let mut v = vec![(0, 0), (0, 1), (0, 3), (10, 2)];
            v.sort_unstable();
            v
        });
        check_all_steps(
            lits,
            &[hay, b"failed to run the action", b"x run the action"],
        );
    }

    #[test]
    fn non_ascii_bytes_compare_exactly() {
        // é (C3 A9) must not match É (C3 89); 0xC9 and 0xE9 fold together in the filter
        // only, so the compare must still tell them apart.
        let lits: &[&[u8]] = &["café au lait".as_bytes(), b"ab\xE9cd", "naïve".as_bytes()];
        let ml = MultiLit::new(lits).expect("new");
        assert!(ml.is_match("CAFé AU LAIT".as_bytes()));
        assert!(!ml.is_match("CAFÉ AU LAIT".as_bytes()));
        assert!(ml.is_match(b"xAB\xE9CD"));
        assert!(!ml.is_match(b"xab\xC9cd"));
        assert!(ml.is_match("NAïVE".as_bytes()));
        assert!(!ml.is_match("NAÏVE".as_bytes()));
        check_all_steps(
            lits,
            &[b"\xFF\xFEab\xE9cd\x00", "le café au lait".as_bytes()],
        );
    }

    #[test]
    fn duplicate_literals_all_report() {
        let lits: &[&[u8]] = &[b"denied", b"DENIED", b"denied", b"access is denied"];
        let ml = MultiLit::new(lits).expect("new");
        assert_eq!(
            ours(&ml, b"Access is Denied."),
            vec![(0, 3), (10, 0), (10, 1), (10, 2)]
        );
        check_all_steps(lits, &[b"denied denied", b"Access is Denied."]);
    }

    #[test]
    fn widened_step_keys_at_either_end() {
        // With one 6-byte literal the step is 4 and one of its grams sticks out by a byte:
        // in front for "denied" (the heuristic's tie goes first), past the end for "eeeezz",
        // where only the haystack's partial last gram can catch it.
        for lit in [&b"denied"[..], b"eeeezz"] {
            let lits = [lit, b"some longer literal"];
            let ml = MultiLit::new(&lits).expect("new");
            assert_eq!(ml.step, 4);
            let mut hays: Vec<Vec<u8>> = Vec::new();
            for pad in 0..9 {
                let mut h = vec![b'.'; pad];
                h.extend_from_slice(lit);
                hays.push(h.clone());
                h.extend_from_slice(b"!");
                hays.push(h);
            }
            for h in &hays {
                agree(&ml, &lits, h).expect("agrees");
                assert!(ml.is_match(h));
            }
        }
        assert!(!MultiLit::new(&[b"denied"]).expect("new").tail_keys);
        assert!(MultiLit::new(&[b"eeeezz"]).expect("new").tail_keys);
    }

    #[test]
    fn real_literals_on_log_lines() {
        let lits = real_literals();
        let ml = MultiLit::new(&lits).expect("new");
        assert_eq!(ml.pattern_count(), lits.len());
        let hays: &[&[u8]] = &[
            b"Failed to get client identity (80004005)",
            b"Network Access Account is not set. Code 0x80070002",
            b"PXE-E53: No boot filename received",
            b"Start executing an instruction. Instruction name: Partition Disk 0 - UEFI.",
            b"Set a global environment variable _SMSTSNextInstructionPointer=0",
            b"Task Sequence Manager failed to execute task sequence. code 0x80070005",
            b"NetpDoDomainJoin: status: 0x54b",
            b"Process completed with exit code 1",
            b"",
            b"denied",
        ];
        for h in hays {
            agree(&ml, &lits, h).expect("agrees");
        }
    }

    const PHRASES: &[&str] = &[
        "failed to get client identity",
        "network access account is not set",
        "80070002",
        "0x80070002",
        "c1900208",
        "pxe-e53",
        "denied",
        "task sequence execution failed",
        "failed to run the action: ",
        "failed to run the action",
        "status: 0x54b",
        "netpdodomainjoin: status: 0x54b",
        "process completed with exit code 1",
        "download() failed with 0x80004005",
        "not found",
        " is invalid",
        "aaaa",
        "abab",
    ];

    /// A literal: over a small alphabet so that matches happen, or a real-looking phrase,
    /// in random case.
    fn literal() -> impl Strategy<Value = Vec<u8>> {
        let small =
            proptest::collection::vec(proptest::sample::select(b"abcAB -0x8".to_vec()), 4..40);
        let phrase = proptest::sample::select(PHRASES).prop_map(|p| p.as_bytes().to_vec());
        (prop_oneof![3 => small, 1 => phrase], any::<u64>())
            .prop_map(|(lit, seed)| random_case(&lit, seed))
    }

    fn random_case(b: &[u8], seed: u64) -> Vec<u8> {
        b.iter()
            .enumerate()
            .map(|(i, &c)| {
                if (seed >> (i % 64)) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect()
    }

    /// A haystack: random bytes from a small alphabet (with some non-ASCII), or pieces of
    /// literals in random case spliced into such text.
    fn haystack(lits: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
        let byte = proptest::sample::select(b"abcABC -0x8\xC3\xA9\xE9\xC9\n".to_vec());
        let n = lits.len();
        let piece = prop_oneof![
            proptest::collection::vec(byte, 0..30),
            (0..n, any::<u64>(), 0..4usize, any::<usize>()).prop_map(move |(i, seed, how, at)| {
                // Sometimes a near miss: a literal with a byte cut off either end, or with
                // one byte changed.
                let mut l = lits[i].clone();
                match how {
                    1 => drop(l.remove(0)),
                    2 => drop(l.pop()),
                    3 => {
                        let at = at % l.len();
                        l[at] = if l[at] == b'#' { b'%' } else { b'#' };
                    }
                    _ => {}
                }
                random_case(&l, seed)
            }),
        ];
        proptest::collection::vec(piece, 0..12).prop_map(|ps| {
            let mut h: Vec<u8> = ps.concat();
            h.truncate(400);
            h
        })
    }

    fn case() -> impl Strategy<Value = (Vec<Vec<u8>>, Vec<u8>, usize)> {
        proptest::collection::vec(literal(), 1..300).prop_flat_map(|lits| {
            let shortest = lits.iter().map(Vec::len).min().unwrap_or(4);
            (Just(lits.clone()), haystack(lits), 0..=shortest - 2)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn agrees_with_aho_corasick((lits, hay, step) in case()) {
            // Step 0 stands for `new`'s own choice; the others force each valid step.
            let ml = if step == 0 {
                MultiLit::new(&lits)
            } else {
                MultiLit::with_step(&lits, step)
            };
            let ml = ml.expect("valid literal set");
            if let Err(e) = agree(&ml, &lits, &hay) {
                prop_assert!(false, "step {}: {}", ml.step, e);
            }
        }

        #[test]
        fn agrees_on_few_short_literals(
            lits in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(b"abAB ".to_vec()), 4..9),
                1..6,
            ),
            hay in proptest::collection::vec(proptest::sample::select(b"abAB .".to_vec()), 0..64),
        ) {
            // Few, short literals over two letters: widened steps and both sticking-out
            // ends get exercised often.
            let ml = MultiLit::new(&lits).expect("valid literal set");
            if let Err(e) = agree(&ml, &lits, &hay) {
                prop_assert!(false, "step {}: {}", ml.step, e);
            }
        }

        #[test]
        fn windows_placed_by_a_sample_find_the_same((lits, hay, _) in case(), cut in any::<usize>()) {
            // A sample from the haystack itself, so that its counts steer the windows.
            let sample = &hay[..cut % (hay.len() + 1)];
            let ml = MultiLit::with_sample(&lits, sample).expect("valid literal set");
            if let Err(e) = agree(&ml, &lits, &hay) {
                prop_assert!(false, "step {}: {}", ml.step, e);
            }
        }
    }
}
