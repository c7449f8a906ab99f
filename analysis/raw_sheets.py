"""Raw access to the sheets of a checked file: visible worksheets, their cells as
Python values, and (for .xlsx) what calamine hides: Excel error values and
formula cells that have no saved value.

Row and column positions are 0-based indexes into `rows(...)`; row index i is the
Excel row i + 1, also when the sheet starts with empty rows or columns.

calamine runs here, in the process that calls it: untrusted bytes come here only in
the limited child of `analysis.sandbox` (a crafted .xls or .xlsx can make calamine
abort its whole process), after `file_safety.check_file` has bounded the work.
"""

from __future__ import annotations

import csv
import io
import re

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from analysis import messages
from analysis.fields import match_key
from analysis.file_safety import (
    CSV,
    EXTRA_ROWS,
    MAX_COLUMNS,
    XLSX,
    CheckedFile,
    Unreadable,
    thousands,
)
from analysis.model import ReadSettings
from analysis.sheet_xml import CellMarks

CSV_DELIMITERS = (",", ";", "\t")


def load_sheets(data: bytes) -> dict[str, tuple[list[list], list]] | None:
    """Visible worksheet name -> (rows, merged ranges), all laid out by calamine now;
    None when the bytes are no zip or OLE2 file, or calamine cannot open them (the
    reader then says why). For `metrics`, which lays a file out while its checks run."""
    if not data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return None
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {}
        for meta in book.sheets_metadata:
            if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet:
                sheet = book.get_sheet_by_name(meta.name)
                sheets[meta.name] = (sheet.to_python(skip_empty_area=False),
                                     list(sheet.merged_cell_ranges or []))
        return sheets
    except Exception:  # noqa: BLE001 - CalamineError, PasswordError...: the reader says it
        return None


class Workbook:
    """The visible worksheets of one file. `sheets`: those `load_sheets` laid out
    already (they are used as they are: the checks of `checked` passed)."""

    def __init__(self, data: bytes, checked: CheckedFile, csv_name: str = "CSV",
                 header_keys: frozenset[str] = frozenset(),
                 settings: ReadSettings | None = None,
                 sheets: dict[str, tuple[list[list], list]] | None = None):
        self._checked = checked
        self._csv_rows: list[list] | None = None
        self._rows: dict[str, list[list]] = {}
        self._merged: dict[str, list] = {}
        if checked.kind == CSV:
            self.sheets = [csv_name]
            self._csv_rows = _read_csv(checked.text or "", header_keys, settings or ReadSettings())
            return
        if sheets is not None:
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
        # The sheet's extent and text were checked against the budgets by check_file.
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
        scan = self._scan(name) if self._checked.kind == XLSX else None
        return scan.marks if scan is not None else CellMarks()

    def _scan(self, name: str):
        return self._checked.sheet_scans.get(self._checked.sheet_paths.get(name, ""))


# --- CSV --------------------------------------------------------------------------------

_SEP_HINT = re.compile(r"^\s*sep=(.)\s*(?:\r\n|\n|\r)")


def _read_csv(text: str, header_keys: frozenset[str], settings: ReadSettings) -> list[list]:
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
                    row=len(rows) + 1, cols=thousands(len(row)), limit=thousands(MAX_COLUMNS)))
            rows.append(row)
            cells += len(row)  # CSV rows are kept as long as they are: no dense grid
            if settings.row_limit is not None and len(rows) > settings.row_limit + EXTRA_ROWS:
                raise Unreadable(messages.SHEET_TOO_LARGE.format(rows=len(rows), cols=len(row)))
            if cells > settings.max_sheet_cells:
                raise Unreadable(messages.SHEET_TOO_MANY_CELLS.format(
                    rows=len(rows), cols=max(map(len, rows)), cells=thousands(cells),
                    limit=thousands(settings.max_sheet_cells)))
    except csv.Error as exc:
        # The csv module reads at most field_size_limit() characters (131 072) into one
        # cell: a longer one is most often a quote that is never closed.
        if str(exc).startswith("field larger than field limit"):
            raise Unreadable(messages.CSV_CELL_TOO_LONG.format(
                row=len(rows) + 1, limit=thousands(csv.field_size_limit()))) from None
        raise Unreadable(messages.CORRUPT) from None
    return rows


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


