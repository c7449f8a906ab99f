"""The whole flows a user goes through, in real Chromium against `streamlit run dashboard.py`
(issue 13): (a) a department head sends the month's log, (b) the director reviews it and
prepares the meeting, (c) an anonymous visitor sees nothing, (d) a hostile upload leaves
the server serving the next visitor.

One server for the module, on the database of `center.py`. The flows share it in file
order, as a month at the center goes: (b) reads what (a) saved (when run alone, (b) saves
the same file itself), (c) then checks that none of the titles (a) stored leaks, and (d)
runs last because it attacks the server the others need.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from center import (
    ADDED,
    CHANGED,
    COMPLETION_RATE,
    CT,
    DUE,
    HC,
    HEAD,
    HEAD_PASSWORD,
    MESSY_ERRORS,
    MONTH,
    MONTH_LABEL,
    OCTOBER_FIXED,
    OCTOBER_MESSY,
    ON_TIME_RATE,
    OVERDUE,
    OVERVIEW_QUERY,
    REMOVED,
    TASKS,
    TITLES,
    TV,
    Center,
    add_head_account,
    seed_center,
    task_titles,
)

from conftest import LOST, ROOT, STEP_TIMEOUT_MS, last_step, serve, shown, sign_in, wait_idle
from page_helpers import DIRECTOR, PASSWORD

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RED = "FFFF9999"  # analysis.problem_workbook.ERROR_FILL


@pytest.fixture(scope="module")
def center(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e_center")
    url = f"sqlite:///{folder / 'ctxh.sqlite'}"
    seed_center(url)
    adding = add_head_account(url)
    with serve(url, folder) as server:
        assert adding.wait(timeout=120) == 0, adding.stderr.read().decode()
        yield Center(server, url)


# --- steps shared by the flows ---------------------------------------------------------------

def heading(page, title: str):
    return page.get_by_role("heading", name=title, exact=True)


def open_signed_in(page, center: Center, path: str, name: str, password: str, title: str):
    """A direct link, the login form it shows, then the page the link asked for."""
    page.goto(f"{center.url}/{path}")
    sign_in(page, name, password)
    shown(page, heading(page, title))


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the Streamlit selectbox labelled `label` (its input shows it)."""
    from playwright.sync_api import expect

    box = page.get_by_label(label, exact=True)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)
    wait_idle(page)


def upload(page, name: str, data: bytes) -> None:
    """Give the upload page a file. A file already there is removed first, and its results
    awaited gone, so that what the page shows next is this file's."""
    from playwright.sync_api import expect

    uploader = page.get_by_test_id("stFileUploader")
    if uploader.get_by_test_id("stFileChip").count():
        uploader.get_by_test_id("stFileChipDeleteBtn").click()
        expect(heading(page, "Kết quả kiểm tra")).to_have_count(0)
        wait_idle(page)
    uploader.locator("input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": XLSX_MIME, "buffer": data}])
    shown(page, uploader.get_by_test_id("stFileChipName").get_by_text(name, exact=True))


def download(page, button) -> tuple[str, bytes]:
    """Click a download button; the file name the browser was given and the bytes."""
    with page.expect_download(timeout=STEP_TIMEOUT_MS) as info:
        button.click()
    done = info.value
    return done.suggested_filename, Path(done.path()).read_bytes()


def grid_rows(page, frame) -> list[dict[str, str]]:
    """The rows of an `st.dataframe` as header -> text, read from the accessible table
    the data grid keeps inside its canvas (the grid draws its cells as pixels)."""
    table = frame.locator("table[role='grid']")
    table.locator("tbody tr").first.wait_for(state="attached")  # filled once drawn
    headers = [h.inner_text().strip() for h in table.locator("thead th").all()]
    return [dict(zip(headers, (c.inner_text().strip() for c in row.locator("td").all())))
            for row in table.locator("tbody tr").all()]


def metric(page, label: str) -> str:
    card = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True))
    return card.get_by_test_id("stMetricValue").inner_text().strip()


# --- (a) a department head sends the month's log ---------------------------------------------

