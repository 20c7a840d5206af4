"""Figure builders, the overview's summaries, the CSV extract and the labels, on hand-made
frames: no store, no server, no browser."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard import urlstate
from dashboard.downloads import to_csv_bytes
from dashboard.figures import area_map, area_profile, common
from dashboard.figures import overview as overview_figures
from dashboard.i18n import (
    format_difference,
    format_number,
    format_value,
    t,
    years_text,
)
from dashboard.views.overview import progress_sentence, summaries
from indicators.registry import load_registry

REGISTRY = load_registry()
INCOME = REGISTRY["indkomst"]  # higher is worse, 1 decimal
SAFETY = REGISTRY["tryghed"]  # higher is better, survey
CONVICTED = REGISTRY["doemte"]  # 2 decimals


def map_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["R1", "R2", "R3", "R4"],
            "area_name": ["Første", "Anden", "Tredje", "Tom"],
            "value": [12.345, 40.0, 25.5, float("nan")],
            "denominator": [1234.0, 50.0, 800.0, float("nan")],
            "synthetic": [False, True, True, False],
        }
    )


def build_map(indicator=INCOME, lang="da", **kwargs):
    return area_map.choropleth_figure(
        map_frame(),
        indicator,
        lang=lang,
        level="rode",
        year=2025,
        geojson_url="/geo/rode.geojson",
        outline_url="/geo/udsat_byomraade.geojson",
        outline_codes=["ub-a", "ub-b"],
        **kwargs,
    )


# ------------------------------------------------------------------------------ map


def test_map_has_one_shape_per_area_and_the_values_as_z() -> None:
    fig = build_map()
    missing, values, outline = fig.data
    assert list(values.locations) == ["R1", "R2", "R3"]
    assert list(values.z) == pytest.approx([12.345, 40.0, 25.5])
    assert list(missing.locations) == ["R4"]  # no value: drawn grey, still one shape
    assert len(missing.locations) + len(values.locations) == len(map_frame())
    assert list(outline.locations) == ["ub-a", "ub-b"]
    assert outline.hoverinfo == "skip"  # clicks go to the areas underneath


def test_map_geometry_travels_as_a_url_never_inside_the_figure() -> None:
    fig = build_map()
    assert {trace.geojson for trace in fig.data} == {
        "/geo/rode.geojson",
        "/geo/udsat_byomraade.geojson",
    }
    assert fig.layout.geo.visible is False  # no base map: nothing to fetch


@pytest.mark.parametrize(
    ("indicator", "dark_at_top"),
    [(INCOME, True), (SAFETY, False)],
    ids=["higher-is-worse", "higher-is-better"],
)
def test_map_colour_scale_is_darker_where_worse(indicator, dark_at_top: bool) -> None:
    scale = build_map(indicator).data[1].colorscale
    darkest = "#7F0000"
    assert (scale[-1][1] == darkest) is dark_at_top
    assert (scale[0][1] == darkest) is not dark_at_top
    positions = [stop[0] for stop in scale]
    assert positions == sorted(positions) and positions[0] == 0 and positions[-1] == 1


def test_map_hover_shows_name_value_and_n_in_danish() -> None:
    fig = build_map()
    values = fig.data[1]
    first = list(values.customdata[0])
    assert first == ["Første", "12,3 %", "1.234", ""]
    assert list(values.customdata[1])[3] == " (demodata)"
    template = values.hovertemplate
    assert "%{customdata[0]}" in template and "n = %{customdata[2]}" in template
    assert INCOME.short("da") in template
    assert fig.layout.separators == ",."


def test_map_in_english_uses_english_labels_and_separators() -> None:
    fig = build_map(lang="en")
    assert fig.layout.separators == ".,"
    assert list(fig.data[1].customdata[0])[1] == "12.3 %"
    assert INCOME.short("en") in fig.data[1].colorbar.title.text
    assert "darker = worse" in fig.data[1].colorbar.title.text


def test_map_bounds_frame_the_map() -> None:
    fig = build_map(bounds=(12.45, 55.61, 12.74, 55.73))
    geo = fig.layout.geo
    assert geo.fitbounds is False
    assert geo.lonaxis.range[0] < 12.45 < 12.74 < geo.lonaxis.range[1]
    assert build_map().layout.geo.fitbounds == "locations"


def test_colour_range_ignores_a_single_outlier() -> None:
    values = pd.Series([10.0] * 60 + [11.0] * 40 + [100.0])
    low, high = common.colour_range(values)
    assert low == pytest.approx(10.0) and high < 100


def test_map_patch_sends_data_not_geometry() -> None:
    patch = area_map.map_patch(build_map()).to_plotly_json()
    paths = {tuple(op["location"]) for op in patch["operations"]}
    assert ("data", 1, "z") in paths
    assert ("data", 1, "colorscale") in paths
    assert not any("geojson" in path for path in paths)
    assert ("layout", "meta") in paths


# ------------------------------------------------------------------------------ lines


def comparison_frame() -> pd.DataFrame:
    rows = []
    for year, value, rest in [(2015, 40.0, 30.0), (2020, 38.0, 30.5), (2025, 36.0, 31.0)]:
        rows.append(
            {
                "area_code": "ub-alle",
                "indicator": "indkomst",
                "year": year,
                "value": value,
                "rest_value": rest,
                "city_value": (value + rest) / 2,
                "gap": value - rest,
                "direction": -1,
                "synthetic": year > 2015,
            }
        )
    for year, value, rest in [(2015, 70.0, 90.0), (2025, 72.0, 88.0)]:
        rows.append(
            {
                "area_code": "ub-alle",
                "indicator": "tryghed",
                "year": year,
                "value": value,
                "rest_value": rest,
                "city_value": 85.0,
                "gap": value - rest,
                "direction": -1,
                "synthetic": True,
            }
        )
    return pd.DataFrame(rows)


def test_trend_figure_draws_area_and_rest() -> None:
    series = comparison_frame().query("indicator == 'indkomst'")
    fig = overview_figures.trend_figure(series, INCOME, lang="da", baseline_year=2015)
    rest, area = fig.data
    assert list(area.y) == [40.0, 38.0, 36.0]
    assert list(rest.y) == [30.0, 30.5, 31.0]
    assert rest.line.dash == "dash" and area.line.dash == "solid"
    assert list(area.customdata) == ["40,0 %", "38,0 %", "36,0 %"]


def test_profile_figure_is_small_multiples_with_one_legend() -> None:
    criteria = [c for c in REGISTRY.values() if c.kind == "criterion"]
    fig = area_profile.profile_figure(comparison_frame(), criteria, lang="da", area_name="Område")
    assert len(fig.data) == 3 * len(criteria)
    assert sum(bool(trace.showlegend) for trace in fig.data) == 3
    titles = [a.text for a in fig.layout.annotations]
    assert len(titles) == 8
    assert any("Tryghed" in title and "spørgeskema" in title for title in titles)


def test_direction_colours_are_fixed() -> None:
    assert common.direction_colour(1) == common.BETTER
    assert common.direction_colour(-1) == common.WORSE
    assert common.direction_colour(0) == common.NEUTRAL


# ------------------------------------------------------------------------------ overview


def test_summaries_and_the_plain_sentence() -> None:
    income, safety = summaries(comparison_frame(), [INCOME, SAFETY], 2015)
    # Income: gap 10.0 → 5.0 pp, narrowing, an improvement.
    assert income.latest_gap == pytest.approx(5.0)
    assert income.development == "narrowing" and income.progress == 1
    assert progress_sentence(income, "da") == (
        "Afstanden til resten af byen er mindsket med 5,0 procentpoint siden 2015."
    )
    # Safety (higher is better): gap −20 → −16, also narrowing.
    assert safety.development == "narrowing" and safety.progress == 1
    assert "4,0" in progress_sentence(safety, "da")


def test_sentence_for_a_widening_gap_and_a_missing_baseline() -> None:
    frame = comparison_frame()
    frame.loc[frame["indicator"] == "indkomst", "gap"] = [5.0, 7.0, 8.5]
    (income,) = summaries(frame, [INCOME], 2015)
    assert income.development == "widening" and income.progress == -1
    assert "øget med 3,5 procentpoint" in progress_sentence(income, "da")
    assert "widened by 3.5 percentage points" in progress_sentence(income, "en")
    (unknown,) = summaries(frame, [INCOME], 2010)
    assert unknown.development == "unknown"
    assert progress_sentence(unknown, "da") == t("overview.unknown", "da", year=2010)


# ------------------------------------------------------------------------------ download


def test_other_tables_download_with_a_bom_for_excel() -> None:
    frame = pd.DataFrame({"area_name": ["Østerbro"], "value": [12.5]})
    raw = to_csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    parsed = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert parsed["area_name"].iloc[0] == "Østerbro"
    assert parsed["value"].tolist() == [12.5]


# ------------------------------------------------------------------------------ labels


def test_registry_has_both_languages_for_every_criterion() -> None:
    for indicator in REGISTRY.values():
        for lang in ("da", "en"):
            assert indicator.name(lang) and indicator.short(lang) and indicator.definition(lang)


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (1234.5, 1, "da", "1.234,5"),
        (1234.5, 1, "en", "1,234.5"),
        (-2.25, 2, "da", "−2,25"),
        (float("nan"), 1, "da", "–"),
        (None, 1, "en", "–"),
    ],
)
def test_format_number(value, decimals, lang, expected) -> None:
    assert format_number(value, decimals, lang) == expected


def test_format_value_and_difference() -> None:
    assert format_value(12.34, "pct", 1, "da") == "12,3 %"
    assert format_value(1234, "count", 0, "da") == "1.234"
    assert format_difference(2.0, "pct", 1, "da") == "+2,0 pct.-point"
    assert format_difference(-2.0, "pct", 1, "en") == "−2.0 pp"


def test_years_text_compresses_runs() -> None:
    assert years_text([2015, 2016, 2017, 2020, 2008]) == "2008, 2015–2017, 2020"
    assert years_text([]) == "–"


def test_url_state_round_trip() -> None:
    search = urlstate.query({"kriterium": "indkomst", "aar": 2025, "lang": "en"})
    assert search == "?kriterium=indkomst&aar=2025&lang=en"
    assert urlstate.parse(search) == {"kriterium": "indkomst", "aar": "2025", "lang": "en"}
    assert urlstate.updated(search, aar=2020, lang="da") == "?kriterium=indkomst&aar=2020"
    assert urlstate.href("/data", "da", kriterier=["a", "b"]) == "/data?kriterier=a,b"
    assert urlstate.lang_of("?lang=xx") == "da"


def test_survey_gap_change_within_noise_is_not_called_a_change() -> None:
    """A survey criterion whose gap moves by less than the sampling noise reads 'no certain
    change', never narrowed or widened (the app never calls noise a change)."""
    from dashboard.views import overview
    from indicators import calculations as calc
    from indicators.registry import load_registry

    registry = load_registry()
    # 80/100 vs 850/1000 in 2015; 81/100 vs 850/1000 in 2025: the gap shrinks by 1 pp,
    # far inside the Newcombe interval of two samples of 100.
    area = pd.DataFrame(
        {
            "area_code": ["ub-alle", "ub-alle"],
            "indicator": ["tryghed", "tryghed"],
            "year": [2015, 2025],
            "numerator": [80.0, 81.0],
            "denominator": [100.0, 100.0],
            "synthetic": [True, True],
        }
    )
    city = pd.DataFrame(
        {
            "area_code": ["kbh", "kbh"],
            "indicator": ["tryghed", "tryghed"],
            "year": [2015, 2025],
            "numerator": [930.0, 931.0],
            "denominator": [1100.0, 1100.0],
        }
    )
    comparison = calc.compare_with_rest(area, city, registry)
    (summary,) = overview.summaries(comparison, [registry["tryghed"]], 2015)
    assert summary.development == "within_noise"
    assert summary.progress == 0
    assert "Ingen sikker ændring" in overview.progress_sentence(summary, "da")
