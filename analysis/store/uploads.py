"""The upload lifecycle (SPEC §4.1, §4.2, §4.4): preview, import, versions, history,
restore, originals.

Order of an import, and why nothing is ever half-stored:
1. read and validate the bytes (no write at all); a rejected file changes nothing
   (a macro file is never stored);
2. ONE write transaction (`BEGIN IMMEDIATE` on SQLite, an advisory lock on
   PostgreSQL): the original file (`originals.py`, stored once per SHA-256), the
   upload record, its task and contribution rows with their digest, the "current
   version" pointer, the data version and the audit entry commit together, or not
   at all. Nothing is written anywhere else: no file, no temporary file.

Same scope+month again: a new version (1, 2, ...; unique per scope+month), which
becomes current; the older one stays and can be restored. Identical bytes to the
CURRENT version: a no-op ("unchanged"), nothing is written. Identical bytes to an
OLDER, superseded version: stored as a new version like any other upload (the
database keeps one copy of the bytes). The reading chosen: the user asked for this
file to be the current one now; a new version records who did so and when, keeps
version numbers increasing, and re-validates the file against today's catalogue,
which an implicit restore would skip.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, false, func, insert, select, update

from analysis import messages
from analysis.fields import clean_text, match_key
from analysis.model import CONTRIBUTION_COLUMNS, ERROR, TASK_COLUMNS, Problem, ReadResult

from . import catalogue, frames, originals, schema
from .audit import utc_now, write_audit
from .engine import read_transaction, run_write
from .originals import sha256_hex
from .rows import contribution_rows, record_values, rows_digest, task_rows

log = logging.getLogger(__name__)

STORED, UNCHANGED, REJECTED = "stored", "unchanged", "rejected"
SAMPLE_USER = "Dữ liệu mẫu"


class UploadNotFound(LookupError):
    """No upload has this id."""


@dataclass
class ImportOutcome:
    upload_id: int | None
    version: int | None
    status: str  # STORED, UNCHANGED or REJECTED
    rows: int
    problems: list[Problem] = field(default_factory=list)
    scope: str | None = None
    month: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object `python -m analysis import` prints (SPEC §5)."""
        return {"upload_id": self.upload_id, "version": self.version, "status": self.status,
                "rows": self.rows, "errors": [p.to_dict() for p in self.problems]}


@dataclass
class Preview:
    read: ReadResult
    identical: bool  # same bytes as the current version of this scope+month
    changes: pd.DataFrame  # task_id, change ("added"|"changed"|"removed"), fields (list)
    current_upload_id: int | None = None
    scope: str | None = None


def check_month(month: str) -> str:
    """The reporting month normalised ("2026-1" -> "2026-01"); ValueError if not a month."""
    from analysis.periods import parse_month

    try:
        return parse_month(month)
    except ValueError:
        raise ValueError(f"tháng báo cáo phải có dạng YYYY-MM (ví dụ 2026-10), "
                         f"nhận được {month!r}") from None


# --- reading (no writes) -------------------------------------------------------------

def _scope_problem(conn: Connection, scope: str) -> Problem:
    names = [row["name"] for row in catalogue.department_rows(conn)]
    keys = {match_key(n): n for n in names}
    close = difflib.get_close_matches(match_key(scope or ""), list(keys), n=1, cutoff=0.6)
    hint = f" Có phải là “{keys[close[0]]}”?" if close else ""
    message = (f"Phạm vi tải lên “{clean_text(scope or '')}” không phải là một phòng trong danh mục "
               f"và cũng không phải toàn trung tâm (center).{hint}")
    return Problem(None, "scope", clean_text(scope or ""), ERROR, message)


def _current(conn: Connection, scope: str, month: str) -> dict[str, Any] | None:
    u, c = schema.uploads, schema.current_uploads
    row = conn.execute(
        select(u.c.id, u.c.version, u.c.sha256, u.c.rows)
        .select_from(c.join(u, u.c.id == c.c.upload_id))
        .where(c.c.scope == scope, c.c.month == month)).mappings().first()
    return dict(row) if row else None


