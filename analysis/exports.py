"""Excel and CSV writers for everything a user can download (SPEC §4.6).

Every export goes through `neutralise`: a text cell that a spreadsheet would
read as a formula (starts with `=`, `+`, `-`, `@`, tab or carriage return) is
written as text prefixed with `'`. The Excel writer (xlsxwriter) also writes every
string cell with a typed text call, so that nothing becomes a formula, whatever it holds.

Headers are written as given (pages pass Vietnamese column names); dates are
real date cells shown `dd/mm/yyyy`; columns whose name says they hold a rate
(`Tỷ lệ …`, `… rate`) are shown as percentages.

Who may export what (SPEC §8) is checked here, before the bytes are built, by every
export that hands data to a user (`check_export`): a department head exports only rows
its department leads or coordinates (`department_rows` gives a page those rows), the
director and the administrator export anything, demo mode only the bundled sample.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime

import numpy as np
import pandas as pd
import xlsxwriter

# SPEC §4.6: the leading characters a spreadsheet treats as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0.0%"
_MAX_SHEET_NAME = 31  # Excel's limit
_MAX_WIDTH = 60


def neutralise_text(value: str) -> str:
    """One string made safe: prefixed with `'` when it would start a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _dangerous(series: pd.Series) -> pd.Series:
    """True where a cell is text that would start a formula (vectorised)."""
    try:
        starts = series.str.startswith(FORMULA_PREFIXES)
    except AttributeError:  # no text at all in this column (e.g. object of ints)
        return pd.Series(False, index=series.index)
    return starts.fillna(False).astype(bool)


def _join_lists(series: pd.Series) -> pd.Series:
    """List cells (coord_depts, coord_people) as one text `A; B`, so they are checked too."""
    is_list = series.map(lambda v: isinstance(v, (list, tuple, set)))
    if not is_list.any():
        return series
    joined = series.copy()
    joined[is_list] = series[is_list].map(lambda v: "; ".join(str(x) for x in v))
    return joined


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` where every dangerous text cell is prefixed with `'`.

    List cells are first joined into one text (`A; B`). Numbers, dates and missing values are untouched (a negative number stays a
    number); only strings are checked. Column names are checked too.
    """
    out = frame.copy()
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        if pd.api.types.is_object_dtype(series):
            series = _join_lists(series)
            out.isetitem(i, series)
        dangerous = _dangerous(series)
        if dangerous.any():
            fixed = series.astype(object).copy()
            fixed[dangerous] = "'" + series[dangerous].astype(str)
            out.isetitem(i, fixed.astype(series.dtype) if series.dtype != object else fixed)
    out.columns = [neutralise_text(c) if isinstance(c, str) else c for c in out.columns]
    return out


def _is_rate_column(name) -> bool:
    text = str(name).lower()
    return text.startswith("tỷ lệ") or text.startswith("tỉ lệ") or text.endswith("rate")


def _cell_value(value):
    """A plain Python value: NA → None, Timestamp → datetime/date, numpy → Python."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        # Figures work on calendar days (SPEC §2.1): a midnight datetime is a date.
        return value.date() if value.time() == datetime.min.time() else value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalar → Python scalar
    return value


def _sheet_title(name: str, used: set[str]) -> str:
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    base = (name.strip() or "Sheet")[:_MAX_SHEET_NAME]
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: _MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


# --- the Excel writer (xlsxwriter) -------------------------------------------------------
# xlsxwriter writes 3-4x faster than openpyxl. Every cell is written with a typed call
# (write_string / write_number / write_boolean), never the generic `write`, so no text
# can become a formula, a URL or a number whatever it holds; the workbook options say
# the same for anything written with `write`.

WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False, "nan_inf_to_errors": False}
_EXCEL_EPOCH = np.datetime64("1899-12-30", "us")  # serial 0 of the 1900 date system
_DATE, _DATETIME, _RATE, _NUMBER, _TEXT = "date", "datetime", "rate", "number", "text"


def new_workbook(buffer: io.BytesIO) -> xlsxwriter.Workbook:
    """An in-memory xlsxwriter workbook with the safe options (SPEC §4.6)."""
    return xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)


