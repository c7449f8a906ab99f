"""The sidebar filters every page shares (SPEC §7), kept in the URL query string.

`render_sidebar(options)` is called once per run by `dashboard.py` (before the
page runs); pages read the result with `current_filters()`.

Query parameters (a view can be bookmarked or shared):
    ky     period kind: thang | quy | nam | khoang
    thang  YYYY-MM (ky=thang)        quy  YYYY-Qn (ky=quy)      nam  YYYY (ky=nam)
    tu, den  YYYY-MM (ky=khoang)
    phong  department, repeated      dv   service type, repeated
    ngay   as-of date YYYY-MM-DD (absent: today)
They are read on the first run of a session and written back on every run, so they
survive a page switch and follow every widget change.

Pages get the filtered annotated tasks with `filtered_tasks(filters, role)` (cached).

Department filter meaning (`apply_filters(role=...)`):
    role="lead"  : tasks LED by a selected department (lead figures, per-person lead figures)
    role="coord" : tasks on which a selected department COORDINATES (coordinator figures)
    role="any"   : tasks led by or coordinated by a selected department
Services and the period always filter the task itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from analysis.formatting import format_date, format_month
from ui import strings as S

_STATE = "_ctxh_filters"  # session_state key of this run's Filters
_INIT = "_ctxh_filters_init"
_DEFAULT_AS_OF = "_ctxh_default_as_of"  # the as-of date a URL without "ngay" means
# widget keys (also the session_state keys a test can set)
KEY_KIND, KEY_MONTH, KEY_QUARTER, KEY_YEAR = "f_kind", "f_month", "f_quarter", "f_year"
KEY_FROM, KEY_TO, KEY_DEPTS, KEY_SERVICES, KEY_AS_OF = (
    "f_from", "f_to", "f_depts", "f_services", "f_as_of")
KINDS = tuple(S.PERIOD_KINDS)
_PARAMS = ("ky", "thang", "quy", "nam", "tu", "den", "phong", "dv", "ngay")


@dataclass(frozen=True)
class Filters:
    """What the sidebar selected. Hashable: use it as a cache key."""

    from_month: str | None  # "YYYY-MM"; None: no lower bound
    to_month: str | None
    departments: tuple[str, ...] = ()  # empty: every department
    services: tuple[str, ...] = ()  # empty: every service type
    as_of: date = field(default_factory=date.today)
    kind: str = "khoang"  # thang | quy | nam | khoang (for labels only)

    @property
    def months(self) -> int:
        if not self.from_month or not self.to_month:
            return 0
        return _month_index(self.to_month) - _month_index(self.from_month) + 1

    def previous(self) -> "Filters":
        """The period of equal length just before this one (same other filters)."""
        if not self.months:
            return replace(self, from_month=None, to_month=None)
        start = _month_index(self.from_month) - self.months
        return replace(self, from_month=_month_text(start),
                       to_month=_month_text(start + self.months - 1))

    def period_label(self) -> str:
        """"10/2026", "Quý 4/2026", "Năm 2026" or "01/2026 – 06/2026"."""
        if not self.from_month or not self.to_month:
            return S.ALL
        year, month = self.from_month.split("-")
        if self.kind == "thang" or self.months == 1:
            return format_month(self.from_month)
        if self.kind == "quy" and self.months == 3 and (int(month) - 1) % 3 == 0:
            return f"{S.QUARTER} {(int(month) - 1) // 3 + 1}/{year}"
        if self.kind == "nam" and self.months == 12 and month == "01":
            return f"{S.YEAR} {year}"
        return f"{format_month(self.from_month)} – {format_month(self.to_month)}"

    def describe(self) -> str:
        """One line for captions: period, as-of date, filters in force."""
        parts = [f"Kỳ: {self.period_label()}", f"{S.AS_OF.lower()}: {format_date(self.as_of)}"]
        if self.departments:
            parts.append(f"{S.DEPARTMENTS.lower()}: {', '.join(self.departments)}")
        if self.services:
            parts.append(f"{S.SERVICES.lower()}: {', '.join(self.services)}")
        return " · ".join(parts)


def _month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def _month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift_month(month: str, months: int) -> str:
    """"YYYY-MM" moved by `months` (negative: earlier)."""
    return _month_text(_month_index(month) + months)


def quarter_of(month: str) -> str:
    year, mon = month.split("-")
    return f"{year}-Q{(int(mon) - 1) // 3 + 1}"


def quarter_months(quarter: str) -> tuple[str, str]:
    year, q = quarter.split("-Q")
    first = (int(q) - 1) * 3 + 1
    return f"{year}-{first:02d}", f"{year}-{first + 2:02d}"


def _quarter_label(quarter: str) -> str:
    year, q = quarter.split("-Q")
    return f"{S.QUARTER} {q}/{year}"


def period_for(kind: str, month: str | None, quarter: str | None, year: str | None,
               from_month: str | None, to_month: str | None) -> tuple[str | None, str | None]:
    """[from_month, to_month] of the chosen period."""
    if kind == "thang" and month:
        return month, month
    if kind == "quy" and quarter:
        return quarter_months(quarter)
    if kind == "nam" and year:
        return f"{year}-01", f"{year}-12"
    if kind == "khoang":
        if from_month and to_month and from_month > to_month:
            from_month, to_month = to_month, from_month
        return from_month, to_month
    return None, None


def default_month(months: tuple[str, ...], as_of: date) -> str | None:
    """The latest month of the data that is not after the as-of month."""
    if not months:
        return None
    limit = f"{as_of.year:04d}-{as_of.month:02d}"
    past = [m for m in months if m <= limit]
    return past[-1] if past else months[0]


# --- the sidebar -------------------------------------------------------------------

def _param_list(name: str) -> list[str]:
    return [v for v in st.query_params.get_all(name) if v]


def _init_from_query(options) -> None:
    """First run of a session: widget state from the URL (invalid values ignored)."""
    q = st.query_params
    as_of = st.session_state[_DEFAULT_AS_OF] = options.default_as_of
    if q.get("ngay"):
        try:
            as_of = date.fromisoformat(q["ngay"])
        except ValueError:
            pass
    st.session_state[KEY_AS_OF] = as_of
    months = options.months
    fallback = default_month(months, as_of)
    kind = q.get("ky") if q.get("ky") in KINDS else "quy"
    st.session_state[KEY_KIND] = kind
    st.session_state[KEY_MONTH] = q.get("thang") if q.get("thang") in months else fallback
    quarters = _quarters(months)
    wanted_q = q.get("quy") or (quarter_of(fallback) if fallback else None)
    st.session_state[KEY_QUARTER] = wanted_q if wanted_q in quarters else (
        quarters[-1] if quarters else None)
    years = _years(months)
    wanted_y = q.get("nam") or (fallback[:4] if fallback else None)
    st.session_state[KEY_YEAR] = wanted_y if wanted_y in years else (years[-1] if years else None)
    st.session_state[KEY_FROM] = q.get("tu") if q.get("tu") in months else (
        months[0] if months else None)
    st.session_state[KEY_TO] = q.get("den") if q.get("den") in months else fallback
    st.session_state[KEY_DEPTS] = [d for d in _param_list("phong") if d in options.departments]
    st.session_state[KEY_SERVICES] = [s for s in _param_list("dv") if s in options.services]


def _quarters(months: tuple[str, ...]) -> list[str]:
    return sorted({quarter_of(m) for m in months})


def _years(months: tuple[str, ...]) -> list[str]:
    return sorted({m[:4] for m in months})


def _keep_valid(key: str, choices: list) -> None:
    """Drop a remembered value the options no longer offer (new data, restore)."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        if any(v not in choices for v in value):
            st.session_state[key] = [v for v in value if v in choices]
    elif value not in choices:
        fallback = choices[0] if key == KEY_FROM else choices[-1]
        st.session_state[key] = fallback if choices else None


