"""The one place that knows which engines run the indicator queries.

A session reads Parquet files into an Ibis table and runs expressions. DuckDB in-process is
the default; PySpark (``--engine spark``) runs the very same expressions in local mode (or on
the master named by ``SQM_SPARK_MASTER``). The queries use only operations both backends
compile; what still differs between them is declared once, in ``CAPABILITIES``.

Timestamps: the store writes naive local wall-clock ``timestamp[ms]`` (Parquet
``isAdjustedToUTC=false``). DuckDB reads them as ``TIMESTAMP``; Spark ≥ 3.4 reads them as
``TIMESTAMP_NTZ`` (``spark.sql.parquet.inferTimestampNTZ.enabled``, set explicitly below), so
neither engine shifts a value. Spark's session time zone is UTC and its literal timestamp type
NTZ, so the period bounds Ibis writes as literals compare as the same wall-clock values too.
"""

from __future__ import annotations

import os
import tempfile
import threading
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import ibis
import ibis.expr.types as ir
import pyarrow as pa

if TYPE_CHECKING:
    from pyspark.sql import SparkSession as SparkSQLSession


class UnsupportedBackendError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What differs between engines; asked of here, never tested inline elsewhere.

    ``scan_marker``: how one Parquet scan shows in the engine's physical plan.
    ``exact_percentile``: percentiles are exact with linear interpolation (DuckDB
    ``quantile_cont``, Spark ``percentile``; never Spark's ``approx_percentile``), so the
    two engines agree to the last bit on every percentile indicator.
    ``shared_session``: the engine is started once per process and shared by every
    computation (Spark's JVM takes seconds to start); otherwise each computation opens and
    closes its own connection.
    """

    name: str
    scan_marker: str
    exact_percentile: bool
    shared_session: bool


CAPABILITIES: dict[str, Capabilities] = {
    "duckdb": Capabilities("duckdb", "READ_PARQUET", exact_percentile=True, shared_session=False),
    "spark": Capabilities("spark", "FileScan parquet", exact_percentile=True, shared_session=True),
}
SUPPORTED_BACKENDS: tuple[str, ...] = tuple(CAPABILITIES)
DUCKDB_MEMORY_LIMIT = "2GB"

# Local mode on the machine's two cores; a handful of shuffle partitions (the default 200
# would spend most of a small query scheduling empty tasks); no UI, no progress bars.
SPARK_CONF: dict[str, str] = {
    "spark.app.name": "sqm-indicators",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.adaptive.enabled": "true",
}
# In local mode the driver is this machine: bind it to loopback (no hostname look-up).
SPARK_LOCAL_CONF: dict[str, str] = {
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
}
SPARK_TYPES: dict[pa.DataType, str] = {
    pa.string(): "STRING",
    pa.bool_(): "BOOLEAN",
    pa.int8(): "TINYINT",
    pa.int16(): "SMALLINT",
    pa.int32(): "INT",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
}


class Session(Protocol):
    name: str
    capabilities: Capabilities

    def read_parquet(self, files: Sequence[str], schema: pa.Schema | None = None) -> ir.Table:
        """The files as one table; ``schema`` is what they share, when known."""
        ...

    def execute(self, expression: ir.Table) -> tuple[pa.Table, str]:
        """The result and the SQL the engine ran (compiled once)."""
        ...

    def sql(self, expression: ir.Table) -> str: ...

    def explain(self, sql: str) -> str: ...

    def close(self) -> None: ...


def duckdb_settings() -> dict[str, str]:
    """DuckDB's memory cap and where it spills beyond it (environment overrides).

    Without a cap DuckDB takes up to 80 % of the machine's memory; with one it works out of
    core (the calls window spills past it). 2 GB costs no measurable time at 20M calls
    (benchmarks/README.md) and keeps a whole province-month well under 8 GB.
    """
    spill = os.environ.get("SQM_DUCKDB_TEMP_DIR") or os.path.join(
        tempfile.gettempdir(), "sqm-duckdb"
    )
    return {
        "memory_limit": os.environ.get("SQM_DUCKDB_MEMORY_LIMIT", DUCKDB_MEMORY_LIMIT),
        "temp_directory": spill,
        # Results are grouped rows in no promised order: let operators skip ordering work.
        "preserve_insertion_order": "false",
    }


class DuckDBSession:
    """An in-memory DuckDB connection for one computation (views die with it)."""

    name = "duckdb"
    capabilities = CAPABILITIES["duckdb"]

    def __init__(self) -> None:
        self.connection = ibis.duckdb.connect(**duckdb_settings())

    def read_parquet(self, files: Sequence[str], schema: pa.Schema | None = None) -> ir.Table:
        # DuckDB reads the footers itself (cheap); the schema is not needed.
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


# -- Spark -----------------------------------------------------------------------------------
PANDAS_WARNING = "PySpark does not yet fully support pandas"
_spark_lock = threading.Lock()
_spark_backend: Any = None  # the process's ibis.pyspark backend, built on first use


def spark_available() -> tuple[bool, str]:
    """Whether this process can run Spark, and if not, why (for skips and error messages)."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        return False, 'pyspark is not installed (the spark extra: make env EXTRAS="test spark")'
    java_home = os.environ.get("JAVA_HOME")
    java = os.path.join(java_home, "bin", "java") if java_home else shutil.which("java")
    if not java or not os.path.exists(java):
        return False, "no Java runtime (Spark needs Java 17 or later on PATH or JAVA_HOME)"
    return True, ""


def spark_ddl(schema: pa.Schema) -> str:
    """The schema as Spark DDL; naive timestamps are TIMESTAMP_NTZ (wall-clock, unshifted)."""
    columns = []
    for field in schema:
        if pa.types.is_timestamp(field.type) and field.type.tz is None:
            kind = "TIMESTAMP_NTZ"
        elif field.type in SPARK_TYPES:
            kind = SPARK_TYPES[field.type]
        else:
            raise UnsupportedBackendError(f"no Spark type for {field.name}: {field.type}")
        columns.append(f"`{field.name}` {kind}")
    return ", ".join(columns)


def spark_session() -> SparkSQLSession:
    """The process's SparkSession: started on first use (a few seconds), then reused."""
    backend = _spark()
    session: SparkSQLSession = backend._session
    return session


def _spark() -> Any:
    global _spark_backend
    with _spark_lock:
        if _spark_backend is None:
            available, reason = spark_available()
            if not available:
                raise UnsupportedBackendError(f"the spark backend cannot start: {reason}")
            from pyspark.sql import SparkSession

            master = os.environ.get("SQM_SPARK_MASTER", "local[2]")
            local = master.startswith("local")
            conf = SPARK_CONF | (SPARK_LOCAL_CONF if local else {})
            if local:  # otherwise the JVM looks the hostname up and warns about loopback
                os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            builder = SparkSession.builder.master(master)
            for key, value in conf.items():
                builder = builder.config(key, value)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", PANDAS_WARNING, FutureWarning)
                session = builder.getOrCreate()
                session.sparkContext.setLogLevel("ERROR")
                _spark_backend = ibis.pyspark.connect(session)
            # ibis sets the session time zone itself; make sure ours is what stays.
            for key in ("spark.sql.session.timeZone", "spark.sql.timestampType"):
                session.conf.set(key, SPARK_CONF[key])
        return _spark_backend


class PySparkSession:
    """One computation on the process-wide SparkSession; closing drops only its own views."""

    name = "spark"
    capabilities = CAPABILITIES["spark"]

    def __init__(self) -> None:
        self.backend = _spark()
        self.session: SparkSQLSession = self.backend._session
        self.views: list[str] = []

    def read_parquet(self, files: Sequence[str], schema: pa.Schema | None = None) -> ir.Table:
        # Explicit files, not folders: Spark infers no `day=` partition column from them.
        # A known schema spares Spark a pass over the footers before the query.
        name = f"sqm_parquet_{uuid.uuid4().hex}"
        reader = self.session.read
        if schema is not None:
            reader = reader.schema(spark_ddl(schema))
        reader.parquet(*files).createOrReplaceTempView(name)
        self.views.append(name)
        table: ir.Table = self.backend.table(name)
        return table

    def execute(self, expression: ir.Table) -> tuple[pa.Table, str]:
        sql = self.sql(expression)
        result: pa.Table = self.session.sql(sql).toArrow()
        return result, sql

    def sql(self, expression: ir.Table) -> str:
        return str(self.backend.compile(expression))

    def explain(self, sql: str) -> str:
        """Spark's physical plan (each Parquet scan shows as ``FileScan parquet``)."""
        plan: str = self.session.sql(sql)._jdf.queryExecution().executedPlan().toString()
        return plan

    def close(self) -> None:
        for name in self.views:
            self.session.catalog.dropTempView(name)
        self.views.clear()


SESSIONS: dict[str, type[DuckDBSession] | type[PySparkSession]] = {
    "duckdb": DuckDBSession,
    "spark": PySparkSession,
}


def open_session(backend: str) -> Session:
    if backend not in SESSIONS:
        raise UnsupportedBackendError(
            f"unknown backend {backend!r}; use one of {SUPPORTED_BACKENDS}"
        )
    return SESSIONS[backend]()
