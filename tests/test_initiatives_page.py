"""The Indsatser page's plain functions (layout, callback bodies, figures) on a real store."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pytest

from dashboard import data
from dashboard.views import indsatser as view
from db import migrate
from db.engine import make_engine
from indicators import initiatives as ini
from keob.seed_initiatives import seed_initiatives
from tests.dash_support import by_id, walk
from tests.test_initiatives_store import load_geography


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('ini_page') / 'keob.sqlite'}"
    migrate.upgrade(url)
    eng = make_engine(url)
    load_geography(eng)
    seed_initiatives(eng)
    eng.dispose()
    return url


def cards(tree) -> list[str]:  # type: ignore[no-untyped-def]
    found = []
    for c in walk(tree):
        if getattr(c, "className", None) == "card ini-card":
            heading = c.children[0]
            found.append(heading.id.removeprefix("indsats-"))
    return found


def test_selection_validates_url_values() -> None:
    sel = view.selection(
        "1999-2000",
        "2,x,1",
        "tryg,nope",
        "SUF,XYZ,BIF",
        "ufinansieret",
        "K21005",
        None,
        vintages=["2027-2028"],
        area_codes={"K21005"},
    )
    assert sel == view.Selection(None, (1, 2), ("tryg",), ("BIF", "SUF"), False, "K21005", None)
    assert view.selection(omraade="Z1", area_codes={"K1"}).area is None
    assert view.selection(finansiering="alle").funded is None
    assert view.Selection(None, (2,), (), ("KTF",), True, None, None).query() == {
        "aargang": None,
        "maal": [2],
        "fokus": None,
        "forvaltning": ["KTF"],
        "finansiering": "finansieret",
        "omraade": None,
        "indsats": None,
    }


def test_layout_lists_every_initiative_without_filters(app_store: str) -> None:
    tree = view.layout("da")
    assert len(cards(tree)) == 40
    assert by_id(tree, view.COUNT_GRAPH).figure is not None


def test_layout_applies_url_filters(app_store: str) -> None:
    tree = view.layout("da", maal="1", finansiering="ufinansieret", omraade="K21005")
    assert cards(tree) == ["M1-U-02", "M1-U-03", "M1-U-04", "M1-U-05", "M1-U-06"]
    text = " ".join(str(c) for c in walk(tree) if isinstance(c, str))
    assert "Viser 5 af 40 indsatser, der foregår i Nordvest." in text


def test_layout_with_a_selected_initiative_shows_its_map(app_store: str) -> None:
    tree = view.layout("en", indsats="M2-F-01")
    graph = by_id(tree, view.MAP_GRAPH)
    located = [code for trace in graph.figure.data if trace.name for code in trace.locations]
    assert sorted(located) == ["K20403", "K20405", "K20902", "K21002", "K21003", "K21208"]
    assert view.layout("da", indsats="nope") is not None  # an unknown id shows no map


def test_update_returns_results_chart_and_url(app_store: str) -> None:
    results, fig, _table, further, search = view.update(
        ["2"], ["tryg"], ["ØKF"], "finansieret", None, "?lang=en"
    )
    assert cards(results) == ["M2-F-09", "M2-F-10"]
    assert search == "?lang=en&maal=2&fokus=tryg&forvaltning=%C3%98KF&finansiering=finansieret"
    assert [trace.name for trace in fig.data] == ["Funded", "Unfunded"]
    assert sum(sum(trace.x) for trace in fig.data) == 2
    names = [c for c in walk(further) if isinstance(c, str)]
    assert "Tryghedszoner ved kommunens skoler" in names


def test_download_gives_the_shown_rows_as_csv(app_store: str) -> None:
    sent = view.download(["1"], None, ["SUF"], "alle", None, "", excel=False)
    assert sent["filename"] == "keob-indsatser-2027-2028.csv"
    frame = pd.read_csv(io.BytesIO(base64.b64decode(sent["content"])))
    # "alle forvaltninger" (M1-F-01, M1-U-01) includes SUF.
    assert frame["id"].tolist() == [
        "M1-F-01",
        "M1-F-05",
        "M1-F-06",
        "M1-F-08",
        "M1-F-11",
        "M1-U-01",
        "M1-U-02",
    ]
    excel = view.download(None, None, None, "alle", None, "", excel=True)
    raw = base64.b64decode(excel["content"])
    assert raw.startswith(b"\xef\xbb\xbf") and excel["filename"].endswith("-excel.csv")
    assert len(pd.read_csv(io.BytesIO(raw), sep=";", encoding="utf-8-sig")) == 40


def test_funding_figure_stacks_funded_and_unfunded() -> None:
    reg = ini.load_register(ini.shipped_register_path())
    counts = ini.funding_counts(ini.initiatives_frame(reg))
    fig = view.funding_figure(counts, "da")
    funded, unfunded = fig.data
    assert fig.layout.barmode == "stack"
    assert (funded.name, unfunded.name) == ("Finansieret", "Ufinansieret")
    assert sum(funded.x) == 28 and sum(unfunded.x) == 12
    assert funded.y[-1] == "Mål 1 · På tværs af indsatsområder"  # plan order, top down


def test_area_section_for_the_area_profile(app_store: str) -> None:
    section = view.area_section("K21005", "da")
    links = [c.href for c in walk(section) if getattr(c, "href", None)]
    assert "/indsatser?omraade=K21005#indsats-M1-F-08" in links
    assert view.funding_summary("en") is not None


def test_page_without_a_loaded_plan_says_how_to_load_one(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate.upgrade(sqlite_url)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    data.reset()
    try:
        tree = view.layout("da")
        text = " ".join(str(c) for c in walk(tree) if isinstance(c, str))
        assert "keob import initiatives" in text
        assert view.area_section("B1") is None
    finally:
        data.reset()
