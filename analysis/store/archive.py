"""Immutable, content-addressed archive of the original uploaded files (SPEC §4.1, §4.4).

A file is stored once under its SHA-256 (`<root>/<first 2 hex>/<sha256>`), read-only.
Writing: a temporary file in the same folder, flushed and fsynced, then hard-linked
to its final name (a link never replaces an existing file, unlike rename), then the
folder is fsynced so the new name survives a power failure. An existing file is never
overwritten: the same bytes always have the same name.

Orphans: the archive file is written BEFORE the database transaction that refers to
it. If that transaction fails, the file stays, unreferenced. This is harmless (it is
identical to the uploaded bytes, and a later upload of the same bytes reuses it) and
it is deliberately not deleted: another process may, at that very moment, be
committing an upload of the same bytes that refers to the same file, and deleting
it would lose that upload's original. `Archive.orphans(referenced)` lists them for
an administrator.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class ArchiveError(Exception):
    """The archived original is missing or does not match its SHA-256."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Archive:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, data: bytes) -> tuple[str, bool]:
        """Store `data`; returns (sha256, created). Never overwrites an existing file."""
        digest = sha256_hex(data)
        final = self.path_for(digest)
        if final.is_file():
            return digest, False
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp_name, 0o444)
            try:
                os.link(temp_name, final)  # atomic, and fails if the name exists
                created = True
            except FileExistsError:  # a concurrent writer stored the same bytes first
                created = False
            except OSError:  # file systems without hard links: rename (same bytes anyway)
                if final.exists():
                    created = False
                else:
                    os.replace(temp_name, final)
                    created = True
        finally:
            if os.path.exists(temp_name):
                os.unlink(temp_name)
        _fsync_dir(final.parent)
        return digest, created

    def get(self, sha256: str) -> bytes:
        """The original bytes, verified against their SHA-256."""
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ArchiveError(f"archived file {sha256[:12]}… is missing") from None
        if sha256_hex(data) != sha256:
            raise ArchiveError(f"archived file {sha256[:12]}… does not match its SHA-256")
        return data

    def all_hashes(self) -> set[str]:
        if not self.root.is_dir():
            return set()
        return {p.name for p in self.root.glob("??/*") if p.is_file() and not p.name.startswith(".")}

    def orphans(self, referenced: set[str]) -> set[str]:
        """Archived files no upload refers to (left by a failed commit; harmless)."""
        return self.all_hashes() - set(referenced)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open a directory
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
