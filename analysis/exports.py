"""Excel and CSV writers for everything a user can download (SPEC §4.6).

Every export goes through `neutralise`: a text cell that a spreadsheet would
read as a formula (starts with `=`, `+`, `-`, `@`, tab or carriage return) is
written as text prefixed with `'`. The Excel writer also forces every string
cell to the text type so that nothing becomes a formula, whatever it holds.

Headers are written as given (pages pass Vietnamese column names); dates are
real date cells shown `dd/mm/yyyy`; columns whose name says they hold a rate
(`Tỷ lệ …`, `… rate`) are shown as percentages.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font
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


def _write_text(cell, value: str) -> None:
    cell.value = value
    cell.data_type = TYPE_STRING  # never a formula, whatever the text


def _write_sheet(sheet, frame: pd.DataFrame, title: str | None) -> None:
    safe = neutralise(frame)
    top = 1
    if title:
        _write_text(sheet.cell(row=1, column=1), neutralise_text(title))
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        top = 3
    widths = []
    for col_idx, name in enumerate(safe.columns, start=1):
        cell = sheet.cell(row=top, column=col_idx)
        _write_text(cell, str(name))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths.append(len(str(name)))

    for col_idx, name in enumerate(safe.columns, start=1):
        values = safe.iloc[:, col_idx - 1].tolist()
        is_rate = _is_rate_column(frame.columns[col_idx - 1])
        width = widths[col_idx - 1]
        for row_offset, raw in enumerate(values, start=1):
            value = _cell_value(raw)
            if value is None or value == "":
                continue
            cell = sheet.cell(row=top + row_offset, column=col_idx)
            if isinstance(value, str):
                _write_text(cell, value)
                width = max(width, min(len(value), _MAX_WIDTH))
            else:
                cell.value = value
                if isinstance(value, (date, datetime)):
                    cell.number_format = DATE_FORMAT if not isinstance(value, datetime) \
                        else DATE_FORMAT + " hh:mm"
                    width = max(width, 10 if not isinstance(value, datetime) else 16)
                elif is_rate and isinstance(value, (int, float)):
                    cell.number_format = PERCENT_FORMAT
                    width = max(width, 7)
                else:
                    width = max(width, min(len(str(value)), _MAX_WIDTH))
        widths[col_idx - 1] = width

    for col_idx, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col_idx)].width = min(width + 2, _MAX_WIDTH)
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)


def to_excel_bytes(frames: Mapping[str, pd.DataFrame], title: str | None = None) -> bytes:
    """One .xlsx with a sheet per frame (sheet name → frame), injection safe.

    `title`, when given, is written in bold above the header of every sheet.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
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
