"""The yearly report as PDF: the app's ``/rapport/<year>`` page printed by headless Chromium.

The report is the page itself, so its numbers are the ones the app shows (the same view
and figure functions). Without ``base_url`` a gunicorn server for the current store
(DATABASE_URL) is started on a free loopback port, like the end-to-end tests' server,
and stopped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
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
#: The A4 sheet's printable width at 96 dpi (210 mm less print.css's 2 × 14 mm margins):
#: the page is laid out at this width so the figures are drawn for the paper.
SHEET_WIDTH_PX = 688
SERVER_START_SECONDS = 90
RENDER_TIMEOUT_MS = 60_000


class ReportError(RuntimeError):
    """The report could not be made (no Chromium, the server did not start, ...)."""


def report_path(year: int, lang: str) -> str:
    return f"/rapport/{year}" + ("?lang=en" if lang == "en" else "")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextlib.contextmanager
def local_server() -> Iterator[str]:
    """``gunicorn app:server`` on 127.0.0.1 for the current store; yields its base URL."""
    if not (REPO_ROOT / "app.py").exists():
        raise ReportError(f"app.py not found in {REPO_ROOT}; pass --base-url of a running app")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with tempfile.TemporaryDirectory(prefix="keob-report-") as tmp:
        log_path = Path(tmp) / "gunicorn.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn",
                    "-w", "1", "-k", "gthread", "--threads", "4",
                    "-b", f"127.0.0.1:{port}",
                    "--no-control-socket", "--timeout", "120",
                    "app:server",
                ],
                cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            _wait_for_health(proc, base, log_path)
            yield base
        finally:
            proc.send_signal(signal.SIGINT)  # gunicorn: quick shutdown
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_for_health(proc: subprocess.Popen, base: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        if proc.poll() is not None:
            raise ReportError(f"the app exited ({proc.returncode}):\n{_tail(log_path)}")
        with (
            contextlib.suppress(urllib.error.URLError, OSError),
            urllib.request.urlopen(f"{base}/health", timeout=2) as resp,
        ):
            if resp.status == 200:
                return
        if time.monotonic() > deadline:
            raise ReportError(
                f"the app did not answer within {SERVER_START_SECONDS} s:\n{_tail(log_path)}"
            )
        time.sleep(0.2)


def print_pdf(base_url: str, year: int, lang: str, out: Path, *, keep_url: bool = True) -> None:
    """Load the report page, wait for its figures, and print it to ``out`` (A4).

    ``keep_url=False`` drops the footer's "printed from" line: the address of a server
    started only for this report means nothing to a reader.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        raise ReportError(f"Chromium not found at {CHROMIUM} (set KEOB_CHROMIUM)")
    url = base_url.rstrip("/") + report_path(year, lang)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": SHEET_WIDTH_PX, "height": 1000})
                page.goto(url, wait_until="networkidle", timeout=RENDER_TIMEOUT_MS)
                page.wait_for_selector("#report-root", timeout=RENDER_TIMEOUT_MS)
                # Every graph drawn, and the footer (data version, URL) filled in.
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.dash-graph')].every("
                    "g => g.querySelector('.main-svg'))"
                    " && document.querySelector('.site-footer .print-only')",
                    timeout=RENDER_TIMEOUT_MS,
                )
                # The same preparation as the browser's print dialog (assets/print.js).
                if not keep_url:
                    page.evaluate("document.querySelector('.site-footer .print-only').remove()")
                page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
                page.wait_for_timeout(300)
                page.emulate_media(media="print")
                out.parent.mkdir(parents=True, exist_ok=True)
                page.pdf(
                    path=str(out), format="A4", print_background=True, prefer_css_page_size=True
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise ReportError(f"printing {url} failed: {exc}") from exc


def make_report(year: int, lang: str, out: Path, base_url: str | None = None) -> None:
    """Write the yearly report for ``year`` in ``lang`` to ``out`` as PDF."""
    if base_url:
        print_pdf(base_url, year, lang, out)
        return
    with local_server() as base:
        print_pdf(base, year, lang, out, keep_url=False)
