"""Many users at once: gunicorn under a mix of page loads, callbacks and API downloads.

The app runs as ``make run`` runs it (gunicorn, 2 gthread workers x 4 threads) on a
seeded store: the shipped data in SQLite, and in PostgreSQL when a server can be started
(``scripts/pg-test-cluster.sh``). 32 clients (quick: 8) on loopback send requests for 60 s
(quick: 10 s) each, from a mix recorded from real pages:

* **page**: the shell (``GET /kort``) and the page router's callback for that path, timed
  together, for the overview, map, profile, data, Dækning, Fremdrift and Statslister pages;
* **callback**: the Dash callbacks Chromium sent while the pages loaded and while a
  radio control was changed on Kort, Dækning, Data and Overblik (recorded once with
  Playwright, replayed byte for byte; calls that answer 204, nothing to update, are left
  out because they measure nothing);
* **api**: ``/api/v1/indicators.csv`` at the udsatte byområder level and
  ``/api/v1/indicators.json?area=ub-alle``.

Meanwhile ``keob import indicators`` loads a small revision (every 15 s), so every worker
sees the data version change during the run, as in real use. Per route: p50 (the
median column), p95, p99, requests per second and errors. The floor, measured in the
same run under the same concurrency, is ``GET /health`` (one store query, no page work).

Cold start: the first request of each route after gunicorn starts, and after an import
(the data version changes), one request at a time.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.harness import Result

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/kort", "/omraade/ub-alle", "/data", "/daekning", "/fremdrift", "/statslister"]
API = [
    "/api/v1/indicators.csv?level=udsat_byomraade",
    "/api/v1/indicators.json?area=ub-alle",
]
ROUTER_OUTPUT = "_pages_content.children"
# (page, control a user changes): the second option of each radio group.
INTERACTIONS = [
    ("/kort", "#map-level label >> nth=1"),
    ("/daekning", "#cov-level label >> nth=1"),
    ("/data", "#data-level label >> nth=1"),
    ("/", "#overview-baseline label >> nth=1"),
]
IMPORT_EVERY_S = 15.0


# ------------------------------------------------------------------------------ servers


def _keob(url: str, *args: str, timeout: int = 900) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-c", "import sys; from keob.cli import main; sys.exit(main())"]
    subprocess.run([*command, *args], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=timeout)  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _gunicorn(url: str) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    log_path = Path(tempfile.mkdtemp(prefix="keob-bench-gunicorn-")) / "gunicorn.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--no-control-socket", "--timeout", "120", "app:server"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log_path}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/health") as r:
                if r.status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer; see {log_path}")
            time.sleep(0.1)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def _postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL+PostGIS cluster, or None when none can be started here."""
    state = Path(tempfile.mkdtemp(prefix="keob-bench-pg-"))
    state.chmod(0o755)
    env = {**os.environ, "PG_TEST_PORT": "55490", "PG_TEST_STATE_DIR": str(state)}
    script = ROOT / "scripts" / "pg-test-cluster.sh"
    done = subprocess.run([str(script), "start"], env=env, capture_output=True, text=True)
    if done.returncode:
        print("bench_load: no PostgreSQL here, SQLite only:", done.stderr[-300:], flush=True)
        yield None
        return
    try:
        yield dict(re.findall(r"export (\w+)=(\S+)", done.stdout))["TEST_DATABASE_URL"]
    finally:
        subprocess.run([str(script), "stop"], env=env, capture_output=True)
        shutil.rmtree(state, ignore_errors=True)


def _seed(url: str) -> None:
    _keob(url, "db", "upgrade")
    _keob(url, "seed")


# ------------------------------------------------------------------------------ requests


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    body: bytes | None = None


@dataclass(frozen=True)
class Route:
    """One thing a user does, timed as a whole: one request or a page's two."""

    kind: str  # page | callback | api | floor
    name: str
    steps: tuple[Step, ...]


def _router_body(path: str) -> bytes:
    return json.dumps(
        {
            "output": f"..{ROUTER_OUTPUT}..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": ""},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        }
    ).encode()


def _record_callbacks(base: str) -> list[Route]:
    """The callbacks Chromium sends while the pages load and a control changes."""
    from playwright.sync_api import sync_playwright

    recorded: dict[str, tuple[str, bytes]] = {}

    def keep(request) -> None:  # type: ignore[no-untyped-def]
        url = urlsplit(request.url)
        if url.path == "/_dash-update-component" and request.post_data_buffer:
            body = request.post_data_buffer
            output = json.loads(body)["output"]
            if ROUTER_OUTPUT not in output:
                name = re.sub(r"@[0-9a-f]+", "", output.strip(".").split(".")[0])
                # The last one wins: a control change comes after the page's first call.
                recorded[name] = (f"{url.path}?{url.query}", body)

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page()
        page.on("request", keep)
        for path in PAGES:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
        # Control changes: the last call per output is kept, so these are what is replayed.
        for path, control in INTERACTIONS:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            with contextlib.suppress(Exception):
                page.locator(control).click(timeout=5_000)
                page.wait_for_load_state("networkidle")
        browser.close()
    return [
        Route("callback", name, (Step("POST", path, body),))
        for name, (path, body) in sorted(recorded.items())
    ]


def _routes(callbacks: list[Route]) -> list[Route]:
    pages = [
        Route("page", path, (Step("GET", path), Step("POST", "/_dash-update-component",
                                                      _router_body(path))))
        for path in PAGES
    ]  # fmt: skip
    api = [
        Route("api", path.split("?")[0].rsplit("/", 1)[-1], (Step("GET", path),)) for path in API
    ]
    return pages + callbacks + api


FLOOR = Route("floor", "GET /health", (Step("GET", "/health"),))


# ------------------------------------------------------------------------------ load


