"""`python -m analysis template OUT.xlsx`: write the Excel template (SPEC §2)."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.template import build_template


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", metavar="OUT.xlsx", help="where to write the template")
    parser.add_argument("--department", action="append", default=[], metavar="NAME",
                        help="a department name for the dropdown (repeatable); "
                             "none: the department column is free text")
    parser.add_argument("--person", action="append", default=[], metavar="NAME",
                        help="a staff name for the lead-person dropdown (repeatable)")


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.parent != Path(""):
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(build_template(args.department, args.person))
    print(out)
    return 0
