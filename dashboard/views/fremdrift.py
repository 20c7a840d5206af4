"""Fremdrift 2035: the politicians' view of progress toward the policy's 2035 ambition.

First the goals *the policy itself sets* (Politik for udsatte byområder 2025-2035, as the
draft Handleplan 2027-2028 states them): fewer udsatte byområder in 2035 (the count per
designation vintage the store holds) and no boligområde at risk of the state lists (the
count per list year). Then, for the udsatte byområder together (or one byområde), per
criterion the gap to the rest of the city at the baseline and now, a straight-line
projection with its uncertainty, and the direction of the gap. The policy sets no target
for the gap, so a target path and "on track" appear only for targets configured in
``data/gap_targets.yaml``, labelled as assumptions. Survey criteria say "ingen sikker
ændring" when a change is within sampling noise, and "for få målinger" with fewer than
three measurements. The page's labels are the ``fremdrift.*`` texts of ``dashboard/texts``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, data, sections, urlstate
from dashboard.downloads import to_csv_bytes
from dashboard.figures import fremdrift as pfig
from dashboard.figures import statslister as slfig
from dashboard.i18n import format_number, normalise_lang, t
from indicators import progress as pg
from indicators import state_lists as sl
from indicators import survey
from indicators.registry import Indicator

PATH = "/fremdrift"
NAV_KEY = "nav.progress"
LEVEL = "udsat_byomraade"

# Component ids (this page only).
AREA = "fr-area"
BASELINE = "fr-baseline"
CRITERION = "fr-criterion"
HEADLINE = "fr-headline"
GOALS = "fr-goals"
STATUS_TABLE = "fr-status-table"
CHART = "fr-chart"
CHART_CAPTION = "fr-chart-caption"
GRID = "fr-grid"
GRID_CAPTION = "fr-grid-caption"
DEMO = "fr-demo"
DOWNLOAD_BUTTON = "fr-download-button"
DOWNLOAD = "fr-download"
CSV_FILE_NAME = "keob-fremdrift-{area}-{baseline}.csv"
NO_TARGET_DA = "ingen målsti: politikken sætter intet mål for forskellen"

STATUS_SYMBOLS = {
    "narrowing": "▼", "widening": "▲", "within_noise": "≈", "no_gap": "✔",
    "insufficient_data": "○", "on_track": "✔", "off_track": "✖",
}  # fmt: skip

POLICY_QUOTE_DA = (
    "Ambitionen med 'Politik for udsatte byområder' er, at der i 2035 skal være færre "
    "udsatte byområder, og at ingen boligområder er i risiko for at komme på statens lister "
    "over parallelsamfund."
)
POLICY_SOURCE_URL = (
    "https://kk.dk/dagsordener-og-referater/Teknik-%20og%20Milj%C3%B8udvalget/"
    "m%C3%B8de-03022025/referat/punkt-7"
)


def status_label(status: str, lang: str) -> str:
    labels = pg.STATUS_LABELS_EN if normalise_lang(lang) == "en" else pg.STATUS_LABELS_DA
    return f"{STATUS_SYMBOLS.get(status, '')} {labels.get(status, status)}".strip()


# ----------------------------------------------------------------------------- selection


def area_options(lang: str) -> list[dict]:
    table = data.areas((LEVEL,))
    order = [data.ALL_UDSATTE_CODE, *data.udsatte_codes()]
    names = dict(zip(table["code"], table["name"], strict=True))
    return [{"label": names.get(c, c), "value": c} for c in order if c in names]


def baseline_years() -> list[int]:
    return [y for y in data.years() if y <= pg.DEFAULT_BASELINE_YEAR] or data.years()


def selection(
    omraade: object = None, basisaar: object = None, kriterium: object = None
) -> tuple[str, int, str]:
    codes = {o["value"] for o in area_options("da")}
    area = omraade if isinstance(omraade, str) and omraade in codes else data.ALL_UDSATTE_CODE
    years = baseline_years()
    year = urlstate.as_int(basisaar)
    baseline = year if year in years else years[-1]
    return area, baseline, data.criterion_or_default(kriterium)


# ----------------------------------------------------------------------------- computation


def gap_targets() -> tuple[pg.GapTarget, ...]:
    """The configured (assumed) gap targets; the shipped file has none."""
    return pg.load_gap_targets()


def settings_for(baseline: int) -> pg.ProgressSettings:
    return pg.ProgressSettings(baseline_year=baseline, targets=gap_targets())


@data.memoize_per_version(maxsize=16)
def table_frame(area: str, baseline: int) -> pd.DataFrame:
    """The progress table of one area, with noise flags on the gap change."""
    comparison = data.comparison(LEVEL)
    comparison = comparison[comparison["area_code"] == area]
    table = pg.progress_table(comparison, settings_for(baseline))
    if table.empty:
        return table
    registry = data.monitor().registry
    frames = []
    # Survey criteria may fall back to other baseline and latest years than the register
    # ones (their own cadence), so the noise is judged per pair of years.
    for (b_year, l_year), part in table.groupby(["baseline_year", "latest_year"]):
        if not np.isfinite(b_year):
            continue
        noisy = survey.gap_change_with_noise(comparison, registry, int(b_year), int(l_year))
        noisy = noisy[noisy["indicator"].isin(part["indicator"])]
        frames.append(noisy[["indicator", "within_noise", "direction"]])
    if frames:
        flags = pd.concat(frames)
        table = table.merge(flags, on="indicator", how="left")
    else:
        table["within_noise"], table["direction"] = False, 0
    return table


@data.memoize_per_version(maxsize=64)
def series(area: str, baseline: int, indicator: str) -> pd.DataFrame:
    comparison = data.comparison(LEVEL)
    return pg.projection_series(comparison, area, indicator, settings_for(baseline))


def _area_name(area: str) -> str:
    row = data.area_row(area)
    return str(row["name"]) if row else area


def _change_text(row: pd.Series, ind: Indicator, lang: str) -> str:
    change = float(row["change"])
    if not np.isfinite(change):
        return "–"
    number = format_number(change, ind.decimals, lang, signed=True)
    if change == 0:
        return t("fremdrift.change.none", lang)
    if ind.is_survey and bool(row.get("within_noise", False)):
        return f"{number} ({t('fremdrift.change.noise', lang)})"
    word = t("fremdrift.change.better" if change < 0 else "fremdrift.change.worse", lang)
    return f"{number} ({word})"


def _with_year(text: str, year: float, shown: int) -> str:
    """A value measured in another year than the column's gets its year in brackets."""
    return text if not np.isfinite(year) or int(year) == shown else f"{text} ({int(year)})"


