"""Raw cells → typed columns (SPEC §2.1): text, lists, dates, statuses, services.

Input columns are object Series straight from the spreadsheet reader (str, float,
int, bool, datetime, date; "" for an empty cell). Everything here works on whole
columns: a value is converted once per distinct value of its column (a log repeats
the same departments, people, statuses and dates thousands of times), dates by
regular expressions over the column.

Parsing never judges: it returns the typed values plus masks saying which cells
could not be read, and `validation` turns those into problems.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.fields import (
    CONTRIBUTION_RATINGS,
    DATE,
    DONE,
    FIELD_BY_NAME,
    LIST,
    OPEN,
    OTHER_SERVICE,
    SERVICE_KEYS,
    STATUS_WORDS,
    clean_text,
    match_key,
)
from analysis.model import CONTRIBUTION_COLUMNS, CONTRIBUTION_DATE_COLUMNS, DATE_DTYPE, TASK_COLUMNS

# Excel error values a cell can show instead of a value.
EXCEL_ERRORS = frozenset({
    "#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
    "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#BUSY!", "#CONNECT!",
    "#UNKNOWN!",
})

# Excel serial numbers are read as dates only within 1950-01-01 .. 2099-12-31: a task log
# has no earlier or later date, and a stray small number ("15") must not become 1900.
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
SERIAL_MIN = (pd.Timestamp("1950-01-01") - EXCEL_EPOCH).days
SERIAL_MAX = (pd.Timestamp("2099-12-31") - EXCEL_EPOCH).days

_LIST_SEPARATORS = re.compile(r"[;,\r\n]+")
# A cell without any letter or digit ("-", "—", "...", "/") carries no value: it is empty.
_HAS_VALUE = re.compile(r"[^\W_]")

# A time part after a date: 14:30, 14:30:05, 02:32:24 PM, 2:32 CH (Vietnamese PM),
# 2026-11-05T14:30:00.000Z, +07:00 offsets. It is dropped: figures work on days.
_TIME = (r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
         r"(?:\s*(?:[AaPp]\.?\s*[Mm]\.?|SA|CH|sa|ch))?"
         r"(?:\s*(?:Z|[+-]\d{2}(?::?\d{2})?))?)?")
_SEP = r"\s*[/.\-]\s*"
_DATE_TEXT = re.compile(
    rf"^(?:(?P<a>\d{{1,2}}){_SEP}(?P<b>\d{{1,2}}){_SEP}(?P<y>\d{{4}}|\d{{2}})"
    rf"|(?P<iy>\d{{4}})\s*[/.\-]\s*(?P<im>\d{{1,2}})\s*[/.\-]\s*(?P<id>\d{{1,2}})){_TIME}$"
)
_SERIAL_TEXT = re.compile(r"^\d{4,5}(?:[.,]\d+)?$")

# Excel holds at most this many characters in a cell (SPEC §2.3): a longer text was not
# typed in Excel, and is an error naming its cell.
CELL_TEXT_LIMIT = 32_767


# --- text ------------------------------------------------------------------------------

def per_distinct(raw: pd.Series, convert, missing) -> pd.Series:
    """Apply `convert` to each distinct cell value once and spread the results back.

    A task log repeats the same departments, people, statuses and dates thousands of
    times; converting each distinct value once keeps reading fast on big files.
    `missing` fills empty (None/NaN) cells."""
    codes, uniques = pd.factorize(raw.to_numpy(dtype=object), use_na_sentinel=True)
    converted = np.empty(len(uniques) + 1, dtype=object)
    converted[:-1] = [convert(value) for value in uniques] if len(uniques) else []
    converted[-1] = missing
    return pd.Series(converted[codes], index=raw.index, dtype=object)


def cell_text(value) -> str:
    """One cell as text exactly as the user typed it, cleaned (NFC, trimmed, inner
    whitespace collapsed). Whole numbers typed in Excel come back as floats: 7.0 → "7";
    text such as "007" is kept."""
    if isinstance(value, str):  # the same as fields.clean_text, a little faster
        text = " ".join(unicodedata.normalize("NFC", value).split())
        return text if _HAS_VALUE.search(text) else ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return clean_text(str(value))


def to_text(raw: pd.Series) -> pd.Series:
    """Any cells → cleaned text (`cell_text`), None when empty (object dtype: the
    final frame converts once to the `str` dtype)."""
    codes, _, cleaned = _distinct_text(raw)
    return pd.Series(cleaned[codes], index=raw.index, dtype=object)


def _distinct_text(raw: pd.Series) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """(codes, distinct raw values, their cleaned text + a final None): the cell i
    is distinct value codes[i] (-1, i.e. the final None, when empty). One factorize
    serves the text, the Excel error flags and the list split of a column. A mostly
    distinct column is not grouped: codes 0..n-1 and no distinct values (None)."""
    values = raw.to_numpy(dtype=object)
    if _mostly_distinct(values):  # IDs, titles: grouping equal values would not pay
        codes, uniques, cleaning = np.arange(len(values)), None, values
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        cleaning = uniques
    cleaned = np.empty(len(cleaning) + 1, dtype=object)
    cleaned[:-1] = _clean_all(cleaning)
    cleaned[-1] = None
    return codes, uniques, cleaned


def _clean_all(values) -> list:
    # The common case inlined (a text cell): NFC, whitespace collapsed, "" -> None.
    normalize, has_value = unicodedata.normalize, _HAS_VALUE.search
    texts = [(" ".join(normalize("NFC", v).split()) if type(v) is str
              else (None if v is None or v != v else cell_text(v))) for v in values]
    # A first letter or digit already proves a value (the regex only for the rest).
    return [t if t and (t[0].isalnum() or has_value(t)) else None for t in texts]


def _mostly_distinct(values: np.ndarray, sample: int = 2000) -> bool:
    if len(values) < 4 * sample:
        return False
    head = values[:sample]
    try:
        return len(set(head.tolist())) > sample * 3 // 4
    except TypeError:  # unhashable: cannot happen with spreadsheet cells, stay safe
        return False


def longer_than(values, limit: int) -> np.ndarray:
    """Which of `values` (texts, None for empty) have more than `limit` characters."""
    lengths = np.fromiter(map(len, (v or "" for v in values)), dtype=np.int64, count=len(values))
    return lengths > limit


def str_column(codes: np.ndarray, values: np.ndarray, index: pd.Index) -> pd.Series:
    """The `str` Series of values[codes] (values: distinct texts ending in None, for
    code -1), built by arrow from the distinct values: converting every cell costs
    ~3x more on a column of 100k repeated names."""
    if len(values) > len(codes):  # as many values as cells: nothing to gain
        return pd.Series(values[codes], index=index, dtype=object).astype("str")
    distinct = pa.array(values, type=pa.large_string(), from_pandas=True)
    taken = distinct.take(pa.array(np.where(codes < 0, len(values) - 1, codes)))
    return pd.Series(pd.array(taken, dtype="str"), index=index)


def to_list(raw: pd.Series) -> pd.Series:
    """List cells: split on ; , and line breaks; parts cleaned like text, empty parts
    dropped, duplicates removed (first kept). Empty cell → empty tuple."""
    return per_distinct(raw, _split_unique, ())


def _split_unique(value) -> tuple[str, ...]:
    cell = unicodedata.normalize("NFC", value) if isinstance(value, str) else cell_text(value)
    parts = (" ".join(part.split()) for part in _LIST_SEPARATORS.split(cell))
    return tuple(dict.fromkeys(part for part in parts if _HAS_VALUE.search(part)))


def excel_error_mask(text: pd.Series) -> pd.Series:
    """Cells that hold an Excel error value such as #N/A or #REF!."""
    return text.isin(EXCEL_ERRORS).astype(bool)


