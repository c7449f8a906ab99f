"""Deterministic sample data: a fictional Social Work Center and its monthly task logs.

`generate_center(seed)` simulates a year of work of six departments (about 40 staff):
tasks with a lead department and person, coordinating departments and people,
deadlines, extensions, reassignments, cancellations, dropped tasks and vague
assignments, with departments and people that clearly differ (one overloaded,
one excellent, one slow coordinator; a few very reliable and a few unreliable
people). `write_sample()` writes what the department heads would upload: one
workbook per department per month, in the varied styles real offices use
(title rows, an org line, `STT`, headers with or without diacritics or as
aliases, text or real dates, a signature block), plus `manifest.json`.

Every random choice comes from one `random.Random(seed)`, and workbooks are
saved with fixed timestamps, so generating twice gives identical bytes.
Titles name no real person: case references are fictional codes (`TE-0412`).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from analysis.fields import CONTRIBUTION_FIELDS, CONTRIBUTION_SHEET, SERVICE_TYPES, TASK_FIELDS, TASK_SHEET
from analysis.periods import month_end, month_range, month_start, shift_month
from analysis.template import DATE_FORMAT, TEXT_FORMAT, set_text, workbook_bytes

SEED = 2026
FIRST_MONTH = "2025-11"
MONTHS = 12
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
MANIFEST = "manifest.json"
ORG_LINE = "TRUNG TÂM CÔNG TÁC XÃ HỘI THÀNH PHỐ ĐÀ NẴNG"

TV, KC, PH, LT, DA, KHAC = SERVICE_TYPES  # short names for the six service types


# --- the center -----------------------------------------------------------------------

@dataclass(frozen=True)
class Department:
    name: str
    code: str  # short code, used in file names
    monthly_tasks: int  # mean number of new tasks a month
    on_time_bias: float  # added to each member's chance of finishing on time
    late_delivery: float  # chance that its contributions as coordinator arrive late
    vague: float  # chance of an assignment without lead person or deadline
    stuck: float  # chance that a task drags on for months (or is dropped)
    services: tuple[tuple[str, float], ...]  # service mix of the tasks it leads
    partners: tuple[tuple[str, float], ...]  # codes of departments it asks to coordinate


@dataclass(frozen=True)
class Person:
    name: str
    department: str
    position: str
    reliability: float  # chance of finishing a task on time (before department bias)


@dataclass(frozen=True)
class Contribution:
    coord_dept: str | None
    coord_person: str | None
    due: date | None  # "Hạn phối hợp"; None: the task's deadline applies
    delivered: date | None
    rating: str | None


@dataclass
class SampleTask:
    task_id: str
    title: str
    service: str
    lead_dept: str
    lead_person: str | None
    coord_depts: tuple[str, ...]
    coord_people: tuple[str, ...]
    assigned: date
    due: date | None  # deadline when assigned
    done: date | None = None  # None: not finished within the simulated year
    cancelled: date | None = None
    paused: bool = False  # shown as "Tạm dừng" while open
    extended_due: date | None = None  # new deadline, first shown in `extended_in`'s log
    extended_in: str | None = None
    moved_to: tuple[str, str] | None = None  # (department, person) from `moved_in` on
    moved_in: str | None = None
    vanish_in: str | None = None  # an open task no longer listed from this month on
    note: str | None = None
    contributions: tuple[Contribution, ...] = ()

    def row(self, month: str) -> dict | None:
        """The task as its lead department's log of `month` shows it; None if not listed."""
        start, end = month_start(month), month_end(month)
        if self.assigned > end:
            return None
        if (self.done and self.done < start) or (self.cancelled and self.cancelled < start):
            return None
        if self.vanish_in and month >= self.vanish_in:
            return None
        moved = self.moved_in is not None and month >= self.moved_in
        extended = self.extended_in is not None and month >= self.extended_in
        cancelled = self.cancelled is not None and self.cancelled <= end
        done = self.done if (self.done and self.done <= end and not cancelled) else None
        if cancelled:
            status = "cancelled"
        elif done:
            status = "done"
        else:
            status = "paused" if self.paused else "open"
        # A note gives a reason, shown once there is something to explain.
        if self.moved_in:
            explain = moved
        elif self.extended_in:
            explain = extended
        elif self.cancelled:
            explain = cancelled
        else:  # reasons for a delay
            explain = self.due is None or self.due < end
        note = self.note if explain else None
        lead_dept, lead_person = self.moved_to if moved else (self.lead_dept, self.lead_person)
        return {
            "task_id": self.task_id, "title": self.title, "service": self.service,
            "lead_dept": lead_dept, "lead_person": lead_person,
            "coord_depts": tuple(d for d in self.coord_depts if d != lead_dept),
            "coord_people": tuple(p for p in self.coord_people if p != lead_person),
            "assigned_date": self.assigned,
            "due_date": self.extended_due if extended else self.due,
            "original_due_date": self.due if extended else None,
            "done_date": done, "status": status, "note": note,
        }

    def contribution_rows(self, month: str) -> list[dict]:
        """The task's contributions as known at the end of `month`."""
        end = month_end(month)
        rows = []
        for c in self.contributions:
            delivered = c.delivered if c.delivered and c.delivered <= end else None
            rows.append({"task_id": self.task_id, "coord_dept": c.coord_dept,
                         "coord_person": c.coord_person, "contrib_due_date": c.due,
                         "delivered_date": delivered,
                         "rating": c.rating if delivered else None})
        return rows


