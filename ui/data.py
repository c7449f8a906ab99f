"""The store and the cached data every page reads.

Caching (why it looks like this):
- `get_store()`: one Store per database URL (`st.cache_resource`), so tests that
  point DATABASE_URL at a temporary file get their own store in the same process.
  The first open of an empty database imports the bundled sample data.
- Every cached value is keyed on `store.data_version()` (changes with each upload,
  restore or catalogue change), the as-of date and the filter values; never on a
  DataFrame (Streamlit would hash a large frame from a sample only).
- The data version is read from the DATABASE once per page run (`data_version()`):
  so several app servers on one PostgreSQL stay in step (an upload saved through one
  is seen by the others at their next page run), and everything one run shows comes
  from one version.
- Big frames are cached with `st.cache_resource`, which hands out the same object
  instead of unpickling a copy on every read (a copy of 100k tasks costs more than
  the page itself). Callers must treat them as READ-ONLY: derive with `.assign()`,
  boolean indexing or `.copy()`; never assign into them in place.
- Loading itself is fast because each upload keeps a columnar copy of its rows
  (`analysis.store.frames`); tasks and contributions come from one read of it.
- The data version is read once per script run (`data_version`), not once per cached
  value.
- A page compares a period with the previous one seen on its own as-of day (SPEC §7),
  so it needs the tasks annotated as of two days: the part of `annotate` that does not
  depend on the day (`task_facts`: coordinators, month, clarity) is cached once per data
  version and only the outcomes are recomputed per day (`outcomes_as_of`).

Public API (stable; other pages use it):
    get_store() -> Store
    begin_run()                            read the data version for this page run
    data_version() -> str                  the data version of this page run
    has_real_data() -> bool
    load_tasks() -> DataFrame              consolidated tasks (read-only)
    load_contributions() -> DataFrame|None consolidated "Phối hợp" rows (read-only)
    load_annotated(as_of) -> DataFrame     `analysis.metrics.annotate` of all tasks (read-only)
    task_changes() -> DataFrame            the history between months (read-only)
    filtered_tasks(filters, role, period)  `analysis.periods.filter_tasks` of those (cached)
    upcoming_tasks(filters, role)          tasks of a partial period not due yet (cached)
    filter_options() -> FilterOptions      months, departments, services for the sidebar
    upload_log(), known_departments(), included_uploads(), settings()
    memo(name, key, compute) -> value      cache `compute()` under (name, data version, key)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analysis import periods as P
from analysis.fields import SERVICE_TYPES
from ui import strings as S


def _resolve_url() -> str:
    from analysis.store.engine import resolve_url
    return resolve_url(None)


@st.cache_resource(show_spinner=S.OPENING_STORE)
def _store_for(url: str):
    from analysis.store import open_store
    from analysis.store.sample import ensure_sample_data

    store = open_store(url)
    ensure_sample_data(store)  # no-op unless the database is empty
    return store


def get_store():
    """The Store of DATABASE_URL (or the embedded default), sample data imported."""
    return _store_for(_resolve_url())


def this_run() -> object:
    """An object that is new in every script run (the run context's cursor table): a
    value stored with it is known to belong to the current run."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return getattr(get_script_run_ctx(), "cursors", None)


_VERSION = "_ctxh_data_version"  # session_state: (run, version), read once per run


def data_version() -> str:
    """The store's data version, read from the database once per script run (every cached
    value asks for it; a page would otherwise query it a dozen times)."""
    run, version = st.session_state.get(_VERSION, (None, None))
    if run is None or run is not this_run():
        version = str(get_store().data_version())
        st.session_state[_VERSION] = (this_run(), version)
    return version


def has_real_data() -> bool:
    return bool(memo("has_real_data", (), lambda: get_store().has_real_data()))


@st.cache_resource(show_spinner=False, max_entries=2)
def _loaded(url: str, version: str):
    """One read of the uploads in the figures (`Store.load`): consolidated tasks,
    contributions and the history between months are all built from it."""
    return _store_for(url).load()


@st.cache_resource(show_spinner=False, max_entries=4)
def _consolidated(url: str, version: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    from analysis.store.consolidate import consolidate

    tasks, contributions = consolidate(_loaded(url, version))
    if contributions is not None and len(contributions) == 0:
        contributions = None
    return tasks, contributions


def task_changes() -> pd.DataFrame:
    """Extensions, reassignments and vanished tasks between months (SPEC §4.3)."""
    from analysis.store.consolidate import changes

    return memo("task_changes", (), lambda: changes(_loaded(_resolve_url(), data_version())))


@st.cache_resource(show_spinner=False, max_entries=4)
def _facts(url: str, version: str) -> pd.DataFrame:
    """The per-task columns that do not depend on the as-of day (coordinators, month,
    clarity): computed once per data version, shared by every as-of day."""
    from analysis.metrics import task_facts
    tasks, contributions = _consolidated(url, version)
    return task_facts(tasks, contributions)


@st.cache_resource(show_spinner=False, max_entries=8)
def _annotated(url: str, version: str, as_of: str) -> pd.DataFrame:
    from analysis.metrics import outcomes_as_of
    return outcomes_as_of(_facts(url, version), date.fromisoformat(as_of))


def load_tasks() -> pd.DataFrame:
    """The consolidated tasks (TASK_COLUMNS + reporting_month, upload_id, scope). Read-only."""
    return _consolidated(_resolve_url(), data_version())[0]


def load_contributions() -> pd.DataFrame | None:
    """The consolidated "Phối hợp" rows, or None when no upload has any. Read-only."""
    return _consolidated(_resolve_url(), data_version())[1]


def load_annotated(as_of: date) -> pd.DataFrame:
    """All consolidated tasks annotated as of `as_of` (outcome, month, …). Read-only."""
    return _annotated(_resolve_url(), data_version(), as_of.isoformat())


def filtered_tasks(filters: P.Filters, role: str = P.LEAD, period: bool = True) -> pd.DataFrame:
    """`analysis.periods.filter_tasks` of the tasks annotated as of `filters.as_of`
    (a partial period cut to date), cached; read-only."""
    return memo("filtered", (filters, role, period),
                lambda: P.filter_tasks(load_annotated(filters.as_of), filters, role, period),
                big=True)


def upcoming_tasks(filters: P.Filters, role: str = P.LEAD) -> pd.DataFrame:
    """Tasks of a partial period not due by the as-of day (SPEC §7: shown apart)."""
    return memo("upcoming", (filters, role), lambda: filters.window.upcoming(
        filtered_tasks(filters, role, period=False)))


def to_date_tasks(filters: P.Filters, role: str = P.LEAD) -> pd.DataFrame:
    """Every month's tasks of the filters (for trends), none due after the as-of day."""
    return memo("to_date", (filters, role), lambda: P.to_date(
        filtered_tasks(filters, role, period=False), filters.as_of), big=True)


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
    from analysis.metrics import task_month

    tasks = _consolidated(url, version)[0]
    store = _store_for(url)
    months = tuple(sorted(task_month(tasks).dropna().unique()))
    names = set(tasks["lead_dept"].dropna().astype("str").unique())
    for group in pd.unique(tasks["coord_depts"]):  # few distinct tuples, not 100k
        names.update(group)
    names.update(store.departments())
    services = list(SERVICE_TYPES)
    services += sorted(set(tasks["service"].dropna().astype("str").unique()) - set(services))
    default_as_of = date.today()
    if not store.has_real_data():
        from analysis.sample import sample_as_of
        default_as_of = min(default_as_of, sample_as_of())
    return FilterOptions(months, tuple(sorted(names)), tuple(services), default_as_of)


def filter_options() -> FilterOptions:
    return _filter_options(_resolve_url(), data_version())


def upload_log() -> pd.DataFrame:
    """Every upload that counts for reporting, all versions (`Store.upload_log`)."""
    return memo("upload_log", (), lambda: get_store().upload_log())


def included_uploads() -> pd.DataFrame:
    """The current uploads in the figures (`Store.included_uploads`)."""
    return memo("included_uploads", (), lambda: get_store().included_uploads())


def known_departments() -> list[str]:
    """The catalogue's departments, else those the uploads in the figures name (SPEC §5)."""
    from analysis.store.consolidate import named_departments

    return memo("known_departments", (), lambda: get_store().departments() or named_departments(
        _loaded(_resolve_url(), data_version())))


def settings() -> dict[str, Any]:
    """The store's settings (SPEC §6), defaults filled in."""
    return memo("settings", (), lambda: get_store().settings())


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

    return memo("thresholds", (), lambda: Thresholds.from_settings(settings()))
