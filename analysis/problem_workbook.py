"""The uploaded workbook handed back with its problem cells marked (SPEC §2.3, §7.6).

A department head fixes a file fastest in the file itself: every cell a
validation problem points at is filled (red: error, yellow: warning) and carries
an Excel comment with the Vietnamese message.

Where a problem lands:
- a row problem with a field whose column is found → that cell;
- a row problem with no field, or a field whose column is absent → the row's
  first cell (the first column of the header row);
- a whole-file problem (`row` None) → the header cell of its field when found,
  else the first cell of the header row (row 1 when there is no header row).
Several problems on one cell share one comment; the fill is red if any is an error.

Formats: an `.xlsx` is loaded with openpyxl (defusedxml is installed, so XML
entities are refused) and saved back with its values, formulas and other
sheets untouched. `.xls`, `.ods` and `.csv` cannot be written back in their own
format, so an `.xlsx` is rebuilt from the sheet's cell values (same row and column
positions, so the row numbers of the report still match) and marked the same way.

Problems are located on the task sheet (`result.sheet`) only: a `Problem` does not
say which sheet it came from.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict

import python_calamine
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from analysis.fields import match_key
from analysis.model import ERROR, Problem, ReadResult

ERROR_FILL = PatternFill(fill_type="solid", fgColor="FFFF9999")  # red
WARNING_FILL = PatternFill(fill_type="solid", fgColor="FFFFEB9C")  # yellow
COMMENT_AUTHOR = "Kiểm tra dữ liệu"
SEVERITY_LABELS = {ERROR: "Lỗi", "warning": "Cảnh báo"}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _kind(data: bytes) -> str:
    """`xlsx`, `ods`, `xls` or `csv`, decided from the bytes (SPEC §2.1)."""
    if data.startswith(_OLE_MAGIC):
        return "xls"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
                    return "ods"
        except zipfile.BadZipFile:
            pass
        return "xlsx"
    return "csv"


def _csv_rows(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    head = "\n".join(text.splitlines()[:20])  # title rows above the header have no separator
    delimiter = ";" if head.count(";") > head.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _rebuilt_workbook(data: bytes, kind: str, sheet_name: str | None) -> Workbook:
    """An .xlsx holding the values of the task sheet, cell for cell."""
    if kind == "csv":
        rows, title = _csv_rows(data), sheet_name or "Nhiệm vụ"
    else:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = sheet_name if sheet_name in book.sheet_names else book.sheet_names[0]
        rows, title = book.get_sheet_by_name(name).to_python(skip_empty_area=False), name
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Nhiệm vụ"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value == "" or value is None:
                continue
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # a rebuilt cell is never a formula
            elif hasattr(value, "year"):
                cell.number_format = "dd/mm/yyyy"
    return workbook


def _field_columns(sheet, result: ReadResult) -> tuple[dict[str, int], int]:
    """Field → column number on the header row, and the header row's first column."""
    if not result.header_row:
        return {}, 1
    by_key = {match_key(str(header)): field for header, field in result.column_map.items()}
    columns: dict[str, int] = {}
    first = None
    for cell in sheet[result.header_row]:
        if cell.value is None or str(cell.value).strip() == "":
            continue
        first = cell.column if first is None else first
        field = by_key.get(match_key(str(cell.value)))
        if field is not None:
            columns.setdefault(field, cell.column)
    return columns, first or 1


def _target(problem: Problem, result: ReadResult, columns: dict[str, int],
            first_column: int) -> tuple[int, int]:
    column = columns.get(problem.field, first_column) if problem.field else first_column
    if problem.row is None:
        return (result.header_row or 1), column
    return problem.row, column


def _anchor(sheet, row: int, column: int):
    """The cell that can carry a fill and a comment (top-left of a merged range)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if cell.coordinate in merged:
                return sheet.cell(row=merged.min_row, column=merged.min_col)
    return cell


def _mark(sheet, problems_by_cell: dict[tuple[int, int], list[Problem]]) -> None:
    for (row, column), problems in problems_by_cell.items():
        cell = _anchor(sheet, row, column)
        has_error = any(p.severity == ERROR for p in problems)
        cell.fill = ERROR_FILL if has_error else WARNING_FILL
        text = "\n".join(f"{SEVERITY_LABELS.get(p.severity, p.severity)}: {p.message}"
                         for p in problems)
        comment = Comment(text, COMMENT_AUTHOR)
        comment.width, comment.height = 320, min(60 + 40 * len(problems), 400)
        cell.comment = comment


def highlight_problems(data: bytes, result: ReadResult) -> bytes:
    """The uploaded file as .xlsx with every problem cell filled and commented.

    Raises ValueError for a file that could not be read at all
    (`result.unreadable`): there is nothing to mark in it.
    """
    if result.unreadable:
        raise ValueError("an unreadable file has no cells to mark")
    kind = _kind(data)
    if kind == "xlsx":
        workbook = load_workbook(io.BytesIO(data))
        sheet = workbook[result.sheet] if result.sheet in workbook.sheetnames else workbook.active
    else:
        workbook = _rebuilt_workbook(data, kind, result.sheet)
        sheet = workbook.active

    columns, first_column = _field_columns(sheet, result)
    problems_by_cell: dict[tuple[int, int], list[Problem]] = defaultdict(list)
    for problem in result.problems:
        problems_by_cell[_target(problem, result, columns, first_column)].append(problem)
    _mark(sheet, problems_by_cell)
    for other in workbook.worksheets:  # open on the marked sheet, one tab selected
        other.sheet_view.tabSelected = other is sheet
    workbook.active = workbook.worksheets.index(sheet)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
