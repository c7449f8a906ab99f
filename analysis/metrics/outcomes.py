"""Per-task facts every figure builds on: the outcome as of a date (SPEC §3.1),
the task's month and period selection (§3.2), delay, clarity, and who coordinates it.

`annotate()` is the one place these rules live; every other metrics module reads
its columns instead of re-deriving them.
"""

from __future__ import annotations

from datetime import date
from itertools import chain

import numpy as np
import pandas as pd

from analysis.model import task_positions
from analysis.periods import reference_days, select_months

ON_TIME, LATE, OVERDUE, OPEN, NO_DEADLINE, CANCELLED = (
    "on_time", "late", "overdue", "open", "no_deadline", "cancelled")
OUTCOMES: tuple[str, ...] = (ON_TIME, LATE, OVERDUE, OPEN, NO_DEADLINE, CANCELLED)
# Outcomes in the on-time-rate denominator (§3.3).
COUNTED_OUTCOMES: tuple[str, ...] = (ON_TIME, LATE, OVERDUE)

# role -> (coordinator list column, lead column, contribution name column)
ROLE_COLUMNS = {
    "dept": ("coord_depts", "lead_dept", "coord_dept"),
    "person": ("coord_people", "lead_person", "coord_person"),
}


def as_timestamp(as_of) -> pd.Timestamp:
    """`as_of` (date, datetime, Timestamp or "YYYY-MM-DD") as a midnight Timestamp."""
    return pd.Timestamp(as_of).normalize()


# The columns `annotate` adds, in order; those that depend on as_of are AS_OF_COLUMNS.
ANNOTATED_COLUMNS = ("done_by_as_of", "outcome", "counted", "month", "delay_days",
                     "coord_depts_effective", "coord_people_effective", "cross_dept", "clear")
AS_OF_COLUMNS = ("done_by_as_of", "outcome", "counted", "delay_days")


def annotate(tasks: pd.DataFrame, as_of: date, contributions: pd.DataFrame | None = None
             ) -> pd.DataFrame:
    """The task frame plus the per-task columns the figures need.

    Added columns (the input columns are kept; the index is reset to 0..n-1):
      done_by_as_of : bool   status done with a done_date <= as_of (a later
                             done_date counts as not done yet, §3.1)
      outcome       : category on_time | late | overdue | open | no_deadline | cancelled
                             (§3.1; categories in OUTCOMES order, compares equal to str)
      counted       : bool   outcome in the on-time-rate denominator (on_time/late/overdue)
      month         : str    "YYYY-MM" of due_date, else of assigned_date (§3.2); NA if neither
      delay_days    : float  late: done_date - due_date; overdue: as_of - due_date; else NaN
      coord_depts_effective, coord_people_effective : tuple[str, ...]
                             the task's coordinators (§3.4): its coordinator columns plus
                             anyone the "Phối hợp" sheet names for it (when `contributions`
                             is given), minus the task's own lead dept / lead person
      cross_dept    : bool   at least one effective coordinating department (§3.3)
      clear         : bool   title, lead_person and due_date all present (§3.3 clarity)

    A task with status done but no done_date (a validation error upstream) is
    treated as not done: nothing proves it was finished by as_of.

    Two steps, so a caller that needs several as-of days (a period and the previous one
    seen from the same point, SPEC §7) computes the costly part once:
    `outcomes_as_of(task_facts(tasks, contributions), as_of)`.
    """
    return outcomes_as_of(task_facts(tasks, contributions), as_of)


