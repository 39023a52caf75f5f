//! Codes: finding codes in any text and reading any `lookup` argument never panic, and
//! every code found decodes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tslens::codes;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for hit in codes::find_codes(&text) {
        let d = codes::decode(hit.value);
        let _ = d.to_string();
    }
    if let Ok(v) = codes::parse_code_arg(&text) {
        let _ = codes::decode(v).to_string();
    }
});
