"""Coordination structure (SPEC §3.5): the lead × coordinator department matrix,
cross- vs single-department on-time rates, and the coordination load per person
with its Gini coefficient."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.metrics.coordinators import coordination_pairs
from analysis.metrics.groups import on_time_rate
from analysis.metrics.outcomes import CANCELLED, LATE, ON_TIME, OVERDUE

MATRIX_COLUMNS = ("lead_dept", "coord_dept", "tasks", "on_time", "late", "overdue",
                  "on_time_rate")


def matrix(annotated: pd.DataFrame, pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (lead_dept, coord_dept ≠ lead_dept) over non-cancelled tasks (§3.5).

    Coordinating departments are the tasks' `coord_depts_effective`. Columns:
    lead_dept, coord_dept, tasks, on_time, late, overdue (int), on_time_rate
    (float, NaN when no counted task). Sorted by lead_dept, coord_dept.
    `pairs`: coordination_pairs(annotated, role="dept") when the caller already has it.
    """
    if pairs is None:
        pairs = coordination_pairs(annotated, None, "dept")
    outcome = pairs["outcome"]
    # Counts per (lead, coordinator) with bincount: a two-key pandas groupby costs ~10x more.
    lead_codes, leads = pd.factorize(pairs["lead_dept"], sort=True)  # missing: -1, dropped
    name_codes, names = pd.factorize(pairs["name"], sort=True)
    keep = (lead_codes >= 0) & (name_codes >= 0)
    cells, cell_codes = np.unique(lead_codes[keep] * len(names) + name_codes[keep],
                                  return_inverse=True)  # sorted: by lead, then coordinator

    def per_cell(outcome_name=None):
        weights = None if outcome_name is None else outcome.eq(outcome_name).to_numpy()[keep]
        return np.bincount(cell_codes, weights=weights, minlength=len(cells)).astype("int64")

    result = pd.DataFrame({
        "lead_dept": leads.take(cells // max(len(names), 1)),
        "coord_dept": names.take(cells % max(len(names), 1)),
        "tasks": per_cell(), "on_time": per_cell(ON_TIME), "late": per_cell(LATE),
        "overdue": per_cell(OVERDUE)})
    result["on_time_rate"] = on_time_rate(result["on_time"], result["late"], result["overdue"])
    return result[list(MATRIX_COLUMNS)]


def cross_single_counts(annotated: pd.DataFrame) -> pd.DataFrame:
    """Tasks with and without a coordinating department (§3.5), one row each (True first):
    cross_dept (bool), tasks (not cancelled), on_time, late, overdue, counted (int),
    on_time_rate (float, NaN when nothing is counted). Both rows are always there."""
    live = annotated[["outcome", "cross_dept"]][annotated["outcome"].ne(CANCELLED).to_numpy()]
    cross = live["cross_dept"].astype(bool).to_numpy()
    outcome = live["outcome"]
    rows = []
    for flag, members in ((True, cross), (False, ~cross)):
        group = outcome[members]
        counts = {name: int(group.eq(name).sum()) for name in (ON_TIME, LATE, OVERDUE)}
        rows.append({"cross_dept": flag, "tasks": int(members.sum()), **counts,
                     "counted": sum(counts.values())})
    frame = pd.DataFrame(rows)
    frame["on_time_rate"] = on_time_rate(frame[ON_TIME], frame[LATE], frame[OVERDUE])
    return frame


def cross_vs_single(annotated: pd.DataFrame) -> dict[str, float | None]:
    """On-time rate of tasks with and without a coordinating department (§3.5).

    Returns {"cross_dept_on_time_rate": float|None, "single_dept_on_time_rate": float|None};
    None when the group has no on-time/late/overdue task.
    """
    rates = cross_single_counts(annotated).set_index("cross_dept")["on_time_rate"]
    return {key: None if np.isnan(rates[flag]) else float(rates[flag])
            for key, flag in (("cross_dept_on_time_rate", True),
                              ("single_dept_on_time_rate", False))}


def coordination_load(annotated: pd.DataFrame, contributions: pd.DataFrame | None = None,
                      pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Coordination assignments per person over non-cancelled tasks (§3.5 workload).

    An assignment is one (task, coordinating person) pair, the task's lead excluded.
    People who lead a non-cancelled task but coordinate none are listed with 0, so
    the Gini coefficient sees who carries no coordination at all.
    Columns: person, assignments (int). Sorted by assignments descending, then person.
    `pairs`: coordination_pairs(annotated, contributions, "person") if already computed.
    """
    if pairs is None:
        pairs = coordination_pairs(annotated, contributions, "person")
    counts = pairs["name"].value_counts()
    leads = annotated.loc[annotated["outcome"].ne(CANCELLED), "lead_person"].dropna().unique()
    counts = counts.reindex(counts.index.union(pd.Index(leads, dtype=counts.index.dtype)),
                            fill_value=0)
    load = pd.DataFrame({"person": counts.index.astype("str"),
                         "assignments": counts.to_numpy(dtype="int64")})
    return load.sort_values(["assignments", "person"], ascending=[False, True],
                            ignore_index=True)


def gini(values) -> float | None:
    """Gini coefficient: sum over all pairs |x_i - x_j| / (2 n^2 mean).

    Computed with the equivalent sorted form (2 Σ i·x_(i)) / (n Σ x) − (n + 1) / n,
    i = 1..n over ascending values. 0 = perfectly even; (n−1)/n = one person carries all.
    [1, 1, 1, 1] → 0.0; [0, 0, 0, 4] → 0.75. None when there are no values or all are 0.
    """
    x = np.sort(np.asarray(values, dtype=float))
    n, total = len(x), float(x.sum()) if len(x) else 0.0
    if n == 0 or total <= 0:
        return None
    ranks = np.arange(1, n + 1)
    return float(2.0 * np.sum(ranks * x) / (n * total) - (n + 1) / n)
