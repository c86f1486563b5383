"""Who may open what: one table row per (page, person), checked the same way for every page.

A new page adds rows here; ``test_every_named_url_is_in_the_table`` fails until it does.
Each person's client follows redirects inside the site, so a row says where the person *lands*
(the login page for anonymous visitors) and with which status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sqm.org.core.province import PROVINCE
from tests.conftest import ANONYMOUS

ANALYST, MANAGER_A, MANAGER_B, ADMIN = "analyst", "manager_a", "manager_b", "admin"
NOT_ADMINISTRATORS = (ANALYST, MANAGER_A, MANAGER_B)


def hall_texts(branch: str) -> tuple[str, ...]:
    """Every code and name of a branch's halls: none may leak to another branch's manager."""
    halls = PROVINCE.halls_of(branch)
    return tuple(h.code for h in halls) + tuple(h.name_zh for h in halls)


def branch_name(code: str) -> str:
    return next(b.name_zh for b in PROVINCE.branches if b.code == code)


ALL_BRANCH_NAMES = tuple(b.name_zh for b in PROVINCE.branches)
BRANCH_A = (branch_name("NJ"), *hall_texts("NJ"))
BRANCH_B = (branch_name("WX"), *hall_texts("WX"))


@dataclass(frozen=True)
class Row:
    target: str  # a URL name ("home", "org:audit") or a literal path ("/static/…")
    who: str
    status: int  # after following redirects inside the site
    lands: str | None = None  # URL name of the page the redirects end on
    contains: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    method: str = "get"
    data: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # expected substrings of headers

    @property
    def path(self) -> str:
        return self.target if self.target.startswith("/") else reverse(self.target)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.target} as {self.who}"


def to_login(target: str, method: str = "get") -> Row:
    return Row(target, ANONYMOUS, 200, lands="login", contains=('name="password"',), method=method)


def administrators_only(target: str, *contains: str) -> list[Row]:
    return [
        to_login(target),
        *(Row(target, who, 403) for who in NOT_ADMINISTRATORS),
        Row(target, ADMIN, 200, contains=contains),
    ]


def public(target: str, *contains: str, **headers: str) -> list[Row]:
    """Assets anyone may fetch: they carry no SQM data and the login page needs them."""
    return [
        Row(target, who, 200, contains=contains, headers=headers) for who in (ANONYMOUS, ANALYST)
    ]


ONE_YEAR = "max-age=31536000"

TABLE: list[Row] = [
    # -- home: each role's work list (tests/web/test_homes.py); the inventory is the admins' ---
    to_login("home"),
    Row("home", ANALYST, 200, contains=('id="worklist"',)),
    Row("home", ADMIN, 200, contains=('id="worklist"', 'href="/inventory/"')),
    Row("home", MANAGER_A, 200, contains=BRANCH_A[:1], absent=BRANCH_B),
    Row("home", MANAGER_B, 200, contains=BRANCH_B[:1], absent=BRANCH_A),
    *administrators_only("inventory", *ALL_BRANCH_NAMES),
    # -- signing in and out ----------------------------------------------------------------------
    Row("login", ANONYMOUS, 200, contains=('name="password"', "csrfmiddlewaretoken")),
    Row("login", MANAGER_A, 200, lands="home", contains=BRANCH_A[:1]),  # already signed in
    Row("logout", ANONYMOUS, 200, lands="login", method="post"),
    Row("logout", MANAGER_A, 200, lands="login", method="post"),
    Row("logout", ANALYST, 405),  # a GET (a prefetch, an <img>) never signs anyone out
    Row("set_language", ANONYMOUS, 200, lands="login", method="post", data={"language": "en"}),
    Row("set_language", MANAGER_B, 200, lands="home", method="post", data={"language": "en"}),
    # -- administrators' pages -------------------------------------------------------------------
    *administrators_only("admin:index", "组织与权限"),
    *administrators_only("admin:org_hall_changelist", "WX-H001", "NJ-H001"),
    *administrators_only("org:audit", "审计日志"),
    # -- API: 401, never a redirect, for a client without credentials --------------------------
    Row("api:me", ANONYMOUS, 401),
    Row("api:me", ANALYST, 200, contains=('"username": "analyst"', '"branches": null')),
    Row("api:me", MANAGER_A, 200, contains=('"branches": ["NJ"]',), absent=("WX",)),
    Row("api:me", MANAGER_B, 200, contains=('"branches": ["WX"]',), absent=("NJ",)),
    Row("api:api-root", ANONYMOUS, 404),
    Row("api:api-root", ANALYST, 404),
    # The docs are for people: signed in, like every page; Swagger UI comes from ninja's wheel.
    to_login("api:openapi-json"),
    Row("api:openapi-json", MANAGER_A, 200, contains=('"/api/v1/me"',)),
    to_login("api:openapi-view"),
    Row(
        "api:openapi-view",
        MANAGER_A,
        200,
        contains=("/static/ninja/swagger-ui-bundle.js",),
        absent=("cdn.", "unpkg", "jsdelivr"),
    ),
    # -- spam review (issue 7): case pages take a case id; tests/spam covers them per role ------
    to_login("spam:queue"),
    Row("spam:queue", ANALYST, 200),
    Row("spam:queue", MANAGER_A, 200),
    to_login("spam:appeals"),
    Row("spam:appeals", ANALYST, 200),
    to_login("spam:quality"),
    Row("spam:quality", ANALYST, 200),
    Row("api:spam_cases", ANONYMOUS, 401),
    Row("api:spam_cases", MANAGER_B, 200),
    Row("api:spam_reports", ANONYMOUS, 401, method="post"),
    # -- indicators (issue 3): with nothing computed every page says how to compute; pages of
    # one indicator or branch take an argument, tests/indicators/test_views.py covers them ------
    to_login("indicators:overview"),
    Row("indicators:overview", ANALYST, 200, contains=("sqm compute --period",)),
    Row("indicators:overview", MANAGER_A, 200, contains=("sqm compute --period",)),
    to_login("indicators:competitors"),
    Row("indicators:competitors", MANAGER_B, 200, contains=("sqm compute --period",)),
    Row("api:indicator_catalog", ANONYMOUS, 401),
    Row("api:indicator_catalog", MANAGER_A, 200, contains=('"hotline_service_level_15s"',)),
    Row("api:indicator_results", ANONYMOUS, 401),
    # -- customer satisfaction (issue 6): the branch picker and the data follow the scope ------
    to_login("voc:dashboard"),
    Row("voc:dashboard", ANALYST, 200, contains=ALL_BRANCH_NAMES),
    Row("voc:dashboard", MANAGER_A, 200, contains=(branch_name("NJ"),), absent=BRANCH_B[:1]),
    Row("voc:dashboard", MANAGER_B, 200, contains=(branch_name("WX"),), absent=BRANCH_A[:1]),
    to_login("voc:drivers"),
    Row("voc:drivers", ANALYST, 200, contains=ALL_BRANCH_NAMES),
    Row("voc:drivers", MANAGER_A, 200, contains=(branch_name("NJ"),), absent=BRANCH_B[:1]),
    to_login("voc:provider_gaps"),
    Row("voc:provider_gaps", ANALYST, 200, contains=("认知差距", "挂机评价参评率")),
    Row("voc:provider_gaps", MANAGER_B, 200, contains=("沟通差距",)),
    to_login("voc:export"),
    Row("voc:export", ANALYST, 200, headers={"Content-Type": "spreadsheetml"}),
    Row("voc:export", MANAGER_B, 200, headers={"Content-Disposition": "satisfaction-all.xlsx"}),
    Row("api:voc_report", ANONYMOUS, 401),
    Row("api:voc_report", MANAGER_A, 200, contains=('"branches": ["NJ"]',), absent=('"WX"',)),
    Row("api:voc_report", ANALYST, 200, contains=('"branches": null',)),
    Row("api:voc_drivers", ANONYMOUS, 401),
    Row("api:voc_drivers", MANAGER_B, 200, contains=('"factors": []',)),
    # -- complaint work orders (issue 4): pages of one work order take its number;
    # tests/complaints/web covers them and the TMF621 API for every role -----------------------
    to_login("complaints:queue"),
    Row("complaints:queue", ANALYST, 200, contains=("投诉工单", *ALL_BRANCH_NAMES)),
    Row("complaints:queue", MANAGER_A, 200, contains=("投诉工单",), absent=BRANCH_B[:1]),
    to_login("complaints:intake"),
    Row("complaints:intake", ANALYST, 200, contains=ALL_BRANCH_NAMES),
    Row("complaints:intake", MANAGER_B, 200, contains=BRANCH_B[:1], absent=BRANCH_A[:1]),
    to_login("complaints:export"),
    Row("complaints:export", MANAGER_A, 200, headers={"Content-Type": "spreadsheetml"}),
    to_login("complaints:bulk_assign", method="post"),
    Row("complaints:bulk_assign", MANAGER_A, 200, lands="complaints:queue", method="post"),
    Row("complaints:bulk_assign", ANALYST, 405),  # a GET changes nothing
    to_login("complaints:callbacks"),
    Row("complaints:callbacks", ANALYST, 200, contains=("来电必复",)),
    Row("complaints:callbacks", MANAGER_B, 200, contains=("来电必复",)),
    Row("tmf:troubleTicket_list", ANONYMOUS, 401),
    Row("tmf:troubleTicket_list", MANAGER_B, 200, contains=("[]",)),
    Row("tmf:troubleTicket_create", ANONYMOUS, 401, method="post"),
    to_login("tmf:openapi-json"),
    Row(
        "tmf:openapi-json", MANAGER_A, 200, contains=('"/tmf-api/troubleTicket/v5/troubleTicket"',)
    ),
    to_login("tmf:openapi-view"),
    Row(
        "tmf:openapi-view",
        ANALYST,
        200,
        contains=("/static/ninja/swagger-ui-bundle.js",),
        absent=("cdn.", "unpkg", "jsdelivr"),
    ),
    Row("tmf:api-root", ANONYMOUS, 404),
    Row("tmf:api-root", ANALYST, 404),
    # -- TMF656 service problems (tracing cases); tests/tracing/tmf covers every role ----------
    Row("tmf656:serviceProblem_list", ANONYMOUS, 401),
    Row("tmf656:serviceProblem_list", MANAGER_B, 200),
    Row("tmf656:serviceProblem_create", ANONYMOUS, 401, method="post"),
    Row("tmf656:problemGroup_create", ANONYMOUS, 401, method="post"),
    Row("tmf656:problemUngroup_create", ANONYMOUS, 401, method="post"),
    Row("tmf656:serviceProblemEventRecord_list", ANONYMOUS, 401),
    Row("tmf656:hub_register", ANONYMOUS, 401, method="post"),
    to_login("tmf656:openapi-json"),
    Row(
        "tmf656:openapi-json",
        MANAGER_A,
        200,
        contains=('"/tmf-api/serviceProblemManagement/v4/serviceProblem"',),
    ),
    to_login("tmf656:openapi-view"),
    Row("tmf656:api-root", ANONYMOUS, 404),
    # -- capacity planning (issue 5): a plan's pages take its id; tests/planning/web covers
    # them for every role. Branch managers plan their own halls only -----------------------------
    to_login("planning:index"),
    Row("planning:index", ANALYST, 200, contains=('id="hotline-form"', *ALL_BRANCH_NAMES)),
    Row(
        "planning:index",
        MANAGER_A,
        200,
        contains=('id="halls-form"',),
        absent=('id="hotline-form"', 'id="billing-form"', *BRANCH_B[:1]),
    ),
    Row("planning:index", MANAGER_B, 403, method="post", data={"kind": "hotline"}),
    to_login("planning:compare"),
    Row("planning:compare", ANALYST, 200, contains=("请至少选择两个方案进行比较",)),
    Row("planning:compare", MANAGER_B, 200, contains=('id="compare-error"',)),
    # -- complaint tracing (issue 15): a signal's and a case's pages take its id or number;
    # tests/tracing/web/test_views.py covers them for the cast. Branch managers see their branch ---
    to_login("tracing:index"),
    Row("tracing:index", ANALYST, 200, contains=('id="signal-filters"', *ALL_BRANCH_NAMES)),
    Row("tracing:index", MANAGER_A, 200, contains=(branch_name("NJ"),), absent=BRANCH_B[:1]),
    to_login("tracing:cases"),
    Row("tracing:cases", MANAGER_B, 200, contains=('id="cases"', branch_name("WX"))),
    to_login("tracing:open_case", method="post"),
    Row("tracing:open_case", ANALYST, 405),  # a GET opens nothing
    # Neither signals nor a title: refused, back to the case list with the reason.
    Row("tracing:open_case", MANAGER_A, 200, lands="tracing:cases", method="post"),
    # -- notifications (issue 16): a person's own; reading or opening one takes its id,
    # tests/notifications/test_views.py covers them ----------------------------------------------
    to_login("notifications:list"),
    Row("notifications:list", MANAGER_A, 200, contains=('id="notification-list"',)),
    to_login("notifications:bell"),
    Row("notifications:bell", ANALYST, 200, contains=('id="notification-bell"',)),
    to_login("notifications:read_all", method="post"),
    Row("notifications:read_all", MANAGER_B, 200, lands="notifications:list", method="post"),
    to_login("notifications:preferences", method="post"),
    Row("notifications:preferences", ANALYST, 200, lands="notifications:list", method="post"),
    # -- assessment (issue 17): the ranking; a unit's scorecard needs a month with figures,
    # tests/assessment/test_views.py covers it for every role --------------------------------------
    to_login("assessment:ranking"),
    Row("assessment:ranking", ANALYST, 200, contains=("13+N",)),
    Row("assessment:ranking", MANAGER_A, 200, contains=("13+N",)),
    # -- improvement (issue 16): boards for every role that owns or follows actions; meetings and
    # launches for quality, executives and liaisons; the province view for quality. One item,
    # meeting, project or launch takes its id: tests/improvement/test_views.py covers those --------
    *(
        row
        for name in ("improvement:index", "improvement:actions", "improvement:mine")
        for row in (
            to_login(name),
            Row(name, ANALYST, 200),
            Row(name, MANAGER_A, 200),
            Row(name, "handler_a", 200),
            Row(name, "spam_reviewer", 403),
        )
    ),
    to_login("improvement:province"),
    Row("improvement:province", ANALYST, 200),
    Row("improvement:province", MANAGER_A, 403),
    *(
        row
        for name in ("improvement:meetings", "improvement:launches")
        for row in (
            to_login(name),
            Row(name, ANALYST, 200),
            Row(name, "liaison", 200),
            Row(name, "executive", 200),
            Row(name, MANAGER_A, 403),
        )
    ),
    to_login("improvement:projects"),
    Row("improvement:projects", MANAGER_A, 200),
    Row("improvement:projects", "handler_a", 403),
    # Creating takes a POST; a GET creates nothing.
    *(
        row
        for name in (
            "improvement:new_action",
            "improvement:new_meeting",
            "improvement:new_project",
            "improvement:new_launch",
        )
        for row in (Row(name, ANONYMOUS, 405), Row(name, ANALYST, 405))
    ),
    # -- the monthly report's page; its downloads need a month with figures:
    # tests/assessment/report/test_views.py covers them per role -------------------------------
    to_login("assessment:monthly_report"),
    Row("assessment:monthly_report", ANALYST, 200),
    Row("assessment:monthly_report", MANAGER_A, 200),
    # -- assets ----------------------------------------------------------------------------------
    *public("/static/web/sqm.css", "--brand"),
    *public("/static/django_htmx/htmx-2.min.js", "htmx"),
    *public("/static/ninja/swagger-ui-bundle.js"),
    *public("plotly_js", "plotly", **{"Cache-Control": ONE_YEAR}),
]


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def _request(client: Client, row: Row) -> Any:
    call: Callable[..., Any] = getattr(client, row.method)
    return call(row.path, data=row.data or None, follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize("row", TABLE, ids=str)
def test_access(row: Row, client_for: Callable[[str], Client]) -> None:
    response = _request(client_for(row.who), row)
    assert response.status_code == row.status, response.redirect_chain
    if row.lands is not None:
        assert response.resolver_match is not None
        assert response.resolver_match.view_name == row.lands, response.redirect_chain
    body = _body(response)
    missing = [text for text in row.contains if text not in body]
    assert not missing, f"{row}: missing {missing[:5]}"
    leaked = [text for text in row.absent if text in body]
    assert not leaked, f"{row}: must not show {leaked[:5]}"
    for header, expected in row.headers.items():
        assert expected in response.headers.get(header, ""), header


# -- the table itself -------------------------------------------------------------------------

# Django's admin registers a page per model; its index and one model page stand for them all,
# since every admin page goes through the same AdminSite.has_permission check.
COVERED_BY_THEIR_INDEX = ("admin:",)
# Pages of one spam case or appeal need an object; tests/spam/test_views.py and test_api.py
# check each of them for every role.
NEEDS_AN_OBJECT = (
    "tracing:signal",
    "tracing:acknowledge",
    "tracing:dismiss",
    "tracing:restore",
    "tracing:case",
    "tracing:update",
    "tracing:root_cause",
    "tracing:stage",
    "tracing:add_measure",
    "tracing:update_measure",
    "tracing:add_complaints",
    "tracing:remove_complaint",
    "tracing:note",
    "indicators:indicator",
    "indicators:branch",
    "spam:case",
    "spam:review",
    "spam:file_appeal",
    "spam:decide_appeal",
    "api:spam_case",
    "api:spam_case_review",
    "api:spam_case_appeal",
    "api:spam_appeal_decision",
    "complaints:detail",
    "complaints:transition",
    "complaints:close",
    "complaints:escalate",
    "complaints:appeal",
    "complaints:transfer",
    "complaints:assign",
    "complaints:note",
    "complaints:repeat_owner",
    "complaints:refund",
    "complaints:callback_complete",
    "complaints:reverse_refund",
    "complaints:reveal_phone",
    "tmf:troubleTicket",
    "tmf:troubleTicket_patch",
    "tmf656:serviceProblem",
    "tmf656:serviceProblem_patch",
    "tmf656:serviceProblem_delete",
    "tmf656:serviceProblemEventRecord",
    "tmf656:hub_unregister",
    "tracing:group",
    "tracing:ungroup",
    "planning:plan",
    "planning:simulate",
    "planning:schedule",
    "notifications:read",
    "notifications:open",
    "assessment:scorecard",
    "assessment:monthly_report_pdf",
    "assessment:monthly_report_xlsx",
    "improvement:action",
    "improvement:step",
    "improvement:evidence",
    "improvement:evidence_file",
    "improvement:comment",
    "improvement:meeting",
    "improvement:update_meeting",
    "improvement:meeting_attendance",
    "improvement:add_topic",
    "improvement:move_topic",
    "improvement:remove_topic",
    "improvement:decide",
    "improvement:minutes",
    "improvement:project",
    "improvement:review",
    "improvement:add_task",
    "improvement:evaluation",
    "improvement:launch",
    "improvement:launch_action",
)


def _named_urls(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            ns = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            names |= _named_urls(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_named_url_is_in_the_table() -> None:
    covered = {row.target for row in TABLE}
    missing = {
        name
        for name in _named_urls(get_resolver().url_patterns)
        if name not in covered
        and name not in NEEDS_AN_OBJECT
        and not name.startswith(COVERED_BY_THEIR_INDEX)
    }
    assert not missing, f"add rows to TABLE for: {sorted(missing)}"


def test_every_page_in_the_table_says_what_an_anonymous_visitor_gets() -> None:
    targets = {row.target for row in TABLE}
    anonymous = {row.target for row in TABLE if row.who == ANONYMOUS}
    assert targets == anonymous


def test_the_hall_lists_being_compared_are_not_empty() -> None:
    # A check that compares empty tuples would pass while proving nothing.
    assert len(hall_texts("NJ")) >= 12 and len(hall_texts("WX")) >= 12
    assert not set(hall_texts("NJ")) & set(hall_texts("WX"))
