"""Wording of page `Tải dữ liệu lên` (SPEC §7 item 6)."""

# Page intro.
CAPTION_INTRO = ("Tải nhật ký nhiệm vụ hằng tháng của phòng: kiểm tra, xem thay đổi, xác nhận lưu. "
                 "Tệp chỉ được lưu khi bạn bấm **Xác nhận lưu**.")

# The Excel template (step 2; also shown in demo mode).
TITLE_TEMPLATE = "Mẫu nhật ký nhiệm vụ (Excel)"
TEXT_TEMPLATE = ("Tải mẫu, điền mỗi nhiệm vụ một dòng trong trang **Nhiệm vụ** "
                 "(trang **Phối hợp** không bắt buộc), rồi tải tệp lên bên dưới. "
                 "Ngày ghi theo dạng ngày/tháng/năm. Dòng 2 (mã “VD”) là dòng mẫu, không "
                 "được tính; trang **Hướng dẫn** giải thích từng cột.")
BUTTON_TEMPLATE = "Tải mẫu Excel"
FILE_TEMPLATE = "mau_nhat_ky_nhiem_vu.xlsx"

# Demo mode (SPEC §8): nothing can be stored.
MESSAGE_DEMO = ("**Chế độ trình diễn:** chưa có tài khoản nào, nên không thể tải dữ liệu lên "
                "hay khôi phục phiên bản. Quản trị viên tạo tài khoản đầu tiên trên máy chủ "
                "bằng lệnh dưới đây (mật khẩu được hỏi hai lần); sau đó mỗi lãnh đạo phòng "
                "đăng nhập bằng tài khoản của mình để tải nhật ký của phòng.")

# 1. Scope, month and uploader.
LABEL_SCOPE = "Phạm vi tải lên"
HELP_SCOPE = ("Một phòng (tệp chỉ gồm các nhiệm vụ phòng đó chủ trì) hoặc "
              "toàn trung tâm (lãnh đạo đơn vị, quản trị).")
LABEL_CENTER = "Toàn trung tâm"  # the whole-center scope
LABEL_MONTH = "Tháng báo cáo"
LABEL_UPLOADER = "Người tải lên"
HELP_UPLOADER = "Tài khoản đang đăng nhập: được ghi cùng lần tải lên và trong nhật ký."

# 3. The file: uploader and reading.
UPLOADER_LABEL = "Chọn tệp nhật ký (.xlsx, .xls, .ods, .csv; tối đa 25 MB)"
UPLOADER_HELP = "Kéo thả tệp vào ô bên dưới, hoặc bấm nút trong ô để chọn tệp trên máy."
STATUS_WORKING = "Đang xử lý tệp…"
STEP_READ = "Đọc tệp và kiểm tra từng dòng…"
STATUS_FAILED = "Không xử lý được tệp."
STEP_COMPARE = "So sánh với phiên bản hiện tại…"
STATUS_DONE = "Đã đọc và kiểm tra xong tệp."

# 3. Check results: summary.
SUBHEADER_CHECK = "Kết quả kiểm tra"
MESSAGE_UNREADABLE = "Không đọc được tệp này, nên tệp sẽ không được lưu:\n\n{problems}"
METRIC_ROWS = "Số dòng đọc được"
METRIC_ERRORS = "Lỗi"
METRIC_WARNINGS = "Cảnh báo"
METRIC_SKIPPED_ROWS = "Dòng bỏ qua"
METRIC_IGNORED_COLUMNS = "Cột bỏ qua"
DETAIL_SHEET = "Trang tính: **{sheet}**"
DETAIL_HEADER_ROW = "dòng tiêu đề: **{row}**"
DETAIL_SKIPPED_ROWS = "các dòng bỏ qua (trống, chữ ký, dòng mẫu…): {rows}{more}"
DETAIL_IGNORED_COLUMNS = "cột không nhận ra: {columns}"

# 3. Check results: mapping unknown columns to fields.
MAPPING_DISPLACES = ("Cột «{chosen}» đang được ghép làm «{field}», nên cột «{column}» (đã tự nhận "
                     "ra là «{field}») sẽ bị bỏ qua khi lưu. Nếu không đúng ý, hãy chọn lại "
                     "“— Bỏ qua cột này —” cho cột «{chosen}».")
MAPPING_TITLE = "Ghép cột chưa nhận ra với trường dữ liệu"
MAPPING_HELP = ("Chọn trường tương ứng cho cột có tên khác mẫu; tệp được đọc lại ngay. Khi lưu, "
                "cách ghép được ghi nhớ cho lần tải lên sau của phạm vi này, và cột để “Bỏ qua” "
                "sẽ không được hỏi lại. Cột số thứ tự (STT) luôn được bỏ qua.")
LABEL_MAPPING_COLUMN = "Cột «{header}»"
LABEL_IGNORE = "— Bỏ qua cột này —"
# Fields that are not template columns but are compared between versions.
LABELS_DERIVED_FIELDS = {"status_text": "Trạng thái (như ghi trong tệp)", "scope": "Phạm vi tải lên"}

