//! Names and text for Windows device registration, Autopilot and Intune enrollment codes
//! that the Windows SDK metadata behind `names.rs` lacks, and for Delivery Optimization's
//! own codes (facility 0xD0).
//!
//! Each entry is copied from Microsoft's published text:
//! - The MENROLL_E_* (0x8018xxxx) and DSREG_E_* (0x801C00xx) messages Windows shows during
//!   MDM enrollment and Microsoft Entra join, and the DSREG_E_* names of 0x801C0001..0x801C0014:
//!   "Microsoft Entra integration with MDM", Error codes table
//!   (learn.microsoft.com/windows/client-management/azure-active-directory-integration-with-mdm).
//!   The table's first sentence of each message is kept, without "contact your system
//!   administrator with the error code {0}".
//! - DSREG_* (0x801C00xx, 0x801C03F2): "Troubleshoot Microsoft Entra hybrid joined
//!   devices", the error-code tables of the discover and join phases
//!   (learn.microsoft.com/entra/identity/devices/troubleshoot-hybrid-join-windows-current;
//!   MicrosoftDocs/entra-docs docs/identity/devices/troubleshoot-hybrid-join-windows-current.md).
//! - E_AUTOPILOT_CLIENT_TPM_MAX_ATTESTATION_RETRY_EXCEEDED (0x81039001) and the text of
//!   0x801C03EA, 0x801C03F3, 0x81039023 and 0x81039024: "Windows Autopilot known issues"
//!   (learn.microsoft.com/autopilot/known-issues).
//! - 0x8018002B: "Troubleshooting Windows device enrollment errors in Intune", Auto MDM
//!   Enroll: Failed (learn.microsoft.com/troubleshoot/mem/intune/device-enrollment/
//!   troubleshoot-windows-enrollment-errors); Windows' headers give it no name.
//! - 0x87D1041C: "Intune app installation error reference"
//!   (learn.microsoft.com/troubleshoot/mem/intune/app-management/app-install-error-codes).
//! - DO_E_*: Delivery Optimization's error header in Microsoft's open-source client
//!   (github.com/microsoft/do-client, client-lite/src/include/do_error.h, whose comments
//!   are the text below) and the Delivery Optimization table of "Device Update for IoT Hub
//!   error codes" (learn.microsoft.com/azure/iot-hub-device-update/device-update-error-codes).

/// Where the enrollment and Autopilot names and text come from, as `tslens lookup` cites it.
pub(crate) const SOURCE: &str = "Microsoft's Entra integration with MDM error table, Entra \
     hybrid join troubleshooting, Windows Autopilot known issues and Intune enrollment / app \
     install error references";

/// Where the Delivery Optimization names and text come from.
pub(crate) const DO_SOURCE: &str = "Delivery Optimization's error header \
     (microsoft/do-client do_error.h) and Microsoft's Device Update error-code table";

/// Symbolic names, sorted by value.
pub(crate) static NAMES: &[(u32, &str)] = &[
    (0x801C_0001, "DSREG_E_DEVICE_MESSAGE_FORMAT_ERROR"),
    (0x801C_0002, "DSREG_E_DEVICE_AUTHENTICATION_ERROR"),
    (0x801C_0003, "DSREG_E_DEVICE_AUTHORIZATION_ERROR"),
    (0x801C_0006, "DSREG_E_DEVICE_INTERNALSERVICE_ERROR"),
    (0x801C_000B, "DSREG_E_DISCOVERY_REDIRECTION_NOT_TRUSTED"),
    (0x801C_000C, "DSREG_E_DISCOVERY_FAILED"),
    // Spelled as Microsoft's table spells it.
    (0x801C_000E, "DSREG_E_DEVICE_REGISTRATION_QUOTA_EXCCEEDED"),
    (0x801C_000F, "DSREG_E_DEVICE_REQUIRES_REBOOT"),
    (0x801C_0010, "DSREG_E_DEVICE_AIK_VALIDATION_ERROR"),
    (0x801C_0011, "DSREG_E_DEVICE_ATTESTATION_ERROR"),
    (0x801C_0012, "DSREG_E_DISCOVERY_BAD_MESSAGE_ERROR"),
    (0x801C_0013, "DSREG_E_TENANTID_NOT_FOUND"),
    (0x801C_0014, "DSREG_E_USERSID_NOT_FOUND"),
    (0x801C_001D, "DSREG_AUTOJOIN_ADCONFIG_READ_FAILED"),
    (0x801C_001F, "DSREG_AUTOJOIN_DISC_WAIT_TIMEOUT"),
    (0x801C_0021, "DSREG_AUTOJOIN_DISC_FAILED"),
    (0x801C_0025, "DSREG_SERVER_BUSY"),
    (0x801C_003A, "DSREG_DISCOVERY_TENANT_NOT_FOUND"),
    (0x801C_003D, "DSREG_AUTOJOIN_USERREALM_DISCOVERY_FAILED"),
    (0x801C_03F2, "DSREG_E_DIRECTORY_FAILURE"),
    (
        0x8103_9001,
        "E_AUTOPILOT_CLIENT_TPM_MAX_ATTESTATION_RETRY_EXCEEDED",
    ),
];

