"""`python -m analysis metrics`: the coordination figures of SPEC §3 as JSON (SPEC §5).

With FILE arguments the files are read in order and merged (a later file's row
replaces an earlier one with the same task_id; a later file's contributions for a
task replace earlier ones). Without FILE the consolidated tasks of the database are used.

Files are a local analysis (SPEC §5): the upload row limit does not apply, every
safety check and work bound does (`LOCAL_ANALYSIS`). They are read, and their figures
computed, in a fork of this process under the reading limits (`sandbox.run_forked`):
calamine may abort on a crafted file, and then only that child dies; this process
names the file and answers as for any file with errors (exit 1).

Speed: the checks run in a forked child while this process imports pandas and the
reading child parses; that and the other tricks (mallopt, gc, os._exit) are explained
once in `analysis/cli_speed.py`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import cli_speed
from analysis.cli import (
    add_db_argument,
    add_map_argument,
    date_argument,
    month_argument,
    parse_map,
    print_json,
)
from analysis.model import ReadSettings

if TYPE_CHECKING:  # imported in run(), after the file checks have started (see below)
    import pandas as pd

# A local analysis (SPEC §5): no upload row limit, and time limits wide enough for a
# 100 000-task file on a busy machine (the upload's 20 s wall failed one there). The
# memory limit, the work budgets and the abort-proof child stay those of an upload.
LOCAL_ANALYSIS = ReadSettings(row_limit=None, parse_cpu_seconds=120, parse_wall_seconds=300)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=date_argument, default=None, metavar="YYYY-MM-DD",
                        help="the day the figures are computed for (default: today)")
    parser.add_argument("--from", dest="from_month", type=month_argument, default=None,
                        metavar="YYYY-MM", help="first month of the period")
    parser.add_argument("--to", dest="to_month", type=month_argument, default=None,
                        metavar="YYYY-MM", help="last month of the period")
    add_map_argument(parser)
    add_db_argument(parser)
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="task-log files (.xlsx, .xls, .ods, .csv); none: the database")


def run(args: argparse.Namespace) -> int:
    with cli_speed.no_cyclic_gc():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    if args.from_month and args.to_month and args.from_month > args.to_month:
        print(f"--from {args.from_month} is after --to {args.to_month}: the period is empty",
              file=sys.stderr)
        return 2
    contents = [_read_bytes(path) for path in args.files]
    checks = cli_speed.start_checks(contents, LOCAL_ANALYSIS)  # before pandas is imported

    from analysis.metrics import compute_report

    as_of = args.as_of or date.today()
    if args.files:
        cli_speed.merge_freed_memory_at_once()
        return _figures_of_files(args, contents, checks, as_of, compute_report)
    tasks, contributions = _read_database(args.db)
    report = compute_report(tasks, as_of, args.from_month, args.to_month, contributions)
    print_json(report)
    return 0


def _figures_of_files(args: argparse.Namespace, contents: list, checks: cli_speed.Checks, as_of: date,
                      compute_report) -> int:
    """Read the files and compute their figures in a limited fork (one reading budget
    per file); print the figures, or the reports of the files with errors."""
    from analysis import messages, sandbox
    from analysis.fields import UnknownFieldError
    from analysis.model import Unreadable

    mapping = parse_map(args.map)

    def work(step):
        loaded = _read_files(args.files, mapping, contents, checks.verdicts, step)
        if isinstance(loaded, list):
            return "failed", loaded
        tasks, contributions = loaded
        return "figures", compute_report(tasks, as_of, args.from_month, args.to_month,
                                         contributions)

    files = max(1, len(args.files))
    limits = sandbox.Limits(LOCAL_ANALYSIS.parse_memory_bytes * files,
                            LOCAL_ANALYSIS.parse_cpu_seconds * files,
                            LOCAL_ANALYSIS.parse_wall_seconds * files)
    try:
        answer, steps = sandbox.run_forked(work, limits)
    except UnknownFieldError as exc:  # --map names a field that does not exist
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        verdicts = checks.verdicts()  # and the checks child is waited for
    if answer is None:  # the child died: in the file it was reading (2 steps each), or after
        index = steps // 2
        name = Path(args.files[index]).name if index < len(args.files) else None
        verdict = verdicts[index] if index < len(verdicts) else None
        message = verdict.message if isinstance(verdict, Unreadable) else messages.CHILD_FAILED
        print_json([_failed_report(name, message)], sys.stderr)
        return 1
    kind, value = answer
    print_json(value, sys.stdout if kind == "figures" else sys.stderr)
    return 0 if kind == "figures" else 1


def _read_files(paths: list[str], mapping: dict[str, str], contents: list, verdicts,
                step=lambda: None):
    """Tasks and contributions of all files merged, or the validation reports of the
    files with errors (a list). `contents`: each file's bytes or the OSError of reading
    it; `verdicts()`: each file's check_file verdict (None: not known, read_task_log
    checks it), asked for once calamine has laid out the first file. `step()` is called
    twice a file: laid out, read."""
    from analysis import messages
    from analysis.model import Unreadable
    from analysis.raw_sheets import load_sheets
    from analysis.reading import read_task_log

    task_frames, contribution_frames, failed = [], [], []
    cli_speed.KEPT_CELLS.clear()  # an earlier in-process run's cells (tests): freed now
    known: list = []
    for order, (path, data) in enumerate(zip(paths, contents)):
        if isinstance(data, OSError):
            failed.append(_failed_report(Path(path).name, messages.FILE_READ_FAILED.format(
                reason=data.strerror or "lỗi đọc tệp")))
            step()
            step()
            continue
        # The first file is laid out while its checks may still run; by then the checks
        # child has sent the verdicts of all files, so a later file refused by its
        # checks never reaches calamine.
        refused_already = bool(known) and isinstance(known[order], Unreadable)
        sheets = None if refused_already else load_sheets(data)
        step()
        known = known or verdicts()
        # Warnings are never printed here: not building them saves time on big files.
        result = read_task_log(data, Path(path).name, mapping=mapping or None,
                               settings=LOCAL_ANALYSIS, checked=known[order], warnings=False,
                               keep_cells=cli_speed.KEPT_CELLS, sheets=sheets)
        step()
        if not result.ok:
            failed.append(result.report())
            continue
        task_frames.append(result.tasks.assign(_file=order))
        if result.contributions is not None and len(result.contributions):
            contribution_frames.append(result.contributions.assign(_file=order))
    if failed:
        return failed
    return merge_task_files(task_frames), merge_contribution_files(contribution_frames)


def _read_bytes(path: str) -> bytes | OSError:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        return exc


def merge_task_files(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Later files win: the last row of each task_id is kept (SPEC §5)."""
    import pandas as pd

    tasks = pd.concat(frames, ignore_index=True)
    return tasks.drop_duplicates("task_id", keep="last").drop(columns="_file").reset_index(drop=True)


def merge_contribution_files(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
    """For each task, the contributions of the last file that lists any for it."""
    if not frames:
        return None
    import pandas as pd

    rows = pd.concat(frames, ignore_index=True)
    latest = rows.groupby("task_id")["_file"].transform("max")
    return rows[rows["_file"].eq(latest)].drop(columns="_file").reset_index(drop=True)


def _read_database(url: str | None):
    from analysis.store import open_store

    store = open_store(url)  # the URL rule (--db, DATABASE_URL, SQLite file) lives there
    try:
        return store.consolidated()
    finally:
        store.close()


def _failed_report(name: str | None, message: str) -> dict:
    """The validation report (SPEC §5) of a file refused as a whole."""
    return {"file": name, "sheet": None, "header_row": None, "rows": 0,
            "skipped_rows": [], "ignored_columns": [],
            "errors": [{"row": None, "field": None, "value": None, "severity": "error",
                        "message": message}]}
