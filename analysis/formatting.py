"""Vietnamese display formats shared by pages, exports and reports:
dates `dd/mm/yyyy`, percentages `85,3 %`, numbers with `.` thousands."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

from analysis.fields import TASK_FIELDS

# One label per outcome (SPEC §3.1), used on every page and export.
OUTCOME_LABELS: dict[str, str] = {
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "overdue": "Quá hạn",
    "open": "Đang thực hiện",
    "no_deadline": "Không có hạn",
    "cancelled": "Đã hủy",
}
# Vietnamese column headers of task tables (pages, exports): the template's headers
# for the fields, plus the computed columns.
COLUMN_LABELS: dict[str, str] = {
    **{f.name: f.header for f in TASK_FIELDS},
    "outcome": "Kết quả",
    "delay_days": "Số ngày trễ",
}
STATUS_LABELS: dict[str, str] = {"done": "Hoàn thành", "open": "Đang thực hiện", "cancelled": "Đã hủy"}


def _missing(value) -> bool:
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_date(value) -> str:
    """`dd/mm/yyyy`; empty string when missing."""
    if _missing(value):
        return ""
    if isinstance(value, (datetime, pd.Timestamp)):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def format_month(value: str) -> str:
    """`2026-10` -> `10/2026`."""
    year, _, month = str(value).partition("-")
    return f"{month}/{year}" if month else str(value)


def month_list(months) -> str:
    """Months "YYYY-MM" as a short list, the year once: `09, 10/2026`, `12/2025, 01/2026`."""
    by_year: dict[str, list[str]] = {}
    for month in sorted(months):
        by_year.setdefault(month[:4], []).append(month[5:7])
    return ", ".join(f"{', '.join(numbers)}/{year}" for year, numbers in by_year.items())


def format_percent(rate, digits: int = 1) -> str:
    """A fraction in [0, 1] as `85,3 %`; `—` when missing."""
    if _missing(rate) or (isinstance(rate, float) and math.isnan(rate)):
        return "—"
    return f"{rate * 100:.{digits}f}".replace(".", ",") + " %"


def format_number(value, digits: int = 0) -> str:
    """`12.345` or `3,5` (Vietnamese separators); `—` when missing."""
    if _missing(value):
        return "—"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")


def format_change(delta, kind: str = "percent") -> str:
    """Signed change for headline cards: `+2,5 điểm %` or `-3`; unsigned when it rounds to 0."""
    if _missing(delta):
        return ""
    if kind == "percent":
        points = round(delta * 100, 1)
        if points == 0:  # no "-0,0": an unchanged figure has no sign
            return "0,0 điểm %"
        return f"{points:+.1f}".replace(".", ",") + " điểm %"
    if round(delta) == 0:
        return "0"
    return f"{delta:+,.0f}".replace(",", ".")


def wrapped_lines(text, width: int) -> list[str]:
    """`text` broken between words into lines of about `width` characters (a longer word
    stays whole on its own line): long names in chart labels."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines
