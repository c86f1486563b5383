"""Ingest one file into the event store: read, validate, quarantine the bad rows, store the good.

A run has two phases. First the whole file is read in blocks and validated; good rows go to
a hidden staging area split by day, bad rows to a hidden quarantine file. Only when the file
has been read to the end are the bad rows published and the good rows appended to the store,
one day at a time. So a file that turns out unreadable half-way (wrong encoding, damaged
Parquet) stores nothing, memory stays bounded by the block size, and each day of the file
becomes one new Parquet file instead of one per block.

Re-ingesting a file stores nothing new (the store skips keys it holds, counted as duplicates);
its bad rows are quarantined again, in a new file. A run killed while appending leaves some
days stored; running it again completes them. Every finished run adds a line to
``{data_dir}/ingest_log.jsonl``.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from sqm.events.core.adaptors import AdaptorError, adaptor_names, get_adaptor
from sqm.events.core.schemas import Source, UnknownSourceError, get_source
from sqm.events.core.staging import Quarantine, Staging
from sqm.events.core.store import EventStore
from sqm.events.core.validation import ValidationResult, validate_raw, validate_typed
from sqm.org.core.reference import ReferenceCodes

FORMATS = ("csv", "parquet", *adaptor_names())
CSV_BLOCK_BYTES = 8 << 20
EXACT_BLOCK_ROWS = 50_000
PARQUET_BATCH_ROWS = 200_000

Progress = Callable[[str, int, int | None], None]  # stage, rows done, rows in all (if known)
Batches = Callable[[bool], Iterator[ValidationResult]]  # argument: read CSV the exact way


class IngestError(ValueError):
    """The file cannot be ingested at all; the message is one line for the user."""


class _Malformed(Exception):
    """Arrow met a row with the wrong number of fields and cannot say which row it was."""


@dataclass(frozen=True, slots=True)
class IngestReport:
    source: str
    accepted: int
    quarantined: int
    duplicates: int
    quarantine_path: Path | None
    warnings: list[str]
    rows: int = 0  # data rows read: accepted + quarantined + duplicates
    sha256: str = ""
    format: str = ""
    removed: tuple[Path, ...] = ()  # what killed runs of the source had left in the store


def infer_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and (suffixes[-1] == ".csv" or suffixes == [".csv", ".gz"]):
        return "csv"
    if suffixes and suffixes[-1] in (".parquet", ".pq"):
        return "parquet"
    raise IngestError(
        f"cannot tell the format of {path.name} from its name; give one of {', '.join(FORMATS)}"
    )


def ingest_file(
    path: Path | str,
    source_name: str,
    codes: ReferenceCodes,
    store: EventStore,
    fmt: str | None = None,
    *,
    encoding: str = "utf-8",
    progress: Progress | None = None,
    **adaptor_options: str,
) -> IngestReport:
    """Validate ``path`` as rows of ``source_name`` and append the good ones to ``store``.

    Raises IngestError, or validation.SchemaError when required columns are missing; in both
    cases nothing is stored.
    """
    path = Path(path)
    try:
        source = get_source(source_name)
    except UnknownSourceError as error:
        raise IngestError(str(error)) from None
    fmt = fmt or infer_format(path)
    batches = _batches_for(path, source, codes, fmt, encoding, adaptor_options)
    digest, size = _fingerprint(path)
    if size == 0:
        raise IngestError(f"{path.name} is empty")
    report: Progress = progress or (lambda stage, done, total: None)

    with (
        Staging(store, source) as staging,
        Quarantine(store.data_dir, source, path, staging) as bad,
    ):
        try:
            rows, warnings = _read(batches(False), staging, bad, report)
        except _Malformed:
            staging.reset()
            bad.reset()
            rows, warnings = _read(batches(True), staging, bad, report)
        if fmt == "csv" and rows and not _ends_with_newline(path):
            warnings.append("the file does not end with a line break: it may be cut short")
        quarantine_path = bad.publish()
        accepted = duplicates = 0
        for table in staging.tables():
            outcome = store.append(source, table)
            accepted += outcome.accepted
            duplicates += outcome.duplicates
            report("storing", accepted + duplicates, staging.rows)
    if rows == 0:
        warnings.append("no data rows")
    result = IngestReport(
        source.name,
        accepted,
        bad.rows,
        duplicates,
        quarantine_path,
        warnings,
        rows,
        digest,
        fmt,
        tuple(staging.removed),
    )
    _log(store.data_dir, path, size, result)
    return result


def _read(
    batches: Iterator[ValidationResult], staging: Staging, bad: Quarantine, report: Progress
) -> tuple[int, list[str]]:
    rows = 0
    warnings: list[str] = []
    for result in batches:
        rows += result.good.num_rows + result.bad.num_rows
        staging.add(result.good)
        bad.add(result.bad)
        warnings.extend(w for w in result.warnings if w not in warnings)
        report("reading", rows, None)
    return rows, warnings


def _batches_for(
    path: Path,
    source: Source,
    codes: ReferenceCodes,
    fmt: str,
    encoding: str,
    options: dict[str, str],
) -> Batches:
    """Check the format and its options before reading, so a typo fails fast."""
    if fmt not in FORMATS:
        raise IngestError(f"unknown format {fmt!r}; known formats: {', '.join(FORMATS)}")
    adaptor = get_adaptor(fmt)
    if adaptor is None:
        if options:
            raise IngestError(f"format {fmt} takes no options (got {', '.join(options)})")
        if fmt == "parquet":
            return lambda exact: _parquet_batches(path, source, codes)
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise IngestError(f"unknown encoding {encoding!r}") from None
        return lambda exact: _csv_batches(path, source, codes, encoding, exact=exact)
    if adaptor.source != source.name:
        raise IngestError(f"format {fmt} produces {adaptor.source}, not {source.name}")
    unknown = sorted(set(options) - set(adaptor.options))
    if unknown:
        raise IngestError(f"format {fmt} has no option {', '.join(unknown)}")

    def adapted(exact: bool) -> Iterator[ValidationResult]:
        try:
            for batch in adaptor.read(path, codes, options):
                result = validate_typed(
                    batch.table,
                    source,
                    codes,
                    first_row=batch.first_row,
                    originals=batch.originals,
                    prior_reasons=batch.reasons,
                )
                yield ValidationResult(result.good, result.bad, batch.warnings + result.warnings)
        except AdaptorError as error:
            raise IngestError(str(error)) from None
        except OSError as error:
            raise IngestError(f"cannot read {path}: {error.strerror or error}") from None

    return adapted


def _parquet_batches(
    path: Path, source: Source, codes: ReferenceCodes
) -> Iterator[ValidationResult]:
    try:
        first_row = 1
        for batch in pq.ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH_ROWS):
            table = pa.Table.from_batches([batch])
            yield validate_typed(table, source, codes, first_row=first_row)
            first_row += table.num_rows
    except (pa.ArrowException, OSError) as error:
        raise IngestError(f"{path.name} is not a readable Parquet file: {error}") from None


# -- CSV --------------------------------------------------------------------------------------
def _csv_batches(
    path: Path, source: Source, codes: ReferenceCodes, encoding: str, *, exact: bool
) -> Iterator[ValidationResult]:
    names = _csv_header(path, encoding)
    blocks = _exact_blocks(path, names, encoding) if exact else _fast_blocks(path, names, encoding)
    first_row = 1
    for table, reasons in blocks:
        yield validate_raw(table, source, codes, first_row=first_row, prior_reasons=reasons)
        first_row += table.num_rows


def _fast_blocks(
    path: Path, names: list[str], encoding: str
) -> Iterator[tuple[pa.Table, pa.Array | None]]:
    try:
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(
                column_names=names, skip_rows=1, block_size=CSV_BLOCK_BYTES, encoding=encoding
            ),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
        for batch in reader:
            yield pa.Table.from_batches([batch]), None
    except pa.ArrowInvalid as error:
        # Parse errors quote the row, which may itself contain "UTF8": test for them first.
        if "CSV parse error" in str(error):
            raise _Malformed from None
        if "invalid UTF8" in str(error):
            raise _encoding_error(path, encoding) from None
        raise IngestError(f"cannot read {path.name} as CSV: {error}") from None
    except UnicodeDecodeError:
        raise _encoding_error(path, encoding) from None


def _exact_blocks(
    path: Path, names: list[str], encoding: str
) -> Iterator[tuple[pa.Table, pa.Array | None]]:
    """Row by row with Python's csv module: slower, but a row with too few or too many fields
    becomes a quarantined row (its fields kept in order) instead of stopping the run."""
    width = len(names)
    rows: list[list[str]] = []
    reasons: list[str | None] = []

    def block() -> tuple[pa.Table, pa.Array | None]:
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
        table = pa.table({n: pa.array(c, pa.string()) for n, c in zip(names, columns, strict=True)})
        rows.clear()
        found = pa.array(reasons, pa.string())
        reasons.clear()
        return table, found

    with _open_text(path, encoding) as handle:
        reader = csv.reader(handle)
        try:
            next(reader)  # the header, read by _csv_header
            for fields in reader:
                if not fields:
                    continue  # blank lines are not rows, as for Arrow's reader
                reasons.append(
                    None
                    if len(fields) == width
                    else f"expected {width} fields, found {len(fields)}"
                )
                if len(fields) < width:
                    fields = fields + [""] * (width - len(fields))
                elif len(fields) > width:
                    fields = [*fields[: width - 1], ",".join(fields[width - 1 :])]
                rows.append(fields)
                if len(rows) >= EXACT_BLOCK_ROWS:
                    yield block()
        except UnicodeDecodeError:
            raise _encoding_error(path, encoding) from None
        except csv.Error as error:
            raise IngestError(
                f"{path.name}: CSV error at line {reader.line_num}: {error}"
            ) from None
    if rows:
        yield block()


def _csv_header(path: Path, encoding: str) -> list[str]:
    try:
        with _open_text(path, encoding) as handle:
            header = next(csv.reader(handle), [])
    except UnicodeDecodeError:
        raise _encoding_error(path, encoding) from None
    except (OSError, csv.Error) as error:
        raise IngestError(f"cannot read {path.name} as CSV: {error}") from None
    names = [name.strip() for name in header]
    if not any(names):
        raise IngestError(f"{path.name} has no header row")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise IngestError(f"{path.name} repeats columns {', '.join(repeated)}")
    return names


def _open_text(path: Path, encoding: str) -> IO[str]:
    # utf-8-sig reads files with and without a byte-order mark (Excel writes one).
    text_encoding = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding=text_encoding, newline="")
    return open(path, encoding=text_encoding, newline="")


def _encoding_error(path: Path, encoding: str) -> IngestError:
    """Name the first line that does not decode, so the user can look at it."""
    decoder = codecs.getincrementaldecoder(encoding)()
    for number, line in enumerate(_binary_lines(path), start=1):
        try:
            decoder.decode(line)
        except UnicodeDecodeError as error:
            where = line[error.start : error.start + 4]
            hint = " (try encoding gb18030)" if encoding.lower().startswith("utf") else ""
            return IngestError(
                f"{path.name} is not valid {encoding} at line {number}: bytes {where!r}{hint}"
            )
    return IngestError(f"{path.name} is not valid {encoding}")


def _binary_lines(path: Path) -> Iterator[bytes]:
    if path.suffix.lower() == ".gz":
        with gzip.open(path) as compressed:
            yield from compressed
    else:
        with open(path, "rb") as plain:
            yield from plain


def _ends_with_newline(path: Path) -> bool:
    if path.suffix.lower() == ".gz":
        return True  # can't seek to the end cheaply; compressed files are rarely cut silently
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) in (b"\n", b"\r")


# -- log ----------------------------------------------------------------------------------
def _fingerprint(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError as error:
        raise IngestError(f"cannot read {path}: {error.strerror or error}") from None
    return digest.hexdigest(), size


def _log(data_dir: Path, path: Path, size: int, report: IngestReport) -> None:
    entry: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "file": str(path.resolve()),
        "bytes": size,
        "sha256": report.sha256,
        "source": report.source,
        "format": report.format,
        "rows": report.rows,
        "accepted": report.accepted,
        "quarantined": report.quarantined,
        "duplicates": report.duplicates,
        "quarantine": str(report.quarantine_path) if report.quarantine_path else None,
        "warnings": report.warnings,
        "removed_leftovers": [str(p) for p in report.removed],
    }
    # One write of one line with O_APPEND: concurrent runs never interleave within a line.
    with open(data_dir / "ingest_log.jsonl", "a", encoding="utf-8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")
