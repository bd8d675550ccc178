#!/usr/bin/env python3
"""Times whole audits against a local moto server (through the test proxy).

Seeds an organization of N accounts (management, Production, Shared,
Development, plus Development-shaped team accounts), runs
`archaudit audit --org --regions eu-central-1`, and prints wall time, API
calls per account and calls per second. moto serves about 100-150 requests/s
on 2 cores, so these figures measure how well archaudit overlaps its calls,
not AWS's speed.

Usage: benches/audit.py [--accounts 3 30] [--binary target/release/archaudit]
Needs scripts/setup-test-env (moto in .venv).
"""
import argparse
import collections
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.environ.get("ARCHAUDIT_VENV", os.path.join(ROOT, ".venv"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def start_moto(work, processes):
    """moto on a free port behind the test proxy (no faults; every call logged to
    work/calls.jsonl); the processes are appended to `processes`. Returns the proxy's URL."""
    port = free_port()
    env = dict(os.environ, MOTO_EC2_LOAD_DEFAULT_AMIS="false")
    processes.append(subprocess.Popen([os.path.join(VENV, "bin/moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                                      env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    rules = os.path.join(work, "faults.json")
    open(rules, "w").write("[]")
    wait_http(f"http://127.0.0.1:{port}/moto-api/")
    proxy = subprocess.Popen([os.path.join(VENV, "bin/python"), os.path.join(ROOT, "tests/live/proxy.py"),
                              "--upstream", f"http://127.0.0.1:{port}", "--rules", rules,
                              "--log", os.path.join(work, "calls.jsonl")],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    processes.append(proxy)
    return f"http://127.0.0.1:{proxy.stdout.readline().strip()}"


def stop(processes):
    for p in reversed(processes):
        p.kill()
        p.wait()


def run(accounts, binary, concurrency):
    work = tempfile.mkdtemp(prefix="archaudit-bench-")
    log = os.path.join(work, "calls.jsonl")
    processes = []
    try:
        url = start_moto(work, processes)
        t = time.time()
        subprocess.run([os.path.join(VENV, "bin/python"), os.path.join(ROOT, "tests/live/seed.py"),
                        "--endpoint", url, "--members", str(max(0, accounts - 4))],
                       check=True, stdout=subprocess.DEVNULL)
        seeding = time.time() - t
        os.remove(log)
        aws_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        aws_env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="eu-central-1",
                       AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
                       AWS_EC2_METADATA_DISABLED="true")
        t = time.time()
        out = subprocess.run([binary, "audit", "--org", "--regions", "eu-central-1", "--format", "json",
                              "--fail-on", "none", "--concurrency", str(concurrency), "--endpoint-url", url],
                             env=aws_env, capture_output=True, text=True)
        wall = time.time() - t
        if out.returncode != 0:
            raise SystemExit(f"audit failed ({out.returncode}): {out.stderr}")
        report = json.loads(out.stdout)
        calls = [json.loads(line) for line in open(log)]
        per_account = collections.Counter(c["account"] for c in calls)
        return {
            "accounts": report["summary"]["accounts"],
            "resources": report["summary"]["resources"],
            "findings": report["summary"]["findings"],
            "seeding_s": round(seeding, 1),
            "audit_wall_s": round(wall, 2),
            "calls": len(calls),
            "calls_per_account": round(len(calls) / max(1, len(per_account)), 1),
            "max_calls_one_account": max(per_account.values()),
            "calls_per_s": round(len(calls) / wall, 1),
        }
    finally:
        stop(processes)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--accounts", type=int, nargs="+", default=[3, 30])
    p.add_argument("--binary", default=os.path.join(ROOT, "target/release/archaudit"))
    p.add_argument("--concurrency", type=int, default=32)
    a = p.parse_args()
    for n in a.accounts:
        print(json.dumps(run(max(n, 4) if n > 3 else 4, a.binary, a.concurrency)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
