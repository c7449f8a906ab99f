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

from analysis.formatting import OUTCOME_LABELS, format_month, format_number, format_percent

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


def empty_figure(message: str, height: int = 200) -> go.Figure:
    """A blank figure with a centred message (no data for the filters)."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 14, "color": "#607D8B"},
                       xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, height=height, legend=False)


# --- trend -----------------------------------------------------------------------------

def trend_figure(trend: pd.DataFrame, title: str | None = None, height: int = 380) -> go.Figure:
    """Monthly trend: stacked outcome bars (left axis) and the on-time rate line (right).

    `trend` = `analysis.metrics.monthly_trend` rows. Bars carry customdata
    (month, outcome); line points (month, "counted").
    """
    fig = go.Figure()
    months = trend["month"].astype("str").tolist()
    labels = [format_month(m) for m in months]
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
                           height: int | None = None) -> go.Figure:
    """On-time rate per department as lead and as coordinator, side by side (bars).

    lead: columns name, on_time_rate, tasks (e.g. group_figures by lead_dept, renamed);
    coord: columns name, coord_on_time_rate, coord_tasks (coordinator_figures).
    customdata: DEPT_ROLE_FIELDS values, outcome "counted".
    """
    names = sorted(set(lead["name"]).union(coord["name"]), reverse=True)
    lead_idx, coord_idx = lead.set_index("name"), coord.set_index("name")
    fig = go.Figure()
    for role, frame, rate_col, count_col in (("lead", lead_idx, "on_time_rate", "tasks"),
                                             ("coord", coord_idx, "coord_on_time_rate",
                                              "coord_tasks")):
        rates = frame[rate_col].reindex(names).astype(float)
        counts = frame[count_col].reindex(names).fillna(0).astype(int)
        fig.add_bar(
            y=names, x=rates.tolist(), orientation="h", name=ROLE_LABELS[role],
            marker_color=ROLE_COLORS[role], text=_rate_texts(rates), textposition="auto",
            customdata=[_dept_role(n, role, "counted") + [format_number(c)]
                        for n, c in zip(names, counts)],
            hovertemplate="%{y} — " + ROLE_LABELS[role]
            + "<br>Tỷ lệ đúng hạn: %{text}<br>Số nhiệm vụ: %{customdata[3]}<extra></extra>")
    fig.update_layout(barmode="group",
                      xaxis={"tickformat": ".0%", "range": [0, 1.05], "title": "Tỷ lệ đúng hạn"},
                      yaxis={"title": None, "automargin": True})
    return _lead_on_top(_layout(fig, title, height or max(260, 70 + 48 * len(names))))


def department_count_figure(lead: pd.DataFrame, coord: pd.DataFrame, title: str | None = None
                            ) -> go.Figure:
    """Number of tasks per department as lead and as coordinator (bars).
    customdata: DEPT_ROLE_FIELDS values, outcome "all" (every non-cancelled task)."""
    names = sorted(set(lead["name"]).union(coord["name"]), reverse=True)
    lead_idx, coord_idx = lead.set_index("name"), coord.set_index("name")
    fig = go.Figure()
    for role, frame, col in (("lead", lead_idx, "tasks"), ("coord", coord_idx, "coord_tasks")):
        counts = frame[col].reindex(names).fillna(0).astype(int)
        fig.add_bar(y=names, x=counts.tolist(), orientation="h", name=ROLE_LABELS[role],
                    marker_color=ROLE_COLORS[role], text=[format_number(c) for c in counts],
                    textposition="auto", customdata=[_dept_role(n, role, "all") for n in names],
                    hovertemplate="%{y} — " + ROLE_LABELS[role]
                    + ": %{x:,.0f} nhiệm vụ<extra></extra>")
    fig.update_layout(barmode="group", xaxis={"title": "Số nhiệm vụ", "tickformat": ",d"},
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
    rates = frame["on_time_rate"].astype(float)
    fig = go.Figure(go.Bar(
        x=names, y=rates.tolist(), text=_rate_texts(rates), textposition="auto",
        marker_color=["#8E24AA" if bool(v) else "#1565C0" for v in frame["cross_dept"]],
        customdata=[[str(bool(v)), "counted", format_number(n)]
                    for v, n in zip(frame["cross_dept"], frame["counted"])],
        hovertemplate="%{x}<br>Tỷ lệ đúng hạn: %{text}<br>"
                      "Số nhiệm vụ tính tỷ lệ: %{customdata[2]}<extra></extra>"))
    fig.update_layout(yaxis={"tickformat": ".0%", "range": [0, 1.05], "title": "Tỷ lệ đúng hạn"},
                      xaxis={"title": None})
    return _layout(fig, title, 320, legend=False)


# --- coordination structure ---------------------------------------------------------

def wrap_label(text: str, width: int = 16) -> str:
    """Break a long name into lines of about `width` characters (plotly `<br>`)."""
    lines, line = [], ""
    for word in str(text).split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def matrix_heatmap(matrix: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Lead (rows) × coordinating department (columns): colour = on-time rate,
    text = number of tasks and rate. Heatmaps emit no selection: pair it with a picker."""
    leads = sorted(matrix["lead_dept"].unique())
    coords = sorted(matrix["coord_dept"].unique())
    rate = matrix.pivot(index="lead_dept", columns="coord_dept", values="on_time_rate")
    count = matrix.pivot(index="lead_dept", columns="coord_dept", values="tasks")
    rate = rate.reindex(index=leads, columns=coords)
    count = count.reindex(index=leads, columns=coords)
    text = [[("" if pd.isna(count.iat[i, j]) else
              f"<b>{format_number(count.iat[i, j])}</b> NV<br>{format_percent(rate.iat[i, j])}")
             for j in range(len(coords))] for i in range(len(leads))]
    fig = go.Figure(go.Heatmap(
        z=rate.to_numpy(dtype=float), x=[wrap_label(c, 14) for c in coords],
        y=leads, text=text, texttemplate="%{text}",
        textfont={"size": 13}, zmin=0, zmax=1, xgap=3, ygap=3,
        customdata=[[[lead, coord] for coord in coords] for lead in leads],
        colorscale=[[0, "#EF9A9A"], [0.5, "#FFF59D"], [0.8, "#C5E1A5"], [1, "#81C784"]],
        colorbar={"title": {"text": "Tỷ lệ đúng hạn", "side": "right"}, "tickformat": ".0%",
                  "thickness": 14},
        hovertemplate="Chủ trì: %{customdata[0]}<br>Phối hợp: %{customdata[1]}<br>"
                      "%{text}<extra></extra>"))
    fig.update_layout(xaxis={"title": "Phòng phối hợp", "side": "top", "tickangle": 0,
                             "showgrid": False},
                      yaxis={"title": "Phòng chủ trì", "autorange": "reversed",
                             "automargin": True, "showgrid": False})
    _layout(fig, title, max(340, 150 + 62 * len(leads)), legend=False)
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
                      hover_label: str = "", extra: tuple = (), ascending: bool = False
                      ) -> go.Figure:
    """Horizontal bars of one figure per department or person, best first (or
    `ascending`), the `top` first only. customdata: (label value, *extra)."""
    frame = frame.dropna(subset=[value]).sort_values(value, ascending=ascending).head(top)
    frame = frame.iloc[::-1]
    values = frame[value].astype(float)
    texts = _rate_texts(values) if rate else [format_number(v) for v in values]
    fig = go.Figure(go.Bar(
        y=frame[label].astype("str").tolist(), x=values.tolist(), orientation="h",
        marker_color=color, text=texts, textposition="auto",
        customdata=[[name, *extra] for name in frame[label]],
        hovertemplate="%{y}<br>" + hover_label + ": %{text}<extra></extra>"))
    fig.update_layout(xaxis={"tickformat": ".0%" if rate else ",d",
                             "range": [0, 1.05] if rate else None},
                      yaxis={"title": None, "automargin": True})
    return _layout(fig, title, max(240, 80 + 26 * len(frame)), legend=False)


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