def test_a_department_head_fixes_and_saves_the_month(center, page):
    """Template, a messy file refused with Vietnamese errors naming row and column, the
    marked copy, the corrected file, its changes against the stored version, the save."""
    import openpyxl
    from playwright.sync_api import expect

    from analysis.fields import TASK_FIELDS
    from analysis.store import open_store

    open_signed_in(page, center, "tai_du_lieu", HEAD, HEAD_PASSWORD, "Tải dữ liệu lên")
    choose(page, "Tháng báo cáo", MONTH_LABEL)

    # the template: a workbook whose task sheet has the template headers
    page.get_by_text("Mẫu nhật ký nhiệm vụ (Excel)").click()
    name, data = download(page, page.get_by_role("button", name="Tải mẫu Excel"))
    assert name.endswith(".xlsx")
    template = openpyxl.load_workbook(io.BytesIO(data))
    assert "Nhiệm vụ" in template.sheetnames
    header = [c.value for c in template["Nhiệm vụ"][1] if c.value is not None]
    assert header == [f.header for f in TASK_FIELDS]

    # the messy file: nothing can be saved, each error names its row and column
    upload(page, "thang10.xlsx", OCTOBER_MESSY)
    shown(page, page.get_by_text(
        f"Tệp còn {len(MESSY_ERRORS)} lỗi nên chưa thể lưu", exact=False))
    assert metric(page, "Lỗi") == str(len(MESSY_ERRORS))
    problems = page.get_by_test_id("stDataFrame").first
    rows = grid_rows(page, problems)
    errors = {(int(r["Dòng"]), r["Cột"]): r for r in rows if r["Mức độ"] == "Lỗi"}
    assert set(errors) == set(MESSY_ERRORS), rows
    assert "Không đọc được ngày “32/10/2026” ở cột “Ngày giao”" in errors[(5, "Ngày giao")][
        "Nội dung"]
    assert "Thiếu phòng chủ trì" in errors[(6, "Phòng chủ trì")]["Nội dung"]
    expect(page.get_by_role("button", name="Xác nhận lưu")).to_have_count(0)

    # the marked copy: the two error cells filled red and commented, nothing else red
    name, data = download(page, page.get_by_role(
        "button", name="Tải tệp có đánh dấu ô lỗi (đỏ: lỗi, vàng: cảnh báo)"))
    assert name == "thang10_kiem_tra.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Nhiệm vụ"]
    header_row = 3  # below the title row and a blank row
    columns = {c.value: c.column for c in sheet[header_row] if c.value}
    red = {(c.row, c.column) for row in sheet.iter_rows() for c in row
           if c.fill.fill_type == "solid" and c.fill.fgColor.rgb == RED}
    wanted = {(row, columns[column]) for row, column in MESSY_ERRORS}
    assert red == wanted
    for row, column in wanted:
        assert sheet.cell(row, column).comment is not None

    # the corrected file: no error, its changes against the stored first version
    upload(page, "thang10.xlsx", OCTOBER_FIXED)
    shown(page, page.get_by_role("button", name="Xác nhận lưu"))
    assert metric(page, "Lỗi") == "0"
    assert (metric(page, "Nhiệm vụ thêm mới"), metric(page, "Nhiệm vụ thay đổi"),
            metric(page, "Nhiệm vụ không còn trong tệp")) == (str(ADDED), str(CHANGED),
                                                              str(REMOVED))
    listed = page.get_by_test_id("stExpander").filter(has_text="Xem danh sách thay đổi")
    listed.get_by_text("Xem danh sách thay đổi (giá trị cũ → mới)").click()
    changes = grid_rows(page, shown(page, listed.get_by_test_id("stDataFrame")))
    assert {r["Mã nhiệm vụ"] for r in changes} == {"TV-099", "TV-101", "TV-102", "TV-103",
                                                   "TV-104", "TV-105"}

    # confirm and save
    save = page.get_by_role("button", name="Xác nhận lưu")
    expect(save).to_be_disabled()
    page.get_by_text("Tôi đã xem kết quả kiểm tra và muốn lưu tệp này").click()
    expect(save).to_be_enabled()
    save.click()
    shown(page, page.get_by_text(f"Đã lưu phiên bản 2 của {TV}, tháng {MONTH_LABEL}"))

    store = open_store(center.database_url)
    try:
        current = [h for h in store.history(TV, MONTH) if h["current"]]
        tasks = store.consolidated_tasks()
        stored = store.original_bytes(current[0]["upload_id"])
    finally:
        store.close()
    assert len(current) == 1 and current[0]["version"] == 2
    assert current[0]["user"] == HEAD and current[0]["rows"] == TASKS
    assert stored == OCTOBER_FIXED  # the file itself is kept, byte for byte
    october = tasks[tasks["lead_dept"].eq(TV) & tasks["task_id"].str.startswith("TV-1")]
    assert sorted(october["task_id"]) == sorted(t for t in TITLES if t != "TV-099")
    assert "TV-099" not in set(tasks["task_id"])  # the first version's task left with it
    last_step(page, "a_head_upload")


# --- (b) the director reviews the month and prepares the meeting -----------------------------

