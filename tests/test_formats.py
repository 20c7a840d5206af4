"""indicators.formats: each writer read back, formula neutralisation, provenance in files."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely

from indicators import formats
from indicators.export import write_csv

PROV = formats.Provenance(
    dataset="test",
    data_version="3-3-2026-01-01T00:00:00",
    extracted_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    sources=(formats.Source("Københavns Kommune", "CC BY 4.0", "Indeholder data fra KK"),),
    attribution="Indeholder data fra Københavns Kommune (CC BY 4.0).",
    synthetic=True,
    disclosure=("n < 5 undertrykt",),
    disclosure_applied=True,
    query={"level": "bydel", "area": ["B1", "B2"]},
    rows=3,
)


def indicator_like() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "area_code": ["B1", "B2", "B3"],
            "area_name": ["Indre By", "Østerbro", 'Nørrebro, "nord"'],
            "level": ["bydel"] * 3,
            "criterion": ["indkomst", "indkomst", "befolkning"],
            "year": [2020, 2021, 2022],
            "numerator": [16339.0, 12.25, np.nan],
            "denominator": [50301.0, 40.0, np.nan],
            "value": [32.5, -0.0, np.nan],
            "rest_of_city_value": [32.9, 30.0, 1.0],
            "city_value": [32.8, 30.1, 2.0],
            "gap": [-0.4, 2.0, np.nan],
            "synthetic": [True, False, True],
        }
    )
    frame.attrs["decimals"] = {"indkomst": 1, "befolkning": 0}
    return frame


# ----------------------------------------------------------------------------- CSV


def test_csv_is_write_csv_of_the_frame_even_in_chunks() -> None:
    frame = pd.concat([indicator_like()] * 9, ignore_index=True)
    frame.attrs["decimals"] = {"indkomst": 1, "befolkning": 0}
    whole = io.BytesIO()
    write_csv(frame, whole)
    chunks = list(formats.iter_csv(frame, chunk_rows=4))
    assert len(chunks) == 7
    assert b"".join(chunks) == whole.getvalue()
    assert b"".join(chunks).startswith(b"area_code,area_name,")
    assert b"\r\n" in chunks[0] and not whole.getvalue().startswith(b"\xef\xbb\xbf")


def test_csv_round_trip() -> None:
    frame = indicator_like()
    back = pd.read_csv(io.BytesIO(formats.csv_bytes(frame)), keep_default_na=True)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False, check_like=False)


def test_danish_csv_semicolon_decimal_comma_bom() -> None:
    data = formats.write_bytes(indicator_like(), "csv-da", PROV)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].startswith("area_code;area_name;level;")
    assert lines[1] == "B1;Indre By;bydel;indkomst;2020;16339;50301;32,5;32,9;32,8;-0,4;true"
    assert ";12,25;40;0,0;30,0;30,1;2,0;false" in lines[2]  # -0.0 printed as 0,0
    assert ';"Nørrebro, ""nord""";' in lines[3]
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    expected = indicator_like().assign(value=[32.5, 0.0, np.nan])
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)


@pytest.mark.parametrize("bad", ["=1+1", "+49", "-2+3", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK()"])
def test_formula_cells_are_neutralised_in_csv_and_xlsx(bad: str) -> None:
    frame = pd.DataFrame({"name": [bad, "ok", None], "value": [-1.5, 2.0, 3.0]})
    for fmt in ("csv", "csv-da"):
        data = formats.write_bytes(frame, fmt, PROV)
        sep = ";" if fmt == "csv-da" else ","
        back = pd.read_csv(
            io.BytesIO(data),
            sep=sep,
            decimal="," if sep == ";" else ".",
            encoding="utf-8-sig",
            keep_default_na=False,
        )
        assert back.loc[0, "name"] == "'" + bad, fmt
        assert back.loc[1, "name"] == "ok"
        assert float(back.loc[0, "value"]) == -1.5  # numbers are left alone
    book = openpyxl.load_workbook(io.BytesIO(formats.write_bytes(frame, "xlsx", PROV)))
    sheet = book["data"]
    # XML turns a lone CR into LF; what matters is the apostrophe in front.
    assert sheet["A2"].value == "'" + bad.replace("\r", "\n")
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -1.5
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_neutralise_leaves_clean_frames_alone() -> None:
    frame = indicator_like()
    assert formats.neutralise_formulas(frame) is frame


# ----------------------------------------------------------------------------- JSON, XLSX, Parquet


def test_json_rows_columns_and_provenance() -> None:
    doc = json.loads(formats.write_bytes(indicator_like(), "json", PROV))
    assert doc["columns"] == list(indicator_like().columns)
    assert doc["provenance"]["data_version"] == PROV.data_version
    assert doc["provenance"]["synthetic"] is True
    assert doc["provenance"]["disclosure_control"] == {
        "applied": True,
        "rules": ["n < 5 undertrykt"],
    }
    assert doc["provenance"]["sources"][0]["licence"] == "CC BY 4.0"
    assert doc["rows"][2]["value"] is None  # NaN -> null
    back = pd.DataFrame(doc["rows"], columns=doc["columns"])
    pd.testing.assert_frame_equal(back, indicator_like(), check_dtype=False)


def test_json_of_an_empty_frame_is_valid() -> None:
    doc = json.loads(formats.write_bytes(indicator_like().iloc[0:0], "json", PROV))
    assert doc["rows"] == [] and len(doc["columns"]) == 12


def test_json_datetimes_and_nullable_ints() -> None:
    frame = pd.DataFrame(
        {
            "when": pd.to_datetime(["2026-01-01T10:00:00Z", None], utc=True),
            "n": pd.array([1, None], dtype="Int64"),
        }
    )
    doc = json.loads(formats.write_bytes(frame, "json", PROV))
    assert doc["rows"] == [{"when": "2026-01-01T10:00:00+00:00", "n": 1}, {"when": None, "n": None}]


def test_xlsx_data_provenance_and_columns_sheets() -> None:
    data = formats.write_bytes(
        indicator_like(), "xlsx", PROV, name="indicators", column_notes={"value": "the value"}
    )
    back = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(back) == ["indicators", "provenance", "columns"]
    pd.testing.assert_frame_equal(back["indicators"], indicator_like(), check_dtype=False)
    prov = dict(zip(back["provenance"]["key"], back["provenance"]["value"], strict=True))
    assert prov["data_version"] == PROV.data_version
    assert prov["synthetic"] == "true"
    assert prov["source.1.licence"] == "CC BY 4.0"
    assert prov["disclosure_control.rule.1"] == "n < 5 undertrykt"
    assert prov["query.area"] == "B1, B2"
    notes = dict(zip(back["columns"]["column"], back["columns"]["description"], strict=True))
    assert notes["value"] == "the value"


def test_parquet_round_trip_with_provenance() -> None:
    data = formats.write_bytes(indicator_like(), "parquet", PROV)
    back = pd.read_parquet(io.BytesIO(data))
    pd.testing.assert_frame_equal(back, indicator_like(), check_dtype=False)
    assert formats.read_parquet_provenance(data)["dataset"] == "test"


# ----------------------------------------------------------------------------- geo


def geo_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"area_code": ["A", "B", "C"], "area_name": ["Å", "Ø", "=bad"], "n": [1, 2, 3]},
        geometry=[
            shapely.Polygon([(12.5, 55.6), (12.6, 55.6), (12.6, 55.7), (12.5, 55.6)]),
            shapely.MultiPolygon(
                [shapely.Polygon([(12.1234567891234, 55.1), (12.2, 55.1), (12.2, 55.2)])]
            ),
            None,
        ],
        crs="EPSG:4326",
    )


