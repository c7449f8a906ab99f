"""The meeting brief as documents (SPEC §7.1) and the `report` command (SPEC §5):
both files are opened (python-docx, openpyxl) and every figure is checked against the
engine (`compute_report` for the period), every listed name against the §3.6 rules,
the Word layout against Nghị định 30/2020 (A4, margins, Times New Roman only, header
block, date line, "Nơi nhận"), and a hostile title stays inert text."""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import random
import re
import shutil
import subprocess
import zipfile
from datetime import date, timedelta

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from analysis.brief import layout as L
from analysis.cli import main
from analysis.formatting import format_number, format_percent
from analysis.metrics import Thresholds, compute_report
from analysis.store import open_store
from store_helpers import task, workbook

AS_OF = date(2026, 10, 31)
DEPARTMENTS = ("Phòng Tư vấn", "Phòng Can thiệp", "Phòng Hành chính")
PEOPLE = {"Phòng Tư vấn": ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Chi"),
          "Phòng Can thiệp": ("Phạm Thị Dung", "Hoàng Văn Em"),
          "Phòng Hành chính": ("Vũ Thị Giang", "Đặng Văn Hùng")}
HOSTILE = '=HYPERLINK("http://example.invalid","bấm vào đây")'


def _month_rows(dept: str, month: str, rng: random.Random, start: int) -> list[dict]:
    first = date(int(month[:4]), int(month[5:7]), 1)
    rows = []
    for i in range(14):
        assigned = first + timedelta(days=rng.randint(0, 10))
        due = assigned + timedelta(days=rng.randint(5, 18))
        kind = rng.choices(["on_time", "late", "overdue", "cancelled", "no_due"],
                           [6, 2, 1.2, 0.3, 0.3])[0]
        hostile = (dept, month, i) == (DEPARTMENTS[0], "2026-09", 0)
        if hostile:
            kind = "overdue"  # listed in sheet "Quá hạn" and section IV
        done = status = None
        if kind == "on_time":
            done, status = due - timedelta(days=rng.randint(0, 3)), "Hoàn thành"
        elif kind == "late":
            done, status = due + timedelta(days=rng.randint(1, 9)), "Hoàn thành"
        elif kind == "cancelled":
            status = "Đã hủy"
        else:
            status = "Đang thực hiện"
        others = [d for d in DEPARTMENTS if d != dept]
        coord = rng.choice(["", "", others[0], f"{others[0]}; {others[1]}"])
        rows.append(task(f"{dept.split()[-1][:2].upper()}-{start + i:04d}",
                         lead_dept=dept, assigned=assigned.isoformat(),
                         due=None if kind == "no_due" else due.isoformat(),
                         done=done.isoformat() if done else None, status=status,
                         coord_depts=coord, person=rng.choice(PEOPLE[dept]),
                         title=HOSTILE if hostile else f"Hỗ trợ đối tượng số {start + i}"))
    return rows


