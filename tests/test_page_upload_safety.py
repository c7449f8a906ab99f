"""Page `Tải dữ liệu lên` against hostile files and a failing store (SPEC §2.3, §4.4):
a file that makes the parser abort is a refused file and the same server process
serves the next run; a file without tasks needs its own confirmation; a store that
cannot write shows a message, never a traceback with server paths."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import messages, sandbox
from analysis.store import open_store
from page_helpers import open_page, seed_store, task_row, texts, workbook
from workbooks import header_row, inline, raw_xlsx, sheet_xml, task, task_table, xls

PAGE = "app_pages/tai_du_lieu.py"
ROOT = Path(__file__).resolve().parents[1]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
pytestmark = pytest.mark.skipif(not sandbox.SUPPORTED, reason="no fork: no sandbox")


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ctxh.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    seed_store(url)
    return url


def _upload(at, data: bytes, name: str, mime: str = XLSX):
    at.selectbox(key="up_scope").set_value("Phòng Tư vấn")
    at.selectbox(key="up_month").set_value("2026-10")
    at.run()
    at.get("file_uploader")[0].set_value((name, data, mime))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _aborting_xls() -> bytes:
    data = bytearray(xls(task_table(task())))
    data[1577], data[2200], data[3375] = 44, 237, 174  # calamine reserves ~165 GB and aborts
    return bytes(data)


def _far_cell_xlsx() -> bytes:
    far = '<row r="99000"><c r="zz99000" t="inlineStr">' + inline("x") + "</c></row>"
    return raw_xlsx(sheet_xml(header_row() + far))


@pytest.mark.parametrize("name, data, shown", [
    ("thang10.xls", _aborting_xls(), messages.CHILD_FAILED),
    ("thang10.xlsx", _far_cell_xlsx(), "Bảng tính trải tới dòng 99000"),
], ids=["aborting-xls", "far-cell-xlsx"])  # named: the bytes hold zip times, and xdist's workers must agree
def test_an_aborting_file_is_refused_and_the_same_server_goes_on(db_url, name, data, shown):
    at = _upload(open_page(PAGE), data, name, "application/vnd.ms-excel")
    assert any(shown in e for e in texts(at, "error")), texts(at, "error")
    assert not [b for b in at.button if b.key == "up_save"]
    assert open_store(db_url).history("Phòng Tư vấn", "2026-10") == []
    # the page runs again in this very process, and reads the next file
    at.run()
    assert not at.exception
    again = _upload(open_page(PAGE), workbook([task_row(1, "TV-090")]), "tot.xlsx")
    assert not texts(again, "error")
    assert "Không có lỗi hay cảnh báo nào." in texts(again, "success")


def test_a_file_without_tasks_is_saved_only_when_confirmed(db_url):
    at = _upload(open_page(PAGE), workbook([]), "trong.xlsx")
    assert any(w.startswith("Tệp không có nhiệm vụ nào") for w in texts(at, "warning"))
    at.checkbox(key="up_confirm").check().run()
    assert at.button(key="up_save").disabled  # the emptiness is not confirmed yet
    at.checkbox(key="up_confirm_empty").check().run()
    assert not at.button(key="up_save").disabled
    at.button(key="up_save").click().run()
    assert not at.exception
    assert any("Đã lưu phiên bản 1" in s for s in texts(at, "success"))
    assert [h["rows"] for h in open_store(db_url).history("Phòng Tư vấn", "2026-10")] == [0]


def test_a_store_that_cannot_write_shows_a_message_not_a_traceback(db_url, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from analysis.store.core import Store

    def read_only(*args, **kwargs):
        raise OperationalError("INSERT INTO uploads", {}, Exception(
            "attempt to write a readonly database: /srv/ctxh/data/ctxh.sqlite"))

    monkeypatch.setattr(Store, "save_read", read_only)
    at = _upload(open_page(PAGE), workbook([task_row(1, "TV-091")]), "a.xlsx")
    at.checkbox(key="up_confirm").check().run()
    at.button(key="up_save").click().run()
    assert not at.exception
    errors = texts(at, "error")
    assert any("cơ sở dữ liệu chỉ cho phép đọc" in e for e in errors), errors
    assert not any("/srv/" in e or "Traceback" in e for e in errors)
    assert open_store(db_url).history("Phòng Tư vấn", "2026-10") == []


def test_an_uncaught_error_shows_no_message_and_no_path():
    """`.streamlit/config.toml` hides the details ("none"; Streamlit 1.67 reads the old
    `false` as "stacktrace"), and with it a raised error shows no server path."""
    from streamlit import config

    value = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["client"]["showErrorDetails"]
    assert value == "none"
    previous = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", value)
    try:
        at = AppTest.from_string('raise PermissionError(13, "Permission denied", '
                                 '"/srv/ctxh/data/archive/ab/abcdef")')
        at.run()
    finally:
        config.set_option("client.showErrorDetails", previous)
    [shown] = at.exception
    assert "/srv/" not in str(shown.proto) and "Permission" not in str(shown.proto)
    assert shown.stack_trace == []


def test_the_marked_copy_is_made_in_the_child_and_falls_back_to_a_list(monkeypatch):
    """The highlighted copy loads the upload with openpyxl: in the limited child; if
    that child fails the user still gets the problems, as a list."""
    import io

    import openpyxl

    from analysis import problem_workbook
    from analysis.reading import read_task_log

    data = workbook([task_row(1, "TV-100", due="31/09/2026")])
    result = read_task_log(data, "a.xlsx")
    marked = openpyxl.load_workbook(io.BytesIO(problem_workbook.marked_workbook(data, result)))
    assert marked.active["H2"].comment is not None  # the due date cell, marked

    def fails(*args, **kwargs):
        raise sandbox.ChildFailed("killed")

    monkeypatch.setattr(sandbox, "run", fails)
    listed = openpyxl.load_workbook(io.BytesIO(problem_workbook.marked_workbook(data, result)))
    rows = list(listed.active.values)
    assert rows[0] == ("Dòng", "Cột", "Giá trị", "Mức độ", "Nội dung")
    assert ("2", "Hạn hoàn thành", "31/09/2026", "Lỗi") == rows[1][:4]
