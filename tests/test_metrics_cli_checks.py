"""The metrics command runs the whole-file checks (SPEC §2.3) in a forked child while
it imports pandas, and the reader takes that verdict (`read_task_log(checked=...)`)."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from analysis import file_safety, messages
from analysis.cli import main
from analysis.file_safety import Unreadable, check_file
from analysis.model import ReadSettings
from analysis.reading import read_task_log
from workbooks import rezip, task, task_table, xlsx

TODAY = dt.date(2026, 10, 31)


def test_a_precomputed_verdict_reads_like_the_checks_in_the_reader():
    data = xlsx({"Nhiệm vụ": task_table(task(task_id="NV-1"), task(task_id="NV-2", due_date=""))})
    plain = read_task_log(data, "a.xlsx", today=TODAY)
    given = read_task_log(data, "a.xlsx", today=TODAY,
                          checked=check_file(data, ReadSettings()))
    assert given.report() == plain.report()
    assert given.rows == 2 and given.tasks["task_id"].tolist() == ["NV-1", "NV-2"]


def test_a_precomputed_refusal_refuses_the_file():
    data = xlsx({"Nhiệm vụ": task_table(task())})
    result = read_task_log(data, "a.xlsx", today=TODAY,
                           checked=Unreadable(messages.XML_ENTITIES))
    assert result.unreadable and result.tasks is None
    assert [p.message for p in result.problems] == [messages.XML_ENTITIES]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the checks run in-process without fork")
def test_the_command_uses_the_childs_verdict(tmp_path, monkeypatch, capsys):
    # The child calls file_safety.check_file; the reader's own reference is untouched,
    # so this message can only come from the child.
    def refuse(data, settings):
        raise Unreadable("verdict of the child")

    monkeypatch.setattr(file_safety, "check_file", refuse)
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx({"Nhiệm vụ": task_table(task())}))
    assert main(["metrics", "--as-of", "2026-10-31", str(path)]) == 1
    report = json.loads(capsys.readouterr().err)
    assert report[0]["errors"][0]["message"] == "verdict of the child"


def test_the_command_refuses_a_dangerous_file_before_parsing(tmp_path, capsys):
    good = xlsx({"Nhiệm vụ": task_table(task())})
    bomb = rezip(good, replace={"[Content_Types].xml": b'<?xml version="1.0"?>'
                                b'<!DOCTYPE x [<!ENTITY a "aaaa">]><Types/>'})
    (tmp_path / "bomb.xlsx").write_bytes(bomb)
    (tmp_path / "good.xlsx").write_bytes(good)
    code = main(["metrics", "--as-of", "2026-10-31", str(tmp_path / "good.xlsx"),
                 str(tmp_path / "bomb.xlsx")])
    assert code == 1
    report = json.loads(capsys.readouterr().err)
    assert [r["file"] for r in report] == ["bomb.xlsx"]
    assert report[0]["errors"][0]["message"] == messages.XML_ENTITIES


def _figures(capsys, path) -> dict:
    assert main(["metrics", "--as-of", "2026-10-31", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the checks run in-process without fork")
def test_without_a_child_or_with_a_dead_child_the_reader_checks_itself(tmp_path, monkeypatch,
                                                                        capsys):
    from analysis import cli_speed

    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx({"Nhiệm vụ": task_table(task(task_id="NV-1"), task(task_id="NV-2"))}))
    expected = _figures(capsys, path)
    assert expected["overall"]["tasks"] == 2

    def no_fork():
        raise OSError("no process left")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fork", no_fork)
        assert _figures(capsys, path) == expected
    with monkeypatch.context() as patch:  # the child exits before sending anything
        patch.setattr(cli_speed, "_check", lambda data, settings: os._exit(9))
        assert _figures(capsys, path) == expected
