"""Conditional requests: the store's state per data version, as-of moments, ETags and
the headers every answer carries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import quote

import orjson
import pandas as pd
from flask import has_request_context, request

from dashboard import data
from dashboard.api.constants import DOCS_PATH, ETAG_SALT, PREFIX
from dashboard.api.problems import Problem
from dashboard.api.query import Query
from indicators import times


@dataclass(frozen=True)
class StoreState:
    """Per data version: when the store last changed and the batch times (for as_of)."""

    version: str
    last_modified: datetime | None
    batch_times: tuple[datetime, ...]  # as stored (for passing back to the store)
    batch_times_utc: tuple[datetime, ...]


def store_state() -> StoreState:
    """The store's state, read once per request (``serve`` and the builders share it)."""
    if not has_request_context():
        return _store_state(data.database_url(), data.monitor().refresh())
    env = request.environ
    if "keob.store_state" not in env:
        env["keob.store_state"] = _store_state(data.database_url(), data.monitor().refresh())
    return env["keob.store_state"]


@lru_cache(maxsize=8)
def _store_state(url: str, version: str) -> StoreState:
    del url  # cache key only
    batches = data.monitor().batches()
    raw = sorted(batches["loaded_at"].dropna().tolist())
    in_utc = tuple(utc(t) for t in raw)
    return StoreState(version, max(in_utc) if in_utc else None, tuple(raw), in_utc)


def utc(moment: datetime) -> datetime:
    moment = pd.Timestamp(moment).to_pydatetime()
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


BEFORE_ANY_BATCH = datetime(1970, 1, 1)


def check_as_of(as_of: datetime | None, state: StoreState) -> None:
    """404 for an as-of moment before the store's first load: an empty table would read
    as "nothing matched" when the store simply held nothing yet."""
    if as_of is None or not state.batch_times_utc or as_of >= state.batch_times_utc[0]:
        return
    reason = times.nothing_before(state.batch_times_utc[0], sep="T")
    raise Problem(
        "not-found",
        f"as_of {times.local_text(as_of, sep='T')} is too early: {reason}.",
        invalid_params=[{"name": "as_of", "reason": reason}],
    )


def effective_as_of(as_of: datetime | None, state: StoreState) -> datetime | None:
    """``as_of`` snapped to the load it selects, so equal states share one cached frame.

    None (the current state) when ``as_of`` is at or after the latest load; the stored
    time of the latest load at or before it otherwise.
    """
    if as_of is None or not state.batch_times_utc:
        return None
    earlier = [i for i, t in enumerate(state.batch_times_utc) if t <= as_of]
    if not earlier:
        return BEFORE_ANY_BATCH
    last = earlier[-1]
    if last == len(state.batch_times_utc) - 1:
        return None
    return state.batch_times[last]


def etag_for(q: Query, version: str) -> str:
    key = "|".join(
        [ETAG_SALT, version, q.route.name, q.format, orjson.dumps(q.normalised()).decode()]
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def header_text(text: str) -> str:
    """Header values in ASCII: anything else is percent-encoded UTF-8 (clients differ in
    how they decode Latin-1, the only other charset HTTP allows)."""
    if text.isascii():
        return text
    return quote(text, safe=" ,;:/()=+.-_'<>")


def base_headers(q: Query, state: StoreState, etag: str) -> dict[str, str]:
    headers = {
        "ETag": f'"{etag}"',
        "Cache-Control": "public, no-cache",
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": (
            "ETag, Last-Modified, Link, Content-Disposition, X-KEOB-Data-Version, "
            "X-KEOB-Extracted-At, X-KEOB-Synthetic, X-KEOB-Disclosure-Control, X-KEOB-Licence"
        ),
        "X-KEOB-Data-Version": header_text(state.version),
        "Link": f'<{DOCS_PATH}>; rel="help", <{PREFIX}/openapi.json>; rel="service-desc"',
    }
    if state.last_modified is not None:
        headers["Last-Modified"] = http_date(state.last_modified)
    return headers


def http_date(moment: datetime) -> str:
    from werkzeug.http import http_date

    return http_date(moment)


def forget_store_state() -> None:
    """Forget the cached store states (tests that point the app at another store)."""
    _store_state.cache_clear()
