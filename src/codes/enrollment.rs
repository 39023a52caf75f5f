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
//!   error codes" (learn.microsoft.com/azure/iot-hub-device-update/device-update-error-codes);
//!   the rest of the DO_E_* codes Windows Update's downloads report (the transient 0x80D038xx,
//!   the HTTP range and the peer-to-peer core codes) and their text from the Windows SDK's
//!   deliveryoptimizationerrors.h (as microsoft/win32metadata carries it,
//!   generation/WinSDK/RecompiledIdlHeaders/um/deliveryoptimizationerrors.h).

/// Where the enrollment and Autopilot names and text come from, as `tslens lookup` cites it.
pub(crate) const SOURCE: &str = "Microsoft's Entra integration with MDM error table, Entra \
     hybrid join troubleshooting, Windows Autopilot known issues and Intune enrollment / app \
     install error references";

/// Where the Delivery Optimization names and text come from.
pub(crate) const DO_SOURCE: &str = "Delivery Optimization's error headers \
     (microsoft/do-client do_error.h, the Windows SDK's deliveryoptimizationerrors.h) and \
     Microsoft's Device Update error-code table";

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
    (0x80D0_2004, "DO_E_JOB_EMPTY"),
    (0x80D0_2005, "DO_E_NO_DOWNLOADS"),
    (0x80D0_200B, "DO_E_MEMORYSTREAM_DOWNLOAD_NOT_SUPPORTED"),
    (0x80D0_200C, "DO_E_JOB_TOO_OLD"),
    (0x80D0_200D, "DO_E_LOCALPATH_NOT_SET"),
    (0x80D0_2010, "DO_E_FILE_NOT_AVAILABLE"),
    (0x80D0_2011, "DO_E_UNKNOWN_PROPERTY_ID"),
    (0x80D0_2012, "DO_E_READ_ONLY_PROPERTY"),
    (0x80D0_2013, "DO_E_INVALID_STATE"),
    (0x80D0_2014, "DO_E_ERROR_INFORMATION_UNAVAILABLE"),
    (0x80D0_2015, "DO_E_WRITE_ONLY_PROPERTY"),
    (0x80D0_2016, "DO_E_INTEGRITYCHECKINFO_UNSPECIFIED"),
    (0x80D0_2017, "DO_E_INTEGRITYCHECKINFO_UNAVAILABLE"),
    (0x80D0_2018, "DO_E_FILE_DOWNLOADSINK_UNSPECIFIED"),
    (0x80D0_2019, "DO_E_FILE_DOWNLOADSINK_ALREADY_SET"),
    (0x80D0_201A, "DO_E_FILE_SIZE_UNKNOWN_HTTP_200"),
    (0x80D0_201B, "DO_E_FILE_ENCRYPTION_EXPECTED"),
    (0x80D0_201C, "DO_E_FILE_SIZE_UNKNOWN_HTTP_206"),
    (0x80D0_201D, "DO_E_FILE_SIZE_UNKNOWN_HTTP_2XX"),
    (0x80D0_201E, "DO_E_NETWORK_ACCESS_CONSENT_NEEDED"),
    (0x80D0_2200, "DO_E_DOWNLOAD_NO_URI"),
    (0x80D0_2201, "DO_E_DOWNLOAD_NO_CONTENT_ID"),
    (0x80D0_2202, "DO_E_INVALID_CONTENT_ID"),
    (0x80D0_2203, "DO_E_DOWNLOAD_RANGES_UNEXPECTED"),
    (0x80D0_2204, "DO_E_DOWNLOAD_RANGES_EXPECTED"),
    (0x80D0_3001, "DO_E_NO_DOWNLOAD_PARTICIPATION"),
    (0x80D0_3002, "DO_E_NO_DOWNLOAD_EXTSETTINGS"),
    (0x80D0_3801, "DO_E_BLOCKED_BY_COST_TRANSFER_POLICY"),
    (0x80D0_3802, "DO_E_DOWNLOADMODE_SET_BY_CP"),
    (0x80D0_3803, "DO_E_BLOCKED_BY_CELLULAR_POLICY"),
    (0x80D0_3804, "DO_E_BLOCKED_BY_POWER_STATE"),
    (0x80D0_3805, "DO_E_BLOCKED_BY_NO_NETWORK"),
    (0x80D0_3806, "DO_E_DOWNLOADMODE_SET_BY_POLICY"),
    (0x80D0_3807, "DO_E_BLOCKED_BY_VPN_POLICY"),
    (0x80D0_3808, "DO_E_BLOCKED_BY_CRITICAL_MEMORY_USAGE"),
    (0x80D0_3809, "DO_E_DOWNLOADMODE_SET_BY_CACHE_ABSENCE"),
    (0x80D0_380A, "DO_E_CLOUD_SERVICES_UNREACHABLE"),
    (0x80D0_380B, "DO_E_DOWNLOADMODE_SET_FOR_UNREG_CALLER"),
    (0x80D0_380C, "DO_E_DOWNLOADMODE_SET_FOR_SIMPLE_RANGES"),
    (0x80D0_380D, "DO_E_UNEXPECTED_HTTP_STATUS_2XX"),
    (0x80D0_5001, "DO_E_HTTP_BLOCKSIZE_MISMATCH"),
    (0x80D0_5002, "DO_E_HTTP_CERT_VALIDATION"),
    (0x80D0_5010, "DO_E_INVALID_RANGE"),
    (0x80D0_5011, "DO_E_INSUFFICIENT_RANGE_SUPPORT"),
    (0x80D0_5012, "DO_E_OVERLAPPING_RANGES"),
    (0x80D0_6800, "DO_E_UPLOADING_BAD_PIECES"),
    (0x80D0_6802, "DO_E_FATAL_CORE_ERROR"),
    (0x80D0_6803, "DO_E_SERVICES_RESPONSE_EMPTY"),
    (0x80D0_6804, "DO_E_BAD_INCOMING_DATA"),
    (0x80D0_6805, "DO_E_BAD_PIECE_HASH"),
    (0x80D0_6806, "DO_E_BAD_PIECE_HASH_NO_BAN"),
    (0x80D0_6807, "DO_E_ALREADY_HAVE_PIECE"),
    (0x80D0_6808, "DO_E_MISSING_PIECE"),
    (0x80D0_6809, "DO_E_METAINFO_CONTENT"),
    (0x80D0_680A, "DO_E_METAINFO_VERSION"),
    (0x80D0_680B, "DO_E_SWARM_NOT_RUNNING"),
    (0x80D0_680C, "DO_E_UNRECOGNIZED_CONN"),
    (0x80D0_680D, "DO_E_PEER_BANNED"),
    (0x80D0_680E, "DO_E_CONNECT_TO_SELF"),
    (0x80D0_680F, "DO_E_ALREADY_CONNECTED"),
    (0x80D0_6810, "DO_E_NO_MORE_CONNECTIONS"),
    (0x80D0_6811, "DO_E_LOST_CONNECTION"),
    (0x80D0_6812, "DO_E_UNRECOGNIZED_SWARM"),
    (0x80D0_6813, "DO_E_INVALID_HANDSHAKE_LEN"),
    (0x80D0_6814, "DO_E_SOCKET_CLOSED"),
    (0x80D0_6815, "DO_E_PEER_MSG_TOO_LONG"),
    (0x80D0_6816, "DO_E_INVALID_PEER_MSG"),
    (0x80D0_6817, "DO_E_PEER_IS_UPLOAD"),
    (0x80D0_6818, "DO_E_PIN_FAIL_NO_PEERING"),
    (0x80D0_6819, "DO_E_DELETE_PINNED_SWARM"),
    (0x80D0_681A, "DO_E_METAINFO_DIGEST_MATCH"),
    (0x80D0_681B, "DO_E_METAINFO_HOH_MATCH"),
    (0x80D0_681C, "DO_E_METAINFO_HOH_FINAL_MATCH"),
    (0x80D0_681D, "DO_E_METAINFO_CONTENT_LENGTH"),
    (0x80D0_681E, "DO_E_METAINFO_PIECE_SIZE"),
    (0x80D0_681F, "DO_E_METAINFO_PARSE_HOH"),
    (0x80D0_6820, "DO_E_METAINFO_PARSE_PIECEHASHES"),
    (0x80D0_6821, "DO_E_METAINFO_PARSE_ONE_PIECEHASH"),
    (0x80D0_6822, "DO_E_METAINFO_FILE_SIZE"),
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
        0x80D0_2003,
        "Job was not found",
    ),
    (
        0x80D0_2004,
        "There were no files in the job",
    ),
    (
        0x80D0_2005,
        "No downloads currently exist",
    ),
    (
        0x80D0_200B,
        "Memory stream transfer is not supported for this download",
    ),
    (
        0x80D0_200C,
        "Job has neither completed nor has it been cancelled prior to reaching the maximum age threshold",
    ),
    (
        0x80D0_200D,
        "There is no local file path specified for this download",
    ),
    (
        0x80D0_2010,
        "No file is available because no URL generated an error",
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
        0x80D0_2014,
        "No errors have occurred",
    ),
    (
        0x80D0_2015,
        "Unable to call GetProperty() on a write-only property",
    ),
    (
        0x80D0_2016,
        "Download job is marked as requiring integrity checking but integrity checking info was not specified",
    ),
    (
        0x80D0_2017,
        "Download job is marked as requiring integrity checking but integrity checking info could not be retrieved",
    ),
    (
        0x80D0_2018,
        "Unable to start a download because no download sink (local file or stream interface) was specified",
    ),
    (
        0x80D0_2019,
        "An attempt to set a download sink failed because another type of sink is already set",
    ),
    (
        0x80D0_201A,
        "Unable to determine file size from HTTP 200 status code",
    ),
    (
        0x80D0_201B,
        "Decryption key was provided but file on CDN does not appear to be encrypted",
    ),
    (
        0x80D0_201C,
        "Unable to determine file size from HTTP 206 status code",
    ),
    (
        0x80D0_201D,
        "Unable to determine file size from an unexpected HTTP 2xx status code",
    ),
    (
        0x80D0_201E,
        "User consent to access the network is required to proceed",
    ),
    (
        0x80D0_2200,
        "The download was started without providing a URI",
    ),
    (
        0x80D0_2201,
        "The download was started without providing a content ID",
    ),
    (
        0x80D0_2202,
        "The specified content ID is invalid",
    ),
    (
        0x80D0_2203,
        "Ranges are unexpected for the current download",
    ),
    (
        0x80D0_2204,
        "Ranges are expected for the current download",
    ),
    (
        0x80D0_3001,
        "Download job not allowed due to participation throttling",
    ),
    (
        0x80D0_3002,
        "Download job not allowed due to user/admin settings",
    ),
    (
        0x80D0_3801,
        "DO core paused the job due to cost policy restrictions",
    ),
    (
        0x80D0_3802,
        "DO job download mode restricted by content policy",
    ),
    (
        0x80D0_3803,
        "DO core paused the job due to detection of cellular network and policy restrictions",
    ),
    (
        0x80D0_3804,
        "DO core paused the job due to detection of power state change into non-AC mode",
    ),
    (
        0x80D0_3805,
        "Download paused due to loss of network connectivity",
    ),
    (
        0x80D0_3806,
        "DO job download mode restricted by policy",
    ),
    (
        0x80D0_3807,
        "DO core paused the completed job due to detection of VPN network",
    ),
    (
        0x80D0_3808,
        "DO core paused the completed job due to detection of critical memory usage on the system",
    ),
    (
        0x80D0_3809,
        "DO job download mode restricted due to absence of the cache folder",
    ),
    (
        0x80D0_380A,
        "Unable to contact one or more DO cloud services",
    ),
    (
        0x80D0_380B,
        "DO job download mode restricted for unregistered caller",
    ),
    (
        0x80D0_380C,
        "DO job is using the simple ranges download in simple mode",
    ),
    (
        0x80D0_380D,
        "DO job paused due to unexpected HTTP response codes (e.g. 204)",
    ),
    (
        0x80D0_5001,
        "HTTP server returned a response with data size not equal to what was requested",
    ),
    (
        0x80D0_5002,
        "The Http server certificate validation has failed",
    ),
    (
        0x80D0_5010,
        "The specified byte range is invalid",
    ),
    (
        0x80D0_5011,
        "The server does not support the necessary HTTP protocol: Delivery Optimization requires that the server support the Range protocol header",
    ),
    (
        0x80D0_5012,
        "The list of byte ranges contains some overlapping ranges, which are not supported",
    ),
    (
        0x80D0_6800,
        "Too many bad pieces found during upload",
    ),
    (
        0x80D0_6802,
        "Fatal error encountered in core",
    ),
    (
        0x80D0_6803,
        "Services response was an empty JSON content",
    ),
    (
        0x80D0_6804,
        "Received bad or incomplete data for a content piece",
    ),
    (
        0x80D0_6805,
        "Content piece hash check failed",
    ),
    (
        0x80D0_6806,
        "Content piece hash check failed but source is not banned yet",
    ),
    (
        0x80D0_6807,
        "The piece was rejected because it already exists in the cache",
    ),
    (
        0x80D0_6808,
        "The piece requested is no longer available in the cache",
    ),
    (
        0x80D0_6809,
        "Failed to parse JSON from input buffer",
    ),
    (
        0x80D0_680A,
        "Invalid metainfo version",
    ),
    (
        0x80D0_680B,
        "The swarm isn't running",
    ),
    (
        0x80D0_680C,
        "The peer was not recognized by the connection manager",
    ),
    (
        0x80D0_680D,
        "The peer is banned",
    ),
    (
        0x80D0_680E,
        "The client is trying to connect to itself",
    ),
    (
        0x80D0_680F,
        "The socket or peer is already connected",
    ),
    (
        0x80D0_6810,
        "The maximum number of connections has been reached",
    ),
    (
        0x80D0_6811,
        "The connection was lost",
    ),
    (
        0x80D0_6812,
        "The swarm ID is not recognized",
    ),
    (
        0x80D0_6813,
        "The handshake length is invalid",
    ),
    (
        0x80D0_6814,
        "The socket has been closed",
    ),
    (
        0x80D0_6815,
        "The message is too long",
    ),
    (
        0x80D0_6816,
        "The message is invalid",
    ),
    (
        0x80D0_6817,
        "The peer is an upload",
    ),
    (
        0x80D0_6818,
        "Cannot pin a swarm because it's not in peering mode",
    ),
    (
        0x80D0_6819,
        "Cannot delete a pinned swarm without using the \"force\" flag",
    ),
    (
        0x80D0_681A,
        "Hash digest of the input buffer did not match",
    ),
    (
        0x80D0_681B,
        "Hash-of-hashes preliminary match failed",
    ),
    (
        0x80D0_681C,
        "Computed hash-of-hashes match failed",
    ),
    (
        0x80D0_681D,
        "Content length is invalid",
    ),
    (
        0x80D0_681E,
        "Piece size is invalid",
    ),
    (
        0x80D0_681F,
        "Failed to parse hash-of-hashes value",
    ),
    (
        0x80D0_6820,
        "Failed to parse array of piece hashes",
    ),
    (
        0x80D0_6821,
        "Failed to parse an individual piece hash digest",
    ),
    (
        0x80D0_6822,
        "Failed to get PHF file's size or size is bad",
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
