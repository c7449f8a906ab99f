"""Real-browser checks of the login gate (SPEC §7 last paragraph, §8) on a freshly started
server: anonymous visitors at any URL see only the login form, the wrong-name and
wrong-password messages are identical, a lockout refuses even the right password until
`user unlock`, each role's menu, `Đăng xuất` ends the session (a direct link and a reload
then show the login form), and demo mode shows the command creating the first account.
Headless Debian chromium driven by Playwright; fully offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app_fixtures import copy_sample_database
from app_server import wait_for_idle
from test_browser import CHROMIUM, ROOT, browser_page, running_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing"),
]

PASSWORD = "mat-khau-trinh-duyet-dai"
DIRECTOR, HEAD, ADMIN = "Giám đốc", "Trưởng phòng Tư vấn", "Quản trị viên"
LOCKED = "Cán bộ thử khóa"  # used only by the lockout test: the others' counts stay at 0
DATA_PAGES = ["Tổng quan", "Phòng ban", "Cá nhân", "Phối hợp", "Nhiệm vụ", "Tình hình nộp báo cáo",
              "Tải dữ liệu lên",
              "Họp đánh giá"]
TIMEOUT_MS = 60_000


def cli(url: str, *argv: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *argv, "--db", url], cwd=ROOT,
                          input=None if stdin is None else stdin.encode(), capture_output=True,
                          timeout=120)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fresh server on a database with one real upload and three accounts made with
    the command line, as an operator would (passwords piped in)."""
    from store_helpers import task, workbook

    folder = tmp_path_factory.mktemp("auth_db")
    url = f"sqlite:///{folder / 'ctxh.sqlite'}"
    log = folder / "t10.xlsx"
    log.write_bytes(workbook([task("TV-1", lead_dept="Phòng Tư vấn")]))
    assert cli(url, "import", "--scope", "Phòng Tư vấn", "--month", "2026-10",
               str(log)).returncode == 0
    for name, role, *extra in ((DIRECTOR, "director"), (ADMIN, "admin"), (LOCKED, "director"),
                               (HEAD, "dept_head", "--department", "Phòng Tư vấn")):
        made = cli(url, "user", "add", name, "--role", role, *extra, stdin=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr.decode()
    with running_app(url) as base:
        yield base, url


def settled(page) -> None:
    """Wait until the script run has finished (Streamlit drops stale elements at its end)."""
    wait_for_idle(page, TIMEOUT_MS)


def login_form_only(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_label("Tên đăng nhập")).to_be_visible(timeout=TIMEOUT_MS)
    settled(page)
    expect(page.get_by_label("Mật khẩu")).to_be_visible()
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
    # no menu, no filters (after a sign-out in the same tab Streamlit may keep an EMPTY
    # sidebar shell: nothing in it)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    for content in page.get_by_test_id("stSidebarUserContent").all():
        assert content.inner_text().strip() == ""
    for title in DATA_PAGES + ["Quản trị"]:
        expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)


def sign_in(page, name: str, password: str = PASSWORD) -> None:
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def refused_sign_in(page, name: str, password: str) -> str:
    """Sign in and wait for the answer (the app empties the password box); its message."""
    from playwright.sync_api import expect

    sign_in(page, name, password)
    expect(page.get_by_label("Mật khẩu")).to_have_value("", timeout=TIMEOUT_MS)
    settled(page)
    return error_text(page)


def error_text(page) -> str:
    alert = page.get_by_test_id("stAlertContentError").first
    alert.wait_for(state="visible", timeout=TIMEOUT_MS)
    return alert.inner_text()


def open_signed_in(page, base: str, path: str, name: str, title: str) -> None:
    """A direct link to `path`, the login, and the page the link asked for."""
    from playwright.sync_api import expect

    page.goto(f"{base}/{path}")
    sign_in(page, name)
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=TIMEOUT_MS)


def menu(page) -> list[str]:
    from playwright.sync_api import expect

    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=TIMEOUT_MS)
    return [link.inner_text().strip() for link in nav.get_by_role("link").all()]


@pytest.mark.parametrize("path", ["", "tong_quan", "nhiem_vu", "tai_du_lieu", "quan_tri"])
def test_an_anonymous_visitor_sees_only_the_login_form(server, path):
    base, _ = server
    with browser_page() as page:
        page.goto(f"{base}/{path}")
        login_form_only(page)


def test_wrong_name_and_wrong_password_read_the_same(server):
    base, _ = server
    with browser_page() as page:
        page.goto(base)
        wrong_password = refused_sign_in(page, HEAD, "khong-phai-mat-khau")
        page.goto(base)
        wrong_name = refused_sign_in(page, "Người không có", PASSWORD)
    assert wrong_password == wrong_name == "Tên đăng nhập hoặc mật khẩu không đúng."


@pytest.mark.parametrize("name, expected", [
    (DIRECTOR, DATA_PAGES), (HEAD, DATA_PAGES), (ADMIN, DATA_PAGES + ["Quản trị"])])
def test_each_role_sees_its_menu(server, name, expected):
    base, _ = server
    with browser_page() as page:
        open_signed_in(page, base, "nhiem_vu", name, "Nhiệm vụ")  # lands on the URL's page
        assert menu(page) == expected


