"""The shipped Copenhagen geography turned into the indicator store's areas.

Pure geopandas/shapely functions: no Dash, Plotly, Flask or SQLAlchemy here.

The base unit is the *rode* (KK's smallest statistical unit, ``kk_rode_2023.geojson``).
Every aggregate (kvarter, bydel, lokaludvalg, udsat byområde, the whole city) is made by
dissolving its member roder, so aggregate geometries and membership are consistent with
any statistic summed over roder. Social-housing estates (*almene boligafdelinger*) are a
separate level that is not built from roder.

Area codes are a fixed contract that other code relies on:

==================  ========================================  =========================
level               code                                      name
==================  ========================================  =========================
``rode``            ``R{rode_nr}`` (``R242``)                 ``rodenavn``
``kvarter``         ``K{kvarternr}`` (``K20802``)             ``kvarternavn``
``bydel``           ``B{bydel_nr}`` (``B1`` … ``B10``)        ``navn`` of the bydel layer
``lokaludvalg``     ``L{lokaludvalgnr}`` (``L1`` … ``L12``)   ``lokaludvalgnavn``
``udsat_byomraade`` ``ub-tingbjerg-husum`` …, ``ub-alle``     as in the data
``boligomraade``    ``A{selskabsnummer}-{afdelingsnummer}``   ``afdelingsnavn (selskab)``
``city``            ``kbh``                                   ``København``
==================  ========================================  =========================

Geometry practice (docs/engineering.md §5): metric work in EPSG:25832, output in
EPSG:4326. Every public function raises ``ValueError`` on an input without a CRS.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

logger = logging.getLogger(__name__)

#: The area levels, in the store's order (same strings as ``db.models.AREA_LEVELS``).
LEVELS: tuple[str, ...] = (
    "rode",
    "kvarter",
    "bydel",
    "lokaludvalg",
    "udsat_byomraade",
    "boligomraade",
    "city",
)

LEVEL_LABELS_DA: dict[str, str] = {
    "rode": "Rode",
    "kvarter": "Kvarter",
    "bydel": "Bydel",
    "lokaludvalg": "Lokaludvalg",
    "udsat_byomraade": "Udsat byområde",
    "boligomraade": "Boligområde",
    "city": "Hele byen",
}

LEVEL_LABELS_EN: dict[str, str] = {
    "rode": "Rode (statistical district)",
    "kvarter": "Neighbourhood (kvarter)",
    "bydel": "City district (bydel)",
    "lokaludvalg": "Local committee area",
    "udsat_byomraade": "Disadvantaged urban area",
    "boligomraade": "Social housing estate",
    "city": "Whole city",
}

#: Published name of each udsat byområde (as in the data) → area code, in display order.
UDSAT_CODES: dict[str, str] = {
    "Tingbjerg/Husum": "ub-tingbjerg-husum",
    "Nordvest/Ryparken": "ub-nordvest-ryparken",
    "Nørrebro": "ub-noerrebro",
    "Valby/Sydhavnen": "ub-valby-sydhavnen",
    "Amager/Sundby": "ub-amager-sundby",
}
UDSAT_ALL_CODE = "ub-alle"
UDSAT_ALL_NAME = "De udsatte byområder samlet"
CITY_CODE = "kbh"
CITY_NAME = "København"

#: Explicit spelling variants of bydel names seen in KK data (normalised key → canonical
#: key). Normalisation (``_bydel_key``) already folds case, whitespace and "/" vs "-";
#: this table handles abbreviations and older names.
BYDEL_ALIASES: dict[str, str] = {
    "vesterbro-kgs. enghave": "vesterbro-kongens enghave",
    "vesterbro-kgs enghave": "vesterbro-kongens enghave",
    "kgs. enghave": "vesterbro-kongens enghave",
    "brønshøj": "brønshøj-husum",
}

METRIC_CRS = "EPSG:25832"
WEB_CRS = "EPSG:4326"
WEB_PRECISION = 1e-6  # degrees; about 0.11 m north-south, 0.06 m east-west here
COORD_DECIMALS = 6

RODER_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "rode_nr",
    "kvarter_code",
    "kvarter_name",
    "bydel_code",
    "bydel_name",
    "lokaludvalg_code",
    "lokaludvalg_name",
    "udsat_code",
    "udsat_name",
    "area_m2",
    "geometry",
)

DWELLING_COLUMNS: tuple[str, ...] = (
    "antal_familie_boliger",
    "antal_ungdomsboliger",
    "antal_aeldre_boliger",
    "antal_plejeboliger",
)

_RODE_SOURCE_COLUMNS = (
    "rodenavn",
    "rode_nr",
    "bydel",
    "kvarternr",
    "kvarternavn",
    "lokaludvalgnr",
    "lokaludvalgnavn",
    "udsat_byomraade",
)

# Aggregates built from roder: level, code column, name column.
_AGGREGATES: tuple[tuple[str, str, str], ...] = (
    ("kvarter", "kvarter_code", "kvarter_name"),
    ("bydel", "bydel_code", "bydel_name"),
    ("lokaludvalg", "lokaludvalg_code", "lokaludvalg_name"),
    ("udsat_byomraade", "udsat_code", "udsat_name"),
)

_POLYGONAL = ("Polygon", "MultiPolygon")


# --------------------------------------------------------------------------- helpers


def _require_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> None:
    """Raise ``ValueError`` when ``gdf`` has no CRS."""
    if gdf.crs is None:
        raise ValueError(
            f"{what} has no CRS; set one explicitly (the shipped layers are EPSG:4326)."
        )


def _read_layer(path: str | PathLike[str], what: str) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(path)
    _require_crs(gdf, f"{what} ({path})")
    if gdf.crs != WEB_CRS:
        gdf = gdf.to_crs(WEB_CRS)
    return gdf


def _require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}")


def _polygonal(geom: Any) -> Any:
    """Keep only the polygonal part of a geometry (``make_valid`` may return collections)."""
    if geom is None or geom.is_empty or geom.geom_type in _POLYGONAL:
        return geom
    parts = [g for g in shapely.get_parts(shapely.get_parts(geom)) if g.geom_type in _POLYGONAL]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts)


def _make_valid_polygons(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """Repair invalid polygons (structure method), dropping collapsed non-areal bits."""
    invalid = ~geoms.is_valid & geoms.notna()
    if not invalid.any():
        return geoms
    fixed = geoms.copy()
    repaired = geoms[invalid].make_valid(method="structure", keep_collapsed=False)
    fixed[invalid] = [_polygonal(g) for g in repaired]
    return fixed


def _natural_key(code: str) -> tuple[Any, ...]:
    """Sort key that orders ``B2`` before ``B10`` and ``A49-25`` before ``A49-100``."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", str(code)))


