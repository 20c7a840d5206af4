"""WCAG 2.1 AA in the browser: axe-core on every page, both languages, and a 390 px phone.

axe-core (MPL-2.0, vendored in tests/e2e/vendor/ with its licence) is injected into the
live page and run with the WCAG 2.0/2.1 A and AA rules. A serious or critical violation
fails the test, listed with its rule id, impact, the offending elements and axe's help
text. docs/accessibility.md says what is tested and what is not (axe finds perhaps a
third of the WCAG problems; keyboard use and the texts are checked by the other tests
here and by hand).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Every registered page, and a path that is no page (the 404 view).
PAGES = [
    "/",
    "/kort",
    "/omraade/ub-alle",
    "/daekning",
    "/indsatser",
    "/statslister",
    "/fremdrift",
    "/screening",
    "/data",
    "/api",
    "/om",
    "/tilgaengelighed",
    "/omraade/XYZ",
    "/findes-ikke",
]

RUN_AXE = """
async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map(n => n.target.join(" ")),
    }));
}
"""


@pytest.fixture
def axe_page(browser: Browser, live_server: str, browser_log) -> Page:
    # The app's Content-Security-Policy forbids inline and injected script (no
    # 'unsafe-inline'), so axe could not be added to the page. bypass_csp lifts the
    # policy for this context only; every other browser test runs under the real policy,
    # and test_security_headers.py checks the header itself.
    context = browser.new_context(base_url=live_server, bypass_csp=True, viewport=DESKTOP)
    context.on(
        "console",
        lambda msg: browser_log.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    context.on("weberror", lambda err: browser_log.page_errors.append(str(err.error)))
    page = context.new_page()
    yield page
    context.close()
    assert not browser_log.problems(), browser_log.problems()


def settle(page: Page, path: str) -> None:
    page.goto(path)
    # Generous: the first page a fresh worker builds reads the whole store (busy CI too).
    expect(page.locator("#_pages_content h1")).to_be_visible(timeout=90_000)
    page.wait_for_load_state("networkidle")


def violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE, WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n      " + "\n      ".join(v["targets"][:8])
        for v in found
        if v["impact"] in BLOCKING
    ]


def assert_no_blocking(page: Page, where: str) -> None:
    problems = violations(page)
    assert not problems, f"{where}: {len(problems)} serious/critical axe rule(s):\n  " + (
        "\n  ".join(problems)
    )


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_axe_violation(axe_page: Page, path: str, lang: str) -> None:
    url = path + ("?lang=en" if lang == "en" else "")
    settle(axe_page, url)
    assert_no_blocking(axe_page, url)


def test_kort_after_changing_the_criterion(axe_page: Page) -> None:
    settle(axe_page, "/kort")
    axe_page.locator("#map-criterion").click()
    axe_page.get_by_role("option", name="Tryghed").click()
    expect(axe_page).to_have_url(re.compile(r"kriterium=tryghed"))
    axe_page.wait_for_load_state("networkidle")
    assert_no_blocking(axe_page, "/kort after choosing Tryghed")


def test_daekning_after_changing_the_level(axe_page: Page) -> None:
    settle(axe_page, "/daekning")
    axe_page.get_by_role("radio", name=re.compile("Kvarterer")).check()
    expect(axe_page).to_have_url(re.compile(r"niveau=kvarter"))
    axe_page.wait_for_load_state("networkidle")
    assert_no_blocking(axe_page, "/daekning after choosing kvarterer")


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_phone_without_sideways_scrolling(page: Page, path: str) -> None:
    page.set_viewport_size(PHONE)
    settle(page, path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{path} is {width} px wide at 390 px"


def test_keyboard_reaches_the_menu_with_a_visible_focus(page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    settle(page, "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    # The brand link, the language switch and the area search come before the menu.
    for _ in range(6):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if focused.evaluate("e => e.classList.contains('nav-link')"):
            break
    assert focused.evaluate("e => e.classList.contains('nav-link')")
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") != "none"


# The app's own words on a page: headings, labels, buttons, table heads, captions, notes,
# menu and footer. Texts quoted from Danish sources (the action plan's initiatives, the
# data sources' own descriptions) are content, not interface, and are left out.
CHROME = (
    "h1, h2, label, button, th, caption, figcaption, summary, .intro, .note, .notice, "
    "nav, .site-footer, .control-label, .figure-caption, .demo-banner"
)
CHROME_TEXT = f"""
() => [...document.querySelectorAll({CHROME!r})]
    .filter(e => !e.closest('[lang="da"]'))
    .map(e => {{
        const copy = e.cloneNode(true);
        // Quoted Danish sources, and the page URL that only print shows.
        copy.querySelectorAll('[lang="da"], .print-only').forEach(quoted => quoted.remove());
        return copy.textContent;
    }})
    .join("\\n")
"""


@pytest.mark.parametrize("path", PAGES)
def test_english_page_has_no_danish_leftovers(page: Page, path: str) -> None:
    settle(page, path + "?lang=en")
    text = page.evaluate(CHROME_TEXT)
    leftovers = sorted({w for w in re.findall(r"\b\w+\b", text.lower()) if w in DANISH_ONLY_WORDS})
    assert not leftovers, f"{path}?lang=en shows Danish words: {leftovers}"


DANISH_ONLY_WORDS = {
    "og", "ikke", "eller", "med", "til", "fra", "af", "der", "som", "vælg", "alle",
    "område", "områder", "kriterium", "kriterier", "år", "andel", "byen", "resten",
    "indsatser", "hent", "vis", "tabel", "kilde", "kilder", "niveau", "mål", "udvikling",
}  # fmt: skip
