"""SPEC §7 "Fair comparisons" on the pages, through `dashboard.py` (AppTest): a partial
quarter compared to date with the previous quarter seen on its own as-of day; no
comparison against a previous period holding less data; no future period (and a URL
asking for one says it has not started); "chưa có số liệu", never 0, for a department
without data; a 0 % rate drawn as a visible labelled bar; the submission page; one
drill-down list per page."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from analysis import charts
from analysis.formatting import format_number, format_percent
from analysis.metrics import annotate, compute_report
from analysis.store import open_store, schema
from app_fixtures import copy_sample_database
from page_helpers import DIRECTOR, add_account, open_page, task_row, workbook

AS_OF = date(2026, 10, 31)
TVTV, CTPH, CTXH = ("Phòng Tư vấn - Tham vấn", "Phòng Can thiệp - Phục hồi",
                    "Phòng Công tác xã hội cộng đồng")


def open_app(url: str, monkeypatch, page: str | None = None, **params) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    return open_page(page, DIRECTOR, **params)  # the director, once accounts exist (real data)


def card(at: AppTest, label: str):
    cards = [m for m in at.metric if m.label == label]
    assert len(cards) == 1, [m.label for m in at.metric]
    return cards[0]


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def chart_data(at: AppTest, key_part: str) -> list[dict]:
    """The traces of the plotly chart whose element id mentions `key_part`."""
    for chart in at.get("plotly_chart"):
        if key_part in chart.proto.id:
            return json.loads(chart.proto.spec)["data"]
    raise AssertionError(f"no chart {key_part}")


def report(url, first, last, as_of) -> dict:
    store = open_store(url)
    tasks, contributions = store.consolidated()
    store.close()
    return compute_report(tasks, as_of, first, last, contributions)["overall"]


# --- the sample: a partial quarter, a short previous year, future periods ------------

def test_a_partial_quarter_is_compared_to_date(sample_db_url, monkeypatch):
    """Quý 4/2026 seen on 31/10 holds the tasks due by 31/10 (October) and is compared
    with Quý 3/2026 up to 31/07, its outcomes as of 31/07; tasks due later are apart."""
    at = open_app(sample_db_url, monkeypatch, ky="quy", quy="2026-Q4", ngay=AS_OF.isoformat())
    now = report(sample_db_url, "2026-10", "2026-10", AS_OF)
    before = report(sample_db_url, "2026-07", "2026-07", date(2026, 7, 31))
    tasks = card(at, "Số nhiệm vụ")
    assert tasks.value == format_number(now["tasks"])
    assert tasks.delta == f"{now['tasks'] - before['tasks']:+d}"
    rate = card(at, "Tỷ lệ đúng hạn")
    change = (now["on_time_rate"] - before["on_time_rate"]) * 100
    assert rate.delta == f"{change:+.1f}".replace(".", ",") + " điểm %"
    text = captions(at)
    assert "Quý 4/2026 đến 31/10/2026 so với Quý 3/2026 đến 31/07/2026" in text
    assert "tính tại ngày 31/07/2026" in text
    store = open_store(sample_db_url)
    annotated = annotate(store.consolidated_tasks(), AS_OF)
    store.close()
    later = annotated[annotated["month"].isin(["2026-11", "2026-12"])
                      & annotated["outcome"].ne("cancelled")]
    assert f"**Chưa đến hạn:** {format_number(len(later))} nhiệm vụ" in text
    # the trend stops at the as-of month: nothing drawn for 11/2026 or 12/2026
    months = chart_data(at, "tq_trend")[0]["x"]
    assert months[-1] == "10/2026" and "11/2026" not in months


def test_a_previous_period_holding_less_data_is_not_compared(sample_db_url, monkeypatch):
    """Năm 2026 against a 2025 that holds two months (the sample starts in 11/2025)."""
    at = open_app(sample_db_url, monkeypatch, ky="nam", nam="2026", ngay=AS_OF.isoformat())
    assert all(m.delta is None or m.delta == "" for m in at.metric if m.label != "")
    text = captions(at)
    assert "Không so sánh với Năm 2025: số liệu chỉ có từ tháng 11/2025" in text
    assert "tháng báo cáo sớm nhất" in text  # how the first data month was chosen


def test_a_future_period_asked_by_url_says_it_has_not_started(sample_db_url, monkeypatch):
    at = open_app(sample_db_url, monkeypatch, ky="quy", quy="2027-Q1", ngay=AS_OF.isoformat())
    infos = [i.value for i in at.info]
    assert any("Quý 1/2027 chưa bắt đầu" in i for i in infos), infos
    assert not at.metric and not at.get("plotly_chart")  # nothing drawn, no 100 %
    quarter = at.sidebar.selectbox[0]
    assert quarter.value == "2027-Q1"
    assert [o for o in quarter.options if "chưa bắt đầu" in o] == ["Quý 1/2027 (chưa bắt đầu)"]
    at.sidebar.selectbox[0].set_value("2026-Q3").run()  # once left, it is not offered
    assert not any("chưa bắt đầu" in o for o in at.sidebar.selectbox[0].options)


def test_no_future_month_is_offered(sample_db_url, monkeypatch):
    """The sample holds tasks due in 11/2026 and 12/2026; on 31/10 they are not periods."""
    at = open_app(sample_db_url, monkeypatch, ky="thang", thang="2026-10", ngay=AS_OF.isoformat())
    options = at.sidebar.selectbox[0].options
    assert options[-1] == "10/2026" and "11/2026" not in options
    at = open_app(sample_db_url, monkeypatch, ky="sau_thang", sau_thang="2026-H2",
                  ngay=AS_OF.isoformat())
    assert at.sidebar.radio[0].value == "sau_thang"
    assert "6 tháng cuối năm 2026 đến 31/10/2026" in captions(at)
    assert at.query_params["sau_thang"] == "2026-H2"


def test_only_one_drill_down_list_is_open(sample_db_url, monkeypatch):
    at = open_app(sample_db_url, monkeypatch, ky="thang", thang="2026-10", ngay=AS_OF.isoformat())
    at.session_state["tq_trend"] = {"selection": {"points": [{"customdata": ["2026-09",
                                                                             "overdue"]}]}}
    at.run()
    at.session_state["tq_depts"] = {"selection": {"points": [{"customdata": [TVTV, None,
                                                                             "counted"]}]}}
    at.run()
    headings = [m.value for m in at.markdown if m.value.startswith("**Danh sách nhiệm vụ")]
    assert len(headings) == 1 and TVTV in headings[0]  # the one chosen last
    at.session_state["tq_cards"] = "overdue"
    at.run()
    headings = [m.value for m in at.markdown if m.value.startswith("**Danh sách nhiệm vụ")]
    assert len(headings) == 1 and "Quá hạn" in headings[0]


# --- after one department's first real month -----------------------------------------

@pytest.fixture
def first_real_month(sample_db_url, tmp_path) -> str:
    """The sample database after Phòng Tư vấn - Tham vấn saved its first real month
    (09/2026, on time): the sample stops counting; two other departments are named only
    as its coordinators and have not reported."""
    url = copy_sample_database(sample_db_url, tmp_path / "db")
    store = open_store(url)
    rows = [task_row(1, "TV-1", dept=TVTV, coord=CTPH, assigned="01/09/2026", due="10/09/2026",
                     done="09/09/2026", status="Hoàn thành"),
            task_row(2, "TV-2", dept=TVTV, coord=CTXH, assigned="01/09/2026", due="15/09/2026"),
            task_row(3, "TV-3", dept=TVTV, assigned="01/09/2026", due="20/09/2026",
                     done="25/09/2026", status="Hoàn thành")]
    outcome = store.import_upload(TVTV, "2026-09", "thang9.xlsx", workbook(rows), "Trưởng phòng")
    assert outcome.status == "stored", outcome.problems
    with store.engine.begin() as conn:
        conn.execute(update(schema.uploads).where(schema.uploads.c.id == outcome.upload_id)
                     .values(uploaded_at="2026-10-02T02:00:00+00:00"))
    add_account(store, DIRECTOR, "director")  # real data: only signed-in staff see it
    store.close()
    return url


SEPTEMBER = {"ky": "thang", "thang": "2026-09", "ngay": "2026-09-30"}
# September's logs were due on 05/10: as of the 6th, a missing one is overdue
AFTER_DEADLINE = {**SEPTEMBER, "ngay": "2026-10-06"}


def test_a_department_without_data_reads_chua_co_so_lieu(first_real_month, monkeypatch):
    at = open_app(first_real_month, monkeypatch, "app_pages/phong_ban.py", **AFTER_DEADLINE)
    table = [d.value for d in at.dataframe if "Phòng" in d.value.columns][0].set_index("Phòng")
    assert set(table.index) == {TVTV, CTPH, CTXH}
    for name in (CTPH, CTXH):
        assert table.loc[name, "Chủ trì"] == "chưa có số liệu"  # not "0"
        assert table.loc[name, "Đúng hạn (chủ trì)"] == "chưa có số liệu"
        assert table.loc[name, "Báo cáo"] == "Chưa nộp 09/2026"
    assert table.loc[TVTV, "Chủ trì"] == "3" and table.loc[TVTV, "Báo cáo"] == "Đã nộp"
    assert table.loc[TVTV, "Phối hợp"] == "chưa có số liệu"
    warnings = [w.value for w in at.warning if "Chưa nộp báo cáo" in w.value]
    assert len(warnings) == 1 and CTPH in warnings[0] and CTXH in warnings[0]
    assert TVTV not in warnings[0]


def test_the_overview_names_the_departments_that_have_not_reported(first_real_month, monkeypatch):
    at = open_app(first_real_month, monkeypatch, "app_pages/tong_quan.py", **AFTER_DEADLINE)
    warning = [w.value for w in at.warning if "Chưa nộp báo cáo" in w.value][0]
    assert f"{CTPH} (09/2026)" in warning and f"{CTXH} (09/2026)" in warning
    assert "không có nghĩa là không có nhiệm vụ" in warning
    assert not any("Dữ liệu mẫu" in w.value for w in at.warning)
    # the first real month: nothing to compare with, and the page says why
    assert "Không so sánh với 08/2026: kỳ trước chưa có số liệu" in captions(at)
    assert all(not m.delta for m in at.metric)
    # departments without data in a role: a label, never an empty bar or a 0
    lead, coord = chart_data(at, "tq_depts")[::-1]  # drawn coordinator first (see charts)
    lead_labels = dict(zip(lead["y"], lead["text"]))
    assert lead_labels[CTPH] == lead_labels[CTXH] == charts.NO_DATA_LABEL
    assert lead_labels[TVTV] == format_percent(1 / 3)


def test_a_zero_rate_is_a_visible_bar_with_its_label(first_real_month, monkeypatch):
    """CTXH coordinates one task, overdue on 30/09: 0 % as coordinator, drawn."""
    at = open_app(first_real_month, monkeypatch, "app_pages/tong_quan.py", **SEPTEMBER)
    coord = chart_data(at, "tq_depts")[0]
    bars = {name: (x, text) for name, x, text in zip(coord["y"], coord["x"], coord["text"])}
    assert bars[CTXH][1] == "0,0 %" and bars[CTXH][0] >= charts.MIN_RATE_BAR
    assert bars[CTPH][1] == "100,0 %"


def test_submission_page_grid_and_upload_history(first_real_month, monkeypatch):
    at = open_app(first_real_month, monkeypatch, "app_pages/nop_bao_cao.py", **AFTER_DEADLINE)
    assert at.title[0].value == "Tình hình nộp báo cáo"
    assert card(at, "Đúng hạn").value == "1" and card(at, "Chưa nộp").value == "2"
    traces = chart_data(at, "nb_grid")
    cells = {(c[0], c[1]): t for trace in traces for c, t in zip(trace["customdata"], trace["text"])}
    assert cells[(TVTV, "2026-09")].startswith("Đúng hạn<br>02/10")
    assert cells[(CTPH, "2026-09")] == cells[(CTXH, "2026-09")] == "Chưa<br>nộp"
    at.session_state["nb_grid"] = {"selection": {"points": [{"customdata": [TVTV, "2026-09"]}]}}
    at.run()
    assert not at.exception
    history = [d.value for d in at.dataframe if "Sự kiện" in d.value.columns][0]
    # version 2: the sample's log of that month was version 1 (not shown: it no longer counts)
    assert history[["Sự kiện", "Phiên bản", "Người thực hiện", "Tệp"]].values.tolist() == [
        ["Tải lên", 2, "Trưởng phòng", "thang9.xlsx"]]
    assert history.iloc[0]["Thời gian"] == "02/10/2026 09:00"


@pytest.mark.parametrize("as_of, overdue", [("2026-10-05", False), ("2026-10-06", True)])
def test_every_page_judges_a_missing_report_on_the_as_of_day(first_real_month, monkeypatch,
                                                              as_of, overdue):
    """SPEC §7.9, one rule (submissions.due_by): September's logs are due by the end of
    05/10. Seen as of the 5th, the two departments that have not sent theirs are "not due
    yet" on the overview, Phòng ban, the submissions page and the meeting brief alike;
    as of the 6th all four call them missing, whatever today's date is."""
    params = {**SEPTEMBER, "ngay": as_of}
    overview = open_app(first_real_month, monkeypatch, "app_pages/tong_quan.py", **params)
    warned = [w.value for w in overview.warning if "Chưa nộp báo cáo" in w.value]
    assert bool(warned) == overdue
    assert ("Chưa đến hạn nộp" in captions(overview)) != overdue
    if overdue:
        assert CTPH in warned[0] and CTXH in warned[0]

    departments = open_app(first_real_month, monkeypatch, "app_pages/phong_ban.py", **params)
    table = [d.value for d in departments.dataframe
             if "Phòng" in d.value.columns][0].set_index("Phòng")
    expected = "Chưa nộp 09/2026" if overdue else "Chưa đến hạn nộp"
    assert table.loc[CTPH, "Báo cáo"] == table.loc[CTXH, "Báo cáo"] == expected

    grid = open_app(first_real_month, monkeypatch, "app_pages/nop_bao_cao.py", **params)
    assert card(grid, "Chưa nộp").value == ("2" if overdue else "0")
    assert card(grid, "Chưa đến hạn").value == ("0" if overdue else "2")

    meeting = open_app(first_real_month, monkeypatch, "app_pages/hop_danh_gia.py", **params)
    assert not meeting.exception
    section = [m.value for m in meeting.markdown if CTPH in m.value and CTXH in m.value]
    assert section, "the brief names both departments in section V"
    assert ("chưa đến hạn nộp" in section[-1].lower()) != overdue


@pytest.mark.parametrize("page", ["app_pages/tong_quan.py", "app_pages/hop_danh_gia.py",
                                  "app_pages/phong_ban.py", "app_pages/nhiem_vu.py"])
def test_an_as_of_day_before_any_data_says_so(sample_db_url, monkeypatch, page):
    """No period has started by 15/01/2000: the period boxes have no choice, and the
    page still runs (it once raised IndexError in ui/filters) and shows no figure as 0."""
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    at = open_page(page, None, ngay="2000-01-15")  # the sample: demo mode, no account
    assert not at.exception
    if not page.endswith("nhiem_vu.py"):  # the task list counts its (empty) list
        assert not at.metric, "no figure reads 0 where there is no data"
    if page.endswith("hop_danh_gia.py"):
        assert any("Chưa có dữ liệu của kỳ nào bắt đầu trước ngày tính 15/01/2000" in i.value
                   for i in at.info)
