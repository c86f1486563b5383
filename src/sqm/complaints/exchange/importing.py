"""Bulk intake from CSV or Excel (.xlsx): one work order per good row, a rejected file with the
reason for every bad one.

Headers may be the field codes or their Chinese names (``channel`` or ``受理渠道``); values of
channel, severity and category may be codes or Chinese names. Required: channel, category,
severity, customer_id, branch, description. Optional: external_id, customer_phone, tier,
hall, created_at (``YYYY-MM-DD HH:MM[:SS]``, local time; default: now), related
(``type:id`` items separated by ``;``).

Re-importing the same file creates nothing new: each row is identified by its external id or,
without one, by a key hashed from its cells (stored as the external id ``ROW-…``), and a row
whose identity is already registered counts as a duplicate, not an error. Each row is created
through ``services.create_work_order`` (so clocks, repeats and the audit log apply), in order
of creation time so that repeats link to the earlier row; the importing user is the first-ask
owner.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from sqm.complaints.core.categories import CATEGORIES, IntakeChannel, Severity
from sqm.complaints.core.states import IllegalTransition
from sqm.complaints.workflow.guard import DuplicateExternalId, WorkflowError, require_writer
from sqm.complaints.workflow.lifecycle import create_work_order
from sqm.org.models import Channel

if TYPE_CHECKING:
    from sqm.lib.people import Person


HEADERS: dict[str, str] = {
    "外部单号": "external_id",
    "受理渠道": "channel",
    "投诉类别": "category",
    "严重程度": "severity",
    "客户标识": "customer_id",
    "联系电话": "customer_phone",
    "分公司": "branch",
    "客户级别": "tier",
    "营业厅": "hall",
    "投诉内容": "description",
    "受理时间": "created_at",
    "关联对象": "related",
}
FIELDS = frozenset(HEADERS.values())
LABELS = {code: name for name, code in HEADERS.items()}
REQUIRED = ("channel", "category", "severity", "customer_id", "branch", "description")
SEVERITY_NAMES = {"一般": "low", "较重": "medium", "严重": "high", "紧急": "critical"}
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


class ImportFileError(ValueError):
    """The file cannot be read as an intake file at all (format, headers)."""


@dataclass
class ImportReport:
    rows: int = 0
    created: list[str] = field(default_factory=list)  # work-order numbers
    duplicates: int = 0
    rejected: int = 0
    rejected_path: Path | None = None


# -- reading ----------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number Excel stored as a number
    return str(value).strip()


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel's UTF-8 with BOM, or Chinese Windows
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ImportFileError(_("无法识别文件编码"))
    # newline="" as csv wants (and the event ingest does): a line break inside a quoted cell
    # stays part of the cell instead of ending the record.
    return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(_("无法读取Excel文件：%(error)s") % {"error": error}) from None
    try:
        sheet = book.worksheets[0]
        return [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header (as field codes) and data rows (blank rows dropped)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
    else:
        raise ImportFileError(_("只支持 .csv 和 .xlsx 文件：%(name)s") % {"name": path.name})
    if not table:
        raise ImportFileError(_("文件是空的"))
    header = [HEADERS.get(h.strip(), h.strip()) for h in table[0]]
    unknown = [h for h in header if h and h not in FIELDS]
    if unknown:
        raise ImportFileError(_("未知的列：%(unknown)s") % {"unknown": "、".join(unknown)})
    missing = [f for f in REQUIRED if f not in header]
    if missing:
        raise ImportFileError(
            _("缺少必填列：%(missing)s") % {"missing": "、".join(LABELS[f] for f in missing)}
        )
    rows = [row for row in table[1:] if any(cell for cell in row)]
    return header, rows


# -- checking one row -------------------------------------------------------------------------
def _names() -> dict[str, dict[str, str]]:
    channels = {c.value: c.value for c in IntakeChannel}
    channels.update(
        (name, code)
        for code, name in Channel.objects.values_list("code", "name_zh")
        if code in channels
    )
    categories = {c.code: c.code for c in CATEGORIES}
    by_name: dict[str, list[str]] = {}
    for c in CATEGORIES:
        by_name.setdefault(c.name_zh, []).append(c.code)
    categories.update((name, codes[0]) for name, codes in by_name.items() if len(codes) == 1)
    severities = {s.value: s.value for s in Severity} | SEVERITY_NAMES
    return {"channel": channels, "category": categories, "severity": severities}


def _created_at(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        for pattern in TIME_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            raise WorkflowError(
                _("受理时间格式不对：%(text)s（应为 YYYY-MM-DD HH:MM）") % {"text": text}
            ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _related(text: str) -> list[dict[str, str]]:
    items = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        kind, sep, ident = part.partition(":")
        if not sep or not ident.strip():
            raise WorkflowError(
                _("关联对象应写成 类型:编号，例如 bill:B202603：%(part)s") % {"part": part}
            )
        items.append({"role": "related", "type": kind.strip(), "id": ident.strip()})
    return items


def row_key(values: dict[str, str]) -> str:
    """The row's identity when it carries no external id."""
    canonical = "\x1f".join(f"{k}={values.get(k, '')}" for k in sorted(FIELDS))
    return "ROW-" + hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _arguments(values: dict[str, str], names: dict[str, dict[str, str]]) -> dict[str, Any]:
    empty = [f for f in REQUIRED if not values.get(f)]
    if empty:
        raise WorkflowError(
            _("必填项为空：%(empty)s") % {"empty": "、".join(LABELS[f] for f in empty)}
        )
    coded = {}
    for name, table in names.items():
        value = values[name]
        coded[name] = table.get(value, value)
    return {
        **coded,
        "customer_id": values["customer_id"],
        "customer_phone": values.get("customer_phone", ""),
        "branch": values["branch"],
        "tier": values.get("tier") or None,
        "hall": values.get("hall") or None,
        "description": values["description"],
        "related": _related(values.get("related", "")),
        "created_at": _created_at(values.get("created_at", "")),
        "external_id": values.get("external_id") or row_key(values),
    }


