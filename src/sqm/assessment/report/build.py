"""Building the monthly report: the month's figures read once, the sections built, then the
PDF and the workbook written from the same sections."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

from sqm.assessment.report import figures, render, sections
from sqm.assessment.report.model import Report
from sqm.assessment.report.months import month_period, previous_month
from sqm.lib import documents, excel

if TYPE_CHECKING:
    from sqm.lib.people import Requester


class UnknownBranch(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Built:
    report: Report
    pdf: bytes
    xlsx: bytes

    @property
    def filename_stem(self) -> str:
        scope = self.report.branch or "全省"
        return f"月度服务质量分析报告-{self.report.month}-{scope}"


def context(user: Requester, month: str, branch: str | None = None) -> sections.Context:
    """The month's figures as ``user`` may see them; ``branch`` makes a branch version.
    Raises ``PeriodError`` for a month not written YYYY-MM and ``UnknownBranch``."""
    month_period(month)
    everyone = figures.branches()
    chosen = None
    if branch is not None:
        chosen = next((b for b in everyone if b.code == branch.upper()), None)
        if chosen is None:
            codes = ", ".join(b.code for b in everyone)
            raise UnknownBranch(f"no branch {branch!r}; the branches are {codes}")
    previous = previous_month(month)
    return sections.Context(
        user=user,
        month=month,
        previous=previous,
        branch=chosen,
        branches=everyone,
        this=figures.indicator_month(user, month),
        last=figures.indicator_month(user, previous),
    )


def build(
    user: Requester, month: str, branch: str | None = None, *, pdf: bool = True, xlsx: bool = True
) -> Built:
    """The report as ``user`` may see it; ``pdf``/``xlsx`` False skips that file (b"")."""
    report = sections.report(context(user, month, branch))
    now = timezone.localtime().replace(microsecond=0)
    document = render.document(report, f"{now:%Y-%m-%d %H:%M}")
    return Built(
        report,
        documents.render_pdf(document, timestamp=now) if pdf else b"",
        excel.workbook_bytes(render.sheets(report)) if xlsx else b"",
    )


def write(built: Built, pdf: Path, xlsx: Path) -> None:
    """Each file written beside its target and renamed: never half a report."""
    for path, content in ((pdf, built.pdf), (xlsx, built.xlsx)):
        partial = path.with_name(f".{path.name}.partial")
        try:
            partial.write_bytes(content)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
