"""Page `Quản trị` (SPEC §6, §7.8, §8), signed in as the administrator: catalogue tables
and the Excel round trip, settings, accounts, the audit log with filters and export."""

from __future__ import annotations

import csv
import io

import pytest

from analysis.catalogue_workbook import build_catalogue_workbook, read_uploaded_catalogue
from analysis.store import open_store
from page_helpers import (
    ADMIN,
    accounts_of,
    add_account,
    download,
    open_page,
    seed_store,
    task_row,
    texts,
    workbook,
)

PAGE = "app_pages/quan_tri.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ctxh.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    add_account(seed_store(url), ADMIN, "admin")
    return url


def admin_page():
    return open_page(PAGE, as_user=ADMIN)


def test_departments_and_roster_edited_as_tables(db_url):
    at = admin_page()
    at.session_state["qt_depts"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"Tên phòng": "Phòng Tư vấn", "Mã viết tắt": "TV"},
        {"Tên phòng": "Phòng Hành chính", "Mã viết tắt": "HC"}]}
    at.run()
    at.button(key="qt_save_depts").click().run()
    assert "Đã lưu danh mục: 2 phòng." in texts(at, "success")
    store = open_store(db_url)
    assert store.department_rows() == [{"name": "Phòng Tư vấn", "short_code": "TV"},
                                       {"name": "Phòng Hành chính", "short_code": "HC"}]
    at.session_state["qt_roster"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"Họ và tên": "Lê Thị Hoa", "Phòng": "Phòng Tư vấn", "Chức vụ": "Trưởng phòng"}]}
    at.run()
    at.button(key="qt_save_roster").click().run()
    assert store.roster() == [{"name": "Lê Thị Hoa", "department": "Phòng Tư vấn",
                               "position": "Trưởng phòng"}]
    at.session_state["qt_depts"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"Tên phòng": "phòng tư vấn", "Mã viết tắt": "X"}]}
    at.run()
    at.button(key="qt_save_depts").click().run()
    assert any("bị trùng với dòng 1" in e for e in texts(at, "error"))
    assert len(store.department_rows()) == 2  # nothing saved
    assert [e["details"]["what"] for e in store.audit_log() if e["action"] == "catalogue"] == [
        "roster", "departments"]


def test_the_catalogue_workbook_exports_and_imports(db_url, download_buttons):
    store = open_store(db_url)
    at = admin_page()
    exported = read_uploaded_catalogue(download(download_buttons, "qt_export_catalogue", "danh_muc_thiet_lap.xlsx"))
    assert exported.ok and exported.departments == [] and exported.settings == store.settings()

    data = build_catalogue_workbook(
        [{"name": "Phòng Tư vấn", "short_code": "TV"}, {"name": "Phòng Can thiệp", "short_code": "CT"}],
        [{"name": "Nguyễn Văn An", "department": "Phòng Tư vấn", "position": None}],
        {**store.settings(), "row_limit": 5000})
    at.get("file_uploader")[0].set_value(("danh_muc.xlsx", data, XLSX))
    at.run()
    assert "Tệp có: 2 phòng, 1 cán bộ" in " ".join(m.value for m in at.markdown)
    assert store.departments() == []  # nothing until confirmed
    at.checkbox(key="qt_import_confirm").check().run()
    at.button(key="qt_import").click().run()
    assert any(s.startswith("Đã nhập danh mục từ tệp") for s in texts(at, "success"))
    assert store.departments() == ["Phòng Tư vấn", "Phòng Can thiệp"]
    assert store.people() == ["Nguyễn Văn An"] and store.settings()["row_limit"] == 5000
    # the next validation names the closest catalogue department
    preview = store.preview("center", "2026-10", "t.xlsx",
                            workbook([task_row(1, "X-1", dept="Phòng Tư vấn tâm lý")]))
    assert any("Có phải là “Phòng Tư vấn”?" in p.message for p in preview.read.errors)


def test_a_bad_catalogue_file_changes_nothing(db_url):
    at = admin_page()
    at.get("file_uploader")[0].set_value(("x.xlsx", b"not a workbook at all", XLSX))
    at.run()
    assert not at.exception
    assert any("chưa nhập được" in e for e in texts(at, "error"))
    assert not [b for b in at.button if b.key == "qt_import"]


