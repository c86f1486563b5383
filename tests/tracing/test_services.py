"""The tracing service API: signals stored by key, triage, cases opened from signals with
their complaints, root cause, measures, stages and the attributed timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sqm.org.core.roles import Role
from sqm.tracing import services
from sqm.tracing.core.signals import SignalKind
from sqm.tracing.models import CaseEvent, Signal, TracingCase
from tests.tracing.conftest import MONTH, START, daily_complaints, finding

pytestmark = pytest.mark.django_db


def test_storing_the_same_run_twice_updates_the_signals_instead_of_adding_copies(
    cast: dict[str, Any],
) -> None:
    run = [finding(observed=40), finding(SignalKind.HOT_COMPLAINT, subcategory="套餐")]
    first = services.store_signals(run, MONTH)
    again = services.store_signals([finding(observed=55), run[1]], MONTH)
    assert (first.created, first.updated) == (2, 0)
    assert (again.created, again.updated) == (0, 2)
    assert Signal.objects.count() == 2
    assert Signal.objects.get(kind="abnormal_change").observed == 55


def test_a_rerun_keeps_a_dismissal_but_drops_a_new_signal_no_longer_reported(
    cast: dict[str, Any],
) -> None:
    kept, gone = finding(branch="NJ"), finding(branch="WX")
    stored = services.store_signals([kept, gone], MONTH).signals
    services.dismiss(cast["analyst"], stored[0].pk, "已知的割接")
    result = services.store_signals([kept], MONTH)
    assert result.removed == 1
    survivor = Signal.objects.get()
    assert (survivor.status, survivor.dismissed_reason) == ("dismissed", "已知的割接")


def test_a_dismissal_needs_a_reason(cast: dict[str, Any]) -> None:
    (signal,) = services.store_signals([finding()], MONTH).signals
    with pytest.raises(services.TracingError, match="原因"):
        services.dismiss(cast["analyst"], signal.pk, "  ")
    signal.refresh_from_db()
    assert signal.status == "new"


def test_a_branch_manager_sees_and_acknowledges_only_their_branchs_signals(
    cast: dict[str, Any],
) -> None:
    nj, wx, province = services.store_signals(
        [finding(branch="NJ"), finding(branch="WX"), finding(branch=None, sender="10690000")],
        MONTH,
    ).signals
    assert list(services.visible_signals(cast["manager_a"])) == [nj]
    assert set(services.visible_signals(cast["analyst"])) == {nj, wx, province}
    services.acknowledge(cast["manager_a"], nj.pk)
    with pytest.raises(Signal.DoesNotExist):
        services.acknowledge(cast["manager_a"], wx.pk)
    assert Signal.objects.get(pk=wx.pk).status == "new"


def test_opening_a_case_from_a_signal_links_the_complaints_behind_it(
    cast: dict[str, Any], complaints_store: Callable[..., None]
) -> None:
    rows = daily_complaints("NJ", "coverage", START.date(), [3], "CP")
    complaints_store(rows)
    ids = [r["complaint_id"] for r in rows] + ["CP-not-in-store"]
    (signal,) = services.store_signals([finding(evidence=ids)], MONTH).signals
    case = services.open_case(cast["analyst"], signal_ids=[signal.pk])
    assert case.number.startswith("SP") and len(case.number) == 14
    assert sorted(case.branches.values_list("code", flat=True)) == ["NJ"]
    assert case.category == "coverage"
    linked = {c.complaint_id: c for c in case.complaints.all()}
    assert set(linked) == set(ids)
    assert linked[rows[0]["complaint_id"]].customer_id == rows[0]["customer_id"]
    assert all(c.how == "signal" for c in linked.values())
    signal.refresh_from_db()
    assert (signal.status, signal.case) == ("linked", case)


def test_a_work_order_in_the_evidence_is_linked_as_that_work_order(
    cast: dict[str, Any], data_dir: Any
) -> None:
    from sqm.complaints import services as complaints
    from sqm.org.users import create_user

    handler = create_user("handler_nj", Role.COMPLAINT_HANDLER, branch="NJ")
    order = complaints.create_work_order(
        handler,
        channel="hotline",
        category="mobile_internet.slow",
        severity="medium",
        customer_id="C777",
        customer_phone="13912345678",
        branch="NJ",
        description="网速很慢",
    )
    (signal,) = services.store_signals([finding(evidence=[order.number])], MONTH).signals
    case = services.open_case(cast["analyst"], signal_ids=[signal.pk])
    link = case.complaints.get()
    assert (link.work_order, link.customer_id, link.branch) == (order, "C777", "NJ")


def test_a_branch_manager_cannot_open_a_case_on_another_branch(
    cast: dict[str, Any],
) -> None:
    (wx,) = services.store_signals([finding(branch="WX")], MONTH).signals
    with pytest.raises(Signal.DoesNotExist):
        services.open_case(cast["manager_a"], signal_ids=[wx.pk])
    with pytest.raises(PermissionDenied):
        services.open_case(cast["manager_a"], title="无锡的问题", branches=["WX"])
    assert TracingCase.objects.count() == 0


def test_a_case_by_hand_needs_a_title(cast: dict[str, Any]) -> None:
    with pytest.raises(services.TracingError, match="标题"):
        services.open_case(cast["analyst"], branches=["NJ"])


def test_case_numbers_count_up_within_a_day(cast: dict[str, Any]) -> None:
    first = services.open_case(cast["analyst"], title="一", branches=["NJ"])
    second = services.open_case(cast["analyst"], title="二", branches=["NJ"])
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


def test_every_step_of_a_case_is_recorded_with_who_did_it_and_in_which_role(
    cast: dict[str, Any],
) -> None:
    analyst = cast["analyst"]
    case = services.open_case(analyst, title="南京网络投诉上升", branches=["NJ"])
    services.set_root_cause(
        analyst, case.number, "business_support", "基站退服", lead_department="network"
    )
    services.add_measure(analyst, case.number, "扩容基站", owner_department="network")
    for stage in ("investigating", "measures_in_progress", "evaluating", "closed"):
        services.move_stage(analyst, case.number, stage, note=f"到 {stage}")
    events = list(CaseEvent.objects.filter(case=case))
    assert [e.kind for e in events] == [
        "created", "root_cause", "measure_added", "stage", "stage", "stage", "stage",
    ]  # fmt: skip
    assert {(e.actor, e.role) for e in events} == {("analyst", "analyst")}
    assert [(e.from_stage, e.to_stage) for e in events if e.kind == "stage"][-1] == (
        "evaluating",
        "closed",
    )
    case.refresh_from_db()
    assert (case.stage, case.version, case.lead_department.code) == ("closed", 7, "network")


def test_skipping_a_stage_is_refused_and_changes_nothing(cast: dict[str, Any]) -> None:
    case = services.open_case(cast["analyst"], title="x", branches=["NJ"])
    with pytest.raises(services.IllegalStageChange):
        services.move_stage(cast["analyst"], case.number, "evaluating")
    case.refresh_from_db()
    assert (case.stage, case.version, case.events.count()) == ("open", 1, 1)


def test_a_stale_version_is_refused(cast: dict[str, Any]) -> None:
    case = services.open_case(cast["analyst"], title="x", branches=["NJ"])
    services.update_case(cast["analyst"], case.number, expected_version=1, title="新标题")
    with pytest.raises(services.ConcurrentEdit):
        services.update_case(cast["analyst"], case.number, expected_version=1, title="旧")
    assert TracingCase.objects.get().title == "新标题"


def test_an_unknown_root_cause_class_is_a_clear_error(cast: dict[str, Any]) -> None:
    case = services.open_case(cast["analyst"], title="x", branches=["NJ"])
    with pytest.raises(services.TracingError, match="business_support"):
        services.set_root_cause(cast["analyst"], case.number, "weather", "下雨")


def test_complaints_are_added_by_search_and_removed_by_hand(
    cast: dict[str, Any], complaints_store: Callable[..., None]
) -> None:
    complaints_store(
        daily_complaints("NJ", "coverage", START.date(), [2], "NJ")
        + daily_complaints("WX", "coverage", START.date(), [1], "WX")
    )
    manager = cast["manager_a"]
    case = services.open_case(manager, title="南京网络", branches=["NJ"])
    assert services.add_complaints(manager, case.number, ["NJ0000000", "NJ0000001"]) == 2
    with pytest.raises(services.TracingError, match="WX0000000"):
        services.add_complaints(manager, case.number, ["WX0000000"])
    services.remove_complaint(manager, case.number, "NJ0000000")
    assert list(case.complaints.values_list("complaint_id", flat=True)) == ["NJ0000001"]
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["created", "complaint_added", "complaint_removed"]


def test_measures_record_when_they_were_done(cast: dict[str, Any]) -> None:
    case = services.open_case(cast["analyst"], title="x", branches=["NJ"])
    measure = services.add_measure(
        cast["analyst"], case.number, "修复计费", deadline=date(2026, 4, 1)
    )
    done = services.update_measure(cast["analyst"], case.number, measure.pk, status="done")
    assert done.done_at is not None
    with pytest.raises(services.TracingError, match="措施状态"):
        services.update_measure(cast["analyst"], case.number, measure.pk, status="finished")


def test_grouping_makes_a_parent_and_refuses_a_cycle(cast: dict[str, Any]) -> None:
    analyst = cast["analyst"]
    a = services.open_case(analyst, title="A", branches=["NJ"])
    b = services.open_case(analyst, title="B", branches=["NJ"])
    services.group(analyst, a.number, [b.number])
    assert TracingCase.objects.get(pk=b.pk).parent == a
    with pytest.raises(services.TracingError):
        services.group(analyst, b.number, [a.number])
    services.ungroup(analyst, [b.number])
    assert TracingCase.objects.get(pk=b.pk).parent is None


def test_an_executive_reads_cases_but_cannot_change_them(cast: dict[str, Any]) -> None:
    from sqm.org.users import create_user

    executive = create_user("boss", Role.EXECUTIVE)
    case = services.open_case(cast["analyst"], title="x", branches=["NJ"])
    assert services.get_case(executive, case.number) == case
    with pytest.raises(PermissionDenied):
        services.move_stage(executive, case.number, "investigating")


def test_impact_counts_complaints_and_customers_and_names_the_rule(
    cast: dict[str, Any], complaints_store: Callable[..., None]
) -> None:
    rows = daily_complaints("NJ", "coverage", START.date(), [4], "CP")
    rows[1]["customer_id"] = rows[0]["customer_id"]  # one customer complained twice
    complaints_store(rows)
    (signal,) = services.store_signals(
        [finding(evidence=[r["complaint_id"] for r in rows])], MONTH
    ).signals
    case = services.open_case(cast["analyst"], signal_ids=[signal.pk])
    impact = services.impact(case)
    assert (impact.complaints, impact.customers, impact.estimated_affected) == (4, 3, 104)
    assert "26" in impact.rule_zh