/// Microsoft's text for the codes, sorted by value.
pub(crate) static MESSAGES: &[(u32, &str)] = &[
    (0x8018_0001, "There was an error communicating with the server"),
    (0x8018_0002, "There was a problem authenticating your account or device"),
    (0x8018_0003, "This user isn't authorized to enroll"),
    (0x8018_0004, "There was a certificate error"),
    (0x8018_0005, "There was an error communicating with the server"),
    (0x8018_0006, "There was an error communicating with the server"),
    (0x8018_0007, "There was a problem authenticating your account or device"),
    (0x8018_0008, "There was an error communicating with the server"),
    (0x8018_0009, "Another enrollment is in progress"),
    (0x8018_000A, "This device is already enrolled"),
    (0x8018_000D, "There was a certificate error"),
    (0x8018_000E, "There was a problem authenticating your account or device"),
    (0x8018_000F, "There was a problem authenticating your account or device"),
    (0x8018_0010, "There was an error communicating with the server"),
    (0x8018_0012, "There was a certificate error"),
    (0x8018_0013, "Looks like there are too many devices or users for this account"),
    (0x8018_0014, "This feature isn't supported"),
    (0x8018_0015, "This feature isn't supported"),
    (0x8018_0016, "The server did not accept the request"),
    (0x8018_0017, "The service is in maintenance"),
    (0x8018_0018, "There was an error with your license"),
    (0x8018_0019, "Looks like the server isn't correctly configured"),
    (0x8018_002B, "Auto MDM Enroll failed: the UPN has an unverified or non-routable domain (.local), or MDM user scope is None"),
    (0x801C_0001, "There was an error communicating with the server"),
    (0x801C_0002, "Received an error response from DRS with ErrorCode AuthenticationError (ErrorSubCode not DeviceNotFound)"),
    (0x801C_0003, "This user isn't authorized to enroll"),
    (0x801C_0006, "Received an error response from DRS with ErrorCode DirectoryError"),
    (0x801C_000B, "The server being contacted isn't trusted"),
    (0x801C_000C, "There was an error communicating with the server"),
    (0x801C_000E, "Looks like there are too many devices or users for this account"),
    (0x801C_000F, "A reboot is required to complete device registration"),
    (0x801C_0010, "Looks like you have an invalid certificate"),
    (0x801C_0011, "There was a problem authenticating your account or device"),
    (0x801C_0012, "There was an error communicating with the server"),
    (0x801C_0013, "There was a problem authenticating your account or device"),
    (0x801C_0014, "There was a problem authenticating your account or device"),
    (0x801C_001D, "Unable to read the service connection point (SCP) object and get the Microsoft Entra tenant information"),
    (0x801C_001F, "Operation timed out while performing discovery (enterpriseregistration.windows.net)"),
    (0x801C_0021, "Generic discovery failure: failed to get the discovery metadata from the device registration service (DRS)"),
    (0x801C_0025, "HTTP 503 from the DRS server"),
    (0x801C_003A, "The service connection point is configured with the wrong tenant ID, or the tenant has no active subscriptions"),
    (0x801C_003D, "Generic realm discovery failure: failed to determine the domain type (managed/federated) from the STS"),
    (0x801C_03EA, "TPM attestation failed, so joining Microsoft Entra ID with a device token failed"),
    (0x801C_03F2, "Received an error response from DRS with ErrorCode DirectoryError"),
    (0x801C_03F3, "Microsoft Entra ID cannot find a device object for the device being deployed (it was deleted)"),
    (0x8103_9001, "TPM attestation failed on every retry during Autopilot's 'Securing your hardware' step"),
    (0x8103_9023, "TPM attestation failed on Windows 11 during pre-provisioning or self-deploying (fixed by the May 2022 cumulative update KB5013943)"),
    (0x8103_9024, "TPM attestation failed: known vulnerabilities were detected in the TPM (update the TPM firmware)"),
    (0x87D1_041C, "The application was not detected after installation completed successfully"),
];

