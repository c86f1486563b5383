"""The source declarations that validation, the store and the generator all rely on."""

from __future__ import annotations

import pyarrow as pa
import pytest

from sqm.events.core.schemas import SOURCES, Source, UnknownSourceError, get_source
from sqm.events.core.validation import validate_raw, validate_typed
from tests.events.factories import CODES


@pytest.mark.parametrize("source", SOURCES.values(), ids=list(SOURCES))
def test_every_declaration_names_only_columns_of_its_own_schema(source: Source) -> None:
    columns = set(source.columns)
    named = {*source.key, source.time_column, *source.required, *source.references}
    named |= {*source.choices, *source.ranges, *(c for pair in source.time_order for c in pair)}
    assert named <= columns
    assert set(source.key) <= set(source.required) and source.time_column in source.required
    assert pa.types.is_timestamp(source.schema.field(source.time_column).type)
    assert set(source.references.values()) <= {"branch", "hall", "tier", "channel", "factor"}


@pytest.mark.parametrize("source", SOURCES.values(), ids=list(SOURCES))
def test_every_source_validates_an_empty_file_and_an_empty_typed_table(source: Source) -> None:
    text = pa.table({c: pa.array([], pa.string()) for c in source.columns})
    assert validate_raw(text, source, CODES).good.schema == source.schema
    assert validate_typed(source.schema.empty_table(), source, CODES).bad.num_rows == 0


def test_an_unknown_source_is_named_with_the_known_ones() -> None:
    with pytest.raises(UnknownSourceError) as caught:
        get_source("cals")
    assert "unknown source 'cals'" in str(caught.value) and "calls" in str(caught.value)
