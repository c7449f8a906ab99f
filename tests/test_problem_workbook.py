"""The uploaded workbook handed back with problem cells marked (SPEC §2.3, §7.6)."""

import csv
import io

import openpyxl
import pytest

from analysis.model import ERROR, WARNING, Problem, ReadResult
from analysis.problem_workbook import ERROR_FILL, WARNING_FILL, highlight_problems

HEADERS = ["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Ngày giao", "Hạn hoàn thành"]
COLUMN_MAP = {"Mã nhiệm vụ": "task_id", "Nội dung nhiệm vụ": "title",
              "Phòng chủ trì": "lead_dept", "Ngày giao": "assigned_date",
              "Hạn hoàn thành": "due_date"}


def _log_workbook() -> bytes:
    """Title on row 1, header on row 3, three tasks on rows 4-6, a second sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Nhiệm vụ"
    sheet["A1"] = "BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026"
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(HEADERS)
    sheet.append([1, "NV-001", "Thăm hộ gia đình", "Phòng Tư vấn", "01/10/2026", "31/09/2026"])
    sheet.append([2, "NV-001", "", "Phòng Tư vấn", "02/10/2026", "20/10/2026"])
    sheet.append([3, "NV-003", "Hỗ trợ khẩn cấp", "", "03/10/2026", "=TODAY()"])
    workbook.create_sheet("Phối hợp")["A1"] = "Mã nhiệm vụ"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _result(problems, sheet="Nhiệm vụ") -> ReadResult:
    return ReadResult(file="log.xlsx", sheet=sheet, header_row=3, rows=3,
                      problems=problems, column_map=dict(COLUMN_MAP), ignored_columns=["STT"])


PROBLEMS = [
    Problem(4, "due_date", "31/09/2026", ERROR, "Hạn hoàn thành không đọc được."),
    Problem(5, "task_id", "NV-001", ERROR, "Mã nhiệm vụ NV-001 bị trùng (dòng 4)."),
    Problem(5, "title", "", WARNING, "Thiếu nội dung nhiệm vụ."),
    Problem(6, "lead_dept", "", ERROR, "Thiếu phòng chủ trì."),
    Problem(6, None, None, WARNING, "Dòng có vấn đề chung."),
    Problem(None, None, None, WARNING, "Tệp được đọc theo kiểu tháng trước ngày."),
]


def _marked(data: bytes, sheet="Nhiệm vụ"):
    return openpyxl.load_workbook(io.BytesIO(data))[sheet]


def _is(cell, fill) -> bool:
    return cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == fill.fgColor.rgb


def test_error_cells_are_red_and_commented():
    sheet = _marked(highlight_problems(_log_workbook(), _result(PROBLEMS)))
    assert _is(sheet["F4"], ERROR_FILL)
    assert "Hạn hoàn thành không đọc được." in sheet["F4"].comment.text
    assert _is(sheet["B5"], ERROR_FILL) and "bị trùng" in sheet["B5"].comment.text
    assert _is(sheet["D6"], ERROR_FILL) and "Thiếu phòng chủ trì." in sheet["D6"].comment.text


def test_warning_cells_are_yellow():
    sheet = _marked(highlight_problems(_log_workbook(), _result(PROBLEMS)))
    assert _is(sheet["C5"], WARNING_FILL)
    assert sheet["C5"].comment.text == "Cảnh báo: Thiếu nội dung nhiệm vụ."


def test_row_and_file_problems_land_on_the_first_cell():
    sheet = _marked(highlight_problems(_log_workbook(), _result(PROBLEMS)))
    assert _is(sheet["A6"], WARNING_FILL) and "Dòng có vấn đề chung." in sheet["A6"].comment.text
    assert _is(sheet["A3"], WARNING_FILL) and "tháng trước ngày" in sheet["A3"].comment.text


def test_clean_cells_and_values_are_untouched():
    sheet = _marked(highlight_problems(_log_workbook(), _result(PROBLEMS)))
    assert sheet["C4"].comment is None and sheet["C4"].fill.fill_type is None
    assert sheet["E4"].comment is None
    assert sheet["C4"].value == "Thăm hộ gia đình"
    assert sheet["F6"].value == "=TODAY()"  # formulas kept as typed
    assert sheet["A1"].value == "BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026"
    assert "Phối hợp" in sheet.parent.sheetnames


def test_several_problems_on_one_cell_share_one_comment_red_wins():
    problems = [Problem(4, "due_date", "x", WARNING, "Cảnh báo A."),
                Problem(4, "due_date", "x", ERROR, "Lỗi B.")]
    cell = _marked(highlight_problems(_log_workbook(), _result(problems)))["F4"]
    assert _is(cell, ERROR_FILL)
    assert cell.comment.text == "Cảnh báo: Cảnh báo A.\nLỗi: Lỗi B."


def test_mapped_column_is_found_by_its_typed_header():
    result = _result([Problem(4, "lead_person", "", WARNING, "Thiếu người chủ trì.")])
    result.column_map["STT"] = "lead_person"  # as if the user mapped the column
    sheet = _marked(highlight_problems(_log_workbook(), result))
    assert _is(sheet["A4"], WARNING_FILL)
    assert sheet["A4"].comment.text == "Cảnh báo: Thiếu người chủ trì."


def test_csv_is_rebuilt_as_xlsx_with_the_same_cells_marked():
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(["Báo cáo tháng 10"])
    writer.writerow([])
    writer.writerow(HEADERS)
    writer.writerow([1, "NV-001", "Thăm hộ", "Phòng Tư vấn", "01/10/2026", "31/09/2026"])
    data = ("\ufeff" + text.getvalue()).encode("utf-8")
    result = _result([PROBLEMS[0]], sheet=None)
    workbook = openpyxl.load_workbook(io.BytesIO(highlight_problems(data, result)))
    sheet = workbook.active
    assert sheet["B3"].value == "Mã nhiệm vụ"
    assert sheet["F4"].value == "31/09/2026"
    assert _is(sheet["F4"], ERROR_FILL) and "không đọc được" in sheet["F4"].comment.text


def test_ods_is_rebuilt_as_xlsx():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Tháng 10")
    for values in (HEADERS, ["1", "NV-001", "Thăm hộ", "Phòng Tư vấn", "01/10/2026", "31/09/2026"]):
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    result = ReadResult(file="log.ods", sheet="Tháng 10", header_row=1, rows=1,
                        problems=[Problem(2, "due_date", "31/09/2026", ERROR, "Sai ngày.")],
                        column_map=dict(COLUMN_MAP))
    sheet = openpyxl.load_workbook(io.BytesIO(highlight_problems(buffer.getvalue(), result)))["Tháng 10"]
    assert sheet["C2"].value == "Thăm hộ"
    assert _is(sheet["F2"], ERROR_FILL) and sheet["F2"].comment.text == "Lỗi: Sai ngày."


def test_unreadable_file_is_refused():
    with pytest.raises(ValueError):
        highlight_problems(b"not a workbook", ReadResult(file="x.xlsx", unreadable=True))


def test_with_the_real_reader_task_and_contribution_sheets():
    """End to end: `read_task_log` finds the problems, both sheets get marked (SPEC §2.2, §2.3)."""
    from analysis.reading import read_task_log

    workbook = openpyxl.Workbook()
    tasks = workbook.active
    tasks.title = "Nhiệm vụ"
    tasks.append(HEADERS)
    tasks.append([1, "NV-001", "Thăm hộ", "Phòng Tư vấn", "01/10/2026", "31/09/2026"])
    tasks.append([2, "NV-002", "Tư vấn", "", "02/10/2026", "20/10/2026"])
    coordination = workbook.create_sheet("Phối hợp")
    coordination.append(["Mã nhiệm vụ", "Phòng phối hợp", "Hạn phối hợp", "Ngày gửi kết quả"])
    coordination.append(["NV-001", "Phòng Can thiệp", "15/10/2026", "40/10/2026"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()

    result = read_task_log(data, "log.xlsx")
    marked = openpyxl.load_workbook(io.BytesIO(highlight_problems(data, result)))
    task_sheet, contribution_sheet = marked["Nhiệm vụ"], marked["Phối hợp"]
    assert _is(task_sheet["F2"], ERROR_FILL) and "31/09/2026" in task_sheet["F2"].comment.text
    assert _is(task_sheet["D3"], ERROR_FILL)  # empty lead department
    assert _is(contribution_sheet["D2"], ERROR_FILL)
    assert "40/10/2026" in contribution_sheet["D2"].comment.text
    assert task_sheet["D2"].comment is None  # row 2 of the task sheet is not touched by it
    assert marked.active.title == "Nhiệm vụ"


def test_xls_is_rebuilt_as_xlsx():
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Nhiệm vụ")
    for c, value in enumerate(HEADERS):
        sheet.write(0, c, value)
    for c, value in enumerate(["1", "NV-001", "Thăm hộ", "Phòng Tư vấn", "01/10/2026", "31/09/2026"]):
        sheet.write(1, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    result = ReadResult(file="log.xls", sheet="Nhiệm vụ", header_row=1, rows=1,
                        problems=[Problem(2, "due_date", "31/09/2026", ERROR, "Sai ngày.")],
                        column_map=dict(COLUMN_MAP))
    marked = openpyxl.load_workbook(io.BytesIO(highlight_problems(buffer.getvalue(), result)))
    cell = marked["Nhiệm vụ"]["F2"]
    assert cell.value == "31/09/2026" and _is(cell, ERROR_FILL) and cell.comment.text == "Lỗi: Sai ngày."
