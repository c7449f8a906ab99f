"""Wording of page `Họp đánh giá` (SPEC §7 item 7).

The brief's own texts (paragraphs, sentences, definitions) live in `analysis.brief.text`;
this module holds what the page itself writes around them. The column headers below are
those of `analysis.brief.tables` (the page names them to size a column or read a cell).
"""

# The meeting's period.
LABEL_MEETING_KIND = "Loại kỳ họp"
LABEL_PERIOD = "Kỳ"
MESSAGE_NO_PERIOD = ("Chưa có dữ liệu của kỳ nào bắt đầu trước ngày tính "
                     "{as_of:%d/%m/%Y}.")
MESSAGE_NO_BRIEF = "Không lập được báo cáo: {error}."

# What the brief covers (caption under the period).
SCOPE_WHOLE_CENTER = "toàn Trung tâm"
SCOPE_DEPARTMENT = "phần của {scope}"
CAPTION_PERIOD = "Kỳ: **{period}** · tính đến ngày {as_of:%d/%m/%Y} · {who}. "
CAPTION_PERIOD_NOT_OVER = (" Kỳ chưa kết thúc: số liệu tính đến ngày tính, kỳ trước được xem "
                           "tại cùng thời điểm.")
CAPTION_FILTERS_IGNORED = (" Bộ lọc phòng ban và loại dịch vụ ở thanh bên không áp dụng "
                           "cho báo cáo họp.")

# Downloads.
BUTTON_DOWNLOAD_WORD = "Tải báo cáo Word"
BUTTON_DOWNLOAD_EXCEL = "Tải bảng Excel"
CAPTION_DOWNLOADS = ("Word: báo cáo theo thể thức Nghị định 30/2020/NĐ-CP để in. Excel: "
                     "các bảng số liệu để làm việc. Mỗi lần tải được ghi vào nhật ký "
                     "hoạt động.")

# I. Results.
TITLE_RESULTS = "Kết quả thực hiện nhiệm vụ"
SUBJECT_WHOLE_CENTER = "Trung tâm"
PERIOD_CUT = " (tính đến ngày {cut:%d/%m/%Y})"
CARD_LABELS = {
    "due": "Đến hạn",
    "completion_rate": "Tỷ lệ hoàn thành",
    "on_time_rate": "Tỷ lệ đúng hạn",
    "in_term": "Trong hạn",
    "overdue": "Quá hạn",
}
CARD_HELP = {
    "due": "Đúng hạn + trễ hạn + quá hạn.",
    "completion_rate": "Đã hoàn thành (kể cả trễ) / đến hạn.",
    "on_time_rate": "Đúng hạn / đến hạn.",
    "in_term": "Chưa xong, chưa quá hạn.",
    "overdue": "Đã qua hạn mà chưa xong.",
}
EXPANDER_METHOD = "Cách tính"
# The rules sentence (analysis.metrics.recognition) names the department minimum only:
# the page puts the person minimum beside it.
RULES_DEPT_MINIMUM = "(với một phòng)"
RULES_BOTH_MINIMUMS = "(phòng; cá nhân: {person})"
CAPTION_DEPARTMENTS = ("**Theo phòng** — chủ trì và phối hợp. Chọn một dòng để xem các "
                       "nhiệm vụ của phòng.")
COLUMN_DEPARTMENT = "Phòng"
COLUMN_LEAD_RESULT = "Kết quả (chủ trì)"
DRILL_DEPARTMENT = "{name} (chủ trì hoặc phối hợp)"

# II. Evaluation.
TITLE_STRENGTHS = "Ưu điểm"
TITLE_WEAKNESSES = "Tồn tại, hạn chế"

# III. Praise and reminders.
TITLE_RECOGNITION = "Đề xuất biểu dương, nhắc nhở"
CAPTION_RECOGNITION_HINT = " Chọn một dòng để xem các nhiệm vụ phía sau."
TABS_RECOGNITION = ("Biểu dương", "Nhắc nhở", "Phối hợp tốt")
LIST_LABELS = {"dept": "Phòng", "person": "Cá nhân"}
MESSAGE_LIST_EMPTY = "Không có."
COLUMN_REASON = "Lý do"
CAPTION_NO_COORDINATORS = ("Chưa có phòng hoặc cá nhân nào đủ số liệu phối hợp để "
                           "xếp hạng.")
CAPTION_COORDINATORS = ("Tỷ lệ đúng hạn khi phối hợp cao nhất, đủ số liệu, không "
                        "thuộc diện nhắc nhở.")

# IV. Overdue tasks.
TITLE_OVERDUE = "Nhiệm vụ quá hạn cần chỉ đạo"
# analysis.brief.text.overdue_sentence ends with the list's heading: the page cuts it there.
OVERDUE_LIST_HEADING = " Danh sách"
CAPTION_OVERDUE_ORDER = " Quá hạn lâu nhất trước."
COLUMN_TASK_TITLE = "Nội dung nhiệm vụ"

# V. Submissions.
TITLE_SUBMISSIONS = "Phòng chưa nộp báo cáo"
EXPANDER_SUBMISSIONS = "Chi tiết nộp báo cáo"
