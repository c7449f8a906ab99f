"""Excel and CSV writers for everything a user can download (SPEC §4.6).

Every export goes through `neutralise`: a text cell that a spreadsheet would
read as a formula (starts with `=`, `+`, `-`, `@`, tab or carriage return) is
written as text prefixed with `'`. The Excel writer also forces every string
cell to the text type so that nothing becomes a formula, whatever it holds.

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
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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
    """A Python value openpyxl can write: NA → None, Timestamp → datetime/date."""
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


def _text_cell(sheet, value: str, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = TYPE_STRING  # never a formula, whatever the text
    if font is not None:
        cell.font = font
    return cell


def _column_kinds(frame: pd.DataFrame) -> list[str]:
    """How each column is written: "date", "rate" or "plain"."""
    kinds = []
    for i, name in enumerate(frame.columns):
        series = frame.iloc[:, i]
        if pd.api.types.is_datetime64_any_dtype(series):
            kinds.append("date")
        elif _is_rate_column(name) and pd.api.types.is_numeric_dtype(series):
            kinds.append("rate")
        else:
            kinds.append("plain")
    return kinds


def _widths(frame: pd.DataFrame, kinds: list[str]) -> list[int]:
    """Column widths from the header and the longest text (vectorised, capped)."""
    widths = []
    for i, name in enumerate(frame.columns):
        series = frame.iloc[:, i]
        width = len(str(name))
        if kinds[i] == "date":
            width = max(width, 10)
        elif kinds[i] == "rate":
            width = max(width, 7)
        elif len(series):
            lengths = series.astype("str").str.len()
            width = max(width, int(lengths.max()) if lengths.notna().any() else 0)
        widths.append(min(width + 2, _MAX_WIDTH))
    return widths


def _write_sheet(sheet, frame: pd.DataFrame, title: str | None) -> None:
    """Write-only mode: one pass, fast enough for 100 000 rows."""
    safe = neutralise(frame)
    kinds = _column_kinds(safe)
    for col_idx, width in enumerate(_widths(safe, kinds), start=1):
        sheet.column_dimensions[get_column_letter(col_idx)].width = width
    top = 3 if title else 1  # the header row
    sheet.freeze_panes = f"A{top + 1}"  # before the first row: write-only writes the view first
    if title:
        sheet.append([_text_cell(sheet, neutralise_text(title), Font(bold=True, size=13))])
        sheet.append([])
    bold = Font(bold=True)
    sheet.append([_text_cell(sheet, str(name), bold) for name in safe.columns])

    columns = [safe.iloc[:, i].tolist() for i in range(safe.shape[1])]
    for values in zip(*columns):
        row = []
        for kind, raw in zip(kinds, values):
            value = _cell_value(raw)
            if value is None or value == "":
                row.append(None)
            elif isinstance(value, str):
                # neutralise() left no text starting with "=", so openpyxl keeps a plain
                # string as text; "#N/A"-like text would become an error cell: force it.
                row.append(_text_cell(sheet, value) if value.startswith("#") else value)
            elif kind == "date" or isinstance(value, (date, datetime)):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT if not isinstance(value, datetime) \
                    else DATE_FORMAT + " hh:mm"
                row.append(cell)
            elif kind == "rate":
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = PERCENT_FORMAT
                row.append(cell)
            else:
                row.append(value)
        sheet.append(row)


def to_excel_bytes(frames: Mapping[str, pd.DataFrame], title: str | None = None) -> bytes:
    """One .xlsx with a sheet per frame (sheet name → frame), injection safe.

    `title`, when given, is written in bold above the header of every sheet.
    """
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for name, frame in frames.items():
        sheet = workbook.create_sheet(_sheet_title(str(name), used))
        _write_sheet(sheet, frame, title)
    if not workbook.worksheets:
        workbook.create_sheet("Trống")
    buffer = io.BytesIO()
    workbook.save(buffer)
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
