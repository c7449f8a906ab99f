"""Acceptance: the `metrics` command (SPEC §5) against an independent computation.

The figures are re-computed here in plain Python over the rows each workbook is
built from, straight from the SPEC text (§2.1 reading of statuses/lists/names,
§2.2 and §3.4 contributions, §3.1–§3.5 figures, §5 JSON), without the project's
code. Every figure of the command's JSON is compared (counts exactly, rates and
mean delays to 1e-9, nulls where the SPEC says null). The keys the command adds
beyond SPEC §5 (e.g. `monthly`) are not compared. List order is not in the SPEC:
departments/people are compared by name, the matrix by (lead_dept, coord_dept).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import random
import re
import subprocess
import sys
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
D = date

# ======================= independent computation (SPEC text only) =======================


def norm(text):
    """SPEC §2.1: NFC, trimmed, inner whitespace collapsed (empty -> None)."""
    text = " ".join(unicodedata.normalize("NFC", str(text)).split()) if text is not None else ""
    return text or None


def split_list(cell):
    """SPEC §2.1: list cells split on ; , and line breaks; empties dropped, no duplicates."""
    parts = (norm(p) for p in re.split(r"[;,\n\r]", cell or ""))
    return list(dict.fromkeys(p for p in parts if p))


def plain_key(text):
    text = unicodedata.normalize("NFKD", (text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


CANCEL_WORDS = {"huy", "da huy", "cancelled", "canceled"}  # SPEC §2.1 status words


def task(task_id, title, lead_dept, lead_person, coord_depts, coord_people,
         assigned, due, done, status):
    # SPEC §2.1: cancelled by its status word; otherwise the done_date decides
    # (no status + done_date -> done; open + done_date -> done wins; unknown -> by done_date).
    return {"id": str(task_id), "title": norm(title), "lead_dept": norm(lead_dept),
            "lead_person": norm(lead_person), "coord_depts": split_list(coord_depts),
            "coord_people": split_list(coord_people), "assigned": assigned, "due": due,
            "done": done, "cancelled": plain_key(status) in CANCEL_WORDS}


def outcome(t, as_of):
    """SPEC §3.1, a done_date after as_of counting as not done yet."""
    if t["cancelled"]:
        return "cancelled"
    if t["due"] is None:
        return "no_deadline"
    if t["done"] is not None and t["done"] <= as_of:
        return "on_time" if t["done"] <= t["due"] else "late"
    return "overdue" if t["due"] < as_of else "open"


def task_month(t):
    """SPEC §3.2: the month of due_date, else of assigned_date."""
    d = t["due"] or t["assigned"]
    return f"{d.year:04d}-{d.month:02d}"


def ratio(num, den):
    return num / den if den else None


def on_time_rate(tasks, as_of):
    """SPEC §3.3: on_time / (on_time + late + overdue), null when that is 0."""
    outs = [outcome(t, as_of) for t in tasks]
    return ratio(outs.count("on_time"), sum(o in ("on_time", "late", "overdue") for o in outs))


def is_cross(t):
    """SPEC §3.3: a coordinating department other than the lead's."""
    return any(d != t["lead_dept"] for d in t["all_depts"])


def figures(tasks, as_of, with_cross=True):
    """SPEC §3.3 figures of a group (cancelled tasks included in `tasks`)."""
    outs = [outcome(t, as_of) for t in tasks]
    live = [t for t in tasks if not t["cancelled"]]
    fig = {k: outs.count(k) for k in ("on_time", "late", "overdue", "open", "no_deadline",
                                      "cancelled")}
    fig["tasks"] = len(live)
    fig["on_time_rate"] = ratio(fig["on_time"], fig["on_time"] + fig["late"] + fig["overdue"])
    # SPEC §3.3: (on_time + late) / (on_time + late + overdue), null when that is 0
    fig["completion_rate"] = ratio(fig["on_time"] + fig["late"],
                                   fig["on_time"] + fig["late"] + fig["overdue"])
    delays = [((t["done"] if o == "late" else as_of) - t["due"]).days
              for t, o in zip(tasks, outs) if o in ("late", "overdue")]
    fig["avg_delay_days"] = sum(delays) / len(delays) if delays else None
    if with_cross:  # SPEC §5: people have every §3.3 figure except cross_dept_share
        fig["cross_dept_share"] = ratio(sum(map(is_cross, live)), len(live))
    fig["clarity_rate"] = ratio(
        sum(bool(t["title"] and t["lead_person"] and t["due"]) for t in live), len(live))
    return fig


