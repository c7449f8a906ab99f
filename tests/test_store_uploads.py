"""The upload lifecycle (SPEC §4.1, §4.2, §4.4) through real workbooks and the reader,
on SQLite and PostgreSQL (`store` and `db_url` fixtures of conftest.py)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from analysis.model import TASK_COLUMNS
from analysis.store import OriginalError, UploadNotFound
from analysis.store import originals as originals_module
from analysis.store import uploads as uploads_module
from store_helpers import database_snapshot, new_store, task, tree_hashes, workbook

DEPT = "Phòng Tư vấn"
OCTOBER = workbook([task("T1"), task("T2", due="2026-10-25")])
OCTOBER_V2 = workbook([task("T1", due="2026-10-31"), task("T3")])


def _count(store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()


def test_import_stores_the_upload_and_its_original(store):
    outcome = store.import_upload(DEPT, "2026-10", "thang10.xlsx", OCTOBER, "Trưởng phòng")
    assert (outcome.status, outcome.version, outcome.rows) == ("stored", 1, 2)
    assert outcome.to_dict() == {"upload_id": outcome.upload_id, "version": 1, "status": "stored",
                                 "rows": 2, "errors": []}
    [entry] = store.history()
    assert entry["scope"] == DEPT and entry["month"] == "2026-10" and entry["current"]
    assert entry["file_name"] == "thang10.xlsx" and entry["size"] == len(OCTOBER)
    assert entry["user"] == "Trưởng phòng" and entry["rows"] == 2 and not entry["is_sample"]
    assert store.original_bytes(outcome.upload_id) == OCTOBER
    assert sorted(store.consolidated_tasks()["task_id"]) == ["T1", "T2"]
    assert store.has_real_data() and not store.is_empty()


def test_audit_records_hashes_and_counts_never_cell_contents(store):
    outcome = store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "Trưởng phòng")
    [entry] = store.audit_log()
    assert entry["action"] == "upload" and entry["user"] == "Trưởng phòng"
    assert entry["details"]["sha256"] == store.history()[0]["sha256"]
    assert entry["details"]["rows"] == 2 and entry["details"]["upload_id"] == outcome.upload_id
    assert "Hỗ trợ hồ sơ" not in repr(entry) and "Nguyễn Văn An" not in repr(entry)


def test_identical_bytes_for_the_current_version_are_a_no_op(store):
    """SPEC §4.2: uploading identical bytes again for the same scope and month."""
    first = store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    version_before, audit_before = store.data_version(), len(store.audit_log())
    again = store.import_upload(DEPT, "2026-10", "copy.xlsx", OCTOBER, "B")
    assert (again.status, again.upload_id, again.version, again.rows) == ("unchanged", first.upload_id, 1, 2)
    assert len(store.history()) == 1
    assert store.data_version() == version_before and len(store.audit_log()) == audit_before


def test_same_bytes_for_another_month_are_a_new_upload(store):
    store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    other = store.import_upload(DEPT, "2026-11", "a.xlsx", OCTOBER, "A")
    assert (other.status, other.version) == ("stored", 1)
    assert _count(store, "originals") == 1  # one stored copy for both


def test_reupload_makes_a_new_current_version_and_keeps_the_old(store):
    v1 = store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    v2 = store.import_upload(DEPT, "2026-10", "b.xlsx", OCTOBER_V2, "A")
    assert (v2.status, v2.version) == ("stored", 2)
    history = {h["upload_id"]: h for h in store.history(scope=DEPT, month="2026-10")}
    assert history[v2.upload_id]["current"] and not history[v1.upload_id]["current"]
    assert sorted(store.consolidated_tasks()["task_id"]) == ["T1", "T3"]
    assert store.original_bytes(v1.upload_id) == OCTOBER  # superseded, still kept


def test_bytes_of_an_older_superseded_version_become_a_new_version(store):
    """The documented reading: identical to an OLD version is a new version, not a no-op."""
    v1 = store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    store.import_upload(DEPT, "2026-10", "b.xlsx", OCTOBER_V2, "A")
    v3 = store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    assert (v3.status, v3.version) == ("stored", 3)
    assert store.history()[0]["sha256"] == store.history()[-1]["sha256"]
    assert sorted(store.consolidated_tasks()["task_id"]) == ["T1", "T2"]
    assert _count(store, "originals") == 2 and v3.upload_id != v1.upload_id


def test_restore_round_trip(store):
    """v1, v2, restore v1: the consolidated tasks are v1's rows again (SPEC §4.2)."""
    v1 = store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    v1_tasks = store.consolidated_tasks()
    store.import_upload(DEPT, "2026-10", "b.xlsx", OCTOBER_V2, "A")
    before = store.data_version()
    store.restore(v1.upload_id, "Giám đốc")
    assert store.data_version() != before
    restored = store.consolidated_tasks()
    pd.testing.assert_frame_equal(restored[list(TASK_COLUMNS)], v1_tasks[list(TASK_COLUMNS)])
    assert [h["current"] for h in store.history()] == [False, True]
    entry = store.audit_log()[0]
    assert entry["action"] == "restore" and entry["details"]["upload_id"] == v1.upload_id
    assert entry["user"] == "Giám đốc"


