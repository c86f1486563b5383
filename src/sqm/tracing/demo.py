"""The demo's tracing: detection over the demo months, and one case whose measure worked.

The case is opened from the planted fix (the ``fix_effect`` incident of the demo manifest,
``{data_dir}/demo/manifest-YYYY-MM.json``): the chronic problem's branch and category, its
complaints from the month before the fix, a root cause, measures done, the fix date as the
intervention date, and the stages up to evaluation — so the effect panel shows the real drop
against the other branches. Only the manifest is read; the generator's internals are not.
Idempotent: a data dir that has the case already gets no second one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from sqm.events.core.store import EventStore
from sqm.tracing import services
from sqm.tracing.models import TracingCase
from sqm.tracing.workflow import evidence

FIX_KIND = "fix_effect"
ANALYST = "analyst"  # the demo's analyst (sqm.demo.showcase.DEMO_USERS)
LINKED_AT_MOST = 200
ROOT_CAUSE = (
    "终端与核心网的数据会话保活参数不匹配:部分机型锁屏后数据连接被释放,"
    "用户须手动刷新后台才能上网(业务支撑系统参数配置问题)。"
)
MEASURES = (
    ("核心网调整数据会话保活定时器并全网割接", "network"),
    ("营业厅与热线口径:指导客户升级终端系统", "csc"),
)


@dataclass(frozen=True, slots=True)
class DemoTracing:
    signals: dict[str, int]  # month → signals stored
    case: str | None  # the demo case's number
    effect: float | None
    ci: tuple[float, float] | None


def _fix_incident(data_dir: Path, month: str) -> dict[str, Any] | None:
    path = data_dir / "demo" / f"manifest-{month}.json"
    if not path.is_file():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    return next((i for i in manifest.get("incidents", []) if i.get("kind") == FIX_KIND), None)


def _open_demo_case(analyst: Any, data_dir: Path, fix: dict[str, Any]) -> TracingCase:
    branch, category = str(fix["branch"]), str(fix["category"][0])
    fixed = datetime.fromisoformat(fix["start"]).date()
    before = fixed - timedelta(days=services.DEFAULT_DAYS)
    ids = evidence.complaint_ids(
        EventStore(data_dir), branch, category, fix.get("subcategory"), before, fixed,
        LINKED_AT_MOST,
    )  # fmt: skip
    # A signal of the problem, when the detectors raised one before the fix.
    signals = services.visible_signals(analyst).filter(
        branch=branch, category=category, start__date__lt=fixed, case__isnull=True
    )
    signal = signals.order_by("-score").first()
    case = services.open_case(
        analyst,
        signal_ids=[signal.pk] if signal else [],
        title=f"{branch} 手机上网需后台刷新(慢性问题)",
        description=str(fix.get("expected_effect", "")),
        branches=[branch],
        category=category,
        subcategory=str(fix.get("subcategory") or ""),
        affected_service="手机上网",
    )
    number = case.number
    services.add_complaints(analyst, number, ids)
    services.move_stage(analyst, number, "investigating", "投诉集中于同一分公司,启动溯源")
    services.set_root_cause(
        analyst, number, "business_support", ROOT_CAUSE, lead_department="network",
        team=["csc", "it"],
    )  # fmt: skip
    for title, department in MEASURES:
        measure = services.add_measure(
            analyst, number, title, owner_department=department, deadline=fixed
        )
        services.update_measure(analyst, number, measure.pk, status="done")
    services.update_case(analyst, number, intervention_date=fixed)
    services.move_stage(analyst, number, "measures_in_progress", "整改措施已落实")
    services.move_stage(analyst, number, "evaluating", "对比其他分公司评估整改效果")
    return TracingCase.objects.get(number=number)


def seed_tracing(data_dir: Path, months: tuple[str, ...]) -> DemoTracing:
    """Detect over ``months`` (oldest first) and open the demo case from the last month's fix."""
    from sqm.tracing.core.sources import NoEvents, detect_month

    stored: dict[str, int] = {}
    for month in months:
        try:
            stored[month] = len(
                services.store_signals(detect_month(data_dir, month), month).signals
            )
        except NoEvents:
            stored[month] = 0
    fix = _fix_incident(data_dir, months[-1])
    analyst = get_user_model().objects.filter(username=ANALYST).first()
    if fix is None or analyst is None:
        return DemoTracing(stored, None, None, None)
    fixed: date = datetime.fromisoformat(fix["start"]).date()
    existing = TracingCase.objects.filter(
        intervention_date=fixed, category=fix["category"][0], branches__code=fix["branch"]
    ).first()
    case = existing or _open_demo_case(analyst, data_dir, fix)
    result = services.effect(case)
    if result is None:
        return DemoTracing(stored, case.number, None, None)
    return DemoTracing(stored, case.number, result.effect, (result.ci_low, result.ci_high))
