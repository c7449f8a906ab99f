"""Page `Nhiệm vụ` (SPEC §7.5): deadline warnings, extensions and reassignments,
filters, and exports that are formula-injection safe (§4.6) and audited (§4.4)."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from analysis.store import open_store
from page_helpers import AS_DIRECTOR, download, open_page, seed_store, task_row, workbook

PAGE = "app_pages/nhiem_vu.py"
AS_OF = date(2026, 11, 5)
INJECTION = '=HYPERLINK("http://x","y")'


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    """October and November logs of one department plus a center upload that hands
    TV-103 to another department (a reassignment); TV-101's deadline moves (an extension)."""
    url = f"sqlite:///{tmp_path / 'ctxh.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    october = [
        task_row(1, "TV-101", due="20/10/2026"),
        task_row(2, "TV-102", due="05/11/2026"),
        task_row(3, "TV-103", title="Hỗ trợ khẩn cấp trẻ em", due="01/11/2026"),
        task_row(4, "TV-104", due="30/11/2026"),
        task_row(5, "TV-105", title=INJECTION, due="25/10/2026", done="20/10/2026",
                 status="Hoàn thành"),
    ]
    store = seed_store(url, october, month="2026-10")
    november = [task_row(1, "TV-101", assigned="01/11/2026", due="12/11/2026"),
                task_row(2, "TV-102", assigned="01/11/2026", due="05/11/2026")]
    assert store.import_upload("Phòng Tư vấn", "2026-11", "t11.xlsx", workbook(november),
                               AS_DIRECTOR).status == "stored"
    handed = [task_row(1, "TV-103", title="Hỗ trợ khẩn cấp trẻ em", dept="Phòng Can thiệp",
                       assigned="01/11/2026", due="01/11/2026")]
    assert store.import_upload("center", "2026-11", "tt11.xlsx", workbook(handed),
                               AS_DIRECTOR).status == "stored"
    return url


def _open(db_url):
    at = open_page(PAGE)
    at.session_state["f_as_of"] = AS_OF
    at.session_state["f_kind"] = "khoang"
    at.session_state["f_from"], at.session_state["f_to"] = "2026-10", "2026-11"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at):
    return at.dataframe[0].value.set_index("Mã nhiệm vụ")


def test_list_flags_deadlines_and_shows_history(db_url):
    table = _table(_open(db_url))
    assert set(table.index) == {"TV-101", "TV-102", "TV-103", "TV-104", "TV-105"}
    assert table.loc["TV-103", "Cảnh báo hạn"] == "Quá hạn"
    assert table.loc["TV-102", "Cảnh báo hạn"] == "Đến hạn hôm nay"
    assert table.loc["TV-101", "Cảnh báo hạn"] == "Đến hạn trong 7 ngày"
    assert table.loc["TV-104", "Cảnh báo hạn"] == ""
    assert list(table.index[:3]) == ["TV-103", "TV-102", "TV-101"]  # most urgent first
    assert table.loc["TV-101", "Gia hạn"] == "11/2026: 20/10/2026 → 12/11/2026"
    assert table.loc["TV-103", "Chuyển chủ trì"] == "11/2026: Phòng Tư vấn → Phòng Can thiệp"
    # open in October, missing from the department's November log (SPEC §4.3)
    assert table.loc["TV-104", "Không còn trong báo cáo tháng"] == "11/2026"


def test_counts_at_the_top(db_url):
    """11/2026 is seen on 05/11: tasks due later (TV-101 on 12/11, TV-104 on 30/11) are
    listed but counted apart as not due yet (SPEC §7)."""
    metrics = {m.label: m.value for m in _open(db_url).metric}
    assert metrics["Nhiệm vụ đến 05/11/2026"] == "3"
    assert metrics["Chưa đến hạn (chưa tính)"] == "2"
    assert (metrics["Quá hạn"], metrics["Đến hạn hôm nay"], metrics["Đến hạn trong 7 ngày"]) == (
        "1", "1", "1")
    assert (metrics["Được gia hạn"], metrics["Chuyển chủ trì"]) == ("1", "1")


