"""The event store: one Parquet dataset per source, partitioned by local day.

Layout: ``{data_dir}/events/{source}/day=YYYY-MM-DD/part-*.parquet``. Every file appears by
``os.replace`` from a hidden temporary name in the same folder, so a reader (or a crash) never
sees half a file; readers ignore names that start with a dot.

A writer killed mid-way leaves its temporaries behind, and engines that glob the store
(``read_parquet('events/calls/*/*')``) choke on them. Who may remove them is decided by locks,
not by age: temporary files in partitions are written only under the source's lock, so whoever
holds that lock knows their writers are gone; a writer's folder (ingest staging, a partition
being rebuilt) is created under the source's lock together with a lock of its own, held for the
writer's lifetime, so a folder whose lock is free belongs to a dead process.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import socket
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from sqm.events.core.schemas import SOURCES, Source

PARTITION_PREFIX = "day="
KEY_SEPARATOR = "\x1f"
LOCK_NAME = ".lock"
RUN_NAME = re.compile(r"-[0-9a-f]{32}$")  # {source}-{uuid4 hex}: one ingest run's staging


@dataclass(frozen=True, slots=True)
class AppendResult:
    accepted: int
    duplicates: int
    files: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class SourceSummary:
    source: str
    rows: int
    days: int
    first_day: date | None
    last_day: date | None
    bytes: int


def key_strings(table: pa.Table, key: tuple[str, ...]) -> pa.Array:
    """One string per row that identifies it (composite keys joined with a unit separator)."""
    parts = [pc.cast(table[column], pa.string()).combine_chunks() for column in key]
    if len(parts) == 1:
        return parts[0]
    return pc.binary_join_element_wise(*parts, KEY_SEPARATOR)


def day_of(table: pa.Table, time_column: str) -> pa.Array:
    return pc.strftime(table[time_column], format="%Y-%m-%d").combine_chunks()


def claim(folder: Path) -> IO[str]:
    """Create ``folder`` for one writer and lock it until the returned handle is closed.

    Call it with the source's lock held: a cleaner holds that lock too, so it never sees the
    folder before its lock is taken.
    """
    folder.mkdir(parents=True)
    handle = open(folder / LOCK_NAME, "w")  # noqa: SIM115 - held for the writer's lifetime
    fcntl.flock(handle, fcntl.LOCK_EX)
    handle.write(_whoami())
    handle.flush()
    return handle


def writer_gone(folder: Path) -> bool:
    """Whether nobody holds ``folder``'s writer lock (its process died, or is deleting it)."""
    try:
        handle = open(folder / LOCK_NAME)  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return True  # claim() creates the lock with the folder; only a deletion removes it
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def _whoami() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()}"


