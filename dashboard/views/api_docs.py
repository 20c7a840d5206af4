"""API page: the human-readable description of ``/api/v1``, in Danish and English.

Generated from the same route table as the routes and the OpenAPI document
(``dashboard.api.ROUTES`` / ``PARAMS``, ``indicators.formats.FORMATS``), so it cannot
drift from what the API does. The problem-type anchors (``#problem-invalid-parameter`` …)
are the ``type`` URIs of the API's problem-details responses.
"""

from __future__ import annotations

from dash import html

from dashboard import api, components
from dashboard.i18n import normalise_lang
from indicators import formats

PATH = api.DOCS_PATH
NAV_KEY = "nav.api"
ROUTES_SECTION = "api-routes"

TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "title": "Data-API",
        "intro": (
            "Alle tabeller i KEOB kan hentes som URL'er under {prefix}, så de kan læses direkte "
            "ind i Excel, R, Python eller QGIS. API'et er skrivebeskyttet (kun GET og HEAD). "
            "Den maskinlæsbare beskrivelse (OpenAPI 3) ligger på {openapi}."
        ),
        "routes": "Ruter",
        "col.route": "Rute",
        "col.what": "Indhold",
        "col.params": "Parametre",
        "col.formats": "Formater",
        "col.example": "Eksempel",
        "params": "Parametre",
        "params_text": (
            "Parametrene hedder det samme på alle ruter, hvor de giver mening. Parametre, der "
            "kan gentages, kan også kommasepareres (area=B3,ub-alle)."
        ),
        "col.name": "Navn",
        "col.meaning": "Betydning",
        "col.valid": "Gyldige værdier",
        "formats": "Formater",
        "formats_text": (
            "Vælg format med filendelsen (/api/v1/indicators.csv) eller med format=. Standard "
            "er JSON. Tilføj _dl=1 for at få filen gemt som download."
        ),
        "col.format": "Format",
        "col.media": "Medietype",
        "col.desc": "Beskrivelse",
        "examples": "Eksempler",
        "provenance": "Proveniens, licens og demodata",
        "provenance_text": (
            "Hver fil fortæller, hvor den kommer fra: dataversion, udtrækstidspunkt, kilder og "
            "licenser (Københavns Kommunes data er CC BY 4.0 og skal krediteres), om den "
            "indeholder syntetiske demodata, og hvilke diskretioneringsregler der er brugt. "
            "JSON og GeoJSON har et provenance-objekt, Excel et ark »provenance«, GeoPackage en "
            "tabel »provenance«, Parquet nøglen keob:provenance i metadata. CSV-filer har "
            "oplysningerne i svarets X-KEOB-*-headere."
        ),
        "disclosure": "Diskretionering",
        "disclosure_text": (
            "Indikatorerne leveres efter præcis samme diskretionering som i appen: små celler "
            "er undertrykt, og ingen undertrykt værdi kan regnes ud af andre tal. Undertrykte "
            "værdier er tomme (null) i alle formater."
        ),
        "caching": "Caching",
        "caching_text": (
            "Svarene har ETag og Last-Modified efter lagerets dataversion. Send If-None-Match "
            "med den ETag, du fik, så svarer API'et 304 Not Modified, indtil der er indlæst nye "
            "data. Store CSV- og JSON-udtræk streames."
        ),
        "problems": "Fejl",
        "problems_text": (
            "Fejl svarer med application/problem+json (RFC 9457): type, title, status, detail "
            "og instance, og ved ugyldige parametre invalid_params med navn og årsag."
        ),
        "col.status": "Status",
        "col.type": "Type",
    },
    "en": {
        "title": "Data API",
        "intro": (
            "Every table of KEOB can be fetched as a URL under {prefix}, ready for Excel, R, "
            "Python or QGIS. The API is read-only (GET and HEAD only). The machine-readable "
            "description (OpenAPI 3) is at {openapi}."
        ),
        "routes": "Routes",
        "col.route": "Route",
        "col.what": "Contents",
        "col.params": "Parameters",
        "col.formats": "Formats",
        "col.example": "Example",
        "params": "Parameters",
        "params_text": (
            "Parameters have the same name on every route where they apply. Repeatable "
            "parameters may also be comma-separated (area=B3,ub-alle)."
        ),
        "col.name": "Name",
        "col.meaning": "Meaning",
        "col.valid": "Valid values",
        "formats": "Formats",
        "formats_text": (
            "Choose the format with the extension (/api/v1/indicators.csv) or with format=. "
            "The default is JSON. Add _dl=1 to have the browser save the file."
        ),
        "col.format": "Format",
        "col.media": "Media type",
        "col.desc": "Description",
        "examples": "Examples",
        "provenance": "Provenance, licences and demo data",
        "provenance_text": (
            "Every file says where it comes from: data version, extraction time, sources and "
            "licences (the City of Copenhagen's data are CC BY 4.0 and must be credited), "
            "whether it holds synthetic demo data, and the disclosure rules applied. JSON and "
            "GeoJSON carry a provenance object, Excel a 'provenance' sheet, GeoPackage a "
            "'provenance' table, Parquet the key keob:provenance in its metadata. CSV files "
            "carry it in the response's X-KEOB-* headers."
        ),
        "disclosure": "Disclosure control",
        "disclosure_text": (
            "Indicators are served under exactly the disclosure control of the app: small "
            "cells are suppressed and no suppressed value can be derived from other figures. "
            "Suppressed values are empty (null) in every format."
        ),
        "caching": "Caching",
        "caching_text": (
            "Responses carry an ETag and Last-Modified from the store's data version. Send "
            "If-None-Match with the ETag you got and the API answers 304 Not Modified until new "
            "data are loaded. Large CSV and JSON extracts are streamed."
        ),
        "problems": "Errors",
        "problems_text": (
            "Errors are application/problem+json (RFC 9457): type, title, status, detail and "
            "instance, plus invalid_params with name and reason for bad parameters."
        ),
        "col.status": "Status",
        "col.type": "Type",
    },
}

