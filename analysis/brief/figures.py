"""What the brief states, computed once and shared by the page `Họp đánh giá`, the Word
brief and the Excel brief (SPEC §7.1, §7.7).

The period is seen fairly (SPEC §7, `analysis.periods.comparison`): a period that the
as-of day falls inside is cut at that day ("to date"), and the previous period is cut
at the same elapsed day, its outcomes judged on its own as-of day; tasks of the period
not due yet are counted apart as upcoming. A complete period (e.g. 09–10/2026 seen on
31/10/2026) is not cut, so its department and person figures are exactly the §3 figures
of `python -m analysis metrics` for it.

The four-way line of the government's task tracking, per group (SPEC §3.3, §3.1 outcomes):
  due      = on_time + late + overdue      ("nhiệm vụ đến hạn"; the rates' denominator)
  done     = on_time + late                ("đã hoàn thành"); completion_rate = done / due
  overdue  = overdue                       ("quá hạn": past due, not done)
  in_term  = open + upcoming not done      ("trong hạn": not done, due on or after as_of)
  not_done = in_term + overdue             ("chưa hoàn thành")
No-deadline and cancelled tasks are outside the line (counted apart).

Scope: the whole center, or one department for its head (SPEC §8): then the lists,
tables and sections hold that department's part only (its own figures, its people,
its overdue tasks, its submissions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analysis.access import CENTER
from analysis.fields import match_key
from analysis.metrics import Thresholds, annotate, group_figures
from analysis.metrics.coordinators import has_contributions
from analysis.metrics.outcomes import task_month
from analysis.metrics.recognition import judge
from analysis.metrics.report import member_figures
from analysis.metrics.structure import cross_vs_single, matrix
from analysis.metrics.trends import monthly_trend
from analysis.periods import (
    LESS_DATA,
    NO_PREVIOUS_DATA,
    NOT_STARTED,
    RANGE,
    Comparison,
    Filters,
    comparison,
    month_of,
    month_range,
    period_label,
    to_date_label,
)
from analysis.submissions import LATE, MISSING, due_by, submission_grid

LINE_COLUMNS = ("tasks", "due", "done", "on_time", "late", "overdue", "in_term", "not_done",
                "open", "upcoming", "no_deadline", "cancelled", "completion_rate",
                "on_time_rate")
BEST_COORDINATORS = 5


@dataclass(frozen=True)
class BriefHeader:
    """The brief's header and signature (settings, SPEC §6, §7.1)."""

    parent_body: str = "SỞ Y TẾ THÀNH PHỐ ĐÀ NẴNG"
    center_name: str = "TRUNG TÂM CÔNG TÁC XÃ HỘI"
    abbreviation: str = "TTCTXH"
    place: str = "Đà Nẵng"
    signer_title: str = "GIÁM ĐỐC"
    signer_name: str = ""
    recipients: tuple[str, ...] = ("Sở Y tế (để báo cáo)", "Ban Giám đốc Trung tâm",
                                   "Các phòng thuộc Trung tâm")
    archive: str = "VT, HCTH"

    @classmethod
    def from_settings(cls, values: dict[str, Any]) -> BriefHeader:
        defaults = cls()
        chosen = {}
        for name in ("parent_body", "center_name", "abbreviation", "place", "signer_title",
                     "signer_name", "archive"):
            value = values.get(f"brief_{name}")
            if isinstance(value, str):
                chosen[name] = value.strip()
        recipients = values.get("brief_recipients")
        if isinstance(recipients, (list, tuple)):
            chosen["recipients"] = tuple(str(r).strip() for r in recipients if str(r).strip())
        return cls(**{**defaults.__dict__, **chosen})


@dataclass
class BriefInputs:
    """Everything the brief is computed from (see `sources.brief_inputs`)."""

    tasks: pd.DataFrame  # consolidated tasks (analysis.model task frame)
    contributions: pd.DataFrame | None
    as_of: date
    from_month: str
    to_month: str
    kind: str = RANGE
    scope: str = CENTER  # CENTER or a department (a head's own part)
    thresholds: Thresholds = field(default_factory=Thresholds)
    header: BriefHeader = field(default_factory=BriefHeader)
    uploads: pd.DataFrame | None = None  # UPLOAD_COLUMNS; None: submissions not known
    departments: tuple[str, ...] = ()  # the catalogue's (empty: those the data names)
    roster: tuple[dict, ...] = ()  # {name, department, position}
    deadline_day: int = 5
    issued: date | None = None  # the date line; default today


