"""Reviewing, suspending, appealing and restoring through the service layer, with audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from sqm.org.models import AuditLog
from sqm.spam import services
from sqm.spam.core.sender import SenderBehaviour, SenderRisk
from sqm.spam.core.workflow import ConfirmationRequired, IllegalTransition, ReviewerConflict
from sqm.spam.models import Review, SenderCase, Suspension

pytestmark = pytest.mark.django_db
MakeCase = Callable[..., Any]


def _actions(case: Any) -> list[str]:
    return list(
        AuditLog.objects.filter(object_type="spam_case", object_id=str(case.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_reviewers_confirmation_suspends_the_number_with_an_audit_trail(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    case = make_case("13912345678")
    done = services.review_case(case.pk, people["spam_reviewer"], "confirm", "代开发票广告")
    assert done.status == "suspended" and done.decided_at is not None
    suspension = Suspension.objects.get(case=case)
    assert suspension.number == "13912345678"
    assert suspension.action == "suspend_service"
    assert suspension.confirmed_by == ["spam_reviewer"]
    assert suspension.confirmation.reviewer == people["spam_reviewer"]
    assert "139****5678" in suspension.notification_text
    review = Review.objects.get(case=case)
    assert review.model_version == case.model_version
    assert _actions(case) == ["spam.review", "spam.suspend"]


def test_a_rejection_closes_the_case_and_suspends_nothing(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    case = make_case("13912345678")
    assert services.review_case(case.pk, people["spam_reviewer"], "reject").status == "rejected"
    assert not Suspension.objects.exists()
    with pytest.raises(IllegalTransition):
        services.review_case(case.pk, people["spam_reviewer_2"], "confirm")


def test_a_group_customers_number_needs_two_reviewers(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    case = make_case("13900000001", high_impact=True, impact_reason="tier:group")
    first = services.review_case(case.pk, people["spam_reviewer"], "confirm")
    assert first.status == "under_review" and not Suspension.objects.exists()
    with pytest.raises(ReviewerConflict):
        services.review_case(case.pk, people["spam_reviewer"], "confirm")
    second = services.review_case(case.pk, people["admin"], "confirm")
    assert second.status == "suspended"
    assert Suspension.objects.get().confirmed_by == ["spam_reviewer", "admin"]


@pytest.mark.parametrize("who", ["analyst", "manager_a", "manager_b", "handler_a", "executive"])
def test_only_reviewers_and_administrators_may_decide(
    people: dict[str, Any], make_case: MakeCase, who: str
) -> None:
    case = make_case("13912345678")
    with pytest.raises(PermissionDenied):
        services.review_case(case.pk, people[who], "confirm")
    assert SenderCase.objects.get().status == "flagged" and not Review.objects.exists()


def test_no_code_path_can_store_a_suspension_without_a_confirmation(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    case = make_case("13912345678")
    now = timezone.now()
    fields = {
        "case": case,
        "number": case.sender,
        "action": "suspend_service",
        "executed_at": now,
        "notification_text": "x",
    }
    with pytest.raises(ConfirmationRequired):
        Suspension.objects.create(**fields)
    rejection = Review.objects.create(
        case=case,
        reviewer=people["spam_reviewer"],
        decision="reject",
        model_version=case.model_version,
    )
    with pytest.raises(ConfirmationRequired):
        Suspension.objects.create(confirmation=rejection, **fields)
    # A confirmation of another case does not authorise this one.
    other = make_case("13900000009")
    services.review_case(other.pk, people["spam_reviewer_2"], "confirm")
    foreign = Review.objects.get(case=other)
    with pytest.raises(ConfirmationRequired):
        Suspension.objects.create(confirmation=foreign, **fields)
    assert Suspension.objects.filter(case=case).count() == 0


def test_half_of_a_four_eyes_confirmation_cannot_be_stored_as_a_suspension(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    case = make_case("10690001111", high_impact=True)
    services.review_case(case.pk, people["spam_reviewer"], "confirm")
    with pytest.raises(ConfirmationRequired):
        Suspension.objects.create(
            case=case,
            number=case.sender,
            action="suspend_service",
            confirmation=Review.objects.get(case=case),
            executed_at=timezone.now(),
            notification_text="x",
        )


def _suspended(people: dict[str, Any], make_case: MakeCase, sender: str = "13912345678") -> Any:
    case = make_case(sender)
    services.review_case(case.pk, people["spam_reviewer"], "confirm")
    return case


def test_an_upheld_appeal_restores_the_service_with_audit(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    case = _suspended(people, make_case)
    appeal = services.file_appeal(
        case.pk, people["spam_reviewer_2"], "我是个人用户,没有发过广告", "hotline"
    )
    assert SenderCase.objects.get().status == "appealed"
    with pytest.raises(ReviewerConflict):  # not the person who confirmed the block
        services.decide_appeal(appeal.pk, people["spam_reviewer"], grant=True)
    decided = services.decide_appeal(appeal.pk, people["spam_reviewer_2"], grant=True, note="误判")
    assert decided.outcome == "granted" and decided.decided_by == people["spam_reviewer_2"]
    suspension = Suspension.objects.get()
    assert suspension.restored_at is not None and "恢复服务" in suspension.restore_notification_text
    assert SenderCase.objects.get().status == "restored"
    assert _actions(case)[-3:] == ["spam.appeal", "spam.restore", "spam.appeal_decided"]


def test_a_dismissed_appeal_keeps_the_number_suspended(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    case = _suspended(people, make_case)
    appeal = services.file_appeal(case.pk, people["admin"], "不服", "hall")
    services.decide_appeal(appeal.pk, people["admin"], grant=False)
    assert SenderCase.objects.get().status == "upheld"
    assert Suspension.objects.get().restored_at is None


def test_only_a_suspended_case_takes_an_appeal_and_only_once(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    case = make_case("13912345678")
    with pytest.raises(IllegalTransition):
        services.file_appeal(case.pk, people["spam_reviewer"], "理由", "hotline")
    services.review_case(case.pk, people["spam_reviewer"], "confirm")
    services.file_appeal(case.pk, people["spam_reviewer"], "理由", "hotline")
    with pytest.raises(IllegalTransition):
        services.file_appeal(case.pk, people["spam_reviewer"], "再次申诉", "hotline")


def _risk(sender: str, risk: float = 0.9, branch: str = "NJ") -> SenderRisk:
    behaviour = SenderBehaviour(3, 3, 3, 3, 1, 3.0, 0.0, 1.0, 0.95)
    return SenderRisk(sender, risk, behaviour, {"bias": -2.0}, branch)


def test_flagging_opens_one_case_per_risky_sender_and_never_a_second(
    people: dict[str, Any], version: Any
) -> None:
    risks = [_risk("13900000001"), _risk("10690002222", branch="WX"), _risk("13900000003", 0.2)]
    first = services.open_cases(risks, version, {}, tiers={"13900000001": "group"})
    assert len(first.opened) == 2 and first.below_threshold == 1
    cases = {c.sender: c for c in SenderCase.objects.all()}
    assert cases["13900000001"].high_impact and cases["13900000001"].impact_reason == "tier:group"
    assert cases["10690002222"].impact_reason == "enterprise_port"
    assert cases["10690002222"].branch.code == "WX"
    assert all(c.status == "flagged" for c in cases.values())
    again = services.open_cases(risks, version, {})
    assert again.opened == [] and again.already_active == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        SenderCase.objects.create(
            sender="13900000001", risk=1, text_probability=1, model_version=version
        )


def test_a_rejected_sender_is_flagged_again_only_on_newer_messages(
    people: dict[str, Any], version: Any
) -> None:
    services.open_cases([_risk("13900000001")], version, {})
    case = SenderCase.objects.get()
    services.review_case(case.pk, people["spam_reviewer"], "reject")
    decided = SenderCase.objects.get().updated_at
    stale = services.open_cases(
        [_risk("13900000001")], version, {}, last_seen={"13900000001": decided - timedelta(hours=1)}
    )
    assert stale.opened == [] and stale.not_new == 1
    fresh = services.open_cases(
        [_risk("13900000001")], version, {}, last_seen={"13900000001": decided + timedelta(hours=1)}
    )
    assert len(fresh.opened) == 1


def test_the_four_eyes_option_can_be_switched_off(
    people: dict[str, Any], version: Any, settings: Any
) -> None:
    settings.SQM_SPAM_FOUR_EYES = False
    services.open_cases([_risk("10690002222")], version, {})
    case = SenderCase.objects.get()
    assert case.high_impact and case.required_confirmations == 1
    assert services.review_case(case.pk, people["spam_reviewer"], "confirm").status == "suspended"


def test_a_branch_manager_cannot_reach_another_branchs_case_even_by_id(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    from sqm.spam.access import visible_cases

    nanjing = make_case("13900000001", branch="NJ")
    wuxi = make_case("13900000002", branch="WX")
    assert list(visible_cases(people["manager_a"])) == [nanjing]
    assert list(visible_cases(people["manager_b"])) == [wuxi]
    assert set(visible_cases(people["analyst"])) == {nanjing, wuxi}
    assert not visible_cases(people["executive"]).exists()
    assert not visible_cases(people["handler_a"]).exists()
