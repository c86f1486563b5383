"""Hotline plans: forecast → tiered staffing per interval → simulation check → week schedule.

Each step takes and returns plain JSON-able payloads (dicts of lists), the form a plan is
saved in, printed by ``--json`` and read back by ``sqm simulate hotline --plan``. No Django.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from sqm.planning.core import forecast
from sqm.planning.core.kinds import PlanKind
from sqm.planning.core.priority import Tier, TieredDemand, staff_tiers
from sqm.planning.core.simulation import StaffingPlan, simulate_queue
from sqm.planning.core.sources import CallHistory
from sqm.planning.core.staffing import with_shrinkage

Payload = dict[str, Any]


@dataclass(frozen=True, slots=True)
class HotlineTargets:
    """The promises (R4.2: VIP 85% in 15 s; everyone reaches a human) and planning rules."""

    vip_target: float = 0.85
    vip_threshold_s: float = 15.0
    ordinary_target: float = 0.80
    ordinary_threshold_s: float = 20.0
    max_ordinary_abandon: float | None = 0.05
    shrinkage: float = 0.30
    max_occupancy: float = 0.90
    patience_s: float | None = None  # None: the estimate from history

    def __post_init__(self) -> None:
        for name in ("vip_target", "ordinary_target", "max_occupancy"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"{name} must be in (0, 1]")
        if not 0 <= self.shrinkage < 1:
            raise ValueError("shrinkage must be in [0, 1)")
        if self.vip_threshold_s <= 0 or self.ordinary_threshold_s <= 0:
            raise ValueError("answer-time targets must be positive")
        if self.patience_s is not None and self.patience_s <= 0:
            raise ValueError("patience must be positive")


def plan_hotline(
    calls: CallHistory,
    first_day: date,
    days: int,
    targets: HotlineTargets | None = None,
    *,
    calendar: forecast.Calendar | None = None,
) -> Payload:
    """Forecast ``days`` days from ``first_day`` and staff every interval for both tiers."""
    rules = targets or HotlineTargets()
    if days < 1:
        raise ValueError("plan at least one day")
    cal = calendar or forecast.Calendar()
    model = forecast.fit(calls.history, cal)
    day_index = pd.date_range(pd.Timestamp(first_day), periods=days, freq="D")
    counts, aht = model.predict_arrays(day_index)
    groups = [tier for tier, _queue in model.groups]
    queues = _by_queue(counts, list(model.groups))
    vip = _tier(counts, groups, "vip")
    ordinary = _tier(counts, groups, "ordinary")
    handled = np.where(np.isfinite(aht), aht * counts, 0.0).sum(axis=0)
    offered = counts.sum(axis=0)
    fallback = calls.aht_s if math.isfinite(calls.aht_s) else 300.0
    mean_aht = np.where(offered > 0, handled / np.maximum(offered, 1e-12), fallback)
    patience = rules.patience_s if rules.patience_s is not None else calls.patience_s
    interval_s = 60.0 * model.interval_minutes
    columns: dict[str, list[Any]] = {key: [] for key in _COLUMNS}
    starts = day_index.repeat(model.intervals_per_day) + pd.to_timedelta(
        np.tile(np.arange(model.intervals_per_day) * model.interval_minutes, days), unit="min"
    )
    for v, o, h, start in zip(
        vip.reshape(-1), ordinary.reshape(-1), mean_aht.reshape(-1), starts, strict=True
    ):
        demand = TieredDemand(
            Tier(float(v), rules.vip_target, rules.vip_threshold_s),
            Tier(float(o), rules.ordinary_target, rules.ordinary_threshold_s),
            interval_s,
            float(h),
            patience,
        )
        found = staff_tiers(
            demand,
            max_ordinary_abandon=rules.max_ordinary_abandon,
            max_occupancy=rules.max_occupancy,
        )
        m = found.measures
        carried = demand.traffic
        row = {
            "start": start.isoformat(timespec="minutes"),
            "vip_calls": round(float(v), 6),
            "ordinary_calls": round(float(o), 6),
            "aht_s": round(float(h), 4),
            "agents": found.agents,
            "scheduled": with_shrinkage(found.agents, rules.shrinkage),
            "binding": found.binding,
            "vip_service_level": _round(m.vip_service_level),
            "ordinary_service_level": _round(m.ordinary_service_level),
            "ordinary_abandon": _round(m.ordinary_abandon),
            "occupancy": _round(min(carried / found.agents, 1.0) if found.agents else 0.0),
        }
        for key in _COLUMNS:
            columns[key].append(row[key])
    agents = np.asarray(columns["agents"], dtype=np.int64)
    scheduled = np.asarray(columns["scheduled"], dtype=np.int64)
    total_calls = float(vip.sum() + ordinary.sum())
    payload: Payload = {
        "kind": PlanKind.HOTLINE.value,
        "first_day": first_day.isoformat(),
        "days": days,
        "interval_minutes": model.interval_minutes,
        "targets": asdict(rules),
        "patience_s": None if math.isinf(patience) else round(patience, 4),
        "history": {
            "first": calls.window.first.isoformat(),
            "last": calls.window.last.isoformat(),
            "calls": calls.calls,
            "abandoned": calls.abandoned,
            "aht_s": round(calls.aht_s, 1),
            "month_end_factor": round(model.total.month_end, 3),
        },
        "ivr": {
            "calls": calls.ivr_calls,
            "to_agent": round(calls.ivr_to_agent, 4),
            "mean_s": round(calls.ivr_mean_s, 1),
        },
        "forecast_error": forecast_error(calls.history, cal),
        "intervals": columns,
        # Forecast calls per interval by queue (IVR main-menu branch), both tiers together.
        "queues": {name: [round(float(x), 3) for x in calls] for name, calls in queues.items()},
        "summary": {
            "calls": round(total_calls),
            "vip_share": round(float(vip.sum()) / total_calls, 4) if total_calls else 0.0,
            "peak_agents": int(agents.max(initial=0)),
            "peak_scheduled": int(scheduled.max(initial=0)),
            "agent_hours": round(float(agents.sum()) * interval_s / 3600, 1),
            "scheduled_hours": round(float(scheduled.sum()) * interval_s / 3600, 1),
        },
    }
    return payload


_COLUMNS = (
    "start",
    "vip_calls",
    "ordinary_calls",
    "aht_s",
    "agents",
    "scheduled",
    "binding",
    "vip_service_level",
    "ordinary_service_level",
    "ordinary_abandon",
    "occupancy",
)


def forecast_error(history: forecast.History, calendar: forecast.Calendar) -> Payload | None:
    """WAPE of the last whole week held back, beside the seasonal-naive forecast's."""
    if len(history.days) < 14:
        return None
    result = forecast.backtest(history, calendar=calendar)
    return {
        "holdout_first": result.holdout[0].date().isoformat(),
        "holdout_last": result.holdout[-1].date().isoformat(),
        "wape": _round(result.total.wape),
        "naive_wape": _round(result.total.naive_wape),
        "mape": _round(result.total.mape),
        "group_wape": _round(result.groups.wape),
        "group_naive_wape": _round(result.groups.naive_wape),
        "beats_naive": bool(result.total.beats_naive),
        "forecast": [round(float(x), 2) for x in result.forecast.sum(axis=1)],
        "actual": [round(float(x), 2) for x in result.actual.sum(axis=1)],
        "naive": [round(float(x), 2) for x in result.naive.sum(axis=1)],
    }


