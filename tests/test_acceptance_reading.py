"""Acceptance tests of the reader, written as an outsider (SPEC §2.1–§2.3, §5 `validate`).

Every workbook is built here in code, in the styles real department heads type
(title rows, merged cells, signature blocks, headers without diacritics, dates as
text), plus hostile files. Each test names the SPEC rule it checks.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.model import ReadSettings
from analysis.reading import read_task_log

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 27)

HEADERS = ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Loại dịch vụ", "Phòng chủ trì", "Người chủ trì",
           "Phòng phối hợp", "Người phối hợp", "Ngày giao", "Hạn hoàn thành", "Hạn ban đầu",
           "Ngày hoàn thành", "Trạng thái", "Ghi chú"]
BLANK = [None] * len(HEADERS)


def task(tid="NV01", title="Tư vấn gia đình", service="Tư vấn - Tham vấn", dept="Phòng Tư vấn",
         person="Nguyễn Văn A", cdepts=None, cpeople=None, assigned=dt.date(2026, 10, 1),
         due=dt.date(2026, 10, 20), original_due=None, done=None, status="Đang thực hiện",
         note=None) -> list:
    """One row in template column order (HEADERS)."""
    return [tid, title, service, dept, person, cdepts, cpeople, assigned, due, original_due,
            done, status, note]


def workbook(rows, header=HEADERS, above=(), sheet="Nhiệm vụ", edit=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for line in above:
        ws.append(list(line))
    ws.append(list(header))
    for line in rows:
        ws.append(list(line))
    if edit:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(data: bytes, name="log.xlsx", **kwargs):
    kwargs.setdefault("today", TODAY)
    return read_task_log(data, name, **kwargs)


def found(result) -> set[tuple]:
    """(row, field, severity) of every problem."""
    return {(p.row, p.field, p.severity) for p in result.problems}


def only_problem(result):
    assert len(result.problems) == 1, result.report()
    return result.problems[0]


def validate_cli(tmp_path, data: bytes, name: str, *maps: str):
    path = tmp_path / name
    path.write_bytes(data)
    args = [sys.executable, "-m", "analysis", "validate", str(path)]
    for m in maps:
        args += ["--map", m]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


def rewrite_member(data: bytes, member: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            dst.writestr(info, change(content) if info.filename == member else content)
    return out.getvalue()


def add_member(data: bytes, member: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr(member, content)
    return out.getvalue()


# --- §5: the validate command's JSON and exit codes ------------------------------------

def test_s5_validate_json_keys_and_exit_codes(tmp_path):
    good = workbook([task(tid="007")])
    code, report = validate_cli(tmp_path, good, "good.xlsx")
    assert code == 0
    assert list(report) == ["file", "sheet", "header_row", "rows", "skipped_rows",
                            "ignored_columns", "errors"]
    assert report["file"] == "good.xlsx" and report["sheet"] == "Nhiệm vụ"
    assert report["header_row"] == 1 and report["rows"] == 1 and report["errors"] == []

    code, report = validate_cli(tmp_path, workbook([task(dept=None)]), "row_error.xlsx")
    assert code == 1
    assert report["errors"] == [{"row": 2, "field": "lead_dept", "value": None,
                                 "severity": "error", "message": report["errors"][0]["message"]}]

    code, report = validate_cli(tmp_path, b"\x89PNG\r\n\x1a\n" + bytes(300), "photo.xlsx")
    assert code == 2
    assert len(report["errors"]) == 1 and report["errors"][0]["row"] is None
    assert report["errors"][0]["severity"] == "error"


def test_s5_validate_map_is_repeatable_and_matched_like_a_header(tmp_path):
    header = ["Số TT", "Mã hồ sơ", "Việc cần làm", "Đơn vị", "Ngày nhận", "Hạn chót", "Người làm"]
    data = workbook([[1, "HS01", "Tư vấn", "Phòng Tư vấn", dt.date(2026, 10, 1),
                      dt.date(2026, 10, 9), "A"]], header=header)
    code, report = validate_cli(tmp_path, data, "unmapped.xlsx")
    assert code == 1 and report["header_row"] is None  # no header without the mapping
    code, report = validate_cli(
        tmp_path, data, "mapped.xlsx", "ma ho so=task_id", "VIEC CAN LAM=title",
        "don vi=lead_dept", "Ngày nhận=assigned_date", "Hạn chót=due_date", "nguoi lam=lead_person")
    assert code == 0, report
    assert report["ignored_columns"] == ["Số TT"] and report["rows"] == 1


# --- §2.1 header row and sheet choice ---------------------------------------------------

def test_s21_title_rows_and_merged_cells_above_the_header_are_skipped():
    above = [["BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026"] + [None] * 12,
             ["Phòng Tư vấn"] + [None] * 12, BLANK]
    result = read(workbook([task(), task(tid="NV02")], above=above,
                           edit=lambda wb: wb.active.merge_cells("A1:M1")))
    assert result.header_row == 4 and result.rows == 2 and result.problems == []
    assert result.tasks["source_row"].tolist() == [5, 6]


@pytest.mark.parametrize("header_row", [1, 15, 20])
def test_s21_header_found_within_the_first_20_rows(header_row):
    above = [["Ghi chú chung"]] * (header_row - 1)
    result = read(workbook([task()], above=above))
    assert result.header_row == header_row and result.rows == 1
    assert result.tasks["source_row"].tolist() == [header_row + 1]


def test_s21_header_below_row_20_is_not_found():
    result = read(workbook([task()], above=[["Ghi chú chung"]] * 20))
    assert not result.unreadable and result.header_row is None and result.rows == 0
    problem = only_problem(result)
    assert (problem.row, problem.severity) == (None, "error")
    assert "20 dòng đầu" in problem.message


def test_s21_stt_column_is_ignored_and_listed():
    result = read(workbook([[1] + task(), [2] + task(tid="NV02")], header=["STT"] + HEADERS))
    assert result.ignored_columns == ["STT"] and result.rows == 2 and result.problems == []


@pytest.mark.parametrize("header", [
    ["MA NHIEM VU", "NOI DUNG NHIEM VU", "PHONG CHU TRI", "NGAY GIAO", "HAN HOAN THANH"],
    ["ma_nhiem_vu", "noi_dung_nhiem_vu", "phong_chu_tri", "ngay_giao", "han_hoan_thanh"],
    ["Task ID", "Title", "Department", "Start date", "Deadline"],
    [unicodedata.normalize("NFD", h) for h in
     ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Ngày giao", "Hạn  hoàn thành"]],
], ids=["upper-no-diacritics", "underscores", "english", "nfd"])
def test_s21_header_spellings(header):
    result = read(workbook([["NV1", "T", "P1", dt.date(2026, 10, 1), dt.date(2026, 10, 9)]],
                           header=header))
    assert result.header_row == 1
    assert sorted(result.column_map.values()) == sorted(
        ["task_id", "title", "lead_dept", "assigned_date", "due_date"])
    row = result.tasks.iloc[0]
    assert (row["task_id"], row["lead_dept"]) == ("NV1", "P1")
    assert row["due_date"] == pd.Timestamp("2026-10-09")


ALIASES = {
    "task_id": ["Mã nhiệm vụ", "Mã NV", "Mã công việc", "Số hiệu", "Task ID", "ID", "Key"],
    "title": ["Nội dung nhiệm vụ", "Tên nhiệm vụ", "Nội dung công việc", "Công việc", "Title",
              "Summary", "Task"],
    "service": ["Loại dịch vụ", "Dịch vụ", "Lĩnh vực", "Service", "Category"],
    "lead_dept": ["Phòng chủ trì", "Đơn vị chủ trì", "Bộ phận chủ trì", "Department", "Team",
                  "Component"],
    "lead_person": ["Người chủ trì", "Cá nhân chủ trì", "Người thực hiện", "Cán bộ thụ lý",
                    "Assignee", "Owner"],
    "coord_depts": ["Phòng phối hợp", "Đơn vị phối hợp", "Bộ phận phối hợp",
                    "Collaborating departments", "Supporting teams"],
    "coord_people": ["Người phối hợp", "Cá nhân phối hợp", "Collaborators", "Watchers"],
    "assigned_date": ["Ngày giao", "Ngày giao việc", "Ngày bắt đầu", "Start date", "Created"],
    "due_date": ["Hạn hoàn thành", "Thời hạn", "Hạn xử lý", "Hạn", "Deadline", "Due date"],
    "original_due_date": ["Hạn ban đầu", "Original due date"],
    "done_date": ["Ngày hoàn thành", "Ngày xong", "Completed", "Resolved", "Done date"],
    "status": ["Trạng thái", "Tình trạng", "Status"],
    "note": ["Ghi chú", "Notes", "Comment"],
}
ALIAS_VALUES = {
    "task_id": "NV1", "title": "T", "service": "Can thiệp khẩn cấp", "lead_dept": "P1",
    "lead_person": "Ng A", "coord_depts": "P2; P3", "coord_people": "B, C",
    "assigned_date": dt.date(2026, 10, 1), "due_date": dt.date(2026, 10, 9),
    "original_due_date": dt.date(2026, 10, 8), "done_date": dt.date(2026, 10, 5),
    "status": "Đã hủy", "note": "ghi",
}
EXPECTED = {**ALIAS_VALUES, "coord_depts": ("P2", "P3"), "coord_people": ("B", "C"),
            "status": "cancelled"}


def _strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


@pytest.mark.parametrize("field,alias", [(f, a) for f, names in ALIASES.items() for a in names])
def test_s21_every_alias_of_the_table(field, alias):
    base = {"task_id": "Mã nhiệm vụ", "title": "Nội dung nhiệm vụ", "lead_dept": "Phòng chủ trì",
            "assigned_date": "Ngày giao"}
    for spelled in (alias, _strip_marks(alias).upper()):
        names = {**base, field: spelled}
        result = read(workbook([[ALIAS_VALUES[f] for f in names]], header=list(names.values())))
        assert result.column_map.get(spelled) == field, (spelled, result.column_map)
        value = result.tasks.iloc[0][field]
        expected = EXPECTED[field]
        if isinstance(expected, dt.date):
            expected = pd.Timestamp(expected)
        assert value == expected


def test_s21_best_visible_sheet_wins_hidden_and_instruction_sheets_skipped():
    def extra_sheets(wb):
        guide = wb.create_sheet("Hướng dẫn", 0)
        guide.append(HEADERS)
        guide.append(["Ghi mã nhiệm vụ"] * len(HEADERS))
        summary = wb.create_sheet("Tổng hợp", 1)
        summary.append(["Mã nhiệm vụ", "Phòng chủ trì", "Ngày giao"])
        summary.append(["X1", "P", dt.date(2026, 1, 1)])
        hidden = wb.create_sheet("Bản cũ")
        hidden.sheet_state = "hidden"
        hidden.append(HEADERS)
        hidden.append(task(tid="HIDDEN"))

    result = read(workbook([task()], header=HEADERS[:9], edit=extra_sheets))
    assert result.sheet == "Nhiệm vụ" and result.problems == []
    assert result.tasks["task_id"].tolist() == ["NV01"]


def test_s21_only_a_hidden_sheet_has_the_header():
    def hide(wb):
        wb.active.sheet_state = "hidden"
        wb.create_sheet("Trang khác").append(["abc"])

    result = read(workbook([task()], edit=hide))
    assert result.header_row is None and result.rows == 0
    assert only_problem(result).severity == "error"


def test_s21_two_row_header_under_merged_group_titles():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026"])
    ws.append(["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Chủ trì", None, "Phối hợp", None,
               "Ngày giao"])
    ws.append([None, None, None, "Phòng", "Người", "Phòng", "Người", None])
    for cells in ("A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:G2", "H2:H3"):
        ws.merge_cells(cells)
    ws.append([1, "007", "T", "Phòng Tư vấn", "Nguyễn A", "Phòng B; Phòng C", "Lê D",
               dt.date(2026, 10, 1)])
    out = io.BytesIO()
    wb.save(out)
    row = read(out.getvalue()).tasks.iloc[0]
    assert (row["task_id"], row["lead_dept"], row["lead_person"]) == ("007", "Phòng Tư vấn", "Nguyễn A")
    assert row["coord_depts"] == ("Phòng B", "Phòng C") and row["coord_people"] == ("Lê D",)
    assert row["source_row"] == 4


def test_s21_very_hidden_sheet_and_chart_sheet_are_skipped_hidden_rows_are_read():
    from openpyxl.chart import BarChart, Reference

    def extra(wb):
        secret = wb.create_sheet("Ẩn sâu", 0)
        secret.sheet_state = "veryHidden"
        secret.append(HEADERS)
        secret.append(task(tid="VERY-HIDDEN"))
        chart = BarChart()
        chart.add_data(Reference(wb["Nhiệm vụ"], min_col=1, min_row=1, max_row=2))
        wb.create_chartsheet("Biểu đồ", 0).add_chart(chart)
        wb["Nhiệm vụ"].row_dimensions[3].hidden = True  # a hidden data row is still a task

    result = read(workbook([task(), task(tid="HIDDEN-ROW")], header=HEADERS, edit=extra))
    assert result.sheet == "Nhiệm vụ" and result.problems == []
    assert result.tasks["task_id"].tolist() == ["NV01", "HIDDEN-ROW"]


# --- §2.1 data rows and skipped rows ----------------------------------------------------

def test_s21_blank_rows_and_signature_block_are_skipped_with_excel_row_numbers():
    above = [["BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026"], [None]]
    rows = [task(tid="NV01"),                                                     # 4
            BLANK,                                                                # 5
            task(tid="NV02"),                                                     # 6
            BLANK, BLANK,                                                         # 7, 8
            [None] * 8 + ["Đà Nẵng, ngày 30 tháng 10 năm 2026"],                 # 9
            [None, "Người lập biểu"] + [None] * 6 + ["TRƯỞNG PHÒNG"],             # 10
            BLANK,                                                                # 11
            [None, "Trần Thị B"] + [None] * 6 + ["Lê Văn C"]]                     # 12
    result = read(workbook(rows, above=above))
    assert result.header_row == 3 and result.rows == 2 and result.problems == []
    assert result.skipped_rows == [5, 7, 8, 9, 10, 11, 12]
    assert result.tasks["source_row"].tolist() == [4, 6]


def test_s21_signature_words_in_the_id_column_are_not_tasks():
    rows = [task(tid="NV01"), ["Người lập biểu"], ["TRƯỞNG PHÒNG"],
            ["Đà Nẵng, ngày 30 tháng 10 năm 2026"], task(tid="NV03")]
    result = read(workbook(rows))
    assert result.skipped_rows == [3, 4, 5] and result.problems == []
    assert result.tasks["task_id"].tolist() == ["NV01", "NV03"]


def test_s21_a_row_with_a_date_but_no_id_is_a_data_row_with_an_error():
    rows = [task(tid="NV01"), [None, "abc", None, "P", None, None, None, dt.date(2026, 10, 2)]]
    result = read(workbook(rows))
    assert result.rows == 2 and result.skipped_rows == []
    assert (3, "task_id", "error") in found(result)


# --- §2.1 text, IDs, lists -------------------------------------------------------------

def test_s21_ids_stay_text_as_typed():
    rows = [task(tid="007"), task(tid="0012"), task(tid=12345), task(tid=12.0),
            task(tid=" NV06 "), task(tid=1234567890123), task(tid="1e5")]
    result = read(workbook(rows))
    assert result.problems == []
    assert result.tasks["task_id"].tolist() == ["007", "0012", "12345", "12", "NV06",
                                                "1234567890123", "1e5"]


def test_s21_lists_split_on_semicolon_comma_line_break_deduplicated():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoa")
    rows = [task(cdepts="Phòng A; Phòng B,Phòng C\nPhòng A;; ,Phòng D\r\nPhòng B",
                 cpeople=nfd + "; Nguyễn Thị Hoa;  Lê   Văn Tâm  ")]
    row = read(workbook(rows)).tasks.iloc[0]
    assert row["coord_depts"] == ("Phòng A", "Phòng B", "Phòng C", "Phòng D")
    assert row["coord_people"] == ("Nguyễn Thị Hoa", "Lê Văn Tâm")
    assert read(workbook([task()])).tasks.iloc[0]["coord_depts"] == ()


def test_s21_text_is_nfc_trimmed_and_collapsed():
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    rows = [task(tid="A", title="  Tư   vấn\ttâm lý  ", dept=nfd("Phòng Công tác xã hội"),
                 person=nfd("Nguyễn Thị Hoa"), note=nfd("ghi  chú")),
            task(tid="B", person="Nguyễn Thị Hoa")]
    tasks = read(workbook(rows)).tasks
    first = tasks.iloc[0]
    assert first["title"] == "Tư vấn tâm lý" and first["note"] == "ghi chú"
    assert first["lead_dept"] == "Phòng Công tác xã hội"
    assert unicodedata.is_normalized("NFC", first["lead_dept"])
    assert tasks["lead_person"].nunique() == 1


def test_s21_nfd_and_nfc_ids_are_the_same_id():
    rows = [task(tid=unicodedata.normalize("NFD", "NV-Đà")), task(tid="NV-Đà")]
    result = read(workbook(rows))
    assert found(result) == {(3, "task_id", "error")}


# --- §2.1 dates ------------------------------------------------------------------------

DATE_SPELLINGS = [dt.date(2026, 11, 5), dt.datetime(2026, 11, 5, 14, 30), 46331, 46331.6,
                  "5/11/2026", "05-11-2026", "05.11.2026", "5/11/26", "2026-11-05",
                  "5/11/2026 14:30", "05/11/2026 02:32:24 PM", "2026-11-05 14:30:00",
                  " 05/11/2026 ", "5-11-26", "5.11.26"]


def test_s21_every_date_spelling_reads_as_5_november_2026_at_midnight():
    rows = [task(tid=f"D{i}", assigned=dt.date(2026, 11, 1), due=value)
            for i, value in enumerate(DATE_SPELLINGS)]
    result = read(workbook(rows))
    assert result.problems == [] and not result.month_first
    assert str(result.tasks["due_date"].dtype).startswith("datetime64")
    assert result.tasks["due_date"].tolist() == [pd.Timestamp("2026-11-05")] * len(DATE_SPELLINGS)


def test_s21_month_first_file_is_read_month_first_with_one_file_warning():
    rows = [task(tid="A", assigned="10/01/2026", due="10/15/2026"),
            task(tid="B", assigned="10/02/2026", due="11/05/2026", done="10/20/2026",
                 status="Hoàn thành")]
    result = read(workbook(rows))
    assert result.month_first
    problem = only_problem(result)
    assert (problem.row, problem.severity) == (None, "warning")
    tasks = result.tasks
    assert tasks["assigned_date"].tolist() == [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-02")]
    assert tasks["due_date"].tolist() == [pd.Timestamp("2026-10-15"), pd.Timestamp("2026-11-05")]
    assert tasks["done_date"].iloc[1] == pd.Timestamp("2026-10-20")


def test_s21_month_first_is_decided_over_all_date_columns_iso_aside():
    # The only d/m/y text date is a done_date; ISO dates elsewhere do not count.
    rows = [task(assigned="2026-10-01", due="2026-10-30", done="10/25/2026", status="Hoàn thành")]
    result = read(workbook(rows))
    assert result.month_first and result.tasks["done_date"].iloc[0] == pd.Timestamp("2026-10-25")
    # An ISO date with a large middle part proves nothing.
    result = read(workbook([task(assigned="2026-10-15", due="01/11/2026")]))
    assert not result.month_first and result.problems == []
    assert result.tasks["due_date"].iloc[0] == pd.Timestamp("2026-11-01")


def test_s21_one_unambiguous_day_first_date_keeps_the_file_day_first():
    rows = [task(tid="A", assigned="10/01/2026", due="10/15/2026"),
            task(tid="B", assigned="13/10/2026", due="20/10/2026")]
    result = read(workbook(rows))
    assert not result.month_first
    assert result.tasks["assigned_date"].tolist() == [pd.Timestamp("2026-01-10"),
                                                      pd.Timestamp("2026-10-13")]
    assert (2, "due_date", "error") in found(result)  # 10/15/2026 cannot be day-first


def test_s21_all_ambiguous_dates_stay_day_first():
    result = read(workbook([task(assigned="01/10/2026", due="05/11/2026")]))
    assert not result.month_first and result.problems == []
    assert result.tasks["due_date"].iloc[0] == pd.Timestamp("2026-11-05")


# --- §2.1 statuses and services --------------------------------------------------------

STATUS_CASES = {
    "done": ["Hoàn thành", "Đã hoàn thành", "Done", "Closed", "Resolved", "HOAN THANH",
             "da hoan thanh", "  hoàn   thành "],
    "open": ["Đang thực hiện", "In progress", "Open", "To do", "Chưa thực hiện", "Tạm dừng",
             "On hold", "dang thuc hien", "IN PROGRESS", "TẠM DỪNG"],
    "cancelled": ["Hủy", "Huỷ", "Đã hủy", "Đã huỷ", "Cancelled", "Canceled", "HUY", "da huy"],
}


def test_s21_every_status_word_diacritics_insensitive():
    rows, expected = [], []
    for status, words in STATUS_CASES.items():
        for word in words:
            done = dt.date(2026, 10, 5) if status == "done" else None
            rows.append(task(tid=f"S{len(rows)}", status=word, done=done))
            expected.append(status)
    result = read(workbook(rows))
    assert result.problems == []
    assert result.tasks["status"].tolist() == expected


def test_s21_status_derived_from_done_date_and_unknown_status():
    rows = [task(tid="N1", status=None, done=dt.date(2026, 10, 5)),       # 2 done
            task(tid="N2", status=None),                                  # 3 open
            task(tid="U1", status="Chờ duyệt", done=dt.date(2026, 10, 5)),  # 4 done + warning
            task(tid="U2", status="Chờ duyệt"),                           # 5 open + warning
            task(tid="O1", status="Đang thực hiện", done=dt.date(2026, 10, 5)),  # 6 done + warning
            task(tid="C1", status="Đã hủy", done=dt.date(2026, 10, 5))]   # 7 cancelled
    result = read(workbook(rows))
    assert result.tasks["status"].tolist() == ["done", "open", "done", "open", "done", "cancelled"]
    assert result.tasks["status_text"].iloc[2] == "Chờ duyệt"
    assert found(result) == {(4, "status", "warning"), (5, "status", "warning"),
                             (6, "status", "warning")}
    assert result.ok


def test_s21_unknown_service_is_khac_with_a_warning():
    rows = [task(tid="A", service="Dịch vụ lạ"), task(tid="B", service="tu van - tham van"),
            task(tid="C", service=None)]
    result = read(workbook(rows))
    assert result.tasks["service"].tolist() == ["Khác", "Tư vấn - Tham vấn", "Khác"]
    assert found(result) == {(2, "service", "warning")}
    assert "Khác" in result.problems[0].message


# --- §2.3 row errors and warnings: each alone, then all together -----------------------

SETTINGS = ReadSettings(departments=("Phòng Tư vấn", "Phòng Can thiệp"),
                        people=("Nguyễn Văn A", "Trần Thị B"))

SINGLE_CASES = [
    ("empty task_id", task(tid=None), "task_id", "error"),
    ("empty lead_dept", task(dept=None), "lead_dept", "error"),
    ("missing assigned_date", task(assigned=None), "assigned_date", "error"),
    ("unreadable assigned_date", task(assigned="hôm qua"), "assigned_date", "error"),
    ("unreadable due_date", task(due="xx"), "due_date", "error"),
    ("unreadable done_date", task(done="yy", status=None), "done_date", "error"),
    ("unreadable original_due_date", task(original_due="31/02/2026"), "original_due_date", "error"),
    ("due before assigned", task(assigned=dt.date(2026, 10, 10), due=dt.date(2026, 10, 5)),
     "due_date", "error"),
    ("done before assigned", task(assigned=dt.date(2026, 10, 10), done=dt.date(2026, 10, 5),
                                  status="Hoàn thành"), "done_date", "error"),
    ("done status without done_date", task(status="Hoàn thành"), "done_date", "error"),
    ("department not configured", task(dept="Phòng Tư vấn tâm lý"), "lead_dept", "error"),
    ("coordinating department not configured", task(cdepts="Phòng Can thiệp; Phòng Lạ"),
     "coord_depts", "error"),
    ("empty title", task(title=None), "title", "warning"),
    ("missing due_date", task(due=None), "due_date", "warning"),
    ("missing lead_person", task(person=None), "lead_person", "warning"),
    ("done_date in the future", task(done=dt.date(2027, 1, 5), status="Hoàn thành"),
     "done_date", "warning"),
    ("person not in roster", task(person="Lê Văn Z"), "lead_person", "warning"),
    ("coordinator not in roster", task(cpeople="Trần Thị B; Người Lạ"), "coord_people", "warning"),
    ("unknown service", task(service="Chăm sóc"), "service", "warning"),
    ("open status with done_date", task(done=dt.date(2026, 10, 6)), "status", "warning"),
]


@pytest.mark.parametrize("name,line,field,severity", SINGLE_CASES, ids=[c[0] for c in SINGLE_CASES])
def test_s23_each_problem_alone(name, line, field, severity):
    result = read(workbook([task(tid="OK1"), line if line[0] is None else ["X"] + line[1:]]),
                  settings=SETTINGS)
    assert found(result) == {(3, field, severity)}, result.report()
    assert result.ok == (severity == "warning")
    assert not result.unreadable


def test_s23_all_problems_together_reported_at_once_with_their_rows():
    rows = [task(tid="OK1")]
    for i, (_name, line, _field, _severity) in enumerate(SINGLE_CASES):
        rows.append(line if line[0] is None else [f"X{i}"] + line[1:])
    rows += [task(tid="DUP"), task(tid="DUP"), task(tid="DUP ")]
    result = read(workbook(rows), settings=SETTINGS)
    expected = {(3 + i, field, severity) for i, (_n, _l, field, severity) in enumerate(SINGLE_CASES)}
    first_dup = 3 + len(SINGLE_CASES)
    expected |= {(first_dup + 1, "task_id", "error"), (first_dup + 2, "task_id", "error")}
    assert found(result) == expected
    assert result.rows == len(rows) and not result.unreadable


def test_s23_duplicate_id_reported_on_each_repeat_naming_the_first():
    result = read(workbook([task(tid="A"), task(tid="DUP"), task(tid="DUP"), task(tid="DUP")]))
    assert found(result) == {(4, "task_id", "error"), (5, "task_id", "error")}
    assert all("dòng 3" in p.message and p.value == "DUP" for p in result.problems)


def test_s23_department_matched_ignoring_case_and_diacritics_takes_the_catalogue_name():
    rows = [task(dept="PHONG TU VAN", person="nguyen van a", cdepts="phong can thiep")]
    result = read(workbook(rows), settings=SETTINGS)
    assert result.problems == []
    row = result.tasks.iloc[0]
    assert row["lead_dept"] == "Phòng Tư vấn" and row["lead_person"] == "Nguyễn Văn A"
    assert row["coord_depts"] == ("Phòng Can thiệp",)


def test_s23_unknown_department_suggests_the_closest_name():
    result = read(workbook([task(dept="Tư vấn")]), settings=SETTINGS)
    problem = only_problem(result)
    assert (problem.row, problem.field, problem.value) == (2, "lead_dept", "Tư vấn")
    assert "Phòng Tư vấn" in problem.message


def test_s23_messages_are_vietnamese_and_name_the_value():
    rows = [task(tid="A", assigned="hôm qua"),
            task(tid="B", assigned=dt.date(2026, 10, 10), due=dt.date(2026, 10, 5))]
    problems = {p.row: p for p in read(workbook(rows)).problems}
    assert "hôm qua" in problems[2].message and "Ngày giao" in problems[2].message
    assert "05/11/2026" in problems[2].message  # shows the expected day-first form
    assert "05/10/2026" in problems[3].message and "10/10/2026" in problems[3].message


@pytest.mark.parametrize("field,header", [("task_id", "Mã nhiệm vụ"), ("title", "Nội dung nhiệm vụ"),
                                          ("lead_dept", "Phòng chủ trì"),
                                          ("assigned_date", "Ngày giao")])
def test_s23_missing_required_column(field, header, tmp_path):
    i = HEADERS.index(header)
    line = task()
    result = read(workbook([line[:i] + line[i + 1:]], header=HEADERS[:i] + HEADERS[i + 1:]))
    assert (None, field, "error") in found(result)
    assert not result.ok and not result.unreadable
    assert any(header in p.message for p in result.problems if p.row is None)


def test_s23_missing_optional_columns_are_file_warnings():
    result = read(workbook([["NV1", "T", "P", dt.date(2026, 10, 1)]],
                           header=["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Ngày giao"]))
    assert found(result) == {(None, "lead_person", "warning"), (None, "due_date", "warning")}
    assert result.ok


def test_s23_duplicated_header_columns():
    result = read(workbook([task() + ["X"]], header=HEADERS + ["Mã NV"]))
    assert (None, "task_id", "error") in found(result)
    assert not result.ok and not result.unreadable
    # two ignored columns with the same text are not a duplicate of a field
    result = read(workbook([[1] + task() + [1]], header=["STT"] + HEADERS + ["STT"]))
    assert result.ok and result.ignored_columns == ["STT", "STT"]


def test_s23_excel_error_values_in_fields():
    def errors(wb):
        ws = wb.active
        for ref, value in (("A3", "#N/A"), ("D4", "#REF!"), ("H5", "#VALUE!"),
                           ("I6", "#DIV/0!"), ("B7", "#NAME?")):
            ws[ref].value = value
            ws[ref].data_type = "e"

    result = read(workbook([task(tid=f"N{i}") for i in range(6)], edit=errors))
    assert [(p.row, p.field, p.value, p.severity) for p in result.problems] == [
        (3, "task_id", "#N/A", "error"), (4, "lead_dept", "#REF!", "error"),
        (5, "assigned_date", "#VALUE!", "error"), (6, "due_date", "#DIV/0!", "error"),
        (7, "title", "#NAME?", "error")]


def test_s23_formula_without_saved_value_is_a_file_error():
    def formulas(wb):
        wb.active["I2"] = "=H2+10"
        wb.active["B3"] = '=CONCAT("a","b")'

    result = read(workbook([task(tid="F1"), task(tid="F2")], edit=formulas))
    file_errors = [p for p in result.problems if p.row is None and p.severity == "error"]
    assert len(file_errors) == 1 and "Excel" in file_errors[0].message
    assert "I2" in file_errors[0].message and "B3" in file_errors[0].message
    assert not result.ok and not result.unreadable


def test_s23_formula_with_saved_value_is_read():
    # openpyxl cannot save a formula's value, so the cells are written as Excel does.
    def formula_cells(content: bytes) -> bytes:
        text = re.sub(r'<c r="I2"[^>]*>.*?</c>',
                      '<c r="I2" s="1"><f>H2+10</f><v>46306</v></c>', content.decode())
        text = re.sub(r'<c r="A3"[^>]*>.*?</c>',
                      '<c r="A3" t="str"><f>"00"&amp;"8"</f><v>008</v></c>', text)
        return text.encode()

    def formulas(wb):
        wb.active["I2"] = "=H2+10"
        wb.active["A3"] = '="00"&"8"'

    data = workbook([task(tid="F1"), task(tid="F2")], edit=formulas)
    data = rewrite_member(data, "xl/worksheets/sheet1.xml", formula_cells)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<v>46306</v>" in sheet_xml and b"<v>008</v>" in sheet_xml
    result = read(data)
    assert result.problems == [], result.report()
    assert result.tasks["due_date"].iloc[0] == pd.Timestamp("2026-10-11")
    assert result.tasks["task_id"].iloc[1] == "008"


# --- §2.1 column mapping ---------------------------------------------------------------

def test_s21_mapping_wins_over_the_automatic_match():
    data = workbook([task(tid="AUTO1") + ["MAP1"]], header=HEADERS + ["Mã cũ"])
    result = read(data, mapping={"MA CU": "task_id"})
    assert result.tasks["task_id"].tolist() == ["MAP1"]
    assert result.ignored_columns == ["Mã nhiệm vụ"] and result.problems == []


def test_s21_mapping_to_a_header_not_in_the_file_is_a_warning():
    result = read(workbook([task()]), mapping={"Không có": "note"})
    problem = only_problem(result)
    assert (problem.row, problem.field, problem.severity) == (None, "note", "warning")


# --- §2.1 file formats decided from the bytes ------------------------------------------

CSV_TEXT = ("Mã nhiệm vụ,Nội dung nhiệm vụ,Phòng chủ trì,Người chủ trì,Phòng phối hợp,Ngày giao,"
            "Hạn hoàn thành,Trạng thái\n"
            "007,\"Tư vấn, hỗ trợ\",Phòng Tư vấn,Nguyễn Văn A,\"Phòng B; Phòng C\",05/11/2026,"
            "20/11/2026,Đang thực hiện\n"
            "0012,Việc 2,Phòng Tư vấn,Nguyễn Văn A,,5/11/26,2026-11-30,Hoàn thành\n")


def test_s21_xlsx_named_csv_and_csv_named_xlsx():
    result = read(workbook([task(tid="007")]), "log.csv")
    assert result.sheet == "Nhiệm vụ" and result.tasks["task_id"].tolist() == ["007"]
    result = read(CSV_TEXT.encode(), "log.xlsx")
    tasks = result.tasks
    assert tasks["task_id"].tolist() == ["007", "0012"]
    assert tasks["title"].iloc[0] == "Tư vấn, hỗ trợ"
    assert tasks["coord_depts"].iloc[0] == ("Phòng B", "Phòng C")
    assert tasks["assigned_date"].tolist() == [pd.Timestamp("2026-11-05")] * 2
    assert found(result) == {(3, "done_date", "error")}  # "Hoàn thành" with no done date


def test_s21_semicolon_csv_with_bom_and_crlf():
    text = ("\ufeffMã nhiệm vụ;Nội dung nhiệm vụ;Phòng chủ trì;Người chủ trì;Phòng phối hợp;"
            "Ngày giao;Hạn hoàn thành\r\n"
            "007;Tư vấn, hỗ trợ;Phòng Tư vấn;Nguyễn Văn A;\"Phòng B, Phòng C\";05/11/2026;"
            "20/11/2026\r\n")
    result = read(text.encode("utf-8"), "log.csv")
    assert result.problems == [] and result.column_map["Mã nhiệm vụ"] == "task_id"
    row = result.tasks.iloc[0]
    assert (row["task_id"], row["title"]) == ("007", "Tư vấn, hỗ trợ")
    assert row["coord_depts"] == ("Phòng B", "Phòng C")


def test_s21_csv_with_title_rows_and_signature():
    text = ("BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026,,,,,\n,,,,,\n"
            "Mã nhiệm vụ,Nội dung nhiệm vụ,Phòng chủ trì,Người chủ trì,Ngày giao,Hạn hoàn thành\n"
            "007,Tư vấn,Phòng Tư vấn,Nguyễn Văn A,05/11/2026,20/11/2026\n"
            ",,,,,\nNgười lập biểu,,,TRƯỞNG PHÒNG,,\n")
    result = read(text.encode(), "log.csv")
    assert (result.header_row, result.rows, result.skipped_rows) == (3, 1, [5, 6])
    assert result.problems == []


def test_s21_csv_not_utf8_is_refused_with_advice():
    text = "Mã nhiệm vụ,Nội dung nhiệm vụ,Phòng chủ trì,Ngày giao\n007,Tư vấn,Phòng A,05/11/2026\n"
    result = read(text.encode("cp1258", errors="replace"), "log.csv")
    assert result.unreadable and "UTF-8" in only_problem(result).message


def test_s21_xls_read_from_bytes_whatever_the_name():
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    ws = book.add_sheet("Nhiệm vụ")
    ws.write(0, 0, "BẢNG THEO DÕI NHIỆM VỤ")
    for j, header in enumerate(HEADERS):
        ws.write(2, j, header)
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for j, value in enumerate(task(tid="007", cdepts="P1;P2")):
        if isinstance(value, dt.date):
            ws.write(3, j, value, date_style)
        elif value is not None:
            ws.write(3, j, value)
    for j, value in ((0, 12.0), (1, "Việc 2"), (3, "Phòng Tư vấn"), (4, "B"), (7, 46331),
                     (8, "20/11/2026")):
        ws.write(4, j, value)
    ws.write(6, 1, "Người lập biểu")
    out = io.BytesIO()
    book.save(out)
    for name in ("log.xls", "log.xlsx"):
        result = read(out.getvalue(), name)
        assert (result.header_row, result.rows, result.skipped_rows) == (3, 2, [6, 7])
        assert result.problems == []
        tasks = result.tasks
        assert tasks["task_id"].tolist() == ["007", "12"]
        assert tasks["coord_depts"].iloc[0] == ("P1", "P2")
        assert tasks["assigned_date"].tolist() == [pd.Timestamp("2026-10-01"),
                                                   pd.Timestamp("2026-11-05")]
        assert tasks["source_row"].tolist() == [4, 5]


def test_s21_ods_read_from_bytes():
    frame = pd.DataFrame([task(tid="007", cdepts="P1;P2"),
                          task(tid="0012", assigned="05/11/2026", due="20/11/2026")],
                         columns=HEADERS)
    out = io.BytesIO()
    frame.to_excel(out, engine="odf", index=False, sheet_name="Nhiệm vụ")
    for name in ("log.ods", "log.csv"):
        result = read(out.getvalue(), name)
        assert result.sheet == "Nhiệm vụ" and result.problems == []
        tasks = result.tasks
        assert tasks["task_id"].tolist() == ["007", "0012"]
        assert tasks["coord_depts"].iloc[0] == ("P1", "P2")
        assert tasks["due_date"].tolist() == [pd.Timestamp("2026-10-20"), pd.Timestamp("2026-11-20")]


# --- §2.3 hostile files: refused whole, one error with row null, never a crash ---------

def _refused(result, *words):
    assert result.unreadable and not result.ok
    problem = only_problem(result)
    assert (problem.row, problem.severity) == (None, "error")
    for word in words:
        assert word in problem.message, problem.message
    return problem


def test_s23_empty_file():
    _refused(read(b"", "log.xlsx"), "rỗng")
    _refused(read(b"", "log.csv"), "rỗng")


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 20,
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + bytes(300),
    b"\x89PNG\r\n\x1a\n" + bytes(300),
    b"<html><body><table><tr><td>Ma nhiem vu</td></tr></table></body></html>",
], ids=["random", "pdf", "png", "html"])
def test_s23_not_a_spreadsheet_whatever_its_name(data):
    _refused(read(data, "log.xlsx"), "không phải là bảng tính")


@pytest.mark.parametrize("cut", [0.5, -30])
def test_s23_truncated_xlsx(cut):
    data = workbook([task()])
    end = int(len(data) * cut) if isinstance(cut, float) else cut
    _refused(read(data[:end], "log.xlsx"), "hỏng")


def test_s23_xlsx_with_a_broken_sheet_part():
    data = workbook([task()])
    broken = rewrite_member(data, "xl/worksheets/sheet1.xml", lambda c: c[: len(c) // 2])
    _refused(read(broken, "log.xlsx"), "hỏng")


def test_s23_password_protected_xlsx():
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(workbook([task()]))).encrypt("secret", out)
    for name in ("log.xlsx", "log.csv"):
        _refused(read(out.getvalue(), name), "mật khẩu")


def test_s23_macros_are_refused():
    data = add_member(workbook([task()]), "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(100))
    _refused(read(data, "log.xlsx"), "macro", ".xlsx")


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml",
                                    "[Content_Types].xml"])
def test_s23_xml_entity_declarations_are_refused(member):
    bomb = (b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;">]>')
    data = rewrite_member(workbook([task()]), member, lambda c: bomb + c)
    _refused(read(data, "log.xlsx"), "ENTITY")


def test_s23_zip_bomb_is_refused_quickly():
    out = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(workbook([task()])))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        with dst.open("xl/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(1024):  # 1 GB of zeros, about 1 MB compressed
                member.write(chunk)
    _refused(read(out.getvalue(), "log.xlsx"), "giới hạn")


def test_s23_cell_at_xfd1048576_is_refused_without_reading_a_million_rows():
    def far(wb):
        wb.active["XFD1048576"] = "x"

    _refused(read(workbook([task()], edit=far), "log.xlsx"), "1048576")


@pytest.mark.parametrize("lines,refused", [(10, False), (11, True)])
def test_s23_row_limit(lines, refused):
    settings = ReadSettings(row_limit=10)
    rows = [task(tid=f"R{i}") for i in range(lines)] + [BLANK] * 5 + [["Người lập biểu"]]
    result = read(workbook(rows), settings=settings)
    if refused:
        _refused(result, "11", "10")
    else:
        assert result.ok and result.rows == 10
    text = "Mã nhiệm vụ,Nội dung nhiệm vụ,Phòng chủ trì,Ngày giao\n" + "".join(
        f"R{i},t,P,01/10/2026\n" for i in range(lines))
    assert read(text.encode(), "log.csv", settings=settings).unreadable == refused


def test_s23_default_row_limit_is_100000():
    assert ReadSettings().row_limit == 100_000


# --- §2.2 the "Phối hợp" sheet -----------------------------------------------------------

def test_s22_contribution_sheet_is_read_and_checked():
    def contributions(wb):
        sheet = wb.create_sheet("Phối hợp")
        sheet.append(["Mã nhiệm vụ", "Phòng phối hợp", "Người phối hợp", "Hạn phối hợp",
                      "Ngày gửi kết quả", "Đánh giá"])
        sheet.append(["007", "Phòng B", "Lê C", dt.date(2026, 10, 10), "09/10/2026", "Tốt"])
        sheet.append(["007", "Phòng C", None, None, dt.date(2026, 10, 25), "chua dat"])
        sheet.append([None] * 6)
        sheet.append(["NV404", "Phòng D", None, "abc", None, "Xuất sắc"])

    result = read(workbook([task(tid="007", cdepts="Phòng B; Phòng C")], edit=contributions))
    assert result.sheet == "Nhiệm vụ" and result.rows == 1
    frame = result.contributions
    assert frame["task_id"].tolist() == ["007", "007", "NV404"]
    assert frame["source_row"].tolist() == [2, 3, 5]
    assert frame["contrib_due_date"].iloc[0] == pd.Timestamp("2026-10-10")
    assert frame["delivered_date"].tolist()[:2] == [pd.Timestamp("2026-10-09"),
                                                   pd.Timestamp("2026-10-25")]
    assert frame["rating"].tolist()[:2] == ["Tốt", "Chưa đạt"]
    assert found(result) == {(5, "contrib_due_date", "error"), (5, "task_id", "warning"),
                             (5, "rating", "warning")}
    assert all("Phối hợp" in p.message for p in result.problems)


def test_s22_contribution_dates_follow_the_file_day_first_rule():
    def contributions(wb):
        sheet = wb.create_sheet("PHOI HOP")  # sheet name matched without diacritics
        sheet.append(["Mã NV", "Phòng phối hợp", "Hạn phối hợp", "Ngày gửi kết quả"])
        sheet.append(["007", "Phòng B", "15/10/2026", "05/10/2026"])

    result = read(workbook([task(tid="007", assigned="01/10/2026", due="05/11/2026")],
                           edit=contributions))
    assert not result.month_first and result.problems == []
    frame = result.contributions
    assert frame["contrib_due_date"].tolist() == [pd.Timestamp("2026-10-15")]
    assert frame["delivered_date"].tolist() == [pd.Timestamp("2026-10-05")]


def test_s22_no_contribution_sheet_gives_none():
    assert read(workbook([task()])).contributions is None


# --- real public logs (shared/external/README.md mappings) -----------------------------

NYC_MAP = {"Unique Key": "task_id", "Complaint Type": "title", "Agency": "lead_dept",
           "Created Date": "assigned_date", "Due Date": "due_date", "Closed Date": "done_date",
           "Status": "status"}
BOSTON_MAP = {"case_enquiry_id": "task_id", "case_title": "title", "department": "lead_dept",
              "queue": "lead_person", "open_dt": "assigned_date", "target_dt": "due_date",
              "closed_dt": "done_date", "case_status": "status"}


def test_real_nyc311_log_is_month_first_without_errors(external_dir):
    data = (external_dir / "nyc311_sample_999.csv").read_bytes()
    result = read(data, "nyc311_sample_999.csv", mapping=NYC_MAP)
    assert result.ok and result.rows == 999 and result.month_first
    raw = pd.read_csv(io.BytesIO(data), dtype=str)
    created = pd.to_datetime(raw["Created Date"], format="%m/%d/%Y %I:%M:%S %p").dt.normalize()
    assert (result.tasks["assigned_date"].to_numpy() == created.to_numpy()).all()
    assert result.tasks["task_id"].tolist() == raw["Unique Key"].tolist()
    assert result.tasks["status"].value_counts().to_dict() == {"done": 989, "open": 10}


def test_real_boston311_log_without_errors(external_dir):
    data = (external_dir / "boston311_100.csv").read_bytes()
    result = read(data, "boston311_100.csv", mapping=BOSTON_MAP)
    assert result.ok and result.rows == 100 and not result.month_first
    raw = pd.read_csv(io.BytesIO(data), dtype=str)
    opened = pd.to_datetime(raw["open_dt"]).dt.normalize()
    assert (result.tasks["assigned_date"].to_numpy() == opened.to_numpy()).all()
    assert result.tasks["status"].value_counts().to_dict() == {"done": 85, "open": 15}