def _read(data: bytes, filename: str, mapping, settings) -> ReadResult:
    """The uploaded bytes read in a limited child process (`analysis.sandbox`)."""
    from analysis import sandbox  # imported on the first upload: readers of figures never load it

    return sandbox.read_task_log(data, filename, mapping=mapping or None, settings=settings)


def empty_upload_problem(read: ReadResult, allow_empty: bool) -> Problem | None:
    """SPEC §4.2: storing a file without tasks replaces the month's tasks of its scope
    by none; it is refused unless the uploader confirmed it (`allow_empty`)."""
    if read.ok and read.rows == 0 and not allow_empty:
        return Problem(None, None, None, ERROR, messages.EMPTY_UPLOAD)
    return None


@dataclass
class _Prepared:
    scope: str  # canonical scope ("center" or a department name)
    month: str
    sha256: str
    current: dict[str, Any] | None
    read: ReadResult | None  # None when identical to the current version (not read)


def _prepare(engine: Engine, scope: str, month: str, filename: str, data: bytes,
             mapping, always_read: bool) -> _Prepared:
    month = check_month(month)
    sha = sha256_hex(data)
    with read_transaction(engine) as conn:
        canonical = catalogue.canonical_scope(conn, scope)
        scope_problem = None if canonical is not None else _scope_problem(conn, scope)
        key = canonical if canonical is not None else clean_text(scope or "")
        # An unknown scope is one error; checking every row against it would only
        # repeat that error on each row.
        settings = catalogue.read_settings(conn, key if canonical is not None else catalogue.CENTER)
        current = _current(conn, key, month) if canonical is not None else None
    if current and current["sha256"] == sha and not always_read:
        return _Prepared(key, month, sha, current, None)
    read = _read(data, filename, mapping, settings)
    if scope_problem is not None:
        read.problems.insert(0, scope_problem)
    return _Prepared(key, month, sha, current, read)


def preview(engine: Engine, scope: str, month: str, filename: str, data: bytes,
            mapping=None) -> Preview:
    """Read and compare with the current version of scope+month. Stores nothing."""
    prepared = _prepare(engine, scope, month, filename, data, mapping, always_read=True)
    current = prepared.current
    old = _upload_tasks(engine, current["id"]) if current else None
    new = prepared.read.tasks
    changes = diff_tasks(old, new) if new is not None else _empty_changes()
    identical = bool(current and current["sha256"] == prepared.sha256)
    return Preview(prepared.read, identical, changes,
                   current["id"] if current else None, prepared.scope)


# --- import --------------------------------------------------------------------------

def import_upload(engine: Engine, scope: str, month: str, filename: str,
                  data: bytes, user: str, mapping: Mapping[str, str] | None = None,
                  allow_empty: bool = False) -> ImportOutcome:
    """Read, validate and store one upload. A file without tasks is refused unless
    `allow_empty` (see `empty_upload_problem`)."""
    prepared = _prepare(engine, scope, month, filename, data, mapping, always_read=False)
    if prepared.read is None:  # identical to the current version: a no-op (SPEC §4.2)
        current = prepared.current
        return ImportOutcome(current["id"], current["version"], UNCHANGED, current["rows"], [],
                             prepared.scope, prepared.month)
    read = prepared.read
    if not read.ok:
        # SPEC §4.4: nothing changes, so no audit row either; the Python log gets
        # the hash and counts (never cell contents).
        log.info("upload rejected: month=%s sha256=%s size=%d errors=%d unreadable=%s",
                 prepared.month, prepared.sha256, len(data), len(read.errors), read.unreadable)
        return ImportOutcome(None, None, REJECTED, read.rows, list(read.problems),
                             prepared.scope, prepared.month)
    return save_read(engine, prepared.scope, prepared.month, filename, data, user,
                     read, mapping, allow_empty=allow_empty)


