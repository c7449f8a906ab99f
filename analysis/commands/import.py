"""`python -m analysis import --scope S --month YYYY-MM [--user NAME] [--map H=F] FILE`
(SPEC §5): validate and store one upload; print `ImportOutcome.to_dict()` as JSON.

Exit 0 when stored or unchanged, 1 when rejected (nothing changed). Once any account
exists, `--user` must name an active account and its role applies (SPEC §8): a head
importing for another department or the whole center, or an unknown `--user`, is
rejected the same way (one error with `"row": null`, nothing read or stored).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis.access import AccessDenied
from analysis.cli import add_db_argument, add_map_argument, add_user_argument, command_line_actor, parse_map
from analysis.model import ERROR, Problem


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scope", required=True, help='department name, or "center" for the whole center')
    parser.add_argument("--month", required=True, type=_month, help="reporting month YYYY-MM")
    add_user_argument(parser, "uploads")
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
        _print_json(_rejected(problem))
        return 1
    store = open_store(args.db)
    field, value = "user", args.user  # what a refusal is about
    try:
        actor = command_line_actor(store, args.user)
        field, value = "scope", args.scope
        outcome = store.import_upload(args.scope, args.month, path.name, data, actor,
                                      mapping or None)
    except AccessDenied as refused:
        _print_json(_rejected(Problem(None, field, value, ERROR, refused.message)))
        print(refused.message, file=sys.stderr)
        return 1
    finally:
        store.close()
    _print_json(outcome.to_dict())
    return 1 if outcome.status == "rejected" else 0


def _rejected(problem: Problem) -> dict:
    return {"upload_id": None, "version": None, "status": "rejected", "rows": 0,
            "errors": [problem.to_dict()]}


def _month(text: str) -> str:
    from analysis.periods import parse_month
    try:
        return parse_month(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {text!r}") from None


def _print_json(value) -> None:
    sys.stdout.buffer.write(json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
    sys.stdout.flush()
