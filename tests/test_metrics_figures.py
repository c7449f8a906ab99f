"""Hand-computed cases for every figure of SPEC §3 (outcomes, period, group figures,
coordinators, structure, trend, recognition) and the §5 report shape."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

import metrics_oracle as oracle
from analysis.metrics import (
    annotate,
    compute_report,
    coordination_load,
    coordination_pairs,
    coordinator_figures,
    cross_vs_single,
    gini,
    group_figures,
    lateness_attribution,
    matrix,
    monthly_trend,
    recognition,
    select_period,
    wilson_lower_bound,
)
from analysis.model import empty_contributions, empty_tasks

AS_OF = date(2026, 10, 31)


def task(task_id, lead_dept="A", lead_person="p", due=None, done=None, status=None,
         assigned=date(2026, 10, 1), coord_depts=(), coord_people=(), title="Hỗ trợ"):
    if status is None:
        status = "done" if done else "open"
    return {"task_id": task_id, "title": title, "service": "Khác", "lead_dept": lead_dept,
            "lead_person": lead_person, "coord_depts": tuple(coord_depts),
            "coord_people": tuple(coord_people), "assigned_date": assigned, "due_date": due,
            "done_date": done, "status": status}


def frame(*rows):
    return oracle.tasks_frame(list(rows))


def contrib(task_id, dept=None, person=None, due=None, delivered=None, rating=None):
    return {"task_id": task_id, "coord_dept": dept, "coord_person": person,
            "contrib_due_date": due, "delivered_date": delivered, "rating": rating}


def by_id(annotated, column):
    return dict(zip(annotated["task_id"], annotated[column]))


# --- §3.1 outcome ---------------------------------------------------------------------

def test_outcome_rules_section_3_1():
    tasks = frame(
        task("on_time", due=date(2026, 10, 10), done=date(2026, 10, 10)),
        task("late", due=date(2026, 10, 10), done=date(2026, 10, 13)),
        task("overdue", due=date(2026, 10, 26)),
        task("open", due=date(2026, 11, 5)),
        task("due_today_open", due=AS_OF),  # due_date < as_of is overdue; equal is not
        task("no_deadline", done=date(2026, 10, 3)),
        task("cancelled", due=date(2026, 9, 1), status="cancelled"),
        # done after as_of counts as not done yet
        task("done_later_overdue", due=date(2026, 10, 20), done=date(2026, 11, 2)),
        task("done_later_open", due=date(2026, 11, 20), done=date(2026, 11, 2)),
        # status done without a done date: nothing proves it was done by as_of
        task("done_no_date", due=date(2026, 10, 20), status="done"),
    )
    outcomes = by_id(annotate(tasks, AS_OF), "outcome")
    assert outcomes == {
        "on_time": "on_time", "late": "late", "overdue": "overdue", "open": "open",
        "due_today_open": "open", "no_deadline": "no_deadline", "cancelled": "cancelled",
        "done_later_overdue": "overdue", "done_later_open": "open", "done_no_date": "overdue"}


def test_delay_days_late_and_overdue_only_section_3_3():
    tasks = frame(task("late", due=date(2026, 10, 10), done=date(2026, 10, 13)),
                  task("overdue", due=date(2026, 10, 26)),
                  task("on_time", due=date(2026, 10, 10), done=date(2026, 10, 9)))
    delays = by_id(annotate(tasks, AS_OF), "delay_days")
    assert delays["late"] == 3.0 and delays["overdue"] == 5.0 and math.isnan(delays["on_time"])


def test_cross_dept_clear_and_effective_coordinators():
    tasks = frame(
        task("self", lead_dept="A", coord_depts=("A",), coord_people=("p", "q")),
        task("cross", lead_dept="A", coord_depts=("A", "B")),
        task("vague", lead_person=None, title="", due=date(2026, 10, 5)),
        task("clear", due=date(2026, 10, 5), coord_depts=("B", "B")),
    )
    annotated = annotate(tasks, AS_OF)
    assert by_id(annotated, "cross_dept") == {"self": False, "cross": True, "vague": False,
                                              "clear": True}
    assert by_id(annotated, "coord_depts_effective")["clear"] == ("B",)  # a repeat counts once
    assert coordination_pairs(annotated, None, "dept")["name"].tolist() == ["B", "B"]  # 2 tasks
    assert by_id(annotated, "coord_depts_effective")["cross"] == ("B",)
    assert by_id(annotated, "coord_people_effective")["self"] == ("q",)
    assert by_id(annotated, "clear") == {"self": False, "cross": False, "vague": False,
                                         "clear": True}


def test_sheet_names_join_the_coordinators_section_3_4():
    tasks = frame(task("1", lead_dept="A", coord_depts=("B",)), task("2", lead_dept="A"))
    sheet = oracle.contributions_frame([contrib("2", dept="C"), contrib("2", dept="A"),
                                        contrib("1", dept="B", person="q")])
    annotated = annotate(tasks, AS_OF, sheet)
    assert by_id(annotated, "coord_depts_effective") == {"1": ("B",), "2": ("C",)}
    assert by_id(annotated, "coord_people_effective") == {"1": ("q",), "2": ()}
    assert annotated["cross_dept"].tolist() == [True, True]


# --- §3.2 period ----------------------------------------------------------------------

def test_month_of_due_else_assigned_and_period_bounds_section_3_2():
    tasks = frame(task("due_oct", assigned=date(2026, 9, 20), due=date(2026, 10, 2)),
                  task("no_due_sep", assigned=date(2026, 9, 20)),
                  task("due_nov", due=date(2026, 11, 30)))
    annotated = annotate(tasks, AS_OF)
    assert by_id(annotated, "month") == {"due_oct": "2026-10", "no_due_sep": "2026-09",
                                         "due_nov": "2026-11"}
    assert select_period(annotated, "2026-10", "2026-10")["task_id"].tolist() == ["due_oct"]
    assert select_period(annotated, "2026-10", None)["task_id"].tolist() == ["due_oct", "due_nov"]
    assert select_period(annotated, None, "2026-09")["task_id"].tolist() == ["no_due_sep"]
    assert len(select_period(annotated, None, None)) == 3
    assert select_period(annotated, "2026-12", "2026-01").empty


# --- §3.3 group figures ---------------------------------------------------------------

def six_outcomes():
    return frame(
        task("1", lead_dept="A", lead_person="p", due=date(2026, 10, 10), done=date(2026, 10, 9),
             coord_depts=("B",)),
        task("2", lead_dept="A", lead_person="p", due=date(2026, 10, 10), done=date(2026, 10, 13)),
        task("3", lead_dept="A", lead_person=None, due=date(2026, 10, 26), coord_depts=("A",)),
        task("4", lead_dept="B", lead_person="q", due=date(2026, 11, 5), coord_depts=("A",)),
        task("5", lead_dept="B", lead_person="q", title=None),
        task("6", lead_dept="B", lead_person="q", due=date(2026, 10, 1), status="cancelled",
             coord_depts=("C",)),
    )


def test_group_figures_overall_section_3_3():
    overall = group_figures(annotate(six_outcomes(), AS_OF)).iloc[0]
    assert overall[["tasks", "on_time", "late", "overdue", "open", "no_deadline",
                    "cancelled"]].tolist() == [5, 1, 1, 1, 1, 1, 1]
    assert overall["on_time_rate"] == pytest.approx(1 / 3)
    # §3.3: the late task is completed, though not on time: 2 of the 3 that fell due
    assert overall["completion_rate"] == pytest.approx(2 / 3)
    assert overall["avg_delay_days"] == pytest.approx((3 + 5) / 2)
    assert overall["cross_dept_share"] == pytest.approx(2 / 5)  # tasks 1 and 4; 3 lists itself
    assert overall["clarity_rate"] == pytest.approx(3 / 5)  # 3 lacks a person, 5 a title+due


def test_group_figures_by_department_and_person():
    by_dept = group_figures(annotate(six_outcomes(), AS_OF), by="lead_dept").set_index("lead_dept")
    assert by_dept.loc["A", "tasks"] == 3 and by_dept.loc["B", "tasks"] == 2
    assert by_dept.loc["B", "cancelled"] == 1
    assert math.isnan(by_dept.loc["B", "on_time_rate"])  # open and no_deadline only
    assert math.isnan(by_dept.loc["B", "completion_rate"])  # null, never 0 or 100 %
    assert by_dept.loc["A", "on_time_rate"] == pytest.approx(1 / 3)
    by_person = group_figures(annotate(six_outcomes(), AS_OF), by="lead_person")
    assert by_person["lead_person"].tolist() == ["p", "q"]  # the task without a person is left out
    assert by_person["tasks"].tolist() == [2, 2]


def test_group_figures_empty_input():
    annotated = annotate(empty_tasks(), AS_OF)
    overall = group_figures(annotated)
    assert len(overall) == 1 and overall.loc[0, "tasks"] == 0
    assert math.isnan(overall.loc[0, "on_time_rate"])
    assert group_figures(annotated, by="lead_dept").empty


# --- §3.4 coordinators ----------------------------------------------------------------

def test_coordinator_figures_from_task_outcomes_without_sheet():
    annotated = annotate(six_outcomes(), AS_OF)
    figures = coordinator_figures(annotated, None, AS_OF, "dept").set_index("name")
    # A coordinates task 4 (open); its own task 3 does not count; C only a cancelled task
    assert figures.to_dict("index") == {
        "A": {"coord_tasks": 1, "coord_on_time_rate": pytest.approx(float("nan"), nan_ok=True)},
        "B": {"coord_tasks": 1, "coord_on_time_rate": 1.0},
    }


def test_coordinator_figures_from_contributions_section_3_4():
    tasks = frame(
        task("1", lead_dept="A", lead_person="p", assigned=date(2026, 10, 1),
             due=date(2026, 10, 20), done=date(2026, 10, 20)),
        task("2", lead_dept="A", lead_person="p", due=date(2026, 10, 25)),
        task("3", lead_dept="A", due=date(2026, 10, 25), status="cancelled"),
        task("4", lead_dept="A"),  # no due date
    )
    sheet = oracle.contributions_frame([
        contrib("1", dept="B", due=date(2026, 10, 10), delivered=date(2026, 10, 9), rating="Tốt"),
        contrib("1", dept="C", delivered=date(2026, 10, 21), rating="Chưa đạt"),  # task due: late
        contrib("2", dept="B", due=date(2026, 10, 15)),  # past due
        contrib("2", dept="C", due=date(2026, 11, 15)),  # pending: not counted
        contrib("2", dept="B", due=date(2026, 10, 28), delivered=date(2026, 11, 3)),  # after as_of
        contrib("3", dept="B", due=date(2026, 10, 1)),  # cancelled task: left out
        contrib("4", dept="B"),  # no deadline at all: left out
        contrib("1", dept="A", due=date(2026, 10, 1)),  # the lead itself: left out
    ])
    annotated = annotate(tasks, AS_OF, sheet)
    figures = coordinator_figures(annotated, sheet, AS_OF, "dept").set_index("name")
    b, c = figures.loc["B"], figures.loc["C"]
    assert (b["contrib_on_time"], b["contrib_late"], b["contrib_past_due"]) == (1, 0, 2)
    assert b["coord_on_time_rate"] == pytest.approx(1 / 3)
    assert b["coord_tasks"] == 3  # tasks 1, 2, 4 (3 is cancelled)
    assert b["avg_response_days"] == pytest.approx(8.0)  # 9 Oct - 1 Oct
    assert (b["rating_good"], b["rating_fail"]) == (1, 0)
    assert (c["contrib_on_time"], c["contrib_late"], c["contrib_pending"]) == (0, 1, 1)
    assert c["coord_on_time_rate"] == 0.0 and c["rating_fail"] == 1
    assert "A" not in figures.index


def test_coordination_pairs_lists_who_coordinates_what():
    annotated = annotate(six_outcomes(), AS_OF)
    pairs = coordination_pairs(annotated, None, "dept")
    assert sorted(zip(pairs["task_id"], pairs["name"])) == [("1", "B"), ("4", "A")]
    people = coordination_pairs(annotate(frame(task("1", lead_person="p",
                                                    coord_people=("p", "q"))), AS_OF),
                                oracle.contributions_frame([contrib("1", person="r")]), "person")
    assert people["name"].tolist() == ["q", "r"]


def test_lateness_attribution_names_the_late_contributions():
    tasks = frame(task("1", due=date(2026, 10, 20), done=date(2026, 10, 25)),
                  task("2", due=date(2026, 10, 20)),
                  task("3", due=date(2026, 10, 20), done=date(2026, 10, 1)))
    sheet = oracle.contributions_frame([
        contrib("1", dept="B", person="q", due=date(2026, 10, 10), delivered=date(2026, 10, 15)),
        contrib("1", dept="C", due=date(2026, 10, 10), delivered=date(2026, 10, 9)),
        contrib("3", dept="B", due=date(2026, 10, 10), delivered=date(2026, 10, 15)),
    ])
    result = lateness_attribution(annotate(tasks, AS_OF, sheet), sheet, AS_OF).set_index("task_id")
    assert list(result.index) == ["1", "2"]  # only late and overdue tasks
    assert result.loc["1", "late_contributions"] == 1
    assert result.loc["1", "late_coordinators"] == ("B / q",)
    assert bool(result.loc["1", "coordinator_late"]) is True
    assert result.loc["2", "late_coordinators"] == () and not result.loc["2", "coordinator_late"]


# --- §3.5 structure -------------------------------------------------------------------

def test_matrix_and_cross_vs_single_section_3_5():
    tasks = frame(
        task("1", lead_dept="A", due=date(2026, 10, 10), done=date(2026, 10, 9), coord_depts=("B", "C")),
        task("2", lead_dept="A", due=date(2026, 10, 10), done=date(2026, 10, 12), coord_depts=("B",)),
        task("3", lead_dept="A", due=date(2026, 10, 10), done=date(2026, 10, 9), coord_depts=("A",)),
        task("4", lead_dept="B", due=date(2026, 10, 10), status="cancelled", coord_depts=("A",)),
    )
    annotated = annotate(tasks, AS_OF)
    result = matrix(annotated)
    assert result[["lead_dept", "coord_dept", "tasks", "on_time"]].values.tolist() == [
        ["A", "B", 2, 1], ["A", "C", 1, 1]]
    assert result["on_time_rate"].tolist() == [0.5, 1.0]
    assert cross_vs_single(annotated) == {"cross_dept_on_time_rate": 0.5,
                                          "single_dept_on_time_rate": 1.0}
    assert cross_vs_single(annotate(empty_tasks(), AS_OF)) == {
        "cross_dept_on_time_rate": None, "single_dept_on_time_rate": None}


@pytest.mark.parametrize("values, expected", [
    ([1, 1, 1, 1], 0.0), ([0, 0, 0, 4], 0.75), ([1, 3], 0.25), ([5], 0.0),
    ([], None), ([0, 0], None)])
def test_gini_standard_formula(values, expected):
    result = gini(values)
    assert result == (None if expected is None else pytest.approx(expected))


def test_coordination_load_counts_assignments_and_idle_leads():
    tasks = frame(task("1", lead_person="p", coord_people=("q", "r", "p")),
                  task("2", lead_person="s", coord_people=("q",)),
                  task("3", lead_person="t", coord_people=("u",), status="cancelled"))
    load = coordination_load(annotate(tasks, AS_OF))
    assert load.values.tolist() == [["q", 2], ["r", 1], ["p", 0], ["s", 0]]


# --- trend ------------------------------------------------------------------------------

def test_monthly_trend_includes_empty_months():
    tasks = frame(task("1", due=date(2026, 8, 10), done=date(2026, 8, 9)),
                  task("2", due=date(2026, 10, 10), done=date(2026, 10, 12)))
    trend = monthly_trend(annotate(tasks, AS_OF))
    assert trend["month"].tolist() == ["2026-08", "2026-09", "2026-10"]
    assert trend["tasks"].tolist() == [1, 0, 1]
    assert trend["on_time_rate"].tolist()[0] == 1.0 and math.isnan(trend["on_time_rate"][1])
    assert monthly_trend(annotate(empty_tasks(), AS_OF)).empty


# --- §3.6 recognition ---------------------------------------------------------------------

def test_wilson_lower_bound_values_and_ordering_section_3_6():
    assert wilson_lower_bound(95, 100) == pytest.approx(0.88825, abs=1e-5)
    assert wilson_lower_bound(2, 2) == pytest.approx(0.34237, abs=1e-5)
    assert wilson_lower_bound(2, 2) < wilson_lower_bound(95, 100)
    bounds = wilson_lower_bound(pd.Series([2, 95, 0]), pd.Series([2, 100, 0]))
    assert bounds[0] < bounds[1] and math.isnan(bounds[2])


# --- §5 report ------------------------------------------------------------------------------

def test_report_of_no_tasks_is_zeros_and_nulls():
    report = compute_report(empty_tasks(), AS_OF, contributions=empty_contributions())
    assert report["as_of"] == "2026-10-31"
    assert report["period"] == {"from": None, "to": None}
    assert report["overall"]["tasks"] == 0 and report["overall"]["on_time_rate"] is None
    assert report["departments"] == [] and report["people"] == [] and report["matrix"] == []


def test_report_of_an_empty_period_keeps_the_asked_bounds():
    report = compute_report(six_outcomes(), AS_OF, "2025-01", "2025-02")
    assert report["period"] == {"from": "2025-01", "to": "2025-02"}
    assert report["overall"]["tasks"] == 0 and report["departments"] == []


def test_report_lists_coordinator_only_members_with_zero_lead_figures():
    report = compute_report(six_outcomes(), AS_OF)
    assert report["period"] == {"from": "2026-10", "to": "2026-11"}
    names = [d["name"] for d in report["departments"]]
    assert names == ["A", "B"]  # C coordinates only a cancelled task
    person_keys = set(report["people"][0])
    assert "cross_dept_share" not in person_keys and "coord_tasks" in person_keys
    matrix_rows = report["matrix"]
    assert matrix_rows == [
        {"lead_dept": "A", "coord_dept": "B", "tasks": 1, "on_time_rate": 1.0},
        {"lead_dept": "B", "coord_dept": "A", "tasks": 1, "on_time_rate": None}]


def test_every_figure_works_on_no_tasks():
    annotated = annotate(empty_tasks(), AS_OF, empty_contributions())
    sheet = empty_contributions()
    assert coordinator_figures(annotated, sheet, AS_OF, "person").empty
    assert coordination_pairs(annotated, sheet, "dept").empty
    assert list(lateness_attribution(annotated, sheet, AS_OF).columns) == [
        "task_id", "outcome", "lead_dept", "lead_person", "delay_days", "late_contributions",
        "late_coordinators", "coordinator_late"]
    assert matrix(annotated).empty and coordination_load(annotated).empty
    praise, reminder = recognition(annotated, "person")
    assert praise.empty and reminder.empty and "wilson_lower" in praise.columns


def test_lateness_attribution_without_sheet_blames_no_one():
    tasks = frame(task("1", due=date(2026, 10, 20)))
    result = lateness_attribution(annotate(tasks, AS_OF), None, AS_OF)
    assert result["late_contributions"].tolist() == [0]
    assert result["late_coordinators"].tolist() == [()]
