"""Concurrent uploads from two processes are both kept (SPEC §4.4)."""

from __future__ import annotations

import multiprocessing as mp
import traceback
from pathlib import Path

from store_helpers import new_store, task, workbook

ROUNDS = 10


def _worker(name: str, url: str, tmp: str, barrier, results) -> None:
    try:
        store = new_store(url, Path(tmp))  # both open the brand-new database at once too
        for round_ in range(ROUNDS):
            month = f"2026-{round_ % 12 + 1:02d}"
            rows = [task(f"{name}-{round_}-{i}", due=f"{month}-20", assigned=f"{month}-01")
                    for i in range(30)]
            data = workbook(rows)
            barrier.wait(timeout=60)
            # Same scope and month for both processes: the version numbers collide
            # unless writes are serialised.
            outcome = store.import_upload("center", month, f"{name}.xlsx", data, name)
            results.put((name, round_, outcome.status, outcome.upload_id, outcome.version, None))
        store.close()
    except BaseException:  # report, never hang the parent
        results.put((name, -1, "error", None, None, traceback.format_exc()))


def test_two_processes_importing_at_the_same_time_are_both_kept(db_url, tmp_path):
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(name, db_url, str(tmp_path), barrier, results))
               for name in ("A", "B")]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * ROUNDS)]
    for w in workers:
        w.join(timeout=60)
    errors = [o[5] for o in outcomes if o[5]]
    assert not errors, errors[0]
    assert all(o[2] == "stored" for o in outcomes)
    assert all("locked" not in str(o) for o in outcomes)

    store = new_store(db_url, tmp_path)
    history = store.history()
    assert len(history) == 2 * ROUNDS
    by_month: dict[str, list[int]] = {}
    for entry in history:
        by_month.setdefault(entry["month"], []).append(entry["version"])
    assert all(sorted(v) == [1, 2] for v in by_month.values())  # unique per scope+month
    assert all(store.original_bytes(h["upload_id"]) for h in history)
    # Both processes' rows are kept (each version's rows), the current one is the later.
    for entries in _group(history).values():
        current = [h for h in entries if h["current"]]
        assert len(current) == 1 and current[0]["version"] == 2
    assert store.data_version() == 2 * ROUNDS
    assert store.check().ok
    store.close()


def _group(history):
    grouped: dict[str, list[dict]] = {}
    for h in history:
        grouped.setdefault(h["month"], []).append(h)
    return grouped


DEPARTMENTS = ("Phòng Tư vấn", "Phòng Hành chính", "Phòng Y tế", "Phòng Can thiệp", "Phòng Dự án")


def _department_upload(url: str, tmp: str, department: str, barrier, results) -> None:
    try:
        store = new_store(url, Path(tmp))
        rows = [task(f"{department[-4:]}-{i}", lead_dept=department) for i in range(25)]
        data = workbook(rows)
        barrier.wait(timeout=60)
        outcome = store.import_upload(department, "2026-10", "thang10.xlsx", data, department)
        results.put((department, outcome.status, outcome.version, None))
        store.close()
    except BaseException:
        results.put((department, "error", None, traceback.format_exc()))


def test_five_departments_uploading_at_once_are_all_kept(db_url, tmp_path):
    setup = new_store(db_url, tmp_path)
    setup.set_departments(DEPARTMENTS)
    setup.close()
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(len(DEPARTMENTS)), ctx.Queue()
    workers = [ctx.Process(target=_department_upload,
                           args=(db_url, str(tmp_path), d, barrier, results)) for d in DEPARTMENTS]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=180) for _ in workers]
    for w in workers:
        w.join(timeout=60)
    assert not [o[3] for o in outcomes if o[3]], [o[3] for o in outcomes if o[3]][:1]
    assert sorted((o[0], o[1], o[2]) for o in outcomes) == sorted(
        (d, "stored", 1) for d in DEPARTMENTS)
    store = new_store(db_url, tmp_path)
    tasks = store.consolidated_tasks()
    assert tasks.groupby("lead_dept").size().to_dict() == {d: 25 for d in DEPARTMENTS}
    assert store.check().ok
    store.close()
