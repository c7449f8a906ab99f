"""Praise and reminder lists for evaluation meetings (SPEC §3.6), ranked by the
Wilson lower bound so that 2 of 2 does not outrank 95 of 100."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.formatting import format_percent
from analysis.metrics.groups import group_figures
from analysis.metrics.outcomes import LATE, OVERDUE

ROLE_LEAD_COLUMN = {"dept": "lead_dept", "person": "lead_person"}


@dataclass(frozen=True)
class Thresholds:
    """SPEC §3.6 defaults; the administrator may change them (§6)."""

    praise_min_rate: float = 0.90  # praise: on_time_rate >= this ...
    praise_max_overdue: int = 0  # ... and at most this many overdue tasks ...
    min_tasks_dept: int = 5  # ... and at least this many counted tasks (department)
    min_tasks_person: int = 3  # ... (person)
    reminder_below_rate: float = 0.70  # reminder: on_time_rate < this ...
    reminder_min_overdue: int = 2  # ... or at least this many overdue tasks
    z: float = 1.96  # Wilson bound confidence (95 %)

    def min_tasks(self, role: str) -> int:
        return self.min_tasks_dept if role == "dept" else self.min_tasks_person


def wilson_lower_bound(successes, n, z: float = 1.96):
    """Lower bound of the Wilson score interval for successes/n (vectorised).

    NaN where n is 0. Scalars in, float out; arrays/Series in, ndarray out.
    """
    k = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        safe_n = np.where(total > 0, total, 1.0)
        p = k / safe_n
        z2 = z * z
        centre = p + z2 / (2 * safe_n)
        margin = z * np.sqrt(p * (1 - p) / safe_n + z2 / (4 * safe_n * safe_n))
        bound = np.where(total > 0, (centre - margin) / (1 + z2 / safe_n), np.nan)
    return float(bound) if bound.ndim == 0 else bound


def recognition(annotated: pd.DataFrame, role: str = "dept",
                thresholds: Thresholds = Thresholds()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(praise, reminder) lists of departments or people as lead, over `annotated` tasks.

    Counted tasks = on_time + late + overdue (the on-time-rate denominator).
    Praise: rate >= praise_min_rate, overdue <= praise_max_overdue, counted >= min tasks;
    ranked by wilson_lower descending. Reminder: rate < reminder_below_rate or
    overdue >= reminder_min_overdue; ranked by wilson_lower ascending (worst first).
    Columns: name, every group_figures column, counted, wilson_lower, reason
    (Vietnamese sentence with the numbers), task_ids (list[str]: praise → the counted
    tasks; reminder → the late and overdue tasks behind it).
    """
    lead_column = ROLE_LEAD_COLUMN[role]
    figures = group_figures(annotated, by=lead_column).rename(columns={lead_column: "name"})
    figures["counted"] = figures["on_time"] + figures["late"] + figures["overdue"]
    figures["wilson_lower"] = wilson_lower_bound(figures["on_time"], figures["counted"],
                                                 thresholds.z)
    rate = figures["on_time_rate"]
    praise_mask = (rate.ge(thresholds.praise_min_rate).fillna(False)
                   & figures["overdue"].le(thresholds.praise_max_overdue)
                   & figures["counted"].ge(thresholds.min_tasks(role)))
    reminder_mask = (rate.lt(thresholds.reminder_below_rate).fillna(False)
                     | figures["overdue"].ge(thresholds.reminder_min_overdue))
    praise = figures[praise_mask.to_numpy()].sort_values(
        ["wilson_lower", "name"], ascending=[False, True], ignore_index=True)
    reminder = figures[reminder_mask.to_numpy()].sort_values(
        ["wilson_lower", "name"], ascending=[True, True], na_position="last", ignore_index=True)
    praise["reason"] = [_praise_reason(row) for row in praise.itertuples()]
    reminder["reason"] = [_reminder_reason(row, thresholds) for row in reminder.itertuples()]
    praise["task_ids"] = _task_ids(annotated, lead_column, praise["name"], counted_only=True)
    reminder["task_ids"] = _task_ids(annotated, lead_column, reminder["name"], counted_only=False)
    return praise, reminder


def _rate_phrase(row) -> str:
    return f"Tỷ lệ đúng hạn {format_percent(row.on_time_rate)} ({row.on_time}/{row.counted})"


def _praise_reason(row) -> str:
    overdue = ("không có nhiệm vụ quá hạn" if row.overdue == 0
               else f"{row.overdue} nhiệm vụ quá hạn")
    return f"{_rate_phrase(row)}, {overdue}"


def _reminder_reason(row, thresholds: Thresholds) -> str:
    parts = []
    if row.counted and row.on_time_rate < thresholds.reminder_below_rate:
        parts.append(f"{_rate_phrase(row)}, dưới ngưỡng "
                     f"{format_percent(thresholds.reminder_below_rate)}")
    else:
        parts.append(_rate_phrase(row))
    if row.overdue:
        parts.append(f"{row.overdue} nhiệm vụ quá hạn")
    if row.late:
        parts.append(f"{row.late} nhiệm vụ trễ hạn")
    return "; ".join(parts)


def _task_ids(annotated: pd.DataFrame, lead_column: str, names: pd.Series,
              counted_only: bool) -> list[list[str]]:
    """The task ids behind each listed name (one list per name, in `names` order)."""
    wanted = annotated["outcome"].isin(["on_time", LATE, OVERDUE] if counted_only
                                       else [LATE, OVERDUE])
    rows = annotated[wanted & annotated[lead_column].isin(names)]
    ids = rows.groupby(lead_column)["task_id"].agg(lambda s: sorted(s.astype("str")))
    return [ids.get(name, []) for name in names]
