"""Shared fixtures: the standing cast and the rule that real-component tests never skip in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from sqm.org.core.roles import Role

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
CAST_PASSWORD = "cast-password-123"


# The installed `sqm` script beside this Python, as a user runs it (or the module, uninstalled).
SQM_SCRIPT = Path(sys.executable).with_name("sqm")
SQM_COMMAND = [str(SQM_SCRIPT)] if SQM_SCRIPT.exists() else [sys.executable, "-m", "sqm"]


def sqm_environment(data_dir: Path) -> dict[str, str]:
    """The test's environment minus its database, pointed at ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQM_DEBUG")}
    env.update(SQM_DATA_DIR=str(data_dir), SQM_SECRET_KEY="test", COLUMNS="200")
    return env


def sqm(data_dir: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``sqm ARGS`` in a separate process on ``data_dir``."""
    return subprocess.run(
        [*SQM_COMMAND, *args],
        env=sqm_environment(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def require(condition: bool, reason: str) -> None:
    """Skip on a developer's laptop; fail in CI, where every real component must run."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"required in CI but unavailable: {reason}")
    pytest.skip(reason)


def dataset(relative: str) -> Path:
    path = DATASETS / relative
    require(path.exists(), f"shared data set missing: {path}")
    return path


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    require(Path(path).exists(), "Chromium not installed (apt-get install chromium)")
    return path


# Without the background-networking flags Chromium keeps dialling Google's hosts, which this
# closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@contextmanager
def chromium(chromium_path: str) -> Iterator[Any]:
    """The system's Chromium driven by Playwright (never a downloaded browser)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def browser_page(chromium_path: str, *, height: int = 900, locale: str = "zh-CN") -> Iterator[Any]:
    """One page of a fresh browser context, 1440 px wide."""
    with chromium(chromium_path) as browser:
        context = browser.new_context(viewport={"width": 1440, "height": height}, locale=locale)
        try:
            yield context.new_page()
        finally:
            context.close()


@pytest.fixture
def data_dir(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """A fresh SQM data dir for one test, seen by settings and the event store."""
    settings.DATA_DIR = tmp_path
    old = os.environ.get("SQM_DATA_DIR")
    os.environ["SQM_DATA_DIR"] = str(tmp_path)
    yield tmp_path
    if old is None:
        os.environ.pop("SQM_DATA_DIR", None)
    else:
        os.environ["SQM_DATA_DIR"] = old


@pytest.fixture
def reference(db: None) -> None:
    from sqm.org.reference import load_province

    load_province()


# The standing cast, by the names every test uses: who they are and where they belong. A branch
# person of A (南京, NJ) must never see B's (无锡, WX) data.
CAST_ROLES: dict[str, tuple[Role, dict[str, str]]] = {
    "analyst": (Role.ANALYST, {}),
    "manager_a": (Role.BRANCH_MANAGER, {"branch": "NJ"}),
    "manager_b": (Role.BRANCH_MANAGER, {"branch": "WX"}),
    "handler_a": (Role.COMPLAINT_HANDLER, {"branch": "NJ"}),
    "handler_b": (Role.COMPLAINT_HANDLER, {"branch": "WX"}),
    "supervisor_a": (Role.SUPERVISOR, {"branch": "NJ"}),
    "liaison": (Role.DEPARTMENT_LIAISON, {"department": "network"}),
    "billing_liaison": (Role.DEPARTMENT_LIAISON, {"department": "csc"}),
    "executive": (Role.EXECUTIVE, {}),
    "admin": (Role.ADMINISTRATOR, {}),
    "spam_reviewer": (Role.SPAM_REVIEWER, {}),
    "spam_reviewer_2": (Role.SPAM_REVIEWER, {}),
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """PBKDF2 costs ~0.3 s a user; MD5 changes nothing the tests check. (Autouse, so it is in
    place before anyone is created; skipped when the pure tests run without the Django plugin.)"""
    if request.config.pluginmanager.hasplugin("django"):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _create(names: Iterable[str]) -> dict[str, Any]:
    from sqm.org.users import create_user

    return {
        name: create_user(name, CAST_ROLES[name][0], password=CAST_PASSWORD, **CAST_ROLES[name][1])
        for name in names
    }


@pytest.fixture(autouse=True)
def _default_language(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts in the default language (Chinese). A request with another language
    leaves it active on the thread (LocaleMiddleware activates, nothing deactivates), so
    without this a Chinese message check depends on which test ran before it."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def cast(reference: None) -> dict[str, Any]:
    """The core of the cast: a province-wide analyst, the manager of branch A (南京, NJ) and the
    manager of branch B (无锡, WX), who must never see A's data."""
    return _create(("analyst", "manager_a", "manager_b"))


@pytest.fixture
def people(cast: dict[str, Any]) -> dict[str, Any]:
    """Everyone of the standing cast (CAST_ROLES), by name: ``people["handler_a"]``. All of them
    exist, so a test that someone is *not* offered or shown cannot pass for want of the person
    (the twelve cost ~70 ms with the fast hasher)."""
    return {**cast, **_create(name for name in CAST_ROLES if name not in cast)}


ClientFor = Callable[[str], Any]
ANONYMOUS = "anonymous"


@pytest.fixture
def client_for(people: dict[str, Any], data_dir: Path) -> ClientFor:
    """``client_for("manager_a")``: a test client signed in as that person (or anonymous)."""
    from django.test import Client

    def make(who: str) -> Client:
        client = Client()
        if who != ANONYMOUS:
            # force_login: the login form has its own tests; here only the session matters.
            client.force_login(people[who])
        return client

    return make


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """Django's real WSGI application (for schemathesis). Like Django's test client, it must not
    close the database connection at the end of each request: the test's transaction lives on
    it."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def schema_operations(schema: Any, base: str) -> dict[str, Any]:
    """A schemathesis schema's operations by ``"METHOD /path"`` (the path without ``base``)."""
    found = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        found[f"{operation.method.upper()} {operation.path.removeprefix(base)}"] = operation
    return found


def never_a_server_error(operation: Any, mode: Any, headers: dict[str, str], examples: int) -> None:
    """Drive one schemathesis operation with hypothesis (schemathesis' own pytest integration
    does not run under pytest 9): every generated request is answered as the served schema
    documents it (status, content type, body) and never with a server error. "Schema-valid data
    is accepted" is left out: well-formed input may still be refused for a business reason the
    schema cannot express (an unknown code, a row outside the caller's scope)."""
    from hypothesis import HealthCheck, given, settings
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case: Any) -> None:
        # Plain bodies: schemathesis' WSGI transport reads a gzipped body (GZipMiddleware
        # compresses for any client that accepts it) as undecodable JSON.
        plain = {**headers, "Accept-Encoding": "identity"}
        case.call_and_validate(headers=plain, excluded_checks=[positive_data_acceptance])

    run()


def _uses_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db")
        or fixtures & {"db", "transactional_db", "live_server", "django_db_setup"}
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Choose what this run covers.

    The suite runs twice in `make test`: everything on SQLite, then (SQM_TEST_DB_ONLY=1, under
    scripts/with-postgres) every database test again on PostgreSQL. Tests marked `postgres`
    need PostgreSQL's behaviour (row locks, real concurrency), so they run only in that pass.
    """
    from django.conf import settings

    # Without the Django plugin (-p no:django) only pure tests run: nothing to choose.
    if not settings.configured:
        return
    on_postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    db_only = os.environ.get("SQM_TEST_DB_ONLY") == "1"
    keep, drop = [], []
    for item in items:
        wanted = (_uses_database(item) or not db_only) and (
            on_postgres or not item.get_closest_marker("postgres")
        )
        (keep if wanted else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