def expected_report(files, as_of, from_month=None, to_month=None):
    """files: [(tasks, contributions or None when the file has no "Phối hợp" sheet)]
    in command-line order; a contribution: (task_id, dept, person, due, delivered, rating)."""
    tasks, contribs = {}, {}
    for file_tasks, file_contribs in files:
        tasks.update((t["id"], dict(t)) for t in file_tasks)  # SPEC §5: later file wins
        for tid in {c[0] for c in file_contribs or []}:  # likewise a task's contributions
            contribs[tid] = [c for c in file_contribs if c[0] == tid]
    # SPEC §3.4 "with a Phối hợp sheet": a sheet holding contribution rows. The template
    # ships an empty sheet, so an empty one (or one without a header row) gives none.
    with_sheet = any(c for _, c in files)
    for t in tasks.values():  # SPEC §3.4: coordinators = columns + the "Phối hợp" sheet
        rows = contribs.get(t["id"], [])
        t["all_depts"] = list(dict.fromkeys(t["coord_depts"] + [norm(c[1]) for c in rows if norm(c[1])]))
        t["all_people"] = list(dict.fromkeys(t["coord_people"] + [norm(c[2]) for c in rows if norm(c[2])]))
    months = sorted(map(task_month, tasks.values()))  # SPEC §5: default = every month
    lo = from_month or (months[0] if months else None)
    hi = to_month or (months[-1] if months else None)
    period = [t for t in tasks.values() if lo <= task_month(t) <= hi] if months else []
    live = [t for t in period if not t["cancelled"]]

    def coordinators(t, kind):  # SPEC §3.4: the lead is never its own coordinator
        if kind == "dept":
            return [d for d in t["all_depts"] if d != t["lead_dept"]]
        return [p for p in t["all_people"] if p != t["lead_person"]]

    def contribution_rate(name, kind):
        """SPEC §3.4 with a "Phối hợp" sheet: over the rows naming that unit."""
        counts = {"on_time": 0, "late": 0, "past_due": 0}
        for t in live:  # left out: cancelled tasks and tasks outside the period
            lead = t["lead_dept"] if kind == "dept" else t["lead_person"]
            for c in contribs.get(t["id"], []):
                who = norm(c[1] if kind == "dept" else c[2])
                deadline = c[3] or t["due"]  # Hạn phối hợp, else the task's due_date
                if who != name or who == lead or deadline is None:
                    continue  # another unit; naming the task's own lead; no deadline at all
                delivered = c[4] if c[4] and c[4] <= as_of else None  # after as_of: not yet
                if delivered:
                    counts["on_time" if delivered <= deadline else "late"] += 1
                elif deadline < as_of:
                    counts["past_due"] += 1
        return ratio(counts["on_time"], sum(counts.values()))

    def members(kind):
        key = "lead_dept" if kind == "dept" else "lead_person"
        # SPEC §5: appear if leading or coordinating a non-cancelled task of the period
        names = {t[key] for t in live if t[key]} | {n for t in live for n in coordinators(t, kind)}
        out = {}
        for name in names:
            fig = figures([t for t in period if t[key] == name], as_of, kind == "dept")
            coord = [t for t in live if name in coordinators(t, kind)]
            fig["coord_tasks"] = len(coord)
            fig["coord_on_time_rate"] = (contribution_rate(name, kind) if with_sheet
                                         else on_time_rate(coord, as_of))
            out[name] = fig
        return out

    pairs = {}  # SPEC §3.5: (lead_dept, coord_dept != lead_dept)
    for t in live:
        for d in coordinators(t, "dept"):
            pairs.setdefault((t["lead_dept"], d), []).append(t)
    overall = figures(period, as_of)
    overall["cross_dept_on_time_rate"] = on_time_rate([t for t in live if is_cross(t)], as_of)
    overall["single_dept_on_time_rate"] = on_time_rate([t for t in live if not is_cross(t)], as_of)
    return {"as_of": as_of.isoformat(), "period": {"from": lo, "to": hi}, "overall": overall,
            "departments": members("dept"), "people": members("person"),
            "matrix": {k: {"tasks": len(v), "on_time_rate": on_time_rate(v, as_of)}
                       for k, v in pairs.items()}}


# ================================ running and comparing ================================


def run_metrics(args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["metrics", *args])
    assert code == 0
    return json.loads(out.getvalue(), parse_constant=_not_json)


def _not_json(token):
    raise AssertionError(f"{token} is not JSON (a rate must be a number or null)")


def keyed(report):
    """The SPEC §5 part of the JSON, lists keyed by name / by department pair."""
    out = {k: report[k] for k in ("as_of", "period", "overall")}
    for key in ("departments", "people"):
        names = [d["name"] for d in report[key]]
        assert len(names) == len(set(names)), key
        out[key] = {d["name"]: {k: v for k, v in d.items() if k != "name"} for d in report[key]}
    out["matrix"] = {(m["lead_dept"], m["coord_dept"]): {"tasks": m["tasks"],
                                                         "on_time_rate": m["on_time_rate"]}
                     for m in report["matrix"]}
    assert len(out["matrix"]) == len(report["matrix"])
    return out


def differences(actual, expected, path=""):
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: {actual!r} != {expected!r}"]
        found = []
        for k in sorted(set(actual) | set(expected), key=str):
            if k not in actual or k not in expected:
                found.append(f"{path}/{k}: actual {actual.get(k, '<missing>')!r}, "
                             f"expected {expected.get(k, '<missing>')!r}")
            else:
                found += differences(actual[k], expected[k], f"{path}/{k}")
        return found
    if isinstance(expected, float):
        ok = (isinstance(actual, (int, float)) and not isinstance(actual, bool)
              and math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9))
    elif isinstance(expected, int):  # counts are JSON integers
        ok = type(actual) is int and actual == expected
    else:
        ok = actual == expected  # strings and nulls
    return [] if ok else [f"{path}: actual {actual!r}, expected {expected!r}"]


