"""Importers: indicator files (long CSV, statbank + mapping), area files, state lists.

Parsers never crash on bad input: they raise :class:`InputError`, whose problems each
name the file, line, column, value and what was expected. ``pipeline`` runs whole
imports (validate everything, then write all or nothing through ``db.importing``).
"""

from indicators.importers.errors import InputError, Problem

__all__ = ["InputError", "Problem"]
