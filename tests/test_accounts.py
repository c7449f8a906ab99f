"""analysis.accounts (SPEC §8): Argon2id hashes, sign-in, lockout and its expiry, sessions
(idle expiry, sign-out, rotation), account management and the command-line actor. The
clock is injected: time moves without waiting."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from analysis import access
from analysis.access import AccessDenied, Actor
from analysis.accounts import (
    DISABLED,
    LAST_ADMIN,
    WRONG_CREDENTIALS,
    AccountError,
    Accounts,
    system_name,
)
from analysis.store import schema
from store_helpers import sqlite_store

PASSWORD = "mot-mat-khau-du-dai"
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 08:00 in Da Nang


class Clock:
    def __init__(self, start=START):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


class CountingHasher(PasswordHasher):
    """A cheap Argon2id hasher that counts verifications (timing equality)."""

    def __init__(self, **params):
        super().__init__(**{"time_cost": 1, "memory_cost": 8, "parallelism": 1, **params})
        self.verified = 0

    def verify(self, hash, password):
        self.verified += 1
        return super().verify(hash, password)


@pytest.fixture
def store(tmp_path):
    return sqlite_store(tmp_path)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def slept():
    return []


@pytest.fixture
def accounts(store, clock, slept):
    return Accounts(store, now=clock, hasher=CountingHasher(), sleep=slept.append)


@pytest.fixture
def admin(accounts):
    accounts.add("Quản trị viên", access.ADMIN, PASSWORD)
    return Actor("Quản trị viên", access.ADMIN)


def stored_hash(store, name_key):
    with store.engine.connect() as conn:
        return conn.execute(select(schema.accounts.c.password_hash)
                            .where(schema.accounts.c.name_key == name_key)).scalar()


def actions(store):
    return [e["action"] for e in reversed(store.audit_log(None))]


# --- creating accounts ----------------------------------------------------------------------

def test_a_password_is_stored_only_as_an_argon2id_hash(store, accounts):
    info = accounts.add("  Nguyễn   Văn An ", access.DIRECTOR, PASSWORD)
    assert info.name == "Nguyễn Văn An" and info.role == "director" and info.active
    encoded = stored_hash(store, "nguyễn văn an")
    assert encoded.startswith("$argon2id$") and PASSWORD not in encoded
    assert "hash" not in " ".join(info.to_dict()) and PASSWORD not in str(info.to_dict())


@pytest.mark.parametrize("name, role, password, department, message", [
    ("", access.ADMIN, PASSWORD, None, "không được để trống"),
    ("An", "root", PASSWORD, None, "Vai trò phải là một trong"),
    ("An", access.ADMIN, "ngan-qua", None, "ít nhất 12 ký tự (mật khẩu vừa nhập có 8)"),
    ("an-mot-hai-ba-bon", access.ADMIN, "AN-MOT-HAI-BA-BON", None, "trùng với tên đăng nhập"),
    ("An", access.DEPT_HEAD, PASSWORD, None, "cần --department"),
    ("An", access.DEPT_HEAD, PASSWORD, "center", "cần --department"),
    ("An", access.DIRECTOR, PASSWORD, "Phòng Tư vấn", "Chỉ tài khoản lãnh đạo phòng"),
])
def test_bad_accounts_are_refused_with_a_clear_message(accounts, name, role, password,
                                                       department, message):
    with pytest.raises(AccountError) as refused:
        accounts.add(name, role, password, department=department)
    assert message in refused.value.message
    assert password not in refused.value.message
    assert not accounts.exists()


def test_names_compare_case_insensitively_and_must_be_unique(accounts):
    accounts.add("An", access.DIRECTOR, PASSWORD)
    with pytest.raises(AccountError, match="Đã có tài khoản"):
        accounts.add("AN", access.ADMIN, PASSWORD)
    accounts.add("Ân", access.ADMIN, PASSWORD)  # another name: diacritics count
    assert [a.name for a in accounts.list()] == ["An", "Ân"]


def test_a_heads_department_is_the_catalogues_spelling_or_a_suggestion(store, accounts):
    store.set_departments(["Phòng Tư vấn - Tham vấn", "Phòng Hành chính"])
    head = accounts.add("Hoa", access.DEPT_HEAD, PASSWORD, department="phòng tư vấn - tham vấn")
    assert head.department == "Phòng Tư vấn - Tham vấn"
    with pytest.raises(AccountError) as refused:
        accounts.add("Lan", access.DEPT_HEAD, PASSWORD, department="Phòng Tư vấn Tham vấn cũ")
    assert "Có phải là “Phòng Tư vấn - Tham vấn”?" in refused.value.message


# --- signing in -----------------------------------------------------------------------------

def test_wrong_name_and_wrong_password_read_the_same_and_cost_the_same(accounts, admin):
    hasher = accounts._hasher
    before = hasher.verified
    wrong_password = accounts.sign_in("Quản trị viên", "khong-dung-mat-khau")
    assert hasher.verified == before + 1
    wrong_name = accounts.sign_in("Không có ai", PASSWORD)
    assert hasher.verified == before + 2  # an unknown name is verified against a dummy hash
    assert not wrong_password.ok and not wrong_name.ok
    assert wrong_password.message == wrong_name.message == WRONG_CREDENTIALS


def test_a_successful_sign_in_opens_a_server_side_session(store, accounts, admin):
    result = accounts.sign_in("quản trị viên", PASSWORD)
    assert result.ok and result.actor == admin and len(result.token) >= 40
    with store.engine.connect() as conn:
        ids = conn.execute(select(schema.sessions.c.id_hash)).scalars().all()
    assert ids == [hashlib.sha256(result.token.encode()).hexdigest()]  # the id itself is not kept
    assert accounts.session(result.token).actor == admin
    assert accounts.get("Quản trị viên").last_login_at == "2026-11-02T01:00:00+00:00"


def test_a_password_typed_in_another_unicode_form_is_the_same(accounts):
    password = "Mật khẩu có dấu tiếng Việt"
    accounts.add("Hoa", access.DIRECTOR, unicodedata.normalize("NFC", password))
    assert accounts.sign_in("Hoa", unicodedata.normalize("NFD", password)).ok


def test_five_failures_lock_for_fifteen_minutes_then_the_lock_expires(accounts, admin, clock,
                                                                      slept, store):
    for _ in range(4):
        assert accounts.sign_in("Quản trị viên", "sai-mat-khau-roi").message == WRONG_CREDENTIALS
    fifth = accounts.sign_in("Quản trị viên", "sai-mat-khau-roi")
    assert not fifth.ok and "tạm khóa" in fifth.message and "15 phút" in fifth.message
    assert "08:15 02/11/2026" in fifth.message  # until when, Da Nang time
    assert slept == [0.5, 1.0, 1.5, 2.0, 2.0]  # each failure answered a little later
    right = accounts.sign_in("Quản trị viên", PASSWORD)
    assert not right.ok and "tạm khóa" in right.message  # even the right password
    clock.advance(minutes=10)
    assert "5 phút" in accounts.sign_in("Quản trị viên", PASSWORD).message
    clock.advance(minutes=5, seconds=1)
    assert accounts.sign_in("Quản trị viên", PASSWORD).ok
    assert actions(store).count("login_locked") == 1


def test_after_an_expired_lock_the_count_starts_again(accounts, admin, clock):
    for _ in range(5):
        accounts.sign_in("Quản trị viên", "sai-mat-khau-roi")
    clock.advance(minutes=16)
    assert accounts.sign_in("Quản trị viên", "sai-mat-khau-roi").message == WRONG_CREDENTIALS
    assert accounts.get("Quản trị viên").failures == 1


def test_a_success_resets_the_count(accounts, admin):
    for _ in range(4):
        accounts.sign_in("Quản trị viên", "sai-mat-khau-roi")
    assert accounts.sign_in("Quản trị viên", PASSWORD).ok
    assert accounts.sign_in("Quản trị viên", "sai-mat-khau-roi").message == WRONG_CREDENTIALS


def test_an_unknown_name_is_locked_too_so_a_lock_reveals_no_account(accounts, admin):
    for _ in range(5):
        known = accounts.sign_in("Quản trị viên", "sai-mat-khau-roi")
        unknown = accounts.sign_in("Ai đó", "sai-mat-khau-roi")
    assert known.message == unknown.message and "tạm khóa" in unknown.message


def test_lock_limits_are_settings(store, accounts, admin, clock):
    store.set_settings({"login_max_failures": 2, "login_lock_minutes": 60}, admin)
    accounts.sign_in("Quản trị viên", "sai-mat-khau-roi")
    second = accounts.sign_in("Quản trị viên", "sai-mat-khau-roi")
    assert "60 phút" in second.message
    clock.advance(minutes=59)
    assert not accounts.sign_in("Quản trị viên", PASSWORD).ok
    clock.advance(minutes=2)
    assert accounts.sign_in("Quản trị viên", PASSWORD).ok


def test_unlock_lifts_the_lock(accounts, admin):
    for _ in range(5):
        accounts.sign_in("Quản trị viên", "sai-mat-khau-roi")
    assert accounts.get("Quản trị viên").locked_until == "2026-11-02T01:15:00+00:00"
    accounts.unlock("Quản trị viên")
    assert accounts.get("Quản trị viên").locked_until is None
    assert accounts.sign_in("Quản trị viên", PASSWORD).ok


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(accounts, admin):
    accounts.add("Giám đốc", access.DIRECTOR, PASSWORD)
    token = accounts.sign_in("Giám đốc", PASSWORD).token
    accounts.disable("Giám đốc", actor=admin)
    assert accounts.session(token).actor is None
    assert accounts.sign_in("Giám đốc", PASSWORD).message == DISABLED
    assert accounts.sign_in("Giám đốc", "sai-mat-khau-roi").message == WRONG_CREDENTIALS
    accounts.enable("Giám đốc", actor=admin)
    assert accounts.sign_in("Giám đốc", PASSWORD).ok


def test_the_last_active_administrator_cannot_be_disabled(accounts, admin):
    with pytest.raises(AccountError) as refused:
        accounts.disable("Quản trị viên")
    assert refused.value.message == LAST_ADMIN
    accounts.add("Quản trị 2", access.ADMIN, PASSWORD)
    accounts.disable("Quản trị viên")
    assert not accounts.get("Quản trị viên").active


def test_a_new_password_ends_sessions_and_lifts_a_lock(accounts, admin):
    token = accounts.sign_in("Quản trị viên", PASSWORD).token
    for _ in range(5):
        accounts.sign_in("Quản trị viên", "sai-mat-khau-roi")
    accounts.set_password("Quản trị viên", "mat-khau-moi-hoan-toan")
    assert accounts.session(token).actor is None
    assert not accounts.sign_in("Quản trị viên", PASSWORD).ok
    assert accounts.sign_in("Quản trị viên", "mat-khau-moi-hoan-toan").ok


def test_a_hash_made_with_older_parameters_is_upgraded_at_sign_in(store, clock):
    old = Accounts(store, now=clock, hasher=CountingHasher(time_cost=1))
    old.add("An", access.DIRECTOR, PASSWORD)
    before = stored_hash(store, "an")
    new = Accounts(store, now=clock, hasher=CountingHasher(time_cost=2))
    assert new.sign_in("An", PASSWORD).ok
    after = stored_hash(store, "an")
    assert "t=1" in before and "t=2" in after
    assert new.sign_in("An", PASSWORD).ok


# --- sessions -------------------------------------------------------------------------------

def test_an_idle_session_ends_after_thirty_minutes(store, accounts, admin, clock):
    token = accounts.sign_in("Quản trị viên", PASSWORD).token
    clock.advance(minutes=20)
    assert accounts.session(token).actor == admin  # a page run: the session is used
    clock.advance(minutes=29)
    assert accounts.session(token).actor == admin  # 29 minutes after the last use
    clock.advance(minutes=31)
    check = accounts.session(token)
    assert check.actor is None and "30 phút" in check.message
    assert accounts.session(token).actor is None  # the row is gone for good
    assert "session_expired" in actions(store)


def test_the_idle_limit_is_a_setting(store, accounts, admin, clock):
    store.set_settings({"session_idle_minutes": 10}, admin)
    token = accounts.sign_in("Quản trị viên", PASSWORD).token
    clock.advance(minutes=11)
    assert accounts.session(token).actor is None


def test_sign_out_deletes_the_session(store, accounts, admin):
    token = accounts.sign_in("Quản trị viên", PASSWORD).token
    assert accounts.sign_out(token)
    assert accounts.session(token).actor is None
    assert not accounts.sign_out(token)
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.sessions)).first() is None
    assert actions(store)[-1] == "logout"


def test_a_sign_in_rotates_the_session_id(accounts, admin):
    first = accounts.sign_in("Quản trị viên", PASSWORD).token
    second = accounts.sign_in("Quản trị viên", PASSWORD, previous_token=first).token
    assert second != first
    assert accounts.session(first).actor is None and accounts.session(second).actor == admin


def test_two_sessions_of_one_account_are_independent(accounts, admin):
    office, home = (accounts.sign_in("Quản trị viên", PASSWORD).token for _ in range(2))
    accounts.sign_out(office)
    assert accounts.session(home).actor == admin


def test_a_made_up_session_id_opens_nothing(accounts, admin):
    accounts.sign_in("Quản trị viên", PASSWORD)
    assert accounts.session("gia-mao").actor is None
    assert accounts.session("").actor is None and accounts.session(None).actor is None


# --- who manages accounts, the audit log ----------------------------------------------------

@pytest.mark.parametrize("actor", [Actor("Giám đốc", access.DIRECTOR),
                                   Actor("Hoa", access.DEPT_HEAD, "Phòng Tư vấn"), access.DEMO])
def test_only_an_administrator_or_the_command_line_manages_accounts(accounts, admin, actor):
    accounts.add("Giám đốc", access.DIRECTOR, PASSWORD)
    accounts.add("Hoa", access.DEPT_HEAD, PASSWORD, department="Phòng Tư vấn")
    for change in (lambda: accounts.add("Mới", access.ADMIN, PASSWORD, actor=actor),
                   lambda: accounts.disable("Quản trị viên", actor=actor),
                   lambda: accounts.unlock("Quản trị viên", actor=actor),
                   lambda: accounts.set_password("Quản trị viên", "mat-khau-moi-123", actor=actor)):
        with pytest.raises(AccessDenied):
            change()
    accounts.add("Mới", access.DIRECTOR, PASSWORD, actor=admin)
    accounts.add("Mới 2", access.DIRECTOR, PASSWORD, actor=access.system_actor("root"))


def test_sign_ins_failures_locks_and_sign_outs_are_audited(store, accounts, admin):
    accounts.sign_in("Quản trị viên", "sai-mat-khau-roi")
    accounts.sign_in("Người lạ", "sai-mat-khau-roi")
    token = accounts.sign_in("Quản trị viên", PASSWORD).token
    accounts.sign_out(token)
    entries = list(reversed(store.audit_log(None)))
    assert [(e["user"], e["action"]) for e in entries] == [
        (system_name(), "account_add"),  # the command line: the operating-system user
        ("Quản trị viên", "login_failed"), ("", "login_failed"),
        ("Quản trị viên", "login"), ("Quản trị viên", "logout")]
    assert entries[2]["details"] == {"failures": 1, "unknown_name": True}  # no typed name kept


# --- the command line actor (SPEC §5) --------------------------------------------------------

def test_command_line_actor_before_and_after_the_first_account(accounts):
    before = accounts.command_line_actor("Tên ghi lại")
    assert before == access.system_actor("Tên ghi lại")
    accounts.add("Hoa", access.DEPT_HEAD, PASSWORD, department="Phòng Tư vấn")
    assert accounts.command_line_actor("hoa") == Actor("Hoa", access.DEPT_HEAD, "Phòng Tư vấn")
    for name in (None, "", "Không có"):
        with pytest.raises(AccessDenied):
            accounts.command_line_actor(name)
    accounts.add("Quản trị", access.ADMIN, PASSWORD)
    accounts.disable("Hoa")
    with pytest.raises(AccessDenied, match="đang hoạt động"):
        accounts.command_line_actor("Hoa")
