"""Dashboard pages Tổng quan, Phòng ban, Cá nhân, Phối hợp (SPEC §7.1–§7.4) through
`dashboard.py`, on the bundled sample data: every page renders, headline figures
equal the §5 report for the same filters, filters live in the URL, and drill-down
selections list exactly the tasks behind a chart point or table row."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.formatting import format_number, format_percent
from analysis.metrics import annotate, compute_report
from analysis.periods import Filters, filter_tasks
from analysis.sample import sample_as_of
from analysis.store import open_store
from app_fixtures import DASHBOARD, TIMEOUT
from page_helpers import DIRECTOR, add_account, open_page, signed_in_app
from ui.drilldown import tasks_for_points

AS_OF = date(2026, 10, 31)
MONTH = "2026-10"
PAGES = ("app_pages/tong_quan.py", "app_pages/phong_ban.py", "app_pages/ca_nhan.py",
         "app_pages/phoi_hop.py", "app_pages/nop_bao_cao.py")
ID_COLUMN = "Mã nhiệm vụ"

pytestmark = pytest.mark.usefixtures("sample_env")


def open_app(page: str | None = None, as_user: str | None = None, **params) -> AppTest:
    """dashboard.py with the given query parameters (first request), then `page`; signed
    in as `as_user` (demo mode, the sample database, has no account)."""
    return open_page(page, as_user, **{"ky": "thang", "thang": MONTH, "ngay": AS_OF.isoformat(),
                                       **params})


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, [m.label for m in at.metric]
    return values[0]


def report(sample_db_url, first=MONTH, last=MONTH, as_of=AS_OF) -> dict:
    store = open_store(sample_db_url)
    return compute_report(store.consolidated_tasks(), as_of, first, last,
                          store.consolidated_contributions())


@pytest.fixture(scope="module")
def annotated(sample_db_url) -> pd.DataFrame:
    store = open_store(sample_db_url)
    return annotate(store.consolidated_tasks(), AS_OF, store.consolidated_contributions())


def drill_ids(at: AppTest, key: str) -> list[str]:
    """Task ids of the one drill-down table on the page (opened by `key`)."""
    headings = [m.value for m in at.markdown if m.value.startswith("**Danh sách nhiệm vụ")]
    tables = [d.value for d in at.dataframe if ID_COLUMN in d.value.columns]
    assert len(headings) == 1 and len(tables) == 1, f"no single drill-down list for {key}"
    count = format_number(len(tables[0]))
    assert headings[0].endswith(f"— {count} nhiệm vụ")
    return sorted(tables[0][ID_COLUMN].astype(str))


def select_points(at: AppTest, key: str, *customdata) -> AppTest:
    at.session_state[key] = {"selection": {
        "points": [{"customdata": list(c)} for c in customdata],
        "point_indices": list(range(len(customdata))), "box": [], "lasso": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def select_row(at: AppTest, key: str, row: int) -> AppTest:
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- every page ---------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_sidebar_and_sample_banner(page):
    """SPEC §7 (every page has the same sidebar filters) and §8 (demo mode banner)."""
    at = open_app(page)
    assert at.title[0].value in {"Tổng quan", "Phòng ban", "Cá nhân", "Phối hợp",
                                 "Tình hình nộp báo cáo"}
    assert [r.label for r in at.sidebar.radio] == ["Kỳ báo cáo"]
    assert {m.label for m in at.sidebar.multiselect} == {"Phòng ban", "Loại dịch vụ"}
    assert at.sidebar.date_input[0].value == AS_OF
    assert any("Dữ liệu mẫu" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) >= 1


def test_default_as_of_is_the_sample_end_and_period_is_a_quarter():
    """On the bundled sample the default "Tính đến ngày" is the sample's last day (as of
    today every open sample task would be overdue); with real data it is today."""
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.sidebar.date_input[0].value == min(date.today(), sample_as_of())
    assert at.sidebar.radio[0].value == "quy"
    assert at.query_params["ky"] == "quy"
    assert "ngay" not in at.query_params


# --- headline figures (SPEC §7.1, §3.3) ----------------------------------------------

def test_headline_figures_equal_the_report_for_the_same_period(sample_db_url):
    at = open_app("app_pages/tong_quan.py")
    overall = report(sample_db_url)["overall"]
    assert overall["tasks"] > 0
    assert metric(at, "Số nhiệm vụ") == format_number(overall["tasks"])
    assert metric(at, "Tỷ lệ đúng hạn") == format_percent(overall["on_time_rate"])
    # SPEC §3.3: both rates, each under its own label
    assert metric(at, "Tỷ lệ hoàn thành") == format_percent(overall["completion_rate"])
    assert metric(at, "Trễ hạn") == format_number(overall["late"])
    assert metric(at, "Quá hạn") == format_number(overall["overdue"])
    assert metric(at, "Có phối hợp liên phòng") == format_percent(overall["cross_dept_share"])
    assert metric(at, "Giao việc rõ ràng") == format_percent(overall["clarity_rate"])


def test_change_from_previous_period_of_equal_length(sample_db_url):
    """Quarter 3/2026 seen on 31/10 compared with quarter 2/2026 seen on 31/07: the
    previous period's figures use its own as-of day (SPEC §7 Fair comparisons)."""
    at = open_app("app_pages/tong_quan.py", ky="quy", quy="2026-Q3")
    now = report(sample_db_url, "2026-07", "2026-09")["overall"]
    before = report(sample_db_url, "2026-04", "2026-06", date(2026, 7, 31))["overall"]
    card = [m for m in at.metric if m.label == "Số nhiệm vụ"][0]
    assert card.value == format_number(now["tasks"])
    assert card.delta == f"{now['tasks'] - before['tasks']:+d}"
    rate = [m for m in at.metric if m.label == "Tỷ lệ đúng hạn"][0]
    change = (now["on_time_rate"] - before["on_time_rate"]) * 100
    assert rate.delta == f"{change:+.1f}".replace(".", ",") + " điểm %"


