"""Consolidated tasks and cross-month history (SPEC §4.3), on frames stored directly."""

from __future__ import annotations

import pandas as pd

from analysis.model import TASK_COLUMNS
from store_helpers import store_frames, task


def _by_id(frame: pd.DataFrame) -> dict:
    return {r.task_id: r for r in frame.itertuples(index=False)}


def test_empty_store_gives_typed_empty_frames(store):
    tasks = store.consolidated_tasks()
    assert list(tasks.columns) == [*TASK_COLUMNS, "reporting_month", "upload_id", "scope"]
    assert len(tasks) == 0
    assert store.consolidated_contributions() is None
    assert list(store.task_changes().columns) == ["task_id", "kind", "month", "old", "new", "lead_dept"]


def test_dtypes_match_the_model(store):
    store_frames(store, "Phòng Tư vấn", "2026-10",
                 [task("T1", coord_depts="Phòng Hành chính; Phòng Y tế", due=None)])
    tasks = store.consolidated_tasks()
    assert str(tasks["due_date"].dtype) == "datetime64[us]"
    assert str(tasks["assigned_date"].dtype) == "datetime64[us]"
    assert tasks["task_id"].dtype == "str"
    assert tasks["source_row"].dtype == "int64"
    row = tasks.iloc[0]
    assert row["coord_depts"] == ("Phòng Hành chính", "Phòng Y tế")
    assert row["coord_people"] == ()
    assert pd.isna(row["due_date"])
    assert row["assigned_date"] == pd.Timestamp("2026-10-01")
    assert row["reporting_month"] == "2026-10" and row["scope"] == "Phòng Tư vấn"


def test_latest_reporting_month_wins(store):
    """SPEC §4.3: for each task_id, the row from the latest reporting month."""
    store_frames(store, "Phòng Tư vấn", "2026-11", [task("T1", due="2026-11-30")])
    store_frames(store, "Phòng Tư vấn", "2026-10", [task("T1", due="2026-10-15"), task("T2")])
    tasks = _by_id(store.consolidated_tasks())
    assert set(tasks) == {"T1", "T2"}
    assert tasks["T1"].due_date == pd.Timestamp("2026-11-30")  # November, although stored first
    assert tasks["T1"].reporting_month == "2026-11"


def test_same_month_tie_goes_to_latest_upload(store):
    """SPEC §4.3 ties: a department's and the center's upload of one month."""
    store_frames(store, "Phòng Tư vấn", "2026-10", [task("T1", due="2026-10-15")])
    later = store_frames(store, "center", "2026-10", [task("T1", due="2026-10-25")])
    tasks = _by_id(store.consolidated_tasks())
    assert tasks["T1"].due_date == pd.Timestamp("2026-10-25")
    assert tasks["T1"].upload_id == later.upload_id and tasks["T1"].scope == "center"


def test_new_version_replaces_previous_and_restore_brings_it_back(store):
    """SPEC §4.2: a new version replaces the previous one in the figures; restorable."""
    v1 = store_frames(store, "Phòng Tư vấn", "2026-10", [task("T1"), task("T2")])
    v2 = store_frames(store, "Phòng Tư vấn", "2026-10", [task("T1", due="2026-10-31")])
    assert (v1.version, v2.version) == (1, 2)
    assert set(store.consolidated_tasks()["task_id"]) == {"T1"}
    store.restore(v1.upload_id, "Giám đốc")
    tasks = _by_id(store.consolidated_tasks())
    assert set(tasks) == {"T1", "T2"}
    assert tasks["T1"].due_date == pd.Timestamp("2026-10-20")


def test_extension_and_reassignment_between_months(store):
    store_frames(store, "Phòng Tư vấn", "2026-09", [task("T1", due="2026-09-30"), task("T2")])
    store_frames(store, "center", "2026-10", [
        task("T1", due="2026-10-15"),  # deadline moved: extension
        task("T2", lead_dept="Phòng Hành chính"),  # lead changed: reassignment
    ])
    changes = store.task_changes()
    assert changes[["task_id", "kind", "month", "old", "new"]].values.tolist() == [
        ["T1", "extension", "2026-10", "2026-09-30", "2026-10-15"],
        ["T2", "reassignment", "2026-10", "Phòng Tư vấn", "Phòng Hành chính"],
    ]


def test_same_department_spelled_differently_is_not_a_reassignment(store):
    store_frames(store, "center", "2026-09", [task("T1", lead_dept="Phòng Tư vấn")])
    store_frames(store, "center", "2026-10", [task("T1", lead_dept="PHÒNG TƯ VẤN")])
    assert store.task_changes().empty


def test_vanished_open_task_is_flagged_only_when_next_log_exists(store):
    store_frames(store, "Phòng Tư vấn", "2026-09", [
        task("OPEN"), task("DONE", status="Hoàn thành", done="2026-09-20"),
        task("CANC", status="Đã hủy"), task("KEPT"),
    ])
    assert store.task_changes().empty  # no October log yet: nothing has vanished
    store_frames(store, "Phòng Tư vấn", "2026-10", [task("KEPT")])
    changes = store.task_changes()
    assert changes[["task_id", "kind", "month", "old"]].values.tolist() == [
        ["OPEN", "vanished", "2026-10", "Phòng Tư vấn"]]
    assert pd.isna(changes.iloc[0]["new"])


