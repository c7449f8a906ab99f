"""The `import`, `history`, `restore`, `backup`, `check` and `restore-backup` commands
(SPEC §5, §4.4), on SQLite and PostgreSQL (`db_url` of conftest.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
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
    from openpyxl import load_workbook
    import io
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
    from analysis.store import open_store

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
