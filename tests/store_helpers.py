"""Shared builders for the store tests: template workbooks and task frames in code."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.fields import CONTRIBUTION_FIELDS, CONTRIBUTION_SHEET, TASK_FIELDS, TASK_SHEET
from analysis.model import TASK_COLUMNS, TASK_DATE_COLUMNS, ReadResult
from analysis.store import open_store
from workbooks import xlsx

HEADERS = [f.header for f in TASK_FIELDS]  # template headers, in template order


def task(task_id: str, lead_dept: str = "Phòng Tư vấn", due: str | None = "2026-10-20",
         status: str = "Đang thực hiện", done: str | None = None, assigned: str = "2026-10-01",
         coord_depts: str = "", title: str = "Hỗ trợ hồ sơ", person: str = "Nguyễn Văn An") -> dict:
    """One task row by field name; dates ISO text (written as real Excel dates)."""
    return {"task_id": task_id, "title": title, "service": "Tư vấn - Tham vấn",
            "lead_dept": lead_dept, "lead_person": person, "coord_depts": coord_depts,
            "coord_people": "", "assigned_date": assigned, "due_date": due,
            "original_due_date": None, "done_date": done, "status": status, "note": ""}


def workbook(rows: list[dict], contributions: list[dict] | None = None) -> bytes:
    """An .xlsx with the template headers and one row per task dict (a "Phối hợp" sheet
    with `contributions`); ISO date texts become real Excel dates."""
    def values(row: dict, fields) -> list:
        return [date.fromisoformat(row[f.name]) if f.kind == "date" and row.get(f.name)
                else row.get(f.name) for f in fields]

    sheets = {TASK_SHEET: [HEADERS] + [values(r, TASK_FIELDS) for r in rows]}
    if contributions is not None:
        sheets[CONTRIBUTION_SHEET] = ([[f.header for f in CONTRIBUTION_FIELDS]]
                                      + [values(r, CONTRIBUTION_FIELDS) for r in contributions])
    return xlsx(sheets)


def frame(rows: list[dict]) -> pd.DataFrame:
    """A task frame (model dtypes) from `task(...)`-style dicts, bypassing the reader."""
    records = []
    for i, row in enumerate(rows):
        status = {"Hoàn thành": "done", "Đã hủy": "cancelled"}.get(row["status"], "open")
        records.append({
            **{c: row.get(c) or None for c in ("task_id", "title", "service", "lead_dept",
                                                 "lead_person", "note")},
            "coord_depts": tuple(p.strip() for p in (row.get("coord_depts") or "").split(";") if p.strip()),
            "coord_people": (),
            **{c: pd.Timestamp(row[c]) if row.get(c) else pd.NaT for c in TASK_DATE_COLUMNS},
            "status": status, "status_text": row["status"], "source_row": i + 2,
        })
    df = pd.DataFrame(records, columns=list(TASK_COLUMNS))
    for c in TASK_DATE_COLUMNS:
        df[c] = df[c].astype("datetime64[us]")
    for c in ("task_id", "title", "service", "lead_dept", "lead_person", "status", "status_text", "note"):
        df[c] = df[c].astype("str")
    df["source_row"] = df["source_row"].astype("int64")
    return df


def read_result(rows: list[dict], name: str = "log.xlsx") -> ReadResult:
    return ReadResult(file=name, sheet=TASK_SHEET, header_row=1, rows=len(rows), tasks=frame(rows))


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'ctxh.sqlite'}"


def new_store(url: str, tmp_path: Path):
    """Open the store at `url`; an archive folder of earlier versions would be looked
    for under tmp_path (never the checkout's data/archive)."""
    return open_store(url, archive_dir=tmp_path / "db" / "archive")


def sqlite_store(tmp_path: Path):
    """A SQLite store under tmp_path, for tests outside the two-backend store suite."""
    return new_store(f"sqlite:///{tmp_path / 'db' / 'ctxh.sqlite'}", tmp_path)


def is_postgresql(url: str) -> bool:
    return url.startswith("postgresql")


def database_snapshot(store) -> dict[str, list[tuple]]:
    """Every row of every table (sorted), to prove a database did not change, on any backend."""
    from sqlalchemy import inspect, text

    snapshot = {}
    with store.engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            snapshot[name] = sorted((tuple(r) for r in rows), key=repr)
    return snapshot


def store_frames(store, scope: str, month: str, rows: list[dict], user: str = "Trưởng phòng",
                 payload: bytes | None = None, is_sample: bool = False):
    """Store frames directly (the reader is tested elsewhere); bytes default to a unique tag."""
    data = payload if payload is not None else f"{scope}|{month}|{rows!r}".encode()
    return store.save_read(scope, month, "log.xlsx", data, user, read_result(rows),
                           is_sample=is_sample)


def tree_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file under `root` (to prove nothing changed)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}