def test_changing_the_month_changes_figures_and_the_url(sample_db_url):
    at = open_app("app_pages/tong_quan.py")
    october = metric(at, "Số nhiệm vụ")
    at.sidebar.selectbox[0].set_value("2026-09").run()
    assert not at.exception
    september = report(sample_db_url, "2026-09", "2026-09")["overall"]
    assert metric(at, "Số nhiệm vụ") == format_number(september["tasks"])
    assert metric(at, "Tỷ lệ đúng hạn") == format_percent(september["on_time_rate"])
    assert metric(at, "Số nhiệm vụ") != october
    assert at.query_params["thang"] == "2026-09"


def test_department_filter_from_the_url_keeps_tasks_led_by_it(sample_db_url):
    departments = report(sample_db_url)["departments"]
    chosen = max(departments, key=lambda d: d["tasks"])
    at = open_app("app_pages/tong_quan.py", phong=chosen["name"])
    assert at.sidebar.multiselect[0].value == [chosen["name"]]
    assert metric(at, "Số nhiệm vụ") == format_number(chosen["tasks"])
    assert metric(at, "Tỷ lệ đúng hạn") == format_percent(chosen["on_time_rate"])


def test_range_of_months_and_as_of_date_from_the_url(sample_db_url):
    as_of = date(2026, 9, 15)
    at = open_app("app_pages/tong_quan.py", ky="khoang", tu="2026-06", den="2026-08",
                  ngay=as_of.isoformat())
    overall = report(sample_db_url, "2026-06", "2026-08", as_of)["overall"]
    assert metric(at, "Số nhiệm vụ") == format_number(overall["tasks"])
    assert metric(at, "Tỷ lệ đúng hạn") == format_percent(overall["on_time_rate"])


# --- drill-down (SPEC §7: every figure opens to the tasks behind it) ---------------

def test_trend_bar_lists_exactly_its_tasks(annotated):
    at = open_app("app_pages/tong_quan.py")
    select_points(at, "tq_trend", ["2026-09", "overdue"])
    expected = annotated[annotated["month"].eq("2026-09") & annotated["outcome"].eq("overdue")]
    assert len(expected) > 0
    assert drill_ids(at, "tq_trend") == sorted(expected["task_id"])


def test_rate_line_point_lists_the_counted_tasks_of_the_month(annotated):
    at = open_app("app_pages/tong_quan.py")
    select_points(at, "tq_trend", ["2026-10", "counted"])
    expected = annotated[annotated["month"].eq("2026-10")
                         & annotated["outcome"].isin(["on_time", "late", "overdue"])]
    assert drill_ids(at, "tq_trend") == sorted(expected["task_id"])


