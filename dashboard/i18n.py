"""Every label the app shows, in Danish (the default) and English.

Indicator names and definitions come from the registry (data/criteria.yaml); everything
else comes from ``TEXTS``. ``t(key, lang, **values)`` formats a label; a test checks that
every Danish key has an English twin.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

LANGUAGES = ("da", "en")
DEFAULT_LANG = "da"

# Plotly's ``separators`` is "<decimal><thousands>".
PLOTLY_SEPARATORS = {"da": ",.", "en": ".,"}

TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "app.title": "KEOB",
        "app.subtitle": "Opfølgning på Københavns udsatte byområder",
        "nav.label": "Hovedmenu",
        "skip.to_content": "Gå til indholdet",
        "store.unavailable.title": "Data er midlertidigt utilgængelige",
        "store.unavailable.body": (
            "Indikatorlageret svarer ikke lige nu. Prøv at genindlæse siden om lidt."
        ),
        "store.empty.title": "Der er ikke indlæst data endnu",
        "store.empty.body": (
            "Lageret er oprettet, men tomt. Indlæs data med »keob seed« (de medfølgende "
            "data) eller »keob import indicators FIL« – se docs/importing.md."
        ),
        "nav.overview": "Overblik",
        "nav.map": "Kort",
        "nav.profile": "Områdeprofil",
        "nav.data": "Data",
        "nav.initiatives": "Indsatser",
        "nav.coverage": "Dækning",
        "nav.state_lists": "Statslister",
        "nav.progress": "Fremdrift 2035",
        "nav.screening": "Screening",
        "nav.about": "Om data",
        "nav.api": "API",
        "lang.switch": "English",
        "lang.switch_label": "Switch to English",
        "footer.attribution_fallback": (
            "Indeholder data fra Københavns Kommune (opendata.dk, CC BY 4.0)."
        ),
        "footer.data_version": "Dataversion: {version}",
        "footer.about": "Om data og kilder",
        "demo.badge": "Demodata",
        "demo.text": "Tallene er syntetiske demodata, ikke officiel statistik.",
        "demo.years": "Syntetiske værdier i visningen: {years}.",
        "common.year": "År",
        "common.criterion": "Kriterium",
        "common.criteria": "Kriterier",
        "common.level": "Niveau",
        "common.area": "Område",
        "common.rest": "Resten af byen",
        "common.city": "Hele byen",
        "common.gap": "Forskel",
        "common.value": "Værdi",
        "common.no_data": "Ingen data",
        "common.survey": "Spørgeskema",
        "common.survey_note": (
            "Bygger på en spørgeskemaundersøgelse: tallene er stikprøvebaserede og usikre "
            "for små områder."
        ),
        "common.show_table": "Vis tallene som tabel",
        "common.loading": "Henter …",
        "unit.pct": "%",
        "unit.pct_long": "Andel (%)",
        "unit.count": "Antal",
        "unit.pp": "procentpoint",
        "unit.in_pct": "i procent",
        "unit.in_count": "i antal",
        "unit.pp_short": "pct.-point",
        "unit.count_diff": "",
        "level.rode": "Rode",
        "level.kvarter": "Kvarter",
        "level.bydel": "Bydel",
        "level.lokaludvalg": "Lokaludvalg",
        "level.udsat_byomraade": "Udsat byområde",
        "level.boligomraade": "Boligområde",
        "level.city": "Hele byen",
        "level.plural.rode": "Roder",
        "level.plural.kvarter": "Kvarterer",
        "level.plural.bydel": "Bydele",
        "level.plural.lokaludvalg": "Lokaludvalg",
        "level.plural.udsat_byomraade": "Udsatte byområder",
        "level.plural.city": "Hele byen",
        "direction.better": "bedre",
        "direction.worse": "værre",
        "direction.same": "uændret",
        "direction.within_noise": "ingen sikker forskel",
        "profile.ci_note": (
            "Tryghed og sundhed bygger på spørgeskemaer: i parentes 95 %-konfidensinterval "
            "(Wilson) og antal svar. Ligger forskellen til resten af byen inden for "
            "usikkerheden, står der »ingen sikker forskel«."
        ),
        "polarity.higher_better": "Højere er bedre",
        "polarity.higher_worse": "Højere er værre",
        "polarity.neutral": "Ingen retning",
        "basis.register": "Register",
        "basis.survey": "Spørgeskema",
        # Overblik
        "overview.title": "De udsatte byområder samlet mod resten af byen",
        "overview.intro": (
            "Hvert kort viser et af de otte kriterier for de udsatte byområder samlet og for "
            "resten af København. Farven viser, om afstanden til resten af byen er blevet "
            "mindre (blå) eller større (orange) siden basisåret."
        ),
        "overview.baseline": "Basisår",
        "overview.udsatte": "Udsatte byområder",
        "overview.gap_row": "Forskel",
        "overview.narrowing": (
            "Afstanden til resten af byen er mindsket med {amount} {unit} siden {year}."
        ),
        "overview.widening": (
            "Afstanden til resten af byen er øget med {amount} {unit} siden {year}."
        ),
        "overview.unchanged": "Afstanden til resten af byen er uændret siden {year}.",
        "overview.unknown": "Der er ikke tal for både {year} og det seneste år.",
        "overview.badge.narrowing": "▼ Mindre afstand",
        "overview.badge.widening": "▲ Større afstand",
        "overview.badge.unchanged": "● Uændret",
        "overview.badge.unknown": "○ Ukendt",
        "overview.badge.within_noise": "≈ Ingen sikker ændring",
        "overview.within_noise": (
            "Ingen sikker ændring i afstanden siden {year}: ændringen ligger inden for "
            "spørgeskemaets statistiske usikkerhed (95 %)."
        ),
        "overview.trend_caption": (
            "{criterion}: udsatte byområder (fuld linje) og resten af byen (stiplet), "
            "{first}–{last}."
        ),
        "overview.on_map": "Se på kortet",
        "overview.profile_link": "Se profilen for de udsatte byområder samlet",
        "overview.areas_title": "De enkelte udsatte byområder",
        # Kort
        "map.title": "Kort",
        "map.intro": (
            "Vælg kriterium, år og niveau. Mørkere farve betyder en værre situation. De udsatte "
            "byområder er tegnet med sort omrids. Klik på et område for at åbne dets profil."
        ),
        "map.caption": (
            "Kort over {criterion} {unit} pr. {level} i {year}. Mørkere farve er værre. "
            "{n} områder; sort omrids: de udsatte byområder."
        ),
        "map.hover_n": "n",
        "map.outline": "Udsatte byområder",
        "map.colorbar_note": "mørkere = værre",
        # Områdeprofil
        "profile.title": "Områdeprofil",
        "profile.picker": "Vælg område",
        "profile.intro": (
            "De otte kriterier over tid for området (fuld linje), resten af byen (stiplet) og "
            "hele byen (prikket)."
        ),
        "profile.caption": (
            "Små diagrammer for de otte kriterier i {area}, {first}–{last}: området, resten af "
            "byen og hele byen."
        ),
        "profile.latest": "Seneste tal",
        "profile.series_table": "Hele tidsserien",
        "profile.unknown_area": "Området {code} findes ikke.",
        "profile.survey_marker": "spørgeskema",
        # Data
        "data.title": "Data",
        "data.intro": (
            "Vælg niveau, kriterier og år. Tabellen viser de første rækker; hent hele udtrækket "
            "som CSV."
        ),
        "data.years": "År (fra–til)",
        "data.download": "Hent CSV",
        "data.preview": "Viser {shown} af {total} rækker.",
        "data.no_rows": "Ingen rækker matcher valget.",
        "data.csv_note": (
            "CSV-filen er UTF-8 med kolonnerne area_code, area_name, level, criterion, year, "
            "numerator, denominator, value, rest_of_city_value, city_value, gap, synthetic."
        ),
        # Om data
        "about.title": "Om data",
        "about.criteria": "Kriterierne",
        "about.col.name": "Navn",
        "about.col.definition": "Definition",
        "about.col.numerator": "Tæller",
        "about.col.denominator": "Nævner",
        "about.col.unit": "Enhed",
        "about.col.polarity": "Retning",
        "about.col.basis": "Grundlag",
        "about.col.source": "Kilde",
        "about.sources": "Datakilder og licenser",
        "about.sources_text": (
            "Geografien (roder, bydele, udsatte byområder, almene boliger) er Københavns "
            "Kommunes åbne data, udgivet under CC BY 4.0. Rodetallene 2008–2014 stammer fra "
            "Københavns Kommunes »Samlede socio data«."
        ),
        "about.demo": "Demodata",
        "about.demo_text": (
            "Tallene er syntetiske demodata, ikke officiel statistik. De er dannet, så de ligner "
            "virkelige mønstre, for at vise, hvordan værktøjet virker. Hver værdi er markeret "
            "som syntetisk eller reel i lageret og i CSV-udtrækket (kolonnen synthetic)."
        ),
        "about.col.real_years": "År med reelle tal",
        "about.col.synthetic_years": "År med syntetiske tal",
        "about.method": "Sådan regnes der",
        "about.method_text": (
            "Alle andele regnes fra summerede tællere og nævnere, aldrig som gennemsnit af "
            "andele. Resten af byen er hele byen minus området: (tæller i byen − tæller i "
            "området) / (nævner i byen − nævner i området). Forskellen er områdets værdi minus "
            "resten af byens værdi i procentpoint."
        ),
        "about.licence": "Kildekoden er åben (MIT).",
        # 404
        "notfound.title": "Siden findes ikke",
        "notfound.text": "Adressen findes ikke. Gå til overblikket.",
    },
    "en": {
        "app.title": "KEOB",
        "app.subtitle": "Follow-up on Copenhagen's disadvantaged urban areas",
        "nav.label": "Main menu",
        "skip.to_content": "Skip to content",
        "store.unavailable.title": "The data is temporarily unavailable",
        "store.unavailable.body": (
            "The indicator store is not answering right now. Please reload the page shortly."
        ),
        "store.empty.title": "No data has been loaded yet",
        "store.empty.body": (
            "The store exists but is empty. Load data with `keob seed` (the shipped data) "
            "or `keob import indicators FILE` – see docs/importing.md."
        ),
        "nav.overview": "Overview",
        "nav.map": "Map",
        "nav.profile": "Area profile",
        "nav.data": "Data",
        "nav.initiatives": "Initiatives",
        "nav.coverage": "Coverage",
        "nav.state_lists": "State lists",
        "nav.progress": "Progress 2035",
        "nav.screening": "Screening",
        "nav.about": "About the data",
        "nav.api": "API",
        "lang.switch": "Dansk",
        "lang.switch_label": "Skift til dansk",
        "footer.attribution_fallback": (
            "Contains data from the City of Copenhagen (opendata.dk, CC BY 4.0)."
        ),
        "footer.data_version": "Data version: {version}",
        "footer.about": "About the data and sources",
        "demo.badge": "Demo data",
        "demo.text": "Synthetic demo data, not official statistics.",
        "demo.years": "Synthetic values in this view: {years}.",
        "common.year": "Year",
        "common.criterion": "Criterion",
        "common.criteria": "Criteria",
        "common.level": "Level",
        "common.area": "Area",
        "common.rest": "Rest of the city",
        "common.city": "Whole city",
        "common.gap": "Gap",
        "common.value": "Value",
        "common.no_data": "No data",
        "common.survey": "Survey",
        "common.survey_note": (
            "Based on a survey: the figures are sample-based and uncertain for small areas."
        ),
        "common.show_table": "Show the figures as a table",
        "common.loading": "Loading …",
        "unit.pct": "%",
        "unit.pct_long": "Share (%)",
        "unit.count": "Count",
        "unit.pp": "percentage points",
        "unit.in_pct": "in per cent",
        "unit.in_count": "as a count",
        "unit.pp_short": "pp",
        "unit.count_diff": "",
        "level.rode": "Rode (district)",
        "level.kvarter": "Neighbourhood",
        "level.bydel": "City district",
        "level.lokaludvalg": "Local committee area",
        "level.udsat_byomraade": "Disadvantaged urban area",
        "level.boligomraade": "Housing estate",
        "level.city": "Whole city",
        "level.plural.rode": "Roder (districts)",
        "level.plural.kvarter": "Neighbourhoods",
        "level.plural.bydel": "City districts",
        "level.plural.lokaludvalg": "Local committee areas",
        "level.plural.udsat_byomraade": "Disadvantaged urban areas",
        "level.plural.city": "Whole city",
        "direction.better": "better",
        "direction.worse": "worse",
        "direction.same": "unchanged",
        "direction.within_noise": "no certain difference",
        "profile.ci_note": (
            "Safety and health come from surveys: in brackets the 95 % confidence interval "
            "(Wilson) and the number of respondents. Where the difference to the rest of the "
            "city is within that uncertainty, it reads »no certain difference«."
        ),
        "polarity.higher_better": "Higher is better",
        "polarity.higher_worse": "Higher is worse",
        "polarity.neutral": "No direction",
        "basis.register": "Register",
        "basis.survey": "Survey",
        "overview.title": "The disadvantaged urban areas combined vs. the rest of the city",
        "overview.intro": (
            "Each card shows one of the eight criteria for the disadvantaged urban areas "
            "combined and for the rest of Copenhagen. The colour shows whether the gap to the "
            "rest of the city has narrowed (blue) or widened (orange) since the baseline year."
        ),
        "overview.baseline": "Baseline year",
        "overview.udsatte": "Disadvantaged areas",
        "overview.gap_row": "Gap",
        "overview.narrowing": (
            "The gap to the rest of the city has narrowed by {amount} {unit} since {year}."
        ),
        "overview.widening": (
            "The gap to the rest of the city has widened by {amount} {unit} since {year}."
        ),
        "overview.unchanged": "The gap to the rest of the city is unchanged since {year}.",
        "overview.unknown": "There are no figures for both {year} and the latest year.",
        "overview.badge.narrowing": "▼ Gap narrowed",
        "overview.badge.widening": "▲ Gap widened",
        "overview.badge.unchanged": "● Unchanged",
        "overview.badge.unknown": "○ Unknown",
        "overview.badge.within_noise": "≈ No certain change",
        "overview.within_noise": (
            "No certain change in the gap since {year}: the change is within the survey's "
            "sampling uncertainty (95 %)."
        ),
        "overview.trend_caption": (
            "{criterion}: disadvantaged areas (solid line) and the rest of the city (dashed), "
            "{first}–{last}."
        ),
        "overview.on_map": "Show on the map",
        "overview.profile_link": "See the profile of the disadvantaged areas combined",
        "overview.areas_title": "The individual disadvantaged urban areas",
        "map.title": "Map",
        "map.intro": (
            "Choose criterion, year and level. A darker colour means a worse situation. The "
            "disadvantaged urban areas are outlined in black. Click an area to open its profile."
        ),
        "map.caption": (
            "Map of {criterion} {unit} by {level} in {year}. Darker is worse. {n} areas; "
            "black outline: the disadvantaged urban areas."
        ),
        "map.hover_n": "n",
        "map.outline": "Disadvantaged urban areas",
        "map.colorbar_note": "darker = worse",
        "profile.title": "Area profile",
        "profile.picker": "Choose area",
        "profile.intro": (
            "The eight criteria over time for the area (solid line), the rest of the city "
            "(dashed) and the whole city (dotted)."
        ),
        "profile.caption": (
            "Small charts of the eight criteria in {area}, {first}–{last}: the area, the rest "
            "of the city and the whole city."
        ),
        "profile.latest": "Latest figures",
        "profile.series_table": "The whole time series",
        "profile.unknown_area": "The area {code} does not exist.",
        "profile.survey_marker": "survey",
        "data.title": "Data",
        "data.intro": (
            "Choose level, criteria and years. The table shows the first rows; download the "
            "whole extract as CSV."
        ),
        "data.years": "Years (from–to)",
        "data.download": "Download CSV",
        "data.preview": "Showing {shown} of {total} rows.",
        "data.no_rows": "No rows match the selection.",
        "data.csv_note": (
            "The CSV file is UTF-8 with the columns area_code, area_name, level, criterion, "
            "year, numerator, denominator, value, rest_of_city_value, city_value, gap, synthetic."
        ),
        "about.title": "About the data",
        "about.criteria": "The criteria",
        "about.col.name": "Name",
        "about.col.definition": "Definition",
        "about.col.numerator": "Numerator",
        "about.col.denominator": "Denominator",
        "about.col.unit": "Unit",
        "about.col.polarity": "Direction",
        "about.col.basis": "Basis",
        "about.col.source": "Source",
        "about.sources": "Data sources and licences",
        "about.sources_text": (
            "The geography (roder, city districts, disadvantaged urban areas, social housing) is "
            "open data from the City of Copenhagen, published under CC BY 4.0. The rode figures "
            "2008–2014 come from the City of Copenhagen's “Samlede socio data”."
        ),
        "about.demo": "Demo data",
        "about.demo_text": (
            "Synthetic demo data, not official statistics. They are generated to resemble real "
            "patterns so that the tool can be demonstrated. Every value is flagged as synthetic "
            "or real in the store and in the CSV extract (the synthetic column)."
        ),
        "about.col.real_years": "Years with real figures",
        "about.col.synthetic_years": "Years with synthetic figures",
        "about.method": "How the figures are computed",
        "about.method_text": (
            "Every share is computed from summed numerators and denominators, never as an "
            "average of shares. The rest of the city is the city minus the area: (city "
            "numerator − area numerator) / (city denominator − area denominator). The gap is "
            "the area's value minus the rest of the city's value in percentage points."
        ),
        "about.licence": "The source code is open (MIT).",
        "notfound.title": "Page not found",
        "notfound.text": "The address does not exist. Go to the overview.",
    },
}


def normalise_lang(lang: object) -> str:
    """A supported language code; anything else falls back to Danish."""
    return lang if isinstance(lang, str) and lang in LANGUAGES else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The label ``key`` in ``lang``, formatted with ``values``."""
    text = TEXTS[normalise_lang(lang)][key]
    return text.format(**values) if values else text