def task_facts(tasks: pd.DataFrame, contributions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The task frame (index reset) plus the columns of `annotate` that do not depend on
    as_of: month, coord_depts_effective, coord_people_effective, cross_dept, clear."""
    frame = tasks.reset_index(drop=True)
    added = {"month": task_month(frame)}
    positions = (sheet_positions(frame, contributions)
                 if contributions is not None and len(contributions) else None)
    for role in ROLE_COLUMNS:
        pairs = named_pairs(frame, role, contributions, positions)
        added[f"{ROLE_COLUMNS[role][0]}_effective"] = _effective_coordinators(frame, role, pairs)
        if role == "dept":
            coordinating = pairs.loc[~pairs["is_lead"], "pos"].to_numpy()
            added["cross_dept"] = np.bincount(coordinating, minlength=len(frame)) > 0
    added["clear"] = (_present(frame["title"]) & _present(frame["lead_person"])
                      & frame["due_date"].notna()).to_numpy()
    return frame.assign(**added)


def outcomes_as_of(facts: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """`task_facts` plus the outcome columns as of `as_of` (§3.1): the frame `annotate`
    returns, columns in its order."""
    as_of_ts = as_timestamp(as_of)
    status, due, done = facts["status"], facts["due_date"], facts["done_date"]

    done_by_as_of = status.eq("done") & done.notna() & (done <= as_of_ts)
    # Positions in OUTCOMES (the categories' codes): no string per task to hash.
    code = OUTCOMES.index
    outcome = np.select(
        [status.eq("cancelled"), due.isna(), done_by_as_of & (done <= due), done_by_as_of,
         due < as_of_ts],
        [code(CANCELLED), code(NO_DEADLINE), code(ON_TIME), code(LATE), code(OVERDUE)],
        default=code(OPEN),
    ).astype(np.int8)
    delay = np.where(outcome == code(LATE), (done - due).dt.days,
                     np.where(outcome == code(OVERDUE), (as_of_ts - due).dt.days, np.nan))
    frame = facts.assign(
        done_by_as_of=done_by_as_of.to_numpy(),
        outcome=pd.Categorical.from_codes(outcome, categories=OUTCOMES),
        counted=np.isin(outcome, [code(o) for o in COUNTED_OUTCOMES]),
        delay_days=delay.astype(float))
    inputs = [c for c in facts.columns if c not in ANNOTATED_COLUMNS]
    return frame[[*inputs, *ANNOTATED_COLUMNS]]


def task_month(tasks: pd.DataFrame) -> pd.Series:
    """"YYYY-MM" of the task's reference day (SPEC §3.2, `periods.reference_days`: due
    date, else assigned date); NA when neither.

    Formats each distinct month once (a log spans a few months, not 100k).
    """
    when = reference_days(tasks).to_numpy(dtype="datetime64[us]")
    months = when.astype("datetime64[M]").astype("int64")  # months since 1970-01
    codes, distinct = pd.factorize(months)
    codes[np.isnat(when)] = -1
    labels = np.array([f"{1970 + m // 12:04d}-{m % 12 + 1:02d}" for m in distinct.tolist()]
                      + [None], dtype=object)
    return pd.Series(labels[codes], index=tasks.index, dtype="str")


# The tasks whose month lies in [from_month, to_month] (SPEC §3.2); the rule lives in
# `analysis.periods` with the rest of the period logic.
select_period = select_months


def data_period(annotated: pd.DataFrame) -> tuple[str | None, str | None]:
    """The first and last month in the data (None, None when there is none)."""
    months = annotated["month"].dropna()
    if months.empty:
        return None, None
    return str(months.min()), str(months.max())


def _present(text: pd.Series) -> pd.Series:
    return text.notna() & text.astype("str").str.strip().ne("").fillna(False).astype(bool)


def explode_lists(lists: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(positions, items) of a column of tuples: item k of row i gives (i, item).

    Same result as Series.explode() without its dtype inference round trip; the
    iteration happens inside map/chain (C level), not in a Python loop.
    """
    values = lists.to_numpy(dtype=object)
    try:  # the task frame contract: always a tuple (empty when none)
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    except TypeError:  # a missing value slipped in (NaN/None): no items for that row
        lengths = np.fromiter(map(_length, values), dtype=np.int64, count=len(values))
    items = np.fromiter(chain.from_iterable(values[lengths > 0]), dtype=object,
                        count=int(lengths.sum()))
    return np.repeat(np.arange(len(values), dtype=np.int64), lengths), items


def _length(value) -> int:
    return len(value) if isinstance(value, (tuple, list)) else 0


def sheet_positions(frame: pd.DataFrame, contributions: pd.DataFrame) -> np.ndarray:
    """For each "Phối hợp" row, the position in `frame` of its task (NaN when none)."""
    return task_positions(frame["task_id"], contributions["task_id"])


