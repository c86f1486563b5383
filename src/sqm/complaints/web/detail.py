"""One work order: its page, and the forms on it (status steps, closure, escalation, appeal,
transfer, assignment, notes, refunds, revealing the phone).

Each form posts with htmx and gets the whole work-order block back (facts, clocks, timeline,
actions), so what the page offers next always matches the new status; a plain post (no
JavaScript) gets a redirect to the page with a message. Refusals answer as the APIs do
(``sqm.lib.refusals``): 400 for a form that is wrong, 409 for a step the work order's state
forbids or when someone else changed it first, the reason shown above the actions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sqm.complaints import services
from sqm.complaints.choices import WorkOrderActionChoices
from sqm.complaints.core.escalation import Level
from sqm.complaints.core.offers import CLOSURE_ACTIONS
from sqm.complaints.core.states import Action
from sqm.complaints.models import Refund, WorkOrder
from sqm.complaints.web import presentation
from sqm.complaints.web.forms import (
    AssignForm,
    ClosureForm,
    NoteForm,
    ReasonForm,
    RefundForm,
    RepeatOwnerForm,
    RevealForm,
    ReverseRefundForm,
    TransferForm,
    TransitionForm,
)
from sqm.complaints.web.views import viewer_required, writer_required
from sqm.lib.forms import choice_field
from sqm.lib.people import SignedInRequest
from sqm.lib.refusals import BAD_INPUT, STATE_CONFLICT
from sqm.org.audit import RevealLimitReached
from sqm.org.core.masking import mask_phone
from sqm.org.models import Department

ACTION_LABELS = WorkOrderActionChoices.labels()
RAISED = (Level.ESCALATED.value, Level.APPEAL.value)
CONFIRMED = "yes"  # the value of the "I have checked the resolution" box


def resolution_needs_reason(wo: WorkOrder, now: datetime) -> bool:
    """Resolving an escalated or appealed, an overdue or a VIP customer's complaint affects
    the customer most: the handler confirms it and writes how it was resolved."""
    vip = wo.tier is not None and wo.tier.is_vip
    return wo.level in RAISED or wo.resolution_due <= now or vip


def _check_resolution(request: Any, number: str, note: str) -> None:
    """The server's own check of that confirmation and reason, whatever the page sent (a
    resolution the state does not offer is left to the service's 409)."""
    wo, now = _work_order(request, number), timezone.now()
    offered = Action.RESOLVE in services.available_steps(request.user, wo, now).steps
    if not offered or not resolution_needs_reason(wo, now):
        return
    if request.POST.get("confirmed") != CONFIRMED:
        raise services.WorkflowError(
            _("解决升级、超时或VIP客户的投诉前,请勾选确认已与客户核实处理结果")
        )
    if not note.strip():
        raise services.WorkflowError(_("解决升级、超时或VIP客户的投诉须填写处理结果说明"))


def _work_order(request: SignedInRequest, number: str) -> WorkOrder:
    try:
        return services.get_visible(request.user, number)
    except WorkOrder.DoesNotExist:
        raise Http404 from None


def _context(request: SignedInRequest, wo: WorkOrder, error: str = "") -> dict[str, Any]:
    now = timezone.now()
    may_write = services.can_write(request.user)
    offers = services.available_steps(request.user, wo, now)
    users = presentation.assignable_users(request.user, wo) if may_write and wo.is_open else []
    refunds = list(wo.refunds.select_related("actor").order_by("recorded_at", "id"))
    return {
        "wo": wo,
        "error": error,
        "phone": mask_phone(wo.customer_phone),
        "category": presentation.category_label(wo.category),
        "factor": presentation.factor_label(wo.factor),
        "related": presentation.masked_related(wo.related),
        "clocks": presentation.detail_clocks(wo, services.phases(wo, now), now),
        "timeline": presentation.timeline(wo),
        "may_write": may_write,
        "may_reveal": services.may_reveal_phone(request.user) and bool(wo.customer_phone),
        "steps": [(a.value, ACTION_LABELS.get(a.value, a.value)) for a in offers.steps],
        "may_close": offers.close,
        "resolve_needs_reason": Action.RESOLVE in offers.steps and resolution_needs_reason(wo, now),
        "may_escalate": offers.escalate,
        "may_appeal": offers.appeal,
        "may_route": offers.route,
        "may_refund": offers.refund,
        "may_name_repeat_owner": offers.name_repeat_owner,
        "users": users,
        "departments": Department.objects.filter(active=True),
        "refunds": refunds,
        "refund_kinds": choice_field(RefundForm(), "kind").choices,
        "satisfaction_choices": choice_field(ClosureForm(), "satisfaction").choices,
    }