def test_restore_of_an_unknown_id_fails_cleanly(store):
    with pytest.raises(UploadNotFound):
        store.restore(999, "A")
    assert store.audit_log() == []


def _state(tmp_path: Path, store) -> tuple[dict, dict]:
    """Every row of the database and every file under tmp_path; closes the store (SQLite:
    the last connection checkpoints the WAL into the file, so the bytes compare too)."""
    rows = database_snapshot(store)
    store.close()
    return rows, tree_hashes(tmp_path)


def test_rejected_upload_leaves_the_database_byte_identical(db_url, tmp_path):
    """SPEC §4.4: a rejected upload changes nothing."""
    store = new_store(db_url, tmp_path)
    store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    before = _state(tmp_path, store)
    assert before[0]["originals"] and before[0]["tasks"]

    store = new_store(db_url, tmp_path)
    bad = workbook([task("T1"), task("T1"), task("T9", assigned=None)])  # repeated id, no date
    outcome = store.import_upload(DEPT, "2026-10", "bad.xlsx", bad, "A")
    assert outcome.status == "rejected" and outcome.upload_id is None and outcome.version is None
    assert {(p.row, p.field) for p in outcome.problems if p.severity == "error"} >= {
        (3, "task_id"), (4, "assigned_date")}
    assert outcome.to_dict()["status"] == "rejected"
    assert _state(tmp_path, store) == before


