"""Who is acting, as the database knows it (SPEC §5, §8).

Every write the store makes on someone's behalf (an upload, a restore, a catalogue or
settings change) first calls `authorise`, so the rules of `analysis.access` are enforced
where the action happens, whatever page or command asked:

- an account's `Actor` is looked up again by name: a disabled or deleted account may do
  nothing, and its role and department are the database's, not the caller's;
- a bare name (a `str`, or `None`) or the command line's system actor is accepted only
  while no account exists (SPEC §5: before the first account the command line does
  everything; once one exists it must name an active account);
- demo mode (`access.DEMO`) is refused every write by `access.check`.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import Connection, select

from analysis import access
from analysis.access import AccessDenied, Actor
from analysis.fields import clean_text

from . import schema

SIGN_IN_NEEDED = ("Đã có tài khoản người dùng: thao tác này cần một tài khoản đang hoạt động "
                  "(trên trang: đăng nhập; ở dòng lệnh: --user TÊN).")
NO_ACTIVE_ACCOUNT = "Không có tài khoản đang hoạt động nào tên “{name}”."


def name_key(name: str | None) -> str:
    """How account names compare: NFC, trimmed, inner spaces collapsed, case-folded
    ("An", " an ", "AN" are one account; "Ân" is another)."""
    return clean_text(unicodedata.normalize("NFC", name or "")).casefold()


def any_account(conn: Connection) -> bool:
    return conn.execute(select(schema.accounts.c.id).limit(1)).first() is not None


def account_row(conn: Connection, name: str | None) -> dict[str, Any] | None:
    table = schema.accounts
    row = conn.execute(select(table).where(table.c.name_key == name_key(name))).mappings().first()
    return dict(row) if row else None


def account_actor(row: dict[str, Any]) -> Actor:
    return Actor(row["name"], row["role"], row["department"])


def acting(conn: Connection, actor: Actor | str | None) -> Actor:
    """The actor as the database knows it; raises `AccessDenied` when it cannot act."""
    if actor is None or isinstance(actor, str):
        if any_account(conn):
            raise AccessDenied(SIGN_IN_NEEDED)
        return access.system_actor(actor or "")
    if actor.role == access.SYSTEM_ROLE:
        if any_account(conn):
            raise AccessDenied(SIGN_IN_NEEDED)
        return actor
    if actor.is_demo:
        return actor
    row = account_row(conn, actor.name)
    if row is None or not row["active"]:
        raise AccessDenied(NO_ACTIVE_ACCOUNT.format(name=clean_text(actor.name or "")))
    return account_actor(row)


def authorise(conn: Connection, actor: Actor | str | None, action: str,
              scope: str | None = access.CENTER) -> Actor:
    """`acting(conn, actor)`, then `access.check` of `action` on `scope`."""
    known = acting(conn, actor)
    access.check(known, action, scope)
    return known
