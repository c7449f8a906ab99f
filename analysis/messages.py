"""Every Vietnamese message of reading and validation (SPEC §2.3), in one place
so the wording can be reviewed and changed without touching the rules.

Each constant is a `str.format` template; the placeholders are named.
"""

from __future__ import annotations

# --- whole file: cannot or must not be read (CLI exit 2) ---------------------------

EMPTY_FILE = "Tệp rỗng, không có dữ liệu. Hãy chọn đúng tệp nhật ký nhiệm vụ."
NOT_SPREADSHEET = (
    "Tệp này không phải là bảng tính (.xlsx, .xls, .ods hoặc .csv), dù tên tệp là gì. "
    "Hãy mở tệp bằng Excel và lưu lại dạng .xlsx."
)
UNSUPPORTED_FORMAT = (
    "Định dạng bảng tính này chưa được hỗ trợ. Hãy mở bằng Excel và lưu lại dạng .xlsx "
    "(Excel Workbook)."
)
CORRUPT = (
    "Tệp bị hỏng hoặc không đầy đủ (có thể bị cắt ngang khi sao chép hay tải lên). "
    "Hãy mở tệp bằng Excel, lưu lại rồi tải lên lần nữa."
)
PASSWORD = (
    "Tệp được đặt mật khẩu nên không đọc được. Hãy gỡ mật khẩu và lưu lại "
    "rồi tải lên lần nữa."
)
MACROS = (
    "Tệp có chứa macro (mã VBA) nên không được nhận và không được lưu. "
    "Hãy lưu lại dạng .xlsx (Excel Workbook) rồi tải lên lần nữa."
)
XML_ENTITIES = (
    "Tệp chứa khai báo DOCTYPE/ENTITY trong XML (có thể là tệp độc hại) nên không được đọc. "
    "Hãy mở bằng Excel, lưu lại dạng .xlsx rồi tải lên lần nữa."
)
ZIP_BOMB = (
    "Tệp khi giải nén quá lớn hoặc nén bất thường (vượt giới hạn an toàn {limit}) "
    "nên không được đọc. Hãy kiểm tra lại tệp."
)
TOO_LARGE = "Tệp quá lớn ({size}), vượt giới hạn {limit} của một lần tải lên. Hãy chia nhỏ tệp."
TOO_MANY_ROWS = (
    "Tệp có {rows} dòng dữ liệu, vượt giới hạn {limit} dòng của một lần tải lên. "
    "Hãy chia thành nhiều tệp."
)
SHEET_TOO_LARGE = (
    "Bảng tính trải tới dòng {rows} và cột thứ {cols}, vượt giới hạn của một lần tải lên. "
    "Hãy xóa các dòng, cột thừa (kể cả ô ở xa bảng) hoặc chia thành nhiều tệp."
)
SHEET_TOO_MANY_CELLS = (
    "Bảng tính trải tới dòng {rows} và cột thứ {cols} ({cells} ô), vượt giới hạn an toàn "
    "{limit} ô của một trang tính. Hãy xóa các dòng, cột thừa (kể cả ô ở xa bảng) hoặc chia "
    "thành nhiều tệp."
)
TOO_MANY_CELLS_TOTAL = (
    "Các trang tính của tệp trải tổng cộng {cells} ô, vượt giới hạn an toàn {limit} ô. Hãy xóa "
    "các trang tính, dòng, cột thừa (kể cả ô ở xa bảng) hoặc chia thành nhiều tệp."
)
TEXT_TOO_LARGE = (
    "Các ô của tệp chứa tổng cộng {chars} ký tự (một chuỗi dùng chung được tính ở mọi ô dùng "
    "nó), vượt giới hạn an toàn {limit} ký tự. Hãy xóa các ô, cột thừa hoặc chia thành "
    "nhiều tệp."
)
TOO_MANY_COLUMNS = (
    "Dòng {row} của tệp có {cols} cột, vượt giới hạn {limit} cột của Excel. Hãy kiểm tra "
    "dấu phân cách của tệp CSV, xóa các cột thừa hoặc lưu lại bằng Excel dạng .xlsx."
)
CSV_CELL_TOO_LONG = (
    "Một ô ở dòng {row} của tệp CSV dài hơn {limit} ký tự, quá dài để đọc (một ô Excel chứa "
    "tối đa 32.767 ký tự). Hãy kiểm tra dấu ngoặc kép trong tệp (một dấu \" thiếu sẽ gộp "
    "nhiều dòng vào một ô) hoặc lưu lại bằng Excel dạng .xlsx."
)
# The reading child process aborted, was killed, or ran out of its memory, CPU or time
# limit (`sandbox`): nothing more is known of the file, so the message says both.
CHILD_FAILED = (
    "Tệp quá lớn hoặc có cấu trúc bất thường nên không đọc được trong giới hạn an toàn "
    "(bộ nhớ, thời gian) của máy chủ. Hãy mở tệp bằng Excel, xóa các dòng, cột và ô thừa, "
    "lưu lại dạng .xlsx rồi tải lên lần nữa; nếu vẫn lỗi, hãy báo cho quản trị viên."
)
NOT_UTF8 = (
    "Tệp CSV không dùng bảng mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi. Hãy lưu lại bằng Excel "
    "dạng “CSV UTF-8 (Comma delimited)” hoặc dạng .xlsx."
)

