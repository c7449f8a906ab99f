"""Periods: the one home of month arithmetic and of fair comparisons (SPEC §3.2, §7).

Months are "YYYY-MM" strings (they sort like the months they name). A period is a
closed range of months [from_month, to_month]; the kinds the pages offer are a month,
a quarter, six months, a year, or any range.

Fair comparisons (SPEC §7, "Fair comparisons"), each rule here and nowhere else:
- A period that `as_of` falls inside is *partial*: its figures are "to date", i.e. only
  its tasks whose reference day (due date, else assigned date: the day that gives a
  task its month, §3.2) is on or before `as_of`; the rest are *upcoming*, shown apart.
- The previous period is the one of equal length just before. It is seen from the same
  point: its own as-of day is `as_of` moved back by the period's length in months (the
  day clamped to the month's last day), and it is cut at that day. Quý 4/2026 đến 31/10
  is compared with Quý 3/2026 đến 31/07; a complete Quý 3 seen on 31/10 with a complete
  Quý 2 seen on 31/07 (the same time after its end, so late vs overdue counts are alike).
- A previous period holding less data than the current one (the first month of the data
  lies after its first month) is not compared; `Comparison.reason` says why.
- A period that starts after `as_of` has not started: it is not offered and has no
  figures (nothing in the future is drawn as 100 %).

`Filters` is the value the sidebar produces and every page and the brief read.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

# pandas and numpy are imported inside the functions that filter frames: the month
# arithmetic is also what `python -m analysis metrics` checks its --from/--to with,
# before pandas is imported (its file checks start in a child process first).
if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# Period kinds (also the `ky` values in the dashboard's URL).
MONTH, QUARTER, HALF, YEAR, RANGE = "thang", "quy", "sau_thang", "nam", "khoang"
KINDS: tuple[str, ...] = (MONTH, QUARTER, HALF, YEAR, RANGE)
KIND_LABELS: dict[str, str] = {MONTH: "Tháng", QUARTER: "Quý", HALF: "6 tháng", YEAR: "Năm",
                               RANGE: "Khoảng tháng"}
_KIND_MONTHS = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}

# Why a comparison with the previous period is not made (`Comparison.reason`).
NO_BOUNDS = "no_bounds"  # the period is open-ended ("every month")
NOT_STARTED = "not_started"  # the period starts after as_of
LESS_DATA = "less_data"  # the data begins after the previous period's first month
NO_PREVIOUS_DATA = "no_previous_data"  # the previous period holds no task at all

# The center's clock: Vietnam, UTC+7, no daylight saving. Reporting deadlines, audit-log
# days and lock times are days and hours of this clock, whatever the server's zone is.
CENTER_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def center_today() -> date:
    """Today's date at the center (a server running on UTC is 7 hours behind it)."""
    return datetime.now(CENTER_TZ).date()


_MONTH_TEXT = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


# --- months ---------------------------------------------------------------------------

def parse_month(text: str) -> str:
    """"YYYY-MM" (also "YYYY-M"), normalised; ValueError for anything else."""
    match = _MONTH_TEXT.match(str(text or ""))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"tháng phải có dạng YYYY-MM (ví dụ 2026-10), nhận được {text!r}")
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def month_index(month: str) -> int:
    """Months since year 0: consecutive months differ by 1."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_at(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift_month(month: str, months: int) -> str:
    """`month` moved by `months` (negative: earlier)."""
    return month_at(month_index(month) + months)


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def month_end(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:7])
    return date(year, mon, calendar.monthrange(year, mon)[1])


def month_range(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included (empty when first > last)."""
    return [month_at(i) for i in range(month_index(first), month_index(last) + 1)]


def months_back(last: str, count: int) -> list[str]:
    """`count` months ending with `last`, newest first."""
    end = month_index(last)
    return [month_at(end - k) for k in range(count)]


def shift_day(day: date, months: int) -> date:
    """`day` moved by whole months, the day of month clamped (31/05 − 1 → 30/04)."""
    end = month_end(shift_month(month_of(day), months))
    return end.replace(day=min(day.day, end.day))


