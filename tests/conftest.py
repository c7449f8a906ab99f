"""Fixtures shared by the test modules (pytest finds them here: never import them).

- `sample_db_url` (session): a SQLite database holding the bundled sample data, built
  once per test process (the import is the slow part); `sample_env` (module): the
  DATABASE_URL of the module's tests points at it, restored afterwards.
- `external_dir` (session): `../shared/external`, the real public service-request logs
  (not ours); a test that asks for it is skipped, with the reason, when it is absent.

Database fixtures: every store test runs on SQLite AND on PostgreSQL.

    def test_something(store): ...      # a fresh, empty Store; [sqlite] and [postgresql]
    def test_other(db_url): ...         # the URL of a fresh, empty database, both backends

PostgreSQL comes from, in this order:
1. `CTXH_TEST_POSTGRES_URL`: a server URL (`postgresql+psycopg://user:pw@host:port/postgres`)
   whose role may create databases; `.ci/run` starts a throw-away cluster and sets it;
2. else a throw-away cluster this test session starts itself (`tests/pg_cluster.py`) when
   `pg_ctl` is installed (Debian: apt-get install postgresql), stopped at the end;
   `CTXH_TEST_POSTGRES=off` turns that off.
Each test gets its own database (CREATE DATABASE, dropped afterwards).
Without a server the [postgresql] cases skip with the reason; with `CI` set they fail.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest

import pg_cluster

BACKENDS = ("sqlite", "postgresql")


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required when CI is set: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def postgres_server():
    """URL of a PostgreSQL server (its maintenance database) for the whole session."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("the psycopg driver is not installed (pip install -r requirements-postgres.txt)")
    url = os.environ.get("CTXH_TEST_POSTGRES_URL", "").strip()
    if url:
        yield url
        return
    if os.environ.get("CTXH_TEST_POSTGRES", "").lower() in ("0", "off", "no", "false"):
        _unavailable("CTXH_TEST_POSTGRES=off and no CTXH_TEST_POSTGRES_URL")
    if pg_cluster.pg_bin_dir() is None:
        _unavailable("no CTXH_TEST_POSTGRES_URL and no pg_ctl (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="ctxh-test-pg-"))
    try:
        url = pg_cluster.start(folder)
    except RuntimeError as exc:
        pg_cluster.stop(folder)
        _unavailable(f"could not start a throw-away cluster: {exc}")
    try:
        yield url
    finally:
        pg_cluster.stop(folder)


@pytest.fixture
def postgres_url(postgres_server):
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    name = f"ctxh_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        # FILE_COPY (PostgreSQL 15+) copies the small template at once: ~2x faster here
        fast = " STRATEGY FILE_COPY" if conn.dialect.server_version_info >= (15,) else ""
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'{fast}')
    try:
        yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """The URL of a new, empty database: a SQLite file under tmp_path, or PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'ctxh.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(db_url, tmp_path):
    from store_helpers import new_store

    s = new_store(db_url, tmp_path)
    yield s
    s.close()


ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = ROOT.parent / "shared" / "external"


@pytest.fixture(scope="session")
def sample_db_url(tmp_path_factory) -> str:
    """URL of a SQLite database holding the sample data (built once per session)."""
    from analysis.store import open_store
    from analysis.store.sample import ensure_sample_data

    url = f"sqlite:///{tmp_path_factory.mktemp('sample_db') / 'ctxh.sqlite'}"
    store = open_store(url)
    assert ensure_sample_data(store), "the bundled sample data could not be imported"
    assert store.has_real_data() is False
    store.close()  # last connection closed: the WAL is checkpointed into the file
    return url


@pytest.fixture(scope="module")
def sample_env(sample_db_url):
    """DATABASE_URL = the sample database for the duration of one test module."""
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = sample_db_url
    yield sample_db_url
    if previous is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = previous


@pytest.fixture(scope="session")
def external_dir() -> Path:
    """The folder of real public logs (../shared/external, its README gives the mappings)."""
    if not EXTERNAL.is_dir():
        pytest.skip(f"no real public logs: {EXTERNAL} not found")
    return EXTERNAL


@pytest.fixture
def download_buttons(monkeypatch) -> dict:
    """{key: the arguments (label, data, file_name, mime, ...)} of every download button
    the pages drew, the last run's winning: AppTest shows no file name and keeps a
    deferred `data` callable out of reach, so the public call is watched instead.
    `page_helpers.download(buttons, key)` runs the callable as a click would."""
    import inspect

    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator

    drawn: dict = {}
    original = DeltaGenerator.download_button
    signature = inspect.signature(original)

    def watched(self, *args, **kwargs):
        arguments = signature.bind(self, *args, **kwargs).arguments
        drawn[arguments.get("key")] = {k: v for k, v in arguments.items() if k != "self"}
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", watched)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: watched(st._main, *a, **k))
    return drawn
