"""Time the meeting brief (SPEC §7.1) and the task-list Excel export.

    python benchmarks/bench_brief.py            # sample year + 100 000 tasks, ~1-2 minutes

Rows printed (best of 2 runs, wall seconds, one process; a line per data set gives the
CPU seconds too, the steadier figure when other work shares the machine):
- figures: `analysis.brief.figures.brief_figures` (both periods annotated, lists, tables);
- docx / xlsx: writing each document from those figures (charts included in docx);
- task export: `analysis.task_list.export_bytes(..., "xlsx")` of every task (the page's
  "Tải Excel" of page Nhiệm vụ).
The sample year is the bundled sample (data/sample), imported into a temporary SQLite
database; 100k tasks are made by `bench_pages.task_frame` over 12 months.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import MONTHS, contribution_frame, task_frame  # noqa: E402

CPU = {}  # label -> best CPU seconds (user+sys of this process): steadier on a busy machine


def best(fn, repeats=2, label=None):
    times, cpus, result = [], [], None
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    if label:
        CPU[label] = min(cpus)
    return min(times), result


def sample_inputs():
    from analysis.store import open_store
    from analysis.store.sample import ensure_sample_data

    folder = tempfile.mkdtemp(prefix="bench_brief_")
    store = open_store(f"sqlite:///{folder}/ctxh.sqlite")
    ensure_sample_data(store)
    return store.consolidated_tasks(), store.consolidated_contributions(), date(2026, 10, 31)


def big_inputs(n=100_000):
    rng = np.random.default_rng(7)
    per_month = n // len(MONTHS)
    tasks = pd.concat([task_frame(per_month, m, i * per_month, rng)
                       for i, m in enumerate(MONTHS)], ignore_index=True)
    tasks["reporting_month"] = tasks["assigned_date"].dt.strftime("%Y-%m")
    return tasks, contribution_frame(tasks, rng), date(2026, 12, 31)


def task_export(tasks, as_of):
    from analysis.metrics import annotate
    from analysis.task_list import export_bytes, with_list_columns

    frame = with_list_columns(annotate(tasks, as_of), as_of)
    seconds, data = best(lambda: export_bytes(frame, "xlsx", title="Danh sách nhiệm vụ"),
                         label="export")
    return seconds, len(data)


def brief(tasks, contributions, as_of, from_month, to_month):
    from analysis.brief.docx import brief_docx
    from analysis.brief.figures import BriefInputs, brief_figures
    from analysis.brief.xlsx import brief_xlsx

    inputs = BriefInputs(tasks=tasks, contributions=contributions, as_of=as_of,
                         from_month=from_month, to_month=to_month)
    t_fig, figures = best(lambda: brief_figures(inputs), label="figures")
    t_docx, docx = best(lambda: brief_docx(figures), label="docx")
    t_xlsx, xlsx = best(lambda: brief_xlsx(figures), label="xlsx")
    return t_fig, t_docx, t_xlsx, len(docx), len(xlsx)


def main() -> None:
    rows = []
    for label, (tasks, contributions, as_of), period in (
            ("sample year", sample_inputs(), ("2025-11", "2026-10")),
            ("100k tasks", big_inputs(), ("2026-01", "2026-12"))):
        try:
            t_fig, t_docx, t_xlsx, n_docx, n_xlsx = brief(tasks, contributions, as_of, *period)
        except ImportError as exc:  # before analysis.brief exists
            print(f"{label}: brief not available ({exc})")
            t_fig = t_docx = t_xlsx = float("nan")
            n_docx = n_xlsx = 0
        t_export, n_export = task_export(tasks, as_of)
        rows.append((label, len(tasks), t_fig, t_docx, t_xlsx, n_docx, n_xlsx, t_export,
                     n_export))
        print(f"{label}: cpu s " + ", ".join(f"{k} {v:.2f}" for k, v in CPU.items()))
    print(f"{'data':<12} {'tasks':>7} {'figures s':>9} {'docx s':>7} {'xlsx s':>7} "
          f"{'docx KB':>8} {'xlsx KB':>8} {'task export s':>13} {'export KB':>9}")
    for label, n, f, d, x, nd, nx, e, ne in rows:
        print(f"{label:<12} {n:>7} {f:>9.2f} {d:>7.2f} {x:>7.2f} {nd / 1024:>8.0f} "
              f"{nx / 1024:>8.0f} {e:>13.2f} {ne / 1024:>9.0f}")


if __name__ == "__main__":
    main()
