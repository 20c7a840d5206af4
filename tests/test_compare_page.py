"""Sammenlign: the selection round-trips through the URL, the ranking follows polarity,
suppressed cells are shown as suppressed and downloaded empty, and the CSV is the table."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pytest

from dashboard import urlstate
from tests.dash_support import by_id, walk


@pytest.fixture(scope="module")
def store_url(seeded_store_url: str) -> str:
    return seeded_store_url


def text_of(tree) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(c) for c in walk(tree) if isinstance(c, str))


def test_the_selection_round_trips_through_the_url(app_store: str) -> None:
    from dashboard.views import compare as view

    outputs = view.update(
        ["K20903", "R1", "ub-noerrebro"], None, "tryghed", 2024, 2016, "change", ["1"], "?lang=en"
    )
    search = outputs[-1]
    params = urlstate.parse(search)
    assert params["omraader"] == "K20903,R1,ub-noerrebro" and params["lang"] == "en"
    again = view.selection(**{k: v for k, v in params.items() if k != "lang"})
    assert again == view.selection(
        ["K20903", "R1", "ub-noerrebro"], None, "tryghed", 2024, 2016, "change", ["1"]
    )
    assert (again.criterion, again.year, again.baseline, again.sort, again.reverse) == (
        "tryghed",
        2024,
        2016,
        "change",
        True,
    )
    # The layout built from that URL shows the same selection.
    tree = view.layout(lang="en", **{k: v for k, v in params.items() if k != "lang"})
    assert by_id(tree, view.AREAS).value == ["K20903", "R1", "ub-noerrebro"]
    assert by_id(tree, view.CRITERION).value == "tryghed"


def test_all_areas_of_a_level_and_nonsense_falls_back(app_store: str) -> None:
    from dashboard import data
    from dashboard.views import compare as view

    everything = view.selection(niveau="kvarter")
    assert everything.all_level == "kvarter"
    assert len(everything.areas) == len(data.areas(("kvarter",)))
    assert "omraader" not in urlstate.parse(view.search_of(everything, ""))
    default = view.selection(omraader="nope,also-not", kriterium="x", aar="y", sortering="z")
    assert default.areas == view.default_areas() and len(default.areas) == 5
    assert default.criterion == "indkomst" and default.year == max(data.years())
    many = view.selection(omraader=",".join(f"R{i}" for i in range(1, 12)))
    assert len(many.areas) == view.MAX_AREAS and many.truncated
    # No boligområde level is offered while the store has no published boligområde value.
    assert "boligomraade" not in view.levels_with_data()


def test_ranking_follows_polarity(app_store: str) -> None:
    from dashboard.views import compare as view

    for criterion, best_is_low in (("indkomst", True), ("tryghed", False)):
        sel = view.selection(kriterium=criterion, aar=2025)
        frame = view.table_frame(sel)
        ranked = frame.dropna(subset=["value"]).sort_values("rank")
        values = ranked["value"].tolist()
        assert values == sorted(values, reverse=not best_is_low), criterion
        assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
        # Gap direction and change direction are judged by polarity, not by sign.
        polarity = -1 if best_is_low else 1
        judged = frame.dropna(subset=["gap"])
        assert (
            judged["direction"] == (judged["gap"] * polarity).apply(lambda v: (v > 0) - (v < 0))
        ).all()
        changed = frame.dropna(subset=["change"])
        assert (
            changed["change_direction"]
            == (changed["change"] * polarity).apply(lambda v: (v > 0) - (v < 0))
        ).all()


def test_sorting_keeps_missing_values_last(app_store: str) -> None:
    from dashboard.views import compare as view

    for sort in view.SORT_KEYS:
        for reverse in ("1", None):
            sel = view.selection(
                niveau="rode", kriterium="tryghed", aar=2025, sortering=sort, omvendt=reverse
            )
            frame = view.table_frame(sel)
            column = {"rank": "rank", "name": "area_name"}.get(sort, sort)
            missing = frame[column].isna().to_numpy()
            assert not (missing[:-1] & ~missing[1:]).any(), (sort, reverse)
            present = frame.loc[~missing, column].tolist()
            if sort == "name":
                present = [p.casefold() for p in present]
            ascending = (reverse is None) if sort in ("rank", "name") else reverse == "1"
            assert present == sorted(present, reverse=not ascending), (sort, reverse)


def test_suppressed_cells_show_as_suppressed_and_download_empty(app_store: str) -> None:
    from dashboard import data
    from dashboard.views import compare as view

    published = data.comparison("rode")
    hidden = published[(published["indicator"] == "tryghed") & published["suppressed"]]
    hidden = hidden[hidden["year"] == 2025]["area_code"].head(2).tolist()
    shown = (
        published[
            (published["indicator"] == "tryghed")
            & ~published["suppressed"]
            & (published["year"] == 2025)
        ]["area_code"]
        .head(1)
        .tolist()
    )
    sel = view.selection(omraader=hidden + shown, kriterium="tryghed", aar=2025)
    frame = view.table_frame(sel)
    secret = frame[frame["area_code"].isin(hidden)]
    assert (
        secret["suppressed"].all() and secret["value"].isna().all() and secret["rank"].isna().all()
    )
    table = view.ranking_table(frame, sel, "da")
    text = text_of(table)
    assert "diskretioneret" in text
    # Each suppressed area's value and change cells say so; no number stands there.
    body_rows = [c for c in walk(table) if getattr(c, "__class__", None).__name__ == "Tr"][1:]
    for row, record in zip(body_rows, frame.to_dict("records"), strict=True):
        cells = [text_of(cell) for cell in row.children]
        if record["suppressed"]:
            assert cells[0] == "–" and cells[2] == "diskretioneret", cells
    sent = view.download_table(hidden + shown, None, "tryghed", 2025, 2015, "rank", [])
    assert sent["filename"] == "keob-sammenligning-tryghed-2025.csv"
    body = base64.b64decode(sent["content"]).decode("utf-8-sig")
    downloaded = pd.read_csv(io.StringIO(body))
    assert downloaded.columns.tolist() == view.TABLE_COLUMNS
    assert downloaded["area_code"].tolist() == frame["area_code"].tolist()
    assert downloaded.loc[downloaded["suppressed"], "value"].isna().all()
    series = pd.read_csv(
        io.StringIO(
            base64.b64decode(
                view.download_series(hidden + shown, None, "tryghed", 2025, 2015, "rank", [])[
                    "content"
                ]
            ).decode("utf-8-sig")
        )
    )
    assert series.columns.tolist() == view.SERIES_COLUMNS
    assert series.loc[series["suppressed"], "value"].isna().all()
    assert set(series["area_code"]) <= set(hidden + shown)


def test_the_figure_has_a_line_and_a_dashed_rest_per_area(app_store: str) -> None:
    from dashboard.views import compare as view

    sel = view.selection(omraader="K20903,K20902,K20901", kriterium="indkomst")
    _note, _table, fig, caption, synthetic = view.pieces(sel, "en")
    solid = [tr for tr in fig.data if tr.line.dash in (None, "solid")]
    dashed = [tr for tr in fig.data if tr.line.dash == "dash"]
    assert len(solid) == 3 and len(dashed) == 3
    assert all(d.line.color == s.line.color for s, d in zip(solid, dashed, strict=True))
    assert "3 areas" in caption and synthetic  # the seeded store's recent years are demo data
    many = view.pieces(view.selection(niveau="bydel"), "da")[2]
    assert [tr.name for tr in many.data if tr.line.dash == "dot"] == ["Hele byen"]