def test_sign_out_ends_the_session_for_real(server):
    from playwright.sync_api import expect

    base, _ = server
    with browser_page() as page:
        open_signed_in(page, base, "tai_du_lieu", ADMIN, "Tải dữ liệu lên")
        # the uploader is the signed-in account, never typed text
        expect(page.get_by_role("textbox", name="Người tải lên")).to_have_value(ADMIN)
        page.get_by_role("button", name="Đăng xuất").click()
        login_form_only(page)
        page.goto(f"{base}/nhiem_vu")  # a direct link afterwards
        login_form_only(page)
        page.reload()
        login_form_only(page)


def test_a_reload_asks_for_the_login_again_and_returns_to_the_url(server):
    from playwright.sync_api import expect

    base, _ = server
    with browser_page() as page:
        open_signed_in(page, base, "phoi_hop", DIRECTOR, "Phối hợp")
        # nothing of ours in a cookie: only Streamlit's own XSRF token
        assert {c["name"] for c in page.context.cookies()} <= {"_streamlit_xsrf"}
        page.reload()
        login_form_only(page)
        sign_in(page, DIRECTOR)
        expect(page.get_by_role("heading", name="Phối hợp", exact=True)).to_be_visible(
            timeout=TIMEOUT_MS)


def test_five_failures_lock_until_user_unlock(server):
    from playwright.sync_api import expect

    base, url = server
    with browser_page() as page:
        page.goto(base)
        login_form_only(page)
        messages = [refused_sign_in(page, LOCKED, "khong-phai-mat-khau") for _ in range(5)]
        assert messages[:4] == ["Tên đăng nhập hoặc mật khẩu không đúng."] * 4
        assert "tạm khóa" in messages[4] and "15 phút" in messages[4]
        assert "tạm khóa" in refused_sign_in(page, LOCKED, PASSWORD)  # the right password
        listed = json.loads(cli(url, "user", "list").stdout)
        assert [a["locked_until"] is not None for a in listed if a["name"] == LOCKED] == [True]
        assert cli(url, "user", "unlock", LOCKED).returncode == 0
        sign_in(page, LOCKED)
        expect(page.get_by_role("heading", name="Tổng quan", exact=True)).to_be_visible(
            timeout=TIMEOUT_MS)


def _hostile_uploads() -> list[tuple[str, bytes, str]]:
    """(file name, bytes, what the page must say): files that killed the server before."""
    from workbooks import header_row, inline, raw_xlsx, sheet_xml, task, task_table, xls

    far = raw_xlsx(sheet_xml(header_row() + '<row r = "1048576"><c r = "XFD1048576" '
                             't="inlineStr">' + inline("x") + "</c></row>"))
    lower = raw_xlsx(sheet_xml(header_row() + '<row r="99000"><c r="zz99000" t="inlineStr">'
                               + inline("x") + "</c></row>"))
    broken = bytearray(xls(task_table(task())))
    broken[1577], broken[2200], broken[3375] = 44, 237, 174  # calamine aborts on it
    return [("thang10.xlsx", far, "Bảng tính trải tới dòng 1048576"),
            ("thang10b.xlsx", lower, "Bảng tính trải tới dòng 99000"),
            ("thang10.xls", bytes(broken), "Tệp quá lớn hoặc có cấu trúc bất thường")]


def test_hostile_uploads_leave_the_server_alive_and_healthy(server):
    """Each file that once aborted the whole Streamlit process is a refused file on the
    page; after each the server answers /_stcore/health and still renders pages."""
    import urllib.request

    from playwright.sync_api import expect

    app_url, _ = server
    with browser_page() as page:
        open_signed_in(page, app_url, "tai_du_lieu", DIRECTOR, "Tải dữ liệu lên")
        for name, data, shown in _hostile_uploads():
            page.locator('input[type="file"]').first.set_input_files(
                files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
            expect(page.get_by_text(shown).first).to_be_visible(timeout=TIMEOUT_MS)
            assert "/work/" not in page.content() and "Traceback" not in page.content()
            with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=5) as reply:
                assert reply.status == 200 and reply.read() == b"ok"
        page.get_by_role("link", name="Tổng quan").first.click()
        expect(page.get_by_role("heading", name="Tổng quan", exact=True)).to_be_visible(
            timeout=TIMEOUT_MS)
        page.get_by_test_id("stMetric").first.wait_for(state="visible")



def test_demo_mode_shows_the_first_account_command_and_no_login(tmp_path, sample_db_url):
    from playwright.sync_api import expect

    with running_app(copy_sample_database(sample_db_url, tmp_path / "db")) as base:
        with browser_page() as page:
            page.goto(f"{base}/tai_du_lieu")
            expect(page.get_by_role("heading", name="Tải dữ liệu lên", exact=True)).to_be_visible(
                timeout=120_000)
            expect(page.get_by_text("python -m analysis user add <tên> --role admin").first
                   ).to_be_visible()
            expect(page.get_by_label("Tên đăng nhập")).to_have_count(0)
            expect(page.get_by_test_id("stFileUploader")).to_have_count(0)  # uploads refused
