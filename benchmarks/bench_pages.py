"""Time every dashboard page with Streamlit's AppTest on 10k and 100k tasks.

Fills a temporary SQLite database through the store API (one whole-center upload
per month, frames generated in code, vectorised), then for each page measures
  cold: first run with empty Streamlit caches (a fresh server: database read,
        annotate, figures)
  after upload: the first run after a new upload changed the data (every cache keyed
        on the old data version is stale: the same work as cold, in a warm process)
  warm: the same page run again (the user changes nothing / another session)
  new filter: another quarter chosen (cached tasks reused, figures recomputed)
and prints a table. Asserts nothing. Targets (issue 11): cold and after upload
<= 1.5 s, warm <= 0.5 s at 100k tasks. The period is Quý 4/2026 seen on 15/12/2026
(partial: the page computes the previous quarter as of 15/09 too).

    python benchmarks/bench_pages.py [--sizes 10000 100000] [--pages tong_quan ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.fields import SERVICE_TYPES  # noqa: E402
from analysis.model import CONTRIBUTION_COLUMNS, DATE_DTYPE, TASK_COLUMNS, ReadResult  # noqa: E402

PAGES = ("tong_quan", "phong_ban", "ca_nhan", "phoi_hop", "nhiem_vu", "nop_bao_cao",
         "tai_du_lieu")
DEPARTMENTS = ("Phòng Hành chính - Tổng hợp", "Phòng Tư vấn - Tham vấn",
               "Phòng Can thiệp - Phục hồi", "Phòng Công tác xã hội cộng đồng",
               "Phòng Tiếp nhận - Quản lý đối tượng", "Phòng Chương trình - Dự án")
MONTHS = tuple(f"2026-{m:02d}" for m in range(1, 13))
AS_OF = date(2026, 12, 15)


def task_frame(n: int, month: str, start: int, rng: np.random.Generator) -> pd.DataFrame:
    """n tasks assigned in `month`: outcomes of every kind, 0-2 coordinating depts."""
    dept_idx = rng.integers(0, len(DEPARTMENTS), n)
    lead_dept = np.array(DEPARTMENTS, dtype=object)[dept_idx]
    person_idx = dept_idx * 10 + rng.integers(0, 10, n)  # 10 people per department
    people = np.array([f"Cán bộ {i:02d}" for i in range(60)], dtype=object)
    assigned = pd.Timestamp(f"{month}-01") + pd.to_timedelta(rng.integers(0, 28, n), "D")
    due = assigned + pd.to_timedelta(rng.integers(3, 30, n), "D")
    due = due.where(rng.random(n) > 0.03)  # a few without deadline
    done = due + pd.to_timedelta(rng.integers(-10, 12, n), "D")
    state = rng.random(n)
    status = np.where(state < 0.80, "done", np.where(state < 0.97, "open", "cancelled"))
    done = done.where(status == "done")
    other = (dept_idx + rng.integers(1, len(DEPARTMENTS), n)) % len(DEPARTMENTS)
    coord_count = rng.choice([0, 1, 2], n, p=[0.6, 0.3, 0.1])
    second = (other + 1) % len(DEPARTMENTS)
    second = np.where(second == dept_idx, (second + 1) % len(DEPARTMENTS), second)
    names = np.array(DEPARTMENTS, dtype=object)
    coord_depts = pd.Series([(), ] * n, dtype=object)
    one, two = coord_count == 1, coord_count == 2
    coord_depts[one] = [(d,) for d in names[other[one]]]
    coord_depts[two] = [(a, b) for a, b in zip(names[other[two]], names[second[two]])]
    coord_people = pd.Series([()] * n, dtype=object)
    has = coord_count > 0
    coord_people[has] = [(p,) for p in people[other[has] * 10 + rng.integers(0, 10, has.sum())]]
    frame = pd.DataFrame({
        "task_id": [f"NV-{start + i:07d}" for i in range(n)],
        "title": "Hỗ trợ đối tượng",
        "service": np.array(SERVICE_TYPES, dtype=object)[rng.integers(0, len(SERVICE_TYPES), n)],
        "lead_dept": lead_dept, "lead_person": people[person_idx],
        "coord_depts": coord_depts, "coord_people": coord_people,
        "assigned_date": assigned.astype(DATE_DTYPE), "due_date": due.astype(DATE_DTYPE),
        "original_due_date": pd.Series(pd.NaT, index=range(n), dtype=DATE_DTYPE),
        "done_date": done.astype(DATE_DTYPE), "status": status,
        "status_text": pd.Series(status).map({"done": "Hoàn thành", "open": "Đang thực hiện",
                                              "cancelled": "Đã hủy"}),
        "note": pd.NA, "source_row": np.arange(2, n + 2),
    })
    for column in ("task_id", "title", "service", "lead_dept", "lead_person", "status",
                   "status_text", "note"):
        frame[column] = frame[column].astype("str").where(frame[column].notna())
    return frame[list(TASK_COLUMNS)]


def contribution_frame(tasks: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One "Phối hợp" row per coordinating department of a task."""
    rows = tasks[["task_id", "coord_depts", "due_date"]].explode("coord_depts").dropna(
        subset=["coord_depts"])
    n = len(rows)
    delivered = rows["due_date"] + pd.to_timedelta(rng.integers(-8, 6, n), "D")
    frame = pd.DataFrame({
        "task_id": rows["task_id"].to_numpy(), "coord_dept": rows["coord_depts"].astype("str").to_numpy(),
        "coord_person": pd.Series(pd.NA, index=range(n), dtype="str"),
        "contrib_due_date": pd.Series(pd.NaT, index=range(n), dtype=DATE_DTYPE),
        "delivered_date": delivered.where(rng.random(n) < 0.85).astype(DATE_DTYPE).to_numpy(),
        "rating": pd.Series(np.array(["Tốt", "Đạt", "Chưa đạt"], dtype=object)[
            rng.integers(0, 3, n)]).astype("str"),
        "source_row": np.arange(2, n + 2),
    })
    return frame[list(CONTRIBUTION_COLUMNS)]


