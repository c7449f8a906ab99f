"""`python -m analysis backup OUT` and restoring from it (SPEC §4.4, §4.5).

A backup is ONE SQLite file holding the whole store (every table, originals
included) in the schema of this version: the same format whichever database the
app runs on, so it opens as a store (`--db sqlite:///OUT`), `check OUT` verifies it,
and it restores into SQLite or PostgreSQL alike.

- SQLite store: SQLite's online backup API (a consistent copy while the app writes).
- PostgreSQL store: every table copied, in one REPEATABLE READ snapshot, into a new
  SQLite file of the same schema. Why not pg_dump: it needs a client of the server's
  major version on the machine running the backup, writes a format only PostgreSQL
  reads back, and cannot be checked by `check`; the tables here are small and plain,
  so copying them keeps one backup format, one check and one restore path.

The file is written under a temporary name in OUT's folder (0600), checked
(`check.py`), then linked to OUT, which is never overwritten. Restoring
(`restore_backup`) checks the backup first, then copies every table into the
target database in one write transaction; the target must be empty unless
`replace=True`. Either way the data version moves past both, so app servers that
cached figures of the replaced data read the restored data at their next page run.
Everything comes back (uploads, originals, their columnar copies, catalogue, settings,
accounts, failed sign-ins, the audit log) except sign-in sessions: the sessions of the
replaced database end, and the backup's are not revived (one signed out after the
backup was taken must stay signed out), so everyone signs in again.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, func, insert, select, update

from . import schema
from .audit import write_audit
from .check import CheckReport, check_store
from .engine import (
    display_url,
    private_file,
    private_folder,
    reset_id_sequences,
    run_write,
    snapshot_transaction,
    sqlite_online_backup,
    sqlite_path,
)
from .migrations import LATEST, current_version, migrate

BATCH = 500  # rows per INSERT while copying (originals: a few MB each at most)


class BackupError(Exception):
    """The backup cannot be written or restored (message for the operator)."""


@dataclass
class BackupResult:
    file: Path
    method: str
    check: CheckReport
    sha256: str
    size: int

    def to_dict(self, source_url: str) -> dict[str, Any]:
        return {"status": "written" if self.check.ok else "written_with_problems",
                "file": str(self.file), "size": self.size, "sha256": self.sha256,
                "source": display_url(source_url), "method": self.method,
                "schema_version": LATEST, "check": self.check.to_dict()}


def plain_sqlite_engine(path: Path, read_only: bool = False) -> Engine:
    """An engine on a backup file: no WAL (one self-contained file), no pool."""
    from sqlalchemy.pool import NullPool

    if read_only:
        return create_engine(f"sqlite:///file:{Path(path).resolve()}?mode=ro&uri=true",
                             poolclass=NullPool)
    return create_engine(f"sqlite:///{Path(path).resolve()}", poolclass=NullPool)


def write_backup(engine: Engine, out: Path) -> BackupResult:
    """A consistent copy of the whole store into the new SQLite file `out`."""
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} đã có: sao lưu không ghi đè tệp có sẵn (hãy chọn tên mới, "
                          "ví dụ có ngày giờ).")
    private_folder(out.parent)
    partial = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
    private_file(partial)
    try:
        if sqlite_path(str(engine.url)) is not None:
            method = "sqlite-online-backup"
            sqlite_online_backup(engine, partial)
        else:
            method = "copy-to-sqlite"
            _copy_into_new_sqlite(engine, partial)
        target = plain_sqlite_engine(partial, read_only=True)
        try:
            report = check_store(target)
        finally:
            target.dispose()
        _fsync(partial)
        os.link(partial, out)  # never replaces an existing file, unlike rename
        _fsync(out.parent)
    finally:
        if partial.exists():
            partial.unlink()
    return BackupResult(out, method, report, _file_sha256(out), out.stat().st_size)


def _copy_into_new_sqlite(source: Engine, path: Path) -> None:
    target = plain_sqlite_engine(path)
    try:
        with target.begin() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode = DELETE")
            schema.metadata.create_all(conn)
        with snapshot_transaction(source) as reading, target.begin() as writing:
            copy_tables(reading, writing)
    finally:
        target.dispose()


def copy_tables(reading: Connection, writing: Connection) -> dict[str, int]:
    """Every table of the schema, rows as they are (ids included), parents first."""
    counts = {}
    for table in schema.metadata.sorted_tables:
        rows = reading.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(table))
        counts[table.name] = 0
        for batch in rows.mappings().partitions(BATCH):
            writing.execute(insert(table), [dict(r) for r in batch])
            counts[table.name] += len(batch)
    return counts


def check_backup(path: Path) -> CheckReport:
    """`check` of a backup file, opened read-only (the file is not changed)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không có tệp sao lưu {path}.")
    engine = plain_sqlite_engine(path, read_only=True)
    try:
        with engine.connect() as conn:
            version = current_version(conn)
        if version != LATEST:
            raise BackupError(f"Tệp sao lưu có lược đồ phiên bản {version}, phiên bản này cần "
                              f"{LATEST}: khôi phục nó (restore-backup) rồi kiểm tra cơ sở dữ liệu.")
        return check_store(engine)
    finally:
        engine.dispose()


