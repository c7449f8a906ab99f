"""Wording of page `Tình hình nộp báo cáo` (SPEC §7 item 9) and its tables
(ui/submission_tables.py)."""

from analysis import submissions as _subs

NOT_DUE = "not_due"  # a cell's state: missing, but the deadline has not passed yet

# The page.
INTRO = ("Nhật ký nhiệm vụ của tháng M phải nộp chậm nhất trong ngày {day} tháng M+1 "
         "(giờ Việt Nam; quản trị có thể đổi ngày này). Được tính theo lần nộp đầu "
         "tiên; một lần tải lên của toàn trung tâm tính là báo cáo của mọi phòng. "
         "{months} tháng gần nhất đến hết kỳ đã chọn.")
SAMPLE_NOTE = "Đang dùng dữ liệu mẫu: thời điểm nộp là giả định."
NO_DEPARTMENTS = "Chưa có phòng nào trong danh mục hay trong các báo cáo đã tải lên."
GRID_TITLE = "Phòng × tháng báo cáo"
GRID_HELP = ("Mỗi ô là báo cáo của một phòng cho một tháng: xanh — đúng hạn, vàng — "
             "nộp muộn, đỏ — chưa nộp dù đã quá hạn, xám — chưa đến hạn nộp. Đưa "
             "chuột vào ô để xem phiên bản, thời điểm và người nộp; bấm vào ô để xem "
             "lịch sử tải lên.")
HISTORY_TITLE = "**Lịch sử tải lên: {department}, tháng {month}**"
NO_UPLOAD = "Chưa có lần tải lên nào cho phòng và tháng này."
NO_UPLOAD_NOT_DUE = "Chưa có lần tải lên nào; chưa đến hạn nộp."
TABLE_TITLE = "Bảng chi tiết"
STATE_HELP = {
    "on_time": "Nộp lần đầu trước hết ngày {day} tháng sau.",
    "late": "Nộp lần đầu sau hạn (ngày {day} tháng sau).",
    "missing": "Chưa nộp, đã quá hạn nộp.",
    "not_due": "Chưa nộp, còn trong hạn nộp.",
}

# The grid's cells: their state, the text in the square, the lines of the hover.
STATE_LABELS = {_subs.ON_TIME: "Đúng hạn", _subs.LATE: "Nộp muộn", _subs.MISSING: "Chưa nộp",
                NOT_DUE: "Chưa đến hạn"}
CELL_TEXTS = {_subs.ON_TIME: "Đúng hạn<br>{day}", _subs.LATE: "Muộn<br>{day}",
              _subs.MISSING: "Chưa<br>nộp", NOT_DUE: "Chưa đến<br>hạn"}
HOVER_TITLE = "<b>{department}</b> — tháng {month}"
HOVER_DEADLINE = "Hạn nộp: {deadline}"
HOVER_FIRST = "Nộp lần đầu: {at}, bởi {by}"
HOVER_UNKNOWN_USER = "không rõ"
HOVER_CURRENT = "Đang dùng: phiên bản {version} ({count} lần tải lên)"
HOVER_UPLOADS = "{count} lần tải lên"

# The detail table (every cell, newest month first) and one cell's history.
DETAIL_COLUMNS = {"department": "Phòng", "month": "Tháng", "state": "Tình trạng",
                  "deadline": "Hạn nộp", "first_at": "Nộp lần đầu", "first_by": "Người nộp",
                  "current_version": "Phiên bản đang dùng", "uploads": "Số lần tải lên"}
HISTORY_COLUMNS = {"at": "Thời gian", "event": "Sự kiện", "scope": "Phạm vi",
                   "version": "Phiên bản", "user": "Người thực hiện", "file": "Tệp",
                   "rows": "Số dòng", "current": "Hiện hành"}
EVENT_UPLOAD = "Tải lên"
EVENT_RESTORE = "Khôi phục"
CURRENT_MARK = "✓ Đang dùng"
