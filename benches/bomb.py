#!/usr/bin/env python3
"""Peak memory and wall time of refusing hostile inputs, against a baseline.

Builds, in a temporary directory:
- a zstd bomb: a snapshot's first bytes, then 96 zstd frames of 64 MiB of
  spaces each (zstd frames concatenate): about 200 kB that unpack to 6 GiB;
- nothing for `/dev/zero`, which `check` reads as a device;
and runs `archaudit check` on each, and on the bundled drifted example for a
baseline, under GNU time. Prints file size, what it unpacks to, exit code,
wall time and peak resident memory (max RSS).

The bomb must be refused (exit 2, naming the file and the 2 GiB limit) in
about the memory of the baseline: the size is counted through a small buffer
before anything is decompressed for real.

Usage: benches/bomb.py [--binary target/debug/archaudit]
Needs the `zstd` command and GNU time (/usr/bin/time).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FRAME_BYTES = 64 << 20
FRAMES = 96
HEAD = b'{"schema_version": "1.1", "generated_at": "2026-11-24T06:00:00Z", "accounts": ['


def zstd(data, level):
    return subprocess.run(["zstd", f"-{level}", "-q", "-c"], input=data, stdout=subprocess.PIPE,
                          check=True).stdout


def build_bomb(path):
    frame = zstd(b" " * FRAME_BYTES, 19)
    with open(path, "wb") as out:
        out.write(zstd(HEAD, 3))
        for _ in range(FRAMES):
            out.write(frame)
    return len(HEAD) + FRAMES * FRAME_BYTES


def measure(binary, args):
    result = subprocess.run(["/usr/bin/time", "-v", binary, *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    report = result.stderr
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", report).group(1)
    error = next((line for line in report.splitlines() if line.startswith("error: ")), "")
    return result.returncode, wall, peak, error


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/debug/archaudit"))
    args = parser.parse_args()
    for tool in ("zstd", "/usr/bin/time"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed")
    work = tempfile.mkdtemp(prefix="archaudit-bomb-")
    bomb = os.path.join(work, "bomb.json.zst")
    unpacked = build_bomb(bomb)
    cases = [
        ("baseline: the drifted example", ["check", "fixtures/snapshots/reference-drifted.json",
                                           "--fail-on", "none"], None, None),
        ("zstd bomb", ["check", bomb], os.path.getsize(bomb), unpacked),
        ("/dev/zero", ["check", "/dev/zero"], None, None),
    ]
    print(f"{'input':32} {'size':>10} {'unpacks to':>12} {'exit':>4} {'wall':>8} {'peak RSS':>10}")
    for name, argv, size, unpacks in cases:
        code, wall, peak, error = measure(args.binary, argv)
        size = f"{size:,}" if size else "-"
        unpacks = f"{unpacks / (1 << 30):.1f} GiB" if unpacks else "-"
        print(f"{name:32} {size:>10} {unpacks:>12} {code:>4} {wall:>8} {peak / 1024:>7.1f} MB")
        if error:
            print(f"  {error}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
