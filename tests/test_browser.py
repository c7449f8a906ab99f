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
from app_fixtures import copy_sample_database, sample_db_url  # noqa: F401
from app_server import CHROMIUM, PAGE_TIMEOUT_MS, browser_page, wait_for_page

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"tong_quan": "Tổng quan", "phong_ban": "Phòng ban", "ca_nhan": "Cá nhân",
         "phoi_hop": "Phối hợp", "nhiem_vu": "Nhiệm vụ", "tai_du_lieu": "Tải dữ liệu lên"}

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
    with browser_page() as page:
        page.goto(f"{app_url}/tong_quan?ky=thang&thang=2026-10&ngay=2026-10-31")
        wait_for_page(page, "Tổng quan")
        assert_entry_script_ran(page, "Tổng quan")
        cards = page.get_by_test_id("stMetric")
        cards.first.wait_for(state="visible")
        assert cards.count() == 6
        assert page.get_by_text("Số nhiệm vụ").first.is_visible()
        assert page.get_by_text("Diễn biến theo tháng").is_visible()
        # the filters came from the URL
        assert page.get_by_test_id("stSidebar").get_by_text("10/2026").first.is_visible()
        assert page.locator(".js-plotly-plot").count() >= 3


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


def test_direct_link_to_phoi_hop_runs_the_entry_script(app_url):
    with browser_page() as page:
        page.goto(f"{app_url}/phoi_hop")
        wait_for_page(page, "Phối hợp")
        assert_entry_script_ran(page, "Phối hợp")
        assert page.get_by_text("Ma trận chủ trì × phối hợp").is_visible()
        page.locator(".js-plotly-plot").first.wait_for(state="visible")
        assert "ky=quy" in page.url  # the entry script wrote the default filters back


def save_screenshots(out_dir: Path = ROOT / "docs" / "screenshots", query: str = "") -> list[Path]:
    """One full-page PNG per page, on the sample data, at 1366×768."""
    import tempfile

    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    with tempfile.TemporaryDirectory() as tmp, running_app(f"sqlite:///{tmp}/ctxh.sqlite") as base:
        with browser_page() as page:
            for path, title in PAGES.items():
                page.goto(f"{base}/{path}{query}")
                wait_for_page(page, title)
                page.wait_for_timeout(2500)  # let plotly finish drawing
                # Streamlit scrolls inside its main section: grow the viewport to fit it
                height = page.evaluate(
                    "() => Math.max(...['stMain', 'stSidebarContent'].map(id => "
                    "(document.querySelector(`[data-testid=${id}]`) || {}).scrollHeight || 0))")
                page.set_viewport_size({"width": 1366, "height": max(768, int(height) + 40)})
                page.wait_for_timeout(1500)
                target = out_dir / f"{path}.png"
                page.screenshot(path=str(target), full_page=True)
                page.set_viewport_size({"width": 1366, "height": 768})
                saved.append(target)
    return saved


if __name__ == "__main__":
    for file in save_screenshots(query=sys.argv[1] if len(sys.argv) > 1 else ""):
        print(file)
