"""Figures several pages show, computed once per filter set and data version
(every rule they apply lives in `analysis/`; this module only composes and caches)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import periods as P
from analysis import submissions as subs
from analysis.metrics import coordinator_figures, cross_vs_single, group_figures
from analysis.metrics.scorecards import side_by_side
from analysis.periods import Comparison, Filters
from ui.data import (
    filter_options,
    filtered_tasks,
    included_uploads,
    known_departments,
    load_contributions,
    memo,
    settings,
    upload_log,
)


def headline(filters: Filters) -> dict:
    """§3.3 overall figures (+ §3.5 cross/single rates) of the tasks the filters keep,
    departments as lead; a partial period cut to date."""
    def compute():
        tasks = filtered_tasks(filters, P.LEAD)
        figures = group_figures(tasks).iloc[0].to_dict()
        figures.update(cross_vs_single(tasks))
        return figures
    return memo("headline", filters, compute)


def first_data_month(filters: Filters) -> str | None:
    """Where the data of these figures begins: the first reporting month of the uploads
    in the figures (of the selected departments and whole-center ones, when chosen)."""
    return memo("first_data_month", filters.departments, lambda: subs.first_reporting_month(
        included_uploads(), filters.departments))


@dataclass(frozen=True)
class FairComparison:
    comparison: Comparison
    previous: dict | None  # the previous window's headline figures, when compared
    first_month: str | None


def fair_comparison(filters: Filters) -> FairComparison:
    """SPEC §7: the previous period seen from the same point (its own as-of day), or the
    reason it is not compared."""
    first = first_data_month(filters)
    before = P.comparison(filters, first)
    if not before.compared:
        return FairComparison(before, None, first)
    previous = headline(filters.previous())
    if previous["tasks"] == 0 and previous["cancelled"] == 0:
        return FairComparison(P.comparison(filters, first, previous_has_tasks=False), None, first)
    return FairComparison(before, previous, first)


def department_roles(filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per department under `filters`: §3.3 figures as lead (column `name`, departments
    leading at least one task) and §3.4 figures as coordinator (at least one task)."""
    def compute():
        lead = group_figures(filtered_tasks(filters, P.LEAD), by="lead_dept")
        lead = lead.rename(columns={"lead_dept": "name"})
        coord = coordinator_figures(filtered_tasks(filters, P.COORD), load_contributions(),
                                    filters.as_of, "dept")
        if filters.departments:
            coord = coord[coord["name"].isin(filters.departments)]
        return lead[lead["tasks"] > 0], coord[coord["coord_tasks"] > 0]
    return memo("department_roles", filters, compute)


def shown_departments(filters: Filters) -> list[str]:
    """The departments a page lists: the selected ones, else every known department
    (catalogue, else those the uploads name) and any other the data names."""
    if filters.departments:
        return list(filters.departments)
    return sorted(set(known_departments()) | set(filter_options().departments))


def department_table(filters: Filters) -> pd.DataFrame:
    """One row per shown department: lead figures and coordinator figures side by side
    (has_lead / has_coord say which side has data), sorted by name."""
    def compute():
        table = side_by_side(*department_roles(filters), known=shown_departments(filters))
        return table.sort_values("name", ignore_index=True)
    return memo("department_table", filters, compute)


@dataclass(frozen=True)
class ReportStatus:
    """Who has not sent the logs of the period's months (SPEC §7.9)."""

    grid: pd.DataFrame  # analysis.submissions.submission_grid
    overdue: dict[str, list[str]]  # department -> months missing, deadline passed
    not_due: dict[str, list[str]]  # department -> months missing, deadline still ahead
    deadline_day: int


def report_status(filters: Filters) -> ReportStatus:
    """The submission grid of the period's started months for the shown departments."""
    def compute():
        day = int(settings().get("report_deadline_day", subs.DEFAULT_DEADLINE_DAY))
        months = P.reporting_months(filters.from_month, filters.to_month, filters.as_of)
        grid = subs.submission_grid(upload_log(), shown_departments(filters), months, day)
        overdue, not_due = {}, {}
        for name, missing in subs.missing_by_department(grid).items():
            for month in missing:
                target = overdue if subs.due_by(month, filters.as_of, day) else not_due
                target.setdefault(name, []).append(month)
        return ReportStatus(grid, overdue, not_due, day)
    return memo("report_status", filters, compute)  # judged at filters.as_of
