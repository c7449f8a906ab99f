"""Untrusted bytes are parsed here: in a child process under hard operating-system
limits, never in the serving process (ARCHITECTURE "limited child process").

    run(function, data, *args, limits=None, **kwargs) -> its result
        Calls `function`, named "package.module:name", as function(data, *args, **kwargs)
        in a fresh child process and returns its (picklable) result. An exception the
        function raises is raised here. A child that aborts (calamine's "memory
        allocation of 549755813888 bytes failed" cannot be caught in Python), is killed,
        or runs out of a limit raises `ChildFailed`: an `Unreadable` whose message is
        `messages.CHILD_FAILED`, a whole-file error. The caller goes on.
    read_task_log(data, filename, mapping=None, settings=None, today=None, warnings=True)
        The reader of SPEC §2 through `run`; a failed child becomes a refused file
        (`ReadResult.unreadable`, one error with row None: exit 2 in `validate`).
    Limits.of(settings) -> Limits(memory_bytes, cpu_seconds, wall_seconds)
    start_zygote(lean=False)
        Starts the helper below ahead of need (the upload page, when it opens; the
        `import` command with lean=True, which skips the warm-up read).
    run_forked(work, limits) -> (result, steps)
        For a single-threaded process only (the command line: `validate`, `metrics`):
        `work` runs in a limited fork of the process itself, with what it has imported
        and read; nothing is imported twice, so the child costs only its fork.

Another reader of uploaded bytes (the catalogue's Excel import, say) writes a function
that takes the bytes and returns plain values, and calls
`sandbox.run("analysis.its_module:read_it", data, limits=Limits.of(settings))`; adding its
module to `PRELOADED` makes the children start with it imported.

How. On first use a *zygote* is started with `subprocess`: a fresh interpreter (none of
the server's threads, sockets or state) that imports the reading modules once and then
waits on a Unix socket. For each call the parent sends it one end of a new socket pair;
the zygote forks a child for it and goes back to waiting. The child sets RLIMIT_AS,
RLIMIT_CPU and RLIMIT_CORE (0: an abort writes no core file) and an alarm for the wall
time, all enforced by the kernel whatever the parser does; receives the bytes, runs the
function, sends the pickled answer and exits. The parent waits at most the wall time
plus a grace and kills the child if it must. The serving process itself never forks:
forking a process with threads (a Streamlit server) is unsafe.

Why this and not the alternatives (measured, benchmarks/README.md): a fork of the
single-threaded zygote with pandas and calamine imported costs ~10 ms, so a normal
200-row log pays ~0.03 s for its child. multiprocessing's "forkserver" re-runs the
parent's `__main__` in every child (under the `streamlit` or `pytest` launchers that is
~0.5 s a file; its preload of `__main__` never takes effect in Python 3.11), and a pool
of long-lived workers would carry one file's memory into the next and need recycling
for RLIMIT_CPU, which counts a process's whole life. A fork per file gives every file
fresh limits and a fresh heap.

The zygote and its children read with one thread each and the system allocator for
arrow (its jemalloc reserves ~1 GB of address space, which RLIMIT_AS would count). The
zygote waits for its children (their CPU and memory then add up in its parent's
resource usage) and ends when its parent's socket closes.
At most MAX_CHILDREN children run at once for one parent; more callers wait their turn.
Without fork and Unix sockets (Windows) the function runs in-process, without limits.
"""

from __future__ import annotations

import atexit
import faulthandler
import importlib
import logging
import math
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from analysis import messages
from analysis.model import ReadSettings, Unreadable

log = logging.getLogger(__name__)

PRELOADED = ("analysis.reading", "analysis.problem_workbook", "analysis.catalogue_workbook")
MAX_CHILDREN = 4
GRACE_SECONDS = 2.0  # beyond the wall limit, before the parent kills a silent child
MIN_GROWTH = 512 * 1024 * 1024  # address space a child may always add to what it inherits
ZYGOTE_START_SECONDS = 120  # a new zygote imports and warms up before its first fork
_CHILD_ENVIRONMENT = {
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "ARROW_DEFAULT_MEMORY_POOL": "system", "MALLOC_ARENA_MAX": "2", "RUST_BACKTRACE": "0",
}
_HEADER = struct.Struct("<Q")
SUPPORTED = hasattr(os, "fork") and hasattr(socket, "send_fds") and sys.platform != "win32"


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = ReadSettings.parse_memory_bytes
    cpu_seconds: int = ReadSettings.parse_cpu_seconds
    wall_seconds: float = ReadSettings.parse_wall_seconds

    @classmethod
    def of(cls, settings: ReadSettings | None) -> Limits:
        settings = settings or ReadSettings()
        return cls(settings.parse_memory_bytes, settings.parse_cpu_seconds,
                   settings.parse_wall_seconds)


