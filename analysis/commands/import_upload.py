"""`python -m analysis import --scope S --month YYYY-MM [--user NAME] [--map H=F]
[--allow-empty] FILE` (SPEC §5): validate and store one upload; print
`ImportOutcome.to_dict()` as JSON.

Exit 0 when stored or unchanged, 1 when rejected (nothing changed). Once any account
exists, `--user` must name an active account and its role applies (SPEC §8): a head
importing for another department or the whole center, or an unknown `--user`, is
rejected the same way (one error with `"row": null`, nothing read or stored).

A file without tasks is refused unless --allow-empty (SPEC §4.2: it would empty the
month); a file that cannot be read or a store that cannot be written is rejected too
(the message says which; the original is then at most an unreferenced archive file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import messages, sandbox
from analysis.access import AccessDenied
from analysis.cli import (
    add_db_argument,
    add_map_argument,
    add_user_argument,
    command_line_actor,
    month_argument,
    parse_map,
    print_json,
)
from analysis.model import ERROR, Problem


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scope", required=True, help='department name, or "center" for the whole center')
    parser.add_argument("--month", required=True, type=month_argument, help="reporting month YYYY-MM")
    add_user_argument(parser, "uploads")
    parser.add_argument("--allow-empty", action="store_true",
                        help="store a file without tasks (it empties the month of the scope)")
    add_map_argument(parser)
    add_db_argument(parser)
    parser.add_argument("file", metavar="FILE")


def run(args: argparse.Namespace) -> int:
    sandbox.start_zygote(lean=True)  # it imports the reader while this process opens the store
    mapping = parse_map(args.map)
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _rejected(Problem(None, None, path.name, ERROR, messages.FILE_READ_FAILED.format(
            reason=exc.strerror or "lỗi đọc tệp")))
    from analysis.store import open_store

    store = open_store(args.db)
    field, value = "user", args.user  # what a refusal is about
    try:
        actor = command_line_actor(store, args.user)
        field, value = "scope", args.scope
        outcome = store.import_upload(args.scope, args.month, path.name, data, actor,
                                      mapping or None, allow_empty=args.allow_empty)
    except AccessDenied as refused:
        print(refused.message, file=sys.stderr)
        return _rejected(Problem(None, field, value, ERROR, refused.message))
    finally:
        store.close()
    print_json(outcome.to_dict())
    return 1 if outcome.status == "rejected" else 0


def failure(args: argparse.Namespace, message: str) -> int:
    """The answer when the store cannot be opened or written (see cli.main)."""
    return _rejected(Problem(None, None, None, ERROR, message))


def _rejected(problem: Problem) -> int:
    print_json({"upload_id": None, "version": None, "status": "rejected", "rows": 0,
                 "errors": [problem.to_dict()]})
    return 1
