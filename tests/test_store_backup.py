"""Backup, check and restore (SPEC §4.4), on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing as mp
import os
import traceback
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from analysis.model import TASK_COLUMNS
from analysis.store import BackupError, open_store
from analysis.store.backup import check_backup
from store_helpers import database_snapshot, new_store, sqlite_url, task, workbook

DEPT = "Phòng Tư vấn"


def _fill(store, months=("2026-08", "2026-09", "2026-10")) -> None:
    store.set_departments([DEPT, "Phòng Hành chính"])
    for i, month in enumerate(months):
        rows = [task(f"{month}-{n}", due=f"{month}-20", assigned=f"{month}-01",
                     coord_depts="Phòng Hành chính" if n % 2 else "") for n in range(15)]
        contributions = [{"task_id": f"{month}-1", "coord_dept": "Phòng Hành chính",
                          "delivered_date": f"{month}-10", "rating": "Tốt"}]
        store.import_upload(DEPT, month, f"t{i}.xlsx", workbook(rows, contributions), "Trưởng phòng")
    store.import_upload(DEPT, months[-1], "again.xlsx", workbook([task("X1")]), "Trưởng phòng")
    store.restore(store.history()[1]["upload_id"], "Giám đốc")


def _same_content(a, b) -> None:
    assert a.history() == b.history()
    columns = [*TASK_COLUMNS, "reporting_month", "upload_id", "scope"]
    pd.testing.assert_frame_equal(a.consolidated_tasks()[columns], b.consolidated_tasks()[columns])
    pd.testing.assert_frame_equal(a.consolidated_contributions(), b.consolidated_contributions())
    pd.testing.assert_frame_equal(a.task_changes(), b.task_changes())
    assert a.departments() == b.departments()
    for entry in a.history():
        assert a.original_bytes(entry["upload_id"]) == b.original_bytes(entry["upload_id"])


def _writer(url: str, tmp: str, started, stop, results) -> None:
    """An app that keeps storing uploads while the backup runs."""
    try:
        store = new_store(url, Path(tmp))
        n = 0
        while not stop.is_set():
            store.import_upload("center", "2026-11", f"w{n}.xlsx",
                                workbook([task(f"W{n}-{i}") for i in range(40)]), "Ứng dụng")
            n += 1
            started.set()
        store.close()
        results.put(n)
    except BaseException:
        results.put(traceback.format_exc())


def test_backup_while_the_app_writes_is_consistent_and_opens_as_a_store(db_url, tmp_path):
    store = new_store(db_url, tmp_path)
    _fill(store)
    ctx = mp.get_context("fork")
    started, stop, results = ctx.Event(), ctx.Event(), ctx.Queue()
    writer = ctx.Process(target=_writer, args=(db_url, str(tmp_path), started, stop, results))
    writer.start()
    try:
        assert started.wait(60)
        result = store.backup(tmp_path / "backups" / "ctxh-1.sqlite")
    finally:
        stop.set()
        written = results.get(timeout=120)
        writer.join(timeout=60)
    assert isinstance(written, int) and written > 0, written
    assert result.check.ok, result.check.problems
    assert result.method == ("copy-to-sqlite" if db_url.startswith("postgresql") else
                             "sqlite-online-backup")
    assert check_backup(result.file).ok
    copy = open_store(f"sqlite:///{result.file}", archive_dir=tmp_path / "none")
    # A consistent copy: a state the store was in (some of the writer's uploads, each whole).
    copied = copy.history()
    assert {h["upload_id"] for h in copied} <= {h["upload_id"] for h in store.history()}
    assert copy.check().ok and len(copied) >= 4
    copy.close()
    store.close()


def test_backup_never_overwrites_and_leaves_no_partial_file(store, tmp_path):
    _fill(store)
    out = tmp_path / "b.sqlite"
    store.backup(out)
    first = out.read_bytes()
    with pytest.raises(BackupError):
        store.backup(out)
    assert out.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["b.sqlite"]


@pytest.mark.parametrize("source", ["sqlite", "same"])
def test_restore_fills_an_empty_database_with_exactly_the_backup(db_url, tmp_path, source):
    """The restore drill: a backup restored into a new database (SQLite or PostgreSQL,
    from a backup of either) holds the same uploads, rows, originals and history."""
    origin_url = sqlite_url(tmp_path / "origin") if source == "sqlite" else db_url
    origin = new_store(origin_url, tmp_path / "origin")
    _fill(origin)
    backup = origin.backup(tmp_path / "b.sqlite").file
    target_url = db_url if source == "sqlite" else sqlite_url(tmp_path / "target")
    target = new_store(target_url, tmp_path / "target")
    result = target.restore_backup(backup, "Quản trị")
    assert result["status"] == "restored" and result["uploads"] == len(origin.history())
    _same_content(origin, target)
    assert target.check().ok
    assert target.data_version() > origin.data_version()
    assert target.audit_log()[0]["action"] == "restore_backup"
    # ids continue after the restored ones (PostgreSQL sequences reset)
    outcome = target.import_upload(DEPT, "2026-12", "new.xlsx", workbook([task("N1")]), "A")
    assert outcome.upload_id == max(h["upload_id"] for h in origin.history()) + 1
    origin.close()
    target.close()


def test_restore_refuses_a_database_with_data_unless_replace(store, tmp_path):
    _fill(store)
    backup = store.backup(tmp_path / "b.sqlite").file
    store.import_upload(DEPT, "2026-12", "later.xlsx", workbook([task("L1")]), "A")
    before = database_snapshot(store)
    with pytest.raises(BackupError):
        store.restore_backup(backup, "Quản trị")
    assert database_snapshot(store) == before
    version_before = store.data_version()
    store.restore_backup(backup, "Quản trị", replace=True)
    assert "2026-12" not in {h["month"] for h in store.history()}
    assert store.data_version() > version_before  # app caches keyed on it are not reused
    assert store.check().ok
    outcome = store.import_upload(DEPT, "2026-12", "later.xlsx", workbook([task("L1")]), "A")
    assert outcome.upload_id > max(row[0] for row in before["uploads"])  # ids never reused


def test_a_damaged_backup_is_refused_and_changes_nothing(db_url, tmp_path):
    origin = new_store(sqlite_url(tmp_path / "origin"), tmp_path / "origin")
    _fill(origin)
    backup = origin.backup(tmp_path / "b.sqlite").file
    origin.close()
    damaged = open_store(f"sqlite:///{backup}", archive_dir=tmp_path / "none")
    with damaged.engine.begin() as conn:
        conn.execute(text("DELETE FROM tasks WHERE task_id = '2026-09-3'"))
    damaged.close()
    report = check_backup(backup)
    assert [p["kind"] for p in report.problems] == ["rows_count", "rows_changed"]
    target = new_store(db_url, tmp_path / "target")
    before = database_snapshot(target)
    with pytest.raises(BackupError):
        target.restore_backup(backup, "Quản trị")
    assert database_snapshot(target) == before
    target.close()


def test_check_lists_every_kind_of_damage(store):
    _fill(store)
    assert store.check().ok
    [current] = [h for h in store.history() if h["current"] and h["month"] == "2026-10"]
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE uploads SET rows = rows + 1 WHERE id = :i"), {"i": current["upload_id"]})
        conn.execute(text("INSERT INTO originals (sha256, size, data, stored_at) VALUES "
                          "(:s, 1, :d, '2026-10-01')"), {"s": "0" * 64, "d": b"x"})
        conn.execute(text("UPDATE current_uploads SET upload_id = :i WHERE month = '2026-08'"),
                     {"i": current["upload_id"]})
    kinds = {(p["kind"], p["upload_id"]) for p in store.check().problems}
    assert kinds == {("rows_count", current["upload_id"]), ("original_changed", None),
                     ("original_unreferenced", None), ("current_mismatch", current["upload_id"])}


def test_backup_and_database_files_are_owner_only_whatever_the_umask(tmp_path):
    """Issue 8: the data the app writes is 0600 (the SQLite file, -wal, -shm, backups) in
    0700 folders it creates, even with umask 000."""
    previous = os.umask(0)
    try:
        store = open_store(f"sqlite:///{tmp_path / 'data' / 'deep' / 'ctxh.sqlite'}")
        _fill(store)
        names = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "data" / "deep").iterdir()}
        assert names == {"ctxh.sqlite": 0o600, "ctxh.sqlite-wal": 0o600, "ctxh.sqlite-shm": 0o600}
        assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
        assert (tmp_path / "data" / "deep").stat().st_mode & 0o777 == 0o700
        result = store.backup(tmp_path / "backups" / "nightly" / "b.sqlite")
        assert result.file.stat().st_mode & 0o777 == 0o600
        assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
        store.close()
    finally:
        os.umask(previous)


def test_an_existing_readable_database_file_is_made_owner_only(tmp_path):
    path = tmp_path / "ctxh.sqlite"
    open_store(f"sqlite:///{path}").close()
    os.chmod(path, 0o644)
    store = open_store(f"sqlite:///{path}")
    assert path.stat().st_mode & 0o777 == 0o600
    store.close()


# --- the whole app comes back: accounts, settings, audit, columnar copies -------------

def _accounts(store):
    from argon2 import PasswordHasher

    from analysis.accounts import Accounts

    return Accounts(store, sleep=lambda s: None,
                    hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


PASSWORD = "mat-khau-du-dai-12"


def _rows(store, table: str) -> list[tuple]:
    """A table's rows with values compared alike on both backends (bool, bytes)."""
    def plain(value):
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, memoryview):
            return bytes(value)
        return value

    with store.engine.connect() as conn:
        rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
    return sorted((tuple(plain(v) for v in r) for r in rows), key=repr)


