"""`python -m analysis validate FILE [--map "Header=field" ...]` (SPEC §5).

Prints the validation report as JSON. Exit 0: no errors (warnings allowed);
1: errors in a readable file; 2: the file cannot or must not be read, or the
command cannot be done as asked (no such file, a malformed or unknown --map):
the JSON then holds one error with "row": null.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis import messages
from analysis.cli import UsageError, add_map_argument, parse_map
from analysis.fields import FIELD_BY_NAME
from analysis.model import ERROR, Problem, ReadResult
from analysis.reading import UnknownFieldError, read_task_log


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="task log: .xlsx, .xls, .ods or .csv")
    add_map_argument(parser)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    mapping = _mapping(args.map)
    if isinstance(mapping, str):
        return _refuse(path, mapping)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _refuse(path, messages.FILE_NOT_FOUND.format(path=args.file))
    except OSError as exc:
        print(f"cannot open {path}: {exc.strerror}", file=sys.stderr)
        return _refuse(path, messages.FILE_NOT_OPENED.format(path=args.file))
    try:
        result = read_task_log(data, path.name, mapping=mapping)
    except UnknownFieldError as exc:
        print(str(exc), file=sys.stderr)
        fields = ", ".join(f"{name} ({f.header})" for name, f in FIELD_BY_NAME.items())
        return _refuse(path, messages.MAP_UNKNOWN_FIELD.format(
            header=exc.header, field=exc.field, fields=fields))
    _print(result)
    if result.unreadable:
        return 2
    return 0 if result.ok else 1


def _mapping(items: list[str]) -> dict[str, str] | str:
    """The --map options, or the message for the first malformed one."""
    for item in items:
        try:
            parse_map([item])
        except UsageError:
            return messages.MAP_MALFORMED.format(item=item)
    return parse_map(items)


def _refuse(path: Path, message: str) -> int:
    _print(ReadResult(file=path.name, unreadable=True,
                      problems=[Problem(None, None, None, ERROR, message)]))
    return 2


def _print(result: ReadResult) -> None:
    json.dump(result.report(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
