"""Raw access to the sheets of a checked file: visible worksheets, their cells as
Python values, and (for .xlsx) what calamine hides: Excel error values and
formula cells that have no saved value.

Row and column positions are 0-based indexes into `rows(...)`; row index i is the
Excel row i + 1, also when the sheet starts with empty rows or columns.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
from dataclasses import dataclass, field

from defusedxml import ElementTree
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from analysis import messages
from analysis.fields import match_key
from analysis.file_safety import CSV, XLSX, CheckedFile, Unreadable

CSV_DELIMITERS = (",", ";", "\t")
# calamine builds a dense rows x columns grid: a tiny file with one cell at XFD1048576
# would need billions of cells. The extent is checked from the XML before parsing.
MAX_CELLS = 30_000_000
EXTRA_ROWS = 1_000  # title, blank and signature rows allowed beyond the row limit


@dataclass
class CellMarks:
    """Cells whose value calamine returns as empty, though the file says more."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> "#N/A"
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)


class Workbook:
    """The visible worksheets of one file."""

    def __init__(self, data: bytes, checked: CheckedFile, csv_name: str = "CSV",
                 header_keys: frozenset[str] = frozenset(), row_limit: int = 100_000):
        self._checked = checked
        self._max_rows = row_limit + EXTRA_ROWS
        self._csv_rows: list[list] | None = None
        self._xlsx_paths: dict[str, str] = {}
        self._rows: dict[str, list[list]] = {}
        if checked.kind == CSV:
            self.sheets = [csv_name]
            self._csv_rows = _read_csv(checked.text or "", header_keys, self._max_rows)
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
        self._xlsx_paths = _xlsx_sheet_paths(checked.xml_parts) if checked.kind == XLSX else {}

    def rows(self, name: str) -> list[list]:
        """All rows of a sheet (parsed once: calamine reads the whole sheet anyway)."""
        if self._csv_rows is not None:
            return self._csv_rows
        if name not in self._rows:
            self._rows[name] = self._load(name)
        return self._rows[name]

    def _load(self, name: str) -> list[list]:
        path = self._xlsx_paths.get(name)
        if path in self._checked.xml_parts:
            rows, cols = sheet_extent(self._checked.xml_parts[path], MAX_CELLS)
            _check_extent(rows, cols, self._max_rows)
        try:
            return self._book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except PasswordError:
            raise Unreadable(messages.PASSWORD) from None
        except Exception:
            raise Unreadable(messages.CORRUPT) from None

    def cell_marks(self, name: str) -> CellMarks:
        path = self._xlsx_paths.get(name)
        if path is None or path not in self._checked.xml_parts:
            return CellMarks()
        return scan_sheet_xml(self._checked.xml_parts[path])


# --- CSV --------------------------------------------------------------------------------

def _read_csv(text: str, header_keys: frozenset[str], max_rows: int) -> list[list]:
    delimiter = sniff_delimiter(text, header_keys)
    rows, cells = [], 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            cells += len(row)
            if len(rows) > max_rows or cells > MAX_CELLS:
                raise Unreadable(messages.SHEET_TOO_LARGE.format(rows=len(rows), cols=len(row)))
    except csv.Error:
        raise Unreadable(messages.CORRUPT) from None
    return rows


