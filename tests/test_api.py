"""The /api/v1 blueprint on the real app (Flask test client over a seeded store).

Round trips of every format against the store, disclosure control in every format,
problem details for bad input, caching, read-only methods, downloads and streaming.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
import test_api_support as support
from sqlalchemy import text

from db import store
from db.engine import make_engine
from indicators import formats
from indicators.export import EXPORT_COLUMNS, write_csv
from indicators.registry import load_registry, registry_frame
from indicators.services.export import indicator_export_frame

# Fixtures shared with the other API tests (one seeded store per session).
api_app = support.api_app
api_client = support.api_client
api_store = support.api_store
scratch_store = support.scratch_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TABULAR = ("csv", "csv-da", "xlsx", "json", "parquet")


# ----------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def monitor(api_store: str):
    from dashboard import data

    m = data.monitor()
    m.published_comparison("bydel")  # warm the joint disclosure pattern once
    return m


def read_table(data: bytes, fmt: str) -> pd.DataFrame:
    """Any tabular format back into a DataFrame, the way an analyst would read it."""
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(data), encoding="utf-8")
    if fmt == "csv-da":
        return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    if fmt == "xlsx":
        return pd.read_excel(io.BytesIO(data), sheet_name=0)
    if fmt == "json":
        doc = json.loads(data)
        return pd.DataFrame(doc["rows"], columns=doc["columns"])
    if fmt == "parquet":
        return pd.read_parquet(io.BytesIO(data))
    raise AssertionError(fmt)


def assert_table_equal(back: pd.DataFrame, expected: pd.DataFrame) -> None:
    back = back.reset_index(drop=True)
    expected = expected.reset_index(drop=True)
    assert list(back.columns) == list(expected.columns)
    assert len(back) == len(expected)
    for column in expected.columns:
        want, got = expected[column], back[column]
        if pd.api.types.is_bool_dtype(want):
            assert got.astype(bool).tolist() == want.tolist(), column
        elif pd.api.types.is_numeric_dtype(want):
            np.testing.assert_allclose(
                got.astype(float).to_numpy(),
                want.astype(float).to_numpy(),
                rtol=1e-12,
                equal_nan=True,
                err_msg=column,
            )
        else:
            assert got.fillna("").astype(str).tolist() == want.fillna("").astype(str).tolist(), (
                column
            )


def published_export(monitor, level: str, **kwargs) -> pd.DataFrame:
    """The export function's table (it reads the disclosure-protected figures)."""
    return indicator_export_frame(monitor, level, **kwargs)


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.get_data()[:500])
    return response


def file_digest(url: str) -> str:
    path = Path(url.removeprefix("sqlite:///"))
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- index


def test_index_lists_every_route(api_client) -> None:
    from dashboard.api import ROUTES

    doc = get(api_client, "/api/v1").get_json()
    assert [r["name"] for r in doc["routes"]] == [r.name for r in ROUTES]
    assert doc["openapi"] == "/api/v1/openapi.json"
    assert {r.name for r in ROUTES} >= {"indicators", "areas", "criteria", "batches"}


