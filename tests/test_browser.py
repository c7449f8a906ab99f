"""Real-browser checks (SPEC §7): a direct link to a page on a FRESHLY started server
runs the entry script `dashboard.py` (sidebar filters, sample banner), never the page
file alone. Headless Debian chromium driven by Playwright; fully offline.

Also a screenshot helper: `python tests/test_browser.py` saves one full-page PNG per
page (1366×768 viewport) to docs/screenshots/.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

import app_server
from app_fixtures import copy_sample_database
from app_server import CHROMIUM, PAGE_TIMEOUT_MS, browser_page, wait_for_page

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"tong_quan": "Tổng quan", "phong_ban": "Phòng ban", "ca_nhan": "Cá nhân",
         "phoi_hop": "Phối hợp", "nhiem_vu": "Nhiệm vụ", "nop_bao_cao": "Tình hình nộp báo cáo",
         "tai_du_lieu": "Tải dữ liệu lên",
         "hop_danh_gia": "Họp đánh giá"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]


@contextmanager
def running_app(database_url: str):
    """`streamlit run dashboard.py` on a SQLite file; its log next to the file."""
    log = Path(database_url.removeprefix("sqlite:///")).with_suffix(".log")
    with app_server.running_app(database_url, log) as base:
        yield base


def assert_entry_script_ran(page, title: str) -> None:
    """The sidebar filters, the sample banner and the navigation come from dashboard.py."""
    from playwright.sync_api import expect

    sidebar = page.get_by_test_id("stSidebar")
    for text in ("Bộ lọc", "Kỳ báo cáo", "Loại dịch vụ", "Tính đến ngày"):
        expect(sidebar.get_by_text(text, exact=True).first).to_be_visible(
            timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_text("Dữ liệu mẫu").first).to_be_visible()
    expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(1)
    # the page's own path was found (no "Page not found" fallback to the main page)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    for name in ("Tổng quan", "Phòng ban", "Cá nhân", "Phối hợp", "Nhiệm vụ"):
        expect(sidebar.get_by_role("link", name=name, exact=True)).to_have_count(1)


@pytest.fixture
def app_url(tmp_path, sample_db_url):
    """A freshly started server on a private copy of the sample database (copying
    saves the sample import; the server process is still brand new)."""
    with running_app(copy_sample_database(sample_db_url, tmp_path / "db")) as base:
        yield base


def test_direct_link_to_tong_quan_runs_the_entry_script(app_url):
    from playwright.sync_api import expect

    with browser_page() as page:
        page.goto(f"{app_url}/tong_quan?ky=thang&thang=2026-10&ngay=2026-10-31")
        wait_for_page(page, "Tổng quan")
        assert_entry_script_ran(page, "Tổng quan")
        # SPEC §3.3: the completion rate next to the on-time rate
        expect(page.get_by_test_id("stMetric")).to_have_count(7)
        expect(page.get_by_text("Số nhiệm vụ").first).to_be_visible()
        expect(page.get_by_text("Diễn biến theo tháng")).to_be_visible()
        # the filters came from the URL
        expect(page.get_by_test_id("stSidebar").get_by_text("10/2026").first).to_be_visible()
        # charts are drawn by lazily loaded components, after the script run has ended
        expect(page.locator(".js-plotly-plot").nth(2)).to_be_attached()


def test_clicking_a_trend_bar_lists_its_tasks(app_url):
    """A real plotly click reaches Python as a selection with the bar's customdata."""
    from playwright.sync_api import expect

    with browser_page() as page:
        page.goto(f"{app_url}/tong_quan?ky=quy&quy=2026-Q3&ngay=2026-10-31")
        wait_for_page(page, "Tổng quan")
        bars = page.locator(".js-plotly-plot").first.locator("g.trace.bars g.point path")
        bars.first.wait_for(state="attached")
        page.wait_for_timeout(1000)  # plotly binds its click handlers after drawing
        bars.nth(3).click(force=True)  # 4th month of the on-time (first) trace
        heading = page.get_by_text("Danh sách nhiệm vụ:").first
        expect(heading).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        assert "Đúng hạn" in heading.inner_text()
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()


def test_clicking_a_matrix_cell_lists_its_tasks(app_url):
    """SPEC §7.4: the lead × coordinator matrix is drawn with square markers, so a click
    on a cell reaches Python as a selection and opens the tasks of that pair."""
    from playwright.sync_api import expect

    with browser_page() as page:
        page.goto(f"{app_url}/phoi_hop?ky=quy&quy=2026-Q3&ngay=2026-10-31")
        wait_for_page(page, "Phối hợp")
        cells = page.locator(".js-plotly-plot").first.locator("g.trace.scatter path.point")
        cells.first.wait_for(state="attached")
        page.wait_for_timeout(1000)  # plotly binds its click handlers after drawing
        cells.nth(0).click(force=True)
        heading = page.get_by_text("Danh sách nhiệm vụ:").first
        expect(heading).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        assert "(phối hợp)" in heading.inner_text() and "(chủ trì)" in heading.inner_text()
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()


