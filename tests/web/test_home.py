"""The administrator's inventory (moved off the home page, issue 23): the org tree, the
departments and what data is loaded; and the shell around every page (menu, top bar)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sqm.org.core.province import PROVINCE
from sqm.web import overview
from tests.web.sample_data import ingest_entry, load_sample, write_ingest_log

pytestmark = pytest.mark.django_db


INVENTORY = "/inventory/"


def _html(client: Client, path: str = INVENTORY) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_inventory_lists_the_branches_in_province_order(
    client_for: Callable[[str], Client],
) -> None:
    html = _html(client_for("admin"))
    positions = [html.index(f'<span class="code">{b.code}</span>') for b in PROVINCE.branches]
    assert positions == sorted(positions)


def test_the_inventory_is_the_administrators_page(client_for: Callable[[str], Client]) -> None:
    for who in ("analyst", "manager_a", "executive"):
        assert client_for(who).get(INVENTORY).status_code == 403, who
    assert 'href="/inventory/"' in _html(client_for("admin"), "/")
    assert "/inventory/" not in _html(client_for("analyst"), "/")


def test_the_tree_counts_halls_and_counters_per_branch(people: dict[str, Any]) -> None:
    branches = {b.code: b for b in overview.org_tree(people["analyst"])}
    assert len(branches) == 13
    for code in ("NJ", "WX", "SQ"):
        halls = PROVINCE.halls_of(code)
        assert branches[code].hall_count == len(branches[code].hall_list) == len(halls)
        assert branches[code].counter_total == sum(h.counters for h in halls)


def test_the_tree_of_a_manager_holds_only_their_halls(people: dict[str, Any]) -> None:
    (branch,) = overview.org_tree(people["manager_b"])
    assert branch.code == "WX"
    assert {h.branch_id for h in branch.hall_list} == {branch.pk}


def test_a_user_without_a_role_sees_no_branch_and_is_told_why(
    reference: None, data_dir: Path
) -> None:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.create_user("nobody", password="x" * 12))
    html = _html(client, "/")
    assert "尚未分配角色" in html
    assert not any(b.name_zh in html for b in PROVINCE.branches)


def test_the_inventory_shows_the_province_departments(client_for: Callable[[str], Client]) -> None:
    html = _html(client_for("admin"))
    assert all(d.name_zh in html for d in PROVINCE.departments)


def test_loaded_sources_report_rows_days_and_range(data_dir: Path) -> None:
    load_sample(data_dir)
    sources = {s.name: s for s in overview.loaded_sources(data_dir)}
    assert (sources["calls"].rows, sources["calls"].days) == (120, 3)
    assert str(sources["calls"].first_day) == "2026-10-01"
    assert str(sources["calls"].last_day) == "2026-10-03"
    assert sources["calls"].label == "热线来电"
    assert sources["surveys"].rows == 0 and sources["surveys"].first_day is None


def test_the_inventory_shows_the_loaded_counts(
    client_for: Callable[[str], Client], data_dir: Path
) -> None:
    load_sample(data_dir)
    html = _html(client_for("admin"))
    assert "热线来电" in html and "2026-10-01" in html and ">120<" in html


def test_ingest_runs_are_newest_first_and_skip_a_half_written_line(data_dir: Path) -> None:
    load_sample(data_dir)
    runs = overview.ingest_runs(data_dir)
    assert [r.source for r in runs] == ["recharges", "calls"]
    assert (runs[0].accepted, runs[0].quarantined, runs[0].duplicates) == (50, 3, 7)
    assert runs[0].label == "充值缴费"


def test_an_ingest_line_stamped_time_instead_of_at_still_has_its_time(data_dir: Path) -> None:
    entry = ingest_entry("a.csv", "calls", 1, "2026-11-01T00:00:00+00:00")
    entry["time"] = entry.pop("at")
    write_ingest_log(data_dir, [entry])
    (run,) = overview.ingest_runs(data_dir)
    assert run.at is not None and run.at.isoformat() == "2026-11-01T00:00:00+00:00"


def test_the_ingest_table_shows_file_names_but_not_server_folders(
    client_for: Callable[[str], Client], data_dir: Path
) -> None:
    load_sample(data_dir)
    html = _html(client_for("admin"))
    assert "recharges-2026-10.csv" in html
    assert "/srv/drop" not in html


def test_without_an_ingest_log_the_page_says_so(
    client_for: Callable[[str], Client], data_dir: Path
) -> None:
    assert overview.ingest_runs(data_dir) == []
    assert "还没有导入记录" in _html(client_for("admin"))


def test_every_domain_of_the_loop_is_a_link_for_the_analyst(
    client_for: Callable[[str], Client],
) -> None:
    html = _html(client_for("analyst"), "/")
    assert 'aria-current="page">首页</a>' in html
    for url, label in (
        ("/indicators/", "指标矩阵"),
        ("/complaints/", "投诉工单"),
        ("/tracing/", "投诉溯源"),
        ("/improvement/", "改进管理"),
        ("/assessment/", "考核评价"),
    ):
        assert f'<a class="nav-item" href="{url}">{label}</a>' in html
    assert "is-disabled" not in html


def test_a_domains_entry_stays_lit_on_every_page_of_the_domain(
    client_for: Callable[[str], Client],
) -> None:
    html = _html(client_for("analyst"), "/indicators/competitors/")
    lit = '<a class="nav-item is-active" href="/indicators/" aria-current="page">指标矩阵</a>'
    assert lit in html


def test_the_top_bar_names_the_user_role_and_scope(client_for: Callable[[str], Client]) -> None:
    manager = _html(client_for("manager_a"), "/")
    assert "分公司服务经理" in manager and '<span class="chip chip-scope"' in manager
    assert "全省" in _html(client_for("analyst"), "/")
    assert 'action="/logout/"' in manager and 'method="post"' in manager
    assert "/org/audit/" not in manager  # the administrators' links are for administrators
    assert "/org/audit/" in _html(client_for("admin"), "/")


def test_htmx_comes_from_the_django_htmx_package_not_a_cdn(
    client_for: Callable[[str], Client],
) -> None:
    html = _html(client_for("analyst"), "/")
    # The package's file, served by SQM, its URL versioned by content (sqm.web.static_files).
    assert re.search(
        r'<script src="/static/django_htmx/htmx-2\.min\.js\?v=[0-9a-f]{12}" defer>', html
    )
    assert "http://" not in html and "https://" not in html


def test_the_inventory_needs_the_same_queries_for_one_branch_or_thirteen(
    client_for: Callable[[str], Client], django_assert_max_num_queries: Any
) -> None:
    # The hall lists are prefetched: no query per branch (a NetBox-style N+1 guard).
    client = client_for("admin")
    with django_assert_max_num_queries(8):
        _html(client)
