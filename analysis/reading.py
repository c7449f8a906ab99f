"""Read one uploaded task-log file (SPEC §2): bytes → `ReadResult`.

    read_task_log(data, filename, mapping=None, settings=None, today=None,
                  checked=None, warnings=True, keep_cells=None) -> ReadResult

Steps: whole-file checks (`file_safety`), the visible sheets (`raw_sheets`), the
sheet and header row (here), typed columns (`parsing`), problems (`validation`).
The tasks frame of what could be read is returned even when there are errors
(`ok` is then False); it is None only when the whole file is refused.

This runs calamine in the calling process: untrusted bytes (uploads, `validate`) are
read through `analysis.sandbox.read_task_log`, which runs it in a limited child.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd

from analysis import messages, parsing, validation
from analysis.fields import (  # noqa: F401 (UnknownFieldError: raised here, imported from here)
    CONTRIBUTION_ALIASES,
    CONTRIBUTION_SHEET,
    DATE,
    FIELD_BY_NAME,
    INSTRUCTION_SHEET,
    TASK_ALIASES,
    TASK_FIELDS,
    UnknownFieldError,
    clean_text,
    is_example_id,
    match_key,
)
from analysis.file_safety import CheckedFile, Unreadable, check_file
from analysis.model import ERROR, WARNING, Problem, ReadResult, ReadSettings, empty_tasks
from analysis.raw_sheets import Workbook
from analysis.sheet_xml import CellMarks, cell_name

logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 20  # SPEC §2.1: the header is among the first 20 rows
MIN_HEADER_FIELDS = 3
MIN_CONTRIBUTION_HEADER_FIELDS = 2
FORMULA_CELLS_NAMED = 5  # how many cell names the formula message lists

_PARENTHESES = re.compile(r"[(\[][^)\]]*[)\]]")
# What a bracket may say and still be dropped for an automatic match (on its key): a
# format hint "(dd/mm/yyyy)", "(ngày/tháng/năm)", a mark "(*)", a number "(1)", "(bắt
# buộc)". Other words change the meaning: "Thời hạn (ngày)" is a number of days.
_FORMAT_HINT = re.compile(
    r"^(?:|\d{1,2}|bat buoc|required"
    r"|(?:d{1,2}|m{1,2}|y{2,4}|ngay|thang|nam|day|month|year)(?: (?:d{1,2}|m{1,2}|y{2,4}|ngay"
    r"|thang|nam|day|month|year)){1,2})$")
_HEADER_PARTS = re.compile(r"[/|\r\n]+")
# A column-numbering row under the header: (1) (2) (3) … or 1 2 3 …
_COLUMN_NUMBER = re.compile(r"^[(\[]?\d{1,2}[)\]]?$")
# The signature block under the table: "Người lập biểu", "TRƯỞNG PHÒNG", "KT. GIÁM ĐỐC",
# "(Ký, ghi rõ họ tên)", "Đà Nẵng, ngày … tháng … năm …" (matched on the cell's key).
_SIGNATURE = re.compile(
    r"^(?:(?:kt|tl|tm|q|pho)\s)*(?:nguoi lap(?: bieu)?|lap bieu|truong phong|giam doc|thu truong"
    r"|ky(?: va)? ghi ro|ky ten)\b|\bngay\b.*\bthang\b.*\bnam\b")
# A totals line under the table, in the task_id column: "Tổng cộng: 12 nhiệm vụ", "Cộng",
# "Tổng số nhiệm vụ: 12" (matched on the cell's key; not "Cộng đồng-01").
_TOTALS = re.compile(
    r"^(?:tong cong|tong so|tong|cong)(?: (?:so )?(?:\d+|nhiem vu|cong viec|viec)\b.*)?$")
SIGNATURE_CELL_MAX = 80  # a signature label is short; a long text is a task title
BANNER_MIN_COLUMNS = 3  # a cell merged across this many columns below the header is a heading


# --- header matching -------------------------------------------------------------------

@dataclass
class HeaderMatcher:
    """Header cell → field: the user's mapping first, then the aliases of SPEC §2.1."""

    aliases: dict[str, str]
    mapped: dict[str, str] = field(default_factory=dict)  # header key -> field
    mapping: dict[str, str] = field(default_factory=dict)  # header as given -> field name

    @classmethod
    def build(cls, aliases: dict[str, str], mapping: dict[str, str] | None,
              valid_fields: tuple[str, ...]) -> HeaderMatcher:
        mapped, resolved = {}, {}
        for header, name in (mapping or {}).items():
            # A field may also be named by its header or an alias ("Mã nhiệm vụ").
            name = name if name in valid_fields else aliases.get(match_key(name), name)
            if name not in valid_fields:
                raise UnknownFieldError(
                    f"unknown field {name!r} in the mapping of {header!r}; "
                    f"valid fields: {', '.join(valid_fields)}", header, name)
            mapped[match_key(header)] = name
            resolved[header] = name
        return cls(aliases, mapped, resolved)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self.aliases) | frozenset(self.mapped)

    def match(self, cell) -> tuple[str, bool] | None:
        """(field, from the mapping) or None."""
        if not isinstance(cell, str) or not cell.strip():
            return None
        key = match_key(cell)
        if key in self.mapped:
            return self.mapped[key], True
        if key in self.aliases:
            return self.aliases[key], False
        # "Hạn hoàn thành (dd/mm/yyyy)", "Ngày giao [*]": a note in brackets. A mapped
        # header may carry any note; an alias only a format hint.
        bare = match_key(_PARENTHESES.sub(" ", cell))
        if bare and bare != key:
            if bare in self.mapped:
                return self.mapped[bare], True
            if bare in self.aliases and all(
                    _FORMAT_HINT.match(match_key(note)) for note in _PARENTHESES.findall(cell)):
                return self.aliases[bare], False
        # "Mã nhiệm vụ / Task ID", "Hạn hoàn thành\nDeadline": parts that agree.
        parts = [match_key(p) for p in _HEADER_PARTS.split(cell) if match_key(p)]
        if len(parts) > 1:
            found = {self.aliases[p] for p in parts if p in self.aliases}
            if len(found) == 1:
                return found.pop(), False
        return None

    def count_fields(self, row: list) -> int:
        return len({m[0] for m in (self.match(cell) for cell in row) if m})


