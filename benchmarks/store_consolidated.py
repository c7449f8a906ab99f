"""Measure the store at 100k tasks: save time, cold `consolidated_tasks()`,
`consolidated_contributions()` and `task_changes()`. Prints a table; asserts nothing.

    python benchmarks/store_consolidated.py [N_TASKS] [MONTHS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.model import CONTRIBUTION_COLUMNS, TASK_COLUMNS, ReadResult  # noqa: E402
from analysis.store import open_store  # noqa: E402

DEPARTMENTS = [f"Phòng {i}" for i in range(10)]


def month_frame(ids: np.ndarray, dept: str, month: str, rng: np.random.Generator) -> pd.DataFrame:
    n = len(ids)
    start = pd.Timestamp(f"{month}-01")
    assigned = start + pd.to_timedelta(rng.integers(0, 28, n), unit="D")
    due = assigned + pd.to_timedelta(rng.integers(5, 40, n), unit="D")
    done_mask = rng.random(n) < 0.6
    done = (assigned + pd.to_timedelta(rng.integers(1, 45, n), unit="D")).where(done_mask)
    others = [d for d in DEPARTMENTS if d != dept]
    coord = np.empty(n, dtype=object)
    choices = [(), (others[0],), (others[1], others[2]), (others[3],)]
    picks = rng.integers(0, len(choices), n)
    for i, p in enumerate(picks):
        coord[i] = choices[p]
    frame = pd.DataFrame({
        "task_id": pd.Series([f"NV-{i:06d}" for i in ids], dtype="str"),
        "title": pd.Series(["Hỗ trợ đối tượng"] * n, dtype="str"),
        "service": pd.Series(["Tư vấn - Tham vấn"] * n, dtype="str"),
        "lead_dept": pd.Series([dept] * n, dtype="str"),
        "lead_person": pd.Series([f"Cán bộ {i % 40}" for i in ids], dtype="str"),
        "coord_depts": pd.Series(coord, dtype=object),
        "coord_people": pd.Series([()] * n, dtype=object),
        "assigned_date": assigned.astype("datetime64[us]"),
        "due_date": due.astype("datetime64[us]"),
        "original_due_date": pd.Series(pd.NaT, index=range(n), dtype="datetime64[us]"),
        "done_date": pd.Series(done, dtype="datetime64[us]"),
        "status": pd.Series(np.where(done_mask, "done", "open"), dtype="str"),
        "status_text": pd.Series([None] * n, dtype="str"),
        "note": pd.Series([None] * n, dtype="str"),
        "source_row": pd.Series(np.arange(2, n + 2), dtype="int64"),
    })
    return frame[list(TASK_COLUMNS)]


def contributions_for(tasks: pd.DataFrame) -> pd.DataFrame:
    """One "Phối hợp" row per coordinating department of each task."""
    rows = tasks[["task_id", "coord_depts", "due_date"]].explode("coord_depts").dropna(subset=["coord_depts"])
    n = len(rows)
    frame = pd.DataFrame({
        "task_id": rows["task_id"].astype("str").to_numpy(),
        "coord_dept": rows["coord_depts"].astype("str").to_numpy(),
        "coord_person": pd.Series([None] * n, dtype="str"),
        "contrib_due_date": rows["due_date"].to_numpy(),
        "delivered_date": rows["due_date"].to_numpy(),
        "rating": pd.Series(["Đạt"] * n, dtype="str"),
        "source_row": np.arange(2, n + 2, dtype="int64"),
    })
    return frame[list(CONTRIBUTION_COLUMNS)]


def main() -> None:
    n_tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    months = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        store = open_store(url, archive_dir=Path(tmp) / "archive")
        per_dept = np.array_split(np.arange(n_tasks), len(DEPARTMENTS))
        t0 = time.perf_counter()
        for m in range(months):
            month = f"2026-{m + 1:02d}"
            for dept, ids in zip(DEPARTMENTS, per_dept):
                frame = month_frame(ids, dept, month, rng)
                read = ReadResult(file="bench.xlsx", rows=len(frame), tasks=frame,
                                  contributions=contributions_for(frame))
                store.save_read(dept, month, "bench.xlsx", f"{dept}{month}".encode(), "bench", read)
        save_s = time.perf_counter() - t0
        store.close()

        results = [("save (all uploads)", save_s, n_tasks * months)]
        for name in ("consolidated_tasks", "consolidated_tasks", "task_changes", "consolidated_contributions"):
            fresh = open_store(url, archive_dir=Path(tmp) / "archive")  # cold: new engine
            t0 = time.perf_counter()
            value = getattr(fresh, name)()
            elapsed = time.perf_counter() - t0
            results.append((name, elapsed, 0 if value is None else len(value)))
            fresh.close()
    print(f"{'operation':32} {'seconds':>8} {'rows':>8}   ({n_tasks} tasks x {months} month(s))")
    for name, seconds, rows in results:
        print(f"{name:32} {seconds:8.3f} {rows:8d}")


if __name__ == "__main__":
    main()
