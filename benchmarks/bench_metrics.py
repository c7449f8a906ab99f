"""Time `python -m analysis metrics` on 10k- and 100k-task workbooks against a bare
python-calamine parse of the same file. Prints a table; asserts nothing.

    python benchmarks/bench_metrics.py [N ...]        (default: 10000 100008)

100 008 tasks is just over the upload row limit: `metrics` on files is a local analysis
and reads it (SPEC §5).

Columns (all wall times of a fresh Python process, best of REPEATS):
  (a) calamine   bare python-calamine: open the file, `to_python()` the task sheet
  (b) metrics    the whole `python -m analysis metrics --as-of ... FILE` command
  (c) openpyxl   the same read+validate+metrics path, but the cells come from
                 pandas.read_excel(engine="openpyxl") instead of calamine
  (d) peak MB    peak resident memory of (b) (/usr/bin/time -v, else ru_maxrss)
  (b)/(a)        at most 2.0 at 100k (goal 1.5), with (d) < 500 MB
  cpu (a), cpu (b)  user+sys CPU seconds of (a) and (b): steadier than wall time
                 when other jobs share the machine

Workbooks are written once to benchmarks/out/ (git-ignored) with openpyxl's
write-only mode and reused on later runs.
"""

from __future__ import annotations

import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
AS_OF = "2026-10-31"
REPEATS = {10_000: 3, 100_000: 2, 100_008: 2}
sys.path.insert(0, str(REPO))

DEPARTMENTS = ["Phòng Hành chính - Tổng hợp", "Phòng Tư vấn - Tham vấn",
               "Phòng Công tác xã hội cộng đồng", "Phòng Chăm sóc - Phục hồi",
               "Phòng Tiếp nhận - Quản lý", "Phòng Chương trình - Dự án",
               "Phòng Can thiệp khẩn cấp", "Đội Công tác xã hội lưu động"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hà", "Hữu Khánh", "Thị Lan",
         "Đức Minh", "Thị Ngọc", "Văn Phúc"]
PEOPLE = [f"{s} {g}" for s in SURNAMES for g in GIVEN[:6]]  # 60 staff
TITLES = ["Tư vấn tâm lý cho gia đình có trẻ khuyết tật", "Tiếp nhận người lang thang xin ăn",
          "Can thiệp khẩn cấp trẻ em bị bạo lực", "Thăm hộ gia đình khó khăn",
          "Tổng hợp báo cáo tháng", "Kết nối dịch vụ y tế cho người cao tuổi",
          "Tập huấn kỹ năng cho cộng tác viên", "Lập kế hoạch hỗ trợ cá nhân"]
SERVICES = ["Tư vấn - Tham vấn", "Can thiệp khẩn cấp", "Can thiệp - Trị liệu - Phục hồi",
            "Tiếp nhận, xử lý thông tin người lang thang xin ăn", "Chương trình - Dự án", "Khác"]


def build_workbook(n: int) -> Path:
    """A template-shaped task log of n tasks (reused when it already exists)."""
    from openpyxl import Workbook

    from analysis.fields import TASK_FIELDS, TASK_SHEET

    path = OUT / f"tasks_{n}.xlsx"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(n)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(TASK_SHEET)
    sheet.append([f.header for f in TASK_FIELDS])
    start = datetime(2026, 1, 1)
    for i in range(n):
        lead = rng.choice(DEPARTMENTS)
        assigned = start + timedelta(days=rng.randrange(300))
        due = assigned + timedelta(days=rng.randrange(3, 45)) if rng.random() < 0.93 else None
        fate = rng.random()
        done = assigned + timedelta(days=rng.randrange(1, 50)) if fate < 0.7 else None
        status = ("Đã hủy" if fate > 0.97 else "Hoàn thành" if done
                  else rng.choice(["Đang thực hiện", "Tạm dừng"]))
        coord = rng.random()
        coord_depts = ("" if coord < 0.55 else
                       "; ".join(rng.sample([d for d in DEPARTMENTS if d != lead], 1 if coord < 0.85 else 2)))
        coord_people = "" if coord < 0.6 else ", ".join(rng.sample(PEOPLE, rng.randrange(1, 3)))
        sheet.append([f"NV-{i + 1:06d}", rng.choice(TITLES), rng.choice(SERVICES), lead,
                      rng.choice(PEOPLE) if rng.random() < 0.95 else None,
                      coord_depts or None, coord_people or None, assigned, due, None, done,
                      status, "Gia hạn theo đề nghị" if rng.random() < 0.05 else None])
    book.save(path)
    return path


