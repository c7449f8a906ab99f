"""Page "Nhiệm vụ" (SPEC §7.5): the filterable task list.

Sidebar filters (period, departments as lead or coordinator, services, as-of date)
plus this page's own: outcome, deadline warning, lead department, person, text.
Open tasks overdue, due today or due within 7 days of the as-of date carry a
warning label and come first. Extensions (gia hạn) and reassignments (chuyển chủ
trì) are columns of the list and a tab of their own. The full filtered list
exports to Excel/CSV (formula-injection safe); each export is written to the
audit log (rows and SHA-256 only). A department head's export holds only the listed
tasks their department leads or coordinates (SPEC §8; checked again in analysis).

Fast at 100 000 tasks: the joined list is cached per filters and data version, the
page's own filtering and sorting per query; at most `MAX_ROWS` rows are drawn (a pandas
Styler colours the warning cells, and styling costs ~1 ms per row on every run), the
export holds them all and is built only when the button is pressed.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from analysis import access
from analysis import periods as P
from analysis.exports import department_rows
from analysis.formatting import OUTCOME_LABELS, format_date, format_number
from analysis.task_list import (
    DEADLINE_COLOURS,
    DEADLINE_LABELS,
    DUE_SOON,
    DUE_TODAY,
    EXPORT_FORMATS,
    OVERDUE,
    TABLE_COLUMNS,
    TaskQuery,
    change_list,
    change_summary,
    change_table,
    export_and_audit,
    filter_tasks,
    list_counts,
    search_keys,
    sort_for_list,
    still_open_before,
    task_table,
    with_list_columns,
)
from ui import strings as S
from ui.auth import current_actor
from ui.context import describe, page_intro
from ui.data import get_store, load_annotated, load_tasks, memo, task_changes
from ui.filters import current_filters
from ui.strings import nhiem_vu as W
from ui.tables import TASK_ROW_HEIGHT, task_column_config

MAX_ROWS = 250
LARGE_EXPORT = 20_000  # rows: above this the Excel file takes noticeably long (~10 s at 100k)
KEY_OUTCOMES, KEY_DEADLINES, KEY_LEADS, KEY_PERSON, KEY_TEXT, KEY_CHANGED, KEY_CARRY = (
    "nv_outcomes", "nv_deadlines", "nv_leads", "nv_person", "nv_text", "nv_changed", "nv_carry")
DATE_COLUMNS = tuple(TABLE_COLUMNS[c] for c in (
    "assigned_date", "due_date", "original_due_date", "done_date"))

store = get_store()
filters = current_filters()
st.title(S.PAGE_TASKS)
page_intro(filters, S.ROLE_ANY_NOTE)


def changes_table():
    """The history between months with its display columns, once per data version."""
    return memo("nv_change_table", (), lambda: change_table(task_changes()))


def listed_tasks(carry_over: bool):
    """The sidebar's tasks (led or coordinated by the chosen departments) with the
    list columns: every task of the period's months, those not due yet by the as-of day
    included (flagged `upcoming`: a list for reminders shows what comes next); with
    `carry_over`, plus earlier months' tasks still open."""
    def compute():
        annotated = load_annotated(filters.as_of)
        everything = P.filter_tasks(annotated, filters, P.ANY, period=False)
        in_period = P.select_months(everything, filters.from_month, filters.to_month)
        frame = in_period
        if carry_over:
            frame = everything[everything.index.isin(in_period.index)
                               | still_open_before(everything, filters.from_month)]
        summary = memo("change_summary", (), lambda: change_summary(None, changes_table()))
        listed = with_list_columns(frame, filters.as_of, summary=summary)
        return listed.assign(upcoming=P.reference_days(listed).gt(
            pd.Timestamp(filters.as_of)).fillna(False).astype(bool).to_numpy())
    return memo("nv_listed", (filters, carry_over), compute)


COLOUR_BY_LABEL = {DEADLINE_LABELS[state]: colour for state, colour in DEADLINE_COLOURS.items()}


def styled(table):
    """Colour the deadline warning cell; dates dd/mm/yyyy. Only the shown rows
    (at most MAX_ROWS) are styled: a Styler over 100 000 rows would be slow."""
    dates = {name: format_date for name in DATE_COLUMNS if name in table}
    texts = [name for name in table if pd.api.types.is_string_dtype(table[name])]
    table = table.fillna({name: "" for name in texts})  # an empty cell, not a grey "None"
    return (table.style.map(lambda label: COLOUR_BY_LABEL.get(label, ""),
                            subset=[TABLE_COLUMNS["deadline_label"]])
            .format(na_rep="")  # every column: an empty cell, not "nan" / "<NA>"
            .format(dates, na_rep=""))


def people_of(frame) -> list[str]:
    names = set(frame["lead_person"].dropna().astype("str").unique())
    for group in pd.unique(frame["coord_people"]):  # a few distinct tuples, not every row
        names.update(group)
    return sorted(names)


# --- page filters ---------------------------------------------------------------------
carry_over = st.toggle(W.TOGGLE_CARRY_OVER, key=KEY_CARRY, help=W.HELP_CARRY_OVER)
listed = listed_tasks(carry_over)