@dataclass
class BriefFigures:
    """What the brief states. Frames are plain pandas; every rate a fraction or NaN."""

    inputs: BriefInputs
    comparison: Comparison
    period_label: str  # "Quý 4/2026 đến 31/10/2026" or "09/2026 – 10/2026"
    previous_label: str  # the same for the previous window ("" when not compared)
    reason: str | None  # why the previous period is not compared (Vietnamese)
    overall: dict  # LINE_COLUMNS + §3.3 figures + cross/single rates
    previous_overall: dict | None
    departments: pd.DataFrame  # name, FIGURE_COLUMNS, coord_*, line columns, prev_*
    people: pd.DataFrame  # name, department, the same
    matrix: pd.DataFrame  # lead_dept, coord_dept, tasks, on_time, late, overdue, on_time_rate
    praise_departments: pd.DataFrame  # recognition lists (RECOGNITION_COLUMNS)
    reminder_departments: pd.DataFrame
    praise_people: pd.DataFrame
    reminder_people: pd.DataFrame
    department_roles: pd.DataFrame  # recognition.role_table of departments (both roles)
    person_roles: pd.DataFrame  # ... of people
    best_coordinators: pd.DataFrame  # role ("dept"/"person"), name, coord counts and rate
    overdue_tasks: pd.DataFrame  # overdue at as_of, oldest first (this period and before)
    submissions: pd.DataFrame | None  # submission_grid rows of the period's months
    not_due_months: list[str]  # months whose reporting deadline is not past yet
    monthly: pd.DataFrame  # monthly_trend of the window
    selected: pd.DataFrame  # the window's annotated tasks (scope applied)
    window_tasks: pd.DataFrame  # the window's annotated tasks, whole center: drill-downs
    upcoming: pd.DataFrame  # the period's tasks after the cut (annotated)
    issued: date
    sheet: bool  # coordinator rates from the "Phối hợp" sheet

    @property
    def scope(self) -> str:
        return self.inputs.scope

    @property
    def whole_center(self) -> bool:
        return self.inputs.scope == CENTER

    @property
    def as_of(self) -> date:
        return self.inputs.as_of

    @property
    def cut(self) -> date | None:
        return self.comparison.current.cut if self.comparison.current else None

    @property
    def departments_without_data(self) -> list[str]:
        """Known departments (the catalogue's, else those the uploads name) with no task
        led or coordinated in the period: shown as "chưa có số liệu", never as 0."""
        known = list(self.inputs.departments)
        if not known and self.submissions is not None:
            known = list(dict.fromkeys(self.submissions["department"]))
        listed = {match_key(n) for n in self.departments["name"]}
        return [n for n in known if match_key(n) not in listed
                and (self.whole_center or _same(n, self.scope))]

    @property
    def missing_submissions(self) -> list[tuple[str, list[str]]]:
        return self._submission_months(MISSING)

    @property
    def late_submissions(self) -> list[tuple[str, list[str]]]:
        return self._submission_months(LATE)

    @property
    def not_due_submissions(self) -> list[tuple[str, list[str]]]:
        """Departments without the log of a month not due yet on the as-of day: named
        apart, never counted as missing (submissions.due_by)."""
        return self._submission_months(MISSING, due=False)

    def _submission_months(self, status: str, due: bool = True) -> list[tuple[str, list[str]]]:
        """(department, ["MM/YYYY", ...]) with `status` in the months due (or not due)."""
        if self.submissions is None or self.submissions.empty:
            return []
        rows = self.submissions[self.submissions["status"].eq(status)
                                & (self.submissions["month"].isin(self.not_due_months) != due)]
        return [(name, [f"{m[5:7]}/{m[:4]}" for m in group["month"]])
                for name, group in rows.groupby("department", sort=False)]


class PeriodError(ValueError):
    """The period cannot be reported (it has not started, or it is reversed)."""


REASONS = {
    NOT_STARTED: "Kỳ này chưa bắt đầu tại ngày tính.",
    LESS_DATA: ("Không so sánh với {label}: dữ liệu bắt đầu từ tháng {first}, kỳ trước chưa "
                "có đủ số liệu."),
    NO_PREVIOUS_DATA: "Không so sánh với {label}: kỳ trước chưa có số liệu.",
}


