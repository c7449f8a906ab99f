"""Plain tables and choices of page `Tải dữ liệu lên` (SPEC §7.6), kept out of the page
script so they can be tested without running Streamlit.

- reporting months offered (the default is LAST month: a log is uploaded after
  the month it reports on);
- the validation problems, the changes against the current version and the
  upload history as tables with Vietnamese headers.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pandas as pd

from analysis.fields import CONTRIBUTION_FIELDS, FIELD_BY_NAME, TASK_FIELDS
from analysis.formatting import format_month
from analysis.model import ERROR, Problem

CENTER = "center"
CENTER_LABEL = "Toàn trung tâm"
SEVERITY_LABELS = {ERROR: "Lỗi", "warning": "Cảnh báo"}
CHANGE_LABELS = {"added": "Thêm mới", "changed": "Thay đổi", "removed": "Không còn trong tệp"}
IGNORE = ""  # mapping choice: leave the column out
IGNORE_LABEL = "— Bỏ qua cột này —"
WHOLE_FILE = "Cả tệp"

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
    index = today.year * 12 + today.month - 1
    return [f"{(index - k) // 12:04d}-{(index - k) % 12 + 1:02d}" for k in range(count)]


def default_month(today: date) -> str:
    """Last month: on 27/11/2026 the log to upload is the one of 10/2026."""
    return recent_months(today, 2)[1]


def month_label(month: str) -> str:
    return format_month(month)


def field_label(name: str | None) -> str:
    """The template header of a field (`due_date` → `Hạn hoàn thành`)."""
    if not name:
        return ""
    if name in FIELD_BY_NAME:
        return FIELD_BY_NAME[name].header
    return _CONTRIBUTION_ONLY.get(name, name)


MAPPABLE_FIELDS: tuple[str, ...] = tuple(f.name for f in TASK_FIELDS)


def mapping_choice_label(name: str) -> str:
    return IGNORE_LABEL if name == IGNORE else f"{field_label(name)} ({name})"


def problem_table(problems: list[Problem]) -> pd.DataFrame:
    """Dòng, Cột, Giá trị, Mức độ, Nội dung: errors first, then by row."""
    frame = pd.DataFrame({
        "Dòng": pd.array([p.row for p in problems], dtype="Int64"),
        "Cột": [field_label(p.field) for p in problems],
        "Giá trị": ["" if p.value is None else str(p.value) for p in problems],
        "Mức độ": [SEVERITY_LABELS.get(p.severity, p.severity) for p in problems],
        "Nội dung": [p.message for p in problems],
        "_order": [0 if p.severity == ERROR else 1 for p in problems],
    })
    frame = frame.sort_values(["_order", "Dòng"], na_position="first", kind="stable")
    # A whole-file problem has no row: say so instead of showing an empty number.
    frame["Dòng"] = frame["Dòng"].map(lambda r: WHOLE_FILE if pd.isna(r) else str(r)).astype("str")
    return frame.drop(columns="_order").reset_index(drop=True)


def change_counts(changes: pd.DataFrame | None) -> dict[str, int]:
    """{"added": n, "changed": n, "removed": n}."""
    values = changes["change"] if changes is not None and len(changes) else pd.Series(dtype="str")
    return {kind: int(values.eq(kind).sum()) for kind in CHANGE_LABELS}


def change_table(changes: pd.DataFrame | None) -> pd.DataFrame:
    """Mã nhiệm vụ, Thay đổi, Các cột thay đổi (Vietnamese headers of the fields)."""
    if changes is None or not len(changes):
        return pd.DataFrame({"Mã nhiệm vụ": [], "Thay đổi": [], "Các cột thay đổi": []})
    return pd.DataFrame({
        "Mã nhiệm vụ": changes["task_id"].astype("str").to_numpy(),
        "Thay đổi": changes["change"].map(CHANGE_LABELS).fillna(changes["change"]).to_numpy(),
        "Các cột thay đổi": changes["fields"].map(
            lambda names: ", ".join(field_label(n) for n in names) if isinstance(names, list) else ""
        ).to_numpy(),
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
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def history_table(history: list[dict]) -> pd.DataFrame:
    """One row per upload, newest first, as the history table shows it."""
    return pd.DataFrame({
        "Mã lần tải": [h["upload_id"] for h in history],
        "Phạm vi": [scope_label(h["scope"]) for h in history],
        "Tháng": [month_label(h["month"]) for h in history],
        "Phiên bản": [h["version"] for h in history],
        "Thời gian tải lên": [local_time(h.get("uploaded_at")) for h in history],
        "Người tải lên": [h.get("user") or "" for h in history],
        "Tệp": [h.get("file_name") or "" for h in history],
        "Số dòng": [h.get("rows") for h in history],
        "Hiện hành": ["✓ Đang dùng" if h.get("current") else "" for h in history],
    }, columns=["Mã lần tải", "Phạm vi", "Tháng", "Phiên bản", "Thời gian tải lên",
                "Người tải lên", "Tệp", "Số dòng", "Hiện hành"])


def restore_label(entry: dict) -> str:
    """How a superseded version is named in the restore picker."""
    return (f"Tháng {month_label(entry['month'])} · phiên bản {entry['version']} · "
            f"{local_time(entry.get('uploaded_at'))} · {entry.get('file_name') or ''}")