def find_header(rows: list[list], matcher: HeaderMatcher, minimum: int,
                merged: list | None = None) -> tuple[int, int, list, int] | None:
    """The first row among the first 20 that matches at least `minimum` fields:
    (row index, fields matched, header cells, rows the header spans: 1 or 2)."""
    for index in range(min(HEADER_SEARCH_ROWS, len(rows))):
        cells, height = header_cells(rows, index, matcher, merged or [])
        count = matcher.count_fields(cells)
        if count >= minimum:
            return index, count, cells, height
    return None


def header_cells(rows: list[list], index: int, matcher: HeaderMatcher,
                 merged: list) -> tuple[list, int]:
    """The header cells starting at row `index`: the row itself, or, when it reads
    better, the row joined with the one below it (a merged group header such as
    "Chủ trì" over "Phòng" / "Người" gives "Phòng Chủ trì" / "Người Chủ trì")."""
    single = rows[index]
    double = _two_row_header(rows, index, matcher, merged)
    # Joined only when better than either row alone (not a title row over the header).
    if double is not None and matcher.count_fields(double) > max(
            matcher.count_fields(single), matcher.count_fields(rows[index + 1])):
        return double, 2
    return single, 1


def _two_row_header(rows: list[list], index: int, matcher: HeaderMatcher, merged: list) -> list | None:
    if index + 1 >= len(rows):
        return None
    below = rows[index + 1]
    # The row below must look like sub-headers: text only, no date.
    if any(not isinstance(v, str) and v not in ("", None) for v in below) or any(
            isinstance(v, str) and parsing.looks_like_date(v) for v in below):
        return None
    top = list(rows[index])
    group_columns = set()
    for (first_row, first_col), (_, last_col) in merged:
        if first_row == index and last_col > first_col:  # a group header merged sideways
            for col in range(first_col + 1, min(last_col, len(top) - 1) + 1):
                top[col] = top[first_col]
            group_columns.update(range(first_col, last_col + 1))
    cells = []
    for col in range(max(len(top), len(below))):
        upper = top[col] if col < len(top) and isinstance(top[col], str) else ""
        lower = below[col].strip() if col < len(below) and isinstance(below[col], str) else ""
        choice = top[col] if col < len(top) else ""
        if lower and (col in group_columns or matcher.match(upper) is None):
            for candidate in (lower, f"{lower} {upper}", f"{upper} {lower}"):
                if matcher.match(candidate):
                    choice = candidate
                    break
        cells.append(choice)
    return cells


