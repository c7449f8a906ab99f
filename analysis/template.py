"""The Excel template department heads download (SPEC §2.1, §2.2, §7 page 6).

`build_template()` returns the .xlsx bytes: the task sheet "Nhiệm vụ" with the
template headers of `TASK_FIELDS`, one example row (task_id "VD", greyed: reading
skips it, see `fields.is_example_id`), dropdown lists, date and text formats; the
optional "Phối hợp" sheet (`CONTRIBUTION_FIELDS`); the "Hướng dẫn" instruction
sheet in Vietnamese; and a hidden "Danh mục" sheet holding the dropdown lists.

Dropdown lists always live on the hidden sheet and are referenced by range:
an inline list is limited to 255 characters and splits on commas, and the
service label "Tiếp nhận, xử lý thông tin người lang thang xin ăn" has one.

Department dropdown: offered only when the caller passes the catalogue's
departments. With an empty catalogue any department name is valid (SPEC §6),
so the column stays free text rather than pushing names that may not be the
user's. The people dropdown (roster) only warns, since a name missing from the
roster is a warning, not an error (SPEC §2.3).

`workbook_bytes()` saves any openpyxl workbook byte-for-byte reproducibly
(fixed document timestamps and zip entry times); the sample generator uses it.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from analysis.fields import (
    CONTRIBUTION_FIELDS,
    CONTRIBUTION_RATINGS,
    CONTRIBUTION_SHEET,
    DATE,
    EXAMPLE_TASK_ID,
    INSTRUCTION_SHEET,
    LIST,
    SERVICE_TYPES,
    TASK_FIELDS,
    TASK_SHEET,
    TEMPLATE_STATUSES,
    Field,
    clean_text,
)

LISTS_SHEET = "Danh mục"
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
FORMATTED_ROWS = 500  # data rows that get dropdowns and date validation
FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)  # document timestamps: byte-stable output

# Characters that make a spreadsheet read a text as a formula (SPEC §4.6).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_WIDTHS = {  # column width per field, in characters
    "task_id": 16, "title": 45, "service": 28, "lead_dept": 30, "lead_person": 24,
    "coord_depts": 30, "coord_people": 28, "assigned_date": 13, "due_date": 14,
    "original_due_date": 13, "done_date": 14, "status": 17, "note": 30,
    "coord_dept": 30, "coord_person": 26, "contrib_due_date": 14, "delivered_date": 14,
    "rating": 12,
}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")
_EXAMPLE_FONT = Font(italic=True, color="7F7F7F")
_HEADER_FONT = Font(bold=True)
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


def set_text(cell: Cell, value: str) -> None:
    """Write `value` as a literal text cell, never as a formula.

    openpyxl turns any string starting with `=` into a formula; forcing the
    string type (and Excel's quote prefix, so an edit keeps it text) keeps
    the exact text, which must still match the catalogue name.
    """
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def build_template(departments: list[str] | None = None,
                   people: list[str] | None = None, report_deadline_day: int = 5) -> bytes:
    """The template workbook as .xlsx bytes.

    `departments`: the catalogue's department names (dropdown on "Phòng chủ trì"
    and "Phòng phối hợp" of the "Phối hợp" sheet); None or empty: free text.
    `people`: the staff roster (dropdown on "Người chủ trì" that only warns).
    `report_deadline_day`: the reporting deadline setting, said on "Hướng dẫn" (SPEC §7.9).
    """
    departments = _unique(departments)
    people = _unique(people)
    wb = Workbook()
    tasks = wb.active
    tasks.title = TASK_SHEET
    contributions = wb.create_sheet(CONTRIBUTION_SHEET)
    guide = wb.create_sheet(INSTRUCTION_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"

    ranges = _write_lists(lists, {
        "department": ("Danh sách phòng", departments),
        "person": ("Danh sách cán bộ", people),
        "service": ("Danh sách loại dịch vụ", list(SERVICE_TYPES)),
        "status": ("Danh sách trạng thái", list(TEMPLATE_STATUSES)),
        "rating": ("Danh sách mức đánh giá", list(CONTRIBUTION_RATINGS)),
    })

    _write_headers(tasks, TASK_FIELDS)
    _write_example(tasks, departments, people)
    _add_list(tasks, TASK_FIELDS, "service", ranges.get("service"),
              "Chọn một loại dịch vụ trong danh sách.")
    _add_list(tasks, TASK_FIELDS, "status", ranges.get("status"),
              "Chọn một trạng thái trong danh sách.")
    _add_list(tasks, TASK_FIELDS, "lead_dept", ranges.get("department"),
              "Chọn phòng chủ trì trong danh mục của Trung tâm.")
    _add_list(tasks, TASK_FIELDS, "lead_person", ranges.get("person"),
              "Tên chưa có trong danh sách cán bộ; vẫn có thể lưu nhưng sẽ được cảnh báo.",
              warn_only=True)
    _add_date_rules(tasks, TASK_FIELDS)

    _write_headers(contributions, CONTRIBUTION_FIELDS)
    _add_list(contributions, CONTRIBUTION_FIELDS, "rating", ranges.get("rating"),
              "Chọn Tốt, Đạt hoặc Chưa đạt.")
    _add_list(contributions, CONTRIBUTION_FIELDS, "coord_dept", ranges.get("department"),
              "Chọn phòng phối hợp trong danh mục của Trung tâm.")
    _add_list(contributions, CONTRIBUTION_FIELDS, "coord_person", ranges.get("person"),
              "Tên chưa có trong danh sách cán bộ; vẫn có thể lưu nhưng sẽ được cảnh báo.",
              warn_only=True)
    _add_date_rules(contributions, CONTRIBUTION_FIELDS)

    _write_guide(guide, report_deadline_day)
    wb.active = 0
    return workbook_bytes(wb)


def workbook_bytes(wb: Workbook, when: datetime = FIXED_TIME) -> bytes:
    """Save `wb` as .xlsx bytes that depend only on its content.

    openpyxl stamps the save time into docProps/core.xml and each zip entry;
    both are replaced by `when` so generating twice gives identical bytes.
    """
    wb.properties.creator = "analysis"
    wb.properties.created = when
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


# --- helpers -------------------------------------------------------------------------

def _unique(names: list[str] | None) -> list[str]:
    seen: dict[str, None] = {}
    for name in names or ():
        text = clean_text(str(name))
        if text:
            seen.setdefault(text, None)
    return list(seen)


def _write_lists(ws: Worksheet, lists: dict[str, tuple[str, list[str]]]) -> dict[str, str]:
    """One column per list on the hidden sheet; returns key -> absolute range formula."""
    ranges: dict[str, str] = {}
    column = 0
    for key, (title, values) in lists.items():
        if not values:
            continue
        column += 1
        letter = get_column_letter(column)
        ws.cell(row=1, column=column, value=title).font = _HEADER_FONT
        for row, value in enumerate(values, start=2):
            set_text(ws.cell(row=row, column=column), value)
        ws.column_dimensions[letter].width = max(20, min(60, max(len(v) for v in values) + 2))
        ranges[key] = (f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${len(values) + 1}")
    return ranges


def _write_headers(ws: Worksheet, fields: tuple[Field, ...]) -> None:
    for column, field in enumerate(fields, start=1):
        cell = ws.cell(row=1, column=column, value=field.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        dimension = ws.column_dimensions[get_column_letter(column)]
        dimension.width = _WIDTHS.get(field.name, 18)
        # Column styles: what a user types into an empty cell takes this format.
        # Not per-cell formats on empty rows: those make empty cells a reader
        # sees, and would list hundreds of blank rows as skipped.
        if field.kind == DATE:
            dimension.number_format = DATE_FORMAT
        elif field.name == "task_id":
            dimension.number_format = TEXT_FORMAT
        elif field.kind == LIST or field.name in ("title", "note"):
            dimension.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"  # header row stays visible
    ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}1"


def example_row(departments: list[str], people: list[str]) -> dict[str, object]:
    """The example task of row 2 (field -> value): a plausible, finished task whose
    task_id "VD" and note say it is only an example."""
    lead = departments[0] if departments else "Phòng Tư vấn - Tham vấn"
    coordinator = departments[1] if len(departments) > 1 else (
        "" if departments else "Phòng Can thiệp - Phục hồi")
    return {
        "task_id": EXAMPLE_TASK_ID,
        "title": "Dòng mẫu: Tư vấn tâm lý cho trẻ em (hồ sơ TE-0001)",
        "service": SERVICE_TYPES[0], "lead_dept": lead,
        "lead_person": people[0] if people else "Nguyễn Văn A",
        "coord_depts": coordinator, "coord_people": "",
        "assigned_date": datetime(2026, 1, 5), "due_date": datetime(2026, 1, 20),
        "original_due_date": None, "done_date": datetime(2026, 1, 16), "status": "Hoàn thành",
        "note": (f"Dòng mẫu (mã {EXAMPLE_TASK_ID}) không được tính. Có thể để nguyên, xóa "
                 "hoặc ghi đè bằng nhiệm vụ thật (khi đó đổi mã)."),
    }


def _write_example(ws: Worksheet, departments: list[str], people: list[str]) -> None:
    values = example_row(departments, people)
    for column, field in enumerate(TASK_FIELDS, start=1):
        cell = ws.cell(row=2, column=column)
        value = values.get(field.name)
        if isinstance(value, str) and value:
            set_text(cell, value)
        elif isinstance(value, datetime):
            cell.value = value
            cell.number_format = DATE_FORMAT
        cell.font = _EXAMPLE_FONT
        cell.fill = _EXAMPLE_FILL


def _data_range(fields: tuple[Field, ...], name: str) -> str | None:
    for column, field in enumerate(fields, start=1):
        if field.name == name:
            letter = get_column_letter(column)
            return f"{letter}2:{letter}{FORMATTED_ROWS + 1}"
    return None


def _add_list(ws: Worksheet, fields: tuple[Field, ...], name: str, source: str | None,
              message: str, warn_only: bool = False) -> None:
    cells = _data_range(fields, name)
    if source is None or cells is None:
        return
    rule = DataValidation(type="list", formula1=source, allow_blank=True,
                          showErrorMessage=True, errorStyle="warning" if warn_only else "stop",
                          errorTitle="Giá trị không hợp lệ", error=message)
    rule.add(cells)
    ws.add_data_validation(rule)


def _add_date_rules(ws: Worksheet, fields: tuple[Field, ...]) -> None:
    ranges = [r for f in fields if f.kind == DATE and (r := _data_range(fields, f.name))]
    if not ranges:
        return
    # 01/01/2000 .. 31/12/2100 as Excel serials; "warning" lets a typed text date through.
    rule = DataValidation(type="date", operator="between", formula1="36526", formula2="73415",
                          allow_blank=True, showErrorMessage=True, errorStyle="warning",
                          errorTitle="Ngày không hợp lệ",
                          error="Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/11/2026.",
                          showInputMessage=True, promptTitle="Ngày",
                          prompt="Dạng dd/mm/yyyy, ví dụ 05/11/2026.")
    for cells in ranges:
        rule.add(cells)
    ws.add_data_validation(rule)


# --- the instruction sheet ------------------------------------------------------------

_TASK_HELP = {
    "task_id": "Mã riêng của nhiệm vụ, không trùng trong tệp (ví dụ TV-2026-007 hoặc 007). "
               "Nhiệm vụ chuyển sang tháng sau giữ nguyên mã.",
    "title": "Nội dung công việc được giao, nêu rõ việc cần làm. Không ghi họ tên đối tượng "
             "được trợ giúp; dùng mã hồ sơ.",
    "service": "Chọn trong danh sách: " + "; ".join(SERVICE_TYPES) + ". Để trống: Khác.",
    "lead_dept": "Phòng chịu trách nhiệm chính (chủ trì) về nhiệm vụ. Mỗi nhiệm vụ chỉ có một "
                 "phòng chủ trì.",
    "lead_person": "Cán bộ chủ trì thực hiện (một người). Nên ghi đủ họ và tên.",
    "coord_depts": "Các phòng phối hợp (nếu có), cách nhau bằng dấu chấm phẩy (;).",
    "coord_people": "Các cán bộ phối hợp (nếu có), cách nhau bằng dấu chấm phẩy (;).",
    "assigned_date": "Ngày giao nhiệm vụ.",
    "due_date": "Hạn hoàn thành hiện tại. Khi được gia hạn, ghi hạn mới ở đây.",
    "original_due_date": "Chỉ ghi khi nhiệm vụ được gia hạn: hạn hoàn thành lúc giao.",
    "done_date": "Ngày hoàn thành thực tế. Để trống nếu chưa xong.",
    "status": "Chọn trong danh sách: " + "; ".join(TEMPLATE_STATUSES) + ".",
    "note": "Ghi chú thêm (lý do chậm, lý do gia hạn, ...).",
}
_CONTRIBUTION_HELP = {
    "task_id": "Mã nhiệm vụ (như ở sheet Nhiệm vụ).",
    "coord_dept": "Phòng phối hợp trong nhiệm vụ đó.",
    "coord_person": "Cán bộ phối hợp (nếu giao cho một người cụ thể).",
    "contrib_due_date": "Hạn gửi kết quả phối hợp. Để trống: lấy hạn hoàn thành của nhiệm vụ.",
    "delivered_date": "Ngày phòng/cán bộ phối hợp gửi kết quả. Để trống nếu chưa gửi.",
    "rating": "Đánh giá của bên chủ trì: Tốt, Đạt hoặc Chưa đạt.",
}
_RULES = (
    f"Dòng 2 của trang Nhiệm vụ là dòng mẫu (mã nhiệm vụ “{EXAMPLE_TASK_ID}”, chữ nghiêng màu "
    "xám): dòng này không được tính. Có thể để nguyên, xóa, hoặc ghi đè bằng nhiệm vụ thật "
    "(khi đó nhớ đổi mã nhiệm vụ).",
    "Mỗi dòng là một nhiệm vụ. Không gộp ô, không để dòng tổng cộng giữa bảng.",
    "Không sửa, không xóa tên các cột ở dòng tiêu đề; có thể để trống cột không bắt buộc.",
    "Ngày ghi theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 05/11/2026 là ngày 5 tháng 11 "
    "năm 2026.",
    "Các ô danh sách (Phòng phối hợp, Người phối hợp) ghi nhiều giá trị cách nhau bằng dấu "
    "chấm phẩy (;), ví dụ: Phòng Tư vấn - Tham vấn; Phòng Can thiệp - Phục hồi.",
    "Chủ trì: phòng/cán bộ chịu trách nhiệm chính, tổ chức thực hiện và báo cáo kết quả. "
    "Phối hợp: phòng/cán bộ hỗ trợ bên chủ trì theo phần việc và thời hạn được giao.",
    "Giao việc rõ ràng: ghi đủ nội dung, người chủ trì và hạn hoàn thành (thiếu sẽ bị "
    "cảnh báo và làm giảm tỷ lệ giao việc rõ ràng).",
    "Trạng thái: Đang thực hiện; Hoàn thành (phải có Ngày hoàn thành); Tạm dừng (vẫn tính "
    "là chưa xong); Đã hủy (không tính vào tỷ lệ đúng hạn).",
    "Sheet Phối hợp là tùy chọn: mỗi dòng là phần việc của một phòng hoặc cán bộ phối hợp "
    "trong một nhiệm vụ.",
    "Mỗi tháng tải lên một tệp; nhiệm vụ chưa xong của tháng trước ghi lại ở tệp tháng này "
    "với cùng mã và cập nhật tiến độ.",
    "Nhiệm vụ được tính vào tháng có hạn hoàn thành của nó (nhiệm vụ không ghi hạn: tháng của "
    "ngày giao).",
    "Hạn nộp: nhật ký của tháng nào nộp chậm nhất trong ngày {deadline} của tháng sau (ví dụ "
    "nhật ký tháng 10 nộp chậm nhất ngày {deadline}/11). Nộp sau ngày đó được ghi là nộp muộn.",
    "Cần hỗ trợ: liên hệ bộ phận quản trị hệ thống tại Phòng Hành chính - Tổng hợp; trang "
    "Tải dữ liệu lên sẽ báo lỗi theo từng dòng để sửa.",
)


def _write_guide(ws: Worksheet, report_deadline_day: int = 5) -> None:
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 90
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.cell(row=1, column=1, value="HƯỚNG DẪN NHẬP BẢNG THEO DÕI NHIỆM VỤ").font = Font(
        bold=True, size=13)
    row = 3
    for title, fields, notes in ((f"Sheet {TASK_SHEET}", TASK_FIELDS, _TASK_HELP),
                                 (f"Sheet {CONTRIBUTION_SHEET} (tùy chọn)",
                                  CONTRIBUTION_FIELDS, _CONTRIBUTION_HELP)):
        ws.cell(row=row, column=1, value=title).font = _HEADER_FONT
        row += 1
        for column, text in enumerate(("Cột", "Bắt buộc", "Ý nghĩa"), start=1):
            ws.cell(row=row, column=column, value=text).font = _HEADER_FONT
        row += 1
        for field in fields:
            ws.cell(row=row, column=1, value=field.header).alignment = wrap
            ws.cell(row=row, column=2, value="Bắt buộc" if field.required else "").alignment = wrap
            ws.cell(row=row, column=3, value=notes[field.name]).alignment = wrap
            row += 1
        row += 1
    ws.cell(row=row, column=1, value="Quy tắc chung").font = _HEADER_FONT
    row += 1
    for number, text in enumerate(_RULES, start=1):
        ws.cell(row=row, column=1, value=f"{number}.")
        ws.cell(row=row, column=3, value=text.format(deadline=report_deadline_day)
                ).alignment = wrap
        row += 1
