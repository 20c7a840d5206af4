"""The yearly report page (/rapport/<year>): every section, and the numbers of the
comparison frame the other pages show for the udsatte byområder (``ub-alle``)."""

from __future__ import annotations

import pandas as pd
import pytest
from dash import html

from tests.dash_support import by_id, walk


@pytest.fixture(scope="module")
def store_url(seeded_store_url: str) -> str:
    return seeded_store_url


def text_of(tree) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(c) for c in walk(tree) if isinstance(c, str))


def body_rows(table: html.Table) -> list[list[str]]:
    """The body rows of a components.table, each cell as its text."""
    body = next(c for c in walk(table) if isinstance(c, html.Tbody))
    return [[text_of(cell.children) for cell in row.children] for row in body.children]


def tables(section) -> list[html.Table]:  # type: ignore[no-untyped-def]
    return [c for c in walk(section) if isinstance(c, html.Table)]


def report(lang: str = "da", year: object = "2025", **params: object) -> html.Div:
    import app  # noqa: F401  (the page module registers itself with the app)
    from dashboard.pages import rapport as page

    return page.layout(lang=lang, year=year, **params)


def test_every_section_is_there_in_both_languages(app_store: str) -> None:
    from dashboard.views import rapport as view

    for lang, title in (("da", "Årsrapport 2025"), ("en", "Annual report 2025")):
        tree = report(lang)
        text = text_of(tree)
        assert title in text
        for section in (
            view.CRITERIA,
            view.STATE_LISTS,
            view.COVERAGE,
            view.INITIATIVES,
            view.SOURCES,
        ):
            assert text_of(by_id(tree, section)).strip(), (lang, section)
        # The seeded store is demo data: the label is on the report and its sections.
        banners = [c for c in walk(tree) if getattr(c, "className", None) == "demo-banner"]
        assert banners and not any(b.hidden for b in banners)
        assert tree.to_plotly_json()["props"]["data-synthetic"] == "1"


def test_criteria_are_the_comparison_frame_of_the_udsatte_byomraader(app_store: str) -> None:
    from dashboard import data
    from dashboard.i18n import format_number, format_value
    from dashboard.views import rapport as view

    for year in (2025, 2020):
        frame = data.udsatte_comparison()
        frame = frame[frame["year"] <= year]
        rows = body_rows(tables(by_id(report(year=str(year)), view.CRITERIA))[0])
        criteria = list(data.criteria_by_code().values())
        assert len(rows) == len(criteria) == 8
        for row, ind in zip(rows, criteria, strict=True):
            assert row[0].startswith(ind.name("da"))
            series = frame[(frame["indicator"] == ind.code)].dropna(subset=["gap"])
            latest = series.loc[series["year"].idxmax()]
            assert row[4] == str(int(latest["year"])) and int(latest["year"]) <= year
            assert row[5] == format_value(latest["value"], ind.unit, ind.decimals, "da")
            assert row[6] == format_value(latest["rest_value"], ind.unit, ind.decimals, "da")
            assert row[7] == format_number(latest["gap"], ind.decimals, "da", signed=True)
            base = series[series["year"] == 2015]
            if base.empty:
                assert row[1] == row[3] == "–"
            else:
                assert row[1] == format_value(base["value"].iloc[0], ind.unit, ind.decimals, "da")
                assert row[3] == format_number(base["gap"].iloc[0], ind.decimals, "da", signed=True)
            # Polarity is stated, and the development is one of Overblik's badges.
            assert ("Højere er bedre" in row[0]) == (ind.polarity > 0)
            assert ("Højere er værre" in row[0]) == (ind.polarity < 0)
            assert any(b in row[8] for b in ("Mindre afstand", "Større afstand", "Uændret",
                                             "Ukendt", "Ingen sikker ændring"))  # fmt: skip


def test_the_baseline_follows_the_query(app_store: str) -> None:
    from dashboard.views import rapport as view

    section = by_id(report(basisaar="2018"), view.CRITERIA)
    header = text_of(next(c for c in walk(section) if isinstance(c, html.Thead)))
    assert "2018" in header and "2015" not in header


def test_state_lists_and_initiatives_are_the_stored_counts(app_store: str) -> None:
    from dashboard import data, sections
    from dashboard.views import rapport as view
    from indicators import state_lists as sl

    classified = sections.state_lists_classified()
    expected = sl.counts_per_year(classified[classified["year"] <= 2020])
    counts, areas = tables(by_id(report(year="2020"), view.STATE_LISTS))
    rows = body_rows(counts)
    assert [int(r[0]) for r in rows] == expected["year"].tolist()
    assert [int(r[2]) for r in rows] == expected["listed"].tolist()
    assert [int(r[3]) for r in rows] == expected["at_risk"].tolist()
    in_2020 = classified[classified["year"] == 2020]
    flagged = in_2020[in_2020[list(sl.LISTED_CATEGORIES)].any(axis=1) | in_2020["at_risk"]]
    assert sorted(r[0] for r in body_rows(areas)) == sorted(flagged["area_name"])

    register = data.monitor().initiatives()
    rows = body_rows(tables(by_id(report(), view.INITIATIVES))[0])
    assert sum(int(r[3]) for r in rows) == len(register.initiatives)
    funded = sum(bool(i.funded) for i in register.initiatives)
    assert sum(int(r[1]) for r in rows) == funded


def test_coverage_is_the_profile_section_of_the_udsatte_byomraader(app_store: str) -> None:
    from dashboard.views import daekning
    from dashboard.views import rapport as view

    rows = daekning.profile_rows("ub-alle")
    assert not rows.empty
    coverage = by_id(report(), view.COVERAGE)
    assert len(body_rows(tables(coverage)[0])) == len(rows)


def test_a_year_the_store_lacks_falls_back_to_the_newest(app_store: str) -> None:
    from dashboard import data

    newest = data.years()[-1]
    for nonsense in ("1900", "abc", None):
        tree = report(year=nonsense)
        assert tree.to_plotly_json()["props"]["data-year"] == str(newest)


def test_the_gap_figure_has_every_criterion_then_and_now() -> None:
    from dashboard.figures.rapport import gap_figure
    from indicators.registry import load_registry

    ind = load_registry()["indkomst"]

    class Summary:
        indicator = ind
        baseline_gap, latest_gap, progress = 8.6, 6.9, 1

    fig = gap_figure([Summary()], "da")
    markers = [t for t in fig.data if t.mode == "markers"]
    assert [list(t.x) for t in markers] == [[8.6], [6.9]]
    assert pd.Series([t.y[0] for t in markers]).eq(ind.short("da")).all()
