"""The read model the app, the CLI and the API share: store reads + calculators.

An application service (``indicators.services``): the one place where the calculators
meet the store. The dashboard reads everything through it (the areas, the protected
comparisons, the load batches, the coverage run and facilities, the classified state
lists, the initiatives register) and never imports ``db``; import-linter checks it.

One ``Monitor`` per store. Base-unit observations are read once per data version and
kept per process (the store changes only through imports, which bump the version), so
callbacks filter in memory instead of querying.

The disclosure-controlled tables (``published_comparison``, ``state_lists``) are *read*
from the store's current publication (``db.publications``; made once per data version by
``indicators.services.publish``), or for ``as_of`` from the publication made from the
data held then. Only without a usable publication (an old store, nothing published yet,
rules changed since) does a Monitor compute them itself, and it logs that it does. The
publisher's own Monitor (``read_publications=False``) always computes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime
from functools import cached_property

import pandas as pd
from sqlalchemy import Engine

from db import facility_store, publications, state_list_inputs, store
from db.models import AREA_LEVELS
from db.publications import PublicationInfo
from indicators import calculations as calc
from indicators.publication_rules import STATE_LISTS_FRAME, rules_checksum
from indicators.registry import Indicator, load_registry

__all__ = ["ALL_UDSATTE_CODE", "AREA_LEVELS", "BASE_LEVEL", "CITY_CODE", "Monitor"]

BASE_LEVEL = "rode"
CITY_CODE = "kbh"
ALL_UDSATTE_CODE = "ub-alle"

_LOG = logging.getLogger(__name__)


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

    def __init__(self, engine: Engine, *, read_publications: bool = True) -> None:
        self.engine = engine
        #: False for the publisher, which computes what it publishes.
        self.read_publications = read_publications
        self._lock = threading.Lock()
        self._cache: dict[tuple, object] = {}
        self._version: str | None = None
        self._publication: PublicationInfo | None = None
        self._served = ""

    # ------------------------------------------------------------------ cache plumbing
    def data_version(self) -> str:
        return store.data_version(self.engine)

    def refresh(self) -> str:
        """Drop cached frames if the store or its current publication changed; returns
        the version that keys caches and ETags: the store's data version, plus
        ``+p<id>`` unless the publication served is the first made from exactly it.
        """
        version = self.data_version()
        current = publications.current_publication(self.engine) if self.read_publications else None
        key = version if current is None else f"{version}+p{current.id}"
        with self._lock:
            if key != self._version:
                self._cache.clear()
                self._version = key
                self._publication = current
                # The store's version alone while its one publication is served; with
                # ``+p<id>`` while an older publication is served (an import's publish
                # pending or failed) or the data was published again (rules changed).
                self._served = key
                if (
                    current is not None
                    and current.data_version == version
                    and publications.first_of_its_version(self.engine, current)
                ):
                    self._served = version
            return self._served

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

    def batches(self) -> pd.DataFrame:
        """Every load batch (provenance: what, which file, when, how many rows)."""
        return self._cached(("batches",), lambda: store.read_batches(self.engine))

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
        from indicators.services import initiatives

        return self._cached(
            ("initiatives", vintage), lambda: initiatives.read_register(self.engine, vintage)
        )

    def initiative_vintages(self) -> list[str]:
        """The action-plan vintages the store holds a current load of, newest first."""
        from indicators.services import initiatives

        return self._cached(
            ("initiative_vintages",), lambda: initiatives.available_vintages(self.engine)
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

    # ------------------------------------------------------------------ state lists
    def state_lists(self, as_of: datetime | None = None) -> pd.DataFrame:
        """Every stored state-list input row (current or ``as_of``), classified under its
        list year's rules (``indicators.state_lists.classify``).

        The one classification the pages and the API share, read from the publication
        when there is one. An empty frame (no columns) when no inputs are stored; a store
        never upgraded to migration 0003 raises the store's error (callers decide whether
        that is "nothing" or "unavailable").
        """
        from indicators import state_lists

        found = self.publication(as_of)
        if found is not None:

            def read() -> pd.DataFrame:
                frame = publications.read_frame(self.engine, found, STATE_LISTS_FRAME)
                # Published without the frame: no inputs were stored then.
                return pd.DataFrame() if frame is None else frame

            return self._cached(("state_lists", as_of, found.id), read)

        def build() -> pd.DataFrame:
            inputs = state_list_inputs.read_inputs(self.engine, as_of=as_of)
            if inputs.empty:
                return pd.DataFrame()
            inputs = inputs.drop(columns=["revision", "batch_id"], errors="ignore")
            return state_lists.classify(inputs)

        return self._cached(("state_lists", as_of), build)

    # ------------------------------------------------------------------ disclosure control
    def publication(self, as_of: datetime | None = None) -> PublicationInfo | None:
        """The publication that answers reads now (or ``as_of`` a moment), or None when
        this Monitor must compute (and has logged why).

        Now: the store's current publication, if made under the rules this code runs
        with (a publication keeps answering during the seconds an import's publish takes,
        so readers see the old figures or the new ones). ``as_of``: the newest publication
        made from exactly the batches loaded by then, whatever its rules, so an earlier
        publication is reproduced as it was.
        """
        if not self.read_publications:
            return None
        if as_of is None:
            if self._version is None:
                self.refresh()
            found = self._publication
            if found is not None and found.rules_checksum != self._cached(
                ("rules_checksum",), rules_checksum
            ):
                self._log_fallback(as_of, f"publication {found.id} was made under other rules")
                return None
        else:
            found = self._cached(
                ("publication", as_of),
                lambda: publications.publication_for_version(
                    self.engine, store.data_version(self.engine, as_of)
                ),
            )
        if found is None:
            self._log_fallback(as_of, "no publication of this data")
        return found

    def _log_fallback(self, as_of: datetime | None, reason: str) -> None:
        def log() -> bool:
            when = "now" if as_of is None else f"as of {as_of.isoformat()}"
            _LOG.warning(
                "%s (%s): computing disclosure control in this process; run `keob publish`",
                reason,
                when,
            )
            return True

        self._cached(("fallback_logged", as_of), log)

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

        Read from the publication (:meth:`publication`) when there is one that holds
        ``vintage``; computed as below otherwise.
        """
        self.check_vintage(vintage)
        found = self.publication(as_of)
        if found is not None and (vintage is None or int(vintage) in found.vintages):
            return self._cached(
                ("published", level, vintage, as_of, found.id),
                lambda: publications.read_comparison(self.engine, found, level, vintage),
            )
        return self._computed_published_comparison(level, vintage, as_of)

    def _computed_published_comparison(
        self, level: str, vintage: int | None, as_of: datetime | None
    ) -> pd.DataFrame:
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
        return self._cached(
            ("coverage_cells",), lambda: facility_store.read_coverage_cells(self.engine)
        )

    def coverage_run(self):  # type: ignore[no-untyped-def]
        """How the current cells were made (year, methods), or None before any compute."""
        return self._cached(
            ("coverage_run",), lambda: facility_store.latest_coverage_run(self.engine)
        )

    def facilities(self, kinds: Sequence[str] | None = None) -> pd.DataFrame:
        """Every loaded facility (of ``kinds``, default all) with ``geometry_wkb`` (EPSG:4326)."""
        wanted = tuple(kinds or ())
        return self._cached(
            ("facilities", wanted),
            lambda: facility_store.read_facilities(self.engine, kinds=list(wanted) or None),
        )


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
