"""The `import`, `history`, `restore`, `backup`, `check` and `restore-backup` commands
(SPEC §5, §4.4), on SQLite and PostgreSQL (`db_url` of conftest.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import messages
from analysis.cli import main
from analysis.store import open_store
from store_helpers import task, workbook

REPO = Path(__file__).resolve().parents[1]
DEPT = "Phòng Tư vấn"


@pytest.fixture
def db(db_url):
    return db_url


def _run(capsys, *argv) -> tuple[int, object]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_cli_session(tmp_path, db, capsys):
    october = tmp_path / "thang10.xlsx"
    october.write_bytes(workbook([task("T1"), task("T2", due="2026-10-25")]))
    november = tmp_path / "thang11.xlsx"
    november.write_bytes(workbook([task("T1", due="2026-11-15", assigned="2026-10-01"),
                                   task("T3", assigned="2026-11-02", due="2026-11-20")]))
    broken = tmp_path / "loi.xlsx"
    broken.write_bytes(workbook([task("T4"), task("T4", lead_dept="Phòng Hành chính")]))
    october_v2 = tmp_path / "thang10-sua.xlsx"
    october_v2.write_bytes(workbook([task("T1", due="2026-10-28")]))

    code, first = _run(capsys, "import", "--scope", DEPT, "--month", "2026-10", "--user", "Trưởng phòng",
                       "--db", db, str(october))
    assert code == 0 and first == {"upload_id": 1, "version": 1, "status": "stored", "rows": 2, "errors": []}
    code, second = _run(capsys, "import", "--scope", DEPT, "--month", "2026-11", "--db", db, str(november))
    assert code == 0 and second["status"] == "stored" and second["upload_id"] == 2

    code, again = _run(capsys, "import", "--scope", DEPT, "--month", "2026-10", "--db", db, str(october))
    assert code == 0 and again == {"upload_id": 1, "version": 1, "status": "unchanged", "rows": 2, "errors": []}

    code, rejected = _run(capsys, "import", "--scope", DEPT, "--month", "2026-10", "--db", db, str(broken))
    assert code == 1 and rejected["status"] == "rejected" and rejected["upload_id"] is None
    assert {(e["row"], e["field"]) for e in rejected["errors"]} == {(3, "task_id"), (3, "lead_dept")}
    assert all(e["message"] for e in rejected["errors"])

    code, v2 = _run(capsys, "import", "--scope", DEPT, "--month", "2026-10", "--db", db, str(october_v2))
    assert code == 0 and (v2["upload_id"], v2["version"]) == (3, 2)

    code, history = _run(capsys, "history", "--db", db)
    assert code == 0
    assert [(h["upload_id"], h["month"], h["version"], h["current"]) for h in history] == [
        (3, "2026-10", 2, True), (2, "2026-11", 1, True), (1, "2026-10", 1, False)]
    assert history[2]["user"] == "Trưởng phòng" and history[2]["file_name"] == "thang10.xlsx"
    code, filtered = _run(capsys, "history", "--scope", DEPT, "--month", "2026-10", "--db", db)
    assert [h["upload_id"] for h in filtered] == [3, 1]

    code, restored = _run(capsys, "restore", "1", "--user", "Giám đốc", "--db", db)
    assert code == 0 and restored["status"] == "restored" and restored["upload_id"] == 1
    assert restored["previous_upload_id"] == 3
    code, history = _run(capsys, "history", "--month", "2026-10", "--db", db)
    assert [(h["upload_id"], h["current"]) for h in history] == [(3, False), (1, True)]


def test_restore_unknown_id_exits_1_with_a_message(db, capsys):
    code = main(["restore", "42", "--db", db])
    captured = capsys.readouterr()
    assert code == 1
    assert json.loads(captured.out)["status"] == "not_found"
    assert "42" in captured.err


def test_import_with_a_column_mapping(tmp_path, db, capsys):
    import io

    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(workbook([task("T1")])))
    book.active.cell(row=1, column=1, value="Số hồ sơ")
    path = tmp_path / "mapped.xlsx"
    book.save(path)
    code, out = _run(capsys, "import", "--scope", "center", "--month", "2026-10", "--db", db, str(path))
    assert code == 1 and out["status"] == "rejected"
    code, out = _run(capsys, "import", "--scope", "center", "--month", "2026-10", "--db", db,
                     "--map", "SO HO SO=task_id", str(path))
    assert code == 0 and out["status"] == "stored"


def test_missing_file_is_rejected(tmp_path, db, capsys):
    code, out = _run(capsys, "import", "--scope", "center", "--month", "2026-10", "--db", db,
                     str(tmp_path / "nope.xlsx"))
    assert code == 1 and out["status"] == "rejected" and out["errors"][0]["row"] is None


def test_bad_month_is_a_usage_error(tmp_path, db):
    with pytest.raises(SystemExit) as exc:
        main(["import", "--scope", "center", "--month", "10/2026", "--db", db, str(tmp_path / "x.xlsx")])
    assert exc.value.code == 2


def test_two_cli_imports_at_the_same_time_both_stored(tmp_path, db_url):
    """Two real processes running the command line at once; DATABASE_URL is honoured."""
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": str(REPO)}
    for round_ in range(2):
        files = []
        for name in ("a", "b"):
            path = tmp_path / f"{name}{round_}.xlsx"
            path.write_bytes(workbook([task(f"{name}-{round_}-{i}") for i in range(20)]))
            files.append(path)
        procs = [subprocess.Popen([sys.executable, "-m", "analysis", "import", "--scope", "center",
                                   "--month", "2026-10", str(path)], cwd=tmp_path, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for path in files]
        results = [(p.wait(timeout=120), p.stdout.read().decode(), p.stderr.read().decode()) for p in procs]
        for code, out, err in results:
            assert code == 0, err
            assert json.loads(out)["status"] == "stored"
            assert "locked" not in out + err
    listing = subprocess.run([sys.executable, "-m", "analysis", "history"], cwd=tmp_path, env=env,
                             capture_output=True, check=True)
    versions = sorted(h["version"] for h in json.loads(listing.stdout.decode("utf-8")))
    assert versions == [1, 2, 3, 4]
    files = {p.name for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".xlsx"}
    # DATABASE_URL used (not the default file); the originals are in the database
    assert files <= {"ctxh.sqlite", "ctxh.sqlite-wal", "ctxh.sqlite-shm"}
    assert ("ctxh.sqlite" in files) == db_url.startswith("sqlite")


# --- clean failures (SPEC §5: every command answers with its JSON) ---------------------------

def test_import_into_a_read_only_database_answers_with_json(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ro.sqlite'}"  # a read-only SQLite file: SQLite only
    path = tmp_path / "thang10.xlsx"
    path.write_bytes(workbook([task("T1")]))
    assert main(["import", "--scope", DEPT, "--month", "2026-10", "--db", db, str(path)]) == 0
    capsys.readouterr()
    read_only = db.replace("sqlite:///", "sqlite:///file:") + "?mode=ro&uri=true"
    path.write_bytes(workbook([task("T1"), task("T2")]))
    code = main(["import", "--scope", DEPT, "--month", "2026-10", "--db", read_only, str(path)])
    captured = capsys.readouterr()
    assert code == 1
    out = json.loads(captured.out)
    assert (out["status"], out["upload_id"]) == ("rejected", None)
    assert "cơ sở dữ liệu chỉ cho phép đọc" in out["errors"][0]["message"]
    assert "Traceback" not in captured.err and len(captured.err.strip().splitlines()) == 1


def test_restore_of_a_number_past_any_id_is_not_found(db, capsys):
    assert main(["restore", "99999999999999999999", "--db", db]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "not_found" and out["upload_id"] == 99999999999999999999
    assert main(["restore", "-3", "--db", db]) == 1


def test_a_header_only_file_is_rejected_unless_allowed(tmp_path, db, capsys):
    path = tmp_path / "trong.xlsx"
    path.write_bytes(workbook([]))
    code, out = _run(capsys, "import", "--scope", DEPT, "--month", "2026-10", "--db", db, str(path))
    assert code == 1 and out["status"] == "rejected"
    assert out["errors"][0]["message"].startswith("Tệp không có nhiệm vụ nào")
    code, out = _run(capsys, "import", "--scope", DEPT, "--month", "2026-10", "--db", db,
                     "--allow-empty", str(path))
    assert code == 0 and (out["status"], out["rows"]) == ("stored", 0)


def test_metrics_on_files_is_not_held_to_the_upload_row_limit(tmp_path, capsys):
    """SPEC §5: a local analysis; `validate` keeps the limit of one upload."""
    import csv as csv_module

    path = tmp_path / "nam.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv_module.writer(handle)
        out.writerow(["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Người chủ trì",
                      "Ngày giao", "Hạn hoàn thành", "Ngày hoàn thành"])
        for i in range(100_008):
            out.writerow([f"NV-{i}", "Thăm hộ", "Phòng Tư vấn", "Nguyễn Văn An", "01/10/2026",
                          "20/10/2026", "15/10/2026" if i % 2 else ""])
    assert main(["validate", str(path)]) == 2
    assert "vượt giới hạn 100000 dòng" in json.loads(capsys.readouterr().out)["errors"][0]["message"]
    assert main(["metrics", "--as-of", "2026-10-31", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["overall"]["tasks"] == 100_008


def test_metrics_on_a_file_that_makes_the_parser_abort_names_it(tmp_path, capsys):
    from workbooks import task as template_task
    from workbooks import task_table, xls

    data = bytearray(xls(task_table(template_task())))
    data[1577], data[2200], data[3375] = 44, 237, 174  # calamine aborts on it
    (tmp_path / "hong.xls").write_bytes(bytes(data))
    (tmp_path / "tot.xlsx").write_bytes(workbook([task("T1")]))
    code = main(["metrics", "--as-of", "2026-10-31", str(tmp_path / "tot.xlsx"),
                 str(tmp_path / "hong.xls")])
    assert code == 1
    [report] = json.loads(capsys.readouterr().err)
    assert report["file"] == "hong.xls"
    assert report["errors"][0]["message"] == messages.CHILD_FAILED


def test_metrics_on_a_file_that_calamine_cannot_lay_out_gives_the_checks_message(tmp_path, capsys):
    """metrics lays a file out while its checks run: calamine dies on this one (it asks
    for 512 GB), and the answer is the checks' verdict on it."""
    from workbooks import header_row, inline, raw_xlsx, sheet_xml

    far = raw_xlsx(sheet_xml(header_row() + '<row r = "1048576"><c r = "XFD1048576" '
                             't="inlineStr">' + inline("x") + "</c></row>"))
    (tmp_path / "xa.xlsx").write_bytes(far)
    assert main(["metrics", "--as-of", "2026-10-31", str(tmp_path / "xa.xlsx")]) == 1
    [report] = json.loads(capsys.readouterr().err)
    assert report["file"] == "xa.xlsx"
    assert report["errors"][0]["message"].startswith(
        "Bảng tính trải tới dòng 1048576 và cột thứ 16384 (17.179.869.184 ô)")


