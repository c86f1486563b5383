"""Fixtures for the planning pages: the standing cast (analyst, manager_a of NJ, manager_b of
WX) with an executive (reads plans, makes none), a hotline supervisor bound to NJ and a spam
reviewer (no business here); the planning tests' tiny demo month (November 2026); and
saved plans of each kind made from it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ClientFor
from tests.planning.conftest import Month

PERIOD = "2026-12-01..2026-12-07"
MakePlan = Callable[..., Any]
__all__ = ["PERIOD", "ClientFor", "MakePlan", "figure_of"]


@pytest.fixture(scope="session")
def demo_month(month: Month) -> Path:
    """The planning tests' tiny demo month (tests/planning/conftest.py), shared read-only."""
    return month.data_dir


@pytest.fixture
def demo_data(demo_month: Path, settings: Any) -> Path:
    """The planning pages read the tiny month (the store is only read, never written)."""
    settings.DATA_DIR = demo_month
    return demo_month


@pytest.fixture
def data_dir(demo_data: Path) -> Path:
    """The data dir the root fixtures (``client_for``) serve the pages from: the tiny month."""
    return demo_data


_PAYLOADS: dict[str, dict[str, Any]] = {}


def _payload(kind: str, demo_month: Path) -> dict[str, Any]:
    """Plans of the tiny month, computed once per session (the hall reference rows every
    test loads are the same, so a hall plan computed in one test holds for the next)."""
    if kind not in _PAYLOADS:
        from sqm.events.core.store import EventStore
        from sqm.lib.periods import days_from
        from sqm.planning import services

        store = EventStore(demo_month)
        period = days_from(date(2026, 12, 1), 7)
        if kind == "hotline":
            _PAYLOADS[kind] = services.hotline_plan(period, store=store)
        elif kind == "halls":
            _PAYLOADS[kind] = services.halls_plan(period, branch="NJ", store=store)
        elif kind == "billing":
            _PAYLOADS[kind] = services.billing_cycles_plan(store=store)
        elif kind == "schedule":
            _PAYLOADS[kind] = services.roster_plan(_payload("hotline", demo_month), time_limit_s=5)
    return _PAYLOADS[kind]


@pytest.fixture
def make_plan(people: dict[str, Any], demo_data: Path) -> MakePlan:
    """``make_plan("halls", branch="WX", name=...)``: a saved plan of the tiny month."""
    from sqm.planning import services

    def make(kind: str, *, branch: str | None = None, name: str = "", **kw: Any) -> Any:
        payload = dict(_payload(kind, demo_data))
        if kind == "halls":
            payload["branch"] = branch or "NJ"
        parameters = {"period": PERIOD} if kind in ("hotline", "halls") else {}
        return services.save_plan(
            payload,
            name=name or f"{kind} {branch or ''}".strip(),
            parameters=parameters,
            user=people["analyst"],
            **kw,
        )

    return make


def figure_of(html: str, element: str) -> dict[str, Any]:
    """The Plotly figure JSON a page hands to ``<div data-figure="element">``."""
    opening = f'<script id="{element}" type="application/json">'
    start = html.index(opening) + len(opening)
    figure: dict[str, Any] = json.loads(html[start : html.index("</script>", start)])
    return figure
