"""Consolidated tasks and the history between months (SPEC §4.3).

Which uploads count: the current version of every scope+month; sample uploads only
while no real upload exists (after the first real one, figures exclude samples).

Consolidated tasks: for each task_id, the row from the latest reporting month among
those uploads; ties (two uploads of the same month, e.g. a department's and the
center's) go to the latest upload. Built in pandas from each upload's frames
(`frames.py`: a columnar copy of its rows, the fast path), stacked newest first.

History (`task_changes`): the appearances of a task_id, one per reporting month
(latest upload of that month), compared in month order:
- "extension" (gia hạn): the due_date moved between two consecutive appearances
  (both present, different; old/new are ISO dates);
- "reassignment" (chuyển chủ trì): the lead_dept changed (compared on the
  case/diacritics-insensitive key; old/new are the department names);
- "vanished": an open task (not done, not cancelled) of month M does not appear in
  any upload of month M+1 although its log for M+1 exists, i.e. a current upload for
  M+1 with the scope the task came from or the scope of its lead_dept;
  old = its lead_dept, new = empty; month = M+1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, false, select

from analysis.fields import CANCELLED, DONE, match_key
from analysis.model import CONTRIBUTION_COLUMNS, TASK_COLUMNS, empty_contributions, task_positions
from analysis.periods import month_at, month_index

from . import frames, schema
from .catalogue import CENTER

EXTRA_COLUMNS = ("reporting_month", "upload_id", "scope")
CHANGE_COLUMNS = ("task_id", "kind", "month", "old", "new", "lead_dept")


def has_real_data(conn: Connection) -> bool:
    u = schema.uploads
    return conn.execute(select(u.c.id).where(u.c.is_sample == false()).limit(1)).first() is not None


def included_uploads(conn: Connection) -> pd.DataFrame:
    """The current uploads that count in the figures (samples only while no real data):
    id, month, scope, has_contributions, one row each, by id."""
    u, c = schema.uploads, schema.current_uploads
    query = (select(u.c.id, u.c.month, u.c.scope, u.c.has_contributions)
             .select_from(u.join(c, c.c.upload_id == u.c.id)).order_by(u.c.id))
    if has_real_data(conn):
        query = query.where(u.c.is_sample == false())
    rows = conn.execute(query).all()
    return pd.DataFrame.from_records(rows, columns=["id", "month", "scope", "has_contributions"])


@dataclass(frozen=True)
class Loaded:
    """One read of the uploads that count: what consolidation and history are built from.

    included: `included_uploads` (by id);
    stacked: every task row of those uploads, by upload then by row, with
      reporting_month, upload_id and scope;
    sheet_rows: every "Phối hợp" row of those uploads, by upload, with its upload_id
      (None when not read or when none has that sheet).
    """

    included: pd.DataFrame
    stacked: pd.DataFrame
    sheet_rows: pd.DataFrame | None

    @property
    def has_sheets(self) -> bool:
        return bool(self.included["has_contributions"].astype(bool).any())


def load(conn: Connection, contributions: bool = True) -> Loaded:
    """Read the included uploads' columnar copies once (`frames.load_tables`, the fast
    path), concatenated as Arrow tables and converted to frames once."""
    included = included_uploads(conn)
    tables = frames.load_tables(conn, included["id"], contributions)
    ids = included["id"].tolist()
    stacked = _with_upload(frames.to_frame(frames.concat([tables[i][0] for i in ids])),
                           included, [tables[i][0].num_rows for i in ids])
    sheets = [(i, tables[i][1]) for i in ids if tables[i][1] is not None]
    sheet_rows = None
    if contributions and sheets:
        sheet_rows = frames.to_frame(frames.concat([t for _, t in sheets], frames.CONTRIBUTIONS),
                                     frames.CONTRIBUTIONS)
        sheet_rows["upload_id"] = np.repeat([i for i, _ in sheets],
                                            [t.num_rows for _, t in sheets]).astype("int64")
    return Loaded(included, stacked, sheet_rows)


def _with_upload(stacked: pd.DataFrame, included: pd.DataFrame, sizes: list[int]) -> pd.DataFrame:
    """The stacked task rows with the reporting_month, upload_id and scope of their upload."""
    return stacked.assign(
        reporting_month=pd.Series(np.repeat(included["month"].to_numpy(dtype=object), sizes),
                                  dtype="str"),
        upload_id=np.repeat(included["id"].to_numpy(dtype="int64"), sizes),
        scope=pd.Series(np.repeat(included["scope"].to_numpy(dtype=object), sizes), dtype="str"))


def latest_rows(stacked: pd.DataFrame) -> np.ndarray:
    """Positions in `stacked` of each task_id's row from the latest reporting month, ties
    to the latest upload (SPEC §4.3), ascending (so in upload, then row order).

    One sort of integer keys (task, month, upload) instead of sorting the frame."""
    if stacked.empty:
        return np.zeros(0, dtype=np.int64)
    task = pd.factorize(stacked["task_id"])[0]
    month = pd.factorize(stacked["reporting_month"], sort=True)[0]
    order = np.lexsort((stacked["upload_id"].to_numpy(), month, task))
    last_of_task = np.r_[task[order][1:] != task[order][:-1], True]
    return np.sort(order[last_of_task])


def consolidated(conn: Connection, contributions: bool = True
                 ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(tasks, contributions) from one read of the included uploads' frames."""
    return consolidate(load(conn, contributions), contributions)


