"""Drill-down: from a chart point or a table row to the exact tasks behind it.

Charts built by `analysis.charts` put, in every point's `customdata`, the values
that identify its tasks, in the order of the chart's `*_FIELDS` (e.g.
`("month", "outcome")`). A selection (the dict `st.plotly_chart(..., on_select=
"rerun")` returns, or a test puts in `st.session_state[key]`) is read dict-style:
`event["selection"]["points"][i]["customdata"]`.

Matching rules (`tasks_for_points`):
- a plain column (`month`, `lead_dept`, `service`, `outcome`, …) must equal the value;
- a tuple column (`coord_depts_effective`, `coord_people_effective`) must contain it;
- `outcome` = "counted" means the on-time-rate denominator (`COUNTED_OUTCOMES`);
  "all" or "" means any outcome except cancelled;
- "dept" / "person": led by OR coordinating (effective coordinators) that name;
- a field named "-" or a None value is ignored (a point that only carries a label).
The union over all selected points is returned.

One list open per page: every source of a list (a chart, a table, the card pills)
calls `offer(key, selection, build)`, which leaves an empty slot under it. At the end
of the page `show_chosen_list()` fills the slot of the source chosen last (the one
whose selection changed in this run, else the previous one while it stays
selected); the others stay empty, though a chart keeps its highlighted points.

Public API:
    selected_points(event) -> list[dict]
    selected_rows(event) -> list[int]
    tasks_for_points(frame, points, fields) -> DataFrame
    tasks_by_ids(frame, ids) -> DataFrame
    task_table(frame) -> DataFrame               Vietnamese columns, for display/tests
    show_tasks(frame, what, key=None)            heading + count + task table
    cached_figure(name, key, build) -> Figure    a figure built once per data and filters
    chart_with_drilldown(fig, key, frame, fields, what=...)
    table_with_drilldown(table, key, tasks_for_row, **dataframe options)
    offer(key, selection, build); show_chosen_list()
    PLOTLY_CONFIG                                no English toolbar on charts
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from analysis.formatting import OUTCOME_LABELS, format_number
from analysis.metrics import COUNTED_OUTCOMES
from analysis.task_list import MAIN_COLUMNS, with_list_columns
from analysis.task_list import task_table as list_table
from ui import strings as S
from ui.tables import TASK_ROW_HEIGHT, task_column_config

COUNTED = "counted"
ANY = "all"
EITHER_ROLE = {"dept": ("lead_dept", "coord_depts_effective"),
               "person": ("lead_person", "coord_people_effective")}
TUPLE_FIELDS = ("coord_depts", "coord_people", "coord_depts_effective", "coord_people_effective")
# Plotly's own toolbar speaks English (zoom, pan, "Download plot as a png"): hidden.
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "scrollZoom": False}
# The drill-down list: what matters first, then who coordinates and the dates.
DRILL_COLUMNS = (*MAIN_COLUMNS, "coord_depts", "coord_people", "service", "assigned_date",
                 "done_date", "delay_days")

_OFFERS = "_drill_offers"  # this run: [(key, signature, build, slot)]
_SEEN = "_drill_seen"  # previous runs: {key: signature}
_RECENT = "_drill_recent"  # keys, most recently chosen first


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
                mask &= column.isin(COUNTED_OUTCOMES).to_numpy()
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


def task_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The tasks as the drill-down list shows them: the task list's table
    (`analysis.task_list.task_table`) with its main columns first."""
    from ui.filters import current_filters

    return list_table(with_list_columns(frame, current_filters().as_of), DRILL_COLUMNS)


def show_tasks(frame: pd.DataFrame, what: str, key: str | None = None) -> None:
    """A heading, the count and the task table (the drill-down list)."""
    st.markdown(f"**{S.DRILL_HEADER.format(what=what)}** — "
                f"{S.DRILL_COUNT.format(count=format_number(len(frame)))}")
    if frame.empty:
        st.caption(S.DRILL_NONE)
        return
    table = task_table(frame)
    st.dataframe(table, hide_index=True, column_config=task_column_config(table), key=key,
                 row_height=TASK_ROW_HEIGHT,
                 height=min(40 + (TASK_ROW_HEIGHT + 1) * len(frame), 480))


# --- one list per page -----------------------------------------------------------------