with st.container(border=True):
    top = st.columns([2, 2, 2])
    outcomes = top[0].multiselect(W.LABEL_OUTCOMES, list(OUTCOME_LABELS), key=KEY_OUTCOMES,
                                  format_func=OUTCOME_LABELS.get, placeholder=S.ALL)
    deadlines = top[1].multiselect(W.LABEL_DEADLINES, [OVERDUE, DUE_TODAY, DUE_SOON],
                                   key=KEY_DEADLINES, format_func=DEADLINE_LABELS.get,
                                   placeholder=S.ALL)
    leads = top[2].multiselect(W.LABEL_LEADS,
                               memo("nv_leads", (filters, carry_over),
                                    lambda: sorted(listed["lead_dept"].dropna().astype("str").unique())),
                               key=KEY_LEADS, placeholder=S.ALL)
    bottom = st.columns([2, 3, 2])
    people = memo("nv_people", (filters, carry_over), lambda: people_of(listed))
    person = bottom[0].selectbox(W.LABEL_PERSON, ["", *people], key=KEY_PERSON,
                                 format_func=lambda name: name or S.ALL)
    text = bottom[1].text_input(W.LABEL_TEXT, key=KEY_TEXT, help=W.HELP_TEXT)
    changed = bottom[2].checkbox(W.LABEL_CHANGED, key=KEY_CHANGED, help=W.HELP_CHANGED)

query = TaskQuery(outcomes=tuple(outcomes), deadlines=tuple(deadlines), lead_depts=tuple(leads),
                  person=person or "", text=text or "", changed_only=changed)


def shown_tasks():
    """The listed tasks the page's filters keep, most urgent first, with their counts."""
    keys = memo("nv_search_keys", (), lambda: search_keys(load_tasks()), big=True) \
        if query.text.strip() else None
    shown = sort_for_list(filter_tasks(listed, query, keys))
    upcoming = shown["upcoming"].to_numpy()
    return (shown, list_counts(shown), list_counts(shown[~upcoming]).tasks,
            int((upcoming & shown["status"].ne("cancelled").to_numpy()).sum()))


shown, counts, due_tasks, later = memo("nv_shown", (filters, carry_over, query), shown_tasks,
                                       big=True)

# --- counts -----------------------------------------------------------------------------
is_partial = filters.window.partial
top, bottom = st.columns(4), st.columns(4)
top[0].metric(W.CARD_TASKS_TO_DATE.format(day=format_date(filters.as_of)) if is_partial
              else W.CARD_TASKS, format_number(due_tasks),
              help=W.HELP_TASKS_TO_DATE if is_partial else W.HELP_TASKS)
top[1].metric(W.CARD_OVERDUE, format_number(counts.overdue))
top[2].metric(W.CARD_DUE_TODAY, format_number(counts.due_today))
top[3].metric(W.CARD_DUE_SOON, format_number(counts.due_soon))
if is_partial:
    bottom[0].metric(S.CARD_UPCOMING, format_number(later), help=W.HELP_UPCOMING.format(
        day=format_date(filters.as_of)))
bottom[1].metric(W.CARD_EXTENDED, format_number(counts.extended))
bottom[2].metric(W.CARD_REASSIGNED, format_number(counts.reassigned))

# --- export (SPEC §8: a department head exports only their department's tasks) -----------
actor = current_actor()
exported = shown
if actor.role == access.DEPT_HEAD:
    exported = shown[department_rows(shown, actor.department)]
title = W.EXPORT_TITLE.format(filters=describe(filters))
changes = task_changes()
audit_details = {"period_from": filters.from_month, "period_to": filters.to_month,
                 "as_of": filters.as_of.isoformat()}
left, right, note = st.columns([1, 1, 3])
left.download_button(W.BUTTON_EXCEL, key="nv_export_xlsx", icon=":material/download:", on_click="ignore",
                     data=partial(export_and_audit, store, actor, exported, "xlsx", title, changes,
                                  **audit_details),
                     file_name="danh_sach_nhiem_vu.xlsx", mime=EXPORT_FORMATS["xlsx"],
                     disabled=exported.empty)
right.download_button(W.BUTTON_CSV, key="nv_export_csv", icon=":material/download:", on_click="ignore",
                      data=partial(export_and_audit, store, actor, exported, "csv", None, None,
                                   **audit_details),
                      file_name="danh_sach_nhiem_vu.csv", mime=EXPORT_FORMATS["csv"],
                      disabled=exported.empty)
whose = (W.CAPTION_EXPORT_DEPARTMENT.format(department=actor.department)
         if exported is not shown else "")
note.caption(W.CAPTION_EXPORT.format(rows=format_number(len(exported)), whose=whose)
             + (W.CAPTION_LARGE_EXPORT if len(exported) > LARGE_EXPORT else ""))

# --- the list and the history of changes -------------------------------------------------
tab_list, tab_changes = st.tabs(list(W.TABS))
with tab_list:
    if shown.empty:
        st.info(S.NO_DATA)
    else:
        if len(shown) > MAX_ROWS:
            st.caption(W.CAPTION_TRUNCATED.format(shown=format_number(MAX_ROWS),
                                                  total=format_number(len(shown))))
        table = task_table(shown.head(MAX_ROWS))
        st.dataframe(styled(table), hide_index=True, width="stretch", key="nv_table",
                     column_config=task_column_config(table, styled=True),
                     row_height=TASK_ROW_HEIGHT,
                     height=min(40 + (TASK_ROW_HEIGHT + 1) * len(table), 720))
with tab_changes:
    history = memo("nv_change_list", (filters, carry_over, query),
                   lambda: change_list(None, shown["task_id"], changes_table()))
    st.caption(W.CAPTION_CHANGES)
    if history.empty:
        st.info(W.MESSAGE_NO_CHANGES)
    else:
        st.dataframe(history.head(MAX_ROWS), hide_index=True, width="stretch", key="nv_changes")
