"""Where the brief's inputs come from: the store (consolidated tasks and contributions,
catalogue, settings, uploads)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.access import CENTER
from analysis.brief.figures import BriefHeader, BriefInputs
from analysis.metrics import Thresholds
from analysis.periods import RANGE
from analysis.submissions import DEFAULT_DEADLINE_DAY, UPLOAD_COLUMNS


def uploads_frame(store) -> pd.DataFrame:
    """Every upload (any version) as `analysis.submissions.UPLOAD_COLUMNS`, from
    `Store.history()`. Sample uploads count only while no real upload exists, as in the
    figures. (Issue 11 adds a store query for this; point this function at it.)"""
    rows = store.history()
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in UPLOAD_COLUMNS})
    frame = pd.DataFrame(rows).rename(columns={"user": "uploaded_by"})
    if store.has_real_data():
        frame = frame[~frame["is_sample"].astype(bool)]
    return frame[list(UPLOAD_COLUMNS)].reset_index(drop=True)


def brief_inputs(store, as_of: date, from_month: str, to_month: str, kind: str = RANGE,
                 scope: str = CENTER, issued: date | None = None,
                 tasks: pd.DataFrame | None = None, contributions: pd.DataFrame | None = None,
                 thresholds: Thresholds | None = None) -> BriefInputs:
    """The inputs of the brief for a period, read from the store in one go. `tasks`,
    `contributions`, `thresholds`: what the caller already holds (the dashboard's cached
    consolidated frames); the store's otherwise."""
    settings = store.settings()
    if tasks is None:
        tasks, contributions = store.consolidated_tasks(), store.consolidated_contributions()
    return BriefInputs(
        tasks=tasks, contributions=contributions,
        as_of=as_of, from_month=from_month, to_month=to_month, kind=kind, scope=scope,
        thresholds=thresholds or Thresholds.from_settings(settings),
        header=BriefHeader.from_settings(settings),
        uploads=uploads_frame(store),
        departments=tuple(store.departments()),
        roster=tuple(store.roster()),
        deadline_day=int(settings.get("report_deadline_day", DEFAULT_DEADLINE_DAY)),
        issued=issued)