def _common_year(table: pd.DataFrame, column: str, default: int) -> int:
    """The year most criteria share (the register criteria), for the column header."""
    years = table[column].dropna()
    return int(years.mode().max()) if not years.empty else default


def status_table(area: str, baseline: int, lang: str) -> html.Table:
    table = table_frame(area, baseline).set_index("indicator")
    indicators = list(data.criteria_by_code().values())
    b_year = _common_year(table, "baseline_year", baseline) if not table.empty else baseline
    l_year = _common_year(table, "latest_year", baseline) if not table.empty else baseline
    has_target = not table.empty and bool((table["assumed_target"] != "").any())
    settings = settings_for(baseline)
    body = []
    for ind in indicators:
        if ind.code not in table.index:
            continue
        r = table.loc[ind.code]
        d = ind.decimals

        def num(value: float, d: int = d) -> str:
            return format_number(float(value), d, lang)

        def with_band(point: float, low: float, high: float) -> str:
            return "–" if not np.isfinite(point) else f"{num(point)} ({num(low)} – {num(high)})"

        status = status_label(r["status"], lang)
        if r["status"] in pg.TARGET_STATUSES and not r["certain"]:
            status += t("fremdrift.status.uncertain", lang)
        name = ind.name(lang) + (f" ({t('fremdrift.survey', lang)})" if ind.is_survey else "")
        points = f"{int(r['fit_points'])} ({int(r['fit_first_year'])}–{int(r['latest_year'])})"
        row = [
            name,
            _with_year(num(r["baseline_disadvantage"]), r["baseline_year"], b_year),
            _with_year(num(r["latest_disadvantage"]), r["latest_year"], l_year),
            _change_text(r, ind, lang),
            points,
            with_band(r["projected"], r["projected_low"], r["projected_high"]),
        ]
        if has_target:
            target = "–"
            if r["assumed_target"]:
                target = f"{num(r['assumed_target_value'])} ({int(r['assumed_target_year'])})"
            row += [
                target,
                with_band(
                    r["projected_at_target"],
                    r["projected_at_target_low"],
                    r["projected_at_target_high"],
                ),
            ]
        body.append([*row, status])
    columns = [
        t("fremdrift.col.criterion", lang),
        t("fremdrift.col.baseline", lang, year=b_year),
        t("fremdrift.col.now", lang, year=l_year),
        t("fremdrift.col.change", lang),
        t("fremdrift.col.points", lang),
        t("fremdrift.col.projected", lang, year=settings.horizon),
    ]
    numeric = [False, True, True, False, True, True]
    if has_target:
        columns += [t("fremdrift.col.target", lang), t("fremdrift.col.projected_target", lang)]
        numeric += [True, True]
    caption = t(
        "fremdrift.table.caption",
        lang,
        area=_area_name(area),
        unit="procentpoint" if lang == "da" else "percentage points",
        fit=settings.fit_years,
        confidence=round(settings.confidence * 100),
    )
    return components.table(
        [*columns, t("fremdrift.col.status", lang)],
        body,
        caption=caption,
        numeric=[*numeric, False],
    )


