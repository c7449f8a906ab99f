"""Time reading one upload before and after the limited child process (analysis/sandbox.py).
Prints a table; asserts nothing.

    python benchmarks/bench_sandbox.py [--base REV] [N ...]       (default: 200 10000 100000)

Rows: a template-shaped task log of N tasks (`bench_metrics.build_workbook`). "before" is
the code at REV (default: the merge base of HEAD and main, where this work started),
extracted with `git archive` to benchmarks/out/; "after" is the working tree.

Columns (wall seconds are the best of REPEATS; CPU seconds are steadier on a shared
machine):
  validate      `python -m analysis validate FILE`, a fresh process, wall
  cpu           user+sys CPU of that command with every process it started (the
                zygote and its child included: this script adopts them, see _adopt_orphans)
  preview       `store.preview(...)`, as the upload page calls it, in a long-lived
                process whose earlier calls warmed it (the zygote is running), wall
  child cost    after only: the time `sandbox.read_task_log` takes beyond the reading
                itself, timed inside the child (fork, sending the bytes, pickling the
                result back); the median of REPEATS, so it stays steady on a busy machine
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
REPEATS = {200: 7, 10_000: 5, 100_000: 3}
sys.path.insert(0, str(REPO / "benchmarks"))


def base_checkout(rev: str | None) -> Path:
    """The tree of `rev` under benchmarks/out/ (extracted once)."""
    if rev is None:
        rev = subprocess.run(["git", "-C", str(REPO), "merge-base", "HEAD", "main"],
                             capture_output=True, text=True, check=True).stdout.strip()
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev],
                            capture_output=True, text=True, check=True).stdout.strip()
    target = OUT / f"base-{commit}"
    if not (target / "analysis").is_dir():
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "analysis"],
                                 capture_output=True, check=True).stdout
        target.mkdir(parents=True, exist_ok=True)
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(target)
    return target


def _adopt_orphans() -> None:
    """Linux: become a child subreaper, so a command's zygote (left running when the
    command exits) is reparented here, waited for, and counted in RUSAGE_CHILDREN."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _reap() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def timed_validate(code: Path, path: Path, repeats: int) -> tuple[float, float]:
    best, best_cpu = float("inf"), float("inf")
    env = {**os.environ, "PYTHONPATH": str(code)}
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "analysis", "validate", str(path)],
                              cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - start
        _reap()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            print(f"  validate failed ({done.returncode}): {done.stderr.decode()[-500:]}", file=sys.stderr)
            return float("nan"), float("nan")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best, best_cpu = min(best, wall), min(best_cpu, cpu)
    return best, best_cpu


def timed_preview(code: Path, path: Path, repeats: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, __file__, "--child-preview", str(path), str(repeats)],
                          cwd=code, env=env, capture_output=True, text=True)
    _reap()
    if done.returncode != 0:
        print(f"  preview failed: {done.stderr[-800:]}", file=sys.stderr)
        return float("nan")
    return min(json.loads(done.stdout.strip().splitlines()[-1]))


def timed_read(data: bytes) -> float:
    """In the child: the reading alone."""
    from analysis.reading import read_task_log

    start = time.perf_counter()
    read_task_log(data, "bench.xlsx")
    return time.perf_counter() - start


def child_cost(path: Path, repeats: int) -> float:
    from analysis import sandbox

    data = path.read_bytes()
    sandbox.run("bench_sandbox:timed_read", data)  # the zygote starts and warms up
    costs = []
    for _ in range(repeats):
        start = time.perf_counter()
        inner = sandbox.run("bench_sandbox:timed_read", data)
        costs.append(time.perf_counter() - start - inner)
    return sorted(costs)[len(costs) // 2]


def child_preview(path: str, repeats: int) -> None:
    """In the code under test: a store, one warm-up preview, then timed previews."""
    from analysis.store import open_store

    data = Path(path).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.sqlite")
        store.preview("center", "2026-10", Path(path).name, data)  # warm-up (and the zygote)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            preview = store.preview("center", "2026-10", Path(path).name, data)
            times.append(time.perf_counter() - start)
            assert not preview.read.unreadable, preview.read.problems[:1]
        store.close()
    print(json.dumps(times))


def main(sizes: list[int], rev: str | None) -> None:
    sys.path.insert(0, str(REPO))  # the working tree's code (a --child-preview runs the code it is given)
    from bench_metrics import build_workbook

    _adopt_orphans()
    base = base_checkout(rev)
    print(f"before: {base.name}; after: the working tree")
    print(f"{'tasks':>8} {'validate before':>16} {'after':>7} {'cpu before':>11} {'after':>7} "
          f"{'preview before':>15} {'after':>7} {'child cost':>11}")
    for n in sizes:
        path = build_workbook(n)
        repeats = REPEATS.get(n, 2)
        vb, cb = timed_validate(base, path, repeats)
        va, ca = timed_validate(REPO, path, repeats)
        pb = timed_preview(base, path, repeats)
        pa = timed_preview(REPO, path, repeats)
        cost = child_cost(path, repeats)
        print(f"{n:>8} {vb:>16.2f} {va:>7.2f} {cb:>11.2f} {ca:>7.2f} {pb:>15.3f} {pa:>7.3f} "
              f"{cost:>11.3f}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child-preview":
        child_preview(sys.argv[2], int(sys.argv[3]))
    else:
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--base", default=None,
                            help="the code before (default: the merge base of HEAD and main)")
        parser.add_argument("sizes", nargs="*", type=int)
        options = parser.parse_args()
        main(options.sizes or [200, 10_000, 100_000], options.base)
