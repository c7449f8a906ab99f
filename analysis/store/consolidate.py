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
from analysis.model import (CONTRIBUTION_COLUMNS, TASK_COLUMNS, empty_contributions, empty_tasks,
                            task_positions)
from analysis.periods import next_months

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
    sheets: {upload_id: its "Phối hợp" frame or None} (empty when not read).
    """

    included: pd.DataFrame
    stacked: pd.DataFrame
    sheets: dict

    @property
    def has_sheets(self) -> bool:
        return bool(self.included["has_contributions"].astype(bool).any())


def load(conn: Connection, contributions: bool = True) -> Loaded:
    """Read the included uploads' frames once (`frames.load`, the fast path)."""
    included = included_uploads(conn)
    loaded = frames.load(conn, included["id"], contributions)
    return Loaded(included, _stacked(included, loaded),
                  {i: sheet for i, (_, sheet) in loaded.items()} if contributions else {})


def _stacked(included: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    if included.empty:
        tasks = empty_tasks()
        return tasks.assign(reporting_month=pd.Series(dtype="str"),
                            upload_id=pd.Series(dtype="int64"), scope=pd.Series(dtype="str"))
    parts = [loaded[row.id][0] for row in included.itertuples(index=False)]
    sizes = [len(p) for p in parts]
    stacked = pd.concat(parts, ignore_index=True)
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
    sheets = [(upload_id, sheet) for upload_id, sheet in sorted(loaded.sheets.items())
              if sheet is not None and len(sheet)]
    if not sheets:
        return tasks, empty_contributions()
    rows = pd.concat([sheet for _, sheet in sheets], ignore_index=True)
    owner = np.repeat([u for u, _ in sheets], [len(sheet) for _, sheet in sheets])
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
    for sheet in loaded.sheets.values():
        if sheet is not None and len(sheet):
            add(pd.unique(sheet["coord_dept"].dropna()))
    return sorted(names.values())


def _empty_changes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in CHANGE_COLUMNS})


def task_changes(conn: Connection) -> pd.DataFrame:
    return changes(load(conn, contributions=False))


def changes(loaded: Loaded) -> pd.DataFrame:
    """The history between months (see the module docstring) of a `Loaded`."""
    included, stacked = loaded.included, loaded.stacked
    if stacked.empty:
        return _empty_changes()
    codes, days = pd.factorize(stacked["due_date"])
    iso = np.append(pd.DatetimeIndex(days).strftime("%Y-%m-%d").to_numpy(dtype=object), None)
    seen = pd.DataFrame({
        "task_id": stacked["task_id"].to_numpy(dtype=object),
        "lead_dept": stacked["lead_dept"].to_numpy(dtype=object, na_value=None),
        "due_date": iso[codes], "status": stacked["status"].to_numpy(dtype=object),
        "month": stacked["reporting_month"].to_numpy(dtype=object),
        "upload_id": stacked["upload_id"].to_numpy(), "scope": stacked["scope"].to_numpy(dtype=object)})
    logs = included[["scope", "month"]]
    # One appearance per task and month: the latest upload of that month.
    seen = (seen.sort_values(["task_id", "month", "upload_id"], kind="stable")
            .drop_duplicates(["task_id", "month"], keep="last").reset_index(drop=True))
    seen["lead_key"] = _keys(seen["lead_dept"])
    seen["scope_key"] = _keys(seen["scope"])
    previous = seen.groupby("task_id", sort=False).shift(1)
    same_task = previous["month"].notna()

    moved = same_task & seen["due_date"].notna() & previous["due_date"].notna() \
        & (seen["due_date"] != previous["due_date"])
    extensions = pd.DataFrame({"task_id": seen.loc[moved, "task_id"], "kind": "extension",
                               "month": seen.loc[moved, "month"],
                               "old": previous.loc[moved, "due_date"], "new": seen.loc[moved, "due_date"],
                               "lead_dept": seen.loc[moved, "lead_dept"]})

    handed = same_task & seen["lead_key"].ne("") & previous["lead_key"].fillna("").ne("") \
        & (seen["lead_key"] != previous["lead_key"])
    reassignments = pd.DataFrame({"task_id": seen.loc[handed, "task_id"], "kind": "reassignment",
                                  "month": seen.loc[handed, "month"],
                                  "old": previous.loc[handed, "lead_dept"],
                                  "new": seen.loc[handed, "lead_dept"],
                                  "lead_dept": seen.loc[handed, "lead_dept"]})

    vanished = _vanished(seen, logs)
    parts = [p for p in (extensions, reassignments, vanished) if len(p)]
    if not parts:
        return _empty_changes()
    result = pd.concat(parts, ignore_index=True)
    for column in CHANGE_COLUMNS:
        result[column] = result[column].astype("str")
    return (result.sort_values(["month", "task_id", "kind"], kind="stable")
            .reset_index(drop=True)[list(CHANGE_COLUMNS)])


def _keys(values: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(values.fillna(""))
    keyed = pd.Index([match_key(str(v)) for v in uniques], dtype=object)
    return pd.Series(keyed.take(codes) if len(uniques) else [], index=values.index, dtype=object)


def _vanished(seen: pd.DataFrame, logs: pd.DataFrame) -> pd.DataFrame:
    still_open = seen[~seen["status"].isin([DONE, CANCELLED])].copy()
    if still_open.empty:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    still_open["next_month"] = next_months(still_open["month"])
    # Present next month in any upload?
    present = seen[["task_id", "month"]].rename(columns={"month": "next_month"}).assign(present=True)
    candidates = still_open.merge(present, on=["task_id", "next_month"], how="left")
    candidates = candidates[candidates["present"].isna()]
    # Does the task's log exist for next month (its upload's scope, or its lead_dept)?
    log_keys = pd.DataFrame({"log_key": _keys(logs["scope"]), "next_month": logs["month"].astype(object)})
    log_keys = log_keys.drop_duplicates().assign(has_log=True)
    by_scope = candidates.merge(log_keys, left_on=["scope_key", "next_month"],
                                right_on=["log_key", "next_month"], how="left")["has_log"].notna()
    by_lead = candidates.merge(log_keys, left_on=["lead_key", "next_month"],
                               right_on=["log_key", "next_month"], how="left")["has_log"].notna()
    by_scope.index = by_lead.index = candidates.index
    gone = candidates[by_scope | by_lead]
    return pd.DataFrame({"task_id": gone["task_id"], "kind": "vanished", "month": gone["next_month"],
                         "old": gone["lead_dept"], "new": None, "lead_dept": gone["lead_dept"]})