def brief_figures(inputs: BriefInputs) -> BriefFigures:
    """Compute everything the brief states (see the module docstring)."""
    if inputs.from_month > inputs.to_month:
        raise PeriodError(f"--from {inputs.from_month} sau --to {inputs.to_month}")
    filters = Filters(inputs.from_month, inputs.to_month, as_of=inputs.as_of, kind=inputs.kind)
    if not filters.started:
        raise PeriodError(f"kỳ {period_label(inputs.from_month, inputs.to_month)} chưa bắt "
                          f"đầu tại ngày {inputs.as_of:%d/%m/%Y}")
    annotated = annotate(inputs.tasks, inputs.as_of, inputs.contributions)
    first_month = _first_data_month(inputs.tasks, annotated)
    before = filters.previous()
    # Outcomes of the previous period are judged on its own as-of day; only its months
    # are annotated again (a fraction of the tasks).
    months = task_month(inputs.tasks)
    in_previous = (months.ge(before.from_month) & months.le(before.to_month)).fillna(False)
    previous_annotated = annotate(inputs.tasks[in_previous.to_numpy(dtype=bool)], before.as_of,
                                  inputs.contributions)
    previous_window = before.window
    previous_has = bool(len(previous_window.select(previous_annotated)))
    comp = comparison(filters, first_month, previous_has)
    current = comp.current
    selected = current.select(annotated)
    upcoming = current.upcoming(annotated)

    scoped = _scope_tasks(selected, inputs.scope)
    scoped_upcoming = _scope_tasks(upcoming, inputs.scope)
    overall = _line(scoped, scoped_upcoming)
    overall.update(cross_vs_single(scoped))
    departments = _members(selected, upcoming, inputs, "dept")
    people = _members(selected, upcoming, inputs, "person")

    previous_overall = None
    if comp.previous is not None:
        prev_selected = comp.previous.select(previous_annotated)
        previous_overall = _line(_scope_tasks(prev_selected, inputs.scope),
                                 _scope_tasks(comp.previous.upcoming(previous_annotated),
                                              inputs.scope))
        previous_overall.update(cross_vs_single(_scope_tasks(prev_selected, inputs.scope)))
        for frame, role in ((departments, "dept"), (people, "person")):
            _add_previous(frame, prev_selected, inputs, role, comp.previous.as_of)

    roles, lists = {}, {}
    for role in ("dept", "person"):  # §3.6 judged once per role
        judged = judge(selected, role, inputs.thresholds, inputs.contributions, inputs.as_of)
        roles[role] = _scope_names(judged.role_table(), departments, people, role, inputs.scope)
        praise, reminder = judged.lists()
        lists[role] = (_scope_names(praise, departments, people, role, inputs.scope),
                       _scope_names(reminder, departments, people, role, inputs.scope))

    return BriefFigures(
        inputs=inputs, comparison=comp, period_label=to_date_label(current),
        previous_label=to_date_label(comp.previous) if comp.previous else comp.previous_label,
        reason=_reason(comp, first_month),
        overall=overall, previous_overall=previous_overall,
        departments=departments, people=people,
        matrix=_scope_matrix(matrix(selected), inputs.scope),
        praise_departments=lists["dept"][0], reminder_departments=lists["dept"][1],
        praise_people=lists["person"][0], reminder_people=lists["person"][1],
        department_roles=roles["dept"], person_roles=roles["person"],
        best_coordinators=_best_coordinators(roles, inputs.thresholds),
        overdue_tasks=_overdue_tasks(annotated, inputs),
        submissions=_submissions(inputs),
        not_due_months=[m for m in month_range(inputs.from_month, inputs.to_month)
                        if not due_by(m, inputs.as_of, inputs.deadline_day)],
        monthly=monthly_trend(scoped, inputs.from_month,
                              min(inputs.to_month, month_of(inputs.as_of))),
        selected=scoped, window_tasks=selected, upcoming=scoped_upcoming,
        issued=inputs.issued or date.today(),
        sheet=has_contributions(inputs.contributions),
    )


# --- pieces -------------------------------------------------------------------------------

def _first_data_month(tasks: pd.DataFrame, annotated: pd.DataFrame) -> str | None:
    """The first month the data covers: the first reporting month of the uploads in the
    figures, else (tasks read from files) the first task month."""
    if "reporting_month" in tasks and tasks["reporting_month"].notna().any():
        return str(tasks["reporting_month"].dropna().min())
    months = annotated["month"].dropna()
    return str(months.min()) if len(months) else None


def _reason(comp: Comparison, first_month: str | None) -> str | None:
    if comp.compared or comp.reason is None:
        return None
    template = REASONS.get(comp.reason, "Không so sánh với kỳ trước.")
    first = f"{first_month[5:7]}/{first_month[:4]}" if first_month else ""
    return template.format(label=comp.previous_label or "kỳ trước", first=first)


