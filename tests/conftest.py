"""Fixtures shared by the test modules (pytest finds them here: never import them).

- `sample_db_url` (session): a SQLite database holding the bundled sample data, built
  once per test process (the import is the slow part); `sample_env` (module): the
  DATABASE_URL of the module's tests points at it, restored afterwards.
- `external_dir` (session): `../shared/external`, the real public service-request logs
  (not ours); a test that asks for it is skipped, with the reason, when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