def render_sidebar(options) -> Filters:
    """Draw the filters in the sidebar, sync the URL, remember and return the Filters.

    `options` is a `ui.data.FilterOptions` (months, departments, services).
    """
    if not st.session_state.get(_INIT):
        _init_from_query(options)
        st.session_state[_INIT] = True
    months = list(options.months)
    quarters, years = _quarters(options.months), _years(options.months)
    for key, choices in ((KEY_MONTH, months), (KEY_QUARTER, quarters), (KEY_YEAR, years),
                         (KEY_FROM, months), (KEY_TO, months),
                         (KEY_DEPTS, list(options.departments)),
                         (KEY_SERVICES, list(options.services))):
        _keep_valid(key, choices)

    side = st.sidebar
    side.header(S.FILTERS_HEADER)
    kind = side.radio(S.PERIOD_KIND, KINDS, key=KEY_KIND, horizontal=True,
                      format_func=S.PERIOD_KINDS.get)
    if not months:
        side.caption(S.NO_MONTHS)
    elif kind == "thang":
        side.selectbox(S.MONTH, months, key=KEY_MONTH, format_func=format_month)
    elif kind == "quy":
        side.selectbox(S.QUARTER, quarters, key=KEY_QUARTER, format_func=_quarter_label)
    elif kind == "nam":
        side.selectbox(S.YEAR, years, key=KEY_YEAR)
    else:
        left, right = side.columns(2)
        left.selectbox(S.FROM_MONTH, months, key=KEY_FROM, format_func=format_month)
        right.selectbox(S.TO_MONTH, months, key=KEY_TO, format_func=format_month)
    side.multiselect(S.DEPARTMENTS, options.departments, key=KEY_DEPTS,
                     placeholder=S.ALL, help=S.DEPARTMENTS_HELP)
    side.multiselect(S.SERVICES, options.services, key=KEY_SERVICES,
                     placeholder=S.ALL, help=S.SERVICES_HELP)
    as_of = side.date_input(S.AS_OF, key=KEY_AS_OF, format="DD/MM/YYYY", help=S.AS_OF_HELP)
    if not isinstance(as_of, date):
        as_of = date.today()

    state = st.session_state
    from_month, to_month = period_for(kind, state.get(KEY_MONTH), state.get(KEY_QUARTER),
                                      state.get(KEY_YEAR), state.get(KEY_FROM), state.get(KEY_TO))
    filters = Filters(from_month, to_month, tuple(state.get(KEY_DEPTS) or ()),
                      tuple(state.get(KEY_SERVICES) or ()), as_of, kind)
    _write_query(filters)
    st.session_state[_STATE] = filters
    return filters