def test_direct_link_to_phoi_hop_runs_the_entry_script(app_url):
    with browser_page() as page:
        page.goto(f"{app_url}/phoi_hop")
        wait_for_page(page, "Phối hợp")
        assert_entry_script_ran(page, "Phối hợp")
        assert page.get_by_text("Ma trận chủ trì × phối hợp").is_visible()
        page.locator(".js-plotly-plot").first.wait_for(state="visible")
        assert "ky=quy" in page.url  # the entry script wrote the default filters back


def test_meeting_page_downloads_the_word_brief(app_url):
    """Họp đánh giá through a direct link: the entry script runs, and the Word button
    gives a .docx built from the page's figures (SPEC §7.7)."""
    import io

    import docx
    from playwright.sync_api import expect

    with browser_page() as page:
        page.goto(f"{app_url}/hop_danh_gia?ky=quy&quy=2026-Q3&ngay=2026-10-31")
        wait_for_page(page, "Họp đánh giá")
        assert_entry_script_ran(page, "Họp đánh giá")
        expect(page.get_by_text("Kết quả thực hiện nhiệm vụ").first).to_be_visible()
        with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
            page.get_by_role("button", name="Tải báo cáo Word").click()
        path = download.value.path()
        assert download.value.suggested_filename.endswith(".docx")
        document = docx.Document(io.BytesIO(Path(path).read_bytes()))
        texts = [p.text for p in document.paragraphs]
        assert "BÁO CÁO" in texts and "I. Kết quả thực hiện nhiệm vụ" in texts


def first_real_upload(database_url: str) -> None:
    """The sample database after one department saved its first real month: the October
    log of Phòng Tư vấn - Tham vấn, saved again as a real upload (the sample then stops
    counting; the departments it names as coordinators have not reported)."""
    import io

    import openpyxl

    from analysis.store import open_store
    from analysis.store.sample import ensure_sample_data

    store = open_store(database_url)
    ensure_sample_data(store)
    book = openpyxl.load_workbook(ROOT / "data" / "sample" / "2026-10_TVTV.xlsx")
    buffer = io.BytesIO()
    book.save(buffer)  # other bytes than the sample file: a new version, not "unchanged"
    outcome = store.import_upload("Phòng Tư vấn - Tham vấn", "2026-10", "thang10.xlsx",
                                  buffer.getvalue(), "Trưởng phòng Tư vấn - Tham vấn")
    assert outcome.status == "stored", outcome.problems
    store.close()


def save_screenshots(out_dir: Path = ROOT / "docs" / "screenshots", query: str = "",
                     pages: dict[str, str] = PAGES, prefix: str = "",
                     real_upload: bool = False) -> list[Path]:
    """One full-page PNG per page at 1366×768: on the sample data, or (`real_upload`)
    after a first real upload. Files: `<prefix><page>.png`."""
    import tempfile

    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/ctxh.sqlite"
        if real_upload:
            first_real_upload(url)
        with running_app(url) as base, browser_page() as page:
            for path, title in pages.items():
                page.goto(f"{base}/{path}{query}")
                wait_for_page(page, title)
                page.wait_for_timeout(2500)  # let plotly finish drawing
                # Streamlit scrolls inside its main section: grow the viewport to fit it
                height = page.evaluate(
                    "() => Math.max(...['stMain', 'stSidebarContent'].map(id => "
                    "(document.querySelector(`[data-testid=${id}]`) || {}).scrollHeight || 0))")
                page.set_viewport_size({"width": 1366, "height": max(768, int(height) + 40)})
                page.wait_for_timeout(1500)
                target = out_dir / f"{prefix}{path}.png"
                page.screenshot(path=str(target), full_page=True)
                page.set_viewport_size({"width": 1366, "height": 768})
                saved.append(target)
    return saved


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # run as a script: the project's packages
    # python tests/test_browser.py [QUERY]: every page on the sample data, then Tổng quan,
    # Phòng ban and Nộp báo cáo after a first real upload (docs/screenshots/real_*.png).
    query = sys.argv[1] if len(sys.argv) > 1 else ""
    for file in save_screenshots(query=query):
        print(file)
    after = {p: PAGES[p] for p in ("tong_quan", "phong_ban", "nop_bao_cao")}
    for file in save_screenshots(query=query, pages=after, prefix="real_", real_upload=True):
        print(file)