# --- dates -----------------------------------------------------------------------------

@dataclass
class DateColumn:
    """One date column, half parsed: fixed dates, plus day/month parts still waiting
    for the per-file month-first decision."""

    text: pd.Series  # the cell as text (for problem values)
    fixed: pd.Series  # datetime64: dates from date cells, serial numbers, ISO text
    first: pd.Series  # float: first number of a d/m/y text date (NaN otherwise)
    second: pd.Series  # float: second number of a d/m/y text date
    year: pd.Series  # float: year of a d/m/y text date (yy already made 20yy)
    excel_error: pd.Series  # bool


def looks_like_date(text: str) -> bool:
    """A text that reads as a date (d/m/y or ISO, with or without time)."""
    return _DATE_TEXT.match(" ".join(text.split())) is not None


def extract_dates(raw: pd.Series) -> DateColumn:
    """Split a raw date column into what can be read now and the d/m/y text parts.

    The work is done once per distinct cell value, then spread back to the rows."""
    codes, uniques = pd.factorize(raw.to_numpy(dtype=object), use_na_sentinel=True)
    distinct = _extract_distinct(pd.Series(uniques, dtype=object))

    def spread(values: pd.Series, fill) -> pd.Series:
        array = values.to_numpy()
        extended = np.append(array, np.array([fill], dtype=array.dtype))
        return pd.Series(extended[codes], index=raw.index, dtype=values.dtype)

    return DateColumn(
        text=spread(distinct.text, None),
        fixed=spread(distinct.fixed, np.datetime64("NaT", "us")),
        first=spread(distinct.first, np.nan), second=spread(distinct.second, np.nan),
        year=spread(distinct.year, np.nan),
        excel_error=spread(distinct.excel_error, False).astype(bool),
    )


