"""The TMF656 hub: a listener registered with POST /hub receives each committed change as the
specification's event, on a real HTTP server on this machine — and only for the problems its
owner may see."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from sqm.tmf import hub
from sqm.tmf.models import Delivery, Listener
from sqm.tracing.tmf import events
from tests.tracing.tmf.conftest import Contract, MakeCase, new_problem, send

pytestmark = pytest.mark.django_db


class Receiver:
    """A listener's endpoint: every POST body it received, in order."""

    def __init__(self) -> None:
        self.received: queue.Queue[tuple[str, Any]] = queue.Queue()
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                received.put((self.path, json.loads(self.rfile.read(length))))
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/listener"

    def events(self) -> list[Any]:
        found = []
        while not self.received.empty():
            found.append(self.received.get_nowait()[1])
        return found


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    listener = Receiver()
    thread = threading.Thread(target=listener.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        listener.server.shutdown()
        listener.server.server_close()


def _register(client: Any, callback: str, query: str | None = None) -> Any:
    body = {"callback": callback} if query is None else {"callback": callback, "query": query}
    response = send(client, "post", "/hub", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_a_registered_listener_receives_the_create_and_the_state_change(
    receiver: Receiver,
    client_for: Any,
    contract: Contract,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for("analyst")
    _register(client, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        created = send(client, "post", "/serviceProblem", new_problem())
    number = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        send(client, "patch", f"/serviceProblem/{number}", {"status": "inProgress"})
    create, change = receiver.events()  # one event per request, nothing else
    assert create["eventType"] == "ServiceProblemCreateEvent"
    contract.check(create, "ServiceProblemCreateEvent")
    assert create["event"]["serviceProblem"]["id"] == number
    assert change["eventType"] == "ServiceProblemStateChangeEvent"
    contract.check(change, "ServiceProblemStateChangeEvent")
    assert change["event"]["serviceProblem"]["status"] == "inProgress"
    assert Listener.objects.get().delivered == 2


def test_a_change_made_outside_the_api_reaches_the_listener_too(
    receiver: Receiver,
    client_for: Any,
    make_case: MakeCase,
    people: Any,
    contract: Contract,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from sqm.tracing import services

    case = make_case()
    _register(client_for("analyst"), receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_root_cause(people["analyst"], case.number, "execution_process", "未按流程")
    (event,) = receiver.events()
    contract.check(event, "ServiceProblemAttributeValueChangeEvent")
    assert event["fieldPath"].startswith("rootCauseResource")
    assert event["event"]["serviceProblem"]["reason"] == "未按流程"


def test_a_listener_hears_only_of_problems_its_owner_may_see(
    receiver: Receiver,
    client_for: Any,
    make_case: MakeCase,
    people: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from sqm.tracing import services

    nj, wx = make_case(branches=["NJ"]), make_case(branches=["WX"], title="无锡")
    _register(client_for("manager_b"), receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        services.move_stage(people["analyst"], nj.number, "investigating")
    assert receiver.events() == []
    with django_capture_on_commit_callbacks(execute=True):
        services.move_stage(people["analyst"], wx.number, "investigating")
    assert [e["event"]["serviceProblem"]["id"] for e in receiver.events()] == [wx.number]


def test_a_query_narrows_the_events_and_unregistering_stops_them(
    receiver: Receiver,
    client_for: Any,
    make_case: MakeCase,
    people: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from sqm.tracing import services

    case = make_case()
    client = client_for("analyst")
    listener = _register(client, receiver.url, "eventType=ServiceProblemStateChangeEvent")
    with django_capture_on_commit_callbacks(execute=True):
        services.add_note(people["analyst"], case.number, "只是备注")
        services.move_stage(people["analyst"], case.number, "investigating")
    assert [e["eventType"] for e in receiver.events()] == ["ServiceProblemStateChangeEvent"]
    assert send(client, "delete", f"/hub/{listener['id']}").status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        services.move_stage(people["analyst"], case.number, "measures_in_progress")
    assert receiver.events() == []


def test_a_listener_that_is_down_costs_its_delivery_not_the_change(
    client_for: Any, make_case: MakeCase, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case()
    client = client_for("analyst")
    # A port nothing listens on: bind one, note it, close it.
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    _register(client, f"http://127.0.0.1:{port}/gone")
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "patch", f"/serviceProblem/{case.number}", {"status": "closed"})
    assert response.status_code == 200
    listener = Listener.objects.get()
    assert (listener.delivered, listener.failed) == (0, 1) and listener.last_error


@pytest.mark.parametrize(
    "body",
    [
        {"callback": "file:///etc/passwd"},
        {"callback": "http://127.0.0.1:9/x", "query": "eventType=NoSuchEvent"},
        {"callback": "http://127.0.0.1:9/x", "query": "status=closed"},
    ],
)
def test_a_callback_that_is_not_http_or_a_filter_that_never_matches_is_refused(
    body: dict[str, Any], client_for: Any
) -> None:
    response = send(client_for("analyst"), "post", "/hub", body)
    assert response.status_code == 400
    assert not Listener.objects.exists()


def test_only_the_owner_unregisters_a_listener(client_for: Any) -> None:
    listener = _register(client_for("manager_a"), "http://127.0.0.1:9/a")
    assert send(client_for("manager_b"), "delete", f"/hub/{listener['id']}").status_code == 404
    assert Listener.objects.filter(pk=int(listener["id"])).exists()


@pytest.fixture(autouse=True)
def _forget_what_was_sent() -> None:
    # The hub remembers per thread which events of a case version it sent; each test's
    # database starts its case ids again, so a case here may share an earlier test's id.
    events._sent.cases = {}


class Flaky(Receiver):
    """An endpoint that answers 503 to its first ``failures`` POSTs, then takes them."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        received, left = self.received, [failures]

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                if left[0] > 0:
                    left[0] -= 1
                    self.send_response(503)
                else:
                    received.put((self.path, body))
                    self.send_response(201)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server.RequestHandlerClass = Handler


@pytest.fixture
def flaky() -> Iterator[Flaky]:
    endpoint = Flaky(failures=2)
    thread = threading.Thread(target=endpoint.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        endpoint.server.shutdown()
        endpoint.server.server_close()


def test_an_event_a_listener_missed_waits_in_the_outbox_and_the_sweep_sends_it_later(
    client_for: Any, make_case: MakeCase, django_capture_on_commit_callbacks: Any, flaky: Flaky
) -> None:
    case = make_case()
    client = client_for("analyst")
    _register(client, flaky.url, "eventType=ServiceProblemStateChangeEvent")
    with django_capture_on_commit_callbacks(execute=True):
        send(client, "patch", f"/serviceProblem/{case.number}", {"status": "closed"})
    (waiting,) = Delivery.objects.all()
    assert waiting.attempts == 1 and waiting.last_error == "HTTP 503"
    first_due = waiting.next_attempt_at
    assert hub.sweep(first_due - timedelta(seconds=1)) == hub.Sweep(0, 0, 0)  # not due yet
    assert hub.sweep(first_due) == hub.Sweep(0, 1, 0)  # 503 again: waits twice as long
    waiting.refresh_from_db()
    assert waiting.attempts == 2 and waiting.next_attempt_at - first_due == hub.pause(2)
    assert hub.sweep(waiting.next_attempt_at) == hub.Sweep(1, 0, 0)
    assert not Delivery.objects.exists()
    (event,) = flaky.events()
    assert event["eventType"] == "ServiceProblemStateChangeEvent"
    assert event["event"]["serviceProblem"]["id"] == case.number
    listener = Listener.objects.get()
    assert (listener.delivered, listener.failed) == (1, 2)


def test_an_event_is_given_up_after_the_last_attempt(
    client_for: Any, make_case: MakeCase, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case()
    client = client_for("analyst")
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()  # nothing listens there
    _register(client, f"http://127.0.0.1:{port}/gone")
    with django_capture_on_commit_callbacks(execute=True):
        send(client, "patch", f"/serviceProblem/{case.number}", {"status": "closed"})
    tried = []
    while (waiting := Delivery.objects.first()) is not None:
        tried.append(hub.sweep(waiting.next_attempt_at))
    assert tried[-1] == hub.Sweep(0, 0, 1)
    assert len(tried) == hub.MAX_ATTEMPTS - 1  # the first POST was the first attempt
    assert Listener.objects.get().failed == hub.MAX_ATTEMPTS
