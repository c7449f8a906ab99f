"""The brief's building blocks: the decree's date line, period phrases, the four-way line,
the template, the charts' glyphs, and the figures (fair periods, scope) against the engine."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

import metrics_oracle as oracle
from analysis.brief import charts, text
from analysis.brief import layout as L
from analysis.brief.figures import BriefInputs, PeriodError, brief_figures
from analysis.brief.template import TEMPLATE_PATH, build_template
from analysis.metrics import compute_report


@pytest.mark.parametrize("day, expected", [
    (date(2027, 1, 5), "Đà Nẵng, ngày 05 tháng 01 năm 2027"),
    (date(2027, 3, 15), "Đà Nẵng, ngày 15 tháng 3 năm 2027"),
    (date(2026, 2, 1), "Đà Nẵng, ngày 01 tháng 02 năm 2026"),
    (date(2026, 12, 9), "Đà Nẵng, ngày 09 tháng 12 năm 2026"),
    (date(2026, 10, 31), "Đà Nẵng, ngày 31 tháng 10 năm 2026"),
])
def test_date_line_leading_zero_rule(day, expected):
    """Nghị định 30/2020, Phụ lục I: days below 10 and months 1-2 with a leading zero."""
    assert text.date_line("Đà Nẵng", day) == expected


@pytest.mark.parametrize("first, last, expected", [
    ("2026-10", "2026-10", "tháng 10 năm 2026"),
    ("2026-07", "2026-09", "quý III năm 2026"),
    ("2026-01", "2026-06", "6 tháng đầu năm 2026"),
    ("2026-07", "2026-12", "6 tháng cuối năm 2026"),
    ("2026-01", "2026-12", "năm 2026"),
    ("2026-09", "2026-10", "từ tháng 9 đến tháng 10 năm 2026"),
    ("2025-11", "2026-10", "từ tháng 11 năm 2025 đến tháng 10 năm 2026"),
])
def test_period_phrase(first, last, expected):
    assert text.period_phrase(first, last) == expected


def test_four_way_line_words():
    line = {"due": 34, "done": 31, "completion_rate": 31 / 34, "on_time": 29, "late": 2,
            "not_done": 5, "in_term": 2, "overdue": 3}
    assert text.four_way_line(line) == ("31/34 nhiệm vụ đến hạn đã hoàn thành, đạt 91,2 % "
                                        "(đúng hạn 29, trễ hạn 2); chưa hoàn thành 5 "
                                        "(trong hạn 2, quá hạn 3)")
    assert text.rate_with_counts(29 / 34, 29, 34) == "85,3 % — 29/34"
    assert text.signed_points(0.9, 0.85) == "+5,0" and text.signed_points(None, 0.8) == "—"


def test_template_is_reproducible_a4_and_times_new_roman_only():
    built = build_template()
    assert built == build_template()
    assert TEMPLATE_PATH.read_bytes() == built, "run python -m analysis.brief.template"
    with zipfile.ZipFile(io.BytesIO(built)) as package:
        names = package.namelist()
        assert not [n for n in names if "theme" in n]
        styles = package.read("word/styles.xml").decode()
        document = package.read("word/document.xml").decode()
    assert "Cambria" not in styles and "Calibri" not in styles
    assert styles.count('w:eastAsia="Times New Roman"') == styles.count("<w:rFonts")
    assert f'w:w="{L.twips_from_mm(210)}" w:h="{L.twips_from_mm(297)}"' in document
    assert "<w:titlePg/>" in document


def test_chart_font_draws_every_vietnamese_letter():
    letters = ("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữự"
               "yỳýỷỹỵđ")
    assert charts.missing_glyphs(letters + letters.upper()) == set()
    assert charts.missing_glyphs("漢") == {"漢"}  # the check can fail


def _task(task_id, dept, due, done=None, person="An", coord=(), status=None,
          assigned=None):
    return {"task_id": task_id, "title": "Hỗ trợ", "service": "Khác", "lead_dept": dept,
            "lead_person": person, "coord_depts": tuple(coord), "coord_people": (),
            "assigned_date": assigned or date(due.year, due.month, 1), "due_date": due,
            "done_date": done, "status": status or ("done" if done else "open")}


def _inputs(rows, first, last, as_of, **kw) -> BriefInputs:
    tasks = oracle.tasks_frame(rows)
    return BriefInputs(tasks=tasks, contributions=None, as_of=as_of, from_month=first,
                       to_month=last, issued=date(2026, 11, 2), **kw)


ROWS = [
    # July
    _task("J1", "A", date(2026, 7, 10), date(2026, 7, 9)),
    _task("J2", "A", date(2026, 7, 20), date(2026, 7, 25)),
    _task("J3", "B", date(2026, 7, 12), coord=("A",)),  # never done: overdue
    # October (the current month)
    _task("O1", "A", date(2026, 10, 5), date(2026, 10, 5), coord=("B",)),
    _task("O2", "A", date(2026, 10, 8)),  # overdue on 15/10
    _task("O3", "B", date(2026, 10, 15)),  # due on as_of: open, in term
    _task("O4", "B", date(2026, 10, 25), date(2026, 10, 12)),  # upcoming, done early
    _task("O5", "B", date(2026, 10, 28)),  # upcoming, not done
    _task("O6", "A", date(2026, 10, 20), status="cancelled"),
]


def test_complete_period_equals_the_engine():
    f = brief_figures(_inputs(ROWS, "2026-07", "2026-10", date(2026, 10, 31)))
    report = compute_report(oracle.tasks_frame(ROWS), date(2026, 10, 31), "2026-07", "2026-10")
    assert f.cut is None and f.upcoming.empty
    for key in ("tasks", "on_time", "late", "overdue", "open", "on_time_rate",
                "completion_rate"):
        assert f.overall[key] == pytest.approx(report["overall"][key]), key
    got = f.departments.set_index("name")
    for member in report["departments"]:
        for key in ("tasks", "on_time", "completion_rate", "coord_tasks", "coord_on_time_rate"):
            assert got.loc[member["name"], key] == pytest.approx(member[key], nan_ok=True)


def test_partial_period_is_cut_at_as_of_and_upcoming_is_apart():
    f = brief_figures(_inputs(ROWS, "2026-10", "2026-10", date(2026, 10, 15)))
    assert f.cut == date(2026, 10, 15)
    assert sorted(f.selected["task_id"]) == ["O1", "O2", "O3"]  # O6 cancelled: kept apart
    assert sorted(f.upcoming["task_id"]) == ["O4", "O5", "O6"]
    line = f.overall
    assert (line["due"], line["done"], line["on_time"], line["overdue"]) == (2, 1, 1, 1)
    assert line["upcoming"] == 2  # O4, O5 (O6 is cancelled)
    assert line["in_term"] == 2  # O3 due today + O5 not done yet
    assert line["not_done"] == 3
    assert line["completion_rate"] == pytest.approx(0.5)
    # the previous month is seen on 15/09, cut there; it holds no task: not compared
    assert not f.comparison.compared and f.reason


def test_previous_period_seen_from_the_same_point():
    rows = ROWS + [_task("S1", "A", date(2026, 9, 10), date(2026, 9, 20)),  # late
                   _task("S2", "A", date(2026, 9, 25))]  # after the cut 15/09
    f = brief_figures(_inputs(rows, "2026-10", "2026-10", date(2026, 10, 15)))
    assert f.comparison.compared
    assert f.comparison.previous.as_of == date(2026, 9, 15)
    assert f.previous_overall["tasks"] == 1  # S2 is after 15/09
    # S1 was done on 20/09: seen on 15/09 it was overdue, not late
    assert f.previous_overall["overdue"] == 1 and f.previous_overall["late"] == 0
    assert "15/09/2026" in f.previous_label


def test_less_data_previous_period_is_not_compared():
    # August-October against May-July: the data begins in July, inside the previous period
    f = brief_figures(_inputs(ROWS, "2026-08", "2026-10", date(2026, 10, 31)))
    assert not f.comparison.compared and "chưa có đủ số liệu" in f.reason
    f = brief_figures(_inputs(ROWS, "2026-07", "2026-09", date(2026, 10, 31)))
    assert not f.comparison.compared and "chưa có số liệu" in f.reason


def test_period_not_started_or_reversed_is_refused():
    with pytest.raises(PeriodError):
        brief_figures(_inputs(ROWS, "2026-11", "2026-11", date(2026, 10, 31)))
    with pytest.raises(PeriodError):
        brief_figures(_inputs(ROWS, "2026-10", "2026-09", date(2026, 10, 31)))


def test_a_heads_part_holds_only_their_department():
    f = brief_figures(_inputs(ROWS, "2026-07", "2026-10", date(2026, 10, 31), scope="b"))
    assert f.departments["name"].tolist() == ["B"]
    assert set(f.selected["lead_dept"]) == {"B"}
    assert set(f.overdue_tasks["lead_dept"]) == {"B"}
    assert set(f.people["department"]) <= {"B"}


def test_overdue_tasks_oldest_first_including_earlier_periods():
    f = brief_figures(_inputs(ROWS, "2026-10", "2026-10", date(2026, 10, 31)))
    overdue = f.overdue_tasks
    assert overdue["task_id"].tolist()[0] == "J3"  # July's, still overdue
    assert overdue["due_date"].is_monotonic_increasing
    assert dict(zip(overdue["task_id"], overdue["in_period"]))["J3"] == False  # noqa: E712
