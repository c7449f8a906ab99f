"""Typed rows → problems (SPEC §2.3, and the department scope of §4.1).

Each rule is one vectorised mask over the task frame; a `Problem` is built only
for the rows a mask flags. Messages come from `analysis.messages`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

import numpy as np
import pandas as pd

from analysis import messages
from analysis.fields import (
    CONTRIBUTION_FIELDS,
    CONTRIBUTION_RATINGS,
    DONE,
    FIELD_BY_NAME,
    OPEN,
    OTHER_SERVICE,
    TASK_FIELDS,
    TEMPLATE_STATUSES,
    match_key,
)
from analysis.formatting import format_date, format_number
from analysis.model import ERROR, WARNING, Problem, ReadSettings, empty_contributions
from analysis.parsing import CELL_TEXT_LIMIT, ParsedTasks, parse_contributions
from analysis.sheet_xml import cell_name

_FIELD_ORDER = {f.name: i for i, f in enumerate(TASK_FIELDS)}
_ACCEPTED_STATUSES = ", ".join(f"“{s}”" for s in TEMPLATE_STATUSES)

# A suggested department must be close in its own words: "Phòng " is shared by most
# names and would make "Phòng Kế toán" look like "Phòng Tư vấn".
SUGGESTION_CUTOFF = 0.6  # difflib ratio
_UNIT_WORD = re.compile(r"^(?:phong|ban|to|doi|trung tam|don vi|bo phan|khoa)\s+")
DEPARTMENTS_LISTED = 12  # a catalogue this small is listed when no name is close
VALUE_SHOWN_CHARS = 200  # a longer cell value is shown cut, in the report and its messages


def validate_tasks(parsed: ParsedTasks, settings: ReadSettings, today: dt.date,
                   headers: dict[str, str], warnings: bool = True,
                   columns: dict[str, int] | None = None) -> list[Problem]:
    """Every row problem of the task sheet, sorted by row then by column.

    warnings=False: the row warnings are not built (the errors all are), for a caller
    that only needs to know whether the file has errors. `columns`: field -> 0-based
    column of the sheet, to name a cell."""
    tasks = parsed.tasks
    rows = tasks["source_row"].to_numpy()
    problems: list[Problem] = []
    no_flag = pd.Series(False, index=tasks.index)

    def add(mask: pd.Series, field: str, severity: str, message, values=None) -> None:
        """One problem per flagged row; `message` is a str or a function of (value, i).
        The value shown is the cell text, or `values` (e.g. a date column) when given."""
        if severity == WARNING and not warnings:
            return
        flagged = np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False))
        if not len(flagged):
            return
        source = values if values is not None else parsed.text.get(field, tasks.get(field))
        if source is None:
            shown = [None] * len(flagged)
        elif pd.api.types.is_datetime64_any_dtype(source):
            shown = [_day_text(d) for d in source.to_numpy(dtype="datetime64[D]")[flagged]]
        else:
            shown = [_value(v) for v in source.iloc[flagged].tolist()]
        for i, value in zip(flagged.tolist(), shown):
            text = message(value, i) if callable(message) else message
            problems.append(Problem(int(rows[i]), field, value, severity, text))

    error_in = {name: parsed.excel_errors.get(name, no_flag) for name in FIELD_BY_NAME}
    unreadable = {name: parsed.unreadable_dates.get(name, no_flag) for name in FIELD_BY_NAME}

    # Cells longer than Excel allows, Excel error values and unreadable dates, in any column.
    no_value = pd.Series(None, index=tasks.index, dtype=object)
    for name, mask in (parsed.too_long or {}).items():
        add(mask, name, ERROR, lambda v, i, n=name: _too_long(
            rows[i], (columns or {}).get(n), parsed.text[n].iloc[i]), values=no_value)
    for name, mask in parsed.excel_errors.items():
        add(mask, name, ERROR, lambda v, i: messages.EXCEL_ERROR.format(value=v))
    for name, mask in parsed.unreadable_dates.items():
        header = headers.get(name, FIELD_BY_NAME[name].header)
        add(mask, name, ERROR, lambda v, i, h=header: messages.UNREADABLE_DATE.format(value=v, header=h))

    task_id = tasks["task_id"]
    if "task_id" in headers:  # a missing column is one error of its own, not one per row
        add(task_id.isna() & ~error_in["task_id"], "task_id", ERROR, messages.EMPTY_TASK_ID)
    repeated = task_id.notna() & task_id.duplicated(keep="first")
    if repeated.any():
        first_row = tasks.groupby("task_id", sort=False)["source_row"].transform("first").to_numpy()
        add(repeated, "task_id", ERROR, lambda v, i: messages.DUPLICATE_TASK_ID.format(
            task_id=v, first_row=int(first_row[i])))

    if "lead_dept" in headers:
        add(tasks["lead_dept"].isna() & ~error_in["lead_dept"], "lead_dept", ERROR,
            messages.EMPTY_LEAD_DEPT)
    if "assigned_date" in headers:
        add(tasks["assigned_date"].isna() & ~unreadable["assigned_date"] & ~error_in["assigned_date"],
            "assigned_date", ERROR, messages.MISSING_ASSIGNED_DATE)

    assigned, due, done = tasks["assigned_date"], tasks["due_date"], tasks["done_date"]
    assigned_days = assigned.to_numpy(dtype="datetime64[D]")
    add(due < assigned, "due_date", ERROR, lambda v, i: messages.DUE_BEFORE_ASSIGNED.format(
        due=v, assigned=_day_text(assigned_days[i])), values=due)
    add(done < assigned, "done_date", ERROR, lambda v, i: messages.DONE_BEFORE_ASSIGNED.format(
        done=v, assigned=_day_text(assigned_days[i])), values=done)

    known = parsed.status_known
    has_done = done.notna().to_numpy()
    done_without_date = (known == DONE) & done.isna() & ~unreadable["done_date"] & ~error_in["done_date"]
    if done_without_date.any():  # the status words as Python strings only when needed
        status_text = tasks["status_text"].tolist()
        add(done_without_date, "done_date", ERROR,
            lambda v, i: messages.DONE_WITHOUT_DATE.format(status=status_text[i]))
    add((known == OPEN) & done.notna(), "status", WARNING,
        lambda v, i: messages.OPEN_WITH_DONE_DATE.format(status=v))
    add(parsed.status_unknown, "status", WARNING, lambda v, i: messages.UNKNOWN_STATUS.format(
        value=v, meaning=messages.STATUS_MEANING[DONE if has_done[i] else OPEN],
        accepted=_ACCEPTED_STATUSES))

    problems += _department_problems(tasks, settings, add)

    if "title" in headers:
        add(tasks["title"].isna() & ~error_in["title"], "title", WARNING, messages.EMPTY_TITLE)
    if "due_date" in headers:
        add(due.isna() & ~unreadable["due_date"] & ~error_in["due_date"], "due_date", WARNING,
            messages.MISSING_DUE_DATE)
    else:
        problems.append(Problem(None, "due_date", None, WARNING, messages.MISSING_DUE_COLUMN))
    if "lead_person" in headers:
        add(tasks["lead_person"].isna() & ~error_in["lead_person"], "lead_person", WARNING,
            messages.MISSING_LEAD_PERSON)
    else:
        problems.append(Problem(None, "lead_person", None, WARNING,
                                messages.MISSING_LEAD_PERSON_COLUMN))
    today_text = format_date(today)
    add(done > pd.Timestamp(today), "done_date", WARNING, lambda v, i: messages.DONE_AFTER_TODAY.format(
        done=v, today=today_text), values=done)
    add(parsed.service_unknown, "service", WARNING,
        lambda v, i: messages.UNKNOWN_SERVICE.format(value=v, other=OTHER_SERVICE))
    if warnings:
        problems += _roster_problems(tasks, settings)
    return sort_problems(problems)


def unknown_department_messages(departments: tuple[str, ...] | list[str]):
    """A function: a department name not in `departments` → its message, with the closest
    catalogue name suggested (SPEC §2.3, §6; also used for the roster and for accounts)."""
    known = {match_key(d): d for d in departments}
    distinctive = {_UNIT_WORD.sub("", key): name for key, name in known.items()}
    if len(known) <= DEPARTMENTS_LISTED:
        not_close = messages.DEPT_NAMES_ALLOWED.format(
            names=", ".join(f"“{d}”" for d in departments))
    else:
        not_close = messages.DEPT_SEE_CATALOGUE

    def unknown_message(name: str) -> str:
        close = difflib.get_close_matches(_UNIT_WORD.sub("", match_key(name)), list(distinctive),
                                          n=1, cutoff=SUGGESTION_CUTOFF)
        if close:
            return messages.UNKNOWN_DEPT_SUGGEST.format(name=name, suggestion=distinctive[close[0]])
        return messages.UNKNOWN_DEPT.format(name=name) + not_close

    return unknown_message


def _department_problems(tasks: pd.DataFrame, settings: ReadSettings, add) -> list[Problem]:
    """Departments not in the catalogue (with the closest name), and rows led by
    another department than the uploading one (§4.1)."""
    problems: list[Problem] = []
    lead = tasks["lead_dept"]
    if settings.scope_dept:
        scope_key = match_key(settings.scope_dept)
        keys = lead.map(_key_lookup(lead))
        add(lead.notna() & (keys != scope_key), "lead_dept", ERROR,
            lambda v, i: messages.OUT_OF_SCOPE.format(lead=v, scope=settings.scope_dept))
    if not settings.departments:
        return problems
    known = {match_key(d): d for d in settings.departments}
    unknown_message = unknown_department_messages(settings.departments)
    lead_keys = lead.map(_key_lookup(lead))
    add(lead.notna() & ~lead_keys.isin(known), "lead_dept", ERROR, lambda v, i: unknown_message(v))
    for row, name in _list_items(tasks, "coord_depts"):
        if match_key(name) not in known:
            problems.append(Problem(row, "coord_depts", name, ERROR, unknown_message(name)))
    return problems


def _roster_problems(tasks: pd.DataFrame, settings: ReadSettings) -> list[Problem]:
    if not settings.people:
        return []
    roster = {match_key(p) for p in settings.people}
    problems = []
    lead = tasks["lead_person"]
    keys = lead.map(_key_lookup(lead))
    for i in np.flatnonzero((lead.notna() & ~keys.isin(roster)).to_numpy()):
        problems.append(Problem(int(tasks["source_row"].iloc[i]), "lead_person", lead.iloc[i],
                                WARNING, messages.UNKNOWN_PERSON.format(name=lead.iloc[i])))
    for row, name in _list_items(tasks, "coord_people"):
        if match_key(name) not in roster:
            problems.append(Problem(row, "coord_people", name, WARNING,
                                    messages.UNKNOWN_PERSON.format(name=name)))
    return problems


def _list_items(tasks: pd.DataFrame, column: str):
    """(row, item) for every item of a list column."""
    exploded = tasks[["source_row", column]].explode(column).dropna(subset=[column])
    return zip(exploded["source_row"].astype(int).tolist(), exploded[column].tolist())


def _key_lookup(series: pd.Series) -> dict:
    return {v: match_key(v) for v in series.dropna().unique()}


def use_catalogue_spelling(tasks: pd.DataFrame, settings: ReadSettings) -> pd.DataFrame:
    """Names that match a catalogue entry up to case/diacritics/spacing take the
    catalogue's spelling, so one department is one name in the figures."""
    tasks = tasks.copy()
    for names, single, lists in ((settings.departments, "lead_dept", "coord_depts"),
                                 (settings.people, "lead_person", "coord_people")):
        if not names:
            continue
        spelling = {match_key(n): n for n in names}
        lookup = {v: spelling.get(match_key(v), v) for v in tasks[single].dropna().unique()}
        tasks[single] = tasks[single].map(lookup).astype("str")
        tasks[lists] = tasks[lists].map(
            lambda items, spelling=spelling: tuple(dict.fromkeys(spelling.get(match_key(x), x)
                                                            for x in items)))
    return tasks


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Whole-file problems first, then by row, then by column order."""
    order = _FIELD_ORDER
    return sorted(problems, key=lambda p: (-1 if p.row is None else p.row, order.get(p.field, 99)))


def _day_text(day: np.datetime64) -> str | None:
    """numpy day → dd/mm/yyyy (fast: no Timestamp per problem)."""
    if np.isnat(day):
        return None
    iso = str(day)
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def _value(value) -> str | None:
    if value is None or (not isinstance(value, (tuple, list)) and pd.isna(value)):
        return None
    text = str(value)
    return text if len(text) <= VALUE_SHOWN_CHARS else text[:VALUE_SHOWN_CHARS] + "…"


def _too_long(row: int, column: int | None, text: str) -> str:
    """SPEC §2.3: a cell over Excel's limit, named ("C5") when its column is known."""
    cell = cell_name(row - 1, column) if column is not None else f"dòng {row}"
    return messages.CELL_TOO_LONG.format(cell=cell, length=format_number(len(text)),
                                         limit=format_number(CELL_TEXT_LIMIT))


