"""`sqm spam …` run as a user runs it: a separate process, files in, text or JSON out."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sqm.spam.core.data import read_labelled
from tests.conftest import dataset, sqm
from tests.spam.conftest import synthetic_examples


def _write(path: Path, rows: list[tuple[int, str]]) -> Path:
    path.write_text("".join(f"{label}\t{text}\n" for label, text in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shared 1,097-message Chinese set, split 800 / rest with no text in both parts."""
    data = read_labelled(dataset("sms_spam_zh/junk_message_1097.tsv"))
    rows = list(zip(data.labels.tolist(), data.texts, strict=True))
    train, rest = rows[:800], rows[800:]
    seen = {t for _, t in train}
    folder = tmp_path_factory.mktemp("cli")
    return _write(folder / "train.tsv", train), _write(
        folder / "test.tsv", [r for r in rest if r[1] not in seen]
    )


def test_the_sqm_command_has_the_spam_commands(tmp_path: Path) -> None:
    done = sqm(tmp_path, "spam", "--help")
    assert done.returncode == 0, done.stderr
    for command in ("train", "evaluate", "score", "flag", "labels"):
        assert command in done.stdout


@pytest.mark.slow
def test_train_evaluate_and_score_a_model(tmp_path: Path, split: tuple[Path, Path]) -> None:
    train, test = split
    model = tmp_path / "spam.npz"
    trained = sqm(tmp_path, "spam", "train", "--data", str(train), "--model-out", str(model))
    assert trained.returncode == 0, trained.stderr
    assert "cross-validated precision" in trained.stdout
    meta = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
    assert meta["data"]["rows"] == 800 and meta["version"] in trained.stdout

    evaluated = sqm(
        tmp_path, "spam", "evaluate", "--model", str(model), "--data", str(test), "--json"
    )
    assert evaluated.returncode == 0, evaluated.stderr
    figures = json.loads(evaluated.stdout)
    assert set(figures) >= {"precision", "recall", "f1", "accuracy", "n"}
    assert figures["n"] == len(read_labelled(test))
    assert figures["f1"] > 0.8 and figures["accuracy"] > 0.95
    assert figures["model_version"] == meta["version"]

    scored = sqm(tmp_path, "spam", "score", "--model", str(model), "--data", str(test))
    assert scored.returncode == 0, scored.stderr
    lines = scored.stdout.splitlines()
    assert len(lines) == figures["n"] and all(0.0 <= float(x) <= 1.0 for x in lines)
    tsv = sqm(tmp_path, "spam", "score", "--model", str(model), "--data", str(test), "--tsv")
    first = tsv.stdout.splitlines()[0].split("\t")
    assert float(first[0]) == float(lines[0]) and first[1] in ("0", "1")
    assert first[2] == read_labelled(test).texts[0]


def test_training_data_in_the_wrong_form_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("1\tok\nperhaps\tno\n", encoding="utf-8")
    done = sqm(tmp_path, "spam", "train", "--data", str(bad), "--model-out", str(tmp_path / "m"))
    assert done.returncode == 2 and "line 2" in done.stderr


@pytest.mark.slow
def test_flag_opens_cases_from_the_stored_reports_and_the_loop_retrains(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    examples = synthetic_examples(400)
    model = tmp_path / "spam.npz"
    training = _write(
        tmp_path / "train.tsv", list(zip(examples.labels.tolist(), examples.texts, strict=True))
    )
    assert (
        sqm(
            data_dir, "spam", "train", "--data", str(training), "--model-out", str(model)
        ).returncode
        == 0
    )
    reports = tmp_path / "reports.csv"
    spam = [t for t, label in zip(examples.texts, examples.labels.tolist(), strict=True) if label][
        :6
    ]
    with open(reports, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["report_id", "reporter", "sender", "at", "branch", "origin", "text"])
        for i, text in enumerate(spam):
            out.writerow(
                [
                    f"R{i}",
                    f"1370000{i:04d}",
                    "13912345678",
                    f"2026-03-02 01:0{i}:00",
                    "NJ",
                    "customer_report",
                    text,
                ]
            )
        for i in range(10):
            out.writerow(
                [
                    f"G{i}",
                    "",
                    f"1350000{i:04d}",
                    f"2026-03-02 09:0{i}:00",
                    "WX",
                    "gateway_sample",
                    "晚上一起吃饭吗",
                ]
            )
    ingested = sqm(data_dir, "ingest", "sms_reports", str(reports))
    assert ingested.returncode == 0 and "accepted 16" in ingested.stdout, ingested.stderr

    flagged = sqm(data_dir, "spam", "flag", "--model", str(model))
    assert flagged.returncode == 0, flagged.stderr
    assert "16 messages from 11 senders; opened 1 cases" in flagged.stdout
    again = sqm(data_dir, "spam", "flag")  # the registered model is now the active one
    assert "opened 0 cases, 1 already open" in again.stdout, again.stderr

    labels = sqm(data_dir, "spam", "labels", "--out", str(tmp_path / "reviewed.tsv"))
    assert labels.returncode == 0 and "0 messages" in labels.stdout  # nobody has decided yet
    retrained = sqm(
        data_dir,
        "spam",
        "train",
        "--data",
        str(training),
        "--model-out",
        str(tmp_path / "m2.npz"),
        "--from-reviews",
        "--register",
    )
    assert retrained.returncode == 0, retrained.stderr
    assert "reviewed cases give 0 messages" in retrained.stderr
