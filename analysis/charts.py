"""Plotly figure builders for the dashboard (figures in, figures out; no Streamlit).

Conventions shared by every chart:
- one colour per outcome everywhere (`OUTCOME_COLORS`), labels from
  `analysis.formatting.OUTCOME_LABELS`;
- Vietnamese number formats: `separators=",."` so 0.853 with tickformat ".1%"
  shows 85,3%; dates dd/mm/yyyy; months "10/2026";
- drill-down: every selectable point carries `customdata` = the values of the
  builder's `*_FIELDS` tuple (e.g. TREND_FIELDS = ("month", "outcome")), which
  `ui.drilldown.tasks_for_points` turns back into the tasks behind it. "counted" as
  an outcome means on time + late + overdue (the tasks behind a rate);
- offline: plain plotly traces, no map tiles, no external fonts.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.formatting import (
    OUTCOME_LABELS,
    format_month,
    format_number,
    format_percent,
    wrapped_lines,
)

OUTCOME_COLORS: dict[str, str] = {
    "on_time": "#2E7D32",  # green
    "late": "#F9A825",  # amber
    "overdue": "#C62828",  # red
    "open": "#1E88E5",  # blue
    "no_deadline": "#9E9E9E",  # grey
    "cancelled": "#CFD8DC",  # light grey
}
# Stacking order of outcome bars (cancelled tasks are left out of figures, §3.1).
STACKED_OUTCOMES = ("on_time", "late", "overdue", "open", "no_deadline")
ROLE_COLORS = {"lead": "#1565C0", "coord": "#8E24AA"}
ROLE_LABELS = {"lead": "Chủ trì", "coord": "Phối hợp"}
RATE_LINE_COLOR = "#37474F"
NO_DATA_COLOR = "#78909C"
# SPEC §7: a 0 % rate is a visible bar with its label (a bar of length 0 draws nothing,
# so the worst performers would look like missing data): rates are drawn at least this
# long; the label and the hover say the true value. Missing data is a label, no bar.
MIN_RATE_BAR = 0.012
NO_DATA_LABEL = "chưa có số liệu"
NO_RATE_LABEL = "chưa có nhiệm vụ đến hạn"
FONT = "Segoe UI, Roboto, Helvetica, Arial, sans-serif"  # system fonts only (offline)

# customdata layouts (drill-down fields)
TREND_FIELDS = ("month", "outcome")
# department as lead: (dept, None, outcome); as coordinator: (None, dept, outcome)
DEPT_ROLE_FIELDS = ("lead_dept", "coord_depts_effective", "outcome")
SERVICE_FIELDS = ("service", "outcome")
CROSS_FIELDS = ("cross_dept", "outcome")
# "dept": led or coordinated by the department; outcome "all": not cancelled
NODE_FIELDS = ("dept", "-", "outcome")


def _layout(fig: go.Figure, title: str | None = None, height: int = 380,
            legend: bool = True) -> go.Figure:
    """The shared look. Properties are assigned one by one (`_assign`): the same figure
    as one `fig.update_layout(...)` plus `update_xaxes`/`update_yaxes` (checked on every
    figure the chart and page tests build), at about half the cost: ~12-17 ms against
    ~6-7 ms per figure on the 2-core test machine, several figures on every page run."""
    _assign(fig.layout, {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}} if title else None,
        "separators": ",.",
        "font": {"family": FONT, "size": 13},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0}
        if legend else None,
        "showlegend": legend,
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT}},
        "clickmode": "event+select",
        "dragmode": False,
    })
    for axis in fig.select_xaxes():
        axis.showgrid = False
        axis.zeroline = False
    for axis in fig.select_yaxes():
        axis.gridcolor = "#ECEFF1"
        axis.zeroline = False
    return fig


def _assign(obj, values: dict) -> None:
    """Set nested plotly properties (merging into sub-objects, None clears one)."""
    for name, value in values.items():
        if isinstance(value, dict):
            _assign(getattr(obj, name), value)
        elif value is None:
            setattr(obj, name, {})
        else:
            setattr(obj, name, value)


def _rate_texts(rates) -> list[str]:
    return [format_percent(r) for r in rates]


def _rate_bars(rates, has_data=None) -> tuple[list, list[str], list[str]]:
    """(bar lengths, labels, label colours) for rates in [0, 1]: a 0 % rate gets a short
    visible bar; a missing rate no bar and a label saying why (no data at all, or data
    but nothing due yet)."""
    values = pd.Series(rates, dtype=float).reset_index(drop=True)
    present = (pd.Series(has_data).reset_index(drop=True).astype(bool) if has_data is not None
               else pd.Series(True, index=values.index))
    lengths = [0.0 if np.isnan(v) else max(float(v), MIN_RATE_BAR) for v in values]
    labels = [format_percent(v) if not np.isnan(v) else (NO_RATE_LABEL if p else NO_DATA_LABEL)
              for v, p in zip(values, present)]
    colours = ["#263238" if not np.isnan(v) else NO_DATA_COLOR for v in values]
    return lengths, labels, colours


def _label_places(lengths, longest: float) -> list[str]:
    """Each bar's label inside the bar when it is long enough to hold it, else just
    outside (a bar of length 0 only shows its label there)."""
    return ["inside" if v >= 0.3 * longest else "outside" for v in lengths]


# --- trend -----------------------------------------------------------------------------

def trend_figure(trend: pd.DataFrame, title: str | None = None, height: int = 380,
                 cut=None) -> go.Figure:
    """Monthly trend: stacked outcome bars (left axis) and the on-time rate line (right).

    `trend` = `analysis.metrics.monthly_trend` rows. Bars carry customdata
    (month, outcome); line points (month, "counted"). `cut`: the as-of day when the last
    month is seen part-way (its label then says "đến dd/mm"); a month with nothing
    counted has no rate point (never a 100 % from tasks not due yet).
    """
    fig = go.Figure()
    months = trend["month"].astype("str").tolist()
    partial = f"{cut.year:04d}-{cut.month:02d}" if cut is not None else None
    labels = [format_month(m) + (f"<br>(đến {cut:%d/%m})" if m == partial else "") for m in months]
    for outcome in STACKED_OUTCOMES:
        counts = trend[outcome].astype(int).tolist()
        fig.add_bar(x=labels, y=counts, name=OUTCOME_LABELS[outcome],
                    marker_color=OUTCOME_COLORS[outcome],
                    customdata=[[m, outcome] for m in months],
                    hovertemplate="%{x}<br>" + OUTCOME_LABELS[outcome] + ": %{y:,.0f}<extra></extra>")
    rates = trend["on_time_rate"].astype(float)
    fig.add_scatter(x=labels, y=rates.tolist(), name="Tỷ lệ đúng hạn", yaxis="y2",
                    mode="lines+markers", line={"color": RATE_LINE_COLOR, "width": 3},
                    marker={"size": 9}, customdata=[[m, "counted"] for m in months],
                    text=_rate_texts(rates),
                    hovertemplate="%{x}<br>Tỷ lệ đúng hạn: %{text}<extra></extra>")
    fig.update_layout(
        barmode="stack",
        yaxis={"title": "Số nhiệm vụ", "tickformat": ",d"},
        yaxis2={"title": "Tỷ lệ đúng hạn", "overlaying": "y", "side": "right",
                "range": [0, 1.05], "tickformat": ".0%", "showgrid": False,
                "tickmode": "linear", "tick0": 0, "dtick": 0.2},
        xaxis={"type": "category", "title": None},
    )
    _layout(fig, title, height)
    fig.update_layout(legend={"traceorder": "normal"})
    return fig


# --- departments --------------------------------------------------------------------

def _dept_role(name: str, role: str, outcome: str) -> list:
    return [name, None, outcome] if role == "lead" else [None, name, outcome]


def department_rate_figure(lead: pd.DataFrame, coord: pd.DataFrame, title: str | None = None,
                           height: int | None = None, names=None) -> go.Figure:
    """On-time rate per department as lead and as coordinator, side by side (bars).

    lead: columns name, on_time_rate, tasks (e.g. group_figures by lead_dept, renamed);
    coord: columns name, coord_on_time_rate, coord_tasks (coordinator_figures).
    `names`: every department to show (default: those in either frame); one without
    data in a role reads "chưa có số liệu" there, never an empty bar.
    customdata: DEPT_ROLE_FIELDS values, outcome "counted".
    """
    names = sorted(set(names if names is not None else set(lead["name"]).union(coord["name"])),
                   reverse=True)
    lead_idx, coord_idx = lead.set_index("name"), coord.set_index("name")
    fig = go.Figure()
    for role, frame, rate_col, count_col in (("lead", lead_idx, "on_time_rate", "tasks"),
                                             ("coord", coord_idx, "coord_on_time_rate",
                                              "coord_tasks")):
        rates = frame[rate_col].reindex(names).astype(float) if rate_col in frame else \
            pd.Series(np.nan, index=names)
        counts = frame[count_col].reindex(names).fillna(0).astype(int) if count_col in frame \
            else pd.Series(0, index=names)
        lengths, labels, colours = _rate_bars(rates, counts.gt(0))
        fig.add_bar(
            y=names, x=lengths, orientation="h", name=ROLE_LABELS[role],
            marker_color=ROLE_COLORS[role], text=labels,
            textposition=_label_places(lengths, 1.0), textangle=0,
            insidetextfont={"color": "white"}, outsidetextfont={"color": colours},
            insidetextanchor="end", cliponaxis=False,
            customdata=[_dept_role(n, role, "counted") + [format_number(c)]
                        for n, c in zip(names, counts)],
            hovertemplate="%{y} — " + ROLE_LABELS[role]
            + "<br>Tỷ lệ đúng hạn: %{text}<br>Số nhiệm vụ: %{customdata[3]}<extra></extra>")
    fig.update_layout(barmode="group",
                      xaxis={"tickformat": ".0%", "range": [0, 1.18], "title": "Tỷ lệ đúng hạn",
                             "tickvals": [0, 0.25, 0.5, 0.75, 1]},
                      yaxis={"title": None, "automargin": True})
    return _lead_on_top(_layout(fig, title, height or max(260, 70 + 48 * len(names))))


def department_count_figure(lead: pd.DataFrame, coord: pd.DataFrame, title: str | None = None,
                            names=None) -> go.Figure:
    """Number of tasks per department as lead and as coordinator (bars); a department
    without tasks in a role reads "chưa có số liệu" there.
    customdata: DEPT_ROLE_FIELDS values, outcome "all" (every non-cancelled task)."""
    names = sorted(set(names if names is not None else set(lead["name"]).union(coord["name"])),
                   reverse=True)
    lead_idx, coord_idx = lead.set_index("name"), coord.set_index("name")
    fig = go.Figure()
    top = max([int(frame[col].max()) for frame, col in ((lead_idx, "tasks"),
                                                         (coord_idx, "coord_tasks"))
               if col in frame and len(frame)] or [1])
    for role, frame, col in (("lead", lead_idx, "tasks"), ("coord", coord_idx, "coord_tasks")):
        counts = frame[col].reindex(names).fillna(0).astype(int) if col in frame else \
            pd.Series(0, index=names)
        fig.add_bar(y=names, x=counts.tolist(), orientation="h", name=ROLE_LABELS[role],
                    marker_color=ROLE_COLORS[role],
                    text=[format_number(c) if c else NO_DATA_LABEL for c in counts],
                    outsidetextfont={"color": ["#263238" if c else NO_DATA_COLOR for c in counts]},
                    insidetextfont={"color": "white"}, insidetextanchor="end", textangle=0,
                    textposition=_label_places(counts.tolist(), top), cliponaxis=False,
                    customdata=[_dept_role(n, role, "all") for n in names],
                    hovertemplate="%{y} — " + ROLE_LABELS[role]
                    + ": %{text}<extra></extra>")
    fig.update_layout(barmode="group", xaxis={"title": "Số nhiệm vụ", "tickformat": ",d",
                                              "range": [0, max(top, 1) * 1.25]},
                      yaxis={"title": None, "automargin": True})
    return _lead_on_top(_layout(fig, title, max(260, 70 + 48 * len(names))))


def _lead_on_top(fig: go.Figure) -> go.Figure:
    """Horizontal grouped bars draw the first trace lowest: reverse the trace order
    (coordinator first) so "Chủ trì" sits on top, and keep it first in the legend."""
    fig.data = fig.data[::-1]
    fig.update_layout(legend={"traceorder": "reversed"})
    return fig


# --- services and other outcome breakdowns -----------------------------------------

def outcome_bars_figure(figures: pd.DataFrame, key: str, title: str | None = None,
                        labels: dict | None = None) -> go.Figure:
    """Stacked horizontal outcome bars per group (e.g. service type).

    `figures` = group_figures(by=key). customdata: (group value, outcome).
    """
    frame = figures.sort_values("tasks", ascending=True)
    groups = frame[key].astype("str").tolist()
    shown = [(labels or {}).get(g, g) for g in groups]
    fig = go.Figure()
    for outcome in STACKED_OUTCOMES:
        counts = frame[outcome].astype(int).tolist()
        fig.add_bar(y=shown, x=counts, orientation="h", name=OUTCOME_LABELS[outcome],
                    marker_color=OUTCOME_COLORS[outcome],
                    customdata=[[g, outcome] for g in groups],
                    hovertemplate="%{y}<br>" + OUTCOME_LABELS[outcome]
                    + ": %{x:,.0f}<extra></extra>")
    fig.update_layout(barmode="stack", xaxis={"title": "Số nhiệm vụ", "tickformat": ",d"},
                      yaxis={"title": None, "automargin": True})
    _layout(fig, title, max(260, 110 + 44 * len(groups)))
    fig.update_layout(legend={"traceorder": "normal"})
    return fig


def cross_single_figure(annotated_counts: pd.DataFrame, title: str | None = None) -> go.Figure:
    """On-time rate of tasks with vs without a coordinating department.

    `annotated_counts`: rows for cross_dept True/False with columns cross_dept,
    on_time, late, overdue, on_time_rate, tasks. customdata: (cross_dept "True"/"False",
    "counted").
    """
    labels = {True: "Có phối hợp liên phòng", False: "Một phòng thực hiện"}
    frame = annotated_counts.sort_values("cross_dept", ascending=False)
    names = [labels[bool(v)] for v in frame["cross_dept"]]
    lengths, texts, colours = _rate_bars(frame["on_time_rate"], frame["tasks"].gt(0))
    fig = go.Figure(go.Bar(
        x=names, y=lengths, text=texts, textposition=_label_places(lengths, 1.0), textangle=0,
        cliponaxis=False, insidetextfont={"color": "white"}, outsidetextfont={"color": colours},
        marker_color=["#8E24AA" if bool(v) else "#1565C0" for v in frame["cross_dept"]],
        customdata=[[str(bool(v)), "counted", format_number(n)]
                    for v, n in zip(frame["cross_dept"], frame["counted"])],
        hovertemplate="%{x}<br>Tỷ lệ đúng hạn: %{text}<br>"
                      "Số nhiệm vụ tính tỷ lệ: %{customdata[2]}<extra></extra>"))
    fig.update_layout(yaxis={"tickformat": ".0%", "range": [0, 1.15], "title": "Tỷ lệ đúng hạn",
                             "tickvals": [0, 0.25, 0.5, 0.75, 1]},
                      xaxis={"title": None})
    return _layout(fig, title, 320, legend=False)


# --- reporting ---------------------------------------------------------------------------

SUBMISSION_COLORS = {"on_time": "#A5D6A7", "late": "#FFE082", "missing": "#EF9A9A",
                     "not_due": "#ECEFF1"}


def submission_figure(cells: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Department (rows) × reporting month (columns), one square per log: colour = its
    state, text = the state and the day it came. `cells` columns: department, month,
    state (on_time | late | missing | not_due), text, hover. customdata: (department,
    month) for the page's drill-down to the upload history."""
    departments = list(dict.fromkeys(cells["department"]))
    months = sorted(cells["month"].unique())
    labels = {m: format_month(m) for m in months}
    fig = go.Figure()
    for state, colour in SUBMISSION_COLORS.items():
        part = cells[cells["state"] == state]
        if part.empty:
            continue
        fig.add_scatter(
            x=[labels[m] for m in part["month"]], y=part["department"].tolist(),
            mode="markers+text", text=part["text"].tolist(),
            textfont={"size": 10, "color": "#263238"}, showlegend=False,
            marker={"symbol": "square", "size": 58, "color": colour,
                    "line": {"width": 1, "color": "white"}},
            customdata=[[d, m, h] for d, m, h in zip(part["department"], part["month"],
                                                      part["hover"])],
            hovertemplate="%{customdata[2]}<extra>Bấm để xem lịch sử tải lên</extra>")
    fig.update_layout(
        xaxis={"title": "Tháng báo cáo", "side": "top", "type": "category",
               "categoryorder": "array", "categoryarray": [labels[m] for m in months],
               "showgrid": False, "range": [-0.6, len(months) - 0.4]},
        yaxis={"title": None, "type": "category", "categoryorder": "array",
               "categoryarray": departments[::-1], "automargin": True, "showgrid": False,
               "range": [-0.6, len(departments) - 0.4]})
    _layout(fig, title, max(260, 110 + 66 * len(departments)), legend=False)
    fig.update_layout(margin={"t": 70})
    return fig


