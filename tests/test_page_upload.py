"""Page `Tải dữ liệu lên` (SPEC §7.6, §4): validation report, column mapping,
confirm before storing, history and restore — through the real store."""

import io
from datetime import date

import openpyxl
import pytest

from analysis.store import open_store
from page_helpers import (
    AS_DIRECTOR,
    DIRECTOR,
    HEAD,
    HEADERS,
    add_account,
    download,
    open_page,
    seed_store,
    task_row,
    texts,
    workbook,
)
from ui.upload_tables import default_month, history_table, problem_table, recent_months

PAGE = "app_pages/tai_du_lieu.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ctxh.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    seed_store(url)
    return url


def _choose(at, scope="Phòng Tư vấn", month="2026-10"):
    at.selectbox(key="up_scope").set_value(scope)
    at.selectbox(key="up_month").set_value(month)
    return at.run()


def _upload(at, data: bytes, name="thang10.xlsx"):
    at.get("file_uploader")[0].set_value((name, data, XLSX))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _uploads(url, scope="Phòng Tư vấn", month="2026-10"):
    return open_store(url).history(scope, month)


def test_default_month_is_last_month():
    assert default_month(date(2026, 11, 27)) == "2026-10"
    assert default_month(date(2026, 1, 5)) == "2025-12"
    assert recent_months(date(2026, 11, 27), 3) == ["2026-11", "2026-10", "2026-09"]


def test_page_opens_with_scope_month_template_and_history(db_url):
    at = open_page(PAGE)
    assert "Tải dữ liệu lên" in texts(at, "title")
    assert at.selectbox(key="up_month").value == default_month(date.today())
    assert "Phòng Tư vấn" in at.selectbox(key="up_scope").options
    assert at.selectbox(key="up_scope").options[0] == "Toàn trung tâm"
    assert any(b.label == "Tải mẫu Excel" for b in at.get("download_button"))
    at = _choose(at, month="2026-09")
    history = at.dataframe[-1].value
    assert history["Phiên bản"].tolist() == [1] and history["Tệp"].tolist() == ["thang9.xlsx"]


def test_errors_are_reported_in_vietnamese_and_block_saving(db_url):
    at = _choose(open_page(PAGE))
    data = workbook([task_row(1, "TV-010", due="20/10/2026"),
                     task_row(2, "TV-010", assigned="05/10/2026", due="01/10/2026")])
    at = _upload(at, data)
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["Dòng", "Cột", "Giá trị", "Mức độ", "Nội dung"]
    duplicate = problems[problems["Cột"] == "Mã nhiệm vụ"].iloc[0]
    assert duplicate["Dòng"] == "3" and duplicate["Mức độ"] == "Lỗi"
    assert "bị trùng" in duplicate["Nội dung"]
    assert (problems["Cột"] == "Hạn hoàn thành").any()
    assert any("chưa thể lưu" in e for e in texts(at, "error"))
    assert not [b for b in at.button if b.key == "up_save"]  # no save button at all
    assert any(b.label.startswith("Tải tệp có đánh dấu ô lỗi") for b in at.get("download_button"))
    assert _uploads(db_url) == []  # nothing stored


def test_unknown_column_mapped_then_confirmed_and_saved(db_url):
    headers = ["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Người chủ trì",
               "Phòng phối hợp", "Ngày nhận việc", "Hạn hoàn thành", "Ngày hoàn thành", "Trạng thái"]
    data = workbook([task_row(1, "TV-020"), task_row(2, "TV-021", due="30/10/2026")],
                    headers=headers, title="BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026")
    at = _upload(_choose(open_page(PAGE)), data)
    problems = at.dataframe[0].value
    assert any("Thiếu cột bắt buộc “Ngày giao”" in m for m in problems["Nội dung"])
    assert any("chưa thể lưu" in e for e in texts(at, "error"))
    mapping_box = at.selectbox(key="up_map::Phòng Tư vấn::Ngày nhận việc")
    mapping_box.set_value("assigned_date").run()
    assert not at.exception
    assert not texts(at, "error"), texts(at, "error")
    assert _uploads(db_url) == []  # mapped and valid, still not stored

    at.checkbox(key="up_confirm").check().run()
    at.button(key="up_save").click().run()
    assert not at.exception
    assert any("Đã lưu phiên bản 1" in s for s in texts(at, "success"))
    stored = _uploads(db_url)
    assert [(h["version"], h["rows"], h["current"], h["user"]) for h in stored] == [
        (1, 2, True, DIRECTOR)]  # the signed-in account, never typed text
    store = open_store(db_url)
    assert store.remembered_mapping("Phòng Tư vấn") == {"Ngày nhận việc": "assigned_date"}
    assert {"TV-020", "TV-021"} <= set(store.consolidated_tasks()["task_id"])
    history = at.dataframe[-1].value
    assert history.iloc[0]["Tháng"] == "10/2026" and history.iloc[0]["Hiện hành"].startswith("✓")