def _extract_distinct(raw: pd.Series) -> DateColumn:
    index = raw.index
    kinds = raw.map(type)
    fixed = pd.Series(pd.NaT, index=index, dtype=DATE_DTYPE)

    is_cell_date = kinds.isin([dt.datetime, dt.date, pd.Timestamp])
    if is_cell_date.any():
        cell_dates = pd.to_datetime(raw[is_cell_date].tolist()).as_unit("us").normalize()
        fixed[is_cell_date] = cell_dates.to_numpy()

    is_number = kinds.isin([float, int])
    if is_number.any():
        fixed[is_number] = _serial_dates(raw[is_number].astype(float)).to_numpy()

    text = to_text(raw)
    is_text = (kinds == str) & text.notna()
    first = pd.Series(np.nan, index=index)
    second = first.copy()
    year = first.copy()
    if is_text.any():
        strings = text[is_text]
        parts = strings.str.extract(_DATE_TEXT)
        iso = parts["iy"].notna()
        if iso.any():
            fixed[iso[iso].index] = _build_dates(
                parts.loc[iso, "iy"], parts.loc[iso, "im"], parts.loc[iso, "id"]).to_numpy()
        dmy = parts["a"].notna()
        if dmy.any():
            first[dmy[dmy].index] = parts.loc[dmy, "a"].astype(float).to_numpy()
            second[dmy[dmy].index] = parts.loc[dmy, "b"].astype(float).to_numpy()
            years = parts.loc[dmy, "y"].astype(float)
            year[dmy[dmy].index] = years.where(years >= 100, years + 2000).to_numpy()
        serial = ~iso & ~dmy & strings.str.fullmatch(_SERIAL_TEXT).fillna(False).astype(bool)
        if serial.any():
            numbers = strings[serial].str.replace(",", ".", regex=False).astype(float)
            fixed[serial[serial].index] = _serial_dates(numbers).to_numpy()
    return DateColumn(text=text, fixed=fixed, first=first, second=second, year=year,
                      excel_error=excel_error_mask(text))


def proves_month_first(columns: list[DateColumn]) -> bool:
    """SPEC §2.1: over all d/m/y text dates of the file together, some second part
    above 12 and no first part above 12 → the file is month-first."""
    firsts = pd.concat([c.first for c in columns]) if columns else pd.Series(dtype=float)
    seconds = pd.concat([c.second for c in columns]) if columns else pd.Series(dtype=float)
    return bool((seconds > 12).any() and not (firsts > 12).any())


