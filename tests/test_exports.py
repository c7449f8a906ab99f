"""Exports are formula-injection safe (SPEC §4.6) and keep Vietnamese, dates, numbers."""

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from analysis.exports import neutralise, to_csv_bytes, to_excel_bytes

DANGEROUS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tfoo", "\rbar"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "Nội dung nhiệm vụ": [*DANGEROUS, "Hỗ trợ trẻ em"],
        "Số ngày trễ": [-2, 0, 1, 2, 3, 4, 5],
        "Hạn hoàn thành": pd.to_datetime(["2026-10-05"] * 6 + [None]),
        "Tỷ lệ đúng hạn": [0.853] * 7,
    })


def _sheet_rows(data: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return sheet, list(sheet.iter_rows())


def test_neutralise_prefixes_formula_starts_only():
    out = neutralise(_frame())
    assert out["Nội dung nhiệm vụ"].tolist()[:6] == ["'" + v for v in DANGEROUS]
    assert out["Nội dung nhiệm vụ"].iloc[6] == "Hỗ trợ trẻ em"
    assert out["Số ngày trễ"].tolist() == [-2, 0, 1, 2, 3, 4, 5]  # numbers untouched


def test_neutralise_joins_list_cells_and_checks_them():
    frame = pd.DataFrame({"Phòng phối hợp": [("Phòng A", "Phòng B"), ("=cmd",), ()]})
    assert neutralise(frame)["Phòng phối hợp"].tolist() == ["Phòng A; Phòng B", "'=cmd", ""]


def test_neutralise_does_not_change_the_input():
    frame = _frame()
    neutralise(frame)
    assert frame["Nội dung nhiệm vụ"].iloc[0] == DANGEROUS[0]


def test_excel_cells_are_text_never_formulas():
    sheet, rows = _sheet_rows(to_excel_bytes({"Nhiệm vụ": _frame()}))
    assert sheet.title == "Nhiệm vụ"
    assert [c.value for c in rows[0]] == list(_frame().columns)
    titles = [row[0] for row in rows[1:7]]
    for cell, original in zip(titles, DANGEROUS):
        assert cell.data_type == "s"
        # a carriage return inside a cell is written as the line break it means
        assert cell.value == "'" + original.replace("\r", "\n")
    assert rows[7][0].value == "Hỗ trợ trẻ em"


def test_excel_numbers_dates_and_percentages_are_typed():
    _, rows = _sheet_rows(to_excel_bytes({"Nhiệm vụ": _frame()}))
    negative, due, rate = rows[1][1], rows[1][2], rows[1][3]
    assert negative.value == -2 and negative.data_type == "n"
    assert due.value.date() == date(2026, 10, 5) and due.number_format == "dd/mm/yyyy"
    assert rate.value == pytest.approx(0.853) and "%" in rate.number_format
    assert rows[7][2].value is None  # NaT → empty cell


def test_excel_header_bold_frozen_and_title():
    sheet, rows = _sheet_rows(to_excel_bytes({"Nhiệm vụ": _frame()}, title="Danh sách nhiệm vụ"))
    assert rows[0][0].value == "Danh sách nhiệm vụ"
    assert rows[2][0].value == "Nội dung nhiệm vụ" and rows[2][0].font.bold
    assert sheet.freeze_panes == "A4"


def test_excel_several_sheets_and_long_names():
    data = to_excel_bytes({"Một": _frame(), "Tên trang tính rất dài hơn ba mươi mốt ký tự": _frame()})
    names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert names[0] == "Một" and len(names[1]) <= 31


def test_csv_is_utf8_bom_and_neutralised():
    data = to_csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(_frame().columns)
    assert [r[0] for r in rows[1:7]] == ["'" + v for v in DANGEROUS]
    assert rows[7][0] == "Hỗ trợ trẻ em"
    assert rows[1][1] == "-2"  # a negative number stays a number
    assert rows[1][2] == "05/10/2026"
    assert rows[7][2] == ""


def test_csv_empty_frame_has_header_only():
    data = to_csv_bytes(pd.DataFrame({"Mã nhiệm vụ": pd.Series(dtype="str")}))
    assert data.decode("utf-8-sig").strip() == "Mã nhiệm vụ"


def test_excel_error_like_text_stays_text():
    frame = pd.DataFrame({"Ghi chú": ["#N/A", "#REF!", "bình thường"]})
    _, rows = _sheet_rows(to_excel_bytes({"Ghi chú": frame}))
    assert [(r[0].value, r[0].data_type) for r in rows[1:]] == [
        ("#N/A", "s"), ("#REF!", "s"), ("bình thường", "s")]


def test_excel_has_no_formula_anywhere_and_filters_the_header():
    """SPEC §4.6 on the raw XML: no <f> element, every hostile text a string cell."""
    import zipfile
    data = to_excel_bytes({"Nhiệm vụ": _frame()})
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert "<autoFilter" in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D8"