# --- coordination structure ---------------------------------------------------------

def wrap_label(text: str, width: int = 16) -> str:
    """Break a long name into lines of about `width` characters (plotly `<br>`)."""
    return "<br>".join(wrapped_lines(text, width))


MATRIX_FIELDS = ("lead_dept", "coord_depts_effective", "outcome")
MATRIX_COLORSCALE = [[0, "#EF9A9A"], [0.5, "#FFF59D"], [0.8, "#C5E1A5"], [1, "#81C784"]]


def matrix_figure(matrix: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Lead (rows) × coordinating department (columns), one square per pair that works
    together: colour = on-time rate, text = number of tasks and rate.

    A scatter of square markers rather than a heatmap: a heatmap emits no selection
    event, a marker does, so clicking a cell opens its tasks. customdata: MATRIX_FIELDS
    values (lead, coordinator, "all")."""
    leads = sorted(matrix["lead_dept"].unique())
    coords = sorted(matrix["coord_dept"].unique())
    x_labels = {c: wrap_label(c, 14) for c in coords}
    fig = go.Figure()
    rated = matrix["on_time_rate"].notna()
    for part, coloured in ((matrix[rated], True), (matrix[~rated], False)):
        if part.empty:
            continue
        texts = [f"<b>{format_number(n)}</b><br>{format_percent(r) if coloured else '—'}"
                 for n, r in zip(part["tasks"], part["on_time_rate"])]
        marker = {"symbol": "square", "size": 64, "line": {"width": 1, "color": "white"}}
        if coloured:
            marker.update(color=part["on_time_rate"].astype(float).tolist(), cmin=0, cmax=1,
                          colorscale=MATRIX_COLORSCALE,
                          colorbar={"title": {"text": "Tỷ lệ đúng hạn", "side": "right"},
                                    "tickformat": ".0%", "thickness": 14})
        else:
            marker.update(color="#ECEFF1")
        fig.add_scatter(
            x=[x_labels[c] for c in part["coord_dept"]], y=part["lead_dept"].tolist(),
            mode="markers+text", text=texts, textfont={"size": 13, "color": "#263238"},
            marker=marker, showlegend=False,
            customdata=[[lead, coord, "all", format_number(n),
                         format_percent(r) if coloured else NO_RATE_LABEL]
                        for lead, coord, n, r in zip(part["lead_dept"], part["coord_dept"],
                                                     part["tasks"], part["on_time_rate"])],
            hovertemplate="Chủ trì: %{customdata[0]}<br>Phối hợp: %{customdata[1]}<br>"
                          "Số nhiệm vụ: %{customdata[3]}<br>Tỷ lệ đúng hạn: %{customdata[4]}"
                          "<extra>Bấm để xem nhiệm vụ</extra>")
    fig.update_layout(
        xaxis={"title": "Phòng phối hợp", "side": "top", "tickangle": 0, "showgrid": False,
               "type": "category", "categoryorder": "array",
               "categoryarray": [x_labels[c] for c in coords],
               "range": [-0.6, len(coords) - 0.4]},
        yaxis={"title": "Phòng chủ trì", "type": "category", "categoryorder": "array",
               "categoryarray": leads[::-1], "automargin": True, "showgrid": False,
               "range": [-0.6, len(leads) - 0.4]})
    _layout(fig, title, max(340, 140 + 76 * len(leads)), legend=False)
    fig.update_layout(margin={"t": 90})
    return fig


def network_figure(matrix: pd.DataFrame, node_tasks: pd.Series, title: str | None = None
                   ) -> go.Figure:
    """Who works with whom: departments on a circle (size = tasks led), a line per pair
    (width = tasks together, both directions summed). Node customdata: (department,)."""
    names = sorted(set(node_tasks.index.astype("str")) | set(matrix["lead_dept"])
                   | set(matrix["coord_dept"]))
    n = max(len(names), 1)
    angle = {name: 2 * math.pi * i / n + math.pi / 2 for i, name in enumerate(names)}
    pos = {name: (math.cos(a), math.sin(a)) for name, a in angle.items()}
    fig = go.Figure()
    if len(matrix):
        undirected = matrix.assign(
            a=np.minimum(matrix["lead_dept"], matrix["coord_dept"]),
            b=np.maximum(matrix["lead_dept"], matrix["coord_dept"]),
        ).groupby(["a", "b"], as_index=False)["tasks"].sum()
        widest = max(int(undirected["tasks"].max()), 1)
        for row in undirected.itertuples(index=False):
            (x0, y0), (x1, y1) = pos[row.a], pos[row.b]
            fig.add_scatter(x=[x0, x1], y=[y0, y1], mode="lines", showlegend=False,
                            line={"width": 1 + 9 * row.tasks / widest, "color": "#90A4AE"},
                            opacity=0.75, hoverinfo="skip")
        mid_x = [(pos[a][0] + pos[b][0]) / 2 for a, b in zip(undirected["a"], undirected["b"])]
        mid_y = [(pos[a][1] + pos[b][1]) / 2 for a, b in zip(undirected["a"], undirected["b"])]
        fig.add_scatter(x=mid_x, y=mid_y, mode="markers", showlegend=False,
                        marker={"size": 6, "color": "#90A4AE"},
                        text=[f"{a} — {b}: {format_number(t)} nhiệm vụ"
                              for a, b, t in undirected.itertuples(index=False)],
                        hovertemplate="%{text}<extra></extra>")
    sizes = node_tasks.reindex(names).fillna(0).astype(float)
    biggest = max(float(sizes.max()) if len(sizes) else 1.0, 1.0)
    fig.add_scatter(
        x=[pos[name][0] for name in names], y=[pos[name][1] for name in names],
        mode="markers+text", text=[wrap_label(n, 18) for n in names], showlegend=False,
        textposition=["top center" if pos[n][1] >= -0.05 else "bottom center" for n in names],
        marker={"size": (18 + 42 * np.sqrt(sizes / biggest)).tolist(), "color": "#1565C0",
                "line": {"width": 2, "color": "white"}},
        customdata=[[name, format_number(s), "all"] for name, s in zip(names, sizes)],
        hovertemplate="%{customdata[0]}<br>Chủ trì: %{customdata[1]} nhiệm vụ<extra></extra>")
    fig.update_xaxes(visible=False, range=[-1.7, 1.7])
    fig.update_yaxes(visible=False, range=[-1.55, 1.55], scaleanchor="x")
    return _layout(fig, title, 460, legend=False)


def ranked_bar_figure(frame: pd.DataFrame, label: str, value: str, title: str | None = None,
                      rate: bool = False, color: str = "#1565C0", top: int = 25,
                      hover_label: str = "", extra: tuple = (), ascending: bool = False,
                      keep_missing: bool = False, order_by: str | None = None,
                      counts: tuple[str, str] | None = None) -> go.Figure:
    """Horizontal bars of one figure per department or person, best first (or
    `ascending`), the `top` first only. A 0 % rate is a short visible bar with its label;
    with `keep_missing`, names without a value are listed last, labelled "chưa có số
    liệu" (else left out). customdata: (label value, *extra).

    `order_by`: the column that ranks the bars (default `value`), e.g. the Wilson lower
    bound while the bars show the rate itself (SPEC §3.6). `counts` = (successes, total)
    columns: each bar's text becomes "85,3 % — 29/34"."""
    key = order_by or value
    ranked = frame.dropna(subset=[value, key]).sort_values(
        [key, label], ascending=[ascending, True]).head(top)
    if keep_missing:
        ranked = pd.concat([ranked, frame[frame[value].isna()]], ignore_index=True)
    ranked = ranked.iloc[::-1]
    values = ranked[value].astype(float)
    if rate:
        lengths, texts, colours = _rate_bars(values, pd.Series(False, index=values.index))
    else:
        lengths = values.fillna(0).tolist()
        texts = [NO_DATA_LABEL if np.isnan(v) else format_number(v) for v in values]
        colours = ["#263238" if not np.isnan(v) else NO_DATA_COLOR for v in values]
    if counts:
        texts = [text if np.isnan(v) else f"{text} — {format_number(k)}/{format_number(n)}"
                 for text, v, k, n in zip(texts, values, ranked[counts[0]], ranked[counts[1]])]
    fig = go.Figure(go.Bar(
        y=ranked[label].astype("str").tolist(), x=lengths, orientation="h",
        marker_color=color, text=texts, cliponaxis=False, textangle=0,
        textposition=_label_places(lengths, 1.0 if rate else max(max(lengths, default=1), 1)),
        insidetextfont={"color": "white"}, outsidetextfont={"color": colours},
        insidetextanchor="end",
        customdata=[[name, *extra] for name in ranked[label]],
        hovertemplate="%{y}<br>" + hover_label + ": %{text}<extra></extra>"))
    widest = float(values.max()) if values.notna().any() else 1.0
    fig.update_layout(xaxis={"tickformat": ".0%" if rate else ",d",
                             "range": [0, 1.18] if rate else [0, max(widest, 1.0) * 1.2],
                             **({"tickvals": [0, 0.25, 0.5, 0.75, 1]} if rate else {})},
                      yaxis={"title": None, "automargin": True})
    return _layout(fig, title, max(240, 80 + 26 * len(ranked)), legend=False)


def rate_vs_load_figure(frame: pd.DataFrame, title: str | None = None) -> go.Figure:
    """On-time rate (as lead) against coordination load, one point per person.
    `frame` columns: person, assignments, on_time_rate, tasks.
    customdata: (person, "counted") for fields ("lead_person", "outcome")."""
    frame = frame.dropna(subset=["on_time_rate"])
    sizes = frame["tasks"].astype(float)
    fig = go.Figure(go.Scatter(
        x=frame["assignments"].tolist(), y=frame["on_time_rate"].astype(float).tolist(),
        mode="markers", marker={"size": (8 + 4 * np.sqrt(sizes)).clip(8, 40).tolist(),
                                "color": "#1565C0", "opacity": 0.7,
                                "line": {"width": 1, "color": "white"}},
        customdata=[[p, "counted", format_percent(r), format_number(t)] for p, r, t in
                    zip(frame["person"], frame["on_time_rate"], frame["tasks"])],
        hovertemplate="%{customdata[0]}<br>Lượt phối hợp: %{x:,.0f}<br>"
                      "Tỷ lệ đúng hạn (chủ trì): %{customdata[2]}<br>"
                      "Nhiệm vụ chủ trì: %{customdata[3]}<extra></extra>"))
    fig.update_layout(xaxis={"title": "Lượt phối hợp (tải phối hợp)", "tickformat": ",d"},
                      yaxis={"title": "Tỷ lệ đúng hạn khi chủ trì", "tickformat": ".0%",
                             "range": [-0.03, 1.05]})
    return _layout(fig, title, 400, legend=False)
