"""Plain tables and choices of page `Tải dữ liệu lên` (SPEC §7.6), kept out of the page
script so they can be tested without running Streamlit.

- reporting months offered (the default is LAST month: a log is uploaded after
  the month it reports on);
- the validation problems, the changes against the current version (old → new
  values) and the upload history (uploads and restores) as tables with Vietnamese
  headers;
- which unknown columns the mapping offers (a row counter such as `STT`, or a column
  the scope chose to ignore before, is not offered again) and which recognised
  column a mapping would displace.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pandas as pd

from analysis.fields import CONTRIBUTION_FIELDS, FIELD_BY_NAME, TASK_ALIASES, TASK_FIELDS, match_key
from analysis.formatting import STATUS_LABELS, format_date, format_month
from analysis.model import ERROR, Problem
from analysis.periods import month_of, months_back
from ui.strings import tai_du_lieu as W

CENTER = "center"
CENTER_LABEL = W.LABEL_CENTER
SEVERITY_LABELS = W.LABELS_SEVERITY
CHANGE_LABELS = W.LABELS_CHANGE
IGNORE = ""  # mapping choice: leave the column out
IGNORE_LABEL = W.LABEL_IGNORE
WHOLE_FILE = W.LABEL_WHOLE_FILE

try:
    from zoneinfo import ZoneInfo
    LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
except Exception:  # no tz database: Vietnam has no daylight saving time
    LOCAL_TZ = timezone(timedelta(hours=7))

_CONTRIBUTION_ONLY = {f.name: f.header for f in CONTRIBUTION_FIELDS if f.name not in FIELD_BY_NAME}


def scope_label(scope: str) -> str:
    return CENTER_LABEL if scope == CENTER else scope


def recent_months(today: date, count: int = 24) -> list[str]:
    """"YYYY-MM" from this month back, newest first."""
    return months_back(month_of(today), count)


def default_month(today: date) -> str:
    """Last month: on 27/11/2026 the log to upload is the one of 10/2026."""
    return recent_months(today, 2)[1]


def month_label(month: str) -> str:
    return format_month(month)


# Fields that are not template columns but are compared between versions.
_DERIVED_LABELS = W.LABELS_DERIVED_FIELDS


def field_label(name: str | None) -> str:
    """The template header of a field (`due_date` → `Hạn hoàn thành`), never the code name."""
    if not name:
        return ""
    if name in FIELD_BY_NAME:
        return FIELD_BY_NAME[name].header
    if name in _DERIVED_LABELS:
        return _DERIVED_LABELS[name]
    return _CONTRIBUTION_ONLY.get(name, "")


MAPPABLE_FIELDS: tuple[str, ...] = tuple(f.name for f in TASK_FIELDS)


def mapping_choice_label(name: str) -> str:
    return IGNORE_LABEL if name == IGNORE else field_label(name)


# A row counter is no data: never offered for mapping (it is still listed as ignored).
_ROW_COUNTERS = {"stt", "tt", "so tt", "so thu tu", "thu tu", "no", "no.", "#", "n0"}


def is_row_counter(header: str) -> bool:
    return match_key(header) in _ROW_COUNTERS or header.strip() == "#"


def offered_headers(ignored: list[str], mapped: list[str], remembered_ignored: set[str]
                    ) -> list[str]:
    """The columns the mapping offers: those matching no field (`ignored`), except row
    counters and the ones this scope chose to ignore before (`remembered_ignored`, keys),
    plus those the user mapped (so a choice can be undone)."""
    keep = [h for h in ignored if not is_row_counter(h) and match_key(h) not in remembered_ignored]
    return list(dict.fromkeys([*keep, *mapped]))


def displaced_columns(ignored: list[str], column_map: dict[str, str], mapping: dict[str, str]
                      ) -> list[tuple[str, str, str]]:
    """(recognised column, field, mapped column): columns that matched a field by their
    header but are now ignored because the user mapped another column to that field."""
    from analysis.reading import HeaderMatcher

    automatic = HeaderMatcher(TASK_ALIASES)  # the header rules without the user's mapping
    mapped_by_field = {field: header for header, field in column_map.items()
                       if match_key(header) in {match_key(h) for h in mapping}}
    out = []
    for header in ignored:
        hit = automatic.match(header)
        field = hit[0] if hit else None
        if field and field in mapped_by_field and match_key(mapped_by_field[field]) != match_key(header):
            out.append((header, field, mapped_by_field[field]))
    return out


def problem_table(problems: list[Problem]) -> pd.DataFrame:
    """Dòng, Cột, Giá trị, Mức độ, Nội dung: errors first, then by row."""
    column = W.COLUMNS_PROBLEMS
    frame = pd.DataFrame({
        column["row"]: pd.array([p.row for p in problems], dtype="Int64"),
        column["column"]: [field_label(p.field) for p in problems],
        column["value"]: ["" if p.value is None else str(p.value) for p in problems],
        column["severity"]: [SEVERITY_LABELS.get(p.severity, p.severity) for p in problems],
        column["message"]: [p.message for p in problems],
        "_order": [0 if p.severity == ERROR else 1 for p in problems],
    })
    frame = frame.sort_values(["_order", column["row"]], na_position="first", kind="stable")
    # A whole-file problem has no row: say so instead of showing an empty number.
    frame[column["row"]] = frame[column["row"]].map(
        lambda r: WHOLE_FILE if pd.isna(r) else str(r)).astype("str")
    return frame.drop(columns="_order").reset_index(drop=True)


def change_counts(changes: pd.DataFrame | None) -> dict[str, int]:
    """{"added": n, "changed": n, "removed": n}."""
    values = changes["change"] if changes is not None and len(changes) else pd.Series(dtype="str")
    return {kind: int(values.eq(kind).sum()) for kind in CHANGE_LABELS}


def value_text(field: str, value) -> str:
    """A stored value as the user typed it: dates dd/mm/yyyy, lists `A; B`, the status in
    words; "(trống)" for nothing."""
    if value is None or value == () or value == "":
        return W.TEXT_EMPTY_VALUE
    if isinstance(value, (date, datetime, pd.Timestamp)):
        return format_date(value)
    if isinstance(value, (tuple, list)):
        return "; ".join(str(v) for v in value)
    if field == "status":
        return STATUS_LABELS.get(str(value), str(value))
    return str(value)


def change_details(values: list) -> str:
    """`Hạn hoàn thành: 19/11/2026 → 26/11/2026; …` (the status as typed, once)."""
    if not isinstance(values, list):
        return ""
    fields = {field for field, _, _ in values}
    parts = [f"{field_label(field)}: {value_text(field, old)} → {value_text(field, new)}"
             for field, old, new in values
             if not (field == "status" and "status_text" in fields)]
    return "; ".join(parts)


def change_table(changes: pd.DataFrame | None) -> pd.DataFrame:
    """Mã nhiệm vụ, Thay đổi, Chi tiết (each changed column with its old → new value)."""
    column = W.COLUMNS_CHANGES
    if changes is None or not len(changes):
        return pd.DataFrame({column["task_id"]: [], column["change"]: [], column["details"]: []})
    details = changes["values"] if "values" in changes else pd.Series([[]] * len(changes))
    return pd.DataFrame({
        column["task_id"]: changes["task_id"].astype("str").to_numpy(),
        column["change"]: changes["change"].map(CHANGE_LABELS).fillna(changes["change"]).to_numpy(),
        column["details"]: [change_details(v) for v in details],
    })


def local_time(stamp: str | None) -> str:
    """An ISO UTC time stamp as `dd/mm/yyyy HH:MM`, Vietnam time."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


