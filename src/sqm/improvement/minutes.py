"""The meeting's minutes as a document: Word-compatible ``.docx`` (python-docx) and PDF
(``sqm.lib.documents``), in Chinese, with the agenda, the decisions and their owners."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqm.improvement.choices import AgendaKindChoices
from sqm.improvement.meetings import attendee_labels
from sqm.improvement.models import Meeting
from sqm.lib import documents


@dataclass(frozen=True)
class Minutes:
    title: str
    date: str
    chair: str
    departments: list[str]
    attendees: list[str]
    agenda: list[tuple[str, str, str]]  # (kind, title, department)
    text: str
    decisions: list[tuple[str, str, str, str, str]]  # (decision, action, dept, owner, deadline)


def gather(meeting: Meeting) -> Minutes:
    decisions = []
    for d in meeting.decisions.select_related(
        "action", "action__owner_department", "action__owner"
    ):
        item = getattr(d, "action", None)
        decisions.append(
            (
                d.text,
                f"{item.number} {item.title}" if item else "",
                item.owner_department.name_zh if item else "",
                (item.owner.get_full_name() or item.owner.get_username())
                if item and item.owner
                else "",
                f"{item.deadline:%Y-%m-%d}" if item else "",
            )
        )
    return Minutes(
        title=meeting.title,
        date=f"{meeting.date:%Y年%m月%d日}",
        chair=meeting.chair_name,
        departments=[d.name_zh for d in meeting.attendee_departments.order_by("code")],
        attendees=attendee_labels(
            meeting.attendees.select_related("sqm_profile__department", "sqm_profile__branch")
        ),
        agenda=[
            (AgendaKindChoices.label(i.kind), i.title, i.department)
            for i in meeting.agenda.filter(removed=False)
        ],
        text=meeting.minutes,
        decisions=decisions,
    )


DECISION_HEADERS = ["决议", "督办事项", "责任部门", "责任人", "完成时限"]


def docx_bytes(minutes: Minutes) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document()
    # East Asian text takes its own font slot in Word; without it Chinese falls back oddly.
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    doc.add_heading(minutes.title, level=0)
    doc.add_paragraph(f"会议日期：{minutes.date}")
    doc.add_paragraph(f"主持人：{minutes.chair or '—'}")
    doc.add_paragraph(f"参会部门：{'、'.join(minutes.departments) or '—'}")
    doc.add_paragraph(f"参会人员：{'、'.join(minutes.attendees) or '—'}")
    doc.add_heading("一、会议议程", level=1)
    for n, (kind, title, department) in enumerate(minutes.agenda, start=1):
        suffix = f"（{department}）" if department else ""
        doc.add_paragraph(f"{n}. [{kind}] {title}{suffix}")
    doc.add_heading("二、会议纪要", level=1)
    for line in (minutes.text or "（无）").splitlines():
        doc.add_paragraph(line)
    doc.add_heading("三、会议决议及督办事项", level=1)
    if minutes.decisions:
        table = doc.add_table(rows=1, cols=len(DECISION_HEADERS))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, DECISION_HEADERS, strict=True):
            cell.text = header
        for row in minutes.decisions:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = value
    else:
        doc.add_paragraph("（本次会议无决议）")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_bytes(minutes: Minutes) -> bytes:
    blocks: list[documents.Block] = [
        documents.Paragraph(f"会议日期：{minutes.date}"),
        documents.Paragraph(f"主持人：{minutes.chair or '—'}"),
        documents.Paragraph(f"参会部门：{'、'.join(minutes.departments) or '—'}"),
        documents.Paragraph(f"参会人员：{'、'.join(minutes.attendees) or '—'}"),
        documents.Heading("会议议程"),
        documents.Table(
            headers=["序号", "类型", "议题", "责任部门"],
            rows=[
                [str(n), kind, title, department]
                for n, (kind, title, department) in enumerate(minutes.agenda, start=1)
            ],
        )
        if minutes.agenda
        else documents.Note("本次会议无议程条目"),
        documents.Heading("会议纪要"),
        *[documents.Paragraph(line) for line in (minutes.text or "（无）").splitlines() if line],
        documents.Heading("会议决议及督办事项"),
        documents.Table(headers=DECISION_HEADERS, rows=[list(r) for r in minutes.decisions])
        if minutes.decisions
        else documents.Note("本次会议无决议"),
    ]
    document = documents.Document(
        title=minutes.title, subtitle="会议纪要", date=minutes.date, blocks=blocks, toc=False
    )
    return documents.render_pdf(document)