def named_pairs(frame: pd.DataFrame, role: str, contributions: pd.DataFrame | None = None,
                positions: np.ndarray | None = None) -> pd.DataFrame:
    """Long table of a task's named coordinators for one role:
    pos, name, from_sheet, duplicate, is_lead.

    `pos` is the row position in `frame`. Names come from the coordinator column
    (`ROLE_COLUMNS[role][0]` of `frame`), then from the "Phối hợp" sheet rows naming
    the task. `duplicate` marks a repeat of an earlier (pos, name); `is_lead` marks a
    name equal to the task's own lead (dept or person), which is never its coordinator.
    The coordinators are the rows with neither mark. `positions`: `sheet_positions(frame,
    contributions)` when the caller already has it.
    """
    list_column, lead_column, contrib_column = ROLE_COLUMNS[role]
    pos, names = explode_lists(frame[list_column])
    from_sheet = np.zeros(len(pos), dtype=bool)
    if contributions is not None and len(contributions):
        if positions is None:
            positions = sheet_positions(frame, contributions)
        named = contributions[contrib_column].notna().to_numpy()
        sheet_pos = positions[named]
        known = ~np.isnan(sheet_pos)
        pos = np.concatenate([pos, sheet_pos[known].astype(np.int64)])
        names = np.concatenate([names, contributions[contrib_column].to_numpy(
            dtype=object)[named][known]])
        from_sheet = np.concatenate([from_sheet, np.ones(int(known.sum()), dtype=bool)])
    pairs = pd.DataFrame({"pos": pos, "name": pd.Series(names, dtype=object),
                          "from_sheet": from_sheet})
    # A repeated (pos, name), found on one int64 key (faster than a two-column duplicated).
    name_codes = pd.factorize(pairs["name"].to_numpy(dtype=object))[0] + 1  # missing: 0
    key = pos * (int(name_codes.max(initial=0)) + 1) + name_codes
    pairs["duplicate"] = pd.Series(key).duplicated().to_numpy() if len(pairs) else False
    pairs["is_lead"] = names == _values_at(frame[lead_column], pos)
    return pairs


def _values_at(column: pd.Series, pos: np.ndarray) -> np.ndarray:
    """column's values at positions `pos` as Python objects (None where missing).

    Through the column's distinct values: converting all 100k arrow strings to
    Python objects costs ~5x more."""
    codes, distinct = pd.factorize(column)
    values = np.append(np.asarray(distinct, dtype=object), None)  # code -1 (missing) -> None
    return values[codes[pos]]


def _effective_coordinators(frame: pd.DataFrame, role: str, pairs: pd.DataFrame) -> pd.Series:
    """The coordinator tuple minus the lead, plus sheet names (see `annotate`).

    Most tasks keep their column tuple unchanged; only tasks whose lead is listed as
    its own coordinator, whose column repeats a name, or that gain a new name from the
    sheet are rebuilt (a sheet row repeating a name of the column adds nothing).
    The result never holds the lead or a repeat, so it can be exploded as is.
    """
    list_column = ROLE_COLUMNS[role][0]
    effective = frame[list_column].copy()
    if effective.empty:
        return effective.astype(object)
    from_sheet, duplicate = pairs["from_sheet"], pairs["duplicate"]
    changed = pd.unique(pairs.loc[pairs["is_lead"] | (from_sheet & ~duplicate)
                                  | (~from_sheet & duplicate), "pos"])
    if len(changed):
        kept = (~pairs["is_lead"] & ~pairs["duplicate"] & pairs["pos"].isin(changed)).to_numpy()
        kept_pos = pairs["pos"].to_numpy()[kept]
        order = np.argsort(kept_pos, kind="stable")  # by task, names in their order
        kept_pos, kept_names = kept_pos[order], pairs["name"].to_numpy(dtype=object)[kept][order]
        rebuilt, starts = np.unique(kept_pos, return_index=True)
        values = effective.to_numpy(dtype=object, copy=True)
        values[changed] = np.fromiter(([()] * len(changed)), dtype=object, count=len(changed))
        # One tuple per rebuilt task from slices of the sorted names (np.split would make a
        # view object per task: ~10x slower at 40 000 tasks).
        names, bounds = kept_names.tolist(), [*starts.tolist(), len(kept_names)]
        values[rebuilt] = np.fromiter((tuple(names[a:b]) for a, b in zip(bounds, bounds[1:])),
                                      dtype=object, count=len(rebuilt))
        effective = pd.Series(values, index=effective.index, dtype=object)
    return effective
