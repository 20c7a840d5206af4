"""The read model the app, the CLI and the API share: store reads + calculators.

One ``Monitor`` per store. Base-unit observations are read once per data version and
kept per process (the store changes only through imports, which bump the version), so
callbacks filter in memory instead of querying.
"""

from __future__ import annotations

import threading
from datetime import datetime
from functools import cached_property

import pandas as pd
from sqlalchemy import Engine

from db import store
from indicators import calculations as calc
from indicators.registry import Indicator, load_registry

BASE_LEVEL = "rode"
CITY_CODE = "kbh"
ALL_UDSATTE_CODE = "ub-alle"


class Monitor:
    """Computed views of one store, cached per data version."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._cache: dict[tuple, object] = {}
        self._version: str | None = None

    # ------------------------------------------------------------------ cache plumbing
    def data_version(self) -> str:
        return store.data_version(self.engine)

    def refresh(self) -> str:
        """Drop cached frames if the store changed; returns the current version."""
        version = self.data_version()
        with self._lock:
            if version != self._version:
                self._cache.clear()
                self._version = version
        return version

    def _cached(self, key: tuple, build):  # type: ignore[no-untyped-def]
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        value = build()
        with self._lock:
            self._cache[key] = value
        return value

    @cached_property
    def registry(self) -> dict[str, Indicator]:
        return load_registry()

    # ------------------------------------------------------------------ basic reads
    def areas(self, levels: list[str] | None = None) -> pd.DataFrame:
        key = ("areas", tuple(levels or ()))
        return self._cached(key, lambda: store.read_areas(self.engine, levels=levels))

    def area_geometries(self, level: str) -> pd.DataFrame:
        return self._cached(
            ("geometry", level),
            lambda: store.read_areas(self.engine, levels=[level], with_geometry=True),
        )

    def membership(self, vintage: int | None = None) -> pd.DataFrame:
        return self._cached(
            ("membership", vintage), lambda: store.read_membership(self.engine, vintage)
        )

    def vintages(self) -> list[int]:
        return self._cached(("vintages",), lambda: store.membership_vintages(self.engine))

    def base_observations(self, as_of: datetime | None = None) -> pd.DataFrame:
        """Current (or as-of) observations of the base units, all indicators and years."""
        return self._cached(
            ("base", as_of),
            lambda: store.read_observations(self.engine, levels=[BASE_LEVEL], as_of=as_of),
        )

    def direct_observations(self, level: str, as_of: datetime | None = None) -> pd.DataFrame:
        """Observations stored directly on areas of a non-base level (e.g. boligområder)."""
        return self._cached(
            ("direct", level, as_of),
            lambda: store.read_observations(self.engine, levels=[level], as_of=as_of),
        )

    def years(self) -> list[int]:
        obs = self.base_observations()
        return sorted(int(y) for y in obs["year"].unique())

    # ------------------------------------------------------------------ computed views
    def counts(
        self,
        level: str,
        vintage: int | None = None,
        as_of: datetime | None = None,
    ) -> pd.DataFrame:
        """Counts frame for every area of ``level``, summed from the base units."""

        def build() -> pd.DataFrame:
            base = self.base_observations(as_of)
            if level == BASE_LEVEL:
                out = base[["area_code", "indicator", "year", "numerator", "denominator"]].copy()
                out["synthetic"] = base["synthetic"].to_numpy()
                out["members_reporting"] = 1
                out["members_total"] = 1
                return out
            codes = set(self.areas([level])["code"])
            membership = self.membership(vintage)
            membership = membership[membership["aggregate_code"].isin(codes)]
            if membership.empty:
                direct = self.direct_observations(level, as_of)
                return direct.drop(columns=["source", "revision", "batch_id"], errors="ignore")
            return calc.aggregate_counts(base, membership)

        return self._cached(("counts", level, vintage, as_of), build)

    def city_counts(self, as_of: datetime | None = None) -> pd.DataFrame:
        return self.counts("city", as_of=as_of)

    def comparison(
        self,
        level: str,
        vintage: int | None = None,
        as_of: datetime | None = None,
    ) -> pd.DataFrame:
        """Every area of ``level`` against the rest of the city and the city, all years."""

        def build() -> pd.DataFrame:
            counts = self.counts(level, vintage, as_of)
            city = self.city_counts(as_of)
            out = calc.compare_with_rest(counts, city, self.registry)
            names = self.areas([level])[["code", "name"]].rename(
                columns={"code": "area_code", "name": "area_name"}
            )
            out = out.merge(names, on="area_code", how="left")
            out["level"] = level
            return out

        return self._cached(("comparison", level, vintage, as_of), build)

    def area_level(self, area_code: str) -> str | None:
        areas = self.areas()
        match = areas.loc[areas["code"] == area_code, "level"]
        return None if match.empty else str(match.iloc[0])

    def area_comparison(
        self, area_code: str, vintage: int | None = None, as_of: datetime | None = None
    ) -> pd.DataFrame:
        level = self.area_level(area_code)
        if level is None:
            raise KeyError(area_code)
        frame = self.comparison(level, vintage, as_of)
        return frame[frame["area_code"] == area_code].reset_index(drop=True)
