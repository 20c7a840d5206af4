"""The read model the app, the CLI and the API share: store reads + calculators.

One ``Monitor`` per store. Base-unit observations are read once per data version and
kept per process (the store changes only through imports, which bump the version), so
callbacks filter in memory instead of querying.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
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


class UnknownVintageError(LookupError):
    """A designation vintage that the store holds no memberships for.

    Without this check a vintage that was never imported (2025 when only 2021 is stored)
    would silently give the newest earlier designation's areas.
    """

    def __init__(self, vintage: int, stored: Sequence[int]) -> None:
        self.vintage = vintage
        self.stored = list(stored)
        listed = ", ".join(str(v) for v in self.stored) or "none"
        super().__init__(f"designation vintage {vintage} is not stored; stored: {listed}")


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
        """Members per aggregate of ``vintage`` (default: the newest); raises
        :class:`UnknownVintageError` for a vintage that is not stored."""
        self.check_vintage(vintage)
        return self._cached(
            ("membership", vintage), lambda: store.read_membership(self.engine, vintage)
        )

    def vintages(self) -> list[int]:
        return self._cached(("vintages",), lambda: store.membership_vintages(self.engine))

    def check_vintage(self, vintage: int | None) -> None:
        """Raise :class:`UnknownVintageError` unless ``vintage`` is None or stored."""
        if vintage is not None and int(vintage) not in self.vintages():
            raise UnknownVintageError(int(vintage), self.vintages())

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
        self.check_vintage(vintage)

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

    # ------------------------------------------------------------------ initiatives
    def initiatives(self, vintage: str | None = None):  # type: ignore[no-untyped-def]
        """The action plan's register of ``vintage`` (default: the newest), or None."""
        from indicators import initiatives

        return self._cached(
            ("initiatives", vintage), lambda: initiatives.read_register(self.engine, vintage)
        )

    def initiative_membership(self) -> pd.DataFrame:
        """Membership plus boligafdeling → rode rows, for ``initiatives_for_area``."""
        from indicators import initiatives

        def build() -> pd.DataFrame:
            areas = store.read_areas(
                self.engine, levels=["rode", "boligomraade"], with_geometry=True
            )
            extra = initiatives.almene_rode_membership(areas)
            base = self.membership()[["aggregate_code", "member_code"]]
            return pd.concat([base, extra], ignore_index=True)

        return self._cached(("initiative_membership",), build)

    # ------------------------------------------------------------------ disclosure control
    def published_comparison(
        self,
        level: str,
        vintage: int | None = None,
        as_of: datetime | None = None,
    ) -> pd.DataFrame:
        """``comparison(level, vintage, as_of)`` after statistical disclosure control.

        The suppression pattern is computed once per data version over every level and
        every designation vintage together (``indicators.disclosure``), so no published
        figure can be subtracted from another to recover a suppressed one. Everything that
        is shown, downloaded or served should read this, not ``comparison``.
        """
        from indicators import disclosure

        def build() -> pd.DataFrame:
            joint = self._published_all(as_of).set_index(["definition", "indicator", "year"])
            frame = self.comparison(level, vintage, as_of)
            definition = frame["area_code"].map(self._definition_keys(level, vintage))
            index = pd.MultiIndex.from_arrays([definition, frame["indicator"], frame["year"]])
            protected = joint[~joint.index.duplicated()].reindex(index)
            out = frame.copy()
            for column in (*_PROTECTED, *_SDC_FLAGS):
                if column in protected.columns:
                    out[column] = protected[column].to_numpy()
            # A row the joint pattern does not cover is never published.
            uncovered = protected["suppressed"].isna().to_numpy()
            if uncovered.any():
                numeric = [c for c in _PROTECTED if c in out.columns and c != "direction"]
                out.loc[uncovered, numeric] = float("nan")
                out.loc[uncovered, ["suppressed", "rest_suppressed", "city_suppressed"]] = True
                out.loc[uncovered, ["suppression", "rest_suppression"]] = disclosure.SECONDARY
                out.loc[uncovered, "suppression_rule"] = "uncovered"
            for flag in ("suppressed", "rest_suppressed", "city_suppressed"):
                out[flag] = out[flag].astype(bool)
            if "direction" in out.columns:
                out["direction"] = out["direction"].fillna(0).astype(int)
            return out

        return self._cached(("published", level, vintage, as_of), build)

    def _definition_keys(self, level: str, vintage: int | None) -> dict[str, str]:
        """area_code → the key of its version (members of a vintage, or direct data)."""
        codes = list(self.areas([level])["code"])
        membership = self.membership(vintage)
        membership = membership[membership["aggregate_code"].isin(codes)]
        if level == BASE_LEVEL:
            return {c: c for c in codes}
        if membership.empty:
            return {c: f"{c}@direct" for c in codes}
        mv = membership.groupby("aggregate_code")["vintage"].max()
        return {c: f"{c}@{int(mv[c])}" if c in mv.index else f"{c}@direct" for c in codes}

    def _published_all(self, as_of: datetime | None = None) -> pd.DataFrame:
        """Every level and every vintage's version of each area, protected jointly."""
        from indicators import disclosure

        def build() -> pd.DataFrame:
            levels = [lv for lv in self.areas()["level"].unique() if lv != BASE_LEVEL]
            base = self.comparison(BASE_LEVEL, None, as_of)
            frames = [base.assign(definition=base["area_code"])]
            memberships = []
            for vintage in self.vintages() or [None]:
                membership = self.membership(vintage)
                memberships.append(
                    membership.assign(
                        definition=membership["aggregate_code"]
                        + "@"
                        + membership["vintage"].astype(int).astype(str)
                    )
                )
                for level in levels:
                    frame = self.comparison(level, vintage, as_of)
                    keys = self._definition_keys(level, vintage)
                    frames.append(frame.assign(definition=frame["area_code"].map(keys)))
            present = [f for f in frames if not f.empty]
            joint = pd.concat(present, ignore_index=True) if present else frames[0]
            joint = joint.drop_duplicates(["definition", "indicator", "year"])
            membership = (
                pd.concat(memberships, ignore_index=True)
                if memberships
                else pd.DataFrame(columns=["aggregate_code", "member_code", "definition"])
            )
            return disclosure.protect(
                joint, membership, registry=self.registry, base_level=BASE_LEVEL, key="definition"
            )

        return self._cached(("published_all", as_of), build)

    # ------------------------------------------------------------------ coverage
    def coverage_cells(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The resident cells and their precomputed distances (``db.facility_store``)."""
        from db import facility_store

        return self._cached(
            ("coverage_cells",), lambda: facility_store.read_coverage_cells(self.engine)
        )

    def coverage_run(self):  # type: ignore[no-untyped-def]
        """How the current cells were made (year, methods), or None before any compute."""
        from db import facility_store

        return self._cached(
            ("coverage_run",), lambda: facility_store.latest_coverage_run(self.engine)
        )

    def facilities(self) -> pd.DataFrame:
        """Every loaded facility with ``geometry_wkb`` (EPSG:4326)."""
        from db import facility_store

        return self._cached(("facilities",), lambda: facility_store.read_facilities(self.engine))


#: Columns ``published_comparison`` takes from the protected frame.
_PROTECTED = (
    "numerator",
    "denominator",
    "value",
    "rest_numerator",
    "rest_denominator",
    "rest_value",
    "city_numerator",
    "city_denominator",
    "city_value",
    "gap",
    "gap_ratio",
    "direction",
)
_SDC_FLAGS = (
    "suppressed",
    "suppression",
    "suppression_rule",
    "rest_suppressed",
    "rest_suppression",
    "city_suppressed",
)