def assert_matches(files, as_of, from_month=None, to_month=None, extra=()):
    """files: [(path, rows, contributions)]; rows are `task` argument tuples."""
    args = ["--as-of", as_of.isoformat(), *extra]
    args += ["--from", from_month] if from_month else []
    args += ["--to", to_month] if to_month else []
    actual = keyed(run_metrics(args + [str(p) for p, _, _ in files]))
    expected = expected_report([([task(*r) for r in rows], c) for _, rows, c in files],
                               as_of, from_month, to_month)
    found = differences(actual, expected)
    assert not found, "\n".join(found)
    return actual


# ===================================== workbooks =====================================

HEADERS = ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Người chủ trì",
           "Phòng phối hợp", "Người phối hợp", "Ngày giao", "Hạn hoàn thành",
           "Ngày hoàn thành", "Trạng thái"]
NO_DIACRITICS = ["MA NHIEM VU", "NOI DUNG NHIEM VU", "PHONG CHU TRI", "NGUOI CHU TRI",
                 "PHONG PHOI HOP", "NGUOI PHOI HOP", "NGAY GIAO", "HAN HOAN THANH",
                 "NGAY HOAN THANH", "TRANG THAI"]
CONTRIBUTION_HEADERS = ["Mã nhiệm vụ", "Phòng phối hợp", "Người phối hợp", "Hạn phối hợp",
                        "Ngày gửi kết quả", "Đánh giá"]
# SPEC §2.1: day-first text dates
TEXT_DATES = ["{d.day}/{d.month}/{d.year}", "{d.day:02d}-{d.month:02d}-{d.year}",
              "{d.day:02d}.{d.month:02d}.{d.year}", "{d.day}/{d.month}/{yy:02d}"]


def cell_date(value, style, i):
    if value is None or style == "template":
        return value  # Excel date cells
    if style == "plain":  # Excel serial numbers and ISO text, alternating
        return (value - D(1899, 12, 30)).days if i % 2 else value.isoformat()
    return TEXT_DATES[i % len(TEXT_DATES)].format(d=value, yy=value.year % 100)