def _bydel_key(name: str) -> str:
    """Normalise a bydel name for matching: NFC, casefold, trimmed, "/" and dashes → "-"."""
    key = unicodedata.normalize("NFC", str(name)).casefold().strip()
    key = re.sub(r"\s*[/\u2013\u2014-]\s*", "-", key)
    key = re.sub(r"\s+", " ", key)
    return BYDEL_ALIASES.get(key, key)


def _int_code(value: Any, what: str) -> int:
    if pd.isna(value):
        raise ValueError(f"missing {what}")
    number = float(value)
    if not number.is_integer():
        raise ValueError(f"{what} {value!r} is not an integer")
    return int(number)


def _clean_name(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip()


# --------------------------------------------------------------------------- roder


def load_bydele(path: str | PathLike[str]) -> pd.DataFrame:
    """Read the bydel layer's number/name table.

    Parameters
    ----------
    path
        ``kk_bydel_2025.geojson`` (attributes ``bydel_nr``, ``navn``).

    Returns
    -------
    pandas.DataFrame
        Columns ``bydel_nr`` (int), ``navn`` (str), ``key`` (normalised name), sorted by
        ``bydel_nr``.

    Raises
    ------
    ValueError
        If the layer has no CRS, or numbers or normalised names are not unique.
    """
    gdf = _read_layer(path, "bydel layer")
    _require_columns(gdf, ("bydel_nr", "navn"), "bydel layer")
    table = pd.DataFrame(
        {
            "bydel_nr": [_int_code(v, "bydel_nr") for v in gdf["bydel_nr"]],
            "navn": [_clean_name(v) for v in gdf["navn"]],
        }
    )
    table["key"] = table["navn"].map(_bydel_key)
    if table["bydel_nr"].duplicated().any() or table["key"].duplicated().any():
        raise ValueError(f"bydel layer {path} has duplicate bydel_nr or names")
    return table.sort_values("bydel_nr", ignore_index=True)


def match_bydel_names(names: Iterable[str], bydele: pd.DataFrame) -> pd.DataFrame:
    """Match free-text bydel names to the bydel layer's numbers and canonical names.

    Matching is on a normalised key (case, whitespace, "/" vs "-" folded) plus the
    explicit aliases in :data:`BYDEL_ALIASES`, so "Indre by" matches "Indre By" and
    "Vesterbro/Kongens Enghave" matches "Vesterbro-Kongens Enghave".

    Parameters
    ----------
    names
        Bydel names as written in a source (e.g. the rode layer's ``bydel``).
    bydele
        Output of :func:`load_bydele`.

    Returns
    -------
    pandas.DataFrame
        One row per input name, columns ``bydel_code`` (``B{bydel_nr}``) and
        ``bydel_name`` (the bydel layer's spelling).

    Raises
    ------
    ValueError
        If any name does not match, listing every unmatched name.
    """
    lookup = bydele.set_index("key")
    keys = [_bydel_key(n) for n in names]
    unmatched = sorted({n for n, k in zip(names, keys, strict=True) if k not in lookup.index})
    if unmatched:
        raise ValueError(
            f"bydel name(s) {unmatched} do not match the bydel layer "
            f"{sorted(bydele['navn'])}; add a spelling to BYDEL_ALIASES"
        )
    nr = lookup.loc[keys, "bydel_nr"].to_numpy()
    return pd.DataFrame(
        {
            "bydel_code": [f"B{n}" for n in nr],
            "bydel_name": lookup.loc[keys, "navn"].to_list(),
        }
    )


def _udsat_code(name: Any) -> str | None:
    if name is None or pd.isna(name) or not str(name).strip():
        return None
    clean = _clean_name(name)
    if clean not in UDSAT_CODES:
        raise ValueError(f"unknown udsat byområde {clean!r}; expected one of {list(UDSAT_CODES)}")
    return UDSAT_CODES[clean]


def _merge_duplicate_rode_nr(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Merge features that share a ``rode_nr`` and agree on every attribute we use.

    A rode split into several features is the only benign cause of a duplicate number;
    the parts are unioned (first occurrence's attributes kept). Duplicates that disagree
    on name, kvarter, bydel, lokaludvalg or udsat byområde cannot be resolved safely, so
    they raise.
    """
    dup = raw["rode_nr"].duplicated(keep=False)
    if not dup.any():
        return raw
    attrs = [c for c in _RODE_SOURCE_COLUMNS if c != "rode_nr"]
    for nr, group in raw[dup].groupby("rode_nr"):
        distinct = group[attrs].astype(str).drop_duplicates()
        if len(distinct) > 1:
            raise ValueError(
                f"rode_nr {nr} appears {len(group)} times with different attributes:\n"
                f"{distinct.to_string()}"
            )
    logger.warning(
        "merging %d features that share rode_nr %s (identical attributes, geometry unioned)",
        int(dup.sum()),
        sorted(raw.loc[dup, "rode_nr"].unique().tolist()),
    )
    geometry = raw.groupby("rode_nr", sort=False)["geometry"].agg(
        lambda s: shapely.union_all(s.to_numpy())
    )
    first = raw.drop_duplicates("rode_nr", keep="first").set_index("rode_nr", drop=False)
    first["geometry"] = geometry.reindex(first.index).to_numpy()
    return gpd.GeoDataFrame(first.reset_index(drop=True), geometry="geometry", crs=raw.crs)


def load_roder(
    path: str | PathLike[str],
    bydel_path: str | PathLike[str] | None = None,
) -> gpd.GeoDataFrame:
    """Load the rode layer as the store's base areas.

    Parameters
    ----------
    path
        ``kk_rode_2023.geojson`` (KK WFS ``k101:rode``).
    bydel_path
        The bydel layer used to number bydele (``kk_bydel_2025.geojson``). Defaults to
        that file name next to ``path``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per rode, sorted by ``rode_nr``, with columns :data:`RODER_COLUMNS`:
        ``code`` (``R{rode_nr}``), ``name`` (rodenavn), ``rode_nr``, ``kvarter_code``
        (``K{kvarternr}``), ``kvarter_name``, ``bydel_code`` (``B{bydel_nr}``),
        ``bydel_name`` (bydel layer spelling), ``lokaludvalg_code`` (``L{nr}``),
        ``lokaludvalg_name``, ``udsat_code`` (``ub-…`` or ``None``), ``udsat_name``
        (or ``None``), ``area_m2`` and ``geometry`` (valid (Multi)Polygons, EPSG:4326).

    Notes
    -----
    * ``area_m2`` is computed from the (repaired) geometry in EPSG:25832 so it adds up
      exactly under dissolve; the published ``areal_m2`` attribute differs by more than
      1 % for 19 roder (Trekroner Fort: 25 %) and is not used.
    * Invalid geometries are repaired with ``make_valid(method="structure")``.
    * Duplicate ``rode_nr``: features agreeing on all used attributes are merged into one
      rode (geometry union); conflicting duplicates raise ``ValueError``. The shipped
      2023 layer has none.
    * Bydel names are matched to the bydel layer by :func:`match_bydel_names`; an
      unmatched name raises ``ValueError``.

    Raises
    ------
    ValueError
        On a missing CRS, missing columns, missing/empty geometry, unknown udsat
        byområde, unmatched bydel name or conflicting duplicate ``rode_nr``.
    """
    path = Path(path)
    raw = _read_layer(path, "rode layer")
    _require_columns(raw, (*_RODE_SOURCE_COLUMNS, "geometry"), f"rode layer {path}")
    if raw.geometry.isna().any() or raw.geometry.is_empty.any():
        bad = raw.loc[raw.geometry.isna() | raw.geometry.is_empty, "rode_nr"].tolist()
        raise ValueError(f"rode layer {path}: roder without geometry: {bad}")
    raw = raw.copy()
    raw["rode_nr"] = [_int_code(v, "rode_nr") for v in raw["rode_nr"]]
    raw = _merge_duplicate_rode_nr(raw)
    raw["geometry"] = _make_valid_polygons(raw.geometry)

    bydele = load_bydele(bydel_path or path.with_name("kk_bydel_2025.geojson"))
    bydel = match_bydel_names(raw["bydel"].tolist(), bydele)

    udsat_code = [_udsat_code(v) for v in raw["udsat_byomraade"]]
    udsat_name = [
        None if c is None else _clean_name(v)
        for c, v in zip(udsat_code, raw["udsat_byomraade"], strict=True)
    ]
    roder = gpd.GeoDataFrame(
        {
            "code": [f"R{n}" for n in raw["rode_nr"]],
            "name": [_clean_name(v) for v in raw["rodenavn"]],
            "rode_nr": raw["rode_nr"].astype("int64").to_numpy(),
            "kvarter_code": [f"K{_int_code(v, 'kvarternr')}" for v in raw["kvarternr"]],
            "kvarter_name": [_clean_name(v) for v in raw["kvarternavn"]],
            "bydel_code": bydel["bydel_code"].to_numpy(),
            "bydel_name": bydel["bydel_name"].to_numpy(),
            "lokaludvalg_code": [f"L{_int_code(v, 'lokaludvalgnr')}" for v in raw["lokaludvalgnr"]],
            "lokaludvalg_name": [_clean_name(v) for v in raw["lokaludvalgnavn"]],
            "udsat_code": udsat_code,
            "udsat_name": udsat_name,
            "area_m2": raw.geometry.to_crs(METRIC_CRS).area.to_numpy(),
        },
        geometry=raw.geometry.to_numpy(),
        crs=raw.crs,
    )
    roder = roder.sort_values("rode_nr", ignore_index=True)[list(RODER_COLUMNS)]
    # pandas 3 infers the string dtype (missing = NaN); keep None for "not designated".
    for col in ("udsat_code", "udsat_name"):
        roder[col] = pd.Series(
            [None if pd.isna(v) else v for v in roder[col]], index=roder.index, dtype=object
        )
    _check_roder(roder)
    return roder


def _check_roder(roder: gpd.GeoDataFrame) -> None:
    """Consistency checks shared by :func:`load_roder` and :func:`derive_areas`."""
    _require_crs(roder, "roder")
    _require_columns(roder, [c for c in RODER_COLUMNS if c not in ("rode_nr", "area_m2")], "roder")
    if roder["code"].duplicated().any():
        dups = sorted(roder.loc[roder["code"].duplicated(), "code"].unique())
        raise ValueError(f"duplicate rode codes {dups}")
    if roder.geometry.isna().any() or roder.geometry.is_empty.any():
        raise ValueError("roder with missing or empty geometry")
    for _, code_col, name_col in _AGGREGATES:
        pairs = roder[[code_col, name_col]].dropna()
        if pairs.empty:
            continue
        names = pairs.groupby(code_col)[name_col].nunique()
        if (names > 1).any():
            raise ValueError(
                f"{code_col} codes with several names: {names[names > 1].index.tolist()}"
            )
    for col in ("kvarter_code", "bydel_code", "lokaludvalg_code"):
        if roder[col].isna().any():
            raise ValueError(
                f"roder without {col}: {roder.loc[roder[col].isna(), 'code'].tolist()}"
            )


# --------------------------------------------------------------------------- areas


def _dissolve(codes: pd.Series, geoms: gpd.GeoSeries) -> dict[Hashable, Any]:
    """Union the geometries of each code group (unary union, order-independent result)."""
    out: dict[Hashable, Any] = {}
    for code, idx in codes.groupby(codes, sort=False).groups.items():
        out[code] = shapely.union_all(geoms.loc[idx].to_numpy())
    return out


def derive_areas(roder: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Build every rode-based area and the rode membership of every aggregate.

    Parameters
    ----------
    roder
        Output of :func:`load_roder` (or any frame with its columns; ``rode_nr`` and
        ``area_m2`` are not needed). Row order does not matter.

    Returns
    -------
    areas : geopandas.GeoDataFrame
        Columns ``code, name, level, geometry`` for the levels ``rode``, ``kvarter``,
        ``bydel``, ``lokaludvalg``, ``udsat_byomraade`` (the designated areas, then
        ``ub-alle`` = all designated roder) and ``city`` (``kbh`` = all roder), in that
        order; codes in natural order within a level (udsatte byområder in
        :data:`UDSAT_CODES` order). Aggregate geometries are unions of their member roder
        (same CRS as ``roder``). ``boligomraade`` is not rode-based; see
        :func:`load_almene_boliger`.
    membership : pandas.DataFrame
        Columns ``aggregate_code, member_code``: one row per (aggregate, member rode) for
        every aggregate above, sorted like ``areas`` then by member code. Roder are not
        listed as members of themselves.

    Raises
    ------
    ValueError
        If ``roder`` has no CRS, lacks columns, has duplicate codes, missing geometry or
        a code with several names.
    """
    _check_roder(roder)
    roder = roder.copy()
    roder["_key"] = roder["code"].map(_natural_key)
    roder = roder.sort_values("_key", ignore_index=True)
    geoms = roder.geometry

    frames: list[pd.DataFrame] = [
        pd.DataFrame(
            {"code": roder["code"], "name": roder["name"], "level": "rode", "geometry": geoms}
        )
    ]
    members: list[pd.DataFrame] = []

    def add(level: str, codes: pd.Series, names: Mapping[Hashable, str], order: list[str]) -> None:
        unions = _dissolve(codes, geoms)
        frames.append(
            pd.DataFrame(
                {
                    "code": order,
                    "name": [names[c] for c in order],
                    "level": level,
                    "geometry": [unions[c] for c in order],
                }
            )
        )
        m = pd.DataFrame({"aggregate_code": codes, "member_code": roder["code"]}).dropna()
        m["_agg"] = m["aggregate_code"].map({c: i for i, c in enumerate(order)})
        members.append(m.sort_values(["_agg"], kind="stable").drop(columns="_agg"))

    for level, code_col, name_col in _AGGREGATES:
        pairs = roder[[code_col, name_col]].dropna().drop_duplicates(code_col)
        names = dict(zip(pairs[code_col], pairs[name_col], strict=True))
        if level == "udsat_byomraade":
            known = list(UDSAT_CODES.values())
            order = [c for c in known if c in names] + sorted(
                (c for c in names if c not in known), key=_natural_key
            )
        else:
            order = sorted(names, key=_natural_key)
        add(level, roder[code_col], names, order)
        if level == "udsat_byomraade" and names:
            designated = roder[code_col].notna().to_numpy()
            all_codes = pd.Series(
                np.where(designated, UDSAT_ALL_CODE, None), index=roder.index, dtype=object
            )
            add(level, all_codes, {UDSAT_ALL_CODE: UDSAT_ALL_NAME}, [UDSAT_ALL_CODE])

    city_codes = pd.Series(CITY_CODE, index=roder.index)
    add("city", city_codes, {CITY_CODE: CITY_NAME}, [CITY_CODE])

    areas = gpd.GeoDataFrame(
        pd.concat(frames, ignore_index=True), geometry="geometry", crs=roder.crs
    )
    membership = pd.concat(members, ignore_index=True)[["aggregate_code", "member_code"]]
    membership = membership.astype({"aggregate_code": str, "member_code": str})
    return areas, membership


def load_udsatte_outlines(path: str | PathLike[str]) -> gpd.GeoDataFrame:
    """Load KK's published udsatte byområder and dissolve them per byområde.

    These are the official policy outlines, for drawing on maps. They do **not** coincide
    with the union of the roder tagged ``udsat_byomraade`` (symmetric difference
    0.5–1.7 km² per area); statistics use the rode-based areas of :func:`derive_areas`.

    Parameters
    ----------
    path
        ``kk_udsatte_byomraader_2023.geojson`` (17 polygons; ``byomraade``,
        ``delomraade``).

    Returns
    -------
    geopandas.GeoDataFrame
        Five rows in :data:`UDSAT_CODES` order with ``code``, ``name`` (byomraade),
        ``level`` (``udsat_byomraade``), ``delomraader`` (sorted distinct sub-area names
        joined by "; ") and ``geometry`` (valid, EPSG:4326).

    Raises
    ------
    ValueError
        On a missing CRS, missing columns or an unknown byområde name.
    """
    raw = _read_layer(path, "udsatte byområder layer")
    _require_columns(raw, ("byomraade", "geometry"), f"udsatte byområder layer {path}")
    raw = raw[raw.geometry.notna() & ~raw.geometry.is_empty].copy()
    raw["geometry"] = _make_valid_polygons(raw.geometry)
    raw["code"] = [_udsat_code(v) for v in raw["byomraade"]]
    if raw["code"].isna().any():
        raise ValueError(f"udsatte byområder layer {path} has features without byomraade")
    if "delomraade" not in raw.columns:
        raw["delomraade"] = None
    rows = []
    for name, code in UDSAT_CODES.items():
        part = raw[raw["code"] == code]
        if part.empty:
            continue
        subs = sorted({_clean_name(v) for v in part["delomraade"].dropna()})
        rows.append(
            {
                "code": code,
                "name": name,
                "level": "udsat_byomraade",
                "delomraader": "; ".join(subs),
                "geometry": _polygonal(shapely.union_all(part.geometry.to_numpy())),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=raw.crs)


# --------------------------------------------------------------------------- almene boliger


def load_almene_boliger(path: str | PathLike[str]) -> gpd.GeoDataFrame:
    """Load the almene boligafdelinger as ``boligomraade`` areas.

    Parameters
    ----------
    path
        ``kk_almene_boliger_2025.geojson`` (KK WFS "almene boliger").

    Returns
    -------
    geopandas.GeoDataFrame
        One row per afdeling, sorted by code: ``code``
        (``A{selskabsnummer}-{afdelingsnummer}``), ``name``
        ("afdelingsnavn (selskabsnavn)"), ``level`` (``boligomraade``),
        ``selskabsnummer``, ``selskabsnavn``, ``afdelingsnummer``, ``afdelingsnavn``, the
        dwelling counts :data:`DWELLING_COLUMNS` (nullable ``Int64``; missing = not
        reported), ``antal_boliger_i_alt`` (their sum, missing counted as 0) and
        ``geometry`` (valid, EPSG:4326).

        ``result.attrs["dropped"]`` lists the dropped source rows (``reason`` in
        ``"null geometry"``, ``"exact duplicate"``), which are also logged.

    Notes
    -----
    Features without geometry are dropped (the 2025 layer has one: "På Sporet",
    A233-1005). Features that repeat a code with identical attributes and geometry are
    dropped as exact duplicates (the 2025 layer has two: A49-25 and A739-95). Duplicate
    codes with differing content raise ``ValueError``.

    Raises
    ------
    ValueError
        On a missing CRS, missing columns or conflicting duplicate codes.
    """
    raw = _read_layer(path, "almene boliger layer")
    required = ("selskabsnummer", "selskabsnavn", "afdelingsnummer", "afdelingsnavn")
    _require_columns(raw, (*required, *DWELLING_COLUMNS), f"almene boliger layer {path}")
    raw = raw.reset_index(drop=True)

    def afdeling_nr(value: Any) -> str:
        text = str(value).strip()
        return str(int(text)) if text.isdigit() else text

    sel = [_int_code(v, "selskabsnummer") for v in raw["selskabsnummer"]]
    afd = [afdeling_nr(v) for v in raw["afdelingsnummer"]]
    raw["code"] = [f"A{s}-{a}" for s, a in zip(sel, afd, strict=True)]
    raw["selskabsnummer"] = sel
    raw["afdelingsnummer"] = afd

    dropped: list[dict[str, Any]] = []
    no_geom = raw.geometry.isna() | raw.geometry.is_empty
    for _, row in raw[no_geom].iterrows():
        dropped.append(
            {"code": row["code"], "name": row["afdelingsnavn"], "reason": "null geometry"}
        )
    raw = raw[~no_geom].copy()

    attrs = ["code", "selskabsnavn", "afdelingsnavn", *DWELLING_COLUMNS]
    keep = np.ones(len(raw), dtype=bool)
    for code, idx in raw.groupby("code").groups.items():
        if len(idx) < 2:
            continue
        group = raw.loc[idx]
        same_attrs = len(group[attrs].astype(str).drop_duplicates()) == 1
        first = group.geometry.iloc[0]
        same_geom = all(shapely.equals(first, g) for g in group.geometry.iloc[1:])
        if not (same_attrs and same_geom):
            raise ValueError(
                f"almene boliger code {code} occurs {len(idx)} times with differing content"
            )
        for i in idx[1:]:
            keep[raw.index.get_loc(i)] = False
            dropped.append(
                {"code": code, "name": group["afdelingsnavn"].iloc[0], "reason": "exact duplicate"}
            )
    raw = raw[keep].copy()
    for d in dropped:
        logger.warning("almene boliger: dropped %s (%s): %s", d["code"], d["name"], d["reason"])

    raw["geometry"] = _make_valid_polygons(raw.geometry)
    counts = raw[list(DWELLING_COLUMNS)].apply(pd.to_numeric).round().astype("Int64")
    out = gpd.GeoDataFrame(
        {
            "code": raw["code"].to_numpy(),
            "name": [
                f"{_clean_name(a)} ({_clean_name(s)})"
                for a, s in zip(raw["afdelingsnavn"], raw["selskabsnavn"], strict=True)
            ],
            "level": "boligomraade",
            "selskabsnummer": raw["selskabsnummer"].astype("int64").to_numpy(),
            "selskabsnavn": [_clean_name(v) for v in raw["selskabsnavn"]],
            "afdelingsnummer": raw["afdelingsnummer"].to_numpy(),
            "afdelingsnavn": [_clean_name(v) for v in raw["afdelingsnavn"]],
            **{c: counts[c].array for c in DWELLING_COLUMNS},
            "antal_boliger_i_alt": counts.fillna(0).sum(axis=1).astype("int64").to_numpy(),
        },
        geometry=raw.geometry.to_numpy(),
        crs=raw.crs,
    )
    out = out.iloc[sorted(range(len(out)), key=lambda i: _natural_key(out["code"].iat[i]))]
    out = out.reset_index(drop=True)
    out.attrs["dropped"] = dropped
    return out


# --------------------------------------------------------------------------- web geometry


def _coverage_candidate(geoms: np.ndarray, max_rel_change: float = 0.005) -> np.ndarray | None:
    """Return ``geoms`` as a valid polygonal coverage, or ``None`` if they are not one.

    Valid coverages are returned unchanged. Otherwise ``shapely.coverage_clean`` is tried
    and accepted only when no polygon's area changes by more than ``max_rel_change``:
    that repairs digitising slivers (the rode layer has 12 overlaps, the largest 15 m²)
    but rejects genuinely overlapping sets (e.g. ``ub-alle`` over the five areas).
    """
    if len(geoms) == 0 or not all(g is not None and g.geom_type in _POLYGONAL for g in geoms):
        return None
    if not shapely.is_valid(geoms).all():
        return None
    if shapely.coverage_is_valid(geoms):
        return geoms
    cleaned = shapely.coverage_clean(geoms)
    before = shapely.area(geoms)
    change = np.abs(shapely.area(cleaned) - before) / np.where(before > 0, before, 1.0)
    if (
        change.max() > max_rel_change
        or not shapely.is_valid(cleaned).all()
        or shapely.is_empty(cleaned).any()
        or not shapely.coverage_is_valid(cleaned)
    ):
        return None
    return np.array([_polygonal(g) for g in cleaned], dtype=object)


def _simplify_group(geoms: np.ndarray, tolerance_m: float) -> tuple[np.ndarray, bool]:
    """Simplify one group of metric geometries; return (geometries, was_coverage)."""
    coverage = _coverage_candidate(geoms)
    if coverage is not None:
        return shapely.coverage_simplify(coverage, tolerance_m), True
    simple = shapely.simplify(geoms, tolerance_m, preserve_topology=True)
    collapsed = shapely.is_empty(simple) & ~shapely.is_empty(geoms)
    simple[collapsed] = geoms[collapsed]
    return simple, False


def simplify_for_web(gdf: gpd.GeoDataFrame, tolerance_m: float = 10.0) -> gpd.GeoDataFrame:
    """Simplify area geometries for the browser, keeping shared borders shared.

    Steps (docs/engineering.md §5): reproject to EPSG:25832; per ``level`` (or the whole
    frame when there is no ``level`` column), if the polygons form a coverage (after
    repairing slivers with ``shapely.coverage_clean``, see ``_coverage_candidate``)
    simplify them together with ``GeoSeries.simplify_coverage``, otherwise each geometry
    on its own with ``simplify(preserve_topology=True)``; reproject to EPSG:4326;
    ``set_precision(1e-6)``; for coverages re-node shared edges after snapping
    (``coverage_clean(snapping_distance=0)``) so no sliver overlaps appear; repair
    anything invalid.

    Within a level that mixes overlapping areas (``udsat_byomraade`` contains ``ub-alle``)
    the fallback applies. For maps whose aggregates must share every border with the
    roder, derive them from simplified roder instead:
    ``derive_areas(simplify_for_web(roder))``.

    Parameters
    ----------
    gdf
        Areas with a CRS (any), e.g. roder, the areas of :func:`derive_areas` or almene
        boliger. Non-polygonal geometries pass through the per-geometry path.
    tolerance_m
        Simplification tolerance in metres (for coverage simplification roughly the
        square root of the area of the triangles removed). 5–20 m suits city maps.

    Returns
    -------
    geopandas.GeoDataFrame
        Same rows, index, columns and codes, geometry valid and non-empty wherever the
        input geometry was, in EPSG:4326 at 1e-6° precision.

    Raises
    ------
    ValueError
        If ``gdf`` has no CRS or ``tolerance_m`` is negative.
    """
    _require_crs(gdf, "simplify_for_web input")
    if tolerance_m < 0:
        raise ValueError(f"tolerance_m must be >= 0, got {tolerance_m}")
    out = gdf.copy()
    if out.empty:
        return out.to_crs(WEB_CRS)
    metric = out.geometry.to_crs(METRIC_CRS)
    present = metric.notna().to_numpy() & ~metric.is_empty.to_numpy()
    groups = (
        pd.Series(out["level"].to_numpy(), dtype=object).fillna("").to_numpy()
        if "level" in out.columns
        else np.zeros(len(out), dtype=int)
    )
    result = metric.to_numpy().copy()
    coverage_mask = np.zeros(len(out), dtype=bool)
    for group in pd.unique(groups[present]):
        pos = np.flatnonzero((groups == group) & present)
        simple, is_cov = _simplify_group(metric.to_numpy()[pos], tolerance_m)
        result[pos] = simple
        coverage_mask[pos] = is_cov

    web = gpd.GeoSeries(result, crs=METRIC_CRS).to_crs(WEB_CRS)
    geoms = shapely.set_precision(web.to_numpy(), WEB_PRECISION)
    for group in pd.unique(groups[coverage_mask]):
        pos = np.flatnonzero((groups == group) & coverage_mask)
        part = geoms[pos]
        if not shapely.coverage_is_valid(part):
            renoded = shapely.set_precision(
                shapely.coverage_clean(part, snapping_distance=0), WEB_PRECISION
            )
            if shapely.is_valid(renoded).all() and not shapely.is_empty(renoded).any():
                geoms[pos] = [_polygonal(g) for g in renoded]
    invalid = present & ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = shapely.set_precision(shapely.make_valid(geoms[invalid]), WEB_PRECISION)
        geoms[invalid] = [_polygonal(g) for g in fixed]
    # Never let simplification or snapping erase an area: fall back to the snapped input.
    lost = present & (pd.isna(geoms) | shapely.is_empty(geoms))
    if lost.any():
        original = shapely.set_precision(
            out.geometry.to_crs(WEB_CRS).to_numpy()[lost], WEB_PRECISION
        )
        geoms[lost] = original
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=WEB_CRS))
    return out


# --------------------------------------------------------------------------- GeoJSON


def _ring(ring: Any) -> list[list[float]]:
    return np.round(shapely.get_coordinates(ring), COORD_DECIMALS).tolist()


def _polygon_coords(poly: Any) -> list[list[list[float]]]:
    return [_ring(poly.exterior), *(_ring(r) for r in poly.interiors)]


def _geometry_dict(geom: Any) -> dict[str, Any]:
    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon_coords(geom)}
    if geom.geom_type == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [_polygon_coords(p) for p in geom.geoms]}
    rounded = shapely.transform(geom, lambda xy: np.round(xy, COORD_DECIMALS))
    return shapely.geometry.mapping(rounded)


