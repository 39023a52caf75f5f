//! Facility names for HRESULT and NTSTATUS values.
//!
//! The numbers and names are those of winerror.h / ntstatus.h (as carried by
//! the windows-sys crate). Where two names share a number both are given,
//! because the header itself does not say which one a value belongs to.

/// HRESULT facilities (the 11-bit field, bits 26..16), sorted by number.
/// Entries above 0x7FF only make sense together with the X bit (bit 27), see
/// [`hresult_facility`].
static HRESULT_FACILITIES: &[(u16, &str)] = &[
    (0, "FACILITY_NULL"),
    (1, "FACILITY_RPC"),
    (2, "FACILITY_DISPATCH"),
    (3, "FACILITY_STORAGE"),
    (4, "FACILITY_ITF"),
    (7, "FACILITY_WIN32"),
    (8, "FACILITY_WINDOWS"),
    (9, "FACILITY_SECURITY / FACILITY_SSPI"),
    (10, "FACILITY_CONTROL"),
    (11, "FACILITY_CERT"),
    (12, "FACILITY_INTERNET"),
    (13, "FACILITY_MEDIASERVER"),
    (14, "FACILITY_MSMQ"),
    (15, "FACILITY_SETUPAPI"),
    (16, "FACILITY_SCARD"),
    (17, "FACILITY_COMPLUS"),
    (18, "FACILITY_AAF"),
    (19, "FACILITY_URT"),
    (20, "FACILITY_ACS"),
    (21, "FACILITY_DPLAY"),
    (22, "FACILITY_UMI"),
    (23, "FACILITY_SXS"),
    (24, "FACILITY_WINDOWS_CE"),
    (25, "FACILITY_HTTP"),
    (26, "FACILITY_USERMODE_COMMONLOG"),
    (27, "FACILITY_WER"),
    (31, "FACILITY_USERMODE_FILTER_MANAGER"),
    (32, "FACILITY_BACKGROUNDCOPY"),
    (33, "FACILITY_CONFIGURATION / FACILITY_WIA"),
    (34, "FACILITY_STATE_MANAGEMENT"),
    (35, "FACILITY_METADIRECTORY"),
    (36, "FACILITY_WINDOWSUPDATE"),
    (37, "FACILITY_DIRECTORYSERVICE"),
    (38, "FACILITY_GRAPHICS"),
    (39, "FACILITY_NAP / FACILITY_SHELL"),
    (40, "FACILITY_TPM_SERVICES"),
    (41, "FACILITY_TPM_SOFTWARE"),
    (42, "FACILITY_UI"),
    (43, "FACILITY_XAML"),
    (44, "FACILITY_ACTION_QUEUE"),
    (48, "FACILITY_PLA / FACILITY_WINDOWS_SETUP"),
    (49, "FACILITY_FVE"),
    (50, "FACILITY_FWP"),
    (51, "FACILITY_WINRM"),
    (52, "FACILITY_NDIS"),
    (53, "FACILITY_USERMODE_HYPERVISOR"),
    (54, "FACILITY_CMI"),
    (55, "FACILITY_USERMODE_VIRTUALIZATION"),
    (56, "FACILITY_USERMODE_VOLMGR"),
    (57, "FACILITY_BCD"),
    (58, "FACILITY_USERMODE_VHD"),
    (59, "FACILITY_USERMODE_HNS"),
    (60, "FACILITY_SDIAG"),
    (61, "FACILITY_WEBSERVICES / FACILITY_WINPE"),
    (62, "FACILITY_WPN"),
    (63, "FACILITY_WINDOWS_STORE"),
    (64, "FACILITY_INPUT"),
    (65, "FACILITY_QUIC"),
    (66, "FACILITY_EAP"),
    (70, "FACILITY_IORING"),
    (80, "FACILITY_WINDOWS_DEFENDER"),
    (81, "FACILITY_OPC"),
    (82, "FACILITY_XPS"),
    (83, "FACILITY_RAS"),
    (84, "FACILITY_MBN / FACILITY_POWERSHELL"),
    (85, "FACILITY_EAS"),
    (98, "FACILITY_P2P_INT"),
    (99, "FACILITY_P2P"),
    (100, "FACILITY_DAF"),
    (101, "FACILITY_BLUETOOTH_ATT"),
    (102, "FACILITY_AUDIO"),
    (103, "FACILITY_STATEREPOSITORY"),
    (109, "FACILITY_VISUALCPP"),
    (112, "FACILITY_SCRIPT"),
    (113, "FACILITY_PARSE"),
    (120, "FACILITY_BLB"),
    (121, "FACILITY_BLB_CLI"),
    (122, "FACILITY_WSBAPP"),
    (128, "FACILITY_BLBUI"),
    (129, "FACILITY_USN"),
    (130, "FACILITY_USERMODE_VOLSNAP"),
    (131, "FACILITY_TIERING"),
    (133, "FACILITY_WSB_ONLINE"),
    (134, "FACILITY_ONLINE_ID"),
    (135, "FACILITY_DEVICE_UPDATE_AGENT"),
    (136, "FACILITY_DRVSERVICING"),
    (153, "FACILITY_DLS"),
    (160, "FACILITY_SOS"),
    (173, "FACILITY_OCP_UPDATE_AGENT"),
    (176, "FACILITY_DEBUGGERS"),
    (208, "FACILITY_DELIVERY_OPTIMIZATION"),
    (231, "FACILITY_USERMODE_SPACES"),
    (232, "FACILITY_USER_MODE_SECURITY_CORE"),
    (234, "FACILITY_USERMODE_LICENSING"),
    (256, "FACILITY_DMSERVER / FACILITY_RESTORE / FACILITY_SPP"),
    (257, "FACILITY_DEPLOYMENT_SERVICES_SERVER"),
    (258, "FACILITY_DEPLOYMENT_SERVICES_IMAGING"),
    (259, "FACILITY_DEPLOYMENT_SERVICES_MANAGEMENT"),
    (260, "FACILITY_DEPLOYMENT_SERVICES_UTIL"),
    (261, "FACILITY_DEPLOYMENT_SERVICES_BINLSVC"),
    (263, "FACILITY_DEPLOYMENT_SERVICES_PXE"),
    (264, "FACILITY_DEPLOYMENT_SERVICES_TFTP"),
    (272, "FACILITY_DEPLOYMENT_SERVICES_TRANSPORT_MANAGEMENT"),
    (278, "FACILITY_DEPLOYMENT_SERVICES_DRIVER_PROVISIONING"),
    (289, "FACILITY_DEPLOYMENT_SERVICES_MULTICAST_SERVER"),
    (290, "FACILITY_DEPLOYMENT_SERVICES_MULTICAST_CLIENT"),
    (293, "FACILITY_DEPLOYMENT_SERVICES_CONTENT_PROVIDER"),
    (296, "FACILITY_HSP_SERVICES"),
    (297, "FACILITY_HSP_SOFTWARE"),
    (305, "FACILITY_LINGUISTIC_SERVICES"),
    (885, "FACILITY_WEB"),
    (886, "FACILITY_WEB_SOCKET"),
    (1094, "FACILITY_AUDIOSTREAMING"),
    (1490, "FACILITY_TTD"),
    (1536, "FACILITY_ACCELERATOR"),
    (1793, "FACILITY_MOBILE"),
    (1967, "FACILITY_SQLITE"),
    (1968, "FACILITY_SERVICE_FABRIC"),
    (1989, "FACILITY_UTC"),
    (1996, "FACILITY_WMAAECMA"),
    // Not in winerror.h: the ConfigMgr client uses 0x87D0xxxx and 0x87D1xxxx.
    (2000, "Configuration Manager (not a winerror.h facility)"),
    (
        2001,
        "Configuration Manager / MDM (not a winerror.h facility)",
    ),
    (
        2002,
        "Configuration Manager site server (not a winerror.h facility)",
    ),
    (2049, "FACILITY_WEP"),
    (2050, "FACILITY_SYNCENGINE"),
    (2168, "FACILITY_DIRECTMUSIC"),
    (2169, "FACILITY_DIRECT3D10"),
    (2170, "FACILITY_DXGI"),
    (2171, "FACILITY_DXGI_DDI"),
    (2172, "FACILITY_DIRECT3D11"),
    (2173, "FACILITY_DIRECT3D11_DEBUG"),
    (2174, "FACILITY_DIRECT3D12"),
    (2175, "FACILITY_DIRECT3D12_DEBUG"),
    (2176, "FACILITY_DXCORE"),
    (2177, "FACILITY_PRESENTATION"),
    (2184, "FACILITY_LEAP"),
    (2185, "FACILITY_AUDCLNT"),
    (2192, "FACILITY_WINML"),
    (2200, "FACILITY_WINCODEC_DWRITE_DWM"),
    (2201, "FACILITY_DIRECT2D"),
    (2304, "FACILITY_DEFRAG"),
    (2305, "FACILITY_USERMODE_SDBUS"),
    (2306, "FACILITY_JSCRIPT"),
    (2339, "FACILITY_XBOX"),
    (2340, "FACILITY_GAME"),
    (2561, "FACILITY_PIDGENX"),
    (2748, "FACILITY_PIX"),
];

