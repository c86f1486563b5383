"""The lists of people who answer for figures: a branch manager's red indicators and rank, the
analyst's red indicators by branch, a department's red indicators, the executive's page.

Red is the indicators app's one rule (``indicators.services.missed_targets`` and ``light``):
against the target where one applies, otherwise against the province. A branch manager is
shown their own rank, never another branch's figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sqm.complaints import services as complaints
from sqm.improvement import services as improvement
from sqm.improvement.core.actions import PENDING
from sqm.indicators import services as indicators
from sqm.indicators.core.scorecard import ranks
from sqm.lib.language import localized_name
from sqm.org.models import Branch
from sqm.org.scoping import scope_of
from sqm.web.homes.items import SHOWN, Item, Section, late_by, latest_month, month_before
from sqm.web.homes.work import RAISED, RUNNING, open_items_sections, order_item, vip_first

if TYPE_CHECKING:
    from sqm.lib.people import Requester


# The figures a manager and an executive look at first: complaints, satisfaction, the
# hotline's VIP service level, complaints handled on time, hall waits.
KEY_INDICATORS = (
    "complaints_per_10k_customers",
    "satisfaction_overall_score",
    "hotline_service_level_15s",
    "complaint_handled_on_time_rate",
    "hall_mean_wait_minutes",
)
WORST_PROBLEMS = 3


def _branch_names() -> dict[str, str]:
    return {b.code: localized_name(b) for b in Branch.objects.all()}


def _indicator_url(indicator_id: str, branch: str | None = None) -> str:
    url = reverse("indicators:indicator", args=[indicator_id])
    return f"{url}?branch={branch}" if branch else url


def _previous_values(user: Requester, month: str, branch: str | None) -> dict[str, float | None]:
    cut: tuple[str, ...] = ("branch",) if branch else ()
    filters: dict[str, Any] = {"operator": "us"}
    if branch:
        filters["branch"] = branch
    rows = indicators.results_of(user, month_before(month), cut, **filters)
    return dict(rows.values_list("indicator", "value"))


def _red_item(red: indicators.MissedTarget, previous: dict[str, float | None], label: str) -> Item:
    return Item(
        label=label,
        url=_indicator_url(red.indicator, red.branch),
        unit=indicators.indicator(red.indicator).unit,
        value=red.value,
        target=red.target if red.target is not None else red.province,
        reference="target" if red.target is not None else "province",
        previous=previous.get(red.indicator),
        tone="danger",
    )


def _no_figures() -> Section:
    return Section(
        "no-figures",
        _("指标"),
        (),
        _("还没有计算过的指标月份;系统管理员导入数据并计算后,这里会列出未达标的指标。"),
        more=reverse("indicators:overview"),
    )


def branch_reds(user: Requester, branch: str, month: str) -> Section:
    """The branch's red figures of the month, each against target (or the province) and
    against last month."""
    reds = indicators.missed_targets(month, branches=[branch], include_province=False)
    previous = _previous_values(user, month, branch)
    items = [_red_item(red, previous, red.name) for red in reds]
    return Section(
        "reds",
        _("本分公司未达标的指标(%(month)s)") % {"month": month},
        tuple(items),
        _("本月所有指标都达标"),
        more=reverse("indicators:branch", args=[branch]),
        total=len(items),
    )


def red_counts(month: str) -> Counter[str]:
    """How many red figures each branch has in the month (branches without any: 0)."""
    counts: Counter[str] = Counter({code: 0 for code in _branch_names()})
    for red in indicators.missed_targets(month, include_province=False):
        if red.branch:
            counts[red.branch] += 1
    return counts


def branch_rank(branch: str, month: str) -> Section:
    """The branch's place among the 13: by its number of red figures, then on each key
    indicator. Only the branch's own rank is shown, never another branch's figure."""
    counts = red_counts(month)
    fewer = sum(1 for n in counts.values() if n < counts[branch])
    items = [
        Item(
            label=_("未达标指标数"),
            url=reverse("indicators:branch", args=[branch]),
            figure=_("第 %(rank)d / %(of)d 名") % {"rank": fewer + 1, "of": len(counts)},
            detail=_("%(n)d 项未达标") % {"n": counts[branch]},
        )
    ]
    for indicator_id in KEY_INDICATORS:
        entry = indicators.indicator(indicator_id)
        ranked = ranks(entry, indicators.all_branch_values(month, indicator_id))
        if branch not in ranked:
            continue
        items.append(
            Item(
                label=localized_name(entry),
                url=_indicator_url(indicator_id, branch),
                figure=_("第 %(rank)d / %(of)d 名") % {"rank": ranked[branch], "of": len(ranked)},
            )
        )
    return Section(
        "rank", _("本分公司在全省的排名"), tuple(items), _("暂无排名"), more=None, total=None
    )


def raised_orders(user: Requester, now: datetime) -> list[Section]:
    """Breached and escalated work orders, and the appeals to the regulator (VIP first)."""
    rows = (
        complaints.visible_work_orders(user)
        .filter(status__in=RUNNING)
        .filter(Q(resolution_due__lte=now) | Q(level__in=RAISED))
        .select_related("tier", "branch")
    )
    orders = sorted(rows, key=vip_first)
    breached = [wo for wo in orders if wo.level != "appeal"]
    appeals = [wo for wo in orders if wo.level == "appeal"]
    queue = reverse("complaints:queue")
    return [
        Section(
            "raised",
            _("超时与升级的工单"),
            tuple(order_item(wo, wo.resolution_due, now) for wo in breached[:SHOWN]),
            _("没有超时或升级的工单"),
            more=f"{queue}?queue=escalated",
            total=len(breached),
        ),
        Section(
            "appeals",
            _("管局申诉"),
            tuple(order_item(wo, wo.resolution_due, now) for wo in appeals[:SHOWN]),
            _("没有进行中的管局申诉"),
            more=f"{queue}?queue=escalated",
            total=len(appeals),
        ),
    ]


def manager_sections(user: Requester, now: datetime) -> list[Section]:
    branches = scope_of(user).branches or frozenset()
    month = latest_month(indicators.periods())
    sections: list[Section] = []
    for branch in sorted(branches):
        if month is None:
            sections.append(_no_figures())
        else:
            sections += [branch_reds(user, branch, month), branch_rank(branch, month)]
    actions = overdue_actions(user, now)
    return sections + raised_orders(user, now) + ([actions] if actions else [])


def reds_by_branch(month: str) -> Section:
    """The month's red figures grouped by branch (the province first), most reds first."""
    names = _branch_names()
    grouped: dict[str | None, list[indicators.MissedTarget]] = {}
    for red in indicators.missed_targets(month):
        grouped.setdefault(red.branch, []).append(red)
    order = sorted(grouped, key=lambda code: (code is not None, -len(grouped[code]), code or ""))
    items = []
    for code in order:
        reds = grouped[code]
        items.append(
            Item(
                label=names.get(code, code) if code else _("全省"),
                url=reverse("indicators:branch", args=[code])
                if code
                else reverse("indicators:overview"),
                figure=_("%(n)d 项") % {"n": len(reds)},
                detail="、".join(r.name for r in reds[:3]) + ("…" if len(reds) > 3 else ""),
                tone="danger",
            )
        )
    return Section(
        "reds-by-branch",
        _("各分公司未达标的指标(%(month)s)") % {"month": month},
        tuple(items),
        _("本月所有指标都达标"),
        more=reverse("indicators:overview"),
        total=len(items),
    )


