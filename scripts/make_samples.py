#!/usr/bin/env python3
"""Build the sample logs in sample-logs/ and their README.md.

Usage:  python3 scripts/make_samples.py [--check]

Deterministic (fixed seeds, no clock, no environment), standard library only.
Every log is composed from small record builders (CMTrace records, SMS Trace
lines, plain text).  After writing, the files are read back to compute the
expected diagnosis (steps, outcome, failing step, exit code, HRESULT chains with
their line numbers); the figures are printed and written into
sample-logs/README.md.  With --check nothing is written: the files on disk are
compared with what would be generated (exit 1 on any difference).
"""
import datetime
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "sample-logs")
CRLF = "\r\n"
SEP = "!--------------------------------------------------------------------------------------------!"
STARS = "****************************************************************************"

# Source-path prefixes used in HRESULT frames.
NTS = r"e:\nts_sms_fre\sms"
TSCORE = NTS + r"\framework\tscore"
OSDMSG = NTS + r"\framework\osdmessaging"
TSMB = NTS + r"\client\tasksequence\tsmbootstrap"
CB = r"d:\dbs\sh\cmgm\0917_101724\cmd\q\src"  # current-branch build tree
CB_TSCORE = CB + r"\framework\tscore"
CB_OSD = CB + r"\client\osdeployment"
CB_MSG = CB + r"\framework\osdmessaging"


def frame(expr, code, path, line):
    """One HRESULT stack frame as ConfigMgr logs it (code in lower-case hex)."""
    return "%s, HRESULT=%s (%s,%d)" % (expr, code.lower(), path, line)


def u32(code):
    return code & 0xFFFFFFFF


def s32(code):
    code = u32(code)
    return code - (1 << 32) if code & 0x80000000 else code


# ---------------------------------------------------------------------------
# CMTrace log builder
# ---------------------------------------------------------------------------
class Log:
    """A CMTrace log under construction: a list of records with a running clock."""

    def __init__(self, start, bias, seed):
        self.t = datetime.datetime.strptime(start, "%Y-%m-%d %H:%M:%S.%f")
        self.bias = bias
        self.rng = random.Random(seed)
        self.items = []  # (text, tag)   text has no trailing line end

    def sleep(self, ms):
        self.t += datetime.timedelta(milliseconds=ms)

    def stamp(self):
        ms = self.t.microsecond // 1000
        bias = "+000" if self.bias == 0 else "%+d" % self.bias
        return ("%02d:%02d:%02d.%03d%s" % (self.t.hour, self.t.minute, self.t.second, ms, bias),
                self.t.strftime("%m-%d-%Y"))

    def rec(self, msg, comp, thread, src, typ=1, dt=None, tag=None):
        if dt is None:
            dt = self.rng.randint(0, 16)
        self.sleep(dt)
        time_s, date_s = self.stamp()
        msg = msg.replace("\r\n", "\n").replace("\n", CRLF)
        text = ('<![LOG[%s]LOG]!><time="%s" date="%s" component="%s" context="" type="%d" thread="%d" file="%s">'
                % (msg, time_s, date_s, comp, typ, thread, src))
        self.items.append((text, tag))

    def raw(self, text, tag=None):
        self.items.append((text, tag))

    def render(self):
        return "".join(t + CRLF for t, _ in self.items)

    def size(self):
        return sum(len(t.encode("utf-8")) + 2 for t, _ in self.items)


class Comp:
    """A component writing from one thread: c('msg') appends a record."""

    def __init__(self, log, name, thread, srcs):
        self.log, self.name, self.thread = log, name, thread
        self.srcs = srcs if isinstance(srcs, list) else [srcs]

    def __call__(self, msg, typ=1, dt=None, src=None, tag=None):
        if src is None:
            src = self.srcs[self.log.rng.randrange(len(self.srcs))]
        self.log.rec(msg, self.name, self.thread, src, typ, dt, tag)


# ---------------------------------------------------------------------------
# Task-sequence session: the TSManager engine and its step vocabulary
# ---------------------------------------------------------------------------
class Session:
    def __init__(self, log, mp="MP01.corp.contoso.com", standalone=False, winpe=True,
                 arch="x64", site="PS1", bin_dir=None):
        self.log = log
        self.mp = mp
        self.standalone = standalone
        self.winpe = winpe
        self.arch = arch
        self.site = site
        self.next_thread = 1100 + log.rng.randrange(0, 400) * 4
        self.tm = None
        self.stack = ""
        self.group_stack = []
        self.data = "X:\\_SMSTaskSequence" if winpe else "C:\\_SMSTaskSequence"
        self.logpath = "X:\\WINDOWS\\TEMP\\SMSTSLog" if winpe else "C:\\_SMSTaskSequence\\Logs\\Smstslog"
        self.bin = bin_dir or ("X:\\sms\\bin\\%s" % arch if winpe else "C:\\WINDOWS\\CCM")

    def thread(self):
        self.next_thread += 4 * self.log.rng.randint(1, 60)
        return self.next_thread

    def comp(self, name, srcs, thread=None):
        return Comp(self.log, name, thread or self.thread(), srcs)

    # --- TSManager ---------------------------------------------------------
    def start_manager(self, resume=False, cmdline=None):
        self.tm = self.comp("TSManager", ["tsmanager.cpp:1009"])
        tm = self.tm
        tm("Successfully intialized Logging for TS Manager.", src="tsmanager.cpp:1009")
        tm("Commandline: %s" % (cmdline or ('"%s\\TsManager.exe"' % self.bin)), src="tsmanager.cpp:102")
        tm("**************************************************", src="tsmanager.cpp:125")
        if self.standalone:
            tm("TSManager executing in non SMS, standalone mode", src="tsmanager.cpp:126")
        else:
            tm("TSManager executing in SMS mode", src="tsmanager.cpp:126")
        tm("Successfully registered Task Sequencing COM Interface.", src="environmentlib.cpp:871")
        tm("Executing as a standalone exe" if self.winpe else "Executing as a service", src="tsmanager.cpp:1027")
        tm("UEFI: true", src="tsmanager.cpp:1484")
        if resume:
            tm("Resuming Task Sequence", src="tsmanager.cpp:1213")
            tm("Loading the Task Sequencing Environment from \"%s\\TSEnv.dat\"." % self.data, src="environmentlib.cpp:437")
        tm("Initializing TS Environment", src="tsmanager.cpp:1356")
        tm("Parsing task sequence . . .", src="tsmanager.cpp:1402")
        tm("Task sequence schema version is 3.10", src="sequenceparser.cpp:112")
        tm("Current supported schema version is 3.10 and 3.00", src="sequenceparser.cpp:126")
        tm("Starting Task Sequence Engine . . . ", src="tsmanager.cpp:1446")
        tm(STARS, src="tsmanager.cpp:1447")
        if not resume:
            for v in ("_SMSTSNextInstructionPointer=0", "_SMSTSInstructionTableSize=%d" % self.table_size,
                      "SMSTSRebootRequested=", "SMSTSRebootMessage=", "SMSTSRebootReason=", "SMSTSRetryRequested="):
                tm("Set a global environment variable %s" % v, src="executionenv.cxx:668")
        tm("The task execution engine started execution", src="engine.cxx:214")
        self.status("SMS_TSExecution_StartedInfo" if not resume else "SMS_TSExecution_ResumedInfo")

    table_size = 60

    def status(self, what="SMS_TSExecution_ActionCompleteInfo"):
        tm = self.tm
        if self.standalone:
            tm("Executing in non SMS standalone mode. Ignoring send a task execution status message request",
               src="utils.cpp:4916")
            return
        tm("Sending status message . . .", src="utils.cpp:5037")
        tm("Send a task execution status message %s" % what, src="utils.cpp:5064")
        tm("MP server http://%s. Ports 80,443. CRL=false." % self.mp, src="utils.cpp:5380")
        tm("Setting authenticator", src="utils.cpp:5402")
        tm("Set authenticator in transport", src="libsmsmessaging.cpp:7734")
        tm("Sending StatusMessage", src="libsmsmessaging.cpp:4123")
        tm("Setting message signatures.", src="libsmsmessaging.cpp:1295")
        tm("Setting the authenticator.", src="libsmsmessaging.cpp:1325")
        tm("CLibSMSMessageWinHttpTransport::Send: URL: %s:80  CCM_POST /ccm_system/request" % self.mp,
           src="libsmsmessaging.cpp:8604", dt=self.log.rng.randint(2, 12))
        tm("Request was successful.", src="libsmsmessaging.cpp:8940", dt=self.log.rng.randint(30, 140))

    def env(self, var, value, ts_too=False):
        self.tm("Set a global environment variable %s=%s" % (var, value), src="executionenv.cxx:668")
        if ts_too:
            self.tm("Set a TS execution environment variable %s=%s" % (var, value), src="executionenv.cxx:386")

    def begin(self, ip, name, local=(), dt=None):
        tm = self.tm
        tm("Set a global environment variable _SMSTSLastActionRetryCount=0", src="executionenv.cxx:668",
           dt=dt if dt is not None else self.log.rng.randint(8, 40))
        tm("Start executing an instruction. Instruction name: %s. Instruction pointer: %d" % (name, ip),
           src="engine.cxx:126")
        self.env("_SMSTSCurrentActionName", name)
        self.env("_SMSTSNextInstructionPointer", ip)
        for v in local:
            tm("Set a local default variable %s" % v, src="executionenv.cxx:702")
        self.env("_SMSTSLogPath", self.logpath)

    def condition(self, var, op, value, kind="action", name="", result=True):
        tm = self.tm
        tm("Evaluating an AND expression", src="sequenceparser.cpp:305")
        tm("Evaluating a variable condition expression", src="sequenceparser.cpp:331")
        tm("Expand a string: %s" % op, src="executionenv.cxx:782")
        tm("Expand a string: %s" % var, src="executionenv.cxx:782")
        tm("Expand a string: %s" % value, src="executionenv.cxx:782")
        if result:
            tm("The condition for the %s (%s) is evaluated to be true" % (kind, name), src="engine.cxx:563")

    def housekeeping(self, next_ip):
        tm = self.tm
        tm("Expand a string: %_SMSTSMDataPath%\\Logs", src="executionenv.cxx:782")
        tm("Clear local default environment", src="executionenv.cxx:809")
        tm("Updated security on object %s." % self.data, src="utils.cpp:1967")
        self.env("_SMSTSNextInstructionPointer", next_ip, ts_too=True)
        self.env("_SMSTSInstructionStackString", self.stack, ts_too=True)
        tm("Save the current environment block", src="executionenv.cxx:830")

    def group_start(self, ip, name, cond=None):
        self.begin(ip, name)
        if cond:
            self.condition(cond[0], cond[1], cond[2], "group", name)
        self.tm("The group (%s) has been successfully started" % name, src="engine.cxx:1132")
        self.status("SMS_TSExecution_GroupStartInfo")
        self.group_stack.append(str(ip))
        self.stack = " ".join(self.group_stack)
        self.housekeeping(ip + 1)

    def group_end(self, ip, name, next_ip):
        self.begin(ip, name)
        self.tm("The group (%s) has been successfully completed" % name, src="engine.cxx:1154")
        self.status("SMS_TSExecution_GroupCompleteInfo")
        self.group_stack.pop()
        self.stack = " ".join(self.group_stack)
        self.housekeeping(next_ip)

    def group_skip(self, ip, name, cond):
        self.begin(ip, name)
        self.condition(cond[0], cond[1], cond[2], "group", name, result=False)
        self.tm("The group (%s) has been skipped because the condition is evaluated to be false" % name,
                src="engine.cxx:1100")
        self.status("SMS_TSExecution_ActionSkippedInfo")
        self.tm("Execution of the instruction (%s) has been skipped" % name, src="engine.cxx:306")

    def skip(self, ip, name, cond, local=()):
        self.begin(ip, name, local)
        self.condition(cond[0], cond[1], cond[2], "action", name, result=False)
        self.tm("The action (%s) has been skipped because the condition is evaluated to be false" % name,
                src="engine.cxx:350")
        self.status("SMS_TSExecution_ActionSkippedInfo")
        self.tm("Clear local default environment", src="executionenv.cxx:809")
        self.tm("Execution of the instruction (%s) has been skipped" % name, src="engine.cxx:306")

    def command(self, cmdline, phase="WinPEandFullOS"):
        tm = self.tm
        tm("Expand a string: %s" % cmdline, src="executionenv.cxx:782")
        tm("Expand a string: ", src="executionenv.cxx:782")
        tm("Set command line: %s" % cmdline, src="commandline.cpp:711")
        tm("Start executing the command line: %s" % cmdline, src="instruction.cxx:3018")
        tm(SEP, src="instruction.cxx:3108")
        tm("Expand a string: %s" % phase, src="executionenv.cxx:782")
        tm("Executing command line: %s" % cmdline, src="commandline.cpp:827")

    def finish_ok(self, name, next_ip, exit_code=0, dt=None):
        tm = self.tm
        tm("Process completed with exit code %d" % exit_code, src="commandline.cpp:1123",
           dt=dt if dt is not None else self.log.rng.randint(5, 60))
        tm(SEP, src="instruction.cxx:3210")
        tm("Successfully completed the action (%s) with the exit win32 code %d" % (name, exit_code),
           src="instruction.cxx:3252")
        self.status()
        self.env("_SMSTSLastActionRetCode", exit_code)
        self.env("_SMSTSLastActionName", name)
        self.env("_SMSTSLastActionSucceeded", "true")
        self.housekeeping(next_ip)

    def finish_fail(self, name, code, text, exit_value=None, prog=True, tag=None, source="Windows", lead=None):
        """Logs the failure of an action.  code: the HRESULT/Win32 code of the action."""
        tm = self.tm
        exit_value = u32(code) if exit_value is None else exit_value
        tm("Process completed with exit code %d" % exit_value, src="commandline.cpp:1123",
           dt=self.log.rng.randint(5, 60))
        tm(SEP, src="instruction.cxx:3210")
        lead_default = ("Failed to run the action: %s. This is usually caused by a problem with the program. "
                "Please check the Microsoft Knowledge Base to determine the cause." % name) if prog \
            else "Failed to run the action: %s." % name
        lead = lead or lead_default
        tm("%s\n%s (Error: %08X; Source: %s)" % (lead, text, u32(code), source), typ=3,
           src="instruction.cxx:3274", tag=tag)
        self.status("SMS_TSExecution_ActionFailError")
        self.env("_SMSTSLastActionRetCode", s32(code))
        self.env("_SMSTSLastActionName", name)
        self.env("_SMSTSLastActionSucceeded", "false")
        tm("Clear local default environment", src="executionenv.cxx:809")

    def abort(self, name, code, text, groups, run_code, ts_name="Windows 11 24H2 Enterprise x64"):
        """Engine teardown after a failed action (no continue-on-error)."""
        tm = self.tm
        for g in groups:
            tm("The execution of the group (%s) has failed and the execution has been aborted. An action failed.\n"
               "Operation aborted (Error: 80004004; Source: Windows)" % g, typ=3, src="engine.cxx:1364")
            self.status("SMS_TSExecution_GroupFailError")
        tm("Failed to run the last action: %s. Execution of task sequence failed.\n%s (Error: %08X; Source: Windows)"
           % (name, text, u32(code)), typ=3, src="engine.cxx:273")
        self.status("SMS_TSExecution_TaskSequenceFailError")
        tm("Execution engine result code: Failed (1)", src="engine.cxx:283")
        tm("Task Sequence Engine failed! Code: enExecutionFail", typ=3, src="tsmanager.cpp:1473")
        tm(STARS, src="tsmanager.cpp:1474")
        tm("Task sequence execution failed with error code %08X" % u32(run_code), typ=3, src="tsmanager.cpp:1530")
        tm("Task Sequence: %s has failed with the error code (0x%08X). For more information, please contact your "
           "system administrator or helpdesk operator." % (ts_name, u32(code)), typ=3, src="tsmanager.cpp:1541")
        self.cleanup(ok=False)

    def cleanup(self, ok):
        tm = self.tm
        tm("Cleaning Up.", src="tsmanager.cpp:1550", dt=self.log.rng.randint(200, 900))
        tm("Removing Authenticator", src="tsmanager.cpp:1563")
        tm("Cleaning up task sequence folder", src="utils.cpp:1787")
        tm("Successfully unregistered Task Sequencing Environment COM Interface.", src="environmentlib.cpp:1009")
        ui = "%s\\TsProgressUI.exe" % self.bin
        tm("Executing command line: \"%s\" /Unregister" % ui, src="commandline.cpp:827")
        pu = self.comp("TsProgressUI", ["winmain.cpp:330"])
        pu("==========[ TsProgressUI started in process %d ]==========" % (self.thread() - 4), src="winmain.cpp:330")
        pu("Unregistering COM classes", src="winmain.cpp:204")
        pu("Shutdown complete.", src="winmain.cpp:512")
        tm("Process completed with exit code 0", src="commandline.cpp:1123")
        tm("Successfully unregistered TS Progress UI.", src="utils.cpp:3305")
        tm("Start to cleanup TS policy", src="tsmanager.cpp:1646")
        tm("End TS policy cleanup", src="tsmanager.cpp:1702")
        tm("Task Sequence Manager (TSManager) has completed execution.", src="tsmanager.cpp:1584")


class Runner:
    """Walks a task sequence: keeps the instruction pointer and the group stack."""

    def __init__(self, s):
        self.s = s
        self.ip = 0
        self.groups = []

    def group(self, name, cond=None):
        self.s.group_start(self.ip, name, cond)
        self.groups.append(name)
        self.ip += 1

    def end(self):
        name = self.groups.pop()
        self.s.group_end(self.ip, name, self.ip + 1)
        self.ip += 1

    def skip_group(self, name, cond, size):
        self.s.group_skip(self.ip, name, cond)
        self.ip += size + 2

    def skip(self, name, cond, local=()):
        self.s.skip(self.ip, name, cond, local)
        self.ip += 1

    def step(self, name, fn, **kw):
        fn(self.s, self.ip, name, **kw)
        self.ip += 1


