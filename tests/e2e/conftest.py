"""Real-browser flows (Playwright on Debian's Chromium): the server, the browser, artifacts.

`serve(database_url)` runs `streamlit run dashboard.py` on a free localhost port with
that database, waits for `/_stcore/health`, and always stops it. Pages are awaited on
what they show (Playwright locators) and on Streamlit's own run state (`wait_idle`),
never on sleeps.

Without /usr/bin/chromium (or Playwright) the flows skip with a reason; with `CI` set
they fail instead, so a CI machine that lost its browser cannot pass silently. When a
flow fails, a screenshot and the page text of every page it opened, and the tail of the
server's log, are kept under `tests/e2e/artifacts/` (git-ignored).

Every test here is marked `e2e` and `browser`: `pytest -m e2e` runs only these flows,
`pytest -m "not e2e"` everything else.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

import app_server
from app_server import CHROMIUM, wait_for_idle, watch_runs

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for folder in (ROOT, ROOT / "tests"):  # the project and the shared test helpers
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

VIEWPORT = {"width": 1366, "height": 768}
ARTIFACTS = HERE / "artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
START_TIMEOUT_S = 120
STEP_TIMEOUT_MS = 60_000  # one page run on a busy 2-core machine
LOST = "[data-testid='stApp']:not([data-test-connection-state='CONNECTED'])"  # server gone


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.browser)


def missing_browser() -> str | None:
    """Why the flows cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


@pytest.fixture(scope="session", autouse=True)
def _browser_present():
    reason = missing_browser()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser flows: {reason}", pytrace=False)
    pytest.skip(reason)


# --- the server ---------------------------------------------------------------------------

@dataclass
class AppServer:
    url: str
    database_url: str
    process: subprocess.Popen
    log_path: Path

    def healthy(self) -> bool:
        """/_stcore/health answers "ok" and the process is still the one we started."""
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5) as reply:
                return (reply.status == 200 and reply.read() == b"ok"
                        and self.process.poll() is None)
        except OSError:
            return False

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


@contextmanager
def serve(database_url: str, workdir: Path):
    """`streamlit run dashboard.py` on a free port with `database_url`; always stopped
    (app_server.started_app, with this suite's start timeout)."""
    log_path = workdir / "streamlit.log"
    with app_server.started_app(database_url, log_path,
                                start_timeout_s=START_TIMEOUT_S) as (base, process):
        yield AppServer(base, database_url, process, log_path)


# --- the browser --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser(_browser_present):
    with app_server.browser() as chromium:
        yield chromium


@pytest.fixture
def new_page(browser, request):
    """A factory of pages, each in its own browser context (its own Streamlit session, as
    a new visitor); on failure each one's screenshot and text are kept as artifacts."""
    contexts = []

    def make():
        context = browser.new_context(viewport=VIEWPORT, locale="vi-VN", accept_downloads=True)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch_runs(page)  # before the first goto, so no frame is missed
        return page

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for i, context in enumerate(contexts):
            for j, opened in enumerate(context.pages):
                keep_artifacts(opened, f"{name}-{i}{j}")
        for value in request.node.funcargs.values():  # the server's log, if one was used
            if hasattr(value, "log_tail"):
                ARTIFACTS.mkdir(exist_ok=True)
                (ARTIFACTS / f"{name}-server.log").write_text(value.log_tail(200),
                                                              encoding="utf-8")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def keep_artifacts(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, timeout=15_000)
        text = f"{page.url}\n\n{page.inner_text('body', timeout=15_000)}"
    except Exception as exc:  # noqa: BLE001 - the page may be gone with the server
        text = f"no page text: {exc!r}"
    (ARTIFACTS / f"{name}.txt").write_text(text, encoding="utf-8")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def last_step(page, flow: str) -> Path:
    """The screenshot of a flow's last step, the whole page at 1366 px wide: kept in
    artifacts/ on every run, and in docs/screenshots/e2e_<flow>.png when E2E_SCREENSHOTS
    is set (to refresh the docs). Streamlit scrolls inside its main section, so the
    viewport grows to its height for the shot."""
    height = page.evaluate(
        "() => Math.max(...['stMain', 'stSidebarContent'].map(id => "
        "(document.querySelector(`[data-testid=${id}]`) || {}).scrollHeight || 0))")
    page.set_viewport_size({"width": VIEWPORT["width"],
                            "height": max(VIEWPORT["height"], int(height) + 40)})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => "
                  "requestAnimationFrame(done)))")  # laid out and painted at the new size
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"e2e_{flow}.png"
    page.screenshot(path=str(target), full_page=True)
    page.set_viewport_size(VIEWPORT)
    if os.environ.get("E2E_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / target.name).write_bytes(target.read_bytes())
    return target


# --- waiting on Streamlit -----------------------------------------------------------------

def wait_idle(page, timeout: int = STEP_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished the script run behind what the page shows
    (app_server.wait_for_idle), on this suite's step timeout."""
    wait_for_idle(page, timeout)


def shown(page, locator, timeout: int = STEP_TIMEOUT_MS):
    """`locator` visible, then the run that drew it finished; returns the locator."""
    locator.first.wait_for(state="visible", timeout=timeout)
    wait_idle(page, timeout)
    return locator


def sign_in(page, name: str, password: str) -> None:
    """Fill the login form the page shows (any URL shows it to an anonymous visitor)."""
    shown(page, page.get_by_label("Tên đăng nhập"))
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
