"""Raw cells → typed values (SPEC §2.1): dates, month-first files, text, lists,
statuses, services."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import messages, parsing
from analysis.reading import read_task_log
from workbooks import csv_bytes, task, task_table, task_xlsx, xlsx


def parse_dates(cells: list, month_first: bool | None = None):
    column = parsing.extract_dates(pd.Series(cells, dtype=object))
    if month_first is None:
        month_first = parsing.proves_month_first([column])
    return parsing.resolve_dates(column, month_first)


def one_date(cell) -> pd.Timestamp | None:
    dates, unreadable = parse_dates([cell], month_first=False)
    return None if pd.isna(dates.iloc[0]) else dates.iloc[0]


# --- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", [
    "05/11/2026", "5/11/2026", "05-11-2026", "05.11.2026", "5/11/26", "2026-11-05",
    "05/11/2026 14:30", "05/11/2026 02:32:24 PM", "5/11/2026 2:32 CH", "2026-11-05T14:30:00",
    "2026-11-05 14:30:00.000Z", " 05 / 11 / 2026 ", "2026/11/05",
    dt.datetime(2026, 11, 5, 14, 30), dt.date(2026, 11, 5), pd.Timestamp("2026-11-05 23:59"),
    46331.0, 46331, 46331.75, "46331",
])
def test_every_accepted_date_form_is_5_november_2026(cell):
    assert one_date(cell) == pd.Timestamp("2026-11-05")


@pytest.mark.parametrize("cell", [
    "31/02/2026", "ngày mai", "15", 15.0, "2026", "05/13/2026/1", "13/13/2026", "00/10/2026",
    dt.time(14, 30), True, "5 tháng 11",
])
def test_unreadable_dates(cell):
    dates, unreadable = parse_dates([cell], month_first=False)
    assert pd.isna(dates.iloc[0]) and bool(unreadable.iloc[0])


def test_empty_and_excel_error_cells_are_not_unreadable_dates():
    column = parsing.extract_dates(pd.Series(["", None, "#N/A", "  "], dtype=object))
    dates, unreadable = parsing.resolve_dates(column, False)
    assert dates.isna().all() and not unreadable.any()
    assert list(column.excel_error) == [False, False, True, False]


def test_two_digit_year_is_20yy():
    assert one_date("01/02/99") == pd.Timestamp("2099-02-01")


def test_text_dates_are_day_first():
    assert one_date("03/04/2026") == pd.Timestamp("2026-04-03")


def test_dates_are_midnight_datetime64_us():
    dates, _ = parse_dates([dt.datetime(2026, 1, 2, 23, 59, 59), "02/01/2026 23:59"])
    assert str(dates.dtype) == "datetime64[us]"
    assert list(dates) == [pd.Timestamp("2026-01-02")] * 2


DATE_FORMATS = ["%d/%m/%Y", "%-d/%-m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y"]
TIMES = ["", " %H:%M", " %H:%M:%S", " %I:%M:%S %p", "T%H:%M:%S"]


@settings(max_examples=200, deadline=None)
@given(day=st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)),
       date_format=st.sampled_from(DATE_FORMATS), time_format=st.sampled_from(TIMES))
def test_round_trip_any_date_in_any_accepted_format(day, date_format, time_format):
    if time_format == "T%H:%M:%S" and date_format != "%Y-%m-%d":
        time_format = " %H:%M:%S"
    text = day.strftime(date_format + time_format)
    assert one_date(text) == pd.Timestamp(day.date()), text


@settings(max_examples=100, deadline=None)
@given(days=st.lists(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
                     min_size=1, max_size=20))
def test_month_first_detection(days):
    """US-style text proves month-first exactly when some day is above 12; read back
    month-first, every date is the same day again."""
    texts = [d.strftime("%m/%d/%Y %I:%M:%S %p") for d in days]
    column = parsing.extract_dates(pd.Series(texts, dtype=object))
    proves = parsing.proves_month_first([column])
    assert proves == any(d.day > 12 for d in days)
    if proves:
        dates, unreadable = parsing.resolve_dates(column, True)
        assert list(dates) == [pd.Timestamp(d) for d in days] and not unreadable.any()


def test_month_first_is_decided_over_all_date_columns_of_the_file():
    # assigned_date alone proves nothing (all parts <= 12); due_date has 10/15 → month-first
    rows = task_table(task(task_id="A", assigned_date="10/01/2026", due_date="10/15/2026"),
                      task(task_id="B", assigned_date="03/04/2026", due_date="",
                           done_date="03/05/2026", status=""))
    result = read_task_log(csv_bytes(rows), "us.csv", today=dt.date(2026, 12, 31))
    assert result.month_first
    assert result.ok, result.report()
    tasks = result.tasks
    assert tasks["assigned_date"].iloc[0] == pd.Timestamp("2026-10-01")
    assert tasks["due_date"].iloc[0] == pd.Timestamp("2026-10-15")
    assert tasks["assigned_date"].iloc[1] == pd.Timestamp("2026-03-04")
    warnings = [p for p in result.problems if p.message == messages.MONTH_FIRST]
    assert len(warnings) == 1 and warnings[0].row is None and warnings[0].severity == "warning"


def test_one_day_first_date_keeps_the_file_day_first():
    rows = task_table(task(task_id="A", assigned_date="10/01/2026", due_date="15/10/2026"),
                      task(task_id="B", assigned_date="01/10/2026", due_date="10/25/2026"))
    result = read_task_log(csv_bytes(rows), "mixed.csv", today=dt.date(2026, 12, 31))
    assert not result.month_first
    assert [(p.row, p.field) for p in result.errors] == [(3, "due_date")]  # 10/25 unreadable


def test_iso_and_date_cells_do_not_vote_for_month_first():
    rows = task_table(task(assigned_date=dt.datetime(2026, 10, 1), due_date="2026-10-15"))
    assert not read_task_log(xlsx({"S": rows}), "x.xlsx").month_first


# --- text and lists --------------------------------------------------------------------------

def test_text_is_nfc_trimmed_and_collapsed():
    nfd = "Nguye\u0302\u0303n  Thi\u0323 \n Lan "
    text = parsing.to_text(pd.Series([nfd, "Nguyễn Thị Lan", "\u00a0a\tb\u00a0", "", None, "  "],
                                     dtype=object))
    assert list(text[:3]) == ["Nguyễn Thị Lan", "Nguyễn Thị Lan", "a b"]
    assert text[3:].isna().all()


def test_numbers_as_text():
    text = parsing.to_text(pd.Series([7.0, 7, 3.5, "007", True, dt.date(2026, 1, 2)], dtype=object))
    assert list(text) == ["7", "7", "3.5", "007", "TRUE", "02/01/2026"]


@pytest.mark.parametrize("cell, expected", [
    ("Phòng A; Phòng B", ("Phòng A", "Phòng B")),
    ("Phòng A,Phòng B", ("Phòng A", "Phòng B")),
    ("Phòng A\nPhòng B\r\nPhòng C", ("Phòng A", "Phòng B", "Phòng C")),
    (" ; Phòng A ;; , ", ("Phòng A",)),
    ("Phòng A; Phòng B; Phòng A", ("Phòng A", "Phòng B")),
    ("Pho\u0300ng  A; Phòng A", ("Phòng A",)),  # NFD and NFC are one name
    ("", ()),
    (None, ()),
])
def test_list_cells(cell, expected):
    assert parsing.to_list(pd.Series([cell], dtype=object)).iloc[0] == expected


# --- statuses and services --------------------------------------------------------------------

@pytest.mark.parametrize("word, status", [
    ("Hoàn thành", "done"), ("ĐÃ HOÀN THÀNH", "done"), ("hoan thanh", "done"), ("Done", "done"),
    ("Closed", "done"), ("Resolved", "done"),
    ("Đang thực hiện", "open"), ("In progress", "open"), ("Open", "open"), ("To do", "open"),
    ("Chưa thực hiện", "open"), ("Tạm dừng", "open"), ("On hold", "open"),
    ("Hủy", "cancelled"), ("Huỷ", "cancelled"), ("Đã hủy", "cancelled"),
    ("Cancelled", "cancelled"), ("Canceled", "cancelled"),
])
def test_status_words(word, status):
    done_date = "05/10/2026" if status == "done" else ""
    result = read_task_log(task_xlsx(task(status=word, done_date=done_date)), "x.xlsx",
                           today=dt.date(2026, 10, 31))
    assert result.tasks["status"].iloc[0] == status
    assert result.tasks["status_text"].iloc[0] == word
    assert result.ok, result.report()


def test_status_from_done_date_when_no_status():
    rows = [task(task_id="A", status="", done_date="05/10/2026"),
            task(task_id="B", status="", done_date="")]
    result = read_task_log(task_xlsx(*rows), "x.xlsx", today=dt.date(2026, 10, 31))
    assert list(result.tasks["status"]) == ["done", "open"]
    assert result.ok


def test_unknown_status_is_done_with_a_done_date_else_open():
    rows = [task(task_id="A", status="Chờ duyệt", done_date="05/10/2026"),
            task(task_id="B", status="Chờ duyệt", done_date="")]
    result = read_task_log(task_xlsx(*rows), "x.xlsx", today=dt.date(2026, 10, 31))
    assert list(result.tasks["status"]) == ["done", "open"]
    warnings = [(p.row, p.field, p.value) for p in result.warnings]
    assert warnings == [(2, "status", "Chờ duyệt"), (3, "status", "Chờ duyệt")]


@pytest.mark.parametrize("cell, service", [
    ("Tư vấn - Tham vấn", "Tư vấn - Tham vấn"),
    ("tu van tham van", "Tư vấn - Tham vấn"),
    ("CAN THIỆP KHẨN CẤP", "Can thiệp khẩn cấp"),
    ("Can thiệp – Trị liệu – Phục hồi", "Can thiệp - Trị liệu - Phục hồi"),
    ("Tiếp nhận, xử lý thông tin người lang thang xin ăn",
     "Tiếp nhận, xử lý thông tin người lang thang xin ăn"),
    ("chương trình, dự án", "Chương trình - Dự án"),
    ("Khác", "Khác"),
    ("", "Khác"),
])
def test_services_match_canonical_labels(cell, service):
    result = read_task_log(task_xlsx(task(service=cell)), "x.xlsx", today=dt.date(2026, 10, 31))
    assert result.tasks["service"].iloc[0] == service
    assert result.ok and not result.warnings, result.report()


@pytest.mark.parametrize("cell", ["-", " — ", "...", "/", "--"])
def test_a_cell_without_letter_or_digit_is_empty(cell):
    assert parsing.to_text(pd.Series([cell], dtype=object)).isna().all()
    assert parsing.to_list(pd.Series([f"Phòng A; {cell}"], dtype=object)).iloc[0] == ("Phòng A",)
    dates, unreadable = parse_dates([cell], month_first=False)
    assert dates.isna().all() and not unreadable.any()


def test_text_of_a_long_mostly_distinct_column_is_cleaned_the_same_way():
    """Long columns of distinct values (IDs, titles) take a path without grouping."""
    cells = [f" NV  {i} " for i in range(9000)] + [7.0, None, "-", "007", "Pho\u0300ng"]
    text = parsing.to_text(pd.Series(cells, dtype=object))
    assert list(text[:2]) == ["NV 0", "NV 1"]
    assert list(text[9000:].astype(object).where(text[9000:].notna(), None)) == [
        "7", None, None, "007", "Phòng"]
