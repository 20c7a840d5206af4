"""A synthetic national-scale store for the publish benchmark (not real data).

Units -> districts (100 units each) -> municipalities (10 districts each) -> the
country, stored as the levels ``rode`` -> ``kvarter`` -> ``bydel`` -> ``city`` with one
membership vintage, and every unit observed on the 8 criteria for 20 years, generated
with numpy (the counts of ``benchmarks.bench_calculators.make_store``). 100,000 units
give the 16 M observations of a national publication; smaller ``units`` give a fraction
of it with the same shape.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sqlalchemy import Engine, insert

from benchmarks.bench_calculators import YEARS, make_store
from db.models import Area, AreaMembership
from db.store import area_ids, create_batch, sync_indicators
from indicators.registry import CRITERIA_CODES, load_registry

UNITS_PER_DISTRICT = 100
DISTRICTS_PER_MUNICIPALITY = 10
VINTAGE = 2021
_CHUNK = 100_000

__all__ = ["CRITERIA_CODES", "YEARS", "build", "hierarchy", "make"]


def hierarchy(units: int) -> dict[str, list[tuple[str, str]]]:
    """(aggregate, member) pairs per aggregate level, every member a unit."""
    codes = [f"u{i:06d}" for i in range(units)]
    district = [f"d{i // UNITS_PER_DISTRICT:04d}" for i in range(units)]
    per_municipality = UNITS_PER_DISTRICT * DISTRICTS_PER_MUNICIPALITY
    municipality = [f"m{i // per_municipality:03d}" for i in range(units)]
    return {
        "kvarter": list(zip(district, codes, strict=True)),
        "bydel": list(zip(municipality, codes, strict=True)),
        "city": [("kbh", code) for code in codes],
    }


def build(engine: Engine, units: int) -> int:
    """Fill a migrated, empty store with ``units`` x 20 years x 8 criteria; returns the
    number of observations written."""
    pairs = hierarchy(units)
    counts = make_store(units)
    with engine.begin() as conn:
        sync_indicators(conn, [vars(i) for i in load_registry().values()])
        batch = create_batch(
            conn, kind="indicators", file_name=f"national-{units}.csv", checksum=f"n{units}"
        )
        rows = [
            {"code": f"u{i:06d}", "name": f"Unit {i}", "level": "rode", "batch_id": batch}
            for i in range(units)
        ]
        for level, level_pairs in pairs.items():
            names = sorted({aggregate for aggregate, _ in level_pairs})
            rows += [
                {"code": c, "name": f"{level} {c}", "level": level, "batch_id": batch}
                for c in names
            ]
        conn.execute(insert(Area), rows)
        ids = area_ids(conn)
        conn.execute(
            insert(AreaMembership),
            [
                {"aggregate_id": ids[a], "member_id": ids[m], "vintage": VINTAGE, "batch_id": batch}
                for level_pairs in pairs.values()
                for a, m in level_pairs
            ],
        )
        unit_ids = np.array([ids[f"u{i:06d}"] for i in range(units)])
        area_id = unit_ids[counts["area_code"].cat.codes.to_numpy()].tolist()
        indicator = counts["indicator"].astype(str).tolist()
        year = counts["year"].astype(int).tolist()
        numerator = counts["numerator"].astype(float).tolist()
        denominator = counts["denominator"].astype(float).tolist()
        sql = (
            "INSERT INTO observation (area_id, indicator_code, year, numerator, denominator,"
            " revision, synthetic, batch_id) VALUES (?, ?, ?, ?, ?, 1, 1, ?)"
        )
        for start in range(0, len(counts), _CHUNK):
            stop = start + _CHUNK
            conn.exec_driver_sql(
                sql,
                [
                    (*row, batch)
                    for row in zip(
                        area_id[start:stop],
                        indicator[start:stop],
                        year[start:stop],
                        numerator[start:stop],
                        denominator[start:stop],
                        strict=True,
                    )
                ],
            )
    return len(counts)


def make(workdir: Path, units: int) -> Engine:
    """A migrated SQLite store in ``workdir`` holding the synthetic country."""
    from db import migrate
    from db.engine import make_engine

    url = f"sqlite:///{workdir / f'national-{units}.sqlite'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    build(engine, units)
    return engine
