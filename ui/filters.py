"""The sidebar filters every page shares (SPEC §7), kept in the URL query string.

Only the widgets and the URL live here; what a period is, which periods are offered,
the previous period and filtering a task frame are `analysis.periods`.

`render_sidebar(options)` is called once per run by `dashboard.py` (before the page
runs); pages read the result with `current_filters()` (an `analysis.periods.Filters`).

Query parameters (a view can be bookmarked or shared):
    ky         period kind: thang | quy | sau_thang | nam | khoang
    thang      YYYY-MM (ky=thang)      quy        YYYY-Qn (ky=quy)
    sau_thang  YYYY-H1 | YYYY-H2       nam        YYYY (ky=nam)
    tu, den    YYYY-MM (ky=khoang)
    phong      department, repeated    dv         service type, repeated
    ngay       as-of date YYYY-MM-DD (absent: the default as-of day)
They are read on the first run of a session and written back on every run, so they
survive a page switch and follow every widget change.

Periods offered (SPEC §7): those holding a month of the data and not starting after
the as-of day. A period the URL asks for that is not offered (it has not started, or
the data holds no month of it) is kept as the one extra choice of its list until the
user picks another, so the page can say why it shows nothing instead of silently
showing another period.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis import periods as P
from analysis.formatting import format_month
from analysis.periods import Filters
from ui import strings as S

_STATE = "_ctxh_filters"  # session_state key of this run's Filters
_INIT = "_ctxh_filters_init"
_DEFAULT_AS_OF = "_ctxh_default_as_of"  # the as-of date a URL without "ngay" means
_REQUESTED = "_ctxh_requested"  # {widget key: value the URL asked for, not offered}
# widget keys (also the session_state keys a test can set)
KEY_KIND, KEY_MONTH, KEY_QUARTER, KEY_HALF, KEY_YEAR = (
    "f_kind", "f_month", "f_quarter", "f_half", "f_year")
KEY_FROM, KEY_TO, KEY_DEPTS, KEY_SERVICES, KEY_AS_OF = (
    "f_from", "f_to", "f_depts", "f_services", "f_as_of")
# period kind -> (widget key, URL parameter); the range kind uses KEY_FROM/KEY_TO, tu/den
PERIOD_WIDGETS = {P.MONTH: (KEY_MONTH, "thang"), P.QUARTER: (KEY_QUARTER, "quy"),
                  P.HALF: (KEY_HALF, "sau_thang"), P.YEAR: (KEY_YEAR, "nam")}
_PARAMS = ("ky", "thang", "quy", "sau_thang", "nam", "tu", "den", "phong", "dv", "ngay")
DEFAULT_KIND = P.QUARTER


def current_filters() -> Filters:
    """The Filters `render_sidebar` chose in this run (a page without the sidebar,
    e.g. in a unit test, gets an all-data default)."""
    return st.session_state.get(_STATE) or Filters(None, None)


# --- choices ---------------------------------------------------------------------------

def _offered(kind: str, months: tuple[str, ...], as_of: date) -> list[str]:
    """The values the widget of `kind` offers (months for the range's two boxes)."""
    return P.offered_periods(P.MONTH if kind == P.RANGE else kind, months, as_of)


def _valid_value(kind: str, value: str | None) -> str | None:
    """`value` normalised when it names a period of `kind`, else None."""
    if not value:
        return None
    if kind in (P.MONTH, P.RANGE):
        try:
            return P.parse_month(value)
        except ValueError:
            return None
    start, _ = P.bounds(kind, value)
    return P.period_value(kind, start) if start else None


def _choices(key: str, offered: list[str]) -> list[str]:
    """`offered`, plus the value the URL asked for while it is still the chosen one."""
    requested = st.session_state.setdefault(_REQUESTED, {})
    extra = requested.get(key)
    if extra is None:
        return offered
    if st.session_state.get(key) != extra or extra in offered:
        requested.pop(key, None)  # the user moved on: the extra choice goes
        return offered
    return sorted([*offered, extra])


def _keep_valid(key: str, choices: list) -> None:
    """Drop a remembered value the options no longer offer (new data, a restore, an
    earlier as-of day); a period falls back to the latest one offered."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        if any(v not in choices for v in value):
            st.session_state[key] = [v for v in value if v in choices]
    elif value not in choices:  # none offered (an as-of day before the data): None
        fallback = (choices[0] if key == KEY_FROM else choices[-1]) if choices else None
        st.session_state[key] = fallback


def _label(kind: str, as_of: date):
    """format_func of a period selectbox: "Quý 4/2026", "6 tháng cuối năm 2026", …;
    a period that has not started says so."""
    def label(value: str) -> str:
        first, last = P.bounds(P.MONTH if kind == P.RANGE else kind, value)
        text = (format_month(value) if kind in (P.MONTH, P.RANGE)
                else value if kind == P.YEAR else P.period_label(first, last))
        return f"{text} ({S.NOT_STARTED_SHORT})" if P.starts_after(first, as_of) else text
    return label


# --- the sidebar -------------------------------------------------------------------

def _param_list(name: str) -> list[str]:
    return [v for v in st.query_params.get_all(name) if v]


def _init_from_query(options) -> None:
    """First run of a session: widget state from the URL (invalid values ignored)."""
    q = st.query_params
    state = st.session_state
    as_of = state[_DEFAULT_AS_OF] = options.default_as_of
    if q.get("ngay"):
        try:
            as_of = date.fromisoformat(q["ngay"])
        except ValueError:
            pass
    state[KEY_AS_OF] = as_of
    state[KEY_KIND] = q.get("ky") if q.get("ky") in P.KINDS else DEFAULT_KIND
    requested = state[_REQUESTED] = {}
    wanted = {key: _valid_value(kind, q.get(param)) for kind, (key, param) in PERIOD_WIDGETS.items()}
    wanted[KEY_FROM], wanted[KEY_TO] = _valid_value(P.RANGE, q.get("tu")), _valid_value(
        P.RANGE, q.get("den"))
    for kind, key in [*((k, v[0]) for k, v in PERIOD_WIDGETS.items()),
                      (P.RANGE, KEY_FROM), (P.RANGE, KEY_TO)]:
        offered = _offered(kind, options.months, as_of)
        value = wanted[key]
        if value is not None and value not in offered and kind == state[KEY_KIND]:
            requested[key] = value  # asked for, not offered: the page says why
        elif value is None or value not in offered:
            value = (offered[0] if key == KEY_FROM else offered[-1]) if offered else None
        state[key] = value
    state[KEY_DEPTS] = [d for d in _param_list("phong") if d in options.departments]
    state[KEY_SERVICES] = [s for s in _param_list("dv") if s in options.services]


def render_sidebar(options) -> Filters:
    """Draw the filters in the sidebar, sync the URL, remember and return the Filters.

    `options` is a `ui.data.FilterOptions` (months, departments, services).
    """
    state = st.session_state
    if not state.get(_INIT):
        _init_from_query(options)
        state[_INIT] = True
    as_of = state.get(KEY_AS_OF) if isinstance(state.get(KEY_AS_OF), date) else date.today()
    choices = {}
    for kind, key in [*((k, v[0]) for k, v in PERIOD_WIDGETS.items()),
                      (P.RANGE, KEY_FROM), (P.RANGE, KEY_TO)]:
        choices[key] = _choices(key, _offered(kind, options.months, as_of))
        _keep_valid(key, choices[key])
    _keep_valid(KEY_DEPTS, list(options.departments))
    _keep_valid(KEY_SERVICES, list(options.services))

    side = st.sidebar
    side.header(S.FILTERS_HEADER)
    kind = side.radio(S.PERIOD_KIND, P.KINDS, key=KEY_KIND, horizontal=True,
                      format_func=S.PERIOD_KINDS.get, help=S.PERIOD_KIND_HELP)
    if not options.months:
        side.caption(S.NO_MONTHS)
    elif kind == P.RANGE:
        left, right = side.columns(2)
        left.selectbox(S.FROM_MONTH, choices[KEY_FROM], key=KEY_FROM, format_func=_label(kind, as_of))
        right.selectbox(S.TO_MONTH, choices[KEY_TO], key=KEY_TO, format_func=_label(kind, as_of))
    else:
        key = PERIOD_WIDGETS[kind][0]
        if choices[key]:
            side.selectbox(S.PERIOD_KINDS[kind], choices[key], key=key,
                           format_func=_label(kind, as_of))
        else:
            side.caption(S.NO_PERIOD_OFFERED)
    side.multiselect(S.DEPARTMENTS, options.departments, key=KEY_DEPTS,
                     placeholder=S.ALL, help=S.DEPARTMENTS_HELP)
    side.multiselect(S.SERVICES, options.services, key=KEY_SERVICES,
                     placeholder=S.ALL, help=S.SERVICES_HELP)
    chosen_as_of = side.date_input(S.AS_OF, key=KEY_AS_OF, format="DD/MM/YYYY", help=S.AS_OF_HELP)
    if isinstance(chosen_as_of, date):
        as_of = chosen_as_of

    if kind == P.RANGE:
        from_month, to_month = P.bounds(kind, (state.get(KEY_FROM), state.get(KEY_TO)))
    else:
        from_month, to_month = P.bounds(kind, state.get(PERIOD_WIDGETS[kind][0]))
    if not from_month:  # nothing offered (no data by the as-of day): the as-of day's period
        current = P.month_of(as_of)
        from_month, to_month = ((current, current) if kind == P.RANGE
                                else P.bounds(kind, P.period_value(kind, current)))
    filters = Filters(from_month, to_month, tuple(state.get(KEY_DEPTS) or ()),
                      tuple(state.get(KEY_SERVICES) or ()), as_of, kind)
    _write_query(filters)
    state[_STATE] = filters
    return filters


def _write_query(filters: Filters) -> None:
    """Put the filters in the URL (only this module's parameters are touched)."""
    state = st.session_state
    wanted: dict[str, str | list[str]] = {"ky": filters.kind}
    if filters.kind in PERIOD_WIDGETS:
        key, param = PERIOD_WIDGETS[filters.kind]
        if state.get(key):
            wanted[param] = state[key]
    elif filters.from_month:
        wanted["tu"], wanted["den"] = filters.from_month, filters.to_month
    if filters.departments:
        wanted["phong"] = list(filters.departments)
    if filters.services:
        wanted["dv"] = list(filters.services)
    if filters.as_of != state.get(_DEFAULT_AS_OF, date.today()):
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
