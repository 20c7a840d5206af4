"""The browser enforces the Content-Security-Policy: foreign inline script does not run.

Every other browser test runs under the same policy, and the page guard fails a test on any
console error, which is where Chromium reports a blocked script or style.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import BrowserLog


def test_injected_inline_script_is_blocked(page: Page, browser_log: BrowserLog) -> None:
    page.goto("/")
    expect(page.locator(".site-header")).to_be_visible()
    violations = page.evaluate(
        """() => new Promise((resolve) => {
            const seen = [];
            document.addEventListener("securitypolicyviolation", (e) => {
                seen.push(e.violatedDirective);
            });
            const script = document.createElement("script");
            script.textContent = "window.__injected = true;";
            document.body.appendChild(script);
            setTimeout(() => resolve({seen, ran: window.__injected === true}), 200);
        })"""
    )
    assert violations["ran"] is False
    assert any(d.startswith("script-src") for d in violations["seen"])
    # The guard would fail this test on the report; this one expects exactly that report.
    assert any("Content Security Policy" in m for m in browser_log.console_errors)
    browser_log.clear()
