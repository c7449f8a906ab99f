"""analysis.periods: month arithmetic, period kinds, fair comparisons (SPEC §3.2, §7).

One row per case; each table names the rule it checks."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis import periods as P
from analysis.periods import Filters


@pytest.mark.parametrize("text, expected", [
    ("2026-10", "2026-10"), ("2026-1", "2026-01"), (" 2026-12 ", "2026-12"),
])
def test_parse_month(text, expected):
    assert P.parse_month(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "10/2026", "", None, "2026"])
def test_parse_month_refuses(text):
    with pytest.raises(ValueError):
        P.parse_month(text)


@pytest.mark.parametrize("month, by, expected", [
    ("2026-10", 1, "2026-11"), ("2026-12", 1, "2027-01"), ("2026-01", -1, "2025-12"),
    ("2026-10", -12, "2025-10"), ("2026-03", -15, "2024-12"), ("2026-05", 0, "2026-05"),
])
def test_shift_month(month, by, expected):
    assert P.shift_month(month, by) == expected


@pytest.mark.parametrize("day, by, expected", [
    (date(2026, 10, 31), -3, date(2026, 7, 31)),  # Quý 4 đến 31/10 -> Quý 3 đến 31/07
    (date(2026, 10, 31), -1, date(2026, 9, 30)),  # clamped to September's last day
    (date(2026, 3, 30), -1, date(2026, 2, 28)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),  # leap year
    (date(2026, 10, 31), -12, date(2025, 10, 31)),
    (date(2026, 1, 15), -6, date(2025, 7, 15)),
])
def test_shift_day(day, by, expected):
    assert P.shift_day(day, by) == expected


@pytest.mark.parametrize("first, last, expected", [
    ("2026-11", "2027-02", ["2026-11", "2026-12", "2027-01", "2027-02"]),
    ("2026-05", "2026-05", ["2026-05"]),
    ("2026-06", "2026-05", []),
])
def test_month_range(first, last, expected):
    assert P.month_range(first, last) == expected


def test_months_back():
    assert P.months_back("2026-01", 3) == ["2026-01", "2025-12", "2025-11"]


@pytest.mark.parametrize("kind, value, expected", [
    (P.MONTH, "2026-10", ("2026-10", "2026-10")),
    (P.QUARTER, "2026-Q4", ("2026-10", "2026-12")),
    (P.QUARTER, "2026-Q1", ("2026-01", "2026-03")),
    (P.HALF, "2026-H1", ("2026-01", "2026-06")),
    (P.HALF, "2026-H2", ("2026-07", "2026-12")),
    (P.YEAR, "2026", ("2026-01", "2026-12")),
    (P.RANGE, ("2026-07", "2026-02"), ("2026-02", "2026-07")),  # reversed: put in order
    (P.QUARTER, "2026-Q5", (None, None)),
    (P.MONTH, "rác", (None, None)),
    (P.YEAR, None, (None, None)),
])
def test_bounds(kind, value, expected):
    assert P.bounds(kind, value) == expected


@pytest.mark.parametrize("kind, month, expected", [
    (P.MONTH, "2026-10", "2026-10"), (P.QUARTER, "2026-10", "2026-Q4"),
    (P.HALF, "2026-06", "2026-H1"), (P.HALF, "2026-07", "2026-H2"), (P.YEAR, "2026-10", "2026"),
])
def test_period_value(kind, month, expected):
    assert P.period_value(kind, month) == expected


@pytest.mark.parametrize("from_month, to_month, label", [
    ("2026-10", "2026-10", "10/2026"),
    ("2026-07", "2026-09", "Quý 3/2026"),
    ("2026-01", "2026-06", "6 tháng đầu năm 2026"),
    ("2026-07", "2026-12", "6 tháng cuối năm 2026"),
    ("2026-01", "2026-12", "Năm 2026"),
    ("2026-02", "2026-05", "02/2026 – 05/2026"),
    ("2026-02", "2026-04", "02/2026 – 04/2026"),  # three months, not a quarter
    (None, None, "Tất cả các tháng"),
])
def test_period_label(from_month, to_month, label):
    assert P.period_label(from_month, to_month) == label


# SPEC §7: no future periods.
@pytest.mark.parametrize("kind, as_of, expected", [
    (P.MONTH, date(2026, 10, 31), ["2026-09", "2026-10"]),  # 11/2026 not offered
    (P.MONTH, date(2026, 11, 1), ["2026-09", "2026-10", "2026-11"]),
    (P.QUARTER, date(2026, 10, 31), ["2026-Q3", "2026-Q4"]),
    (P.QUARTER, date(2026, 9, 30), ["2026-Q3"]),
    (P.YEAR, date(2026, 10, 31), ["2026"]),
])
def test_offered_periods(kind, as_of, expected):
    assert P.offered_periods(kind, ["2026-09", "2026-10", "2026-11"], as_of) == expected


# SPEC §7: a period that as_of falls inside is partial, cut at as_of.
@pytest.mark.parametrize("from_month, to_month, as_of, cut", [
    ("2026-10", "2026-12", date(2026, 10, 31), date(2026, 10, 31)),
    ("2026-10", "2026-12", date(2026, 12, 31), None),  # its last day: complete
    ("2026-10", "2026-12", date(2027, 1, 5), None),
    ("2026-10", "2026-10", date(2026, 10, 1), date(2026, 10, 1)),
    ("2026-10", "2026-10", date(2026, 10, 31), None),
    (None, None, date(2026, 10, 15), None),
])
def test_window_is_partial_when_as_of_falls_inside(from_month, to_month, as_of, cut):
    win = P.window(from_month, to_month, as_of)
    assert win.cut == cut and win.partial == (cut is not None)


def _tasks(rows):
    frame = pd.DataFrame(rows, columns=["task_id", "due_date", "assigned_date"])
    for column in ("due_date", "assigned_date"):
        frame[column] = pd.to_datetime(frame[column])
    frame["month"] = P.reference_days(frame).dt.strftime("%Y-%m")
    return frame


def test_a_partial_window_counts_tasks_due_by_the_cut_and_lists_the_rest_as_upcoming():
    tasks = _tasks([
        ("A", "2026-10-10", "2026-10-01"),
        ("B", "2026-10-31", "2026-10-01"),  # due on the as-of day: counted
        ("C", "2026-11-05", "2026-10-20"),  # not due yet: upcoming
        ("D", None, "2026-10-30"),  # no deadline: its assigned day
        ("E", "2026-09-30", "2026-09-01"),  # another period
    ])
    win = P.window("2026-10", "2026-12", date(2026, 10, 31))
    assert win.select(tasks)["task_id"].tolist() == ["A", "B", "D"]
    assert win.upcoming(tasks)["task_id"].tolist() == ["C"]
    complete = P.window("2026-10", "2026-12", date(2027, 1, 1))
    assert complete.select(tasks)["task_id"].tolist() == ["A", "B", "C", "D"]
    assert complete.upcoming(tasks).empty


@pytest.mark.parametrize("filters, previous", [
    (Filters("2026-10", "2026-12", as_of=date(2026, 10, 31), kind=P.QUARTER),
     ("2026-07", "2026-09", date(2026, 7, 31))),
    (Filters("2026-10", "2026-10", as_of=date(2026, 10, 15), kind=P.MONTH),
     ("2026-09", "2026-09", date(2026, 9, 15))),
    (Filters("2026-01", "2026-12", as_of=date(2026, 10, 31), kind=P.YEAR),
     ("2025-01", "2025-12", date(2025, 10, 31))),
    (Filters("2026-07", "2026-09", as_of=date(2026, 10, 31), kind=P.QUARTER),
     ("2026-04", "2026-06", date(2026, 7, 31))),  # complete: seen the same time after its end
    (Filters("2026-02", "2026-05", as_of=date(2026, 6, 30)),
     ("2025-10", "2026-01", date(2026, 2, 28))),
])
def test_previous_period_is_seen_from_the_same_point(filters, previous):
    before = filters.previous()
    assert (before.from_month, before.to_month, before.as_of) == previous


@pytest.mark.parametrize("filters, first_data, has_tasks, reason, previous_cut", [
    # Quý 4/2026 đến 31/10 against Quý 3/2026 đến 31/07
    (Filters("2026-10", "2026-12", as_of=date(2026, 10, 31)), "2025-11", True, None,
     date(2026, 7, 31)),
    # complete periods: no cut on either side
    (Filters("2026-07", "2026-09", as_of=date(2026, 10, 31)), "2025-11", True, None, None),
    # "Năm 2026" against a 2025 that holds two months: not compared
    (Filters("2026-01", "2026-12", as_of=date(2026, 10, 31)), "2025-11", True, P.LESS_DATA, None),
    # the data starts in the current period: nothing before it
    (Filters("2025-11", "2025-11", as_of=date(2026, 10, 31)), "2025-11", None,
     P.NO_PREVIOUS_DATA, None),
    (Filters("2026-10", "2026-10", as_of=date(2026, 10, 31)), None, None, P.NO_PREVIOUS_DATA, None),
    (Filters("2026-10", "2026-10", as_of=date(2026, 10, 31)), "2025-11", False,
     P.NO_PREVIOUS_DATA, None),
    # the first data month is the previous period's first month: a full previous period
    (Filters("2026-02", "2026-04", as_of=date(2026, 5, 31)), "2025-11", True, None, None),
    (Filters(None, None, as_of=date(2026, 10, 31)), "2025-11", True, P.NO_BOUNDS, None),
    (Filters("2026-11", "2026-11", as_of=date(2026, 10, 31)), "2025-11", True, P.NOT_STARTED, None),
])
def test_comparison_rules(filters, first_data, has_tasks, reason, previous_cut):
    result = P.comparison(filters, first_data, has_tasks)
    assert result.reason == reason
    assert result.compared == (reason is None)
    if result.compared:
        assert result.previous.cut == previous_cut
        assert result.previous.as_of == filters.previous().as_of
    assert (result.current is None) == (reason == P.NOT_STARTED)


@pytest.mark.parametrize("filters, expected", [
    (Filters("2026-10", "2026-12", as_of=date(2026, 10, 31)), ("2025-11", "2026-10")),
    (Filters("2026-07", "2026-09", as_of=date(2026, 10, 31)), ("2025-10", "2026-09")),
    (Filters("2024-01", "2026-09", as_of=date(2026, 10, 31)), ("2024-01", "2026-09")),
    (Filters("2026-11", "2026-12", as_of=date(2026, 10, 31)), (None, None)),  # not started
    (Filters(None, None, as_of=date(2026, 10, 31)), (None, None)),
])
def test_trend_range_never_goes_past_the_as_of_month(filters, expected):
    assert filters.trend_range(12) == expected


@pytest.mark.parametrize("win, label", [
    (P.window("2026-10", "2026-12", date(2026, 10, 31)), "Quý 4/2026 đến 31/10/2026"),
    (P.window("2026-07", "2026-09", date(2026, 10, 31)), "Quý 3/2026"),
])
def test_to_date_label(win, label):
    assert P.to_date_label(win) == label


def test_filter_tasks_by_role_service_and_period():
    tasks = _tasks([("A", "2026-10-10", "2026-10-01"), ("B", "2026-10-12", "2026-10-01"),
                    ("C", "2026-09-12", "2026-09-01")])
    tasks["lead_dept"] = ["P1", "P2", "P1"]
    tasks["coord_depts_effective"] = [(), ("P1",), ()]
    tasks["service"] = ["Khác", "Khác", "Tư vấn - Tham vấn"]
    f = Filters("2026-10", "2026-10", departments=("P1",), as_of=date(2026, 12, 1))
    assert P.filter_tasks(tasks, f, P.LEAD)["task_id"].tolist() == ["A"]
    assert P.filter_tasks(tasks, f, P.COORD)["task_id"].tolist() == ["B"]
    assert P.filter_tasks(tasks, f, P.ANY)["task_id"].tolist() == ["A", "B"]
    assert P.filter_tasks(tasks, f, P.LEAD, period=False)["task_id"].tolist() == ["A", "C"]
    services = Filters(None, None, services=("Tư vấn - Tham vấn",), as_of=date(2026, 12, 1))
    assert P.filter_tasks(tasks, services)["task_id"].tolist() == ["C"]


def test_to_date_keeps_what_is_due_by_the_day():
    """A trend seen on a day draws nothing not due yet (no future month as 100 %)."""
    tasks = _tasks([("A", "2026-10-10", "2026-10-01"), ("B", "2026-11-05", "2026-10-20"),
                    ("C", None, "2026-10-31"), ("D", None, "2026-11-01")])
    assert P.to_date(tasks, date(2026, 10, 31))["task_id"].tolist() == ["A", "C"]


@pytest.mark.parametrize("from_month, to_month, as_of, expected", [
    # SPEC §7.9: the logs a period's figures need: its months that have ended
    ("2026-10", "2026-12", date(2026, 10, 31), ["2026-10"]),
    ("2026-10", "2026-12", date(2026, 10, 30), []),
    ("2026-10", "2026-12", date(2026, 12, 1), ["2026-10", "2026-11"]),
    ("2026-07", "2026-09", date(2026, 10, 31), ["2026-07", "2026-08", "2026-09"]),
    ("2026-11", "2026-12", date(2026, 10, 31), []),
    (None, None, date(2026, 10, 31), []),
])
def test_reporting_months(from_month, to_month, as_of, expected):
    assert P.reporting_months(from_month, to_month, as_of) == expected


@pytest.mark.parametrize("filters, label", [
    (Filters("2026-07", "2026-12", as_of=date(2026, 10, 31), kind=P.HALF),
     "6 tháng cuối năm 2026 đến 31/10/2026"),
    (Filters("2026-01", "2026-12", as_of=date(2026, 10, 31), kind=P.YEAR),
     "Năm 2026 đến 31/10/2026"),
    (Filters("2026-10", "2026-10", as_of=date(2026, 10, 15), kind=P.MONTH),
     "10/2026 đến 15/10/2026"),
])
def test_to_date_labels_of_every_kind(filters, label):
    assert P.to_date_label(filters.window) == label


def test_the_month_validators_share_one_rule():
    """The CLI's --month/--from/--to and the store's reporting month read months alike."""
    import argparse

    from analysis.cli import month_argument  # the type= of --month, --from and --to
    from analysis.store.uploads import check_month

    assert check_month("2026-1") == month_argument("2026-1") == "2026-01"
    for bad in ("2026-13", "10/2026"):
        with pytest.raises(ValueError):
            check_month(bad)
        with pytest.raises(argparse.ArgumentTypeError):
            month_argument(bad)
