"""Drill-down: from a chart point or a table row to the exact tasks behind it.

Charts built by `analysis.charts` put, in every point's `customdata`, the values
that identify its tasks, in the order of the chart's `DRILL_FIELDS` (e.g.
`("month", "outcome")`). A selection (the dict `st.plotly_chart(..., on_select=
"rerun")` returns, or a test puts in `st.session_state[key]`) is read dict-style:
`event["selection"]["points"][i]["customdata"]`.

Matching rules (`tasks_for_points`):
- a plain column (`month`, `lead_dept`, `service`, `outcome`, …) must equal the value;
- a tuple column (`coord_depts_effective`, `coord_people_effective`) must contain it;
- `outcome` = "counted" means on time, late or overdue (the on-time-rate denominator);
  "all" or "" means any outcome except cancelled;
- "dept" / "person": led by OR coordinating (effective coordinators) that name;
- a field named "-" or a None value is ignored (a point that only carries a label).
The union over all selected points is returned.

Public API:
    selected_points(event) -> list[dict]
    selected_rows(event) -> list[int]
    tasks_for_points(frame, points, fields) -> DataFrame
    tasks_by_ids(frame, ids) -> DataFrame
    task_table(frame) -> DataFrame               Vietnamese columns, for display/tests
    show_tasks(frame, what, key=None)            subheader + count + dataframe
    chart_with_drilldown(fig, key, frame, fields, what=...) -> DataFrame | None
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from analysis.formatting import OUTCOME_LABELS, format_number
from ui import strings as S

COUNTED = "counted"
ANY = "all"
_COUNTED_OUTCOMES = ("on_time", "late", "overdue")
EITHER_ROLE = {"dept": ("lead_dept", "coord_depts_effective"),
               "person": ("lead_person", "coord_people_effective")}
TUPLE_FIELDS = ("coord_depts", "coord_people", "coord_depts_effective", "coord_people_effective")


def _get(obj: Any, name: str, default=None):
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    try:
        return obj[name]
    except (KeyError, TypeError, IndexError):
        return getattr(obj, name, default)


def selected_points(event: Any) -> list[dict]:
    """The selected points of a plotly chart event (empty list when none)."""
    selection = _get(event, "selection")
    points = _get(selection, "points", []) or []
    return [dict(p) if not isinstance(p, dict) else p for p in points]


def selected_rows(event: Any) -> list[int]:
    """The selected row positions of a dataframe event (empty list when none)."""
    selection = _get(event, "selection")
    return [int(r) for r in (_get(selection, "rows", []) or [])]


def _customdata(point: dict) -> list:
    data = point.get("customdata")
    if data is None:
        return []
    if isinstance(data, (list, tuple, np.ndarray)):
        return list(data)
    return [data]


def _mask_for(frame: pd.DataFrame, fields: Sequence[str], values: Sequence) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    for field, value in zip(fields, values):
        if field == "-" or value is None:
            continue
        if field in EITHER_ROLE:  # led by OR coordinated by the department/person
            lead, coord = EITHER_ROLE[field]
            mask &= (_mask_for(frame, (lead,), (value,))
                     | _mask_for(frame, (coord,), (value,)))
            continue
        column = frame[field]
        if field == "outcome":
            if value == COUNTED:
                mask &= column.isin(_COUNTED_OUTCOMES).to_numpy()
            elif value in (ANY, ""):
                mask &= column.ne("cancelled").to_numpy()
            else:
                mask &= column.eq(value).to_numpy()
        elif field in TUPLE_FIELDS:
            exploded = column.explode()
            hit = exploded.eq(value).groupby(level=0).any()
            mask &= hit.reindex(column.index, fill_value=False).to_numpy(dtype=bool)
        else:
            mask &= column.astype("str").eq(str(value)).fillna(False).to_numpy(dtype=bool)
    return mask


def tasks_for_points(frame: pd.DataFrame, points: Iterable[dict],
                     fields: Sequence[str]) -> pd.DataFrame:
    """The rows of `frame` behind the selected points (union, frame order kept)."""
    points = list(points)
    if not points or frame.empty:
        return frame.iloc[0:0]
    mask = np.zeros(len(frame), dtype=bool)
    for point in points:
        values = _customdata(point)
        if values:
            mask |= _mask_for(frame, fields, values)
    return frame[mask]


def tasks_by_ids(frame: pd.DataFrame, ids) -> pd.DataFrame:
    """The rows of `frame` whose task_id is in `ids` (e.g. a recognition list entry)."""
    return frame[frame["task_id"].isin(list(ids)).to_numpy()]


def _join(values) -> str:
    if isinstance(values, (tuple, list, np.ndarray)):
        return ", ".join(str(v) for v in values)
    return "" if values is None or (isinstance(values, float) and np.isnan(values)) else str(values)


def task_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The tasks as shown to the user: Vietnamese headers, outcome labels, lists
    joined; date columns stay dates (shown dd/mm/yyyy by `show_tasks`)."""
    columns = [c for c in S.TASK_TABLE_COLUMNS if c in frame.columns]
    table = frame[columns].reset_index(drop=True)
    for column in ("coord_depts", "coord_people"):
        if column in table:
            table[column] = table[column].map(_join).astype("str")
    if "outcome" in table:
        table["outcome"] = table["outcome"].map(OUTCOME_LABELS).astype("str")
    return table.rename(columns=S.TASK_TABLE_COLUMNS)


