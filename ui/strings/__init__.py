"""Vietnamese wording of the dashboard, kept together so it is easy to review.

All the text the pages show lives in this package: what several pages share here
(`from ui import strings as S`), each page's own in `ui/strings/<page>.py`
(`from ui.strings import quan_tri as W`). Pages hold no Vietnamese literal of their own
(tests/test_boundaries.py checks it). Outcome and status labels and task-table column
headers live in `analysis.formatting` (shared with exports and the brief); the texts of
the brief in `analysis.brief.text`.
"""

from analysis import access as _access
from analysis.periods import KIND_LABELS, LESS_DATA, NO_BOUNDS, NO_PREVIOUS_DATA

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
PAGE_ADMIN = "Quản trị"
PAGE_SUBMISSIONS = "Tình hình nộp báo cáo"

# Roles (SPEC §8): the one source is analysis.access; these names stay for pages that use them.
ROLE_DIRECTOR, ROLE_DEPT_HEAD, ROLE_ADMIN = _access.DIRECTOR, _access.DEPT_HEAD, _access.ADMIN
ROLE_LABELS = _access.ROLE_LABELS

# Sidebar filters.
FILTERS_HEADER = "Bộ lọc"
PERIOD_KIND = "Kỳ báo cáo"
PERIOD_KINDS = KIND_LABELS  # Tháng, Quý, 6 tháng, Năm, Khoảng tháng
PERIOD_KIND_HELP = ("Chỉ có các kỳ đã bắt đầu tính đến ngày tính. Kỳ đang diễn ra được tính "
                    "đến ngày tính và so sánh với cùng thời điểm của kỳ trước.")
NO_PERIOD_OFFERED = "Chưa có kỳ nào (đã bắt đầu) có số liệu."
NOT_STARTED_SHORT = "chưa bắt đầu"
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

# The task list each headline card opens (ui.cards.CARD_DRILLS).
CARD_DRILL_NAMES = {
    "tasks": "Tất cả nhiệm vụ",
    "on_time_rate": "Nhiệm vụ tính tỷ lệ đúng hạn",
    "completion_rate": "Nhiệm vụ đến hạn (tính tỷ lệ hoàn thành)",
    "late": "Trễ hạn",
    "overdue": "Quá hạn",
    "cross_dept_share": "Có phối hợp liên phòng",
    "clarity_rate": "Giao việc chưa rõ ràng",
}

# What the figures cover, said on the page (SPEC §7 "Fair comparisons").
PERIOD_LINE = "Kỳ: {period}"
MONTH_MEANING = ("Một tháng gồm các nhiệm vụ có hạn hoàn thành trong tháng đó (nhiệm vụ "
                 "không ghi hạn: theo ngày giao).")
ROLE_LEAD_NOTE = ("Mỗi nhiệm vụ được tính một lần, cho phòng chủ trì; khi chọn phòng ở thanh "
                  "bên, chỉ tính các nhiệm vụ phòng đó chủ trì.")
ROLE_ANY_NOTE = ("Khi chọn phòng ở thanh bên, danh sách gồm cả nhiệm vụ phòng đó chủ trì "
                 "và nhiệm vụ phòng đó phối hợp.")
PARTIAL_NOTE = ("{period} đang diễn ra: số liệu tính đến hết ngày {day}, gồm các nhiệm vụ có "
                "hạn từ đầu kỳ đến ngày đó.")
NOT_STARTED = ("{period} chưa bắt đầu (từ ngày {start}, sau ngày tính {as_of}) nên chưa có số "
               "liệu. Hãy chọn một kỳ khác ở thanh bên.")
NO_TASKS_IN_PERIOD = ("Chưa có số liệu cho {period} với bộ lọc đã chọn: chưa có nhiệm vụ nào "
                      "có hạn trong kỳ.")
COMPARED_PARTIAL = ("So sánh cùng thời điểm: {current} so với {previous} (kết quả kỳ trước "
                    "tính tại ngày {previous_as_of}).")
COMPARED_COMPLETE = ("So sánh với {previous}; kết quả kỳ trước tính tại ngày {previous_as_of}, "
                     "cùng khoảng cách sau khi kỳ kết thúc.")
NOT_COMPARED = {
    LESS_DATA: ("Không so sánh với {previous}: số liệu chỉ có từ tháng {first}, nên kỳ trước "
                "thiếu các tháng đầu và các con số sẽ không cùng cơ sở."),
    NO_PREVIOUS_DATA: "Không so sánh với {previous}: kỳ trước chưa có số liệu{since}.",
    NO_BOUNDS: "Tất cả các tháng: không có kỳ trước để so sánh.",
}
DATA_SINCE = " (số liệu bắt đầu từ tháng {first})"
FIRST_DATA_NOTE = ("Tháng đầu của số liệu là tháng báo cáo sớm nhất trong các lần tải lên "
                   "đang được tính{which}.")
