"""The catalogue and settings as an Excel workbook (SPEC §6): the round trip, the checks
of an imported file (the same whole-file refusals as an upload), and a catalogue change
taking effect in the next validation, the template and the figures without rewriting a
stored upload."""

from __future__ import annotations

import io
import pickle

import openpyxl
import pytest

from analysis import messages
from analysis.catalogue_workbook import (
    CatalogueRead,
    build_catalogue_workbook,
    check_departments,
    check_roster,
    read_uploaded_catalogue,
)
from analysis.model import ReadSettings
from analysis.settings import SETTING_BY_KEY, SETTINGS
from analysis.store.catalogue import DEFAULT_SETTINGS
from store_helpers import sqlite_store, task, workbook
from workbooks import rezip, xlsx

DEPARTMENTS = [{"name": "Phòng Tư vấn - Tham vấn", "short_code": "TVTV"},
               {"name": "Phòng Công tác xã hội", "short_code": "007"},
               {"name": "=Phòng có dấu bằng", "short_code": None}]
ROSTER = [{"name": "Lê Thị Hoa", "department": "Phòng Tư vấn - Tham vấn", "position": "Trưởng phòng"},
          {"name": "Nguyễn Văn An", "department": "Phòng Công tác xã hội", "position": None},
          {"name": "-Trần Bình", "department": None, "position": "+Cộng tác viên"}]
SETTINGS_VALUES = {**DEFAULT_SETTINGS, "praise_min_rate": 0.925, "row_limit": 2500,
                   "max_upload_bytes": 10 * 1024 * 1024, "brief_signer_name": "Nguyễn Thị Lan"}


def sheet_rows(data: bytes, title: str) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[c.value for c in row] for row in book[title].iter_rows()]


def test_the_catalogue_round_trips_through_excel():
    data = build_catalogue_workbook(DEPARTMENTS, ROSTER, SETTINGS_VALUES)
    read = read_uploaded_catalogue(data)
    assert read.ok and read.problems == []
    assert read.departments == [(d["name"], d["short_code"]) for d in DEPARTMENTS]
    assert read.roster == [(p["name"], p["department"], p["position"]) for p in ROSTER]
    assert read.settings == SETTINGS_VALUES
    pickle.loads(pickle.dumps(read))  # picklable: it can come back from a child process


def test_the_exported_workbook_is_text_never_formulas():
    data = build_catalogue_workbook(DEPARTMENTS, ROSTER, SETTINGS_VALUES)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Phòng ban", "Cán bộ", "Thiết lập"]
    cell = book["Phòng ban"]["A4"]
    assert cell.value == "=Phòng có dấu bằng" and cell.data_type == "s"
    assert book["Phòng ban"]["B3"].value == "007"  # a code stays text
    settings = {row[0]: row[2] for row in sheet_rows(data, "Thiết lập")[1:]}
    assert settings["praise_min_rate"] == 92.5 and settings["max_upload_bytes"] == 10
    assert set(settings) == set(DEFAULT_SETTINGS)
    assert book["Cán bộ"].data_validations.dataValidation[0].formula1.startswith("'Phòng ban'!")


def test_the_store_round_trip(tmp_path):
    store = sqlite_store(tmp_path)
    store.set_catalogue(DEPARTMENTS, ROSTER, {"row_limit": 2500}, actor="Quản trị")
    data = build_catalogue_workbook(store.department_rows(), store.roster(), store.settings())
    other = sqlite_store(tmp_path / "other")
    read = read_uploaded_catalogue(data)
    other.set_catalogue(read.departments, read.roster, read.settings, actor="Quản trị")
    assert other.department_rows() == store.department_rows()
    assert other.roster() == store.roster()
    assert other.settings() == store.settings()


def test_headers_are_found_like_task_log_headers_and_absent_sheets_are_kept():
    data = xlsx({"Sheet1": [["DANH MỤC PHÒNG BAN"], [], ["STT", "TEN PHONG BAN", "Ký hiệu"],
                            [1, "Phòng A", "A"], [2, "Phòng B", 12], [None, None, None]]})
    read = read_uploaded_catalogue(data)
    assert read.ok and read.departments == [("Phòng A", "A"), ("Phòng B", "12")]
    assert read.roster is None and read.settings is None  # not in the file: left as they are


