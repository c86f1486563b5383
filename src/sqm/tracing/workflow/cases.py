"""The life of a tracing case: opened from signals (their complaints linked automatically) or
by hand, complaints added and removed, root cause, measures, stages, problem groups.

Every write runs in one transaction, locks the case row, checks ``expected_version`` (the
TMF656 API's ETag) when given, bumps ``version``, records a ``CaseEvent`` (who, in which
role, what) and writes the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sqm.complaints.services import visible_work_orders
from sqm.events.core.store import EventStore
from sqm.org.audit import record
from sqm.org.models import Branch, Department, Hall
from sqm.org.numbering import next_in_sequence
from sqm.org.scoping import scope_of
from sqm.tracing import access
from sqm.tracing.choices import SignalKindChoices
from sqm.tracing.core.causes import RootCauseClass
from sqm.tracing.core.signals import SignalStatus
from sqm.tracing.core.stages import next_stage, stage_of
from sqm.tracing.models import (
    CaseComplaint,
    CaseEvent,
    CaseMeasure,
    CaseNumberSequence,
    Signal,
    TracingCase,
)
from sqm.tracing.workflow import evidence
from sqm.tracing.workflow.triage import TracingError

if TYPE_CHECKING:
    from sqm.lib.people import Person


OBJECT = "tracing_case"
MAX_PER_DAY = 9_999
Kind = CaseEvent.Kind


class ConcurrentEdit(TracingError):
    """Someone changed the case since the caller read it (``expected_version``)."""

    def __init__(self, number: str, expected: int, actual: int) -> None:
        self.number, self.expected, self.actual = number, expected, actual
        super().__init__(
            _(
                "溯源单 %(number)s 已被他人修改（当前版本 %(actual)s，"
                "你提交的是版本 %(expected)s），请刷新后重试"
            )
            % {"number": number, "actual": actual, "expected": expected}
        )


def store() -> EventStore:
    return EventStore(settings.DATA_DIR)


def next_number(at: datetime) -> str:
    """``SP`` + local date + the day's 4-digit sequence (the work orders' mechanism)."""
    day = timezone.localdate(at)
    last = next_in_sequence(CaseNumberSequence, day)
    if last > MAX_PER_DAY:
        raise TracingError(_("%(day)s 的溯源单号已用完") % {"day": day})
    return f"SP{day:%Y%m%d}{last:04d}"


def _require_writer(user: Person) -> None:
    if not access.can_write(user):
        raise PermissionDenied(_("你的角色只能查看溯源单，不能修改"))


def locked(user: Person, number: str, expected_version: int | None = None) -> TracingCase:
    """The case, row-locked until the transaction ends; DoesNotExist when the user cannot see
    it, PermissionDenied for roles that only read, ConcurrentEdit on a stale version."""
    _require_writer(user)
    case = access.visible_cases(user).select_for_update().get(number=number)
    if expected_version is not None and case.version != expected_version:
        raise ConcurrentEdit(number, expected_version, case.version)
    return case


def _event(user: Person, case: TracingCase, kind: str, note: str = "", **stages: str) -> CaseEvent:
    role = access.role_of(user)
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=user.get_username() if user is not None and user.is_authenticated else "",
        role=role.value if role is not None else "",
        note=note,
        from_stage=stages.get("from_stage", ""),
        to_stage=stages.get("to_stage", ""),
    )


def commit(user: Person, case: TracingCase, kind: str, note: str = "", **stages: str) -> None:
    case.version += 1
    case.save()
    _event(user, case, kind, note, **stages)
    record(user, f"tracing.{kind}", OBJECT, case.number, version=case.version, note=note)


def _departments(codes: Iterable[str]) -> list[Department]:
    wanted = sorted({c for c in codes if c})
    found = list(Department.objects.filter(code__in=wanted))
    missing = set(wanted) - {d.code for d in found}
    if missing:
        raise TracingError(_("未知的部门：%(codes)s") % {"codes": "、".join(sorted(missing))})
    return found


def _branches(user: Person, codes: Iterable[str]) -> list[Branch]:
    wanted = {c for c in codes if c}
    if not access.allows_branches(user, wanted):
        raise PermissionDenied(_("只能为本分公司立案"))
    found = list(Branch.objects.filter(code__in=sorted(wanted)))
    missing = wanted - {b.code for b in found}
    if missing:
        raise TracingError(_("未知的分公司：%(codes)s") % {"codes": "、".join(sorted(missing))})
    return found


def _signal_branches(signal: Signal) -> set[str]:
    if signal.branch:
        return {signal.branch}
    listed = signal.detail.get("branches") if isinstance(signal.detail, dict) else None
    return {str(b) for b in listed} if isinstance(listed, list) else set()


def _title(signals: list[Signal]) -> str:
    first = signals[0]
    where = first.branch or first.hall or first.node or first.channel or first.sender or ""
    what = first.subcategory or first.category or first.indicator or ""
    return " · ".join(str(p) for p in (SignalKindChoices.label(first.kind), where, what) if p)


def open_case(
    user: Person,
    *,
    signal_ids: Iterable[int] = (),
    title: str = "",
    description: str = "",
    branches: Iterable[str] | None = None,
    hall: str | None = None,
    category: str = "",
    subcategory: str = "",
    affected_service: str = "",
    affected_product: str = "",
    lead_department: str | None = None,
    team: Iterable[str] = (),
    at: datetime | None = None,
) -> TracingCase:
    """A case from signals (place, category and complaints taken from them) or by hand (a
    title and a place are needed). Signal.DoesNotExist when one is not the user's to see."""
    _require_writer(user)
    wanted = sorted({int(i) for i in signal_ids})
    at = at or timezone.now()
    with transaction.atomic():
        signals = list(
            access.visible_signals(user)
            .select_for_update()
            .filter(pk__in=wanted)
            .order_by("-score")
        )
        if len(signals) != len(wanted):
            raise Signal.DoesNotExist(_("信号不存在或无权查看"))
        taken = [s for s in signals if s.case_id is not None]
        if taken:
            raise TracingError(_("信号已关联溯源单 %(number)s") % {"number": taken[0].case})
        if branches is None:
            branches = set().union(*(_signal_branches(s) for s in signals)) if signals else set()
        title = (title or "").strip() or (_title(signals) if signals else "")
        if not title:
            raise TracingError(_("请填写溯源单标题"))
        if signals:
            category = category or next((s.category for s in signals if s.category), "") or ""
            subcategory = (
                subcategory or next((s.subcategory for s in signals if s.subcategory), "") or ""
            )
            affected_product = (
                affected_product or next((s.product for s in signals if s.product), "") or ""
            )
            hall = hall or next((s.hall for s in signals if s.hall), None)
        chosen = _branches(user, branches)
        case = TracingCase.objects.create(
            number=next_number(at),
            title=title[:200],
            description=description,
            category=category,
            subcategory=subcategory,
            affected_service=affected_service,
            affected_product=affected_product,
            hall=Hall.objects.get(code=hall) if hall else None,
            lead_department=_departments([lead_department])[0] if lead_department else None,
            created_by=user,
            created_at=at,
        )
        case.branches.set(chosen)
        case.team_departments.set(_departments(team))
        _event(user, case, Kind.CREATED, title)
        record(user, "tracing.created", OBJECT, case.number, signals=[s.pk for s in signals])
        for signal in signals:
            _attach(user, case, signal)
    return case