def save_read(engine: Engine, scope: str, month: str, filename: str,
              data: bytes, user: str, read: ReadResult, mapping=None,
              is_sample: bool = False, allow_empty: bool = False) -> ImportOutcome:
    """Store an upload whose bytes were already read and validated (`read.ok`).

    `scope` must be canonical (see `catalogue.canonical_scope`); `read` must come from
    `data` read with `read_settings(scope)`. The upload page uses this after a preview
    so a large file is not read twice. A file without tasks is rejected (nothing
    stored) unless `allow_empty`.
    """
    if not read.ok or read.tasks is None:
        raise ValueError("only a file without errors can be stored")
    month = check_month(month)
    empty = empty_upload_problem(read, allow_empty)
    if empty is not None:
        return ImportOutcome(None, None, REJECTED, 0, [empty, *read.problems], scope, month)
    upload = _NewUpload(scope, month, filename, data, user, read, dict(mapping or {}), is_sample)
    status, upload_id, version = run_write(engine, upload.write)
    return ImportOutcome(upload_id, version, status, read.rows if status == STORED else upload.rows_kept,
                         list(read.problems) if status == STORED else [], scope, month)


@dataclass
class _NewUpload:
    scope: str
    month: str
    file_name: str
    data: bytes  # the original file
    user: str
    read: ReadResult
    mapping: dict[str, str]
    is_sample: bool
    uploaded_at: str | None = None  # ISO UTC; None: now (a sample carries its own)
    rows_kept: int = 0
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        self.sha256 = sha256_hex(self.data)  # outside the transaction: the lock is held less

    @property
    def size(self) -> int:
        return len(self.data)

    def write(self, conn: Connection) -> tuple[str, int, int]:
        """Everything of one upload, inside the caller's write transaction."""
        current = _current(conn, self.scope, self.month)
        if current and current["sha256"] == self.sha256:  # stored meanwhile by someone else
            self.rows_kept = current["rows"]
            return UNCHANGED, current["id"], current["version"]
        u = schema.uploads
        version = 1 + (conn.execute(select(func.max(u.c.version))
                                    .where(u.c.scope == self.scope, u.c.month == self.month)).scalar() or 0)
        tasks = self.read.tasks
        contributions = self.read.contributions
        originals.put(conn, self.data, self.sha256)
        upload_id = conn.execute(insert(u).values(
            scope=self.scope, month=self.month, version=version, sha256=self.sha256,
            file_name=self.file_name, size=self.size, user_name=self.user or "",
            uploaded_at=self.uploaded_at or utc_now(), rows=len(tasks), warnings=len(self.read.warnings),
            is_sample=self.is_sample, has_contributions=contributions is not None,
        )).inserted_primary_key[0]
        task_records = task_rows(tasks, upload_id) if len(tasks) else []
        contribution_records = (contribution_rows(contributions, upload_id)
                                if contributions is not None and len(contributions) else [])
        if task_records:
            conn.execute(insert(schema.tasks), task_records)
        if contribution_records:
            conn.execute(insert(schema.contributions), contribution_records)
        conn.execute(update(u).where(u.c.id == upload_id).values(rows_sha256=rows_digest(
            record_values(task_records, TASK_COLUMNS),
            record_values(contribution_records, CONTRIBUTION_COLUMNS))))
        frames.write(conn, upload_id, tasks, contributions)
        _set_current(conn, self.scope, self.month, upload_id)
        bump_data_version(conn)
        write_audit(conn, self.user, "upload", upload_id=upload_id, scope=self.scope,
                    month=self.month, version=version, sha256=self.sha256, size=self.size,
                    rows=len(tasks), warnings=len(self.read.warnings),
                    contributions=0 if contributions is None else len(contributions),
                    sample=self.is_sample)
        if self.mapping:
            catalogue.remember_mapping(conn, self.scope, self.mapping)
        return STORED, upload_id, version


def _set_current(conn: Connection, scope: str, month: str, upload_id: int) -> None:
    c = schema.current_uploads
    changed = conn.execute(update(c).where(c.c.scope == scope, c.c.month == month)
                           .values(upload_id=upload_id)).rowcount
    if not changed:
        conn.execute(insert(c).values(scope=scope, month=month, upload_id=upload_id))


def bump_data_version(conn: Connection) -> None:
    m = schema.meta
    value = conn.execute(select(m.c.value).where(m.c.key == "data_version")).scalar()
    if value is None:
        conn.execute(insert(m).values(key="data_version", value="1"))
    else:
        conn.execute(update(m).where(m.c.key == "data_version").values(value=str(int(value) + 1)))


