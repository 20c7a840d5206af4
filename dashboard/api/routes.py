"""THE route table: it drives the Flask rules, the parameters, the OpenAPI document and
the API page (``dashboard/views/api_docs.py``)."""

from __future__ import annotations

from dashboard.api.contract import Route
from dashboard.api.resources import (
    areas,
    batches,
    coverage,
    criteria,
    facilities,
    initiatives,
    state_lists,
)
from dashboard.api.resources import indicators as indicator_table
from indicators import formats

TABULAR = formats.TABULAR_FORMATS
# The indicator-shaped routes (indicators, coverage) take the same filters.
INDICATOR_PARAMS = (
    "level",
    "area",
    "criterion",
    "year_from",
    "year_to",
    "as_of",
    "vintage",
    "rest_of_city",
    "city",
    "gap",
)
WITH_GEO = (*formats.TABULAR_FORMATS, *formats.GEO_FORMATS)

ROUTES: tuple[Route, ...] = (
    Route(
        name="indicators",
        summary_en="Indicator values per area, criterion and year",
        summary_da="Indikatorværdier pr. område, kriterium og år",
        description_en=(
            "The indicator table of the app's Data page: one row per area, criterion and "
            "year with counts, the value, the rest of the city, the whole city and the gap. "
            "Written by the one export function of the app (indicators.services.export)."
        ),
        description_da=(
            "Indikatortabellen fra appens Data-side: en række pr. område, kriterium og år med "
            "tæller, nævner, værdi, resten af byen, hele byen og forskellen. Skrevet af appens "
            "ene eksportfunktion (indicators.services.export)."
        ),
        params=INDICATOR_PARAMS,
        formats=TABULAR,
        columns=indicator_table.INDICATOR_COLUMNS,
        build=indicator_table.build_indicators,
    ),
    Route(
        name="areas",
        summary_en="Areas with their geometry",
        summary_da="Områder med geometri",
        description_en=(
            "Every area (rode, kvarter, bydel, lokaludvalg, udsat byområde, boligområde, the "
            "city) with its code, name and level; GeoJSON, GeoPackage and Parquet "
            "(GeoParquet) carry the geometry in EPSG:4326."
        ),
        description_da=(
            "Alle områder (rode, kvarter, bydel, lokaludvalg, udsat byområde, boligområde, "
            "hele byen) med kode, navn og niveau; GeoJSON, GeoPackage og Parquet (GeoParquet) "
            "har geometrien i EPSG:4326."
        ),
        params=("level", "area"),
        formats=WITH_GEO,
        columns=areas.AREA_COLUMNS,
        build=areas.build_areas,
        geo=True,
    ),
    Route(
        name="criteria",
        summary_en="The data dictionary: criteria and context indicators",
        summary_da="Dataordbogen: kriterier og kontekstindikatorer",
        description_en=(
            "The indicator registry (data/criteria.yaml): names, definitions, numerator, "
            "denominator, unit, decimals, polarity, basis and source of every indicator."
        ),
        description_da=(
            "Indikatorregistret (data/criteria.yaml): navn, definition, tæller, nævner, "
            "enhed, decimaler, retning, grundlag og kilde for hver indikator."
        ),
        params=("criterion",),
        formats=TABULAR,
        columns=criteria.CRITERIA_COLUMNS,
        build=criteria.build_criteria,
    ),
    Route(
        name="state-lists",
        summary_en="State lists (§ 61 a/b): classification and early warning",
        summary_da="Statslister (§ 61 a/b): klassifikation og tidlig varsling",
        description_en=(
            "Each state-list area and list year classified under the rules of that year: "
            "criteria met, category, thresholds and margins, and the early warning (close, "
            "projected, risk level). `area` matches an area_id, a member boligområde code "
            "(A...) or an udsat byområde code."
        ),
        description_da=(
            "Hvert statslisteområde og listeår klassificeret efter årets regler: opfyldte "
            "kriterier, kategori, grænser og margener samt tidlig varsling. `area` kan være "
            "et area_id, en boligafdelings kode (A...) eller et udsat byområde."
        ),
        params=("area", "year_from", "year_to", "as_of"),
        formats=TABULAR,
        columns=state_lists.STATE_LIST_COLUMNS,
        build=state_lists.build_state_lists,
        module="indicators.state_lists",
        open_columns=True,
    ),
    Route(
        name="coverage",
        summary_en="Coverage and noise indicators per area",
        summary_da="Dækning og støj pr. område",
        description_en=(
            "The coverage indicators (share of residents within a distance of playgrounds, "
            "libraries, culture houses and green areas; share exposed to road noise) per "
            "area and year: the indicator table restricted to kind=coverage, with the same "
            "disclosure control."
        ),
        description_da=(
            "Dækningsindikatorerne (andel beboere inden for en afstand af legepladser, "
            "biblioteker, kulturhuse og grønne områder; andel udsat for vejstøj) pr. område og "
            "år: indikatortabellen for kind=coverage, med samme diskretionering."
        ),
        params=INDICATOR_PARAMS,
        formats=TABULAR,
        columns=indicator_table.INDICATOR_COLUMNS,
        build=coverage.build_coverage,
        module="indicators.coverage",
    ),
    Route(
        name="facilities",
        summary_en="Facilities: playgrounds, libraries, culture houses, parks ...",
        summary_da="Faciliteter: legepladser, biblioteker, kulturhuse, parker ...",
        description_en=(
            "The facility layers behind the coverage indicators, with geometry (GeoJSON, "
            "GeoPackage, GeoParquet). `kind` picks layers; `area` keeps the facilities that "
            "touch the areas."
        ),
        description_da=(
            "Facilitetslagene bag dækningsindikatorerne, med geometri. `kind` vælger lag; "
            "`area` beholder faciliteterne, der rører områderne."
        ),
        params=("kind", "area"),
        formats=WITH_GEO,
        columns=facilities.FACILITY_COLUMNS,
        build=facilities.build_facilities,
        geo=True,
        module="db.facility_store",
    ),
    Route(
        name="initiatives",
        summary_en="The action plan's initiatives",
        summary_da="Handleplanens indsatser",
        description_en=(
            "The initiatives of the newest action plan (Handleplan for udsatte byområder). "
            "`area` keeps initiatives running in the areas (named, city-wide, inside or "
            "partly), `criterion` those aimed at the criteria, years the overlapping periods."
        ),
        description_da=(
            "Indsatserne i den nyeste handleplan. `area` beholder indsatser, der kører i "
            "områderne, `criterion` dem, der retter sig mod kriterierne, og årene de "
            "overlappende perioder."
        ),
        params=("area", "criterion", "year_from", "year_to"),
        formats=TABULAR,
        columns=initiatives.initiative_columns(),
        build=initiatives.build_initiatives,
        module="indicators.initiatives",
        open_columns=True,
    ),
    Route(
        name="batches",
        summary_en="Provenance: every load into the store",
        summary_da="Proveniens: alle indlæsninger i lageret",
        description_en=(
            "Each load batch: what was loaded, from which file (with its SHA-256), when, and "
            "how many rows it wrote. `as_of` lists the batches loaded by then."
        ),
        description_da=(
            "Hver indlæsning: hvad, fra hvilken fil (med SHA-256), hvornår og hvor mange rækker "
            "den skrev. `as_of` viser indlæsningerne indtil da."
        ),
        params=("as_of",),
        formats=TABULAR,
        columns=batches.BATCH_COLUMNS,
        build=batches.build_batches,
    ),
)


def route(name: str) -> Route:
    for r in ROUTES:
        if r.name == name:
            return r
    raise KeyError(name)
