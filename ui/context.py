"""What the figures on a page cover, said in words (SPEC §7 "Fair comparisons"): the
period (to date when partial), what a month means and whom a figure counts, a period
that has not started, the comparison made or why none is, tasks not due yet, and the
departments that have not reported. Pages call these; the rules are `analysis.periods`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import periods as P
from analysis.formatting import format_date, format_month, format_number, month_list
from analysis.periods import Filters
from ui import strings as S
from ui.figures import FairComparison, ReportStatus


def describe(filters: Filters) -> str:
    """One line for captions: the period (to date when partial), departments, services."""
    parts = [S.PERIOD_LINE.format(period=P.to_date_label(filters.window))
             if filters.started else S.PERIOD_LINE.format(period=filters.label())]
    parts.append(f"{S.AS_OF.lower()}: {format_date(filters.as_of)}")
    if filters.departments:
        parts.append(f"{S.DEPARTMENTS.lower()}: {', '.join(filters.departments)}")
    if filters.services:
        parts.append(f"{S.SERVICES.lower()}: {', '.join(filters.services)}")
    return " · ".join(parts)


def page_intro(filters: Filters, role_note: str | None = None) -> None:
    """The caption under a page title: period and filters, then what a month means and
    whom the figures count (`role_note`). Stops the page when the period has not
    started (SPEC §7: such a period has no figures, and the page says why)."""
    st.caption(describe(filters))
    stop_if_not_started(filters)
    st.caption(" ".join(filter(None, [S.MONTH_MEANING, role_note])))
    window = filters.window
    if window.partial:
        st.caption(S.PARTIAL_NOTE.format(period=filters.label(), day=format_date(window.cut)))


def stop_if_not_started(filters: Filters) -> None:
    """A period that starts after the as-of day has no figures: say so and stop."""
    if not filters.started:
        start = P.month_start(filters.from_month)
        st.info(S.NOT_STARTED.format(period=filters.label(), start=format_date(start),
                                     as_of=format_date(filters.as_of)),
                icon=":material/event_busy:")
        st.stop()


def comparison_note(fair: FairComparison, filters: Filters) -> str:
    """The sentence under the headline cards: what they are compared with, or why not."""
    comparison = fair.comparison
    before = filters.previous()
    if comparison.compared:
        template = S.COMPARED_PARTIAL if comparison.current.partial else S.COMPARED_COMPLETE
        return template.format(current=P.to_date_label(comparison.current),
                               previous=P.to_date_label(comparison.previous),
                               previous_as_of=format_date(before.as_of))
    since = S.DATA_SINCE.format(first=format_month(fair.first_month)) if fair.first_month else ""
    note = S.NOT_COMPARED.get(comparison.reason, "").format(
        previous=comparison.previous_label, first=format_month(fair.first_month or ""),
        since=since)
    return note


def first_month_note(filters: Filters) -> str:
    """How the first month of the data was chosen (said where a comparison is refused)."""
    which = (S.FIRST_DATA_WHICH.format(departments=", ".join(filters.departments))
             if filters.departments else "")
    return S.FIRST_DATA_NOTE.format(which=which)


def upcoming_note(upcoming: pd.DataFrame, filters: Filters) -> None:
    """SPEC §7: a partial period's tasks not due yet are shown apart, not as a fall."""
    live = upcoming[upcoming["outcome"].ne("cancelled").to_numpy()] if len(upcoming) else upcoming
    if filters.window.partial and len(live):
        st.caption(S.UPCOMING_NOTE.format(count=format_number(len(live)),
                                          day=format_date(filters.window.cut)))


def missing_reports(status: ReportStatus) -> None:
    """SPEC §7.9: name the departments that have not reported for the period, so missing
    data never reads as "no tasks"."""
    if status.overdue:
        items = "; ".join(f"{name} ({month_list(months)})"
                          for name, months in status.overdue.items())
        st.warning(S.MISSING_REPORTS.format(items=items), icon=":material/report:")
    if status.not_due:
        items = "; ".join(f"{name} ({month_list(months)})"
                          for name, months in status.not_due.items())
        st.caption(S.NOT_DUE_REPORTS.format(day=status.deadline_day, items=items))