def overdue_actions(user: Requester, now: datetime) -> Section | None:
    """The improvement actions past their deadline in the user's scope (a branch's, a
    department's, the province's), read through ``sqm.improvement.services``; None for a
    role that does not see improvement actions."""
    if not improvement.can_view_actions(user):
        return None
    today = timezone.localdate(now)
    rows = (
        improvement.visible_actions(user)
        .filter(status__in=[s.value for s in PENDING], deadline__lt=today)
        .select_related("owner_department", "branch")
        .order_by("deadline", "id")
    )
    items = [
        Item(
            label=f"#{action.pk} {action.title}",
            url=reverse("improvement:action", args=[action.pk]),
            detail=" · ".join(
                part
                for part in (
                    late_by(now - timedelta(days=(today - action.deadline).days), now),
                    localized_name(action.owner_department),
                    localized_name(action.branch) if action.branch else "",
                )
                if part
            ),
            tone="danger",
        )
        for action in rows[:SHOWN]
    ]
    return Section(
        "overdue-actions",
        _("逾期的改进措施"),
        tuple(items),
        _("没有逾期的改进措施"),
        more=reverse("improvement:actions"),
        total=rows.count(),
    )


def analyst_sections(user: Requester, now: datetime) -> list[Section]:
    month = latest_month(indicators.periods())
    sections = [reds_by_branch(month) if month else _no_figures()]
    actions = overdue_actions(user, now)
    return sections + ([actions] if actions else [])


