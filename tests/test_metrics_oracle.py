"""SPEC §3 / §5: compute_report equals the loop-based oracle on random task sets."""

from __future__ import annotations

import math
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import metrics_oracle as oracle
from analysis.metrics import compute_report

DEPTS = ["Phòng A", "Phòng B", "Phòng C"]
PEOPLE = ["An", "Bình", "Chi", "Dũng"]
BASE = date(2026, 8, 1)
AS_OF = date(2026, 10, 15)
MONTHS = ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]

days = st.integers(min_value=0, max_value=120).map(lambda n: BASE + timedelta(days=n))
maybe_day = st.none() | days


@st.composite
def task_rows(draw):
    count = draw(st.integers(min_value=0, max_value=14))
    rows = []
    for i in range(count):
        assigned = draw(days)
        due = draw(st.none() | st.integers(0, 60).map(lambda n, a=assigned: a + timedelta(days=n)))
        done = draw(st.none() | st.integers(0, 70).map(lambda n, a=assigned: a + timedelta(days=n)))
        rows.append({
            "task_id": f"T{i:03d}",
            "title": draw(st.sampled_from(["Hỗ trợ", "", None])),
            "service": "Khác",
            "lead_dept": draw(st.sampled_from(DEPTS)),
            "lead_person": draw(st.none() | st.sampled_from(PEOPLE)),
            # the lead may list itself as coordinator: it must not count (§3.4);
            # repeats (which the reader removes) must not count twice either
            "coord_depts": tuple(draw(st.lists(st.sampled_from(DEPTS), max_size=3))),
            "coord_people": tuple(draw(st.lists(st.sampled_from(PEOPLE), max_size=3))),
            "assigned_date": assigned,
            "due_date": due,
            "done_date": done,
            "status": draw(st.sampled_from(["done", "done", "open", "cancelled"])),
        })
    return rows


@st.composite
def contribution_rows(draw, task_ids):
    ids = task_ids + ["UNKNOWN"]
    return [{
        "task_id": draw(st.sampled_from(ids)),
        "coord_dept": draw(st.none() | st.sampled_from(DEPTS)),
        "coord_person": draw(st.none() | st.sampled_from(PEOPLE)),
        "contrib_due_date": draw(maybe_day),  # None: the task's own due date
        "delivered_date": draw(maybe_day),
        "rating": draw(st.none() | st.sampled_from(["Tốt", "Đạt", "Chưa đạt"])),
    } for _ in range(draw(st.integers(0, 10)))]


@st.composite
def scenarios(draw):
    tasks = draw(task_rows())
    contributions = draw(st.none() | contribution_rows([t["task_id"] for t in tasks]))
    from_month = draw(st.none() | st.sampled_from(MONTHS))
    to_month = draw(st.none() | st.sampled_from(MONTHS))  # may be before from: empty period
    as_of = draw(st.sampled_from([AS_OF, date(2026, 9, 1), date(2026, 12, 31)]))
    return tasks, contributions, from_month, to_month, as_of


def assert_same(actual, expected, path="report"):
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        missing = set(expected) - set(actual)
        assert not missing, f"{path}: missing {missing}"
        for key in expected:
            assert_same(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), \
            f"{path}: {actual!r} != {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same(a, e, f"{path}[{i}]")
    elif isinstance(expected, float):
        assert isinstance(actual, float) and math.isclose(actual, expected, rel_tol=1e-9), \
            f"{path}: {actual!r} != {expected!r}"
    else:
        assert actual == expected and type(actual) is type(expected), \
            f"{path}: {actual!r} != {expected!r}"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_report_equals_oracle(scenario):
    tasks, contributions, from_month, to_month, as_of = scenario
    actual = compute_report(oracle.tasks_frame(tasks), as_of, from_month, to_month,
                            oracle.contributions_frame(contributions))
    expected = oracle.report(tasks, as_of, from_month, to_month, contributions)
    assert_same(actual, expected)
    # the specified nested objects carry exactly the specified keys
    assert set(actual["overall"]) == set(expected["overall"])
    for key in ("departments", "people", "matrix"):
        for row_actual, row_expected in zip(actual[key], expected[key]):
            assert set(row_actual) == set(row_expected)


def test_oracle_fixture_sanity():
    """The oracle itself on one hand-checked task: done 2 days after a due date."""
    task = {"task_id": "1", "title": "x", "lead_dept": "A", "lead_person": "p",
            "coord_depts": ("A",), "coord_people": (), "assigned_date": date(2026, 9, 1),
            "due_date": date(2026, 9, 10), "done_date": date(2026, 9, 12), "status": "done"}
    result = oracle.report([task], date(2026, 10, 1))
    assert result["overall"]["late"] == 1
    assert result["overall"]["avg_delay_days"] == 2
    assert result["overall"]["cross_dept_share"] == 0.0  # the lead is not its own coordinator
    assert result["departments"][0]["coord_tasks"] == 0