HISTORY_COLUMNS = list(W.COLUMNS_HISTORY.values())
SAMPLE_NOT_COUNTED = W.LABEL_SAMPLE_NOT_COUNTED


def history_table(history: list[dict], restores: list[dict] | None = None,
                  real_data: bool = False) -> pd.DataFrame:
    """The scope's events, newest first: each upload, and each restore (who made which
    version current again, when; from the audit log). With `real_data`, sample versions
    say that they no longer count."""
    column = W.COLUMNS_HISTORY
    by_id = {h["upload_id"]: h for h in history}
    events = []
    for h in history:
        status = W.LABEL_CURRENT if h.get("current") else ""
        if real_data and h.get("is_sample"):
            status = SAMPLE_NOT_COUNTED
        events.append({"at": h.get("uploaded_at") or "", "order": 0, column["event"]: W.EVENT_UPLOAD,
                       column["upload_id"]: h["upload_id"], column["scope"]: scope_label(h["scope"]),
                       column["month"]: month_label(h["month"]), column["version"]: h["version"],
                       column["user"]: h.get("user") or "", column["file"]: h.get("file_name") or "",
                       column["rows"]: h.get("rows"), column["current"]: status})
    for r in restores or []:
        target = by_id.get(r.get("upload_id"))
        events.append({"at": r.get("at") or "", "order": 1, column["event"]: W.EVENT_RESTORE,
                       column["upload_id"]: r.get("upload_id"),
                       column["scope"]: scope_label(r.get("scope") or ""),
                       column["month"]: month_label(r.get("month") or ""),
                       column["version"]: r.get("version"), column["user"]: r.get("user") or "",
                       column["file"]: (target or {}).get("file_name") or "", column["rows"]: None,
                       column["current"]: ""})
    events.sort(key=lambda e: (e["at"], e["order"]), reverse=True)  # a restore after its upload
    table = pd.DataFrame(events, columns=["at", *HISTORY_COLUMNS[1:]])
    table.insert(0, column["time"], table.pop("at").map(local_time))
    table[column["rows"]] = table[column["rows"]].astype("Int64")
    return table[HISTORY_COLUMNS]


def restore_label(entry: dict) -> str:
    """How a superseded version is named in the restore picker."""
    return W.LABEL_RESTORE_OPTION.format(month=month_label(entry["month"]), version=entry["version"],
                                         time=local_time(entry.get("uploaded_at")),
                                         file=entry.get("file_name") or "")
