"""Wording of page `Phòng ban` (SPEC §7 item 2)."""

# Whom the figures count, under the title.
NOTE_ROLES = ("Chủ trì: nhiệm vụ phòng chịu trách nhiệm chính. Phối hợp: nhiệm vụ do phòng "
              "khác chủ trì mà phòng tham gia phối hợp.")

# Table of departments: headers, then the help of the columns that have one.
COLUMNS_TABLE = {
    "name": "Phòng",
    "report": "Báo cáo",
    "tasks": "Chủ trì",
    "on_time_rate": "Đúng hạn (chủ trì)",
    "completion_rate": "Hoàn thành (chủ trì)",
    "late": "Trễ hạn",
    "overdue": "Quá hạn",
    "avg_delay_days": "Trễ TB (ngày)",
    "coord_tasks": "Phối hợp",
    "coord_on_time_rate": "Đúng hạn (phối hợp)",
}
HELP_COLUMNS = {
    "report": ("Báo cáo nhiệm vụ của các tháng đã qua trong kỳ: đã nộp, nộp muộn hay "
               "chưa nộp."),
    "tasks": "Số nhiệm vụ phòng chủ trì trong kỳ.",
    "on_time_rate": ("Tỷ lệ đúng hạn = đúng hạn / đến hạn (đúng hạn + trễ hạn + quá hạn), "
                     "các nhiệm vụ phòng chủ trì."),
    "completion_rate": ("Tỷ lệ hoàn thành = đã xong, kể cả xong trễ / đến hạn (cách báo "
                        "cáo của Văn phòng Chính phủ). Khác với tỷ lệ đúng hạn."),
    "late": "Hoàn thành sau hạn.",
    "overdue": "Chưa hoàn thành, đã quá hạn.",
    "avg_delay_days": "Số ngày trễ trung bình của các nhiệm vụ trễ hạn và quá hạn.",
    "coord_tasks": "Số nhiệm vụ của phòng khác mà phòng tham gia phối hợp.",
    "coord_on_time_rate": "Tỷ lệ đúng hạn khi phòng phối hợp.",
}

# Column "Báo cáo": whether the department reported its ended months ({months}: "09, 10/2026").
REPORT_MISSING = "Chưa nộp {months}"
REPORT_LATE = "Nộp muộn {months}"
REPORT_NOT_DUE = "Chưa đến hạn nộp"
REPORT_SUBMITTED = "Đã nộp"

# Column "Trễ TB (ngày)" of a department with no late or overdue task.
NO_DELAY_LABEL = "không trễ"

# Section: the table, lead and coordination side by side.
TITLE_TABLE = "Chủ trì và phối hợp theo phòng"
CAPTION_TABLE = ("Chọn một dòng để xem các nhiệm vụ phòng đó chủ trì hoặc phối hợp. "
                 "{coordination_rate} Trễ TB (ngày): số ngày trễ trung bình của các nhiệm vụ "
                 "trễ hạn và quá hạn.")
CAPTION_COORD_RATE_SHEET = "Tỷ lệ phối hợp tính từ sheet “Phối hợp” (hạn và ngày gửi kết quả)."
CAPTION_COORD_RATE_NO_SHEET = ("Tỷ lệ phối hợp tính theo kết quả các nhiệm vụ phòng tham gia "
                               "phối hợp.")
DRILL_ROW = "{name} (chủ trì hoặc phối hợp)"

# Section: the two charts.
TITLE_RATES = "Tỷ lệ đúng hạn"
TITLE_COUNTS = "Số nhiệm vụ"

# Section: the monthly trend of one department.
TITLE_TREND = "Diễn biến của một phòng (chủ trì)"
LABEL_TREND_DEPARTMENT = "Phòng"
