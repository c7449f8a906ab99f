"""The original uploaded files, kept in the database (SPEC §4.1, §4.4).

One row per distinct content in the `originals` table, keyed by its SHA-256:
identical bytes are stored once, whoever uploads them for whichever scope and month.
An original is written INSIDE the write transaction that stores the upload record
and its rows (`uploads._NewUpload.write`), so the three commit together or not at
all: a failed or killed import leaves no original behind, and no temporary file
either (the bytes go from memory to the database). Orphans cannot exist.

Writers are serialised (`engine.run_write`), so "insert unless present" needs no
upsert: two imports of the same bytes run one after the other, and the second
finds the row. Originals are never updated or deleted.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, insert, select

from . import schema
from .audit import utc_now


class OriginalError(Exception):
    """The original of an upload is missing or does not match its SHA-256."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(conn: Connection, data: bytes, sha256: str | None = None) -> tuple[str, bool]:
    """Store `data` unless the same bytes are there; returns (sha256, created).

    Call inside a write transaction. `sha256` may be passed when already computed."""
    digest = sha256 or sha256_hex(data)
    table = schema.originals
    if conn.execute(select(table.c.sha256).where(table.c.sha256 == digest)).first() is not None:
        return digest, False
    conn.execute(insert(table).values(sha256=digest, size=len(data), data=bytes(data),
                                      stored_at=utc_now()))
    return digest, True


def get(conn: Connection, sha256: str) -> bytes:
    """The original bytes, verified against their SHA-256."""
    table = schema.originals
    data = conn.execute(select(table.c.data).where(table.c.sha256 == sha256)).scalar()
    if data is None:
        raise OriginalError(f"the original {sha256[:12]}… is missing from the database")
    data = bytes(data)
    if sha256_hex(data) != sha256:
        raise OriginalError(f"the original {sha256[:12]}… does not match its SHA-256")
    return data


def stored_hashes(conn: Connection) -> set[str]:
    return set(conn.execute(select(schema.originals.c.sha256)).scalars())
