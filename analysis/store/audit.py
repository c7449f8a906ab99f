"""Audit log (SPEC §4.4): who did what and when, with hashes, ids and counts only.

Never put cell contents (task titles may name vulnerable clients) in `details`.
Rejected uploads are NOT written here: SPEC §4.4 says a rejected upload changes
nothing, the database included. They go to the Python log (hash and counts).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import Connection, insert, select

from . import schema


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def write_audit(conn: Connection, user: str, action: str, **details: Any) -> None:
    conn.execute(insert(schema.audit).values(
        at=utc_now(), user_name=user or "", action=action,
        details=json.dumps(details, ensure_ascii=False, default=str, sort_keys=True)))


def read_audit(conn: Connection, limit: int | None = 200, *, actions: Iterable[str] = ()
               ) -> list[dict[str, Any]]:
    """The newest entries first; only those of `actions` when given; all when limit is None."""
    table = schema.audit
    query = select(table).order_by(table.c.id.desc())
    actions = list(actions)
    if actions:
        query = query.where(table.c.action.in_(actions))
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).mappings()
    return [{"id": r["id"], "at": r["at"], "user": r["user_name"], "action": r["action"],
             "details": json.loads(r["details"])} for r in rows]
