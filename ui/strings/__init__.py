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
UPCOMING_NOTE = ("**Chưa đến hạn:** {count} nhiệm vụ của kỳ có hạn sau ngày {day}; chưa tính "
                 "vào các số trên (không phải là giảm).")
MISSING_REPORTS = ("**Chưa nộp báo cáo:** {items}. Số liệu của các phòng này trong kỳ chưa đầy "
                   "đủ: thiếu báo cáo không có nghĩa là không có nhiệm vụ.")
NOT_DUE_REPORTS = "Chưa đến hạn nộp (hạn: ngày {day} tháng sau): {items}."
NO_DATA_LABEL = "chưa có số liệu"
NO_RATE_LABEL = "chưa có nhiệm vụ đến hạn"

TREND_CAPTION = ("{months} tháng gần nhất đến hết kỳ (không quá tháng của ngày tính): số nhiệm "
                 "vụ theo kết quả (cột) và tỷ lệ đúng hạn (đường). Tháng chưa có nhiệm vụ "
                 "đến hạn không có điểm tỷ lệ.")
DEPT_RATE_CAPTION = ("Khi chủ trì (nhiệm vụ phòng chịu trách nhiệm chính) và khi phối hợp "
                     "(nhiệm vụ của phòng khác mà phòng tham gia).")
CARD_PILLS = "Xem danh sách nhiệm vụ"
CARD_UPCOMING = "Chưa đến hạn (chưa tính)"
TASKS_TO_DATE = "Nhiệm vụ đến {day}"
UPCOMING_HELP = ("Nhiệm vụ của kỳ có hạn sau ngày {day}: có trong danh sách để nhắc việc, "
                 "chưa tính vào số liệu của kỳ.")

PEOPLE_NOTE = ("Chủ trì: nhiệm vụ người đó chịu trách nhiệm chính; phối hợp: nhiệm vụ người "
               "khác chủ trì mà người đó tham gia.")
WILSON_NOTE = ("Thứ tự theo tỷ lệ đúng hạn khi chủ trì có tính đến số việc (cận dưới Wilson, độ "
               "tin cậy 95 %): người có ít nhiệm vụ xếp thấp hơn, nên 2/2 nhiệm vụ đúng hạn không "
               "xếp trên 95/100. Cột “Đúng hạn / đến hạn” cho biết tỷ lệ dựa trên bao nhiêu việc.")
RANKING_NOTE = ("20 người đứng đầu. Mỗi thanh là tỷ lệ đúng hạn kèm số việc (đúng hạn/đến hạn); "
                "thứ tự có tính đến số việc. Bấm một thanh để xem các nhiệm vụ đã tính.")

# Page "Tình hình nộp báo cáo" (SPEC §7.9).
SUBMISSIONS_INTRO = ("Nhật ký nhiệm vụ của tháng M phải nộp chậm nhất trong ngày {day} tháng M+1 "
                     "(giờ Việt Nam; quản trị có thể đổi ngày này). Được tính theo lần nộp đầu "
                     "tiên; một lần tải lên của toàn trung tâm tính là báo cáo của mọi phòng. "
                     "{months} tháng gần nhất đến hết kỳ đã chọn.")
SUBMISSIONS_SAMPLE = "Đang dùng dữ liệu mẫu: thời điểm nộp là giả định."
SUBMISSIONS_NONE = "Chưa có phòng nào trong danh mục hay trong các báo cáo đã tải lên."
SUBMISSIONS_GRID = "Phòng × tháng báo cáo"
SUBMISSIONS_GRID_HELP = ("Mỗi ô là báo cáo của một phòng cho một tháng: xanh — đúng hạn, vàng — "
                         "nộp muộn, đỏ — chưa nộp dù đã quá hạn, xám — chưa đến hạn nộp. Đưa "
                         "chuột vào ô để xem phiên bản, thời điểm và người nộp; bấm vào ô để xem "
                         "lịch sử tải lên.")
SUBMISSIONS_HISTORY = "Lịch sử tải lên: {department}, tháng {month}"
SUBMISSIONS_NO_UPLOAD = "Chưa có lần tải lên nào cho phòng và tháng này."
SUBMISSIONS_NOT_DUE = "Chưa có lần tải lên nào; chưa đến hạn nộp."
SUBMISSIONS_TABLE = "Bảng chi tiết"
SUBMISSION_STATE_HELP = {
    "on_time": "Nộp lần đầu trước hết ngày {day} tháng sau.",
    "late": "Nộp lần đầu sau hạn (ngày {day} tháng sau).",
    "missing": "Chưa nộp, đã quá hạn nộp.",
    "not_due": "Chưa nộp, còn trong hạn nộp.",
}

# Page "Tải dữ liệu lên".
UPLOADER_LABEL = "Chọn tệp nhật ký (.xlsx, .xls, .ods, .csv; tối đa 25 MB)"
UPLOADER_HELP = "Kéo thả tệp vào ô bên dưới, hoặc bấm nút trong ô để chọn tệp trên máy."
UPLOADER_LIMIT = "Tối đa 25 MB mỗi tệp · XLSX, XLS, ODS, CSV"
UPLOADER_BROWSE = "Chọn tệp"
MAPPING_TITLE = "Ghép cột chưa nhận ra với trường dữ liệu"
MAPPING_HELP = ("Chọn trường tương ứng cho cột có tên khác mẫu; tệp được đọc lại ngay. Khi lưu, "
                "cách ghép được ghi nhớ cho lần tải lên sau của phạm vi này, và cột để “Bỏ qua” "
                "sẽ không được hỏi lại. Cột số thứ tự (STT) luôn được bỏ qua.")
MAPPING_DISPLACES = ("Cột «{chosen}» đang được ghép làm «{field}», nên cột «{column}» (đã tự nhận "
                     "ra là «{field}») sẽ bị bỏ qua khi lưu. Nếu không đúng ý, hãy chọn lại "
                     "“— Bỏ qua cột này —” cho cột «{chosen}».")
SAMPLE_VERSIONS_NOTE = ("Đã có số liệu thật: các phiên bản “Dữ liệu mẫu” vẫn được giữ trong lịch "
                        "sử nhưng không còn được tính vào số liệu.")

# Drill-down.
DRILL_HEADER = "Danh sách nhiệm vụ: {what}"
DRILL_COUNT = "{count} nhiệm vụ"
DRILL_HINT = "Bấm vào một cột, điểm hoặc dòng để xem danh sách nhiệm vụ phía sau."
DRILL_NONE = "Không có nhiệm vụ nào."

# Roles in a figure.
AS_LEAD = "Chủ trì"
AS_COORD = "Phối hợp"

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
