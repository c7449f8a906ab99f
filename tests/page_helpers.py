"""Shared by the page tests of `Tải dữ liệu lên` and `Nhiệm vụ`: a temporary database
seeded with one real upload (so the bundled sample is not imported: faster), task-log
workbooks built in code, and opening a page through `dashboard.py` (SPEC §7: pages are
reached only through the entry script)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "dashboard.py"
TIMEOUT = 90

HEADERS = ["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Người chủ trì",
           "Phòng phối hợp", "Ngày giao", "Hạn hoàn thành", "Ngày hoàn thành", "Trạng thái"]


def workbook(rows: list[list], headers: list[str] = HEADERS, title: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(headers)
    first = sheet.max_row + 1
    for r, row in enumerate(rows, start=first):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text as typed: a leading "=" stays text, not a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def task_row(n: int, task_id: str, title: str = "Thăm hộ gia đình", dept: str = "Phòng Tư vấn",
             person: str = "Nguyễn Văn An", coord: str = "", assigned: str = "01/10/2026",
             due: str = "20/10/2026", done: str = "", status: str = "Đang thực hiện") -> list:
    return [n, task_id, title, dept, person, coord, assigned, due, done, status]


def seed_store(url: str, rows: list[list] | None = None, scope: str = "Phòng Tư vấn",
               month: str = "2026-09"):
    """A store at `url` holding one real upload (no sample import on first open)."""
    from analysis.store import open_store

    store = open_store(url)
    rows = rows or [task_row(1, "TV-001", assigned="01/09/2026", due="20/09/2026",
                             done="18/09/2026", status="Hoàn thành")]
    outcome = store.import_upload(scope, month, "thang9.xlsx", workbook(rows), "Kiểm thử")
    assert outcome.status == "stored", outcome.problems
    return store


def open_page(page: str) -> AppTest:
    """Run `dashboard.py` and switch to `page` (e.g. "app_pages/tai_du_lieu.py").

    While another helper's page file is still missing, the navigation cannot be
    built; the page file is then run alone so these tests still check it.
    """
    listed = re.findall(r"app_pages/\w+\.py", DASHBOARD.read_text(encoding="utf-8")) \
        if DASHBOARD.exists() else []
    if listed and all((ROOT / p).exists() for p in listed):
        at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
        at.run()
        at.switch_page(page)
    else:
        at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(element.value) for element in at.get(kind)]


@pytest.fixture
def media_managers(monkeypatch):
    """Keep the media manager of each AppTest run, so a test can call a download
    button's deferred `data` callable the way the browser's click does."""
    made = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return made


def download(at: AppTest, managers: list, key: str) -> bytes:
    """The bytes a click on download button `key` (deferred `data` callable) gives."""
    button = next(b for b in at.get("download_button") if b.key == key)
    file_id = button.proto.deferred_file_id
    entry = next(m._deferred_callables[file_id] for m in reversed(managers)
                 if file_id in m._deferred_callables)
    return entry["callable"]()
