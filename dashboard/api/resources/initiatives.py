"""The action plan's initiatives."""

from __future__ import annotations

import pandas as pd

from dashboard import data
from dashboard.api import sources
from dashboard.api.checks import check_areas, check_criteria
from dashboard.api.contract import Column, Dataset
from dashboard.api.query import Query
from indicators import attributions


def build_initiatives(q: Query) -> Dataset:
    from indicators import initiatives as ini

    monitor = data.monitor()
    check_criteria(q.criteria)
    register = monitor.initiatives()
    if register is None:
        frame = pd.DataFrame(columns=ini.CSV_COLUMNS)
        return Dataset(frame=frame, stem="keob-initiatives", sources=(sources.project_source(),))
    table = ini.initiatives_frame(register)
    if q.areas:
        check_areas(q.areas)
        membership = monitor.initiative_membership()
        ids: set[str] = set()
        for code in q.areas:
            ids.update(ini.initiatives_for_area(register, code, membership)["id"])
        table = table[table["id"].isin(ids)]
    if q.criteria:
        wanted = set(q.criteria)
        table = table[table["criteria"].map(lambda c: bool(wanted.intersection(c or ())))]
    if q.year_from is not None:
        table = table[table["period_end"].isna() | (table["period_end"] >= q.year_from)]
    if q.year_to is not None:
        table = table[table["period_start"].isna() | (table["period_start"] <= q.year_to)]
    frame = ini.csv_frame(register, table.reset_index(drop=True))
    for column in ("period_start", "period_end", "goal"):
        if column in frame:
            frame[column] = frame[column].astype("Int64")
    return Dataset(
        frame=frame,
        stem=f"keob-initiatives-{register.vintage}",
        sources=(
            attributions.source("initiatives", vintage=register.vintage, source=register.source),
            sources.project_source(),
        ),
        notes=(
            "En indsats kører i et område, når den navngiver det, dækker hele byen, eller når "
            "dens steder ligger i området (indicators/initiatives.py). An initiative runs in an "
            "area when it names it, covers the whole city or its places lie in the area.",
        ),
    )


def initiative_columns() -> tuple[Column, ...]:
    """The initiatives download contract (``indicators.initiatives.CSV_COLUMNS``)."""
    try:
        from indicators.initiatives import CSV_COLUMNS
    except ImportError:
        return ()
    return tuple(
        Column(
            name,
            "any",
            INITIATIVE_DOCS.get(name, name),
            INITIATIVE_DOCS.get(name, name),
            nullable=True,
        )
        for name in CSV_COLUMNS
    )


INITIATIVE_DOCS = {
    "vintage": "Plan vintage (e.g. 2027-2028).",
    "id": "Initiative id.",
    "goal": "Strategic goal (1 or 2).",
    "focus_area": "Focus area code.",
    "funded": "finansieret (funded) or ufinansieret (unfunded).",
    "title": "Title.",
    "administrations": "Responsible administrations, separated by '; '.",
    "places": "Places named, as 'name: CODE CODE', separated by '; '.",
    "area_codes": "Area codes of the places, space-separated.",
    "period_start": "First year.",
    "period_end": "Last year.",
    "criteria": "Criteria the initiative is aimed at, separated by '; '.",
}
