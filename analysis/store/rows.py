"""Task and contribution frames <-> database rows (SPEC §4, item 6 of the brief).

Storage form: text as text (missing: NULL), dates as ISO `YYYY-MM-DD` text,
coordinator lists as JSON text. Loading gives back exactly the dtypes of
`analysis.model`: `str` text, `datetime64[us]` dates, tuples for lists.
Loading is vectorised; the JSON lists are parsed once per distinct value.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.model import (
    CONTRIBUTION_COLUMNS, CONTRIBUTION_DATE_COLUMNS, DATE_DTYPE, TASK_COLUMNS,
    TASK_DATE_COLUMNS, TASK_LIST_COLUMNS,
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
    out = pd.DataFrame(index=tasks.index)
    out["upload_id"] = upload_id
    for column in TASK_TEXT_COLUMNS:
        out[column] = _nullable(tasks[column])
    for column in TASK_LIST_COLUMNS:
        out[column] = _json_lists(tasks[column])
    for column in TASK_DATE_COLUMNS:
        out[column] = _iso_dates(tasks[column])
    out["source_row"] = tasks["source_row"].astype("int64")
    records = out.to_dict("records")
    for record in records:  # numpy ints -> Python ints for every DB driver
        record["source_row"] = int(record["source_row"])
        record["upload_id"] = int(record["upload_id"])
    return records


def contribution_rows(contributions: pd.DataFrame, upload_id: int) -> list[dict[str, Any]]:
    out = pd.DataFrame(index=contributions.index)
    out["upload_id"] = upload_id
    for column in CONTRIBUTION_TEXT_COLUMNS:
        out[column] = _nullable(contributions[column])
    for column in CONTRIBUTION_DATE_COLUMNS:
        out[column] = _iso_dates(contributions[column])
    out["source_row"] = contributions["source_row"].astype("int64")
    records = out.to_dict("records")
    for record in records:
        record["source_row"] = int(record["source_row"])
        record["upload_id"] = int(record["upload_id"])
    return records


# --- rows -> frame -------------------------------------------------------------------

def _text(values: pd.Series) -> pd.Series:
    return values.astype("str")


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%Y-%m-%d").astype(DATE_DTYPE)


def _lists(values: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(values.fillna("[]"))
    parsed = np.empty(len(uniques), dtype=object)
    for i, text in enumerate(uniques):  # once per distinct list, not per task
        parsed[i] = tuple(json.loads(text))
    if len(values) == 0:
        return pd.Series([], index=values.index, dtype=object)
    return pd.Series(parsed[codes], index=values.index, dtype=object)


def task_frame(rows: Sequence[Sequence[Any]] | Iterable[Any], columns: Sequence[str]) -> pd.DataFrame:
    """Build a task frame (TASK_COLUMNS first, then any extra columns as given)."""
    raw = pd.DataFrame.from_records(list(rows), columns=list(columns))
    frame = pd.DataFrame(index=raw.index)
    for column in TASK_COLUMNS:
        if column in TASK_DATE_COLUMNS:
            frame[column] = _dates(raw[column])
        elif column in TASK_LIST_COLUMNS:
            frame[column] = _lists(raw[column])
        elif column == "source_row":
            frame[column] = raw[column].astype("int64")
        else:
            frame[column] = _text(raw[column])
    for column in columns:
        if column not in TASK_COLUMNS:
            frame[column] = raw[column]
    return frame


def contribution_frame(rows: Iterable[Any], columns: Sequence[str]) -> pd.DataFrame:
    raw = pd.DataFrame.from_records(list(rows), columns=list(columns))
    frame = pd.DataFrame(index=raw.index)
    for column in CONTRIBUTION_COLUMNS:
        if column in CONTRIBUTION_DATE_COLUMNS:
            frame[column] = _dates(raw[column])
        elif column == "source_row":
            frame[column] = raw[column].astype("int64")
        else:
            frame[column] = _text(raw[column])
    for column in columns:
        if column not in CONTRIBUTION_COLUMNS:
            frame[column] = raw[column]
    return frame