class Formats:
    """The cell formats of one workbook (xlsxwriter formats belong to a workbook)."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                       "bg_color": "#E8EEF4", "border": 1})
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.date = book.add_format({"num_format": DATE_FORMAT})
        self.datetime = book.add_format({"num_format": DATE_FORMAT + " hh:mm"})
        self.rate = book.add_format({"num_format": PERCENT_FORMAT})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})


def _kind(series: pd.Series, name) -> str:
    if pd.api.types.is_datetime64_any_dtype(series):
        return _DATE
    if pd.api.types.is_bool_dtype(series):
        return _TEXT  # written per value (booleans as booleans)
    if pd.api.types.is_numeric_dtype(series):
        return _RATE if _is_rate_column(name) else _NUMBER
    return _TEXT


def _column_values(series: pd.Series, kind: str) -> tuple[list, str]:
    """The column as a list of plain values (None where empty) and its final kind;
    dates become Excel serial numbers in one vectorised step."""
    if kind == _DATE:
        stamps = series.to_numpy(dtype="datetime64[us]")
        serial = (stamps - _EXCEL_EPOCH) / np.timedelta64(1, "D")
        with_time = bool(np.any(~np.isnat(stamps) & (serial % 1 != 0)))
        values = [None if np.isnan(v) else v for v in serial.tolist()]
        return values, _DATETIME if with_time else _DATE
    if kind in (_RATE, _NUMBER):
        numbers = series.to_numpy(dtype=float, na_value=np.nan)
        return [None if v != v else v for v in numbers.tolist()], kind
    if pd.api.types.is_string_dtype(series) and not pd.api.types.is_object_dtype(series):
        return series.astype(object).where(series.notna(), None).tolist(), kind
    # Mixed objects: only the values that are not already text need converting.
    return [v if type(v) is str else _cell_value(v) for v in series.tolist()], kind


def _widths(frame: pd.DataFrame, kinds: list[str]) -> list[int]:
    """Column widths from the header and the longest text (vectorised, capped)."""
    widths = []
    for i, name in enumerate(frame.columns):
        series = frame.iloc[:, i]
        width = len(str(name))
        if kinds[i] in (_DATE, _DATETIME):
            width = max(width, 10 if kinds[i] == _DATE else 16)
        elif kinds[i] == _RATE:
            width = max(width, 7)
        elif len(series):
            lengths = series.astype("str").str.len()
            width = max(width, int(lengths.max()) if lengths.notna().any() else 0)
        widths.append(min(width + 2, _MAX_WIDTH))
    return widths


def write_frame(sheet, formats: Formats, frame: pd.DataFrame, first_row: int = 0,
                widths: Mapping[str, int] | None = None, autofilter: bool = True,
                freeze: bool = True) -> int:
    """Write `frame` (header row at `first_row`) into an xlsxwriter worksheet, injection
    safe; returns the row after the last one written.

    Dates become date cells shown dd/mm/yyyy; numeric columns named `Tỷ lệ …` are
    fractions shown as percentages; other numbers stay numbers; text is neutralised and
    always written as text. The header is bold, frozen and filtered; `widths` overrides
    the computed width of some columns (by header)."""
    safe = neutralise(frame)
    kinds = [_kind(safe.iloc[:, i], name) for i, name in enumerate(safe.columns)]
    computed = _widths(safe, kinds)
    for col, name in enumerate(safe.columns):
        chosen = (widths or {}).get(name, computed[col])
        sheet.set_column(col, col, chosen, formats.wrap if chosen >= _MAX_WIDTH else None)
    for col, name in enumerate(safe.columns):
        sheet.write_string(first_row, col, str(name), formats.header)
    columns, kinds = zip(*(_column_values(safe.iloc[:, i], kinds[i])
                           for i in range(safe.shape[1]))) if safe.shape[1] else ((), ())
    cell_format = {_DATE: formats.date, _DATETIME: formats.datetime, _RATE: formats.rate}
    write_string, write_number = sheet.write_string, sheet.write_number
    for col, (values, kind) in enumerate(zip(columns, kinds)):
        fmt = cell_format.get(kind)
        row = first_row + 1
        if kind == _TEXT:
            for value in values:
                if value is None or value == "":
                    pass
                elif isinstance(value, str):
                    # A carriage return would be stored as "_x000D_", which some readers
                    # show as such: inside a cell it is a line break.
                    write_string(row, col, value.replace("\r\n", "\n").replace("\r", "\n")
                                 if "\r" in value else value)
                elif isinstance(value, bool):
                    sheet.write_boolean(row, col, value)
                elif isinstance(value, (int, float)):
                    write_number(row, col, value)
                elif isinstance(value, datetime):
                    sheet.write_datetime(row, col, value, formats.datetime)
                elif isinstance(value, date):
                    sheet.write_datetime(row, col, datetime.combine(value, datetime.min.time()),
                                         formats.date)
                else:
                    write_string(row, col, neutralise_text(str(value)))
                row += 1
        else:
            for value in values:
                if value is not None:
                    write_number(row, col, value, fmt)
                row += 1
    last = first_row + len(safe)
    if freeze:
        sheet.freeze_panes(first_row + 1, 0)
    if autofilter and safe.shape[1]:
        sheet.autofilter(first_row, 0, last, safe.shape[1] - 1)
    return last + 1


def to_excel_bytes(frames: Mapping[str, pd.DataFrame], title: str | None = None) -> bytes:
    """One .xlsx with a sheet per frame (sheet name → frame), injection safe.

    `title`, when given, is written in bold above the header of every sheet.
    """
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    formats = Formats(book)
    used: set[str] = set()
    for name, frame in frames.items():
        sheet = book.add_worksheet(_sheet_title(str(name), used))
        top = 0
        if title:
            sheet.write_string(0, 0, neutralise_text(title), formats.title)
            top = 2
        write_frame(sheet, formats, frame, top)
    if not frames:
        book.add_worksheet("Trống")
    book.close()
    return buffer.getvalue()


def _csv_value(value):
    value = _cell_value(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel shows Vietnamese), dates `dd/mm/yyyy`, safe."""
    safe = neutralise(frame)
    table = safe.copy()
    for i in range(table.shape[1]):
        series = table.iloc[:, i]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_string_dtype(series)):
            table.isetitem(i, series.map(_csv_value).astype(object))
    # The csv writer quotes cells holding tabs, CRs, separators or quotes.
    text = table.to_csv(index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


# --- who may export what (SPEC §8) --------------------------------------------------------

def department_rows(frame: pd.DataFrame, department: str) -> np.ndarray:
    """Rows of a task frame that `department` leads or coordinates (names compared like
    headers: case and diacritics ignored). A frame without task columns has none."""
    from analysis.fields import match_key

    key = match_key(department or "")
    mask = np.zeros(len(frame), dtype=bool)
    if not key:
        return mask
    if "lead_dept" in frame:
        codes, names = pd.factorize(frame["lead_dept"])  # -1: no lead department
        if len(names):
            hits = np.array([match_key(str(n)) == key for n in names], dtype=bool)
            mask |= (codes >= 0) & hits[np.maximum(codes, 0)]
    for column in ("coord_depts_effective", "coord_depts"):
        if column in frame:
            exploded = frame[column].reset_index(drop=True).explode().dropna()
            if len(exploded):
                codes, names = pd.factorize(exploded.astype("str"))
                hits = np.array([match_key(n) == key for n in names], dtype=bool)
                rows = exploded.index[hits[codes]].to_numpy()
                mask[rows] = True
            break
    return mask


def export_scope(frame: pd.DataFrame, department: str | None = None) -> str:
    """What an export of `frame` covers: `department` when every row is that department's
    (led or coordinated by it), else the whole center."""
    from analysis.access import CENTER

    if department and department_rows(frame, department).all():
        return department
    return CENTER


def check_export(actor, frame: pd.DataFrame) -> str:
    """Raise `analysis.access.AccessDenied` unless `actor` may export `frame`; returns the
    scope it covers (for the audit log)."""
    from analysis import access

    department = actor.department if actor is not None and actor.role == access.DEPT_HEAD else None
    scope = export_scope(frame, department)
    access.check(actor, access.EXPORT, scope)
    return scope
