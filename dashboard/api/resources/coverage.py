"""The coverage indicators: the indicator table for kind=coverage."""

from __future__ import annotations

from dashboard import data
from dashboard.api import sources
from dashboard.api.contract import Dataset
from dashboard.api.problems import Problem
from dashboard.api.query import Query
from dashboard.api.resources import indicators as indicator_table
from indicators import attributions
from indicators.registry import load_registry


def coverage_codes() -> list[str]:
    """The coverage and environment indicators (registry kind ``coverage``)."""
    return [code for code, ind in load_registry().items() if ind.kind == "coverage"]


def build_coverage(q: Query) -> Dataset:
    """The indicator table restricted to the coverage indicators (same export, same
    disclosure control), with the coverage run's method in the provenance."""
    codes = coverage_codes()
    wrong = [c for c in q.criteria if c in load_registry() and c not in codes]
    if wrong:
        raise Problem(
            "not-found",
            f"{', '.join(wrong)} are not coverage indicators; coverage has {', '.join(codes)}.",
            invalid_params=[
                {"name": "criterion", "reason": f"{c!r} is not a coverage indicator"} for c in wrong
            ],
        )
    inner = Query(
        route=q.route,
        format=q.format,
        level=q.level,
        areas=q.areas,
        criteria=q.criteria or codes,
        year_from=q.year_from,
        year_to=q.year_to,
        as_of=q.as_of,
        vintage=q.vintage,
        flags=q.flags,
    )
    dataset = indicator_table.build_indicators(inner)
    dataset.stem = dataset.stem.replace("keob-indicators", "keob-coverage")
    notes = list(dataset.notes)
    run = coverage_run_note()
    if run:
        notes.append(run)
    dataset.notes = tuple(notes)
    dataset.sources = sources.merged(
        *dataset.sources, attributions.source("facilities"), attributions.source("noise")
    )
    return dataset


def coverage_run_note() -> str:
    run = data.monitor().coverage_run()
    if run is None:
        return ""
    return (
        f"Dækningsberegning #{run.id} ({run.created_at:%Y-%m-%d}): befolkningsår {run.year}, "
        f"beboerceller {run.cell_method}, afstand {run.distance_method}. {run.note or ''}"
    ).strip()
