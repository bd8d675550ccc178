#!/usr/bin/env python3
"""Collection at organization scale: 1,000 accounts against a replayed AWS.

Records, once, every answer moto gives to `archaudit collect` of one seeded
account (tests/live/seed.py's Production account, behind tests/live/proxy.py),
then replays them for any number of account ids from a loopback endpoint that
behaves like AWS where it matters to a scheduler:

- every answer takes 50-150 ms (uniform);
- each (account, region, service) has a token bucket (default 10 calls,
  refilled at 2/s, like AWS's stricter control-plane APIs such as IAM's; EC2
  100 and 20/s as its Describe* buckets; STS 600/s as AssumeRole's quota), and a call
  that finds it empty gets the service's real throttling answer: EC2 503
  RequestLimitExceeded, S3 503 SlowDown, query services (IAM, STS, RDS, ELB)
  400 Throttling, JSON services 400 ThrottlingException, REST-JSON services
  429 ThrottlingException;
- STS AssumeRole answers for any account id (the recorded answer with that id
  and an access key naming it), and every answer has the recorded account id
  replaced by the id of the account the call's credentials belong to.

`run` collects the organization with each binary given, one after the other,
and prints per binary: wall time, calls and calls/s, throttled answers (sent by
the endpoint) and how many of them ended as `Throttled` coverage gaps, every
coverage gap by class, and peak memory (GNU time's maximum RSS).

Usage:
  benches/scale.py record --binary target/debug/archaudit     # once (moto, ~1 min)
  benches/scale.py run --accounts 1000 --binary OLD --binary NEW [--repeat 3]
  benches/scale.py serve --port 8000                            # the endpoint alone
Recording and outputs go to target/scale/. Needs scripts/setup-test-env (moto in
ARCHAUDIT_VENV, default .venv) for `record` only; `run` needs python3 and /usr/bin/time.
"""
import argparse
import asyncio
import collections
import http.client
import http.server
import json
import os
import random
import re
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benches"))
from audit import start_moto, stop  # noqa: E402

VENV = os.environ.get("ARCHAUDIT_VENV", os.path.join(ROOT, ".venv"))
OUT = os.path.join(ROOT, "target", "scale")
RECORDING = os.path.join(OUT, "recording.json")
REGION = "eu-central-1"
CALLER_KEY = "testing"
PLACEHOLDER = "{ACCOUNT}"
# (capacity, refill per second) by signing service; DEFAULT_BUCKET for the others.
BUCKETS = {"ec2": (100, 20), "sts": (600, 600)}
DEFAULT_BUCKET = (10, 2)


