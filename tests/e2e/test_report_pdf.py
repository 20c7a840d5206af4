"""Printing: `keob report` makes an A4 PDF of the yearly report, and the overview and the
area profile print without navigation, with DEMODATA on every sheet and the printed
footer (address, data version). Text is read back with pdftotext (poppler-utils)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import _in_ci, _keob_command


@pytest.fixture(scope="module")
def pdftotext() -> str:
    found = shutil.which("pdftotext")
    if not found:
        reason = "pdftotext not found (poppler-utils; make setup-system installs it)"
        if _in_ci():
            pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
        pytest.skip(reason)
    return found


def pdf_pages(pdftotext: str, path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    text = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def keob_report(*args: str, store_url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": store_url}
    return subprocess.run(
        [*_keob_command(), "report", *args],
        cwd=tmp_path,  # the command finds the app itself, from any directory
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.no_live_server
def test_keob_report_starts_its_own_server_and_writes_the_danish_report(
    live_store_url: str, pdftotext: str, tmp_path: Path
) -> None:
    out = tmp_path / "rapport-2025.pdf"
    done = keob_report("--year", "2025", "--out", str(out), store_url=live_store_url,
                       tmp_path=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    pages = pdf_pages(pdftotext, out)
    assert len(pages) >= 4
    text = "\n".join(pages)
    for expected in (
        "Årsrapport 2025",
        "De otte kriterier",
        "Indkomstniveau",
        "Højere er værre",
        "Statslisterne",
        "Dækning i de udsatte byområder",
        "Handleplanens indsatser",
        "Data, kilder og licenser",
        "CC BY 4.0",
        "Data opdateret",
    ):
        assert expected in text, expected
    # Synthetic values throughout: the label is in the margin of every sheet.
    assert all("DEMODATA" in page for page in pages)
    assert all(re.search(rf"\b{i}\s*/\s*{len(pages)}\b", p) for i, p in enumerate(pages, start=1))
    # No menu or buttons on paper, and no address of the server that is gone.
    assert "Hovedmenu" not in text and "Udskriv" not in text
    assert "127.0.0.1" not in text


def test_keob_report_in_english_from_a_running_app(
    live_server: str, live_store_url: str, pdftotext: str, tmp_path: Path
) -> None:
    out = tmp_path / "annual-report-2025.pdf"
    done = keob_report("--year", "2025", "--lang", "en", "--out", str(out),
                       "--base-url", live_server, store_url=live_store_url,
                       tmp_path=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    pages = pdf_pages(pdftotext, out)
    text = "\n".join(pages)
    assert len(pages) >= 4
    for expected in ("Annual report 2025", "The state lists", "Data, sources and licences"):
        assert expected in text, expected
    assert all("DEMO DATA" in page for page in pages)


def test_keob_report_refuses_a_year_the_store_lacks(live_store_url: str, tmp_path: Path) -> None:
    done = keob_report("--year", "1990", "--out", str(tmp_path / "x.pdf"),
                       store_url=live_store_url, tmp_path=tmp_path)  # fmt: skip
    assert done.returncode == 2
    assert "--year 1990 is not in the store" in done.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/", "De udsatte byområder samlet mod resten af byen"), ("/omraade/ub-alle", "Seneste tal")],
)
def test_pages_print_without_navigation_with_demodata_and_footer(
    page, live_server: str, pdftotext: str, tmp_path: Path, path: str, expected: str
) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(path, wait_until="networkidle")
    page.wait_for_selector(".main-svg")
    page.wait_for_selector(".site-footer .print-only", state="attached")
    assert page.locator(".print-button").first.is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".print-button").first.is_visible()
    out = tmp_path / "page.pdf"
    page.pdf(path=str(out), format="A4", print_background=True, prefer_css_page_size=True)
    pages = pdf_pages(pdftotext, out)
    text = "\n".join(pages)
    assert expected in text
    assert all("DEMODATA" in p for p in pages)
    assert "Hovedmenu" not in text and "Screening" not in text  # no menu
    assert f"Udskrevet fra {live_server}{path}" in " ".join(text.split())
    assert "Data opdateret" in text and "CC BY 4.0" in text
