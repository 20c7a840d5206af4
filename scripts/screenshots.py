"""Screenshots of every page in headless Debian Chromium, for people to look at.

Usage: python -m scripts.screenshots [BASE_URL] [OUT_DIR]
(default http://127.0.0.1:8050 and docs/screenshots). Start the app first (make run).
Every page at desktop width (1366 px) as ``NAME.png``; the main pages also at a phone's
width (390 px) as ``NAME-mobil.png``, the width the pages must reflow to.
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
MOBILE_PAGES = ("overblik", "kort", "omraadeprofil", "daekning", "fremdrift")
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
        desktop = browser.new_page(viewport={"width": 1366, "height": 900})
        mobile = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        shots = [(desktop, name, path) for name, path in PAGES.items()]
        shots += [(mobile, f"{name}-mobil", PAGES[name]) for name in MOBILE_PAGES]
        for page, name, path in shots:
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(1500)
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(f"{name}: {out / f'{name}.png'}")
        browser.close()


if __name__ == "__main__":
    main()
