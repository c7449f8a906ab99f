"""The catalogue and settings as one Excel workbook (SPEC §6): exported by page Quản trị,
edited in Excel, imported back.

Sheets (headers in the first row; the reader also finds them lower, and accepts the
usual variants of each header, matched like task-log headers):
    "Phòng ban"  Tên phòng | Mã viết tắt
    "Cán bộ"     Họ và tên | Phòng | Chức vụ
    "Thiết lập"  Mã thiết lập | Nội dung | Giá trị   (Nội dung is for people; ignored)
A sheet that is absent leaves that part of the catalogue as it is; a sheet present
replaces it. Names are written as text cells (never formulas, SPEC §4.6) and read back
exactly, so an export imported again changes nothing.

Reading untrusted bytes: `read_catalogue_workbook(data, ...)` is a pure function from
bytes to a picklable `CatalogueRead`; it runs the same whole-file checks as an upload
(`file_safety.check_file`, then `raw_sheets.Workbook`). Callers go through
`read_uploaded_catalogue`, the ONE door for an uploaded file, which sends it to the
limited child process of the upload reader (analysis.sandbox).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from analysis.fields import clean_text, match_key
from analysis.model import ERROR, WARNING, Problem, ReadSettings
from analysis.settings import SETTING_BY_KEY, SETTINGS, check_settings

DEPARTMENTS_SHEET, ROSTER_SHEET, SETTINGS_SHEET = "Phòng ban", "Cán bộ", "Thiết lập"
HEADER_SEARCH_ROWS = 20

# field -> (header written, accepted header variants)
DEPARTMENT_COLUMNS = {
    "name": ("Tên phòng", ("Tên phòng", "Tên phòng ban", "Phòng ban", "Phòng", "Tên đơn vị",
                           "Đơn vị", "Department")),
    "short_code": ("Mã viết tắt", ("Mã viết tắt", "Viết tắt", "Mã phòng", "Mã", "Ký hiệu",
                                   "Short code", "Code")),
}
ROSTER_COLUMNS = {
    "name": ("Họ và tên", ("Họ và tên", "Họ tên", "Tên cán bộ", "Cán bộ", "Tên", "Name")),
    "department": ("Phòng", ("Phòng", "Phòng ban", "Đơn vị", "Tên phòng", "Department")),
    "position": ("Chức vụ", ("Chức vụ", "Chức danh", "Vị trí", "Position", "Title")),
}
SETTINGS_COLUMNS = {
    "key": ("Mã thiết lập", ("Mã thiết lập", "Mã", "Key")),
    "label": ("Nội dung", ("Nội dung", "Thiết lập", "Mô tả")),
    "value": ("Giá trị", ("Giá trị", "Value")),
}
FIELD_LABELS = {"department": "Tên phòng", "short_code": "Mã viết tắt", "person": "Họ và tên",
                "person_department": "Phòng (cán bộ)", "position": "Chức vụ",
                "setting": "Thiết lập", "file": "Cả tệp"}

# Messages (Vietnamese).
NOT_A_WORKBOOK = ("Tệp danh mục phải là bảng tính Excel (.xlsx, .xls hoặc .ods) có trang "
                  "“Phòng ban”, “Cán bộ” hoặc “Thiết lập”.")
NO_SHEET = ("Không thấy trang “Phòng ban”, “Cán bộ” hay “Thiết lập” nào có dòng tiêu đề "
            "(ví dụ “Tên phòng”, “Họ và tên”, “Mã thiết lập”). Hãy dùng tệp xuất từ trang Quản trị.")
MISSING_HEADER = "Trang “{sheet}” thiếu cột “{header}”."
EMPTY_DEPARTMENT = "Thiếu tên phòng (mã viết tắt “{code}” không có tên phòng đi kèm)."
DUPLICATE_DEPARTMENT = "Tên phòng “{name}” bị trùng với dòng {first}."
DUPLICATE_CODE = "Mã viết tắt “{code}” bị trùng với dòng {first}."
EMPTY_PERSON = "Thiếu họ và tên cán bộ."
DUPLICATE_PERSON = "Cán bộ “{name}” ({department}) bị trùng với dòng {first}."
TOO_LONG = "Nội dung dài quá {limit} ký tự."
UNKNOWN_SETTING = "Mã thiết lập “{key}” không có: dòng này được bỏ qua."
NO_DEPARTMENT_LIST = "Danh mục phòng ban trống: mọi tên phòng trong nhật ký đều được chấp nhận."
MAX_NAME = 200


@dataclass
class CatalogueRead:
    """What an uploaded catalogue workbook holds. None: that sheet is absent (keep)."""

    departments: list[tuple[str, str | None]] | None = None  # (name, short code)
    roster: list[tuple[str, str | None, str | None]] | None = None  # (name, dept, position)
    settings: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors and not (
            self.departments is None and self.roster is None and self.settings is None)


# --- writing ------------------------------------------------------------------------------

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def build_catalogue_workbook(departments: Iterable[Mapping[str, Any]],
                             roster: Iterable[Mapping[str, Any]],
                             settings: Mapping[str, Any]) -> bytes:
    """The catalogue and settings as .xlsx bytes (the three sheets of the module doc)."""
    from analysis.template import set_text, workbook_bytes

    departments, roster = list(departments), list(roster)
    book = Workbook()
    sheets = {
        DEPARTMENTS_SHEET: (DEPARTMENT_COLUMNS, [(d.get("name"), d.get("short_code"))
                                                 for d in departments], (36, 16)),
        ROSTER_SHEET: (ROSTER_COLUMNS, [(p.get("name"), p.get("department"), p.get("position"))
                                        for p in roster], (30, 36, 26)),
        SETTINGS_SHEET: (SETTINGS_COLUMNS, [(s.key, s.label, s.shown(settings.get(s.key, s.default)))
                                            for s in SETTINGS], (30, 60, 30)),
    }
    book.remove(book.active)
    for title, (columns, rows, widths) in sheets.items():
        sheet = book.create_sheet(title)
        for col, (header, _aliases) in enumerate(columns.values(), start=1):
            cell = sheet.cell(row=1, column=col, value=header)
            cell.font, cell.fill = Font(bold=True), _HEADER_FILL
            sheet.column_dimensions[get_column_letter(col)].width = widths[col - 1]
        for r, values in enumerate(rows, start=2):
            for col, value in enumerate(values, start=1):
                cell = sheet.cell(row=r, column=col)
                if isinstance(value, str):
                    set_text(cell, value)  # text, never a formula
                elif value is not None:
                    cell.value = value
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    if departments:  # the roster's department column offers the catalogue's names
        last = len(departments) + 1
        rule = DataValidation(type="list", allow_blank=True, errorStyle="warning",
                              formula1=f"{quote_sheetname(DEPARTMENTS_SHEET)}!$A$2:$A${last}",
                              error="Tên phòng không có trong trang “Phòng ban”.")
        rule.add("B2:B2000")
        book[ROSTER_SHEET].add_data_validation(rule)
    return workbook_bytes(book)


# --- reading --------------------------------------------------------------------------------

def read_uploaded_catalogue(data: bytes, current_departments: tuple[str, ...] = (),
                            limits: ReadSettings | None = None) -> CatalogueRead:
    """THE entry point for an uploaded catalogue file (untrusted bytes): read in the upload
    reader's limited child process (analysis.sandbox, SPEC §2.3); a child that aborts, is
    killed or runs out of a limit is a refused file (one problem with `row` None)."""
    from analysis import sandbox

    try:
        return sandbox.run("analysis.catalogue_workbook:read_catalogue_workbook", data,
                           tuple(current_departments), limits,
                           limits=sandbox.Limits.of(limits))
    except sandbox.ChildFailed as failed:
        return CatalogueRead(problems=[_file_problem(failed.message)])


def read_catalogue_workbook(data: bytes, current_departments: tuple[str, ...] = (),
                            limits: ReadSettings | None = None) -> CatalogueRead:
    """Pure: bytes → `CatalogueRead` (picklable). Never raises for a bad file: a refused
    file is one problem with `row` None. `current_departments`: what the roster's
    departments are checked against when the file has no "Phòng ban" sheet."""
    from analysis.file_safety import CSV, Unreadable, check_file
    from analysis.raw_sheets import Workbook as Sheets

    limits = limits or ReadSettings()
    try:
        checked = check_file(data, limits)
        if checked.kind == CSV:
            return CatalogueRead(problems=[_file_problem(NOT_A_WORKBOOK)])
        sheets = Sheets(data, checked, settings=limits)
        found = _find_sheets(sheets)
        missing = _missing_headers(sheets)
        if not found:
            return CatalogueRead(problems=missing or [_file_problem(NO_SHEET)])
        result = CatalogueRead(problems=missing)
        if DEPARTMENTS_SHEET in found:
            result.departments = _read_departments(*found[DEPARTMENTS_SHEET], result.problems)
        if ROSTER_SHEET in found:
            known = ([name for name, _ in result.departments] if result.departments is not None
                     else list(current_departments))
            result.roster = _read_roster(*found[ROSTER_SHEET], known, result.problems)
        if SETTINGS_SHEET in found:
            result.settings = _read_settings(*found[SETTINGS_SHEET], result.problems)
    except Unreadable as refused:
        return CatalogueRead(problems=[_file_problem(refused.message)])
    result.problems.sort(key=lambda p: (p.severity != ERROR, p.row or 0))
    return result


def _file_problem(message: str) -> Problem:
    return Problem(None, "file", None, ERROR, message)


_KINDS = {DEPARTMENTS_SHEET: DEPARTMENT_COLUMNS, ROSTER_SHEET: ROSTER_COLUMNS,
          SETTINGS_SHEET: SETTINGS_COLUMNS}
_REQUIRED = {DEPARTMENTS_SHEET: ("name",), ROSTER_SHEET: ("name",), SETTINGS_SHEET: ("key", "value")}
# Headers that tell the kind of a sheet whose name does not ("Sheet1"): only that kind has them.
_DISTINCTIVE = {DEPARTMENTS_SHEET: ("Tên phòng", "Tên phòng ban", "Tên đơn vị"),
                ROSTER_SHEET: ("Họ và tên", "Họ tên", "Tên cán bộ"),
                SETTINGS_SHEET: ("Mã thiết lập",)}


def _find_sheets(sheets) -> dict[str, tuple[str, list[list], int, dict[str, int]]]:
    """Kind → (sheet name, rows, header row index, field → column). A sheet is of a kind by
    its name, else by a header row that only that kind has (e.g. "Họ và tên")."""
    found: dict[str, tuple] = {}
    by_name = {match_key(kind): kind for kind in _KINDS}
    for name in sheets.sheets:
        kind = by_name.get(match_key(name))
        rows = sheets.rows(name)
        if kind is None:  # e.g. "Sheet1" holding a department list
            kind = next((k for k in _KINDS if k not in found and _header(rows, k, strict=True)),
                        None)
        if kind is None or kind in found:
            continue
        header = _header(rows, kind)
        if header is None:
            continue
        found[kind] = (name, rows, *header)
    return found


def _missing_headers(sheets) -> list[Problem]:
    """A sheet named like a part of the catalogue whose header row was not found."""
    problems = []
    by_name = {match_key(kind): kind for kind in _KINDS}
    for name in sheets.sheets:
        kind = by_name.get(match_key(name))
        if kind is not None and _header(sheets.rows(name), kind) is None:
            for f in _REQUIRED[kind]:
                problems.append(_file_problem(MISSING_HEADER.format(
                    sheet=name, header=_KINDS[kind][f][0])))
    return problems


def _header(rows: list[list], kind: str, strict: bool = False) -> tuple[int, dict[str, int]] | None:
    columns = _KINDS[kind]
    aliases = {match_key(a): f for f, (_, names) in columns.items() for a in names}
    distinctive = {match_key(a) for a in _DISTINCTIVE[kind]}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        matched: dict[str, int] = {}
        keys = [match_key(_text(cell) or "") for cell in row]
        for col, key in enumerate(keys):
            f = aliases.get(key)
            if f and f not in matched:
                matched[f] = col
        if all(f in matched for f in _REQUIRED[kind]) and (
                not strict or distinctive.intersection(keys)):
            return index, matched
    return None


def _text(value: Any) -> str | None:
    """A cell as text: numbers without a spurious ".0", trimmed; None when empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(str(value))
    return text or None


