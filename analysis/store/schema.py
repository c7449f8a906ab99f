"""Database tables (SQLAlchemy Core). Plain types only, so SQLite and PostgreSQL both fit.

Dates are ISO text (`YYYY-MM-DD`), times ISO text in UTC, coordinator lists JSON text.
Uploads are never deleted or changed after they are stored; which version of a
scope+month is in the figures is the one pointed at by `current_uploads`. The
original files are in `originals`, keyed by SHA-256 (identical bytes stored once),
written in the same transaction as the upload that brings them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)

# Small counters and guards: "data_version" (bumped by every stored upload, restore
# and catalogue change) and "sample_seeded" (the one-time sample import guard).
meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

uploads = Table(
    "uploads", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scope", Text, nullable=False),  # a department name or "center"
    Column("month", String(7), nullable=False),  # reporting month YYYY-MM
    Column("version", Integer, nullable=False),  # 1, 2, ... per scope+month
    # Key of the original in `originals`. No foreign key on purpose: an upload whose
    # archived file failed its hash check when the old archive folder was moved in
    # (migration 4) is kept, and `python -m analysis check` reports it.
    Column("sha256", String(64), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("user_name", Text, nullable=False),
    Column("uploaded_at", String(32), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("is_sample", Boolean, nullable=False, default=False),
    Column("has_contributions", Boolean, nullable=False, default=False),
    # SHA-256 of the stored task and contribution rows (`rows.rows_digest`): what
    # `python -m analysis check` recomputes. NULL only if the rows were never hashed.
    Column("rows_sha256", String(64)),
    UniqueConstraint("scope", "month", "version", name="uq_upload_version"),
    sqlite_autoincrement=True,  # ids never reused: a higher id is a later upload
)

# The original uploaded files, unchanged (SPEC §4.1): one row per distinct content.
originals = Table(
    "originals", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("stored_at", String(32), nullable=False),
)

current_uploads = Table(
    "current_uploads", metadata,
    Column("scope", Text, primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("upload_id", Integer, ForeignKey("uploads.id"), nullable=False),
)

tasks = Table(
    "tasks", metadata,
    Column("upload_id", Integer, ForeignKey("uploads.id"), primary_key=True),
    Column("task_id", Text, primary_key=True),
    Column("title", Text),
    Column("service", Text),
    Column("lead_dept", Text),
    Column("lead_person", Text),
    Column("coord_depts", Text, nullable=False),  # JSON list
    Column("coord_people", Text, nullable=False),  # JSON list
    Column("assigned_date", String(10)),
    Column("due_date", String(10)),
    Column("original_due_date", String(10)),
    Column("done_date", String(10)),
    Column("status", String(16), nullable=False),
    Column("status_text", Text),
    Column("note", Text),
    Column("source_row", Integer, nullable=False),
)

contributions = Table(
    "contributions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("upload_id", Integer, ForeignKey("uploads.id"), nullable=False),
    Column("task_id", Text),
    Column("coord_dept", Text),
    Column("coord_person", Text),
    Column("contrib_due_date", String(10)),
    Column("delivered_date", String(10)),
    Column("rating", Text),
    Column("source_row", Integer, nullable=False),
)
Index("ix_contributions_upload", contributions.c.upload_id)

# Derived, never edited: each upload's task and contribution frames as Arrow IPC bytes,
# written with its rows, so the figures load without reading every row (see frames.py).
upload_frames = Table(
    "upload_frames", metadata,
    Column("upload_id", Integer, ForeignKey("uploads.id"), primary_key=True, autoincrement=False),
    Column("format", Integer, nullable=False),
    Column("tasks", LargeBinary, nullable=False),
    Column("contributions", LargeBinary),  # NULL: the upload has no "Phối hợp" sheet
)

departments = Table(
    "departments", metadata,
    Column("name", Text, primary_key=True),
    Column("short_code", Text),
    Column("position", Integer, nullable=False, default=0),  # display order
)

roster = Table(
    "roster", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("department", Text),
    Column("position", Text),  # job title (chức vụ)
)

settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)

column_mappings = Table(
    "column_mappings", metadata,
    Column("scope", Text, primary_key=True),
    Column("mapping", Text, nullable=False),  # JSON {header: field}
    Column("updated_at", String(32), nullable=False),
)

audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("user_name", Text, nullable=False),
    Column("action", String(32), nullable=False),
    Column("details", Text, nullable=False),  # JSON: hashes, counts, ids; never cell contents
    sqlite_autoincrement=True,
)

# --- accounts (SPEC §8) ----------------------------------------------------------------
# Who may sign in. `name_key` (NFC, case-folded) makes "An" and "an" one account; the
# password is stored only as an Argon2id hash (argon2-cffi's encoded string, salt inside).
accounts = Table(
    "accounts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # analysis.access.ROLES
    Column("department", Text),  # a department head's own department
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", String(32), nullable=False),
    Column("password_changed_at", String(32), nullable=False),
    Column("last_login_at", String(32)),
    sqlite_autoincrement=True,
)

# Failed sign-ins per typed name (known or not, so a lockout tells nothing about which
# names exist): consecutive failures and, once the limit is reached, until when it is locked.
login_failures = Table(
    "login_failures", metadata,
    Column("name_key", Text, primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", String(32), nullable=False),
    Column("locked_until", String(32)),
)

# Server-side sessions: a row per signed-in browser session. The browser's random id is
# never stored, only its SHA-256, so a copy of the database opens no session.
sessions = Table(
    "sessions", metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("last_seen_at", String(32), nullable=False),
)
Index("ix_sessions_account", sessions.c.account_id)
