"""Row problems (SPEC §2.3), and the department scope of an upload (§4.1): every
problem reported at once, with the Excel row number, field, value, Vietnamese message."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import messages
from analysis.model import ReadSettings
from analysis.reading import read_task_log
from workbooks import HEADERS, task, task_table, task_xlsx, xlsx

TODAY = dt.date(2026, 10, 31)


def check(*rows, settings=None, today=TODAY, **table):
    return read_task_log(task_xlsx(*rows, **table), "log.xlsx", settings=settings, today=today)


def found(result, severity=None):
    return [(p.row, p.field, p.value, p.message) for p in result.problems
            if p.row is not None and (severity is None or p.severity == severity)]


def test_a_valid_row_has_no_problem():
    result = check(task())
    assert result.ok and result.problems == []


# --- errors -----------------------------------------------------------------------------------

def test_empty_task_id():
    assert found(check(task(task_id=""))) == [(2, "task_id", None, messages.EMPTY_TASK_ID)]


def test_repeated_task_id_is_reported_on_each_repeat_naming_the_first_row():
    result = check(task(task_id="NV-1"), task(task_id="NV-2"), task(task_id="NV-1"),
                   task(task_id="NV-1"))
    assert found(result) == [
        (4, "task_id", "NV-1", messages.DUPLICATE_TASK_ID.format(task_id="NV-1", first_row=2)),
        (5, "task_id", "NV-1", messages.DUPLICATE_TASK_ID.format(task_id="NV-1", first_row=2)),
    ]
    assert not result.ok


def test_task_ids_differing_only_as_typed_are_different():
    assert check(task(task_id="007"), task(task_id="7")).ok


def test_empty_lead_dept():
    assert found(check(task(lead_dept=""))) == [(2, "lead_dept", None, messages.EMPTY_LEAD_DEPT)]


def test_missing_assigned_date():
    assert found(check(task(task_id="NV-1", assigned_date=""))) == [
        (2, "assigned_date", None, messages.MISSING_ASSIGNED_DATE)]


@pytest.mark.parametrize("field", ["assigned_date", "due_date", "done_date", "original_due_date"])
def test_unreadable_dates(field):
    result = check(task(**{field: "32/10/2026"}))
    assert found(result, "error") == [(2, field, "32/10/2026", messages.UNREADABLE_DATE.format(
        value="32/10/2026", header=HEADERS[field]))]


def test_unreadable_date_message_names_the_header_as_typed():
    result = check(task(due_date="cuối tháng"), headers={"due_date": "Deadline"})
    (problem,) = result.errors
    assert "“Deadline”" in problem.message and problem.value == "cuối tháng"


def test_due_date_before_assigned_date():
    result = check(task(assigned_date="10/10/2026", due_date="09/10/2026"))
    assert found(result) == [(2, "due_date", "09/10/2026", messages.DUE_BEFORE_ASSIGNED.format(
        due="09/10/2026", assigned="10/10/2026"))]


def test_done_date_before_assigned_date():
    result = check(task(assigned_date="10/10/2026", done_date="01/10/2026", status="Hoàn thành"))
    assert found(result) == [(2, "done_date", "01/10/2026", messages.DONE_BEFORE_ASSIGNED.format(
        done="01/10/2026", assigned="10/10/2026"))]


def test_same_day_is_fine():
    assert check(task(assigned_date="10/10/2026", due_date="10/10/2026", done_date="10/10/2026",
                      status="Hoàn thành")).ok


def test_status_done_without_done_date():
    result = check(task(status="Đã hoàn thành", done_date=""))
    assert found(result) == [(2, "done_date", None,
                              messages.DONE_WITHOUT_DATE.format(status="Đã hoàn thành"))]


DEPARTMENTS = ("Phòng Tư vấn", "Phòng Can thiệp", "Phòng Hành chính - Tổng hợp")


def test_department_not_in_the_catalogue_with_the_closest_name():
    settings = ReadSettings(departments=DEPARTMENTS)
    result = check(task(lead_dept="Phong Tu van"),  # same name by key: fine
                   task(task_id="NV-2", lead_dept="Phòng Tư vấn tâm lý"),
                   task(task_id="NV-3", coord_depts="Phòng Can thiep; Phòng Hanh chinh"),
                   task(task_id="NV-4", lead_dept="Ban Giám đốc"), settings=settings)
    assert found(result) == [
        (3, "lead_dept", "Phòng Tư vấn tâm lý",
         messages.UNKNOWN_DEPT_SUGGEST.format(name="Phòng Tư vấn tâm lý", suggestion="Phòng Tư vấn")),
        (4, "coord_depts", "Phòng Hanh chinh", messages.UNKNOWN_DEPT_SUGGEST.format(
            name="Phòng Hanh chinh", suggestion="Phòng Hành chính - Tổng hợp")),
        (5, "lead_dept", "Ban Giám đốc", messages.UNKNOWN_DEPT.format(name="Ban Giám đốc")
         + " Hãy dùng một tên trong danh mục: “Phòng Tư vấn”, “Phòng Can thiệp”, "
           "“Phòng Hành chính - Tổng hợp”."),
    ]
    # names matching the catalogue by key take its spelling
    assert result.tasks["lead_dept"].iloc[0] == "Phòng Tư vấn"
    assert result.tasks["coord_depts"].iloc[2][0] == "Phòng Can thiệp"


def test_without_a_catalogue_any_department_is_accepted():
    assert check(task(lead_dept="Ban Giám đốc", coord_depts="Tổ bất kỳ")).ok


def test_department_upload_holds_only_its_own_tasks():
    settings = ReadSettings(scope_dept="Phòng Tư vấn")
    result = check(task(task_id="NV-1", lead_dept="PHÒNG TƯ VẤN"),
                   task(task_id="NV-2", lead_dept="Phòng Can thiệp"), settings=settings)
    assert found(result) == [(3, "lead_dept", "Phòng Can thiệp", messages.OUT_OF_SCOPE.format(
        lead="Phòng Can thiệp", scope="Phòng Tư vấn"))]


# --- warnings ---------------------------------------------------------------------------------

def test_empty_title_is_a_warning():
    result = check(task(title=""))
    assert result.ok
    assert found(result, "warning") == [(2, "title", None, messages.EMPTY_TITLE)]


def test_missing_due_date_is_a_warning():
    result = check(task(due_date=""))
    assert result.ok
    assert found(result, "warning") == [(2, "due_date", None, messages.MISSING_DUE_DATE)]


def test_missing_due_date_column_is_one_warning():
    fields = ("task_id", "title", "lead_dept", "lead_person", "assigned_date")
    result = check(task(), task(task_id="NV-2"), fields=fields)
    assert result.ok
    assert [(p.row, p.field, p.message) for p in result.warnings] == [
        (None, "due_date", messages.MISSING_DUE_COLUMN)]


def test_missing_lead_person_is_a_warning():
    result = check(task(lead_person=""))
    assert result.ok
    assert found(result, "warning") == [(2, "lead_person", None, messages.MISSING_LEAD_PERSON)]


def test_done_date_after_the_day_of_validation():
    result = check(task(done_date="01/11/2026", status="Hoàn thành"), today=TODAY)
    assert result.ok
    assert found(result, "warning") == [(2, "done_date", "01/11/2026", messages.DONE_AFTER_TODAY.format(
        done="01/11/2026", today="31/10/2026"))]
    assert check(task(done_date="31/10/2026", status="Hoàn thành"), today=TODAY).warnings == []


def test_person_not_in_the_roster():
    settings = ReadSettings(people=("Nguyễn Thị Lan", "Trần Văn Minh"))
    result = check(task(lead_person="nguyen thi lan", coord_people="Trần Văn Minh; Lê Văn Hà"),
                   task(task_id="NV-2", lead_person="Phạm Thu"), settings=settings)
    assert result.ok
    assert found(result, "warning") == [
        (2, "coord_people", "Lê Văn Hà", messages.UNKNOWN_PERSON.format(name="Lê Văn Hà")),
        (3, "lead_person", "Phạm Thu", messages.UNKNOWN_PERSON.format(name="Phạm Thu")),
    ]
    assert result.tasks["lead_person"].iloc[0] == "Nguyễn Thị Lan"


def test_unknown_service_is_a_warning_and_counts_as_other():
    result = check(task(service="Chăm sóc tại nhà"))
    assert result.ok
    assert found(result, "warning") == [(2, "service", "Chăm sóc tại nhà",
                                         messages.UNKNOWN_SERVICE.format(value="Chăm sóc tại nhà",
                                                                         other="Khác"))]
    assert result.tasks["service"].iloc[0] == "Khác"


def test_open_status_with_done_date_warns_and_done_date_wins():
    result = check(task(status="Đang thực hiện", done_date="12/10/2026"))
    assert result.ok
    assert found(result, "warning") == [(2, "status", "Đang thực hiện",
                                         messages.OPEN_WITH_DONE_DATE.format(status="Đang thực hiện"))]
    assert result.tasks["status"].iloc[0] == "done"


def test_cancelled_with_done_date_stays_cancelled():
    result = check(task(status="Đã hủy", done_date="12/10/2026"))
    assert result.ok and result.tasks["status"].iloc[0] == "cancelled"


# --- all at once ------------------------------------------------------------------------------

def test_every_problem_is_reported_at_once_in_row_order():
    above = [["BẢNG THEO DÕI NHIỆM VỤ THÁNG 10/2026"], []]
    rows = [task(task_id="NV-1", title="", lead_dept=""),
            task(task_id="NV-1", assigned_date="", due_date="abc"),
            task(task_id="NV-3", assigned_date="05/10/2026", due_date="04/10/2026",
                 status="Hoàn thành")]
    result = read_task_log(xlsx({"S": task_table(*rows, above=above)}), "log.xlsx", today=TODAY)
    assert [(p.row, p.field, p.severity) for p in result.problems] == [
        (4, "title", "warning"), (4, "lead_dept", "error"),
        (5, "task_id", "error"), (5, "assigned_date", "error"), (5, "due_date", "error"),
        (6, "due_date", "error"), (6, "done_date", "error"),
    ]
    assert all(p.message for p in result.problems)


def test_missing_task_id_column_is_one_error_not_one_per_row():
    """Like any missing required column (SPEC §2.3): the column error only; rows with a
    date are still read as tasks, undated rows are still skipped."""
    rows = [["Nội dung nhiệm vụ", "Phòng chủ trì", "Ngày giao", "Hạn hoàn thành"]]
    rows += [[f"Việc {i}", "Phòng A", dt.date(2026, 10, 1), dt.date(2026, 10, 9)] for i in range(3)]
    rows += [["", "", "", ""], ["Người lập biểu", "", "", ""]]
    result = read_task_log(xlsx({"Nhiệm vụ": rows}), "log.xlsx", today=TODAY)
    errors = [(p.row, p.field, p.message) for p in result.errors]
    assert errors == [(None, "task_id", messages.MISSING_COLUMN.format(header="Mã nhiệm vụ"))]
    assert result.rows == 3 and result.skipped_rows == [5, 6]


def test_a_department_suggestion_is_close_in_its_own_words_not_just_phong():
    """“Phòng Kế toán” shares only “Phòng ” with “Phòng Tư vấn”: no suggestion then, but
    the names allowed (a short catalogue) or where to find them (a long one)."""
    result = check(task(lead_dept="Phòng Kế toán"), settings=ReadSettings(departments=DEPARTMENTS))
    [(_, _, _, message)] = found(result)
    assert "Có phải" not in message
    assert message == messages.UNKNOWN_DEPT.format(name="Phòng Kế toán") + messages.DEPT_NAMES_ALLOWED.format(
        names="“Phòng Tư vấn”, “Phòng Can thiệp”, “Phòng Hành chính - Tổng hợp”")
    many = tuple(f"Phòng số {i}" for i in range(20)) + ("Phòng Tư vấn",)
    result = check(task(lead_dept="Phòng Kế toán", coord_depts=""),
                   task(task_id="NV-2", lead_dept="P. Tư vấn", coord_depts=""),
                   settings=ReadSettings(departments=many))
    assert [m for *_, m in found(result)] == [
        messages.UNKNOWN_DEPT.format(name="Phòng Kế toán") + messages.DEPT_SEE_CATALOGUE,
        messages.UNKNOWN_DEPT_SUGGEST.format(name="P. Tư vấn", suggestion="Phòng Tư vấn")]


def test_missing_value_messages_say_what_to_do():
    result = check(task(task_id="", lead_dept="", title="", lead_person="", due_date=""),
                   task(task_id="NV-2", assigned_date=""))
    messages_by_field = {field: message for _, field, _, message in found(result)}
    assert set(messages_by_field) == {"task_id", "lead_dept", "assigned_date", "title",
                                      "lead_person", "due_date"}
    for message in messages_by_field.values():
        assert "Hãy nhập" in message, message
    assert messages_by_field["task_id"] == "Thiếu mã nhiệm vụ. Hãy nhập mã nhiệm vụ."


def test_unknown_status_warning_lists_the_accepted_words():
    [(_, field, value, message)] = found(check(task(status="Xong rồi")), "warning")
    assert (field, value) == ("status", "Xong rồi")
    assert message.endswith("Hãy dùng một trong các trạng thái: “Đang thực hiện”, “Hoàn thành”, "
                            "“Tạm dừng”, “Đã hủy”.")
