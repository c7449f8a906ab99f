"""Page "Tình hình nộp báo cáo" (SPEC §7.9): for each department and reporting month,
whether its log came in on time, late, or not at all (version, when, by whom), and the
upload history behind a square (uploads and restores). The rules are
`analysis.submissions`; the months are the 12 up to the sidebar period's end."""

from __future__ import annotations

import streamlit as st

from analysis import charts
from analysis import periods as P
from analysis import submissions as subs
from analysis.formatting import format_month, format_number
from ui import strings as S
from ui.context import describe, stop_if_not_started
from ui.data import get_store, has_real_data, memo, settings, upload_log
from ui.drilldown import PLOTLY_CONFIG, cached_figure, selected_points
from ui.figures import shown_departments
from ui.filters import current_filters
from ui.strings import nop_bao_cao as W
from ui.strings.nop_bao_cao import NOT_DUE, STATE_LABELS
from ui.submission_tables import cell_history, detail_table, grid_cells, state_counts

KEY_GRID = "nb_grid"
MONTHS = 12

filters = current_filters()
st.title(S.PAGE_SUBMISSIONS)
st.caption(describe(filters))
day = int(settings().get("report_deadline_day", subs.DEFAULT_DEADLINE_DAY))
st.caption(W.INTRO.format(day=day, months=MONTHS)
           + ("" if has_real_data() else " " + W.SAMPLE_NOTE))
stop_if_not_started(filters)

log = upload_log()
last = min(filters.to_month or P.month_of(filters.as_of), P.month_of(filters.as_of))
months = P.month_range(P.shift_month(last, -(MONTHS - 1)), last)
if len(log):  # no columns before the first log
    months = [m for m in months if m >= str(log["month"].min())] or months
departments = shown_departments(filters)
if not departments:
    st.info(W.NO_DEPARTMENTS)
    st.stop()
grid = memo("nb_grid", (tuple(departments), tuple(months), day),
            lambda: subs.submission_grid(log, departments, months, day))
cells = memo("nb_cells", (tuple(departments), tuple(months), day, filters.as_of),
             lambda: grid_cells(grid, log, filters.as_of))

counts = state_counts(cells)
columns = st.columns(4)
for column, state in zip(columns, STATE_LABELS):
    column.metric(STATE_LABELS[state], format_number(counts[state]),
                  help=W.STATE_HELP[state].format(day=day))

st.subheader(W.GRID_TITLE)
st.caption(W.GRID_HELP)
figure = cached_figure(KEY_GRID, (tuple(departments), tuple(months), day, filters.as_of),
                       lambda: charts.submission_figure(cells))
event = st.plotly_chart(figure, key=KEY_GRID, on_select="rerun",
                        selection_mode="points", config=PLOTLY_CONFIG)
points = [p for p in selected_points(event) if len(p.get("customdata") or []) >= 2]
if points:
    department, month = points[0]["customdata"][:2]
    store = get_store()
    history = cell_history(log, memo("restore_events", (), store.restore_events), department,
                           month)
    st.markdown(W.HISTORY_TITLE.format(department=department, month=format_month(month)))
    if history.empty:
        state = cells.loc[(cells["department"] == department) & (cells["month"] == month),
                          "state"]
        st.caption(W.NO_UPLOAD if state.empty or state.iloc[0] != NOT_DUE
                   else W.NO_UPLOAD_NOT_DUE)
    else:
        st.dataframe(history, hide_index=True, key=f"{KEY_GRID}__history")

with st.expander(W.TABLE_TITLE, expanded=False):
    st.dataframe(detail_table(grid, cells, log), hide_index=True)
