"""The Excel template (SPEC §2.1, §2.2; §4.6 for text that looks like a formula)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from analysis.cli import main
from analysis.fields import (
    CONTRIBUTION_FIELDS,
    CONTRIBUTION_RATINGS,
    SERVICE_TYPES,
    TASK_FIELDS,
    TEMPLATE_STATUSES,
)
from analysis.model import ReadSettings
from analysis.reading import read_task_log
from analysis.template import LISTS_SHEET, build_template

DEPARTMENTS = ["Phòng Tư vấn - Tham vấn", "Phòng Can thiệp - Phục hồi"]
PEOPLE = ["Nguyễn Thị Lan", "Trần Văn Nam"]
TASK_HEADERS = [f.header for f in TASK_FIELDS]


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _column(name: str, fields=TASK_FIELDS) -> str:
    index = [f.name for f in fields].index(name)
    return openpyxl.utils.get_column_letter(index + 1)


def _list_rule(ws, column: str):
    """The list validation on the data cells of `column`, or None."""
    for rule in ws.data_validations.dataValidation:
        if rule.type == "list" and f"{column}2" in rule.sqref:
            return rule
    return None


def _list_values(book, rule) -> list[str]:
    """Resolve a rule's `'Danh mục'!$C$2:$C$7` source to the values it offers."""
    sheet, _, cells = rule.formula1.rpartition("!")
    ws = book[sheet.strip("'")]
    return [row[0].value for row in ws[cells.replace("$", "")]]


@pytest.fixture(scope="module")
def template() -> bytes:
    return build_template(DEPARTMENTS, PEOPLE)