def october_saved(center: Center) -> None:
    """Flow (a)'s save, done here when (b) runs without it (e.g. `-k director`)."""
    from analysis.access import Actor
    from analysis.store import open_store

    store = open_store(center.database_url)
    try:
        if not any(h["current"] and h["version"] == 2 for h in store.history(TV, MONTH)):
            outcome = store.import_upload(TV, MONTH, "thang10.xlsx", OCTOBER_FIXED,
                                          Actor(HEAD, "dept_head", TV))
            assert outcome.status == "stored", outcome.problems
    finally:
        store.close()


def plotly_point(page, chart, match: str):
    """The SVG path of the first bar whose customdata satisfies the JavaScript predicate
    `match` (given `d`, the point's customdata), in a plotly chart on the page."""
    where = chart.evaluate(
        "(el, match) => { const ok = new Function('d', 'return ' + match);"
        " for (const [t, trace] of el.data.entries())"
        "  for (const [p, d] of (trace.customdata || []).entries())"
        "   if (ok(d)) return [t, p]; return null; }", match)
    assert where is not None, f"no point with {match}"
    trace, point = where
    return chart.locator("g.trace.bars").nth(trace).locator("g.point").nth(point).locator("path")


def click_bar(page, bar) -> None:
    """A real click on a bar. Plotly reports a click on the point it hovers, so hover first
    and wait for its hover label: its mouse handlers are then bound."""
    bar.hover(force=True)
    page.locator(".hoverlayer .hovertext").first.wait_for(state="attached")
    bar.click(force=True)


def test_b_director_reviews_the_month_and_downloads_the_brief(center, page):
    """Tổng quan shows the head's upload and names the departments that have not
    reported; a click on a bar lists its tasks; Họp đánh giá gives the Word brief."""
    import docx
    from playwright.sync_api import expect

    october_saved(center)
    open_signed_in(page, center, f"tong_quan{OVERVIEW_QUERY}", DIRECTOR, PASSWORD, "Tổng quan")

    # the departments that have not reported are named, not read as "no tasks"; as of
    # 31/10 October's logs are not due yet (05/11), so they are named as such, not as late
    missing = page.get_by_text("Chưa đến hạn nộp (hạn: ngày 5 tháng sau):", exact=False)
    text = shown(page, missing).inner_text()
    assert f"{CT} ({MONTH_LABEL})" in text and f"{HC} ({MONTH_LABEL})" in text
    assert TV not in text
    expect(page.get_by_test_id("stAlertContentWarning").filter(
        has_text="Chưa nộp báo cáo")).to_have_count(0)
    # the cards are the upload's figures
    assert metric(page, "Tỷ lệ đúng hạn") == ON_TIME_RATE
    assert metric(page, "Tỷ lệ hoàn thành") == COMPLETION_RATE
    assert metric(page, "Quá hạn") == str(OVERDUE)

    # a click on Phòng Tư vấn's bar (as lead) lists the tasks its on-time rate counts
    chart = page.get_by_test_id("stColumn").filter(
        has=heading(page, "Tỷ lệ đúng hạn theo phòng")).locator(".js-plotly-plot")
    lead_bar = f"d[0] === {json.dumps(TV)} && d[1] === null"  # charts.DEPT_ROLE_FIELDS
    bar = plotly_point(page, chart, lead_bar)
    click_bar(page, bar)
    listed = shown(page, page.get_by_text("Danh sách nhiệm vụ:").first)
    assert TV in listed.inner_text()
    rows = grid_rows(page, page.get_by_test_id("stDataFrame").last)
    assert {r["Mã nhiệm vụ"] for r in rows} == {"TV-101", "TV-102", "TV-103", "TV-104"}
    assert TITLES["TV-102"] in {r["Nội dung nhiệm vụ"] for r in rows}

    # Họp đánh giá, reached from the menu (the session stays signed in), the Word brief
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Họp đánh giá").click()
    shown(page, heading(page, "Họp đánh giá"))
    expect(page.get_by_text("Kết quả thực hiện nhiệm vụ").first).to_be_visible()
    name, data = download(page, page.get_by_role("button", name="Tải báo cáo Word"))
    assert name.endswith(".docx")
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert f"Tỷ lệ đúng hạn đạt {ON_TIME_RATE} (2/{DUE} nhiệm vụ đến hạn)" in text, text
    assert MONTH_LABEL in text
    assert TV in cells and ON_TIME_RATE in cells
    last_step(page, "b_director_review")


# --- (c) an anonymous visitor reaches no data page -------------------------------------------

def page_urls() -> list[str]:
    """Every url_path of dashboard.py's page table, the root and a path that is no page."""
    import ast

    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    table = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and getattr(node.targets[0], "id", None) == "PAGES")
    paths = [entry.elts[2].value for entry in table.elts]
    assert "tong_quan" in paths and "quan_tri" in paths
    return ["", *paths, "khong_co_trang_nay", "tong_quan?ky=thang&thang=2026-10"]


