"""Accounts in the store suite (SPEC §8): the same rules on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC

import pytest

from store_helpers import task, workbook


def test_accounts_lockout_sessions_and_enforcement(store):
    """SPEC §8 on each database: accounts, lockout, sessions, the store's checks."""
    from datetime import datetime, timedelta

    from argon2 import PasswordHasher

    from analysis.access import AccessDenied, Actor
    from analysis.accounts import Accounts

    now = [datetime(2026, 11, 2, tzinfo=UTC)]
    accounts = Accounts(store, now=lambda: now[0], sleep=lambda s: None,
                        hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    accounts.add("Quản trị", "admin", "mat-khau-du-dai-12")
    accounts.add("Hoa", "dept_head", "mat-khau-du-dai-12", department="Phòng Tư vấn")
    for _ in range(5):
        accounts.sign_in("Hoa", "sai-mat-khau-roi")
    assert "tạm khóa" in accounts.sign_in("Hoa", "mat-khau-du-dai-12").message
    now[0] += timedelta(minutes=16)
    token = accounts.sign_in("hoa", "mat-khau-du-dai-12").token
    head = accounts.session(token).actor
    assert head == Actor("Hoa", "dept_head", "Phòng Tư vấn")
    with pytest.raises(AccessDenied):
        store.import_upload("center", "2026-10", "a.xlsx", workbook([task("T1")]), head)
    assert store.import_upload("Phòng Tư vấn", "2026-10", "a.xlsx", workbook([task("T1")]),
                               head).status == "stored"
    accounts.disable("Hoa")
    assert accounts.session(token).actor is None
    assert [a.name for a in accounts.list()] == ["Hoa", "Quản trị"]
