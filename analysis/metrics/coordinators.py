"""Coordinator figures (SPEC §3.4): who coordinates which task, how many tasks,
on-time rate as coordinator, and which contributions made a task late."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from analysis.fields import CONTRIBUTION_RATINGS
from analysis.metrics.groups import on_time_rate, safe_rate
from analysis.metrics.outcomes import (
    CANCELLED,
    LATE,
    ON_TIME,
    OVERDUE,
    ROLE_COLUMNS,
    as_timestamp,
    explode_lists,
    named_pairs,
)
from analysis.model import task_positions

# Contribution outcomes (§3.4); "pending" is neither delivered nor past its deadline.
C_ON_TIME, C_LATE, C_PAST_DUE, C_PENDING = "on_time", "late", "past_due", "pending"
RATING_COLUMNS = {"Tốt": "rating_good", "Đạt": "rating_pass", "Chưa đạt": "rating_fail"}
assert tuple(RATING_COLUMNS) == CONTRIBUTION_RATINGS

PAIR_TASK_COLUMNS = ("task_id", "lead_dept", "lead_person", "outcome", "month", "due_date")


def has_contributions(contributions: pd.DataFrame | None) -> bool:
    """Whether the "Phối hợp" sheet is the source of coordinator rates (§3.4).

    The template ships an empty "Phối hợp" sheet, so a sheet with no rows counts
    as absent: otherwise every coordinator rate of an ordinary upload would be null.
    """
    return contributions is not None and len(contributions) > 0


def coordination_pairs(annotated: pd.DataFrame, contributions: pd.DataFrame | None = None,
                       role: str = "dept", task_columns: tuple[str, ...] = PAIR_TASK_COLUMNS
                       ) -> pd.DataFrame:
    """Who coordinates which non-cancelled task: one row per (task, coordinator).

    Coordinators are the task's `coord_*_effective` (its columns and, if annotate() got
    them, the sheet's names) plus any name `contributions` gives for it; the task's own
    lead is never its coordinator. Columns: name, then `task_columns` of the task
    (PAIR_TASK_COLUMNS; a caller that needs fewer saves copying the others).
    """
    list_column = ROLE_COLUMNS[role][0]
    columns = list(dict.fromkeys([*task_columns, "task_id", "outcome", ROLE_COLUMNS[role][1],
                                  f"{list_column}_effective"]))
    live = annotated[columns][annotated["outcome"].ne(CANCELLED).to_numpy()]
    effective = live[f"{list_column}_effective"]
    if has_contributions(contributions):  # names the sheet adds, if annotate() did not get it
        view = live[["task_id", ROLE_COLUMNS[role][1]]].assign(**{list_column: effective})
        pairs = named_pairs(view, role, contributions)
        pairs = pairs[~(pairs["is_lead"] | pairs["duplicate"]).to_numpy()]
        pos, names = pairs["pos"].to_numpy(), pairs["name"].to_numpy(dtype=object)
    else:  # the effective tuples already leave out the lead and repeats
        pos, names = explode_lists(effective)
    tasks = live[list(task_columns)].take(pos).reset_index(drop=True)
    tasks.insert(0, "name", pd.Series(names, dtype="str"))
    return tasks


def contribution_outcomes(annotated: pd.DataFrame, contributions: pd.DataFrame | None,
                          as_of: date, role: str | None = None) -> pd.DataFrame:
    """The contributions that count (§3.4), each with its outcome.

    Kept: rows whose task is in `annotated`, not cancelled, with a deadline
    (`contrib_due_date`, else the task's due_date). With role="dept"/"person": rows
    naming a department/person that is not the task's own lead dept/person. With
    role=None: rows naming anyone other than the task's lead (both roles).
    Added columns: deadline, delivered (delivered_date if <= as_of, else NaT),
    contribution_outcome (on_time/late/past_due/pending), response_days
    (delivered - the task's assigned_date, in days; NaN when not delivered),
    task_outcome, task_lead_dept, task_lead_person, task_assigned_date.
    """
    if not has_contributions(contributions):
        return pd.DataFrame(columns=["task_id", "coord_dept", "coord_person", "deadline",
                                     "delivered", "contribution_outcome", "response_days",
                                     "rating", "task_outcome", "task_lead_dept",
                                     "task_lead_person"])
    as_of_ts = as_timestamp(as_of)
    # Each row's task (the last one with its id) by a hash lookup, not a merge on text.
    at = task_positions(annotated["task_id"], contributions["task_id"])
    known = ~np.isnan(at)
    task_info = (annotated[["outcome", "lead_dept", "lead_person", "due_date", "assigned_date"]]
                 .take(at[known].astype(np.int64))
                 .rename(columns={"outcome": "task_outcome", "lead_dept": "task_lead_dept",
                                  "lead_person": "task_lead_person", "due_date": "task_due_date",
                                  "assigned_date": "task_assigned_date"})
                 .reset_index(drop=True))
    rows = pd.concat([contributions[known].reset_index(drop=True), task_info], axis=1)
    rows = rows[rows["task_outcome"].ne(CANCELLED)]
    dept_ok = rows["coord_dept"].notna() & rows["coord_dept"].ne(rows["task_lead_dept"]).fillna(True)
    person_ok = (rows["coord_person"].notna()
                 & rows["coord_person"].ne(rows["task_lead_person"]).fillna(True))
    if role == "dept":
        rows = rows[dept_ok]
    elif role == "person":
        rows = rows[person_ok]
    else:
        rows = rows[(dept_ok | rows["coord_dept"].isna()) & (person_ok | rows["coord_person"].isna())
                    & (rows["coord_dept"].notna() | rows["coord_person"].notna())]
    deadline = rows["contrib_due_date"].fillna(rows["task_due_date"])
    rows = rows.assign(deadline=deadline)[deadline.notna()]
    delivered = rows["delivered_date"].where(rows["delivered_date"] <= as_of_ts)
    outcome = np.select(
        [delivered.notna() & (delivered <= rows["deadline"]), delivered.notna(),
         rows["deadline"] < as_of_ts],
        [C_ON_TIME, C_LATE, C_PAST_DUE], default=C_PENDING)
    return rows.assign(
        delivered=delivered,
        contribution_outcome=pd.Series(outcome, index=rows.index, dtype="str"),
        response_days=(delivered - rows["task_assigned_date"]).dt.days.astype(float),
    ).reset_index(drop=True)


def coordinator_figures(annotated: pd.DataFrame, contributions: pd.DataFrame | None,
                        as_of: date, role: str = "dept", pairs: pd.DataFrame | None = None
                        ) -> pd.DataFrame:
    """Figures of each department (role="dept") or person (role="person") as coordinator.

    `annotated` should already be the period's tasks (select_period). Columns:
      name, coord_tasks (distinct non-cancelled tasks coordinated, lead excluded),
      coord_on_time_rate: without contributions, the §3.3 rate of those tasks' outcomes;
        with contributions, on time / (on time + late + past due) of its contributions.
      With contributions only: contrib_on_time, contrib_late, contrib_past_due,
      contrib_pending (int), avg_response_days (mean of delivered - task assigned_date
      over delivered contributions), rating_good / rating_pass / rating_fail
      (counts of Tốt / Đạt / Chưa đạt).
    Sorted by name. `pairs`: coordination_pairs(annotated, contributions, role) when
    the caller already has it.
    """
    if pairs is None:
        pairs = coordination_pairs(annotated, contributions, role)
    outcome = pairs["outcome"]
    # Counts per name with bincount: a pandas groupby costs ~10x more on ~60 names.
    codes, names = pd.factorize(pairs["name"], sort=True)  # missing name: -1, dropped
    keep = codes >= 0
    codes = codes[keep]

    def per_name_count(outcome_name=None):
        weights = None if outcome_name is None else outcome.eq(outcome_name).to_numpy()[keep]
        return np.bincount(codes, weights=weights, minlength=len(names))

    per_name = pd.DataFrame(
        {"coord_tasks": per_name_count(), "on_time": per_name_count(ON_TIME),
         "late": per_name_count(LATE), "overdue": per_name_count(OVERDUE)},
        index=pd.Index(names, name="name"))
    result = pd.DataFrame({"coord_tasks": per_name["coord_tasks"].astype("int64")},
                          index=per_name.index.rename("name"))
    if not has_contributions(contributions):
        result["coord_on_time_rate"] = on_time_rate(
            per_name["on_time"], per_name["late"], per_name["overdue"])
        return result.sort_index().reset_index()

    name_column = ROLE_COLUMNS[role][2]
    rows = contribution_outcomes(annotated, contributions, as_of, role)
    grouped = rows.assign(
        contrib_on_time=rows["contribution_outcome"].eq(C_ON_TIME),
        contrib_late=rows["contribution_outcome"].eq(C_LATE),
        contrib_past_due=rows["contribution_outcome"].eq(C_PAST_DUE),
        contrib_pending=rows["contribution_outcome"].eq(C_PENDING),
        **{column: rows["rating"].eq(rating) for rating, column in RATING_COLUMNS.items()},
    ).groupby(name_column)
    counts = grouped[["contrib_on_time", "contrib_late", "contrib_past_due", "contrib_pending",
                      *RATING_COLUMNS.values()]].sum().astype("int64")
    counts["avg_response_days"] = grouped["response_days"].mean()
    result = result.join(counts, how="outer")
    for column in counts.columns:
        if column != "avg_response_days":
            result[column] = result[column].fillna(0).astype("int64")
    result["coord_tasks"] = result["coord_tasks"].fillna(0).astype("int64")
    result["coord_on_time_rate"] = safe_rate(
        result["contrib_on_time"],
        result["contrib_on_time"] + result["contrib_late"] + result["contrib_past_due"])
    ordered = ["coord_tasks", "coord_on_time_rate", "contrib_on_time", "contrib_late",
               "contrib_past_due", "contrib_pending", "avg_response_days",
               *RATING_COLUMNS.values()]
    return result[ordered].rename_axis("name").sort_index().reset_index()


def lateness_attribution(annotated: pd.DataFrame, contributions: pd.DataFrame | None,
                         as_of: date) -> pd.DataFrame:
    """For each late or overdue task: did a coordinator's contribution miss its own deadline?

    Columns: task_id, outcome, lead_dept, lead_person, delay_days,
      late_contributions (int: contributions delivered after their deadline or past due),
      late_coordinators (tuple[str]: "dept", "person" or "dept / person" of those rows),
      coordinator_late (bool: late_contributions > 0).
    Tasks without contributions get 0, () and False.
    """
    columns = ["task_id", "outcome", "lead_dept", "lead_person", "delay_days", "due_date",
               "assigned_date"]
    late_tasks = annotated[columns][annotated["outcome"].isin([LATE, OVERDUE]).to_numpy()]
    result = late_tasks[["task_id", "outcome", "lead_dept", "lead_person", "delay_days"]]
    result = result.reset_index(drop=True)
    rows = contribution_outcomes(late_tasks, contributions, as_of)
    missed = rows[rows["contribution_outcome"].isin([C_LATE, C_PAST_DUE])]
    if missed.empty:
        labels = pd.Series(dtype=object)
    else:
        who = missed["coord_dept"].fillna("").astype("str")
        person = missed["coord_person"].fillna("").astype("str")
        who = who.where(person.eq(""), who + " / " + person).str.strip(" /")
        labels = who.groupby(missed["task_id"].to_numpy()).agg(tuple)
    count = result["task_id"].map(labels.map(len)).fillna(0) if len(labels) else 0
    result["late_contributions"] = pd.Series(count, index=result.index).astype("int64")
    mapped = (result["task_id"].map(labels) if len(labels)
              else pd.Series(np.nan, index=result.index, dtype=object))
    names = mapped.to_numpy(dtype=object, copy=True)
    missing = pd.isna(names)
    names[missing] = pd.Series([()] * int(missing.sum()), dtype=object).to_numpy()
    result["late_coordinators"] = pd.Series(names, index=result.index, dtype=object)
    result["coordinator_late"] = result["late_contributions"].gt(0)
    return result
