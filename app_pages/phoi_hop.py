"""Page "Phối hợp" (SPEC §7.4): lead × coordinating department matrix (click a cell for
its tasks), the network of who works with whom, cross- vs single-department on-time
rates, coordinator responsiveness, coordination load per person (how evenly it is
spread: the Gini coefficient) and on-time rate against load."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts
from analysis import periods as P
from analysis.formatting import format_number, format_percent
from analysis.metrics import (
    coordination_load,
    coordinator_figures,
    cross_single_counts,
    gini,
    group_figures,
    matrix,
)
from analysis.periods import Filters
from ui import strings as S
from ui.context import page_intro
from ui.data import filtered_tasks, load_contributions, memo
from ui.drilldown import cached_figure, chart_with_drilldown, show_chosen_list
from ui.figures import shown_departments
from ui.filters import current_filters
from ui.strings import phoi_hop as W

KEY_MATRIX, KEY_NETWORK, KEY_CROSS, KEY_RESP, KEY_LOAD, KEY_SCATTER = (
    "ph_matrix", "ph_network", "ph_cross", "ph_resp", "ph_load", "ph_scatter")


def structure(filters: Filters) -> dict:
    """Everything the page draws, computed once per data version and filters.

    Department filter: tasks led OR coordinated by a selected department ("any").
    """
    def compute():
        tasks = filtered_tasks(filters, P.ANY)
        contributions = load_contributions()
        load = coordination_load(tasks, contributions)
        people = group_figures(tasks, by="lead_person").rename(columns={"lead_person": "person"})
        versus = load.merge(people[["person", "tasks", "on_time_rate"]], on="person", how="inner")
        return {
            "matrix": matrix(tasks),
            "lead_tasks": group_figures(tasks, by="lead_dept").set_index("lead_dept")["tasks"],
            "cross": cross_single_counts(tasks),
            "coordinators": coordinator_figures(tasks, contributions, filters.as_of, "dept"),
            "load": load,
            "gini": gini(load["assignments"]),
            "versus": versus,
        }
    return memo("ph_structure", filters, compute)


def matrix_table(pairs: pd.DataFrame) -> pd.DataFrame:
    headers = W.COLUMNS_PAIRS
    return pd.DataFrame({headers["lead_dept"]: pairs["lead_dept"],
                         headers["coord_dept"]: pairs["coord_dept"],
                         headers["tasks"]: pairs["tasks"].map(format_number),
                         headers["on_time_rate"]: pairs["on_time_rate"].map(
                             lambda r: format_percent(r) if pd.notna(r) else S.NO_RATE_LABEL)})


filters = current_filters()
st.title(S.PAGE_COORDINATION)
page_intro(filters, S.ROLE_ANY_NOTE)
data = structure(filters)
tasks = filtered_tasks(filters, P.ANY)
if tasks.empty:
    st.info(S.NO_TASKS_IN_PERIOD.format(period=P.to_date_label(filters.window)))
    st.stop()

st.subheader(W.TITLE_MATRIX)
pairs = data["matrix"]
if pairs.empty:
    st.caption(W.MESSAGE_NO_PAIRS)
else:
    st.caption(W.CAPTION_MATRIX)
    chart_with_drilldown(cached_figure(KEY_MATRIX, filters, lambda: charts.matrix_figure(pairs)),
                         KEY_MATRIX, tasks, charts.MATRIX_FIELDS)
    with st.expander(W.TITLE_PAIRS_TABLE, expanded=False):
        st.dataframe(matrix_table(pairs), hide_index=True,
                     height=min(38 + 35 * len(pairs), 320))

left, right = st.columns([3, 2])
with left:
    st.subheader(W.TITLE_NETWORK)
    st.caption(W.CAPTION_NETWORK)
    chart_with_drilldown(cached_figure(KEY_NETWORK, filters, lambda: charts.network_figure(
        pairs, data["lead_tasks"])), KEY_NETWORK, tasks, charts.NODE_FIELDS)
with right:
    st.subheader(W.TITLE_CROSS)
    st.caption(W.CAPTION_CROSS)
    chart_with_drilldown(cached_figure(KEY_CROSS, filters, lambda: charts.cross_single_figure(
        data["cross"])), KEY_CROSS, tasks, charts.CROSS_FIELDS)

st.subheader(W.TITLE_RESPONSE)
coordinators = data["coordinators"]
coordinators = coordinators[coordinators["coord_tasks"] > 0]
known = pd.DataFrame({"name": [n for n in shown_departments(filters)
                               if n not in set(coordinators["name"])]})
if filters.departments:
    coordinators = coordinators[coordinators["name"].isin(filters.departments)]
has_sheet = "contrib_on_time" in coordinators
st.caption(W.CAPTION_RESPONSE_SHEET if has_sheet else W.CAPTION_RESPONSE_NO_SHEET)
ranked = pd.concat([coordinators, known.assign(coord_on_time_rate=float("nan"))],
                   ignore_index=True)
if ranked.empty:
    st.caption(S.NO_DATA)
else:
    chart_with_drilldown(
        cached_figure(KEY_RESP, filters, lambda: charts.ranked_bar_figure(
            ranked, "name", "coord_on_time_rate", rate=True, color=charts.ROLE_COLORS["coord"],
            extra=("counted",), hover_label=W.HOVER_RESPONSE, keep_missing=True)),
        KEY_RESP, tasks, ("coord_depts_effective", "outcome"))
    headers = W.COLUMNS_RESPONSE
    shown = pd.DataFrame({headers["name"]: coordinators["name"],
                          headers["coord_tasks"]: coordinators["coord_tasks"].map(format_number),
                          headers["coord_on_time_rate"]: coordinators["coord_on_time_rate"].map(
                              lambda r: format_percent(r) if pd.notna(r) else S.NO_RATE_LABEL)})
    if has_sheet:
        shown[headers["contrib_on_time"]] = coordinators["contrib_on_time"].map(format_number)
        shown[headers["contrib_late"]] = coordinators["contrib_late"].map(format_number)
        shown[headers["contrib_past_due"]] = coordinators["contrib_past_due"].map(format_number)
        shown[headers["avg_response_days"]] = coordinators["avg_response_days"].map(
            lambda v: format_number(v, 1))
        shown[headers["ratings"]] = [
            f"{g} / {p} / {f}" for g, p, f in zip(coordinators["rating_good"],
                                                   coordinators["rating_pass"],
                                                   coordinators["rating_fail"])]
    st.dataframe(shown, hide_index=True)

st.subheader(W.TITLE_LOAD)
load = data["load"]
value = data["gini"]
st.metric(W.LABEL_GINI, "—" if value is None else format_number(value, 2), help=W.HELP_GINI)
st.caption(W.CAPTION_GINI)
left, right = st.columns(2)
with left:
    st.caption(W.CAPTION_LOAD)
    chart_with_drilldown(
        cached_figure(KEY_LOAD, filters, lambda: charts.ranked_bar_figure(
            load[load["assignments"] > 0], "person", "assignments", hover_label=W.HOVER_LOAD,
            color=charts.ROLE_COLORS["coord"], extra=("all",))),
        KEY_LOAD, tasks, ("coord_people_effective", "outcome"))
with right:
    st.caption(W.CAPTION_RATE_VS_LOAD)
    chart_with_drilldown(cached_figure(KEY_SCATTER, filters, lambda: charts.rate_vs_load_figure(
        data["versus"])), KEY_SCATTER, tasks, ("lead_person", "outcome"))
show_chosen_list()