EXAMPLES = (
    "/api/v1/indicators.csv?level=bydel&criterion=indkomst&year_from=2015",
    "/api/v1/indicators.csv-da?area=ub-alle&area=B3&_dl=1",
    "/api/v1/indicators.xlsx?level=udsat_byomraade&criterion=doemte",
    "/api/v1/areas.geojson?level=udsat_byomraade",
    "/api/v1/areas.gpkg?level=rode&_dl=1",
    "/api/v1/criteria.json",
    "/api/v1/coverage.parquet?level=rode",
    "/api/v1/facilities.geojson?kind=legeplads&area=ub-alle",
    "/api/v1/state-lists.csv?year_from=2021",
    "/api/v1/initiatives.json?area=ub-tingbjerg-husum",
    "/api/v1/batches.json",
    "/api/v1/indicators.json?level=bydel&as_of=2025-06-30",
)


def tx(key: str, lang: str, **values: object) -> str:
    text = TEXTS[normalise_lang(lang)][key]
    return text.format(**values) if values else text


def _code(text: str) -> html.Code:
    return html.Code(text)


def _link(url: str) -> html.A:
    return html.A(html.Code(url), href=url)


def routes_table(lang: str) -> html.Table:
    rows = []
    for route in api.ROUTES:
        url = f"{api.PREFIX}/{route.name}"
        summary = route.summary_da if lang == "da" else route.summary_en
        description = (route.description_da if lang == "da" else route.description_en).replace(
            "`", ""
        )
        rows.append(
            [
                _link(url),
                html.Span([html.Strong(summary), html.Br(), description]),
                ", ".join(route.params) or "–",
                ", ".join(route.formats),
            ]
        )
    return components.table(
        [
            tx("col.route", lang),
            tx("col.what", lang),
            tx("col.params", lang),
            tx("col.formats", lang),
        ],
        rows,
        class_name="data-table api-table",
    )


# The valid values in Danish for the Danish page; the API's own 400 messages stay English.
EXPECTED_DA = {
    "level": "ét af " + ", ".join(api.AREA_LEVELS),
    "area": "en områdekode som R101, K20802, B3, L5, ub-alle eller kbh",
    "criterion": "en kriteriekode fra /api/v1/criteria",
    "year_from": f"et helt årstal fra {api.YEAR_MIN} til {api.YEAR_MAX}",
    "year_to": f"et helt årstal fra {api.YEAR_MIN} til {api.YEAR_MAX}, ikke før year_from",
    "as_of": (
        "en ISO 8601-dato (2025-06-30) eller et tidspunkt (2025-06-30T14:00:00+02:00, "
        "2025-06-30T12:00:00Z)"
    ),
    "vintage": "et udpegningsår som 2021",
    "format": "ét af rutens formater",
    "rest_of_city": "true eller false",
    "city": "true eller false",
    "gap": "true eller false",
    "kind": "en facilitetstype",
    "_dl": "true eller false (eller 1/0)",
}


def params_table(lang: str) -> html.Table:
    rows = []
    for param in api.PARAMS.values():
        meaning = (param.description_da if lang == "da" else param.description_en).replace("`", "")
        name = param.name + (" (…)" if param.repeatable else "")
        expected = EXPECTED_DA.get(param.name, param.expected) if lang == "da" else param.expected
        rows.append([_code(name), meaning, expected])
    return components.table(
        [tx("col.name", lang), tx("col.meaning", lang), tx("col.valid", lang)],
        rows,
        class_name="data-table api-table",
    )


