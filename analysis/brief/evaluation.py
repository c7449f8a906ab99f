"""Section II of the brief (Đánh giá): strengths and weaknesses written from the figures.

Each rule below looks at one fact and, when it holds, says it in one sentence; nothing
is said that the figures do not show. The thresholds are those of recognition (§3.6):
a department is "good" as lead from the praise rate, "weak" below the reminder rate,
and only with enough evidence.
"""

from __future__ import annotations

import math

from analysis.brief import text as T
from analysis.formatting import format_number, format_percent


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def evaluation(f) -> tuple[list[str], list[str]]:
    """(strengths, weaknesses) as sentences (each ends with a full stop)."""
    strengths: list[str] = []
    weaknesses: list[str] = []
    t = f.inputs.thresholds
    line = f.overall
    previous = f.previous_overall

    # completion and timeliness overall
    if line["due"]:
        if not _missing(line["completion_rate"]) and line["completion_rate"] >= t.praise_min_rate:
            strengths.append(f"Phần lớn nhiệm vụ đến hạn đã được hoàn thành "
                             f"({format_percent(line['completion_rate'])}).")
        if not _missing(line["on_time_rate"]):
            if line["on_time_rate"] >= t.praise_min_rate:
                strengths.append(f"Tỷ lệ đúng hạn chung đạt {format_percent(line['on_time_rate'])}, "
                                 f"từ ngưỡng biểu dương {format_percent(t.praise_min_rate)} trở lên.")
            elif line["on_time_rate"] < t.reminder_below_rate:
                weaknesses.append(f"Tỷ lệ đúng hạn chung chỉ đạt "
                                  f"{format_percent(line['on_time_rate'])}, dưới ngưỡng "
                                  f"{format_percent(t.reminder_below_rate)}.")
        if line["late"]:
            weaknesses.append(f"{format_number(line['late'])} nhiệm vụ hoàn thành nhưng trễ hạn, "
                              f"trung bình trễ {format_number(line['avg_delay_days'], 1)} ngày "
                              f"(tính cả nhiệm vụ quá hạn).")
    # the change from the previous period
    if previous is not None and not _missing(line["on_time_rate"]) \
            and not _missing(previous["on_time_rate"]):
        change = T.points_change(line["on_time_rate"], previous["on_time_rate"])
        label = T.comparison_label(f)
        if line["on_time_rate"] > previous["on_time_rate"] and change != "không đổi":
            strengths.append(f"Tỷ lệ đúng hạn {change} so với {label}.")
        elif line["on_time_rate"] < previous["on_time_rate"] and change != "không đổi":
            weaknesses.append(f"Tỷ lệ đúng hạn {change} so với {label}.")

    # departments as lead
    good = f.praise_departments
    if len(good):
        strengths.append("Các phòng thực hiện tốt (biểu dương): " + T.names_with(
            (r.name, T.rate_with_counts(r.rate, r.on_time, r.counted))
            for r in good.head(3).itertuples()) + ".")
    weak = f.reminder_departments
    if len(weak):
        weaknesses.append("Các phòng cần nhắc nhở (lý do ở mục III): " + T.names_with(
            (r.name, T.rate_with_counts(r.rate, r.on_time, r.counted))
            for r in weak.itertuples()) + ".")

    # coordination
    crossed, single = line.get("cross_dept_on_time_rate"), line.get("single_dept_on_time_rate")
    if not _missing(crossed) and not _missing(single):
        if crossed >= single:
            strengths.append(f"Nhiệm vụ có phối hợp liên phòng đạt tỷ lệ đúng hạn "
                             f"{format_percent(crossed)}, không thấp hơn nhiệm vụ do một phòng "
                             f"thực hiện ({format_percent(single)}).")
        else:
            weaknesses.append(f"Nhiệm vụ có phối hợp liên phòng đạt tỷ lệ đúng hạn "
                              f"{format_percent(crossed)}, thấp hơn nhiệm vụ do một phòng thực "
                              f"hiện ({format_percent(single)}): khâu phối hợp giữa các phòng "
                              f"còn chậm.")
    best = f.best_coordinators
    best = best[(best["role"] == "dept") & (best["coord_rate"] >= t.praise_min_rate)]
    if len(best):
        strengths.append("Phòng phối hợp tốt: " + T.names_with(
            (r.name, T.rate_with_counts(r.coord_rate, r.coord_on_time, r.coord_counted))
            for r in best.itertuples()) + ".")
    roles = f.department_roles
    slow = roles[roles["coord_enough"].to_numpy()
                 & roles["coord_rate"].lt(t.reminder_below_rate).to_numpy()]
    if len(slow):
        weaknesses.append("Phòng phối hợp chưa kịp thời (tỷ lệ đúng hạn khi phối hợp dưới "
                          f"{format_percent(t.reminder_below_rate)}): " + T.names_with(
                              (r.name, T.rate_with_counts(r.coord_rate, r.coord_on_time,
                                                          r.coord_counted))
                              for r in slow.itertuples()) + ".")

    # clarity of assignments (the seed: content, performer, deadline)
    if line["tasks"] and not _missing(line["clarity_rate"]):
        unclear = line["tasks"] - round(line["clarity_rate"] * line["tasks"])
        if unclear == 0:
            strengths.append("Mọi nhiệm vụ đều được giao rõ nội dung, người chủ trì và thời hạn.")
        elif line["clarity_rate"] >= 0.95:
            strengths.append(f"{format_percent(line['clarity_rate'])} nhiệm vụ được giao rõ nội "
                             f"dung, người chủ trì và thời hạn.")
        else:
            weaknesses.append(f"{format_number(unclear)} nhiệm vụ "
                              f"({format_percent(1 - line['clarity_rate'])}) giao chưa rõ "
                              f"(thiếu nội dung, người chủ trì hoặc thời hạn), dễ dẫn đến né "
                              f"tránh, đùn đẩy.")

    # overdue work and missing reports
    overdue = f.overdue_tasks
    if len(overdue):
        by_dept = overdue["lead_dept"].value_counts().head(3)
        weaknesses.append(f"Còn {format_number(len(overdue))} nhiệm vụ quá hạn chưa hoàn thành, "
                          f"nhiều nhất ở: " + ", ".join(
                              f"{name} ({format_number(n)})" for name, n in by_dept.items()) + ".")
    elif line["due"]:
        strengths.append("Không còn nhiệm vụ quá hạn chưa hoàn thành.")
    missing = f.missing_submissions
    if missing:
        weaknesses.append(f"{format_number(len(missing))} phòng chưa nộp báo cáo đủ các tháng của "
                          f"kỳ, số liệu của các phòng này chưa đầy đủ.")

    if not strengths:
        strengths.append("Chưa có kết quả nổi bật trong kỳ theo các chỉ tiêu đang theo dõi.")
    if not weaknesses:
        weaknesses.append("Không có tồn tại đáng kể theo các chỉ tiêu đang theo dõi.")
    return strengths, weaknesses