@viewer_required
def detail(request: SignedInRequest, number: str) -> HttpResponse:
    wo = _work_order(request, number)
    return render(request, "complaints/detail.html", _context(request, wo))


def _respond(request: SignedInRequest, number: str, error: str, status: int) -> HttpResponse:
    """The refreshed block for htmx, a redirect for a plain post. After a transfer the work
    order may have left the person's scope: they go back to their queue."""
    try:
        wo = services.get_visible(request.user, number)
    except WorkOrder.DoesNotExist:
        messages.info(request, _("工单 %(number)s 已转出你的范围") % {"number": number})
        target = reverse("complaints:queue")
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
    if getattr(request, "htmx", False):
        return render(
            request, "complaints/_work_order.html", _context(request, wo, error), status=status
        )
    if error:
        messages.error(request, error)
    return redirect("complaints:detail", number=number)


def _perform(
    request: SignedInRequest, number: str, form: forms.Form, call: Callable[[], Any]
) -> Any:
    _work_order(request, number)  # 404 before anything else for a work order out of scope
    if not form.is_valid():
        errors = "; ".join(str(m) for field in form.errors.values() for m in field)
        return _respond(request, number, _("请检查填写内容:") + errors, BAD_INPUT)
    try:
        call()
    except services.ConcurrentEdit:
        text = _("工单已被他人修改,页面已刷新为最新内容,请确认后重试")
        return _respond(request, number, text, STATE_CONFLICT)
    except (services.IllegalTransition, services.StepRefused) as problem:
        return _respond(request, number, _("操作未完成:") + str(problem), STATE_CONFLICT)
    except services.WorkflowError as problem:
        return _respond(request, number, _("操作未完成:") + str(problem), BAD_INPUT)
    except WorkOrder.DoesNotExist:
        raise Http404 from None
    return _respond(request, number, "", 200)


def _version(form: forms.Form) -> int | None:
    return form.cleaned_data.get("version") if form.is_valid() else None


@require_POST
@writer_required
def transition(request: SignedInRequest, number: str) -> HttpResponse:
    form = TransitionForm(request.POST)

    def call() -> Any:
        value = form.cleaned_data["action"]
        if value not in {a.value for a in Action} or Action(value) in CLOSURE_ACTIONS:
            raise services.WorkflowError(_("未知的操作"))
        action = Action(value)
        if action == Action.RESOLVE:
            _check_resolution(request, number, form.cleaned_data.get("note") or "")
        return services.transition(
            request.user,
            number,
            action,
            note=form.cleaned_data.get("note") or "",
            expected_version=_version(form),
        )

    return _perform(request, number, form, call)


@require_POST
@writer_required
def close(request: SignedInRequest, number: str) -> HttpResponse:
    form = ClosureForm(request.POST)

    def call() -> Any:
        data = form.cleaned_data
        return services.confirm_closure(
            request.user,
            number,
            satisfaction=data.get("satisfaction") or None,
            confirmed=data["outcome"] == "confirmed",
            note=data.get("note") or "",
            expected_version=_version(form),
        )

    return _perform(request, number, form, call)


def _with_reason(request: SignedInRequest, number: str, action: Callable[..., Any]) -> Any:
    """Escalation and appeal: one reason, the version the user saw, the same response."""
    form = ReasonForm(request.POST)
    return _perform(
        request,
        number,
        form,
        lambda: action(
            request.user,
            number,
            reason=form.cleaned_data["reason"],
            expected_version=_version(form),
        ),
    )