FIRST_DATA_WHICH = " của {departments} và toàn trung tâm"  # {which} with departments chosen
UPCOMING_NOTE = ("**Chưa đến hạn:** {count} nhiệm vụ của kỳ có hạn sau ngày {day}; chưa tính "
                 "vào các số trên (không phải là giảm).")
MISSING_REPORTS = ("**Chưa nộp báo cáo:** {items}. Số liệu của các phòng này trong kỳ chưa đầy "
                   "đủ: thiếu báo cáo không có nghĩa là không có nhiệm vụ.")
NOT_DUE_REPORTS = "Chưa đến hạn nộp (hạn: ngày {day} tháng sau): {items}."
NO_DATA_LABEL = "chưa có số liệu"
NO_RATE_LABEL = "chưa có nhiệm vụ đến hạn"

CARD_PILLS = "Xem danh sách nhiệm vụ"
CARD_UPCOMING = "Chưa đến hạn (chưa tính)"


# Page "Tải dữ liệu lên".
UPLOADER_LIMIT = "Tối đa 25 MB mỗi tệp · XLSX, XLS, ODS, CSV"
UPLOADER_BROWSE = "Chọn tệp"

# Drill-down.
DRILL_HEADER = "Danh sách nhiệm vụ: {what}"
DRILL_COUNT = "{count} nhiệm vụ"
DRILL_HINT = "Bấm vào một cột, điểm hoặc dòng để xem danh sách nhiệm vụ phía sau."
DRILL_NONE = "Không có nhiệm vụ nào."
DRILL_MORE = " (+{count} lựa chọn khác)"  # after the first selected point's name
DRILL_COUNTED = "đúng hạn + trễ hạn + quá hạn"  # the tasks a rate counts
DRILL_CROSS = {True: "có phối hợp liên phòng", False: "một phòng thực hiện"}

# Roles in a figure.
AS_LEAD = "Chủ trì"
AS_COORD = "Phối hợp"

# Opening the database (the first run of a new one imports the sample data).
OPENING_STORE = "Đang mở dữ liệu (lần đầu chạy: nạp dữ liệu mẫu, khoảng 10 giây)…"

# Sign-in, demo mode and accounts (SPEC §8). The three labels are the contract of §8.
LOGIN_TITLE = "Đăng nhập"
LOGIN_NAME = "Tên đăng nhập"
LOGIN_PASSWORD = "Mật khẩu"
LOGIN_BUTTON = "Đăng nhập"
LOGOUT_BUTTON = "Đăng xuất"
LOGIN_INTRO = ("Số liệu của Trung tâm chỉ dành cho cán bộ có tài khoản. Đăng nhập bằng tài "
               "khoản quản trị viên đã cấp; quên mật khẩu hoặc bị tạm khóa: liên hệ quản trị viên.")
LOGIN_EMPTY = "Hãy nhập tên đăng nhập và mật khẩu."
LOGGED_OUT = "Đã đăng xuất."
SIGNED_IN_AS = "Đang đăng nhập: **{name}** — {role}"
FIRST_ADMIN_COMMAND = "python -m analysis user add <tên> --role admin"
DEMO_SIDEBAR = "Chế độ trình diễn: chưa có tài khoản nào, chỉ có dữ liệu mẫu."
DEMO_BANNER = (
    "**Chế độ trình diễn** — chưa có tài khoản nào, nên ứng dụng chỉ hiện dữ liệu mẫu và "
    "không nhận tải lên hay khôi phục. Quản trị viên tạo tài khoản đầu tiên trên máy chủ "
    "bằng lệnh `" + FIRST_ADMIN_COMMAND + "`; từ đó mọi trang cần đăng nhập."
)
SETUP_TITLE = "Cần tạo tài khoản quản trị"
SETUP_TEXT = (
    "Cơ sở dữ liệu đã có số liệu thật nhưng chưa có tài khoản nào, nên không trang nào "
    "được hiển thị. Quản trị viên tạo tài khoản đầu tiên trên máy chủ bằng lệnh dưới đây "
    "(mật khẩu được hỏi hai lần, không ghi ở dòng lệnh), rồi tải lại trang này để đăng nhập."
)
NO_ACCESS_TITLE = "Không có quyền xem trang này"
NO_ACCESS_TEXT = "Trang “{title}” dành cho {who}. Tài khoản của bạn ({role}) không mở được trang này."
