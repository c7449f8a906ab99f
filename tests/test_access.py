"""analysis.access: every action × role (SPEC §8), and the same rules enforced where the
action happens: the store's uploads, restores, catalogue and settings; the exports."""

from __future__ import annotations

import pytest

from analysis import access as A
from analysis.access import CENTER, Actor

DIRECTOR = Actor("Giám đốc", A.DIRECTOR)
ADMIN = Actor("Quản trị viên", A.ADMIN)
HEAD = Actor("Trưởng phòng TVTV", A.DEPT_HEAD, "Phòng Tư vấn - Tham vấn")
OWN, OTHER = "Phòng Tư vấn - Tham vấn", "Phòng Hành chính - Tổng hợp"
SYSTEM = A.system_actor("root")


@pytest.mark.parametrize("actor, action, scope, expected", [
    # director: every scope, never administration
    *[(DIRECTOR, act, scope, True) for act in (A.UPLOAD, A.RESTORE, A.EXPORT, A.BRIEF)
      for scope in (CENTER, OWN, OTHER)],
    (DIRECTOR, A.ADMINISTER, CENTER, False),
    # administrator: everything
    *[(ADMIN, act, scope, True) for act in A.ACTIONS for scope in (CENTER, OWN)],
    # department head: own department only, never the whole center, never administration
    *[(HEAD, act, OWN, True) for act in (A.UPLOAD, A.RESTORE, A.EXPORT, A.BRIEF)],
    *[(HEAD, act, OTHER, False) for act in (A.UPLOAD, A.RESTORE, A.EXPORT, A.BRIEF)],
    *[(HEAD, act, CENTER, False) for act in A.ACTIONS],
    (HEAD, A.UPLOAD, "phòng tư vấn - tham vấn", True),  # names compare like headers
    # demo mode: look and export the sample only
    *[(A.DEMO, act, CENTER, act in (A.EXPORT, A.BRIEF)) for act in A.ACTIONS],
    *[(None, act, OWN, act in (A.EXPORT, A.BRIEF)) for act in A.ACTIONS],
    # the command line before any account exists
    *[(SYSTEM, act, CENTER, True) for act in A.ACTIONS],
    # an unknown role may do nothing
    *[(Actor("x", "guest"), act, OWN, False) for act in A.ACTIONS],
])
def test_every_action_and_role(actor, action, scope, expected):
    assert A.allowed(actor, action, scope) is expected
    if expected:
        A.check(actor, action, scope)
    else:
        with pytest.raises(A.AccessDenied) as refused:
            A.check(actor, action, scope)
        assert refused.value.message and "Traceback" not in refused.value.message


def test_a_head_without_a_department_may_not_upload():
    head = Actor("Trưởng phòng", A.DEPT_HEAD, None)
    assert not A.allowed(head, A.UPLOAD, OWN)


def test_refusals_say_who_and_where_in_vietnamese():
    with pytest.raises(A.AccessDenied) as refused:
        A.check(HEAD, A.UPLOAD, OTHER)
    assert "Trưởng phòng TVTV" in refused.value.message and OTHER in refused.value.message
    with pytest.raises(A.AccessDenied) as refused:
        A.check(HEAD, A.UPLOAD, CENTER)
    assert "toàn trung tâm" in refused.value.message
    with pytest.raises(A.AccessDenied) as refused:
        A.check(A.DEMO, A.UPLOAD, OWN)
    assert "trình diễn" in refused.value.message


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        A.allowed(DIRECTOR, "delete", CENTER)


@pytest.mark.parametrize("actor, expected", [
    (DIRECTOR, [CENTER, OWN, OTHER]),
    (ADMIN, [CENTER, OWN, OTHER]),
    (HEAD, [OWN]),
    (A.DEMO, []),
])
def test_upload_scopes(actor, expected):
    assert A.scopes_for(actor, A.UPLOAD, [OWN, OTHER]) == expected


def test_a_head_gets_their_own_department_with_an_empty_catalogue():
    assert A.scopes_for(HEAD, A.UPLOAD, []) == [OWN]


# --- enforced where the action happens: the store, the exports (SPEC §8) ------------------

import pandas as pd  # noqa: E402

