"""The publish step: compute the disclosure-controlled tables once and store them.

:func:`publish` computes, for every level and designation vintage, what
``Monitor.published_comparison`` returns (one joint disclosure pass), and the classified
state lists, and writes them as a new publication (``db.publications``) in one
transaction that also makes it current. It runs after every successful import (the
pipelines of ``indicators.services.imports``), at the end of ``keob seed`` and as
``keob publish``. The app's processes then only read (``Monitor`` with publications).

What a failure leaves: the previous publication stays current and no row of the new one
is visible (the transaction is rolled back); the import that triggered it stays loaded,
and the next ``keob publish`` (or import) publishes it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, func, inspect, select

from db import publications
from db.models import AREA_LEVELS, LoadBatch
from db.publications import PublicationInfo
from db.store import data_version
from indicators.publication_rules import STATE_LISTS_FRAME, rules_checksum
from indicators.services.monitor import Monitor

_LOG = logging.getLogger(__name__)


class PublishError(RuntimeError):
    """The publication could not be made; the previous one is still in force."""


@dataclass(frozen=True)
class PublishReport:
    """What :func:`publish` did: the publication in force and whether it is new."""

    publication: PublicationInfo
    created: bool
    seconds: float


def has_publication_tables(engine: Engine) -> bool:
    """False for a store not yet upgraded to the publication migration (0006)."""
    return inspect(engine).has_table("publication")


def publish(
    engine: Engine,
    *,
    if_needed: bool = False,
    write_rows: Callable[[Connection, list[dict]], None] | None = None,
    attempts: int = 3,
) -> PublishReport:
    """Compute and store a new current publication of the store's data.

    ``if_needed`` returns the current publication instead when it was made from the same
    data version under the same rules. Raises :class:`PublishError` when the store has no
    publication tables or kept changing during ``attempts`` computations; any error of
    the write propagates after the rollback (the previous publication stays current).
    """
    if not has_publication_tables(engine):
        raise PublishError("the store has no publication tables; run `keob db upgrade`")
    started = time.perf_counter()
    rules = rules_checksum()
    for _ in range(attempts):
        version = data_version(engine)
        if if_needed:
            current = publications.current_publication(engine)
            if current and (current.data_version, current.rules_checksum) == (version, rules):
                return PublishReport(current, False, time.perf_counter() - started)
        comparisons, frames = compute_publication(engine)
        with engine.begin() as conn:
            if data_version(conn) != version:
                _LOG.info("the store changed while publishing; computing again")
                continue
            count, loaded_through = conn.execute(
                select(func.count(LoadBatch.id), func.max(LoadBatch.loaded_at))
            ).one()
            publication_id = publications.write_publication(
                conn,
                data_version=version,
                loaded_through=_utc(loaded_through),
                batch_count=int(count),
                rules_checksum=rules,
                comparisons=comparisons,
                frames=frames,
                seconds=time.perf_counter() - started,
                write_rows=write_rows,
            )
        made = publications.current_publication(engine)
        if made is None or made.id != publication_id:
            raise PublishError("publication was written but another one is current")
        _LOG.info(
            "published publication %s (data version %s, %s rows, %.1f s)",
            made.id,
            version,
            made.rows_written,
            made.seconds,
        )
        return PublishReport(made, True, time.perf_counter() - started)
    raise PublishError(f"the store kept changing while publishing ({attempts} attempts)")


def compute_publication(
    engine: Engine,
) -> tuple[dict[tuple[str, int | None], pd.DataFrame], dict[str, pd.DataFrame]]:
    """Every published table of the store as it is now, computed (not read)."""
    computer = Monitor(engine, read_publications=False)
    computer.refresh()
    vintages: list[int | None] = list(computer.vintages()) or [None]
    comparisons = {
        (level, vintage): computer.published_comparison(level, vintage)
        for level in AREA_LEVELS
        for vintage in vintages
    }
    frames: dict[str, pd.DataFrame] = {}
    classified = computer.state_lists()
    if not classified.empty:
        frames[STATE_LISTS_FRAME] = classified
    return comparisons, frames


def publish_after_import(engine: Engine) -> PublishReport | None:
    """Publish after a successful import; a failure is logged, not raised.

    The import is committed whatever happens here, so it must not be reported as failed;
    the previous publication stays in force and ``keob import`` says so
    (:func:`publication_lag`).
    """
    if not has_publication_tables(engine):
        return None
    try:
        return publish(engine, if_needed=True)
    except Exception:
        _LOG.exception(
            "the import is loaded but publishing failed; the previous publication stays "
            "in force until `keob publish` succeeds"
        )
        return None


def publication_lag(engine: Engine) -> str | None:
    """Why the publication in force is not the store's current data, or None if it is."""
    if not has_publication_tables(engine):
        return "the store has no publication tables; run `keob db upgrade` and `keob publish`"
    current = publications.current_publication(engine)
    if current is None:
        return "nothing is published yet; run `keob publish`"
    if current.data_version != data_version(engine):
        return (
            f"publication {current.id} (data version {current.data_version}) is older than "
            "the store; run `keob publish`"
        )
    if current.rules_checksum != rules_checksum():
        return f"publication {current.id} was made under other rules; run `keob publish`"
    return None


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
