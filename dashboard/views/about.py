"""Om data: the registry as a table, sources and licences, and the demo-data statement."""

from __future__ import annotations

from dash import html

from dashboard import components, data
from dashboard.i18n import t, years_text
from indicators.registry import Indicator, age_band_label

REGISTRY_SECTION = "about-criteria"


def definition_cell(ind: Indicator, lang: str) -> list:
    """The definition, the configured age band and a link to the caveat (written out in
    full in :func:`caveats_section`, so the table stays readable)."""
    cell: list = [ind.definition(lang)]
    if ind.age_range is not None:
        band = age_band_label(*ind.age_range)
        cell.append(html.Div(t("about.age_band", lang, band=band), className="note"))
    if ind.caveat(lang):
        link = html.A(t("about.caveat", lang), href=f"#forbehold-{ind.code}")
        cell.append(html.Div(link, className="note"))
    return cell


def polarity_text(indicator: Indicator, lang: str) -> str:
    if indicator.polarity > 0:
        return t("polarity.higher_better", lang)
    if indicator.polarity < 0:
        return t("polarity.higher_worse", lang)
    return t("polarity.neutral", lang)


def registry_table(lang: str) -> html.Table:
    rows = [
        [
            html.Strong(ind.name(lang)),
            definition_cell(ind, lang),
            ind.numerator_en if lang == "en" else ind.numerator_da,
            ind.denominator_en if lang == "en" else ind.denominator_da,
            t("unit.pct_long" if ind.unit == "pct" else "unit.count", lang),
            polarity_text(ind, lang),
            t(f"basis.{ind.basis}", lang),
            ind.source,
        ]
        for ind in data.criteria_by_code().values()
    ]
    return components.table(
        [
            t("about.col.name", lang),
            t("about.col.definition", lang),
            t("about.col.numerator", lang),
            t("about.col.denominator", lang),
            t("about.col.unit", lang),
            t("about.col.polarity", lang),
            t("about.col.basis", lang),
            t("about.col.source", lang),
        ],
        rows,
        class_name="data-table registry-table",
    )


def provenance_table(lang: str) -> html.Table:
    criteria = data.criteria_by_code()
    rows = [
        [
            criteria[rec["indicator"]].name(lang),
            years_text(rec["real_years"]),
            years_text(rec["synthetic_years"]),
        ]
        for rec in data.provenance_by_indicator().to_dict("records")
    ]
    return components.table(
        [
            t("about.col.name", lang),
            t("about.col.real_years", lang),
            t("about.col.synthetic_years", lang),
        ],
        rows,
    )


def caveats_section(lang: str) -> html.Section | None:
    """Every indicator whose definition carries a caveat, in full, under its name."""
    items = [ind for ind in data.criteria_by_code().values() if ind.caveat(lang)]
    if not items:
        return None
    body: list = [html.H2(t("about.caveats", lang)), html.P(t("about.caveats_text", lang))]
    for ind in items:
        body += [
            html.H3(f"{ind.name(lang)} ({ind.short(lang).lower()})", id=f"forbehold-{ind.code}"),
            html.P(ind.definition(lang)),
            html.P(ind.caveat(lang)),
        ]
    return html.Section(body, className="section", id="forbehold")


def layout(lang: str = "da", **_: object) -> html.Div:
    attribution = data.attribution() or t("footer.attribution_fallback", lang)
    synthetic = sorted({y for ys in data.provenance_by_indicator()["synthetic_years"] for y in ys})
    sections = [
        *components.page_title(t("about.title", lang)),
        html.Section(
            [
                html.H2(t("about.demo", lang)),
                components.demo_banner(lang, synthetic),
                html.P(t("about.demo_text", lang)),
                provenance_table(lang),
            ],
            className="section",
        ),
        html.Section(
            [
                html.H2(t("about.criteria", lang)),
                html.Div(registry_table(lang), className="table-scroll"),
            ],
            className="section",
            id=REGISTRY_SECTION,
        ),
        caveats_section(lang),
        html.Section(
            [html.H2(t("about.method", lang)), html.P(t("about.method_text", lang))],
            className="section",
        ),
        html.Section(
            [
                html.H2(t("about.sources", lang)),
                html.P(t("about.sources_text", lang)),
                html.Blockquote(attribution),
                html.P(t("about.licence", lang)),
                html.A(
                    "CC BY 4.0",
                    href="https://creativecommons.org/licenses/by/4.0/",
                    rel="license",
                ),
            ],
            className="section",
        ),
    ]
    return html.Div([s for s in sections if s is not None])
