"""Load the shipped data into an empty store: real geography, real series, demo series."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely
from sqlalchemy import Engine

from db import store
from indicators import geography, synthetic
from indicators.importers import real_series
from indicators.registry import load_registry
from indicators.services.publish import publish
from keob.seed_coverage import seed_coverage
from keob.seed_initiatives import seed_initiatives
from keob.seed_state_lists import seed_state_lists

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
RODE_FILE = DATA_DIR / "boundaries" / "kk_rode_2023.geojson"
SOCIO_FILE = DATA_DIR / "statistics" / "kk_socio_roder_2008_2014.csv"
ALMENE_FILE = DATA_DIR / "boundaries" / "kk_almene_boliger_2025.geojson"

# The rode layer is KK's WFS state of April 2023; its udsatte byområder are the
# designation in force then, i.e. the 2021 designation (designations: 2017, 2021, 2025).
GEOGRAPHY_VINTAGE = 2021

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeedSummary:
    areas: int
    memberships: int
    real_rows: int
    synthetic_rows: int


def _with_wkb(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(frame[["code", "name", "level"]])
    out["geometry_wkb"] = [None if g is None else shapely.to_wkb(g) for g in frame.geometry]
    return out


def seed(engine: Engine, progress=None) -> SeedSummary:  # type: ignore[no-untyped-def]
    """Load everything the project ships, in one transaction."""
    step = progress or (lambda message: log.info(message))
    registry = load_registry()
    step("Læser geografi (roder, kvarterer, bydele, lokaludvalg, udsatte byområder)")
    roder = geography.load_roder(RODE_FILE)
    areas, membership = geography.derive_areas(roder)
    almene = geography.load_almene_boliger(ALMENE_FILE)
    step("Læser reelle rodetal 2008-2014")
    real = real_series.load_socio_roder(SOCIO_FILE, pd.DataFrame(roder.drop(columns="geometry")))
    step("Danner demodata (syntetiske) for de otte kriterier")
    demo = synthetic.generate_demo_series(pd.DataFrame(roder.drop(columns="geometry")), real)

    with engine.begin() as conn:
        store.sync_indicators(conn, [vars(i) for i in registry.values()])
        geo_batch = store.create_batch(
            conn,
            kind="areas",
            file_name=f"{RODE_FILE.name} + {ALMENE_FILE.name}",
            checksum=store.file_checksum(RODE_FILE),
            rows_in_file=len(areas) + len(almene),
            note="Rigtig geografi fra Københavns Kommune (CC BY 4.0)",
        )
        n_areas = store.upsert_areas(conn, _with_wkb(areas), geo_batch)
        n_areas += store.upsert_areas(conn, _with_wkb(almene), geo_batch)
        n_members = store.replace_memberships(conn, membership, GEOGRAPHY_VINTAGE, geo_batch)
        store.finish_batch(conn, geo_batch, written=n_areas + n_members, unchanged=0)

        step(f"Skriver {len(real):,} reelle observationer")
        real_batch = store.create_batch(
            conn,
            kind="indicators",
            file_name=SOCIO_FILE.name,
            checksum=store.file_checksum(SOCIO_FILE),
            rows_in_file=len(real),
            note="Reelle rodetal 2008-2014 (tællere afledt af andele x befolkning)",
        )
        result = store.write_observations(conn, real, real_batch)
        store.finish_batch(conn, real_batch, written=result.written, unchanged=result.unchanged)

        step(f"Skriver {len(demo):,} syntetiske observationer (demodata)")
        demo_batch = store.create_batch(
            conn,
            kind="synthetic",
            file_name="indicators/synthetic.py (generate_demo_series)",
            checksum=store.frame_checksum(demo),
            rows_in_file=len(demo),
            note="DEMODATA: syntetiske værdier, ikke officiel statistik (docs/demodata.md)",
        )
        demo_result = store.write_observations(conn, demo, demo_batch)
        store.finish_batch(
            conn, demo_batch, written=demo_result.written, unchanged=demo_result.unchanged
        )
    # Each of these loads in its own transaction; a failure leaves the observations above
    # in place and names the step (start again from an empty store).
    seed_initiatives(engine, progress=step)  # the action plan's initiatives register
    seed_state_lists(engine, progress=step)  # synthetic state-list inputs (demodata)
    seed_coverage(engine, progress=step)  # facilities, coverage and noise indicators
    step("Offentliggør de diskretionsbeskyttede tabeller (keob publish)")
    publish(engine)
    return SeedSummary(n_areas, n_members, result.written, demo_result.written)
