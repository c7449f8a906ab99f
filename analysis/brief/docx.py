"""The Word brief (SPEC §7.1): an administrative report laid out as Nghị định 30/2020/NĐ-CP,
Phụ lục I, written on the project's own template (`template.py`) with the sizes of
`layout.py`. Every run names Times New Roman in all four font slots.

Order: header block (two columns) · "BÁO CÁO" and the summary line · I. Kết quả thực hiện
nhiệm vụ · II. Đánh giá · III. Đề xuất biểu dương, nhắc nhở · IV. Nhiệm vụ quá hạn cần chỉ
đạo · V. Phòng chưa nộp báo cáo · signature block with "Nơi nhận:".
"""

from __future__ import annotations

import io

import pandas as pd
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from analysis.brief import charts
from analysis.brief import layout as L
from analysis.brief import text as T
from analysis.brief.evaluation import evaluation
from analysis.brief.figures import BriefFigures
from analysis.brief.template import template_bytes
from analysis.formatting import format_date, format_number, format_percent
from analysis.metrics.recognition import rules_sentence

CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY)
OVERDUE_ROWS = 20  # section IV lists the oldest ones; the Excel brief has them all
LIST_ROWS = 25  # a praise or reminder list prints its first 25 names; the Excel has all


# --- low-level helpers --------------------------------------------------------------------

def _fonts(run) -> None:
    """Times New Roman in the ascii, hAnsi, eastAsia and cs slots of this run."""
    props = run._element.get_or_add_rPr()
    fonts = props.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        props.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), L.FONT)