# --- restore ---------------------------------------------------------------------------

_DATA_TABLES = [t for t in schema.metadata.sorted_tables if t.name not in ("schema_version",)]


def is_empty(conn: Connection) -> bool:
    """No row in any table but the schema stamp (an app that started once imported the
    sample data: that is not empty)."""
    return all(conn.execute(select(func.count()).select_from(t)).scalar() == 0
               for t in _DATA_TABLES if t.name != "meta")


def restore_backup(engine: Engine, backup: Path, user: str, replace: bool = False) -> dict[str, Any]:
    """Make the database of `engine` (migrated to this version) hold exactly the
    backup's data, in one write transaction. Refuses a backup that fails its check."""
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"Không có tệp sao lưu {backup}.")
    with tempfile.TemporaryDirectory(prefix="ctxh-restore-") as work:
        os.chmod(work, 0o700)
        source_path = _at_latest_schema(backup, Path(work))
        source = plain_sqlite_engine(source_path, read_only=source_path == backup)
        try:
            report = check_store(source)
            if not report.ok:
                raise BackupError("Tệp sao lưu không qua được kiểm tra: "
                                  + "; ".join(p["message"] for p in report.problems[:5]))
            with snapshot_transaction(source) as reading:
                backup_version = _data_version(reading)

                def work_(writing: Connection) -> dict[str, Any]:
                    was_empty = is_empty(writing)
                    if not was_empty and not replace:
                        raise BackupError("Cơ sở dữ liệu đích đã có dữ liệu: khôi phục vào một "
                                          "cơ sở dữ liệu trống, hoặc thêm --replace để thay thế.")
                    before = _data_version(writing)
                    for table in reversed(schema.metadata.sorted_tables):
                        writing.execute(delete(table))
                    counts = copy_tables(reading, writing)
                    writing.execute(delete(schema.sessions))  # everyone signs in again
                    reset_id_sequences(writing, schema.metadata)
                    _set_data_version(writing, max(before, backup_version) + 1)
                    write_audit(writing, user, "restore_backup", file=backup.name,
                                sha256=_file_sha256(backup), uploads=counts.get("uploads", 0),
                                originals=counts.get("originals", 0), replaced=not was_empty)
                    return counts

                counts = run_write(engine, work_)
        finally:
            source.dispose()
    return {"status": "restored", "file": str(backup), "target": display_url(str(engine.url)),
            "uploads": counts.get("uploads", 0), "originals": counts.get("originals", 0),
            "tasks": counts.get("tasks", 0), "check": report.to_dict()}


def _at_latest_schema(backup: Path, work: Path) -> Path:
    """The backup itself when it has this version's schema; else a private copy in
    `work`, migrated forward (the backup file is never changed)."""
    engine = plain_sqlite_engine(backup, read_only=True)
    try:
        with engine.connect() as conn:
            version = current_version(conn)
    finally:
        engine.dispose()
    if version == LATEST:
        return backup
    if version > LATEST or version == 0:
        raise BackupError(f"Tệp sao lưu có lược đồ phiên bản {version}; phiên bản ứng dụng này "
                          f"đọc được đến {LATEST}.")
    copy = work / "backup.sqlite"
    private_file(copy)
    shutil.copyfile(backup, copy)
    migrated = plain_sqlite_engine(copy)
    try:
        migrate(migrated)
    finally:
        migrated.dispose()
    return copy


def _data_version(conn: Connection) -> int:
    m = schema.meta
    value = conn.execute(select(m.c.value).where(m.c.key == "data_version")).scalar()
    return int(value or 0)


def _set_data_version(conn: Connection, value: int) -> None:
    m = schema.meta
    if conn.execute(update(m).where(m.c.key == "data_version").values(value=str(value))).rowcount == 0:
        conn.execute(insert(m).values(key="data_version", value=str(value)))


def _file_sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
