"""Reading ``label<TAB>text`` files, the shared sets' quirks included."""

from __future__ import annotations

from pathlib import Path

import pytest

from sqm.spam.core.data import DataError, read_labelled, read_texts
from tests.conftest import dataset


def test_labels_may_be_digits_or_words_and_a_header_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "mixed.tsv"
    path.write_text("label\ttext\nspam\tWIN now\nham\thi\n1\t代开发票\n0\t好的\n", encoding="utf-8")
    data = read_labelled(path)
    assert data.labels.tolist() == [1, 0, 1, 0]
    assert data.texts == ["WIN now", "hi", "代开发票", "好的"]


def test_carriage_return_space_line_ends_are_not_rows(tmp_path: Path) -> None:
    path = tmp_path / "crlf.tsv"
    path.write_bytes("0\t第一条\r \n1\t第二条 \r \n".encode())
    data = read_labelled(path)
    assert data.texts == ["第一条", "第二条"]


def test_a_bad_label_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("1\tok\nmaybe\tnot ok\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 2"):
        read_labelled(path)


def test_unlabelled_lines_are_scored_whole(tmp_path: Path) -> None:
    path = tmp_path / "texts.txt"
    path.write_text("1\t代开发票\n一条没有标签的短信\n", encoding="utf-8")
    assert read_texts(path) == ["代开发票", "一条没有标签的短信"]


def test_the_shared_chinese_set_reads_as_documented_with_its_emoji() -> None:
    path = dataset("sms_spam_zh/sms_zh_5000.tsv")
    data = read_labelled(path)
    assert (len(data), data.spam) == (5000, 478)
    raw = path.read_bytes().decode("utf-8")
    private = sum(1 for c in raw if 0xE000 <= ord(c) <= 0xF8FF)
    assert private > 0
    assert sum(1 for t in data.texts for c in t if 0xE000 <= ord(c) <= 0xF8FF) == private


def test_the_shared_english_set_reads_as_documented() -> None:
    data = read_labelled(dataset("sms_spam_en/SMSSpamCollection.tsv"))
    assert (len(data), data.spam) == (5574, 747)
