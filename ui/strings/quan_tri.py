"""Wording of page `Quản trị` (SPEC §7 item 8)."""

from analysis.audit_log import COLUMNS as _AUDIT_COLUMNS
from analysis.audit_log import UNKNOWN_USER as _UNKNOWN_USER

# Page head (the title is the shared ui.strings.PAGE_ADMIN).
MESSAGE_ADMIN_ONLY = "Chỉ quản trị viên mở được trang này."
CAPTION_PAGE = ("Danh mục phòng ban và cán bộ, thiết lập, tài khoản và nhật ký hoạt động. "
                "Thay đổi danh mục có hiệu lực từ lần kiểm tra tệp tiếp theo và trong số liệu; "
                "các lần tải lên đã lưu không bị sửa.")

# Problems found in a catalogue table or file.
COLUMNS_PROBLEMS = {"row": "Dòng", "column": "Cột", "value": "Giá trị", "severity": "Mức độ",
                    "message": "Nội dung"}
PROBLEM_WHOLE_FILE = "Cả tệp"
SEVERITY_ERROR = "Lỗi"
SEVERITY_WARNING = "Cảnh báo"

TABS = ("Danh mục", "Thiết lập", "Tài khoản", "Nhật ký hoạt động")

# Tab 1, catalogue: departments.
TITLE_DEPARTMENTS = "Phòng ban"
CAPTION_DEPARTMENTS = ("Để trống danh mục: mọi tên phòng trong nhật ký đều được chấp nhận. Khi "
                       "có danh mục, tên phòng lạ trong tệp tải lên là lỗi, kèm gợi ý tên gần "
                       "nhất.")
COLUMNS_DEPARTMENTS = {"name": "Tên phòng", "short_code": "Mã viết tắt"}
MESSAGE_NOT_SAVED = "Chưa lưu: {problems}"
PROBLEM_AT_ROW = "Dòng {row}: {message}"
MESSAGE_DEPARTMENTS_SAVED = "Đã lưu danh mục: {count} phòng."
BUTTON_SAVE_DEPARTMENTS = "Lưu danh mục phòng ban"

# Tab 1, catalogue: staff roster.
TITLE_ROSTER = "Cán bộ"
CAPTION_ROSTER = ("Khi có danh sách cán bộ, tên người chủ trì hoặc phối hợp không có trong danh "
                  "sách là cảnh báo (vẫn lưu được).")
COLUMNS_ROSTER = {"name": "Họ và tên", "department": "Phòng", "position": "Chức vụ"}
MESSAGE_ROSTER_SAVED = "Đã lưu danh sách cán bộ: {count} người."
BUTTON_SAVE_ROSTER = "Lưu danh sách cán bộ"

# Tab 1, catalogue: Excel export and import.
TITLE_EXCEL = "Xuất, nhập bằng Excel"
BUTTON_EXPORT_CATALOGUE = "Tải danh mục và thiết lập (Excel)"
CAPTION_EXCEL = ("Trang “Phòng ban”, “Cán bộ”, “Thiết lập”. Khi nhập lại, mỗi trang có trong "
                 "tệp thay thế phần tương ứng; trang không có thì giữ nguyên.")
LABEL_IMPORT_FILE = "Nhập danh mục từ tệp Excel"
PART_DEPARTMENTS = "{count} phòng"
PART_ROSTER = "{count} cán bộ"
PART_SETTINGS = "{count} thiết lập"
MESSAGE_FILE_HOLDS = "Tệp có: {parts}."
MESSAGE_IMPORT_ERRORS = "Tệp chưa nhập được vì còn lỗi. Chưa có gì thay đổi."
MESSAGE_ROSTER_DEPARTMENTS_GONE = ("Danh sách cán bộ hiện tại còn ghi các phòng không có trong "
                                   "tệp: {departments}.")
MESSAGE_IMPORTED = "Đã nhập danh mục từ tệp: {parts}."
CHECKBOX_CONFIRM_IMPORT = "Tôi muốn thay danh mục bằng nội dung tệp này."
BUTTON_IMPORT = "Nhập danh mục"