@dataclass
class ColumnPlan:
    """Which column of the header row feeds which field."""

    columns: dict[str, int]  # field -> column index
    headers: dict[str, str]  # field -> header as typed
    ignored: list[str]
    duplicates: dict[str, list[str]]  # field -> all headers that matched it
    mapped_fields: set[str]
    mapped_keys: set[str] = field(default_factory=set)  # keys of header cells the mapping matched


def plan_columns(header_row: list, matcher: HeaderMatcher) -> ColumnPlan:
    candidates: dict[str, list[tuple[int, bool]]] = {}
    ignored = []
    mapped_keys: set[str] = set()
    for col, cell in enumerate(header_row):
        hit = matcher.match(cell)
        if hit is None:
            text = clean_text(str(cell)) if cell not in ("", None) else ""
            if text:
                ignored.append(text)
            continue
        candidates.setdefault(hit[0], []).append((col, hit[1]))
        if hit[1]:
            mapped_keys.update((match_key(cell), match_key(_PARENTHESES.sub(" ", cell))))
    columns, headers, duplicates = {}, {}, {}
    for name, cols in candidates.items():
        mapped = [c for c, from_map in cols if from_map]
        # A mapping wins: the columns that only matched automatically are ignored.
        chosen = mapped if mapped else [c for c, _ in cols]
        if mapped:
            ignored.extend(clean_text(str(header_row[c])) for c, from_map in cols if not from_map)
        columns[name] = chosen[0]
        headers[name] = clean_text(str(header_row[chosen[0]]))
        if len(chosen) > 1:
            duplicates[name] = [clean_text(str(header_row[c])) for c in chosen]
    mapped_fields = {name for name, cols in candidates.items() if any(m for _, m in cols)}
    return ColumnPlan(columns, headers, ignored, duplicates, mapped_fields, mapped_keys)


# --- the public entry point --------------------------------------------------------

def read_task_log(data: bytes, filename: str, mapping: dict[str, str] | None = None,
                  settings: ReadSettings | None = None,
                  today: dt.date | None = None,
                  checked: CheckedFile | Unreadable | None = None,
                  warnings: bool = True, keep_cells: list | None = None,
                  sheets: dict | None = None) -> ReadResult:
    """Read, type and validate one task-log file (SPEC §2). Never raises for a bad
    file (whole-file refusals come back with `unreadable=True`); raises
    `UnknownFieldError` for a mapping to a field that does not exist.

    `checked`: the verdict of `check_file(data, settings)` when the caller already
    has it (the command line runs the checks in a child process while it imports
    pandas); an `Unreadable` is a refusal. None: the checks run here.

    `warnings=False`: for a caller that uses the tasks of a file without errors and
    never shows its warnings (the metrics command). The row warnings are then left out
    of `problems` when the file has no error; a file with errors gets the full list,
    as with warnings=True, so its report is the same.

    `keep_cells`: a list the workbook (with every cell read) is appended to, so the
    caller decides when the cells are freed. Freeing the ~1.3 million cell objects of
    a 100k-task file takes ~0.04 s; the command line never does it (os._exit).

    `sheets`: the visible sheets already laid out (`raw_sheets.load_sheets`), used once
    the checks passed (the metrics command lays a file out while it is checked)."""
    settings = settings or ReadSettings()
    today = today or dt.date.today()
    matcher = HeaderMatcher.build(TASK_ALIASES, mapping, tuple(FIELD_BY_NAME))
    result = ReadResult(file=filename)
    try:
        if isinstance(checked, Unreadable):
            raise checked
        if checked is None:
            checked = check_file(data, settings)
        book = Workbook(data, checked, csv_name=filename, header_keys=matcher.keys,
                        settings=settings, sheets=sheets)
        if keep_cells is not None:
            keep_cells.append(book)
        _read_book(result, book, matcher, settings, today, warnings)
        if not warnings and not result.ok:  # the report lists the warnings too
            result = ReadResult(file=filename)
            _read_book(result, book, matcher, settings, today, True)
    except Unreadable as refusal:
        return refused(filename, refusal.message)
    except (MemoryError, RecursionError, ValueError, TypeError, KeyError, IndexError,
            OverflowError, UnicodeError, AttributeError) as exc:
        # A file shaped in a way nobody foresaw must not crash the upload page or the
        # command line. Logged by kind only: messages may quote cell contents.
        logger.error("unexpected %s while reading a %d-byte file", type(exc).__name__, len(data))
        return refused(filename, messages.UNEXPECTED)
    return result


