"""Check event rows against their source's declaration: types, required values, reference codes,
choices, ranges, time order and a few source-specific rules.

Everything is vectorised (pyarrow compute + numpy): a rule is a boolean mask over the rows, and
reason texts are only rendered for the rows that fail, so a clean batch costs one pass per rule.
A row that breaks any rule is kept whole (original values as text) with every reason, so a
quarantine file explains itself and can be corrected and ingested again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from sqm.events.core.schemas import Source
from sqm.org.core.reference import ReferenceCodes

Mask = npt.NDArray[np.bool_]
Render = Callable[[pa.Array], pa.Array]  # row indices -> one reason text per index

ROW_COLUMN = "_row"
REASON_COLUMN = "_reason"
LOCAL_TZ = "Asia/Shanghai"  # stored timestamps are naive wall-clock times of the province

_TIMESTAMP = (
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[ T](?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?$"
)
_INTEGER = r"^[+-]?\d{1,18}(\.0*)?$"  # "3.0" is how spreadsheets often write 3
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$"
_TRUE = pa.array(["true", "1", "yes", "t", "y"])
_FALSE = pa.array(["false", "0", "no", "f", "n"])


class SchemaError(ValueError):
    """The input cannot be read as this source at all (required columns are missing, or a
    column has a type that cannot become the declared one)."""


@dataclass(frozen=True, slots=True)
class ValidationResult:
    good: pa.Table  # typed, exactly the source schema
    bad: pa.Table  # original values as text, plus _row (1-based data row) and _reason
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Check:
    mask: Mask  # True where the row breaks the rule
    render: Render


def validate_raw(
    raw: pa.Table,
    source: Source,
    codes: ReferenceCodes,
    *,
    first_row: int = 1,
    prior_reasons: pa.Array | None = None,
) -> ValidationResult:
    """Validate rows read from a text file (every column a string; empty string = missing).

    Text values are trimmed of surrounding whitespace before they are read, because exports
    from fixed-width database columns pad codes ("NJ  "). ``first_row`` is the data row number
    of the table's first row, so that a file read in blocks reports rows as they are in it;
    ``prior_reasons`` (text, null where none) adds problems the reader found (a row with the
    wrong number of fields).
    """
    return _validate(
        raw, source, codes, first_row=first_row, from_text=True, prior_reasons=prior_reasons
    )


def validate_typed(
    table: pa.Table,
    source: Source,
    codes: ReferenceCodes,
    *,
    first_row: int = 1,
    originals: pa.Table | None = None,
    prior_reasons: pa.Array | None = None,
) -> ValidationResult:
    """Validate an already typed table (the generator's output, a Parquet file, an adaptor's
    mapping). Columns of another type are converted where that is lossless, else read as text.

    ``originals`` (same row count) replaces the input in the bad table, so an adaptor's
    quarantine shows the rows as they were in its file; ``prior_reasons`` (text, null where
    none) adds problems an adaptor found before the rows had the source's shape.
    """
    return _validate(
        table,
        source,
        codes,
        first_row=first_row,
        from_text=False,
        originals=originals,
        prior_reasons=prior_reasons,
    )


def _validate(
    table: pa.Table,
    source: Source,
    codes: ReferenceCodes,
    *,
    first_row: int,
    from_text: bool,
    originals: pa.Table | None = None,
    prior_reasons: pa.Array | None = None,
) -> ValidationResult:
    warnings = _check_columns(table, source)
    n = table.num_rows
    checks: list[_Check] = []
    if prior_reasons is not None:
        prior = _plain(prior_reasons)
        checks.append(_Check(_mask(pc.is_valid(prior)), lambda idx: prior.take(idx)))
    typed: dict[str, pa.Array] = {}
    unreadable: dict[str, Mask] = {}
    for column in source.schema:
        name, target = column.name, column.type
        if name not in table.column_names:
            typed[name] = pa.nulls(n, target)
            continue
        original = _plain(table[name])
        values, failures = _coerce(original, target, from_text=from_text, name=name)
        typed[name] = values
        unreadable[name] = np.zeros(n, dtype=bool)
        for failed, what in failures:
            unreadable[name] = unreadable[name] | failed
            checks.append(_Check(failed, _message(f"{name}: {what}: ", original, quote=True)))
    checks.extend(_rule_checks(typed, unreadable, source, codes))

    bad_mask = np.zeros(n, dtype=bool)
    for check in checks:
        bad_mask |= check.mask
    good = pa.Table.from_arrays([typed[c] for c in source.columns], schema=source.schema)
    good = good.filter(pa.array(~bad_mask))
    bad = _bad_table(originals if originals is not None else table, bad_mask, checks, first_row)
    return ValidationResult(good=good, bad=bad, warnings=warnings)


# -- columns ----------------------------------------------------------------------------------
def _check_columns(table: pa.Table, source: Source) -> list[str]:
    present = set(table.column_names)
    needed = dict.fromkeys((*source.required, source.time_column, *source.key))
    missing = [c for c in needed if c not in present]
    if missing:
        found = ", ".join(table.column_names[:30]) or "none"
        raise SchemaError(
            f"{source.name}: missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (columns found: {found})"
        )
    warnings = []
    extra = [c for c in table.column_names if c not in source.columns]
    if extra:
        warnings.append(f"ignored unknown columns: {', '.join(extra)}")
    absent = [c for c in source.columns if c not in present]
    if absent:
        warnings.append(f"columns not in the input, stored as empty: {', '.join(absent)}")
    return warnings


# -- coercion ---------------------------------------------------------------------------------
Failures = list[tuple[Mask, str]]


def _coerce(
    values: pa.Array, target: pa.DataType, *, from_text: bool, name: str
) -> tuple[pa.Array, Failures]:
    """The values as ``target`` (null where missing or unreadable) and the unreadable rows."""
    kind = values.type
    if kind == target:
        if pa.types.is_string(target) and from_text:
            return _clean_text(values), []
        if pa.types.is_floating(target):
            return _finite(values)
        return values, []
    if pa.types.is_timestamp(target) and pa.types.is_timestamp(kind):
        if kind.tz is not None:
            values = pc.local_timestamp(values.cast(pa.timestamp(kind.unit, LOCAL_TZ)))
        return _to_unit(values, target), []
    if pa.types.is_timestamp(target) and pa.types.is_date(kind):
        return values.cast(target), []
    if pa.types.is_integer(target) and pa.types.is_integer(kind):
        return _fit_integer(values.cast(pa.int64()), target)
    if pa.types.is_floating(target) and (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
        return _finite(values.cast(target))
    if not pa.types.is_string(kind):
        try:
            values = values.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise SchemaError(f"column {name} has type {kind}, expected {target}") from None
    text = _clean_text(values)
    if pa.types.is_string(target):
        return text, []
    if pa.types.is_timestamp(target):
        return _parse_timestamps(text, target)
    if pa.types.is_boolean(target):
        return _parse_booleans(text)
    if pa.types.is_integer(target):
        return _parse_integers(text, target)
    if pa.types.is_floating(target):
        return _parse_numbers(text, target)
    raise SchemaError(f"column {name}: type {target} is not supported by validation")


def _clean_text(values: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _parse_timestamps(text: pa.Array, target: pa.DataType) -> tuple[pa.Array, Failures]:
    well_formed = _mask(pc.match_substring_regex(text, _TIMESTAMP))
    candidates = pc.if_else(pa.array(well_formed), text, pa.scalar(None, pa.string()))
    unreadable = _mask(pc.is_valid(text)) & ~well_formed
    try:
        # Arrow's own parser is ~20x faster than splitting fields, but fails the whole array
        # on one impossible date; then the exact, per-row path below takes over.
        values = _to_unit(candidates.cast(pa.timestamp("us")), target)
    except pa.ArrowInvalid:
        values, impossible = _timestamps_by_fields(candidates, target)
        unreadable |= impossible
    return values, [(unreadable, "not a timestamp")]


def _to_unit(values: pa.Array, target: pa.DataType) -> pa.Array:
    """Drop digits finer than the target unit by flooring, as reading the text does (a plain
    cast truncates toward 1970, which moves times before 1970 forward)."""
    if values.type.unit == target.unit:
        return values
    return pc.floor_temporal(values, unit=_UNIT_NAMES[target.unit]).cast(target)


_UNIT_NAMES = {"s": "second", "ms": "millisecond", "us": "microsecond", "ns": "nanosecond"}


def _timestamps_by_fields(text: pa.Array, target: pa.DataType) -> tuple[pa.Array, Mask]:
    """Well-formed timestamp texts read field by field; the mask marks impossible dates/times."""
    parts = pc.extract_regex(text, _TIMESTAMP)
    matched = _mask(pc.is_valid(parts))

    def number(field_name: str) -> npt.NDArray[np.int64]:
        raw = pc.struct_field(parts, field_name)
        raw = pc.if_else(pc.equal(raw, ""), "0", raw)
        return np.asarray(pc.fill_null(raw, "0").cast(pa.int64()), dtype=np.int64)

    fraction = pc.utf8_slice_codeunits(
        pc.utf8_rpad(pc.fill_null(pc.struct_field(parts, "f"), ""), width=3, padding="0"), 0, 3
    )
    y, mo, d = number("y"), number("mo"), number("d")
    h, mi, s = number("h"), number("mi"), number("s")
    ms = np.asarray(fraction.cast(pa.int64()), dtype=np.int64)
    months = (y - 1970) * 12 + np.clip(mo, 1, 12) - 1
    first_day = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    days_in_month = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(
        np.int64
    ) - first_day
    ok = (
        matched
        & (mo >= 1) & (mo <= 12)
        & (d >= 1) & (d <= days_in_month)
        & (h < 24) & (mi < 60) & (s < 60)
    )  # fmt: skip
    epoch_ms = ((first_day + d - 1) * 86_400 + h * 3_600 + mi * 60 + s) * 1_000 + ms
    values = pa.array(np.where(ok, epoch_ms, 0), type=pa.int64(), mask=~ok).cast(target)
    return values, matched & ~ok


def _parse_booleans(text: pa.Array) -> tuple[pa.Array, Failures]:
    lowered = pc.utf8_lower(text)
    true = _mask(pc.is_in(lowered, value_set=_TRUE))
    ok = true | _mask(pc.is_in(lowered, value_set=_FALSE))
    failed = _mask(pc.is_valid(text)) & ~ok
    return pa.array(true, mask=~ok), [(failed, "not a boolean")]


def _parse_integers(text: pa.Array, target: pa.DataType) -> tuple[pa.Array, Failures]:
    ok = _mask(pc.match_substring_regex(text, _INTEGER))
    digits = pc.replace_substring_regex(text, r"\.0*$", "")
    digits = pc.if_else(pa.array(ok), digits, "0")
    wide = pa.array(np.asarray(digits.cast(pa.int64())), mask=~ok)
    typed, failures = _fit_integer(wide, target)
    failed = _mask(pc.is_valid(text)) & ~ok
    return typed, [(failed, "not an integer"), *failures]


def _fit_integer(wide: pa.Array, target: pa.DataType) -> tuple[pa.Array, Failures]:
    limits = np.iinfo(target.to_pandas_dtype())
    numbers = np.asarray(pc.fill_null(wide, 0), dtype=np.int64)
    too_big = _mask(pc.is_valid(wide)) & ((numbers < limits.min) | (numbers > limits.max))
    typed = pa.array(np.where(too_big, 0, numbers), mask=~_mask(pc.is_valid(wide)) | too_big)
    return typed.cast(target), [(too_big, f"does not fit in {target}")]


def _parse_numbers(text: pa.Array, target: pa.DataType) -> tuple[pa.Array, Failures]:
    ok = _mask(pc.match_substring_regex(text, _NUMBER))
    numbers = pc.if_else(pa.array(ok), text, "0").cast(pa.float64())
    typed, failures = _finite(pa.array(np.asarray(numbers), mask=~ok).cast(target))
    return typed, [(_mask(pc.is_valid(text)) & ~ok, "not a number"), *failures]


def _finite(values: pa.Array) -> tuple[pa.Array, Failures]:
    infinite = ~_mask(pc.is_finite(values)) & _mask(pc.is_valid(values))
    if not infinite.any():
        return values, []
    cleaned = pc.if_else(pa.array(infinite), pa.scalar(None, values.type), values)
    return cleaned, [(infinite, "not a finite number")]


# -- rules ------------------------------------------------------------------------------------
def _rule_checks(
    typed: dict[str, pa.Array], unreadable: dict[str, Mask], source: Source, codes: ReferenceCodes
) -> list[_Check]:
    checks: list[_Check] = []
    for name in dict.fromkeys((*source.required, source.time_column, *source.key)):
        missing = ~_mask(pc.is_valid(typed[name]))
        if name in unreadable:
            # An unreadable value is reported as such, not a second time as missing.
            missing &= ~unreadable[name]
        checks.append(_Check(missing, _fixed(f"{name}: required value missing")))
    for name, kind in source.references.items():
        allowed = pa.array(sorted(codes.codes(kind)), pa.string())
        checks.append(_not_in(typed[name], allowed, f"{name}: unknown code "))
    for name, choices in source.choices.items():
        allowed = pa.array(sorted(choices), pa.string())
        listed = ", ".join(sorted(choices))
        checks.append(_not_in(typed[name], allowed, f"{name}: ", f" is not one of {listed}"))
    for name, (low, high) in source.ranges.items():
        values = typed[name]
        outside = _mask(pc.or_(pc.less(values, low), pc.greater(values, high)))
        span = f" outside {_number_text(low)}..{_number_text(high)}"
        checks.append(_Check(outside, _message(f"{name}: ", values, span)))
    for earlier, later in source.time_order:
        wrong = _mask(pc.less(typed[later], typed[earlier]))
        checks.append(_Check(wrong, _fixed(f"{later} earlier than {earlier}")))
    checks.extend(_source_rules(source.name, typed))
    return [c for c in checks if c.mask.any()]


def _source_rules(name: str, typed: dict[str, pa.Array]) -> list[_Check]:
    """Rules the generic declarations cannot say. Each is a contradiction within one row, never
    a judgement of plausibility, so real data with odd but possible values still passes."""

    def present(column: str) -> pa.Array:
        return pc.is_valid(typed[column])

    if name == "calls":
        both = _mask(pc.and_(present("answered_at"), present("abandoned_at")))
        return [_Check(both, _fixed("answered_at and abandoned_at are both set"))]
    if name == "hall_visits":
        served = _mask(pc.and_(pc.fill_null(typed["left_unserved"], False), present("served_at")))
        return [_Check(served, _fixed("served_at set although left_unserved is true"))]
    if name == "reminders":
        unsent = _mask(pc.and_(present("delivered_at"), pc.invert(present("sent_at"))))
        return [_Check(unsent, _fixed("delivered_at set without sent_at"))]
    if name == "complaints":
        early = _mask(pc.less(typed["deadline_at"], typed["created_at"]))
        return [_Check(early, _fixed("deadline_at earlier than created_at"))]
    if name == "inspections":
        errors, items = typed["errors"], typed["items"]
        shown = pc.binary_join_element_wise(
            errors.cast(pa.string()), items.cast(pa.string()), " > "
        )
        more = _mask(pc.greater(errors, items))
        return [_Check(more, _message("errors more than items: ", shown))]
    return []


def _not_in(values: pa.Array, allowed: pa.Array, prefix: str, suffix: str = "") -> _Check:
    unknown = _mask(pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=allowed))))
    return _Check(unknown, _message(prefix, values, suffix, quote=True))


# -- output -----------------------------------------------------------------------------------
def _bad_table(table: pa.Table, bad: Mask, checks: list[_Check], first_row: int) -> pa.Table:
    rows = np.flatnonzero(bad)
    index = pa.array(rows, pa.int64())
    columns = [_plain(table[c]).take(index) for c in table.column_names]
    text = [c if pa.types.is_string(c.type) else c.cast(pa.string()) for c in columns]
    reason: pa.Array = pa.nulls(len(rows), pa.string())
    for check in checks:
        hit = check.mask[rows]
        if not hit.any():
            continue
        messages = check.render(pa.array(rows[hit], pa.int64()))
        these = pc.replace_with_mask(pa.nulls(len(rows), pa.string()), pa.array(hit), messages)
        # Folded pairwise: binary_join_element_wise(null_handling="skip") drops rows whose
        # inputs are all null (pyarrow 26), which would misalign reasons with rows.
        joined = pc.binary_join_element_wise(reason, these, "; ")
        reason = pc.coalesce(joined, reason, these)
    names = [*table.column_names, ROW_COLUMN, REASON_COLUMN]
    row_numbers = pa.array(rows + first_row, pa.int64())
    return pa.Table.from_arrays([*text, row_numbers, reason], names=names)


def _message(
    prefix: str, values: pa.Array | None = None, suffix: str = "", *, quote: bool = False
) -> Render:
    """Reasons that show the offending value; rendered only for the rows that need them."""
    if values is None:
        return _fixed(prefix)
    shown = values

    def render(index: pa.Array) -> pa.Array:
        picked = shown.take(index)
        text = picked if pa.types.is_string(picked.type) else picked.cast(pa.string())
        if quote:
            text = pc.binary_join_element_wise("'", text, "'", "")
        return pc.binary_join_element_wise(prefix, pc.fill_null(text, ""), suffix, "")

    return render


def _fixed(text: str) -> Render:
    return lambda index: pa.repeat(pa.scalar(text, pa.string()), len(index))


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _plain(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array of a plain type (dictionaries and large strings unwrapped)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    if pa.types.is_large_string(values.type):
        values = values.cast(pa.string())
    return values


def _mask(values: pa.Array | pa.ChunkedArray) -> Mask:
    filled = pc.fill_null(values, False)
    if isinstance(filled, pa.ChunkedArray):
        filled = filled.combine_chunks()
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=np.bool_)