@dataclass
class Center:
    seed: int
    months: list[str]
    departments: list[Department]
    people: list[Person]
    tasks: list[SampleTask] = field(default_factory=list)

    def department(self, code_or_name: str) -> Department:
        return next(d for d in self.departments if code_or_name in (d.code, d.name))

    def log(self, month: str, department: str) -> list[dict]:
        """Rows of `department`'s log of `month`: tasks it leads active that month."""
        rows = [r for t in self.tasks if (r := t.row(month)) and r["lead_dept"] == department]
        return sorted(rows, key=lambda r: (r["assigned_date"], r["task_id"]))

    def contribution_log(self, month: str, department: str) -> list[dict]:
        rows = []
        for task in self.tasks:
            row = task.row(month)
            if row and row["lead_dept"] == department:
                rows.extend(c for c in task.contribution_rows(month)
                            if c["coord_dept"] != department)
        return rows

    def as_of(self) -> date:
        return month_end(self.months[-1])


# --- calendar helpers -------------------------------------------------------------------

# month_start and month_end come from analysis.periods (imported above).

def month_list(first_month: str, months: int) -> list[str]:
    """`months` consecutive months from `first_month`."""
    return month_range(first_month, shift_month(first_month, months - 1))


def next_month(month: str) -> str:
    return shift_month(month, 1)


# Share of a department's monthly logs submitted after the reporting deadline (day 5 of
# the next month, SPEC §7.9): the slow coordinator and the overloaded department lag.
LATE_SUBMISSION = {"CTPH": 0.35, "TNQL": 0.25}


def submitted_at(rng: random.Random, month: str, department: Department) -> str:
    """When the department head uploaded the log of `month` (ISO, UTC): a working hour
    of days 1-5 of the next month, or of days 6-12 when late."""
    late = rng.random() < LATE_SUBMISSION.get(department.code, 0.04)
    day = month_start(shift_month(month, 1)) + timedelta(
        days=rng.randint(5, 11) if late else rng.randint(0, 4))
    local = datetime(day.year, day.month, day.day, rng.randint(8, 16), rng.randint(0, 59),
                     tzinfo=timezone(timedelta(hours=7)))
    return local.astimezone(UTC).isoformat(timespec="seconds")


def sample_as_of(first_month: str = FIRST_MONTH, months: int = MONTHS) -> date:
    """The last day of the last sample month: the natural `as_of` for the sample."""
    return month_end(month_list(first_month, months)[-1])


