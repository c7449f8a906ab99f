"""Migration 4: the file archive of earlier versions (`data/archive/<2 hex>/<sha256>`) moves
into the database, every hash verified (SPEC §4.4, §4.5). A file whose bytes do not
match its name is refused, reported and left on disk: nothing is lost."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from sqlalchemy import text

from analysis.store import OriginalError, migrations
from store_helpers import new_store, task, workbook

DEPT = "Phòng Tư vấn"
GOOD = workbook([task("T1"), task("T2")])
DAMAGED = workbook([task("T3")])
GONE = workbook([task("T4")])
ORPHAN = b"bytes of an import that failed before its commit"


def _archive_path(root: Path, data: bytes) -> Path:
    digest = hashlib.sha256(data).hexdigest()
    return root / digest[:2] / digest


def _write_archived(root: Path, data: bytes) -> Path:
    path = _archive_path(root, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.chmod(path, 0o444)  # as the old archive left them
    return path


def back_to_version(conn, version: int) -> None:
    """Undo the schema of the migrations after `version` (their data goes with it)."""
    conn.execute(text("DROP TABLE originals"))  # 4
    conn.execute(text("ALTER TABLE uploads DROP COLUMN rows_sha256"))
    if version < 3:
        conn.execute(text("DROP TABLE upload_frames"))
    if version < 2:
        for table in ("sessions", "login_failures", "accounts"):
            conn.execute(text(f"DROP TABLE {table}"))
    conn.execute(text("DELETE FROM schema_version"))
    conn.execute(text("INSERT INTO schema_version (version, description, applied_at) "
                      "VALUES (:v, 'created at latest schema', '2026-10-01T00:00:00+00:00')"),
                 {"v": version})


def old_store(url: str, tmp_path: Path, files: list[tuple[str, bytes]], version: int = 3
              ) -> list[int]:
    """A database as the release at schema `version` left it, with the originals as files
    in tmp_path/db/archive. Version 3 (accounts, upload frames): no `originals` table, no
    `rows_sha256`; version 1: no account tables and no `upload_frames` either.
    Returns the upload ids."""
    store = new_store(url, tmp_path)
    ids = [store.import_upload(DEPT, month, "log.xlsx", data, "A").upload_id for month, data in files]
    with store.engine.begin() as conn:
        back_to_version(conn, version)
    store.close()
    root = tmp_path / "db" / "archive"
    for _, data in files:
        _write_archived(root, data)
    return ids


def test_the_archive_moves_in_and_a_mismatch_is_refused_reported_and_kept(db_url, tmp_path, caplog):
    good, damaged, gone = old_store(db_url, tmp_path, [
        ("2026-09", GOOD), ("2026-10", DAMAGED), ("2026-11", GONE)])
    root = tmp_path / "db" / "archive"
    damaged_path = _archive_path(root, DAMAGED)
    os.chmod(damaged_path, 0o644)
    damaged_path.write_bytes(b"changed on disk")  # a damaged file keeps its old name
    _archive_path(root, GONE).unlink()  # lost before the migration
    orphan = _write_archived(root, ORPHAN)
    temporary = root / orphan.parent.name / ".incoming-x1y2"
    temporary.write_bytes(b"half a file")

    with caplog.at_level(logging.WARNING, logger="analysis.store.archive_move"):
        store = new_store(db_url, tmp_path)
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST

    # moved: in the database, verified, and gone from the disk
    assert store.original_bytes(good) == GOOD
    assert not _archive_path(root, GOOD).exists()
    # refused: still on disk, byte for byte; its upload has no original in the database
    assert damaged_path.read_bytes() == b"changed on disk"
    try:
        store.original_bytes(damaged)
        raise AssertionError("a refused file must not become an original")
    except OriginalError:
        pass
    # neither an orphan nor an unknown file is moved or deleted
    assert orphan.read_bytes() == ORPHAN and temporary.read_bytes() == b"half a file"

    [entry] = [e for e in store.audit_log() if e["action"] == "archive_moved"]
    details = entry["details"]
    assert details["moved"] == 1 and details["moved_sha256"] == [hashlib.sha256(GOOD).hexdigest()]
    assert details["refused"] == [str(damaged_path.relative_to(root))]
    assert details["unreferenced"] == [str(orphan.relative_to(root))]
    assert details["unknown"] == [str(temporary.relative_to(root))]
    assert details["missing_upload_ids"] == [damaged, gone]
    said = caplog.text
    assert "1 original(s) moved" in said and "1 refused" in said and damaged_path.name in said

    # `check` lists both uploads without an original; the rows of every upload are hashed
    report = store.check()
    assert [(p["kind"], p["upload_id"]) for p in report.problems] == [
        ("original_missing", damaged), ("original_missing", gone)]
    assert report.uploads == 3 and report.tasks == 4
    store.close()

    # Opening again moves nothing more and writes no second audit entry.
    store = new_store(db_url, tmp_path)
    assert [e["action"] for e in store.audit_log()].count("archive_moved") == 1
    assert damaged_path.exists() and orphan.exists()
    store.close()


def test_a_whole_archive_moves_and_its_folder_goes(db_url, tmp_path):
    ids = old_store(db_url, tmp_path, [("2026-09", GOOD), ("2026-10", DAMAGED),
                                       ("2026-11", GOOD)])  # identical bytes: one file
    root = tmp_path / "db" / "archive"
    assert len(list(root.rglob("*"))) == 4  # two folders, two files
    store = new_store(db_url, tmp_path)
    assert not root.exists()
    assert [store.original_bytes(i) for i in ids] == [GOOD, DAMAGED, GOOD]
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM originals")).scalar() == 2
    assert store.check().ok
    store.close()


def test_rows_of_uploads_stored_before_the_migration_are_checked_afterwards(db_url, tmp_path):
    [upload_id] = old_store(db_url, tmp_path, [("2026-09", GOOD)])
    store = new_store(db_url, tmp_path)
    assert store.check().ok
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE tasks SET due_date = '2027-01-01' WHERE task_id = 'T2'"))
    report = store.check()
    assert [(p["kind"], p["upload_id"]) for p in report.problems] == [("rows_changed", upload_id)]
    store.close()


def test_a_version_1_database_with_its_archive_runs_every_migration(db_url, tmp_path):
    """Accounts (2), the columnar copies filled from the rows (3), the archive moved in
    (4), in one open: the figures read the same and the check passes."""
    ids = old_store(db_url, tmp_path, [("2026-09", GOOD), ("2026-10", DAMAGED)], version=1)
    store = new_store(db_url, tmp_path)
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST
        assert conn.execute(text("SELECT COUNT(*) FROM upload_frames")).scalar() == 2
        assert conn.execute(text("SELECT COUNT(*) FROM accounts")).scalar() == 0
    assert [store.original_bytes(i) for i in ids] == [GOOD, DAMAGED]
    assert sorted(store.consolidated_tasks()["task_id"]) == ["T1", "T2", "T3"]
    report = store.check()
    assert report.ok and report.frames == 2, report.problems
    store.close()
