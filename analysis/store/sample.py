"""Bundled sample data: imported once into an empty database (SPEC §8 demo mode).

`data/sample/manifest.json` lists the workbooks: `[{"file", "scope", "month",
"uploaded_at"}, ...]`; `uploaded_at` is when the simulated department head submitted it
(so page `Tình hình nộp báo cáo` shows on-time and late logs in the demo).
They are stored as ordinary uploads flagged `is_sample`, user "Dữ liệu mẫu". Once a
real upload exists, the figures exclude them (see `consolidate.py`); they stay in
the history.

Run once, even when two Streamlit sessions start at the same moment: all sample
uploads are written in ONE write transaction that first checks, under the write
lock, that the database still has no upload at all. The second session waits for
the lock, then finds the uploads and does nothing.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy import Connection, insert, select

from . import catalogue, schema
from .core import Store
from .engine import REPO_ROOT, read_transaction, run_write
from .uploads import SAMPLE_USER, STORED, _NewUpload, _read, check_month

log = logging.getLogger(__name__)
DEFAULT_SAMPLE_DIR = REPO_ROOT / "data" / "sample"


def ensure_sample_data(store: Store, sample_dir: Path | None = None) -> bool:
    """Import the sample workbooks when the store has no upload. True if it did."""
    if not store.is_empty():
        return False
    sample_dir = Path(sample_dir) if sample_dir is not None else DEFAULT_SAMPLE_DIR
    manifest_path = sample_dir / "manifest.json"
    if not manifest_path.is_file():
        log.warning("no sample manifest at %s", manifest_path)
        return False
    entries = json.loads(manifest_path.read_text(encoding="utf-8"))

    pending: list[_NewUpload] = []
    with read_transaction(store.engine) as conn:
        scopes = [catalogue.canonical_scope(conn, entry["scope"]) for entry in entries]
        settings = [catalogue.read_settings(conn, s) if s else None for s in scopes]
    for entry, scope, read_settings in zip(entries, scopes, settings):
        data = (sample_dir / entry["file"]).read_bytes()
        read = _read(data, entry["file"], None, read_settings) if scope else None
        if read is None or not read.ok:  # a broken sample must not block the others
            log.warning("sample file %s skipped: not valid for scope %s", entry["file"], entry["scope"])
            continue
        pending.append(_NewUpload(scope, check_month(entry["month"]), Path(entry["file"]).name,
                                  data, SAMPLE_USER, read, {}, is_sample=True,
                                  uploaded_at=entry.get("uploaded_at")))
    if not pending:
        return False

    def work(conn: Connection) -> bool:
        if conn.execute(select(schema.uploads.c.id).limit(1)).first() is not None:
            return False  # another session got there first, or a real upload arrived
        stored = [upload.write(conn)[0] for upload in pending]
        conn.execute(insert(schema.meta).values(key="sample_seeded", value=str(len(stored))))
        return all(status == STORED for status in stored)

    return run_write(store.engine, work)
