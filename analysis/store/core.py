"""`Store`: the one object pages and commands use to reach stored data (SPEC §4, §6).

Thin on purpose: each method opens one transaction and calls the module that owns
the rule (`uploads`, `consolidate`, `catalogue`, `audit`).

Writes made for someone take the acting `Actor` (SPEC §8) and are checked by
`authority.authorise` before anything is read or written: `AccessDenied` (with the
Vietnamese message) when the actor may not. A bare name is accepted only while no
account exists (the command line before the first account, and tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from analysis import access
from analysis.access import Actor
from analysis.model import ReadResult, ReadSettings

from . import backup as backups
from . import catalogue, consolidate, originals, schema, uploads
from . import check as checks
from .audit import audit_users, read_audit, write_audit
from .authority import authorise
from .engine import REPO_ROOT, make_engine, read_transaction, resolve_url, run_write, sqlite_path
from .migrations import migrate


class Store:
    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url

    def close(self) -> None:
        self.engine.dispose()

    # --- state ------------------------------------------------------------------------
    def data_version(self) -> int:
        """Changes with every stored upload, restore and catalogue change (cache key)."""
        with read_transaction(self.engine) as conn:
            return uploads.data_version(conn)

    def is_empty(self) -> bool:
        with read_transaction(self.engine) as conn:
            return conn.execute(select(schema.uploads.c.id).limit(1)).first() is None

    def has_real_data(self) -> bool:
        with read_transaction(self.engine) as conn:
            return consolidate.has_real_data(conn)

    # --- uploads ----------------------------------------------------------------------
    def preview(self, scope: str, month: str, filename: str, data: bytes,
                mapping: Mapping[str, str] | None = None) -> uploads.Preview:
        return uploads.preview(self.engine, scope, month, filename, data, mapping)

    def import_upload(self, scope: str, month: str, filename: str, data: bytes,
                      actor: Actor | str, mapping: Mapping[str, str] | None = None,
                      allow_empty: bool = False) -> uploads.ImportOutcome:
        """Raises `AccessDenied` when `actor` may not upload for `scope` (nothing read). A
        file without tasks is rejected unless `allow_empty` (SPEC §4.2)."""
        user = self._authorised(actor, access.UPLOAD, scope).name
        return uploads.import_upload(self.engine, scope, month, filename, data, user, mapping,
                                     allow_empty)

    def save_read(self, scope: str, month: str, filename: str, data: bytes, actor: Actor | str,
                  read: ReadResult, mapping: Mapping[str, str] | None = None,
                  is_sample: bool = False, allow_empty: bool = False) -> uploads.ImportOutcome:
        """Store a file already read and validated, e.g. `preview(...).read` (scope as
        `preview(...).scope`). Raises ValueError when `read` has errors, `AccessDenied`
        when `actor` may not upload for `scope`; a file without tasks is rejected unless
        `allow_empty`."""
        user = self._authorised(actor, access.UPLOAD, scope).name
        return uploads.save_read(self.engine, scope, month, filename, data, user,
                                 read, mapping, is_sample, allow_empty)

    def history(self, scope: str | None = None, month: str | None = None) -> list[dict[str, Any]]:
        with read_transaction(self.engine) as conn:
            return uploads.history(conn, scope, month)

    def upload_log(self) -> pd.DataFrame:
        """Every upload that counts for reporting, all versions (`uploads.upload_log`)."""
        with read_transaction(self.engine) as conn:
            return uploads.upload_log(conn)

    def included_uploads(self) -> pd.DataFrame:
        """The current uploads in the figures: id, month, scope, has_contributions."""
        with read_transaction(self.engine) as conn:
            return consolidate.included_uploads(conn)

    def restore_events(self, scope: str | None = None) -> list[dict[str, Any]]:
        """Restores from the audit log (who, when, which version), newest first."""
        with read_transaction(self.engine) as conn:
            return uploads.restore_events(conn, scope)

    def restore(self, upload_id: int, actor: Actor | str) -> dict[str, Any]:
        """Raises `UploadNotFound` when no upload has that id, `AccessDenied` when `actor`
        may not restore for the upload's scope."""
        if not uploads.is_upload_id(upload_id):  # 99999999999999999999 overflows an INTEGER
            raise uploads.UploadNotFound(upload_id)
        u = schema.uploads
        with read_transaction(self.engine) as conn:
            scope = conn.execute(select(u.c.scope).where(u.c.id == int(upload_id))).scalar()
        if scope is None:
            raise uploads.UploadNotFound(upload_id)
        user = self._authorised(actor, access.RESTORE, scope).name
        return uploads.restore(self.engine, upload_id, user)

    def _authorised(self, actor: Actor | str | None, action: str, scope: str | None) -> Actor:
        with read_transaction(self.engine) as conn:
            return authorise(conn, actor, action, scope)

    def original_bytes(self, upload_id: int) -> bytes:
        """The original file, verified against its SHA-256 (raises OriginalError if not)."""
        with read_transaction(self.engine) as conn:
            return originals.get(conn, uploads.upload_sha256(conn, upload_id))

    # --- backup and check (SPEC §4.4) -----------------------------------------------------
    def backup(self, out: Path) -> backups.BackupResult:
        """A consistent copy of the whole store into the new SQLite file `out`."""
        return backups.write_backup(self.engine, Path(out))

    def check(self) -> checks.CheckReport:
        """Every original's SHA-256 and every upload's rows (see `check.py`)."""
        return checks.check_store(self.engine)

    def restore_backup(self, file: Path, actor: Actor | str | None,
                       replace: bool = False) -> dict[str, Any]:
        """This database holds exactly the backup's data afterwards (see `backup.py`).
        It replaces accounts and settings too: once an account exists here, only an
        administrator may (`AccessDenied` otherwise)."""
        user = self._authorised(actor, access.ADMINISTER, access.CENTER).name
        return backups.restore_backup(self.engine, Path(file), user, replace)

    # --- consolidated data --------------------------------------------------------------
    def consolidated(self) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """(consolidated tasks, consolidated contributions or None) from one read."""
        with read_transaction(self.engine) as conn:
            return consolidate.consolidated(conn)

    def load(self) -> consolidate.Loaded:
        """One read of the uploads in the figures; `consolidate.consolidate(loaded)` and
        `consolidate.changes(loaded)` build the consolidated frames and the history from
        it (the dashboard keeps it per data version instead of reading twice)."""
        with read_transaction(self.engine) as conn:
            return consolidate.load(conn)

    def named_departments(self) -> list[str]:
        """Every department the uploads in the figures name (scope, lead, coordinator)."""
        return consolidate.named_departments(self.load())

    def known_departments(self) -> list[str]:
        """SPEC §5 `submissions`: the catalogue's departments, else every department the
        uploads in the figures name (as lead or coordinator)."""
        return self.departments() or self.named_departments()

    def consolidated_tasks(self) -> pd.DataFrame:
        with read_transaction(self.engine) as conn:
            return consolidate.consolidated_tasks(conn)

    def consolidated_contributions(self) -> pd.DataFrame | None:
        with read_transaction(self.engine) as conn:
            return consolidate.consolidated_contributions(conn)

    def task_changes(self) -> pd.DataFrame:
        with read_transaction(self.engine) as conn:
            return consolidate.task_changes(conn)

    # --- catalogue and settings ---------------------------------------------------------
    def departments(self) -> list[str]:
        with read_transaction(self.engine) as conn:
            return [row["name"] for row in catalogue.department_rows(conn)]

    def department_rows(self) -> list[dict[str, Any]]:
        with read_transaction(self.engine) as conn:
            return catalogue.department_rows(conn)

    def people(self) -> list[str]:
        with read_transaction(self.engine) as conn:
            return [row["name"] for row in catalogue.roster_rows(conn)]

    def roster(self) -> list[dict[str, Any]]:
        with read_transaction(self.engine) as conn:
            return catalogue.roster_rows(conn)

    def set_departments(self, items: Iterable[Any], actor: Actor | str = "") -> None:
        self.set_catalogue(departments=items, actor=actor)

    def set_roster(self, items: Iterable[Any], actor: Actor | str = "") -> None:
        self.set_catalogue(roster=items, actor=actor)

    def set_catalogue(self, departments: Iterable[Any] | None = None,
                      roster: Iterable[Any] | None = None,
                      settings: Mapping[str, Any] | None = None, actor: Actor | str = "") -> None:
        """Replace the departments and/or the roster and/or some settings (None: keep), in
        one transaction (a catalogue workbook imports whole or not at all). Administrator
        only (`AccessDenied`); stored uploads are never rewritten."""
        departments = None if departments is None else list(departments)
        roster = None if roster is None else list(roster)
        settings = None if settings is None else dict(settings)

        def work(conn):
            user = authorise(conn, actor, access.ADMINISTER).name
            if departments is not None:
                count = catalogue.set_departments(conn, departments)
                write_audit(conn, user, "catalogue", what="departments", count=count)
            if roster is not None:
                count = catalogue.set_roster(conn, roster)
                write_audit(conn, user, "catalogue", what="roster", count=count)
            if settings:
                catalogue.set_settings(conn, settings)
                write_audit(conn, user, "settings", keys=sorted(settings))
            uploads.bump_data_version(conn)

        run_write(self.engine, work)

    def settings(self) -> dict[str, Any]:
        """Recognition thresholds and upload limits (defaults in catalogue.DEFAULT_SETTINGS)."""
        with read_transaction(self.engine) as conn:
            return catalogue.get_settings(conn)

    def set_settings(self, values: Mapping[str, Any], actor: Actor | str = "") -> None:
        """Administrator only (`AccessDenied`); unknown keys raise ValueError."""
        values = dict(values)

        def work(conn):
            user = authorise(conn, actor, access.ADMINISTER).name
            catalogue.set_settings(conn, values)
            uploads.bump_data_version(conn)
            write_audit(conn, user, "settings", keys=sorted(values))

        run_write(self.engine, work)

    def read_settings(self, scope: str | None) -> ReadSettings:
        with read_transaction(self.engine) as conn:
            return catalogue.read_settings(conn, scope)

    def remembered_mapping(self, scope: str) -> dict[str, str]:
        with read_transaction(self.engine) as conn:
            return catalogue.remembered_mapping(conn, scope)

    def remember_mapping(self, scope: str, mapping: Mapping[str, str]) -> None:
        run_write(self.engine, lambda conn: catalogue.remember_mapping(conn, scope, mapping))

    # --- audit ----------------------------------------------------------------------------
    def audit(self, user: str, action: str, **details: Any) -> None:
        """Record an action (e.g. "export"). Details: ids, hashes, counts; never cell contents."""
        run_write(self.engine, lambda conn: write_audit(conn, user, action, **details))

    def audit_log(self, limit: int | None = 200, **filters: Any) -> list[dict[str, Any]]:
        """Newest first; filters `users`, `actions`, `since`, `until` (see `audit.read_audit`)."""
        with read_transaction(self.engine) as conn:
            return read_audit(conn, limit, **filters)

    def audit_users(self) -> list[str]:
        with read_transaction(self.engine) as conn:
            return audit_users(conn)


def open_store(url: str | None = None, archive_dir: Path | None = None) -> Store:
    """Open (and create or migrate) the database.

    `archive_dir`: where earlier versions kept the original files; when that folder
    holds files they are moved into the database (`archive_move.py`). Default:
    `archive/` next to the SQLite file, or `data/archive/` for a server database.
    Nothing is ever written there."""
    resolved = resolve_url(url)
    engine = make_engine(resolved)
    if archive_dir is None:
        db_file = sqlite_path(resolved)
        archive_dir = (db_file.parent if db_file else REPO_ROOT / "data") / "archive"
    migrate(engine, Path(archive_dir))
    return Store(engine, resolved)