def simulate_hotline(plan: Payload, *, seed: int = 0, runs: int = 1) -> Payload:
    """Play the plan's days in the simulator: Poisson arrivals at the forecast rates through
    the IVR (its measured time before queueing, and the share that never asks for an agent),
    exponential handling and patience, VIP first, the plan's agents per interval. Reports
    what callers would live through beside what the analytic staffing promised."""
    if plan.get("kind") != PlanKind.HOTLINE:
        raise ValueError("simulation needs a hotline plan")
    if runs < 1:
        raise ValueError("runs must be at least 1")
    cols = plan["intervals"]
    interval_s = 60.0 * plan["interval_minutes"]
    vip_calls = np.asarray(cols["vip_calls"], dtype=np.float64)
    ordinary_calls = np.asarray(cols["ordinary_calls"], dtype=np.float64)
    aht = np.asarray(cols["aht_s"], dtype=np.float64)
    agents = np.asarray(cols["agents"], dtype=np.int64)
    targets = plan["targets"]
    patience = plan["patience_s"] if plan["patience_s"] is not None else math.inf
    ivr = plan.get("ivr") or {"to_agent": 1.0, "mean_s": 0.0}
    rng = np.random.default_rng(seed)
    totals: dict[str, list[float]] = {key: [] for key in _SIMULATED}
    ivr_calls = 0
    per_interval_vip = np.zeros(agents.size)
    per_interval_ordinary = np.zeros(agents.size)
    simulated_calls = 0
    for _ in range(runs):
        arrival, tier, service, patience_s, slot = _draw(
            rng, vip_calls, ordinary_calls, aht, patience, interval_s, float(ivr["mean_s"])
        )
        # Callers who finished in the IVR (self-service, or hung up there) never queue: with
        # Poisson arrivals, thinning by the share who go on leaves the forecast's rate.
        to_agent = float(ivr["to_agent"]) or 1.0
        ivr_calls += arrival.size + int(rng.poisson(arrival.size * (1 - to_agent) / to_agent))
        out = simulate_queue(arrival, tier, service, patience_s, StaffingPlan(agents, interval_s))
        is_vip = tier == 0
        simulated_calls += arrival.size
        fast_vip = out.answered & (out.wait_s <= targets["vip_threshold_s"])
        fast_ordinary = out.answered & (out.wait_s <= targets["ordinary_threshold_s"])
        totals["vip_service_level"].append(out.service_level(targets["vip_threshold_s"], is_vip))
        totals["ordinary_service_level"].append(
            out.service_level(targets["ordinary_threshold_s"], ~is_vip)
        )
        totals["vip_abandon"].append(out.abandon_rate(is_vip))
        totals["ordinary_abandon"].append(out.abandon_rate(~is_vip))
        waits = out.wait_s[out.answered]
        totals["asa_s"].append(float(waits.mean()) if waits.size else 0.0)
        totals["longest_wait_s"].append(float(out.wait_s.max(initial=0.0)))
        totals["answered_share"].append(float(out.answered.mean()) if arrival.size else 1.0)
        per_interval_vip += _share_by_slot(fast_vip, is_vip, slot, agents.size)
        per_interval_ordinary += _share_by_slot(fast_ordinary, ~is_vip, slot, agents.size)
    weight_vip = vip_calls / max(float(vip_calls.sum()), 1e-12)
    weight_ordinary = ordinary_calls / max(float(ordinary_calls.sum()), 1e-12)
    promised = {
        "vip_service_level": _weighted(cols["vip_service_level"], weight_vip),
        "ordinary_service_level": _weighted(cols["ordinary_service_level"], weight_ordinary),
        "ordinary_abandon": _weighted(cols["ordinary_abandon"], weight_ordinary),
    }
    return {
        "kind": "simulation",
        "seed": seed,
        "runs": runs,
        "calls": simulated_calls,
        "ivr_calls": ivr_calls,
        "simulated": {key: _round(float(np.nanmean(v))) for key, v in totals.items()},
        "promised": promised,
        "targets": {
            "vip_service_level": targets["vip_target"],
            "ordinary_service_level": targets["ordinary_target"],
            "ordinary_abandon": targets["max_ordinary_abandon"],
        },
        "intervals": {
            "start": cols["start"],
            "vip_service_level": [_round(x / runs) for x in per_interval_vip],
            "ordinary_service_level": [_round(x / runs) for x in per_interval_ordinary],
        },
    }