def fill_database(url: str, total: int) -> float:
    """One whole-center upload per month through `Store.save_read`. Returns seconds."""
    from analysis.store import CENTER, open_store

    started = time.perf_counter()
    store = open_store(url)
    rng = np.random.default_rng(20261127)
    per_month = total // len(MONTHS)
    for i, month in enumerate(MONTHS):
        tasks = task_frame(per_month, month, i * per_month, rng)
        contributions = contribution_frame(tasks, rng)
        data = tasks.to_csv(index=False).encode("utf-8")  # the "original file" archived
        read = ReadResult(file=f"{month}.csv", sheet=None, header_row=1, rows=len(tasks),
                          tasks=tasks, contributions=contributions)
        outcome = store.save_read(CENTER, month, f"{month}.csv", data, "Đo hiệu năng", read)
        assert outcome.status == "stored", outcome
    return time.perf_counter() - started


def new_upload(url: str, version: int) -> None:
    """A new version of December's whole-center log (as a department head re-uploading):
    the data version changes, so every cached figure is stale."""
    from analysis.store import CENTER, open_store

    store = open_store(url)
    rng = np.random.default_rng(version)
    tasks = task_frame(800, "2026-12", 10_000_000 + version * 1000, rng)
    read = ReadResult(file="2026-12.csv", sheet=None, header_row=1, rows=len(tasks), tasks=tasks,
                      contributions=contribution_frame(tasks, rng))
    outcome = store.save_read(CENTER, "2026-12", "2026-12.csv", f"v{version}".encode(),
                              "Đo hiệu năng", read)
    assert outcome.status == "stored", outcome
    store.close()


def _timed(at) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one run. On a shared machine wall
    time includes waiting for a core; CPU time is the steadier comparison."""
    started, cpu = time.perf_counter(), time.process_time()
    at.run()
    return time.perf_counter() - started, time.process_time() - cpu


def time_pages(url: str, pages=PAGES) -> list[tuple[str, float, float, float, float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    # A server's first page view also imports the modules and builds plotly's first
    # figures (once per process): measured apart, so "cold" is each page's own cost.
    warm_up = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    warm_up.switch_page("app_pages/tong_quan.py")
    print(f"  process warm-up (imports, first figures, first data read): "
          f"{_timed(warm_up)[0]:.2f} s", flush=True)
    results = []
    for number, page in enumerate(pages):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        at.query_params["ky"] = "quy"
        at.query_params["quy"] = "2026-Q4"
        at.query_params["ngay"] = AS_OF.isoformat()
        at.switch_page(f"app_pages/{page}.py")
        cold = _timed(at)
        warm = _timed(at)
        new_upload(url, number + 1)
        after_upload = _timed(at)
        at.selectbox(key="f_quarter").set_value("2026-Q3")  # new filters: data cache reused
        changed = _timed(at)[0]
        titles = [t.value for t in at.title]
        if at.exception or not titles:
            print(f"  {page}: {[e.value for e in at.exception]} titles={titles}", file=sys.stderr)
        results.append((page, cold, after_upload, warm, changed))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=PAGES)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            url = f"sqlite:///{tmp}/bench_{size}.sqlite"
            seconds = fill_database(url, size)
            print(f"{size:>7} tasks stored in {seconds:.1f} s", flush=True)
            rows += [(size, *result) for result in time_pages(url, args.pages)]
    print()
    print("| tasks | page | cold (s) | cold cpu (s) | after upload (s) | after upload cpu (s) "
          "| warm (s) | new filter (s) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for size, page, cold, after, warm, changed in rows:
        flag = " ⚠" if max(cold[0], after[0]) > 1.5 or warm[0] > 0.5 else ""
        print(f"| {size:,} | {page} | {cold[0]:.2f} | {cold[1]:.2f} | {after[0]:.2f} | "
              f"{after[1]:.2f} | {warm[0]:.2f} | {changed:.2f}{flag} |")


if __name__ == "__main__":
    main()
