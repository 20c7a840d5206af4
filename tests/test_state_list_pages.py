"""The Statslister and Fremdrift 2035 pages: layouts, callbacks and figures on a seeded store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.figures import fremdrift as pfig
from dashboard.figures import statslister as slfig
from indicators import progress as pg
from indicators import state_list_demo, state_lists
from tests.dash_support import ids_in, walk


@pytest.fixture(scope="module")
def store_url(seeded_store_url: str) -> str:
    return seeded_store_url


def text_of(tree) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(c) for c in walk(tree) if isinstance(c, str))


# ------------------------------------------------------------------------------ Statslister


def test_statslister_layout_reads_the_seeded_demo_inputs(app_store: str) -> None:
    from dashboard.views import statslister as view

    tree = view.layout(lang="da")
    assert {view.YEAR, view.AREA, view.STATUS_TABLE, view.MARGINS_GRAPH, view.PRESSURE_GRAPH,
            view.DOWNLOAD_BUTTON, view.DEMO} <= ids_in(tree)  # fmt: skip
    text = text_of(tree)
    assert "Mjølnerparken" in text and "Forebyggelsesområde" in text
    assert "2025: 0 boligområder på listerne over udsatte boligområder" in text
    assert "13 forebyggelsesområder. I alt er 13 af 15 på eller i risiko" in text
    assert view.list_years() == list(range(2010, 2026))
    demo = next(c for c in walk(tree) if getattr(c, "id", None) == view.DEMO)
    assert not demo.hidden  # the demo inputs are synthetic


def test_statslister_url_parameters_and_update(app_store: str) -> None:
    from dashboard.views import statslister as view

    assert view.selection("2021", "bo-aldersrogade") == (2021, "bo-aldersrogade")
    assert view.selection("1999", "nope")[0] == 2025  # unknown -> latest year, top area
    english = text_of(view.layout(lang="en", aar="2018", omraade="bo-mjoelnerparken"))
    assert "Status on 1 December 2018" in english and "Hard" not in english
    out = view.update(2023, "bo-mjoelnerparken", "?lang=da")
    headline, _, _, area_title, reasons, margins, _, pressure, _, search = out
    assert headline.startswith("2023: 0 boligområder på listerne over udsatte boligområder")
    assert area_title == "Mjølnerparken i 2023" and "Under 1.000 beboere (966)" in reasons
    assert search == "?aar=2023&omraade=bo-mjoelnerparken"
    assert len(margins.data) >= 4 and len(pressure.data) == 4


def test_status_table_counts_criteria_for_the_area_s_own_list(app_store: str) -> None:
    from dashboard.views import statslister as view

    def rows_of(year: int, lang: str) -> dict[str, list[str]]:
        table = view.status_table(year, lang)
        body = [c for c in walk(table) if getattr(c, "children", None) is not None]
        rows = [c for c in body if type(c).__name__ == "Tr"]
        cells = [[text_of(td) for td in tr.children] for tr in rows]
        return {r[0]: r for r in cells if r}

    # Lundtoftegade 2022 (demo): forebyggelse with all 4 lower-threshold criteria met
    # (outside 37 > 30, convicted 1.9 >= 2 x 0.725, basic 61 > 60, income 56.5 < 65) and
    # of the udsat criteria only basic education (61 > 60).
    lund = rows_of(2022, "da")["Lundtoftegade"]
    assert lund[2] == "Forebyggelsesområde" and lund[3] == "4/4 forebyggelse · 1/4 udsat"
    # Mjølnerparken 2022: omdannelse, all four udsat criteria met.
    assert rows_of(2022, "da")["Mjølnerparken"][3] == "4/4 udsat"
    # Tingbjerg 2022 has left the omdannelse list and stays under its development plan.
    ting = rows_of(2022, "en")["Tingbjerg/Utterslevhuse"]
    assert ting[2] == "Prevention area · under development plan"
    assert ting[3].endswith("0/4 vulnerable")
    # 2016: the 2014 rules' ghetto list, 3 of 5 needed.
    assert rows_of(2016, "da")["Mjølnerparken"][3] == "5/5 ghetto"


def test_statslister_download_is_the_classifier_output(app_store: str) -> None:
    from dashboard.views import statslister as view

    frame = view.download_frame()
    assert len(frame) == len(state_list_demo.demo_inputs())
    assert set(frame["udsat"]) <= {"true", "false"}
    assert {"margin_udsat_outside_labour", "margin_forebyggelse_income", "risk_reasons"} <= set(
        frame
    )


def test_state_list_figures_are_pure() -> None:
    out = state_lists.classify(state_list_demo.demo_inputs())
    names = {e.area_id: e.name for e in state_list_demo.ESTATES}
    history = slfig.history_figure(out, names, lang="da")
    heat = history.data[0]
    assert len(heat.y) == 15 and len(heat.x) == 16
    row = list(heat.y).index("Mjølnerparken")
    assert heat.text[row][list(heat.x).index("2018")] == "O"
    # Under 1,000 residents and at risk, still under the development plan (§ 168 a).
    assert heat.text[row][list(heat.x).index("2023")] == "–!*"
    tingbjerg = list(heat.y).index("Tingbjerg/Utterslevhuse")
    assert heat.text[tingbjerg][list(heat.x).index("2021")] == "O"
    assert heat.text[tingbjerg][list(heat.x).index("2022")] == "F*"
    counts = slfig.counts_figure(state_lists.counts_per_year(out), lang="da")
    udsat = counts.data[0]
    assert udsat.y[0] is None and udsat.y[list(udsat.x).index(2018)] == 8  # no udsat list in 2010
    row_2021 = out[(out["area_id"] == "bo-aldersrogade") & (out["year"] == 2021)].iloc[0]
    margins = slfig.margins_figure(row_2021, ("outside_labour", "convicted", "income"), lang="en")
    assert len(margins.data) == 3 and "met" in margins.data[2].text[0]  # income 53.4 < 55
    series = out[out["area_id"] == "bo-aldersrogade"]
    pressure = slfig.pressure(series.sort_values("year"), "income")
    assert pressure[list(series.sort_values("year")["year"]).index(2021)] > 100


# ------------------------------------------------------------------------------ Fremdrift 2035


def test_fremdrift_layout_and_update(app_store: str) -> None:
    from dashboard.views import fremdrift as view

    tree = view.layout(lang="da")
    assert {view.AREA, view.BASELINE, view.CRITERION, view.STATUS_TABLE, view.CHART, view.GRID,
            view.HEADLINE} <= ids_in(tree)  # fmt: skip
    text = text_of(tree)
    assert "Ingen boligområder i risiko for statslisterne i 2035" in text
    assert "Færre udsatte byområder i 2035" in text
    assert "halveret" not in text and "Målsti" not in text
    assert view.selection() == ("ub-alle", 2025, "indkomst")
    out = view.update("ub-noerrebro", 2017, "tryghed", "?lang=en")
    headline, _, _, caption, grid, _, search = out
    assert headline.startswith("Nørrebro:") and "criteria, the gap" in headline
    assert "on track" not in headline  # no target is configured, so no "on track"
    assert search == "?lang=en&omraade=ub-noerrebro&basisaar=2017&kriterium=tryghed"
    assert "Safety" in caption or "Tryghed" in caption
    # Band, projection and measurements per criterion; no target path (none configured).
    assert len(grid.data) >= 8 * 2
    assert not any("Target path" in (t.name or "") for t in grid.data)


def test_fremdrift_table_marks_survey_noise(app_store: str) -> None:
    from dashboard.views import fremdrift as view

    table = view.table_frame("ub-alle", 2017)
    assert len(table) == 8 and set(table["status"]) <= set(pg.STATUSES)
    assert table.set_index("indicator").loc["indkomst", "baseline_year"] == 2017
    register = table[~table["indicator"].isin(["tryghed", "sundhed"])]
    assert not register["within_noise"].any()  # register criteria: no sampling noise
    frame = view.download_frame("ub-alle", 2017)
    assert {"projected", "projected_low", "projected_high", "status", "within_noise"} <= set(frame)


def test_progress_figures_are_pure() -> None:
    comp = pd.DataFrame(
        {"area_code": "ub-alle", "indicator": "indkomst", "year": range(2015, 2026),
         "gap": np.linspace(9, 6, 11), "polarity": -1}
    )  # fmt: skip
    series = pg.projection_series(comp, "ub-alle", "indkomst")
    from indicators.registry import load_registry

    ind = load_registry()["indkomst"]
    fig = pfig.projection_figure(series, ind, lang="da")
    names = [t.name for t in fig.data]
    # No target configured: no target path.
    assert names == ["Usikkerhed på fremskrivningen", "Fremskrivning (ret linje)", "Målt forskel"]
    grid = pfig.progress_grid(
        {"indkomst": series}, [ind], {"indkomst": "▼ Forskellen mindskes"}, lang="en"
    )
    assert "Forskellen mindskes" in grid.layout.annotations[0].text
    designation = pd.DataFrame(
        {"vintage": [2021, 2021], "year": [2024, 2025], "areas": [5, 5],
         "residents": [100, 110], "city_residents": [1000, 1000], "share": [10.0, 11.0],
         "in_force": [True, True]}
    )  # fmt: skip
    assert len(pfig.designation_figure(designation, lang="da").data) == 2
