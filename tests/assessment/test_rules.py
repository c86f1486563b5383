"""The accountability map's YAML import and export: all or nothing, from an open month, the
past kept; and the admin's append-only pages."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from sqm.assessment import services
from sqm.assessment.models import Accountability, SchemeVersion, current_month
from sqm.assessment.rules import scheme_text_for


def test_an_import_records_only_the_changes_and_the_months_before_keep_their_map(
    reference: None,
) -> None:
    document = yaml.safe_load(services.export_map("2026-03"))
    assert document["accountable"]["hall_mean_wait_minutes"] == "market"
    document["accountable"]["hall_mean_wait_minutes"] = "csc"
    imported = services.import_map(
        yaml.safe_dump(document), "2026-04", "营业厅排队移交客服中心", now_month="2026-04"
    )
    assert [(c.indicator, c.department) for c in imported.changed] == [
        ("hall_mean_wait_minutes", "csc")
    ]
    assert imported.unchanged == len(document["accountable"]) - 1
    assert services.map_for("2026-03")["hall_mean_wait_minutes"] == "market"
    assert services.map_for("2026-04")["hall_mean_wait_minutes"] == "csc"
    again = services.import_map(yaml.safe_dump(document), "2026-04", "", now_month="2026-04")
    assert again.changed == []


@pytest.mark.parametrize(
    "text,message",
    [
        ("accountable: {hall_mean_wait_minutes: nobody}", "no department 'nobody'"),
        ("accountable: {no_such_indicator: csc}", "no_such_indicator: not in the catalog"),
        ("month: 2026-04", "needs an 'accountable:' mapping"),
        ("accountable: [", "not valid YAML"),
    ],
)
def test_a_bad_import_changes_nothing_and_says_why(
    reference: None, text: str, message: str
) -> None:
    good_and_bad = text.replace("{", "{complaint_repeat_rate: csc, ", 1)
    with pytest.raises(ValueError, match=message):
        services.import_map(good_and_bad, "2026-04", "", now_month="2026-04")
    assert not Accountability.objects.exists()


def test_an_import_into_a_month_that_has_ended_is_refused(reference: None) -> None:
    with pytest.raises(services.ClosedMonth, match="takes effect from 2026-04 or later"):
        services.import_map(
            "accountable: {hall_mean_wait_minutes: csc}", "2026-03", "", now_month="2026-04"
        )


def test_the_admin_adds_scheme_versions_and_map_changes_but_never_edits_them(
    client_for: Any, people: dict[str, Any]
) -> None:
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client = client_for("analyst")
    client.force_login(root)
    form = client.get("/admin/assessment/schemeversion/add/")
    assert form.status_code == 200
    assert "hotline_service_level_15s" in form.content.decode()  # starts from the one in force
    saved = client.post(
        "/admin/assessment/schemeversion/add/",
        {"effective_from": current_month(), "note": "试行", "document": scheme_text_for("2026-01")},
    )
    assert saved.status_code == 302
    version = SchemeVersion.objects.get()
    assert version.created_by == root
    past = client.post(
        "/admin/assessment/schemeversion/add/",
        {"effective_from": "2020-01", "note": "改过去", "document": version.document},
    )
    assert "has ended" in past.content.decode() and SchemeVersion.objects.count() == 1
    broken = client.post(
        "/admin/assessment/schemeversion/add/",
        {"effective_from": current_month(), "note": "x", "document": "name: x\nbranch: []"},
    )
    assert "branch" in broken.content.decode() and SchemeVersion.objects.count() == 1
    change = client.post(
        f"/admin/assessment/schemeversion/{version.pk}/change/",
        {"effective_from": "2030-01", "note": "改", "document": version.document},
    )
    assert change.status_code == 403
    version.refresh_from_db()
    assert version.effective_from == current_month()
    assert client.post(f"/admin/assessment/schemeversion/{version.pk}/delete/").status_code == 403
