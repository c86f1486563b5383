"""The list takes the parameters it documents, sorts by TMF630 ``sort``, and refuses what it
does not support instead of answering the whole list (issue 24, point 3)."""

from __future__ import annotations

import pytest

from tests.complaints.conftest import MakeOrder, at
from tests.complaints.web.conftest import ClientFor, send

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "filter=attachment[?(@size==300)]",
        "description=多扣",
        "name=x",
        "before=abc",
        "status=acknowledged&colour=blue",
    ],
)
def test_an_unsupported_query_parameter_is_a_400_naming_it(
    query: str, make_order: MakeOrder, client_for: ClientFor
) -> None:
    make_order("handler_a")
    response = send(client_for("handler_a"), "get", f"?{query}")
    assert response.status_code == 400, response.content
    name = query.split("&")[-1].split("=")[0]
    assert name in response.json()["message"]


def test_sort_orders_by_the_named_attributes_either_way(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    old = make_order("handler_a", severity="low", created_at=at(2))
    mid = make_order("handler_a", severity="critical", created_at=at(3))
    new = make_order("handler_a", severity="medium", created_at=at(4))
    client = client_for("handler_a")

    def ids(sort: str) -> list[str]:
        response = send(client, "get", f"?sort={sort}")
        assert response.status_code == 200, response.content
        return [t["id"] for t in response.json()]

    assert ids("creationDate") == [old.number, mid.number, new.number]
    assert ids("-creationDate") == [new.number, mid.number, old.number]
    assert ids("-severity") == [mid.number, new.number, old.number]
    assert ids("severity,-creationDate") == [old.number, new.number, mid.number]


def test_sorting_by_an_attribute_the_list_cannot_sort_by_is_a_400(
    client_for: ClientFor,
) -> None:
    response = send(client_for("handler_a"), "get", "?sort=description")
    assert response.status_code == 400
    assert "description" in response.json()["message"]
