//! Hand-written tables: one-line meanings for codes seen in OS deployment,
//! names that no Windows header carries, and tool-specific exit codes.
//!
//! Every table is sorted by value (a test checks it) so that lookups can use
//! a binary search. Win32 errors are keyed in their HRESULT form (0x8007xxxx);
//! the decoder maps small numbers onto that form.

/// One-line meanings, keyed by the 32-bit value.
pub(crate) static MEANINGS: &[(u32, &str)] = &[
    // --- Success values and generic COM (FACILITY_NULL, RPC, ITF) ---
    (0x0000_0000, "Success: the operation finished without error."),
    (0x0000_0001, "Success, but the call had nothing to do or gave a 'no' answer; not a failure."),
    (0x8000_0003, "Old 16-bit-era 'invalid argument' slot, listed by ConfigMgr's application errors; as NTSTATUS it is a breakpoint."),
    (0x8000_0005, "Either NTSTATUS 'buffer overflow' (data did not fit and was cut short) or the old 16-bit-era 'invalid pointer' slot."),
    (0x8000_0007, "Old 16-bit-era 'operation aborted' slot, listed by ConfigMgr's application errors."),
    (0x8000_0009, "Old 16-bit-era 'access denied' slot, listed by ConfigMgr's application errors."),
    (0x8000_000A, "The result is not ready yet; the caller is expected to try again later."),
    (0x8000_000B, "An index or value lies outside the allowed range."),
    (0x8000_4001, "The called method is not implemented by this component."),
    (0x8000_4002, "The object does not offer the requested COM interface; often a registration or version mismatch."),
    (0x8000_4003, "A required pointer argument was missing or invalid."),
    (0x8000_4004, "The operation was cancelled before it completed."),
    (0x8000_4005, "Unspecified failure. The code itself says nothing: the cause is on the log lines just before it."),
    (0x8000_8083, "The .NET host could not find the runtime library it needs: the .NET runtime this program was built for is not installed (for that architecture)."),
    (0x8000_8096, "The .NET host found no compatible framework version: install the .NET (Desktop) Runtime of the major version the program targets."),
    (0x8000_FFFF, "A failure the program did not expect (Windows calls it a catastrophic failure); look at the lines before it."),
    (0x8001_0108, "The COM server behind an object went away (its process ended or crashed) while a caller still used it."),
    (0x8001_010E, "A COM object was called from a thread or apartment it does not belong to."),
    (0x8004_0100, "Component-defined (FACILITY_ITF). Windows' own reading is an OLE drag-and-drop error that does not apply to deployment logs."),
    (0x8004_0101, "In task-sequence logs: an internal check of the task-sequence engine failed (a required value was empty or a condition did not hold); the failing expression is on the lines above. Not a drag-and-drop error."),
    (0x8004_0102, "Component-defined (FACILITY_ITF). Windows reads it as an invalid window handle, which rarely applies in deployment logs."),
    (0x8004_0104, "Reported by task-sequence content resolution; usually read as 'the content was not found on any reachable distribution point' (community reading, not confirmed by Microsoft)."),
    (0x8004_0110, "The COM class cannot be created as part of an aggregate object."),
    (0x8004_0111, "The class factory cannot provide the requested class: the DLL is there but the class is missing."),
    (0x8004_0154, "The requested COM class is not registered here: a DLL is missing or unregistered, or 32-bit and 64-bit do not match."),
    (0x8004_0155, "The requested COM interface is not registered."),
    (0x8004_01F0, "COM was used on a thread that had not initialised COM first."),
    (0x8004_1001, "WMI failed without saying why."),
    (0x8004_1002, "The WMI object or instance asked for does not exist (for example, policy not yet received)."),
    (0x8004_1003, "The caller lacks the rights this WMI namespace or operation needs."),
    (0x8004_1004, "A WMI provider failed while serving the request."),
    (0x8004_1005, "A value handed to WMI had the wrong type."),
    (0x8004_1006, "WMI ran out of memory."),
    (0x8004_1008, "A parameter passed to a WMI call is not valid."),
    (0x8004_1009, "The WMI resource, often a remote machine or namespace, cannot be reached now."),
    (0x8004_100A, "WMI hit an internal critical error; the repository may be damaged."),
    (0x8004_100C, "WMI or its provider does not support this operation."),
    (0x8004_100E, "The WMI namespace does not exist (for example root\\ccm when the client is missing or broken)."),
    (0x8004_100F, "The object passed to WMI is not valid."),
    (0x8004_1010, "The WMI class does not exist on this machine."),
    (0x8004_1011, "The WMI provider's registration is missing."),
    (0x8004_1013, "The WMI provider could not be loaded."),
    (0x8004_1014, "A WMI component failed to initialise."),
    (0x8004_1017, "The WQL query is not valid; check the query text (for example a task-sequence condition)."),
    (0x8004_1019, "The WMI object already exists."),
    (0x8004_1033, "WMI is shutting down, usually because the machine is restarting."),
    (0x8004_130B, "Task Scheduler: the task is not running."),
    (0x8004_1315, "Task Scheduler: the Task Scheduler service is not running."),
    // --- Win32 errors in HRESULT form (FACILITY_WIN32) ---
    (0x8007_0001, "The function is not valid for this object or in this state; also what a tool's exit code 1 turns into."),
    (0x8007_0002, "A file the program asked for does not exist (missing content, wrong path on a command line)."),
    (0x8007_0003, "A folder in the path does not exist (wrong package source or working folder)."),
    (0x8007_0004, "The process has too many files open."),
    (0x8007_0005, "Access denied: the account running the step lacks rights on a file, share, registry key or object."),
    (0x8007_0006, "A handle used by the program is not valid."),
    (0x8007_0008, "Not enough memory to finish the operation (WinPE with too little RAM)."),
    (0x8007_000D, "The data is not valid or is damaged (corrupt download, bad policy or answer file)."),
    (0x8007_000E, "A memory allocation failed."),
    (0x8007_000F, "The drive letter does not exist; in WinPE often no usable, formatted local disk (or no storage driver)."),
    (0x8007_0012, "No more files match; usually just the end of a listing."),
    (0x8007_0013, "The media is write-protected."),
    (0x8007_0015, "The device is not ready (disk or media missing, locked by BitLocker, or removed)."),
    (0x8007_0017, "Data error (cyclic redundancy check) while reading: bad disk or media, or a damaged image file."),
    (0x8007_001F, "A device attached to the system is not working; often a driver problem."),
    (0x8007_0020, "The file is in use by another process (sharing violation); antivirus or another tool holds it."),
    (0x8007_0026, "The end of the file was reached early: the file is truncated."),
    (0x8007_0032, "The request is not supported here (for example in this firmware mode or in WinPE)."),
    (0x8007_0035, "The network path was not found: the UNC path to the share or distribution point cannot be reached."),
    (0x8007_0037, "The network resource or device is no longer available."),
    (0x8007_003B, "An unexpected network error occurred during the operation."),
    (0x8007_0040, "The network name is no longer available: the SMB session dropped mid-operation."),
    (0x8007_0043, "The network (share) name cannot be found on that server."),
    (0x8007_0050, "The file already exists."),
    (0x8007_0052, "The file or folder cannot be created (rights or path on the target)."),
    (0x8007_0057, "A parameter is wrong: a bad variable value, command-line switch or disk/partition setting."),
    (0x8007_006D, "The pipe was ended: a child process went away while talking to its parent."),
    (0x8007_0070, "The disk is full (cache, staging or target drive)."),
    (0x8007_0079, "A semaphore timeout expired; in practice a network or storage I/O timeout."),
    (0x8007_007A, "The buffer supplied was too small for the data."),
    (0x8007_007B, "The file, folder or volume name has invalid syntax."),
    (0x8007_007E, "A required DLL could not be found (missing dependency in WinPE or in the package)."),
    (0x8007_007F, "A function was not found in a DLL: the DLL has the wrong version."),
    (0x8007_0091, "The folder is not empty."),
    (0x8007_00A1, "The path is not valid."),
    (0x8007_00AA, "The resource is busy."),
    (0x8007_00B7, "The file or object already exists (left over from an earlier run)."),
    (0x8007_00C1, "The file is not a valid program for this system: wrong architecture (x64 vs x86) or a damaged executable."),
    (0x8007_00DF, "The file is too large for the file system (over 4 GB on FAT32)."),
    (0x8007_00E8, "The pipe is being closed."),
    (0x8007_00EA, "More data is available; informational for buffer-based calls."),
    (0x8007_0102, "A wait timed out: a step or process did not finish in time."),
    (0x8007_0103, "No more data is available; normally the end of an enumeration."),
    (0x8007_010B, "The folder name is not valid (for example the working folder of a Run Command Line step)."),
    (0x8007_0241, "Windows cannot verify the digital signature of the file (unsigned driver or boot file, Secure Boot)."),
    (0x8007_025D, "A compressed buffer holds bad data; with upgrades, damaged installation media."),
    (0x8007_02E4, "The operation needs elevation (run as administrator or SYSTEM)."),
    (0x8007_03E3, "The I/O was aborted because its thread ended or the program cancelled it."),
    (0x8007_03E5, "Overlapped I/O is still in progress; informational."),
    (0x8007_03E6, "Invalid access to a memory location inside the component."),
    (0x8007_03EB, "The operation cannot be completed."),
    (0x8007_03F0, "No user token was available (impersonation failed)."),
    (0x8007_041D, "The service did not answer the start or control request in time."),
    (0x8007_0422, "The service is disabled, so it cannot start (Windows Update, BITS or WMI turned off)."),
    (0x8007_0426, "The service has not been started."),
    (0x8007_042B, "The process ended unexpectedly; during upgrades, a failure in a late boot phase."),
    (0x8007_045B, "A system shutdown is in progress; the step was interrupted by a restart."),
    (0x8007_045D, "An I/O device error stopped the request: failing disk, USB or virtual storage."),
    (0x8007_0490, "Element not found; during upgrades often an incompatible driver."),
    (0x8007_04B3, "The network path is wrong, does not exist, or the network provider is not available."),
    (0x8007_04C3, "The same user already has a connection to that server with different credentials."),
    (0x8007_04C7, "The operation was cancelled by the user or the engine."),
    (0x8007_04C9, "The remote computer refused the network connection."),
    (0x8007_04CF, "The network location cannot be reached (no route, or the network is down in WinPE)."),
    (0x8007_04D3, "The request was aborted."),
    (0x8007_0520, "The logon session referred to does not exist."),
    (0x8007_0522, "The caller lacks a required privilege (not running as administrator or SYSTEM)."),
    (0x8007_0525, "The account does not exist."),
    (0x8007_052E, "Logon failed: unknown user name or bad password (Network Access Account, run-as or domain-join account)."),
    (0x8007_052F, "An account restriction (blank password, logon hours) prevents the logon."),
    (0x8007_0532, "The account's password has expired."),
    (0x8007_0533, "The account is disabled."),
    (0x8007_0534, "An account name could not be mapped to a security ID."),
    (0x8007_054B, "The domain does not exist or no domain controller can be reached (domain join)."),
    (0x8007_054F, "An internal error occurred."),
    (0x8007_0569, "The account has not been granted the logon type it needs."),
    (0x8007_0570, "A file or folder is damaged and cannot be read."),
    (0x8007_0571, "The disk structure is damaged and cannot be read."),
    (0x8007_05AA, "System resources ran out before the request could be served."),
    (0x8007_05B4, "The operation timed out."),
    (0x8007_0641, "The Windows Installer service could not be reached."),
    (0x8007_0642, "The installation was cancelled by the user."),
    (0x8007_0643, "A fatal error stopped the installation; the MSI verbose log holds the reason ('Return value 3')."),
    (0x8007_0645, "This action works only on installed products; the product is not installed."),
    (0x8007_064C, "The installation source for the product is not available."),
    (0x8007_0652, "Another installation is already running; Windows Installer runs one at a time."),
    (0x8007_0653, "The installation package could not be opened (path or rights)."),
    (0x8007_0654, "The installation package is not a valid Windows Installer package."),
    (0x8007_0659, "System policy forbids this installation."),
    (0x8007_065B, "A function failed while running, typically an MSI custom action."),
    (0x8007_0661, "The package does not support this platform or processor (x64 package on x86)."),
    (0x8007_0666, "Another version of this product is already installed."),
    (0x8007_0667, "The command line has an invalid argument."),
    (0x8007_0669, "Success: the installer has started a restart."),
    (0x8007_066A, "The patch does not fit any installed product (missing or different version)."),
    (0x8007_06BA, "The RPC server cannot be reached: service stopped, firewall, or machine down."),
    (0x8007_06BE, "An RPC call started but failed before it completed."),
    (0x8007_06D9, "The RPC endpoint mapper has no endpoint for the service (service not started)."),
    (0x8007_08B0, "The account already exists (domain join: a computer account of that name is already in the domain)."),
    (0x8007_0975, "Sysprep stopped because reserved storage is in use by an update or servicing operation."),
    (0x8007_0A83, "The computer is already joined to a domain."),
    (0x8007_0A84, "The computer is not joined to a domain (an unjoin or a domain-only operation was asked of a workgroup machine)."),
    (0x8007_0A8B, "Domain join could not find a domain controller through DNS: check the DNS servers and the domain name."),
    (0x8007_0BC2, "Success, but a restart is needed to finish (soft reboot)."),
    (0x8007_0BC3, "Success; the requested operation needs a restart."),
    (0x8007_0BC9, "The operation failed and a restart is needed to roll it back."),
    (0x8007_216D, "The join account has reached its limit of computer accounts it may add to the domain (ms-DS-MachineAccountQuota, 10 by default)."),
    (0x8007_232B, "The DNS name does not exist (management point or distribution point name not in DNS)."),
    (0x8007_2746, "The remote host reset the connection (proxy or firewall)."),
    (0x8007_274C, "A connection attempt timed out: the host did not answer."),
    (0x8007_274D, "The target refused the connection: wrong port or service down."),
    (0x8007_2AF9, "The host name was not found by the resolver."),
    (0x8007_2EE2, "The HTTP request timed out: management point, distribution point or update server slow or unreachable."),
    (0x8007_2EE4, "WinHTTP hit an internal error."),
    (0x8007_2EE5, "The URL is malformed."),
    (0x8007_2EE6, "The URL scheme is not one WinHTTP handles (http or https)."),
    (0x8007_2EE7, "The server name could not be resolved: no DNS in WinPE, missing network driver, or wrong name."),
    (0x8007_2EEF, "Logging on to the server or proxy failed."),
    (0x8007_2EF1, "The request was cancelled, often because its handle was closed."),
    (0x8007_2EFD, "No connection could be made to the server: port blocked, host down, or no network."),
    (0x8007_2EFE, "The connection was closed or reset abnormally during the transfer."),
    (0x8007_2F05, "The server's TLS certificate has expired or is not yet valid (check the clock in WinPE)."),
    (0x8007_2F06, "The server's TLS certificate name does not match the host name used."),
    (0x8007_2F0C, "The server asks for a client certificate and none was offered."),
    (0x8007_2F0D, "The server's certificate chains to a root that is not trusted here (root CA missing from the boot image)."),
    (0x8007_2F19, "Certificate revocation could not be checked (CRL or OCSP unreachable)."),
    (0x8007_2F76, "The requested HTTP header is not present; usually harmless."),
    (0x8007_2F78, "The server's reply could not be understood (proxy or IIS problem)."),
    (0x8007_2F7D, "A TLS secure channel error occurred."),
    (0x8007_2F8F, "A TLS security error: certificate problem, wrong clock, or no protocol or cipher in common (TLS 1.2 not enabled)."),
    (0x8007_2F92, "The proxy for the URL could not be determined."),
    (0x8007_2F94, "Automatic proxy detection (WPAD) failed."),
    (0x8007_3701, "A side-by-side assembly the program needs is missing."),
    (0x8007_3712, "The component store is damaged or inconsistent; repair it with DISM."),
    (0x8007_371B, "Parts of a servicing transaction are missing; the component store is damaged."),
    (0x8007_3CF2, "Sysprep could not remove an app package for the current user (a per-user app blocks generalize)."),
    (0x8008_0005, "The out-of-process COM server failed to start."),
    // --- Crypto, trust and certificates ---
    (0x8009_0003, "The cryptographic key is not valid."),
    (0x8009_0005, "Bad data was passed to a cryptographic operation."),
    (0x8009_0006, "The signature does not verify."),
    (0x8009_0009, "Invalid flags were passed to a cryptographic function."),
    (0x8009_000D, "The key does not exist."),
    (0x8009_000F, "The key container or object already exists."),
    (0x8009_0010, "Access to the cryptographic key or object was denied."),
    (0x8009_0011, "The cryptographic object was not found."),
    (0x8009_0016, "The key container does not exist or cannot be opened (client certificate without a usable private key)."),
    (0x8009_001D, "The cryptographic provider DLL failed to load or start."),
    (0x8009_0030, "The crypto device (TPM or smart card) is not ready."),
    (0x8009_0303, "The security package does not know the target (SPN or DNS problem)."),
    (0x8009_0304, "The Local Security Authority could not be reached or failed internally."),
    (0x8009_030C, "The logon attempt was rejected."),
    (0x8009_030E, "No credentials are available to the security package (no client certificate)."),
    (0x8009_0311, "No authority could be reached to authenticate (domain controller unreachable)."),
    (0x8009_0322, "The target principal name is wrong."),
    (0x8009_0324, "The clocks of client and server differ too much (wrong time in WinPE)."),
    (0x8009_0325, "The certificate chain comes from an authority that is not trusted."),
    (0x8009_0326, "A malformed TLS message arrived (protocol mismatch or inspecting proxy)."),
    (0x8009_0327, "An unknown problem occurred while processing the certificate."),
    (0x8009_0328, "The certificate received has expired."),
    (0x8009_0331, "Client and server have no TLS protocol or algorithm in common."),
    (0x8009_1007, "A computed hash differs from the expected one: the content changed; update or redistribute the package."),
    (0x8009_100E, "The signer of a signed message was not found; the signature check failed."),
    (0x8009_2003, "A file could not be read or written during a cryptographic operation."),
    (0x8009_2004, "The certificate or cryptographic object was not found."),
    (0x8009_200E, "The signed message has no signer."),
    (0x8009_2010, "The certificate has been revoked."),
    (0x8009_2012, "The revocation status of the certificate could not be checked."),
    (0x8009_2013, "The revocation server was offline (CRL or OCSP not reachable from WinPE)."),
    (0x8009_6010, "The file's signature does not match its content: the file was altered or damaged."),
    (0x800B_0001, "No trust provider knows this kind of file."),
    (0x800B_0003, "The trust provider does not support this form of subject."),
    (0x800B_0004, "The subject is not trusted for the requested action."),
    (0x800B_0100, "The file has no digital signature."),
    (0x800B_0101, "A certificate in the chain is outside its validity period (or the clock is wrong)."),
    (0x800B_0109, "The certificate chain ends in a root that is not trusted."),
    (0x800B_010A, "No chain could be built to a trusted root (intermediate certificate missing)."),
    (0x800B_010C, "Its issuer revoked a certificate in the chain."),
    (0x800B_010E, "The revocation status could not be determined."),
    (0x800B_010F, "The certificate's name does not match the host."),
    (0x800B_0110, "The certificate is not valid for this use (wrong enhanced key usage)."),
    (0x800B_0111, "The certificate is explicitly distrusted."),
    // --- Servicing (SetupAPI and CBS share 0x800F) ---
    (0x800F_0203, "No driver was selected for the device."),
    (0x800F_0247, "The driver package could not be added to the driver store."),
    (0x800F_0818, "The package's identity does not match what CBS expected: a damaged or mismatched package or component store."),
    (0x800F_081E, "The package does not apply to this image."),
    (0x800F_081F, "The files for the feature or package were not found; give DISM a /Source."),
    (0x800F_0821, "The servicing operation was aborted by its watchdog (timed out, often on slow VMs)."),
    (0x800F_0823, "A newer servicing stack update must be installed before this package."),
    (0x800F_0825, "The package cannot be removed."),
    (0x800F_0830, "The image cannot be serviced: its component store is damaged or the image is of another kind."),
    (0x800F_0831, "The component store is damaged; a needed package is missing."),
    (0x800F_0906, "The source files could not be downloaded (no Internet or Windows Update blocked); give DISM a /Source."),
    (0x800F_0907, "Group Policy prevents downloading the payload from Windows Update; give DISM a /Source or change the policy."),
    (0x800F_0920, "Servicing seemed hung and was stopped."),
    (0x800F_0922, "An advanced installer or servicing step failed (community reading)."),
    (0x800F_0954, "No optional content was found on the update servers (WSUS or policy keeps DISM from Windows Update); give a /Source."),
    (0x800F_0975, "Reserved storage is in use by an update or servicing operation, so sysprep cannot continue."),
    // --- HTTP status (FACILITY_HTTP) ---
    (0x8019_0001, "An unexpected HTTP error occurred while downloading."),
    (0x8019_0190, "HTTP 400: the server rejected the request as malformed."),
    (0x8019_0191, "HTTP 401: the server requires authentication that was not given."),
    (0x8019_0193, "HTTP 403: the server refused the request (rights or IIS request filtering)."),
    (0x8019_0194, "HTTP 404: the file is not on the server (content missing on the DP, or IIS blocks that file type)."),
    (0x8019_01F4, "HTTP 500: the server failed internally."),
    (0x8019_01F7, "HTTP 503: the service is unavailable or overloaded."),
    // --- BITS ---
    (0x8020_0001, "The BITS job was not found."),
    (0x8020_0002, "BITS does not allow this action in the job's current state."),
    (0x8020_0010, "No network is active; BITS will retry when one is."),
    (0x8020_0011, "The server sent no file size, so BITS cannot download it."),
    (0x8020_0012, "The server does not support HTTP/1.1."),
    (0x8020_0013, "The server (or a proxy) does not support range requests."),
    (0x8020_001D, "The local file changed after the transfer began."),
    (0x8020_003E, "Group Policy does not allow BITS transfers right now."),
    (0x8020_0053, "The server's answer is not valid for the request (a proxy or firewall rewrote it)."),
    (0x8020_0054, "The BITS job ran longer than its maximum download time."),
    // --- Windows Update Agent ---
    (0x8024_0001, "The Windows Update Agent could not provide the service."),
    (0x8024_000B, "The update operation was cancelled."),
    (0x8024_000E, "The update's XML metadata is not valid."),
    (0x8024_0017, "The update does not apply to this machine (for upgrades: not offered for this edition)."),
    (0x8024_0020, "The operation needs a signed-in user."),
    (0x8024_0022, "Every update in the operation failed."),
    (0x8024_0FFF, "Unspecified Windows Update Agent error."),
    (0x8024_2006, "The update's metadata is not valid for its handler (damaged update cache)."),
    (0x8024_2014, "Work after a restart is still pending for an update; restart first."),
    (0x8024_4007, "The update server answered with a SOAP fault."),
    (0x8024_4010, "The scan needed too many round trips to the update server."),
    (0x8024_4018, "The update server (or a proxy) answered HTTP 403."),
    (0x8024_4019, "The update server answered HTTP 404."),
    (0x8024_4022, "The update server answered HTTP 503 (its application pool may be stopped)."),
    (0x8024_402C, "The update server's name could not be resolved."),
    (0x8024_402F, "Processing of external cab files ended with errors (often a web filter)."),
    (0x8024_6007, "The update has not been downloaded."),
    (0x8024_6017, "The local user may not download this content."),
    (0x8024_A10A, "The Update Orchestrator service is shutting down."),
    (0x8024_D009, "A self-update of the Windows Update Agent was skipped."),
    // --- TPM and BitLocker ---
    (0x8028_0006, "The TPM is deactivated."),
    (0x8028_0007, "The TPM is disabled."),
    (0x8028_4008, "The TPM Base Services service is not running."),
    (0x8028_400F, "No compatible TPM was found."),
    (0x8031_0000, "The volume is locked by BitLocker; unlock it first."),
    (0x8031_0001, "The volume is not encrypted."),
    (0x8031_0002, "The firmware does not present a TPM to BitLocker (absent or turned off in BIOS/UEFI)."),
    (0x8031_0008, "BitLocker is not turned on for the volume."),
    (0x8031_0014, "The partition layout or size does not suit BitLocker."),
    (0x8031_0018, "The TPM has no owner yet, so BitLocker cannot use it."),
    (0x8031_0027, "The credentials given to unlock the volume were rejected."),
    (0x8031_0028, "The volume is not the operating-system volume."),
    (0x8031_002C, "Policy requires a recovery-password protector."),
    (0x8031_0039, "The volume must be fully decrypted first."),
    (0x8031_003F, "The TPM is disabled or deactivated."),
    // --- Configuration Manager client (0x87D0xxxx, 0x87D1xxxx) ---
    (0x87D0_0202, "The ConfigMgr client service (SMS Agent Host) is shutting down."),
    (0x87D0_0207, "A client component could not parse its data (bad or outdated policy or app data)."),
    (0x87D0_0208, "A client component received an invalid command."),
    (0x87D0_0209, "A value had the wrong data type for the client component."),
    (0x87D0_0213, "A client operation ran over its time limit (maximum run time or maintenance window)."),
    (0x87D0_0215, "The client could not find an item it needs (deployment policy, application or content)."),
    (0x87D0_0227, "The client feature needed is turned off."),
    (0x87D0_0229, "The client could not obtain the credentials for the operation (for example the Network Access Account)."),
    (0x87D0_0231, "A temporary failure; the client expects a retry to work."),
    (0x87D0_0235, "A syntax error was found while parsing client data."),
    (0x87D0_0236, "A client component ran short of memory."),
    (0x87D0_0244, "A client subsystem was used before it had started."),
    (0x87D0_0261, "A configuration item definition could not be saved on the client."),
    (0x87D0_0264, "The operation is not valid in the current state."),
    (0x87D0_0265, "The client's local store is in an unexpected state."),
    (0x87D0_0266, "The client found contradictory data."),
    (0x87D0_0267, "A client download (policy, configuration item or content) failed."),
    (0x87D0_0268, "Compiling data (MOF or configuration item) on the client failed."),
    (0x87D0_0269, "The client could not find or reach a suitable management point."),
    (0x87D0_026C, "No status record exists for the item."),
    (0x87D0_0272, "The client component needed is disabled."),
    (0x87D0_027C, "Downloading configuration-item documents from the management point timed out."),
    (0x87D0_027E, "The server answered with an HTTP error status."),
    (0x87D0_0280, "The certificate store the client uses is empty."),
    (0x87D0_0281, "No certificate matches the client's selection criteria (PKI client certificate)."),
    (0x87D0_0289, "Configuration-item documents arrived but could not be decompressed."),
    (0x87D0_0290, "A client job was started with nothing in it."),
    (0x87D0_0291, "No task sequence policy is assigned to this client."),
    (0x87D0_0314, "The client lacks current version information for the app (the new revision's policy has not arrived)."),
    (0x87D0_0320, "The script host for a script rule is not installed yet."),
    (0x87D0_0321, "A detection, requirement or install script ran past its time limit."),
    (0x87D0_0323, "The action needs a signed-in user and nobody is signed in."),
    (0x87D0_0324, "The install finished but the detection method still does not find the app; check the detection rule."),
    (0x87D0_0325, "The uninstall finished but the detection method still finds the app."),
    (0x87D0_0326, "The deployment's data is missing from the client's WMI."),
    (0x87D0_0327, "A script rule was blocked because the script is not signed (execution policy)."),
    (0x87D0_0329, "Evaluating the app's requirements or detection (or those of its dependencies) failed."),
    (0x87D0_032A, "The deployment type's uninstall command line is not valid."),
    (0x87D0_0600, "The software-update scan tool policy is missing on the client."),
    (0x87D0_0601, "The scan for software updates did not finish in time."),
    (0x87D0_0602, "The request for content locations timed out."),
    (0x87D0_0607, "The content is not on any distribution point the client can use (boundaries or distribution)."),
    (0x87D0_0651, "The scan after installing updates failed."),
    (0x87D0_0652, "No policy exists for the software update (not deployed to this collection)."),
    (0x87D0_0653, "Downloading a software update failed."),
    (0x87D0_0654, "Installing a software update failed."),
    (0x87D0_0655, "At least one software update failed to install."),
    (0x87D0_0664, "The updates handler job was cancelled."),
    (0x87D0_0665, "The updates job had nothing to process."),
    (0x87D0_0666, "Updates cannot be installed outside a maintenance window."),
    (0x87D0_0667, "No current or future maintenance window is long enough for the install."),
    (0x87D0_0668, "After installing, the update is still reported as needed."),
    (0x87D0_0669, "Content locations for software updates cannot be obtained right now."),
    (0x87D0_0692, "A Group Policy setting conflicts with ConfigMgr's software-update settings."),
    (0x87D0_0696, "The software update is already installed."),
    (0x87D0_0697, "The software update is installed and only waits for a restart."),
    (0x87D0_0703, "Another software-updates install job is already running; only one may run at a time."),
    (0x87D0_1001, "Another program is running, or a restart is pending."),
    (0x87D0_1004, "The program is disabled."),
    (0x87D0_1005, "The program's policy is missing or not valid."),
    (0x87D0_1013, "A program this one depends on has not run successfully."),
    (0x87D0_1014, "The program needs user input or a user context, which it does not have here."),
    (0x87D0_1017, "The content hash in the policy is missing or wrong, or the content failed the hash check."),
    (0x87D0_1101, "Running the program failed fatally; it will not be retried."),
    (0x87D0_1104, "The program's command line is not valid."),
    (0x87D0_1106, "The installer file could not be validated or its command line could not be built (file missing from the content?)."),
    (0x87D0_1107, "None of the content locations given could be reached; the program may retry."),
    (0x87D0_1108, "None of the content locations given could be reached; no more retries."),
    (0x87D0_1201, "Not enough free space in the client cache or on the disk for the content."),
    (0x87D0_1202, "The content is bigger than the whole client cache."),
    (0x87D0_1203, "The client cache is in use by a running program or a download."),
    (0x87D0_1204, "No distribution point has the requested content for this client."),
    (0x87D0_1281, "The App-V deployment type needs an App-V client, which is not installed."),
    (0x87D0_128F, "The App-V 4.x sftmime command failed."),
    (0x87D0_1290, "Querying the App-V WMI provider failed."),
    (0x87D1_03E8, "Unknown error (ConfigMgr/MDM range)."),
    (0x87D1_076C, "Success status: the application was installed."),
    // --- NTSTATUS (raw in WinPE and setup logs, or as crash exit codes) ---
    (0xC000_0005, "The process read or wrote memory it must not touch and was stopped (crash)."),
    (0xC000_0008, "A handle that is not valid was used."),
    (0xC000_000D, "An invalid parameter was passed to a native function."),
    (0xC000_000F, "The file does not exist."),
    (0xC000_0017, "Not enough virtual memory or paging-file space."),
    (0xC000_0022, "Access denied at the native level."),
    (0xC000_0034, "The named object or file was not found."),
    (0xC000_003A, "A folder in the path does not exist."),
    (0xC000_0043, "The file is open elsewhere in a conflicting mode."),
    (0xC000_007F, "The disk is full."),
    (0xC000_009A, "System resources ran out."),
    (0xC000_00BB, "The request is not supported."),
    (0xC000_0135, "A DLL the program needs at start-up is missing (a tool run in WinPE without its optional components)."),
    (0xC000_013A, "The process was ended by Ctrl+C or by closing its console."),
    (0xC000_0142, "A DLL failed to initialise and the process was ended."),
    (0xC000_014C, "A registry hive is damaged."),
    (0xC000_0185, "An I/O device error occurred (disk or storage driver)."),
    (0xC000_021A, "A critical system process ended (stop error 0xC000021A)."),
    (0xC000_0225, "The object was not found; at boot, the required device cannot be reached (BCD problem)."),
    (0xC000_0374, "Heap corruption was detected and the process was ended."),
    (0xC000_0409, "A stack buffer overrun (fail-fast) ended the process."),
    (0xC000_041D, "An exception was not handled inside a user callback."),
    // --- Windows Setup (in-place upgrade) ---
    (0xC180_0118, "WSUS delivered upgrade content that cannot be decrypted (the decryption key is missing)."),
    (0xC190_0100, "The Setup platform binaries have unexpected versions (mixed media)."),
    (0xC190_0101, "Setup failed and rolled back, most often because of a driver; read it together with the extend code after it."),
    (0xC190_0107, "Cleanup from an earlier attempt is pending; restart and try again."),
    (0xC190_010D, "Setup received an invalid command-line argument."),
    (0xC190_010E, "The licence terms must be accepted (add the EULA switch)."),
    (0xC190_0111, "Setup was cancelled at the advertisement stage."),
    (0xC190_0200, "The machine does not meet the minimum system requirements."),
    (0xC190_0201, "Setup was cancelled because the minimum requirements are not met."),
    (0xC190_0204, "The chosen migration (keep apps and data) is not possible: edition, language or architecture differ."),
    (0xC190_0208, "The compatibility scan found an app or driver that blocks the upgrade."),
    (0xC190_0209, "User data could be kept but apps could not, so Setup stopped."),
    (0xC190_020E, "Not enough free disk space to install."),
    (0xC190_0210, "A scan-only run found no compatibility problem; success for a compatibility scan."),
    (0xC190_0216, "An operating-system rollback is pending."),
    (0xC770_0112, "Setup could not finish writing to the system drive."),
    (0xE043_4352, "A .NET program ended on an exception nothing caught; the '.NET Runtime' event (1026) in the Application log names it. In deployments often a window shown in session 0."),
];

