"""JSON Patch (RFC 6902, ``application/json-patch+json``, which TMF630 names for PATCH) on a
TroubleTicket document, and the merge patch it amounts to.

A JSON Patch is applied to the ticket exactly as the caller reads it; the attributes that came
out different are what the request asks to change, and they go through the same checks and
service calls as a merge patch. An operation on an attribute SQM cannot change is refused with
the attribute named (400) rather than answered 200 with nothing done. Django-free.
"""

from __future__ import annotations

import copy
from typing import Any

OPERATIONS = ("add", "remove", "replace", "move", "copy", "test")
# What a PATCH may change (everything else of the document is derived or kept as created).
WRITABLE = ("status", "statusChangeReason", "severity", "note", "relatedParty")
CHARACTERISTICS = "troubleTicketCharacteristic"


class BadPatch(ValueError):
    """A JSON Patch that is malformed or cannot be applied (400)."""


class FailedTest(BadPatch):
    """A ``test`` operation did not hold: the ticket is not what the client expected (409)."""


def _tokens(pointer: Any) -> list[str]:
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise BadPatch(f"path {pointer!r} is not a JSON Pointer (it starts with '/')")
    if pointer == "":
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _index(container: list[Any], token: str, *, adding: bool) -> int:
    if adding and token == "-":
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
        raise BadPatch(f"{token!r} is not an array index")
    index = int(token)
    if index > len(container) or (index == len(container) and not adding):
        raise BadPatch(f"array index {index} is out of range")
    return index


def _parent(document: Any, tokens: list[str], pointer: str) -> Any:
    node = document
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(node, token, adding=False)]
        else:
            raise BadPatch(f"path {pointer!r} does not exist")
    return node


def _get(document: Any, pointer: str) -> Any:
    tokens = _tokens(pointer)
    if not tokens:
        return document
    parent, last = _parent(document, tokens, pointer), tokens[-1]
    if isinstance(parent, dict) and last in parent:
        return parent[last]
    if isinstance(parent, list):
        return parent[_index(parent, last, adding=False)]
    raise BadPatch(f"path {pointer!r} does not exist")


def _add(document: Any, pointer: str, value: Any) -> Any:
    tokens = _tokens(pointer)
    if not tokens:
        return value
    parent, last = _parent(document, tokens, pointer), tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, last, adding=True), value)
    else:
        raise BadPatch(f"path {pointer!r} does not exist")
    return document


def _remove(document: Any, pointer: str) -> Any:
    tokens = _tokens(pointer)
    if not tokens:
        raise BadPatch("the whole ticket cannot be removed")
    _get(document, pointer)  # it must exist
    parent, last = _parent(document, tokens, pointer), tokens[-1]
    if isinstance(parent, dict):
        del parent[last]
    else:
        del parent[_index(parent, last, adding=False)]
    return document


def _same(a: Any, b: Any) -> bool:
    """JSON equality: ``true`` is not ``1`` (Python's ``==`` says it is)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and isinstance(a, str) == isinstance(b, str)


def apply(document: dict[str, Any], operations: Any) -> Any:
    """RFC 6902: every operation in order on a copy; any failure leaves nothing applied."""
    if not isinstance(operations, list) or not operations:
        raise BadPatch("a JSON Patch body is a non-empty array of operations")
    result: Any = copy.deepcopy(document)
    for number, operation in enumerate(operations, 1):
        if not isinstance(operation, dict) or operation.get("op") not in OPERATIONS:
            raise BadPatch(f"operation {number} needs 'op', one of {', '.join(OPERATIONS)}")
        op, path = operation["op"], operation.get("path")
        if not isinstance(path, str):
            raise BadPatch(f"path {path!r} is not a JSON Pointer (it starts with '/')")
        if op in ("add", "replace", "test") and "value" not in operation:
            raise BadPatch(f"operation {number} ({op}) needs a 'value'")
        if op in ("move", "copy") and "from" not in operation:
            raise BadPatch(f"operation {number} ({op}) needs 'from'")
        if op == "add":
            result = _add(result, path, copy.deepcopy(operation["value"]))
        elif op == "remove":
            result = _remove(result, path)
        elif op == "replace":
            _get(result, path)
            result = _add(_remove(result, path), path, copy.deepcopy(operation["value"]))
        elif op == "move":
            source = operation["from"]
            if isinstance(path, str) and isinstance(source, str) and path.startswith(source + "/"):
                raise BadPatch(f"operation {number} moves {source!r} into itself")
            value = _get(result, source)
            result = _add(_remove(result, source), path, value)
        elif op == "copy":
            result = _add(result, path, copy.deepcopy(_get(result, operation["from"])))
        elif not _same(_get(result, path), operation["value"]):
            raise FailedTest(f"test failed at {path!r}: the ticket holds another value")
    return result


def _notes(before: list[Any], after: Any) -> list[Any]:
    if not isinstance(after, list):
        raise BadPatch("note must stay an array; append a note with path /note/-")
    kept = {n.get("id") for n in after if isinstance(n, dict)}
    for note in before:
        if note.get("id") not in kept:
            raise BadPatch(f"note {note.get('id')} cannot be removed")
    return after


def _characteristics(before: list[Any], after: Any) -> list[Any]:
    if not isinstance(after, list) or not all(isinstance(c, dict) for c in after):
        raise BadPatch("troubleTicketCharacteristic must stay an array of characteristics")
    old = {c.get("name"): c.get("value") for c in before}
    new = {c.get("name"): c.get("value") for c in after}
    for name in old.keys() - new.keys():
        raise BadPatch(f"characteristic {name!r} cannot be removed")
    return [
        {"name": name, "value": value}
        for name, value in new.items()
        if name not in old or not _same(old[name], value)
    ]


def touched(operations: list[Any]) -> set[str]:
    """The top-level attributes the operations write (``/status`` → ``status``)."""
    return {
        _tokens(op["path"])[0]
        for op in operations
        if op.get("op") in ("add", "replace", "move", "copy") and _tokens(op["path"])
    }


def merge_patch(
    before: dict[str, Any], after: Any, written: set[str] | frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The merge-patch body that asks for what changed between ``before`` and ``after``.

    A status or severity an operation wrote is asked for even when it reads the same: a new
    work order reads ``acknowledged`` (TMF has no "new"), and replacing that with
    ``acknowledged`` is the acknowledging step, as the same merge patch would be."""
    if not isinstance(after, dict):
        raise BadPatch("the patched ticket must still be a JSON object")
    body: dict[str, Any] = {}
    for key in sorted(before.keys() | after.keys()):
        unchanged = key in before and key in after and _same(before[key], after[key])
        if unchanged and key in written and key in ("status", "severity", "statusChangeReason"):
            body[key] = after[key]
            continue
        if unchanged:
            continue
        if key not in after:
            raise BadPatch(f"{key} cannot be removed")
        if key == "note":
            body[key] = _notes(before.get(key) or [], after[key])
        elif key == CHARACTERISTICS:
            body[key] = _characteristics(before.get(key) or [], after[key])
        elif key in WRITABLE:
            body[key] = after[key]
        else:
            raise BadPatch(f"{key} cannot be changed through the API")
    return body
