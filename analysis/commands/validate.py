"""`python -m analysis validate FILE [--map "Header=field" ...]` (SPEC §5).

Prints the validation report as JSON. Exit 0: no errors (warnings allowed);
1: errors in a readable file; 2: the file cannot or must not be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis.cli import add_map_argument, parse_map
from analysis.reading import UnknownFieldError, read_task_log


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="task log: .xlsx, .xls, .ods or .csv")
    add_map_argument(parser)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"cannot open {path}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        result = read_task_log(data, path.name, mapping=parse_map(args.map))
    except UnknownFieldError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    json.dump(result.report(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    if result.unreadable:
        return 2
    return 0 if result.ok else 1
