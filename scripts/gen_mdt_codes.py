#!/usr/bin/env python3
"""Generate src/codes/mdt.rs: the MDT error numbers and what each one means.

When a Microsoft Deployment Toolkit script gives up, it logs
`FAILURE ( 5624 ): <code>: <message>` (ZTIUtility.vbs, TRACEEX) or ends the
run with `ReportFailure "<message>", 5212`. The numbers are MDT's own; its
"Troubleshooting Reference" lists them by script. This script reads them
straight from the MDT scripts: every `TestAndFail <rc>, <number>, <message>`
and `ReportFailure <message>, <number>` call, with the script it is in and
the message text (string literals kept, anything computed shown as `…`).

How to regenerate
-----------------
Point it at the Scripts folder of an MDT deployment share (MDT 2013 Update 2,
6.3.8456.1000, is what the checked-in table was built from):

    python3 scripts/gen_mdt_codes.py /path/to/DeploymentShare/Scripts
    cargo fmt

A number used for several messages keeps the first in file-name order and
counts the others. Standard library only.
"""

import argparse
import glob
import os
import re
import sys

CALL = re.compile(r"\b(TestAndFail|ReportFailure)\b\s*\(?\s*(.*)$", re.IGNORECASE)
VERSION = re.compile(r'Public\s+Const\s+Version\s*=\s*"([^"]+)"')


def logical_lines(text):
    """Joins VBScript continuation lines (a trailing ` _`)."""
    buf = ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.endswith(" _") or line.endswith("\t_"):
            buf += line[:-1] + " "
            continue
        yield buf + line
        buf = ""
    if buf:
        yield buf


def split_args(s):
    """Top-level comma split, respecting strings and parentheses; stops at a comment."""
    args, cur, depth, i, in_str = [], "", 0, 0, False
    while i < len(s):
        c = s[i]
        if in_str:
            cur += c
            if c == '"':
                if i + 1 < len(s) and s[i + 1] == '"':
                    cur += '"'
                    i += 1
                else:
                    in_str = False
        elif c == '"':
            in_str = True
            cur += c
        elif c == "'":
            break
        elif c == "(":
            depth += 1
            cur += c
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
            cur += c
        elif c == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    args.append(cur.strip())
    return args


def message_of(expr):
    """String literals of a VBScript expression, joined; computed parts become `…`."""
    parts = re.split(r'("(?:[^"]|"")*")', expr)
    out = []
    for p in parts:
        if p.startswith('"') and p.endswith('"') and len(p) >= 2:
            out.append(p[1:-1].replace('""', '"'))
        elif p.strip(" &\t") not in ("", "vbCrLf", "vbNewLine"):
            if not out or out[-1] != "…":
                out.append("…")
    text = " ".join("".join(out).split())
    return text.strip(" :")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scripts", help="an MDT Scripts folder")
    ap.add_argument("--out", default=None, help="output (default: src/codes/mdt.rs)")
    args = ap.parse_args()
    files = sorted(
        glob.glob(os.path.join(args.scripts, "*.wsf")) + glob.glob(os.path.join(args.scripts, "*.vbs")),
        key=lambda p: os.path.basename(p).lower(),
    )
    if not files:
        sys.exit("no .wsf or .vbs files in %s" % args.scripts)
    version = "unknown"
    table = {}  # number -> [script, message, other uses]
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        m = VERSION.search(text)
        if m and os.path.basename(path).lower() == "ztiutility.vbs":
            version = m.group(1)
        for line in logical_lines(text):
            code = line.split("'", 1)[0] if '"' not in line else line
            m = CALL.search(code)
            if not m or line.lstrip().lower().startswith(("function", "sub", "'")):
                continue
            a = split_args(m.group(2))
            if m.group(1).lower() == "testandfail":
                if len(a) < 3 or not a[1].isdigit():
                    continue
                number, msg = int(a[1]), message_of(",".join(a[2:]))
            else:
                if len(a) < 2 or not a[-1].isdigit():
                    continue
                number, msg = int(a[-1]), message_of(",".join(a[:-1]))
            if not msg or msg == "…" or not 1000 <= number <= 65535:
                continue
            script = os.path.basename(path)
            if number in table:
                if table[number][1] != msg:
                    table[number][2] += 1
            else:
                table[number] = [script, msg, 0]
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = args.out or os.path.join(repo, "src", "codes", "mdt.rs")
    lines = [
        "// @generated by scripts/gen_mdt_codes.py; do not edit by hand.",
        "// Source: the TestAndFail and ReportFailure calls of the MDT %s scripts" % version,
        "// (Microsoft Deployment Toolkit; the numbers of its Troubleshooting Reference).",
        "",
        "//! MDT's error numbers: the script that raises each and its message (generated).",
        "",
        "/// Where the table comes from, as `tslens lookup` cites it.",
        "pub(crate) const SOURCE: &str = \"MDT %s scripts (TestAndFail / ReportFailure calls)\";"
        % version,
        "",
        "/// MDT error numbers: (number, script, message, other messages using the number),",
        "/// sorted by number (%d numbers)." % len(table),
        "#[rustfmt::skip]",
        "pub(crate) static FAILURES: &[(u32, &str, &str, u8)] = &[",
    ]
    for number in sorted(table):
        script, msg, more = table[number]
        msg = msg.replace("\\", "\\\\").replace('"', '\\"')
        lines.append('    (%d, "%s", "%s", %d),' % (number, script, msg, min(more, 255)))
    lines.append("];")
    lines.append("")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
    print("FAILURES: %d numbers (MDT %s)" % (len(table), version), file=sys.stderr)


if __name__ == "__main__":
    main()
