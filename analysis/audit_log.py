"""The audit log as people read it (SPEC §4.4, §7 page Quản trị): Vietnamese action names,
Vietnam time, details as one line; its filters by day; its export (administrator only,
formula-safe through `analysis.exports`, and itself audited).

The log holds ids, hashes and counts, never cell contents or passwords (see
`analysis.store.audit`), so showing or exporting it reveals no task and no secret.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd

from analysis import access
from analysis.periods import CENTER_TZ

ACTION_LABELS: dict[str, str] = {
    "upload": "Tải dữ liệu lên",
    "restore": "Khôi phục phiên bản",
    "export": "Xuất dữ liệu",
    "catalogue": "Sửa danh mục",
    "settings": "Sửa thiết lập",
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập không thành công",
    "login_locked": "Tạm khóa đăng nhập",
    "logout": "Đăng xuất",
    "session_expired": "Hết phiên (không thao tác)",
    "account_add": "Tạo tài khoản",
    "account_password": "Đặt mật khẩu mới",
    "account_disable": "Ngừng tài khoản",
    "account_enable": "Mở lại tài khoản",
    "account_unlock": "Mở khóa đăng nhập",
}
DETAIL_LABELS: dict[str, str] = {
    "upload_id": "mã lần tải", "scope": "phạm vi", "month": "tháng", "version": "phiên bản",
    "rows": "số dòng", "warnings": "cảnh báo", "format": "định dạng", "what": "nội dung",
    "account": "tài khoản", "role": "vai trò", "department": "phòng", "failures": "số lần sai",
    "minutes": "số phút", "idle_minutes": "phút không thao tác", "reason": "lý do",
    "keys": "thiết lập", "count": "số mục", "size": "dung lượng (byte)",
    "unknown_name": "tên không có tài khoản", "contributions": "dòng phối hợp",
    "sample": "dữ liệu mẫu", "previous_upload_id": "thay cho lần tải",
    "period_from": "từ tháng", "period_to": "đến tháng", "as_of": "tính đến ngày",
    "users": "lọc người", "actions": "lọc hành động", "first": "từ ngày", "last": "đến ngày",
}
COLUMNS = ("Thời gian", "Người thực hiện", "Hành động", "Chi tiết")
UNKNOWN_USER = "(không rõ)"


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def local_time(stamp: str | None) -> datetime | None:
    """An ISO UTC stamp as a naive Vietnam-time datetime (as an Excel cell shows it)."""
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CENTER_TZ).replace(tzinfo=None)


def day_bounds(first: date | None, last: date | None) -> dict[str, str]:
    """`since`/`until` (ISO UTC) of the Vietnam days first..last, for `Store.audit_log`."""
    bounds = {}
    if first:
        bounds["since"] = datetime.combine(first, time(), CENTER_TZ).astimezone(
            UTC).isoformat(timespec="seconds")
    if last:
        bounds["until"] = datetime.combine(last + timedelta(days=1), time(), CENTER_TZ).astimezone(
            UTC).isoformat(timespec="seconds")
    return bounds


def details_text(details: dict[str, Any]) -> str:
    """`mã lần tải: 12; phạm vi: Phòng Tư vấn; …` (a SHA-256 shortened to 12 characters)."""
    parts = []
    for key, value in details.items():
        if value is None or value == "" or value == [] or value is False:
            continue
        if key == "sha256" and isinstance(value, str):
            value = value[:12] + "…"
        elif key == "role":
            value = access.ROLE_LABELS.get(value, value)
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif value is True:
            value = "có"
        parts.append(f"{DETAIL_LABELS.get(key, key)}: {value}")
    return "; ".join(parts)


def audit_frame(entries: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per entry (newest first, as given), with the Vietnamese columns `COLUMNS`."""
    entries = list(entries)
    return pd.DataFrame({
        COLUMNS[0]: pd.Series([local_time(e["at"]) for e in entries], dtype="datetime64[s]"),
        COLUMNS[1]: [e["user"] or UNKNOWN_USER for e in entries],
        COLUMNS[2]: [action_label(e["action"]) for e in entries],
        COLUMNS[3]: [details_text(e["details"]) for e in entries],
    }, columns=list(COLUMNS))


def export_audit_log(store, actor, entries: list[dict[str, Any]], fmt: str, **filters) -> bytes:
    """The shown entries as .xlsx or .csv, for an administrator only (`AccessDenied`),
    formula-safe; the export is audited (its rows and SHA-256, and the filters)."""
    from analysis.exports import check_export, to_csv_bytes, to_excel_bytes

    access.check(actor, access.ADMINISTER)
    frame = audit_frame(entries)
    check_export(actor, frame)
    if fmt == "csv":
        data = to_csv_bytes(frame)
    elif fmt == "xlsx":
        data = to_excel_bytes({"Nhật ký hoạt động": frame}, title="Nhật ký hoạt động")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    store.audit(actor.name, "export", what="audit_log", format=fmt, rows=len(frame),
                sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                **{k: v for k, v in filters.items() if v})
    return data
