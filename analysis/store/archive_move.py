"""Moving the file archive of earlier versions into the database (SPEC §4.4, §4.5).

Before migration 4 the originals were files under `data/archive/<2 hex>/<sha256>`
(content-addressed, read-only), next to the SQLite file. `migrations.migrate` calls
`move()` inside its write transaction whenever that folder holds files, and
`finish()` after the commit. Each file is one of:
- moved: named after the SHA-256 of a stored upload, and its bytes hash to that
  name: now in `originals` (or already there); deleted from disk after the commit;
- refused: its bytes do not match its name (damaged or changed): left on disk,
  reported; its upload has no original in the database, which `check` lists;
- unreferenced: a valid original that no upload names (left by an import that failed
  before its database commit, which the old order allowed): left on disk, reported,
  not moved (the table holds no orphans);
- unknown: anything else, e.g. a `.incoming-*` temporary file of a killed import:
  left on disk, reported.
Uploads whose original is neither in the table nor in the folder are reported as
missing. Nothing is deleted unless the database holds the same, verified bytes.
What was moved is written to the audit log (hashes and counts) and to the Python log.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, select

from . import originals, schema
from .audit import write_audit

log = logging.getLogger(__name__)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MIGRATION_USER = "migration"


@dataclass
class ArchiveMove:
    folder: Path
    moved: list[str] = field(default_factory=list)  # sha256 now in the database
    refused: list[str] = field(default_factory=list)  # paths (relative), hash mismatch
    unreferenced: list[str] = field(default_factory=list)  # paths, no upload names them
    unknown: list[str] = field(default_factory=list)  # paths of other files
    missing: list[int] = field(default_factory=list)  # upload ids without an original
    _delete: list[Path] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        return {"folder": str(self.folder), "moved": len(self.moved),
                "moved_sha256": sorted(self.moved), "refused": sorted(self.refused),
                "unreferenced": sorted(self.unreferenced), "unknown": sorted(self.unknown),
                "missing_upload_ids": sorted(self.missing)}

    def summary(self) -> str:
        parts = [f"{len(self.moved)} original(s) moved from {self.folder} into the database"]
        if self.refused:
            parts.append(f"{len(self.refused)} refused, hash mismatch, left on disk: "
                         + ", ".join(sorted(self.refused)))
        if self.unreferenced:
            parts.append(f"{len(self.unreferenced)} not named by any upload, left on disk")
        if self.unknown:
            parts.append(f"{len(self.unknown)} other file(s) left on disk: "
                         + ", ".join(sorted(self.unknown)))
        if self.missing:
            parts.append(f"uploads without an original: {sorted(self.missing)}")
        return "; ".join(parts)


def archive_files(folder: Path | None) -> list[Path]:
    """Every file under `folder` ([] when there is no such folder)."""
    if folder is None or not Path(folder).is_dir():
        return []
    return sorted(p for p in Path(folder).rglob("*") if p.is_file())


def move(conn: Connection, folder: Path, files: list[Path]) -> ArchiveMove:
    """Inside the caller's write transaction: store every movable file (see above)."""
    report = ArchiveMove(Path(folder))
    referenced = set(conn.execute(select(schema.uploads.c.sha256).distinct()).scalars())
    for path in files:
        name = str(path.relative_to(folder))
        if not _SHA256.match(path.name) or path.parent.name != path.name[:2]:
            report.unknown.append(name)
            continue
        if path.name not in referenced:
            report.unreferenced.append(name)
            continue
        data = path.read_bytes()
        if originals.sha256_hex(data) != path.name:
            report.refused.append(name)
            continue
        originals.put(conn, data, path.name)
        report.moved.append(path.name)
        report._delete.append(path)
    report.missing = uploads_without_original(conn)
    if report.moved:
        write_audit(conn, MIGRATION_USER, "archive_moved", **report.to_dict())
    return report


def uploads_without_original(conn: Connection) -> list[int]:
    u, o = schema.uploads, schema.originals
    kept = select(o.c.sha256).where(o.c.sha256 == u.c.sha256).exists()
    return sorted(conn.execute(select(u.c.id).where(~kept)).scalars())


def finish(report: ArchiveMove) -> None:
    """After the commit: delete the moved files and empty folders; say what happened."""
    for path in report._delete:
        try:
            path.unlink()
        except OSError as exc:  # kept on disk; the next start tries again
            log.warning("could not delete moved original %s: %s", path.name, exc.strerror)
    for folder in sorted({p.parent for p in report._delete} | {report.folder}, reverse=True):
        try:
            os.rmdir(folder)  # only when empty
        except OSError:
            pass
    leftovers = report.refused or report.unreferenced or report.unknown or report.missing
    if report.moved or leftovers:
        log.warning("%s", report.summary())