def _as_typed(data: bytes) -> bytes:
    """The workbook with every text cell stored as text, as a user types it: a title
    starting with "=" is text in the log, not a formula."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """Three departments, August to October 2026; Phòng Hành chính never sent October."""
    url = f"sqlite:///{tmp_path_factory.mktemp('brief') / 'ctxh.sqlite'}"
    store = open_store(url)
    rng = random.Random(20261031)
    for m, month in enumerate(("2026-08", "2026-09", "2026-10")):
        for d, dept in enumerate(DEPARTMENTS):
            if (dept, month) == ("Phòng Hành chính", "2026-10"):
                continue
            rows = _month_rows(dept, month, rng, 100 * m + 1000 * d)
            outcome = store.import_upload(dept, month, f"{month}.xlsx", _as_typed(workbook(rows)),
                                          "Trưởng phòng")
            assert outcome.status == "stored", outcome.problems
    store.close()
    return url


def _report(db: str, tmp_path, fmt: str, first="2026-09", last="2026-10", as_of=AS_OF,
            extra=()) -> tuple[int, bytes | None, str]:
    out = tmp_path / f"brief.{fmt}"
    stdout, stderr = io.StringIO(), io.StringIO()
    args = ["report", "--as-of", as_of.isoformat(), "--from", first, "--format", fmt,
            "--out", str(out), "--db", db, *extra]
    if last:
        args += ["--to", last]
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(args)
    return code, (out.read_bytes() if out.exists() else None), stderr.getvalue()


@pytest.fixture(scope="module")
def expected(db) -> dict:
    store = open_store(db)
    report = compute_report(store.consolidated_tasks(), AS_OF, "2026-09", "2026-10",
                            store.consolidated_contributions())
    store.close()
    return report


@pytest.fixture(scope="module")
def files(db, tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("out")
    result = {}
    for fmt in ("docx", "xlsx"):
        code, data, err = _report(db, folder, fmt)
        assert code == 0, err
        result[fmt] = data
    return result


# --- the Excel brief ------------------------------------------------------------------------

SHEET_COLUMNS = ["Số nhiệm vụ", "Đúng hạn", "Trễ hạn", "Quá hạn", "Đang thực hiện",
                 "Không có hạn", "Tỷ lệ đúng hạn", "Tỷ lệ hoàn thành", "NV phối hợp",
                 "Tỷ lệ đúng hạn khi phối hợp"]
KEYS = ["tasks", "on_time", "late", "overdue", "open", "no_deadline", "on_time_rate",
        "completion_rate", "coord_tasks", "coord_on_time_rate"]


def _book(files):
    return openpyxl.load_workbook(io.BytesIO(files["xlsx"]))


def _same(actual, wanted) -> bool:
    if wanted is None:
        return actual is None
    if isinstance(wanted, float):
        return isinstance(actual, (int, float)) and math.isclose(actual, wanted, abs_tol=1e-12)
    return type(actual) is int and actual == wanted


def test_excel_sheets_and_columns_section_7_1(files):
    book = _book(files)
    assert book.sheetnames == ["Tổng hợp", "Phòng ban", "Cá nhân", "Ma trận phối hợp",
                               "Quá hạn", "Biểu dương - Nhắc nhở", "Nộp báo cáo"]
    assert [c.value for c in book["Phòng ban"][1]] == ["Phòng", *SHEET_COLUMNS]
    assert [c.value for c in book["Cá nhân"][1]] == ["Người", "Phòng", *SHEET_COLUMNS]
    for name in book.sheetnames:
        sheet = book[name]
        assert sheet.freeze_panes, name
        assert sheet.auto_filter.ref, name


def test_department_and_person_figures_equal_the_engine(files, expected):
    book = _book(files)
    for sheet, key, skip in (("Phòng ban", "departments", 1), ("Cá nhân", "people", 2)):
        rows = {r[0]: r for r in book[sheet].iter_rows(min_row=2, values_only=True)}
        assert set(rows) == {m["name"] for m in expected[key]}, sheet
        for member in expected[key]:
            values = rows[member["name"]][skip:]
            for k, value in zip(KEYS, values):
                assert _same(value, member[k]), (sheet, member["name"], k, value, member[k])


def test_rates_are_fractions_with_a_percent_format_and_no_formula_anywhere(files):
    book = _book(files)
    rate_columns = [i for i, c in enumerate(book["Phòng ban"][1]) if c.value.startswith("Tỷ lệ")]
    for row in book["Phòng ban"].iter_rows(min_row=2):
        for i in rate_columns:
            if row[i].value is not None:
                assert 0 <= row[i].value <= 1 and "%" in row[i].number_format
    with zipfile.ZipFile(io.BytesIO(files["xlsx"])) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                xml = package.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


def test_hostile_title_stays_inert_text_and_dates_are_dates(files):
    sheet = _book(files)["Quá hạn"]
    header = [c.value for c in sheet[1]]
    title, due = header.index("Nội dung nhiệm vụ"), header.index("Hạn hoàn thành")
    rows = list(sheet.iter_rows(min_row=2))
    assert rows, "the fixture has overdue tasks"
    for row in rows:
        assert row[due].is_date and row[due].number_format == "dd/mm/yyyy"
        assert not str(row[title].value).startswith("=")
    hostile = [r[title] for r in rows if "HYPERLINK" in str(r[title].value)]
    assert len(hostile) == 1
    assert hostile[0].value == "'" + HOSTILE and hostile[0].data_type == "s"


def test_overdue_sheet_is_oldest_first(files):
    sheet = _book(files)["Quá hạn"]
    header = [c.value for c in sheet[1]]
    due = [r[header.index("Hạn hoàn thành")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert due == sorted(due)


def test_every_listed_name_meets_the_thresholds_section_3_6(files, expected):
    t = Thresholds()
    sheet = _book(files)["Biểu dương - Nhắc nhở"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in header}
    listed = {"Biểu dương": set(), "Nhắc nhở": set()}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        minimum = t.min_tasks_dept if row[col["Đối tượng"]] == "Phòng" else t.min_tasks_person
        roles = [(row[col["Chủ trì: đến hạn"]], row[col["Tỷ lệ đúng hạn khi chủ trì"]]),
                 (row[col["Phối hợp: đến hạn"]], row[col["Tỷ lệ đúng hạn khi phối hợp"]])]
        enough = [(n, r) for n, r in roles if n >= minimum]
        lead_overdue, past_due = row[col["Chủ trì: quá hạn"]], row[col["Phối hợp: quá hạn"]]
        if row[col["Danh sách"]] == "Biểu dương":
            assert enough and all(r >= t.praise_min_rate for _, r in enough), row
            assert lead_overdue == 0 and past_due == 0, row
        else:
            assert (any(r < t.reminder_below_rate for _, r in enough) or lead_overdue >= 2
                    or past_due >= 2), row
        listed[row[col["Danh sách"]]].add((row[col["Đối tượng"]], row[col["Tên"]]))
        # the lead counts are the engine's
        key = "departments" if row[col["Đối tượng"]] == "Phòng" else "people"
        member = next(m for m in expected[key] if m["name"] == row[col["Tên"]])
        assert row[col["Chủ trì: đúng hạn"]] == member["on_time"]
        assert row[col["Chủ trì: quá hạn"]] == member["overdue"]
        assert row[col["Số nhiệm vụ liên quan"]] == len(row[col["Mã nhiệm vụ liên quan"]].split("; "))
    assert not listed["Biểu dương"] & listed["Nhắc nhở"]
    assert listed["Biểu dương"] or listed["Nhắc nhở"]


def test_submissions_sheet_names_the_missing_month(files):
    rows = list(_book(files)["Nộp báo cáo"].iter_rows(min_row=2, values_only=True))
    status = {(r[0], r[1]): r[2] for r in rows}
    # October's logs are due on 05/11: not yet missing on 31/10
    assert status[("Phòng Hành chính", "10/2026")] == "Chưa đến hạn nộp"
    assert status[("Phòng Tư vấn", "09/2026")] in ("Đúng hạn", "Nộp muộn")


# --- the Word brief ----------------------------------------------------------------------------

def _doc(files):
    return docx.Document(io.BytesIO(files["docx"]))


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_word_page_is_a4_with_the_decree_margins(files):
    section = _doc(files).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    assert Mm(20) - Mm(0.2) <= section.top_margin <= Mm(25) + Mm(0.2)
    assert Mm(20) - Mm(0.2) <= section.bottom_margin <= Mm(25) + Mm(0.2)
    assert Mm(30) - Mm(0.2) <= section.left_margin <= Mm(35) + Mm(0.2)
    assert Mm(15) - Mm(0.2) <= section.right_margin <= Mm(20) + Mm(0.2)
    assert section.different_first_page_header_footer
    # page numbers from page 2: a PAGE field in the default header, none on page 1
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_word_uses_times_new_roman_only(files):
    with zipfile.ZipFile(io.BytesIO(files["docx"])) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                xml = package.read(name).decode("utf-8")
                assert "Cambria" not in xml and "Calibri" not in xml, name
                for fonts in re.findall(r"<w:rFonts [^>]*>", xml):
                    names = set(re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"', fonts))
                    assert names <= {L.FONT}, (name, fonts)
                    assert "Theme" not in fonts, (name, fonts)
        assert not [n for n in package.namelist() if "theme" in n]
    document = _doc(files)
    for paragraph in _all_paragraphs(document):
        for run in paragraph.runs:
            assert run.font.name == L.FONT, run.text
    assert document.styles["Normal"].font.name == L.FONT


def test_word_header_block_date_line_and_title(files):
    document = _doc(files)
    header = document.tables[0]
    left = [p.text for p in header.cell(0, 0).paragraphs if p.text]
    right = [p for p in header.cell(0, 1).paragraphs if p.text]
    assert left[0] == "SỞ Y TẾ THÀNH PHỐ ĐÀ NẴNG"
    assert left[1] == "TRUNG TÂM CÔNG TÁC XÃ HỘI" and header.cell(0, 0).paragraphs[1].runs[0].bold
    assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and right[0].runs[0].bold
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc" and right[1].runs[0].bold
    # a rule under the motto: the paragraph after it has a bottom border
    motto_rule = header.cell(0, 1).paragraphs[2]._p.xml
    assert "w:pBdr" in motto_rule and "w:bottom" in motto_rule
    assert re.fullmatch(r"Số:\s+/BC-TTCTXH", header.cell(1, 0).text.strip())
    date_line = header.cell(1, 1).paragraphs[0]
    assert date_line.runs[0].italic
    today = date.today()
    day = f"{today.day:02d}" if today.day < 10 else str(today.day)
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)
    assert date_line.text == f"Đà Nẵng, ngày {day} tháng {month} năm {today.year}"
    texts = [p.text for p in document.paragraphs]
    title = texts.index("BÁO CÁO")
    assert document.paragraphs[title].runs[0].bold
    assert texts[title + 1].startswith("Kết quả thực hiện nhiệm vụ và công tác phối hợp "
                                       "từ tháng 9 đến tháng 10 năm 2026")
    for heading in ("I. Kết quả thực hiện nhiệm vụ", "II. Đánh giá",
                    "III. Đề xuất biểu dương, nhắc nhở", "IV. Nhiệm vụ quá hạn cần chỉ đạo",
                    "V. Phòng chưa nộp báo cáo"):
        assert heading in texts


def test_word_body_text_is_14_pt_justified_with_first_line_indent(files):
    document = _doc(files)
    normal = document.styles["Normal"]
    assert normal.font.size.pt == L.BODY_PT
    fmt = normal.paragraph_format
    assert fmt.first_line_indent.cm == pytest.approx(L.FIRST_LINE_INDENT_CM, abs=0.01)
    assert fmt.space_after.pt == L.SPACE_AFTER_PT
    body = [p for p in document.paragraphs
            if p.text.startswith("Từ tháng 9 đến tháng 10 năm 2026, Trung tâm theo dõi")]
    assert len(body) == 1 and body[0].runs[0].font.size.pt == L.BODY_PT
    assert body[0].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body[0].paragraph_format.first_line_indent.cm == pytest.approx(
        L.FIRST_LINE_INDENT_CM, abs=0.01)


def test_word_recipients_block(files):
    document = _doc(files)
    signature = document.tables[-1]
    paragraphs = [p for p in signature.cell(0, 0).paragraphs if p.text]
    label = paragraphs[0]
    assert label.text == "Nơi nhận:"
    assert label.runs[0].bold and label.runs[0].italic and label.runs[0].font.size.pt == 12
    assert all(p.runs[0].font.size.pt == 11 for p in paragraphs[1:])
    assert paragraphs[-1].text.startswith("- Lưu: VT")
    title = [p for p in signature.cell(0, 1).paragraphs if p.text][0]
    assert title.text == "GIÁM ĐỐC" and title.runs[0].bold


def test_word_has_a_chart_image(files):
    document = _doc(files)
    assert len(document.inline_shapes) >= 1
    images = [p for p in document.part.package.parts if p.content_type == "image/png"]
    assert images and all(len(p.blob) > 5000 for p in images)


def test_word_department_table_row_per_department(files, expected):
    document = _doc(files)
    table = next(t for t in document.tables if t.cell(0, 1).text == "Phòng")
    rows = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[2:]}
    for member in expected["departments"]:
        cells = rows[member["name"]]
        assert format_number(member["tasks"]) in cells
        assert format_percent(member["on_time_rate"]) in cells
        assert format_percent(member["completion_rate"]) in cells
    overall = rows["Toàn Trung tâm"]
    assert len(rows) == len(expected["departments"]) + 1  # every known one has data here
    assert format_number(expected["overall"]["tasks"]) in overall
    assert format_percent(expected["overall"]["on_time_rate"]) in overall


def test_word_four_way_line_and_missing_reports(files, expected):
    text = "\n".join(p.text for p in _doc(files).paragraphs)
    o = expected["overall"]
    done, due = o["on_time"] + o["late"], o["on_time"] + o["late"] + o["overdue"]
    assert (f"{format_number(done)}/{format_number(due)} nhiệm vụ đến hạn đã hoàn thành, đạt "
            f"{format_percent(o['completion_rate'])} (đúng hạn {format_number(o['on_time'])}, "
            f"trễ hạn {format_number(o['late'])})") in text
    assert f"quá hạn {format_number(o['overdue'])})" in text
    # October's reports, due 05/11: named apart, not as missing
    assert "Chưa đến hạn nộp nên chưa tính là chưa nộp: Phòng Hành chính (tháng 10/2026)" in text
    assert "{" not in text and "}" not in text  # no template blanks
    cells = "\n".join(p.text for p in _all_paragraphs(_doc(files)))
    assert HOSTILE in cells  # the Word brief shows the title as the text it is


# --- the command ---------------------------------------------------------------------------

def test_report_invalid_periods_exit_2(db, tmp_path):
    for first, last, as_of in (("2026-10", "2026-09", AS_OF), ("2026-11", None, AS_OF)):
        code, data, err = _report(db, tmp_path, "xlsx", first, last, as_of)
        assert code == 2 and data is None and err
    with pytest.raises(SystemExit) as stop:
        _report(db, tmp_path, "xlsx", "2026-13", None)
    assert stop.value.code == 2


def test_report_without_to_runs_to_the_last_month_not_after_as_of(db, tmp_path):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["report", "--as-of", "2026-09-30", "--from", "2026-08", "--format", "xlsx",
                     "--out", str(tmp_path / "b.xlsx"), "--db", db])
    assert code == 0
    assert json.loads(out.getvalue())["period"] == {"from": "2026-08", "to": "2026-09"}


def test_report_single_month_and_partial_period(db, tmp_path):
    code, data, err = _report(db, tmp_path, "xlsx", "2026-10", "2026-10")
    assert code == 0, err
    code, data, err = _report(db, tmp_path, "docx", "2026-10", "2026-12", as_of=date(2026, 10, 15))
    assert code == 0, err
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "tính đến ngày 15/10/2026" in text


def test_report_is_audited_with_hashes_and_counts_only(db, tmp_path):
    import hashlib
    code, data, _ = _report(db, tmp_path, "docx", extra=["--user", "Giám đốc"])
    assert code == 0
    entry = open_store(db).audit_log(5)[0]
    assert entry["action"] == "export" and entry["user"] == "Giám đốc"
    details = entry["details"]
    assert details["what"] == "brief" and details["format"] == "docx"
    assert details["sha256"] == hashlib.sha256(data).hexdigest()
    assert "Hỗ trợ" not in json.dumps(details, ensure_ascii=False)


@pytest.mark.skipif(not shutil.which("libreoffice") or not shutil.which("pdffonts"),
                    reason="LibreOffice and poppler render the brief (Debian packages)")
def test_word_renders_with_the_serif_font_only(files, tmp_path):
    """Rendered to PDF (LibreOffice), every text glyph comes from Times New Roman or its
    metric twin Liberation Serif: no fallback font was needed for a Vietnamese letter."""
    source = tmp_path / "brief.docx"
    source.write_bytes(files["docx"])
    subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(source)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(tmp_path)})
    fonts = subprocess.run(["pdffonts", str(tmp_path / "brief.pdf")], check=True,
                           capture_output=True, text=True).stdout.splitlines()[2:]
    names = {line.split()[0].split("+")[-1].split("-")[0] for line in fonts if line.strip()}
    assert names and names <= {"LiberationSerif", "TimesNewRomanPSMT", "TimesNewRoman",
                               "TimesNewRomanPS"}, names


def test_report_needs_an_active_account_once_accounts_exist(db, tmp_path):
    """SPEC §5: once any account exists, `report` needs --user naming an active account and
    applies its role (a head gets only their own department's part, §8)."""
    from page_helpers import add_account

    copy = tmp_path / "accounts.sqlite"
    shutil.copyfile(db.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    store = open_store(url)
    add_account(store, "Giám đốc", "director")
    add_account(store, "Trưởng phòng HC", "dept_head", department="Phòng Hành chính")
    store.close()
    code, data, err = _report(url, tmp_path, "xlsx")
    assert code == 1 and data is None and err.strip()
    code, data, err = _report(url, tmp_path, "xlsx", extra=["--user", "Người lạ"])
    assert code == 1 and data is None and err.strip()
    code, data, err = _report(url, tmp_path, "xlsx", extra=["--user", "Giám đốc"])
    assert code == 0, err
    assert len(openpyxl.load_workbook(io.BytesIO(data))["Phòng ban"]["A"]) > 2
    code, data, err = _report(url, tmp_path, "xlsx", extra=["--user", "Trưởng phòng HC"])
    assert code == 0, err
    names = [c.value for c in openpyxl.load_workbook(io.BytesIO(data))["Phòng ban"]["A"][1:]]
    assert set(names) == {"Phòng Hành chính"}