def _workday(day: date) -> date:
    """Move a Saturday/Sunday to the next Monday."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


# --- departments and staff --------------------------------------------------------------

DEPARTMENTS: tuple[Department, ...] = (
    Department("Phòng Hành chính - Tổng hợp", "HCTH", 17, 0.02, 0.10, 0.06, 0.02,
               ((KHAC, 0.85), (DA, 0.15)),
               (("TVTV", 1), ("CTPH", 1), ("CTDA", 1), ("TNQL", 1))),
    # The excellent department: reliable, clear assignments, nothing dragging on.
    Department("Phòng Tư vấn - Tham vấn", "TVTV", 25, 0.12, 0.06, 0.02, 0.0,
               ((TV, 0.85), (KC, 0.10), (KHAC, 0.05)),
               (("CTPH", 3), ("CTXHCD", 2), ("TNQL", 1), ("CTDA", 1))),
    # The slow coordinator: fine as lead, its contributions to others arrive late.
    Department("Phòng Can thiệp - Phục hồi", "CTPH", 21, 0.0, 0.45, 0.06, 0.03,
               ((PH, 0.70), (KC, 0.20), (TV, 0.10)),
               (("TVTV", 3), ("TNQL", 1), ("CTXHCD", 1))),
    Department("Phòng Công tác xã hội cộng đồng", "CTXHCD", 18, -0.02, 0.12, 0.10, 0.03,
               ((TV, 0.30), (DA, 0.30), (LT, 0.15), (KHAC, 0.25)),
               (("TVTV", 2), ("CTDA", 2), ("TNQL", 1), ("CTPH", 2))),
    # The overloaded department: many tasks for its staff, vaguer, slower.
    Department("Phòng Tiếp nhận - Quản lý đối tượng", "TNQL", 30, -0.12, 0.15, 0.18, 0.06,
               ((LT, 0.60), (KC, 0.30), (KHAC, 0.10)),
               (("CTPH", 3), ("TVTV", 2), ("CTXHCD", 2), ("CTDA", 1))),
    Department("Phòng Chương trình - Dự án", "CTDA", 12, 0.04, 0.10, 0.05, 0.02,
               ((DA, 0.85), (KHAC, 0.15)),
               (("CTXHCD", 3), ("TVTV", 2), ("HCTH", 1))),
)
STAFF_COUNTS = {"HCTH": 6, "TVTV": 8, "CTPH": 8, "CTXHCD": 6, "TNQL": 7, "CTDA": 5}
# Clearly better / worse performers (department code, position in the staff list, reliability).
STANDOUTS = (("TVTV", 2, 0.99), ("CTDA", 1, 0.98), ("CTPH", 3, 0.97),
             ("TNQL", 3, 0.50), ("CTXHCD", 4, 0.52), ("HCTH", 4, 0.60))

_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Vũ", "Đặng",
             "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đoàn", "Lương", "Thái")
_MIDDLE = {"f": ("Thị", "Ngọc", "Thu", "Thanh", "Phương", "Kim", "Hoài", "Bảo", "Thị Thu",
                 "Mỹ", "Diệu"),
           "m": ("Văn", "Minh", "Quốc", "Hữu", "Đức", "Thanh", "Công", "Tấn", "Xuân", "Đình")}
_GIVEN = {"f": ("An", "Châu", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai",
                "Nga", "Nhung", "Oanh", "Quỳnh", "Tâm", "Thảo", "Trang", "Vy", "Yến", "Ngân",
                "Uyên", "Duyên", "Hiền", "Trinh"),
          "m": ("Bình", "Dũng", "Hiếu", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân",
                "Sơn", "Tuấn", "Trung", "Đạt", "Thắng", "Vinh", "Huy", "Tài", "Lộc")}


def _people(rng: random.Random) -> list[Person]:
    names: set[str] = set()
    people = []
    for dept in DEPARTMENTS:
        for i in range(STAFF_COUNTS[dept.code]):
            while True:
                sex = "f" if rng.random() < 0.62 else "m"
                name = " ".join((rng.choice(_SURNAMES), rng.choice(_MIDDLE[sex]),
                                 rng.choice(_GIVEN[sex])))
                if name not in names:
                    names.add(name)
                    break
            position = ("Trưởng phòng" if i == 0 else "Phó Trưởng phòng" if i == 1
                        else rng.choice(("Chuyên viên", "Nhân viên công tác xã hội",
                                         "Cán bộ công tác xã hội")))
            if dept.code == "TVTV" and i >= 2:
                position = "Tham vấn viên"
            reliability = min(0.95, max(0.6, rng.gauss(0.82, 0.06)))
            for code, index, value in STANDOUTS:
                if (code, index) == (dept.code, i):
                    reliability = value
            people.append(Person(name, dept.name, position, reliability))
    return people


# --- task titles --------------------------------------------------------------------------

_WARDS = ("Hải Châu", "Hòa Cường", "Thanh Khê", "An Khê", "An Hải", "Sơn Trà",
          "Ngũ Hành Sơn", "Hòa Khánh", "Liên Chiểu", "Cẩm Lệ", "Hòa Xuân", "Hải Vân")
_TITLES = {
    TV: ("Tư vấn tâm lý cho trẻ em (hồ sơ TE-{n})",
         "Tham vấn cho phụ nữ bị bạo lực gia đình (hồ sơ PN-{n})",
         "Tham vấn gia đình có con nghiện trò chơi điện tử (hồ sơ GĐ-{n})",
         "Gọi lại cuộc gọi tư vấn qua tổng đài (phiếu TĐ-{n})",
         "Tư vấn chính sách trợ giúp xã hội cho người cao tuổi (hồ sơ NCT-{n})",
         "Tổ chức buổi tham vấn nhóm cho học sinh tại phường {ward}",
         "Đánh giá tâm lý ban đầu cho trẻ em (hồ sơ TE-{n})"),
    KC: ("Can thiệp khẩn cấp trẻ em bị bỏ rơi (hồ sơ KC-{n})",
         "Bố trí chỗ ở tạm thời cho phụ nữ bị bạo lực (hồ sơ KC-{n})",
         "Xác minh vụ việc trẻ em bị xâm hại cùng công an phường {ward} (hồ sơ KC-{n})",
         "Hỗ trợ khẩn cấp người gặp nạn tại phường {ward} (hồ sơ KC-{n})"),
    PH: ("Xây dựng kế hoạch can thiệp cho người khuyết tật (hồ sơ NKT-{n})",
         "Trị liệu ngôn ngữ cho trẻ chậm nói (hồ sơ TE-{n})",
         "Can thiệp sớm cho trẻ tự kỷ, giai đoạn {k} (hồ sơ TE-{n})",
         "Vật lý trị liệu phục hồi chức năng (hồ sơ NKT-{n})",
         "Đánh giá lại kết quả can thiệp (hồ sơ NKT-{n})",
         "Lập hồ sơ quản lý trường hợp (hồ sơ TE-{n})"),
    LT: ("Tiếp nhận thông tin người lang thang xin ăn tại phường {ward} (phiếu LT-{n})",
         "Xác minh nhân thân đối tượng lang thang (hồ sơ LT-{n})",
         "Đưa đối tượng lang thang về địa phương (hồ sơ LT-{n})",
         "Rà soát người xin ăn khu vực phường {ward} cùng lực lượng trật tự đô thị",
         "Bàn giao đối tượng cho gia đình (hồ sơ LT-{n})"),
    DA: ("Báo cáo tiến độ dự án hỗ trợ trẻ em có hoàn cảnh đặc biệt quý {q}/{year}",
         "Tập huấn kỹ năng cho cộng tác viên công tác xã hội phường {ward}",
         "Khảo sát nhu cầu trợ giúp người cao tuổi tại phường {ward}",
         "Truyền thông phòng chống xâm hại trẻ em tại phường {ward}",
         "Hoàn thiện hồ sơ đề xuất dự án với nhà tài trợ (đợt {k})",
         "Sinh hoạt câu lạc bộ cha mẹ tại phường {ward}"),
    KHAC: ("Tổng hợp báo cáo công tác tháng {month}",
           "Chuẩn bị nội dung họp giao ban tháng {month}",
           "Lập dự toán kinh phí hoạt động quý {q}/{year}",
           "Cập nhật hồ sơ viên chức, người lao động",
           "Kiểm kê tài sản, trang thiết bị phòng tham vấn",
           "Rà soát quy chế phối hợp giữa các phòng",
           "Cập nhật dữ liệu đối tượng trên phần mềm quản lý",
           "Thanh quyết toán kinh phí hỗ trợ đối tượng tháng {month}"),
}
_DURATION = {TV: (3, 14), KC: (1, 4), PH: (10, 35), LT: (2, 10), DA: (14, 45), KHAC: (3, 20)}
_CROSS_DEPT = {TV: 0.25, KC: 0.55, PH: 0.35, LT: 0.35, DA: 0.5, KHAC: 0.15}
# Fewer new tasks around Tết, more in the action month for children (June).
_SEASON = {1: 1.05, 2: 0.8, 3: 1.0, 4: 1.0, 5: 1.05, 6: 1.1, 7: 1.0, 8: 0.95, 9: 1.0,
           10: 1.05, 11: 1.0, 12: 1.1}


def _title(rng: random.Random, service: str, assigned: date) -> str:
    return rng.choice(_TITLES[service]).format(
        n=f"{rng.randint(1, 9999):04d}", ward=rng.choice(_WARDS), k=rng.randint(1, 3),
        q=(assigned.month - 1) // 3 + 1, year=assigned.year,
        month=f"{assigned.month:02d}/{assigned.year}")


def _weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


# --- the simulation ---------------------------------------------------------------------

def generate_center(seed: int = SEED, first_month: str = FIRST_MONTH,
                    months: int = MONTHS) -> Center:
    """Simulate `months` months of the center's work, deterministically from `seed`."""
    rng = random.Random(seed)
    center = Center(seed, month_list(first_month, months), list(DEPARTMENTS), _people(rng))
    staff = {d.name: [p for p in center.people if p.department == d.name]
             for d in center.departments}
    ids = _IdMaker()
    for month in center.months:
        season = _SEASON[month_start(month).month]
        for dept in center.departments:
            count = round(dept.monthly_tasks * season * rng.uniform(0.88, 1.12))
            # Sorted, so a department's ids grow with the assignment date as in a real log.
            for assigned in sorted(_workday_in(rng, month) for _ in range(count)):
                center.tasks.append(_new_task(rng, center, dept, staff, month, assigned, ids))
    return center


