"""Pages of service meetings: the list (and a new meeting), a meeting with its self-built
agenda — the secretary adds, reorders (htmx) and removes topics —, recording a decision that
creates an action item, the minutes, and their export as .docx and PDF."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sqm.improvement import services
from sqm.improvement.choices import AgendaKindChoices
from sqm.improvement.models import Meeting
from sqm.improvement.web.forms import (
    AttendanceForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    TopicForm,
)
from sqm.lib.people import SignedInRequest
from sqm.lib.refusals import BAD_INPUT
from sqm.org.permissions import users_who

viewer_required = users_who(services.can_view_meetings)
manager_required = users_who(services.can_manage_meetings)


@viewer_required
def meetings(request: SignedInRequest) -> HttpResponse:
    return _list(request, MeetingForm())


def _list(request: SignedInRequest, form: MeetingForm, status: int = 200) -> HttpResponse:
    shown = services.visible_meetings(request.user).select_related("series").order_by("-date")
    return render(
        request,
        "improvement/meetings.html",
        {
            "section": "meetings",
            "meetings": [(m, m.decisions.count(), m.actions.count()) for m in shown[:100]],
            "form": form,
            "may_manage": services.can_manage_meetings(request.user),
        },
        status=status,
    )


@require_POST
@manager_required
def create(request: SignedInRequest) -> HttpResponse:
    form = MeetingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.create_meeting(
                request.user,
                day=data["day"],
                title=data["title"],
                chair_name=data["chair_name"],
                departments=data["departments"],
            )
        except services.ImprovementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("例会已创建，议程已自动生成"))
            return redirect("improvement:meeting", pk=meeting.pk)
    messages.error(request, _("填写有误：%(e)s") % {"e": form.errors.as_text()})
    return _list(request, form, status=BAD_INPUT)


def _visible(request: SignedInRequest, pk: int) -> Meeting:
    try:
        return services.get_meeting(request.user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _agenda_context(request: SignedInRequest, meeting: Meeting) -> dict[str, Any]:
    names = services.department_names()
    branches = services.branch_names()
    items = [
        {
            "item": i,
            "kind": AgendaKindChoices.label(i.kind),
            "department": names.get(i.department, i.department),
            "branch": "、".join(branches.get(c, c) for c in i.branch.split(",") if c),
        }
        for i in meeting.agenda.filter(removed=False)
    ]
    return {
        "meeting": meeting,
        "agenda": items,
        "may_manage": services.can_manage_meetings(request.user) and not meeting.held,
    }


def _page(
    request: SignedInRequest, meeting: Meeting, status: int = 200, **forms: Any
) -> HttpResponse:
    names = services.department_names()
    decision_form = forms.get("decision_form") or DecisionForm()
    attendance_form = forms.get("attendance_form") or AttendanceForm(
        initial={
            "departments": [d.code for d in meeting.attendee_departments.all()],
            "attendees": [p.pk for p in meeting.attendees.all()],
        },
        people=services.attendee_choices(request.user, meeting),
    )
    return render(
        request,
        "improvement/meeting.html",
        {
            **_agenda_context(request, meeting),
            "section": "meetings",
            "may_edit": services.can_manage_meetings(request.user),
            "departments": [names.get(d.code, d.code) for d in meeting.attendee_departments.all()],
            "attendees": services.attendee_labels(
                services.attendee_candidates(request.user).filter(
                    pk__in=meeting.attendees.values("pk")
                )
            ),
            "attendance_form": attendance_form,
            "decisions": list(
                meeting.decisions.select_related(
                    "action", "action__owner_department", "action__owner", "agenda_item"
                )
            ),
            "decision_form": decision_form,
            "topic_form": forms.get("topic_form") or TopicForm(),
            "minutes_form": MinutesForm(
                initial={
                    "minutes": meeting.minutes,
                    "chair_name": meeting.chair_name,
                    "held": meeting.held,
                }
            ),
        },
        status=status,
    )


@viewer_required
def meeting(request: SignedInRequest, pk: int) -> HttpResponse:
    found = _visible(request, pk)
    if not found.held and services.can_manage_meetings(request.user):
        services.refresh_agenda(found)  # new red figures, signals, overdue items since last look
    return _page(request, found)


def _agenda_fragment(request: SignedInRequest, meeting: Meeting) -> HttpResponse:
    return render(request, "improvement/_agenda.html", _agenda_context(request, meeting))


def _back(request: SignedInRequest, meeting: Meeting) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return _agenda_fragment(request, meeting)
    return redirect("improvement:meeting", pk=meeting.pk)


@require_POST
@manager_required
def add_topic(request: SignedInRequest, pk: int) -> HttpResponse:
    found = _visible(request, pk)
    form = TopicForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写议题"))
        return _page(request, found, status=BAD_INPUT, topic_form=form)
    services.add_topic(request.user, found.pk, form.cleaned_data["title"])
    return _back(request, found)


@require_POST
@manager_required
def move(request: SignedInRequest, pk: int) -> HttpResponse:
    found = _visible(request, pk)
    try:
        item_id = int(request.POST.get("item", ""))
        offset = -1 if request.POST.get("direction") == "up" else 1
        services.move(request.user, found.pk, item_id, offset)
    except (ValueError, services.ImprovementError) as error:
        message = str(error) if isinstance(error, services.ImprovementError) else _("议程条目无效")
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(message, status=BAD_INPUT)
        messages.error(request, message)
    return _back(request, found)


@require_POST
@manager_required
def remove_topic(request: SignedInRequest, pk: int) -> HttpResponse:
    found = _visible(request, pk)
    try:
        services.remove_topic(request.user, found.pk, int(request.POST.get("item", "")))
    except (ValueError, services.AgendaItem.DoesNotExist):
        return HttpResponse(_("议程条目无效"), status=BAD_INPUT)
    return _back(request, found)


@require_POST
@manager_required
def update(request: SignedInRequest, pk: int) -> HttpResponse:
    found = _visible(request, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        services.update_meeting(
            request.user,
            found.pk,
            minutes=form.cleaned_data["minutes"],
            chair_name=form.cleaned_data["chair_name"],
            held=form.cleaned_data["held"],
        )
        messages.success(request, _("会议纪要已保存"))
    return redirect("improvement:meeting", pk=found.pk)


@require_POST
@manager_required
def attendance(request: SignedInRequest, pk: int) -> HttpResponse:
    """The attending departments and people; a person outside them (or outside the
    secretary's scope) is refused by name and nothing changes."""
    found = _visible(request, pk)
    # Offered: the people of the departments being chosen, not only those saved before.
    form = AttendanceForm(request.POST, people=services.attendee_candidates(request.user))
    if form.is_valid():
        try:
            services.update_meeting(
                request.user,
                found.pk,
                departments=form.cleaned_data["departments"],
                attendees=form.cleaned_data["attendees"],
            )
        except services.ImprovementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("参会部门和人员已保存"))
            return redirect("improvement:meeting", pk=found.pk)
    messages.error(request, _("填写有误：%(e)s") % {"e": form.errors.as_text()})
    return _page(request, found, status=BAD_INPUT, attendance_form=form)


@require_POST
@manager_required
def decide(request: SignedInRequest, pk: int) -> HttpResponse:
    found = _visible(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.record_decision(
                request.user,
                found.pk,
                text=data["text"],
                agenda_item_id=data["agenda_item"],
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
            messages.success(request, _("决议已记录，督办事项 %(n)s 已派发") % {"n": item.number})
            return redirect("improvement:meeting", pk=found.pk)
    messages.error(request, _("填写有误：%(e)s") % {"e": form.errors.as_text()})
    return _page(request, found, status=BAD_INPUT, decision_form=form)


@viewer_required
def minutes(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    found = _visible(request, pk)
    name = f"{found.title}-纪要"
    if fmt == "docx":
        body = services.minutes_docx(found)
        kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "pdf":
        body = services.minutes_pdf(found)
        kind = "application/pdf"
    else:
        raise Http404
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return response
