"""Command line of SPEC §5: `python -m analysis COMMAND ...`.

Each command lives in `analysis/commands/<name>.py` (`import`: `import_upload.py`, a
keyword is no module name) with `add_arguments(parser)` and `run(args) -> exit code`;
this module only wires them together.

A command that fails (an unwritable database or data folder, a database server out
of reach, a bug) still answers with JSON and a plain Vietnamese message, never a
traceback: the command's own `failure(args, message) -> exit code` when it has one
(its §5 JSON), else `{"status": "failed", "error": message}` and exit 2. The
technical cause goes to stderr on one line.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

COMMANDS = {
    "validate": "check one task-log file and print the report as JSON",
    "metrics": "compute the coordination figures (SPEC §3) as JSON",
    "template": "write the Excel template for department heads",
    "import": "validate and store one upload in the database",
    "history": "list uploads and their versions",
    "restore": "make an earlier upload version current again",
    "report": "write the meeting brief (SPEC §7.1) as Word or Excel",
    "submissions": "which department submitted which month's log, on time or late",
    "sample": "regenerate the bundled sample workbooks under data/sample/",
    "user": "manage accounts: add, passwd, disable, enable, unlock, list (SPEC §8)",
    "backup": "write a consistent copy of the whole store into a new SQLite file",
    "check": "verify every original's SHA-256 and every upload's rows",
    "restore-backup": "replace or fill a database with the content of a backup file",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `command`, only that command's module is imported.

    Importing every command up front would load openpyxl and SQLAlchemy for a
    `metrics` run on files, which costs start-up time on every call.
    """
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if command is None or name == command:
            _command_module(name).add_arguments(command_parser)
    return parser


MODULES = {"import": "import_upload"}  # command -> module of analysis/commands, where they differ


def _command_module(name: str):
    return importlib.import_module(f"analysis.commands.{MODULES.get(name, name.replace('-', '_'))}")


class UsageError(ValueError):
    """A malformed option value found after argparse (exit 2, like argparse's own)."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command if command in COMMANDS else None)
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if getattr(_command_module(args.command), "ECHO_UNKNOWN_ARGUMENTS", True):
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        # e.g. `user add NAME secret`: the stray argument may be a password; never repeat it
        print(f"python -m analysis {args.command}: {len(unknown)} unexpected argument(s), "
              "not shown (a password is never an argument)", file=sys.stderr)
        return 2
    module = _command_module(args.command)
    try:
        return module.run(args)
    except UsageError as exc:
        print(f"python -m analysis {args.command}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the contract is JSON, whatever happened
        return _failed(module, args, exc)


def _failed(module, args: argparse.Namespace, exc: Exception) -> int:
    from analysis.store.failures import failure_message

    cause = (str(exc).splitlines() or [""])[0]  # SQLAlchemy appends the statement: not needed
    print(f"python -m analysis {args.command}: {type(exc).__name__}: {cause}", file=sys.stderr)
    message = failure_message(exc)
    if hasattr(module, "failure"):
        return module.failure(args, message)
    print_json({"status": "failed", "error": message})
    return 2


def print_json(value, stream=None, indent: int | None = 2) -> None:
    """Every command's JSON: Vietnamese kept readable (no \\u escapes) and written as
    UTF-8, also when the console's encoding is not; flushed. `stream`: stdout."""
    stream = sys.stdout if stream is None else stream
    text = json.dumps(value, ensure_ascii=False, indent=indent) + "\n"
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    buffer = getattr(stream, "buffer", None)
    if buffer is not None and encoding != "utf8":
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(text)
        stream.flush()


def add_map_argument(parser: argparse.ArgumentParser) -> None:
    """The repeatable `--map "Header text=field"` option shared by commands."""
    parser.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                        help='map a header to a field, e.g. --map "Unique Key=task_id"')


def parse_map(items: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        header, sep, field = item.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise UsageError(f'--map expects "Header text=field", got {item!r}')
        mapping[header.strip()] = field.strip()
    return mapping


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, metavar="URL",
                        help="database URL (default: DATABASE_URL, else data/ctxh.sqlite)")


def month_argument(text: str) -> str:
    """argparse `type=` of every YYYY-MM option (--month, --from, --to): the periods rule."""
    from analysis.periods import parse_month  # month arithmetic only: pandas not imported

    try:
        return parse_month(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {text!r}") from None


def date_argument(text: str):
    """argparse `type=` of every YYYY-MM-DD option (--as-of): a `datetime.date`."""
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def add_user_argument(parser: argparse.ArgumentParser, what: str = "acts") -> None:
    """The `--user NAME` option of commands that act for someone (SPEC §5)."""
    parser.add_argument("--user", default=None, metavar="NAME",
                        help=f"the account that {what}; required once any account exists "
                             "(its role applies). Before the first account: only recorded")


def command_line_actor(store, name: str | None):
    """The `analysis.access.Actor` a command acts as (SPEC §5, §8): before any account
    exists the system actor (`name`, else the OS user, is only recorded); afterwards the
    active account `name`. Raises `analysis.access.AccessDenied` (a Vietnamese message)
    when `--user` is missing, unknown or disabled: print it in the command's JSON, exit 1."""
    from analysis.accounts import Accounts

    return Accounts(store).command_line_actor(name)
