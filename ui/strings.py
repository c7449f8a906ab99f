"""Vietnamese wording of the dashboard, kept together so it is easy to review.

Outcome and status labels and task-table column headers live in
`analysis.formatting` (shared with exports).
"""

from analysis.formatting import COLUMN_LABELS

APP_TITLE = "Bảng điều phối — Trung tâm Công tác xã hội Đà Nẵng"
APP_SHORT_TITLE = "Bảng điều phối CTXH"

# Page titles (SPEC §7) and their url paths.
PAGE_OVERVIEW = "Tổng quan"
PAGE_DEPARTMENTS = "Phòng ban"
PAGE_PEOPLE = "Cá nhân"
PAGE_COORDINATION = "Phối hợp"
PAGE_TASKS = "Nhiệm vụ"
PAGE_UPLOAD = "Tải dữ liệu lên"
PAGE_MEETING = "Họp đánh giá"

# Roles (SPEC §8).
ROLE_DIRECTOR = "director"
ROLE_DEPT_HEAD = "dept_head"
ROLE_ADMIN = "admin"
ROLE_LABELS = {
    ROLE_DIRECTOR: "Lãnh đạo đơn vị",
    ROLE_DEPT_HEAD: "Lãnh đạo phòng",
    ROLE_ADMIN: "Quản trị",
}

# Sidebar filters.
FILTERS_HEADER = "Bộ lọc"
PERIOD_KIND = "Kỳ báo cáo"
PERIOD_KINDS = {"thang": "Tháng", "quy": "Quý", "nam": "Năm", "khoang": "Khoảng tháng"}
MONTH = "Tháng"
QUARTER = "Quý"
YEAR = "Năm"
FROM_MONTH = "Từ tháng"
TO_MONTH = "Đến tháng"
DEPARTMENTS = "Phòng ban"
DEPARTMENTS_HELP = ("Để trống: tất cả. Số liệu chủ trì lọc theo phòng chủ trì; "
                    "số liệu phối hợp lọc theo phòng phối hợp.")
SERVICES = "Loại dịch vụ"
SERVICES_HELP = "Để trống: tất cả loại dịch vụ."
ALL = "Tất cả"
AS_OF = "Tính đến ngày"
AS_OF_HELP = "Kết quả (đúng hạn, trễ hạn, quá hạn) được tính tại ngày này."
NO_MONTHS = "Chưa có dữ liệu."
DEMO_ROLE = "Chế độ trình diễn: vai trò {role} (chưa có đăng nhập)."

# Sample-data banner (SPEC §8 demo mode).
SAMPLE_BANNER = (
    "**Dữ liệu mẫu** — các số liệu trên trang này được tính từ dữ liệu mẫu đi kèm "
    "ứng dụng, không phải số liệu thật của Trung tâm. Số liệu thật sẽ thay thế khi "
    "một phòng tải lên nhật ký nhiệm vụ của mình (trang *Tải dữ liệu lên*)."
)
NO_DATA = "Chưa có nhiệm vụ nào trong kỳ và bộ lọc đã chọn."

# Headline cards (SPEC §3.3).
CARD_TASKS = "Số nhiệm vụ"
CARD_ON_TIME_RATE = "Tỷ lệ đúng hạn"
CARD_LATE = "Trễ hạn"
CARD_OVERDUE = "Quá hạn"
CARD_CROSS_SHARE = "Có phối hợp liên phòng"
CARD_CLARITY = "Giao việc rõ ràng"
CARD_CLARITY_HELP = "Nhiệm vụ ghi đủ nội dung, người chủ trì và hạn hoàn thành."
CARD_CROSS_HELP = "Nhiệm vụ có ít nhất một phòng phối hợp khác phòng chủ trì."
CARD_COMPLETION_RATE = "Tỷ lệ hoàn thành"
CARD_RATE_HELP = ("Tỷ lệ đúng hạn = đúng hạn / (đúng hạn + trễ hạn + quá hạn): "
                  "chỉ việc xong trước hoặc đúng hạn mới được tính.")
CARD_COMPLETION_HELP = ("Tỷ lệ hoàn thành = (đúng hạn + trễ hạn) / (đúng hạn + trễ hạn + quá hạn): "
                        "việc đã đến hạn và đã xong, kể cả xong trễ (cách báo cáo của "
                        "Văn phòng Chính phủ). Khác với tỷ lệ đúng hạn.")
COMPARED_WITH = "So với kỳ trước ({period})."
NO_PREVIOUS = "Kỳ trước ({period}) không có dữ liệu để so sánh."

# Drill-down.
DRILL_HEADER = "Danh sách nhiệm vụ: {what}"
DRILL_COUNT = "{count} nhiệm vụ"
DRILL_HINT = "Bấm vào một cột, điểm hoặc dòng để xem danh sách nhiệm vụ phía sau."
DRILL_NONE = "Không có nhiệm vụ nào."

# Task table columns (drill-down).
TASK_TABLE_COLUMNS = {c: COLUMN_LABELS[c] for c in (
    "task_id", "title", "service", "lead_dept", "lead_person", "coord_depts", "coord_people",
    "assigned_date", "due_date", "done_date", "outcome", "delay_days")}

# Roles in a figure.
AS_LEAD = "Chủ trì"
AS_COORD = "Phối hợp"
