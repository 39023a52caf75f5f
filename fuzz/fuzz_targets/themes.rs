//! Themes: any theme text is loaded or refused with one line, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tslens::tui::theme::{ColorDepth, Theme};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The origin names no file, so an `inherits` path is looked up beside nothing.
    match Theme::from_toml(text, "fuzz-theme") {
        Ok(theme) => {
            for depth in [
                ColorDepth::Mono,
                ColorDepth::Ansi16,
                ColorDepth::Ansi256,
                ColorDepth::TrueColor,
            ] {
                let _ = theme.clone().for_depth(depth);
            }
        }
        Err(e) => assert!(!e.to_string().contains('\n')),
    }
});
