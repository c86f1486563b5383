"""The tracing pages: the watch list, a signal, a case and their forms, the home panel, the
Excel exports — and that a branch manager meets another branch's signal or case as a 404."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook

from sqm.tracing import services
from sqm.tracing.core.signals import SignalKind
from sqm.tracing.models import Signal, TracingCase
from tests.conftest import ClientFor
from tests.tracing.conftest import MONTH, START, daily_complaints, finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals(people: dict[str, Any]) -> dict[str, Signal]:
    nj, wx, spam = services.store_signals(
        [
            finding(branch="NJ", score=12.0, subcategory="新小区无覆盖"),
            finding(branch="WX", score=7.0),
            finding(SignalKind.SPAM_SENDER, branch=None, category=None, sender="13912345678"),
        ],
        MONTH,
    ).signals
    return {"nj": nj, "wx": wx, "spam": spam}


def test_the_watch_list_ranks_signals_by_score_with_sparklines(
    client_for: ClientFor, signals: dict[str, Signal]
) -> None:
    page = client_for("analyst").get("/tracing/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(f'data-signal="{signals["nj"].pk}"') < html.index(
        f'data-signal="{signals["wx"].pk}"'
    )
    assert html.count('class="spark"') == 3
    assert "13912345678" not in html and "139****5678" in html  # a sender is masked


def test_the_watch_list_filters_by_kind_branch_and_category(
    client_for: ClientFor, signals: dict[str, Signal]
) -> None:
    client = client_for("analyst")
    only_spam = client.get("/tracing/", {"kind": "spam_sender"}).content.decode()
    assert f'data-signal="{signals["spam"].pk}"' in only_spam
    assert f'data-signal="{signals["nj"].pk}"' not in only_spam
    only_wx = client.get("/tracing/", {"branch": "WX", "category": "coverage"}).content.decode()
    assert f'data-signal="{signals["wx"].pk}"' in only_wx
    assert f'data-signal="{signals["nj"].pk}"' not in only_wx


def test_a_branch_manager_sees_only_their_branchs_signals_and_another_is_a_404(
    client_for: ClientFor, signals: dict[str, Signal]
) -> None:
    client = client_for("manager_a")
    html = client.get("/tracing/").content.decode()
    assert f'data-signal="{signals["nj"].pk}"' in html
    assert f'data-signal="{signals["wx"].pk}"' not in html
    assert f'data-signal="{signals["spam"].pk}"' not in html
    assert client.get(f"/tracing/signals/{signals['wx'].pk}/").status_code == 404
    assert client.post(f"/tracing/signals/{signals['wx'].pk}/acknowledge/").status_code == 404
    assert Signal.objects.get(pk=signals["wx"].pk).status == "new"


def test_a_signal_page_shows_its_chart_and_evidence(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    (signal,) = services.store_signals([finding(evidence=["CP1", "CP2"])], MONTH).signals
    page = client_for("manager_a").get(f"/tracing/signals/{signal.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="signal-figure"' in html and "signal-figure-data" in html
    assert "<li>CP1</li>" in html and 'id="open-case"' in html


def test_dismissing_without_a_reason_is_refused_and_with_one_is_kept(
    client_for: ClientFor, signals: dict[str, Signal]
) -> None:
    client = client_for("analyst")
    url = f"/tracing/signals/{signals['nj'].pk}/dismiss/"
    client.post(url, {"reason": ""})
    assert Signal.objects.get(pk=signals["nj"].pk).status == "new"
    client.post(url, {"reason": "节假日话务"})
    page = client.get(f"/tracing/signals/{signals['nj'].pk}/").content.decode()
    assert "节假日话务" in page and 'id="dismiss"' not in page


def test_open_case_from_a_signal_goes_to_the_case_page(
    client_for: ClientFor, signals: dict[str, Signal], complaints_store: Callable[..., None]
) -> None:
    client = client_for("manager_a")
    response = client.post("/tracing/cases/open/", {"signals": str(signals["nj"].pk)})
    case = TracingCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tracing/cases/{case.number}/"
    page = client.get(response["Location"]).content.decode()
    assert case.number in page and 'id="impact-rule"' in page and "26" in page


def test_a_case_walks_its_stages_from_the_page_and_the_timeline_says_who(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    case = services.open_case(people["analyst"], title="南京覆盖", branches=["NJ"])
    client = client_for("manager_a")
    url = f"/tracing/cases/{case.number}/"
    cause = {"root_cause_class": "business_support", "root_cause_text": "基站故障"}
    client.post(url + "root-cause/", {**cause, "lead_department": "network"})
    client.post(url + "measures/", {"title": "抢修基站", "owner_department": "network"})
    client.post(url + "stage/", {"stage": "investigating", "note": "开始调查"})
    client.post(url + "stage/", {"stage": "evaluating"})  # refused: no measures under way
    page = client.get(url).content.decode()
    case.refresh_from_db()
    assert case.stage == "investigating" and case.root_cause_class == "business_support"
    assert "抢修基站" in page and "manager_a (branch_manager)" in page
    assert list(case.events.values_list("kind", flat=True)) == [
        "created", "root_cause", "measure_added", "stage",
    ]  # fmt: skip


def test_a_complaint_found_by_search_is_added_and_removed(
    client_for: ClientFor, people: dict[str, Any], complaints_store: Callable[..., None]
) -> None:
    complaints_store(daily_complaints("NJ", "coverage", START.date(), [2], "CP"))
    case = services.open_case(people["analyst"], title="x", branches=["NJ"])
    client = client_for("analyst")
    url = f"/tracing/cases/{case.number}/"
    found = client.get(url, {"q": "CP000"}).content.decode()
    assert "CP0000000" in found and "CP0000001" in found
    client.post(url + "complaints/", {"ids": "CP0000000,CP0000001"})
    assert case.complaints.count() == 2
    client.post(url + "complaints/remove/", {"complaint": "CP0000000"})
    assert list(case.complaints.values_list("complaint_id", flat=True)) == ["CP0000001"]


def test_another_branchs_case_is_a_404_for_a_branch_manager(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    case = services.open_case(people["analyst"], title="无锡", branches=["WX"])
    client = client_for("manager_a")
    assert client.get(f"/tracing/cases/{case.number}/").status_code == 404
    assert (
        client.post(f"/tracing/cases/{case.number}/stage/", {"stage": "investigating"}).status_code
        == 404
    )
    assert case.number not in client.get("/tracing/cases/").content.decode()
    assert TracingCase.objects.get().stage == "open"


def test_an_executive_reads_a_case_without_forms(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    case = services.open_case(people["analyst"], title="x", branches=["NJ"])
    client = client_for("executive")
    page = client.get(f"/tracing/cases/{case.number}/").content.decode()
    assert 'id="stage-form"' not in page and 'id="measure-form"' not in page
    assert (
        client.post(f"/tracing/cases/{case.number}/stage/", {"stage": "investigating"}).status_code
        == 403
    )


def test_the_spam_reviewer_has_no_business_here(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    assert client_for("spam_reviewer").get("/tracing/").status_code == 403
    assert client_for("anonymous").get("/tracing/").status_code == 302


def test_a_liaison_is_sent_to_the_cases_of_their_department(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    mine = services.open_case(
        people["analyst"], title="网络", branches=["NJ"], lead_department="network"
    )
    other = services.open_case(
        people["analyst"], title="营销", branches=["NJ"], lead_department="market"
    )
    client = client_for("liaison")
    assert client.get("/tracing/")["Location"] == "/tracing/cases/"
    html = client.get("/tracing/cases/").content.decode()
    assert mine.number in html and other.number not in html


def test_the_exports_hold_what_the_user_may_see(
    client_for: ClientFor, signals: dict[str, Signal], people: dict[str, Any]
) -> None:
    services.open_case(people["analyst"], title="南京", branches=["NJ"])
    services.open_case(people["analyst"], title="无锡", branches=["WX"])
    client = client_for("manager_a")
    sheet = load_workbook(io.BytesIO(client.get("/tracing/?format=xlsx").content)).active
    assert sheet is not None and sheet.max_row == 2  # header + NJ's one signal
    cases = load_workbook(io.BytesIO(client.get("/tracing/cases/?format=xlsx").content)).active
    assert cases is not None
    assert [row[1] for row in cases.iter_rows(min_row=2, values_only=True)] == ["南京"]


def test_the_home_page_shows_the_newest_signals_and_open_cases(
    client_for: ClientFor, signals: dict[str, Signal], people: dict[str, Any]
) -> None:
    case = services.open_case(people["analyst"], title="南京覆盖", branches=["NJ"])
    analyst = client_for("analyst").get("/").content.decode()
    assert 'id="home-signals"' in analyst and case.number in analyst
    manager_b = client_for("manager_b").get("/").content.decode()
    assert case.number not in manager_b
    assert f'data-signal="{signals["nj"].pk}"' not in manager_b
    assert 'id="tracing-home"' not in client_for("spam_reviewer").get("/").content.decode()


def test_the_pages_speak_english_when_asked(
    client_for: ClientFor, signals: dict[str, Signal], people: dict[str, Any]
) -> None:
    from django.conf import settings

    case = services.open_case(people["analyst"], title="x", branches=["NJ"])
    client = client_for("analyst")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    watch_list = client.get("/tracing/").content.decode()
    assert "Abnormal change" in watch_list and "Export to Excel" in watch_list
    assert "投诉异动" not in watch_list
    page = client.get(f"/tracing/cases/{case.number}/").content.decode()
    assert "Estimated customers affected" in page and "each complaint stands for" in page


def test_a_refused_case_never_sends_the_user_to_another_site(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    response = client_for("analyst").post(
        "/tracing/cases/open/", {"next": "https://elsewhere.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/tracing/cases/"


def test_a_phone_number_typed_into_a_note_is_masked_for_an_analyst(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    case = services.open_case(people["analyst"], title="x", branches=["NJ"])
    services.add_note(people["analyst"], case.number, "客户留了电话 13912345678")
    page = client_for("analyst").get(f"/tracing/cases/{case.number}/").content.decode()
    assert "13912345678" not in page and "139****5678" in page


def test_a_catalog_indicator_anomaly_names_the_indicator_and_the_branch(
    client_for: ClientFor,
) -> None:
    (stored,) = services.store_signals(
        [
            finding(
                SignalKind.INDICATOR_ANOMALY,
                branch="WX",
                category=None,
                indicator="hotline_abandon_rate",
                detail={"family": "catalog", "source": "calls", "unit": "percent"},
            )
        ],
        MONTH,
    ).signals
    html = client_for("analyst").get("/tracing/", {"kind": "indicator_anomaly"}).content.decode()
    assert f'data-signal="{stored.pk}"' in html
    assert "呼损率" in html and "hotline_abandon_rate" not in html
    page = client_for("analyst").get(f"/tracing/signals/{stored.pk}/").content.decode()
    assert "呼损率" in page


def test_cases_are_grouped_and_ungrouped_on_the_case_page_with_their_timelines(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    head = services.open_case(people["analyst"], title="南京覆盖", branches=["NJ"])
    one = services.open_case(people["analyst"], title="南京掉话", branches=["NJ"])
    two = services.open_case(people["analyst"], title="南京上网", branches=["NJ"])
    client = client_for("analyst")
    url = f"/tracing/cases/{head.number}/"
    reply = client.post(url + "group/", {"children": f"{one.number}、{two.number}"})
    assert reply.status_code == 302
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.parent_id == head.pk and two.parent_id == head.pk
    page = client.get(url).content.decode()
    assert 'id="children"' in page and one.number in page and two.number in page
    client.post(f"/tracing/cases/{one.number}/ungroup/")
    one.refresh_from_db()
    assert one.parent_id is None
    assert list(one.events.values_list("kind", flat=True)) == ["created", "grouped", "ungrouped"]
    assert head.events.filter(kind="grouped").count() == 1
    # A case made its own ancestor is refused with a message, and nothing changes.
    client.post(f"/tracing/cases/{two.number}/group/", {"children": head.number})
    head.refresh_from_db()
    assert head.parent_id is None


def test_a_branch_manager_cannot_group_another_branchs_case(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    mine = services.open_case(people["analyst"], title="南京", branches=["NJ"])
    theirs = services.open_case(people["analyst"], title="无锡", branches=["WX"])
    reply = client_for("manager_a").post(
        f"/tracing/cases/{mine.number}/group/", {"children": theirs.number}, follow=True
    )
    theirs.refresh_from_db()
    assert theirs.parent_id is None
    assert reply.status_code == 200 and theirs.number in reply.content.decode()
