"""Schema migrations: a `schema_version` table and an ordered list of functions.

Why not Alembic: the whole schema is one small embedded file, the app must create
its database on first start with no extra step or tool, and migrations only ever go
forward. A list of numbered functions applied in one transaction does that with no
extra dependency and no separate migration folder to ship.

How it works:
- an empty database gets the current schema (`metadata.create_all`) and is stamped
  with the latest version (like Alembic's "create_all, then stamp head");
- an existing database runs, in order, every migration newer than its version.
To change the schema: change `schema.py` AND append a migration that brings an
existing database to the same shape (e.g. `ALTER TABLE ... ADD COLUMN ...`).
Everything runs in one write transaction, so two processes starting at once do not
both migrate (the second waits, then finds the work done).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, inspect, select

from . import schema
from .engine import run_write


def _initial_schema(conn: Connection) -> None:
    schema.metadata.create_all(conn)


def _accounts(conn: Connection) -> None:
    for table in (schema.accounts, schema.login_failures, schema.sessions):
        table.create(conn, checkfirst=True)  # with its indexes


def _upload_frames(conn: Connection) -> None:
    """The columnar copy of each upload (frames.py), filled for the uploads stored so far."""
    from .frames import backfill

    schema.upload_frames.create(conn, checkfirst=True)
    backfill(conn)


# (version, description, function). Append only; never renumber or edit a released one.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial schema: uploads, tasks, contributions, catalogue, audit", _initial_schema),
    (2, "accounts, failed sign-ins and sessions (SPEC §8)", _accounts),
    (3, "upload_frames: columnar copy of each upload's rows", _upload_frames),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    value = conn.execute(select(schema.schema_version.c.version)
                         .order_by(schema.schema_version.c.version.desc()).limit(1)).scalar()
    return int(value or 0)


def migrate(engine: Engine) -> int:
    """Bring the database to the latest schema; returns the version. Idempotent."""
    with engine.connect() as conn:  # cheap read first: usually nothing to do
        if current_version(conn) == LATEST:
            conn.rollback()
            return LATEST
        conn.rollback()
    return run_write(engine, _migrate_locked)


def _migrate_locked(conn: Connection) -> int:
    version = current_version(conn)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if version == 0:
        schema.metadata.create_all(conn)
        conn.execute(insert(schema.schema_version),
                     [{"version": LATEST, "description": "created at latest schema", "applied_at": now}])
        return LATEST
    for number, description, function in MIGRATIONS:
        if number > version:
            function(conn)
            conn.execute(insert(schema.schema_version),
                         [{"version": number, "description": description, "applied_at": now}])
    return LATEST
