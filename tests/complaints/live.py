"""A live SQM from outside: ``sqm serve`` (waitress) in a subprocess on its own database, driven
over real HTTP through the TMF621 API, with ``sqm`` commands run beside it.

Used by tests/complaints/test_live_writes.py and benchmarks/concurrent_writes.py. The server
gets a data dir of its own (SQLite file) or, when ``database_url`` is given, a fresh PostgreSQL
database on that server (``fresh_postgres_database``), so what it sees is what a user's install
sees: a file database in WAL mode, not pytest-django's in-memory one.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tests.conftest import SQM_COMMAND, sqm_environment

TMF = "/tmf-api/troubleTicket/v5/troubleTicket"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ticket(customer: str, branch: str = "NJ") -> dict[str, Any]:
    """A TMF621 create body for a billing complaint of ``customer``."""
    return {
        "@type": "TroubleTicket",
        "ticketType": "complaint",
        "description": "本月账单多扣了30元流量费",
        "severity": "high",
        "channel": {"id": "hotline"},
        "relatedParty": [
            {"role": "customer", "partyOrPartyRole": {"id": customer, "@referredType": "Customer"}}
        ],
        "troubleTicketCharacteristic": [
            {"name": "category", "value": "bills.overcharge", "valueType": "string"},
            {"name": "branch", "value": branch, "valueType": "string"},
        ],
    }


@dataclass
class Tally:
    """Status codes seen, thread-safe; 5xx bodies kept (a few) to say what failed."""

    codes: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lock: Lock = field(default_factory=Lock)

    def add(self, status: int, body: Any) -> None:
        with self.lock:
            self.codes[status] += 1
            if status >= 500 and len(self.errors) < 5:
                self.errors.append(f"{status}: {str(body)[:300]}")

    @property
    def server_errors(self) -> int:
        return sum(n for code, n in self.codes.items() if code >= 500)


@dataclass
class LiveSqm:
    base_port: int
    token: str
    data_dir: Path
    env: dict[str, str]

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        """One HTTP request on a new connection; (status, headers, JSON or text body)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.base_port, timeout=120)
        sent = {"Authorization": f"Token {self.token}", **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=payload, headers=sent)
            response = connection.getresponse()
            raw = response.read()
            answer: Any = raw.decode(errors="replace")
            if response.getheader("Content-Type", "").startswith("application/json"):
                answer = json.loads(raw)
            return response.status, dict(response.getheaders()), answer
        finally:
            connection.close()

    def create(self, customer: str, tally: Tally) -> str | None:
        """POST a ticket; its number when created."""
        status, _, body = self.request("POST", TMF, ticket(customer))
        tally.add(status, body)
        return body["id"] if status == 201 else None

    def patch(self, number: str, body: dict[str, Any], tally: Tally, **headers: str) -> int:
        status, _, answer = self.request("PATCH", f"{TMF}/{number}", body, headers)
        tally.add(status, answer)
        return status

    def server_log(self) -> str:
        return (self.data_dir / "serve.log").read_text(errors="replace")

    def sqm(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*SQM_COMMAND, *args, "--data-dir", str(self.data_dir)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        """``sqm ARGS`` running in the background on the server's database."""
        return subprocess.Popen(
            [*SQM_COMMAND, *args, "--data-dir", str(self.data_dir)],
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


def environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = sqm_environment(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextmanager
def live_sqm(
    data_dir: Path, database_url: str | None = None, *, threads: int = 8
) -> Iterator[LiveSqm]:
    """``sqm serve`` on ``data_dir`` (and ``database_url`` when given) with a complaint
    handler of 南京 (NJ) who has an API token."""
    env = environment(data_dir, database_url)
    made = subprocess.run(
        [
            *SQM_COMMAND,
            "createuser",
            "live_handler",
            "--role",
            "complaint_handler",
            "--branch",
            "NJ",
            "--token",
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if made.returncode != 0:
        raise RuntimeError(f"sqm createuser failed:\n{made.stdout}\n{made.stderr}")
    live = LiveSqm(_free_port(), made.stdout.strip().splitlines()[-1], data_dir, env)
    # The log goes to a file: a pipe nobody reads would stall the server once it is full.
    log = (data_dir / "serve.log").open("w")
    server = subprocess.Popen(
        [
            *SQM_COMMAND,
            "serve",
            "--port",
            str(live.base_port),
            "--threads",
            str(threads),
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if live.request("GET", "/login/")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"sqm serve did not come up:\n{live.server_log()[-3000:]}")
            time.sleep(0.2)
        yield live
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def database_url_named(url: str, name: str) -> str:
    """``url`` with its database name replaced by ``name``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def fresh_postgres_database(url: str) -> Iterator[str]:
    """A new, empty database on the server of ``url`` (dropped afterwards); its URL."""
    import psycopg

    name = f"sqm_live_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url_named(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