def test_department_bar_as_coordinator_lists_coordinated_tasks(annotated):
    at = open_app("app_pages/tong_quan.py")
    month = annotated[annotated["month"].eq(MONTH) & annotated["outcome"].isin(
        ["on_time", "late", "overdue"])]
    dept = month["coord_depts_effective"].explode().dropna().value_counts().index[0]
    select_points(at, "tq_depts", [None, dept, "counted"])
    expected = month[month["coord_depts_effective"].map(lambda c: dept in c)]
    assert len(expected) > 0
    assert drill_ids(at, "tq_depts") == sorted(expected["task_id"])


def test_two_selected_service_bars_list_the_union(annotated):
    at = open_app("app_pages/tong_quan.py")
    select_points(at, "tq_services", ["Tư vấn - Tham vấn", "on_time"],
                  ["Can thiệp khẩn cấp", "overdue"])
    month = annotated[annotated["month"].eq(MONTH)]
    expected = month[(month["service"].eq("Tư vấn - Tham vấn") & month["outcome"].eq("on_time"))
                     | (month["service"].eq("Can thiệp khẩn cấp")
                        & month["outcome"].eq("overdue"))]
    assert drill_ids(at, "tq_services") == sorted(expected["task_id"])


def test_department_table_row_lists_led_or_coordinated_tasks(annotated):
    at = open_app("app_pages/phong_ban.py")
    table = [d.value for d in at.dataframe if "Phòng" in d.value.columns][0]
    name = table["Phòng"].iloc[1]
    select_row(at, "pb_table", 1)
    month = annotated[annotated["month"].eq(MONTH) & annotated["outcome"].ne("cancelled")]
    expected = month[month["lead_dept"].eq(name)
                     | month["coord_depts_effective"].map(lambda c: name in c)]
    assert drill_ids(at, "pb_table") == sorted(expected["task_id"])


def test_person_ranking_bar_lists_the_counted_tasks_led(annotated):
    at = open_app("app_pages/ca_nhan.py")
    month = annotated[annotated["month"].eq(MONTH)]
    person = month["lead_person"].value_counts().index[0]
    select_points(at, "cn_rank", [person, "counted"])
    expected = month[month["lead_person"].eq(person)
                     & month["outcome"].isin(["on_time", "late", "overdue"])]
    assert drill_ids(at, "cn_rank") == sorted(expected["task_id"])


def test_person_ranking_shows_rates_with_counts_ordered_by_the_wilson_bound(annotated, sample_db_url):
    """SPEC §3.6: the ranking orders by the Wilson lower bound, but what a director reads
    is the on-time rate and the tasks it rests on (6/7), never the bound itself."""
    import json

    from analysis.metrics.recognition import wilson_lower_bound

    at = open_app("app_pages/ca_nhan.py")
    table = [d.value for d in at.dataframe if "Họ và tên" in d.value.columns][0]
    assert "Cận dưới Wilson" not in table.columns and "Đúng hạn / đến hạn" in table.columns
    assert not any("%" in str(v) for v in table["Đúng hạn / đến hạn"])
    chart = [c for c in at.get("plotly_chart") if "cn_rank" in c.proto.id][0]
    bars = json.loads(chart.proto.spec)["data"][0]
    month = annotated[annotated["month"].eq(MONTH) & annotated["lead_person"].notna()]
    figures = month.groupby("lead_person")["outcome"].agg(
        on_time=lambda o: int(o.eq("on_time").sum()),
        counted=lambda o: int(o.isin(["on_time", "late", "overdue"]).sum()))
    figures = figures[figures["counted"] > 0]
    bounds = dict(zip(figures.index, wilson_lower_bound(figures["on_time"], figures["counted"])))
    names = bars["y"][::-1]  # drawn bottom-up: best first once reversed
    assert [bounds[n] for n in names] == sorted((bounds[n] for n in names), reverse=True)
    for name, text in zip(bars["y"], bars["text"]):
        k, n = figures.loc[name, "on_time"], figures.loc[name, "counted"]
        assert text == f"{format_percent(k / n)} — {k}/{n}"


