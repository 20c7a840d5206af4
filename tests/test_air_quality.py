"""Air pollution: the concentration importer (CSV and vector points, any CRS), its
refusals, the nearest-point lookup and the share of residents above a threshold."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from import_support import make_store, run_cli, write

from db import air_quality_store
from indicators import air_quality as air
from indicators import coverage as cov
from indicators.importers.air_quality import read_concentration_csv, read_concentration_vector
from indicators.importers.errors import InputError
from indicators.services import imports

NO2_WHO = cov.CoverageSpec("luft_no2_who", "no2", 10.0, "WHO 2021", air=True)
PM25_WHO = cov.CoverageSpec("luft_pm25_who", "pm25", 5.0, "WHO 2021", air=True)


def _cells() -> pd.DataFrame:
    """R1: 10 residents at 12 µg/m³ and 30 at 8; R2: 20 at exactly 10 and 5 far from
    every point (no value)."""
    return pd.DataFrame(
        {
            "area_code": ["R1", "R1", "R2", "R2"],
            "x": [700_000.0, 700_100.0, 701_000.0, 709_000.0],
            "y": [6_170_000.0] * 4,
            "residents": [10.0, 30.0, 20.0, 5.0],
        }
    )


def _points() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pollutant": "no2",
            "x": [700_010.0, 700_120.0, 701_000.0],
            "y": [6_170_000.0, 6_170_000.0, 6_170_040.0],
            "concentration": [12.0, 8.0, 10.0],
        }
    )


def test_each_cell_takes_the_nearest_point_within_the_distance() -> None:
    values = air.concentration_at(_cells(), _points(), max_distance_m=500)
    assert values[:3].tolist() == [12.0, 8.0, 10.0]
    assert np.isnan(values[3])  # 8 km from the nearest point


def test_share_above_the_threshold_by_hand() -> None:
    cells = _cells()
    values = air.concentration_at(cells, _points(), max_distance_m=500)
    counts = cov.coverage_counts(
        cells, pd.DataFrame(index=cells.index), None, 2025, [NO2_WHO], air={"no2": values}
    ).set_index("area_code")
    # R1: only the 10 residents at 12 µg/m³ exceed 10 -> 10/40 = 25 %.
    assert counts.loc["R1", ["numerator", "denominator"]].tolist() == [10.0, 40.0]
    # R2: exactly 10 does not exceed 10; the 5 without a value are not counted as exposed.
    assert counts.loc["R2", ["numerator", "denominator"]].tolist() == [0.0, 25.0]
    at_eight = replace(NO2_WHO, threshold=7.9)
    lower = cov.coverage_counts(
        cells, pd.DataFrame(index=cells.index), None, 2025, [at_eight], air={"no2": values}
    ).set_index("area_code")
    assert lower["numerator"].tolist() == [40.0, 20.0]


def test_an_air_indicator_without_its_layer_is_skipped() -> None:
    cells = _cells()
    counts = cov.coverage_counts(cells, pd.DataFrame(index=cells.index), None, 2025, [PM25_WHO])
    assert counts.empty


def test_the_shipped_config_has_who_and_eu_thresholds() -> None:
    thresholds = {s.indicator: (s.target, s.threshold) for s in cov.DEFAULT_SPECS if s.is_air}
    assert thresholds == {
        "luft_no2_who": ("no2", 10.0),
        "luft_no2_eu": ("no2", 40.0),
        "luft_pm25_who": ("pm25", 5.0),
        "luft_pm25_eu": ("pm25", 25.0),
    }
    assert all(p.synthetic and "SYNTETISK" in p.source for p in cov.POLLUTANTS.values())
    changed = cov.specs_with_thresholds({"luft_no2_who": 20})
    assert {s.indicator: s.threshold for s in changed}["luft_no2_who"] == 20
    with pytest.raises(ValueError, match="unknown threshold key"):
        cov.specs_with_thresholds({"no2": 20})  # ambiguous: WHO or EU


def test_a_csv_in_another_crs_is_reprojected(tmp_path: Path) -> None:
    path = write(tmp_path / "pm.csv", "lon;lat;pm\n12.5683;55.6761;7,5\n12.60;55.70;9\n")
    rows = read_concentration_csv(
        path, "pm25", crs="EPSG:4326", x_field="lon", y_field="lat", value_field="pm"
    )
    assert rows["concentration"].tolist() == [7.5, 9.0]
    assert rows["x"].between(720_000, 730_000).all()
    assert rows["y"].between(6_170_000, 6_180_000).all()


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("x,y,no2\n725000,6175000,12\n", {"crs": "EPSG:4326"}, "f.csv, line 2, column x"),
        ("x,y,no2\n725000,6175000,12\n", {"crs": "EPSG:99999"}, "f.csv, column --crs"),
        ("x,y,no2\n725000,6175000,12\n", {}, "f.csv, column --crs"),
        ("x,y,value\n725000,6175000,12\n", {"crs": "EPSG:25832"}, "f.csv, line 1, column no2"),
        ("x,no2\n725000,12\n", {"crs": "EPSG:25832"}, "f.csv, line 1, column y"),
        (
            "x,y,no2\n725000,6175000,12\n725000,6175250,-0.5\n",
            {"crs": "EPSG:25832"},
            "f.csv, line 3, column no2",
        ),
        ("x,y,no2\n725000,6175000,n/a\n", {"crs": "EPSG:25832"}, "f.csv, line 2, column no2"),
        ("x,y,no2\n725000,,12\n", {"crs": "EPSG:25832"}, "f.csv, line 2, column y"),
    ],
)
def test_bad_csv_names_file_line_and_column(
    tmp_path: Path, text: str, options: dict, message: str
) -> None:
    path = write(tmp_path / "f.csv", text)
    with pytest.raises(InputError) as refused:
        read_concentration_csv(path, "no2", **options)
    assert message in str(refused.value)


def test_unknown_pollutant_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", "x,y,o3\n725000,6175000,12\n")
    with pytest.raises(InputError, match="column --pollutant"):
        read_concentration_csv(path, "o3", crs="EPSG:25832")


def test_a_geopackage_of_points_loads_with_its_own_crs(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"no2": [11.0, 14.0]},
        geometry=[shapely.Point(12.55, 55.67), shapely.Point(12.56, 55.68)],
        crs=4326,
    )
    frame.to_file(tmp_path / "no2.gpkg", driver="GPKG")
    rows = read_concentration_vector(tmp_path / "no2.gpkg", "no2")
    assert rows["concentration"].tolist() == [11.0, 14.0]
    frame.assign(no2=[11.0, -1.0]).to_file(tmp_path / "bad.gpkg", driver="GPKG")
    with pytest.raises(InputError, match=r"bad\.gpkg, feature 2, column no2"):
        read_concentration_vector(tmp_path / "bad.gpkg", "no2")


def test_the_shipped_demo_layer_loads_with_one_command(sqlite_url: str) -> None:
    engine = make_store(sqlite_url)
    shipped = cov.DATA_DIR / cov.POLLUTANTS["no2"].file
    result = run_cli(
        sqlite_url,
        "import",
        "air-quality",
        str(shipped),
        "--pollutant=no2",
        "--crs=EPSG:25832",
        "--synthetic",
    )
    assert result.exit_code == 0, result.output
    assert "synthetic demo data" in result.output
    stored = air_quality_store.read_air_quality(engine)
    assert len(stored) == len(pd.read_csv(shipped)) and stored["synthetic"].all()
    # Loading PM2.5 leaves the NO2 points alone; reloading NO2 replaces them.
    imports.run_import(engine, "air-quality", shipped, pollutant="pm25", crs="EPSG:25832")
    imports.run_import(engine, "air-quality", shipped, pollutant="no2", crs="EPSG:25832")
    counts = air_quality_store.read_air_quality(engine)["pollutant"].value_counts()
    assert counts["no2"] == counts["pm25"] == len(pd.read_csv(shipped))
    engine.dispose()