def test_openapi_is_generated_from_the_route_table(api_client) -> None:
    from dashboard.api import ROUTES

    doc = get(api_client, "/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for route in ROUTES:
        op = doc["paths"][f"/api/v1/{route.name}"]["get"]
        names = {p["name"] for p in op["parameters"]}
        assert set(route.params) <= names and "format" in names
        ext = doc["paths"][f"/api/v1/{route.name}.{{ext}}"]["get"]
        enum = next(p for p in ext["parameters"] if p["name"] == "ext")["schema"]["enum"]
        assert enum == list(route.formats)
        assert {"200", "304", "400", "404"} <= set(op["responses"])
    assert set(doc["paths"]) == {
        f"/api/v1/{r.name}{suffix}" for r in ROUTES for suffix in ("", ".{ext}")
    }


# ----------------------------------------------------------------------------- every format


def _route_formats():
    from dashboard.api import ROUTES

    return [(r.name, f) for r in ROUTES for f in r.formats]


@pytest.mark.parametrize(("name", "fmt"), _route_formats())
def test_every_route_answers_in_every_format(api_client, monitor, name: str, fmt: str) -> None:
    query = {"indicators": "?level=bydel&criterion=indkomst", "areas": "?level=bydel"}.get(name, "")
    by_ext = get(api_client, f"/api/v1/{name}.{fmt}{query}")
    sep = "&" if query else "?"
    by_param = get(api_client, f"/api/v1/{name}{query}{sep}format={fmt}")
    if by_ext.status_code == 503:
        return  # a route whose data module is not installed (tested separately)
    assert by_ext.mimetype == formats.FORMATS[fmt].media_type.split(";")[0]
    assert by_ext.headers["ETag"] == by_param.headers["ETag"]
    for header in ("X-KEOB-Data-Version", "X-KEOB-Synthetic", "X-KEOB-Extracted-At"):
        assert by_ext.headers[header]
    if fmt not in ("xlsx", "gpkg", "parquet"):  # those embed the extraction time
        a, b = by_ext.get_data(), by_param.get_data()
        if fmt in ("json", "geojson"):
            a, b = (json.loads(x) for x in (a, b))
            for doc in (a, b):
                doc["provenance"].pop("extracted_at")
        assert a == b


def test_default_format_is_json(api_client, monitor) -> None:
    response = get(api_client, "/api/v1/criteria")
    assert response.mimetype == "application/json"
    assert response.get_json()["provenance"]["dataset"] == "criteria"


# ----------------------------------------------------------------------------- one export function


def test_indicator_csv_is_the_export_function_bytes(api_client, monitor) -> None:
    url = (
        "/api/v1/indicators.csv?level=kvarter&criterion=indkomst,doemte&year_from=2012&year_to=2020"
    )
    api_bytes = get(api_client, url).get_data()
    frame = published_export(
        monitor, "kvarter", criteria=["indkomst", "doemte"], year_from=2012, year_to=2020
    )
    buf = io.BytesIO()
    write_csv(frame, buf)
    assert api_bytes == buf.getvalue()
    assert api_bytes.startswith(b"area_code,area_name,level,criterion,year,")


def test_data_page_download_and_api_give_identical_csv(api_client, monitor) -> None:
    """The same selection through the Data page's download callback and through the API."""
    from dashboard.views import data_table

    sent = data_table.download("bydel", ["indkomst", "sundhed"], [2010, 2020])
    app_bytes = (
        base64.b64decode(sent["content"]) if sent.get("base64") else sent["content"].encode()
    )
    api_bytes = get(
        api_client,
        "/api/v1/indicators.csv?level=bydel&criterion=indkomst&criterion=sundhed"
        "&year_from=2010&year_to=2020",
    ).get_data()
    assert app_bytes == api_bytes


# ----------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", TABULAR)
def test_indicators_round_trip(api_client, monitor, fmt: str) -> None:
    data = get(api_client, f"/api/v1/indicators.{fmt}?level=bydel").get_data()
    expected = published_export(monitor, "bydel")
    assert_table_equal(read_table(data, fmt), expected)


def test_rode_counts_equal_the_stored_observations(api_client, monitor, api_store) -> None:
    """At the base level the published counts are the store's current values (or empty)."""
    back = read_table(
        get(api_client, "/api/v1/indicators.parquet?level=rode").get_data(), "parquet"
    )
    stored = store.read_observations(make_engine(api_store), levels=["rode"])
    merged = back.merge(
        stored,
        left_on=["area_code", "criterion", "year"],
        right_on=["area_code", "indicator", "year"],
        suffixes=("", "_store"),
        how="left",
        validate="one_to_one",
    )
    shown = merged["numerator"].notna()
    assert shown.sum() > 0.5 * len(merged)
    np.testing.assert_allclose(
        merged.loc[shown, "numerator"], merged.loc[shown, "numerator_store"], rtol=1e-12
    )
    np.testing.assert_allclose(
        merged.loc[shown, "denominator"],
        merged.loc[shown, "denominator_store"],
        rtol=1e-12,
    )
    assert (merged["synthetic"] == merged["synthetic_store"]).all()


@pytest.mark.parametrize("fmt", TABULAR)
def test_criteria_round_trip(api_client, fmt: str) -> None:
    data = get(api_client, f"/api/v1/criteria.{fmt}").get_data()
    expected = registry_frame().rename(columns={"code": "criterion"})
    from dashboard.api import CRITERIA_COLUMNS

    assert_table_equal(read_table(data, fmt), expected[[c.name for c in CRITERIA_COLUMNS]])


@pytest.mark.parametrize("fmt", TABULAR)
def test_batches_round_trip(api_client, api_store, fmt: str) -> None:
    back = read_table(get(api_client, f"/api/v1/batches.{fmt}").get_data(), fmt)
    stored = store.read_batches(make_engine(api_store))
    assert back["batch_id"].tolist() == stored["id"].tolist()
    assert back["checksum"].tolist() == stored["checksum"].tolist()
    assert back["file_name"].tolist() == stored["file_name"].tolist()
    assert back["rows_written"].tolist() == stored["rows_written"].tolist()
    when = pd.to_datetime(back["loaded_at"], utc=True)
    stored_when = pd.to_datetime(stored["loaded_at"]).dt.tz_localize(None).dt.tz_localize(UTC)
    assert (when == stored_when).all()
    assert "loaded_by" not in back.columns  # kept for audit, not published


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet"])
def test_area_geometry_round_trip(api_client, api_store, fmt: str, tmp_path) -> None:
    data = get(api_client, f"/api/v1/areas.{fmt}?level=kvarter").get_data()
    if fmt == "parquet":
        back = gpd.read_parquet(io.BytesIO(data))
    else:
        path = tmp_path / f"areas.{fmt}"
        path.write_bytes(data)
        back = gpd.read_file(path, engine="pyogrio", layer="areas" if fmt == "gpkg" else None)
    assert back.crs.to_epsg() == 4326
    stored = store.read_areas(make_engine(api_store), levels=["kvarter"], with_geometry=True)
    assert back["area_code"].tolist() == stored["code"].tolist()
    assert back["area_name"].tolist() == stored["name"].tolist()
    geoms = shapely.from_wkb(stored["geometry_wkb"].to_numpy())
    if fmt == "gpkg":  # one geometry type per layer: polygons are written as multipolygons
        geoms = [shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in geoms]
    for got, want in zip(back.geometry, geoms, strict=True):
        assert shapely.equals_exact(got, want, tolerance=0)


@pytest.mark.parametrize("fmt", TABULAR)
def test_area_table_round_trip(api_client, api_store, fmt: str) -> None:
    back = read_table(get(api_client, f"/api/v1/areas.{fmt}").get_data(), fmt)
    stored = store.read_areas(make_engine(api_store))
    expected = stored.rename(columns={"code": "area_code", "name": "area_name"})
    order = {
        lv: i
        for i, lv in enumerate(
            ["rode", "kvarter", "bydel", "lokaludvalg", "udsat_byomraade", "boligomraade", "city"]
        )
    }
    expected = expected.sort_values(
        ["level", "area_code"], key=lambda s: s.map(order) if s.name == "level" else s
    )
    if fmt == "parquet":
        back = back.drop(columns="geometry")
    assert_table_equal(back, expected[["area_code", "area_name", "level"]])


# ----------------------------------------------------------------------------- disclosure


@pytest.mark.parametrize("level", ["rode", "kvarter", "udsat_byomraade"])
def test_no_format_exposes_a_suppressed_cell(api_client, monitor, level: str) -> None:
    published = monitor.published_comparison(level)
    sensitive = ["doemte", "boernefattigdom", "tryghed"]
    published = published[published["indicator"].isin(sensitive)]
    key = ["area_code", "indicator", "year"]
    area = published.loc[published["suppressed"], key]
    rest = published.loc[published["rest_suppressed"], key]
    city = published.loc[published["city_suppressed"], key]
    if level == "rode":
        assert len(area) > 100, "the seeded store should have suppressed rode cells"
    raw = monitor.comparison(level)
    raw = raw[raw["indicator"].isin(sensitive)].set_index(key)
    for fmt in TABULAR:
        url = f"/api/v1/indicators.{fmt}?level={level}&criterion={','.join(sensitive)}"
        back = read_table(get(api_client, url).get_data(), fmt)
        back = back.rename(columns={"criterion": "indicator"}).set_index(key)
        assert len(back) == len(published)
        for cells, columns in (
            (area, ["numerator", "denominator", "value", "gap"]),
            (rest, ["rest_of_city_value", "gap"]),
            (city, ["city_value"]),
        ):
            if cells.empty:
                continue
            rows = back.loc[pd.MultiIndex.from_frame(cells)]
            for column in columns:
                assert rows[column].isna().all(), (fmt, level, column)
        # and the raw (unprotected) value of a suppressed cell appears nowhere in its row
        if not area.empty:
            hidden = raw.loc[pd.MultiIndex.from_frame(area), "numerator"]
            rows = back.loc[pd.MultiIndex.from_frame(area)]
            assert not (rows["numerator"].to_numpy() == hidden.to_numpy()).any()


def test_provenance_names_the_disclosure_rules(api_client, monitor) -> None:
    doc = get(api_client, "/api/v1/indicators?level=bydel&criterion=doemte").get_json()
    control = doc["provenance"]["disclosure_control"]
    assert control["applied"] is True
    assert any("Secondary suppression" in rule for rule in control["rules"])
    response = get(api_client, "/api/v1/indicators.csv?level=bydel&criterion=doemte")
    assert response.headers["X-KEOB-Disclosure-Control"].startswith("applied;")


# ----------------------------------------------------------------------------- provenance


def test_provenance_in_every_file(api_client, monitor, api_store, tmp_path) -> None:
    version = store.data_version(make_engine(api_store))
    base = "/api/v1/indicators.{}?level=udsat_byomraade&criterion=indkomst"
    doc = get(api_client, base.format("json")).get_json()["provenance"]
    assert doc["data_version"] == version
    assert doc["synthetic"] is True and doc["synthetic_note"]
    assert doc["extracted_at"] and doc["last_modified"]
    assert "CC BY 4.0" in {s["licence"] for s in doc["sources"]}
    assert "Københavns Kommune" in doc["attribution"]
    assert doc["query"] == {"level": "udsat_byomraade", "criterion": ["indkomst"]}
    book = openpyxl.load_workbook(io.BytesIO(get(api_client, base.format("xlsx")).get_data()))
    sheet = {row[0]: row[1] for row in book["provenance"].iter_rows(values_only=True)}
    assert sheet["data_version"] == version and sheet["synthetic"] == "true"
    parquet = get(api_client, base.format("parquet")).get_data()
    assert formats.read_parquet_provenance(parquet)["data_version"] == version
    geo = get(api_client, "/api/v1/areas.geojson?level=bydel").get_json()
    assert geo["provenance"]["sources"][0]["licence"] == "CC BY 4.0"
    csv = get(api_client, base.format("csv"))
    assert csv.headers["X-KEOB-Data-Version"] == version
    assert csv.headers["X-KEOB-Synthetic"] == "true"
    assert "CC BY 4.0" in csv.headers["X-KEOB-Licence"]


# ----------------------------------------------------------------------------- bad input


BAD = [
    ("/api/v1/indicators?level=parish", "level"),
    ("/api/v1/indicators?level=bydel&level=rode", "level"),
    ("/api/v1/indicators?year_from=twenty", "year_from"),
    ("/api/v1/indicators?year_from=1200", "year_from"),
    ("/api/v1/indicators?year_to=2020.5", "year_to"),
    ("/api/v1/indicators?year_from=2020&year_to=2010", "year_to"),
    ("/api/v1/indicators?as_of=yesterday", "as_of"),
    ("/api/v1/indicators?as_of=2025-13-01", "as_of"),
    ("/api/v1/indicators?format=docx", "format"),
    ("/api/v1/indicators.csv?format=json", "format"),
    ("/api/v1/indicators?area=%3Cscript%3E", "area"),
    ("/api/v1/indicators?criterion=Bad%20Code", "criterion"),
    ("/api/v1/indicators?gap=maybe", "gap"),
    ("/api/v1/indicators?_dl=please", "_dl"),
    ("/api/v1/indicators?colour=red", "colour"),
    ("/api/v1/indicators?level=bydel&area=R1", "area"),
    ("/api/v1/criteria?level=bydel", "level"),
    ("/api/v1/batches?year_from=2020", "year_from"),
    ("/api/v1/areas?format=xlsx&format=csv", "format"),
]


@pytest.mark.parametrize(("url", "name"), BAD)
def test_bad_parameters_get_problem_details(api_client, monitor, url: str, name: str) -> None:
    response = get(api_client, url, 400)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == 400
    assert body["instance"].startswith(url.split("?")[0])
    assert name in {p["name"] for p in body["invalid_params"]}
    reason = next(p["reason"] for p in body["invalid_params"] if p["name"] == name)
    assert reason  # says what was expected
    assert response.headers["Cache-Control"] == "no-store"


def test_every_problem_is_reported_at_once(api_client) -> None:
    body = get(api_client, "/api/v1/indicators?level=x&year_from=y&as_of=z", 400).get_json()
    assert {p["name"] for p in body["invalid_params"]} == {"level", "year_from", "as_of"}


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/indicators?area=R99999", "area"),
        ("/api/v1/indicators?area=B3&area=nowhere", "area"),
        ("/api/v1/indicators?criterion=happiness", "criterion"),
        ("/api/v1/areas?area=Z1", "area"),
        ("/api/v1/criteria?criterion=happiness", "criterion"),
    ],
)
def test_unknown_areas_and_criteria_are_404(api_client, url: str, name: str) -> None:
    response = get(api_client, url, 404)
    body = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert body["status"] == 404 and name in {p["name"] for p in body["invalid_params"]}


