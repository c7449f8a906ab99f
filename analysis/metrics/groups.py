"""Figures for a group of tasks: overall, a department or a person as lead,
a service, a month (SPEC §3.3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.metrics.outcomes import CANCELLED, LATE, ON_TIME, OUTCOMES, OVERDUE

FIGURE_COLUMNS: tuple[str, ...] = (
    "tasks", *OUTCOMES, "on_time_rate", "completion_rate", "avg_delay_days", "cross_dept_share",
    "clarity_rate")
COUNT_COLUMNS: tuple[str, ...] = ("tasks", *OUTCOMES)


def safe_rate(numerator, denominator):
    """numerator / denominator as float, NaN where the denominator is 0 (vectorised)."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def on_time_rate(on_time, late, overdue):
    """on_time / (on_time + late + overdue), NaN when that is 0 (§3.3)."""
    return safe_rate(on_time, np.asarray(on_time) + np.asarray(late) + np.asarray(overdue))


def completion_rate(on_time, late, overdue):
    """(on_time + late) / (on_time + late + overdue), NaN when that is 0 (§3.3): the share
    of the tasks that fell due which are done, on time or not (the Government Office's
    "đã hoàn thành"). Not the on-time rate: a late task counts as completed here."""
    done = np.asarray(on_time) + np.asarray(late)
    return safe_rate(done, done + np.asarray(overdue))


def group_figures(annotated: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """§3.3 figures per group of `annotate()`d tasks.

    by=None gives one row (no key column) for all the tasks, even when there are none.
    by="lead_dept" / "lead_person" / "service" / "month" (any column) gives one row per
    non-missing value, sorted, with that column first. Columns:
      tasks          int    tasks not cancelled
      on_time, late, overdue, open, no_deadline, cancelled : int  counts per outcome
      on_time_rate   float  on_time / (on_time + late + overdue); NaN when 0
      completion_rate float (on_time + late) / (on_time + late + overdue); NaN when 0
      avg_delay_days float  mean delay_days over late and overdue tasks; NaN when none
      cross_dept_share float  share of `tasks` with a coordinating dept other than the lead's
      clarity_rate   float  share of `tasks` with title, lead_person and due_date present
    """
    if by is None:
        codes, names = np.zeros(len(annotated), dtype=np.int64), pd.Index([0])
    else:
        codes, names = pd.factorize(annotated[by], sort=True)  # missing key: code -1, dropped
    groups = len(names)
    keep = codes >= 0
    codes = codes[keep]
    outcome = pd.Categorical(annotated["outcome"], categories=OUTCOMES).codes[keep]
    live = outcome != OUTCOMES.index(CANCELLED)
    delay = annotated["delay_days"].to_numpy(dtype=float)[keep]
    has_delay = ~np.isnan(delay)

    def per_group(weights=None):
        return np.bincount(codes, weights=weights, minlength=groups)

    counts = np.bincount(codes * len(OUTCOMES) + outcome,
                         minlength=groups * len(OUTCOMES)).reshape(groups, len(OUTCOMES))
    tasks = per_group(live.astype(float))
    result = pd.DataFrame(index=pd.RangeIndex(groups))
    result["tasks"] = tasks.astype("int64")
    for i, name in enumerate(OUTCOMES):
        result[name] = counts[:, i].astype("int64")
    result["on_time_rate"] = on_time_rate(result[ON_TIME], result[LATE], result[OVERDUE])
    result["completion_rate"] = completion_rate(result[ON_TIME], result[LATE], result[OVERDUE])
    result["avg_delay_days"] = safe_rate(per_group(np.where(has_delay, delay, 0.0)),
                                         per_group(has_delay.astype(float)))
    cross = annotated["cross_dept"].to_numpy(dtype=bool)[keep] & live
    clear = annotated["clear"].to_numpy(dtype=bool)[keep] & live
    result["cross_dept_share"] = safe_rate(per_group(cross.astype(float)), tasks)
    result["clarity_rate"] = safe_rate(per_group(clear.astype(float)), tasks)
    if by is None:
        return result
    result.insert(0, by, pd.Series(names, dtype=annotated[by].dtype))
    return result
