"""Month-by-month figures (SPEC §3.3 per month of §3.2) for trend charts."""

from __future__ import annotations

import pandas as pd

from analysis.metrics.groups import COUNT_COLUMNS, FIGURE_COLUMNS, group_figures


def monthly_trend(annotated: pd.DataFrame, from_month: str | None = None,
                  to_month: str | None = None) -> pd.DataFrame:
    """One row per month from the first to the last month (inclusive), empty months too.

    The range is [from_month, to_month] when given, else the months in the data.
    Columns: month ("YYYY-MM"), then every §3.3 figure of group_figures
    (counts 0 and rates NaN in a month without tasks).
    """
    months = annotated["month"].dropna()
    first = from_month or (months.min() if len(months) else None)
    last = to_month or (months.max() if len(months) else None)
    if first is None or last is None or first > last:
        return pd.DataFrame(columns=["month", *FIGURE_COLUMNS])
    every_month = pd.period_range(first, last, freq="M").astype("str")
    figures = group_figures(annotated, by="month").set_index("month")
    figures = figures.reindex(pd.Index(every_month, name="month"))
    figures[list(COUNT_COLUMNS)] = figures[list(COUNT_COLUMNS)].fillna(0).astype("int64")
    return figures.reset_index()