class ChildFailed(Unreadable):
    """The child aborted, was killed or ran out of a limit: nothing is known of the file."""

    def __init__(self, detail: str = ""):
        super().__init__(messages.CHILD_FAILED)
        self.detail = detail


# --- the parent's side ---------------------------------------------------------------------

def run(function: str, data: bytes, *args, limits: Limits | None = None, **kwargs):
    """`function(data, *args, **kwargs)` in a limited child; see the module docstring."""
    limits = limits or Limits()
    if not SUPPORTED:
        return _resolve(function)(data, *args, **kwargs)
    with _turns:
        started = time.monotonic()
        channel = _zygote.spawn()
        try:
            status, value = _talk(channel, (function, data, args, kwargs, limits), limits)
        except ChildFailed as failure:
            log.warning("the child running %s on %d bytes ended without an answer (%s, %.1f s)",
                        function, len(data), failure.detail, time.monotonic() - started)
            raise
    if status == "raised":
        raise value
    return value


def read_task_log(data: bytes, filename: str, mapping: dict[str, str] | None = None,
                  settings: ReadSettings | None = None, today=None, warnings: bool = True):
    """`analysis.reading.read_task_log` in a limited child; a failed child is a refused file."""
    from analysis.model import ERROR, Problem, ReadResult

    try:
        return run("analysis.reading:read_task_log", data, filename, mapping=mapping,
                   settings=settings, today=today, warnings=warnings, limits=Limits.of(settings))
    except ChildFailed:
        return ReadResult(file=filename, unreadable=True,
                          problems=[Problem(None, None, None, ERROR, messages.CHILD_FAILED)])