def data_version(conn: Connection) -> int:
    m = schema.meta
    return int(conn.execute(select(m.c.value).where(m.c.key == "data_version")).scalar() or 0)


# --- history and restore -------------------------------------------------------------

def history(conn: Connection, scope: str | None = None, month: str | None = None) -> list[dict[str, Any]]:
    u, c = schema.uploads, schema.current_uploads
    query = (select(u, c.c.upload_id.label("current_id"))
             .select_from(u.outerjoin(c, c.c.upload_id == u.c.id))
             .order_by(u.c.id.desc()))
    if scope:
        query = query.where(u.c.scope == (catalogue.canonical_scope(conn, scope) or clean_text(scope)))
    if month:
        query = query.where(u.c.month == month.strip())
    return [{
        "upload_id": r["id"], "scope": r["scope"], "month": r["month"], "version": r["version"],
        "current": r["current_id"] is not None, "sha256": r["sha256"], "file_name": r["file_name"],
        "size": r["size"], "user": r["user_name"], "uploaded_at": r["uploaded_at"],
        "rows": r["rows"], "warnings": r["warnings"], "is_sample": bool(r["is_sample"]),
    } for r in conn.execute(query).mappings()]


def upload_log(conn: Connection) -> pd.DataFrame:
    """Every upload that counts for reporting (SPEC §7.9; samples only while no real data),
    all versions: upload_id, scope, month, uploaded_at, uploaded_by, current, version,
    file_name, rows, is_sample; by id."""
    from .consolidate import has_real_data

    u, c = schema.uploads, schema.current_uploads
    query = (select(u.c.id, u.c.scope, u.c.month, u.c.uploaded_at, u.c.user_name,
                    c.c.upload_id.is_not(None).label("current"), u.c.version, u.c.file_name,
                    u.c.rows, u.c.is_sample)
             .select_from(u.outerjoin(c, c.c.upload_id == u.c.id)).order_by(u.c.id))
    if has_real_data(conn):
        query = query.where(u.c.is_sample == false())
    columns = ["upload_id", "scope", "month", "uploaded_at", "uploaded_by", "current", "version",
               "file_name", "rows", "is_sample"]
    frame = pd.DataFrame.from_records(conn.execute(query).all(), columns=columns)
    frame["current"] = frame["current"].astype(bool)
    frame["is_sample"] = frame["is_sample"].astype(bool)
    return frame


def restore_events(conn: Connection, scope: str | None = None) -> list[dict[str, Any]]:
    """The restores of the audit log (who, when, which version), newest first; only the
    scope's when given (SPEC §4.4: the upload history shows them as events)."""
    from .audit import read_audit

    wanted = None if scope is None else (catalogue.canonical_scope(conn, scope) or clean_text(scope))
    events = []
    for entry in read_audit(conn, limit=None, actions=("restore",)):
        details = entry["details"]
        if wanted is not None and details.get("scope") != wanted:
            continue
        events.append({"at": entry["at"], "user": entry["user"],
                       "upload_id": details.get("upload_id"), "scope": details.get("scope"),
                       "month": details.get("month"), "version": details.get("version"),
                       "previous_upload_id": details.get("previous_upload_id")})
    return events


def restore(engine: Engine, upload_id: int, user: str) -> dict[str, Any]:
    """Make an upload the current version of its scope+month again (SPEC §4.2)."""

    if not is_upload_id(upload_id):  # 99999999999999999999 would overflow the database's integer
        raise UploadNotFound(upload_id)

    def work(conn: Connection) -> dict[str, Any]:
        u = schema.uploads
        row = conn.execute(select(u).where(u.c.id == int(upload_id))).mappings().first()
        if row is None:
            raise UploadNotFound(upload_id)
        previous = _current(conn, row["scope"], row["month"])
        _set_current(conn, row["scope"], row["month"], row["id"])
        bump_data_version(conn)
        write_audit(conn, user, "restore", upload_id=row["id"], scope=row["scope"],
                    month=row["month"], version=row["version"], sha256=row["sha256"],
                    rows=row["rows"], previous_upload_id=previous["id"] if previous else None)
        return {"upload_id": row["id"], "scope": row["scope"], "month": row["month"],
                "version": row["version"],
                "previous_upload_id": previous["id"] if previous else None}

    return run_write(engine, work)