class EventStore:
    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / "events"
        self.staging_root = self.data_dir / ".staging"  # ingest runs, one folder each

    # -- paths ---------------------------------------------------------------------------
    def source_dir(self, source: str) -> Path:
        return self.root / source

    def partition_dir(self, source: str, day: date | str) -> Path:
        return self.source_dir(source) / f"{PARTITION_PREFIX}{day}"

    def parquet_glob(self, source: str) -> str:
        """A glob for engines that read Parquet directly (DuckDB, Spark)."""
        return str(self.source_dir(source) / f"{PARTITION_PREFIX}*" / "*.parquet")

    def days(self, source: str) -> list[date]:
        folder = self.source_dir(source)
        if not folder.is_dir():
            return []
        found = []
        for child in folder.iterdir():
            if child.is_dir() and child.name.startswith(PARTITION_PREFIX):
                found.append(date.fromisoformat(child.name[len(PARTITION_PREFIX) :]))
        return sorted(found)

    def files(self, source: str, day: date | str | None = None) -> list[Path]:
        folders = (
            [self.partition_dir(source, day)]
            if day is not None
            else [self.partition_dir(source, d) for d in self.days(source)]
        )
        return sorted(
            f for folder in folders if folder.is_dir() for f in folder.glob("[!.]*.parquet")
        )

    # -- reading -------------------------------------------------------------------------
    def has_data(self, source: str) -> bool:
        return bool(self.files(source))

    def dataset(self, source: str) -> ds.Dataset:
        spec = SOURCES[source]
        files = [str(f) for f in self.files(source)]
        return ds.dataset(files, schema=spec.schema, format="parquet")

    def read(self, source: str, columns: list[str] | None = None) -> pa.Table:
        spec = SOURCES[source]
        if not self.has_data(source):
            return spec.schema.empty_table().select(columns or spec.schema.names)
        return self.dataset(source).to_table(columns=columns)

    def existing_keys(self, source: Source, day: str) -> pa.Array:
        files = self.files(source.name, day)
        if not files:
            return pa.array([], pa.string())
        table = ds.dataset([str(f) for f in files], schema=source.schema).to_table(
            columns=list(source.key)
        )
        return key_strings(table, source.key)

    def summary(self, source: str) -> SourceSummary:
        days = self.days(source)
        files = self.files(source)
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        return SourceSummary(
            source=source,
            rows=rows,
            days=len(days),
            first_day=days[0] if days else None,
            last_day=days[-1] if days else None,
            bytes=sum(f.stat().st_size for f in files),
        )

    # -- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, source: str, *, wait: bool = True) -> Iterator[bool]:
        """Serialise writers of one source across processes (two ingests of one file).

        Yields whether the lock is held: always with ``wait``, else only if it was free.
        """
        folder = self.source_dir(source)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / LOCK_NAME, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                handle.truncate(0)  # who holds it, for `sqm events` to name
                handle.write(_whoami())
                handle.flush()
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def lock_holder(self, source: str) -> str:
        """Who took the source's lock last (the holder, while it is held)."""
        try:
            return (self.source_dir(source) / LOCK_NAME).read_text().strip()
        except OSError:
            return ""

    def leftovers(self, source: str) -> list[Path]:
        """Temporary files and folders of ``source``'s writers that are gone.

        Only true with the source's lock held: temporary files in partitions are written under
        it, so then nobody is writing them.
        """
        found: list[Path] = []
        folder = self.source_dir(source)
        children = sorted(folder.iterdir()) if folder.is_dir() else []
        for child in children:
            if not child.is_dir():
                continue
            if child.name.startswith(PARTITION_PREFIX):
                inside = sorted(child.iterdir())
                temporary = [f for f in inside if f.name.startswith(".")]
                # A partition a killed append created but never filled counts as left over.
                found.extend(temporary if len(temporary) < len(inside) else [child])
            elif child.name.startswith(".trash-") or (
                child.name.startswith(".staging-") and writer_gone(child)
            ):
                found.append(child)
        if self.staging_root.is_dir():
            found.extend(
                run
                for run in sorted(self.staging_root.iterdir())
                if run.name.startswith(source)
                and RUN_NAME.fullmatch(run.name[len(source) :])
                and writer_gone(run)
            )
        return found

    def remove_leftovers(self, source: str) -> list[Path]:
        """Remove :meth:`leftovers`; call with the source's lock held. Returns what it removed."""
        found = self.leftovers(source)
        for path in found:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        return found

    def append(self, source: Source, table: pa.Table) -> AppendResult:
        """Add rows whose keys are not stored yet; duplicates (in the table or the store) are
        counted and skipped. Each day's new rows land as one file, atomically."""
        table = table.cast(source.schema)
        keys = key_strings(table, source.key)
        # Keep the first row of each key within the batch itself.
        first = pc.equal(
            pa.array(range(len(keys)), pa.int64()),
            _first_occurrence_index(keys),
        )
        days = day_of(table, source.time_column)
        accepted = 0
        written: list[Path] = []
        with self.lock(source.name):
            for day in pc.unique(days).to_pylist():
                in_day = pc.and_(pc.equal(days, day), first)
                fresh = pc.invert(pc.is_in(keys, value_set=self.existing_keys(source, day)))
                mask = pc.and_(in_day, fresh)
                rows = table.filter(mask)
                if rows.num_rows:
                    written.append(self._write_file(source.name, day, rows))
                    accepted += rows.num_rows
        return AppendResult(accepted, table.num_rows - accepted, tuple(written))

    def replace_partition(self, source: Source, day: date | str, tables: Iterable[pa.Table]) -> int:
        """Write a whole day anew (the generator's path): build it aside, then swap it in."""
        final = self.partition_dir(source.name, day)
        staging = final.parent / f".staging-{final.name}-{uuid.uuid4().hex}"
        with self.lock(source.name):
            writer_lock = claim(staging)
        rows = 0
        try:
            writer: pq.ParquetWriter | None = None
            with contextlib.ExitStack() as stack:
                for table in tables:
                    if writer is None:
                        writer = stack.enter_context(
                            pq.ParquetWriter(
                                staging / "part-0.parquet", source.schema, compression="zstd"
                            )
                        )
                    writer.write_table(table.cast(source.schema))
                    rows += table.num_rows
            with self.lock(source.name):
                # Not into the partition, where globbing readers would meet it; a cleaner waits
                # for the source's lock, so it cannot take the folder for a dead writer's.
                (staging / LOCK_NAME).unlink()
                trash = final.parent / f".trash-{final.name}-{uuid.uuid4().hex}"
                if final.exists():
                    os.replace(final, trash)
                os.replace(staging, final)
                shutil.rmtree(trash, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            writer_lock.close()
        return rows

    def clear(self, source: str) -> None:
        shutil.rmtree(self.source_dir(source), ignore_errors=True)

    def _write_file(self, source: str, day: str, table: pa.Table) -> Path:
        folder = self.partition_dir(source, day)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"part-{uuid.uuid4().hex}.parquet"
        temporary = folder / f".{name}.tmp"
        pq.write_table(table, temporary, compression="zstd")
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, folder / name)
        return folder / name


def _first_occurrence_index(keys: pa.Array) -> pa.Array:
    """For each row, the index of the first row with the same key."""
    encoded = (
        pc.dictionary_encode(keys).combine_chunks()
        if isinstance(keys, pa.ChunkedArray)
        else pc.dictionary_encode(keys)
    )
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    import numpy as np

    first_of_code = np.full(len(encoded.dictionary), len(indices), dtype=np.int64)
    np.minimum.at(first_of_code, indices, np.arange(len(indices), dtype=np.int64))
    return pa.array(first_of_code[indices])
