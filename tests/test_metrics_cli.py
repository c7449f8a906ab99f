"""`python -m analysis metrics` (SPEC §5): files in order, later rows win, errors exit 1,
the database without FILE, and the NYC 311 sample against the oracle."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import pytest

import metrics_oracle as oracle
from analysis.cli import main
from analysis.fields import (
    CONTRIBUTION_FIELDS,
    CONTRIBUTION_SHEET,
    STATUS_WORDS,
    TASK_FIELDS,
    TASK_SHEET,
    match_key,
)
from workbooks import xlsx

pytest.importorskip("analysis.reading", reason="the reader (analysis.reading) is not there yet")

HEADERS = [f.header for f in TASK_FIELDS]
CONTRIBUTION_HEADERS = [f.header for f in CONTRIBUTION_FIELDS]
NYC_MAP = ["--map", "Unique Key=task_id", "--map", "Complaint Type=title",
           "--map", "Agency=lead_dept", "--map", "Created Date=assigned_date",
           "--map", "Due Date=due_date", "--map", "Closed Date=done_date"]


def row(task_id, lead_dept="Phòng A", lead_person="An", due=None, done=None, status=None,
        assigned=date(2026, 10, 1), coord_depts="", coord_people="", title="Hỗ trợ gia đình"):
    """One task-sheet row in template column order (TASK_FIELDS)."""
    values = {"task_id": task_id, "title": title, "service": "Khác", "lead_dept": lead_dept,
              "lead_person": lead_person, "coord_depts": coord_depts,
              "coord_people": coord_people, "assigned_date": assigned, "due_date": due,
              "original_due_date": None, "done_date": done,
              "status": status or ("Hoàn thành" if done else "Đang thực hiện"), "note": None}
    return [values[f.name] for f in TASK_FIELDS]


def write_xlsx(path: Path, rows: list[list], contributions: list[list] | None = None) -> str:
    sheets = {TASK_SHEET: [HEADERS, *rows]}
    if contributions is not None:
        sheets[CONTRIBUTION_SHEET] = [CONTRIBUTION_HEADERS, *contributions]
    path.write_bytes(xlsx(sheets))
    return str(path)


def run_metrics(capsys, *args) -> tuple[int, dict | None, str]:
    code = main(["metrics", *args])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out.strip() else None), captured.err


def dept(report, name):
    return next(d for d in report["departments"] if d["name"] == name)


def test_one_file_prints_the_report(tmp_path, capsys):
    path = write_xlsx(tmp_path / "log.xlsx", [
        row("T1", due=date(2026, 10, 10), done=date(2026, 10, 9), coord_depts="Phòng B; Phòng A"),
        row("T2", due=date(2026, 10, 10), done=date(2026, 10, 14), lead_person="Bình"),
        row("T3", lead_dept="Phòng B", lead_person="Chi", due=date(2026, 10, 20)),
    ])
    code, report, _ = run_metrics(capsys, "--as-of", "2026-10-31", path)
    assert code == 0
    assert report["as_of"] == "2026-10-31"
    assert report["period"] == {"from": "2026-10", "to": "2026-10"}
    assert report["overall"]["on_time_rate"] == pytest.approx(1 / 3)
    assert report["overall"]["avg_delay_days"] == pytest.approx((4 + 11) / 2)
    assert dept(report, "Phòng A")["on_time_rate"] == 0.5
    assert dept(report, "Phòng B")["coord_tasks"] == 1
    assert dept(report, "Phòng B")["coord_on_time_rate"] == 1.0
    assert report["matrix"] == [{"lead_dept": "Phòng A", "coord_dept": "Phòng B", "tasks": 1,
                                 "on_time_rate": 1.0}]
    assert [p["name"] for p in report["people"]] == ["An", "Bình", "Chi"]


def test_later_file_row_replaces_earlier_one(tmp_path, capsys):
    first = write_xlsx(tmp_path / "sep.xlsx", [row("T1", due=date(2026, 10, 10)),
                                                row("T2", due=date(2026, 10, 10))])
    second = write_xlsx(tmp_path / "oct.xlsx", [row("T1", due=date(2026, 10, 10),
                                                    done=date(2026, 10, 8))])
    code, report, _ = run_metrics(capsys, "--as-of", "2026-10-31", first, second)
    assert code == 0
    assert (report["overall"]["tasks"], report["overall"]["on_time"],
            report["overall"]["overdue"]) == (2, 1, 1)
    code, report, _ = run_metrics(capsys, "--as-of", "2026-10-31", second, first)
    assert (report["overall"]["on_time"], report["overall"]["overdue"]) == (0, 2)


def test_later_contributions_replace_earlier_ones_per_task(tmp_path, capsys):
    tasks = [row("T1", due=date(2026, 10, 20)), row("T2", due=date(2026, 10, 20))]
    first = write_xlsx(tmp_path / "a.xlsx", tasks, [
        ["T1", "Phòng B", None, date(2026, 10, 10), date(2026, 10, 12), "Đạt"],  # late
        ["T2", "Phòng C", None, date(2026, 10, 10), date(2026, 10, 9), "Tốt"],  # on time
    ])
    second = write_xlsx(tmp_path / "b.xlsx", tasks[:1], [
        ["T1", "Phòng B", None, date(2026, 10, 10), date(2026, 10, 10), "Tốt"],  # on time now
    ])
    code, report, _ = run_metrics(capsys, "--as-of", "2026-10-31", first, second)
    assert code == 0
    assert dept(report, "Phòng B")["coord_on_time_rate"] == 1.0
    assert dept(report, "Phòng C")["coord_on_time_rate"] == 1.0  # T2's rows kept
    by_name = {d["name"]: d for d in report["coordinators"]["departments"]}
    assert by_name["Phòng B"]["contrib_on_time"] == 1 and by_name["Phòng B"]["contrib_late"] == 0


def test_period_options_select_months(tmp_path, capsys):
    path = write_xlsx(tmp_path / "log.xlsx", [
        row("S", assigned=date(2026, 9, 1), due=date(2026, 9, 10), done=date(2026, 9, 9)),
        row("O", due=date(2026, 10, 10), done=date(2026, 10, 19)),
        row("N", due=date(2026, 11, 10)),
    ])
    code, report, _ = run_metrics(capsys, "--as-of", "2026-11-30", "--from", "2026-10", path)
    assert report["period"] == {"from": "2026-10", "to": "2026-11"}
    assert (report["overall"]["tasks"], report["overall"]["late"],
            report["overall"]["overdue"]) == (2, 1, 1)
    code, report, _ = run_metrics(capsys, "--as-of", "2026-11-30", "--to", "2026-09", path)
    assert report["period"] == {"from": "2026-09", "to": "2026-09"}
    assert report["overall"]["on_time_rate"] == 1.0


def test_as_of_defaults_to_today(tmp_path, capsys):
    path = write_xlsx(tmp_path / "log.xlsx", [row("T1", due=date(2026, 10, 10))])
    code, report, _ = run_metrics(capsys, path)
    assert code == 0 and report["as_of"] == date.today().isoformat()


def test_bad_as_of_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["metrics", "--as-of", "31/10/2026", "x.xlsx"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize("bad_map", ["no equals sign", "=task_id", "Header="])
def test_malformed_map_is_a_usage_error(tmp_path, capsys, bad_map):
    path = write_xlsx(tmp_path / "log.xlsx", [row("A1", due=date(2026, 10, 20))])
    code, report, err = run_metrics(capsys, "--as-of", "2026-10-31", "--map", bad_map, path)
    assert (code, report) == (2, None)
    assert "--map" in err


def test_reversed_period_is_a_usage_error(tmp_path, capsys):
    path = write_xlsx(tmp_path / "log.xlsx", [row("A1", due=date(2026, 10, 20))])
    code, report, err = run_metrics(capsys, "--as-of", "2026-10-31", "--from", "2026-11",
                                    "--to", "2026-09", path)
    assert (code, report) == (2, None)
    assert "2026-11" in err and "2026-09" in err


def test_file_with_errors_prints_reports_and_exits_1(tmp_path, capsys):
    good = write_xlsx(tmp_path / "good.xlsx", [row("T1", due=date(2026, 10, 10))])
    bad = write_xlsx(tmp_path / "bad.xlsx", [row("T1", due=date(2026, 10, 10), lead_dept=None),
                                             row("T2", due=date(2026, 9, 1))])  # due < assigned
    code, report, err = run_metrics(capsys, "--as-of", "2026-10-31", good, bad,
                                    str(tmp_path / "missing.xlsx"))
    assert code == 1 and report is None
    reports = json.loads(err)
    assert [r["file"] for r in reports] == ["bad.xlsx", "missing.xlsx"]
    bad_fields = {(e["row"], e["field"]) for e in reports[0]["errors"] if e["severity"] == "error"}
    assert (2, "lead_dept") in bad_fields and (3, "due_date") in bad_fields
    assert reports[1]["errors"][0]["row"] is None


def test_without_files_reads_the_database(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ctxh.sqlite'}"
    code, report, _ = run_metrics(capsys, "--as-of", "2026-10-31", "--db", url)
    assert code == 0 and report["overall"]["tasks"] == 0 and report["departments"] == []
    path = write_xlsx(tmp_path / "log.xlsx", [
        row("T1", due=date(2026, 10, 10), done=date(2026, 10, 9)),
        row("T2", due=date(2026, 10, 10), coord_depts="Phòng B")])
    assert main(["import", "--scope", "center", "--month", "2026-10", "--user", "test",
                 "--db", url, path]) == 0
    capsys.readouterr()
    code, report, _ = run_metrics(capsys, "--as-of", "2026-10-31", "--db", url)
    assert code == 0
    assert (report["overall"]["tasks"], report["overall"]["on_time"],
            report["overall"]["overdue"]) == (2, 1, 1)
    assert dept(report, "Phòng B")["coord_tasks"] == 1


# --- real public data: NYC 311 ------------------------------------------------------------

def _nyc_date(text: str):
    return datetime.strptime(text, "%m/%d/%Y %I:%M:%S %p").date() if text.strip() else None


def _nyc_rows(path: Path) -> list[dict]:
    """The NYC sample read independently (csv module), per SPEC §2.1 and the README map."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            done = _nyc_date(record["Closed Date"])
            status = STATUS_WORDS.get(match_key(record["Status"]))
            if status is None:  # unknown status: done when there is a done date (§2.1)
                status = "done" if done else "open"
            rows.append({"task_id": record["Unique Key"], "title": record["Complaint Type"],
                         "lead_dept": record["Agency"], "lead_person": None,
                         "coord_depts": (), "coord_people": (),
                         "assigned_date": _nyc_date(record["Created Date"]),
                         "due_date": _nyc_date(record["Due Date"]), "done_date": done,
                         "status": status})
    return rows


