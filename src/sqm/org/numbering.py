"""Human numbers per day (work orders ``TT…``, tracing cases ``SP…``): one counter row per day,
bumped in one statement so that concurrent writers never hand out the same number."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Model


def next_in_sequence(sequence: type[Model], day: date) -> int:
    """The next number of ``day`` in ``sequence`` (a model with ``day`` as its primary key and
    a ``last`` counter). The upsert runs as its own statement before the caller's transaction
    (when called outside one), so concurrent writers hold the row's lock for one statement
    only; a failed write afterwards leaves a gap, never a duplicate."""
    table = connection.ops.quote_name(sequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, last) VALUES (%s, 1) "
            f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [day.isoformat()],
        )
        (last,) = cursor.fetchone()
    return int(last)