def test_reminder_row_lists_the_late_and_overdue_tasks_behind_it(annotated, sample_db_url):
    at = open_app("app_pages/ca_nhan.py")
    table = [d.value for d in at.dataframe if "Lý do" in d.value.columns][-1]
    person = table["Họ và tên"].iloc[0]
    select_row(at, "cn_remind", 0)
    month = annotated[annotated["month"].eq(MONTH)]
    led = month[month["lead_person"].eq(person) & month["outcome"].isin(["late", "overdue"])]
    # SPEC §3.6: both roles; the led tasks late or overdue, and the coordinated items
    # late or past due (contributions of the "Phối hợp" sheet, else coordinated tasks)
    contributions = open_store(sample_db_url).consolidated_contributions()
    from analysis.metrics import contribution_outcomes
    items = contribution_outcomes(month, contributions, AS_OF, "person")
    items = items[items["coord_person"].eq(person)
                  & items["contribution_outcome"].isin(["late", "past_due"])]
    expected = set(led["task_id"]) | set(items["task_id"])
    assert expected
    assert drill_ids(at, "cn_remind") == sorted(expected)


def test_clicking_a_matrix_cell_lists_the_tasks_of_that_pair(annotated, sample_db_url):
    """SPEC §7.4: the matrix is drawn with square markers, so a cell is a selectable
    point (a heatmap emits no selection); its customdata names the pair."""
    at = open_app("app_pages/phoi_hop.py")
    pairs = report(sample_db_url)["matrix"]
    pair = max(pairs, key=lambda p: p["tasks"])
    select_points(at, "ph_matrix", [pair["lead_dept"], pair["coord_dept"], "all"])
    ids = drill_ids(at, "ph_matrix")
    assert len(ids) == pair["tasks"]
    month = annotated[annotated["month"].eq(MONTH) & annotated["outcome"].ne("cancelled")]
    expected = month[month["lead_dept"].eq(pair["lead_dept"])
                     & month["coord_depts_effective"].map(lambda c: pair["coord_dept"] in c)]
    assert ids == sorted(expected["task_id"])
    chart = [c for c in at.get("plotly_chart") if c.proto.id and "ph_matrix" in c.proto.id]
    assert chart, "the matrix is a selectable chart"


def test_load_bar_and_network_node_drill_down(annotated):
    at = open_app("app_pages/phoi_hop.py")
    month = annotated[annotated["month"].eq(MONTH) & annotated["outcome"].ne("cancelled")]
    person = month["coord_people_effective"].explode().dropna().value_counts().index[0]
    select_points(at, "ph_load", [person, "all"])
    expected = month[month["coord_people_effective"].map(lambda c: person in c)]
    assert drill_ids(at, "ph_load") == sorted(expected["task_id"])
    dept = month["lead_dept"].iloc[0]
    at = open_app("app_pages/phoi_hop.py")
    select_points(at, "ph_network", [dept, "12", "all"])
    expected = month[month["lead_dept"].eq(dept)
                     | month["coord_depts_effective"].map(lambda c: dept in c)]
    assert drill_ids(at, "ph_network") == sorted(expected["task_id"])


def test_gini_card_matches_the_report(sample_db_url):
    at = open_app("app_pages/phoi_hop.py")
    assert metric(at, "Mức dồn tải phối hợp (hệ số Gini)") == format_number(
        report(sample_db_url)["coord_load_gini"], 2)


# --- filters and drill-down rules without Streamlit ----------------------------------

def _tiny() -> pd.DataFrame:
    return pd.DataFrame({
        "task_id": ["A", "B", "C", "D"],
        "lead_dept": ["P1", "P2", "P1", "P2"],
        "lead_person": ["An", "Bình", "An", "Chi"],
        "service": ["Khác"] * 4,
        "month": ["2026-10", "2026-10", "2026-09", "2026-10"],
        "outcome": ["on_time", "overdue", "late", "cancelled"],
        "coord_depts_effective": [("P2",), (), ("P2", "P3"), ("P1",)],
        "coord_people_effective": [("Bình",), (), (), ("An",)],
    })


def test_points_match_plain_columns_tuples_and_pseudo_outcomes():
    tiny = _tiny()
    ids = lambda frame: list(frame["task_id"])  # noqa: E731
    assert ids(tasks_for_points(tiny, [{"customdata": ["2026-10", "counted"]}],
                                ("month", "outcome"))) == ["A", "B"]
    assert ids(tasks_for_points(tiny, [{"customdata": [None, "P2", "all"]}],
                                ("lead_dept", "coord_depts_effective", "outcome"))) == ["A", "C"]
    assert ids(tasks_for_points(tiny, [{"customdata": ["P1", "-"]}], ("dept", "-"))) == [
        "A", "C", "D"]
    assert ids(tasks_for_points(tiny, [{"customdata": ["An"]}], ("person",))) == ["A", "C", "D"]
    assert ids(tasks_for_points(tiny, [], ("month",))) == []


