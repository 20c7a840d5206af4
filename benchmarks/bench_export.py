"""Export of the seeded store in every download format, and the API's latency.

The store is the shipped seed (``keob db upgrade`` + ``keob seed``) in a temporary SQLite
file. The full export is the indicator table at the base level (every rode, indicator
and year after disclosure control: 64,493 rows x 12 columns; quick mode: the 67
kvarterer), produced once by ``indicators.services.export.indicator_export_frame`` and then
written by ``indicators.formats`` in each format to memory. The floor is
``DataFrame.to_csv`` of the same frame to memory. Notes give rows/s and the file size.
The geo formats write every area with its full-resolution geometry (999 areas); their
floor is ``GeoDataFrame.to_json()``.

API latency: Flask's test client against the real app (``app.server``), warm caches,
N = 200 requests (quick: 40) of a typical area-profile query,
``/api/v1/indicators.json?area=ub-alle`` (every indicator and year of the udsatte
byområder combined), and of the Data page's default CSV
(``/api/v1/indicators.csv?level=udsat_byomraade``), plus a 304 revalidation. The
median is p50; p95 is in the notes. Their floor is the same table written by
``indicators.formats`` without HTTP (export frame from the warm cache + writer).
"""

from __future__ import annotations

import io
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.harness import Result, compare, median_seconds

FORMATS = ("csv", "csv-da", "json", "xlsx", "parquet")
GEO_FORMATS = ("geojson", "gpkg", "parquet")


def _seeded_store(workdir: Path) -> str:
    from db import migrate
    from db.engine import make_engine
    from keob.seed import seed

    url = f"sqlite:///{workdir / 'keob.sqlite'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    seed(engine)
    engine.dispose()
    return url


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _latency(client, url: str, n: int, headers: dict | None = None) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url, headers=headers or {})
        response.get_data()
        times.append(time.perf_counter() - start)
        assert response.status_code in (200, 304), (url, response.status_code)
    return times


def run(quick: bool = False) -> list[Result]:
    workdir = Path(tempfile.mkdtemp(prefix="keob-bench-export-"))
    previous = os.environ.get("DATABASE_URL")
    started = time.perf_counter()
    url = _seeded_store(workdir)
    os.environ["DATABASE_URL"] = url
    try:
        return _run(quick, time.perf_counter() - started)
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous
        for path in workdir.glob("*"):
            path.unlink()
        workdir.rmdir()


def _run(quick: bool, seed_seconds: float) -> list[Result]:
    from dashboard import api, data
    from indicators import formats

    data.reset()
    api.forget_store_state()
    level = "kvarter" if quick else "rode"
    started = time.perf_counter()
    frame = api.indicator_frame(level)  # also computes the joint disclosure pattern
    first = time.perf_counter() - started
    rows = len(frame)
    prov = formats.Provenance(
        dataset="indicators",
        data_version=data.data_version(),
        extracted_at=datetime.now(UTC),
        sources=(formats.Source("Københavns Kommune", "CC BY 4.0"),),
        attribution="Indeholder data fra Københavns Kommune (CC BY 4.0).",
        synthetic=True,
    )

    def floor() -> None:
        frame.to_csv(io.StringIO(), index=False)

    results: list[Result] = []
    repeat = 3
    for fmt in FORMATS:
        size = len(formats.write_bytes(frame, fmt, prov))
        result = compare(
            f"export {rows:,} indicator rows as {fmt}",
            lambda fmt=fmt: sum(len(c) for c in formats.write(frame, fmt, prov)),
            "DataFrame.to_csv (same frame, to memory)",
            floor,
            repeat=repeat,
        )
        result.extra.update(
            {
                "rows/s": f"{rows / result.seconds:,.0f}",
                "size": f"{size / 1e6:.1f} MB",
            }
        )
        if fmt == "csv":
            result.extra["first request incl. disclosure"] = f"{first:.1f} s"
            result.extra["seed"] = f"{seed_seconds:.0f} s"
        results.append(result)

    geo = api.build_areas(api.Query(route=api.route("areas"), format="geojson")).frame
    for fmt in GEO_FORMATS:
        size = len(formats.write_bytes(geo, fmt, prov, name="areas"))
        result = compare(
            f"export {len(geo):,} areas with geometry as {fmt}",
            lambda fmt=fmt: sum(len(c) for c in formats.write(geo, fmt, prov, name="areas")),
            "GeoDataFrame.to_json() (same frame)",
            lambda: geo.to_json(),
            repeat=repeat,
        )
        result.extra.update(
            {"rows/s": f"{len(geo) / result.seconds:,.0f}", "size": f"{size / 1e6:.1f} MB"}
        )
        results.append(result)

    results.extend(_api_latency(quick, prov))
    return results


def _api_latency(quick: bool, prov) -> list[Result]:  # type: ignore[no-untyped-def]
    import app
    from dashboard import api
    from indicators import formats

    client = app.server.test_client()
    n = 40 if quick else 200
    cases = [
        (
            "API p50: area profile JSON (area=ub-alle, all indicators and years)",
            "/api/v1/indicators.json?area=ub-alle",
            "udsat_byomraade",
            "json",
        ),
        (
            "API p50: Data page default as CSV (level=udsat_byomraade)",
            "/api/v1/indicators.csv?level=udsat_byomraade",
            "udsat_byomraade",
            "csv",
        ),
    ]
    results = []
    for name, url, level, fmt in cases:
        _latency(client, url, 3)  # warm

        def direct(level: str = level, fmt: str = fmt, url: str = url) -> None:
            frame = api.indicator_frame(level)
            if "area=" in url:
                frame = frame[frame["area_code"] == "ub-alle"]
            b"".join(formats.write(frame, fmt, prov))

        floor = median_seconds(direct, repeat=max(5, n // 10))
        times = _latency(client, url, n)
        p50, p95 = statistics.median(times), _percentile(times, 0.95)
        results.append(
            Result(
                name,
                p50,
                "export frame + writer without HTTP",
                floor,
                n,
                {"p95": f"{p95 * 1000:.1f} ms", "N": str(n)},
            )
        )
    etag = client.get("/api/v1/indicators.json?area=ub-alle").headers["ETag"]
    times = _latency(client, "/api/v1/indicators.json?area=ub-alle", n, {"If-None-Match": etag})
    results.append(
        Result(
            "API p50: revalidation (If-None-Match -> 304)",
            statistics.median(times),
            "export frame + writer without HTTP",
            results[0].floor_seconds,
            n,
            {"p95": f"{_percentile(times, 0.95) * 1000:.1f} ms", "N": str(n)},
        )
    )
    return results


if __name__ == "__main__":  # pragma: no cover
    from benchmarks.harness import format_table

    print(format_table(run(quick=True)))