/// Names that no Windows header (and so no generated table) carries, but
/// that Microsoft's documentation uses.
pub(crate) static EXTRA_NAMES: &[(u32, &str)] = &[
    // The .NET host's status codes (dotnet/runtime, docs/design/features/host-error-codes.md).
    (0x8000_8083, "CoreHostLibMissingFailure"),
    (0x8000_8096, "FrameworkMissingFailure"),
    // Windows 10 consumer ESU enrollment (abbodi1406/ConsumerESU #43, the
    // maintainer's reading of the licensing error).
    (
        0x8008_025C,
        "E_LICENSE_ACQUISITION_DEVICE_LIMIT_EXCEEDED_ERROR",
    ),
    (0x8024_A10A, "USO_E_SERVICE_SHUTTING_DOWN"),
    (0xC190_0100, "MOSETUP_E_VERSION_MISMATCH"),
    (0xC190_0101, "MOSETUP_E_SETUP_PLATFORM"),
    (0xC190_0107, "MOSETUP_E_CLEANUP_PENDING"),
    (0xC190_010D, "MOSETUP_E_INVALID_CMD_LINE"),
    (0xC190_010E, "MOSETUP_E_EULA_ACCEPT_REQUIRED"),
    (0xC190_0111, "MOSETUP_E_ADVERTISE_CANCEL"),
    (0xC190_0200, "MOSETUP_E_COMPAT_SYSREQ_BLOCK"),
    (0xC190_0201, "MOSETUP_E_COMPAT_SYSREQ_CANCEL"),
    (0xC190_0204, "MOSETUP_E_COMPAT_MIGCHOICE_BLOCK"),
    (0xC190_0208, "MOSETUP_E_COMPAT_INSTALLREQ_BLOCK"),
    (0xC190_0209, "MOSETUP_E_COMPAT_INSTALLREQ_CANCEL"),
    (0xC190_020E, "MOSETUP_E_INSTALLDISKSPACE_BLOCK"),
    (0xC190_0210, "MOSETUP_E_COMPAT_SCANONLY"),
    (0xC190_0216, "MOSETUP_E_ROLLBACK_PENDING"),
    // The exception code the CLR raises for a managed exception (dotnet/runtime).
    (0xE043_4352, "EXCEPTION_COMPLUS"),
];

