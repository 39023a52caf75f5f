#!/usr/bin/env python3
"""Generate src/codes/names.rs: symbolic names of Windows error codes.

The names come from the `windows-sys` crate (Microsoft's win32metadata, built
from the Windows SDK headers), plus, when given, the `windows` crate for the
Windows Update Agent (WU_*) and BITS (BG_*) codes that windows-sys lacks.

How to regenerate
-----------------
    mkdir -p /tmp/wsys && cd /tmp/wsys && cargo init -q --name wsys
    cargo add windows-sys@0.61 --features Win32_Foundation
    cargo add windows@0.62 --features Win32_System_UpdateAgent
    cargo fetch
    cd /path/to/tslens
    python3 scripts/gen_code_names.py \
        ~/.cargo/registry/src/*/windows-sys-0.61.*/ \
        --windows ~/.cargo/registry/src/*/windows-0.62.*/
    cargo fmt

Cargo unpacks the whole crate source whatever features are chosen, so the
features above only matter for `cargo add`. Without path arguments the script
looks for the newest windows-sys 0.61 and windows 0.62 in ~/.cargo/registry.

Tables written (each sorted by value, one name per value):
  NAMES          HRESULT values (`windows_sys::core::HRESULT` constants from
                 every module, WMI's WBEMSTATUS, and WU_*/BG_* from `windows`)
  WIN32_NAMES    Win32 error numbers (WIN32_ERROR, ERROR_WINHTTP_*, RPC_STATUS,
                 WSA_ERROR, NERR_*, and WAIT_TIMEOUT)
  NTSTATUS_NAMES NTSTATUS values

Which name wins when several share a value (sorted by this key, first wins):
  1. range markers (*_FIRST, *_LAST, *_BASE, *_START, *_END, *_MIN, *_MAX)
     lose to real codes;
  2. the module the name comes from: Foundation (winerror.h / ntstatus.h
     proper) before the specialised modules;
  3. the naming family: for HRESULTs the generic COM names (E_*, S_*), then
     names following the FACILITY_E_/FACILITY_S_ convention, then the rest;
     for Win32 numbers ERROR_* first, then WSA*/RPC_S_*/EPT_S_/NERR_*, then
     the rest (DNS_ERROR_*, ...); for NTSTATUS, STATUS_* first;
  4. the shorter name, then alphabetical order (so the result is stable).
Only the standard library is used.
"""

import argparse
import glob
import hashlib
import os
import re
import sys

MARKER_SUFFIXES = ("_FIRST", "_LAST", "_BASE", "_START", "_END", "_MIN", "_MAX")

RE_HRESULT = re.compile(
    r"^pub const ([A-Za-z0-9_]+): windows_sys::core::HRESULT = 0x([0-9A-Fa-f]{1,8})_u32 as _;"
)
RE_NTSTATUS = re.compile(
    r"^pub const ([A-Za-z0-9_]+): NTSTATUS = 0x([0-9A-Fa-f]{1,8})_u32 as _;"
)
RE_WIN32 = re.compile(r"^pub const ([A-Za-z0-9_]+): WIN32_ERROR = (\d+)u32;")
RE_WAIT_TIMEOUT = re.compile(r"^pub const (WAIT_TIMEOUT): WAIT_EVENT = (\d+)u32;")
RE_WINHTTP = re.compile(r"^pub const (ERROR_WINHTTP_[A-Za-z0-9_]+): u32 = (\d+)u32;")
RE_NERR = re.compile(r"^pub const (NERR_[A-Za-z0-9_]+): u32 = (\d+)u32;")
RE_RPC = re.compile(r"^pub const ([A-Za-z0-9_]+): RPC_STATUS = (-?\d+)i32;")
RE_WSA = re.compile(r"^pub const ([A-Za-z0-9_]+): WSA_ERROR = (-?\d+)i32;")
RE_WBEM = re.compile(r"^pub const ([A-Za-z0-9_]+): WBEMSTATUS = (-?\d+)i32;")
RE_W_HRESULT = re.compile(
    r"^pub const ([A-Za-z0-9_]+): windows_core::HRESULT = "
    r"windows_core::HRESULT\(0x([0-9A-Fa-f]{1,8})_u32 as _\);"
)
RE_W_BG = re.compile(r"^pub const (BG_[ES]_[A-Za-z0-9_]+): i32 = (-?\d+)i32;")

FOUNDATION = os.path.join("src", "Windows", "Win32", "Foundation", "mod.rs")


def u32(text, base=10):
    """Parse a literal and fold it into the unsigned 32-bit pattern."""
    return int(text, base) & 0xFFFFFFFF


def is_marker(name):
    return name.endswith(MARKER_SUFFIXES)


def hresult_family(name):
    if name.startswith(("E_", "S_")):
        return 0
    if "_E_" in name or "_S_" in name:
        return 1
    return 2


def win32_family(name):
    if name.startswith("ERROR_"):
        return 0
    if name.startswith(("WSA", "RPC_S_", "RPC_X_", "EPT_S_", "NERR_")):
        return 1
    return 2


