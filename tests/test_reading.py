"""Reading a task-log file (SPEC §2.1 reading rules, §2.2 the "Phối hợp" sheet):
formats, sheet and header detection, column mapping, skipped rows, row numbers."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import pytest

from analysis import messages
from analysis.fields import clean_text
from analysis.model import CONTRIBUTION_COLUMNS, TASK_COLUMNS
from analysis.reading import UnknownFieldError, read_task_log
from workbooks import (
    HEADERS,
    csv_bytes,
    first_sheet_xml,
    ods,
    rezip,
    task,
    task_table,
    task_xlsx,
    xls,
    xlsx,
)

TODAY = dt.date(2026, 10, 31)


def read(data: bytes, name: str = "log.xlsx", **options):
    return read_task_log(data, name, today=TODAY, **options)


def problems_of(result, field=None, severity=None):
    return [p for p in result.problems
            if (field is None or p.field == field) and (severity is None or p.severity == severity)]


# --- the task frame contract -----------------------------------------------------------

def test_template_workbook_reads_into_the_task_frame():
    result = read(task_xlsx(task(task_id="NV-1", coord_depts="Phòng A; Phòng B",
                                 done_date="14/10/2026", status="Hoàn thành")))
    assert result.ok, result.report()
    tasks = result.tasks
    assert list(tasks.columns) == list(TASK_COLUMNS)
    assert (result.sheet, result.header_row, result.rows) == ("Nhiệm vụ", 1, 1)
    row = tasks.iloc[0]
    assert row["task_id"] == "NV-1"
    assert row["coord_depts"] == ("Phòng A", "Phòng B")
    assert row["assigned_date"] == pd.Timestamp("2026-10-01")
    assert row["done_date"] == pd.Timestamp("2026-10-14")
    assert (row["status"], row["status_text"]) == ("done", "Hoàn thành")
    assert row["source_row"] == 2
    assert str(tasks["assigned_date"].dtype) == "datetime64[us]"
    assert tasks["source_row"].dtype == "int64"
    assert pd.isna(row["note"])


def test_errors_still_return_what_could_be_read():
    result = read(task_xlsx(task(task_id="NV-1"), task(task_id="NV-1", lead_dept="")))
    assert not result.ok and not result.unreadable
    assert list(result.tasks["task_id"]) == ["NV-1", "NV-1"]


# --- header row and sheet ----------------------------------------------------------------

def test_title_rows_and_merged_cells_above_the_header():
    above = [["BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026"], ["Phòng Tư vấn"], []]
    data = xlsx({"Nhiệm vụ": task_table(task(task_id="NV-1"), task(task_id="NV-2"), above=above)},
                merge={"Nhiệm vụ": ["A1:M1", "A2:M2"]})
    result = read(data)
    assert result.ok, result.report()
    assert result.header_row == 4
    assert list(result.tasks["source_row"]) == [5, 6]


def test_row_numbers_stay_true_when_the_sheet_starts_with_empty_rows_and_columns():
    table = task_table(task(task_id="NV-1"), task(task_id="NV-2", lead_dept=""))
    shifted = [[], [], [], [], *[[None, None, *row] for row in table]]  # header on C5
    result = read(xlsx({"Nhiệm vụ": shifted}))
    assert result.header_row == 5
    assert list(result.tasks["source_row"]) == [6, 7]
    assert [(p.row, p.field) for p in result.errors] == [(7, "lead_dept")]


def test_header_within_the_first_20_rows_only():
    rows = [task(task_id="NV-1")]
    found = read(xlsx({"S": task_table(*rows, above=[["tiêu đề"]] * 19)}))
    assert found.header_row == 20 and found.ok
    missed = read(xlsx({"S": task_table(*rows, above=[["tiêu đề"]] * 20)}))
    assert missed.header_row is None and not missed.unreadable
    assert [p.message for p in missed.errors] == [messages.NO_HEADER_ROW]
    assert missed.errors[0].row is None
    assert list(missed.tasks.columns) == list(TASK_COLUMNS) and missed.tasks.empty


def test_a_row_with_two_known_headers_is_not_a_header():
    data = xlsx({"S": [["Mã nhiệm vụ", "Ghi chú", "Cột lạ"], ["NV-1", "x", "y"]]})
    assert read(data).errors[0].message == messages.NO_HEADER_ROW


@pytest.mark.parametrize("header", [
    "HAN HOAN THANH", "Hạn  hoàn thành", "han_hoan_thanh", " hạn hoàn thành ",
    "Hạn hoàn thành (dd/mm/yyyy)", "Deadline", "Due date",
    "Ha\u0323n hoa\u0300n tha\u0300nh",  # typed in NFD
])
def test_header_matching_ignores_case_diacritics_punctuation_spacing(header):
    result = read(task_xlsx(task(due_date="20/10/2026"), headers={"due_date": header}))
    assert result.ok, result.report()
    assert result.tasks["due_date"].iloc[0] == pd.Timestamp("2026-10-20")
    assert result.column_map[clean_text(header)] == "due_date"


def test_english_aliases():
    headers = {"task_id": "Task ID", "title": "Summary", "lead_dept": "Department",
               "lead_person": "Assignee", "coord_people": "Watchers",
               "assigned_date": "Start date", "due_date": "Deadline", "done_date": "Resolved",
               "status": "Status", "service": "Category", "note": "Comment",
               "coord_depts": "Supporting teams", "original_due_date": "Original due date"}
    result = read(task_xlsx(task(), headers=headers))
    assert result.ok, result.report()
    assert set(result.column_map.values()) == set(HEADERS)


def test_sheet_with_the_most_matched_fields_wins_and_any_name_is_accepted():
    small = task_table(task(task_id="A-1"), fields=("task_id", "lead_dept", "assigned_date"))
    full = task_table(task(task_id="B-1"))
    result = read(xlsx({"Tóm tắt": small, "Tháng 10": full}))
    assert result.sheet == "Tháng 10"
    assert list(result.tasks["task_id"]) == ["B-1"]


def test_hidden_sheets_are_skipped():
    visible = task_table(task(task_id="V-1"), fields=("task_id", "title", "lead_dept", "assigned_date"))
    hidden = task_table(task(task_id="H-1"))
    result = read(xlsx({"Ẩn": hidden, "Nhiệm vụ": visible}, hidden=("Ẩn",)))
    assert result.sheet == "Nhiệm vụ"
    assert list(result.tasks["task_id"]) == ["V-1"]


def test_instruction_sheet_is_skipped():
    instructions = [["Hướng dẫn nhập liệu"], list(HEADERS.values()), ["Ghi mã nhiệm vụ duy nhất"]]
    result = read(xlsx({"Hướng dẫn": instructions, "Nhiệm vụ": task_table(task(task_id="T-1"))}))
    assert result.sheet == "Nhiệm vụ" and result.ok


def test_coordination_sheet_is_never_taken_for_the_task_sheet():
    contributions = [["Mã nhiệm vụ", "Phòng phối hợp", "Người phối hợp", "Hạn phối hợp"],
                     ["NV-001", "Phòng Can thiệp", "Trần Văn Minh", "10/10/2026"]]
    result = read(xlsx({"Phối hợp": contributions, "Nhiệm vụ": task_table(task())}))
    assert result.sheet == "Nhiệm vụ"


# --- columns ----------------------------------------------------------------------------------

def test_unmatched_columns_are_ignored_and_listed():
    fields = ("task_id", "title", "lead_dept", "assigned_date")
    rows = [["STT", *[HEADERS[f] for f in fields], "Kinh phí"], [1, "NV-1", "x", "Phòng A", "01/10/2026", 5]]
    result = read(xlsx({"S": rows}))
    assert result.ignored_columns == ["STT", "Kinh phí"]
    assert result.ok, result.report()


@pytest.mark.parametrize("field", ["task_id", "title", "lead_dept", "assigned_date"])
def test_missing_required_column(field):
    fields = tuple(f for f in HEADERS if f != field)
    result = read(task_xlsx(task(), fields=fields))
    errors = [p for p in result.errors if p.row is None]
    assert [(p.field, p.message) for p in errors] == [
        (field, messages.MISSING_COLUMN.format(header=HEADERS[field]))]
    assert not result.unreadable


def test_duplicated_header_columns():
    rows = [["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Ngày giao", "Ngày giao việc"],
            ["NV-1", "x", "Phòng A", "01/10/2026", "02/10/2026"]]
    result = read(xlsx({"S": rows}))
    assert not result.unreadable and not result.ok
    (error,) = [p for p in result.errors if p.row is None]
    assert error.field == "assigned_date"
    assert "“Ngày giao”, “Ngày giao việc”" in error.message
    assert result.tasks["assigned_date"].iloc[0] == pd.Timestamp("2026-10-01")  # the first one


def test_mapping_names_a_column_and_is_matched_like_a_header():
    rows = [["Số thứ tự hồ sơ", "Việc", "Đơn vị", "Ngày nhận"],
            ["HS-7", "Hỗ trợ khẩn cấp", "Phòng Can thiệp", "03/10/2026"]]
    mapping = {"so thu tu HO SO": "task_id", "Việc": "title", "Đơn vị": "lead_dept",
               "Ngày nhận": "assigned_date"}
    result = read(xlsx({"S": rows}), mapping=mapping)
    assert result.ok, result.report()
    assert result.tasks["task_id"].iloc[0] == "HS-7"
    assert result.column_map["Số thứ tự hồ sơ"] == "task_id"


def test_mapping_wins_over_the_automatic_match():
    rows = [["Mã nhiệm vụ", "Mã hồ sơ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Ngày giao"],
            ["NV-1", "HS-9", "x", "Phòng A", "01/10/2026"]]
    result = read(xlsx({"S": rows}), mapping={"Mã hồ sơ": "task_id"})
    assert result.ok, result.report()
    assert result.tasks["task_id"].iloc[0] == "HS-9"
    assert "Mã nhiệm vụ" in result.ignored_columns


def test_mapping_to_an_unknown_field_is_a_clear_error():
    with pytest.raises(UnknownFieldError, match="deadline_date"):
        read(task_xlsx(task()), mapping={"Hạn": "deadline_date"})


def test_mapped_header_not_in_the_file_is_a_warning():
    result = read(task_xlsx(task()), mapping={"Người duyệt": "lead_person"})
    assert result.ok
    assert any(p.value == "Người duyệt" and p.severity == "warning" for p in result.problems)


# --- rows -----------------------------------------------------------------------------------

def test_blank_and_signature_rows_are_skipped_and_listed():
    table = task_table(task(task_id="NV-1"), task(task_id="NV-2"))
    table.insert(2, [])  # blank row between tasks: row 3
    table += [[], ["", "Người lập biểu", "", "", "TRƯỞNG PHÒNG"],
              ["Đà Nẵng, ngày 31 tháng 10 năm 2026"], ["Người lập biểu"], [], []]
    result = read(xlsx({"Nhiệm vụ": table}))
    assert result.ok, result.report()
    assert list(result.tasks["task_id"]) == ["NV-1", "NV-2"]
    assert result.skipped_rows == [3, 5, 6, 7, 8]  # trailing blank rows 9-10 are not listed


def test_a_row_without_task_id_but_with_a_date_is_a_task_with_an_error():
    result = read(task_xlsx(task(task_id="")))
    assert result.rows == 1 and result.skipped_rows == []
    assert [(p.row, p.field, p.message) for p in result.errors] == [
        (2, "task_id", messages.EMPTY_TASK_ID)]


def test_ids_stay_text_exactly_as_typed():
    table = task_table(task(task_id="007"), task(task_id=7), task(task_id=12345678901),
                       task(task_id="NV 01"))
    result = read(xlsx({"S": table}))
    assert list(result.tasks["task_id"]) == ["007", "7", "12345678901", "NV 01"]


def test_excel_error_values_are_cell_errors():
    data = task_xlsx(task(task_id="NV-1", lead_dept="#N/A"), task(task_id="NV-2", due_date="#REF!"),
                     task(task_id="#DIV/0!"))
    result = read(data)
    found = {(p.row, p.field, p.value) for p in result.errors}
    assert found == {(2, "lead_dept", "#N/A"), (3, "due_date", "#REF!"), (4, "task_id", "#DIV/0!")}
    assert all(messages.EXCEL_ERROR.format(value=p.value) == p.message for p in result.errors)


def test_excel_error_values_in_a_csv():
    rows = task_table(task(task_id="NV-1", assigned_date="#VALUE!"))
    result = read(csv_bytes(rows), "log.csv")
    assert [(p.row, p.field, p.value) for p in result.errors] == [(2, "assigned_date", "#VALUE!")]


def _with_formula(data: bytes, cached: bool) -> bytes:
    """Put a formula in the due_date cell (I2) of the first sheet."""
    value = b"<v>46310</v>" if cached else b""
    def edit(name, content):
        if name != "xl/worksheets/sheet1.xml":
            return content
        start = content.index(b'<c r="I2"')
        end = content.index(b"</c>", start) + 4
        return content[:start] + b'<c r="I2"><f>H2+14</f>' + value + b"</c>" + content[end:]
    return rezip(data, edit=edit)


def test_formula_cells_without_saved_value():
    result = read(_with_formula(task_xlsx(task()), cached=False))
    assert not result.unreadable
    (error,) = result.errors
    assert error.row is None
    assert error.message == messages.FORMULA_NO_VALUE.format(count=1, cells="I2")


def test_formula_cells_with_saved_value_are_read():
    result = read(_with_formula(task_xlsx(task()), cached=True))
    assert result.ok, result.report()
    assert result.tasks["due_date"].iloc[0] == pd.Timestamp("2026-10-15")


def test_formula_in_an_ignored_column_does_not_matter():
    table = [["STT", *HEADERS.values()], [None, *task().values()]]
    data = xlsx({"Nhiệm vụ": table})
    def edit(name, content):
        if name == "xl/worksheets/sheet1.xml":
            return content.replace(b'<c r="B2"', b'<c r="A2"><f>ROW()-1</f><v></v></c><c r="B2"', 1)
        return content
    assert b'<c r="B2"' in first_sheet_xml(data)
    assert read(rezip(data, edit=edit)).ok


# --- formats: decided from the bytes -----------------------------------------------------

FORMAT_ROWS = [task(task_id="007", assigned_date="01/10/2026", done_date="05/10/2026",
                    status="Hoàn thành", coord_people="Hà; Minh")]


def _expected(result):
    assert result.ok, result.report()
    row = result.tasks.iloc[0]
    assert row["task_id"] == "007"
    assert row["assigned_date"] == pd.Timestamp("2026-10-01")
    assert row["done_date"] == pd.Timestamp("2026-10-05")
    assert row["coord_people"] == ("Hà", "Minh")
    assert row["status"] == "done"


@pytest.mark.parametrize("name", ["log.xlsx", "log.csv", "log.xls", "log"])
def test_xlsx_whatever_its_name(name):
    _expected(read(task_xlsx(*FORMAT_ROWS), name))


def test_xls():
    rows = task_table(*FORMAT_ROWS)
    rows[1][HEADERS_INDEX["assigned_date"]] = dt.date(2026, 10, 1)  # a real date cell
    _expected(read(xls(rows), "log.xls"))


def test_ods():
    rows = task_table(*FORMAT_ROWS)
    rows[1][HEADERS_INDEX["assigned_date"]] = dt.date(2026, 10, 1)
    _expected(read(ods(rows), "log.ods"))


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_utf8_with_or_without_bom_comma_or_semicolon(delimiter, bom):
    _expected(read(csv_bytes(task_table(*FORMAT_ROWS), delimiter=delimiter, bom=bom), "log.csv"))


def test_semicolon_csv_whose_cells_contain_commas():
    rows = task_table(task(service="Tiếp nhận, xử lý thông tin người lang thang xin ăn",
                           coord_depts="Phòng A, Phòng B"))
    result = read(csv_bytes(rows, delimiter=";"), "log.csv")
    assert result.ok, result.report()
    assert result.tasks["coord_depts"].iloc[0] == ("Phòng A", "Phòng B")
    assert result.tasks["service"].iloc[0] == "Tiếp nhận, xử lý thông tin người lang thang xin ăn"


def test_csv_row_numbers_count_blank_lines_and_short_rows():
    rows = task_table(task(task_id="NV-1"))
    rows.insert(0, ["BẢNG THEO DÕI"])
    rows.append([])
    rows.append(["NV-2"])  # a short row: no date → an error row, not a crash
    result = read(csv_bytes(rows), "log.csv")
    assert result.header_row == 2
    assert list(result.tasks["source_row"]) == [3, 5]
    assert result.skipped_rows == [4]


def test_csv_multiline_cells_are_one_row():
    rows = task_table(task(task_id="NV-1", coord_people="Hà\nMinh\nHà"), task(task_id="NV-2"))
    result = read(csv_bytes(rows), "log.csv")
    assert list(result.tasks["source_row"]) == [2, 3]
    assert result.tasks["coord_people"].iloc[0] == ("Hà", "Minh")


HEADERS_INDEX = {name: i for i, name in enumerate(HEADERS)}


# --- the "Phối hợp" sheet (SPEC §2.2) ----------------------------------------------------

def test_coordination_sheet_is_read_and_checked():
    contributions = [
        ["Mã nhiệm vụ", "Phòng phối hợp", "Người phối hợp", "Hạn phối hợp", "Ngày gửi kết quả",
         "Đánh giá"],
        ["NV-1", "Phòng Can thiệp", "Trần Văn Minh", "10/10/2026", "09/10/2026", "tot"],
        ["NV-9", "Phòng Hành chính", "", "", "", "Đạt"],
        [],
        ["NV-1", "", "Lê Hà", "ngày mai", "", "Xuất sắc"],
    ]
    data = xlsx({"Nhiệm vụ": task_table(task(task_id="NV-1")), "Phối hợp": contributions})
    result = read(data)
    frame = result.contributions
    assert list(frame.columns) == list(CONTRIBUTION_COLUMNS)
    assert list(frame["source_row"]) == [2, 3, 5]
    assert frame["rating"].iloc[0] == "Tốt"
    assert frame["contrib_due_date"].iloc[0] == pd.Timestamp("2026-10-10")
    assert frame["delivered_date"].iloc[0] == pd.Timestamp("2026-10-09")
    found = {(p.row, p.field, p.severity) for p in result.problems if p.row is not None}
    assert found == {(3, "task_id", "warning"), (5, "contrib_due_date", "error"),
                     (5, "rating", "warning")}
    assert all(p.message.startswith("Trang “Phối hợp”: ") for p in result.problems if p.row)


def test_no_coordination_sheet_gives_none():
    assert read(task_xlsx(task())).contributions is None


def test_signature_block_with_names_in_the_task_id_column_is_skipped():
    table = task_table(task(task_id="NV-1"), task(task_id="NV-2"))
    table += [[],
              ["Đà Nẵng, ngày 31 tháng 10 năm 2026"],
              ["NGƯỜI LẬP BIỂU", "", "", "", "KT. GIÁM ĐỐC"],
              ["(Ký, ghi rõ họ tên)"],
              [],
              ["Nguyễn Thị Lan", "", "", "", "Trần Văn Minh"]]
    result = read(xlsx({"Nhiệm vụ": table}))
    assert result.ok, result.report()
    assert list(result.tasks["task_id"]) == ["NV-1", "NV-2"]
    assert result.skipped_rows == [4, 5, 6, 7, 8, 9]


def test_a_task_title_mentioning_the_director_is_not_a_signature():
    rows = [task(task_id="NV-1", title="Báo cáo Giám đốc kết quả tháng", assigned_date="",
                 due_date="")]
    result = read(task_xlsx(*rows))
    assert result.rows == 1
    assert [(p.row, p.field) for p in result.errors] == [(2, "assigned_date")]


def test_vertically_merged_cells_give_their_value_to_every_row():
    table = task_table(task(task_id="NV-1", lead_dept="Phòng Can thiệp"),
                       task(task_id="NV-2", lead_dept=""), task(task_id="NV-3", lead_dept=""),
                       task(task_id="NV-4", lead_dept="Phòng Tư vấn"))
    lead = "ABCDEFGHIJKLM"[list(HEADERS).index("lead_dept")]
    data = xlsx({"Nhiệm vụ": table}, merge={"Nhiệm vụ": [f"{lead}2:{lead}4"]})
    result = read(data)
    assert result.ok, result.report()
    assert list(result.tasks["lead_dept"]) == ["Phòng Can thiệp"] * 3 + ["Phòng Tư vấn"]


def test_horizontally_merged_section_rows_are_skipped_not_spread():
    table = task_table(task(task_id="NV-1"))
    table.insert(1, ["I. CÔNG TÁC TƯ VẤN"])
    data = xlsx({"Nhiệm vụ": table}, merge={"Nhiệm vụ": ["A2:M2"]})
    result = read(data)
    assert result.ok, result.report()
    assert result.skipped_rows == [2] and list(result.tasks["source_row"]) == [3]


def test_a_dated_task_with_a_wide_merged_note_is_still_a_task():
    table = task_table(task(task_id="NV-1", note="ghi chú dài"))
    data = xlsx({"Nhiệm vụ": table}, merge={"Nhiệm vụ": ["M2:O2"]})
    result = read(data)
    assert result.ok and list(result.tasks["task_id"]) == ["NV-1"]


def test_two_row_header_with_merged_group_headers():
    """ "Chủ trì" and "Phối hợp" merged over "Phòng" / "Người"; single headers merged down."""
    top = ["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Chủ trì", "", "Phối hợp", "",
           "Ngày giao", "Hạn hoàn thành", "Ngày hoàn thành", "Trạng thái"]
    sub = ["", "", "", "Phòng", "Người", "Phòng", "Người", "", "", "", ""]
    data_row = [1, "NV-1", "Tư vấn", "Phòng Tư vấn", "Nguyễn Thị Lan", "Phòng Can thiệp",
                "Trần Văn Minh", "01/10/2026", "15/10/2026", "", "Đang thực hiện"]
    merges = ["D3:E3", "F3:G3"] + [f"{c}3:{c}4" for c in "ABCHIJK"]
    data = xlsx({"Nhiệm vụ": [["BẢNG THEO DÕI"], [], top, sub, data_row]},
                merge={"Nhiệm vụ": merges})
    result = read(data)
    assert result.ok, result.report()
    assert result.header_row == 3 and result.skipped_rows == []
    row = result.tasks.iloc[0]
    assert (row["lead_dept"], row["lead_person"]) == ("Phòng Tư vấn", "Nguyễn Thị Lan")
    assert (row["coord_depts"], row["coord_people"]) == (("Phòng Can thiệp",), ("Trần Văn Minh",))
    assert row["source_row"] == 5


def test_a_text_only_first_task_row_is_not_taken_for_sub_headers():
    rows = [["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Ngày giao", "Đơn vị"],
            ["1", "NV-1", "Hạn", "Phòng A", "", "Phòng"],
            ["2", "NV-2", "x", "Phòng A", "02/10/2026", ""]]
    result = read(csv_bytes(rows), "log.csv")
    assert result.header_row == 1
    assert list(result.tasks["task_id"]) == ["NV-1", "NV-2"]


def test_a_header_without_task_rows_is_a_warning():
    result = read(task_xlsx())
    assert result.ok and result.rows == 0 and result.tasks.empty
    assert [p.message for p in result.warnings] == [messages.NO_TASK_ROWS.format(header_row=1)]


# --- a realistic department workbook, in every format ------------------------------------

MESSY_HEADER = ["STT", "MÃ NV", "Nội dung công việc", "Lĩnh vực", "Đơn vị chủ trì",
                "Cán bộ thụ lý", "Đơn vị phối hợp", "Cá nhân phối hợp", "Ngày giao việc",
                "Thời hạn", "Ngày xong", "Tình trạng", "Ghi chú"]
MESSY_ROWS = [
    [1, "007", "Tư vấn  tâm lý", "tu van - tham van", "Phòng Tư vấn", "Nguyễn Thị Lan",
     "Phòng Can thiệp;\nPhòng Hành chính", "Hà, Minh, Hà", "01/10/2026", "15-10-2026",
     "14.10.2026", "ĐÃ HOÀN THÀNH", ""],
    [2, 8, "Can thiệp khẩn cấp", "Can thiệp khẩn cấp", "Phòng Tư vấn", "Trần Văn Minh", "", "",
     "2026-10-02", "5/10/26 17:00", "", "Đang thực hiện", "gia hạn"],
    [None, None, None, None, None, None, None, None, None, None, None, None, None],
    [3, "NV-09", "Dự án hỗ trợ", "", "Phòng Tư vấn", "", "", "", "03/10/2026", "", "", "Hủy", ""],
]


def _messy_table():
    above = [["TRUNG TÂM CÔNG TÁC XÃ HỘI"], ["BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026"], []]
    below = [[], [None, "Đà Nẵng, ngày 31 tháng 10 năm 2026"],
             [None, "Người lập biểu", None, None, None, "TRƯỞNG PHÒNG"], [],
             [None, "Lê Thị Hà", None, None, None, "Phạm Văn Nam"]]
    return [*above, MESSY_HEADER, *MESSY_ROWS, *below]


def _check_messy(result):
    assert result.ok, result.report()
    assert result.header_row == 4
    assert result.ignored_columns == ["STT"]
    assert result.skipped_rows == [7, 9, 10, 11, 12, 13]
    tasks = result.tasks
    assert list(tasks["task_id"]) == ["007", "8", "NV-09"]
    assert list(tasks["source_row"]) == [5, 6, 8]
    assert list(tasks["title"])[:2] == ["Tư vấn tâm lý", "Can thiệp khẩn cấp"]
    assert list(tasks["service"]) == ["Tư vấn - Tham vấn", "Can thiệp khẩn cấp", "Khác"]
    assert tasks["coord_depts"].iloc[0] == ("Phòng Can thiệp", "Phòng Hành chính")
    assert tasks["coord_people"].iloc[0] == ("Hà", "Minh")
    assert list(tasks["assigned_date"]) == [pd.Timestamp(f"2026-10-0{d}") for d in (1, 2, 3)]
    assert list(tasks["due_date"])[:2] == [pd.Timestamp("2026-10-15"), pd.Timestamp("2026-10-05")]
    assert tasks["done_date"].iloc[0] == pd.Timestamp("2026-10-14")
    assert list(tasks["status"]) == ["done", "open", "cancelled"]
    assert [(p.row, p.field) for p in result.warnings] == [(8, "lead_person"), (8, "due_date")]


def test_messy_department_workbook_xlsx():
    data = xlsx({"Hướng dẫn": [["Cách nhập"], MESSY_HEADER],
                 "Tháng 10": _messy_table(),
                 "Cũ": [MESSY_HEADER, *MESSY_ROWS]},
                hidden=("Cũ",), merge={"Tháng 10": ["A1:M1", "A2:M2"]})
    result = read(data)
    assert result.sheet == "Tháng 10"
    _check_messy(result)


def test_messy_department_workbook_xls():
    _check_messy(read(xls(_messy_table()), "thang10.xls"))


def test_messy_department_workbook_csv_semicolon_bom():
    _check_messy(read(csv_bytes(_messy_table(), delimiter=";", bom=True), "thang10.csv"))


def test_messy_department_workbook_ods():
    _check_messy(read(ods(_messy_table()), "thang10.ods"))


# --- property: whatever the typing style, the same tasks come back ----------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

DAY_FORMATS = ["%d/%m/%Y", "%-d/%-m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y",
               "%d/%m/%Y %H:%M", "%d/%m/%Y %I:%M:%S %p"]
NAMES = ["Phòng Tư vấn", "Phòng Can thiệp", "Nguyễn Thị Lan", "Trần Văn Minh", "Lê Hà"]


@st.composite
def typed_task(draw, index: int):
    assigned = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    due = assigned + dt.timedelta(days=draw(st.integers(0, 60)))
    done = draw(st.one_of(st.none(), st.just(assigned + dt.timedelta(days=draw(st.integers(0, 60))))))
    def styled(day):
        style = draw(st.sampled_from(["cell", "serial", "text"]))
        if style == "cell":
            return dt.datetime.combine(day, dt.time(draw(st.integers(0, 23)), 30))
        if style == "serial":
            return float((day - dt.date(1899, 12, 30)).days)
        return day.strftime(draw(st.sampled_from(DAY_FORMATS)))
    coords = draw(st.lists(st.sampled_from(NAMES[:2]), max_size=3))
    separator = draw(st.sampled_from(["; ", ",", "\n", " ; "]))
    task_id = draw(st.sampled_from([f"NV-{index:03d}", f"{index:03d}", index + 1]))
    return {
        "task_id": task_id, "title": f"  Nhiệm  vụ {index} ", "service": "",
        "lead_dept": draw(st.sampled_from(NAMES[:2])), "lead_person": draw(st.sampled_from(NAMES[2:])),
        "coord_depts": separator.join(coords), "coord_people": "",
        "assigned_date": styled(assigned), "due_date": styled(due), "original_due_date": "",
        "done_date": styled(done) if done else "", "status": "Hoàn thành" if done else "",
        "note": "",
    }, (str(task_id), assigned, due, done, tuple(dict.fromkeys(coords)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), count=st.integers(1, 6), as_csv=st.booleans())
def test_any_typing_style_reads_back_the_same_tasks(data, count, as_csv):
    drawn = [data.draw(typed_task(i)) for i in range(count)]
    rows = [row for row, _ in drawn]
    if as_csv:  # a CSV has text only: dates as the user would see them
        for row in rows:
            for name in ("assigned_date", "due_date", "done_date"):
                if isinstance(row[name], (dt.datetime, float)):
                    day = (row[name].date() if isinstance(row[name], dt.datetime)
                           else dt.date(1899, 12, 30) + dt.timedelta(days=row[name]))
                    row[name] = day.strftime("%d/%m/%Y")
        content = csv_bytes(task_table(*rows))
    else:
        content = xlsx({"Nhiệm vụ": task_table(*rows)})
    result = read_task_log(content, "x", today=dt.date(2031, 1, 1))
    tasks = result.tasks
    assert not result.month_first
    assert not result.errors, result.report()
    for i, (_, (task_id, assigned, due, done, coords)) in enumerate(drawn):
        row = tasks.iloc[i]
        assert row["task_id"] == task_id
        assert row["title"] == f"Nhiệm vụ {i}"
        assert row["assigned_date"] == pd.Timestamp(assigned)
        assert row["due_date"] == pd.Timestamp(due)
        assert (pd.isna(row["done_date"]) if done is None else row["done_date"] == pd.Timestamp(done))
        assert row["status"] == ("done" if done else "open")
        assert row["coord_depts"] == coords
        assert row["source_row"] == i + 2


def test_csv_with_excel_sep_hint_line_keeps_excel_row_numbers():
    data = b"sep=;\r\n" + csv_bytes(task_table(task(task_id="NV-1"), task(task_id="NV-2")),
                                    delimiter=";")
    result = read(data, "log.csv")
    assert result.ok, result.report()
    assert result.header_row == 1 and list(result.tasks["source_row"]) == [2, 3]


def test_utf16_tab_delimited_unicode_text_export():
    text = csv_bytes(task_table(task(task_id="NV-1")), delimiter="\t").decode("utf-8")
    result = read(text.encode("utf-16"), "log.txt")
    assert result.ok, result.report()
    assert result.tasks["lead_dept"].iloc[0] == "Phòng Tư vấn"


def test_mapping_may_name_the_field_by_its_vietnamese_header():
    rows = [["Số hồ sơ", "Việc", "Đơn vị", "Ngày nhận"], ["HS-1", "x", "Phòng A", "01/10/2026"]]
    mapping = {"Số hồ sơ": "Mã nhiệm vụ", "Việc": "nội dung nhiệm vụ", "Đơn vị": "lead_dept",
               "Ngày nhận": "Ngày giao"}
    result = read(xlsx({"S": rows}), mapping=mapping)
    assert result.ok, result.report()
    assert result.column_map == {"Số hồ sơ": "task_id", "Việc": "title", "Đơn vị": "lead_dept",
                                 "Ngày nhận": "assigned_date"}


@pytest.mark.parametrize("numbering", [
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)", "(13)"],
    list(range(1, 14)),
])
def test_column_numbering_row_under_the_header_is_skipped(numbering):
    table = task_table(task(task_id="NV-1"))
    table.insert(1, numbering)
    result = read(xlsx({"S": table}))
    assert result.ok, result.report()
    assert result.skipped_rows == [2] and list(result.tasks["source_row"]) == [3]


def test_bilingual_headers():
    headers = {"task_id": "Mã nhiệm vụ / Task ID", "due_date": "Hạn hoàn thành\nDeadline",
               "lead_dept": "Phòng chủ trì | Department"}
    result = read(task_xlsx(task(), headers=headers))
    assert result.ok, result.report()
    assert set(result.column_map.values()) == set(HEADERS)


def test_coordination_sheet_without_header_is_a_warning():
    data = xlsx({"Nhiệm vụ": task_table(task()), "Phối hợp": [["ghi chú"], ["không có bảng"]]})
    result = read(data)
    assert result.ok and result.contributions is None
    assert [p.message for p in result.warnings] == [
        "Trang “Phối hợp”: " + messages.CONTRIBUTION_NO_HEADER]


def test_mapping_by_header_name_to_a_missing_column_is_a_warning_not_a_crash():
    result = read(task_xlsx(task()), mapping={"Cán bộ duyệt": "Người chủ trì"})
    assert result.ok and not result.unreadable
    assert [(p.field, p.value) for p in result.warnings] == [("lead_person", "Cán bộ duyệt")]


FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))  # raise it to fuzz longer
CELL_VALUES = st.one_of(
    st.none(), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-10**6, 10**12), st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2200, 1, 1)),
    st.sampled_from(["#N/A", "#REF!", "-", "31/02/2026", "2026-13-01", "Hoàn thành", "(1)",
                     "Người lập biểu", "Phối hợp", "  ", "\n", "Tư vấn - Tham vấn", "007"]),
)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(st.lists(CELL_VALUES, min_size=13, max_size=13), min_size=1, max_size=6),
       as_csv=st.booleans())
def test_any_cell_values_never_break_the_reader(cells, as_csv):
    """Whatever the cells hold, the reader reports problems; it never fails inside."""
    table = [list(HEADERS.values()), *cells]
    if as_csv:
        data = csv_bytes([["" if v is None else str(v) for v in row] for row in table])
    else:
        data = xlsx({"Nhiệm vụ": table})
    result = read(data, "fuzz.csv" if as_csv else "fuzz.xlsx")
    assert messages.UNEXPECTED not in [p.message for p in result.problems]
    if not result.unreadable:
        assert list(result.tasks.columns) == list(TASK_COLUMNS)
        assert result.rows + len(result.skipped_rows) <= len(cells)


def test_two_columns_mapped_to_one_field_are_a_duplicate_and_both_are_found():
    """SPEC §2.3 duplicated header columns: one error naming both; neither column is
    then said to be missing from the file."""
    rows = [["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Ngày giao", "Cột 1", "Cột 2"],
            ["NV-1", "x", "Phòng A", "01/10/2026", "A", "B"]]
    result = read(xlsx({"S": rows}), mapping={"Cột 1": "note", "Cột 2": "note"})
    assert [(p.field, p.severity) for p in result.problems if p.row is None and p.field == "note"] == [
        ("note", "error")]
    assert not any(p.message.startswith("Không thấy cột") for p in result.problems)


def test_mapping_a_header_with_a_bracketed_note_is_found():
    rows = [["Số hồ sơ (ghi rõ)", "Nội dung nhiệm vụ", "Phòng chủ trì", "Ngày giao"],
            ["HS-1", "x", "Phòng A", "01/10/2026"]]
    result = read(xlsx({"S": rows}), mapping={"Số hồ sơ": "task_id"})
    assert result.tasks["task_id"].tolist() == ["HS-1"]
    assert not any(p.message.startswith("Không thấy cột") for p in result.problems)


def test_coordination_sheet_messages_go_on_in_lower_case_after_the_sheet_name():
    contributions = [["Mã nhiệm vụ", "Phòng phối hợp", "Hạn phối hợp"],
                     ["NV-1", "Phòng Can thiệp", "ngày mai"]]
    result = read(xlsx({"Nhiệm vụ": task_table(task(task_id="NV-1")), "Phối hợp": contributions}))
    [problem] = [p for p in result.problems if p.row is not None]
    assert problem.message == "Trang “Phối hợp”: không đọc được ngày “ngày mai” ở cột “Hạn phối hợp”. " \
        "Hãy nhập ngày dạng ngày/tháng/năm, ví dụ 05/11/2026."


@pytest.mark.parametrize("label", ["Tổng cộng: 12 nhiệm vụ", "Cộng", "TỔNG CỘNG", "Tổng số nhiệm vụ: 2"])
def test_undated_totals_line_in_the_id_column_is_skipped_and_listed(label):
    """SPEC §2.1 non-data rows: a totals line is like a signature line (no date)."""
    table = task_table(task(task_id="NV-1"), task(task_id="NV-2"))
    table.append([label] + [""] * (len(table[0]) - 1))
    result = read(xlsx({"S": table}))
    assert result.ok, result.report()
    assert result.rows == 2 and result.skipped_rows == [4]


def test_an_id_that_starts_like_a_total_or_a_dated_total_is_still_a_task():
    table = task_table(task(task_id="Cộng đồng-01"), task(task_id="Cộng"))
    result = read(xlsx({"S": table}))
    assert result.tasks["task_id"].tolist() == ["Cộng đồng-01", "Cộng"]
    assert result.skipped_rows == []


@pytest.mark.parametrize("header, field", [
    ("Hạn hoàn thành (dd/mm/yyyy)", "due_date"), ("Ngày giao (ngày/tháng/năm)", "assigned_date"),
    ("Ngày giao [*]", "assigned_date"), ("Mã nhiệm vụ (1)", "task_id"),
    ("Thời hạn (ngày)", None), ("Hạn hoàn thành (số ngày)", None),
])
def test_a_bracket_is_dropped_only_when_it_is_a_format_hint(header, field):
    """SPEC §2.1 header matching: "Thời hạn (ngày)" is a number of days, not the due date."""
    from analysis.fields import TASK_ALIASES
    from analysis.reading import HeaderMatcher

    hit = HeaderMatcher(TASK_ALIASES).match(header)
    assert (hit[0] if hit else None) == field


def test_a_days_column_is_ignored_not_read_as_the_due_date():
    rows = task_table(task(task_id="NV-1"))
    rows[0].append("Thời hạn (ngày)")
    rows[1].append(8)
    result = read(xlsx({"S": rows}))
    assert result.ok, result.report()
    assert "Thời hạn (ngày)" in result.ignored_columns
    assert result.tasks["due_date"].iloc[0] == pd.Timestamp("2026-10-15")
    assert not any(p.field == "due_date" for p in result.problems)  # not a duplicate column