def test_page_filters_change_the_rows(db_url):
    at = _open(db_url)
    at.multiselect(key="nv_outcomes").set_value(["overdue"]).run()
    assert list(_table(at).index) == ["TV-103"]
    at.multiselect(key="nv_outcomes").set_value([]).run()
    at.text_input(key="nv_text").set_value("khẩn cấp").run()
    assert list(_table(at).index) == ["TV-103"]
    at.text_input(key="nv_text").set_value("KHAN  cap").run()  # no diacritics, any case
    assert list(_table(at).index) == ["TV-103"]
    at.text_input(key="nv_text").set_value("tv 103").run()  # the code, punctuation aside
    assert list(_table(at).index) == ["TV-103"]
    at.text_input(key="nv_text").set_value("").run()
    at.multiselect(key="nv_leads").set_value(["Phòng Tư vấn"]).run()
    assert "TV-103" not in _table(at).index and len(_table(at)) == 4
    at.checkbox(key="nv_changed").check().run()
    assert list(_table(at).index) == ["TV-101", "TV-104"]  # extended; vanished


def test_sidebar_period_filter_applies(db_url):
    at = _open(db_url)
    at.session_state["f_from"], at.session_state["f_to"] = "2026-10", "2026-10"
    at.run()
    assert set(_table(at).index) == {"TV-105"}  # the only task whose month is 10/2026
    at.toggle(key="nv_carry").set_value(True).run()
    assert set(_table(at).index) == {"TV-105"}  # earlier months: nothing before 10/2026


def test_exports_are_neutralised_and_audited(db_url, download_buttons):
    _open(db_url)
    data = download(download_buttons, "nv_export_xlsx", "danh_sach_nhiem_vu.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Nhiệm vụ"]
    header_row = next(r for r in sheet.iter_rows(min_row=1, max_row=5)
                      if "Mã nhiệm vụ" in [c.value for c in r])
    columns = [c.value for c in header_row]
    rows = [[c for c in r] for r in sheet.iter_rows(min_row=header_row[0].row + 1)]
    titles = {r[columns.index("Mã nhiệm vụ")].value: r[columns.index("Nội dung nhiệm vụ")]
              for r in rows}
    assert len(titles) == 5
    assert titles["TV-105"].value == "'" + INJECTION and titles["TV-105"].data_type == "s"
    assert "Gia hạn - chuyển chủ trì" in book.sheetnames

    text = download(download_buttons, "nv_export_csv", "danh_sach_nhiem_vu.csv").decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {r["Mã nhiệm vụ"] for r in records} == {"TV-101", "TV-102", "TV-103", "TV-104", "TV-105"}
    assert next(r for r in records if r["Mã nhiệm vụ"] == "TV-105")["Nội dung nhiệm vụ"] == "'" + INJECTION
    assert next(r for r in records if r["Mã nhiệm vụ"] == "TV-101")["Hạn hoàn thành"] == "12/11/2026"

    exports = [e for e in open_store(db_url).audit_log() if e["action"] == "export"]
    assert [(e["details"]["format"], e["details"]["rows"]) for e in exports] == [("csv", 5), ("xlsx", 5)]
    assert all(len(e["details"]["sha256"]) == 64 for e in exports)
    assert INJECTION not in str(exports)  # counts and hashes only, never cell contents


def test_exports_follow_the_filters(db_url, download_buttons):
    at = _open(db_url)
    at.multiselect(key="nv_outcomes").set_value(["overdue"]).run()
    text = download(download_buttons, "nv_export_csv", "danh_sach_nhiem_vu.csv").decode("utf-8-sig")
    assert [r["Mã nhiệm vụ"] for r in csv.DictReader(io.StringIO(text, newline=""))] == ["TV-103"]


def test_no_task_left_by_the_filters(db_url):
    at = _open(db_url)
    at.session_state["f_services"] = ["Can thiệp khẩn cấp"]  # no task of this service
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Nhiệm vụ đến 05/11/2026"] == "0"
    assert any("Chưa có nhiệm vụ nào" in i.value for i in at.info)
    assert all(b.proto.disabled for b in at.get("download_button"))
