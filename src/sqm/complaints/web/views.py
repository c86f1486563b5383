"""Pages: the work queues (with filters, bulk assignment and the Excel export) and intake.

One work order's page and the forms on it are in ``web.detail``. Everything is read through
``services.queue`` / ``services.visible_work_orders`` and changed through the services only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sqm.complaints import services
from sqm.complaints.web import presentation
from sqm.complaints.web.forms import BulkAssignForm, IntakeForm, QueueFilterForm
from sqm.lib.excel import xlsx_response
from sqm.lib.language import localized_name
from sqm.lib.people import SignedInRequest
from sqm.lib.redirects import redirect_back
from sqm.org.access import role_of
from sqm.org.core.masking import mask_phone
from sqm.org.core.roles import Role
from sqm.org.permissions import users_who

PAGE_SIZE = 50
EXPORT_LIMIT = 20_000
QUEUE_LABELS = {
    "mine": gettext_lazy("我的工单"),
    "branch": gettext_lazy("本分公司"),
    "overdue": gettext_lazy("已超时"),
    "due_soon": gettext_lazy("即将超时"),
    "escalated": gettext_lazy("升级/申诉"),
    "repeats": gettext_lazy("重复投诉"),
    "all": gettext_lazy("全部"),
}
FILTER_FIELDS = (
    "status",
    "level",
    "factor",
    "category",
    "channel",
    "severity",
    "branch",
    "created_from",
    "created_to",
    "q",
)
# Who belongs to no branch sees every visible open order under "branch": it says so.
OPEN_ORDERS = gettext_lazy("全部在办")


viewer_required = users_who(services.can_view)


def writer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: SignedInRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.can_write(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return viewer_required(wrapper)


def _queue_name(request: SignedInRequest) -> str:
    name = request.GET.get("queue", "")
    if name in services.QUEUES:
        return name
    return "mine" if role_of(request.user) == Role.COMPLAINT_HANDLER else "branch"


def _filtered(request: SignedInRequest) -> tuple[str, QueueFilterForm, Any]:
    name = _queue_name(request)
    form = QueueFilterForm(request.GET or None, user=request.user)
    rows = form.apply(services.queue(request.user, name))
    return name, form, rows


def _query(request: SignedInRequest, name: str, **extra: str) -> str:
    kept = {k: request.GET[k] for k in FILTER_FIELDS if request.GET.get(k)}
    return urlencode({"queue": name, **kept, **extra})


@viewer_required
def queue(request: SignedInRequest) -> HttpResponse:
    name, form, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    counts = services.queue_counts(request.user)
    may_write = services.can_write(request.user)
    return render(
        request,
        "complaints/queue.html",
        {
            "queue": name,
            "tabs": [(key, _label(request, key), counts.get(key, 0)) for key in services.QUEUES],
            "form": form,
            "page": page,
            "rows": [_row(wo, now) for wo in page.object_list],
            "query": _query(request, name),
            "export_query": _query(request, name, format="xlsx"),
            "may_write": may_write,
            "assignees": presentation.assignable_users(request.user) if may_write else [],
            "province_wide": form.province_wide,
        },
    )


def _label(request: SignedInRequest, key: str) -> str:
    if key == "branch" and services.home_branch_code(request.user) is None:
        return str(OPEN_ORDERS)
    return str(QUEUE_LABELS[key])


def _row(wo: Any, now: Any) -> dict[str, Any]:
    return {
        "wo": wo,
        "phone": mask_phone(wo.customer_phone),
        "category": presentation.category_label(wo.category),
        "clock": presentation.row_clock(wo, now),
    }


@viewer_required
def export(request: SignedInRequest) -> HttpResponse:
    """The queue as shown (same tab, same filters), every page, as .xlsx; phones masked."""
    name, _form, rows = _filtered(request)
    now = timezone.now()
    headers = [
        _("工单号"),
        _("受理时间"),
        _("状态"),
        _("级别"),
        _("严重程度"),
        _("受理渠道"),
        _("感知要素"),
        _("投诉类别"),
        _("分公司"),
        _("客户标识"),
        _("联系电话"),
        _("首问负责人"),
        _("当前处理人"),
        _("首次回复时限"),
        _("处理时限"),
        _("时限状态"),
        _("重复投诉"),
    ]

    def line(wo: Any) -> list[Any]:
        clock = presentation.row_clock(wo, now)
        local = timezone.localtime
        return [
            wo.number,
            local(wo.created_at).strftime("%Y-%m-%d %H:%M"),
            wo.get_status_display(),
            wo.get_level_display(),
            wo.get_severity_display(),
            wo.get_channel_display(),
            presentation.factor_label(wo.factor),
            presentation.category_label(wo.category),
            localized_name(wo.branch),
            wo.customer_id,
            mask_phone(wo.customer_phone),
            wo.owner.get_username(),
            wo.assignee.get_username() if wo.assignee_id else "",
            local(wo.first_reply_due).strftime("%Y-%m-%d %H:%M"),
            local(wo.resolution_due).strftime("%Y-%m-%d %H:%M"),
            f"{clock.label} {clock.text}" if clock else "",
            _("是") if wo.is_repeat else "",
        ]

    lines = (line(wo) for wo in rows[:EXPORT_LIMIT])
    filename = f"complaints-{name}-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(filename, str(QUEUE_LABELS[name]), headers, lines)


@require_POST
@writer_required
def bulk_assign(request: SignedInRequest) -> HttpResponse:
    form = BulkAssignForm(request.POST, users=presentation.assignable_users(request.user))
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            count = services.bulk_assign(request.user, form.cleaned_data["numbers"], assignee)
        except services.WorkflowError as error:
            messages.error(request, _("批量分配未完成:") + str(error))
        else:
            name = assignee.get_full_name() or assignee.get_username()
            messages.success(
                request, _("已将 %(n)d 张工单分配给 %(name)s") % {"n": count, "name": name}
            )
    else:
        messages.error(request, _("请勾选工单并选择处理人"))
    return redirect_back(request, "complaints:queue")


@writer_required
def intake(request: SignedInRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            work_order = services.create_work_order(
                request.user,
                channel=data["channel"],
                category=data["category"],
                severity=data["severity"],
                customer_id=data["customer_id"],
                customer_phone=data.get("customer_phone") or "",
                branch=data["branch"],
                description=data["description"],
                tier=data.get("tier"),
                hall=data.get("hall"),
                related=form.related(),
                external_id=data.get("external_id") or None,
            )
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            text = _("已登记工单 %(number)s,你是首问负责人") % {"number": work_order.number}
            if work_order.is_repeat and work_order.repeat_of is not None:
                text += " · " + _("重复投诉,关联 %(number)s") % {
                    "number": work_order.repeat_of.number
                }
            messages.success(request, text)
            return redirect("complaints:detail", number=work_order.number)
    return render(request, "complaints/intake.html", {"form": form})
