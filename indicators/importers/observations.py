"""Parser of indicator figures (``keob import indicators``): one reader per file format.

Every reader takes ``(path, mapping, label)`` and returns a
:class:`~indicators.importers.candidates.ParsedFile` of candidate observations, which
:func:`~indicators.importers.candidates.validate_observations` checks across files. The
registry (:mod:`indicators.importers.registry`) names the formats; a new format is a
reader here plus one ``FileFormat`` there.
"""

from __future__ import annotations

from pathlib import Path

from indicators.importers.candidates import ParsedFile
from indicators.importers.long_csv import read_long_csv
from indicators.importers.statbank import StatbankMapping, read_statbank


def read_long(path: str | Path, mapping: StatbankMapping | None, label: str) -> ParsedFile:
    """A long CSV (``area_code,criterion,year,numerator,denominator[,source]``)."""
    return read_long_csv(path, label=label)


def read_statbank_export(
    path: str | Path, mapping: StatbankMapping | None, label: str
) -> ParsedFile:
    """A KK Statistikbank / DST StatBank export, read through its ``mapping``."""
    if mapping is None:  # the registry's needs_mapping makes the pipeline pass one
        raise ValueError("a statbank export is read with a mapping")
    return read_statbank(path, mapping, label=label)