def test_sheets_and_hidden_lists(template):
    book = _book(template)
    assert book.sheetnames == ["Nhiệm vụ", "Phối hợp", "Hướng dẫn", LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    assert book.active.title == "Nhiệm vụ"


def test_task_headers_bold_frozen_wrapped(template):
    ws = _book(template)["Nhiệm vụ"]
    assert [c.value for c in ws[1]] == TASK_HEADERS
    assert all(c.font.bold and c.alignment.wrap_text for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions[_column("title")].width >= 40


def test_contribution_sheet_headers(template):
    ws = _book(template)["Phối hợp"]
    assert [c.value for c in ws[1]] == [f.header for f in CONTRIBUTION_FIELDS]
    assert ws.freeze_panes == "A2"


def test_dropdowns_offer_the_right_lists(template):
    book = _book(template)
    tasks, contributions = book["Nhiệm vụ"], book["Phối hợp"]
    assert _list_values(book, _list_rule(tasks, _column("service"))) == list(SERVICE_TYPES)
    assert _list_values(book, _list_rule(tasks, _column("status"))) == list(TEMPLATE_STATUSES)
    dept_rule = _list_rule(tasks, _column("lead_dept"))
    assert _list_values(book, dept_rule) == DEPARTMENTS
    assert dept_rule.errorStyle == "stop"
    person_rule = _list_rule(tasks, _column("lead_person"))
    assert _list_values(book, person_rule) == PEOPLE
    assert person_rule.errorStyle == "warning"  # a name outside the roster is only a warning
    rating_rule = _list_rule(contributions, _column("rating", CONTRIBUTION_FIELDS))
    assert _list_values(book, rating_rule) == list(CONTRIBUTION_RATINGS)
    coord_rule = _list_rule(contributions, _column("coord_dept", CONTRIBUTION_FIELDS))
    assert _list_values(book, coord_rule) == DEPARTMENTS
    assert _list_rule(tasks, _column("coord_depts")) is None  # a list cell: "A; B"
    assert _list_rule(tasks, _column("task_id")) is None  # ids are typed freely


def test_no_department_dropdown_without_catalogue():
    book = _book(build_template())
    assert _list_rule(book["Nhiệm vụ"], _column("lead_dept")) is None
    assert _list_rule(book["Nhiệm vụ"], _column("lead_person")) is None
    assert _list_rule(book["Nhiệm vụ"], _column("service")) is not None


def test_long_department_list_goes_through_the_hidden_sheet():
    names = [f"Phòng số {i} - Trung tâm Công tác xã hội, cơ sở {i}" for i in range(40)]
    book = _book(build_template(names))
    rule = _list_rule(book["Nhiệm vụ"], _column("lead_dept"))
    assert _list_values(book, rule) == names  # commas in names survive; >255 characters


def test_date_and_id_formats(template):
    book = _book(template)
    ws = book["Nhiệm vụ"]
    for field in ("assigned_date", "due_date", "original_due_date", "done_date"):
        assert ws.column_dimensions[_column(field)].number_format == "dd/mm/yyyy"
    assert ws.column_dimensions[_column("task_id")].number_format == "@"
    date_rules = [r for r in ws.data_validations.dataValidation if r.type == "date"]
    assert len(date_rules) == 1
    covered = str(date_rules[0].sqref)
    for field in ("assigned_date", "due_date", "original_due_date", "done_date"):
        assert f"{_column(field)}2:{_column(field)}501" in covered
    contribution_dates = book["Phối hợp"].column_dimensions[
        _column("contrib_due_date", CONTRIBUTION_FIELDS)]
    assert contribution_dates.number_format == "dd/mm/yyyy"


def test_instruction_sheet_in_vietnamese(template):
    ws = _book(template)["Hướng dẫn"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for phrase in ("Mỗi dòng là một nhiệm vụ", "dd/mm/yyyy", "dấu chấm phẩy (;)", "Chủ trì:",
                   "Phối hợp:", "Không sửa", "Bắt buộc", "Đang thực hiện", "Cần hỗ trợ"):
        assert phrase in text
    for field in TASK_FIELDS:
        assert field.header in text


def test_formula_like_names_stay_text():
    """SPEC §4.6: a catalogue name starting with = must never become a formula."""
    data = build_template(["=HYPERLINK(\"http://x\",\"y\")", "+Phòng A", "Phòng B"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist()
                       if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    book = _book(data)
    rule = _list_rule(book["Nhiệm vụ"], _column("lead_dept"))
    assert _list_values(book, rule) == ["=HYPERLINK(\"http://x\",\"y\")", "+Phòng A", "Phòng B"]


def test_template_bytes_are_stable():
    assert build_template(DEPARTMENTS, PEOPLE) == build_template(DEPARTMENTS, PEOPLE)


def _filled(template: bytes) -> bytes:
    """The template filled in as a department head would: text and real dates, `007`."""
    book = _book(template)
    ws = book["Nhiệm vụ"]
    rows = [
        ["007", "Tư vấn tâm lý cho trẻ em (hồ sơ TE-0412)", "Tư vấn - Tham vấn",
         "Phòng Tư vấn - Tham vấn", "Nguyễn Thị Lan", "Phòng Can thiệp - Phục hồi",
         "Trần Văn Nam", "05/11/2026", "20/11/2026", None, "18/11/2026", "Hoàn thành", None],
        ["TV-2026-008", "Tham vấn gia đình (hồ sơ GĐ-0231)", "Tư vấn - Tham vấn",
         "Phòng Tư vấn - Tham vấn", "Nguyễn Thị Lan", None, None,
         datetime(2026, 11, 6), datetime(2026, 11, 30), datetime(2026, 11, 16), None,
         "Đang thực hiện", "Gia hạn"],
    ]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    book["Phối hợp"].append(["007", "Phòng Can thiệp - Phục hồi", "Trần Văn Nam",
                             "15/11/2026", datetime(2026, 11, 14), "Tốt"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_filled_template_reads_back_without_errors(template):
    settings = ReadSettings(departments=tuple(DEPARTMENTS), people=tuple(PEOPLE),
                            scope_dept="Phòng Tư vấn - Tham vấn")
    result = read_task_log(_filled(template), "mau.xlsx", settings=settings,
                           today=date(2026, 11, 27))
    assert result.ok, result.report()
    assert result.warnings == []
    assert result.sheet == "Nhiệm vụ" and result.header_row == 1
    assert result.ignored_columns == []
    tasks = result.tasks.set_index("task_id")
    assert list(tasks.index) == ["007", "TV-2026-008"]
    assert tasks.loc["007", "assigned_date"] == pd.Timestamp(2026, 11, 5)
    assert tasks.loc["007", "done_date"] == pd.Timestamp(2026, 11, 18)
    assert tasks.loc["007", "status"] == "done"
    assert tasks.loc["007", "coord_depts"] == ("Phòng Can thiệp - Phục hồi",)
    assert tasks.loc["TV-2026-008", "due_date"] == pd.Timestamp(2026, 11, 30)
    assert tasks.loc["TV-2026-008", "original_due_date"] == pd.Timestamp(2026, 11, 16)
    assert tasks.loc["TV-2026-008", "status"] == "open"
    contribution = result.contributions.iloc[0]
    assert contribution["task_id"] == "007" and contribution["rating"] == "Tốt"
    assert contribution["contrib_due_date"] == pd.Timestamp(2026, 11, 15)
    assert contribution["delivered_date"] == pd.Timestamp(2026, 11, 14)


def test_empty_template_has_no_task_rows(template):
    result = read_task_log(template, "mau.xlsx")
    assert result.sheet == "Nhiệm vụ" and result.rows == 0
    assert result.errors == []


def test_template_command_writes_the_file(tmp_path, capsys):
    out = tmp_path / "mau" / "mau_nhiem_vu.xlsx"
    assert main(["template", str(out), "--department", "Phòng Tư vấn - Tham vấn"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    book = openpyxl.load_workbook(out)
    assert [c.value for c in book["Nhiệm vụ"][1]] == TASK_HEADERS
    assert _list_values(book, _list_rule(book["Nhiệm vụ"], _column("lead_dept"))) == [
        "Phòng Tư vấn - Tham vấn"]


def test_the_example_row_is_marked_and_explained(template):
    ws = _book(template)["Nhiệm vụ"]
    row = {f.name: c.value for f, c in zip(TASK_FIELDS, ws[2])}
    assert row["task_id"] == "VD" and "Dòng mẫu" in row["title"] and "không được tính" in row["note"]
    assert all(c.font.italic for c in ws[2])
    guide = "\n".join(str(c.value) for r in _book(template)["Hướng dẫn"].iter_rows() for c in r
                      if c.value)
    assert "dòng mẫu" in guide and "“VD”" in guide and "ngày 5 của tháng sau" in guide
    assert "ngày 10 của tháng sau" in "\n".join(
        str(c.value) for r in _book(build_template(report_deadline_day=10))["Hướng dẫn"].iter_rows()
        for c in r if c.value)


def _filled_below_the_example(template: bytes) -> bytes:
    """A department head fills rows 3.. and leaves the example row (2) in place."""
    book = _book(template)
    ws = book["Nhiệm vụ"]
    ws.append(["TV-1", "Tham vấn gia đình (hồ sơ GĐ-0231)", "Tư vấn - Tham vấn",
               "Phòng Tư vấn - Tham vấn", "Nguyễn Thị Lan", None, None,
               datetime(2026, 11, 6), datetime(2026, 11, 30), None, None, "Đang thực hiện", None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("departments", [DEPARTMENTS, None])
def test_a_filled_template_with_its_example_row_validates_clean(departments):
    """The example row is skipped (listed as skipped), not validated: no error, no warning,
    also when its department is not the uploading one."""
    data = _filled_below_the_example(build_template(departments, PEOPLE if departments else None))
    settings = ReadSettings(departments=tuple(departments or ()), people=tuple(PEOPLE),
                            scope_dept="Phòng Tư vấn - Tham vấn")
    result = read_task_log(data, "mau.xlsx", settings=settings, today=date(2026, 11, 27))
    assert result.ok and result.problems == [], result.report()
    assert list(result.tasks["task_id"]) == ["TV-1"]
    assert result.skipped_rows == [2]


@pytest.mark.parametrize("example_id", ["VD", "vd", "(VD)", "Ví dụ", "Dòng mẫu"])
def test_the_example_marker_is_read_however_it_is_typed(example_id, template):
    book = _book(_filled_below_the_example(template))
    book["Nhiệm vụ"]["A2"] = example_id
    out = io.BytesIO()
    book.save(out)
    result = read_task_log(out.getvalue(), "mau.xlsx", today=date(2026, 11, 27))
    assert list(result.tasks["task_id"]) == ["TV-1"] and 2 in result.skipped_rows


def test_the_example_never_reaches_the_figures(tmp_path, template):
    from analysis.metrics import compute_report
    from analysis.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    outcome = store.import_upload("Phòng Tư vấn - Tham vấn", "2026-11", "t11.xlsx",
                                  _filled_below_the_example(template), "An")
    assert outcome.status == "stored" and outcome.rows == 1, outcome.problems
    tasks = store.consolidated_tasks()
    assert list(tasks["task_id"]) == ["TV-1"]
    report = compute_report(tasks, date(2026, 12, 31))
    assert report["overall"]["tasks"] == 1
    assert "Phòng Can thiệp - Phục hồi" not in {d["name"] for d in report["departments"]}
    store.close()
