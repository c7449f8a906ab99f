"""Making the brief as a file, for someone allowed to (SPEC §8), audited (SPEC §4.4).

The one path the page's download buttons and `python -m analysis report` both take:
the access rule is enforced here, not only by what a page shows.
"""

from __future__ import annotations

import hashlib

from analysis.access import BRIEF, CENTER, DEPT_HEAD, AccessDenied, Actor, allowed, check
from analysis.brief.figures import BriefFigures

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def brief_scope(actor: Actor | None) -> str:
    """The part of the brief `actor` may make: the whole center (director, administrator,
    the command line before accounts), a head's own department, else AccessDenied."""
    if allowed(actor, BRIEF, CENTER):
        return CENTER
    if actor is not None and actor.role == DEPT_HEAD and actor.department:
        check(actor, BRIEF, actor.department)
        return actor.department
    check(actor, BRIEF, CENTER)  # raises with the message for this actor
    raise AccessDenied("not allowed")  # pragma: no cover - check() raised already


def document_bytes(figures: BriefFigures, fmt: str) -> bytes:
    if fmt == "docx":
        from analysis.brief.docx import brief_docx
        return brief_docx(figures)
    if fmt == "xlsx":
        from analysis.brief.xlsx import brief_xlsx
        return brief_xlsx(figures)
    raise ValueError(f"unknown brief format {fmt!r}")


def export_brief(store, actor: Actor | None, figures: BriefFigures, fmt: str,
                 via: str = "app") -> bytes:
    """The brief as `fmt` ("docx" or "xlsx") after checking that `actor` may make this
    part of it; an audit entry records who, which period, the counts and the file's
    SHA-256 (never a title or a name of the data)."""
    check(actor, BRIEF, figures.scope)
    data = document_bytes(figures, fmt)
    i = figures.inputs
    store.audit(actor.name, "export", what="brief", format=fmt, period_from=i.from_month,
                period_to=i.to_month, as_of=i.as_of.isoformat(), scope=figures.scope,
                tasks=int(len(figures.selected)), sha256=hashlib.sha256(data).hexdigest(),
                size=len(data), via=via)
    return data


def file_name(figures: BriefFigures, fmt: str) -> str:
    i = figures.inputs
    period = i.from_month if i.from_month == i.to_month else f"{i.from_month}_{i.to_month}"
    return f"bao_cao_hop_danh_gia_{period}.{fmt}"
