"""What a route promises: its columns, the dataset it hands to the writers, the route."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from indicators import formats

if TYPE_CHECKING:  # pragma: no cover
    from dashboard.api.query import Query


@dataclass
class Column:
    """A column of a route's table: the contract behind the JSON schema and the docs."""

    name: str
    type: str  # string, integer, number, boolean; "any" leaves it open
    description_en: str
    description_da: str
    nullable: bool = False
    optional: bool = False  # may be left out by a parameter


def columns_from(fields: Sequence[tuple[Any, ...]]) -> tuple[Column, ...]:
    """Columns from (name, type, description_en, description_da[, nullable]) tuples."""
    return tuple(Column(*f) for f in fields)


@dataclass
class Dataset:
    """What a route hands to the writers."""

    frame: pd.DataFrame
    stem: str
    synthetic: bool = False
    sources: tuple[formats.Source, ...] = ()
    disclosure: tuple[str, ...] = ()
    disclosure_applied: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    name: str
    summary_en: str
    summary_da: str
    description_en: str
    description_da: str
    params: tuple[str, ...]
    formats: tuple[str, ...]
    columns: tuple[Column, ...]
    build: Callable[[Query], Dataset]
    default_format: str = "json"
    geo: bool = False
    module: str | None = None  # the module that must exist for the route to answer
    open_columns: bool = False  # rows may carry more columns than ``columns`` lists


def nullable_text(values: pd.Series) -> Any:
    return values.astype(object).where(values.notna(), None).to_numpy()
