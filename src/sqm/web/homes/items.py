"""What a home page is made of: sections of work items, each a link to where the work is done.

Every role's home is a list of :class:`Section` built by one small function (``homes.work``,
``homes.figures``, ``homes.supervision``), so each list is testable alone and the page only
draws them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from sqm.lib.periods import parse_period

SHOWN = 8  # items per section; the section's "all" link leads to the full list
MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    url: str
    detail: str = ""  # what makes it work: "逾期 5天12小时", "目标 ≥ 85"
    figure: str = ""  # the number on the right, formatted
    tone: str = ""  # "danger" (late, red), "warn" (soon, amber) or "" (plain)
    mark: str = ""  # a short badge: "VIP", "双人复核"
    # An indicator figure, formatted by the page in the indicator's unit (indicator_format).
    unit: str = ""
    value: float | None = None
    target: float | None = None  # the target, or the province where no target applies
    previous: float | None = None  # the same figure last period
    reference: str = ""  # what ``target`` is: "target" or "province"


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # the section's id on the page (home-<key>)
    title: str
    items: tuple[Item, ...]
    empty: str  # what the section says when there is nothing to do
    more: str | None = None  # the full list
    total: int | None = None  # the full list's size when only the first items are shown
    previous_label: str = ""  # what an item's ``previous`` is ("前一天"); default: last month


def late_by(due: datetime, now: datetime) -> str:
    """``逾期 5天12小时`` or ``剩余 3小时20分`` — how a deadline stands, in days and hours."""
    if now >= due:
        return _("逾期 %(span)s") % {"span": span_text(now - due)}
    return _("剩余 %(span)s") % {"span": span_text(due - now)}


def span_text(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(d)d天%(h)d小时") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d小时%(m)d分") % {"h": hours, "m": minutes}
    return _("%(m)d分钟") % {"m": minutes}


def latest_month(periods: list[str]) -> str | None:
    """The newest computed month of the indicator periods (newest first)."""
    return next((p for p in periods if MONTH.match(p)), None)


def month_before(month: str) -> str:
    return f"{parse_period(month).start - timedelta(days=1):%Y-%m}"
