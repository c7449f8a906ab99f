"""Fixtures for dashboard page tests: one database holding the bundled sample data
(imported once per test session; the import is the slow part), reached through
DATABASE_URL. Import the fixtures into a test module:

    from app_fixtures import sample_db_url, sample_env  # noqa: F401  (pytest fixtures)

`sample_db_url` (session) builds the database; `sample_env` (module) points
DATABASE_URL at it while the module's tests run and restores it afterwards.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = str(ROOT / "dashboard.py")
TIMEOUT = 120  # AppTest default_timeout: the first run of a session imports nothing, but
# a cold cache on a slow CI machine still needs headroom


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


def copy_sample_database(sample_db_url: str, target_dir: Path) -> str:
    """A private copy (database file and archive) of the sample database; its URL."""
    source = Path(sample_db_url.removeprefix("sqlite:///")).parent
    shutil.copytree(source, target_dir, dirs_exist_ok=True)
    return f"sqlite:///{target_dir / 'ctxh.sqlite'}"


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
