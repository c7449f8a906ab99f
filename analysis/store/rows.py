"""Task and contribution frames <-> database rows (SPEC §4).

Storage form: text as text (missing: NULL), dates as ISO `YYYY-MM-DD` text,
coordinator lists as JSON text. Loading gives back exactly the dtypes of
`analysis.model`: `str` text, `datetime64[us]` dates, tuples for lists.
Loading is vectorised; the JSON lists are parsed once per distinct value.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.model import (
    CONTRIBUTION_COLUMNS,
    CONTRIBUTION_DATE_COLUMNS,
    DATE_DTYPE,
    TASK_COLUMNS,
    TASK_DATE_COLUMNS,
    TASK_LIST_COLUMNS,
)

TASK_TEXT_COLUMNS = tuple(c for c in TASK_COLUMNS
                          if c not in TASK_DATE_COLUMNS + TASK_LIST_COLUMNS + ("source_row",))
CONTRIBUTION_TEXT_COLUMNS = tuple(c for c in CONTRIBUTION_COLUMNS
                                  if c not in CONTRIBUTION_DATE_COLUMNS + ("source_row",))


# --- frame -> rows -------------------------------------------------------------------

def _nullable(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), None)


def _iso_dates(series: pd.Series) -> pd.Series:
    dates = pd.to_datetime(series)
    return _nullable(dates.dt.strftime("%Y-%m-%d"))


def _json_list(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return json.dumps(list(value), ensure_ascii=False)
    return "[]"


def _json_lists(series: pd.Series) -> pd.Series:
    cache: dict[Any, str] = {}

    def encode(value: Any) -> str:
        key = tuple(value) if isinstance(value, (tuple, list)) else ()
        if key not in cache:
            cache[key] = _json_list(key)
        return cache[key]

    return series.map(encode).astype(object)


def task_rows(tasks: pd.DataFrame, upload_id: int) -> list[dict[str, Any]]:
    return _rows(tasks, upload_id, TASK_TEXT_COLUMNS, TASK_LIST_COLUMNS, TASK_DATE_COLUMNS)


def contribution_rows(contributions: pd.DataFrame, upload_id: int) -> list[dict[str, Any]]:
    return _rows(contributions, upload_id, CONTRIBUTION_TEXT_COLUMNS, (),
                 CONTRIBUTION_DATE_COLUMNS)


def _rows(frame: pd.DataFrame, upload_id: int, text_columns: Sequence[str],
          list_columns: Sequence[str], date_columns: Sequence[str]) -> list[dict[str, Any]]:
    """Database rows of one upload: text as NULL-able str, lists as JSON, dates as ISO."""
    out = pd.DataFrame(index=frame.index)
    out["upload_id"] = upload_id
    for column in text_columns:
        out[column] = _nullable(frame[column])
    for column in list_columns:
        out[column] = _json_lists(frame[column])
    for column in date_columns:
        out[column] = _iso_dates(frame[column])
    out["source_row"] = frame["source_row"].astype("int64")
    records = out.to_dict("records")
    for record in records:  # numpy ints -> Python ints for every DB driver
        record["source_row"] = int(record["source_row"])
        record["upload_id"] = int(record["upload_id"])
    return records


# --- digest of an upload's stored rows (checked by `python -m analysis check`) -------

def rows_digest(task_values: Iterable[Sequence[Any]],
                contribution_values: Iterable[Sequence[Any]] = ()) -> str:
    """SHA-256 of one upload's rows as stored: task values in TASK_COLUMNS order, then
    contribution values in CONTRIBUTION_COLUMNS order (database values: str, int, None).

    Independent of the order the database returns them in: rows are sorted by
    source_row (the last column; one sheet row is one row), then task_id. The same
    function hashes the rows being written and the rows read back, so a changed,
    lost or added row changes the digest. JSON keeps the encoding unambiguous (rows
    may be lists or tuples, e.g. DB-API rows: both encode alike).
    """
    def key(values: Sequence[Any]) -> tuple[int, str]:
        return values[-1], values[0] or ""

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    parts = [sorted(task_values, key=key), sorted(contribution_values, key=key)]
    return hashlib.sha256(encode(parts).encode("utf-8")).hexdigest()


def record_values(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> list[list[Any]]:
    """The values of `task_rows`/`contribution_rows` records in `columns` order."""
    return [[record[c] for c in columns] for record in records]


# --- rows -> frame -------------------------------------------------------------------
# Columns are built from the raw values with factorize where values repeat (dates,
# departments, statuses, lists): each distinct value is parsed once, then `take`.

def _text(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype="str")


def _repeated_text(values: np.ndarray) -> pd.Series:
    codes, uniques = pd.factorize(values)
    if len(uniques) == 0:  # all NULL
        return pd.Series([None] * len(values), dtype="str")
    return pd.Series(pd.Series(uniques, dtype="str").array.take(codes, allow_fill=True))


def _dates(values: np.ndarray) -> pd.Series:
    codes, uniques = pd.factorize(values)
    if len(uniques) == 0:  # all NULL
        return pd.Series(pd.NaT, index=range(len(values)), dtype=DATE_DTYPE)
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object), format="%Y-%m-%d").astype(DATE_DTYPE)
    return pd.Series(parsed.array.take(codes, allow_fill=True))


def _lists(values: np.ndarray) -> pd.Series:
    codes, uniques = pd.factorize(values)
    parsed = np.empty(len(uniques) + 1, dtype=object)
    for i, text in enumerate(uniques):  # once per distinct list, not per task
        parsed[i] = tuple(json.loads(text))
    parsed[-1] = ()  # code -1: NULL in the database
    return pd.Series(parsed[codes], dtype=object)


_REPEATED = {"service", "lead_dept", "lead_person", "status", "status_text",
             "coord_dept", "coord_person", "rating", "reporting_month", "scope"}


def _matrix(rows: Sequence[Sequence[Any]], width: int) -> np.ndarray:
    matrix = np.empty((len(rows), width), dtype=object)
    if len(rows):
        matrix[:, :] = rows
    return matrix


def task_frame(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A task frame from database rows (TASK_COLUMNS first, then any extra columns).

    Extra columns: "upload_id" becomes int64, others text."""
    return _frame(rows, columns, TASK_COLUMNS, TASK_DATE_COLUMNS, TASK_LIST_COLUMNS)


def contribution_frame(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A contribution frame from database rows (CONTRIBUTION_COLUMNS first, then extras)."""
    return _frame(rows, columns, CONTRIBUTION_COLUMNS, CONTRIBUTION_DATE_COLUMNS, ())


def _frame(rows: Sequence[Sequence[Any]], columns: Sequence[str], model_columns: Sequence[str],
           date_columns: Sequence[str], list_columns: Sequence[str]) -> pd.DataFrame:
    matrix = _matrix(rows, len(columns))
    data: dict[str, pd.Series] = {}
    for column in [*model_columns, *(c for c in columns if c not in model_columns)]:
        values = matrix[:, list(columns).index(column)]
        if column in date_columns:
            data[column] = _dates(values)
        elif column in list_columns:
            data[column] = _lists(values)
        elif column in ("source_row", "upload_id"):
            data[column] = pd.Series(values.astype("int64"), dtype="int64")
        elif column in _REPEATED:
            data[column] = _repeated_text(values)
        else:
            data[column] = _text(values)
    return pd.DataFrame(data)
