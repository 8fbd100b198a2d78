"""Bounded load test on loopback: gunicorn with 2 workers serving the demo partnership.

Starts gunicorn on 127.0.0.1 against a fresh instance folder with the demo data, then for each phase runs
N virtual users (threads, each signed in with its own session) for a fixed time against a list of pages,
and reports requests, errors, p50/p95/max latency and throughput. The baseline phase hits the trivial
/health route the same way, so page throughput is reported as a ratio to it (same run, same machine).

    .venv/bin/python bench/load_test.py [--users 20] [--seconds 60] [--cases 3000]

Traffic goes only to 127.0.0.1, the request loops are bounded in time, and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_EMAIL, DEMO_PASSWORD = "lead@demo.example", "demo-password-1234"
# Pages a partnership lead opens most (issue 10: the dashboard, timeliness and readiness); features add theirs
# here as they land. An optional page is loaded only when a HEAD request finds it (the readiness page is being
# built): the run says which were left out and why.
PAGES = ["/p/demo/", "/p/demo/timeliness/"]
OPTIONAL_PAGES = ["/p/demo/readiness"]


@dataclass
class PhaseResult:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    by_path: dict[str, list[float]] = field(default_factory=dict)
    error_statuses: dict[str, int] = field(default_factory=dict)  # "path status" -> count

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


class Client:
    """One signed-in user with its own keep-alive connection and session cookie."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("inspect_session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, text

    def sign_in(self) -> None:
        _, page = self.request("GET", "/sign-in")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
        csrf = next(g for g in token.groups() if g) if token else ""
        status, _ = self.request(
            "POST", "/sign-in", urlencode({"csrf_token": csrf, "email": DEMO_EMAIL, "password": DEMO_PASSWORD})
        )
        if status != 302:
            raise RuntimeError(f"sign-in failed with {status}")


def run_phase(name: str, port: int, paths: list[str], users: int, seconds: float, sign_in: bool) -> PhaseResult:
    result = PhaseResult(name)
    lock = threading.Lock()
    clients = []
    for _ in range(users):
        client = Client(port)
        if sign_in:
            client.sign_in()
        clients.append(client)
    deadline = time.perf_counter() + seconds

    def user(client: Client, offset: int) -> None:
        i = offset
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            try:
                status, _ = client.request("GET", path)
                outcome = str(status)
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
                client.connection.close()
            elapsed = time.perf_counter() - start
            with lock:
                if outcome == "200":
                    result.latencies.append(elapsed)
                    result.by_path.setdefault(path, []).append(elapsed)
                else:
                    result.errors += 1
                    key = f"{path} {outcome}"
                    result.error_statuses[key] = result.error_statuses.get(key, 0) + 1

    threads = [threading.Thread(target=user, args=(c, n)) for n, c in enumerate(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def percentile(values: list[float], p: float) -> float:
    return PhaseResult("", values).percentile(p)


def find_optional(client: Client, port: int, paths: list[str]) -> tuple[list[str], list[str]]:
    """HEAD each optional page (following one redirect to a local path): the pages found, and why others are not."""
    found, missing = [], []
    for path in paths:
        client.connection.request("HEAD", path, headers={"Cookie": client.cookie})
        response = client.connection.getresponse()
        response.read()
        # Werkzeug's trailing-slash redirect gives an absolute URL on this server
        location = urlsplit(response.getheader("Location") or "")
        if response.status in (301, 302, 307, 308) and location.netloc in ("", f"127.0.0.1:{port}"):
            target = location.path + (f"?{location.query}" if location.query else "")
            client.connection.request("HEAD", target, headers={"Cookie": client.cookie})
            response = client.connection.getresponse()
            response.read()
            path = target
        if response.status == 200:
            found.append(path)
        else:
            missing.append(f"{path} (HEAD {response.status})")
    return found, missing


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def wait_for(port: int, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    instance = tempfile.mkdtemp(prefix="inspect-load-")
    env = {
        **os.environ,
        "INSPECT_APP_INSTANCE": instance,
        "INSPECT_APP_ENV": "development",
        "SECRET_KEY": "load-test-only",
    }
    env.pop("DATABASE_URL", None)
    # The venv's `inspect-app` is an editable install of the main checkout: put this tree first on the path, so
    # the demo is built, and the pages are served, by the code beside this script (a worktree's own code).
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    cli = [str(BIN / "inspect-app")]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run([*cli, "frameworks", "load"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run([*cli, "demo", "--cases", str(args.cases)], env=env, check=True, cwd=ROOT, capture_output=True)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{args.port}",
            "--no-control-socket",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for(args.port)
        probe = Client(args.port)
        probe.sign_in()
        found, missing = find_optional(probe, args.port, OPTIONAL_PAGES)
        pages = PAGES + found
        for path in pages:  # warm each worker's caches, as a page opened once already would be
            for _ in range(4):
                probe.request("GET", path)
        loads = [load_average()]
        baseline = run_phase("/health", args.port, ["/health"], args.users, args.seconds, sign_in=False)
        loads.append(load_average())
        loaded = run_phase("pages", args.port, pages, args.users, args.seconds, sign_in=True)
        loads.append(load_average())
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"gunicorn -w 2, {args.users} concurrent users, {args.seconds:.0f} s per phase, demo --cases {args.cases}")
    print(f"code: {ROOT}")
    print(f"load average (1, 5, 15 min) before, between and after the phases: {' | '.join(loads)}")
    print(f"pages: {', '.join(pages)}")
    if missing:
        print(f"left out (not found): {', '.join(missing)}")
    for phase in (baseline, loaded):
        print(
            f"{phase.name:8} requests {phase.requests:6d}  errors {phase.errors}  "
            f"p50 {phase.percentile(50) * 1000:7.1f} ms  p95 {phase.percentile(95) * 1000:7.1f} ms  "
            f"max {max(phase.latencies, default=float('nan')) * 1000:7.1f} ms  {phase.throughput:7.1f} req/s"
        )
    for path, latencies in loaded.by_path.items():
        print(
            f"  {path:28} requests {len(latencies):6d}  p50 {percentile(latencies, 50) * 1000:7.1f} ms  "
            f"p95 {percentile(latencies, 95) * 1000:7.1f} ms"
        )
    for phase in (baseline, loaded):
        for key, count in phase.error_statuses.items():
            print(f"  error: {key} x {count}")
    ratio = loaded.throughput / baseline.throughput if baseline.throughput else float("nan")
    print(f"page throughput / health throughput = {ratio:.3f}")
    print(f"median page latency {statistics.median(loaded.latencies) * 1000:.1f} ms" if loaded.latencies else "")
    if loaded.errors or baseline.errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
