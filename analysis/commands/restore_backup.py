"""`python -m analysis restore-backup BACKUP [--replace] [--user NAME] [--db URL]`:
the database (SQLite file or PostgreSQL, created if new) holds exactly the content of
BACKUP afterwards: uploads, originals, catalogue, settings, accounts and the audit log
(sign-in sessions are not restored: everyone signs in again). It replaces accounts, so
once the target database has any account `--user` must name an active administrator. The backup is checked first and refused if it fails; a database
that already holds data is refused unless --replace (stop the app servers first, or
they show the restored data at their next page run). One transaction: on any error
nothing changed.

Prints JSON `{"status": "restored"|"error", "file", "target", "uploads", "originals",
"tasks", "check"}`. Exit 0 when restored; 1 when refused (not an administrator); 2 when
the backup cannot be used or the target is not empty. Nothing changed unless exit 0.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.access import AccessDenied
from analysis.cli import add_db_argument, add_user_argument, command_line_actor, print_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("backup", metavar="BACKUP", type=Path, help="a file written by `backup`")
    parser.add_argument("--replace", action="store_true",
                        help="replace the data the database holds now (default: it must be empty)")
    add_user_argument(parser, "restores (an administrator)")
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.store import BackupError, open_store

    store = open_store(args.db)
    try:
        result = store.restore_backup(args.backup, command_line_actor(store, args.user),
                                      args.replace)
    except AccessDenied as refused:
        print_json({"status": "refused", "file": str(args.backup), "error": refused.message})
        print(refused.message, file=sys.stderr)
        return 1
    except BackupError as exc:
        print_json({"status": "error", "file": str(args.backup), "error": str(exc)})
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        store.close()
    print_json(result)
    return 0
