"""Engine set-up and schema migrations (SPEC §4.5), on SQLite and PostgreSQL where the
rule is not SQLite's own (pragmas, the default file)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from analysis.store import engine as engine_module
from analysis.store import migrations, open_store
from analysis.store.engine import resolve_url
from store_helpers import new_store


def test_migrations_create_every_table_on_an_empty_database(db_url, tmp_path):
    store = new_store(db_url, tmp_path)
    tables = set(inspect(store.engine).get_table_names())
    assert {"schema_version", "uploads", "current_uploads", "tasks", "contributions", "originals",
            "departments", "roster", "settings", "column_mappings", "audit", "meta"} <= tables
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST
    store.close()


@pytest.mark.parametrize("version", [1, 3])
def test_a_new_database_and_a_migrated_one_have_the_same_tables_and_columns(db_url, tmp_path,
                                                                             version):
    """Migrations must bring an old database to exactly the shape schema.py creates."""
    from test_store_archive_move import old_store

    old_store(db_url, tmp_path, [], version=version)
    migrated = new_store(db_url, tmp_path)
    shape = {t: sorted(c["name"] for c in inspect(migrated.engine).get_columns(t))
             for t in inspect(migrated.engine).get_table_names()}
    migrated.close()
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.sqlite'}", archive_dir=tmp_path / "none")
    assert shape == {t: sorted(c["name"] for c in inspect(fresh.engine).get_columns(t))
                     for t in inspect(fresh.engine).get_table_names()}
    fresh.close()


def test_reopening_is_idempotent(db_url, tmp_path):
    first = new_store(db_url, tmp_path)
    first.set_departments(["Phòng Tư vấn"])
    first.close()
    for _ in range(3):
        again = new_store(db_url, tmp_path)
        with again.engine.connect() as conn:
            versions = conn.execute(text("SELECT version FROM schema_version")).scalars().all()
        assert versions == [migrations.LATEST]
        assert again.departments() == ["Phòng Tư vấn"]  # data kept
        again.close()


def test_older_database_runs_the_newer_migrations(db_url, tmp_path, monkeypatch):
    new_store(db_url, tmp_path).close()
    ran = []

    def add_column(conn):
        ran.append(True)
        conn.exec_driver_sql("ALTER TABLE roster ADD COLUMN email TEXT")

    following = migrations.LATEST + 1
    monkeypatch.setattr(migrations, "MIGRATIONS",
                        [*migrations.MIGRATIONS, (following, "roster email", add_column)])
    monkeypatch.setattr(migrations, "LATEST", following)
    store = new_store(db_url, tmp_path)
    store.close()
    store = new_store(db_url, tmp_path)  # second open: nothing to run
    columns = {c["name"] for c in inspect(store.engine).get_columns("roster")}
    assert "email" in columns and ran == [True]
    store.close()


def test_a_database_of_schema_1_gets_the_account_tables(db_url, tmp_path):
    """Migration 2 (SPEC §8): accounts, failed sign-ins and sessions; the data is kept."""
    from test_store_archive_move import back_to_version

    store = new_store(db_url, tmp_path)
    store.set_departments(["Phòng Tư vấn"])
    with store.engine.begin() as conn:  # back to what a release with schema 1 created
        back_to_version(conn, 1)
    store.close()
    store = new_store(db_url, tmp_path)
    assert {"accounts", "login_failures", "sessions"} <= set(inspect(store.engine).get_table_names())
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST
    assert store.departments() == ["Phòng Tư vấn"]
    store.close()


def test_sqlite_pragmas_for_concurrent_writers(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == engine_module.BUSY_TIMEOUT_MS
    store.close()


def test_url_resolution_order(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/ctxh")
    assert resolve_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"
    assert resolve_url(None) == "postgresql://db.example/ctxh"
    monkeypatch.delenv("DATABASE_URL")
    default = resolve_url(None)
    assert default.startswith("sqlite:///") and default.endswith("data/ctxh.sqlite")
    assert str(engine_module.REPO_ROOT / "data" / "ctxh.sqlite") in default


def test_an_old_archive_is_looked_for_next_to_the_sqlite_file(tmp_path):
    from test_store_archive_move import GOOD, old_store

    [upload_id] = old_store(f"sqlite:///{tmp_path / 'db' / 'ctxh.sqlite'}", tmp_path,
                                  [("2026-10", GOOD)])
    store = open_store(f"sqlite:///{tmp_path / 'db' / 'ctxh.sqlite'}")  # no archive_dir given
    assert store.original_bytes(upload_id) == GOOD
    assert not (tmp_path / "db" / "archive").exists()
    store.close()


def test_version_numbers_are_unique_per_scope_and_month(db_url, tmp_path):
    """The database itself refuses a second version 1 (backstop for SPEC §4.4)."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from analysis.store import schema

    store = new_store(db_url, tmp_path)
    row = dict(scope="center", month="2026-10", version=1, sha256="0" * 64, file_name="a.xlsx",
               size=1, user_name="A", uploaded_at="2026-10-01T00:00:00+00:00", rows=0, warnings=0,
               is_sample=False, has_contributions=False)
    with store.engine.begin() as conn:
        conn.execute(insert(schema.uploads).values(**row))
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(insert(schema.uploads).values(**row))
    with pytest.raises(IntegrityError), store.engine.begin() as conn:  # foreign keys are on
        conn.execute(insert(schema.current_uploads).values(scope="x", month="2026-10", upload_id=999))
    store.close()


def test_writers_are_serialised_on_postgresql(postgres_url):
    """PostgreSQL's counterpart of SQLite's BEGIN IMMEDIATE: a write transaction holds
    the advisory lock, so a second writer waits instead of racing on version numbers."""
    import threading
    import time

    from analysis.store.engine import run_write

    store = open_store(postgres_url)
    order = []

    def slow(conn):
        order.append("first in")
        time.sleep(0.5)
        order.append("first out")

    thread = threading.Thread(target=run_write, args=(store.engine, slow))
    thread.start()
    time.sleep(0.2)
    run_write(store.engine, lambda conn: order.append("second"))
    thread.join()
    assert order == ["first in", "first out", "second"]
    store.close()


def test_a_version_1_database_gets_the_columnar_copy_of_its_uploads(db_url, tmp_path):
    """Migration 3 (frames.py): the table is created and filled from the rows, and the
    consolidated tasks read from it equal the ones read from the rows."""
    from analysis.store import frames
    from store_helpers import store_frames, task
    from test_store_archive_move import back_to_version

    store = new_store(db_url, tmp_path)
    store_frames(store, "Phòng Tư vấn", "2026-10",
                 [task("T1", coord_depts="Phòng A; Phòng B"), task("T2", due=None)])
    expected = store.consolidated_tasks()
    with store.engine.begin() as conn:  # back to the shape of version 1
        back_to_version(conn, 1)
    store.close()
    store = new_store(db_url, tmp_path)
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST
        assert conn.exec_driver_sql("SELECT count(*) FROM upload_frames").scalar() == 1
        assert conn.exec_driver_sql("SELECT format FROM upload_frames").scalar() == frames.FORMAT
    import pandas as pd
    pd.testing.assert_frame_equal(store.consolidated_tasks(), expected)
    store.close()