def _line(selected: pd.DataFrame, upcoming: pd.DataFrame) -> dict:
    """§3.3 figures of the tasks plus the four-way line (module docstring)."""
    figures = group_figures(selected).to_dict("records")[0]
    open_upcoming = int(((upcoming["outcome"] != "cancelled")
                         & ~upcoming["done_by_as_of"].astype(bool)).sum()) if len(upcoming) else 0
    return _with_line(figures, open_upcoming, int((upcoming["outcome"] != "cancelled").sum())
                      if len(upcoming) else 0)


def _with_line(figures: dict, upcoming_open: int, upcoming: int) -> dict:
    line = {k: (int(v) if isinstance(v, (int, np.integer)) else v) for k, v in figures.items()}
    line["due"] = line["on_time"] + line["late"] + line["overdue"]
    line["done"] = line["on_time"] + line["late"]
    line["upcoming"] = upcoming
    line["in_term"] = line["open"] + upcoming_open
    line["not_done"] = line["in_term"] + line["overdue"]
    return {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in line.items()}


def _scope_tasks(frame: pd.DataFrame, scope: str) -> pd.DataFrame:
    """The tasks a department leads (its part), or all of them for the center."""
    if scope == CENTER:
        return frame
    key = match_key(scope)
    keep = frame["lead_dept"].map(lambda d: isinstance(d, str) and match_key(d) == key)
    return frame[keep.to_numpy(dtype=bool)]


def _same(a, b) -> bool:
    return isinstance(a, str) and isinstance(b, str) and match_key(a) == match_key(b)


def person_departments(annotated: pd.DataFrame, roster: tuple[dict, ...]) -> dict[str, str]:
    """Each person's department: the roster's, else the department of most of the tasks
    they lead, else of most of those they coordinate for (ties: alphabetical)."""
    result: dict[str, str] = {}
    led = annotated.dropna(subset=["lead_person", "lead_dept"])
    if len(led):
        counts = led.groupby(["lead_person", "lead_dept"]).size().reset_index(name="n")
        counts = counts.sort_values(["lead_person", "n", "lead_dept"],
                                    ascending=[True, False, True])
        result.update(counts.drop_duplicates("lead_person").set_index("lead_person")
                      ["lead_dept"].astype("str").to_dict())
    pairs = annotated[["coord_people_effective", "coord_depts_effective"]].explode(
        "coord_people_effective").explode("coord_depts_effective").dropna()
    if len(pairs):
        counts = pairs.groupby(["coord_people_effective", "coord_depts_effective"]).size()
        counts = counts.reset_index(name="n").sort_values(
            ["coord_people_effective", "n", "coord_depts_effective"],
            ascending=[True, False, True]).drop_duplicates("coord_people_effective")
        for person, dept in zip(counts["coord_people_effective"], counts["coord_depts_effective"]):
            result.setdefault(str(person), str(dept))
    for entry in roster:
        if entry.get("name") and entry.get("department"):
            result[str(entry["name"])] = str(entry["department"])
    return result


def _members(selected: pd.DataFrame, upcoming: pd.DataFrame, inputs: BriefInputs,
             role: str) -> pd.DataFrame:
    """The §5 department/person entries of the window, with the four-way line columns
    (and, for people, their department); scoped to a head's department."""
    members, _ = member_figures(selected, inputs.contributions, inputs.as_of, role)
    lead_column = "lead_dept" if role == "dept" else "lead_person"
    live = upcoming[upcoming["outcome"].ne("cancelled").to_numpy()] if len(upcoming) else upcoming
    up = live.groupby(lead_column).size() if len(live) else pd.Series(dtype="int64")
    up_open = (live[~live["done_by_as_of"].astype(bool).to_numpy()].groupby(lead_column).size()
               if len(live) else pd.Series(dtype="int64"))
    members["upcoming"] = members["name"].map(up).fillna(0).astype("int64")
    members["due"] = members["on_time"] + members["late"] + members["overdue"]
    members["done"] = members["on_time"] + members["late"]
    members["in_term"] = members["open"] + members["name"].map(up_open).fillna(0).astype("int64")
    members["not_done"] = members["in_term"] + members["overdue"]
    if role == "person":
        where = person_departments(selected, inputs.roster)
        members.insert(1, "department", members["name"].map(where).fillna("").astype("str"))
        if inputs.scope != CENTER:
            members = members[members["department"].map(lambda d: _same(d, inputs.scope))]
    elif inputs.scope != CENTER:
        members = members[members["name"].map(lambda d: _same(d, inputs.scope))]
    return members.reset_index(drop=True)


