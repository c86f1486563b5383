"""Validation of event rows: one test per rule kind, on text (CSV) and typed (Parquet) input."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyarrow as pa
import pytest

from sqm.events.core.schemas import CALLS, COMPLAINTS, CUSTOMERS, HALL_VISITS, SOURCES, get_source
from sqm.events.core.validation import (
    REASON_COLUMN,
    ROW_COLUMN,
    SchemaError,
    validate_raw,
    validate_typed,
)
from tests.events.factories import CODES, as_text, calls_table


def text_calls(rows: int = 3, **changes: dict[int, str]) -> pa.Table:
    """Valid calls as CSV text; ``changes`` maps column -> {row index: new text}."""
    records = as_text(calls_table(rows)).to_pylist()
    for column, by_row in changes.items():
        for index, value in by_row.items():
            records[index][column] = value
    return pa.Table.from_pylist(records, schema=as_text(calls_table(0)).schema)


def reasons(table: pa.Table, source: Any = CALLS, **kwargs: Any) -> dict[int, str]:
    result = validate_raw(table, source, CODES, **kwargs)
    return dict(
        zip(result.bad[ROW_COLUMN].to_pylist(), result.bad[REASON_COLUMN].to_pylist(), strict=True)
    )


def text_rows(source_name: str, *rows: dict[str, str]) -> pa.Table:
    source = get_source(source_name)
    columns = {c: [row.get(c, "") for row in rows] for c in source.columns}
    return pa.table({c: pa.array(v, pa.string()) for c, v in columns.items()})


# -- clean input ------------------------------------------------------------------------------
def test_clean_text_rows_become_exactly_the_typed_source_table() -> None:
    typed = calls_table(500)
    result = validate_raw(as_text(typed), CALLS, CODES)
    assert result.bad.num_rows == 0
    assert result.good.schema == CALLS.schema
    assert result.good.equals(typed)
    assert result.warnings == []


def test_a_clean_typed_table_passes_unchanged() -> None:
    typed = calls_table(200)
    result = validate_typed(typed, CALLS, CODES)
    assert result.good.equals(typed)
    assert result.bad.num_rows == 0


def test_an_empty_table_gives_empty_good_and_bad_tables() -> None:
    result = validate_raw(as_text(calls_table(0)), CALLS, CODES)
    assert result.good.num_rows == 0 and result.bad.num_rows == 0
    assert result.good.schema == CALLS.schema


def test_duplicate_keys_are_not_a_validation_error() -> None:
    table = text_calls(3, call_id={1: "C000000000", 2: "C000000000"})
    assert validate_raw(table, CALLS, CODES).good.num_rows == 3


# -- coercion ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-28 08:30:05", datetime(2026, 2, 28, 8, 30, 5)),
        ("2026-02-28T08:30:05", datetime(2026, 2, 28, 8, 30, 5)),
        ("2026-02-28 08:30:05.25", datetime(2026, 2, 28, 8, 30, 5, 250_000)),
        ("2026-02-28T08:30:05.123456789", datetime(2026, 2, 28, 8, 30, 5, 123_000)),
        ("  2026-02-28 08:30:05 ", datetime(2026, 2, 28, 8, 30, 5)),
        ("2024-02-29 23:59:59", datetime(2024, 2, 29, 23, 59, 59)),
    ],
)
def test_timestamps_are_read_with_a_space_or_a_t_and_optional_fractional_seconds(
    text: str, expected: datetime
) -> None:
    table = text_calls(1, arrived_at={0: text})
    assert validate_raw(table, CALLS, CODES).good["arrived_at"].to_pylist() == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-01 25:00",
        "2026-02-30 10:00:00",
        "2023-02-29 10:00:00",
        "2026-03-01 24:00:00",
        "2026-03-01 10:60:00",
        "01/03/2026 10:00:00",
        "2026-03-01 10:00:00+08:00",
        "yesterday",
    ],
)
def test_impossible_or_malformed_timestamps_are_quarantined_showing_the_text(text: str) -> None:
    table = text_calls(2, queued_at={1: text})
    assert reasons(table) == {2: f"queued_at: not a timestamp: '{text}'"}


def test_one_impossible_date_does_not_change_how_the_other_rows_are_read() -> None:
    # A batch with an impossible date takes the field-by-field path; both paths must agree.
    valid = ["2026-02-28 08:00:00", "2026-02-28T08:00:00.5", "0999-12-31 23:59:59.999999"]
    alone = validate_raw(text_calls(3, arrived_at=dict(enumerate(valid))), CALLS, CODES)
    mixed = validate_raw(
        text_calls(4, arrived_at=dict(enumerate([*valid, "2026-02-30 00:00:00"]))), CALLS, CODES
    )
    assert alone.bad.num_rows == 0
    assert mixed.good["arrived_at"].equals(alone.good["arrived_at"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("FALSE", False), ("1", True), ("0", False), ("Yes", True), ("no", False),
     ("t", True), ("F", False), ("", None)],
)  # fmt: skip
def test_booleans_accept_the_usual_spellings_in_any_case(text: str, expected: bool | None) -> None:
    table = text_calls(1, sms_answer={0: text})
    assert validate_raw(table, CALLS, CODES).good["sms_answer"].to_pylist() == [expected]


def test_an_unreadable_boolean_is_quarantined() -> None:
    assert reasons(text_calls(1, excluded={0: "maybe"})) == {1: "excluded: not a boolean: 'maybe'"}


def test_integers_accept_a_zero_fraction_and_reject_fractions_and_overflow() -> None:
    table = text_calls(
        4,
        survey_offered={0: "true", 1: "true", 2: "true", 3: "true"},
        survey_score={0: "4.0", 1: "3.5", 2: "300", 3: "four"},
    )
    result = validate_raw(table, CALLS, CODES)
    assert result.good["survey_score"].to_pylist() == [4]
    assert reasons(table) == {
        2: "survey_score: not an integer: '3.5'",
        3: "survey_score: does not fit in int8: '300'",
        4: "survey_score: not an integer: 'four'",
    }


def test_numbers_reject_text_nan_and_infinity() -> None:
    table = text_calls(4, ivr_s={0: "12.5", 1: "abc", 2: "nan", 3: "1e999"})
    assert validate_raw(table, CALLS, CODES).good["ivr_s"].to_pylist() == [12.5]
    assert reasons(table) == {
        2: "ivr_s: not a number: 'abc'",
        3: "ivr_s: not a number: 'nan'",
        4: "ivr_s: not a finite number: '1e999'",
    }


def test_text_is_trimmed_and_an_empty_field_is_missing() -> None:
    table = text_calls(2, branch={0: "  NJ "}, agent_id={0: "   "})
    good = validate_raw(table, CALLS, CODES).good
    assert good["branch"][0].as_py() == "NJ"
    assert good["agent_id"][0].as_py() is None


# -- rules ------------------------------------------------------------------------------------
def test_a_missing_required_value_is_quarantined_but_an_unreadable_one_only_once() -> None:
    table = text_calls(3, call_id={0: ""}, ended_at={1: "soon"})
    assert reasons(table) == {
        1: "call_id: required value missing",
        2: "ended_at: not a timestamp: 'soon'",
    }


def test_unknown_reference_codes_are_quarantined_per_column() -> None:
    table = text_calls(3, branch={0: "XX"}, tier={1: "platinum"}, topic={2: "weather"})
    assert reasons(table) == {
        1: "branch: unknown code 'XX'",
        2: "tier: unknown code 'platinum'",
        3: "topic: unknown code 'weather'",
    }


def test_values_outside_a_declared_choice_are_quarantined() -> None:
    row = {"customer_id": "U1", "snapshot_at": "2026-03-01 00:00:00", "branch": "NJ"}
    table = text_rows("customers", {**row, "tier": "gold", "status": "gone"})
    assert reasons(table, CUSTOMERS) == {
        1: "status: 'gone' is not one of active, closed, suspended"
    }


def test_values_outside_a_declared_range_are_quarantined() -> None:
    table = text_calls(2, ivr_s={0: "-3"}, survey_score={1: "7"})
    assert reasons(table) == {1: "ivr_s: -3 outside 0..86400", 2: "survey_score: 7 outside 1..5"}


def test_rows_answered_before_queued_are_quarantined_with_a_reason() -> None:
    table = text_calls(1, abandoned_at={0: ""}, answered_at={0: "2026-03-01 00:00:01"})
    assert reasons(table) == {1: "answered_at earlier than queued_at"}


def test_every_broken_rule_of_a_row_is_listed_in_order() -> None:
    table = text_calls(
        1,
        branch={0: "XX"},
        ivr_s={0: "x"},
        answered_at={0: "2026-03-01 00:01:00"},
        abandoned_at={0: ""},
        ended_at={0: "2026-02-01 00:00:00"},
    )
    assert reasons(table) == {
        1: "ivr_s: not a number: 'x'; branch: unknown code 'XX'; "
        "ended_at earlier than arrived_at; ended_at earlier than answered_at"
    }


def test_a_call_cannot_be_both_answered_and_abandoned() -> None:
    table = calls_table(1).set_column(
        CALLS.schema.get_field_index("abandoned_at"),
        "abandoned_at",
        calls_table(1)["ended_at"],
    )
    if table["answered_at"][0].as_py() is None:
        table = table.set_column(
            CALLS.schema.get_field_index("answered_at"), "answered_at", table["queued_at"]
        )
    result = validate_typed(table, CALLS, CODES)
    assert result.bad[REASON_COLUMN].to_pylist() == ["answered_at and abandoned_at are both set"]


def test_a_hall_visit_that_left_unserved_cannot_have_been_served() -> None:
    base = {"visit_id": "V1", "hall_id": "NJ-H001", "branch": "NJ", "tier": "gold",
            "arrived_at": "2026-03-01 09:00:00"}  # fmt: skip
    table = text_rows(
        "hall_visits",
        {**base, "left_unserved": "true"},
        {**base, "visit_id": "V2", "left_unserved": "true", "served_at": "2026-03-01 09:10:00"},
        {**base, "visit_id": "V3", "left_unserved": "false", "served_at": "2026-03-01 09:10:00"},
    )
    assert reasons(table, HALL_VISITS) == {2: "served_at set although left_unserved is true"}


def test_source_specific_rules_for_inspections_reminders_and_complaints() -> None:
    inspection = {"inspection_id": "I1", "kind": "open_check", "unit": "NJ-H001",
                  "branch": "NJ", "at": "2026-03-01 10:00:00", "score": "90"}  # fmt: skip
    table = text_rows("inspections", {**inspection, "items": "5", "errors": "7"})
    assert reasons(table, SOURCES["inspections"]) == {1: "errors more than items: 7 > 5"}

    reminder = {"reminder_id": "R1", "customer_id": "U1", "branch": "NJ", "kind": "bill",
                "due_at": "2026-03-01 10:00:00", "delivered_at": "2026-03-01 10:01:00"}  # fmt: skip
    assert reasons(text_rows("reminders", reminder), SOURCES["reminders"]) == {
        1: "delivered_at set without sent_at"
    }

    complaint = {"complaint_id": "K1", "branch": "NJ", "channel": "hotline",
                 "category": "coverage", "level": "ordinary",
                 "created_at": "2026-03-02 10:00:00",
                 "deadline_at": "2026-03-01 10:00:00"}  # fmt: skip
    assert reasons(text_rows("complaints", complaint), COMPLAINTS) == {
        1: "deadline_at earlier than created_at"
    }


# -- columns and output -----------------------------------------------------------------------
def test_missing_required_columns_raise_a_one_line_schema_error_naming_them() -> None:
    table = as_text(calls_table(2)).drop_columns(["arrived_at", "ended_at"])
    with pytest.raises(SchemaError) as caught:
        validate_raw(table, CALLS, CODES)
    message = str(caught.value)
    assert "arrived_at, ended_at" in message and "\n" not in message


def test_unknown_columns_are_ignored_and_missing_optional_ones_are_empty_with_warnings() -> None:
    table = (
        as_text(calls_table(2)).drop_columns(["topic"]).append_column("note", pa.array(["a", "b"]))
    )
    result = validate_raw(table, CALLS, CODES)
    assert result.good.num_rows == 2 and result.good["topic"].null_count == 2
    assert result.warnings == [
        "ignored unknown columns: note",
        "columns not in the input, stored as empty: topic",
    ]


def test_bad_rows_keep_their_original_text_with_row_numbers_counted_from_the_first_row() -> None:
    table = text_calls(3, branch={1: " XX "}).append_column("note", pa.array(["a", "b", "c"]))
    bad = validate_raw(table, CALLS, CODES, first_row=101).bad
    assert bad.column_names == [*table.column_names, ROW_COLUMN, REASON_COLUMN]
    assert bad.to_pylist()[0]["branch"] == " XX "
    assert bad.to_pylist()[0]["note"] == "b"
    assert bad[ROW_COLUMN].to_pylist() == [102]
    assert bad[REASON_COLUMN].to_pylist() == ["branch: unknown code 'XX'"]


def test_typed_input_of_other_types_is_converted_and_checked() -> None:
    typed = calls_table(3)
    local = pa.array([datetime(2026, 2, 28, 15, 0)] * 3, pa.timestamp("ms", "UTC"))
    table = (
        typed.set_column(0, "call_id", pa.array([1, 2, 3]))
        .set_column(CALLS.schema.get_field_index("survey_score"), "survey_score",
                    pa.array([None, 4, 900], pa.int64()))
        .set_column(CALLS.schema.get_field_index("arrived_at"), "arrived_at", local)
    )  # fmt: skip
    result = validate_typed(table, CALLS, CODES)
    assert result.good["call_id"].to_pylist() == ["1", "2"]
    # A time-zone-aware instant becomes the province's wall-clock time (UTC+8).
    assert result.good["arrived_at"][0].as_py() == datetime(2026, 2, 28, 23, 0)
    assert result.bad[REASON_COLUMN].to_pylist() == ["survey_score: does not fit in int8: '900'"]


def test_an_adaptor_can_add_its_own_reasons_and_show_its_original_rows() -> None:
    typed = calls_table(2)
    originals = pa.table({"line": ["raw one", "raw two"]})
    result = validate_typed(
        typed, CALLS, CODES, originals=originals, prior_reasons=pa.array([None, "date: bad"])
    )
    assert result.good.num_rows == 1
    assert result.bad.to_pylist() == [
        {"line": "raw two", ROW_COLUMN: 2, REASON_COLUMN: "date: bad"}
    ]
