"""Plotly figure builders (analysis/charts.py): one colour per outcome everywhere,
Vietnamese number formats, and drill-down customdata that names the tasks behind
each point."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import charts
from analysis.formatting import OUTCOME_LABELS


def _figures(key: str, values: list[str]) -> pd.DataFrame:
    rows = []
    for i, value in enumerate(values):
        rows.append({key: value, "tasks": 10 + i, "on_time": 6, "late": 2, "overdue": 1 + i,
                     "open": 1, "no_deadline": 0, "cancelled": 0,
                     "on_time_rate": 6 / (9 + i)})
    return pd.DataFrame(rows)


def test_trend_bars_use_the_outcome_colours_and_carry_month_and_outcome():
    trend = _figures("month", ["2026-09", "2026-10"])
    fig = charts.trend_figure(trend)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == [OUTCOME_LABELS[o] for o in charts.STACKED_OUTCOMES]
    for trace, outcome in zip(bars, charts.STACKED_OUTCOMES):
        assert trace.marker.color == charts.OUTCOME_COLORS[outcome]
        assert [list(c) for c in trace.customdata] == [["2026-09", outcome],
                                                       ["2026-10", outcome]]
    line = [t for t in fig.data if t.type == "scatter"][0]
    assert [list(c) for c in line.customdata] == [["2026-09", "counted"],
                                                  ["2026-10", "counted"]]
    assert list(bars[0].x) == ["09/2026", "10/2026"]  # months shown mm/yyyy
    assert list(line.text) == ["66,7 %", "60,0 %"]


def test_every_figure_uses_vietnamese_separators():
    figures = [
        charts.trend_figure(_figures("month", ["2026-10"])),
        charts.outcome_bars_figure(_figures("service", ["Khác"]), "service"),
        charts.empty_figure("Không có dữ liệu"),
    ]
    for fig in figures:
        assert fig.layout.separators == ",."


def test_department_bars_put_lead_and_coordinator_in_different_customdata_slots():
    lead = pd.DataFrame({"name": ["P1"], "on_time_rate": [0.853], "tasks": [7]})
    coord = pd.DataFrame({"name": ["P1"], "coord_on_time_rate": [0.5], "coord_tasks": [2]})
    fig = charts.department_rate_figure(lead, coord)
    by_name = {t.name: t for t in fig.data}
    assert [list(c)[:3] for c in by_name["Chủ trì"].customdata] == [["P1", None, "counted"]]
    assert [list(c)[:3] for c in by_name["Phối hợp"].customdata] == [[None, "P1", "counted"]]
    assert list(by_name["Chủ trì"].text) == ["85,3 %"]
    assert len(charts.DEPT_ROLE_FIELDS) == 3


def test_heatmap_text_shows_count_and_rate():
    matrix = pd.DataFrame({"lead_dept": ["P1", "P2"], "coord_dept": ["P2", "P1"],
                           "tasks": [4, 1], "on_time_rate": [0.75, float("nan")]})
    fig = charts.matrix_heatmap(matrix)
    text = fig.data[0].text
    assert text[0][1] == "<b>4</b> NV<br>75,0 %"
    assert text[1][0] == "<b>1</b> NV<br>—"
    assert text[0][0] == ""  # no pair: empty cell


def test_network_nodes_are_departments_sized_by_tasks_and_offline():
    matrix = pd.DataFrame({"lead_dept": ["P1"], "coord_dept": ["P2"], "tasks": [3],
                           "on_time_rate": [1.0]})
    fig = charts.network_figure(matrix, pd.Series({"P1": 10, "P2": 1}))
    nodes = fig.data[-1]
    assert [c[0] for c in nodes.customdata] == ["P1", "P2"]
    assert nodes.marker.size[0] > nodes.marker.size[1]
    assert all(t.type == "scatter" for t in fig.data)  # no map tiles, no geo traces


@pytest.mark.parametrize("words, width, expected", [
    ("Phòng Tư vấn - Tham vấn", 14, "Phòng Tư vấn -<br>Tham vấn"),
    ("Ngắn", 14, "Ngắn"),
])
def test_wrap_label(words, width, expected):
    assert charts.wrap_label(words, width) == expected
