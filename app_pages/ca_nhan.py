"""Page "Cá nhân" (SPEC §7.3): a scorecard per person (led, coordinated, on time,
overdue, coordination load), ranked by the Wilson lower bound (§3.6), with a
preview of the praise and reminder lists."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts
from analysis.formatting import format_number, format_percent
from analysis.metrics import recognition
from analysis.metrics.recognition import rules_sentence
from analysis.metrics.scorecards import person_scorecard
from ui import strings as S
from ui.data import load_contributions, memo, thresholds
from ui.drilldown import (
    chart_with_drilldown, selected_rows, show_tasks, tasks_by_ids, tasks_for_points)
from ui.filters import Filters, current_filters, filtered_tasks

KEY_TABLE, KEY_RANK, KEY_PRAISE, KEY_REMIND = "cn_table", "cn_rank", "cn_praise", "cn_remind"

TABLE_COLUMNS = {
    "person": "Họ và tên",
    "tasks": "Chủ trì",
    "on_time_rate": "Tỷ lệ đúng hạn",
    "on_time_counts": "Đúng hạn / đến hạn",
    "completion_rate": "Tỷ lệ hoàn thành",
    "late": "Trễ hạn",
    "overdue": "Quá hạn",
    "assignments": "Tải phối hợp",
    "coord_on_time_rate": "Đúng hạn khi phối hợp",
}


def scorecard(filters: Filters) -> pd.DataFrame:
    """One row per person: lead figures (tasks led in the selected departments),
    coordinator figures and load (tasks led or coordinated by those departments),
    sorted by the Wilson lower bound of the on-time rate, best first."""
    def compute():
        return person_scorecard(filtered_tasks(filters, "lead"), filtered_tasks(filters, "any"),
                                load_contributions(), filters.as_of)
    return memo("cn_scorecard", filters, compute)


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    shown = table.assign(on_time_counts=[f"{format_number(k)}/{format_number(n)}" for k, n in
                                         zip(table["on_time"], table["counted"])])
    shown = shown[list(TABLE_COLUMNS)].copy()
    for column in ("on_time_rate", "completion_rate", "coord_on_time_rate"):
        shown[column] = shown[column].map(format_percent)
    return shown.rename(columns=TABLE_COLUMNS)


def recognition_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Họ và tên": frame["name"], "Lý do": frame["reason"],
                         "Số NV liên quan": frame["task_ids"].map(len).map(format_number)})


filters = current_filters()
st.title(S.PAGE_PEOPLE)
st.caption(filters.describe())
table = scorecard(filters)
if table.empty:
    st.info(S.NO_DATA)
    st.stop()

involved = filtered_tasks(filters, "any")
st.subheader("Bảng điểm cá nhân")
st.caption("Xếp hạng theo tỷ lệ đúng hạn khi chủ trì có tính đến số lượng việc (cận dưới "
           "Wilson 95 %: 2/2 không xếp trên 95/100); cột “Đúng hạn / đến hạn” cho biết số việc. "
           "Tải phối hợp: số nhiệm vụ được giao phối hợp. Chọn một dòng để xem nhiệm vụ của người đó.")
event = st.dataframe(display_table(table), hide_index=True, key=KEY_TABLE, on_select="rerun",
                     selection_mode="single-row", height=min(38 + 35 * len(table), 460))
rows = selected_rows(event)
if rows and rows[0] < len(table):
    person = table["person"].iloc[rows[0]]
    show_tasks(tasks_for_points(involved, [{"customdata": [person, "all"]}],
                                ("person", "outcome")),
               f"{person} (chủ trì hoặc phối hợp)", key=f"{KEY_TABLE}__tasks")

st.subheader("Xếp hạng đúng hạn khi chủ trì")
st.caption("20 người đứng đầu. Thanh là tỷ lệ đúng hạn kèm số việc (đúng hạn/đến hạn); thứ tự "
           "có tính đến số lượng việc. Bấm một thanh để xem các nhiệm vụ đã tính.")
chart_with_drilldown(
    charts.ranked_bar_figure(table, "person", "on_time_rate", rate=True, top=20,
                             hover_label="Tỷ lệ đúng hạn", extra=("counted",),
                             order_by="wilson_lower", counts=("on_time", "counted")),
    KEY_RANK, filtered_tasks(filters, "lead"), ("lead_person", "outcome"))

st.subheader("Dự kiến biểu dương và nhắc nhở")
limits = thresholds()
st.caption(rules_sentence(limits, "person") + " Chọn một dòng để xem nhiệm vụ.")
led = filtered_tasks(filters, "lead")
praise, reminder = memo("cn_recognition", (filters, limits), lambda: recognition(
    led, "person", limits, load_contributions(), filters.as_of, coordinated=involved))
for frame, key, title in ((praise, KEY_PRAISE, "Biểu dương"), (reminder, KEY_REMIND, "Nhắc nhở")):
    st.markdown(f"**{title}** ({format_number(len(frame))})")
    if frame.empty:
        st.caption("Không có ai.")
        continue
    picked = selected_rows(st.dataframe(
        recognition_table(frame), hide_index=True, key=key, on_select="rerun",
        selection_mode="single-row", height=min(38 + 35 * len(frame), 320),
        column_config={"Lý do": st.column_config.TextColumn(width="large")}))
    if picked and picked[0] < len(frame):
        entry = frame.iloc[picked[0]]
        show_tasks(tasks_by_ids(involved, entry["task_ids"]), f"{title}: {entry['name']}",
                   key=f"{key}__tasks")
