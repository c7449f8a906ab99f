"""The vocabulary of a task log: canonical fields, their headers and aliases,
service types, status words, and the text normalisation every module shares.

SPEC §2.1 and §2.2 live here. Matching of headers, statuses and services is
done on a *key*: case, Vietnamese diacritics (đ/Đ included), punctuation and
extra spaces removed, so ``HAN HOAN THANH``, ``Hạn  hoàn thành`` and
``han_hoan_thanh`` all give the key ``han hoan thanh``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


class UnknownFieldError(ValueError):
    """A column mapping names a field that does not exist (`header` -> `field`)."""

    def __init__(self, message: str, header: str = "", field: str = ""):
        super().__init__(message)
        self.header, self.field = header, field

    def __reduce__(self):  # raised in the reading child, raised again in the parent
        return type(self), (str(self), self.header, self.field)


_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def clean_text(value: str) -> str:
    """NFC-normalise, trim and collapse inner whitespace (SPEC §2.1).

    The same name typed in NFD and NFC becomes one string.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def match_key(value: str) -> str:
    """Key for diacritic-, case- and punctuation-insensitive matching."""
    text = unicodedata.normalize("NFKD", value.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


def _fold_table() -> dict[int, str]:
    """What `match_key` makes of each character it can meet in Vietnamese text, as a
    `str.translate` table: a letter with marks -> its bare lower-case letter, a combining
    mark -> nothing, any other non-alphanumeric character of these ranges -> a space."""
    table: dict[int, str] = {}
    for code in [*range(0x80), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        key = match_key(char)
        table[code] = key if key else " "
    for code in range(0x0300, 0x0370):  # combining marks (text typed in NFD)
        table[code] = ""
    return table


_FOLD = _fold_table()


def match_keys(values):
    """`match_key` of every text of a pandas Series (missing stays missing), the fast
    way: one `str.translate` per distinct text instead of Unicode normalisation. What a
    search compares, so "tham van" finds "Tham vấn" (~0.2 s for 100 000 titles)."""
    import pandas as pd

    def key(text: str) -> str:
        folded = text.lower().translate(_FOLD)
        if not folded.isascii():  # a character outside the table: the exact rule
            return match_key(text)
        return " ".join(folded.split())

    codes, distinct = pd.factorize(values)
    keys = pd.Series([key(str(t)) for t in distinct], dtype="str")
    return pd.Series(keys.array.take(codes, allow_fill=True), index=values.index, dtype="str")


# The template's example row: its task_id says it is one ("VD", ví dụ). Such a row is
# never a task: reading skips it (listed with the skipped rows), so a filled template
# whose example row was left in place validates clean and the example never reaches
# the figures. Only the task_id marks it: a note saying "Dòng mẫu" on a row the user
# overwrote with a real task must not make that task disappear.
EXAMPLE_TASK_ID = "VD"
EXAMPLE_ID_KEYS = frozenset({"vd", "vi du", "dong mau", "mau", "example", "sample"})


def is_example_id(value) -> bool:
    return isinstance(value, str) and match_key(value) in EXAMPLE_ID_KEYS


# --- task sheet fields (SPEC §2.1) -------------------------------------------------

TEXT, LIST, DATE = "text", "list", "date"


@dataclass(frozen=True)
class Field:
    name: str  # canonical field name used in code and in the database
    header: str  # the template header, as the user sees it
    aliases: tuple[str, ...]
    kind: str  # TEXT, LIST or DATE
    required: bool  # the column must exist


TASK_FIELDS: tuple[Field, ...] = (
    Field("task_id", "Mã nhiệm vụ",
          ("Mã NV", "Mã công việc", "Số hiệu", "Task ID", "ID", "Key"), TEXT, True),
    Field("title", "Nội dung nhiệm vụ",
          ("Tên nhiệm vụ", "Nội dung công việc", "Công việc", "Title", "Summary", "Task"),
          TEXT, True),
    Field("service", "Loại dịch vụ", ("Dịch vụ", "Lĩnh vực", "Service", "Category"), TEXT, False),
    Field("lead_dept", "Phòng chủ trì",
          ("Đơn vị chủ trì", "Bộ phận chủ trì", "Department", "Team", "Component"), TEXT, True),
    Field("lead_person", "Người chủ trì",
          ("Cá nhân chủ trì", "Người thực hiện", "Cán bộ thụ lý", "Assignee", "Owner"),
          TEXT, False),
    Field("coord_depts", "Phòng phối hợp",
          ("Đơn vị phối hợp", "Bộ phận phối hợp", "Collaborating departments",
           "Supporting teams"), LIST, False),
    Field("coord_people", "Người phối hợp",
          ("Cá nhân phối hợp", "Collaborators", "Watchers"), LIST, False),
    Field("assigned_date", "Ngày giao",
          ("Ngày giao việc", "Ngày bắt đầu", "Start date", "Created"), DATE, True),
    Field("due_date", "Hạn hoàn thành",
          ("Thời hạn", "Hạn xử lý", "Hạn", "Deadline", "Due date"), DATE, False),
    Field("original_due_date", "Hạn ban đầu", ("Original due date",), DATE, False),
    Field("done_date", "Ngày hoàn thành",
          ("Ngày xong", "Completed", "Resolved", "Done date"), DATE, False),
    Field("status", "Trạng thái", ("Tình trạng", "Status"), TEXT, False),
    Field("note", "Ghi chú", ("Notes", "Comment"), TEXT, False),
)

# --- "Phối hợp" sheet fields (SPEC §2.2) -------------------------------------------

CONTRIBUTION_SHEET = "Phối hợp"
TASK_SHEET = "Nhiệm vụ"
INSTRUCTION_SHEET = "Hướng dẫn"

CONTRIBUTION_FIELDS: tuple[Field, ...] = (
    Field("task_id", "Mã nhiệm vụ", ("Mã NV", "Mã công việc", "Task ID", "ID"), TEXT, True),
    Field("coord_dept", "Phòng phối hợp", ("Đơn vị phối hợp", "Bộ phận phối hợp"), TEXT, False),
    Field("coord_person", "Người phối hợp", ("Cá nhân phối hợp",), TEXT, False),
    Field("contrib_due_date", "Hạn phối hợp", ("Thời hạn phối hợp",), DATE, False),
    Field("delivered_date", "Ngày gửi kết quả", ("Ngày gửi", "Ngày hoàn thành phối hợp"),
          DATE, False),
    Field("rating", "Đánh giá", ("Đánh giá của chủ trì", "Rating"), TEXT, False),
)

CONTRIBUTION_RATINGS = ("Tốt", "Đạt", "Chưa đạt")


def alias_index(fields: tuple[Field, ...]) -> dict[str, str]:
    """Map every header/alias key to its field name."""
    index: dict[str, str] = {}
    for field in fields:
        for text in (field.header, field.name, *field.aliases):
            index.setdefault(match_key(text), field.name)
    return index


TASK_ALIASES = alias_index(TASK_FIELDS)
CONTRIBUTION_ALIASES = alias_index(CONTRIBUTION_FIELDS)
FIELD_BY_NAME = {f.name: f for f in TASK_FIELDS}

# --- service types (SPEC §1) --------------------------------------------------------

OTHER_SERVICE = "Khác"
SERVICE_TYPES: tuple[str, ...] = (
    "Tư vấn - Tham vấn",
    "Can thiệp khẩn cấp",
    "Can thiệp - Trị liệu - Phục hồi",
    "Tiếp nhận, xử lý thông tin người lang thang xin ăn",
    "Chương trình - Dự án",
    OTHER_SERVICE,
)
SERVICE_KEYS = {match_key(s): s for s in SERVICE_TYPES}

# --- statuses (SPEC §2.1) -----------------------------------------------------------

DONE, OPEN, CANCELLED = "done", "open", "cancelled"
STATUS_WORDS: dict[str, str] = {
    match_key(word): status
    for status, words in {
        DONE: ("Hoàn thành", "Đã hoàn thành", "Done", "Closed", "Resolved"),
        OPEN: ("Đang thực hiện", "In progress", "Open", "To do", "Chưa thực hiện",
               "Tạm dừng", "On hold"),
        CANCELLED: ("Hủy", "Huỷ", "Đã hủy", "Đã huỷ", "Cancelled", "Canceled"),
    }.items()
    for word in words
}
# The labels the template's dropdown offers.
TEMPLATE_STATUSES = ("Đang thực hiện", "Hoàn thành", "Tạm dừng", "Đã hủy")
