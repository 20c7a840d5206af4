"""Årsrapport (/rapport/<year>): the yearly follow-up report, made for print and ``keob report``.

Logic and layout: ``dashboard/views/rapport.py``. The page composes the Overblik summaries
and the Dækning section into it (views never import each other). It has no controls, so
no callbacks, and no menu entry: the overview and the area profile link to it.
"""

from dashboard.page_contract import Page
from dashboard.views import daekning, overview, rapport

SOURCES = rapport.Sources(
    summaries=overview.summaries,
    sentence=overview.progress_sentence,
    coverage=daekning.profile_section,
)


def layout(lang: str = "da", year: str | None = None, **params: object):  # type: ignore[no-untyped-def]
    return rapport.layout(lang=lang, year=year, sources=SOURCES, **params)


PAGE = Page(
    path=rapport.PATH,
    nav_key=None,
    layout=layout,
    update=None,
    download=None,
    content_ids=(rapport.ROOT, rapport.CRITERIA, rapport.STATE_LISTS),
    title="Årsrapport – KEOB",
    order=90,
    example_params={"year": "2025"},
)
PAGE.register_page(__name__)