def _with_macros(xlsx: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00macro")
    return out.getvalue()


def test_a_macro_file_is_never_stored(db_url, tmp_path):
    store = new_store(db_url, tmp_path)
    before = _state(tmp_path, store)
    store = new_store(db_url, tmp_path)
    outcome = store.import_upload(DEPT, "2026-10", "log.xlsm", _with_macros(OCTOBER), "A")
    assert outcome.status == "rejected"
    assert outcome.problems[0].row is None
    assert _count(store, "originals") == 0 and store.history() == []
    assert _state(tmp_path, store) == before


def test_department_upload_may_only_hold_its_own_tasks(store):
    """SPEC §4.1: a row led by another department is an error naming the row."""
    data = workbook([task("T1"), task("T2", lead_dept="Phòng Hành chính")])
    outcome = store.import_upload(DEPT, "2026-10", "a.xlsx", data, "A")
    assert outcome.status == "rejected"
    [error] = [p for p in outcome.problems if p.severity == "error"]
    assert (error.row, error.field, error.value) == (3, "lead_dept", "Phòng Hành chính")
    center = store.import_upload("center", "2026-10", "a.xlsx", data, "Giám đốc")
    assert center.status == "stored"
    assert store.history()[0]["scope"] == "center"


def test_scope_must_be_a_configured_department(store):
    store.set_departments(["Phòng Tư vấn", "Phòng Hành chính"])
    unknown = store.import_upload("Phòng Tu van X", "2026-10", "a.xlsx", OCTOBER, "A")
    assert unknown.status == "rejected"
    assert [(p.row, p.field) for p in unknown.problems if p.severity == "error"] == [(None, "scope")]
    assert "Phòng Tư vấn" in unknown.problems[0].message  # closest name suggested
    spelled = store.import_upload("phong tu van", "2026-10", "a.xlsx", OCTOBER, "A")
    assert spelled.status == "stored" and store.history()[0]["scope"] == "Phòng Tư vấn"


def test_one_department_spelled_two_ways_is_one_scope(store):
    store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    again = store.import_upload("PHÒNG TƯ VẤN", "2026-10", "b.xlsx", OCTOBER_V2, "A")
    assert (again.status, again.version, again.scope) == ("stored", 2, DEPT)
    assert [h["scope"] for h in store.history(scope="phong tu van")] == [DEPT, DEPT]


def test_bad_month_is_refused(store):
    with pytest.raises(ValueError):
        store.import_upload(DEPT, "2026-13", "a.xlsx", OCTOBER, "A")


# Where a failure or a crash is injected: right after the original is stored, after the
# rows (the data version is bumped after them), and at the audit entry (the last step).
CRASH_POINTS = {
    "after_original": (originals_module, "put"),
    "after_rows": (uploads_module, "bump_data_version"),
    "at_audit": (uploads_module, "write_audit"),
}


def _assert_nothing_stored(store) -> None:
    assert store.history() == [] and store.consolidated_tasks().empty
    for table in ("uploads", "originals", "tasks", "contributions", "current_uploads", "audit"):
        assert _count(store, table) == 0, table


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_failure_before_commit_leaves_nothing(store, monkeypatch, point):
    """SPEC §4.4: the original, the rows and the upload record commit together (one
    transaction): a failure anywhere before the commit leaves none of them."""
    module, name = CRASH_POINTS[point]
    real = getattr(module, name)

    def fail_after(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, name, fail_after)
    with pytest.raises(RuntimeError):
        store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    _assert_nothing_stored(store)
    monkeypatch.undo()
    outcome = store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    assert (outcome.status, outcome.version) == ("stored", 1)
    assert store.original_bytes(outcome.upload_id) == OCTOBER
    assert store.check().ok


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_process_killed_inside_the_transaction_leaves_nothing(db_url, tmp_path, point):
    """A hard crash (os._exit: no Python clean-up at all) between storing the original
    and committing the rows: no upload, no original, no rows, and no file anywhere,
    temporary or not (issue 8: no temp file holding an original is left)."""
    module, name = CRASH_POINTS[point]
    scratch = tmp_path / "tmp"  # the child's TMPDIR: must stay empty
    scratch.mkdir()
    script = textwrap.dedent(f"""
        import os, sys
        sys.path[:0] = [{str(Path(__file__).resolve().parents[1])!r}, {str(Path(__file__).parent)!r}]
        from pathlib import Path
        from analysis.store import originals, uploads
        from store_helpers import new_store, task, workbook
        store = new_store({db_url!r}, Path({str(tmp_path)!r}))
        module = {{"originals": originals, "uploads": uploads}}[{module.__name__.rsplit(".", 1)[-1]!r}]
        real = getattr(module, {name!r})
        def die_after(*args, **kwargs):
            real(*args, **kwargs)
            os._exit(3)
        setattr(module, {name!r}, die_after)
        store.import_upload("Phòng Tư vấn", "2026-10", "a.xlsx", workbook([task("T1")]), "A")
    """)
    env = {**os.environ, "TMPDIR": str(scratch)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120, env=env)
    assert result.returncode == 3, result.stderr.decode()
    assert list(scratch.iterdir()) == []
    left = {p.name for p in tmp_path.rglob("*") if p.is_file()}
    assert left <= {"ctxh.sqlite", "ctxh.sqlite-wal", "ctxh.sqlite-shm"}
    store = new_store(db_url, tmp_path)
    _assert_nothing_stored(store)
    outcome = store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    assert outcome.status == "stored" and outcome.version == 1
    assert store.check().ok
    store.close()


def test_every_stored_upload_has_its_original_in_the_database(store):
    for month in ("2026-09", "2026-10", "2026-11"):
        store.import_upload(DEPT, month, "a.xlsx", workbook([task(f"T-{month}")]), "A")
    for entry in store.history():
        assert len(store.original_bytes(entry["upload_id"])) == entry["size"]
    assert _count(store, "originals") == 3


def test_tampered_original_is_detected(store):
    outcome = store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE originals SET data = :d"), {"d": b"not the original"})
    with pytest.raises(OriginalError):
        store.original_bytes(outcome.upload_id)
    report = store.check()
    assert [(p["kind"], p["upload_id"]) for p in report.problems] == [
        ("original_changed", outcome.upload_id)]


def test_preview_stores_nothing_and_lists_changes(db_url, tmp_path):
    store = new_store(db_url, tmp_path)
    store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    before = _state(tmp_path, store)
    store = new_store(db_url, tmp_path)
    preview = store.preview(DEPT, "2026-10", "b.xlsx", OCTOBER_V2)
    assert preview.read.ok and not preview.identical and preview.scope == DEPT
    changes = preview.changes.sort_values("task_id").values.tolist()
    assert changes == [["T1", "changed", ["due_date"], [("due_date", date(2026, 10, 20),
                                                         date(2026, 10, 31))]],
                       ["T2", "removed", [], []], ["T3", "added", [], []]]
    same = store.preview(DEPT, "2026-10", "a.xlsx", OCTOBER)
    assert same.identical and same.changes.empty
    first = store.preview(DEPT, "2026-11", "a.xlsx", OCTOBER)
    assert sorted(first.changes["change"]) == ["added", "added"] and not first.identical
    assert _state(tmp_path, store) == before


def test_save_read_after_preview(store):
    preview = store.preview(DEPT, "2026-10", "a.xlsx", OCTOBER)
    outcome = store.save_read(preview.scope, "2026-10", "a.xlsx", OCTOBER, "A", preview.read)
    assert outcome.status == "stored" and outcome.rows == 2
    bad = store.preview(DEPT, "2026-10", "x.xlsx", workbook([task("T1", lead_dept="Phòng Khác")]))
    with pytest.raises(ValueError):
        store.save_read(bad.scope, "2026-10", "x.xlsx", b"x", "A", bad.read)


def test_column_mapping_is_used_and_remembered(store):
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(workbook([task("T1")])))
    wb.active.cell(row=1, column=1, value="Số hồ sơ")  # matches no field
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    assert store.import_upload(DEPT, "2026-10", "a.xlsx", data, "A").status == "rejected"
    outcome = store.import_upload(DEPT, "2026-10", "a.xlsx", data, "A", {"Số hồ sơ": "task_id"})
    assert outcome.status == "stored"
    assert store.remembered_mapping(DEPT) == {"Số hồ sơ": "task_id"}
    assert store.remembered_mapping("phòng tư vấn") == {"Số hồ sơ": "task_id"}


def test_data_version_changes_with_every_stored_upload(store):
    versions = [store.data_version()]
    store.import_upload(DEPT, "2026-10", "a.xlsx", OCTOBER, "A")
    versions.append(store.data_version())
    store.import_upload(DEPT, "2026-10", "b.xlsx", OCTOBER_V2, "A")
    versions.append(store.data_version())
    assert len(set(versions)) == 3


def test_warnings_are_counted_and_returned(store):
    data = workbook([task("T1", due=None)])  # missing due_date: a warning
    outcome = store.import_upload(DEPT, "2026-10", "a.xlsx", data, "A")
    assert outcome.status == "stored"
    assert [p.field for p in outcome.problems] == ["due_date"]
    assert store.history()[0]["warnings"] == 1