def level_name(level: str, lang: str, plural: bool = False) -> str:
    return t(f"level.plural.{level}" if plural else f"level.{level}", lang)


def format_number(value: float | None, decimals: int, lang: str, signed: bool = False) -> str:
    """``1234.5`` → ``1.234,5`` (da) or ``1,234.5`` (en); missing values → an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:{'+' if signed else ''},.{decimals}f}"
    if normalise_lang(lang) == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    # A real minus sign reads better than a hyphen.
    return text.replace("-", "−")


def format_value(value: float | None, unit: str, decimals: int, lang: str) -> str:
    """A value with its unit: ``12,3 %`` for shares, ``1.234`` for counts."""
    number = format_number(value, decimals, lang)
    if number == "–" or unit != "pct":
        return number
    return f"{number} %"


def format_difference(value: float | None, unit: str, decimals: int, lang: str) -> str:
    """A signed difference: ``+2,1 pct.-point`` for shares."""
    number = format_number(value, decimals, lang, signed=True)
    if number == "–" or unit != "pct":
        return number
    return f"{number} {t('unit.pp_short', lang)}"


def unit_label(unit: str, lang: str) -> str:
    return t("unit.pct_long" if unit == "pct" else "unit.count", lang)


def years_text(years: list[int]) -> str:
    """``[2015, 2016, 2017, 2020]`` → ``2015–2017, 2020``."""
    ordered = sorted(set(years))
    if not ordered:
        return "–"
    runs: list[tuple[int, int]] = []
    start = prev = ordered[0]
    for year in ordered[1:]:
        if year != prev + 1:
            runs.append((start, prev))
            start = year
        prev = year
    runs.append((start, prev))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def missing_translations(texts: Mapping[str, Mapping[str, str]] = TEXTS) -> list[str]:
    """Danish keys without an English twin (and vice versa): the i18n completeness check."""
    da, en = set(texts["da"]), set(texts["en"])
    return sorted((da - en) | (en - da))