class _IdMaker:
    """Task ids in each department's own style, unique across the center."""

    def __init__(self) -> None:
        self.counters: dict[tuple[str, int], int] = {}

    def next(self, dept: Department, year: int) -> str:
        key = (dept.code, 0 if dept.code in _RUNNING_IDS else year)
        self.counters[key] = self.counters.get(key, 0) + 1
        return LOG_STYLES[dept.code].id_format.format(n=self.counters[key], year=year,
                                                      yy=year % 100)


def _workday_in(rng: random.Random, month: str) -> date:
    """A random working day of `month`."""
    start, end = month_start(month), month_end(month)
    day = _workday(start + timedelta(days=rng.randint(0, (end - start).days)))
    return day if day <= end else end - timedelta(days=end.weekday() - 4)  # last Friday


def _new_task(rng: random.Random, center: Center, dept: Department,
              staff: dict[str, list[Person]], month: str, assigned: date,
              ids: _IdMaker) -> SampleTask:
    service = _weighted(rng, dept.services)
    members = staff[dept.name]
    lead = rng.choices(members, weights=[0.3 if p.position == "Trưởng phòng" else 1.0
                                         for p in members])[0]
    low, high = _DURATION[service]
    due = _workday(assigned + timedelta(days=rng.randint(low, high)))
    title = _title(rng, service, assigned)

    # Coordination: other departments (with one of their people) and colleagues.
    coord_depts: list[str] = []
    coord_people: list[str] = []
    if rng.random() < _CROSS_DEPT[service]:
        partners = [(center.department(code).name, w) for code, w in dept.partners]
        for _ in range(1 if rng.random() < 0.7 else 2):
            name = _weighted(rng, partners)
            if name not in coord_depts:
                coord_depts.append(name)
                if rng.random() < 0.8:
                    coord_people.append(rng.choice(staff[name]).name)
    if rng.random() < 0.12:
        colleague = rng.choice(members)
        if colleague is not lead:
            coord_people.append(colleague.name)

    # Vague assignments (the seed's first failure): no performer or no deadline.
    lead_person: str | None = lead.name
    if rng.random() < dept.vague:
        if rng.random() < 0.6:
            lead_person = None
        else:
            due = None

    task = SampleTask(ids.next(dept, assigned.year), title, service, dept.name, lead_person,
                      tuple(coord_depts), tuple(coord_people), assigned, due)
    _decide_fate(rng, center, dept, lead, task, staff, month)
    task.contributions = _contributions(rng, center, task)
    return task


