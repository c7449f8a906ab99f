"""Raw access to the sheets of a checked file: visible worksheets, their cells as
Python values, and (for .xlsx) what calamine hides: Excel error values and
formula cells that have no saved value.

Row and column positions are 0-based indexes into `rows(...)`; row index i is the
Excel row i + 1, also when the sheet starts with empty rows or columns.
"""

from __future__ import annotations

import csv
import io
import pickle
import re
import subprocess
import sys

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from analysis import messages
from analysis.fields import match_key
from analysis.file_safety import (
    CSV, GRID_COLUMNS_PER_ROW, MAX_COLUMNS, ODS, XLS, CheckedFile, Unreadable,
)
from analysis.sheet_xml import CellMarks

CSV_DELIMITERS = (",", ";", "\t")
EXTRA_ROWS = 1_000  # title, blank and signature rows allowed beyond the row limit


class Workbook:
    """The visible worksheets of one file."""

    def __init__(self, data: bytes, checked: CheckedFile, csv_name: str = "CSV",
                 header_keys: frozenset[str] = frozenset(), row_limit: int = 100_000):
        self._checked = checked
        self._max_rows = row_limit + EXTRA_ROWS
        self._csv_rows: list[list] | None = None
        self._rows: dict[str, list[list]] = {}
        self._merged: dict[str, list] = {}
        if checked.kind == CSV:
            self.sheets = [csv_name]
            self._csv_rows = _read_csv(checked.text or "", header_keys, self._max_rows)
            return
        if checked.ods_extent is not None:  # calamine reads every .ods table when opening it
            _check_extent(*checked.ods_extent, self._max_rows)
        if checked.kind in (XLS, ODS):
            sheets = _read_isolated(data)
            self.sheets = list(sheets)
            self._rows = {name: rows for name, (rows, _) in sheets.items()}
            self._merged = {name: merged for name, (_, merged) in sheets.items()}
            return
        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            metadata = self._book.sheets_metadata
        except PasswordError:
            raise Unreadable(messages.PASSWORD) from None
        except Exception:  # CalamineError, XmlError, ZipError...: a damaged file
            raise Unreadable(messages.CORRUPT) from None
        self.sheets = [m.name for m in metadata
                       if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet]

    def rows(self, name: str) -> list[list]:
        """All rows of a sheet (parsed once: calamine reads the whole sheet anyway)."""
        if self._csv_rows is not None:
            return self._csv_rows
        if name not in self._rows:
            self._rows[name] = self._load(name)
        return self._rows[name]

    def _load(self, name: str) -> list[list]:
        scan = self._scan(name)
        # A sheet whose member was not identified: every scanned worksheet must pass.
        for checked_scan in [scan] if scan is not None else self._checked.sheet_scans.values():
            _check_extent(checked_scan.rows, checked_scan.cols, self._max_rows)
        try:
            sheet = self._book.get_sheet_by_name(name)
            self._merged[name] = list(sheet.merged_cell_ranges or [])
            return sheet.to_python(skip_empty_area=False)
        except PasswordError:
            raise Unreadable(messages.PASSWORD) from None
        except Exception:
            raise Unreadable(messages.CORRUPT) from None

    def merged_ranges(self, name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged cell ranges ((first row, first col), (last row, last col)), 0-based."""
        self.rows(name)
        return self._merged.get(name, [])

    def cell_marks(self, name: str) -> CellMarks:
        """Error values and formulas without value (xlsx; empty for other formats)."""
        scan = self._scan(name)
        return scan.marks if scan is not None else CellMarks()

    def _scan(self, name: str):
        return self._checked.sheet_scans.get(self._checked.sheet_paths.get(name, ""))


# --- .xls and .ods: parsed in a child process -----------------------------------------

# A legacy .xls (BIFF) is full of counts and sizes that calamine trusts: a damaged or
# hostile one can make it reserve hundreds of gigabytes and abort the whole process
# (the upload page's server with it). .xls and .ods (read whole when opened) are
# parsed in a child process with a memory cap; both are rare and small here, so
# sending the cells back is cheap. .xlsx, the template's format and the hot path,
# is read in-process after the checks of `file_safety` and `sheet_xml`.
XLS_MEMORY_LIMIT = 2 * 1024 ** 3
XLS_TIMEOUT_SECONDS = 120
_XLS_CHILD = """
import io, pickle, sys
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
except (ImportError, ValueError, OSError):
    pass
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum
try:
    book = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
    sheets = {{}}
    for meta in book.sheets_metadata:
        if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet:
            sheet = book.get_sheet_by_name(meta.name)
            sheets[meta.name] = (sheet.to_python(skip_empty_area=False),
                                 list(sheet.merged_cell_ranges or []))
except PasswordError:
    sys.exit(3)
except MemoryError:
    sys.exit(5)
except Exception:
    sys.exit(4)
sys.stdout.buffer.write(pickle.dumps(sheets, protocol=pickle.HIGHEST_PROTOCOL))
"""


def _read_isolated(data: bytes) -> dict[str, tuple[list[list], list]]:
    """Visible worksheet name -> (rows, merged ranges), read by calamine in a child."""
    code = _XLS_CHILD.format(limit=XLS_MEMORY_LIMIT)
    try:
        done = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True,
                              timeout=XLS_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise Unreadable(messages.CORRUPT) from None
    if done.returncode == 3:
        raise Unreadable(messages.PASSWORD)
    if done.returncode == 5:
        raise Unreadable(messages.TOO_LARGE_TO_READ)
    if done.returncode != 0:
        raise Unreadable(messages.CORRUPT)
    # Our own child wrote this from calamine's plain values (str, float, datetime...).
    return pickle.loads(done.stdout)


# --- CSV --------------------------------------------------------------------------------

_SEP_HINT = re.compile(r"^\s*sep=(.)\s*(?:\r\n|\n|\r)")


def _read_csv(text: str, header_keys: frozenset[str], max_rows: int) -> list[list]:
    # Excel's "sep=;" first line names the delimiter and is not shown as a row.
    hint = _SEP_HINT.match(text)
    if hint:
        delimiter, text = hint.group(1), text[hint.end():]
    else:
        delimiter = sniff_delimiter(text, header_keys)
    rows, cells = [], 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(row) > MAX_COLUMNS:
                raise Unreadable(messages.TOO_MANY_COLUMNS.format(
                    row=len(rows) + 1, cols=_thousands(len(row)), limit=_thousands(MAX_COLUMNS)))
            rows.append(row)
            cells += len(row)
            if len(rows) > max_rows or cells > max_rows * GRID_COLUMNS_PER_ROW:
                raise Unreadable(messages.SHEET_TOO_LARGE.format(rows=len(rows), cols=len(row)))
    except csv.Error:
        raise Unreadable(messages.CORRUPT) from None
    return rows


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Vietnamese grouping: 16.384


def _check_extent(rows: int, cols: int, max_rows: int) -> None:
    if rows > max_rows or rows * cols > max_rows * GRID_COLUMNS_PER_ROW:
        raise Unreadable(messages.SHEET_TOO_LARGE.format(rows=rows, cols=cols))


def sniff_delimiter(text: str, header_keys: frozenset[str]) -> str:
    """Comma, semicolon or tab: the one whose split of the first lines gives the most
    known headers; failing that, the one most frequent in the first non-empty line."""
    sample = "\n".join(text.splitlines()[:20])
    best, best_score = None, 0
    for delimiter in CSV_DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        # A header is within Excel's columns: a record of millions of cells is refused
        # by `_read_csv`, not looked at cell by cell here.
        score = max((sum(match_key(cell) in header_keys for cell in row[:MAX_COLUMNS])
                     for row in rows), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    if best is not None:
        return best
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(CSV_DELIMITERS, key=first.count)


# --- xlsx sheet XML -----------------------------------------------------------------