@pytest.mark.parametrize(
    "url", ["/api/v1/nothing", "/api/v1/indicators.docx", "/api/v1/criteria.geojson", "/api/v2/x"]
)
def test_unknown_routes_and_extensions_are_404(api_client, url: str) -> None:
    response = api_client.get(url)
    if url.startswith("/api/v2"):
        return  # outside the API prefix: the app's own 404 page
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


# ----------------------------------------------------------------------------- read-only


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(api_client, api_store, monitor, method: str) -> None:
    from dashboard.api import ROUTES

    before = (file_digest(api_store), store.data_version(make_engine(api_store)))
    for r in ROUTES:
        for path in (f"/api/v1/{r.name}", f"/api/v1/{r.name}.csv"):
            response = getattr(api_client, method)(path, data=b"area_code=R1", json=None)
            assert response.status_code == 405, (method, path)
            assert "GET" in response.headers["Allow"]
            assert response.get_json()["status"] == 405
    after = (file_digest(api_store), store.data_version(make_engine(api_store)))
    assert before == after


def test_head_gives_headers_without_body(api_client, monitor) -> None:
    head = api_client.head("/api/v1/criteria.csv")
    full = get(api_client, "/api/v1/criteria.csv")
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["ETag"] == full.headers["ETag"]


# ----------------------------------------------------------------------------- caching


