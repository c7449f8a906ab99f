"""`analysis.sandbox`: untrusted bytes are parsed in a child with hard OS limits
(ARCHITECTURE "limited child process"). A child that aborts, is killed or runs out of
a limit is a whole-file error with its own message; the caller goes on."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from analysis import messages, sandbox
from analysis.fields import UnknownFieldError
from analysis.model import ReadSettings
from analysis.sandbox import ChildFailed, Limits
from workbooks import csv_bytes, task, task_table, task_xlsx

pytestmark = pytest.mark.skipif(not sandbox.SUPPORTED, reason="no fork: no sandbox")
QUICK = Limits(memory_bytes=1 << 30, cpu_seconds=2, wall_seconds=3)


def test_the_function_runs_in_another_process_and_its_result_comes_back():
    data, args, kwargs, pid = sandbox.run("sandbox_helpers:echo", b"bytes", 1, two=2)
    assert (data, args, kwargs) == (b"bytes", (1,), {"two": 2})
    assert pid != os.getpid()
    again = sandbox.run("sandbox_helpers:echo", b"")[3]
    assert again != pid  # a fresh child for every call


def test_the_functions_own_exception_is_raised_in_the_parent():
    with pytest.raises(ValueError, match="refused: x"):
        sandbox.run("sandbox_helpers:refuse", b"x")


def test_an_unknown_field_error_keeps_its_header_and_field():
    with pytest.raises(UnknownFieldError) as raised:
        sandbox.read_task_log(task_xlsx(task()), "a.xlsx", mapping={"Hạn": "han_chot"})
    assert (raised.value.header, raised.value.field) == ("Hạn", "han_chot")


@pytest.mark.parametrize("helper", ["abort", "allocate", "spin", "sleep"])
def test_an_aborting_or_runaway_child_is_a_whole_file_error(helper):
    started = time.monotonic()
    with pytest.raises(ChildFailed) as failed:
        sandbox.run(f"sandbox_helpers:{helper}", b"", limits=QUICK)
    assert failed.value.message == messages.CHILD_FAILED
    assert time.monotonic() - started < QUICK.wall_seconds + sandbox.GRACE_SECONDS + 2
    assert sandbox.run("sandbox_helpers:echo", b"next")[0] == b"next"  # and it goes on


def test_a_child_killed_mid_parse_is_a_refused_file_and_reading_goes_on():
    rows = task_table(*[task(task_id=f"NV-{i}", title="Thăm hộ gia đình " * 8) for i in range(60_000)])
    big = csv_bytes(rows)
    outcome = {}
    reader = threading.Thread(target=lambda: outcome.update(
        result=sandbox.read_task_log(big, "big.csv")))
    reader.start()
    deadline = time.monotonic() + 20
    while not sandbox.active_children() and time.monotonic() < deadline:
        time.sleep(0.01)
    [pid] = sandbox.active_children()
    time.sleep(0.2)  # it is parsing now
    os.kill(pid, signal.SIGKILL)
    reader.join(timeout=30)
    result = outcome["result"]
    assert result.unreadable and [p.message for p in result.problems] == [messages.CHILD_FAILED]
    assert sandbox.read_task_log(task_xlsx(task()), "a.xlsx").ok


def test_a_killed_zygote_is_started_again():
    sandbox.run("sandbox_helpers:echo", b"")
    zygote = sandbox._zygote._process
    zygote.kill()
    zygote.wait()
    assert sandbox.run("sandbox_helpers:echo", b"after")[0] == b"after"
    assert sandbox._zygote._process.pid != zygote.pid


def test_many_threads_at_once_each_get_their_answer():
    """Streamlit runs each session's script in its own thread."""
    answers = {}

    def read(n: int) -> None:
        answers[n] = sandbox.run("sandbox_helpers:echo", str(n).encode())[0]

    threads = [threading.Thread(target=read, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == {n: str(n).encode() for n in range(10)}


def test_limits_come_from_the_settings():
    settings = ReadSettings(parse_memory_bytes=123 << 20, parse_cpu_seconds=7, parse_wall_seconds=9)
    assert Limits.of(settings) == Limits(123 << 20, 7, 9)


def test_the_limits_are_those_of_the_kernel_in_the_child():
    soft_as, soft_cpu, core = sandbox.run("test_sandbox:_own_limits", b"",
                                          limits=Limits(1500 << 20, 5, 6))
    assert (soft_as, soft_cpu, core) == (1500 << 20, 5, 0)


def _own_limits(data: bytes):
    import resource

    return (resource.getrlimit(resource.RLIMIT_AS)[0], resource.getrlimit(resource.RLIMIT_CPU)[0],
            resource.getrlimit(resource.RLIMIT_CORE)[0])


def test_run_forked_returns_the_work_and_counts_steps():
    def work(step):
        step()
        step()
        return {"figures": 1}

    assert sandbox.run_forked(work, QUICK) == ({"figures": 1}, 2)

    def dies(step):
        step()
        os.abort()

    assert sandbox.run_forked(dies, QUICK) == (None, 1)
    with pytest.raises(KeyError):
        sandbox.run_forked(lambda step: {}["missing"], QUICK)


def test_the_wall_time_counts_from_the_fork_not_from_a_zygote_still_starting(monkeypatch):
    """A fresh zygote imports pandas and calamine first (seconds on a busy machine):
    that is not the file's time."""
    monkeypatch.setattr(sandbox, "GRACE_SECONDS", 0)
    sandbox._zygote.stop()
    started = time.monotonic()
    answer = sandbox.run("sandbox_helpers:echo", b"first", limits=Limits(1 << 30, 1, 0.2))
    assert answer[0] == b"first"
    assert time.monotonic() - started > 0.2  # the start took longer than the file's limit