def _decide_fate(rng: random.Random, center: Center, dept: Department, lead: Person,
                 task: SampleTask, staff: dict[str, list[Person]], month: str) -> None:
    """When (and whether) the task is finished, extended, moved, dropped or cancelled."""
    assigned, due = task.assigned, task.due
    if rng.random() < 0.025:
        task.cancelled = assigned + timedelta(days=rng.randint(1, 20))
        task.note = rng.choice(("Đối tượng đã chuyển nơi cư trú", "Gia đình từ chối hỗ trợ",
                                "Trùng với nhiệm vụ khác"))
        return
    chance = lead.reliability + dept.on_time_bias
    slow = [d.name for d in center.departments if d.late_delivery >= 0.4]
    if any(name in task.coord_depts for name in slow):
        chance -= 0.15  # waiting for a slow coordinator
    chance = min(0.99, max(0.3, chance))
    if task.lead_person is None:
        chance -= 0.1  # nobody clearly in charge
    span = (due - assigned).days if due else _DURATION[task.service][1]
    if rng.random() < dept.stuck + (0.04 if lead.reliability < 0.65 else 0):
        # Drags on for weeks; in the last months some are still not done at as_of.
        recent = month >= center.months[-4]
        task.done = None if recent and rng.random() < 0.5 else assigned + timedelta(
            days=span + rng.randint(20, 75))
        task.note = "Đang chờ hồ sơ, giấy tờ từ địa phương"
    elif rng.random() < chance:
        task.done = assigned + timedelta(days=rng.randint(0, span))
    else:
        task.done = assigned + timedelta(days=span + max(1, int(rng.expovariate(1 / 7))))
        if task.coord_depts and rng.random() < 0.5:
            task.note = "Chậm do chờ kết quả phối hợp"
    if task.done:
        task.done = min(_workday(task.done), task.done + timedelta(days=2))

    end = month_end(month)
    open_at_month_end = task.done is None or task.done > end
    if not open_at_month_end or month == center.months[-1]:
        return
    later = next_month(month)
    # One roll, disjoint ranges: extension, reassignment, dropped, paused, nothing.
    roll = rng.random()
    late = due is not None and (task.done is None or task.done > due)
    move_chance = 0.06 if dept.code == "TNQL" else 0.02  # the overloaded one hands work on
    if late and roll < 0.35:
        # Extension (gia hạn): the next month's log shows a new deadline.
        task.extended_in = later
        task.extended_due = _workday(max(due, end) + timedelta(days=rng.randint(5, 25)))
        task.note = f"Gia hạn theo đề nghị của {dept.name.replace('Phòng', 'phòng', 1)}"
    elif 0.35 <= roll < 0.35 + move_chance:
        # Reassignment (chuyển chủ trì): the task moves to another department's log.
        code = _weighted(rng, dept.partners)
        target = center.department(code)
        person = rng.choice(staff[target.name])
        task.moved_in, task.moved_to = later, (target.name, person.name)
        task.note = f"Chuyển chủ trì từ {dept.name} theo chỉ đạo của Giám đốc"
        # The new lead finishes it within its first weeks (it was moved to get it done).
        handover = month_start(later) + timedelta(days=rng.randint(2, 20))
        if task.done is None or task.done > handover:
            task.done = _workday(handover)
    elif 0.47 <= roll < 0.50 and dept.stuck > 0:
        # Dropped: still open, yet absent from the department's next log.
        task.vanish_in = later
    elif 0.50 <= roll < 0.60:
        task.paused = True