def test_a_restored_backup_is_the_same_app(db_url, tmp_path):
    """Every table comes back as it was (accounts, failed sign-ins, settings, catalogue,
    audit, uploads and their columnar copies), except sign-in sessions: a session open
    when the backup was taken is not revived. The accounts sign in with their passwords."""
    from analysis.store import schema

    origin = new_store(sqlite_url(tmp_path / "origin"), tmp_path / "origin")
    _fill(origin)
    accounts = _accounts(origin)
    accounts.add("Quản trị", "admin", PASSWORD)
    accounts.add("Hoa", "dept_head", PASSWORD, department=DEPT)
    accounts.sign_in("Hoa", "sai-mat-khau-roi")  # one failure on record
    token = accounts.sign_in("Quản trị", PASSWORD).token
    assert accounts.session(token).actor is not None
    origin.set_settings({"report_deadline_day": 7}, accounts.session(token).actor)
    backup = origin.backup(tmp_path / "b.sqlite").file
    target = new_store(db_url, tmp_path / "target")
    target.restore_backup(backup, None)  # an empty target has no account: the command line
    for table in schema.metadata.sorted_tables:
        if table.name in ("audit", "meta", "sessions"):
            continue
        assert _rows(target, table.name) == _rows(origin, table.name), table.name
    assert _rows(target, "upload_frames") and _rows(target, "login_failures")
    restored_audit = target.audit_log(limit=None)
    assert restored_audit[0]["action"] == "restore_backup"
    assert restored_audit[1:] == origin.audit_log(limit=None)
    assert _rows(target, "sessions") == []
    again = _accounts(target)
    assert again.session(token).actor is None  # everyone signs in again
    assert again.sign_in("Quản trị", PASSWORD).token
    assert target.settings()["report_deadline_day"] == 7
    _same_content(origin, target)
    assert target.check().ok
    origin.close()
    target.close()


