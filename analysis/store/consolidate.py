"""Consolidated tasks and the history between months (SPEC §4.3).

Which uploads count: the current version of every scope+month; sample uploads only
while no real upload exists (after the first real one, figures exclude samples).

Consolidated tasks: for each task_id, the row from the latest reporting month among
those uploads; ties (two uploads of the same month, e.g. a department's and the
center's) go to the latest upload. One SQL query with a window function, then
vectorised conversion (see `rows.py`).

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

import numpy as np
import pandas as pd
from sqlalchemy import Connection, false, select

from analysis.fields import CANCELLED, DONE, match_key
from analysis.model import CONTRIBUTION_COLUMNS, TASK_COLUMNS

from . import schema
from .rows import contribution_frame, task_frame

EXTRA_COLUMNS = ("reporting_month", "upload_id", "scope")
CHANGE_COLUMNS = ("task_id", "kind", "month", "old", "new", "lead_dept")


def has_real_data(conn: Connection) -> bool:
    u = schema.uploads
    return conn.execute(select(u.c.id).where(u.c.is_sample == false()).limit(1)).first() is not None


# Plain SQL (SQLite and PostgreSQL alike), run on the DB-API cursor: at 100k tasks,
# SQLAlchemy's Row objects would cost more than the query itself.
_TASK_SELECT = ", ".join(f"t.{c}" for c in TASK_COLUMNS)
_CONTRIBUTION_SELECT = ", ".join(f"k.{c}" for c in CONTRIBUTION_COLUMNS)


def _included_sql(conn: Connection) -> str:
    """Current uploads that count in the figures (samples only while no real data)."""
    where = "WHERE u.is_sample = false" if has_real_data(conn) else ""
    return ("SELECT u.id, u.month, u.scope, u.has_contributions FROM uploads u "
            f"JOIN current_uploads c ON c.upload_id = u.id {where}")


def _latest_sql(conn: Connection) -> str:
    """CTEs `included` and `latest` (upload_id, task_id): the row of each task from the
    latest month, ties to the latest upload. The ranking touches two columns only."""
    return f"""WITH included AS ({_included_sql(conn)}),
ranked AS (
  SELECT t.upload_id, t.task_id,
         ROW_NUMBER() OVER (PARTITION BY t.task_id ORDER BY i.month DESC, i.id DESC) AS rank_
  FROM tasks t JOIN included i ON i.id = t.upload_id),
latest AS (SELECT upload_id, task_id FROM ranked WHERE rank_ = 1)
"""


def _fetch(conn: Connection, sql: str) -> list[tuple]:
    cursor = conn.connection.cursor()  # inside the caller's read transaction
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def consolidated_tasks(conn: Connection) -> pd.DataFrame:
    rows = _fetch(conn, _latest_sql(conn) + f"""
SELECT {_TASK_SELECT}, i.month, i.id, i.scope
FROM latest l
JOIN tasks t ON t.upload_id = l.upload_id AND t.task_id = l.task_id
JOIN included i ON i.id = l.upload_id""")
    frame = task_frame(rows, [*TASK_COLUMNS, *EXTRA_COLUMNS])
    return frame.sort_values(["upload_id", "source_row"], kind="stable").reset_index(drop=True)


def consolidated_contributions(conn: Connection) -> pd.DataFrame | None:
    flags = _fetch(conn, f"SELECT i.has_contributions FROM ({_included_sql(conn)}) i")
    if not any(bool(flag) for (flag,) in flags):
        return None
    rows = _fetch(conn, _latest_sql(conn) + f"""
SELECT {_CONTRIBUTION_SELECT}
FROM contributions k
JOIN latest l ON l.upload_id = k.upload_id AND l.task_id = k.task_id
ORDER BY k.id""")
    return contribution_frame(rows, list(CONTRIBUTION_COLUMNS))


def _empty_changes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in CHANGE_COLUMNS})


def task_changes(conn: Connection) -> pd.DataFrame:
    included = _included_sql(conn)
    rows = _fetch(conn, f"""
SELECT t.task_id, t.lead_dept, t.due_date, t.status, i.month, i.id, i.scope
FROM tasks t JOIN ({included}) i ON i.id = t.upload_id""")
    logs = _fetch(conn, f"SELECT i.scope, i.month FROM ({included}) i")
    seen = pd.DataFrame.from_records(
        rows, columns=["task_id", "lead_dept", "due_date", "status", "month", "upload_id", "scope"])
    if seen.empty:
        return _empty_changes()
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

    vanished = _vanished(seen, pd.DataFrame.from_records(logs, columns=["scope", "month"]))
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


def _next_month(months: pd.Series) -> pd.Series:
    """"YYYY-MM" -> the following month, computed once per distinct month."""
    codes, uniques = pd.factorize(months)
    following = np.array([f"{int(m[:4]) + int(m[5:7]) // 12:04d}-{int(m[5:7]) % 12 + 1:02d}"
                          for m in uniques], dtype=object)
    return pd.Series(following[codes], index=months.index, dtype=object)


def _vanished(seen: pd.DataFrame, logs: pd.DataFrame) -> pd.DataFrame:
    still_open = seen[~seen["status"].isin([DONE, CANCELLED])].copy()
    if still_open.empty:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    still_open["next_month"] = _next_month(still_open["month"])
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
