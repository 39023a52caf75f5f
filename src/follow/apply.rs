//! A batch into a log: the consumer's half of provisional records. A batch marked
//! `replaces` voids the provisional records the last one left at the end of their source;
//! a batch marked `provisional` leaves its own there, to be replaced in turn.

use crate::log::{Log, RecordRef, Source};

use super::Batch;

/// Records appended provisionally to a source: the first one's index, and the file offset
/// their text began at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    /// Index in its source of the first provisional record.
    pub first: usize,
    /// Offset in the file of its text.
    pub offset: u64,
}

/// Appends `batch` to source `source` of `log`, first removing the provisional records
/// `held` names when the batch replaces them (anything else leaves them for good, as a
/// follower that starts over on a new file does). Returns the merged position from which
/// records were removed, if any: what came after it moved up.
pub fn apply_batch(
    log: &mut Log,
    source: usize,
    batch: &Batch,
    held: &mut Option<Held>,
) -> Option<usize> {
    let mut removed = None;
    if let Some(h) = held.take().filter(|_| batch.replaces) {
        removed = Some(log.position(RecordRef {
            source: source as u32,
            index: h.first as u32,
        }));
        log.retract(source, h.first, h.offset);
    }
    let src = log.sources.get_mut(source)?;
    if src.records.is_empty() && src.text.bytes().is_empty() && src.text.encoding != batch.encoding
    {
        // A stream's encoding is known only from its first bytes.
        let path = std::mem::take(&mut src.text.path);
        *src = Source::streaming(path, batch.encoding);
    }
    let first = src.records.len();
    log.append(source, &batch.text, &batch.records, batch.offset);
    if batch.provisional && !batch.records.is_empty() {
        *held = Some(Held {
            first,
            offset: batch.offset,
        });
    }
    removed
}

/// The records of `log` every provisional one comes after: how far an analysis may read
/// without meeting a record that may still be replaced.
pub fn settled_len(log: &Log, held: &[(usize, Held)]) -> usize {
    held.iter()
        .map(|(source, h)| {
            log.position(RecordRef {
                source: *source as u32,
                index: h.first as u32,
            })
        })
        .min()
        .unwrap_or(log.len())
        .min(log.len())
}
