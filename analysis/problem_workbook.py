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

The upload page calls `marked_workbook`: openpyxl then loads the upload in the
sandbox's limited child (a merged range over a whole sheet alone would make openpyxl
create billions of cells), and a child that fails gives a workbook listing the
problems instead (`problem_list_workbook`), so the user still gets them.

Formats: an `.xlsx` is loaded with openpyxl (defusedxml is installed, so XML
entities are refused) and saved back with its values, formulas and other
sheets untouched. `.xls`, `.ods` and `.csv` cannot be written back in their own
format, so an `.xlsx` is rebuilt from the visible sheets' cell values, read with the
reader's own `raw_sheets` (same rows and columns, same CSV separator, so the row
numbers of the report still match), and marked the same way.

A `Problem` does not name its sheet: those of the optional "Phối hợp" sheet are
recognised by the sheet name their message starts with (`messages.CONTRIBUTION_PREFIX`)
and marked on that sheet, whose header row is found like the reader finds it; all
others are marked on the task sheet (`result.sheet`, header row `result.header_row`,
columns from `result.column_map`).
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.workbook.child import INVALID_TITLE_REGEX

from analysis import messages
from analysis.fields import CONTRIBUTION_ALIASES, TASK_ALIASES, match_key
from analysis.file_safety import XLSX, check_file
from analysis.model import ERROR, Problem, ReadResult, ReadSettings, Unreadable
from analysis.raw_sheets import Workbook as RawWorkbook

ERROR_FILL = PatternFill(fill_type="solid", fgColor="FFFF9999")  # red
WARNING_FILL = PatternFill(fill_type="solid", fgColor="FFFFEB9C")  # yellow
COMMENT_AUTHOR = "Kiểm tra dữ liệu"
SEVERITY_LABELS = {ERROR: "Lỗi", "warning": "Cảnh báo"}
HEADER_SEARCH_ROWS = 20  # SPEC §2.1
MIN_CONTRIBUTION_HEADER_FIELDS = 2

# Problems of the "Phối hợp" sheet carry its name in their message prefix.
_CONTRIBUTION_PREFIX = re.compile(
    "^" + re.escape(messages.CONTRIBUTION_PREFIX).replace(re.escape("{sheet}"), "(.+?)"))


def _contribution_sheet_of(problem: Problem) -> str | None:
    found = _CONTRIBUTION_PREFIX.match(problem.message or "")
    return found.group(1) if found else None


def _safe_title(name: str, used: set[str]) -> str:
    title = INVALID_TITLE_REGEX.sub(" ", name).strip()[:31] or "Trang"
    base, n = title, 2
    while title.lower() in used:
        title, n = f"{base[:27]} ({n})", n + 1
    used.add(title.lower())
    return title


def _rebuilt_workbook(data: bytes, checked, result: ReadResult) -> tuple[Workbook, dict[str, str]]:
    """An .xlsx holding the cell values of every visible sheet, cell for cell, read the
    way the reader read them (same grid, same CSV separator). Returns the workbook and
    original sheet name → new sheet title."""
    header_keys = frozenset(TASK_ALIASES) | {match_key(h) for h in result.column_map}
    raw = RawWorkbook(data, checked, csv_name=result.sheet or "Nhiệm vụ",
                      header_keys=header_keys, settings=ReadSettings(row_limit=None))
    workbook = Workbook()
    workbook.remove(workbook.active)
    titles: dict[str, str] = {}
    used: set[str] = set()
    for name in raw.sheets:
        sheet = workbook.create_sheet(_safe_title(name, used))
        titles[name] = sheet.title
        for r, row in enumerate(raw.rows(name), start=1):
            for c, value in enumerate(row, start=1):
                if value == "" or value is None:
                    continue
                cell = sheet.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # a rebuilt cell is never a formula
                elif hasattr(value, "year"):
                    cell.number_format = "dd/mm/yyyy"
    if not workbook.worksheets:
        workbook.create_sheet("Nhiệm vụ")
    return workbook, titles


