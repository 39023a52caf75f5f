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
        return ("%02d:%02d:%02d.%03d%+d" % (self.t.hour, self.t.minute, self.t.second, ms, self.bias),
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
        self.status("SMS_TSExecution_GroupSkippedInfo" if False else "SMS_TSExecution_ActionSkippedInfo")
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

    def finish_fail(self, name, code, text, exit_value=None, prog=True, tag=None, source="Windows"):
        """Logs the failure of an action.  code: the HRESULT/Win32 code of the action."""
        tm = self.tm
        exit_value = u32(code) if exit_value is None else exit_value
        tm("Process completed with exit code %d" % exit_value, src="commandline.cpp:1123",
           dt=self.log.rng.randint(5, 60))
        tm(SEP, src="instruction.cxx:3210")
        lead = ("Failed to run the action: %s. This is usually caused by a problem with the program. "
                "Please check the Microsoft Knowledge Base to determine the cause." % name) if prog \
            else "Failed to run the action: %s." % name
        tm("%s\n%s (Error: %08X; Source: %s)" % (lead, text, u32(code), source), typ=3,
           src="instruction.cxx:3274", tag=tag)
        self.status("SMS_TSExecution_ActionFailError")
        self.env("_SMSTSLastActionRetCode", s32(code))
        self.env("_SMSTSLastActionName", name)
        self.env("_SMSTSLastActionSucceeded", "false")
        tm("Clear local default environment", src="executionenv.cxx:809")

    def abort(self, name, code, text, groups, run_code):
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
