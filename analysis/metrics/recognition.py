"""Praise and reminder lists for evaluation meetings (SPEC §3.6).

A department or a person is judged in both roles:
- as lead: the counted items are its led tasks in the on-time-rate denominator
  (on time + late + overdue, §3.3); "overdue" are its overdue led tasks;
- as coordinator: the items of its coordinator on-time rate (§3.4): with a "Phối hợp"
  sheet its contributions (on time + late + past due); without one, the tasks it
  coordinates (on time + late + overdue), whose overdue ones then stand for its
  past-due contributions, exactly as they stand for its contributions in the rate.
A role has enough evidence with at least `min_tasks_dept` (5) counted items for a
department or `min_tasks_person` (3) for a person.

- Praise: at least one role has enough evidence, every role with enough evidence has a
  rate >= praise_min_rate (0.90), and no overdue led task and no past-due contribution.
- Reminder: a role with enough evidence has a rate < reminder_below_rate (0.70), or at
  least reminder_min_overdue (2) overdue led tasks, or at least reminder_min_past_due (2)
  past-due contributions. A name is never on both lists: a reminder wins (with the
  default thresholds the two cannot meet; an administrator's thresholds might).

Both lists are ranked by the Wilson 95 % lower bound of the on-time rate over the items
of both roles together, so that 2 of 2 does not outrank 95 of 100; what is shown is the
rate and its counts, never the bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analysis.formatting import format_percent
from analysis.metrics.coordinators import (
    C_LATE,
    C_ON_TIME,
    C_PAST_DUE,
    contribution_outcomes,
    coordination_pairs,
    has_contributions,
)
from analysis.metrics.groups import safe_rate
from analysis.metrics.outcomes import LATE, ON_TIME, OVERDUE, ROLE_COLUMNS

ROLE_LEAD_COLUMN = {"dept": "lead_dept", "person": "lead_person"}
PRAISE, REMINDER = "praise", "reminder"

# Columns of each list (see `recognition`).
RECOGNITION_COLUMNS = (
    "name", "lead_counted", "lead_on_time", "lead_late", "lead_overdue", "lead_rate",
    "lead_enough", "coord_counted", "coord_on_time", "coord_late", "coord_past_due",
    "coord_rate", "coord_enough", "counted", "on_time", "rate", "wilson_lower", "reason",
    "task_ids")

# The settings (SPEC §6, catalogue.DEFAULT_SETTINGS) behind each threshold.
SETTING_KEYS = {
    "praise_min_rate": "praise_min_rate",
    "min_tasks_dept": "praise_min_tasks_department",
    "min_tasks_person": "praise_min_tasks_person",
    "reminder_below_rate": "reminder_below_rate",
    "reminder_min_overdue": "reminder_min_overdue",
    "reminder_min_past_due": "reminder_min_past_due",
}


@dataclass(frozen=True)
class Thresholds:
    """SPEC §3.6 defaults; the administrator may change them (§6)."""

    praise_min_rate: float = 0.90  # praise: every role with enough evidence at least this
    praise_max_overdue: int = 0  # ... and at most this many overdue led tasks / past-due items
    min_tasks_dept: int = 5  # enough evidence for a role: counted items (department)
    min_tasks_person: int = 3  # ... (person)
    reminder_below_rate: float = 0.70  # reminder: a role with enough evidence below this ...
    reminder_min_overdue: int = 2  # ... or at least this many overdue led tasks ...
    reminder_min_past_due: int = 2  # ... or at least this many past-due contributions
    z: float = 1.96  # Wilson bound confidence (95 %)

    def min_tasks(self, role: str) -> int:
        return self.min_tasks_dept if role == "dept" else self.min_tasks_person

    @classmethod
    def from_settings(cls, values: Mapping[str, Any]) -> Thresholds:
        """The thresholds of the store's settings (missing keys: the SPEC defaults)."""
        defaults = cls()
        kinds = {f.name: type(getattr(defaults, f.name)) for f in fields(cls)}
        chosen = {}
        for name, key in SETTING_KEYS.items():
            if values.get(key) is not None:
                chosen[name] = kinds[name](values[key])
        return cls(**chosen)


def wilson_lower_bound(successes, n, z: float = 1.96):
    """Lower bound of the Wilson score interval for successes/n (vectorised).

    NaN where n is 0. Scalars in, float out; arrays/Series in, ndarray out.
    """
    k = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        safe_n = np.where(total > 0, total, 1.0)
        p = k / safe_n
        z2 = z * z
        centre = p + z2 / (2 * safe_n)
        margin = z * np.sqrt(p * (1 - p) / safe_n + z2 / (4 * safe_n * safe_n))
        bound = np.where(total > 0, (centre - margin) / (1 + z2 / safe_n), np.nan)
    return float(bound) if bound.ndim == 0 else bound


