"""Database engine: where the database is (SPEC §4.5, §5), how SQLite is set up, and
every difference between SQLite and PostgreSQL the store relies on.

URL resolution: the `--db` argument, else the `DATABASE_URL` environment variable,
else the embedded SQLite file `data/ctxh.sqlite` under the repository root.

Files: the SQLite file (and its -wal/-shm, which SQLite creates with the database
file's mode) is owner-only (0600) and folders the store creates are 0700, whatever
the umask (`private_file`, `private_folder`); the data can name vulnerable clients.

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

from sqlalchemy import Connection, Engine, MetaData, create_engine, event, text
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


def display_url(url: str) -> str:
    """The URL without its password (for printing and logs)."""
    return make_url(url).render_as_string(hide_password=True)


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


# --- owner-only files ----------------------------------------------------------------

def private_folder(path: Path) -> None:
    """Create `path` and any missing parents as 0700 folders (existing ones unchanged)."""
    path = Path(path)
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # created meanwhile by another process
            continue
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask


def private_file(path: Path) -> None:
    """Make sure `path` exists and is 0600 (created empty if missing; an empty file is
    a valid empty SQLite database)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    if Path(path).stat().st_mode & 0o777 != 0o600:
        try:
            os.chmod(path, 0o600)
        except PermissionError:  # not ours: leave it, SQLite will say if it cannot open it
            pass


def _private_sqlite_files(path: Path) -> None:
    private_folder(path.parent)
    private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):  # left by an older version, maybe 0644
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            private_file(sidecar)


def make_engine(url: str) -> Engine:
    """Create the engine; for SQLite also the private folder and file, and pragmas."""
    path = sqlite_path(url)
    if path is not None:
        _private_sqlite_files(path)
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


@contextmanager
def snapshot_transaction(engine: Engine) -> Iterator[Connection]:
    """A read transaction in which every query sees the same committed state, however
    long it runs and whatever is written meanwhile (backup, check).

    SQLite: a plain BEGIN in WAL mode reads one snapshot from its first read on.
    PostgreSQL: REPEATABLE READ (its default READ COMMITTED takes a new snapshot per
    statement), read only."""
    with engine.connect() as conn:
        if is_postgresql(engine):
            conn = conn.execution_options(isolation_level="REPEATABLE READ",
                                          postgresql_readonly=True)
        with conn.begin():
            yield conn


def sqlite_online_backup(engine: Engine, target: Path) -> None:
    """Copy the SQLite database of `engine` into the file `target` with SQLite's online
    backup API (a consistent copy while other connections write; WAL: writers are not
    blocked). The copy is left in rollback-journal mode: one self-contained file."""
    import sqlite3

    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(str(target))
        try:
            raw.driver_connection.backup(destination)
            destination.execute("PRAGMA journal_mode = DELETE")
            destination.commit()
        finally:
            destination.close()
    finally:
        raw.close()


def reset_id_sequences(conn: Connection, metadata: MetaData) -> None:
    """After rows were copied in with their ids: PostgreSQL's id sequences continue
    after the highest id (and never go back, so ids are never reused). SQLite's
    AUTOINCREMENT bookkeeping follows explicit ids by itself."""
    if conn.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": table.name, "c": column.name}).scalar()
            if sequence is None:  # not a serial column
                continue
            conn.execute(text(
                f'SELECT setval(:s, GREATEST((SELECT COALESCE(MAX("{column.name}"), 0) '
                f'FROM "{table.name}"), (SELECT last_value FROM {sequence}), 1))'),
                {"s": sequence})


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