# --- what each column runs ----------------------------------------------------------------

CALAMINE_CODE = ("import sys; from python_calamine import CalamineWorkbook; "
                 "b = CalamineWorkbook.from_path(sys.argv[1]); "
                 "rows = b.get_sheet_by_index(0).to_python(); print(len(rows))")


def child_openpyxl(path: str) -> None:
    """(c): the metrics command's path, with the sheet's cells read by pandas' openpyxl
    engine instead of calamine (the reader's `Workbook.rows` is swapped for the run)."""
    import datetime as dt

    import pandas as pd

    from analysis import raw_sheets
    from analysis.cli import print_json
    from analysis.metrics import compute_report
    from analysis.model import ReadSettings
    from analysis.reading import read_task_log

    cache: dict[str, list[list]] = {}

    def openpyxl_rows(self, name: str) -> list[list]:
        if name not in cache:
            frame = pd.read_excel(path, sheet_name=name, engine="openpyxl", header=None,
                                  dtype=object)
            cache[name] = frame.astype(object).where(frame.notna(), "").to_numpy().tolist()
        return cache[name]

    raw_sheets.Workbook.rows = openpyxl_rows
    result = read_task_log(Path(path).read_bytes(), Path(path).name,
                           settings=ReadSettings(row_limit=None))  # a local analysis, as (b)
    report = compute_report(result.tasks, dt.date.fromisoformat(AS_OF))
    with open(os.devnull, "w", encoding="utf-8") as sink:
        print_json(report, sink)


def timed(command: list[str], repeats: int) -> tuple[float, float]:
    """Best (wall, CPU user+sys) seconds of `repeats` runs; NaN if the command fails.

    CPU time is printed too because wall time on a busy shared machine includes
    waiting for a core."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            print(f"  failed (exit {done.returncode}): {' '.join(command[1:4])} ...\n"
                  + "\n".join(done.stderr.splitlines()[-12:]), file=sys.stderr)
            return float("nan"), float("nan")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best, best_cpu = min(best, wall), min(best_cpu, cpu)
    return best, best_cpu


def peak_mb(command: list[str]) -> float:
    gnu_time = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if gnu_time:
        done = subprocess.run([gnu_time, "-v", *command], cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        if match:
            return int(match.group(1)) / 1024
    subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # max over children


def main(sizes: list[int]) -> None:
    python = sys.executable
    print(f"{'tasks':>8} {'file MB':>8} {'(a) calamine s':>15} {'(b) metrics s':>14} "
          f"{'(c) openpyxl s':>15} {'(d) peak MB':>12} {'(b)/(a)':>8} {'cpu (a)':>8} "
          f"{'cpu (b)':>8} {'cpu (b)/(a)':>11}")
    for n in sizes:
        path = build_workbook(n)
        repeats = REPEATS.get(n, 2)
        metrics = [python, "-m", "analysis", "metrics", "--as-of", AS_OF, str(path)]
        a, cpu_a = timed([python, "-c", CALAMINE_CODE, str(path)], repeats)
        b, cpu_b = timed(metrics, repeats)
        c, _ = timed([python, __file__, "--child-openpyxl", str(path)], 1)
        d = peak_mb(metrics)
        print(f"{n:>8} {path.stat().st_size / 1e6:>8.1f} {a:>15.2f} {b:>14.2f} {c:>15.2f} "
              f"{d:>12.0f} {b / a:>8.2f} {cpu_a:>8.2f} {cpu_b:>8.2f} {cpu_b / cpu_a:>11.2f}",
              flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child-openpyxl":
        child_openpyxl(sys.argv[2])
    else:
        main([int(a) for a in sys.argv[1:]] or [10_000, 100_008])