def login_form_only(page, path: str, titles: list[str]) -> None:
    from playwright.sync_api import expect

    shown(page, page.get_by_role("button", name="Đăng nhập"))
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    expect(page.get_by_label("Mật khẩu")).to_be_visible()
    for element in ("stSidebarNav", "stMetric", "stDataFrame", "stPlotlyChart",
                    "stFileUploader", "stDownloadButton"):
        expect(page.get_by_test_id(element), f"{element} at /{path}").to_have_count(0)
    html = page.content()
    leaked = [t for t in titles if t in html]
    assert not leaked, f"/{path} shows task titles: {leaked}"
    for department in (TV, CT, HC):
        assert department not in html, f"/{path} names {department}"


def test_c_an_anonymous_visitor_sees_only_the_login_form(center, page):
    """Every URL answers with the login form alone: no menu, no figures, no table, and no
    task title the database holds anywhere in the page's HTML."""
    october_saved(center)
    titles = task_titles(center.database_url)
    assert TITLES["TV-102"] in titles  # the head's upload is in the database
    for path in page_urls():
        page.goto(f"{center.url}/{path}")  # each load is a new Streamlit session
        login_form_only(page, path, titles)
    last_step(page, "c_anonymous")


# --- (d) a hostile upload leaves the server serving the next visitor ------------------------

def hostile_files() -> list[tuple[str, bytes, str]]:
    """Small .xlsx files built by hand (no writer library spells them): a few task cells
    and one at XFD1048576, the last cell Excel has; and a cell at lower-case xfd99000 with
    2,000 cells that each point at one 32,000-character shared string (64 M characters
    once a parser copies it into every cell)."""
    from workbooks import header_row, inline, raw_xlsx, shared_strings, sheet_xml

    cells = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr">{inline(f"TV-9{r}")}</c>'
                    f'<c r="B{r}" t="inlineStr">{inline("Nhiệm vụ")}</c></row>'
                    for r in range(2, 5))
    far = raw_xlsx(sheet_xml(header_row() + cells + '<row r="1048576"><c r="XFD1048576" '
                             f't="inlineStr">{inline("x")}</c></row>'))
    copies = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>'
                                                for c in "ABCDEFGHIJ") + "</row>"
                     for r in range(2, 202))
    amplified = raw_xlsx(sheet_xml(header_row() + copies + '<row r="99000"><c r="xfd99000" '
                                   f't="inlineStr">{inline("x")}</c></row>'),
                         shared=shared_strings(["x" * 32_000]))
    return [("thang10_xfd.xlsx", far, "Bảng tính trải tới dòng 1048576 và cột thứ 16384"),
            ("thang10_chuoi.xlsx", amplified, "Bảng tính trải tới dòng 99000 và cột thứ 16384")]


def test_d_a_hostile_upload_leaves_the_server_serving_the_next_visitor(center, new_page):
    """Each file is refused on the page with a Vietnamese message; the server stays up
    (/_stcore/health "ok", same process), nothing is stored, and a new visitor signs in
    and sees Tổng quan."""
    from analysis.store import open_store

    def versions() -> list[int]:
        store = open_store(center.database_url)
        try:
            return [h["upload_id"] for h in store.history()]
        finally:
            store.close()

    october_saved(center)
    before = versions()
    head = new_page()
    open_signed_in(head, center, "tai_du_lieu", HEAD, HEAD_PASSWORD, "Tải dữ liệu lên")
    for name, data, reason in hostile_files():
        assert len(data) < 8 * 1024, (name, len(data))
        upload(head, name, data)
        refusal = head.get_by_test_id("stAlertContentError").filter(
            has_text="Không đọc được tệp này, nên tệp sẽ không được lưu")
        refusal.or_(head.locator(LOST)).first.wait_for(state="visible")  # whichever comes
        assert center.server.healthy(), f"the server died on {name}:\n{center.log_tail()}"
        text = shown(head, refusal).inner_text()
        assert reason in text, text
        assert "Traceback" not in head.content() and "/work/" not in head.content()
        assert center.server.healthy(), center.log_tail()
    assert versions() == before  # nothing stored

    visitor = new_page()  # the next visitor: a new browser context and session
    open_signed_in(visitor, center, f"tong_quan{OVERVIEW_QUERY}", DIRECTOR, PASSWORD,
                   "Tổng quan")
    assert metric(visitor, "Tỷ lệ đúng hạn") == ON_TIME_RATE
    shown(visitor, visitor.locator(".js-plotly-plot"))
    assert center.server.healthy()
    last_step(visitor, "d_after_hostile_upload")
