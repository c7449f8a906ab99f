"""Audit log (SPEC §4.4): who did what and when, with hashes, ids and counts only.

Never put cell contents (task titles may name vulnerable clients) in `details`.
Rejected uploads are NOT written here: SPEC §4.4 says a rejected upload changes
nothing, the database included. They go to the Python log (hash and counts).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from . import schema


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_audit(conn: Connection, user: str, action: str, *, at: str | None = None,
                **details: Any) -> None:
    """One audit row; `at` (ISO UTC) defaults to now (the accounts pass their own clock)."""
    conn.execute(insert(schema.audit).values(
        at=at or utc_now(), user_name=user or "", action=action,
        details=json.dumps(details, ensure_ascii=False, default=str, sort_keys=True)))


def read_audit(conn: Connection, limit: int | None = 200, *, users: Iterable[str] = (),
               actions: Iterable[str] = (), since: str | None = None,
               until: str | None = None) -> list[dict[str, Any]]:
    """Newest first. Filters: any of `users`, any of `actions`, `since` <= at < `until`
    (ISO UTC text; the times are stored in that form, so text order is time order)."""
    table = schema.audit
    query = select(table).order_by(table.c.id.desc())
    users, actions = list(users), list(actions)
    if users:
        query = query.where(table.c.user_name.in_(users))
    if actions:
        query = query.where(table.c.action.in_(actions))
    if since:
        query = query.where(table.c.at >= since)
    if until:
        query = query.where(table.c.at < until)
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).mappings()
    return [{"id": r["id"], "at": r["at"], "user": r["user_name"], "action": r["action"],
             "details": json.loads(r["details"])} for r in rows]


def audit_users(conn: Connection) -> list[str]:
    """Every name the audit log holds (for the filter of page Quản trị)."""
    column = schema.audit.c.user_name
    return sorted(conn.execute(select(column).distinct()).scalars())
