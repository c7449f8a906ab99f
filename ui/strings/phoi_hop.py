"""Wording of page `Phối hợp` (SPEC §7 item 4)."""

# Section: the lead × coordinating department matrix.
TITLE_MATRIX = "Ma trận chủ trì × phối hợp"
MESSAGE_NO_PAIRS = "Không có nhiệm vụ nào có phòng phối hợp trong kỳ."
CAPTION_MATRIX = ("Mỗi ô: số nhiệm vụ (số lớn) và tỷ lệ đúng hạn của các nhiệm vụ phòng ở hàng "
                  "chủ trì, phòng ở cột phối hợp; màu theo tỷ lệ đúng hạn. Bấm một ô để xem "
                  "các nhiệm vụ đó.")
TITLE_PAIRS_TABLE = "Bảng các cặp phòng"
COLUMNS_PAIRS = {
    "lead_dept": "Phòng chủ trì",
    "coord_dept": "Phòng phối hợp",
    "tasks": "Số nhiệm vụ",
    "on_time_rate": "Tỷ lệ đúng hạn",
}

# Section: the network of who works with whom.
TITLE_NETWORK = "Ai phối hợp với ai"
CAPTION_NETWORK = ("Mỗi vòng tròn là một phòng (lớn theo số nhiệm vụ chủ trì); nét càng đậm, "
                   "hai phòng càng nhiều nhiệm vụ chung. Bấm một phòng để xem nhiệm vụ.")

# Section: cross- vs single-department tasks.
TITLE_CROSS = "Liên phòng và một phòng"
CAPTION_CROSS = "Tỷ lệ đúng hạn của nhiệm vụ có phòng phối hợp so với nhiệm vụ một phòng làm."

# Section: how coordinating departments respond.
TITLE_RESPONSE = "Mức đáp ứng của phòng phối hợp"
CAPTION_RESPONSE_SHEET = "Tỷ lệ phần việc phối hợp gửi kết quả đúng hạn (theo sheet “Phối hợp”)."
CAPTION_RESPONSE_NO_SHEET = ("Chưa có sheet “Phối hợp”: tỷ lệ đúng hạn của các nhiệm vụ phòng "
                             "tham gia phối hợp.")
HOVER_RESPONSE = "Đúng hạn khi phối hợp"
# Table headers; the contribution columns only when the "Phối hợp" sheet exists.
COLUMNS_RESPONSE = {
    "name": "Phòng",
    "coord_tasks": "Số nhiệm vụ phối hợp",
    "coord_on_time_rate": "Tỷ lệ đúng hạn",
    "contrib_on_time": "Gửi đúng hạn",
    "contrib_late": "Gửi trễ",
    "contrib_past_due": "Quá hạn chưa gửi",
    "avg_response_days": "Số ngày gửi kết quả trung bình",
    "ratings": "Đánh giá Tốt / Đạt / Chưa đạt",
}

# Section: coordination load per person (Gini coefficient).
TITLE_LOAD = "Tải phối hợp theo người"
LABEL_GINI = "Mức dồn tải phối hợp (hệ số Gini)"
HELP_GINI = "0 = chia đều cho mọi người; càng gần 1 = càng dồn vào ít người."
CAPTION_GINI = ("Hệ số Gini đo độ chênh lệch số lượt phối hợp giữa các cán bộ: 0 là mọi người "
                "nhận như nhau; từ khoảng 0,4 trở lên là tải dồn vào một nhóm nhỏ, nên xem lại "
                "việc phân công.")
CAPTION_LOAD = "Số lượt phối hợp mỗi người (25 người nhiều nhất). Bấm một thanh để xem nhiệm vụ."
HOVER_LOAD = "Lượt phối hợp"
CAPTION_RATE_VS_LOAD = "Tỷ lệ đúng hạn khi chủ trì so với tải phối hợp; mỗi điểm là một người."
