"""`python -m analysis check`: is the store whole? (SPEC §4.4)

Read in one snapshot (`engine.snapshot_transaction`), so a check of a running app
sees one committed state. It verifies:
- every original: its bytes hash to its SHA-256 key and have the stored size;
- every upload: its original is there (same size); its task rows number `rows`;
  the digest of its task and contribution rows equals the one written with them
  (`rows.rows_digest`), so a changed, lost or added row is found;
- every upload's columnar copy (`frames.py`, what the figures are built from) holds
  the same rows: decoded and hashed like the rows, it must give the same digest
  (a missing copy is no problem: the loader rebuilds it from the rows);
- every "current version" pointer names an upload of its own scope and month;
- no original is left that no upload names (orphans cannot exist: one transaction).
Each problem names the upload or the original; messages in Vietnamese for the
operator, hashes and counts only (never cell contents).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text

from analysis.model import CONTRIBUTION_COLUMNS, TASK_COLUMNS

from . import schema
from .engine import snapshot_transaction
from .originals import sha256_hex
from .rows import rows_digest

_TASKS = ", ".join(TASK_COLUMNS)
_CONTRIBUTIONS = ", ".join(CONTRIBUTION_COLUMNS)


@dataclass
class CheckReport:
    originals: int = 0
    uploads: int = 0
    frames: int = 0
    tasks: int = 0
    contributions: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, kind: str, message: str, upload_id: int | None = None,
                sha256: str | None = None) -> None:
        self.problems.append({"kind": kind, "upload_id": upload_id, "sha256": sha256,
                              "message": message})

    def to_dict(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "mismatch", "originals": self.originals,
                "uploads": self.uploads, "frames": self.frames, "tasks": self.tasks,
                "contributions": self.contributions, "problems": self.problems}


def stored_rows_digest(conn: Connection, upload_id: int) -> str:
    """`rows_digest` of one upload's rows as the database holds them now."""
    params = {"upload_id": int(upload_id)}
    tasks = conn.execute(text(f"SELECT {_TASKS} FROM tasks WHERE upload_id = :upload_id"), params)
    contributions = conn.execute(text(
        f"SELECT {_CONTRIBUTIONS} FROM contributions WHERE upload_id = :upload_id"), params)
    return rows_digest([tuple(r) for r in tasks], [tuple(r) for r in contributions])


def check_store(engine: Engine) -> CheckReport:
    with snapshot_transaction(engine) as conn:
        return check_connection(conn)


def check_connection(conn: Connection) -> CheckReport:
    report = CheckReport()
    sizes, damaged = _check_originals(conn, report)
    referenced: set[str] = set()
    digests: dict[int, str | None] = {}
    u, t = schema.uploads, schema.tasks
    counts = dict(conn.execute(select(t.c.upload_id, func.count()).group_by(t.c.upload_id)).all())
    report.contributions = conn.execute(select(func.count()).select_from(schema.contributions)).scalar()
    for row in conn.execute(select(u.c.id, u.c.sha256, u.c.size, u.c.rows, u.c.rows_sha256)
                            .order_by(u.c.id)).mappings().all():
        report.uploads += 1
        upload_id, sha = row["id"], row["sha256"]
        digests[upload_id] = row["rows_sha256"]
        referenced.add(sha)
        stored_rows = int(counts.get(upload_id, 0))
        report.tasks += stored_rows
        if sha in damaged:
            report.problem("original_changed", f"Lần tải lên {upload_id}: tệp gốc {sha[:12]}… "
                           "không khớp SHA-256 (nội dung đã bị thay đổi).", upload_id, sha)
        elif sha not in sizes:
            report.problem("original_missing", f"Lần tải lên {upload_id}: không có tệp gốc "
                           f"{sha[:12]}… trong cơ sở dữ liệu.", upload_id, sha)
        elif sizes[sha] != row["size"]:
            report.problem("original_size", f"Lần tải lên {upload_id}: tệp gốc {sha[:12]}… "
                           f"có {sizes[sha]} byte, bản ghi ghi {row['size']} byte.", upload_id, sha)
        if stored_rows != row["rows"]:
            report.problem("rows_count", f"Lần tải lên {upload_id}: có {stored_rows} dòng nhiệm vụ, "
                           f"bản ghi ghi {row['rows']} dòng.", upload_id, sha)
        if row["rows_sha256"] is None:
            report.problem("rows_unhashed", f"Lần tải lên {upload_id}: không có mã kiểm tra "
                           "của các dòng.", upload_id, sha)
        elif stored_rows_digest(conn, upload_id) != row["rows_sha256"]:
            report.problem("rows_changed", f"Lần tải lên {upload_id}: các dòng đã lưu không "
                           "khớp mã kiểm tra (có dòng bị sửa, mất hoặc thêm).", upload_id, sha)
    for sha in sorted(damaged - referenced):
        report.problem("original_changed", f"Tệp gốc {sha[:12]}… không khớp SHA-256 "
                       "(nội dung đã bị thay đổi).", None, sha)
    for sha in sorted((set(sizes) | damaged) - referenced):
        report.problem("original_unreferenced", f"Tệp gốc {sha[:12]}… không thuộc lần tải lên nào.",
                       None, sha)
    _check_frames(conn, report, digests)
    _check_current(conn, report)
    return report


