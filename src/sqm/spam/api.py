"""The spam router of the REST API (mounted at ``/api/v1/spam/``).

Intake of customer reports (the bad-information line, R12.1) and gateway samples; the review
queue; reviews, appeals and appeal decisions. There is deliberately no endpoint that suspends
a number: a suspension exists only as the consequence of a reviewer's confirming review.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from sqm.events.core.schemas import SOURCES
from sqm.events.core.store import EventStore
from sqm.events.core.validation import REASON_COLUMN, ROW_COLUMN, validate_raw
from sqm.lib.refusals import STATE_CONFLICT
from sqm.org.core.masking import mask_phone
from sqm.org.reference import load_reference_codes
from sqm.org.rest import CODE, ERRORS, MAX_ID, ApiError
from sqm.org.scoping import scope_of, typed_text_for
from sqm.spam import services
from sqm.spam.access import can_decide, can_report, can_view, visible_appeals, visible_cases
from sqm.spam.core.workflow import IllegalTransition
from sqm.spam.models import Appeal, SenderCase, Suspension

if TYPE_CHECKING:
    from sqm.lib.people import Requester


router = Router(tags=["spam"])
MAX_REPORTS = 5000
MAX_CASES = 500
# A decision can also meet a case in the wrong state (409) or a value it cannot take (422).
DECISION_ERRORS: dict[int, Any] = {**ERRORS, STATE_CONFLICT: ApiError, 422: ApiError}


class ReportIn(Schema):
    report_id: str = Field(..., min_length=1, max_length=64)
    sender: str = Field(..., min_length=1, max_length=32)
    at: datetime
    text: str = Field(..., max_length=2000)
    origin: Literal["customer_report", "gateway_sample"] = "customer_report"
    reporter: str | None = Field(None, max_length=32)
    branch: str | None = Field(None, max_length=16)


class ReportsIn(Schema):
    reports: list[ReportIn] = Field(..., max_length=MAX_REPORTS)


class Rejected(Schema):
    index: int  # 0-based position in ``reports``
    reason: str


class IntakeOut(Schema):
    accepted: int
    duplicates: int
    rejected: list[Rejected]


class CaseOut(Schema):
    id: int
    sender: str  # masked
    branch: str | None
    status: str
    risk: float
    text_probability: float
    high_impact: bool
    required_confirmations: int
    model_version: str
    created_at: datetime
    decided_at: datetime | None


class ReviewOut(Schema):
    reviewer: str
    decision: str
    note: str
    at: datetime
    model_version: str


class CaseDetailOut(CaseOut):
    evidence: dict[str, Any]
    reviews: list[ReviewOut]
    suspended_at: datetime | None
    restored_at: datetime | None


class ReviewIn(Schema):
    decision: Literal["confirm", "reject"]
    note: str = Field("", max_length=2000)


class AppealIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)
    channel: str = Field("hotline", max_length=24)


class AppealDecisionIn(Schema):
    outcome: Literal["granted", "dismissed"]
    note: str = Field("", max_length=2000)


class AppealOut(Schema):
    id: int
    case: int
    outcome: str
    filed_at: datetime
    decided_at: datetime | None


CASE_ID = Path(..., ge=1, le=MAX_ID)


def _case_out(case: SenderCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "sender": mask_phone(case.sender),
        "branch": case.branch.code if case.branch is not None else None,
        "status": case.status,
        "risk": case.risk,
        "text_probability": case.text_probability,
        "high_impact": case.high_impact,
        "required_confirmations": case.required_confirmations,
        "model_version": case.model_version.version,
        "created_at": case.created_at,
        "decided_at": case.decided_at,
    }


def _appeal_out(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "case": appeal.case_id,
        "outcome": appeal.outcome,
        "filed_at": appeal.filed_at,
        "decided_at": appeal.decided_at,
    }


def _evidence_for(user: Requester, evidence: dict[str, Any]) -> dict[str, Any]:
    """The case's evidence with the sample messages' text as ``user`` may read it."""
    if "messages" not in evidence:
        return evidence
    messages = [
        {**message, "text": typed_text_for(user, message.get("text"))}
        for message in evidence.get("messages", [])
    ]
    return {**evidence, "messages": messages}


def _user(request: HttpRequest) -> Any:
    # ``request.auth`` is the user for both session and token authentication (sqm.config.api).
    return getattr(request, "auth", None)


def _local_text(moment: datetime) -> str:
    """Event-store time: naive wall-clock time of the province."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@router.post(
    "/reports",
    response={200: IntakeOut, **ERRORS},
    url_name="spam_reports",
    summary="Send customer spam reports and gateway samples",
)
def submit_reports(request: HttpRequest, payload: ReportsIn) -> dict[str, Any]:
    user = _user(request)
    if not can_report(user):
        raise HttpError(403, "你的角色不能提交垃圾短信举报")
    scope = scope_of(user)
    rows = payload.reports
    # A branch-bound user's reports default to their branch and may name no other.
    home = sorted(scope.branches)[0] if scope.branches else None
    source = SOURCES["sms_reports"]
    columns: dict[str, list[str]] = {name: [] for name in source.columns}
    rejected: list[dict[str, Any]] = []
    kept: list[int] = []
    for index, row in enumerate(rows):
        branch = row.branch or home
        if branch is not None and not scope.allows_branch(branch):
            rejected.append({"index": index, "reason": f"branch {branch} is outside your scope"})
            continue
        kept.append(index)
        values = {
            "report_id": row.report_id,
            "reporter": row.reporter or "",
            "sender": row.sender,
            "at": _local_text(row.at),
            "branch": branch or "",
            "origin": row.origin,
            "text": row.text,
        }
        for name in source.columns:
            columns[name].append(values[name])
    table = pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})
    result = validate_raw(table, source, load_reference_codes())
    for bad_row, reason in zip(
        result.bad[ROW_COLUMN].to_pylist(), result.bad[REASON_COLUMN].to_pylist(), strict=True
    ):
        rejected.append({"index": kept[int(bad_row) - 1], "reason": reason})
    outcome = EventStore(settings.DATA_DIR).append(source, result.good)
    rejected.sort(key=lambda r: r["index"])
    return {"accepted": outcome.accepted, "duplicates": outcome.duplicates, "rejected": rejected}


