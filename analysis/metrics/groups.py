"""Figures for a group of tasks: overall, a department or a person as lead,
a service, a month (SPEC §3.3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.metrics.outcomes import CANCELLED, LATE, ON_TIME, OUTCOMES, OVERDUE

FIGURE_COLUMNS: tuple[str, ...] = (
    "tasks", *OUTCOMES, "on_time_rate", "avg_delay_days", "cross_dept_share", "clarity_rate")
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


def group_figures(annotated: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """§3.3 figures per group of `annotate()`d tasks.

    by=None gives one row (no key column) for all the tasks, even when there are none.
    by="lead_dept" / "lead_person" / "service" / "month" (any column) gives one row per
    non-missing value, sorted, with that column first. Columns:
      tasks          int    tasks not cancelled
      on_time, late, overdue, open, no_deadline, cancelled : int  counts per outcome
      on_time_rate   float  on_time / (on_time + late + overdue); NaN when 0
      avg_delay_days float  mean delay_days over late and overdue tasks; NaN when none
      cross_dept_share float  share of `tasks` with a coordinating dept other than the lead's
      clarity_rate   float  share of `tasks` with title, lead_person and due_date present
    """
    if by is None:
        key = pd.Series(0, index=annotated.index, name="_all")
    else:
        key = annotated[by]
    live = annotated["outcome"].ne(CANCELLED)
    parts = pd.DataFrame({
        "key": key.to_numpy(),
        "outcome": pd.Categorical(annotated["outcome"], categories=OUTCOMES),
        "live": live.to_numpy(),
        "cross": (annotated["cross_dept"] & live).to_numpy(),
        "clear": (annotated["clear"] & live).to_numpy(),
        "delay": annotated["delay_days"].to_numpy(dtype=float),
    }).dropna(subset=["key"])
    counts = (parts.groupby(["key", "outcome"], sort=False, observed=True).size()
              .unstack("outcome", fill_value=0)
              .reindex(columns=list(OUTCOMES), fill_value=0))
    sums = parts.groupby("key", sort=False)[["live", "cross", "clear"]].sum()
    delay = parts.groupby("key", sort=False)["delay"].mean()
    figures = counts.join(sums).join(delay)
    if by is None and figures.empty:
        figures = pd.DataFrame(0, index=pd.Index([0], name="key"),
                               columns=[*OUTCOMES, "live", "cross", "clear"]).assign(delay=np.nan)
    figures = figures.sort_index()
    result = pd.DataFrame(index=figures.index)
    result["tasks"] = figures["live"].astype("int64")
    for outcome in OUTCOMES:
        result[outcome] = figures[outcome].astype("int64")
    result["on_time_rate"] = on_time_rate(figures[ON_TIME], figures[LATE], figures[OVERDUE])
    result["avg_delay_days"] = figures["delay"].astype(float)
    result["cross_dept_share"] = safe_rate(figures["cross"], figures["live"])
    result["clarity_rate"] = safe_rate(figures["clear"], figures["live"])
    if by is None:
        return result.reset_index(drop=True)
    return result.rename_axis(by).reset_index()
