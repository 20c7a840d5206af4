"""The state lists: the classification the pages show (``Monitor.state_lists``)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from dashboard import data
from dashboard.api import sources
from dashboard.api.conditional import BEFORE_ANY_BATCH, effective_as_of, store_state
from dashboard.api.contract import Column, Dataset
from dashboard.api.problems import Problem
from dashboard.api.query import Query
from indicators import attributions


def classified(as_of: datetime | None) -> pd.DataFrame:
    """``Monitor.state_lists`` (the classification the pages show), with the core columns
    when nothing is stored."""
    # The store held nothing before its first load (and the as-of read would say so).
    frame = pd.DataFrame() if as_of is BEFORE_ANY_BATCH else data.monitor().state_lists(as_of)
    return pd.DataFrame(columns=STATE_LIST_CORE) if frame.empty else frame


STATE_LIST_CORE = ["area_id", "area_name", "year", "rules", "category", "risk_level", "synthetic"]
STATE_LIST_COLUMNS = (
    Column("area_id", "string", "State-list area key.", "Statslisteområdets nøgle."),
    Column("area_name", "string", "Name.", "Navn.", nullable=True),
    Column("year", "integer", "List year.", "Listeår."),
    Column("rules", "string", "Rule set used (by list year).", "Regelsæt (efter listeår)."),
    Column("category", "string", "Highest list category met.", "Højeste kategori, der er opfyldt."),
    Column(
        "risk_level",
        "string",
        "Early warning: none, watch, high, listed.",
        "Tidlig varsling: none, watch, high, listed.",
    ),
    Column(
        "criteria_met",
        "integer",
        "Criteria met at the udsat (before 2018: ghetto) thresholds.",
        "Kriterier opfyldt ved grænserne for udsat (før 2018: ghetto).",
    ),
    Column(
        "criteria_met_forebyggelse",
        "integer",
        "Criteria met at the forebyggelse thresholds (from 2021; empty before).",
        "Kriterier opfyldt ved grænserne for forebyggelse (fra 2021; tom før).",
        nullable=True,
    ),
    Column(
        "udviklingsplan",
        "boolean",
        "True from the area's first omdannelse year on: it stays under its development "
        "plan (almenboligloven § 168 a) after leaving the list.",
        "Sand fra områdets første år som omdannelsesområde: det forbliver under sin "
        "udviklingsplan (almenboligloven § 168 a) efter at have forladt listen.",
    ),
    Column("synthetic", "boolean", "True for synthetic demo inputs.", "Sand for demodata."),
)


def build_state_lists(q: Query) -> Dataset:
    frame = classified(effective_as_of(q.as_of, store_state()))
    if q.areas and not frame.empty:
        keys = {
            code
            for column in ("area_id", "byomraade", "members")
            if column in frame
            for value in frame[column].dropna().astype(str)
            for code in value.replace(",", " ").split()
        }
        missing = [c for c in q.areas if c not in keys]
        if missing:
            raise Problem(
                "not-found",
                f"No state-list area matches {', '.join(missing)} (an area_id, a member "
                "boligområde code or an udsat byområde code).",
                invalid_params=[
                    {"name": "area", "reason": f"{c!r} is not a state-list area"} for c in missing
                ],
            )
        wanted = set(q.areas)

        def matches(row: pd.Series) -> bool:
            codes = {str(row.get("area_id")), str(row.get("byomraade"))}
            codes.update(str(row.get("members") or "").replace(",", " ").split())
            return bool(codes & wanted)

        frame = frame[frame.apply(matches, axis=1)]
    elif q.areas:
        raise Problem(
            "not-found",
            "No state-list inputs are loaded, so no area matches.",
            invalid_params=[
                {"name": "area", "reason": f"{c!r} is not a state-list area"} for c in q.areas
            ],
        )
    if q.year_from is not None:
        frame = frame[frame["year"] >= q.year_from]
    if q.year_to is not None:
        frame = frame[frame["year"] <= q.year_to]
    frame = frame.reset_index(drop=True)
    synthetic = bool(frame["synthetic"].any()) if "synthetic" in frame and len(frame) else False
    provenance = [attributions.source("state_lists")]
    if synthetic:
        provenance.append(sources.synthetic_source())
    return Dataset(
        frame=frame,
        stem="keob-state-lists",
        synthetic=synthetic,
        sources=tuple(provenance),
        notes=(
            "Klassifikation efter almenboligloven § 61 a/b med tidlig varsling "
            "(indicators/state_lists.py). Statslisternes kriterier offentliggøres pr. "
            "boligområde af ministeriet og er ikke omfattet af diskretioneringen af "
            "indikatorerne. Classification under the state-list rules with early warning; the "
            "criteria are published per area and not subject to the indicators' disclosure "
            "control.",
        ),
    )
