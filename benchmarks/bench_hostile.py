"""Hostile files through `python -m analysis validate`: exit code, wall time and the peak
memory of the whole process tree (the command, the zygote and its child). Prints a
table; asserts nothing. The files are those of tests/test_hostile_files.py, built in code.

    python benchmarks/bench_hostile.py

Columns:
  exit       validate's exit code (1: errors in the file, 2: refused as a whole)
  wall s     time to the JSON answer
  tree MB    peak of the summed resident memory of the command and every process it
             started (sampled every 5 ms from /proc; pages the zygote shares with its
             child are counted twice, so this overstates)
  answer     the start of the first message
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))


def hostile_files() -> dict[str, tuple[str, bytes]]:
    import test_hostile_files as hostile
    from workbooks import csv_bytes, task, task_table, xls

    files = {f"far cell: {name}": ("far.xlsx", hostile.far(xml))
             for name, xml in hostile.FAR_SPELLINGS.items()}
    broken = bytearray(xls(task_table(task())))
    broken[1577], broken[2200], broken[3375] = 44, 237, 174
    files.update({
        "1 M cells x one 2 KB shared string": ("amplified.xlsx", hostile._amplified(1_000_000, 2048)),
        "uniqueCount 4e9, late in the tag": ("count.xlsx", hostile.raw_xlsx(
            hostile.sheet_xml(hostile.header_row()), shared=hostile.shared_strings(
                ["a"], " " * 6000 + ' uniqueCount="4000000000"'))),
        ".ods cell repeated 1000x1000, 500 chars": ("rep.ods", hostile._ods_repeating(1000, 1000, "x" * 500)),
        ".ods <text:s c=300000000/>": ("spaces.ods", hostile._ods_repeating(1, 1, '<text:s text:c="300000000"/>')),
        "CSV cell of 200 000 characters": ("long.csv", csv_bytes(task_table(
            task(task_id="NV-1"), task(task_id="NV-2", note="x" * 200_000)))),
        ".xls that makes calamine reserve 165 GB": ("broken.xls", bytes(broken)),
    })
    return files


def tree_rss_kb(root: int) -> int:
    """Summed VmRSS of `root` and its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/status") as status:
                kb = next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = kb
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def measure(path: Path) -> tuple[int, float, float, str]:
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "analysis", "validate", str(path)], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss_kb(process.pid))
        time.sleep(0.005)
    wall = time.perf_counter() - start
    out = process.stdout.read().decode("utf-8")
    try:
        message = json.loads(out)["errors"][0]["message"]
    except (ValueError, IndexError, KeyError):
        message = out[:60]
    return process.returncode, wall, peak / 1024, message


def main() -> None:
    print(f"{'file':<44} {'exit':>4} {'wall s':>7} {'tree MB':>8}  answer")
    with tempfile.TemporaryDirectory() as tmp:
        for label, (name, data) in hostile_files().items():
            path = Path(tmp) / name
            path.write_bytes(data)
            code, wall, peak, message = measure(path)
            print(f"{label:<44} {code:>4} {wall:>7.2f} {peak:>8.0f}  {message[:60]}", flush=True)


if __name__ == "__main__":
    main()