@dataclass(frozen=True)
class Judgement:
    """The §3.6 verdicts of one role over one set of tasks (see `judge`)."""

    role: str
    thresholds: Thresholds
    unit: str  # what a coordinator item is: "phần việc" (sheet) or "nhiệm vụ"
    table: pd.DataFrame  # per name: counts, rates, bounds, praise, reminder
    lead_items: pd.DataFrame
    coord_items: pd.DataFrame

    def lists(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(praise, reminder), ranked, with reasons and task ids (`recognition`)."""
        minimum = self.thresholds.min_tasks(self.role)
        result = []
        for kind, ascending in ((PRAISE, False), (REMINDER, True)):
            chosen = self.table[self.table[kind].to_numpy()].sort_values(
                ["wilson_lower", "name"], ascending=[ascending, True], na_position="last",
                ignore_index=True)
            chosen["reason"] = [reason_sentence(row, kind, self.thresholds, minimum, self.unit)
                                for row in chosen.itertuples()]
            chosen["task_ids"] = _task_ids(self.lead_items, self.coord_items, chosen["name"],
                                           kind)
            result.append(chosen[list(RECOGNITION_COLUMNS)])
        return result[0], result[1]

    def role_table(self) -> pd.DataFrame:
        """Everyone with a counted item (`role_table`)."""
        table = self.table.copy()
        table["coord_wilson_lower"] = wilson_lower_bound(table["coord_on_time"],
                                                         table["coord_counted"],
                                                         self.thresholds.z)
        return table


def judge(annotated: pd.DataFrame, role: str = "dept", thresholds: Thresholds = Thresholds(),
          contributions: pd.DataFrame | None = None, as_of: date | None = None,
          coordinated: pd.DataFrame | None = None) -> Judgement:
    """The §3.6 verdicts once, for callers that need both the lists and the table."""
    table, (lead_items, coord_items) = _judged(annotated, role, thresholds, contributions,
                                               as_of, coordinated)
    unit = "phần việc" if has_contributions(contributions) else "nhiệm vụ"
    return Judgement(role, thresholds, unit, table, lead_items, coord_items)


def recognition(annotated: pd.DataFrame, role: str = "dept",
                thresholds: Thresholds = Thresholds(),
                contributions: pd.DataFrame | None = None, as_of: date | None = None,
                coordinated: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(praise, reminder) lists of departments (role="dept") or people ("person").

    `annotated`: the period's annotated tasks whose lead figures count; `coordinated`:
    those whose coordination counts (default: the same tasks; a page filtered to some
    departments passes the tasks they lead or coordinate). `contributions` and `as_of`:
    the "Phối hợp" rows (§3.4) and the day their outcomes are judged on (needed when
    there are any).
    Columns (RECOGNITION_COLUMNS): name; lead_counted/on_time/late/overdue, lead_rate,
    lead_enough; coord_counted/on_time/late/past_due, coord_rate, coord_enough; counted,
    on_time, rate (both roles together) and wilson_lower (its Wilson bound, the ranking
    key, not for display); reason (a Vietnamese sentence naming the roles and counts);
    task_ids (sorted list: praise → the counted tasks of both roles; reminder → the led
    tasks late or overdue and the coordinated ones late or past due).
    """
    return judge(annotated, role, thresholds, contributions, as_of, coordinated).lists()


def role_table(annotated: pd.DataFrame, role: str = "dept",
               thresholds: Thresholds = Thresholds(),
               contributions: pd.DataFrame | None = None, as_of: date | None = None,
               coordinated: pd.DataFrame | None = None) -> pd.DataFrame:
    """Everyone with a counted item in either role (arguments as `recognition`): the
    count and rate columns of RECOGNITION_COLUMNS (no reason, no task_ids), plus
    coord_wilson_lower (the bound of the coordinator rate alone: ranks the best
    coordinators) and the booleans praise and reminder."""
    return judge(annotated, role, thresholds, contributions, as_of, coordinated).role_table()


def _judged(annotated, role, thresholds, contributions, as_of, coordinated):
    """The per-name table with the §3.6 verdicts, and the (lead, coordinator) items."""
    coordinated = annotated if coordinated is None else coordinated
    sheet = has_contributions(contributions)
    if sheet and as_of is None:
        raise ValueError("as_of is needed to judge the contributions of the Phối hợp sheet")
    lead_items = _lead_items(annotated, role)
    coord_items = _coord_items(coordinated, contributions, as_of, role, sheet)
    table = _counts(lead_items, coord_items)

    minimum = thresholds.min_tasks(role)
    table["lead_rate"] = safe_rate(table["lead_on_time"], table["lead_counted"])
    table["coord_rate"] = safe_rate(table["coord_on_time"], table["coord_counted"])
    table["lead_enough"] = table["lead_counted"].ge(minimum)
    table["coord_enough"] = table["coord_counted"].ge(minimum)
    table["counted"] = table["lead_counted"] + table["coord_counted"]
    table["on_time"] = table["lead_on_time"] + table["coord_on_time"]
    table["rate"] = safe_rate(table["on_time"], table["counted"])
    table["wilson_lower"] = wilson_lower_bound(table["on_time"], table["counted"], thresholds.z)

    lead_low = table["lead_enough"] & table["lead_rate"].lt(thresholds.reminder_below_rate)
    coord_low = table["coord_enough"] & table["coord_rate"].lt(thresholds.reminder_below_rate)
    table[REMINDER] = (lead_low | coord_low
                       | table["lead_overdue"].ge(thresholds.reminder_min_overdue)
                       | table["coord_past_due"].ge(thresholds.reminder_min_past_due))
    table[PRAISE] = (
        (table["lead_enough"] | table["coord_enough"])
        & (~table["lead_enough"] | table["lead_rate"].ge(thresholds.praise_min_rate))
        & (~table["coord_enough"] | table["coord_rate"].ge(thresholds.praise_min_rate))
        & table["lead_overdue"].le(thresholds.praise_max_overdue)
        & table["coord_past_due"].le(thresholds.praise_max_overdue)
        & ~table[REMINDER])
    return table, (lead_items, coord_items)


# --- items of each role -------------------------------------------------------------------

def _lead_items(annotated: pd.DataFrame, role: str) -> pd.DataFrame:
    """One row per counted led task: name, task_id, item (on_time / late / overdue)."""
    column = ROLE_LEAD_COLUMN[role]
    counted = annotated["outcome"].isin([ON_TIME, LATE, OVERDUE]).to_numpy() \
        & annotated[column].notna().to_numpy()
    rows = annotated[counted]
    return pd.DataFrame({"name": rows[column].astype("str").to_numpy(),
                         "task_id": rows["task_id"].astype("str").to_numpy(),
                         "item": rows["outcome"].astype("str").to_numpy()})


def _coord_items(coordinated: pd.DataFrame, contributions, as_of, role: str, sheet: bool
                 ) -> pd.DataFrame:
    """One row per counted coordinator item: name, task_id, item (on_time / late /
    past_due): the contributions with a "Phối hợp" sheet, else the coordinated tasks
    (an overdue task counting as past due)."""
    if sheet:
        rows = contribution_outcomes(coordinated, contributions, as_of, role)
        rows = rows[rows["contribution_outcome"].isin([C_ON_TIME, C_LATE, C_PAST_DUE])]
        return pd.DataFrame({"name": rows[ROLE_COLUMNS[role][2]].astype("str").to_numpy(),
                             "task_id": rows["task_id"].astype("str").to_numpy(),
                             "item": rows["contribution_outcome"].astype("str").to_numpy()})
    pairs = coordination_pairs(coordinated, None, role, ("task_id", "outcome"))
    pairs = pairs[pairs["outcome"].isin([ON_TIME, LATE, OVERDUE]).to_numpy()
                  & pairs["name"].notna().to_numpy()]
    item = pairs["outcome"].astype("str").replace({OVERDUE: C_PAST_DUE})
    return pd.DataFrame({"name": pairs["name"].astype("str").to_numpy(),
                         "task_id": pairs["task_id"].astype("str").to_numpy(),
                         "item": item.to_numpy()})


def _counts(lead_items: pd.DataFrame, coord_items: pd.DataFrame) -> pd.DataFrame:
    """Per name: the counted items of each role by kind (0 where none)."""
    lead = pd.crosstab(lead_items["name"], lead_items["item"]) if len(lead_items) else None
    coord = pd.crosstab(coord_items["name"], coord_items["item"]) if len(coord_items) else None
    names = pd.Index([], dtype="str")
    for part in (lead, coord):
        if part is not None:
            names = names.union(part.index.astype("str"))
    table = pd.DataFrame({"name": names.astype("str")})

    def column(part, kind):
        if part is None or kind not in part.columns:
            return np.zeros(len(names), dtype="int64")
        return part[kind].reindex(names, fill_value=0).to_numpy(dtype="int64")

    table["lead_on_time"] = column(lead, ON_TIME)
    table["lead_late"] = column(lead, LATE)
    table["lead_overdue"] = column(lead, OVERDUE)
    table["lead_counted"] = table["lead_on_time"] + table["lead_late"] + table["lead_overdue"]
    table["coord_on_time"] = column(coord, C_ON_TIME)
    table["coord_late"] = column(coord, C_LATE)
    table["coord_past_due"] = column(coord, C_PAST_DUE)
    table["coord_counted"] = (table["coord_on_time"] + table["coord_late"]
                              + table["coord_past_due"])
    return table


def _task_ids(lead_items: pd.DataFrame, coord_items: pd.DataFrame, names: pd.Series,
              kind: str) -> list[list[str]]:
    """The tasks behind each listed name (one sorted list per name, in `names` order)."""
    items = pd.concat([lead_items, coord_items], ignore_index=True)
    items = items[items["name"].isin(names).to_numpy()]
    if kind == REMINDER:
        items = items[items["item"].isin([LATE, OVERDUE, C_PAST_DUE]).to_numpy()]
    ids = items.groupby("name")["task_id"].agg(lambda s: sorted(set(s)))
    return [list(ids.get(name, [])) for name in names]


# --- the reason, a plain Vietnamese sentence --------------------------------------------

def reason_sentence(row, kind: str, thresholds: Thresholds, minimum: int,
                    unit: str = "nhiệm vụ") -> str:
    """"Chủ trì: 12/12 nhiệm vụ đúng hạn; phối hợp: 7/8 đúng hạn; không có việc quá hạn".

    Each role with counted items is named with its counts; a rate below the reminder
    threshold says so; a role with too few items says it is not judged. `unit`: what a
    coordinator item is ("phần việc" with a "Phối hợp" sheet, else "nhiệm vụ")."""
    parts = []
    if row.lead_counted:
        text = f"chủ trì: {row.lead_on_time}/{row.lead_counted} nhiệm vụ đúng hạn"
        parts.append(text + _role_note(row.lead_rate, row.lead_enough, kind, thresholds, minimum))
    if row.coord_counted:
        text = f"phối hợp: {row.coord_on_time}/{row.coord_counted}"
        text += " đúng hạn" if unit == "nhiệm vụ" else f" {unit} đúng hạn"
        parts.append(text + _role_note(row.coord_rate, row.coord_enough, kind, thresholds,
                                       minimum))
    if not row.lead_overdue and not row.coord_past_due:
        parts.append("không có việc quá hạn")
    else:
        if row.lead_overdue:
            parts.append(f"{row.lead_overdue} nhiệm vụ chủ trì quá hạn")
        if row.coord_past_due:
            parts.append(f"{row.coord_past_due} {unit} phối hợp quá hạn")
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:]


