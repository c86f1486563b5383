"""The service meeting's agenda builds itself; the secretary adds and reorders.

The automatic part of an agenda, in the order the meeting takes it: the items carried over
from the last meeting (matters arising), the month's red indicators (province and branches,
each with its accountable department), new signals, open tracing cases, and the action items
that are overdue or fall due before the next meeting.

Each entry has a ``key`` naming what it is about (``indicator:ID``, ``case:NUMBER`` …), so one
subject appears once: an overdue action that the last meeting also left open is listed as the
overdue action it is; *carried over* marks what only the last meeting brings back. ``merge``
keeps what the secretary did to a stored agenda (order, additions, removals) when the
automatic part is built again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from sqm.lib.choices import gettext_noop


class Kind(StrEnum):
    CARRIED_OVER = "carried_over"
    RED_INDICATOR = "red_indicator"
    SIGNAL = "signal"
    CASE = "case"
    ACTION = "action"
    ADDED = "added"  # the secretary's own topic


KIND_NAMES_ZH: dict[Kind, str] = {
    Kind.CARRIED_OVER: gettext_noop("上次遗留"),
    Kind.RED_INDICATOR: gettext_noop("红灯指标"),
    Kind.SIGNAL: gettext_noop("新信号"),
    Kind.CASE: gettext_noop("溯源单"),
    Kind.ACTION: gettext_noop("督办事项"),
    Kind.ADDED: gettext_noop("临时议题"),
}

PROVINCE_NAME = gettext_noop("全省")

AUTOMATIC_ORDER: tuple[Kind, ...] = (
    Kind.CARRIED_OVER,
    Kind.RED_INDICATOR,
    Kind.SIGNAL,
    Kind.CASE,
    Kind.ACTION,
)


@dataclass(frozen=True, slots=True)
class Entry:
    kind: Kind
    key: str
    title: str
    indicator: str | None = None
    branch: str | None = None
    department: str | None = None
    due: date | None = None
    ref: str = ""  # what the page links to: an action id, a case number, a signal id


@dataclass(frozen=True, slots=True)
class Red:
    indicator: str
    name: str
    branch: str | None
    department: str
    branch_name: str = ""


@dataclass(frozen=True, slots=True)
class Topic:
    """A signal, case or action as the agenda sees it."""

    key: str
    title: str
    ref: str
    branch: str | None = None
    department: str | None = None
    indicator: str | None = None
    due: date | None = None


def red_entries(reds: Iterable[Red]) -> list[Entry]:
    """One entry per red indicator, in the order the reds come (the catalog's): a month has
    dozens of red figures across thirteen branches, and a meeting takes each indicator up
    once, with every place it is red. ``branch`` is None when the province's own figure is
    red, otherwise the red branches' codes joined with commas."""
    grouped: dict[str, list[Red]] = {}
    for red in reds:
        grouped.setdefault(red.indicator, []).append(red)
    entries = []
    for indicator, group in grouped.items():
        province = any(r.branch is None for r in group)
        branches = [r for r in group if r.branch is not None]
        places = ([PROVINCE_NAME] if province else []) + [
            r.branch_name or r.branch or "" for r in branches
        ]
        entries.append(
            Entry(
                Kind.RED_INDICATOR,
                f"indicator:{indicator}",
                f"{group[0].name}（{'、'.join(places)}）",
                indicator=indicator,
                branch=None if province else ",".join(r.branch or "" for r in branches),
                department=group[0].department,
                ref=indicator,
            )
        )
    return entries


def _entries(kind: Kind, topics: Iterable[Topic]) -> list[Entry]:
    return [
        Entry(kind, t.key, t.title, t.indicator, t.branch, t.department, t.due, t.ref)
        for t in topics
    ]


def actions_for_agenda(
    actions: Iterable[Topic], overdue: set[str], meeting: date, next_meeting: date
) -> list[Topic]:
    """The actions the meeting takes up: overdue ones (keys in ``overdue``) and those due on
    or after the meeting day and before the next meeting, earliest deadline first."""
    chosen = [
        a
        for a in actions
        if a.key in overdue or (a.due is not None and meeting <= a.due < next_meeting)
    ]
    return sorted(chosen, key=lambda a: (a.due or date.max, a.key))


def build(
    *,
    carried_over: Sequence[Topic] = (),
    reds: Sequence[Red] = (),
    signals: Sequence[Topic] = (),
    cases: Sequence[Topic] = (),
    actions: Sequence[Topic] = (),
) -> list[Entry]:
    """The automatic agenda: each subject once, in ``AUTOMATIC_ORDER``.

    A subject the records bring anyway (a red indicator still red, a case still open, an
    action still overdue) keeps its own kind; *carried over* are the last meeting's unsettled
    subjects the records would not bring again (the secretary's topics, an action not due this
    period, last month's red figure)."""
    current = (
        red_entries(reds),
        _entries(Kind.SIGNAL, signals),
        _entries(Kind.CASE, cases),
        _entries(Kind.ACTION, actions),
    )
    present = {e.key for group in current for e in group}
    carried = [e for e in _entries(Kind.CARRIED_OVER, carried_over) if e.key not in present]
    seen: set[str] = set()
    agenda: list[Entry] = []
    for group in (carried, *current):
        for entry in group:
            if entry.key in seen:
                continue
            seen.add(entry.key)
            agenda.append(entry)
    return agenda


def merge(
    stored: Sequence[Entry], built: Sequence[Entry], removed: Iterable[str] = ()
) -> list[Entry]:
    """A stored agenda brought up to date: the stored entries keep their order (the
    secretary's) and take the built entry's fresher text; new automatic entries follow in
    their own order; subjects the secretary removed (``removed`` keys) stay out."""
    fresh = {e.key: e for e in built}
    gone = set(removed)
    merged = [replace(fresh.get(e.key, e), kind=e.kind) for e in stored if e.key not in gone]
    present = {e.key for e in merged}
    merged.extend(e for e in built if e.key not in present and e.key not in gone)
    return merged


def reorder(entries: Sequence[Entry], keys: Sequence[str]) -> list[Entry]:
    """``entries`` in the order of ``keys``; entries ``keys`` does not name keep their relative
    order after the named ones; unknown keys are an error (a stale page)."""
    by_key = {e.key: e for e in entries}
    unknown = [k for k in keys if k not in by_key]
    if unknown:
        raise ValueError(f"议程中没有这些条目（unknown agenda keys）: {', '.join(unknown)}")
    if len(set(keys)) != len(keys):
        raise ValueError("议程顺序中有重复条目（duplicate agenda keys）")
    named = [by_key[k] for k in keys]
    rest = [e for e in entries if e.key not in set(keys)]
    return named + rest
