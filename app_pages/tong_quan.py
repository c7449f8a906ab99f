"""Page "Tổng quan" (SPEC §7.1): headline figures with the change from the previous
period, monthly trend, on-time rate by department, outcomes by service type."""

from __future__ import annotations

import streamlit as st

from analysis import charts
from analysis.metrics import cross_vs_single, group_figures, monthly_trend
from ui import strings as S
from ui.cards import card_drilldown, headline_cards
from ui.data import memo
from ui.drilldown import chart_with_drilldown
from ui.figures import department_roles
from ui.filters import Filters, current_filters, filtered_tasks, shift_month

KEY_TREND, KEY_DEPTS, KEY_SERVICES, KEY_CARDS = (
    "tq_trend", "tq_depts", "tq_services", "tq_cards")
TREND_MONTHS = 12  # the trend shows at least the last 12 months up to the period's end


def headline(filters: Filters) -> dict:
    """§3.3 overall figures of the tasks the filters keep (lead department filter)."""
    def compute():
        tasks = filtered_tasks(filters, "lead")
        figures = group_figures(tasks).iloc[0].to_dict()
        figures.update(cross_vs_single(tasks))
        return figures
    return memo("tq_headline", filters, compute)


def trend_range(filters: Filters) -> tuple[str | None, str | None]:
    if not filters.to_month:
        return filters.from_month, filters.to_month
    start = shift_month(filters.to_month, -(TREND_MONTHS - 1))
    return min(start, filters.from_month or start), filters.to_month


filters = current_filters()
st.title(S.PAGE_OVERVIEW)
st.caption(filters.describe())

figures = headline(filters)
previous_filters = filters.previous()
previous = headline(previous_filters)
has_previous = filters.months > 0 and previous["tasks"] > 0
headline_cards(figures, previous if has_previous else None)
st.caption((S.COMPARED_WITH if has_previous else S.NO_PREVIOUS).format(
    period=previous_filters.period_label()) + " " + S.DRILL_HINT)

if figures["tasks"] == 0 and figures["cancelled"] == 0:
    st.info(S.NO_DATA)
    st.stop()
card_drilldown(filtered_tasks(filters, "lead"), KEY_CARDS)

first, last = trend_range(filters)
trend = memo("tq_trend", filters, lambda: monthly_trend(
    filtered_tasks(filters, "lead", period=False), first, last))
st.subheader("Diễn biến theo tháng")
st.caption(f"{TREND_MONTHS} tháng gần nhất đến hết kỳ: số nhiệm vụ theo kết quả (cột) "
           "và tỷ lệ đúng hạn (đường).")
chart_with_drilldown(charts.trend_figure(trend), KEY_TREND,
                     filtered_tasks(filters, "lead", period=False), charts.TREND_FIELDS)

left, right = st.columns(2)
with left:
    st.subheader("Tỷ lệ đúng hạn theo phòng")
    st.caption("Khi chủ trì và khi phối hợp.")
    lead, coord = department_roles(filters)
    if lead.empty and coord.empty:
        st.caption(S.NO_DATA)
    else:
        chart_with_drilldown(charts.department_rate_figure(lead, coord), KEY_DEPTS,
                             filtered_tasks(filters, "any"), charts.DEPT_ROLE_FIELDS)
with right:
    st.subheader("Kết quả theo loại dịch vụ")
    st.caption("Số nhiệm vụ theo kết quả, mỗi loại dịch vụ một thanh.")
    services = memo("tq_services", filters,
                    lambda: group_figures(filtered_tasks(filters, "lead"), by="service"))
    services = services[services["tasks"] > 0]
    if services.empty:
        st.caption(S.NO_DATA)
    else:
        chart_with_drilldown(charts.outcome_bars_figure(services, "service"), KEY_SERVICES,
                             filtered_tasks(filters, "lead"), charts.SERVICE_FIELDS)