def _attach(user: Person, case: TracingCase, signal: Signal) -> int:
    signal.case = case
    signal.status = SignalStatus.LINKED.value
    signal.save(update_fields=["case", "status"])
    _event(user, case, Kind.SIGNAL_LINKED, signal.key)
    if signal.evidence_source != evidence.COMPLAINTS:
        return 0
    return _link(user, case, signal.evidence_ids, CaseComplaint.How.SIGNAL, signal)


def _link(
    user: Person, case: TracingCase, ids: Iterable[str], how: str, signal: Signal | None = None
) -> int:
    """Link complaints by their source ids: our work orders by number (those the user may see),
    the event store's rows for the rest; ids known to neither are linked bare."""
    wanted = [i for i in dict.fromkeys(str(i).strip() for i in ids) if i]
    have = set(
        case.complaints.filter(complaint_id__in=wanted).values_list("complaint_id", flat=True)
    )
    wanted = [i for i in wanted if i not in have]
    if not wanted:
        return 0
    orders = {
        o.number: o
        for o in visible_work_orders(user).filter(number__in=wanted).select_related("branch")
    }
    rows = evidence.complaints_by_id(store(), [i for i in wanted if i not in orders])
    links = []
    for cid in wanted:
        order, row = orders.get(cid), rows.get(cid)
        links.append(
            CaseComplaint(
                case=case,
                complaint_id=cid,
                work_order=order,
                customer_id=order.customer_id if order else row.customer_id if row else "",
                branch=order.branch.code if order else row.branch if row else "",
                category=order.factor if order else row.category if row else "",
                created_at=order.created_at if order else _aware(row.created_at if row else None),
                how=how,
                signal=signal,
                added_by=user,
            )
        )
    CaseComplaint.objects.bulk_create(links)
    if how == CaseComplaint.How.HAND:
        _event(user, case, Kind.COMPLAINT_ADDED, "、".join(wanted[:20]))
    return len(links)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def link_signals(
    user: Person, number: str, signal_ids: Iterable[int], expected_version: int | None = None
) -> TracingCase:
    with transaction.atomic():
        case = locked(user, number, expected_version)
        signals = list(
            access.visible_signals(user).select_for_update().filter(pk__in=list(signal_ids))
        )
        for signal in signals:
            if signal.case_id not in (None, case.pk):
                raise TracingError(_("信号已关联溯源单 %(number)s") % {"number": signal.case})
            _attach(user, case, signal)
        commit(user, case, Kind.UPDATED, _("关联信号 %(n)d 个") % {"n": len(signals)})
    return case


