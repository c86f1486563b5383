"""RFC 6902 on plain documents, and the merge patch a patched ticket amounts to."""

from __future__ import annotations

from typing import Any

import pytest

from sqm.complaints.tmf import patching

DOC: dict[str, Any] = {
    "status": "acknowledged",
    "severity": "medium",
    "note": [{"id": "1", "text": "a"}],
    "troubleTicketCharacteristic": [{"name": "level", "value": "normal"}],
    "a/b": {"~c": 1},
}


def test_the_rfc_6902_operations_apply_in_order() -> None:
    result = patching.apply(
        DOC,
        [
            {"op": "add", "path": "/note/-", "value": {"text": "b"}},
            {"op": "add", "path": "/note/0", "value": {"text": "z"}},
            {"op": "remove", "path": "/note/0"},
            {"op": "copy", "from": "/severity", "path": "/copied"},
            {"op": "move", "from": "/copied", "path": "/moved"},
            {"op": "replace", "path": "/a~1b/~0c", "value": 2},
            {"op": "test", "path": "/moved", "value": "medium"},
        ],
    )
    assert result["note"] == [{"id": "1", "text": "a"}, {"text": "b"}]
    assert result["moved"] == "medium" and "copied" not in result
    assert result["a/b"] == {"~c": 2}
    assert DOC["note"] == [{"id": "1", "text": "a"}]  # the input is left alone


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "remove", "path": "/nope"},
        {"op": "add", "path": "/note/5", "value": 1},
        {"op": "add", "path": "/note/01", "value": 1},
        {"op": "replace", "path": "status", "value": 1},
        {"op": "move", "from": "/note", "path": "/note/0"},
    ],
)
def test_an_operation_that_does_not_fit_the_document_is_refused(operation: Any) -> None:
    with pytest.raises(patching.BadPatch):
        patching.apply(DOC, [operation])


def test_a_test_operation_compares_as_json_does() -> None:
    with pytest.raises(patching.FailedTest):
        patching.apply({"x": True}, [{"op": "test", "path": "/x", "value": 1}])


def test_the_merge_patch_names_only_what_changed() -> None:
    after = patching.apply(
        DOC,
        [
            {"op": "replace", "path": "/status", "value": "inProgress"},
            {"op": "replace", "path": "/troubleTicketCharacteristic/0/value", "value": "escalated"},
        ],
    )
    assert patching.merge_patch(DOC, after) == {
        "status": "inProgress",
        "troubleTicketCharacteristic": [{"name": "level", "value": "escalated"}],
    }


def test_removing_a_note_or_changing_a_derived_attribute_is_refused() -> None:
    with pytest.raises(patching.BadPatch, match="note 1"):
        patching.merge_patch(DOC, patching.apply(DOC, [{"op": "remove", "path": "/note/0"}]))
    with pytest.raises(patching.BadPatch, match="a/b"):
        patching.merge_patch(DOC, patching.apply(DOC, [{"op": "remove", "path": "/a~1b"}]))
