"""Plain tables and cell texts of page `Tình hình nộp báo cáo` (SPEC §7.9), kept out of
the page script so they can be tested without running Streamlit. The rules (deadline,
first submission judged, whole-center uploads) are `analysis.submissions`."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis import submissions as subs
from analysis.formatting import format_date, format_month, format_number
from ui.upload_tables import local_time, scope_label

NOT_DUE = "not_due"  # missing, but the deadline has not passed yet
STATE_LABELS = {subs.ON_TIME: "Đúng hạn", subs.LATE: "Nộp muộn", subs.MISSING: "Chưa nộp",
                NOT_DUE: "Chưa đến hạn"}


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
        lines = [f"<b>{cell.department}</b> — tháng {format_month(cell.month)}",
                 f"Hạn nộp: {format_date(cell.deadline)}"]
        if pd.notna(cell.upload_id):
            lines.append(f"Nộp lần đầu: {local_time(cell.uploaded_at)}, "
                         f"bởi {cell.uploaded_by or 'không rõ'}")
            if pd.notna(cell.current_upload_id):
                version = versions.get(int(cell.current_upload_id))
                lines.append(f"Đang dùng: phiên bản {version} ({format_number(cell.versions)} "
                             "lần tải lên)" if version is not None else
                             f"{format_number(cell.versions)} lần tải lên")
        else:
            lines.append(STATE_LABELS[state])
        text = {subs.ON_TIME: f"Đúng hạn<br>{_day(cell.uploaded_at)}",
                subs.LATE: f"Muộn<br>{_day(cell.uploaded_at)}",
                subs.MISSING: "Chưa<br>nộp", NOT_DUE: "Chưa đến<br>hạn"}[state]
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
        "Phòng": merged["department"].to_numpy(),
        "Tháng": merged["month"].map(format_month).to_numpy(),
        "Tình trạng": merged["state"].map(STATE_LABELS).to_numpy(),
        "Hạn nộp": merged["deadline"].map(format_date).to_numpy(),
        "Nộp lần đầu": merged["uploaded_at"].map(local_time).to_numpy(),
        "Người nộp": merged["uploaded_by"].fillna("").to_numpy(),
        "Phiên bản đang dùng": [("" if pd.isna(u) else str(versions.get(int(u), "")))
                                for u in merged["current_upload_id"]],
        "Số lần tải lên": merged["versions"].map(format_number).to_numpy(),
    })


def cell_history(log: pd.DataFrame, restores: list[dict], department: str, month: str
                 ) -> pd.DataFrame:
    """The uploads behind one cell (the department's own and whole-center ones of that
    month) and the restores among them, newest first: Thời gian, Sự kiện, Phạm vi,
    Phiên bản, Người thực hiện, Tệp, Số dòng, Hiện hành."""
    from analysis.fields import match_key

    keys = log["scope"].map(lambda s: match_key(str(s)))
    mine = log[(log["month"] == month) & (keys.eq(match_key(department)) | keys.eq(subs.CENTER))]
    ids = set(mine["upload_id"])
    events = [{"at": row.uploaded_at, "Sự kiện": "Tải lên", "Phạm vi": scope_label(row.scope),
               "Phiên bản": row.version, "Người thực hiện": row.uploaded_by or "",
               "Tệp": row.file_name or "", "Số dòng": row.rows,
               "Hiện hành": "✓ Đang dùng" if row.current else ""}
              for row in mine.itertuples(index=False)]
    events += [{"at": e["at"], "Sự kiện": "Khôi phục", "Phạm vi": scope_label(e["scope"]),
                "Phiên bản": e["version"], "Người thực hiện": e["user"] or "", "Tệp": "",
                "Số dòng": None, "Hiện hành": ""}
               for e in restores if e.get("upload_id") in ids]
    events.sort(key=lambda e: e["at"] or "", reverse=True)
    table = pd.DataFrame(events, columns=["at", "Sự kiện", "Phạm vi", "Phiên bản",
                                          "Người thực hiện", "Tệp", "Số dòng", "Hiện hành"])
    table.insert(0, "Thời gian", table.pop("at").map(local_time))
    table["Số dòng"] = table["Số dòng"].astype("Int64")
    return table
