"""Page "Tổng quan" (SPEC §7.1): departments that have not reported, headline figures
with the fair change from the previous period, tasks not due yet, monthly trend,
on-time rate by department, outcomes by service type."""

from __future__ import annotations

import streamlit as st

from analysis import charts
from analysis import periods as P
from analysis.metrics import group_figures, monthly_trend
from ui import strings as S
from ui.cards import card_drilldown, headline_cards
from ui.context import comparison_note, first_month_note, missing_reports, page_intro, upcoming_note
from ui.data import filtered_tasks, memo, to_date_tasks, upcoming_tasks
from ui.drilldown import cached_figure, chart_with_drilldown, show_chosen_list
from ui.figures import department_roles, fair_comparison, headline, report_status, shown_departments
from ui.filters import current_filters
from ui.strings import tong_quan as W

KEY_TREND, KEY_DEPTS, KEY_SERVICES, KEY_CARDS = (
    "tq_trend", "tq_depts", "tq_services", "tq_cards")
TREND_MONTHS = 12  # the trend shows at least the last 12 months up to the period's end

filters = current_filters()
st.title(S.PAGE_OVERVIEW)
page_intro(filters, S.ROLE_LEAD_NOTE)
missing_reports(report_status(filters))

figures = headline(filters)
upcoming = upcoming_tasks(filters, P.LEAD)
if figures["tasks"] == 0 and figures["cancelled"] == 0:  # nothing to count: no card reads 0
    st.info(S.NO_TASKS_IN_PERIOD.format(period=P.to_date_label(filters.window)))
    upcoming_note(upcoming, filters)  # tasks of the period not due yet, if any
    st.stop()
fair = fair_comparison(filters)
headline_cards(figures, fair.previous)
note = comparison_note(fair, filters)
if not fair.comparison.compared and fair.comparison.reason != P.NO_BOUNDS:
    note += " " + first_month_note(filters)
st.caption(note + " " + S.DRILL_HINT)
upcoming_note(upcoming, filters)
card_drilldown(filtered_tasks(filters, P.LEAD), KEY_CARDS, upcoming)

first, last = filters.trend_range(TREND_MONTHS)
trend_tasks = to_date_tasks(filters, P.LEAD)
trend = memo("tq_trend", filters, lambda: monthly_trend(trend_tasks, first, last))
st.subheader(W.TREND_TITLE)
st.caption(W.TREND_CAPTION.format(months=TREND_MONTHS))
cut = filters.as_of if P.month_of(filters.as_of) == last and \
    filters.as_of != P.month_end(last) else None
chart_with_drilldown(cached_figure(KEY_TREND, filters, lambda: charts.trend_figure(trend, cut=cut)),
                     KEY_TREND, trend_tasks, charts.TREND_FIELDS)

left, right = st.columns(2)
with left:
    st.subheader(W.DEPT_RATE_TITLE)
    st.caption(W.DEPT_RATE_CAPTION)
    lead, coord = department_roles(filters)
    chart_with_drilldown(cached_figure(KEY_DEPTS, filters, lambda: charts.department_rate_figure(
        lead, coord, names=shown_departments(filters))),
        KEY_DEPTS, filtered_tasks(filters, P.ANY), charts.DEPT_ROLE_FIELDS)
with right:
    st.subheader(W.SERVICES_TITLE)
    st.caption(W.SERVICES_CAPTION)
    services = memo("tq_services", filters,
                    lambda: group_figures(filtered_tasks(filters, P.LEAD), by="service"))
    services = services[services["tasks"] > 0]
    if services.empty:
        st.caption(S.NO_DATA)
    else:
        chart_with_drilldown(cached_figure(KEY_SERVICES, filters, lambda: charts.outcome_bars_figure(
            services, "service")), KEY_SERVICES, filtered_tasks(filters, P.LEAD),
            charts.SERVICE_FIELDS)
show_chosen_list()
