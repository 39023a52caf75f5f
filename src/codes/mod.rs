//! Error codes: extraction from message text and decoding.
//!
//! [`find_codes`] finds the codes in a message; [`decode`] explains one
//! (name, severity, facility, meaning, warnings); [`parse_code_arg`] reads a
//! code typed on the command line. Names come from a table generated from
//! Microsoft's metadata (`names.rs`); the servicing (CBS) names, ConfigMgr's
//! message text, Intune's text for a few of its codes, the device registration,
//! Autopilot and Delivery Optimization names and text Windows' metadata lacks, SetupAPI's
//! own 0xE000xxxx errors, and MDT's error numbers have tables of their own (`cbs.rs`,
//! `configmgr.rs`, `intune.rs`, `enrollment.rs`, `setupapi.rs`, `mdt.rs`), each citing its
//! source; meanings are
//! hand-written (`meanings.rs`).

mod cbs;
mod configmgr;
mod decode;
mod dotnet;
mod enrollment;
mod extract;
mod facility;
mod intune;
mod mdt;
mod meanings;
mod names;
mod setupapi;

pub use decode::{
    decode, decode_with_extend, describe_extend, meaning, name, parse_code_arg,
    parse_code_with_extend, CodeArgError, Decoded, Extend, Reading, Win32Info,
};
pub use extract::{extend_notes, find_codes, setup_extend, setup_extends, CodeForm, CodeHit};
pub use facility::{hresult_facility, nt_facility};
pub use meanings::ToolReading;

/// The tool name of MDT's error numbers among a code's [`ToolReading`]s.
pub const MDT_TOOL: &str = decode::MDT;
