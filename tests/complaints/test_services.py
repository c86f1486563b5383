"""The service functions other than the lifecycle: intake checks, transfers and assignment,
notes, refunds under the money promises, phone reveal, queues — and the audit trail."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sqm.complaints import services
from sqm.complaints.models import Refund, Transfer, WorkOrder
from sqm.org.models import AuditLog, Department
from tests.complaints.conftest import MONDAY, PHONE, MakeOrder, at

pytestmark = pytest.mark.django_db


# -- intake -----------------------------------------------------------------------------------
def test_numbers_count_up_per_local_day(make_order: MakeOrder) -> None:
    numbers = [make_order().number for _ in range(3)]
    late_evening = make_order(created_at=at(2, 23, 30)).number  # still 2 March in Shanghai
    next_day = make_order(created_at=at(3, 0, 30)).number
    assert numbers == ["TT20260302000001", "TT20260302000002", "TT20260302000003"]
    assert late_evening == "TT20260302000004" and next_day == "TT20260303000001"


def test_intake_takes_codes_or_rows_for_its_reference_data(make_order: MakeOrder) -> None:
    from sqm.org.models import Branch, CustomerTier

    wo = make_order(
        branch=Branch.objects.get(code="NJ"),
        tier=CustomerTier.objects.get(code="gold"),
        hall="NJ-H001",
        related=[{"role": "disputed", "type": "bill", "id": "B202602"}],
    )
    assert (wo.branch.code, wo.tier.code, wo.hall.code) == ("NJ", "gold", "NJ-H001")
    assert wo.related == [{"role": "disputed", "type": "bill", "id": "B202602"}]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"channel": "fax"}, "受理渠道"),
        ({"severity": "apocalyptic"}, "严重程度"),
        ({"category": "bills.nonsense"}, "未知的投诉类别"),
        ({"branch": "XX"}, "分公司"),
        ({"tier": "platinum"}, "客户级别"),
        ({"hall": "WX-H001"}, "不属于"),
        ({"description": "  "}, "投诉内容"),
        ({"customer_id": ""}, "客户标识"),
        ({"related": [{"role": "x"}]}, "关联对象"),
        ({"created_at": MONDAY + timedelta(days=3650)}, "不能晚于"),
    ],
)
def test_intake_refuses_bad_input_with_a_chinese_reason(
    make_order: MakeOrder, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(services.WorkflowError, match=message):
        make_order(**fields)
    assert not WorkOrder.objects.exists()


def test_an_external_id_is_taken_once(make_order: MakeOrder) -> None:
    first = make_order(external_id="BSS-1")
    with pytest.raises(services.DuplicateExternalId) as duplicate:
        make_order(external_id="BSS-1")
    assert duplicate.value.number == first.number
    assert isinstance(duplicate.value, services.WorkflowError)


def test_a_branch_bound_user_records_complaints_only_for_their_branch(
    make_order: MakeOrder,
) -> None:
    with pytest.raises(services.WorkflowError, match="无锡"):
        make_order(actor="handler_a", branch="WX")
    assert make_order(actor="analyst", branch="WX").branch.code == "WX"


def test_intake_writes_the_audit_log(make_order: MakeOrder, people: Any) -> None:
    wo = make_order()
    entry = AuditLog.objects.get(action="complaints.create")
    assert entry.actor == people["handler_a"] and entry.object_id == wo.number
    assert entry.detail["branch"] == "NJ"


def test_every_write_is_audited_and_bumps_the_version(make_order: MakeOrder, people: Any) -> None:
    wo = make_order(category="bills.overcharge")
    actor = people["handler_a"]
    services.transition(actor, wo.number, "acknowledge")
    services.add_note(actor, wo.number, "已联系客户核实账单")
    services.add_attachment(actor, wo.number, name="账单截图.png", mime_type="image/png", size=10)
    services.record_refund(actor, wo.number, kind="double_refund", overcharge="10", amount="20")
    services.assign(actor, wo.number, people["manager_a"])
    services.transfer(actor, wo.number, to_department="finance", reason="账务核查")
    services.escalate(actor, wo.number, reason="金额较大")
    refund = Refund.objects.get()
    services.reverse_refund(actor, refund.pk, evidence="客户确认已在营业厅领取现金补偿")
    wo.refresh_from_db()
    assert wo.version == 9
    assert list(
        AuditLog.objects.filter(object_id=wo.number).order_by("id").values_list("action", flat=True)
    ) == [
        "complaints.create",
        "complaints.transition",
        "complaints.note",
        "complaints.attachment",
        "complaints.refund",
        "complaints.assign",
        "complaints.transfer",
        "complaints.escalate",
        "complaints.refund_reversed",
    ]


# -- transfers and assignment -----------------------------------------------------------------
def test_a_transfer_moves_the_work_but_never_the_first_ask_owner(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order(category="bills.overcharge")  # finance's work
    wo = services.transfer(
        people["handler_a"],
        wo.number,
        to_department=Department.objects.get(code="network"),
        to_user=people["liaison"],
        reason="怀疑是网络计费问题",
    )
    assert wo.owner == people["handler_a"]
    assert wo.assignee == people["liaison"] and wo.department.code == "network"
    row = Transfer.objects.get(work_order=wo)
    assert (row.from_department.code, row.to_department.code) == ("finance", "network")
    assert (row.from_user, row.to_user) == (people["handler_a"], people["liaison"])


def test_a_transfer_to_someone_who_could_not_see_the_work_order_is_refused(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    with pytest.raises(services.WorkflowError, match="无权"):
        services.transfer(people["handler_a"], wo.number, to_user=people["manager_b"], reason="x")
    with pytest.raises(services.WorkflowError, match="部门"):
        services.transfer(people["handler_a"], wo.number, to_department="nowhere", reason="x")
    with pytest.raises(services.WorkflowError, match="原因"):
        services.transfer(people["handler_a"], wo.number, to_user=people["manager_a"], reason="")
    assert not Transfer.objects.exists()


def test_a_transfer_to_a_department_alone_leaves_the_work_order_unassigned(
    make_order: MakeOrder, people: Any
) -> None:
    wo = services.transfer(
        people["handler_a"], make_order().number, to_department="it", reason="系统问题"
    )
    assert wo.assignee is None and wo.department.code == "it"


def test_bulk_assign_skips_what_the_assignee_may_not_handle(
    make_order: MakeOrder, people: Any
) -> None:
    mine = [make_order().number for _ in range(3)]
    closed = make_order()
    services.transition(people["handler_a"], closed.number, "cancel")
    wuxi = make_order(actor="handler_b", branch="WX").number
    count = services.bulk_assign(
        people["analyst"], [*mine, closed.number, wuxi, "TT-missing"], people["manager_a"]
    )
    assert count == 3
    assert set(
        WorkOrder.objects.filter(assignee=people["manager_a"]).values_list("number", flat=True)
    ) == set(mine)
    assert services.bulk_assign(people["analyst"], mine, people["manager_a"]) == 0
    with pytest.raises(services.WorkflowError):
        services.bulk_assign(people["analyst"], mine, people["executive"])


# -- money ------------------------------------------------------------------------------------
def test_a_billing_error_is_refunded_double(make_order: MakeOrder, people: Any) -> None:
    wo = make_order(category="bills.overcharge")
    actor = people["handler_a"]
    with pytest.raises(services.WorkflowError, match="双倍返还"):
        services.record_refund(actor, wo.number, kind="double_refund", overcharge=15, amount=15)
    refund = services.record_refund(
        actor, wo.number, kind="double_refund", overcharge="15.50", amount="31"
    )
    assert (refund.overcharge, refund.amount) == (Decimal("15.50"), Decimal("31.00"))


def test_double_refund_and_refund_first_belong_to_their_categories(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order(category="mobile_internet.slow")
    actor = people["handler_a"]
    with pytest.raises(services.WorkflowError, match="收费误差"):
        services.record_refund(actor, wo.number, kind="double_refund", overcharge=1, amount=2)
    with pytest.raises(services.WorkflowError, match="增值业务"):
        services.record_refund(actor, wo.number, kind="refund_first", overcharge=1, amount=1)
    assert services.record_refund(actor, wo.number, kind="other", overcharge=0, amount=5)
    with pytest.raises(services.WorkflowError, match="退费类型"):
        services.record_refund(actor, wo.number, kind="gift", overcharge=0, amount=5)
    with pytest.raises(services.WorkflowError, match="金额"):
        services.record_refund(actor, wo.number, kind="other", overcharge=0, amount="abc")


def test_a_vas_dispute_is_refunded_before_the_investigation_completes(
    make_order: MakeOrder, people: Any
) -> None:
    actor = people["handler_a"]
    early = make_order(category="bills.vas_dispute")
    refund = services.record_refund(
        actor, early.number, kind="refund_first", overcharge=10, amount=10
    )
    assert WorkOrder.objects.get(pk=early.pk).status == "new"  # nothing investigated yet
    late = make_order(category="bills.vas_dispute")
    services.transition(actor, late.number, "acknowledge")
    services.transition(actor, late.number, "resolve")
    with pytest.raises(services.WorkflowError, match="先退费"):
        services.record_refund(actor, late.number, kind="refund_first", overcharge=10, amount=10)
    with pytest.raises(services.WorkflowError, match="依据"):
        services.reverse_refund(actor, refund.pk, evidence="核实")
    reversed_ = services.reverse_refund(
        actor, refund.pk, evidence="订购记录显示客户2月3日短信回复Y确认订购"
    )
    assert reversed_.is_reversed and reversed_.reversed_by == actor
    with pytest.raises(services.WorkflowError, match="已冲正"):
        services.reverse_refund(actor, refund.pk, evidence="订购记录显示客户确认订购")


def test_a_refund_of_an_order_out_of_sight_cannot_be_reversed(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order(category="bills.vas_dispute")
    refund = services.record_refund(
        people["handler_a"], wo.number, kind="refund_first", overcharge=10, amount=10
    )
    with pytest.raises(WorkOrder.DoesNotExist):
        services.reverse_refund(people["manager_b"], refund.pk, evidence="订购记录齐全可查")


# -- notes, phone -----------------------------------------------------------------------------
def test_notes_need_text(make_order: MakeOrder, people: Any) -> None:
    wo = make_order()
    note = services.add_note(people["manager_a"], wo.number, text="请今天内回复客户")
    assert note.author == people["manager_a"] and note.text == "请今天内回复客户"
    with pytest.raises(services.WorkflowError):
        services.add_note(people["manager_a"], wo.number, "   ")


def test_revealing_the_phone_is_audited_and_limited_to_permitted_roles(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    assert services.reveal_phone(people["handler_a"], wo.number, "回访客户") == PHONE
    assert AuditLog.objects.filter(action="phone.reveal", object_id=wo.number).count() == 1
    with pytest.raises(PermissionDenied):
        services.reveal_phone(people["analyst"], wo.number, "想看看")
    assert AuditLog.objects.filter(action="phone.reveal_denied").count() == 1
    with pytest.raises(WorkOrder.DoesNotExist):
        services.reveal_phone(people["manager_b"], wo.number, "回访")
    with pytest.raises(services.WorkflowError, match="原因"):
        services.reveal_phone(people["handler_a"], wo.number, "")


# -- queues -----------------------------------------------------------------------------------
def test_queues_show_what_needs_attention(make_order: MakeOrder, people: Any) -> None:
    handler, manager = people["handler_a"], people["manager_a"]
    fresh = make_order(created_at=at(2, 10))
    make_order(customer_id="C-Q", created_at=at(2, 9))
    repeat = make_order(customer_id="C-Q", created_at=at(2, 11))
    escalated = services.escalate(manager, make_order().number, reason="媒体关注")
    closed = make_order()
    services.transition(handler, closed.number, "cancel")
    make_order(actor="handler_b", branch="WX")
    now = at(2, 12)  # nothing is late yet
    counts = services.queue_counts(handler, now=now)
    assert counts == {
        "mine": 4,
        "branch": 4,
        "overdue": 0,
        "due_soon": 0,
        "escalated": 1,
        "repeats": 1,
        "all": 5,
    }
    assert [w.number for w in services.queue(handler, "repeats", now=now)] == [repeat.number]
    assert [w.number for w in services.queue(handler, "escalated", now=now)] == [escalated.number]
    assert services.queue_counts(manager, now=now)["mine"] == 0
    warned = fresh.first_reply_warn_at + timedelta(minutes=1)
    assert services.queue_counts(handler, now=warned)["due_soon"] == 3  # not the 11:00 one
    assert services.queue_counts(handler, now=warned)["overdue"] == 0
    days_later = services.queue_counts(handler, now=at(4, 12))
    assert (days_later["overdue"], days_later["due_soon"]) == (4, 0)
    assert services.queue_counts(people["analyst"], now=now)["all"] == 6
    with pytest.raises(services.UnknownQueue):
        services.queue(handler, "everything")


def test_a_paused_work_order_is_not_breaching_its_resolution_clock(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    services.transition(people["handler_a"], wo.number, "acknowledge", at=at(2, 11))
    services.transition(people["handler_a"], wo.number, "wait_customer", at=at(2, 12))
    late = wo.resolution_due + timedelta(days=1)
    assert services.queue_counts(people["handler_a"], now=late)["overdue"] == 0
    assert services.queue_counts(people["handler_a"], now=late)["due_soon"] == 0


def test_an_overdue_work_order_is_never_listed_as_due_soon(
    make_order: MakeOrder, people: Any
) -> None:
    handler = people["handler_a"]
    wo = make_order(created_at=at(2, 10))
    services.transition(handler, wo.number, "acknowledge", at=at(2, 11))  # first reply made
    warned = wo.resolution_warn_at + timedelta(minutes=1)
    late = wo.resolution_due + timedelta(days=3)
    assert [w.number for w in services.queue(handler, "due_soon", now=warned)] == [wo.number]
    assert [w.number for w in services.queue(handler, "overdue", now=warned)] == []
    assert [w.number for w in services.queue(handler, "due_soon", now=late)] == []
    assert [w.number for w in services.queue(handler, "overdue", now=late)] == [wo.number]


def test_my_work_orders_are_the_ones_still_to_handle(make_order: MakeOrder, people: Any) -> None:
    handler = people["handler_a"]
    working, resolved, waiting = make_order(), make_order(), make_order()
    services.transition(handler, resolved.number, "acknowledge", at=at(2, 11))
    services.transition(handler, resolved.number, "start", at=at(2, 11, 30))
    services.transition(handler, resolved.number, "resolve", at=at(2, 12))
    services.transition(handler, waiting.number, "acknowledge", at=at(2, 11))
    services.transition(handler, waiting.number, "wait_customer", at=at(2, 12))
    mine = {w.number for w in services.queue(handler, "mine", now=at(2, 13))}
    assert mine == {working.number, waiting.number}
