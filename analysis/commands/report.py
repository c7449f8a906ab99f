"""`python -m analysis report --as-of YYYY-MM-DD --from YYYY-MM [--to YYYY-MM]
--format docx|xlsx --out FILE [--db URL] [--user NAME]` (SPEC §5): the meeting brief of
§7.1 for the consolidated tasks of the database.

Exit 0 when written (a JSON line on stdout says what: file, format, size, SHA-256);
2 with a message on stderr when the period is invalid (malformed, reversed, or not
started at the as-of day); 1 when the user may not make this brief (SPEC §8).
The export is audited with counts and the file's hash only (SPEC §4.4).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import date
from pathlib import Path

from analysis.cli import add_db_argument, command_line_actor, date_argument, month_argument, print_json

FORMATS = ("docx", "xlsx")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", required=True, type=date_argument, metavar="YYYY-MM-DD",
                        help="the day the outcomes are judged on")
    parser.add_argument("--from", dest="from_month", required=True, type=month_argument,
                        metavar="YYYY-MM", help="first month of the period")
    parser.add_argument("--to", dest="to_month", default=None, type=month_argument, metavar="YYYY-MM",
                        help="last month of the period (default: the last month in the data, "
                             "not after the --as-of month)")
    parser.add_argument("--format", required=True, choices=FORMATS,
                        help="docx: the Word report to print; xlsx: the Excel workbook")
    parser.add_argument("--out", required=True, metavar="FILE", help="where to write it")
    parser.add_argument("--user", default=None, metavar="NAME",
                        help="who makes the brief (default: the system user)")
    add_db_argument(parser)


def default_to_month(tasks, from_month: str, as_of: date) -> str:
    """Without --to, as for `metrics`: up to the last month in the data, but never past the
    as-of month (a later month has not started) nor before --from."""
    from analysis.metrics.outcomes import task_month
    from analysis.periods import month_of

    months = task_month(tasks).dropna()
    last = min(str(months.max()), month_of(as_of)) if len(months) else from_month
    return max(from_month, last)


def run(args: argparse.Namespace) -> int:
    from analysis.access import AccessDenied

    to_month = args.to_month or args.from_month
    if args.from_month > to_month:
        return _invalid(f"--from {args.from_month} is after --to {to_month}: the period is empty")
    if date(int(args.from_month[:4]), int(args.from_month[5:7]), 1) > args.as_of:
        return _invalid(f"the period {args.from_month}..{to_month} has not started on "
                        f"{args.as_of.isoformat()} (--as-of)")

    from analysis.brief.export import brief_scope, export_brief
    from analysis.brief.figures import PeriodError, brief_figures
    from analysis.brief.sources import brief_inputs
    from analysis.store import open_store

    store = open_store(args.db)
    try:
        try:
            actor = command_line_actor(store, args.user)
            scope = brief_scope(actor)
            inputs = brief_inputs(store, args.as_of, args.from_month, to_month, scope=scope)
            if args.to_month is None:
                inputs.to_month = to_month = default_to_month(inputs.tasks, args.from_month,
                                                              args.as_of)
            figures = brief_figures(inputs)
            data = export_brief(store, actor, figures, args.format, via="command line")
        except AccessDenied as refusal:
            print(refusal.message, file=sys.stderr)
            return 1
        except PeriodError as exc:
            return _invalid(str(exc))
        out = Path(args.out)
        out.write_bytes(data)
    finally:
        store.close()
    summary = {"out": str(out), "format": args.format, "period": {"from": args.from_month,
                                                                   "to": to_month},
               "as_of": args.as_of.isoformat(), "scope": scope, "size": len(data),
               "sha256": hashlib.sha256(data).hexdigest()}
    print_json(summary, indent=None)
    return 0


def _invalid(message: str) -> int:
    print(f"python -m analysis report: {message}", file=sys.stderr)
    return 2
