"""`sqm demo`: a realistic province, computed and served, in one command."""

from __future__ import annotations

import calendar
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sqm.bootstrap import DataDirOption, setup
from sqm.org.core.roles import ROLE_LABELS_ZH, Role

DEMO_PASSWORD = "sqm-demo-2026"


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    role: Role
    branch: str | None = None
    department: str | None = None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", Role.ADMINISTRATOR),
    DemoUser("analyst", Role.ANALYST),
    DemoUser("manager_nj", Role.BRANCH_MANAGER, branch="NJ"),
    DemoUser("manager_wx", Role.BRANCH_MANAGER, branch="WX"),
    DemoUser("liaison_network", Role.DEPARTMENT_LIAISON, department="network"),
    DemoUser("handler_nj", Role.COMPLAINT_HANDLER, branch="NJ"),
    DemoUser("supervisor", Role.SUPERVISOR),
    DemoUser("reviewer", Role.SPAM_REVIEWER),
    DemoUser("executive", Role.EXECUTIVE),
)


def previous_month(today: date | None = None) -> str:
    today = today or date.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def month_before(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return f"{year:04d}-{number:02d}"


def create_demo_users() -> None:
    from sqm.org.users import create_user

    for u in DEMO_USERS:
        create_user(
            u.username,
            u.role,
            password=DEMO_PASSWORD,
            branch=u.branch,
            department=u.department,
        )


def print_demo_users(console: Console, url: str | None) -> None:
    table = Table(title=f"演示用户 · demo users (password: {DEMO_PASSWORD})")
    for column in ("username", "role", "scope"):
        table.add_column(column)
    for u in DEMO_USERS:
        table.add_row(
            u.username,
            f"{ROLE_LABELS_ZH[u.role]} ({u.role.value})",
            u.branch or u.department or "全省",
        )
    console.print(table)
    if url:
        console.print(f"SQM is serving at [bold]{url}[/bold] — Ctrl+C to stop")


# The public SMS spam sets beside the repository (../shared/datasets) train the demo's model;
# nothing is downloaded. Without them the demo says how to train one.
SPAM_TRAINING_SETS = (
    "sms_spam_zh/sms_zh_5000.tsv",
    "sms_spam_zh/junk_message_1097.tsv",
    "sms_spam_en/SMSSpamCollection.tsv",
)


def datasets_dir() -> Path:
    # A source checkout sits beside shared/: src/sqm/demo/showcase.py → the repository's parent.
    beside_checkout = Path(__file__).resolve().parents[4] / "shared" / "datasets"
    return Path(os.environ.get("SQM_DATASETS_DIR", beside_checkout))


def compute_spam_cases(console: Console, directory: Path, months: tuple[str, ...] = ()) -> None:
    """Train the spam model (once per data dir) and open review cases for flagged senders,
    month by month: a case covers its month's reports, so the monthly report counts it in
    that month whatever day the demo runs (without months: every report at once)."""
    from django.utils import timezone

    from sqm.events.core.store import EventStore
    from sqm.lib.periods import Period, parse_period
    from sqm.spam import registry
    from sqm.spam.core.data import read_labelled
    from sqm.spam.core.model import train
    from sqm.spam.flagging import flag

    current = registry.active()
    if current is None:
        files = [datasets_dir() / name for name in SPAM_TRAINING_SETS]
        files = [f for f in files if f.exists()]
        if not files:
            console.print(
                "spam: no training data found; run `sqm spam train --data FILE --register` "
                "to review flagged senders"
            )
            return
        model = train([read_labelled(f) for f in files])
        model.save(directory / "spam" / f"model-{model.version}")
        current = (registry.register(model), model)
    windows: list[Period | None] = [parse_period(m) for m in months] or [None]
    for period in windows:
        since, until = (
            (timezone.make_aware(period.start), timezone.make_aware(period.end))
            if period is not None
            else (None, None)
        )
        run = flag(EventStore(directory), *current, since, until)
        console.print(
            f"spam: model {current[1].version} scored {run.rows:,} reports"
            + (f" of {period.label}" if period is not None else "")
            + f" from {run.senders:,} senders and opened {len(run.result.opened)} review cases"
        )


def compute_indicators(console: Console, directory: Path, month: str) -> None:
    """Every indicator of the month, cut the ways the dashboards read it."""
    from sqm.indicators.results import compute_and_store

    computed = compute_and_store(directory, month)
    rows = sum(c.result_set.rows for c in computed)
    seconds = sum(c.result_set.seconds for c in computed)
    console.print(
        f"indicators: {rows:,} figures for {month} in {len(computed)} cuts "
        f"({seconds:.1f} s of engine time)"
    )


def last_day_of(month: str) -> date:
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, calendar.monthrange(year, number)[1])


def seed_complaints(console: Console, directory: Path, month: str) -> None:
    """A fortnight of work orders at every stage of the lifecycle, swept once, and the
    callbacks owed for the month's last day's abandoned calls."""
    from sqm.complaints.demo import seed_callbacks, seed_work_orders
    from sqm.events.core.store import EventStore

    seeded = seed_work_orders()
    if seeded.created:
        console.print(
            f"complaints: {seeded.created} work orders, {seeded.open} open, "
            f"{seeded.warnings} clock warnings and {seeded.breaches} breaches after the sweep"
        )
    last_day = last_day_of(month)
    callbacks = seed_callbacks(EventStore(directory), last_day)
    if callbacks.created:
        console.print(
            f"callbacks: {callbacks.created} owed for {last_day}, {callbacks.completed} worked"
        )