def quarter_of(month: str) -> str:
    """"2026-10" -> "2026-Q4"."""
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def half_of(month: str) -> str:
    """"2026-10" -> "2026-H2"."""
    return f"{month[:4]}-H{(int(month[5:7]) - 1) // 6 + 1}"


def bounds(kind: str, value: str | tuple[str | None, str | None] | None
           ) -> tuple[str | None, str | None]:
    """[from_month, to_month] of a period given as the pages name it:
    MONTH "2026-10", QUARTER "2026-Q4", HALF "2026-H2", YEAR "2026", RANGE (from, to).
    A reversed range is put in order. Unknown or missing values give (None, None)."""
    if value is None:
        return None, None
    try:
        if kind == RANGE:
            first, last = value
            if first and last and first > last:
                first, last = last, first
            return first, last
        text = str(value)
        if kind == MONTH:
            month = parse_month(text)
            return month, month
        if kind == YEAR:
            return f"{int(text):04d}-01", f"{int(text):04d}-12"
        if kind in (QUARTER, HALF):
            year, _, number = text.partition("-Q" if kind == QUARTER else "-H")
            size = _KIND_MONTHS[kind]
            first = (int(number) - 1) * size + 1
            if not 1 <= first <= 12:
                return None, None
            start = f"{int(year):04d}-{first:02d}"
            return start, shift_month(start, size - 1)
    except (TypeError, ValueError):
        pass
    return None, None


def period_value(kind: str, month: str) -> str:
    """The value of the period of `kind` that holds `month` ("2026-Q4", "2026", ...)."""
    return {MONTH: month, QUARTER: quarter_of(month), HALF: half_of(month),
            YEAR: month[:4]}[kind]


def offered_periods(kind: str, data_months: list[str] | tuple[str, ...], as_of: date) -> list[str]:
    """The periods of `kind` the sidebar offers, oldest first: those holding a month of the
    data and not starting after `as_of` (SPEC §7: no future periods)."""
    values = {period_value(kind, m) for m in data_months}
    return sorted(v for v in values if not starts_after(bounds(kind, v)[0], as_of))


def starts_after(from_month: str | None, as_of: date) -> bool:
    return bool(from_month) and month_start(from_month) > as_of


def reference_days(tasks: pd.DataFrame) -> pd.Series:
    """The day that gives each task its month (SPEC §3.2): due date, else assigned date."""
    return tasks["due_date"].fillna(tasks["assigned_date"])


def to_date(annotated: pd.DataFrame, day: date) -> pd.DataFrame:
    """The tasks whose reference day is on or before `day` (a trend seen on `day` draws
    nothing of what is not due yet: no future month reads as 100 %)."""
    import pandas as pd
    
    keep = reference_days(annotated).le(pd.Timestamp(day)).fillna(False).astype(bool)
    return annotated if keep.all() else annotated[keep.to_numpy()]


def reporting_months(from_month: str | None, to_month: str | None, as_of: date) -> list[str]:
    """The months of [from_month, to_month] that have ended by `as_of`: the monthly logs
    the period's figures need and that can be asked for (a log is sent after its month,
    SPEC §7.9; empty when open-ended)."""
    if not from_month or not to_month:
        return []
    return [m for m in month_range(from_month, to_month) if month_end(m) <= as_of]


