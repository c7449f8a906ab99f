"""The task list of page `Nhiệm vụ` (SPEC §7.5): deadline flags, history columns, filters."""

from datetime import date

import pandas as pd
import pytest

from analysis.metrics import annotate
from analysis.model import TASK_DATE_COLUMNS, empty_tasks
from analysis.task_list import (
    DUE_SOON,
    DUE_TODAY,
    OVERDUE,
    TaskQuery,
    change_list,
    filter_tasks,
    list_counts,
    sort_for_list,
    task_table,
    with_list_columns,
)

AS_OF = date(2026, 11, 27)


def _tasks(rows) -> pd.DataFrame:
    base = dict(title="Nhiệm vụ", service="Khác", lead_dept="Phòng Tư vấn", lead_person="An",
                coord_depts=(), coord_people=(), assigned_date="2026-10-01", status="open")
    frame = pd.concat([empty_tasks(), pd.DataFrame([{**base, **r} for r in rows])],
                      ignore_index=True)
    for column in TASK_DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
    return frame


TASKS = _tasks([
    dict(task_id="NV-01", title="Thăm hộ gia đình", due_date="2026-11-20"),       # overdue
    dict(task_id="NV-02", due_date="2026-11-27", lead_dept="Phòng Can thiệp"),     # due today
    dict(task_id="NV-03", due_date="2026-12-04", coord_people=("An", "Bình"),
         lead_person="Chi"),                                                        # due in 7 days
    dict(task_id="NV-04", due_date="2026-12-05"),                                  # 8 days: no flag
    dict(task_id="NV-05", due_date="2026-11-01", done_date="2026-11-02", status="done"),
    dict(task_id="NV-06", due_date="2026-11-10", status="cancelled"),
    dict(task_id="NV-07", due_date="2026-11-20", done_date="2026-11-30", status="done"),  # done after as_of
])
CHANGES = pd.DataFrame({
    "task_id": ["NV-01", "NV-01", "NV-03", "NV-04"],
    "kind": ["extension", "extension", "reassignment", "vanished"],
    "month": ["2026-11", "2026-10", "2026-11", "2026-11"],
    "old": ["2026-10-31", "2026-10-15", "Phòng Tư vấn", None],
    "new": ["2026-11-20", "2026-10-31", "Phòng Can thiệp", None],
})


@pytest.fixture
def listed():
    return with_list_columns(annotate(TASKS, AS_OF), AS_OF, CHANGES).set_index("task_id", drop=False)


def test_deadline_flags_relative_to_as_of(listed):
    assert listed.loc["NV-01", "deadline"] == OVERDUE
    assert listed.loc["NV-02", "deadline"] == DUE_TODAY
    assert listed.loc["NV-03", "deadline"] == DUE_SOON
    assert listed.loc["NV-04", "deadline"] == ""
    assert listed.loc["NV-05", "deadline"] == ""  # done
    assert listed.loc["NV-06", "deadline"] == ""  # cancelled
    # done after as_of counts as not done yet (SPEC §3.1): overdue at as_of
    assert listed.loc["NV-07", "deadline"] == OVERDUE
    assert listed.loc["NV-01", "deadline_label"] == "Quá hạn"


def test_extensions_and_reassignments_joined_in_month_order(listed):
    assert listed.loc["NV-01", "extensions"] == 2
    assert listed.loc["NV-01", "extension_text"] == (
        "10/2026: 15/10/2026 → 31/10/2026; 11/2026: 31/10/2026 → 20/11/2026")
    assert listed.loc["NV-03", "reassignment_text"] == "11/2026: Phòng Tư vấn → Phòng Can thiệp"
    assert listed.loc["NV-04", "vanished_text"] == "11/2026"
    assert listed.loc["NV-02", "extensions"] == 0 and listed.loc["NV-02", "extension_text"] == ""


def test_no_changes_at_all():
    listed = with_list_columns(annotate(TASKS, AS_OF), AS_OF, None)
    assert listed["extensions"].eq(0).all() and listed["reassignment_text"].eq("").all()


def test_counts(listed):
    counts = list_counts(listed)
    assert (counts.tasks, counts.overdue, counts.due_today, counts.due_soon) == (6, 2, 1, 1)
    assert (counts.extended, counts.reassigned, counts.vanished) == (1, 1, 1)


@pytest.mark.parametrize("query, expected", [
    (TaskQuery(), ["NV-01", "NV-02", "NV-03", "NV-04", "NV-05", "NV-06", "NV-07"]),
    (TaskQuery(outcomes=("overdue",)), ["NV-01", "NV-07"]),
    (TaskQuery(deadlines=(DUE_TODAY, DUE_SOON)), ["NV-02", "NV-03"]),
    (TaskQuery(lead_depts=("Phòng Can thiệp",)), ["NV-02"]),
    (TaskQuery(person="Bình"), ["NV-03"]),  # coordinates
    (TaskQuery(person="Chi"), ["NV-03"]),  # leads
    (TaskQuery(text="gia đình"), ["NV-01"]),
    (TaskQuery(text="nv-05"), ["NV-05"]),
    (TaskQuery(changed_only=True), ["NV-01", "NV-03", "NV-04"]),
])
def test_filters(listed, query, expected):
    assert filter_tasks(listed, query)["task_id"].tolist() == expected


def test_most_urgent_first(listed):
    assert sort_for_list(listed)["task_id"].tolist()[:4] == ["NV-01", "NV-07", "NV-02", "NV-03"]


def test_table_has_vietnamese_headers_dates_and_joined_lists(listed):
    table = task_table(listed)
    row = table[table["Mã nhiệm vụ"] == "NV-03"].iloc[0]
    assert row["Người phối hợp"] == "An; Bình"
    assert row["Hạn hoàn thành"] == pd.Timestamp("2026-12-04")
    assert row["Kết quả"] == "Đang thực hiện"
    assert row["Chuyển chủ trì"] == "11/2026: Phòng Tư vấn → Phòng Can thiệp"
    overdue = table[table["Mã nhiệm vụ"] == "NV-01"].iloc[0]
    assert overdue["Số ngày trễ"] == 7 and str(table["Số ngày trễ"].dtype) == "Int64"


def test_change_list_newest_first_with_labels():
    table = change_list(CHANGES, task_ids=["NV-01"])
    assert table["Loại thay đổi"].tolist() == ["Gia hạn", "Gia hạn"]
    assert table["Tháng báo cáo"].tolist() == ["11/2026", "10/2026"]
    assert table["Sau"].tolist() == ["20/11/2026", "31/10/2026"]