def refused(filename: str, message: str) -> ReadResult:
    """The result of a file refused as a whole (one error, row None: CLI exit 2)."""
    return ReadResult(file=filename, unreadable=True,
                      problems=[Problem(None, None, None, ERROR, message)])


def _read_book(result: ReadResult, book: Workbook, matcher: HeaderMatcher,
               settings: ReadSettings, today: dt.date, warnings: bool = True) -> None:
    contribution_sheet = _find_sheet(book, CONTRIBUTION_SHEET)
    candidates = [s for s in book.sheets if s != contribution_sheet and not _is_instruction(s)]
    best = None  # (fields matched, sheet, header index, header cells, header height)
    for sheet in candidates:
        found = find_header(book.rows(sheet), matcher, MIN_HEADER_FIELDS, book.merged_ranges(sheet))
        if found and (best is None or found[1] > best[0]):
            best = (found[1], sheet, found[0], found[2], found[3])
    if best is None:
        result.tasks = empty_tasks()
        result.problems = [Problem(None, None, None, ERROR, messages.NO_HEADER_ROW)]
        return
    _, sheet, header_index, header, header_height = best
    result.sheet, result.header_row = sheet, header_index + 1

    rows = book.rows(sheet)
    marks = book.cell_marks(sheet)
    _put_error_values(rows, marks)
    last_header_index = header_index + header_height - 1
    _fill_merged_down(rows, book.merged_ranges(sheet), last_header_index)
    plan = plan_columns(header, matcher)
    result.ignored_columns = plan.ignored
    result.column_map = {plan.headers[f]: f for f in plan.columns}
    body, first_row = _body(rows, last_header_index)
    raw = _raw_columns(body, plan.columns)

    contributions = None
    if contribution_sheet is not None:
        contributions = _contribution_raw(book, contribution_sheet)

    date_columns = {name: parsing.extract_dates(raw[name])
                    for name in raw if FIELD_BY_NAME[name].kind == DATE}
    contribution_dates = {}
    if contributions is not None:
        contribution_dates = {name: parsing.extract_dates(contributions.raw[name])
                              for name in contributions.raw
                              if name in ("contrib_due_date", "delivered_date")}
    result.month_first = parsing.proves_month_first(
        [*date_columns.values(), *contribution_dates.values()])

    source_rows = np.arange(first_row, first_row + len(body), dtype="int64")
    parsed = parsing.parse_tasks(raw, date_columns, result.month_first, source_rows)
    banners = {first - last_header_index - 1 for (first, c0), (last, c1) in book.merged_ranges(sheet)
               if first > last_header_index and c1 - c0 >= BANNER_MIN_COLUMNS - 1}
    if body and _is_numbering_row(body[0]):
        banners.add(0)
    is_data = _data_rows(parsed, body, banners)
    result.skipped_rows = [int(r) for r in source_rows[~is_data.to_numpy()]]
    if result.skipped_rows:
        parsed = parsed.subset(is_data)
    result.rows = len(parsed.tasks)
    if settings.row_limit is not None and result.rows > settings.row_limit:
        raise Unreadable(messages.TOO_MANY_ROWS.format(rows=result.rows, limit=settings.row_limit))

    problems = _file_problems(plan, matcher.mapping, marks, last_header_index, result.month_first)
    if contribution_sheet is not None and contributions is None:
        problems.append(Problem(None, None, None, WARNING, messages.CONTRIBUTION_PREFIX.format(
            sheet=contribution_sheet) + messages.CONTRIBUTION_NO_HEADER))
    if result.rows == 0:
        problems.append(Problem(None, None, None, WARNING,
                                messages.NO_TASK_ROWS.format(header_row=result.header_row)))
    problems += validation.validate_tasks(parsed, settings, today, plan.headers, warnings,
                                          plan.columns)
    result.tasks = validation.use_catalogue_spelling(parsed.tasks, settings)
    if contributions is not None:
        frame, contribution_problems = contributions.parse(contribution_dates, result.month_first,
                                                           result.tasks)
        result.contributions = frame
        problems += contribution_problems
    result.problems = problems


