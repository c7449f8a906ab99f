"""Page "Tải dữ liệu lên": upload a monthly task log (SPEC §7.6, §4).

Steps on the page, top to bottom:
1. scope (a department or the whole center) and reporting month (default: last month);
2. the Excel template;
3. the file: read, validated and compared with the current version — NOTHING is
   stored yet; the report lists every problem and offers the same workbook with
   the problem cells marked; unknown columns can be mapped to fields (re-read at once).
   The file is parsed in a limited child process (`analysis.sandbox`): a crafted file
   that would make the parser abort or eat the memory is a refused file, and the
   server goes on;
4. confirm → stored as a new version (errors block this step; a refused file is
   never stored; a file without tasks needs its own confirmation, SPEC §4.2);
5. history of the scope's uploads, with restore of a superseded version.

Who may do what (SPEC §8): the scopes offered are `access.scopes_for` the signed-in
account (a department head: only their own department); the uploader recorded with the
upload and in the audit log is that account, never typed text; the store checks the
rule again when saving or restoring. In demo mode (no account yet) the page explains
that nothing can be stored and shows the command that creates the first administrator.
Caches need no clearing after a save or restore: every cached value is keyed on
`store.data_version()`, which both bump.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import partial

import streamlit as st

from analysis import access, sandbox
from analysis.access import AccessDenied
from analysis.fields import match_key
from analysis.formatting import format_number
from analysis.messages import EMPTY_UPLOAD
from analysis.problem_workbook import marked_workbook
from analysis.store.failures import failure_message
from analysis.template import build_template
from ui import strings as S
from ui.auth import current_actor
from ui.data import filter_options, get_store, has_real_data
from ui.streamlit_vi import translate_file_uploader
from ui.strings import tai_du_lieu as W
from ui.tables import WRAP_ROW_HEIGHT, wrapped
from ui.upload_tables import (
    IGNORE,
    MAPPABLE_FIELDS,
    change_counts,
    change_table,
    default_month,
    displaced_columns,
    field_label,
    history_table,
    mapping_choice_label,
    month_label,
    offered_headers,
    problem_table,
    recent_months,
    restore_label,
    scope_label,
)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KEY_SCOPE, KEY_MONTH, KEY_FILE = "up_scope", "up_month", "up_file"
KEY_CONFIRM, KEY_SAVE, KEY_RESTORE_PICK, KEY_RESTORE = (
    "up_confirm", "up_save", "up_restore_pick", "up_restore")
KEY_CONFIRM_EMPTY = "up_confirm_empty"
_PREVIEW = "_up_preview"  # session cache of the last preview (one entry)
_OUTCOME = "_up_outcome"  # message of the last save/restore, shown after the rerun

sandbox.start_zygote()  # the reading process starts (imports) while the user picks a file
store = get_store()
actor = current_actor()

st.title(S.PAGE_UPLOAD)
st.caption(W.CAPTION_INTRO)
catalogue = list(store.departments())


def template_download(expanded: bool = False) -> None:
    with st.expander(W.TITLE_TEMPLATE, expanded=expanded):
        st.write(W.TEXT_TEMPLATE)
        st.download_button(W.BUTTON_TEMPLATE,
                           data=partial(build_template, catalogue or None, store.people() or None,
                                        int(store.settings()["report_deadline_day"])),
                           file_name=W.FILE_TEMPLATE, mime=XLSX_MIME,
                           key="up_template", on_click="ignore", icon=":material/description:")


if actor.is_demo:  # SPEC §8: demo mode stores nothing; say how to leave it
    st.warning(W.MESSAGE_DEMO)
    st.code(S.FIRST_ADMIN_COMMAND, language="bash")
    template_download(expanded=True)
    st.stop()

# --- 1. scope and month ------------------------------------------------------------
seen = [d for d in filter_options().departments if d not in catalogue]
# SPEC §4.1/§8: a whole-center upload is for the director or an administrator only; a
# department head gets only their own department.
scopes = access.scopes_for(actor, access.UPLOAD, [*catalogue, *sorted(seen)])
months = recent_months(date.today())
if KEY_MONTH not in st.session_state:
    st.session_state[KEY_MONTH] = default_month(date.today())

left, middle, right = st.columns([2, 1, 2])
scope = left.selectbox(W.LABEL_SCOPE, scopes, key=KEY_SCOPE, format_func=scope_label,
                       help=W.HELP_SCOPE)
month = middle.selectbox(W.LABEL_MONTH, months, key=KEY_MONTH, format_func=month_label)
right.text_input(W.LABEL_UPLOADER, value=actor.name, disabled=True, help=W.HELP_UPLOADER)

# --- 2. template ---------------------------------------------------------------------
template_download()

if st.session_state.get(_OUTCOME):
    kind, text = st.session_state.pop(_OUTCOME)
    getattr(st, kind)(text)

# --- 3. the file -----------------------------------------------------------------------
translate_file_uploader()
uploaded = st.file_uploader(W.UPLOADER_LABEL, type=["xlsx", "xls", "ods", "csv"], key=KEY_FILE,
                            help=W.UPLOADER_HELP)


def mapping_key(header: str) -> str:
    return f"up_map::{scope}::{header}"


def remembered() -> tuple[dict[str, str], set[str]]:
    """The scope's remembered mapping (header → field) and the keys of the headers it
    chose to ignore (stored with an empty field: never offered again)."""
    stored = store.remembered_mapping(scope)
    return ({h: f for h, f in stored.items() if f},
            {match_key(h) for h, f in stored.items() if not f})


def current_mapping() -> dict[str, str]:
    """Header → field: the scope's remembered mapping, overridden by this page's choices."""
    mapping = dict(remembered()[0])
    prefix = mapping_key("")
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        header, choice = key[len(prefix):], st.session_state[key]
        if choice == IGNORE:
            mapping.pop(header, None)
        elif choice:
            mapping[header] = choice
    return mapping


def ignored_by_choice(result, mapping: dict[str, str]) -> dict[str, str]:
    """The offered columns left on "Bỏ qua" (remembered as ignored when the file is saved)."""
    offered = offered_headers(result.ignored_columns, [], set())
    return {h: IGNORE for h in offered if h not in mapping and
            st.session_state.get(mapping_key(h), IGNORE) == IGNORE}


def run_preview(data: bytes, name: str, mapping: dict[str, str]):
    """Read, validate and compare (cached in the session for this exact input)."""
    key = (hashlib.sha256(data).hexdigest(), name, scope, month,
           tuple(sorted(mapping.items())), store.data_version())
    cached = st.session_state.get(_PREVIEW)
    if cached and cached[0] == key:
        return cached[1]
    with st.status(W.STATUS_WORKING, expanded=False) as status:
        st.write(W.STEP_READ)
        try:
            preview = store.preview(scope, month, name, data, mapping or None)
        except Exception as exc:  # noqa: BLE001 - the store failed: a message, no traceback
            status.update(label=W.STATUS_FAILED, state="error")
            return failure_message(exc)
        st.write(W.STEP_COMPARE)
        status.update(label=W.STATUS_DONE, state="complete")
    st.session_state[_PREVIEW] = (key, preview)
    return preview


def show_summary(result) -> None:
    cols = st.columns(5)
    cols[0].metric(W.METRIC_ROWS, format_number(result.rows))
    cols[1].metric(W.METRIC_ERRORS, format_number(len(result.errors)))
    cols[2].metric(W.METRIC_WARNINGS, format_number(len(result.warnings)))
    cols[3].metric(W.METRIC_SKIPPED_ROWS, format_number(len(result.skipped_rows)))
    cols[4].metric(W.METRIC_IGNORED_COLUMNS, format_number(len(result.ignored_columns)))
    details = []
    if result.sheet:
        details.append(W.DETAIL_SHEET.format(sheet=result.sheet))
    if result.header_row:
        details.append(W.DETAIL_HEADER_ROW.format(row=result.header_row))
    if result.skipped_rows:
        shown = ", ".join(str(r) for r in result.skipped_rows[:30])
        more = "…" if len(result.skipped_rows) > 30 else ""
        details.append(W.DETAIL_SKIPPED_ROWS.format(rows=shown, more=more))
    if result.ignored_columns:
        details.append(W.DETAIL_IGNORED_COLUMNS.format(
            columns=", ".join(f"«{c}»" for c in result.ignored_columns)))
    if details:
        st.caption(" · ".join(details))


def show_mapping(result, mapping: dict[str, str]) -> None:
    """One selectbox per unknown (or user-mapped) column; a change re-reads the file.
    A row counter (STT) and a column this scope ignored before are not offered; a
    mapping that pushes out a column recognised by its header says so before saving."""
    mapped = {match_key(h) for h in mapping}
    headers = offered_headers(result.ignored_columns,
                              [h for h in result.column_map if match_key(h) in mapped],
                              remembered()[1])
    displaced = displaced_columns(result.ignored_columns, result.column_map, mapping)
    headers = [h for h in headers if h not in {d[0] for d in displaced}]
    for column, field, chosen in displaced:
        st.warning(W.MAPPING_DISPLACES.format(column=column, field=field_label(field),
                                              chosen=chosen), icon=":material/warning:")
    if not headers:
        return
    missing_required = any(p.field in MAPPABLE_FIELDS and p.row is None and p.severity == "error"
                           for p in result.problems)
    with st.expander(W.MAPPING_TITLE, expanded=missing_required or bool(mapping)):
        st.caption(W.MAPPING_HELP)
        choices = [IGNORE, *MAPPABLE_FIELDS]
        for header in headers:
            key = mapping_key(header)
            if key not in st.session_state:
                st.session_state[key] = mapping.get(header, IGNORE)
            st.selectbox(W.LABEL_MAPPING_COLUMN.format(header=header), choices, key=key,
                         format_func=mapping_choice_label)


def used_part(preview, mapping: dict[str, str]) -> dict[str, str]:
    """The entries of `mapping` whose header is in this file.

    A remembered entry for a column this month's file does not have would only
    add a "mapped column not found" warning; it stays remembered for later files.
    """
    result = preview.read
    if result.unreadable or not result.header_row:
        return mapping
    present = {match_key(h) for h in [*result.column_map, *result.ignored_columns]}
    return {h: f for h, f in mapping.items() if match_key(h) in present}


def save(preview, data: bytes, name: str, used: dict[str, str], remembered: dict[str, str],
         ignore: dict[str, str]) -> None:
    """Store the previewed file (no second read), then remember the scope's mapping and
    the columns it chose to ignore."""
    allow_empty = bool(st.session_state.get(KEY_CONFIRM_EMPTY))
    try:
        if preview.identical:
            outcome = store.import_upload(scope, month, name, data, actor, used or None,
                                          allow_empty=allow_empty)
        else:
            outcome = store.save_read(preview.scope, month, name, data, actor, preview.read,
                                      used or None, allow_empty=allow_empty)
        if outcome.status == "stored":
            store.remember_mapping(preview.scope, {**remembered, **ignore})
    except AccessDenied as refused:  # e.g. the account was disabled meanwhile
        st.session_state[_OUTCOME] = ("error", W.MESSAGE_REFUSED_NOTHING_SAVED.format(
            reason=refused.message))
        return
    except Exception as exc:  # noqa: BLE001 - the store failed: a message, no traceback
        st.session_state[_OUTCOME] = ("error", failure_message(exc))
        st.session_state[KEY_CONFIRM] = False
        return
    if outcome.status == "stored":
        message = ("success", W.MESSAGE_SAVED.format(
            version=outcome.version, scope=scope_label(preview.scope), month=month_label(month),
            rows=format_number(outcome.rows)))
    elif outcome.status == "unchanged":
        message = ("info", W.MESSAGE_UNCHANGED.format(version=outcome.version))
    else:
        message = ("error", W.MESSAGE_NOT_STORED.format(
            reason=" ".join(p.message for p in outcome.problems[:1])))
    st.session_state[_OUTCOME] = message
    st.session_state.pop(_PREVIEW, None)
    st.session_state[KEY_CONFIRM] = False
    st.session_state[KEY_CONFIRM_EMPTY] = False


if uploaded is not None:
    data, name = uploaded.getvalue(), uploaded.name
    mapping = current_mapping()
    preview = run_preview(data, name, mapping)
    if isinstance(preview, str):  # the store failed
        st.error(preview)
        st.stop()
    used = used_part(preview, mapping)
    if used != mapping:  # read again without the entries for columns this file lacks
        preview = run_preview(data, name, used)
        if isinstance(preview, str):
            st.error(preview)
            st.stop()
    result = preview.read

    st.subheader(W.SUBHEADER_CHECK)
    if result.unreadable:
        st.error(W.MESSAGE_UNREADABLE.format(
            problems="\n".join(f"- {p.message}" for p in result.errors)))
    else:
        show_summary(result)
        show_mapping(result, used)
        if result.problems:
            problem_headers = W.COLUMNS_PROBLEMS
            st.dataframe(problem_table(result.problems), hide_index=True, width="stretch",
                         row_height=WRAP_ROW_HEIGHT,
                         column_config=wrapped({problem_headers["row"]: 70,
                                                problem_headers["column"]: 150,
                                                problem_headers["value"]: 150,
                                                problem_headers["severity"]: 80,
                                                problem_headers["message"]: 440}))
            base = name.rsplit(".", 1)[0]
            st.download_button(
                W.BUTTON_MARKED,
                data=partial(marked_workbook, data, result),
                file_name=W.FILE_MARKED.format(base=base), mime=XLSX_MIME, key="up_marked",
                on_click="ignore", icon=":material/ink_highlighter:")
        else:
            st.success(W.MESSAGE_NO_PROBLEMS)

    if result.tasks is not None:
        st.subheader(W.SUBHEADER_CHANGES)
        if preview.identical:
            st.info(W.MESSAGE_IDENTICAL)
        else:
            counts = change_counts(preview.changes)
            cols = st.columns(3)
            cols[0].metric(W.METRIC_ADDED, format_number(counts["added"]))
            cols[1].metric(W.METRIC_CHANGED, format_number(counts["changed"]))
            cols[2].metric(W.METRIC_REMOVED, format_number(counts["removed"]))
            if preview.current_upload_id is None:
                st.caption(W.CAPTION_ALL_NEW)
            if len(preview.changes):
                with st.expander(W.TITLE_CHANGES):
                    change_headers = W.COLUMNS_CHANGES
                    st.dataframe(change_table(preview.changes), hide_index=True, width="stretch",
                                 row_height=WRAP_ROW_HEIGHT,
                                 column_config=wrapped({change_headers["task_id"]: 110,
                                                        change_headers["change"]: 150,
                                                        change_headers["details"]: 600}))

    st.subheader(W.SUBHEADER_SAVE)
    if result.unreadable:
        st.error(W.MESSAGE_UNREADABLE_NOT_SAVED)
    elif not result.ok:
        st.error(W.MESSAGE_ERRORS_BLOCK.format(count=format_number(len(result.errors))))
    else:
        if result.warnings:
            st.warning(W.MESSAGE_WARNINGS.format(count=format_number(len(result.warnings))))
        empty = result.rows == 0 and not preview.identical
        if empty:  # SPEC §4.2: storing it empties the month of this scope
            st.warning(EMPTY_UPLOAD)
            confirmed_empty = st.checkbox(
                W.CHECKBOX_CONFIRM_EMPTY.format(scope=scope_label(preview.scope),
                                                month=month_label(month)),
                key=KEY_CONFIRM_EMPTY)
        confirmed = st.checkbox(
            W.CHECKBOX_CONFIRM.format(scope=scope_label(preview.scope), month=month_label(month)),
            key=KEY_CONFIRM)
        st.button(W.BUTTON_SAVE, type="primary", key=KEY_SAVE,
                  disabled=not confirmed or (empty and not confirmed_empty),
                  on_click=save, args=(preview, data, name, used, mapping,
                                       ignored_by_choice(result, mapping)))

# --- 5. history and restore ---------------------------------------------------------
st.subheader(W.SUBHEADER_HISTORY.format(scope=scope_label(scope)))
history = store.history(scope)
if not history:
    st.caption(W.CAPTION_NO_HISTORY)
else:
    real = has_real_data()
    if real and any(h.get("is_sample") for h in history):
        st.caption(W.SAMPLE_VERSIONS_NOTE)
    st.dataframe(history_table(history, store.restore_events(scope), real), hide_index=True,
                 width="stretch")
    superseded = [h for h in history if not h["current"] and not (real and h.get("is_sample"))]
    if superseded and not access.allowed(actor, access.RESTORE, scope):
        st.caption(W.CAPTION_RESTORE_NOT_ALLOWED)
    elif superseded:
        by_id = {h["upload_id"]: h for h in superseded}
        pick = st.selectbox(W.LABEL_RESTORE_PICK, list(by_id), key=KEY_RESTORE_PICK,
                            format_func=lambda i: restore_label(by_id[i]))

        def restore(upload_id: int) -> None:
            try:
                done = store.restore(upload_id, actor)
            except AccessDenied as refused:
                st.session_state[_OUTCOME] = ("error", refused.message)
                return
            except Exception as exc:  # noqa: BLE001 - the store failed: a message, no traceback
                st.session_state[_OUTCOME] = ("error", failure_message(exc))
                return
            st.session_state[_OUTCOME] = ("success", W.MESSAGE_RESTORED.format(
                version=done["version"], scope=scope_label(done["scope"]),
                month=month_label(done["month"])))
            st.session_state.pop(_PREVIEW, None)

        st.button(W.BUTTON_RESTORE, key=KEY_RESTORE, on_click=restore, args=(pick,),
                  help=W.HELP_RESTORE)
    else:
        st.caption(W.CAPTION_NOTHING_TO_RESTORE)
