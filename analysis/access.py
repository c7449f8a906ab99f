"""Who may do what (SPEC §8): the one module every page and command asks.

| role        | sees                                   | may                                       |
|-------------|----------------------------------------|-------------------------------------------|
| director    | everything                             | upload/restore any scope, export, brief   |
| dept_head   | everything read-only, own dept in full | upload, restore, export: own dept only    |
| admin       | everything                             | all the director may, plus catalogue,     |
|             |                                        | settings, accounts, audit log             |

Two more actors exist outside accounts: DEMO (no account exists yet: the app shows the
bundled sample data only and refuses every write) and the command line run on the server
before any account exists (`system`: SPEC §5 lets it do everything).

A refusal raises `AccessDenied` with a Vietnamese message for the user; pages hide what a
role may not do, but the rule is enforced where the action happens, in `analysis/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.fields import match_key

DIRECTOR, DEPT_HEAD, ADMIN = "director", "dept_head", "admin"
ROLES: tuple[str, ...] = (DIRECTOR, DEPT_HEAD, ADMIN)
ROLE_LABELS: dict[str, str] = {DIRECTOR: "Lãnh đạo đơn vị", DEPT_HEAD: "Lãnh đạo phòng",
                               ADMIN: "Quản trị"}
DEMO_ROLE, SYSTEM_ROLE = "demo", "system"

CENTER = "center"  # the whole-center scope of an upload, an export, a brief

# Actions. Scoped ones take a department name or CENTER.
UPLOAD, RESTORE, EXPORT = "upload", "restore", "export"  # scoped
BRIEF = "brief"  # the meeting brief (page export, `report`); scoped
ADMINISTER = "administer"  # catalogue, settings, accounts, audit log
ACTIONS: tuple[str, ...] = (UPLOAD, RESTORE, EXPORT, BRIEF, ADMINISTER)

_DENIED = {
    UPLOAD: "Tài khoản “{name}” không được tải dữ liệu lên cho {scope}.",
    RESTORE: "Tài khoản “{name}” không được khôi phục phiên bản của {scope}.",
    EXPORT: "Tài khoản “{name}” không được xuất dữ liệu của {scope}.",
    BRIEF: "Tài khoản “{name}” không được lập báo cáo họp đánh giá cho {scope}.",
    ADMINISTER: "Chỉ quản trị viên được sửa danh mục, thiết lập, tài khoản và xem nhật ký.",
}
_DEMO_DENIED = ("Đang ở chế độ trình diễn (chưa có tài khoản nào): chỉ xem dữ liệu mẫu, "
                "không lưu, không khôi phục, không quản trị.")


class AccessDenied(PermissionError):
    """The actor may not do this; `message` is for the user (Vietnamese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Actor:
    """Who acts: an account (name, role, department for a head), DEMO or the system."""

    name: str
    role: str
    department: str | None = None  # a dept_head's own department

    @property
    def is_demo(self) -> bool:
        return self.role == DEMO_ROLE


DEMO = Actor("Chế độ trình diễn", DEMO_ROLE)


def system_actor(name: str) -> Actor:
    """The command line on the server while no account exists (SPEC §5)."""
    return Actor(name, SYSTEM_ROLE)


def _same_department(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and match_key(a) == match_key(b)


def allowed(actor: Actor | None, action: str, scope: str | None = CENTER) -> bool:
    """Whether `actor` may do `action` on `scope` (a department name or CENTER)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if actor is None or actor.role == DEMO_ROLE:
        # Demo mode shows the bundled sample only; exporting what is on screen is harmless.
        return action in (EXPORT, BRIEF)
    if actor.role == SYSTEM_ROLE:
        return True
    if actor.role == ADMIN:
        return True
    if action == ADMINISTER:
        return False
    if actor.role == DIRECTOR:
        return True
    if actor.role == DEPT_HEAD:
        return scope != CENTER and _same_department(actor.department, scope)
    return False


def check(actor: Actor | None, action: str, scope: str | None = CENTER) -> None:
    """Raise `AccessDenied` unless `allowed(actor, action, scope)`."""
    if allowed(actor, action, scope):
        return
    if actor is None or actor.is_demo:
        raise AccessDenied(_DEMO_DENIED)
    where = "toàn trung tâm" if scope in (None, CENTER) else f"phòng “{scope}”"
    raise AccessDenied(_DENIED[action].format(name=actor.name, scope=where))


def scopes_for(actor: Actor | None, action: str, departments: list[str]) -> list[str]:
    """The scopes `actor` may choose for `action` (CENTER first when allowed), e.g. the
    upload page's choices: a head gets only their own department."""
    candidates = [CENTER, *departments]
    if actor is not None and actor.role == DEPT_HEAD and actor.department and not any(
            _same_department(actor.department, d) for d in departments):
        candidates.append(actor.department)  # an empty catalogue still knows the head's own
    return [s for s in candidates if allowed(actor, action, s)]


# --- pages (SPEC §7, §8) ----------------------------------------------------------------
# Who sees a page is a tuple of roles in the page table of dashboard.py. DEMO_ROLE is the
# visitor of demo mode (no account yet: the bundled sample only).
EVERYONE: tuple[str, ...] = (*ROLES, DEMO_ROLE)


def sees_page(actor: Actor | None, who: tuple[str, ...] | str) -> bool:
    """Whether `actor` sees a page meant for the roles `who` ("all": EVERYONE)."""
    if who == "all":
        who = EVERYONE
    return actor is not None and actor.role in tuple(who)
