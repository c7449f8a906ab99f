"""Wording of page `Cá nhân` (SPEC §7 item 3)."""

INTRO_ROLES = ("Chủ trì: nhiệm vụ người đó chịu trách nhiệm chính; phối hợp: nhiệm vụ người "
               "khác chủ trì mà người đó tham gia.")

# Scorecard.
COLUMNS_SCORECARD = {
    "person": "Họ và tên",
    "tasks": "Chủ trì",
    "on_time_rate": "Tỷ lệ đúng hạn",
    "on_time_counts": "Đúng hạn / đến hạn",
    "completion_rate": "Tỷ lệ hoàn thành",
    "late": "Trễ hạn",
    "overdue": "Quá hạn",
    "assignments": "Tải phối hợp",
    "coord_on_time_rate": "Đúng hạn khi phối hợp",
}
TITLE_SCORECARD = "Bảng điểm cá nhân"
CAPTION_SCORECARD = (
    "Thứ tự theo tỷ lệ đúng hạn khi chủ trì có tính đến số việc (cận dưới Wilson, độ "
    "tin cậy 95 %): người có ít nhiệm vụ xếp thấp hơn, nên 2/2 nhiệm vụ đúng hạn không "
    "xếp trên 95/100. Cột “Đúng hạn / đến hạn” cho biết tỷ lệ dựa trên bao nhiêu việc."
    " Cột “Đúng hạn / đến hạn” cho biết số việc. Tải phối hợp: số nhiệm vụ người đó được giao "
    "phối hợp. Chọn một dòng để xem nhiệm vụ của người đó.")
DRILL_PERSON = "{person} (chủ trì hoặc phối hợp)"

# Ranking.
TITLE_RANKING = "Xếp hạng đúng hạn khi chủ trì"
CAPTION_RANKING = ("20 người đứng đầu. Mỗi thanh là tỷ lệ đúng hạn kèm số việc (đúng hạn/đến "
                   "hạn); thứ tự có tính đến số việc. Bấm một thanh để xem các nhiệm vụ đã tính.")
HOVER_ON_TIME_RATE = "Tỷ lệ đúng hạn"

# Praise and reminder lists.
TITLE_RECOGNITION = "Dự kiến biểu dương và nhắc nhở"
CAPTION_RECOGNITION = "{rules} Chọn một dòng để xem nhiệm vụ."  # rules: recognition.rules_sentence
TITLE_PRAISE = "Biểu dương"
TITLE_REMINDER = "Nhắc nhở"
MESSAGE_NO_ONE = "Không có ai."
COLUMN_NAME = "Họ và tên"
COLUMN_REASON = "Lý do"
COLUMN_TASK_COUNT = "Số nhiệm vụ liên quan"
