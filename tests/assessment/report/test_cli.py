"""`sqm report monthly`, run as a user runs it, on a tiny generated and computed month."""

from __future__ import annotations

import subprocess
import sys
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from sqm.demo.core.generator import generate_month
from tests.assessment.report.test_monthly import NAMES, SECTIONS
from tests.conftest import sqm, sqm_environment

MONTH = "2026-03"
pytestmark = pytest.mark.slow  # a tiny month generated and computed, and the CLI's processes


# What a user has run before the report: the org loaded (`sqm org load`) and the month computed
# (`sqm compute`) — here the two cuts the report reads, in one process to keep the test short.
PREPARE = """
import sys
from sqm.bootstrap import setup
folder = setup(None)
from sqm.indicators.results import compute_and_store
from sqm.org.reference import load_province
load_province()
compute_and_store(folder, sys.argv[1], [(), ("branch",)])
"""


@pytest.fixture(scope="module")
def computed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-tiny")
    generate_month(folder, scale="tiny", month=MONTH, seed=17)
    done = subprocess.run(
        [sys.executable, "-c", PREPARE, MONTH],
        env=sqm_environment(folder),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return folder


def test_the_command_writes_a_pdf_and_a_workbook_of_the_real_month(
    computed_dir: Path, tmp_path: Path
) -> None:
    pdf, xlsx = tmp_path / "月报.pdf", tmp_path / "月报.xlsx"
    args = ["report", "monthly", "--month", MONTH, "--pdf", str(pdf), "--xlsx", str(xlsx)]
    done = sqm(computed_dir, *args)
    assert done.returncode == 0, done.stderr
    assert "10 sections for 全省 2026-03" in done.stdout
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.read_bytes())).pages)
    for _sheet, title in SECTIONS:
        assert title in text
    for name in NAMES.values():
        assert name in text
    assert "尚无指标计算结果" not in text  # the computed figures were read
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == [sheet for sheet, _title in SECTIONS]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026/03"], "YYYY-MM"),
        (["--month", MONTH, "--branch", "XX"], "no branch 'XX'; the branches are NJ, WX"),
    ],
)
def test_bad_input_exits_2_with_the_reason_and_writes_nothing(
    computed_dir: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    done = sqm(computed_dir, "report", "monthly", *args, "--pdf", str(pdf), "--xlsx", str(xlsx))
    assert done.returncode == 2 and message in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused_before_anything_is_built(
    computed_dir: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "nope" / "r.pdf"
    done = sqm(
        computed_dir, "report", "monthly", "--month", MONTH, "--pdf", str(missing),
        "--xlsx", str(tmp_path / "r.xlsx"),
    )  # fmt: skip
    assert done.returncode == 2 and "no folder" in done.stderr