def test_geojson_feature_collection_round_trip() -> None:
    data = formats.write_bytes(geo_frame(), "geojson", PROV)
    doc = json.loads(data)
    assert doc["type"] == "FeatureCollection"
    assert doc["provenance"]["dataset"] == "test"
    assert doc["features"][2]["geometry"] is None
    assert doc["features"][2]["properties"]["area_name"] == "=bad"  # not a spreadsheet format
    back = gpd.read_file(io.BytesIO(data), engine="pyogrio")
    assert back.crs.to_epsg() == 4326
    assert back["area_code"].tolist() == ["A", "B", "C"]
    original = geo_frame()
    for a, b in zip(back.geometry[:2], original.geometry[:2], strict=True):
        assert shapely.equals_exact(a, b, tolerance=0)


def test_geopackage_layers_and_metadata(tmp_path) -> None:
    path = tmp_path / "x.gpkg"
    path.write_bytes(formats.write_bytes(geo_frame(), "gpkg", PROV, name="areas"))
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == {"areas", "provenance"}
    back = gpd.read_file(path, layer="areas", engine="pyogrio")
    assert back["area_code"].tolist() == ["A", "B", "C"]
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[2] is None
    assert shapely.equals_exact(back.geometry.iloc[1], geo_frame().geometry.iloc[1], tolerance=0)
    prov = pyogrio.read_dataframe(path, layer="provenance")
    assert dict(zip(prov["key"], prov["value"], strict=True))["dataset"] == "test"
    meta = pyogrio.read_info(path, layer="areas")["dataset_metadata"]
    assert json.loads(meta["KEOB_PROVENANCE"])["data_version"] == PROV.data_version
    assert not list(tmp_path.glob("keob-*.gpkg"))


def test_geoparquet_round_trip() -> None:
    data = formats.write_bytes(geo_frame(), "parquet", PROV)
    back = gpd.read_parquet(io.BytesIO(data))
    assert back.crs.to_epsg() == 4326
    assert back["area_code"].tolist() == ["A", "B", "C"]
    assert shapely.equals_exact(back.geometry.iloc[0], geo_frame().geometry.iloc[0], tolerance=0)
    assert b"geo" in pq.read_schema(io.BytesIO(data)).metadata
    assert formats.read_parquet_provenance(data)["synthetic"] is True


def test_geo_formats_insist_on_wgs84() -> None:
    with pytest.raises(ValueError, match="EPSG:4326"):
        formats.write_bytes(geo_frame().to_crs(25832), "geojson", PROV)
    with pytest.raises(TypeError):
        formats.write_bytes(pd.DataFrame({"a": [1]}), "gpkg", PROV)


def test_tabular_formats_drop_geometry() -> None:
    data = formats.write_bytes(geo_frame(), "csv", PROV)
    assert data.splitlines()[0] == b"area_code,area_name,n"


# ----------------------------------------------------------------------------- misc


def test_file_names() -> None:
    assert formats.file_name("keob-indicators", "csv") == "keob-indicators.csv"
    assert formats.file_name("keob-indicators", "csv-da") == "keob-indicators-da.csv"
    assert formats.file_name("keob-areas", "gpkg") == "keob-areas.gpkg"


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        formats.write_bytes(indicator_like(), "dbf", PROV)


def test_provenance_rows_are_flat_text() -> None:
    rows = PROV.to_rows()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in rows)
    keys = [k for k, _ in rows]
    for key in ("data_version", "extracted_at", "synthetic", "attribution", "source.1.name"):
        assert key in keys
