"""API page: the human-readable description of ``/api/v1``, in Danish and English.

Generated from the same route table as the routes and the OpenAPI document
(``dashboard.api.ROUTES`` / ``PARAMS``, ``indicators.formats.FORMATS``), so it cannot
drift from what the API does. The problem-type anchors (``#problem-invalid-parameter`` …)
are the ``type`` URIs of the API's problem-details responses.
"""

from __future__ import annotations

from dash import html

from dashboard import api, components
from dashboard.i18n import t
from indicators import formats

PATH = api.DOCS_PATH
NAV_KEY = "nav.api"
ROUTES_SECTION = "api-routes"

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
            t("api_docs.col.route", lang),
            t("api_docs.col.what", lang),
            t("api_docs.col.params", lang),
            t("api_docs.col.formats", lang),
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
        [
            t("api_docs.col.name", lang),
            t("api_docs.col.meaning", lang),
            t("api_docs.col.valid", lang),
        ],
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
        [
            t("api_docs.col.format", lang),
            t("api_docs.col.media", lang),
            t("api_docs.col.desc", lang),
        ],
        rows,
        class_name="data-table api-table",
    )


def problems_table(lang: str) -> html.Table:
    rows = [
        [str(status), html.Code(f"{api.DOCS_PATH}#problem-{kind}", id=f"problem-{kind}"), title]
        for kind, (status, title) in api.PROBLEM_TITLES.items()
    ]
    return components.table(
        [t("api_docs.col.status", lang), t("api_docs.col.type", lang), "Title"],
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
                t("api_docs.title", lang),
                t("api_docs.intro", lang, prefix=api.PREFIX, openapi=openapi),
            ),
            html.P(["OpenAPI: ", _link(openapi), " · ", _link(api.PREFIX)]),
            html.Section(
                [
                    html.H2(t("api_docs.routes", lang)),
                    html.Div(routes_table(lang), className="table-scroll"),
                ],
                className="section",
                id=ROUTES_SECTION,
            ),
            html.Section(
                [
                    html.H2(t("api_docs.params", lang)),
                    html.P(t("api_docs.params_text", lang)),
                    html.Div(params_table(lang), className="table-scroll"),
                ],
                className="section",
            ),
            html.Section(
                [
                    html.H2(t("api_docs.formats", lang)),
                    html.P(t("api_docs.formats_text", lang)),
                    html.Div(formats_table(lang), className="table-scroll"),
                ],
                className="section",
            ),
            html.Section(
                [html.H2(t("api_docs.examples", lang)), examples(lang)], className="section"
            ),
            html.Section(
                [
                    html.H2(t("api_docs.provenance", lang)),
                    html.P(t("api_docs.provenance_text", lang)),
                ],
                className="section",
            ),
            html.Section(
                [
                    html.H2(t("api_docs.disclosure", lang)),
                    html.P(t("api_docs.disclosure_text", lang)),
                ],
                className="section",
            ),
            html.Section(
                [html.H2(t("api_docs.caching", lang)), html.P(t("api_docs.caching_text", lang))],
                className="section",
            ),
            html.Section(
                [
                    html.H2(t("api_docs.problems", lang)),
                    html.P(t("api_docs.problems_text", lang)),
                    html.Div(problems_table(lang), className="table-scroll"),
                ],
                className="section",
            ),
        ]
    )