def test_problems_name_the_row_and_block_the_import():
    data = xlsx({
        "Phòng ban": [["Tên phòng", "Mã viết tắt"], ["Phòng Tư vấn", "TV"], ["phòng tư vấn", "X"],
                      [None, "Y"], ["Phòng Hành chính", "tv"]],
        "Cán bộ": [["Họ và tên", "Phòng", "Chức vụ"], ["Hoa", "Phòng Tư vấn tâm lý", None],
                   [None, "Phòng Tư vấn", "Cán bộ"], ["An", "phòng tư vấn", None],
                   ["An", "Phòng Tư vấn", "Trùng"]],
        "Thiết lập": [["Mã thiết lập", "Nội dung", "Giá trị"], ["praise_min_rate", "", "cao"],
                      ["khong_co", "", 1], ["login_lock_minutes", "", 0]],
    })
    read = read_uploaded_catalogue(data)
    assert not read.ok
    found = {(p.row, p.field): p for p in read.problems}
    assert "trùng với dòng 2" in found[(3, "department")].message
    assert "Thiếu tên phòng" in found[(4, "department")].message
    assert "Mã viết tắt “tv” bị trùng với dòng 2" in found[(5, "short_code")].message
    assert "Có phải là “Phòng Tư vấn”?" in found[(2, "person_department")].message
    assert "Thiếu họ và tên" in found[(3, "person")].message
    assert "bị trùng với dòng 4" in found[(5, "person")].message
    assert "phải là một số" in found[(2, "setting")].message
    assert found[(3, "setting")].severity == "warning"
    assert "phải từ 1 đến 1440" in found[(4, "setting")].message
    assert read.roster == [("An", "Phòng Tư vấn", None)]  # the catalogue's spelling


def test_settings_rules_between_values():
    data = xlsx({"Thiết lập": [["Mã thiết lập", "Giá trị"], ["praise_min_rate", "60"],
                               ["reminder_below_rate", "75,5"]]})
    read = read_uploaded_catalogue(data)
    assert any("không được cao hơn ngưỡng biểu dương" in p.message for p in read.errors)


@pytest.mark.parametrize("data, message", [
    (b"just some text\x00\x01", None),
    (b"PK\x03\x04 truncated zip", messages.CORRUPT),
    ("Tên phòng;Mã\nPhòng A;A\n".encode(), "phải là bảng tính Excel"),
])
def test_untrusted_files_get_the_upload_refusals(data, message):
    read = read_uploaded_catalogue(data)
    assert not read.ok and len(read.problems) == 1 and read.problems[0].row is None
    if message:
        assert message in read.problems[0].message