def _write_query(filters: Filters) -> None:
    """Put the filters in the URL (only this module's parameters are touched)."""
    state = st.session_state
    wanted: dict[str, str | list[str]] = {"ky": filters.kind}
    if filters.kind == "thang" and state.get(KEY_MONTH):
        wanted["thang"] = state[KEY_MONTH]
    elif filters.kind == "quy" and state.get(KEY_QUARTER):
        wanted["quy"] = state[KEY_QUARTER]
    elif filters.kind == "nam" and state.get(KEY_YEAR):
        wanted["nam"] = state[KEY_YEAR]
    elif filters.kind == "khoang" and filters.from_month:
        wanted["tu"], wanted["den"] = filters.from_month, filters.to_month
    if filters.departments:
        wanted["phong"] = list(filters.departments)
    if filters.services:
        wanted["dv"] = list(filters.services)
    if filters.as_of != st.session_state.get(_DEFAULT_AS_OF, date.today()):
        wanted["ngay"] = filters.as_of.isoformat()
    q = st.query_params
    for name in _PARAMS:
        value = wanted.get(name)
        current = q.get_all(name)
        if value is None:
            if current:
                del q[name]
        elif (value if isinstance(value, list) else [value]) != current:
            q[name] = value


def current_filters() -> Filters:
    """The Filters `render_sidebar` chose in this run (a page without the sidebar,
    e.g. in a unit test, gets an all-data default)."""
    return st.session_state.get(_STATE) or Filters(None, None)


# --- applying the filters ------------------------------------------------------------

def _contains_any(lists: pd.Series, names: tuple[str, ...]) -> np.ndarray:
    """Rows whose tuple column holds at least one of `names` (vectorised via explode)."""
    exploded = lists.explode()
    hit = exploded.isin(names)
    return hit.groupby(level=0).any().reindex(lists.index, fill_value=False).to_numpy()


def apply_filters(annotated: pd.DataFrame, filters: Filters, role: str = "lead",
                  period: bool = True) -> pd.DataFrame:
    """The annotated tasks the filters keep (see the module docstring for `role`).

    period=False skips the period (for trends that show months around it).
    """
    from analysis.metrics import select_period

    frame = select_period(annotated, filters.from_month, filters.to_month) if period else annotated
    if filters.services:
        frame = frame[frame["service"].isin(filters.services).to_numpy()]
    if filters.departments:
        names = filters.departments
        lead = frame["lead_dept"].isin(names).to_numpy()
        coord_column = ("coord_depts_effective" if "coord_depts_effective" in frame
                        else "coord_depts")
        if role == "lead":
            keep = lead
        elif role == "coord":
            keep = _contains_any(frame[coord_column], names)
        else:
            keep = lead | _contains_any(frame[coord_column], names)
        frame = frame[keep]
    return frame


def filtered_tasks(filters: Filters, role: str = "lead", period: bool = True) -> pd.DataFrame:
    """`apply_filters` on the cached annotated tasks, itself cached (read-only result)."""
    from ui.data import load_annotated, memo

    return memo("filtered", (filters, role, period),
                lambda: apply_filters(load_annotated(filters.as_of), filters, role, period),
                big=True)
