"""Page "Quản trị" (SPEC §6, §7.8, §8): administrator only.

Tabs:
1. Danh mục — departments (name, short code) and the staff roster (name, department,
   position), edited as tables or exported / imported as one Excel workbook (with the
   settings). The import reads the file through the same limited reading as uploads
   (`catalogue_workbook.read_uploaded_catalogue`) and changes nothing until confirmed.
   A change applies to the next validation (unknown department names get the closest
   catalogue name suggested; the template's dropdowns list the catalogue) and to the
   figures; stored uploads are never rewritten.
2. Thiết lập — recognition thresholds, upload limits, the reporting deadline, sign-in
   limits, the meeting brief's header and signature (SPEC §6, §7.1).
3. Tài khoản — add, disable / enable, unlock, set a new password.
4. Nhật ký hoạt động — the audit log filtered by who, what and when; CSV/Excel export.

Every change goes through `analysis` with the signed-in actor (the store and
`analysis.accounts` refuse anyone but an administrator); the page only lays out.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pandas as pd
import streamlit as st

from analysis import access
from analysis import periods as P
from analysis.access import AccessDenied
from analysis.accounts import AccountError
from analysis.audit_log import ACTION_LABELS, audit_frame, day_bounds, export_audit_log
from analysis.catalogue_workbook import (
    FIELD_LABELS,
    build_catalogue_workbook,
    check_departments,
    check_roster,
    read_uploaded_catalogue,
)
from analysis.formatting import format_number
from analysis.settings import GROUPS, INT, LINES, RATE, SETTINGS, TEXT, check_settings
from analysis.task_list import EXPORT_FORMATS
from ui import strings as S
from ui.auth import current_actor, get_accounts
from ui.data import filter_options, get_store
from ui.strings import quan_tri as W
from ui.upload_tables import local_time

XLSX_MIME = EXPORT_FORMATS["xlsx"]
AUDIT_SHOWN = 1_000  # rows drawn; the export holds every matching entry
_OUTCOME = "_qt_outcome"  # (kind, text) of the last change, shown after the rerun
_IMPORT = "_qt_import"  # (sha256, CatalogueRead) of the last catalogue file read

store = get_store()
accounts = get_accounts()
actor = current_actor()

st.title(S.PAGE_ADMIN)
if not access.allowed(actor, access.ADMINISTER):  # the menu hides it; the rule is in analysis
    st.error(W.MESSAGE_ADMIN_ONLY)
    st.stop()
st.caption(W.CAPTION_PAGE)

if st.session_state.get(_OUTCOME):
    kind, text = st.session_state.pop(_OUTCOME)
    getattr(st, kind)(text)


def done(kind: str, text: str) -> None:
    st.session_state[_OUTCOME] = (kind, text)


def problem_table(problems) -> pd.DataFrame:
    column = W.COLUMNS_PROBLEMS
    return pd.DataFrame({
        column["row"]: [W.PROBLEM_WHOLE_FILE if p.row is None else str(p.row) for p in problems],
        column["column"]: [FIELD_LABELS.get(p.field, p.field or "") for p in problems],
        column["value"]: ["" if p.value is None else str(p.value) for p in problems],
        column["severity"]: [W.SEVERITY_ERROR if p.severity == "error" else W.SEVERITY_WARNING
                             for p in problems],
        column["message"]: [p.message for p in problems],
    })


tab_catalogue, tab_settings, tab_accounts, tab_audit = st.tabs(list(W.TABS))

# --- 1. catalogue -------------------------------------------------------------------------
with tab_catalogue:
    departments = store.department_rows()
    roster = store.roster()
    names = [d["name"] for d in departments]

    st.subheader(W.TITLE_DEPARTMENTS)
    st.caption(W.CAPTION_DEPARTMENTS)
    dept_column = W.COLUMNS_DEPARTMENTS
    edited_depts = st.data_editor(
        pd.DataFrame({dept_column["name"]: [d["name"] for d in departments],
                      dept_column["short_code"]: [d["short_code"] or "" for d in departments]},
                     dtype="str"),
        num_rows="dynamic", hide_index=True, width="stretch", key="qt_depts",
        column_config={
            dept_column["name"]: st.column_config.TextColumn(width="large", max_chars=200),
            dept_column["short_code"]: st.column_config.TextColumn(max_chars=200)})

    def save_table(part: str, checked, problems, editor_key: str, saved: str) -> None:
        """Store a checked table (`part`: departments or roster) unless it has errors."""
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            done("error", W.MESSAGE_NOT_SAVED.format(problems=" ".join(
                W.PROBLEM_AT_ROW.format(row=p.row, message=p.message) for p in errors)))
            return
        try:
            store.set_catalogue(**{part: checked}, actor=actor)
        except (AccessDenied, ValueError) as refused:
            done("error", getattr(refused, "message", str(refused)))
            return
        st.session_state.pop(editor_key, None)  # the table restarts from what was stored
        done("success", saved.format(count=format_number(len(checked))))

    def save_departments(table: pd.DataFrame) -> None:
        save_table("departments", *check_departments(table.itertuples(index=False, name=None)),
                   "qt_depts", W.MESSAGE_DEPARTMENTS_SAVED)

    st.button(W.BUTTON_SAVE_DEPARTMENTS, key="qt_save_depts", on_click=save_departments,
              args=(edited_depts,), type="primary")

    st.subheader(W.TITLE_ROSTER)
    st.caption(W.CAPTION_ROSTER)
    roster_column = W.COLUMNS_ROSTER
    edited_roster = st.data_editor(
        pd.DataFrame({roster_column["name"]: [p["name"] for p in roster],
                      roster_column["department"]: [p["department"] or "" for p in roster],
                      roster_column["position"]: [p["position"] or "" for p in roster]},
                     dtype="str"),
        num_rows="dynamic", hide_index=True, width="stretch", key="qt_roster",
        column_config={
            roster_column["name"]: st.column_config.TextColumn(width="medium", max_chars=200),
            roster_column["department"]: (
                st.column_config.SelectboxColumn(options=names, width="medium")
                if names else st.column_config.TextColumn(max_chars=200)),
            roster_column["position"]: st.column_config.TextColumn(max_chars=200)})

    def save_roster(table: pd.DataFrame) -> None:
        save_table("roster", *check_roster(table.itertuples(index=False, name=None), names),
                   "qt_roster", W.MESSAGE_ROSTER_SAVED)

    st.button(W.BUTTON_SAVE_ROSTER, key="qt_save_roster", on_click=save_roster,
              args=(edited_roster,), type="primary")

    st.subheader(W.TITLE_EXCEL)
    st.download_button(
        W.BUTTON_EXPORT_CATALOGUE, key="qt_export_catalogue", on_click="ignore",
        icon=":material/download:", mime=XLSX_MIME, file_name="danh_muc_thiet_lap.xlsx",
        data=partial(build_catalogue_workbook, departments, roster, store.settings()))
    st.caption(W.CAPTION_EXCEL)
    uploaded = st.file_uploader(W.LABEL_IMPORT_FILE, type=["xlsx", "xls", "ods"],
                                key="qt_import_file")
    if uploaded is not None:
        import hashlib

        data = uploaded.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        cached = st.session_state.get(_IMPORT)
        if cached and cached[0] == digest:
            read = cached[1]
        else:
            read = read_uploaded_catalogue(data, tuple(names), store.read_settings(None))
            st.session_state[_IMPORT] = (digest, read)
        parts = []
        if read.departments is not None:
            parts.append(W.PART_DEPARTMENTS.format(count=format_number(len(read.departments))))
        if read.roster is not None:
            parts.append(W.PART_ROSTER.format(count=format_number(len(read.roster))))
        if read.settings is not None:
            parts.append(W.PART_SETTINGS.format(count=format_number(len(read.settings))))
        if parts:
            st.write(W.MESSAGE_FILE_HOLDS.format(parts=", ".join(parts)))
        if read.problems:
            st.dataframe(problem_table(read.problems), hide_index=True, width="stretch",
                         column_config={W.COLUMNS_PROBLEMS["message"]:
                                        st.column_config.TextColumn(width="large")})
        if not read.ok:
            st.error(W.MESSAGE_IMPORT_ERRORS)
        else:
            if read.departments is not None:
                kept = {p["department"] for p in roster if p["department"]}
                gone = sorted(kept - {n for n, _ in read.departments})
                if gone and read.roster is None:
                    st.warning(W.MESSAGE_ROSTER_DEPARTMENTS_GONE.format(
                        departments=", ".join(gone)))

            def apply_import(read=read) -> None:
                try:
                    store.set_catalogue(departments=read.departments, roster=read.roster,
                                        settings=read.settings, actor=actor)
                except (AccessDenied, ValueError) as refused:
                    done("error", getattr(refused, "message", str(refused)))
                    return
                for key in (_IMPORT, "qt_depts", "qt_roster"):
                    st.session_state.pop(key, None)
                done("success", W.MESSAGE_IMPORTED.format(parts=", ".join(parts)))

            confirm = st.checkbox(W.CHECKBOX_CONFIRM_IMPORT, key="qt_import_confirm")
            st.button(W.BUTTON_IMPORT, key="qt_import", type="primary", disabled=not confirm,
                      on_click=apply_import)

# --- 2. settings ----------------------------------------------------------------------------
with tab_settings:
    current = store.settings()
    with st.form("qt_settings_form", border=False):
        typed = {}
        for group in GROUPS:
            st.subheader(group)
            columns = st.columns(2)
            for i, setting in enumerate(s for s in SETTINGS if s.group == group):
                where = columns[i % 2]
                key = f"qt_setting::{setting.key}"
                value = setting.shown(current[setting.key])
                if setting.kind == LINES:
                    typed[setting.key] = where.text_area(setting.label, value=value, key=key,
                                                         help=setting.help or None)
                elif setting.kind == TEXT:
                    typed[setting.key] = where.text_input(setting.label, value=value, key=key,
                                                          help=setting.help or None,
                                                          max_chars=200)
                else:
                    whole = setting.kind == INT
                    typed[setting.key] = where.number_input(
                        setting.label, value=int(value) if whole else float(value),
                        min_value=int(setting.minimum) if whole else float(setting.minimum),
                        max_value=int(setting.maximum) if whole else float(setting.maximum),
                        step=1 if whole else (1.0 if setting.kind == RATE else 0.5),
                        format=None if whole else "%g", key=key, help=setting.help or None)
        submitted = st.form_submit_button(W.BUTTON_SAVE_SETTINGS, type="primary")
    if submitted:
        values, problems = {}, []
        for setting in SETTINGS:
            try:
                values[setting.key] = setting.parse(typed[setting.key])
            except ValueError as bad:
                problems.append(str(bad))
        problems += check_settings(values)
        changed = {k: v for k, v in values.items() if v != current[k]}
        if problems:
            st.error(W.MESSAGE_NOT_SAVED.format(problems=" ".join(problems)))
        elif not changed:
            st.info(W.MESSAGE_NO_SETTING_CHANGED)
        else:
            try:
                store.set_settings(changed, actor)
            except (AccessDenied, ValueError) as refused:
                st.error(getattr(refused, "message", str(refused)))
            else:
                st.success(W.MESSAGE_SETTINGS_SAVED.format(count=format_number(len(changed))))

# --- 3. accounts ----------------------------------------------------------------------------
ROLE_CHOICES = list(access.ROLES)


def role_label(role: str) -> str:
    return access.ROLE_LABELS.get(role, role)


with tab_accounts:
    listed = accounts.list()
    known_depts = list(dict.fromkeys([*store.departments(), *filter_options().departments]))
    if listed:
        column = W.COLUMNS_ACCOUNTS
        st.dataframe(pd.DataFrame({
            column["name"]: [a.name for a in listed],
            column["role"]: [role_label(a.role) for a in listed],
            column["department"]: [a.department or "" for a in listed],
            column["state"]: [W.STATE_ACTIVE if a.active else W.STATE_DISABLED for a in listed],
            column["locked_until"]: [local_time(a.locked_until) for a in listed],
            column["failures"]: [a.failures for a in listed],
            column["last_login_at"]: [local_time(a.last_login_at) for a in listed],
        }), hide_index=True, width="stretch", key="qt_accounts_table")
        stale = [a.name for a in listed if a.department and store.departments()
                 and a.department not in store.departments()]
        if stale:
            st.warning(W.MESSAGE_STALE_DEPARTMENTS.format(names=", ".join(stale)))

    def add_account() -> None:
        state = st.session_state
        name, role = state.get("qt_new_name", ""), state.get("qt_new_role")
        first, second = state.get("qt_new_pw", ""), state.get("qt_new_pw2", "")
        department = state.get("qt_new_dept") if role == access.DEPT_HEAD else None
        state["qt_new_pw"] = state["qt_new_pw2"] = ""
        if first != second:
            done("error", W.MESSAGE_PASSWORDS_DIFFER_ADD)
            return
        try:
            made = accounts.add(name, role, first, department=department, actor=actor)
        except (AccountError, AccessDenied) as refused:
            done("error", refused.message)
            return
        state["qt_new_name"] = ""
        done("success", W.MESSAGE_ACCOUNT_ADDED.format(name=made.name,
                                                       role=role_label(made.role)))

    with st.expander(W.TITLE_ADD_ACCOUNT, expanded=not listed):
        with st.form("qt_add_account", border=False):
            left, right = st.columns(2)
            left.text_input(W.LABEL_NEW_NAME, key="qt_new_name", max_chars=100)
            right.selectbox(W.LABEL_NEW_ROLE, ROLE_CHOICES, key="qt_new_role",
                            format_func=role_label)
            left.selectbox(W.LABEL_NEW_DEPARTMENT, known_depts, key="qt_new_dept",
                           index=None, placeholder=W.PLACEHOLDER_NEW_DEPARTMENT)
            left.text_input(W.LABEL_NEW_PASSWORD, type="password", key="qt_new_pw",
                            autocomplete="new-password", max_chars=1024)
            right.text_input(W.LABEL_NEW_PASSWORD_AGAIN, type="password", key="qt_new_pw2",
                             autocomplete="new-password", max_chars=1024)
            st.form_submit_button(W.BUTTON_ADD_ACCOUNT, type="primary", on_click=add_account)

    if listed:
        st.subheader(W.TITLE_EDIT_ACCOUNT)
        by_name = {a.name: a for a in listed}
        chosen = st.selectbox(W.LABEL_ACCOUNT, list(by_name), key="qt_account")
        account = by_name[chosen]

        def change(what: str, name: str) -> None:
            try:
                if what == "disable":
                    accounts.disable(name, actor=actor)
                    done("success", W.MESSAGE_DISABLED.format(name=name))
                elif what == "enable":
                    accounts.enable(name, actor=actor)
                    done("success", W.MESSAGE_ENABLED.format(name=name))
                else:
                    accounts.unlock(name, actor=actor)
                    done("success", W.MESSAGE_UNLOCKED.format(name=name))
            except (AccountError, AccessDenied) as refused:
                done("error", refused.message)

        cols = st.columns(3)
        if account.active:
            cols[0].button(W.BUTTON_DISABLE, key="qt_disable", on_click=change,
                           args=("disable", account.name))
        else:
            cols[0].button(W.BUTTON_ENABLE, key="qt_enable", on_click=change,
                           args=("enable", account.name))
        cols[1].button(W.BUTTON_UNLOCK, key="qt_unlock", on_click=change,
                       args=("unlock", account.name),
                       disabled=not (account.locked_until or account.failures))

        def reset_password(name: str) -> None:
            state = st.session_state
            first, second = state.get("qt_reset_pw", ""), state.get("qt_reset_pw2", "")
            state["qt_reset_pw"] = state["qt_reset_pw2"] = ""
            if first != second:
                done("error", W.MESSAGE_PASSWORDS_DIFFER_RESET)
                return
            try:
                accounts.set_password(name, first, actor=actor)
            except (AccountError, AccessDenied) as refused:
                done("error", refused.message)
                return
            done("success", W.MESSAGE_PASSWORD_RESET.format(name=name))

        with st.form("qt_reset", border=True):
            st.write(W.TITLE_RESET_PASSWORD.format(name=account.name))
            left, right = st.columns(2)
            left.text_input(W.LABEL_RESET_PASSWORD, type="password", key="qt_reset_pw",
                            autocomplete="new-password", max_chars=1024)
            right.text_input(W.LABEL_RESET_PASSWORD_AGAIN, type="password", key="qt_reset_pw2",
                             autocomplete="new-password", max_chars=1024)
            st.form_submit_button(W.BUTTON_RESET_PASSWORD, on_click=reset_password,
                                  args=(account.name,))

# --- 4. audit log --------------------------------------------------------------------------
with tab_audit:
    top = st.columns([2, 2, 1, 1])
    users = top[0].multiselect(W.LABEL_AUDIT_USERS, store.audit_users(), key="qt_audit_users",
                               placeholder=S.ALL, format_func=lambda u: u or W.UNKNOWN_USER)
    actions = top[1].multiselect(W.LABEL_AUDIT_ACTIONS, list(ACTION_LABELS),
                                 key="qt_audit_actions", placeholder=S.ALL,
                                 format_func=ACTION_LABELS.get)
    today = P.center_today()  # day_bounds reads the days on the center's clock
    first = top[2].date_input(W.LABEL_AUDIT_FROM, value=today - timedelta(days=30),
                              key="qt_audit_from", format="DD/MM/YYYY")
    last = top[3].date_input(W.LABEL_AUDIT_TO, value=today, key="qt_audit_to",
                             format="DD/MM/YYYY")
    filters = {"users": users, "actions": actions, **day_bounds(first, last)}
    entries = store.audit_log(AUDIT_SHOWN + 1, **filters)
    if not entries:
        st.info(W.MESSAGE_NO_AUDIT_ENTRY)
    else:
        more = len(entries) > AUDIT_SHOWN
        st.dataframe(audit_frame(entries[:AUDIT_SHOWN]), hide_index=True, width="stretch",
                     key="qt_audit_table",
                     column_config={W.COLUMN_AUDIT_TIME: st.column_config.DatetimeColumn(
                         format="DD/MM/YYYY HH:mm:ss"),
                         W.COLUMN_AUDIT_DETAIL: st.column_config.TextColumn(width="large")})
        if more:
            st.caption(W.CAPTION_AUDIT_SHOWN.format(count=format_number(AUDIT_SHOWN)))

        def export(fmt: str) -> bytes:
            return export_audit_log(store, actor, store.audit_log(None, **filters), fmt,
                                    users=users, actions=actions, first=str(first), last=str(last))

        left, right, _ = st.columns([1, 1, 3])
        left.download_button(W.BUTTON_AUDIT_EXCEL, key="qt_audit_xlsx", on_click="ignore",
                             icon=":material/download:", mime=XLSX_MIME,
                             file_name="nhat_ky_hoat_dong.xlsx", data=partial(export, "xlsx"))
        right.download_button(W.BUTTON_AUDIT_CSV, key="qt_audit_csv", on_click="ignore",
                              icon=":material/download:", mime=EXPORT_FORMATS["csv"],
                              file_name="nhat_ky_hoat_dong.csv", data=partial(export, "csv"))