# --- one side of a comparison ------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    """A period seen on a day: which tasks it holds and the as-of day of their outcomes.

    `cut` is the last reference day of the tasks counted (the as-of day of a partial
    period, None for a complete one); tasks of the period after it are upcoming.
    """

    from_month: str | None
    to_month: str | None
    as_of: date
    cut: date | None = None

    @property
    def partial(self) -> bool:
        return self.cut is not None

    def select(self, annotated: pd.DataFrame) -> pd.DataFrame:
        """The tasks counted in this window (its months, cut at `cut`)."""
        import pandas as pd
        
        frame = select_months(annotated, self.from_month, self.to_month)
        if self.cut is None:
            return frame
        keep = reference_days(frame).le(pd.Timestamp(self.cut)).fillna(False).astype(bool)
        return frame if keep.all() else frame[keep.to_numpy()]

    def upcoming(self, annotated: pd.DataFrame) -> pd.DataFrame:
        """Tasks of the period not due yet (reference day after the cut): shown apart."""
        import pandas as pd
        
        frame = select_months(annotated, self.from_month, self.to_month)
        if self.cut is None:
            return frame.iloc[0:0]
        later = reference_days(frame).gt(pd.Timestamp(self.cut)).fillna(False).astype(bool)
        return frame[later.to_numpy()]


def window(from_month: str | None, to_month: str | None, as_of: date) -> Window:
    """The period [from_month, to_month] seen on `as_of`, partial when as_of falls inside."""
    partial = bool(from_month and to_month) and month_start(from_month) <= as_of < month_end(to_month)
    return Window(from_month, to_month, as_of, as_of if partial else None)


def select_months(annotated: pd.DataFrame, from_month: str | None, to_month: str | None
                  ) -> pd.DataFrame:
    """The tasks whose month (column `month`, §3.2) lies in [from_month, to_month].

    A missing bound is open; with both missing every task is kept.
    """
    import pandas as pd
    
    keep = pd.Series(True, index=annotated.index)
    if from_month:
        keep &= annotated["month"].ge(from_month).fillna(False).astype(bool)
    if to_month:
        keep &= annotated["month"].le(to_month).fillna(False).astype(bool)
    return annotated if keep.all() else annotated[keep.to_numpy()]


# --- the sidebar's value -----------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """What the sidebar selected: a period, departments, services, the as-of day.
    Hashable: a cache key."""

    from_month: str | None  # "YYYY-MM"; None: no lower bound
    to_month: str | None
    departments: tuple[str, ...] = ()  # empty: every department
    services: tuple[str, ...] = ()  # empty: every service type
    as_of: date = field(default_factory=date.today)
    kind: str = RANGE

    @property
    def months(self) -> int:
        """The period's length in months (0 when open-ended)."""
        if not self.from_month or not self.to_month:
            return 0
        return month_index(self.to_month) - month_index(self.from_month) + 1

    @property
    def started(self) -> bool:
        return not starts_after(self.from_month, self.as_of)

    @property
    def window(self) -> Window:
        return window(self.from_month, self.to_month, self.as_of)

    def previous(self) -> Filters:
        """The period of equal length just before, seen from the same point (its as-of day
        is this one's moved back by the period's length; same other filters)."""
        if not self.months:
            return replace(self, from_month=None, to_month=None)
        return replace(self, from_month=shift_month(self.from_month, -self.months),
                       to_month=shift_month(self.to_month, -self.months),
                       as_of=shift_day(self.as_of, -self.months))

    def label(self) -> str:
        """"10/2026", "Quý 4/2026", "6 tháng đầu năm 2026", "Năm 2026" or
        "01/2026 – 05/2026"; "Tất cả các tháng" when open-ended."""
        return period_label(self.from_month, self.to_month)

    def trend_range(self, months: int = 12) -> tuple[str | None, str | None]:
        """Months a trend chart shows: at least `months` up to the period's end, never past
        the as-of month (a future month would read as 100 %)."""
        if not self.to_month:
            return self.from_month, self.to_month
        last = min(self.to_month, month_of(self.as_of))
        if self.from_month and self.from_month > last:
            return None, None  # not started: nothing to draw
        start = shift_month(last, -(months - 1))
        return min(start, self.from_month or start), last


def named_period(from_month: str, to_month: str) -> tuple[str, int] | None:
    """The calendar period `from_month..to_month` is, if any: ("month", m), ("quarter",
    q), ("half", 1 or 2), ("year", 0); None for any other range. The one rule the page
    labels and the brief's phrases name periods by."""
    first = int(from_month[5:7])
    length = month_index(to_month) - month_index(from_month) + 1
    if length == 1:
        return "month", first
    if length == 3 and (first - 1) % 3 == 0:
        return "quarter", (first - 1) // 3 + 1
    if length == 6 and first in (1, 7):
        return "half", 1 if first == 1 else 2
    if length == 12 and first == 1:
        return "year", 0
    return None


