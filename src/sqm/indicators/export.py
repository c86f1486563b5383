"""Writing computed figures to a file: CSV, Parquet or Excel, chosen by the file's suffix."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sqm.lib.excel import Sheet, workbook_bytes


def write_table(table: pa.Table, path: Path) -> None:
    """Write to a temporary file beside ``path`` and rename: a failed run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        suffix = path.suffix.lower()
        if suffix == ".csv":
            pacsv.write_csv(table, temporary)
        elif suffix == ".parquet":
            pq.write_table(table, temporary)
        elif suffix == ".xlsx":
            rows = (tuple(r.values()) for r in table.to_pylist())
            Path(temporary).write_bytes(
                workbook_bytes([Sheet("indicators", table.column_names, rows)])
            )
        else:
            raise ValueError(f"cannot write {path.name}: use .csv, .parquet or .xlsx")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
