"""Screenshots of every page in headless Debian Chromium, for people to look at.

Usage: python -m scripts.screenshots [BASE_URL] [OUT_DIR]
(default http://127.0.0.1:8050 and docs/screenshots). Start the app first (make run).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {
    "overblik": "/",
    "kort": "/kort?kriterium=indkomst&niveau=rode",
    "omraadeprofil": "/omraade/ub-alle",
    "sammenlign": "/sammenlign",
    "tvillinger": "/tvillinger",
    "daekning": "/daekning",
    "indsatser": "/indsatser",
    "statslister": "/statslister",
    "fremdrift": "/fremdrift",
    "screening": "/screening",
    "data": "/data",
    "api": "/api",
    "om-data": "/om",
    "kort-en": "/kort?lang=en",
}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8050"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        for name, path in PAGES.items():
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(1500)
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(f"{name}: {out / f'{name}.png'}")
        browser.close()


if __name__ == "__main__":
    main()