def _is_instruction(sheet: str) -> bool:
    return match_key(sheet).startswith(match_key(INSTRUCTION_SHEET))


def _find_sheet(book: Workbook, name: str) -> str | None:
    return next((s for s in book.sheets if match_key(s) == match_key(name)), None)


def _put_error_values(rows: list[list], marks: CellMarks) -> None:
    """calamine returns error cells as empty: put their text (#N/A...) back."""
    for (r, c), value in marks.errors.items():
        if r < len(rows) and c < len(rows[r]):
            rows[r][c] = value


def _body(rows: list[list], header_index: int) -> tuple[list[list], int]:
    """Rows below the header, trailing blank rows dropped; and the Excel row number
    of the first one."""
    end = len(rows)
    while end > header_index + 1 and _is_blank(rows[end - 1]):
        end -= 1
    return rows[header_index + 1:end], header_index + 2


def _is_blank(row: list) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def _raw_columns(body: list[list], columns: dict[str, int]) -> dict[str, pd.Series]:
    """Field -> its cells (object Series), from rows that may be short or long."""
    width = max(columns.values(), default=-1) + 1
    lengths = set(map(len, body))
    if len(lengths) == 1 and (length := lengths.pop()) >= width:  # calamine: rows equally long
        # fromiter over the flattened rows: twice as fast as np.array(body) (no shape discovery)
        cells = (np.fromiter(chain.from_iterable(body), dtype=object, count=len(body) * length)
                 .reshape(len(body), length) if width else np.empty((len(body), 0), dtype=object))
    else:  # CSV rows may be short or long
        cells = np.empty((len(body), width), dtype=object)
        if body and width:
            cells[:] = [row[:width] if len(row) >= width else row + [""] * (width - len(row))
                        for row in body]
    return {name: pd.Series(cells[:, col], dtype=object) for name, col in columns.items()}


def _data_rows(parsed: parsing.ParsedTasks, body: list[list], banners: set[int]) -> pd.Series:
    """SPEC §2.1: a data row has a task_id or a readable date in a date column, and is
    not the template's example row (task_id "VD").

    From the first undated row holding a signature label on, undated rows are the
    signature block (titles, names under the signatures) and are skipped too, even
    when the name sits in the task_id column. A banner row (one cell merged across
    several columns: "I. CÔNG TÁC TƯ VẤN") is a section heading, not a task, and an
    undated "Tổng cộng: 12 nhiệm vụ" in the task_id column a totals line."""
    tasks = parsed.tasks
    has_date = tasks[["assigned_date", "due_date", "original_due_date", "done_date"]].notna().any(axis=1)
    no_flag = pd.Series(False, index=tasks.index)
    has_id = tasks["task_id"].notna() | parsed.excel_errors.get("task_id", no_flag)
    undated = np.flatnonzero(~has_date.to_numpy())
    signature_start = next((i for i in undated if _is_signature_row(body[i])), None)
    if signature_start is not None:
        in_block = (np.arange(len(tasks)) >= signature_start) & ~has_date.to_numpy()
        has_id = has_id & ~in_block
    is_banner = np.isin(np.arange(len(tasks)), list(banners)) & ~has_date.to_numpy()
    # An undated totals line is no task either, whatever column the count sits in.
    ids = tasks["task_id"].to_numpy()
    for i in undated:
        if isinstance(ids[i], str) and _TOTALS.match(match_key(ids[i])):
            is_banner[i] = True
    # The template's example row ("VD"), dated or not (fields.is_example_id).
    is_example = tasks["task_id"].map(is_example_id).to_numpy(dtype=bool)  # False off strings
    return (has_id | has_date) & ~is_banner & ~is_example


