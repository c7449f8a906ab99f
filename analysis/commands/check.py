"""`python -m analysis check [BACKUP] [--db URL]` (SPEC §4.4): verify every original's
SHA-256 and every upload's rows, of the database or (with BACKUP) of a backup file,
opened read-only. See `analysis/store/check.py` for what is checked.

Prints JSON `{"status": "ok"|"mismatch", "originals", "uploads", "tasks",
"contributions", "problems": [{"kind", "upload_id", "sha256", "message"}, ...]}`
(plus "database" or "file"). Exit 0: ok; 1: any problem (all listed); 2: the backup
file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.cli import add_db_argument, print_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("backup", metavar="BACKUP", type=Path, nargs="?", default=None,
                        help="a file written by `backup` (default: check the database)")
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.store import BackupError, open_store
    from analysis.store.backup import check_backup
    from analysis.store.engine import display_url

    if args.backup is not None:
        try:
            report = check_backup(args.backup)
        except BackupError as exc:
            print_json({"status": "error", "file": str(args.backup), "error": str(exc)})
            print(str(exc), file=sys.stderr)
            return 2
        print_json({"file": str(args.backup), **report.to_dict()})
    else:
        store = open_store(args.db)
        try:
            report = store.check()
        finally:
            store.close()
        print_json({"database": display_url(store.url), **report.to_dict()})
    for problem in report.problems:
        print(problem["message"], file=sys.stderr)
    return 0 if report.ok else 1
