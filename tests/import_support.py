"""Helpers for the import, export and designation tests: a small store and snapshots."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import shapely
from click.testing import CliRunner, Result
from sqlalchemy import Engine, MetaData, select

from db import migrate, store
from db.engine import make_engine
from indicators.registry import load_registry

BAD = Path(__file__).resolve().parent / "data" / "bad"
STATBANK = Path(__file__).resolve().parent / "data" / "statbank"
MAPPING = (
    Path(__file__).resolve().parent.parent / "data" / "mappings" / "kk_statistikbank_example.yaml"
)

RODER = ["R1", "R2", "R3", "R4"]
BYDELE = [f"B{i}" for i in range(1, 11)]
KVARTERER = [f"K2040{i}" for i in range(1, 6)]


def rode_square(i: int) -> shapely.Polygon:
    """Rode i (1-based) as a 0.01 x 0.01 degree square in Copenhagen, side by side."""
    x = 12.50 + 0.01 * (i - 1)
    return shapely.box(x, 55.65, x + 0.01, 55.66)


def make_store(url: str) -> Engine:
    """Migrate ``url`` and load roder R1-R4 (geometry), B1-B10, K20401-K20405, kbh.

    Memberships, vintage 2021: kbh = R1-R4, B3 = R1+R2, B5 = R3+R4.
    """
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        store.sync_indicators(conn, [vars(i) for i in load_registry().values()])
        batch = store.create_batch(conn, kind="areas", file_name="fixture", checksum="fixture")
        rows = [
            {
                "code": c,
                "name": f"Rode {c[1:]}",
                "level": "rode",
                "geometry_wkb": shapely.to_wkb(rode_square(i)),
            }
            for i, c in enumerate(RODER, start=1)
        ]
        rows += [
            {"code": c, "name": f"Bydel {c}", "level": "bydel", "geometry_wkb": None}
            for c in BYDELE
        ]
        rows += [
            {"code": c, "name": f"Kvarter {c}", "level": "kvarter", "geometry_wkb": None}
            for c in KVARTERER
        ]
        rows.append({"code": "kbh", "name": "København", "level": "city", "geometry_wkb": None})
        store.upsert_areas(conn, pd.DataFrame(rows), batch)
        membership = pd.DataFrame(
            [("kbh", r) for r in RODER] + [("B3", "R1"), ("B3", "R2"), ("B5", "R3"), ("B5", "R4")],
            columns=["aggregate_code", "member_code"],
        )
        store.replace_memberships(conn, membership, 2021, batch)
    return engine


_TABLES = (
    "load_batch",
    "area",
    "area_membership",
    "observation",
    "indicator",
    "state_list_membership",
    "area_version",
)


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table the importers touch, for "nothing changed" checks."""
    meta = MetaData()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PostGIS geometry type unknown to SQLAlchemy
        meta.reflect(engine, only=list(_TABLES))
    out = {}
    with engine.connect() as conn:
        for name in _TABLES:
            table = meta.tables[name]
            columns = [c for c in table.c if c.name != "geom"]
            rows = conn.execute(select(*columns)).all()
            out[name] = sorted(tuple(map(repr, r)) for r in rows)
    return out


def run_cli(url: str, *args: str, input: str | None = None) -> Result:
    """Run ``keob ARGS`` with DATABASE_URL=url; output holds stdout and stderr."""
    from keob.cli import main

    runner = CliRunner()
    return runner.invoke(
        main,
        list(args),
        env={"DATABASE_URL": url},
        input=input,
        catch_exceptions=False,
        prog_name="keob",
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
