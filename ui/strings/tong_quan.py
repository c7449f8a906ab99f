"""Wording of page `Tổng quan` (SPEC §7 item 1)."""

# Monthly trend.
TREND_TITLE = "Diễn biến theo tháng"
TREND_CAPTION = ("{months} tháng gần nhất đến hết kỳ (không quá tháng của ngày tính): số nhiệm "
                 "vụ theo kết quả (cột) và tỷ lệ đúng hạn (đường). Tháng chưa có nhiệm vụ "
                 "đến hạn không có điểm tỷ lệ.")

# On-time rate by department.
DEPT_RATE_TITLE = "Tỷ lệ đúng hạn theo phòng"
DEPT_RATE_CAPTION = ("Khi chủ trì (nhiệm vụ phòng chịu trách nhiệm chính) và khi phối hợp "
                     "(nhiệm vụ của phòng khác mà phòng tham gia).")

# Outcomes by service type.
SERVICES_TITLE = "Kết quả theo loại dịch vụ"
SERVICES_CAPTION = "Số nhiệm vụ theo kết quả, mỗi loại dịch vụ một thanh."