from store_helpers import read_result, sqlite_store, task  # noqa: E402


@pytest.fixture
def enforced(tmp_path):
    """A store with one account of each role (cheap hashes), a disabled director, and one
    stored upload per department."""
    from argon2 import PasswordHasher

    from analysis.accounts import Accounts

    store = sqlite_store(tmp_path)
    for scope in (OWN, OTHER):
        store.save_read(scope, "2026-10", "log.xlsx", scope.encode(), "Kiểm thử",
                        read_result([task("T-" + scope[-3:], lead_dept=scope)]))
    accounts = Accounts(store, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    for actor in (DIRECTOR, ADMIN, HEAD):
        accounts.add(actor.name, actor.role, "mat-khau-du-dai-12", department=actor.department)
    accounts.add("Cựu giám đốc", A.DIRECTOR, "mat-khau-du-dai-12")
    accounts.disable("Cựu giám đốc")
    return store


DISABLED_DIRECTOR = Actor("Cựu giám đốc", A.DIRECTOR)
FORGED = Actor("Trưởng phòng TVTV", A.ADMIN)  # the head's name with another role
GHOST = Actor("Không có tài khoản", A.ADMIN)
SCOPED_CASES = [
    (DIRECTOR, CENTER, True), (DIRECTOR, OTHER, True),
    (ADMIN, CENTER, True), (ADMIN, OWN, True),
    (HEAD, OWN, True), (HEAD, OTHER, False), (HEAD, CENTER, False),
    (FORGED, CENTER, False),  # the database's role (head) counts, not the caller's
    (A.DEMO, OWN, False), (DISABLED_DIRECTOR, OWN, False), (GHOST, OWN, False),
    ("Kiểm thử", OWN, False),  # a bare name once accounts exist
    (SYSTEM, OWN, False),  # the system actor once accounts exist
]


@pytest.mark.parametrize("actor, scope, expected", SCOPED_CASES)
def test_the_store_enforces_uploads(enforced, actor, scope, expected):
    rows = [task("N-1", lead_dept=scope if scope != CENTER else OWN)]
    save = lambda: enforced.save_read(scope, "2026-11", "new.xlsx",  # noqa: E731
                                      f"{scope}-{actor}".encode(), actor, read_result(rows))
    before = enforced.history()
    if expected:
        assert save().status == "stored"
    else:
        with pytest.raises(A.AccessDenied):
            save()
        with pytest.raises(A.AccessDenied):
            enforced.import_upload(scope, "2026-11", "new.xlsx", b"not even read", actor)
        assert enforced.history() == before  # nothing stored, nothing audited


@pytest.mark.parametrize("actor, scope, expected", SCOPED_CASES)
def test_the_store_enforces_restores(enforced, actor, scope, expected):
    target = OTHER if scope == CENTER else scope
    old = enforced.history(target)[0]["upload_id"]
    enforced.save_read(target, "2026-10", "v2.xlsx", b"v2" + target.encode(), DIRECTOR,
                       read_result([task("T-2", lead_dept=target)]))
    if expected:
        assert enforced.restore(old, actor)["upload_id"] == old
    else:
        with pytest.raises(A.AccessDenied):
            enforced.restore(old, actor)
        assert not [h for h in enforced.history(target) if h["upload_id"] == old][0]["current"]


@pytest.mark.parametrize("actor, expected", [
    (ADMIN, True), (DIRECTOR, False), (HEAD, False), (A.DEMO, False), (FORGED, False),
    (DISABLED_DIRECTOR, False), ("Kiểm thử", False), (SYSTEM, False)])
def test_the_store_enforces_catalogue_and_settings(enforced, actor, expected):
    changes = [lambda: enforced.set_departments([OWN, OTHER], actor),
               lambda: enforced.set_roster(["Lê Thị Hoa"], actor),
               lambda: enforced.set_settings({"row_limit": 500}, actor),
               lambda: enforced.set_catalogue(departments=[OWN], roster=[], actor=actor)]
    for change in changes:
        if expected:
            change()
        else:
            with pytest.raises(A.AccessDenied):
                change()
    assert (enforced.settings()["row_limit"] == 500) is expected


def test_before_any_account_a_name_acts_as_the_system(tmp_path):
    store = sqlite_store(tmp_path)
    store.save_read(CENTER, "2026-10", "a.xlsx", b"a", "Dòng lệnh", read_result([task("T1")]))
    store.set_departments([OWN], "Dòng lệnh")
    assert store.history()[0]["user"] == "Dòng lệnh"
    with pytest.raises(A.AccessDenied):  # demo mode is not the command line
        store.save_read(CENTER, "2026-11", "b.xlsx", b"b", A.DEMO, read_result([task("T2")]))


def _tasks(*leads_and_coords) -> pd.DataFrame:
    return pd.DataFrame({"task_id": [f"T{i}" for i in range(len(leads_and_coords))],
                         "lead_dept": [lead for lead, _ in leads_and_coords],
                         "coord_depts": [tuple(coords) for _, coords in leads_and_coords]})


@pytest.mark.parametrize("actor, frame, expected", [
    (DIRECTOR, _tasks((OWN, ()), (OTHER, ())), True),
    (ADMIN, _tasks((OTHER, ())), True),
    (HEAD, _tasks((OWN, ()), (OTHER, [OWN])), True),  # led or coordinated by the head's dept
    (HEAD, _tasks((OWN, ()), (OTHER, ())), False),  # one row of another department
    (HEAD, _tasks((OTHER, ["phòng tư vấn - tham vấn"])), True),  # names compare like headers
    (HEAD, _tasks(), True),  # nothing to export is nobody's data
    (A.DEMO, _tasks((OWN, ())), True),  # demo mode: the bundled sample only
    (Actor("x", "guest"), _tasks((OWN, ())), False),
])
def test_exports_are_checked_before_any_byte_is_built(enforced, actor, frame, expected):
    from analysis.exports import check_export
    from analysis.task_list import export_and_audit

    if expected:
        check_export(actor, frame)
    else:
        with pytest.raises(A.AccessDenied):
            check_export(actor, frame)
        with pytest.raises(A.AccessDenied):
            export_and_audit(enforced, actor, frame, "csv")
        assert not [e for e in enforced.audit_log() if e["action"] == "export"]


def test_a_task_list_export_records_who_and_which_scope(enforced):
    from datetime import date

    from analysis.metrics import annotate
    from analysis.task_list import export_and_audit, with_list_columns

    annotated = annotate(enforced.consolidated_tasks(), date(2026, 10, 31))
    listed = with_list_columns(annotated, date(2026, 10, 31), enforced.task_changes())
    own = listed[listed["lead_dept"] == OWN]
    export_and_audit(enforced, HEAD, own, "csv")
    with pytest.raises(A.AccessDenied):
        export_and_audit(enforced, HEAD, listed, "csv")
    export_and_audit(enforced, DIRECTOR, listed, "xlsx")
    exports = [(e["user"], e["details"]["scope"]) for e in enforced.audit_log()
               if e["action"] == "export"]
    assert exports == [(DIRECTOR.name, CENTER), (HEAD.name, OWN)]


@pytest.mark.parametrize("actor, expected", [(ADMIN, True), (DIRECTOR, False), (HEAD, False),
                                             (A.DEMO, False)])
def test_only_an_administrator_exports_the_audit_log(enforced, actor, expected):
    from analysis.audit_log import export_audit_log

    entries = enforced.audit_log(None)
    if expected:
        assert export_audit_log(enforced, actor, entries, "csv").startswith(b"\xef\xbb\xbf")
    else:
        with pytest.raises(A.AccessDenied):
            export_audit_log(enforced, actor, entries, "xlsx")


@pytest.mark.parametrize("actor, pages", [
    (DIRECTOR, {"data", "upload"}), (HEAD, {"data", "upload"}), (ADMIN, {"data", "upload", "admin"}),
    (A.DEMO, {"data", "upload"}), (None, set())])
def test_which_pages_a_role_sees(actor, pages):
    table = {"data": A.EVERYONE, "upload": A.EVERYONE, "admin": (A.ADMIN,)}
    assert {name for name, who in table.items() if A.sees_page(actor, who)} == pages
    assert A.sees_page(actor, "all") is (actor is not None)