# -- the import -------------------------------------------------------------------------------
def _records(header: list[str], rows: list[list[str]]) -> Iterator[tuple[int, dict[str, str]]]:
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        padded = row + [""] * (len(header) - len(row))
        yield number, {h: v for h, v in zip(header, padded, strict=False) if h}


def import_file(actor: Person, path: Path, rejected_path: Path | None = None) -> ImportReport:
    """Create a work order per good row of ``path``; bad rows go to ``rejected_path``
    (default: ``<name>.rejected.csv`` beside it) with ``_row`` and ``_reason`` columns."""
    require_writer(actor)
    header, rows = read_rows(path)
    names = _names()
    report = ImportReport(rows=len(rows))
    bad: list[tuple[int, dict[str, str], str]] = []
    good: list[tuple[int, dict[str, str], dict[str, Any]]] = []
    for number, values in _records(header, rows):
        try:
            good.append((number, values, _arguments(values, names)))
        except WorkflowError as error:
            bad.append((number, values, str(error)))
    earliest = timezone.now()
    good.sort(key=lambda item: (item[2]["created_at"] or earliest, item[0]))
    for number, values, arguments in good:
        try:
            report.created.append(create_work_order(actor, **arguments).number)
        except DuplicateExternalId:
            report.duplicates += 1
        except (WorkflowError, IllegalTransition, PermissionDenied) as error:
            bad.append((number, values, str(error)))
    report.rejected = len(bad)
    if bad:
        target = rejected_path or path.with_name(f"{path.stem}.rejected.csv")
        _write_rejected(target, header, sorted(bad, key=lambda item: item[0]))
        report.rejected_path = target
    return report


def _write_rejected(
    target: Path, header: list[str], bad: list[tuple[int, dict[str, str], str]]
) -> None:
    columns = [h for h in header if h]
    with open(target, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*columns, "_row", "_reason"])
        for number, values, reason in bad:
            writer.writerow([*(values.get(c, "") for c in columns), number, reason])
