"""Two people closing the same item: one wins, the other gets a clear conflict — with the
version both pages read (any database), and in a real race (PostgreSQL, row locks)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from sqm.improvement import services
from tests.improvement.conftest import MakeAction


def done_item(people: dict[str, Any], make_action: MakeAction) -> Any:
    item = make_action()
    services.add_evidence(people["manager_a"], item.pk, note="窗口已增开")
    return services.take_step(people["manager_a"], item.pk, "complete")


@pytest.mark.django_db
def test_the_second_of_two_verifiers_who_read_the_same_version_gets_a_conflict(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = done_item(people, make_action)
    seen = item.version
    services.take_step(people["analyst"], item.pk, "verify", expected_version=seen)
    with pytest.raises(services.ConcurrentEdit, match="请刷新后重试"):
        services.take_step(
            people["admin"], item.pk, "reopen", reason="不认可", expected_version=seen
        )
    item.refresh_from_db()
    assert item.status == "verified" and item.verified_by == people["analyst"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_closing_at_once_one_wins_and_the_other_is_told_it_is_closed(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = done_item(people, make_action)
    verifiers = [people["analyst"], people["admin"]]
    start = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def close(who: Any) -> None:
        try:
            start.wait()
            try:
                services.take_step(who, item.pk, "verify")
                outcome = "won"
            except services.IllegalStep as refused:
                outcome = f"conflict: {refused.message_zh}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(v,)) for v in verifiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "won"]
    assert any("已验证关闭" in o for o in outcomes)
    item.refresh_from_db()
    assert item.status == "verified"
    assert item.events.filter(kind="step", to_status="verified").count() == 1