def test_a_workbook_with_macros_or_too_large_is_refused():
    good = build_catalogue_workbook(DEPARTMENTS, ROSTER, DEFAULT_SETTINGS)
    macros = rezip(good, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"})
    assert read_uploaded_catalogue(macros).problems[0].message == messages.MACROS
    small = ReadSettings(max_bytes=1000)
    assert "quá" in read_uploaded_catalogue(good, limits=small).problems[0].message.lower()


def test_a_sheet_named_like_the_catalogue_without_its_header_says_so():
    read = read_uploaded_catalogue(xlsx({"Cán bộ": [["Tên", "Phòng"], ["x", "phòng a"]],
                                         "Phòng ban": [["Tên phòng"], ["Phòng A"]]}))
    assert read.departments == [("Phòng A", None)]
    assert read.roster == [("x", "Phòng A", None)]  # "Tên" is an accepted variant of "Họ và tên"
    read = read_uploaded_catalogue(xlsx({"Cán bộ": [["Người", "Đơn vị"], ["x", "y"]]}))
    assert not read.ok and "thiếu cột “Họ và tên”" in read.problems[0].message


def test_tables_typed_on_the_page_follow_the_same_rules():
    departments, problems = check_departments([("Phòng A", "A"), (None, None), ("phòng a", "")])
    assert departments == [("Phòng A", "A")] and problems[0].row == 3
    roster, problems = check_roster([("Hoa", "phong a", None), ("Lan", "Phòng X", None)],
                                    ["Phòng A"])
    assert roster == [("Hoa", "Phòng A", None)] and problems[0].row == 2
    assert check_departments([])[0] == []


def test_every_setting_is_described_and_parsed_as_typed():
    assert {s.key for s in SETTINGS} == set(DEFAULT_SETTINGS)
    rate = SETTING_BY_KEY["praise_min_rate"]
    assert rate.parse("92,5 %") == 0.925 and rate.shown(0.925) == 92.5
    assert SETTING_BY_KEY["max_upload_bytes"].parse(10) == 10 * 1024 * 1024
    with pytest.raises(ValueError, match="số nguyên"):
        SETTING_BY_KEY["row_limit"].parse(12.5)
    with pytest.raises(ValueError, match="từ 1 đến 25 MB"):
        SETTING_BY_KEY["max_upload_bytes"].parse(26)
    assert CatalogueRead().ok is False  # an empty read imports nothing


# --- a catalogue change takes effect, and never rewrites a stored upload (SPEC §6) -----------

def test_a_catalogue_change_applies_to_the_next_validation_and_not_to_stored_uploads(tmp_path):
    from analysis.template import build_template

    store = sqlite_store(tmp_path)
    log = workbook([task("T1", lead_dept="Phòng Tư vấn tâm lý")])
    assert store.import_upload("center", "2026-10", "t.xlsx", log, "Kiểm thử").status == "stored"
    stored = store.consolidated_tasks()[["task_id", "lead_dept"]].values.tolist()
    before = store.history()

    store.set_catalogue(departments=[("Phòng Tư vấn", "TV"), ("Phòng Hành chính", "HC")],
                        roster=[("Lê Thị Hoa", "Phòng Tư vấn", None)], actor="Quản trị")
    preview = store.preview("center", "2026-11", "t.xlsx", log)
    lead = [p for p in preview.read.errors if p.field == "lead_dept"]
    assert lead and "Có phải là “Phòng Tư vấn”?" in lead[0].message
    assert any(p.field == "lead_person" for p in preview.read.warnings)  # not in the roster
    # the stored upload and the figures' rows are what was uploaded
    assert store.history() == before
    assert store.consolidated_tasks()[["task_id", "lead_dept"]].values.tolist() == stored

    template = openpyxl.load_workbook(io.BytesIO(build_template(store.departments(),
                                                                store.people())))
    lists = [c.value for c in template["Danh mục"]["A"] if c.value]
    assert lists[1:] == ["Phòng Tư vấn", "Phòng Hành chính"]


def test_an_uploaded_catalogue_is_read_in_the_limited_child(monkeypatch):
    """SPEC §2.3: the catalogue import is untrusted bytes too. The .xls that once made
    calamine abort the whole process is a refused file here, and the next file reads."""
    from analysis import sandbox
    from workbooks import task as log_task
    from workbooks import task_table, xls

    if not sandbox.SUPPORTED:
        pytest.skip("no fork: no sandbox")
    calls = []
    real_run = sandbox.run
    monkeypatch.setattr(sandbox, "run", lambda *a, **k: calls.append(a[0]) or real_run(*a, **k))
    broken = bytearray(xls(task_table(log_task())))  # the bytes of test_browser's file
    broken[1577], broken[2200], broken[3375] = 44, 237, 174  # calamine aborts on it
    read = read_uploaded_catalogue(bytes(broken))
    assert [(p.row, p.message) for p in read.problems] == [(None, messages.CHILD_FAILED)]
    assert read.departments is None and read.roster is None
    assert calls == ["analysis.catalogue_workbook:read_catalogue_workbook"]
    good = read_uploaded_catalogue(build_catalogue_workbook(DEPARTMENTS, ROSTER, {}))
    assert good.departments is not None and len(good.departments) == 3
