"""The complaint section's work-order tables: the month's top complaint categories and its
refunds, from the work orders the reader may see (``complaints.services.visible_work_orders``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum

from sqm.assessment.report import figures
from sqm.assessment.report.model import Column, Table
from sqm.complaints import services as complaints
from sqm.complaints.core.categories import category
from sqm.complaints.core.escalation import Level

if TYPE_CHECKING:
    from sqm.assessment.report.sections import Context

TOP = 10


def _category(code: str) -> str:
    try:
        return category(code).name_zh
    except KeyError:
        return code


def tables(ctx: Context) -> list[Table]:
    start, end = figures.month_bounds(ctx.month)
    orders = complaints.visible_work_orders(ctx.user).filter(
        created_at__gte=start, created_at__lt=end
    )
    if ctx.branch is not None:
        orders = orders.filter(branch__code=ctx.branch.code)
    found: list[Table] = []
    top = list(
        orders.values("category")
        .annotate(
            n=Count("id"),
            escalated=Count("id", filter=~Q(level=Level.ORDINARY)),
            repeated=Count("id", filter=Q(is_repeat=True)),
        )
        .order_by("-n", "category")[:TOP]
    )
    total = orders.count()
    if top:
        found.append(
            Table(
                [
                    Column("投诉类别"),
                    Column("工单数", "count"),
                    Column("占比", "share"),
                    Column("升级", "count"),
                    Column("重复", "count"),
                ],
                [
                    [
                        _category(r["category"]),
                        r["n"],
                        r["n"] / total,
                        r["escalated"],
                        r["repeated"],
                    ]
                    for r in top
                ],
                caption=f"本月受理的投诉工单 {total} 件中排名前 {len(top)} 的类别",
            )
        )
    refunds: dict[str, Any] = orders.aggregate(
        # Aliases apart from the relation's name: an alias "refunds" would shadow it.
        paid=Count("refunds", filter=Q(refunds__reversed_at__isnull=True)),
        amount=Sum("refunds__amount", filter=Q(refunds__reversed_at__isnull=True)),
        undone=Count("refunds", filter=Q(refunds__reversed_at__isnull=False)),
    )
    found.append(
        Table(
            [Column("项目"), Column("数值", "number2")],
            [
                ["受理投诉工单（件）", total],
                ["退费笔数", refunds["paid"] or 0],
                ["退费金额（元）", float(refunds["amount"] or 0)],
                ["已冲正退费笔数", refunds["undone"] or 0],
            ],
            caption="退费：本月受理工单登记的退费（含双倍返还），冲正的不计入金额",
        )
    )
    return found