def write_xlsx(path, rows, style="template", contributions=None):
    """style: template | titled (title rows, STT, signature block, text dates) |
    plain (headers without diacritics, serial/ISO dates) | text (day-first text dates)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    if style == "titled":
        ws.append(["BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026"])
        ws.merge_cells("A1:H1")
        ws.append(["Trung tâm Công tác xã hội Đà Nẵng"])
        ws.append([])
    ws.append((["STT"] if style == "titled" else []) + (NO_DIACRITICS if style == "plain" else HEADERS))
    for i, r in enumerate(rows):
        dates = [cell_date(v, "text" if style == "titled" else style, i + k)
                 for k, v in enumerate(r[6:9])]
        ws.append(([i + 1] if style == "titled" else []) + list(r[:6]) + dates + [r[9]])
    if style == "titled":
        ws.append([])
        ws.append([None, "Đà Nẵng, ngày 31 tháng 10 năm 2026"])
        ws.append([None, "Người lập biểu", None, None, "TRƯỞNG PHÒNG"])
    if contributions is not None:
        sheet = wb.create_sheet("Phối hợp")
        sheet.append(CONTRIBUTION_HEADERS)
        for c in contributions:
            sheet.append(list(c))
    wb.save(path)
    return path


def write_csv(path, rows, sep=";", encoding="utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh, delimiter=sep)
        out.writerow(HEADERS)
        for i, r in enumerate(rows):
            out.writerow(list(r[:6]) + [cell_date(v, "text", i + k) or ""
                                        for k, v in enumerate(r[6:9])] + [r[9] or ""])
    return path


def write_ods(path, rows):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Nhiệm vụ")
    for values in [HEADERS] + [list(r[:6]) + [v and v.isoformat() for v in r[6:9]] + [r[9]]
                               for r in rows]:
        row = TableRow()
        for v in values:
            cell = TableCell(valuetype="string") if v is not None else TableCell()
            if v is not None:
                cell.addElement(P(text=str(v)))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def write_xls(path, rows):
    import xlwt
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Nhiệm vụ")
    day = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for j, h in enumerate(HEADERS):
        ws.write(0, j, h)
    for i, r in enumerate(rows, 1):
        for j, v in enumerate(r):
            if isinstance(v, date):
                ws.write(i, j, datetime(v.year, v.month, v.day), day)
            elif v is not None:
                ws.write(i, j, v)
    wb.save(str(path))
    return path


# ======================================= cases =======================================

P1, P2, P3, P4, P5 = ("Phòng Công tác xã hội", "Phòng Tư vấn", "Phòng Hành chính",
                      "Phòng Can thiệp", "Phòng Kế toán")
AN, BINH, CUONG, DUNG, EM, GIANG, HUNG = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường",
                                          "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Giang",
                                          "Đỗ Văn Hùng")
AS_OF = D(2026, 10, 31)
NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731

# (task_id, title, lead_dept, lead_person, coord_depts, coord_people, assigned, due, done, status)
ROWS = [
    ("T01", "Tư vấn gia đình", P1, AN, f"{P2}; {P1}", BINH, D(2026, 9, 1), D(2026, 9, 15), D(2026, 9, 14), "Hoàn thành"),  # lead listed as its own coordinator
    ("T02", "Hồ sơ trợ giúp", P1, AN, P3, f"{BINH}\n{AN}", D(2026, 9, 20), D(2026, 10, 10), D(2026, 10, 12), "Hoàn thành"),  # late; lead person as own coordinator
    ("T03", "Can thiệp khẩn", P2, BINH, P1, AN, D(2026, 9, 25), D(2026, 10, 5), None, "Đang thực hiện"),  # overdue; both roles
    ("T04", "Kế hoạch tháng 11", P2, BINH, None, None, D(2026, 10, 1), D(2026, 11, 20), None, "Đang thực hiện"),  # open, month 11
    ("T05", "Không hạn", P3, CUONG, P1, None, D(2026, 10, 2), None, None, None),  # no deadline: month of assigned
    ("T06", "Đã hủy", P4, DUNG, P2, None, D(2026, 10, 1), D(2026, 10, 20), None, "Đã hủy"),
    ("T07", "Xong sau ngày tính", P1, AN, None, None, D(2026, 10, 1), D(2026, 10, 20), D(2026, 11, 3), "Hoàn thành"),  # done after as_of: overdue
    ("T08", None, P2, None, None, None, D(2026, 10, 1), D(2026, 10, 30), D(2026, 10, 30), "Hoàn thành"),  # unclear assignment
    ("T09", "Hạn đúng ngày tính", P3, CUONG, P4, DUNG, D(2026, 10, 1), D(2026, 10, 31), None, "Đang thực hiện"),  # due == as_of: open
    ("T10", "Chỉ hủy", P5, EM, P1, None, D(2026, 9, 1), D(2026, 10, 1), None, "Hủy"),  # P5/Em lead only this: absent
    ("T11", "Tạm dừng mà xong", P1, AN, P2, None, D(2026, 10, 1), D(2026, 10, 15), D(2026, 10, 15), "Tạm dừng"),  # done_date wins
    ("T12", "Danh sách phẩy", P4, DUNG, f"{P1}, {P2},{P1}", f"{AN};{CUONG}", D(2026, 9, 1), D(2026, 9, 30), D(2026, 9, 29), None),
]
EDGE = [
    ("E1", "Tên NFD", NFD(P2), NFD(BINH), f"  {P1}  ", f"{AN} ;; {AN}", D(2026, 10, 1), D(2026, 10, 10), D(2026, 10, 10), "Done"),
    ("E2", "Khoảng trắng", "Phòng   Tư vấn ", " Trần  Thị Bình", P5, GIANG, D(2026, 10, 1), D(2026, 10, 9), None, "In progress"),
    ("E3", "Hủy có phối hợp", P3, CUONG, P4, HUNG, D(2026, 10, 1), D(2026, 10, 9), None, "Cancelled"),  # Hùng: absent
    ("E4", "Hủy do P5 chủ trì", P5, EM, P1, None, D(2026, 10, 1), D(2026, 10, 9), None, "HUY"),  # P5 coordinates E2: cancelled 1
    ("E5", "Trạng thái lạ", P1, AN, None, None, D(2026, 10, 1), D(2026, 10, 9), D(2026, 10, 11), "Chờ duyệt"),
    ("E6", "Trạng thái lạ chưa xong", P1, AN, None, None, D(2026, 10, 1), D(2026, 10, 9), None, "Chờ duyệt"),
    ("E7", "Không trạng thái, có ngày xong", P4, DUNG, P3, None, D(2026, 10, 1), D(2026, 10, 9), D(2026, 10, 8), None),
    ("E8", "Xong đúng ngày tính", P1, AN, f"Phòng  Công tác  xã hội;{P2}", None, D(2026, 10, 1), D(2026, 10, 31), D(2026, 10, 31), "Hoàn thành"),
    ("E9", "Hủy có ngày xong", P3, CUONG, P1, None, D(2026, 10, 1), D(2026, 10, 10), D(2026, 10, 9), "Đã hủy"),
    ("E10", "Xong sau ngày tính, hạn sau", P3, CUONG, None, None, D(2026, 10, 1), D(2026, 11, 10), D(2026, 11, 5), "Hoàn thành"),
    ("E11", "Chữ thường là tên khác", P1, "nguyễn văn an", P2, None, D(2026, 10, 1), D(2026, 10, 10), D(2026, 10, 10), "Hoàn thành"),
]

PERIODS = [(None, None), ("2026-10", "2026-10"), ("2026-09", "2026-11")]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("acceptance_metrics")


# --- SPEC §2.1 styles × SPEC §3.2 periods -----------------------------------------------

@pytest.mark.parametrize("style", ["template", "titled", "plain", "text"])
@pytest.mark.parametrize("period", PERIODS)
def test_styles_and_periods(folder, style, period):
    path = write_xlsx(folder / f"{style}.xlsx", ROWS + EDGE, style)
    assert_matches([(path, ROWS + EDGE, None)], AS_OF, *period)


@pytest.mark.parametrize("fmt", ["csv-semicolon-bom", "csv-comma", "ods", "xls"])
def test_other_formats(folder, fmt):
    rows = ROWS + EDGE
    path = {"csv-semicolon-bom": lambda: write_csv(folder / "a.csv", rows),
            "csv-comma": lambda: write_csv(folder / "b.txt", rows, ",", "utf-8"),
            "ods": lambda: write_ods(folder / "a.ods", rows),
            "xls": lambda: write_xls(folder / "a.xls", rows)}[fmt]()
    assert_matches([(path, rows, None)], AS_OF)


def test_dates_with_a_time_are_calendar_days(folder):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)  # SPEC §2.1: a time part is dropped (text and Excel datetimes)
    ws.append(["Q1", "Giờ", P1, AN, P2, None, "05/10/2026 14:30", "20/10/2026 02:32:24 PM",
               "21/10/2026 08:00", None])
    ws.append(["Q2", "Giờ", P2, BINH, P1, AN, datetime(2026, 10, 1, 8), datetime(2026, 10, 10, 17, 30),
               datetime(2026, 10, 10, 23, 59), "Hoàn thành"])
    wb.save(folder / "time.xlsx")
    rows = [("Q1", "Giờ", P1, AN, P2, None, D(2026, 10, 5), D(2026, 10, 20), D(2026, 10, 21), None),
            ("Q2", "Giờ", P2, BINH, P1, AN, D(2026, 10, 1), D(2026, 10, 10), D(2026, 10, 10), "Hoàn thành")]
    report = assert_matches([(folder / "time.xlsx", rows, None)], AS_OF)
    assert report["overall"]["late"] == 1 and report["overall"]["on_time"] == 1


def test_month_first_file_next_to_a_day_first_file(folder):
    # SPEC §2.1: month-first is decided per file (a US export), the other stays day-first
    us_rows = [("U1", "a", P1, AN, P2, None, D(2026, 10, 1), D(2026, 10, 13), D(2026, 10, 12), None),
               ("U2", "b", P2, BINH, P1, None, D(2026, 10, 2), D(2026, 10, 5), D(2026, 10, 9), None),
               ("U3", "c", P3, CUONG, None, None, D(2026, 9, 3), D(2026, 10, 8), None, None)]
    with open(folder / "us.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        for r in us_rows:
            out.writerow(list(r[:6]) + [v and f"{v.month:02d}/{v.day:02d}/{v.year} 02:32:24 PM"
                                        for v in r[6:9]] + [""])
    vn_rows = [("V1", "d", P1, AN, P3, None, D(2026, 10, 1), D(2026, 10, 5), D(2026, 10, 4), None),
               ("U3", "c", P3, CUONG, None, None, D(2026, 9, 3), D(2026, 10, 8), D(2026, 10, 7), None)]
    vn = write_csv(folder / "vn.csv", vn_rows, ",", "utf-8")
    assert_matches([(folder / "us.csv", us_rows, None), (vn, vn_rows, None)], AS_OF)
    assert_matches([(vn, vn_rows, None), (folder / "us.csv", us_rows, None)], AS_OF)


def test_hidden_and_instruction_sheets_do_not_count(folder):
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    guide.append(HEADERS)
    guide.append(["Z9", "ví dụ", P5, EM, None, None, D(2026, 10, 1), D(2026, 10, 2), None, None])
    old = wb.create_sheet("Cũ")
    old.append(HEADERS)
    old.append(["Z8", "cũ", P5, EM, None, None, D(2026, 10, 1), D(2026, 10, 2), None, None])
    old.sheet_state = "hidden"
    ws = wb.create_sheet("Tháng 10")
    ws.append(HEADERS)
    for r in ROWS:
        ws.append(list(r))
    wb.save(folder / "sheets.xlsx")
    assert_matches([(folder / "sheets.xlsx", ROWS, None)], AS_OF)


# --- SPEC §5: monthly pairs, a later file's row replaces an earlier one -----------------

SEPT = [
    ("M1", "Đón trẻ lang thang", P1, AN, P2, BINH, D(2026, 9, 2), D(2026, 9, 20), None, "Đang thực hiện"),
    ("M2", "Tham vấn", P1, AN, None, None, D(2026, 9, 3), D(2026, 9, 25), None, "Đang thực hiện"),
    ("M3", "Chuyển chủ trì", P1, AN, P3, CUONG, D(2026, 9, 5), D(2026, 9, 28), None, "Đang thực hiện"),
    ("M4", "Chỉ trong tháng 9", P2, BINH, P1, AN, D(2026, 9, 6), D(2026, 9, 26), D(2026, 9, 27), "Hoàn thành"),
    ("M6", "Hủy tháng 10", P3, CUONG, P1, None, D(2026, 9, 7), D(2026, 9, 29), None, "Đang thực hiện"),
    (101, "Mã số", P2, BINH, None, None, D(2026, 9, 1), D(2026, 9, 10), None, None),
]
OCT = [
    ("M1", "Đón trẻ lang thang", P1, AN, P2, BINH, D(2026, 9, 2), D(2026, 9, 20), D(2026, 10, 2), "Hoàn thành"),  # done later
    ("M2", "Tham vấn", P1, AN, None, None, D(2026, 9, 3), D(2026, 10, 15), D(2026, 10, 14), "Hoàn thành"),  # deadline moved
    ("M3", "Chuyển chủ trì", P2, BINH, P3, CUONG, D(2026, 9, 5), D(2026, 9, 28), None, "Đang thực hiện"),  # lead changed
    ("M5", "Mới tháng 10", P3, CUONG, f"{P1};{P2}", f"{AN}; {BINH}", D(2026, 10, 1), D(2026, 10, 20), D(2026, 10, 20), "Hoàn thành"),
    ("M6", "Hủy tháng 10", P3, CUONG, P1, None, D(2026, 9, 7), D(2026, 9, 29), None, "Đã hủy"),
    (101, "Mã số", P2, BINH, None, None, D(2026, 9, 1), D(2026, 9, 10), D(2026, 9, 12), "Hoàn thành"),
]


@pytest.mark.parametrize("later_last", [True, False])
@pytest.mark.parametrize("period", PERIODS[:2] + [("2026-09", "2026-09")])
def test_monthly_pair(folder, later_last, period):
    sept = (write_xlsx(folder / "sept.xlsx", SEPT, "template"), SEPT, None)
    octo = (write_xlsx(folder / "oct.xlsx", OCT, "titled"), OCT, None)
    assert_matches([sept, octo] if later_last else [octo, sept], AS_OF, *period)


def test_monthly_pair_as_of_end_of_september(folder):
    sept = (write_xlsx(folder / "sept.xlsx", SEPT, "template"), SEPT, None)
    octo = (write_xlsx(folder / "oct.xlsx", OCT, "text"), OCT, None)
    assert_matches([sept, octo], D(2026, 9, 30))


# --- SPEC §2.2 / §3.4: the "Phối hợp" sheet ---------------------------------------------

CROWS = [
    ("C1", "Tiếp nhận", P1, AN, f"{P2};{P3}", CUONG, D(2026, 10, 1), D(2026, 10, 10), D(2026, 10, 9), "Hoàn thành"),
    ("C2", "Tư vấn", P2, BINH, P1, AN, D(2026, 10, 1), D(2026, 10, 20), None, "Đang thực hiện"),
    ("C3", "Không hạn", P3, CUONG, P1, None, D(2026, 10, 1), None, None, "Đang thực hiện"),
    ("C4", "Chủ trì tự ghi", P1, AN, P1, None, D(2026, 10, 1), D(2026, 10, 25), D(2026, 10, 24), "Hoàn thành"),
    ("C5", "Đã hủy", P4, DUNG, P2, None, D(2026, 10, 1), D(2026, 10, 25), None, "Đã hủy"),
    ("C6", "Chưa đến hạn", P2, BINH, P3, None, D(2026, 10, 1), D(2026, 11, 30), None, "Đang thực hiện"),
    ("C7", "Tháng 9", P4, DUNG, P3, None, D(2026, 9, 1), D(2026, 9, 20), D(2026, 9, 20), "Hoàn thành"),
    ("C8", "Chỉ cột, không dòng", P4, DUNG, P2, BINH, D(2026, 10, 1), D(2026, 10, 12), D(2026, 10, 11), "Hoàn thành"),
    ("C9", "Dòng trùng", P2, BINH, P3, None, D(2026, 10, 1), D(2026, 10, 10), None, None),
]
CONTRIBS = [
    ("C1", P2, BINH, D(2026, 10, 5), D(2026, 10, 4), "Tốt"),   # own deadline, on time
    ("C1", P3, None, None, D(2026, 10, 12), "Đạt"),            # the task's deadline, late
    ("C1", None, CUONG, None, D(2026, 10, 10), "Tốt"),         # a person only, on time
    ("C2", P1, AN, D(2026, 10, 15), D(2026, 11, 2), None),     # delivered after as_of: past due
    ("C3", P1, None, None, D(2026, 10, 3), None),              # no deadline at all: left out
    ("C3", P4, DUNG, D(2026, 10, 12), D(2026, 10, 11), "Tốt"), # named on the sheet only
    ("C4", P1, None, None, D(2026, 10, 30), None),             # names the lead: left out
    ("C5", P2, None, None, D(2026, 10, 30), None),             # cancelled task: left out
    ("C6", P3, None, None, None, None),                        # not due yet: not counted
    ("C7", P3, None, D(2026, 9, 10), D(2026, 9, 15), "Chưa đạt"),  # late; outside an Oct period
    ("C9", "  " + NFD(P3), "Lê  Văn Cường", None, D(2026, 10, 9), None),  # same names, other spelling
    ("C9", P3, None, D(2026, 10, 31), D(2026, 10, 31), None),  # a second row of one unit; on as_of
    ("C1", P1, GIANG, None, D(2026, 10, 9), None),              # lead dept + another person
    ("C2", P3, BINH, None, D(2026, 10, 21), None),              # another dept + the lead person
]


@pytest.mark.parametrize("period", PERIODS[:2] + [("2026-10", "2026-11")])
def test_contribution_sheet(folder, period):
    path = write_xlsx(folder / "contrib.xlsx", CROWS, "template", CONTRIBS)
    report = assert_matches([(path, CROWS, CONTRIBS)], AS_OF, *period)
    # spot check of the rule itself: P3's rows: C1 late, C9 on time twice, C2 late,
    # C6 not due yet, C7 late but in September
    assert report["departments"][P3]["coord_on_time_rate"] == (
        pytest.approx(2 / 5) if period[0] is None else pytest.approx(2 / 4))


def test_empty_contribution_sheet_means_no_contributions(folder):
    path = write_xlsx(folder / "empty_sheet.xlsx", ROWS, "template", [])
    report = assert_matches([(path, ROWS, [])], AS_OF)
    assert report["departments"][P2]["coord_on_time_rate"] == 1.0  # T01, T11, T12 outcomes
    wb = openpyxl.load_workbook(path)
    wb["Phối hợp"].delete_rows(1)
    wb["Phối hợp"].append(["ghi chú tự do"])  # no header row: a warning, no contributions
    wb.save(folder / "no_header_sheet.xlsx")
    assert_matches([(folder / "no_header_sheet.xlsx", ROWS, [])], AS_OF)


S_ROWS = [("X1", "a", P1, AN, P2, None, D(2026, 9, 1), D(2026, 9, 20), None, None),
          ("X2", "b", P2, BINH, P3, None, D(2026, 9, 1), D(2026, 9, 20), None, None)]
O_ROWS = [("X1", "a", P1, AN, P2, None, D(2026, 9, 1), D(2026, 9, 20), D(2026, 10, 2), "Hoàn thành"),
          ("X2", "b", P3, CUONG, P4, None, D(2026, 9, 1), D(2026, 10, 20), D(2026, 10, 5), "Hoàn thành")]
S_CONTRIBS = [("X1", P2, None, None, D(2026, 9, 18), None), ("X2", P3, None, None, D(2026, 9, 25), None)]
O_CONTRIBS = [("X1", P2, None, D(2026, 9, 10), D(2026, 9, 18), None)]


@pytest.mark.parametrize("sheets", [(S_CONTRIBS, O_CONTRIBS), (S_CONTRIBS, None), (None, O_CONTRIBS)])
def test_contribution_sheets_over_a_monthly_pair(folder, sheets):
    sept = (write_xlsx(folder / "cs.xlsx", S_ROWS, "template", sheets[0]), S_ROWS, sheets[0])
    octo = (write_xlsx(folder / "co.xlsx", O_ROWS, "template", sheets[1]), O_ROWS, sheets[1])
    assert_matches([sept, octo], AS_OF)


# --- random workbooks (fixed seeds) ---------------------------------------------------

def random_rows(rng, n, depts, people):
    statuses = [None, "Hoàn thành", "Đang thực hiện", "Tạm dừng", "Đã hủy", "Closed", "Open", "Chờ duyệt"]
    rows = []
    for i in range(n):
        assigned = D(2026, 8, 1) + timedelta(days=rng.randrange(120))
        due = assigned + timedelta(days=rng.randrange(40)) if rng.random() < 0.85 else None
        done = assigned + timedelta(days=rng.randrange(60)) if rng.random() < 0.6 else None
        status = rng.choice(statuses)
        if status in ("Hoàn thành", "Closed") and done is None:
            status = None
        rows.append((f"R{i:03d}", rng.choice(["Việc", None]), rng.choice(depts),
                     rng.choice(people + [None]), "; ".join(rng.sample(depts, rng.randrange(3))),
                     ", ".join(rng.sample(people, rng.randrange(3))), assigned, due, done, status))
    return rows


@pytest.mark.parametrize("seed", range(6))
def test_random_workbooks(folder, seed):
    rng = random.Random(seed)
    depts, people = [P1, P2, P3, P4, P5], [AN, BINH, CUONG, DUNG, EM, GIANG, HUNG]
    rows = random_rows(rng, 120, depts, people)
    contribs = None
    if seed % 2:
        contribs = []
        for _ in range(60):
            r = rng.choice(rows)
            dept = rng.choice(depts + [None])
            contribs.append((r[0], dept, rng.choice(people + [None]) if dept else rng.choice(people),
                             r[6] + timedelta(days=rng.randrange(40)) if rng.random() < .5 else None,
                             r[6] + timedelta(days=rng.randrange(60)) if rng.random() < .7 else None,
                             None))
    files = [(write_xlsx(folder / f"r{seed}.xlsx", rows, ["template", "text", "plain"][seed % 3],
                         contribs), rows, contribs)]
    if seed % 3 == 0:  # a later month changing every other task
        later = random_rows(random.Random(seed + 100), 120, depts, people)
        later = [(rows[i][0],) + later[i][1:] for i in range(0, 120, 2)]
        files.append((write_xlsx(folder / f"r{seed}b.xlsx", later), later, None))
    as_of = D(2026, 8, 1) + timedelta(days=rng.randrange(30, 150))
    assert_matches(files, as_of)
    assert_matches(files, as_of, "2026-09", "2026-10")


# --- real public logs ------------------------------------------------------------------

def read_log(path, columns, fmt):
    """columns: task_id, title, lead_dept, lead_person, assigned, due, done, status."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    day = lambda text: datetime.strptime(text.strip(), fmt).date() if text.strip() else None  # noqa: E731
    return [(r[columns[0]], r[columns[1]], r[columns[2]], columns[3] and r[columns[3]], None, None,
             day(r[columns[4]]), day(r[columns[5]]), day(r[columns[6]]), r[columns[7]]) for r in rows]