def credential_of(headers):
    m = re.search(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/", headers.get("authorization", ""))
    return (m.group(1), m.group(2), m.group(3)) if m else (None, None, None)


def operation_of(method, path, headers, body):
    target = headers.get("x-amz-target")
    if target:
        return target.split(".")[-1]
    if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if "Action" in form:
            return form["Action"][0]
    return f"{method} {path.split('?')[0]}"


def request_key(who, method, path, headers, body, account):
    """What identifies a call across accounts: the account id is a placeholder."""
    _, region, service = credential_of(headers)
    text = f"{who}|{service}|{region}|{method}|{path}|{headers.get('x-amz-target', '')}|{body.decode('utf-8', 'replace')}"
    # Query bodies and paths carry the id URL-encoded or plain; both are digits.
    return text.replace(account, PLACEHOLDER) if account else text


def op_key(who, method, path, headers, body):
    _, region, service = credential_of(headers)
    return f"{who}|{service}|{region}|{operation_of(method, path, headers, body)}"


# ---------------------------------------------------------------- recording

class Recorder(http.server.BaseHTTPRequestHandler):
    """Forwards to the test proxy in front of moto and keeps every exchange."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        up = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port, timeout=120)
        fwd = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "expect")}
        up.request(self.command, self.path, body=body, headers=fwd)
        resp = up.getresponse()
        out = resp.read()
        hdrs = [(k, v) for k, v in resp.getheaders()
                if k.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date")]
        up.close()
        key, _, _ = credential_of(headers)
        with self.server.lock:
            self.server.exchanges.append({
                "who": "caller" if key == CALLER_KEY else "member",
                "method": self.command, "path": self.path,
                "headers": {k: headers[k] for k in ("authorization", "x-amz-target", "content-type") if k in headers},
                "body": body.decode("utf-8", "replace"),
                "status": resp.status, "response_headers": hdrs, "response": out.decode("utf-8", "replace"),
            })
        self.send_response(resp.status)
        for k, v in hdrs:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


class ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def aws_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=CALLER_KEY, AWS_SECRET_ACCESS_KEY="testing", AWS_REGION=REGION,
               AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
               AWS_EC2_METADATA_DISABLED="true")
    return env


def record(binary):
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="archaudit-scale-")
    processes = []
    try:
        proxy_url = start_moto(work, processes)
        seeded = json.loads(subprocess.run(
            [os.path.join(VENV, "bin/python"), os.path.join(ROOT, "tests/live/seed.py"), "--endpoint", proxy_url],
            check=True, capture_output=True, text=True).stdout)
        member = seeded["accounts"]["production"]
        server = ThreadingServer(("127.0.0.1", 0), Recorder)
        up = urllib.parse.urlparse(proxy_url)
        server.upstream_host, server.upstream_port = up.hostname, up.port
        server.exchanges, server.lock = [], threading.Lock()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        out = subprocess.run([binary, "collect", "--account", member, "--regions", REGION,
                              "--endpoint-url", url, "--output", os.path.join(work, "one.json")],
                             env=aws_env(), capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"collect failed ({out.returncode}): {out.stderr}")
        server.shutdown()
        snapshot = json.load(open(os.path.join(work, "one.json")))
        recording = {"member": member, "caller": seeded["management"], "exchanges": server.exchanges,
                     "resources": sum(len(v) for a in snapshot["accounts"] for v in a.values()
                                      if isinstance(v, list)),
                     "gaps": [c for a in snapshot["accounts"] for c in a["coverage"] if c["status"] != "ok"]}
        json.dump(recording, open(RECORDING, "w"))
        print(json.dumps({"recorded": len(server.exchanges), "member": member, "gaps": len(recording["gaps"]),
                          "file": os.path.relpath(RECORDING, ROOT)}))
    finally:
        stop(processes)


# ---------------------------------------------------------------- replay

class Replay:
    def __init__(self, recording, latency, seed, bucket):
        self.member = recording["member"]
        self.caller = recording["caller"]
        self.exact = {}
        self.by_op = {}
        for e in recording["exchanges"]:
            body = e["body"].encode()
            key = request_key(e["who"], e["method"], e["path"], e["headers"], body, self.member)
            self.exact.setdefault(key, e)
            self.by_op.setdefault(op_key(e["who"], e["method"], e["path"], e["headers"], body), e)
        self.latency = latency
        self.random = random.Random(seed)
        self.buckets = {}
        self.default_bucket = bucket
        self.stats = collections.Counter()
        self.accounts = set()

    def account_of(self, headers):
        key, _, _ = credential_of(headers)
        m = re.fullmatch(r"ASIA(\d{12})BNCH", key or "")
        return (m.group(1), "member") if m else (self.caller, "caller")

    def take(self, account, region, service):
        """A token from the (account, region, service) bucket, or False."""
        capacity, rate = BUCKETS.get(service, self.default_bucket)
        now = time.monotonic()
        tokens, last = self.buckets.get((account, region, service), (capacity, now))
        tokens = min(capacity, tokens + (now - last) * rate)
        if tokens < 1:
            self.buckets[(account, region, service)] = (tokens, now)
            return False
        self.buckets[(account, region, service)] = (tokens - 1, now)
        return True

    def answer(self, method, path, headers, body):
        """(status, headers, body) for one request."""
        if path == "/__bench/stats":
            self.stats["accounts"] = len(self.accounts)
            return 200, [("Content-Type", "application/json")], json.dumps(self.stats).encode()
        account, who = self.account_of(headers)
        _, region, service = credential_of(headers)
        self.stats["calls"] += 1
        self.stats[f"op {service} {operation_of(method, path, headers, body).replace(account, PLACEHOLDER)}"] += 1
        if who == "member":
            self.accounts.add(account)
        if not self.take(account, region, service):
            self.stats["throttled"] += 1
            self.stats[f"throttled {service}"] += 1
            return throttling(service, headers)
        # The caller's AssumeRole names the member in its body: that is the account answered for.
        target = account
        if who == "caller":
            m = re.search(r"RoleArn=arn%3Aaws%3Aiam%3A%3A(\d{12})%3A", body.decode("utf-8", "replace"))
            target = m.group(1) if m else self.caller
        e = self.exact.get(request_key(who, method, path, headers, body, target))
        if e is None:
            e = self.by_op.get(op_key(who, method, path, headers, body))
            self.stats["unmatched"] += 1
            if e is None:
                self.stats["unknown"] += 1
                return 404, [("Content-Type", "application/json")], b'{"message":"not recorded"}'
        out = e["response"].replace(self.member, target)
        if "<AssumeRoleResult>" in out:
            out = re.sub(r"<AccessKeyId>[^<]*</AccessKeyId>", f"<AccessKeyId>ASIA{target}BNCH</AccessKeyId>", out)
            expires = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            out = re.sub(r"<Expiration>[^<]*</Expiration>", f"<Expiration>{expires}</Expiration>", out)
        return e["status"], e["response_headers"], out.encode()


def throttling(service, headers):
    """The throttling answer of the request's protocol, as AWS sends it."""
    rid = "6c6bd7a3-1b34-4b8e-9d4b-5a0f1e8c2d10"
    if headers.get("x-amz-target"):
        body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
        return 400, [("Content-Type", headers.get("content-type", "application/x-amz-json-1.1")),
                     ("x-amzn-ErrorType", "ThrottlingException"), ("x-amzn-RequestId", rid)], body
    if service == "ec2":
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>RequestLimitExceeded"
                f"</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>{rid}</RequestID>"
                "</Response>").encode()
        return 503, [("Content-Type", "text/xml;charset=UTF-8")], body
    if service == "s3":
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please reduce "
                f"your request rate.</Message><RequestId>{rid[:16].upper()}</RequestId></Error>").encode()
        return 503, [("Content-Type", "application/xml")], body
    if service in ("sts", "iam", "elasticloadbalancing", "rds"):
        body = ("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
                f"</Error><RequestId>{rid}</RequestId></ErrorResponse>").encode()
        return 400, [("Content-Type", "text/xml")], body
    # REST-JSON (eks, elasticfilesystem, es, aps, grafana)
    body = json.dumps({"message": "Rate exceeded"}).encode()
    return 429, [("Content-Type", "application/json"), ("x-amzn-ErrorType", "ThrottlingException"),
                 ("x-amzn-RequestId", rid)], body


