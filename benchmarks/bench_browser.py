"""What a user waits for in Chromium: first paint of each page and repaint after a change.

The app runs under gunicorn (as ``make run``) on the shipped seed in SQLite, on loopback;
Debian's headless Chromium (``/usr/bin/chromium``) loads each page in a fresh context
(empty cache, as a first visit) after one warm-up request per page, so the server's
per-version caches are warm and what is timed is the browser's work plus the requests.

* **first meaningful paint**: from navigation start to the page's main content being
  drawn (its first chart's SVG or map paths, or its table), read from the page's own
  ``performance.now()``; median over 3 loads. The floor is the same measurement for the
  not-found page (the Dash shell, its scripts and a heading: the least any page costs).
* **repaint after a change**: a control is changed (a radio button clicked, a slider moved
  with the keyboard) and the time until Plotly reports ``plotly_afterplot`` for the new
  figure is taken in the page; p50 of 24 changes, p95 in the notes. The floor is
  ``Plotly.newPlot`` of the figure already on screen, in the same page (the browser's
  drawing alone, no request), taken after the changes.

Goals (see the issue on browser speed): first meaningful paint <= 1 s on every page,
repaint p95 <= 100 ms.
"""

from __future__ import annotations

import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.bench_load import _gunicorn, _seed
from benchmarks.harness import Result
from scripts.screenshots import FLAGS

# page -> the CSS selector whose presence means the main content is drawn
PAGES = {
    "/": "#overview-cards .main-svg",
    "/kort": "#map-graph path.choroplethlocation",
    "/omraade/ub-alle": "#main .main-svg",
    "/daekning": "#cov-graph path.choroplethlocation",
    "/fremdrift": "#main .main-svg",
    "/statslister": "#sl-history-graph .main-svg",
    "/indsatser": "#main table",
    "/data": "#data-preview table, #data-preview .dash-spreadsheet",
    "/screening": "#main .main-svg",
}
FLOOR_PAGE = ("/findes-ikke", "#main h1")

SLIDER_HANDLE = "#cov-threshold [role=slider]"


def _clicks(*selectors: str) -> Callable[[Any], list[Callable[[], None]]]:
    return lambda page: [lambda s=s: page.locator(s).click() for s in selectors]


def _slider_steps(page: Any) -> list[Callable[[], None]]:
    def press(key: str) -> Callable[[], None]:
        def act() -> None:
            page.locator(SLIDER_HANDLE).first.focus()
            page.keyboard.press(key)

        return act

    return [press("ArrowRight"), press("ArrowLeft")]


def _change_jobs() -> list[tuple[str, str, str, Callable[[Any], list[Callable[[], None]]]]]:
    """(page, graph id, what is changed, the actions a change cycles through)."""
    return [
        (
            "/kort",
            "map-graph",
            "level",
            _clicks(*(f"#map-level label >> nth={i}" for i in (1, 2, 0))),
        ),
        (
            "/daekning",
            "cov-graph",
            "level",
            _clicks(*(f"#cov-level label >> nth={i}" for i in (1, 0))),
        ),
        ("/daekning", "cov-graph", "threshold slider", _slider_steps),
    ]


AFTERPLOT_LISTENER = """(graphId) => {
    const gd = document.querySelector('#' + graphId + ' .js-plotly-plot');
    window.__plots = [];
    gd.on('plotly_afterplot', () => window.__plots.push(performance.now()));
}"""


def _paint_ms(page, base: str, path: str, selector: str) -> float:  # type: ignore[no-untyped-def]
    page.goto(base + path, wait_until="commit")
    page.wait_for_selector(selector, state="attached", timeout=60_000)
    return float(page.evaluate("performance.now()"))


def _change_ms(page, action: Callable[[], None]) -> float:  # type: ignore[no-untyped-def]
    seen = page.evaluate("window.__plots.length")
    start = page.evaluate("performance.now()")
    action()
    page.wait_for_function(f"window.__plots.length > {seen}", timeout=60_000)
    # Plotly may draw twice (figure, then a patch): wait until it has been quiet 150 ms.
    page.wait_for_timeout(150)
    last = page.evaluate("window.__plots[window.__plots.length - 1]")
    return float(last - start)


def _redraw_ms(page, graph_id: str) -> float:  # type: ignore[no-untyped-def]
    return float(
        page.evaluate(
            """async (graphId) => {
                const gd = document.querySelector('#' + graphId + ' .js-plotly-plot');
                const t0 = performance.now();
                await Plotly.newPlot(gd, gd.data, gd.layout, gd._context);
                return performance.now() - t0;
            }""",
            graph_id,
        )
    )


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(quick: bool = False) -> list[Result]:
    from playwright.sync_api import sync_playwright

    loads = 1 if quick else 3
    changes = 6 if quick else 24
    folder = Path(tempfile.mkdtemp(prefix="keob-bench-browser-"))
    url = f"sqlite:///{folder / 'keob.sqlite'}"
    _seed(url)
    results: list[Result] = []
    with _gunicorn(url) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)

        def fresh_page():  # type: ignore[no-untyped-def]
            # bypass_csp: Playwright's wait_for_function compiles its predicate, which the
            # app's Content-Security-Policy forbids; the policy costs no time either way.
            context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
            return context.new_page()

        warm = fresh_page()
        for path, selector in [*PAGES.items(), FLOOR_PAGE]:
            _paint_ms(warm, base, path, selector)
        floor = statistics.median(_paint_ms(fresh_page(), base, *FLOOR_PAGE) for _ in range(loads))
        for path, selector in PAGES.items():
            times = [_paint_ms(fresh_page(), base, path, selector) for _ in range(loads)]
            results.append(
                Result(
                    f"first meaningful paint {path}",
                    statistics.median(times) / 1000,
                    f"not-found page shell ({FLOOR_PAGE[0]})",
                    floor / 1000,
                    loads,
                    {"max": f"{max(times):.0f} ms"},
                )
            )

        for path, graph_id, label, make_actions in _change_jobs():
            page = fresh_page()
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_selector(f"#{graph_id} .main-svg", timeout=60_000)
            page.evaluate(AFTERPLOT_LISTENER, graph_id)
            actions = make_actions(page)
            times = [_change_ms(page, actions[i % len(actions)]) for i in range(changes)]
            react = statistics.median(_redraw_ms(page, graph_id) for _ in range(5))
            results.append(
                Result(
                    f"repaint after a change: {path} {label}",
                    statistics.median(times) / 1000,
                    "Plotly.newPlot of the figure on screen (no request)",
                    react / 1000,
                    changes,
                    {"p95": f"{_pct(times, 0.95):.0f} ms", "max": f"{max(times):.0f} ms"},
                )
            )
        browser.close()
    return results
