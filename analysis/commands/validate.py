"""`python -m analysis validate FILE [--map "Header=field" ...]` (SPEC §5).

Prints the validation report as JSON. Exit 0: no errors (warnings allowed);
1: errors in a readable file; 2: the file cannot or must not be read (the reading
child aborted or ran out of its limits included), or the command cannot be done as
asked (no such file, a malformed or unknown --map): the JSON then holds one error
with "row": null.

The file is read in a limited fork of this process (`sandbox.run_forked`: the reader
is imported first, so the child costs only its fork); a child that aborts or runs out
of its limits is a refused file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import messages, sandbox
from analysis.cli import UsageError, add_map_argument, parse_map, print_json
from analysis.fields import FIELD_BY_NAME, UnknownFieldError
from analysis.model import ERROR, Problem, ReadResult


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
    import analysis.reading  # noqa: F401 - before the fork: the child starts with it

    try:
        answer, _steps = sandbox.run_forked(lambda step: report_and_code(data, path.name, mapping),
                                            sandbox.Limits(), on_top=False)
    except UnknownFieldError as exc:
        print(str(exc), file=sys.stderr)
        fields = ", ".join(f"{name} ({f.header})" for name, f in FIELD_BY_NAME.items())
        return _refuse(path, messages.MAP_UNKNOWN_FIELD.format(
            header=exc.header, field=exc.field, fields=fields))
    if answer is None:  # the child aborted, was killed or ran out of a limit
        return _refuse(path, messages.CHILD_FAILED)
    report, code = answer
    print_json(report)
    return code


def report_and_code(data: bytes, filename: str, mapping: dict[str, str]) -> tuple[dict, int]:
    """In the limited child: the report of SPEC §5 and the exit code."""
    from analysis.reading import read_task_log

    result = read_task_log(data, filename, mapping=mapping)
    return result.report(), 2 if result.unreadable else 0 if result.ok else 1


def _mapping(items: list[str]) -> dict[str, str] | str:
    """The --map options, or the message for the first malformed one."""
    for item in items:
        try:
            parse_map([item])
        except UsageError:
            return messages.MAP_MALFORMED.format(item=item)
    return parse_map(items)


def _refuse(path: Path, message: str) -> int:
    print_json(ReadResult(file=path.name, unreadable=True,
                      problems=[Problem(None, None, None, ERROR, message)]).report())
    return 2
