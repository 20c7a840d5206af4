"""Tilgængelighedserklæring (/tilgaengelighed): the accessibility statement the Danish
web accessibility act (webtilgængelighedsloven) asks of a public body's website.

The standard, what is known not to work, how and when it was last tested, and where to
report a problem. The municipality fills in the contact (``a11y.contact`` in the text
catalogue); until then the page shows a marked placeholder. Update ``LAST_TESTED`` when
``tests/e2e/test_accessibility.py`` has been run against a release.
"""

from __future__ import annotations

from datetime import date

from dash import dcc, html

from dashboard import components, urlstate
from dashboard.i18n import normalise_lang, t

PATH = "/tilgaengelighed"
STATEMENT = "a11y-statement"
CONTACT = "a11y-contact"

#: When the axe suite last passed on every page (both languages, desktop and 390 px).
LAST_TESTED = date(2026, 12, 5)
#: The vendored axe-core (tests/e2e/vendor/axe.min.js; a unit test keeps them equal).
AXE_VERSION = "4.14.1"
LIMITATIONS = ("maps", "charts", "controls", "users")


def long_date(day: date, lang: str) -> str:
    return t(
        "date.date", lang, day=day.day, month=t(f"date.month.{day.month}", lang), year=day.year
    )


def layout(lang: str = "da", **_: object) -> html.Div:
    lang = normalise_lang(lang)
    tested = long_date(LAST_TESTED, lang)
    return html.Div(
        [
            *components.page_title(t("a11y.title", lang), t("a11y.intro", lang)),
            html.H2(t("a11y.standard.title", lang)),
            html.P(t("a11y.standard.text", lang)),
            html.H2(t("a11y.limits.title", lang)),
            html.Ul([html.Li(t(f"a11y.limits.{key}", lang)) for key in LIMITATIONS]),
            html.P(
                [
                    t("a11y.limits.tables", lang) + " ",
                    dcc.Link(t("a11y.limits.data_link", lang), href=urlstate.href("/data", lang)),
                    ".",
                ]
            ),
            html.H2(t("a11y.test.title", lang)),
            html.P(t("a11y.test.text", lang, date=tested, axe=AXE_VERSION)),
            html.H2(t("a11y.contact.title", lang)),
            html.P(t("a11y.contact.text", lang)),
            html.P(t("a11y.contact", lang), id=CONTACT, className="placeholder"),
            html.H2(t("a11y.complaint.title", lang)),
            html.P(t("a11y.complaint.text", lang)),
            html.P(t("a11y.prepared", lang, date=tested), className="note"),
        ],
        id=STATEMENT,
    )
