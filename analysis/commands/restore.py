"""`python -m analysis restore UPLOAD_ID [--user NAME]` (SPEC §5): make that stored
version current again for its scope and month. Prints JSON; exit 1 when no upload
has that id (any number, 99999999999999999999 included), or when the acting account
may not restore it (once any account exists,
`--user` must name an active account and its role applies, SPEC §8)."""

from __future__ import annotations

import argparse
import sys

from analysis import messages
from analysis.access import AccessDenied
from analysis.cli import add_db_argument, add_user_argument, command_line_actor, print_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("upload_id", metavar="UPLOAD_ID", type=int)
    add_user_argument(parser, "restores")
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.store import UploadNotFound, open_store

    store = open_store(args.db)
    try:
        result = store.restore(args.upload_id, command_line_actor(store, args.user))
    except UploadNotFound:
        message = messages.UPLOAD_NOT_FOUND.format(upload_id=args.upload_id)
        print_json({"upload_id": args.upload_id, "status": "not_found", "error": message})
        print(message, file=sys.stderr)
        return 1
    except AccessDenied as refused:
        print_json({"upload_id": args.upload_id, "status": "refused", "error": refused.message})
        print(refused.message, file=sys.stderr)
        return 1
    finally:
        store.close()
    print_json({**result, "status": "restored"})
    return 0


def failure(args: argparse.Namespace, message: str) -> int:
    """The answer when the store cannot be opened or written (see cli.main)."""
    print_json({"upload_id": args.upload_id, "status": "failed", "error": message})
    return 1
