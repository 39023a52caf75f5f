#!/usr/bin/env python3
"""A generated deployment wave for `tslens scan` benchmarks and demos.

    scripts/gen_wave.py --machines 1000 --size 1M --out /tmp/wave [--zip-share 0.1]

Each machine is a folder `site-NN/PC-NNNNN/` holding `smsts.log` (about --size bytes, CMTrace,
from ../shared/bench/gen_smsts.py) and a small `ccmsetup.log`; a share of them (--zip-share) is
a "Collect client logs" zip `site-NN/PC-NNNNN.zip` holding `Windows/CCM/Logs/...` instead.
Two thirds succeed; the other third fails in three different ways, a third each:
  app     Install Application fails with 0x87D00324 (gen_smsts.py --fail)
  join    Join Domain fails with 0x8007054B (sample-logs/fail-domain-join.log as the last run)
  hash    Apply OS fails its hash check, 0x80091007 (sample-logs/fail-hash-mismatch.log)
The machine -> outcome map is written to OUT/expected.csv.
Eight distinct base logs per kind are generated once and copied, so the wave costs seconds.
"""
import argparse, os, random, shutil, subprocess, sys, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(REPO, "..", "shared", "bench", "gen_smsts.py")
VARIANTS = 8


def parse_size(s):
    m = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(s[:-1]) * m[s[-1].upper()]) if s[-1].upper() in m else int(s)


def gen(size, seed, fail, out):
    args = [sys.executable, GEN, "--size", str(size), "--out", out, "--seed", str(seed)]
    if fail:
        args.append("--fail")
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--machines", type=int, default=1000)
    ap.add_argument("--size", default="1M")
    ap.add_argument("--out", required=True)
    ap.add_argument("--zip-share", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    size = parse_size(a.size)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    base = os.path.join(a.out, ".base")
    os.makedirs(base)
    samples = os.path.join(REPO, "sample-logs")
    tails = {k: open(os.path.join(samples, f), "rb").read()
             for k, f in [("join", "fail-domain-join.log"), ("hash", "fail-hash-mismatch.log")]}
    logs = {}
    for v in range(VARIANTS):
        ok = os.path.join(base, "ok-%d.log" % v)
        gen(size, 100 + v, False, ok)
        logs[("ok", v)] = ok
        app = os.path.join(base, "app-%d.log" % v)
        gen(size, 200 + v, True, app)
        logs[("app", v)] = app
        for kind, tail in tails.items():
            # A successful-looking first part, then the failing run: about --size in all.
            p = os.path.join(base, "%s-%d.log" % (kind, v))
            gen(max(size - len(tail), 4096), 300 + v, False, p + ".head")
            with open(p + ".head", "rb") as f:
                head = f.read()
            # Drop the head's successful end so the run that counts is the failing one.
            cut = head.rfind(b"<![LOG[Execution engine result code")
            with open(p, "wb") as f:
                f.write(head[:cut if cut > 0 else len(head)] + tail)
            os.remove(p + ".head")
            logs[(kind, v)] = p
    ccmsetup = b'<![LOG[CcmSetup is exiting with return code 0]LOG]!><time="10:00:00.000+000" date="06-01-2026" component="ccmsetup" context="" type="1" thread="1" file="ccmsetup.cpp:1">\r\n'
    rng = random.Random(a.seed)
    kinds = ["ok", "ok", "ok", "ok", "ok", "ok", "app", "join", "hash"]
    rows = ["machine,outcome,kind"]
    for i in range(a.machines):
        kind = kinds[i % len(kinds)]
        src = logs[(kind, rng.randrange(VARIANTS))]
        site = "site-%02d" % (i % 10)
        name = "PC-%05d" % i
        os.makedirs(os.path.join(a.out, site), exist_ok=True)
        if rng.random() < a.zip_share:
            rel = "%s/%s.zip" % (site, name)
            with zipfile.ZipFile(os.path.join(a.out, rel), "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
                z.write(src, "Windows/CCM/Logs/smsts.log")
                z.writestr("Windows/CCM/Logs/ccmsetup.log", ccmsetup)
        else:
            rel = "%s/%s" % (site, name)
            d = os.path.join(a.out, rel)
            os.makedirs(d)
            shutil.copyfile(src, os.path.join(d, "smsts.log"))
            with open(os.path.join(d, "ccmsetup.log"), "wb") as f:
                f.write(ccmsetup)
        rows.append("%s,%s,%s" % (rel, "succeeded" if kind == "ok" else "failed", kind))
    shutil.rmtree(base)
    with open(os.path.join(a.out, "expected.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