def frame_digest(tasks_blob: bytes, contributions_blob: bytes | None, upload_id: int) -> str:
    """`rows_digest` of the rows an upload's columnar copy decodes to."""
    from . import frames
    from .rows import contribution_rows, record_values, task_rows

    tasks = frames.decode(tasks_blob, frames.TASKS)
    task_values = record_values(task_rows(tasks, upload_id), TASK_COLUMNS) if len(tasks) else []
    contribution_values = []
    if contributions_blob is not None:
        sheet = frames.decode(contributions_blob, frames.CONTRIBUTIONS)
        if len(sheet):
            contribution_values = record_values(contribution_rows(sheet, upload_id),
                                                CONTRIBUTION_COLUMNS)
    return rows_digest(task_values, contribution_values)


def _check_frames(conn: Connection, report: CheckReport, digests: dict[int, str | None]) -> None:
    from .frames import FORMAT

    f = schema.upload_frames
    rows = conn.execution_options(stream_results=True, yield_per=8).execute(
        select(f.c.upload_id, f.c.tasks, f.c.contributions).where(f.c.format == FORMAT)
        .order_by(f.c.upload_id))
    for upload_id, tasks_blob, contributions_blob in rows:
        report.frames += 1
        if upload_id not in digests:
            report.problem("frame_orphan", f"Bản sao dạng cột của lần tải lên {upload_id} không "
                           "thuộc lần tải lên nào.", upload_id)
            continue
        try:
            digest = frame_digest(bytes(tasks_blob), None if contributions_blob is None
                                  else bytes(contributions_blob), upload_id)
        except Exception:  # noqa: BLE001 - an unreadable copy is a finding, not a crash
            digest = None
        if digests[upload_id] is not None and digest != digests[upload_id]:
            report.problem("frame_changed", f"Lần tải lên {upload_id}: bản sao dạng cột (dùng để "
                           "tính số liệu) không khớp các dòng đã lưu.", upload_id)


def _check_originals(conn: Connection, report: CheckReport) -> tuple[dict[str, int], set[str]]:
    """Hash every original, one at a time (streamed); returns {sha256: size} of those
    whose bytes match their key, and the keys of those whose bytes do not."""
    o = schema.originals
    sizes: dict[str, int] = {}
    damaged: set[str] = set()
    rows = conn.execution_options(stream_results=True, yield_per=8).execute(
        select(o.c.sha256, o.c.size, o.c.data))
    for sha, size, data in rows:
        report.originals += 1
        data = bytes(data)
        if sha256_hex(data) != sha:
            damaged.add(sha)
            continue
        if len(data) != size:
            report.problem("original_size", f"Tệp gốc {sha[:12]}… có {len(data)} byte, "
                           f"bản ghi ghi {size} byte.", None, sha)
        sizes[sha] = len(data)
    return sizes, damaged


def _check_current(conn: Connection, report: CheckReport) -> None:
    u, c = schema.uploads, schema.current_uploads
    rows = conn.execute(select(c.c.scope, c.c.month, c.c.upload_id, u.c.scope.label("u_scope"),
                               u.c.month.label("u_month"))
                        .select_from(c.outerjoin(u, u.c.id == c.c.upload_id))).mappings().all()
    for row in rows:
        if (row["u_scope"], row["u_month"]) != (row["scope"], row["month"]):
            report.problem("current_mismatch", f"Phiên bản hiện hành của {row['scope']} "
                           f"{row['month']} trỏ tới lần tải lên {row['upload_id']} của phạm vi "
                           "hoặc tháng khác.", row["upload_id"])
