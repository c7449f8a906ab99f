"""Coordination metrics (SPEC §3) over the task frame of `analysis.model`.

Typical use::

    annotated = annotate(tasks, as_of, contributions)       # per-task outcome, month, ...
    period = select_period(annotated, "2026-09", "2026-10")
    group_figures(period, by="lead_dept")                    # §3.3
    coordinator_figures(period, contributions, as_of, "dept")  # §3.4
    matrix(period); cross_vs_single(period); coordination_load(period)  # §3.5
    recognition(period, "person", Thresholds())              # §3.6
    compute_report(tasks, as_of, "2026-09", "2026-10")       # the §5 JSON
"""

from analysis.metrics.coordinators import (
    contribution_outcomes,
    coordination_pairs,
    coordinator_figures,
    has_contributions,
    lateness_attribution,
)
from analysis.metrics.groups import FIGURE_COLUMNS, completion_rate, group_figures, on_time_rate, safe_rate
from analysis.metrics.outcomes import (
    COUNTED_OUTCOMES,
    OUTCOMES,
    annotate,
    data_period,
    outcomes_as_of,
    select_period,
    task_facts,
    task_month,
)
from analysis.metrics.recognition import Thresholds, recognition, wilson_lower_bound
from analysis.metrics.report import compute_report, json_ready
from analysis.metrics.structure import coordination_load, cross_single_counts, cross_vs_single, gini, matrix
from analysis.metrics.trends import monthly_trend

__all__ = [
    "FIGURE_COLUMNS", "OUTCOMES", "COUNTED_OUTCOMES", "Thresholds",
    "annotate", "task_facts", "outcomes_as_of", "select_period", "data_period", "task_month",
    "group_figures", "on_time_rate", "completion_rate", "safe_rate",
    "coordination_pairs", "coordinator_figures", "contribution_outcomes",
    "has_contributions", "lateness_attribution",
    "matrix", "cross_single_counts", "cross_vs_single", "coordination_load", "gini",
    "monthly_trend", "wilson_lower_bound", "recognition",
    "compute_report", "json_ready",
]
