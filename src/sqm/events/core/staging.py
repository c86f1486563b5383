"""Where one ingest run keeps its rows until the whole file has been read.

Good rows wait in a hidden staging folder, split by day; bad rows in a hidden quarantine file
inside that folder. Both become visible only at the end (the store appends the staged days; the
quarantine file appears by an atomic link), so a run that fails or is killed while reading leaves
nothing a reader could mistake for data, and what a killed run leaves is one folder, removed by
the next run of its source (see ``EventStore.leftovers``).
"""

from __future__ import annotations

import codecs
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from sqm.events.core.schemas import Source
from sqm.events.core.store import EventStore, claim, day_of

APPEND_ROWS = 1_000_000  # rows per store.append: one file per day for all but huge days
MAX_OPEN_DAYS = 128  # staging writers open at once; beyond, a new generation of files starts


class Staging:
    """Good rows of one run, split by day in hidden Parquet files, until the file is read.

    Lives in ``{data_dir}/.staging/{source}-{run}``, locked for the run's lifetime. Starting a
    run first removes what killed runs of the source left in the store (``removed``).
    """

    def __init__(self, store: EventStore, source: Source) -> None:
        self.source = source
        self.folder = store.staging_root / f"{source.name}-{uuid.uuid4().hex}"
        with store.lock(source.name):
            self.removed = store.remove_leftovers(source.name)
            self._lock = claim(self.folder)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._generation = 0
        self.rows = 0

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close_writers()
        shutil.rmtree(self.folder, ignore_errors=True)
        self._lock.close()

    def reset(self) -> None:
        self._close_writers()
        for child in self.folder.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
        self.rows = 0

    def add(self, table: pa.Table) -> None:
        if not table.num_rows:
            return
        days = pc.dictionary_encode(day_of(table, self.source.time_column))
        order = np.argsort(np.asarray(days.indices), kind="stable")
        counts = np.bincount(np.asarray(days.indices), minlength=len(days.dictionary))
        ordered = table.take(pa.array(order))
        start = 0
        for day, count in zip(days.dictionary.to_pylist(), counts.tolist(), strict=True):
            self._writer(day).write_table(ordered.slice(start, count))
            start += count
        self.rows += table.num_rows

    def tables(self) -> Iterator[pa.Table]:
        """The staged rows, one day at a time, in slices of at most APPEND_ROWS."""
        self._close_writers()
        for day_dir in sorted(d for d in self.folder.iterdir() if d.is_dir()):
            pending: list[pa.RecordBatch] = []
            size = 0
            for file in sorted(day_dir.glob("*.parquet")):
                for batch in pq.ParquetFile(file).iter_batches(batch_size=APPEND_ROWS):
                    pending.append(batch)
                    size += batch.num_rows
                    if size >= APPEND_ROWS:
                        yield pa.Table.from_batches(pending)
                        pending, size = [], 0
            if pending:
                yield pa.Table.from_batches(pending)

    def _writer(self, day: str) -> pq.ParquetWriter:
        if day not in self._writers:
            if len(self._writers) >= MAX_OPEN_DAYS:
                self._close_writers()
            folder = self.folder / day
            folder.mkdir(exist_ok=True)
            self._writers[day] = pq.ParquetWriter(
                folder / f"{self._generation}.parquet", self.source.schema, compression="lz4"
            )
        return self._writers[day]

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        if self._writers:
            self._generation += 1
        self._writers = {}


class Quarantine:
    """Bad rows of one run as CSV (UTF-8 with BOM, so Excel shows Chinese text), written in the
    run's staging folder and published whole at the end as
    ``quarantine/{source}/{UTC time}-{stem}.csv``."""

    def __init__(self, data_dir: Path, source: Source, path: Path, staging: Staging) -> None:
        self.folder = data_dir / "quarantine" / source.name
        self.stem = path.name.split(".")[0] or "input"
        self.temporary = staging.folder / "quarantine.csv"
        self._sink: pa.NativeFile | None = None
        self._writer: pcsv.CSVWriter | None = None
        self._schema: pa.Schema | None = None
        self.rows = 0

    def __enter__(self) -> Quarantine:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()
        self.temporary.unlink(missing_ok=True)

    def add(self, bad: pa.Table) -> None:
        if not bad.num_rows:
            return
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._schema = bad.schema
            self._sink = pa.OSFile(str(self.temporary), "wb")
            self._sink.write(codecs.BOM_UTF8)
            options = pcsv.WriteOptions(quoting_style="needed")
            self._writer = pcsv.CSVWriter(self._sink, bad.schema, write_options=options)
        self._writer.write_table(bad.cast(self._schema))
        self.rows += bad.num_rows

    def reset(self) -> None:
        self._close()
        self.temporary.unlink(missing_ok=True)
        self.rows = 0

    def publish(self) -> Path | None:
        if self._writer is None:
            return None
        self._close()
        with open(self.temporary, "rb") as handle:
            os.fsync(handle.fileno())
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        for attempt in range(1000):
            suffix = f"-{attempt}" if attempt else ""
            final = self.folder / f"{stamp}-{self.stem}{suffix}.csv"
            try:
                os.link(self.temporary, final)  # atomic, and never replaces another run's file
            except FileExistsError:
                continue
            self.temporary.unlink()
            return final
        raise FileExistsError(f"cannot name a quarantine file in {self.folder}")

    def _close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._sink is not None:
            self._sink.close()
            self._sink = None
