"""Which department reported which month, and when (SPEC §5 `submissions`, §7.9).

A department's log for reporting month M is due by the end of day N of month M+1 (the
reporting deadline, a setting; default 5), in the center's time zone (Vietnam, UTC+7,
no daylight saving). For each known department and month of the range:
- `on_time`: first submitted by the deadline;
- `late`: first submitted after it;
- `missing`: never submitted.
A whole-center upload of a month counts as every department's submission for that month.
The submission reported (`upload_id`, `uploaded_at`, `uploaded_by`) is the first one,
the one the status is judged on; `current_upload_id` and `versions` say what came after.

Pure functions over plain frames: the store supplies the uploads, the caller the known
departments (the catalogue's, else those the figures name).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd

from analysis.fields import match_key
from analysis.periods import CENTER_TZ, month_end, shift_month

CENTER = "center"
ON_TIME, LATE, MISSING = "on_time", "late", "missing"
DEFAULT_DEADLINE_DAY = 5

# Columns of the uploads frame `submission_grid` reads (one row per upload, any version):
UPLOAD_COLUMNS = ("upload_id", "scope", "month", "uploaded_at", "uploaded_by", "current")
GRID_COLUMNS = ("department", "month", "status", "upload_id", "uploaded_at", "uploaded_by",
                "deadline", "versions", "current_upload_id")


def reporting_deadline(month: str, deadline_day: int = DEFAULT_DEADLINE_DAY) -> date:
    """The last day to submit the log of `month`: day N of the next month (clamped to
    that month's last day)."""
    following = shift_month(month, 1)
    last = month_end(following)
    return last.replace(day=max(1, min(int(deadline_day), last.day)))


def deadline_instant(month: str, deadline_day: int = DEFAULT_DEADLINE_DAY) -> datetime:
    """The end of the deadline day in the center's time zone, as an aware datetime."""
    return end_of_day(reporting_deadline(month, deadline_day))


def end_of_day(day: date) -> datetime:
    """The first instant after `day` in the center's time zone (a deadline is kept up to
    and including its last second)."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), CENTER_TZ)


def submission_grid(uploads: pd.DataFrame, departments: list[str], months: list[str],
                    deadline_day: int = DEFAULT_DEADLINE_DAY) -> pd.DataFrame:
    """One row per (department, month), departments in the given order, months ascending.

    `uploads` has UPLOAD_COLUMNS: scope (a department name or CENTER), month "YYYY-MM",
    uploaded_at (ISO text, UTC), uploaded_by, current (bool: the version in the figures).
    Scopes match department names ignoring case and diacritics.
    """
    frame = uploads.loc[:, list(UPLOAD_COLUMNS)].copy() if len(uploads) else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in UPLOAD_COLUMNS})
    frame = frame[frame["month"].isin(months)]
    frame["at"] = pd.to_datetime(frame["uploaded_at"], utc=True, format="ISO8601")
    frame["key"] = frame["scope"].map(lambda s: CENTER if match_key(str(s)) == CENTER
                                      else match_key(str(s)))
    cells = pd.MultiIndex.from_product([sorted(months), list(departments)],
                                       names=["month", "department"])
    grid = cells.to_frame(index=False)[["department", "month"]]
    grid["key"] = grid["department"].map(match_key)
    own = grid.merge(frame, on=["key", "month"], how="inner")
    center = grid.merge(frame[frame["key"] == CENTER].drop(columns="key"), on="month", how="inner")
    submitted = pd.concat([own, center], ignore_index=True).sort_values(
        ["department", "month", "at", "upload_id"], kind="stable")
    by_cell = submitted.groupby(["department", "month"], sort=False)
    first = by_cell.head(1).set_index(["department", "month"])
    versions = by_cell.size()
    current = submitted[submitted["current"].astype(bool)].groupby(
        ["department", "month"], sort=False)["upload_id"].max()

    grid = grid.set_index(["department", "month"])
    grid["deadline"] = [reporting_deadline(m, deadline_day) for m in grid.index.get_level_values(1)]
    grid["upload_id"] = first["upload_id"].reindex(grid.index)
    grid["uploaded_at"] = first["uploaded_at"].reindex(grid.index)
    grid["uploaded_by"] = first["uploaded_by"].reindex(grid.index)
    first_at = first["at"].reindex(grid.index)
    limits = pd.Series([deadline_instant(m, deadline_day) for m in grid.index.get_level_values(1)],
                       index=grid.index)
    limits = pd.to_datetime(limits, utc=True)
    grid["status"] = MISSING
    grid.loc[first_at.notna() & (first_at < limits), "status"] = ON_TIME
    grid.loc[first_at.notna() & (first_at >= limits), "status"] = LATE
    grid["versions"] = versions.reindex(grid.index).fillna(0).astype(int)
    grid["current_upload_id"] = current.reindex(grid.index)
    grid = grid.reset_index()
    for column in ("upload_id", "current_upload_id"):
        grid[column] = grid[column].astype("Int64")
    return grid[list(GRID_COLUMNS)]


def grid_records(grid: pd.DataFrame) -> list[dict]:
    """The JSON entries of `python -m analysis submissions` (SPEC §5), plus extra keys."""
    records = []
    for row in grid.itertuples(index=False):
        records.append({
            "department": row.department, "month": row.month, "status": row.status,
            "upload_id": None if pd.isna(row.upload_id) else int(row.upload_id),
            "uploaded_at": None if pd.isna(row.uploaded_at) else str(row.uploaded_at),
            "uploaded_by": None if pd.isna(row.uploaded_by) else str(row.uploaded_by),
            "deadline": row.deadline.isoformat(), "versions": int(row.versions),
            "current_upload_id": None if pd.isna(row.current_upload_id)
            else int(row.current_upload_id),
        })
    return records


def missing_by_department(grid: pd.DataFrame) -> dict[str, list[str]]:
    """{department: months not submitted} for the departments with any, in grid order."""
    missing = grid[grid["status"] == MISSING]
    return {name: list(part["month"]) for name, part in missing.groupby("department", sort=False)}


def first_reporting_month(included: pd.DataFrame, departments: tuple[str, ...] = ()
                          ) -> str | None:
    """The first reporting month of the uploads in the figures (`Store.included_uploads`:
    scope, month): where the data begins, for the fair comparison of SPEC §7. With
    `departments`, only their uploads and whole-center ones count (their figures come
    from those). None when there is no such upload."""
    if included.empty:
        return None
    keys = included["scope"].map(lambda s: match_key(str(s)))
    keep = pd.Series(True, index=included.index)
    if departments:
        keep = keys.eq(CENTER) | keys.isin({match_key(d) for d in departments})
    months = included.loc[keep, "month"].dropna()
    return str(months.min()) if len(months) else None


def due_by(month: str, as_of: date, deadline_day: int = DEFAULT_DEADLINE_DAY) -> bool:
    """Whether the log of `month`, still missing on the as-of day, is overdue (SPEC §7.9):
    its deadline day ended before the as-of day began. On the deadline day itself the log
    may still come, so it is not due yet. Deadlines end at midnight, so as of today this
    is the same as judging at the present instant. The one rule of "chưa đến hạn nộp" for
    the overview, the submissions page and the brief, all at the as-of day of their
    filters."""
    return deadline_ended(reporting_deadline(month, deadline_day), as_of)


def deadline_ended(deadline: date, as_of: date) -> bool:
    """`due_by` for a known deadline day (the grid's `deadline` column)."""
    return deadline < as_of