def _is_numbering_row(row: list) -> bool:
    """(1) (2) (3) … or 1 2 3 … in at least 3 cells, increasing, nothing else."""
    cells = [c for c in row if c not in ("", None)]
    numbers = []
    for cell in cells:
        text = parsing.cell_text(cell)
        if not _COLUMN_NUMBER.match(text):
            return False
        numbers.append(int(text.strip("()[]")))
    return len(numbers) >= 3 and numbers == sorted(set(numbers))


def _is_signature_row(row: list) -> bool:
    return any(isinstance(cell, str) and len(cell) <= SIGNATURE_CELL_MAX
               and _SIGNATURE.search(match_key(cell)) for cell in row)


def _fill_merged_down(rows: list[list], merged: list, header_index: int) -> None:
    """A cell merged over several rows below the header (a department over its tasks)
    holds its value in the top row only: give it to every row of the merge, in the
    merge's first column (never sideways, where it would land in other fields)."""
    for (first_row, first_col), (last_row, _) in merged:
        if first_row <= header_index or last_row <= first_row or first_row >= len(rows):
            continue
        value = rows[first_row][first_col] if first_col < len(rows[first_row]) else ""
        for r in range(first_row + 1, min(last_row, len(rows) - 1) + 1):
            if first_col < len(rows[r]) and rows[r][first_col] in ("", None):
                rows[r][first_col] = value


def _file_problems(plan: ColumnPlan, mapping: dict[str, str], marks: CellMarks,
                   header_index: int, month_first: bool) -> list[Problem]:
    """Problems of the whole sheet: columns, formulas without value, mapping, month-first."""
    problems = []
    for task_field in TASK_FIELDS:
        if task_field.required and task_field.name not in plan.columns:
            problems.append(Problem(None, task_field.name, None, ERROR,
                                    messages.MISSING_COLUMN.format(header=task_field.header)))
    for name, headers in plan.duplicates.items():
        problems.append(Problem(None, name, " | ".join(headers), ERROR, messages.DUPLICATE_COLUMN.format(
            header=FIELD_BY_NAME[name].header, columns=", ".join(f"“{h}”" for h in headers))))
    used_columns = set(plan.columns.values())
    formulas = [(r, c) for r, c in marks.formulas_without_value
                if r > header_index and c in used_columns]
    if formulas:
        names = ", ".join(cell_name(r, c) for r, c in sorted(formulas)[:FORMULA_CELLS_NAMED])
        if len(formulas) > FORMULA_CELLS_NAMED:
            names += ", …"
        problems.append(Problem(None, None, None, ERROR,
                                messages.FORMULA_NO_VALUE.format(count=len(formulas), cells=names)))
    for header, name in mapping.items():
        # Found also when it is one of several columns mapped to one field (an error above).
        if match_key(header) not in plan.mapped_keys:
            problems.append(Problem(None, name, header, WARNING,
                                    messages.MAPPED_HEADER_NOT_FOUND.format(
                                        header=header, field=FIELD_BY_NAME[name].header)))
    if month_first:
        problems.append(Problem(None, None, None, WARNING, messages.MONTH_FIRST))
    return problems


# --- the optional "Phối hợp" sheet (SPEC §2.2) ----------------------------------------

@dataclass
class _ContributionRaw:
    sheet: str
    raw: dict[str, pd.Series]
    source_rows: np.ndarray
    headers: dict[str, str]
    columns: dict[str, int]

    def parse(self, dates: dict, month_first: bool,
              tasks: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
        return validation.parse_and_validate_contributions(
            self.sheet, self.raw, dates, month_first, self.source_rows, self.headers, tasks,
            self.columns)


def _contribution_raw(book: Workbook, sheet: str) -> _ContributionRaw | None:
    matcher = HeaderMatcher(CONTRIBUTION_ALIASES)
    rows = book.rows(sheet)
    found = find_header(rows, matcher, MIN_CONTRIBUTION_HEADER_FIELDS, book.merged_ranges(sheet))
    if found is None:
        return None
    header_index, _, header, height = found
    _put_error_values(rows, book.cell_marks(sheet))
    plan = plan_columns(header, matcher)
    body, first_row = _body(rows, header_index + height - 1)
    raw = _raw_columns(body, plan.columns)
    return _ContributionRaw(sheet, raw, np.arange(first_row, first_row + len(body), dtype="int64"),
                            plan.headers, plan.columns)

