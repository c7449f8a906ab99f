"""`python -m analysis restore-backup BACKUP [--replace] [--user NAME] [--db URL]`:
the database (SQLite file or PostgreSQL, created if new) holds exactly the content of
BACKUP afterwards. The backup is checked first and refused if it fails; a database
that already holds data is refused unless --replace (stop the app servers first, or
they show the restored data at their next page run). One transaction: on any error
nothing changed.

Prints JSON `{"status": "restored"|"error", "file", "target", "uploads", "originals",
"tasks", "check"}`. Exit 0 when restored; 2 when nothing changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.cli import add_db_argument, print_json, system_user


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("backup", metavar="BACKUP", type=Path, help="a file written by `backup`")
    parser.add_argument("--replace", action="store_true",
                        help="replace the data the database holds now (default: it must be empty)")
    parser.add_argument("--user", default=None, help="who restores (default: the system user)")
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.store import BackupError, open_store

    store = open_store(args.db)
    try:
        result = store.restore_backup(args.backup, args.user or system_user(), args.replace)
    except BackupError as exc:
        print_json({"status": "error", "file": str(args.backup), "error": str(exc)})
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        store.close()
    print_json(result)
    return 0