@pytest.mark.parametrize("as_of", ["2011-03-20", "2011-09-01"])
def test_nyc311_sample_per_agency_equals_oracle(capsys, external_dir, as_of):
    path = external_dir / "nyc311_sample_999.csv"
    code, report, err = run_metrics(capsys, "--as-of", as_of, *NYC_MAP, str(path))
    assert code == 0, err
    expected = oracle.report(_nyc_rows(path), date.fromisoformat(as_of))
    assert report["period"] == expected["period"]
    assert [d["name"] for d in report["departments"]] == [d["name"] for d in expected["departments"]]
    for actual, wanted in zip(report["departments"], expected["departments"]):
        for key, value in wanted.items():
            assert actual[key] == (pytest.approx(value) if isinstance(value, float) else value), \
                (actual["name"], key)
    for key, value in expected["overall"].items():
        assert report["overall"][key] == (pytest.approx(value) if isinstance(value, float)
                                          else value), key
    assert report["overall"]["tasks"] == 999


def test_json_is_utf8_even_on_a_latin1_console():
    import io

    from analysis.cli import print_json

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")
    print_json({"name": "Phòng Tư vấn"}, stream)
    stream.flush()
    assert json.loads(raw.getvalue().decode("utf-8")) == {"name": "Phòng Tư vấn"}
    assert "Phòng Tư vấn".encode() in raw.getvalue()  # not \u-escaped