def add_complaints(
    user: Person, number: str, ids: Iterable[str], expected_version: int | None = None
) -> int:
    """Link complaints found by search. Only complaints the user may see: a work order by
    its visibility, an event-store complaint by its branch."""
    wanted = [i for i in dict.fromkeys(str(i).strip() for i in ids) if i]
    with transaction.atomic():
        case = locked(user, number, expected_version)
        orders = set(
            visible_work_orders(user).filter(number__in=wanted).values_list("number", flat=True)
        )
        rows = evidence.complaints_by_id(store(), [i for i in wanted if i not in orders])
        scope = scope_of(user)
        unknown = [
            i for i in wanted
            if i not in orders and (i not in rows or not scope.allows_branch(rows[i].branch))
        ]  # fmt: skip
        if unknown:
            raise TracingError(_("找不到投诉：%(ids)s") % {"ids": "、".join(unknown[:10])})
        added = _link(user, case, wanted, CaseComplaint.How.HAND)
        if added:
            case.version += 1
            case.save()
    return added


def remove_complaint(
    user: Person, number: str, complaint_id: str, expected_version: int | None = None
) -> None:
    with transaction.atomic():
        case = locked(user, number, expected_version)
        deleted, _detail = case.complaints.filter(complaint_id=complaint_id).delete()
        if not deleted:
            raise TracingError(_("溯源单未关联投诉 %(id)s") % {"id": complaint_id})
        commit(user, case, Kind.COMPLAINT_REMOVED, complaint_id)


def set_root_cause(
    user: Person,
    number: str,
    root_cause_class: str,
    text: str,
    *,
    lead_department: str | None = None,
    team: Iterable[str] | None = None,
    expected_version: int | None = None,
) -> TracingCase:
    try:
        cause = RootCauseClass(root_cause_class)
    except ValueError:
        allowed = "、".join(c.value for c in RootCauseClass)
        raise TracingError(
            _("未知的根因分类「%(value)s」，可选：%(allowed)s")
            % {"value": root_cause_class, "allowed": allowed}
        ) from None
    cleaned = (text or "").strip()
    if not cleaned:
        raise TracingError(_("请填写根因说明"))
    with transaction.atomic():
        case = locked(user, number, expected_version)
        case.root_cause_class = cause.value
        case.root_cause_text = cleaned
        if lead_department is not None:
            case.lead_department = _departments([lead_department])[0] if lead_department else None
        if team is not None:
            case.team_departments.set(_departments(team))
        commit(user, case, Kind.ROOT_CAUSE, f"{cause.value}: {cleaned}")
    return case


NULLABLE = frozenset({"intervention_date", "priority"})  # None clears them (others become "")
EDITABLE = frozenset(
    {
        "title", "description", "affected_service", "affected_product", "category",
        "subcategory", "intervention_date", "priority",
    }
)  # fmt: skip


