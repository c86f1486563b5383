"""One work order's page and its htmx forms: each form, what is offered in each status, the
timeline, refusals (400 for a wrong form, 409 for a step the state forbids) and lost races
(409), and the audited phone reveal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from sqm.complaints import services
from sqm.complaints.models import WorkOrder
from sqm.org.models import AuditLog, Department
from tests.complaints.conftest import MakeOrder
from tests.complaints.web.conftest import ClientFor

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def order(make_order: MakeOrder) -> Any:
    return make_order("handler_a")


def _url(order: Any, action: str = "") -> str:
    return f"/complaints/{order.number}/{action + '/' if action else ''}"


def _post(client: Any, order: Any, action: str, data: dict[str, Any]) -> Any:
    return client.post(_url(order, action), data, headers=HTMX)


def _fresh(order: Any) -> WorkOrder:
    return WorkOrder.objects.get(pk=order.pk)


def test_the_page_shows_owner_assignee_clocks_and_masked_phone(
    order: Any, client_for: ClientFor
) -> None:
    html = client_for("manager_a").get(_url(order)).content.decode()
    assert order.number in html and "首问负责人" in html and "当前处理人" in html
    assert 'id="wo-owner">handler_a' in html
    assert 'data-clock="first_reply"' in html and 'data-clock="resolution"' in html
    assert "139****5678" in html and "13912345678" not in html
    assert "手机上网网速很慢" in html


@pytest.mark.parametrize("who", ["manager_b", "handler_b", "billing_liaison"])
def test_a_work_order_outside_the_scope_is_404(who: str, order: Any, client_for: ClientFor) -> None:
    client = client_for(who)
    assert client.get(_url(order)).status_code == 404
    response = client.post(_url(order, "note"), {"text": "x"})
    assert response.status_code == 404
    assert not order.notes.exists()


def test_only_the_steps_the_state_machine_allows_are_offered(
    order: Any, client_for: ClientFor
) -> None:
    html = client_for("handler_a").get(_url(order)).content.decode()
    offered = {
        a
        for a in ("acknowledge", "start", "resolve", "cancel", "reopen")
        if f'data-action="{a}"' in html
    }
    assert offered == {"acknowledge", "cancel"}
    assert 'id="closure-form"' not in html


def test_a_step_posted_with_htmx_returns_the_refreshed_block(
    order: Any, client_for: ClientFor
) -> None:
    response = _post(
        client_for("handler_a"),
        order,
        "transition",
        {"action": "acknowledge", "note": "已致电客户", "version": order.version},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="work-order"') and 'data-status="acknowledged"' in html
    assert 'data-action="start"' in html and 'data-action="acknowledge"' not in html
    assert "已致电客户" in html  # in the timeline
    assert _fresh(order).status == "acknowledged"


def test_a_plain_post_redirects_back_to_the_page(order: Any, client_for: ClientFor) -> None:
    response = client_for("handler_a").post(_url(order, "transition"), {"action": "acknowledge"})
    assert response.status_code == 302 and response["Location"] == _url(order)


def test_an_illegal_step_is_refused_with_the_reason(order: Any, client_for: ClientFor) -> None:
    response = _post(client_for("handler_a"), order, "transition", {"action": "resolve"})
    assert response.status_code == 409  # a state conflict, as in the APIs
    html = response.content.decode()
    assert 'id="action-error"' in html and "不能执行" in html
    assert _fresh(order).status == "new"


def test_closing_is_not_a_plain_step(order: Any, client_for: ClientFor) -> None:
    response = _post(client_for("handler_a"), order, "transition", {"action": "confirm"})
    assert response.status_code == 400


def test_a_stale_version_is_a_409_and_shows_the_current_state(
    order: Any, client_for: ClientFor
) -> None:
    stale = order.version
    services.transition(order.owner, order.number, "acknowledge")
    response = _post(
        client_for("handler_a"), order, "transition", {"action": "start", "version": stale}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "已被他人修改" in html and 'data-status="acknowledged"' in html
    assert _fresh(order).status == "acknowledged"


def _resolve(order: Any) -> None:
    services.transition(order.owner, order.number, "acknowledge")
    services.transition(order.owner, order.number, "resolve", note="已处理")


def test_the_closure_form_records_confirmation_and_satisfaction(
    order: Any, client_for: ClientFor
) -> None:
    _resolve(order)
    client = client_for("handler_a")
    assert 'id="closure-form"' in client.get(_url(order)).content.decode()
    response = _post(
        client, order, "close", {"outcome": "confirmed", "satisfaction": "4", "note": "回访满意"}
    )
    assert response.status_code == 200, response.content
    closed = _fresh(order)
    assert (closed.status, closed.confirmed, closed.satisfaction) == ("closed", True, 4)


def test_a_failed_attempt_needs_the_attempts_written_down(
    order: Any, client_for: ClientFor
) -> None:
    _resolve(order)
    client = client_for("handler_a")
    refused = _post(client, order, "close", {"outcome": "unreachable"})
    assert refused.status_code == 400 and _fresh(order).status == "resolved"
    done = _post(client, order, "close", {"outcome": "unreachable", "note": "两次未接通"})
    assert done.status_code == 200
    assert (_fresh(order).status, _fresh(order).confirmed) == ("closed", False)


def test_escalation_and_its_refusal_the_second_time(order: Any, client_for: ClientFor) -> None:
    client = client_for("manager_a")
    assert _post(client, order, "escalate", {"reason": "客户情绪激动"}).status_code == 200
    assert _fresh(order).level == "escalated"
    html = client.get(_url(order)).content.decode()
    assert 'id="escalate-form"' not in html and "客户情绪激动" in html
    assert _post(client, order, "escalate", {"reason": "再升"}).status_code == 409


def test_an_appeal_before_the_rules_allow_it_is_refused(
    make_order: MakeOrder, client_for: ClientFor
) -> None:

    fresh = make_order("handler_a", created_at=timezone.now())
    response = _post(client_for("handler_a"), fresh, "appeal", {"reason": "客户向管局申诉"})
    assert response.status_code == 409 and _fresh(fresh).level == "ordinary"


def test_an_appeal_after_fifteen_days_without_reply_is_recorded(
    order: Any, client_for: ClientFor
) -> None:
    # The March order never got a reply: the MIIT rule allows the appeal.
    response = _post(client_for("handler_a"), order, "appeal", {"reason": "客户向管局申诉"})
    assert response.status_code == 200, response.content
    assert _fresh(order).level == "appeal" and _fresh(order).appeal_due is not None
    assert 'data-clock="appeal"' in response.content.decode()


def test_no_appeal_is_offered_for_an_order_answered_in_time_to_a_satisfied_customer(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    # Regression: the page offered the appeal form whenever the level allowed it, and the
    # service then refused it (MIIT's 15-day rule, core.escalation.appeal_allowed).
    created = timezone.now() - timedelta(days=20)
    answered = make_order("handler_a", created_at=created)
    owner = answered.owner
    services.transition(owner, answered.number, "acknowledge", at=created + timedelta(days=1))
    services.transition(
        owner, answered.number, "resolve", note="已处理", at=created + timedelta(days=2)
    )
    services.confirm_closure(owner, answered.number, satisfaction=4, confirmed=True)
    html = client_for("handler_a").get(_url(answered)).content.decode()
    assert 'data-status="closed"' in html and 'id="appeal-form"' not in html


def test_an_appeal_is_offered_after_sixteen_days_without_an_answer(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    waiting = make_order("handler_a", created_at=timezone.now() - timedelta(days=16))
    assert 'id="appeal-form"' in client_for("handler_a").get(_url(waiting)).content.decode()


def test_a_transfer_moves_the_work_and_keeps_the_owner(
    order: Any, client_for: ClientFor, people: dict[str, Any]
) -> None:
    csc = Department.objects.get(code="csc")
    response = _post(
        client_for("manager_a"),
        order,
        "transfer",
        {"to_department": csc.pk, "to_user": people["supervisor_a"].pk, "reason": "需核查"},
    )
    assert response.status_code == 200, response.content
    moved = _fresh(order)
    assert moved.department == csc and moved.assignee == people["supervisor_a"]
    assert moved.owner == people["handler_a"]
    assert "转派至" in response.content.decode()


def test_a_liaison_who_transfers_the_work_away_goes_back_to_the_queue(
    order: Any, client_for: ClientFor
) -> None:
    csc = Department.objects.get(code="csc")
    response = _post(
        client_for("liaison"), order, "transfer", {"to_department": csc.pk, "reason": "非网络问题"}
    )
    assert response.status_code == 204 and response["HX-Redirect"] == "/complaints/"


def test_a_transfer_needs_somewhere_to_go(order: Any, client_for: ClientFor) -> None:
    response = _post(client_for("manager_a"), order, "transfer", {"reason": "x"})
    assert response.status_code == 400 and "请选择转派的部门或处理人" in response.content.decode()


def test_assignment_offers_and_accepts_only_people_who_can_see_the_work_order(
    order: Any, client_for: ClientFor, people: dict[str, Any]
) -> None:
    client = client_for("manager_a")
    html = client.get(_url(order)).content.decode()
    assert "supervisor_a" in html and "handler_b" not in html
    assert (
        _post(client, order, "assign", {"assignee": people["supervisor_a"].pk}).status_code == 200
    )
    assert _fresh(order).assignee == people["supervisor_a"]
    assert _post(client, order, "assign", {"assignee": people["handler_b"].pk}).status_code == 400


def test_notes_land_in_the_timeline(order: Any, client_for: ClientFor) -> None:
    response = _post(client_for("supervisor_a"), order, "note", {"text": "客户下午再联系"})
    assert response.status_code == 200
    assert "客户下午再联系" in response.content.decode()
    assert _post(client_for("supervisor_a"), order, "note", {"text": ""}).status_code == 400


def test_a_double_refund_is_recorded_and_a_short_one_refused(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    billing = make_order("handler_a", category="bills.overcharge")
    client = client_for("handler_a")
    short = {"kind": "double_refund", "overcharge": "20", "amount": "20"}
    assert _post(client, billing, "refund", short).status_code == 400
    full = {"kind": "double_refund", "overcharge": "20", "amount": "40"}
    response = _post(client, billing, "refund", full)
    assert response.status_code == 200
    assert billing.refunds.get().amount == 40
    assert "退费 40.00 元" in response.content.decode()


def test_a_refund_first_is_reversed_only_with_evidence(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    vas = make_order("handler_a", category="bills.vas_dispute")
    client = client_for("handler_a")
    _post(client, vas, "refund", {"kind": "refund_first", "overcharge": "10", "amount": "10"})
    refund = vas.refunds.get()
    path = f"refunds/{refund.pk}/reverse"
    assert _post(client, vas, path, {"evidence": ""}).status_code == 400
    response = _post(client, vas, path, {"evidence": "订购记录及短信确认截图"})
    assert response.status_code == 200
    assert vas.refunds.get().reversed_at is not None
    assert "冲正退费" in response.content.decode()


def test_the_timeline_merges_steps_transfers_notes_and_refunds_by_time(
    make_order: MakeOrder, people: dict[str, Any], client_for: ClientFor
) -> None:
    billing = make_order("handler_a", category="bills.overcharge")
    actor = people["handler_a"]
    services.transition(actor, billing.number, "acknowledge", note="受理")
    services.add_note(actor, billing.number, "查账单")
    services.record_refund(actor, billing.number, kind="double_refund", overcharge=5, amount=10)
    services.assign(people["manager_a"], billing.number, people["supervisor_a"])
    html = client_for("handler_a").get(_url(billing)).content.decode()
    kinds = [part.split('"')[0] for part in html.split('data-kind="')[1:]]
    assert kinds == ["created", "status", "note", "refund", "assign"]


def test_the_executive_reads_the_page_without_any_form(order: Any, client_for: ClientFor) -> None:
    client = client_for("executive")
    html = client.get(_url(order)).content.decode()
    assert "你的角色只能查看投诉工单" in html and '<form class="action-form"' not in html
    assert 'id="reveal-phone"' not in html
    assert client.post(_url(order, "note"), {"text": "x"}).status_code == 403
    assert client.post(_url(order, "transition"), {"action": "acknowledge"}).status_code == 403


def test_revealing_the_phone_shows_it_and_writes_the_audit_log(
    order: Any, client_for: ClientFor, people: dict[str, Any]
) -> None:
    client = client_for("handler_a")
    assert 'id="reveal-phone"' in client.get(_url(order)).content.decode()
    response = client.post(_url(order, "phone"), {"reason": "回访客户"}, headers=HTMX)
    assert response.status_code == 200
    assert "13912345678" in response.content.decode()
    entry = AuditLog.objects.get(action="phone.reveal", object_id=order.number)
    assert entry.actor == people["handler_a"] and entry.detail["reason"] == "回访客户"


@pytest.mark.parametrize("who", ["analyst", "executive", "liaison"])
def test_roles_that_may_not_unmask_get_no_button_and_a_logged_refusal(
    who: str, order: Any, client_for: ClientFor
) -> None:
    client = client_for(who)
    assert 'id="reveal-phone"' not in client.get(_url(order)).content.decode()
    response = client.post(_url(order, "phone"), {"reason": "好奇"}, headers=HTMX)
    assert response.status_code == 403
    assert "13912345678" not in response.content.decode()
    assert AuditLog.objects.filter(action="phone.reveal_denied", object_id=order.number).exists()


def test_a_repeat_complaint_gets_a_named_owner_and_a_deadline(
    make_order: MakeOrder, client_for: ClientFor, people: dict[str, Any]
) -> None:
    make_order("handler_a", customer_id="C555")
    repeat = make_order("handler_a", customer_id="C555")
    client = client_for("manager_a")
    assert 'id="repeat-owner-form"' in client.get(_url(repeat)).content.decode()
    response = _post(
        client,
        repeat,
        "repeat-owner",
        {"owner": people["supervisor_a"].pk, "due": "2026-03-20T17:00"},
    )
    assert response.status_code == 200, response.content
    named = _fresh(repeat)
    assert named.repeat_owner == people["supervisor_a"]
    assert timezone.localtime(named.repeat_due).strftime("%Y-%m-%d %H:%M") == "2026-03-20 17:00"


def test_the_level_chip_takes_its_colour_from_the_level_choice(
    order: Any, client_for: ClientFor
) -> None:
    client = client_for("manager_a")
    assert 'class="chip " id="wo-level"' in client.get(_url(order)).content.decode()
    _post(client, order, "escalate", {"reason": "客户情绪激动"})
    html = client.get(_url(order)).content.decode()
    assert '<span class="chip chip-escalated" id="wo-level">' in html
