"""The task list of page `Nhiệm vụ` (SPEC §7.5) as plain pandas.

Input is the annotated task frame (`analysis.metrics.annotate`). This module
adds what the list shows beyond the outcome:
- a deadline state relative to `as_of`: overdue, due today, due within 7 days;
- the history of each task between months (SPEC §4.3) from `Store.task_changes()`:
  extensions (gia hạn), reassignments (chuyển chủ trì), vanished open tasks;
- the page's own filters (outcome, department, person, text search);
- the Vietnamese table that is shown and exported.
All vectorised: the page must stay fast at 100 000 tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analysis.fields import match_key, match_keys
from analysis.formatting import COLUMN_LABELS, OUTCOME_LABELS, format_month
from analysis.model import task_positions

OVERDUE, DUE_TODAY, DUE_SOON = "overdue", "due_today", "due_soon"
DUE_SOON_DAYS = 7  # "due within 7 days" (SPEC §7.5)
DEADLINE_LABELS = {
    OVERDUE: "Quá hạn",
    DUE_TODAY: "Đến hạn hôm nay",
    DUE_SOON: f"Đến hạn trong {DUE_SOON_DAYS} ngày",
    "": "",
}
# Row colours of the warning cell on the page (plain text labels: no emoji font needed
# on the center's offline machines, and the export stays plain).
DEADLINE_COLOURS = {
    OVERDUE: "background-color: #f9d6d5; color: #8a1c1c",
    DUE_TODAY: "background-color: #fde2c4; color: #7a4100",
    DUE_SOON: "background-color: #fff3c4; color: #665200",
}

EXTENSION, REASSIGNMENT, VANISHED = "extension", "reassignment", "vanished"
CHANGE_LABELS = {EXTENSION: "Gia hạn", REASSIGNMENT: "Chuyển chủ trì",
                 VANISHED: "Không còn trong báo cáo"}
CHANGE_COLUMNS = ("task_id", "kind", "month", "old", "new")

# Column of the shown / exported table → Vietnamese header, in display order: what a
# director reads first (who, what, when, how it went) fits a 1366 px screen; the rest
# follows to the right.
MAIN_COLUMNS = ("task_id", "title", "lead_dept", "lead_person", "due_date", "outcome_label",
                "deadline_label")
TABLE_COLUMNS: dict[str, str] = {
    **{c: COLUMN_LABELS[c] for c in ("task_id", "title", "lead_dept", "lead_person", "due_date")},
    "outcome_label": COLUMN_LABELS["outcome"],
    "deadline_label": "Cảnh báo hạn",
    **{c: COLUMN_LABELS[c] for c in (
        "coord_depts", "coord_people", "service", "assigned_date", "original_due_date",
        "done_date")},
    "delay_days": COLUMN_LABELS["delay_days"],
    "extensions": "Số lần gia hạn",
    "extension_text": "Gia hạn",
    "reassignment_text": "Chuyển chủ trì",
    "vanished_text": "Không còn trong báo cáo tháng",
    "status_text": "Trạng thái (như ghi trong tệp)",
    "note": COLUMN_LABELS["note"],
}
CHANGE_TABLE_COLUMNS = {"task_id": "Mã nhiệm vụ", "kind_label": "Loại thay đổi",
                        "month_label": "Tháng báo cáo", "old_text": "Trước", "new_text": "Sau"}


def deadline_state(annotated: pd.DataFrame, as_of: date) -> pd.Series:
    """overdue / due_today / due_soon / "" for each task (SPEC §7.5).

    Only tasks still open at `as_of` are flagged (not done by then, not
    cancelled); `overdue` agrees with the §3.1 outcome.
    """
    as_of_ts = pd.Timestamp(as_of).normalize()
    due = annotated["due_date"]
    still_open = ~annotated["done_by_as_of"].astype(bool) & annotated["status"].ne("cancelled")
    days_left = (due - as_of_ts).dt.days
    state = np.select(
        [still_open & (days_left < 0), still_open & (days_left == 0),
         still_open & (days_left > 0) & (days_left <= DUE_SOON_DAYS)],
        [OVERDUE, DUE_TODAY, DUE_SOON], default="")
    return pd.Series(state, index=annotated.index, dtype="str")


def _change_text(values: pd.Series) -> pd.Series:
    """Old/new values of a change as text: dates `dd/mm/yyyy`, names as they are (each
    distinct value converted once)."""
    codes, distinct = pd.factorize(values)
    as_dates = pd.to_datetime(pd.Series(distinct, dtype=object), errors="coerce", format="ISO8601")
    texts = np.where(as_dates.isna(), pd.Series(distinct, dtype=object).astype("str"),
                     as_dates.dt.strftime("%d/%m/%Y"))
    labels = np.append(np.asarray(texts, dtype=object), "")  # code -1: missing
    return pd.Series(labels[codes], index=values.index, dtype="str")


def _month_labels(months: pd.Series) -> pd.Series:
    codes, distinct = pd.factorize(months)
    labels = np.array([format_month(m) for m in distinct] + [""], dtype=object)
    return pd.Series(labels[codes], index=months.index, dtype="str")


def change_table(changes: pd.DataFrame | None) -> pd.DataFrame:
    """`Store.task_changes()` with display columns (kind_label, month_label, old_text, new_text)."""
    if changes is None or changes.empty:
        frame = pd.DataFrame({c: pd.Series(dtype="str") for c in CHANGE_COLUMNS})
    else:
        frame = changes.reset_index(drop=True)
    return frame.assign(
        kind_label=frame["kind"].map(CHANGE_LABELS).fillna(frame["kind"]).astype("str"),
        month_label=_month_labels(frame["month"]),
        old_text=_change_text(frame["old"]),
        new_text=_change_text(frame["new"]),
    )


def change_summary(changes: pd.DataFrame | None, table: pd.DataFrame | None = None
                   ) -> pd.DataFrame:
    """One row per task_id: extensions (count), extension_text, reassignment_text, vanished_text.

    Texts list the changes in month order, e.g. `10/2026: 15/10/2026 → 31/10/2026`.
    """
    columns = ["extensions", "extension_text", "reassignment_text", "vanished_text"]
    table = change_table(changes) if table is None else table
    if table.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="task_id"))
    table = table.sort_values(["task_id", "month"], kind="stable")
    table["line"] = table["month_label"] + ": " + table["old_text"] + " → " + table["new_text"]
    out = pd.DataFrame(index=pd.Index(pd.unique(table["task_id"]), name="task_id"))
    for kind, column, part in ((EXTENSION, "extension_text", "line"),
                               (REASSIGNMENT, "reassignment_text", "line"),
                               (VANISHED, "vanished_text", "month_label")):
        rows = table[table["kind"].eq(kind).to_numpy()]
        texts = _joined(rows["task_id"], rows[part], "; " if part == "line" else ", ")
        out[column] = texts.reindex(out.index).fillna("").astype("str")
        if kind == EXTENSION:
            counts = rows["task_id"].value_counts()
            out["extensions"] = counts.reindex(out.index).fillna(0).astype("int64")
    return out[columns]


def _joined(keys: pd.Series, texts: pd.Series, separator: str) -> pd.Series:
    """`texts` joined per key, keys already grouped together (sorted), in their order.
    Slices of plain lists: a pandas groupby-join makes one Series per task (~20x slower)."""
    if keys.empty:
        return pd.Series(dtype="str")
    names, values = keys.to_numpy(dtype=object), texts.to_numpy(dtype=object).tolist()
    starts = np.flatnonzero(np.r_[True, names[1:] != names[:-1]])
    bounds = [*starts.tolist(), len(values)]
    return pd.Series([separator.join(values[a:b]) for a, b in zip(bounds, bounds[1:])],
                     index=names[starts], dtype="str")


def with_list_columns(annotated: pd.DataFrame, as_of: date,
                      changes: pd.DataFrame | None = None,
                      summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """The annotated tasks plus deadline state/label, outcome label and change columns.
    `summary`: `change_summary(changes)` when the caller keeps it (it depends on the
    data only, not on the tasks listed)."""
    state = deadline_state(annotated, as_of)
    summary = change_summary(changes) if summary is None else summary
    # Each task's row of the summary by a hash lookup (a reindex on 100 000 ids is slower).
    at = task_positions(pd.Series(summary.index, dtype="str"), annotated["task_id"])
    has = ~np.isnan(at)
    pos = np.where(has, at, 0).astype(np.int64)

    def summary_column(name: str, empty):
        values = summary[name].to_numpy(dtype=object)
        out = np.full(len(annotated), empty, dtype=object)
        if len(values):
            out[has] = values[pos[has]]
        return out

    outcome_codes = pd.Categorical(annotated["outcome"], categories=list(OUTCOME_LABELS))
    return annotated.assign(
        deadline=state,
        deadline_label=state.map(DEADLINE_LABELS).astype("str"),
        outcome_label=pd.Series(np.array(list(OUTCOME_LABELS.values()) + [""], dtype=object)[
            outcome_codes.codes], index=annotated.index, dtype="str"),
        extensions=summary_column("extensions", 0).astype("int64"),
        extension_text=pd.Series(summary_column("extension_text", ""), dtype="str").to_numpy(),
        reassignment_text=pd.Series(summary_column("reassignment_text", ""),
                                    dtype="str").to_numpy(),
        vanished_text=pd.Series(summary_column("vanished_text", ""), dtype="str").to_numpy(),
    )


@dataclass(frozen=True)
class TaskQuery:
    """The page's own filters (on top of the sidebar's period/department/service)."""

    outcomes: tuple[str, ...] = ()  # outcome codes; empty: all
    deadlines: tuple[str, ...] = ()  # OVERDUE / DUE_TODAY / DUE_SOON; empty: all
    lead_depts: tuple[str, ...] = ()  # lead department; empty: all
    person: str = ""  # a person who leads or coordinates the task
    text: str = ""  # searched in task_id and title, ignoring case and diacritics
    changed_only: bool = False  # only tasks extended, reassigned or vanished


def search_keys(frame: pd.DataFrame) -> pd.Series:
    """What the text search looks in: task_id and title as matching keys (case,
    diacritics and punctuation ignored, like header matching), per row of `frame`."""
    text = frame["task_id"].fillna("").astype("str") + " " + frame["title"].fillna("").astype("str")
    return match_keys(text)


def filter_tasks(frame: pd.DataFrame, query: TaskQuery, keys: pd.Series | None = None
                 ) -> pd.DataFrame:
    """The rows of `frame` (from `with_list_columns`) that match `query`.

    `keys`: `search_keys` of these rows or of a frame they come from (same index),
    when the caller keeps them; computed here otherwise."""
    keep = pd.Series(True, index=frame.index)
    if query.outcomes:
        keep &= frame["outcome"].isin(query.outcomes)
    if query.deadlines:
        keep &= frame["deadline"].isin(query.deadlines)
    if query.lead_depts:
        keep &= frame["lead_dept"].isin(query.lead_depts)
    if query.person:
        named = frame["coord_people"].explode()
        coordinates = named.eq(query.person).fillna(False).astype(bool)
        coordinates = coordinates.groupby(level=0).any().reindex(frame.index, fill_value=False)
        keep &= frame["lead_person"].eq(query.person).fillna(False).astype(bool) | coordinates
    needle = match_key(query.text or "")
    if needle:
        haystack = keys.reindex(frame.index) if keys is not None else search_keys(frame)
        keep &= haystack.str.contains(needle, regex=False).fillna(False).astype(bool)
    if query.changed_only:
        keep &= (frame["extensions"].gt(0) | frame["reassignment_text"].ne("")
                 | frame["vanished_text"].ne(""))
    return frame[keep]


def sort_for_list(frame: pd.DataFrame) -> pd.DataFrame:
    """Most urgent first: overdue, due today, due soon, then by due date."""
    rank = frame["deadline"].map({OVERDUE: 0, DUE_TODAY: 1, DUE_SOON: 2}).fillna(3)
    ids = pd.factorize(frame["task_id"], sort=True)[0]  # id order as integers: sorts faster
    order = np.lexsort((ids, frame["due_date"].fillna(pd.Timestamp.max).to_numpy(),
                        rank.to_numpy()))
    return frame.iloc[order]


@dataclass(frozen=True)
class ListCounts:
    tasks: int
    overdue: int
    due_today: int
    due_soon: int
    extended: int
    reassigned: int
    vanished: int


def list_counts(frame: pd.DataFrame) -> ListCounts:
    """The counts shown at the top of the list (cancelled tasks not in `tasks`, SPEC §3.3)."""
    return ListCounts(
        tasks=int(frame["status"].ne("cancelled").sum()),
        overdue=int(frame["deadline"].eq(OVERDUE).sum()),
        due_today=int(frame["deadline"].eq(DUE_TODAY).sum()),
        due_soon=int(frame["deadline"].eq(DUE_SOON).sum()),
        extended=int(frame["extensions"].gt(0).sum()),
        reassigned=int(frame["reassignment_text"].ne("").sum()),
        vanished=int(frame["vanished_text"].ne("").sum()),
    )


def task_table(frame: pd.DataFrame, columns=None) -> pd.DataFrame:
    """The Vietnamese table shown and exported: real dates, lists as `A; B`.
    `columns`: which of TABLE_COLUMNS (default all), in TABLE_COLUMNS order."""
    wanted = TABLE_COLUMNS if columns is None else set(columns)
    columns = [c for c in TABLE_COLUMNS if c in wanted and c in frame.columns]
    table = frame[columns].copy()
    for column in ("coord_depts", "coord_people"):
        if column in table:
            table[column] = table[column].map(
                lambda v: "; ".join(v) if isinstance(v, (tuple, list)) else "",
                na_action="ignore").fillna("").astype("str")
    if "delay_days" in table:  # whole calendar days (SPEC §3.3): 56, not 56.0
        table["delay_days"] = table["delay_days"].round().astype("Int64")
    return table.rename(columns=TABLE_COLUMNS).reset_index(drop=True)


def change_list(changes: pd.DataFrame | None, task_ids=None, table: pd.DataFrame | None = None
                ) -> pd.DataFrame:
    """The extensions/reassignments/vanished tab, optionally limited to some tasks.
    `table`: `change_table(changes)` when the caller keeps it (as for `change_summary`)."""
    table = change_table(changes) if table is None else table
    if task_ids is not None:
        ids = task_ids if isinstance(task_ids, pd.Series) else pd.Series(list(task_ids), dtype="str")
        table = table[~np.isnan(task_positions(ids, table["task_id"]))]
    table = table.sort_values(["month", "task_id"], ascending=[False, True], kind="stable")
    return table[list(CHANGE_TABLE_COLUMNS)].rename(columns=CHANGE_TABLE_COLUMNS).reset_index(drop=True)


def still_open_before(annotated: pd.DataFrame, from_month: str | None) -> pd.Series:
    """Tasks of months before `from_month` still not done (nor cancelled) at as_of.

    The list can carry them into the period: an overdue task of an earlier month
    still needs a reminder (option on page `Nhiệm vụ`; off by default so the
    counts agree with the other pages).
    """
    if not from_month:
        return pd.Series(False, index=annotated.index)
    earlier = annotated["month"].lt(from_month).fillna(False).astype(bool)
    return earlier & ~annotated["done_by_as_of"].astype(bool) & annotated["status"].ne("cancelled")


# --- export (SPEC §4.4, §4.6) -------------------------------------------------------

EXPORT_FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "csv": "text/csv"}


def export_bytes(frame: pd.DataFrame, fmt: str, title: str | None = None,
                 changes: pd.DataFrame | None = None) -> bytes:
    """The listed tasks as .xlsx (sheets "Nhiệm vụ" and, when given, "Gia hạn - chuyển chủ trì")
    or .csv (the task table only); formula-injection safe (`analysis.exports`)."""
    from analysis.exports import to_csv_bytes, to_excel_bytes

    table = task_table(frame)
    if fmt == "csv":
        return to_csv_bytes(table)
    if fmt != "xlsx":
        raise ValueError(f"unknown export format {fmt!r}")
    sheets = {"Nhiệm vụ": table}
    if changes is not None:
        sheets["Gia hạn - chuyển chủ trì"] = change_list(changes, frame["task_id"])
    return to_excel_bytes(sheets, title=title)


def export_and_audit(store, actor, frame: pd.DataFrame, fmt: str, title: str | None = None,
                     changes: pd.DataFrame | None = None, **details) -> bytes:
    """`export_bytes` for `actor` (an `analysis.access.Actor`; `AccessDenied` when it may
    not export these rows, SPEC §8), then an audit entry: who exported how many rows of
    which scope, and the file's SHA-256 (never cell contents, SPEC §4.4)."""
    import hashlib

    from analysis.exports import check_export

    scope = check_export(actor, frame)
    data = export_bytes(frame, fmt, title, changes)
    store.audit(actor.name, "export", what="task_list", format=fmt, rows=int(len(frame)),
                scope=scope, sha256=hashlib.sha256(data).hexdigest(), size=len(data), **details)
    return data