def run_forked(work, limits: Limits, on_top: bool = True):
    """For a single-threaded process only (the command line): run `work(step)` in a
    fork of this very process, with what it has imported and read, under `limits`, and
    return (its result, steps); an exception `work` raises is raised here. `step()`
    marks one step done (one file read). When the child dies the result is None and
    `steps` says how far it got. `on_top`: the memory limit comes on top of this
    process's address space (else it is the child's whole address space). Without
    fork, `work` runs here."""
    if not SUPPORTED:
        return work(lambda: None), 0
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        read_end, write_end = os.pipe()
    except OSError:  # no descriptor left: as without fork
        log.warning("no pipe for a limited child: the work runs in this process")
        return work(lambda: None), 0
    try:
        pid = os.fork()
    except OSError:  # no process left: as without fork
        os.close(read_end)
        os.close(write_end)
        log.warning("no process for a limited child: the work runs in this process")
        return work(lambda: None), 0
    if pid == 0:  # the child: never returns
        status = 72
        try:
            os.close(read_end)
            faulthandler.disable()  # a parser's abort is expected here: no dump of the stack
            apply_limits(limits, on_top=on_top)
            with os.fdopen(write_end, "wb", buffering=0) as out:
                try:
                    value = ("ok", work(lambda: out.write(b".")))
                except MemoryError:
                    raise
                except Exception as exc:  # the work's own error: raised again in the parent
                    value = ("raised", exc)
                payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                rest = memoryview(b"R" + _HEADER.pack(len(payload)) + payload)
                while rest:  # an unbuffered write to a pipe may take part of it
                    rest = rest[out.write(rest):]
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    deadline = time.monotonic() + limits.wall_seconds + GRACE_SECONDS
    chunks = []
    with os.fdopen(read_end, "rb", buffering=0) as source:
        while True:
            ready, _, _ = select.select([source], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                _kill(pid)
                break
            chunk = source.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    stream = b"".join(chunks)
    steps = len(stream) - len(stream.lstrip(b"."))
    answer = stream[steps:]
    if answer[:1] == b"R" and len(answer) >= 1 + _HEADER.size:
        size = _HEADER.unpack(answer[1:1 + _HEADER.size])[0]
        if len(answer) == 1 + _HEADER.size + size:
            status, value = pickle.loads(answer[1 + _HEADER.size:])  # our own child wrote it
            if status == "raised":
                raise value
            return value, steps
    log.warning("the forked child ended without an answer after %d steps", steps)
    return None, steps


def active_children() -> frozenset[int]:
    """Process ids of the children running now (for tests and diagnostics)."""
    with _children_lock:
        return frozenset(_children)


_turns = threading.BoundedSemaphore(MAX_CHILDREN)
_children: set[int] = set()
_children_lock = threading.Lock()


def _talk(channel: socket.socket, request: tuple, limits: Limits) -> tuple[str, object]:
    pid = None
    try:
        try:
            # The child's first word is its pid, once the zygote forked it (a zygote
            # just started imports first): the wall time counts from then.
            started = _receive_exactly(channel, _HEADER.size, time.monotonic() + ZYGOTE_START_SECONDS)
            pid = _HEADER.unpack(started)[0]
            deadline = time.monotonic() + limits.wall_seconds + GRACE_SECONDS
            with _children_lock:
                _children.add(pid)
            _send(channel, request, deadline)
            answer = _receive(channel, deadline, limit=limits.memory_bytes)
        except (OSError, EOFError, struct.error, MemoryError) as exc:
            if pid is not None:
                _kill(pid)
            raise ChildFailed(type(exc).__name__) from None
        try:
            return pickle.loads(answer)  # our own child wrote it
        except Exception as exc:  # noqa: BLE001 - a truncated or foreign answer
            raise ChildFailed(f"answer: {type(exc).__name__}") from None
    finally:
        channel.close()
        with _children_lock:
            _children.discard(pid)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:  # already gone
        pass


class _Zygote:
    """The helper process that forks the children (one per parent process)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._control: socket.socket | None = None
        self._owner = 0

    def spawn(self) -> socket.socket:
        """A socket whose other end a freshly forked child holds."""
        with self._lock:
            for _attempt in range(2):
                self._ensure_running()
                ours, theirs = socket.socketpair()
                try:
                    socket.send_fds(self._control, [b"F"], [theirs.fileno()])
                    return ours
                except OSError:  # the zygote died: start another once
                    ours.close()
                    self._forget()
                finally:
                    theirs.close()
        raise ChildFailed("no zygote")

    def start(self, lean: bool = False) -> None:
        """Start the zygote now (it imports in the background), e.g. when a page opens.
        `lean`: for a command that reads one file: only the reader is imported, and no
        warm-up read is done (it pays off from the second file on)."""
        if SUPPORTED:
            with self._lock:
                self._ensure_running(lean)

    def _ensure_running(self, lean: bool = False) -> None:
        if self._process is not None and self._owner == os.getpid() and self._process.poll() is None:
            return
        if self._process is not None and self._owner == os.getpid():
            log.warning("the parsing zygote had ended (exit code %s): starting another",
                        self._process.returncode)
        self._forget()
        ours, theirs = socket.socketpair()
        environment = {**os.environ, **_CHILD_ENVIRONMENT,
                       "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        code = ("import sys; from analysis.sandbox import _zygote_main; "
                "_zygote_main(int(sys.argv[1]), sys.argv[2] == 'lean')")
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-c", code, str(theirs.fileno()), "lean" if lean else "warm"],
                pass_fds=[theirs.fileno()],
                env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        finally:
            theirs.close()
        self._control, self._owner = ours, os.getpid()

    def _forget(self) -> None:
        if self._control is not None and self._owner == os.getpid():
            self._control.close()
        if self._process is not None and self._owner == os.getpid():
            try:
                self._process.wait(timeout=0 if self._process.poll() is not None else 2)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = self._control = None

    def stop(self) -> None:
        with self._lock:
            self._forget()


_zygote = _Zygote()
atexit.register(_zygote.stop)
start_zygote = _zygote.start  # start_zygote(lean=False)


# --- framing: a length, then a pickle ---------------------------------------------------------

def _send(channel: socket.socket, value, deadline: float | None = None) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    channel.settimeout(None if deadline is None else max(deadline - time.monotonic(), 0.001))
    channel.sendall(_HEADER.pack(len(payload)) + payload)


def _receive(channel: socket.socket, deadline: float | None, limit: int) -> bytes:
    size = _HEADER.unpack(_receive_exactly(channel, _HEADER.size, deadline))[0]
    if size > limit:  # no child of ours can have made that much
        raise EOFError("answer too large")
    return _receive_exactly(channel, size, deadline)


def _receive_exactly(channel: socket.socket, size: int, deadline: float | None) -> bytes:
    buffer = bytearray(size)
    view, got = memoryview(buffer), 0
    while got < size:
        channel.settimeout(None if deadline is None else max(deadline - time.monotonic(), 0.001))
        count = channel.recv_into(view[got:])
        if not count:
            raise EOFError("closed")
        got += count
    return bytes(buffer)


# --- the zygote and the children -------------------------------------------------------------

def _zygote_main(fd: int, lean: bool = False) -> None:
    control = socket.socket(fileno=fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # it ends with its parent's socket
    for name in PRELOADED[:1] if lean else PRELOADED:
        importlib.import_module(name)
    if not lean:
        _warm_up()
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(control, 16, 8)
        except OSError:
            break
        _reap(block=False)
        if not message and not fds:  # the parent is gone
            break
        for child_fd in fds:
            try:
                pid = os.fork()
            except OSError:  # no process left: the parent sees the socket close
                os.close(child_fd)
                continue
            if pid == 0:
                control.close()
                _child_main(socket.socket(fileno=child_fd))
            os.close(child_fd)
    _reap(block=True)  # the children's CPU and memory then count in this process's usage
    os._exit(0)


def _reap(block: bool) -> None:
    """Wait for ended children (waited for, not ignored: their resource usage then adds
    up in the zygote's and, when it ends, in its parent's)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


# The first read in a process imports a few modules late and compiles its patterns
# (~0.2 s): the zygote pays that once, before its first fork.
_WARM_UP_FILES = ("data/sample/2026-10_TVTV.xlsx",)
_WARM_UP_CSV = "Mã nhiệm vụ;Phòng chủ trì;Ngày giao;Hạn hoàn thành\r\nNV-1;Phòng A;01/10/2026;x\r\n"


def _warm_up() -> None:
    from pathlib import Path

    from analysis.reading import read_task_log

    root = Path(__file__).resolve().parents[1]
    samples = [(root / name).read_bytes() for name in _WARM_UP_FILES if (root / name).is_file()]
    for data, name in [*((d, "warm-up.xlsx") for d in samples),
                       (_WARM_UP_CSV.encode("utf-8"), "warm-up.csv")]:
        try:
            read_task_log(data, name)
        except Exception:  # noqa: BLE001 - only a warm-up
            pass


def _child_main(channel: socket.socket) -> None:
    """Never returns: the child leaves with os._exit, without running the zygote's cleanup."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        channel.sendall(_HEADER.pack(os.getpid()))
        function, data, args, kwargs, limits = pickle.loads(_receive(channel, None, 1 << 40))
        apply_limits(limits)
        try:
            answer = ("ok", _resolve(function)(data, *args, **kwargs))
        except MemoryError:
            os._exit(70)
        except Exception as exc:  # the function's own error: raised again in the parent
            answer = ("raised", exc)
        try:
            _send(channel, answer)
        except (pickle.PicklingError, TypeError, AttributeError):
            _send(channel, ("raised", RuntimeError(f"unpicklable {type(answer[1]).__name__}")))
    except BaseException:  # noqa: BLE001 - any failure: the parent sees the socket close
        os._exit(71)
    os._exit(0)


def apply_limits(limits: Limits, on_top: bool = False) -> None:
    """Hard limits on this process (the child's first act, before any untrusted byte is
    parsed). The kernel enforces them: an allocation beyond the address space fails
    (calamine then aborts), the CPU limit sends SIGXCPU then SIGKILL, the alarm ends
    the process at the wall time. The address space is `limits.memory_bytes` in all,
    or MIN_GROWTH more than the process has already if that is more (a fork of a big
    process, such as a test run); `on_top`: `limits.memory_bytes` more than it has."""
    import resource

    def lower(kind: int, soft: int, hard: int) -> None:
        _current, ceiling = resource.getrlimit(kind)  # a limit set from outside stays
        if ceiling != resource.RLIM_INFINITY:
            soft, hard = min(soft, ceiling), min(hard, ceiling)
        try:
            resource.setrlimit(kind, (soft, hard))
        except (ValueError, OSError):  # a system without this limit (macOS: RLIMIT_AS)
            pass

    memory, cpu = int(limits.memory_bytes), max(1, int(limits.cpu_seconds))
    memory = memory + _address_space() if on_top else max(memory, _address_space() + MIN_GROWTH)
    lower(resource.RLIMIT_CORE, 0, 0)
    lower(resource.RLIMIT_AS, memory, memory)
    lower(resource.RLIMIT_CPU, cpu, cpu + 1)  # SIGXCPU at the soft limit, SIGKILL after
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(max(1, math.ceil(limits.wall_seconds)))
    _one_thread_for_arrow()


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _one_thread_for_arrow() -> None:
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        try:
            pyarrow.set_cpu_count(1)
            pyarrow.set_io_thread_count(1)
            pyarrow.set_memory_pool(pyarrow.system_memory_pool())
        except Exception:  # an older pyarrow: threads are only slower, not unsafe
            pass


def _resolve(function: str):
    module, _, name = function.partition(":")
    return getattr(importlib.import_module(module), name)
