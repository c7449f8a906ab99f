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

import pandas as pd
from sqlalchemy import Connection, and_, false, func, literal, select, true

from analysis.fields import CANCELLED, DONE, match_key
from analysis.model import CONTRIBUTION_COLUMNS, TASK_COLUMNS

from . import schema
from .rows import contribution_frame, task_frame

EXTRA_COLUMNS = ("reporting_month", "upload_id", "scope")
CHANGE_COLUMNS = ("task_id", "kind", "month", "old", "new", "lead_dept")


def has_real_data(conn: Connection) -> bool:
    u = schema.uploads
    return conn.execute(select(u.c.id).where(u.c.is_sample == false()).limit(1)).first() is not None


def _included_uploads(conn: Connection):
    """Current uploads that count in the figures, as a selectable (id, month, scope, ...)."""
    u, c = schema.uploads, schema.current_uploads
    sample_filter = (u.c.is_sample == false()) if has_real_data(conn) else true()
    return (select(u.c.id, u.c.month, u.c.scope, u.c.has_contributions)
            .select_from(u.join(c, c.c.upload_id == u.c.id))
            .where(sample_filter)).subquery("included")


def _latest_rows(conn: Connection):
    """Subquery: for each task_id, its row from the latest month (ties: latest upload)."""
    t = schema.tasks
    inc = _included_uploads(conn)
    rank = func.row_number().over(partition_by=t.c.task_id,
                                  order_by=(inc.c.month.desc(), inc.c.id.desc())).label("rank")
    ranked = (select(*(t.c[c] for c in TASK_COLUMNS),
                     inc.c.month.label("reporting_month"), inc.c.id.label("upload_id_"),
                     inc.c.scope.label("scope"), rank)
              .select_from(t.join(inc, inc.c.id == t.c.upload_id))).subquery("ranked")
    return ranked


def consolidated_tasks(conn: Connection):
    ranked = _latest_rows(conn)
    columns = [*TASK_COLUMNS, "reporting_month", "upload_id", "scope"]
    query = select(*(ranked.c[c] for c in TASK_COLUMNS), ranked.c.reporting_month,
                   ranked.c.upload_id_, ranked.c.scope).where(ranked.c.rank == 1)
    rows = conn.execute(query).all()
    frame = task_frame(rows, columns)
    frame["reporting_month"] = frame["reporting_month"].astype("str")
    frame["scope"] = frame["scope"].astype("str")
    frame["upload_id"] = frame["upload_id"].astype("int64")
    return frame.sort_values(["upload_id", "source_row"], kind="stable").reset_index(drop=True)


def consolidated_contributions(conn: Connection):
    inc = _included_uploads(conn)
    if conn.execute(select(inc.c.id).where(inc.c.has_contributions == true()).limit(1)).first() is None:
        return None
    ranked = _latest_rows(conn)
    k = schema.contributions
    query = (select(*(k.c[c] for c in CONTRIBUTION_COLUMNS))
             .select_from(k.join(ranked, and_(ranked.c.upload_id_ == k.c.upload_id,
                                             ranked.c.task_id == k.c.task_id,
                                             ranked.c.rank == literal(1))))
             .order_by(k.c.id))
    return contribution_frame(conn.execute(query).all(), list(CONTRIBUTION_COLUMNS))


def _empty_changes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in CHANGE_COLUMNS})


def task_changes(conn: Connection) -> pd.DataFrame:
    t = schema.tasks
    inc = _included_uploads(conn)
    rows = conn.execute(
        select(t.c.task_id, t.c.lead_dept, t.c.due_date, t.c.status,
               inc.c.month, inc.c.id, inc.c.scope)
        .select_from(t.join(inc, inc.c.id == t.c.upload_id))).all()
    logs = conn.execute(select(inc.c.scope, inc.c.month)).all()
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
    periods = pd.PeriodIndex(months, freq="M") + 1
    return pd.Series(periods.strftime("%Y-%m"), index=months.index, dtype=object)


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
