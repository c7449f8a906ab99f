"""Page "Phối hợp" (SPEC §7.4): lead × coordinating department matrix, the network
of who works with whom, cross- vs single-department on-time rates, coordinator
responsiveness, coordination load per person (Gini) and on-time rate against load."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts
from analysis.formatting import format_number, format_percent
from analysis.metrics import (
    coordination_load, coordinator_figures, gini, group_figures, matrix, on_time_rate)
from ui import strings as S
from ui.data import load_contributions, memo
from ui.drilldown import chart_with_drilldown, selected_rows, show_tasks, tasks_for_points
from ui.filters import Filters, current_filters, filtered_tasks

KEY_MATRIX, KEY_NETWORK, KEY_CROSS, KEY_RESP, KEY_LOAD, KEY_SCATTER = (
    "ph_matrix", "ph_network", "ph_cross", "ph_resp", "ph_load", "ph_scatter")


def structure(filters: Filters) -> dict:
    """Everything the page draws, computed once per data version and filters.

    Department filter: tasks led OR coordinated by a selected department ("any").
    """
    def compute():
        tasks = filtered_tasks(filters, "any")
        contributions = load_contributions()
        pairs = matrix(tasks)
        live = tasks[tasks["outcome"].ne("cancelled")]
        cross = pd.DataFrame({"cross_dept": live["cross_dept"].astype(bool),
                              "outcome": live["outcome"]})
        counts = (cross.assign(on_time=cross["outcome"].eq("on_time"),
                               late=cross["outcome"].eq("late"),
                               overdue=cross["outcome"].eq("overdue"))
                  .groupby("cross_dept")[["on_time", "late", "overdue"]].sum().reset_index())
        counts["counted"] = counts["on_time"] + counts["late"] + counts["overdue"]
        counts["on_time_rate"] = on_time_rate(counts["on_time"], counts["late"],
                                              counts["overdue"])
        load = coordination_load(tasks, contributions)
        people = group_figures(tasks, by="lead_person").rename(columns={"lead_person": "person"})
        versus = load.merge(people[["person", "tasks", "on_time_rate"]], on="person", how="inner")
        return {
            "matrix": pairs,
            "lead_tasks": group_figures(tasks, by="lead_dept").set_index("lead_dept")["tasks"],
            "cross": counts,
            "coordinators": coordinator_figures(tasks, contributions, filters.as_of, "dept"),
            "load": load,
            "gini": gini(load["assignments"]),
            "versus": versus,
        }
    return memo("ph_structure", filters, compute)


def matrix_table(pairs: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Phòng chủ trì": pairs["lead_dept"], "Phòng phối hợp": pairs["coord_dept"],
                         "Số NV": pairs["tasks"].map(format_number),
                         "Tỷ lệ đúng hạn": pairs["on_time_rate"].map(format_percent)})


filters = current_filters()
st.title(S.PAGE_COORDINATION)
st.caption(filters.describe() + " · Phòng ban: nhiệm vụ do phòng đã chọn chủ trì hoặc phối hợp.")
data = structure(filters)
tasks = filtered_tasks(filters, "any")
if tasks.empty:
    st.info(S.NO_DATA)
    st.stop()

st.subheader("Ma trận chủ trì × phối hợp")
pairs = data["matrix"]
if pairs.empty:
    st.caption("Không có nhiệm vụ nào có phòng phối hợp trong kỳ.")
else:
    st.plotly_chart(charts.matrix_heatmap(pairs), key="ph_heatmap",
                    config={"displaylogo": False})
    with st.expander("Danh sách các cặp phòng — chọn một cặp để xem nhiệm vụ", expanded=True):
        picked = selected_rows(st.dataframe(matrix_table(pairs), hide_index=True, key=KEY_MATRIX,
                                            on_select="rerun", selection_mode="single-row",
                                            height=min(38 + 35 * len(pairs), 320)))
    if picked and picked[0] < len(pairs):
        lead_dept, coord_dept = pairs["lead_dept"].iloc[picked[0]], pairs["coord_dept"].iloc[picked[0]]
        show_tasks(tasks_for_points(tasks, [{"customdata": [lead_dept, coord_dept, "all"]}],
                                    ("lead_dept", "coord_depts_effective", "outcome")),
                   f"{lead_dept} chủ trì, {coord_dept} phối hợp", key=f"{KEY_MATRIX}__tasks")

left, right = st.columns([3, 2])
with left:
    st.subheader("Ai phối hợp với ai")
    st.caption("Mỗi vòng tròn là một phòng (lớn theo số nhiệm vụ chủ trì); nét càng đậm, "
               "hai phòng càng nhiều nhiệm vụ chung. Bấm một phòng để xem nhiệm vụ.")
    chart_with_drilldown(charts.network_figure(pairs, data["lead_tasks"]), KEY_NETWORK, tasks,
                         charts.NODE_FIELDS)
with right:
    st.subheader("Liên phòng và một phòng")
    st.caption("Tỷ lệ đúng hạn của nhiệm vụ có phòng phối hợp so với nhiệm vụ một phòng làm.")
    if data["cross"].empty:
        st.caption(S.NO_DATA)
    else:
        chart_with_drilldown(charts.cross_single_figure(data["cross"]), KEY_CROSS, tasks,
                             charts.CROSS_FIELDS)

st.subheader("Mức đáp ứng của phòng phối hợp")
coordinators = data["coordinators"]
coordinators = coordinators[coordinators["coord_tasks"] > 0]
if filters.departments:
    coordinators = coordinators[coordinators["name"].isin(filters.departments)]
has_sheet = "contrib_on_time" in coordinators
st.caption("Tỷ lệ phần việc phối hợp gửi kết quả đúng hạn (sheet “Phối hợp”)." if has_sheet else
           "Chưa có sheet “Phối hợp”: tỷ lệ đúng hạn của các nhiệm vụ phòng tham gia phối hợp.")
if coordinators.empty:
    st.caption(S.NO_DATA)
else:
    chart_with_drilldown(
        charts.ranked_bar_figure(coordinators, "name", "coord_on_time_rate", rate=True,
                                 color=charts.ROLE_COLORS["coord"], extra=("counted",),
                                 hover_label="Đúng hạn khi phối hợp"),
        KEY_RESP, tasks, ("coord_depts_effective", "outcome"))
    shown = pd.DataFrame({"Phòng": coordinators["name"],
                          "Số NV phối hợp": coordinators["coord_tasks"].map(format_number),
                          "Tỷ lệ đúng hạn": coordinators["coord_on_time_rate"].map(format_percent)})
    if has_sheet:
        shown["Gửi đúng hạn"] = coordinators["contrib_on_time"].map(format_number)
        shown["Gửi trễ"] = coordinators["contrib_late"].map(format_number)
        shown["Quá hạn chưa gửi"] = coordinators["contrib_past_due"].map(format_number)
        shown["Số ngày gửi TB"] = coordinators["avg_response_days"].map(
            lambda v: format_number(v, 1))
        shown["Đánh giá Tốt / Đạt / Chưa đạt"] = [
            f"{g} / {p} / {f}" for g, p, f in zip(coordinators["rating_good"],
                                                   coordinators["rating_pass"],
                                                   coordinators["rating_fail"])]
    st.dataframe(shown, hide_index=True)

st.subheader("Tải phối hợp theo người")
load = data["load"]
value = data["gini"]
st.metric("Hệ số Gini của tải phối hợp", "—" if value is None else format_number(value, 2),
          help="0 = chia đều; càng gần 1 = dồn vào ít người.")
left, right = st.columns(2)
with left:
    st.caption("Số lượt phối hợp mỗi người (25 người nhiều nhất). Bấm một thanh để xem nhiệm vụ.")
    chart_with_drilldown(
        charts.ranked_bar_figure(load[load["assignments"] > 0], "person", "assignments",
                                 hover_label="Lượt phối hợp", color=charts.ROLE_COLORS["coord"],
                                 extra=("all",)),
        KEY_LOAD, tasks, ("coord_people_effective", "outcome"))
with right:
    st.caption("Tỷ lệ đúng hạn khi chủ trì so với tải phối hợp; mỗi điểm là một người.")
    chart_with_drilldown(charts.rate_vs_load_figure(data["versus"]), KEY_SCATTER, tasks,
                         ("lead_person", "outcome"))
