"""analysis.submissions: on time, late, missing per department and month (SPEC §5, §7.9)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import submissions as S

DEPTS = ["Phòng A", "Phòng B", "Phòng C"]


def _uploads(rows):
    return pd.DataFrame(rows, columns=list(S.UPLOAD_COLUMNS))


@pytest.mark.parametrize("month, day, expected", [
    ("2026-10", 5, date(2026, 11, 5)),
    ("2026-12", 5, date(2027, 1, 5)),
    ("2026-01", 31, date(2026, 2, 28)),  # clamped to February's last day
    ("2026-10", 0, date(2026, 11, 1)),
])
def test_reporting_deadline(month, day, expected):
    assert S.reporting_deadline(month, day) == expected


@pytest.mark.parametrize("uploaded_at, status", [
    ("2026-11-05T16:59:59+00:00", S.ON_TIME),  # 23:59:59 on 05/11 in Da Nang
    ("2026-11-05T17:00:00+00:00", S.LATE),  # 00:00 on 06/11 in Da Nang
    ("2026-10-20T03:00:00+00:00", S.ON_TIME),  # before the month even ended
    ("2027-01-10T03:00:00+00:00", S.LATE),
])
def test_deadline_is_the_end_of_day_n_in_the_centers_time_zone(uploaded_at, status):
    grid = S.submission_grid(_uploads([(1, "Phòng A", "2026-10", uploaded_at, "a", True)]),
                             ["Phòng A"], ["2026-10"], 5)
    assert grid["status"].tolist() == [status]


def test_grid_has_every_department_and_month_and_judges_the_first_submission():
    uploads = _uploads([
        (1, "Phòng A", "2026-09", "2026-10-02T01:00:00+00:00", "a", False),
        (2, "Phòng A", "2026-09", "2026-10-09T01:00:00+00:00", "a", True),  # v2, after deadline
        (3, "phòng b", "2026-09", "2026-10-07T01:00:00+00:00", "b", True),  # late; name as typed
        (4, "center", "2026-10", "2026-11-03T01:00:00+00:00", "gd", True),  # whole center
        (5, "Phòng C", "2026-10", "2026-10-30T01:00:00+00:00", "c", True),
        (6, "Phòng C", "2026-08", "2026-09-01T01:00:00+00:00", "c", True),  # outside the range
    ])
    grid = S.submission_grid(uploads, DEPTS, ["2026-10", "2026-09"], 5)
    assert list(zip(grid["department"], grid["month"], grid["status"])) == [
        ("Phòng A", "2026-09", S.ON_TIME), ("Phòng B", "2026-09", S.LATE),
        ("Phòng C", "2026-09", S.MISSING),
        ("Phòng A", "2026-10", S.ON_TIME), ("Phòng B", "2026-10", S.ON_TIME),
        ("Phòng C", "2026-10", S.ON_TIME),
    ]
    a_sep = grid.iloc[0]
    assert (a_sep["upload_id"], a_sep["versions"], a_sep["current_upload_id"]) == (1, 2, 2)
    c_oct = grid.iloc[5]
    assert c_oct["upload_id"] == 5 and c_oct["versions"] == 2  # its own and the center's
    assert pd.isna(grid.iloc[2]["upload_id"]) and grid.iloc[2]["versions"] == 0


def test_records_are_json_ready():
    grid = S.submission_grid(_uploads([(7, "Phòng A", "2026-10", "2026-11-01T00:00:00+00:00",
                                        "a", True)]), ["Phòng A", "Phòng B"], ["2026-10"])
    records = S.grid_records(grid)
    assert records[0] == {"department": "Phòng A", "month": "2026-10", "status": "on_time",
                          "upload_id": 7, "uploaded_at": "2026-11-01T00:00:00+00:00",
                          "uploaded_by": "a", "deadline": "2026-11-05", "versions": 1,
                          "current_upload_id": 7}
    assert records[1]["status"] == "missing" and records[1]["upload_id"] is None


def test_no_uploads_means_everything_missing():
    grid = S.submission_grid(_uploads([]), DEPTS, ["2026-10"])
    assert grid["status"].eq(S.MISSING).all() and len(grid) == 3


def test_a_missing_log_is_due_the_day_after_its_deadline():
    assert not S.due_by("2026-10", date(2026, 11, 5), 5)  # the deadline day: may still come
    assert S.due_by("2026-10", date(2026, 11, 6), 5)
    assert not S.due_by("2026-01", date(2026, 2, 28), 31)  # day 31 clamped to 28/02
    assert S.due_by("2026-01", date(2026, 3, 1), 31)


@given(month=st.integers(0, 47), deadline_day=st.integers(1, 31),
       minutes=st.integers(0, 120 * 24 * 60))
def test_judging_as_of_today_is_judging_now(month, deadline_day, minutes):
    """The as-of rule the pages and the brief share equals the instant rule (the deadline
    day kept to its last second) whenever the as-of day is the day of `now`."""
    name = f"{2025 + month // 12}-{month % 12 + 1:02d}"
    now = datetime(2025 + month // 12, month % 12 + 1, 1, tzinfo=S.CENTER_TZ) + timedelta(
        minutes=minutes)
    assert S.due_by(name, now.date(), deadline_day) == (
        now >= S.deadline_instant(name, deadline_day))
