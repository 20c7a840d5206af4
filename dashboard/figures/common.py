"""What every page's figures share: colours, scales, the base layout, the map frame.

Colour rules (the same everywhere):

* Better/worse: blue ``BETTER`` and orange-red ``WORSE`` (Okabe-Ito, colour-blind safe),
  always paired with a symbol or word so colour is never the only cue.
* Maps: one sequential scale where *worse is darker*, whatever the indicator's polarity;
  for an indicator where higher is better the scale is reversed.
* Lines: the area solid and dark, the rest of the city dashed grey, the city dotted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import PLOTLY_SEPARATORS, normalise_lang, t

BETTER = "#0072B2"
WORSE = "#D55E00"
NEUTRAL = "#6B6B6B"
# WORSE darkened for text and for white text on it: #D55E00 reaches only 3.9:1 on white,
# WCAG AA asks 4.5:1 for normal text (this is 5.6:1). Lines and fills keep WORSE.
WORSE_TEXT = "#AD4A00"
AREA_LINE = "#4B2C83"
REST_LINE = "#6B6B6B"
CITY_LINE = "#A8A8A8"
NO_DATA_FILL = "#E6E6E6"
OUTLINE = "#111111"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', Arial, sans-serif"

# Light (better) to dark (worse): ColorBrewer OrRd, colour-blind safe and printable.
WORSE_IS_DARK = [
    [0.0, "#FFF7EC"],
    [0.25, "#FDD49E"],
    [0.5, "#FC8D59"],
    [0.75, "#D7301F"],
    [1.0, "#7F0000"],
]
TRANSPARENT_SCALE = [[0.0, "rgba(0,0,0,0)"], [1.0, "rgba(0,0,0,0)"]]
NO_DATA_SCALE = [[0.0, NO_DATA_FILL], [1.0, NO_DATA_FILL]]


def direction_colour(direction: int) -> str:
    """+1 (better) → blue, -1 (worse) → orange-red, 0 → grey."""
    return BETTER if direction > 0 else WORSE if direction < 0 else NEUTRAL


def direction_text_colour(direction: int) -> str:
    """``direction_colour`` for text (or a text background): at least 4.5:1 against white."""
    return BETTER if direction > 0 else WORSE_TEXT if direction < 0 else NEUTRAL


def map_colorscale(polarity: int) -> list[list]:
    """The map's scale with worse values dark: reversed when a higher value is better."""
    if polarity > 0:
        return [[round(1.0 - pos, 4), colour] for pos, colour in reversed(WORSE_IS_DARK)]
    return [list(stop) for stop in WORSE_IS_DARK]


def colour_range(values: pd.Series) -> tuple[float, float]:
    """zmin/zmax from the 2nd-98th percentile, so one tiny area cannot wash out the map."""
    present = values.dropna().to_numpy(dtype=float)
    if present.size == 0:
        return 0.0, 1.0
    low, high = np.percentile(present, [2, 98])
    if high <= low:
        high = low + 1.0
    return float(low), float(high)


#: Room under a map for its horizontal colour bar.
MAP_BOTTOM_MARGIN = 64


def map_colorbar(title: str, suffix: str) -> dict:
    """A horizontal colour bar under the map: beside it, the bar took half of a phone's
    width and left the map a stamp."""
    return {
        "title": {"text": title, "side": "top"},
        "ticksuffix": suffix,
        "orientation": "h",
        "thickness": 12,
        "len": 0.8,
        "x": 0.5,
        "xanchor": "center",
        "y": 0,
        "yanchor": "top",
    }


def base_layout(lang: str, **extra: object) -> dict:
    layout = {
        "separators": PLOTLY_SEPARATORS[normalise_lang(lang)],
        "font": {"family": FONT, "size": 13, "color": "#1B1B1B"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT}},
    }
    layout.update(extra)
    return layout


def no_data_trace(
    geojson_url: str, missing: pd.DataFrame, lang: str, uid: str, **extra: object
) -> go.Choropleth:
    """Grey shapes for the areas without a (published) value, with a "no data" hover.

    ``missing`` has ``area_code`` and ``area_name``.
    """
    return go.Choropleth(
        geojson=geojson_url,
        locations=missing["area_code"].tolist(),
        z=[0] * len(missing),
        zmin=0,
        zmax=1,
        colorscale=NO_DATA_SCALE,
        showscale=False,
        marker={"line": {"color": "#FFFFFF", "width": 0.4}},
        customdata=missing[["area_name"]].to_numpy().tolist(),
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>{t('common.no_data', lang)}<extra></extra>",
        name=t("common.no_data", lang),
        uid=uid,
        **extra,
    )


def geo_frame(bounds: tuple[float, float, float, float] | None) -> dict:
    """The geo subplot: no base map (nothing to fetch), mercator, framed on ``bounds``."""
    frame: dict = {
        "visible": False,
        "projection": {"type": "mercator"},
        "bgcolor": "rgba(0,0,0,0)",
    }
    if bounds is None:
        frame["fitbounds"] = "locations"
        return frame
    west, south, east, north = bounds
    pad_x, pad_y = (east - west) * 0.01, (north - south) * 0.01
    frame["fitbounds"] = False
    frame["lonaxis"] = {"range": [west - pad_x, east + pad_x]}
    frame["lataxis"] = {"range": [south - pad_y, north + pad_y]}
    return frame
