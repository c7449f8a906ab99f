"""Page "Họp đánh giá" (SPEC §7.7): the evaluation-meeting brief for a period.

A meeting is monthly (giao ban), quarterly or half-yearly (sơ kết) or yearly (tổng kết):
the page picks its period itself (month, quarter, six months, year) and takes the as-of
day from the sidebar; the department and service filters of the sidebar do not apply
(the brief is the center's, or a head's own department's part).
Everything shown is `analysis.brief.figures.brief_figures`; the Word and Excel files are
written from the same figures, on demand, after the access check (analysis.brief.export).
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from analysis.access import AccessDenied
from analysis.brief import tables
from analysis.brief import text as T
from analysis.brief.evaluation import evaluation
from analysis.brief.export import FORMATS, brief_scope, export_brief, file_name
from analysis.brief.figures import PeriodError, brief_figures
from analysis.brief.sources import brief_inputs
from analysis.formatting import format_number, format_percent
from analysis.metrics.recognition import rules_sentence
from analysis.periods import (
    HALF,
    KIND_LABELS,
    MONTH,
    QUARTER,
    YEAR,
    bounds,
    offered_periods,
    period_label,
    period_value,
)
from ui import strings as S
from ui.auth import current_actor
from ui.cards import card_delta
from ui.data import filter_options, get_store, load_contributions, load_tasks, memo, thresholds
from ui.drilldown import selected_rows, show_tasks, tasks_by_ids, tasks_for_points
from ui.filters import current_filters
from ui.strings import hop_danh_gia as W

KINDS = (MONTH, QUARTER, HALF, YEAR)
KEY_KIND, KEY_PERIOD = "hdg_kind", "hdg_period"
KEY_DEPTS = "hdg_depts"
LIST_KEYS = {("praise", "dept"): "hdg_praise_dept", ("praise", "person"): "hdg_praise_person",
             ("reminder", "dept"): "hdg_remind_dept", ("reminder", "person"): "hdg_remind_person"}
SIDEBAR_KIND = {"thang": MONTH, "quy": QUARTER, "nam": YEAR}

st.title(S.PAGE_MEETING)
store = get_store()
sidebar = current_filters()
as_of = sidebar.as_of
options = filter_options()
actor = current_actor()
try:
    scope = brief_scope(actor)
except AccessDenied as refusal:
    st.error(refusal.message)
    st.stop()

# --- the meeting's period ------------------------------------------------------------------
if KEY_KIND not in st.session_state:
    st.session_state[KEY_KIND] = SIDEBAR_KIND.get(sidebar.kind, QUARTER)
left, right = st.columns([2, 3])
kind = left.radio(W.LABEL_MEETING_KIND, KINDS, key=KEY_KIND, horizontal=True,
                  format_func=KIND_LABELS.get)
offered = offered_periods(kind, list(options.months), as_of)
if not offered:
    st.info(W.MESSAGE_NO_PERIOD.format(as_of=as_of))
    st.stop()
wanted = period_value(kind, sidebar.to_month) if sidebar.to_month else offered[-1]
if st.session_state.get(KEY_PERIOD) not in offered:
    st.session_state[KEY_PERIOD] = wanted if wanted in offered else offered[-1]
value = right.selectbox(W.LABEL_PERIOD, offered, key=KEY_PERIOD,
                        format_func=lambda v: period_label(*bounds(kind, v)))
from_month, to_month = bounds(kind, value)


def figures_for(from_month: str, to_month: str):
    def compute():
        return brief_figures(brief_inputs(store, as_of, from_month, to_month, kind, scope,
                                          tasks=load_tasks(), contributions=load_contributions(),
                                          thresholds=thresholds()))
    return memo("hdg_figures", (from_month, to_month, kind, as_of, scope, thresholds()),
                compute, big=True)


try:
    f = figures_for(from_month, to_month)
except PeriodError as exc:
    st.warning(W.MESSAGE_NO_BRIEF.format(error=exc))
    st.stop()

who = W.SCOPE_WHOLE_CENTER if f.whole_center else W.SCOPE_DEPARTMENT.format(scope=scope)
st.caption(W.CAPTION_PERIOD.format(period=f.period_label, as_of=as_of, who=who)
           + T.MONTH_MEANING + (W.CAPTION_PERIOD_NOT_OVER if f.cut else "")
           + W.CAPTION_FILTERS_IGNORED)

# --- downloads ---------------------------------------------------------------------------------
down_word, down_excel, down_note = st.columns([1, 1, 3])
for column, fmt, label in ((down_word, "docx", W.BUTTON_DOWNLOAD_WORD),
                           (down_excel, "xlsx", W.BUTTON_DOWNLOAD_EXCEL)):
    column.download_button(label, key=f"hdg_{fmt}", icon=":material/download:",
                           on_click="ignore", data=partial(export_brief, store, actor, f, fmt),
                           file_name=file_name(f, fmt), mime=FORMATS[fmt])
down_note.caption(W.CAPTION_DOWNLOADS)

# --- I. results --------------------------------------------------------------------------------
line, before = f.overall, f.previous_overall
st.subheader(W.TITLE_RESULTS)
subject = W.SUBJECT_WHOLE_CENTER if f.whole_center else scope
period = T.period_phrase(from_month, to_month) + (
    W.PERIOD_CUT.format(cut=f.cut) if f.cut else "")
st.markdown(T.overall_paragraph(line, subject, period))
cards = st.columns(5)
for column, (key, label, kind_, colour, help_text) in zip(cards, (
        ("due", W.CARD_LABELS["due"], "count", "off", W.CARD_HELP["due"]),
        ("completion_rate", W.CARD_LABELS["completion_rate"], "rate", "normal",
         W.CARD_HELP["completion_rate"]),
        ("on_time_rate", W.CARD_LABELS["on_time_rate"], "rate", "normal",
         W.CARD_HELP["on_time_rate"]),
        ("in_term", W.CARD_LABELS["in_term"], "count", "off", W.CARD_HELP["in_term"]),
        ("overdue", W.CARD_LABELS["overdue"], "count", "inverse", W.CARD_HELP["overdue"]))):
    shown = format_percent(line[key]) if kind_ == "rate" else format_number(line[key])
    delta = card_delta(line, before, key, kind_)
    flat = delta is not None and delta[0] not in "+-"
    column.metric(label, shown, delta=delta, delta_color="off" if flat else colour,
                  delta_arrow="off" if flat else "auto", help=help_text, border=True)
st.caption(T.comparison_paragraph(line, before, T.comparison_label(f), f.reason))
if line["upcoming"]:
    st.caption(T.upcoming_sentence(line, f.cut))
with st.expander(W.EXPANDER_METHOD):
    st.markdown(T.FOUR_WAY_DEFINITIONS)
    st.markdown(rules_sentence(f.inputs.thresholds, "dept")
                .replace(W.RULES_DEPT_MINIMUM,
                         W.RULES_BOTH_MINIMUMS.format(person=f.inputs.thresholds.min_tasks_person)))

st.markdown(W.CAPTION_DEPARTMENTS)
departments = tables.department_table(f, options.departments)
picked = selected_rows(st.dataframe(
    departments, hide_index=True, key=KEY_DEPTS, on_select="rerun",
    selection_mode="single-row", height=min(38 + 35 * len(departments), 420),
    column_config={W.COLUMN_LEAD_RESULT: st.column_config.TextColumn(width="large")}))
if picked and picked[0] < len(departments):
    name = departments[W.COLUMN_DEPARTMENT].iloc[picked[0]]
    show_tasks(tasks_for_points(f.window_tasks, [{"customdata": [name, "all"]}],
                                ("dept", "outcome")),
               W.DRILL_DEPARTMENT.format(name=name), key=f"{KEY_DEPTS}__tasks")

# --- II. evaluation -------------------------------------------------------------------------
strengths, weaknesses = evaluation(f)
good, bad = st.columns(2)
with good:
    st.subheader(W.TITLE_STRENGTHS)
    st.markdown("\n".join(f"- {s}" for s in strengths))
with bad:
    st.subheader(W.TITLE_WEAKNESSES)
    st.markdown("\n".join(f"- {s}" for s in weaknesses))

# --- III. praise and reminders -----------------------------------------------------------------
st.subheader(W.TITLE_RECOGNITION)
st.caption(rules_sentence(f.inputs.thresholds, "dept").replace(
    W.RULES_DEPT_MINIMUM, W.RULES_BOTH_MINIMUMS.format(person=f.inputs.thresholds.min_tasks_person))
    + W.CAPTION_RECOGNITION_HINT)
where = dict(zip(f.people["name"], f.people["department"]))
praise_tab, reminder_tab, best_tab = st.tabs(W.TABS_RECOGNITION)
for tab, kind_name, lists in ((praise_tab, "praise", (f.praise_departments, f.praise_people)),
                              (reminder_tab, "reminder",
                               (f.reminder_departments, f.reminder_people))):
    with tab:
        for role, frame, label in (("dept", lists[0], W.LIST_LABELS["dept"]),
                                   ("person", lists[1], W.LIST_LABELS["person"])):
            st.markdown(f"**{label}** ({format_number(len(frame))})")
            if frame.empty:
                st.caption(W.MESSAGE_LIST_EMPTY)
                continue
            key = LIST_KEYS[(kind_name, role)]
            table = tables.recognition_table(frame, where if role == "person" else None)
            rows = selected_rows(st.dataframe(
                table, hide_index=True, key=key, on_select="rerun", selection_mode="single-row",
                height=min(38 + 35 * len(table), 320),
                column_config={W.COLUMN_REASON: st.column_config.TextColumn(width="large")}))
            if rows and rows[0] < len(frame):
                entry = frame.iloc[rows[0]]
                show_tasks(tasks_by_ids(f.window_tasks, entry["task_ids"]),
                           f"{entry['name']}", key=f"{key}__tasks")
with best_tab:
    best = tables.coordinators_table(f)
    if best.empty:
        st.caption(W.CAPTION_NO_COORDINATORS)
    else:
        st.caption(W.CAPTION_COORDINATORS)
        st.dataframe(best, hide_index=True, key="hdg_best")

# --- IV. overdue ------------------------------------------------------------------------------
st.subheader(W.TITLE_OVERDUE)
st.caption(T.overdue_sentence(f.overdue_tasks, as_of, len(f.overdue_tasks))
           .split(W.OVERDUE_LIST_HEADING)[0] + W.CAPTION_OVERDUE_ORDER)
if len(f.overdue_tasks):
    st.dataframe(tables.overdue_table(f), hide_index=True, key="hdg_overdue",
                 height=min(38 + 35 * len(f.overdue_tasks), 420),
                 column_config={W.COLUMN_TASK_TITLE: st.column_config.TextColumn(width="large")})

# --- V. submissions -----------------------------------------------------------------------------
st.subheader(W.TITLE_SUBMISSIONS)
st.markdown(T.submissions_paragraph(f))
grid = tables.submissions_table(f)
if not grid.empty:
    with st.expander(W.EXPANDER_SUBMISSIONS):
        st.dataframe(grid, hide_index=True, key="hdg_submissions")
