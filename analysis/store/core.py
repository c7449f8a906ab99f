"""`Store`: the one object pages and commands use to reach stored data (SPEC §4, §6).

Thin on purpose: each method opens one transaction and calls the module that owns
the rule (`uploads`, `consolidate`, `catalogue`, `audit`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd
from sqlalchemy import Engine, select

from analysis.model import ReadResult, ReadSettings

from . import backup as backups, catalogue, check as checks, consolidate, originals, schema, uploads
from .audit import read_audit, write_audit
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

    def import_upload(self, scope: str, month: str, filename: str, data: bytes, user: str,
                      mapping: Mapping[str, str] | None = None) -> uploads.ImportOutcome:
        return uploads.import_upload(self.engine, scope, month, filename, data, user, mapping)

    def save_read(self, scope: str, month: str, filename: str, data: bytes, user: str,
                  read: ReadResult, mapping: Mapping[str, str] | None = None,
                  is_sample: bool = False) -> uploads.ImportOutcome:
        """Store a file already read and validated, e.g. `preview(...).read` (scope as
        `preview(...).scope`). Raises ValueError when `read` has errors."""
        return uploads.save_read(self.engine, scope, month, filename, data, user,
                                 read, mapping, is_sample)

    def history(self, scope: str | None = None, month: str | None = None) -> list[dict[str, Any]]:
        with read_transaction(self.engine) as conn:
            return uploads.history(conn, scope, month)

    def restore(self, upload_id: int, user: str) -> dict[str, Any]:
        """Raises `UploadNotFound` when no upload has that id."""
        return uploads.restore(self.engine, upload_id, user)

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

    def restore_backup(self, file: Path, user: str, replace: bool = False) -> dict[str, Any]:
        """This database holds exactly the backup's data afterwards (see `backup.py`)."""
        return backups.restore_backup(self.engine, Path(file), user, replace)

    # --- consolidated data --------------------------------------------------------------
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

    def set_departments(self, items: Iterable[Any], user: str = "") -> None:
        items = list(items)

        def work(conn):
            count = catalogue.set_departments(conn, items)
            uploads.bump_data_version(conn)
            write_audit(conn, user, "catalogue", what="departments", count=count)

        run_write(self.engine, work)

    def set_roster(self, items: Iterable[Any], user: str = "") -> None:
        items = list(items)

        def work(conn):
            count = catalogue.set_roster(conn, items)
            uploads.bump_data_version(conn)
            write_audit(conn, user, "catalogue", what="roster", count=count)

        run_write(self.engine, work)

    def settings(self) -> dict[str, Any]:
        """Recognition thresholds and upload limits (defaults in catalogue.DEFAULT_SETTINGS)."""
        with read_transaction(self.engine) as conn:
            return catalogue.get_settings(conn)

    def set_settings(self, values: Mapping[str, Any], user: str = "") -> None:
        values = dict(values)

        def work(conn):
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

    def audit_log(self, limit: int = 200) -> list[dict[str, Any]]:
        with read_transaction(self.engine) as conn:
            return read_audit(conn, limit)


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
