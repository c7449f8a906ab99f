"""Page "Phòng ban" (SPEC §7.2): each department as lead and as coordinator, side by
side (table and charts), whether it has reported, and the monthly trend of a chosen
department. A department without data for the period reads "chưa có số liệu"."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts
from analysis import periods as P
from analysis.formatting import format_number, format_percent, month_list
from analysis.metrics import monthly_trend
from ui import strings as S
from ui.context import missing_reports, page_intro
from ui.data import filtered_tasks, load_contributions, memo, to_date_tasks
from ui.drilldown import (
    cached_figure,
    chart_with_drilldown,
    show_chosen_list,
    table_with_drilldown,
    tasks_for_points,
)
from ui.figures import department_table, report_status
from ui.filters import current_filters
from ui.strings import phong_ban as W
from ui.tables import WRAP_ROW_HEIGHT

KEY_TABLE, KEY_RATES, KEY_COUNTS, KEY_TREND, KEY_PICK = (
    "pb_table", "pb_rates", "pb_counts", "pb_trend", "pb_dept")
TREND_MONTHS = 12

# Width (px) of each column: the table fits a 1366 px screen without scrolling.
COLUMN_WIDTHS = {"name": 142, "report": 108, "tasks": 64, "on_time_rate": 118,
                 "completion_rate": 118, "late": 62, "overdue": 62, "avg_delay_days": 92,
                 "coord_tasks": 70, "coord_on_time_rate": 130}


def report_text(status, name: str) -> str:
    """"Đã nộp", "Chưa nộp 10/2026" (past its deadline), "Nộp muộn 09, 10/2026", "Chưa
    đến hạn nộp" for the period's months that have ended."""
    cells = status.grid[status.grid["department"] == name]
    missing, not_due = status.overdue.get(name, []), status.not_due.get(name, [])
    late = cells.loc[cells["status"] == "late", "month"].tolist()
    parts = ([W.REPORT_MISSING.format(months=month_list(missing))] if missing else []) + (
        [W.REPORT_LATE.format(months=month_list(late))] if late else [])
    if parts:
        return "; ".join(parts)
    if len(cells) and len(not_due) == len(cells):
        return W.REPORT_NOT_DUE
    return W.REPORT_SUBMITTED if len(cells) else ""


def display_table(figures: pd.DataFrame, status) -> pd.DataFrame:
    """Vietnamese headers, `85,3 %` rates; "chưa có số liệu" where a role has no data
    (never a 0 that reads as "no tasks")."""
    rows = []
    for row in figures.itertuples(index=False):
        lead = {"tasks": format_number(row.tasks),
                "on_time_rate": format_percent(row.on_time_rate) if pd.notna(row.on_time_rate)
                else S.NO_RATE_LABEL,
                "completion_rate": format_percent(row.completion_rate)
                if pd.notna(row.completion_rate) else S.NO_RATE_LABEL,
                "late": format_number(row.late), "overdue": format_number(row.overdue),
                "avg_delay_days": format_number(row.avg_delay_days, 1)
                if pd.notna(row.avg_delay_days) else W.NO_DELAY_LABEL} if row.has_lead else {
            "tasks": S.NO_DATA_LABEL, "on_time_rate": S.NO_DATA_LABEL,
            "completion_rate": S.NO_DATA_LABEL, "late": "",
            "overdue": "", "avg_delay_days": ""}
        coord = {"coord_tasks": format_number(row.coord_tasks),
                 "coord_on_time_rate": format_percent(row.coord_on_time_rate)
                 if pd.notna(row.coord_on_time_rate) else S.NO_RATE_LABEL} if row.has_coord \
            else {"coord_tasks": S.NO_DATA_LABEL, "coord_on_time_rate": S.NO_DATA_LABEL}
        rows.append({"name": row.name, "report": report_text(status, row.name), **lead, **coord})
    return pd.DataFrame(rows, columns=list(W.COLUMNS_TABLE)).rename(columns=W.COLUMNS_TABLE)


filters = current_filters()
st.title(S.PAGE_DEPARTMENTS)
page_intro(filters, W.NOTE_ROLES)
status = report_status(filters)
missing_reports(status)
figures = department_table(filters)
if figures.empty:
    st.info(S.NO_TASKS_IN_PERIOD.format(period=P.to_date_label(filters.window)))
    st.stop()
involved = filtered_tasks(filters, P.ANY)

st.subheader(W.TITLE_TABLE)
st.caption(W.CAPTION_TABLE.format(coordination_rate=W.CAPTION_COORD_RATE_SHEET
                                  if load_contributions() is not None else
                                  W.CAPTION_COORD_RATE_NO_SHEET))


def row_tasks(position: int):
    name = figures["name"].iloc[position]
    return (tasks_for_points(involved, [{"customdata": [name, "all"]}], ("dept", "outcome")),
            W.DRILL_ROW.format(name=name))


table_with_drilldown(display_table(figures, status), KEY_TABLE, row_tasks,
                     column_config={W.COLUMNS_TABLE[c]: st.column_config.TextColumn(
                         width=w, help=W.HELP_COLUMNS.get(c)) for c, w in COLUMN_WIDTHS.items()},
                     row_height=WRAP_ROW_HEIGHT,
                     height=min(40 + (WRAP_ROW_HEIGHT + 1) * len(figures), 620))

names = figures["name"].tolist()
left, right = st.columns(2)
with left:
    st.subheader(W.TITLE_RATES)
    lead = figures[figures["has_lead"]]
    coord = figures[figures["has_coord"]]
    chart_with_drilldown(cached_figure(KEY_RATES, filters, lambda: charts.department_rate_figure(
        lead, coord, names=names)), KEY_RATES, involved, charts.DEPT_ROLE_FIELDS)
with right:
    st.subheader(W.TITLE_COUNTS)
    chart_with_drilldown(cached_figure(KEY_COUNTS, filters, lambda: charts.department_count_figure(
        lead, coord, names=names)), KEY_COUNTS, involved, charts.DEPT_ROLE_FIELDS)

st.subheader(W.TITLE_TREND)
choices = figures.loc[figures["has_lead"], "name"].tolist() or names
chosen = st.selectbox(W.LABEL_TREND_DEPARTMENT, choices, key=KEY_PICK)
if chosen:
    chosen_filters = P.Filters(filters.from_month, filters.to_month, (chosen,), filters.services,
                               filters.as_of, filters.kind)
    first, last = chosen_filters.trend_range(TREND_MONTHS)
    led = to_date_tasks(chosen_filters, P.LEAD)
    trend = memo("pb_trend", chosen_filters, lambda: monthly_trend(led, first, last))
    cut = filters.as_of if last and P.month_of(filters.as_of) == last and \
        filters.as_of != P.month_end(last) else None
    chart_with_drilldown(cached_figure(KEY_TREND, chosen_filters, lambda: charts.trend_figure(
        trend, cut=cut)), KEY_TREND, led, charts.TREND_FIELDS)
show_chosen_list()
