"""Page "Phòng ban" (SPEC §7.2): each department as lead and as coordinator, side by
side (table and charts), and the monthly trend of a chosen department."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts
from analysis.formatting import format_number, format_percent
from analysis.metrics import monthly_trend
from analysis.metrics.scorecards import side_by_side
from ui import strings as S
from ui.data import load_contributions, memo
from ui.figures import department_roles
from ui.drilldown import chart_with_drilldown, selected_rows, show_tasks, tasks_for_points
from ui.filters import Filters, current_filters, filtered_tasks, shift_month

KEY_TABLE, KEY_RATES, KEY_COUNTS, KEY_TREND, KEY_PICK = (
    "pb_table", "pb_rates", "pb_counts", "pb_trend", "pb_dept")

TABLE_COLUMNS = {
    "name": "Phòng",
    "tasks": "NV chủ trì",
    "on_time_rate": "Tỷ lệ đúng hạn (chủ trì)",
    "completion_rate": "Tỷ lệ hoàn thành (chủ trì)",
    "late": "Trễ hạn",
    "overdue": "Quá hạn",
    "avg_delay_days": "Trễ TB",
    "coord_tasks": "NV phối hợp",
    "coord_on_time_rate": "Tỷ lệ đúng hạn (phối hợp)",
}


def department_figures(filters: Filters) -> pd.DataFrame:
    """One row per department: §3.3 figures as lead joined with §3.4 as coordinator."""
    def compute():
        return side_by_side(*department_roles(filters)).sort_values("name", ignore_index=True)
    return memo("pb_figures", filters, compute)


def display_table(figures: pd.DataFrame) -> pd.DataFrame:
    """Vietnamese headers, `85,3 %` rates, `—` for a missing figure."""
    table = figures[[c for c in TABLE_COLUMNS if c in figures]].copy()
    for column in ("on_time_rate", "completion_rate", "coord_on_time_rate"):
        table[column] = table[column].map(format_percent)
    table["avg_delay_days"] = table["avg_delay_days"].map(lambda v: format_number(v, 1))
    return table.rename(columns=TABLE_COLUMNS)


filters = current_filters()
st.title(S.PAGE_DEPARTMENTS)
st.caption(filters.describe())
figures = department_figures(filters)
if figures.empty:
    st.info(S.NO_DATA)
    st.stop()

st.subheader("Chủ trì và phối hợp theo phòng")
st.caption("Chọn một dòng để xem các nhiệm vụ phòng đó chủ trì hoặc phối hợp. "
           + ("Tỷ lệ phối hợp tính từ sheet “Phối hợp” (hạn và ngày gửi kết quả)."
              if load_contributions() is not None else
              "Tỷ lệ phối hợp tính theo kết quả các nhiệm vụ phòng tham gia phối hợp."))
event = st.dataframe(display_table(figures), hide_index=True, key=KEY_TABLE,
                     on_select="rerun", selection_mode="single-row",
                     column_config={TABLE_COLUMNS["avg_delay_days"]: st.column_config.Column(
                         help="Số ngày trễ trung bình của nhiệm vụ trễ hạn và quá hạn")})
rows = selected_rows(event)
involved = filtered_tasks(filters, "any")
if rows and rows[0] < len(figures):
    name = figures["name"].iloc[rows[0]]
    show_tasks(tasks_for_points(involved, [{"customdata": [name, "all"]}], ("dept", "outcome")),
               f"{name} (chủ trì hoặc phối hợp)", key=f"{KEY_TABLE}__tasks")

lead = figures[figures["tasks"] > 0]
coord = figures[figures["coord_tasks"] > 0]
left, right = st.columns(2)
with left:
    st.subheader("Tỷ lệ đúng hạn")
    chart_with_drilldown(charts.department_rate_figure(lead, coord), KEY_RATES, involved,
                         charts.DEPT_ROLE_FIELDS)
with right:
    st.subheader("Số nhiệm vụ")
    chart_with_drilldown(charts.department_count_figure(lead, coord), KEY_COUNTS, involved,
                         charts.DEPT_ROLE_FIELDS)

st.subheader("Diễn biến của một phòng (chủ trì)")
names = figures.loc[figures["tasks"] > 0, "name"].tolist() or figures["name"].tolist()
chosen = st.selectbox("Phòng", names, key=KEY_PICK)
if chosen:
    chosen_filters = Filters(None, filters.to_month, (chosen,), filters.services,
                             filters.as_of, filters.kind)
    start = shift_month(filters.to_month, -11) if filters.to_month else None
    first = min(start, filters.from_month) if start and filters.from_month else start
    led = filtered_tasks(chosen_filters, "lead", period=False)
    trend = memo("pb_trend", (chosen_filters, first),
                 lambda: monthly_trend(led, first, filters.to_month))
    chart_with_drilldown(charts.trend_figure(trend), KEY_TREND, led, charts.TREND_FIELDS)
