"""read_task_log's options for callers that only need the tasks (the metrics command):
warnings=False and keep_cells (SPEC §2.3: a file with errors is reported in full)."""

from __future__ import annotations

import datetime as dt

from analysis.model import ERROR, WARNING
from analysis.reading import read_task_log
from workbooks import task, task_xlsx

TODAY = dt.date(2026, 10, 31)


def test_without_warnings_a_clean_file_gives_the_same_tasks_and_no_warnings():
    data = task_xlsx(task(task_id="NV-1", lead_person=""), task(task_id="NV-2", due_date=""))
    full = read_task_log(data, "log.xlsx", today=TODAY)
    quick = read_task_log(data, "log.xlsx", today=TODAY, warnings=False)
    assert [(p.row, p.field) for p in full.warnings] == [(2, "lead_person"), (3, "due_date")]
    assert quick.ok and quick.warnings == []
    assert quick.tasks.equals(full.tasks)


def test_without_warnings_a_file_with_errors_is_reported_in_full():
    data = task_xlsx(task(task_id="NV-1", lead_person=""), task(task_id="NV-1", due_date=""))
    full = read_task_log(data, "log.xlsx", today=TODAY)
    quick = read_task_log(data, "log.xlsx", today=TODAY, warnings=False)
    assert [p.severity for p in full.problems].count(ERROR) == 1  # the repeated task_id
    assert [p.severity for p in full.problems].count(WARNING) == 2
    assert not quick.ok
    assert quick.report() == full.report()


def test_keep_cells_holds_the_workbook_read():
    kept: list = []
    result = read_task_log(task_xlsx(task()), "log.xlsx", today=TODAY, keep_cells=kept)
    assert result.ok and len(kept) == 1
    assert kept[0].rows(kept[0].sheets[0])[1][0] == "NV-001"
