"""Pages of action items (督办): the 改进管理 index, the board per department with filters and
its Excel export, "my actions", an item with its steps, evidence and comments, the province
view per department. Another branch's item is a 404; a refused step answers 400 or 409 with the
page and the person's input kept."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sqm.improvement import services
from sqm.improvement.choices import LevelChoices, StandingChoices, StatusChoices
from sqm.improvement.core.actions import Step, steps_from
from sqm.improvement.core.deadlines import Standing
from sqm.improvement.models import ActionItem
from sqm.improvement.web.forms import ActionFilter, ActionForm, CommentForm, EvidenceForm, StepForm
from sqm.lib.excel import wants_xlsx, xlsx_response
from sqm.lib.people import SignedInRequest
from sqm.lib.periods import PeriodError, parse_period
from sqm.lib.refusals import BAD_INPUT, STATE_CONFLICT
from sqm.org.core.roles import Role
from sqm.org.permissions import users_who
from sqm.org.scoping import scope_of

if TYPE_CHECKING:
    from sqm.lib.people import Requester


SHOWN = 300
viewer_required = users_who(services.can_view_actions)

HEADERS = [
    "编号",
    "督办事项",
    "责任部门",
    "责任人",
    "分公司",
    "完成时限",
    "状态",
    "时限",
    "督办级别",
    "绑定指标",
    "目标值",
    "溯源单",
]


def _rows(items: list[ActionItem], standings: dict[int, Standing]) -> list[list[Any]]:
    return [
        [
            i.number,
            i.title,
            i.owner_department.name_zh,
            i.owner.get_username() if i.owner else "",
            i.branch.name_zh if i.branch else _("全省"),
            i.deadline,
            StatusChoices.label(i.status),
            StandingChoices.label(standings[i.pk]),
            LevelChoices.label(str(i.level)),
            i.indicator,
            i.target,
            i.case_number,
        ]
        for i in items
    ]


def _filtered(
    request: SignedInRequest, shown: QuerySet[ActionItem]
) -> tuple[ActionFilter, list[ActionItem], dict[int, Standing]]:
    form = ActionFilter(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    if chosen.get("department"):
        shown = shown.filter(owner_department__code=chosen["department"])
    if chosen.get("branch"):
        shown = shown.filter(branch__code=chosen["branch"])
    if chosen.get("status"):
        shown = shown.filter(status=chosen["status"])
    if chosen.get("q"):
        shown = shown.filter(
            Q(title__icontains=chosen["q"]) | Q(expected_result__icontains=chosen["q"])
        )
    items = list(
        shown.select_related("owner_department", "owner", "branch").order_by("deadline", "pk")
    )
    now = timezone.now()
    standings = {i.pk: services.standing_of(i, now) for i in items}
    if chosen.get("standing"):
        items = [i for i in items if standings[i.pk] == chosen["standing"]]
    return form, items, standings


def _board(
    request: SignedInRequest,
    shown: QuerySet[ActionItem],
    *,
    section: str,
    title: str,
    filename: str,
) -> HttpResponse:
    form, items, standings = _filtered(request, shown)
    if wants_xlsx(request):
        return xlsx_response(filename, title, HEADERS, _rows(items, standings))
    counts = {s.value: 0 for s in Standing}
    for i in items:
        counts[standings[i.pk]] += 1
    return render(
        request,
        "improvement/actions.html",
        {
            "section": section,
            "title": title,
            "form": form,
            "items": [(i, standings[i.pk]) for i in items[:SHOWN]],
            "total": len(items),
            "counts": counts,
            "query": request.GET.urlencode(),
            "may_create": services.can_create(request.user),
            "new_form": ActionForm(),
        },
    )


@viewer_required
def index(request: SignedInRequest) -> HttpResponse:
    user = request.user
    visible = services.visible_actions(user).select_related("owner_department", "branch", "owner")
    now = timezone.now()
    pending = [i for i in visible.exclude(status="verified")]
    standings = {i.pk: services.standing_of(i, now) for i in pending}
    mine = [i for i in pending if _is_mine(user, i)]
    upcoming = (
        services.visible_meetings(user).filter(date__gte=timezone.localdate()).order_by("date")[:3]
    )
    return render(
        request,
        "improvement/index.html",
        {
            "section": "index",
            "open": len([i for i in pending if i.status != "done"]),
            "waiting": len([i for i in pending if i.status == "done"]),
            "overdue": [i for i in pending if standings[i.pk] == Standing.OVERDUE][:10],
            "overdue_count": sum(1 for s in standings.values() if s == Standing.OVERDUE),
            "due_soon_count": sum(1 for s in standings.values() if s == Standing.DUE_SOON),
            "escalated_count": sum(1 for i in pending if i.level > 0),
            "mine": [(i, standings[i.pk]) for i in mine[:10]],
            "meetings": upcoming,
            "may_meet": services.can_view_meetings(user),
        },
    )


def _is_mine(user: Requester, item: ActionItem) -> bool:
    scope = scope_of(user)
    if item.owner_id == user.pk:
        return True
    return scope.role == Role.DEPARTMENT_LIAISON and item.owner_department.code == scope.department


@viewer_required
def board(request: SignedInRequest) -> HttpResponse:
    return _board(
        request,
        services.visible_actions(request.user),
        section="board",
        title=_("督办看板"),
        filename="督办事项.xlsx",
    )


@viewer_required
def mine(request: SignedInRequest) -> HttpResponse:
    scope = scope_of(request.user)
    mine_q = Q(owner=request.user)
    if scope.role == Role.DEPARTMENT_LIAISON and scope.department:
        mine_q |= Q(owner_department__code=scope.department)
    shown = services.visible_actions(request.user).filter(mine_q)
    return _board(request, shown, section="mine", title=_("我的督办"), filename="我的督办.xlsx")


def _visible(request: SignedInRequest, pk: int) -> ActionItem:
    try:
        return services.get_action(request.user, pk)
    except ActionItem.DoesNotExist:
        raise Http404 from None


def _detail(
    request: SignedInRequest, item: ActionItem, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    steps = steps_from(item.status)  # type: ignore[arg-type]
    may_work = services.may_work(user, item)
    may_verify = services.may_verify(user, item)
    offered = [s for s in steps if (may_work if s in (Step.START, Step.COMPLETE) else may_verify)]
    binding = services.binding_of(item)
    latest = (
        services.latest_value(user, binding.indicator, binding.branch) if binding else ("", None)
    )
    return render(
        request,
        "improvement/action.html",
        {
            "section": "board",
            "item": item,
            "standing": services.standing_of(item),
            "steps": offered,
            "events": [
                (e, StatusChoices.label(e.to_status) if e.to_status else "")
                for e in item.events.all()
            ],
            "comments": list(item.comments.all()),
            "evidence": list(item.evidence.defer("content")),
            "may_work": may_work and item.status != "verified",
            "may_comment": not scope_of(user).read_only,
            "binding": binding,
            "latest_period": latest[0],
            "latest_value": latest[1],
            "evidence_form": forms.get("evidence_form") or EvidenceForm(),
            "comment_form": forms.get("comment_form") or CommentForm(),
            "step_reason": forms.get("step_reason", ""),
            "override_reason": forms.get("override_reason", ""),
        },
        status=status,
    )


@viewer_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


def _refused(
    request: SignedInRequest, item_pk: int, error: Exception, **forms: Any
) -> HttpResponse:
    code = (
        STATE_CONFLICT
        if isinstance(error, (services.IllegalStep, services.ConcurrentEdit))
        else BAD_INPUT
    )
    messages.error(request, str(getattr(error, "message_zh", "") or error))
    return _detail(request, _visible(request, item_pk), status=code, **forms)


@require_POST
@viewer_required
def step(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            pk,
            services.ImprovementError(_("填写有误：%(e)s") % {"e": form.errors.as_text()}),
        )
    data = form.cleaned_data
    try:
        services.take_step(
            request.user,
            item.pk,
            data["step"],
            expected_version=data["version"],
            reason=data["reason"],
            override_reason=data["override_reason"],
        )
    except PermissionDenied:
        raise
    except (services.IllegalStep, services.ConcurrentEdit, services.ImprovementError) as error:
        return _refused(
            request, pk, error, step_reason=data["reason"], override_reason=data["override_reason"]
        )
    messages.success(request, _("已%(step)s") % {"step": _step_label(data["step"])})
    return redirect("improvement:action", pk=item.pk)


def _step_label(value: str) -> str:
    from sqm.improvement.choices import StepChoices

    return StepChoices.label(value)


@require_POST
@viewer_required
def evidence(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(
            request, pk, services.ImprovementError(form.errors.as_text()), evidence_form=form
        )
    upload = None
    if form.cleaned_data.get("file"):
        f = form.cleaned_data["file"]
        if f.size > services.MAX_FILE_BYTES:
            return _refused(
                request, pk, services.ImprovementError(_("文件不能超过 10 MB")), evidence_form=form
            )
        upload = services.Upload(f.name, f.read(), f.content_type or "application/octet-stream")
    try:
        services.add_evidence(
            request.user,
            item.pk,
            note=form.cleaned_data["note"],
            url=form.cleaned_data["url"],
            upload=upload,
        )
    except (services.IllegalStep, services.ConcurrentEdit, services.ImprovementError) as error:
        return _refused(request, pk, error, evidence_form=form)
    messages.success(request, _("佐证已上传"))
    return redirect("improvement:action", pk=item.pk)


@viewer_required
def evidence_file(request: SignedInRequest, pk: int, evidence_id: int) -> HttpResponse:
    item = _visible(request, pk)
    try:
        found = item.evidence.get(pk=evidence_id, kind="file")
    except item.evidence.model.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(bytes(found.content), content_type="application/octet-stream")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.file_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@viewer_required
def comment(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, pk, services.ImprovementError(_("评论内容不能为空")), comment_form=form
        )
    try:
        services.add_comment(request.user, item.pk, form.cleaned_data["text"])
    except services.ImprovementError as error:
        return _refused(request, pk, error, comment_form=form)
    return redirect("improvement:action", pk=item.pk)


@require_POST
@users_who(services.can_create)
def create(request: SignedInRequest) -> HttpResponse:
    form = ActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_action(
                request.user,
                title=data["title"],
                owner_department=data["owner_department"],
                owner=data["owner"],
                deadline=data["deadline"],
                expected_result=data["expected_result"],
                branch=data["branch"] or None,
                indicator=data["indicator"],
                target=data["target"],
                case_number=data["case_number"],
            )
        except services.ImprovementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("督办事项 %(n)s 已创建") % {"n": item.number})
            return redirect("improvement:action", pk=item.pk)
    messages.error(request, _("填写有误：%(e)s") % {"e": form.errors.as_text()})
    response = _board(
        request,
        services.visible_actions(request.user),
        section="board",
        title=_("督办看板"),
        filename="督办事项.xlsx",
    )
    response.status_code = BAD_INPUT
    return response


@users_who(services.can_create)
def province(request: SignedInRequest) -> HttpResponse:
    """Completion rate, overdue count, mean days to close per department, for a month."""
    month_text = request.GET.get("month") or f"{timezone.localdate():%Y-%m}"
    try:
        month = parse_period(month_text)
    except PeriodError as error:
        messages.error(request, str(error))
        month = parse_period(f"{timezone.localdate():%Y-%m}")
    stats = services.department_stats(month)
    names = services.department_names()
    rows = [(names.get(code, code), s) for code, s in stats.items()]
    if wants_xlsx(request):
        return xlsx_response(
            f"督办统计-{month.label}.xlsx",
            _("督办统计"),
            ["部门", "到期事项", "按时完成", "完成率", "超期", "本月关闭", "平均关闭天数"],
            [
                [
                    name,
                    s.due,
                    s.completed_on_time,
                    s.completion_rate,
                    s.overdue,
                    s.closed,
                    s.mean_days_to_close,
                ]
                for name, s in rows
            ],
        )
    return render(
        request,
        "improvement/province.html",
        {"section": "province", "rows": rows, "month": month.label, "today": date.today()},
    )
