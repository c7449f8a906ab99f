"""Load: N concurrent sessions against one and two app servers on PostgreSQL.

Each session follows a user's round on a server of its own (round robin): it opens
Tổng quan, then repeats: switch page (Tổng quan, Phòng ban, Cá nhân, Phối hợp, Nhiệm
vụ), change the period kind (Tháng / Quý / Năm), pick another period in the sidebar
selectbox, with a think time between actions. Sessions arrive --ramp seconds apart.
Two clients:
- websocket: Streamlit's own protocol (BackMsg/ForwardMsg over /_stcore/stream), as
  the frontend speaks it, widget values included, nothing drawn. A page run is from
  sending the rerun to the server's "script finished": what the servers can serve,
  without Chromium competing for the same 2 cores.
- browser: a real Chromium tab per session (its own context, own Streamlit session),
  driven by Playwright. A page run is from the click to the moment the app reports its
  script run finished (`data-test-script-state` turns "notRunning", seen by a
  MutationObserver): what a user waits for, deltas drawn included; but here the tabs
  render on the same 2 cores as the servers, so it is a pessimistic bound.
Errors: a run that does not finish within --timeout, an exception, a lost connection.

Bounded on purpose: localhost only (a throw-away PostgreSQL cluster on 127.0.0.1 and
app servers on 127.0.0.1, started and stopped here), at most 40 sessions, a fixed
number of actions per session. The servers are warmed (each page opened once)
before measuring: the numbers are for a running center, not a cold start.

    python benchmarks/load_sessions.py [--sessions 5 10 20] [--servers 1 2]
                                      [--actions 15] [--think 1.0 3.0] [--ramp 1.0]
                                      [--client websocket browser]

Prints a table: servers, sessions, page runs, errors, p50 / p95 / max of the time a
user waits (click to run finished), p50 / p95 of the run itself (the browser's
"running" to "notRunning": the server's script run plus delivery), peak resident
memory of each app server (VmHWM), PostgreSQL's resident memory, and the machine's
load average (the machine is shared; Chromium's tabs run on the same 2 cores), and the
app servers' CPU seconds per page run (steadier than wall times on a busy machine:
1 / cpu-per-run is how many page runs per second one core serves).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import app_server  # noqa: E402
import pg_cluster  # noqa: E402

PAGES = ("Tổng quan", "Phòng ban", "Cá nhân", "Phối hợp", "Nhiệm vụ")
PATHS = ("tong_quan", "phong_ban", "ca_nhan", "phoi_hop", "nhiem_vu")
KINDS = ("Tháng", "Quý", "Năm")
MAX_SESSIONS = 40
START_TIMEOUT_S = 90  # a session's first load (not measured)
START_QUERY = "ky=quy&quy=2026-Q3&ngay=2026-10-31"  # period kind Quý; session i starts on page i % 5
# Every session signs in (SPEC §8) as this director, created in the load database: each
# page run then also checks its server-side session in the database, as in production.
ACCOUNT, PASSWORD = "Giám đốc tải thử", "mat-khau-tai-thu-12345"

# Installed in every tab before any page script: records when each script run ends.
OBSERVER = """
window.__runEnds = [];
window.__runStarts = [];
const watch = () => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) { setTimeout(watch, 20); return; }
  let last = app.getAttribute('data-test-script-state');
  new MutationObserver(records => {
    // One callback may carry several changes: the value after each one is the old
    // value of the next record, and the current value after the last.
    const now = performance.now();
    const states = [...records.slice(1).map(r => r.oldValue),
                    app.getAttribute('data-test-script-state')];
    for (const state of states) {
      if (state === 'notRunning' && last !== 'notRunning') window.__runEnds.push(now);
      if (state === 'running' && last !== 'running') window.__runStarts.push(now);
      last = state;
    }
  }).observe(app, {attributes: true, attributeOldValue: true,
                   attributeFilter: ['data-test-script-state']});
};
watch();
"""


@dataclass
class Result:
    times: list[float] = field(default_factory=list)  # seconds: click -> run finished
    runs: list[float] = field(default_factory=list)  # seconds: run started -> finished
    errors: list[str] = field(default_factory=list)
    by_action: dict[str, list[float]] = field(default_factory=dict)

    def add(self, action: str, seconds: tuple[float, float]) -> None:
        waited, ran = seconds
        self.times.append(waited)
        self.runs.append(ran)
        self.by_action.setdefault(action, []).append(waited)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def timed(page, action, timeout_s: float) -> tuple[float, float]:
    """Run `action()` (a click) and wait for the script run it causes to end. Returns
    (click to end, start of the run to its end) in seconds, as the browser saw them."""
    started = await page.evaluate("performance.now()")
    await action()
    await page.wait_for_function(
        "t => window.__runEnds.some(x => x > t) && "
        "document.querySelector('[data-testid=\"stApp\"]')"
        ".getAttribute('data-test-script-state') === 'notRunning'",
        arg=started, timeout=timeout_s * 1000)
    ended = await page.evaluate("t => window.__runEnds.find(x => x > t)", started)
    began = await page.evaluate(
        "([t, e]) => window.__runStarts.filter(x => x > t && x <= e).pop() ?? t", [started, ended])
    problem = await page.locator('[data-testid="stException"]').count()
    if problem:
        raise RuntimeError("exception shown on the page")
    return (ended - started) / 1000, (ended - began) / 1000


async def session(browser, base: str, number: int, actions: int, think: tuple[float, float],
                  timeout_s: float, result: Result, ramp_s: float = 0.0) -> None:
    rng = random.Random(number)
    await asyncio.sleep(number * ramp_s)  # users arrive one after the other
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    await context.add_init_script(OBSERVER)
    page = await context.new_page()
    page.set_default_timeout(timeout_s * 1000)
    try:
        # the first load fetches and compiles the app's JavaScript: not a page run
        page_index, kind_index = number % len(PAGES), 1
        await page.goto(f"{base}/{PATHS[page_index]}?{START_QUERY}", timeout=START_TIMEOUT_S * 1000)
        await page.get_by_label("Tên đăng nhập").fill(ACCOUNT, timeout=START_TIMEOUT_S * 1000)
        await page.get_by_label("Mật khẩu").fill(PASSWORD)
        await page.get_by_role("button", name="Đăng nhập").click()
        await page.get_by_role("heading", name=PAGES[page_index], exact=True).wait_for(
            timeout=START_TIMEOUT_S * 1000)
        await page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stApp\"]')"
            ".getAttribute('data-test-script-state') === 'notRunning'", timeout=START_TIMEOUT_S * 1000)
        sidebar = page.get_by_test_id("stSidebar")
        for step in range(actions):
            await asyncio.sleep(rng.uniform(*think))
            what = step % 3
            try:
                if what == 0:
                    page_index = (page_index + 1) % len(PAGES)
                    link = sidebar.get_by_role("link", name=PAGES[page_index], exact=True)
                    result.add(f"open {PAGES[page_index]}", await timed(page, link.click, timeout_s))
                elif what == 1:
                    kind_index = (kind_index + 1) % len(KINDS)
                    choice = sidebar.get_by_test_id("stRadio").get_by_text(KINDS[kind_index], exact=True)
                    result.add("period kind", await timed(page, choice.click, timeout_s))
                else:
                    box = sidebar.get_by_test_id("stSelectbox").first

                    async def pick_another(box=box):  # another option than the selected one
                        await box.click()
                        options = page.locator('[role="listbox"] [role="option"]')
                        await options.first.wait_for()
                        flags = [await options.nth(i).get_attribute("aria-selected")
                                 for i in range(await options.count())]
                        others = [i for i, flag in enumerate(flags) if flag != "true"]
                        await options.nth(rng.choice(others)).click()

                    result.add("pick a period", await timed(page, pick_another, timeout_s))
            except Exception as exc:  # noqa: BLE001 - every failure is a counted error
                result.errors.append(f"session {number} step {step}: {type(exc).__name__}: "
                                     f"{str(exc).splitlines()[0][:120]}")
                if await page.get_by_text("Connection error").count():
                    break
    except Exception as exc:  # noqa: BLE001
        result.errors.append(f"session {number} start: {type(exc).__name__}: {str(exc)[:120]}")
    finally:
        await context.close()


async def run_sessions(bases: list[str], sessions: int, actions: int, think, timeout_s: float,
                       ramp_s: float) -> Result:
    from playwright.async_api import async_playwright

    result = Result()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=app_server.CHROMIUM,
                                          args=app_server.CHROMIUM_ARGS)
        try:
            await asyncio.gather(*(session(browser, bases[i % len(bases)], i, actions, think,
                                           timeout_s, result, ramp_s) for i in range(sessions)))
        finally:
            await browser.close()
    return result


# --- the websocket client: Streamlit's own protocol, no rendering ---------------------

class ProtocolSession:
    """One Streamlit session spoken to over its websocket (BackMsg/ForwardMsg protobufs),
    as the browser's frontend does, without drawing anything: what the server spends
    and delivers, without the cost of Chromium sharing the same cores.

    Like the frontend, every rerun sends the value of every widget of the last run (the
    sidebar filters: radio, selectboxes, multiselects, the date), changed ones included."""

    def __init__(self, base: str):
        self.base = base
        self.query = START_QUERY
        self.pages: dict[str, str] = {}  # url path -> page_script_hash
        self.page_hash = ""
        self.widgets: dict[str, object] = {}  # user key -> widget proto of the last run
        self.states: dict[str, object] = {}  # widget id -> WidgetState to send
        self.login: dict[str, object] = {}  # user key -> login form widget (login page)
        self.ws = None

    async def open(self) -> None:
        import websockets

        host = self.base.removeprefix("http://")
        self.ws = await websockets.connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"],
                                           origin=self.base, max_size=None)

    async def close(self) -> None:
        await self.ws.close()

    async def rerun(self, page_name: str = "", timeout_s: float = 30.0) -> float:
        """Send a rerun (a page switch, or the widgets' values); wait for it to finish."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = page_name
        state.widget_states.widgets.extend(self.states.values())
        widgets: dict[str, object] = {}
        states: dict[str, object] = {}
        started = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        while True:
            reply = ForwardMsg.FromString(await asyncio.wait_for(self.ws.recv(), timeout_s))
            kind = reply.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in reply.navigation.app_pages}
                self.page_hash = reply.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = reply.page_info_changed.query_string
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    raise RuntimeError("exception in the page run")
                if which in ("text_input", "button"):
                    widget = getattr(element, which)
                    self.login[widget.id.rsplit("-", 1)[-1]] = widget
                widget_state = _widget_state(which, getattr(element, which), self.states)
                if widget_state is not None:
                    widget = getattr(element, which)
                    widgets[widget.id.rsplit("-", 1)[-1]] = widget
                    states[widget.id] = widget_state
            elif kind == "script_finished":
                if reply.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    self.widgets, self.states = widgets, states
                    return time.perf_counter() - started
                if reply.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("compile error")
                widgets, states = {}, {}  # finished early for a rerun: the next run counts

    async def sign_in(self, path: str, timeout_s: float) -> None:
        """Fill the login form (SPEC §8) and submit it, as a user does; the run that
        follows shows `path`. Not measured (Argon2id costs a fixed ~0.1-0.5 s on purpose)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        self.login.clear()
        await self.rerun(path, timeout_s=timeout_s)  # the login page, whatever the URL
        if "login_submit" not in self.login:
            raise RuntimeError("no login form")
        self.states = {
            self.login["login_name"].id: WidgetState(id=self.login["login_name"].id,
                                                     string_value=ACCOUNT),
            self.login["login_password"].id: WidgetState(id=self.login["login_password"].id,
                                                         string_value=PASSWORD),
            self.login["login_submit"].id: WidgetState(id=self.login["login_submit"].id,
                                                       trigger_value=True)}
        self.page_hash = ""
        await self.rerun(path, timeout_s=timeout_s)
        if "f_kind" not in self.widgets:  # the page's sidebar filters: signed in
            raise RuntimeError("sign-in failed")

    def choose(self, key: str, rng: random.Random, value: str | None = None) -> None:
        """Set the radio/selectbox `key` to `value` (default: another of its options)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widget = self.widgets[key]
        current = self.states[widget.id].string_value
        if value is None:
            value = rng.choice([o for o in widget.options if o != current] or list(widget.options))
        self.states[widget.id] = WidgetState(id=widget.id, string_value=value)


