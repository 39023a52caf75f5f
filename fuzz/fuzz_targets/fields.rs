//! Fields: every record of any text reads its message, component, thread and time
//! without a panic, and the message is a part of the record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tslens::parse;

fuzz_target!(|text: &[u8]| {
    let records = parse::frame(text, 0, text.len(), 1, true).records;
    for (i, r) in records.iter().enumerate() {
        let start = r.start as usize;
        let end = records.get(i + 1).map_or(text.len(), |n| n.start as usize);
        let span = &text[start..end];
        let f = parse::fields_of(r, span);
        let _ = f.message_str();
        let _ = f.component_str();
        if let Some(t) = f.timestamp() {
            let _ = t.utc_millis();
        }
        let m = r.message(span);
        let (a, b) = (span.as_ptr() as usize, m.as_ptr() as usize);
        assert!(m.is_empty() || (b >= a && b + m.len() <= a + span.len()));
    }
});