def _lists_counts() -> pd.DataFrame:
    frame = sections.state_lists_classified()
    return pd.DataFrame() if frame.empty else sl.counts_per_year(frame)


def headline(area: str, baseline: int, lang: str) -> str:
    table = table_frame(area, baseline)
    trend = table["trend"] if not table.empty else pd.Series(dtype=str)
    text = t(
        "fremdrift.headline",
        lang,
        area=_area_name(area),
        total=len(table),
        narrowing=int((trend == "narrowing").sum()),
        widening=int((trend == "widening").sum()),
        noise=int((trend == "within_noise").sum()),
        no_gap=int((trend == "no_gap").sum()),
        few=int((trend == "insufficient_data").sum()),
    )
    if not table.empty:
        judged = table[table["status"].isin(pg.TARGET_STATUSES)]
        if not judged.empty:
            on = int((judged["status"] == "on_track").sum())
            text += t("fremdrift.headline.targets", lang, on=on, judged=len(judged))
    counts = _lists_counts()
    if not counts.empty:
        last = counts.iloc[-1]
        text += t(
            "fremdrift.headline.lists", lang, at_risk=int(last["at_risk"]), year=int(last["year"])
        )
    return text


def chart(area: str, baseline: int, criterion: str, lang: str):  # type: ignore[no-untyped-def]
    ind = data.indicator(criterion)
    frame = series(area, baseline, criterion)
    figure = pfig.projection_figure(frame, ind, lang=lang)
    target = settings_for(baseline).target(area, criterion)
    values = dict(criterion=ind.name(lang), area=_area_name(area))
    if target is not None and frame["target"].notna().any():
        caption = t("fremdrift.chart.caption.target", lang, set_by=target.set_by, **values)
    else:
        caption = t("fremdrift.chart.caption", lang, **values)
    return figure, caption


def grid(area: str, baseline: int, lang: str):  # type: ignore[no-untyped-def]
    indicators = list(data.criteria_by_code().values())
    table = table_frame(area, baseline).set_index("indicator")
    statuses = {code: status_label(table.loc[code, "status"], lang) for code in table.index}
    by_code = {ind.code: series(area, baseline, ind.code) for ind in indicators}
    figure = pfig.progress_grid(by_code, indicators, statuses, lang=lang)
    return figure, t("fremdrift.grid.caption", lang, area=_area_name(area))


# ----------------------------------------------------------------------------- the goals


@data.memoize_per_version(maxsize=2)
def designation() -> pd.DataFrame:
    return pg.designation_from_monitor(data.monitor())


def designation_counts() -> pd.DataFrame:
    """Per stored designation vintage: areas, and residents in its latest year in force."""
    frame = designation()
    in_force = frame[frame["in_force"]]
    return in_force.sort_values("year").groupby("vintage").tail(1).sort_values("vintage")


