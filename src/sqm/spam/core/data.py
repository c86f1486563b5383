"""Labelled SMS files: ``label<TAB>text`` per line, label 1/0 or spam/ham.

The shared Chinese set ends its lines with ``\\r \\n`` (carriage return, space, line feed), so
lines are split on line feeds only and trailing spaces and carriage returns are dropped; any
other character, private-use emoji included, is part of the text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

SPAM_LABELS = frozenset({"1", "spam"})
HAM_LABELS = frozenset({"0", "ham"})


class DataError(ValueError):
    """A file that is not in ``label<TAB>text`` form; the message names the line."""


@dataclass(frozen=True, slots=True)
class LabelledTexts:
    texts: list[str]
    labels: npt.NDArray[np.int64]  # 1 = spam, 0 = ham
    name: str = ""

    def __post_init__(self) -> None:
        if len(self.texts) != len(self.labels):
            raise DataError("texts and labels differ in length")

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def spam(self) -> int:
        return int(self.labels.sum())

    def sha256(self) -> str:
        """A fingerprint of the rows in order (the model version is derived from it)."""
        digest = hashlib.sha256()
        for label, text in zip(self.labels.tolist(), self.texts, strict=True):
            digest.update(f"{label}\t{text}\n".encode())
        return digest.hexdigest()

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[int, str]], name: str = "") -> LabelledTexts:
        rows = list(pairs)
        return cls([t for _, t in rows], np.array([lab for lab, _ in rows], np.int64), name)


def concat(parts: Sequence[LabelledTexts], name: str = "") -> LabelledTexts:
    texts = [t for part in parts for t in part.texts]
    labels = np.concatenate([part.labels for part in parts]) if parts else np.zeros(0, np.int64)
    return LabelledTexts(texts, labels.astype(np.int64), name or "+".join(p.name for p in parts))


def parse_label(value: str) -> int | None:
    """1 for spam, 0 for ham, None when ``value`` is not a label."""
    key = value.strip().lower()
    if key in SPAM_LABELS:
        return 1
    if key in HAM_LABELS:
        return 0
    return None


def _lines(path: Path) -> Iterable[tuple[int, str]]:
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    for number, line in enumerate(content.split("\n"), start=1):
        line = line.rstrip(" \r")
        if line.strip():
            yield number, line


def read_labelled(path: Path | str) -> LabelledTexts:
    """Every non-empty line of ``path`` as (label, text); a header ``label<TAB>text`` is skipped."""
    path = Path(path)
    pairs: list[tuple[int, str]] = []
    for number, line in _lines(path):
        label_text, tab, text = line.partition("\t")
        label = parse_label(label_text)
        if label is None:
            if number == 1 and label_text.strip().lower() == "label":
                continue
            shown = label_text[:20] if tab else line[:20]
            raise DataError(
                f"{path.name}, line {number}: expected label<TAB>text with label 1/0 or "
                f"spam/ham, got {shown!r}"
            )
        pairs.append((label, text))
    return LabelledTexts.from_pairs(pairs, path.name)


def read_texts(path: Path | str) -> list[str]:
    """The texts of ``path``: lines in ``label<TAB>text`` form give their text; other lines
    are texts whole (so unlabelled files can be scored too)."""
    texts: list[str] = []
    for _, line in _lines(Path(path)):
        label_text, tab, text = line.partition("\t")
        texts.append(text if tab and parse_label(label_text) is not None else line)
    return texts