def is_upload_id(value) -> bool:
    """An id the uploads table can hold (a positive 64-bit integer)."""
    return isinstance(value, int) and 0 < value < 2 ** 63


def upload_sha256(conn: Connection, upload_id: int) -> str:
    if not is_upload_id(upload_id):
        raise UploadNotFound(upload_id)
    sha = conn.execute(select(schema.uploads.c.sha256)
                       .where(schema.uploads.c.id == int(upload_id))).scalar()
    if sha is None:
        raise UploadNotFound(upload_id)
    return sha


# --- comparing two versions ----------------------------------------------------------

_COMPARED = tuple(c for c in TASK_COLUMNS if c not in ("task_id", "source_row"))


def _upload_tasks(engine: Engine, upload_id: int) -> pd.DataFrame:
    with read_transaction(engine) as conn:
        return frames.load(conn, [upload_id])[upload_id][0]


def _empty_changes() -> pd.DataFrame:
    return pd.DataFrame({"task_id": pd.Series(dtype="str"), "change": pd.Series(dtype="str"),
                         "fields": pd.Series(dtype=object), "values": pd.Series(dtype=object)})


def diff_tasks(old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """Task-by-task changes from `old` to `new` (both task frames): task_id, change
    ("added" | "changed" | "removed"), fields (the changed field names) and values
    (one (field, old value, new value) per changed field; empty unless "changed")."""
    if old is None:
        old = new.iloc[0:0]
    merged = old[["task_id", *_COMPARED]].merge(
        new[["task_id", *_COMPARED]], on="task_id", how="outer", suffixes=("_old", "_new"),
        indicator=True)
    both = merged[merged["_merge"] == "both"]
    differs = np.column_stack([
        ~((both[f"{c}_old"] == both[f"{c}_new"]).fillna(False).astype(bool).to_numpy()
          | (both[f"{c}_old"].isna() & both[f"{c}_new"].isna()).to_numpy())
        for c in _COMPARED]) if len(both) else np.zeros((0, len(_COMPARED)), dtype=bool)
    changed_mask = differs.any(axis=1)
    changed = both[changed_mask]
    changed_fields = [[c for c, d in zip(_COMPARED, row) if d] for row in differs[changed_mask]]
    # Old and new values of each changed field, one column at a time (not row by row).
    values: list[list[tuple]] = [[] for _ in range(len(changed))]
    for j, column in enumerate(_COMPARED):
        rows = np.flatnonzero(differs[changed_mask][:, j])
        if len(rows):
            olds = changed[f"{column}_old"].to_numpy(dtype=object)[rows]
            news = changed[f"{column}_new"].to_numpy(dtype=object)[rows]
            for row, before, after in zip(rows, olds, news):
                values[row].append((column, _plain(before), _plain(after)))
    parts = [
        pd.DataFrame({"task_id": merged.loc[merged["_merge"] == "right_only", "task_id"],
                      "change": "added", "fields": None, "values": None}),
        pd.DataFrame({"task_id": changed["task_id"], "change": "changed",
                      "fields": pd.Series(changed_fields, index=changed.index, dtype=object),
                      "values": pd.Series(values, index=changed.index, dtype=object)}),
        pd.DataFrame({"task_id": merged.loc[merged["_merge"] == "left_only", "task_id"],
                      "change": "removed", "fields": None, "values": None}),
    ]
    result = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else _empty_changes()
    result["fields"] = result["fields"].map(lambda v: v if isinstance(v, list) else [])
    result["values"] = result["values"].map(lambda v: v if isinstance(v, list) else [])
    result["task_id"] = result["task_id"].astype("str")
    result["change"] = result["change"].astype("str")
    return result[["task_id", "change", "fields", "values"]]


def _plain(value):
    """A compared value as a plain Python value: None when missing, a date, a tuple, text."""
    if isinstance(value, tuple):
        return value
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value
