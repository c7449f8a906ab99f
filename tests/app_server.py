"""Real `streamlit run dashboard.py` processes and a headless Chromium, for the
browser tests and the load benchmark (benchmarks/load_sessions.py).

    with running_app(database_url, log_path) as base:   # "http://127.0.0.1:PORT"
        with browser_page() as page: page.goto(f"{base}/tong_quan")
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time
import urllib.request
import weakref
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
START_TIMEOUT_S = 90
PAGE_TIMEOUT_MS = 120_000  # a first page load may import the sample data into a new database
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(port: int) -> list[str]:
    """`streamlit run dashboard.py` on 127.0.0.1:`port`, as every test server runs it."""
    return [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            # other edits in the checkout must not show a "File change" notice mid-test
            "--server.fileWatcherType", "none", "--server.runOnSave", "false"]


def wait_until_healthy(base: str, server: subprocess.Popen, timeout_s: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not start (exit code {server.poll()})")
        time.sleep(0.3)


@contextmanager
def running_app(database_url: str, log_path: Path, env: dict | None = None):
    """`streamlit run dashboard.py` on a free port of 127.0.0.1; yields the base URL;
    always stopped. Its output goes to `log_path`."""
    with started_app(database_url, log_path, env) as (base, _server):
        yield base


@contextmanager
def started_app(database_url: str, log_path: Path, env: dict | None = None,
                start_timeout_s: float = START_TIMEOUT_S):
    """Like `running_app`, yielding (base URL, Popen) (e.g. to read its memory)."""
    port = free_port()
    environment = {**os.environ, **(env or {}), "DATABASE_URL": database_url}
    log = open(log_path, "wb")
    server = subprocess.Popen(streamlit_command(port), cwd=ROOT, env=environment, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, server, start_timeout_s)
        except RuntimeError as error:  # say why, from the end of its log
            log.flush()
            tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-60:]
            raise RuntimeError(f"{error}:\n" + "\n".join(tail)) from error
        yield base, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        log.close()


_PLAYWRIGHT = None


def playwright():
    """The process's one Playwright driver, started on first use and stopped at exit.

    Playwright's sync API allows one driver per thread: a second `sync_playwright()`
    while one is open fails ("Sync API inside the asyncio loop"). A pytest worker may run
    the e2e flows (one browser for their session) and then other browser tests, so
    every browser test in the process launches its Chromium from this driver."""
    global _PLAYWRIGHT
    if _PLAYWRIGHT is None:
        from playwright.sync_api import sync_playwright

        _PLAYWRIGHT = sync_playwright().start()
        atexit.register(_PLAYWRIGHT.stop)
    return _PLAYWRIGHT


@contextmanager
def browser(**launch):
    """Debian's Chromium, headless, offline; always closed."""
    chromium = playwright().chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                            **launch)
    try:
        yield chromium
    finally:
        chromium.close()


@contextmanager
def browser_page(width: int = 1366, height: int = 768):
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": width, "height": height}, locale="vi-VN")
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        watch_runs(page)
        yield page


def wait_for_page(page, title: str) -> None:
    """Wait until the page title heading is shown and the script has finished."""
    page.get_by_role("heading", name=title, exact=True).first.wait_for(state="visible")
    wait_for_idle(page)


def wait_for_idle(page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished the script run behind what the page shows: a run
    started after the page's last rerun request has ended (ScriptRuns, for a watched
    page), and the page says so too (its run-state attribute): no element is stale."""
    runs = _RUNS.get(page)
    if runs is not None:
        runs.wait_settled(page, timeout_ms)
    page.locator(IDLE).wait_for(state="attached", timeout=timeout_ms)


class ScriptRuns:
    """The script runs one page asked for and the server ended, read off its websocket.

    The page's run-state attribute alone cannot say "settled": a widget change sends its
    rerun request without leaving "notRunning", so for a moment after a click the page
    looks idle while a run is on its way, and a click then lands on elements (a download
    button's file id) that run is about to replace. The frames can say it: the page is
    settled once a run that *started after* its last rerun request has ended.
    """

    def __init__(self, page):
        self.events = 0  # frames seen, in websocket order: a clock
        self.last_request = 0  # clock at the last rerun request sent
        self.last_start = 0  # clock at the last run start (new_session) received
        self.last_end = 0  # clock at the last run end received, not cut short by a rerun
        page.on("websocket", self._watch)

    def _watch(self, socket) -> None:
        if "/_stcore/stream" in socket.url:
            socket.on("framesent", self._sent)
            socket.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        self.events += 1
        message = _parsed(BackMsg, payload)
        if message is not None and message.WhichOneof("type") == "rerun_script":
            self.last_request = self.events

    def _received(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.events += 1
        message = _parsed(ForwardMsg, payload)
        kind = message.WhichOneof("type") if message is not None else None
        if kind == "new_session":
            self.last_start = self.events
        elif (kind == "script_finished"
              and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
            self.last_end = self.events

    def settled(self) -> bool:
        return self.last_request < self.last_start < self.last_end

    def wait_settled(self, page, timeout: int) -> None:
        deadline = time.monotonic() + timeout / 1000
        while not self.settled():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no script run ended within {timeout} ms of the last "
                                   "rerun request")
            page.wait_for_timeout(20)  # lets Playwright deliver the frames meanwhile


def _parsed(message_class, payload):
    """The protobuf message a binary frame carries, or None (text frame, other bytes)."""
    if not isinstance(payload, bytes):
        return None
    message = message_class()
    try:
        message.ParseFromString(payload)
    except Exception:  # noqa: BLE001 - not this message: no run event
        return None
    return message


_RUNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # page -> ScriptRuns


def watch_runs(page) -> None:
    """Follow `page`'s script runs (call before its first goto, so no frame is missed)."""
    _RUNS[page] = ScriptRuns(page)
