"""Vietnamese display formats (developers' guide: dates dd/mm/yyyy, percentages `85,3 %`)."""

from datetime import date, datetime

import pandas as pd
import pytest

from analysis.formatting import format_change, format_date, format_month, format_number, format_percent


@pytest.mark.parametrize("value, expected", [
    (date(2026, 11, 5), "05/11/2026"),
    (datetime(2026, 1, 2, 14, 30), "02/01/2026"),
    (pd.Timestamp("2026-10-31"), "31/10/2026"),
    (pd.NaT, ""),
    (None, ""),
])
def test_format_date(value, expected):
    assert format_date(value) == expected


@pytest.mark.parametrize("rate, expected", [
    (0.853, "85,3 %"), (1.0, "100,0 %"), (0.0, "0,0 %"), (None, "—"), (float("nan"), "—"),
])
def test_format_percent(rate, expected):
    assert format_percent(rate) == expected


@pytest.mark.parametrize("value, digits, expected", [
    (12345, 0, "12.345"), (3.5, 1, "3,5"), (1234567.25, 2, "1.234.567,25"), (None, 0, "—"),
])
def test_format_number(value, digits, expected):
    assert format_number(value, digits) == expected


@pytest.mark.parametrize("delta, kind, expected", [
    (0.025, "percent", "+2,5 điểm %"),
    (-0.179, "percent", "-17,9 điểm %"),
    (-0.0004, "percent", "0,0 điểm %"),  # rounds to zero: no "-0,0"
    (-3, "count", "-3"),
    (12000, "count", "+12.000"),
    (0, "count", "0"),
    (None, "count", ""),
])
def test_format_change(delta, kind, expected):
    assert format_change(delta, kind) == expected


def test_format_month():
    assert format_month("2026-10") == "10/2026"


@pytest.mark.parametrize("months, text", [
    (["2026-10"], "10/2026"), (["2026-11", "2026-10"], "10, 11/2026"),
    (["2025-12", "2026-01"], "12/2025, 01/2026"), ([], ""),
])
def test_month_list(months, text):
    from analysis.formatting import month_list

    assert month_list(months) == text