# Tab 2, settings.
BUTTON_SAVE_SETTINGS = "Lưu thiết lập"
MESSAGE_NO_SETTING_CHANGED = "Không có thiết lập nào thay đổi."
MESSAGE_SETTINGS_SAVED = "Đã lưu {count} thiết lập."

# Tab 3, accounts: the list.
COLUMNS_ACCOUNTS = {
    "name": "Tên đăng nhập",
    "role": "Vai trò",
    "department": "Phòng",
    "state": "Trạng thái",
    "locked_until": "Tạm khóa đến",
    "failures": "Đăng nhập sai liên tiếp",
    "last_login_at": "Đăng nhập gần nhất",
}
STATE_ACTIVE = "Đang hoạt động"
STATE_DISABLED = "Đã ngừng"
MESSAGE_STALE_DEPARTMENTS = ("Phòng của các tài khoản sau không còn trong danh mục, nên họ chưa "
                             "tải lên được: {names}.")

# Tab 3, accounts: adding one.
MESSAGE_PASSWORDS_DIFFER_ADD = "Hai lần nhập mật khẩu không khớp nhau. Chưa tạo tài khoản."
MESSAGE_ACCOUNT_ADDED = "Đã tạo tài khoản “{name}” ({role})."
TITLE_ADD_ACCOUNT = "Thêm tài khoản"
LABEL_NEW_NAME = "Tên đăng nhập"
LABEL_NEW_ROLE = "Vai trò"
LABEL_NEW_DEPARTMENT = "Phòng (chỉ cho lãnh đạo phòng)"
PLACEHOLDER_NEW_DEPARTMENT = "Chọn phòng"
LABEL_NEW_PASSWORD = "Mật khẩu (ít nhất 12 ký tự)"
LABEL_NEW_PASSWORD_AGAIN = "Nhập lại mật khẩu"
BUTTON_ADD_ACCOUNT = "Tạo tài khoản"

# Tab 3, accounts: changing one.
TITLE_EDIT_ACCOUNT = "Sửa một tài khoản"
LABEL_ACCOUNT = "Tài khoản"
MESSAGE_DISABLED = ("Đã ngừng tài khoản “{name}”: không đăng nhập được nữa, phiên đang mở kết "
                    "thúc.")
MESSAGE_ENABLED = "Đã mở lại tài khoản “{name}”."
MESSAGE_UNLOCKED = "Đã mở khóa đăng nhập cho “{name}”."
BUTTON_DISABLE = "Ngừng tài khoản"
BUTTON_ENABLE = "Mở lại tài khoản"
BUTTON_UNLOCK = "Mở khóa đăng nhập"
MESSAGE_PASSWORDS_DIFFER_RESET = "Hai lần nhập mật khẩu không khớp nhau. Chưa đổi mật khẩu."
MESSAGE_PASSWORD_RESET = ("Đã đặt mật khẩu mới cho “{name}”; các phiên đang mở của tài khoản "
                          "này đã kết thúc.")
TITLE_RESET_PASSWORD = "Đặt mật khẩu mới cho **{name}**"
LABEL_RESET_PASSWORD = "Mật khẩu mới"
LABEL_RESET_PASSWORD_AGAIN = "Nhập lại mật khẩu mới"
BUTTON_RESET_PASSWORD = "Đặt mật khẩu mới"

# Tab 4, audit log (the table's headers and "unknown user" are analysis.audit_log's, shared
# with its export).
LABEL_AUDIT_USERS = "Người thực hiện"
UNKNOWN_USER = _UNKNOWN_USER
LABEL_AUDIT_ACTIONS = "Hành động"
LABEL_AUDIT_FROM = "Từ ngày"
LABEL_AUDIT_TO = "Đến ngày"
MESSAGE_NO_AUDIT_ENTRY = "Không có hoạt động nào theo bộ lọc này."
COLUMN_AUDIT_TIME = _AUDIT_COLUMNS[0]
COLUMN_AUDIT_DETAIL = _AUDIT_COLUMNS[3]
CAPTION_AUDIT_SHOWN = ("Đang hiện {count} hoạt động gần nhất; tệp tải xuống gồm tất cả hoạt "
                       "động theo bộ lọc.")
BUTTON_AUDIT_EXCEL = "Tải Excel"
BUTTON_AUDIT_CSV = "Tải CSV"
