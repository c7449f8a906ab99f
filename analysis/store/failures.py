"""The plain Vietnamese message for a store that cannot do what was asked (SPEC §5:
every command answers with its JSON; the upload page shows a message, never a
traceback with server paths): an unwritable database or data folder, a full disk, a
database server out of reach."""

from __future__ import annotations

import errno

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from analysis import messages

from .archive import ArchiveError

_SQL_REASONS = (  # words of SQLite's and psycopg's messages -> the reason shown
    (("readonly", "read-only"), "read_only"),
    (("unable to open database",), "cannot_open"),
    (("disk is full", "disk full", "no space left"), "disk_full"),
    (("database is locked", "database is busy"), "locked"),
    (("could not connect", "connection refused", "server closed the connection"), "unreachable"),
    (("permission denied",), "permission"),
)
_OS_REASONS = {errno.EACCES: "permission", errno.EPERM: "permission", errno.EROFS: "read_only",
               errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full", errno.ENOTDIR: "folder",
               errno.EISDIR: "folder", errno.ENOENT: "folder"}


def is_storage_failure(exc: BaseException) -> bool:
    return isinstance(exc, (OSError, SQLAlchemyError, ArchiveError))


def failure_message(exc: BaseException) -> str:
    """The message for a failure of the store (`is_storage_failure`), or of anything else."""
    if isinstance(exc, OSError):
        reason = _OS_REASONS.get(exc.errno, "other")
    elif isinstance(exc, SQLAlchemyError):
        text = str(exc.orig if isinstance(exc, DBAPIError) else exc).lower()
        reason = next((key for words, key in _SQL_REASONS if any(w in text for w in words)),
                      "other")
    elif isinstance(exc, ArchiveError):
        reason = "other"
    else:
        return messages.UNEXPECTED_FAILURE.format(kind=type(exc).__name__)
    return messages.STORAGE_FAILED.format(reason=messages.STORAGE_REASONS[reason])