/// A reading of a small number as the exit code of a particular tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ToolReading {
    /// The tool whose exit code this is, e.g. "USMT (scanstate/loadstate)".
    pub tool: &'static str,
    /// The tool's name for the code, when it has one.
    pub name: Option<&'static str>,
    /// One line in plain words.
    pub meaning: &'static str,
}

pub(crate) const USMT: &str = "USMT (scanstate, loadstate, usmtutils)";
pub(crate) const MSIEXEC: &str = "msiexec / Windows Installer";

/// USMT process exit codes (plain decimals, not HRESULTs). They only apply
/// when the number comes from scanstate, loadstate or usmtutils.
pub(crate) static USMT_EXIT: &[(u32, &str, &str)] = &[
    (0, "USMT_SUCCESS", "The migration run completed."),
    (1, "USMT_DISPLAY_HELP", "Only the command-line help was shown."),
    (2, "USMT_STATUS_CANCELED", "The run stopped: cancelled by the user, or gathering gave up on an EFS file."),
    (3, "USMT_WOULD_HAVE_FAILED", "Errors happened but were skipped because /c was given; read the log."),
    (11, "USMT_INVALID_PARAMETERS", "Command-line options are wrong or conflict."),
    (12, "USMT_ERROR_OPTION_PARAM_TOO_LARGE", "A command-line argument or the store path is longer than 256 characters."),
    (13, "USMT_INIT_LOGFILE_FAILED", "The log file path given with /l is not valid."),
    (14, "USMT_ERROR_USE_LAC", "Local accounts would have to be created but /lac was not given."),
    (26, "USMT_INIT_ERROR", "Initialisation failed (several Windows installations, bad XML, offline Windows not found)."),
    (27, "USMT_INVALID_STORE_LOCATION", "The store path cannot be used: it exists without /o, is missing, read-only or damaged."),
    (28, "USMT_UNABLE_GET_SCRIPTFILES", "A migration XML file given with /i is missing or not valid."),
    (29, "USMT_FAILED_MIGSTARTUP", "The migration could not start (little temp space, another migration running, XML error)."),
    (31, "USMT_UNABLE_FINDMIGUNITS", "The discovery phase failed."),
    (32, "USMT_FAILED_SETMIGRATIONTYPE", "Setting up the migration type failed."),
    (33, "USMT_UNABLE_READKEY", "The encryption key file cannot be read, or the key is empty."),
    (34, "USMT_ERROR_INSUFFICIENT_RIGHTS", "Not elevated, or no right to read, create or delete profiles."),
    (35, "USMT_UNABLE_DELETE_STORE", "The store could not be deleted (a file is locked; restart may help)."),
    (36, "USMT_ERROR_UNSUPPORTED_PLATFORM", "The platform check failed (temporary profile in use, offline mode misused)."),
    (37, "USMT_ERROR_NO_INVALID_KEY", "The store is encrypted and the right key was not given."),
    (38, "USMT_ERROR_CORRUPTED_NOTENCRYPTED_STORE", "The store could not be accessed."),
    (39, "USMT_UNABLE_TO_READ_CONFIG_FILE", "The config XML cannot be read or the /config argument is wrong."),
    (40, "USMT_ERROR_UNABLE_CREATE_PROGRESS_LOG", "The progress log cannot be written."),
    (41, "USMT_PREFLIGHT_FILE_CREATION_FAILED", "An output file (progress log, space estimate) cannot be created or overwritten."),
    (42, "USMT_ERROR_CORRUPTED_STORE", "Files in the store are damaged; see the usmtutils log."),
    (61, "USMT_MIGRATION_STOPPED_NONFATAL", "Stopped on an I/O error; /c, ErrorControl rules or /vsc may get past it."),
    (71, "USMT_INIT_OPERATING_ENVIRONMENT_FAILED", "A Windows API call failed, logging could not start, or not elevated."),
    (72, "USMT_UNABLE_DOMIGRATION", "Gathering, applying or closing the store failed (often out of disk or temp space)."),
];

