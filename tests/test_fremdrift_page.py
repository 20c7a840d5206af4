"""The Fremdrift 2035 page shows the policy's own goals, and a target path only as an
assumption that somebody configured (data/gap_targets.yaml)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from indicators import progress as pg
from tests.dash_support import by_id, walk

ASSUMED = pg.parse_gap_targets(
    """
targets:
  - criterion: indkomst
    points: [{year: 2030, share_of_baseline: 0.5}, {year: 2035, gap: 0}]
    source: "Testscenarie"
    set_by: "en analytiker"
"""
)


@pytest.fixture(scope="module")
def store_url(seeded_store_url: str) -> str:
    return seeded_store_url


def text_of(tree) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(c) for c in walk(tree) if isinstance(c, str))


def test_the_goals_are_the_policys_own(app_store: str) -> None:
    from dashboard.views import fremdrift as view

    for lang in ("da", "en"):
        text = text_of(view.layout(lang=lang))
        assert view.POLICY_QUOTE_DA in text
        # 2030 appears only to say the policy sets no milestone for it.
        assert text.count("2030") == 1
        for invented in ("halveret", "halved", "Målsti", "Target path", "On track", "På sporet"):
            assert invented not in text, (lang, invented)
    goals = text_of(by_id(view.layout(lang="da"), view.GOALS))
    assert "Færre udsatte byområder i 2035" in goals
    assert "Ingen boligområder i risiko for statslisterne i 2035" in goals
    # The store holds designation 2021 only; the page says which ones are missing.
    counts = view.designation_counts()
    assert counts["vintage"].tolist() == [2021]
    assert "Lagret: udpegning 2021." in goals and "Ikke indlæst: udpegning 2017, 2025," in goals
    assert f"{int(counts['areas'].iloc[0])}" in goals


def test_without_targets_the_status_is_the_direction_and_the_csv_says_so(app_store: str) -> None:
    from dashboard.views import fremdrift as view

    table = view.table_frame("ub-alle", 2025)
    assert set(table["status"]) <= set(pg.TREND_STATUSES)
    assert (table["assumed_target"] == "").all() and table["assumed_target_value"].isna().all()
    frame = view.download_frame("ub-alle", 2025)
    assert (frame["assumed_target"] == view.NO_TARGET_DA).all()
    figure, caption = view.chart("ub-alle", 2025, "indkomst", "da")
    assert all("Målsti" not in (t.name or "") for t in figure.data)
    assert "Politikken sætter ingen målsti" in caption


def test_a_configured_target_is_labelled_an_assumption_everywhere(
    app_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard import data
    from dashboard.downloads import to_csv_bytes
    from dashboard.views import fremdrift as view

    monkeypatch.setattr(view, "gap_targets", lambda: ASSUMED)
    data.reset()
    table = view.table_frame("ub-alle", 2025).set_index("indicator")
    assert table.loc["indkomst", "status"] in pg.TARGET_STATUSES
    assert table.drop(index="indkomst")["status"].isin(pg.TREND_STATUSES).all()
    csv = pd.read_csv(io.BytesIO(to_csv_bytes(view.download_frame("ub-alle", 2025))))
    note = csv.set_index("indicator").loc["indkomst", "assumed_target"]
    assert note.startswith("antagelse") and "en analytiker" in note
    # Legend, caption and table header all say assumption.
    figure, caption = view.chart("ub-alle", 2025, "indkomst", "da")
    assert "Målsti (antagelse, ikke politikkens mål)" in [t.name for t in figure.data]
    assert "antaget målsti" in caption and "en analytiker" in caption
    figure_en, _ = view.chart("ub-alle", 2025, "indkomst", "en")
    assert "Target path (assumption, not the policy's goal)" in [t.name for t in figure_en.data]
    header = text_of(view.status_table("ub-alle", 2025, "da"))
    assert "Antaget mål (antagelse)" in header and "mod antaget mål" in header
    goals = text_of(view.goals_section("da"))
    assert "antagelser fra data/gap_targets.yaml" in goals and "Testscenarie" in goals
    assert "antaget målsti" in view.headline("ub-alle", 2025, "da")
    data.reset()