# 3. Check results: the problems table and the marked copy.
COLUMNS_PROBLEMS = {"row": "Dòng", "column": "Cột", "value": "Giá trị", "severity": "Mức độ",
                    "message": "Nội dung"}
LABELS_SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo"}
LABEL_WHOLE_FILE = "Cả tệp"  # the row of a whole-file problem
BUTTON_MARKED = "Tải tệp có đánh dấu ô lỗi (đỏ: lỗi, vàng: cảnh báo)"
FILE_MARKED = "{base}_kiem_tra.xlsx"
MESSAGE_NO_PROBLEMS = "Không có lỗi hay cảnh báo nào."

# 3. Changes against the current version.
SUBHEADER_CHANGES = "Thay đổi so với phiên bản hiện tại"
MESSAGE_IDENTICAL = "Tệp giống hệt phiên bản hiện tại của tháng này: lưu lại sẽ không thay đổi gì."
METRIC_ADDED = "Nhiệm vụ thêm mới"
METRIC_CHANGED = "Nhiệm vụ thay đổi"
METRIC_REMOVED = "Nhiệm vụ không còn trong tệp"
CAPTION_ALL_NEW = "Chưa có dữ liệu của phạm vi và tháng này: mọi nhiệm vụ là mới."
TITLE_CHANGES = "Xem danh sách thay đổi (giá trị cũ → mới)"
COLUMNS_CHANGES = {"task_id": "Mã nhiệm vụ", "change": "Thay đổi", "details": "Chi tiết"}
LABELS_CHANGE = {"added": "Thêm mới", "changed": "Thay đổi", "removed": "Không còn trong tệp"}
TEXT_EMPTY_VALUE = "(trống)"

# 4. Confirm and save.
SUBHEADER_SAVE = "Lưu"
MESSAGE_UNREADABLE_NOT_SAVED = "Tệp không đọc được nên không thể lưu. Chưa có gì được lưu."
MESSAGE_ERRORS_BLOCK = ("Tệp còn {count} lỗi nên chưa thể lưu. "
                        "Hãy sửa trong tệp (tải tệp có đánh dấu ô lỗi ở trên để thấy từng ô), "
                        "rồi tải lên lại. Chưa có gì được lưu.")
MESSAGE_WARNINGS = "Tệp có {count} cảnh báo: vẫn lưu được, nhưng nên xem lại."
CHECKBOX_CONFIRM_EMPTY = ("Tôi xác nhận {scope} không có nhiệm vụ nào trong tháng "
                          "{month}: lưu tệp này sẽ làm trống số liệu của tháng đó.")
CHECKBOX_CONFIRM = ("Tôi đã xem kết quả kiểm tra và muốn lưu tệp này làm dữ liệu của "
                    "{scope}, tháng {month}.")
BUTTON_SAVE = "Xác nhận lưu"
MESSAGE_REFUSED_NOTHING_SAVED = "{reason} Chưa có gì được lưu."
MESSAGE_SAVED = ("Đã lưu phiên bản {version} của {scope}, tháng {month} "
                 "({rows} nhiệm vụ). Các trang số liệu đã dùng dữ liệu mới.")
MESSAGE_UNCHANGED = ("Tệp giống hệt phiên bản hiện tại (phiên bản {version}): "
                     "không có gì thay đổi.")
MESSAGE_NOT_STORED = "Tệp không được lưu: {reason} Chưa có gì thay đổi."

# 5. History and restore.
SUBHEADER_HISTORY = "Lịch sử tải lên — {scope}"
CAPTION_NO_HISTORY = "Chưa có lần tải lên nào cho phạm vi này."
SAMPLE_VERSIONS_NOTE = ("Đã có số liệu thật: các phiên bản “Dữ liệu mẫu” vẫn được giữ trong lịch "
                        "sử nhưng không còn được tính vào số liệu.")
COLUMNS_HISTORY = {"time": "Thời gian", "event": "Sự kiện", "upload_id": "Mã lần tải",
                   "scope": "Phạm vi", "month": "Tháng", "version": "Phiên bản",
                   "user": "Người thực hiện", "file": "Tệp", "rows": "Số dòng",
                   "current": "Hiện hành"}
EVENT_UPLOAD = "Tải lên"
EVENT_RESTORE = "Khôi phục phiên bản cũ"
LABEL_CURRENT = "✓ Đang dùng"
LABEL_SAMPLE_NOT_COUNTED = "Dữ liệu mẫu: không tính (đã có số liệu thật)"
CAPTION_RESTORE_NOT_ALLOWED = "Tài khoản của bạn không được khôi phục phiên bản của phạm vi này."
LABEL_RESTORE_PICK = "Phiên bản cũ muốn dùng lại"
LABEL_RESTORE_OPTION = "Tháng {month} · phiên bản {version} · {time} · {file}"
MESSAGE_RESTORED = "Đã khôi phục phiên bản {version} của {scope}, tháng {month}."
BUTTON_RESTORE = "Khôi phục"
HELP_RESTORE = ("Phiên bản được chọn trở thành dữ liệu hiện hành của tháng đó; "
                "phiên bản đang dùng vẫn được giữ lại.")
CAPTION_NOTHING_TO_RESTORE = "Chưa có phiên bản cũ nào để khôi phục."