def ntstatus_family(name):
    return 0 if name.startswith("STATUS_") else 1


def newest(pattern):
    found = sorted(glob.glob(os.path.expanduser(pattern)))
    return found[-1] if found else None


class Table:
    def __init__(self, family):
        self.family = family
        self.entries = {}  # value -> list of (rank key, name)

    def add(self, value, name, source_rank):
        key = (1 if is_marker(name) else 0, source_rank, self.family(name), len(name), name)
        self.entries.setdefault(value, []).append((key, name))

    def best(self):
        return [(v, min(names)[1]) for v, names in sorted(self.entries.items())]

    def name_count(self):
        return len({n for names in self.entries.values() for _, n in names})


def scan(path, rules):
    """Apply (regex, table, base, source_rank) rules to every line of a file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("pub const "):
                continue
            for regex, table, base, rank in rules:
                m = regex.match(line)
                if m:
                    table.add(u32(m.group(2), base), m.group(1), rank)
                    break


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("windows_sys", nargs="?", help="unpacked windows-sys 0.61 source directory")
    ap.add_argument("--windows", help="unpacked windows 0.62 source directory (WU_*, BG_*)")
    ap.add_argument("--out", default=None, help="output file (default: src/codes/names.rs)")
    args = ap.parse_args()

    ws = args.windows_sys or newest("~/.cargo/registry/src/*/windows-sys-0.61.*")
    if not ws or not os.path.isfile(os.path.join(ws, FOUNDATION)):
        sys.exit("windows-sys 0.61 source not found; pass its directory (see --help)")
    win = args.windows or newest("~/.cargo/registry/src/*/windows-0.62.*")
    if not win:
        print("warning: windows 0.62 source not found; WU_* and BG_* names left out",
              file=sys.stderr)
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = args.out or os.path.join(repo, "src", "codes", "names.rs")

    hresults = Table(hresult_family)
    win32 = Table(win32_family)
    ntstatus = Table(ntstatus_family)

    foundation = os.path.join(ws, FOUNDATION)
    for path in sorted(glob.glob(os.path.join(ws, "src", "**", "*.rs"), recursive=True)):
        rank = 0 if os.path.samefile(path, foundation) else 2
        rules = [
            (RE_HRESULT, hresults, 16, rank),
            (RE_NTSTATUS, ntstatus, 16, rank),
            (RE_WIN32, win32, 10, rank),
            (RE_WAIT_TIMEOUT, win32, 10, rank),
            (RE_WINHTTP, win32, 10, 1),
            (RE_NERR, win32, 10, 1),
            (RE_RPC, win32, 10, 1),
            (RE_WSA, win32, 10, 1),
            (RE_WBEM, hresults, 10, 1),
        ]
        scan(path, rules)

    sources = ["windows-sys %s" % os.path.basename(os.path.normpath(ws)).split("-")[-1]]
    if win:
        files = [
            os.path.join(win, "src", "Windows", "Win32", "System", "UpdateAgent", "mod.rs"),
            os.path.join(
                win, "src", "Windows", "Win32", "Networking",
                "BackgroundIntelligentTransferService", "mod.rs",
            ),
        ]
        for path in files:
            if not os.path.isfile(path):
                sys.exit("windows crate file missing: %s" % path)
            scan(path, [(RE_W_HRESULT, hresults, 16, 1), (RE_W_BG, hresults, 10, 1)])
        sources.append("windows %s" % os.path.basename(os.path.normpath(win)).split("-")[-1])

    # A Win32 number is 16 bits wide (HRESULT_FROM_WIN32 keeps only the low word).
    win32.entries = {v: n for v, n in win32.entries.items() if v <= 0xFFFF}

    with open(foundation, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()

    tables = [
        ("NAMES", "HRESULT values", hresults),
        ("WIN32_NAMES", "Win32 error numbers (GetLastError, exit codes)", win32),
        ("NTSTATUS_NAMES", "NTSTATUS values", ntstatus),
    ]
    lines = [
        "// @generated by scripts/gen_code_names.py; do not edit by hand.",
        "// Regenerate: python3 scripts/gen_code_names.py <windows-sys-0.61 dir> "
        "--windows <windows-0.62 dir> && cargo fmt",
        "// Sources: %s; Foundation/mod.rs sha256 %s." % (", ".join(sources), digest),
        "// One name per value; the rule that picks it is in the script's docstring.",
        "",
        "//! Symbolic names of HRESULT, Win32 and NTSTATUS codes (generated).",
        "",
    ]
    for ident, what, table in tables:
        best = table.best()
        lines.append("/// %s and their names, sorted by value (%d values, %d names seen)."
                     % (what, len(best), table.name_count()))
        lines.append("#[rustfmt::skip]")
        lines.append("pub(crate) static %s: &[(u32, &str)] = &[" % ident)
        for value, name in best:
            lines.append('    (0x%08X, "%s"),' % (value, name))
        lines.append("];")
        lines.append("")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
    for ident, _, table in tables:
        print("%s: %d values" % (ident, len(table.entries)), file=sys.stderr)


if __name__ == "__main__":
    main()
