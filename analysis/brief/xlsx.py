"""The Excel brief (SPEC §7.1): the same figures as the Word brief, to work in.

Sheets: `Tổng hợp`, `Phòng ban`, `Cá nhân`, `Ma trận phối hợp`, `Quá hạn`,
`Biểu dương - Nhắc nhở`, `Nộp báo cáo`. Numbers are numbers, rates fractions shown as
percentages, dates date cells; headers frozen and filtered; every text neutralised and
written as text (SPEC §4.6, `analysis.exports.write_frame`). Sheets `Phòng ban` and
`Cá nhân` hold exactly the SPEC's columns, one row per department / person of the §5
report of the period (to date when partial).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from analysis.brief import text as T
from analysis.brief.figures import BriefFigures
from analysis.brief.tables import submission_states
from analysis.exports import Formats, neutralise_text, new_workbook, write_frame
from analysis.formatting import format_date

# SPEC §7.1: sheet `Phòng ban`'s columns, in order (figure → header); `Cá nhân` adds
# `Người` and `Phòng` in front.
FIGURE_HEADERS = {
    "tasks": "Số nhiệm vụ",
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "overdue": "Quá hạn",
    "open": "Đang thực hiện",
    "no_deadline": "Không có hạn",
    "on_time_rate": "Tỷ lệ đúng hạn",
    "completion_rate": "Tỷ lệ hoàn thành",
    "coord_tasks": "NV phối hợp",
    "coord_on_time_rate": "Tỷ lệ đúng hạn khi phối hợp",
}
DEPARTMENT_COLUMNS = ("Phòng", *FIGURE_HEADERS.values())
PERSON_COLUMNS = ("Người", "Phòng", *FIGURE_HEADERS.values())
SHEETS = ("Tổng hợp", "Phòng ban", "Cá nhân", "Ma trận phối hợp", "Quá hạn",
          "Biểu dương - Nhắc nhở", "Nộp báo cáo")
def department_sheet(f: BriefFigures) -> pd.DataFrame:
    table = f.departments[["name", *FIGURE_HEADERS]].rename(columns={"name": "Phòng",
                                                                      **FIGURE_HEADERS})
    return table[list(DEPARTMENT_COLUMNS)]


def person_sheet(f: BriefFigures) -> pd.DataFrame:
    table = f.people[["name", "department", *FIGURE_HEADERS]].rename(
        columns={"name": "Người", "department": "Phòng", **FIGURE_HEADERS})
    return table[list(PERSON_COLUMNS)]


def matrix_sheet(f: BriefFigures) -> pd.DataFrame:
    return f.matrix[["lead_dept", "coord_dept", "tasks", "on_time", "late", "overdue",
                     "on_time_rate"]].rename(columns={
        "lead_dept": "Phòng chủ trì", "coord_dept": "Phòng phối hợp", "tasks": "Số nhiệm vụ",
        "on_time": "Đúng hạn", "late": "Trễ hạn", "overdue": "Quá hạn",
        "on_time_rate": "Tỷ lệ đúng hạn"})


def overdue_sheet(f: BriefFigures) -> pd.DataFrame:
    o = f.overdue_tasks
    return pd.DataFrame({
        "Mã nhiệm vụ": o["task_id"], "Nội dung nhiệm vụ": o["title"],
        "Phòng chủ trì": o["lead_dept"], "Người chủ trì": o["lead_person"],
        "Phòng phối hợp": o["coord_depts"], "Người phối hợp": o["coord_people"],
        "Ngày giao": o["assigned_date"], "Hạn hoàn thành": o["due_date"],
        "Số ngày quá hạn": o["delay_days"].round().astype("Int64"),
        "Thuộc": np.where(o["in_period"].astype(bool), "Kỳ báo cáo", "Kỳ trước"),
    })


def recognition_sheet(f: BriefFigures) -> pd.DataFrame:
    where = dict(zip(f.people["name"], f.people["department"]))
    parts = []
    for label, role, frame in (("Biểu dương", "Phòng", f.praise_departments),
                               ("Biểu dương", "Cá nhân", f.praise_people),
                               ("Nhắc nhở", "Phòng", f.reminder_departments),
                               ("Nhắc nhở", "Cá nhân", f.reminder_people)):
        if frame.empty:
            continue
        parts.append(pd.DataFrame({
            "Danh sách": label, "Đối tượng": role, "Tên": frame["name"],
            "Phòng": frame["name"] if role == "Phòng" else frame["name"].map(where).fillna(""),
            "Lý do": frame["reason"],
            "Chủ trì: đúng hạn": frame["lead_on_time"], "Chủ trì: đến hạn": frame["lead_counted"],
            "Chủ trì: quá hạn": frame["lead_overdue"],
            "Tỷ lệ đúng hạn khi chủ trì": frame["lead_rate"],
            "Phối hợp: đúng hạn": frame["coord_on_time"],
            "Phối hợp: đến hạn": frame["coord_counted"],
            "Phối hợp: quá hạn": frame["coord_past_due"],
            "Tỷ lệ đúng hạn khi phối hợp": frame["coord_rate"],
            "Tỷ lệ đúng hạn chung": frame["rate"],
            "Số nhiệm vụ liên quan": frame["task_ids"].map(len),
            "Mã nhiệm vụ liên quan": frame["task_ids"].map("; ".join),
        }))
    if not parts:
        return pd.DataFrame({"Danh sách": pd.Series(dtype="str"),
                             "Lý do": pd.Series(dtype="str")})
    return pd.concat(parts, ignore_index=True)


def submissions_sheet(f: BriefFigures) -> pd.DataFrame:
    grid = f.submissions
    if grid is None:
        return pd.DataFrame({"Phòng": pd.Series(dtype="str"), "Tháng": pd.Series(dtype="str")})
    status = submission_states(f)
    at = pd.to_datetime(grid["uploaded_at"], utc=True, format="ISO8601")
    local = at.dt.tz_convert("Asia/Ho_Chi_Minh").dt.tz_localize(None)
    return pd.DataFrame({
        "Phòng": grid["department"], "Tháng": grid["month"].map(lambda m: f"{m[5:7]}/{m[:4]}"),
        "Tình trạng": status, "Hạn nộp": pd.to_datetime(grid["deadline"]),
        "Nộp lần đầu lúc": local, "Người nộp": grid["uploaded_by"],
        "Số phiên bản": grid["versions"].astype("int64"),
    })


def _summary(sheet, formats: Formats, book, f: BriefFigures) -> None:
    """`Tổng hợp`: what the brief is about, then the period's figures against the previous."""
    h = f.inputs.header
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 3, 16)
    sheet.set_column(4, 4, 60)
    heading = T.summary_line(f.inputs.from_month, f.inputs.to_month, f.cut)
    sheet.write_string(0, 0, neutralise_text(f"{h.center_name.upper()} — {heading}"),
                       formats.title)
    rows = [("Đơn vị", f.scope if not f.whole_center else "Toàn Trung tâm"),
            ("Kỳ báo cáo", f.period_label), ("Tính đến ngày", format_date(f.as_of)),
            ("Kỳ so sánh", f.previous_label if f.comparison.compared else (f.reason or "—"))]
    for i, (label, value) in enumerate(rows, start=2):
        sheet.write_string(i, 0, label, bold)
        sheet.write_string(i, 1, neutralise_text(str(value)))
    top = len(rows) + 3
    headers = ["Chỉ tiêu", "Kỳ báo cáo", "Kỳ trước", "Thay đổi", "Ghi chú"]
    for col, name in enumerate(headers):
        sheet.write_string(top, col, name, formats.header)
    now, before = f.overall, f.previous_overall
    lines = [
        ("Số nhiệm vụ", "tasks", "count", "không tính nhiệm vụ đã hủy"),
        ("Đến hạn", "due", "count", "đúng hạn + trễ hạn + quá hạn"),
        ("Đã hoàn thành", "done", "count", "đúng hạn + trễ hạn"),
        ("Đúng hạn", "on_time", "count", ""),
        ("Trễ hạn", "late", "count", "hoàn thành sau hạn"),
        ("Chưa hoàn thành", "not_done", "count", "trong hạn + quá hạn"),
        ("Trong hạn", "in_term", "count", "chưa xong, chưa quá hạn (kể cả chưa đến hạn)"),
        ("Quá hạn", "overdue", "count", "đã qua hạn mà chưa xong"),
        ("Chưa đến hạn", "upcoming", "count", "nhiệm vụ của kỳ có hạn sau ngày tính"),
        ("Không có hạn", "no_deadline", "count", "không tính vào các tỷ lệ"),
        ("Đã hủy", "cancelled", "count", "không tính vào các chỉ tiêu"),
        ("Tỷ lệ hoàn thành", "completion_rate", "rate", "đã hoàn thành / đến hạn"),
        ("Tỷ lệ đúng hạn", "on_time_rate", "rate", "đúng hạn / đến hạn"),
        ("Tỷ lệ có phối hợp liên phòng", "cross_dept_share", "rate", ""),
        ("Tỷ lệ đúng hạn (có phối hợp liên phòng)", "cross_dept_on_time_rate", "rate", ""),
        ("Tỷ lệ đúng hạn (một phòng thực hiện)", "single_dept_on_time_rate", "rate", ""),
        ("Tỷ lệ giao việc rõ ràng", "clarity_rate", "rate",
         "ghi đủ nội dung, người chủ trì và hạn"),
        ("Số ngày trễ trung bình", "avg_delay_days", "days", "nhiệm vụ trễ hạn và quá hạn"),
    ]
    number_format = book.add_format({"num_format": "#,##0"})
    days_format = book.add_format({"num_format": "0.0"})
    change_rate = book.add_format({"num_format": "+0.0%;-0.0%;0.0%"})
    change_count = book.add_format({"num_format": "+#,##0;-#,##0;0"})
    for r, (label, key, kind, note) in enumerate(lines, start=top + 1):
        sheet.write_string(r, 0, label)
        fmt = {"count": number_format, "rate": formats.rate, "days": days_format}[kind]
        value = now.get(key)
        previous = before.get(key) if before else None
        for col, v in ((1, value), (2, previous)):
            if v is not None and not (isinstance(v, float) and np.isnan(v)):
                sheet.write_number(r, col, float(v), fmt)
        if value is not None and previous is not None and not any(
                isinstance(v, float) and np.isnan(v) for v in (value, previous)):
            sheet.write_number(r, 3, float(value) - float(previous),
                               change_rate if kind == "rate" else change_count)
        if note:
            sheet.write_string(r, 4, note, wrap)
    last = top + len(lines)
    sheet.freeze_panes(top + 1, 0)
    sheet.autofilter(top, 0, last, len(headers) - 1)
    notes = [T.four_way_line(now), T.FOUR_WAY_DEFINITIONS, T.MONTH_MEANING]
    for i, note in enumerate(notes, start=last + 2):
        sheet.write_string(i, 0, neutralise_text(note[:1].upper() + note[1:]))


def brief_xlsx(f: BriefFigures) -> bytes:
    """The Excel brief's bytes."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    formats = Formats(book)
    _summary(book.add_worksheet(SHEETS[0]), formats, book, f)
    for name, frame, widths in (
            (SHEETS[1], department_sheet(f), {"Phòng": 36}),
            (SHEETS[2], person_sheet(f), {"Người": 26, "Phòng": 36}),
            (SHEETS[3], matrix_sheet(f), {"Phòng chủ trì": 36, "Phòng phối hợp": 36}),
            (SHEETS[4], overdue_sheet(f), {"Nội dung nhiệm vụ": 60}),
            (SHEETS[5], recognition_sheet(f), {"Lý do": 80, "Mã nhiệm vụ liên quan": 40}),
            (SHEETS[6], submissions_sheet(f), {"Phòng": 36})):
        write_frame(book.add_worksheet(name), formats, frame, widths=widths)
    book.close()
    return buffer.getvalue()