/// What the common msiexec exit codes mean for a deployment. The names are
/// the Win32 ones, so only the text is kept here.
pub(crate) static MSI_EXIT: &[(u32, &str)] = &[
    (0, "The product installed (or was removed) without error."),
    (1601, "The Windows Installer service could not be reached."),
    (1602, "The user cancelled the installation."),
    (
        1603,
        "A fatal error during installation; read the verbose MSI log near 'Return value 3'.",
    ),
    (
        1605,
        "The product is not installed, so it cannot be removed or repaired.",
    ),
    (1612, "The installation source is not available."),
    (
        1618,
        "Another installation holds the Windows Installer lock; ConfigMgr normally retries.",
    ),
    (1619, "The package could not be opened (path or rights)."),
    (1620, "The file is not a valid Windows Installer package."),
    (1625, "System policy blocks the installation."),
    (1633, "The package is for another platform or processor."),
    (1638, "Another version of the product is already installed."),
    (1639, "The msiexec command line has a bad argument."),
    (
        1641,
        "Success; the installer has started a restart (ConfigMgr treats it as a hard reboot).",
    ),
    (1642, "The patch does not match an installed product."),
    (
        3010,
        "Success; a restart is needed to finish (ConfigMgr treats it as a soft reboot).",
    ),
];

