"""The `user` command and `--user` of `import` / `restore` (SPEC §5, §8)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from store_helpers import task, workbook

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "mat-khau-dong-lenh-dai"
OWN, OTHER = "Phòng Tư vấn", "Phòng Hành chính"


class Stdin:
    """Standard input that is not a terminal (a script's pipe)."""

    def __init__(self, text: str):
        self.buffer = io.BytesIO(text.encode("utf-8"))

    def isatty(self) -> bool:
        return False


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


def run(capsys, monkeypatch, *argv, stdin: str = "") -> tuple[int, object, str]:
    monkeypatch.setattr(sys, "stdin", Stdin(stdin))
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else None, captured.err


def add(capsys, monkeypatch, db, name, role, *extra, password=PASSWORD):
    return run(capsys, monkeypatch, "user", "add", name, "--role", role, *extra, "--db", db,
               stdin=password + "\n")


def test_accounts_from_stdin_and_a_list_without_any_hash(capsys, monkeypatch, db):
    code, out, _ = add(capsys, monkeypatch, db, "Quản trị viên", "admin")
    assert code == 0 and out["status"] == "added" and out["account"]["role"] == "admin"
    code, out, _ = add(capsys, monkeypatch, db, "Hoa", "dept_head", "--department", OWN)
    assert code == 0 and out["account"]["department"] == OWN
    code, listed, _ = run(capsys, monkeypatch, "user", "list", "--db", db)
    assert code == 0 and [a["name"] for a in listed] == ["Hoa", "Quản trị viên"]
    text = json.dumps(listed)
    assert "argon2" not in text and "hash" not in text and PASSWORD not in text


def test_the_password_is_the_first_line_only(capsys, monkeypatch, db):
    code, _, _ = add(capsys, monkeypatch, db, "An", "director",
                     password=PASSWORD + "\r\ndòng thứ hai bị bỏ qua")
    assert code == 0
    from analysis.accounts import Accounts
    from analysis.store import open_store

    assert Accounts(open_store(db)).sign_in("An", PASSWORD).ok


def test_a_short_password_is_refused_clearly(capsys, monkeypatch, db):
    code, out, err = add(capsys, monkeypatch, db, "An", "admin", password="ngan")
    assert code == 1 and "ít nhất 12 ký tự" in out["error"] and "ít nhất 12 ký tự" in err
    assert "ngan" not in out["error"] + err
    assert run(capsys, monkeypatch, "user", "list", "--db", db)[1] == []


@pytest.mark.parametrize("argv", [
    ["user", "add", "An", "--role", "admin", "--password", "bi-mat-tren-dong-lenh"],
    ["user", "add", "An", "--role", "admin", "--password=bi-mat-tren-dong-lenh"],
    ["user", "add", "An", "--role", "admin", "-p", "bi-mat-tren-dong-lenh"],
    ["user", "passwd", "An", "--password", "bi-mat-tren-dong-lenh"],
    ["user", "add", "An", "bi-mat-tren-dong-lenh", "--role", "admin"],  # a stray argument
])
def test_a_password_as_an_argument_is_refused_and_never_repeated(capsys, monkeypatch, db, argv):
    code, out, err = run(capsys, monkeypatch, *argv, "--db", db, stdin=PASSWORD + "\n")
    assert code == 2
    assert "bi-mat-tren-dong-lenh" not in (json.dumps(out) if out else "") + err
    assert "password" in err.lower() or "mật khẩu" in err.lower()
    assert run(capsys, monkeypatch, "user", "list", "--db", db)[1] == []


def test_on_a_terminal_the_password_is_asked_twice():
    from analysis.accounts import AccountError
    from analysis.commands.user import read_password

    class Terminal:
        def isatty(self):
            return True

    answers = iter([PASSWORD, PASSWORD])
    assert read_password(Terminal(), ask=lambda prompt: next(answers)) == PASSWORD
    different = iter([PASSWORD, PASSWORD + "x"])
    with pytest.raises(AccountError, match="không khớp"):
        read_password(Terminal(), ask=lambda prompt: next(different))


def test_disable_unlock_passwd(capsys, monkeypatch, db):
    from analysis.accounts import Accounts
    from analysis.store import open_store

    add(capsys, monkeypatch, db, "Quản trị viên", "admin")
    add(capsys, monkeypatch, db, "An", "director")
    accounts = Accounts(open_store(db), sleep=lambda s: None)
    for _ in range(5):
        accounts.sign_in("An", "sai-mat-khau-roi")
    assert "tạm khóa" in accounts.sign_in("An", PASSWORD).message
    code, out, _ = run(capsys, monkeypatch, "user", "unlock", "An", "--db", db)
    assert code == 0 and out["status"] == "unlocked" and out["account"]["locked_until"] is None
    assert accounts.sign_in("An", PASSWORD).ok

    code, out, _ = run(capsys, monkeypatch, "user", "passwd", "An", "--db", db,
                       stdin="mot-mat-khau-moi-hon\n")
    assert code == 0 and out["status"] == "password_changed"
    assert accounts.sign_in("An", "mot-mat-khau-moi-hon").ok

    code, out, _ = run(capsys, monkeypatch, "user", "disable", "An", "--db", db)
    assert code == 0 and out["account"]["active"] is False
    code, out, _ = run(capsys, monkeypatch, "user", "disable", "Quản trị viên", "--db", db)
    assert code == 1 and "quản trị cuối cùng" in out["error"]
    code, out, _ = run(capsys, monkeypatch, "user", "enable", "An", "--db", db)
    assert code == 0 and out["account"]["active"] is True
    code, out, _ = run(capsys, monkeypatch, "user", "passwd", "Không có", "--db", db)
    assert code == 1 and "Không có tài khoản" in out["error"]


# --- import / restore with --user ------------------------------------------------------------

@pytest.fixture
def files(tmp_path):
    own = tmp_path / "tv.xlsx"
    own.write_bytes(workbook([task("T1", lead_dept=OWN)]))
    other = tmp_path / "hc.xlsx"
    other.write_bytes(workbook([task("H1", lead_dept=OTHER)]))
    return own, other


def test_before_any_account_import_works_and_user_is_only_recorded(capsys, monkeypatch, db, files):
    code, out, _ = run(capsys, monkeypatch, "import", "--scope", OTHER, "--month", "2026-10",
                       "--user", "Ai cũng được", "--db", db, str(files[1]))
    assert code == 0 and out["status"] == "stored"
    code, history, _ = run(capsys, monkeypatch, "history", "--db", db)
    assert history[0]["user"] == "Ai cũng được"


@pytest.mark.parametrize("user, scope, file, field, message", [
    ("Hoa", OTHER, 1, "scope", "không được tải dữ liệu lên cho phòng “Phòng Hành chính”"),
    ("Hoa", "center", 0, "scope", "không được tải dữ liệu lên cho toàn trung tâm"),
    ("Người lạ", OWN, 0, "user", "Không có tài khoản đang hoạt động nào tên “Người lạ”"),
    (None, OWN, 0, "user", "cần --user"),
])
def test_once_accounts_exist_import_applies_the_role(capsys, monkeypatch, db, files, user, scope,
                                                     file, field, message):
    add(capsys, monkeypatch, db, "Quản trị viên", "admin")
    add(capsys, monkeypatch, db, "Hoa", "dept_head", "--department", OWN)
    argv = ["import", "--scope", scope, "--month", "2026-10", "--db", db, str(files[file])]
    if user:
        argv[1:1] = ["--user", user]
    code, out, err = run(capsys, monkeypatch, *argv)
    assert code == 1 and out["status"] == "rejected" and out["upload_id"] is None
    assert [(e["row"], e["field"], e["severity"]) for e in out["errors"]] == [(None, field, "error")]
    assert message in out["errors"][0]["message"] and message in err
    assert run(capsys, monkeypatch, "history", "--db", db)[1] == []


def test_a_head_imports_and_restores_only_their_own(capsys, monkeypatch, db, files, tmp_path):
    add(capsys, monkeypatch, db, "Quản trị viên", "admin")
    add(capsys, monkeypatch, db, "Hoa", "dept_head", "--department", OWN)
    code, out, _ = run(capsys, monkeypatch, "import", "--scope", OWN, "--month", "2026-10",
                       "--user", "hoa", "--db", db, str(files[0]))
    assert code == 0 and out["status"] == "stored"
    code, other, _ = run(capsys, monkeypatch, "import", "--scope", OTHER, "--month", "2026-10",
                         "--user", "Quản trị viên", "--db", db, str(files[1]))
    assert code == 0
    again = tmp_path / "hc2.xlsx"
    again.write_bytes(workbook([task("H2", lead_dept=OTHER)]))
    run(capsys, monkeypatch, "import", "--scope", OTHER, "--month", "2026-10",
        "--user", "Quản trị viên", "--db", db, str(again))
    code, out, err = run(capsys, monkeypatch, "restore", str(other["upload_id"]), "--user", "Hoa",
                         "--db", db)
    assert code == 1 and out["status"] == "refused" and "khôi phục" in out["error"]
    code, out, _ = run(capsys, monkeypatch, "restore", str(other["upload_id"]),
                       "--user", "Quản trị viên", "--db", db)
    assert code == 0 and out["status"] == "restored"
    code, history, _ = run(capsys, monkeypatch, "history", "--scope", OWN, "--db", db)
    assert history[0]["user"] == "Hoa"  # the account's name, as the database spells it


def test_the_user_command_runs_as_a_process_with_a_pipe(tmp_path):
    """What an operator types: the password piped in, `user list` afterwards."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}"}
    made = subprocess.run([sys.executable, "-m", "analysis", "user", "add", "Quản trị viên",
                           "--role", "admin"], input=(PASSWORD + "\n").encode(), cwd=REPO,
                          env=env, capture_output=True, timeout=120)
    assert made.returncode == 0, made.stderr.decode()
    listed = subprocess.run([sys.executable, "-m", "analysis", "user", "list"], cwd=REPO, env=env,
                            capture_output=True, timeout=120)
    accounts = json.loads(listed.stdout)
    assert [a["name"] for a in accounts] == ["Quản trị viên"] and b"argon2" not in listed.stdout
