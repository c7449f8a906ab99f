"""A deliberately simple oracle for the metrics of SPEC §3 / §5, written straight
from the text with plain Python loops over dict rows (no pandas), so that the
vectorised engine in `analysis.metrics` can be checked against it.

A task row: {task_id, title, service, lead_dept, lead_person, coord_depts (tuple),
coord_people (tuple), assigned_date, due_date, done_date (datetime.date or None),
status ("done"/"open"/"cancelled")}.
A contribution row: {task_id, coord_dept, coord_person, contrib_due_date,
delivered_date, rating}.

Readings shared with the engine (see its docstrings): status done without a
done_date is not done; the "Phối hợp" sheet is used for coordinator rates only when
it has at least one row; a task's coordinators (for cross_dept, matrix, coord_tasks)
are its coordinator columns plus the sheet's names, minus its own lead.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.model import TASK_COLUMNS, empty_contributions, empty_tasks

FIGURES = ("tasks", "on_time", "late", "overdue", "open", "no_deadline", "cancelled",
           "on_time_rate", "completion_rate", "avg_delay_days", "cross_dept_share", "clarity_rate")


# --- §3.1 / §3.2 -------------------------------------------------------------------

def outcome(task: dict, as_of: date) -> str:
    if task["status"] == "cancelled":
        return "cancelled"
    if task["due_date"] is None:
        return "no_deadline"
    done = task["status"] == "done" and task["done_date"] is not None and task["done_date"] <= as_of
    if done:
        return "on_time" if task["done_date"] <= task["due_date"] else "late"
    return "overdue" if task["due_date"] < as_of else "open"


def month(task: dict) -> str:
    when = task["due_date"] if task["due_date"] is not None else task["assigned_date"]
    return f"{when.year:04d}-{when.month:02d}"


def delay(task: dict, as_of: date):
    result = outcome(task, as_of)
    if result == "late":
        return (task["done_date"] - task["due_date"]).days
    if result == "overdue":
        return (as_of - task["due_date"]).days
    return None


def rate(numerator, denominator):
    return None if denominator == 0 else numerator / denominator


# --- coordinators -------------------------------------------------------------------

def coordinators(task: dict, contributions: list[dict], role: str) -> list[str]:
    if role == "dept":
        names, lead, key = task["coord_depts"], task["lead_dept"], "coord_dept"
    else:
        names, lead, key = task["coord_people"], task["lead_person"], "coord_person"
    result = []
    for name in list(names) + [c[key] for c in contributions
                               if c["task_id"] == task["task_id"] and c[key] is not None]:
        if name != lead and name not in result:
            result.append(name)
    return result


# --- §3.3 ---------------------------------------------------------------------------

def figures(tasks: list[dict], as_of: date, contributions: list[dict]) -> dict:
    counts = {k: 0 for k in ("on_time", "late", "overdue", "open", "no_deadline", "cancelled")}
    delays, cross, clear = [], 0, 0
    for task in tasks:
        result = outcome(task, as_of)
        counts[result] += 1
        if result in ("late", "overdue"):
            delays.append(delay(task, as_of))
        if result != "cancelled":
            if coordinators(task, contributions, "dept"):
                cross += 1
            if task["title"] and task["lead_person"] and task["due_date"] is not None:
                clear += 1
    live = len(tasks) - counts["cancelled"]
    return {
        "tasks": live, **counts,
        "on_time_rate": rate(counts["on_time"],
                             counts["on_time"] + counts["late"] + counts["overdue"]),
        "completion_rate": rate(counts["on_time"] + counts["late"],
                                counts["on_time"] + counts["late"] + counts["overdue"]),
        "avg_delay_days": sum(delays) / len(delays) if delays else None,
        "cross_dept_share": rate(cross, live),
        "clarity_rate": rate(clear, live),
    }


# --- §3.4 ---------------------------------------------------------------------------

def coordinator_figures(name: str, role: str, tasks: list[dict], as_of: date,
                        contributions: list[dict], use_sheet: bool) -> dict:
    coordinated = [t for t in tasks if outcome(t, as_of) != "cancelled"
                   and name in coordinators(t, contributions, role)]
    if not use_sheet:
        outcomes = [outcome(t, as_of) for t in coordinated]
        on_time = outcomes.count("on_time")
        return {"coord_tasks": len(coordinated),
                "coord_on_time_rate": rate(on_time, on_time + outcomes.count("late")
                                           + outcomes.count("overdue"))}
    key, lead_key = ("coord_dept", "lead_dept") if role == "dept" else ("coord_person", "lead_person")
    by_id = {t["task_id"]: t for t in tasks}
    on_time = late = past_due = 0
    for c in contributions:
        task = by_id.get(c["task_id"])
        if task is None or outcome(task, as_of) == "cancelled" or c[key] != name:
            continue
        if c[key] == task[lead_key]:
            continue
        deadline = c["contrib_due_date"] or task["due_date"]
        if deadline is None:
            continue
        delivered = c["delivered_date"]
        if delivered is not None and delivered > as_of:
            delivered = None
        if delivered is not None:
            if delivered <= deadline:
                on_time += 1
            else:
                late += 1
        elif deadline < as_of:
            past_due += 1
    return {"coord_tasks": len(coordinated),
            "coord_on_time_rate": rate(on_time, on_time + late + past_due)}


# --- §5 -----------------------------------------------------------------------------

def report(tasks: list[dict], as_of: date, from_month=None, to_month=None,
           contributions: list[dict] | None = None) -> dict:
    # The sheet is the rate source when it has any row at all (not only in the period).
    use_sheet = bool(contributions)
    contributions = contributions or []
    months = [month(t) for t in tasks]
    period_from = from_month or (min(months) if months else None)
    period_to = to_month or (max(months) if months else None)
    period = [t for t in tasks
              if (from_month is None or month(t) >= from_month)
              and (to_month is None or month(t) <= to_month)]
    ids = {t["task_id"] for t in period}
    contributions = [c for c in contributions if c["task_id"] in ids]
    live = [t for t in period if outcome(t, as_of) != "cancelled"]

    overall = figures(period, as_of, contributions)
    cross = [t for t in live if coordinators(t, contributions, "dept")]
    single = [t for t in live if not coordinators(t, contributions, "dept")]
    overall["cross_dept_on_time_rate"] = _rate_of(cross, as_of)
    overall["single_dept_on_time_rate"] = _rate_of(single, as_of)

    result = {"as_of": as_of.isoformat(), "period": {"from": period_from, "to": period_to},
              "overall": overall, "departments": [], "people": [], "matrix": []}
    for role, lead_key, out_key in (("dept", "lead_dept", "departments"),
                                    ("person", "lead_person", "people")):
        names = set()
        for t in live:
            if t[lead_key] is not None:
                names.add(t[lead_key])
            names.update(coordinators(t, contributions, role))
        for name in sorted(names):
            row = {"name": name, **figures([t for t in period if t[lead_key] == name], as_of,
                                           contributions)}
            if role == "person":
                del row["cross_dept_share"]
            row.update(coordinator_figures(name, role, period, as_of, contributions, use_sheet))
            result[out_key].append(row)
    pairs = {}
    for t in live:
        for coord in coordinators(t, contributions, "dept"):
            pairs.setdefault((t["lead_dept"], coord), []).append(t)
    for (lead, coord) in sorted(pairs):
        result["matrix"].append({"lead_dept": lead, "coord_dept": coord,
                                 "tasks": len(pairs[(lead, coord)]),
                                 "on_time_rate": _rate_of(pairs[(lead, coord)], as_of)})
    return result


def _rate_of(tasks: list[dict], as_of: date):
    outcomes = [outcome(t, as_of) for t in tasks]
    on_time = outcomes.count("on_time")
    return rate(on_time, on_time + outcomes.count("late") + outcomes.count("overdue"))


# --- frames for the engine ------------------------------------------------------------

def tasks_frame(rows: list[dict]) -> pd.DataFrame:
    """Oracle task rows as a task frame of analysis.model (TASK_COLUMNS, dtypes)."""
    frame = empty_tasks()
    if not rows:
        return frame
    data = {}
    for column in TASK_COLUMNS:
        values = [row.get(column) for row in rows]
        if column in ("coord_depts", "coord_people"):
            data[column] = pd.Series([tuple(v or ()) for v in values], dtype=object)
        elif column.endswith("_date"):
            data[column] = pd.Series(pd.to_datetime(values)).astype("datetime64[us]")
        elif column == "source_row":
            data[column] = pd.Series(range(2, len(rows) + 2), dtype="int64")
        else:
            data[column] = pd.Series(values, dtype="str")
    return pd.DataFrame(data)[list(frame.columns)]


def contributions_frame(rows: list[dict] | None) -> pd.DataFrame | None:
    if rows is None:
        return None
    frame = empty_contributions()
    if not rows:
        return frame
    data = {}
    for column in frame.columns:
        values = [row.get(column) for row in rows]
        if column.endswith("_date"):
            data[column] = pd.Series(pd.to_datetime(values)).astype("datetime64[us]")
        elif column == "source_row":
            data[column] = pd.Series(range(2, len(rows) + 2), dtype="int64")
        else:
            data[column] = pd.Series(values, dtype="str")
    return pd.DataFrame(data)