fn lookup<T: Copy>(table: &'static [(u32, T)], value: u32) -> Option<T> {
    table
        .binary_search_by_key(&value, |&(v, _)| v)
        .ok()
        .map(|i| table[i].1)
}

/// The hand-written meaning of a 32-bit value, if there is one.
pub(crate) fn meaning_of(value: u32) -> Option<&'static str> {
    lookup(MEANINGS, value)
}

/// A name from the hand-written table of names missing from the headers.
pub(crate) fn extra_name(value: u32) -> Option<&'static str> {
    lookup(EXTRA_NAMES, value)
}

/// The tool-specific readings of a small number (USMT, msiexec).
pub(crate) fn tool_readings(number: u32) -> Vec<ToolReading> {
    let mut out = Vec::new();
    if let Ok(i) = MSI_EXIT.binary_search_by_key(&number, |&(v, _)| v) {
        out.push(ToolReading {
            tool: MSIEXEC,
            name: None,
            meaning: MSI_EXIT[i].1,
        });
    }
    if let Ok(i) = USMT_EXIT.binary_search_by_key(&number, |&(v, _, _)| v) {
        out.push(ToolReading {
            tool: USMT,
            name: Some(USMT_EXIT[i].1),
            meaning: USMT_EXIT[i].2,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_unique() {
        fn check(name: &str, keys: Vec<u32>) {
            for w in keys.windows(2) {
                assert!(w[0] < w[1], "{name}: 0x{:08X} then 0x{:08X}", w[0], w[1]);
            }
        }
        check("MEANINGS", MEANINGS.iter().map(|e| e.0).collect());
        check("EXTRA_NAMES", EXTRA_NAMES.iter().map(|e| e.0).collect());
        check("USMT_EXIT", USMT_EXIT.iter().map(|e| e.0).collect());
        check("MSI_EXIT", MSI_EXIT.iter().map(|e| e.0).collect());
    }

    #[test]
    fn enough_meanings_and_each_is_one_line() {
        assert!(MEANINGS.len() >= 150, "only {} meanings", MEANINGS.len());
        for (v, text) in MEANINGS {
            assert!(!text.is_empty() && !text.contains('\n'), "0x{v:08X}");
        }
    }

    #[test]
    fn extra_names_are_not_in_the_generated_table() {
        for (v, n) in EXTRA_NAMES {
            assert!(
                super::super::names::NAMES
                    .binary_search_by_key(v, |e| e.0)
                    .is_err(),
                "{n} is in the generated table already"
            );
        }
    }

    #[test]
    fn tool_readings_for_small_numbers() {
        let r = tool_readings(11);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name, Some("USMT_INVALID_PARAMETERS"));
        let r = tool_readings(3010);
        assert_eq!(r[0].tool, MSIEXEC);
        assert!(tool_readings(0).len() == 2);
        assert!(tool_readings(5).is_empty());
    }
}
