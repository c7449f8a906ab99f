"""Stateless app servers (SPEC §4.5): two real `streamlit run` processes on one
PostgreSQL database. An upload saved through server A, in a real browser, shows in
server B's figures at B's next page run, with no restart and no shared disk: each
page run reads the database's data version, and every cache is keyed on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app_server import CHROMIUM, browser, running_app, wait_for_idle, wait_for_page, watch_runs
from page_helpers import DIRECTOR, PASSWORD, seed_store, task_row, workbook

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]
OVERVIEW = "tong_quan?ky=thang&thang=2026-10&ngay=2026-10-31"


def _task_count(page) -> str:
    card = page.get_by_test_id("stMetric").filter(has_text="Số nhiệm vụ").first
    return card.get_by_test_id("stMetricValue").inner_text().strip()


def _open_signed_in(page, url: str, title: str) -> None:
    """A direct link, the login form (real data: only signed-in staff), then the page."""
    page.goto(url)
    page.get_by_label("Tên đăng nhập").fill(DIRECTOR)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    wait_for_page(page, title)


def test_an_upload_through_one_server_shows_in_the_other(postgres_url, tmp_path):
    october = [task_row(i, f"TV-{i:03d}", assigned="01/10/2026", due="20/10/2026")
               for i in range(1, 4)]
    seed_store(postgres_url, october, month="2026-10").close()  # 3 tasks, no sample import
    more = [task_row(i, f"HC-{i:03d}", dept="Phòng Hành chính", assigned="02/10/2026",
                     due="25/10/2026") for i in range(1, 6)]
    upload = tmp_path / "toan_trung_tam.xlsx"
    upload.write_bytes(workbook(more))

    with running_app(postgres_url, tmp_path / "a.log") as server_a, \
            running_app(postgres_url, tmp_path / "b.log") as server_b, browser() as chromium:
        viewer = chromium.new_page(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        watch_runs(viewer)
        _open_signed_in(viewer, f"{server_b}/{OVERVIEW}", "Tổng quan")
        assert _task_count(viewer) == "3"

        uploader = chromium.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        watch_runs(uploader)
        _open_signed_in(uploader, f"{server_a}/tai_du_lieu", "Tải dữ liệu lên")
        uploader.locator("input[type=file]").set_input_files(str(upload))
        confirm = uploader.get_by_text("Tôi đã xem kết quả kiểm tra", exact=False)
        confirm.wait_for(state="visible")
        wait_for_idle(uploader)
        confirm.click()
        wait_for_idle(uploader)
        save = uploader.get_by_role("button", name="Xác nhận lưu")
        save.wait_for(state="visible")
        uploader.wait_for_function(
            "() => [...document.querySelectorAll('button')].some(b => "
            "b.innerText.includes('Xác nhận lưu') && !b.disabled)")
        save.click()
        uploader.get_by_text("Đã lưu phiên bản 1").wait_for(state="visible")

        # Server B's next page run in the SAME browser session (no reload, no restart:
        # its caches are warm) reads the new data version and shows the new figures.
        sidebar = viewer.get_by_test_id("stSidebar")
        sidebar.get_by_role("link", name="Phòng ban", exact=True).click()
        wait_for_page(viewer, "Phòng ban")
        sidebar.get_by_role("link", name="Tổng quan", exact=True).click()
        wait_for_page(viewer, "Tổng quan")
        assert _task_count(viewer) == "8"
        # and a new session on server B too
        _open_signed_in(viewer, f"{server_b}/{OVERVIEW}", "Tổng quan")
        assert _task_count(viewer) == "8"
