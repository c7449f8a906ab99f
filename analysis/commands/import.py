"""`python -m analysis import --scope S --month YYYY-MM [--user NAME] [--map H=F] FILE`
(SPEC §5): validate and store one upload; print `ImportOutcome.to_dict()` as JSON.

Exit 0 when stored or unchanged, 1 when rejected (nothing changed).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from analysis.cli import add_db_argument, add_map_argument, parse_map
from analysis.model import ERROR, Problem


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scope", required=True, help='department name, or "center" for the whole center')
    parser.add_argument("--month", required=True, type=_month, help="reporting month YYYY-MM")
    parser.add_argument("--user", default=None, help="who uploads (default: the system user)")
    add_map_argument(parser)
    add_db_argument(parser)
    parser.add_argument("file", metavar="FILE")


def run(args: argparse.Namespace) -> int:
    from analysis.store import open_store

    mapping = parse_map(args.map)
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problem = Problem(None, None, path.name, ERROR,
                          f"Không đọc được tệp ({exc.strerror or 'lỗi đọc tệp'}).")
        _print_json({"upload_id": None, "version": None, "status": "rejected", "rows": 0,
                     "errors": [problem.to_dict()]})
        return 1
    store = open_store(args.db)
    try:
        outcome = store.import_upload(args.scope, args.month, path.name, data,
                                      args.user or _system_user(), mapping or None)
    finally:
        store.close()
    _print_json(outcome.to_dict())
    return 1 if outcome.status == "rejected" else 0


def _month(text: str) -> str:
    from analysis.periods import parse_month
    try:
        return parse_month(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {text!r}") from None


def _system_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "dòng lệnh"


def _print_json(value) -> None:
    sys.stdout.buffer.write(json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
    sys.stdout.flush()
