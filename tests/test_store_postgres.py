"""The same store on PostgreSQL (SPEC §4.5: a server can replace the SQLite file).

Runs only when CTXH_TEST_POSTGRES_URL names an EMPTY scratch database, e.g.
`postgresql+psycopg://postgres@/ctxh_test?host=/tmp/pg&port=55432` (needs the
psycopg driver, which the app itself does not require). Every table is dropped first.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from datetime import UTC

import pytest
from sqlalchemy import create_engine

from analysis.store import open_store, schema
from store_helpers import task, workbook

URL = os.environ.get("CTXH_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="CTXH_TEST_POSTGRES_URL not set")


@pytest.fixture
def store(tmp_path):
    engine = create_engine(URL)
    schema.metadata.drop_all(engine)
    engine.dispose()
    s = open_store(URL, archive_dir=tmp_path / "archive")
    yield s
    s.close()


def test_lifecycle_on_postgresql(store):
    dept = "Phòng Tư vấn"
    v1 = store.import_upload(dept, "2026-10", "a.xlsx", workbook([task("T1"), task("T2")]), "A")
    same = store.import_upload(dept, "2026-10", "a.xlsx", workbook([task("T1"), task("T2")]), "A")
    v2 = store.import_upload(dept, "2026-10", "b.xlsx", workbook([task("T1", due="2026-10-30")]), "A")
    assert (v1.status, same.status, v2.status, v2.version) == ("stored", "unchanged", "stored", 2)
    store.import_upload(dept, "2026-11", "c.xlsx",
                        workbook([task("T1", due="2026-11-30", assigned="2026-10-01")]), "A")
    tasks = store.consolidated_tasks()
    assert list(tasks["task_id"]) == ["T1"] and tasks.iloc[0]["reporting_month"] == "2026-11"
    assert store.task_changes()[["task_id", "kind"]].values.tolist() == [["T1", "extension"]]
    store.restore(v1.upload_id, "B")
    assert [h["current"] for h in store.history(month="2026-10")] == [False, True]
    assert store.original_bytes(v1.upload_id) == store.archive.get(store.history()[-1]["sha256"])


def _worker(tmp: str, name: str, barrier, results) -> None:
    from pathlib import Path
    s = open_store(URL, archive_dir=Path(tmp) / "archive")
    for round_ in range(5):
        data = workbook([task(f"{name}{round_}")])
        barrier.wait(timeout=60)
        results.put(s.import_upload("center", "2026-10", "x.xlsx", data, name).status)
    s.close()


def test_concurrent_uploads_on_postgresql(store, tmp_path):
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(str(tmp_path), n, barrier, results)) for n in "AB"]
    for w in workers:
        w.start()
    statuses = [results.get(timeout=120) for _ in range(10)]
    for w in workers:
        w.join(timeout=60)
    assert statuses == ["stored"] * 10
    assert sorted(h["version"] for h in store.history()) == list(range(1, 11))


def test_accounts_and_enforcement_on_postgresql(store):
    """SPEC §8 on a server database: accounts, lockout, sessions, the store's checks."""
    from datetime import datetime, timedelta

    from argon2 import PasswordHasher

    from analysis.access import AccessDenied, Actor
    from analysis.accounts import Accounts

    now = [datetime(2026, 11, 2, tzinfo=UTC)]
    accounts = Accounts(store, now=lambda: now[0], sleep=lambda s: None,
                        hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    accounts.add("Quản trị", "admin", "mat-khau-du-dai-12")
    accounts.add("Hoa", "dept_head", "mat-khau-du-dai-12", department="Phòng Tư vấn")
    for _ in range(5):
        accounts.sign_in("Hoa", "sai-mat-khau-roi")
    assert "tạm khóa" in accounts.sign_in("Hoa", "mat-khau-du-dai-12").message
    now[0] += timedelta(minutes=16)
    token = accounts.sign_in("hoa", "mat-khau-du-dai-12").token
    head = accounts.session(token).actor
    assert head == Actor("Hoa", "dept_head", "Phòng Tư vấn")
    with pytest.raises(AccessDenied):
        store.import_upload("center", "2026-10", "a.xlsx", workbook([task("T1")]), head)
    assert store.import_upload("Phòng Tư vấn", "2026-10", "a.xlsx", workbook([task("T1")]),
                               head).status == "stored"
    accounts.disable("Hoa")
    assert accounts.session(token).actor is None
    assert [a.name for a in accounts.list()] == ["Hoa", "Quản trị"]
