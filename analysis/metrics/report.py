"""The JSON of `python -m analysis metrics` (SPEC §5), built from the figure families."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analysis.metrics.coordinators import coordination_pairs, coordinator_figures
from analysis.metrics.groups import COUNT_COLUMNS, FIGURE_COLUMNS, group_figures
from analysis.metrics.outcomes import annotate, as_timestamp, data_period, select_period
from analysis.metrics.structure import coordination_load, cross_vs_single, gini, matrix
from analysis.metrics.trends import monthly_trend

PERSON_FIGURES = tuple(c for c in FIGURE_COLUMNS if c != "cross_dept_share")
COORD_FIGURES = ("coord_tasks", "coord_on_time_rate")
MATRIX_KEYS = ("lead_dept", "coord_dept", "tasks", "on_time_rate")


def compute_report(tasks: pd.DataFrame, as_of: date, from_month: str | None = None,
                   to_month: str | None = None,
                   contributions: pd.DataFrame | None = None) -> dict[str, Any]:
    """SPEC §5 metrics JSON as a dict (JSON-ready: rates unrounded, null never NaN).

    Keys of the contract: as_of, period {from, to}, overall, departments, people, matrix.
    Without from/to the period bound is the first/last month in the data.
    Departments/people are listed (sorted by name) when they lead or coordinate at
    least one non-cancelled task of the period. Extra keys for the dashboard:
    "coordinators" {"departments", "people"}: every coordinator figure (contribution
    counts, response days, ratings when the "Phối hợp" sheet is used);
    "coord_load" [{person, assignments}], "coord_load_gini"; "monthly" (monthly_trend rows).
    """
    as_of_ts = as_timestamp(as_of)
    annotated = annotate(tasks, as_of_ts, contributions)
    first, last = data_period(annotated)
    period_from, period_to = from_month or first, to_month or last
    selected = select_period(annotated, from_month, to_month)

    # Only what coordinator_figures, matrix and coordination_load read of the pairs.
    dept_pairs = coordination_pairs(selected, contributions, "dept", ("lead_dept", "outcome"))
    person_pairs = coordination_pairs(selected, contributions, "person", ("outcome",))
    departments, dept_coord = member_figures(selected, contributions, as_of_ts, "dept",
                                             dept_pairs)
    people, person_coord = member_figures(selected, contributions, as_of_ts, "person",
                                          person_pairs)
    load = coordination_load(selected, contributions, person_pairs)
    overall = _records(group_figures(selected))[0]
    overall.update(cross_vs_single(selected))
    return {
        "as_of": as_of_ts.date().isoformat(),
        "period": {"from": period_from, "to": period_to},
        "overall": overall,
        "departments": _records(departments, ("name", *FIGURE_COLUMNS, *COORD_FIGURES)),
        "people": _records(people, ("name", *PERSON_FIGURES, *COORD_FIGURES)),
        "matrix": _records(matrix(selected, dept_pairs), MATRIX_KEYS),
        "coordinators": {"departments": _records(dept_coord), "people": _records(person_coord)},
        "coord_load": _records(load),
        "coord_load_gini": gini(load["assignments"]),
        "monthly": _records(monthly_trend(selected, from_month, to_month)),
    }


def member_figures(selected: pd.DataFrame, contributions, as_of, role: str,
                   pairs: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(members, coordinators): §3.3 lead figures joined with §3.4 coordinator figures
    (columns name, FIGURE_COLUMNS, coord_tasks, coord_on_time_rate; sorted by name) for
    everyone who leads or coordinates a non-cancelled task of `selected` (the §5
    "departments"/"people" entries), and every coordinator figure of coordinator_figures.
    `pairs`: coordination_pairs(selected, contributions, role) when already computed."""
    as_of_ts = as_timestamp(as_of)
    if pairs is None:
        pairs = coordination_pairs(selected, contributions, role,
                                   ("lead_dept", "outcome") if role == "dept" else ("outcome",))
    lead_column = "lead_dept" if role == "dept" else "lead_person"
    lead = group_figures(selected, by=lead_column).rename(columns={lead_column: "name"})
    coord = coordinator_figures(selected, contributions, as_of_ts, role, pairs)
    listed = pd.Index(lead.loc[lead["tasks"] > 0, "name"]).union(
        pd.Index(coord.loc[coord["coord_tasks"] > 0, "name"]))
    members = (pd.DataFrame({"name": listed.astype("str")})
               .merge(lead, on="name", how="left")
               .merge(coord[["name", *COORD_FIGURES]], on="name", how="left"))
    members[list(COUNT_COLUMNS)] = members[list(COUNT_COLUMNS)].fillna(0).astype("int64")
    members["coord_tasks"] = members["coord_tasks"].fillna(0).astype("int64")
    return members.sort_values("name", ignore_index=True), coord


def _records(frame: pd.DataFrame, keys=None) -> list[dict[str, Any]]:
    columns = list(keys) if keys is not None else list(frame.columns)
    return [json_ready(dict(zip(columns, values)))
            for values in frame[columns].itertuples(index=False, name=None)]


def json_ready(value):
    """Plain JSON values: NaN/NaT/NA → None, numpy scalars → Python, tuples → lists."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_ready(v) for v in value]
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value