def _role_note(rate: float, enough: bool, kind: str, thresholds: Thresholds, minimum: int
               ) -> str:
    if not enough:
        return f" (dưới {minimum}, chưa đủ để đánh giá)"
    if kind == REMINDER and rate < thresholds.reminder_below_rate:
        return (f" ({format_percent(rate)}, dưới ngưỡng "
                f"{format_percent(thresholds.reminder_below_rate)})")
    return ""


def rules_sentence(thresholds: Thresholds, role: str) -> str:
    """The §3.6 rules in force, in Vietnamese, for a caption or the brief."""
    minimum = thresholds.min_tasks(role)
    who = "phòng" if role == "dept" else "người"
    return (f"Mỗi vai trò (chủ trì, phối hợp) chỉ được đánh giá khi có ít nhất {minimum} việc "
            f"đã đến hạn (với một {who}). Biểu dương: mọi vai trò đủ số liệu đạt tỷ lệ đúng hạn "
            f"từ {format_percent(thresholds.praise_min_rate)} và không có việc quá hạn. "
            f"Nhắc nhở: một vai trò đủ số liệu có tỷ lệ đúng hạn dưới "
            f"{format_percent(thresholds.reminder_below_rate)}, hoặc từ "
            f"{thresholds.reminder_min_overdue} nhiệm vụ chủ trì quá hạn, hoặc từ "
            f"{thresholds.reminder_min_past_due} phần việc phối hợp quá hạn. Thứ tự xếp theo tỷ "
            f"lệ đúng hạn chung của hai vai trò có tính đến số lượng việc (cận dưới Wilson), "
            f"nên 2/2 không xếp trên 95/100.")
