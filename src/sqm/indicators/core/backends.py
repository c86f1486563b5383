"""The one place that knows which engines run the indicator queries.

A session reads Parquet files into an Ibis table and runs expressions. DuckDB in-process is
the default; PySpark (``--engine spark``) arrives in a later round and plugs in here — the
queries themselves use only operations both backends compile.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import ibis
import ibis.expr.types as ir
import pyarrow as pa

SUPPORTED_BACKENDS: tuple[str, ...] = ("duckdb",)
PLANNED_BACKENDS: tuple[str, ...] = ("spark",)


class UnsupportedBackendError(ValueError):
    pass


class Session(Protocol):
    name: str

    def read_parquet(self, files: Sequence[str]) -> ir.Table: ...

    def execute(self, expression: ir.Table) -> tuple[pa.Table, str]:
        """The result and the SQL the engine ran (compiled once)."""
        ...

    def sql(self, expression: ir.Table) -> str: ...

    def explain(self, sql: str) -> str: ...

    def close(self) -> None: ...


class DuckDBSession:
    """An in-memory DuckDB connection for one computation (views die with it)."""

    name = "duckdb"

    def __init__(self) -> None:
        self.connection = ibis.duckdb.connect()

    def read_parquet(self, files: Sequence[str]) -> ir.Table:
        # The store's folders are named day=YYYY-MM-DD; hive detection would add a `day`
        # column that clashes with the day dimension, and the time column already has it.
        return self.connection.read_parquet(list(files), hive_partitioning=False)

    def execute(self, expression: ir.Table) -> tuple[pa.Table, str]:
        sql = self.sql(expression)
        relation = self.connection.con.sql(sql)
        # duckdb >= 1.4 names it to_arrow_table; older releases call it arrow.
        fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
        result: pa.Table = fetch()
        return result, sql

    def sql(self, expression: ir.Table) -> str:
        return str(self.connection.compile(expression))

    def explain(self, sql: str) -> str:
        """DuckDB's physical plan (each Parquet scan shows as ``READ_PARQUET``)."""
        rows = self.connection.raw_sql("EXPLAIN " + sql).fetchall()
        return "\n".join(str(row[1]) for row in rows)

    def close(self) -> None:
        self.connection.disconnect()


def open_session(backend: str) -> Session:
    if backend == "duckdb":
        return DuckDBSession()
    if backend in PLANNED_BACKENDS:
        raise UnsupportedBackendError(
            f"the {backend} backend is planned but not wired yet; use one of {SUPPORTED_BACKENDS}"
        )
    raise UnsupportedBackendError(f"unknown backend {backend!r}; use one of {SUPPORTED_BACKENDS}")
