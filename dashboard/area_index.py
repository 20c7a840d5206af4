"""Every area a visitor can look up by name: the header's search box and the pickers of
Sammenlign and Tvillingeområder.

An area is listed when its level has published values (boligområder only once loaded);
labels carry the level (``Nørrebro (bydel)``), since names repeat across levels.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
from dash import html, no_update

from dashboard import data, urlstate
from dashboard.i18n import level_name

#: Every level a visitor can look up, in the order the lists show them.
LEVELS = ("udsat_byomraade", "bydel", "lokaludvalg", "kvarter", "rode", "boligomraade")
#: The most matches the search box offers at once.
SEARCH_LIMIT = 20


@data.memoize_per_version(maxsize=8)
def area_table(levels: tuple[str, ...] = LEVELS) -> pd.DataFrame:
    """``code, name, level`` of the areas of ``levels`` with published values, in order."""
    present = tuple(lv for lv in levels if not data.comparison(lv).empty)
    table = data.areas(present)
    order = {lv: i for i, lv in enumerate(present)}
    return (
        table.assign(_order=table["level"].map(order))
        .sort_values(["_order", "name", "code"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def label(name: str, level: str, lang: str) -> str:
    return f"{name} ({level_name(level, lang).lower()})"


@data.memoize_per_version(maxsize=16)
def area_options(lang: str, levels: tuple[str, ...] = LEVELS) -> list[dict]:
    """Dropdown options (label with level, value = code)."""
    return [
        {"label": label(r["name"], r["level"], lang), "value": r["code"]}
        for r in area_table(levels).to_dict("records")
    ]


def _folded(text: str) -> str:
    """Case- and accent-insensitive form, so "mjolner" finds "Mjølnerparken"."""
    text = text.casefold().replace("ø", "o").replace("æ", "ae").replace("å", "aa")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search(query: str | None, lang: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Options whose name contains ``query`` (or whose code is it): exact names first,
    then names starting with it."""
    wanted = _folded((query or "").strip())
    if not wanted:
        return []
    table = area_table()
    folded = table["name"].map(_folded)
    hits = table[
        folded.str.contains(wanted, regex=False) | (table["code"].str.casefold() == wanted)
    ]
    # The exact name first, then names starting with the text, then the rest.
    names = folded[hits.index]
    closeness = (names != wanted).astype(int) + (~names.str.startswith(wanted)).astype(int)
    hits = hits.assign(_close=closeness).sort_values("_close", kind="mergesort").head(limit)
    return [
        {"label": label(r["name"], r["level"], lang), "value": r["code"]}
        for r in hits.to_dict("records")
    ]


# ----------------------------------------------------------------------------- callbacks


def search_box(
    text: str | None, submitted: bool, url_search: str | None
) -> tuple[list | object, str | object]:
    """Callback body of the header's box: (datalist suggestions, href to open).

    A text that is exactly a suggestion's label (picked from the list) opens that area;
    Enter opens the best match. Otherwise the suggestions follow the text.
    """
    lang = urlstate.lang_of(url_search)
    hits = search(text, lang)
    # A picked suggestion fills the box with its whole label, level and all.
    wanted = _folded((text or "").strip())
    exact = [o for o in area_options(lang) if _folded(o["label"]) == wanted]
    chosen = exact[0] if exact else hits[0] if submitted and hits else None
    if chosen is not None:
        return no_update, profile_href(chosen["value"], url_search)
    return [html.Option(value=o["label"]) for o in hits], no_update


def profile_href(code: str, url_search: str | None) -> str:
    """A picked area → its profile, in the page's language."""
    return urlstate.href(f"/omraade/{code}", urlstate.lang_of(url_search))