def _cells(rows: list[list], header: int, columns: dict[str, int]):
    """(Excel row number, {field: text}) for each non-empty row under the header."""
    for index in range(header + 1, len(rows)):
        row = rows[index]
        values = {f: _text(row[c]) if c < len(row) else None for f, c in columns.items()}
        if any(values.values()):
            yield index + 1, values


def _too_long(problems: list[Problem], row: int, field_name: str, value: str | None) -> bool:
    if value and len(value) > MAX_NAME:
        problems.append(Problem(row, field_name, value[:40] + "…", ERROR,
                                TOO_LONG.format(limit=MAX_NAME)))
        return True
    return False


def _read_departments(sheet: str, rows, header, columns, problems) -> list[tuple[str, str | None]]:
    result, first_name, first_code = [], {}, {}
    for row, values in _cells(rows, header, columns):
        name, code = values.get("name"), values.get("short_code")
        if not name:
            problems.append(Problem(row, "department", None, ERROR, EMPTY_DEPARTMENT.format(code=code)))
            continue
        if _too_long(problems, row, "department", name) or _too_long(problems, row, "short_code", code):
            continue
        if match_key(name) in first_name:
            problems.append(Problem(row, "department", name, ERROR, DUPLICATE_DEPARTMENT.format(
                name=name, first=first_name[match_key(name)])))
            continue
        if code and code.casefold() in first_code:
            problems.append(Problem(row, "short_code", code, ERROR, DUPLICATE_CODE.format(
                code=code, first=first_code[code.casefold()])))
            continue
        first_name[match_key(name)] = row
        if code:
            first_code[code.casefold()] = row
        result.append((name, code))
    if not result and not any(p.severity == ERROR for p in problems):
        problems.append(Problem(None, "department", None, WARNING, NO_DEPARTMENT_LIST))
    return result


