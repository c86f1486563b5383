"""Service meetings: series, meetings, the secretary's work on the agenda, decisions that become
action items in one step."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from sqm.improvement import access, actions, agendas
from sqm.improvement.core import agenda as core
from sqm.improvement.models import ActionItem, AgendaItem, Decision, Meeting, MeetingSeries
from sqm.org.audit import record
from sqm.org.core.roles import Role
from sqm.org.models import Department
from sqm.org.scoping import scope_of

if TYPE_CHECKING:
    from sqm.lib.people import Person, Requester


ImprovementError = actions.ImprovementError
DEFAULT_SERIES = "客户服务例会"


def _manager(user: Person) -> None:
    if not access.can_manage_meetings(user):
        raise PermissionDenied


def get_meeting(user: Requester, pk: int) -> Meeting:
    """The meeting if ``user`` may see meetings; ``Meeting.DoesNotExist`` otherwise."""
    return access.visible_meetings(user).select_related("series").get(pk=pk)


def default_series() -> MeetingSeries:
    series, _ = MeetingSeries.objects.get_or_create(name=DEFAULT_SERIES)
    return series


def create_meeting(
    user: Person,
    *,
    day: date,
    title: str = "",
    chair_name: str = "",
    departments: Iterable[str] = (),
    series: MeetingSeries | None = None,
) -> Meeting:
    """A meeting with its agenda built; one a day per series."""
    _manager(user)
    series = series or default_series()
    codes = list(departments)
    found = list(Department.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        missing = sorted(set(codes) - {d.code for d in found})
        raise ImprovementError(_("没有这些部门：%(codes)s") % {"codes": ", ".join(missing)})
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                series=series,
                date=day,
                title=title.strip() or f"{series.name}（{day:%Y年%m月%d日}）",
                chair_name=chair_name.strip(),
            )
            meeting.attendee_departments.set(found)
    except IntegrityError:
        raise ImprovementError(
            _("%(day)s 已有一次%(series)s") % {"day": f"{day:%Y-%m-%d}", "series": series.name}
        ) from None
    agendas.refresh(meeting)
    record(user, "improvement.meeting", "meeting", meeting.pk, date=day.isoformat())
    return meeting


def update_meeting(
    user: Person,
    pk: int,
    *,
    minutes: str | None = None,
    chair_name: str | None = None,
    held: bool | None = None,
    departments: Iterable[str] | None = None,
    attendees: Iterable[Any] | None = None,
) -> Meeting:
    _manager(user)
    with transaction.atomic():
        meeting = access.visible_meetings(user).select_for_update().get(pk=pk)
        if minutes is not None:
            meeting.minutes = minutes.strip()
        if chair_name is not None:
            meeting.chair_name = chair_name.strip()
        if held is not None:
            if held and not meeting.held:
                agendas.refresh(meeting)  # the record keeps the agenda as it was taken up
            meeting.held = held
        meeting.version += 1
        meeting.save()
        if departments is not None:
            meeting.attendee_departments.set(Department.objects.filter(code__in=list(departments)))
        if attendees is not None:
            meeting.attendees.set(_eligible(user, meeting, attendees))
    return meeting


def attendee_choices(user: Requester, meeting: Meeting) -> QuerySet[Any]:
    """Who may be named as attending ``meeting``: the members of its attending departments and
    the branch managers, of the branches ``user`` may see (a person without a branch is the
    province's)."""
    return attendee_candidates(user, meeting.attendee_departments.values_list("code", flat=True))


def attendee_candidates(user: Requester, departments: Iterable[str] | None = None) -> QuerySet[Any]:
    """``attendee_choices`` for the meeting of ``departments`` (None: any department)."""
    people = get_user_model().objects.filter(is_active=True, sqm_profile__isnull=False)
    members = (
        Q(sqm_profile__department__isnull=False)
        if departments is None
        else Q(sqm_profile__department__code__in=list(departments))
    )
    people = people.filter(
        members | Q(sqm_profile__role=Role.BRANCH_MANAGER.value, sqm_profile__branch__isnull=False)
    )
    branches = scope_of(user).branches
    if branches is not None:
        people = people.filter(
            Q(sqm_profile__branch=None) | Q(sqm_profile__branch__code__in=sorted(branches))
        )
    return people.select_related("sqm_profile__department", "sqm_profile__branch").order_by(
        "username"
    )


def attendee_labels(people: Iterable[Any]) -> list[str]:
    """The people as the page and the minutes list them: the departments' first (by code),
    then the branches' in the province's order, each by user name."""

    def order(person: Any) -> tuple[bool, str, int, str]:
        profile = getattr(person, "sqm_profile", None)
        department = getattr(profile, "department", None)
        branch = getattr(profile, "branch", None)
        return (
            department is None,
            department.code if department is not None else "",
            branch.rank if branch is not None else 0,
            person.get_username(),
        )

    return [attendee_label(p) for p in sorted(people, key=order)]


def attendee_label(person: Any) -> str:
    """A person as the meeting page and the minutes name them: name (department or branch)."""
    profile = getattr(person, "sqm_profile", None)
    unit = None
    if profile is not None:
        unit = profile.department or profile.branch
    name = person.get_full_name() or person.get_username()
    return f"{name}（{unit.name_zh}）" if unit is not None else name


def _eligible(user: Person, meeting: Meeting, attendees: Iterable[Any]) -> list[Any]:
    """The people asked for, each one ``attendee_choices`` offers; anyone else is refused by
    name (nothing is changed)."""
    wanted = {getattr(a, "pk", a) for a in attendees}
    found = list(attendee_choices(user, meeting).filter(pk__in=wanted))
    refused = wanted - {p.pk for p in found}
    if refused:
        names = [
            p.get_username() for p in get_user_model().objects.filter(pk__in=refused)
        ] or sorted(str(r) for r in refused)
        raise ImprovementError(
            _("这些人员不属于参会部门或不在您的权限范围内：%(names)s")
            % {"names": "、".join(sorted(names))}
        )
    return found


def add_topic(user: Person, pk: int, title: str, department: str = "") -> AgendaItem:
    """The secretary's own topic, at the end of the agenda."""
    _manager(user)
    title = title.strip()
    if not title:
        raise ImprovementError(_("请填写议题"))
    with transaction.atomic():
        meeting = access.visible_meetings(user).select_for_update().get(pk=pk)
        last = meeting.agenda.aggregate(m=Max("position"))["m"] or 0
        n = meeting.agenda.filter(kind=core.Kind.ADDED.value).count() + 1
        key = f"added:{n}"
        while meeting.agenda.filter(key=key).exists():
            n += 1
            key = f"added:{n}"
        return AgendaItem.objects.create(
            meeting=meeting,
            position=last + 1,
            kind=core.Kind.ADDED.value,
            key=key,
            title=title[:240],
            department=department,
        )


def remove_topic(user: Person, pk: int, item_id: int) -> None:
    """Off the agenda; an automatic subject stays off when the agenda is rebuilt."""
    _manager(user)
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(
            pk=item_id, meeting__in=access.visible_meetings(user), meeting_id=pk
        )
        item.removed = True
        item.save(update_fields=["removed"])


def reorder(user: Person, pk: int, item_ids: Sequence[int]) -> list[AgendaItem]:
    """The agenda in the order of ``item_ids`` (the rest after them, in their order)."""
    _manager(user)
    with transaction.atomic():
        meeting = access.visible_meetings(user).select_for_update().get(pk=pk)
        items = list(meeting.agenda.filter(removed=False))
        by_id = {i.pk: i for i in items}
        keys = []
        for item_id in item_ids:
            if item_id not in by_id:
                raise ImprovementError(_("议程已变化，请刷新后再排序"))
            keys.append(by_id[item_id].key)
        try:
            ordered = core.reorder(agendas.stored_entries(meeting), keys)
        except ValueError as refused:
            raise ImprovementError(str(refused)) from None
        by_key = {i.key: i for i in items}
        for position, entry in enumerate(ordered, start=1):
            row = by_key[entry.key]
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])
    return list(meeting.agenda.filter(removed=False))


