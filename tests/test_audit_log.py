"""The audit log as page Quản trị shows and exports it (SPEC §4.4, §4.6, §8)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from analysis.access import ADMIN, Actor
from analysis.audit_log import audit_frame, day_bounds, details_text, export_audit_log
from store_helpers import sqlite_store

ENTRIES = [
    {"id": 2, "at": "2026-11-02T17:30:00+00:00", "user": "=cmd|' /C calc'!A0", "action": "login",
     "details": {"role": "admin"}},
    {"id": 1, "at": "2026-11-02T01:05:00+00:00", "user": "", "action": "login_failed",
     "details": {"failures": 1, "unknown_name": True}},
]


def test_entries_read_in_vietnamese_and_vietnam_time():
    frame = audit_frame(ENTRIES)
    assert list(frame.columns) == ["Thời gian", "Người thực hiện", "Hành động", "Chi tiết"]
    assert frame["Thời gian"].tolist() == [datetime(2026, 11, 3, 0, 30), datetime(2026, 11, 2, 8, 5)]
    assert frame["Hành động"].tolist() == ["Đăng nhập", "Đăng nhập không thành công"]
    assert frame["Người thực hiện"].tolist()[1] == "(không rõ)"
    assert details_text({"sha256": "a" * 64, "rows": 3, "keys": ["x", "y"]}) == (
        "sha256: aaaaaaaaaaaa…; số dòng: 3; thiết lập: x, y")


def test_day_bounds_are_vietnam_days():
    assert day_bounds(date(2026, 11, 3), date(2026, 11, 3)) == {
        "since": "2026-11-02T17:00:00+00:00", "until": "2026-11-03T17:00:00+00:00"}


def test_filters_by_who_what_and_when(tmp_path):
    store = sqlite_store(tmp_path)
    store.audit("An", "export", rows=1)
    store.audit("Bình", "login")
    assert [e["user"] for e in store.audit_log(users=["An"])] == ["An"]
    assert [e["action"] for e in store.audit_log(actions=["login"])] == ["login"]
    assert len(store.audit_log(**day_bounds(date(2000, 1, 1), date(2100, 1, 1)))) == 2
    assert store.audit_log(**day_bounds(date(2000, 1, 1), date(2000, 1, 2))) == []
    assert store.audit_users() == ["An", "Bình"]


def test_the_export_is_formula_safe_and_audited(tmp_path):
    store = sqlite_store(tmp_path)
    admin = Actor("Quản trị", ADMIN)
    data = export_audit_log(store, admin, ENTRIES, "csv", users=["x"])
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0]["Người thực hiện"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["Thời gian"] == "03/11/2026 00:30"
    logged = store.audit_log()[0]
    assert (logged["user"], logged["action"], logged["details"]["what"]) == (
        "Quản trị", "export", "audit_log")
    assert logged["details"]["rows"] == 2 and logged["details"]["users"] == ["x"]


def test_the_admin_pages_default_days_hold_what_happened_just_now():
    """The audit filter's default last day is the center's today, the clock `day_bounds`
    reads days on: on a UTC server between 17:00 and 24:00 the server's date.today() is
    the center's yesterday, and the events of the last minutes fell outside the list."""
    from datetime import UTC, datetime

    from analysis.audit_log import day_bounds
    from analysis.periods import center_today

    today = center_today()
    bounds = day_bounds(today, today)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    assert bounds["since"] <= now < bounds["until"]
