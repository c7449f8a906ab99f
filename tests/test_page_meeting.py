"""Page `Họp đánh giá` (SPEC §7.7) through `dashboard.py` on the bundled sample: the
figures are the brief's, praise/reminder rows open the tasks behind them, a head sees
only their own department's part, and the download buttons give the documents (audited)."""

from __future__ import annotations

import io
import os
from datetime import date

import docx
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analysis.brief import text as T
from analysis.brief.figures import BriefInputs, brief_figures
from analysis.formatting import format_number, format_percent
from analysis.store import open_store
from app_fixtures import DASHBOARD, TIMEOUT, copy_sample_database
from page_helpers import add_account, download, signed_in_app

PAGE = "app_pages/hop_danh_gia.py"
AS_OF = date(2026, 10, 31)
pytestmark = pytest.mark.usefixtures("sample_env")


def open_meeting(as_user: str | None = None) -> AppTest:
    """The page through dashboard.py: demo mode on the sample, or signed in as `as_user`."""
    at = signed_in_app(as_user) if as_user else AppTest.from_file(DASHBOARD,
                                                                  default_timeout=TIMEOUT)
    for name, value in {"ky": "quy", "quy": "2026-Q3", "ngay": AS_OF.isoformat()}.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figures(url, scope="center"):
    store = open_store(url)
    inputs = BriefInputs(tasks=store.consolidated_tasks(),
                         contributions=store.consolidated_contributions(), as_of=AS_OF,
                         from_month="2026-07", to_month="2026-09", scope=scope)
    return brief_figures(inputs)


def test_page_states_the_four_way_line_and_both_rates(sample_db_url):
    at = open_meeting()
    f = figures(sample_db_url)
    texts = [m.value for m in at.markdown]
    assert any(T.four_way_line(f.overall) in t for t in texts)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tỷ lệ hoàn thành"] == format_percent(f.overall["completion_rate"])
    assert metrics["Tỷ lệ đúng hạn"] == format_percent(f.overall["on_time_rate"])
    assert metrics["Quá hạn"] == format_number(f.overall["overdue"])
    table = next(d.value for d in at.dataframe if "Kết quả (chủ trì)" in d.value.columns)
    assert table["Phòng"].tolist() == f.departments["name"].tolist()
    assert table["Tỷ lệ đúng hạn"].tolist() == [format_percent(r) for r in
                                                f.departments["on_time_rate"]]
    assert [b.label for b in at.get("download_button")] == ["Tải báo cáo Word", "Tải bảng Excel"]


def test_period_kinds_include_six_months():
    at = open_meeting()
    assert at.radio(key="hdg_kind").options == ["Tháng", "Quý", "6 tháng", "Năm"]
    at.radio(key="hdg_kind").set_value("sau_thang").run()
    assert not at.exception
    assert at.selectbox(key="hdg_period").value == "2026-H2"
    assert "6 tháng cuối năm 2026" in " ".join(m.value for m in at.markdown)


def test_a_reminder_row_lists_the_tasks_behind_it(sample_db_url):
    f = figures(sample_db_url)
    at = open_meeting()
    assert len(f.reminder_people)
    at.session_state["hdg_remind_person"] = {"selection": {"rows": [0], "columns": [],
                                                           "cells": []}}
    at.run()
    assert not at.exception
    listed = [d.value for d in at.dataframe if "Mã nhiệm vụ" in d.value.columns
              and "Kết quả" in d.value.columns]
    assert len(listed) == 1
    assert sorted(listed[0]["Mã nhiệm vụ"].astype(str)) == sorted(f.reminder_people["task_ids"][0])


def test_a_head_sees_only_their_department(sample_db_url, tmp_path):
    department = "Phòng Tư vấn - Tham vấn"
    url = copy_sample_database(sample_db_url, tmp_path / "db")
    add_account(open_store(url), "Trưởng phòng TV", "dept_head", department=department)
    previous = os.environ["DATABASE_URL"]
    os.environ["DATABASE_URL"] = url
    try:
        at = open_meeting(as_user="Trưởng phòng TV")
    finally:
        os.environ["DATABASE_URL"] = previous
    table = next(d.value for d in at.dataframe if "Kết quả (chủ trì)" in d.value.columns)
    assert table["Phòng"].tolist() == [department]
    f = figures(sample_db_url, department)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Đến hạn"] == format_number(f.overall["due"])
    captions = " ".join(c.value for c in at.caption)
    assert f"phần của {department}" in captions


def test_downloads_are_the_brief_and_are_audited(sample_db_url, tmp_path, download_buttons):
    url = copy_sample_database(sample_db_url, tmp_path / "db")
    previous = os.environ["DATABASE_URL"]
    os.environ["DATABASE_URL"] = url
    try:
        open_meeting()
        word = download(download_buttons, "hdg_docx")
        excel = download(download_buttons, "hdg_xlsx")
    finally:
        os.environ["DATABASE_URL"] = previous
    document = docx.Document(io.BytesIO(word))
    assert "BÁO CÁO" in [p.text for p in document.paragraphs]
    book = openpyxl.load_workbook(io.BytesIO(excel))
    assert "Phòng ban" in book.sheetnames
    entries = [e for e in open_store(url).audit_log(10) if e["details"].get("what") == "brief"]
    assert {e["details"]["format"] for e in entries} == {"docx", "xlsx"}
    assert all(e["details"]["period_from"] == "2026-07" for e in entries)
