"""Real `streamlit run dashboard.py` processes and a headless Chromium, for the
browser tests and the load benchmark (benchmarks/load_sessions.py).

    with running_app(database_url, log_path) as base:   # "http://127.0.0.1:PORT"
        with browser_page() as page: page.goto(f"{base}/tong_quan")
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 90
PAGE_TIMEOUT_MS = 120_000  # a first page load may import the sample data into a new database


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
def started_app(database_url: str, log_path: Path, env: dict | None = None):
    """Like `running_app`, yielding (base URL, Popen) (e.g. to read its memory)."""
    port = free_port()
    environment = {**os.environ, **(env or {}), "DATABASE_URL": database_url}
    log = open(log_path, "wb")
    server = subprocess.Popen(streamlit_command(port), cwd=ROOT, env=environment, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, server)
        yield base, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        log.close()


@contextmanager
def browser(**launch):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **launch)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def browser_page(width: int = 1366, height: int = 768):
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": width, "height": height}, locale="vi-VN")
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        yield page


def wait_for_page(page, title: str) -> None:
    """Wait until the page title heading is shown and the script has finished."""
    page.get_by_role("heading", name=title, exact=True).first.wait_for(state="visible")
    wait_for_idle(page)


def wait_for_idle(page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Wait until no script run is in progress (Streamlit's running indicator is gone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