def _add_previous(frame: pd.DataFrame, prev_selected: pd.DataFrame, inputs: BriefInputs,
                  role: str, previous_as_of: date) -> None:
    """prev_tasks, prev_on_time_rate, prev_completion_rate, prev_coord_on_time_rate: the
    same figures in the previous window (NaN where the name had none)."""
    previous, _ = member_figures(prev_selected, inputs.contributions, previous_as_of, role)
    previous = previous.set_index("name")
    for column in ("tasks", "on_time_rate", "completion_rate", "coord_on_time_rate"):
        frame[f"prev_{column}"] = frame["name"].map(previous[column]) if len(previous) \
            else np.nan


def _scope_names(listed: pd.DataFrame, departments: pd.DataFrame, people: pd.DataFrame,
                 role: str, scope: str) -> pd.DataFrame:
    if scope == CENTER:
        return listed
    names = set((departments if role == "dept" else people)["name"])
    return listed[listed["name"].isin(names)].reset_index(drop=True)


def _scope_matrix(table: pd.DataFrame, scope: str) -> pd.DataFrame:
    if scope == CENTER:
        return table
    def named(column: str) -> np.ndarray:
        return np.fromiter((_same(d, scope) for d in table[column]), dtype=bool,
                           count=len(table))

    return table[named("lead_dept") | named("coord_dept")].reset_index(drop=True)


def _best_coordinators(roles: dict[str, pd.DataFrame], thresholds: Thresholds) -> pd.DataFrame:
    """The best coordinators of each role: enough evidence as coordinator, a coordinator
    rate not below the reminder threshold and not on the reminder list; ranked by the
    Wilson bound of that rate (shown as the rate and its counts); at most 5 a role."""
    rows = []
    for role, table in roles.items():
        table = table[table["coord_enough"].to_numpy()
                      & table["coord_rate"].ge(thresholds.reminder_below_rate).to_numpy()
                      & ~table["reminder"].to_numpy()]
        table = table.sort_values(["coord_wilson_lower", "name"], ascending=[False, True])
        rows.append(table.head(BEST_COORDINATORS).assign(role=role))
    columns = ["role", "name", "coord_on_time", "coord_late", "coord_past_due",
               "coord_counted", "coord_rate"]
    return pd.concat(rows, ignore_index=True)[columns]


OVERDUE_COLUMNS = ("task_id", "title", "lead_dept", "lead_person", "coord_depts",
                   "coord_people", "assigned_date", "due_date", "delay_days", "month",
                   "in_period")


def _overdue_tasks(annotated: pd.DataFrame, inputs: BriefInputs) -> pd.DataFrame:
    """Tasks overdue at as_of whose month is not after the period (earlier months' too:
    they still need direction), oldest deadline first; `in_period` marks this period's."""
    overdue = annotated[annotated["outcome"].eq("overdue").to_numpy()
                        & annotated["month"].le(inputs.to_month).fillna(False).to_numpy(bool)]
    overdue = _scope_tasks(overdue, inputs.scope)
    overdue = overdue.assign(in_period=overdue["month"].ge(inputs.from_month).to_numpy())
    overdue = overdue.sort_values(["due_date", "delay_days", "task_id"],
                                  ascending=[True, False, True], kind="stable")
    return overdue[list(OVERDUE_COLUMNS)].reset_index(drop=True)


def _submissions(inputs: BriefInputs) -> pd.DataFrame | None:
    """Who reported which month of the period (SPEC §7.9); None when not known."""
    if inputs.uploads is None:
        return None
    months = [m for m in month_range(inputs.from_month, inputs.to_month)
              if m <= month_of(inputs.as_of)]
    known = list(inputs.departments) or known_departments(inputs.tasks, inputs.uploads)
    if inputs.scope != CENTER:
        known = [d for d in known if _same(d, inputs.scope)] or [inputs.scope]
    return submission_grid(inputs.uploads, known, months, inputs.deadline_day)


def known_departments(tasks: pd.DataFrame, uploads: pd.DataFrame) -> list[str]:
    """With an empty catalogue: every department the current uploads name (as lead or
    coordinator, or as an upload's scope), one spelling per name."""
    names: dict[str, str] = {}
    values = list(tasks["lead_dept"].dropna().astype("str"))
    values += [d for depts in tasks["coord_depts"] for d in depts]
    if len(uploads):
        values += [s for s in uploads["scope"].astype("str") if match_key(s) != CENTER]
    for name in values:
        names.setdefault(match_key(name), name)
    return sorted(names.values())


__all__ = ["BriefHeader", "BriefInputs", "BriefFigures", "PeriodError", "brief_figures",
           "person_departments", "known_departments"]
