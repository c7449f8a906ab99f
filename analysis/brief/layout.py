"""Every size, margin and font of the Word brief, as Nghị định 30/2020/NĐ-CP, Phụ lục I
prescribes for an administrative document (văn bản hành chính). The template builder
(`template.py`) and the writer (`docx.py`) read them from here and nowhere else.

The decree gives ranges; the value chosen is noted against each.
"""

from __future__ import annotations

FONT = "Times New Roman"  # Phụ lục I: phông chữ Times New Roman, bộ mã Unicode (TCVN 6909:2001)
LANGUAGE = "vi-VN"

# Page: A4 (210 mm x 297 mm), portrait.
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
# Margins: top 20-25 mm, bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
HEADER_DISTANCE_MM = 10  # the page number sits in the top margin
FOOTER_DISTANCE_MM = 10
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165 mm

# Body text: 13-14 pt, justified, first-line indent 1-1.27 cm, at least 6 pt between
# paragraphs, line spacing from single to 1.5 lines.
BODY_PT = 14
FIRST_LINE_INDENT_CM = 1.27
SPACE_AFTER_PT = 6
LINE_SPACING = 1.0  # single

# Header block: two columns (a borderless table across the text width).
HEADER_LEFT_CM = 7.2  # parent body, issuer, number
HEADER_RIGHT_CM = 9.3  # national motto, slogan, place and date
PARENT_BODY_PT = 12  # tên cơ quan chủ quản: 12-13, upper case, upright, not bold
ISSUER_PT = 12  # tên cơ quan ban hành: 12-13, upper case, bold
ISSUER_RULE_SHARE = 0.4  # the rule under it: 1/3 to 1/2 of the name's line, centred
NUMBER_PT = 13  # "Số: /BC-...": 13, upright
NATIONAL_TITLE_PT = 12  # Quốc hiệu "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": 12-13, upper, bold
MOTTO_PT = 13  # Tiêu ngữ "Độc lập - Tự do - Hạnh phúc": 13-14, bold, rule as long as it
MOTTO_RULE_CM = 5.6  # its length in Times New Roman bold 13 pt (measured)
DATE_LINE_PT = 14  # địa danh, ngày tháng: 13-14, italic
RULE_WEIGHT_EIGHTHS = 6  # rules: 3/4 pt solid lines (w:sz in eighths of a point)

# Title: the type name and the summary line, bold, centred.
TYPE_NAME_PT = 14  # "BÁO CÁO": 13-14, upper case, bold
SUMMARY_PT = 14  # trích yếu: 13-14, bold
TITLE_SPACE_BEFORE_PT = 12

# Sections and tables.
HEADING_PT = 14  # "I. ...": 13-14, bold
TABLE_PT = 11  # table text (the decree sets no size for tables)
WIDE_TABLE_PT = 10  # the 11-column department table
CELL_MARGIN_CM = 0.08  # left and right padding inside table cells
TABLE_HEADER_FILL = "E8EEF4"
CAPTION_PT = 12

# Signature and recipients.
SIGNER_TITLE_PT = 14  # quyền hạn, chức vụ của người ký: 13-14, upper case, bold
SIGNER_NAME_PT = 14  # họ tên người ký: 13-14, bold
SIGNATURE_SPACE_LINES = 4  # room for the signature and the seal
RECIPIENTS_LABEL_PT = 12  # "Nơi nhận:": 12, bold italic
RECIPIENTS_PT = 11  # the list: 11, upright
SIGNATURE_LEFT_CM = 8.0
SIGNATURE_RIGHT_CM = 8.5

# Page numbers: 13-14, centred in the top margin, not shown on the first page.
PAGE_NUMBER_PT = 13

# Charts: images across most of the text width.
CHART_WIDTH_CM = 16.0
CHART_DPI = 200


def twips_from_mm(mm: float) -> int:
    """Word's unit (1/20 pt) from millimetres."""
    return round(mm / 25.4 * 1440)


def half_points(pt: float) -> int:
    """Word's font size unit (w:sz) from points."""
    return round(pt * 2)


def estimated_width_cm(text: str, pt: float, capitals: bool = True) -> float:
    """About how wide `text` prints in Times New Roman (0.62 em a capital letter in bold,
    0.45 em a lower-case one): enough to size a rule under a line."""
    factor = 0.62 if capitals else 0.45
    return len(text) * pt / 72 * 2.54 * factor
