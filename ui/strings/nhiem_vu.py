"""Wording of page `Nhiệm vụ` (SPEC §7 item 5)."""

# Page filters.
TOGGLE_CARRY_OVER = "Gồm cả nhiệm vụ chưa xong của các tháng trước kỳ"
HELP_CARRY_OVER = ("Nhiệm vụ giao hoặc hết hạn trước kỳ đã chọn mà đến ngày tính "
                   "vẫn chưa hoàn thành (để nhắc việc).")
LABEL_OUTCOMES = "Kết quả"
LABEL_DEADLINES = "Cảnh báo hạn"
LABEL_LEADS = "Phòng chủ trì"
LABEL_PERSON = "Cá nhân (chủ trì hoặc phối hợp)"
LABEL_TEXT = "Tìm theo mã hoặc nội dung nhiệm vụ"
HELP_TEXT = ("Không phân biệt chữ hoa, chữ thường hay dấu: "
             "“tham van” tìm được “tham vấn”.")
LABEL_CHANGED = "Có thay đổi giữa các tháng"
HELP_CHANGED = ("Được gia hạn, chuyển chủ trì, hoặc đang mở mà không còn "
                "trong báo cáo tháng sau của phòng.")

# Counts.
CARD_TASKS = "Nhiệm vụ"
CARD_TASKS_TO_DATE = "Nhiệm vụ đến {day}"  # a period still running
HELP_TASKS = "Không tính nhiệm vụ đã hủy."
HELP_TASKS_TO_DATE = "Không tính nhiệm vụ đã hủy và nhiệm vụ chưa đến hạn."
CARD_OVERDUE = "Quá hạn"
CARD_DUE_TODAY = "Đến hạn hôm nay"
CARD_DUE_SOON = "Đến hạn trong 7 ngày"
HELP_UPCOMING = ("Nhiệm vụ của kỳ có hạn sau ngày {day}: có trong danh sách để nhắc việc, "
                 "chưa tính vào số liệu của kỳ.")
CARD_EXTENDED = "Được gia hạn"
CARD_REASSIGNED = "Chuyển chủ trì"

# Export.
EXPORT_TITLE = "Danh sách nhiệm vụ — {filters}"
BUTTON_EXCEL = "Tải Excel"
BUTTON_CSV = "Tải CSV"
CAPTION_EXPORT = ("Tệp tải xuống gồm toàn bộ {rows} dòng theo bộ lọc{whose} "
                  "(kể cả nhiệm vụ đã hủy); "
                  "mỗi lần tải được ghi vào nhật ký hoạt động.")
CAPTION_EXPORT_DEPARTMENT = (" của phòng {department} (chủ trì hoặc phối hợp: lãnh đạo phòng "
                             "chỉ tải được số liệu của phòng mình)")  # the {whose} above
CAPTION_LARGE_EXPORT = " Tệp Excel lớn có thể mất khoảng mười giây để tạo; tệp CSV nhanh hơn."

# The list and the history of changes.
TABS = ("Danh sách nhiệm vụ", "Gia hạn và chuyển chủ trì")
CAPTION_TRUNCATED = ("Đang hiện {shown} nhiệm vụ cần chú ý nhất trên tổng số "
                     "{total}; thu hẹp bộ lọc hoặc tải tệp để xem tất cả.")
CAPTION_CHANGES = ("Gia hạn: hạn hoàn thành đổi giữa hai tháng báo cáo. Chuyển chủ trì: phòng "
                   "chủ trì đổi. Không còn trong báo cáo: nhiệm vụ đang mở không có trong báo "
                   "cáo tháng sau của phòng.")
MESSAGE_NO_CHANGES = "Không có gia hạn hay chuyển chủ trì nào trong danh sách này."