def test_nyc311_log(external_dir):
    rows = read_log(external_dir / "nyc311_sample_999.csv", ("Unique Key", "Complaint Type", "Agency", None,
                                              "Created Date", "Due Date", "Closed Date", "Status"),
                    "%m/%d/%Y %I:%M:%S %p")
    mapping = ["--map", "Unique Key=task_id", "--map", "Complaint Type=title",
               "--map", "Agency=lead_dept", "--map", "Created Date=assigned_date",
               "--map", "Due Date=due_date", "--map", "Closed Date=done_date"]
    report = assert_matches([(external_dir / "nyc311_sample_999.csv", rows, None)], D(2011, 4, 1),
                            extra=mapping)
    assert report["overall"]["tasks"] == 999 and len(report["departments"]) == 10


@pytest.mark.parametrize("as_of", [D(2022, 1, 25), D(2022, 2, 15)])
def test_boston311_log(external_dir, as_of):
    rows = read_log(external_dir / "boston311_100.csv", ("case_enquiry_id", "case_title", "department", "queue",
                                          "open_dt", "target_dt", "closed_dt", "case_status"),
                    "%Y-%m-%d %H:%M:%S")
    mapping = []
    for header, field in (("case_enquiry_id", "task_id"), ("case_title", "title"),
                          ("department", "lead_dept"), ("queue", "lead_person"),
                          ("open_dt", "assigned_date"), ("target_dt", "due_date"),
                          ("closed_dt", "done_date"), ("case_status", "status")):
        mapping += ["--map", f"{header}={field}"]
    report = assert_matches([(external_dir / "boston311_100.csv", rows, None)], as_of, extra=mapping)
    assert report["overall"]["tasks"] == 100