def test_department_filter_means_lead_or_coordinator_by_role():
    tiny = _tiny()
    filters = Filters(None, None, departments=("P2",))
    assert list(filter_tasks(tiny, filters, "lead")["task_id"]) == ["B", "D"]
    assert list(filter_tasks(tiny, filters, "coord")["task_id"]) == ["A", "C"]
    assert list(filter_tasks(tiny, filters, "any")["task_id"]) == ["A", "B", "C", "D"]


# --- real data: no sample banner (SPEC §8) -------------------------------------------

def _real_workbook() -> bytes:
    """One department's log: two tasks, one done on time, one overdue on 31/10/2026."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    sheet.append(["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Người chủ trì",
                  "Phòng phối hợp", "Ngày giao", "Hạn hoàn thành", "Ngày hoàn thành",
                  "Trạng thái"])
    sheet.append(["TV-1", "Tư vấn tâm lý", "Phòng Tư vấn", "Lê Thị Hoa", "Phòng Công tác xã hội",
                  date(2026, 10, 1), date(2026, 10, 10), date(2026, 10, 9), "Hoàn thành"])
    sheet.append(["TV-2", "Thăm hộ gia đình", "Phòng Tư vấn", "Lê Thị Hoa", "",
                  date(2026, 10, 2), date(2026, 10, 20), None, "Đang thực hiện"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_real_upload_replaces_the_sample_and_the_banner_goes(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'real.sqlite'}"
    store = open_store(url)
    outcome = store.import_upload("Phòng Tư vấn", "2026-10", "t10.xlsx", _real_workbook(),
                                  "Kiểm thử")
    assert outcome.status == "stored", outcome.problems
    add_account(store, DIRECTOR, "director")  # real data is shown only after a login (§8)
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_app("app_pages/tong_quan.py", as_user=DIRECTOR)
    assert not any("Dữ liệu mẫu" in w.value for w in at.warning)
    assert metric(at, "Số nhiệm vụ") == "2"
    assert metric(at, "Tỷ lệ đúng hạn") == "50,0 %"  # 1 on time / (1 + 1 overdue)
    assert metric(at, "Quá hạn") == "1"
    assert metric(at, "Có phối hợp liên phòng") == "50,0 %"
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
    fresh = signed_in_app(DIRECTOR).run()  # no URL parameters
    assert fresh.sidebar.date_input[0].value == date.today()  # real data: as of today
    assert "ngay" not in fresh.query_params


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_department_and_service_filters(page, annotated):
    dept, service = "Phòng Tư vấn - Tham vấn", "Tư vấn - Tham vấn"
    assert dept in set(annotated["lead_dept"])
    at = open_app(page, phong=dept, dv=service)
    assert at.sidebar.multiselect[0].value == [dept]
    assert at.sidebar.multiselect[1].value == [service]
    if page.endswith("tong_quan.py"):
        month = annotated[annotated["month"].eq(MONTH) & annotated["lead_dept"].eq(dept)
                          & annotated["service"].eq(service)]
        assert metric(at, "Số nhiệm vụ") == format_number(int(month["outcome"].ne(
            "cancelled").sum()))


@pytest.mark.parametrize("card, expected", [
    ("overdue", lambda m: m["outcome"].eq("overdue")),
    ("clarity_rate", lambda m: m["outcome"].ne("cancelled") & ~m["clear"]),
    ("cross_dept_share", lambda m: m["outcome"].ne("cancelled") & m["cross_dept"]),
])
def test_headline_card_picker_lists_the_tasks_behind_the_card(card, expected, annotated):
    at = open_app("app_pages/tong_quan.py")
    at.session_state["tq_cards"] = card
    at.run()
    assert not at.exception
    month = annotated[annotated["month"].eq(MONTH)]
    ids = sorted(month.loc[expected(month), "task_id"])
    assert len(ids) > 0
    assert drill_ids(at, "tq_cards") == ids
