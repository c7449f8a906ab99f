"""What each setting of SPEC §6 is, for the people who edit it: its Vietnamese label, its
group, its kind and range, and how a typed value is read and shown.

The values and their defaults live in the store (`analysis.store.catalogue.DEFAULT_SETTINGS`);
this module describes every one of them (a test checks none is missing), so page Quản trị
and the catalogue workbook read and check values the same way.

Kinds: "rate" is stored as a fraction and typed as a percentage (90 → 0.9); "megabytes"
is stored in bytes and typed in MB; "lines" is a list of texts typed one per line; "int"
and "text" are what they say.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analysis.fields import clean_text
from analysis.store.catalogue import DEFAULT_SETTINGS

RATE, INT, MEGABYTES, TEXT, LINES = "rate", "int", "megabytes", "text", "lines"
MAX_LINES = 20
MB = 1024 * 1024
MAX_TEXT = 200
STREAMLIT_UPLOAD_MB = 25  # .streamlit/config.toml server.maxUploadSize: the page cannot take more

RECOGNITION = "Biểu dương và nhắc nhở"
UPLOADS = "Tải dữ liệu lên"
REPORTING = "Hạn nộp báo cáo"
SIGN_IN = "Đăng nhập"
BRIEF = "Báo cáo họp đánh giá: tiêu đề và chữ ký"
GROUPS = (RECOGNITION, UPLOADS, REPORTING, SIGN_IN, BRIEF)


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    group: str
    kind: str
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""

    @property
    def default(self) -> Any:
        return DEFAULT_SETTINGS[self.key]

    def shown(self, value: Any) -> Any:
        """The stored value as a person types it (a rate in %, a size in MB)."""
        if self.kind == RATE:
            return round(float(value) * 100, 2)
        if self.kind == MEGABYTES:
            return round(int(value) / MB, 2)
        if self.kind == INT:
            return int(value)
        if self.kind == LINES:
            return "\n".join(value or [])
        return "" if value is None else str(value)

    def parse(self, typed: Any) -> Any:
        """A typed value (a cell, a form field) as stored; ValueError with a Vietnamese
        message when it is not one."""
        if self.kind == LINES:
            lines = [clean_text(line) for line in str(typed or "").splitlines()]
            lines = [line for line in lines if line]
            if len(lines) > MAX_LINES or any(len(line) > MAX_TEXT for line in lines):
                raise ValueError(f"“{self.label}”: tối đa {MAX_LINES} dòng, mỗi dòng tối đa "
                                 f"{MAX_TEXT} ký tự.")
            return lines
        if self.kind == TEXT:
            text = clean_text("" if typed is None else str(typed))
            if len(text) > MAX_TEXT:
                raise ValueError(f"“{self.label}” dài quá {MAX_TEXT} ký tự.")
            return text
        number = _number(typed)
        if number is None:
            raise ValueError(f"“{self.label}” phải là một số (nhận được “{typed}”).")
        if self.kind == INT and number != int(number):
            raise ValueError(f"“{self.label}” phải là số nguyên (nhận được “{typed}”).")
        if self.minimum is not None and number < self.minimum or (
                self.maximum is not None and number > self.maximum):
            raise ValueError(f"“{self.label}” phải từ {_plain(self.minimum)} đến "
                             f"{_plain(self.maximum)}{_unit(self.kind)} "
                             f"(nhận được {_plain(number)}).")
        if self.kind == RATE:
            return round(number / 100, 6)
        if self.kind == MEGABYTES:
            return int(round(number * MB))
        return int(number)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = clean_text(str(value or "")).replace("%", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:  # Vietnamese decimal comma: 90,5
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _plain(number: float | None) -> str:
    if number is None:
        return ""
    return f"{number:g}".replace(".", ",")


def _unit(kind: str) -> str:
    return {RATE: " %", MEGABYTES: " MB"}.get(kind, "")


SETTINGS: tuple[Setting, ...] = (
    Setting("praise_min_rate", "Tỷ lệ đúng hạn tối thiểu để biểu dương (%)", RECOGNITION, RATE,
            0, 100, "Mọi vai trò đủ số liệu phải đạt tỷ lệ này (mặc định 90 %)."),
    Setting("reminder_below_rate", "Tỷ lệ đúng hạn dưới mức này thì nhắc nhở (%)", RECOGNITION,
            RATE, 0, 100, "Mặc định 70 %; phải không cao hơn ngưỡng biểu dương."),
    Setting("praise_min_tasks_department", "Số việc tối thiểu để xét một phòng", RECOGNITION, INT,
            1, 10_000, "Số nhiệm vụ (hoặc lượt phối hợp) được tính, mặc định 5."),
    Setting("praise_min_tasks_person", "Số việc tối thiểu để xét một cá nhân", RECOGNITION, INT,
            1, 10_000, "Mặc định 3."),
    Setting("reminder_min_overdue", "Số việc quá hạn từ mức này thì nhắc nhở", RECOGNITION, INT,
            1, 10_000, "Nhiệm vụ chủ trì đã quá hạn mà chưa xong (mặc định 2)."),
    Setting("reminder_min_past_due", "Số lượt phối hợp quá hạn từ mức này thì nhắc nhở",
            RECOGNITION, INT, 1, 10_000,
            "Phần việc phối hợp đã quá hạn mà chưa gửi kết quả (mặc định 2)."),
    Setting("row_limit", "Số dòng tối đa của một lần tải lên", UPLOADS, INT, 100, 1_000_000,
            "Tệp nhiều dòng hơn bị từ chối cả tệp (mặc định 100 000)."),
    Setting("max_upload_bytes", "Dung lượng tối đa của một tệp tải lên (MB)", UPLOADS, MEGABYTES,
            1, STREAMLIT_UPLOAD_MB,
            f"Trang tải lên nhận tối đa {STREAMLIT_UPLOAD_MB} MB (cấu hình máy chủ)."),
    Setting("max_sheet_cells", "Số ô tối đa của các trang trong một tệp", UPLOADS, INT,
            10_000, 50_000_000,
            "Tính theo phạm vi trang khai báo trong tệp; tệp vượt mức bị từ chối trước khi đọc "
            "(mặc định 4 000 000)."),
    Setting("max_text_chars", "Tổng số ký tự tối đa của một tệp", UPLOADS, INT,
            100_000, 1_000_000_000,
            "Tính cả chữ lặp lại qua bảng chuỗi dùng chung (mặc định 100 000 000)."),
    Setting("parse_memory_mb", "Bộ nhớ tối đa khi đọc một tệp (MB)", UPLOADS, INT, 256, 16_384,
            "Tiến trình đọc tệp vượt mức bị dừng, tệp bị từ chối; máy chủ vẫn chạy (mặc định 1280)."),
    Setting("parse_cpu_seconds", "Thời gian xử lý tối đa khi đọc một tệp (giây CPU)", UPLOADS, INT,
            1, 600, "Mặc định 15."),
    Setting("parse_wall_seconds", "Thời gian chờ tối đa khi đọc một tệp (giây)", UPLOADS, INT,
            1, 900, "Mặc định 20."),
    Setting("report_deadline_day", "Hạn nộp báo cáo tháng: ngày … của tháng sau", REPORTING, INT,
            1, 31, "Nhật ký tháng M nộp chậm nhất hết ngày này của tháng M+1 (mặc định ngày 5)."),
    Setting("login_max_failures", "Số lần đăng nhập sai liên tiếp thì tạm khóa", SIGN_IN, INT,
            1, 100, "Mặc định 5."),
    Setting("login_lock_minutes", "Thời gian tạm khóa (phút)", SIGN_IN, INT, 1, 24 * 60,
            "Mặc định 15 phút."),
    Setting("session_idle_minutes", "Tự đăng xuất sau … phút không thao tác", SIGN_IN, INT,
            5, 24 * 60, "Mặc định 30 phút."),
    Setting("brief_parent_body", "Cơ quan chủ quản (dòng trên, chữ in hoa)", BRIEF, TEXT),
    Setting("brief_center_name", "Tên đơn vị (chữ in hoa, in đậm)", BRIEF, TEXT),
    Setting("brief_abbreviation", "Chữ viết tắt của đơn vị (trong “Số: …/BC-…”)", BRIEF, TEXT),
    Setting("brief_signer_title", "Chức vụ người ký", BRIEF, TEXT),
    Setting("brief_signer_name", "Họ và tên người ký", BRIEF, TEXT),
    Setting("brief_place", "Địa danh (dòng “…, ngày … tháng … năm …”)", BRIEF, TEXT),
    Setting("brief_recipients", "Nơi nhận (mỗi dòng một nơi, trước dòng “Lưu”)", BRIEF, LINES),
    Setting("brief_archive", "Lưu (dòng “- Lưu: …”)", BRIEF, TEXT),
)
SETTING_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def check_settings(values: Mapping[str, Any]) -> list[str]:
    """Rules between settings (Vietnamese messages; empty when they hold)."""
    problems = []
    praise, reminder = values.get("praise_min_rate"), values.get("reminder_below_rate")
    if praise is not None and reminder is not None and float(reminder) > float(praise):
        problems.append("Ngưỡng nhắc nhở không được cao hơn ngưỡng biểu dương.")
    return problems
