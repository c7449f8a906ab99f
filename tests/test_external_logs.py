"""Real public service-request logs (../shared/external, its README gives the mapping):
they validate with no error under the README's --map (SPEC §2.1 mapping, month-first)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.cli import main
from analysis.reading import read_task_log

NYC_MAP = {"Unique Key": "task_id", "Complaint Type": "title", "Agency": "lead_dept",
           "Created Date": "assigned_date", "Due Date": "due_date", "Closed Date": "done_date",
           "Status": "status"}
BOSTON_MAP = {"case_enquiry_id": "task_id", "case_title": "title", "department": "lead_dept",
              "queue": "lead_person", "open_dt": "assigned_date", "target_dt": "due_date",
              "closed_dt": "done_date", "case_status": "status"}



def _read(folder: Path, name: str, mapping: dict[str, str]):
    return read_task_log((folder / name).read_bytes(), name, mapping=mapping)


def test_nyc_311_sample_validates_month_first(external_dir):
    result = _read(external_dir, "nyc311_sample_999.csv", NYC_MAP)
    assert result.errors == [], result.errors[:5]
    assert result.month_first
    assert result.rows == 999
    first = result.tasks.iloc[0]  # 19937896,03/01/2011 02:27:57 PM,03/14/2011 03:59:20 PM,...
    assert first["task_id"] == "19937896"
    assert first["assigned_date"] == pd.Timestamp("2011-03-01")
    assert first["done_date"] == pd.Timestamp("2011-03-14")
    assert first["due_date"] == pd.Timestamp("2011-03-22")
    assert first["status"] == "done"


def test_boston_311_validates(external_dir):
    result = _read(external_dir, "boston311_100.csv", BOSTON_MAP)
    assert result.errors == [], result.errors[:5]
    assert not result.month_first
    assert result.rows == 100
    first = result.tasks.iloc[0]  # 101004143000,2022-01-21 13:47:00,2022-02-04 13:47:30,,OVERDUE,Open
    assert first["task_id"] == "101004143000"
    assert first["assigned_date"] == pd.Timestamp("2022-01-21")
    assert first["due_date"] == pd.Timestamp("2022-02-04")
    assert first["status"] == "open"


def test_nyc_through_the_command_line(capsys, external_dir):
    args = ["validate", str(external_dir / "nyc311_sample_999.csv")]
    for header, field in NYC_MAP.items():
        args += ["--map", f"{header}={field}"]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"] == 999
    assert any(e["row"] is None and e["severity"] == "warning" for e in report["errors"])