def test_metrics_never_lays_out_a_later_file_its_checks_refused(tmp_path, capsys):
    """Once the first file is laid out, the verdicts of all files are known: a later
    file refused by its checks is refused with their message (calamine would die on
    it), not as a parser that died."""
    from workbooks import header_row, inline, raw_xlsx, sheet_xml

    far = raw_xlsx(sheet_xml(header_row() + '<row r = "1048576"><c r = "XFD1048576" '
                             't="inlineStr">' + inline("x") + "</c></row>"))
    (tmp_path / "tot.xlsx").write_bytes(workbook([task("T1")]))
    (tmp_path / "xa.xlsx").write_bytes(far)
    code = main(["metrics", "--as-of", "2026-10-31", str(tmp_path / "tot.xlsx"),
                 str(tmp_path / "xa.xlsx")])
    assert code == 1
    [report] = json.loads(capsys.readouterr().err)
    assert report["file"] == "xa.xlsx"
    assert report["errors"][0]["message"].startswith(
        "Bảng tính trải tới dòng 1048576 và cột thứ 16384 (17.179.869.184 ô)")


def test_backup_check_and_restore_from_the_command_line(tmp_path, db, capsys):
    """SPEC §4.4 from the command line; the restore is the one step docs/deploy.md gives."""
    from sqlalchemy import create_engine, text

    path = tmp_path / "thang10.xlsx"
    path.write_bytes(workbook([task("T1"), task("T2", due="2026-10-25")]))
    assert _run(capsys, "import", "--scope", DEPT, "--month", "2026-10", "--db", db, str(path))[0] == 0
    out = tmp_path / "backups" / "ctxh-2026-10-31.sqlite"
    code, written = _run(capsys, "backup", str(out), "--db", db)
    assert code == 0 and written["status"] == "written" and written["file"] == str(out)
    assert written["check"]["status"] == "ok" and written["check"]["uploads"] == 1
    assert written["sha256"] and out.stat().st_mode & 0o777 == 0o600
    from sqlalchemy.engine import make_url
    secret = make_url(db).password
    assert not secret or secret not in json.dumps(written)  # the URL is shown without it
    code, again = _run(capsys, "backup", str(out), "--db", db)
    assert code == 2 and again["status"] == "error"

    code, checked = _run(capsys, "check", "--db", db)
    assert code == 0 and checked["status"] == "ok" and checked["problems"] == []
    assert checked["originals"] == 1 and checked["tasks"] == 2
    code, checked = _run(capsys, "check", str(out))
    assert code == 0 and checked["file"] == str(out) and checked["status"] == "ok"
    code, missing = _run(capsys, "check", str(tmp_path / "nope.sqlite"))
    assert code == 2 and missing["status"] == "error"

    engine = create_engine(db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE originals SET data = :d"), {"d": b"changed"})
    engine.dispose()
    code = main(["check", "--db", db])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert code == 1 and report["status"] == "mismatch"
    assert [(p["kind"], p["upload_id"]) for p in report["problems"]] == [("original_changed", 1)]
    assert "SHA-256" in captured.err

    code, refused = _run(capsys, "restore-backup", str(out), "--db", db)
    assert code == 2 and refused["status"] == "error"  # the database holds data
    code, restored = _run(capsys, "restore-backup", str(out), "--replace", "--db", db)
    assert code == 0 and restored["status"] == "restored" and restored["uploads"] == 1
    assert _run(capsys, "check", "--db", db)[0] == 0
    fresh = f"sqlite:///{tmp_path / 'fresh' / 'ctxh.sqlite'}"
    code, restored = _run(capsys, "restore-backup", str(out), "--db", fresh)
    assert code == 0 and restored["tasks"] == 2
    code, history = _run(capsys, "history", "--db", fresh)
    assert [(h["upload_id"], h["file_name"]) for h in history] == [(1, "thang10.xlsx")]


def test_a_server_database_leaves_the_checkout_untouched(tmp_path, postgres_url):
    """With PostgreSQL the app's own disk holds nothing: importing, backing up and
    checking through the command line does not change the checkout's data/ folder."""
    from store_helpers import tree_hashes

    data = REPO / "data"
    before = tree_hashes(data)
    env = {**os.environ, "DATABASE_URL": postgres_url, "PYTHONPATH": str(REPO)}
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook([task("T1")]))
    for argv in (["import", "--scope", DEPT, "--month", "2026-10", str(path)],
                 ["import", "--scope", DEPT, "--month", "2026-10", str(path)],
                 ["backup", str(tmp_path / "b.sqlite")], ["check"], ["history"],
                 ["metrics", "--as-of", "2026-10-31"]):
        result = subprocess.run([sys.executable, "-m", "analysis", *argv], cwd=REPO, env=env,
                                capture_output=True, timeout=120)
        assert result.returncode == 0, result.stderr.decode()
    assert tree_hashes(data) == before
    assert not (data / "ctxh.sqlite").exists() or "ctxh.sqlite" in before