async def serve_connection(replay, reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            method, path, _ = line.decode("latin-1").split(" ", 2)
            headers = {}
            while True:
                h = await reader.readline()
                if h in (b"\r\n", b"\n", b""):
                    break
                k, v = h.decode("latin-1").split(":", 1)
                headers[k.strip().lower()] = v.strip()
            n = int(headers.get("content-length") or 0)
            body = await reader.readexactly(n) if n else b""
            status, hdrs, out = replay.answer(method, path, headers, body)
            if path != "/__bench/stats":
                await asyncio.sleep(replay.random.uniform(*replay.latency))
            head = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}"]
            head += [f"{k}: {v}" for k, v in hdrs]
            head += [f"Content-Length: {len(out)}", "x-amzn-RequestId: 0b9f8e4c-replay", "", ""]
            writer.write("\r\n".join(head).encode("latin-1") + (out if method != "HEAD" else b""))
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def serve_forever(replay, port, ready=None):
    server = await asyncio.start_server(lambda r, w: serve_connection(replay, r, w), "127.0.0.1", port,
                                        backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


def serve(port, latency, seed, bucket):
    replay = Replay(json.load(open(RECORDING)), latency, seed, bucket)
    asyncio.run(serve_forever(replay, port))


# ---------------------------------------------------------------- run

def gnu_time(stderr):
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    cpu_user = re.search(r"User time \(seconds\): ([\d.]+)", stderr)
    cpu_sys = re.search(r"System time \(seconds\): ([\d.]+)", stderr)
    return {
        "peak_rss_mb": round(int(rss.group(1)) / 1024) if rss else None,
        "cpu_s": round(float(cpu_user.group(1)) + float(cpu_sys.group(1)), 1) if cpu_user else None,
    }


def run_one(binary, accounts, concurrency, latency, seed, bucket):
    work = tempfile.mkdtemp(prefix="archaudit-scale-")
    server = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve", "--port", "0",
                               "--latency-ms", str(int(latency[0] * 1000)), str(int(latency[1] * 1000)),
                               "--seed", str(seed), "--bucket", str(bucket[0]), str(bucket[1])],
                              stdout=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        ids = [str(200000000000 + 7919 * i) for i in range(accounts)]
        config = os.path.join(work, "archaudit.toml")
        open(config, "w").write(f"accounts = {json.dumps(ids)}\n")
        output = os.path.join(work, "org.json")
        args = ["/usr/bin/time", "-v", binary, "collect", "--config", config, "--regions", REGION,
                "--endpoint-url", url, "--output", output]
        if concurrency:
            args += ["--concurrency", str(concurrency)]
        t = time.time()
        out = subprocess.run(args, env=aws_env(), capture_output=True, text=True)
        wall = time.time() - t
        if out.returncode != 0:
            raise SystemExit(f"collect failed ({out.returncode}): {out.stderr[-3000:]}")
        stats = json.loads(urllib.request.urlopen(f"{url}/__bench/stats").read())
        snapshot = json.load(open(output))
        gaps = collections.Counter(f"{c['error']} {c['service']}" if c.get("error") == "Throttled" else c["error"]
                                   for a in snapshot["accounts"] for c in a["coverage"] if c["status"] != "ok")
        result = {
            "binary": binary, "accounts": len(snapshot["accounts"]), "concurrency": concurrency or "default",
            "bucket": list(bucket),
            "wall_s": round(wall, 1), "calls": stats.get("calls", 0),
            "calls_per_s": round(stats.get("calls", 0) / wall), "throttled": stats.get("throttled", 0),
            "throttled_by_service": {k.split(" ", 1)[1]: v for k, v in stats.items() if k.startswith("throttled ")},
            "unmatched": stats.get("unmatched", 0),
            "calls_by_operation": {k[3:]: v for k, v in stats.items() if k.startswith("op ")},
            "throttled_gaps": sum(v for k, v in gaps.items() if k.startswith("Throttled")),
            "gaps": dict(gaps), **gnu_time(out.stderr),
            "load_1min_after": round(os.getloadavg()[0], 1),
        }
        return result
    finally:
        server.kill()
        server.wait()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record")
    r.add_argument("--binary", default=os.path.join(ROOT, "target/debug/archaudit"))
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--latency-ms", type=int, nargs=2, default=[50, 150])
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--bucket", type=float, nargs=2, default=DEFAULT_BUCKET, metavar=("CAPACITY", "PER_S"))
    u = sub.add_parser("run")
    u.add_argument("--binary", action="append", required=True, help="repeat: one run each, in turn")
    u.add_argument("--accounts", type=int, default=1000)
    u.add_argument("--concurrency", type=int, default=0, help="--concurrency for every binary (default: theirs)")
    u.add_argument("--latency-ms", type=int, nargs=2, default=[50, 150])
    u.add_argument("--repeat", type=int, default=1, help="rounds (binaries alternate); medians at the end")
    u.add_argument("--bucket", type=float, nargs=2, default=DEFAULT_BUCKET, metavar=("CAPACITY", "PER_S"),
                   help="token bucket of the services without their own (default 10 2)")
    a = p.parse_args()
    if a.cmd == "record":
        return record(a.binary)
    if a.cmd == "serve":
        return serve(a.port, (a.latency_ms[0] / 1000, a.latency_ms[1] / 1000), a.seed, tuple(a.bucket))
    if not os.path.exists(RECORDING):
        raise SystemExit(f"{RECORDING} is missing: run `benches/scale.py record` first")
    runs = collections.defaultdict(list)
    for i in range(a.repeat):
        for binary in a.binary:
            res = run_one(binary, a.accounts, a.concurrency, (a.latency_ms[0] / 1000, a.latency_ms[1] / 1000), i + 1,
                          tuple(a.bucket))
            runs[binary].append(res)
            print(json.dumps(res), flush=True)
    if a.repeat > 1:
        for binary, rs in runs.items():
            print(json.dumps({"binary": binary, "runs": len(rs),
                              **{f"median_{k}": statistics.median(r[k] for r in rs)
                                 for k in ("wall_s", "calls_per_s", "throttled", "throttled_gaps", "peak_rss_mb")}}))


if __name__ == "__main__":
    sys.exit(main())
