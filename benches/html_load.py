#!/usr/bin/env python3
"""Times how long a large HTML report takes to open in headless Chromium.

Generates an organization (benches/gen_org.py: 100 accounts, about 10,000
findings by default), writes its HTML report with archaudit, then opens the
page in a fresh headless Chromium several times and reads the browser's own
Navigation Timing: DOMContentLoaded, the load event (the page's script has
run by then), the first contentful paint, and how long one filter change
takes (uncheck a severity: the rows are re-filtered and laid out). Chromium
is driven through the DevTools protocol over a pipe (--remote-debugging-pipe),
so nothing listens on a port.

Usage: benches/html_load.py [--accounts 100] [--scale 4] [--runs 5]
                            [--binary $CARGO_TARGET_DIR/debug/archaudit]
Needs Debian's chromium (apt-get install -y chromium) and a built archaudit.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_org  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--remote-debugging-pipe", "--window-size=1400,900",
]


class Chromium:
    """One headless browser, spoken to over the DevTools pipe (fd 3 in, fd 4 out)."""

    def __init__(self, binary):
        self.profile = tempfile.TemporaryDirectory(prefix="archaudit-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():
            # Copy both ends out of the way first: either may already be fd 3
            # or 4, and dup2 onto itself would keep it close-on-exec.
            read_end, write_end = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile.name}", "about:blank"],
            preexec_fn=fds, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def _read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise SystemExit("chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise SystemExit(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_event(self, method, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read())
        raise SystemExit(f"no {method} within {timeout} s")

    def close(self):
        try:
            self.send("Browser.close")
        except SystemExit:
            pass
        self.proc.wait(timeout=30)
        self.profile.cleanup()


MEASURE = """(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByType('paint').find(p => p.name === 'first-contentful-paint');
  const rows = document.querySelectorAll('#groups tr.f').length;
  const box = document.querySelector('input[name=sev][value="1"]');
  const t0 = performance.now();
  box.checked = false;
  box.dispatchEvent(new Event('change', {bubbles: true}));
  document.body.getBoundingClientRect();
  const filter = performance.now() - t0;
  const shown = document.getElementById('findings').dataset.shown;
  const q = document.getElementById('f-q');
  const t1 = performance.now();
  q.value = 'payments-api';
  document.getElementById('f-account').dispatchEvent(new Event('change', {bubbles: true}));
  document.body.getBoundingClientRect();
  const search = performance.now() - t1;
  return JSON.stringify({
    search, matched: document.getElementById('findings').dataset.shown,
    dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : null,
    rows, filter, ready: document.documentElement.dataset.ready === '1', shown,
  });
})()"""


def open_once(binary, page):
    browser = Chromium(binary)
    try:
        target = next(t for t in browser.send("Target.getTargets")["targetInfos"] if t["type"] == "page")
        session = browser.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
        browser.send("Page.enable", session=session)
        browser.send("Runtime.enable", session=session)
        start = time.perf_counter()
        browser.send("Page.navigate", {"url": "file://" + page}, session=session)
        browser.wait_event("Page.loadEventFired")
        wall = (time.perf_counter() - start) * 1000
        # Let the load event's task finish so loadEventEnd is set.
        time.sleep(0.2)
        result = browser.send("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True}, session=session)
        errors = [e for e in browser.events if e.get("method") == "Runtime.exceptionThrown"]
        values = json.loads(result["result"]["value"])
        values["wall"] = wall
        values["errors"] = len(errors)
        return values
    finally:
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    parser.add_argument("--binary", default=os.path.join(target, "debug/archaudit"))
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--keep", help="directory to keep the snapshot and the report in")
    args = parser.parse_args()

    work = args.keep or tempfile.mkdtemp(prefix="archaudit-html-bench-")
    os.makedirs(work, exist_ok=True)
    snapshot = os.path.join(work, "org.json")
    page = os.path.join(work, "org.html")
    with open(snapshot, "w") as f:
        json.dump(gen_org.generate(args.accounts, args.scale, 0.05, True), f)
    start = time.perf_counter()
    run = subprocess.run([args.binary, "check", snapshot, "--format", "html", "--output", page],
                         capture_output=True, text=True)
    render = time.perf_counter() - start
    if run.returncode not in (0, 1):
        raise SystemExit(run.stderr)
    report = json.loads(subprocess.run([args.binary, "check", snapshot, "--format", "json"],
                                       capture_output=True, text=True).stdout)
    findings = report["summary"]["findings"]
    size = os.path.getsize(page)
    print(f"{len(report['accounts'])} accounts, {findings} findings, "
          f"{report['summary']['suppressed']} suppressed, {len(report['coverage_gaps'])} coverage gaps")
    print(f"report: {size / 1e6:.1f} MB, written in {render:.1f} s by {args.binary}")

    results = [open_once(args.chromium, page) for _ in range(args.runs)]
    for r in results:
        if not r["ready"] or r["errors"] or r["rows"] != findings:
            raise SystemExit(f"the page did not load cleanly: {r}")
    med = lambda key: statistics.median(r[key] for r in results)  # noqa: E731
    print(f"{args.runs} loads in fresh headless Chromium (median; all runs: load event ms "
          f"{[round(r['load']) for r in results]}):")
    print(f"  first contentful paint  {med('fcp'):7.0f} ms")
    print(f"  DOMContentLoaded        {med('dcl'):7.0f} ms")
    print(f"  load event (script run) {med('load'):7.0f} ms")
    print(f"  navigate -> load, wall  {med('wall'):7.0f} ms")
    print(f"  one filter change       {med('filter'):7.0f} ms  (uncheck 'low': {results[0]['shown']} rows left)")
    print(f"  first text search       {med('search'):7.0f} ms  ('payments-api': {results[0]['matched']} rows)")


if __name__ == "__main__":
    main()