# --- command line: what was asked cannot be done (CLI exit 2) -----------------------

FILE_NOT_FOUND = "Không tìm thấy tệp “{path}”. Hãy kiểm tra lại tên và đường dẫn của tệp."
FILE_NOT_OPENED = (
    "Không mở được tệp “{path}” (đây là thư mục, hoặc không có quyền đọc). Hãy kiểm tra lại "
    "đường dẫn của tệp."
)
MAP_MALFORMED = (
    "Ánh xạ cột “{item}” không đúng dạng “Tiêu đề cột=trường”, ví dụ "
    "--map \"Số hồ sơ=task_id\"."
)
MAP_UNKNOWN_FIELD = (
    "Ánh xạ cột “{header}” chỉ tới trường “{field}” không có. Các trường có thể dùng: {fields}."
)

FILE_READ_FAILED = "Không đọc được tệp ({reason})."

# --- command line and pages: the store could not do what was asked ------------------

UPLOAD_NOT_FOUND = "Không có lần tải lên nào mang mã {upload_id}."
STORAGE_FAILED = (
    "Không thực hiện được vì kho dữ liệu không dùng được: {reason}. Chưa có gì thay đổi. "
    "Hãy báo cho quản trị viên kiểm tra cơ sở dữ liệu và thư mục dữ liệu (quyền ghi, dung "
    "lượng ổ đĩa), rồi thử lại."
)
STORAGE_REASONS = {
    "permission": "không có quyền đọc hoặc ghi",
    "read_only": "cơ sở dữ liệu chỉ cho phép đọc",
    "cannot_open": "không mở được cơ sở dữ liệu",
    "folder": "thư mục dữ liệu bị thiếu hoặc hỏng",
    "disk_full": "ổ đĩa đã đầy",
    "locked": "cơ sở dữ liệu đang bị khóa quá lâu",
    "unreachable": "không kết nối được máy chủ cơ sở dữ liệu",
    "other": "lỗi không lường trước",
}
UNEXPECTED_FAILURE = (
    "Không thực hiện được do một lỗi không lường trước ({kind}). Chưa có gì thay đổi. Hãy "
    "thử lại; nếu vẫn lỗi, hãy báo cho quản trị viên."
)

UNEXPECTED = (
    "Không đọc được tệp này do một lỗi không lường trước. Hãy mở tệp bằng Excel, lưu lại "
    "dạng .xlsx rồi tải lên lần nữa; nếu vẫn lỗi, hãy báo cho quản trị viên."
)

# --- whole file: readable, but errors (CLI exit 1) ---------------------------------

NO_HEADER_ROW = (
    "Không tìm thấy trang tính nào có dòng tiêu đề: cần một dòng trong 20 dòng đầu có ít nhất "
    "3 tiêu đề cột như “Mã nhiệm vụ”, “Phòng chủ trì”, “Ngày giao”. Hãy dùng mẫu của Trung tâm "
    "hoặc ánh xạ các cột."
)
MISSING_COLUMN = (
    "Thiếu cột bắt buộc “{header}”. Hãy thêm cột này hoặc ánh xạ một cột có sẵn sang trường này."
)
DUPLICATE_COLUMN = (
    "Có nhiều cột cùng ứng với “{header}”: {columns}. Chỉ cột đầu tiên được đọc; hãy xóa "
    "hoặc đổi tên các cột còn lại."
)
FORMULA_NO_VALUE = (
    "Có {count} ô công thức chưa có giá trị được lưu ({cells}). Hãy mở tệp bằng Excel và "
    "lưu lại trước khi tải lên."
)
NO_TASK_ROWS = "Không có dòng nhiệm vụ nào dưới dòng tiêu đề (dòng {header_row})."
# Storing a file without tasks replaces the month's tasks of its scope by none (§4.2).
EMPTY_UPLOAD = (
    "Tệp không có nhiệm vụ nào (chỉ có dòng tiêu đề): lưu tệp này sẽ làm trống toàn bộ nhiệm "
    "vụ của phạm vi và tháng này trong số liệu. Nếu đúng là không có nhiệm vụ nào, hãy xác "
    "nhận trên trang “Tải dữ liệu lên” (dòng lệnh: thêm --allow-empty)."
)
MAPPED_HEADER_NOT_FOUND = "Không thấy cột “{header}” (đã ánh xạ sang “{field}”) trong tệp."
MONTH_FIRST = (
    "Ngày dạng chữ trong tệp được ghi theo kiểu tháng trước ngày (như 03/15/2011), nên cả tệp "
    "được đọc theo thứ tự tháng/ngày/năm."
)

# --- cells and rows ------------------------------------------------------------------

