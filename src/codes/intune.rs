//! The text Intune shows for a few of its own status codes that neither ConfigMgr's
//! message table (`configmgr.rs`, 0x87D0xxxx..0x87D2xxxx) nor any Windows header holds.
//!
//! Microsoft's "Intune app installation error reference" does not list these two, so each
//! entry cites where its text was published:
//! - 0x87D300C9: the message the Intune admin center shows for a Win32 app, quoted in
//!   MicrosoftDocs/IntuneDocs issue #2693 "The unmonitored process is progress, however it
//!   may timeout" (github.com/MicrosoftDocs/IntuneDocs/issues/2693), a report against
//!   Microsoft's own documentation repository asking for the code to be documented.
//! - 0x81036502: the Enrollment Status Page's "Apps" failure. Michael Niehaus (author of the
//!   Autopilot tooling, formerly its Microsoft program manager) in mtniehaus/UpdateOS
//!   issue #5: "That error by itself just means that a timeout occurred"
//!   (github.com/mtniehaus/UpdateOS/issues/5).

/// Where the text comes from, as `tslens lookup` cites it.
pub(crate) const SOURCE: &str = "Intune's status text (admin center, as quoted in \
     MicrosoftDocs/IntuneDocs #2693; ESP code per mtniehaus/UpdateOS #5)";

/// Intune codes and their text, sorted by value.
pub(crate) static MESSAGES: &[(u32, &str)] = &[
    (
        0x8103_6502,
        "Enrollment Status Page: an app it tracks did not finish installing in time (Apps timeout)",
    ),
    (
        0x87D3_00C9,
        "The unmonitored process is in progress, however it may timeout",
    ),
];