def test_changes_against_current_version_then_restore(db_url):
    store = open_store(db_url)
    first = workbook([task_row(1, "TV-030"), task_row(2, "TV-031")])
    assert store.import_upload("Phòng Tư vấn", "2026-10", "v1.xlsx", first, AS_DIRECTOR).version == 1
    at = _choose(open_page(PAGE))
    second = workbook([task_row(1, "TV-030", due="25/10/2026"), task_row(2, "TV-032")])
    at = _upload(at, second, name="v2.xlsx")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Nhiệm vụ thêm mới"] == "1"
    assert metrics["Nhiệm vụ thay đổi"] == "1"
    assert metrics["Nhiệm vụ không còn trong tệp"] == "1"
    changes = [d.value for d in at.dataframe if "Chi tiết" in d.value.columns][0]
    changed = changes[changes["Mã nhiệm vụ"] == "TV-030"].iloc[0]
    assert changed["Thay đổi"] == "Thay đổi"
    assert changed["Chi tiết"] == "Hạn hoàn thành: 20/10/2026 → 25/10/2026"  # old → new
    at.checkbox(key="up_confirm").check().run()
    at.button(key="up_save").click().run()
    assert [h["version"] for h in _uploads(db_url) if h["current"]] == [2]

    picker = at.selectbox(key="up_restore_pick")
    old = [h["upload_id"] for h in _uploads(db_url) if h["version"] == 1][0]
    assert len(picker.options) == 1
    assert picker.options[0].startswith("Tháng 10/2026 · phiên bản 1 · ")
    assert picker.options[0].endswith("v1.xlsx")
    picker.set_value(old).run()
    at.button(key="up_restore").click().run()
    assert not at.exception
    assert any("Đã khôi phục phiên bản 1" in s for s in texts(at, "success"))
    assert [h["version"] for h in _uploads(db_url) if h["current"]] == [1]
    assert "TV-031" in set(open_store(db_url).consolidated_tasks()["task_id"])
    # the restore is an event of the history: who made which version current again, when
    history = at.dataframe[-1].value
    restore = history[history["Sự kiện"] == "Khôi phục phiên bản cũ"]
    assert restore[["Phiên bản", "Người thực hiện", "Tháng"]].values.tolist() == [
        [1, DIRECTOR, "10/2026"]]  # the signed-in account
    assert history.iloc[0]["Sự kiện"] == "Khôi phục phiên bản cũ"  # newest first


def test_identical_file_again_is_unchanged(db_url):
    store = open_store(db_url)
    data = workbook([task_row(1, "TV-040")])
    store.import_upload("Phòng Tư vấn", "2026-10", "a.xlsx", data, AS_DIRECTOR)
    at = _upload(_choose(open_page(PAGE)), data)
    assert any("giống hệt phiên bản hiện tại" in s for s in texts(at, "info"))


def test_not_a_spreadsheet_is_refused(db_url):
    at = _upload(_choose(open_page(PAGE)), b"just some text, not a table\x00\x01", name="x.xlsx")
    assert any("không đọc được" in e.lower() or "không thể lưu" in e for e in texts(at, "error"))
    assert not [b for b in at.button if b.key == "up_save"]
    assert _uploads(db_url) == []