# --- edge cases of the command (SPEC §5) ----------------------------------------------

def test_empty_period(folder):
    path = write_xlsx(folder / "template.xlsx", ROWS, "template")
    report = run_metrics(["--as-of", "2026-10-31", "--from", "2030-01", "--to", "2030-02", str(path)])
    assert report["period"] == {"from": "2030-01", "to": "2030-02"}
    assert report["overall"]["tasks"] == 0 and report["overall"]["cancelled"] == 0
    assert all(report["overall"][k] is None for k in (
        "on_time_rate", "avg_delay_days", "cross_dept_share", "clarity_rate",
        "cross_dept_on_time_rate", "single_dept_on_time_rate"))
    assert report["departments"] == [] and report["people"] == [] and report["matrix"] == []
    assert_matches([(path, ROWS, None)], AS_OF, "2030-01", "2030-02")


@pytest.mark.parametrize("period", [("2026-10", None), (None, "2026-09")])
def test_one_end_of_the_period(folder, period):
    # the open end is the first/last month in the data (SPEC §5: without --from/--to,
    # every month in the data)
    path = write_xlsx(folder / "template.xlsx", ROWS, "template")
    assert_matches([(path, ROWS, None)], AS_OF, *period)


def test_cancelled_task_months_are_in_the_data(folder):
    rows = ROWS + [("X9", "Hủy tháng 12", P1, AN, None, None, D(2026, 12, 1), D(2026, 12, 20), None, "Đã hủy")]
    path = write_xlsx(folder / "dec.xlsx", rows)
    report = assert_matches([(path, rows, None)], AS_OF)
    assert report["period"] == {"from": "2026-09", "to": "2026-12"}


