"""Chromium launches through Playwright, and the page guard catches what it should.

Needs no app: a local http.server serves a static page.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.no_live_server

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Probe – Tingbjerg</title></head>
<body><h1 id="h">Udsatte byområder</h1>
<script>
  document.getElementById("h").dataset.ready = "yes";
  if (location.hash === "#misbehave") {
    console.error("deliberate console error");
    fetch("http://example.invalid/track.js").catch(() => {});
  }
</script></body></html>
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def static_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("site")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_chromium_renders_local_page(page: Page, static_site: str) -> None:
    page.goto(f"{static_site}/index.html")
    expect(page).to_have_title("Probe – Tingbjerg")
    expect(page.locator("#h")).to_have_attribute("data-ready", "yes")
    assert page.evaluate("navigator.userAgent").find("Chrome") >= 0


def test_guard_records_console_errors_and_external_requests(
    page: Page, static_site: str, browser_log
) -> None:
    page.goto(f"{static_site}/index.html#misbehave")
    page.wait_for_timeout(300)
    page.wait_for_function("true")
    assert any("deliberate console error" in m for m in browser_log.console_errors)
    assert browser_log.external_requests == ["http://example.invalid/track.js"]
    browser_log.clear()  # provoked on purpose; otherwise teardown fails the test