def test_problem_and_history_tables():
    from analysis.model import Problem
    table = problem_table([Problem(5, "title", None, "warning", "Thiếu nội dung nhiệm vụ."),
                           Problem(4, "due_date", "31/09/2026", "error", "Không đọc được ngày.")])
    assert table.values.tolist() == [
        ["4", "Hạn hoàn thành", "31/09/2026", "Lỗi", "Không đọc được ngày."],
        ["5", "Nội dung nhiệm vụ", "", "Cảnh báo", "Thiếu nội dung nhiệm vụ."]]
    whole = problem_table([Problem(None, "assigned_date", None, "error", "Thiếu cột.")])
    assert whole.iloc[0]["Dòng"] == "Cả tệp" and whole.iloc[0]["Cột"] == "Ngày giao"
    history = history_table([{"upload_id": 3, "scope": "center", "month": "2026-10", "version": 2,
                              "uploaded_at": "2026-11-27T02:05:00+00:00", "user": "An",
                              "file_name": "a.xlsx", "rows": 10, "current": True}])
    row = history.iloc[0]
    assert (row["Sự kiện"], row["Phạm vi"], row["Tháng"], row["Thời gian"]) == (
        "Tải lên", "Toàn trung tâm", "10/2026", "27/11/2026 09:05")


def test_saved_upload_reaches_the_task_list_without_clearing_caches(db_url):
    """The pages cache on `store.data_version()`: a save is visible on the next page."""
    at = open_page("app_pages/nhiem_vu.py")
    at.session_state["f_as_of"] = date(2026, 11, 5)
    at.session_state["f_kind"] = "khoang"
    at.session_state["f_from"], at.session_state["f_to"] = "2026-09", "2026-09"
    at.run()
    assert "TV-050" not in set(at.dataframe[0].value["Mã nhiệm vụ"])

    at.switch_page(PAGE).run()
    at = _upload(_choose(at), workbook([task_row(1, "TV-050", assigned="01/09/2026",
                                                            due="25/09/2026")]))
    at.checkbox(key="up_confirm").check().run()
    at.button(key="up_save").click().run()
    assert any("Đã lưu phiên bản 1" in s for s in texts(at, "success"))

    at.switch_page("app_pages/nhiem_vu.py").run()
    assert not at.exception
    assert "TV-050" in set(at.dataframe[0].value["Mã nhiệm vụ"])


def test_remembered_mapping_prefills_and_unused_entries_stay_remembered(db_url):
    store = open_store(db_url)
    store.remember_mapping("Phòng Tư vấn", {"Ngày nhận việc": "assigned_date",
                                            "Cột cũ không còn": "note"})
    headers = ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Phòng chủ trì", "Người chủ trì",
               "Phòng phối hợp", "Ngày nhận việc", "Hạn hoàn thành", "Ngày hoàn thành", "Trạng thái"]
    data = workbook([task_row(1, "TV-060")[1:]], headers=headers)
    at = _upload(_choose(open_page(PAGE)), data)
    assert not texts(at, "error")  # the remembered mapping was applied before reading
    assert at.selectbox(key="up_map::Phòng Tư vấn::Ngày nhận việc").value == "assigned_date"
    # no "mapped column not found" warning for the remembered column this file lacks
    assert "Không có lỗi hay cảnh báo nào." in texts(at, "success")
    at.checkbox(key="up_confirm").check().run()
    at.button(key="up_save").click().run()
    assert [h["rows"] for h in _uploads(db_url)] == [1]
    assert open_store(db_url).remembered_mapping("Phòng Tư vấn") == {
        "Ngày nhận việc": "assigned_date", "Cột cũ không còn": "note"}


def test_department_head_is_offered_only_their_own_department(db_url):
    """SPEC §8: `access.scopes_for` the signed-in head; the uploader is the account."""
    store = open_store(db_url)
    store.import_upload("Phòng Công tác xã hội", "2026-09", "ctxh.xlsx",
                        workbook([task_row(1, "XH-001", dept="Phòng Công tác xã hội")]), AS_DIRECTOR)
    add_account(store, HEAD, "dept_head", department="Phòng Tư vấn")
    at = open_page(PAGE, as_user=HEAD)
    assert at.selectbox(key="up_scope").options == ["Phòng Tư vấn"]
    assert [t.value for t in at.text_input if t.label == "Người tải lên"] == [HEAD]
    at = _upload(_choose(at), workbook([task_row(1, "TV-080")]))
    at.checkbox(key="up_confirm").check().run()
    at.button(key="up_save").click().run()
    assert [(h["version"], h["user"]) for h in _uploads(db_url)] == [(1, HEAD)]