/// Delivery Optimization's names, sorted by value.
pub(crate) static DO_NAMES: &[(u32, &str)] = &[
    (0x80D0_1001, "DO_E_NO_SERVICE"),
    (0x80D0_2002, "DO_E_DOWNLOAD_NO_PROGRESS"),
    (0x80D0_2003, "DO_E_JOB_NOT_FOUND"),
    (0x80D0_2005, "DO_E_NO_DOWNLOADS"),
    (0x80D0_200C, "DO_E_JOB_TOO_OLD"),
    (0x80D0_2011, "DO_E_UNKNOWN_PROPERTY_ID"),
    (0x80D0_2012, "DO_E_READ_ONLY_PROPERTY"),
    (0x80D0_2013, "DO_E_INVALID_STATE"),
    (0x80D0_2018, "DO_E_FILE_DOWNLOADSINK_UNSPECIFIED"),
    (0x80D0_2200, "DO_E_DOWNLOAD_NO_URI"),
    (0x80D0_3805, "DO_E_BLOCKED_BY_NO_NETWORK"),
    (0x80D0_5001, "DO_E_HTTP_BLOCKSIZE_MISMATCH"),
    (0x80D0_5002, "DO_E_HTTP_CERT_VALIDATION"),
    (0x80D0_5010, "DO_E_INVALID_RANGE"),
    (0x80D0_5011, "DO_E_INSUFFICIENT_RANGE_SUPPORT"),
    (0x80D0_5012, "DO_E_OVERLAPPING_RANGES"),
];

/// Delivery Optimization's text for its codes, sorted by value.
pub(crate) static DO_MESSAGES: &[(u32, &str)] = &[
    (
        0x80D0_1001,
        "Delivery Optimization was unable to provide the service",
    ),
    (
        0x80D0_2002,
        "Download of a file saw no progress within the defined period",
    ),
    (
        0x80D0_2011,
        "SetProperty() or GetProperty() called with an unknown property ID",
    ),
    (
        0x80D0_2012,
        "Unable to call SetProperty() on a read-only property",
    ),
    (
        0x80D0_2013,
        "The requested action is not allowed in the current job state (canceled or completed, now read-only)",
    ),
    (
        0x80D0_2018,
        "Unable to start a download because no download sink (local file or stream interface) was specified",
    ),
    (
        0x80D0_2200,
        "The download was started without providing a URI",
    ),
    (
        0x80D0_3805,
        "Download paused due to loss of network connectivity",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_unique_and_new() {
        for (name, table) in [
            ("NAMES", NAMES),
            ("MESSAGES", MESSAGES),
            ("DO_NAMES", DO_NAMES),
            ("DO_MESSAGES", DO_MESSAGES),
        ] {
            for w in table.windows(2) {
                assert!(
                    w[0].0 < w[1].0,
                    "{name}: 0x{:08X} then 0x{:08X}",
                    w[0].0,
                    w[1].0
                );
            }
        }
        // A name here must not hide or repeat one the generated table has.
        for (v, n) in NAMES.iter().chain(DO_NAMES) {
            assert!(
                super::super::names::NAMES
                    .binary_search_by_key(v, |e| e.0)
                    .is_err(),
                "{n} is in the generated table already"
            );
        }
    }
}