@require_POST
@writer_required
def escalate(request: SignedInRequest, number: str) -> HttpResponse:
    return _with_reason(request, number, services.escalate)


@require_POST
@writer_required
def appeal(request: SignedInRequest, number: str) -> HttpResponse:
    return _with_reason(request, number, services.appeal)


@require_POST
@writer_required
def transfer(request: SignedInRequest, number: str) -> HttpResponse:
    wo = _work_order(request, number)
    form = TransferForm(request.POST, users=presentation.assignable_users(request.user, wo))
    return _perform(
        request,
        number,
        form,
        lambda: services.transfer(
            request.user,
            number,
            to_department=form.cleaned_data.get("to_department"),
            to_user=form.cleaned_data.get("to_user"),
            reason=form.cleaned_data["reason"],
            expected_version=_version(form),
        ),
    )


@require_POST
@writer_required
def assign(request: SignedInRequest, number: str) -> HttpResponse:
    wo = _work_order(request, number)
    form = AssignForm(request.POST, users=presentation.assignable_users(request.user, wo))
    return _perform(
        request,
        number,
        form,
        lambda: services.assign(
            request.user,
            number,
            form.cleaned_data["assignee"],
            expected_version=_version(form),
        ),
    )


@require_POST
@writer_required
def repeat_owner(request: SignedInRequest, number: str) -> HttpResponse:
    wo = _work_order(request, number)
    form = RepeatOwnerForm(request.POST, users=presentation.assignable_users(request.user, wo))
    return _perform(
        request,
        number,
        form,
        lambda: services.set_repeat_owner(
            request.user,
            number,
            owner=form.cleaned_data["owner"],
            due=form.cleaned_data["due"],
            expected_version=_version(form),
        ),
    )


@require_POST
@writer_required
def note(request: SignedInRequest, number: str) -> HttpResponse:
    form = NoteForm(request.POST)
    return _perform(
        request,
        number,
        form,
        lambda: services.add_note(request.user, number, form.cleaned_data["text"]),
    )


@require_POST
@writer_required
def refund(request: SignedInRequest, number: str) -> HttpResponse:
    form = RefundForm(request.POST)
    return _perform(
        request,
        number,
        form,
        lambda: services.record_refund(
            request.user,
            number,
            kind=form.cleaned_data["kind"],
            overcharge=form.cleaned_data["overcharge"],
            amount=form.cleaned_data["amount"],
        ),
    )


@require_POST
@writer_required
def reverse_refund(request: SignedInRequest, number: str, pk: int) -> HttpResponse:
    wo = _work_order(request, number)
    if not Refund.objects.filter(pk=pk, work_order=wo).exists():
        raise Http404
    form = ReverseRefundForm(request.POST)
    return _perform(
        request,
        number,
        form,
        lambda: services.reverse_refund(request.user, pk, evidence=form.cleaned_data["evidence"]),
    )


@require_POST
@login_required
def reveal_phone(request: SignedInRequest, number: str) -> HttpResponse:
    """The full number in place of the masked one, for a reason the person types. Every
    refusal is logged as denied by the service: a role that may not unmask (403), a work
    order out of scope (404), no reason (400), the hourly limit used up (429)."""
    form = RevealForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        phone = services.reveal_phone(request.user, number, reason)
    except WorkOrder.DoesNotExist:
        raise Http404 from None
    except services.WorkflowError as problem:
        return _phone_refused(request, number, str(problem), 400)
    except RevealLimitReached as problem:
        return _phone_refused(request, number, str(problem), 429)
    return render(
        request,
        "complaints/_phone.html",
        {"wo": _work_order(request, number), "phone": phone, "revealed": True},
    )


def _phone_refused(request: SignedInRequest, number: str, error: str, status: int) -> HttpResponse:
    wo = _work_order(request, number)
    if not getattr(request, "htmx", False):
        messages.error(request, error)
        return redirect("complaints:detail", number=number)
    context = {"wo": wo, "phone": mask_phone(wo.customer_phone), "may_reveal": True}
    return render(request, "complaints/_phone.html", {**context, "error": error}, status=status)
