"""Tests of indicators.geography on the shipped real layers and on hand-made fixtures."""

from __future__ import annotations

import ast
import gzip
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from indicators import geography as geo

ROOT = Path(__file__).resolve().parent.parent
BOUNDARIES = ROOT / "data" / "boundaries"
RODE_PATH = BOUNDARIES / "kk_rode_2023.geojson"
UDSAT_PATH = BOUNDARIES / "kk_udsatte_byomraader_2023.geojson"
ALMENE_PATH = BOUNDARIES / "kk_almene_boliger_2025.geojson"

UDSAT_RODER = {
    "ub-nordvest-ryparken": 25,
    "ub-noerrebro": 17,
    "ub-valby-sydhavnen": 13,
    "ub-amager-sundby": 9,
    "ub-tingbjerg-husum": 7,
}


@pytest.fixture(scope="module")
def roder() -> gpd.GeoDataFrame:
    return geo.load_roder(RODE_PATH)


@pytest.fixture(scope="module")
def derived(roder: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    return geo.derive_areas(roder)


@pytest.fixture(scope="module")
def almene() -> gpd.GeoDataFrame:
    return geo.load_almene_boliger(ALMENE_PATH)


# --------------------------------------------------------------------------- constants


def test_levels_and_labels() -> None:
    assert geo.LEVELS == (
        "rode",
        "kvarter",
        "bydel",
        "lokaludvalg",
        "udsat_byomraade",
        "boligomraade",
        "city",
    )
    assert set(geo.LEVEL_LABELS_DA) == set(geo.LEVELS) == set(geo.LEVEL_LABELS_EN)
    assert geo.LEVEL_LABELS_DA["udsat_byomraade"] == "Udsat byområde"
    assert geo.LEVEL_LABELS_DA["city"] == "Hele byen"
    assert geo.LEVEL_LABELS_DA["boligomraade"] == "Boligområde"


def test_levels_match_store() -> None:
    models = pytest.importorskip("db.models")
    assert tuple(models.AREA_LEVELS) == geo.LEVELS


def test_module_respects_layer_rule() -> None:
    tree = ast.parse(Path(geo.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"dash", "plotly", "flask", "sqlalchemy", "db", "dashboard", "keob"}


# --------------------------------------------------------------------------- shipped roder


def test_load_roder_shape(roder: gpd.GeoDataFrame) -> None:
    assert list(roder.columns) == list(geo.RODER_COLUMNS)
    assert len(roder) == 399
    assert roder.crs.to_epsg() == 4326
    assert roder["code"].is_unique
    assert roder["code"].tolist() == [f"R{n}" for n in roder["rode_nr"]]
    assert roder.is_valid.all()
    assert set(roder.geom_type) <= {"Polygon", "MultiPolygon"}
    assert roder.loc[roder["code"] == "R242", "name"].item() == "Arnestedets"
    assert roder.loc[roder["code"] == "R242", "kvarter_code"].item() == "K20802"
    assert (roder["area_m2"] > 0).all()


def test_load_roder_counts(roder: gpd.GeoDataFrame) -> None:
    assert roder["kvarter_code"].nunique() == 67
    assert roder["bydel_code"].nunique() == 10
    assert roder["lokaludvalg_code"].nunique() == 12
    assert set(roder["bydel_code"]) == {f"B{n}" for n in range(1, 11)}
    assert set(roder["lokaludvalg_code"]) == {f"L{n}" for n in range(1, 13)}
    assert roder["udsat_code"].value_counts().to_dict() == UDSAT_RODER
    not_designated = roder["udsat_code"].isna()
    assert not_designated.sum() == 399 - 71
    assert all(v is None for v in roder.loc[not_designated, "udsat_code"])
    names = roder.dropna(subset=["udsat_code"]).groupby("udsat_code")["udsat_name"].unique()
    assert names["ub-tingbjerg-husum"].tolist() == ["Tingbjerg/Husum"]
    # "Indre by" in the rode layer takes the bydel layer's spelling; names are trimmed.
    assert "Indre By" in set(roder["bydel_name"])
    assert "Brønshøj-Husum" in set(roder["lokaludvalg_name"])


def test_bydel_match_agrees_with_bydel_polygons(roder: gpd.GeoDataFrame) -> None:
    bydele = gpd.read_file(BOUNDARIES / "kk_bydel_2025.geojson")
    polygon = dict(zip(bydele["bydel_nr"].map(lambda n: f"B{n}"), bydele.geometry, strict=True))
    points = roder.geometry.representative_point()
    inside = [polygon[c].contains(p) for c, p in zip(roder["bydel_code"], points, strict=True)]
    assert all(inside)


def test_match_bydel_names_spellings_and_failure() -> None:
    table = pd.DataFrame({"bydel_nr": [1, 4], "navn": ["Indre By", "Vesterbro-Kongens Enghave"]})
    table["key"] = table["navn"].map(geo._bydel_key)
    got = geo.match_bydel_names(
        ["Indre by", " Vesterbro/Kongens Enghave", "Vesterbro/Kgs. Enghave"], table
    )
    assert got["bydel_code"].tolist() == ["B1", "B4", "B4"]
    assert got["bydel_name"].tolist() == ["Indre By", *["Vesterbro-Kongens Enghave"] * 2]
    with pytest.raises(ValueError, match="Frederiksberg"):
        geo.match_bydel_names(["Indre By", "Frederiksberg"], table)


# --------------------------------------------------------------------------- derived areas


def test_derive_areas_levels_and_counts(derived: tuple[gpd.GeoDataFrame, pd.DataFrame]) -> None:
    areas, _ = derived
    assert list(areas.columns) == ["code", "name", "level", "geometry"]
    assert areas["code"].is_unique
    counts = areas["level"].value_counts().to_dict()
    assert counts == {
        "rode": 399,
        "kvarter": 67,
        "bydel": 10,
        "lokaludvalg": 12,
        "udsat_byomraade": 6,
        "city": 1,
    }
    assert list(pd.unique(areas["level"])) == [lvl for lvl in geo.LEVELS if lvl != "boligomraade"]
    udsat = areas[areas["level"] == "udsat_byomraade"]
    assert udsat["code"].tolist() == [*geo.UDSAT_CODES.values(), "ub-alle"]
    assert udsat.set_index("code").loc["ub-alle", "name"] == "De udsatte byområder samlet"
    assert udsat.set_index("code").loc["ub-noerrebro", "name"] == "Nørrebro"
    city = areas.set_index("code").loc["kbh"]
    assert (city["name"], city["level"]) == ("København", "city")
    assert areas.set_index("code").loc["K20802", "name"] == "Jernbane Allé Kvarter"
    assert areas.is_valid.all()
    assert areas.crs.to_epsg() == 4326


def test_membership(
    roder: gpd.GeoDataFrame, derived: tuple[gpd.GeoDataFrame, pd.DataFrame]
) -> None:
    areas, membership = derived
    assert list(membership.columns) == ["aggregate_code", "member_code"]
    assert not membership.duplicated().any()
    groups = membership.groupby("aggregate_code")["member_code"].apply(set)
    all_roder = set(roder["code"])
    assert groups["kbh"] == all_roder
    for code, n in UDSAT_RODER.items():
        assert len(groups[code]) == n
    assert groups["ub-alle"] == set().union(*(groups[c] for c in UDSAT_RODER))
    assert len(groups["ub-alle"]) == 71
    level = areas.set_index("code")["level"]
    assert set(groups.index) == set(level[level != "rode"].index)
    # Every rode is in exactly one kvarter, bydel and lokaludvalg.
    by_level = membership.assign(level=membership["aggregate_code"].map(level))
    for lvl in ("kvarter", "bydel", "lokaludvalg", "city"):
        members = by_level.loc[by_level["level"] == lvl, "member_code"]
        assert members.is_unique and set(members) == all_roder, lvl
    # Kvarterer nest in bydele and lokaludvalg in this layer.
    assert roder.groupby("kvarter_code")["bydel_code"].nunique().max() == 1
    assert roder.groupby("kvarter_code")["lokaludvalg_code"].nunique().max() == 1


def test_dissolved_area_equals_member_sum(
    roder: gpd.GeoDataFrame, derived: tuple[gpd.GeoDataFrame, pd.DataFrame]
) -> None:
    areas, membership = derived
    area = areas.to_crs(geo.METRIC_CRS).set_index("code").area
    member_sum = membership.assign(
        a=membership["member_code"].map(roder.set_index("code")["area_m2"])
    )
    member_sum = member_sum.groupby("aggregate_code")["a"].sum()
    diff = (area.reindex(member_sum.index) - member_sum).abs()
    # The rode layer has 12 sliver overlaps, together about 16 m² in a 92 km² city.
    assert diff.max() < 25.0
    assert (diff / member_sum).max() < 1e-4
    assert area["kbh"] == pytest.approx(92.37e6, rel=1e-3)


# --------------------------------------------------------------------------- fixtures


def _square_roder(crs: str = "EPSG:25832") -> gpd.GeoDataFrame:
    x0, y0 = 720_000.0, 6_170_000.0
    return gpd.GeoDataFrame(
        {
            "code": ["R2", "R1"],
            "name": ["Øst", "Vest"],
            "kvarter_code": ["K1", "K1"],
            "kvarter_name": ["Kvarteret", "Kvarteret"],
            "bydel_code": ["B2", "B1"],
            "bydel_name": ["Anden", "Første"],
            "lokaludvalg_code": ["L1", "L1"],
            "lokaludvalg_name": ["Udvalget", "Udvalget"],
            "udsat_code": ["ub-noerrebro", None],
            "udsat_name": ["Nørrebro", None],
        },
        geometry=[box(x0 + 100, y0, x0 + 200, y0 + 100), box(x0, y0, x0 + 100, y0 + 100)],
        crs=crs,
    )


def test_derive_areas_two_squares() -> None:
    areas, membership = geo.derive_areas(_square_roder())
    assert areas["code"].tolist() == [
        "R1",
        "R2",
        "K1",
        "B1",
        "B2",
        "L1",
        "ub-noerrebro",
        "ub-alle",
        "kbh",
    ]
    assert areas["level"].tolist() == [
        "rode",
        "rode",
        "kvarter",
        "bydel",
        "bydel",
        "lokaludvalg",
        "udsat_byomraade",
        "udsat_byomraade",
        "city",
    ]
    got = areas.set_index("code")
    assert got.crs.to_epsg() == 25832
    assert got.area["K1"] == pytest.approx(20_000.0)
    assert got.area["kbh"] == pytest.approx(20_000.0)
    assert got.geometry["kbh"].equals(box(720_000, 6_170_000, 720_200, 6_170_100))
    assert got.geometry["ub-alle"].equals(got.geometry["R2"])
    assert got.loc["B1", "name"] == "Første"
    assert membership.values.tolist() == [
        ["K1", "R1"],
        ["K1", "R2"],
        ["B1", "R1"],
        ["B2", "R2"],
        ["L1", "R1"],
        ["L1", "R2"],
        ["ub-noerrebro", "R2"],
        ["ub-alle", "R2"],
        ["kbh", "R1"],
        ["kbh", "R2"],
    ]


def test_derive_areas_without_udsat() -> None:
    roder = _square_roder()
    roder["udsat_code"] = None
    roder["udsat_name"] = None
    areas, membership = geo.derive_areas(roder)
    assert "udsat_byomraade" not in set(areas["level"])
    assert not membership["aggregate_code"].str.startswith("ub-").any()


def test_derive_areas_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="CRS"):
        geo.derive_areas(_square_roder().set_crs(None, allow_override=True))
    dup = _square_roder()
    dup.loc[0, "code"] = "R1"
    with pytest.raises(ValueError, match="duplicate"):
        geo.derive_areas(dup)
    names = _square_roder()
    names.loc[0, "kvarter_name"] = "Et andet navn"
    with pytest.raises(ValueError, match="several names"):
        geo.derive_areas(names)


@st.composite
def _grid_roder(draw: st.DrawFn) -> tuple[gpd.GeoDataFrame, list[int]]:
    n = draw(st.integers(min_value=1, max_value=12))
    kvarter = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    udsat = draw(
        st.lists(st.sampled_from([None, *geo.UDSAT_CODES.values()]), min_size=n, max_size=n)
    )
    names = {v: k for k, v in geo.UDSAT_CODES.items()}
    roder = gpd.GeoDataFrame(
        {
            "code": [f"R{i + 1}" for i in range(n)],
            "name": [f"Rode {i + 1}" for i in range(n)],
            "kvarter_code": [f"K{k}" for k in kvarter],
            "kvarter_name": [f"Kvarter {k}" for k in kvarter],
            "bydel_code": [f"B{(k + 1) // 2}" for k in kvarter],
            "bydel_name": [f"Bydel {(k + 1) // 2}" for k in kvarter],
            "lokaludvalg_code": [f"L{k % 2 + 1}" for k in kvarter],
            "lokaludvalg_name": [f"Udvalg {k % 2 + 1}" for k in kvarter],
            "udsat_code": udsat,
            "udsat_name": [names.get(u) for u in udsat],
        },
        geometry=[
            box(100 * (i % 4), 100 * (i // 4), 100 * (i % 4) + 100, 100 * (i // 4) + 100)
            for i in range(n)
        ],
        crs="EPSG:25832",
    )
    return roder, draw(st.permutations(range(n)))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_grid_roder())
def test_derive_areas_ignores_row_order(case: tuple[gpd.GeoDataFrame, list[int]]) -> None:
    roder, order = case
    areas, membership = geo.derive_areas(roder)
    shuffled_areas, shuffled_membership = geo.derive_areas(roder.iloc[order])
    pd.testing.assert_frame_equal(membership, shuffled_membership)
    pd.testing.assert_frame_equal(
        areas.drop(columns="geometry"), shuffled_areas.drop(columns="geometry")
    )
    assert all(shapely.equals(areas.geometry.to_numpy(), shuffled_areas.geometry.to_numpy()))
    # Areas are additive over members and the city holds every rode.
    area = areas.set_index("code").area
    sums = membership.groupby("aggregate_code")["member_code"].agg(lambda m: area[list(m)].sum())
    np.testing.assert_allclose(area[sums.index], sums)
    assert set(membership.loc[membership["aggregate_code"] == "kbh", "member_code"]) == set(
        roder["code"]
    )


# --------------------------------------------------------------------------- load_roder edge cases


def _write_layers(tmp_path: Path, rows: list[dict], bydel_names: list[str]) -> Path:
    rode = gpd.GeoDataFrame(rows, geometry=[r.pop("geometry") for r in rows], crs="EPSG:4326")
    rode_path = tmp_path / "rode.geojson"
    rode.to_file(rode_path, driver="GeoJSON")
    bydel = gpd.GeoDataFrame(
        {"bydel_nr": range(1, len(bydel_names) + 1), "navn": bydel_names},
        geometry=[box(12.5, 55.6, 12.7, 55.7)] * len(bydel_names),
        crs="EPSG:4326",
    )
    bydel.to_file(tmp_path / "kk_bydel_2025.geojson", driver="GeoJSON")
    return rode_path


def _rode_row(nr: int, x: float, *, name: str | None = None, bydel: str = "Indre by") -> dict:
    return {
        "rodenavn": name or f"Rode{nr}",
        "rode_nr": nr,
        "bydel": bydel,
        "kvarternr": 20101,
        "kvarternavn": "Middelalderbyen",
        "lokaludvalgnr": 2,
        "lokaludvalgnavn": "Indre By ",
        "udsat_byomraade": None,
        "geometry": box(12.56 + x, 55.67, 12.561 + x, 55.671),
    }


def test_load_roder_merges_identical_duplicates(tmp_path: Path) -> None:
    rows = [_rode_row(1, 0.0), _rode_row(1, 0.001), _rode_row(2, 0.002, bydel="Indre By")]
    roder = geo.load_roder(_write_layers(tmp_path, rows, ["Indre By"]))
    assert roder["code"].tolist() == ["R1", "R2"]
    assert roder["bydel_code"].tolist() == ["B1", "B1"]
    assert roder["lokaludvalg_name"].tolist() == ["Indre By", "Indre By"]
    assert roder["area_m2"].iloc[0] == pytest.approx(2 * roder["area_m2"].iloc[1], rel=1e-3)


def test_load_roder_fails_loudly(tmp_path: Path) -> None:
    conflicting = [_rode_row(1, 0.0), _rode_row(1, 0.001, name="Anden")]
    with pytest.raises(ValueError, match="rode_nr 1"):
        geo.load_roder(_write_layers(tmp_path, conflicting, ["Indre By"]))
    unmatched = [_rode_row(1, 0.0, bydel="Frederiksberg")]
    with pytest.raises(ValueError, match="Frederiksberg"):
        geo.load_roder(_write_layers(tmp_path, unmatched, ["Indre By"]))
    unknown = [{**_rode_row(1, 0.0), "udsat_byomraade": "Gellerup"}]
    with pytest.raises(ValueError, match="Gellerup"):
        geo.load_roder(_write_layers(tmp_path, unknown, ["Indre By"]))


# --------------------------------------------------------------------------- outlines, almene


def test_udsatte_outlines() -> None:
    outlines = geo.load_udsatte_outlines(UDSAT_PATH)
    assert outlines["code"].tolist() == list(geo.UDSAT_CODES.values())
    assert outlines["name"].tolist() == list(geo.UDSAT_CODES)
    assert (outlines["level"] == "udsat_byomraade").all()
    assert outlines.crs.to_epsg() == 4326
    assert outlines.is_valid.all()
    area_km2 = outlines.to_crs(geo.METRIC_CRS).area.sum() / 1e6
    assert area_km2 == pytest.approx(13.47, abs=0.05)


def test_almene_boliger(almene: gpd.GeoDataFrame) -> None:
    assert len(almene) == 504  # 507 features - 1 null geometry - 2 exact duplicates
    assert almene["code"].is_unique
    assert almene["code"].str.fullmatch(r"A\d+-\d+").all()
    assert (almene["level"] == "boligomraade").all()
    assert almene.crs.to_epsg() == 4326
    assert almene.is_valid.all() and not almene.is_empty.any()
    dropped = {(d["code"], d["reason"]) for d in almene.attrs["dropped"]}
    assert dropped == {
        ("A233-1005", "null geometry"),
        ("A49-25", "exact duplicate"),
        ("A739-95", "exact duplicate"),
    }
    named = almene[almene["name"].str.startswith("26, Mjølnerparken")]
    assert len(named) == 1 and named["name"].item() == "26, Mjølnerparken (Bo-Vita)"
    assert named["antal_familie_boliger"].item() == 606
    totals = almene[list(geo.DWELLING_COLUMNS)].sum()
    assert totals.to_dict() == {
        "antal_familie_boliger": 52_970,
        "antal_ungdomsboliger": 6_564,
        "antal_aeldre_boliger": 4_393,
        "antal_plejeboliger": 1_802,
    }
    assert almene["antal_boliger_i_alt"].sum() == totals.sum()


# --------------------------------------------------------------------------- web geometry


def test_simplify_for_web_roder(roder: gpd.GeoDataFrame) -> None:
    simple = geo.simplify_for_web(roder, tolerance_m=10.0)
    assert simple.crs.to_epsg() == 4326
    assert simple["code"].tolist() == roder["code"].tolist()
    assert simple.index.equals(roder.index)
    assert simple.is_valid.all() and not simple.is_empty.any()
    assert shapely.coverage_is_valid(simple.geometry.to_numpy())
    coords = shapely.get_coordinates(simple.geometry.to_numpy())
    np.testing.assert_allclose(coords, np.round(coords, 6), atol=1e-9)
    before = shapely.get_num_coordinates(roder.geometry.to_numpy()).sum()
    after = shapely.get_num_coordinates(simple.geometry.to_numpy()).sum()
    assert after < 0.5 * before
    rel = simple.to_crs(geo.METRIC_CRS).area / roder["area_m2"] - 1
    assert rel.abs().max() < 0.02
    # Aggregates from simplified roder keep the same membership.
    _, membership = geo.derive_areas(simple)
    _, reference = geo.derive_areas(roder)
    pd.testing.assert_frame_equal(membership, reference)


def test_simplify_for_web_all_levels_and_size(
    derived: tuple[gpd.GeoDataFrame, pd.DataFrame], almene: gpd.GeoDataFrame
) -> None:
    areas, _ = derived
    frames = [areas, almene[["code", "name", "level", "geometry"]]]
    combined = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=areas.crs)
    simple = geo.simplify_for_web(combined)
    assert simple["code"].tolist() == combined["code"].tolist()
    assert simple.is_valid.all() and not simple.is_empty.any()
    for level, group in simple.groupby("level"):
        if level in {"rode", "kvarter", "bydel", "lokaludvalg", "city"}:
            assert shapely.coverage_is_valid(group.geometry.to_numpy()), level
    payload = json.dumps(geo.to_plotly_geojson(simple), separators=(",", ":")).encode()
    assert len(gzip.compress(payload)) < 300_000


def test_simplify_for_web_fallback_and_crs() -> None:
    overlapping = gpd.GeoDataFrame(
        {"code": ["a", "b"], "name": ["A", "B"]},
        geometry=[box(0, 0, 1000, 1000), box(500, 0, 1500, 1000)],
        crs="EPSG:25832",
    ).to_crs(4326)
    simple = geo.simplify_for_web(overlapping, tolerance_m=50)
    assert simple["code"].tolist() == ["a", "b"]
    assert simple.is_valid.all()
    ratio = simple.to_crs(geo.METRIC_CRS).area.to_numpy() / 1e6
    np.testing.assert_allclose(ratio, [1.0, 1.0], rtol=1e-3)
    with pytest.raises(ValueError, match="CRS"):
        geo.simplify_for_web(overlapping.set_crs(None, allow_override=True))


def test_to_plotly_geojson(derived: tuple[gpd.GeoDataFrame, pd.DataFrame]) -> None:
    areas, _ = derived
    simple = geo.simplify_for_web(areas[areas["level"].isin(["bydel", "udsat_byomraade"])])
    fc = geo.to_plotly_geojson(simple)
    assert fc["type"] == "FeatureCollection"
    assert [f["id"] for f in fc["features"]] == simple["code"].tolist()
    first = fc["features"][0]
    assert first["properties"] == {"code": "B1", "name": "Indre By", "level": "bydel"}
    n_rings = 0
    for feature in fc["features"]:
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for rings in polygons:
            exterior, *holes = (shapely.LinearRing(r) for r in rings)
            assert not exterior.is_ccw
            assert all(h.is_ccw for h in holes)
            n_rings += 1 + len(holes)
            for ring in rings:
                xy = np.asarray(ring)
                np.testing.assert_array_equal(xy, np.round(xy, 6))
    assert n_rings > 10
    assert json.loads(json.dumps(fc)) == fc  # plain JSON types only
    with pytest.raises(ValueError, match="CRS"):
        geo.to_plotly_geojson(simple.set_crs(None, allow_override=True))


# --------------------------------------------------------------------------- provenance


def test_sources_md_lists_every_data_file() -> None:
    data = ROOT / "data"
    text = (data / "SOURCES.md").read_text(encoding="utf-8")
    files = [p for p in data.rglob("*") if p.is_file() and p.name != "SOURCES.md"]
    assert files
    missing = [str(p.relative_to(data)) for p in files if p.name not in text]
    assert not missing, f"add provenance for {missing} to data/SOURCES.md"
