"""The command line's speed tricks, all in this one place.

`python -m analysis metrics` (and `validate`) are short processes: read workbooks,
print JSON, leave. On a big file much of their time is process overhead around the
reading, not the figures; four tricks remove it without changing a byte of output.
What each saves is measured in benchmarks/README.md ("Command-line speed tricks").

1. fork (`start_checks`): the files' safety checks (decompressing and tokenizing the
   sheet XML, `file_safety.check_file`) run in a forked child started before pandas
   is imported, so the checks and the import + parse use both cores. The child is
   limited like any reading (`sandbox.apply_limits`) and its verdicts are applied
   before any cell is used: a refused file stays refused, whatever was parsed.
2. mallopt (`merge_freed_memory_at_once`): glibc's "fastbins" off. calamine frees the
   millions of small strings of a big sheet together when it hands the cells over;
   in fastbins they wait to be merged all at once by the next larger allocation
   (malloc_consolidate walking them); without, each is merged as it is freed.
3. gc off (`no_cyclic_gc`): the cyclic collector would only re-scan the hundreds of
   thousands of cells read; reference counting frees everything else.
4. os._exit (`leave`): a command that only prints leaves once its output is flushed,
   without tearing the interpreter down (freeing every pandas object and cell);
   `KEPT_CELLS` keeps the workbooks read alive until then, for the same reason.
   Commands that write files or a database exit normally.

Without fork or glibc (Windows, musl) each trick falls back to the plain way.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
from contextlib import contextmanager

# Commands whose whole effect is their output: they may leave with os._exit.
PRINT_ONLY_COMMANDS = ("metrics", "validate")

# The workbooks read by the last run, cells included (`read_task_log(keep_cells=...)`):
# freed by the process's end, never one by one.
KEPT_CELLS: list = []


def leave(code: int) -> None:
    """Flush and end the process now (trick 4); `code` is the exit status."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (`... | head`): nothing more can be written anyway
        pass
    os._exit(code)


@contextmanager
def no_cyclic_gc():
    """The cyclic garbage collector off for the block (trick 3), as it was afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def merge_freed_memory_at_once() -> None:
    """glibc: mallopt(M_MXFAST, 0) for the rest of this short process (trick 2)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(1, 0)  # M_MXFAST (1) = 0
    except (ImportError, OSError, AttributeError):  # musl has it too; anything else: skip
        pass


class Checks:
    """The `check_file` verdicts of the files, computed by a forked child (trick 1).

    The child gets the very bytes the parent parses (inherited by the fork), checks
    them with the given settings, as read_task_log would, and sends each verdict back
    pickled: a CheckedFile, an Unreadable, or None when the check failed in an
    unforeseen way (read_task_log then checks that file itself, as it always did).
    Without fork or if anything goes wrong, every verdict is None."""

    def __init__(self, pid: int | None = None, pipe: int | None = None, count: int = 0):
        self._pid, self._pipe, self._count = pid, pipe, count
        self._owner, self._verdicts = os.getpid(), None

    def verdicts(self) -> list:
        """Read once (in whichever process asks first: the reading child, or this one
        when that child died before asking); the checks child is waited for by the
        process that forked it."""
        if self._verdicts is None:
            self._verdicts = self._receive()
        return self._verdicts

    def _receive(self) -> list:
        if self._pid is None:
            return [None] * self._count
        chunks = []
        try:
            while chunk := os.read(self._pipe, 1 << 20):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(self._pipe)
            if os.getpid() == self._owner:
                os.waitpid(self._pid, 0)
        try:
            verdicts = pickle.loads(b"".join(chunks))  # our own child wrote it
        except Exception:  # the child died before writing, or the reading child read
            # the verdicts first (this process then finds the pipe empty): not known
            return [None] * self._count
        return verdicts if len(verdicts) == self._count else [None] * self._count


def start_checks(contents: list, settings) -> Checks:
    """Fork the child that checks `contents` (bytes, or the OSError of reading a file)
    under `settings`' reading limits; call before importing pandas."""
    if not contents or not hasattr(os, "fork"):
        return Checks(count=len(contents))
    # Imported before the fork (the reader needs them anyway): the child starts checking
    # at once. None imports pandas.
    from analysis import file_safety, model, sandbox  # noqa: F401
    sys.stdout.flush()
    sys.stderr.flush()
    try:  # no descriptor or process left: read_task_log checks in-process
        read_end, write_end = os.pipe()
    except OSError:
        return Checks(count=len(contents))
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return Checks(count=len(contents))
    if pid == 0:  # the child: check, send, exit without running the parent's cleanup
        status = 1
        try:
            os.close(read_end)
            # The checks decompress and tokenize untrusted XML: bounded like any reading.
            sandbox.apply_limits(sandbox.Limits.of(settings), on_top=True)
            payload = pickle.dumps([_check(data, settings) for data in contents],
                                   protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return Checks(pid, read_end, len(contents))


def _check(data, settings):
    from analysis.file_safety import Unreadable, check_file

    if isinstance(data, OSError):
        return None
    try:
        return check_file(data, settings)
    except Unreadable as refusal:
        return refusal
    except Exception:
        return None
