//! Error codes: extraction from message text and decoding.
//!
//! [`find_codes`] finds the codes in a message; [`decode`] explains one
//! (name, severity, facility, meaning, warnings); [`parse_code_arg`] reads a
//! code typed on the command line. Names come from a table generated from
//! Microsoft's metadata (`names.rs`); meanings are hand-written
//! (`meanings.rs`).

mod decode;
mod extract;
mod facility;
mod meanings;
mod names;

pub use decode::{
    decode, describe_extend, meaning, name, parse_code_arg, CodeArgError, Decoded, Reading,
    Win32Info,
};
pub use extract::{find_codes, setup_extend, CodeForm, CodeHit};
pub use facility::{hresult_facility, nt_facility};
pub use meanings::ToolReading;
