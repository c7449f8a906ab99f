"""Shared by the page tests of `Tải dữ liệu lên`, `Nhiệm vụ` and `Quản trị`: a temporary
database seeded with one real upload (so the bundled sample is not imported: faster) and
an account (real data is shown only after a login, SPEC §8), task-log workbooks built in
code, and opening a page through `dashboard.py` (SPEC §7: pages are reached only through
the entry script) signed in as one of the accounts.

Accounts made here use a cheap Argon2 setting (the hash records its own parameters, so
the app verifies it as it is); the login form itself is driven by tests/test_auth_pages.py,
here the session id a real sign-in returns is handed to the AppTest session.
"""

from __future__ import annotations

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from analysis.access import Actor
from workbooks import xlsx

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "dashboard.py"
TIMEOUT = 90

PASSWORD = "mat-khau-kiem-thu-dai"
DIRECTOR = "Lãnh đạo đơn vị"  # the account seed_store makes (role director)
ADMIN = "Quản trị viên"
HEAD = "Trưởng phòng Tư vấn"
AS_DIRECTOR = Actor(DIRECTOR, "director")  # for uploads a test makes after seed_store

HEADERS = ["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Người chủ trì",
           "Phòng phối hợp", "Ngày giao", "Hạn hoàn thành", "Ngày hoàn thành", "Trạng thái"]


def workbook(rows: list[list], headers: list[str] = HEADERS, title: str | None = None) -> bytes:
    """Sheet "Nhiệm vụ": an optional title and a blank row, `headers`, then `rows` as typed."""
    above = [[title], []] if title else []
    return xlsx({"Nhiệm vụ": above + [headers] + rows}, as_typed=True)


def task_row(n: int, task_id: str, title: str = "Thăm hộ gia đình", dept: str = "Phòng Tư vấn",
             person: str = "Nguyễn Văn An", coord: str = "", assigned: str = "01/10/2026",
             due: str = "20/10/2026", done: str = "", status: str = "Đang thực hiện") -> list:
    return [n, task_id, title, dept, person, coord, assigned, due, done, status]


def accounts_of(store, **options):
    """`Accounts` with a cheap Argon2 setting and no wait after a failure (tests only)."""
    from argon2 import PasswordHasher

    from analysis.accounts import Accounts

    options.setdefault("hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    options.setdefault("sleep", lambda seconds: None)
    return Accounts(store, **options)


def add_account(store, name: str, role: str, department: str | None = None,
                password: str = PASSWORD):
    return accounts_of(store).add(name, role, password, department=department)


def seed_store(url: str, rows: list[list] | None = None, scope: str = "Phòng Tư vấn",
               month: str = "2026-09", account: str | None = DIRECTOR):
    """A store at `url` holding one real upload (no sample import on first open), then
    the director's account `account` (None: no account, demo mode)."""
    from analysis.store import open_store

    store = open_store(url)
    rows = rows or [task_row(1, "TV-001", assigned="01/09/2026", due="20/09/2026",
                             done="18/09/2026", status="Hoàn thành")]
    outcome = store.import_upload(scope, month, "thang9.xlsx", workbook(rows), "Kiểm thử")
    assert outcome.status == "stored", outcome.problems
    if account:
        add_account(store, account, "director")
    return store


def session_for(name: str, url: str | None = None, password: str = PASSWORD) -> str:
    """A real sign-in of `name`: the session id the login form would keep."""
    from analysis.store import open_store

    result = accounts_of(open_store(url or os.environ["DATABASE_URL"])).sign_in(name, password)
    assert result.ok, result.message
    return result.token


def signed_in_app(name: str | None = DIRECTOR) -> AppTest:
    """`dashboard.py` in AppTest, signed in as `name` when any account exists."""
    from analysis.store import open_store
    from ui.auth import _TOKEN

    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    if name and accounts_of(open_store(os.environ["DATABASE_URL"])).exists():
        at.session_state[_TOKEN] = session_for(name)
    return at


def open_page(page: str | None, as_user: str | None = DIRECTOR, **params) -> AppTest:
    """Run `dashboard.py` with the query parameters `params` (its first request), signed
    in as `as_user` (when accounts exist), then switch to `page` (e.g.
    "app_pages/tai_du_lieu.py"; None: stay on the first page)."""
    at = signed_in_app(as_user)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(element.value) for element in at.get(kind)]


def download(buttons: dict, key: str, file_name: str | None = None) -> bytes:
    """The bytes a click on download button `key` gives: its `data` callable run, as the
    browser's click runs it (`buttons`: the `download_buttons` fixture). With
    `file_name`, the button must offer that name."""
    button = buttons[key]
    if file_name is not None:
        assert button["file_name"] == file_name, button["file_name"]
    data = button["data"]
    return data() if callable(data) else data