def test_settings_are_saved_and_checked(db_url):
    store = open_store(db_url)
    at = admin_page()
    at.number_input(key="qt_setting::praise_min_rate").set_value(85.0)
    at.number_input(key="qt_setting::login_lock_minutes").set_value(20)
    at.text_input(key="qt_setting::brief_signer_name").input("Nguyễn Thị Lan")
    at.button[[b.label for b in at.button].index("Lưu thiết lập")].click().run()
    assert "Đã lưu 3 thiết lập." in texts(at, "success")
    values = store.settings()
    assert (values["praise_min_rate"], values["login_lock_minutes"], values["brief_signer_name"]) == (
        0.85, 20, "Nguyễn Thị Lan")
    at.number_input(key="qt_setting::reminder_below_rate").set_value(95.0)
    at.button[[b.label for b in at.button].index("Lưu thiết lập")].click().run()
    assert any("không được cao hơn ngưỡng biểu dương" in e for e in texts(at, "error"))
    assert store.settings()["reminder_below_rate"] == 0.70


def test_accounts_are_added_disabled_unlocked_and_reset(db_url):
    store = open_store(db_url)
    accounts = accounts_of(store)
    at = admin_page()
    at.text_input(key="qt_new_name").input("Trần Văn Bình")
    at.selectbox(key="qt_new_role").set_value("dept_head")
    at.selectbox(key="qt_new_dept").set_value("Phòng Tư vấn")
    at.text_input(key="qt_new_pw").input("mat-khau-cua-binh")
    at.text_input(key="qt_new_pw2").input("mat-khau-cua-binh")
    at.button[[b.label for b in at.button].index("Tạo tài khoản")].click().run()
    assert any("Đã tạo tài khoản “Trần Văn Bình”" in s for s in texts(at, "success"))
    assert at.session_state["qt_new_pw"] == "" and at.session_state["qt_new_pw2"] == ""
    made = accounts.get("Trần Văn Bình")
    assert (made.role, made.department) == ("dept_head", "Phòng Tư vấn")
    assert accounts.sign_in("Trần Văn Bình", "mat-khau-cua-binh").ok

    at.text_input(key="qt_new_name").input("Ngắn")
    at.text_input(key="qt_new_pw").input("ngan")
    at.text_input(key="qt_new_pw2").input("ngan")
    at.button[[b.label for b in at.button].index("Tạo tài khoản")].click().run()
    assert any("ít nhất 12 ký tự" in e for e in texts(at, "error"))

    for _ in range(5):
        accounts.sign_in("Trần Văn Bình", "sai-mat-khau-roi")
    at.run()
    at.selectbox(key="qt_account").set_value("Trần Văn Bình").run()
    at.button(key="qt_unlock").click().run()
    assert accounts.get("Trần Văn Bình").locked_until is None
    at.text_input(key="qt_reset_pw").input("mat-khau-moi-cua-binh")
    at.text_input(key="qt_reset_pw2").input("mat-khau-moi-cua-binh")
    at.button[[b.label for b in at.button].index("Đặt mật khẩu mới")].click().run()
    assert accounts.sign_in("Trần Văn Bình", "mat-khau-moi-cua-binh").ok
    at.button(key="qt_disable").click().run()
    assert not accounts.get("Trần Văn Bình").active
    at.button(key="qt_enable").click().run()
    assert accounts.get("Trần Văn Bình").active
    done = [e["action"] for e in store.audit_log() if e["user"] == ADMIN]
    assert {"account_add", "account_unlock", "account_password", "account_disable",
            "account_enable"} <= set(done)


def test_the_audit_log_is_filtered_and_exported(db_url, download_buttons):
    store = open_store(db_url)
    at = admin_page()
    at.multiselect(key="qt_audit_actions").set_value(["login"]).run()
    table = [d.value for d in at.dataframe if "Hành động" in d.value.columns][0]
    assert set(table["Hành động"]) == {"Đăng nhập"} and ADMIN in set(table["Người thực hiện"])
    text = download(download_buttons, "qt_audit_csv", "nhat_ky_hoat_dong.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows and {r["Hành động"] for r in rows} == {"Đăng nhập"}
    exported = store.audit_log()[0]
    assert (exported["action"], exported["details"]["what"]) == ("export", "audit_log")
    at.multiselect(key="qt_audit_users").set_value(["Kiểm thử"]).run()  # uploaded, never signed in
    assert any("Không có hoạt động nào" in i for i in texts(at, "info"))