def test_restoring_over_accounts_needs_an_administrator(store, tmp_path):
    """restore-backup replaces accounts: once any exists, only an active administrator
    may, and a refusal changes nothing."""
    from analysis.access import AccessDenied, Actor

    _fill(store)
    backup = store.backup(tmp_path / "b.sqlite").file
    accounts = _accounts(store)
    accounts.add("Quản trị", "admin", PASSWORD)
    accounts.add("Giám đốc", "director", PASSWORD)
    before = database_snapshot(store)
    for actor in (None, "Quản trị", Actor("Giám đốc", "director")):
        with pytest.raises(AccessDenied):
            store.restore_backup(backup, actor, replace=True)
    assert database_snapshot(store) == before
    result = store.restore_backup(backup, Actor("Quản trị", "admin"), replace=True)
    assert result["status"] == "restored"
    assert store.audit_log()[0]["user"] == "Quản trị"
    assert _accounts(store).list() == []  # the backup's (none), not the replaced ones


def test_check_finds_a_columnar_copy_that_differs_from_its_rows(store):
    """The figures are built from each upload's columnar copy: a copy that no longer
    decodes to the upload's rows is a problem; a missing one is not (rebuilt from rows)."""
    _fill(store)
    ids = [h["upload_id"] for h in store.history()]
    report = store.check()
    assert report.ok and report.frames == len(ids)
    with store.engine.begin() as conn:  # the copy of one upload swapped for another's
        other = conn.execute(text("SELECT tasks FROM upload_frames WHERE upload_id = :i"),
                             {"i": ids[1]}).scalar()
        conn.execute(text("UPDATE upload_frames SET tasks = :b WHERE upload_id = :i"),
                     {"b": other, "i": ids[0]})
        conn.execute(text("DELETE FROM upload_frames WHERE upload_id = :i"), {"i": ids[2]})
    report = store.check()
    assert [(p["kind"], p["upload_id"]) for p in report.problems] == [("frame_changed", ids[0])]
    assert report.frames == len(ids) - 1
