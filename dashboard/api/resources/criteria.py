"""The data dictionary: the indicator registry."""

from __future__ import annotations

from dashboard.api import sources
from dashboard.api.checks import check_criteria
from dashboard.api.contract import Dataset, columns_from
from dashboard.api.query import Query
from indicators.registry import registry_frame

CRITERIA_FIELDS = (
    ("criterion", "string", "Registry code.", "Kode i registret."),
    ("kind", "string", "criterion or context.", "criterion (kriterium) eller context."),
    ("order", "integer", "Display order.", "Visningsrækkefølge."),
    ("name_da", "string", "Name in Danish.", "Navn på dansk."),
    ("name_en", "string", "Name in English.", "Navn på engelsk."),
    ("short_da", "string", "Short label in Danish.", "Kort etiket på dansk."),
    ("short_en", "string", "Short label in English.", "Kort etiket på engelsk."),
    ("definition_da", "string", "Definition in Danish.", "Definition på dansk."),
    ("definition_en", "string", "Definition in English.", "Definition på engelsk."),
    ("numerator_da", "string", "Numerator in Danish.", "Tæller på dansk."),
    ("numerator_en", "string", "Numerator in English.", "Tæller på engelsk."),
    ("denominator_da", "string", "Denominator in Danish.", "Nævner på dansk."),
    ("denominator_en", "string", "Denominator in English.", "Nævner på engelsk."),
    ("age_band", "string", "Age band.", "Aldersgruppe."),
    ("unit", "string", "pct (share in percent) or count.", "pct (andel i procent) eller count."),
    ("decimals", "integer", "Decimals of value columns.", "Decimaler i værdikolonner."),
    ("polarity", "integer", "1 higher is better, -1 worse.", "1 højere er bedre, -1 værre."),
    ("basis", "string", "register or survey.", "register eller survey (spørgeskema)."),
    ("source", "string", "Source of the figures.", "Kilde til tallene."),
)
CRITERIA_COLUMNS = columns_from(CRITERIA_FIELDS)


def build_criteria(q: Query) -> Dataset:
    check_criteria(q.criteria)
    frame = registry_frame().rename(columns={"code": "criterion"})
    if q.criteria:
        frame = frame[frame["criterion"].isin(q.criteria)]
    frame = frame[[c.name for c in CRITERIA_COLUMNS]].reset_index(drop=True)
    return Dataset(frame=frame, stem="keob-criteria", sources=(sources.project_source(),))