@router.get(
    "/cases",
    response={200: list[CaseOut], **ERRORS},
    url_name="spam_cases",
    summary="The review queue, riskiest first, within your scope",
)
def list_cases(
    request: HttpRequest,
    status: str | None = Query(None, pattern=CODE),
    limit: int = Query(100, ge=1, le=MAX_CASES),
) -> list[dict[str, Any]]:
    user = _user(request)
    if not can_view(user):
        raise HttpError(403, "你的角色不能查看垃圾短信案件")
    cases = visible_cases(user).select_related("branch", "model_version").order_by("-risk", "id")
    if status:
        cases = cases.filter(status=status)
    return [_case_out(c) for c in cases[:limit]]


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    url_name="spam_case",
    summary="One case with its evidence and reviews",
)
def get_case(request: HttpRequest, case_id: int = CASE_ID) -> dict[str, Any]:
    user = _user(request)
    if not can_view(user):
        raise HttpError(403, "你的角色不能查看垃圾短信案件")
    case = get_object_or_404(
        visible_cases(user).select_related("branch", "model_version"), pk=case_id
    )
    suspension = Suspension.objects.filter(case=case).first()
    reviews = [
        {
            "reviewer": r.reviewer.get_username(),
            "decision": r.decision,
            "note": typed_text_for(user, r.note),
            "at": r.at,
            "model_version": r.model_version.version,
        }
        for r in case.reviews.select_related("reviewer", "model_version")
    ]
    return {
        **_case_out(case),
        "evidence": _evidence_for(user, case.evidence or {}),
        "reviews": reviews,
        "suspended_at": suspension.executed_at if suspension else None,
        "restored_at": suspension.restored_at if suspension else None,
    }


def _decide(call: Any) -> Any:
    try:
        return call()
    except PermissionDenied as error:
        raise HttpError(403, str(error) or "forbidden") from None
    except SenderCase.DoesNotExist:
        raise HttpError(404, "no such case") from None
    except IllegalTransition as error:
        raise HttpError(STATE_CONFLICT, str(error)) from None
    except ValueError as error:
        raise HttpError(422, str(error)) from None


@router.post(
    "/cases/{case_id}/review",
    response={200: CaseOut, **DECISION_ERRORS},
    url_name="spam_case_review",
    summary="A reviewer confirms or rejects a case (confirmation suspends the number "
    "once the case has every confirmation it needs)",
)
def review_case(request: HttpRequest, payload: ReviewIn, case_id: int = CASE_ID) -> dict[str, Any]:
    user = _user(request)
    case = _decide(lambda: services.review_case(case_id, user, payload.decision, payload.note))
    return _case_out(case)


@router.post(
    "/cases/{case_id}/appeal",
    response={200: AppealOut, **DECISION_ERRORS},
    url_name="spam_case_appeal",
    summary="Record the number owner's appeal against a suspension",
)
def file_appeal(request: HttpRequest, payload: AppealIn, case_id: int = CASE_ID) -> dict[str, Any]:
    user = _user(request)
    appeal = _decide(lambda: services.file_appeal(case_id, user, payload.reason, payload.channel))
    return _appeal_out(appeal)


@router.post(
    "/appeals/{appeal_id}/decision",
    response={200: AppealOut, **DECISION_ERRORS},
    url_name="spam_appeal_decision",
    summary="Second review of an appeal: granted restores the number's service",
)
def decide_appeal(
    request: HttpRequest, payload: AppealDecisionIn, appeal_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    user = _user(request)
    if not can_decide(user):
        raise HttpError(403, "只有垃圾短信审核员和系统管理员可以复核")
    get_object_or_404(visible_appeals(user), pk=appeal_id)
    appeal = _decide(
        lambda: services.decide_appeal(appeal_id, user, payload.outcome == "granted", payload.note)
    )
    return _appeal_out(appeal)
