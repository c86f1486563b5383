"""The VOC pages' report is computed once per scope while the survey files stay the same, and
again as soon as one changes (issue 23: /voc/ took 1.4–4.1 s on every visit)."""

from __future__ import annotations

import os
from pathlib import Path

from sqm.events.core.store import EventStore
from sqm.voc import services


def test_the_report_is_reused_until_a_survey_file_changes(study_dir: Path) -> None:
    first = services.full_report(study_dir, with_provider_gaps=False)
    again = services.full_report(study_dir, with_provider_gaps=False)
    assert again == first and again is not first  # a copy: a page may change its own
    key_count = len(services._REPORTS)
    services.full_report(study_dir, with_provider_gaps=False)
    assert len(services._REPORTS) == key_count  # served from the cache

    survey = EventStore(study_dir).files("surveys")[0]
    stat = survey.stat()
    os.utime(survey, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    services.full_report(study_dir, with_provider_gaps=False)
    assert len(services._REPORTS) == key_count + 1  # a new version of the answers


def test_each_scope_has_its_own_report(study_dir: Path) -> None:
    province = services.full_report(study_dir, with_provider_gaps=False)
    one = services.full_report(study_dir, branches=["NJ"], with_provider_gaps=False)
    assert one["branches"] == ["NJ"] and province["branches"] is None