def _fewer_areas_goal(lang: str) -> html.Section:
    counts = designation_counts()
    rows = [
        [
            str(int(r["vintage"])),
            str(int(r["areas"])),
            str(int(r["year"])),
            format_number(float(r["residents"]), 0, lang),
            f"{format_number(float(r['share']), 1, lang)} %",
        ]
        for _, r in counts.iterrows()
    ]
    stored = sorted(int(v) for v in designation()["vintage"].unique() if v)
    missing = [v for v in pg.POLICY_DESIGNATION_VINTAGES if v not in stored]
    caption = t("fremdrift.goal.fewer.caption", lang, stored=", ".join(map(str, stored)) or "–")
    if missing:
        caption += t("fremdrift.goal.fewer.missing", lang, missing=", ".join(map(str, missing)))
    frame = designation()
    return html.Section(
        [
            html.H3(t("fremdrift.goal.fewer", lang)),
            components.table(
                [
                    t("fremdrift.designation.col.vintage", lang),
                    t("fremdrift.designation.col.areas", lang),
                    t("fremdrift.designation.col.year", lang),
                    t("fremdrift.designation.col.residents", lang),
                    t("fremdrift.designation.col.share", lang),
                ],
                rows,
                caption=caption,
                numeric=[False, True, True, True, True],
            ),
            components.figure(
                components.graph("fr-designation-graph", pfig.designation_figure(frame, lang=lang)),
                t("fremdrift.designation.caption", lang),
            ),
        ],
        className="goal",
    )


def _lists_goal(lang: str) -> html.Section:
    counts = _lists_counts()
    heading = html.H3(t("fremdrift.goal.lists", lang))
    if counts.empty:
        return html.Section(
            [heading, html.P(t("fremdrift.goal.lists.none", lang))], className="goal"
        )
    last = counts.iloc[-1]
    rows = [
        [str(int(r["year"])), str(int(r["listed"])), str(int(r["high"])), str(int(r["at_risk"]))]
        for _, r in counts.iterrows()
    ]
    return html.Section(
        [
            heading,
            html.P(
                t(
                    "fremdrift.goal.lists.now",
                    lang,
                    year=int(last["year"]),
                    listed=int(last["listed"]),
                    high=int(last["high"]),
                    at_risk=int(last["at_risk"]),
                ),
                className="goal-status",
            ),
            components.figure(
                components.graph("fr-lists-graph", slfig.counts_figure(counts, lang=lang)),
                t("fremdrift.goal.lists.caption", lang),
            ),
            html.Details(
                [
                    html.Summary(t("fremdrift.lists.details", lang)),
                    components.table(
                        [
                            t("fremdrift.lists.col.year", lang),
                            t("fremdrift.lists.col.listed", lang),
                            t("fremdrift.lists.col.high", lang),
                            t("fremdrift.lists.col.at_risk", lang),
                        ],
                        rows,
                        caption=t("fremdrift.goal.lists.caption", lang),
                        numeric=[False, True, True, True],
                    ),
                ]
            ),
            dcc.Link(
                t("fremdrift.lists.link", lang), href=urlstate.href(sections.STATE_LISTS_PATH, lang)
            ),
        ],
        className="goal",
    )


def goals_section(lang: str) -> html.Section:
    """The policy's own goals, quoted, with what the store says about each."""
    gap_note = [html.P(t("fremdrift.goal.gap", lang))]
    targets = gap_targets()
    if targets:
        listed = "; ".join(
            f"{target.criterion} ({target.area}): {target.set_by}, {target.source}"
            for target in targets
        )
        gap_note.append(
            html.P(t("fremdrift.goal.gap.assumed", lang, targets=listed), className="note")
        )
    return html.Section(
        [
            html.H2(t("fremdrift.goals.title", lang)),
            html.P(t("fremdrift.goals.quote_intro", lang)),
            html.Blockquote(
                [
                    html.P(f"»{POLICY_QUOTE_DA}«", lang="da"),
                    html.Footer(
                        html.A(
                            t("fremdrift.goals.quote_source", lang),
                            href=POLICY_SOURCE_URL,
                            rel="external",
                        )
                    ),
                ]
            ),
            _fewer_areas_goal(lang),
            _lists_goal(lang),
            *gap_note,
        ],
        id=GOALS,
    )


# ----------------------------------------------------------------------------- layout