def test_restore_backup_over_accounts_needs_an_administrator(tmp_path, db, capsys):
    """Once the database has accounts, `restore-backup` names an active administrator
    with --user (it replaces the accounts); otherwise it is refused, exit 1, nothing changed."""
    from argon2 import PasswordHasher

    from analysis.accounts import Accounts

    log = tmp_path / "t.xlsx"
    log.write_bytes(workbook([task("T1")]))
    assert _run(capsys, "import", "--scope", DEPT, "--month", "2026-10", "--db", db, str(log))[0] == 0
    out = tmp_path / "b.sqlite"
    assert _run(capsys, "backup", str(out), "--db", db)[0] == 0
    store = open_store(db, archive_dir=tmp_path / "none")
    accounts = Accounts(store, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    accounts.add("Quản trị", "admin", "mat-khau-du-dai-12")
    accounts.add("Giám đốc", "director", "mat-khau-du-dai-12")
    store.close()
    for user in ([], ["--user", "Giám đốc"], ["--user", "Không có"]):
        code, refused = _run(capsys, "restore-backup", str(out), "--replace", *user, "--db", db)
        assert (code, refused["status"]) == (1, "refused"), user
    code, history = _run(capsys, "history", "--db", db)
    code, restored = _run(capsys, "restore-backup", str(out), "--replace", "--user", "quản trị",
                          "--db", db)
    assert (code, restored["status"], restored["uploads"]) == (0, "restored", 1)
    assert _run(capsys, "history", "--db", db)[1] == history