def _task_columns(sheet, result: ReadResult) -> tuple[int | None, dict[str, int], int]:
    """(header row, field → column, first column) of the task sheet, from the reader's
    header row and `column_map` (header as typed → field)."""
    if not result.header_row:
        return None, {}, 1
    by_key = {match_key(str(header)): field for header, field in result.column_map.items()}
    return (result.header_row, *_columns_on(sheet, result.header_row, by_key))


def _contribution_columns(sheet) -> tuple[int | None, dict[str, int], int]:
    """The "Phối hợp" sheet's header row: the first of 20 rows naming 2+ of its fields."""
    for row_number in range(1, min(sheet.max_row, HEADER_SEARCH_ROWS) + 1):
        columns, first = _columns_on(sheet, row_number, CONTRIBUTION_ALIASES)
        if len(columns) >= MIN_CONTRIBUTION_HEADER_FIELDS:
            return row_number, columns, first
    return None, {}, 1


def _columns_on(sheet, row_number: int, by_key: dict[str, str]) -> tuple[dict[str, int], int]:
    columns: dict[str, int] = {}
    first = None
    for cell in sheet[row_number]:
        if cell.value is None or str(cell.value).strip() == "":
            continue
        first = cell.column if first is None else first
        field = by_key.get(match_key(str(cell.value)))
        if field is not None:
            columns.setdefault(field, cell.column)
    return columns, first or 1


def _target(problem: Problem, header_row: int | None, columns: dict[str, int],
            first_column: int) -> tuple[int, int]:
    column = columns.get(problem.field, first_column) if problem.field else first_column
    if problem.row is None:
        return (header_row or 1), column
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
    # The reader accepted these bytes; check them again only to learn the format.
    checked = check_file(data, ReadSettings(max_bytes=max(len(data), 1)))
    if checked.kind == XLSX:
        workbook = load_workbook(io.BytesIO(data))
        titles = {name: name for name in workbook.sheetnames}
    else:
        workbook, titles = _rebuilt_workbook(data, checked, result)
    task_title = titles.get(result.sheet or "")
    task_sheet = workbook[task_title] if task_title else workbook.worksheets[0]

    by_sheet: dict[str | None, list[Problem]] = defaultdict(list)
    for problem in result.problems:
        name = _contribution_sheet_of(problem)
        by_sheet[titles.get(name) if name else None].append(problem)
    for title, problems in by_sheet.items():
        if title is None:
            sheet, (header_row, columns, first) = task_sheet, _task_columns(task_sheet, result)
        else:
            sheet = workbook[title]
            header_row, columns, first = _contribution_columns(sheet)
        cells: dict[tuple[int, int], list[Problem]] = defaultdict(list)
        for problem in problems:
            cells[_target(problem, header_row, columns, first)].append(problem)
        _mark(sheet, cells)

    for other in workbook.worksheets:  # open on the task sheet, one tab selected
        other.sheet_view.tabSelected = other is task_sheet
    workbook.active = workbook.worksheets.index(task_sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def marked_workbook(data: bytes, result: ReadResult) -> bytes:
    """`highlight_problems` of an uploaded file, run in a limited child process; the
    list of problems as a workbook when that child fails."""
    from dataclasses import replace

    from analysis import sandbox

    slim = replace(result, tasks=None, contributions=None)  # the frames are not needed there
    try:
        return sandbox.run("analysis.problem_workbook:highlight_problems", data, slim)
    except (Unreadable, ValueError):  # the child failed (ChildFailed), or refused the file
        return problem_list_workbook(result)


PROBLEM_LIST_HEADERS = ("Dòng", "Cột", "Giá trị", "Mức độ", "Nội dung")


def problem_list_workbook(result: ReadResult) -> bytes:
    """One sheet listing the problems (row, field, value, severity, message), every
    cell written as text (never a formula)."""
    from analysis.fields import FIELD_BY_NAME

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kết quả kiểm tra"
    sheet.append(list(PROBLEM_LIST_HEADERS))
    for problem in result.problems:
        field = FIELD_BY_NAME[problem.field].header if problem.field in FIELD_BY_NAME else (
            problem.field or "")
        sheet.append(["Cả tệp" if problem.row is None else str(problem.row), field,
                      problem.value or "", SEVERITY_LABELS.get(problem.severity, problem.severity),
                      problem.message])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
