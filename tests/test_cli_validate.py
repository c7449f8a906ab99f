"""`python -m analysis validate` (SPEC §5): the JSON report and the exit codes
0 (no errors), 1 (errors in a readable file), 2 (file refused)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import messages
from analysis.cli import main
from workbooks import rezip, task, task_table, task_xlsx, xlsx

REPO = Path(__file__).resolve().parents[1]
KEYS = ["file", "sheet", "header_row", "rows", "skipped_rows", "ignored_columns", "errors"]


def validate(tmp_path, data: bytes, name: str = "log.xlsx", *args: str, capsys):
    path = tmp_path / name
    path.write_bytes(data)
    code = main(["validate", str(path), *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_valid_file_exits_0_and_prints_the_report(tmp_path, capsys):
    rows = task_table(task(task_id="NV-1"), task(task_id="NV-2", title=""),
                      above=[["BẢNG THEO DÕI NHIỆM VỤ"]])
    code, report = validate(tmp_path, xlsx({"Nhiệm vụ": rows}), capsys=capsys)
    assert code == 0
    assert list(report) == KEYS
    assert report["file"] == "log.xlsx" and report["sheet"] == "Nhiệm vụ"
    assert (report["header_row"], report["rows"], report["skipped_rows"]) == (2, 2, [])
    assert report["errors"] == [{"row": 4, "field": "title", "value": None, "severity": "warning",
                                 "message": messages.EMPTY_TITLE}]


def test_row_errors_exit_1(tmp_path, capsys):
    code, report = validate(tmp_path, task_xlsx(task(lead_dept="")), capsys=capsys)
    assert code == 1
    assert [(e["row"], e["field"], e["severity"]) for e in report["errors"]] == [
        (2, "lead_dept", "error")]


def test_missing_column_and_no_header_exit_1(tmp_path, capsys):
    code, report = validate(tmp_path, task_xlsx(task(), fields=("task_id", "title", "lead_dept")),
                            capsys=capsys)
    assert code == 1 and report["errors"][0]["field"] == "assigned_date"
    code, report = validate(tmp_path, xlsx({"S": [["a", "b"], [1, 2]]}), capsys=capsys)
    assert code == 1 and report["header_row"] is None
    assert report["errors"][0]["message"] == messages.NO_HEADER_ROW


@pytest.mark.parametrize("make, message", [
    (lambda: task_xlsx(task())[:500], messages.CORRUPT),
    (lambda: rezip(task_xlsx(task()), add={"xl/vbaProject.bin": b"vba"}), messages.MACROS),
    (lambda: b"", messages.EMPTY_FILE),
    (lambda: b"%PDF-1.4 not a sheet", messages.NOT_SPREADSHEET),
])
def test_refused_files_exit_2_with_one_error_without_row(tmp_path, capsys, make, message):
    code, report = validate(tmp_path, make(), capsys=capsys)
    assert code == 2
    assert report["errors"] == [{"row": None, "field": None, "value": None, "severity": "error",
                                 "message": message}]
    assert report["rows"] == 0


def test_map_option_is_repeatable(tmp_path, capsys):
    rows = [["Số hồ sơ", "Việc", "Đơn vị", "Ngày nhận"], ["HS-1", "Hỗ trợ", "Phòng A", "01/10/2026"]]
    args = ["--map", "Số hồ sơ=task_id", "--map", "viec=title", "--map", "Đơn vị=lead_dept",
            "--map", "Ngày nhận=assigned_date"]
    code, report = validate(tmp_path, xlsx({"S": rows}), "log.xlsx", *args, capsys=capsys)
    assert code == 0, report
    assert report["rows"] == 1


def test_map_to_unknown_field_exits_2_with_a_clear_message(tmp_path, capsys):
    path = tmp_path / "log.xlsx"
    path.write_bytes(task_xlsx(task()))
    assert main(["validate", str(path), "--map", "Hạn=han_chot"]) == 2
    assert "unknown field 'han_chot'" in capsys.readouterr().err


def test_subprocess_prints_utf8_json(tmp_path):
    path = tmp_path / "nhật ký.xlsx"
    path.write_bytes(task_xlsx(task(title="")))
    done = subprocess.run([sys.executable, "-m", "analysis", "validate", str(path)], cwd=REPO,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    text = done.stdout.decode("utf-8")
    assert "Thiếu nội dung nhiệm vụ." in text  # not \\u escapes
    assert json.loads(text)["file"] == "nhật ký.xlsx"


def _refusal(capsys) -> dict:
    report = json.loads(capsys.readouterr().out)
    assert list(report) == KEYS
    [error] = report["errors"]
    assert (error["row"], error["severity"]) == (None, "error")
    return error


def test_nonexistent_file_exits_2_with_the_json(tmp_path, capsys):
    """SPEC §5: a file that cannot be read gives exit 2 and one error with "row": null."""
    missing = tmp_path / "không có.xlsx"
    assert main(["validate", str(missing)]) == 2
    error = _refusal(capsys)
    assert error["message"] == messages.FILE_NOT_FOUND.format(path=str(missing))


@pytest.mark.parametrize("item", ["Hạn", "=task_id", "Hạn="])
def test_malformed_map_exits_2_with_the_json(tmp_path, capsys, item):
    path = tmp_path / "log.xlsx"
    path.write_bytes(task_xlsx(task()))
    assert main(["validate", str(path), "--map", item]) == 2
    assert _refusal(capsys)["message"] == messages.MAP_MALFORMED.format(item=item)


def test_map_to_unknown_field_exits_2_with_the_json(tmp_path, capsys):
    path = tmp_path / "log.xlsx"
    path.write_bytes(task_xlsx(task()))
    assert main(["validate", str(path), "--map", "Hạn=han_chot"]) == 2
    message = _refusal(capsys)["message"]
    assert message.startswith("Ánh xạ cột “Hạn” chỉ tới trường “han_chot” không có.")
    assert "due_date (Hạn hoàn thành)" in message
