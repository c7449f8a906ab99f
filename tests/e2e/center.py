"""The center the browser flows run against, built in code so every figure is visible.

Catalogue: three departments. September: Phòng Tư vấn and Phòng Can thiệp reported.
October: Phòng Tư vấn's first version (three open tasks) is stored; its head then uploads
the month's full log in the browser (flow a), and the other two departments have not
reported (the director sees them named, flow b). Accounts: the director (made with the
test helper) and the head of Phòng Tư vấn (made with `python -m analysis user add`, as an
operator does, so the real Argon2 parameters are verified on sign-in).

The October log the head uploads (`OCTOBER_FIXED`), seen on 31/10/2026:
TV-101 done on time, TV-102 done late, TV-103 overdue, TV-104 done on time, TV-105 due in
November: 4 due, 2 on time (50,0 %), 3 done (75,0 %), 1 overdue, 1 not due yet.
Against the first version: 3 added (102, 103, 105), 2 changed (101, 104), 1 removed (099).
`OCTOBER_MESSY` is the same log as typed in a hurry: a title row above the header, a
signature block below, the header "Thời hạn" (an alias) for "Hạn hoàn thành", and two
errors: an impossible date in row 5 and no lead department in row 6.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from page_helpers import seed_store, task_row
from page_helpers import workbook as dated_workbook
from workbooks import task, task_table, xlsx

ROOT = Path(__file__).resolve().parents[2]
TV, CT, HC = "Phòng Tư vấn", "Phòng Can thiệp", "Phòng Hành chính - Tổng hợp"
HEAD = "Trưởng phòng Tư vấn"
HEAD_PASSWORD = "mat-khau-truong-phong-dai"
MONTH, MONTH_LABEL = "2026-10", "10/2026"
AS_OF = "2026-10-31"
OVERVIEW_QUERY = f"?ky=thang&thang={MONTH}&ngay={AS_OF}"

# the figures of OCTOBER_FIXED on 31/10/2026 (see the docstring)
DUE, ON_TIME_RATE, COMPLETION_RATE, OVERDUE, TASKS = 4, "50,0 %", "75,0 %", 1, 5
ADDED, CHANGED, REMOVED = 3, 2, 1
MESSY_ERRORS = {(5, "Ngày giao"): "32/10/2026", (6, "Phòng chủ trì"): ""}  # (row, column)

TITLES = {
    "TV-099": "Rà soát danh sách trẻ em có hoàn cảnh đặc biệt phường Hải Châu",
    "TV-101": "Tư vấn tâm lý cho em Trần Thị Bình sau sang chấn",
    "TV-102": "Lập hồ sơ hỗ trợ cụ Lê Văn Cường neo đơn",
    "TV-103": "Kết nối trợ cấp xã hội cho gia đình chị Phạm Thị Dung",
    "TV-104": "Tham vấn nhóm cho phụ huynh có con tự kỷ",
    "TV-105": "Thăm lại gia đình anh Hoàng Văn Em sau can thiệp",
}


def october(fixed: bool) -> list[dict]:
    """The October log of Phòng Tư vấn (cells as a head types them: dd/mm/yyyy text)."""
    def row(task_id, **cells):
        return task(**{"task_id": task_id, "title": TITLES[task_id], "lead_dept": TV,
                       "coord_depts": "", "coord_people": "", **cells})

    return [
        row("TV-101", coord_depts=CT, assigned_date="01/10/2026", due_date="10/10/2026",
            done_date="08/10/2026", status="Hoàn thành"),
        row("TV-102", assigned_date="02/10/2026" if fixed else "32/10/2026",
            due_date="15/10/2026", done_date="20/10/2026", status="Hoàn thành"),
        row("TV-103", lead_dept=TV if fixed else "", assigned_date="05/10/2026",
            due_date="25/10/2026", done_date="", status="Đang thực hiện"),
        row("TV-104", assigned_date="06/10/2026", due_date="20/10/2026", done_date="19/10/2026",
            status="Hoàn thành"),
        row("TV-105", assigned_date="20/10/2026", due_date="10/11/2026", done_date="",
            status="Đang thực hiện"),
    ]


def october_workbook(fixed: bool) -> bytes:
    above = [["BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026 - PHÒNG TƯ VẤN"], []]
    table = task_table(*october(fixed), headers={"due_date": "Thời hạn"}, above=above)
    signature = [[], ["", "", "Người lập biểu", "", "TRƯỞNG PHÒNG"]]
    return xlsx({"Nhiệm vụ": table + signature})


OCTOBER_MESSY = october_workbook(fixed=False)
OCTOBER_FIXED = october_workbook(fixed=True)


@dataclass
class Center:
    server: object  # conftest.AppServer
    database_url: str

    @property
    def url(self) -> str:
        return self.server.url

    def log_tail(self, lines: int = 60) -> str:
        return self.server.log_tail(lines)


def seed_center(database_url: str) -> None:
    """The database of the module docstring (before the head's October upload)."""
    from analysis.store import open_store

    store = open_store(database_url)  # no account yet: the store takes a plain name
    store.set_departments([TV, CT, HC])
    september = dated_workbook([task_row(1, "CT-001", title="Can thiệp khẩn cấp trẻ bị bạo hành",
                                         dept=CT, person="Đỗ Thị Hoa", assigned="03/09/2026",
                                         due="15/09/2026", done="14/09/2026", status="Hoàn thành")])
    first_version = dated_workbook([
        task_row(1, "TV-099", title=TITLES["TV-099"], dept=TV),
        task_row(2, "TV-101", title=TITLES["TV-101"], dept=TV, due="10/10/2026"),
        task_row(3, "TV-104", title=TITLES["TV-104"], dept=TV, due="20/10/2026")])
    for scope, month, name, data in ((CT, "2026-09", "thang9_ct.xlsx", september),
                                     (TV, MONTH, "thang10_dot1.xlsx", first_version)):
        outcome = store.import_upload(scope, month, name, data, "Kiểm thử")
        assert outcome.status == "stored", outcome.problems
    store.close()
    seed_store(database_url).close()  # September of Phòng Tư vấn, the director's account


def add_head_account(database_url: str) -> subprocess.Popen:
    """`python -m analysis user add` for the head, password piped in as an operator's
    script does; started, not awaited (it runs while the server starts)."""
    command = subprocess.Popen(
        [sys.executable, "-m", "analysis", "user", "add", HEAD, "--role", "dept_head",
         "--department", TV, "--db", database_url],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    command.stdin.write((HEAD_PASSWORD + "\n").encode())
    command.stdin.close()
    return command


def task_titles(database_url: str) -> list[str]:
    """Every task title the database holds (all versions of every upload)."""
    from sqlalchemy import text

    from analysis.store import open_store

    store = open_store(database_url)
    try:
        with store.engine.connect() as conn:
            titles = conn.execute(text("SELECT DISTINCT title FROM tasks")).scalars().all()
    finally:
        store.close()
    return [t for t in titles if t]