/// NTSTATUS facilities (the 12-bit field, bits 27..16), sorted by number.
/// The numbering differs from the HRESULT one (NT 7 is NTWIN32, NT 33 FVE).
static NT_FACILITIES: &[(u16, &str)] = &[
    (1, "FACILITY_DEBUGGER"),
    (2, "FACILITY_RPC_RUNTIME"),
    (3, "FACILITY_RPC_STUBS"),
    (4, "FACILITY_IO_ERROR_CODE"),
    (5, "FACILITY_MCA_ERROR_CODE"),
    (6, "FACILITY_CODCLASS_ERROR_CODE"),
    (7, "FACILITY_NTWIN32"),
    (8, "FACILITY_NTCERT"),
    (9, "FACILITY_NTSSPI"),
    (10, "FACILITY_TERMINAL_SERVER"),
    (16, "FACILITY_USB_ERROR_CODE"),
    (17, "FACILITY_HID_ERROR_CODE"),
    (18, "FACILITY_FIREWIRE_ERROR_CODE"),
    (19, "FACILITY_CLUSTER_ERROR_CODE"),
    (20, "FACILITY_ACPI_ERROR_CODE"),
    (21, "FACILITY_SXS_ERROR_CODE"),
    (25, "FACILITY_TRANSACTION"),
    (26, "FACILITY_COMMONLOG"),
    (27, "FACILITY_VIDEO"),
    (28, "FACILITY_FILTER_MANAGER"),
    (29, "FACILITY_MONITOR"),
    (30, "FACILITY_GRAPHICS_KERNEL"),
    (32, "FACILITY_DRIVER_FRAMEWORK"),
    (33, "FACILITY_FVE_ERROR_CODE"),
    (34, "FACILITY_FWP_ERROR_CODE"),
    (35, "FACILITY_NDIS_ERROR_CODE"),
    (36, "FACILITY_QUIC_ERROR_CODE"),
    (41, "FACILITY_TPM"),
    (42, "FACILITY_RTPM"),
    (53, "FACILITY_HYPERVISOR"),
    (54, "FACILITY_IPSEC"),
    (55, "FACILITY_VIRTUALIZATION"),
    (56, "FACILITY_VOLMGR"),
    (57, "FACILITY_BCD_ERROR_CODE"),
    (62, "FACILITY_WIN32K_NTUSER"),
    (63, "FACILITY_WIN32K_NTGDI"),
    (64, "FACILITY_RESUME_KEY_FILTER"),
    (65, "FACILITY_RDBSS"),
    (66, "FACILITY_BTH_ATT"),
    (67, "FACILITY_SECUREBOOT"),
    (68, "FACILITY_AUDIO_KERNEL"),
    (69, "FACILITY_VSM"),
    (70, "FACILITY_NT_IORING"),
    (80, "FACILITY_VOLSNAP"),
    (81, "FACILITY_SDBUS"),
    (92, "FACILITY_SHARED_VHDX"),
    (93, "FACILITY_SMB"),
    (94, "FACILITY_XVS"),
    (153, "FACILITY_INTERIX"),
    (231, "FACILITY_SPACES"),
    (232, "FACILITY_SECURITY_CORE"),
    (233, "FACILITY_SYSTEM_INTEGRITY"),
    (234, "FACILITY_LICENSING"),
    (235, "FACILITY_PLATFORM_MANIFEST"),
    (236, "FACILITY_APP_EXEC"),
    // Windows Setup's upgrade codes (0xC180xxxx, 0xC190xxxx) sit here; no
    // header names these numbers.
    (384, "Windows Setup upgrade (0xC18xxxxx, no header name)"),
    (400, "Windows Setup upgrade (0xC19xxxxx, MOSETUP_E_*)"),
];