FORMAT_NOTES = {
    "csv": (
        "Komma, CRLF, UTF-8 uden BOM; true/false; tomme felter for manglende værdier.",
        "Comma, CRLF, UTF-8 without BOM; true/false; empty fields for missing values.",
    ),
    "csv-da": (
        "Til dansk Excel: semikolon, decimalkomma, UTF-8 med BOM.",
        "For Danish Excel: semicolon, decimal comma, UTF-8 with BOM.",
    ),
    "xlsx": (
        "Excel-projektmappe med arkene data, provenance og columns.",
        "Excel workbook with the sheets data, provenance and columns.",
    ),
    "json": (
        "Et objekt med provenance, columns og rows (én række pr. objekt).",
        "An object with provenance, columns and rows (one object per row).",
    ),
    "geojson": (
        "FeatureCollection i EPSG:4326 (RFC 7946) med provenance.",
        "FeatureCollection in EPSG:4326 (RFC 7946) with provenance.",
    ),
    "gpkg": (
        "GeoPackage til QGIS: datalaget og tabellen provenance.",
        "GeoPackage for QGIS: the data layer and a provenance table.",
    ),
    "parquet": (
        "Apache Parquet (GeoParquet for geometri), provenance i metadata.",
        "Apache Parquet (GeoParquet for geometry), provenance in the metadata.",
    ),
}


def formats_table(lang: str) -> html.Table:
    rows = []
    for spec in formats.FORMATS.values():
        da, en = FORMAT_NOTES.get(spec.name, ("", ""))
        rows.append(
            [
                _code(spec.name),
                _code(spec.media_type.split(";")[0]),
                da if lang == "da" else en,
            ]
        )
    return components.table(
        [tx("col.format", lang), tx("col.media", lang), tx("col.desc", lang)],
        rows,
        class_name="data-table api-table",
    )


def problems_table(lang: str) -> html.Table:
    rows = [
        [str(status), html.Code(f"{api.DOCS_PATH}#problem-{kind}", id=f"problem-{kind}"), title]
        for kind, (status, title) in api.PROBLEM_TITLES.items()
    ]
    return components.table(
        [tx("col.status", lang), tx("col.type", lang), "Title"],
        rows,
        class_name="data-table api-table",
    )


def examples(lang: str) -> html.Div:
    del lang
    items = [
        html.Li([_link(url), html.Pre(html.Code(f'curl -sS "http://localhost:8050{url}"'))])
        for url in EXAMPLES
    ]
    items.append(
        html.Li(
            html.Pre(
                html.Code(
                    "curl -sS -D - -o /dev/null -H 'If-None-Match: \"<etag>\"' "
                    '"http://localhost:8050/api/v1/criteria.csv"'
                )
            )
        )
    )
    return html.Ul(items, className="api-examples")


def layout(lang: str = "da", **_: object) -> html.Div:
    openapi = f"{api.PREFIX}/openapi.json"
    return html.Div(
        [
            *components.page_title(
                tx("title", lang), tx("intro", lang, prefix=api.PREFIX, openapi=openapi)
            ),
            html.P(["OpenAPI: ", _link(openapi), " · ", _link(api.PREFIX)]),
            html.Section(
                [
                    html.H2(tx("routes", lang)),
                    html.Div(routes_table(lang), className="table-scroll"),
                ],
                className="section",
                id=ROUTES_SECTION,
            ),
            html.Section(
                [
                    html.H2(tx("params", lang)),
                    html.P(tx("params_text", lang)),
                    html.Div(params_table(lang), className="table-scroll"),
                ],
                className="section",
            ),
            html.Section(
                [
                    html.H2(tx("formats", lang)),
                    html.P(tx("formats_text", lang)),
                    html.Div(formats_table(lang), className="table-scroll"),
                ],
                className="section",
            ),
            html.Section([html.H2(tx("examples", lang)), examples(lang)], className="section"),
            html.Section(
                [html.H2(tx("provenance", lang)), html.P(tx("provenance_text", lang))],
                className="section",
            ),
            html.Section(
                [html.H2(tx("disclosure", lang)), html.P(tx("disclosure_text", lang))],
                className="section",
            ),
            html.Section(
                [html.H2(tx("caching", lang)), html.P(tx("caching_text", lang))],
                className="section",
            ),
            html.Section(
                [
                    html.H2(tx("problems", lang)),
                    html.P(tx("problems_text", lang)),
                    html.Div(problems_table(lang), className="table-scroll"),
                ],
                className="section",
            ),
        ]
    )