def _contributions(rng: random.Random, center: Center, task: SampleTask) -> tuple:
    """One row per coordinating department (with its person) or colleague."""
    if not task.coord_depts and not task.coord_people:
        return ()
    by_person = {p.name: p for p in center.people}
    rows = []
    named = set()
    for dept_name in task.coord_depts:
        person = next((p for p in task.coord_people if by_person[p].department == dept_name),
                      None)
        named.add(person)
        rows.append((dept_name, person))
    rows.extend((None, p) for p in task.coord_people if p not in named)
    out = []
    for dept_name, person in rows:
        owner = center.department(dept_name or by_person[person].department)
        deadline = task.extended_due or task.due
        due = None
        if deadline is not None and rng.random() < 0.8:
            due = max(task.assigned, deadline - timedelta(days=rng.randint(1, 5)))
        target = due or deadline or task.assigned + timedelta(days=10)
        roll = rng.random()
        if task.cancelled or roll < 0.04:
            delivered = None
        elif roll < 0.04 + owner.late_delivery:
            delivered = target + timedelta(days=rng.randint(1, 15))
        else:
            delivered = task.assigned + timedelta(days=rng.randint(0, (target - task.assigned).days))
        rating = None
        if delivered is not None:
            slack = (target - delivered).days
            rating = "Tốt" if slack >= 2 else "Đạt" if slack >= -2 else "Chưa đạt"
        out.append(Contribution(dept_name, person, due, delivered, rating))
    return tuple(out)


# --- how each department writes its log ------------------------------------------------

@dataclass(frozen=True)
class LogStyle:
    headers: dict[str, str]  # field -> header as the department types it (order kept)
    date_format: str | None  # strftime-like pattern for text dates; None: real date cells
    id_format: str
    statuses: dict[str, str | None]  # status -> word written (None: left empty)
    list_sep: str
    contributions: dict[str, str] | None  # "Phối hợp" sheet headers, None: no sheet
    title_rows: bool = True  # org line, title, blank row above the header
    motto: bool = False  # national motto in the top right corner
    stt: bool = True


def _template_headers(fields) -> dict[str, str]:
    return {f.name: f.header for f in fields}


_TEMPLATE_STATUS = {"done": "Hoàn thành", "open": "Đang thực hiện", "paused": "Tạm dừng",
                    "cancelled": "Đã hủy"}
