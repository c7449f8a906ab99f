"""analysis.access: every action × role (SPEC §8)."""

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
    *[(A.DEMO, act, CENTER, act == A.EXPORT) for act in A.ACTIONS],
    *[(None, act, OWN, act == A.EXPORT) for act in A.ACTIONS],
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


def test_only_a_head_is_limited_to_their_own_department_in_full():
    assert A.sees_everything(DIRECTOR) and A.sees_everything(ADMIN)
    assert not A.sees_everything(HEAD)