def update_case(
    user: Person,
    number: str,
    *,
    expected_version: int | None = None,
    branches: Iterable[str] | None = None,
    hall: str | None = None,
    lead_department: str | None = None,
    team: Iterable[str] | None = None,
    **fields: Any,
) -> TracingCase:
    """Change the case's descriptive fields (those in ``EDITABLE``) and its place and team."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TracingError(_("不能修改的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    if "title" in fields and not str(fields["title"] or "").strip():
        raise TracingError(_("请填写溯源单标题"))
    if fields.get("priority") is not None and not 1 <= int(fields["priority"]) <= 10:
        raise TracingError(_("优先级须为 1(最高)到 10"))
    if isinstance(fields.get("intervention_date"), str):
        try:
            fields["intervention_date"] = date.fromisoformat(fields["intervention_date"])
        except ValueError:
            raise TracingError(_("整改生效日期须为 YYYY-MM-DD")) from None
    with transaction.atomic():
        case = locked(user, number, expected_version)
        for name, value in fields.items():
            setattr(case, name, value if value is not None or name in NULLABLE else "")
        if branches is not None:
            case.branches.set(_branches(user, branches))
        if hall is not None:
            case.hall = Hall.objects.get(code=hall) if hall else None
        if lead_department is not None:
            case.lead_department = _departments([lead_department])[0] if lead_department else None
        if team is not None:
            case.team_departments.set(_departments(team))
        others = {"branches": branches, "hall": hall, "lead_department": lead_department}
        others["team"] = team
        changed = sorted(set(fields) | {n for n, v in others.items() if v is not None})
        commit(user, case, Kind.UPDATED, ", ".join(changed))
    return case


def move_stage(
    user: Person, number: str, target: str, note: str = "", expected_version: int | None = None
) -> TracingCase:
    """Move the case through its stages (``core.stages``); IllegalStageChange if refused."""
    wanted = stage_of(target)
    with transaction.atomic():
        case = locked(user, number, expected_version)
        here = stage_of(case.stage)
        case.stage = next_stage(here, wanted).value
        commit(user, case, Kind.STAGE, (note or "").strip(), from_stage=here.value,
                to_stage=wanted.value)  # fmt: skip
    return case


def add_measure(
    user: Person,
    number: str,
    title: str,
    *,
    owner_department: str | None = None,
    owner: Any = None,
    deadline: date | None = None,
    expected_version: int | None = None,
) -> CaseMeasure:
    cleaned = (title or "").strip()
    if not cleaned:
        raise TracingError(_("请填写整改措施"))
    with transaction.atomic():
        case = locked(user, number, expected_version)
        measure = CaseMeasure.objects.create(
            case=case,
            title=cleaned[:200],
            owner_department=_departments([owner_department])[0] if owner_department else None,
            owner=owner,
            deadline=deadline,
        )
        commit(user, case, Kind.MEASURE_ADDED, cleaned)
    return measure


def update_measure(
    user: Person,
    number: str,
    measure_id: int,
    *,
    status: str | None = None,
    deadline: date | None = None,
    title: str | None = None,
    expected_version: int | None = None,
) -> CaseMeasure:
    if status is not None and status not in CaseMeasure.Status.values:
        raise TracingError(
            _("未知的措施状态「%(s)s」，可选：%(allowed)s")
            % {"s": status, "allowed": "、".join(CaseMeasure.Status.values)}
        )
    with transaction.atomic():
        case = locked(user, number, expected_version)
        measure = case.measures.get(pk=measure_id)
        if title is not None and title.strip():
            measure.title = title.strip()[:200]
        if deadline is not None:
            measure.deadline = deadline
        if status is not None:
            measure.status = status
            measure.done_at = timezone.now() if status == CaseMeasure.Status.DONE else None
        measure.save()
        commit(user, case, Kind.MEASURE_UPDATED, f"{measure.title}: {measure.status}")
    return measure


def add_note(user: Person, number: str, text: str) -> CaseEvent:
    cleaned = (text or "").strip()
    if not cleaned:
        raise TracingError(_("备注不能为空"))
    with transaction.atomic():
        case = locked(user, number)
        case.version += 1
        case.save()
        return _event(user, case, Kind.NOTE, cleaned)