_SIMULATED = (
    "vip_service_level",
    "ordinary_service_level",
    "vip_abandon",
    "ordinary_abandon",
    "asa_s",
    "longest_wait_s",
    "answered_share",
)


def _draw(
    rng: np.random.Generator,
    vip_calls: np.ndarray,
    ordinary_calls: np.ndarray,
    aht: np.ndarray,
    patience: float,
    interval_s: float,
    ivr_mean_s: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Calls that reach the queue: they enter the IVR uniformly within their interval (the
    forecast counts them by interval) and queue after an exponential time in it."""
    # Calls of interval i: VIP first, then ordinary (the order is irrelevant once timed).
    both = np.column_stack([rng.poisson(vip_calls), rng.poisson(ordinary_calls)]).reshape(-1)
    tier = np.repeat(np.tile(np.array([0, 1], dtype=np.int64), vip_calls.size), both)
    slot = np.repeat(np.repeat(np.arange(vip_calls.size), 2), both)
    arrival = (slot + rng.random(slot.size)) * interval_s
    if ivr_mean_s > 0:
        arrival = arrival + rng.exponential(ivr_mean_s, slot.size)
    service = rng.exponential(aht[slot]) if slot.size else np.zeros(0)
    wait_limit = (
        np.full(slot.size, math.inf)
        if math.isinf(patience)
        else rng.exponential(patience, slot.size)
    )
    return arrival, tier, service, wait_limit, slot


def _share_by_slot(
    fast: np.ndarray, selected: np.ndarray, slot: np.ndarray, slots: int
) -> np.ndarray:
    offered = np.bincount(slot[selected], minlength=slots)
    hits = np.bincount(slot[selected & fast], minlength=slots)
    return np.where(offered > 0, hits / np.maximum(offered, 1), 1.0)


def _weighted(values: list[float | None], weights: np.ndarray) -> float | None:
    array = np.asarray([np.nan if v is None else v for v in values], dtype=np.float64)
    keep = np.isfinite(array)
    if not keep.any():
        return None
    return _round(float((array[keep] * weights[keep]).sum() / max(weights[keep].sum(), 1e-12)))


def _by_queue(counts: np.ndarray, groups: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    for g, (_tier_name, queue) in enumerate(groups):
        flat = np.asarray(counts[g], dtype=np.float64).reshape(-1)
        found[queue] = found[queue] + flat if queue in found else flat
    return dict(sorted(found.items()))


def _tier(counts: np.ndarray, groups: list[str], name: str) -> np.ndarray:
    picked = [g for g, tier in enumerate(groups) if tier == name]
    if not picked:
        return np.zeros(counts.shape[1:])
    return np.asarray(counts[picked].sum(axis=0), dtype=np.float64)


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)