def consolidate(loaded: Loaded, contributions: bool = True
                ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(tasks, contributions) of a `Loaded`.

    tasks: for each task_id the row from the latest reporting month, ties to the latest
    upload (SPEC §4.3); ordered by upload, then by the row's place in its file.
    contributions: the "Phối hợp" rows of the upload each of those rows comes from;
    None when no included upload has that sheet (or contributions=False).
    """
    latest = loaded.stacked.take(latest_rows(loaded.stacked))
    tasks = latest[[*TASK_COLUMNS, *EXTRA_COLUMNS]].reset_index(drop=True)
    if not contributions or not loaded.has_sheets:
        return tasks, None
    rows = loaded.sheet_rows
    if rows is None or rows.empty:
        return tasks, empty_contributions()
    owner = rows["upload_id"].to_numpy()
    at = task_positions(tasks["task_id"], rows["task_id"])
    known = ~np.isnan(at)
    keep = np.zeros(len(rows), dtype=bool)
    keep[known] = tasks["upload_id"].to_numpy()[at[known].astype(np.int64)] == owner[known]
    return tasks, rows[keep][list(CONTRIBUTION_COLUMNS)].reset_index(drop=True)


def consolidated_tasks(conn: Connection) -> pd.DataFrame:
    return consolidated(conn, contributions=False)[0]


def consolidated_contributions(conn: Connection) -> pd.DataFrame | None:
    return consolidated(conn)[1]


def named_departments(loaded: Loaded) -> list[str]:
    """Every department the included uploads name: as scope, lead or coordinator (task
    columns and "Phối hợp" sheets), one spelling per name (the first met), sorted."""
    names: dict[str, str] = {}

    def add(values) -> None:
        for name in values:
            if isinstance(name, str) and name.strip():
                names.setdefault(match_key(name), name)

    stacked = loaded.stacked
    add(s for s in loaded.included["scope"] if match_key(str(s)) != CENTER)
    add(pd.unique(stacked["lead_dept"].dropna()))
    for group in pd.unique(stacked["coord_depts"]):  # a few distinct tuples, not every row
        add(group)
    if loaded.sheet_rows is not None:
        add(pd.unique(loaded.sheet_rows["coord_dept"].dropna()))
    return sorted(names.values())


def _empty_changes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in CHANGE_COLUMNS})


def task_changes(conn: Connection) -> pd.DataFrame:
    return changes(load(conn, contributions=False))


def changes(loaded: Loaded) -> pd.DataFrame:
    """The history between months (see the module docstring) of a `Loaded`.

    On integer codes (task, month, department key), not on text: 100 000 rows in a few
    hundredths of a second."""
    included, stacked = loaded.included, loaded.stacked
    if stacked.empty:
        return _empty_changes()
    task = pd.factorize(stacked["task_id"], sort=True)[0]
    month = _month_numbers(stacked["reporting_month"])
    # Department names and upload scopes compared on one key space (match_key).
    keys = _KeySpace()
    lead_key = keys.codes(stacked["lead_dept"])
    scope_key = keys.codes(stacked["scope"])
    # One appearance per task and month: the latest upload of that month; by task, month.
    order = np.lexsort((stacked["upload_id"].to_numpy(), month, task))
    last = np.r_[(task[order][1:] != task[order][:-1]) | (month[order][1:] != month[order][:-1]),
                 True]
    rows = order[last]
    t, m = task[rows], month[rows]
    same = np.r_[False, t[1:] == t[:-1]]  # the task appeared in an earlier month
    prev = np.r_[0, np.arange(len(rows) - 1)]
    due = stacked["due_date"].to_numpy(dtype="datetime64[us]")[rows]
    moved = same & ~np.isnat(due) & ~np.isnat(due[prev]) & (due != due[prev])
    lead = lead_key[rows]
    handed = same & (lead != keys.empty) & (lead[prev] != keys.empty) & (lead != lead[prev])
    # Vanished: open at month M, absent from every upload of M+1 although its log of M+1
    # exists (the scope it came from, or its lead department's).
    status = stacked["status"].to_numpy(dtype=object)[rows]
    still_open = ~np.isin(status, [DONE, CANCELLED])
    width = int(m.max(initial=0)) + 2
    present = np.isin(t * width + m + 1, t * width + m)
    log_months = _month_numbers(included["month"])
    logs = keys.codes(included["scope"]) * width + log_months
    has_log = np.isin(scope_key[rows] * width + m + 1, logs) | np.isin(lead * width + m + 1, logs)
    gone = still_open & ~present & has_log

    def text(column: str, where: np.ndarray) -> np.ndarray:  # only the rows reported
        return stacked[column].take(rows[where]).to_numpy(dtype=object, na_value=None)

    def iso(where: np.ndarray) -> np.ndarray:
        return pd.Series(due[where]).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)

    next_month = {n: month_at(n + 1) for n in np.unique(m[gone]).tolist()}
    parts = [
        pd.DataFrame({"task_id": text("task_id", moved), "kind": "extension",
                      "month": text("reporting_month", moved), "old": iso(prev[moved]),
                      "new": iso(moved), "lead_dept": text("lead_dept", moved)}),
        pd.DataFrame({"task_id": text("task_id", handed), "kind": "reassignment",
                      "month": text("reporting_month", handed),
                      "old": stacked["lead_dept"].take(rows[prev[handed]]).to_numpy(
                          dtype=object, na_value=None),
                      "new": text("lead_dept", handed), "lead_dept": text("lead_dept", handed)}),
        pd.DataFrame({"task_id": text("task_id", gone), "kind": "vanished",
                      "month": [next_month[n] for n in m[gone].tolist()],
                      "old": text("lead_dept", gone), "new": None,
                      "lead_dept": text("lead_dept", gone)}),
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty_changes()
    result = pd.concat(parts, ignore_index=True)
    for column in CHANGE_COLUMNS:
        result[column] = result[column].astype("str")
    return (result.sort_values(["month", "task_id", "kind"], kind="stable")
            .reset_index(drop=True)[list(CHANGE_COLUMNS)])


def _month_numbers(months: pd.Series) -> np.ndarray:
    """"YYYY-MM" as consecutive integers (`periods.month_index`), once per distinct month."""
    codes, distinct = pd.factorize(months)
    return np.array([month_index(str(m)) for m in distinct], dtype=np.int64)[codes]


class _KeySpace:
    """Integer codes of `match_key`s shared by several columns (missing or empty: `empty`)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {"": 0}
        self.empty = 0

    def codes(self, values: pd.Series) -> np.ndarray:
        codes, distinct = pd.factorize(values.fillna(""))
        ids = np.array([self._ids.setdefault(match_key(str(v)), len(self._ids))
                        for v in distinct] + [0], dtype=np.int64)
        return ids[codes]
