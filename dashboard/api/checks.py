"""404s for what the query names but the store or the registry does not know."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard import data
from dashboard.api.constants import PREFIX
from dashboard.api.problems import Problem
from indicators.registry import load_registry
from indicators.services.monitor import UnknownVintageError


def check_vintage(vintage: int | None) -> None:
    """404 for a designation vintage the store holds no memberships for (never the
    newest earlier one in its place), naming the stored vintages."""
    try:
        data.monitor().check_vintage(vintage)
    except UnknownVintageError as exc:
        raise Problem(
            "not-found",
            f"{exc}. See {PREFIX}/areas and `keob status` for the designations.",
            invalid_params=[{"name": "vintage", "reason": str(exc)}],
        ) from None


def _known_areas() -> pd.DataFrame:
    return data.monitor().areas()


def check_areas(codes: Sequence[str]) -> pd.DataFrame:
    """The rows of ``codes`` in the area table; 404 naming the unknown ones."""
    table = _known_areas()
    known = table[table["code"].isin(list(codes))]
    missing = [c for c in codes if c not in set(known["code"])]
    if missing:
        raise Problem(
            "not-found",
            f"Unknown area code(s): {', '.join(missing)}. See {PREFIX}/areas for the codes.",
            invalid_params=[
                {"name": "area", "reason": f"{c!r} is not a known area"} for c in missing
            ],
        )
    return known


def check_criteria(codes: Sequence[str]) -> None:
    registry = load_registry()
    missing = [c for c in codes if c not in registry]
    if missing:
        raise Problem(
            "not-found",
            f"Unknown criterion code(s): {', '.join(missing)}. Known: {', '.join(registry)}.",
            invalid_params=[
                {"name": "criterion", "reason": f"{c!r} is not in the registry"} for c in missing
            ],
        )