def test_a_head_may_not_restore_another_departments_version(db_url):
    """The store refuses even when a page would offer it (SPEC §8: rules in analysis)."""
    from analysis.access import AccessDenied, Actor

    store = open_store(db_url)
    add_account(store, HEAD, "dept_head", department="Phòng Công tác xã hội")
    upload_id = store.history("Phòng Tư vấn")[0]["upload_id"]
    with pytest.raises(AccessDenied):
        store.restore(upload_id, Actor(HEAD, "dept_head", "Phòng Công tác xã hội"))
    # a forged role is not believed: the database's account is what counts
    with pytest.raises(AccessDenied):
        store.restore(upload_id, Actor(HEAD, "director"))


def test_demo_mode_refuses_uploads_and_shows_the_first_account_command(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    from analysis.store import open_store as open_
    from analysis.store.sample import ensure_sample_data
    store = open_(url)
    # a tiny "sample" so the test needs no 72-file import: an is_sample upload
    from store_helpers import store_frames, task
    store_frames(store, "Phòng Tư vấn", "2026-10", [task("TV-1")], is_sample=True)
    assert ensure_sample_data(store) is False  # not empty: nothing more imported
    at = open_page(PAGE)
    assert not at.get("file_uploader")
    assert any("python -m analysis user add <tên> --role admin" in c.value for c in at.code)
    assert any("trình diễn" in w.value for w in at.warning)


def test_csv_with_errors_gives_a_marked_workbook(db_url, download_buttons):
    text = ("Mã nhiệm vụ;Nội dung nhiệm vụ;Phòng chủ trì;Ngày giao;Hạn hoàn thành\r\n"
            "TV-070;Thăm hộ;Phòng Tư vấn;01/10/2026;31/09/2026\r\n"
            "TV-071;Tư vấn;Phòng Tư vấn;02/10/2026;20/10/2026\r\n")
    at = _upload(_choose(open_page(PAGE)), ("\ufeff" + text).encode("utf-8"), name="thang10.csv")
    problems = at.dataframe[0].value
    assert problems.iloc[0][["Dòng", "Cột", "Mức độ"]].tolist() == ["2", "Hạn hoàn thành", "Lỗi"]
    marked = openpyxl.load_workbook(io.BytesIO(download(download_buttons, "up_marked",
                                                        "thang10_kiem_tra.xlsx")))
    sheet = marked.active
    assert sheet["E2"].value == "31/09/2026"
    assert sheet["E2"].fill.fgColor.rgb == "FFFF9999" and "31/09/2026" in sheet["E2"].comment.text
    assert sheet["E3"].comment is None
    assert _uploads(db_url) == []


def test_row_counter_and_ignored_columns_are_not_offered_again(db_url):
    """STT is never offered for mapping; a column left on "Bỏ qua" when saving is not
    asked about again for this scope (it is still listed as ignored)."""
    headers = [*HEADERS, "Cột phụ"]
    data = workbook([[*task_row(1, "TV-080"), "x"]], headers=headers)
    at = _upload(_choose(open_page(PAGE)), data)
    keys = [b.key for b in at.selectbox if b.key and b.key.startswith("up_map::")]
    assert keys == ["up_map::Phòng Tư vấn::Cột phụ"]  # no STT
    options = at.selectbox(key="up_map::Phòng Tư vấn::Cột phụ").options
    assert "Mã nhiệm vụ" in options and not any("(" in o for o in options)  # no code names
    at.checkbox(key="up_confirm").check().run()
    at.button(key="up_save").click().run()
    assert open_store(db_url).remembered_mapping("Phòng Tư vấn") == {"Cột phụ": ""}
    again = workbook([[*task_row(1, "TV-081"), "y"]], headers=headers)
    at = _upload(_choose(open_page(PAGE), month="2026-11"), again, name="thang11.xlsx")
    assert not [b for b in at.selectbox if b.key and b.key.startswith("up_map::")]
    assert any("«Cột phụ»" in c for c in texts(at, "caption"))  # still listed as ignored


def test_a_mapping_that_displaces_a_recognised_column_says_so(db_url):
    headers = [*HEADERS, "Ngày nhận việc"]
    data = workbook([[*task_row(1, "TV-090"), "02/10/2026"]], headers=headers)
    at = _upload(_choose(open_page(PAGE)), data)
    at.selectbox(key="up_map::Phòng Tư vấn::Ngày nhận việc").set_value("assigned_date").run()
    assert not at.exception
    warnings = [w for w in texts(at, "warning") if "sẽ bị bỏ qua" in w]
    assert len(warnings) == 1
    assert "«Ngày nhận việc»" in warnings[0] and "«Ngày giao»" in warnings[0]