def period_label(from_month: str | None, to_month: str | None) -> str:
    if not from_month or not to_month:
        return "Tất cả các tháng"
    year, first = from_month[:4], int(from_month[5:7])
    match named_period(from_month, to_month):
        case ("month", _):
            return f"{first:02d}/{year}"
        case ("quarter", quarter):
            return f"Quý {quarter}/{year}"
        case ("half", half):
            return f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}"
        case ("year", _):
            return f"Năm {year}"
    return f"{first:02d}/{year} – {to_month[5:7]}/{to_month[:4]}"


# --- comparing with the previous period -----------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    """The current window and, when fair, the previous one (SPEC §7)."""

    current: Window | None  # None when the period has not started
    previous: Window | None  # None when not compared; then `reason` says why
    reason: str | None = None
    previous_label: str = ""

    @property
    def compared(self) -> bool:
        return self.previous is not None


def comparison(filters: Filters, first_data_month: str | None,
               previous_has_tasks: bool | None = None) -> Comparison:
    """The fair comparison of `filters`' period with the previous one.

    `first_data_month`: the first month the data covers (e.g. the first reporting month
    of the uploads in the figures); `previous_has_tasks`: whether the previous window
    holds any task (None: not known, not checked).
    """
    if not filters.started:
        return Comparison(None, None, NOT_STARTED)
    current = filters.window
    if not filters.months:
        return Comparison(current, None, NO_BOUNDS)
    before = filters.previous()
    label = period_label(before.from_month, before.to_month)
    if first_data_month is None or first_data_month > before.from_month:
        reason = NO_PREVIOUS_DATA if first_data_month is None or first_data_month > before.to_month \
            else LESS_DATA
        return Comparison(current, None, reason, label)
    if previous_has_tasks is False:
        return Comparison(current, None, NO_PREVIOUS_DATA, label)
    previous = Window(before.from_month, before.to_month, before.as_of,
                      before.as_of if current.partial else None)
    return Comparison(current, previous, None, label)


def to_date_label(win: Window) -> str:
    """"Quý 4/2026 đến 31/10/2026" for a partial window, the plain label otherwise."""
    label = period_label(win.from_month, win.to_month)
    return f"{label} đến {win.cut:%d/%m/%Y}" if win.cut else label


# --- filtering a task frame --------------------------------------------------------------

LEAD, COORD, ANY = "lead", "coord", "any"


def filter_tasks(annotated: pd.DataFrame, filters: Filters, role: str = LEAD,
                 period: bool = True) -> pd.DataFrame:
    """The annotated tasks `filters` keep.

    The period (cut to date when partial) and the services filter the task itself; the
    departments filter by `role`: LEAD tasks a selected department leads, COORD tasks on
    which it coordinates, ANY either. period=False keeps every month (trends).
    """
    frame = filters.window.select(annotated) if period else annotated
    if filters.services:
        frame = frame[frame["service"].isin(filters.services).to_numpy()]
    if filters.departments:
        names = filters.departments
        lead = frame["lead_dept"].isin(names).to_numpy()
        coord_column = ("coord_depts_effective" if "coord_depts_effective" in frame
                        else "coord_depts")
        if role == LEAD:
            keep = lead
        elif role == COORD:
            keep = _contains_any(frame[coord_column], names)
        else:
            keep = lead | _contains_any(frame[coord_column], names)
        frame = frame[keep]
    return frame


def _contains_any(lists: pd.Series, names: tuple[str, ...]) -> np.ndarray:
    """Rows whose tuple column holds at least one of `names` (vectorised via explode)."""
    exploded = lists.explode()
    hit = exploded.isin(names)
    return hit.groupby(level=0).any().reindex(lists.index, fill_value=False).to_numpy()