def resolve_dates(column: DateColumn, month_first: bool) -> tuple[pd.Series, pd.Series]:
    """(dates at midnight, unreadable mask). Unreadable: a non-empty cell that is no
    date (Excel error values are reported apart, so they are not in the mask)."""
    dates = column.fixed.copy()
    dmy = column.first.notna()
    if dmy.any():
        day, month = (column.second, column.first) if month_first else (column.first, column.second)
        dates[dmy] = _build_dates(column.year[dmy], month[dmy], day[dmy]).to_numpy()
    unreadable = column.text.notna() & dates.isna() & ~column.excel_error
    return dates, unreadable


def _build_dates(year, month, day) -> pd.Series:
    parts = pd.DataFrame({"year": pd.to_numeric(year), "month": pd.to_numeric(month),
                          "day": pd.to_numeric(day)})
    return pd.to_datetime(parts, errors="coerce").astype(DATE_DTYPE)


def _serial_dates(serials: pd.Series) -> pd.Series:
    valid = serials.between(SERIAL_MIN, SERIAL_MAX + 0.99999)
    days = np.floor(serials.where(valid))
    dates = EXCEL_EPOCH + pd.to_timedelta(days, unit="D")
    return dates.astype(DATE_DTYPE)


# --- statuses and services ----------------------------------------------------------------