def department_reds(user: Requester, department: str, month: str) -> Section:
    """The red figures of the indicators the department is accountable for (the catalog's
    ``department``), in the province and every branch."""
    names = _branch_names()
    previous: dict[str, float | None] = {}
    reds = indicators.missed_targets(month, departments=[department])
    if any(red.branch is None for red in reds):
        previous = _previous_values(user, month, None)
    items = [
        _red_item(
            red,
            previous if red.branch is None else {},
            f"{red.name} · {names.get(red.branch, red.branch) if red.branch else _('全省')}",
        )
        for red in reds
    ]
    return Section(
        "department-reds",
        _("本部门负责、未达标的指标(%(month)s)") % {"month": month},
        tuple(items[: SHOWN * 2]),
        _("本部门负责的指标本月都达标"),
        more=reverse("indicators:overview"),
        total=len(items),
    )


def liaison_sections(user: Requester, now: datetime) -> list[Section]:
    department = scope_of(user).department
    month = latest_month(indicators.periods())
    sections: list[Section] = []
    if department and month:
        sections.append(department_reds(user, department, month))
    elif month is None:
        sections.append(_no_figures())
    actions = overdue_actions(user, now)
    return sections + open_items_sections(user, now) + ([actions] if actions else [])


def key_figures(user: Requester, month: str) -> Section:
    """The province's key figures against target and last month."""
    current = {
        r.indicator: r
        for r in indicators.results_of(user, month, (), operator="us", indicator__in=KEY_INDICATORS)
    }
    previous = _previous_values(user, month, None)
    items = []
    for indicator_id in KEY_INDICATORS:
        result = current.get(indicator_id)
        if result is None:
            continue
        entry = indicators.indicator(indicator_id)
        lit = indicators.light(entry, result.value, result.target, result.status, None)
        items.append(
            Item(
                label=localized_name(entry),
                url=_indicator_url(indicator_id),
                unit=entry.unit,
                value=result.value,
                target=result.target,
                reference="target" if result.target is not None else "",
                previous=previous.get(indicator_id),
                tone={"red": "danger", "amber": "warn"}.get(lit or "", ""),
            )
        )
    return Section(
        "key-figures",
        _("关键指标(%(month)s)") % {"month": month},
        tuple(items),
        _("本月还没有关键指标"),
        more=reverse("indicators:overview"),
    )


def branch_ranking(month: str) -> Section:
    """The 13 branches, fewest red figures first."""
    names = _branch_names()
    counts = red_counts(month)
    ordered = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]))
    items = [
        Item(
            label=f"{position}. {names.get(code, code)}",
            url=reverse("indicators:branch", args=[code]),
            figure=_("%(n)d 项未达标") % {"n": n},
            tone="danger" if n and position > len(ordered) - 3 else "",
        )
        for position, (code, n) in enumerate(ordered, start=1)
    ]
    return Section("ranking", _("13个分公司排名(未达标指标数)"), tuple(items), _("暂无排名"))


def shortfall(red: indicators.MissedTarget) -> float:
    """How far a red figure is from its reference, relative to it."""
    reference = red.target if red.target is not None else red.province
    if reference is None or reference == 0:
        return 0.0
    return abs(red.value - reference) / abs(reference)


def worst_problems(month: str, reds: Iterable[indicators.MissedTarget] | None = None) -> Section:
    """The three red figures furthest from their target (or from the province)."""
    names = _branch_names()
    found = sorted(
        indicators.missed_targets(month) if reds is None else reds, key=shortfall, reverse=True
    )
    items = [
        _red_item(
            red,
            {},
            f"{red.name} · {names.get(red.branch, red.branch) if red.branch else _('全省')}",
        )
        for red in found[:WORST_PROBLEMS]
    ]
    return Section("worst", _("最突出的三个问题"), tuple(items), _("本月没有未达标的指标"))


def executive_sections(user: Requester, now: datetime) -> list[Section]:
    month = latest_month(indicators.periods())
    if month is None:
        return [_no_figures()]
    return [key_figures(user, month), branch_ranking(month), worst_problems(month)]
