"""Scorecards: a department's or a person's figures as lead (§3.3) and as coordinator
(§3.4) side by side, as the Phòng ban and Cá nhân pages show them (SPEC §7.2, §7.3)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.metrics.coordinators import coordinator_figures
from analysis.metrics.groups import group_figures
from analysis.metrics.recognition import wilson_lower_bound
from analysis.metrics.structure import coordination_load

COUNT_COLUMNS = ("tasks", "on_time", "late", "overdue", "coord_tasks", "assignments")


def side_by_side(lead: pd.DataFrame, coord: pd.DataFrame, key: str = "name",
                 known: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """Outer join on `key` of lead figures (rows leading at least one task) and
    coordinator figures (rows coordinating at least one); a missing count is 0.

    `known`: names listed even without any data in the period (a department of the
    catalogue, or one that has not reported), so a page can say "chưa có số liệu"
    instead of leaving it out. Columns `has_lead` / `has_coord` say which side has data.
    """
    joined = lead[lead["tasks"] > 0].merge(coord[coord["coord_tasks"] > 0], on=key, how="outer")
    if len(known):
        extra = [n for n in dict.fromkeys(known) if n not in set(joined[key])]
        if extra:
            joined = pd.concat([joined, pd.DataFrame({key: extra})], ignore_index=True)
    joined = _zero_filled(joined)
    joined["has_lead"] = joined["tasks"].gt(0) if "tasks" in joined else False
    joined["has_coord"] = joined["coord_tasks"].gt(0) if "coord_tasks" in joined else False
    return joined


def person_scorecard(led: pd.DataFrame, involved: pd.DataFrame,
                     contributions: pd.DataFrame | None, as_of: date) -> pd.DataFrame:
    """One row per person, best first by the Wilson lower bound of the on-time rate (§3.6).

    `led`: annotated tasks whose lead figures count; `involved`: annotated tasks whose
    coordination counts (both already cut to the period and filters).
    Columns: person, the §3.3 figures as lead, coord_tasks, coord_on_time_rate,
    assignments (coordination load), counted (on time + late + overdue as lead),
    wilson_lower (the ranking key, never shown: SPEC §3.6).
    """
    lead = group_figures(led, by="lead_person").rename(columns={"lead_person": "person"})
    coord = coordinator_figures(involved, contributions, as_of, "person")
    coord = coord.rename(columns={"name": "person"})[["person", "coord_tasks",
                                                      "coord_on_time_rate"]]
    load = coordination_load(involved, contributions)
    table = _zero_filled(side_by_side(lead, coord, "person").merge(load, on="person",
                                                                   how="left"))
    table["counted"] = table["on_time"] + table["late"] + table["overdue"]
    table["wilson_lower"] = wilson_lower_bound(table["on_time"], table["counted"])
    return table.sort_values(["wilson_lower", "person"], ascending=[False, True],
                             na_position="last", ignore_index=True)


def _zero_filled(frame: pd.DataFrame) -> pd.DataFrame:
    for column in COUNT_COLUMNS:
        if column in frame:
            frame[column] = frame[column].fillna(0).astype("int64")
    return frame
