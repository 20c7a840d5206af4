"""Coverage on hand-made geometry with known answers (tests/data/geo_coverage/).

Every expected number here is worked out by hand in the fixture's docstring
(make_fixtures.py): 100 m cells, R1 = 49 residential cells (west half water, one cell in a
small park), R2 = 100 cells.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from indicators import coverage as cov
from indicators import noise
from indicators import residents_grid as rg
from indicators.walk_network import WalkNetwork
from tests.coverage_support import (
    CELL_M,
    EXPECTED_SHARES,
    GEO,
    NOISE_FILE,
    R1_CELLS,
    R2_CELLS,
    RESIDENTS,
    facilities,
    roder,
)


@pytest.fixture(scope="module")
def fac() -> gpd.GeoDataFrame:
    return facilities()


@pytest.fixture(scope="module")
def cells(fac: gpd.GeoDataFrame) -> pd.DataFrame:
    exclude = rg.exclusion_tree(fac[fac["kind"].isin(cov.NON_RESIDENTIAL_KINDS)])
    return rg.grid_cells(roder(), RESIDENTS, exclude, CELL_M)


@pytest.fixture(scope="module")
def distances(cells: pd.DataFrame, fac: gpd.GeoDataFrame) -> pd.DataFrame:
    return cov.distance_table(cells, cov.target_geometries(fac))


@pytest.fixture(scope="module")
def noise_db(cells: pd.DataFrame) -> np.ndarray:
    return cov.noise_bands(cells, noise.load_noise_grid(NOISE_FILE))


# ----------------------------------------------------------------------------- facilities


def test_facility_layers_load_with_kind_name_source_and_year(fac: gpd.GeoDataFrame) -> None:
    assert fac.crs == "EPSG:4326"
    assert list(fac.columns) == cov.FACILITY_COLUMNS
    assert fac.groupby("kind").size().to_dict() == {
        "bibliotek": 1,
        "groent": 2,
        "legeplads": 1,
        "vand": 1,
    }
    play = fac[fac["kind"] == "legeplads"].iloc[0]
    assert play["name"] == "Legepladsen i Nordroden"
    assert play["category"] == "Legeplads"
    assert play["year"] == 2025 and "legepladser" in play["source"]
    parks = fac[fac["kind"] == "groent"]
    assert sorted(parks["municipality"]) == ["Frederiksberg", "København"]
    assert parks["name"].str.startswith("Grønt område").all()  # the layer has no names


def test_new_kinds_and_bad_layers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    layer = cov.load_facility_layer(
        GEO / "bibliotek.geojson", "musikskole", year=2024, source="Egen optælling"
    )
    assert layer.loc[0, ["kind", "name", "year", "source"]].tolist() == [
        "musikskole",
        "Stibiblioteket",
        2024,
        "Egen optælling",
    ]
    with pytest.raises(ValueError, match="lowercase"):
        cov.load_facility_layer(GEO / "bibliotek.geojson", "Bad Kind")
    with pytest.raises(ValueError, match="name field"):
        cov.load_facility_layer(GEO / "bibliotek.geojson", "bibliotek", name_field="titel")
    no_crs = tmp_path / "no_crs.gpkg"
    gpd.GeoDataFrame({"navn": ["x"]}, geometry=[shapely.Point(1, 2)]).to_file(no_crs)
    with pytest.raises(ValueError, match="no CRS"):
        cov.load_facility_layer(no_crs, "legeplads")


def test_green_areas_need_half_a_hectare_and_merge_touching_parks() -> None:
    small = shapely.box(0, 0, 60, 60)  # 0.36 ha
    left, right = shapely.box(100, 0, 150, 60), shapely.box(150, 0, 200, 60)  # 0.3 + 0.3 ha
    parks = gpd.GeoSeries([small, left, right], crs="EPSG:25832")
    areas = cov.green_areas(parks, 5_000)
    assert len(areas) == 1 and areas[0].area == pytest.approx(6_000)
    gap = gpd.GeoSeries([shapely.box(0, 0, 50, 60), shapely.box(54, 0, 104, 60)], crs=25832)
    assert len(cov.green_areas(gap, 5_000)) == 0
    assert len(cov.green_areas(gap, 5_000, merge_gap_m=5)) == 1


# ----------------------------------------------------------------------------- cells


def test_residents_spread_over_residential_land_only(cells: pd.DataFrame) -> None:
    per_rode = cells.groupby("area_code")
    assert per_rode.size().to_dict() == {"R1": R1_CELLS, "R2": R2_CELLS}
    assert per_rode["residents"].sum().to_dict() == pytest.approx(RESIDENTS)
    r1 = cells[cells["area_code"] == "R1"]
    assert (r1["x"] > 700500).all()  # the west half is water
    assert not ((r1["x"] == 700650) & (r1["y"] == 6170050)).any()  # the small park's cell
    assert r1["residents"].nunique() == 1  # even spread
    assert cells.attrs["method"] == "grid-100m" and cells.attrs["fallback"] == []


def test_a_rode_without_residential_land_keeps_its_residents() -> None:
    wet = gpd.GeoDataFrame(
        {"code": ["R9"]}, geometry=[shapely.box(0, 0, 300, 300)], crs="EPSG:25832"
    )
    tiny = gpd.GeoDataFrame(
        {"code": ["R8"]}, geometry=[shapely.box(1000, 1000, 1010, 1010)], crs="EPSG:25832"
    )
    lake = gpd.GeoSeries([shapely.box(-10, -10, 310, 310)], crs="EPSG:25832")
    out = rg.grid_cells(pd.concat([wet, tiny]), {"R9": 90, "R8": 5}, rg.exclusion_tree(lake), 100)
    assert out.groupby("area_code").size().to_dict() == {"R8": 1, "R9": 9}
    assert out.groupby("area_code")["residents"].sum().to_dict() == {"R8": 5, "R9": 90}
    assert sorted(out.attrs["fallback"]) == ["R8", "R9"]


def test_user_points_replace_the_even_spread() -> None:
    points = gpd.GeoDataFrame(
        {"weight": [1.0, 3.0, 7.0, 2.0]},
        geometry=[
            shapely.Point(700600, 6170600),
            shapely.Point(700900, 6170100),
            shapely.box(700700, 6170700, 700800, 6170800),  # a 100 m grid square: its centroid
            shapely.Point(600000, 6000000),  # outside every rode: dropped
        ],
        crs="EPSG:25832",
    ).to_crs(4326)
    raw = rg.cells_from_points(points, roder())
    assert raw.attrs["dropped"] == 1 and raw["residents"].tolist() == [1.0, 3.0, 7.0]
    assert raw.loc[2, ["x", "y"]].tolist() == pytest.approx([700750, 6170750])
    scaled = rg.cells_from_points(points, roder(), residents={"R1": 1100.0, "R2": 50.0})
    r1 = scaled[scaled["area_code"] == "R1"]["residents"].tolist()
    assert r1 == pytest.approx([100.0, 300.0, 700.0])
    assert scaled.attrs["fallback"] == ["R2"]  # no points in R2: one representative point
    assert scaled.groupby("area_code")["residents"].sum().to_dict() == pytest.approx(
        {"R1": 1100.0, "R2": 50.0}
    )


# ----------------------------------------------------------------------------- CRS


def test_metric_work_refuses_missing_crs() -> None:
    bare = gpd.GeoDataFrame({"code": ["R1"]}, geometry=[shapely.box(0, 0, 100, 100)])
    with pytest.raises(ValueError, match="CRS"):
        rg.grid_cells(bare, {"R1": 1}, None, 25)
    with pytest.raises(ValueError, match="CRS"):
        cov.green_areas(gpd.GeoSeries([shapely.box(0, 0, 100, 100)]))
    cells = pd.DataFrame({"area_code": ["R1"], "x": [1.0], "y": [2.0], "residents": [1.0]})
    cells.attrs["crs"] = "EPSG:4326"
    with pytest.raises(ValueError, match="EPSG:25832"):
        cov.distance_table(cells, {})


def test_layers_in_any_crs_give_the_same_distances(cells: pd.DataFrame) -> None:
    metric = cov.load_facility_layer(GEO / "legeplads.geojson", "legeplads")
    lonlat = cov.load_facility_layer(GEO / "legeplads_4326.geojson", "legeplads")
    for layer in (metric, lonlat):
        assert layer.crs == "EPSG:4326"
    a = cov.distance_table(cells, cov.target_geometries(metric, ["legeplads"]))
    b = cov.distance_table(cells, cov.target_geometries(lonlat, ["legeplads"]))
    np.testing.assert_allclose(a["legeplads"], b["legeplads"], atol=1e-3)
    roder_4326 = roder().to_crs(4326)
    again = rg.grid_cells(roder_4326, RESIDENTS, None, CELL_M)
    direct = rg.grid_cells(roder(), RESIDENTS, None, CELL_M)
    assert len(again) == len(direct) == 200


# ----------------------------------------------------------------------------- distances


def test_playground_at_a_known_distance(cells: pd.DataFrame, distances: pd.DataFrame) -> None:
    # The playground is exactly 300 m north of R2's cell (700050, 6171050).
    at = (cells["x"] == 700050) & (cells["y"] == 6171050)
    assert distances.loc[at, "legeplads"].item() == pytest.approx(300.0, abs=1e-3)
    nearest = (cells["x"] == 700050) & (cells["y"] == 6171350)
    assert distances.loc[nearest, "legeplads"].item() == pytest.approx(0.0, abs=1e-3)
    # Polygons: distance to the edge, 0 inside; the 0.36 ha park is not a green area.
    east = (cells["x"] == 700950) & (cells["y"] == 6170550)
    assert distances.loc[east, "groent"].item() == pytest.approx(50.0)
    assert np.isinf(distances["kulturhus"]).all()  # no culture house in the fixture
    brute = np.hypot(cells["x"] - 700050, cells["y"] - 6171350)
    np.testing.assert_allclose(distances["legeplads"], brute, atol=1e-3)


def test_nearest_distance_handles_points_lines_and_polygons() -> None:
    x, y = np.array([0.0, 10.0, 50.0]), np.array([0.0, 0.0, 50.0])
    poly = shapely.box(5, -5, 15, 5)
    got = cov.nearest_distance(x, y, np.array([poly, shapely.Point(50, 60)], dtype=object))
    np.testing.assert_allclose(got, [5.0, 0.0, 10.0])
    line = shapely.LineString([(0, 3), (100, 3)])
    np.testing.assert_allclose(cov.nearest_distance(x, y, np.array([line])), [3, 3, 47])
    assert np.isinf(cov.nearest_distance(x, y, np.array([], dtype=object))).all()


# ----------------------------------------------------------------------------- indicators


def test_coverage_indicators_have_the_hand_worked_values(
    cells: pd.DataFrame, distances: pd.DataFrame, noise_db: np.ndarray
) -> None:
    counts = cov.coverage_counts(cells, distances, noise_db, 2014, residents=RESIDENTS)
    assert set(counts["year"]) == {2014}
    for indicator, (r1, r2) in EXPECTED_SHARES.items():
        part = counts[counts["indicator"] == indicator].set_index("area_code")
        if r1 is None:
            assert (part["numerator"] == 0).all()
            continue
        assert part.loc["R1", "denominator"] == RESIDENTS["R1"]
        assert part.loc["R1", "numerator"] == pytest.approx(r1 * RESIDENTS["R1"], abs=1e-3)
        assert part.loc["R2", "numerator"] == pytest.approx(r2 * RESIDENTS["R2"], abs=1e-3)


def test_any_threshold_is_a_filter_on_the_precomputed_distances(
    cells: pd.DataFrame, distances: pd.DataFrame, noise_db: np.ndarray
) -> None:
    at_300 = cov.covered_by_rode(cells, distances["legeplads"], 300.0).set_index("area_code")
    just_below = cov.covered_by_rode(cells, distances["legeplads"], 299.9).set_index("area_code")
    # Three of R2's cell centres are exactly 300 m away: 300 m north, south and east.
    cell_residents = RESIDENTS["R2"] / R2_CELLS
    assert at_300.loc["R2", "numerator"] - just_below.loc["R2", "numerator"] == pytest.approx(
        3 * cell_residents
    )
    assert at_300.loc["R2", "numerator"] == pytest.approx(18 * cell_residents)
    wide = cov.covered_by_rode(cells, distances["legeplads"], 5_000).set_index("area_code")
    assert (wide["numerator"] == wide["denominator"]).all()
    loud = cov.covered_by_rode(cells, noise_db, 53, is_noise=True).set_index("area_code")
    assert loud.loc["R1", "numerator"] == pytest.approx(RESIDENTS["R1"])
    assert loud.loc["R2", "numerator"] == 0


def test_thresholds_are_parameters_with_sources() -> None:
    specs = cov.specs_with_thresholds({"legeplads": 400, "stoej_68": 73})
    by_code = {s.indicator: s for s in specs}
    assert by_code["daekning_legeplads"].threshold == 400
    assert by_code["daekning_legeplads"].threshold_source == "valgt af brugeren"
    assert by_code["stoej_68"].threshold == 73 and by_code["stoej_58"].threshold == 58
    assert "https://" in by_code["daekning_groent"].threshold_source
    with pytest.raises(ValueError, match="band edge"):
        cov.specs_with_thresholds({"stoej_58": 60})
    with pytest.raises(ValueError, match="unknown"):
        cov.specs_with_thresholds({"museum": 500})
    with pytest.raises(ValueError, match="positive"):
        cov.specs_with_thresholds({"bibliotek": 0})
    assert cov.parse_thresholds(["legeplads=400m, bibliotek=800", "stoej_58=63dB"]) == {
        "legeplads": 400.0,
        "bibliotek": 800.0,
        "stoej_58": 63.0,
    }
    with pytest.raises(ValueError, match="KEY=VALUE"):
        cov.parse_thresholds(["legeplads"])


def test_every_stored_indicator_is_in_the_registry() -> None:
    from indicators.registry import load_registry

    registry = load_registry()
    for spec in cov.DEFAULT_SPECS:
        indicator = registry[spec.indicator]
        assert indicator.kind == "coverage" and indicator.unit == "pct"
        assert indicator.polarity == (-1 if spec.is_noise or spec.is_air else 1)
        assert f"{spec.threshold:g}".replace("1000", "1") in indicator.name_da.replace(".", "")


def test_areas_against_the_rest_of_the_city(cells: pd.DataFrame, distances: pd.DataFrame) -> None:
    indicator = cov.adhoc_indicator("groent", 300)
    assert indicator.code == "groent_300" and indicator.polarity == 1
    membership = pd.DataFrame(
        {"aggregate_code": ["kbh", "kbh", "ub-x"], "member_code": ["R1", "R2", "R2"]}
    )
    frame = cov.area_comparison(
        cells,
        distances["groent"],
        300,
        is_noise=False,
        indicator=indicator,
        year=2014,
        membership=membership,
        area_codes=["ub-x"],
        synthetic={"R2": True},
    ).iloc[0]
    assert frame["value"] == pytest.approx(30.0)
    assert frame["rest_value"] == pytest.approx(100 * 30 / 49)
    assert frame["gap"] == pytest.approx(30.0 - 100 * 30 / 49)
    assert frame["direction"] == -1 and bool(frame["synthetic"])
    noise_ind = cov.adhoc_indicator(cov.NOISE, 63)
    assert noise_ind.polarity == -1 and noise_ind.code == "stoej_63"
    assert cov.stored_indicator_for("legeplads", 300) == "daekning_legeplads"
    assert cov.stored_indicator_for("legeplads", 350) is None


def test_source_text_names_data_threshold_and_method() -> None:
    spec = cov.DEFAULT_SPECS[0]
    text = cov.source_text(spec, {"legeplads": "KK legepladser"}, "grid-25m", "euclidean", "bef")
    assert "KK legepladser" in text and "≤ 300 m" in text and "gitter 25m" in text
    heavy = next(s for s in cov.DEFAULT_SPECS if s.indicator == "stoej_68")
    noisy = cov.source_text(heavy, {}, "points", "network", "bef")
    assert "Miljøstyrelsen" in noisy and "≥ 68 dB" in noisy and len(noisy) <= 500
    for spec in (s for s in cov.DEFAULT_SPECS if s.is_air):
        aired = cov.source_text(spec, {}, "grid-25m", "euclidean", "bef")
        assert "SYNTETISK" in aired and f"> {spec.threshold:g} µg/m³" in aired
        assert len(aired) <= 500


# ----------------------------------------------------------------------------- network


def test_network_distance_follows_the_streets(cells: pd.DataFrame, fac) -> None:  # type: ignore[no-untyped-def]
    network = WalkNetwork.read(GEO / "stinet.geojson")
    assert network.n_nodes == 3
    library = cov.target_geometries(fac, ["bibliotek"])
    walk = cov.distance_table(cells, library, network=network, cutoff_m=3_000)
    line = cov.distance_table(cells, library)
    assert walk.attrs["method"] == "network" and line.attrs["method"] == "euclidean"
    corner = (cells["x"] == 700050) & (cells["y"] == 6171950)
    # 150 m to the street, 300 m east, 700 m south: 1,150 m, against 626 m as the crow flies.
    assert walk.loc[corner, "bibliotek"].item() == pytest.approx(1150.0)
    assert line.loc[corner, "bibliotek"].item() == pytest.approx(np.hypot(300, 550))
    assert (walk["bibliotek"] >= line["bibliotek"] - 1e-6).all()
    short = cov.distance_table(cells, library, network=network, cutoff_m=1_000)
    assert np.isinf(short.loc[corner, "bibliotek"].item())


def test_network_entry_into_a_polygon() -> None:
    lines = gpd.GeoSeries([shapely.LineString([(0, 0), (100, 0), (100, 100)])], crs=25832)
    network = WalkNetwork.from_lines(lines)
    park = np.array([shapely.box(90, 90, 200, 200)], dtype=object)
    got = network.distances(np.array([0.0, 150.0]), np.array([10.0, 150.0]), park)
    # From (0, 10): 10 m to the start node, then 100 m east and 100 m north to the node
    # (100, 100) inside the park. Polygons are entered at nodes (within ``entry_m`` of the
    # edge), not in the middle of a segment, so the last 10 m of the segment count too.
    assert got.tolist() == pytest.approx([10 + 100 + 100, 0.0])
    with pytest.raises(ValueError, match="CRS"):
        WalkNetwork.from_lines(gpd.GeoSeries([shapely.LineString([(0, 0), (1, 1)])]))


def test_summary_table_groups(cells: pd.DataFrame, distances: pd.DataFrame, noise_db) -> None:  # type: ignore[no-untyped-def]
    table = cov.summary_table(cells, distances, noise_db, {"alle": ["R1", "R2"], "ub": ["R2"]})
    green = table[table["indicator"] == "daekning_groent"].set_index("group")
    assert green.loc["ub", "share"] == pytest.approx(30.0)
    expected = 100 * (30 / 49 * RESIDENTS["R1"] + 0.3 * RESIDENTS["R2"]) / sum(RESIDENTS.values())
    assert green.loc["alle", "share"] == pytest.approx(expected)