def move(user: Person, pk: int, item_id: int, offset: int) -> list[AgendaItem]:
    """One place up (-1) or down (+1): the page's arrows."""
    _manager(user)
    ids = list(Meeting.objects.get(pk=pk).agenda.filter(removed=False).values_list("pk", flat=True))
    if item_id not in ids:
        raise ImprovementError(_("议程已变化，请刷新后再排序"))
    at = ids.index(item_id)
    to = max(0, min(len(ids) - 1, at + offset))
    ids.insert(to, ids.pop(at))
    return reorder(user, pk, ids)


def record_decision(
    user: Person,
    pk: int,
    *,
    text: str,
    agenda_item_id: int | None = None,
    title: str,
    owner_department: str,
    deadline: date,
    owner: Any = None,
    expected_result: str = "",
    branch: str | None = None,
    indicator: str = "",
    target: float | None = None,
    case_number: str = "",
    today: date | None = None,
) -> ActionItem:
    """A decision and the action item it creates, in one step: both or neither. The agenda item
    it settles is marked resolved (it is not carried over to the next meeting)."""
    _manager(user)
    text = text.strip()
    if not text:
        raise ImprovementError(_("请填写决议内容"))
    with transaction.atomic():
        meeting = access.visible_meetings(user).select_for_update().get(pk=pk)
        topic = None
        if agenda_item_id is not None:
            try:
                topic = meeting.agenda.get(pk=agenda_item_id)
            except AgendaItem.DoesNotExist:
                raise ImprovementError(_("该议题不属于本次会议")) from None
        decision = Decision.objects.create(
            meeting=meeting, agenda_item=topic, text=text, created_by=user
        )
        if not branch and topic is not None and topic.branch and "," not in topic.branch:
            branch = topic.branch
        if not case_number and topic is not None and topic.kind == core.Kind.CASE.value:
            case_number = topic.ref
        item = actions.create_action(
            user,
            title=title,
            owner_department=owner_department,
            owner=owner,
            deadline=deadline,
            expected_result=expected_result,
            branch=branch,
            indicator=indicator,
            target=target,
            case_number=case_number,
            meeting=meeting,
            decision=decision,
            today=today,
        )
        if topic is not None:
            topic.resolved = True
            topic.save(update_fields=["resolved"])
    return item


def set_resolved(user: Person, pk: int, item_id: int, resolved: bool) -> AgendaItem:
    _manager(user)
    item = AgendaItem.objects.get(pk=item_id, meeting_id=pk)
    item.resolved = resolved
    item.save(update_fields=["resolved"])
    return item
