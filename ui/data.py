"""The store and the cached data every page reads.

Caching (why it looks like this):
- `get_store()`: one Store per database URL (`st.cache_resource`), so tests that
  point DATABASE_URL at a temporary file get their own store in the same process.
  The first open of an empty database imports the bundled sample data.
- Every cached value is keyed on `store.data_version()` (changes with each upload
  or restore), the as-of date and the filter values; never on a DataFrame (Streamlit
  would hash a large frame from a sample only).
- The data version is read from the DATABASE once per page run (`begin_run()`, called
  by dashboard.py before the page): so several app servers on one PostgreSQL stay in
  step (an upload saved through one is seen by the others at their next page run),
  and everything one run shows comes from one version. Save and restore run as
  button callbacks, i.e. before the script and so before `begin_run()`.
- Big frames are cached with `st.cache_resource`, which hands out the same object
  instead of unpickling a copy on every read (a copy of 100k tasks costs more than
  the page itself). Callers must treat them as READ-ONLY: derive with `.assign()`,
  boolean indexing or `.copy()`; never assign into them in place.

Public API (stable; other pages use it):
    get_store() -> Store
    begin_run()                            read the data version for this page run
    data_version() -> str                  the data version of this page run
    has_real_data() -> bool
    load_tasks() -> DataFrame              consolidated tasks (read-only)
    load_contributions() -> DataFrame|None consolidated "Phối hợp" rows (read-only)
    load_annotated(as_of) -> DataFrame     `analysis.metrics.annotate` of all tasks (read-only)
    filter_options() -> FilterOptions      months, departments, services for the sidebar
    memo(name, key, compute) -> value      cache `compute()` under (name, data version, key)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Hashable

import pandas as pd
import streamlit as st

from analysis.fields import SERVICE_TYPES


def _resolve_url() -> str:
    from analysis.store.engine import resolve_url
    return resolve_url(None)


@st.cache_resource(show_spinner="Đang mở dữ liệu (lần đầu chạy: nạp dữ liệu mẫu, khoảng 10 giây)…")
def _store_for(url: str):
    from analysis.store import open_store
    from analysis.store.sample import ensure_sample_data

    store = open_store(url)
    ensure_sample_data(store)  # no-op unless the database is empty
    return store


def get_store():
    """The Store of DATABASE_URL (or the embedded default), sample data imported."""
    return _store_for(_resolve_url())


_RUN_VERSION = "_ctxh_data_version"  # session_state: the version read by this run


def begin_run() -> str:
    """Read the store's data version once for this page run (dashboard.py, every run)."""
    version = str(get_store().data_version())
    st.session_state[_RUN_VERSION] = version
    return version


def data_version() -> str:
    """The data version this page run reads (the database's, when no run began)."""
    version = st.session_state.get(_RUN_VERSION)
    return version if version is not None else str(get_store().data_version())


def has_real_data() -> bool:
    return bool(memo("has_real_data", (), lambda: get_store().has_real_data()))


@st.cache_resource(show_spinner=False, max_entries=4)
def _tasks(url: str, version: str) -> pd.DataFrame:
    return _store_for(url).consolidated_tasks()


@st.cache_resource(show_spinner=False, max_entries=4)
def _contributions(url: str, version: str) -> pd.DataFrame | None:
    contributions = _store_for(url).consolidated_contributions()
    if contributions is not None and len(contributions) == 0:
        return None
    return contributions


@st.cache_resource(show_spinner=False, max_entries=8)
def _annotated(url: str, version: str, as_of: str) -> pd.DataFrame:
    from analysis.metrics import annotate
    return annotate(_tasks(url, version), date.fromisoformat(as_of),
                    _contributions(url, version))


def load_tasks() -> pd.DataFrame:
    """The consolidated tasks (TASK_COLUMNS + reporting_month, upload_id, scope). Read-only."""
    return _tasks(_resolve_url(), data_version())


def load_contributions() -> pd.DataFrame | None:
    """The consolidated "Phối hợp" rows, or None when no upload has any. Read-only."""
    return _contributions(_resolve_url(), data_version())


def load_annotated(as_of: date) -> pd.DataFrame:
    """All consolidated tasks annotated as of `as_of` (outcome, month, …). Read-only."""
    return _annotated(_resolve_url(), data_version(), as_of.isoformat())


@dataclass(frozen=True)
class FilterOptions:
    months: tuple[str, ...]  # "YYYY-MM", ascending, every month that holds a task
    departments: tuple[str, ...]  # catalogue + every department the logs name
    services: tuple[str, ...]  # canonical service types (SPEC §1)
    # "Tính đến ngày" when the URL names none: today for real data; for the bundled
    # sample, the end of its last month (as of today every open sample task is overdue).
    default_as_of: date = field(default_factory=date.today)


@st.cache_resource(show_spinner=False, max_entries=4)
def _filter_options(url: str, version: str) -> FilterOptions:
    tasks = _tasks(url, version)
    when = tasks["due_date"].fillna(tasks["assigned_date"]).dropna()
    months = tuple(sorted(when.dt.to_period("M").astype("str").unique()))
    names = set(tasks["lead_dept"].dropna().astype("str"))
    names.update(tasks["coord_depts"].explode().dropna().astype("str"))
    try:
        catalogue = _store_for(url).departments()
        names.update(str(getattr(d, "name", d)) for d in catalogue)
    except Exception:  # an empty or not-yet-configured catalogue must not break the sidebar
        pass
    services = list(SERVICE_TYPES)
    services += sorted(set(tasks["service"].dropna().astype("str")) - set(services))
    default_as_of = date.today()
    if not _store_for(url).has_real_data():
        from analysis.sample import sample_as_of
        default_as_of = min(default_as_of, sample_as_of())
    return FilterOptions(months, tuple(sorted(names)), tuple(services), default_as_of)


def filter_options() -> FilterOptions:
    return _filter_options(_resolve_url(), data_version())


@st.cache_resource(show_spinner=False, max_entries=512)
def _memo(url: str, name: str, version: str, key: Hashable, _compute: Callable[[], Any]):
    return _compute()


@st.cache_resource(show_spinner=False, max_entries=12)
def _memo_big(url: str, name: str, version: str, key: Hashable, _compute: Callable[[], Any]):
    return _compute()


def memo(name: str, key: Hashable, compute: Callable[[], Any], big: bool = False) -> Any:
    """`compute()` cached under (database, `name`, data version, `key`).

    `key` must hold every input of `compute` other than the data (e.g. the
    `Filters` dataclass, a department name). The result is shared: read-only.
    big=True for results as large as the task frame (few are kept in memory);
    figures and small tables use the default (many kept).
    """
    cache = _memo_big if big else _memo
    return cache(_resolve_url(), name, data_version(), key, compute)


def thresholds():
    """Recognition thresholds (SPEC §3.6) from the store's settings (§6)."""
    from analysis.metrics import Thresholds

    def compute():
        try:
            values = get_store().settings()
        except Exception:  # settings table not there yet: SPEC defaults
            return Thresholds()
        defaults = Thresholds()
        return Thresholds(
            praise_min_rate=float(values.get("praise_min_rate", defaults.praise_min_rate)),
            min_tasks_dept=int(values.get("praise_min_tasks_department", defaults.min_tasks_dept)),
            min_tasks_person=int(values.get("praise_min_tasks_person", defaults.min_tasks_person)),
            reminder_below_rate=float(values.get("reminder_below_rate",
                                                 defaults.reminder_below_rate)),
            reminder_min_overdue=int(values.get("reminder_min_overdue",
                                                defaults.reminder_min_overdue)),
        )
    return memo("thresholds", (), compute)
