"""Engine set-up and schema migrations (SPEC §4.5)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from analysis.store import engine as engine_module
from analysis.store import migrations, open_store
from analysis.store.engine import resolve_url


def test_migrations_create_every_table_on_an_empty_database(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'new.sqlite'}", archive_dir=tmp_path / "archive")
    tables = set(inspect(store.engine).get_table_names())
    assert {"schema_version", "uploads", "current_uploads", "tasks", "contributions",
            "departments", "roster", "settings", "column_mappings", "audit", "meta"} <= tables
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST
    store.close()


def test_reopening_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    first = open_store(url, archive_dir=tmp_path / "archive")
    first.set_departments(["Phòng Tư vấn"])
    first.close()
    for _ in range(3):
        again = open_store(url, archive_dir=tmp_path / "archive")
        with again.engine.connect() as conn:
            versions = conn.execute(text("SELECT version FROM schema_version")).scalars().all()
        assert versions == [migrations.LATEST]
        assert again.departments() == ["Phòng Tư vấn"]  # data kept
        again.close()


def test_older_database_runs_the_newer_migrations(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    open_store(url, archive_dir=tmp_path / "a").close()
    ran = []

    def add_column(conn):
        ran.append(True)
        conn.exec_driver_sql("ALTER TABLE roster ADD COLUMN email TEXT")

    newer = migrations.LATEST + 1
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS,
                                                    (newer, "roster email", add_column)])
    monkeypatch.setattr(migrations, "LATEST", newer)
    store = open_store(url, archive_dir=tmp_path / "a")
    store.close()
    store = open_store(url, archive_dir=tmp_path / "a")  # second open: nothing to run
    columns = {c["name"] for c in inspect(store.engine).get_columns("roster")}
    assert "email" in columns and ran == [True]
    store.close()


def test_a_database_of_schema_1_gets_the_account_tables(tmp_path):
    """Migration 2 (SPEC §8): accounts, failed sign-ins and sessions; the data is kept."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = open_store(url, archive_dir=tmp_path / "a")
    store.set_departments(["Phòng Tư vấn"])
    with store.engine.begin() as conn:  # back to what a release with schema 1 created
        for table in ("sessions", "login_failures", "accounts"):
            conn.exec_driver_sql(f"DROP TABLE {table}")
        conn.exec_driver_sql("DELETE FROM schema_version")
        conn.exec_driver_sql("INSERT INTO schema_version VALUES (1, 'initial', '2026-01-01')")
    store.close()
    store = open_store(url, archive_dir=tmp_path / "a")
    assert {"accounts", "login_failures", "sessions"} <= set(inspect(store.engine).get_table_names())
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST
    assert store.departments() == ["Phòng Tư vấn"]
    store.close()


def test_sqlite_pragmas_for_concurrent_writers(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite'}", archive_dir=tmp_path / "a")
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


def test_archive_defaults_next_to_the_sqlite_file(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'sub' / 'db.sqlite'}")
    assert store.archive.root == tmp_path / "sub" / "archive"
    store.close()


def test_version_numbers_are_unique_per_scope_and_month(tmp_path):
    """The database itself refuses a second version 1 (backstop for SPEC §4.4)."""
    import pytest
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from analysis.store import schema

    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite'}", archive_dir=tmp_path / "a")
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


def test_a_version_1_database_gets_the_columnar_copy_of_its_uploads(tmp_path):
    """Migration 2 (frames.py): the table is created and filled from the rows, and the
    consolidated tasks read from it equal the ones read from the rows."""
    from analysis.store import frames
    from store_helpers import store_frames, task

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = open_store(url, archive_dir=tmp_path / "a")
    store_frames(store, "Phòng Tư vấn", "2026-10",
                 [task("T1", coord_depts="Phòng A; Phòng B"), task("T2", due=None)])
    expected = store.consolidated_tasks()
    with store.engine.begin() as conn:  # back to the shape of version 1
        conn.exec_driver_sql("DROP TABLE upload_frames")
        conn.exec_driver_sql("DELETE FROM schema_version")
        conn.exec_driver_sql("INSERT INTO schema_version VALUES (1, 'initial', '2026-01-01')")
    store.close()
    store = open_store(url, archive_dir=tmp_path / "a")
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST
        assert conn.exec_driver_sql("SELECT count(*) FROM upload_frames").scalar() == 1
        assert conn.exec_driver_sql("SELECT format FROM upload_frames").scalar() == frames.FORMAT
    import pandas as pd
    pd.testing.assert_frame_equal(store.consolidated_tasks(), expected)
    store.close()
