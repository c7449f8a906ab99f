"""Plain tables and cell texts of page `Tình hình nộp báo cáo` (SPEC §7.9), kept out of
the page script so they can be tested without running Streamlit. The rules (deadline,
first submission judged, whole-center uploads) are `analysis.submissions`."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis import submissions as subs
from analysis.formatting import format_date, format_month, format_number
from ui.strings import nop_bao_cao as W
from ui.strings.nop_bao_cao import NOT_DUE, STATE_LABELS
from ui.upload_tables import local_time, scope_label


def _day(stamp) -> str:
    text = local_time(stamp)
    return text[:5] if text else ""


def grid_cells(grid: pd.DataFrame, log: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """One row per (department, month) of `submission_grid`: state (on_time | late |
    missing | not_due, judged on the as-of day: `submissions.due_by`), the text of its
    square and its hover (version, when, by whom)."""
    versions = log.set_index("upload_id")["version"] if len(log) else pd.Series(dtype="int64")
    rows = []
    for cell in grid.itertuples(index=False):
        state = cell.status
        if state == subs.MISSING and not subs.deadline_ended(cell.deadline, as_of):
            state = NOT_DUE
        lines = [W.HOVER_TITLE.format(department=cell.department, month=format_month(cell.month)),
                 W.HOVER_DEADLINE.format(deadline=format_date(cell.deadline))]
        if pd.notna(cell.upload_id):
            lines.append(W.HOVER_FIRST.format(at=local_time(cell.uploaded_at),
                                              by=cell.uploaded_by or W.HOVER_UNKNOWN_USER))
            if pd.notna(cell.current_upload_id):
                version = versions.get(int(cell.current_upload_id))
                count = format_number(cell.versions)
                lines.append(W.HOVER_CURRENT.format(version=version, count=count)
                             if version is not None else W.HOVER_UPLOADS.format(count=count))
        else:
            lines.append(STATE_LABELS[state])
        text = W.CELL_TEXTS[state].format(day=_day(cell.uploaded_at))
        rows.append({"department": cell.department, "month": cell.month, "state": state,
                     "text": text, "hover": "<br>".join(lines)})
    return pd.DataFrame(rows, columns=["department", "month", "state", "text", "hover"])


def state_counts(cells: pd.DataFrame) -> dict[str, int]:
    return {state: int(cells["state"].eq(state).sum()) for state in STATE_LABELS}


def detail_table(grid: pd.DataFrame, cells: pd.DataFrame, log: pd.DataFrame) -> pd.DataFrame:
    """Phòng, Tháng, Tình trạng, Hạn nộp, Nộp lần đầu, Người nộp, Phiên bản đang dùng, Số lần
    tải lên: every cell of the grid, newest month first."""
    versions = log.set_index("upload_id")["version"] if len(log) else pd.Series(dtype="int64")
    merged = grid.merge(cells[["department", "month", "state"]], on=["department", "month"])
    merged = merged.sort_values(["month", "department"], ascending=[False, True], kind="stable")
    return pd.DataFrame({
        "department": merged["department"].to_numpy(),
        "month": merged["month"].map(format_month).to_numpy(),
        "state": merged["state"].map(STATE_LABELS).to_numpy(),
        "deadline": merged["deadline"].map(format_date).to_numpy(),
        "first_at": merged["uploaded_at"].map(local_time).to_numpy(),
        "first_by": merged["uploaded_by"].fillna("").to_numpy(),
        "current_version": [("" if pd.isna(u) else str(versions.get(int(u), "")))
                            for u in merged["current_upload_id"]],
        "uploads": merged["versions"].map(format_number).to_numpy(),
    }).rename(columns=W.DETAIL_COLUMNS)


def cell_history(log: pd.DataFrame, restores: list[dict], department: str, month: str
                 ) -> pd.DataFrame:
    """The uploads behind one cell (the department's own and whole-center ones of that
    month) and the restores among them, newest first: Thời gian, Sự kiện, Phạm vi,
    Phiên bản, Người thực hiện, Tệp, Số dòng, Hiện hành."""
    from analysis.fields import match_key

    keys = log["scope"].map(lambda s: match_key(str(s)))
    mine = log[(log["month"] == month) & (keys.eq(match_key(department)) | keys.eq(subs.CENTER))]
    ids = set(mine["upload_id"])
    events = [{"at": row.uploaded_at, "event": W.EVENT_UPLOAD, "scope": scope_label(row.scope),
               "version": row.version, "user": row.uploaded_by or "",
               "file": row.file_name or "", "rows": row.rows,
               "current": W.CURRENT_MARK if row.current else ""}
              for row in mine.itertuples(index=False)]
    events += [{"at": e["at"], "event": W.EVENT_RESTORE, "scope": scope_label(e["scope"]),
                "version": e["version"], "user": e["user"] or "", "file": "",
                "rows": None, "current": ""}
               for e in restores if e.get("upload_id") in ids]
    events.sort(key=lambda e: e["at"] or "", reverse=True)
    table = pd.DataFrame(events, columns=list(W.HISTORY_COLUMNS))
    table["at"] = table["at"].map(local_time)
    table["rows"] = table["rows"].astype("Int64")
    return table.rename(columns=W.HISTORY_COLUMNS)