fn find(table: &'static [(u16, &'static str)], number: u16) -> Option<&'static str> {
    table
        .binary_search_by_key(&number, |&(n, _)| n)
        .ok()
        .map(|i| table[i].1)
}

/// The facility of an HRESULT and its name.
///
/// The facility proper is 11 bits wide; winerror.h defines a few facilities
/// above 0x7FF (DXGI 0x87A and friends) that borrow the X bit, so when that
/// bit is set and the 13-bit number is a known facility, that one is used.
pub fn hresult_facility(value: u32) -> (u16, Option<&'static str>) {
    let wide = ((value >> 16) & 0x1FFF) as u16;
    if value & 0x0800_0000 != 0 {
        if let Some(name) = find(HRESULT_FACILITIES, wide) {
            return (wide, Some(name));
        }
    }
    let narrow = ((value >> 16) & 0x7FF) as u16;
    (narrow, find(HRESULT_FACILITIES, narrow))
}

/// The facility of an NTSTATUS value (12 bits) and its name. Facility 0 is
/// the classic kernel space and has no name of its own.
pub fn nt_facility(value: u32) -> (u16, Option<&'static str>) {
    let number = ((value >> 16) & 0xFFF) as u16;
    (number, find(NT_FACILITIES, number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        for table in [HRESULT_FACILITIES, NT_FACILITIES] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }

    #[test]
    fn facilities() {
        assert_eq!(hresult_facility(0x8007_0002), (7, Some("FACILITY_WIN32")));
        assert_eq!(
            hresult_facility(0x8024_0017).1,
            Some("FACILITY_WINDOWSUPDATE")
        );
        assert_eq!(hresult_facility(0x887A_0005), (2170, Some("FACILITY_DXGI")));
        assert_eq!(hresult_facility(0x87D0_0269).0, 2000);
        assert_eq!(
            hresult_facility(0x8050_0001).1,
            Some("FACILITY_WINDOWS_DEFENDER")
        );
        assert_eq!(nt_facility(0xC007_0005), (7, Some("FACILITY_NTWIN32")));
        assert_eq!(nt_facility(0xC000_0005), (0, None));
    }
}
