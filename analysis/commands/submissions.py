"""`python -m analysis submissions [--from YYYY-MM] [--to YYYY-MM] [--db URL]` (SPEC §5):
which department submitted which month's log, on time or late, or not at all.

Prints a JSON list, one entry per known department and reporting month of the range:
`{"department", "month", "status": "on_time"|"late"|"missing", "upload_id",
"uploaded_at", "uploaded_by"}` plus `deadline`, `versions`, `current_upload_id`
(`analysis.submissions.grid_records`). The range defaults to the latest reporting month
in the database; `--from` alone runs to that month, `--to` alone is that one month.
Known departments: the catalogue's, else every department the uploads in the figures
name as lead or coordinator. Sample uploads count only while no real data exists. The
deadline day is the `report_deadline_day` setting (SPEC §6; default 5).
"""

from __future__ import annotations

import argparse

from analysis.cli import UsageError, add_db_argument, month_argument, print_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="from_month", type=month_argument, default=None,
                        metavar="YYYY-MM", help="first reporting month")
    parser.add_argument("--to", dest="to_month", type=month_argument, default=None,
                        metavar="YYYY-MM", help="last reporting month")
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.periods import month_range
    from analysis.store import open_store
    from analysis.submissions import grid_records, submission_grid

    store = open_store(args.db)
    try:
        log = store.upload_log()
        latest = str(log["month"].max()) if len(log) else None
        first = args.from_month or args.to_month or latest
        last = args.to_month or (max(latest, first) if latest and first else first)
        if first and last and first > last:
            raise UsageError(f"--from {first} is after --to {last}: the range is empty")
        departments = store.known_departments()
        deadline_day = int(store.settings()["report_deadline_day"])
    finally:
        store.close()
    months = month_range(first, last) if first and last else []
    records = grid_records(submission_grid(log, departments, months, deadline_day))
    print_json(records)
    return 0
