"""Page "Cá nhân" (SPEC §7.3): a scorecard per person (led, coordinated, on time,
overdue, coordination load), ranked by the Wilson lower bound (§3.6), with a
preview of the praise and reminder lists."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts
from analysis import periods as P
from analysis.formatting import format_number, format_percent
from analysis.metrics import recognition
from analysis.metrics.recognition import rules_sentence
from analysis.metrics.scorecards import person_scorecard
from analysis.periods import Filters
from ui import strings as S
from ui.context import page_intro
from ui.data import filtered_tasks, load_contributions, memo, thresholds
from ui.drilldown import (
    cached_figure,
    chart_with_drilldown,
    show_chosen_list,
    table_with_drilldown,
    tasks_by_ids,
    tasks_for_points,
)
from ui.filters import current_filters
from ui.strings import ca_nhan as W
from ui.tables import WRAP_ROW_HEIGHT, wrapped

KEY_TABLE, KEY_RANK, KEY_PRAISE, KEY_REMIND = "cn_table", "cn_rank", "cn_praise", "cn_remind"


def scorecard(filters: Filters) -> pd.DataFrame:
    """One row per person: lead figures (tasks led in the selected departments),
    coordinator figures and load (tasks led or coordinated by those departments),
    sorted by the Wilson lower bound of the on-time rate, best first."""
    def compute():
        return person_scorecard(filtered_tasks(filters, P.LEAD), filtered_tasks(filters, P.ANY),
                                load_contributions(), filters.as_of)
    return memo("cn_scorecard", filters, compute)


def _rate(value, has_data: bool) -> str:
    if pd.notna(value):
        return format_percent(value)
    return S.NO_RATE_LABEL if has_data else S.NO_DATA_LABEL


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """Rates as `85,3 %` with their counts; a role without data reads "chưa có số liệu",
    never 0."""
    shown = table.assign(on_time_counts=[f"{format_number(k)}/{format_number(n)}" for k, n in
                                         zip(table["on_time"], table["counted"])])
    shown = shown[list(W.COLUMNS_SCORECARD)].copy()
    for column in ("on_time_rate", "completion_rate"):
        shown[column] = [_rate(v, t > 0) for v, t in zip(table[column], table["tasks"])]
    shown["coord_on_time_rate"] = [_rate(v, t > 0) for v, t in
                                   zip(table["coord_on_time_rate"], table["coord_tasks"])]
    for column in ("tasks", "late", "overdue", "assignments"):
        shown[column] = shown[column].map(format_number)
    return shown.rename(columns=W.COLUMNS_SCORECARD)


def recognition_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({W.COLUMN_NAME: frame["name"], W.COLUMN_REASON: frame["reason"],
                         W.COLUMN_TASK_COUNT: frame["task_ids"].map(len).map(format_number)})


filters = current_filters()
st.title(S.PAGE_PEOPLE)
page_intro(filters, W.INTRO_ROLES)
table = scorecard(filters)
if table.empty:
    st.info(S.NO_TASKS_IN_PERIOD.format(period=P.to_date_label(filters.window)))
    st.stop()

involved = filtered_tasks(filters, P.ANY)
st.subheader(W.TITLE_SCORECARD)
st.caption(W.CAPTION_SCORECARD)


def person_tasks(position: int):
    person = table["person"].iloc[position]
    return (tasks_for_points(involved, [{"customdata": [person, "all"]}], ("person", "outcome")),
            W.DRILL_PERSON.format(person=person))


table_with_drilldown(display_table(table), KEY_TABLE, person_tasks,
                     height=min(38 + 35 * len(table), 460))

st.subheader(W.TITLE_RANKING)
st.caption(W.CAPTION_RANKING)
chart_with_drilldown(
    cached_figure(KEY_RANK, filters, lambda: charts.ranked_bar_figure(
        table, "person", "on_time_rate", rate=True, top=20, hover_label=W.HOVER_ON_TIME_RATE,
        extra=("counted",), order_by="wilson_lower", counts=("on_time", "counted"))),
    KEY_RANK, filtered_tasks(filters, P.LEAD), ("lead_person", "outcome"))

st.subheader(W.TITLE_RECOGNITION)
limits = thresholds()
st.caption(W.CAPTION_RECOGNITION.format(rules=rules_sentence(limits, "person")))
led = filtered_tasks(filters, P.LEAD)
praise, reminder = memo("cn_recognition", (filters, limits), lambda: recognition(
    led, "person", limits, load_contributions(), filters.as_of, coordinated=involved))
for frame, key, title in ((praise, KEY_PRAISE, W.TITLE_PRAISE),
                          (reminder, KEY_REMIND, W.TITLE_REMINDER)):
    st.markdown(f"**{title}** ({format_number(len(frame))})")
    if frame.empty:
        st.caption(W.MESSAGE_NO_ONE)
        continue

    def entry_tasks(position: int, frame=frame, title=title):
        entry = frame.iloc[position]
        return tasks_by_ids(involved, entry["task_ids"]), f"{title}: {entry['name']}"

    table_with_drilldown(recognition_table(frame), key, entry_tasks, row_height=WRAP_ROW_HEIGHT,
                         height=min(40 + (WRAP_ROW_HEIGHT + 1) * len(frame), 420),
                         column_config=wrapped({W.COLUMN_NAME: 170, W.COLUMN_REASON: 560}))
show_chosen_list()