_RUNNING_IDS = ("TNQL",)  # ids numbered across years: "007", "008", ...
LOG_STYLES: dict[str, LogStyle] = {
    "HCTH": LogStyle(_template_headers(TASK_FIELDS), None, "HC-{year}-{n:03d}",
                     _TEMPLATE_STATUS, "; ", None, motto=True),
    "TVTV": LogStyle(_template_headers(TASK_FIELDS), "%d/%m/%Y", "TV-{year}-{n:03d}",
                     _TEMPLATE_STATUS, "; ", _template_headers(CONTRIBUTION_FIELDS)),
    "CTPH": LogStyle(
        {"task_id": "MA NV", "title": "NOI DUNG CONG VIEC", "service": "LOAI DICH VU",
         "lead_dept": "DON VI CHU TRI", "lead_person": "NGUOI THUC HIEN",
         "coord_depts": "DON VI PHOI HOP", "coord_people": "NGUOI PHOI HOP",
         "assigned_date": "NGAY GIAO", "due_date": "HAN XU LY",
         "original_due_date": "HAN BAN DAU", "done_date": "NGAY HOAN THANH",
         "status": "TINH TRANG", "note": "GHI CHU"},
        None, "PH-{year}-{n:03d}",
        {"done": "Da hoan thanh", "open": "Dang thuc hien", "paused": "Tam dung",
         "cancelled": "Huy"}, ", ", None, motto=True),
    "CTXHCD": LogStyle(
        {"task_id": "Mã công việc", "assigned_date": "Ngày giao việc", "title": "Tên nhiệm vụ",
         "service": "Lĩnh vực", "lead_dept": "Đơn vị chủ trì", "lead_person": "Cán bộ thụ lý",
         "coord_depts": "Bộ phận phối hợp", "coord_people": "Cá nhân phối hợp",
         "due_date": "Thời hạn", "original_due_date": "Hạn ban đầu", "done_date": "Ngày xong",
         "status": "Tình trạng", "note": "Ghi chú"},
        "%-d/%-m/%Y", "CD-{yy}-{n:03d}",
        {"done": "Đã hoàn thành", "open": "Chưa thực hiện", "paused": "Tạm dừng",
         "cancelled": "Hủy"}, "\n", None),
    "TNQL": LogStyle(
        {"task_id": "Ma NV", "title": "Noi dung cong viec", "service": "Dich vu",
         "lead_dept": "Don vi chu tri", "lead_person": "Nguoi thuc hien",
         "coord_depts": "Don vi phoi hop", "coord_people": "Nguoi phoi hop",
         "assigned_date": "Ngay giao viec", "due_date": "Han xu ly",
         "original_due_date": "Han ban dau", "done_date": "Ngay hoan thanh",
         "status": "Trang thai", "note": "Ghi chu"},
        "%d-%m-%Y", "{n:03d}",
        {"done": None, "open": "Đang thực hiện", "paused": "Tạm dừng", "cancelled": "Đã huỷ"},
        "; ",
        {"task_id": "Mã NV", "coord_dept": "Đơn vị phối hợp", "coord_person": "Cá nhân phối hợp",
         "contrib_due_date": "Thời hạn phối hợp", "delivered_date": "Ngày gửi",
         "rating": "Đánh giá của chủ trì"},
        title_rows=False, stt=False),
    "CTDA": LogStyle({k: v.upper() for k, v in _template_headers(TASK_FIELDS).items()},
                     "%d.%m.%Y", "DA-{year}-{n:03d}", _TEMPLATE_STATUS, "; ",
                     _template_headers(CONTRIBUTION_FIELDS)),
}


def _format_date(value: date, pattern: str) -> str:
    # "%-d" (no zero padding) is platform-specific in strftime; build it by hand.
    return (pattern.replace("%-d", str(value.day)).replace("%-m", str(value.month))
            .replace("%d", f"{value.day:02d}").replace("%m", f"{value.month:02d}")
            .replace("%Y", str(value.year)))


# --- writing the workbooks ----------------------------------------------------------------

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)


def log_workbook(center: Center, month: str, department: Department) -> bytes:
    """One department's log of one month, in that department's style, as .xlsx bytes."""
    style = LOG_STYLES[department.code]
    wb = Workbook()
    ws = wb.active
    ws.title = TASK_SHEET if department.code != "CTPH" else f"T{month[5:]}-{month[:4]}"
    columns = (["STT"] if style.stt else []) + list(style.headers.values())
    fields = ([None] if style.stt else []) + list(style.headers)
    month_label = f"{month[5:]}/{month[:4]}"

    row = 1
    if style.title_rows:
        ws.cell(row=1, column=1, value=ORG_LINE).font = _BOLD
        ws.cell(row=2, column=1, value=department.name.upper()).font = _BOLD
        if style.motto:
            right = max(1, len(columns) - 4)
            ws.cell(row=1, column=right, value="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").font = _BOLD
            ws.cell(row=2, column=right, value="Độc lập - Tự do - Hạnh phúc").font = _BOLD
        title = ws.cell(row=4, column=1, value=f"BẢNG THEO DÕI NHIỆM VỤ THÁNG {month_label}")
        title.font = Font(bold=True, size=13)
        title.alignment = _CENTER
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(columns))
        row = 6
    header_row = row
    for column, text in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=column, value=text)
        cell.font, cell.alignment, cell.border = _BOLD, _CENTER, _BOX

    rows = center.log(month, department.name)
    for number, task in enumerate(rows, start=1):
        row += 1
        for column, name in enumerate(fields, start=1):
            cell = ws.cell(row=row, column=column)
            value = number if name is None else _cell_value(task, name, style)
            _put(cell, value, name, style)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    _signature(ws, row + 2, fields.index("title") + 1, fields.index("status") + 1, month,
               department, center)
    _widths(ws, fields)

    if style.contributions:
        _contribution_sheet(wb, center, month, department, style)
    return workbook_bytes(wb)


