#!/usr/bin/env python3
"""A loopback proxy in front of moto for archaudit's end-to-end tests.

- Rewrites moto's S3 GetBucketVersioning answer (root element
  GetBucketVersioningResponse) to AWS's VersioningConfiguration, which the Rust
  SDK requires.
- Learns which account each assumed-role access key belongs to (from the STS
  AssumeRole request and answer it forwards).
- Injects faults from a JSON rules file (re-read on every request):
    [{"account": "123456789012" | null, "operation": "DescribeRepositories" | null,
      "region": "eu-central-1" | null, "role_account": id | null (AssumeRole into it),
      "error": "AccessDenied" | "Throttling" | "AuthFailure", "times": 3 | null}]
  `times` counts down and the rule stops matching at 0; null means always.
- Logs every request as one JSON line {operation, service, account, region, method,
  path (with the query), faulted} to
  the log file, so tests can check what reached the endpoint.

Usage: proxy.py --upstream http://127.0.0.1:5000 --port 0 --rules rules.json --log calls.jsonl
Prints the port it listens on, then serves until killed.
"""
import argparse
import http.client
import http.server
import json
import re
import socketserver
import sys
import threading
import urllib.parse

LOCK = threading.Lock()
KEY_ACCOUNT = {}  # access key id -> account id


def operation_of(method, path, headers, body):
    target = headers.get("X-Amz-Target")
    if target:
        return target.split(".")[-1]
    if body and headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if "Action" in form:
            return form["Action"][0]
    return f"{method} {path.split('?')[0]}"


def credential_of(headers):
    auth = headers.get("Authorization", "")
    m = re.search(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/", auth)
    return (m.group(1), m.group(2), m.group(3)) if m else (None, None, None)


def error_response(service, op, headers, code, message):
    """A real AWS error body for the request's protocol."""
    status = 400
    if code in ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation"):
        status = 403
    if headers.get("X-Amz-Target"):  # JSON protocol
        body = json.dumps({"__type": code, "message": message}).encode()
        return status, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code}, body
    if service == "ec2":
        body = (f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
                "<RequestID>proxy</RequestID></Response>").encode()
        return status, {"Content-Type": "text/xml"}, body
    if service in ("sts", "iam", "elasticloadbalancing", "rds", "organizations_query"):
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
                "<RequestId>proxy</RequestId></ErrorResponse>").encode()
        return status, {"Content-Type": "text/xml"}, body
    if service == "s3":
        body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()
        return status, {"Content-Type": "application/xml"}, body
    # REST-JSON services (eks, efs, es, aps, grafana)
    body = json.dumps({"message": message}).encode()
    return status, {"Content-Type": "application/json", "x-amzn-ErrorType": code}, body


class CaseInsensitive(dict):
    """Header lookups ignore case (hyper sends lowercase names)."""

    def __init__(self, items):
        super().__init__((k.lower(), v) for k, v in items)
        self.original = list(items)

    def get(self, key, default=None):
        return super().get(key.lower(), default)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = CaseInsensitive(self.headers.items())
        op = operation_of(self.command, self.path, headers, body)
        key, region, service = credential_of(headers)
        with LOCK:
            account = KEY_ACCOUNT.get(key, self.server.default_account)
        role_account = None
        if op == "AssumeRole":
            arn = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("RoleArn", [""])[0]
            role_account = arn.split(":")[4] if arn.count(":") >= 4 else None
        fault = self.match_fault(account, op, region, role_account)
        record = {"operation": op, "service": service, "account": account, "region": region,
                  "method": self.command, "path": self.path, "faulted": bool(fault)}
        with LOCK, open(self.server.log, "a") as log:
            log.write(json.dumps(record) + "\n")
        if fault:
            status, hdrs, out = error_response(service, op, headers, fault, f"injected {fault} by the test proxy")
            return self.reply(status, hdrs, out)

        upstream = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port, timeout=120)
        fwd = {k: v for k, v in headers.original if k.lower() not in ("host", "connection", "accept-encoding", "expect")}
        fwd["Host"] = f"{self.server.upstream_host}:{self.server.upstream_port}"
        upstream.request(self.command, self.path, body=body, headers=fwd)
        resp = upstream.getresponse()
        out = resp.read()
        hdrs = {k: v for k, v in resp.getheaders()
                if k.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date")}
        upstream.close()

        if op == "AssumeRole" and resp.status == 200:
            form = urllib.parse.parse_qs(body.decode())
            role_arn = form.get("RoleArn", [""])[0]
            m = re.search(rb"<AccessKeyId>([^<]+)</AccessKeyId>", out)
            if m and role_arn.count(":") >= 4:
                with LOCK:
                    KEY_ACCOUNT[m.group(1).decode()] = role_arn.split(":")[4]
        if b"<GetBucketVersioningResponse" in out[:300]:
            out = re.sub(rb"<GetBucketVersioningResponse[^>]*>", b'<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">', out)
            out = out.replace(b"</GetBucketVersioningResponse>", b"</VersioningConfiguration>")
        self.reply(resp.status, hdrs, out)

    def match_fault(self, account, op, region, role_account):
        try:
            with open(self.server.rules) as f:
                rules = json.load(f)
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        for i, rule in enumerate(rules):
            if rule.get("account") not in (None, account):
                continue
            if rule.get("operation") not in (None, op):
                continue
            if rule.get("region") not in (None, region):
                continue
            if rule.get("role_account") not in (None, role_account):
                continue
            with LOCK:
                left = self.server.counters.setdefault(i, rule.get("times"))
                if left is not None:
                    if left <= 0:
                        continue
                    self.server.counters[i] = left - 1
            return rule["error"]
        return None

    def reply(self, status, headers, body):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--upstream", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--rules", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--default-account", default="123456789012")
    a = p.parse_args()
    up = urllib.parse.urlparse(a.upstream)
    server = Server(("127.0.0.1", a.port), Handler)
    server.upstream_host, server.upstream_port = up.hostname, up.port
    server.rules, server.log, server.counters = a.rules, a.log, {}
    server.default_account = a.default_account
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
