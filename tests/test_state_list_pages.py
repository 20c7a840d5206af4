"""The Statslister and Fremdrift 2035 pages: layouts, callbacks and figures on a seeded store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import progress_figures as pfig
from dashboard import statelist_figures as slfig
from db import migrate
from db.engine import make_engine
from indicators import progress as pg
from indicators import state_list_demo, state_lists
from keob.seed import seed
from tests.dash_support import ids_in, walk


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sl_pages') / 'keob.sqlite'}"
    migrate.upgrade(url)
    eng = make_engine(url)
    seed(eng)
    eng.dispose()
    return url


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
    assert "2025: 0 boligområder på en statsliste" in text
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
    assert headline.startswith("2023: 0 boligområder på en statsliste")
    assert area_title == "Mjølnerparken i 2023" and "Under 1.000 beboere (966)" in reasons
    assert search == "?aar=2023&omraade=bo-mjoelnerparken"
    assert len(margins.data) >= 4 and len(pressure.data) == 4


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
    assert len(heat.y) == 13 and len(heat.x) == 16
    row = list(heat.y).index("Mjølnerparken")
    assert heat.text[row][list(heat.x).index("2018")] == "O"
    assert heat.text[row][list(heat.x).index("2023")] == "–!"
    counts = slfig.counts_figure(state_lists.counts_per_year(out), lang="da")
    udsat = counts.data[0]
    assert udsat.y[0] is None and udsat.y[list(udsat.x).index(2018)] == 7  # no udsat list in 2010
    row_2021 = out[(out["area_id"] == "bo-aldersrogade") & (out["year"] == 2021)].iloc[0]
    margins = slfig.margins_figure(row_2021, ("outside_labour", "convicted", "income"), lang="en")
    assert len(margins.data) == 3 and "met" in margins.data[1].text[0]
    series = out[out["area_id"] == "bo-aldersrogade"]
    pressure = slfig.pressure(series.sort_values("year"), "convicted")
    assert pressure[list(series.sort_values("year")["year"]).index(2021)] > 100


# ------------------------------------------------------------------------------ Fremdrift 2035


def test_fremdrift_layout_and_update(app_store: str) -> None:
    from dashboard.views import fremdrift as view

    tree = view.layout(lang="da")
    assert {view.AREA, view.BASELINE, view.CRITERION, view.STATUS_TABLE, view.CHART, view.GRID,
            view.HEADLINE} <= ids_in(tree)  # fmt: skip
    text = text_of(tree)
    assert "Ingen boligområder i risiko for statslisterne i 2035" in text
    assert view.selection() == ("ub-alle", 2025, "indkomst")
    out = view.update("ub-noerrebro", 2017, "tryghed", "?lang=en")
    headline, _, _, caption, grid, _, search = out
    assert headline.startswith("Nørrebro:") and "criteria are on track" in headline
    assert search == "?lang=en&omraade=ub-noerrebro&basisaar=2017&kriterium=tryghed"
    assert "Safety" in caption or "Tryghed" in caption
    assert len(grid.data) > 8 * 3


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
    assert names == [
        "Usikkerhed på fremskrivningen",
        "Målsti",
        "Fremskrivning (ret linje)",
        "Målt forskel",
    ]
    target = fig.data[1]
    assert target.y[list(target.x).index(2035)] == 0.0
    grid = pfig.progress_grid(
        {"indkomst": series}, [ind], {"indkomst": "✖ Ikke på sporet"}, lang="en"
    )
    assert "Ikke på sporet" in grid.layout.annotations[0].text
    designation = pd.DataFrame(
        {"vintage": [2021, 2021], "year": [2024, 2025], "areas": [5, 5],
         "residents": [100, 110], "city_residents": [1000, 1000], "share": [10.0, 11.0],
         "in_force": [True, True]}
    )  # fmt: skip
    assert len(pfig.designation_figure(designation, lang="da").data) == 2


def test_page_texts_have_english_twins_with_the_same_placeholders() -> None:
    from dashboard.i18n import missing_translations
    from dashboard.views import fremdrift, statslister

    for module in (statslister, fremdrift, slfig, pfig):
        assert missing_translations(module.TEXTS) == [], module.__name__
        for key, text in module.TEXTS["da"].items():
            assert text.count("{") == module.TEXTS["en"][key].count("{"), key
