"""PDF documents in Chinese: the one writer the monthly report and the meeting minutes use.

A document is structured content — headings, paragraphs, lists, tables (cells may carry a
red / amber / green tone), bar charts and notes — which :func:`render_pdf` lays out on A4 with a
cover, a table of contents, running headers and page numbers.

Why Typst: its compiler ships as a self-contained wheel (``typst`` on PyPI, no system library,
no browser), it breaks Chinese lines by the rules of Chinese typesetting (no 、。」 at a line's
start), justifies mixed Chinese and Latin text, and builds the table of contents and the page
count itself. The fonts are Noto Sans SC (headings, 黑体 style) and Noto Serif SC (body, 宋体
style) from the ``pylopdf-fonts-zh-cn`` wheel (SIL OFL), so ``make demo`` needs no system font;
if that wheel is missing, the OS's ``fonts-noto-cjk`` are used, and without either the render
stops with :class:`FontsMissing` rather than print empty boxes. Typst embeds the subset of every
font it uses in the PDF.

The content reaches the Typst layout (``templates/document.typ``) as JSON in ``sys.inputs``,
read there as data only: no text of a document is ever parsed as Typst markup.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from sqm.lib import charts

TEMPLATE = Path(__file__).with_name("templates") / "document.typ"
# Debian's fonts-noto-cjk: the fallback when the fonts wheel is not installed.
SYSTEM_CJK = Path("/usr/share/fonts/opentype/noto")
Tone = Literal["red", "amber", "green", "grey"]


class DocumentError(RuntimeError):
    """The layout refused the content (a bug in the caller or the template): the message is
    Typst's own, with where it happened."""


class FontsMissing(DocumentError):
    """No font with Chinese glyphs: a PDF would print empty boxes."""


@dataclass(frozen=True, slots=True)
class Heading:
    """Level 1 starts a new page and enters the table of contents with 一、二、…;
    level 2 is numbered （1）（2）… within it."""

    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True, slots=True)
class Note:
    """A grey box: what is missing and why ("no data this month")."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """Cells are text as the reader should see it (format numbers with ``sqm.lib.formats``).
    ``tones[r][c]`` colours a body cell; ``numeric[c]`` right-aligns a column; ``widths`` are
    relative column widths (0 = as wide as its content)."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    tones: Sequence[Sequence[Tone | None]] | None = None
    numeric: Sequence[bool] | None = None
    widths: Sequence[float] | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Series:
    """One bar per label; ``shown`` is the text printed beside the bars (the formatted value)."""

    name: str
    values: Sequence[float | None]
    shown: Sequence[str] | None = None


@dataclass(frozen=True, slots=True)
class BarChart:
    """Horizontal bars, drawn by the layout itself (vector, no image): one row per label,
    one bar per series, scaled to the largest value; negative values draw no bar."""

    title: str
    labels: Sequence[str]
    series: Sequence[Series]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Bullets | Note | Table | BarChart | PageBreak


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    subtitle: str = ""
    author: str = ""
    date: str = ""
    blocks: Sequence[Block] = field(default_factory=list)
    toc: bool = True
    toc_title: str = "目录"
    # {page} and {pages} are replaced with the page and the page count.
    page_label: str = "第 {page} 页 / 共 {pages} 页"


@dataclass(frozen=True, slots=True)
class _Fonts:
    paths: tuple[Path, ...]
    serif: tuple[str, ...]
    sans: tuple[str, ...]


@cache
def _fonts() -> _Fonts:
    try:
        import pylopdf_fonts_zh_cn

        folder = Path(pylopdf_fonts_zh_cn.sans_path()).parent
        if folder.joinpath("NotoSansSC-Regular.otf").is_file():
            return _Fonts((folder,), ("Noto Serif SC", "Noto Sans SC"), ("Noto Sans SC",))
    except ImportError:
        pass
    if any(SYSTEM_CJK.glob("Noto*CJK*")):
        return _Fonts(
            (SYSTEM_CJK,),
            ("Noto Serif CJK SC", "Noto Sans CJK SC"),
            ("Noto Sans CJK SC", "Noto Serif CJK SC"),
        )
    raise FontsMissing(
        "No Chinese font for the PDF: install the project's dependencies (the "
        "pylopdf-fonts-zh-cn package, `make env`) or the system's fonts-noto-cjk."
    )