# --- the "Phối hợp" sheet -------------------------------------------------------------------

def parse_and_validate_contributions(sheet: str, raw: dict[str, pd.Series], dates: dict,
                                     month_first: bool, source_rows: np.ndarray,
                                     headers: dict[str, str], tasks: pd.DataFrame,
                                     columns: dict[str, int] | None = None
                                     ) -> tuple[pd.DataFrame, list[Problem]]:
    """SPEC §2.2: task ids should exist in the task sheet (warning), dates must be
    readable (error), ratings are Tốt / Đạt / Chưa đạt (warning)."""
    parsed = parse_contributions(raw, dates, month_first, source_rows)
    frame = parsed.frame
    if frame.empty:
        return empty_contributions(), []
    prefix = messages.CONTRIBUTION_PREFIX.format(sheet=sheet)
    rows = frame["source_row"].to_numpy()
    problems: list[Problem] = []
    by_name = {f.name: f for f in CONTRIBUTION_FIELDS}

    def add(mask: pd.Series, field: str, severity: str, message) -> None:
        source = parsed.text.get(field, frame[field])
        for i in np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False)):
            value = _value(source.iloc[i])
            text = message(value) if callable(message) else message
            # After "Trang “Phối hợp”: " a shared message goes on in lower case.
            problems.append(Problem(int(rows[i]), field, value, severity,
                                    prefix + text[:1].lower() + text[1:]))

    for name, mask in parsed.too_long.items():
        for i in np.flatnonzero(mask.to_numpy()):
            text = _too_long(int(rows[i]), (columns or {}).get(name), parsed.text[name].iloc[i])
            problems.append(Problem(int(rows[i]), name, None, ERROR,
                                    prefix + text[:1].lower() + text[1:]))
    for name, mask in parsed.excel_errors.items():
        add(mask, name, ERROR, lambda v: messages.EXCEL_ERROR.format(value=v))
    for name, mask in parsed.unreadable_dates.items():
        header = headers.get(name, by_name[name].header)
        add(mask, name, ERROR, lambda v, h=header: messages.UNREADABLE_DATE.format(value=v, header=h))
    task_ids = set(tasks["task_id"].dropna())
    ids = frame["task_id"]
    add(ids.isna() & ~parsed.excel_errors.get("task_id", pd.Series(False, index=frame.index)),
        "task_id", WARNING, messages.CONTRIBUTION_MISSING_TASK_ID)
    add(ids.notna() & ~ids.isin(task_ids), "task_id", WARNING,
        lambda v: messages.CONTRIBUTION_UNKNOWN_TASK.format(task_id=v))
    add(parsed.rating_unknown, "rating", WARNING, lambda v: messages.CONTRIBUTION_UNKNOWN_RATING.format(
        value=v, ratings=", ".join(CONTRIBUTION_RATINGS)))
    return frame, sorted(problems, key=lambda p: p.row or 0)
