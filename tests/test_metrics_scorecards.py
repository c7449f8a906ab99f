"""Scorecards: lead and coordinator figures side by side (SPEC §7.2, §7.3), ranked by the
Wilson lower bound (§3.6)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.metrics import annotate
from analysis.metrics.scorecards import person_scorecard, side_by_side
from test_metrics_figures import AS_OF, frame, task


def test_person_scorecard_joins_roles_and_ranks_by_wilson():
    tasks = annotate(frame(
        # An: 2 of 2 on time as lead
        task("1", lead_person="An", due=date(2026, 10, 10), done=date(2026, 10, 9)),
        task("2", lead_person="An", due=date(2026, 10, 10), done=date(2026, 10, 10),
             coord_people=("Bình", "An")),  # An is the lead: not An's coordination
        # Bình: 4 of 5 on time as lead, 1 overdue; coordinates task 2 only
        *[task(f"b{i}", lead_person="Bình", due=date(2026, 10, 10), done=date(2026, 10, 1))
          for i in range(4)],
        task("b4", lead_person="Bình", due=date(2026, 10, 20)),
        # Chi leads nothing and coordinates one late task
        task("c", lead_person="An", due=date(2026, 10, 5), done=date(2026, 10, 8),
             coord_people=("Chi",)),
    ), AS_OF)
    table = person_scorecard(tasks, tasks, None, AS_OF).set_index("person")

    assert list(table.index) == ["Bình", "An", "Chi"]  # 4/5 outranks 2/3; no rate last
    assert table.loc["An", ["tasks", "on_time", "late", "overdue"]].tolist() == [3, 2, 1, 0]
    assert table.loc["Bình", ["tasks", "on_time", "overdue", "coord_tasks"]].tolist() == [5, 4, 1, 1]
    assert table.loc["Chi", ["tasks", "coord_tasks", "assignments"]].tolist() == [0, 1, 1]
    assert table.loc["An", "coord_tasks"] == 0 and table.loc["An", "assignments"] == 0
    assert table.loc["Chi", "coord_on_time_rate"] == 0.0  # its one task was late
    assert pd.isna(table.loc["Chi", "wilson_lower"])


def test_side_by_side_keeps_units_in_either_role_with_zero_counts():
    lead = pd.DataFrame({"name": ["A", "B"], "tasks": [3, 0], "on_time": [2, 0],
                         "late": [1, 0], "overdue": [0, 0]})
    coord = pd.DataFrame({"name": ["A", "C", "D"], "coord_tasks": [1, 2, 0],
                          "coord_on_time_rate": [1.0, 0.5, None]})
    joined = side_by_side(lead, coord).set_index("name")
    assert sorted(joined.index) == ["A", "C"]  # B leads nothing, D coordinates nothing
    assert joined.loc["C", ["tasks", "on_time", "coord_tasks"]].tolist() == [0, 0, 2]
    assert joined.loc["A", ["tasks", "coord_tasks"]].tolist() == [3, 1]