def _block(block: Block) -> dict[str, Any]:
    match block:
        case Heading(text, level):
            return {"kind": "heading", "text": text, "level": max(1, min(2, level))}
        case Paragraph(text):
            return {"kind": "paragraph", "text": text}
        case Bullets(items):
            return {"kind": "bullets", "items": list(items)}
        case Note(text):
            return {"kind": "note", "text": text}
        case Table():
            width = len(block.headers)
            rows = [[str(c) for c in row] + [""] * (width - len(row)) for row in block.rows]
            if any(len(row) > width for row in rows):
                raise DocumentError(f"a table row has more cells than its {width} headers")
            return {
                "kind": "table",
                "headers": list(block.headers),
                "rows": rows,
                "tones": [list(r) for r in block.tones] if block.tones is not None else None,
                "numeric": list(block.numeric or [False] * width),
                "widths": list(block.widths) if block.widths is not None else None,
                "caption": block.caption,
            }
        case BarChart():
            series = []
            for s in block.series:
                if len(s.values) != len(block.labels):
                    raise DocumentError(f"series {s.name!r} has not one value per label")
                shown = s.shown or ["—" if v is None else f"{v:g}" for v in s.values]
                series.append({"name": s.name, "values": list(s.values), "shown": list(shown)})
            return {
                "kind": "bars",
                "title": block.title,
                "labels": list(block.labels),
                "series": series,
                "note": block.note,
            }
        case PageBreak():
            return {"kind": "pagebreak"}
    raise DocumentError(f"not a document block: {block!r}")


def content_json(document: Document) -> str:
    """The document as the layout reads it (also what a test or a debugger looks at)."""
    fonts = _fonts()
    return json.dumps(
        {
            "title": document.title,
            "subtitle": document.subtitle,
            "author": document.author,
            "date": document.date,
            "toc": document.toc,
            "toc_title": document.toc_title,
            "page_label": document.page_label,
            "fonts": {"serif": list(fonts.serif), "sans": list(fonts.sans)},
            "palette": {
                "ink": charts.INK,
                "house": charts.HOUSE,
                "red": charts.ALERT,
                "amber": charts.AMBER,
                "green": charts.GOOD,
                "grey": charts.GREY,
                "light": charts.LIGHT,
                "series": [charts.HOUSE, *charts.SERIES],
            },
            "blocks": [_block(b) for b in document.blocks],
        },
        ensure_ascii=False,
    )


def _compile(document: Document, **options: Any) -> Any:
    import typst

    fonts = _fonts()
    compiler = typst.Compiler(
        TEMPLATE,
        root=TEMPLATE.parent,
        font_paths=list(fonts.paths),
        ignore_system_fonts=True,
    )
    try:
        return compiler.compile(sys_inputs={"doc": content_json(document)}, **options)
    except typst.TypstError as error:
        raise DocumentError(f"{error.message}\n{error.diagnostic}") from error


def render_pdf(document: Document, *, timestamp: dt.datetime | None = None) -> bytes:
    """The PDF's bytes. ``timestamp`` is the creation date written in the file (the same
    content and timestamp give the same bytes)."""
    when = (timestamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    pdf = _compile(document, format="pdf", timestamp=when)
    assert isinstance(pdf, bytes)
    return pdf


def render_pages(document: Document, *, ppi: float = 96) -> list[bytes]:
    """Each page as a PNG, laid out exactly as in the PDF (previews, screenshots)."""
    pages = _compile(document, format="png", ppi=ppi)
    return pages if isinstance(pages, list) else [pages]


def write_pdf(path: Path, document: Document, *, timestamp: dt.datetime | None = None) -> None:
    """Written beside the target and renamed, so a crash never leaves half a PDF."""
    import os

    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(render_pdf(document, timestamp=timestamp))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
