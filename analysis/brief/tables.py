"""The brief's tables as the page `Họp đánh giá` shows them: Vietnamese headers, numbers
and rates already written the Vietnamese way (`1.268`, `85,3 %`), "chưa có số liệu" for a
department without data (never 0)."""

from __future__ import annotations

import pandas as pd

from analysis.brief import text as T
from analysis.brief.figures import BriefFigures
from analysis.formatting import format_date, format_number, format_percent
from analysis.submissions import MISSING

NO_DATA = "chưa có số liệu"
STATUS = {"on_time": "Đúng hạn", "late": "Nộp muộn", "missing": "Chưa nộp"}


def department_table(f: BriefFigures, known: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per department of the figures (as lead and as coordinator), plus the
    known departments without any task in the period ("chưa có số liệu")."""
    compared = f.comparison.compared
    rows = []
    for r in f.departments.itertuples():
        led = r.tasks > 0
        rows.append({
            "Phòng": r.name,
            "Số nhiệm vụ": format_number(r.tasks) if led else "—",  # never a 0 for no data
            "Đến hạn": format_number(r.due) if led else "—",
            "Đúng hạn": format_number(r.on_time) if led else "—",
            "Trễ hạn": format_number(r.late) if led else "—",
            "Trong hạn": format_number(r.in_term) if led else "—",
            "Quá hạn": format_number(r.overdue) if led else "—",
            "Tỷ lệ hoàn thành": format_percent(r.completion_rate),
            "Tỷ lệ đúng hạn": format_percent(r.on_time_rate),
            "± kỳ trước (điểm %)": T.signed_points(r.on_time_rate, r.prev_on_time_rate)
            if compared else "—",
            "NV phối hợp": format_number(r.coord_tasks),
            "Tỷ lệ đúng hạn khi phối hợp": format_percent(r.coord_on_time_rate),
            "Kết quả (chủ trì)": T.four_way_line(r._asdict()) if led else NO_DATA,
        })
    listed = {row["Phòng"] for row in rows}
    for name in known:
        if name not in listed and (f.whole_center or name == f.scope):
            rows.append({"Phòng": name, **{k: "—" for k in (
                "Số nhiệm vụ", "Đến hạn", "Đúng hạn", "Trễ hạn", "Trong hạn", "Quá hạn",
                "Tỷ lệ hoàn thành", "Tỷ lệ đúng hạn", "± kỳ trước (điểm %)", "NV phối hợp",
                "Tỷ lệ đúng hạn khi phối hợp")}, "Kết quả (chủ trì)": NO_DATA})
    return pd.DataFrame(rows)


def recognition_table(frame: pd.DataFrame, departments: dict[str, str] | None = None
                      ) -> pd.DataFrame:
    """A praise or reminder list: name (and department), the rate with its counts, the
    reason, how many tasks are behind it."""
    table = pd.DataFrame({"Tên": frame["name"]})
    if departments is not None:
        table["Phòng"] = frame["name"].map(departments).fillna("")
    table["Tỷ lệ đúng hạn chung"] = [T.rate_with_counts(r.rate, r.on_time, r.counted)
                                     for r in frame.itertuples()]
    table["Lý do"] = frame["reason"]
    table["Số NV liên quan"] = frame["task_ids"].map(len).map(format_number)
    return table.reset_index(drop=True)


def coordinators_table(f: BriefFigures) -> pd.DataFrame:
    best = f.best_coordinators
    return pd.DataFrame({
        "Vai trò": best["role"].map({"dept": "Phòng", "person": "Cá nhân"}),
        "Tên": best["name"],
        "Tỷ lệ đúng hạn khi phối hợp": [T.rate_with_counts(r.coord_rate, r.coord_on_time,
                                                           r.coord_counted)
                                        for r in best.itertuples()],
        "Quá hạn khi phối hợp": best["coord_past_due"].map(format_number),
    })


def overdue_table(f: BriefFigures) -> pd.DataFrame:
    o = f.overdue_tasks
    return pd.DataFrame({
        "Mã nhiệm vụ": o["task_id"], "Nội dung nhiệm vụ": o["title"].fillna(""),
        "Phòng chủ trì": o["lead_dept"].fillna(""), "Người chủ trì": o["lead_person"].fillna(""),
        "Hạn hoàn thành": o["due_date"].map(format_date),
        "Số ngày quá hạn": o["delay_days"].map(format_number),
        "Thuộc": o["in_period"].map({True: "Kỳ báo cáo", False: "Kỳ trước"}),
    })


def submission_states(f: BriefFigures) -> pd.Series:
    """The state of each row of `f.submissions` as the brief words it (page, Word and
    Excel): a missing log not due on the as-of day reads "Chưa đến hạn nộp"."""
    grid = f.submissions
    status = grid["status"].map(STATUS)
    return status.where(~(grid["status"].eq(MISSING) & grid["month"].isin(f.not_due_months)),
                        "Chưa đến hạn nộp")


def submissions_table(f: BriefFigures) -> pd.DataFrame:
    grid = f.submissions
    if grid is None or grid.empty:
        return pd.DataFrame()
    status = submission_states(f)
    at = pd.to_datetime(grid["uploaded_at"], utc=True, format="ISO8601").dt.tz_convert(
        "Asia/Ho_Chi_Minh")
    return pd.DataFrame({
        "Phòng": grid["department"], "Tháng": grid["month"].map(lambda m: f"{m[5:7]}/{m[:4]}"),
        "Tình trạng": status, "Hạn nộp": grid["deadline"].map(format_date),
        "Nộp lần đầu": at.dt.strftime("%d/%m/%Y %H:%M").fillna(""),
        "Người nộp": grid["uploaded_by"].fillna(""),
    })