def seed_plans(console: Console, directory: Path, month: str) -> None:
    """Next week's hotline, roster, halls and billing-cycle plans from the month's events."""
    from sqm.events.core.store import EventStore
    from sqm.planning.demo import seed_plans as seed

    last_day = last_day_of(month)
    seeded = seed(EventStore(directory), last_day)
    if seeded.created:
        console.print(
            f"planning: {seeded.created} plans; next week's hotline peaks at "
            f"{seeded.peak_agents} agents on the phones, roster {seeded.roster_status}, "
            f"four bill cycles cut the peak day by {seeded.peak_cut:.0%}"
        )


def seed_tracing(console: Console, directory: Path, month: str) -> None:
    """Signals of both demo months and the case of the planted fix with its effect."""
    from sqm.tracing.demo import seed_tracing as seed

    seeded = seed(directory, (month_before(month), month))
    counts = ", ".join(f"{m}: {n}" for m, n in seeded.signals.items())
    console.print(f"tracing: signals {counts}", end="")
    if seeded.case and seeded.effect is not None and seeded.ci is not None:
        low, high = seeded.ci
        console.print(
            f"; case {seeded.case} effect {seeded.effect:+.0%} (95% CI {low:+.0%} … {high:+.0%})"
        )
    else:
        console.print(f"; case {seeded.case or '—'}")


def seed_spam_reviews(console: Console) -> None:
    """A reviewer's week on the flagged senders: confirmed and suspended, rejected, a
    high-impact one confirmed by two people, one appeal granted."""
    from django.contrib.auth import get_user_model

    from sqm.spam.demo import seed_reviews

    users = get_user_model().objects
    seeded = seed_reviews(users.get(username="reviewer"), users.get(username="admin"))
    console.print(
        f"spam: {seeded.confirmed} senders confirmed, {seeded.rejected} rejected, "
        f"{seeded.suspended} suspended, {seeded.appeals_granted} appeal granted"
    )


def seed_improvement(console: Console, month: str) -> None:
    """Two service meetings of the month with their decisions, ~30 action items, two focus
    projects and a product launch."""
    from sqm.improvement.demo import seed_improvement as seed

    seeded = seed(month)
    states = ", ".join(f"{k} {v}" for k, v in sorted(seeded.by_status.items()))
    console.print(
        f"improvement: {seeded.meetings} meetings, {seeded.actions} action items ({states}); "
        f"{seeded.overdue} overdue, {seeded.escalated} escalated; {seeded.projects} focus "
        f"projects, {seeded.launches} launch"
    )


# What the 13+N scores read of the month before (the demo's full cuts are the month's own).
ASSESSMENT_CUTS: tuple[tuple[str, ...], ...] = ((), ("branch",), ("tier",), ("branch", "tier"))


def seed_assessment(console: Console, directory: Path, month: str) -> None:
    """Both months' 13+N scores: the month before gets the figures they read first."""
    from sqm.assessment.demo import seed_assessment as seed
    from sqm.indicators.results import compute_and_store, periods

    before = month_before(month)
    if before not in periods():
        compute_and_store(directory, before, ASSESSMENT_CUTS)
    seeded = seed((before, month))
    leaders = ", ".join(f"{m}: {name} {score:.1f}" for m, (name, score) in seeded.months.items())
    console.print(f"assessment: first branch {leaders}", end="")
    if seeded.moved:
        console.print(f"; most improved {seeded.moved[0]} {seeded.moved[1]:+.1f}")
    else:
        console.print()


def seed_notifications(console: Console) -> None:
    """A few notifications of every kind for the demo people, who get mail addresses."""
    from sqm.notifications.demo import seed_notifications as seed

    seeded = seed()
    console.print(f"notifications: {seeded.notifications} for {seeded.people} people")


def demo(
    scale: Annotated[str, typer.Option(help="tiny, small, medium or province")] = "small",
    month: Annotated[str | None, typer.Option(help="YYYY-MM (default: last month)")] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the generated province")] = 2026,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Stop after computing")] = False,
    host: Annotated[str, typer.Option(help="Address to serve on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on")] = 8000,
    data_dir: DataDirOption = None,
) -> None:
    """Generate a demo province, compute what exists, create demo users and serve the web UI."""
    from sqm.demo.core.generator import generate_month

    console = Console()
    directory = setup(data_dir)
    from sqm.org.reference import ensure_reference_loaded

    ensure_reference_loaded()
    month = month or previous_month()
    # Two months: the month before gives the detectors a history and the planted fix (a
    # chronic problem that stops early in ``month``) a before window to be measured against.
    for generated in (month_before(month), month):
        report = generate_month(
            directory, scale=scale, month=generated, seed=seed, progress=True, fix_month=month
        )
        console.print(
            f"generated {report.total_events:,} events for {generated} ({scale}) "
            f"in {report.seconds:.1f} s"
        )
    compute_indicators(console, directory, month)
    compute_spam_cases(console, directory, (month_before(month), month))
    create_demo_users()
    seed_complaints(console, directory, month)
    seed_plans(console, directory, month)
    seed_tracing(console, directory, month)
    seed_spam_reviews(console)
    seed_improvement(console, month)
    seed_assessment(console, directory, month)
    seed_notifications(console)
    url = None if no_serve else f"http://{host}:{port}/"
    print_demo_users(console, url)
    if no_serve:
        return
    from sqm.web.cli import serve

    serve(host, port)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
