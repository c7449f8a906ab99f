"""Functions the sandbox tests run in the limited child, by name ("sandbox_helpers:abort").
The tests folder is on the child's path: the zygote starts with the parent's sys.path."""

from __future__ import annotations

import io
import os
import time


def echo(data: bytes, *args, **kwargs):
    return data, args, kwargs, os.getpid()


def abort(data: bytes):
    os.abort()  # what calamine does on a failed allocation: SIGABRT, uncatchable


def allocate(data: bytes):
    return len(bytearray(8 << 30))  # 8 GiB: beyond the address-space limit


def spin(data: bytes):
    while True:  # CPU without end: RLIMIT_CPU
        pass


def sleep(data: bytes):
    time.sleep(600)  # no CPU, no end: the wall-time alarm


def refuse(data: bytes):
    raise ValueError("refused: " + data.decode())


def calamine_grid(data: bytes) -> tuple[int, int]:
    """(rows, columns) python-calamine lays the first sheet out as: the oracle the
    scan is compared with (run in the child: on a hostile file calamine aborts)."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(
        skip_empty_area=False)
    return len(rows), max((len(row) for row in rows), default=0)