def _widget_state(kind: str, widget, previous: dict):
    """The value the frontend holds for a sidebar-filter widget: the value the server set
    in this run, else the value it held already, else the widget's default (None for
    elements that are not such widgets)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    if kind not in ("radio", "selectbox", "multiselect", "date_input"):
        return None
    if not widget.set_value and widget.id in previous:
        return previous[widget.id]
    if kind in ("radio", "selectbox"):
        if widget.set_value or widget.HasField("raw_value"):
            value = widget.raw_value
        elif widget.HasField("default") and 0 <= widget.default < len(widget.options):
            value = widget.options[widget.default]
        else:
            return None
        return WidgetState(id=widget.id, string_value=value)
    if kind == "multiselect":
        values = list(widget.raw_values) if widget.set_value else [widget.options[i] for i in widget.default
                                                                     if 0 <= i < len(widget.options)]
        state = WidgetState(id=widget.id)
        state.string_array_value.data.extend(values)
        return state
    if kind == "date_input":
        state = WidgetState(id=widget.id)
        state.string_array_value.data.extend(widget.value if widget.set_value else widget.default)
        return state
    return None


async def protocol_session(base: str, number: int, actions: int, think: tuple[float, float],
                           timeout_s: float, result: Result, ramp_s: float = 0.0) -> None:
    rng = random.Random(number)
    await asyncio.sleep(number * ramp_s)  # users arrive one after the other
    client = ProtocolSession(base)
    try:
        await client.open()
        page_index, kind_index = number % len(PATHS), 1
        await client.sign_in(PATHS[page_index], timeout_s=START_TIMEOUT_S)
        for step in range(actions):
            await asyncio.sleep(rng.uniform(*think))
            what = step % 3
            try:
                if what == 0:
                    page_index = (page_index + 1) % len(PATHS)
                    client.page_hash = client.pages[PATHS[page_index]]
                    seconds = await client.rerun(PATHS[page_index], timeout_s=timeout_s)
                    result.add(f"open {PAGES[page_index]}", (seconds, seconds))
                elif what == 1:
                    kind_index = (kind_index + 1) % len(KINDS)
                    client.choose("f_kind", rng, KINDS[kind_index])
                    seconds = await client.rerun(timeout_s=timeout_s)
                    result.add("period kind", (seconds, seconds))
                else:
                    key = {"Tháng": "f_month", "Quý": "f_quarter", "Năm": "f_year"}[KINDS[kind_index]]
                    client.choose(key, rng)
                    seconds = await client.rerun(timeout_s=timeout_s)
                    result.add("pick a period", (seconds, seconds))
            except Exception as exc:  # noqa: BLE001 - every failure is a counted error
                result.errors.append(f"session {number} step {step}: {type(exc).__name__}: "
                                     f"{str(exc).splitlines()[0][:120] if str(exc) else ''}")
    except Exception as exc:  # noqa: BLE001
        result.errors.append(f"session {number} start: {type(exc).__name__}: {str(exc)[:120]}")
    finally:
        if client.ws is not None:
            await client.close()


async def run_protocol_sessions(bases: list[str], sessions: int, actions: int, think,
                                timeout_s: float, ramp_s: float = 0.0) -> Result:
    result = Result()
    await asyncio.gather(*(protocol_session(bases[i % len(bases)], i, actions, think, timeout_s,
                                            result, ramp_s) for i in range(sessions)))
    return result


def warm(bases: list[str]) -> None:
    """Open every page once on every server (fills the caches of a running center)."""
    async def visit(base: str) -> None:
        client = ProtocolSession(base)
        await client.open()
        try:
            await client.sign_in(PATHS[0], timeout_s=300)
            for path in PATHS:
                if client.pages:
                    client.page_hash = client.pages[path]
                await client.rerun(path, timeout_s=300)
        finally:
            await client.close()

    for base in bases:
        asyncio.run(visit(base))


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, in MB."""
    total = 0
    for proc in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{proc}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        direct = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [*direct, *(g for c in direct for g in _children(c))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_rss_mb() -> float:
    """Resident memory (VmRSS) of every postgres process now, in MB (shared buffers
    count once per process: an upper bound)."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if "\nName:\tpostgres" in "\n" + text:
            for line in text.splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def prepare_database(server_url: str) -> str:
    """A new database on the throw-away cluster holding the bundled sample data."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    from analysis.store import open_store
    from analysis.store.sample import ensure_sample_data

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql("CREATE DATABASE ctxh_load")
    admin.dispose()
    url = make_url(server_url).set(database="ctxh_load").render_as_string(hide_password=False)
    store = open_store(url)
    ensure_sample_data(store)
    from analysis.accounts import Accounts

    Accounts(store).add(ACCOUNT, "director", PASSWORD)
    tasks = len(store.consolidated_tasks())
    store.close()
    print(f"database: bundled sample data, {tasks} consolidated tasks, one director account",
          flush=True)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[5, 10, 20])
    parser.add_argument("--servers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--actions", type=int, default=15, help="actions per session")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                        help="think time between actions, seconds (uniform)")
    parser.add_argument("--timeout", type=float, default=30.0, help="a page run longer is an error")
    parser.add_argument("--ramp", type=float, default=1.0,
                        help="seconds between two sessions' arrivals (their first load is not measured)")
    parser.add_argument("--client", nargs="+", choices=("websocket", "browser"),
                        default=["websocket", "browser"],
                        help="websocket: Streamlit's protocol, nothing drawn (the server's cost); "
                             "browser: a Chromium tab per session (what a user waits for, with "
                             "Chromium on the same cores)")
    args = parser.parse_args()
    if max(args.sessions) > MAX_SESSIONS or max(args.servers) > 4:
        parser.error(f"bounded: at most {MAX_SESSIONS} sessions and 4 servers")

    rows = []
    with tempfile.TemporaryDirectory(prefix="ctxh-load-") as tmp, ExitStack() as stack:
        cluster = Path(tempfile.mkdtemp(prefix="ctxh-load-pg-"))  # the postgres user must reach it
        server_url = pg_cluster.start(cluster)
        stack.callback(pg_cluster.stop, cluster)
        url = prepare_database(server_url)
        for servers in args.servers:
            with ExitStack() as apps:
                started = [apps.enter_context(app_server.started_app(url, Path(tmp) / f"app{i}.log"))
                           for i in range(servers)]
                bases = [base for base, _ in started]
                warm(bases)
                for client, sessions in [(c, n) for c in args.client for n in args.sessions]:
                    began = time.monotonic()
                    cpu_before = sum(cpu_seconds(proc.pid) for _, proc in started)
                    run = run_protocol_sessions if client == "websocket" else run_sessions
                    result = asyncio.run(run(bases, sessions, args.actions, tuple(args.think),
                                             args.timeout, args.ramp))
                    seconds = time.monotonic() - began
                    cpu = sum(cpu_seconds(proc.pid) for _, proc in started) - cpu_before
                    memory = [peak_rss_mb(proc.pid) for _, proc in started]
                    rows.append((client, servers, sessions, len(result.times), len(result.errors),
                                 percentile(result.times, 0.50), percentile(result.times, 0.95),
                                 max(result.times, default=float("nan")),
                                 percentile(result.runs, 0.50), percentile(result.runs, 0.95),
                                 cpu / max(1, len(result.times)), memory, postgres_rss_mb(),
                                 load_average(), seconds))
                    print(_row(rows[-1]), flush=True)
                    print("    p50 by action: " + ", ".join(
                        f"{name} {percentile(times, 0.5):.2f}"
                        for name, times in sorted(result.by_action.items())), flush=True)
                    for error in result.errors[:5]:
                        print("   ", error, flush=True)
    print()
    print(_header())
    for row in rows:
        print(_row(row))


def load_average() -> float:
    """The machine's 1-minute load average (it is shared: read the times against it)."""
    return os.getloadavg()[0]


def _header() -> str:
    return (f"{'client':<9} {'servers':>7} {'sessions':>8} {'runs':>5} {'errors':>6} {'p50 (s)':>8} "
            f"{'p95 (s)':>8} {'max (s)':>8} {'run p50':>8} {'run p95':>8} {'cpu/run':>8}  "
            f"{'app server peak RSS (MB)':<24} {'PG RSS (MB)':>11} {'load':>5} {'wall (s)':>8}")


def _row(row) -> str:
    client, servers, sessions, runs, errors, p50, p95, worst, run50, run95, cpu, memory, pg, load, \
        seconds = row
    mem = " + ".join(f"{m:.0f}" for m in memory)
    return (f"{client:<9} {servers:>7} {sessions:>8} {runs:>5} {errors:>6} {p50:>8.2f} {p95:>8.2f} "
            f"{worst:>8.2f} {run50:>8.2f} {run95:>8.2f} {cpu:>8.2f}  {mem:<24} {pg:>11.0f} {load:>5.1f} "
            f"{seconds:>8.0f}")


if __name__ == "__main__":
    main()