def _offers() -> list:
    """This run's offers: those left by a run that stopped early (st.stop) never show."""
    from ui.data import this_run

    run, offers = st.session_state.get(_OFFERS, (None, []))
    if run is None or run is not this_run():
        offers = []
        st.session_state[_OFFERS] = (this_run(), offers)
    return offers


def offer(key: str, selection: Any, build: Callable[[], tuple[pd.DataFrame, str]]) -> None:
    """A source of a drill-down list: `selection` (JSON-able, empty when nothing is
    chosen) and `build() -> (tasks, what)`. Leaves the list's slot here."""
    _offers().append((key, json.dumps(selection, sort_keys=True, default=str) if selection
                      else "", build, st.empty()))


def show_chosen_list() -> None:
    """Fill the slot of the one source chosen last (call once, at the end of the page)."""
    state = st.session_state
    offers = list(_offers())
    state.pop(_OFFERS, None)
    seen = state.get(_SEEN, {})
    recent = [k for k in state.get(_RECENT, [])]
    for key, signature, _, _ in offers:
        if signature and signature != seen.get(key):
            recent = [key, *(k for k in recent if k != key)]
    selected = {key for key, signature, _, _ in offers if signature}
    owner = next((k for k in recent if k in selected), None)
    state[_RECENT] = [k for k in recent if k in selected or k not in {o[0] for o in offers}]
    state[_SEEN] = {**seen, **{key: signature for key, signature, _, _ in offers}}
    for key, _, build, slot in offers:
        if key == owner:
            frame, what = build()
            with slot.container():
                show_tasks(frame, what, key=f"{key}__tasks")


def cached_figure(name: str, key, build: Callable[[], Any]):
    """`build()` (a plotly figure) cached like the figures it draws, per data version and
    `key` (the filters it depends on): building a figure costs ~0.05-0.1 s (plotly
    validates every property), which a page would otherwise pay on every run."""
    from ui.data import memo

    return memo(f"figure:{name}", key, build)


def chart_with_drilldown(fig, key: str, frame: pd.DataFrame, fields: Sequence[str],
                         what: str | None = None, selection_mode: str = "points") -> None:
    """Show a plotly figure whose points select tasks; their list opens under it (when
    it is the page's chosen list). `what` names the list; by default it is built from
    the first point's customdata."""
    event = st.plotly_chart(fig, on_select="rerun", selection_mode=selection_mode, key=key,
                            config=PLOTLY_CONFIG)
    points = selected_points(event)

    def build():
        name = what or describe_point(points[0], fields) + (
            S.DRILL_MORE.format(count=len(points) - 1) if len(points) > 1 else "")
        return tasks_for_points(frame, points, fields), name

    offer(key, [_customdata(p) for p in points], build)


def table_with_drilldown(table: pd.DataFrame, key: str,
                         tasks_for_row: Callable[[int], tuple[pd.DataFrame, str]],
                         **options) -> None:
    """A dataframe whose selected row opens the tasks `tasks_for_row(position)` gives."""
    event = st.dataframe(table, hide_index=True, key=key, on_select="rerun",
                         selection_mode="single-row", **options)
    rows = [r for r in selected_rows(event) if r < len(table)]
    offer(key, rows, lambda: tasks_for_row(rows[0]))


def describe_point(point: dict, fields: Sequence[str]) -> str:
    """A readable name for a selected point, e.g. "10/2026 · Quá hạn"."""
    from analysis.formatting import format_month

    parts = []
    for field, value in zip(fields, _customdata(point)):
        if field == "-" or value in (None, "", ANY):
            continue
        if field == "outcome":
            parts.append(S.DRILL_COUNTED if value == COUNTED
                         else OUTCOME_LABELS.get(value, str(value)))
        elif field == "month":
            parts.append(format_month(value))
        elif field in EITHER_ROLE:
            parts.append(str(value))
        elif field == "cross_dept":
            parts.append(S.DRILL_CROSS[str(value) == "True"])
        elif field.startswith("coord_"):
            parts.append(f"{value} ({S.AS_COORD.lower()})")
        elif field.startswith("lead_"):
            parts.append(f"{value} ({S.AS_LEAD.lower()})")
        else:
            parts.append(str(value))
    return " · ".join(parts) or S.ALL