# ---------------------------------------------------------------------------
# WinPE start-up (TSBootShell, TSPxe, TSMBootstrap) and policy retrieval
# ---------------------------------------------------------------------------
def guid(rng):
    h = "%032X" % rng.getrandbits(128)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def winpe_boot(s, media="pxe", nic=("Intel(R) Ethernet Connection (17) I219-LM", "10.40.12.87"),
               osver="10.0.26100.1", boot_pkg="PS100004", client_ver="5.00.9132.1011"):
    L = s.log
    bs = s.comp("TSBootShell", ["bootshell.cpp:1075"])
    bs("========================= [ TSBootShell.exe ] =========================", src="bootshell.cpp:1075")
    bs("Succeeded loading resource DLL 'X:\\sms\\bin\\%s\\1033\\TSRES.DLL'" % s.arch, src="resourceutils.cpp:153")
    bs("Debug shell is enabled", src="bootshell.cpp:1087")
    bs("Waiting for PNP initialization...", src="bootshell.cpp:1112")
    if media == "pxe":
        bs("RAM Disk Boot Path: NET(0)\\SMSIMAGES\\%s\\BOOT.%s.WIM" % (boot_pkg, boot_pkg), src="configpath.cpp:322", dt=4180)
        bs("Booted from network (PXE)", src="configpath.cpp:337")
        bs("Network(PXE) path: X:\\sms\\data\\", src="configpath.cpp:357")
        bs("Found config path X:\\sms\\data\\", src="configpath.cpp:371")
    else:
        bs("RAM Disk Boot Path: MULTI(0)DISK(0)RDISK(1)PARTITION(1)\\SOURCES\\BOOT.WIM", src="configpath.cpp:322", dt=3920)
        bs("Booted from removable device", src="configpath.cpp:345")
        bs("Found config path D:\\", src="configpath.cpp:371")
    bs("Booting from %s" % ("X:\\sms\\data\\" if media == "pxe" else "D:\\"), src="bootshell.cpp:1148")
    bs("Executing command line: wpeinit.exe -winpe", src="bootshell.cpp:616")
    bs("The command completed successfully.", src="bootshell.cpp:699", dt=L.rng.randint(9000, 16000))
    bs("Starting DNS client service.", src="bootshell.cpp:674")
    cfg = "X:\\sms\\data\\" if media == "pxe" else "D:\\"
    bs("Executing command line: X:\\sms\\bin\\%s\\TsmBootstrap.exe /env:WinPE /configpath:%s" % (s.arch, cfg),
       src="bootshell.cpp:616", dt=600)
    bs("The command completed successfully.", src="bootshell.cpp:699")
    tb = s.comp("TSMBootstrap", ["tsmbootstrap.cpp:1211"])
    tb("==============================[ TSMBootStrap.exe ]==============================", src="tsmbootstrap.cpp:1230")
    tb("Command line: X:\\sms\\bin\\%s\\TsmBootstrap.exe /env:WinPE /configpath:%s" % (s.arch, cfg), typ=0,
       src="tsmbootstrap.cpp:1231")
    tb("Current OS version is %s" % osver, src="util.cpp:3618")
    tb("Logging successfully initialized.", src="tsmbootstrap.cpp:1267")
    tb("Resource DLL loaded: X:\\sms\\bin\\%s\\1033\\TSRES.DLL" % s.arch, src="resourceutils.cpp:153")
    tb("Client version %s" % client_ver, src="tsmbootstrap.cpp:1282")
    tb("Adding SMS bin folder \"X:\\sms\\bin\\%s\" to the system environment PATH" % s.arch, src="tsmbootstrap.cpp:1041")
    tb("Loading Media Variables from \"%svariables.dat\"" % cfg, src="tsmediawizardcontrol.cpp:2903")
    if media == "pxe":
        px = s.comp("TSPxe", ["tspxe.cpp:301"])
        px("PXE Boot with Root = X:\\", src="tspxe.cpp:192")
        px("Executing PXE boot for %s" % boot_pkg, src="tspxe.cpp:205")
        px("Downloading file /SMSTemp/%s.{%s}.boot.var" % (L.t.strftime("%Y.%m.%d.%H.%M.%S.0001"), guid(L.rng)),
           src="tspxe.cpp:298")
        px("Successfully downloaded pxe variable file.", src="tspxe.cpp:358", dt=420)
        px("Loading Media Variables from \"X:\\sms\\data\\variables.dat\"", src="tspxe.cpp:402")
        px("Succesfully read media variables.", src="tspxe.cpp:417")
    if nic:
        tb("Found network adapter \"%s\" with IP Address %s." % nic, typ=0, src="tsmbootstraputil.cpp:588", dt=300)
    tb("Executing command line: \"X:\\sms\\bin\\%s\\TsProgressUI.exe\" /Register:WinPE" % s.arch, src="commandline.cpp:827")
    pu = s.comp("TsProgressUI", ["winmain.cpp:330"])
    pu("==========[ TsProgressUI started in process %d ]==========" % (pu.thread - 4), src="winmain.cpp:330")
    pu("Registering COM classes", src="winmain.cpp:187")
    pu("sbModulePath = X:\\sms\\bin\\%s\\TsProgressUI.exe" % s.arch, src="tsprogressuiclass.cpp:625")
    pu("Shutdown complete.", src="winmain.cpp:512")
    tb("Process completed with exit code 0", src="commandline.cpp:1123")
    tb("Successfully registered TS Progress UI.", src="utils.cpp:3240")
    s.bs_main, s.tb_main = bs, tb
    return bs, tb


def identity_and_policy(s, tb, media="pxe", unknown=True, ts_id="PS100021", ts_name="Windows 11 24H2 Enterprise x64",
                        big_policy=None):
    """Time sync, client identity, policy download (a successful run of the wizard)."""
    L = s.log
    mp = s.mp
    tb("Media type: %s" % ("PXE" if media == "pxe" else "BootMedia"), src="tsmediawizardcontrol.cpp:2947")
    tb("Getting MP time information", src="tsmediawizardcontrol.cpp:2108")
    tb("CLibSMSMessageWinHttpTransport::Send: URL: %s:80  GET /SMS_MP/.sms_aut?MPKEYINFORMATIONMEDIA" % mp,
       src="libsmsmessaging.cpp:8604")
    tb("Request was successful.", src="libsmsmessaging.cpp:8940", dt=180)
    tb("Requesting client identity", src="tsmediawizardcontrol.cpp:1053")
    tb("Setting message signatures.", src="libsmsmessaging.cpp:1295")
    tb("Setting the authenticator.", src="libsmsmessaging.cpp:1325")
    tb("CLibSMSMessageWinHttpTransport::Send: URL: %s:80  CCM_POST /ccm_system/request" % mp, src="libsmsmessaging.cpp:8604")
    tb("Request was successful.", src="libsmsmessaging.cpp:8940", dt=240)
    tb("Decompressing reply body.", src="libsmsmessaging.cpp:4918")
    tb("::DecompressBuffer(65536)", src="libcompress.cpp:71")
    tb("Decompression (zlib) succeeded: original size %d, uncompressed size %d." % (L.rng.randint(420, 560), L.rng.randint(2400, 2700)),
       src="libcompress.cpp:210")
    cid = guid(L.rng)
    tb("Client Identity: GUID:%s" % cid, src="libsmsmessaging.cpp:5245")
    tb("Getting policy for client, unknown=%s" % ("true" if unknown else "false"), src="tsmediawizardcontrol.cpp:1116")
    tb("CLibSMSMessageWinHttpTransport::Send: URL: %s:80  CCM_POST /ccm_system/request" % mp, src="libsmsmessaging.cpp:8604")
    tb("Request was successful.", src="libsmsmessaging.cpp:8940", dt=310)
    tb("Decompressing reply body.", src="libsmsmessaging.cpp:4918")
    tb("::DecompressBuffer(65536)", src="libcompress.cpp:71")
    tb("Decompression (zlib) succeeded: original size 1732, uncompressed size 9264.", src="libcompress.cpp:210")
    for pol in ("CCM_Policy_Policy5.PolicyID=\"{%s}\"" % guid(L.rng), "NAAConfig CCM_NetworkAccessAccount",
                "ClientAgentConfig", "SoftwareDistributionClientConfig"):
        tb("Downloading policy %s" % pol, src="tspolicy.cpp:974")
        tb("Parsing Policy Body.", src="tspolicy.cpp:1164")
    tb("Found 3 task sequence deployments for this computer", src="tsmediawizardcontrol.cpp:1602")
    if big_policy:
        tb("Policy body for %s: %s" % (ts_id, big_policy), src="tspolicy.cpp:1203")
    tb("Selected task sequence %s (%s)" % (ts_id, ts_name), src="tsmediawizardcontrol.cpp:1688")
    tb("Resolving task sequence dependencies", src="tsmediaresolveprogresspage.cpp:215")
    return cid


def resolve_ok(s, tb, pkgs):
    for p in pkgs:
        tb("Getting content locations for package %s" % p, src="tspolicy.cpp:2291")
        tb("CLibSMSMessageWinHttpTransport::Send: URL: %s:80  CCM_POST /ccm_system/request" % s.mp, src="libsmsmessaging.cpp:8604")
        tb("Request was successful.", src="libsmsmessaging.cpp:8940", dt=s.log.rng.randint(40, 160))
        tb("Content location request for %s:%d succeeded" % (p, s.log.rng.randint(1, 9)), src="tspolicy.cpp:2417")
    tb("Successfully resolved task sequence dependencies", src="tsmediaresolveprogresspage.cpp:402")


def launch_manager(s, tb):
    tb("Starting Task Sequence Manager.", src="tsmbootstrap.cpp:725")
    tb("Executing command line: \"TsManager.exe\"", src="commandline.cpp:827")


def policy_xml(rng, target=51200):
    """A task-sequence policy body on one line (about `target` bytes)."""
    parts = ['<?xml version="1.0" encoding="UTF-16"?><Policy PolicyID="PS120031-PS100021-6F6BCC28" PolicyVersion="7" '
             'PolicySource="SMS:PS1" PolicyRuleID="{%s}"><PolicyAction PolicyActionType="WMI-XML"><![CDATA['
             '<instance class="CCM_TaskSequence"><property name="TS_Sequence" type="8"><value><![CDATA['
             '<sequence version="3.10">' % guid(rng)]
    n = 0
    while sum(len(p) for p in parts) < target - 400:
        n += 1
        parts.append('<step type="SMS_TaskSequence_RunCommandLineAction" name="Step %03d" description="" '
                     'runIn="WinPEandFullOS" successCodeList="0 3010" retryCount="0" runFromNet="false">'
                     '<defaultVarList><variable name="CommandLine" property="CommandLine">cmd.exe /c echo %03d'
                     '</variable><variable name="SMSTSDisableWow64Redirection" property="DisableWow64Redirection">'
                     'false</variable><variable name="_SMSTSRunCommandLineAsUser" property="RunAsUser">false</variable>'
                     '<variable name="PackageID" property="PackageID">PS1%05X</variable></defaultVarList>'
                     '<action>smsswd.exe /run: cmd.exe /c echo %03d</action></step>' % (n, n, rng.randrange(16 ** 5), n))
    parts.append('</sequence>]]></value></property></instance>]]></PolicyAction></Policy>')
    return "".join(parts)


# ---------------------------------------------------------------------------
# Step vocabulary: each builds one action (TSManager lines + its child process)
# ---------------------------------------------------------------------------
def banner(c, exe, cmdline, src="main.cpp:112"):
    c("==============================[ %s ]==============================" % exe, src=src)
    c("Command line: %s" % cmdline, typ=0, src=src)


def st_generic(s, ip, name, cmd, comp=None, srcs="main.cpp:200", lines=(), exit_code=0, local=(), cond=None,
               phase="WinPEandFullOS", exe=None):
    """A successful action: lines are (msg, dt) or (msg, dt, type) tuples from the child process."""
    s.begin(ip, name, local)
    if cond:
        s.condition(cond[0], cond[1], cond[2], "action", name)
    s.command(cmd, phase)
    if comp:
        c = s.comp(comp, srcs)
        if exe:
            banner(c, exe, cmd)
        for ln in lines:
            msg, dt = ln[0], ln[1]
            typ = ln[2] if len(ln) > 2 else 1
            c(msg, dt=dt, typ=typ)
    s.finish_ok(name, ip + 1, exit_code)


PART_VARS = ["OSDDiskIndex", "OSDPartitions0Type", "OSDPartitions0FileSystem", "OSDPartitions0Bootable",
             "OSDPartitions0QuickFormat", "OSDPartitions0VolumeName", "OSDPartitions0Size", "OSDPartitions0SizeUnits",
             "OSDPartitions0VolumeLetterVariable", "OSDPartitions1Type", "OSDPartitions1FileSystem",
             "OSDPartitions1QuickFormat", "OSDPartitions1Size", "OSDPartitions1SizeUnits",
             "OSDPartitions2Type", "OSDPartitions2FileSystem", "OSDPartitions2QuickFormat", "OSDPartitions2VolumeName",
             "OSDPartitions2Size", "OSDPartitions2SizeUnits", "OSDPartitions2VolumeLetterVariable",
             "OSDPartitions3Type", "OSDPartitions3FileSystem", "OSDPartitions3VolumeName", "OSDPartitions3Size",
             "OSDPartitions3SizeUnits", "OSDPartitions", "OSDPartitionStyle"]


def st_partition(s, ip, name, cond=("_SMSTSBootUEFI", "equals", "true"), disk_gb=476):
    L = s.log
    s.begin(ip, name, PART_VARS)
    s.condition(cond[0], cond[1], cond[2], "action", name)
    s.command("osddiskpart.exe")
    c = s.comp("OSDDiskPart", ["main.cpp:1016", "diskpart.cpp:422"])
    banner(c, "OSDDiskPart.exe", "osddiskpart.exe")
    c("Reading partition size info for partition 0", dt=20)
    c("Reading partition size info for partition 1")
    c("Reading partition size info for partition 2")
    c("Reading partition size info for partition 3")
    c("Disk 0 size: %d bytes (%d GB), sector size 512, partition style GPT" % (disk_gb * 1073741824, disk_gb), dt=140)
    c("Cleaning disk 0", dt=60)
    c("Successfully cleaned disk 0", dt=L.rng.randint(1500, 2600))
    c("Creating partition 'EFI' (EFI, FAT32, 499 MB); variable TSUEFIDrive", dt=40)
    c("Creating partition 'MSR' (MSR, 128 MB)", dt=220)
    c("Creating partition 'Windows' (Primary, NTFS, 99% of remaining space); variable OSDisk", dt=230)
    c("Creating partition 'Recovery' (Recovery, NTFS, 984 MB)", dt=260)
    for vol, fs, letter in (("EFI", "FAT32", "S:"), ("Windows", "NTFS", "C:"), ("Recovery", "NTFS", "R:")):
        c("Formatting volume %s (%s) as %s, quick format" % (letter, vol, fs), dt=80)
        c("Successfully formatted %s" % letter, dt=L.rng.randint(900, 3200))
    c("Set variable TSUEFIDrive=S:", dt=10)
    c("Set variable OSDisk=C:")
    c("Successfully partitioned disk 0", dt=30)
    c("Exiting with return code 0x00000000")
    s.finish_ok(name, ip + 1)