EXCEL_ERROR = "Ô có lỗi Excel {value}. Hãy sửa công thức hoặc nhập giá trị."
CELL_TOO_LONG = (
    "Ô {cell} có {length} ký tự, vượt giới hạn {limit} ký tự của một ô Excel. Hãy rút ngắn "
    "nội dung ô này."
)
UNREADABLE_DATE = (
    "Không đọc được ngày “{value}” ở cột “{header}”. Hãy nhập ngày dạng ngày/tháng/năm, "
    "ví dụ 05/11/2026."
)
EMPTY_TASK_ID = "Thiếu mã nhiệm vụ. Hãy nhập mã nhiệm vụ."
DUPLICATE_TASK_ID = "Mã nhiệm vụ “{task_id}” bị trùng: đã có ở dòng {first_row}."
EMPTY_LEAD_DEPT = "Thiếu phòng chủ trì. Hãy nhập tên phòng chủ trì nhiệm vụ."
MISSING_ASSIGNED_DATE = (
    "Thiếu ngày giao. Hãy nhập ngày giao dạng ngày/tháng/năm, ví dụ 05/11/2026."
)
DUE_BEFORE_ASSIGNED = "Hạn hoàn thành ({due}) trước ngày giao ({assigned})."
DONE_BEFORE_ASSIGNED = "Ngày hoàn thành ({done}) trước ngày giao ({assigned})."
DONE_WITHOUT_DATE = (
    "Trạng thái “{status}” là đã hoàn thành nhưng chưa có ngày hoàn thành. Hãy nhập ngày "
    "hoàn thành hoặc sửa trạng thái."
)
UNKNOWN_DEPT = "Phòng “{name}” không có trong danh mục phòng ban."
# Added to UNKNOWN_DEPT when no catalogue name is close: the names (a short catalogue),
# or where to find them.
DEPT_NAMES_ALLOWED = " Hãy dùng một tên trong danh mục: {names}."
DEPT_SEE_CATALOGUE = " Hãy dùng đúng tên phòng như trong danh mục phòng ban."
UNKNOWN_DEPT_SUGGEST = "Phòng “{name}” không có trong danh mục phòng ban. Có phải là “{suggestion}”?"
OUT_OF_SCOPE = (
    "Nhiệm vụ do “{lead}” chủ trì, không thuộc phòng “{scope}” đang tải lên: mỗi phòng chỉ "
    "tải lên nhiệm vụ do phòng mình chủ trì."
)

EMPTY_TITLE = "Thiếu nội dung nhiệm vụ. Hãy nhập nội dung nhiệm vụ."
MISSING_DUE_DATE = (
    "Chưa có hạn hoàn thành: nhiệm vụ không được tính đúng hạn hay trễ hạn. Hãy nhập hạn "
    "hoàn thành nếu nhiệm vụ có hạn."
)
MISSING_DUE_COLUMN = (
    "Tệp không có cột “Hạn hoàn thành”: các nhiệm vụ không được tính đúng hạn hay trễ hạn."
)
MISSING_LEAD_PERSON = "Chưa ghi người chủ trì. Hãy nhập tên người chủ trì nhiệm vụ."
MISSING_LEAD_PERSON_COLUMN = "Tệp không có cột “Người chủ trì”: không tính được số liệu theo cá nhân."
DONE_AFTER_TODAY = "Ngày hoàn thành ({done}) sau ngày kiểm tra ({today})."
UNKNOWN_PERSON = "“{name}” không có trong danh sách cán bộ."
UNKNOWN_SERVICE = "Loại dịch vụ “{value}” không có trong danh mục, được tính là “{other}”."
OPEN_WITH_DONE_DATE = (
    "Trạng thái “{status}” là chưa xong nhưng đã có ngày hoàn thành: nhiệm vụ được tính là "
    "đã hoàn thành."
)
UNKNOWN_STATUS = (
    "Trạng thái “{value}” không rõ nghĩa, được tính là {meaning}. Hãy dùng một trong các "
    "trạng thái: {accepted}."
)
STATUS_MEANING = {"done": "đã hoàn thành (vì có ngày hoàn thành)", "open": "chưa xong"}

# --- "Phối hợp" sheet (SPEC §2.2) -----------------------------------------------------

CONTRIBUTION_PREFIX = "Trang “{sheet}”: "
CONTRIBUTION_UNKNOWN_TASK = "mã nhiệm vụ “{task_id}” không có trong trang nhiệm vụ."
CONTRIBUTION_UNKNOWN_RATING = "đánh giá “{value}” không thuộc {ratings}."
CONTRIBUTION_MISSING_TASK_ID = (
    "thiếu mã nhiệm vụ. Hãy nhập mã của nhiệm vụ được phối hợp."
)
CONTRIBUTION_NO_HEADER = (
    "không tìm thấy dòng tiêu đề (cần “Mã nhiệm vụ” và “Phòng phối hợp” hoặc “Người phối hợp”), "
    "nên trang này không được đọc."
)