def test_vanished_needs_the_next_calendar_month_of_that_department(store):
    store_frames(store, "Phòng Tư vấn", "2026-09", [task("T1")])
    store_frames(store, "Phòng Hành chính", "2026-10", [task("H1", lead_dept="Phòng Hành chính")])
    store_frames(store, "Phòng Tư vấn", "2026-11", [task("T9")])  # skips October
    assert store.task_changes().empty


def test_vanished_across_the_year_boundary(store):
    store_frames(store, "Phòng Tư vấn", "2026-12", [task("T1", due="2026-12-20", assigned="2026-12-01")])
    store_frames(store, "Phòng Tư vấn", "2027-01", [task("T2", due="2027-01-20", assigned="2027-01-02")])
    assert store.task_changes()[["task_id", "kind", "month"]].values.tolist() == [
        ["T1", "vanished", "2027-01"]]


def test_task_moved_to_another_department_log_has_not_vanished(store):
    store_frames(store, "Phòng Tư vấn", "2026-09", [task("T1")])
    store_frames(store, "Phòng Tư vấn", "2026-10", [task("T2")])
    store_frames(store, "Phòng Hành chính", "2026-10", [task("T1", lead_dept="Phòng Hành chính")])
    kinds = store.task_changes()[["task_id", "kind"]].values.tolist()
    assert kinds == [["T1", "reassignment"]]


def test_history_uses_only_current_versions(store):
    store_frames(store, "Phòng Tư vấn", "2026-09", [task("T1", due="2026-09-30")])
    store_frames(store, "Phòng Tư vấn", "2026-10", [task("T1", due="2026-10-31")])
    v2 = store_frames(store, "Phòng Tư vấn", "2026-10", [task("T1", due="2026-09-30")])
    assert v2.version == 2
    assert store.task_changes().empty  # the current October version keeps the deadline


def _contributions(rows):
    from analysis.model import CONTRIBUTION_COLUMNS
    df = pd.DataFrame(rows, columns=list(CONTRIBUTION_COLUMNS))
    for c in ("contrib_due_date", "delivered_date"):
        df[c] = pd.to_datetime(df[c]).astype("datetime64[us]")
    for c in ("task_id", "coord_dept", "coord_person", "rating"):
        df[c] = df[c].astype("str")
    df["source_row"] = df["source_row"].astype("int64")
    return df


def test_contributions_follow_the_consolidated_rows(store):
    from store_helpers import read_result
    old = read_result([task("T1"), task("T2")])
    old.contributions = _contributions([
        ("T1", "Phòng Y tế", None, "2026-10-10", "2026-10-09", "Tốt", 2),
        ("T2", "Phòng Y tế", None, None, None, None, 3)])
    store.save_read("Phòng Tư vấn", "2026-10", "a.xlsx", b"october", "u", old)
    new = read_result([task("T1")])
    new.contributions = _contributions([("T1", "Phòng Hành chính", "Lê Thị Hoa", "2026-11-05", None, "Đạt", 2)])
    store.save_read("Phòng Tư vấn", "2026-11", "b.xlsx", b"november", "u", new)
    contributions = store.consolidated_contributions()
    rows = contributions.sort_values("task_id")[["task_id", "coord_dept", "coord_person"]].values.tolist()
    assert [r[:2] for r in rows] == [["T1", "Phòng Hành chính"], ["T2", "Phòng Y tế"]]
    assert rows[0][2] == "Lê Thị Hoa" and pd.isna(rows[1][2])
    t1 = contributions[contributions["task_id"] == "T1"].iloc[0]
    assert t1["contrib_due_date"] == pd.Timestamp("2026-11-05") and pd.isna(t1["delivered_date"])
    assert str(contributions["delivered_date"].dtype) == "datetime64[us]"


def test_no_contribution_sheet_gives_none(store):
    store_frames(store, "Phòng Tư vấn", "2026-10", [task("T1")])
    assert store.consolidated_contributions() is None


def test_columnar_copy_reads_back_exactly_what_the_rows_hold(store):
    """frames.py: the fast path (Arrow copy) and the record (rows) give equal frames,
    empty texts, missing dates, lists and contributions included."""
    from analysis.store import frames
    from analysis.store.engine import read_transaction
    from store_helpers import workbook

    rows = [task("T1", coord_depts="Phòng A; Phòng B", due=None),
            task("T2", title="", person="", status="Hoàn thành", done="2026-10-09"),
            task("T3", status="Đã hủy")]
    contributions = [{"task_id": "T1", "coord_dept": "Phòng A", "coord_person": None,
                      "contrib_due_date": "2026-10-05", "delivered_date": None, "rating": None}]
    outcome = store.import_upload("Phòng Tư vấn", "2026-10", "t.xlsx",
                                  workbook(rows, contributions), "An")
    assert outcome.status == "stored", outcome.problems
    with read_transaction(store.engine) as conn:
        fast = frames.load(conn, [outcome.upload_id])[outcome.upload_id]
        slow = frames.from_rows(conn, outcome.upload_id)
    pd.testing.assert_frame_equal(fast[0], slow[0])
    pd.testing.assert_frame_equal(fast[1], slow[1])
    assert fast[0].loc[0, "coord_depts"] == ("Phòng A", "Phòng B")