def parse_status(status_text: pd.Series, done_date: pd.Series, distinct=None
                 ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """SPEC §2.1 statuses. Returns (status, known_status, unknown mask).

    `known_status` is what the typed word means (NA when empty or unknown). `status`
    is the one the figures use: the word's meaning, else done when there is a
    done_date, else open; an open word with a done_date is done (done_date wins,
    SPEC §2.3; validation warns about it). `distinct`: see `_lookup_distinct`."""
    index = status_text.index
    known = _lookup_distinct(status_text, lambda text: STATUS_WORDS.get(match_key(text)), distinct)
    has_done = done_date.notna().to_numpy()
    is_known = known != None  # noqa: E711 (element-wise on an object array)
    status = np.where(is_known, known, np.where(has_done, DONE, OPEN))
    status[(known == OPEN) & has_done] = DONE
    unknown = status_text.notna().to_numpy() & ~is_known
    return (pd.Series(status, index=index, dtype="str"), pd.Series(known, index=index, dtype=object),
            pd.Series(unknown, index=index))


def parse_service(text: pd.Series, distinct=None) -> tuple[pd.Series, pd.Series]:
    """Canonical service label (diacritics-insensitive); empty → Khác silently,
    unknown → Khác and flagged. `distinct`: see `_lookup_distinct`."""
    service = _lookup_distinct(text, lambda value: SERVICE_KEYS.get(match_key(value)), distinct)
    is_known = service != None  # noqa: E711 (element-wise on an object array)
    unknown = text.notna().to_numpy() & ~is_known
    return (pd.Series(np.where(is_known, service, OTHER_SERVICE), index=text.index, dtype="str"),
            pd.Series(unknown, index=text.index))


def _lookup_distinct(text: pd.Series, convert, distinct=None) -> np.ndarray:
    """`convert` of each distinct non-empty text, spread back (object array; None for
    an empty cell and where `convert` gives None). One factorize, no Series.map.

    `distinct`: (codes, values) with `text` == values[codes] (values ending in None,
    for code -1) when the caller has factorized the column already."""
    if distinct is not None:
        codes, values = distinct
        converted = np.empty(len(values), dtype=object)
        converted[:] = [None if value is None else convert(value) for value in values]
        return converted[codes]
    codes, uniques = pd.factorize(text.to_numpy(dtype=object), use_na_sentinel=True)
    converted = np.empty(len(uniques) + 1, dtype=object)
    converted[:-1] = [convert(value) for value in uniques] if len(uniques) else []
    converted[-1] = None
    return converted[codes]


# --- a whole task sheet --------------------------------------------------------------------

@dataclass
class ParsedTasks:
    """The typed task frame plus what validation needs to explain problems.

    Every Series shares the index of `tasks`."""

    tasks: pd.DataFrame  # TASK_COLUMNS
    text: dict[str, pd.Series]  # cleaned cell text per present column (problem values)
    excel_errors: dict[str, pd.Series]  # bool per present column
    unreadable_dates: dict[str, pd.Series]  # bool per present date column
    status_known: pd.Series  # what the typed status word means (NA: empty/unknown)
    status_unknown: pd.Series  # bool
    service_unknown: pd.Series  # bool
    too_long: dict[str, pd.Series] = None  # bool per text column with a cell over CELL_TEXT_LIMIT

    def subset(self, mask: pd.Series) -> ParsedTasks:
        def take(series: pd.Series) -> pd.Series:
            return series[mask].reset_index(drop=True)
        return ParsedTasks(
            tasks=self.tasks[mask].reset_index(drop=True),
            text={k: take(v) for k, v in self.text.items()},
            excel_errors={k: take(v) for k, v in self.excel_errors.items()},
            unreadable_dates={k: take(v) for k, v in self.unreadable_dates.items()},
            status_known=take(self.status_known),
            status_unknown=take(self.status_unknown),
            service_unknown=take(self.service_unknown),
            too_long={k: take(v) for k, v in (self.too_long or {}).items()},
        )


def parse_tasks(raw: dict[str, pd.Series], dates: dict[str, DateColumn], month_first: bool,
                source_rows: np.ndarray) -> ParsedTasks:
    """Typed task columns from raw columns (field -> cells) of the present fields.

    `dates` holds the extracted date columns (`extract_dates`) of the present date
    fields; `source_rows` the Excel row number of each row."""
    index = pd.RangeIndex(len(source_rows))
    empty_text = pd.Series(None, index=index, dtype=object)
    columns: dict[str, pd.Series] = {}
    text: dict[str, pd.Series] = {}
    errors: dict[str, pd.Series] = {}
    unreadable: dict[str, pd.Series] = {}
    distinct: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # (codes, values) of text columns
    too_long: dict[str, pd.Series] = {}
    for name, field_def in FIELD_BY_NAME.items():
        if field_def.kind == DATE:
            if name in dates:
                columns[name], unreadable[name] = resolve_dates(dates[name], month_first)
                text[name], errors[name] = dates[name].text, dates[name].excel_error
            else:
                columns[name] = pd.Series(pd.NaT, index=index, dtype=DATE_DTYPE)
            continue
        if name not in raw:
            columns[name] = (pd.Series([()] * len(index), index=index, dtype=object)
                             if field_def.kind == LIST else empty_text)
            continue
        codes, uniques, cleaned = _distinct_text(raw[name])
        text[name] = pd.Series(cleaned[codes], index=index, dtype=object)
        long_values = longer_than(cleaned, CELL_TEXT_LIMIT)
        if long_values.any():
            too_long[name] = pd.Series(long_values[codes], index=index)
        is_error = np.fromiter((t in EXCEL_ERRORS for t in cleaned), dtype=bool, count=len(cleaned))
        errors[name] = pd.Series(is_error[codes], index=index)
        has_errors = bool(errors[name].any())
        if field_def.kind == LIST and uniques is None:
            lists = to_list(raw[name])
        elif field_def.kind == LIST:  # split from the raw values: a line break separates items
            split = np.empty(len(uniques) + 1, dtype=object)
            split[:-1] = [_split_unique(value) for value in uniques]
            split[-1] = ()
            lists = pd.Series(split[codes], index=index, dtype=object)
        if field_def.kind == LIST:
            columns[name] = (lists.where(~errors[name], pd.Series([()] * len(index), index=index))
                             if has_errors else lists)
        else:
            columns[name] = text[name].where(~errors[name], None) if has_errors else text[name]
            distinct[name] = (codes, np.where(is_error, None, cleaned) if has_errors else cleaned)

    status_text = columns["status"]
    status, known, status_unknown = parse_status(status_text, columns["done_date"],
                                                 distinct.get("status"))
    service_text = columns["service"]
    service, service_unknown = parse_service(service_text, distinct.get("service"))
    distinct["status_text"] = distinct.pop("status", None)
    columns.update(status=status, status_text=status_text, service=service,
                   source_row=pd.Series(source_rows, index=index, dtype="int64"))
    for name in ("task_id", "title", "lead_dept", "lead_person", "status_text", "note"):
        columns[name] = (str_column(*distinct[name], index) if distinct.get(name) is not None
                         else columns[name].astype("str"))
    tasks = pd.DataFrame({name: columns[name] for name in TASK_COLUMNS}, index=index)
    return ParsedTasks(tasks=tasks, text=text, excel_errors=errors, unreadable_dates=unreadable,
                       too_long=too_long,
                       status_known=known, status_unknown=status_unknown,
                       service_unknown=service_unknown)


# --- the "Phối hợp" sheet (SPEC §2.2) ------------------------------------------------------

@dataclass
class ParsedContributions:
    frame: pd.DataFrame  # CONTRIBUTION_COLUMNS, data rows only
    text: dict[str, pd.Series]
    excel_errors: dict[str, pd.Series]
    unreadable_dates: dict[str, pd.Series]
    rating_unknown: pd.Series
    too_long: dict[str, pd.Series]  # bool per text column with a cell over CELL_TEXT_LIMIT


def parse_contributions(raw: dict[str, pd.Series], dates: dict[str, DateColumn],
                        month_first: bool, source_rows: np.ndarray) -> ParsedContributions:
    index = pd.RangeIndex(len(source_rows))
    columns, text, errors, unreadable = {}, {}, {}, {}
    for name in ("task_id", "coord_dept", "coord_person", "rating"):
        if name in raw:
            text[name] = to_text(raw[name])
            errors[name] = excel_error_mask(text[name])
            columns[name] = text[name].where(~errors[name], None)
        else:
            columns[name] = pd.Series(None, index=index, dtype=object)
    for name in CONTRIBUTION_DATE_COLUMNS:
        if name in dates:
            columns[name], unreadable[name] = resolve_dates(dates[name], month_first)
            text[name], errors[name] = dates[name].text, dates[name].excel_error
        else:
            columns[name] = pd.Series(pd.NaT, index=index, dtype=DATE_DTYPE)
    ratings = {match_key(r): r for r in CONTRIBUTION_RATINGS}
    lookup = {v: ratings.get(match_key(v)) for v in columns["rating"].dropna().unique()}
    canonical = columns["rating"].map(lookup).astype(object)
    rating_unknown = columns["rating"].notna() & canonical.isna()
    columns["rating"] = canonical.where(canonical.notna(), columns["rating"])
    for name in ("task_id", "coord_dept", "coord_person", "rating"):
        columns[name] = columns[name].astype("str")
    columns["source_row"] = pd.Series(source_rows, index=index, dtype="int64")
    frame = pd.DataFrame({c: columns[c] for c in CONTRIBUTION_COLUMNS}, index=index)

    # A data row names a task, a coordinator or a date; blank and signature rows are dropped.
    present = [v.notna() for k, v in text.items()]
    is_data = (pd.concat(present, axis=1).any(axis=1) if present
               else pd.Series(False, index=index))

    def take(series: pd.Series) -> pd.Series:
        return series[is_data].reset_index(drop=True)
    return ParsedContributions(
        frame=frame[is_data].reset_index(drop=True),
        text={k: take(v) for k, v in text.items()},
        excel_errors={k: take(v) for k, v in errors.items()},
        unreadable_dates={k: take(v) for k, v in unreadable.items()},
        rating_unknown=take(rating_unknown),
        too_long={k: take(pd.Series(longer_than(v.to_numpy(), CELL_TEXT_LIMIT), index=index))
                  for k, v in text.items()
                  if k not in CONTRIBUTION_DATE_COLUMNS
                  and longer_than(v.to_numpy(), CELL_TEXT_LIMIT).any()},
    )
