"""`python -m analysis backup OUT [--db URL]` (SPEC §4.4): a consistent copy of the
whole store (every table, originals included) into the new SQLite file OUT, while the
app runs; the copy is checked before it is kept (see `analysis/store/backup.py`).

Prints JSON `{"status": "written"|"written_with_problems"|"error", "file", "size",
"sha256", "source", "method", "schema_version", "check": {...}}`. Exit 0 when written
and its check passed; 1 when written but the check found problems (listed); 2 when
nothing was written (OUT exists, cannot be written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.cli import add_db_argument, print_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", metavar="OUT", type=Path,
                        help="the new backup file (never overwritten), e.g. ctxh-2026-10-31.sqlite")
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.store import BackupError, open_store

    store = open_store(args.db)
    try:
        result = store.backup(args.out)
    except (BackupError, OSError) as exc:
        message = str(exc) if isinstance(exc, BackupError) else f"Không ghi được {args.out}: {exc.strerror}."
        print_json({"status": "error", "file": str(args.out), "error": message})
        print(message, file=sys.stderr)
        return 2
    finally:
        store.close()
    print_json(result.to_dict(store.url))
    return 0 if result.check.ok else 1
