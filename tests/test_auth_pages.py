"""The login gate of dashboard.py and each role's pages (SPEC §7 last paragraph, §8),
in AppTest: anonymous visitors see only the login form at every URL, wrong name and
wrong password read the same, a lockout and its expiry (the clock is injected), sign-out
and idle expiry end the session for real, demo mode and the no-account-but-real-data
screen, and no password reaches the page, the session, the logs or the audit log."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from analysis import accounts as accounts_module
from analysis.store import open_store, schema
from page_helpers import (
    ADMIN,
    DASHBOARD,
    DIRECTOR,
    HEAD,
    PASSWORD,
    TIMEOUT,
    add_account,
    seed_store,
    signed_in_app,
    texts,
)

LOGIN_FORM = ["Tên đăng nhập", "Mật khẩu"]
PAGE_FILES = {"tong_quan": "Tổng quan", "phong_ban": "Phòng ban", "ca_nhan": "Cá nhân",
              "phoi_hop": "Phối hợp", "nhiem_vu": "Nhiệm vụ", "nop_bao_cao": "Tình hình nộp báo cáo",
              "tai_du_lieu": "Tải dữ liệu lên",
              "hop_danh_gia": "Họp đánh giá", "quan_tri": "Quản trị"}


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """The app's clock (analysis.accounts.clock) under the test's control; no wait after
    a failed sign-in."""
    moving = Clock()
    monkeypatch.setattr(accounts_module, "clock", moving)
    monkeypatch.setattr(accounts_module, "FAILURE_DELAY_SECONDS", 0)
    return moving


@pytest.fixture
def db_url(tmp_path, monkeypatch, clock):
    """Real data and three accounts: director (seed_store), administrator, head."""
    url = f"sqlite:///{tmp_path / 'ctxh.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = seed_store(url)
    add_account(store, ADMIN, "admin")
    add_account(store, HEAD, "dept_head", department="Phòng Tư vấn")
    return url


def visit(path: str | None = None) -> AppTest:
    """A new browser session opening `path` (a direct link, before any run)."""
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    if path:
        at.switch_page(f"app_pages/{path}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def login(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def only_the_login_form(at: AppTest) -> None:
    assert texts(at, "title") == ["Đăng nhập"]
    assert [t.label for t in at.text_input] == LOGIN_FORM
    assert [b.label for b in at.button] == ["Đăng nhập"]
    assert len(at.sidebar) == 0  # no filters, no menu, no department names
    for kind in ("metric", "dataframe", "plotly_chart", "file_uploader", "download_button",
                 "selectbox", "multiselect", "tabs"):
        assert not at.get(kind), kind
    assert not any("Dữ liệu mẫu" in w for w in texts(at, "warning"))


def menu(at: AppTest) -> list[str]:
    """Titles of the pages this session may open (a page it may not open is registered
    without its file: its URL answers with a refusal)."""
    return [info["page_name"] for info in at._registered_pages.values()
            if info.get("script_path")]


# --- anonymous visitors ---------------------------------------------------------------------

@pytest.mark.parametrize("path", [None, *PAGE_FILES])
def test_an_anonymous_visitor_sees_only_the_login_form_at_every_url(db_url, path):
    only_the_login_form(visit(path))


def test_a_login_lands_on_the_page_the_url_asked_for(db_url):
    at = login(visit("nhiem_vu"), DIRECTOR)
    assert texts(at, "title") == ["Nhiệm vụ"]
    assert "Đăng xuất" in [b.label for b in at.sidebar.button]
    assert any(DIRECTOR in c for c in texts(at.sidebar, "caption"))


def test_wrong_name_and_wrong_password_read_the_same(db_url):
    wrong_password = texts(login(visit(), DIRECTOR, "mat-khau-khong-dung"), "error")
    wrong_name = texts(login(visit(), "Không có ai", PASSWORD), "error")
    assert wrong_password == wrong_name == ["Tên đăng nhập hoặc mật khẩu không đúng."]


def test_five_failures_lock_even_the_right_password_until_the_lock_expires(db_url, clock):
    at = visit()
    for _ in range(5):
        at = login(at, DIRECTOR, "mat-khau-khong-dung")
    assert any("tạm khóa" in e and "15 phút" in e for e in texts(at, "error"))
    at = login(at, DIRECTOR)  # the right password
    assert texts(at, "title") == ["Đăng nhập"] and any("tạm khóa" in e for e in texts(at, "error"))
    clock.advance(minutes=15, seconds=1)
    at = login(at, DIRECTOR)
    assert texts(at, "title") == ["Tổng quan"]


def test_the_password_leaves_the_session_at_once(db_url):
    at = login(visit(), DIRECTOR, "mat-khau-khong-dung")
    assert at.text_input(key="login_password").value == ""  # not kept for the next try
    at = login(at, DIRECTOR)
    assert "login_password" not in at.session_state  # the anonymous session was cleared


# --- signed-in sessions ---------------------------------------------------------------------

def sessions(url) -> int:
    with open_store(url).engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.sessions)).scalar()


def test_sign_out_ends_the_session_and_a_direct_link_then_shows_the_login_form(db_url):
    at = login(visit("tai_du_lieu"), DIRECTOR)
    assert sessions(db_url) == 1
    at.button(key="logout").click().run()
    assert sessions(db_url) == 0  # the server-side row is gone
    only_the_login_form(at)
    assert "Đã đăng xuất." in texts(at, "success")
    only_the_login_form(visit("nhiem_vu"))  # a direct link in the same browser
    assert open_store(db_url).audit_log()[0]["action"] == "logout"


def test_an_idle_session_ends_after_thirty_minutes(db_url, clock):
    at = login(visit(), DIRECTOR)
    clock.advance(minutes=29)
    at.run()
    assert texts(at, "title") == ["Tổng quan"]  # used again: the idle time starts over
    clock.advance(minutes=29)
    at.run()
    assert texts(at, "title") == ["Tổng quan"]
    clock.advance(minutes=31)
    at.run()
    only_the_login_form(at)
    assert any("hết hạn sau 30 phút" in w for w in texts(at, "warning"))
    assert sessions(db_url) == 0


def test_a_disabled_account_is_signed_out_at_its_next_page_run(db_url):
    at = login(visit(), DIRECTOR)
    from page_helpers import accounts_of
    accounts_of(open_store(db_url)).disable(DIRECTOR)
    at.run()
    only_the_login_form(at)


# --- each role's pages --------------------------------------------------------------------

ALL_BUT_ADMIN = [t for p, t in PAGE_FILES.items() if p != "quan_tri"]


@pytest.mark.parametrize("name, expected", [
    (DIRECTOR, ALL_BUT_ADMIN), (HEAD, ALL_BUT_ADMIN), (ADMIN, list(PAGE_FILES.values()))])
def test_each_role_sees_its_pages(db_url, name, expected):
    at = login(visit(), name)
    assert menu(at) == expected
    for path, title in PAGE_FILES.items():
        if title in expected:
            at.switch_page(f"app_pages/{path}.py").run()
            assert not at.exception, (path, [e.value for e in at.exception])
            assert texts(at, "title") == [title], path
        else:  # its URL (a bookmark) answers with a refusal, after the login too
            refused = login(visit(path), name)
            assert texts(refused, "title") == ["Không có quyền xem trang này"]
            assert not refused.get("tabs") and not refused.get("dataframe")


def test_a_head_exports_only_their_departments_tasks(db_url, download_buttons):
    from page_helpers import AS_DIRECTOR, download, task_row, workbook

    store = open_store(db_url)
    store.import_upload("Phòng Công tác xã hội", "2026-09", "x.xlsx", workbook(
        [task_row(1, "XH-1", dept="Phòng Công tác xã hội", assigned="01/09/2026", due="20/09/2026"),
         task_row(2, "XH-2", dept="Phòng Công tác xã hội", coord="Phòng Tư vấn",
                  assigned="01/09/2026", due="20/09/2026")]), AS_DIRECTOR)
    at = signed_in_app(HEAD)
    at.session_state["f_kind"] = "khoang"
    at.session_state["f_from"] = at.session_state["f_to"] = "2026-09"
    at.run()
    at.switch_page("app_pages/nhiem_vu.py").run()
    assert set(at.dataframe[0].value["Mã nhiệm vụ"]) == {"TV-001", "XH-1", "XH-2"}  # sees all
    text = download(download_buttons, "nv_export_csv", "danh_sach_nhiem_vu.csv").decode("utf-8-sig")
    assert "XH-2" in text and "TV-001" in text and "XH-1" not in text  # exports its own


# --- demo mode, and real data without accounts ---------------------------------------------------

def test_demo_mode_has_no_login_form_and_says_so_on_every_page(tmp_path, monkeypatch):
    from store_helpers import store_frames, task

    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store_frames(open_store(url), "Phòng Tư vấn", "2026-10", [task("TV-1")], is_sample=True)
    at = visit()
    assert menu(at) == ALL_BUT_ADMIN
    for path in PAGE_FILES:
        at = visit(path)
        assert "Tên đăng nhập" not in [t.label for t in at.text_input]
        banner = [i for i in texts(at, "info") if "Chế độ trình diễn" in i]
        assert banner and "python -m analysis user add <tên> --role admin" in banner[0]


def test_real_data_without_any_account_shows_only_how_to_create_one(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'real.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    seed_store(url, account=None)
    for path in (None, "tong_quan", "nhiem_vu"):
        at = visit(path)
        assert texts(at, "title") == ["Cần tạo tài khoản quản trị"]
        assert [c.value for c in at.code] == ["python -m analysis user add <tên> --role admin"]
        assert len(at.sidebar) == 0 and not at.get("dataframe") and not at.get("metric")


# --- no secret anywhere ----------------------------------------------------------------------

def test_no_password_or_hash_in_pages_logs_audit_or_messages(db_url, clock, caplog):
    wrong = "mat-khau-sai-bi-mat-99"
    caplog.set_level(logging.DEBUG)
    at = visit()
    shown = []
    for _ in range(6):
        at = login(at, DIRECTOR, wrong)
        shown += texts(at, "error") + texts(at, "warning")
    clock.advance(minutes=16)
    at = login(at, DIRECTOR)
    at.switch_page("app_pages/tai_du_lieu.py").run()
    shown += [str(e.value) for e in at.main if hasattr(e, "value")]
    at.button(key="logout").click().run()
    shown += texts(at, "success")
    store = open_store(db_url)
    audit = json.dumps(store.audit_log(None), ensure_ascii=False)
    with store.engine.connect() as conn:
        hashes = conn.execute(select(schema.accounts.c.password_hash)).scalars().all()
    state = repr(dict(at.session_state))
    for secret in (PASSWORD, wrong, *hashes, "$argon2"):
        assert secret not in caplog.text
        assert secret not in audit
        assert secret not in " ".join(shown)
        assert secret not in state
    assert "login_locked" in audit and "logout" in audit