def test_map_to_an_unknown_field_is_a_usage_error(tmp_path, capsys):
    path = write_xlsx(tmp_path / "log.xlsx", [row("T1", due=date(2026, 10, 10))])
    code, report, err = run_metrics(capsys, "--as-of", "2026-10-31", "--map", "Ghi chú=no_such_field",
                                    path)
    assert code == 2 and report is None and "no_such_field" in err


def _rows(frame) -> list[dict]:
    """A task or contribution frame as the oracle's plain dict rows."""
    import pandas as pd

    rows = []
    for record in frame.to_dict("records"):
        rows.append({key: (None if not isinstance(value, tuple) and pd.isna(value)
                           else value.date() if isinstance(value, pd.Timestamp) else value)
                     for key, value in record.items()})
    return rows


def test_bundled_sample_with_contribution_sheets_equals_oracle(capsys):
    """All sample uploads in month order (SPEC §5 merge), Phối hợp sheets included."""
    from analysis.reading import read_task_log

    paths = sorted((Path(__file__).resolve().parents[1] / "data" / "sample").glob("*.xlsx"))
    if not paths:
        pytest.skip("no bundled sample workbooks")
    tasks, contributions = {}, {}
    for path in paths:  # the merge rule, written out plainly
        result = read_task_log(path.read_bytes(), path.name)
        assert result.ok, path.name
        for task in _rows(result.tasks):
            tasks.pop(task["task_id"], None)
            tasks[task["task_id"]] = task
        by_task = {}  # a later file's contributions for a task replace earlier ones
        if result.contributions is not None:
            for contribution in _rows(result.contributions):
                by_task.setdefault(contribution["task_id"], []).append(contribution)
        contributions.update(by_task)
    expected = oracle.report(list(tasks.values()), date(2026, 10, 31), "2026-01", "2026-09",
                             [c for rows in contributions.values() for c in rows])
    code, report, err = run_metrics(capsys, "--as-of", "2026-10-31", "--from", "2026-01",
                                    "--to", "2026-09", *map(str, paths))
    assert code == 0, err
    assert any(c["contrib_on_time"] for c in report["coordinators"]["departments"])
    assert len(report["people"]) > 10 and len(report["matrix"]) > 5
    for key in ("period", "departments", "people", "matrix"):
        assert report[key] == _approx(expected[key]), key
    assert report["overall"] == _approx({**report["overall"], **expected["overall"]})


def _approx(value):
    if isinstance(value, dict):
        return {k: _approx(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_approx(v) for v in value]
    return pytest.approx(value) if isinstance(value, float) else value
