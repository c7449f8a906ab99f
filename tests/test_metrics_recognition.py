"""SPEC §3.6 recognition: both roles, enough evidence per role, praise and reminder
rules, never on both lists, plain reasons, Wilson ranking (shown as rate and counts)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import metrics_oracle as oracle
from analysis.metrics import Thresholds, annotate, recognition, wilson_lower_bound
from analysis.metrics.recognition import RECOGNITION_COLUMNS

AS_OF = date(2026, 10, 31)
DUE = date(2026, 10, 10)


def task(task_id, lead_dept, lead_person=None, outcome="on_time", coord_depts=(),
         coord_people=()):
    done = {"on_time": date(2026, 10, 9), "late": date(2026, 10, 12)}.get(outcome)
    return {"task_id": task_id, "title": "Hỗ trợ", "service": "Khác", "lead_dept": lead_dept,
            "lead_person": lead_person, "coord_depts": tuple(coord_depts),
            "coord_people": tuple(coord_people), "assigned_date": date(2026, 10, 1),
            "due_date": DUE, "done_date": done,
            "status": "done" if done else "open"}


def led(dept, on_time=0, late=0, overdue=0, person=None, coord=()):
    rows = []
    for outcome, count in (("on_time", on_time), ("late", late), ("overdue", overdue)):
        rows += [task(f"{dept}-{outcome}{i}", dept, person or dept.lower(), outcome,
                      coord_depts=coord) for i in range(count)]
    return rows


def lists(rows, role="dept", thresholds=Thresholds(), contributions=None):
    annotated = annotate(oracle.tasks_frame(rows), AS_OF,
                         oracle.contributions_frame(contributions))
    return recognition(annotated, role, thresholds,
                       oracle.contributions_frame(contributions), AS_OF)


def test_praise_and_reminder_as_lead_ranked_by_wilson_section_3_6():
    rows = (led("Big", 19, late=1)         # 95 %, no overdue: praise, ranked first
            + led("Small", 5)              # 5 of 5: praise, but below Big
            + led("Tiny", 2)               # 2 of 2: too little evidence for anything
            + led("Slow", 6, late=4)       # 60 %: reminder
            + led("Stuck", 8, overdue=2))  # 80 % but 2 overdue: reminder
    praise, reminder = lists(rows)
    assert list(praise.columns) == list(RECOGNITION_COLUMNS)
    assert praise["name"].tolist() == ["Big", "Small"]
    assert praise.loc[0, "reason"] == "Chủ trì: 19/20 nhiệm vụ đúng hạn; không có việc quá hạn"
    assert praise.loc[0, "rate"] == pytest.approx(0.95)
    assert len(praise.loc[1, "task_ids"]) == 5
    assert reminder["name"].tolist() == ["Slow", "Stuck"]  # lowest bound first
    assert reminder.loc[0, "reason"] == ("Chủ trì: 6/10 nhiệm vụ đúng hạn "
                                         "(60,0 %, dưới ngưỡng 70,0 %); không có việc quá hạn")
    assert reminder.loc[1, "reason"] == "Chủ trì: 8/10 nhiệm vụ đúng hạn; 2 nhiệm vụ chủ trì quá hạn"
    assert reminder.loc[1, "task_ids"] == ["Stuck-overdue0", "Stuck-overdue1"]
    assert reminder.loc[0, "task_ids"] == [f"Slow-late{i}" for i in range(4)]


def test_two_of_two_does_not_outrank_ninety_five_of_a_hundred():
    rows = led("Hundred", 95, late=5) + led("Two", 2)
    praise, _ = lists(rows, thresholds=Thresholds(min_tasks_dept=2))
    assert praise["name"].tolist() == ["Hundred", "Two"]
    assert wilson_lower_bound(2, 2) < wilson_lower_bound(95, 100)


def test_both_roles_are_judged_section_3_6():
    # A leads 6 tasks, all on time, coordinated by B; B leads 5 on time itself.
    # Without a "Phối hợp" sheet B's coordinator items are A's tasks: 6/6.
    rows = led("A", 6, coord=("B",)) + led("B", 5)
    praise, reminder = lists(rows)
    b = praise.set_index("name").loc["B"]
    assert (b["lead_counted"], b["coord_counted"], b["counted"]) == (5, 6, 11)
    assert b["reason"] == ("Chủ trì: 5/5 nhiệm vụ đúng hạn; phối hợp: 6/6 đúng hạn; "
                           "không có việc quá hạn")
    assert reminder.empty
    # B as coordinator on 5 late tasks of C: a role with enough evidence below 70 %
    rows = led("B", 5) + led("C", 0, late=5, coord=("B",))
    praise, reminder = lists(rows)
    assert "B" not in praise["name"].tolist()
    assert reminder.set_index("name").loc["B", "reason"] == (
        "Chủ trì: 5/5 nhiệm vụ đúng hạn; phối hợp: 0/5 đúng hạn (0,0 %, dưới ngưỡng 70,0 %); "
        "không có việc quá hạn")


def test_coordinator_only_praise_and_too_little_evidence():
    # D only coordinates: 5 on time is enough evidence for praise as coordinator.
    rows = led("A", 5, coord=("D",)) + led("E", 2, coord=("F",))
    praise, _ = lists(rows)
    d = praise.set_index("name").loc["D"]
    assert d["reason"] == "Phối hợp: 5/5 đúng hạn; không có việc quá hạn"
    assert "F" not in praise["name"].tolist()  # 2 items: not enough evidence
    assert "E" not in praise["name"].tolist()


def test_past_due_contributions_from_the_sheet_section_3_6():
    # A leads 5 on-time tasks; B's contributions on them: 3 on time, 2 past due.
    rows = led("A", 5)
    contributions = [
        {"task_id": f"A-on_time{i}", "coord_dept": "B", "coord_person": None,
         "contrib_due_date": date(2026, 10, 5),
         "delivered_date": date(2026, 10, 4) if i < 3 else None, "rating": None}
        for i in range(5)]
    praise, reminder = lists(rows, contributions=contributions)
    b = reminder.set_index("name").loc["B"]
    assert (b["coord_on_time"], b["coord_past_due"]) == (3, 2)
    assert b["reason"] == ("Phối hợp: 3/5 phần việc đúng hạn (60,0 %, dưới ngưỡng 70,0 %); "
                           "2 phần việc phối hợp quá hạn")
    assert b["task_ids"] == ["A-on_time3", "A-on_time4"]
    assert praise["name"].tolist() == ["A"]


def test_one_past_due_blocks_praise_two_make_a_reminder():
    rows = led("A", 10, coord=()) + [task("X1", "Z", outcome="overdue", coord_depts=("A",))]
    praise, reminder = lists(rows)
    assert "A" not in praise["name"].tolist() and "A" not in reminder["name"].tolist()
    rows.append(task("X2", "Z", outcome="overdue", coord_depts=("A",)))
    _, reminder = lists(rows)
    assert reminder.set_index("name").loc["A", "reason"] == (
        "Chủ trì: 10/10 nhiệm vụ đúng hạn; phối hợp: 0/2 đúng hạn (dưới 5, chưa đủ để đánh giá); "
        "2 nhiệm vụ phối hợp quá hạn")


def test_person_minimum_is_three_and_configurable():
    rows = led("A", 3, person="Ba") + led("B", 2, person="Hai")
    praise, _ = lists(rows, "person")
    assert praise["name"].tolist() == ["Ba"]
    assert lists(rows, "person", Thresholds(min_tasks_person=4))[0].empty


def test_thresholds_from_settings():
    chosen = Thresholds.from_settings({"praise_min_rate": 0.8, "praise_min_tasks_person": 4,
                                       "reminder_min_past_due": 3, "row_limit": 10})
    assert chosen.praise_min_rate == 0.8 and chosen.min_tasks_person == 4
    assert chosen.reminder_min_past_due == 3 and chosen.min_tasks_dept == 5
    assert Thresholds.from_settings({}) == Thresholds()


def test_a_reminder_wins_when_thresholds_overlap():
    # praise from 60 %, reminder below 70 %: a name at 65 % would meet both
    loose = Thresholds(praise_min_rate=0.6, reminder_below_rate=0.7)
    praise, reminder = lists(led("A", 13, late=7), thresholds=loose)
    assert praise.empty and reminder["name"].tolist() == ["A"]


# --- every listed name against the rules (hypothesis) -------------------------------------

DEPTS = ["A", "B", "C", "D"]
OUTCOMES = ["on_time", "late", "overdue", "open"]


@st.composite
def task_sets(draw):
    rows = []
    for i in range(draw(st.integers(0, 40))):
        rows.append(task(f"T{i}", draw(st.sampled_from(DEPTS)),
                         draw(st.sampled_from(["An", "Bình", "Chi", None])),
                         draw(st.sampled_from(OUTCOMES)),
                         coord_depts=draw(st.lists(st.sampled_from(DEPTS), max_size=2)),
                         coord_people=draw(st.lists(st.sampled_from(["An", "Bình", "Dũng"]),
                                                    max_size=2))))
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=task_sets(), role=st.sampled_from(["dept", "person"]))
def test_every_listed_name_meets_the_rules(rows, role):
    t = Thresholds()
    praise, reminder = lists(rows, role, t)
    assert not set(praise["name"]) & set(reminder["name"])
    minimum = t.min_tasks(role)
    for row in praise.itertuples():
        enough = [(n, r) for n, r in ((row.lead_counted, row.lead_rate),
                                      (row.coord_counted, row.coord_rate)) if n >= minimum]
        assert enough and all(r >= t.praise_min_rate for _, r in enough)
        assert row.lead_overdue == 0 and row.coord_past_due == 0
    for row in reminder.itertuples():
        low = any(n >= minimum and r < t.reminder_below_rate
                  for n, r in ((row.lead_counted, row.lead_rate),
                               (row.coord_counted, row.coord_rate)))
        assert low or row.lead_overdue >= 2 or row.coord_past_due >= 2
    # ranking: by the bound, best first for praise, worst first for reminders
    assert praise["wilson_lower"].is_monotonic_decreasing
    assert reminder["wilson_lower"].dropna().is_monotonic_increasing
    # the lead counts are the oracle's §3.3 counts of the tasks each name leads
    key = "lead_dept" if role == "dept" else "lead_person"
    for row in list(praise.itertuples()) + list(reminder.itertuples()):
        mine = [r for r in rows if r[key] == row.name]
        figures = oracle.figures(mine, AS_OF, [])
        assert (row.lead_on_time, row.lead_late, row.lead_overdue) == (
            figures["on_time"], figures["late"], figures["overdue"])