def _cell_value(task: dict, name: str, style: LogStyle):
    value = task[name]
    if name in ("coord_depts", "coord_people"):
        return style.list_sep.join(value) if value else None
    if name == "status":
        return style.statuses[value]
    return value


def _put(cell, value, name: str | None, style: LogStyle) -> None:
    cell.border = _BOX
    if value is None:
        return
    if isinstance(value, date):
        if style.date_format:
            cell.value = _format_date(value, style.date_format)
            cell.alignment = Alignment(horizontal="center")
        else:
            cell.value = value
            cell.number_format = DATE_FORMAT
        return
    if name == "task_id":
        cell.number_format = TEXT_FORMAT  # "007" stays text
    if isinstance(value, str):
        set_text(cell, value)
        if name in ("title", "coord_depts", "coord_people", "note"):
            cell.alignment = _WRAP
    else:
        cell.value = value


def _signature(ws, row: int, left: int, right: int, month: str, department: Department,
               center: Center) -> None:
    """The block under the table: place and date, who prepared it, the head's signature.

    Written in text columns (title, status), never in the id or a date column.
    """
    end = month_end(month)
    head = next(p.name for p in center.people
                if p.department == department.name and p.position == "Trưởng phòng")
    ws.cell(row=row, column=right,
            value=f"Đà Nẵng, ngày {end.day} tháng {end.month} năm {end.year}").font = Font(
        italic=True)
    ws.cell(row=row + 1, column=left, value="Người lập biểu").font = _BOLD
    ws.cell(row=row + 1, column=right, value="TRƯỞNG PHÒNG").font = _BOLD
    ws.cell(row=row + 5, column=right, value=head).font = _BOLD


def _widths(ws, fields) -> None:
    widths = {None: 5, "task_id": 13, "title": 48, "service": 24, "lead_dept": 28,
              "lead_person": 22, "coord_depts": 28, "coord_people": 24, "note": 28,
              "coord_dept": 28, "coord_person": 22, "rating": 10}
    for column, name in enumerate(fields, start=1):
        ws.column_dimensions[get_column_letter(column)].width = widths.get(name, 13)


def _contribution_sheet(wb: Workbook, center: Center, month: str, department: Department,
                        style: LogStyle) -> None:
    ws = wb.create_sheet(CONTRIBUTION_SHEET)
    fields = list(style.contributions)
    for column, text in enumerate(style.contributions.values(), start=1):
        cell = ws.cell(row=1, column=column, value=text)
        cell.font, cell.alignment, cell.border = _BOLD, _CENTER, _BOX
    for row, contribution in enumerate(center.contribution_log(month, department.name), start=2):
        for column, name in enumerate(fields, start=1):
            _put(ws.cell(row=row, column=column), contribution[name], name, style)
    ws.freeze_panes = "A2"
    _widths(ws, fields)


def write_sample(out_dir: Path = SAMPLE_DIR, seed: int = SEED) -> list[dict]:
    """Write one workbook per department per month and `manifest.json`; return the manifest."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    old = out_dir / MANIFEST
    if old.exists():  # files of an earlier generation must not linger
        for entry in json.loads(old.read_text(encoding="utf-8")):
            (out_dir / entry["file"]).unlink(missing_ok=True)
    center = generate_center(seed)
    manifest = []
    when = random.Random(seed + 1)  # its own stream: the workbooks stay as they were
    for month in center.months:
        for department in center.departments:
            name = f"{month}_{department.code}.xlsx"
            (out_dir / name).write_bytes(log_workbook(center, month, department))
            manifest.append({"file": name, "scope": department.name, "month": month,
                             "uploaded_at": submitted_at(when, month, department)})
    old.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest
