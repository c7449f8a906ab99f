"""`python -m analysis history [--scope S] [--month M]` (SPEC §5): the uploads and
their versions as a JSON list, newest first (`Store.history`)."""

from __future__ import annotations

import argparse

from analysis.cli import add_db_argument, print_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scope", default=None, help='department name, or "center"')
    parser.add_argument("--month", default=None, help="reporting month YYYY-MM")
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.store import open_store

    store = open_store(args.db)
    try:
        entries = store.history(args.scope, args.month)
    finally:
        store.close()
    print_json(entries)
    return 0