def _check_extent(rows: int, cols: int, max_rows: int) -> None:
    if rows > max_rows or rows * cols > MAX_CELLS:
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
        score = max((sum(match_key(cell) in header_keys for cell in row) for row in rows), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    if best is not None:
        return best
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(CSV_DELIMITERS, key=first.count)


# --- xlsx sheet XML -----------------------------------------------------------------

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xlsx_sheet_paths(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> zip member of its XML, from workbook.xml and its relationships."""
    workbook_path = next((p for p in parts if p.lower() == "xl/workbook.xml"), None)
    rels_path = next((p for p in parts if p.lower() == "xl/_rels/workbook.xml.rels"), None)
    if workbook_path is None or rels_path is None:
        return {}
    try:
        workbook = ElementTree.fromstring(parts[workbook_path])
        rels = ElementTree.fromstring(parts[rels_path])
    except Exception:
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    paths = {}
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            rel_id = element.get(f"{{{_REL_NS}}}id")
            if element.get("name") is not None and rel_id in targets:
                paths[element.get("name")] = targets[rel_id]
    return paths


# Scans with literal prefixes (fast): row elements numbered 100000 or more, and
# cells in multi-letter columns.
_FAR_ROWS = re.compile(rb"row r=[\"'](\d{6,})")
_COLUMNS_FROM_AAA = re.compile(rb"r=[\"']([A-Z]{3,})\d")
_COLUMNS_FROM_AA = re.compile(rb"r=[\"']([A-Z]{2,})\d")
_LAST_ROW = re.compile(rb"<(?:[A-Za-z]\w*:)?row\s[^>]*?\br=[\"'](\d+)")


def sheet_extent(xml: bytes, max_cells: int = 30_000_000) -> tuple[int, int]:
    """An upper bound of (rows, columns) the sheet's cells reach, as calamine lays
    them out: the last row element and any row element numbered 100000 or more;
    the columns exactly when rows x 702 could pass `max_cells`, else 702 (ZZ) unless
    a cell sits in a 3-letter column."""
    start = xml.rfind(b"<", 0, max(xml.rfind(b"row "), 0) + 1)
    match = _LAST_ROW.match(xml, start) if start >= 0 else None
    rows = max([int(match.group(1)) if match else 0,
                *(int(n) for n in _FAR_ROWS.findall(xml))])
    if rows * 702 > max_cells:
        letters = set(_COLUMNS_FROM_AA.findall(xml))
        cols = max([26, *(_column_number(c.decode()) for c in letters)])
    else:
        letters = set(_COLUMNS_FROM_AAA.findall(xml))
        cols = max([702, *(_column_number(c.decode()) for c in letters)])
    return rows, cols


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (ord(letter) - 64)
    return number


_FORMULA_START = re.compile(rb"<(?:[A-Za-z]\w*:)?f[\s>/]")
_ERROR_TYPE = re.compile(rb"\st=[\"']e[\"']")
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_ATTR = re.compile(rb"([\w:]+)\s*=\s*[\"']([^\"']*)[\"']")
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")
_REF = re.compile(r"^([A-Z]+)(\d+)$")


def scan_sheet_xml(xml: bytes) -> CellMarks:
    """Find error cells (t="e") and formula cells without a saved value.

    Only cells near a formula or an error type are looked at, and a sheet with
    neither costs a few fast substring searches."""
    marks = CellMarks()
    starts: set[int] = set()
    # Needles ending in a letter rare in sheet XML keep these searches fast.
    if b"</f" in xml or b":f" in xml:
        starts |= {xml.rfind(b"<", 0, m.start()) for m in _FORMULA_START.finditer(xml)}
    if b't="e' in xml:  # Excel, LibreOffice and openpyxl all write double quotes
        starts |= {xml.rfind(b"<", 0, m.start()) for m in _ERROR_TYPE.finditer(xml)}
    for start in sorted(s for s in starts if s >= 0):
        cell = _CELL.match(xml, start)
        if cell is None:
            continue
        attrs = dict(_ATTR.findall(cell.group(1)))
        position = _cell_position(attrs.get(b"r", b"").decode("ascii", "replace"))
        if position is None:
            continue
        inner = cell.group(2) or b""
        value = _VALUE.search(inner)
        cell_type = attrs.get(b"t", b"n")
        if cell_type == b"e":
            marks.errors[position] = (value.group(1).decode("utf-8", "replace").strip()
                                      if value else "#N/A")
        elif _FORMULA_START.search(inner) and (value is None or not value.group(1)) and \
                cell_type not in (b"str", b"inlineStr"):
            marks.formulas_without_value.append(position)
    return marks


def _cell_position(ref: str) -> tuple[int, int] | None:
    match = _REF.match(ref.replace("$", "").upper())
    if not match:
        return None
    return int(match.group(2)) - 1, _column_number(match.group(1)) - 1


def cell_name(row: int, col: int) -> str:
    """(0-based row, col) -> "C5"."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"