def test_etag_and_conditional_requests(api_client, monitor) -> None:
    url = "/api/v1/indicators.csv?level=bydel&criterion=indkomst"
    first = get(api_client, url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and first.headers["Cache-Control"].startswith("public")
    assert get(api_client, url).headers["ETag"] == etag  # stable
    assert get(api_client, url.replace("indkomst", "sundhed")).headers["ETag"] != etag
    assert get(api_client, url.replace(".csv", ".json")).headers["ETag"] != etag
    # parameter order and comma/repeat spelling do not matter
    same = get(api_client, "/api/v1/indicators.csv?criterion=indkomst&level=bydel")
    assert same.headers["ETag"] == etag
    not_modified = api_client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.get_data() == b""
    assert not_modified.headers["ETag"] == etag
    assert api_client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert api_client.get(url, headers={"If-Modified-Since": modified}).status_code == 304


def test_etag_changes_with_the_data_version(api_client, scratch_store) -> None:
    url = "/api/v1/batches.csv"
    before = get(api_client, url)
    engine = make_engine(scratch_store)
    with engine.begin() as conn:
        store.create_batch(
            conn,
            kind="test",
            file_name="x.csv",
            checksum="0" * 64,
            loaded_at=datetime.now(UTC) + timedelta(seconds=5),
        )
    engine.dispose()
    after = api_client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.get_data().count(b"\r\n") == before.get_data().count(b"\r\n") + 1


# ----------------------------------------------------------------------------- downloads, streams


def test_dl_adds_an_attachment_header(api_client, monitor) -> None:
    plain = get(api_client, "/api/v1/indicators.csv-da?level=bydel&criterion=indkomst")
    assert "Content-Disposition" not in plain.headers
    dl = get(api_client, "/api/v1/indicators.csv-da?level=bydel&criterion=indkomst&_dl=1")
    assert dl.headers["Content-Disposition"] == (
        'attachment; filename="keob-indicators-bydel-da.csv"'
    )
    areas = get(api_client, "/api/v1/areas.gpkg?level=bydel&_dl=true")
    assert areas.headers["Content-Disposition"] == 'attachment; filename="keob-areas-bydel.gpkg"'


def test_csv_and_json_stream_in_chunks(api_client, monitor) -> None:
    for fmt in ("csv", "json", "csv-da"):
        response = api_client.get(f"/api/v1/indicators.{fmt}?level=rode", buffered=False)
        assert response.is_streamed
        chunks = list(response.response)
        assert len(chunks) > 5, fmt
        response.close()


def test_streaming_memory_is_bounded(monitor) -> None:
    """Serialising CSV/JSON allocates a bounded amount: no more for 4x the rows."""
    frame = published_export(monitor, "rode", criteria=["indkomst", "uddannelse", "doemte"])
    quarter = frame.iloc[: len(frame) // 4].copy()
    quarter.attrs = dict(frame.attrs)
    prov = formats.Provenance("t", "v", datetime.now(UTC), (), "", True)

    def peak_and_size(table: pd.DataFrame, fmt: str) -> tuple[int, int]:
        tracemalloc.start()
        size = sum(len(chunk) for chunk in formats.write(table, fmt, prov))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak, size

    for fmt in ("csv", "json"):
        peak, size = peak_and_size(frame, fmt)
        small_peak, small_size = peak_and_size(quarter, fmt)
        assert size > 1_000_000 and size > 3.5 * small_size
        assert peak < 4_000_000, (fmt, peak, size)  # a few 2,000-row chunks, whatever the size
        assert peak < 1.5 * small_peak + 200_000, (fmt, peak, small_peak)


# ----------------------------------------------------------------------------- queries


def test_area_filter_infers_levels_and_keeps_order(api_client, monitor) -> None:
    doc = get(api_client, "/api/v1/indicators?area=B3,ub-alle&criterion=indkomst").get_json()
    rows = pd.DataFrame(doc["rows"])
    assert set(rows["area_code"]) == {"B3", "ub-alle"}
    assert set(rows["level"]) == {"bydel", "udsat_byomraade"}
    expected = published_export(monitor, "bydel", criteria=["indkomst"])
    expected = expected[expected["area_code"] == "B3"]
    assert_table_equal(rows[rows["area_code"] == "B3"][EXPORT_COLUMNS], expected)


def test_optional_comparison_columns(api_client, monitor) -> None:
    url = "/api/v1/indicators.csv?level=bydel&criterion=indkomst&rest_of_city=false&city=0"
    header = get(api_client, url).get_data().split(b"\r\n")[0].decode().split(",")
    assert "rest_of_city_value" not in header and "city_value" not in header
    assert "gap" in header
    doc = get(api_client, url.replace(".csv", ".json") + "&gap=no").get_json()
    assert "gap" not in doc["columns"] and "gap" not in doc["rows"][0]


def test_years_filter(api_client, monitor) -> None:
    doc = get(api_client, "/api/v1/indicators?level=bydel&year_from=2015&year_to=2016").get_json()
    assert {r["year"] for r in doc["rows"]} == {2015, 2016}


def test_as_of_reproduces_what_the_store_held(api_client, monitor, api_store) -> None:
    batches = store.read_batches(make_engine(api_store))
    stamps = pd.to_datetime(batches["loaded_at"]).dt.tz_localize(None)
    real = batches.index[batches["file_name"].str.contains("socio")][0]
    between = (stamps[real] + (stamps[real + 1] - stamps[real]) / 2).isoformat() + "Z"
    url = "/api/v1/indicators?level=bydel&criterion=indkomst"
    doc = get(api_client, f"{url}&as_of={between}").get_json()
    rows = pd.DataFrame(doc["rows"])
    assert not rows.empty and not rows["synthetic"].any()  # only the real series then
    assert rows["year"].max() <= 2014
    before = get(api_client, f"{url}&as_of=2001-01-01", 404).get_json()
    assert "the store held nothing before" in before["detail"]
    assert [p["name"] for p in before["invalid_params"]] == ["as_of"]
    now = get(api_client, f"{url}&as_of=2999-01-01").get_json()
    current = get(api_client, url).get_json()
    assert now["rows"] == current["rows"]
    batch_doc = get(api_client, f"/api/v1/batches?as_of={between}").get_json()
    assert len(batch_doc["rows"]) == real + 1


def test_formula_injection_is_neutralised_through_the_api(api_client, scratch_store) -> None:
    engine = make_engine(scratch_store)
    with engine.begin() as conn:
        conn.execute(text("UPDATE area SET name = '=HYPERLINK(\"http://x\")' WHERE code = 'B3'"))
        conn.execute(text("UPDATE area SET name = '-Nørrebro' WHERE code = 'B4'"))
    engine.dispose()
    from dashboard import data

    data.reset()
    for fmt in ("csv", "csv-da", "xlsx"):
        back = read_table(get(api_client, f"/api/v1/areas.{fmt}?level=bydel").get_data(), fmt)
        names = dict(zip(back["area_code"], back["area_name"], strict=True))
        assert names["B3"] == '\'=HYPERLINK("http://x")', fmt
        assert names["B4"] == "'-Nørrebro", fmt
    doc = get(api_client, "/api/v1/areas.json?level=bydel").get_json()
    assert {r["area_code"]: r["area_name"] for r in doc["rows"]}["B3"].startswith("=")


def test_routes_without_their_module_say_not_loaded(api_client, monkeypatch) -> None:
    from dashboard import api
    from dashboard.api import serving

    monkeypatch.setattr(serving, "_module_available", lambda module: False)
    for r in api.ROUTES:
        if r.module is None:
            continue
        response = get(api_client, f"/api/v1/{r.name}", 503)
        body = response.get_json()
        assert body["title"] == "Not loaded yet" and body["status"] == 503


def test_store_failure_is_a_503_not_a_500(api_client, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    from dashboard.api import serving

    def broken():
        raise OperationalError("SELECT 1", {}, Exception("gone"))

    monkeypatch.setattr(serving, "store_state", broken)
    response = get(api_client, "/api/v1/batches", 503)
    assert response.get_json()["title"] == "The store is unavailable"


def test_every_route_and_parameter_is_documented() -> None:
    from dashboard import api

    doc = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text("utf-8")
    for r in api.ROUTES:
        assert f"/api/v1/{r.name}" in doc, r.name
    for name in api.PARAMS:
        assert f"`{name}`" in doc, name
    for fmt in formats.FORMATS:
        assert f"`{fmt}`" in doc, fmt
    registry = load_registry()
    assert registry  # the criteria route serves the registry itself


# ----------------------------------------------------------------------------- later routes


@pytest.mark.parametrize("fmt", TABULAR)
def test_coverage_is_the_protected_coverage_indicators(api_client, monitor, fmt: str) -> None:
    from dashboard.api import coverage_codes

    codes = coverage_codes()
    assert codes, "the registry has coverage indicators"
    back = read_table(get(api_client, f"/api/v1/coverage.{fmt}?level=bydel").get_data(), fmt)
    expected = published_export(monitor, "bydel", criteria=codes)
    assert_table_equal(back, expected)
    assert len(back) > 0


def test_coverage_rejects_other_indicators(api_client) -> None:
    body = get(api_client, "/api/v1/coverage?criterion=indkomst", 404).get_json()
    assert body["invalid_params"][0]["name"] == "criterion"


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet"])
def test_facilities_round_trip(api_client, api_store, fmt: str, tmp_path) -> None:
    from db import facility_store

    data = get(api_client, f"/api/v1/facilities.{fmt}?kind=bibliotek,kulturhus").get_data()
    if fmt == "parquet":
        back = gpd.read_parquet(io.BytesIO(data))
    else:
        path = tmp_path / f"f.{fmt}"
        path.write_bytes(data)
        back = gpd.read_file(path, engine="pyogrio", layer="facilities" if fmt == "gpkg" else None)
    stored = facility_store.read_facilities(
        make_engine(api_store), kinds=["bibliotek", "kulturhus"]
    )
    assert back["facility_id"].tolist() == stored["id"].tolist()
    assert back["name"].tolist() == stored["name"].tolist()
    for got, wkb in zip(back.geometry, stored["geometry_wkb"], strict=True):
        want = shapely.from_wkb(wkb)
        assert shapely.equals(got, want) and shapely.equals_exact(
            shapely.get_parts(got)[0], shapely.get_parts(want)[0], tolerance=0
        )


def test_facilities_filter_by_area_and_kind(api_client, api_store) -> None:
    doc = get(api_client, "/api/v1/facilities.geojson?kind=legeplads&area=B3").get_json()
    area = store.read_areas(make_engine(api_store), levels=["bydel"], with_geometry=True)
    b3 = shapely.from_wkb(area.loc[area["code"] == "B3", "geometry_wkb"].iloc[0])
    assert doc["features"]
    for feature in doc["features"]:
        assert feature["properties"]["kind"] == "legeplads"
        assert shapely.intersects(shapely.from_geojson(json.dumps(feature["geometry"])), b3)
    get(api_client, "/api/v1/facilities?kind=zoo", 404)


def test_state_lists_are_the_classified_inputs(api_client, api_store) -> None:
    from db import state_list_inputs
    from indicators import state_lists as sl

    inputs = state_list_inputs.read_inputs(make_engine(api_store))
    expected = sl.classify(inputs.drop(columns=["revision", "batch_id"]))
    doc = get(api_client, "/api/v1/state-lists").get_json()
    back = pd.DataFrame(doc["rows"], columns=doc["columns"])
    assert back["area_id"].tolist() == expected["area_id"].tolist()
    assert back["category"].tolist() == expected["category"].tolist()
    assert back["risk_level"].tolist() == expected["risk_level"].tolist()
    assert back["udviklingsplan"].tolist() == expected["udviklingsplan"].tolist()
    assert back["criteria_met"].tolist() == expected["criteria_met"].tolist()
    assert back["udviklingsplan"].any()  # the demo history has former omdannelse areas
    parquet = read_table(get(api_client, "/api/v1/state-lists.parquet").get_data(), "parquet")
    assert_table_equal(parquet, expected.reset_index(drop=True))
    ub = expected["byomraade"].dropna().iloc[0]
    part = get(api_client, f"/api/v1/state-lists?area={ub}&year_from=2020").get_json()["rows"]
    assert part and all(r["byomraade"] == ub and r["year"] >= 2020 for r in part)


def test_initiatives_round_trip_and_area_filter(api_client, monitor) -> None:
    from indicators import initiatives as ini

    register = monitor.initiatives()
    expected = ini.csv_frame(register)
    for fmt in ("json", "csv", "xlsx"):
        back = read_table(get(api_client, f"/api/v1/initiatives.{fmt}").get_data(), fmt)
        assert back["id"].tolist() == expected["id"].tolist(), fmt
        assert back["title"].tolist() == expected["title"].tolist(), fmt
    running = ini.initiatives_for_area(register, "ub-alle", monitor.initiative_membership())
    doc = get(api_client, "/api/v1/initiatives?area=ub-alle").get_json()
    assert {r["id"] for r in doc["rows"]} == set(running["id"])
    doc = get(api_client, "/api/v1/initiatives?criterion=tryghed").get_json()
    assert doc["rows"] and all("tryghed" in r["criteria"] for r in doc["rows"])


def test_coverage_never_exposes_a_suppressed_cell(api_client, monitor) -> None:
    from dashboard.api import coverage_codes

    codes = coverage_codes()
    published = monitor.published_comparison("rode")
    published = published[published["indicator"].isin(codes)]
    key = ["area_code", "indicator", "year"]
    hidden = published.loc[published["suppressed"], key]
    for fmt in ("csv", "json"):
        back = read_table(get(api_client, f"/api/v1/coverage.{fmt}?level=rode").get_data(), fmt)
        back = back.rename(columns={"criterion": "indicator"}).set_index(key)
        assert len(back) == len(published)
        if not hidden.empty:
            rows = back.loc[pd.MultiIndex.from_frame(hidden)]
            assert rows[["numerator", "denominator", "value", "gap"]].isna().all().all()


@pytest.mark.parametrize(
    "value",
    ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "2025-02-30", "2025-06-30T25:00"],
)
def test_as_of_outside_the_calendar_is_a_400(api_client, value: str) -> None:
    from urllib.parse import quote

    body = get(api_client, f"/api/v1/batches?as_of={quote(value)}", 400).get_json()
    assert body["invalid_params"][0]["name"] == "as_of"


def test_helpers_for_the_app_give_the_api_bytes(api_client, monitor) -> None:
    from dashboard.api import indicator_csv, indicators_url

    url = indicators_url("bydel", ["indkomst", "doemte"], 2012, 2020)
    assert url == (
        "/api/v1/indicators.csv?level=bydel&criterion=indkomst,doemte&year_from=2012&year_to=2020"
    )
    assert indicator_csv("bydel", ["indkomst", "doemte"], 2012, 2020) == (
        get(api_client, url).get_data()
    )


def test_unknown_designation_vintage_is_404_not_other_areas(api_client, monitor) -> None:
    stored = monitor.vintages()
    url = "/api/v1/indicators?level=udsat_byomraade&criterion=indkomst"
    newest = get(api_client, f"{url}&vintage={max(stored)}").get_json()
    assert newest["rows"] == get(api_client, url).get_json()["rows"]
    body = get(api_client, f"{url}&vintage=2025", 404).get_json()
    listed = ", ".join(str(v) for v in stored)
    assert f"designation vintage 2025 is not stored; stored: {listed}" in body["detail"]
    assert [p["name"] for p in body["invalid_params"]] == ["vintage"]
    get(api_client, "/api/v1/coverage?vintage=2025", 404)
    bad = get(api_client, f"{url}&vintage=recent", 400).get_json()
    assert bad["invalid_params"][0]["name"] == "vintage"


def test_batch_times_are_copenhagen_with_offset_and_select_that_batch(
    api_client, api_store
) -> None:
    from urllib.parse import quote

    rows = get(api_client, "/api/v1/batches").get_json()["rows"]
    stored = store.read_batches(make_engine(api_store))
    middle = len(rows) // 2
    when = rows[middle]["loaded_at"]
    assert when[-6:] in ("+01:00", "+02:00") and "T" in when
    expected = pd.Timestamp(stored["loaded_at"].iloc[middle]).tz_localize(UTC)
    assert pd.Timestamp(when) == expected
    upto = get(api_client, f"/api/v1/batches?as_of={quote(when)}").get_json()["rows"]
    assert [r["batch_id"] for r in upto] == [r["batch_id"] for r in rows[: middle + 1]]


def test_naive_as_of_is_copenhagen_time(api_client, api_store) -> None:
    from urllib.parse import quote

    rows = get(api_client, "/api/v1/batches").get_json()["rows"]
    middle = len(rows) // 2
    # A load's Copenhagen wall-clock time without its offset selects exactly the loads up
    # to it (read as UTC it would be an hour or two later and select every later load).
    stored = store.read_batches(make_engine(api_store))["loaded_at"].iloc[middle]
    local = pd.Timestamp(stored).tz_localize(UTC).tz_convert("Europe/Copenhagen")
    naive = local.tz_localize(None).isoformat()
    upto = get(api_client, f"/api/v1/batches?as_of={quote(naive)}").get_json()["rows"]
    assert len(upto) == middle + 1 < len(rows)
