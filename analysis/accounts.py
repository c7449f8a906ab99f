"""Accounts, password hashes, sign-in with lockout, and server-side sessions (SPEC §8).

    accounts = Accounts(store)                 # now=, hasher=, sleep= for tests
    accounts.add(name, role, password, department=None, actor=...)  -> AccountInfo
    accounts.set_password / disable / enable / unlock (name, ..., actor=...)
    accounts.list() -> [AccountInfo]            (never a hash)
    accounts.sign_in(name, password, previous_token=None) -> SignIn
    accounts.session(token) -> SessionCheck     (every page run: the actor, or why not)
    accounts.sign_out(token)
    accounts.command_line_actor(name) -> Actor  (SPEC §5 `--user`)

Passwords: Argon2id (argon2-cffi's `PasswordHasher`, its RFC 9106 defaults), NFC-normalised
first so a name typed with another keyboard's diacritics is the same password; rehashed at
sign-in when the parameters change (`check_needs_rehash`). Nothing here logs, audits or
returns a password or a hash.

Sign-in: a wrong name and a wrong password get the same message and cost the same time
(an unknown name is verified against a dummy hash). Failures are counted in the database
per typed name, known or not (so a lockout says nothing about which names exist); each
failure is answered a little later than the last (`FAILURE_DELAY_SECONDS` per failure, at
most `MAX_FAILURE_DELAY_SECONDS`), and `login_max_failures` in a row lock the name for
`login_lock_minutes` (settings, SPEC §6). The message says until when. A success, the end
of the lock, or `unlock` starts the count again.

Sessions: a sign-in creates a random id (`secrets`, 256 bits) that only the caller keeps
(the page keeps it in the server-side Streamlit session; nothing is put in a cookie); the
database stores its SHA-256. Each page run checks the row: deleted at sign-out, after
`session_idle_minutes` without a page run, when the account is disabled or its password
reset. A sign-in always makes a new id and deletes the one presented before (rotation).

The clock is injected (`now`), so tests move time instead of waiting.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import math
import secrets
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, delete, func, insert, select, update

from analysis import access
from analysis.access import AccessDenied, Actor
from analysis.fields import clean_text
from analysis.periods import CENTER_TZ
from analysis.store import catalogue, schema
from analysis.store.audit import write_audit
from analysis.store.authority import (
    NO_ACTIVE_ACCOUNT,
    account_actor,
    account_row,
    any_account,
    authorise,
    name_key,
)
from analysis.store.engine import read_transaction, run_write

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # Argon2 takes any length; a megabyte "password" is an attack
MAX_NAME_LENGTH = 100
FAILURE_DELAY_SECONDS = 0.5  # the answer to the n-th failure in a row waits n times this
MAX_FAILURE_DELAY_SECONDS = 2.0
TOUCH_EVERY = timedelta(seconds=60)  # a session's last_seen is written at most this often
FORGET_FAILURES_AFTER = timedelta(days=1)  # unlocked failure rows older than this are pruned

# Settings (SPEC §6; defaults in analysis.store.catalogue.DEFAULT_SETTINGS).
MAX_FAILURES, LOCK_MINUTES, IDLE_MINUTES = (
    "login_max_failures", "login_lock_minutes", "session_idle_minutes")

# Audit actions (SPEC §4.4): who signed in, failed, was locked, signed out, and account changes.
LOGIN, LOGIN_FAILED, LOGIN_LOCKED, LOGOUT, SESSION_EXPIRED = (
    "login", "login_failed", "login_locked", "logout", "session_expired")
ACCOUNT_ADD, ACCOUNT_PASSWORD, ACCOUNT_DISABLE, ACCOUNT_ENABLE, ACCOUNT_UNLOCK = (
    "account_add", "account_password", "account_disable", "account_enable", "account_unlock")

# Messages (Vietnamese, for the user).
WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED = ("Tài khoản đang tạm khóa vì đăng nhập sai {failures} lần liên tiếp: thử lại sau "
          "{minutes} phút (sau {until}), hoặc nhờ quản trị viên mở khóa.")
DISABLED = "Tài khoản này đã ngừng hoạt động. Liên hệ quản trị viên."
SESSION_ENDED = "Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại."
SESSION_IDLE = ("Phiên đăng nhập đã hết hạn sau {minutes} phút không thao tác. "
                "Vui lòng đăng nhập lại.")
PASSWORD_TOO_SHORT = "Mật khẩu phải có ít nhất {minimum} ký tự (mật khẩu vừa nhập có {length})."
PASSWORD_TOO_LONG = "Mật khẩu dài quá {maximum} ký tự."
PASSWORD_IS_NAME = "Mật khẩu không được trùng với tên đăng nhập."
NAME_EMPTY = "Tên đăng nhập không được để trống."
NAME_TOO_LONG = "Tên đăng nhập dài quá {maximum} ký tự."
NAME_TAKEN = "Đã có tài khoản tên “{name}”."
NO_ACCOUNT = "Không có tài khoản nào tên “{name}”."
BAD_ROLE = "Vai trò phải là một trong: {roles}."
HEAD_NEEDS_DEPARTMENT = "Lãnh đạo phòng (dept_head) cần --department: phòng của mình."
ONLY_HEAD_HAS_DEPARTMENT = "Chỉ tài khoản lãnh đạo phòng (dept_head) gắn với một phòng."
LAST_ADMIN = ("Không thể ngừng tài khoản quản trị cuối cùng đang hoạt động: hãy tạo "
              "một quản trị viên khác trước.")
CLI_USER_NEEDED = ("Đã có tài khoản người dùng: lệnh này cần --user TÊN, tên một tài khoản "
                   "đang hoạt động (quyền của tài khoản đó được áp dụng).")



class AccountError(ValueError):
    """A request about accounts that cannot be done; `message` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clock() -> datetime:
    """The real time (UTC). `Accounts(now=...)` replaces it; tests may patch this."""
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _normalise_password(password: str) -> str:
    return unicodedata.normalize("NFC", password or "")


