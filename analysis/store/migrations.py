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

The same transaction moves a file archive of earlier versions (`data/archive/`) into
the `originals` table when that folder holds files (`archive_move.py`); the moved
files are deleted after the commit, and the report goes to the log and audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    insert,
    inspect,
    select,
    update,
)

from . import archive_move, schema
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


def _originals_in_database(conn: Connection) -> None:
    """Originals move from files into the `originals` table (its shape frozen here, as
    released); every upload gets the digest of its rows as they are now."""
    Table("originals", MetaData(),
          Column("sha256", String(64), primary_key=True),
          Column("size", Integer, nullable=False),
          Column("data", LargeBinary, nullable=False),
          Column("stored_at", String(32), nullable=False)).create(conn)
    conn.exec_driver_sql("ALTER TABLE uploads ADD COLUMN rows_sha256 VARCHAR(64)")
    from .check import stored_rows_digest  # the one definition of the digest

    u = schema.uploads
    for upload_id in conn.execute(select(u.c.id)).scalars().all():
        conn.execute(update(u).where(u.c.id == upload_id)
                     .values(rows_sha256=stored_rows_digest(conn, upload_id)))


# (version, description, function). Append only; never renumber or edit a released one.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial schema: uploads, tasks, contributions, catalogue, audit", _initial_schema),
    (2, "accounts, failed sign-ins and sessions (SPEC §8)", _accounts),
    (3, "upload_frames: columnar copy of each upload's rows", _upload_frames),
    (4, "originals in the database (table originals), digest of each upload's rows",
     _originals_in_database),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    value = conn.execute(select(schema.schema_version.c.version)
                         .order_by(schema.schema_version.c.version.desc()).limit(1)).scalar()
    return int(value or 0)


def migrate(engine: Engine, legacy_archive: Path | None = None) -> int:
    """Bring the database to the latest schema and move the files of `legacy_archive`
    (an archive folder of earlier versions) into it; returns the version. Idempotent."""
    files = archive_move.archive_files(legacy_archive)
    with engine.connect() as conn:  # cheap read first: usually nothing to do
        up_to_date = current_version(conn) == LATEST
        conn.rollback()
    if up_to_date and not files:
        return LATEST
    moved: list[archive_move.ArchiveMove] = []

    def work(conn: Connection) -> int:
        moved.clear()  # run_write may retry
        version = _migrate_locked(conn)
        if files:
            moved.append(archive_move.move(conn, Path(legacy_archive), files))
        return version

    version = run_write(engine, work)
    for report in moved:  # committed: the files may go now
        archive_move.finish(report)
    return version


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
