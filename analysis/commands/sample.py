"""`python -m analysis sample [--out DIR] [--seed N]`: regenerate the sample workbooks."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.sample import MANIFEST, SAMPLE_DIR, SEED, write_sample


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, metavar="DIR",
                        help="output folder (default: data/sample)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")


def run(args: argparse.Namespace) -> int:
    manifest = write_sample(args.out, args.seed)
    print(f"{len(manifest)} files and {MANIFEST} written to {args.out}")
    return 0