def test_single_task(folder):
    rows = [ROWS[1]]
    report = assert_matches([(write_xlsx(folder / "one.xlsx", rows), rows, None)], AS_OF)
    assert report["overall"]["late"] == 1 and report["overall"]["avg_delay_days"] == 2


def _command(*args):
    return subprocess.run([sys.executable, "-m", "analysis", "metrics", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_as_of_defaults_to_today(folder):
    path = write_xlsx(folder / "template.xlsx", ROWS, "template")
    before = date.today()
    proc = _command(path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout, parse_constant=_not_json)
    today = date.fromisoformat(report["as_of"])
    assert today in (before, date.today())
    expected = expected_report([([task(*r) for r in ROWS], None)], today)
    assert not differences(keyed(report), expected)


def test_file_with_errors_exits_1_with_reports_on_stderr(folder):
    bad = [ROWS[0],
           (None, "Không mã", P1, AN, None, None, D(2026, 10, 1), D(2026, 10, 5), None, None),
           ("T01", "Trùng mã", P1, AN, None, None, D(2026, 10, 1), D(2026, 10, 5), None, None),
           ("B3", "Hạn trước ngày giao", P2, BINH, None, None, D(2026, 10, 10), D(2026, 10, 5), None, None)]
    bad_path = write_xlsx(folder / "bad.xlsx", bad)
    good_path = write_xlsx(folder / "good.xlsx", ROWS)
    proc = _command("--as-of", "2026-10-31", good_path, bad_path)
    assert proc.returncode == 1
    assert proc.stdout.strip() == ""
    reports = json.loads(proc.stderr)
    reports = reports if isinstance(reports, list) else [reports]
    assert [r["file"] for r in reports] == ["bad.xlsx"]
    errors = [(e["row"], e["field"]) for e in reports[0]["errors"] if e["severity"] == "error"]
    assert errors == [(3, "task_id"), (4, "task_id"), (5, "due_date")]