def download_lines(c, L, pkg, files, total_mb, dp="DP01.corp.contoso.com", secs=None):
    c("Resolving source for package %s" % pkg, dt=20)
    c("Getting content locations for package %s" % pkg)
    c("Content location request for %s:%d succeeded" % (pkg, L.rng.randint(1, 7)), dt=L.rng.randint(80, 220))
    c("Found %d content locations for %s" % (2, pkg))
    c("Download content from http://%s/SMS_DP_SMSPKG$/%s" % (dp, pkg))
    secs = secs or max(2, total_mb // 90)
    for f in files:
        c("Downloading file /%s/%s" % (pkg, f), dt=40)
    step = max(1, int(secs * 1000 / 10))
    for pct in range(10, 101, 10):
        c("Download progress %d%% (%d MB of %d MB)" % (pct, total_mb * pct // 100, total_mb), dt=step)
    c("Download done setting progress bar to 100", dt=5)
    c("VerifyContentHash: Hash algorithm is 32780", dt=L.rng.randint(800, 2600))
    c("Content successfully downloaded at C:\\_SMSTaskSequence\\Packages\\%s" % pkg, dt=20)


def st_applyos(s, ip, name, pkg="PS100012", index=3, mb=4987, secs=330, cfg="PS100031"):
    L = s.log
    s.begin(ip, name, ["OSDImagePackageId", "OSDImageIndex", "OSDConfigFileName", "OSDTargetSystemDrive",
                       "OSDWipeDestinationPartition", "OSDDataImageIndex"])
    cmd = "OSDApplyOS.exe /image:%s,%d /config:%s,Unattend.xml /target:%%OSDisk%% /runfromnet:False" % (pkg, index, cfg)
    s.command(cmd, "WinPE")
    c = s.comp("ApplyOperatingSystem", ["applyos.cpp:1304", "installimage.cpp:904", "resolvesource.cpp:2916"])
    banner(c, "OSDApplyOS.exe", cmd.replace("%OSDisk%", "C:"), src="applyos.cpp:1245")
    c("ApplyOSRetry: ", dt=10)
    c("Initialization of applyos complete", dt=15)
    download_lines(c, L, pkg, ["install.wim", "install.wim.ref"], mb)
    c("Opening image file C:\\_SMSTaskSequence\\Packages\\%s\\install.wim" % pkg, dt=60)
    c("Applying image %d to volume C:" % index, dt=240)
    for pct in range(5, 101, 5):
        c("Applying image: %d%%" % pct, dt=int(secs * 1000 / 20) + L.rng.randint(-900, 900))
    c("Image successfully applied", dt=80)
    c("Closing image file C:\\_SMSTaskSequence\\Packages\\%s\\install.wim" % pkg, dt=10)
    c("Searching for OS installations on C:", dt=40)
    c("Found Windows installation: C:\\WINDOWS (10.0.26100.2894)", dt=220)
    c("Setting %SystemRoot% to \"C:\\WINDOWS\"")
    c("Copying unattend file from C:\\_SMSTaskSequence\\Packages\\%s\\Unattend.xml to C:\\WINDOWS\\panther\\unattend\\unattend.xml" % cfg, dt=90)
    c("Updating the boot configuration for C:\\WINDOWS", dt=60)
    c("Executing command line: \"bcdboot.exe\" C:\\WINDOWS /s S: /f UEFI", dt=20)
    c("Process completed with exit code 0", dt=2400)
    c("Successfully applied image %s index %d" % (pkg, index), dt=20)
    c("Exiting with return code 0x00000000")
    s.finish_ok(name, ip + 1)


def st_winsettings(s, ip, name):
    L = s.log
    s.begin(ip, name, ["OSDComputerName", "OSDTimeZone", "OSDRegisteredUserName", "OSDRegisteredOrgName",
                       "OSDProductKey", "OSDLocalAdminPassword", "OSDRandomAdminPassword"])
    s.command("osdwinsettings.exe /config", "WinPE")
    c = s.comp("OSDWinSettings", ["main.cpp:219", "winsettings.cpp:540"])
    banner(c, "OSDWinSettings.exe", "osdwinsettings.exe /config")
    for msg in ("Configuring Windows settings", "Computer name: WKS-4F7A21", "Time zone: W. Europe Standard Time",
                "Registered user: IT Department", "Registered organization: Contoso Ltd",
                "Local administrator account is set to a random password", "Writing settings to the answer file",
                "Wrote C:\\WINDOWS\\panther\\unattend\\unattend.xml", "Successfully configured Windows settings",
                "Exiting with return code 0x00000000"):
        c(msg, dt=L.rng.randint(2, 60))
    s.finish_ok(name, ip + 1)


def st_netsettings(s, ip, name, domain="corp.contoso.com", ou="OU=Workstations,OU=Contoso,DC=corp,DC=contoso,DC=com"):
    L = s.log
    s.begin(ip, name, ["OSDDomainName", "OSDDomainOUName", "OSDJoinAccount", "OSDJoinPassword", "OSDNetworkJoinType",
                       "OSDAdapterCount", "OSDEnableTCPIPFiltering", "OSDDNSSuffixSearchOrder"])
    s.command("osdnetsettings.exe configure", "WinPE")
    c = s.comp("OSDNetSettings", ["main.cpp:182", "netsettings.cpp:614"])
    banner(c, "OSDNetSettings.exe", "osdnetsettings.exe configure")
    for msg in ("Configuring network settings", "Adapter count: 0 (DHCP on all adapters)",
                "Join type: domain", "Domain: %s" % domain, "Organizational unit: %s" % ou,
                "Join account: CORP\\svc-osdjoin", "Writing network settings to the answer file",
                "Successfully configured network settings", "Exiting with return code 0x00000000"):
        c(msg, dt=L.rng.randint(2, 40))
    s.finish_ok(name, ip + 1)


DEVICES = [("Intel(R) Ethernet Connection (17) I219-LM", "PCI\\VEN_8086&DEV_1A1C&SUBSYS_0B9A1028", "e1d.inf"),
           ("Intel(R) Wi-Fi 6E AX211 160MHz", "PCI\\VEN_8086&DEV_51F1&SUBSYS_00941462", "netwtw6e.inf"),
           ("Intel(R) Iris(R) Xe Graphics", "PCI\\VEN_8086&DEV_A7A0&SUBSYS_0B9A1028", "iigd_dch.inf"),
           ("Realtek Audio", "HDAUDIO\\FUNC_01&VEN_10EC&DEV_0257&SUBSYS_10280B9A", "hdxrt.inf"),
           ("Intel(R) Serial IO I2C Host Controller - 51E8", "PCI\\VEN_8086&DEV_51E8&SUBSYS_0B9A1028", "ialpss2_i2c_adl.inf"),
           ("Intel(R) Serial IO GPIO Host Controller - INTC1056", "ACPI\\INTC1056", "ialpss2_gpio2_adl.inf"),
           ("Intel(R) Management Engine Interface #1", "PCI\\VEN_8086&DEV_51E0&SUBSYS_0B9A1028", "heci.inf"),
           ("Intel(R) Thunderbolt(TM) Controller - 9A1B", "PCI\\VEN_8086&DEV_9A1B&SUBSYS_0B9A1028", "tbtslimhostcontroller.inf"),
           ("Dell Touchpad", "HID\\DELL0B9A&COL01", "delltpad.inf"),
           ("Intel(R) Smart Sound Technology BUS", "PCI\\VEN_8086&DEV_51C8&SUBSYS_0B9A1028", "intcaudiobus.inf"),
           ("Intel(R) Dynamic Tuning Processor Participant", "ACPI\\INTC1041", "dptf_cpu.inf"),
           ("Realtek PCIE CardReader", "PCI\\VEN_10EC&DEV_5260&SUBSYS_0B9A1028", "rtsuer.inf"),
           ("Intel(R) Wireless Bluetooth(R)", "USB\\VID_8087&PID_0033", "ibtusb.inf"),
           ("Integrated Webcam", "USB\\VID_0C45&PID_6A1A&MI_00", "sonixcam.inf"),
           ("Intel(R) Rapid Storage Technology", "PCI\\VEN_8086&DEV_A77F&CC_0104", "iaStorVD.inf"),
           ("Dell ControlVault w/ Fingerprint Touch Sensor", "USB\\VID_0A5C&PID_5843", "cvusbdrv.inf")]


def st_autodrivers(s, ip, name):
    L = s.log
    s.begin(ip, name, ["OSDAutoApplyDriverBestMatch", "OSDAllowUnsignedDriver", "OSDAutoApplyDriverCategoryList"])
    cmd = "osddriverclient.exe /auto /bestmatch:%OSDAutoApplyDriverBestMatch% /unsigned:%OSDAllowUnsignedDriver%"
    s.command(cmd, "WinPE")
    c = s.comp("OSDDriverClient", ["osddriverclient.cpp:1412", "driverlist.cpp:311", "main.cpp:318"])
    banner(c, "OSDDriverClient.exe", "osddriverclient.exe /auto /bestmatch:1 /unsigned:0")
    c("Getting the list of devices on this computer", dt=30)
    c("Found %d devices" % (len(DEVICES) + 131), dt=900)
    c("Requesting driver catalog from %s" % s.mp, dt=20)
    c("Request was successful.", dt=460)
    for dev, hwid, inf in DEVICES:
        c("Looking for a driver for %s (%s)" % (dev, hwid), dt=L.rng.randint(10, 60))
        c("Best match: %s from driver package PS1%05X" % (inf, L.rng.randrange(0x100, 0xFFF)), dt=L.rng.randint(10, 80))
    c("%d drivers matched, %d devices have no matching driver" % (len(DEVICES), 3), dt=30)
    for dev, hwid, inf in DEVICES:
        c("Downloading driver content for %s" % inf, dt=L.rng.randint(200, 1600))
        c("Staging driver %s to C:\\_SMSTaskSequence\\drivers\\%s" % (inf, inf.split(".")[0]), dt=L.rng.randint(40, 300))
    c("Executing command line: dism.exe /image:C:\\ /windir:WINDOWS /add-driver /driver:\"C:\\_SMSTaskSequence\\drivers\" /recurse /logpath:X:\\WINDOWS\\TEMP\\SMSTSLog\\dism.log", dt=60)
    c("Process completed with exit code 0", dt=L.rng.randint(30000, 52000))
    c("Successfully installed %d drivers" % len(DEVICES), dt=20)
    c("Exiting with return code 0x00000000")
    s.finish_ok(name, ip + 1)


def st_driverpkg(s, ip, name, pkg="PS100087", cond=("Model", "equals", "Latitude 5440")):
    L = s.log
    s.begin(ip, name, ["OSDApplyDriverBootCriticalContentUniqueID", "OSDApplyDriverBootCriticalINFFile",
                       "OSDApplyDriverBootCriticalHardwareComponent", "OSDApplyDriverBootCriticalID",
                       "OSDAllowUnsignedDriver", "OSDRecurse"])
    s.condition(cond[0], cond[1], cond[2], "action", name)
    cmd = "osddriverclient.exe /install:%s /unsigned:%%OSDAllowUnsignedDriver%% /recurse:%%OSDRecurse%%" % pkg
    s.command(cmd, "WinPE")
    c = s.comp("OSDDriverClient", ["osddriverclient.cpp:1510", "main.cpp:318"])
    banner(c, "OSDDriverClient.exe", "osddriverclient.exe /install:%s /unsigned:False /recurse:True" % pkg)
    download_lines(c, L, pkg, ["Latitude5440-Win11-A07.cab"], 612, secs=9)
    c("Executing command line: dism.exe /image:C:\\ /windir:WINDOWS /add-driver /driver:\"C:\\_SMSTaskSequence\\Packages\\%s\" /recurse" % pkg, dt=40)
    c("Process completed with exit code 0", dt=L.rng.randint(40000, 70000))
    c("Successfully installed driver package %s" % pkg, dt=20)
    c("Exiting with return code 0x00000000")
    s.finish_ok(name, ip + 1)


def st_app(s, ip, name, app, ver, exit_code=0):
    L = s.log
    s.begin(ip, name, ["OSDApp0Description", "OSDApp0DisplayName", "OSDApp0Name", "OSDAppCount",
                       "ContinueOnError", "OSDAppRetryCount"])
    scope = "ScopeId_9D6D6D3F-0B9D-4A17-8F5A-0A6E3C1F2E84/Application_%s" % guid(L.rng).lower()
    cmd = "smsappinstall.exe /app:%s /basevar: /continueOnError:" % scope
    s.command(cmd, "FullOS")
    c = s.comp("InstallApplication", ["installapplication.cpp:1049", "installapplication.cpp:781", "main.cpp:246"])
    banner(c, "InstallApplication.exe", cmd)
    c("NOT running in SMS standalone mode.", dt=10)
    c("Setting TSEnvironment variable _TSAppInstallStatus=Undefined")
    c("Getting policy for application '%s' (%s)" % (app, scope), dt=40)
    c("Policy Evaluation succeeded for '%s'" % app, dt=L.rng.randint(800, 2600))
    c("Starting install of app '%s' version %s" % (app, ver), dt=30)
    c("Waiting for installation job to complete", dt=20)
    c("Received job completion notification for '%s'" % app, dt=L.rng.randint(20000, 95000))
    c("Installation job completed with exit code 0x%08X" % exit_code)
    c("Execution status received: 1 (Application successfully installed )", dt=60)
    c("App install successful.", dt=10)
    c("Setting TSEnvironment variable _TSAppInstallStatus=Success")
    c("Completed installation job.", dt=20)
    c("Exiting with return code 0x00000000")
    s.finish_ok(name, ip + 1)


def st_ps(s, ip, name, script, pkg, output, comp="InstallSoftware", exit_code=0, phase="FullOS"):
    """Run PowerShell Script / Run Command Line through smsswd.exe, with captured output (multi-line)."""
    L = s.log
    s.begin(ip, name, ["PackageID", "RunAsUser", "SMSTSRunCommandLineUserName", "SMSTSRunCommandLineUserPassword",
                       "LoadProfile", "OSDRunPowerShellScriptSourceScript", "OSDRunPowerShellScriptExecutionPolicy"])
    cmd = "smsswd.exe /run:%s powershell.exe -ExecutionPolicy Bypass -NoProfile -File .\\%s" % (pkg, script)
    s.command(cmd, phase)
    c = s.comp(comp, ["runcommandline.cpp:606", "commandline.cpp:827", "smsswd.cpp:1230"])
    c("PackageID = '%s'" % pkg, dt=20)
    c("BaseVar = '', ContinueOnError=''")
    c("ProgramName = 'powershell.exe -ExecutionPolicy Bypass -NoProfile -File .\\%s'" % script)
    c("SwdAction = '0001'")
    c("Getting content location for package %s" % pkg, dt=40)
    c("Content for %s already present at C:\\_SMSTaskSequence\\Packages\\%s" % (pkg, pkg), dt=L.rng.randint(50, 300))
    c("Working dir 'C:\\_SMSTaskSequence\\Packages\\%s'" % pkg)
    c("Executing command line: Run command line", dt=20)
    c("Process completed with exit code %d" % exit_code, dt=L.rng.randint(2000, 14000))
    if output:
        c("Command line output:\n" + "\n".join(output), dt=5)
    c("Command line returned %d" % exit_code, dt=5)
    if exit_code == 0:
        s.finish_ok(name, ip + 1)
    return c


def st_cmdline(s, ip, name, cmd, exit_code=0, dur=(300, 4000), phase="WinPEandFullOS", cond=None, out=None):
    """Run Command Line without a package: TSManager runs it directly."""
    L = s.log
    s.begin(ip, name, ["RunAsUser", "SMSTSRunCommandLineUserName", "SMSTSRunCommandLineUserPassword", "LoadProfile"])
    if cond:
        s.condition(cond[0], cond[1], cond[2], "action", name)
    s.command(cmd, phase)
    if out:
        rc = s.comp("SMSTSRunCommandLine", ["runcommandline.cpp:612"])
        rc("Command line output:\n" + "\n".join(out), dt=L.rng.randint(*dur))
        s.finish_ok(name, ip + 1, exit_code, dt=10)
    else:
        s.finish_ok(name, ip + 1, exit_code, dt=L.rng.randint(*dur))


def st_download(s, ip, name, pkg, var, mb):
    L = s.log
    s.begin(ip, name, ["OSDDownloadDownloadPackages", "OSDDownloadDestinationLocationType", "OSDDownloadDestinationVariable",
                       "OSDDownloadContinueDownloadOnError"])
    s.command("osddownloadcontent.exe", "WinPEandFullOS")
    c = s.comp("DownloadContent", ["downloadcontent.cpp:281", "resolvesource.cpp:3213"])
    banner(c, "OSDDownloadContent.exe", "osddownloadcontent.exe", src="downloadcontent.cpp:281")
    c("Downloading content for package %s" % pkg, dt=20)
    c("SMSTSPersistContent: . The content for package %s will be persisted" % pkg)
    download_lines(c, L, pkg, ["Content.cab"], mb)
    c("Set variable %s01=C:\\_SMSTaskSequence\\Packages\\%s" % (var, pkg), dt=10)
    c("Exiting with return code 0x00000000")
    s.finish_ok(name, ip + 1)


def st_updates(s, ip, name, kbs):
    L = s.log
    s.begin(ip, name, ["SMSInstallUpdateTarget", "SMSTSSoftwareUpdateScanTimeout", "SMSTSWaitForSecondReboot"])
    s.command("smsinstallupdates.exe /target:All", "FullOS")
    c = s.comp("InstallSWUpdate", ["main.cpp:227", "installswupdate.cpp:612"])
    banner(c, "InstallSWUpdate.exe", "smsinstallupdates.exe /target:All")
    c("Refreshing update policy and starting a scan", dt=30)
    c("Scan completed, %d updates applicable" % len(kbs), dt=L.rng.randint(40000, 90000))
    for kb in kbs:
        c("Installing update %s" % kb, dt=L.rng.randint(200, 900))
    return c


def st_bitlocker_prov(s, ip, name):
    L = s.log
    s.begin(ip, name, ["OSDBitLockerMode", "OSDBitLockerCreateRecoveryPassword", "OSDBitLockerStartupKeyDrive",
                       "OSDBitLockerWaitForEncryption", "OSDBitLockerUsedSpaceOnly"])
    cmd = "OSDOfflineBitlocker.exe /enable /drive:%OSDisk% /usedspaceonly:True"
    s.command(cmd, "WinPE")
    c = s.comp("OSDOfflineBitlocker", ["main.cpp:394", "offlinebitlocker.cpp:213"])
    banner(c, "OSDOfflineBitlocker.exe", cmd.replace("%OSDisk%", "C:"))
    for msg in ("Initializing BitLocker pre-provisioning", "Volume C: is not encrypted",
                "TPM is present and enabled", "Enabling BitLocker on C: (used space only)",
                "Pre-provisioning started; encryption will continue in the background",
                "Successfully enabled BitLocker pre-provisioning on C:", "Exiting with return code 0x00000000"):
        c(msg, dt=L.rng.randint(30, 1800))
    s.finish_ok(name, ip + 1)


def reboot_request(s, action, target, tb=None, bs=None):
    """The engine saves state and reboots; WinPE processes finalize their logs."""
    L = s.log
    tm = s.tm
    s.env("SMSTSRebootRequested", target)
    tm("The action (%s) initiated a reboot request" % action, src="engine.cxx:1021")
    s.status("SMS_TSExecution_RebootInfo")
    tm("Saving the environment block before reboot", src="tsmanager.cpp:1490")
    tm("Save the current environment block", src="executionenv.cxx:830")
    tm("Rebooting to %s" % ("the installed operating system" if target == "HD" else "Windows PE"), src="tsmanager.cpp:1497")
    tm("Task Sequence Manager is exiting for a reboot (0x00000000)", src="tsmanager.cpp:1584")
    if s.winpe:
        tb = tb or getattr(s, "tb_main", None) or s.comp("TSMBootstrap", ["tsmbootstrap.cpp:1211"])
        tb("Process completed with exit code 0", src="commandline.cpp:1123", dt=120)
        tb("Task Sequence Manager requested a reboot", src="tsmbootstrap.cpp:811")
        tb("Exiting with return code 0x00000000", src="tsmbootstrap.cpp:1320")
        bs = bs or getattr(s, "bs_main", None) or s.comp("TSBootShell", ["bootshell.cpp:1075"])
        bs("Execution complete.", src="bootshell.cpp:693", dt=40)
        bs("Finalizing logging from process %d" % (bs.thread + 8), src="tslogging.cpp:1741")
        bs("Finalizing logs to C:\\_SMSTaskSequence\\Logs\\Smstslog", src="tslogging.cpp:1785")
        bs("Successfully finalized logs to C:\\_SMSTaskSequence\\Logs\\Smstslog", src="tslogging.cpp:1811")
        bs("Rebooting system", src="bootshell.cpp:1395")
    else:
        tm("Successfully finalized logs to C:\\_SMSTaskSequence\\Logs\\Smstslog", src="tslogging.cpp:1811")


def to_full_os(s):
    s.winpe = False
    s.data = "C:\\_SMSTaskSequence"
    s.logpath = "C:\\_SMSTaskSequence\\Logs\\Smstslog"
    s.bin = "C:\\WINDOWS\\CCM"


def st_setupwin(s, ip, name, client_pkg="PS100002", setup_secs=420):
    """Setup Windows and ConfigMgr in WinPE, the reboot, Windows setup, client install, resume."""
    L = s.log
    s.begin(ip, name, ["SMSClientInstallProperties", "OSDSetupWindowsEnableClientCache"])
    cmd = "OSDSetupWindows.exe"
    s.command(cmd, "WinPE")
    c = s.comp("OSDSetupWindows", ["main.cpp:249", "setupwindows.cpp:934"])
    banner(c, "OSDSetupWindows.exe", cmd)
    c("Found unattend file C:\\WINDOWS\\panther\\unattend\\unattend.xml", dt=40)
    c("Copying client package %s to C:\\_SMSTaskSequence\\OSD\\%s" % (client_pkg, client_pkg), dt=30)
    c("Successfully copied the client installation files", dt=L.rng.randint(3000, 7000))
    c("Installing hook to 'C:\\WINDOWS'", dt=20)
    c("Executing command line: \"X:\\sms\\bin\\x64\\OSDSETUPHOOK.EXE\" \"/install:C:\\WINDOWS\" /version:10.0", dt=10)
    h = s.comp("OSDSetupHook", ["hook.cpp:203", "main.cpp:108"])
    banner(h, "OSDSetupHook.exe", "\"X:\\sms\\bin\\x64\\OSDSETUPHOOK.EXE\" \"/install:C:\\WINDOWS\" /version:10.0")
    h("Installing the setup hook into C:\\WINDOWS", dt=20)
    h("Copying SetupComplete.cmd to C:\\WINDOWS\\Setup\\Scripts", dt=30)
    h("Successfully installed the setup hook", dt=40)
    c("Process completed with exit code 0", dt=20)
    c("Setup hook installed successfully", dt=10)
    c("Windows Setup will complete after the reboot", dt=20)
    c("Exiting with return code 0x00000000")
    s.finish_ok(name, ip + 1)
    reboot_request(s, name, "HD")
    L.sleep(setup_secs * 1000)
    to_full_os(s)
    h = s.comp("OSDSetupHook", ["hook.cpp:203", "main.cpp:108", "tsmanagerlauncher.cpp:322"])
    banner(h, "OSDSetupHook.exe", "\"C:\\WINDOWS\\system32\\OSDSETUPHOOK.EXE\" /execute", src="main.cpp:108")
    h("Executing task sequence", dt=10)
    h("Loading the Task Sequencing Environment from \"C:\\_SMSTaskSequence\\TSEnv.dat\".", dt=40)
    h("Debug shell is enabled", dt=10)
    h("Unable to read SMS client cert from environment. Not restoring SMS client cert.", typ=2, dt=30)
    h("Configuring local administrator account", dt=120)
    h("Re-assign all drive letters...", dt=300)
    h("Installing the Configuration Manager client", dt=60)
    h("Executing command line: C:\\_SMSTaskSequence\\OSD\\%s\\ccmsetup.exe /useronly /source:C:\\_SMSTaskSequence\\OSD\\%s "
      "/config:MobileClient.TCF /status:1084 SMSSITECODE=%s" % (client_pkg, client_pkg, s.site), dt=40)
    h("Process completed with exit code 0", dt=L.rng.randint(180000, 260000))
    h("Client installed successfully", dt=10)
    h("Waiting for CcmExec service to be fully operational", dt=20)
    h("CcmExec service is up and fully operational", dt=L.rng.randint(20000, 45000))
    h("Starting Task Sequence Manager", dt=20)
    s.start_manager(resume=True, cmdline="C:\\WINDOWS\\CCM\\TsManager.exe /service")


def st_restart(s, ip, name, target="HD", down_secs=75):
    L = s.log
    s.begin(ip, name, ["SMSRebootMessage", "SMSRebootTimeout", "SMSRebootTarget"])
    cmd = "smsboot.exe /target:%s" % target
    s.command(cmd, "WinPEandFullOS")
    s.finish_ok(name, ip + 1)
    reboot_request(s, name, target)
    L.sleep(down_secs * 1000)
    s.start_manager(resume=True, cmdline="C:\\WINDOWS\\CCM\\TsManager.exe /service")


def finish_success(s):
    tm = s.tm
    tm("Execution engine result code: Success (0)", src="engine.cxx:283", dt=40)
    tm("Task sequence completed 0x00000000", src="tsmanager.cpp:1507")
    tm(STARS, src="tsmanager.cpp:1508")
    s.status("SMS_TSExecution_TaskSequenceCompleteInfo")
    tm("Uninstalling Setup Hook", src="hookutils.cpp:1044")
    tm("Removing setup hook from registry.", src="hookutils.cpp:1106")
    tm("Successfully removed C:\\WINDOWS\\system32\\OSDGINA.DLL", src="hookutils.cpp:1132")
    tm("Successfully removed C:\\WINDOWS\\system32\\OSDSETUPHOOK.EXE", src="hookutils.cpp:1132")
    tm("Successfully removed C:\\WINDOWS\\system32\\_SMSOSDSetup", src="hookutils.cpp:1132")
    tm("Successfully uninstalled Setup Hook", src="hookutils.cpp:1160")
    s.cleanup(ok=True)
    tm("Successfully finalized logs to C:\\WINDOWS\\CCM\\Logs\\SMSTSLog", src="tslogging.cpp:1811")


def success_updates(s, ip, name, kbs):
    c = st_updates(s, ip, name, kbs)
    L = s.log
    for kb in kbs:
        c("Update %s installed successfully" % kb, dt=L.rng.randint(30000, 140000))
    c("Installation of updates completed, no restart required", dt=40)
    c("Exiting with return code 0x00000000")
    s.finish_ok(name, ip + 1)


# ---------------------------------------------------------------------------
# 3. bare-metal-success.log
# ---------------------------------------------------------------------------
def build_bare_metal():
    L = Log("2026-03-10 08:12:41.206", -60, 3)
    s = Session(L)
    s.table_size = 31
    bs, tb = winpe_boot(s, "pxe")
    identity_and_policy(s, tb, big_policy=policy_xml(L.rng))
    resolve_ok(s, tb, ["PS100012", "PS100031", "PS100002", "PS100087", "PS10003C", "PS10009C", "PS1000A4"])
    launch_manager(s, tb)
    s.start_manager()
    r = Runner(s)
    r.group("Install Operating System")
    r.skip("Restart in Windows PE", ("_SMSTSInWinPE", "equals", "false"), ["SMSRebootMessage", "SMSRebootTimeout"])
    r.skip("Partition Disk 0 - BIOS", ("_SMSTSBootUEFI", "notEquals", "true"), PART_VARS[:8])
    r.step("Partition Disk 0 - UEFI", st_partition)
    r.step("Pre-provision BitLocker", st_bitlocker_prov)
    r.step("Apply Operating System", st_applyos)
    r.step("Apply Windows Settings", st_winsettings)
    r.step("Apply Network Settings", st_netsettings)
    r.group("Drivers")
    r.step("Auto Apply Drivers", st_autodrivers)
    r.step("Apply Driver Package - Latitude 5440", st_driverpkg)
    r.end()
    r.step("Write OSD Information", st_cmdline,
           cmd="cmd.exe /c reg add HKLM\\SOFTWARE\\Contoso\\OSD /v BuildDate /d 2026-03-10 /f", phase="WinPE",
           out=["The operation completed successfully.", ""])
    r.step("Setup Windows and ConfigMgr", st_setupwin)
    r.end()
    r.group("Setup Operating System")
    r.step("Install Application - Contoso VPN Client", st_app, app="Contoso VPN Client", ver="4.2.1")
    r.step("Install Application - Fabrikam Ünïcode Tööl", st_app, app="Fabrikam Ünïcode Tööl", ver="3.2")
    r.step("Install Application - Microsoft 365 Apps", st_app, app="Microsoft 365 Apps for enterprise", ver="16.0.17928")
    r.step("Run PowerShell Script - Set-CorpDefaults", st_ps, script="Set-CorpDefaults.ps1", pkg="PS10009C",
           output=["Set-CorpDefaults 1.4 starting on WKS-4F7A21",
                   "  [OK] Time zone is W. Europe Standard Time",
                   "  [OK] Power plan set to Balanced",
                   "  [OK] Start layout imported (C:\\ProgramData\\Contoso\\StartLayout.json)",
                   "  [OK] OneDrive known folder move policy set",
                   "  [SKIP] Language pack de-DE already present",
                   "Completed: 4 changes, 1 skipped, 0 errors"])
    r.step("Download Package Content - Language Packs", st_download, pkg="PS10003C", var="LangPack", mb=1830)
    r.step("Install Software Updates", success_updates, kbs=["KB5049617", "KB5050094"])
    r.step("Restart Computer", st_restart)
    r.step("Install Application - Contoso Café Suite", st_app, app="Contoso Café Suite", ver="2026.1")
    r.skip_group("Restore User State", ("USMTRestore", "equals", "True"), 2)
    r.step("Remove Temporary Files", st_cmdline, cmd="cmd.exe /c rd /s /q C:\\Temp\\OSD", phase="FullOS")
    r.end()
    finish_success(s)
    return L


# ---------------------------------------------------------------------------
# Output, read-back analysis and README
# ---------------------------------------------------------------------------
RECORD_RE = re.compile(r'<!\[LOG\[(.*?)\]LOG\]!><([^>]*)>', re.S)
ATTR_RE = re.compile(r'(\w+)="([^"]*)"')
SMSTRACE_RE = re.compile(r'^(.*?)\s*\$\$<([^>]*)><([^>]*)><thread=(\d+)', re.S)
HR_RE = re.compile(r', HRESULT=([0-9a-fA-F]{8}) \(')


class Sample:
    def __init__(self, rel, fmt, encoding, shows, finding, items=None, data=None, note=""):
        self.rel, self.fmt, self.encoding, self.shows, self.finding = rel, fmt, encoding, shows, finding
        self.items = items      # [(text, tag)] for tagged chain lookup (text as written, before encoding)
        self.data = data        # bytes to write
        self.note = note
        self.result = {}


def encode(text, encoding):
    if encoding == "utf-8":
        return text.encode("utf-8")
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if encoding == "utf-16le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    raise ValueError(encoding)


def decode(data):
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    return data.decode("utf-8", "replace")


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def messages(text, fmt):
    """[(line, message, attrs)] read back from a file's decoded text."""
    out = []
    if fmt == "cmtrace":
        for m in RECORD_RE.finditer(text):
            out.append((line_of(text, m.start()), m.group(1), dict(ATTR_RE.findall(m.group(2)))))
    elif fmt == "smstrace":
        pos = 0
        for chunk in re.finditer(r'.*?\$\$<[^>]*><[^>]*><thread=[^>]*>', text, re.S):
            body = chunk.group(0)
            start = chunk.start() + (len(body) - len(body.lstrip("\r\n")))
            mm = SMSTRACE_RE.match(body.lstrip("\r\n"))
            out.append((line_of(text, start), mm.group(1), {"component": mm.group(2), "thread": mm.group(4)}))
            pos = chunk.end()
    else:
        for i, ln in enumerate(text.split("\n")):
            out.append((i + 1, ln.rstrip("\r"), {}))
    return out


def analyse(msgs):
    """Expected diagnosis read back from the records (the rules are stated in README.md)."""
    r = {}
    starts = [(ln, m) for ln, m, _ in msgs if m.startswith("Start executing an instruction. Instruction name: ")]
    r["steps"] = len(starts)
    joined = [m for _, m, _ in msgs]
    done = any(m.startswith("Task sequence completed 0x00000000") for m in joined)
    failed_markers = ("Task sequence execution failed with error code", "Task Sequence Engine failed!",
                      "Execution of task sequence failed", "Setting wizard error:", "Task Sequence environment not found")
    failed = any(any(k in m for k in failed_markers) for m in joined)
    r["outcome"] = "succeeded" if done and not failed else "failed" if failed else "running" if starts else "unknown"
    ignored = set()
    for m in joined:
        mm = re.match(r"The execution engine ignored the failure of the action \((.*)\)", m)
        if mm:
            ignored.add(mm.group(1))
    fail_step, fail_line, step_code = None, None, None
    last_exit = None
    for ln, m, a in msgs:
        if a.get("component") in ("TSManager", None) and m.startswith("Process completed with exit code "):
            last_exit = int(m.rsplit(" ", 1)[1])
        mm = re.match(r"Failed to run the action: (.+?)\.(?: This is usually| *\r?\n|$)", m)
        if mm:
            nm = mm.group(1)
            names = [x.split("Instruction name: ", 1)[1].rsplit(". Instruction pointer:", 1)[0] for _, x in starts if _ < ln]
            pref = [x for x in names if nm.startswith(x + ".") or nm == x]
            nm = max(pref, key=len) if pref else nm
        if mm and nm not in ignored:
            fail_step, fail_line = nm, ln
            step_code = "0x%08X" % u32(last_exit) if last_exit is not None else None
    if r["outcome"] == "failed" and fail_step is None and starts:
        fail_step = starts[-1][1].split("Instruction name: ", 1)[1].rsplit(". Instruction pointer:", 1)[0]
        fail_line = starts[-1][0]
    r["failing_step"], r["failing_step_line"], r["step_exit_code"] = fail_step, fail_line, step_code
    code = None
    for _, m, a in msgs:
        mm = re.search(r"Task sequence execution failed with error code ([0-9A-Fa-f]{8})", m) or \
            re.search(r"Task sequence completed 0x([0-9A-Fa-f]{8})", m)
        if mm:
            code = "0x" + mm.group(1).upper()
    if code is None and not starts:
        for _, m, a in msgs:
            mm = re.search(r"^Exiting with return code 0x([0-9A-Fa-f]{8})", m)
            if mm and a.get("component") in ("TSMBootstrap", None):
                code = "0x" + mm.group(1).upper()
    r["exit_code"] = code
    r["records"] = len(msgs)
    r["errors"] = sum(1 for _, _, a in msgs if a.get("type") == "3")
    r["warnings"] = sum(1 for _, _, a in msgs if a.get("type") == "2")
    return r


def chains_from_tags(sample, text):
    """Locate every tagged chain record in the read-back text; return the chain table."""
    lines = text.split("\n")
    items = sample.items or []
    # line of each item, verified against the file read back
    ln = 1
    placed = []
    for body, tag in items:
        first = body.split("\n", 1)[0].rstrip("\r")
        got = lines[ln - 1].rstrip("\r") if ln - 1 < len(lines) else None
        if got != first:
            raise SystemExit("%s: line %d does not hold the expected record" % (sample.rel, ln))
        placed.append((ln, body, tag))
        ln += body.count("\n") + 1
    chains = {}
    for line, body, tag in placed:
        if not tag or tag[0] != "chain":
            continue
        ch = chains.setdefault(tag[1], {"frames": [], "close": [], "lines": [], "thread": None, "component": None})
        ch["lines"].append(line)
        msg = RECORD_RE.match(body)
        msg_text = msg.group(1) if msg else body
        attrs = dict(ATTR_RE.findall(msg.group(2))) if msg else {}
        if tag[2] == "frame":
            hr = HR_RE.search(msg_text)
            assert hr, (sample.rel, line, msg_text)
            ch["frames"].append((line, hr.group(1).upper()))
            ch["thread"] = attrs.get("thread")
            ch["component"] = attrs.get("component") or (msg_text.rsplit(" ", 1)[1] if sample.fmt == "plain" else None)
        elif tag[2] == "close":
            ch["close"].append((line, msg_text.split("\r\n")[0]))
    table = []
    for cid in sorted(chains, key=lambda k: chains[k]["lines"][0]):
        ch = chains[cid]
        table.append({"root": "0x" + ch["frames"][0][1], "top": "0x" + ch["frames"][-1][1],
                      "frames": len(ch["frames"]), "first_line": ch["frames"][0][0],
                      "last_frame_line": ch["frames"][-1][0], "last_line": max(ch["lines"]),
                      "thread": ch["thread"], "component": ch["component"],
                      "closing": [c[1] for c in ch["close"]], "closing_lines": [c[0] for c in ch["close"]]})
    return table


SAMPLES = []


def add_log(rel, L, encoding, shows, finding, note=""):
    text = L.render()
    SAMPLES.append(Sample(rel, "cmtrace", encoding, shows, finding, items=L.items, data=encode(text, encoding), note=note))


def main():
    check = "--check" in sys.argv[1:]
    for b in BUILDERS:
        b()
    bad = 0
    for smp in SAMPLES:
        path = os.path.join(OUT, smp.rel)
        if check:
            try:
                with open(path, "rb") as f:
                    same = f.read() == smp.data
            except OSError:
                same = False
            if not same:
                print("differs: %s" % smp.rel)
                bad += 1
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(smp.data)
        with open(path, "rb") as f:
            data = f.read() if not check else smp.data
        text = decode(data)
        msgs = messages(text, smp.fmt)
        smp.result = analyse(msgs)
        smp.result["bytes"] = len(data)
        smp.result["lines"] = text.count("\n") + (0 if text.endswith("\n") else 1)
        smp.result["chains"] = chains_from_tags(smp, text)
    readme = render_readme()
    rp = os.path.join(OUT, "README.md")
    if check:
        with open(rp, "rb") as f:
            if f.read() != readme.encode("utf-8"):
                print("differs: README.md")
                bad += 1
    else:
        with open(rp, "wb") as f:
            f.write(readme.encode("utf-8"))
    for smp in SAMPLES:
        r = smp.result
        print("%-42s %-8s %6d rec %8d B  steps=%-3d %-9s step=%s step_exit=%s exit=%s" % (
            smp.rel, smp.fmt, r["records"], r["bytes"], r["steps"], r["outcome"], r["failing_step"],
            r["step_exit_code"], r["exit_code"]))
        for c in r["chains"]:
            print("    chain root=%s top=%s frames=%d lines %d-%d (last frame %d) thread=%s" % (
                c["root"], c["top"], c["frames"], c["first_line"], c["last_line"], c["last_frame_line"], c["thread"]))
    return 1 if bad else 0


# ---------------------------------------------------------------------------
# 1. / 2. the founding case (KB 2509330): boot media, ConfigMgr 2007 SP2
# ---------------------------------------------------------------------------
def founding_start(seed, start):
    L = Log(start, 300, seed)
    s = Session(L, mp="CM07SRV01.corp.fabrikam.com", site="CEN", arch="i386")
    bs, tb = winpe_boot(s, "media", nic=("Broadcom NetXtreme 57xx Gigabit Controller", "172.16.40.57"),
                        osver="6.0.6002.18005", client_ver="4.00.6487.2000")
    return L, s, bs, tb


def wizard_end(s, tb, bs, code):
    L = s.log
    tb("Activating Finish Page.", src="tsmediafinishpage.cpp:95", dt=40)
    tb("User clicked Finish on the error page", src="tsmediafinishpage.cpp:141", dt=L.rng.randint(60000, 180000))
    tb("Exiting with return code 0x%08X" % code, src="tsmbootstrap.cpp:1320", dt=30)
    bs("Execution complete.", src="bootshell.cpp:693", dt=40)
    bs("Finalizing logging from process %d" % (tb.thread + 4), src="tslogging.cpp:1741")
    bs("Finalizing logs to root of first available drive", src="tslogging.cpp:1771")
    bs("Successfully finalized logs to C:\\SMSTSLog", src="tslogging.cpp:1811")
    bs("Rebooting system", src="bootshell.cpp:1395")


def build_naa():
    L, s, bs, tb = founding_start(21, "2026-02-16 09:41:07.412")
    identity_and_policy(s, tb, media="media", ts_id="CEN00011", ts_name="Deploy Windows 7 SP1 x86 - Finance")
    tb("Activating Resolve Progress Page.", src="tsmediaresolveprogresspage.cpp:181")
    w = s.comp("TSMBootstrap", ["tspolicy.cpp:1518"])
    tb("Creating resolve thread %d" % w.thread, src="tsmediaresolveprogresspage.cpp:233")
    w("Resolving dependencies for task sequence CEN00011", src="tsmediawizardcontrol.cpp:1182")
    w("Getting policy for NAAConfig", src="tspolicy.cpp:1490")
    w("Parsing Policy Body.", src="tspolicy.cpp:1164")
    T = lambda role: ("chain", "naa", role)
    w(frame("(!sNetworkAccessAccount.empty()) && (!sNetworkAccessPassword.empty())", "80040101", TSCORE + r"\tspolicy.cpp", 1518),
      typ=3, src="tspolicy.cpp:1518", tag=T("frame"))
    w("Found empty NetworkAccessUsername/NetworkAccessPassword from NAAConfig CCM_NetworkAccessAccount", typ=3,
      src="tspolicy.cpp:1518", tag=T("member"))
    tb("Resolve progress: 1 of 7 references", src="tsmediaresolveprogresspage.cpp:297", dt=2)
    w(frame("GetEncodedNetworkAccessAccount (sEncodedAccount, sEncodedPassword)", "80040101", TSCORE + r"\tspolicy.cpp", 1544),
      typ=3, src="tspolicy.cpp:1544", tag=T("frame"))
    w("Network Access Account is not set", typ=3, src="tspolicy.cpp:1590", tag=T("member"))
    w(frame("GetNetworkAccessAccount( sNetworkAccessAccount, sNetworkAccessPassword )", "80040101", TSCORE + r"\tspolicy.cpp", 1597),
      typ=3, src="tspolicy.cpp:1597", tag=T("frame"))
    pu = s.comp("TsProgressUI", ["progressui.cpp:412"])
    pu("Progress update: Resolving task sequence dependencies (14%)", src="progressui.cpp:412", dt=1)
    w(frame("pTSPolicyManager->GetContentLocations( m_sPackageID, m_lSourceVersion, m_dwContentSourceFlags, slistContentLocations, "
            "slistHttpContentLocations, slistMulticastContentLocations, m_dwContentPackageFlags )", "80040101",
            TSCORE + r"\tspolicy.cpp", 2330), typ=3, src="tspolicy.cpp:2330", tag=T("frame"))
    w(frame("(*iTSReference)->Resolve( pTSPolicyManager, dwResolveFlags )", "80040101", TSCORE + r"\tspolicy.cpp", 2862),
      typ=3, src="tspolicy.cpp:2862", tag=T("frame"))
    tb("Resolve progress: 1 of 7 references", src="tsmediaresolveprogresspage.cpp:297", dt=3)
    w(frame("m_pSelectedTaskSequence->Resolve( m_pPolicyManager, TS::Policy::TaskSequence::ResolvePolicy | "
            "TS::Policy::TaskSequence::ResolveSource, fpCallbackProc, pv, hCancelEvent)", "80040101",
            TSMB + r"\tsmediawizardcontrol.cpp", 1208), typ=3, src="tsmediawizardcontrol.cpp:1208", tag=T("frame"))
    w("Failed to resolve selected task sequence dependencies. Code(0x80040101)", typ=3,
      src="tsmediawizardcontrol.cpp:1208", tag=T("close"))
    w(frame("hrReturn", "80040101", TSMB + r"\tsmediaresolveprogresspage.cpp", 408), typ=3,
      src="tsmediaresolveprogresspage.cpp:408", tag=T("frame"))
    w("ThreadToResolveAndExecuteTaskSequence failed. Code(0x80040101)", typ=3, src="tsmediaresolveprogresspage.cpp:408",
      tag=T("close"))
    pu("Progress update: Resolving task sequence dependencies (14%)", src="progressui.cpp:412", dt=4)
    w("ThreadToResolveAndExecuteTaskSequence returned code 0x80040101", typ=3, src="tsmediaresolveprogresspage.cpp:411",
      tag=T("close"))
    w("Setting wizard error: Failed to read network access account from machine policy. For more information, please "
      "contact your system administrator or helpdesk operator.", src="tsmediawizardcontrol.cpp:1946", tag=T("close"))
    wizard_end(s, tb, bs, 0x80040101)
    return L


def build_signature():
    L, s, bs, tb = founding_start(22, "2026-02-17 14:05:52.077")
    mp = s.mp
    tb("Media type: BootMedia", src="tsmediawizardcontrol.cpp:2947")
    tb("Activating Welcome Page.", src="tsmediawelcomepage.cpp:146")
    tb("Getting MP time information", src="tsmediawizardcontrol.cpp:2108")
    tb("CLibSMSMessageWinHttpTransport::Send: URL: %s:80  GET /SMS_MP/.sms_aut?MPKEYINFORMATIONMEDIA" % mp,
       src="libsmsmessaging.cpp:8604")
    tb("Request was successful.", src="libsmsmessaging.cpp:8940", dt=160)
    tb("Entering TSMediaWizardControl::GetPolicy.", src="tsmediawizardcontrol.cpp:771")
    tb("Requesting client identity", src="tsmediawizardcontrol.cpp:1053")
    tb("Setting message signatures.", src="libsmsmessaging.cpp:1295")
    tb("Setting the authenticator.", src="libsmsmessaging.cpp:1325")
    tb("CLibSMSMessageWinHttpTransport::Send: URL: %s:80  CCM_POST /ccm_system/request" % mp, src="libsmsmessaging.cpp:8604")
    nw = s.comp("TSMBootstrap", ["tsmbootstraputil.cpp:602"])
    nw("Network adapter \"Broadcom NetXtreme 57xx Gigabit Controller\" link is up (1000 Mbps)", src="tsmbootstraputil.cpp:602", dt=90)
    tb("Request was successful.", src="libsmsmessaging.cpp:8940", dt=210)
    tb("Decompressing reply body.", src="libsmsmessaging.cpp:4918")
    tb("::DecompressBuffer(65536)", src="libcompress.cpp:71")
    tb("Decompression (zlib) succeeded: original size 476, uncompressed size 2568.", src="libcompress.cpp:210")
    T = lambda role: ("chain", "sig", role)
    tb(frame("CryptMsgControl (hMsg, 0, CMSG_CTRL_VERIFY_SIGNATURE, pCert->pCertInfo)", "8009100e",
             OSDMSG + r"\libcrypt.cpp", 351), typ=3, src="libcrypt.cpp:351", tag=T("frame"))
    tb("signature varification failed", typ=3, src="libcrypt.cpp:353", tag=T("member"))
    tb(frame("ipCertContext != listpServerCertContext.end()", "80004005", OSDMSG + r"\libsmsmessaging.cpp", 2476),
       typ=3, src="libsmsmessaging.cpp:2476", tag=T("frame"))
    sig = "".join("%02X" % L.rng.randrange(256) for _ in range(128))
    tb("signature check failed: %s" % sig, typ=3, src="libsmsmessaging.cpp:2481", tag=T("member"))
    nw("Network adapter \"Broadcom NetXtreme 57xx Gigabit Controller\" has IP Address 172.16.40.57", src="tsmbootstraputil.cpp:588", dt=2)
    tb(frame("DoRequest (sReply, true)", "80004005", OSDMSG + r"\libsmsmessaging.cpp", 5010), typ=3,
       src="libsmsmessaging.cpp:5010", tag=T("frame"))
    tb("Failed to get client identity (80004005)", typ=3, src="libsmsmessaging.cpp:5298", tag=T("close"))
    tb(frame("ClientIdentity.RequestClientIdentity ()", "80004005", TSMB + r"\tsmediawizardcontrol.cpp", 815), typ=3,
       src="tsmediawizardcontrol.cpp:815", tag=T("frame"))
    tb("Exiting TSMediaWizardControl::GetPolicy.", src="tsmediawizardcontrol.cpp:933", tag=T("member"))
    tb(frame("pWelcomePage->m_pTSMediaWizardControl->GetPolicy()", "80004005", TSMB + r"\tsmediawelcomepage.cpp", 280),
       typ=3, src="tsmediawelcomepage.cpp:280", tag=T("frame"))
    tb("Setting wizard error: An error occurred while retrieving policy for this computer  (0x80004005). For more "
       "information, please contact your system administrator or helpdesk operator.", src="tsmediawizardcontrol.cpp:1946",
       tag=T("close"))
    wizard_end(s, tb, bs, 0x80004005)
    return L


def build_pasted():
    """Plain text pasted into a ticket: 'message component' per line, prose around it."""
    items = []
    T = lambda role: ("chain", "naa", role)

    def add(text, tag=None):
        items.append((text, tag))
    for ln in ("Hi team,", "", "our builds fail since Monday, log below:", "",
               "It happens on every model, both with the USB boot media and the ISO. We restored the site server from "
               "backup last week after the OS reinstall (hardware swap). The wizard says it cannot read the network "
               "access account, so we re-entered it in the console but nothing changed.", ""):
        add(ln)
    add("Found network adapter \"Broadcom NetXtreme 57xx Gigabit Controller\" with IP Address 172.16.40.57. TSMBootstrap")
    add("Getting MP time information TSMBootstrap")
    add("Requesting client identity TSMBootstrap")
    add("Selected task sequence CEN00011 (Deploy Windows 7 SP1 x86 - Finance) TSMBootstrap")
    add("Parsing Policy Body. TSMBootstrap")
    add(frame("(!sNetworkAccessAccount.empty()) && (!sNetworkAccessPassword.empty())", "80040101", TSCORE + r"\tspolicy.cpp", 1518)
        + " TSMBootstrap", T("frame"))
    add("Found empty NetworkAccessUsername/NetworkAccessPassword from NAAConfig CCM_NetworkAccessAccount TSMBootstrap", T("member"))
    add(frame("GetEncodedNetworkAccessAccount (sEncodedAccount, sEncodedPassword)", "80040101", TSCORE + r"\tspolicy.cpp", 1544)
        + "  TSMBootstrap", T("frame"))
    add("Network Access Account is not set TSMBootstrap", T("member"))
    add(frame("GetNetworkAccessAccount( sNetworkAccessAccount, sNetworkAccessPassword )", "80040101", TSCORE + r"\tspolicy.cpp", 1597)
        + " TSMBootstrap", T("frame"))
    add(frame("pTSPolicyManager->GetContentLocations( m_sPackageID, m_lSourceVersion, m_dwContentSourceFlags, slistContentLocations, "
              "slistHttpContentLocations, slistMulticastContentLocations, m_dwContentPackageFlags )", "80040101",
              TSCORE + r"\tspolicy.cpp", 2330) + " TSMBootstrap", T("frame"))
    add(frame("(*iTSReference)->Resolve( pTSPolicyManager, dwResolveFlags )", "80040101", TSCORE + r"\tspolicy.cpp", 2862)
        + " TSMBootstrap", T("frame"))
    add(frame("m_pSelectedTaskSequence->Resolve( m_pPolicyManager, TS::Policy::TaskSequence::ResolvePolicy | "
              "TS::Policy::TaskSequence::ResolveSource, fpCallbackProc, pv, hCancelEvent)", "80040101",
              TSMB + r"\tsmediawizardcontrol.cpp", 1208) + " TSMBootstrap", T("frame"))
    add("Failed to resolve selected task sequence dependencies. Code(0x80040101) TSMBootstrap", T("close"))
    add(frame("hrReturn", "80040101", TSMB + r"\tsmediaresolveprogresspage.cpp", 408) + " TSMBootstrap", T("frame"))
    add("ThreadToResolveAndExecuteTaskSequence failed. Code(0x80040101) TSMBootstrap", T("close"))
    add("ThreadToResolveAndExecuteTaskSequence returned code 0x80040101 TSMBootstrap", T("close"))
    add("Setting wizard error: Failed to read network access account from machine policy. For more information, please "
        "contact your system administrator or helpdesk operator. TSMBootstrap", T("close"))
    for ln in ("", "", "Any idea? The site is ConfigMgr 2007 SP2, boot images were updated on the DPs yesterday.",
               "", "Thanks,", "Jonas (desktop engineering, Fabrikam Finance)", ""):
        add(ln)
    text = "".join(t + CRLF for t, _ in items)
    SAMPLES.append(Sample("pasted-ticket.txt", "plain", "utf-8", "", "", items=items, data=encode(text, "utf-8")))


# ---------------------------------------------------------------------------
# 5. failures
# ---------------------------------------------------------------------------
def prelude(seed, start, bias, media="pxe", pkgs=("PS100012", "PS100031", "PS100002", "PS100087"), **kw):
    L = Log(start, bias, seed)
    s = Session(L, **{k: v for k, v in kw.items() if k in ("mp", "site", "standalone")})
    bs, tb = winpe_boot(s, media, **{k: v for k, v in kw.items() if k in ("nic", "client_ver", "boot_pkg")})
    identity_and_policy(s, tb, media=media, ts_name=kw.get("ts_name", "Windows 11 24H2 Enterprise x64"))
    resolve_ok(s, tb, pkgs)
    launch_manager(s, tb)
    s.start_manager()
    return L, s, bs, tb


def install_os_group(r, netsettings=True, drivers=True, setup=True):
    r.group("Install Operating System")
    r.skip("Partition Disk 0 - BIOS", ("_SMSTSBootUEFI", "notEquals", "true"), PART_VARS[:8])
    r.step("Partition Disk 0 - UEFI", st_partition)
    r.step("Apply Operating System", st_applyos)
    r.step("Apply Windows Settings", st_winsettings)
    if netsettings:
        r.step("Apply Network Settings", st_netsettings)
    if drivers:
        r.step("Auto Apply Drivers", st_autodrivers)
    if setup:
        r.step("Setup Windows and ConfigMgr", st_setupwin)
        r.end()


def child_lines(c, lines, tagid):
    """lines: (msg, dt, type, role) with role None, 'frame', 'member' or 'close'."""
    for ln in lines:
        ln = tuple(ln)
        msg, dt, typ, role = ln + ((1, None)[len(ln) - 2:] if len(ln) < 4 else ())
        c(msg, typ=typ, dt=dt, tag=("chain", tagid, role) if role else None)


def winpe_fail_tail(s, run_code):
    L = s.log
    tb = getattr(s, "tb_main", None) or s.comp("TSMBootstrap", ["tsmbootstrap.cpp:1211"])
    tb("Process completed with exit code %d" % u32(run_code), src="commandline.cpp:1123", dt=140)
    tb("Task Sequence Manager returned 0x%08X" % u32(run_code), typ=3, src="tsmbootstrap.cpp:811")
    tb("Exiting with return code 0x%08X" % u32(run_code), src="tsmbootstrap.cpp:1320")
    bs = getattr(s, "bs_main", None) or s.comp("TSBootShell", ["bootshell.cpp:1075"])
    bs("Execution complete.", src="bootshell.cpp:693", dt=40)
    bs("Finalizing logging from process %d" % (tb.thread - 4), src="tslogging.cpp:1741")
    bs("Finalizing logs to C:\\_SMSTaskSequence\\Logs\\Smstslog", src="tslogging.cpp:1785")
    bs("Successfully finalized logs to C:\\_SMSTaskSequence\\Logs\\Smstslog", src="tslogging.cpp:1811")
    bs("Rebooting system in 900 seconds", src="bootshell.cpp:1395", dt=30)


def fullos_fail_tail(s):
    s.tm("Successfully finalized logs to C:\\WINDOWS\\CCM\\Logs\\SMSTSLog", src="tslogging.cpp:1811")


def failing_action(s, r, name, local, cmd, phase, comp, srcs, exe, lines, tagid, code, text, run_code, groups,
                   prog=True, exit_value=None, lead=None, source="Windows", banner_cmd=None, interleave=None):
    s.begin(r.ip, name, local)
    s.command(cmd, phase)
    c = s.comp(comp, srcs)
    if exe:
        banner(c, exe, banner_cmd or cmd)
    child_lines(c, lines, tagid)
    s.finish_fail(name, code, text, exit_value, prog, lead=lead, source=source)
    s.abort(name, code, text, groups, run_code)
    if s.winpe:
        winpe_fail_tail(s, run_code)
    else:
        fullos_fail_tail(s)
    return c


def build_fail_driver():
    L, s, bs, tb = prelude(31, "2026-04-07 13:02:19.540", 480, client_ver="5.00.8540.1007")
    r = Runner(s)
    install_os_group(r, drivers=False, setup=False)
    pkg = "PS100087"
    cmd = "osddriverclient.exe /install:%s /unsigned:%%OSDAllowUnsignedDriver%% /recurse:%%OSDRecurse%%" % pkg
    path = CB_OSD + r"\osddriverclient\main.cpp"
    c = failing_action(
        s, r, "Apply Driver Package - Latitude 7450", ["OSDApplyDriverBootCriticalContentUniqueID",
                                                       "OSDApplyDriverBootCriticalINFFile", "OSDAllowUnsignedDriver", "OSDRecurse"],
        cmd, "WinPE", "OSDDriverClient", ["main.cpp:318"], "OSDDriverClient.exe",
        [("Version of OSDDriverClient.exe: 5.00.8540.1007", 10, 1, None),
         ("Argument 3 is invalid.", 6, 3, None),
         (frame("FALSE", "80070057", path, 189), 1, 3, "frame"),
         (frame("ParseArguments( argc, argv, eDriverOperation, sPackageId, pBootCriticalInfo, bAllowUnsigned, bBestMatch )",
                "80070057", path, 316), 1, 3, "frame"),
         ("Failed to pass arguments. Code 0x80070057", 1, 3, "close"),
         ("Exiting with return code 0x80070057", 2, 1, "close")],
        "drv", 0x80070057, "The parameter is incorrect.", 0x80004005, ["Install Operating System"],
        banner_cmd="osddriverclient.exe /install:%s /unsigned:False /recurse:True" % pkg)
    return L


def build_fail_app_mp():
    L, s, bs, tb = prelude(32, "2026-05-19 10:47:03.118", -330, ts_name="Windows 11 24H2 Enterprise x64 - Pune")
    r = Runner(s)
    install_os_group(r)
    r.group("Setup Operating System")
    r.step("Install Application - Microsoft 365 Apps", st_app, app="Microsoft 365 Apps for enterprise", ver="16.0.17928")
    path = CB_OSD + r"\installapplication\installapplication.cpp"
    app = "Contoso VPN Client"
    s2 = s
    scope = "ScopeId_9D6D6D3F-0B9D-4A17-8F5A-0A6E3C1F2E84/Application_%s" % guid(L.rng).lower()
    ls = s.comp("LocationServices", ["lsad.cpp:5210"])
    lines = [("NOT running in SMS standalone mode.", 10, 1, None),
             ("Setting TSEnvironment variable _TSAppInstallStatus=Undefined", 2, 1, None),
             ("Getting policy for application '%s' (%s)" % (app, scope), 30, 1, None),
             ("Requesting policy assignments from the management point", 40, 1, None),
             ("Waiting for the management point to respond (attempt 1 of 3)", 30000, 2, None),
             ("Waiting for the management point to respond (attempt 2 of 3)", 30000, 2, None),
             ("Waiting for the management point to respond (attempt 3 of 3)", 30000, 2, None),
             ("Required management point not found (Error: 87D00269; Source: CCM)", 20, 3, None),
             (frame("RequestPolicyAssignments( sScopedAppId, lRevision )", "87d00269", path, 612), 1, 3, "frame"),
             ("Policy Evaluation failed, hr=0x87d00269", 1, 3, "member"),
             (frame("EvaluatePolicy( sScopedAppId )", "87d00269", path, 781), 1, 3, "frame"),
             (frame("InstallApplication( vAppIds[i] )", "80004005", path, 1102), 1, 3, "frame"),
             ("App install failed.", 1, 3, "close"),
             ("Setting TSEnvironment variable _TSAppInstallStatus=Error", 1, 1, "member"),
             ("Install application action failed: '%s'. Error Code 0x80004005" % app, 1, 3, "close"),
             ("Exiting with return code 0x80004005", 2, 1, "close")]
    s.begin(r.ip, "Install Application - %s" % app, ["OSDApp0Description", "OSDApp0DisplayName", "OSDApp0Name",
                                                     "OSDAppCount", "ContinueOnError"])
    cmd = "smsappinstall.exe /app:%s /basevar: /continueOnError:" % scope
    s.command(cmd, "FullOS")
    c = s.comp("InstallApplication", ["installapplication.cpp:1049", "main.cpp:246"])
    banner(c, "InstallApplication.exe", cmd)
    for i, ln in enumerate(lines):
        child_lines(c, [ln], "app")
        if i == 4:
            ls("Current AD site of machine is Pune-Branch", dt=200)
            ls("Retrieved management point list from WMI: none", typ=2, dt=3)
        if i == 9:
            ls("Unable to find a management point for the current location (boundary group Pune-Branch)", typ=3, dt=1)
    name = "Install Application - %s" % app
    s.finish_fail(name, 0x80004005, "Unspecified error", prog=False)
    s.abort(name, 0x80004005, "Unspecified error", ["Setup Operating System"], 0x80004005,
            ts_name="Windows 11 24H2 Enterprise x64 - Pune")
    fullos_fail_tail(s)
    return L


def build_fail_hash():
    L, s, bs, tb = prelude(33, "2026-06-02 07:55:40.009", -60)
    r = Runner(s)
    r.group("Install Operating System")
    r.step("Partition Disk 0 - UEFI", st_partition)
    name = "Apply Operating System"
    pkg = "PS100012"
    cmd = "OSDApplyOS.exe /image:%s,3 /config:PS100031,Unattend.xml /target:%%OSDisk%% /runfromnet:False" % pkg
    s.begin(r.ip, name, ["OSDImagePackageId", "OSDImageIndex", "OSDConfigFileName", "OSDTargetSystemDrive"])
    s.command(cmd, "WinPE")
    c = s.comp("ApplyOperatingSystem", ["applyos.cpp:1304", "resolvesource.cpp:2916"])
    banner(c, "OSDApplyOS.exe", cmd.replace("%OSDisk%", "C:"), src="applyos.cpp:1245")
    c("ApplyOSRetry: ", dt=10)
    c("Initialization of applyos complete", dt=15)
    download_lines(c, L, pkg, ["install.wim", "install.wim.ref"], 4987, secs=280)
    rs = CB_TSCORE + r"\resolvesource.cpp"
    ap = CB_OSD + r"\applyos\applyos.cpp"
    h1 = "".join("%02X" % L.rng.randrange(256) for _ in range(32))
    h2 = "".join("%02X" % L.rng.randrange(256) for _ in range(32))
    pu = s.comp("TsProgressUI", ["progressui.cpp:412"])
    lines = [("Hash could not be matched for the downloaded content. Original ContentHash = %s, Downloaded ContentHash = %s"
              % (h1, h2), 40, 3, None),
             (frame("0L == TS::Utility::VerifyPackageHash(pszContentID, sDestination)", "80091007", rs, 3085), 1, 3, "frame"),
             (frame("DownloadContentLocally(pszSource, sSourceDirectory, dwFlags, hUserToken, mapNetworkAccess)", "80091007", rs, 3213),
              1, 3, "frame"),
             (frame("TS::Utility::ResolveSource(pszPkgID, sResolvedSource, dwFlags, 0, 0, 0, mapNetworkAccess)", "80091007", rs, 3386),
              1, 3, "frame"),
             ("Failed to resolve the source for SMS PKGID=%s, hr=0x80091007" % pkg, 1, 3, "close"),
             (frame("ResolveSource( m_sImagePackageID, m_sImagePath )", "80091007", ap, 1410), 1, 3, "frame"),
             (frame("InstallImage::Run()", "80091007", CB_OSD + r"\applyos\installimage.cpp", 904), 1, 3, "frame"),
             ("Installation of image 3 in package %s failed to complete..\nThe hash value is not correct. (Error: 80091007; Source: Windows)"
              % pkg, 1, 3, "close"),
             ("Exiting with return code 0x80091007", 2, 1, "close")]
    for i, ln in enumerate(lines):
        child_lines(c, [ln], "hash")
        if i == 3:
            pu("Progress update: Apply Operating System (Failed)", dt=1)
    s.finish_fail(name, 0x80091007, "The hash value is not correct.", prog=False)
    s.abort(name, 0x80091007, "The hash value is not correct.", ["Install Operating System"], 0x80004005)
    winpe_fail_tail(s, 0x80004005)
    return L


def build_fail_nodisk():
    L = Log("2026-07-14 15:20:33.870", 360, 34)
    s = Session(L, mp="MP02.corp.contoso.com")
    bs, tb = winpe_boot(s, "media", nic=("Intel(R) Ethernet Connection (22) I219-LM", "10.88.3.114"), osver="10.0.26100.1")
    identity_and_policy(s, tb, media="media", ts_name="Windows 11 24H2 Enterprise x64")
    tb("Activating Resolve Progress Page.", src="tsmediaresolveprogresspage.cpp:181")
    w = s.comp("TSMBootstrap", ["tsmediawizardcontrol.cpp:1182"])
    tb("Creating resolve thread %d" % w.thread, src="tsmediaresolveprogresspage.cpp:233")
    resolve_ok(s, w, ["PS100012", "PS100031", "PS100002"])
    w("Preparing the local data path for the task sequence", src="tsmediawizardcontrol.cpp:1371")
    w("Volume X: is a RAM disk, skipping", src="utils.cpp:2017")
    w("Volume D: is on removable media, skipping", src="utils.cpp:2017")
    w("Found 0 fixed disks (disk count reported by the storage stack: 0)", typ=2, src="utils.cpp:2031")
    ut = CB_TSCORE + r"\utils.cpp"
    wc = CB + r"\client\tasksequence\tsmbootstrap\tsmediawizardcontrol.cpp"
    rp = CB + r"\client\tasksequence\tsmbootstrap\tsmediaresolveprogresspage.cpp"
    T = lambda role: ("chain", "disk", role)
    w(frame("TS::Utility::FindLocalDataDrive( sDrive )", "8007000f", ut, 2051), typ=3, src="utils.cpp:2051", tag=T("frame"))
    tb("Resolve progress: 3 of 3 references", src="tsmediaresolveprogresspage.cpp:297", dt=1)
    w("Unable to find a fixed disk to store the task sequence data", typ=3, src="utils.cpp:2053", tag=T("member"))
    w(frame("TS::Utility::PrepareDataPath( sDataPath )", "8007000f", ut, 2118), typ=3, src="utils.cpp:2118", tag=T("frame"))
    w(frame("PrepareTaskSequenceEnvironment()", "8007000f", wc, 1394), typ=3, src="tsmediawizardcontrol.cpp:1394", tag=T("frame"))
    w("Failed to prepare the task sequence environment. Code(0x8007000F)", typ=3, src="tsmediawizardcontrol.cpp:1396", tag=T("close"))
    w(frame("hrReturn", "8007000f", rp, 408), typ=3, src="tsmediaresolveprogresspage.cpp:408", tag=T("frame"))
    w("ThreadToResolveAndExecuteTaskSequence failed. Code(0x8007000F)", typ=3, src="tsmediaresolveprogresspage.cpp:408", tag=T("close"))
    w("ThreadToResolveAndExecuteTaskSequence returned code 0x8007000F", typ=3, src="tsmediaresolveprogresspage.cpp:411", tag=T("close"))
    w("Setting wizard error: An error occurred while starting the task sequence (0x8007000F). For more information, contact "
      "your system administrator or helpdesk operator.", src="tsmediawizardcontrol.cpp:1946", tag=T("close"))
    wizard_end(s, tb, bs, 0x8007000F)
    return L


def build_fail_domain():
    L, s, bs, tb = prelude(35, "2026-08-25 11:31:54.602", 300)
    r = Runner(s)
    install_os_group(r, netsettings=False)
    r.group("Domain Join")
    name = "Check Domain Controller Reachability"
    s.begin(r.ip, name, ["RunAsUser", "SMSTSRunCommandLineUserName", "SMSTSRunCommandLineUserPassword", "LoadProfile"])
    s.command("cmd.exe /c nltest /dsgetdc:corp.contoso.com /force", "FullOS")
    rc = s.comp("SMSTSRunCommandLine", ["runcommandline.cpp:612"])
    rc("Command line output:\nGetting DC name failed: Status = 1355 0x54b ERROR_NO_SUCH_DOMAIN\n", dt=5200)
    s.finish_fail(name, 1355, "The specified domain either does not exist or could not be contacted.", exit_value=1355, prog=False)
    s.tm("The execution engine ignored the failure of the action (%s) and continues execution" % name, typ=2, src="engine.cxx:339")
    s.housekeeping(r.ip + 1)
    r.ip += 1
    name = "Join Domain or Workgroup"
    p = CB_OSD + r"\osdjoin\osdjoin.cpp"
    lines = [("Joining domain 'corp.contoso.com' in OU 'OU=Workstations,OU=Contoso,DC=corp,DC=contoso,DC=com'", 20, 1, None),
             ("Join account: CORP\\svc-osdjoin; computer name WKS-9C31B7", 5, 1, None)]
    for i in (1, 2, 3):
        lines.append(("Attempt %d of 3: NetJoinDomain returned 1355 (0x0000054B)" % i, 10000 if i > 1 else 2600, 2, None))
    lines += [(frame("NetJoinDomain( NULL, sDomain.c_str(), sOU.c_str(), sAccount.c_str(), sPassword.c_str(), dwJoinFlags )",
                     "8007054b", p, 412), 5, 3, "frame"),
              (frame("JoinDomain( sDomain, sOU, sAccount, sPassword, bReboot )", "8007054b", p, 638), 1, 3, "frame"),
              ("See C:\\WINDOWS\\debug\\NetSetup.log for details", 1, 1, "member"),
              (frame("OSDJoin::Execute()", "8007054b", CB_OSD + r"\osdjoin\main.cpp", 151), 1, 3, "frame"),
              ("Failed to join domain 'corp.contoso.com'. Code(0x8007054B)", 1, 3, "close"),
              ("Exiting with return code 0x8007054B", 2, 1, "close")]
    cmd = 'osdjoin.exe /join /domain:corp.contoso.com /ou:"OU=Workstations,OU=Contoso,DC=corp,DC=contoso,DC=com" /reboot:1'
    failing_action(s, r, name, ["OSDJoinType", "OSDJoinDomainName", "OSDJoinDomainOUName", "OSDJoinAccount",
                                "OSDJoinPassword", "OSDJoinSkipReboot"],
                   cmd, "FullOS", "OSDJoin", ["osdjoin.cpp:412", "main.cpp:151"], "OSDJoin.exe", lines, "join",
                   0x8007054B, "The specified domain either does not exist or could not be contacted.", 0x8007054B,
                   ["Domain Join"], prog=False)
    return L


def build_fail_usmt():
    L = Log("2026-09-15 16:04:12.331", -60, 36)
    s = Session(L, winpe=False)
    s.table_size = 48
    s.start_manager(cmdline="\"C:\\WINDOWS\\CCM\\TsManager.exe\"")
    r = Runner(s)
    r.group("Capture Files and Settings")
    r.step("Request State Store", st_generic, cmd="osdsmpclient.exe /capture", comp="OSDSMPClient",
           srcs=["smpclient.cpp:1260"], exe="OSDSMPClient.exe",
           lines=[("Requesting a state store from the state migration point", 20),
                  ("Found state migration point SMP01.corp.contoso.com", 420),
                  ("Storage path: \\\\SMP01.corp.contoso.com\\SMPSTORED_3A9B21C4$\\8C1F0A4E6D2B4F17", 900),
                  ("Connecting to the storage path with the network access account", 30),
                  ("Set OSDStateStorePath=\\\\SMP01.corp.contoso.com\\SMPSTORED_3A9B21C4$\\8C1F0A4E6D2B4F17", 200),
                  ("Exiting with return code 0x00000000", 5)],
           local=["OSDStateStorePath", "OSDStateFallbackToNAA", "OSDStateSMPRetryCount", "OSDStateSMPRetryTime"],
           phase="FullOS")
    store = "\\\\SMP01.corp.contoso.com\\SMPSTORED_3A9B21C4$\\8C1F0A4E6D2B4F17"
    scan = ('"C:\\_SMSTaskSequence\\Packages\\PS100015\\amd64\\scanstate.exe" %s /localonly /efs:copyraw /c /v:5 '
            '/l:"C:\\_SMSTaskSequence\\Logs\\Smstslog\\scanstate.log" /progress:"C:\\_SMSTaskSequence\\Logs\\Smstslog\\scanstateprogress.log" '
            '/i:"C:\\_SMSTaskSequence\\Packages\\PS100015\\amd64\\miguser.xml" /i:"C:\\_SMSTaskSequence\\Packages\\PS100015\\amd64\\migapp.xml"' % store)
    p = CB_OSD + r"\migrate\osdmigrateuserstate.cpp"
    lines = [("Command line for extension .exe is \"%1\" %*", 10, 1, None),
             ("Set command line: %s" % scan, 5, 1, None),
             ("Executing command line: %s" % scan, 5, 1, None),
             ("Process completed with exit code 27", 41200, 1, None),
             ("Last lines of C:\\_SMSTaskSequence\\Logs\\Smstslog\\scanstate.log:\n"
              "2026-09-15 16:05:01, Info                  [0x000000] Processing the settings store\n"
              "2026-09-15 16:05:01, Error                 [0x000000] A store path can't be used because an existing store exists; specify /o to overwrite\n"
              "2026-09-15 16:05:01, Info                  [0x000000] USMT Completed at 2026/09/15:16:05:01.722\n"
              "2026-09-15 16:05:01, Info                  [0x000000] Failed.[gle=0x00000006]\n"
              "2026-09-15 16:05:01, Info                  [0x000000]   Invalid store path; check the store parameter and/or file system permissions\n"
              "2026-09-15 16:05:01, Info                  [0x000000]   USMT_INVALID_STORE_LOCATION", 20, 1, None),
             ("ScanState returned exit code 27 (USMT_INVALID_STORE_LOCATION)", 5, 3, None),
             (frame("(DWORD)0 == dwExitCode", "80004005", p, 1173), 1, 3, "frame"),
             (frame("RunScanState( sCommandLine )", "80004005", p, 1345), 1, 3, "frame"),
             (frame("OSDMigrateUserState::Capture()", "80004005", CB_OSD + r"\migrate\main.cpp", 207), 1, 3, "frame"),
             ("Failed to capture user state. Code(0x80004005)", 1, 3, "close"),
             ("Exiting with return code 0x80004005", 2, 1, "close")]
    failing_action(s, r, "Capture User State", ["OSDMigrateMode", "OSDMigrateContinueOnLockedFiles", "OSDMigrateEnableVerboseLogging",
                                                "OSDMigrateSkipEncryptedFiles", "OSDMigrateConfigFiles", "_OSDMigrateUsmtPackageID"],
                   "OSDMigrateUserState.exe /collect /continueOnError:", "FullOS", "OSDMigrateUserState",
                   ["osdmigrateuserstate.cpp:1173", "main.cpp:207"], "OSDMigrateUserState.exe", lines, "usmt",
                   0x80004005, "Unspecified error", 0x80004005, ["Capture Files and Settings"], prog=False)
    return L


def build_fail_nic():
    L = Log("2026-10-06 08:03:11.250", 480, 37)
    s = Session(L, mp="mp01.corp.contoso.com")
    bs, tb = winpe_boot(s, "media", nic=None)
    tb("Media type: BootMedia", src="tsmediawizardcontrol.cpp:2947")
    tb("Waiting for a network adapter with a valid IP address", src="tsmbootstraputil.cpp:561")
    tb("No network adapter with a valid IP address was found after 30 seconds", typ=2, src="tsmbootstraputil.cpp:575", dt=30000)
    tb("Activating Welcome Page.", src="tsmediawelcomepage.cpp:146")
    tb("Entering TSMediaWizardControl::GetPolicy.", src="tsmediawizardcontrol.cpp:771")
    tb("Getting MP time information", src="tsmediawizardcontrol.cpp:2108")
    for i in range(4):
        tb("CLibSMSMessageWinHttpTransport::Send: URL: mp01.corp.contoso.com:80  GET /SMS_MP/.sms_aut?MPKEYINFORMATIONMEDIA",
           src="libsmsmessaging.cpp:8604", dt=6000 if i else 20)
        tb("Error. Received 0x80072ee7 from WinHttpSendRequest.", typ=3, src="libsmsmessaging.cpp:8790", dt=2300)
        tb("unknown host (gethostbyname failed)", typ=3, src="libsmsmessaging.cpp:8826")
        tb("sending with winhttp failed; 80072ee7", typ=3, src="libsmsmessaging.cpp:8955")
        if i < 3:
            tb("Will retry in 6 second(s)", src="libsmsmessaging.cpp:8969")
    pu = s.comp("TsProgressUI", ["progressui.cpp:412"])
    m = CB_MSG + r"\libsmsmessaging.cpp"
    wc = CB + r"\client\tasksequence\tsmbootstrap\tsmediawizardcontrol.cpp"
    T = lambda role: ("chain", "nic", role)
    tb(frame("hr", "80072ee7", m, 7780), typ=3, src="libsmsmessaging.cpp:7780", tag=T("frame"))
    tb(frame("pTransport->Send( sUrl, sRequest, sReply )", "80072ee7", m, 8013), typ=3, src="libsmsmessaging.cpp:8013", tag=T("frame"))
    pu("Progress update: Retrieving policy for this computer", src="progressui.cpp:412", dt=1)
    tb(frame("MPTime.RequestMPTime()", "80072ee7", wc, 1791), typ=3, src="tsmediawizardcontrol.cpp:1791", tag=T("frame"))
    tb("Failed to get time information from MP: http://mp01.corp.contoso.com. Code(0x80072EE7)", typ=3,
       src="tsmediawizardcontrol.cpp:1795", tag=T("close"))
    tb(frame("ClientIdentity.RequestClientIdentity ()", "80072ee7", wc, 815), typ=3, src="tsmediawizardcontrol.cpp:815", tag=T("frame"))
    tb("Failed to get client identity (80072ee7)", typ=3, src="tsmediawizardcontrol.cpp:817", tag=T("close"))
    tb(frame("pWelcomePage->m_pTSMediaWizardControl->GetPolicy()", "80072ee7",
             CB + r"\client\tasksequence\tsmbootstrap\tsmediawelcomepage.cpp", 280), typ=3, src="tsmediawelcomepage.cpp:280", tag=T("frame"))
    tb("Setting wizard error: An error occurred while retrieving policy for this computer  (0x80072EE7). For more "
       "information, please contact your system administrator or helpdesk operator.", src="tsmediawizardcontrol.cpp:1946", tag=T("close"))
    wizard_end(s, tb, bs, 0x80072EE7)
    return L


UPG_PKG = "PS100321"


def setup_cmd(extra):
    return ('"C:\\_SMSTaskSequence\\Packages\\%s\\SETUP.EXE" /ImageIndex 3 /auto Upgrade /quiet /noreboot /EULA accept '
            '/postoobe "C:\\WINDOWS\\SMSTSPostUpgrade" /postrollback "C:\\WINDOWS\\SMSTSPostUpgrade\\SetupRollback.cmd" '
            '/postrollbackcontext system /DynamicUpdate Disable %s' % (UPG_PKG, extra))


def upgrade_head(s, name, extra):
    cmd = "OSDUpgradeWindows.exe /ImageIndex:3 /ImagePackageID:%s /%s" % (UPG_PKG, "ScanOnly" if "ScanOnly" in extra else "Upgrade")
    s.begin(s.runner_ip, name, ["OSDSetupAdditionalUpgradeOptions", "_SMSTSOSUpgradeActionReturnCode",
                                "OSDUpgradeWindowsEditionIndex", "SetupCompletePause"])
    s.command(cmd, "FullOS")
    c = s.comp("OSDUpgradeWindows", ["upgradewindows.cpp:1287", "upgradewindows.cpp:902", "main.cpp:118"])
    banner(c, "OSDUpgradeWindows.exe", cmd)
    c("Current OS: Windows 10 Enterprise 22H2 (10.0.19045.5487), target: Windows 11 Enterprise 24H2 (10.0.26100.2894)", dt=40)
    download_lines(c, s.log, UPG_PKG, ["SETUP.EXE", "sources\\install.wim"], 4612, secs=240) if "ScanOnly" in extra else \
        c("Content for %s already present at C:\\_SMSTaskSequence\\Packages\\%s" % (UPG_PKG, UPG_PKG), dt=300)
    c("Command line of Windows Setup upgrade: '%s'" % setup_cmd(extra), dt=30)
    c("Executing command line: %s with options (0, 0)" % setup_cmd(extra), dt=10)
    c("Windows Setup (SetupHost.exe) started, process %d" % (c.thread + 12), dt=2400)
    return c


def build_fail_ipu():
    L = Log("2026-05-12 09:58:27.604", -120, 38)
    s = Session(L, winpe=False)
    s.table_size = 22
    s.start_manager(cmdline="\"C:\\WINDOWS\\CCM\\TsManager.exe\"")
    r = Runner(s)
    r.group("Prepare for Upgrade")
    r.step("Run PowerShell Script - Pre-Upgrade Inventory", st_ps, script="Get-PreUpgradeInventory.ps1", pkg="PS1000C2",
           output=["Inventory written to C:\\ProgramData\\Contoso\\PreUpgrade\\inventory.json", "Free space on C: 71.4 GB"])
    r.end()
    r.group("Upgrade the Operating System")
    s.runner_ip = r.ip
    name = "Upgrade Operating System"
    c = upgrade_head(s, name, "/compat IgnoreWarning")
    for pct in (4, 11, 17):
        c("Windows Setup progress: %d%% (downlevel phase)" % pct, dt=L.rng.randint(40000, 80000))
    p = CB_OSD + r"\upgradewindows\upgradewindows.cpp"
    lines = [("Process completed with exit code 3247440392", 62000, 1, None),
             ("Windows Setup completed with exit code 0xC1900208 (MOSETUP_E_COMPAT_INSTALLREQ_BLOCK)", 10, 3, None),
             ("Setting TS variable _SMSTSOSUpgradeActionReturnCode=3247440392", 2, 1, None),
             ("Compatibility data: C:\\$WINDOWS.~BT\\Sources\\Panther\\CompatData_2026_05_12_10_06_41_0_00000003.xml", 5, 1, None),
             ("Hard block: program 'Contoso Legacy Disk Shield 6.1' must be uninstalled before Windows can be upgraded", 3, 3, None),
             (frame("RunSetup( sSetupCommandLine, dwSetupExitCode )", "c1900208", p, 1287), 1, 3, "frame"),
             (frame("UpgradeWindows::Execute()", "c1900208", p, 1502), 1, 3, "frame"),
             ("Windows Setup failed, code 0xC1900208. Code(0xC1900208)", 1, 3, "close"),
             ("Exiting with return code 0xC1900208", 2, 1, "close")]
    child_lines(c, lines, "ipu")
    s.finish_fail(name, 0xC1900208, "Unknown error", prog=False, source="Unknown")
    s.abort(name, 0xC1900208, "Unknown error", ["Upgrade the Operating System"], 0x80004005,
            ts_name="Upgrade to Windows 11 24H2")
    fullos_fail_tail(s)
    return L


def build_fail_bitlocker():
    L = Log("2026-11-03 10:12:08.774", -600, 39)
    s = Session(L, standalone=True)
    bs, tb = winpe_boot(s, "media", nic=("Intel(R) Ethernet Connection (16) I219-V", "192.168.50.23"))
    tb("Running Task Sequence in standalone.", typ=0, src="tsmbootstrap.cpp:554")
    tb("Loading the Environment Variables from \"D:\\SMS\\data\\variables.dat\".", src="tsmbootstrap.cpp:580")
    tb("Media is stand-alone media; no policy will be requested from a management point", src="tsmediawizardcontrol.cpp:2960")
    launch_manager(s, tb)
    s.start_manager()
    r = Runner(s)
    install_os_group(r, netsettings=False)
    r.group("Security")
    p = r"..\main.cpp"
    lines = [(frame("FALSE", "80070057", p, 238), 10, 3, "frame"),
             ("Invalid command line argument '/full'", 1, 3, "member"),
             (frame("ProcessCommandLine( argInfo )", "80070057", p, 1011), 1, 3, "frame"),
             ("Failed to process the command line. Code(0x80070057)", 1, 3, "close"),
             ("Exiting with return code 0x80070057", 2, 1, "close")]
    failing_action(s, r, "Enable BitLocker", ["OSDBitLockerMode", "OSDBitLockerPIN", "OSDBitLockerRecoveryPassword",
                                              "OSDBitLockerWaitForEncryption", "OSDBitLockerUsedSpaceOnly"],
                   '"OSDBitLocker.exe" /enable /wait:False /mode:TPM /pwd:AD /full:False', "FullOS", "OSDBitLocker",
                   ["main.cpp:238"], "OSDBitLocker.exe", lines, "bde", 0x80070057, "The parameter is incorrect.",
                   0x80004005, ["Security"], prog=True)
    return L


def build_fail_runcmd():
    L, s, bs, tb = prelude(40, "2026-12-01 09:14:55.316", 0, pkgs=("PS100012", "PS100031", "PS100002", "PS10009D"))
    r = Runner(s)
    install_os_group(r)
    r.group("Configure")
    r.step("Install Application - Contoso VPN Client", st_app, app="Contoso VPN Client", ver="4.2.1")
    name = "Apply Corporate Baseline"
    out = ["Set-CorpBaseline 2.0 starting on WKS-71D0E2",
           "Importing registry baseline from C:\\_SMSTaskSequence\\Packages\\PS10009D\\Config\\baseline.reg",
           "Copy-Item : Cannot find path 'C:\\_SMSTaskSequence\\Packages\\PS10009D\\Config\\baseline.reg' because it does not exist.",
           "At C:\\_SMSTaskSequence\\Packages\\PS10009D\\Set-CorpBaseline.ps1:42 char:5",
           "+     Copy-Item -Path $regFile -Destination $env:TEMP -ErrorAction Stop",
           "+     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
           "    + CategoryInfo          : ObjectNotFound: (C:\\_SMSTaskSe...g\\baseline.reg:String) [Copy-Item], ItemNotFoundException",
           "    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.CopyItemCommand",
           "Baseline failed: exiting with code 2"]
    st_ps(s, r.ip, name, "Set-CorpBaseline.ps1", "PS10009D", out, exit_code=2)
    s.finish_fail(name, 2, "The system cannot find the file specified.", exit_value=2, prog=False)
    s.abort(name, 2, "The system cannot find the file specified.", ["Configure"], 0x80004005)
    fullos_fail_tail(s)
    return L


def build_fail_tsenv():
    L, s, bs, tb = prelude(41, "2026-04-21 18:40:02.905", 300, ts_name="Build and Capture Windows 11 24H2")
    r = Runner(s)
    install_os_group(r, netsettings=False, drivers=False)
    r.group("Updates")
    name = "Install Software Updates"
    kbs1 = ["KB5050094", "KB5049617", "KB5048779"]
    c = st_updates(s, r.ip, name, kbs1)
    for kb in kbs1:
        c("Update %s installed successfully" % kb, dt=L.rng.randint(40000, 150000))
    c("Installation of updates completed, a restart is required", dt=40)
    c("Exiting with return code 0x00000BC2", dt=5)
    s.finish_ok(name, r.ip, 3010)
    st_restart_after_updates = reboot_request
    st_restart_after_updates(s, name, "HD")
    L.sleep(96000)
    s.start_manager(resume=True, cmdline="C:\\WINDOWS\\CCM\\TsManager.exe /service")
    kbs2 = ["KB5052915"]
    c = st_updates(s, r.ip, name, kbs2)
    c("Update KB5052915 installed successfully", dt=L.rng.randint(90000, 160000))
    c("Windows is restarting to complete the installation of updates", typ=2, dt=800)
    L.sleep(212000)
    tm = s.comp("TSManager", ["tsmanager.cpp:1009"])
    s.tm = tm
    ut = CB_TSCORE + r"\utils.cpp"
    T1 = lambda role: ("chain", "env1", role)
    T2 = lambda role: ("chain", "env2", role)
    tm("Successfully intialized Logging for TS Manager.", src="tsmanager.cpp:1009")
    tm("Commandline: C:\\WINDOWS\\CCM\\TsManager.exe /service", src="tsmanager.cpp:102")
    tm(frame("!sVolumeID.empty()", "80004005", ut, 2317), typ=3, src="utils.cpp:2317", tag=T1("frame"))
    tm(frame("!sTSMDataPath.empty()", "80070002", ut, 2406), typ=3, src="utils.cpp:2406", tag=T1("frame"))
    tm(frame("TS::Utility::GetTSMDataPath( sDataDir )", "80070002", CB_TSCORE + r"\tslogging.cpp", 2461), typ=3,
       src="tslogging.cpp:2461", tag=T1("frame"))
    tm("Failed to set log directory. Some execution history may be lost.\nThe system cannot find the file specified. "
       "(Error: 80070002; Source: Windows)", typ=3, src="tsmanager.cpp:1037", tag=T1("close"))
    tm("**************************************************", src="tsmanager.cpp:125", dt=300)
    tm("TSManager executing in SMS mode", src="tsmanager.cpp:126")
    tm("Executing task sequence", src="tsmanager.cpp:1356", dt=900)
    tm("Looking for the task sequence environment on local volumes", src="tsmanager.cpp:1371")
    tm(frame("!sVolumeID.empty()", "80004005", ut, 2317), typ=3, src="utils.cpp:2317", tag=T2("frame"))
    tm(frame("!sTSMDataPath.empty()", "80070002", ut, 2406), typ=3, src="utils.cpp:2406", tag=T2("frame"))
    tm("Task Sequence environment not found", typ=3, src="tsmanager.cpp:1385", tag=T2("close"))
    tm("Task Sequence Manager could not initialize Task Sequence Environment. code 80070002", typ=3, src="tsmanager.cpp:1391",
       tag=T2("close"))
    tm("Task sequence execution failed with error code 80070002", typ=3, src="tsmanager.cpp:1530")
    tm("Task Sequence Manager (TSManager) has completed execution.", src="tsmanager.cpp:1584")
    return L


# ---------------------------------------------------------------------------
# 4. in-place-upgrade.log (success)
# ---------------------------------------------------------------------------
def build_ipu_ok():
    L = Log("2026-09-29 13:30:05.482", 480, 42)
    s = Session(L, winpe=False)
    s.table_size = 24
    s.start_manager(cmdline="\"C:\\WINDOWS\\CCM\\TsManager.exe\"")
    r = Runner(s)
    r.group("Prepare for Upgrade")
    r.step("Run PowerShell Script - Pre-Upgrade Checks", st_ps, script="Test-UpgradeReadiness.ps1", pkg="PS1000C2",
           output=["TPM 2.0: present, ready", "Secure Boot: on", "Free space on C: 88.2 GB (>= 20 GB required)",
                   "Pending reboot: no", "Readiness: PASS"])
    s.runner_ip = r.ip
    name = "Upgrade Operating System - Compatibility Scan"
    c = upgrade_head(s, name, "/Compat ScanOnly")
    c("Process completed with exit code 3247440400", dt=L.rng.randint(180000, 260000))
    c("Windows Setup compatibility scan completed with exit code 0xC1900210 (no compatibility issues found)", dt=10)
    c("Setting TS variable _SMSTSOSUpgradeActionReturnCode=3247440400", dt=2)
    c("Exiting with return code 0x00000000", dt=2)
    s.finish_ok(name, r.ip + 1)
    r.ip += 1
    r.end()
    r.group("Upgrade the Operating System")
    s.runner_ip = r.ip
    name = "Upgrade Operating System"
    c = upgrade_head(s, name, "/compat IgnoreWarning")
    for pct in (6, 13, 21, 29, 34, 41):
        c("Windows Setup progress: %d%% (downlevel phase)" % pct, dt=L.rng.randint(60000, 110000))
    c("Process completed with exit code 0", dt=70000)
    c("Windows Setup completed successfully (exit code 0x00000000)", dt=10)
    c("Setting TS variable _SMSTSOSUpgradeActionReturnCode=0", dt=2)
    c("Windows Setup requires a restart to continue the upgrade", dt=2)
    c("Exiting with return code 0x00000000", dt=2)
    s.finish_ok(name, r.ip + 1)
    reboot_request(s, name, "HD")
    r.ip += 1
    L.sleep(47 * 60000 + 12000)
    tb = s.comp("TSMBootstrap", ["tsmbootstrap.cpp:1211"])
    tb("==============================[ TSMBootStrap.exe ]==============================", src="tsmbootstrap.cpp:1230")
    tb("Command line: C:\\WINDOWS\\CCM\\TSMBootstrap.exe /env:SAContinue", typ=0, src="tsmbootstrap.cpp:1231")
    tb("Current OS version is 10.0.26100.2894", src="util.cpp:3618")
    tb("Started from SetupComplete.cmd after the Windows upgrade (_SMSTSSetupRollback is not set)", src="tsmbootstrap.cpp:1288")
    tb("Resuming Task Sequence", src="tsmbootstrap.cpp:1302")
    tb("Executing command line: \"C:\\WINDOWS\\CCM\\TsManager.exe\" /service", src="commandline.cpp:827")
    s.start_manager(resume=True, cmdline="\"C:\\WINDOWS\\CCM\\TsManager.exe\" /service")
    r.end()
    r.group("Post-Processing")
    r.step("Install Application - Contoso VPN Client", st_app, app="Contoso VPN Client", ver="4.2.1")
    r.step("Run PowerShell Script - Remove Provisioned Appx", st_ps, script="Remove-ProvisionedAppx.ps1", pkg="PS1000C2",
           output=["Removed Microsoft.BingNews_4.55.62231.0_x64__8wekyb3d8bbwe",
                   "Removed Microsoft.GamingApp_2409.1001.5.0_x64__8wekyb3d8bbwe",
                   "Kept Microsoft.WindowsCalculator (allow list)", "3 removed, 1 kept, 0 errors"])
    r.step("Restart Computer", st_restart)
    r.end()
    r.skip_group("Rollback", ("_SMSTSSetupRollback", "equals", "TRUE"), 2)
    finish_success(s)
    return L


# ---------------------------------------------------------------------------
# 9. rolled pair: smsts-20261112-101502.log (older part) + smsts.log (continues, fails)
# ---------------------------------------------------------------------------
ROLL_MAX = 131072


def build_rolled_log(start):
    L, s, bs, tb = prelude(43, start, -60, pkgs=("PS100012", "PS100031", "PS100002", "PS1000B7"))
    r = Runner(s)
    install_os_group(r)
    r.group("Setup Operating System")
    r.step("Install Application - Contoso VPN Client", st_app, app="Contoso VPN Client", ver="4.2.1")
    r.step("Install Application - Microsoft 365 Apps", st_app, app="Microsoft 365 Apps for enterprise", ver="16.0.17928")
    r.step("Run PowerShell Script - Set-CorpDefaults", st_ps, script="Set-CorpDefaults.ps1", pkg="PS10009C",
           output=["Set-CorpDefaults 1.4 starting on WKS-2B8E90", "Completed: 5 changes, 0 skipped, 0 errors"])
    pkg = "PS1000B7"
    rs = CB_TSCORE + r"\resolvesource.cpp"
    dc = CB_OSD + r"\downloadcontent\downloadcontent.cpp"
    lines = [("Downloading content for package %s" % pkg, 20, 1, None),
             ("Resolving source for package %s" % pkg, 5, 1, None),
             ("Getting content locations for package %s" % pkg, 5, 1, None),
             ("Content location request for %s:2 failed. (Code 0x80040102)" % pkg, 380, 3, None),
             (frame("TS::Utility::GetContentLocations( pszPkgID, lSourceVersion, slistLocations )", "80040102", rs, 2871), 1, 3, "frame"),
             (frame("TS::Utility::ResolveSource( pszPkgID, sResolvedSource, dwFlags, 0, 0, 0, mapNetworkAccess )", "80040102", rs, 3386),
              1, 3, "frame"),
             ("Failed to resolve the source for SMS PKGID=%s, hr=0x80040102" % pkg, 1, 3, "close"),
             (frame("DownloadContent::Execute()", "80040102", dc, 842), 1, 3, "frame"),
             ("Failed to download content for package %s. Code(0x80040102)" % pkg, 1, 3, "close"),
             ("Exiting with return code 0x80040102", 2, 1, "close")]
    failing_action(s, r, "Download Package Content - Dell BIOS Update", ["OSDDownloadDownloadPackages",
                                                                        "OSDDownloadDestinationLocationType",
                                                                        "OSDDownloadDestinationVariable"],
                   "osddownloadcontent.exe", "WinPEandFullOS", "DownloadContent", ["downloadcontent.cpp:281"],
                   "OSDDownloadContent.exe", lines, "roll", 0x80040102, "Unknown error", 0x80004005,
                   ["Setup Operating System"], prog=False, source="Unknown")
    return L


def split_rolled(L):
    size, cut = 0, 0
    for i, (t, _) in enumerate(L.items):
        size += len(t.encode("utf-8")) + 2
        if size > ROLL_MAX:
            cut = i
            break
    return cut


def build_rolled():
    start = "2026-11-12 09:40:00.000"
    L = build_rolled_log(start)
    cut = split_rolled(L)
    m = re.search(r'time="(\d\d):(\d\d):(\d\d)\.(\d{3})', L.items[cut][0])
    first = datetime.datetime(2026, 11, 12, int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)) * 1000)
    target = datetime.datetime(2026, 11, 12, 10, 15, 2, 431000)
    t0 = datetime.datetime.strptime(start, "%Y-%m-%d %H:%M:%S.%f") + (target - first)
    L = build_rolled_log(t0.strftime("%Y-%m-%d %H:%M:%S.%f"))
    assert split_rolled(L) == cut
    old, new = Log.__new__(Log), Log.__new__(Log)
    old.items, new.items = L.items[:cut], L.items[cut:]
    return old, new


# ---------------------------------------------------------------------------
# 8. UTF-16 logs
# ---------------------------------------------------------------------------
def build_utf16le():
    """Setup Windows and ConfigMgr fails with 0x80070005 (custom SetupComplete.cmd in the image)."""
    L, s, bs, tb = prelude(44, "2026-03-24 15:48:37.190", -60)
    r = Runner(s)
    install_os_group(r, drivers=False, setup=False)
    r.step("Copy Corporate Setup Scripts", st_cmdline,
           cmd="cmd.exe /c xcopy \"%_SMSTSMDataPath%\\Packages\\PS10009E\\Scripts\" C:\\WINDOWS\\Setup\\Scripts\\ /e /y",
           phase="WinPE", out=["X:\\_SMSTaskSequence\\Packages\\PS10009E\\Scripts\\SetupComplete.cmd",
                               "X:\\_SMSTaskSequence\\Packages\\PS10009E\\Scripts\\Set-Wallpaper.ps1", "2 File(s) copied"])
    name = "Setup Windows and ConfigMgr"
    s.begin(r.ip, name, ["SMSClientInstallProperties", "OSDSetupWindowsEnableClientCache"])
    s.command("OSDSetupWindows.exe", "WinPE")
    c = s.comp("OSDSetupWindows", ["main.cpp:249", "setupwindows.cpp:934"])
    banner(c, "OSDSetupWindows.exe", "OSDSetupWindows.exe")
    c("Found unattend file C:\\WINDOWS\\panther\\unattend\\unattend.xml", dt=40)
    c("Copying client package PS100002 to C:\\_SMSTaskSequence\\OSD\\PS100002", dt=30)
    c("Successfully copied the client installation files", dt=4100)
    c("Installing hook to 'C:\\WINDOWS'", dt=20)
    c("Executing command line: \"X:\\sms\\bin\\x64\\OSDSETUPHOOK.EXE\" \"/install:C:\\WINDOWS\" /version:10.0", dt=10)
    h = s.comp("OSDSetupHook", ["hook.cpp:244"])
    banner(h, "OSDSetupHook.exe", "\"X:\\sms\\bin\\x64\\OSDSETUPHOOK.EXE\" \"/install:C:\\WINDOWS\" /version:10.0")
    hp = CB_OSD + r"\setuphook\hook.cpp"
    child_lines(h, [("Installing the setup hook into C:\\WINDOWS", 20, 1, None),
                    ("C:\\WINDOWS\\Setup\\Scripts\\SetupComplete.cmd already exists and is not ours", 10, 2, None),
                    (frame("!shCmdFile.null()", "80070005", hp, 244), 1, 3, "frame"),
                    (frame("InstallHook( sWindowsDir, sVersion )", "80070005", hp, 391), 1, 3, "frame"),
                    ("Failed to install the setup hook. Permissions on the requested may be configured incorrectly.", 1, 3, "close"),
                    ("Failed to install OSD setup hook (0x80070005)", 1, 3, "close")], "hook")
    c("Install setup hook failed with error code (80070005).", typ=3, dt=20)
    c("Failed to install setup hook (80070005)", typ=3, dt=1)
    c("Exiting with code 0x80070005", dt=2)
    lead = "Failed to run the action: Setup Windows and ConfigMgr. Permissions on the requested may be configured incorrectly."
    s.finish_fail(name, 0x80070005, "Access is denied.", lead=lead)
    s.abort(name, 0x80070005, "Access is denied.", ["Install Operating System"], 0x80004005)
    winpe_fail_tail(s, 0x80004005)
    return L


def build_utf16be():
    """A short run still in progress: stand-alone media, Apply Operating System at 35 %."""
    L = Log("2026-06-18 11:02:44.118", -120, 45)
    s = Session(L, standalone=True)
    s.table_size = 12
    bs, tb = winpe_boot(s, "media", nic=("Realtek USB GbE Family Controller", "192.168.1.44"))
    tb("Running Task Sequence in standalone.", typ=0, src="tsmbootstrap.cpp:554")
    launch_manager(s, tb)
    s.start_manager()
    r = Runner(s)
    r.group("Install Operating System")
    s.begin(r.ip, "Apply Operating System", ["OSDImagePackageId", "OSDImageIndex"])
    s.command("OSDApplyOS.exe /image:SA100003,1 /target:C: /runfromnet:False", "WinPE")
    c = s.comp("ApplyOperatingSystem", ["applyos.cpp:1304"])
    banner(c, "OSDApplyOS.exe", "OSDApplyOS.exe /image:SA100003,1 /target:C: /runfromnet:False")
    c("Opening image file D:\\SMS\\PKG\\SA100003\\install.wim", dt=60)
    c("Applying image 1 to volume C:", dt=240)
    for pct in range(5, 36, 5):
        c("Applying image: %d%%" % pct, dt=16000 + L.rng.randint(-900, 900))
    return L


# ---------------------------------------------------------------------------
# 6. SMS Trace (ConfigMgr 2007 ccmsetup.log)
# ---------------------------------------------------------------------------
def build_smstrace():
    t = datetime.datetime(2026, 1, 27, 14, 2, 11, 315000)
    rng = random.Random(46)
    lines = []
    tag_items = []

    def w(msg, thread=2140, comp="ccmsetup", dt=None):
        nonlocal t
        t += datetime.timedelta(milliseconds=rng.randint(0, 40) if dt is None else dt)
        stamp = "%s %02d:%02d:%02d.%03d+300" % (t.strftime("%m-%d-%Y"), t.hour, t.minute, t.second, t.microsecond // 1000)
        text = "%s  $$<%s><%s><thread=%d (0x%X)>" % (msg.replace("\n", CRLF), comp, stamp, thread, thread)
        lines.append(text)
        tag_items.append((text, None))
    w("==========[ ccmsetup started in process 3728 ]==========")
    w("Version: 4.0.6487.2000")
    w("Running on OS (5.1.2600). Service Pack (3.0). SuiteMask = 256. Product Type = 1")
    w("Ccmsetup command line: \"C:\\WINDOWS\\system32\\ccmsetup\\ccmsetup.exe\" /source:\\\\CM07SRV01\\SMS_CEN\\Client SMSSITECODE=CEN")
    w("Command line parameters for ccmsetup have been specified.  No registry lookup for command line parameters is required.")
    w("SslState value: 224")
    w("CCMHTTPPORT:    80")
    w("CCMHTTPSPORT:    443")
    w("CCMHTTPSSTATE:    0")
    w("Config file:      ")
    w("Retry time:       10 minute(s)")
    w("MSI log file:     C:\\WINDOWS\\system32\\ccmsetup\\client.msi.log")
    w("MSI properties:    SMSSITECODE=\"CEN\"")
    w("Source List:")
    w("                  \\\\CM07SRV01\\SMS_CEN\\Client")
    w("MPs:")
    w("                  None")
    w("Updated security on object C:\\WINDOWS\\system32\\ccmsetup\\.")
    w("A Fallback Status Point has not been specified.  Message with STATEID='100' will not be sent.")
    w("Running as user \"SYSTEM\"")
    w("Detected 31744 MB free disk space on system drive.")
    w("Checking Write Filter Status.", dt=200)
    w("This is not a supported write filter device. We are not in a write filter maintenance mode.")
    w("Downloading file \\\\CM07SRV01\\SMS_CEN\\Client\\ccmsetup.exe", thread=2152)
    w("Downloading \\\\CM07SRV01\\SMS_CEN\\Client\\ccmsetup.exe to C:\\WINDOWS\\system32\\ccmsetup\\ccmsetup.exe", thread=2152)
    w("File download 100% complete (1188176 of 1188176 bytes).", thread=2152, dt=1400)
    w("Download complete.", thread=2152)
    for f, size in (("WindowsUpdateAgent30-x86.exe", 6736448), ("msxml6.msi", 1563648), ("msrdcoob_x86.exe", 758616),
                    ("client.msi", 6369280)):
        w("Downloading file \\\\CM07SRV01\\SMS_CEN\\Client\\i386\\%s" % f, thread=2152)
        w("File download 100%% complete (%d of %d bytes)." % (size, size), thread=2152, dt=rng.randint(900, 4000))
        w("Download complete.", thread=2152)
    w("Installing file 'C:\\WINDOWS\\system32\\ccmsetup\\WindowsUpdateAgent30-x86.exe' with options '/quiet /norestart'", dt=300)
    w("File 'C:\\WINDOWS\\system32\\ccmsetup\\WindowsUpdateAgent30-x86.exe' returned success '0'", dt=41000)
    w("Installing file 'C:\\WINDOWS\\system32\\ccmsetup\\msxml6.msi' with options 'REBOOT=ReallySuppress ALLUSERS=1 /q'", dt=100)
    w("File 'C:\\WINDOWS\\system32\\ccmsetup\\msxml6.msi' returned success '0'", dt=9000)
    w("Installing file 'C:\\WINDOWS\\system32\\ccmsetup\\msrdcoob_x86.exe' with options '/quiet /norestart'", dt=100)
    w("File 'C:\\WINDOWS\\system32\\ccmsetup\\msrdcoob_x86.exe' returned success '0'", dt=7000)
    w("Installing file 'C:\\WINDOWS\\system32\\ccmsetup\\client.msi' with options 'SMSSITECODE=\"CEN\" CCMHTTPPORT=\"80\"'", dt=200)
    w("Running installation package\n  Package:     C:\\WINDOWS\\system32\\ccmsetup\\client.msi\n  Log:         C:\\WINDOWS\\system32\\ccmsetup\\client.msi.log\n  Properties:  SMSSITECODE=\"CEN\" CCMHTTPPORT=\"80\" CCMHTTPSPORT=\"443\"", dt=10)
    w("MSI: Action 14:05:02: CcmRegisterWinTask. Registering the Configuration Manager client task with the task scheduler.", dt=120000)
    w("MSI: Setup failed due to unexpected circumstances\nThe error code is 80070643", dt=2400)
    w("MSI: Action 14:05:07: Rollback. Rolling back action:", dt=5000)
    w("File C:\\WINDOWS\\system32\\ccmsetup\\client.msi installation failed. Error text: ExitCode: 1603\nAction: CcmRegisterWinTask.\nErrorMessages:\nSetup failed due to unexpected circumstances\nThe error code is 80070643", dt=38000)
    w("Next retry in 120 minute(s)...", dt=20)
    w("InstallFromManifest failed 0x80070643")
    w("Failed to install the client. Installation failed with error code 1603", dt=5)
    text = "".join(x + CRLF for x in lines)
    SAMPLES.append(Sample("smstrace-ccmsetup.log", "smstrace", "utf-8", "", "", items=tag_items, data=encode(text, "utf-8")))


# ---------------------------------------------------------------------------
# edge-cases.log
# ---------------------------------------------------------------------------
EDGE_NOTES = []


def build_edge():
    parts = []

    def add(raw, note, end=CRLF):
        parts.append(raw + end)
        EDGE_NOTES.append(note)
    ok = '<![LOG[%s]LOG]!><time="07:30:%02d.%03d+60" date="01-09-2026" component="TSManager" context="" type="1" thread="2204" file="tsmanager.cpp:1009">'
    add(ok % ("Edge cases: a well-formed record to start with", 1, 100), "well-formed record (bias +60)")
    add('<![LOG[Record without a file attribute]LOG]!><time="07:30:01.150+60" date="01-09-2026" component="TSManager" context="" type="1" thread="2204">',
        "no `file=` attribute")
    add('<![LOG[Record with an empty type]LOG]!><time="07:30:01.200+60" date="01-09-2026" component="TSManager" context="" type="" thread="2204" file="tsmanager.cpp:1010">',
        "`type=\"\"` (empty)")
    add('<![LOG[Record with attributes in another order (thread before time)]LOG]!><thread="2204" component="TSManager" type="1" date="01-09-2026" time="07:30:01.250+60" file="tsmanager.cpp:1011" context="">',
        "attributes reordered: `thread` first, `time` after `date`")
    add('<![LOG[Record with an unknown attribute]LOG]!><time="07:30:01.300+60" date="01-09-2026" component="TSManager" context="" type="1" thread="2204" foo="x" file="tsmanager.cpp:1012">',
        "unknown extra attribute `foo=\"x\"`")
    add('<![LOG[Verbose record, type 0]LOG]!><time="07:30:01.350+60" date="01-09-2026" component="TSManager" context="" type="0" thread="2204" file="tsmanager.cpp:1013">',
        "`type=\"0\"` (info)")
    add('<![LOG[Record with an odd type 7]LOG]!><time="07:30:01.400+60" date="01-09-2026" component="TSManager" context="" type="7" thread="2204" file="tsmanager.cpp:1014">',
        "`type=\"7\"` (unknown severity)")
    add('<![LOG[Warning with a negative bias (UTC+5:30 is bias -330)]LOG]!><time="13:00:01.450-330" date="01-09-2026" component="TSManager" context="" type="2" thread="2204" file="tsmanager.cpp:1015">',
        "negative bias `-330`, type 2")
    add('<![LOG[Error with a date that does not parse]LOG]!><time="07:30:01.500+60" date="13-45-2026" component="TSManager" context="" type="3" thread="2204" file="tsmanager.cpp:1016">',
        "date `13-45-2026` (month 13, day 45), type 3")
    add('<![LOG[Record with a 7-digit fraction and no bias]LOG]!><time="07:30:01.5500000" date="1-9-2026" component="TSManager" context="" type="1" thread="2204" file="">',
        "time `07:30:01.5500000` (7 fraction digits, no bias), date `1-9-2026` (no zero padding), `file=\"\"`")
    add('<![LOG[Record with missing time, date and component]LOG]!><context="" type="1" thread="2204" file="tsmanager.cpp:1017">',
        "no `time`, `date` or `component` attribute")
    add('<![LOG[]LOG]!><time="07:30:01.600+60" date="01-09-2026" component="TSManager" context="" type="1" thread="2204" file="tsmanager.cpp:1018">',
        "empty message")
    add('<![LOG[Command line output:\r\n  line two of the message\r\n\r\n  line four, after an empty line\r\nlast line]LOG]!><time="07:30:01.650+60" date="01-09-2026" component="SMSTSRunCommandLine" context="" type="1" thread="3310" file="runcommandline.cpp:612">',
        "one record whose message spans 5 lines (one of them empty)")
    add('---- 8< ---- lines removed by the support tool ---- 8< ----', "a line that fits no format (raw text between records)")
    add('<![LOG[Message with a terminal escape: \x1b]52;c;cm0gLXJmIH4v\x07 and \x1b[2J\x1b[31mred\x1b[0m and a bell \x07 end]LOG]!><time="07:30:01.700+60" date="01-09-2026" component="TSManager" context="" type="2" thread="2204" file="tsmanager.cpp:1019">',
        "literal ESC bytes: an OSC 52 clipboard write (`ESC ] 52 ; c ; ... BEL`), a clear-screen `ESC [ 2 J`, SGR colour codes and a bare BEL")
    add('<![LOG[Message containing ]LOG] without the closing bang, and a <![LOG[ opener]LOG]!><time="07:30:01.750+60" date="01-09-2026" component="TSManager" context="" type="1" thread="2204" file="tsmanager.cpp:1020">',
        "message containing `]LOG]` and `<![LOG[` inside it")
    add(ok % ("Ünïcode Tööl 日本語 and a tab:\there", 1, 800), "non-ASCII (Latin-1 range and CJK) and a literal TAB in the message")
    add('<![LOG[Last record is unterminated: no closing marker and no final newline', "last record unterminated: no `]LOG]!>`, no attributes, no final newline", end="")
    text = "".join(parts)
    items = [(p[:-2] if p.endswith(CRLF) else p, None) for p in parts]
    SAMPLES.append(Sample("edge-cases.log", "cmtrace", "utf-8", "", "", items=items, data=encode(text, "utf-8")))


# ---------------------------------------------------------------------------
# Registration and README
# ---------------------------------------------------------------------------
def b(rel, fn, encoding, shows, finding):
    def run():
        add_log(rel, fn(), encoding, shows, finding)
    return run


def b_rolled():
    old, new = build_rolled()
    add_log("rolled/smsts-20261112-101502.log", old, "utf-8",
            "Older half of a rolled pair: PXE bare-metal run cut when the log reached %d bytes (LogMaxSize); ends mid-run "
            "with no outcome line." % ROLL_MAX, "none in this part")
    add_log("rolled/smsts.log", new, "utf-8",
            "Continues the same run (same threads, clock keeps going) and ends in a failure: Download Package Content cannot "
            "find content for package PS1000B7 (0x80040102).", "content-not-found-on-dp-0x80040102")


def b_pasted():
    build_pasted()
    SAMPLES[-1].shows = ("Support-ticket prose around a pasted phase-one excerpt: one record per line, message then a space "
                         "and the component (no times, no threads).")
    SAMPLES[-1].finding = "naa-unset-and-signature-failure-after-site-restore (phase 1)"


def b_smstrace():
    build_smstrace()
    SAMPLES[-1].shows = ("ConfigMgr 2007 ccmsetup.log in SMS Trace format (`message  $$<comp><date time+bias><thread=N (0xN)>`), "
                         "two threads, three multi-line messages; client.msi fails with 1603 / 0x80070643.")
    SAMPLES[-1].finding = "none in kb-facts (client.msi 1603 / 0x80070643)"


def b_edge():
    build_edge()
    SAMPLES[-1].shows = "Parser edge cases, one per record (listed below)."
    SAMPLES[-1].finding = "none"


BUILDERS = [
    b("naa-not-set.log", build_naa, "utf-8",
      "Founding case, phase 1 (boot media, ConfigMgr 2007 SP2): the task sequence never starts; the 0x80040101 chain climbs "
      "from tspolicy.cpp to the resolve thread, interleaved with the wizard UI thread and TsProgressUI.",
      "naa-unset-and-signature-failure-after-site-restore (phase 1)"),
    b("signature-failure.log", build_signature, "utf-8",
      "Founding case, phase 2: reply decompression, CMSG_CTRL_VERIFY_SIGNATURE 0x8009100e, \"signature varification failed\", "
      "frames turning into 0x80004005, failed client identity, wizard error.",
      "naa-unset-and-signature-failure-after-site-restore (phase 2)"),
    b("bare-metal-success.log", build_bare_metal, "utf-8-bom",
      "Successful PXE bare-metal deployment: WinPE then full OS, groups, skipped steps and a skipped group, Setup Windows "
      "and ConfigMgr with reboot and resume, a Restart Computer with resume, Install Application steps (non-ASCII names), "
      "one ~50 KB single-line policy XML record, multi-line command output. One benign warning (type 2) only.",
      "none (clean run)"),
    b("in-place-upgrade.log", build_ipu_ok, "utf-8",
      "Successful Windows 10 22H2 -> Windows 11 24H2 in-place upgrade: compatibility scan (/Compat ScanOnly, setup "
      "returns 0xC1900210 = no issues, step exit 0), Upgrade Operating System (setup.exe/SetupHost, exit 0), reboot, "
      "resume from SetupComplete, post-processing, Rollback group skipped.",
      "none (clean run)"),
    b("fail-apply-driver-package.log", build_fail_driver, "utf-8",
      "Apply Driver Package fails: old OSDDriverClient.exe in a boot image not updated after the site upgrade rejects "
      "`/recurse:` (\"Argument 3 is invalid.\").",
      "apply-driver-package-boot-image-not-updated"),
    b("fail-install-application-mp.log", build_fail_app_mp, "utf-8",
      "Install Application fails in the full OS: no management point for the client's location, "
      "\"Policy Evaluation failed, hr=0x87d00269\", surfacing as 0x80004005.",
      "install-application-mp-not-found"),
    b("fail-hash-mismatch.log", build_fail_hash, "utf-8",
      "Apply Operating System downloads the WIM and the content hash does not match (0x80091007).",
      "hash-mismatch-content-out-of-sync (also matches apply-os-hash-mismatch-hardware, low)"),
    b("fail-no-disk-raid.log", build_fail_nodisk, "utf-8",
      "Boot media: no fixed disk is visible (SATA in RAID mode, no storage driver in the boot image); the wizard fails "
      "before the first step with 0x8007000F.",
      "no-disk-found-raid-mode"),
    b("fail-domain-join.log", build_fail_domain, "utf-8",
      "Join Domain or Workgroup fails with 0x8007054B (DC not found). An earlier Run Command Line (nltest, continue on "
      "error) also failed with 1355 and was ignored by the engine; it is not the failing step.",
      "domain-join-dc-not-found"),
    b("fail-usmt-capture.log", build_fail_usmt, "utf-8",
      "Refresh started in the full OS: Capture User State fails, scanstate.exe exits 27 (existing store, no /o), "
      "OSDMigrateUserState reports 0x80004005.",
      "usmt-27-invalid-store-location"),
    b("fail-nic-driver-winpe.log", build_fail_nic, "utf-8",
      "Boot media: WinPE has no NIC driver, no \"Found network adapter\" line, the MP name cannot be resolved "
      "(0x80072EE7, four retries), wizard error before the first step.",
      "winpe-no-network-adapter-or-ip"),
    b("fail-ipu-compat-block.log", build_fail_ipu, "utf-8",
      "In-place upgrade: Windows Setup exits 0xC1900208 (compatibility hard block by an installed program).",
      "ipu-compat-hard-block"),
    b("fail-enable-bitlocker.log", build_fail_bitlocker, "utf-8",
      "Stand-alone USB media: Enable BitLocker fails, the old OSDBitLocker.exe rejects `/full:` (0x80070057).",
      "enable-bitlocker-invalid-argument-full"),
    b("fail-run-command-line.log", build_fail_runcmd, "utf-8",
      "Run Command Line (smsswd / PowerShell script) returns exit code 2; the script output (multi-line) shows the "
      "missing file. No HRESULT chain.",
      "run-command-line-nonzero-exit"),
    b("fail-ts-env-not-found.log", build_fail_tsenv, "utf-8",
      "Install Software Updates: first pass asks for a restart (3010, resume), second pass is cut by a restart Windows "
      "starts on its own; after boot TSManager finds no task sequence environment.",
      "ts-environment-not-found-after-double-restart"),
    b_smstrace,
    b_pasted,
    b("utf16-osd-failure.log", build_utf16le, "utf-16le-bom",
      "UTF-16 LE with BOM, CRLF. Setup Windows and ConfigMgr fails with 0x80070005: a step copied a custom "
      "SetupComplete.cmd into the image before the setup hook was installed.",
      "setup-hook-access-denied-custom-setupcomplete"),
    b("utf16be-short.log", build_utf16be, "utf-16be-bom",
      "UTF-16 BE with BOM, CRLF. Short stand-alone media run still in progress (Apply Operating System at 35 %).",
      "none"),
    b_rolled,
    b_edge,
]

ENC_NAME = {"utf-8": "UTF-8, no BOM, CRLF", "utf-8-bom": "UTF-8 with BOM, CRLF", "utf-16le-bom": "UTF-16 LE with BOM, CRLF",
            "utf-16be-bom": "UTF-16 BE with BOM, CRLF"}


def md(x):
    return str(x).replace("|", "\\|")


def render_readme():
    o = []
    w = o.append
    w("# Sample logs\n")
    w("Task-sequence logs written for tslens: realistic SMSTS.log runs (successes and failures), the two phases of the "
      "founding case, other formats and encodings, a rolled pair and parser edge cases. All names, hosts, package IDs "
      "and times are fictitious. Dates are in 2026; times advance monotonically within each file.\n")
    w("The files are produced by `python3 scripts/make_samples.py` (deterministic; `--check` compares the files on disk "
      "with what the script would write). The figures below are computed by the script from the files as written, "
      "then read back.\n")
    w("## Files\n")
    w("| file | format | encoding | bytes | records | what it shows |")
    w("|---|---|---|---:|---:|---|")
    for s in SAMPLES:
        w("| `%s` | %s | %s | %d | %d | %s |" % (s.rel, s.fmt, ENC_NAME[s.encoding], s.result["bytes"], s.result["records"], md(s.shows)))
    w("\n`records` counts complete CMTrace records (`<![LOG[...]LOG]!><...>`), SMS Trace lines, or text lines for plain "
      "files. tslens also keeps every line that fits no format as a raw record, so for `edge-cases.log` it reports "
      "18 records: these 16, the raw line and the unterminated tail.\n")
    w("## Expected diagnosis\n")
    w("Rules used to compute these figures:\n")
    w("- **steps**: the number of `Start executing an instruction. Instruction name: X. Instruction pointer: N` records "
      "(group starts, group ends, skipped actions and re-executions after a resume each count).")
    w("- **outcome**: `succeeded` if `Task sequence completed 0x00000000` is present and no failure line; `failed` if any "
      "of `Task sequence execution failed with error code`, `Task Sequence Engine failed!`, `Execution of task sequence "
      "failed`, `Setting wizard error:`, `Task Sequence environment not found` is present; otherwise `running` if at "
      "least one step started, else `unknown`.")
    w("- **failing step**: the action named in the last `Failed to run the action: X.` that the engine did not ignore "
      "(`The execution engine ignored the failure of the action (X)`); if there is none and the run failed after "
      "steps started, the last step started. `null` for failures before the first step.")
    w("- **step exit**: the `Process completed with exit code N` logged by TSManager for the failing step, as 0x%08X.")
    w("- **run exit**: the code in `Task sequence execution failed with error code X` or `Task sequence completed 0xX`; "
      "for runs that never reach TSManager (0 steps), TSMBootstrap's `Exiting with return code 0xX`; otherwise null.")
    w("- **known problem**: the id in `research/kb-facts.md` the file is built to match.\n")
    w("| file | outcome | steps | failing step (line) | step exit | run exit | errors (type 3) | warnings (type 2) | known problem |")
    w("|---|---|---:|---|---|---|---:|---:|---|")
    for s in SAMPLES:
        r = s.result
        fs = "`%s` (%d)" % (r["failing_step"], r["failing_step_line"]) if r["failing_step"] else "null"
        w("| `%s` | %s | %d | %s | %s | %s | %s | %s | %s |" % (
            s.rel, r["outcome"], r["steps"], md(fs), r["step_exit_code"] or "null", r["exit_code"] or "null",
            r["errors"] if s.fmt == "cmtrace" else "-", r["warnings"] if s.fmt == "cmtrace" else "-", md(s.finding)))
    old = next(s for s in SAMPLES if s.rel == "rolled/smsts-20261112-101502.log").result
    new = next(s for s in SAMPLES if s.rel == "rolled/smsts.log").result
    w("\nThe rolled pair read together (older file first): outcome `%s`, %d steps, failing step `%s`, step exit %s, "
      "run exit %s. The older file was cut at a record boundary when it reached %d bytes; the first record of "
      "`smsts.log` is stamped 10:15:02, the time in the older file's name.\n" % (
          new["outcome"], old["steps"] + new["steps"], new["failing_step"], new["step_exit_code"], new["exit_code"], ROLL_MAX))
    w("## HRESULT chains\n")
    w("A chain is the run of `expr, HRESULT=XXXXXXXX (file,line)` frames through which one failure climbs the stack in "
      "**one thread**, together with the records of that thread between the frames and the summary lines that close it "
      "(`Failed to ... Code(0x...)`, `... returned code 0x...`, `Setting wizard error: ...`, `Exiting with return code "
      "0x...`). Records of other threads may be interleaved and are not part of the chain. **root** is the code of the "
      "first frame, **top** the code of the last frame. Line numbers are 1-based lines of the file where the record "
      "starts: `first` = first frame, `last frame`, `last` = last record of the chain (last closing line, or last frame "
      "when nothing closes it).\n")
    w("| file | root | top | frames | first | last frame | last | thread | component | closing lines |")
    w("|---|---|---|---:|---:|---:|---:|---|---|---|")
    for s in SAMPLES:
        for c in s.result["chains"]:
            w("| `%s` | %s | %s | %d | %d | %d | %d | %s | %s | %s |" % (
                s.rel, c["root"], c["top"], c["frames"], c["first_line"], c["last_frame_line"], c["last_line"],
                c["thread"] or "-", c["component"] or "-",
                md("; ".join("%d: `%s`" % (ln, t[:90] + ("..." if len(t) > 90 else "")) for ln, t in zip(c["closing_lines"], c["closing"])))))
    w("\nFiles with no row have no chain: `bare-metal-success.log`, `in-place-upgrade.log`, `fail-run-command-line.log` "
      "(the failure is an exit code), `smstrace-ccmsetup.log`, `utf16be-short.log`, `rolled/smsts-20261112-101502.log`, "
      "`edge-cases.log`.\n")
    w("Notes:\n")
    w("- `naa-not-set.log` and `pasted-ticket.txt` carry the same 7-frame chain as KB 2509330 (phase 1); in the log, the "
      "wizard UI thread and TsProgressUI write between the frames.")
    w("- `fail-ts-env-not-found.log` has two chains in the same TSManager thread: the first is closed by `Failed to set "
      "log directory...`; the second starts after `Executing task sequence` and is closed by `Task Sequence environment "
      "not found`. Both change code on the way (0x80004005 -> 0x80070002), the root stays 0x80004005.")
    w("- `fail-domain-join.log` has two `Failed to run the action` lines: the first (`Check Domain Controller "
      "Reachability`, exit 1355) is followed by `The execution engine ignored the failure...`.")
    w("- `fail-no-disk-raid.log`, `fail-nic-driver-winpe.log`, `naa-not-set.log` and `signature-failure.log` fail in "
      "the Task Sequence Wizard (TSMBootstrap), before TSManager starts: 0 steps, failing step null.")
    w("- `in-place-upgrade.log` contains 0xC1900210 (3247440400) as the compatibility scan's setup return code: "
      "this is success for a scan-only run, not a failure.\n")
    w("## edge-cases.log\n")
    w("| line | case |")
    w("|---:|---|")
    edge = next(s for s in SAMPLES if s.rel == "edge-cases.log")
    ln = 1
    for (body, _), note in zip(edge.items, EDGE_NOTES):
        w("| %d | %s |" % (ln, note))
        ln += body.count("\n") + 1
    w("\nThe file is UTF-8 without BOM, CRLF, and has no final newline. A reader must keep every byte: the raw line and "
      "the unterminated tail are shown as they are, and the escape bytes must reach the screen inert.\n")
    return "\n".join(o)


if __name__ == "__main__":
    sys.exit(main())
