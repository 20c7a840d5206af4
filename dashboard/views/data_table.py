"""Data: choose level, criteria and years; preview the rows and download them as CSV."""

from __future__ import annotations

from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, data, ids, urlstate
from dashboard.downloads import indicator_csv_bytes, indicator_extract
from dashboard.i18n import format_number, level_name, t
from indicators.registry import load_registry

PREVIEW_ROWS = 25
CSV_FILE_NAME = "keob-{level}.csv"


def selection(niveau: object, kriterier: object, fra: object, til: object):
    """Validated (level, criteria, year_from, year_to) from URL or control values."""
    level = niveau if niveau in data.DATA_LEVELS else data.DATA_LEVELS[0]
    known = data.criteria_by_code()
    # No parameter means every criterion; an empty choice in the checklist means none.
    chosen = (
        list(known) if kriterier is None else [c for c in urlstate.as_list(kriterier) if c in known]
    )
    years = data.years()
    year_from = urlstate.as_int(fra, years[0])
    year_to = urlstate.as_int(til, years[-1])
    year_from = min(max(year_from, years[0]), years[-1])
    year_to = min(max(year_to, year_from), years[-1])
    return str(level), chosen, year_from, year_to


def extract(level: str, criteria: list[str], year_from: int, year_to: int):
    return _extract(level, tuple(criteria), year_from, year_to)


@data.memoize_per_version(maxsize=32)
def _extract(level: str, criteria: tuple[str, ...], year_from: int, year_to: int):
    """Memoised per data version: the preview and the CSV download share one extract."""
    return indicator_extract(level, list(criteria), year_from, year_to)


def preview(level: str, criteria: list[str], year_from: int, year_to: int, lang: str):
    """The first rows as an HTML table, plus the synthetic years in the selection."""
    frame = extract(level, criteria, year_from, year_to)
    if frame.empty:
        return html.P(t("data.no_rows", lang)), []
    registry = load_registry()
    head = frame.head(PREVIEW_ROWS)
    rows = []
    for rec in head.to_dict("records"):
        places = registry[rec["criterion"]].decimals
        rows.append(
            [
                rec["area_code"],
                rec["area_name"],
                rec["criterion"],
                str(rec["year"]),
                format_number(rec["numerator"], 0, lang),
                format_number(rec["denominator"], 0, lang),
                format_number(rec["value"], places, lang),
                format_number(rec["rest_of_city_value"], places, lang),
                format_number(rec["city_value"], places, lang),
                format_number(rec["gap"], places, lang, signed=True),
                t("demo.badge", lang) if rec["synthetic"] else "",
            ]
        )
    columns = [
        "area_code",
        "area_name",
        "criterion",
        "year",
        "numerator",
        "denominator",
        "value",
        "rest_of_city_value",
        "city_value",
        "gap",
        "synthetic",
    ]
    numeric = [False, False, False, True, True, True, True, True, True, True, False]
    shown = t(
        "data.preview",
        lang,
        shown=format_number(len(head), 0, lang),
        total=format_number(len(frame), 0, lang),
    )
    table = html.Div(
        [html.P(shown), components.table(columns, rows, numeric=numeric)],
        className="table-scroll",
    )
    return table, data.synthetic_years(frame)


def layout(
    lang: str = "da",
    niveau: object = None,
    kriterier: object = None,
    fra: object = None,
    til: object = None,
    **_: object,
) -> html.Div:
    level, criteria, year_from, year_to = selection(niveau, kriterier, fra, til)
    years = data.years()
    table, synthetic = preview(level, criteria, year_from, year_to, lang)
    controls = html.Div(
        [
            components.control(
                t("common.level", lang),
                dcc.Dropdown(
                    id=ids.DATA_LEVEL,
                    options=[
                        {"label": level_name(lv, lang, plural=True), "value": lv}
                        for lv in data.DATA_LEVELS
                    ],
                    value=level,
                    clearable=False,
                    searchable=False,
                ),
                ids.DATA_LEVEL,
            ),
            components.control(
                t("common.criteria", lang),
                dcc.Checklist(
                    id=ids.DATA_CRITERIA,
                    options=[
                        {"label": c.name(lang), "value": code}
                        for code, c in data.criteria_by_code().items()
                    ],
                    value=criteria,
                    className="checklist",
                ),
                ids.DATA_CRITERIA,
            ),
            components.control(
                t("data.years", lang),
                dcc.RangeSlider(
                    id=ids.DATA_YEARS,
                    min=years[0],
                    max=years[-1],
                    step=1,
                    value=[year_from, year_to],
                    # The ends are in the slider's input boxes; marks every fifth year.
                    marks={y: str(y) for y in years if y % 5 == 0},
                    tooltip={"placement": "bottom", "always_visible": False},
                    allowCross=False,
                ),
                ids.DATA_YEARS,
            ),
        ],
        className="controls controls-data",
    )
    return html.Div(
        [
            *components.page_title(t("data.title", lang), t("data.intro", lang)),
            controls,
            html.Div(
                [
                    html.Button(
                        t("data.download", lang),
                        id=ids.DATA_DOWNLOAD_BUTTON,
                        className="button",
                        n_clicks=0,
                    ),
                    dcc.Download(id=ids.DATA_DOWNLOAD),
                    html.Span(t("data.csv_note", lang), className="note"),
                ],
                className="download-row",
            ),
            components.demo_banner(lang, synthetic, ids.DATA_DEMO),
            html.Div(table, id=ids.DATA_PREVIEW),
        ]
    )


def update(level: object, criteria: object, years: list | None, search: str | None):
    """Callback body: a new selection → preview, demo banner and URL."""
    lang = urlstate.lang_of(search)
    year_from, year_to = (years or [None, None])[:2]
    chosen = selection(level, criteria, year_from, year_to)
    params = urlstate.parse(search)
    if chosen == selection(*(params.get(k) for k in ("niveau", "kriterier", "fra", "til"))):
        # Dash also calls this when the page is inserted; the page was built from the URL.
        raise PreventUpdate
    level, criteria, year_from, year_to = chosen
    table, synthetic = preview(level, criteria, year_from, year_to, lang)
    banner = components.demo_banner(lang, synthetic)
    search = urlstate.updated(search, niveau=level, kriterier=criteria, fra=year_from, til=year_to)
    return table, not synthetic, banner.children, search


def download(level: object, criteria: object, years: list | None) -> dict:
    """Callback body: the selection as a CSV file for ``dcc.Download``."""
    year_from, year_to = (years or [None, None])[:2]
    level, criteria, year_from, year_to = selection(level, criteria, year_from, year_to)
    frame = extract(level, criteria, year_from, year_to)
    return dcc.send_bytes(indicator_csv_bytes(frame), CSV_FILE_NAME.format(level=level))
