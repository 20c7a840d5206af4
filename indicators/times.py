"""Times as people read and type them: Copenhagen wall-clock time with its UTC offset.

The store keeps load times in UTC (SQLite hands them back without a zone). Every time
that is shown (``keob status``, ``keob history``, import reports, the API's batches) is
converted to Europe/Copenhagen and written with its offset, and every as-of time that is
typed is read by :func:`parse_as_of`, so a time copied from the output selects exactly the
load it names.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|z|[+-]\d{2}(:?\d{2})?)?"
)


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC time; a naive one is taken as UTC (the store's zone)."""
    if hasattr(moment, "to_pydatetime"):  # a pandas Timestamp from a store frame
        moment = moment.to_pydatetime()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def local_time(moment: datetime) -> datetime:
    """A store time (naive = UTC) as Copenhagen wall-clock time, with its offset."""
    return as_utc(moment).astimezone(LOCAL_TZ)


def local_text(moment: datetime | None, sep: str = " ") -> str:
    """``2026-12-03 13:05:12.345678+01:00``: Copenhagen time with its offset.

    Fractions of a second are kept when the time has them, so that pasting the text into
    ``--as-of`` (or ``as_of=``) selects exactly that load and not a later one in the same
    second (a seed writes several loads a second).
    """
    if moment is None:
        return ""
    return local_time(moment).isoformat(sep=sep, timespec="auto")


def parse_as_of(text: str) -> datetime:
    """An as-of moment as typed, in UTC.

    * ``2025-02-03``: the last moment of that day in Copenhagen;
    * ``2025-02-03 13:05`` or ``2025-02-03T13:05:12.5``: Copenhagen wall-clock time;
    * ``2025-02-03T12:05:12Z`` or ``...+01:00``: that instant.

    Raises ValueError for anything else (including dates outside the calendar).
    """
    text = text.strip()
    try:
        if _DATE.fullmatch(text):
            day = date.fromisoformat(text)
            local = datetime.combine(day + timedelta(days=1), time.min, LOCAL_TZ)
            return (local - timedelta(microseconds=1)).astimezone(UTC)
        if not _DATE_TIME.fullmatch(text):
            raise ValueError(text)
        moment = datetime.fromisoformat(text.replace(" ", "T").replace("z", "Z"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=LOCAL_TZ)
        return moment.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 leaves the calendar
        raise ValueError(text) from None


def nothing_before(first_load: datetime, sep: str = " ") -> str:
    """The message for an as-of time earlier than the first load."""
    return f"the store held nothing before {local_text(first_load, sep)} (its first load)"