def _read_roster(sheet: str, rows, header, columns, departments: list[str],
                 problems) -> list[tuple[str, str | None, str | None]]:
    from analysis.validation import unknown_department_messages

    known = {match_key(d): d for d in departments}
    unknown = unknown_department_messages(departments) if departments else None
    result, first = [], {}
    for row, values in _cells(rows, header, columns):
        name, department, position = values.get("name"), values.get("department"), values.get("position")
        if not name:
            problems.append(Problem(row, "person", None, ERROR, EMPTY_PERSON))
            continue
        if any(_too_long(problems, row, f, v) for f, v in
               (("person", name), ("person_department", department), ("position", position))):
            continue
        if department and known:
            if match_key(department) not in known:
                problems.append(Problem(row, "person_department", department, ERROR,
                                        unknown(department)))
                continue
            department = known[match_key(department)]  # the catalogue's spelling
        key = (match_key(name), match_key(department or ""))
        if key in first:
            problems.append(Problem(row, "person", name, ERROR, DUPLICATE_PERSON.format(
                name=name, department=department or "không ghi phòng", first=first[key])))
            continue
        first[key] = row
        result.append((name, department, position))
    return result


def _read_settings(sheet: str, rows, header, columns, problems) -> dict[str, Any]:
    values: dict[str, Any] = {}
    by_label = {match_key(s.label): s for s in SETTINGS}
    for row, cells in _cells(rows, header, columns):
        key = cells.get("key") or ""
        setting = SETTING_BY_KEY.get(key.strip()) or by_label.get(match_key(key))
        if setting is None:
            problems.append(Problem(row, "setting", key, WARNING, UNKNOWN_SETTING.format(key=key)))
            continue
        raw = rows[row - 1][columns["value"]] if columns["value"] < len(rows[row - 1]) else None
        try:
            values[setting.key] = setting.parse(raw if setting.kind != "text" else cells.get("value"))
        except ValueError as bad:
            problems.append(Problem(row, "setting", _text(raw), ERROR, str(bad)))
    for message in check_settings(values):
        problems.append(Problem(None, "setting", None, ERROR, message))
    return values


# --- tables typed on the page (same rules as the workbook) ---------------------------------

def check_departments(values: Iterable[tuple[Any, Any]]) -> tuple[list[tuple[str, str | None]],
                                                                  list[Problem]]:
    """(name, short code) rows as typed in a table → the department list and its problems
    (`row`: the 1-based position in the table)."""
    problems: list[Problem] = []
    rows = [list(v) for v in values]  # no header row: row numbers count from 1
    departments = _read_departments(DEPARTMENTS_SHEET, rows, -1, {"name": 0, "short_code": 1},
                                    problems)
    return departments, problems


def check_roster(values: Iterable[tuple[Any, Any, Any]], departments: list[str]
                 ) -> tuple[list[tuple[str, str | None, str | None]], list[Problem]]:
    """(name, department, position) rows as typed → the roster and its problems."""
    problems: list[Problem] = []
    rows = [list(v) for v in values]
    roster = _read_roster(ROSTER_SHEET, rows, -1, {"name": 0, "department": 1, "position": 2},
                          departments, problems)
    return roster, problems