@dataclass
class Tally:
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float | None) -> None:
        with self.lock:
            if seconds is None:
                self.errors[name] += 1
            else:
                self.seconds[name].append(seconds)


def _do(conn: http.client.HTTPConnection, route: Route) -> float | None:
    start = time.perf_counter()
    for step in route.steps:
        conn.request(step.method, step.path, body=step.body, headers=_headers(step))
        response = conn.getresponse()
        response.read()
        if response.status >= 400:
            return None
    return time.perf_counter() - start


def _client(port: int, routes: list[Route], until: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < until:
        route = rng.choice(routes)
        try:
            tally.add(route.name, _do(conn, route))
        except (OSError, http.client.HTTPException):
            tally.add(route.name, None)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.close()


def _load(base: str, routes: list[Route], clients: int, seconds: float) -> Tally:
    port = int(base.rsplit(":", 1)[1])
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client, args=(port, routes, until, tally, i), daemon=True)
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


class _Importer(threading.Thread):
    """Loads a small revision of real rode values every few seconds until stopped."""

    def __init__(self, url: str, folder: Path) -> None:
        super().__init__(daemon=True)
        self.url, self.folder = url, folder
        self.stop = threading.Event()
        self.count = 0

    def run(self) -> None:
        while not self.stop.wait(IMPORT_EVERY_S if self.count else 2.0):
            _import_revision(self.url, self.folder, self.count)
            self.count += 1


def _import_revision(url: str, folder: Path, serial: int) -> None:
    from sqlalchemy import text

    from db.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.code, o.indicator_code, o.year, o.numerator, o.denominator "
                "FROM observation o JOIN area a ON a.id = o.area_id "
                "WHERE o.indicator_code = 'indkomst' AND o.numerator > 10 "
                "AND o.revision = 1 AND a.level = 'rode' "
                "ORDER BY a.code, o.year LIMIT 200"
            )
        ).all()
    engine.dispose()
    path = folder / f"revision_{serial}.csv"
    lines = ["area_code,criterion,year,numerator,denominator"]
    lines += [
        f"{c},{i},{y},{n + (1 if serial % 2 == 0 else 0):.0f},{d:.0f}" for c, i, y, n, d in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _keob(url, "import", "indicators", str(path))


def _status(base: str, route: Route) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=120)
    step = route.steps[-1]
    conn.request(step.method, step.path, body=step.body, headers=_headers(step))
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def _headers(step: Step) -> dict[str, str]:
    return {"Content-Type": "application/json"} if step.body else {}


def _first_requests(base: str, routes: list[Route]) -> dict[str, float | None]:
    port = int(base.rsplit(":", 1)[1])
    out = {}
    for route in routes:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        out[route.name] = _do(conn, route)
        conn.close()
    return out


# ------------------------------------------------------------------------------ report


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _store_results(
    backend: str, url: str, routes: list[Route], clients: int, seconds: float, folder: Path
) -> list[Result]:
    results = []
    with _gunicorn(url) as base:
        cold = _first_requests(base, routes)
        floor = _load(base, [FLOOR], clients, max(5.0, seconds / 6))
        floor_p50 = statistics.median(floor.seconds[FLOOR.name])
        importer = _Importer(url, folder)
        importer.start()
        tally = _load(base, routes, clients, seconds)
        importer.stop.set()
        importer.join()
        _import_revision(url, folder, 10_001)
        after_import = _first_requests(base, routes)
    for route in routes:
        times = tally.seconds.get(route.name, [])
        errors = tally.errors.get(route.name, 0)
        label = f"{backend} {route.kind}: {route.name}"
        if not times:
            results.append(Result(label, float("nan"), "GET /health", floor_p50, 0,
                                  {"errors": str(errors)}))  # fmt: skip
            continue
        floor_p95 = _pct(floor.seconds[FLOOR.name], 0.95) * 1000
        results.append(
            Result(
                label,
                statistics.median(times),
                f"GET /health under the same load (p95 {floor_p95:.0f} ms)",
                floor_p50,
                len(times),
                {
                    "p95": f"{_pct(times, 0.95) * 1000:.0f} ms",
                    "p99": f"{_pct(times, 0.99) * 1000:.0f} ms",
                    "req/s": f"{len(times) / seconds:.1f}",
                    "errors": str(errors),
                    "cold after start": _ms(cold.get(route.name)),
                    "cold after import": _ms(after_import.get(route.name)),
                },
            )
        )
    total = sum(len(v) for v in tally.seconds.values())
    errors = sum(tally.errors.values())
    print(f"{backend}: {total} requests in {seconds:.0f} s with {clients} clients, "
          f"{errors} errors, {importer.count} imports during the run", flush=True)  # fmt: skip
    return results


def _ms(value: float | None) -> str:
    return "error" if value is None else f"{value * 1000:.0f} ms"


def run(quick: bool = False) -> list[Result]:
    clients, seconds = (8, 10.0) if quick else (32, 60.0)
    folder = Path(tempfile.mkdtemp(prefix="keob-bench-load-"))
    sqlite_url = f"sqlite:///{folder / 'keob.sqlite'}"
    _seed(sqlite_url)
    with _gunicorn(sqlite_url) as base:
        # A replayed call that answers 204 (nothing to update) would measure nothing.
        callbacks = [route for route in _record_callbacks(base) if _status(base, route) == 200]
        print("bench_load: replaying", ", ".join(r.name for r in callbacks), flush=True)
    routes = _routes(callbacks)
    results = _store_results("SQLite", sqlite_url, routes, clients, seconds, folder)
    with _postgres() as pg_url:
        if pg_url:
            _seed(pg_url)
            results += _store_results("PostgreSQL", pg_url, routes, clients, seconds, folder)
    shutil.rmtree(folder, ignore_errors=True)
    return results
