"""Provenance: every load into the store."""

from __future__ import annotations

import pandas as pd

from dashboard import data
from dashboard.api import sources
from dashboard.api.conditional import utc
from dashboard.api.contract import Dataset, columns_from, nullable_text
from dashboard.api.query import Query
from indicators import times

BATCH_FIELDS = (
    ("batch_id", "integer", "Load batch id.", "Indlæsningens id.", False),
    ("kind", "string", "What was loaded.", "Hvad der blev indlæst.", False),
    ("file_name", "string", "The file loaded.", "Den indlæste fil.", False),
    ("checksum", "string", "SHA-256 of the file.", "Filens SHA-256.", False),
    (
        "loaded_at",
        "string",
        "When: ISO 8601, Copenhagen time with its offset (2026-12-03T13:05:12.345678+01:00); "
        "usable as as_of.",
        "Hvornår: ISO 8601, dansk tid med forskydning (2026-12-03T13:05:12.345678+01:00); "
        "kan bruges som as_of.",
        False,
    ),
    ("rows_in_file", "integer", "Rows in the file.", "Rækker i filen.", True),
    ("rows_written", "integer", "Rows written.", "Skrevne rækker.", True),
    ("rows_unchanged", "integer", "Rows already in the store.", "Uændrede rækker.", True),
    ("note", "string", "Note.", "Note.", True),
)
BATCH_COLUMNS = columns_from(BATCH_FIELDS)


def build_batches(q: Query) -> Dataset:
    batches = data.monitor().batches().rename(columns={"id": "batch_id"})
    loaded = [utc(t) for t in batches["loaded_at"]]
    if q.as_of is not None:
        keep = [t <= q.as_of for t in loaded]
        batches = batches[keep]
        loaded = [t for t, k in zip(loaded, keep, strict=True) if k]
    frame = pd.DataFrame(
        {
            "batch_id": batches["batch_id"].astype(int).to_numpy(),
            "kind": batches["kind"].astype(str).to_numpy(),
            "file_name": batches["file_name"].astype(str).to_numpy(),
            "checksum": batches["checksum"].astype(str).to_numpy(),
            "loaded_at": [times.local_text(t, sep="T") for t in loaded],
            "rows_in_file": batches["rows_in_file"].astype("Int64").to_numpy(),
            "rows_written": batches["rows_written"].astype("Int64").to_numpy(),
            "rows_unchanged": batches["rows_unchanged"].astype("Int64").to_numpy(),
            "note": nullable_text(batches["note"]),
        }
    )
    return Dataset(
        frame=frame,
        stem="keob-batches",
        sources=(sources.project_source(),),
        notes=(
            "Hvem der indlæste, gemmes i lageret til revision, men udgives ikke. Who loaded a "
            "batch is kept in the store for audit but not published.",
        ),
    )
