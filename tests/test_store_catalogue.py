"""Catalogue, settings, remembered mappings and the audit API (SPEC §6, §4.4)."""

from __future__ import annotations

import pytest

from analysis.model import ReadSettings
from store_helpers import task, workbook


def test_empty_catalogue_reads_anything(store):
    assert store.departments() == [] and store.people() == []
    center = store.read_settings("center")
    assert center.scope_dept is None and center.departments == () and center.people == ()
    assert center.row_limit == ReadSettings().row_limit
    assert store.read_settings("Phòng Tư vấn").scope_dept == "Phòng Tư vấn"
    assert store.remembered_mapping("Phòng Tư vấn") == {}


def test_departments_and_roster_round_trip(store):
    store.set_departments([("Phòng Tư vấn", "TV"), {"name": "Phòng Hành chính", "short_code": "HC"},
                           "Phòng Y tế"], actor="Quản trị")
    assert store.departments() == ["Phòng Tư vấn", "Phòng Hành chính", "Phòng Y tế"]
    assert store.department_rows()[0] == {"name": "Phòng Tư vấn", "short_code": "TV"}
    store.set_roster([("Nguyễn Văn An", "Phòng Tư vấn", "Chuyên viên"), {"name": "Lê Thị Hoa"}])
    assert store.people() == ["Nguyễn Văn An", "Lê Thị Hoa"]
    assert store.roster()[0] == {"name": "Nguyễn Văn An", "department": "Phòng Tư vấn",
                                 "position": "Chuyên viên"}
    settings = store.read_settings("Phòng Tư vấn")
    assert settings.departments == ("Phòng Tư vấn", "Phòng Hành chính", "Phòng Y tế")
    assert settings.people == ("Nguyễn Văn An", "Lê Thị Hoa")
    assert [e["action"] for e in store.audit_log()] == ["catalogue", "catalogue"]


def test_duplicate_department_names_are_refused(store):
    with pytest.raises(ValueError):
        store.set_departments(["Phòng Tư vấn", "PHONG TU VAN"])
    assert store.departments() == []


def test_catalogue_change_bumps_the_data_version(store):
    before = store.data_version()
    store.set_departments(["Phòng Tư vấn"])
    assert store.data_version() != before


def test_settings_defaults_overrides_and_unknown_keys(store):
    assert store.settings()["praise_min_rate"] == 0.90
    store.set_settings({"row_limit": 1, "praise_min_rate": 0.85})
    assert store.settings()["praise_min_rate"] == 0.85
    assert store.read_settings("center").row_limit == 1
    with pytest.raises(ValueError):
        store.set_settings({"no_such_setting": 1})


def test_row_limit_setting_is_enforced_on_import(store):
    store.set_settings({"row_limit": 1})
    outcome = store.import_upload("center", "2026-10", "a.xlsx", workbook([task("T1"), task("T2")]), "A")
    assert outcome.status == "rejected"


def test_configured_departments_are_checked_on_import(store):
    store.set_departments(["Phòng Tư vấn", "Phòng Hành chính"])
    data = workbook([task("T1"), task("T2", lead_dept="Phòng Tư vấm")])  # typo
    outcome = store.import_upload("center", "2026-10", "a.xlsx", data, "A")
    assert outcome.status == "rejected"
    assert [(p.row, p.field) for p in outcome.problems if p.severity == "error"] == [(3, "lead_dept")]


def test_remember_mapping_replaces_the_previous_one(store):
    store.remember_mapping("center", {"Số hồ sơ": "task_id"})
    store.remember_mapping("CENTER", {"Hạn chót": "due_date"})
    assert store.remembered_mapping("center") == {"Hạn chót": "due_date"}


def test_audit_api_for_other_modules(store):
    store.audit("Giám đốc", "export", format="xlsx", rows=120, sha256="ab" * 32)
    [entry] = store.audit_log(limit=5)
    assert entry["user"] == "Giám đốc" and entry["action"] == "export"
    assert entry["details"] == {"format": "xlsx", "rows": 120, "sha256": "ab" * 32}
    assert entry["at"].endswith("+00:00")