def layout(
    lang: str = "da",
    omraade: object = None,
    basisaar: object = None,
    kriterium: object = None,
    **_: object,
) -> html.Div:
    lang = normalise_lang(lang)
    area, baseline, criterion = selection(omraade, basisaar, kriterium)
    big, big_caption = chart(area, baseline, criterion, lang)
    small, small_caption = grid(area, baseline, lang)
    comparison = data.comparison(LEVEL)
    settings = settings_for(baseline)
    criteria = list(data.criteria_by_code().values())
    return html.Div(
        [
            *components.page_title(t("fremdrift.title", lang), t("fremdrift.intro", lang)),
            components.demo_banner(lang, data.synthetic_years(comparison), DEMO),
            html.P(headline(area, baseline, lang), id=HEADLINE, className="headline"),
            goals_section(lang),
            html.Div(
                [
                    components.control(
                        t("fremdrift.area", lang),
                        dcc.Dropdown(
                            id=AREA, options=area_options(lang), value=area, clearable=False
                        ),
                        AREA,
                    ),
                    components.control(
                        t("fremdrift.baseline", lang),
                        dcc.Dropdown(
                            id=BASELINE,
                            options=[{"label": str(y), "value": y} for y in baseline_years()],
                            value=baseline,
                            clearable=False,
                        ),
                        BASELINE,
                    ),
                    components.control(
                        t("fremdrift.criterion", lang),
                        dcc.Dropdown(
                            id=CRITERION,
                            options=[{"label": c.name(lang), "value": c.code} for c in criteria],
                            value=criterion,
                            clearable=False,
                        ),
                        CRITERION,
                    ),
                ],
                className="controls",
            ),
            html.Section(
                [
                    html.H2(t("fremdrift.table.title", lang)),
                    html.Div(
                        status_table(area, baseline, lang), id=STATUS_TABLE, className="table-wrap"
                    ),
                    components.figure(components.graph(CHART, big), big_caption, CHART_CAPTION),
                ]
            ),
            html.Section(
                [
                    html.H2(t("fremdrift.grid.title", lang)),
                    components.figure(components.graph(GRID, small), small_caption, GRID_CAPTION),
                ]
            ),
            html.Section(
                [
                    html.H2(t("fremdrift.method.title", lang)),
                    html.P(
                        t(
                            "fremdrift.method.text",
                            lang,
                            baseline=baseline,
                            fit=settings.fit_years,
                            confidence=round(settings.confidence * 100),
                            min_points=settings.min_points,
                        )
                    ),
                ]
            ),
            html.Div(
                [
                    html.Button(
                        t("fremdrift.download", lang), id=DOWNLOAD_BUTTON, className="button"
                    ),
                    dcc.Download(id=DOWNLOAD),
                ],
                className="downloads",
            ),
        ]
    )


# ----------------------------------------------------------------------------- callbacks


def update(area: object, baseline: object, criterion: object, search: str | None):  # type: ignore[no-untyped-def]
    """New area, baseline or criterion: headline, table, both charts and the URL."""
    lang = urlstate.lang_of(search)
    a, b, c = selection(area, baseline, criterion)
    if (a, b, c) == urlstate.from_url(search, selection):
        raise PreventUpdate  # Dash calls this when it inserts the page, built from this URL
    big, big_caption = chart(a, b, c, lang)
    small, small_caption = grid(a, b, lang)
    return (
        headline(a, b, lang),
        status_table(a, b, lang),
        big,
        big_caption,
        small,
        small_caption,
        urlstate.updated(search, omraade=a, basisaar=b, kriterium=c),
    )


def download_frame(area: object, baseline: object) -> pd.DataFrame:
    """The table as downloaded: ``assumed_target`` says for every row whether a target
    path exists and, if so, that it is an assumption and who set it."""
    a, b, _ = selection(area, baseline)
    table = table_frame(a, b)
    if table.empty:
        raise PreventUpdate
    out = table.copy()
    out["assumed_target"] = out["assumed_target"].where(out["assumed_target"] != "", NO_TARGET_DA)
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(4)
    return out


def download(area: object, baseline: object):  # type: ignore[no-untyped-def]
    a, b, _ = selection(area, baseline)
    return dcc.send_bytes(
        to_csv_bytes(download_frame(a, b)), CSV_FILE_NAME.format(area=a, baseline=b)
    )
