"""``manage.py complaints_sweep``: one SLA sweep, for cron or any scheduler (no extra server).

Safe to start while another sweep runs, and to repeat: see sqm.complaints.workflow.sweeper."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sqm.complaints.workflow.sweeper import sweep


class Command(BaseCommand):
    help = "Mark SLA warnings and breaches of open work orders and escalate breached ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="Sweep as of this ISO time (default: now)")
        parser.add_argument("--batch-size", type=int, default=None, help="rows a transaction")
        parser.add_argument("--lock-wait", type=float, default=None, help="seconds (90)")

    def handle(self, *args: Any, **options: Any) -> None:
        moment = None
        if options["at"]:
            try:
                moment = datetime.fromisoformat(options["at"])
            except ValueError as error:
                raise CommandError(f"--at: {error}") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        result = sweep(moment, batch_size=options["batch_size"], lock_wait=options["lock_wait"])
        counts = " ".join(f"{k}={v}" for k, v in result.counts().items())
        self.stdout.write(f"{counts} seconds={result.seconds:.3f}")
        if result.skipped:
            raise CommandError(
                f"{result.skipped} due work orders were locked by other sessions; not marked"
            )
