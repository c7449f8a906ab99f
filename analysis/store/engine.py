"""Database engine: where the database is (SPEC §4.5, §5) and how SQLite is set up.

URL resolution: the `--db` argument, else the `DATABASE_URL` environment variable,
else the embedded SQLite file `data/ctxh.sqlite` under the repository root.

SQLite is configured for several processes writing at once (two Streamlit sessions,
the command line): WAL journal, a busy timeout, foreign keys on, and write
transactions opened with `BEGIN IMMEDIATE` so a writer takes the write lock at the
start instead of failing half-way with "database is locked". Read transactions use a
plain (deferred) `BEGIN`, so several queries see one consistent snapshot.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = REPO_ROOT / "data" / "ctxh.sqlite"
BUSY_TIMEOUT_MS = 30_000

_WRITE = "ctxh_write"  # execution option: this connection opens write transactions
T = TypeVar("T")


def resolve_url(url: str | None = None) -> str:
    """The database URL: argument, else DATABASE_URL, else the embedded SQLite file."""
    if url:
        return url
    env = os.environ.get("DATABASE_URL", "").strip()
    if env:
        return env
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for other databases or in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    if parsed.database.startswith("file:"):  # a URI filename (?uri=true), e.g. ?mode=ro
        return Path(parsed.database[len("file:"):].split("?", 1)[0])
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    """Create the engine; for SQLite also create the parent folder and set pragmas."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
        if engine.dialect.name == "postgresql":
            _configure_postgresql(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event decide how transactions start (pysqlite's
        # own implicit BEGIN would only start at the first write).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")  # before WAL: it may wait
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")  # nothing lost, even on power failure
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection):
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection):
        # Serialise writers like SQLite's BEGIN IMMEDIATE: version numbers and the
        # "current version" pointer are read and written in one locked step.
        if connection.get_execution_options().get(_WRITE, False):
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(73110001)")


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn


def run_write(engine: Engine, work: Callable[[Connection], T], attempts: int = 12) -> T:
    """Run `work(conn)` in one write transaction; retry when the database is locked.

    The busy timeout already waits for the lock; the retry (with jittered backoff) is
    the second line, so a "database is locked" error never reaches the user.
    Everything `work` does commits together or not at all.
    """
    delay = 0.05
    for attempt in range(attempts):
        try:
            with engine.connect() as conn:
                conn = conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    return work(conn)
        except OperationalError as exc:
            if not _is_lock_error(exc) or attempt == attempts - 1:
                raise
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 2.0)
    raise AssertionError("unreachable")


def _is_lock_error(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text