def _run(paragraph, text: str, pt: float, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(text)
    _fonts(run)
    run.font.size = Pt(pt)
    run.font.bold = bold or None
    run.font.italic = italic or None
    return run


def _paragraph(container, text: str = "", pt: float = L.BODY_PT, *, bold: bool = False,
               italic: bool = False, align=JUSTIFY, indent: bool = True, after: float | None = None,
               before: float = 0, style: str | None = None, keep_next: bool = False):
    paragraph = container.add_paragraph(style=style)
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(L.FIRST_LINE_INDENT_CM) if indent else Cm(0)
    fmt.space_after = Pt(L.SPACE_AFTER_PT if after is None else after)
    fmt.space_before = Pt(before)
    if keep_next:
        fmt.keep_with_next = True
    if text:
        _run(paragraph, text, pt, bold, italic)
    return paragraph


def _rule(container, length_cm: float, width_cm: float):
    """A solid horizontal rule of `length_cm`, centred in a column of `width_cm` (a tiny
    empty paragraph with a bottom border, its indents setting the length)."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max((width_cm - 0.3 - length_cm) / 2, 0)
    fmt.left_indent, fmt.right_indent, fmt.first_line_indent = Cm(side), Cm(side), Cm(0)
    fmt.space_before, fmt.space_after = Pt(2), Pt(0)  # clear of the line above
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    props = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(L.RULE_WEIGHT_EIGHTHS)),
                       ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    props.append(border)
    _run(paragraph, "", 2)
    return paragraph


def _no_borders(table) -> None:
    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    props.append(borders)


def _fixed_widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)


def _text(value) -> str:
    """A table cell's text: "" for a missing value (never "nan")."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA \
            or value is pd.NaT:
        return ""
    return str(value)


def _cell_text(cell, text: str, pt: float = L.TABLE_PT, *, bold: bool = False,
               italic: bool = False, align=LEFT) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = "Brief Table Text"
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(0)
    fmt.space_after = fmt.space_before = Pt(1)
    _run(paragraph, str(text), pt, bold, italic)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def _cell_margins(table, cm: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(round(cm / 2.54 * 1440)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _table(doc, headers: list[str], rows: list[list[str]], widths_cm: list[float],
           aligns: list | None = None, groups: list[tuple[str, int, int]] | None = None,
           pt: float = L.TABLE_PT, bold_last: bool = False):
    """A bordered table (style Table Grid): `headers` one per column; `groups` adds a
    first header row of (text, first column, column count) spanning the columns below,
    columns not in a group being merged over both header rows."""
    aligns = aligns or [LEFT] * len(headers)
    header_rows = 2 if groups else 1
    table = doc.add_table(rows=header_rows + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, widths_cm)
    _cell_margins(table, L.CELL_MARGIN_CM)
    if groups:
        grouped = set()
        for label, first, count in groups:
            cell = table.cell(0, first).merge(table.cell(0, first + count - 1))
            _cell_text(cell, label, pt, bold=True, align=CENTER)
            grouped.update(range(first, first + count))
        for col, label in enumerate(headers):
            if col in grouped:
                _cell_text(table.cell(1, col), label, pt, bold=True, align=CENTER)
            else:
                _cell_text(table.cell(0, col).merge(table.cell(1, col)), label, pt, bold=True,
                           align=CENTER)
    else:
        for col, label in enumerate(headers):
            _cell_text(table.cell(0, col), label, pt, bold=True, align=CENTER)
    for r in range(header_rows):
        _repeat_header(table.rows[r])
        for cell in table.rows[r].cells:
            _shade(cell, L.TABLE_HEADER_FILL)
    for r, values in enumerate(rows, start=header_rows):
        bold = bold_last and r == header_rows + len(rows) - 1
        # The row's own cells (table.cell() rescans the whole table: quadratic)
        cells = [_Cell(tc, table) for tc in table.rows[r]._tr.tc_lst]
        for col, value in enumerate(values):
            _cell_text(cells[col], _text(value), pt, bold=bold, align=aligns[col])
    doc.add_paragraph().paragraph_format.space_after = Pt(0)  # a gap after the table
    return table


def _picture(doc, png: bytes, caption: str) -> None:
    paragraph = _paragraph(doc, indent=False, align=CENTER, after=2, keep_next=True)
    run = paragraph.add_run()
    _fonts(run)
    run.add_picture(io.BytesIO(png), width=Cm(L.CHART_WIDTH_CM))
    _paragraph(doc, caption, L.CAPTION_PT, italic=True, align=CENTER, indent=False)


def _heading(doc, text: str) -> None:
    _paragraph(doc, text, L.HEADING_PT, bold=True, before=6, keep_next=True)


def _subheading(doc, text: str, italic: bool = False) -> None:
    _paragraph(doc, text, L.BODY_PT, bold=not italic, italic=italic, keep_next=True)


def _bullet(doc, text: str) -> None:
    _paragraph(doc, f"- {text}")


# --- the parts of the brief ---------------------------------------------------------------

def _header_block(doc, f: BriefFigures) -> None:
    h = f.inputs.header
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    _fixed_widths(table, [L.HEADER_LEFT_CM, L.HEADER_RIGHT_CM])
    left, right = table.cell(0, 0), table.cell(0, 1)

    def line(cell, text, pt, bold=False, italic=False, first=False):
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment, fmt.first_line_indent = CENTER, Cm(0)
        fmt.space_after = fmt.space_before = Pt(0)
        _run(paragraph, text, pt, bold, italic)
        return paragraph

    line(left, h.parent_body.upper(), L.PARENT_BODY_PT, first=True)
    names = [part.strip().upper() for part in h.center_name.split("\n") if part.strip()]
    for name in names:
        line(left, name, L.ISSUER_PT, bold=True)
    longest = max((L.estimated_width_cm(n, L.ISSUER_PT) for n in names), default=4.0)
    _rule(left, min(max(longest * L.ISSUER_RULE_SHARE, 1.5), L.HEADER_LEFT_CM * 0.5),
          L.HEADER_LEFT_CM)
    line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", L.NATIONAL_TITLE_PT, bold=True,
         first=True)
    line(right, "Độc lập - Tự do - Hạnh phúc", L.MOTTO_PT, bold=True)
    _rule(right, L.MOTTO_RULE_CM, L.HEADER_RIGHT_CM)
    number = table.cell(1, 0).paragraphs[0]
    number.paragraph_format.alignment, number.paragraph_format.first_line_indent = CENTER, Cm(0)
    number.paragraph_format.space_before = Pt(6)
    _run(number, f"Số:      /BC-{h.abbreviation}", L.NUMBER_PT)
    date_cell = table.cell(1, 1).paragraphs[0]
    date_cell.paragraph_format.alignment = CENTER
    date_cell.paragraph_format.first_line_indent = Cm(0)
    date_cell.paragraph_format.space_before = Pt(6)
    _run(date_cell, T.date_line(h.place, f.issued), L.DATE_LINE_PT, italic=True)


def _title(doc, f: BriefFigures) -> None:
    _paragraph(doc, "BÁO CÁO", L.TYPE_NAME_PT, bold=True, align=CENTER, indent=False,
               before=L.TITLE_SPACE_BEFORE_PT, after=0)
    summary = T.summary_line(f.inputs.from_month, f.inputs.to_month, f.cut)
    if not f.whole_center:
        summary += f" của {f.scope}"
    _paragraph(doc, summary, L.SUMMARY_PT, bold=True, align=CENTER, indent=False, after=0)
    _rule(doc, 3.5, L.TEXT_WIDTH_MM / 10)
    _paragraph(doc, after=0)


def _department_rows(f: BriefFigures) -> list[list[str]]:
    rows = []
    compared = f.comparison.compared
    for i, row in enumerate(f.departments.itertuples(), start=1):
        if not row.tasks:
            cells = [str(i), row.name] + ["—"] * 8  # no task as lead: never a 0
        else:
            cells = [str(i), row.name, format_number(row.tasks), format_number(row.due),
                     format_number(row.on_time), format_number(row.late),
                     format_number(row.in_term), format_number(row.overdue),
                     format_percent(row.completion_rate), format_percent(row.on_time_rate)]
        cells.append(T.signed_points(row.on_time_rate, row.prev_on_time_rate)
                     if compared else "—")
        rows.append(cells)
    for name in f.departments_without_data:
        rows.append([str(len(rows) + 1), name, "chưa có số liệu"] + [""] * 8)
    line = f.overall
    rows.append(["", "Toàn Trung tâm" if f.whole_center else "Cộng", format_number(line["tasks"]),
                 format_number(line["due"]), format_number(line["on_time"]),
                 format_number(line["late"]), format_number(line["in_term"]),
                 format_number(line["overdue"]), format_percent(line["completion_rate"]),
                 format_percent(line["on_time_rate"]),
                 T.signed_points(line["on_time_rate"], f.previous_overall["on_time_rate"])
                 if f.previous_overall else "—"])
    return rows


def _section_results(doc, f: BriefFigures) -> None:
    period = T.period_phrase(f.inputs.from_month, f.inputs.to_month)
    if f.cut:
        period += f" (tính đến ngày {format_date(f.cut)})"
    subject = "Trung tâm" if f.whole_center else f.scope
    _heading(doc, "I. Kết quả thực hiện nhiệm vụ")
    _subheading(doc, "1. Kết quả chung")
    _paragraph(doc, T.overall_paragraph(f.overall, subject, period))
    previous = f.previous_label and T.comparison_label(f)
    _paragraph(doc, T.comparison_paragraph(f.overall, f.previous_overall, previous, f.reason))
    if f.overall["upcoming"]:
        _paragraph(doc, T.upcoming_sentence(f.overall, f.cut))
    _paragraph(doc, T.FOUR_WAY_DEFINITIONS + " " + T.MONTH_MEANING, 12, italic=True)

    _subheading(doc, "2. Kết quả của các phòng (chủ trì)")
    widths = [0.9, 3.3, 1.25, 1.2, 1.25, 1.2, 1.25, 1.2, 1.5, 1.5, 1.7]
    headers = ["STT", "Phòng", "Số nhiệm vụ", "Đến hạn", "Đúng hạn", "Trễ hạn", "Trong hạn",
               "Quá hạn", "Tỷ lệ hoàn thành", "Tỷ lệ đúng hạn", "So với kỳ trước (điểm %)"]
    aligns = [CENTER, LEFT] + [RIGHT] * 9
    table = _table(doc, headers, _department_rows(f), widths, aligns,
                   groups=[("Đã hoàn thành", 4, 2), ("Chưa hoàn thành", 6, 2)],
                   pt=L.WIDE_TABLE_PT, bold_last=True)
    first_empty = 2 + len(f.departments)
    for r in range(first_empty, first_empty + len(f.departments_without_data)):
        merged = table.cell(r, 2).merge(table.cell(r, 10))  # "chưa có số liệu" across
        for paragraph in merged.paragraphs[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        merged.paragraphs[0].paragraph_format.alignment = CENTER
    if len(f.departments):
        png, _ = charts.department_rates_png(f.departments)
        _picture(doc, png, "Biểu đồ 1. Tỷ lệ hoàn thành và tỷ lệ đúng hạn của các phòng "
                           "(nhiệm vụ chủ trì)")

    _subheading(doc, "3. Công tác phối hợp")
    for sentence in T.coordination_sentences(f):
        _paragraph(doc, sentence)
    coordinating = f.departments[f.departments["coord_tasks"] > 0]
    if len(coordinating):
        unit = "phần việc" if f.sheet else "nhiệm vụ"
        rows = []
        for i, row in enumerate(coordinating.itertuples(), start=1):
            rows.append([str(i), row.name, format_number(row.coord_tasks),
                         format_percent(row.coord_on_time_rate),
                         T.signed_points(row.coord_on_time_rate, row.prev_coord_on_time_rate)
                         if f.comparison.compared else "—"])
        _table(doc, ["STT", "Phòng", "Số nhiệm vụ phối hợp",
                     f"Tỷ lệ đúng hạn khi phối hợp (theo {unit})", "So với kỳ trước (điểm %)"],
               rows, [0.9, 6.4, 2.6, 3.6, 3.0], [CENTER, LEFT, RIGHT, RIGHT, RIGHT])
    if len(f.monthly) >= 2:
        png, _ = charts.monthly_png(f.monthly)
        _picture(doc, png, "Biểu đồ 2. Nhiệm vụ theo tháng (theo hạn hoàn thành) và tỷ lệ "
                           "đúng hạn")


def _section_evaluation(doc, f: BriefFigures) -> None:
    strengths, weaknesses = evaluation(f)
    _heading(doc, "II. Đánh giá")
    _subheading(doc, "1. Ưu điểm")
    for sentence in strengths:
        _bullet(doc, sentence)
    _subheading(doc, "2. Tồn tại, hạn chế")
    for sentence in weaknesses:
        _bullet(doc, sentence)


def _recognition_table(doc, frame: pd.DataFrame, person: bool, departments: dict) -> None:
    rows = []
    for i, row in enumerate(frame.itertuples(), start=1):
        cells = [str(i), row.name]
        if person:
            cells.append(departments.get(row.name, ""))
        cells += [T.rate_with_counts(row.rate, row.on_time, row.counted), row.reason]
        rows.append(cells)
    if person:
        _table(doc, ["STT", "Họ và tên", "Phòng", "Tỷ lệ đúng hạn chung", "Lý do"], rows,
               [0.9, 3.1, 3.2, 3.0, 6.3], [CENTER, LEFT, LEFT, RIGHT, LEFT])
    else:
        _table(doc, ["STT", "Phòng", "Tỷ lệ đúng hạn chung", "Lý do"], rows,
               [0.9, 4.5, 3.0, 8.1], [CENTER, LEFT, RIGHT, LEFT])


def _section_recognition(doc, f: BriefFigures) -> None:
    _heading(doc, "III. Đề xuất biểu dương, nhắc nhở")
    where = dict(zip(f.people["name"], f.people["department"]))
    _paragraph(doc, rules_sentence(f.inputs.thresholds, "dept").replace(
        "(với một phòng)", f"(phòng; cá nhân: {f.inputs.thresholds.min_tasks_person})"),
        12, italic=True)
    for number, title, depts, people, none in (
            (1, "Đề xuất biểu dương", f.praise_departments, f.praise_people,
             "Không có {who} đủ điều kiện biểu dương trong kỳ."),
            (2, "Đề xuất nhắc nhở", f.reminder_departments, f.reminder_people,
             "Không có {who} phải nhắc nhở trong kỳ.")):
        _subheading(doc, f"{number}. {title}")
        for letter, who, frame, person in (("a", "tập thể (phòng)", depts, False),
                                           ("b", "cá nhân", people, True)):
            _subheading(doc, f"{letter}) {who[:1].upper()}{who[1:]}", italic=True)
            if frame.empty:
                _paragraph(doc, none.format(who="phòng nào" if not person else "cá nhân nào"))
            else:
                _recognition_table(doc, frame.head(LIST_ROWS), person, where)
                if len(frame) > LIST_ROWS:
                    _paragraph(doc, f"Và {format_number(len(frame) - LIST_ROWS)} {who} khác "
                                    "(danh sách đầy đủ ở sheet “Biểu dương - Nhắc nhở” của bản "
                                    "Excel).", 12, italic=True)
    best = f.best_coordinators
    _subheading(doc, "3. Phối hợp tốt")
    if len(best):
        _paragraph(doc, "Phòng và cá nhân có tỷ lệ đúng hạn khi phối hợp cao nhất (đủ số liệu, "
                        f"từ {format_percent(f.inputs.thresholds.reminder_below_rate)} trở lên, "
                        "không thuộc diện nhắc nhở):")
    if best.empty:
        _paragraph(doc, "Chưa có phòng hoặc cá nhân nào đủ số liệu phối hợp để xếp hạng.")
    for role, label in (("dept", "Phòng"), ("person", "Cá nhân")):
        chosen = best[best["role"] == role]
        if len(chosen):
            _bullet(doc, f"{label}: " + T.names_with(
                (row.name, T.rate_with_counts(row.coord_rate, row.coord_on_time,
                                              row.coord_counted))
                for row in chosen.itertuples()) + ".")


def _section_overdue(doc, f: BriefFigures) -> None:
    _heading(doc, "IV. Nhiệm vụ quá hạn cần chỉ đạo")
    overdue = f.overdue_tasks
    _paragraph(doc, T.overdue_sentence(overdue, f.as_of, OVERDUE_ROWS))
    if overdue.empty:
        return
    rows = []
    for i, row in enumerate(overdue.head(OVERDUE_ROWS).itertuples(), start=1):
        rows.append([str(i), _text(row.task_id), _text(row.title), _text(row.lead_dept),
                     _text(row.lead_person), format_date(row.due_date),
                     format_number(row.delay_days)])
    _table(doc, ["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Người chủ trì",
                 "Hạn hoàn thành", "Số ngày quá hạn"], rows,
           [0.9, 2.1, 4.8, 2.9, 2.3, 2.1, 1.4], [CENTER, LEFT, LEFT, LEFT, LEFT, CENTER, RIGHT])


def _section_submissions(doc, f: BriefFigures) -> None:
    _heading(doc, "V. Phòng chưa nộp báo cáo")
    _paragraph(doc, T.submissions_paragraph(f))


def _signature(doc, f: BriefFigures) -> None:
    h = f.inputs.header
    _paragraph(doc, after=0)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, [L.SIGNATURE_LEFT_CM, L.SIGNATURE_RIGHT_CM])
    left, right = table.cell(0, 0), table.cell(0, 1)

    def line(cell, text, pt, *, bold=False, italic=False, align=LEFT, first=False):
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment, fmt.first_line_indent = align, Cm(0)
        fmt.space_after = fmt.space_before = Pt(0)
        if text:
            _run(paragraph, text, pt, bold, italic)
        return paragraph

    line(left, "Nơi nhận:", L.RECIPIENTS_LABEL_PT, bold=True, italic=True, first=True)
    for recipient in h.recipients:
        line(left, f"- {recipient};", L.RECIPIENTS_PT)
    line(left, f"- Lưu: {h.archive}.", L.RECIPIENTS_PT)
    titles = [t.strip().upper() for t in h.signer_title.split("\n") if t.strip()] or ["GIÁM ĐỐC"]
    for i, title in enumerate(titles):
        line(right, title, L.SIGNER_TITLE_PT, bold=True, align=CENTER, first=i == 0)
    for _ in range(L.SIGNATURE_SPACE_LINES):
        line(right, "", L.SIGNER_NAME_PT, align=CENTER)
    if h.signer_name:
        line(right, h.signer_name, L.SIGNER_NAME_PT, bold=True, align=CENTER)


def brief_docx(figures: BriefFigures) -> bytes:
    """The Word brief's bytes."""
    doc = Document(io.BytesIO(template_bytes()))
    props = doc.core_properties
    props.title = T.summary_line(figures.inputs.from_month, figures.inputs.to_month, figures.cut)
    props.author = figures.inputs.header.center_name.title()
    _header_block(doc, figures)
    _title(doc, figures)
    _section_results(doc, figures)
    _section_evaluation(doc, figures)
    _section_recognition(doc, figures)
    _section_overdue(doc, figures)
    _section_submissions(doc, figures)
    _signature(doc, figures)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
