"""Figures several pages show, computed once per filter set and data version."""

from __future__ import annotations

import pandas as pd

from analysis.metrics import coordinator_figures, group_figures
from ui.data import load_contributions, memo
from ui.filters import Filters, filtered_tasks


def department_roles(filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per department under `filters`: §3.3 figures as lead (column `name`, departments
    leading at least one task) and §3.4 figures as coordinator (at least one task)."""
    def compute():
        lead = group_figures(filtered_tasks(filters, "lead"), by="lead_dept")
        lead = lead.rename(columns={"lead_dept": "name"})
        coord = coordinator_figures(filtered_tasks(filters, "coord"), load_contributions(),
                                    filters.as_of, "dept")
        if filters.departments:
            coord = coord[coord["name"].isin(filters.departments)]
        return lead[lead["tasks"] > 0], coord[coord["coord_tasks"] > 0]
    return memo("department_roles", filters, compute)