def to_plotly_geojson(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """Convert areas to a compact GeoJSON FeatureCollection for ``go.Choropleth``.

    Parameters
    ----------
    gdf
        Areas with columns ``code``, ``name``, ``level`` (``level`` optional) and a CRS;
        reprojected to EPSG:4326 if needed. Usually the output of
        :func:`simplify_for_web`.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}`` with one feature per row in
        row order: ``id`` = code, ``properties`` = ``{code, name, level}``, geometry with
        coordinates rounded to 6 decimals and exterior rings clockwise / holes
        counter-clockwise (``shapely.orient_polygons(exterior_cw=True)``), as plotly's geo
        traces (d3-geo) require. Use ``featureidkey="id"`` (the default) with
        ``locations=codes``.

    Raises
    ------
    ValueError
        If ``gdf`` has no CRS, lacks ``code``/``name``, has duplicate codes or missing or
        empty geometries.
    """
    _require_crs(gdf, "to_plotly_geojson input")
    _require_columns(gdf, ("code", "name"), "to_plotly_geojson input")
    if gdf["code"].duplicated().any():
        raise ValueError(f"duplicate codes {sorted(gdf.loc[gdf['code'].duplicated(), 'code'])}")
    if gdf.geometry.isna().any() or gdf.geometry.is_empty.any():
        bad = gdf.loc[gdf.geometry.isna() | gdf.geometry.is_empty, "code"].tolist()
        raise ValueError(f"areas without geometry: {bad}")
    geoms = gdf.geometry.to_crs(WEB_CRS) if gdf.crs != WEB_CRS else gdf.geometry
    rounded = shapely.transform(geoms.to_numpy(), lambda xy: np.round(xy, COORD_DECIMALS))
    oriented = shapely.orient_polygons(rounded, exterior_cw=True)
    levels = gdf["level"].tolist() if "level" in gdf.columns else [None] * len(gdf)
    features = [
        {
            "type": "Feature",
            "id": str(code),
            "properties": {"code": str(code), "name": str(name), "level": level},
            "geometry": _geometry_dict(geom),
        }
        for code, name, level, geom in zip(gdf["code"], gdf["name"], levels, oriented, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}
