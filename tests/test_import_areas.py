"""`keob import areas`: any declared CRS, three file formats, vintages and memberships."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from import_support import make_store, rode_square, run_cli, snapshot

from db import store


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    eng = make_store(db_url)
    yield eng
    eng.dispose()


def _layer(codes: list[str], geoms: list, crs: str = "EPSG:4326", **fields) -> gpd.GeoDataFrame:  # type: ignore[no-untyped-def]
    gdf = gpd.GeoDataFrame(
        {"code": codes, "name": [f"Område {c}" for c in codes], **fields},
        geometry=geoms,
        crs="EPSG:4326",
    )
    return gdf.to_crs(crs)


@pytest.mark.parametrize(
    "driver,suffix", [("GeoJSON", ".geojson"), ("GPKG", ".gpkg"), ("ESRI Shapefile", ".shp")]
)
def test_formats_and_crs_are_stored_in_4326(
    engine, db_url: str, tmp_path: Path, driver: str, suffix: str
) -> None:
    box = shapely.box(12.55, 55.68, 12.56, 55.69)
    path = tmp_path / f"nye{suffix}"
    _layer(["N1"], [box], crs="EPSG:25832").to_file(path, driver=driver, engine="pyogrio")
    result = run_cli(db_url, "import", "areas", str(path), "--level", "bydel")
    assert result.exit_code == 0, result.output
    assert "(EPSG:25832): 1 feature(s): 1 new" in result.output
    areas = store.read_areas(engine, levels=["bydel"], with_geometry=True).set_index("code")
    geom = shapely.from_wkb(areas.loc["N1", "geometry_wkb"])
    assert geom.symmetric_difference(box).area < 1e-10
    assert areas.loc["N1", "name"] == "Område N1"


def test_same_area_file_twice_changes_nothing(engine, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.geojson"
    _layer(
        ["N1", "N2"],
        [shapely.box(12.55, 55.68, 12.56, 55.69), shapely.box(12.56, 55.68, 12.57, 55.69)],
    ).to_file(path)
    assert run_cli(db_url, "import", "areas", str(path), "--level", "bydel").exit_code == 0
    before = snapshot(engine)
    again = run_cli(db_url, "import", "areas", str(path), "--level", "bydel")
    assert "already loaded" in again.output
    copy = tmp_path / "copy.geojson"
    copy.write_bytes(path.read_bytes() + b"\n")
    third = run_cli(db_url, "import", "areas", str(copy), "--level", "bydel")
    assert third.exit_code == 0
    assert "2 unchanged" in third.output and "no batch" in third.output
    assert snapshot(engine) == before


def test_designation_vintages_keep_both_geometries_and_memberships(
    engine, db_url: str, tmp_path: Path
) -> None:
    # 2021: the area covers rode R1; 2025: R1 and R2 (rode squares side by side).
    v2021 = tmp_path / "udsatte_2021.geojson"
    v2025 = tmp_path / "udsatte_2025.geojson"
    _layer(["ub-test"], [rode_square(1).buffer(-0.001)]).to_file(v2021)
    _layer(["ub-test"], [shapely.union(rode_square(1), rode_square(2)).buffer(-0.001)]).to_file(
        v2025
    )
    args = ["--level", "udsat_byomraade", "--members-from", "rode"]
    r25 = run_cli(db_url, "import", "areas", str(v2025), "--vintage", "2025", *args)
    assert r25.exit_code == 0, r25.output
    r21 = run_cli(db_url, "import", "areas", str(v2021), "--vintage", "2021", *args)
    assert r21.exit_code == 0, r21.output
    assert "keep their newer vintage as current geometry (ub-test)" in r21.output
    m21 = store.read_membership(engine, 2021)
    m25 = store.read_membership(engine, 2025)
    assert m21.loc[m21["aggregate_code"] == "ub-test", "member_code"].tolist() == ["R1"]
    assert m25.loc[m25["aggregate_code"] == "ub-test", "member_code"].tolist() == ["R1", "R2"]
    versions = store.read_area_versions(engine)
    assert versions.loc[versions["code"] == "ub-test", "vintage"].tolist() == [2021, 2025]
    current = store.read_areas(engine, levels=["udsat_byomraade"], with_geometry=True)
    assert shapely.from_wkb(current["geometry_wkb"].iloc[0]).area > 1e-4  # the 2025 outline
    as_2021 = store.read_area_versions(engine, 2021)
    assert shapely.from_wkb(as_2021["geometry_wkb"].iloc[0]).area < 1e-4


def test_member_of_code_and_field(engine, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "roder.gpkg"
    _layer(
        ["R5", "R6"],
        [rode_square(5), rode_square(6)],
        bydel=["B3", "B5"],
    ).to_file(path, driver="GPKG")
    result = run_cli(
        db_url,
        "import",
        "areas",
        str(path),
        "--level",
        "rode",
        "--vintage",
        "2021",
        "--member-of",
        "kbh",
        "--member-of",
        "bydel",
    )
    assert result.exit_code == 0, result.output
    members = store.read_membership(engine, 2021)
    kbh = members.loc[members["aggregate_code"] == "kbh", "member_code"].tolist()
    assert kbh == ["R1", "R2", "R3", "R4", "R5", "R6"]  # added to, not replaced
    assert members.loc[members["member_code"] == "R6", "aggregate_code"].tolist() == ["B5", "kbh"]
    # R6 moves from B5 to B3 in a corrected file: it leaves B5.
    fixed = tmp_path / "roder_rettet.gpkg"
    _layer(["R5", "R6"], [rode_square(5), rode_square(6)], bydel=["B3", "B3"]).to_file(
        fixed, driver="GPKG"
    )
    run_cli(
        db_url,
        "import",
        "areas",
        str(fixed),
        "--level",
        "rode",
        "--vintage",
        "2021",
        "--member-of",
        "bydel",
    )
    members = store.read_membership(engine, 2021)
    assert members.loc[members["member_code"] == "R6", "aggregate_code"].tolist() == ["B3", "kbh"]


def test_membership_options_need_a_vintage(engine, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.geojson"
    _layer(["N1"], [rode_square(1)]).to_file(path)
    result = run_cli(db_url, "import", "areas", str(path), "--level", "bydel", "--member-of", "kbh")
    assert result.exit_code == 2
    assert "--vintage" in result.output
    unknown = run_cli(
        db_url,
        "import",
        "areas",
        str(path),
        "--level",
        "bydel",
        "--vintage",
        "2021",
        "--member-of",
        "nope",
    )
    assert unknown.exit_code == 1
    assert "a field of the file" in unknown.output


def test_skip_invalid_areas(engine, db_url: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from import_support import BAD

    monkeypatch.chdir(tmp_path)
    result = run_cli(
        db_url,
        "import",
        "areas",
        str(BAD / "areas_outside_denmark.geojson"),
        "--level",
        "bydel",
        "--skip-invalid",
    )
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output and "1 rejected" in result.output
    assert (tmp_path / "areas_outside_denmark.rejects.csv").exists()
    assert "N1" in set(store.read_areas(engine, levels=["bydel"])["code"])
