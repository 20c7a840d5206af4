"""End-to-end tests: the real app under gunicorn, driven by Debian's headless Chromium.

Every test in tests/e2e is marked ``browser`` (deselected by default; ``make test`` runs
them). Without /usr/bin/chromium they skip, or fail when CI=true.

Fixtures
    live_server   (session) base URL of ``gunicorn app:server`` on a free loopback port,
                  over a temporary SQLite store made with ``keob db upgrade`` + ``keob seed``.
    page          pytest-playwright's page; its base_url is the live server, so
                  ``page.goto("/")`` works. Tests marked ``@pytest.mark.no_live_server``
                  get no base_url and do not start the server.
    browser_log   what the page's context saw: console errors, uncaught page errors and
                  requests to hosts other than 127.0.0.1/localhost (those are aborted).
                  The test fails at teardown if any were recorded; a test that provokes
                  one on purpose inspects it and calls ``browser_log.clear()``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("KEOB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "no_live_server: browser test that does not need the app (no base_url)"
    )


@pytest.hookimpl(tryfirst=True)  # before -m deselection
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --------------------------------------------------------------------------- Chromium


@pytest.fixture(scope="session", autouse=True)
def _chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"Chromium not found at {CHROMIUM} (make setup-system installs it)"
        if _in_ci():
            pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, _chromium: str) -> dict:
    args = list(CHROMIUM_ARGS)
    if browser_type_launch_args.get("headless") is False:  # --headed
        args.remove("--headless")
    return {**browser_type_launch_args, "executable_path": _chromium, "args": args}


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    # Same as pytest-playwright's fallback (--base-url / ini base_url), minus its warning.
    try:
        return pytestconfig.getoption("--base-url") or pytestconfig.getini("base_url") or None
    except ValueError:
        return None


@pytest.fixture
def browser_context_args(browser_context_args: dict, request: pytest.FixtureRequest) -> dict:
    if browser_context_args.get("base_url") or request.node.get_closest_marker("no_live_server"):
        return browser_context_args
    return {**browser_context_args, "base_url": request.getfixturevalue("live_server")}


# --------------------------------------------------------------------------- page guard


def is_local_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return True  # data:, blob:, about:, chrome-error: ... never leave the machine
    host = (parts.hostname or "").lower()
    return host in {"localhost", "::1"} or host.startswith("127.")


@dataclass
class BrowserLog:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        def unique(kind: str, items: list[str]) -> list[str]:
            return [f"{kind}: {m[:400]}" for m in dict.fromkeys(items)]

        return (
            unique("console error", self.console_errors)
            + unique("uncaught page error", self.page_errors)
            + unique("request outside loopback", self.external_requests)
        )

    def clear(self) -> None:
        self.console_errors.clear()
        self.page_errors.clear()
        self.external_requests.clear()


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def context(context, browser_log: BrowserLog):
    def on_console(msg) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            browser_log.console_errors.append(f"{msg.text} [{loc.get('url', '')}]")

    def on_request(req) -> None:
        if not is_local_url(req.url):
            browser_log.external_requests.append(req.url)

    def on_websocket_route(ws) -> None:
        browser_log.external_requests.append(ws.url)
        ws.close()

    context.on("console", on_console)
    context.on("weberror", lambda err: browser_log.page_errors.append(str(err.error)))
    context.on("request", on_request)
    context.route(lambda url: not is_local_url(url), lambda route: route.abort("blockedbyclient"))
    context.route_web_socket(lambda url: not is_local_url(url), on_websocket_route)
    yield context
    problems = browser_log.problems()
    if problems:
        pytest.fail("the page misbehaved:\n  " + "\n  ".join(problems), pytrace=False)


# --------------------------------------------------------------------------- live server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _keob_command() -> list[str]:
    script = Path(sys.executable).with_name("keob")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from keob.cli import main; sys.exit(main())"]


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def live_store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated and seeded SQLite store for the live server (and for tests comparing
    what the browser shows with the store's numbers)."""
    workdir = tmp_path_factory.mktemp("live_store")
    url = f"sqlite:///{workdir / 'keob.sqlite'}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    for args, timeout in ((["db", "upgrade"], 120), (["seed"], 600)):
        cmd = [*_keob_command(), *args]
        done = subprocess.run(
            cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode:
            pytest.fail(
                f"{' '.join(cmd)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}",
                pytrace=False,
            )
    return url


@pytest.fixture(scope="session")
def live_server(live_store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("live_server")
    env = {**os.environ, "DATABASE_URL": live_store_url, "PYTHONUNBUFFERED": "1"}

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = workdir / "gunicorn.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn",
                "-w", "2", "-k", "gthread", "--threads", "4",
                "-b", f"127.0.0.1:{port}",
                "--no-control-socket", "--timeout", "120",
                "app:server",
            ],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"gunicorn exited {proc.returncode} before /health answered:\n"
                    + _tail(log_path),
                    pytrace=False,
                )
            with (
                contextlib.suppress(urllib.error.URLError, OSError),
                urllib.request.urlopen(f"{base}/health", timeout=2) as resp,
            ):
                if resp.status == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail("/health did not answer 200 within 90 s:\n" + _tail(log_path))
            time.sleep(0.2)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)  # gunicorn: quick shutdown (TERM waits for workers)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