def _column_config() -> dict:
    config = {}
    for field in ("assigned_date", "due_date", "done_date"):
        config[S.TASK_TABLE_COLUMNS[field]] = st.column_config.DateColumn(format="DD/MM/YYYY")
    config[S.TASK_TABLE_COLUMNS["delay_days"]] = st.column_config.NumberColumn(format="%d")
    config[S.TASK_TABLE_COLUMNS["title"]] = st.column_config.TextColumn(width="large")
    return config


def show_tasks(frame: pd.DataFrame, what: str, key: str | None = None) -> None:
    """A heading, the count and the task table (the drill-down list)."""
    st.markdown(f"**{S.DRILL_HEADER.format(what=what)}** — "
                f"{S.DRILL_COUNT.format(count=format_number(len(frame)))}")
    if frame.empty:
        st.caption(S.DRILL_NONE)
        return
    st.dataframe(task_table(frame), hide_index=True, column_config=_column_config(),
                 key=key, height=min(38 + 35 * len(frame), 420))


def chart_with_drilldown(fig, key: str, frame: pd.DataFrame, fields: Sequence[str],
                         what: str | None = None, selection_mode: str = "points"):
    """Show a plotly figure whose points select tasks; list them under the chart.

    Returns the selected tasks (None when nothing is selected). `what` names the
    list; by default it is built from the first point's customdata.
    """
    event = st.plotly_chart(fig, on_select="rerun", selection_mode=selection_mode, key=key,
                            config={"displaylogo": False})
    points = selected_points(event)
    if not points:
        return None
    chosen = tasks_for_points(frame, points, fields)
    if what is None:
        what = describe_point(points[0], fields) + (
            f" (+{len(points) - 1} lựa chọn khác)" if len(points) > 1 else "")
    show_tasks(chosen, what, key=f"{key}__tasks")
    return chosen


def describe_point(point: dict, fields: Sequence[str]) -> str:
    """A readable name for a selected point, e.g. "10/2026 · Quá hạn"."""
    from analysis.formatting import format_month

    parts = []
    for field, value in zip(fields, _customdata(point)):
        if field == "-" or value in (None, "", ANY):
            continue
        if field == "outcome":
            parts.append("đúng hạn + trễ hạn + quá hạn" if value == COUNTED
                         else OUTCOME_LABELS.get(value, str(value)))
        elif field == "month":
            parts.append(format_month(value))
        elif field in EITHER_ROLE:
            parts.append(str(value))
        elif field == "cross_dept":
            parts.append("có phối hợp liên phòng" if str(value) == "True"
                         else "một phòng thực hiện")
        elif field.startswith("coord_"):
            parts.append(f"{value} ({S.AS_COORD.lower()})")
        elif field.startswith("lead_"):
            parts.append(f"{value} ({S.AS_LEAD.lower()})")
        else:
            parts.append(str(value))
    return " · ".join(parts) or S.ALL
