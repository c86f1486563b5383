"""Fast builders for Arrow columns from NumPy arrays (ids, phone numbers, codes, timestamps).

The generator makes hundreds of millions of rows; building Python strings one by one would
dominate its time, so identifiers are written straight into Arrow string buffers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from sqm.events.core.schemas import TS

MS_PER_S = 1000
PHONE_PREFIXES: tuple[int, ...] = (
    *range(130, 140),
    *range(150, 160),
    *range(180, 190),
)


def fixed_ids(
    prefix: str, numbers: NDArray[np.integer], width: int, null: NDArray[np.bool_] | None = None
) -> pa.Array:
    """``prefix`` + ``numbers`` zero-padded to ``width`` digits, as an Arrow string array."""
    values = np.asarray(numbers, dtype=np.int64)
    n = int(values.size)
    head = prefix.encode("ascii")
    length = len(head) + width
    matrix = np.empty((n, length), dtype=np.uint8)
    if head:
        matrix[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
    rest = values.copy()
    for column in range(length - 1, len(head) - 1, -1):
        matrix[:, column] = rest % 10 + 48
        rest //= 10
    offsets = np.arange(0, (n + 1) * length, length, dtype=np.int32)
    validity = None
    null_count = 0
    if null is not None and bool(null.any()):
        validity = pa.py_buffer(np.packbits(~null, bitorder="little").tobytes())
        null_count = int(null.sum())
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets.tobytes()), pa.py_buffer(matrix.tobytes()), validity, null_count
    )


def phone_ints(customer_index: NDArray[np.integer]) -> NDArray[np.int64]:
    """A stable, unique 11-digit mobile number per customer index (13x/15x/18x)."""
    index = np.asarray(customer_index, dtype=np.int64)
    prefix = np.asarray(PHONE_PREFIXES, dtype=np.int64)[index % len(PHONE_PREFIXES)]
    # 7919 is coprime with 10**8, so the subscriber part is a bijection of index // 30.
    subscriber = (index // len(PHONE_PREFIXES) * 7919 + 20_090_101) % 100_000_000
    return np.asarray(prefix * 100_000_000 + subscriber, dtype=np.int64)


def phone_numbers(customer_index: NDArray[np.integer]) -> pa.Array:
    return fixed_ids("", phone_ints(customer_index), 11)


def customer_ids(index: NDArray[np.integer], null: NDArray[np.bool_] | None = None) -> pa.Array:
    return fixed_ids("C", index, 9, null)


def labels(
    codes: NDArray[np.integer], values: Sequence[str], null: NDArray[np.bool_] | None = None
) -> pa.Array:
    """Strings by code: ``values[codes[i]]`` (null where ``null`` is set)."""
    dictionary = pa.array(list(values), pa.string())
    indices = pa.array(np.asarray(codes, dtype=np.int32), mask=null)
    return pc.take(dictionary, indices)


def timestamps(ms: NDArray[np.integer], null: NDArray[np.bool_] | None = None) -> pa.Array:
    """Naive local timestamps (``timestamp[ms]``) from epoch milliseconds."""
    values = pa.array(np.asarray(ms, dtype=np.int64), mask=null)
    return values.cast(TS)


def seconds_to_ms(base_ms: int, seconds: NDArray[np.floating]) -> NDArray[np.int64]:
    """``base_ms`` + ``seconds`` (NaN stays a marker: use together with a null mask)."""
    safe = np.nan_to_num(np.asarray(seconds, dtype=np.float64), nan=0.0)
    return np.asarray(base_ms + np.rint(safe * MS_PER_S), dtype=np.int64)


def floats(values: NDArray[np.floating], null: NDArray[np.bool_] | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.float64), mask=null)


def ints(
    values: NDArray[np.integer], dtype: pa.DataType, null: NDArray[np.bool_] | None = None
) -> pa.Array:
    return pa.array(np.asarray(values), mask=null).cast(dtype)


def bools(values: NDArray[np.bool_], null: NDArray[np.bool_] | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=bool), mask=null)


def constant(value: str | None, n: int) -> pa.Array:
    if value is None:
        return pa.nulls(n, pa.string())
    return pa.repeat(pa.scalar(value, pa.string()), n)


def empty_mask(n: int) -> NDArray[np.bool_]:
    return np.zeros(n, dtype=bool)