def check_password_rules(password: str, name: str = "") -> None:
    """Raise `AccountError` unless `password` may be set (length; not the name itself)."""
    text = _normalise_password(password)
    if len(text) < MIN_PASSWORD_LENGTH:
        raise AccountError(PASSWORD_TOO_SHORT.format(minimum=MIN_PASSWORD_LENGTH,
                                                     length=len(text)))
    if len(text) > MAX_PASSWORD_LENGTH:
        raise AccountError(PASSWORD_TOO_LONG.format(maximum=MAX_PASSWORD_LENGTH))
    if name and name_key(text) == name_key(name):
        raise AccountError(PASSWORD_IS_NAME)


def system_name() -> str:
    """Who runs the command line (the operating-system user), for the audit log."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "dòng lệnh"


@dataclass(frozen=True)
class AccountInfo:
    """An account as `user list` and page Quản trị show it (no hash, ever)."""

    name: str
    role: str
    department: str | None
    active: bool
    locked_until: str | None  # ISO UTC while a lock is in force
    failures: int  # failed sign-ins in a row
    created_at: str
    password_changed_at: str
    last_login_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SignIn:
    ok: bool
    message: str = ""  # why not, for the user (empty on success)
    token: str | None = None  # the new session id: keep it server-side only
    actor: Actor | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True)
class SessionCheck:
    actor: Actor | None  # None: not signed in (any more)
    message: str = ""  # why the session ended, for the user


class Accounts:
    def __init__(self, store, now: Callable[[], datetime] | None = None,
                 hasher: PasswordHasher | None = None,
                 sleep: Callable[[float], None] | None = None):
        self.engine = store.engine
        self._now = now or (lambda: clock())  # looked up at call time: patchable
        self._hasher = hasher or PasswordHasher()  # Argon2id, RFC 9106 low-memory profile
        self._sleep = sleep or time.sleep
        self._dummy: str | None = None

    # --- reading ------------------------------------------------------------------------
    def exists(self) -> bool:
        """Whether any account exists (none: demo mode, SPEC §8)."""
        with read_transaction(self.engine) as conn:
            return any_account(conn)

    def list(self) -> list[AccountInfo]:
        a, f = schema.accounts, schema.login_failures
        now = self._now()
        with read_transaction(self.engine) as conn:
            rows = conn.execute(select(a, f.c.failures, f.c.locked_until)
                                .select_from(a.outerjoin(f, f.c.name_key == a.c.name_key))
                                .order_by(a.c.name_key)).mappings().all()
        result = []
        for r in rows:
            until = _parse(r["locked_until"])
            result.append(AccountInfo(
                r["name"], r["role"], r["department"], bool(r["active"]),
                _iso(until) if until and until > now else None,
                0 if until and until <= now else int(r["failures"] or 0),
                r["created_at"], r["password_changed_at"], r["last_login_at"]))
        return result

    def get(self, name: str) -> AccountInfo | None:
        return next((a for a in self.list() if name_key(a.name) == name_key(name)), None)

    # --- managing (administrator, or the command line on the server) ----------------------
    def add(self, name: str, role: str, password: str, department: str | None = None,
            actor: Actor | None = None) -> AccountInfo:
        name = clean_text(unicodedata.normalize("NFC", name or ""))
        if not name:
            raise AccountError(NAME_EMPTY)
        if len(name) > MAX_NAME_LENGTH:
            raise AccountError(NAME_TOO_LONG.format(maximum=MAX_NAME_LENGTH))
        if role not in access.ROLES:
            raise AccountError(BAD_ROLE.format(roles=", ".join(access.ROLES)))
        check_password_rules(password, name)
        encoded = self._hasher.hash(_normalise_password(password))
        stamp = _iso(self._now())

        def work(conn: Connection) -> None:
            who = self._manager(conn, actor)
            if account_row(conn, name) is not None:
                raise AccountError(NAME_TAKEN.format(name=name))
            dept = self._department(conn, role, department)
            conn.execute(insert(schema.accounts).values(
                name=name, name_key=name_key(name), role=role, department=dept,
                password_hash=encoded, active=True, created_at=stamp,
                password_changed_at=stamp))
            conn.execute(delete(schema.login_failures)
                         .where(schema.login_failures.c.name_key == name_key(name)))
            write_audit(conn, who, ACCOUNT_ADD, at=stamp, account=name, role=role,
                        department=dept)

        run_write(self.engine, work)
        return self.get(name)

    def set_password(self, name: str, password: str, actor: Actor | None = None) -> None:
        """A new password (the administrator's reset, or `user passwd`); the account's
        sessions end and its lock is lifted."""
        check_password_rules(password, name)
        encoded = self._hasher.hash(_normalise_password(password))
        stamp = _iso(self._now())

        def work(conn: Connection) -> None:
            who = self._manager(conn, actor)
            row = self._existing(conn, name)
            conn.execute(update(schema.accounts).where(schema.accounts.c.id == row["id"])
                         .values(password_hash=encoded, password_changed_at=stamp))
            self._end_sessions(conn, row["id"])
            self._clear_failures(conn, row["name_key"])
            write_audit(conn, who, ACCOUNT_PASSWORD, at=stamp, account=row["name"])

        run_write(self.engine, work)

    def disable(self, name: str, actor: Actor | None = None) -> None:
        """The account may no longer sign in; its open sessions end at their next page run."""
        self._set_active(name, False, actor)

    def enable(self, name: str, actor: Actor | None = None) -> None:
        self._set_active(name, True, actor)

    def unlock(self, name: str, actor: Actor | None = None) -> None:
        """Lift a lock after failed sign-ins (and forget the failures)."""
        stamp = _iso(self._now())

        def work(conn: Connection) -> None:
            who = self._manager(conn, actor)
            row = self._existing(conn, name)
            self._clear_failures(conn, row["name_key"])
            write_audit(conn, who, ACCOUNT_UNLOCK, at=stamp, account=row["name"])

        run_write(self.engine, work)

    def _set_active(self, name: str, active: bool, actor: Actor | None) -> None:
        stamp = _iso(self._now())

        def work(conn: Connection) -> None:
            who = self._manager(conn, actor)
            row = self._existing(conn, name)
            a = schema.accounts
            if not active and row["role"] == access.ADMIN and row["active"]:
                others = conn.execute(select(func.count()).select_from(a).where(
                    a.c.role == access.ADMIN, a.c.active.is_(True), a.c.id != row["id"])).scalar()
                if not others:
                    raise AccountError(LAST_ADMIN)
            conn.execute(update(a).where(a.c.id == row["id"]).values(active=active))
            if not active:
                self._end_sessions(conn, row["id"])
            write_audit(conn, who, ACCOUNT_ENABLE if active else ACCOUNT_DISABLE, at=stamp,
                        account=row["name"])

        run_write(self.engine, work)

    def _manager(self, conn: Connection, actor: Actor | None) -> str:
        """Who manages accounts: the command line on the server (SPEC §5 `user`), or an
        administrator (`AccessDenied` for anyone else). Returns the name for the audit."""
        if actor is None:
            actor = access.system_actor(system_name())
        if actor.role == access.SYSTEM_ROLE:
            return actor.name
        return authorise(conn, actor, access.ADMINISTER).name

    @staticmethod
    def _existing(conn: Connection, name: str) -> dict[str, Any]:
        row = account_row(conn, name)
        if row is None:
            raise AccountError(NO_ACCOUNT.format(name=clean_text(name or "")))
        return row

    @staticmethod
    def _department(conn: Connection, role: str, department: str | None) -> str | None:
        text = clean_text(department or "")
        if role != access.DEPT_HEAD:
            if text:
                raise AccountError(ONLY_HEAD_HAS_DEPARTMENT)
            return None
        if not text or catalogue.is_center(text):
            raise AccountError(HEAD_NEEDS_DEPARTMENT)
        canonical = catalogue.canonical_scope(conn, text)
        if canonical is None:  # not in the configured catalogue: the closest name suggested
            from analysis.validation import unknown_department_messages

            names = [r["name"] for r in catalogue.department_rows(conn)]
            raise AccountError(unknown_department_messages(names)(text))
        return canonical

    # --- signing in and out ------------------------------------------------------------------
    def sign_in(self, name: str, password: str, previous_token: str | None = None) -> SignIn:
        """Check a name and password. On success a NEW session id (the previous one, if
        given, is deleted). Every failure reads the same, counts, and waits a little."""
        now = self._now()
        key = name_key(name)
        with read_transaction(self.engine) as conn:
            limits = self._limits(conn)
            failure = self._failure_row(conn, key)
            row = account_row(conn, name) if key else None
        until = _parse(failure["locked_until"]) if failure else None
        if until is not None and until > now:
            return SignIn(False, self._locked_message(failure["failures"], until, now),
                          locked_until=until)
        encoded = row["password_hash"] if row else self._dummy_hash()
        verified = self._verify(encoded, password)  # always run: the same time either way
        if row is None or not verified:
            return self._failed(key, row, now, limits)
        if not row["active"]:
            run_write(self.engine, lambda conn: write_audit(
                conn, row["name"], LOGIN_FAILED, at=_iso(now), reason="disabled"))
            return SignIn(False, DISABLED)
        rehashed = (self._hasher.hash(_normalise_password(password))
                    if self._needs_rehash(encoded) else None)
        token = secrets.token_urlsafe(32)

        def work(conn: Connection) -> Actor:
            stamp = _iso(now)
            self._clear_failures(conn, key)
            if previous_token:
                conn.execute(delete(schema.sessions)
                             .where(schema.sessions.c.id_hash == _token_hash(previous_token)))
            s = schema.sessions
            conn.execute(delete(s).where(
                s.c.last_seen_at < _iso(now - timedelta(minutes=limits[IDLE_MINUTES]))))
            conn.execute(insert(s).values(id_hash=_token_hash(token), account_id=row["id"],
                                          created_at=stamp, last_seen_at=stamp))
            values: dict[str, Any] = {"last_login_at": stamp}
            if rehashed:
                values["password_hash"] = rehashed
            conn.execute(update(schema.accounts).where(schema.accounts.c.id == row["id"])
                         .values(**values))
            write_audit(conn, row["name"], LOGIN, at=stamp, role=row["role"])
            return account_actor(row)

        actor = run_write(self.engine, work)
        return SignIn(True, "", token, actor)

    def _failed(self, key: str, row: dict[str, Any] | None, now: datetime,
                limits: dict[str, int]) -> SignIn:
        stamp = _iso(now)

        def work(conn: Connection) -> tuple[int, datetime | None]:
            f = schema.login_failures
            conn.execute(delete(f).where(f.c.last_failure_at < _iso(now - FORGET_FAILURES_AFTER),
                                         (f.c.locked_until.is_(None))
                                         | (f.c.locked_until < stamp)))
            current = self._failure_row(conn, key)
            until = _parse(current["locked_until"]) if current else None
            if until is not None and until > now:  # locked meanwhile by a parallel attempt
                return int(current["failures"]), until
            # a lock that has run out starts the count again
            failures = 1 if current is None or until is not None else int(current["failures"]) + 1
            locked = (now + timedelta(minutes=limits[LOCK_MINUTES])
                      if failures >= limits[MAX_FAILURES] else None)
            values = {"failures": failures, "last_failure_at": stamp,
                      "locked_until": _iso(locked) if locked else None}
            if current is None:
                conn.execute(insert(f).values(name_key=key, **values))
            else:
                conn.execute(update(f).where(f.c.name_key == key).values(**values))
            # An unknown name is not recorded: it may be a password typed in the wrong box.
            who = row["name"] if row else ""
            details = {"failures": failures} if row else {"failures": failures, "unknown_name": True}
            write_audit(conn, who, LOGIN_FAILED, at=stamp, **details)
            if locked:
                write_audit(conn, who, LOGIN_LOCKED, at=stamp, minutes=limits[LOCK_MINUTES],
                            **details)
            return failures, locked

        failures, locked = run_write(self.engine, work)
        self._sleep(min(FAILURE_DELAY_SECONDS * failures, MAX_FAILURE_DELAY_SECONDS))
        if locked:
            return SignIn(False, self._locked_message(failures, locked, now), locked_until=locked)
        return SignIn(False, WRONG_CREDENTIALS)

    def session(self, token: str | None) -> SessionCheck:
        """The signed-in actor of a session id, checked on every page run: None (with the
        reason) once it was signed out, idled past the limit, or its account disabled."""
        if not token:
            return SessionCheck(None)
        now = self._now()
        s, a = schema.sessions, schema.accounts
        id_hash = _token_hash(token)
        with read_transaction(self.engine) as conn:
            row = conn.execute(select(s.c.last_seen_at, a).select_from(
                s.join(a, a.c.id == s.c.account_id)).where(s.c.id_hash == id_hash)
            ).mappings().first()
            idle = self._limits(conn)[IDLE_MINUTES] if row else 0
        if row is None:
            return SessionCheck(None, SESSION_ENDED)
        last_seen = _parse(row["last_seen_at"])
        if now - last_seen > timedelta(minutes=idle):
            def expire(conn: Connection) -> None:
                if conn.execute(delete(s).where(s.c.id_hash == id_hash)).rowcount:
                    write_audit(conn, row["name"], SESSION_EXPIRED, at=_iso(now),
                                idle_minutes=idle)
            run_write(self.engine, expire)
            return SessionCheck(None, SESSION_IDLE.format(minutes=idle))
        if not row["active"]:
            run_write(self.engine, lambda conn: conn.execute(delete(s).where(s.c.id_hash == id_hash)))
            return SessionCheck(None, DISABLED)
        if now - last_seen >= TOUCH_EVERY:
            run_write(self.engine, lambda conn: conn.execute(
                update(s).where(s.c.id_hash == id_hash).values(last_seen_at=_iso(now))))
        return SessionCheck(account_actor(row))

    def sign_out(self, token: str | None) -> bool:
        """Delete the session row (the id is worthless afterwards). True if it existed."""
        if not token:
            return False
        now = self._now()
        s, a = schema.sessions, schema.accounts
        id_hash = _token_hash(token)

        def work(conn: Connection) -> bool:
            name = conn.execute(select(a.c.name).select_from(s.join(a, a.c.id == s.c.account_id))
                                .where(s.c.id_hash == id_hash)).scalar()
            if name is None:
                return False
            conn.execute(delete(s).where(s.c.id_hash == id_hash))
            write_audit(conn, name, LOGOUT, at=_iso(now))
            return True

        return run_write(self.engine, work)

    # --- the command line (SPEC §5) --------------------------------------------------------
    def command_line_actor(self, name: str | None) -> Actor:
        """Who a command acts as. Before any account exists: the system actor (`name`, else
        the OS user, is only recorded). Once one exists: `name` must be an active account,
        whose role then applies; `AccessDenied` otherwise."""
        with read_transaction(self.engine) as conn:
            if not any_account(conn):
                return access.system_actor(clean_text(name or "") or system_name())
            if not clean_text(name or ""):
                raise AccessDenied(CLI_USER_NEEDED)
            row = account_row(conn, name)
        if row is None or not row["active"]:
            raise AccessDenied(NO_ACTIVE_ACCOUNT.format(name=clean_text(name or "")))
        return account_actor(row)

    # --- helpers ---------------------------------------------------------------------------
    def _verify(self, encoded: str, password: str) -> bool:
        try:
            return self._hasher.verify(encoded, _normalise_password(password))
        except VerifyMismatchError:
            return False
        except (VerificationError, InvalidHashError):
            log.warning("an account's stored password hash could not be checked")
            return False

    def _needs_rehash(self, encoded: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(encoded)
        except (InvalidHashError, ValueError):
            return True

    def _dummy_hash(self) -> str:
        """A hash of a random password with the same parameters: an unknown name costs
        the same verification time as a known one."""
        if self._dummy is None:
            self._dummy = self._hasher.hash(secrets.token_urlsafe(24))
        return self._dummy

    @staticmethod
    def _limits(conn: Connection) -> dict[str, int]:
        values = catalogue.get_settings(conn)
        return {key: max(1, int(values[key])) for key in (MAX_FAILURES, LOCK_MINUTES, IDLE_MINUTES)}

    @staticmethod
    def _failure_row(conn: Connection, key: str) -> dict[str, Any] | None:
        f = schema.login_failures
        row = conn.execute(select(f).where(f.c.name_key == key)).mappings().first()
        return dict(row) if row else None

    @staticmethod
    def _clear_failures(conn: Connection, key: str) -> None:
        conn.execute(delete(schema.login_failures).where(schema.login_failures.c.name_key == key))

    @staticmethod
    def _end_sessions(conn: Connection, account_id: int) -> None:
        conn.execute(delete(schema.sessions).where(schema.sessions.c.account_id == account_id))

    @staticmethod
    def _locked_message(failures: int, until: datetime, now: datetime) -> str:
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        local = until.astimezone(CENTER_TZ).strftime("%H:%M %d/%m/%Y")
        return LOCKED.format(failures=failures, minutes=minutes, until=local)
