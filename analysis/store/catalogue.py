"""Catalogue and settings (SPEC §6): departments, staff roster, thresholds and limits,
and the column mapping remembered per upload scope (SPEC §2.1 "Column mapping").

With an empty catalogue everything still works: departments and people are whatever
the logs name, and validation checks no names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from analysis.fields import clean_text, match_key
from analysis.model import ReadSettings

from . import schema
from .audit import utc_now

CENTER = "center"  # the whole-center upload scope

# Recognition thresholds (SPEC §3.6), upload limits and the reporting deadline (SPEC §6,
# §7.9: a month's log is due by the end of this day of the next month), with defaults.
DEFAULT_SETTINGS: dict[str, Any] = {
    "praise_min_rate": 0.90,
    "praise_min_tasks_department": 5,
    "praise_min_tasks_person": 3,
    "reminder_below_rate": 0.70,
    "reminder_min_overdue": 2,
    "reminder_min_past_due": 2,
    "row_limit": ReadSettings.row_limit,
    "max_upload_bytes": ReadSettings.max_bytes,
    # the reporting deadline: day N of the month after the reporting month (SPEC §7.9)
    "report_deadline_day": 5,
    # sign-in limits (SPEC §8; used by analysis.accounts)
    "login_max_failures": 5,
    "login_lock_minutes": 15,
    "session_idle_minutes": 30,
    # the meeting brief's header and signature (SPEC §7.1; analysis.brief.figures.BriefHeader).
    # The seed article names no parent body: since 2025 the city's social protection
    # centres report to Sở Y tế (the administrator corrects it if need be).
    "brief_parent_body": "SỞ Y TẾ THÀNH PHỐ ĐÀ NẴNG",
    "brief_center_name": "TRUNG TÂM CÔNG TÁC XÃ HỘI",
    "brief_abbreviation": "TTCTXH",
    "brief_signer_title": "GIÁM ĐỐC",
    "brief_signer_name": "",
    "brief_place": "Đà Nẵng",
    "brief_recipients": ["Sở Y tế (để báo cáo)", "Ban Giám đốc Trung tâm",
                         "Các phòng thuộc Trung tâm"],
    "brief_archive": "VT, HCTH",
    # Limits of reading one file (see ReadSettings): work bounds and the parsing child's.
    "max_sheet_cells": ReadSettings.max_sheet_cells,
    "max_text_chars": ReadSettings.max_text_chars,
    "parse_memory_mb": ReadSettings.parse_memory_bytes // (1024 * 1024),
    "parse_cpu_seconds": ReadSettings.parse_cpu_seconds,
    "parse_wall_seconds": ReadSettings.parse_wall_seconds,
}


def is_center(scope: str) -> bool:
    return match_key(scope) == CENTER


# --- departments ---------------------------------------------------------------------

def department_rows(conn: Connection) -> list[dict[str, Any]]:
    table = schema.departments
    rows = conn.execute(select(table.c.name, table.c.short_code)
                        .order_by(table.c.position, table.c.name)).mappings()
    return [{"name": r["name"], "short_code": r["short_code"]} for r in rows]


def _department_entry(item: Any) -> tuple[str, str | None]:
    if isinstance(item, str):
        name, code = item, None
    elif isinstance(item, Mapping):
        name, code = item.get("name", ""), item.get("short_code")
    else:
        name, code = (list(item) + [None])[:2]
    name = clean_text(str(name or ""))
    if not name:
        raise ValueError("a department needs a name")
    return name, (clean_text(str(code)) or None) if code else None


def set_departments(conn: Connection, items: Iterable[Any]) -> int:
    """Replace the department list. Items: names, (name, short_code) or dicts."""
    entries = [_department_entry(item) for item in items]
    keys = [match_key(name) for name, _ in entries]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicated department name")
    conn.execute(delete(schema.departments))
    if entries:
        conn.execute(insert(schema.departments), [
            {"name": name, "short_code": code, "position": i} for i, (name, code) in enumerate(entries)])
    return len(entries)


# --- roster --------------------------------------------------------------------------

def roster_rows(conn: Connection) -> list[dict[str, Any]]:
    table = schema.roster
    rows = conn.execute(select(table.c.name, table.c.department, table.c.position)
                        .order_by(table.c.id)).mappings()
    return [dict(r) for r in rows]


def _roster_entry(item: Any) -> dict[str, Any]:
    if isinstance(item, str):
        values = {"name": item}
    elif isinstance(item, Mapping):
        values = dict(item)
    else:
        values = dict(zip(("name", "department", "position"), item))
    name = clean_text(str(values.get("name") or ""))
    if not name:
        raise ValueError("a person needs a name")
    department = clean_text(str(values.get("department") or "")) or None
    position = clean_text(str(values.get("position") or "")) or None
    return {"name": name, "department": department, "position": position}


def set_roster(conn: Connection, items: Iterable[Any]) -> int:
    """Replace the roster. Items: names, (name, department, position) or dicts."""
    entries = [_roster_entry(item) for item in items]
    conn.execute(delete(schema.roster))
    if entries:
        conn.execute(insert(schema.roster), entries)
    return len(entries)


# --- settings ------------------------------------------------------------------------

def get_settings(conn: Connection) -> dict[str, Any]:
    values = dict(DEFAULT_SETTINGS)
    for key, value in conn.execute(select(schema.settings.c.key, schema.settings.c.value)):
        if key in values:
            values[key] = json.loads(value)
    return values


def set_settings(conn: Connection, values: Mapping[str, Any]) -> None:
    from analysis.settings import check_settings  # describes the settings; imports this module

    unknown = set(values) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    broken = check_settings({**get_settings(conn), **values})
    if broken:
        raise ValueError(" ".join(broken))
    for key, value in values.items():
        text = json.dumps(value)
        changed = conn.execute(update(schema.settings).where(schema.settings.c.key == key)
                               .values(value=text)).rowcount
        if not changed:
            conn.execute(insert(schema.settings).values(key=key, value=text))


# --- scope and read settings ---------------------------------------------------------

def canonical_scope(conn: Connection, scope: str) -> str | None:
    """"center", or the department's one spelling: the configured name; with no
    departments configured, the spelling of the first upload of that department
    (so "phòng tư vấn" and "Phòng Tư vấn" are one scope with one version series),
    else the cleaned name. None when departments are configured and none matches."""
    text = clean_text(scope or "")
    if not text:
        return None
    if is_center(text):
        return CENTER
    names = [row["name"] for row in department_rows(conn)]
    if names:
        return {match_key(name): name for name in names}.get(match_key(text))
    u = schema.uploads
    used = conn.execute(select(u.c.scope).group_by(u.c.scope).order_by(func.min(u.c.id))).scalars()
    return {match_key(name): name for name in reversed(list(used))}.get(match_key(text), text)


def read_settings(conn: Connection, scope: str | None) -> ReadSettings:
    """What an upload for `scope` is validated against (SPEC §2.3, §4.1)."""
    values = get_settings(conn)
    scope_dept = None if scope is None or is_center(scope) else clean_text(scope)
    return ReadSettings(
        departments=tuple(row["name"] for row in department_rows(conn)),
        people=tuple(row["name"] for row in roster_rows(conn)),
        scope_dept=scope_dept,
        row_limit=int(values["row_limit"]),
        max_bytes=int(values["max_upload_bytes"]),
        max_sheet_cells=int(values["max_sheet_cells"]),
        max_text_chars=int(values["max_text_chars"]),
        parse_memory_bytes=int(values["parse_memory_mb"]) * 1024 * 1024,
        parse_cpu_seconds=int(values["parse_cpu_seconds"]),
        parse_wall_seconds=int(values["parse_wall_seconds"]),
    )


# --- remembered column mappings ------------------------------------------------------

def _mapping_key(scope: str) -> str:
    return CENTER if is_center(scope) else match_key(scope)


def remembered_mapping(conn: Connection, scope: str) -> dict[str, str]:
    table = schema.column_mappings
    text = conn.execute(select(table.c.mapping).where(table.c.scope == _mapping_key(scope))).scalar()
    return json.loads(text) if text else {}


def remember_mapping(conn: Connection, scope: str, mapping: Mapping[str, str]) -> None:
    table = schema.column_mappings
    key, text = _mapping_key(scope), json.dumps(dict(mapping), ensure_ascii=False, sort_keys=True)
    changed = conn.execute(update(table).where(table.c.scope == key)
                           .values(mapping=text, updated_at=utc_now())).rowcount
    if not changed:
        conn.execute(insert(table).values(scope=key, mapping=text, updated_at=utc_now()))
