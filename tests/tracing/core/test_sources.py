"""Detection over the event store: the demo's planted incidents are found without reading the
manifest, a real ingested file runs through, and the effect reads the store's counts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sqm.demo.core.generator import generate_month
from sqm.events.core.ingest import ingest_file
from sqm.events.core.store import EventStore
from sqm.tracing.core.scoring import score
from sqm.tracing.core.signals import EVIDENCE_LIMIT, SignalKind
from sqm.tracing.core.sources import (
    complaint_effect,
    detect_month,
    run_detection,
    satisfaction_change,
)
from tests.conftest import dataset
from tests.events.factories import CODES

MONTHS = ("2024-02", "2024-03")


@dataclass(frozen=True)
class Demo:
    data_dir: Path
    manifests: dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    data_dir = tmp_path_factory.mktemp("tracing-demo")
    manifests = {}
    for month in MONTHS:
        report = generate_month(data_dir, scale="tiny", month=month, seed=2026)
        manifests[month] = json.loads(report.manifest.read_text(encoding="utf-8"))
    return Demo(data_dir, manifests)


@pytest.mark.parametrize("month", MONTHS)
def test_every_planted_incident_is_found_at_tiny_scale(demo: Demo, month: str) -> None:
    signals = detect_month(demo.data_dir, month)
    result = score(signals, demo.manifests[month]["incidents"])
    assert result.incidents == 6
    assert result.missed == ()
    assert result.false_alarm_share <= 0.25, [s.key for s in signals]
    # A signal's window ends when its episode does: a week-long incident ends a week in.
    assert all(0 < h <= 24 * 9 for h in result.hours_to_detect.values())


def test_signals_are_ranked_with_real_capped_evidence(demo: Demo) -> None:
    detection = run_detection(demo.data_dir, "2024-03")
    signals = detection.signals
    assert [s.score for s in signals] == sorted((s.score for s in signals), reverse=True)
    assert len({s.key for s in signals}) == len(signals)
    complaints = set(EventStore(demo.data_dir).read("complaints", ["complaint_id"])
                     .column("complaint_id").to_pylist())  # fmt: skip
    for s in signals:
        assert len(s.evidence_ids) <= min(
            EVIDENCE_LIMIT, max(s.evidence_count, 0) or EVIDENCE_LIMIT
        )
        assert s.start.strftime("%Y-%m") == "2024-03" and s.end > s.start
        if s.evidence_source == "complaints":
            assert set(s.evidence_ids) <= complaints
    spam = next(s for s in signals if s.kind is SignalKind.SPAM_SENDER)
    assert len(spam.evidence_ids) == spam.evidence_count
    assert set(detection.seconds) >= {"read complaints", "complaint detectors", "evidence"}


def test_running_detection_twice_gives_the_same_signals(demo: Demo) -> None:
    first = [(s.key, s.observed) for s in detect_month(demo.data_dir, "2024-03")]
    assert first == [(s.key, s.observed) for s in detect_month(demo.data_dir, "2024-03")]


def test_the_effect_counts_the_stores_complaints(demo: Demo) -> None:
    start = date(2024, 3, 1)
    effect = complaint_effect(demo.data_dir, ["NJ", "SZ"], "mobile_internet", start, days=14)
    frame = EventStore(demo.data_dir).read("complaints").to_pandas()
    frame = frame[frame.category == "mobile_internet"]
    day = frame.created_at.dt.date
    treated = frame.branch.isin(["NJ", "SZ"])
    before = (day >= start - timedelta(days=14)) & (day < start)
    after = (day >= start) & (day < start + timedelta(days=14))
    assert effect.treated_before == int((treated & before).sum())
    assert effect.control_after == int((~treated & after).sum())
    assert len(effect.series) == 28 and effect.treated_rate_before is not None


def test_the_satisfaction_change_is_the_surveys_difference_in_differences(demo: Demo) -> None:
    start = date(2024, 3, 1)
    change = satisfaction_change(demo.data_dir, ["NJ", "SZ"], "mobile_internet", start, days=14)
    frame = EventStore(demo.data_dir).read("surveys").to_pandas()
    frame = frame[(frame.operator == "us") & (frame.factor == "mobile_internet")]
    frame = frame[frame.perception.notna()]
    day = frame["at"].dt.date
    treated = frame.branch.isin(["NJ", "SZ"])
    before = (day >= start - timedelta(days=14)) & (day < start)
    after = (day >= start) & (day < start + timedelta(days=14))
    groups = [treated & before, treated & after, ~treated & before, ~treated & after]
    assert change.answers == tuple(int(g.sum()) for g in groups)
    means = [frame.perception[g].mean() for g in groups]
    if min(change.answers) >= 2:
        assert change.change == pytest.approx((means[1] - means[0]) - (means[3] - means[2]))
        assert change.ci_low is not None and change.ci_low < change.change < change.ci_high
    else:
        assert change.change is None


def test_a_bad_month_is_refused(demo: Demo) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        detect_month(demo.data_dir, "March")


def test_detection_runs_on_real_ingested_calls(tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    report = ingest_file(
        dataset("callcenter_anonymous_bank/anonymous_bank_february_1999.tsv"),
        "calls", CODES, store, "anonymous-bank", branch="NJ",
    )  # fmt: skip
    assert report.accepted > 1000
    signals = detect_month(tmp_path, "1999-02")
    # The bank's month is ordinary: a few hot topics or IVR lines at most, never a flood, and
    # every signal sits inside the month with its evidence in the calls.
    assert len(signals) <= 10
    for s in signals:
        assert s.start >= pd.Timestamp("1999-02-01") and s.end <= pd.Timestamp("1999-03-01")
        assert s.evidence_source == "calls"


def test_the_demos_planted_fix_lowers_the_branch_category(tmp_path: Path) -> None:
    for month in MONTHS:
        report = generate_month(tmp_path, scale="tiny", month=month, seed=7, fix_month="2024-03")
    manifest = json.loads(report.manifest.read_text(encoding="utf-8"))
    fix = next(i for i in manifest["incidents"] if i["kind"] == "fix_effect")
    assert fix["counts"]["complaints_before_fix"] > 0
    start = pd.Timestamp(fix["start"]).date() + timedelta(days=1)
    # Windows inside the two generated months (tiny scale: the control group is thin).
    effect = complaint_effect(tmp_path, [fix["branch"]], fix["category"][0], start, days=18)
    # At tiny scale the other branches file a handful of these complaints a fortnight, so the
    # interval is wide; the treated branch's own drop is what must show.
    assert effect.treated_before > 3 * effect.treated_after
    assert effect.treated_rate_before is not None and effect.treated_rate_after is not None
    assert effect.treated_rate_after < effect.treated_rate_before / 3
    february = json.loads((tmp_path / "demo" / "manifest-2024-02.json").read_text("utf-8"))
    assert any(i["kind"] == "fix_effect" for i in february["incidents"])
