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


def test_matrix_cells_are_square_markers_that_carry_their_pair():
    """A heatmap emits no selection: the matrix is a scatter of squares (SPEC §7.4)."""
    matrix = pd.DataFrame({"lead_dept": ["P1", "P2"], "coord_dept": ["P2", "P1"],
                           "tasks": [4, 1], "on_time_rate": [0.75, float("nan")]})
    fig = charts.matrix_figure(matrix)
    assert {t.type for t in fig.data} == {"scatter"}
    assert all(t.marker.symbol == "square" for t in fig.data)
    rated, unrated = fig.data
    assert list(rated.text) == ["<b>4</b><br>75,0 %"] and list(unrated.text) == ["<b>1</b><br>—"]
    assert [list(c)[:3] for c in rated.customdata] == [["P1", "P2", "all"]]
    assert len(charts.MATRIX_FIELDS) == 3


def test_a_zero_rate_is_a_visible_labelled_bar_and_no_data_is_said():
    """SPEC §7: 0 % drawn as a visible bar with its label; no data reads "chưa có số liệu"."""
    lead = pd.DataFrame({"name": ["P1", "P2"], "on_time_rate": [0.0, float("nan")],
                         "tasks": [3, 2]})
    coord = pd.DataFrame({"name": ["P1"], "coord_on_time_rate": [0.5], "coord_tasks": [2]})
    fig = charts.department_rate_figure(lead, coord, names=["P1", "P2", "P3"])
    by_name = {t.name: t for t in fig.data}
    lead_bars = dict(zip(by_name["Chủ trì"].y, zip(by_name["Chủ trì"].x, by_name["Chủ trì"].text)))
    assert lead_bars["P1"][0] >= charts.MIN_RATE_BAR and lead_bars["P1"][1] == "0,0 %"
    assert lead_bars["P2"] == (0.0, charts.NO_RATE_LABEL)  # tasks, none due yet
    assert lead_bars["P3"] == (0.0, charts.NO_DATA_LABEL)  # nothing at all
    coord_bars = dict(zip(by_name["Phối hợp"].y, by_name["Phối hợp"].text))
    assert coord_bars == {"P3": charts.NO_DATA_LABEL, "P2": charts.NO_DATA_LABEL, "P1": "50,0 %"}
    ranked = charts.ranked_bar_figure(
        pd.DataFrame({"person": ["An", "Bình", "Chi"], "rate": [0.0, 0.8, float("nan")]}),
        "person", "rate", rate=True, keep_missing=True)
    bars = dict(zip(ranked.data[0].y, zip(ranked.data[0].x, ranked.data[0].text)))
    assert bars["An"][0] > 0 and bars["An"][1] == "0,0 %"
    assert bars["Chi"] == (0.0, charts.NO_DATA_LABEL)


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
