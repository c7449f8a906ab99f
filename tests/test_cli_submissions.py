"""`python -m analysis submissions` (SPEC §5, §7.9): one entry per known department and
reporting month; a department named only as a coordinator that did not upload is
missing; a whole-center upload counts for everyone; samples stop counting once real
data exists; the deadline day is a setting."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from analysis.cli import main
from analysis.store import open_store, schema
from store_helpers import task, workbook

A, B, C, D = "Phòng Hành chính", "Phòng Tư vấn", "Phòng Can thiệp", "Phòng Dự án"


def _run(capsys, *argv) -> tuple[int, list]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def _upload(store, scope, month, rows, at: str, user="Trưởng phòng"):
    outcome = store.import_upload(scope, month, f"{month}.xlsx", workbook(rows), user)
    assert outcome.status == "stored", outcome.problems
    with store.engine.begin() as conn:  # the moment it was submitted
        conn.execute(update(schema.uploads).where(schema.uploads.c.id == outcome.upload_id)
                     .values(uploaded_at=at))
    return outcome


@pytest.fixture
def db(tmp_path):
    """Every department but D uploaded October; D is named only as a coordinator."""
    url = f"sqlite:///{tmp_path / 'ctxh.sqlite'}"
    store = open_store(url)
    _upload(store, A, "2026-10", [task("HC-1", lead_dept=A, coord_depts=D)],
            "2026-11-03T02:00:00+00:00", "Lê Văn Hành")
    _upload(store, B, "2026-10", [task("TV-1", lead_dept=B)], "2026-11-05T16:00:00+00:00")
    _upload(store, C, "2026-10", [task("CT-1", lead_dept=C, coord_depts=B)],
            "2026-11-07T01:00:00+00:00")
    _upload(store, C, "2026-09", [task("CT-0", lead_dept=C, due="2026-09-20",
                                       assigned="2026-09-01")], "2026-10-02T01:00:00+00:00")
    store.close()
    return url


def test_acceptance_a_coordinator_only_department_is_missing(db, capsys):
    code, entries = _run(capsys, "submissions", "--db", db)
    assert code == 0
    by_name = {e["department"]: e for e in entries}
    assert sorted(by_name) == sorted([A, B, C, D])
    assert {e["month"] for e in entries} == {"2026-10"}  # default: the latest month
    assert by_name[A]["status"] == "on_time" and by_name[A]["uploaded_by"] == "Lê Văn Hành"
    assert by_name[B]["status"] == "on_time"  # 23:00 on 05/11 in Da Nang
    assert by_name[C]["status"] == "late"
    missing = by_name[D]
    assert (missing["status"], missing["upload_id"], missing["uploaded_at"],
            missing["uploaded_by"]) == ("missing", None, None, None)
    for entry in entries:
        assert {"department", "month", "status", "upload_id", "uploaded_at",
                "uploaded_by"} <= set(entry)


def test_range_and_the_deadline_setting(db, capsys):
    code, entries = _run(capsys, "submissions", "--from", "2026-09", "--to", "2026-10",
                         "--db", db)
    assert code == 0 and len(entries) == 8
    september = {e["department"]: e["status"] for e in entries if e["month"] == "2026-09"}
    assert september == {A: "missing", B: "missing", C: "on_time", D: "missing"}
    store = open_store(db)
    store.set_settings({"report_deadline_day": 10})
    store.close()
    _, entries = _run(capsys, "submissions", "--db", db)
    assert {e["department"]: e["status"] for e in entries}[C] == "on_time"
    assert _run(capsys, "submissions", "--from", "2026-10", "--to", "2026-09", "--db", db)[0] == 2


def test_catalogue_departments_and_a_whole_center_upload(db, capsys):
    store = open_store(db)
    store.set_departments([A, B, C, D, "Phòng Mới"])
    _upload(store, "center", "2026-11", [task("GD-1", lead_dept=A, due="2026-11-20")],
            "2026-12-01T01:00:00+00:00", "Giám đốc")
    store.close()
    _, entries = _run(capsys, "submissions", "--db", db)  # latest month: 11/2026
    assert len(entries) == 5 and {e["status"] for e in entries} == {"on_time"}
    assert {e["uploaded_by"] for e in entries} == {"Giám đốc"}


def test_sample_uploads_stop_counting_once_real_data_exists(tmp_path, capsys):
    from analysis.store.sample import ensure_sample_data

    url = f"sqlite:///{tmp_path / 'ctxh.sqlite'}"
    store = open_store(url)
    assert ensure_sample_data(store)
    store.close()
    _, entries = _run(capsys, "submissions", "--db", url)
    assert len(entries) == 6 and {e["month"] for e in entries} == {"2026-10"}
    assert all(e["uploaded_by"] == "Dữ liệu mẫu" for e in entries)
    store = open_store(url)
    _upload(store, "Phòng Tư vấn - Tham vấn", "2026-11",
            [task("TV-9", lead_dept="Phòng Tư vấn - Tham vấn", coord_depts="Phòng Chương trình - Dự án",
                  due="2026-11-20")], "2026-12-01T01:00:00+00:00")
    store.close()
    _, entries = _run(capsys, "submissions", "--db", url)
    assert [(e["department"], e["month"], e["status"]) for e in entries] == [
        ("Phòng Chương trình - Dự án", "2026-11", "missing"),
        ("Phòng Tư vấn - Tham vấn", "2026-11", "on_time")]


def test_no_upload_at_all_prints_an_empty_list(tmp_path, capsys):
    assert _run(capsys, "submissions", "--db", f"sqlite:///{tmp_path / 'x.sqlite'}") == (0, [])


def test_restores_are_read_back_from_the_audit_log(db):
    store = open_store(db)
    first = store.history(A, "2026-10")[0]
    _upload(store, A, "2026-10", [task("HC-1", lead_dept=A, due="2026-10-30")],
            "2026-11-04T02:00:00+00:00")
    store.restore(first["upload_id"], "Giám đốc")
    events = store.restore_events(A)
    assert [(e["user"], e["upload_id"], e["month"], e["version"]) for e in events] == [
        ("Giám đốc", first["upload_id"], "2026-10", 1)]
    assert store.restore_events(B) == []
    store.close()
